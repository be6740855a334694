/* assess_explain.c - why one order counts or not (assess.h, bl_app_assess_explain). */
#include <string.h>

#include "app/assess_run.h"
#include "store/assessment.h"

static const char *dup(struct bl_arena *a, const char *s)
{
    return bl_arena_strndup(a, s ? s : "", s ? strlen(s) : 0);
}

/* The record behind an exemption, if the verdict has one. */
static int cause(struct bl__arun *r, enum bl_why why, int64_t id, struct bl_arena *a,
                 struct bl_app_explain_cause *c, struct bl_diag *d)
{
    memset(c, 0, sizeof(*c));
    c->id = id;
    c->kind = c->region = c->scope = c->note = c->reason = "";
    if (why == BL_WHY_PROTECTION) {
        struct bl_assessment_protection p;
        int rc = bl_store_assessment_protection(r->st, r->org, id, a, &p, &c->found, d);
        c->starts = p.starts_at;
        c->ends = p.ends_at;
        c->reason = p.reason;
        return rc;
    }
    if (why != BL_WHY_DISRUPTION_ORIGIN && why != BL_WHY_DISRUPTION_DESTINATION)
        return BL_OK;
    struct bl_assessment_disruption x;
    int rc = bl_store_assessment_disruption(r->st, r->org, id, a, &x, &c->found, d);
    c->kind = x.kind;
    c->region = x.region;
    c->scope = x.scope;
    c->note = x.note;
    c->starts = x.starts_at;
    c->ends = x.lifted && x.lifted_at < x.ends_at ? x.lifted_at : x.ends_at;
    return rc;
}

/* The order's index in the snapshot, or a problem. */
static int find(struct bl__arun *r, const struct bl_app_explain_req *req,
                struct bl_app_explain_res *res, size_t *at, struct bl_diag *d)
{
    int64_t only = req->shop ? bl_snapshot_shop_by_ext(r->snap, req->shop) : -1;
    int64_t id = 0, n = 0;
    int rc = bl_store_assessment_find_order(r->st, r->org, req->order,
                                            only >= 0 ? r->snap->shops[only].id : 0, &id, &n, d);
    if (rc)
        return rc;
    bl_diag_at(d, NULL, 0, "order");
    if (n == 0) {
        res->problem = BL_APP_ASSESS_NO_SUCH_ORDER;
        return bl_diag_set(d, BL_ENOTFOUND, "%s: no such order%s", req->order,
                           only >= 0 ? " in that shop" : "");
    }
    if (n > 1) {
        res->problem = BL_APP_ASSESS_ORDER_AMBIGUOUS;
        res->matches = n;
        return bl_diag_set(d, BL_ECONFLICT, "%s: %lld shops have an order with this id", req->order,
                           (long long)n);
    }
    int64_t i = bl_snapshot_order(r->snap, id);
    if (i < 0) {
        res->problem = BL_APP_ASSESS_ORDER_OUT_OF_RANGE;
        return bl_diag_set(d, BL_ENOTFOUND,
                           "%s: placed after the as-of, or too old to count in any window of "
                           "this assessment",
                           req->order);
    }
    bl_diag_clear(d);
    *at = (size_t)i;
    return BL_OK;
}

static int fill(struct bl__arun *r, size_t i, int q, struct bl_app_explain_res *res,
                struct bl_diag *d)
{
    const struct bl_snapshot *s = r->snap;
    const struct bl_assess_orders *o = &s->orders;
    struct bl_arena *a = &res->arena;
    const char *from = bl_regions_name(s->regions, o->from[i]);
    const char *to = bl_regions_name(s->regions, o->to[i]);
    res->shop = dup(a, s->shops[o->shop[i]].ext);
    res->profile = dup(a, r->prof[q].name);
    res->ship_from = dup(a, from);
    res->ship_to = dup(a, to);
    if (!res->shop || !res->profile || !res->ship_from || !res->ship_to)
        return bl_diag_set(d, BL_ENOMEM, "explain: out of memory");
    res->placed = o->placed[i];
    res->ship_by = o->ship_by[i];
    res->shipped = o->shipped[i];
    res->picked_up = o->picked_up[i];
    res->promised = o->promised[i];
    res->delivered = o->delivered[i];
    res->cancelled = o->cancelled[i];
    res->window = r->window[q];
    bl_assess_order(r->ctx, o, i, &r->prof[q], r->as_of, res->window, &res->v);
    int rc = cause(r, res->v.why, res->v.cause_id, a, &res->shipment, d);
    if (!rc)
        rc = cause(r, res->v.delivery_why, res->v.delivery_cause_id, a, &res->delivery, d);
    return rc;
}

int bl_app_assess_explain(struct bl_store *st, int64_t org, const struct bl_app_explain_req *req,
                          struct bl_app_explain_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 1u << 12);
    res->as_of = req->as_of;
    if (!(res->order = dup(&res->arena, req->order)))
        return bl_diag_set(d, BL_ENOMEM, "explain: out of memory");
    struct bl__arun r;
    struct bl__arun_req q = {req->as_of, req->profile, req->window, req->shop,
                             false,      true,         req->snap, 0};
    int rc = bl__arun_open(st, org, &q, &r, d);
    if (rc) {
        res->problem = r.problem;
        return rc;
    }
    size_t i = 0;
    rc = find(&r, req, res, &i, d);
    int p = 0;
    if (!rc && !req->profile &&
        (p = bl__arun_profile(&r, r.snap->shops[r.snap->orders.shop[i]].profile)) < 0)
        rc = bl_diag_set(d, BL_ENOTFOUND, "the order's shop has no profile");
    if (!rc)
        rc = fill(&r, i, p, res, d);
    bl__arun_close(&r);
    return rc;
}

void bl_app_explain_res_release(struct bl_app_explain_res *res)
{
    bl_arena_release(&res->arena);
}
