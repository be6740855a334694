/* assess.c - disruption-aware shop assessment; see assess.h and docs/metrics.md.
 *
 * The lookups are prepared so that the pass over orders costs a few array loads
 * per order when nothing is disrupted:
 * - own[r]: the disruptions whose region is exactly trie node r (CSR arrays);
 * - up[r]: 1 + the nearest ancestor-or-self of r that owns a disruption (0: none),
 *   and next[x] = up[parent(x)], so that the disruptions covering r are own[up[r]-1],
 *   own[next[up[r]-1]-1], ...: a chain as long as the number of disrupted
 *   ancestors, usually 0 or 1 (the root, "everywhere", may own some too);
 * - protections grouped by shop (CSR arrays).
 * That is what bl_assess_order walks (it reports the nearest disruption's id). The
 * counting pass only needs to know whether one applies, and reads a flatter form:
 * - per side (origin, destination) and region, one list of the disruptions of the
 *   chain that can exempt on that side (scope matches, not supplier-only), sorted by
 *   start, every run of overlapping all-channel ones merged into one span, with the
 *   latest end as a quick "no" (struct dis_list, prepare_pass_lists). Most orders
 *   then cost one load per region: a region with no list, or a list over by then.
 */
#include <string.h>

#include "ballast/assess.h"

struct bl_assess_ctx {
    const struct bl_assess_disruption *dis;
    const struct bl_assess_protection *prot;
    uint32_t nregions;
    const uint32_t *up;      /* nregions: 1 + nearest disrupted ancestor-or-self, 0 none */
    const uint32_t *next;    /* nregions: up[parent(r)] */
    const uint32_t *own_off; /* nregions + 1 */
    const uint32_t *own;     /* disruption indexes, by region */
    size_t nshops;
    const uint32_t *prot_off; /* nshops + 1 */
    const uint32_t *prot_idx; /* protection indexes, by shop */
    /* For the pass: side_list[0] (origin), [1] (destination): per region, the
     * index in lists[] of the disruptions that can exempt there (0: the empty list). */
    const uint32_t *side_list[2];
    const struct dis_list *lists;
    const struct dis_span *spans;
};

/* A disruption as the pass tests it: [starts, ends) on every channel (channel < 0)
 * or on one. Several all-channel ones that overlap are one span. */
struct dis_span {
    int64_t starts, ends;
    int32_t channel;
};

/* The spans that can exempt an order of a region on one side, by start: those of
 * spans[off .. end), then those of list next (0: none). A list holds its own
 * region's disruptions and, while the total stays within FLAT_MAX, all those of the
 * regions above it (then next is 0); past that it links to its parent's list, so
 * the memory stays linear in disruptions whatever the nesting.
 *
 * The first two spans are copied into the list (a missing one starts at INT64_MAX:
 * it meets nothing), which is all most lists have: the pass tests those two
 * without a branch and reads spans[] only when `more`. A destination changes from
 * one order to the next, so branches on what its list holds were mispredicted
 * often. List 0 is empty: the list of every region without one, and of region 0
 * ("no region" in an order). */
struct dis_list {
    int64_t starts[2], ends[2];
    int32_t channel[2];
    int64_t hi; /* the latest end over this list and those it links to */
    uint32_t off, end, next;
    uint32_t more; /* spans beyond the first two, or a next list */
};

enum { FLAT_MAX = 32 };

/* n zeroed uint32_t from the arena (at least one, so that NULL means failure). */
static uint32_t *alloc_u32(struct bl_arena *a, size_t n)
{
    if (n == 0)
        n = 1;
    if (n > SIZE_MAX / sizeof(uint32_t))
        return NULL;
    uint32_t *p = bl_arena_alloc(a, n * sizeof(uint32_t));
    if (p)
        memset(p, 0, n * sizeof(uint32_t));
    return p;
}

/* Can disruption x exempt an order on side s (0 origin, 1 destination)? Then it
 * goes into the pass's lists (its channel is tested per order). */
static bool side_applies(const struct bl_assess_disruption *x, int s)
{
    return ((int)x->scope & (s + 1)) && !x->supplier_only;
}

/* The pass's lists (struct dis_list), from own/next built before. One ascending
 * sweep over the regions, like up[]: a region that owns a disruption for a side gets
 * a list, the others inherit their nearest disrupted ancestor's. The spans are then
 * filled list by list, a list's parent before it, by merging its own disruptions
 * (sorted by start already) with the parent's spans. */
static int prepare_pass_lists(struct bl_assess_ctx *c, size_t ndis, struct bl_arena *a,
                              struct bl_diag *d)
{
    const struct bl_assess_disruption *dis = c->dis;
    uint32_t nr = c->nregions;
    size_t maxl = 2 * ndis + 1; /* ndis < UINT32_MAX */
    struct dis_list *lists = bl_arena_alloc(a, maxl * sizeof(*lists));
    uint32_t *lnode = alloc_u32(a, maxl), *lside = alloc_u32(a, maxl),
             *lparent = alloc_u32(a, maxl), *chain = alloc_u32(a, maxl);
    uint32_t *side_list[2] = {alloc_u32(a, nr), alloc_u32(a, nr)};
    if (!lists || !lnode || !lside || !lparent || !chain || !side_list[0] || !side_list[1])
        return bl_diag_set(d, BL_ENOMEM, "assessment: out of memory preparing lookups");
    memset(&lists[0], 0, sizeof(lists[0]));
    lists[0].hi = INT64_MIN;
    uint32_t nl = 1;
    size_t nspans = 0;
    for (uint32_t r = 0; r < nr; r++) {
        for (int s = 0; s < 2; s++) {
            uint32_t parent = c->next[r] ? side_list[s][c->next[r] - 1] : 0;
            uint32_t own_n = 0;
            int64_t hi = lists[parent].hi;
            for (uint32_t j = c->own_off[r]; j < c->own_off[r + 1]; j++) {
                const struct bl_assess_disruption *x = &dis[c->own[j]];
                if (side_applies(x, s)) {
                    own_n++;
                    hi = x->ends > hi ? x->ends : hi;
                }
            }
            if (!own_n) {
                side_list[s][r] = parent;
                continue;
            }
            /* chain: how many disruptions this list and its parents hold, < ndis */
            chain[nl] = own_n + chain[parent];
            bool flat = chain[nl] <= FLAT_MAX;
            memset(&lists[nl], 0, sizeof(lists[nl]));
            lists[nl].hi = hi;
            lists[nl].off = (uint32_t)nspans;
            lists[nl].next = flat ? 0 : parent;
            lnode[nl] = r;
            lside[nl] = (uint32_t)s;
            lparent[nl] = parent;
            nspans += flat ? chain[nl] : own_n;
            if (nspans >= UINT32_MAX)
                return bl_diag_set(d, BL_ETOOBIG, "assessment: too many disruptions");
            side_list[s][r] = nl++;
        }
    }
    struct dis_span *spans = bl_arena_alloc(a, (nspans ? nspans : 1) * sizeof(*spans));
    if (!spans)
        return bl_diag_set(d, BL_ENOMEM, "assessment: out of memory preparing lookups");
    for (uint32_t l = 1; l < nl; l++) {
        struct dis_list *L = &lists[l];
        uint32_t r = lnode[l], out = L->off, last_all = UINT32_MAX;
        int s = (int)lside[l];
        uint32_t j = c->own_off[r], je = c->own_off[r + 1], q = 0, qe = 0;
        if (!L->next && lparent[l]) {
            q = lists[lparent[l]].off;
            qe = lists[lparent[l]].end;
        }
        for (;;) {
            while (j < je && !side_applies(&dis[c->own[j]], s))
                j++;
            struct dis_span e;
            if (j < je && (q == qe || dis[c->own[j]].starts <= spans[q].starts)) {
                const struct bl_assess_disruption *x = &dis[c->own[j++]];
                e = (struct dis_span){x->starts, x->ends, x->channel};
            } else if (q < qe) {
                e = spans[q++];
            } else {
                break;
            }
            /* An all-channel span that starts before the last one ends extends it:
             * an instant or interval meets the union iff it meets either. Empty
             * spans (ends <= starts) are kept as they are: the test `starts < t1 &&
             * t0 < ends` still meets one that an interval straddles, as
             * bl_assess_order's does. */
            bool all = e.channel < 0 && e.starts < e.ends;
            if (all && last_all != UINT32_MAX && e.starts <= spans[last_all].ends) {
                if (e.ends > spans[last_all].ends)
                    spans[last_all].ends = e.ends;
                continue;
            }
            if (all)
                last_all = out;
            spans[out++] = e;
        }
        L->end = out;
        L->more = L->end - L->off > 2 || L->next;
    }
    for (uint32_t l = 0; l < nl; l++) {
        struct dis_list *L = &lists[l];
        for (uint32_t k = 0; k < 2; k++) {
            bool has = L->off + k < L->end;
            L->starts[k] = has ? spans[L->off + k].starts : INT64_MAX;
            L->ends[k] = has ? spans[L->off + k].ends : INT64_MIN;
            L->channel[k] = has ? spans[L->off + k].channel : -1;
        }
    }
    /* Region 0 stands for "no region" in an order: it meets nothing (its children
     * have inherited the root's lists above). */
    side_list[0][0] = side_list[1][0] = 0;
    c->side_list[0] = side_list[0];
    c->side_list[1] = side_list[1];
    c->lists = lists;
    c->spans = spans;
    return BL_OK;
}

int bl_assess_prepare(const struct bl_regions *regions, const struct bl_assess_disruption *dis,
                      size_t ndis, const struct bl_assess_protection *prot, size_t nprot,
                      size_t nshops, struct bl_arena *a, struct bl_assess_ctx **out,
                      struct bl_diag *d)
{
    *out = NULL;
    uint32_t nr = bl_regions_count(regions);
    if (ndis >= UINT32_MAX || nprot >= UINT32_MAX || nshops >= UINT32_MAX)
        return bl_diag_set(d, BL_ETOOBIG, "assessment: too many disruptions, protections or shops");
    struct bl_assess_ctx *c = bl_arena_alloc(a, sizeof(*c));
    uint32_t *up = alloc_u32(a, nr), *next = alloc_u32(a, nr);
    uint32_t *own_off = alloc_u32(a, (size_t)nr + 1), *own = alloc_u32(a, ndis);
    uint32_t *prot_off = alloc_u32(a, nshops + 1), *prot_idx = alloc_u32(a, nprot);
    if (!c || !up || !next || !own_off || !own || !prot_off || !prot_idx)
        return bl_diag_set(d, BL_ENOMEM, "assessment: out of memory preparing lookups");

    for (size_t k = 0; k < ndis; k++) {
        if (dis[k].region >= nr)
            return bl_diag_set(d, BL_EINVAL, "disruption %lld: region id %u is not in the trie",
                               (long long)dis[k].id, dis[k].region);
        own_off[dis[k].region + 1]++;
    }
    for (uint32_t r = 0; r < nr; r++)
        own_off[r + 1] += own_off[r];
    uint32_t *fill = alloc_u32(a, nr);
    if (!fill)
        return bl_diag_set(d, BL_ENOMEM, "assessment: out of memory preparing lookups");
    for (size_t k = 0; k < ndis; k++) {
        uint32_t r = dis[k].region;
        own[own_off[r] + fill[r]++] = (uint32_t)k;
    }
    /* Each region's disruptions by start, so a lookup stops at the first that
     * starts too late (insertion sort: the lists are short). */
    for (uint32_t r = 0; r < nr; r++) {
        for (uint32_t j = own_off[r] + 1; j < own_off[r + 1]; j++) {
            uint32_t x = own[j], q = j;
            while (q > own_off[r] && dis[own[q - 1]].starts > dis[x].starts) {
                own[q] = own[q - 1];
                q--;
            }
            own[q] = x;
        }
    }
    /* Parents have smaller ids than their children (the trie interns ancestors
     * first), so one ascending sweep fills up[] from the parent's value. */
    for (uint32_t r = 0; r < nr; r++) {
        uint32_t pu = 0;
        if (r) {
            uint32_t parent = bl_regions_parent(regions, r);
            if (parent >= r)
                return bl_diag_set(d, BL_EINVAL, "region trie: node %u has a later parent", r);
            pu = up[parent];
        }
        next[r] = pu;
        up[r] = own_off[r + 1] > own_off[r] ? r + 1 : pu;
    }

    for (size_t k = 0; k < nprot; k++) {
        if (prot[k].shop >= nshops)
            return bl_diag_set(d, BL_EINVAL, "protection %lld: shop index out of range",
                               (long long)prot[k].id);
        prot_off[prot[k].shop + 1]++;
    }
    for (size_t s = 0; s < nshops; s++)
        prot_off[s + 1] += prot_off[s];
    fill = alloc_u32(a, nshops);
    if (!fill)
        return bl_diag_set(d, BL_ENOMEM, "assessment: out of memory preparing lookups");
    for (size_t k = 0; k < nprot; k++) {
        uint32_t s = prot[k].shop;
        prot_idx[prot_off[s] + fill[s]++] = (uint32_t)k;
    }

    c->dis = dis;
    c->prot = prot;
    c->nregions = nr;
    c->up = up;
    c->next = next;
    c->own_off = own_off;
    c->own = own;
    c->nshops = nshops;
    c->prot_off = prot_off;
    c->prot_idx = prot_idx;
    int err = prepare_pass_lists(c, ndis, a, d);
    if (err)
        return err;
    *out = c;
    return BL_OK;
}

/* ---- matching ----------------------------------------------------------------------- */

static bool dis_applies(const struct bl_assess_disruption *x, int side, int32_t channel)
{
    if (!((int)x->scope & side) || x->supplier_only)
        return false;
    return x->channel < 0 || x->channel == channel;
}

/* A disruption on a region containing r, for side (1 origin, 2 destination), active
 * during [t0, t1) (t1 == t0 + 1 for an instant). Its index, or -1. */
__attribute__((always_inline)) static inline int64_t match_dis(const struct bl_assess_ctx *c,
                                                               uint32_t r, int side,
                                                               int32_t channel, int64_t t0,
                                                               int64_t t1)
{
    if (r >= c->nregions)
        return -1;
    for (uint32_t x1 = c->up[r]; x1; x1 = c->next[x1 - 1]) {
        uint32_t x = x1 - 1;
        for (uint32_t j = c->own_off[x]; j < c->own_off[x + 1]; j++) {
            const struct bl_assess_disruption *k = &c->dis[c->own[j]];
            if (k->starts >= t1)
                break; /* sorted by start: none later can be active */
            if (t0 < k->ends && dis_applies(k, side, channel))
                return c->own[j];
        }
    }
    return -1;
}

__attribute__((always_inline)) static inline int64_t
match_prot(const struct bl_assess_ctx *c, uint32_t shop, int64_t t0, int64_t t1)
{
    if (shop >= c->nshops)
        return -1;
    for (uint32_t j = c->prot_off[shop]; j < c->prot_off[shop + 1]; j++) {
        const struct bl_assess_protection *k = &c->prot[c->prot_idx[j]];
        if (k->starts < t1 && t0 < k->ends)
            return c->prot_idx[j];
    }
    return -1;
}

/* Whether an order is exempt over [t0, t1): the rule and the cause's id. */
static bool exempt(const struct bl_assess_ctx *c, const struct bl_assess_orders *o, size_t i,
                   const struct bl_profile *p, int64_t t0, int64_t t1, enum bl_why *why,
                   int64_t *cause)
{
    uint32_t from = o->from ? o->from[i] : 0, to = o->to ? o->to[i] : 0;
    if (!from && p->origin_required) {
        *why = BL_WHY_NO_ORIGIN;
        return false;
    }
    int64_t k = match_prot(c, o->shop[i], t0, t1);
    if (k >= 0) {
        *why = BL_WHY_PROTECTION;
        *cause = c->prot[k].id;
        return true;
    }
    if (!p->auto_exempt)
        return false;
    int32_t ch = o->channel ? o->channel[i] : -1;
    if (from && (k = match_dis(c, from, BL_SCOPE_ORIGIN, ch, t0, t1)) >= 0) {
        *why = BL_WHY_DISRUPTION_ORIGIN;
        *cause = c->dis[k].id;
        return true;
    }
    if (to && (k = match_dis(c, to, BL_SCOPE_DESTINATION, ch, t0, t1)) >= 0) {
        *why = BL_WHY_DISRUPTION_DESTINATION;
        *cause = c->dis[k].id;
        return true;
    }
    return false;
}

/* ---- verdicts ----------------------------------------------------------------------- */

/* t is known as of A and within (A - w, A]. */
static inline bool in_window(int64_t t, int64_t as_of, int64_t w)
{
    /* One unsigned comparison: t after as_of wraps to a huge difference, and so does
     * BL_NO_TIME (INT64_MIN) for any as_of of the last 292 billion years. */
    return (uint64_t)as_of - (uint64_t)t < (uint64_t)w;
}

static inline bool known(int64_t t, int64_t as_of)
{
    return t != BL_NO_TIME && t <= as_of;
}

void bl_assess_order(const struct bl_assess_ctx *c, const struct bl_assess_orders *o, size_t i,
                     const struct bl_profile *p, int64_t as_of, int window_days,
                     struct bl_verdict *v)
{
    memset(v, 0, sizeof(*v));
    int64_t w = (int64_t)window_days * 86400;
    /* A cancellation without a time (some sources give only the status) is known
     * at any as-of; one with a time only from then on. */
    int64_t ct = o->cancelled[i];
    bool cancelled =
        o->cancel_by[i] != BL_CANCEL_NONE ? ct == BL_NO_TIME || ct <= as_of : known(ct, as_of);
    int64_t sb = o->ship_by[i];
    bool plat = o->platform && o->platform[i];
    v->at = sb;
    v->why = BL_WHY_NOT_DUE;
    if (in_window(sb, as_of, w)) {
        if (cancelled) {
            v->why = BL_WHY_CANCELLED;
        } else if (plat && !p->platform_in_shipment) {
            v->why = BL_WHY_PLATFORM;
        } else {
            v->due = true;
            v->why = BL_WHY_COUNTED;
            v->exempt = exempt(c, o, i, p, sb, sb + 1, &v->why, &v->cause_id);
            v->counted = !v->exempt;
        }
    }
    int64_t sh = o->shipped[i];
    bool shipped = known(sh, as_of);
    bool on_time = shipped && sh <= sb, anomaly = false;
    if (shipped) {
        int64_t pk = o->picked_up[i];
        int64_t lag = known(pk, as_of) ? pk - sh : as_of - sh;
        anomaly = lag > p->pickup_secs;
    }
    if (v->counted) {
        v->on_time = on_time;
        v->late = !on_time;
        v->shipped = shipped;
        v->pickup_anomaly = shipped && anomaly;
    } else if (v->exempt && p->exempt_never_hurts) {
        v->kept_on_time = on_time;
        v->kept_tracked = shipped && !anomaly;
    }
    int64_t dl = o->promised[i];
    v->delivery_why = BL_WHY_NOT_DUE;
    if (in_window(dl, as_of, w)) {
        if (cancelled) {
            v->delivery_why = BL_WHY_CANCELLED;
        } else if (plat && !p->platform_in_delivery) {
            v->delivery_why = BL_WHY_PLATFORM;
        } else {
            v->delivery_due = true;
            v->delivery_why = BL_WHY_COUNTED;
            int64_t start = sb != BL_NO_TIME ? sb : o->placed[i];
            if (start == BL_NO_TIME || start >= dl)
                start = dl - 1;
            v->delivery_exempt =
                exempt(c, o, i, p, start, dl, &v->delivery_why, &v->delivery_cause_id);
            v->delivery_counted = !v->delivery_exempt;
            int64_t dv = o->delivered[i];
            bool in_time = known(dv, as_of) && dv < dl;
            v->delivered_late = v->delivery_counted && !in_time;
            v->kept_delivered = v->delivery_exempt && p->exempt_never_hurts && in_time;
        }
    }
    v->placed_in_window = in_window(o->placed[i], as_of, w);
    v->seller_cancel = v->placed_in_window && cancelled && o->cancel_by[i] == BL_CANCEL_SELLER &&
                       !(plat && !p->platform_in_cancel);
}

/* What the pass reads for every order, loaded once into a local: a store into the
 * counters may alias anything reached through a pointer, so without it the compiler
 * reloads the context's and the profile's fields for each order. */
struct pass {
    int64_t A, w, pickup;
    bool origin_required, auto_exempt, keep; /* keep: the profile's exempt_never_hurts */
    uint32_t nregions;
    const uint32_t *orig_list, *dest_list; /* c->side_list[0], [1] */
    const struct dis_list *lists;
    const struct dis_span *spans;
    const uint32_t *prot_off, *prot_idx;
    const struct bl_assess_protection *prot;
    /* the order columns */
    const uint32_t *shop, *from, *to;
    const int64_t *SB, *DL, *PL, *SH, *PK, *DV, *CT;
    const uint8_t *CB;
    const int32_t *CH;
    const uint8_t *PF; /* platform-fulfilled, or NULL */
    bool pf_ship, pf_delivery, pf_cancel; /* the profile counts them in these groups */
};

/* Whether a span meets [t0, t1) on channel ch; no branch. */
static inline bool span_meets(int64_t starts, int64_t ends, int32_t channel, int32_t ch, int64_t t0,
                              int64_t t1)
{
    return (starts < t1) & (t0 < ends) & ((channel < 0) | (channel == ch));
}

/* The spans of list L past its first two, and those of the lists it links to. */
static bool more_exempts(const struct pass *ps, const struct dis_list *L, int32_t ch, int64_t t0,
                         int64_t t1)
{
    if (L->hi <= t0)
        return false;
    for (uint32_t j = L->off + 2;; j = L->off) {
        for (; j < L->end && ps->spans[j].starts < t1; j++)
            if (span_meets(ps->spans[j].starts, ps->spans[j].ends, ps->spans[j].channel, ch, t0,
                           t1))
                return true;
        if (!L->next)
            return false;
        L = &ps->lists[L->next];
    }
}

/* Whether a span of list l (side_list[r]) is active during [t0, t1) on channel ch:
 * match_dis's answer without the cause. */
__attribute__((always_inline)) static inline bool dis_exempts(const struct pass *ps, uint32_t l,
                                                              int32_t ch, int64_t t0, int64_t t1)
{
    const struct dis_list *L = &ps->lists[l];
    /* Both spans tested, no branch between them: a bitwise or of 0/1 ints. */
    bool hit = ((int)span_meets(L->starts[0], L->ends[0], L->channel[0], ch, t0, t1) |
                (int)span_meets(L->starts[1], L->ends[1], L->channel[1], ch, t0, t1)) != 0;
    if (__builtin_expect(L->more, 0) && !hit)
        hit = more_exempts(ps, L, ch, t0, t1);
    return hit;
}

/* match_prot's answer for the pass. */
static inline bool prot_exempts(const struct pass *ps, uint32_t s, int64_t t0, int64_t t1)
{
    for (uint32_t j = ps->prot_off[s]; j < ps->prot_off[s + 1]; j++) {
        const struct bl_assess_protection *k = &ps->prot[ps->prot_idx[j]];
        if (k->starts < t1 && t0 < k->ends)
            return true;
    }
    return false;
}

/* exempt() without the why, for the pass, the order's lists looked up (ol, dl: the
 * empty list 0 when the region is absent or has none). has_prot: shop s has
 * protections. */
__attribute__((always_inline)) static inline bool exempt_fast(const struct pass *ps, bool has_prot,
                                                              uint32_t s, bool has_from,
                                                              uint32_t ol, uint32_t dl, int32_t ch,
                                                              int64_t t0, int64_t t1)
{
    if (!has_from && ps->origin_required)
        return false;
    if (has_prot && prot_exempts(ps, s, t0, t1))
        return true;
    return ps->auto_exempt && (dis_exempts(ps, ol, ch, t0, t1) || dis_exempts(ps, dl, ch, t0, t1));
}

/* The list of region r for one side (0, empty, for one outside the trie). */
static inline uint32_t list_of(const struct pass *ps, const uint32_t *side_list, uint32_t r)
{
    return r < ps->nregions ? side_list[r] : 0;
}

/* Order i of shop s into k, an order with an instant in the window: the same counts
 * as summing bl_assess_order's verdicts (tests/unit/assess_test.c checks it). */
__attribute__((always_inline)) static inline void
count_order(const struct pass *ps, size_t i, uint32_t s, bool has_prot, struct bl_shop_counts *k)
{
    const int64_t A = ps->A, w = ps->w;
    int64_t sb = ps->SB[i], dl = ps->DL[i], pl = ps->PL[i];
    bool sin = in_window(sb, A, w), din = in_window(dl, A, w), pin = in_window(pl, A, w);
    int64_t ct = ps->CT[i];
    uint8_t cb = ps->CB[i];
    bool cancelled = cb != BL_CANCEL_NONE ? ct == BL_NO_TIME || ct <= A : known(ct, A);
    bool plat = ps->PF && ps->PF[i];
    k->placed += pin;
    k->seller_cancels += pin & cancelled & (cb == BL_CANCEL_SELLER) & !(plat & !ps->pf_cancel);
    if (cancelled)
        return;
    if (plat) { /* not the seller's shipment: out of the groups the profile leaves it */
        sin &= ps->pf_ship;
        din &= ps->pf_delivery;
    }
    uint32_t f = ps->from ? ps->from[i] : 0, t = ps->to ? ps->to[i] : 0;
    uint32_t ol = list_of(ps, ps->orig_list, f), tl = list_of(ps, ps->dest_list, t);
    int32_t ch = ps->CH ? ps->CH[i] : -1;
    if (sin) {
        k->due++;
        int64_t sh = ps->SH[i];
        bool shipped = known(sh, A), on_time = shipped && sh <= sb, anomaly = false;
        if (shipped) {
            int64_t pk = ps->PK[i];
            int64_t lag = known(pk, A) ? pk - sh : A - sh;
            anomaly = lag > ps->pickup;
        }
        if (exempt_fast(ps, has_prot, s, f != 0, ol, tl, ch, sb, sb + 1)) {
            /* An exempt order whose outcome helps a rate stays in it (per metric). */
            k->exempt++;
            k->kept_on_time += ps->keep & on_time;
            k->kept_tracked += ps->keep & shipped & !anomaly;
        } else {
            k->counted++;
            k->on_time += on_time;
            k->late += !on_time;
            k->shipped += shipped;
            k->pickup_anomalies += shipped & anomaly;
        }
    }
    if (din) {
        k->delivery_due++;
        int64_t start = sb != BL_NO_TIME ? sb : pl;
        if (start == BL_NO_TIME || start >= dl)
            start = dl - 1;
        int64_t dv = ps->DV[i];
        bool in_time = known(dv, A) && dv < dl;
        if (exempt_fast(ps, has_prot, s, f != 0, ol, tl, ch, start, dl)) {
            k->delivery_exempt++;
            k->kept_delivered += ps->keep & in_time;
        } else {
            k->delivery_counted++;
            k->delivered_late += !in_time;
        }
    }
}

/* Orders are taken BLOCK at a time: first the ones with an instant in the window
 * are picked out, then only those are counted. */
enum { BLOCK = 256 };

/* How many orders (of those in the window) ahead the scattered pass prefetches. */
#define BL_COUNT_AHEAD 8

/* The orders of [first, first + n) (n <= BLOCK) with an instant (ship-by, promised
 * delivery, placed) in the window: their offsets from first in sel; how many. The
 * loop has no branch on the order: whether one is in the window is as good as
 * random when orders are not in time order, and a mispredicted branch costs about
 * as much as the rest of the test. */
static inline size_t select_in_window(const struct pass *ps, size_t first, size_t n,
                                      uint16_t *restrict sel)
{
    const int64_t A = ps->A, w = ps->w;
    const int64_t *restrict SB = ps->SB + first, *restrict DL = ps->DL + first,
                            *restrict PL = ps->PL + first;
    size_t m = 0;
    for (size_t j = 0; j < n; j++) {
        sel[m] = (uint16_t)j;
        m += (size_t)((int)in_window(SB[j], A, w) | (int)in_window(DL[j], A, w) |
                      (int)in_window(PL[j], A, w));
    }
    return m;
}

static void add_counts(struct bl_shop_counts *to, const struct bl_shop_counts *k)
{
    to->due += k->due;
    to->exempt += k->exempt;
    to->counted += k->counted;
    to->on_time += k->on_time;
    to->late += k->late;
    to->shipped += k->shipped;
    to->pickup_anomalies += k->pickup_anomalies;
    to->delivery_due += k->delivery_due;
    to->delivery_exempt += k->delivery_exempt;
    to->delivery_counted += k->delivery_counted;
    to->delivered_late += k->delivered_late;
    to->placed += k->placed;
    to->seller_cancels += k->seller_cancels;
    to->kept_on_time += k->kept_on_time;
    to->kept_tracked += k->kept_tracked;
    to->kept_delivered += k->kept_delivered;
}

/* Orders [first, end), all of shop s: the shop's invariants once, the counters in a
 * local (registers and the stack) added to counts[s] at the end. */
static void count_run(const struct pass *ps, uint32_t s, size_t first, size_t end,
                      struct bl_shop_counts *counts)
{
    struct bl_shop_counts k;
    memset(&k, 0, sizeof(k));
    bool has_prot = ps->prot_off[s] != ps->prot_off[s + 1];
    uint16_t sel[BLOCK];
    for (size_t b = first; b < end; b += BLOCK) {
        size_t m = select_in_window(ps, b, end - b < BLOCK ? end - b : BLOCK, sel);
        for (size_t j = 0; j < m; j++)
            count_order(ps, b + sel[j], s, has_prot, &k);
    }
    add_counts(&counts[s], &k);
}

/* Orders in no shop order: counts[] is indexed by shop and its misses cost more
 * than the rest of the order, so the counters and protections of the order picked
 * BL_COUNT_AHEAD places ahead are fetched early. The next block is picked out before
 * this one is counted, so that the prefetching runs on across the blocks' ends. */
static void count_scattered(const struct pass *ps, size_t n, const bool *skip,
                            struct bl_shop_counts *counts)
{
    uint16_t sel[2][BLOCK];
    size_t m[2] = {select_in_window(ps, 0, n < BLOCK ? n : BLOCK, sel[0]), 0};
    for (size_t b = 0, cur = 0; b < n; b += BLOCK, cur ^= 1) {
        size_t nb = b + BLOCK, nxt = cur ^ 1;
        m[nxt] = nb < n ? select_in_window(ps, nb, n - nb < BLOCK ? n - nb : BLOCK, sel[nxt]) : 0;
        for (size_t j = 0; j < m[cur]; j++) {
            size_t ja = j + BL_COUNT_AHEAD;
            if (ja < m[cur] + m[nxt]) {
                uint32_t sa = ps->shop[ja < m[cur] ? b + sel[cur][ja] : nb + sel[nxt][ja - m[cur]]];
                const struct bl_shop_counts *ahead = &counts[sa];
                /* 128 bytes: two lines or, when not aligned, three */
                __builtin_prefetch(ahead, 1, 3);
                __builtin_prefetch((const char *)ahead + 64, 1, 3);
                __builtin_prefetch((const char *)(ahead + 1) - 1, 1, 3);
                __builtin_prefetch(&ps->prot_off[sa], 0, 3);
            }
            size_t i = b + sel[cur][j];
            uint32_t s = ps->shop[i];
            if (skip && skip[s])
                continue;
            count_order(ps, i, s, ps->prot_off[s] != ps->prot_off[s + 1], &counts[s]);
        }
    }
}

void bl_assess_count(const struct bl_assess_ctx *c, const struct bl_assess_orders *o,
                     const struct bl_profile *p, int64_t as_of, int window_days, const bool *skip,
                     struct bl_shop_counts *counts)
{
    const struct pass ps = {
        .A = as_of,
        .w = (int64_t)window_days * 86400,
        .pickup = p->pickup_secs,
        .origin_required = p->origin_required,
        .auto_exempt = p->auto_exempt,
        .keep = p->exempt_never_hurts,
        .nregions = c->nregions,
        .orig_list = c->side_list[0],
        .dest_list = c->side_list[1],
        .lists = c->lists,
        .spans = c->spans,
        .prot_off = c->prot_off,
        .prot_idx = c->prot_idx,
        .prot = c->prot,
        .shop = o->shop,
        .from = o->from,
        .to = o->to,
        .SB = o->ship_by,
        .DL = o->promised,
        .PL = o->placed,
        .SH = o->shipped,
        .PK = o->picked_up,
        .DV = o->delivered,
        .CT = o->cancelled,
        .CB = o->cancel_by,
        .CH = o->channel,
        .PF = o->platform,
        .pf_ship = p->platform_in_shipment,
        .pf_delivery = p->platform_in_delivery,
        .pf_cancel = p->platform_in_cancel,
    };
    if (!o->by_shop) {
        count_scattered(&ps, o->n, skip, counts);
    } else if (o->shop_off) {
        /* Only the shops asked for: their runs of orders, nothing else read. */
        for (uint32_t s = 0; s < c->nshops; s++)
            if (!(skip && skip[s]) && o->shop_off[s] < o->shop_off[s + 1])
                count_run(&ps, s, o->shop_off[s], o->shop_off[s + 1], counts);
    } else {
        /* No offsets: a run ends where shop[] changes. shop[] does not decrease, so
         * while the 16th order ahead is still the shop's, so are the 15 before it. */
        for (size_t i = 0, e; i < o->n; i = e) {
            uint32_t s = o->shop[i];
            for (e = i + 1; e + 16 <= o->n && o->shop[e + 15] == s; e += 16)
                ;
            for (; e < o->n && o->shop[e] == s; e++)
                ;
            if (!(skip && skip[s]))
                count_run(&ps, s, i, e, counts);
        }
    }
}

size_t bl_assess_windows(const struct bl_profile *p, int window_days, int *out)
{
    size_t n = 0;
    out[n++] = window_days;
    for (size_t k = 0; k < p->nrules; k++) {
        int w = p->rules[k].window_days ? p->rules[k].window_days : window_days;
        bool seen = false;
        for (size_t j = 0; j < n; j++)
            seen |= out[j] == w;
        if (!seen)
            out[n++] = w;
    }
    return n;
}

int64_t bl_coupon_amount(const struct bl_profile *p, int64_t amount, const char *currency)
{
    if (amount <= 0)
        return 0;
    int64_t bp = p->comp_bp < 0 ? 0 : p->comp_bp > 10000 ? 10000 : p->comp_bp;
    int64_t v = amount / 10000 * bp + (amount % 10000 * bp + 5000) / 10000;
    for (size_t k = 0; k < p->nlimits; k++) {
        if (strcmp(p->limits[k].currency, currency) != 0)
            continue;
        if (v < p->limits[k].min)
            v = p->limits[k].min;
        if (p->limits[k].max > 0 && v > p->limits[k].max)
            v = p->limits[k].max;
        return v;
    }
    return v < 1 ? 1 : v;
}
