/* whatif_mitigate_rating.c - ratings that money does not see (whatif_mitigate_impl.h;
 * docs/internals/mitigate.md, "A rating kept"). A shop whose marketplace pays buyers no
 * coupon for a late shipment (Amazon's) costs nothing in money when the events make its
 * orders late, so the search, which weighs money, offers it nothing; its harm is its
 * rating. A rating is not priced: a shop the events would push into its profile's breach
 * band by its late shipment rate is kept out of it where a reroute can, as a requirement
 * the plans meet, not a saving they trade. Each such reroute is measured (one run of the
 * what-if with all of them, with the daily standing) and offered only when, in that run,
 * no late-shipment rule of the shop misses its target; the plans with logistics levers
 * (every lever, logistics only) take it at its freight, and plans are ranked by ratings
 * kept, then by total. */
#include <string.h>

#include "app/whatif_mitigate_impl.h"
#include "ballast/assess.h"

struct cand {
    uint32_t shop;
    size_t profile;
    struct bl__mg_rr rr;
    int32_t to;
};

static bool ls_failing(const struct bl_profile *p, uint32_t failing)
{
    for (size_t k = 0; k < p->nrules; k++)
        if ((failing >> k & 1u) && p->rules[k].metric == BL_M_LATE_SHIPMENT)
            return true;
    return false;
}

/* The late-shipment rule with a target the words quote: the one over the profile's own
 * window (whose counters the result keeps), else the first. */
static const struct bl_rule *ls_rule(const struct bl_profile *p)
{
    const struct bl_rule *best = NULL;
    for (size_t k = 0; k < p->nrules; k++) {
        const struct bl_rule *r = &p->rules[k];
        int w = r->window_days ? r->window_days : p->window_days;
        if (r->metric == BL_M_LATE_SHIPMENT && r->has_target && (!best || w == p->window_days))
            best = r;
    }
    return best;
}

static const struct bl_wi_rating *rating_of(const struct bl_wi_result *r, uint32_t s, size_t prof)
{
    for (size_t i = 0; i < r->nratings; i++)
        if (r->ratings[i].shop == s && r->ratings[i].profile == prof)
            return &r->ratings[i];
    return NULL;
}

static double ls_rate(const struct bl_shop_counts *k)
{
    struct bl_shop_rates x;
    bl_assess_rates(k, &x);
    return x.late_shipment;
}

static bool has_late_problem(const struct bl__mg *m, uint32_t s)
{
    for (size_t q = 0; q < m->np; q++)
        if (m->p[q].kind == BL_MG_LATE && (uint32_t)m->p[q].shop == s)
            return true;
    return false;
}

/* The shops the events push into breach by a late-shipment rule, undeclared (nobody
 * declares: doing nothing), that money does not value, with a reroute. */
static int candidates(struct bl__mg *m, struct cand **out, size_t *n)
{
    const struct bl_wi_input *in = m->in;
    size_t cap = 0;
    for (uint32_t s = 0; s < in->nshops; s++) {
        int32_t prof = in->shop_profile[s];
        const struct bl_wi_rating *r = prof >= 0 ? rating_of(m->r, s, (size_t)prof) : NULL;
        if (!r || !r->bare.breach || r->breach[BL_WI_BASE] || has_late_problem(m, s) ||
            !ls_failing(&in->profiles[prof], r->bare.failing) || !ls_rule(&in->profiles[prof]))
            continue;
        struct cand c = {s, (size_t)prof, {0}, -1};
        int rc = bl__mg_backup(m, s, &c.rr, &c.to);
        if (rc < 0)
            return rc;
        if (rc == 0)
            continue;
        if (bl_grow((void **)out, &cap, *n + 1, sizeof(**out)))
            return bl_diag_set(m->d, BL_ENOMEM, "what-if: out of memory");
        (*out)[(*n)++] = c;
    }
    return BL_OK;
}

/* The what-if with every candidate's reroute (after the approved ones), its standing
 * computed: the ratings they keep. */
static int measure(struct bl__mg *m, const struct cand *c, size_t n, struct bl_wi_result *r)
{
    size_t na = m->in->nreroutes;
    struct bl_wi_reroute *rr = bl_calloc(n + na + 1, sizeof(*rr));
    if (!rr)
        return bl_diag_set(m->d, BL_ENOMEM, "what-if: out of memory");
    if (na)
        memcpy(rr, m->in->reroutes, na * sizeof(*rr));
    for (size_t i = 0; i < n; i++)
        rr[na + i] = (struct bl_wi_reroute){c[i].shop, c[i].rr.from, c[i].to, INT64_MIN, INT64_MAX};
    struct bl_wi_input in = *m->in;
    in.reroutes = rr;
    in.nreroutes = na + n;
    in.lean = false;
    int rc = bl_wi_run(&in, r, m->d);
    m->out->runs++;
    bl_free(rr);
    return rc;
}

/* The kept reroutes as steps (saving nothing in money), into out's arena. */
static size_t steps(struct bl__mg *m, const struct cand *c, size_t n, const struct bl_wi_result *r,
                    struct bl_app_mg_step *v, int64_t *spend)
{
    size_t k = 0;
    *spend = 0;
    for (size_t i = 0; i < n; i++) {
        const struct bl_profile *p = &m->in->profiles[c[i].profile];
        const struct bl_wi_rating *with = rating_of(r, c[i].shop, c[i].profile);
        const struct bl_wi_rating *none = rating_of(m->r, c[i].shop, c[i].profile);
        if (!with || !none || with->bare.breach || ls_failing(p, with->bare.failing))
            continue; /* the reroute does not keep it out: nothing a plan can promise */
        struct bl_app_mg_step *s = &v[k++];
        memset(s, 0, sizeof(*s));
        s->kind = BL_MG_REROUTE;
        s->by_day = s->ready_day = m->day0;
        s->units = c[i].rr.held;
        __int128 cost = (__int128)c[i].rr.diff * c[i].rr.held;
        s->cost = cost > INT64_MAX / 4 ? INT64_MAX / 4 : (int64_t)cost;
        s->until_day = (c[i].rr.until - 1) / 86400;
        bl__mg_name_reroute(m, c[i].shop, c[i].rr.from, c[i].to, s);
        s->rating = true;
        s->rate_kept = ls_rate(&with->bare.k);
        s->rate_left = ls_rate(&none->bare.k);
        s->rate_target = ls_rule(p)->target;
        s->rate_days = p->window_days;
        *spend = s->cost > INT64_MAX / 4 - *spend ? INT64_MAX / 4 : *spend + s->cost;
    }
    return k;
}

/* Plan o with the kept steps appended, at their freight. */
static int add_to(struct bl__mg *m, struct bl_app_mg_plan *o, const struct bl_app_mg_step *v,
                  size_t k, int64_t spend)
{
    struct bl_app_mg_step *s = bl_arena_alloc(&m->out->arena, (o->nsteps + k) * sizeof(*s));
    if (!s)
        return bl_diag_set(m->d, BL_ENOMEM, "what-if: out of memory");
    if (o->nsteps)
        memcpy(s, o->steps, o->nsteps * sizeof(*s));
    memcpy(s + o->nsteps, v, k * sizeof(*s));
    o->steps = s;
    o->nsteps += k;
    o->spend += spend;
    o->total += spend;
    o->saving = m->out->baseline - o->total;
    o->ratings_kept = k;
    return BL_OK;
}

/* Ratings kept first, then the least total; the search's order among equals. */
static void rank(struct bl_app_mg_plan *p, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        struct bl_app_mg_plan x = p[i];
        size_t j = i;
        while (j > 0 && (p[j - 1].ratings_kept < x.ratings_kept ||
                         (p[j - 1].ratings_kept == x.ratings_kept && p[j - 1].total > x.total))) {
            p[j] = p[j - 1];
            j--;
        }
        p[j] = x;
    }
}

static int keep(struct bl__mg *m, const struct bl_app_mg_step *v, size_t k, int64_t spend)
{
    struct bl_app_mg_res *out = m->out;
    bool best = false;
    int rc = BL_OK;
    for (size_t i = 0; !rc && i < out->nplans; i++)
        if (out->plans[i].kind == BL_MG_PLAN_BEST || out->plans[i].kind == BL_MG_PLAN_LOGISTICS) {
            best = best || out->plans[i].kind == BL_MG_PLAN_BEST;
            rc = add_to(m, &out->plans[i], v, k, spend);
        }
    if (!rc && !best) { /* no money problem a lever reaches: a plan for the ratings alone */
        struct bl_app_mg_plan *p =
            bl_arena_alloc(&out->arena, (out->nplans + 1) * sizeof(*out->plans));
        if (!p)
            return bl_diag_set(m->d, BL_ENOMEM, "what-if: out of memory");
        if (out->nplans)
            memcpy(p, out->plans, out->nplans * sizeof(*p));
        p[out->nplans] = (struct bl_app_mg_plan){.kind = BL_MG_PLAN_BEST,
                                                 .left = out->baseline,
                                                 .total = out->baseline,
                                                 .measured = true};
        out->plans = p;
        rc = add_to(m, &p[out->nplans++], v, k, spend);
    }
    if (!rc)
        rank(out->plans, out->nplans);
    return rc;
}

int bl__mg_ratings(struct bl__mg *m)
{
    struct cand *c = NULL;
    size_t n = 0;
    int rc = m->x->res->nshops ? candidates(m, &c, &n) : BL_OK;
    if (rc || !n) {
        bl_free(c);
        return rc;
    }
    struct bl_wi_result r;
    memset(&r, 0, sizeof(r));
    rc = measure(m, c, n, &r);
    struct bl_app_mg_step *v = rc ? NULL : bl_arena_alloc(&m->out->arena, n * sizeof(*v));
    if (!rc && !v)
        rc = bl_diag_set(m->d, BL_ENOMEM, "what-if: out of memory");
    int64_t spend = 0;
    size_t k = rc ? 0 : steps(m, c, n, &r, v, &spend);
    if (!rc && k)
        rc = keep(m, v, k, spend);
    bl_wi_result_release(&r);
    bl_free(c);
    return rc;
}
