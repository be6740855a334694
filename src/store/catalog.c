/* catalog.c - SKUs and stock on hand, a page at a time (catalog.h). */
#include "store/catalog.h"

#include <stdlib.h>
#include <string.h>

#include "store/load.h"
#include "store/sales_orders.h"

static int64_t opt(const struct bl_row *r, size_t col)
{
    return bl_row_int_or(r, col, BL_CATALOG_NONE);
}

static int sku_row(void *ctx, const struct bl_row *r)
{
    struct bl__load *l = ctx;
    struct bl_catalog_sku *x = bl__load_next(l);
    if (!x)
        return 0;
    x->id = bl_row_int(r, 0);
    x->ext_id = bl__load_keep_or_empty(l, r, 1);
    x->name = bl__load_keep_or_empty(l, r, 2);
    x->category = bl__load_keep(l, r, 3);
    x->weight_g = opt(r, 4);
    x->length_mm = opt(r, 5);
    x->width_mm = opt(r, 6);
    x->height_mm = opt(r, 7);
    x->price = opt(r, 8);
    x->currency = bl__load_keep(l, r, 9);
    x->handling_min = bl_row_int(r, 10);
    x->handling_max = bl_row_int(r, 11);
    x->listing = bl__load_keep_or_empty(l, r, 12);
    x->promoted = bl_row_int(r, 13) != 0;
    x->price_review = bl__load_keep_or_empty(l, r, 14);
    x->promo_spend = opt(r, 15);
    return 0;
}

/* Copies the loaded items into the arena (the loader's array is bl_malloc'd). */
static int keep_items(struct bl__load *l, struct bl_arena *a, size_t n, void **out,
                      struct bl_diag *d)
{
    *out = NULL;
    if (n) {
        *out = bl_arena_alloc(a, n * l->size);
        if (*out)
            memcpy(*out, l->items, n * l->size);
    }
    bl_free(l->items);
    return n && !*out ? bl_diag_set(d, BL_ENOMEM, "listing: out of memory") : BL_OK;
}

int bl_store_catalog_skus(struct bl_store *st, int64_t org, const char *listing, int64_t after,
                          int64_t limit, struct bl_arena *a, struct bl_catalog_sku **out, size_t *n,
                          struct bl_diag *d)
{
    struct bl__load l = BL__LOAD(a, struct bl_catalog_sku);
    struct bl_val p[4] = {bl_val_int(org), bl_val_text(bl_str_c(listing ? listing : "")),
                          bl_val_int(after), bl_val_int(limit < 0 ? INT64_MAX : limit)};
    int rc = bl__load_run(st,
                          "SELECT id, ext_id, name, category, weight_g, length_mm, width_mm, "
                          "height_mm, price, currency, handling_min, handling_max, listing, "
                          "promoted, price_review, promo_spend FROM sku WHERE org_id = $1 "
                          "AND ($2 = '' OR listing = $2) AND id > $3 ORDER BY id LIMIT $4",
                          p, 4, sku_row, &l, n, d);
    *out = NULL;
    return rc ? rc : keep_items(&l, a, *n, (void **)out, d);
}

static int stock_row(void *ctx, const struct bl_row *r)
{
    struct bl__load *l = ctx;
    struct bl_catalog_stock *x = bl__load_next(l);
    if (!x)
        return 0;
    x->sku_id = bl_row_int(r, 0);
    x->warehouse_id = bl_row_int(r, 1);
    x->sku = bl__load_keep_or_empty(l, r, 2);
    x->warehouse = bl__load_keep_or_empty(l, r, 3);
    x->warehouse_name = bl__load_keep_or_empty(l, r, 4);
    x->region = bl__load_keep_or_empty(l, r, 5);
    x->kind = bl__load_keep_or_empty(l, r, 6);
    x->on_hand = bl_row_int(r, 7);
    x->reserved = bl_row_int(r, 8);
    x->counted_at = bl_row_int(r, 9);
    return 0;
}

int bl_store_catalog_stock(struct bl_store *st, int64_t org, const char *sku, const char *warehouse,
                           int64_t after_sku, int64_t after_wh, int64_t limit, struct bl_arena *a,
                           struct bl_catalog_stock **out, size_t *n, struct bl_diag *d)
{
    struct bl__load l = BL__LOAD(a, struct bl_catalog_stock);
    struct bl_val p[6] = {bl_val_int(org),
                          bl_val_text(bl_str_c(sku ? sku : "")),
                          bl_val_text(bl_str_c(warehouse ? warehouse : "")),
                          bl_val_int(after_sku),
                          bl_val_int(after_wh),
                          bl_val_int(limit < 0 ? INT64_MAX : limit)};
    int rc = bl__load_run(st,
                          "SELECT t.sku_id, t.warehouse_id, k.ext_id, w.ext_id, w.name, w.region, "
                          "w.kind, t.on_hand, t.reserved, t.counted_at FROM stock t "
                          "JOIN sku k ON k.org_id = t.org_id AND k.id = t.sku_id "
                          "JOIN warehouse w ON w.org_id = t.org_id AND w.id = t.warehouse_id "
                          "WHERE t.org_id = $1 AND ($2 = '' OR k.ext_id = $2) "
                          "AND ($3 = '' OR w.ext_id = $3) "
                          "AND (t.sku_id > $4 OR (t.sku_id = $4 AND t.warehouse_id > $5)) "
                          "ORDER BY t.sku_id, t.warehouse_id LIMIT $6",
                          p, 6, stock_row, &l, n, d);
    *out = NULL;
    return rc ? rc : keep_items(&l, a, *n, (void **)out, d);
}

int bl_store_catalog_has(struct bl_store *st, int64_t org, const char *what, const char *ext_id,
                         bool *found, struct bl_diag *d)
{
    struct bl_val p[2] = {bl_val_int(org), bl_val_text(bl_str_c(ext_id))};
    int64_t n = 0;
    int rc = bl_store_query_int(st,
                                strcmp(what, "warehouse") == 0
                                    ? "SELECT COUNT(*) FROM warehouse WHERE org_id = $1 "
                                      "AND ext_id = $2"
                                    : "SELECT COUNT(*) FROM sku WHERE org_id = $1 AND ext_id = $2",
                                p, 2, &n, d);
    *found = !rc && n > 0;
    return rc;
}

struct sales_ctx {
    bl_catalog_sales_fn fn;
    void *ctx;
};

static int sales_row(void *vctx, const struct bl_row *r)
{
    struct sales_ctx *c = vctx;
    return c->fn(c->ctx, bl_row_int(r, 0), bl_row_int(r, 1),
                 !bl_row_isnull(r, 2) && bl_row_int(r, 2) == 0);
}

static int cmp_day(const void *va, const void *vb)
{
    const struct bl__sale *a = va, *b = vb;
    return a->day < b->day ? -1 : a->day > b->day;
}

/* The SKU's days from its orders (the org imported no daily sales), over its shops. */
static int sales_from_orders(struct bl_store *st, int64_t org, const char *sku, int64_t from,
                             int64_t to, bl_catalog_sales_fn fn, void *ctx, struct bl_diag *d)
{
    struct bl_val p[2] = {bl_val_int(org), bl_val_text(bl_str_c(sku))};
    int64_t id = -1;
    int rc = bl_store_query_int(st, "SELECT id FROM sku WHERE org_id = $1 AND ext_id = $2", p, 2,
                                &id, d);
    if (rc == BL_ENOTFOUND) { /* no such SKU: no sales, as sales_daily says */
        bl_diag_clear(d);
        return BL_OK;
    }
    struct bl__sales o;
    memset(&o, 0, sizeof(o));
    if (!rc)
        rc = bl__sales_from_orders(st, org, from, to, id, &o, d);
    if (!rc && o.n)
        qsort(o.v, o.n, sizeof(*o.v), cmp_day);
    for (size_t i = 0; !rc && i < o.n;) {
        int64_t units = 0;
        size_t j = i;
        for (; j < o.n && o.v[j].day == o.v[i].day; j++)
            units += o.v[j].units; /* a SKU's day at each shop: no overflow */
        rc = fn(ctx, o.v[i].day, units, false);
        i = j;
    }
    bl__sales_release(&o);
    return rc;
}

int bl_store_catalog_sales(struct bl_store *st, int64_t org, const char *sku, int64_t from,
                           int64_t to, bl_catalog_sales_fn fn, void *ctx, struct bl_diag *d)
{
    bool any = false;
    int rc = bl__sales_daily_any(st, org, &any, d);
    if (rc || !any)
        return rc ? rc : sales_from_orders(st, org, sku, from, to, fn, ctx, d);
    struct sales_ctx c = {fn, ctx};
    struct bl_val p[4] = {bl_val_int(org), bl_val_text(bl_str_c(sku)), bl_val_int(from),
                          bl_val_int(to)};
    return bl_store_query(st,
                          "SELECT s.day, SUM(s.units), MIN(s.in_stock) FROM sales_daily s "
                          "JOIN sku k ON k.org_id = s.org_id AND k.id = s.sku_id "
                          "WHERE s.org_id = $1 AND k.ext_id = $2 AND s.day >= $3 AND s.day < $4 "
                          "GROUP BY s.day ORDER BY s.day",
                          p, 4, sales_row, &c, d);
}
