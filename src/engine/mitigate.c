/* mitigate.c - the cost of a problem and the estimate of what levers save
 * (include/ballast/mitigate.h, docs/internals/mitigate.md). The search is in
 * mitigate_search.c. */
#include "engine/mitigate_impl.h"

#include <string.h>

#include "ballast/banned.h"

const char *bl_mg_kind_name(enum bl_mg_kind k)
{
    static const char *const names[BL_MG_NKINDS] = {
        "backup_supplier", "transfer", "pause_promotion", "reroute", "extend_handling"};
    return (unsigned)k < BL_MG_NKINDS ? names[k] : "?";
}

const char *bl_mg_plan_name(enum bl_mg_plan_kind k)
{
    static const char *const names[BL_MG_NPLANS] = {"best", "free", "logistics", "supply",
                                                    "nothing"};
    return (unsigned)k < BL_MG_NPLANS ? names[k] : "?";
}

bool bl__mg_supply_kind(enum bl_mg_kind k)
{
    return k == BL_MG_BACKUP_SUPPLIER || k == BL_MG_TRANSFER || k == BL_MG_PAUSE_PROMOTION;
}

/* n * num / den (den > 0, 0 <= num <= den), rounded up or to nearest. */
static int64_t part(int64_t n, int64_t num, int64_t den, bool up)
{
    __int128 x = (__int128)n * num;
    __int128 q = up ? (x + den - 1) / den : (2 * x + den) / (2 * (__int128)den);
    return (int64_t)q; /* <= n */
}

static int64_t max64(int64_t a, int64_t b)
{
    return a > b ? a : b;
}
static int64_t min64(int64_t a, int64_t b)
{
    return a < b ? a : b;
}

/* price * units + fixed, checked. */
static int price(int64_t unit, int64_t units, int64_t fixed, int64_t *out)
{
    int64_t v;
    if (bl_money_mul(unit, units, &v) != 0 || bl_money_add(v, fixed, out) != 0)
        return BL_EOVERFLOW;
    return BL_OK;
}

int bl_mg_problem_cost(const struct bl_mg_problem *p, int64_t *cost)
{
    int64_t a = 0, b = 0;
    if (bl_money_mul(p->units, p->unit_cost, &a) != 0)
        return BL_EOVERFLOW;
    if (p->kind == BL_MG_STOCKOUT && bl_money_mul(p->promo_day, p->to_day - p->from_day, &b) != 0)
        return BL_EOVERFLOW;
    return bl_money_add(a, b, cost) != 0 ? BL_EOVERFLOW : BL_OK;
}

/* Levers in the order they are applied: supply by ready day, then index. */
static void order_by_ready(const struct bl_mg_input *in, const size_t *lev, size_t n, size_t *idx)
{
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    for (size_t i = 1; i < n; i++) { /* insertion: n <= a problem's levers */
        size_t x = idx[i], j = i;
        const struct bl_mg_lever *lx = &in->levers[lev[x]];
        while (j > 0) {
            const struct bl_mg_lever *ly = &in->levers[lev[idx[j - 1]]];
            if (ly->ready_day < lx->ready_day ||
                (ly->ready_day == lx->ready_day && lev[idx[j - 1]] < lev[x]))
                break;
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = x;
    }
}

/* A supply step from `start`: the units it brings and uses. */
static int64_t supply_qty(const struct bl_mg_lever *l, int64_t need)
{
    if (l->kind == BL_MG_TRANSFER)
        return l->max_units > 0 ? min64(need, l->max_units) : 0;
    int64_t q = max64(need, l->moq);
    int64_t pack = l->case_pack > 1 ? l->case_pack : 1;
    if (q % pack != 0)
        q += pack - q % pack;
    return q;
}

static int stockout_eval(const struct bl_mg_input *in, const struct bl_mg_problem *p,
                         const size_t *lev, size_t n, size_t *idx, struct bl_mg_step *st,
                         int64_t *left)
{
    int64_t days = p->to_day - p->from_day, t = p->from_day, covered = 0;
    bool paused = false;
    order_by_ready(in, lev, n, idx);
    for (size_t k = 0; k < n; k++) {
        const struct bl_mg_lever *l = &in->levers[lev[idx[k]]];
        struct bl_mg_step *s = &st[idx[k]];
        if (l->kind == BL_MG_PAUSE_PROMOTION) {
            paused = true;
            continue;
        }
        int64_t start = max64(t, max64(l->ready_day, p->from_day));
        if (start >= p->to_day || covered >= p->units || days <= 0)
            continue; /* arrives too late, or nothing left: no step */
        int64_t need = min64(part(p->units, p->to_day - start, days, true), p->units - covered);
        int64_t q = supply_qty(l, need), use = min64(q, need);
        if (q <= 0)
            continue;
        s->units = q;
        if (price(l->unit_cost, q, l->fixed_cost, &s->cost) != 0 ||
            bl_money_mul(use, p->unit_cost, &s->saving) != 0)
            return BL_EOVERFLOW;
        covered += use;
        t = start + part(days, use, p->units, true);
    }
    int64_t days_short = p->units > 0 ? part(days, p->units - covered, p->units, true) : 0;
    int64_t lost = 0, promo = 0;
    if (bl_money_mul(p->units - covered, p->unit_cost, &lost) != 0 ||
        bl_money_mul(p->promo_day, p->units > 0 ? days_short : days, &promo) != 0)
        return BL_EOVERFLOW;
    for (size_t k = 0; k < n && paused; k++)
        if (in->levers[lev[k]].kind == BL_MG_PAUSE_PROMOTION) {
            st[k].saving = promo;
            promo = 0; /* one pause is enough; a second saves nothing */
        }
    return bl_money_add(lost, promo, left) != 0 ? BL_EOVERFLOW : BL_OK;
}

static int late_eval(const struct bl_mg_input *in, const struct bl_mg_problem *p, const size_t *lev,
                     size_t n, size_t *idx, struct bl_mg_step *st, int64_t *left)
{
    int64_t days = p->to_day - p->from_day, from = p->to_day; /* on time from `from` */
    ptrdiff_t ext = -1;
    for (size_t k = 0; k < n; k++) { /* the handling time: the earliest that fits */
        const struct bl_mg_lever *l = &in->levers[lev[k]];
        int64_t start = max64(l->ready_day, p->from_day);
        if (l->kind == BL_MG_EXTEND_HANDLING && p->days_late <= l->days && start < from) {
            from = start;
            ext = (ptrdiff_t)k;
        }
    }
    int64_t ext_from = from;
    order_by_ready(in, lev, n, idx);
    for (size_t k = n; k-- > 0;) { /* reroutes: the latest first, each up to the next */
        const struct bl_mg_lever *l = &in->levers[lev[idx[k]]];
        struct bl_mg_step *s = &st[idx[k]];
        int64_t start = max64(l->ready_day, p->from_day);
        if (l->kind != BL_MG_REROUTE || start >= from || days <= 0)
            continue;
        s->units = part(p->units, from - start, days, false);
        if (price(l->unit_cost, s->units, l->fixed_cost, &s->cost) != 0 ||
            bl_money_mul(s->units, p->unit_cost, &s->saving) != 0)
            return BL_EOVERFLOW;
        from = start;
    }
    if (ext >= 0 && days > 0 &&
        bl_money_mul(part(p->units, p->to_day - ext_from, days, false), p->unit_cost,
                     &st[ext].saving) != 0)
        return BL_EOVERFLOW;
    int64_t saved = days > 0 ? part(p->units, p->to_day - from, days, false) : 0;
    return bl_money_mul(p->units - saved, p->unit_cost, left) != 0 ? BL_EOVERFLOW : BL_OK;
}

int bl_mg_estimate(const struct bl_mg_input *in, size_t problem, const size_t *lev, size_t n,
                   struct bl_mg_step *steps, int64_t *left, struct bl_diag *d)
{
    size_t idx[BL__MG_MAX_STEPS];
    if (problem >= in->nproblems || n > sizeof(idx) / sizeof(idx[0]))
        return bl_diag_set(d, BL_EINVAL, "mitigate: problem %zu or %zu levers out of range",
                           problem, n);
    const struct bl_mg_problem *p = &in->problems[problem];
    for (size_t k = 0; k < n; k++) {
        if (lev[k] >= in->nlevers || in->levers[lev[k]].problem != problem)
            return bl_diag_set(d, BL_EINVAL, "mitigate: lever %zu does not act on problem %zu",
                               lev[k], problem);
        memset(&steps[k], 0, sizeof(steps[k]));
        steps[k].lever = lev[k];
    }
    int rc = p->kind == BL_MG_STOCKOUT ? stockout_eval(in, p, lev, n, idx, steps, left)
                                       : late_eval(in, p, lev, n, idx, steps, left);
    if (rc != 0)
        return bl_diag_set(d, rc, "mitigate: the cost of problem %zu does not fit", problem);
    return BL_OK;
}

static bool day_ok(int64_t v)
{
    return v >= -BL_MG_MAX_DAY && v <= BL_MG_MAX_DAY;
}

int bl__mg_check(const struct bl_mg_input *in, struct bl_diag *d)
{
    for (size_t i = 0; i < in->nproblems; i++) {
        const struct bl_mg_problem *p = &in->problems[i];
        if (!day_ok(p->from_day) || !day_ok(p->to_day) || p->from_day > p->to_day || p->units < 0 ||
            p->unit_cost < 0 || p->promo_day < 0 || p->days_late < 0 ||
            (p->kind != BL_MG_STOCKOUT && p->kind != BL_MG_LATE))
            return bl_diag_set(d, BL_EINVAL,
                               "mitigate: problem %zu: a day, count or amount "
                               "out of range",
                               i);
    }
    for (size_t i = 0; i < in->nlevers; i++) {
        const struct bl_mg_lever *l = &in->levers[i];
        if (l->problem >= in->nproblems || (unsigned)l->kind >= BL_MG_NKINDS ||
            bl__mg_supply_kind(l->kind) != (in->problems[l->problem].kind == BL_MG_STOCKOUT))
            return bl_diag_set(d, BL_EINVAL, "mitigate: lever %zu: no problem %zu of its kind", i,
                               l->problem);
        if (!day_ok(l->by_day) || !day_ok(l->ready_day) || l->unit_cost < 0 || l->fixed_cost < 0 ||
            l->max_units < 0 || l->moq < 0 || l->case_pack < 0 || l->days < 0)
            return bl_diag_set(d, BL_EINVAL,
                               "mitigate: lever %zu: a day, count or amount "
                               "out of range",
                               i);
    }
    if (in->max_subset > BL_MG_MAX_SUBSET)
        return bl_diag_set(d, BL_EINVAL, "mitigate: max_subset %zu is over %d", in->max_subset,
                           BL_MG_MAX_SUBSET);
    return BL_OK;
}
