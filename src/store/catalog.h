/* catalog.h - the catalogue and the stock on hand, for listing (store family "stock"):
 * SKUs and stock rows a page at a time, in id order (keyset: a page starts after the
 * last key of the one before), filtered by the caller's values.
 *
 * Ownership: the rows and their strings live in the caller's arena. */
#ifndef BL_STORE_CATALOG_H
#define BL_STORE_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/store.h"

/* A SKU of the catalogue. Absent numbers are BL_CATALOG_NONE. */
#define BL_CATALOG_NONE INT64_MIN

struct bl_catalog_sku {
    int64_t id; /* the store's id: the page key */
    const char *ext_id, *name, *category, *currency, *listing, *price_review; /* category,
                                                               currency: NULL when none */
    int64_t weight_g, length_mm, width_mm, height_mm, price; /* price: minor units */
    int64_t handling_min, handling_max;
    bool promoted;
    int64_t promo_spend; /* a day, minor units of currency; BL_CATALOG_NONE when none */
};

/* SKUs with id > after (0: from the first), at most limit (< 0: all), filtered by listing
 * state (NULL: any). */
int bl_store_catalog_skus(struct bl_store *st, int64_t org, const char *listing, int64_t after,
                          int64_t limit, struct bl_arena *a, struct bl_catalog_sku **out, size_t *n,
                          struct bl_diag *d) BL_MUST_CHECK;

/* Stock of one SKU in one warehouse. */
struct bl_catalog_stock {
    int64_t sku_id, warehouse_id; /* the page key, in this order */
    const char *sku, *warehouse, *warehouse_name, *region, *kind;
    int64_t on_hand, reserved, counted_at;
};

/* Stock rows after (after_sku, after_wh) in (sku id, warehouse id) order (0, 0: from the
 * first), at most limit (< 0: all), filtered by SKU and warehouse ext ids (NULL: any). */
int bl_store_catalog_stock(struct bl_store *st, int64_t org, const char *sku, const char *warehouse,
                           int64_t after_sku, int64_t after_wh, int64_t limit, struct bl_arena *a,
                           struct bl_catalog_stock **out, size_t *n,
                           struct bl_diag *d) BL_MUST_CHECK;

/* Whether org has a SKU (what "sku") or a warehouse ("warehouse") with this ext id. */
int bl_store_catalog_has(struct bl_store *st, int64_t org, const char *what, const char *ext_id,
                         bool *found, struct bl_diag *d) BL_MUST_CHECK;

/* One SKU's daily sales from day `from` to day `to` (exclusive), summed over its shops:
 * fn(ctx, day, units, out) per day sold or counted, in day order; out is true when a shop
 * recorded the SKU out of stock that day (in_stock 0). An organisation that imported no
 * daily sales has its orders' units by the day each was placed (sales_orders.h). */
typedef int (*bl_catalog_sales_fn)(void *ctx, int64_t day, int64_t units, bool out);
int bl_store_catalog_sales(struct bl_store *st, int64_t org, const char *sku, int64_t from,
                           int64_t to, bl_catalog_sales_fn fn, void *ctx,
                           struct bl_diag *d) BL_MUST_CHECK;

#endif
