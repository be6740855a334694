/* playbook.h - the stock-out playbook: which listing, promotion, handling-time and
 * vacation changes follow from the plan and the disruptions (pure: no I/O, no clock).
 *
 * The engine computes the desired state of every field it manages and compares it
 * with the current state and the open actions (proposed or applied, not yet
 * reverted); only differences become actions. So running it again on the state
 * its own actions produced yields nothing: it is idempotent.
 *
 * Action kinds and their conditions (A = available stock, from replenish.h):
 *   out_of_stock     SKU listing active -> out_of_stock (sellable stock 0, no new
 *                    orders) when A <= 0
 *   delist           listing -> delisted when A <= 0 and the restock is more than
 *                    delist_days away (or nothing can restock it)
 *   pause_promotion  promoted 1 -> 0 when a stock-out is unavoidable within
 *                    pause_days (or A <= 0)
 *   pause_mail       marketing mail for the SKU paused (0 -> 1), same condition
 *   extend_handling  handling_max -> base + days until the ship-from disruption
 *                    ends (extend_days when it has no end) when every warehouse
 *                    holding the SKU's available stock is in a region under an
 *                    origin/both disruption (not channel- or supplier-only) today
 *   vacation         shop vacation 0 -> 1 when the shop is merchant-fulfilled and
 *                    none of its SKUs has available stock
 *
 * Five more kinds are never opened by the playbook: a what-if's plan applied
 * (docs/whatif.md, "Applying a plan") proposes them and a person approves them.
 *   purchase_order   order units of the SKU from a (backup) supplier: approved, an
 *                    inbound purchase order the plan counts
 *   transfer         move units of the SKU between warehouses: approved, reserved at
 *                    the source and inbound at the destination
 *   handling_until   handling_max -> a longer time until an end day of its own (the
 *                    open action's `until`), whatever the disruptions: the playbook
 *                    leaves the SKU's handling time alone while it is applied (no
 *                    extend_handling on top of it, none withdrawn under it) and reverts
 *                    it on its end day; a proposed one is withdrawn on its end day. One
 *                    hold a SKU is applied at a time (the approval refuses a second)
 *   reroute          a shop's orders on a lane one channel serves go by another from a
 *                    day to an end day (by_day, until_day of the action; source and
 *                    destination are the channels): approved, the router sends them
 *                    by it (src/app/route.c); the shop is the target, the field is the
 *                    orders the plan expected to reroute (0 -> N); reverted, the router
 *                    stops; the playbook never opens or closes one
 *   promotion_until  promoted 1 -> 0 from a day until an end day of its own (the open
 *                    action's `until`): a stock-out the what-if foresees (rumoured events
 *                    the playbook does not see); while it is applied the playbook leaves
 *                    the SKU's promotion alone (no pause_promotion opened or closed under
 *                    it) and reverts it on its end day; a proposed one is withdrawn on its
 *                    end day. One a SKU is applied at a time (the approval refuses a second)
 * The first two and reroute, once decided, are done: they are not open actions here.
 *
 * When a condition no longer holds (restock, disruption over) an applied action is
 * reverted (the field gets its value from before the action back) and a proposed
 * one is withdrawn. listing is one field with two kinds: delist replaces
 * out_of_stock (and the reverse) by reverting one and opening the other.
 *
 * An organisation chooses per kind: BL_PB_PROPOSE (stored for a person to approve)
 * or BL_PB_APPLY (changed at once). Reverts of applied actions are always applied.
 *
 * Memory: bl_pb_run allocates the action array from the caller's arena.
 */
#ifndef BALLAST_PLAYBOOK_H
#define BALLAST_PLAYBOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/err.h"
#include "ballast/replenish.h"

enum bl_pb_kind {
    BL_PB_OUT_OF_STOCK = 0,
    BL_PB_DELIST,
    BL_PB_PAUSE_PROMOTION,
    BL_PB_PAUSE_MAIL,
    BL_PB_EXTEND_HANDLING,
    BL_PB_VACATION,
    BL_PB_PURCHASE_ORDER, /* from a what-if's plan only (above) */
    BL_PB_TRANSFER,
    BL_PB_HANDLING_UNTIL,
    BL_PB_REROUTE, /* from a what-if's plan only: the router reads it (above) */
    BL_PB_PROMOTION_UNTIL,
    BL_PB_NKINDS
};

/* "out_of_stock", "delist", ... (static text); "?" when out of range. */
const char *bl_pb_kind_name(enum bl_pb_kind k);
int bl_pb_kind_parse(const char *s, enum bl_pb_kind *out); /* BL_EINVAL when unknown */
/* A what-if's kind bounded by an end day (handling_until, reroute, promotion_until): a
 * proposal of it expires on its until_day, not on a day to act. */
bool bl_pb_kind_until(enum bl_pb_kind k);

/* Listing states, as stored in sku.listing. */
enum bl_pb_listing { BL_PB_ACTIVE = 0, BL_PB_INACTIVE, BL_PB_OUT_OF_STOCK_L, BL_PB_DELISTED };
const char *bl_pb_listing_name(int64_t v);
int bl_pb_listing_parse(const char *s, int64_t *out); /* BL_EINVAL when unknown */

enum bl_pb_mode { BL_PB_PROPOSE = 0, BL_PB_APPLY };

struct bl_pb_policy {
    enum bl_pb_mode mode[BL_PB_NKINDS];
    int64_t delist_days;  /* delist when the restock is further away than this */
    int64_t pause_days;   /* pause promotion when an unavoidable stock-out is this close */
    int64_t extend_days;  /* handling extension for a disruption without an end */
    int64_t handling_cap; /* longest handling_max the playbook sets */
};

/* Defaults: apply out_of_stock, pause_promotion, pause_mail, extend_handling;
 * propose delist and vacation; delist_days 30, pause_days 14, extend_days 7,
 * handling_cap 30. */
void bl_pb_policy_init(struct bl_pb_policy *p);

enum bl_pb_state {
    BL_PB_PROPOSED = 0,
    BL_PB_APPLIED,
    BL_PB_REVERTED,
    BL_PB_WITHDRAWN,
    BL_PB_EXPIRED /* a what-if's proposal not decided by its day (order-by, ship-by, end) */
};
const char *bl_pb_state_name(enum bl_pb_state s);

/* An action that is still open (proposed or applied). */
struct bl_pb_open {
    int64_t id; /* the caller's id, echoed in revert/withdraw actions */
    enum bl_pb_kind kind;
    size_t target;          /* SKU index, or shop index for vacation */
    enum bl_pb_state state; /* BL_PB_PROPOSED or BL_PB_APPLIED */
    int64_t before, after;  /* field values */
    int64_t until;          /* handling_until, promotion_until: its end day (the first day
                               back to before); ignored for the other kinds */
};

struct bl_pb_sku {
    int64_t listing; /* enum bl_pb_listing */
    bool promoted;
    bool mail_paused;           /* current marketing-mail state (from applied actions) */
    int64_t handling_max;       /* days */
    const char *const *regions; /* regions of the warehouses holding available stock */
    size_t nregions;
    const char *id; /* the SKU's own id, borrowed: errors name it */
};

struct bl_pb_shop {
    bool merchant; /* fulfilment = merchant */
    bool vacation;
    const size_t *skus; /* SKU indexes the shop sells; NULL/0 = every SKU */
    size_t nskus;
    const char *id; /* the shop's own id, borrowed: errors name it */
};

struct bl_pb_input {
    int64_t as_of;
    struct bl_pb_policy policy;
    const struct bl_rp_plan *plans; /* nskus, from bl_rp_plan */
    const struct bl_pb_sku *skus;
    size_t nskus;
    const struct bl_pb_shop *shops;
    size_t nshops;
    const struct bl_rp_disruption *disruptions;
    size_t ndisruptions;
    const struct bl_pb_open *open;
    size_t nopen;
};

enum bl_pb_op {
    BL_PB_NEW = 0, /* a new action: proposed or applied by its kind's mode */
    BL_PB_REVERT,  /* undo applied action open_id: field back to `after` here */
    BL_PB_WITHDRAW /* drop proposed action open_id (never applied) */
};

/* Why an action is opened or closed: a code with the numbers of the action below (a
 * front end words it; src/app/stock_text.c in English). */
enum bl_pb_why {
    /* opening */
    BL_PB_WHY_NOTHING_SELLABLE = 0, /* out_of_stock: on_hand, reserved, restock_day */
    BL_PB_WHY_NO_RESTOCK,           /* delist: available, count = delist_days, restock_day */
    BL_PB_WHY_STOCKOUT_SOON,        /* pause_*: stockout_day, available, daily_mean, restock_day */
    BL_PB_WHY_DISRUPTED,            /* extend_handling: region (regions: more than one),
                                       until_day, before -> after days */
    BL_PB_WHY_SHOP_EMPTY,           /* vacation: count = SKUs the shop sells */
    /* closing */
    BL_PB_WHY_RESTOCKED,       /* listing: available */
    BL_PB_WHY_REPLACED,        /* listing: the other listing kind fits the restock date */
    BL_PB_WHY_CHANGED,         /* the desired value changed */
    BL_PB_WHY_STOCK_BACK,      /* pause_*: available, stockout_day (the next one) */
    BL_PB_WHY_UNBLOCKED,       /* extend_handling: the ship-from region is no longer disrupted */
    BL_PB_WHY_SHOP_STOCK_BACK, /* vacation: count = units sellable */
    BL_PB_WHY_HOLD_ENDED,      /* handling_until, promotion_until: its end day came
                                  (until_day) */
    BL_PB_WHY_N
};

struct bl_pb_action {
    enum bl_pb_op op;
    enum bl_pb_kind kind;
    enum bl_pb_mode mode; /* for BL_PB_NEW; reverts and withdrawals are applied */
    bool shop;            /* target is a shop (vacation), else a SKU */
    size_t target;
    int64_t open_id;       /* for revert/withdraw */
    int64_t before, after; /* the field changes from before to after */
    enum bl_pb_why why;    /* for a person, with the numbers below */
    /* the data behind it */
    int64_t available, inbound, stockout_day, restock_day, until_day;
    int64_t on_hand, reserved;
    double daily_mean;
    int64_t count;      /* see enum bl_pb_why */
    const char *region; /* BL_PB_WHY_DISRUPTED: the first ship-from region (input-owned) */
    bool regions;       /* ... and more than one */
};

/* Computes the actions: *out (arena-owned) and *nout. Open purchase orders and transfers
 * are skipped. Errors: BL_EINVAL (an open action's target out of range, a hold's end out
 * of range, policy days or as_of out of range), BL_EOVERFLOW (a
 * shop's available units over its SKUs do not fit in 64 bits; the error names the shop by
 * its id), BL_ENOMEM. */
int bl_pb_run(const struct bl_pb_input *in, struct bl_arena *a, struct bl_pb_action **out,
              size_t *nout, struct bl_diag *d) BL_MUST_CHECK;

#endif
