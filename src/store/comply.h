/* comply.h - what the tax threshold watch reads and writes (store family "comply";
 * app/comply.h, docs/internals/comply.md): the orders with their destination, amount,
 * cancellation and refunds as known at an as-of, the exchange rates, and the alerts
 * (table alert, kinds comply_near, comply_over and comply_next_year).
 *
 * Strings in rows are valid during the callback only. */
#ifndef BL_STORE_COMPLY_H
#define BL_STORE_COMPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/fx.h"
#include "ballast/store.h"

struct bl_comply_row {
    int64_t id, shop_id, placed_at, amount, refunded;
    struct bl_str ship_to, ship_from, currency; /* ship_to, ship_from "" when unknown */
    bool cancelled;                  /* at or before the as-of */
};
typedef int (*bl_comply_row_fn)(void *ctx, const struct bl_comply_row *r);

/* The orders placed at or before as_of, in time order (then id): refunded is what the
 * refund decisions recorded by as_of gave back. */
int bl_store_comply_orders(struct bl_store *st, int64_t org, int64_t as_of, bl_comply_row_fn fn,
                           void *ctx, struct bl_diag *d) BL_MUST_CHECK;

struct bl_comply_rate_row {
    struct bl_str from, to;
    int64_t day;
    struct bl_fx_rate rate;
};
typedef int (*bl_comply_rate_fn)(void *ctx, const struct bl_comply_rate_row *r);
/* Every exchange rate of the organisation, by pair then day. */
int bl_store_comply_rates(struct bl_store *st, int64_t org, bl_comply_rate_fn fn, void *ctx,
                          struct bl_diag *d) BL_MUST_CHECK;

/* An order's external id and its shop's (ext and shop_ext: the caller's, 128 bytes). */
int bl_store_comply_order_ext(struct bl_store *st, int64_t org, int64_t id, char *ext,
                              char *shop_ext, struct bl_diag *d) BL_MUST_CHECK;

/* Every shop of the organisation: id, external id, name. */
typedef int (*bl_comply_shop_fn)(void *ctx, int64_t id, struct bl_str ext, struct bl_str name);
int bl_store_comply_shops(struct bl_store *st, int64_t org, bl_comply_shop_fn fn, void *ctx,
                          struct bl_diag *d) BL_MUST_CHECK;

struct bl_comply_alert {
    const char *kind;    /* comply_near | comply_over | comply_next_year */
    int64_t shop_id;     /* 0: the organisation as one seller */
    const char *ref;     /* "<jurisdiction>:<period>:<shop id>": one alert per crossing */
    const char *message; /* the sentence stored */
    int64_t as_of, at, cycle_id;
};
/* Adds the alerts not raised before (by kind and ref); *added[i] says which were new. */
int bl_store_comply_alert_add(struct bl_store *st, int64_t org, const struct bl_comply_alert *a,
                              bool *added, struct bl_diag *d) BL_MUST_CHECK;

struct bl_comply_alert_row {
    struct bl_str kind, ref, message;
    int64_t as_of;
};
typedef int (*bl_comply_alert_fn)(void *ctx, const struct bl_comply_alert_row *r);
/* The comply alerts a cycle raised, by id. */
int bl_store_comply_alerts_of_cycle(struct bl_store *st, int64_t org, int64_t cycle_id,
                                    bl_comply_alert_fn fn, void *ctx,
                                    struct bl_diag *d) BL_MUST_CHECK;

#endif
