/* whatif_mitigate.c - `whatif --mitigate` (whatif_mitigate.h): the organisation's
 * currency, the problems the what-if found, the levers against them, the search. The
 * measure and the plans in names are in whatif_mitigate_run.c, the transfers' freight in
 * whatif_mitigate_move.c. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/whatif_mitigate_impl.h"
#include "ballast/money.h"
#include "ballast/time.h"

#define E12 INT64_C(1000000000000)

int bl__mg_conv(struct bl__mg *m, int64_t amount, const char *cur, int64_t *out)
{
    if (!m->out->currency[0])
        memcpy(m->out->currency, cur, 4); /* no organisation currency: the first met */
    if (strcmp(cur, m->out->currency) == 0) {
        *out = amount;
        return BL_OK;
    }
    size_t i = 0;
    while (i < m->ncur && strcmp(m->cur[i], cur) != 0)
        i++;
    if (i == m->ncur) {
        struct bl_diag tmp;
        bl_diag_clear(&tmp);
        if (i == BL__MG_NCUR || !m->fx.wanted ||
            bl_app_fx_convert(m->x->st, m->x->org, &m->fx, E12, cur, &m->factor[i], &tmp) != 0) {
            m->out->no_rate++;
            return BL_ENOTFOUND;
        }
        memcpy(m->cur[i], cur, 4);
        m->ncur++;
    }
    __int128 v = (__int128)amount * m->factor[i];
    v = v >= 0 ? (v + E12 / 2) / E12 : -((-v + E12 / 2) / E12);
    if (v > INT64_MAX || v < -INT64_MAX)
        return BL_EOVERFLOW;
    *out = (int64_t)v;
    return BL_OK;
}

/* Per SKU the margin a unit short loses: its price minus its primary supplier's unit
 * cost (the price alone when the cost is unknown); -1 without a price. */
static int margins(struct bl__mg *m)
{
    const struct bl_rp_input *rp = m->in->rp;
    m->margin = bl_arena_alloc(&m->out->arena, (rp->nskus + 1) * sizeof(int64_t));
    m->no_cost = bl_arena_alloc(&m->out->arena, rp->nskus + 1);
    if (!m->margin || !m->no_cost)
        return bl_diag_set(m->d, BL_ENOMEM, "what-if: out of memory");
    for (size_t k = 0; k < rp->nskus; k++) {
        int64_t price = -1, cost = -1;
        m->margin[k] = -1;
        m->no_cost[k] = false;
        if (!m->in->price || m->in->price[k] < 0 ||
            bl__mg_conv(m, m->in->price[k], m->in->price_cur[k], &price) != 0)
            continue;
        const struct bl_rp_sku *s = &rp->skus[k];
        if (s->nsources && s->sources[0].unit_cost >= 0 &&
            bl__mg_conv(m, s->sources[0].unit_cost, s->sources[0].currency, &cost) != 0)
            cost = -1;
        m->margin[k] = cost >= 0 && cost <= price ? price - cost : price;
        m->margin[k] = cost > price ? 0 : m->margin[k];
        m->no_cost[k] = cost < 0;
    }
    return BL_OK;
}

/* What shop s's late orders are owed in run r, in the organisation's currency: the
 * coupons the what-if issued them by their profile's rule (bl_wi_shop_coupons), with the
 * events undeclared (bare) or without them. The one valuation of a late order: the
 * what-if's money line reads the same coupons per currency, and the measure
 * (whatif_mitigate_run.c) reads them again from each plan's run. Rows of a currency
 * without a rate are left out (counted in no_rate). */
int64_t bl__mg_late_value(struct bl__mg *m, const struct bl_wi_result *r, uint32_t s, bool bare,
                          bool *unpriced)
{
    if (unpriced)
        *unpriced = false;
    size_t a = 0, b = r->nshop_coupons;
    while (a < b) { /* the rows are by shop */
        size_t h = a + (b - a) / 2;
        if (r->shop_coupons[h].shop < s)
            a = h + 1;
        else
            b = h;
    }
    int64_t sum = 0, v;
    for (; a < r->nshop_coupons && r->shop_coupons[a].shop == s; a++) {
        const struct bl_wi_shop_coupons *x = &r->shop_coupons[a];
        int64_t amount = bare ? x->bare : x->coupons[BL_WI_BASE];
        if (amount && bl__mg_conv(m, amount, x->currency, &v) == 0)
            sum = v > INT64_MAX - sum ? INT64_MAX : sum + v;
        else if (amount && unpriced && x->bare != x->coupons[BL_WI_BASE])
            *unpriced = true; /* owed, but in a currency without a rate (no_rate) */
    }
    return sum;
}

/* Per shop what its late orders are owed without the events (the part not theirs). */
static int coupons(struct bl__mg *m)
{
    const struct bl_wi_input *in = m->in;
    m->late_base = bl_arena_alloc(&m->out->arena, (in->nshops + 1) * sizeof(int64_t));
    if (!m->late_base)
        return bl_diag_set(m->d, BL_ENOMEM, "what-if: out of memory");
    for (size_t s = 0; s < in->nshops; s++)
        m->late_base[s] = bl__mg_late_value(m, m->r, (uint32_t)s, false, NULL);
    return BL_OK;
}

/* The longest the events hold a shipment within the horizon, in whole days, and the
 * region that event shuts at the origin for every channel (0: none does). */
static int64_t days_held(const struct bl_wi_input *in, uint32_t *region)
{
    int64_t until = in->as_of + in->horizon * 86400, most = 0;
    *region = 0;
    for (size_t h = 0; h < in->nhyp; h++) {
        const struct bl_assess_disruption *x = &in->hyp[h];
        if (x->supplier_only)
            continue;
        int64_t a = x->starts > in->as_of ? x->starts : in->as_of;
        int64_t b = x->ends < until ? x->ends : until;
        int64_t days = b > a ? (b - a + 86399) / 86400 : 0;
        most = days > most ? days : most;
        if (days == most && x->channel < 0 && (x->scope & BL_SCOPE_ORIGIN))
            *region = x->region;
    }
    return most;
}

static int add_problem(struct bl__mg *m, const struct bl_mg_problem *p, int64_t base)
{
    if (m->np == m->pcap) {
        size_t cap = m->pcap ? m->pcap * 2 : 64;
        struct bl_mg_problem *v = bl_realloc(m->p, cap * sizeof(*v));
        if (v)
            m->p = v;
        int64_t *b = v ? bl_realloc(m->p_base, cap * sizeof(*b)) : NULL;
        if (b)
            m->p_base = b;
        int64_t *c = b ? bl_realloc(m->p_cost, cap * sizeof(*c)) : NULL;
        if (!c)
            return bl_diag_set(m->d, BL_ENOMEM, "what-if: out of memory");
        m->p_cost = c;
        m->pcap = cap;
    }
    m->p_base[m->np] = base;
    m->p_cost[m->np] = 0;
    m->p[m->np++] = *p;
    return BL_OK;
}

/* The promotion spend a day of SKU k in the organisation's currency (0: not promoted, no
 * spend known, or no rate). */
static int64_t promo_day(struct bl__mg *m, size_t k)
{
    int64_t v;
    if (!m->x->promo || m->x->promo[k] <= 0 ||
        bl__mg_conv(m, m->x->promo[k], m->x->price_cur[k], &v) != 0)
        return 0;
    return v;
}

/* A SKU's promotion is one spend however many warehouses it runs out in: it is counted on
 * the problem of its first stock-out day (the stock-outs are by SKU, then warehouse). */
static void promo_once(struct bl__mg *m)
{
    struct bl_mg_problem *p = &m->p[m->np - 1], *q = NULL;
    for (size_t j = m->np - 1; j-- > 0 && m->p[j].kind == BL_MG_STOCKOUT && m->p[j].sku == p->sku;)
        if (m->p[j].promo_day)
            q = &m->p[j];
    if (q && q->from_day <= p->from_day)
        p->promo_day = 0;
    else if (q)
        q->promo_day = 0;
}

int bl__mg_problems(struct bl__mg *m)
{
    const struct bl_wi_result *r = m->r;
    int rc = BL_OK;
    for (size_t i = 0; !rc && m->in->rp && i < r->nstockouts; i++) {
        const struct bl_wi_stockout *o = &r->stockouts[i];
        int64_t extra = o->units_short[BL_WI_WITH] - o->units_short[BL_WI_BASE];
        if (extra <= 0 || o->day[BL_WI_WITH] == BL_RP_NEVER || m->margin[o->sku] <= 0)
            continue;
        int64_t from = o->day[BL_WI_WITH];
        struct bl_mg_problem p = {BL_MG_STOCKOUT,
                                  (ptrdiff_t)o->sku,
                                  (ptrdiff_t)o->warehouse,
                                  -1,
                                  -1,
                                  from,
                                  m->until_day > from ? m->until_day : from + 1,
                                  extra,
                                  m->margin[o->sku],
                                  promo_day(m, o->sku),
                                  0};
        rc = add_problem(m, &p, o->units_short[BL_WI_BASE]);
        if (!rc && p.promo_day)
            promo_once(m);
        m->out->cost_unknown += m->no_cost[o->sku];
    }
    for (size_t q = 0; !rc && q < m->np; q++) /* the stock-outs' costs, their promotion counted */
        if (bl_mg_problem_cost(&m->p[q], &m->p_cost[q]) != 0)
            rc = bl_diag_set(m->d, BL_EOVERFLOW, "what-if: a cost does not fit");
    for (size_t i = 0; !rc && i < r->norders;) { /* per shop: its rows are together */
        uint32_t s = r->orders[i].shop;
        int64_t with = 0, base = 0;
        for (; i < r->norders && r->orders[i].shop == s; i++) {
            with += r->orders[i].late_ship[BL_WI_WITH];
            base += r->orders[i].late_ship[BL_WI_BASE];
        }
        bool unpriced;
        int64_t owed = bl__mg_late_value(m, r, s, true, &unpriced) - m->late_base[s];
        if (with <= base || (owed <= 0 && unpriced)) /* no rate: counted in no_rate */
            continue;
        if (owed <= 0) { /* its rule pays nothing for them (or it has none): the rating's */
            if (m->in->shop_profile[s] < 0)
                m->out->late_unrated += with - base;
            else
                m->out->late_unpaid += with - base;
            continue;
        }
        /* the estimate's coupon an order: the shop's average, rounded up so that the
         * estimate never undercuts what the run found (the measure reads the exact sum) */
        int64_t unit = owed / (with - base) + (owed % (with - base) != 0);
        struct bl_mg_problem p = {BL_MG_LATE,  -1,   -1, (ptrdiff_t)s, -1, m->day0, m->until_day,
                                  with - base, unit, 0,  m->days_late};
        rc = add_problem(m, &p, m->late_base[s]);
        if (!rc)
            m->p_cost[m->np - 1] = owed;
    }
    m->out->nproblems = m->np;
    return rc;
}

static void release_work(struct bl__mg *m)
{
    bl_free(m->p);
    bl_free(m->p_base);
    bl_free(m->p_cost);
    bl_free(m->l);
    bl_free(m->rr);
    if (m->cat_open)
        bl_app_logistics_release(&m->cat);
}

static double mono(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int search(struct bl__mg *m)
{
    struct bl_mg_measure meas = {bl__mg_measure, m};
    struct bl_mg_input mi = {m->p, m->np, m->l, m->nl, 0, &meas};
    struct bl_arena a = BL_ARENA_INIT;
    struct bl_mg_result res;
    int rc = bl_mg_search(&mi, &a, &res, m->d);
    if (!rc)
        rc = bl__mg_name(m, &res);
    if (!rc)
        rc = bl__mg_ratings(m); /* what money does not see: ratings kept by a reroute */
    bl_arena_release(&a);
    return rc;
}

int bl__wi_mitigate(struct bl__wi_app *x, const struct bl_wi_input *in,
                    const struct bl_wi_result *r, struct bl_app_mg_res *out, struct bl_diag *d)
{
    memset(out, 0, sizeof(*out));
    bl_arena_init(&out->arena, 1u << 14);
    double t0 = mono();
    struct bl__mg m = {.x = x, .in = in, .r = r, .out = out, .d = d};
    m.day0 = in->rp ? in->rp->as_of : in->as_of / 86400; /* stock day, else as_of's */
    m.until_day = m.day0 + in->horizon;
    m.days_late = days_held(in, &m.held_region);
    int rc = bl_app_fx_open(x->st, x->org, m.day0 - 1, &m.fx, d);
    if (!rc && m.fx.wanted) {
        memcpy(out->currency, m.fx.currency, 4);
        out->exponent = m.fx.exponent;
    }
    if (!rc && in->rp)
        rc = margins(&m);
    if (!rc)
        rc = coupons(&m);
    if (!rc)
        rc = bl__mg_problems(&m);
    if (!rc)
        rc = bl__mg_levers(&m);
    struct bl_currency c;
    if (!rc && !m.fx.wanted && out->currency[0])
        out->exponent = bl_currency_lookup(bl_str_c(out->currency), &c, NULL) == 0 ? c.exponent : 2;
    if (!rc)
        rc = search(&m);
    release_work(&m);
    out->secs = mono() - t0;
    return rc;
}

void bl_app_mg_res_release(struct bl_app_mg_res *r)
{
    bl_arena_release(&r->arena);
    memset(r, 0, sizeof(*r));
}
