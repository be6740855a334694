/* disruption_impact.c - what a disruption touches as of an instant: the orders it
 * holds, the exemptions it gives, the SKUs and listings it reaches, the customers who
 * will be written to (disruption.h, docs/internals/disruption.md). Read-only. */
#include <stdlib.h>
#include <string.h>

#include "app/disruption.h"
#include "app/disruption_impl.h"

#include "ballast/cover.h"
#include "ballast/map.h"
#include "ballast/profile.h"
#include "ballast/region.h"
#include "ballast/time.h"

#define TRANSIT_DAYS 30

struct counts {
    struct bl_app_dis_count *v;
    size_t n, cap;
    struct bl_map ix; /* "shop\x1f channel" -> index */
};

struct ictx {
    struct bl_app_disruption_impact_res *res;
    struct bl_cover_disruption cover;
    struct counts held, exempt;
    struct bl_map customers, skus, profiles; /* profiles: name -> 1 auto-exempt, 0 not */
    struct bl_buf key;
    struct bl_arena keys; /* the maps' keys */
    struct bl_diag *d;
};

static const char *keep(struct bl_arena *a, const char *s, int *rc)
{
    if (!s)
        return NULL;
    char *c = bl_arena_strndup(a, s, strlen(s));
    if (!c)
        *rc = BL_ENOMEM;
    return c;
}

/* Adds one order to (shop, channel)'s count. */
static int count(struct ictx *c, struct counts *k, const struct bl_dis_order_row *r,
                 const char *channel)
{
    bl_buf_reset(&c->key);
    if (bl_buf_adds(&c->key, bl_str_c(r->shop)) || bl_buf_addc(&c->key, '\x1f') ||
        bl_buf_adds(&c->key, bl_str_c(channel ? channel : "")))
        return BL_ENOMEM;
    int64_t i = (int64_t)k->n;
    bool added;
    if (bl_map_get_or_put(&k->ix, bl_buf_str(&c->key), &i, &added))
        return BL_ENOMEM;
    if (added) {
        if (bl_grow((void **)&k->v, &k->cap, k->n + 1, sizeof(*k->v)))
            return BL_ENOMEM;
        int rc = BL_OK;
        struct bl_arena *a = &c->res->arena;
        k->v[k->n++] = (struct bl_app_dis_count){keep(a, r->shop, &rc), keep(a, r->shop_name, &rc),
                                                 keep(a, channel, &rc), 0};
        if (rc)
            return rc;
    }
    k->v[i].orders++;
    return BL_OK;
}

static bool covers(const struct bl_cover_disruption *x, const struct bl_dis_order_row *r, int64_t t)
{
    return bl_cover_order(x, r->from, BL_SCOPE_ORIGIN, r->channel, t) ||
           bl_cover_order(x, r->to, BL_SCOPE_DESTINATION, r->channel, t);
}

static int customer(struct ictx *c, const char *who)
{
    if (!who)
        return BL_OK;
    int64_t v = 0;
    bool added;
    if (bl_map_get_or_put(&c->customers, bl_str_c(who), &v, &added))
        return BL_ENOMEM;
    c->res->customers += added;
    return BL_OK;
}

static int live_row(void *vctx, const struct bl_dis_order_row *r)
{
    struct ictx *c = vctx;
    int64_t t = c->res->as_of;
    bool shipped = r->shipped_at != BL_NO_TIME && r->shipped_at <= t;
    if (!shipped && covers(&c->cover, r, t)) {
        c->res->held_orders++;
        int rc = count(c, &c->held, r, r->channel);
        return rc ? rc : customer(c, r->customer);
    }
    if (shipped && bl_cover_order(&c->cover, r->to, BL_SCOPE_DESTINATION, r->channel, t)) {
        c->res->in_transit++;
        return customer(c, r->customer);
    }
    return BL_OK;
}

/* Whether profile name exempts declared disruptions automatically (loaded once). */
static int auto_exempt(struct ictx *c, const char *name, bool *yes)
{
    int64_t v;
    if (!bl_map_get(&c->profiles, bl_str_c(name), &v)) {
        struct bl_profile p;
        struct bl_diag pd;
        bl_diag_clear(&pd);
        v = bl_profile_load(bl_profile_dir(), name, &p, &pd) == BL_OK && p.auto_exempt;
        if (bl_map_put(&c->profiles, bl_str_c(name), v))
            return BL_ENOMEM;
    }
    *yes = v != 0;
    return BL_OK;
}

static int due_row(void *vctx, const struct bl_dis_order_row *r)
{
    struct ictx *c = vctx;
    if (!covers(&c->cover, r, r->ship_by))
        return BL_OK;
    bool yes;
    int rc = auto_exempt(c, r->profile, &yes);
    if (rc || !yes) {
        c->res->not_auto_orders += !rc;
        return rc;
    }
    c->res->exempt_orders++;
    return count(c, &c->exempt, r, NULL);
}

static int sku_row(void *vctx, const struct bl_dis_sku_row *r)
{
    struct ictx *c = vctx;
    const struct bl_disruption *x = &c->res->item.r;
    bool in;
    if (x->supplier)
        in = r->supplier && strcmp(r->supplier, x->supplier) == 0;
    else
        in = !x->channel && x->scope != BL_DIS_DESTINATION &&
             bl_region_contains(bl_str_c(x->region), bl_str_c(r->region));
    int64_t v = 0;
    bool added;
    if (!in || bl_map_get_or_put(&c->skus, bl_str_c(r->sku), &v, &added))
        return in ? BL_ENOMEM : BL_OK;
    if (!added)
        return BL_OK;
    struct bl_app_disruption_impact_res *res = c->res;
    if (bl_grow((void **)&res->skus, &res->cap_skus, res->nskus + 1, sizeof(*res->skus)))
        return BL_ENOMEM;
    int rc = BL_OK;
    bool listed = strcmp(r->listing, "active") == 0;
    res->skus[res->nskus++] =
        (struct bl_app_dis_sku){keep(&res->arena, r->sku, &rc),
                                keep(&res->arena, r->name, &rc),
                                keep(&res->arena, r->supplier ? r->supplier : r->warehouse, &rc),
                                keep(&res->arena, r->place_name, &rc),
                                r->supplier != NULL,
                                listed};
    /* a warehouse inside an origin hold lengthens the listing's handling */
    res->listings += listed && !r->supplier && !x->supplier && !res->listings_to_region;
    return rc;
}

static int by_orders(const void *a, const void *b)
{
    const struct bl_app_dis_count *x = a, *y = b;
    if (x->orders != y->orders)
        return x->orders > y->orders ? -1 : 1;
    int s = strcmp(x->shop, y->shop);
    return s ? s : strcmp(x->channel ? x->channel : "", y->channel ? y->channel : "");
}

/* The as-of: the one asked, else now kept inside [starts_at, effective end). */
static int64_t pick_as_of(const struct bl_app_disruption_impact_req *req,
                          const struct bl_app_disruption_item *it)
{
    if (req->as_of != BL_NO_TIME)
        return req->as_of;
    int64_t now = bl_app_now_or(req->now);
    if (now < it->r.starts_at)
        return it->r.starts_at;
    return now >= it->effective_end ? it->effective_end - 1 : now;
}

static int gather(struct bl_store *st, int64_t org, struct ictx *c, struct bl_diag *d)
{
    struct bl_app_disruption_impact_res *res = c->res;
    const struct bl_disruption *x = &res->item.r;
    int64_t end = res->item.effective_end, upto = res->as_of < end ? res->as_of + 1 : end;
    int rc = bl_store_disruption_live_orders(
        st, org, res->as_of, res->as_of - TRANSIT_DAYS * BL_DAY_SECS, live_row, c, d);
    if (!rc && upto > x->starts_at)
        rc = bl_store_disruption_due_orders(st, org, x->starts_at, upto, due_row, c, d);
    res->listings_to_region = !x->supplier && x->scope != BL_DIS_ORIGIN;
    if (!rc && res->listings_to_region)
        rc = bl_store_disruption_active_listings(st, org, &res->listings, d);
    if (!rc)
        rc = bl_store_disruption_sku_places(st, org, sku_row, c, d);
    return rc;
}

int bl_app_disruption_impact(struct bl_store *st, int64_t org,
                             const struct bl_app_disruption_impact_req *req,
                             struct bl_app_disruption_impact_res *res, struct bl_diag *d)
{
    struct bl_app_disruption_show_res one;
    int rc = bl_app_disruption_show(st, org, req->id, &one, d);
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 8192);
    res->reason = one.reason;
    if (!rc)
        rc = bl__dis_item_copy(&res->arena, &one.item, &res->item);
    bl_app_disruption_show_res_release(&one);
    if (rc)
        return rc;
    const struct bl_disruption *x = &res->item.r;
    bl__dis_place_name(x->region, res->region_name, sizeof(res->region_name));
    res->as_of = pick_as_of(req, &res->item);
    res->in_force = x->starts_at <= res->as_of && res->as_of < res->item.effective_end;
    struct ictx c = {.res = res, .key = BL_BUF_INIT, .d = d};
    c.cover = (struct bl_cover_disruption){x->region,    (enum bl_scope)(x->scope + 1),
                                           x->channel,   x->supplier != NULL,
                                           x->starts_at, res->item.effective_end};
    bl_arena_init(&c.keys, 8192);
    bl_map_init(&c.held.ix, &c.keys);
    bl_map_init(&c.exempt.ix, &c.keys);
    bl_map_init(&c.customers, &c.keys);
    bl_map_init(&c.skus, &c.keys);
    bl_map_init(&c.profiles, &c.keys);
    rc = gather(st, org, &c, d);
    if (rc == BL_ENOMEM && d && !d->code)
        bl_diag_set(d, rc, "out of memory measuring disruption %lld", (long long)req->id);
    if (c.held.n > 1) /* qsort's base may not be NULL, even for none */
        qsort(c.held.v, c.held.n, sizeof(*c.held.v), by_orders);
    if (c.exempt.n > 1)
        qsort(c.exempt.v, c.exempt.n, sizeof(*c.exempt.v), by_orders);
    res->held = c.held.v;
    res->nheld = c.held.n;
    res->exempt = c.exempt.v;
    res->nexempt = c.exempt.n;
    bl_map_release(&c.held.ix);
    bl_map_release(&c.exempt.ix);
    bl_map_release(&c.customers);
    bl_map_release(&c.skus);
    bl_map_release(&c.profiles);
    bl_buf_release(&c.key);
    bl_arena_release(&c.keys);
    return rc;
}

void bl_app_disruption_impact_res_release(struct bl_app_disruption_impact_res *res)
{
    bl_free(res->held);
    bl_free(res->exempt);
    bl_free(res->skus);
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}
