/* mitigate_search.c - the plans: the best set of levers per problem (exhaustive with a
 * bound, or greedy), one plan per family of levers, measured and ranked
 * (include/ballast/mitigate.h, docs/internals/mitigate.md). */
#include "engine/mitigate_impl.h"

#include <stdlib.h>
#include <string.h>

#include "ballast/banned.h"

static bool allowed(const struct bl_mg_lever *l, enum bl_mg_plan_kind plan)
{
    switch (plan) {
    case BL_MG_PLAN_BEST:
        return true;
    case BL_MG_PLAN_FREE:
        return l->unit_cost == 0 && l->fixed_cost == 0;
    case BL_MG_PLAN_LOGISTICS:
        return !bl__mg_supply_kind(l->kind);
    case BL_MG_PLAN_SUPPLY:
        return bl__mg_supply_kind(l->kind);
    default:
        return false;
    }
}

/* The bound: a lever whose least step costs at least the problem's whole cost cannot pay. */
static bool cannot_pay(const struct bl_mg_lever *l, int64_t base)
{
    int64_t least = l->kind == BL_MG_BACKUP_SUPPLIER && l->moq > 1 ? l->moq : 1;
    if (l->kind == BL_MG_PAUSE_PROMOTION || l->kind == BL_MG_EXTEND_HANDLING)
        least = 0;
    __int128 c = (__int128)l->unit_cost * least + l->fixed_cost;
    return base <= 0 || c >= base;
}

struct pick {
    size_t lev[BL__MG_MAX_STEPS];
    struct bl_mg_step st[BL__MG_MAX_STEPS];
    size_t n;
    int64_t total;
};

static int eval(const struct bl_mg_input *in, size_t q, struct pick *p, struct bl_diag *d)
{
    int64_t left, sum;
    int rc = bl_mg_estimate(in, q, p->lev, p->n, p->st, &left, d);
    if (rc != 0)
        return rc;
    sum = left;
    for (size_t k = 0; k < p->n; k++)
        if (bl_money_add(sum, p->st[k].cost, &sum) != 0)
            return bl_diag_set(d, BL_EOVERFLOW, "mitigate: a plan's cost does not fit");
    p->total = sum;
    return BL_OK;
}

/* Every subset of cand[k]: the least total, then fewer levers, then the lower mask. */
static int exhaustive(const struct bl_mg_input *in, size_t q, const size_t *cand, size_t k,
                      struct pick *best, struct bl_diag *d)
{
    struct pick cur;
    best->n = 0;
    int rc = eval(in, q, best, d);
    for (uint32_t mask = 1; rc == 0 && mask < (1u << k); mask++) {
        cur.n = 0;
        for (size_t i = 0; i < k; i++)
            if (mask & (1u << i))
                cur.lev[cur.n++] = cand[i];
        rc = eval(in, q, &cur, d);
        if (rc == 0 && (cur.total < best->total || (cur.total == best->total && cur.n < best->n)))
            *best = cur;
    }
    return rc;
}

/* Adds the lever that lowers the total most, until none does. */
static int greedy(const struct bl_mg_input *in, size_t q, const size_t *cand, size_t k,
                  struct pick *best, struct bl_diag *d)
{
    struct pick cur;
    bool used[BL__MG_MAX_STEPS * 4] = {false};
    best->n = 0;
    int rc = eval(in, q, best, d);
    while (rc == 0 && best->n < BL__MG_MAX_STEPS) {
        ptrdiff_t take = -1;
        struct pick top = *best;
        for (size_t i = 0; rc == 0 && i < k; i++) {
            if (used[i])
                continue;
            cur = *best;
            cur.lev[cur.n++] = cand[i];
            rc = eval(in, q, &cur, d);
            if (rc == 0 && cur.total < top.total) {
                top = cur;
                take = (ptrdiff_t)i;
            }
        }
        if (rc != 0 || take < 0)
            break;
        used[take] = true;
        /* keep the levers in index order, as the exhaustive search does */
        for (size_t i = top.n - 1; i > 0 && top.lev[i] < top.lev[i - 1]; i--) {
            size_t t = top.lev[i];
            top.lev[i] = top.lev[i - 1];
            top.lev[i - 1] = t;
        }
        rc = eval(in, q, &top, d);
        *best = top;
    }
    return rc;
}

struct plan_buf {
    struct bl_mg_step *st;
    size_t n, cap;
};

static int push(struct plan_buf *b, const struct bl_mg_step *s, struct bl_diag *d)
{
    if (bl_grow((void **)&b->st, &b->cap, b->n + 1, sizeof(*s)) != 0)
        return bl_diag_set(d, BL_ENOMEM, "mitigate: out of memory");
    b->st[b->n++] = *s;
    return BL_OK;
}

/* The plan of one family: for each problem, the best subset of its allowed levers.
 * first[q]..first[q+1] index byprob, the levers grouped by problem. */
static int family(const struct bl_mg_input *in, enum bl_mg_plan_kind kind, const size_t *byprob,
                  const size_t *first, const int64_t *base, int64_t *est_left, struct plan_buf *b,
                  struct bl_diag *d)
{
    size_t cap = in->max_subset ? in->max_subset : 12;
    size_t cand[BL__MG_MAX_STEPS * 4];
    struct pick best;
    b->n = 0;
    memcpy(est_left, base, in->nproblems * sizeof(*base));
    for (size_t q = 0; q < in->nproblems && kind != BL_MG_PLAN_NOTHING; q++) {
        size_t k = 0;
        for (size_t i = first[q]; i < first[q + 1] && k < BL__MG_MAX_STEPS * 4; i++) {
            const struct bl_mg_lever *l = &in->levers[byprob[i]];
            if (allowed(l, kind) && !cannot_pay(l, base[q]))
                cand[k++] = byprob[i];
        }
        est_left[q] = base[q];
        if (k == 0)
            continue;
        int rc = k <= cap ? exhaustive(in, q, cand, k, &best, d) : greedy(in, q, cand, k, &best, d);
        if (rc == 0)
            est_left[q] = best.total; /* total = the steps' cost + what is left */
        for (size_t i = 0; rc == 0 && i < best.n; i++)
            est_left[q] -= best.st[i].cost;
        for (size_t i = 0; rc == 0 && i < best.n; i++)
            if (best.st[i].units > 0 || best.st[i].saving > 0)
                rc = push(b, &best.st[i], d);
        if (rc != 0)
            return rc;
    }
    return BL_OK;
}

static bool same_steps(const struct bl_mg_plan *p, const struct plan_buf *b)
{
    if (p->nsteps != b->n)
        return false;
    for (size_t i = 0; i < b->n; i++)
        if (p->steps[i].lever != b->st[i].lever || p->steps[i].units != b->st[i].units)
            return false;
    return true;
}

/* Shares each problem's measured saving among its steps as their estimates share it. */
static int share(const struct bl_mg_input *in, struct bl_mg_plan *p, const int64_t *base,
                 const int64_t *left)
{
    for (size_t i = 0; i < p->nsteps;) {
        size_t q = in->levers[p->steps[i].lever].problem, j = i;
        int64_t est = 0, got = base[q] - left[q], given = 0;
        while (j < p->nsteps && in->levers[p->steps[j].lever].problem == q)
            est += p->steps[j++].saving;
        for (size_t k = i; k < j; k++) {
            int64_t s = 0;
            if (k + 1 == j)
                s = got - given;
            else if (est > 0 && bl_money_scale(got, p->steps[k].saving, est, &s) != 0)
                return BL_EOVERFLOW;
            else if (est <= 0)
                s = 0;
            p->steps[k].saving = s;
            given += s;
        }
        i = j;
    }
    return BL_OK;
}

struct run {
    const struct bl_mg_input *in;
    struct bl_arena *a;
    int64_t *base, *est_left, *left, *mbase; /* costs per problem: alone, estimated after
                                                 the plan, after it, measured alone */
    struct bl_diag *d;
};

/* Fills p from b: steps copied to the arena, the spend, the left (measured or not). */
static int settle(struct run *r, struct bl_mg_plan *p, const struct plan_buf *b, bool nothing)
{
    const struct bl_mg_input *in = r->in;
    p->steps = b->n ? bl_arena_alloc(r->a, b->n * sizeof(*p->steps)) : NULL;
    if (b->n && !p->steps)
        return bl_diag_set(r->d, BL_ENOMEM, "mitigate: out of memory");
    if (b->n)
        memcpy(p->steps, b->st, b->n * sizeof(*p->steps));
    p->nsteps = b->n;
    p->spend = 0;
    for (size_t i = 0; i < b->n; i++)
        if (bl_money_add(p->spend, b->st[i].cost, &p->spend) != 0)
            return bl_diag_set(r->d, BL_EOVERFLOW, "mitigate: a plan's cost does not fit");
    const int64_t *base = r->base;
    if (in->measure) {
        int rc = in->measure->fn(in->measure->ctx, p->steps, p->nsteps, r->left, r->d);
        if (rc != 0)
            return rc;
        p->measured = true;
        if (nothing)
            memcpy(r->mbase, r->left, in->nproblems * sizeof(*r->left));
        base = r->mbase;
    } else {
        memcpy(r->left, r->est_left, in->nproblems * sizeof(*r->left));
    }
    p->left = 0;
    for (size_t i = 0; i < in->nproblems; i++)
        if (bl_money_add(p->left, r->left[i], &p->left) != 0)
            return bl_diag_set(r->d, BL_EOVERFLOW, "mitigate: a plan's cost does not fit");
    if (bl_money_add(p->spend, p->left, &p->total) != 0)
        return bl_diag_set(r->d, BL_EOVERFLOW, "mitigate: a plan's cost does not fit");
    return share(in, p, base, r->left) != 0
               ? bl_diag_set(r->d, BL_EOVERFLOW, "mitigate: a saving does not fit")
               : BL_OK;
}

static int by_total(const void *x, const void *y)
{
    const struct bl_mg_plan *a = x, *b = y;
    if (a->total != b->total)
        return a->total < b->total ? -1 : 1;
    return (int)a->kind - (int)b->kind;
}

/* Levers grouped by problem: byprob[first[q]..first[q+1]), in index order. */
static int group(const struct bl_mg_input *in, struct bl_arena *a, size_t **byprob, size_t **first)
{
    *first = bl_arena_alloc(a, (in->nproblems + 1) * sizeof(**first));
    *byprob = bl_arena_alloc(a, (in->nlevers + 1) * sizeof(**byprob));
    size_t *at = bl_arena_alloc(a, (in->nproblems + 1) * sizeof(*at));
    if (!*first || !*byprob || !at)
        return BL_ENOMEM;
    memset(*first, 0, (in->nproblems + 1) * sizeof(**first));
    for (size_t i = 0; i < in->nlevers; i++)
        (*first)[in->levers[i].problem + 1]++;
    for (size_t q = 0; q < in->nproblems; q++)
        (*first)[q + 1] += (*first)[q];
    memcpy(at, *first, (in->nproblems + 1) * sizeof(*at));
    for (size_t i = 0; i < in->nlevers; i++) /* stable: a cursor per problem */
        (*byprob)[at[in->levers[i].problem]++] = i;
    return BL_OK;
}

static int plans(struct run *r, const size_t *byprob, const size_t *first, struct bl_mg_result *out)
{
    static const enum bl_mg_plan_kind order[BL_MG_NPLANS] = {BL_MG_PLAN_NOTHING, BL_MG_PLAN_BEST,
                                                             BL_MG_PLAN_FREE, BL_MG_PLAN_LOGISTICS,
                                                             BL_MG_PLAN_SUPPLY};
    struct plan_buf b = {NULL, 0, 0};
    int rc = BL_OK;
    for (size_t i = 0; rc == 0 && i < BL_MG_NPLANS; i++) {
        rc = family(r->in, order[i], byprob, first, r->base, r->est_left, &b, r->d);
        bool dup = false;
        for (size_t k = 0; rc == 0 && k < out->nplans && !dup; k++)
            dup = same_steps(&out->plans[k], &b);
        if (rc != 0 || dup)
            continue;
        struct bl_mg_plan *p = &out->plans[out->nplans];
        memset(p, 0, sizeof(*p));
        p->kind = order[i];
        rc = settle(r, p, &b, order[i] == BL_MG_PLAN_NOTHING);
        if (rc == 0)
            out->nplans++;
    }
    bl_free(b.st);
    return rc;
}

int bl_mg_search(const struct bl_mg_input *in, struct bl_arena *a, struct bl_mg_result *out,
                 struct bl_diag *d)
{
    memset(out, 0, sizeof(*out));
    int rc = bl__mg_check(in, d);
    if (rc != 0)
        return rc;
    size_t np = in->nproblems ? in->nproblems : 1, *byprob, *first;
    struct run r = {in, a, NULL, NULL, NULL, NULL, d};
    r.base = bl_arena_alloc(a, 4 * np * sizeof(int64_t));
    out->plans = bl_arena_alloc(a, BL_MG_NPLANS * sizeof(*out->plans));
    if (!r.base || !out->plans || group(in, a, &byprob, &first) != 0)
        return bl_diag_set(d, BL_ENOMEM, "mitigate: out of memory");
    r.est_left = r.base + np;
    r.left = r.base + 2 * np;
    r.mbase = r.base + 3 * np;
    for (size_t q = 0; q < in->nproblems; q++)
        if (bl_mg_problem_cost(&in->problems[q], &r.base[q]) != 0)
            return bl_diag_set(d, BL_EOVERFLOW,
                               "mitigate: the cost of problem %zu does not "
                               "fit",
                               q);
    rc = plans(&r, byprob, first, out);
    if (rc != 0)
        return rc;
    out->baseline = out->plans[0].total; /* doing nothing, settled first */
    for (size_t i = 0; i < out->nplans; i++)
        out->plans[i].saving = out->baseline - out->plans[i].total;
    qsort(out->plans, out->nplans, sizeof(*out->plans), by_total);
    return BL_OK;
}
