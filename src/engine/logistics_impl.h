/* logistics_impl.h - internals shared by logistics.c (compiling the catalogue)
 * and logistics_route.c (quotes, routing, explanations). Not a public header.
 */
#ifndef BL_ENGINE_LOGISTICS_IMPL_H
#define BL_ENGINE_LOGISTICS_IMPL_H

#include <stdbool.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/logistics.h"
#include "ballast/region.h"

#define BL__LG_TRY(call)                                                                           \
    do {                                                                                           \
        int try_rc_ = (call);                                                                      \
        if (try_rc_)                                                                               \
            return try_rc_;                                                                        \
    } while (0)

/* Calendar rank tables cover 2000-01-01 .. 2099-12-31; other days take the slow
 * path (a day-by-day walk), which gives the same answers. */
#define BL__LG_CAL_LO INT64_C(10957)
#define BL__LG_CAL_SPAN INT64_C(36525)
#define BL__LG_MIN_INSTANT INT64_C(-62135596800) /* 0001-01-01T00:00:00Z */
#define BL__LG_MAX_INSTANT INT64_C(253402300799) /* 9999-12-31T23:59:59Z */
#define BL__LG_MAX_CELLS (UINT64_C(16) << 20)
#define BL__LG_MAX_ENTRIES (UINT64_C(64) << 20)

struct bl__lg_cal {
    const char *name;
    uint8_t weekend;
    struct bl_lg_closure *cl; /* sorted, merged */
    size_t ncl;
    int32_t *rank;  /* rank[i]: business days in [BL__LG_CAL_LO, BL__LG_CAL_LO + i) */
    int32_t *bdays; /* business days, as offsets from BL__LG_CAL_LO */
    int32_t nb;
};

struct bl__lg_rate {
    uint32_t ch, onode, dnode, spec; /* spec: destination depth * 64 + origin depth */
    int64_t min_g, max_g, base, per_kg;
};

struct bl__lg_chan {
    struct bl_lg_channel pub;
    uint32_t cal;
    uint32_t first, count; /* its rates in lg->rates (sorted) */
    size_t nlanes;
};

struct bl__lg_dis {
    struct bl_lg_disruption pub;
    uint32_t node;
    int32_t ch; /* -1 every channel, -2 a channel not in the catalogue, else index */
};

/* A cell entry: everything the hot loop needs, inline (no pointer chasing). */
struct bl__lg_ent {
    int64_t min_g, max_g, base, per_kg;
    uint32_t ch, rate;
};

/* An interval entry: the rate a channel charges for every weight of one weight
 * interval of a cell (so the hot loop checks no band). */
struct bl__lg_ient {
    int64_t min_g, base, per_kg;
    uint32_t ch;
    uint16_t tier, tmax;
};

struct bl_lg {
    struct bl_arena arena;
    struct bl_regions *reg;
    struct bl__lg_chan *ch;
    size_t nch;
    struct bl__lg_rate *rates;
    size_t nrates;
    struct bl__lg_cal *cals;
    size_t ncals;
    struct bl__lg_dis *dis;
    size_t ndis;
    uint32_t nnodes;
    int32_t *oidx, *didx; /* per node: row/column in the cell table, -1 none */
    size_t no, nd;
    uint32_t *cell_off, *cell_len;
    struct bl__lg_ent *ents; /* per cell in ascending rate order; bl_malloc'd */
    size_t nentries;
    /* Weight intervals per cell (docs/internals/logistics.md): cell c has ci_n[c]
     * intervals (0: scan the raw entries), global indexes ci_off[c].., each
     * starting at ilo[g] (the last ends at cell_hi[c]) with entries
     * ie[ie_off[g] .. ie_off[g + 1]). bl_malloc'd except the per-cell arrays. */
    uint32_t *ci_off, *ci_n;
    int64_t *cell_hi;
    int64_t *ilo;
    uint32_t *ie_off;
    struct bl__lg_ient *ie, *ie_fast;
    size_t nintervals, nie;
    int64_t *vol;                  /* per channel: volumetric divisor (0 none) */
    uint8_t *tier;                 /* per channel */
    uint32_t *odis_off, *ddis_off; /* per node (+1): disruptions covering it */
    uint32_t *odis, *ddis;         /* bl_malloc'd */
    uint32_t maxcand;
};

static inline int64_t bl__lg_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* ---- calendars: rank tables with a slow path outside them ---- */

static inline bool bl__lg_closed(const struct bl__lg_cal *c, int64_t day)
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
static inline int64_t bl__lg_next_bday(const struct bl__lg_cal *c, int64_t day)
{
    if (day >= BL__LG_CAL_LO && day < BL__LG_CAL_LO + BL__LG_CAL_SPAN) {
        int32_t idx = c->rank[day - BL__LG_CAL_LO];
        if (idx < c->nb)
            return BL__LG_CAL_LO + c->bdays[idx];
    }
    while (bl__lg_closed(c, day))
        day++;
    return day;
}

/* The business day k business days after business day dep. */
static inline int64_t bl__lg_add_bdays(const struct bl__lg_cal *c, int64_t dep, int64_t k)
{
    if (dep >= BL__LG_CAL_LO && dep < BL__LG_CAL_LO + BL__LG_CAL_SPAN) {
        int64_t idx = (int64_t)c->rank[dep - BL__LG_CAL_LO] + k;
        if (idx < c->nb)
            return BL__LG_CAL_LO + c->bdays[idx];
    }
    for (int64_t i = 0; i < k; i++) {
        dep++;
        while (bl__lg_closed(c, dep))
            dep++;
    }
    return dep;
}

/* A channel that could carry a shipment, and the order of preference between two:
 * routing compares them per candidate on its hot path; a listing promise compares
 * its candidates with meets always set. */
struct cand {
    int32_t ch;
    uint8_t tier;
    bool meets, pref;
    int64_t price, early, late;
};

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

#endif
