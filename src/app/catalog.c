/* catalog.c - the SKUs and the stock on hand, a page at a time (catalog.h). */
#include "app/catalog.h"

#include <string.h>

#include "ballast/playbook.h"

int bl_app_skus(struct bl_store *st, int64_t org, const struct bl_app_skus_req *req,
                struct bl_app_skus_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 1 << 14);
    int64_t state;
    if (req->listing && bl_pb_listing_parse(req->listing, &state)) {
        res->reason = BL_APP_CATALOG_BAD_LISTING;
        return bl_diag_set(d, BL_EINVAL,
                           "listing '%.60s': expected active, inactive, out_of_stock or delisted",
                           req->listing);
    }
    return bl_store_catalog_skus(st, org, req->listing, req->after, req->limit, &res->arena,
                                 &res->rows, &res->n, d);
}

void bl_app_skus_res_release(struct bl_app_skus_res *res)
{
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}

/* BL_ENOTFOUND (res->reason set) when a filter names nothing the organisation has. */
static int check_filter(struct bl_store *st, int64_t org, const char *what, const char *ext,
                        struct bl_app_stock_res *res, struct bl_diag *d)
{
    bool found = true;
    int rc = ext ? bl_store_catalog_has(st, org, what, ext, &found, d) : BL_OK;
    if (rc || found)
        return rc;
    bool sku = strcmp(what, "sku") == 0;
    res->reason = sku ? BL_APP_CATALOG_UNKNOWN_SKU : BL_APP_CATALOG_UNKNOWN_WAREHOUSE;
    return bl_diag_set(d, BL_ENOTFOUND, "no %s '%.60s' in the store", sku ? "SKU" : "warehouse",
                       ext);
}

int bl_app_stock_list(struct bl_store *st, int64_t org, const struct bl_app_stock_req *req,
                      struct bl_app_stock_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 1 << 14);
    int rc = check_filter(st, org, "sku", req->sku, res, d);
    if (!rc)
        rc = check_filter(st, org, "warehouse", req->warehouse, res, d);
    struct bl_catalog_stock *rows = NULL;
    size_t n = 0;
    if (!rc)
        rc = bl_store_catalog_stock(st, org, req->sku, req->warehouse, req->after_sku,
                                    req->after_wh, req->limit, &res->arena, &rows, &n, d);
    if (!rc && n) {
        res->rows = bl_arena_alloc(&res->arena, n * sizeof(*res->rows));
        if (!res->rows)
            return bl_diag_set(d, BL_ENOMEM, "stock: out of memory");
    }
    for (size_t i = 0; !rc && i < n; i++) {
        res->rows[i].s = rows[i];
        if (__builtin_sub_overflow(rows[i].on_hand, rows[i].reserved, &res->rows[i].available))
            rc = bl_diag_set(d, BL_EOVERFLOW,
                             "stock of SKU '%.60s' in warehouse '%.60s': on hand "
                             "less reserved does not fit in 64 bits",
                             rows[i].sku, rows[i].warehouse);
        else
            res->n++;
    }
    return rc;
}

void bl_app_stock_res_release(struct bl_app_stock_res *res)
{
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}
