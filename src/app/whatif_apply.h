/* whatif_apply.h - a what-if's plan applied as proposed actions (issue 20, docs/whatif.md
 * "Applying a plan"): `ballast whatif ... --mitigate --apply N`, POST /api/v1/whatif with
 * "apply": N.
 *
 * bl_app_whatif_apply runs the what-if with its search (whatif.h, req->wi with mitigate
 * on), takes plan `rank` (1: the cheapest, as printed) and writes each of its steps as a
 * *proposed* action (table action, playbook.h's kinds) for a person to approve with
 * `ballast actions approve ID`:
 *   backup_supplier  -> purchase_order  (SKU, supplier, units, order-by day, arrival,
 *                                        the warehouse it is for)
 *   transfer         -> transfer        (SKU, from, to, units, ship-by day, arrival)
 *   extend_handling  -> handling_until  one per SKU the shop sells with stock in the
 *                                        region the events shut (its listing ships from
 *                                        there): handling_max + the step's days (at most
 *                                        the playbook's cap) until the step's first day +
 *                                        its days; a SKU two shops sell is held once
 *   pause_promotion  -> promotion_until the promoted SKU's flag 1 -> 0 from the stock-out
 *                                        day until the horizon's end (the playbook
 *                                        reverts it then); none when it is no longer
 *                                        promoted (an idle step)
 * Each with its reason in words (from the what-if of <source> as of <date>, plan N,
 * step K: ..., what it costs and saves) and the numbers behind it as JSON (action.data,
 * for a front end's own words). A step's identity is its content (action.ref): a step
 * proposed before, by this plan or another, is not proposed again (counted in
 * `existed`), whatever its state. Everything in one transaction with an audit row
 * ("whatif.apply"); the data generation moves when anything was written.
 *
 * Errors: what bl_app_whatif returns; BL_EINVAL (rank 0 or past the plans: d says how
 * many there are; nothing is written); the store's.
 *
 * Ownership: req is borrowed; res owns the what-if's result and ids, freed with
 * bl_app_whatif_apply_res_release (safe on a zeroed struct).
 */
#ifndef BL_APP_WHATIF_APPLY_H
#define BL_APP_WHATIF_APPLY_H

#include "app/whatif.h"

struct bl_app_whatif_apply_req {
    struct bl_app_whatif_req wi; /* the what-if (mitigate is forced on) */
    size_t rank;                 /* the plan, 1..nplans as printed */
    const char *source;          /* what was assumed, in words: the file's name (NULL: the
                                    events' notes, else "the events posted") */
    int64_t now;                 /* 0: the clock */
};

enum bl_app_apply_outcome {
    BL_APP_APPLY_NEW = 0, /* proposed now */
    BL_APP_APPLY_EXISTED, /* the same step was proposed before: nothing written */
};

/* One action of the plan: its step (index in the plan) and kind, the action's id. */
struct bl_app_apply_action {
    size_t step;
    enum bl_pb_kind kind;
    int64_t id;
    enum bl_app_apply_outcome outcome;
    const char *sku, *sku_name; /* the SKU's id and name (borrowed from res->wi); a
                                   reroute's: the shop's */
    int64_t before, after;      /* the field's values: units (0 -> units), handling days,
                                   a reroute's held orders (0 -> orders) */
    const char *reason;         /* the sentence stored (res->arena) */
};

struct bl_app_whatif_apply_res {
    struct bl_app_whatif_res wi; /* the what-if and its plans */
    size_t rank, nplans;
    struct bl_app_apply_action *acts; /* res->arena */
    size_t n, added, existed;
    size_t idle_steps; /* handling steps with no SKU to change (none stocked in the
                          region, or at the cap already), reroutes whose channel left the
                          catalogue */
    struct bl_arena arena;
    char plan_words[320]; /* the plan's name on its actions (action.plan): "whatif-yiwu.csv
                             as of 2024-11-15, plan 1", what decides them a set at once */
};

int bl_app_whatif_apply(struct bl_store *st, int64_t org, const struct bl_app_whatif_apply_req *req,
                        struct bl_app_whatif_apply_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_whatif_apply_res_release(struct bl_app_whatif_apply_res *res);

/* The actions as data, what `--json` prints and the API answers under "applied":
 * {plan, plan_words, added, existed, idle_steps, actions: [{id, kind, step, sku, sku_name,
 * outcome ("proposed" | "existed"), before, after, reason}]}; a reroute has shop and
 * shop_name in place of sku and sku_name. A new reference, NULL on ENOMEM. */
struct json_t;
struct json_t *bl_app_whatif_apply_json(const struct bl_app_whatif_apply_res *res);

#endif
