/* sales_orders.h - an organisation's daily sales as its orders tell them, for one that
 * imported no daily sales (docs/formats.md, sales; docs/internals/forecast.md).
 *
 * An organisation with any sales_daily row reads those only. One without reads the
 * units of its order lines instead, per SKU and shop, on the day each order was placed
 * in its shop's time zone (shop.tz), cancelled orders left out (cancelled_at set or
 * status 'cancelled'). stock_load_play.c, stock_history.c and catalog.c ask here. */
#ifndef BL_STORE_SALES_ORDERS_H
#define BL_STORE_SALES_ORDERS_H

#include <stdbool.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/store.h"

/* *any: whether org has imported daily sales (a sales_daily row of its own). */
int bl__sales_daily_any(struct bl_store *st, int64_t org, bool *any,
                        struct bl_diag *d) BL_MUST_CHECK;

/* One SKU's units at one shop on one local day, summed over its order lines. */
struct bl__sale {
    int64_t sku_id, shop_id, day, units;
    const char *currency; /* the shop's, in the set's arena */
};

struct bl__sales {
    struct bl__sale *v; /* ordered by sku_id, shop_id, day; bl_malloc'd */
    size_t n;
    struct bl_arena arena; /* the currencies */
};

/* The org's orders placed on local days [from, to) (day numbers; INT64_MIN / INT64_MAX:
 * unbounded), summed into out, SKU sku_id's only when sku_id >= 0. Reads only the orders
 * whose placed_at can fall in the range (a day's margin either side for the zones).
 * BL_ENOTFOUND (with the shop named) when a shop's zone is unknown. Caller owns out;
 * free with bl__sales_release (also after a failure). */
int bl__sales_from_orders(struct bl_store *st, int64_t org, int64_t from, int64_t to,
                          int64_t sku_id, struct bl__sales *out, struct bl_diag *d) BL_MUST_CHECK;
void bl__sales_release(struct bl__sales *s);

#endif
