/* windows.c - the catalogue's delivery windows against real deliveries (logistics.h).
 * Every delivered order's hand-over-to-delivery against the window the catalogue
 * gives for its lane and weight at its hand-over instant (the channel routing would
 * choose under the policy, no promise; or the channel asked for). Delivered before
 * the window's first day: early; after its last: late. Read-only. req->stop is looked at
 * every BL_WIN_CHUNK orders, loading and routing (a server shutting down gives up). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/logistics_impl.h"
#include "store/logistics.h"

#define BL_WIN_CHUNK 4096

static bool stopped(const atomic_bool *stop)
{
    return stop && atomic_load(stop);
}

struct group {
    struct bl_app_windows_group g;
    int32_t *bd; /* real business days, for the median */
    size_t nbd, bdcap;
};

struct win_load {
    const struct bl_lg *lg;
    const char *from;
    struct bl_lg_shipment *s;
    int64_t *delivered;
    char (*to)[BL_REGION_MAX];
    size_t n, cap, dcap, tcap;
    int64_t skipped;
    const atomic_bool *stop;
};

static int win_row(void *ctx, const struct bl_store_lg_delivery *x)
{
    struct win_load *c = ctx;
    if (c->n % BL_WIN_CHUNK == 0 && stopped(c->stop))
        return BL_EINTERRUPTED;
    struct bl_str from = bl_str_c(x->ship_from), to = bl_str_c(x->ship_to);
    if (c->from && !bl_region_contains(bl_str_c(c->from), from))
        return 0;
    if (!from.len || !to.len || to.len >= BL_REGION_MAX || x->delivered < x->handed) {
        c->skipped++;
        return 0;
    }
    if (bl_grow((void **)&c->s, &c->cap, c->n + 1, sizeof(*c->s)) ||
        bl_grow((void **)&c->delivered, &c->dcap, c->n + 1, sizeof(*c->delivered)) ||
        bl_grow((void **)&c->to, &c->tcap, c->n + 1, sizeof(*c->to)))
        return BL_ENOMEM;
    /* the destination's subdivision ("BR-RJ" of "BR-RJ:20031") names the group */
    size_t k = 0;
    while (k < to.len && to.ptr[k] != ':')
        k++;
    memcpy(c->to[c->n], to.ptr, k);
    c->to[c->n][k] = 0;
    struct bl_lg_shipment *s = &c->s[c->n];
    memset(s, 0, sizeof(*s));
    s->from = bl_lg_locate(c->lg, from);
    s->to = bl_lg_locate(c->lg, to);
    s->weight_g = x->weight_g;
    s->ship_at = x->handed;
    s->by_day = BL_LG_NO_PROMISE;
    c->delivered[c->n++] = x->delivered;
    return 0;
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static int group_add(struct group *g, enum bl_lg_fit fit, int32_t bdays)
{
    g->g.orders++;
    if (fit == BL_LG_FIT_NO_CHANNEL) {
        g->g.no_channel++;
        return BL_OK;
    }
    if (fit == BL_LG_FIT_EARLY)
        g->g.early++;
    else if (fit == BL_LG_FIT_LATE)
        g->g.late++;
    else
        g->g.inside++;
    if (bl_grow((void **)&g->bd, &g->bdcap, g->nbd + 1, sizeof(*g->bd)))
        return BL_ENOMEM;
    g->bd[g->nbd++] = bdays;
    return BL_OK;
}

/* The windows of every shipment: routed under the policy, or quoted on one channel. */
static int windows_of(const struct bl_lg *lg, const struct bl_lg_policy *pol, int32_t want,
                      const struct win_load *wl, struct bl_lg_route *res, struct bl_diag *d)
{
    if (want < 0) { /* in chunks, to look at the stop flag between them */
        int rc = BL_OK;
        for (size_t i = 0; !rc && i < wl->n; i += BL_WIN_CHUNK) {
            size_t k = wl->n - i < BL_WIN_CHUNK ? wl->n - i : BL_WIN_CHUNK;
            rc = stopped(wl->stop) ? bl_diag_set(d, BL_EINTERRUPTED, "windows: stopped")
                                   : bl_lg_route(lg, pol, wl->s + i, k, res + i, d);
        }
        return rc;
    }
    size_t cap = bl_lg_nchannels(lg) ? bl_lg_nchannels(lg) : 1;
    struct bl_lg_option *opt = bl_calloc(cap, sizeof(*opt));
    int rc = opt ? BL_OK : BL_ENOMEM;
    for (size_t i = 0; !rc && i < wl->n; i++) {
        if (i % BL_WIN_CHUNK == 0 && stopped(wl->stop)) {
            rc = bl_diag_set(d, BL_EINTERRUPTED, "windows: stopped");
            break;
        }
        size_t n = 0;
        res[i].state = BL_LG_NO_CHANNEL;
        res[i].channel = -1;
        rc = bl_lg_quote(lg, &wl->s[i], opt, cap, &n, d);
        for (size_t k = 0; !rc && k < n && k < cap; k++)
            if (opt[k].channel == want) {
                res[i].state = BL_LG_ROUTED;
                res[i].channel = want;
                res[i].earliest_day = opt[k].earliest_day;
                res[i].latest_day = opt[k].latest_day;
            }
    }
    bl_free(opt);
    return rc;
}

static int by_to(const void *a, const void *b)
{
    return strcmp(((const struct group *)a)->g.to, ((const struct group *)b)->g.to);
}

/* Groups by destination, sorted, then the total, into res. */
static int tally(const struct bl_lg *lg, const struct win_load *wl, const struct bl_lg_route *r,
                 struct bl_app_windows_res *res)
{
    struct group *g = bl_calloc(wl->n + 1, sizeof(*g));
    size_t ng = 0;
    int rc = g ? BL_OK : BL_ENOMEM;
    for (size_t i = 0; !rc && i < wl->n; i++) {
        size_t k = 0;
        while (k < ng && strcmp(g[k].g.to, wl->to[i]) != 0)
            k++;
        if (k == ng)
            memcpy(g[ng++].g.to, wl->to[i], sizeof(g->g.to));
        int32_t bdays;
        enum bl_lg_fit fit =
            bl_lg_window_fit(lg, &r[i], wl->s[i].ship_at, wl->delivered[i], &bdays);
        rc = group_add(&g[k], fit, bdays);
        if (!rc)
            rc = group_add(&g[wl->n], fit, bdays); /* the total, in the last slot */
    }
    if (!rc)
        qsort(g, ng, sizeof(*g), by_to);
    if (!rc && !(res->g = bl_calloc(ng + 1, sizeof(*res->g))))
        rc = BL_ENOMEM;
    for (size_t k = 0; !rc && k <= ng; k++) {
        struct group *x = k < ng ? &g[k] : &g[wl->n]; /* the total last */
        if (x->nbd > 1)
            qsort(x->bd, x->nbd, sizeof(*x->bd), cmp_i32);
        res->g[k] = x->g;
        res->g[k].has_median = x->nbd > 0;
        res->g[k].median_bdays = x->nbd ? x->bd[x->nbd / 2] : 0;
    }
    if (!rc) {
        res->n = ng + 1;
        snprintf(res->g[ng].to, sizeof(res->g->to), "all");
    }
    for (size_t k = 0; g && k <= wl->n; k++)
        bl_free(g[k].bd);
    bl_free(g);
    return rc;
}

int bl_app_windows(struct bl_store *st, int64_t org, const struct bl_app_windows_req *req,
                   struct bl_app_windows_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    int rc = bl__app_lg_use(st, org, req->cat, &res->cat, &res->own_cat, d);
    if (rc)
        return rc;
    const struct bl_lg *lg = res->cat->lg;
    struct bl_lg_policy pol = req->policy ? *req->policy : (struct bl_lg_policy){0, NULL};
    int32_t want = -1;
    if (req->channel) {
        for (size_t i = 0; i < bl_lg_nchannels(lg); i++)
            if (strcmp(bl_lg_channel(lg, i)->id, req->channel) == 0)
                want = (int32_t)i;
        if (want < 0)
            return bl_diag_set(d, BL_ENOTFOUND, "no channel '%s'", req->channel);
    }
    struct win_load wl = {.lg = lg, .from = req->from, .stop = req->stop};
    rc = bl_store_lg_deliveries(st, org, win_row, &wl, d);
    if (rc == BL_EINTERRUPTED)
        bl_diag_set(d, rc, "windows: stopped");
    struct bl_lg_route *r = NULL;
    if (!rc)
        r = bl_calloc(wl.n ? wl.n : 1, sizeof(*r));
    rc = rc ? rc : r ? BL_OK : BL_ENOMEM;
    if (!rc)
        rc = windows_of(lg, &pol, want, &wl, r, d);
    if (!rc)
        rc = tally(lg, &wl, r, res);
    res->skipped = wl.skipped;
    bl_free(r);
    bl_free(wl.s);
    bl_free(wl.delivered);
    bl_free(wl.to);
    return rc;
}

void bl_app_windows_res_release(struct bl_app_windows_res *res)
{
    bl_free(res->g);
    bl__app_lg_drop(res->cat, res->own_cat);
    memset(res, 0, sizeof(*res));
}
