/* market.c - a marketplace's view over its merchants at once (market.h). */
#include <stdlib.h>
#include <string.h>

#include "app/market.h"

static int by_merchant(const void *x, const void *y)
{
    const struct bl_market_coupons *a = x, *b = y;
    if (a->merchant != b->merchant)
        return a->merchant < b->merchant ? -1 : 1;
    int s = strcmp(a->state, b->state);
    return s ? s : strcmp(a->currency, b->currency);
}

int bl_app_market_coupons(struct bl_store *st, int64_t org, struct bl_app_market_coupons_res *res,
                          struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 1u << 12);
    int rc = bl_app_merchants(st, org, &res->m, d);
    rc = rc ? rc : bl_store_market_coupons(st, org, &res->arena, &res->rows, &res->nrows, d);
    if (rc)
        return rc;
    res->merchants = bl_arena_alloc(&res->arena, (res->m.n + 1) * sizeof(*res->merchants));
    if (!res->merchants)
        return bl_diag_set(d, BL_ENOMEM, "merchants' coupons: out of memory");
    if (res->nrows)
        qsort(res->rows, res->nrows, sizeof(*res->rows), by_merchant);
    for (size_t i = 0; i < res->m.n; i++) {
        struct bl_app_market_merchant *m = &res->merchants[res->nmerchants++];
        *m = (struct bl_app_market_merchant){res->m.items[i].name, 0, 0};
        for (size_t k = 0; k < res->nrows; k++) {
            if (res->rows[k].merchant != res->m.items[i].org)
                continue;
            if (!m->n)
                m->first = k;
            m->n++;
        }
    }
    return BL_OK;
}

void bl_app_market_coupons_res_release(struct bl_app_market_coupons_res *res)
{
    bl_free(res->rows);
    bl_app_merchants_res_release(&res->m);
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}
