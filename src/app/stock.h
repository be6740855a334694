/* stock.h - demand and stock use cases: plan, alerts, the stock-out playbook and its
 * actions (docs/internals/replenish.md, playbook.md, app.md).
 *
 * The three daily steps share one load. bl_app_stock_day_open loads the organisation's
 * snapshot for an as-of day (store/stock.h), forecasts every SKU (in parallel) and plans
 * (bl_rp_plan); bl_app_plan, bl_app_alerts and bl_app_playbook then take the open day
 * in req->day, one after another, and store their results. Without req->day each opens
 * (and its res owns) a day of its own from req->opts. The daily cycle opens one day
 * with opts.playbook set and calls plan, alerts and playbook on it; a day runs the
 * playbook at most once (its open actions are those of the load).
 *
 * Results are typed: indexes into the day's SKUs, suppliers and shops (names are
 * in day->snap), numbers and reason codes; bl_app_stock_alert_text and
 * bl_app_stock_action_text render the English sentences stored in
 * stock_alert.message and action.reason (the one place they are written).
 *
 * Ownership: a day is the caller's, freed with bl_app_stock_day_close (safe on a
 * zeroed or failed day). A res borrows from the day it names (res->day): keep the day
 * open while reading it; do not copy a res (res->day may point into it). Free each
 * res with its _release. */
#ifndef BL_APP_STOCK_H
#define BL_APP_STOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/forecast.h"
#include "ballast/history.h"
#include "ballast/playbook.h"
#include "ballast/replenish.h"
#include "store/stock.h"

struct bl_app_stock_opts {
    int64_t as_of;                /* day number */
    enum bl_fc_model model;       /* default auto */
    size_t window;                /* history days fed to the forecaster, default 91 */
    size_t nsims;                 /* bootstrap paths, default 10 (quantiles unused) */
    size_t threads;               /* forecasting threads, default 2 */
    const char *default_supplier; /* ext id for SKUs without a PO history, or NULL */
    int quantile;                 /* BL_RP_SS_QUANTILE: 90 or 95 (lt_p90/lt_p95) */
    struct bl_rp_policy policy;
    struct bl_pb_policy pb; /* modes overridden by the action_policy table */
    bool playbook;          /* load the playbook's inputs too (default true) */
    /* The event calendar of the forecast, as `ballast forecast`'s: events_path is read
     * by bl_app_stock_day_open (NULL: the default data/events.csv, "none": none), which
     * then sets events/nevents and market (per SKU: its shops' markets, NULL entries or
     * array: unknown) for bl_app_stock_forecast_all; all borrowed. */
    const char *events_path;
    const struct bl_fc_event *events;
    size_t nevents;
    const char *const *market;
};

void bl_app_stock_opts_init(struct bl_app_stock_opts *o);

struct bl_app_stock_day {
    int64_t org;
    struct bl_app_stock_opts opts;
    struct bl_stock_snap snap; /* names, ids and the engine's inputs */
    struct bl_pb_policy pb;    /* opts.pb with the organisation's modes */
    enum bl_fc_model *model;   /* per SKU: the model used */
    struct bl_rp_plan *plans;  /* per SKU (snap.arena) */
    const char **dis_place;    /* per disruption: "Zhejiang (CN-ZJ)", or the code (snap.arena) */
    bool playbook_ran;
    double secs_load, secs_forecast, secs_plan, secs_playbook;
    struct bl_events events; /* the calendar of opts.events */
    struct bl_l10n *l10n;    /* the texts' money formatters, kept for the day (NULL: none) */
};

/* Loads, forecasts and plans. BL_ENOTFOUND: opts.default_supplier unknown. */
int bl_app_stock_day_open(struct bl_store *st, int64_t org, const struct bl_app_stock_opts *o,
                          struct bl_app_stock_day *day, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_stock_day_close(struct bl_app_stock_day *day);

/* Forecasts every SKU's daily demand in o->threads threads: units[k * window ...],
 * in_stock likewise (may be NULL); writes rp[k].daily_mean/daily_sigma (and the
 * lead-time excess for the quantile policy) and model[k]. */
int bl_app_stock_forecast_all(size_t nskus, const double *units, const bool *in_stock,
                              size_t window, int64_t first_day, const struct bl_app_stock_opts *o,
                              struct bl_rp_sku *rp, enum bl_fc_model *model,
                              struct bl_diag *d) BL_MUST_CHECK;

/* ---------------------------------------------------------------- plan */

struct bl_app_plan_req {
    int64_t now, cycle_id;
    struct bl_app_stock_day *day; /* NULL: open one from opts */
    struct bl_app_stock_opts opts;
    bool save; /* replace the day's plan_line rows */
};

struct bl_app_plan_res {
    const struct bl_app_stock_day *day; /* day->plans[k] for SKU k */
    size_t stored;                      /* plan_line rows written */
    struct bl_app_stock_day own;
};

int bl_app_plan(struct bl_store *st, int64_t org, const struct bl_app_plan_req *req,
                struct bl_app_plan_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_plan_res_release(struct bl_app_plan_res *res);

/* ---------------------------------------------------------------- alerts */

enum bl_app_stock_alert_kind {
    BL_APP_ALERT_LOW_STOCK = 0, /* value: units available */
    BL_APP_ALERT_STOCKOUT,      /* value: days until the stock-out */
    BL_APP_ALERT_STOCKING,      /* price review passed, nothing coming; value 0 */
    BL_APP_ALERT_REORDER,       /* value: units to order (0 without a supplier) */
    BL_APP_ALERT_OVERDUE,       /* an open PO past its ETA; value: days the latest is late */
    BL_APP_ALERT_NKINDS
};

enum bl_app_stock_alert_why {
    BL_APP_ALERT_PLAIN = 0,
    BL_APP_ALERT_NO_SUPPLIER, /* stock-out/reorder: no supplier can deliver */
    BL_APP_ALERT_TOO_LATE,    /* stock-out: an order placed today arrives too late */
    BL_APP_ALERT_BACKUP,      /* reorder: from the backup supplier */
    BL_APP_ALERT_DROPPED      /* overdue: more than the policy's overdue_days late, the PO
                                 is no longer counted as arriving */
};

/* "low_stock", "stockout", "stocking_reminder", "reorder", "overdue_po" (as stored). */
const char *bl_app_stock_alert_name(enum bl_app_stock_alert_kind k);

struct bl_app_stock_alert {
    size_t sku; /* index in day->snap */
    enum bl_app_stock_alert_kind kind;
    enum bl_app_stock_alert_why why;
    int64_t value;
};

/* The latest of SKU k's overdue open POs (docs/metrics.md "Overdue purchase orders"): its
 * number, its supplier's name (else id; NULL: none), due day, days late, whether it still
 * counts as arriving (and until which day), its units, and how many of the SKU's POs are
 * overdue (n 0: none; the rest unset). Strings borrowed from day->snap. */
struct bl_app_overdue_po {
    size_t n;
    const char *po, *supplier;
    int64_t due_day, days_late, until_day, qty;
    bool counted;
};
void bl_app_stock_overdue(const struct bl_app_stock_day *day, size_t k,
                          struct bl_app_overdue_po *o);

struct bl_app_alerts_req {
    int64_t now, cycle_id;
    struct bl_app_stock_day *day;
    struct bl_app_stock_opts opts;
    bool save; /* replace the day's stock_alert rows */
};

struct bl_app_alerts_res {
    const struct bl_app_stock_day *day;
    struct bl_app_stock_alert *alerts; /* SKU order, then kind order */
    size_t n;
    struct bl_app_stock_day own;
};

int bl_app_alerts(struct bl_store *st, int64_t org, const struct bl_app_alerts_req *req,
                  struct bl_app_alerts_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_alerts_res_release(struct bl_app_alerts_res *res);

/* The alert's sentence (as stored in stock_alert.message); returns buf. */
const char *bl_app_stock_alert_text(const struct bl_app_stock_day *day,
                                    const struct bl_app_stock_alert *a, char *buf, size_t cap);

/* ---------------------------------------------------------------- playbook */

enum bl_app_action_outcome {
    BL_APP_ACT_TO_APPLY = 0, /* not stored (no apply): would be applied */
    BL_APP_ACT_TO_PROPOSE,   /* ... would be proposed */
    BL_APP_ACT_PENDING,      /* ... a revert or withdrawal not done */
    BL_APP_ACT_APPLIED,
    BL_APP_ACT_PROPOSED,
    BL_APP_ACT_REVERTED,
    BL_APP_ACT_WITHDRAWN
};

struct bl_app_playbook_req {
    int64_t now, cycle_id;
    struct bl_app_stock_day *day; /* opened with opts.playbook */
    struct bl_app_stock_opts opts;
    bool apply; /* store the actions and change the fields */
};

struct bl_app_playbook_res {
    const struct bl_app_stock_day *day;
    const struct bl_pb_action *acts;     /* day-owned; target indexes day->snap's SKUs/shops */
    enum bl_app_action_outcome *outcome; /* per action */
    int64_t *id;                         /* per action: the stored id (0: none) */
    size_t n;
    size_t added, closed; /* rows inserted, actions reverted or withdrawn */
    struct bl_app_stock_day own;
};

int bl_app_playbook(struct bl_store *st, int64_t org, const struct bl_app_playbook_req *req,
                    struct bl_app_playbook_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_playbook_res_release(struct bl_app_playbook_res *res);

/* The action's sentence (as stored in action.reason or close_reason); returns buf. */
const char *bl_app_stock_action_text(const struct bl_pb_action *x, char *buf, size_t cap);

/* The field a kind changes: "listing", "promoted", ... */
const char *bl_app_action_field(enum bl_pb_kind k);

/* ---------------------------------------------------------------- actions */

struct bl_app_actions_req {
    const char *sku, *state; /* filters, NULL: any */
    int64_t id;              /* only this action; 0: any */
    int64_t after;           /* the id of the last action of the page before; 0: the first */
    int64_t limit;           /* at most this many; 0 or < 0: all */
    const char *kind, *plan, *shop; /* a kind's name, a what-if's plan (action.plan), a
                                       shop's id (NULL: any) */
};

struct bl_app_actions_res {
    struct bl_stock_action *rows; /* in id order (arena) */
    size_t n;
    struct bl_arena arena;
};

int bl_app_actions(struct bl_store *st, int64_t org, const struct bl_app_actions_req *req,
                   struct bl_app_actions_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_actions_res_release(struct bl_app_actions_res *res);

/* A person's decision on a proposed action (approve applies its change; reject leaves
 * the field as it is and keeps the playbook from proposing the same change again while
 * its condition holds). */
struct bl_app_action_approve_req {
    int64_t now;
    int64_t id;
    const char *by;   /* who decided ("API token 'ops desk'", the local user); NULL: none */
    const char *note; /* why, as the person wrote it; NULL: none */
};

/* Why a decision was refused. */
enum bl_app_action_refusal {
    BL_APP_ACTION_DECIDED = 0, /* (not refused) */
    BL_APP_ACTION_NO_SUCH,     /* BL_ENOTFOUND: no action with that id in the organisation */
    BL_APP_ACTION_NOT_PROPOSED, /* BL_ECONFLICT: it is applied, rejected, reverted or withdrawn */
    BL_APP_ACTION_NOT_APPLIED   /* BL_ECONFLICT (revert): it is not applied now */
};

struct bl_app_action_approve_res {
    enum bl_pb_kind kind;
    int64_t target_id, value; /* the field's new value (approve) */
    enum bl_app_action_refusal refusal;
    char state[16];     /* the action's state now (refused: the state that refused it) */
    int64_t decided_at; /* refused: when it was decided before (BL_STOCK_NULL: by the
                           playbook itself, at proposed_at) */
    struct bl_stock_action_head head; /* the action as read before deciding */
};

/* Applies proposed action id (a purchase order or a transfer from a what-if's plan: an
 * inbound purchase order the plan counts; a transfer also reserves its units at the
 * source; bl_store_stock_action_do). BL_ENOTFOUND: no such action; BL_ECONFLICT: it is not
 * proposed (approved or rejected already, or closed by the playbook). */
int bl_app_action_approve(struct bl_store *st, int64_t org,
                          const struct bl_app_action_approve_req *req,
                          struct bl_app_action_approve_res *res, struct bl_diag *d) BL_MUST_CHECK;
/* Rejects proposed action id: state rejected, no field changes. Errors as approve. */
int bl_app_action_reject(struct bl_store *st, int64_t org,
                         const struct bl_app_action_approve_req *req,
                         struct bl_app_action_approve_res *res, struct bl_diag *d) BL_MUST_CHECK;

/* A person reverts applied action id: its field goes back to the value before it (in the
 * same transaction), state "undone" with who, when and the note as the decision. The
 * playbook counts an undone action as open, as a rejected one, so it does not make the
 * same change again while its condition holds, and withdraws it when the condition ends.
 * BL_ENOTFOUND: no such action; BL_ECONFLICT: it is not applied (proposed, rejected,
 * reverted, withdrawn or undone already; or a purchase order or transfer, which once
 * placed is not undone here). res->value is the field's value now. */
int bl_app_action_revert(struct bl_store *st, int64_t org,
                         const struct bl_app_action_approve_req *req,
                         struct bl_app_action_approve_res *res, struct bl_diag *d) BL_MUST_CHECK;

/* When an action of this kind is undone, in words ("when the SKU is back in stock"), and
 * as a code ("restock", "stock_back", "disruption_end", "shop_stock_back"). */
const char *bl_app_action_reverts_when(enum bl_pb_kind k, const char **code);

struct bl_app_action_policy_req {
    enum bl_pb_kind kind;
    enum bl_pb_mode mode;
};

int bl_app_action_policy(struct bl_store *st, int64_t org,
                         const struct bl_app_action_policy_req *req,
                         struct bl_diag *d) BL_MUST_CHECK;

#endif
