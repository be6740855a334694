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
    const char *id;     /* the order's own id, borrowed, or NULL (a quote): errors name it */
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

/* ---- after a hold (logistics_route.c)
 *
 * An order none of whose serving channels is available (BL_LG_SUSPENDED) waits for the
 * disruptions to end, as the listing promise's rule 2 does: the hand-over moves to the
 * earliest end among the disruptions suspending its channels (ends_at as compiled: a
 * lift already cuts it short) and it is routed again under the same policy and promise,
 * at most 16 times and 366 days after ship_at. The answer is the first channel and
 * delivery window after the disruptions' expected end, so the buyer's promise can be
 * set. When the earliest end it would wait for is "until further notice"
 * (BL_DIS_OPEN_END, disruption.h) the wait is unknown: no window, open_ended. */
struct bl_lg_resume {
    struct bl_lg_route route; /* ROUTED or LATE (against by_day): the channel and window
                                 after the wait; SUSPENDED: unknown (open_ended, or
                                 held past the limits); NO_CHANNEL as bl_lg_route */
    int64_t resume_at;        /* the hand-over instant after the wait (ship_at if none) */
    int32_t waited_for;       /* the disruption whose end it waits for last, or -1 */
    uint8_t waits;            /* how many times the hand-over moved */
    bool open_ended;          /* it waits for a disruption with no announced end */
};

/* Routes s, and when it is SUSPENDED, again after each wait (above). Errors as
 * bl_lg_route. */
int bl_lg_route_resume(const struct bl_lg *lg, const struct bl_lg_policy *p,
                       const struct bl_lg_shipment *s, struct bl_lg_resume *out,
                       struct bl_diag *d) BL_MUST_CHECK;

/* The same decisions by a linear scan of every rate of every channel per
 * shipment (lane test through the region trie): the reference for tests and
 * the baseline for bench/route.sh. */
int bl_lg_route_naive(const struct bl_lg *lg, const struct bl_lg_policy *p,
                      const struct bl_lg_shipment *s, size_t n, struct bl_lg_route *out,
                      struct bl_diag *d) BL_MUST_CHECK;

/* Why a routing decision is what it is, for a person (bl_lg_explain words it; a front
 * end can word it itself). */
enum bl_lg_why {
    BL_LG_WHY_NO_CHANNEL = 0, /* no channel serves the lane and weight */
    BL_LG_WHY_SUSPENDED,      /* every serving channel is suspended */
    BL_LG_WHY_LATE,           /* none available delivers in time; this one arrives soonest */
    BL_LG_WHY_PREFERRED,      /* the preferred carrier, and it meets the promise */
    BL_LG_WHY_BACKUP,         /* no core channel meets the promise: the backup tier serves */
    BL_LG_WHY_FASTEST,        /* the fastest core channel that meets the promise */
    BL_LG_WHY_CHEAPEST,       /* the cheapest core channel that meets the promise */
};

/* The reason for route r, made under policy p (NULL: cheapest). */
enum bl_lg_why bl_lg_route_why(const struct bl_lg *lg, const struct bl_lg_policy *p,
                               const struct bl_lg_route *r);

/* Appends a person's explanation of the routing decision for one shipment to
 * out: every serving channel with its price, window and whether it is
 * suspended (by which disruption) or late, then the choice and why. */
int bl_lg_explain(const struct bl_lg *lg, const struct bl_lg_policy *p,
                  const struct bl_lg_shipment *s, struct bl_buf *out,
                  struct bl_diag *d) BL_MUST_CHECK;

/* How a delivery made `delivered` fits the window of route r (a route of a shipment
 * handed over at handed; docs/internals/logistics.md, "Real deliveries"): the local
 * delivery day (channel zone) before the window's first day is early, after its last
 * late. *bdays: the channel's business days from the hand-over day to the delivery day
 * (0 without a channel). A route without a channel (not ROUTED or LATE) is
 * BL_LG_FIT_NO_CHANNEL. */
enum bl_lg_fit { BL_LG_FIT_EARLY = 0, BL_LG_FIT_INSIDE, BL_LG_FIT_LATE, BL_LG_FIT_NO_CHANNEL };
enum bl_lg_fit bl_lg_window_fit(const struct bl_lg *lg, const struct bl_lg_route *r, int64_t handed,
                                int64_t delivered, int32_t *bdays);

/* ---- listing promise (logistics_promise.c) ----
 *
 * The delivery window a listing displays for one SKU, ship-from and destination,
 * as of an instant. The rule (docs/internals/logistics.md, "Listing promise"):
 *  1. Origin hold: every active disruption (starts_at <= as_of < ends_at) that
 *     suspends all channels at the ship-from (no channel named, not supplier-only,
 *     scope origin or both, region covering the ship-from) holds the parcel until
 *     it ends: hand-over moves to as_of + ceil(remaining / 1 day) whole days (the
 *     longest such disruption counts). Handling is extended by those days. Held
 *     for over a year (366 days): BL_LG_SUSPENDED, no window.
 *  2. The channels serving the lane and weight are quoted at that hand-over
 *     instant. If every one is suspended, the hand-over moves to the earliest end
 *     of the disruptions suspending them and they are quoted again (at most 16
 *     times and a year; beyond that the state is BL_LG_SUSPENDED, no window).
 *  3. Among the available ones: the core tier before backup (a suspended core
 *     channel makes the backup tier serve: the failover), then the policy,
 *     cheapest (price, latest day, earliest day) or fastest (latest day, earliest
 *     day, price), PREFERRED with the carrier's channels first; ties go to the
 *     lower channel index.
 *  4. Handling and transit are both counted in the chosen channel's business days:
 *     earliest = departure + handling_min + transit_min business days, latest =
 *     departure + handling_max + transit_max (departure as bl_lg_quote: the local
 *     day of the hand-over, or the next business day after the cut-off).
 *  5. The window shown is in calendar days from the as_of local day (channel
 *     time zone): min_days = earliest - today, max_days = latest - today. So
 *     holidays, origin holds and backup channels all lengthen it. */
struct bl_lg_promise_in {
    uint32_t from, to;                  /* from bl_lg_locate */
    int64_t weight_g;                   /* >= 0 */
    int64_t dims_mm[3];                 /* all 0 when unknown */
    int64_t as_of;                      /* instant the listing is shown */
    int32_t handling_min, handling_max; /* business days, 0 <= min <= max <= 3650 */
    const char *sku;                    /* the SKU's own id, borrowed, or NULL: errors name it */
};

struct bl_lg_promise {
    uint8_t state;           /* BL_LG_ROUTED, BL_LG_SUSPENDED or BL_LG_NO_CHANNEL */
    int32_t channel;         /* -1 unless ROUTED */
    int32_t hold_disruption; /* the origin disruption that extended handling, or -1 */
    int32_t fail_disruption; /* a disruption suspending a core channel when the backup
                                tier serves, or suspending everything (SUSPENDED); -1 */
    int64_t hold_days;       /* whole days the hand-over waits (rules 1 and 2) */
    int64_t today, depart_day, earliest_day, latest_day; /* local days, channel zone */
    int64_t min_days, max_days;                          /* the window shown */
    int64_t price;                                       /* of the chosen channel */
    bool fallback; /* backup tier because core channels are suspended */
};

/* Computes the promise of in under policy p. BL_EINVAL for bad handling days,
 * weights or nodes; BL_EOVERFLOW for prices; BL_ENOMEM. */
int bl_lg_promise(const struct bl_lg *lg, const struct bl_lg_policy *p,
                  const struct bl_lg_promise_in *in, struct bl_lg_promise *out,
                  struct bl_diag *d) BL_MUST_CHECK;

/* ---- refunds (logistics_promise.c) ----
 *
 * The decision for a refund request (docs/internals/logistics.md, "Refunds"):
 *  - not yet handed to the carrier (unshipped, whether or not already cancelled):
 *    cancel with a full refund of the amount;
 *  - shipped (in transit or delivered) and an overseas warehouse serves the
 *    buyer's region: return to that warehouse, full refund on receipt;
 *  - else, when the return shipping (the cheapest available channel of the
 *    reverse lane, buyer -> ship-from, in the order's currency) exceeds
 *    amount * share_bp / 10000, or is unknown (no channel): partial refund of
 *    amount * share_bp / 10000 (rounded half away from zero) and the buyer keeps
 *    the item (the seller then never pays more than that share, while a return
 *    would cost more than it);
 *  - else return to the shop's ship-from, full refund on receipt. */
enum bl_refund_kind {
    BL_REFUND_FULL = 0,      /* unshipped: cancel and refund in full */
    BL_REFUND_WAREHOUSE,     /* return to an overseas warehouse, refund in full */
    BL_REFUND_PARTIAL_KEEP,  /* partial refund, the buyer keeps the item */
    BL_REFUND_RETURN_ORIGIN, /* return to the ship-from, refund in full */
};

struct bl_refund_case {
    bool shipped;        /* handed to the carrier as of the request */
    int64_t amount;      /* order amount, minor units, >= 0 */
    bool has_warehouse;  /* an overseas warehouse serves the buyer's region */
    bool cost_known;     /* a return channel quoted in the order's currency */
    int64_t return_cost; /* minor units, >= 0, when cost_known */
    int32_t share_bp;    /* threshold share in basis points, 0..10000 */
};

struct bl_refund {
    enum bl_refund_kind kind;
    int64_t refund;    /* minor units paid back */
    int64_t threshold; /* amount * share (0 when unshipped) */
};

/* How well an overseas warehouse in region serves a buyer in `to` (canonical codes):
 * 1000 + the region's length when the region contains the buyer's (the more specific,
 * the better), 1 when it is in the buyer's country, else 0 (does not serve). The refund
 * takes the highest score, ties to the first warehouse by id. */
int bl_refund_warehouse_score(struct bl_str region, struct bl_str to);

/* BL_EINVAL for a negative amount or cost or a share outside 0..10000. */
int bl_refund_decide(const struct bl_refund_case *c, struct bl_refund *out,
                     struct bl_diag *d) BL_MUST_CHECK;

#endif
