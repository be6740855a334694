/* coupon.h - coupons for late shipments and the alerts for those a deposit cannot pay,
 * typed (store family "coupon": tables coupon and alert, and the reads compensation
 * makes of orders and shops).
 *
 * Ownership: strings in rows given to the store are borrowed for the call; strings the
 * store returns are in the caller's arena; arrays are malloc'd (free with bl_free). */
#ifndef BL_STORE_COUPON_H
#define BL_STORE_COUPON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/store.h"

/* The store ids of the orders that have a coupon: *ids malloc'd, *n of them. */
int bl_store_coupon_orders(struct bl_store *st, int64_t org, int64_t **ids, size_t *n,
                           struct bl_diag *d) BL_MUST_CHECK;

struct bl_coupon_row {
    int64_t shop_id, order_id;
    const char *profile;
    int64_t amount; /* minor units of currency */
    const char *currency;
    const char *reason; /* the English sentence stored (src/app/comp_text.c) */
    bool paid;          /* paid from the deposit, else owed */
    int64_t as_of, issued_at;
    int64_t cycle_id; /* 0: none */
};

/* Inserts the coupons with ids from the allocator, inside the caller's transaction.
 * BL_EEXISTS (surfacing here or at commit) when an order has a coupon already. */
int bl_store_coupon_add(struct bl_store *st, int64_t org, const struct bl_coupon_row *c, size_t n,
                        struct bl_diag *d) BL_MUST_CHECK;

/* An alert that a coupon is owed (kind "deposit_short"), keyed by ref per kind. */
struct bl_coupon_alert {
    int64_t shop_id;
    const char *ref;     /* "coupon:<order id>" */
    const char *message; /* the English sentence stored (src/app/comp_text.c) */
    int64_t as_of, at, cycle_id;
};

/* Adds the alerts whose (kind, ref) is new, with ids from the allocator, inside the
 * caller's transaction; *added (may be NULL) counts them. */
int bl_store_coupon_alert_add(struct bl_store *st, int64_t org, const struct bl_coupon_alert *a,
                              size_t n, size_t *added, struct bl_diag *d) BL_MUST_CHECK;

/* The external ids of orders ids[0..n) into ext[0..n) (strings in a; "" when none). */
int bl_store_coupon_order_exts(struct bl_store *st, int64_t org, const int64_t *ids, size_t n,
                               struct bl_arena *a, const char **ext,
                               struct bl_diag *d) BL_MUST_CHECK;

/* A stored coupon, as listed. */
struct bl_coupon_listed {
    int64_t id;
    const char *shop, *order; /* external ids */
    int64_t amount;
    char currency[4];
    const char *reason, *profile;
    bool paid;
    int64_t issued_at;
};

/* The coupons of org (of the shop with external id shop; NULL: every shop), by id.
 * *out malloc'd, strings in a. */
int bl_store_coupon_list(struct bl_store *st, int64_t org, const char *shop, struct bl_arena *a,
                         struct bl_coupon_listed **out, size_t *n, struct bl_diag *d) BL_MUST_CHECK;

/* A page of coupons by id: of shop (external id; NULL: every shop), in state ("paid",
 * "owed"; NULL: both), with ids after `after`, at most limit (>= 1); the page is cut in
 * the query, so a page costs its rows, not the list. Same ownership. */
struct bl_coupon_page {
    const char *shop, *state;
    int64_t after, limit;
};
int bl_store_coupon_page(struct bl_store *st, int64_t org, const struct bl_coupon_page *q,
                         struct bl_arena *a, struct bl_coupon_listed **out, size_t *n,
                         struct bl_diag *d) BL_MUST_CHECK;

/* The coupons still owed (not paid from the deposit), by shop external id, currency,
 * then id; same ownership as bl_store_coupon_list. */
int bl_store_coupon_owed_list(struct bl_store *st, int64_t org, const char *shop,
                              struct bl_arena *a, struct bl_coupon_listed **out, size_t *n,
                              struct bl_diag *d) BL_MUST_CHECK;

/* A shop's deposit by its external id: *found false when there is no such shop. */
struct bl_coupon_shop {
    int64_t id, deposit;
    char currency[4];
};

int bl_store_coupon_shop(struct bl_store *st, int64_t org, const char *ext,
                         struct bl_coupon_shop *out, bool *found, struct bl_diag *d) BL_MUST_CHECK;

/* Every shop of org by external id, with its name: *out, *ext and *names malloc'd
 * (bl_free each), the strings in a; *n shops. */
int bl_store_coupon_shops(struct bl_store *st, int64_t org, struct bl_arena *a,
                          struct bl_coupon_shop **out, const char ***ext, const char ***names,
                          size_t *n, struct bl_diag *d) BL_MUST_CHECK;

#endif
