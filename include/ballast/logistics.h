/* logistics.h - logistics channels: quotes, delivery windows and routing (pure).
 *
 * A catalogue (struct bl_lg) is compiled once from plain input structs: channels
 * with their lanes and weight bands (struct bl_lg_rate), working calendars and
 * disruptions. Compiling copies every string into the catalogue's own arena, so
 * the input may be freed afterwards; only the time zones (struct bl_tz) are
 * borrowed and must outlive the catalogue. Free with bl_lg_free().
 *
 * The model (docs/internals/logistics.md has the details):
 *  - A rate row serves a lane, origin region -> destination region; a lane's
 *    region covers every code extending it ("CN" covers "CN-GD:518"). When several
 *    lanes of one channel cover a shipment, the most specific one (deepest
 *    destination, then deepest origin) whose weight band holds the weight wins.
 *  - Chargeable weight = max(actual, volumetric), volumetric grams =
 *    ceil(L*W*H mm^3 / divisor) (divisor in cm^3 per kg, so this is kg in grams).
 *    A band holds min_g <= weight < max_g.
 *  - Price = base + per_kg * ceil((weight - min_g) / 1000): per_kg is charged per
 *    started kilogram above the band's minimum (docs/formats.md, channels).
 *    Integer minor units of the channel's currency, checked (BL_EOVERFLOW).
 *  - A parcel handed over at ship_at leaves on the local day (channel time zone)
 *    if that is a business day of the channel's calendar and the local time is
 *    before the cut-off; otherwise on the next business day. Delivery is
 *    transit_min..transit_max business days after departure (same calendar).
 *  - A disruption active at ship_at (starts_at <= ship_at < ends_at) suspends a
 *    channel when its region covers the origin (scope origin/both) or the
 *    destination (scope destination/both) and it names no channel, or names this
 *    channel. Supplier-only disruptions never suspend channels.
 *  - A promise (by_day) is met when the latest delivery day is <= by_day.
 *
 * Threading: a compiled catalogue is immutable; quote/route/explain may run on it
 * from many threads at once (each call uses its own scratch memory).
 */
#ifndef BALLAST_LOGISTICS_H
#define BALLAST_LOGISTICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/err.h"
#include "ballast/str.h"
#include "ballast/time.h"

#define BL_LG_NO_PROMISE INT64_MAX /* by_day of a shipment without a promise */
#define BL_LG_MAX_TRANSIT 3650     /* business days; more is BL_ERANGE at compile */

enum bl_lg_tier { BL_LG_CORE = 0, BL_LG_BACKUP = 1 };
enum bl_lg_scope { BL_LG_ORIGIN = 0, BL_LG_DESTINATION = 1, BL_LG_BOTH = 2 };

/* A closure of a working calendar: local days from_day..to_day inclusive. */
struct bl_lg_closure {
    int64_t from_day, to_day;
};

struct bl_lg_calendar {
    const char *name; /* as channels name it, e.g. "CN" */
    uint8_t weekend;  /* bit w set: weekday w (0 Monday .. 6 Sunday) is closed */
    const struct bl_lg_closure *closures;
    size_t nclosures;
};
#define BL_LG_SAT_SUN ((uint8_t)((1u << 5) | (1u << 6)))

struct bl_lg_rate {
    const char *origin, *destination; /* canonical region codes (bl_region_parse) */
    int64_t min_g, max_g;             /* band: min_g <= weight < max_g */
    int64_t base, per_kg;             /* minor units */
};

struct bl_lg_channel {
    const char *id, *carrier, *mode;
    enum bl_lg_tier tier;
    int32_t transit_min, transit_max; /* business days */
    int32_t cutoff_min;               /* local minutes after midnight; -1: none */
    const struct bl_tz *tz;           /* borrowed; NULL means UTC */
    const char *calendar;             /* NULL or "": Saturday/Sunday closed, no holidays */
    int64_t vol_divisor;              /* cm^3 per kg; 0: no volumetric weight */
    const char *currency;             /* ISO 4217 */
    const struct bl_lg_rate *rates;   /* compiled copy: origin/destination in the arena */
    size_t nrates;
};

struct bl_lg_disruption {
    const char *id;     /* ext id or "" */
    const char *kind;   /* "lockdown", "route_suspension", ... */
    const char *region; /* canonical */
    enum bl_lg_scope scope;
    const char *channel;  /* NULL/"": every channel */
    const char *supplier; /* NULL/"": not supplier-only */
    int64_t starts_at, ends_at;
};

struct bl_lg_input {
    const struct bl_lg_channel *channels;
    size_t nchannels;
    const struct bl_lg_calendar *calendars;
    size_t ncalendars;
    const struct bl_lg_disruption *disruptions;
    size_t ndisruptions;
};

struct bl_lg;

/* Compiles a catalogue. Errors (with d naming the channel, calendar or rate):
 * BL_EINVAL (bad region code, band, transit, weekend of seven days, unknown
 * calendar name, duplicate calendar), BL_ERANGE, BL_ENOMEM, BL_ETOOBIG (the lane
 * index would pass 64M entries). Caller owns *out; free with bl_lg_free(). */
int bl_lg_compile(const struct bl_lg_input *in, struct bl_lg **out,
                  struct bl_diag *d) BL_MUST_CHECK;
void bl_lg_free(struct bl_lg *lg);

size_t bl_lg_nchannels(const struct bl_lg *lg);
/* The compiled channel i (strings owned by the catalogue). */
const struct bl_lg_channel *bl_lg_channel(const struct bl_lg *lg, size_t i);
size_t bl_lg_ndisruptions(const struct bl_lg *lg);
const struct bl_lg_disruption *bl_lg_disruption(const struct bl_lg *lg, size_t i);
/* Number of distinct lanes (origin, destination pairs) of channel i. */
size_t bl_lg_nlanes(const struct bl_lg *lg, size_t i);

/* Region node of a canonical code: the most specific region the catalogue knows
 * that contains it (0 when none does: such a shipment has no channel). */
uint32_t bl_lg_locate(const struct bl_lg *lg, struct bl_str code);

/* Is `day` a business day of channel i's calendar? */
bool bl_lg_business_day(const struct bl_lg *lg, size_t channel, int64_t day);

struct bl_lg_shipment {
    uint32_t from, to;  /* from bl_lg_locate */
    int64_t weight_g;   /* actual weight, >= 0 */
    int64_t dims_mm[3]; /* package L, W, H; all 0 when unknown */
    int64_t ship_at;    /* instant handed to the carrier */
    int64_t by_day;     /* latest acceptable delivery day, or BL_LG_NO_PROMISE */
};

struct bl_lg_option {
    int32_t channel;    /* index */
    int32_t disruption; /* -1 available, else index of a disruption suspending it */
    int64_t weight_g;   /* chargeable */
    int64_t price;      /* minor units of the channel's currency */
    int64_t depart_day, earliest_day, latest_day; /* local days, channel time zone */
    bool meets;                                   /* latest_day <= by_day */
};

/* Every channel serving (from, to, chargeable weight), available ones first,
 * then by tier, price, latest day, channel index. out has room for cap options
 * (bl_lg_nchannels suffices); *n is how many there are (may exceed cap: only the
 * first cap are written). BL_EINVAL for a negative weight or dimension,
 * BL_EOVERFLOW when a price does not fit. */
int bl_lg_quote(const struct bl_lg *lg, const struct bl_lg_shipment *s, struct bl_lg_option *out,
                size_t cap, size_t *n, struct bl_diag *d) BL_MUST_CHECK;

enum bl_lg_policy_kind { BL_LG_CHEAPEST = 0, BL_LG_FASTEST, BL_LG_PREFERRED };

struct bl_lg_policy {
    enum bl_lg_policy_kind kind;
    const char *carrier; /* BL_LG_PREFERRED: its channels come first when they meet */
};

enum bl_lg_state {
    BL_LG_ROUTED = 0, /* a channel that meets the promise */
    BL_LG_LATE,       /* a channel, but none that serves it can meet the promise */
    BL_LG_SUSPENDED,  /* channels serve it, but every one is suspended */
    BL_LG_NO_CHANNEL, /* no channel serves the lane and weight */
};

struct bl_lg_route {
    int32_t channel;    /* -1 unless ROUTED or LATE */
    int32_t disruption; /* SUSPENDED: one of the suspending disruptions; else -1 */
    int64_t price, earliest_day, latest_day;
    uint32_t candidates; /* channels serving the lane and weight */
    uint8_t state;       /* enum bl_lg_state */
};

/* Choice among available candidates: those meeting the promise before those that
 * do not; among meeting ones the core tier before backup (PREFERRED: the
 * preferred carrier's channels before tiers), then cheapest (price, latest day)
 * or fastest (latest day, earliest day, price); among late ones the core tier,
 * then the earliest latest day. Ties go to the lower channel index.
 * Routes n shipments into out[n]; allocates only a per-call scratch of
 * O(channels), never per shipment. Errors as for bl_lg_quote, with d naming
 * the shipment index. */
int bl_lg_route(const struct bl_lg *lg, const struct bl_lg_policy *p,
                const struct bl_lg_shipment *s, size_t n, struct bl_lg_route *out,
                struct bl_diag *d) BL_MUST_CHECK;

/* The same decisions by a linear scan of every rate of every channel per
 * shipment (lane test through the region trie): the reference for tests and
 * the baseline for bench/route.sh. */
int bl_lg_route_naive(const struct bl_lg *lg, const struct bl_lg_policy *p,
                      const struct bl_lg_shipment *s, size_t n, struct bl_lg_route *out,
                      struct bl_diag *d) BL_MUST_CHECK;

/* Appends a person's explanation of the routing decision for one shipment to
 * out: every serving channel with its price, window and whether it is
 * suspended (by which disruption) or late, then the choice and why. */
int bl_lg_explain(const struct bl_lg *lg, const struct bl_lg_policy *p,
                  const struct bl_lg_shipment *s, struct bl_buf *out,
                  struct bl_diag *d) BL_MUST_CHECK;

#endif
