/* whatif.c - the what-if pass (whatif.h): the horizon's orders, then each run's standing
 * per shop and profile, held and late orders per shop and channel, coupons, deposits,
 * messages and stock-outs. The rules are the engine's own: the standing is
 * bl_assess_shops's, the coupons bl_compensate's, the stock's bl_rp_plan's inputs. */
#include <math.h>
#include <string.h>

#include "engine/whatif_impl.h"

static int check(const struct bl_wi_input *in, struct bl_diag *d)
{
    if (in->horizon < 0 || in->horizon > BL_WI_HORIZON_MAX)
        return bl_diag_set(d, BL_EINVAL, "what-if: a horizon of %lld days (0 to %d)",
                           (long long)in->horizon, BL_WI_HORIZON_MAX);
    if (!in->orders || (in->orders->n && !in->orders->shop_off) || !in->regions)
        return bl_diag_set(d, BL_EINVAL, "what-if: the orders must be grouped by shop");
    for (size_t s = 0; s < in->nshops; s++)
        if (in->shop_profile[s] >= (int32_t)in->nprofiles)
            return bl_diag_set(d, BL_EINVAL, "what-if: shop %zu has no such profile", s);
    return bl__wi_plan_check(in, d);
}

static void view(const struct bl__wi *w, int run, struct bl_assess_orders *o)
{
    *o = (struct bl_assess_orders){.n = w->n,
                                   .shop = w->shop,
                                   .placed = w->placed,
                                   .ship_by = w->ship_by,
                                   .shipped = w->ev[run][0],
                                   .picked_up = w->ev[run][1],
                                   .delivered = w->ev[run][2],
                                   .promised = w->promised,
                                   .cancelled = w->cancelled,
                                   .cancel_by = w->cancel_by,
                                   .from = w->from,
                                   .to = w->to,
                                   .channel = w->channel,
                                   .by_shop = true,
                                   .shop_off = w->shop_off,
                                   .platform = w->platform};
}

/* The store's disruptions, and with the events, theirs too. */
static int contexts(struct bl__wi *w)
{
    const struct bl_wi_input *in = w->in;
    size_t n = in->ndis + in->nhyp;
    struct bl_assess_disruption *all = bl_arena_alloc(w->a, (n + 1) * sizeof(*all));
    if (!all)
        return bl_diag_set(w->d, BL_ENOMEM, "what-if: out of memory");
    if (in->ndis)
        memcpy(all, in->dis, in->ndis * sizeof(*all));
    if (in->nhyp)
        memcpy(all + in->ndis, in->hyp, in->nhyp * sizeof(*all));
    int rc = bl_assess_prepare(in->regions, in->dis, in->ndis, in->prot, in->nprot, in->nshops,
                               w->a, &w->ctx[0], w->d);
    if (!rc)
        rc = bl_assess_prepare(in->regions, all, n, in->prot, in->nprot, in->nshops, w->a,
                               &w->ctx[1], w->d);
    return rc;
}

static bool in_breach(const struct bl_profile *p, const char *rating)
{
    for (size_t b = p->breach_band; rating[0] && b < p->nbands; b++)
        if (strcmp(rating, p->bands[b].label) == 0)
            return true;
    return false;
}

/* The three ways the standing is run: the orders' events and the disruptions known. */
static const int scen_events[3] = {0, 1, 1}, scen_ctx[3] = {0, 1, 0};

/* Each shop of profile q as of t, in scenario sc: res[nshops] filled for its shops. */
static int assess_at(struct bl__wi *w, int sc, size_t q, const bool *skip, int64_t t,
                     struct bl_shop_result *res)
{
    struct bl_assess_orders o;
    view(w, scen_events[sc], &o);
    const struct bl_profile *p = &w->in->profiles[q];
    return bl_assess_shops(w->ctx[scen_ctx[sc]], &o, p, t, p->window_days, w->in->nshops, skip,
                           w->a, res, w->d);
}

/* The rating's band index (0: the best), -1: unrated. */
static int band_of(const struct bl_profile *p, const char *rating)
{
    for (size_t b = 0; rating[0] && b < p->nbands; b++)
        if (strcmp(rating, p->bands[b].label) == 0)
            return (int)b;
    return -1;
}

/* Worse: a band further down; an unrated shop neither falls nor is saved. */
static bool worse(int band, int than)
{
    return band >= 0 && than >= 0 && band > than;
}

static void rating_of(const struct bl_profile *p, const struct bl_shop_result *x, int sc,
                      struct bl_wi_rating *r)
{
    if (sc == 2) {
        r->bare.band = band_of(p, x->rating);
        r->bare.k = x->k;
        r->bare.score = x->score;
        memcpy(r->bare.rating, x->rating, sizeof(r->bare.rating));
        r->bare.failing = x->failing;
        r->bare.breach = in_breach(p, x->rating);
        return;
    }
    r->k[sc] = x->k;
    r->score[sc] = x->score;
    memcpy(r->rating[sc], x->rating, sizeof(r->rating[sc]));
    r->failing[sc] = x->failing;
    r->breach[sc] = in_breach(p, x->rating);
    r->band[sc] = band_of(p, x->rating);
}

/* Profile q in scenario sc: each day of the horizon (days in breach), the rating at its
 * end (at A itself for a horizon of 0). */
static int days_of(struct bl__wi *w, int sc, size_t q, const bool *skip, struct bl_shop_result *res,
                   struct bl_wi_rating *r, size_t nr)
{
    const struct bl_profile *p = &w->in->profiles[q];
    for (int64_t day = w->in->horizon ? 1 : 0; day <= w->in->horizon; day++) {
        int rc = assess_at(w, sc, q, skip, w->in->as_of + day * BL__WI_DAY, res);
        if (rc)
            return rc;
        for (size_t k = 0; k < nr; k++) {
            const struct bl_shop_result *x = &res[r[k].shop];
            bool b = day > 0 && in_breach(p, x->rating);
            if (sc == 2)
                r[k].bare.days_breach += b;
            else
                r[k].days_breach[sc] += b;
            if (day == w->in->horizon)
                rating_of(p, x, sc, &r[k]);
        }
    }
    return BL_OK;
}

/* Profile q: every shop's rating at A + D in each scenario, and its days in breach. */
static int ratings_of(struct bl__wi *w, size_t q, struct bl_wi_result *r, size_t *at)
{
    size_t ns = w->in->nshops;
    bool *skip = bl_arena_alloc(w->a, ns + 1);
    struct bl_shop_result *res = bl_arena_alloc(w->a, (ns + 1) * sizeof(*res));
    if (!skip || !res)
        return bl_diag_set(w->d, BL_ENOMEM, "what-if: out of memory");
    size_t first = *at;
    for (size_t s = 0; s < ns; s++) {
        skip[s] = w->in->shop_profile[s] != (int32_t)q;
        if (!skip[s])
            r->ratings[(*at)++] = (struct bl_wi_rating){
                .shop = (uint32_t)s, .profile = q, .band = {-1, -1}, .bare.band = -1};
    }
    for (int sc = 0; sc < 3; sc++) {
        int rc = days_of(w, sc, q, skip, res, r->ratings + first, *at - first);
        if (rc)
            return rc;
    }
    return BL_OK;
}

static int ratings(struct bl__wi *w, struct bl_wi_result *r)
{
    size_t ns = w->in->nshops;
    r->ratings = bl_arena_alloc(&r->arena, (ns + 1) * sizeof(*r->ratings));
    if (!r->ratings)
        return bl_diag_set(w->d, BL_ENOMEM, "what-if: out of memory");
    size_t at = 0;
    for (size_t q = 0; q < w->in->nprofiles; q++) {
        int rc = ratings_of(w, q, r, &at);
        if (rc)
            return rc;
    }
    r->nratings = at;
    /* by shop, then profile: the shops of one profile were added in shop order */
    for (size_t i = 1; i < at; i++)
        for (size_t j = i; j > 0 && r->ratings[j - 1].shop > r->ratings[j].shop; j--) {
            struct bl_wi_rating t = r->ratings[j];
            r->ratings[j] = r->ratings[j - 1];
            r->ratings[j - 1] = t;
        }
    for (size_t k = 0; k < at; k++) {
        struct bl_wi_rating *x = &r->ratings[k];
        r->rescued += x->bare.breach && !x->breach[BL_WI_WITH];
        x->falls = worse(x->bare.band, x->band[BL_WI_BASE]);
        x->saved = x->falls && !worse(x->band[BL_WI_WITH], x->band[BL_WI_BASE]);
        r->falls += x->falls;
        r->saved += x->saved;
    }
    return BL_OK;
}

/* ---- orders held and late, per shop and channel ---------------------------------------- */

static bool late(const int64_t *ev, int64_t due, int64_t until, size_t k)
{
    return ev[k] == BL_NO_TIME || ev[k] > until || ev[k] > due;
}

/* *acc += v, saturating (a catalogue's prices are checked when quoted; a sum of them past
 * int64 reads as the largest amount rather than wrapping). */
static void add_sat(int64_t *acc, int64_t v)
{
    if (__builtin_add_overflow(*acc, v, acc))
        *acc = v > 0 ? INT64_MAX : INT64_MIN;
}

/* Order k's freight: a carrier SLA waiver in each run (simulated shipment in the horizon,
 * its deadline passed in it without delivery), and what the price changes add to it with
 * the events (it ships on the channel in a change's window). */
static void freight(const struct bl__wi *w, size_t k, struct bl_wi_orders *x)
{
    const struct bl_wi_input *in = w->in;
    int32_t c = w->channel[k];
    if (!in->freight || c < 0 || (size_t)c >= in->nchannels || !(w->sim[k] & 1))
        return;
    int64_t f = in->freight[w->src[k]];
    memcpy(x->currency, in->ch_currency[c], 4);
    for (int run = 0; f >= 0 && in->sla_days && in->sla_days[c] > 0 && run < 2; run++) {
        int64_t sh = w->ev[run][0][k], dl = w->ev[run][2][k];
        if (sh == BL_NO_TIME || sh <= in->as_of || sh > w->until)
            continue;
        int64_t deadline = sh + in->sla_days[c] * BL__WI_DAY;
        if (deadline <= w->until && (dl == BL_NO_TIME || dl > deadline)) {
            add_sat(&x->waivers[run], f);
            x->nwaivers[run]++;
        }
    }
    int64_t sh = w->ev[1][0][k];
    for (size_t p = 0; sh != BL_NO_TIME && p < in->nprices; p++) {
        const struct bl_wi_price *q = &in->prices[p];
        int64_t extra = q->extra ? q->extra[w->src[k]] : BL_WI_NO_PRICE;
        if (q->channel == c && sh >= q->from && sh < q->to && sh > in->as_of && sh <= w->until &&
            extra != BL_WI_NO_PRICE) {
            add_sat(&x->freight_extra, extra);
            x->nrepriced++;
        }
    }
}

static void count_order(const struct bl__wi *w, size_t k, struct bl_wi_orders *x)
{
    freight(w, k, x);
    int64_t from = w->in->as_of, until = w->until;
    bool live = w->cancelled[k] == BL_NO_TIME || w->cancelled[k] > until;
    if (live && w->ship_by[k] != BL_NO_TIME && w->ship_by[k] > from && w->ship_by[k] <= until) {
        x->due++;
        x->held += w->held[k];
        for (int run = 0; run < 2; run++)
            x->late_ship[run] += late(w->ev[run][0], w->ship_by[k], until, k);
    }
    if (live && w->promised[k] != BL_NO_TIME && w->promised[k] > from && w->promised[k] <= until)
        for (int run = 0; run < 2; run++)
            x->late_deliver[run] += late(w->ev[run][2], w->promised[k], until, k);
}

static int orders(struct bl__wi *w, struct bl_wi_result *r)
{
    size_t nch = w->in->nchannels + 1; /* slot 0: no channel */
    struct bl_wi_orders *row = bl_arena_alloc(w->a, nch * sizeof(*row));
    size_t cap = 0;
    for (size_t s = 0; s < w->in->nshops; s++) {
        memset(row, 0, nch * sizeof(*row));
        for (size_t k = w->shop_off[s]; k < w->shop_off[s + 1]; k++) {
            int32_t c = w->channel[k];
            count_order(w, k, &row[c >= 0 && (size_t)c < w->in->nchannels ? (size_t)c + 1 : 0]);
        }
        for (size_t c = 0; c < nch; c++) {
            struct bl_wi_orders *x = &row[c];
            if (!x->due && !x->late_deliver[0] && !x->late_deliver[1] && !x->nwaivers[0] &&
                !x->nwaivers[1] && !x->nrepriced)
                continue;
            if (r->norders == cap) {
                size_t ncap = cap ? cap * 2 : 64;
                struct bl_wi_orders *v = bl_arena_alloc(&r->arena, ncap * sizeof(*v));
                if (!v)
                    return bl_diag_set(w->d, BL_ENOMEM, "what-if: out of memory");
                if (r->norders)
                    memcpy(v, r->orders, r->norders * sizeof(*v));
                r->orders = v;
                cap = ncap;
            }
            x->shop = (uint32_t)s;
            x->channel = c ? (int32_t)(c - 1) : -1;
            r->orders[r->norders++] = *x;
            r->held_total += x->held;
            for (int run = 0; run < 2; run++) {
                r->late_ship_total[run] += x->late_ship[run];
                r->late_deliver_total[run] += x->late_deliver[run];
            }
            if (x->currency[0] && (x->nwaivers[0] || x->nwaivers[1] || x->nrepriced)) {
                struct bl_wi_money *m = bl__wi_money_of(w, r, x->currency);
                if (!m)
                    return w->d->code ? w->d->code
                                      : bl_diag_set(w->d, BL_ENOMEM, "what-if: out of memory");
                for (int run = 0; run < 2; run++) {
                    add_sat(&m->waivers[run], x->waivers[run]);
                    m->nwaivers[run] += x->nwaivers[run];
                }
                add_sat(&m->freight_extra, x->freight_extra);
            }
        }
    }
    return row ? BL_OK : bl_diag_set(w->d, BL_ENOMEM, "what-if: out of memory");
}

int bl_wi_run(const struct bl_wi_input *in, struct bl_wi_result *out, struct bl_diag *d)
{
    memset(out, 0, sizeof(*out));
    bl_arena_init(&out->arena, 1u << 16);
    int rc = check(in, d);
    if (rc)
        return rc;
    struct bl_arena scratch;
    bl_arena_init(&scratch, 1u << 20);
    struct bl__wi w = {
        .in = in, .a = &scratch, .d = d, .until = in->as_of + in->horizon * BL__WI_DAY};
    out->as_of = in->as_of;
    out->horizon = in->horizon;
    rc = bl__wi_orders(&w);
    if (!rc)
        bl__wi_plan_orders(&w);
    if (!rc) {
        out->data_until = w.last;
        out->projected = (int64_t)(w.n - w.nreal);
        rc = bl__wi_shift(&w);
    }
    if (!rc)
        rc = contexts(&w);
    if (!rc && !in->lean)
        rc = ratings(&w, out);
    if (!rc)
        rc = orders(&w, out);
    if (!rc)
        rc = bl__wi_money(&w, out);
    if (!rc)
        rc = bl__wi_stock(&w, out);
    bl_arena_release(&scratch);
    if (rc)
        bl_wi_result_release(out);
    return rc;
}

void bl_wi_result_release(struct bl_wi_result *r)
{
    bl_arena_release(&r->arena);
    memset(r, 0, sizeof(*r));
}
