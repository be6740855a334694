/* digest.h - what a cycle left for people, read across the result tables (store family
 * "digest": read-only). Used by the cycle's summary and the operator's digest.
 *
 * Everything is for one organisation; "this cycle" means rows carrying its id, "at as_of"
 * the results computed for that as-of. Strings are copied into the facts' arena. */
#ifndef BL_STORE_DIGEST_H
#define BL_STORE_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/store.h"

#define BL_DIGEST_LIST_MAX 10 /* items kept per list (the counts count all) */

struct bl_digest_money {
    char currency[4];
    int64_t n, amount; /* how many, their sum in minor units */
};

struct bl_digest_stockout {
    const char *sku, *name;
    int64_t day;         /* the day stock runs out (day number) */
    int64_t short_units; /* demand from that day to the restock (or the horizon) */
    int64_t order_by;    /* order-by day, or -1 */
};

struct bl_digest_shop {
    const char *shop, *name, *profile, *rating, *prev_rating; /* prev_rating "" if none */
    int64_t score_x100, prev_score_x100;                      /* -1: none */
    const char *failing; /* the rules it misses: "metric:window_days,..." ("" none) */
};

/* A what-if's proposal the cycle expired (not decided by its day): its kind, SKU and the
 * day that passed (order-by or ship-by; a hold's end day). */
struct bl_digest_expired {
    const char *kind, *sku, *name;
    int64_t day; /* the day to act that passed, or the end day that came (until) */
    bool until;  /* bl_pb_kind_until: the end day */
};

struct bl_digest_alert {
    const char *kind, *sku, *message;
};

/* A tax threshold crossed (or at 80%): the alert a cycle's watch step raised. */
struct bl_digest_threshold {
    const char *kind;         /* comply_near | comply_over | comply_next_year */
    const char *jurisdiction; /* the rule's code */
    int64_t shop_id;          /* 0: the organisation as one seller */
};

/* A disruption changed since the previous cycle: what it is (its kind code, its region
 * code and the note it was given, "" for none). kind is "" when an import has removed it
 * since. */
struct bl_digest_disruption {
    int64_t id;
    const char *kind, *region, *note;
};

struct bl_digest_kind {
    const char *kind;
    int64_t n;
};

struct bl_digest_facts {
    struct bl_arena arena;
    int64_t cycle_id, prev_cycle_id, as_of, prev_as_of, day, prev_day; /* prev 0: first */
    /* needs a decision */
    int64_t messages_waiting; /* outbox messages planned, not approved */
    struct bl_digest_kind msg_kinds[8];
    size_t nmsg_kinds;
    int64_t messages_held; /* outbox messages held: never sent until fixed */
    struct bl_digest_kind held_kinds[8];
    size_t nheld_kinds;
    int64_t actions_waiting; /* playbook actions proposed, not applied */
    struct bl_digest_kind action_kinds[8];
    size_t naction_kinds;
    int64_t actions_expired; /* proposals this cycle expired */
    struct bl_digest_expired expired[BL_DIGEST_LIST_MAX];
    size_t nexpired;
    int64_t stockouts; /* SKUs running out within the horizon */
    struct bl_digest_stockout stockout[BL_DIGEST_LIST_MAX];
    size_t nstockout;
    int64_t shops_at_risk; /* rated in their profile's breach band at as_of */
    struct bl_digest_shop at_risk[BL_DIGEST_LIST_MAX];
    size_t nat_risk;
    int64_t thresholds; /* tax thresholds crossed or near, new in this cycle */
    struct bl_digest_threshold threshold[BL_DIGEST_LIST_MAX];
    size_t nthreshold;
    int64_t shops_moved; /* rating changed since the previous cycle */
    struct bl_digest_shop moved[BL_DIGEST_LIST_MAX];
    size_t nmoved;
    /* what was done or changed */
    int64_t alerts_new, alerts_cleared; /* stock alerts at as_of vs the previous as_of */
    struct bl_digest_alert alert_new[BL_DIGEST_LIST_MAX], alert_cleared[BL_DIGEST_LIST_MAX];
    size_t nalert_new, nalert_cleared;
    struct bl_digest_money coupons_paid[8], coupons_owed[8], waivers[8];
    size_t ncoupons_paid, ncoupons_owed, nwaivers;
    int64_t messages_planned; /* this cycle */
    int64_t actions_applied;  /* this cycle */
    /* imports since the previous cycle started: orders updated, changes (order_event) */
    int64_t orders_updated, order_changes;
    /* disruptions declared, changed or lifted by hand since (disruption_event): how many,
     * their changes, and the first BL_DIGEST_LIST_MAX by id, ascending */
    int64_t disruptions_changed, disruption_changes;
    struct bl_digest_disruption disruption[BL_DIGEST_LIST_MAX];
    size_t ndisruption;
};

/* A profile's rating that means "at risk" (its breach band's label, or a worse one's: a
 * profile has one entry per such band). */
struct bl_digest_risk {
    const char *profile, *label;
};

/* Reads the facts of cycle `cycle_id` at as_of, whose stock day (plan_line.as_of) is day
 * (prev_cycle_id/prev_as_of/prev_day 0 when there is no earlier cycle); horizon_days bounds the
 * stock-outs ahead; risk names each profile's at-risk rating. Caller owns f: release with
 * bl_digest_facts_release. */
int bl_store_digest_facts(struct bl_store *st, int64_t org, int64_t cycle_id, int64_t as_of,
                          int64_t day, int64_t prev_cycle_id, int64_t prev_as_of, int64_t prev_day,
                          int horizon_days, const struct bl_digest_risk *risk, size_t nrisk,
                          struct bl_digest_facts *f, struct bl_diag *d) BL_MUST_CHECK;
void bl_digest_facts_release(struct bl_digest_facts *f);

#endif
