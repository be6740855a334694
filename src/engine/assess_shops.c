/* assess_shops.c - per shop: counts for every window, rates, rating, and the
 * carry-over for shops short of counted orders (assess.h, docs/internals/assess.md). */
#include <math.h>
#include <string.h>

#include "ballast/assess.h"

/* Counters for every window the profile needs, per shop: allocated once per call and
 * reused by every day the carry-over recomputes. */
struct scratch {
    const struct bl_assess_ctx *c;
    const struct bl_assess_orders *o;
    const struct bl_profile *p;
    int window;
    size_t ns;
    int windows[BL_RULES_MAX + 1];
    size_t nw;
    struct bl_shop_counts *k; /* nw * ns */
};

/* Counts for every window as of `at`, then the rating, for the shops not skipped. */
static void evaluate(struct scratch *sc, int64_t at, const bool *skip, struct bl_shop_result *res)
{
    size_t ns = sc->ns;
    struct bl_shop_counts *k = sc->k;
    const struct bl_profile *p = sc->p;
    for (size_t w = 0; w < sc->nw; w++) {
        for (size_t s = 0; s < ns; s++) /* the pass adds to the shops it reads only */
            if (!skip || !skip[s])
                memset(&k[w * ns + s], 0, sizeof(*k));
        bl_assess_count(sc->c, sc->o, p, at, sc->windows[w], skip, k + w * ns);
    }
    struct bl_shop_rates by_rule[BL_RULES_MAX];
    for (size_t s = 0; s < ns; s++) {
        if (skip && skip[s])
            continue;
        struct bl_shop_result *x = &res[s];
        x->k = k[s];
        bl_assess_rates(&x->k, &x->rates);
        for (size_t q = 0; q < p->nrules; q++) {
            int rw = p->rules[q].window_days ? p->rules[q].window_days : sc->window;
            size_t w = 0;
            while (sc->windows[w] != rw)
                w++;
            bl_assess_rates(&k[w * ns + s], &by_rule[q]);
            bl_assess_rule(&p->rules[q], &k[w * ns + s], rw, &x->rules[q]);
        }
        x->rules_known = true;
        bl_assess_rating(p, by_rule, &x->score, x->rating);
        x->failing = bl_assess_failing(p, by_rule);
        x->enough = x->k.counted + x->k.kept_on_time >= p->min_counted;
        x->carried = false;
        x->carried_from = 0;
        x->pending = false;
    }
}

/* Days back to carry_days, recomputed for the shops short at A (short_of). */
static void carry_days(struct scratch *sc, int64_t as_of, bool *short_of, bool *skip,
                       struct bl_shop_result *old, struct bl_shop_result *res)
{
    size_t ns = sc->ns, nrecompute = 0;
    /* A shop with fewer orders than the minimum can have enough on no day. */
    const size_t *off = sc->o->shop_off;
    for (size_t s = 0; s < ns; s++) {
        skip[s] = !short_of[s] || (off && off[s + 1] - off[s] < (size_t)sc->p->min_counted);
        nrecompute += !skip[s];
    }
    for (int day = 1; nrecompute && day <= sc->p->carry_days; day++) {
        int64_t at = as_of - (int64_t)day * 86400;
        evaluate(sc, at, skip, old);
        for (size_t s = 0; s < ns; s++) {
            if (skip[s] || !old[s].enough)
                continue;
            res[s].rates = old[s].rates;
            res[s].score = old[s].score;
            memcpy(res[s].rating, old[s].rating, sizeof(res[s].rating));
            res[s].failing = old[s].failing;
            memcpy(res[s].rules, old[s].rules, sc->p->nrules * sizeof(*res[s].rules));
            res[s].carried = true;
            res[s].carried_from = at;
            short_of[s] = false;
            skip[s] = true;
            nrecompute--;
        }
    }
}

int bl_assess_shops(const struct bl_assess_ctx *c, const struct bl_assess_orders *o,
                    const struct bl_profile *p, int64_t as_of, int window_days, size_t nshops,
                    const bool *skip, struct bl_arena *a, struct bl_shop_result *res,
                    struct bl_diag *d)
{
    struct scratch sc = {c, o, p, window_days, nshops, {0}, 0, NULL};
    sc.nw = bl_assess_windows(p, window_days, sc.windows);
    size_t n1 = nshops + 1;
    if (n1 > SIZE_MAX / sizeof(struct bl_shop_counts) / (sc.nw + 1) ||
        n1 > SIZE_MAX / sizeof(struct bl_rule_result) / (2 * BL_RULES_MAX))
        return bl_diag_set(d, BL_ETOOBIG, "assess: too many shops");
    sc.k = bl_arena_alloc(a, n1 * sc.nw * sizeof(*sc.k));
    bool *short_of = bl_arena_alloc(a, n1 * sizeof(bool));
    bool *skip2 = bl_arena_alloc(a, n1 * sizeof(bool));
    struct bl_shop_result *old = bl_arena_alloc(a, n1 * sizeof(*old));
    size_t nr = p->nrules ? p->nrules : 1; /* p->nrules <= BL_RULES_MAX */
    struct bl_rule_result *rr = bl_arena_alloc(a, 2 * n1 * nr * sizeof(*rr));
    if (!sc.k || !short_of || !skip2 || !old || !rr)
        return bl_diag_set(d, BL_ENOMEM, "assess: out of memory");
    for (size_t s = 0; s < nshops; s++) {
        old[s].rules = rr + (n1 + s) * nr;
        if (!(skip && skip[s]))
            res[s].rules = rr + s * nr;
    }
    evaluate(&sc, as_of, skip, res);
    size_t nshort = 0;
    for (size_t s = 0; s < nshops; s++)
        nshort += short_of[s] = !(skip && skip[s]) && !res[s].enough;
    if (nshort)
        carry_days(&sc, as_of, short_of, skip2, old, res);
    /* Still short: no rating, unless a stored result carries. */
    for (size_t s = 0; s < nshops; s++) {
        if (!short_of[s])
            continue;
        res[s].rating[0] = '\0';
        res[s].pending = true;
    }
    return BL_OK;
}

void bl_assess_carry_stored(const struct bl_profile *p, int64_t as_of,
                            const struct bl_assess_earlier *e, size_t n, size_t nshops,
                            struct bl_shop_result *res)
{
    for (size_t k = 0; k < n; k++) {
        const struct bl_assess_earlier *x = &e[k];
        if (x->shop >= nshops || !res[x->shop].pending || x->carried || x->as_of >= as_of ||
            x->k.counted + x->k.kept_on_time < p->min_counted)
            continue;
        struct bl_shop_result *r = &res[x->shop];
        if (r->carried && r->carried_from >= x->as_of)
            continue; /* a later stored one was taken */
        bl_assess_rates(&x->k, &r->rates);
        r->score = x->score;
        memcpy(r->rating, x->rating, sizeof(r->rating));
        r->rating[sizeof(r->rating) - 1] = '\0';
        r->failing = 0; /* the stored day's rules are not known */
        r->rules_known = false;
        r->carried = true;
        r->carried_from = x->as_of;
    }
    for (size_t s = 0; s < nshops; s++)
        res[s].pending = false;
}

int bl_assess_trend(const struct bl_assess_ctx *c, const struct bl_assess_orders *o,
                    const struct bl_profile *p, size_t shop, size_t nshops, int64_t first_as_of,
                    size_t ndays, int window_days, struct bl_arena *a, struct bl_assess_day *out,
                    struct bl_diag *d)
{
    if (shop >= nshops)
        return bl_diag_set(d, BL_EINVAL, "assess trend: no shop %zu", shop);
    struct scratch sc = {c, o, p, window_days, nshops, {0}, 0, NULL};
    sc.nw = bl_assess_windows(p, window_days, sc.windows);
    size_t n1 = nshops + 1, nr = p->nrules ? p->nrules : 1;
    if (n1 > SIZE_MAX / sizeof(struct bl_shop_counts) / (sc.nw + 1) ||
        ndays > SIZE_MAX / sizeof(struct bl_rule_result) / nr)
        return bl_diag_set(d, BL_ETOOBIG, "assess trend: too many shops or days");
    sc.k = bl_arena_alloc(a, n1 * sc.nw * sizeof(*sc.k));
    bool *skip = bl_arena_alloc(a, n1 * sizeof(bool));
    struct bl_shop_result *res = bl_arena_alloc(a, n1 * sizeof(*res));
    struct bl_rule_result *rr = bl_arena_alloc(a, (ndays + 1) * nr * sizeof(*rr));
    if (!sc.k || !skip || !res || !rr)
        return bl_diag_set(d, BL_ENOMEM, "assess trend: out of memory");
    for (size_t s = 0; s < nshops; s++)
        skip[s] = s != shop;
    for (size_t i = 0; i < ndays; i++) {
        int64_t at = first_as_of + (int64_t)i * 86400;
        res[shop].rules = rr + i * nr;
        evaluate(&sc, at, skip, res);
        struct bl_assess_day *x = &out[i];
        x->as_of = at;
        x->score = res[shop].score;
        x->enough = res[shop].enough;
        memcpy(x->rating, res[shop].rating, sizeof(x->rating));
        if (!x->enough)
            x->rating[0] = '\0';
        x->rules = res[shop].rules;
    }
    return BL_OK;
}
