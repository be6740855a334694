/* logistics_route.c - quotes, routing and explanations over a compiled catalogue
 * (see logistics.h; the catalogue's layout is in logistics_impl.h and
 * docs/internals/logistics.md). Pure: no I/O, no clock, no globals.
 */
#include "engine/logistics_impl.h"

#include <stdio.h>
#include <string.h>

#include "ballast/disruption.h"
#include "ballast/money.h"

/* ---------------------------------------------------------------- evaluation */

/* How an error names a shipment: by its order's id, or as "the shipment" of a quote. */
static const char *shipment_name(const struct bl_lg_shipment *s, char *buf, size_t cap)
{
    if (!s->id || !s->id[0])
        return "the shipment";
    snprintf(buf, cap, "order '%s'", s->id);
    return buf;
}

static int check_shipment(const struct bl_lg *lg, const struct bl_lg_shipment *s,
                          struct bl_diag *d)
{
    char buf[160];
    const char *who = shipment_name(s, buf, sizeof(buf));
    if (s->weight_g < 0)
        return bl_diag_set(d, BL_EINVAL, "%s: negative weight %lld g", who,
                           (long long)s->weight_g);
    for (int k = 0; k < 3; k++)
        if (s->dims_mm[k] < 0)
            return bl_diag_set(d, BL_EINVAL, "%s: negative dimension %lld mm", who,
                               (long long)s->dims_mm[k]);
    if (s->ship_at < BL__LG_MIN_INSTANT || s->ship_at > BL__LG_MAX_INSTANT)
        return bl_diag_set(d, BL_ERANGE, "%s: ship time outside years 1-9999", who);
    if (s->from >= lg->nnodes || s->to >= lg->nnodes)
        return bl_diag_set(d, BL_EINVAL, "%s: region node not from bl_lg_locate", who);
    return BL_OK;
}

/* Chargeable weight on channel c. */
static int chargeable(const struct bl__lg_chan *c, const struct bl_lg_shipment *s, int64_t *w)
{
    *w = s->weight_g;
    if (!c->pub.vol_divisor || !s->dims_mm[0] || !s->dims_mm[1] || !s->dims_mm[2])
        return BL_OK;
    int64_t v;
    if (__builtin_mul_overflow(s->dims_mm[0], s->dims_mm[1], &v) ||
        __builtin_mul_overflow(v, s->dims_mm[2], &v))
        return BL_EOVERFLOW;
    int64_t vg = v / c->pub.vol_divisor + (v % c->pub.vol_divisor != 0);
    if (vg > *w)
        *w = vg;
    return BL_OK;
}

static int price_of(const struct bl__lg_rate *r, int64_t w, int64_t *price)
{
    int64_t kg = (w - r->min_g) / 1000 + ((w - r->min_g) % 1000 != 0);
    int64_t extra;
    BL__LG_TRY(bl_money_mul(r->per_kg, kg, &extra));
    return bl_money_add(r->base, extra, price);
}

/* Local departure day and delivery window of channel c for a hand-over at t. */
static void window(const struct bl_lg *lg, const struct bl__lg_chan *c, int64_t t, int64_t *dep,
                   int64_t *early, int64_t *late)
{
    const struct bl__lg_cal *cal = &lg->cals[c->cal];
    int64_t local = t + (c->pub.tz ? bl_tz_offset(c->pub.tz, t) : 0);
    int64_t day = bl__lg_floor_div(local, BL_DAY_SECS);
    int64_t minute = (local - day * BL_DAY_SECS) / 60;
    if (c->pub.cutoff_min >= 0 && minute >= c->pub.cutoff_min)
        day++;
    *dep = bl__lg_next_bday(cal, day);
    *early = bl__lg_add_bdays(cal, *dep, c->pub.transit_min);
    *late = bl__lg_add_bdays(cal, *dep, c->pub.transit_max);
}

/* Index of an active disruption suspending channel ch on this route, or -1. */
static int32_t suspended_fast(const struct bl_lg *lg, const struct bl_lg_shipment *s, uint32_t ch)
{
    for (int pass = 0; pass < 2; pass++) {
        const uint32_t *list = pass ? lg->ddis : lg->odis;
        const uint32_t *off = pass ? lg->ddis_off : lg->odis_off;
        uint32_t node = pass ? s->to : s->from;
        for (uint32_t k = off[node]; k < off[node + 1]; k++) {
            const struct bl__lg_dis *x = &lg->dis[list[k]];
            if (x->pub.starts_at <= s->ship_at && s->ship_at < x->pub.ends_at &&
                (x->ch == -1 || x->ch == (int32_t)ch))
                return (int32_t)list[k];
        }
    }
    return -1;
}

static int32_t suspended_naive(const struct bl_lg *lg, const struct bl_lg_shipment *s, uint32_t ch)
{
    for (int pass = 0; pass < 2; pass++)
        for (size_t k = 0; k < lg->ndis; k++) {
            const struct bl__lg_dis *x = &lg->dis[k];
            enum bl_lg_scope skip = pass ? BL_LG_ORIGIN : BL_LG_DESTINATION;
            if (x->pub.scope == skip || x->ch == -2 || x->pub.supplier[0])
                continue;
            if (x->pub.starts_at <= s->ship_at && s->ship_at < x->pub.ends_at &&
                (x->ch == -1 || x->ch == (int32_t)ch) &&
                bl_regions_contains(lg->reg, x->node, pass ? s->to : s->from))
                return (int32_t)k;
        }
    return -1;
}

/* Per-call scratch: which channels are preferred, and a memo of each channel's
 * window for the last hand-over instant seen. */
/* A channel's window for the last hand-over instant seen (orders routed at one
 * as-of instant share it). */
struct memo {
    int64_t at, dep, early, late;
};

struct scratch {
    uint8_t *pref;
    struct memo *memo;
    uint64_t *susp_at; /* per channel: shipment stamp of susp_id (route_one_fast) */
    int32_t *susp_id;
    uint64_t stamp;
};

static int scratch_init(const struct bl_lg *lg, const struct bl_lg_policy *p, struct scratch *w)
{
    size_t n = lg->nch ? lg->nch : 1;
    w->pref = bl_calloc(n, 1);
    w->memo = bl_calloc(n, sizeof(*w->memo));
    w->susp_at = bl_calloc(n, sizeof(uint64_t));
    w->susp_id = bl_calloc(n, sizeof(int32_t));
    w->stamp = 0;
    if (!w->pref || !w->memo || !w->susp_at || !w->susp_id)
        return BL_ENOMEM;
    for (size_t i = 0; i < lg->nch; i++) {
        w->memo[i].at = INT64_MIN;
        w->pref[i] = p && p->kind == BL_LG_PREFERRED && p->carrier &&
                     strcmp(lg->ch[i].pub.carrier, p->carrier) == 0;
    }
    return BL_OK;
}

static void scratch_release(struct scratch *w)
{
    bl_free(w->pref);
    bl_free(w->memo);
    bl_free(w->susp_at);
    bl_free(w->susp_id);
}

static inline void window_memo(const struct bl_lg *lg, struct scratch *w, uint32_t ch, int64_t t,
                               int64_t *out)
{
    struct memo *m = &w->memo[ch];
    if (m->at != t) {
        window(lg, &lg->ch[ch], t, &m->dep, &m->early, &m->late);
        m->at = t;
    }
    out[0] = m->dep;
    out[1] = m->early;
    out[2] = m->late;
}

static const struct bl__lg_ent *cell(const struct bl_lg *lg, const struct bl_lg_shipment *s,
                                     uint32_t *n)
{
    int32_t oi = lg->oidx[s->from], di = lg->didx[s->to];
    if (oi < 0 || di < 0) {
        *n = 0;
        return NULL;
    }
    size_t c = (size_t)oi * lg->nd + (size_t)di;
    *n = lg->cell_len[c];
    return lg->ents + lg->cell_off[c];
}

/* One serving (channel, rate) pair: fills the option. */
static int evaluate(const struct bl_lg *lg, struct scratch *w, const struct bl_lg_shipment *s,
                    const struct bl__lg_rate *r, int64_t wt, int32_t dis, struct bl_lg_option *o)
{
    int64_t win[3];
    o->channel = (int32_t)r->ch;
    o->disruption = dis;
    o->weight_g = wt;
    BL__LG_TRY(price_of(r, wt, &o->price));
    if (w)
        window_memo(lg, w, r->ch, s->ship_at, win);
    else
        window(lg, &lg->ch[r->ch], s->ship_at, &win[0], &win[1], &win[2]);
    o->depart_day = win[0];
    o->earliest_day = win[1];
    o->latest_day = win[2];
    o->meets = win[2] <= s->by_day;
    return BL_OK;
}

static void choose(const struct bl_lg *lg, const struct scratch *w, const struct bl_lg_option *o,
                   enum bl_lg_policy_kind k, struct cand *best, bool *have)
{
    struct cand c = {o->channel,   (uint8_t)lg->ch[o->channel].pub.tier,
                     o->meets,     w->pref[o->channel] != 0,
                     o->price,     o->earliest_day,
                     o->latest_day};
    if (!*have || better(&c, best, k)) {
        *best = c;
        *have = true;
    }
}

static void finish(struct bl_lg_route *out, const struct cand *best, bool have, uint32_t ncand,
                   int32_t first_dis)
{
    out->candidates = ncand;
    out->disruption = -1;
    out->price = out->earliest_day = out->latest_day = 0;
    out->channel = -1;
    if (have) {
        out->channel = best->ch;
        out->price = best->price;
        out->earliest_day = best->early;
        out->latest_day = best->late;
        out->state = best->meets ? BL_LG_ROUTED : BL_LG_LATE;
    } else if (ncand) {
        out->state = BL_LG_SUSPENDED;
        out->disruption = first_dis;
    } else {
        out->state = BL_LG_NO_CHANNEL;
    }
}

/* Walks the serving channels of one shipment through the lane index, calling
 * visit for each (the rate of its most specific lane holding the weight). */
typedef int (*visit_fn)(void *ctx, const struct bl__lg_rate *r, int64_t wt, int32_t dis);

static int serve_fast(const struct bl_lg *lg, const struct bl_lg_shipment *s, visit_fn visit,
                      void *ctx)
{
    uint32_t n;
    const struct bl__lg_ent *e = cell(lg, s, &n);
    uint32_t done_ch = UINT32_MAX, wt_ch = UINT32_MAX;
    int64_t wt = s->weight_g;
    bool any_dis = lg->odis_off[s->from] != lg->odis_off[s->from + 1] ||
                   lg->ddis_off[s->to] != lg->ddis_off[s->to + 1];
    for (uint32_t k = 0; k < n; k++) {
        const struct bl__lg_rate *r = &lg->rates[e[k].rate];
        if (r->ch == done_ch)
            continue;
        if (r->ch != wt_ch) {
            BL__LG_TRY(chargeable(&lg->ch[r->ch], s, &wt));
            wt_ch = r->ch;
        }
        if (wt < r->min_g || wt >= r->max_g)
            continue;
        done_ch = r->ch;
        BL__LG_TRY(visit(ctx, r, wt, any_dis ? suspended_fast(lg, s, r->ch) : -1));
    }
    return BL_OK;
}

static int serve_naive(const struct bl_lg *lg, const struct bl_lg_shipment *s, visit_fn visit,
                       void *ctx)
{
    for (uint32_t ch = 0; ch < lg->nch; ch++) {
        const struct bl__lg_chan *c = &lg->ch[ch];
        int64_t wt;
        BL__LG_TRY(chargeable(c, s, &wt));
        for (uint32_t j = c->first; j < c->first + c->count; j++) {
            const struct bl__lg_rate *r = &lg->rates[j];
            if (wt < r->min_g || wt >= r->max_g ||
                !bl_regions_contains(lg->reg, r->onode, s->from) ||
                !bl_regions_contains(lg->reg, r->dnode, s->to))
                continue;
            BL__LG_TRY(visit(ctx, r, wt, suspended_naive(lg, s, ch)));
            break;
        }
    }
    return BL_OK;
}

struct route_ctx {
    const struct bl_lg *lg;
    struct scratch *w;
    const struct bl_lg_shipment *s;
    enum bl_lg_policy_kind kind;
    struct cand best;
    bool have;
    uint32_t ncand;
    int32_t first_dis;
};

static int route_visit(void *vctx, const struct bl__lg_rate *r, int64_t wt, int32_t dis)
{
    struct route_ctx *c = vctx;
    c->ncand++;
    if (dis >= 0) {
        if (c->first_dis < 0)
            c->first_dis = dis;
        return BL_OK;
    }
    struct bl_lg_option o;
    BL__LG_TRY(evaluate(c->lg, c->w, c->s, r, wt, dis, &o));
    choose(c->lg, c->w, &o, c->kind, &c->best, &c->have);
    return BL_OK;
}

/* The hot path of bl_lg_route: one shipment through its lane-index cell, with
 * everything inline. Same decisions as route_visit over serve_fast. */

static int route_one_fast(const struct bl_lg *lg, struct scratch *w, enum bl_lg_policy_kind kind,
                          const struct bl_lg_shipment *s, struct bl_lg_route *out)
{
    uint32_t n;
    const struct bl__lg_ent *e = cell(lg, s, &n);
    /* Disruptions active on this route now: one covering every channel suspends
     * them all; channel-scoped ones are stamped into the per-channel scratch. */
    int32_t all_dis = -1;
    uint64_t stamp = ++w->stamp;
    for (int pass = 0; pass < 2; pass++) {
        const uint32_t *list = pass ? lg->ddis : lg->odis;
        const uint32_t *off = pass ? lg->ddis_off : lg->odis_off;
        uint32_t node = pass ? s->to : s->from;
        for (uint32_t k = off[node]; k < off[node + 1]; k++) {
            const struct bl__lg_dis *x = &lg->dis[list[k]];
            if (x->pub.starts_at > s->ship_at || s->ship_at >= x->pub.ends_at)
                continue;
            if (x->ch == -1) {
                if (all_dis < 0)
                    all_dis = (int32_t)list[k];
            } else if (w->susp_at[x->ch] != stamp) {
                w->susp_at[x->ch] = stamp;
                w->susp_id[x->ch] = (int32_t)list[k];
            }
        }
    }
    struct cand best = {0};
    bool have = false;
    uint32_t ncand = 0, done_ch = UINT32_MAX, wt_ch = UINT32_MAX;
    int32_t first_dis = -1;
    int64_t wt = s->weight_g;
    bool dims = s->dims_mm[0] && s->dims_mm[1] && s->dims_mm[2];
    int64_t vol_mm3 = 0, last_div = 0;
    if (dims && (__builtin_mul_overflow(s->dims_mm[0], s->dims_mm[1], &vol_mm3) ||
                 __builtin_mul_overflow(vol_mm3, s->dims_mm[2], &vol_mm3)))
        return BL_EOVERFLOW;
    /* Without dimensions every channel charges the actual weight: use the
     * cell's weight intervals when it has them. */
    const struct bl__lg_ient *ie = NULL;
    uint32_t ni = 0;
    if (!dims && n) {
        size_t cix = (size_t)lg->oidx[s->from] * lg->nd + (size_t)lg->didx[s->to];
        uint32_t cnt = lg->ci_n[cix];
        if (cnt) {
            if (wt >= lg->cell_hi[cix] || wt < lg->ilo[lg->ci_off[cix]]) {
                n = 0; /* outside every band */
            } else {
                uint32_t g = lg->ci_off[cix], last = g + cnt - 1;
                while (g < last && lg->ilo[g + 1] <= wt)
                    g++;
                ie = (kind == BL_LG_FASTEST ? lg->ie_fast : lg->ie) + lg->ie_off[g];
                ni = lg->ie_off[g + 1] - lg->ie_off[g];
            }
        }
    }
    uint32_t steps = ie ? ni : n;
    int64_t day0 = bl__lg_floor_div(s->ship_at, BL_DAY_SECS) - 1; /* <= the local departure day */
    if (ie)
        ncand = ni; /* in an interval, every entry serves */
    for (uint32_t k = 0; k < steps; k++) {
        uint32_t ch;
        int64_t min_g, base, per_kg;
        if (ie) {
            /* price >= base: nothing from here on beats a meeting candidate of a
             * tier at most this one with a price below this base */
            if (have && best.meets &&
                ((kind == BL_LG_CHEAPEST && (ie[k].tier > best.tier || ie[k].base > best.price)) ||
                 (kind == BL_LG_FASTEST &&
                  (ie[k].tier > best.tier || day0 + ie[k].tmax > best.late))))
                break;
            ch = ie[k].ch;
            min_g = ie[k].min_g;
            base = ie[k].base;
            per_kg = ie[k].per_kg;
        } else {
            const struct bl__lg_ent *x = &e[k];
            ch = x->ch;
            if (ch == done_ch)
                continue;
            if (dims && ch != wt_ch) {
                int64_t div = lg->vol[ch]; /* chargeable weight, as chargeable() */
                if (div != last_div || wt_ch == UINT32_MAX) {
                    int64_t vg = div ? vol_mm3 / div + (vol_mm3 % div != 0) : 0;
                    wt = vg > s->weight_g ? vg : s->weight_g;
                    last_div = div;
                }
                wt_ch = ch;
            }
            if (wt < x->min_g || wt >= x->max_g)
                continue;
            done_ch = ch;
            min_g = x->min_g;
            base = x->base;
            per_kg = x->per_kg;
            ncand++;
        }
        int32_t dis = all_dis;
        if (dis < 0 && w->susp_at[ch] == stamp)
            dis = w->susp_id[ch];
        if (dis >= 0) {
            if (first_dis < 0)
                first_dis = dis;
            continue;
        }
        int64_t extra, kg = (wt - min_g) / 1000 + ((wt - min_g) % 1000 != 0);
        struct cand c;
        if (__builtin_mul_overflow(per_kg, kg, &extra) ||
            __builtin_add_overflow(base, extra, &c.price))
            return BL_EOVERFLOW;
        int64_t win[3];
        window_memo(lg, w, ch, s->ship_at, win);
        c.ch = (int32_t)ch;
        c.tier = lg->tier[ch];
        c.meets = win[2] <= s->by_day;
        c.pref = w->pref[ch] != 0;
        c.early = win[1];
        c.late = win[2];
        if (!have || better(&c, &best, kind)) {
            best = c;
            have = true;
        }
    }
    finish(out, &best, have, ncand, first_dis);
    return BL_OK;
}

/* Software prefetch for the orders to come: the cell metadata two orders ahead,
 * the first interval entries one order ahead (their addresses are random, so
 * the hardware prefetcher cannot guess them; the scan itself is sequential). */
static void prefetch_ahead(const struct bl_lg *lg, const struct bl__lg_ient *ies,
                           const struct bl_lg_shipment *s, size_t i, size_t n)
{
    if (i + 2 < n && s[i + 2].from < lg->nnodes && s[i + 2].to < lg->nnodes) {
        int32_t oi = lg->oidx[s[i + 2].from], di = lg->didx[s[i + 2].to];
        if (oi >= 0 && di >= 0) {
            size_t c = (size_t)oi * lg->nd + (size_t)di;
            __builtin_prefetch(&lg->ci_n[c]);
            __builtin_prefetch(&lg->ci_off[c]);
            __builtin_prefetch(&lg->cell_hi[c]);
        }
    }
    if (i + 1 >= n || s[i + 1].from >= lg->nnodes || s[i + 1].to >= lg->nnodes)
        return;
    int32_t oi = lg->oidx[s[i + 1].from], di = lg->didx[s[i + 1].to];
    if (oi < 0 || di < 0)
        return;
    size_t c = (size_t)oi * lg->nd + (size_t)di;
    uint32_t cnt = lg->ci_n[c];
    const char *p;
    if (!cnt || s[i + 1].dims_mm[0]) {
        p = (const char *)(lg->ents + lg->cell_off[c]);
    } else {
        uint32_t g = lg->ci_off[c], last = g + cnt - 1;
        while (g < last && lg->ilo[g + 1] <= s[i + 1].weight_g)
            g++;
        p = (const char *)(ies + lg->ie_off[g]);
    }
    for (int k = 0; k < 8; k++)
        __builtin_prefetch(p + 64 * k);
}

static int route_all(const struct bl_lg *lg, const struct bl_lg_policy *p,
                     const struct bl_lg_shipment *s, size_t n, struct bl_lg_route *out, bool naive,
                     struct bl_diag *d)
{
    struct scratch w;
    char buf[160];
    int rc = scratch_init(lg, p, &w);
    struct route_ctx c = {.lg = lg, .w = &w, .kind = p ? p->kind : BL_LG_CHEAPEST};
    for (size_t i = 0; !rc && i < n; i++) {
        rc = check_shipment(lg, &s[i], d);
        if (rc)
            break;
        if (!naive) {
            prefetch_ahead(lg, c.kind == BL_LG_FASTEST ? lg->ie_fast : lg->ie, s, i, n);
            rc = route_one_fast(lg, &w, c.kind, &s[i], &out[i]);
            if (rc) {
                bl_diag_set(d, rc, "%s: a price does not fit in 64 bits",
                            shipment_name(&s[i], buf, sizeof(buf)));
                break;
            }
            continue;
        }
        c.s = &s[i];
        c.have = false;
        c.ncand = 0;
        c.first_dis = -1;
        rc = serve_naive(lg, &s[i], route_visit, &c);
        if (rc) {
            bl_diag_set(d, rc, "%s: a price does not fit in 64 bits",
                        shipment_name(&s[i], buf, sizeof(buf)));
            break;
        }
        finish(&out[i], &c.best, c.have, c.ncand, c.first_dis);
    }
    scratch_release(&w);
    if (rc == BL_ENOMEM && d && !d->code)
        bl_diag_set(d, rc, "out of memory routing shipments");
    return rc;
}

int bl_lg_route(const struct bl_lg *lg, const struct bl_lg_policy *p,
                const struct bl_lg_shipment *s, size_t n, struct bl_lg_route *out,
                struct bl_diag *d)
{
    return route_all(lg, p, s, n, out, false, d);
}

int bl_lg_route_naive(const struct bl_lg *lg, const struct bl_lg_policy *p,
                      const struct bl_lg_shipment *s, size_t n, struct bl_lg_route *out,
                      struct bl_diag *d)
{
    return route_all(lg, p, s, n, out, true, d);
}

/* ---------------------------------------------------------------- after a hold */

#define RESUME_WAITS 16
#define RESUME_DAYS INT64_C(366)

/* The earliest end among the disruptions suspending a serving channel of s (INT64_MAX
 * when none does), and which. */
static int earliest_end(const struct bl_lg *lg, const struct bl_lg_shipment *s,
                        struct bl_lg_option *opt, size_t cap, int64_t *end, int32_t *which,
                        struct bl_diag *d)
{
    size_t n;
    BL__LG_TRY(bl_lg_quote(lg, s, opt, cap, &n, d));
    *end = INT64_MAX;
    *which = -1;
    for (size_t i = 0; i < n && i < cap; i++) {
        if (opt[i].disruption < 0)
            continue;
        int64_t e = lg->dis[opt[i].disruption].pub.ends_at;
        if (e < *end) {
            *end = e;
            *which = opt[i].disruption;
        }
    }
    return BL_OK;
}

int bl_lg_route_resume(const struct bl_lg *lg, const struct bl_lg_policy *p,
                       const struct bl_lg_shipment *s, struct bl_lg_resume *out,
                       struct bl_diag *d)
{
    memset(out, 0, sizeof(*out));
    out->waited_for = -1;
    out->resume_at = s->ship_at;
    BL__LG_TRY(bl_lg_route(lg, p, s, 1, &out->route, d));
    if (out->route.state != BL_LG_SUSPENDED)
        return BL_OK;
    size_t cap = lg->nch ? lg->nch : 1;
    struct bl_lg_option *opt = bl_calloc(cap, sizeof(*opt));
    if (!opt)
        return bl_diag_set(d, BL_ENOMEM, "out of memory");
    struct bl_lg_shipment at = *s;
    int rc = BL_OK;
    while (!rc && out->route.state == BL_LG_SUSPENDED && out->waits < RESUME_WAITS) {
        int64_t end;
        int32_t which;
        rc = earliest_end(lg, &at, opt, cap, &end, &which, d);
        if (rc || which < 0)
            break;
        out->waited_for = which;
        if (bl_dis_open_end(end)) {
            out->open_ended = true;
            break;
        }
        if (end <= at.ship_at || end - s->ship_at > RESUME_DAYS * BL_DAY_SECS)
            break;
        at.ship_at = end;
        out->resume_at = end;
        out->waits++;
        rc = bl_lg_route(lg, p, &at, 1, &out->route, d);
    }
    bl_free(opt);
    return rc;
}

/* ---------------------------------------------------------------- quote */

struct quote_ctx {
    const struct bl_lg *lg;
    const struct bl_lg_shipment *s;
    struct bl_lg_option *out;
    size_t cap, n;
};

static int quote_visit(void *vctx, const struct bl__lg_rate *r, int64_t wt, int32_t dis)
{
    struct quote_ctx *c = vctx;
    struct bl_lg_option o;
    BL__LG_TRY(evaluate(c->lg, NULL, c->s, r, wt, dis, &o));
    if (c->n < c->cap)
        c->out[c->n] = o;
    c->n++;
    return BL_OK;
}

static int option_rank(const struct bl_lg_option *a, const struct bl_lg_option *b,
                       const struct bl_lg *lg)
{
    bool ua = a->disruption >= 0, ub = b->disruption >= 0;
    if (ua != ub)
        return ua ? 1 : -1;
    int ta = (int)lg->ch[a->channel].pub.tier, tb = (int)lg->ch[b->channel].pub.tier;
    if (ta != tb)
        return ta < tb ? -1 : 1;
    if (a->price != b->price)
        return a->price < b->price ? -1 : 1;
    if (a->latest_day != b->latest_day)
        return a->latest_day < b->latest_day ? -1 : 1;
    return a->channel < b->channel ? -1 : a->channel > b->channel ? 1 : 0;
}

int bl_lg_quote(const struct bl_lg *lg, const struct bl_lg_shipment *s, struct bl_lg_option *out,
                size_t cap, size_t *n, struct bl_diag *d)
{
    *n = 0;
    BL__LG_TRY(check_shipment(lg, s, d));
    struct quote_ctx c = {lg, s, out, cap, 0};
    int rc = serve_fast(lg, s, quote_visit, &c);
    if (rc)
        return bl_diag_set(d, rc, "a price does not fit in 64 bits");
    *n = c.n;
    size_t m = c.n < cap ? c.n : cap;
    /* insertion sort: a handful of options, and qsort has no context argument */
    for (size_t i = 1; i < m; i++) {
        struct bl_lg_option x = out[i];
        size_t j = i;
        for (; j > 0 && option_rank(&x, &out[j - 1], lg) < 0; j--)
            out[j] = out[j - 1];
        out[j] = x;
    }
    return BL_OK;
}

/* ---------------------------------------------------------------- windows */

enum bl_lg_fit bl_lg_window_fit(const struct bl_lg *lg, const struct bl_lg_route *r, int64_t handed,
                                int64_t delivered, int32_t *bdays)
{
    *bdays = 0;
    if (r->channel < 0 || (r->state != BL_LG_ROUTED && r->state != BL_LG_LATE))
        return BL_LG_FIT_NO_CHANNEL;
    const struct bl_lg_channel *ch = &lg->ch[r->channel].pub;
    int64_t ho = ch->tz ? bl_tz_local_day(ch->tz, handed) : bl__lg_floor_div(handed, BL_DAY_SECS);
    int64_t dd =
        ch->tz ? bl_tz_local_day(ch->tz, delivered) : bl__lg_floor_div(delivered, BL_DAY_SECS);
    for (int64_t x = ho + 1; x <= dd && *bdays < 100000; x++)
        *bdays += bl_lg_business_day(lg, (size_t)r->channel, x);
    return dd < r->earliest_day ? BL_LG_FIT_EARLY
           : dd > r->latest_day ? BL_LG_FIT_LATE
                                : BL_LG_FIT_INSIDE;
}

/* ---------------------------------------------------------------- explain */

static const char *const tier_names[] = {"core", "backup"};
static const char *const policy_names[] = {"cheapest that meets the promise", "fastest",
                                           "preferred carrier"};

enum bl_lg_why bl_lg_route_why(const struct bl_lg *lg, const struct bl_lg_policy *p,
                               const struct bl_lg_route *r)
{
    if (r->state == BL_LG_SUSPENDED)
        return BL_LG_WHY_SUSPENDED;
    if ((r->state != BL_LG_ROUTED && r->state != BL_LG_LATE) || r->channel < 0)
        return BL_LG_WHY_NO_CHANNEL;
    if (r->state == BL_LG_LATE)
        return BL_LG_WHY_LATE;
    const struct bl_lg_channel *ch = &lg->ch[r->channel].pub;
    enum bl_lg_policy_kind k = p ? p->kind : BL_LG_CHEAPEST;
    if (k == BL_LG_PREFERRED && p->carrier && strcmp(ch->carrier, p->carrier) == 0)
        return BL_LG_WHY_PREFERRED;
    if (ch->tier == BL_LG_BACKUP)
        return BL_LG_WHY_BACKUP;
    return k == BL_LG_FASTEST ? BL_LG_WHY_FASTEST : BL_LG_WHY_CHEAPEST;
}

static const char *const why_text[] = {
    [BL_LG_WHY_LATE] = ": CANNOT MEET THE PROMISE - no available channel delivers in time; "
                       "this one arrives soonest",
    [BL_LG_WHY_PREFERRED] = ": the preferred carrier, and it meets the promise",
    [BL_LG_WHY_BACKUP] = ": no core channel is available that meets the promise, so the backup "
                         "tier serves",
    [BL_LG_WHY_FASTEST] = ": the fastest core channel that meets the promise",
    [BL_LG_WHY_CHEAPEST] = ": the cheapest core channel that meets the promise",
};

int bl_lg_explain(const struct bl_lg *lg, const struct bl_lg_policy *p,
                  const struct bl_lg_shipment *s, struct bl_buf *out, struct bl_diag *d)
{
    size_t cap = lg->nch ? lg->nch : 1, n = 0;
    struct bl_lg_option *o = bl_calloc(cap, sizeof(*o));
    if (!o)
        return bl_diag_set(d, BL_ENOMEM, "out of memory");
    struct bl_lg_route r;
    int rc = bl_lg_quote(lg, s, o, cap, &n, d);
    if (!rc)
        rc = bl_lg_route(lg, p, s, 1, &r, d);
    char a[BL_ISO_MAX], b[BL_ISO_MAX], c[BL_ISO_MAX];
    enum bl_lg_policy_kind k = p ? p->kind : BL_LG_CHEAPEST;
    if (!rc)
        rc = bl_buf_addf(
            out, "policy: %s%s%s%s\n", policy_names[k], k == BL_LG_PREFERRED ? " (" : "",
            k == BL_LG_PREFERRED && p->carrier ? p->carrier : "", k == BL_LG_PREFERRED ? ")" : "");
    if (!rc && s->by_day != BL_LG_NO_PROMISE)
        rc = bl_buf_addf(out, "promise: delivered by %s\n", bl_date_format(s->by_day, a));
    if (!rc)
        rc =
            bl_buf_addf(out, "%zu channel%s serve%s this lane and weight (%lld g)%s\n", n,
                        n == 1 ? "" : "s", n == 1 ? "s" : "", (long long)s->weight_g, n ? ":" : "");
    for (size_t i = 0; !rc && i < n && i < cap; i++) {
        const struct bl_lg_channel *ch = &lg->ch[o[i].channel].pub;
        struct bl_currency cur;
        char price[40];
        if (bl_currency_lookup(bl_str_c(ch->currency), &cur, NULL) ||
            bl_money_format(o[i].price, cur.exponent, price, sizeof(price)) < 0)
            snprintf(price, sizeof(price), "%lld (minor units)", (long long)o[i].price);
        rc = bl_buf_addf(out, "  %s (%s, %s, %s): %s %s, leaves %s, delivered %s..%s", ch->id,
                         ch->carrier, ch->mode, tier_names[ch->tier], price, ch->currency,
                         bl_date_format(o[i].depart_day, a), bl_date_format(o[i].earliest_day, b),
                         bl_date_format(o[i].latest_day, c));
        if (!rc && o[i].disruption >= 0) {
            const struct bl_lg_disruption *x = &lg->dis[o[i].disruption].pub;
            rc = bl_buf_addf(out, " - SUSPENDED by disruption %s (%s, %s %s)",
                             x->id[0] ? x->id : "(no id)", x->kind, x->region,
                             x->scope == BL_LG_ORIGIN        ? "origin"
                             : x->scope == BL_LG_DESTINATION ? "destination"
                                                             : "both");
        } else if (!rc) {
            rc = bl_buf_addf(out, "%s", o[i].meets ? " - meets the promise" : " - too late");
        }
        if (!rc)
            rc = bl_buf_addc(out, '\n');
    }
    if (!rc) {
        enum bl_lg_why why = bl_lg_route_why(lg, p, &r);
        if (why == BL_LG_WHY_NO_CHANNEL)
            rc = bl_buf_addf(out, "no channel serves this lane and weight\n");
        else if (why == BL_LG_WHY_SUSPENDED)
            rc = bl_buf_addf(out, "no channel: every serving channel is suspended\n");
        else
            rc = bl_buf_addf(out, "chosen: %s (%s tier)%s\n", lg->ch[r.channel].pub.id,
                             tier_names[lg->ch[r.channel].pub.tier], why_text[why]);
    }
    bl_free(o);
    return rc;
}
