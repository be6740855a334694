/* stock_playbook.c - the stock-out playbook of a day (propose or apply per the kind's
 * policy, revert on restock) and the actions' list, approval and policy (stock.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/hook_impl.h"
#include "app/audit.h"
#include "app/stock_impl.h"
#include "ballast/app.h"
#include "ballast/time.h"

const char *bl_app_action_field(enum bl_pb_kind k)
{
    switch (k) {
    case BL_PB_OUT_OF_STOCK:
    case BL_PB_DELIST:
        return "listing";
    case BL_PB_PAUSE_PROMOTION:
    case BL_PB_PROMOTION_UNTIL:
        return "promoted";
    case BL_PB_PAUSE_MAIL:
        return "marketing_mail_paused";
    case BL_PB_EXTEND_HANDLING:
    case BL_PB_HANDLING_UNTIL:
        return "handling_max";
    case BL_PB_PURCHASE_ORDER:
    case BL_PB_TRANSFER:
        return "inbound";
    case BL_PB_REROUTE:
        return "rerouted_orders";
    default:
        return "vacation";
    }
}

static int store_one(struct bl_store *st, const struct bl_app_stock_day *day,
                     const struct bl_app_playbook_req *req, int64_t now, size_t i,
                     struct bl_app_playbook_res *res, struct bl_diag *d)
{
    const struct bl_pb_action *x = &res->acts[i];
    const struct bl_stock_snap *s = &day->snap;
    int64_t target_id = x->shop ? s->shop_id[x->target] : s->sku_id[x->target];
    char why[400];
    bl_app_stock_action_text(x, why, sizeof(why));
    if (x->op != BL_PB_NEW) {
        bool revert = x->op == BL_PB_REVERT;
        int64_t expired = 0; /* a what-if's hold or pause still proposed on its end day */
        int rc = !revert && bl_pb_kind_until(x->kind)
                     ? bl_store_stock_action_expire(st, day->org, x->open_id, now, req->cycle_id,
                                                    why, &expired, d)
                     : BL_OK;
        char *data = NULL; /* the close's numbers beside the action's, for its words */
        if (!rc && !expired)
            rc = bl__stock_close_data(st, day->org, x, &data, d);
        if (!rc && !expired)
            rc = bl_store_stock_action_close(st, day->org, x->open_id,
                                             revert ? BL_PB_REVERTED : BL_PB_WITHDRAWN, now, why,
                                             data, d);
        free(data);
        if (!rc && revert)
            rc = bl_store_stock_set_field(st, day->org, x->kind, target_id, x->after, d);
        res->outcome[i] = revert ? BL_APP_ACT_REVERTED : BL_APP_ACT_WITHDRAWN;
        res->id[i] = x->open_id;
        res->closed += !rc;
        return rc;
    }
    bool apply = x->mode == BL_PB_APPLY;
    char data[400];
    bl__stock_action_data(x, s, data, sizeof(data), why, sizeof(why));
    struct bl_stock_action_row row = {x->kind,         x->shop, target_id,     x->before,
                                      x->after,        apply,   why,           data,
                                      day->opts.as_of, now,     req->cycle_id, NULL};
    int rc = bl_store_stock_action_add(st, day->org, &row, &res->id[i], d);
    if (!rc && apply)
        rc = bl_store_stock_set_field(st, day->org, x->kind, target_id, x->after, d);
    if (!rc && apply)
        rc = bl__hook_action(st, day->org, res->id[i], now, d);
    res->outcome[i] = apply ? BL_APP_ACT_APPLIED : BL_APP_ACT_PROPOSED;
    res->added += !rc;
    return rc;
}

/* The audit row of a playbook run: each action stored, its target and field from before
 * to after (none stored: no row). */
static int playbook_audit(struct bl_store *st, const struct bl_app_stock_day *day,
                          const struct bl_app_playbook_req *req,
                          const struct bl_app_playbook_res *res, struct bl_diag *d)
{
    static const char *const outcome[] = {"",         "",         "",         "applied",
                                          "proposed", "reverted", "withdrawn"};
    if (!res->n)
        return BL_OK;
    json_t *acts = json_array();
    for (size_t i = 0; acts && i < res->n; i++) {
        const struct bl_pb_action *x = &res->acts[i];
        const char *target = x->shop ? day->snap.shop_ext[x->target] : day->snap.sku_ext[x->target];
        if (json_array_append_new(
                acts, json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:I}", "id", (json_int_t)res->id[i],
                                "kind", bl_pb_kind_name(x->kind), x->shop ? "shop" : "sku", target,
                                "outcome", outcome[res->outcome[i]], "field",
                                bl_app_action_field(x->kind), "before", (json_int_t)x->before,
                                "after", (json_int_t)x->after)))
            json_decref(acts), acts = NULL;
    }
    return bl_app_audit(st, day->org, req->now, "action.apply", "action", NULL, NULL,
                        acts ? json_pack("{s:o}", "actions", acts) : NULL, d);
}

static int store_actions(struct bl_store *st, const struct bl_app_stock_day *day,
                         const struct bl_app_playbook_req *req, struct bl_app_playbook_res *res,
                         struct bl_diag *d)
{
    int64_t now = bl_app_now_or(req->now);
    int rc = bl_store_begin(st, d);
    for (size_t i = 0; i < res->n && !rc; i++)
        rc = store_one(st, day, req, now, i, res, d);
    if (!rc)
        rc = playbook_audit(st, day, req, res, d);
    if (!rc)
        rc = bl_store_commit(st, d);
    else
        bl__stock_rollback(st);
    if (rc) { /* nothing was stored */
        res->added = res->closed = 0;
        memset(res->id, 0, (res->n ? res->n : 1) * sizeof(*res->id));
    }
    return rc;
}

int bl_app_playbook(struct bl_store *st, int64_t org, const struct bl_app_playbook_req *req,
                    struct bl_app_playbook_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    struct bl_app_stock_day *day = NULL;
    int rc = bl__stock_use_day(st, org, req->day, &req->opts, &res->own, &day, d);
    res->day = day;
    if (rc)
        return rc;
    if (!day->opts.playbook)
        return bl_diag_set(d, BL_EINVAL, "playbook: the stock day was opened without its inputs");
    if (day->playbook_ran)
        return bl_diag_set(d, BL_EINVAL, "playbook: already run on this stock day");
    struct bl_stock_snap *s = &day->snap;
    struct bl_pb_input in = {day->opts.as_of, day->pb, day->plans, s->pb_skus, s->nskus, s->shops,
                             s->nshops,       s->dis,  s->ndis,    s->open,    s->nopen};
    struct bl_pb_action *acts = NULL;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = bl_pb_run(&in, &s->arena, &acts, &res->n, d);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    day->secs_playbook = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    day->playbook_ran = !rc;
    res->acts = acts;
    if (rc)
        return rc;
    res->outcome = bl_calloc(res->n ? res->n : 1, sizeof(*res->outcome));
    res->id = bl_calloc(res->n ? res->n : 1, sizeof(*res->id));
    if (!res->outcome || !res->id)
        return bl_diag_set(d, BL_ENOMEM, "playbook: out of memory");
    for (size_t i = 0; i < res->n; i++)
        res->outcome[i] = acts[i].op != BL_PB_NEW       ? BL_APP_ACT_PENDING
                          : acts[i].mode == BL_PB_APPLY ? BL_APP_ACT_TO_APPLY
                                                        : BL_APP_ACT_TO_PROPOSE;
    return req->apply ? store_actions(st, day, req, res, d) : BL_OK;
}

void bl_app_playbook_res_release(struct bl_app_playbook_res *res)
{
    bl_free(res->outcome);
    bl_free(res->id);
    bl_app_stock_day_close(&res->own);
    memset(res, 0, sizeof(*res));
}

/* ---------------------------------------------------------------- actions */

int bl_app_actions(struct bl_store *st, int64_t org, const struct bl_app_actions_req *req,
                   struct bl_app_actions_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 1 << 14);
    struct bl_stock_action_filter f = {
        req->sku,  req->state, req->id,  req->after, req->limit > 0 ? req->limit : -1,
        req->plan, req->kind,  req->shop};
    return bl_store_stock_actions(st, org, &f, &res->arena, &res->rows, &res->n, d);
}

void bl_app_actions_res_release(struct bl_app_actions_res *res)
{
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}

enum decision { APPROVE, REJECT, REVERT };

static const char *const decision_verb[] = {"approve", "reject", "revert"};

/* Action id's head into res, and whether it may be decided: BL_OK, or the refusal. */
static int decidable(struct bl_store *st, int64_t org, int64_t id, enum decision how,
                     struct bl_app_action_approve_res *res, struct bl_diag *d)
{
    struct bl_stock_action_head h;
    int rc = bl_store_stock_action_head(st, org, id, &h, d);
    if (rc)
        return rc;
    res->kind = h.kind;
    res->target_id = h.target_id;
    res->value = how == REVERT ? h.before : h.after;
    res->decided_at = h.decided_at;
    bl_str_copy(res->state, sizeof(res->state), bl_str_c(h.state));
    if (!h.found) {
        res->refusal = BL_APP_ACTION_NO_SUCH;
        return bl_diag_set(d, BL_ENOTFOUND, "no action %lld (see 'ballast actions')",
                           (long long)id);
    }
    res->head = h;
    bool done_kind = h.kind == BL_PB_PURCHASE_ORDER || h.kind == BL_PB_TRANSFER;
    if (how == REVERT && done_kind && strcmp(h.state, "applied") == 0) {
        res->refusal = BL_APP_ACTION_NOT_APPLIED;
        return bl_diag_set(d, BL_ECONFLICT,
                           "action %lld cannot be reverted: the %s is placed (cancel it with "
                           "the %s, then import the inbound purchase orders without it)",
                           (long long)id, h.kind == BL_PB_TRANSFER ? "transfer" : "purchase order",
                           h.kind == BL_PB_TRANSFER ? "warehouses" : "supplier");
    }
    int64_t held = 0, paused = 0;
    if (how == APPROVE && h.kind == BL_PB_HANDLING_UNTIL && strcmp(h.state, "proposed") == 0 &&
        (rc = bl_store_stock_action_held(st, org, h.target_id, id, &held, d)) != 0)
        return rc;
    if (how == APPROVE && h.kind == BL_PB_PROMOTION_UNTIL && strcmp(h.state, "proposed") == 0 &&
        (rc = bl_store_stock_action_paused(st, org, h.target_id, id, &paused, d)) != 0)
        return rc;
    if (paused) { /* one pause a SKU: each reverts to its own before */
        res->refusal = BL_APP_ACTION_NOT_PROPOSED;
        return bl_diag_set(d, BL_ECONFLICT,
                           "action %lld: the SKU's promotion is paused already by action "
                           "%lld (from a what-if): reject this one, or revert that one first",
                           (long long)id, (long long)paused);
    }
    if (held) { /* one hold a SKU: each reverts to its own before, so two would not */
        res->refusal = BL_APP_ACTION_NOT_PROPOSED;
        return bl_diag_set(d, BL_ECONFLICT,
                           "action %lld: the SKU's handling time is held already by action "
                           "%lld (from a what-if): reject this one, or revert that one first",
                           (long long)id, (long long)held);
    }
    if (strcmp(h.state, how == REVERT ? "applied" : "proposed") == 0)
        return BL_OK;
    res->refusal = how == REVERT ? BL_APP_ACTION_NOT_APPLIED : BL_APP_ACTION_NOT_PROPOSED;
    char when[BL_ISO_MAX];
    bl_time_format(h.decided_at != BL_STOCK_NULL ? h.decided_at : h.proposed_at, when);
    return bl_diag_set(d, BL_ECONFLICT, "no %s action %lld to %s: it is %s (since %s)",
                       how == REVERT ? "applied" : "proposed", (long long)id, decision_verb[how],
                       h.state, when);
}

/* The audit row of a decision: the state before and after, and the field's new value. */
static int decision_audit(struct bl_store *st, int64_t org,
                          const struct bl_app_action_approve_req *req, enum decision how,
                          const struct bl_app_action_approve_res *res, struct bl_diag *d)
{
    static const char *const action[] = {"action.approve", "action.reject", "action.revert"};
    static const char *const after[] = {"applied", "rejected", "undone"};
    json_t *to = how == REJECT
                     ? json_pack("{s:s}", "state", after[how])
                     : json_pack("{s:s, s:s, s:I}", "state", after[how], "field",
                                 bl_app_action_field(res->kind), "value", (json_int_t)res->value);
    return bl_app_audit_n(st, org, req->now, action[how], "action", req->id,
                          json_pack("{s:s}", "state", how == REVERT ? "applied" : "proposed"), to,
                          d);
}

/* The decision on action req->id inside the caller's transaction: BL_OK, or the refusal
 * (nothing of it is to be kept). */
static int decide_in(struct bl_store *st, int64_t org, const struct bl_app_action_approve_req *req,
                     enum decision how, struct bl_app_action_approve_res *res, struct bl_diag *d)
{
    int64_t at = bl_app_now_or(req->now), changed = 0;
    static const char *const state[] = {"applied", "rejected", "undone"};
    int rc = decidable(st, org, req->id, how, res, d);
    if (!rc && how == REVERT)
        rc = bl_store_stock_action_undo(st, org, req->id, at, req->by, req->note, &changed, d);
    else if (!rc)
        rc = bl_store_stock_action_decide(st, org, req->id, state[how], at, req->by, req->note,
                                          &changed, d);
    if (!rc && changed != 1) { /* decided by someone else between the read and the write */
        rc = decidable(st, org, req->id, how, res, d);
        if (!rc)
            rc = bl_diag_set(d, BL_ECONFLICT, "action %lld: decided meanwhile", (long long)req->id);
    }
    bool done_kind = res->kind == BL_PB_PURCHASE_ORDER || res->kind == BL_PB_TRANSFER;
    if (!rc && how == APPROVE && done_kind) { /* order it, or move it: the plan counts it */
        int64_t day_end = res->head.as_of * BL_DAY_SECS - 1;
        rc = bl_store_stock_action_do(st, org, req->id, &res->head, at < day_end ? at : day_end, d);
    } else if (!rc && how != REJECT)
        rc = bl_store_stock_set_field(st, org, res->kind, res->target_id, res->value, d);
    if (!rc && how == APPROVE)
        rc = bl__hook_action(st, org, req->id, at, d);
    if (!rc)
        rc = decision_audit(st, org, req, how, res, d);
    if (!rc) {
        bl_str_copy(res->state, sizeof(res->state), bl_str_c(state[how]));
        res->decided_at = at;
    }
    return rc;
}

int bl__action_decide_in(struct bl_store *st, int64_t org,
                         const struct bl_app_action_approve_req *req, bool reject,
                         struct bl_app_action_approve_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    res->decided_at = BL_STOCK_NULL;
    return decide_in(st, org, req, reject ? REJECT : APPROVE, res, d);
}

static int decide(struct bl_store *st, int64_t org, const struct bl_app_action_approve_req *req,
                  enum decision how, struct bl_app_action_approve_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    res->decided_at = BL_STOCK_NULL;
    int rc = bl_store_begin(st, d);
    if (rc)
        return rc;
    rc = decide_in(st, org, req, how, res, d);
    if (!rc)
        rc = bl_store_commit(st, d);
    else
        bl__stock_rollback(st);
    return rc;
}

int bl_app_action_approve(struct bl_store *st, int64_t org,
                          const struct bl_app_action_approve_req *req,
                          struct bl_app_action_approve_res *res, struct bl_diag *d)
{
    return decide(st, org, req, APPROVE, res, d);
}

int bl_app_action_reject(struct bl_store *st, int64_t org,
                         const struct bl_app_action_approve_req *req,
                         struct bl_app_action_approve_res *res, struct bl_diag *d)
{
    return decide(st, org, req, REJECT, res, d);
}

int bl_app_action_revert(struct bl_store *st, int64_t org,
                         const struct bl_app_action_approve_req *req,
                         struct bl_app_action_approve_res *res, struct bl_diag *d)
{
    return decide(st, org, req, REVERT, res, d);
}

const char *bl_app_action_reverts_when(enum bl_pb_kind k, const char **code)
{
    switch (k) {
    case BL_PB_OUT_OF_STOCK:
    case BL_PB_DELIST:
        *code = "restock";
        return "when the SKU has sellable stock again";
    case BL_PB_PAUSE_PROMOTION:
    case BL_PB_PAUSE_MAIL:
        *code = "stock_back";
        return "when no unavoidable stock-out is ahead any more";
    case BL_PB_EXTEND_HANDLING:
        *code = "disruption_end";
        return "when the ship-from region is no longer disrupted";
    case BL_PB_HANDLING_UNTIL:
    case BL_PB_PROMOTION_UNTIL:
        *code = "end_day";
        return "on its end day";
    case BL_PB_REROUTE:
        *code = "end_day";
        return "on its end day: the router stops sending the orders by it";
    case BL_PB_PURCHASE_ORDER:
    case BL_PB_TRANSFER:
        *code = "never";
        return "never: once approved it is placed";
    default:
        *code = "shop_stock_back";
        return "when one of the shop's SKUs has sellable stock again";
    }
}

int bl_app_action_policy(struct bl_store *st, int64_t org,
                         const struct bl_app_action_policy_req *req, struct bl_diag *d)
{
    if ((unsigned)req->kind >= BL_PB_NKINDS)
        return bl_diag_set(d, BL_EINVAL, "action policy: unknown kind");
    if (req->kind >= BL_PB_PURCHASE_ORDER)
        return bl_diag_set(d, BL_EINVAL,
                           "action policy: %s actions come from a what-if's plan and are always "
                           "proposed for a person to approve",
                           bl_pb_kind_name(req->kind));
    int rc = bl_store_begin(st, d);
    rc = rc ? rc : bl_store_stock_policy_set(st, org, req->kind, req->mode, d);
    const char *mode = req->mode == BL_PB_APPLY ? "apply" : "propose";
    rc = rc ? rc
            : bl_app_audit(st, org, 0, "action.policy", "action_policy", bl_pb_kind_name(req->kind),
                           NULL, json_pack("{s:s}", "mode", mode), d);
    return bl_store_end(st, rc, d);
}
