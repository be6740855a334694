/* route.c - routing the open orders as of an instant, each under its shop's policy or
 * an override (or an approved reroute from a what-if's plan), and explaining one order's
 * choice (logistics.h). Read-only. */
#include <string.h>

#include "app/disruption.h"
#include "ballast/time.h"
#include "app/logistics_impl.h"
#include "store/logistics.h"

struct orders_load {
    struct bl_app_route_res *res;
    struct bl_lg_shipment *s;
    const struct bl_lg_policy *forced;
    const char *shop; /* only this shop's orders, or NULL */
    size_t cap, scap;
    int64_t as_of;
    struct bl_diag *d;
};

/* The policy an order routes under: the override, else its shop's, else cheapest. */
static void order_policy(struct bl_app_route_order *o, const char *shop_policy,
                         const struct bl_lg_policy *forced)
{
    o->policy = (struct bl_lg_policy){BL_LG_CHEAPEST, NULL};
    o->policy_from = BL_APP_POLICY_DEFAULT;
    if (forced) {
        o->policy = *forced;
        o->policy_from = BL_APP_POLICY_OVERRIDE;
    } else if (shop_policy[0]) {
        o->policy_from = BL_APP_POLICY_SHOP;
        if (bl_app_route_policy_parse(shop_policy, &o->policy))
            o->policy = (struct bl_lg_policy){BL_LG_CHEAPEST, NULL};
    }
}

static int order_row(void *ctx, const struct bl_store_lg_open_order *r)
{
    struct orders_load *c = ctx;
    struct bl_app_route_res *res = c->res;
    if (c->shop && strcmp(r->shop, c->shop) != 0)
        return 0;
    if (bl_grow((void **)&res->o, &c->cap, res->n + 1, sizeof(*res->o)) ||
        bl_grow((void **)&c->s, &c->scap, res->n + 1, sizeof(*c->s)))
        return BL_ENOMEM;
    struct bl_app_route_order *o = &res->o[res->n];
    struct bl_lg_shipment *s = &c->s[res->n];
    memset(o, 0, sizeof(*o));
    struct bl_arena *a = &res->arena;
    o->order = bl__app_keep(a, r->ext_id);
    o->shop = bl__app_keep(a, r->shop);
    o->from = bl__app_keep(a, r->ship_from);
    o->to = bl__app_keep(a, r->ship_to);
    order_policy(o, bl__app_keep(a, r->route_policy), c->forced);
    const struct bl_tz *tz;
    int rc = bl_app_logistics_tz(res->cat, r->shop_tz, &tz, c->d);
    if (rc)
        return rc;
    const struct bl_lg *lg = res->cat->lg;
    memset(s, 0, sizeof(*s));
    s->from = o->from[0] ? bl_lg_locate(lg, bl_str_c(o->from)) : 0;
    s->to = o->to[0] ? bl_lg_locate(lg, bl_str_c(o->to)) : 0;
    s->weight_g = r->weight_g;
    s->id = o->order;
    s->ship_at = c->as_of > r->placed ? c->as_of : r->placed;
    /* a promise instant at local midnight ends the day before */
    s->by_day = r->has_promise ? bl_tz_local_day(tz, r->promised - 1) : BL_LG_NO_PROMISE;
    o->weight_g = s->weight_g;
    o->ship_at = s->ship_at;
    o->by_day = s->by_day;
    res->n++;
    return 0;
}

static bool same_policy(const struct bl_lg_policy *a, const struct bl_lg_policy *b)
{
    if (a->kind != b->kind)
        return false;
    return a->kind != BL_LG_PREFERRED || strcmp(a->carrier, b->carrier) == 0;
}

/* Routes every order under its own policy: one bl_lg_route call per distinct policy (a
 * handful), so the per-call scratch is still not per order. */
static int route_by_policy(const struct bl_lg *lg, struct bl_app_route_res *res,
                           const struct bl_lg_shipment *all, struct bl_diag *d)
{
    size_t n = res->n;
    uint8_t *done = bl_calloc(n ? n : 1, 1);
    size_t *idx = bl_calloc(n ? n : 1, sizeof(*idx));
    struct bl_lg_shipment *s = bl_calloc(n ? n : 1, sizeof(*s));
    struct bl_lg_route *r = bl_calloc(n ? n : 1, sizeof(*r));
    int rc = done && idx && s && r ? BL_OK : bl_diag_set(d, BL_ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < n; i++) {
        if (done[i])
            continue;
        size_t m = 0;
        for (size_t j = i; j < n; j++)
            if (!done[j] && same_policy(&res->o[j].policy, &res->o[i].policy)) {
                done[j] = 1;
                idx[m] = j;
                s[m++] = all[j];
            }
        rc = bl_lg_route(lg, &res->o[i].policy, s, m, r, d);
        for (size_t k = 0; !rc && k < m; k++)
            res->o[idx[k]].route = r[k];
    }
    bl_free(done);
    bl_free(idx);
    bl_free(s);
    bl_free(r);
    return rc;
}

/* Approved reroutes (a what-if's plan, `ballast actions approve`): the shop's orders
 * handed over on the action's days that the router sends by the suspended channel (or
 * holds, on a lane it serves) go by the other channel when it is available there; the
 * first approved binds an order. */
struct reroutes {
    struct bl_app_route_res *res;
    const struct bl_lg_shipment *s;
    struct bl_lg_option *opt;
    size_t cap;
    struct bl_diag *d;
};

static int32_t lg_index(const struct bl_lg *lg, const char *ext)
{
    for (size_t i = 0; i < bl_lg_nchannels(lg); i++)
        if (strcmp(bl_lg_channel(lg, i)->id, ext) == 0)
            return (int32_t)i;
    return -1;
}

static int reroute_row(void *ctx, const struct bl_store_lg_reroute *x)
{
    struct reroutes *c = ctx;
    const struct bl_lg *lg = c->res->cat->lg;
    int32_t from = lg_index(lg, x->from), to = lg_index(lg, x->to);
    for (size_t i = 0; from >= 0 && to >= 0 && i < c->res->n; i++) {
        struct bl_app_route_order *o = &c->res->o[i];
        int64_t day = o->ship_at >= 0 ? o->ship_at / BL_DAY_SECS
                                      : -((-o->ship_at + BL_DAY_SECS - 1) / BL_DAY_SECS);
        bool on_from = o->route.state == BL_LG_SUSPENDED ||
                       ((o->route.state == BL_LG_ROUTED || o->route.state == BL_LG_LATE) &&
                        o->route.channel == from);
        if (o->action || !on_from || strcmp(o->shop, x->shop) != 0 || day < x->from_day ||
            day >= x->until_day || !c->s[i].from || !c->s[i].to)
            continue; /* only what would go by the suspended channel, or wait for it */
        size_t n = 0;
        int rc = bl_lg_quote(lg, &c->s[i], c->opt, c->cap, &n, c->d);
        if (rc)
            return rc;
        const struct bl_lg_option *by = NULL;
        bool served = false;
        for (size_t k = 0; k < n && k < c->cap; k++) {
            served = served || c->opt[k].channel == from;
            if (c->opt[k].channel == to && c->opt[k].disruption < 0)
                by = &c->opt[k];
        }
        if (!served || !by)
            continue; /* not the suspended channel's lane, or the other one is stopped too */
        o->route = (struct bl_lg_route){to,
                                        -1,
                                        by->price,
                                        by->earliest_day,
                                        by->latest_day,
                                        (uint32_t)n,
                                        by->meets ? BL_LG_ROUTED : BL_LG_LATE};
        o->policy_from = BL_APP_POLICY_ACTION;
        o->action = x->action;
        o->action_until = x->until_day;
    }
    return 0;
}

static int reroute(struct bl_store *st, int64_t org, struct bl_app_route_res *res,
                   const struct bl_lg_shipment *s, struct bl_diag *d)
{
    struct reroutes c = {res, s, NULL, bl_lg_nchannels(res->cat->lg), d};
    if (!res->n || !c.cap)
        return BL_OK;
    if (!(c.opt = bl_calloc(c.cap, sizeof(*c.opt))))
        return bl_diag_set(d, BL_ENOMEM, "route: out of memory");
    int rc = bl_store_lg_reroutes(st, org, reroute_row, &c, d);
    bl_free(c.opt);
    return rc;
}

/* Held orders: the first channel and window after the hold. */
static int after_hold(const struct bl_lg *lg, struct bl_app_route_res *res,
                      const struct bl_lg_shipment *s, struct bl_diag *d)
{
    int rc = BL_OK;
    for (size_t i = 0; !rc && i < res->n; i++)
        if (res->o[i].route.state == BL_LG_SUSPENDED)
            rc = bl_lg_route_resume(lg, &res->o[i].policy, &s[i], &res->o[i].after, d);
    return rc;
}

/* The options and the reason of each (explained) order. */
static int explain(const struct bl_lg *lg, struct bl_app_route_res *res,
                   const struct bl_lg_shipment *s, struct bl_diag *d)
{
    size_t cap = bl_lg_nchannels(lg) ? bl_lg_nchannels(lg) : 1;
    int rc = BL_OK;
    for (size_t i = 0; !rc && i < res->n; i++) {
        struct bl_app_route_order *o = &res->o[i];
        o->opt = bl_calloc(cap, sizeof(*o->opt));
        if (!o->opt)
            return bl_diag_set(d, BL_ENOMEM, "out of memory");
        rc = bl_lg_quote(lg, &s[i], o->opt, cap, &o->nopt, d);
        if (o->nopt > cap)
            o->nopt = cap;
        if (!rc)
            o->why = bl_lg_route_why(lg, &o->policy, &o->route);
    }
    return rc;
}

int bl_app_route(struct bl_store *st, int64_t org, const struct bl_app_route_req *req,
                 struct bl_app_route_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 0);
    int rc = bl__app_lg_use(st, org, req->cat, &res->cat, &res->own_cat, d);
    if (rc)
        return rc;
    struct bl_lg_policy forced;
    if (req->policy) {
        forced = *req->policy;
        if (forced.carrier)
            forced.carrier = bl__app_keep(&res->arena, forced.carrier);
    }
    struct orders_load ol = {.res = res,
                             .forced = req->policy ? &forced : NULL,
                             .shop = req->shop,
                             .as_of = req->as_of,
                             .d = d};
    char tz[64];
    if (req->shop && (rc = bl_app_shop_zone(st, org, req->shop, tz, sizeof(tz), d)))
        return rc;
    rc = bl_store_lg_open_orders(st, org, req->as_of, req->explain, order_row, &ol, d);
    if (rc == BL_ENOMEM && !d->code)
        bl_diag_set(d, rc, "route: out of memory");
    if (!rc && req->explain && res->n == 0)
        rc = bl_diag_set(d, BL_ENOTFOUND, "no open order '%s' as of that instant", req->explain);
    if (!rc)
        rc = route_by_policy(res->cat->lg, res, ol.s, d);
    if (!rc && !req->policy) /* --policy routes every order one way: no reroute binds */
        rc = reroute(st, org, res, ol.s, d);
    if (!rc)
        rc = after_hold(res->cat->lg, res, ol.s, d);
    if (!rc && req->explain)
        rc = explain(res->cat->lg, res, ol.s, d);
    bl_free(ol.s);
    return rc;
}

void bl_app_route_res_release(struct bl_app_route_res *res)
{
    for (size_t i = 0; res->o && i < res->n; i++)
        bl_free(res->o[i].opt);
    bl_free(res->o);
    bl__app_lg_drop(res->cat, res->own_cat);
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}
