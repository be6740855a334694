/* comply.h - tax registration thresholds: the rules (data/comply/rules.csv, read by
 * src/io/formats/comply_rules.c) and the engine that watches sales against them
 * (src/engine/comply.c, pure; docs/internals/comply.md).
 *
 * A rule is one jurisdiction's threshold: the destinations it covers (region codes: the
 * EU as a whole is its 27 member states), an amount in its currency and/or a number of
 * transactions (each compared with > or >=, both needed or either enough), and the
 * period it is measured over (the calendar year; the current or the previous calendar
 * year; the previous calendar year; the twelve months ending on the day). Each rule
 * carries the date it is in force from, its source and the date the source was read.
 *
 * The engine reads a seller's orders once, in time order, and keeps each jurisdiction's
 * running totals: the as-of's calendar year, the year before, and the twelve months
 * ending on each day (per-day buckets in a ring). Cancelled orders and refunded amounts
 * are left out; an order in another currency is converted at the rate in effect on its
 * day (the direct pair, else the inverse one). It says, per jurisdiction and seller,
 * where the totals stand at the as-of, and the day (and order) each of 80% and 100% of
 * the threshold was crossed. Days are UTC days.
 *
 * Ownership: struct bl_comply_rules owns its array (bl_comply_rules_release, safe on a
 * zeroed struct). Engine inputs are borrowed; struct bl_comply_res owns its array
 * (bl_comply_res_release, safe on a zeroed struct).
 */
#ifndef BALLAST_COMPLY_H
#define BALLAST_COMPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/err.h"
#include "ballast/fx.h"
#include "ballast/region.h"

#define BL_COMPLY_CODE_MAX 16     /* a jurisdiction's code: "EU", "US-CA" */
#define BL_COMPLY_REGIONS_MAX 40  /* destinations one rule covers */
#define BL_COMPLY_RULES_MAX 4096  /* rules one file holds */

enum bl_comply_period {
    BL_COMPLY_CALENDAR_YEAR = 0,     /* calendar_year: this calendar year */
    BL_COMPLY_CURRENT_OR_PREVIOUS,   /* current_or_previous_year: this year or the one before */
    BL_COMPLY_PREVIOUS_YEAR,         /* previous_year: the year before (binds this year) */
    BL_COMPLY_TWELVE_MONTHS,         /* twelve_months: the twelve months ending on the day */
};
extern const char *const bl_comply_periods[4]; /* the file's words, by enum value */

/* A threshold test: "> 10000" (more than) or ">= 200" (that many or more). */
struct bl_comply_test {
    bool set;
    bool or_equal; /* >= rather than > */
    int64_t value; /* amount in minor units of the rule's currency, or a count */
};

struct bl_comply_rule {
    char code[BL_COMPLY_CODE_MAX];
    char name[96], name_zh[96];
    char regions[BL_COMPLY_REGIONS_MAX][BL_REGION_MAX]; /* canonical codes */
    size_t nregions;
    char currency[4];
    int exponent;
    struct bl_comply_test amount, count;
    bool both; /* "and": both tests; else either ("or", or the only one) */
    enum bl_comply_period period;
    int64_t since;   /* day number the rule is in force from */
    int64_t checked; /* day number the source was read */
    char source[400];
    char note[600];
    int64_t line; /* in its file */
};

struct bl_comply_rules {
    struct bl_comply_rule *r;
    size_t n;
};

/* Parses the rules CSV in text (name: the file, for messages). Every problem is
 * BL_EPARSE (or BL_ERANGE / BL_ETOOBIG) with d's file, line and field set and what was
 * expected. *out is filled only on success. */
int bl_comply_rules_parse(const char *text, size_t len, const char *name,
                          struct bl_comply_rules *out, struct bl_diag *d) BL_MUST_CHECK;
/* Reads and parses path. */
int bl_comply_rules_load(const char *path, struct bl_comply_rules *out,
                         struct bl_diag *d) BL_MUST_CHECK;
/* $BALLAST_COMPLY_RULES, else the source tree's data/comply/rules.csv (compiled in),
 * else ./data/comply/rules.csv. */
const char *bl_comply_rules_path(void);
void bl_comply_rules_release(struct bl_comply_rules *r);
/* The rule with code (case-insensitive), or NULL. */
const struct bl_comply_rule *bl_comply_rule_find(const struct bl_comply_rules *r,
                                                 const char *code);

/* ---- the engine --------------------------------------------------------------------- */

/* One order. dest, origin and cur index the input's dests (origins are interned there
 * too) and curs; group the seller it counts for (0 .. ngroups-1: the organisation as one
 * seller, or each shop). An order shipped from inside the region of the rule it is
 * delivered to (Germany to Germany under the EU's rule, California to California) is a
 * domestic sale, not a distance sale: left out, and counted as such. */
struct bl_comply_order {
    int64_t at;       /* placed, UTC epoch seconds; orders come in this order */
    int64_t ref;      /* the caller's (an order id): carried into the crossings */
    int64_t amount;   /* minor units of its currency */
    int64_t refunded; /* of it, refunded by the as-of (minor units, same currency) */
    uint32_t dest, origin, cur, group;
    bool cancelled;   /* by the as-of */
};

/* An exchange rate: 1 unit of curs[from] is worth rate units of `to`, from day on. */
struct bl_comply_fx {
    uint32_t from;
    char to[4];
    int64_t day;
    struct bl_fx_rate rate;
};

struct bl_comply_cur {
    char code[4];
    int exponent;
};

struct bl_comply_in {
    const struct bl_comply_rules *rules;
    const char *const *dests; /* canonical region codes */
    size_t ndests;
    const struct bl_comply_cur *curs;
    size_t ncurs;
    const struct bl_comply_fx *fx; /* sorted by from, to, day */
    size_t nfx;
    const struct bl_comply_order *orders; /* bl_comply_run's; a streamed pass is fed */
    size_t norders;
    uint32_t ngroups;
    int64_t as_of; /* instant: orders placed after it are not read */
};

enum bl_comply_status {
    BL_COMPLY_UNDER = 0, /* below 80% */
    BL_COMPLY_NEAR,      /* 80% or more, not crossed */
    BL_COMPLY_OVER,      /* crossed: registration due */
    BL_COMPLY_NEXT_YEAR, /* previous_year rule crossed this year: due from next year */
};
extern const char *const bl_comply_statuses[4]; /* under, near, over, next_year */

/* Where a level was crossed: the day, the order that crossed it (its place in the
 * stream of orders read, from 0, and its ref) and the totals with it. day -1: not
 * crossed. */
struct bl_comply_cross {
    int64_t day, order, ref, amount, count;
};

/* Totals over one period (the amount in minor units of the rule's currency). */
struct bl_comply_total {
    int64_t from, to; /* day numbers, inclusive */
    int64_t amount, count;
    struct bl_comply_cross near, over; /* 80%, 100% */
};

enum bl_comply_which { BL_COMPLY_YEAR = 0, BL_COMPLY_PREV, BL_COMPLY_WINDOW };

struct bl_comply_state {
    uint32_t rule, group;
    enum bl_comply_status status;
    struct bl_comply_total year, prev, window; /* as-of's year, the one before, the
                                                  twelve months ending on the as-of's day */
    enum bl_comply_which judged;  /* the total the status is judged on */
    enum bl_comply_which crossed_in; /* and the total whose crossing set it (with crossed) */
    int crossed; /* that crossing: 100, 80, or 0 (none) */
    int64_t progress_bp; /* of the judged total, basis points of the threshold (the larger
                            test's share for "or", the smaller for "and") */
    int64_t counted, cancelled, refunded; /* orders read in the year and the year before
                                             (or the window): counted, left out, part-refunded */
    int64_t domestic;                     /* left out as domestic sales */
    int64_t unconverted;                  /* left out: no exchange rate for their day */
};

struct bl_comply_res {
    struct bl_comply_state *s; /* rule-major: s[rule * ngroups + group] */
    size_t n;
    int64_t uncovered;        /* orders whose destination no rule covers */
    int64_t no_dest;          /* orders with no destination */
    /* orders left out because no rate converts them (the totals lack them: say so), and
     * the first such: its currency, the rule's, its day (-1: none) */
    int64_t unconverted;
    char missing_from[4], missing_to[4];
    int64_t missing_day;
};

/* Runs the pass. BL_EINVAL when the orders are not in time order or an index is out of
 * range; BL_EOVERFLOW when a total does not fit; BL_ENOMEM. An order no rate converts is
 * left out and counted (unconverted, missing_*), not an error. res is the caller's. */
int bl_comply_run(const struct bl_comply_in *in, struct bl_comply_res *res) BL_MUST_CHECK;
void bl_comply_res_release(struct bl_comply_res *res);

/* The same pass over orders streamed in chunks, so a caller holds one chunk at a time
 * (the engine keeps only its per-jurisdiction and per-seller state): begin with in (its
 * orders unused), feed each chunk in time order, end. in is borrowed until end: between
 * feeds the caller may append to its dests and curs (and update ndests, ncurs; the
 * arrays may move): a chunk's indexes are checked against them. The rates (fx) are
 * fixed at begin and may name only the curs known then. A failed feed leaves the pass
 * only for bl_comply_abort. end fills res (as bl_comply_run) and frees the pass, as
 * abort does; both accept NULL. */
struct bl_comply_pass;
int bl_comply_begin(const struct bl_comply_in *in, struct bl_comply_pass **out) BL_MUST_CHECK;
int bl_comply_feed(struct bl_comply_pass *p, const struct bl_comply_order *o,
                   size_t n) BL_MUST_CHECK;
int bl_comply_end(struct bl_comply_pass *p, struct bl_comply_res *res) BL_MUST_CHECK;
void bl_comply_abort(struct bl_comply_pass *p);

/* The total judged, and the crossing that set the status (NULL: none). */
const struct bl_comply_total *bl_comply_judged(const struct bl_comply_state *s);
const struct bl_comply_cross *bl_comply_crossing(const struct bl_comply_state *s);

/* Basis points of the threshold that (amount, count) reach under rule r. */
int64_t bl_comply_progress_bp(const struct bl_comply_rule *r, int64_t amount, int64_t count);

#endif
