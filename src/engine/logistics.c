/* logistics.c - compiling the channel catalogue (see logistics.h): calendars,
 * rates, the lane index with its weight intervals, disruptions by region; and
 * the catalogue's accessors. Quotes and routing are in logistics_route.c.
 *
 * Pure: no I/O, no clock, no globals. The design (lane index, calendar rank
 * tables, per-call memo of departures) is in docs/internals/logistics.md.
 */
#include "engine/logistics_impl.h"

#include <string.h>

#include "ballast/alloc.h"
#include "ballast/map.h"
#include "ballast/money.h"
#include "ballast/region.h"

/* Interval entries are kept twice: sorted by tier, then base price (ie), and by
 * tier, then transit_max (ie_fast). The cheapest and fastest policies stop at the
 * first entry that cannot beat a meeting candidate: price >= base, and latest day
 * >= (UTC day of ship_at - 1) + transit_max, since a local day is at most one day
 * before the UTC day and a business day count is at most the calendar days. */
static int cmp_ient(const void *a, const void *b)
{
    const struct bl__lg_ient *x = a, *y = b;
    if (x->tier != y->tier)
        return x->tier < y->tier ? -1 : 1;
    if (x->base != y->base)
        return x->base < y->base ? -1 : 1;
    return x->ch < y->ch ? -1 : x->ch > y->ch ? 1 : 0;
}

static int cmp_ient_fast(const void *a, const void *b)
{
    const struct bl__lg_ient *x = a, *y = b;
    if (x->tier != y->tier)
        return x->tier < y->tier ? -1 : 1;
    if (x->tmax != y->tmax)
        return x->tmax < y->tmax ? -1 : 1;
    return x->ch < y->ch ? -1 : x->ch > y->ch ? 1 : 0;
}

/* ---------------------------------------------------------------- helpers */

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
    BL__LG_TRY(bl_grow((void **)&a->v, &a->cap, a->n + 1, sizeof(uint32_t)));
    a->v[a->n++] = x;
    return BL_OK;
}

/* ---------------------------------------------------------------- calendars */

static int cmp_closure(const void *a, const void *b)
{
    const struct bl_lg_closure *x = a, *y = b;
    return x->from_day < y->from_day ? -1 : x->from_day > y->from_day ? 1 : 0;
}

static int cal_build(struct bl_lg *lg, struct bl__lg_cal *c, const char *name, uint8_t weekend,
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
    c->rank = arena_array(&lg->arena, (size_t)BL__LG_CAL_SPAN + 1, sizeof(int32_t));
    c->bdays = arena_array(&lg->arena, (size_t)BL__LG_CAL_SPAN, sizeof(int32_t));
    if (!c->rank || !c->bdays)
        return BL_ENOMEM;
    int32_t nb = 0;
    for (int32_t i = 0; i < (int32_t)BL__LG_CAL_SPAN; i++) {
        c->rank[i] = nb;
        if (!bl__lg_closed(c, BL__LG_CAL_LO + i))
            c->bdays[nb++] = i;
    }
    c->rank[BL__LG_CAL_SPAN] = nb;
    c->nb = nb;
    return BL_OK;
}

/* ---------------------------------------------------------------- compile */

static int cmp_rate(const void *a, const void *b)
{
    const struct bl__lg_rate *x = a, *y = b;
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
        struct bl__lg_chan *c = &lg->ch[i];
        const char *id = src->id ? src->id : "";
        bool added;
        int64_t idx = (int64_t)i;
        BL__LG_TRY(bl_map_get_or_put(chans, bl_str_c(id), &idx, &added));
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
            struct bl__lg_rate *r = &lg->rates[k];
            char owner[300];
            snprintf(owner, sizeof(owner), "channel '%s' rate %zu", id, j + 1);
            BL__LG_TRY(intern(lg, sr->origin, &r->onode, "origin", owner, d));
            BL__LG_TRY(intern(lg, sr->destination, &r->dnode, "destination", owner, d));
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
        struct bl__lg_chan *c = &lg->ch[lg->rates[j].ch];
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
    if ((uint64_t)lg->no * lg->nd > BL__LG_MAX_CELLS) {
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
            if (tmp.n > 1) /* an empty cell has no array: qsort(NULL, 0) is undefined */
                qsort(tmp.v, tmp.n, sizeof(uint32_t), cmp_u32);
            if (ent.n + tmp.n > BL__LG_MAX_ENTRIES) {
                rc = bl_diag_set(d, BL_ETOOBIG, "the lane index would pass %llu entries",
                                 (unsigned long long)BL__LG_MAX_ENTRIES);
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
        const struct bl__lg_rate *r = &lg->rates[ent.v[k]];
        lg->ents[k] = (struct bl__lg_ent){r->min_g, r->max_g, r->base, r->per_kg, r->ch, ent.v[k]};
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
        const struct bl__lg_ent *e = lg->ents + lg->cell_off[c];
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
        if (total > 8 * (size_t)n + 64 || lg->nie + total > BL__LG_MAX_ENTRIES ||
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
                if ((rc = bl_grow((void **)&lg->ie, &ie_cap, lg->nie + 1,
                                  sizeof(struct bl__lg_ient))))
                    break;
                lg->ie[lg->nie++] = (struct bl__lg_ient){
                    e[k].min_g, e[k].base,         e[k].per_kg,
                    e[k].ch,    lg->tier[e[k].ch], (uint16_t)lg->ch[e[k].ch].pub.transit_max};
            }
            if (rc)
                break;
            qsort(lg->ie + lg->ie_off[lg->nintervals], lg->nie - lg->ie_off[lg->nintervals],
                  sizeof(struct bl__lg_ient), cmp_ient);
            lg->nintervals++;
            lg->ie_off[lg->nintervals] = (uint32_t)lg->nie;
        }
    }
    bl_free(b);
    if (!rc && lg->nie) {
        lg->ie_fast = bl_malloc(lg->nie * sizeof(struct bl__lg_ient));
        if (!lg->ie_fast)
            return BL_ENOMEM;
        memcpy(lg->ie_fast, lg->ie, lg->nie * sizeof(struct bl__lg_ient));
        for (size_t g = 0; g < lg->nintervals; g++)
            qsort(lg->ie_fast + lg->ie_off[g], lg->ie_off[g + 1] - lg->ie_off[g],
                  sizeof(struct bl__lg_ient), cmp_ient_fast);
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
        struct bl__lg_dis *x = &lg->dis[i];
        x->pub = *s;
        x->pub.id = dup_str(&lg->arena, s->id);
        x->pub.kind = dup_str(&lg->arena, s->kind);
        x->pub.channel = dup_str(&lg->arena, s->channel);
        x->pub.supplier = dup_str(&lg->arena, s->supplier);
        if (!x->pub.id || !x->pub.kind || !x->pub.channel || !x->pub.supplier)
            return BL_ENOMEM;
        char owner[300];
        snprintf(owner, sizeof(owner), "disruption %zu ('%s')", i + 1, x->pub.id);
        BL__LG_TRY(intern(lg, s->region, &x->node, "region", owner, d));
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
    BL__LG_TRY(cal_build(lg, &lg->cals[0], "", BL_LG_SAT_SUN, NULL, 0, d));
    for (size_t i = 0; i < in->ncalendars; i++) {
        const struct bl_lg_calendar *c = &in->calendars[i];
        const char *name = c->name ? c->name : "";
        int64_t idx = (int64_t)i + 1;
        bool added;
        if (!name[0])
            return bl_diag_set(d, BL_EINVAL, "calendar %zu has no name", i + 1);
        BL__LG_TRY(bl_map_get_or_put(cals, bl_str_c(name), &idx, &added));
        if (!added)
            return bl_diag_set(d, BL_EINVAL, "calendar '%s' appears twice", name);
        BL__LG_TRY(cal_build(lg, &lg->cals[i + 1], name, c->weekend, c->closures, c->nclosures, d));
    }
    BL__LG_TRY(compile_channels(lg, in, cals, chans, d));
    BL__LG_TRY(build_disruptions(lg, in, chans, d));
    lg->nnodes = bl_regions_count(lg->reg);
    BL__LG_TRY(build_cells(lg, d));
    BL__LG_TRY(build_intervals(lg));
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
    return !bl__lg_closed(&lg->cals[lg->ch[channel].cal], day);
}
