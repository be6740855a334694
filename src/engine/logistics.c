/* logistics.c - compiled channel catalogue, quotes and routing (see logistics.h).
 *
 * Pure: no I/O, no clock, no globals. The design (lane index, calendar rank
 * tables, per-call memo of departures) is in docs/internals/logistics.md.
 */
#include "ballast/logistics.h"

#include <string.h>

#include "ballast/alloc.h"
#include "ballast/map.h"
#include "ballast/money.h"
#include "ballast/region.h"

#define TRY(call)                                                                                  \
    do {                                                                                           \
        int try_rc_ = (call);                                                                      \
        if (try_rc_)                                                                               \
            return try_rc_;                                                                        \
    } while (0)

/* Calendar rank tables cover 2000-01-01 .. 2099-12-31; other days take the slow
 * path (a day-by-day walk), which gives the same answers. */
#define CAL_LO INT64_C(10957)
#define CAL_SPAN INT64_C(36525)
#define MIN_INSTANT INT64_C(-62135596800) /* 0001-01-01T00:00:00Z */
#define MAX_INSTANT INT64_C(253402300799) /* 9999-12-31T23:59:59Z */
#define MAX_CELLS (UINT64_C(16) << 20)
#define MAX_ENTRIES (UINT64_C(64) << 20)

struct cal {
    const char *name;
    uint8_t weekend;
    struct bl_lg_closure *cl; /* sorted, merged */
    size_t ncl;
    int32_t *rank;  /* rank[i]: business days in [CAL_LO, CAL_LO + i) */
    int32_t *bdays; /* business days, as offsets from CAL_LO */
    int32_t nb;
};

struct rate {
    uint32_t ch, onode, dnode, spec; /* spec: destination depth * 64 + origin depth */
    int64_t min_g, max_g, base, per_kg;
};

struct chan {
    struct bl_lg_channel pub;
    uint32_t cal;
    uint32_t first, count; /* its rates in lg->rates (sorted) */
    size_t nlanes;
};

struct dis {
    struct bl_lg_disruption pub;
    uint32_t node;
    int32_t ch; /* -1 every channel, -2 a channel not in the catalogue, else index */
};

/* A cell entry: everything the hot loop needs, inline (no pointer chasing). */
struct ent {
    int64_t min_g, max_g, base, per_kg;
    uint32_t ch, rate;
};

/* An interval entry: the rate a channel charges for every weight of one weight
 * interval of a cell (so the hot loop checks no band). */
struct ient {
    int64_t min_g, base, per_kg;
    uint32_t ch;
    uint16_t tier, tmax;
};

/* Interval entries are kept twice: sorted by tier, then base price (ie), and by
 * tier, then transit_max (ie_fast). The cheapest and fastest policies stop at the
 * first entry that cannot beat a meeting candidate: price >= base, and latest day
 * >= (UTC day of ship_at - 1) + transit_max, since a local day is at most one day
 * before the UTC day and a business day count is at most the calendar days. */
static int cmp_ient(const void *a, const void *b)
{
    const struct ient *x = a, *y = b;
    if (x->tier != y->tier)
        return x->tier < y->tier ? -1 : 1;
    if (x->base != y->base)
        return x->base < y->base ? -1 : 1;
    return x->ch < y->ch ? -1 : x->ch > y->ch ? 1 : 0;
}

static int cmp_ient_fast(const void *a, const void *b)
{
    const struct ient *x = a, *y = b;
    if (x->tier != y->tier)
        return x->tier < y->tier ? -1 : 1;
    if (x->tmax != y->tmax)
        return x->tmax < y->tmax ? -1 : 1;
    return x->ch < y->ch ? -1 : x->ch > y->ch ? 1 : 0;
}

struct bl_lg {
    struct bl_arena arena;
    struct bl_regions *reg;
    struct chan *ch;
    size_t nch;
    struct rate *rates;
    size_t nrates;
    struct cal *cals;
    size_t ncals;
    struct dis *dis;
    size_t ndis;
    uint32_t nnodes;
    int32_t *oidx, *didx; /* per node: row/column in the cell table, -1 none */
    size_t no, nd;
    uint32_t *cell_off, *cell_len;
    struct ent *ents; /* per cell in ascending rate order; bl_malloc'd */
    size_t nentries;
    /* Weight intervals per cell (docs/internals/logistics.md): cell c has ci_n[c]
     * intervals (0: scan the raw entries), global indexes ci_off[c].., each
     * starting at ilo[g] (the last ends at cell_hi[c]) with entries
     * ie[ie_off[g] .. ie_off[g + 1]). bl_malloc'd except the per-cell arrays. */
    uint32_t *ci_off, *ci_n;
    int64_t *cell_hi;
    int64_t *ilo;
    uint32_t *ie_off;
    struct ient *ie, *ie_fast;
    size_t nintervals, nie;
    int64_t *vol;                  /* per channel: volumetric divisor (0 none) */
    uint8_t *tier;                 /* per channel */
    uint32_t *odis_off, *ddis_off; /* per node (+1): disruptions covering it */
    uint32_t *odis, *ddis;         /* bl_malloc'd */
    uint32_t maxcand;
};

/* ---------------------------------------------------------------- helpers */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static void *arena_array(struct bl_arena *a, size_t n, size_t size)
{
    size_t total;
    if (__builtin_mul_overflow(n ? n : 1, size, &total))
        return NULL;
    void *p = bl_arena_alloc(a, total);
    if (p)
        memset(p, 0, total);
    return p;
}

static const char *dup_str(struct bl_arena *a, const char *s)
{
    s = s ? s : "";
    return bl_arena_strndup(a, s, strlen(s));
}

/* A growable uint32 array (bl_malloc'd). */
struct u32v {
    uint32_t *v;
    size_t n, cap;
};

static int u32v_push(struct u32v *a, uint32_t x)
{
    TRY(bl_grow((void **)&a->v, &a->cap, a->n + 1, sizeof(uint32_t)));
    a->v[a->n++] = x;
    return BL_OK;
}

/* ---------------------------------------------------------------- calendars */

static bool closed_slow(const struct cal *c, int64_t day)
{
    if ((c->weekend >> bl_weekday(day)) & 1)
        return true;
    size_t lo = 0, hi = c->ncl;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->cl[mid].to_day < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->ncl && c->cl[lo].from_day <= day;
}

/* First business day >= day. Terminates: at least one weekday is open and
 * closures are finite. */
static int64_t next_bday(const struct cal *c, int64_t day)
{
    if (day >= CAL_LO && day < CAL_LO + CAL_SPAN) {
        int32_t idx = c->rank[day - CAL_LO];
        if (idx < c->nb)
            return CAL_LO + c->bdays[idx];
    }
    while (closed_slow(c, day))
        day++;
    return day;
}

/* The business day k business days after business day dep. */
static int64_t add_bdays(const struct cal *c, int64_t dep, int64_t k)
{
    if (dep >= CAL_LO && dep < CAL_LO + CAL_SPAN) {
        int64_t idx = (int64_t)c->rank[dep - CAL_LO] + k;
        if (idx < c->nb)
            return CAL_LO + c->bdays[idx];
    }
    for (int64_t i = 0; i < k; i++) {
        dep++;
        while (closed_slow(c, dep))
            dep++;
    }
    return dep;
}

static int cmp_closure(const void *a, const void *b)
{
    const struct bl_lg_closure *x = a, *y = b;
    return x->from_day < y->from_day ? -1 : x->from_day > y->from_day ? 1 : 0;
}

static int cal_build(struct bl_lg *lg, struct cal *c, const char *name, uint8_t weekend,
                     const struct bl_lg_closure *cl, size_t ncl, struct bl_diag *d)
{
    c->name = dup_str(&lg->arena, name);
    c->weekend = weekend & 0x7f;
    if (!c->name)
        return BL_ENOMEM;
    if (c->weekend == 0x7f)
        return bl_diag_set(d, BL_EINVAL, "calendar '%s': every day of the week is closed", c->name);
    c->cl = arena_array(&lg->arena, ncl, sizeof(*c->cl));
    if (!c->cl)
        return BL_ENOMEM;
    for (size_t i = 0; i < ncl; i++) {
        if (cl[i].to_day < cl[i].from_day)
            return bl_diag_set(d, BL_EINVAL, "calendar '%s': a closure ends before it starts",
                               c->name);
        if (cl[i].from_day < -719162 || cl[i].to_day > 2932896)
            return bl_diag_set(d, BL_ERANGE, "calendar '%s': a closure outside years 1-9999",
                               c->name);
    }
    if (ncl)
        memcpy(c->cl, cl, ncl * sizeof(*cl));
    qsort(c->cl, ncl, sizeof(*c->cl), cmp_closure);
    size_t m = 0;
    for (size_t i = 0; i < ncl; i++) {
        if (m && c->cl[i].from_day <= c->cl[m - 1].to_day + 1) {
            if (c->cl[i].to_day > c->cl[m - 1].to_day)
                c->cl[m - 1].to_day = c->cl[i].to_day;
        } else {
            c->cl[m++] = c->cl[i];
        }
    }
    c->ncl = m;
    c->rank = arena_array(&lg->arena, (size_t)CAL_SPAN + 1, sizeof(int32_t));
    c->bdays = arena_array(&lg->arena, (size_t)CAL_SPAN, sizeof(int32_t));
    if (!c->rank || !c->bdays)
        return BL_ENOMEM;
    int32_t nb = 0;
    for (int32_t i = 0; i < (int32_t)CAL_SPAN; i++) {
        c->rank[i] = nb;
        if (!closed_slow(c, CAL_LO + i))
            c->bdays[nb++] = i;
    }
    c->rank[CAL_SPAN] = nb;
    c->nb = nb;
    return BL_OK;
}

/* ---------------------------------------------------------------- compile */

static int cmp_rate(const void *a, const void *b)
{
    const struct rate *x = a, *y = b;
    if (x->ch != y->ch)
        return x->ch < y->ch ? -1 : 1;
    if (x->spec != y->spec)
        return x->spec > y->spec ? -1 : 1; /* most specific first */
    if (x->onode != y->onode)
        return x->onode < y->onode ? -1 : 1;
    if (x->dnode != y->dnode)
        return x->dnode < y->dnode ? -1 : 1;
    return x->min_g < y->min_g ? -1 : x->min_g > y->min_g ? 1 : 0;
}

struct pairkey {
    uint64_t key; /* onode << 32 | dnode */
    uint32_t rate;
};

static int cmp_pair(const void *a, const void *b)
{
    const struct pairkey *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->rate < y->rate ? -1 : x->rate > y->rate ? 1 : 0;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y ? 1 : 0;
}

static int intern(struct bl_lg *lg, const char *code, uint32_t *node, const char *what,
                  const char *owner, struct bl_diag *d)
{
    int rc = bl_regions_intern(lg->reg, bl_str_c(code), node);
    if (rc == BL_EINVAL)
        return bl_diag_set(d, BL_EINVAL, "%s: %s '%s' is not a canonical region code", owner, what,
                           code ? code : "");
    return rc;
}

static int compile_channels(struct bl_lg *lg, const struct bl_lg_input *in, struct bl_map *cals,
                            struct bl_map *chans, struct bl_diag *d)
{
    size_t total = 0;
    for (size_t i = 0; i < in->nchannels; i++)
        if (__builtin_add_overflow(total, in->channels[i].nrates, &total))
            return BL_EOVERFLOW;
    if (total > UINT32_MAX / 2 || in->nchannels > INT32_MAX / 2)
        return bl_diag_set(d, BL_ETOOBIG, "too many channels or rates");
    lg->ch = arena_array(&lg->arena, in->nchannels, sizeof(*lg->ch));
    lg->rates = arena_array(&lg->arena, total, sizeof(*lg->rates));
    if (!lg->ch || !lg->rates)
        return BL_ENOMEM;
    lg->nch = in->nchannels;
    size_t k = 0;
    for (size_t i = 0; i < in->nchannels; i++) {
        const struct bl_lg_channel *src = &in->channels[i];
        struct chan *c = &lg->ch[i];
        const char *id = src->id ? src->id : "";
        bool added;
        int64_t idx = (int64_t)i;
        TRY(bl_map_get_or_put(chans, bl_str_c(id), &idx, &added));
        if (!added)
            return bl_diag_set(d, BL_EINVAL, "channel '%s' appears twice", id);
        if (src->transit_min < 0 || src->transit_max < src->transit_min ||
            src->transit_max > BL_LG_MAX_TRANSIT)
            return bl_diag_set(d, BL_ERANGE,
                               "channel '%s': transit %d-%d business days: expected 0 <= min "
                               "<= max <= %d",
                               id, src->transit_min, src->transit_max, BL_LG_MAX_TRANSIT);
        if (src->cutoff_min < -1 || src->cutoff_min >= 24 * 60 || src->vol_divisor < 0)
            return bl_diag_set(d, BL_ERANGE, "channel '%s': bad cut-off or volumetric divisor", id);
        c->pub = *src;
        c->pub.id = dup_str(&lg->arena, id);
        c->pub.carrier = dup_str(&lg->arena, src->carrier);
        c->pub.mode = dup_str(&lg->arena, src->mode);
        c->pub.calendar = dup_str(&lg->arena, src->calendar);
        c->pub.currency = dup_str(&lg->arena, src->currency);
        struct bl_lg_rate *pr = arena_array(&lg->arena, src->nrates, sizeof(*pr));
        if (!c->pub.id || !c->pub.carrier || !c->pub.mode || !c->pub.calendar || !c->pub.currency ||
            !pr)
            return BL_ENOMEM;
        c->pub.rates = pr;
        int64_t cal = 0;
        if (c->pub.calendar[0] && !bl_map_get(cals, bl_str_c(c->pub.calendar), &cal))
            return bl_diag_set(d, BL_EINVAL,
                               "channel '%s' names calendar '%s', which is not loaded (import "
                               "it with 'ballast calendars import', e.g. data/calendars.csv)",
                               id, c->pub.calendar);
        c->cal = (uint32_t)cal;
        for (size_t j = 0; j < src->nrates; j++, k++) {
            const struct bl_lg_rate *sr = &src->rates[j];
            struct rate *r = &lg->rates[k];
            char owner[300];
            snprintf(owner, sizeof(owner), "channel '%s' rate %zu", id, j + 1);
            TRY(intern(lg, sr->origin, &r->onode, "origin", owner, d));
            TRY(intern(lg, sr->destination, &r->dnode, "destination", owner, d));
            if (sr->min_g < 0 || sr->max_g <= sr->min_g || sr->base < 0 || sr->per_kg < 0)
                return bl_diag_set(d, BL_EINVAL, "%s: expected 0 <= min_g < max_g and prices >= 0",
                                   owner);
            pr[j] = *sr;
            pr[j].origin = bl_regions_name(lg->reg, r->onode);
            pr[j].destination = bl_regions_name(lg->reg, r->dnode);
            r->ch = (uint32_t)i;
            r->spec =
                bl_regions_depth(lg->reg, r->dnode) * 64 + bl_regions_depth(lg->reg, r->onode);
            r->min_g = sr->min_g;
            r->max_g = sr->max_g;
            r->base = sr->base;
            r->per_kg = sr->per_kg;
        }
    }
    lg->nrates = total;
    lg->vol = arena_array(&lg->arena, lg->nch, sizeof(int64_t));
    lg->tier = arena_array(&lg->arena, lg->nch, 1);
    if (!lg->vol || !lg->tier)
        return BL_ENOMEM;
    for (size_t i = 0; i < lg->nch; i++) {
        lg->vol[i] = lg->ch[i].pub.vol_divisor;
        lg->tier[i] = (uint8_t)lg->ch[i].pub.tier;
    }
    qsort(lg->rates, total, sizeof(*lg->rates), cmp_rate);
    for (size_t j = 0; j < total; j++) {
        struct chan *c = &lg->ch[lg->rates[j].ch];
        if (!c->count)
            c->first = (uint32_t)j;
        c->count++;
        if (j == c->first || lg->rates[j].onode != lg->rates[j - 1].onode ||
            lg->rates[j].dnode != lg->rates[j - 1].dnode)
            c->nlanes++; /* within a channel, rates of one lane are adjacent */
    }
    return BL_OK;
}

/* Node n is relevant when it or an ancestor is marked. */
static int relevant_index(struct bl_lg *lg, const uint8_t *mark, int32_t **idx, size_t *count)
{
    *idx = arena_array(&lg->arena, lg->nnodes, sizeof(int32_t));
    if (!*idx)
        return BL_ENOMEM;
    size_t n = 0;
    for (uint32_t node = 0; node < lg->nnodes; node++) {
        bool rel = false;
        for (uint32_t a = node;; a = bl_regions_parent(lg->reg, a)) {
            if (mark[a]) {
                rel = true;
                break;
            }
            if (a == 0)
                break;
        }
        (*idx)[node] = rel ? (int32_t)n++ : -1;
    }
    *count = n;
    return BL_OK;
}

static int build_cells(struct bl_lg *lg, struct bl_diag *d)
{
    int rc = BL_OK;
    uint8_t *om = bl_calloc(lg->nnodes, 1), *dm = bl_calloc(lg->nnodes, 1);
    struct pairkey *pk = bl_calloc(lg->nrates ? lg->nrates : 1, sizeof(*pk));
    struct u32v ent = {0}, tmp = {0};
    uint32_t *onodes = NULL, *dnodes = NULL;
    if (!om || !dm || !pk) {
        rc = BL_ENOMEM;
        goto out;
    }
    for (size_t j = 0; j < lg->nrates; j++) {
        om[lg->rates[j].onode] = 1;
        dm[lg->rates[j].dnode] = 1;
        pk[j].key = (uint64_t)lg->rates[j].onode << 32 | lg->rates[j].dnode;
        pk[j].rate = (uint32_t)j;
    }
    qsort(pk, lg->nrates, sizeof(*pk), cmp_pair);
    if ((rc = relevant_index(lg, om, &lg->oidx, &lg->no)) ||
        (rc = relevant_index(lg, dm, &lg->didx, &lg->nd)))
        goto out;
    if ((uint64_t)lg->no * lg->nd > MAX_CELLS) {
        rc = bl_diag_set(d, BL_ETOOBIG,
                         "the lane index would need %zu x %zu cells: too many distinct regions",
                         lg->no, lg->nd);
        goto out;
    }
    size_t ncells = lg->no * lg->nd;
    lg->cell_off = arena_array(&lg->arena, ncells, sizeof(uint32_t));
    lg->cell_len = arena_array(&lg->arena, ncells, sizeof(uint32_t));
    onodes = bl_calloc(lg->no ? lg->no : 1, sizeof(uint32_t));
    dnodes = bl_calloc(lg->nd ? lg->nd : 1, sizeof(uint32_t));
    if (!lg->cell_off || !lg->cell_len || !onodes || !dnodes) {
        rc = BL_ENOMEM;
        goto out;
    }
    for (uint32_t node = 0; node < lg->nnodes; node++) {
        if (lg->oidx[node] >= 0)
            onodes[lg->oidx[node]] = node;
        if (lg->didx[node] >= 0)
            dnodes[lg->didx[node]] = node;
    }
    for (size_t i = 0; i < lg->no; i++) {
        for (size_t j = 0; j < lg->nd; j++) {
            tmp.n = 0;
            for (uint32_t a = onodes[i];; a = bl_regions_parent(lg->reg, a)) {
                if (om[a]) {
                    for (uint32_t b = dnodes[j];; b = bl_regions_parent(lg->reg, b)) {
                        if (dm[b]) {
                            uint64_t key = (uint64_t)a << 32 | b;
                            size_t lo = 0, hi = lg->nrates;
                            while (lo < hi) {
                                size_t mid = lo + (hi - lo) / 2;
                                if (pk[mid].key < key)
                                    lo = mid + 1;
                                else
                                    hi = mid;
                            }
                            for (; lo < lg->nrates && pk[lo].key == key; lo++)
                                if ((rc = u32v_push(&tmp, pk[lo].rate)))
                                    goto out;
                        }
                        if (b == 0)
                            break;
                    }
                }
                if (a == 0)
                    break;
            }
            qsort(tmp.v, tmp.n, sizeof(uint32_t), cmp_u32);
            if (ent.n + tmp.n > MAX_ENTRIES) {
                rc = bl_diag_set(d, BL_ETOOBIG, "the lane index would pass %llu entries",
                                 (unsigned long long)MAX_ENTRIES);
                goto out;
            }
            lg->cell_off[i * lg->nd + j] = (uint32_t)ent.n;
            lg->cell_len[i * lg->nd + j] = (uint32_t)tmp.n;
            /* candidates: distinct channels of the cell */
            uint32_t chans = 0;
            for (size_t k = 0; k < tmp.n; k++) {
                if ((rc = u32v_push(&ent, tmp.v[k])))
                    goto out;
                if (k == 0 || lg->rates[tmp.v[k]].ch != lg->rates[tmp.v[k - 1]].ch)
                    chans++;
            }
            if (chans > lg->maxcand)
                lg->maxcand = chans;
        }
    }
    lg->ents = bl_calloc(ent.n ? ent.n : 1, sizeof(*lg->ents));
    if (!lg->ents) {
        rc = BL_ENOMEM;
        goto out;
    }
    for (size_t k = 0; k < ent.n; k++) {
        const struct rate *r = &lg->rates[ent.v[k]];
        lg->ents[k] = (struct ent){r->min_g, r->max_g, r->base, r->per_kg, r->ch, ent.v[k]};
    }
    lg->nentries = ent.n;
out:
    bl_free(ent.v);
    bl_free(tmp.v);
    bl_free(om);
    bl_free(dm);
    bl_free(pk);
    bl_free(onodes);
    bl_free(dnodes);
    return rc;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y ? 1 : 0;
}

/* Splits each cell's weight range at every band boundary of its entries: inside
 * one interval every channel's matching band is fixed, so routing an order is a
 * short interval search and a scan of exactly the serving channels. A cell whose
 * expansion would pass 8x its raw entries (+64) keeps the raw scan. */
static int build_intervals(struct bl_lg *lg)
{
    size_t ncells = lg->no * lg->nd;
    lg->ci_off = arena_array(&lg->arena, ncells, sizeof(uint32_t));
    lg->ci_n = arena_array(&lg->arena, ncells, sizeof(uint32_t));
    lg->cell_hi = arena_array(&lg->arena, ncells, sizeof(int64_t));
    if (!lg->ci_off || !lg->ci_n || !lg->cell_hi)
        return BL_ENOMEM;
    int rc = BL_OK;
    int64_t *b = NULL;
    size_t bcap = 0, ilo_cap = 0, off_cap = 0, ie_cap = 0;
    for (size_t c = 0; c < ncells && !rc; c++) {
        uint32_t n = lg->cell_len[c];
        const struct ent *e = lg->ents + lg->cell_off[c];
        if (!n)
            continue;
        if ((rc = bl_grow((void **)&b, &bcap, 2 * (size_t)n, sizeof(int64_t))))
            break;
        size_t m = 0;
        for (uint32_t k = 0; k < n; k++) {
            b[m++] = e[k].min_g;
            b[m++] = e[k].max_g;
        }
        qsort(b, m, sizeof(int64_t), cmp_i64);
        size_t u = 0;
        for (size_t k = 0; k < m; k++)
            if (!u || b[k] != b[u - 1])
                b[u++] = b[k];
        /* count first: skip cells that would expand too much */
        size_t total = 0;
        for (size_t j = 0; j + 1 < u; j++) {
            uint32_t done = UINT32_MAX;
            for (uint32_t k = 0; k < n; k++)
                if (e[k].ch != done && e[k].min_g <= b[j] && b[j] < e[k].max_g) {
                    done = e[k].ch;
                    total++;
                }
        }
        if (total > 8 * (size_t)n + 64 || lg->nie + total > MAX_ENTRIES ||
            lg->nintervals + u > UINT32_MAX / 2)
            continue;
        lg->ci_off[c] = (uint32_t)lg->nintervals;
        lg->ci_n[c] = (uint32_t)(u - 1);
        lg->cell_hi[c] = b[u - 1];
        for (size_t j = 0; j + 1 < u && !rc; j++) {
            if ((rc = bl_grow((void **)&lg->ilo, &ilo_cap, lg->nintervals + 1, sizeof(int64_t))) ||
                (rc =
                     bl_grow((void **)&lg->ie_off, &off_cap, lg->nintervals + 2, sizeof(uint32_t))))
                break;
            lg->ilo[lg->nintervals] = b[j];
            lg->ie_off[lg->nintervals] = (uint32_t)lg->nie;
            uint32_t done = UINT32_MAX;
            for (uint32_t k = 0; k < n && !rc; k++) {
                if (e[k].ch == done || e[k].min_g > b[j] || b[j] >= e[k].max_g)
                    continue;
                done = e[k].ch;
                if ((rc = bl_grow((void **)&lg->ie, &ie_cap, lg->nie + 1, sizeof(struct ient))))
                    break;
                lg->ie[lg->nie++] = (struct ient){
                    e[k].min_g, e[k].base,         e[k].per_kg,
                    e[k].ch,    lg->tier[e[k].ch], (uint16_t)lg->ch[e[k].ch].pub.transit_max};
            }
            if (rc)
                break;
            qsort(lg->ie + lg->ie_off[lg->nintervals], lg->nie - lg->ie_off[lg->nintervals],
                  sizeof(struct ient), cmp_ient);
            lg->nintervals++;
            lg->ie_off[lg->nintervals] = (uint32_t)lg->nie;
        }
    }
    bl_free(b);
    if (!rc && lg->nie) {
        lg->ie_fast = bl_malloc(lg->nie * sizeof(struct ient));
        if (!lg->ie_fast)
            return BL_ENOMEM;
        memcpy(lg->ie_fast, lg->ie, lg->nie * sizeof(struct ient));
        for (size_t g = 0; g < lg->nintervals; g++)
            qsort(lg->ie_fast + lg->ie_off[g], lg->ie_off[g + 1] - lg->ie_off[g],
                  sizeof(struct ient), cmp_ient_fast);
    }
    return rc;
}

static int build_disruptions(struct bl_lg *lg, const struct bl_lg_input *in, struct bl_map *chans,
                             struct bl_diag *d)
{
    lg->dis = arena_array(&lg->arena, in->ndisruptions, sizeof(*lg->dis));
    if (!lg->dis)
        return BL_ENOMEM;
    lg->ndis = in->ndisruptions;
    for (size_t i = 0; i < in->ndisruptions; i++) {
        const struct bl_lg_disruption *s = &in->disruptions[i];
        struct dis *x = &lg->dis[i];
        x->pub = *s;
        x->pub.id = dup_str(&lg->arena, s->id);
        x->pub.kind = dup_str(&lg->arena, s->kind);
        x->pub.channel = dup_str(&lg->arena, s->channel);
        x->pub.supplier = dup_str(&lg->arena, s->supplier);
        if (!x->pub.id || !x->pub.kind || !x->pub.channel || !x->pub.supplier)
            return BL_ENOMEM;
        char owner[300];
        snprintf(owner, sizeof(owner), "disruption %zu ('%s')", i + 1, x->pub.id);
        TRY(intern(lg, s->region, &x->node, "region", owner, d));
        x->pub.region = bl_regions_name(lg->reg, x->node);
        if ((unsigned)s->scope > BL_LG_BOTH)
            return bl_diag_set(d, BL_EINVAL, "%s: bad scope", owner);
        int64_t c = -1;
        if (x->pub.channel[0] && !bl_map_get(chans, bl_str_c(x->pub.channel), &c))
            c = -2;
        x->ch = (int32_t)c;
    }
    return BL_OK;
}

/* Per node, the disruptions whose region contains it, by scope. Runs after
 * every region is interned. */
static int index_disruptions(struct bl_lg *lg)
{
    int rc = BL_OK;
    struct u32v ov = {0}, dv = {0};
    uint32_t *at_off = bl_calloc((size_t)lg->nnodes + 1, sizeof(uint32_t));
    uint32_t *at = bl_calloc(lg->ndis ? lg->ndis : 1, sizeof(uint32_t));
    lg->odis_off = arena_array(&lg->arena, (size_t)lg->nnodes + 1, sizeof(uint32_t));
    lg->ddis_off = arena_array(&lg->arena, (size_t)lg->nnodes + 1, sizeof(uint32_t));
    if (!at_off || !at || !lg->odis_off || !lg->ddis_off) {
        rc = BL_ENOMEM;
        goto out;
    }
    /* counting sort of usable disruptions by node */
    for (size_t i = 0; i < lg->ndis; i++)
        if (lg->dis[i].ch != -2 && !lg->dis[i].pub.supplier[0])
            at_off[lg->dis[i].node + 1]++;
    for (uint32_t n = 0; n < lg->nnodes; n++)
        at_off[n + 1] += at_off[n];
    {
        uint32_t *fill = bl_calloc(lg->nnodes ? lg->nnodes : 1, sizeof(uint32_t));
        if (!fill) {
            rc = BL_ENOMEM;
            goto out;
        }
        for (size_t i = 0; i < lg->ndis; i++)
            if (lg->dis[i].ch != -2 && !lg->dis[i].pub.supplier[0]) {
                uint32_t n = lg->dis[i].node;
                at[at_off[n] + fill[n]++] = (uint32_t)i;
            }
        bl_free(fill);
    }
    for (uint32_t n = 0; n < lg->nnodes; n++) {
        lg->odis_off[n] = (uint32_t)ov.n;
        lg->ddis_off[n] = (uint32_t)dv.n;
        for (uint32_t a = n;; a = bl_regions_parent(lg->reg, a)) {
            for (uint32_t k = at_off[a]; k < at_off[a + 1]; k++) {
                enum bl_lg_scope sc = lg->dis[at[k]].pub.scope;
                if (sc != BL_LG_DESTINATION && (rc = u32v_push(&ov, at[k])))
                    goto out;
                if (sc != BL_LG_ORIGIN && (rc = u32v_push(&dv, at[k])))
                    goto out;
            }
            if (a == 0)
                break;
        }
    }
    lg->odis_off[lg->nnodes] = (uint32_t)ov.n;
    lg->ddis_off[lg->nnodes] = (uint32_t)dv.n;
    lg->odis = ov.v;
    lg->ddis = dv.v;
    ov.v = dv.v = NULL;
out:
    bl_free(ov.v);
    bl_free(dv.v);
    bl_free(at_off);
    bl_free(at);
    return rc;
}

static int compile(struct bl_lg *lg, const struct bl_lg_input *in, struct bl_map *cals,
                   struct bl_map *chans, struct bl_diag *d)
{
    lg->reg = bl_regions_new(&lg->arena);
    lg->ncals = in->ncalendars + 1;
    lg->cals = arena_array(&lg->arena, lg->ncals, sizeof(*lg->cals));
    if (!lg->reg || !lg->cals)
        return BL_ENOMEM;
    TRY(cal_build(lg, &lg->cals[0], "", BL_LG_SAT_SUN, NULL, 0, d));
    for (size_t i = 0; i < in->ncalendars; i++) {
        const struct bl_lg_calendar *c = &in->calendars[i];
        const char *name = c->name ? c->name : "";
        int64_t idx = (int64_t)i + 1;
        bool added;
        if (!name[0])
            return bl_diag_set(d, BL_EINVAL, "calendar %zu has no name", i + 1);
        TRY(bl_map_get_or_put(cals, bl_str_c(name), &idx, &added));
        if (!added)
            return bl_diag_set(d, BL_EINVAL, "calendar '%s' appears twice", name);
        TRY(cal_build(lg, &lg->cals[i + 1], name, c->weekend, c->closures, c->nclosures, d));
    }
    TRY(compile_channels(lg, in, cals, chans, d));
    TRY(build_disruptions(lg, in, chans, d));
    lg->nnodes = bl_regions_count(lg->reg);
    TRY(build_cells(lg, d));
    TRY(build_intervals(lg));
    return index_disruptions(lg);
}

int bl_lg_compile(const struct bl_lg_input *in, struct bl_lg **out, struct bl_diag *d)
{
    *out = NULL;
    struct bl_lg *lg = bl_calloc(1, sizeof(*lg));
    if (!lg)
        return bl_diag_set(d, BL_ENOMEM, "out of memory compiling the channel catalogue");
    bl_arena_init(&lg->arena, 256 * 1024);
    struct bl_map cals, chans;
    bl_map_init(&cals, &lg->arena);
    bl_map_init(&chans, &lg->arena);
    int rc = compile(lg, in, &cals, &chans, d);
    bl_map_release(&cals);
    bl_map_release(&chans);
    if (rc) {
        if (d && !d->code)
            bl_diag_set(d, rc, "compiling the channel catalogue: %s", bl_strerror(rc));
        bl_lg_free(lg);
        return rc;
    }
    *out = lg;
    return BL_OK;
}

void bl_lg_free(struct bl_lg *lg)
{
    if (!lg)
        return;
    bl_free(lg->ents);
    bl_free(lg->ilo);
    bl_free(lg->ie_off);
    bl_free(lg->ie);
    bl_free(lg->ie_fast);
    bl_free(lg->odis);
    bl_free(lg->ddis);
    bl_arena_release(&lg->arena);
    bl_free(lg);
}

size_t bl_lg_nchannels(const struct bl_lg *lg)
{
    return lg->nch;
}

const struct bl_lg_channel *bl_lg_channel(const struct bl_lg *lg, size_t i)
{
    return i < lg->nch ? &lg->ch[i].pub : NULL;
}

size_t bl_lg_ndisruptions(const struct bl_lg *lg)
{
    return lg->ndis;
}

const struct bl_lg_disruption *bl_lg_disruption(const struct bl_lg *lg, size_t i)
{
    return i < lg->ndis ? &lg->dis[i].pub : NULL;
}

size_t bl_lg_nlanes(const struct bl_lg *lg, size_t i)
{
    return i < lg->nch ? lg->ch[i].nlanes : 0;
}

uint32_t bl_lg_locate(const struct bl_lg *lg, struct bl_str code)
{
    return bl_regions_find_prefix(lg->reg, code);
}

bool bl_lg_business_day(const struct bl_lg *lg, size_t channel, int64_t day)
{
    if (channel >= lg->nch)
        return false;
    return !closed_slow(&lg->cals[lg->ch[channel].cal], day);
}

/* ---------------------------------------------------------------- evaluation */

static int check_shipment(const struct bl_lg *lg, const struct bl_lg_shipment *s, size_t i,
                          struct bl_diag *d)
{
    if (s->weight_g < 0)
        return bl_diag_set(d, BL_EINVAL, "shipment %zu: negative weight %lld g", i,
                           (long long)s->weight_g);
    for (int k = 0; k < 3; k++)
        if (s->dims_mm[k] < 0)
            return bl_diag_set(d, BL_EINVAL, "shipment %zu: negative dimension", i);
    if (s->ship_at < MIN_INSTANT || s->ship_at > MAX_INSTANT)
        return bl_diag_set(d, BL_ERANGE, "shipment %zu: ship time outside years 1-9999", i);
    if (s->from >= lg->nnodes || s->to >= lg->nnodes)
        return bl_diag_set(d, BL_EINVAL, "shipment %zu: region node not from bl_lg_locate", i);
    return BL_OK;
}

/* Chargeable weight on channel c. */
static int chargeable(const struct chan *c, const struct bl_lg_shipment *s, int64_t *w)
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

static int price_of(const struct rate *r, int64_t w, int64_t *price)
{
    int64_t kg = (w - r->min_g) / 1000 + ((w - r->min_g) % 1000 != 0);
    int64_t extra;
    TRY(bl_money_mul(r->per_kg, kg, &extra));
    return bl_money_add(r->base, extra, price);
}

/* Local departure day and delivery window of channel c for a hand-over at t. */
static void window(const struct bl_lg *lg, const struct chan *c, int64_t t, int64_t *dep,
                   int64_t *early, int64_t *late)
{
    const struct cal *cal = &lg->cals[c->cal];
    int64_t local = t + (c->pub.tz ? bl_tz_offset(c->pub.tz, t) : 0);
    int64_t day = floor_div(local, BL_DAY_SECS);
    int64_t minute = (local - day * BL_DAY_SECS) / 60;
    if (c->pub.cutoff_min >= 0 && minute >= c->pub.cutoff_min)
        day++;
    *dep = next_bday(cal, day);
    *early = add_bdays(cal, *dep, c->pub.transit_min);
    *late = add_bdays(cal, *dep, c->pub.transit_max);
}

/* Index of an active disruption suspending channel ch on this route, or -1. */
static int32_t suspended_fast(const struct bl_lg *lg, const struct bl_lg_shipment *s, uint32_t ch)
{
    for (int pass = 0; pass < 2; pass++) {
        const uint32_t *list = pass ? lg->ddis : lg->odis;
        const uint32_t *off = pass ? lg->ddis_off : lg->odis_off;
        uint32_t node = pass ? s->to : s->from;
        for (uint32_t k = off[node]; k < off[node + 1]; k++) {
            const struct dis *x = &lg->dis[list[k]];
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
            const struct dis *x = &lg->dis[k];
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

struct cand {
    int32_t ch;
    uint8_t tier;
    bool meets, pref;
    int64_t price, early, late;
};

/* Inlined: it runs once per candidate on the hot path. */
static inline __attribute__((always_inline)) bool better(const struct cand *a, const struct cand *b,
                                                         enum bl_lg_policy_kind k)
{
    if (a->meets != b->meets)
        return a->meets;
    if (a->meets) {
        if (k == BL_LG_PREFERRED && a->pref != b->pref)
            return a->pref;
        if (a->tier != b->tier)
            return a->tier < b->tier;
        if (k == BL_LG_FASTEST) {
            if (a->late != b->late)
                return a->late < b->late;
            if (a->early != b->early)
                return a->early < b->early;
            if (a->price != b->price)
                return a->price < b->price;
        } else {
            if (a->price != b->price)
                return a->price < b->price;
            if (a->late != b->late)
                return a->late < b->late;
            if (a->early != b->early)
                return a->early < b->early;
        }
    } else {
        if (a->tier != b->tier)
            return a->tier < b->tier;
        if (a->late != b->late)
            return a->late < b->late;
        if (a->early != b->early)
            return a->early < b->early;
        if (a->price != b->price)
            return a->price < b->price;
    }
    return a->ch < b->ch;
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

static const struct ent *cell(const struct bl_lg *lg, const struct bl_lg_shipment *s, uint32_t *n)
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
                    const struct rate *r, int64_t wt, int32_t dis, struct bl_lg_option *o)
{
    int64_t win[3];
    o->channel = (int32_t)r->ch;
    o->disruption = dis;
    o->weight_g = wt;
    TRY(price_of(r, wt, &o->price));
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
typedef int (*visit_fn)(void *ctx, const struct rate *r, int64_t wt, int32_t dis);

static int serve_fast(const struct bl_lg *lg, const struct bl_lg_shipment *s, visit_fn visit,
                      void *ctx)
{
    uint32_t n;
    const struct ent *e = cell(lg, s, &n);
    uint32_t done_ch = UINT32_MAX, wt_ch = UINT32_MAX;
    int64_t wt = s->weight_g;
    bool any_dis = lg->odis_off[s->from] != lg->odis_off[s->from + 1] ||
                   lg->ddis_off[s->to] != lg->ddis_off[s->to + 1];
    for (uint32_t k = 0; k < n; k++) {
        const struct rate *r = &lg->rates[e[k].rate];
        if (r->ch == done_ch)
            continue;
        if (r->ch != wt_ch) {
            TRY(chargeable(&lg->ch[r->ch], s, &wt));
            wt_ch = r->ch;
        }
        if (wt < r->min_g || wt >= r->max_g)
            continue;
        done_ch = r->ch;
        TRY(visit(ctx, r, wt, any_dis ? suspended_fast(lg, s, r->ch) : -1));
    }
    return BL_OK;
}

static int serve_naive(const struct bl_lg *lg, const struct bl_lg_shipment *s, visit_fn visit,
                       void *ctx)
{
    for (uint32_t ch = 0; ch < lg->nch; ch++) {
        const struct chan *c = &lg->ch[ch];
        int64_t wt;
        TRY(chargeable(c, s, &wt));
        for (uint32_t j = c->first; j < c->first + c->count; j++) {
            const struct rate *r = &lg->rates[j];
            if (wt < r->min_g || wt >= r->max_g ||
                !bl_regions_contains(lg->reg, r->onode, s->from) ||
                !bl_regions_contains(lg->reg, r->dnode, s->to))
                continue;
            TRY(visit(ctx, r, wt, suspended_naive(lg, s, ch)));
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

static int route_visit(void *vctx, const struct rate *r, int64_t wt, int32_t dis)
{
    struct route_ctx *c = vctx;
    c->ncand++;
    if (dis >= 0) {
        if (c->first_dis < 0)
            c->first_dis = dis;
        return BL_OK;
    }
    struct bl_lg_option o;
    TRY(evaluate(c->lg, c->w, c->s, r, wt, dis, &o));
    choose(c->lg, c->w, &o, c->kind, &c->best, &c->have);
    return BL_OK;
}

/* The hot path of bl_lg_route: one shipment through its lane-index cell, with
 * everything inline. Same decisions as route_visit over serve_fast. */

static int route_one_fast(const struct bl_lg *lg, struct scratch *w, enum bl_lg_policy_kind kind,
                          const struct bl_lg_shipment *s, struct bl_lg_route *out)
{
    uint32_t n;
    const struct ent *e = cell(lg, s, &n);
    /* Disruptions active on this route now: one covering every channel suspends
     * them all; channel-scoped ones are stamped into the per-channel scratch. */
    int32_t all_dis = -1;
    uint64_t stamp = ++w->stamp;
    for (int pass = 0; pass < 2; pass++) {
        const uint32_t *list = pass ? lg->ddis : lg->odis;
        const uint32_t *off = pass ? lg->ddis_off : lg->odis_off;
        uint32_t node = pass ? s->to : s->from;
        for (uint32_t k = off[node]; k < off[node + 1]; k++) {
            const struct dis *x = &lg->dis[list[k]];
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
    const struct ient *ie = NULL;
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
    int64_t day0 = floor_div(s->ship_at, BL_DAY_SECS) - 1; /* <= the local departure day */
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
            const struct ent *x = &e[k];
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
static void prefetch_ahead(const struct bl_lg *lg, const struct ient *ies,
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
    int rc = scratch_init(lg, p, &w);
    struct route_ctx c = {.lg = lg, .w = &w, .kind = p ? p->kind : BL_LG_CHEAPEST};
    for (size_t i = 0; !rc && i < n; i++) {
        rc = check_shipment(lg, &s[i], i, d);
        if (rc)
            break;
        if (!naive) {
            prefetch_ahead(lg, c.kind == BL_LG_FASTEST ? lg->ie_fast : lg->ie, s, i, n);
            rc = route_one_fast(lg, &w, c.kind, &s[i], &out[i]);
            if (rc) {
                bl_diag_set(d, rc, "shipment %zu: a price does not fit in 64 bits", i);
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
            bl_diag_set(d, rc, "shipment %zu: a price does not fit in 64 bits", i);
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

/* ---------------------------------------------------------------- quote */

struct quote_ctx {
    const struct bl_lg *lg;
    const struct bl_lg_shipment *s;
    struct bl_lg_option *out;
    size_t cap, n;
};

static int quote_visit(void *vctx, const struct rate *r, int64_t wt, int32_t dis)
{
    struct quote_ctx *c = vctx;
    struct bl_lg_option o;
    TRY(evaluate(c->lg, NULL, c->s, r, wt, dis, &o));
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
    TRY(check_shipment(lg, s, 0, d));
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

/* ---------------------------------------------------------------- explain */

static const char *const tier_names[] = {"core", "backup"};
static const char *const policy_names[] = {"cheapest that meets the promise", "fastest",
                                           "preferred carrier"};

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
        switch (r.state) {
        case BL_LG_ROUTED:
        case BL_LG_LATE: {
            const struct bl_lg_channel *ch = &lg->ch[r.channel].pub;
            const char *why;
            if (r.state == BL_LG_LATE)
                why = ": CANNOT MEET THE PROMISE - no available channel delivers in time; this "
                      "one arrives soonest";
            else if (k == BL_LG_PREFERRED && p->carrier && strcmp(ch->carrier, p->carrier) == 0)
                why = ": the preferred carrier, and it meets the promise";
            else if (ch->tier == BL_LG_BACKUP)
                why = ": no core channel is available that meets the promise, so the backup "
                      "tier serves";
            else if (k == BL_LG_FASTEST)
                why = ": the fastest core channel that meets the promise";
            else
                why = ": the cheapest core channel that meets the promise";
            rc = bl_buf_addf(out, "chosen: %s (%s tier)%s\n", ch->id, tier_names[ch->tier], why);
            break;
        }
        case BL_LG_SUSPENDED:
            rc = bl_buf_addf(out, "no channel: every serving channel is suspended\n");
            break;
        default:
            rc = bl_buf_addf(out, "no channel serves this lane and weight\n");
        }
    }
    bl_free(o);
    return rc;
}
