/* sales.c - one SKU's daily sales over a span of days (catalog.h, bl_app_sales): the
 * history a forecast stands on, for a chart beside the forecast. */
#include <string.h>

#include "app/catalog.h"

static int sales_day(void *ctx, int64_t day, int64_t units, bool out)
{
    struct bl_app_sales_res *res = ctx;
    if (day < res->first_day || day - res->first_day >= (int64_t)res->ndays)
        return 0;
    size_t i = (size_t)(day - res->first_day);
    res->units[i] = units;
    res->out[i] = out;
    res->days_out += out;
    return __builtin_add_overflow(res->total, units, &res->total) ? BL_EOVERFLOW : 0;
}

int bl_app_sales(struct bl_store *st, int64_t org, const struct bl_app_sales_req *req,
                 struct bl_app_sales_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 1 << 12);
    if (!req->sku)
        return bl_diag_set(d, BL_EINVAL, "sales: which SKU?");
    if (req->days < 1 || req->days > BL_APP_SALES_MAX_DAYS)
        return bl_diag_set(d, BL_EINVAL, "days: %zu is not from 1 to %d", req->days,
                           BL_APP_SALES_MAX_DAYS);
    bool found = false;
    int rc = bl_store_catalog_has(st, org, "sku", req->sku, &found, d);
    if (rc)
        return rc;
    if (!found) {
        res->reason = BL_APP_CATALOG_UNKNOWN_SKU;
        return bl_diag_set(d, BL_ENOTFOUND, "no SKU '%.60s' in the store", req->sku);
    }
    res->ndays = req->days;
    res->first_day = req->until - (int64_t)req->days;
    res->units = bl_arena_alloc(&res->arena, res->ndays * sizeof(*res->units));
    res->out = bl_arena_alloc(&res->arena, res->ndays * sizeof(*res->out));
    if (!res->units || !res->out)
        return bl_diag_set(d, BL_ENOMEM, "sales: out of memory");
    memset(res->units, 0, res->ndays * sizeof(*res->units));
    memset(res->out, 0, res->ndays * sizeof(*res->out));
    rc = bl_store_catalog_sales(st, org, req->sku, res->first_day, req->until, sales_day, res, d);
    if (rc == BL_EOVERFLOW)
        return bl_diag_set(d, BL_EOVERFLOW, "sales of %.60s: the total passes 64 bits", req->sku);
    return rc;
}

void bl_app_sales_res_release(struct bl_app_sales_res *res)
{
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}
