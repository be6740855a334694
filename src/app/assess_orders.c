/* assess_orders.c - the orders that count against each rule of one shop (assess.h,
 * bl_app_assess_orders): the engine's verdict per order and rule window. */
#include <stdlib.h>
#include <string.h>

#include "app/assess_run.h"
#include "store/orders.h"

static bool known(int64_t t, int64_t as_of)
{
    return t != BL_NO_TIME && t <= as_of;
}

/* Whether order i's verdict v counts against a rule on metric m; what and when. */
static bool against(const struct bl_assess_orders *o, size_t i, const struct bl_verdict *v,
                    enum bl_metric m, int64_t as_of, int64_t pickup_secs,
                    struct bl_app_failing_order *f)
{
    f->at = BL_NO_TIME;
    switch (m) {
    case BL_M_LATE_SHIPMENT:
    case BL_M_ON_TIME:
        if (!(v->counted && v->late))
            return false;
        f->why = v->shipped ? BL_APP_FAIL_SHIPPED_LATE : BL_APP_FAIL_NOT_SHIPPED;
        f->due = o->ship_by[i];
        f->at = v->shipped ? o->shipped[i] : BL_NO_TIME;
        return true;
    case BL_M_PICKUP_ANOMALY:
    case BL_M_VALID_TRACKING:
        if (!(v->counted && v->shipped && v->pickup_anomaly))
            return false;
        f->why = known(o->picked_up[i], as_of) ? BL_APP_FAIL_PICKUP_LATE : BL_APP_FAIL_NO_PICKUP;
        f->due = o->shipped[i] + pickup_secs;
        f->at = f->why == BL_APP_FAIL_PICKUP_LATE ? o->picked_up[i] : BL_NO_TIME;
        return true;
    case BL_M_LATE_DELIVERY:
        if (!(v->delivery_counted && v->delivered_late))
            return false;
        f->why =
            known(o->delivered[i], as_of) ? BL_APP_FAIL_DELIVERED_LATE : BL_APP_FAIL_NOT_DELIVERED;
        f->due = o->promised[i];
        f->at = f->why == BL_APP_FAIL_DELIVERED_LATE ? o->delivered[i] : BL_NO_TIME;
        return true;
    case BL_M_CANCEL:
        if (!v->seller_cancel)
            return false;
        f->why = BL_APP_FAIL_SELLER_CANCEL;
        f->due = o->placed[i];
        f->at = o->cancelled[i];
        return true;
    case BL_M__COUNT:
        break;
    }
    return false;
}

/* Whether order i's verdict v exempts it from a rule on metric m; why and the promise. */
static bool exempt_from(const struct bl_assess_orders *o, size_t i, const struct bl_verdict *v,
                        enum bl_metric m, struct bl_app_exempt_order *x)
{
    switch (m) {
    case BL_M_LATE_SHIPMENT:
    case BL_M_ON_TIME:
    case BL_M_PICKUP_ANOMALY:
    case BL_M_VALID_TRACKING:
        *x = (struct bl_app_exempt_order){NULL, v->why, v->cause_id, o->ship_by[i]};
        return v->due && v->exempt;
    case BL_M_LATE_DELIVERY:
        *x = (struct bl_app_exempt_order){NULL, v->delivery_why, v->delivery_cause_id,
                                          o->promised[i]};
        return v->delivery_due && v->delivery_exempt;
    default:
        return false;
    }
}

struct cand {
    size_t i; /* the order's index in the snapshot */
    struct bl_app_failing_order f;
    struct bl_app_exempt_order x;
};

static int by_promise_desc(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    if (x->x.due != y->x.due)
        return x->x.due > y->x.due ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* The latest promise first, then the order's index. */
static int by_due_desc(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    if (x->f.due != y->f.due)
        return x->f.due > y->f.due ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

static int ext_row(void *ctx, const struct bl_order_row *o)
{
    struct bl_arena *a = ((void **)ctx)[0];
    const char **out = ((void **)ctx)[1];
    *out = bl_arena_strndup(a, o->ext_id, strlen(o->ext_id));
    return *out ? 0 : BL_ENOMEM;
}

/* The external id of snapshot order i into *out (in a). */
static int ext_of(struct bl__arun *r, size_t i, struct bl_arena *a, const char **out,
                  struct bl_diag *d)
{
    *out = NULL;
    void *ctx[2] = {a, (void *)out};
    int rc = bl_store_orders_get(r->st, r->org, r->snap->order_id[i], ext_row, ctx, d);
    if (!rc && !*out)
        *out = "";
    return rc;
}

/* Rule q's exempt orders of shop s (orders [first, end)) into ro. */
static int rule_exempt(struct bl__arun *r, size_t p, size_t q, size_t first, size_t end,
                       size_t limit, struct cand *c, struct bl_app_rule_orders *ro,
                       struct bl_arena *a, struct bl_diag *d)
{
    const struct bl_profile *pr = &r->prof[p];
    const struct bl_assess_orders *o = &r->snap->orders;
    int w = pr->rules[q].window_days ? pr->rules[q].window_days : r->window[p];
    size_t n = 0;
    for (size_t i = first; i < end; i++) {
        struct bl_verdict v;
        bl_assess_order(r->ctx, o, i, pr, r->as_of, w, &v);
        c[n].i = i;
        n += exempt_from(o, i, &v, pr->rules[q].metric, &c[n].x);
    }
    qsort(c, n, sizeof(*c), by_promise_desc);
    ro->exempt_total = (int64_t)n;
    ro->nexempt = n < limit ? n : limit;
    ro->exempt = bl_arena_alloc(a, (ro->nexempt + 1) * sizeof(*ro->exempt));
    if (!ro->exempt)
        return bl_diag_set(d, BL_ENOMEM, "assess: out of memory");
    int rc = BL_OK;
    for (size_t k = 0; !rc && k < ro->nexempt; k++) {
        ro->exempt[k] = c[k].x;
        rc = ext_of(r, c[k].i, a, &ro->exempt[k].order, d);
    }
    return rc;
}

/* Rule q's orders of shop s (orders [first, end)) into ro. */
static int rule_orders(struct bl__arun *r, size_t p, size_t q, size_t first, size_t end,
                       size_t limit, struct cand *c, struct bl_app_rule_orders *ro,
                       struct bl_arena *a, struct bl_diag *d)
{
    const struct bl_profile *pr = &r->prof[p];
    const struct bl_assess_orders *o = &r->snap->orders;
    int w = pr->rules[q].window_days ? pr->rules[q].window_days : r->window[p];
    size_t n = 0;
    for (size_t i = first; i < end; i++) {
        struct bl_verdict v;
        bl_assess_order(r->ctx, o, i, pr, r->as_of, w, &v);
        c[n].i = i;
        n += against(o, i, &v, pr->rules[q].metric, r->as_of, pr->pickup_secs, &c[n].f);
    }
    qsort(c, n, sizeof(*c), by_due_desc);
    ro->total = (int64_t)n;
    ro->n = n < limit ? n : limit;
    ro->v = bl_arena_alloc(a, (ro->n + 1) * sizeof(*ro->v));
    if (!ro->v)
        return bl_diag_set(d, BL_ENOMEM, "assess: out of memory");
    int rc = BL_OK;
    for (size_t k = 0; !rc && k < ro->n; k++) {
        ro->v[k] = c[k].f;
        rc = ext_of(r, c[k].i, a, &ro->v[k].order, d);
    }
    return rc;
}

int bl_app_assess_orders(struct bl_store *st, int64_t org,
                         const struct bl_app_assess_orders_req *req,
                         struct bl_app_assess_orders_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 1u << 12);
    struct bl__arun r;
    struct bl__arun_req q = {req->as_of, req->profile, req->window, req->shop,
                             false,      false,        req->snap, 0};
    int rc = bl__arun_open(st, org, &q, &r, d);
    if (rc) {
        res->problem = r.problem;
        return rc;
    }
    int64_t s = bl_snapshot_shop_by_ext(r.snap, req->shop);
    int32_t p = s >= 0 ? r.shop_prof[s] : -1;
    if (p < 0) {
        res->problem = BL_APP_ASSESS_UNKNOWN_SHOP;
        rc = bl_diag_set(d, BL_ENOTFOUND, "%s: the shop's profile does not exist", req->shop);
        bl__arun_close(&r);
        return rc;
    }
    const struct bl_profile *pr = &r.prof[p];
    size_t first = r.snap->shop_off[s], end = r.snap->shop_off[s + 1];
    struct cand *c = bl_calloc(end - first + 1, sizeof(*c));
    res->shop = bl_arena_strndup(&res->arena, req->shop, strlen(req->shop));
    res->profile = bl_arena_strndup(&res->arena, pr->name, strlen(pr->name));
    res->rules = bl_arena_alloc(&res->arena, (pr->nrules + 1) * sizeof(*res->rules));
    if (!c || !res->shop || !res->profile || !res->rules)
        rc = bl_diag_set(d, BL_ENOMEM, "assess: out of memory");
    for (size_t k = 0; !rc && k < pr->nrules; k++, res->nrules++) {
        res->rules[k].metric = pr->rules[k].metric;
        res->rules[k].window_days = pr->rules[k].window_days ? pr->rules[k].window_days
                                                             : r.window[p];
        rc = rule_orders(&r, (size_t)p, k, first, end, req->limit, c, &res->rules[k], &res->arena,
                         d);
        if (!rc && req->exempt)
            rc = rule_exempt(&r, (size_t)p, k, first, end, req->limit, c, &res->rules[k],
                             &res->arena, d);
    }
    bl_free(c);
    bl__arun_close(&r);
    return rc;
}

void bl_app_assess_orders_release(struct bl_app_assess_orders_res *res)
{
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}
