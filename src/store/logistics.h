/* logistics.h - the logistics tables, typed (store families "channel", "calendar",
 * "shop_policy", "refund", and "lg" for the reads of orders, SKUs, warehouses and
 * disruptions the logistics use cases make).
 *
 * Readers call fn once per row with a typed row; its strings are borrowed for that call
 * only ("" for NULL). fn returns 0 to go on, nonzero to stop (that value is returned).
 * Writers run inside the caller's transaction unless they say otherwise. Every
 * function filters by org. */
#ifndef BL_STORE_LOGISTICS_H
#define BL_STORE_LOGISTICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/store.h"

/* ---- calendar */

struct bl_store_closure {
    const char *calendar;
    int64_t from_day, to_day; /* local days, inclusive */
    int64_t weekend;          /* bit w: weekday w (0 Monday) closed; as stored (0..127) */
};
/* Every closure, by calendar then id. */
int bl_store_calendar_each(struct bl_store *st, int64_t org,
                           int (*fn)(void *ctx, const struct bl_store_closure *c), void *ctx,
                           struct bl_diag *d) BL_MUST_CHECK;

struct bl_store_calendar_sum {
    const char *calendar;
    uint8_t weekend; /* of its latest row */
    int64_t closures, first_day, last_day;
};
/* One summary per calendar, by name. */
int bl_store_calendar_list(struct bl_store *st, int64_t org,
                           int (*fn)(void *ctx, const struct bl_store_calendar_sum *c), void *ctx,
                           struct bl_diag *d) BL_MUST_CHECK;

/* ---- channel */

struct bl_store_channel {
    int64_t id;
    const char *ext_id, *carrier, *mode, *tier; /* tier "core" | "backup" */
    int64_t transit_min, transit_max;
    bool has_sla;
    int64_t sla_days;
    const char *cutoff, *tz, *calendar, *remedy, *currency; /* cutoff, calendar, remedy:
                                                             * NULL when NULL */
    int64_t vol_divisor;                                    /* 0: none */
    int64_t nlanes, nrates;                                 /* bl_store_channel_list only */
};
/* Every channel, by id (nlanes, nrates 0). */
int bl_store_channel_each(struct bl_store *st, int64_t org,
                          int (*fn)(void *ctx, const struct bl_store_channel *c), void *ctx,
                          struct bl_diag *d) BL_MUST_CHECK;
/* Every channel with its counts of lanes and rates, by tier then ext_id. */
int bl_store_channel_list(struct bl_store *st, int64_t org,
                          int (*fn)(void *ctx, const struct bl_store_channel *c), void *ctx,
                          struct bl_diag *d) BL_MUST_CHECK;

struct bl_store_rate {
    int64_t channel_id;
    const char *origin, *destination;
    int64_t min_g, max_g, base, per_kg;
};
/* Every rate, by channel id then line. */
int bl_store_channel_rates(struct bl_store *st, int64_t org,
                           int (*fn)(void *ctx, const struct bl_store_rate *r), void *ctx,
                           struct bl_diag *d) BL_MUST_CHECK;
/* Every distinct lane (origin, destination of the rate), by destination then origin. */
int bl_store_channel_lanes(struct bl_store *st, int64_t org,
                           int (*fn)(void *ctx, const char *origin, const char *destination),
                           void *ctx, struct bl_diag *d) BL_MUST_CHECK;

/* ---- shop_policy */

struct bl_store_shop_policy {
    int64_t shop_id;
    const char *shop;         /* ext_id */
    const char *ship_from;    /* the shop's, "" when none */
    const char *route_policy; /* "" when none */
    bool has_share;
    int64_t share_bp;
};
/* Every shop with its policy (defaults as "" and has_share false), by ext_id. */
int bl_store_shop_policy_list(struct bl_store *st, int64_t org,
                              int (*fn)(void *ctx, const struct bl_store_shop_policy *p), void *ctx,
                              struct bl_diag *d) BL_MUST_CHECK;
/* The shop whose ext_id is shop: BL_ENOTFOUND (d says "no shop 'X'") when none. */
int bl_store_shop_policy_get(struct bl_store *st, int64_t org, const char *shop,
                             struct bl_store_shop_policy *out, char *buf, size_t cap,
                             struct bl_diag *d) BL_MUST_CHECK;
/* Upserts a shop's policy; route NULL and share_bp NULL leave those columns as they
 * are. */
int bl_store_shop_policy_set(struct bl_store *st, int64_t org, int64_t shop_id, const char *route,
                             const int64_t *share_bp, int64_t now, struct bl_diag *d) BL_MUST_CHECK;
/* The ship_from most shops use, copied into out ("" when no shop has one). */
int bl_store_shop_policy_common_from(struct bl_store *st, int64_t org, char *out, size_t cap,
                                     struct bl_diag *d) BL_MUST_CHECK;

/* ---- refund */

#define BL_STORE_NO_TIME INT64_MIN

struct bl_store_refund_order {
    int64_t id, shop_id;
    const char *ext_id, *shop, *ship_from, *ship_to, *currency;
    int64_t placed, shipped, picked, delivered, cancelled; /* BL_STORE_NO_TIME: none */
    int64_t amount, weight_g;
    bool has_share;
    int64_t share_bp;
    /* a decision recorded before */
    bool decided;
    const char *decision, *warehouse, *note;
    int64_t refund, threshold;
    bool has_return_cost;
    int64_t return_cost;
};
/* The orders whose ext_id is order (in shop, when shop is not NULL), by shop ext_id. */
int bl_store_refund_orders(struct bl_store *st, int64_t org, const char *order, const char *shop,
                           int (*fn)(void *ctx, const struct bl_store_refund_order *o), void *ctx,
                           struct bl_diag *d) BL_MUST_CHECK;

struct bl_store_refund {
    int64_t order_id, shop_id;
    const char *decision;
    int64_t refund;
    const char *currency;
    const char *warehouse; /* NULL: none */
    bool has_return_cost;
    int64_t return_cost, threshold;
    const char *request; /* NULL: none */
    const char *note;
    int64_t as_of, at, cycle_id;
};
/* Records a decision with an id from the allocator, unless the order has one: *added
 * (may be NULL) says whether it was. Inside the caller's transaction. */
int bl_store_refund_add(struct bl_store *st, int64_t org, const struct bl_store_refund *r,
                        bool *added, struct bl_diag *d) BL_MUST_CHECK;

/* A decision as recorded (the order and shop by their external ids; strings in the
 * caller's arena, NULL where the store has none). */
struct bl_store_refund_row {
    int64_t id;
    const char *order, *shop, *decision, *currency, *warehouse, *request, *note;
    int64_t refund, threshold;
    bool has_return_cost;
    int64_t return_cost, as_of, at;
};
/* Which: of a shop (its external id; NULL or "": every shop), ids after `after`, at
 * most limit (0: all). */
struct bl_store_refund_q {
    const char *shop;
    int64_t after, limit;
};
/* The decisions recorded, by id (refund_list.c); *out bl_free'd by the caller. */
int bl_store_refund_list(struct bl_store *st, int64_t org, const struct bl_store_refund_q *q,
                         struct bl_arena *a, struct bl_store_refund_row **out, size_t *n,
                         struct bl_diag *d) BL_MUST_CHECK;

/* ---- lg: what the logistics use cases read from other tables */

struct bl_store_lg_warehouse {
    const char *ext_id, *region;
};
/* Every overseas warehouse, by ext_id. */
int bl_store_lg_overseas(struct bl_store *st, int64_t org,
                         int (*fn)(void *ctx, const struct bl_store_lg_warehouse *w), void *ctx,
                         struct bl_diag *d) BL_MUST_CHECK;

struct bl_store_lg_disruption {
    const char *ext_id; /* the user's id, else the store's number as text ("3") */
    const char *kind, *region, *scope, *channel, *supplier;
    int64_t starts_at, ends_at; /* ends_at already cut short by lifted_at */
};
/* Every disruption, by id. */
int bl_store_lg_disruptions(struct bl_store *st, int64_t org,
                            int (*fn)(void *ctx, const struct bl_store_lg_disruption *x), void *ctx,
                            struct bl_diag *d) BL_MUST_CHECK;

struct bl_store_lg_open_order {
    const char *ext_id, *shop, *ship_from, *ship_to, *shop_tz, *route_policy;
    int64_t placed;
    bool has_promise;
    int64_t promised, weight_g;
};
/* The orders open as of as_of (placed by then; not shipped, picked up, delivered or
 * cancelled by then), by placed_at then id; only the one whose ext_id is only, when
 * only is not NULL. */
int bl_store_lg_open_orders(struct bl_store *st, int64_t org, int64_t as_of, const char *only,
                            int (*fn)(void *ctx, const struct bl_store_lg_open_order *o), void *ctx,
                            struct bl_diag *d) BL_MUST_CHECK;

/* An approved reroute (action kind reroute, state applied: a what-if's plan): the shop's
 * orders on a lane channel `from` serves go by channel `to` on the days [from_day,
 * until_day). Every one, by action id. */
struct bl_store_lg_reroute {
    int64_t action;
    const char *shop, *from, *to; /* ext ids */
    int64_t from_day, until_day;
};
int bl_store_lg_reroutes(struct bl_store *st, int64_t org,
                         int (*fn)(void *ctx, const struct bl_store_lg_reroute *x), void *ctx,
                         struct bl_diag *d) BL_MUST_CHECK;

struct bl_store_lg_breach {
    int64_t order_id, shop_id;
    const char *ext_id, *shop, *channel, *ship_from, *ship_to, *remedy;
    int64_t shipped, delivered; /* delivered BL_STORE_NO_TIME: not delivered */
    int64_t weight_g, sla_days;
    bool claimed; /* the ledger holds sla:<order id> */
};
/* Shipments past their channel's SLA as of as_of (shipped, SLA days passed by as_of,
 * not delivered by the deadline, not cancelled), by shipped_at then id. */
int bl_store_lg_sla_breaches(struct bl_store *st, int64_t org, int64_t as_of,
                             int (*fn)(void *ctx, const struct bl_store_lg_breach *b), void *ctx,
                             struct bl_diag *d) BL_MUST_CHECK;

struct bl_store_lg_delivery {
    const char *ship_from, *ship_to; /* ship_from: the order's, else the shop's */
    int64_t handed, delivered, weight_g;
};
/* Every delivered, not cancelled order with a hand-over instant, by id. */
int bl_store_lg_deliveries(struct bl_store *st, int64_t org,
                           int (*fn)(void *ctx, const struct bl_store_lg_delivery *x), void *ctx,
                           struct bl_diag *d) BL_MUST_CHECK;

struct bl_store_lg_sku {
    const char *ext_id;
    bool has_weight;
    int64_t weight_g, dims_mm[3];
    int64_t handling_min, handling_max;
};
/* Every SKU (or only the one whose ext_id is only), by ext_id. */
int bl_store_lg_skus(struct bl_store *st, int64_t org, const char *only,
                     int (*fn)(void *ctx, const struct bl_store_lg_sku *k), void *ctx,
                     struct bl_diag *d) BL_MUST_CHECK;

struct bl_store_lg_weight {
    int64_t order_id, weight_g; /* the sum over its lines of qty x the SKU's weight; 0: unknown */
};
/* Every order placed after `since`, with its weight, by id (the what-if's freight). */
int bl_store_lg_order_weights(struct bl_store *st, int64_t org, int64_t since,
                              int (*fn)(void *ctx, const struct bl_store_lg_weight *x), void *ctx,
                              struct bl_diag *d) BL_MUST_CHECK;

#endif
