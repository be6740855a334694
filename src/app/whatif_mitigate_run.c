/* whatif_mitigate_run.c - a plan measured: the what-if run again with its steps
 * (whatif.h: moves, handling, reroutes), each problem's remaining cost read from that run
 * (a stock-out's promotion spend on its days still short, unless a step pauses it); and the
 * engine's plans with names (whatif_mitigate_impl.h). */
#include <stdlib.h>
#include <string.h>

#include "app/whatif_mitigate_impl.h"

static int cmp_move(const void *x, const void *y)
{
    const struct bl_wi_move *a = x, *b = y;
    if (a->sku != b->sku)
        return a->sku < b->sku ? -1 : 1;
    if (a->warehouse != b->warehouse)
        return a->warehouse < b->warehouse ? -1 : 1;
    return (a->day > b->day) - (a->day < b->day);
}

/* Units the run leaves the SKU short in warehouse w with the events (0: none). */
static int64_t short_units(const struct bl_wi_result *r, size_t sku, size_t w)
{
    size_t a = 0, b = r->nstockouts;
    while (a < b) {
        size_t h = a + (b - a) / 2;
        const struct bl_wi_stockout *o = &r->stockouts[h];
        if (o->sku < sku || (o->sku == sku && o->warehouse < w))
            a = h + 1;
        else
            b = h;
    }
    bool hit = a < r->nstockouts && r->stockouts[a].sku == sku && r->stockouts[a].warehouse == w;
    return hit ? r->stockouts[a].units_short[BL_WI_WITH] : 0;
}

int64_t bl__mg_promo_left(const struct bl_mg_problem *p, int64_t units)
{
    int64_t days = p->to_day - p->from_day;
    if (p->promo_day <= 0 || units <= 0 || days <= 0 || p->units <= 0)
        return 0;
    __int128 d = ((__int128)days * (units < p->units ? units : p->units) + p->units - 1) / p->units;
    __int128 v = d * p->promo_day;
    return v > INT64_MAX ? INT64_MAX : (int64_t)v;
}

static int64_t cost_of(int64_t units, int64_t base, int64_t unit)
{
    __int128 v = (__int128)(units > base ? units - base : 0) * unit;
    return v > INT64_MAX ? INT64_MAX : (int64_t)v;
}

/* The steps as the what-if's plan input: moves (sorted), longer handling times, reroutes
 * (the shop's open orders on the suspended channel, and those it places from today). */
static void plan_input(const struct bl__mg *m, const struct bl_mg_step *steps, size_t n,
                       struct bl_wi_move *mv, size_t *nmv, struct bl_wi_handling *hd, size_t *nhd,
                       struct bl_wi_reroute *rr, size_t *nrr)
{
    *nmv = *nhd = *nrr = 0;
    for (size_t i = 0; i < n; i++) {
        const struct bl_mg_lever *l = &m->l[steps[i].lever];
        const struct bl_mg_problem *p = &m->p[l->problem];
        size_t sku = (size_t)p->sku, w = (size_t)p->warehouse;
        if (l->kind == BL_MG_TRANSFER)
            mv[(*nmv)++] = (struct bl_wi_move){sku, (size_t)l->target, -steps[i].units, l->by_day};
        if (l->kind == BL_MG_TRANSFER || l->kind == BL_MG_BACKUP_SUPPLIER)
            mv[(*nmv)++] = (struct bl_wi_move){sku, w, steps[i].units, l->ready_day};
        const struct bl__mg_rr *x =
            l->kind == BL_MG_REROUTE ? bl__mg_rr_of(m, steps[i].lever) : NULL;
        if (x)
            rr[(*nrr)++] = (struct bl_wi_reroute){(uint32_t)p->shop, x->from, (int32_t)l->target,
                                                  INT64_MIN, INT64_MAX};
        if (l->kind == BL_MG_EXTEND_HANDLING) {
            int64_t days = p->days_late < l->days ? p->days_late : l->days;
            hd[(*nhd)++] = (struct bl_wi_handling){(uint32_t)p->shop, (int32_t)p->channel,
                                                   m->held_region, m->in->as_of, days * 86400};
        }
    }
    qsort(mv, *nmv, sizeof(*mv), cmp_move);
}

/* Each problem's cost left in run r; a transfer's source newly short is its problem's. */
static void read_left(struct bl__mg *m, const struct bl_wi_result *r,
                      const struct bl_mg_step *steps, size_t n, int64_t *left)
{
    for (size_t q = 0; q < m->np; q++) {
        const struct bl_mg_problem *p = &m->p[q];
        if (p->kind == BL_MG_LATE) { /* the coupons the run owes: the what-if's valuation */
            left[q] =
                cost_of(bl__mg_late_value(m, r, (uint32_t)p->shop, true, NULL), m->p_base[q], 1);
            continue;
        }
        int64_t units = short_units(r, (size_t)p->sku, (size_t)p->warehouse);
        left[q] = cost_of(units, m->p_base[q], p->unit_cost);
        bool paused = false;
        for (size_t i = 0; i < n; i++)
            paused = paused || (m->l[steps[i].lever].kind == BL_MG_PAUSE_PROMOTION &&
                                m->l[steps[i].lever].problem == q);
        int64_t promo = paused ? 0 : bl__mg_promo_left(p, units - m->p_base[q]);
        left[q] = promo > INT64_MAX - left[q] ? INT64_MAX : left[q] + promo;
    }
    for (size_t i = 0; i < n; i++) {
        const struct bl_mg_lever *l = &m->l[steps[i].lever];
        bool seen = false;
        for (size_t j = 0; j < i && l->kind == BL_MG_TRANSFER; j++)
            seen = seen || (m->l[steps[j].lever].kind == BL_MG_TRANSFER &&
                            m->l[steps[j].lever].target == l->target &&
                            m->p[m->l[steps[j].lever].problem].sku == m->p[l->problem].sku);
        if (l->kind != BL_MG_TRANSFER || seen)
            continue;
        size_t sku = (size_t)m->p[l->problem].sku, w = (size_t)l->target;
        int64_t now = short_units(r, sku, w), before = short_units(m->r, sku, w);
        int64_t add = cost_of(now, before, m->margin[sku]);
        left[l->problem] = add > INT64_MAX - left[l->problem] ? INT64_MAX : left[l->problem] + add;
    }
}

int bl__mg_measure(void *ctx, const struct bl_mg_step *steps, size_t n, int64_t *left,
                   struct bl_diag *d)
{
    struct bl__mg *m = ctx;
    if (!n) { /* doing nothing: the what-if's own run */
        read_left(m, m->r, steps, 0, left);
        return BL_OK;
    }
    struct bl_wi_move *mv = bl_calloc(2 * n + 1, sizeof(*mv));
    struct bl_wi_handling *hd = bl_calloc(n + 1, sizeof(*hd));
    size_t na = m->in->nreroutes; /* the approved reroutes: the store's, in every run */
    struct bl_wi_reroute *rr = bl_calloc(n + na + 1, sizeof(*rr));
    if (!mv || !hd || !rr) {
        bl_free(mv);
        bl_free(hd);
        bl_free(rr);
        return bl_diag_set(d, BL_ENOMEM, "what-if: out of memory");
    }
    struct bl_wi_input in = *m->in;
    if (na)
        memcpy(rr, m->in->reroutes, na * sizeof(*rr));
    plan_input(m, steps, n, mv, &in.nmoves, hd, &in.nhandling, rr + na, &in.nreroutes);
    in.nreroutes += na;
    in.moves = mv;
    in.handling = hd;
    in.reroutes = rr;
    in.lean = true;
    struct bl_wi_result r;
    int rc = bl_wi_run(&in, &r, d);
    m->out->runs++;
    if (!rc)
        read_left(m, &r, steps, n, left);
    bl_wi_result_release(&r);
    bl_free(mv);
    bl_free(hd);
    bl_free(rr);
    return rc;
}
