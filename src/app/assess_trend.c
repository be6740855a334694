/* assess_trend.c - one shop's rules day by day over a span (assess.h,
 * bl_app_assess_trend): the orders are loaded once, the engine evaluates each day. */
#include <string.h>

#include "app/assess_run.h"

/* The shop's profile in r: its index, or BL_ENOTFOUND with d set. */
static int shop_profile(struct bl__arun *r, const char *shop, size_t *s, int32_t *q,
                        struct bl_diag *d)
{
    int64_t i = bl_snapshot_shop_by_ext(r->snap, shop);
    if (i < 0 || r->shop_prof[i] < 0) {
        r->problem = BL_APP_ASSESS_UNKNOWN_SHOP;
        bl_diag_at(d, NULL, 0, "shop");
        return bl_diag_set(d, BL_ENOTFOUND, "%.60s: %s", shop,
                           i < 0 ? "no shop with that id" : "no rule profile rates this shop");
    }
    *s = (size_t)i;
    *q = r->shop_prof[i];
    return BL_OK;
}

static int copy_out(struct bl__arun *r, int32_t q, const struct bl_assess_day *days,
                    struct bl_app_assess_trend_res *res, struct bl_diag *d)
{
    size_t nr = r->prof[q].nrules ? r->prof[q].nrules : 1;
    struct bl_profile *prof = bl_arena_alloc(&res->arena, sizeof(*prof));
    res->days = bl_arena_alloc(&res->arena, res->ndays * sizeof(*res->days));
    struct bl_rule_result *rr = bl_arena_alloc(&res->arena, res->ndays * nr * sizeof(*rr));
    const char *name = r->prof[q].name;
    res->profile = bl_arena_strndup(&res->arena, name, strlen(name));
    if (!prof || !res->days || !rr || !res->profile)
        return bl_diag_set(d, BL_ENOMEM, "assess trend: out of memory");
    *prof = r->prof[q];
    res->prof = prof;
    res->window = r->window[q];
    for (size_t i = 0; i < res->ndays; i++) {
        res->days[i] = days[i];
        res->days[i].rules = rr + i * nr;
        memcpy(res->days[i].rules, days[i].rules, r->prof[q].nrules * sizeof(*rr));
    }
    return BL_OK;
}

int bl_app_assess_trend(struct bl_store *st, int64_t org, const struct bl_app_assess_trend_req *req,
                        struct bl_app_assess_trend_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 1u << 14);
    if (!req->shop)
        return bl_diag_set(d, BL_EINVAL, "assess trend: which shop?");
    if (req->days < 1 || req->days > BL_APP_TREND_MAX_DAYS)
        return bl_diag_set(d, BL_EINVAL, "days: %zu is not from 1 to %d", req->days,
                           BL_APP_TREND_MAX_DAYS);
    res->ndays = req->days;
    res->shop = bl_arena_strndup(&res->arena, req->shop, strlen(req->shop));
    int64_t back = (int64_t)(req->days - 1) * 86400;
    struct bl__arun r;
    struct bl__arun_req q = {req->as_of, req->profile, req->window, req->shop,
                             false,      false,        NULL,        back};
    int rc = bl__arun_open(st, org, &q, &r, d);
    if (rc) {
        res->problem = r.problem;
        return rc;
    }
    size_t s = 0;
    int32_t p = 0;
    rc = shop_profile(&r, req->shop, &s, &p, d);
    struct bl_assess_day *days = rc ? NULL : bl_arena_alloc(&r.arena, res->ndays * sizeof(*days));
    if (!rc && !days)
        rc = bl_diag_set(d, BL_ENOMEM, "assess trend: out of memory");
    if (!rc)
        rc = bl_assess_trend(r.ctx, &r.snap->orders, &r.prof[p], s, r.snap->nshops,
                             req->as_of - back, res->ndays, r.window[p], &r.arena, days, d);
    if (!rc)
        rc = copy_out(&r, p, days, res, d);
    res->problem = r.problem;
    bl__arun_close(&r);
    return rc;
}

void bl_app_assess_trend_release(struct bl_app_assess_trend_res *res)
{
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}
