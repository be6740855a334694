/* assess.h - the shop assessment use cases (docs/internals/app.md, assess.md):
 *
 *   bl_app_assess          per shop, the counters, rates, score and rating a marketplace
 *                          rates it on, with declared disruptions and approved
 *                          protections excluded and the carry-over applied; stored per
 *                          (profile, window, shop, as-of) unless dry_run;
 *   bl_app_assess_explain  why one order counts or not: the engine's verdict as codes,
 *                          with the times, regions and the cause's record;
 *   bl_app_assess_orders   the orders that count against each rule of one shop;
 *   bl_app_assess_load     loads a snapshot that covers both assess and compensate for
 *                          an as-of, so that a daily cycle loads the orders once.
 *
 * Ownership: req is borrowed for the call; res is the caller's, filled here (strings and
 * arrays from res's arena) and freed with the use case's _res_release (safe on a zeroed
 * or partly filled res). req->snap, when given, is borrowed and left as it was.
 */
#ifndef BL_APP_ASSESS_H
#define BL_APP_ASSESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/app.h"
#include "ballast/assess.h"
#include "ballast/snapshot.h"
#include "ballast/store.h"

/* What a request could not be done for, besides d (for a front end's own words). */
enum bl_app_assess_problem {
    BL_APP_ASSESS_OK = 0,
    BL_APP_ASSESS_UNKNOWN_SHOP,        /* req->shop: no shop with that external id */
    BL_APP_ASSESS_NO_SHOP_FOR_PROFILE, /* no shop uses req->profile (and no shop asked) */
    BL_APP_ASSESS_NO_SUCH_ORDER,       /* explain: no order with that id (in req->shop) */
    BL_APP_ASSESS_ORDER_AMBIGUOUS,     /* explain: several shops have it: res->matches */
    BL_APP_ASSESS_ORDER_OUT_OF_RANGE,  /* explain: placed after the as-of, or too old */
};

struct bl_app_assess_req {
    int64_t as_of;            /* UTC epoch seconds */
    const char *profile;      /* NULL: every profile the organisation's shops use, each shop
                                 assessed under its own */
    int window;               /* days; 0: each profile's */
    const char *shop;         /* a shop's external id: only it (under profile, or its own) */
    bool all_shops;           /* with profile: every shop, not only those whose profile it is */
    bool dry_run;             /* compute, store nothing */
    int64_t cycle_id;         /* 0: outside a cycle */
    int64_t now;              /* computed_at; 0: the clock */
    struct bl_snapshot *snap; /* borrowed, already loaded (bl_app_assess_load); NULL:
                                 loaded here */
};

/* One shop's row. */
struct bl_app_assess_shop {
    int64_t shop_id;
    const char *shop;           /* external id */
    const char *name;           /* what people call it ("" when it has none) */
    const char *profile;        /* the profile it was assessed under */
    int window;                 /* days */
    struct bl_shop_counts k;    /* over the window, as of the as-of */
    struct bl_shop_rates rates; /* the as-of's, or the carried day's; NaN: no data */
    double score;               /* NaN: none */
    char rating[16];            /* "": none (fewer counted than the minimum, nothing to carry) */
    bool carried;
    int64_t carried_from; /* when carried: that day's as-of */
    uint32_t failing;     /* bit q: the profile's rule q is in breach (bl_assess_failing) */
    const struct bl_profile *prof;      /* the profile's definition (rules, bands) */
    const struct bl_rule_result *rules; /* prof->nrules: each rule evaluated (A's or the
                                           carried day's) */
    bool rules_known;                   /* false: carried from a stored result, whose
                                           rules were not kept */
};

/* A shop whose stored result for the same (profile, window, as-of) had other counts:
 * orders changed after it was computed (late updates). */
#define BL_APP_CHANGED_ORDERS 10
struct bl_app_assess_change {
    size_t shop;               /* index in res->shops */
    struct bl_shop_counts was; /* the replaced result's counts */
    int64_t computed_at;       /* when the replaced result was computed */
    const char **orders;       /* the shop's orders changed since, at most BL_APP_CHANGED_ORDERS */
    size_t norders;
    bool more;                 /* and others */
};

struct bl_app_assess_res {
    int64_t as_of;
    struct bl_app_assess_change *changes; /* stored runs only: results that moved */
    size_t nchanges;
    struct bl_app_assess_shop *shops; /* in the store's shop order */
    size_t n;
    size_t stored; /* rows written (0 on a dry run) */
    enum bl_app_assess_problem problem;
    struct bl_arena arena;
};

int bl_app_assess(struct bl_store *st, int64_t org, const struct bl_app_assess_req *req,
                  struct bl_app_assess_res *res, struct bl_diag *d) BL_MUST_CHECK;

/* What a dry run of bl_app_assess is computed from, besides the store (whose changes the
 * organisation's data generation counts: bl_app_data_gen): the profile files. A number
 * that changes when one of them does (bl_profile_dir_stamp of bl_profile_dir()). */
uint64_t bl_app_assess_profiles_stamp(void);
void bl_app_assess_res_release(struct bl_app_assess_res *res);

/* ---- the orders behind a shop's rules ----------------------------------------------- */

/* Why an order counts against a rule. */
enum bl_app_fail_why {
    BL_APP_FAIL_SHIPPED_LATE = 1, /* shipped after the promised ship-by */
    BL_APP_FAIL_NOT_SHIPPED,      /* not shipped by the promised ship-by, not yet either */
    BL_APP_FAIL_PICKUP_LATE,      /* the carrier's scan came later than the pickup hours */
    BL_APP_FAIL_NO_PICKUP,        /* no carrier scan yet, past the pickup hours */
    BL_APP_FAIL_DELIVERED_LATE,   /* delivered at or after the promised delivery */
    BL_APP_FAIL_NOT_DELIVERED,    /* not delivered, past the promised delivery */
    BL_APP_FAIL_SELLER_CANCEL,    /* cancelled by the seller */
};

struct bl_app_failing_order {
    const char *order;          /* the order's external id */
    enum bl_app_fail_why why;
    int64_t due;                /* the promise: ship-by, ship time + pickup hours, promised
                                   delivery; the placed time for a cancellation */
    int64_t at;                 /* what happened: shipped, picked up, delivered, cancelled
                                   (BL_NO_TIME: not yet, or not known) */
};

/* An order a rule leaves out: exempt, why (BL_WHY_PROTECTION, a disruption's, the
 * platform's fulfilment...) and the record behind it (a disruption's or protection's id,
 * else 0). */
struct bl_app_exempt_order {
    const char *order; /* the order's external id */
    enum bl_why why;
    int64_t cause_id;
    int64_t due; /* the promise the rule would have judged: ship-by, promised delivery */
};

struct bl_app_rule_orders {
    enum bl_metric metric;          /* the rule's */
    int window_days;                /* the rule's window (a profile may judge a metric over
                                       two windows: one rule each) */
    struct bl_app_failing_order *v; /* the first `limit`, by promise */
    size_t n;
    int64_t total; /* how many orders count against the rule */
    struct bl_app_exempt_order *exempt; /* the first `limit` exempt from it, by promise */
    size_t nexempt;
    int64_t exempt_total; /* how many orders it exempts */
};

struct bl_app_assess_orders_req {
    int64_t as_of;
    const char *profile;      /* NULL: the shop's */
    int window;               /* 0: the profile's */
    const char *shop;         /* the shop's external id (required) */
    size_t limit;             /* orders listed per rule (the rest are counted) */
    struct bl_snapshot *snap; /* as in bl_app_assess_req */
    bool exempt;              /* also the orders each rule exempts, and why */
};

struct bl_app_assess_orders_res {
    const char *shop, *profile;
    struct bl_app_rule_orders *rules; /* nrules, in the profile's order */
    size_t nrules;
    enum bl_app_assess_problem problem;
    struct bl_arena arena;
};

/* For each rule of the shop's profile, the orders that count against it over the rule's
 * window as of req->as_of (counted late shipments, pickup anomalies, late deliveries,
 * seller cancellations; exempt orders never do), by promise. Stores nothing. */
int bl_app_assess_orders(struct bl_store *st, int64_t org,
                         const struct bl_app_assess_orders_req *req,
                         struct bl_app_assess_orders_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_assess_orders_release(struct bl_app_assess_orders_res *res);

/* ---- a shop's rules day by day --------------------------------------------------------- */

#define BL_APP_TREND_MAX_DAYS 365

struct bl_app_assess_trend_req {
    int64_t as_of;       /* the last day's instant; each day before it 86400 s earlier */
    size_t days;         /* 1..BL_APP_TREND_MAX_DAYS */
    const char *shop;    /* the shop's external id (required) */
    const char *profile; /* NULL: the shop's */
    int window;          /* 0: the profile's */
};

struct bl_app_assess_trend_res {
    const char *shop, *profile;
    const struct bl_profile *prof; /* the profile's rules, in res's arena */
    int window;
    struct bl_assess_day *days; /* ndays, oldest first: each rule's value, status, the
                                   orders counted and exempt, the day's score and rating
                                   (each day's own, no carry-over) */
    size_t ndays;
    enum bl_app_assess_problem problem;
    struct bl_arena arena;
};

/* One shop's assessment on each of req->days days ending at req->as_of, from one load of
 * the orders (the engine evaluates each day). Stores nothing. BL_ENOTFOUND (problem
 * UNKNOWN_SHOP): no such shop, or its profile does not exist; BL_EINVAL: days. */
int bl_app_assess_trend(struct bl_store *st, int64_t org,
                        const struct bl_app_assess_trend_req *req,
                        struct bl_app_assess_trend_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_assess_trend_release(struct bl_app_assess_trend_res *res);

/* ---- the shops no assessment rates ----------------------------------------------------- */

struct bl_app_unrated {
    const char *profile; /* the shops' profile, which does not exist */
    const char **shops;  /* their ext ids, sorted */
    size_t n;
};

struct bl_app_unrated_res {
    struct bl_app_unrated *v; /* by profile name */
    size_t n;
    struct bl_arena arena;
};

/* The shops whose rule profile does not exist in bl_profile_dir(): no assessment rates
 * them until it does. A profile that exists but does not parse is an error (d). */
int bl_app_assess_unrated(struct bl_store *st, int64_t org, struct bl_app_unrated_res *res,
                          struct bl_diag *d) BL_MUST_CHECK;
void bl_app_assess_unrated_release(struct bl_app_unrated_res *res);

/* ---- explain ------------------------------------------------------------------------ */

struct bl_app_explain_req {
    int64_t as_of;
    const char *profile;      /* NULL: the order's shop's */
    int window;               /* 0: the profile's */
    const char *order;        /* the order's external id */
    const char *shop;         /* its shop's external id; NULL: any (must be one) */
    struct bl_snapshot *snap; /* as in bl_app_assess_req */
};

/* The record behind an exemption (why is BL_WHY_PROTECTION or a disruption's). */
struct bl_app_explain_cause {
    int64_t id;
    bool found;           /* the record exists */
    int64_t starts, ends; /* a disruption's ends: lifted, if it was lifted earlier */
    const char *kind, *region, *scope, *note; /* disruption ("" otherwise) */
    const char *reason;                       /* protection ("" otherwise) */
};

struct bl_app_explain_res {
    const char *order, *shop, *profile;
    int64_t as_of;
    int window;
    /* The order's instants (BL_NO_TIME: none) and regions ("": none). */
    int64_t placed, ship_by, shipped, picked_up, promised, delivered, cancelled;
    const char *ship_from, *ship_to;
    struct bl_verdict v;
    struct bl_app_explain_cause shipment, delivery;
    enum bl_app_assess_problem problem;
    int64_t matches; /* BL_APP_ASSESS_ORDER_AMBIGUOUS: how many shops have the id */
    struct bl_arena arena;
};

int bl_app_assess_explain(struct bl_store *st, int64_t org, const struct bl_app_explain_req *req,
                          struct bl_app_explain_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_explain_res_release(struct bl_app_explain_res *res);

/* ---- a shared snapshot -------------------------------------------------------------- */

/* Loads into *out (caller frees with bl_snapshot_free) the orders that assess and
 * compensate as of as_of need under profile (NULL: every profile the shops use) and
 * window (0: each profile's): pass it as req->snap to both. */
int bl_app_assess_load(struct bl_store *st, int64_t org, int64_t as_of, const char *profile,
                       int window, struct bl_snapshot *out, struct bl_diag *d) BL_MUST_CHECK;

/* The same for the given profiles (each with its own window): for a caller that loaded
 * the profiles itself and leaves out those that do not exist. */
int bl_app_assess_load_profiles(struct bl_store *st, int64_t org, int64_t as_of,
                                const struct bl_profile *profiles, size_t n,
                                struct bl_snapshot *out, struct bl_diag *d) BL_MUST_CHECK;

#endif
