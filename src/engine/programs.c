/* programs.c - support programmes: who is a member as of an instant, and each member's
 * share of a budget (programs.h, docs/internals/programs.md). Pure. */
#include <string.h>

#include "ballast/alloc.h"
#include "ballast/assess.h" /* BL_NO_TIME */
#include "ballast/programs.h"
#include "ballast/time.h"

static const char *const cond_names[BL_PG__COND_COUNT] = {"first_opening", "deposit_paid",
                                                          "sharing", "no_violation"};

static const char *const reason_names[BL_PG__REASON_COUNT] = {
    "ok",        "not_trading",      "not_opened", "reopened",    "deposit_unpaid", "sharing_off",
    "violation", "linked_violation", "no_region",  "not_covered", "pending"};

const char *bl_pg_cond_name(enum bl_pg_cond c)
{
    return (unsigned)c < BL_PG__COND_COUNT ? cond_names[c] : NULL;
}

const char *bl_pg_reason_name(enum bl_pg_reason r)
{
    return (unsigned)r < BL_PG__REASON_COUNT ? reason_names[r] : NULL;
}

enum bl_pg_reason bl_pg_reason_from_name(const char *name)
{
    for (size_t i = 0; name && i < BL_PG__REASON_COUNT; i++)
        if (strcmp(name, reason_names[i]) == 0)
            return (enum bl_pg_reason)i;
    return BL_PG__REASON_COUNT;
}

static bool known_by(int64_t at, int64_t as_of)
{
    return at != BL_NO_TIME && at <= as_of;
}

/* The merchant whose shop id is id, or NULL (m sorted by id). */
static const struct bl_pg_merchant *find(const struct bl_pg_merchant *m, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m[mid].id == id)
            return &m[mid];
        if (m[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Whether an account linked to m[i] had a major violation by as_of: the one it names,
 * or one that names it. */
static bool linked_violation(const struct bl_pg_merchant *m, size_t n, size_t i, int64_t as_of)
{
    const struct bl_pg_merchant *to = m[i].linked_to ? find(m, n, m[i].linked_to) : NULL;
    if (to && known_by(to->violation_at, as_of))
        return true;
    for (size_t j = 0; j < n; j++)
        if (j != i && m[j].linked_to == m[i].id && known_by(m[j].violation_at, as_of))
            return true;
    return false;
}

/* One condition: BL_PG_OK with *at when it was met (BL_NO_TIME: always true), or why not. */
static enum bl_pg_reason cond(const struct bl_program *p, enum bl_pg_cond c,
                              const struct bl_pg_merchant *m, size_t n, size_t i, int64_t as_of,
                              int64_t *at)
{
    const struct bl_pg_merchant *x = &m[i];
    *at = BL_NO_TIME;
    switch (c) {
    case BL_PG_FIRST_OPENING:
        *at = x->opened_at;
        return !known_by(x->opened_at, as_of) ? BL_PG_NOT_OPENED
               : x->reopened                  ? BL_PG_REOPENED
                                              : BL_PG_OK;
    case BL_PG_DEPOSIT_PAID:
        *at = x->deposit_paid_at;
        return known_by(x->deposit_paid_at, as_of) ? BL_PG_OK : BL_PG_DEPOSIT_UNPAID;
    case BL_PG_SHARING:
        *at = x->sharing_at;
        return known_by(x->sharing_at, as_of) ? BL_PG_OK : BL_PG_SHARING_OFF;
    case BL_PG_NO_VIOLATION:
        if (known_by(x->violation_at, as_of))
            return BL_PG_VIOLATION;
        return p->linked && linked_violation(m, n, i, as_of) ? BL_PG_LINKED_VIOLATION : BL_PG_OK;
    case BL_PG__COND_COUNT:
        break;
    }
    return BL_PG_OK;
}

static bool kind_covered(const struct bl_program *p, const char *kind)
{
    if (!p->nkinds)
        return true;
    for (size_t k = 0; kind && k < p->nkinds; k++)
        if (strcmp(p->kinds[k], kind) == 0)
            return true;
    return false;
}

/* Coverage: the earliest start of the programme's disruptions covering the merchant's
 * region at as_of. */
static enum bl_pg_reason covered(const struct bl_program *p, const struct bl_pg_merchant *x,
                                 const struct bl_pg_disruption *d, size_t nd, int64_t as_of,
                                 struct bl_pg_verdict *v)
{
    if (!x->region || !x->region[0])
        return BL_PG_NO_REGION;
    for (size_t k = 0; k < nd; k++) {
        if (!kind_covered(p, d[k].kind) ||
            !bl_cover_order(&d[k].cover, x->region, BL_SCOPE_ORIGIN, NULL, as_of))
            continue;
        if (v->covered_at == BL_NO_TIME || d[k].cover.starts < v->covered_at) {
            v->covered_at = d[k].cover.starts;
            v->disruption = d[k].id;
        }
    }
    return v->covered_at == BL_NO_TIME ? BL_PG_NOT_COVERED : BL_PG_OK;
}

/* The start of the local day after the one t falls on, in tz (NULL: UTC). */
static int64_t day_after(int64_t t, const struct bl_tz *tz, int64_t *day)
{
    *day = tz ? bl_tz_local_day(tz, t) : t / BL_DAY_SECS - (t % BL_DAY_SECS < 0);
    *day += 1;
    return tz ? bl_tz_local_to_utc(tz, *day * BL_DAY_SECS) : *day * BL_DAY_SECS;
}

static void eval_one(const struct bl_program *p, const struct bl_pg_merchant *m, size_t n, size_t i,
                     const struct bl_pg_disruption *x, size_t nx, int64_t as_of,
                     struct bl_pg_verdict *v)
{
    memset(v, 0, sizeof(*v));
    v->reason = BL_PG_OK;
    v->covered_at = v->met_at = v->since = v->since_day = BL_NO_TIME;
    if (!known_by(m[i].opened_at, as_of) && !known_by(m[i].first_order, as_of))
        v->reason = BL_PG_NOT_TRADING;
    for (size_t k = 0; k < p->nconds; k++) {
        enum bl_pg_reason r = cond(p, p->conds[k], m, n, i, as_of, &v->cond_at[k]);
        v->cond_ok[k] = r == BL_PG_OK;
        v->cond_why[k] = r;
        if (r != BL_PG_OK && v->reason == BL_PG_OK)
            v->reason = r;
        if (r == BL_PG_OK && v->cond_at[k] != BL_NO_TIME && v->cond_at[k] > v->met_at)
            v->met_at = v->cond_at[k];
    }
    if (p->coverage) {
        enum bl_pg_reason r = covered(p, &m[i], x, nx, as_of, v);
        if (r != BL_PG_OK && v->reason == BL_PG_OK)
            v->reason = r;
        if (r == BL_PG_OK && v->covered_at > v->met_at)
            v->met_at = v->covered_at;
    }
    if (v->reason != BL_PG_OK)
        return;
    if (v->met_at != BL_NO_TIME) /* else every condition always held: a member all along */
        v->since = day_after(v->met_at, m[i].tz, &v->since_day);
    if (v->since != BL_NO_TIME && v->since > as_of)
        v->reason = BL_PG_PENDING;
}

void bl_pg_eval(const struct bl_program *p, const struct bl_pg_merchant *m, size_t n,
                const struct bl_pg_disruption *x, size_t nx, int64_t as_of,
                struct bl_pg_verdict *out)
{
    for (size_t i = 0; i < n; i++)
        eval_one(p, m, n, i, x, nx, as_of, &out[i]);
}

/* ---- dividing a budget ---------------------------------------------------------------- */

typedef __int128 wide;

/* Member i's weight: 1 in equal parts, else its sales (0: it takes no part). */
static int64_t wt(const struct bl_pg_benefit *b, const bool *in, const int64_t *weight, size_t i)
{
    if (!in[i])
        return 0;
    return b->rule == BL_PG_EQUAL ? 1 : (weight[i] > 0 ? weight[i] : 0);
}

/* The uncapped members whose exact share of rest is above the cap are capped (true
 * when any was). */
static bool cap_pass(const struct bl_pg_benefit *b, const bool *in, const int64_t *weight, size_t n,
                     bool *capped, int64_t *share, wide rest, wide total)
{
    bool any = false;
    for (size_t i = 0; b->cap > 0 && i < n; i++) {
        int64_t w = wt(b, in, weight, i);
        if (w && !capped[i] && rest * w > (wide)b->cap * total) {
            capped[i] = true;
            share[i] = b->cap;
            any = true;
        }
    }
    return any;
}

/* The uncapped members' exact shares of rest rounded down, then one unit each to the
 * largest remainders (the lower index on a tie) until rest is used. A remainder is
 * positive wherever a unit goes, so no share passes the cap by it. */
static void round_shares(const struct bl_pg_benefit *b, const bool *in, const int64_t *weight,
                         size_t n, bool *capped, int64_t *share, wide rest, wide total)
{
    wide left = rest;
    for (size_t i = 0; i < n; i++) {
        int64_t w = wt(b, in, weight, i);
        if (w && !capped[i]) {
            share[i] = (int64_t)(rest * w / total);
            left -= share[i];
        }
    }
    for (; left > 0; left--) {
        size_t best = n;
        wide bestr = 0;
        for (size_t i = 0; i < n; i++) {
            int64_t w = wt(b, in, weight, i);
            wide r = w && !capped[i] ? rest * w % total : 0;
            if (r > bestr)
                bestr = r, best = i;
        }
        if (best == n)
            break;
        share[best]++;
        capped[best] = true; /* its remainder is used */
    }
}

static int share_budget(const struct bl_pg_benefit *b, const bool *in, const int64_t *weight,
                        size_t n, bool *capped, int64_t *share, int64_t *unallocated)
{
    for (;;) {
        wide rest = b->amount, total = 0;
        for (size_t i = 0; i < n; i++) {
            int64_t w = wt(b, in, weight, i);
            if (w && capped[i])
                rest -= share[i];
            else
                total += w;
        }
        if (total == 0 || rest <= 0) {
            *unallocated = (int64_t)(rest > 0 ? rest : 0);
            return BL_OK;
        }
        if (total > (wide)INT64_MAX)
            return BL_EOVERFLOW;
        if (!cap_pass(b, in, weight, n, capped, share, rest, total)) {
            round_shares(b, in, weight, n, capped, share, rest, total);
            return BL_OK;
        }
    }
}

int bl_pg_share(const struct bl_pg_benefit *b, const bool *in, const int64_t *weight, size_t n,
                int64_t *share, int64_t *unallocated)
{
    *unallocated = 0;
    for (size_t i = 0; i < n; i++)
        share[i] = b->kind == BL_PG_WAIVER && in[i] ? b->amount : 0;
    if (b->kind == BL_PG_WAIVER || n == 0)
        return BL_OK;
    if (b->amount < 0 || b->cap < 0)
        return BL_EINVAL;
    bool *capped = bl_calloc(n, sizeof(*capped));
    if (!capped)
        return BL_ENOMEM;
    int rc = share_budget(b, in, weight, n, capped, share, unallocated);
    bl_free(capped);
    return rc;
}
