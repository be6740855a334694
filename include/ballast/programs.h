/* programs.h - a marketplace's support programmes for its merchants (issue #19), pure.
 *
 * A programme is data (data/programs/NAME.json, docs/formats.md "Support programmes"): the
 * conditions a merchant (a shop: for a marketplace such as Olist, one seller) must meet,
 * optionally a coverage by the marketplace's own disruption list (kinds of disruption;
 * a merchant is covered while a disruption of one of those kinds, active at the as-of,
 * covers the region it ships from), and its benefits: a budget shared among the members
 * by a rule the programme sets (in proportion to their sales before the disruption or in
 * equal parts, with an optional cap per member), or a fixed amount per member (a deposit
 * waiver).
 *
 * bl_program_parse reads one (src/io/formats/program.c); bl_pg_eval decides each
 * merchant as of an instant; bl_pg_share divides a budget. Neither reads a clock, a file
 * or the store: the shell passes the merchants' facts and the disruptions in.
 *
 * Ownership: struct bl_program is the caller's, filled in place (nothing to free);
 * inputs are borrowed for the call; outputs are the caller's arrays.
 */
#ifndef BALLAST_PROGRAMS_H
#define BALLAST_PROGRAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/cover.h"
#include "ballast/err.h"
#include "ballast/time.h"

#define BL_PG_CONDS_MAX 8
#define BL_PG_KINDS_MAX 8
#define BL_PG_BENEFITS_MAX 4
#define BL_PG_ID_MAX 48    /* bytes of a programme's id, NUL included */
#define BL_PG_NAME_MAX 160 /* bytes of a name in one language, NUL included */

/* What a merchant must meet, each a fact with the time it became true. */
enum bl_pg_cond {
    BL_PG_FIRST_OPENING = 0, /* opened e-commerce, for the first time (not a reopening) */
    BL_PG_DEPOSIT_PAID,      /* the base deposit paid in full */
    BL_PG_SHARING,           /* live or short-video product sharing enabled */
    BL_PG_NO_VIOLATION,      /* no major violation or risk on the account (and, when the
                                condition says so, on the accounts linked to it) */
    BL_PG__COND_COUNT
};

/* Why a merchant is not a member (the first reason: not trading yet, then the
 * programme's conditions in its order, then the coverage). */
enum bl_pg_reason {
    BL_PG_OK = 0,
    BL_PG_NOT_TRADING,      /* neither opened e-commerce nor sold anything by then */
    BL_PG_NOT_OPENED,       /* has not opened e-commerce (as of then) */
    BL_PG_REOPENED,         /* opened before: not a first opening */
    BL_PG_DEPOSIT_UNPAID,   /* the base deposit is not paid in full */
    BL_PG_SHARING_OFF,      /* live and short-video sharing are not enabled */
    BL_PG_VIOLATION,        /* a major violation or risk on the account */
    BL_PG_LINKED_VIOLATION, /* ... on an account linked to it */
    BL_PG_NO_REGION,        /* coverage: the merchant's region is not known */
    BL_PG_NOT_COVERED,      /* coverage: no disruption of the programme's kinds covers it */
    BL_PG_PENDING,          /* meets every condition: a member from the next day */
    BL_PG__REASON_COUNT
};

enum bl_pg_benefit_kind {
    BL_PG_SUBSIDY = 0, /* a budget shared among the members ("traffic_subsidy") */
    BL_PG_WAIVER,      /* a fixed amount per member ("deposit_waiver") */
};

enum bl_pg_rule {
    BL_PG_BY_SALES = 0, /* in proportion to sales in the days before the disruption */
    BL_PG_EQUAL,        /* in equal parts */
};

struct bl_pg_benefit {
    enum bl_pg_benefit_kind kind;
    char what[32];    /* its name as the file gives it ("traffic_subsidy") */
    int64_t amount;   /* subsidy: the budget; waiver: per member (minor units) */
    char currency[4]; /* ISO 4217 */
    int exponent;     /* the currency's minor digits */
    enum bl_pg_rule rule;
    int64_t cap;    /* most one member gets (minor units); 0: no cap */
    int sales_days; /* BY_SALES: the days before the disruption's start counted */
};

struct bl_program {
    char id[BL_PG_ID_MAX];
    char name_en[BL_PG_NAME_MAX], name_zh[BL_PG_NAME_MAX];
    char name_pt[BL_PG_NAME_MAX]; /* "pt-BR": optional, "" when the file has none */
    enum bl_pg_cond conds[BL_PG_CONDS_MAX];
    size_t nconds;
    bool linked; /* NO_VIOLATION looks at the linked accounts too */
    bool coverage;
    char kinds[BL_PG_KINDS_MAX][32]; /* disruption kinds covered; none: every kind */
    size_t nkinds;
    struct bl_pg_benefit benefits[BL_PG_BENEFITS_MAX];
    size_t nbenefits;
};

/* Parses one programme from JSON text (len bytes; file names it in messages).
 * BL_EPARSE with d: the file, the line and column of a syntax error, or the field
 * ("benefits[0].cap") and what was expected. */
int bl_program_parse(const char *text, size_t len, const char *file, struct bl_program *out,
                     struct bl_diag *d) BL_MUST_CHECK;

/* "first_opening", "deposit_paid", "sharing", "no_violation"; NULL otherwise. */
const char *bl_pg_cond_name(enum bl_pg_cond c);
/* "ok", "not_trading", "not_opened", "reopened", "deposit_unpaid", "sharing_off", "violation",
 * "linked_violation", "no_region", "not_covered", "pending"; NULL otherwise. */
const char *bl_pg_reason_name(enum bl_pg_reason r);
/* BL_PG__REASON_COUNT when the name is none of those. */
enum bl_pg_reason bl_pg_reason_from_name(const char *name);

/* A merchant's facts; times are UTC epoch seconds, BL_NO_TIME: never (as far as known).
 * A fact stamped after the as-of is not yet true then. */
struct bl_pg_merchant {
    int64_t id;              /* the shop's id; the array is sorted by it */
    const char *region;      /* where it ships from (canonical), NULL: unknown */
    const struct bl_tz *tz;  /* its time zone: "the next day" is its own; NULL: UTC */
    int64_t opened_at;       /* e-commerce opened */
    bool reopened;           /* that opening was not the first */
    int64_t deposit_paid_at; /* the base deposit paid in full */
    int64_t sharing_at;      /* live or short-video sharing enabled (BL_NO_TIME: off) */
    int64_t violation_at;    /* a major violation or risk recorded */
    int64_t linked_to;       /* the shop id of an account linked to it; 0: none. Links go
                                both ways */
    int64_t first_order;     /* its first order placed; with opened_at, when it began
                                trading: a merchant is in no programme before */
};

/* A disruption of the marketplace's list, with its kind. */
struct bl_pg_disruption {
    int64_t id;
    const char *kind;
    struct bl_cover_disruption cover;
};

/* One merchant's verdict for one programme. */
struct bl_pg_verdict {
    enum bl_pg_reason reason;         /* BL_PG_OK: a member as of then */
    int64_t cond_at[BL_PG_CONDS_MAX]; /* when each condition was met (BL_NO_TIME: it
                                         is not); an always-true one: BL_NO_TIME with
                                         cond_ok set */
    bool cond_ok[BL_PG_CONDS_MAX];
    enum bl_pg_reason cond_why[BL_PG_CONDS_MAX]; /* each condition's own reason */
    int64_t covered_at;                          /* coverage: when the covering disruption
                                                    began (the earliest), else BL_NO_TIME */
    int64_t disruption;                          /* its id, 0: none */
    int64_t met_at;                              /* when the last condition was met */
    int64_t since;     /* a member from: the start of the merchant's next local day after
                          met_at (BL_NO_TIME: always) */
    int64_t since_day; /* that local day (a day number), BL_NO_TIME with since */
};

/* Decides each of the n merchants (sorted by id) as of as_of against the nx disruptions:
 * out[i] for m[i]. */
void bl_pg_eval(const struct bl_program *p, const struct bl_pg_merchant *m, size_t n,
                const struct bl_pg_disruption *x, size_t nx, int64_t as_of,
                struct bl_pg_verdict *out);

/* Divides benefit b among the n merchants whose in[i] is true, by weight[i] (BY_SALES:
 * their sales, >= 0; EQUAL: ignored): share[i] in minor units, 0 for the others. A share
 * above the cap is cut to it and the rest goes to the others in the same proportion, so
 * the shares add up to the budget exactly, unless every member is at the cap or no
 * member has a weight: *unallocated is what is left (0 otherwise). Rounding: each share
 * is rounded down and the units left go one each to the largest remainders (the lower
 * index on a tie). A waiver gives each member its amount (*unallocated 0).
 * BL_EOVERFLOW when the amounts do not fit. */
int bl_pg_share(const struct bl_pg_benefit *b, const bool *in, const int64_t *weight, size_t n,
                int64_t *share, int64_t *unallocated) BL_MUST_CHECK;

#endif
