/* stock.h - demand and stock, typed (store family "stock"): the planning snapshot
 * (SKUs, warehouses, suppliers, stock, inbound, disruptions, shops, open playbook
 * actions, the action policy and the sales window), plan_line and stock_alert rows,
 * playbook actions and the fields they change.
 *
 * The snapshot is filled in engine types (replenish.h, playbook.h) so that a use case
 * hands it to bl_rp_plan / bl_pb_run as is; everything in it lives in s->arena except
 * units and in_stock (bl_malloc'd): free it with bl_stock_snap_release (safe on a
 * zeroed or partly loaded snapshot). Strings passed in rows are borrowed for the call.
 * The write functions run inside the caller's transaction. */
#ifndef BL_STORE_STOCK_H
#define BL_STORE_STOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/history.h"
#include "ballast/playbook.h"
#include "ballast/replenish.h"
#include "ballast/store.h"

/* An absent value in a row (stored as NULL). */
#define BL_STOCK_NULL INT64_MIN

struct bl_stock_load_opts {
    int64_t as_of;                /* day number */
    size_t window;                /* days of sales before as_of to load */
    bool playbook;                /* also load shops, open actions and the action policy */
    const char *default_supplier; /* ext id for SKUs without a PO history, or NULL */
};

/* Where a SKU's primary supplier comes from (docs/internals/replenish.md). */
enum bl_stock_sup_from {
    BL_STOCK_SUP_NONE = 0, /* nowhere: the SKU has no supplier */
    BL_STOCK_SUP_LISTED,   /* sku_suppliers.csv: rp_skus[k].sources */
    BL_STOCK_SUP_PO,       /* inferred: the supplier of the SKU's latest purchase order */
    BL_STOCK_SUP_DEFAULT,  /* --default-supplier */
};

struct bl_stock_snap {
    struct bl_arena arena;
    int64_t org_id;
    /* SKUs */
    size_t nskus;
    int64_t *sku_id;
    const char **sku_ext;
    bool *review_passed;
    /* per SKU: what its paid promotion costs a day (skus.promo_spend, minor units of
     * sku_cur; BL_STOCK_NULL: none given, or the SKU has no currency) */
    int64_t *promo_spend;
    const char **sku_cur;
    struct bl_pb_sku *pb_skus;
    struct bl_rp_sku *rp_skus; /* daily_mean/sigma left 0: the forecaster's to fill */
    /* warehouses, suppliers, shops (store ids and ext ids) */
    size_t nwh, nsup, nshops;
    int64_t *wh_id, *sup_id, *shop_id;
    const char **wh_ext, **wh_region, **sup_ext, **shop_ext;
    struct bl_rp_supplier *sup;
    const char **sup_name;   /* per supplier: its name */
    uint8_t *sup_from;       /* per SKU: enum bl_stock_sup_from */
    const char **dis_kind;   /* per disruption: its kind (lockdown, strike, ...) */
    struct bl_pb_shop *shops;
    struct bl_rp_disruption *dis;
    size_t ndis;
    struct bl_pb_open *open;
    size_t nopen;
    bool policy_set[BL_PB_NKINDS]; /* the action_policy table has a mode */
    enum bl_pb_mode policy_mode[BL_PB_NKINDS];
    /* sales: units[k * window + i] for day as_of - window + i (summed over shops);
     * in_stock likewise (false: out of stock that day) */
    size_t window;
    int64_t first_day;
    double *units;
    bool *in_stock;
    /* per SKU: the markets of the shops that sold it in the window ("US", "GB CN"; the
     * countries of their currencies), NULL when none is known (every event applies) */
    const char **market;
    /* the open POs (rp_skus[k].inbound points into inb): per row of inb, its PO number
     * (inbound.ext_id) and supplier (index, -1: none), to name an overdue one */
    const struct bl_rp_inbound *inb;
    const char **inb_po;
    ptrdiff_t *inb_sup;
};

/* Loads org's snapshot. BL_ENOTFOUND when default_supplier names no supplier. */
int bl_store_stock_load(struct bl_store *st, int64_t org, const struct bl_stock_load_opts *o,
                        struct bl_stock_snap *s, struct bl_diag *d) BL_MUST_CHECK;
void bl_stock_snap_release(struct bl_stock_snap *s);

/* One plan_line row: warehouse_id 0 for the SKU's line. BL_STOCK_NULL (model: NULL)
 * for the values a line does not have. */
struct bl_stock_plan_row {
    int64_t sku_id, warehouse_id, on_hand, reserved, available, inbound, daily_milli;
    int64_t cover_days, stockout_day, safety_stock, reorder_point, order_qty, order_by_day;
    int64_t supplier_id, backup, lead_days, restock_day;
    const char *model;
};

/* Replaces the plan lines of (org, as_of) with rows. */
int bl_store_stock_plan_replace(struct bl_store *st, int64_t org, int64_t as_of,
                                const struct bl_stock_plan_row *rows, size_t n, int64_t now,
                                int64_t cycle_id, struct bl_diag *d) BL_MUST_CHECK;

struct bl_stock_alert_row {
    const char *kind; /* low_stock | stockout | stocking_reminder | reorder */
    int64_t sku_id;
    const char *message;
    int64_t value;
};

/* Replaces the stock alerts of (org, as_of) with rows. */
int bl_store_stock_alerts_replace(struct bl_store *st, int64_t org, int64_t as_of,
                                  const struct bl_stock_alert_row *rows, size_t n, int64_t now,
                                  int64_t cycle_id, struct bl_diag *d) BL_MUST_CHECK;

/* What an action from a what-if's plan carries besides its SKU (migration 28): the
 * supplier ordered from or the warehouse the units leave (source_id), the warehouse they
 * arrive at (dest_id), the day to order or ship by and the day they arrive or a hold ends
 * (BL_STOCK_NULL: none), and the step's identity (ref: one action per ref and org). */
struct bl_stock_action_parts {
    int64_t source_id, dest_id; /* store ids; 0: none */
    int64_t by_day, until_day;
    const char *ref;
    /* migration 31: the plan that proposed it, in words ("whatif-yiwu.csv as of
     * 2024-11-15, plan 1"; NULL: none) and the shop a handling hold is for (0: none) */
    const char *plan;
    int64_t shop_id;
};

/* A new playbook action (table action). */
struct bl_stock_action_row {
    enum bl_pb_kind kind;
    bool shop;         /* target is a shop, else a SKU */
    int64_t target_id; /* store id */
    int64_t before, after;
    bool applied; /* state applied (applied_at = proposed_at), else proposed */
    const char *reason, *data;
    int64_t as_of, proposed_at, cycle_id;
    const struct bl_stock_action_parts *parts; /* NULL: none (the playbook's kinds) */
};

/* The applied handling_until action on SKU sku_id other than `except`: *id, 0 when
 * there is none. */
int bl_store_stock_action_held(struct bl_store *st, int64_t org, int64_t sku_id, int64_t except,
                               int64_t *id, struct bl_diag *d) BL_MUST_CHECK;

/* The applied promotion_until action on SKU sku_id other than `except`: *id, 0 when
 * there is none. */
int bl_store_stock_action_paused(struct bl_store *st, int64_t org, int64_t sku_id, int64_t except,
                                 int64_t *id, struct bl_diag *d) BL_MUST_CHECK;

/* The action whose ref is ref: *id, 0 when there is none. */
int bl_store_stock_action_ref(struct bl_store *st, int64_t org, const char *ref, int64_t *id,
                              struct bl_diag *d) BL_MUST_CHECK;

/* Does what approved purchase order or transfer h (its parts, action id) says: an open
 * inbound purchase order (ext_id "action-ID") of h->after units of the SKU at dest_id,
 * arriving on until_day, ordered at `ordered_at`; a transfer also reserves the units at
 * source_id (BL_ECONFLICT when that warehouse has fewer available: no stock row of the
 * SKU, or the units taken since). */
struct bl_stock_action_head;
int bl_store_stock_action_do(struct bl_store *st, int64_t org, int64_t id,
                             const struct bl_stock_action_head *h, int64_t ordered_at,
                             struct bl_diag *d) BL_MUST_CHECK;

/* Inserts the action with an id from the allocator (*id, may be NULL). */
int bl_store_stock_action_add(struct bl_store *st, int64_t org, const struct bl_stock_action_row *a,
                              int64_t *id, struct bl_diag *d) BL_MUST_CHECK;

/* Closes open action id: state reverted or withdrawn, with when and why; data (JSON text,
 * borrowed; NULL: kept as it is) replaces its data: the numbers of the close beside the
 * numbers it opened with. */
int bl_store_stock_action_close(struct bl_store *st, int64_t org, int64_t id,
                                enum bl_pb_state state, int64_t at, const char *why,
                                const char *data, struct bl_diag *d) BL_MUST_CHECK;

/* Sets the field a kind manages on its target (sku.listing, sku.promoted,
 * sku.handling_max, shop.vacation; pause_mail is recorded only). */
int bl_store_stock_set_field(struct bl_store *st, int64_t org, enum bl_pb_kind kind,
                             int64_t target_id, int64_t value, struct bl_diag *d) BL_MUST_CHECK;

/* The proposed action id: *found false when there is none (or its kind is unknown). */
int bl_store_stock_action_proposed(struct bl_store *st, int64_t org, int64_t id, bool *found,
                                   enum bl_pb_kind *kind, int64_t *target_id, int64_t *after,
                                   struct bl_diag *d) BL_MUST_CHECK;

/* Marks action id applied at `at`. */
int bl_store_stock_action_applied(struct bl_store *st, int64_t org, int64_t id, int64_t at,
                                  struct bl_diag *d) BL_MUST_CHECK;

/* What decides whether action id may be approved or rejected (found false: no such
 * action in org, or its kind is unknown). state and decided_by in buf-like fields. */
struct bl_stock_action_head {
    bool found;
    enum bl_pb_kind kind;
    int64_t target_id, before, after;
    char state[16];      /* proposed, applied, rejected, reverted, withdrawn, undone */
    int64_t decided_at;  /* BL_STOCK_NULL: nobody decided */
    int64_t proposed_at; /* when the playbook proposed (or applied) it */
    struct bl_stock_action_parts parts; /* ref NULL; zero/BL_STOCK_NULL when none */
    int64_t as_of;                      /* the day it was proposed for */
};
int bl_store_stock_action_head(struct bl_store *st, int64_t org, int64_t id,
                               struct bl_stock_action_head *h, struct bl_diag *d) BL_MUST_CHECK;

/* A person's decision on proposed action id: state "applied" (applied_at = at) or
 * "rejected", with who and their note (NULL: none). *changed 0 when the action was no
 * longer proposed (another decision came first). */
int bl_store_stock_action_decide(struct bl_store *st, int64_t org, int64_t id, const char *state,
                                 int64_t at, const char *by, const char *note, int64_t *changed,
                                 struct bl_diag *d) BL_MUST_CHECK;

/* A person undoes applied action id: state "undone", with who, when and their note as
 * the decision (the field itself is set back by the caller). *changed 0 when the action
 * was no longer applied. */
int bl_store_stock_action_undo(struct bl_store *st, int64_t org, int64_t id, int64_t at,
                               const char *by, const char *note, int64_t *changed,
                               struct bl_diag *d) BL_MUST_CHECK;

/* A stored action, for listing: strings point into the caller's arena. */
struct bl_stock_action {
    int64_t id;
    enum bl_pb_kind kind;
    bool kind_known;
    bool shop; /* the target is a shop (vacation), else a SKU */
    const char *kind_text, *target, *field, *state, *reason; /* reason: " / " close reason */
    int64_t before, after, as_of;
    const char *why, *close_reason; /* the reason alone; close_reason NULL while open */
    int64_t proposed_at, applied_at, closed_at, decided_at; /* BL_STOCK_NULL: not yet */
    const char *decided_by, *decision_note;                 /* NULL: none */
    const char *data;        /* the numbers behind the reason, JSON text (NULL: none) */
    const char *target_name; /* the SKU's or the shop's name */
    /* a what-if's action (migration 28): source_id's and dest_id's names (the supplier's
     * or the warehouse's; NULL: none), the days (BL_STOCK_NULL: none) */
    const char *source_name, *dest_name;
    int64_t by_day, until_day;
    /* migration 31: the plan that proposed it in words, the shop it is for (a handling
     * hold's, or the target shop's): its ext id and name (NULL: none) */
    const char *plan, *shop_ext, *shop_name;
};

/* Which actions to list: by SKU ext id and state (NULL or "": any), one id (0: any),
 * those after id `after` (0: from the first), at most limit (< 0: all). */
struct bl_stock_action_filter {
    const char *sku, *state;
    int64_t id, after, limit;
    const char *plan, *kind, *shop; /* the plan's words, a kind's name, a shop's ext id
                                       (NULL or "": any) */
};

/* Proposed action id expires (stock_decide.c): state "expired", closed_at = at, why as
 * close_reason, cycle_id the cycle that expired it (0: left as it is; a what-if's action
 * has none before); *changed 0 when it was no longer proposed. */
int bl_store_stock_action_expire(struct bl_store *st, int64_t org, int64_t id, int64_t at,
                                 int64_t cycle_id, const char *why, int64_t *changed,
                                 struct bl_diag *d) BL_MUST_CHECK;

/* The org's actions in id order, filtered; *out from a (arena-owned). */
int bl_store_stock_actions(struct bl_store *st, int64_t org, const struct bl_stock_action_filter *f,
                           struct bl_arena *a, struct bl_stock_action **out, size_t *n,
                           struct bl_diag *d) BL_MUST_CHECK;

/* The sales history (history.h's arrays) from sales_daily: one series per SKU (summed
 * over shops), days from `since` (a day number; INT64_MIN: all) to the last day any SKU
 * sold; in_stock = 0 on a day marks it out of stock for the SKU. SKUs are named by their
 * external id; h->market[k] is the markets of the shops SKU k sold in (the countries of
 * their currencies, bl_fc_currency_market), NULL when none is known. An organisation
 * that imported no daily sales has its orders' (sales_orders.h): *from_orders says so.
 * BL_EEMPTY when there are no sales. Free h with bl_history_release. */
/* Adds the market of a shop selling in currency to *market ("GB", then "GB CN"; once
 * each), a new string in a when it grows. BL_ENOMEM. */
int bl_store_market_add(struct bl_arena *a, const char **market,
                        struct bl_str currency) BL_MUST_CHECK;
int bl_store_stock_history(struct bl_store *st, int64_t org, int64_t since, struct bl_history *h,
                           bool *from_orders, struct bl_diag *d) BL_MUST_CHECK;

/* Sets the organisation's mode for an action kind (table action_policy). */
int bl_store_stock_policy_set(struct bl_store *st, int64_t org, enum bl_pb_kind kind,
                              enum bl_pb_mode mode, struct bl_diag *d) BL_MUST_CHECK;

#endif
