/* market.c - what a marketplace reads over its merchants at once (market.h). */
#include "store/market.h"

#include "store/load.h"

static int coupons_row(void *ctx, const struct bl_row *r)
{
    struct bl__load *l = ctx;
    struct bl_market_coupons *x = bl__load_next(l);
    if (!x)
        return BL_ENOMEM;
    x->merchant = bl_row_int(r, 0);
    x->state = bl__load_keep_or_empty(l, r, 1);
    x->currency = bl__load_keep_or_empty(l, r, 2);
    x->n = bl_row_int(r, 3);
    x->amount = bl_row_int(r, 4);
    return l->rc;
}

int bl_store_market_coupons(struct bl_store *st, int64_t market, struct bl_arena *a,
                            struct bl_market_coupons **out, size_t *n, struct bl_diag *d)
{
    struct bl__load l = BL__LOAD(a, struct bl_market_coupons);
    struct bl_val p = bl_val_int(market);
    int rc = bl__load_run(st,
                          "SELECT c.org_id, c.state, c.currency, COUNT(*), SUM(c.amount)"
                          " FROM org_govern g JOIN coupon c ON c.org_id = g.merchant_id"
                          " WHERE g.org_id = $1 GROUP BY c.org_id, c.state, c.currency"
                          " ORDER BY c.org_id, c.state, c.currency",
                          &p, 1, coupons_row, &l, n, d);
    *out = l.items;
    return rc;
}
