/* assess.h - disruption-aware shop assessment, the way a marketplace rates a shop.
 *
 * Pure: the caller loads a snapshot (orders as parallel arrays, disruptions,
 * protections, a rule profile) and gets counters, rates and a rating per shop.
 * No I/O, no clock: `as_of` is given. The definitions are in docs/metrics.md; in
 * short, for as_of A and a window of W days, an instant t is in the window when
 * A - W days < t <= A, and anything stamped after A is unknown.
 *
 * Regions are ids of one interned trie (region.h) that holds every order region
 * and every disruption region; 0 means "no region". Times are UTC epoch seconds of
 * years 1 to 9999 (as_of included); BL_NO_TIME means "did not happen" (or not known).
 *
 * Ownership: the engine never keeps pointers into the caller's arrays after a call
 * returns, except struct bl_assess_ctx, which borrows everything it was built
 * from until it is dropped; its own memory comes from the caller's arena.
 */
#ifndef BALLAST_ASSESS_H
#define BALLAST_ASSESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/err.h"
#include "ballast/region.h"

#define BL_NO_TIME INT64_MIN

enum bl_cancel_by { BL_CANCEL_NONE = 0, BL_CANCEL_SELLER, BL_CANCEL_BUYER, BL_CANCEL_PLATFORM,
                    BL_CANCEL_UNKNOWN };

/* The shop orders, one entry per index in every array (struct of arrays, so one
 * pass reads only what it needs). shop[i] < nshops. channel may be NULL. */
struct bl_assess_orders {
    size_t n;
    const uint32_t *shop;
    const int64_t *placed, *ship_by, *shipped, *picked_up, *delivered, *promised, *cancelled;
    const uint8_t *cancel_by; /* enum bl_cancel_by */
    const uint32_t *from, *to;
    const int32_t *channel; /* channel index, -1 none; NULL: no order has one */
    bool by_shop;           /* shop[] is non-decreasing (the pass skips its prefetching) */
    const size_t *shop_off; /* by_shop: shop s's orders are [shop_off[s], shop_off[s+1]);
                               may be NULL */
    const uint8_t *platform; /* 1: fulfilled by the platform; NULL: no order is */
};

enum bl_scope { BL_SCOPE_ORIGIN = 1, BL_SCOPE_DESTINATION = 2, BL_SCOPE_BOTH = 3 };

/* A disruption as the assessment sees it: ends = min(ends_at, lifted_at). One
 * restricted to a channel only excuses orders on that channel; one restricted to
 * a supplier excuses no shipment (it delays stock, not the carrier). */
struct bl_assess_disruption {
    int64_t id; /* the store's id, reported back in verdicts */
    uint32_t region;
    enum bl_scope scope;
    int64_t starts, ends;
    int32_t channel;    /* -1: every channel */
    bool supplier_only; /* restricted to a supplier */
};

struct bl_assess_protection {
    int64_t id;
    uint32_t shop;
    int64_t starts, ends;
};

/* Metrics a profile can rate on. */
enum bl_metric { BL_M_LATE_SHIPMENT = 0, BL_M_ON_TIME, BL_M_PICKUP_ANOMALY, BL_M_VALID_TRACKING,
                 BL_M_LATE_DELIVERY, BL_M_CANCEL, BL_M__COUNT };

/* One rating rule: the metric over its own window; a value at or better than
 * `good` scores full points, at or worse than `bad` none, linear between; a
 * `target` (if has_target) that is missed caps the rating at the profile's
 * `breach_band`. Rates are fractions (0.04 = 4%). */
struct bl_rule {
    enum bl_metric metric;
    int window_days; /* 0: the assessment's window */
    double weight, good, bad;
    bool has_target;
    double target; /* a "lower is better" metric must stay below, others at or above */
};

struct bl_band {
    double min_score; /* 0..100 */
    char label[16];
};

#define BL_RULES_MAX 8
#define BL_BANDS_MAX 8
#define BL_CURRENCIES_MAX 16

struct bl_comp_limit {
    char currency[4];
    int64_t min, max; /* minor units */
};

/* A platform rule profile (profiles/NAME.json; see docs/metrics.md). */
struct bl_profile {
    char name[32];
    int window_days;          /* default window */
    int64_t pickup_secs;      /* pickup later than this after shipping is an anomaly */
    bool auto_exempt;         /* declared disruptions exempt orders without an application */
    bool origin_required;     /* no ship-from region: no protection at all */
    /* "exempt_never_hurts" (default true): an exempt order leaves a rate only when
     * counting it would lower the rate, decided per order and per metric: an exempt
     * order shipped on time stays in the on-time and late-shipment rates, one with a
     * timely carrier scan in the pickup rates, one delivered in time in the
     * late-delivery rate (the kept_* counters). false: every exempt order leaves. */
    bool exempt_never_hurts;
    /* Orders the platform fulfils (Amazon FBA, a platform warehouse) are not the
     * seller's shipments: which groups of metrics still count them (profile key
     * "platform_fulfilled_counts_in": "shipment", "delivery", "cancel"; default none). */
    bool platform_in_shipment, platform_in_delivery, platform_in_cancel;
    int64_t min_counted;      /* fewer counted shipments: carry over */
    int carry_days;           /* how far back to look for a day to carry over from */
    struct bl_rule rules[BL_RULES_MAX];
    size_t nrules;
    struct bl_band bands[BL_BANDS_MAX]; /* by min_score, best first */
    size_t nbands;
    size_t breach_band;       /* index of the band a missed target caps at */
    int64_t comp_bp;          /* coupon: basis points of the order amount */
    int comp_days;            /* compensate orders whose ship-by is this recent */
    struct bl_comp_limit limits[BL_CURRENCIES_MAX];
    size_t nlimits;
};

/* Counters for one shop over one window. The kept_* ones count exempt orders kept in
 * a rate because they help it (profile exempt_never_hurts; 0 when it is off):
 * kept_on_time: exempt, shipped on time; kept_tracked: exempt, shipped, carrier scan
 * within the pickup hours; kept_delivered: delivery-exempt, delivered in time. */
struct bl_shop_counts {
    int64_t due, exempt, counted, on_time, late;
    int64_t shipped, pickup_anomalies; /* shipped = counted and shipped as of A */
    int64_t delivery_due, delivery_exempt, delivery_counted, delivered_late;
    int64_t placed, seller_cancels;
    int64_t kept_on_time, kept_tracked, kept_delivered;
};

/* Rates; a rate with a zero denominator is NaN ("no data"). The shipment rates are
 * over counted + kept_on_time orders, the pickup rates over shipped + kept_tracked,
 * the late-delivery rate over delivery_counted + kept_delivered. */
struct bl_shop_rates {
    double on_time, late_shipment, pickup_anomaly, valid_tracking, late_delivery, cancel;
};

/* The prepared lookups: disruptions by region (ancestors included) and the
 * protections by shop. Built once per snapshot. */
struct bl_assess_ctx;

int bl_assess_prepare(const struct bl_regions *regions, const struct bl_assess_disruption *dis,
                      size_t ndis, const struct bl_assess_protection *prot, size_t nprot,
                      size_t nshops, struct bl_arena *a, struct bl_assess_ctx **out,
                      struct bl_diag *d) BL_MUST_CHECK;

/* Why an order counts or not, for one as_of and window. */
enum bl_why { BL_WHY_NOT_DUE = 0, BL_WHY_CANCELLED, BL_WHY_COUNTED, BL_WHY_PROTECTION,
              BL_WHY_DISRUPTION_ORIGIN, BL_WHY_DISRUPTION_DESTINATION, BL_WHY_NO_ORIGIN,
              BL_WHY_PLATFORM /* fulfilled by the platform: not the seller's shipment */ };

struct bl_verdict {
    bool due, exempt, counted, on_time, late, shipped, pickup_anomaly;
    enum bl_why why;
    int64_t cause_id; /* the disruption's or protection's id when exempt, else 0 */
    int64_t at;       /* the instant the rule was applied at (ship-by) */
    bool delivery_due, delivery_exempt, delivery_counted, delivered_late;
    enum bl_why delivery_why;
    int64_t delivery_cause_id;
    bool placed_in_window, seller_cancel;
    /* exempt, but kept in a rate because its outcome helps it (exempt_never_hurts) */
    bool kept_on_time, kept_tracked, kept_delivered;
};

/* One order's verdict (for --explain and compensation). */
void bl_assess_order(const struct bl_assess_ctx *c, const struct bl_assess_orders *o, size_t i,
                     const struct bl_profile *p, int64_t as_of, int window_days,
                     struct bl_verdict *v);

/* The pass: adds every order's outcome into counts[shop] (nshops entries, zeroed
 * by the caller). Orders of shops with skip[shop] set are ignored (skip may be
 * NULL). */
void bl_assess_count(const struct bl_assess_ctx *c, const struct bl_assess_orders *o,
                     const struct bl_profile *p, int64_t as_of, int window_days,
                     const bool *skip, struct bl_shop_counts *counts);

void bl_assess_rates(const struct bl_shop_counts *k, struct bl_shop_rates *r);

/* A metric's value from rates (NaN when undefined) and whether lower is better. */
double bl_metric_value(const struct bl_shop_rates *r, enum bl_metric m);
/* The rules of p in breach, given each rule's rates (as for bl_assess_rating): bit q for
 * rule q when it misses its target or, without a target, is at or past its bad value
 * (scores nothing). A rate with no data is in breach of nothing. */
uint32_t bl_assess_failing(const struct bl_profile *p, const struct bl_shop_rates *rates_by_rule);
bool bl_metric_lower_better(enum bl_metric m);
const char *bl_metric_name(enum bl_metric m);
/* BL_M__COUNT when the name is unknown. */
enum bl_metric bl_metric_from_name(const char *name);

/* Rating from the rules: rates_by_rule[k] are the rates over rules[k]'s window.
 * Writes a score 0..100 and the label of its band ("" when no rule had data). */
void bl_assess_rating(const struct bl_profile *p, const struct bl_shop_rates *rates_by_rule,
                      double *score, char label[16]);

/* ---- one rule, as a person reads it --------------------------------------------------- */

/* ok: within half the way from `good` to the limit (the target, else `bad`); at risk:
 * past half the way; breach: misses its target (which caps the rating) or, for a rule
 * without a target, is at or past `bad` (scores nothing). */
enum bl_rule_status { BL_RULE_NO_DATA = 0, BL_RULE_OK, BL_RULE_AT_RISK, BL_RULE_BREACH };

/* A rule evaluated on a shop's counters over the rule's window. */
struct bl_rule_result {
    int window_days;
    double value;  /* the metric, NaN: no data */
    double points; /* 0..1 of the rule's weight, NaN: no data */
    enum bl_rule_status status;
    /* value = num / den. The orders behind it, over the metric's group: shipment
     * (due, exempt, counted), pickup (counted = counted shipments that shipped),
     * delivery (delivery_due, ...), cancellation (placed; nothing is exempt); kept:
     * exempt orders kept in den because they help (exempt_never_hurts). */
    int64_t num, den, due, exempt, counted, kept;
};

/* Evaluates rule r over k (the counters of r's window; window_days is r's window as
 * given, resolved by the caller). */
void bl_assess_rule(const struct bl_rule *r, const struct bl_shop_counts *k, int window_days,
                    struct bl_rule_result *out);
const char *bl_rule_status_name(enum bl_rule_status s);

/* The distinct windows a profile needs besides `window_days`: fills out (at most
 * BL_RULES_MAX + 1) starting with window_days; returns how many. */
size_t bl_assess_windows(const struct bl_profile *p, int window_days, int *out);

/* ---- per shop, with the carry-over ---------------------------------------------------- */

/* One shop's assessment as of A over the assessment's window. */
struct bl_shop_result {
    struct bl_shop_counts k;    /* over the window, as of A */
    struct bl_shop_rates rates; /* A's, or the carried day's */
    double score;               /* 0..100, NaN: none */
    char rating[16];            /* the band's label, "": none */
    bool carried;               /* rates, score and rating are an earlier day's */
    int64_t carried_from;       /* that day's as-of instant */
    bool enough;                /* k.counted + k.kept_on_time (the shipments the rates
                                   are over) >= the profile's min_counted */
    bool pending;               /* short at A and on every recomputed day: an earlier
                                   stored result may carry (bl_assess_carry_stored) */
    uint32_t failing;           /* bit q: rule q is in breach (bl_assess_failing; 0 when
                                   carried from a stored result: not known) */
    bool rules_known;           /* rules[] hold A's or the carried day's evaluation
                                   (false when carried from a stored result) */
    struct bl_rule_result *rules; /* one per profile rule, in bl_assess_shops's arena */
};

/* Every shop not skipped (skip may be NULL), as of as_of over window_days and every
 * window the profile's rules use: counts, rates, score and rating. Then the carry-over,
 * for shops with fewer than min_counted rated shipments (counted + kept_on_time) at A: for d = 1 ..
 * carry_days, the shop is recomputed as of A - d days and the first day with enough
 * is carried (its rates, score and rating, carried_from = that instant). A shop with
 * fewer orders in o than min_counted (o->shop_off known) can have enough on no day and
 * is not recomputed. Shops still short are left `pending` with no rating. res has
 * nshops entries (those skipped are untouched); scratch memory and each result's
 * rules[] come from a.
 * BL_ENOMEM with d set. */
int bl_assess_shops(const struct bl_assess_ctx *c, const struct bl_assess_orders *o,
                    const struct bl_profile *p, int64_t as_of, int window_days, size_t nshops,
                    const bool *skip, struct bl_arena *a, struct bl_shop_result *res,
                    struct bl_diag *d) BL_MUST_CHECK;

/* One day of a shop's trend: its own evaluation as of that day, without carry-over. */
struct bl_assess_day {
    int64_t as_of;
    double score;                 /* NaN: none */
    char rating[16];              /* "": none (fewer rated shipments than min_counted) */
    bool enough;                  /* as bl_shop_result.enough */
    struct bl_rule_result *rules; /* p->nrules, in the caller's arena */
};

/* Shop `shop`'s evaluation on each of ndays days: as of first_as_of, then every 86400 s
 * (the rule values, the orders counted and exempt, score and rating of each day, as
 * bl_assess_shops computes them before any carry-over). out has ndays entries; memory from
 * a. BL_ENOMEM / BL_ETOOBIG / BL_EINVAL (shop out of range) with d set. */
int bl_assess_trend(const struct bl_assess_ctx *c, const struct bl_assess_orders *o,
                    const struct bl_profile *p, size_t shop, size_t nshops, int64_t first_as_of,
                    size_t ndays, int window_days, struct bl_arena *a, struct bl_assess_day *out,
                    struct bl_diag *d) BL_MUST_CHECK;

/* A result stored by an earlier run, for the carry-over past carry_days. */
struct bl_assess_earlier {
    size_t shop; /* index into res */
    int64_t as_of;
    struct bl_shop_counts k;
    double score; /* NaN: none */
    char rating[16];
    bool carried; /* it was itself carried over */
};

/* The carry-over from stored results, for the shops left pending by bl_assess_shops:
 * the latest earlier result (as_of < as_of) that was not itself carried over and had
 * at least min_counted counted shipments gives the rates (from its counters), score and
 * rating. Pending shops with none keep no rating. Clears every pending flag. */
void bl_assess_carry_stored(const struct bl_profile *p, int64_t as_of,
                            const struct bl_assess_earlier *e, size_t n, size_t nshops,
                            struct bl_shop_result *res);

/* A coupon for a late shipment: bp basis points of amount, half up, clamped to the
 * profile's limits for the currency (none listed: at least 1 minor unit). */
int64_t bl_coupon_amount(const struct bl_profile *p, int64_t amount, const char *currency);

#endif
