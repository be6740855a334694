/* action_set.h - proposed actions decided a set at once (docs/internals/playbook.md
 * "Deciding a set"): `ballast actions approve|reject --plan P | --kind K | --shop S |
 * --all`, POST /api/v1/actions/approve and /api/v1/actions/reject.
 *
 * bl_app_action_set selects the proposed actions (all of them, or those of a plan, of a
 * kind, of a shop: the selectors combine) and approves or rejects each as
 * bl_app_action_approve would, one audit row and one hook each, all in one transaction:
 * all or nothing. If one cannot be approved (a transfer whose source no longer has the
 * units, a second hold on a SKU held already), none is: BL_ECONFLICT, the diagnostic
 * names it ("action 123, a transfer of <SKU's name> (<SKU>) from <warehouse> to
 * <warehouse>: ...") and res->failed is its id. Nothing selected is no error (res->n 0).
 *
 * Errors: BL_EINVAL (no selector and not all; an unknown kind: nothing is read);
 * BL_ECONFLICT (above); the store's.
 *
 * Ownership: req is borrowed; res owns ids, freed by bl_app_action_set_res_release (safe
 * on a zeroed struct).
 */
#ifndef BL_APP_ACTION_SET_H
#define BL_APP_ACTION_SET_H

#include "app/stock.h"

struct bl_app_action_set_req {
    int64_t now;                    /* 0: the clock */
    bool reject;                    /* reject them, else approve them */
    bool all;                       /* every proposed action (the selectors narrow it) */
    const char *plan, *kind, *shop; /* the plan's words (action.plan), a kind's name, a
                                       shop's id (NULL or "": any) */
    const char *by, *note;          /* who decides, and why (NULL: none) */
};

struct bl_app_action_set_res {
    size_t n;       /* actions decided */
    int64_t *ids;   /* their ids, in id order */
    int64_t failed; /* BL_ECONFLICT: the action that could not be decided (0: none) */
    enum bl_app_action_refusal refusal;
};

int bl_app_action_set(struct bl_store *st, int64_t org, const struct bl_app_action_set_req *req,
                      struct bl_app_action_set_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_action_set_res_release(struct bl_app_action_set_res *res);

/* The daily cycle's expiry (docs/internals/playbook.md "Expired proposals"): a what-if's
 * proposal nobody decided by its day is closed as "expired" (never deleted), with why:
 * a purchase order or a transfer on the day after its order-by or ship-by day, a handling
 * hold on its end day (the playbook withdraws those it compares first). One transaction,
 * one audit row ("action.expire") naming them; the data generation moves. day: the stock
 * day; cycle_id: the cycle (0: none); dry_run: count only. *n: how many. */
int bl_app_actions_expire(struct bl_store *st, int64_t org, int64_t day, int64_t now,
                          int64_t cycle_id, bool dry_run, size_t *n,
                          struct bl_diag *d) BL_MUST_CHECK;

#endif
