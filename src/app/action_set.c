/* action_set.c - proposed actions decided a set at once, all or nothing (action_set.h). */
#include <stdio.h>
#include <string.h>

#include "app/action_set.h"
#include "app/audit.h"
#include "app/stock_impl.h"
#include "ballast/app.h"
#include "ballast/time.h"

/* "a transfer of Pro drawer organiser, grey (SKU-00005) from Yiwu to Duisburg" */
static void action_words(const struct bl_stock_action *x, char *out, size_t cap)
{
    char what[300];
    if (x->target_name && x->target_name[0] && strcmp(x->target_name, x->target) != 0)
        snprintf(what, sizeof(what), "%s (%s)", x->target_name, x->target);
    else
        snprintf(what, sizeof(what), "%s", x->target);
    if (x->kind_known && x->kind == BL_PB_TRANSFER)
        snprintf(out, cap, "a transfer of %lld of %s from %s to %s", (long long)x->after, what,
                 x->source_name ? x->source_name : "?", x->dest_name ? x->dest_name : "?");
    else if (x->kind_known && x->kind == BL_PB_PURCHASE_ORDER)
        snprintf(out, cap, "a purchase order of %lld of %s from %s", (long long)x->after, what,
                 x->source_name ? x->source_name : "?");
    else if (x->kind_known && x->kind == BL_PB_HANDLING_UNTIL)
        snprintf(out, cap, "a longer handling time of %s", what);
    else if (x->kind_known && x->kind == BL_PB_REROUTE)
        snprintf(out, cap, "a reroute of %s's orders to a backup channel", what);
    else if (x->kind_known && x->kind == BL_PB_PROMOTION_UNTIL)
        snprintf(out, cap, "a pause of the paid promotion of %s", what);
    else
        snprintf(out, cap, "a %s action on %s", x->kind_text, what);
}

static int decide_each(struct bl_store *st, int64_t org, const struct bl_app_action_set_req *req,
                       const struct bl_stock_action *rows, size_t n,
                       struct bl_app_action_set_res *res, struct bl_diag *d)
{
    for (size_t i = 0; i < n; i++) {
        struct bl_app_action_approve_req one = {req->now, rows[i].id, req->by, req->note};
        struct bl_app_action_approve_res r;
        int rc = bl__action_decide_in(st, org, &one, req->reject, &r, d);
        if (rc) {
            char what[600], why[sizeof(d->msg)];
            action_words(&rows[i], what, sizeof(what));
            bl_str_copy(why, sizeof(why), bl_str_c(d->msg));
            res->failed = rows[i].id;
            res->refusal = r.refusal;
            return bl_diag_set(d, rc, "none of the %zu actions %s: action %lld, %s, cannot be: %s",
                               n, req->reject ? "rejected" : "approved", (long long)rows[i].id,
                               what, why);
        }
        res->ids[res->n++] = rows[i].id;
    }
    return BL_OK;
}

int bl_app_action_set(struct bl_store *st, int64_t org, const struct bl_app_action_set_req *req,
                      struct bl_app_action_set_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bool any =
        (req->plan && req->plan[0]) || (req->kind && req->kind[0]) || (req->shop && req->shop[0]);
    enum bl_pb_kind kind;
    if (!any && !req->all)
        return bl_diag_set(d, BL_EINVAL,
                           "which actions? name a plan, a kind or a shop, or say all of them");
    if (req->kind && req->kind[0] && bl_pb_kind_parse(req->kind, &kind))
        return bl_diag_set(d, BL_EINVAL, "'%s' is not a kind of action", req->kind);
    struct bl_arena a;
    bl_arena_init(&a, 1 << 14);
    struct bl_stock_action_filter f = {NULL, "proposed", 0, 0, -1, req->plan, req->kind, req->shop};
    struct bl_stock_action *rows = NULL;
    size_t n = 0;
    int rc = bl_store_begin(st, d);
    if (rc) {
        bl_arena_release(&a);
        return rc;
    }
    rc = bl_store_stock_actions(st, org, &f, &a, &rows, &n, d);
    if (!rc && n && !(res->ids = bl_calloc(n, sizeof(*res->ids))))
        rc = bl_diag_set(d, BL_ENOMEM, "actions: out of memory");
    if (!rc)
        rc = decide_each(st, org, req, rows, n, res, d);
    if (!rc)
        rc = bl_store_commit(st, d);
    else
        bl__stock_rollback(st);
    if (rc)
        res->n = 0;
    bl_arena_release(&a);
    return rc;
}

void bl_app_action_set_res_release(struct bl_app_action_set_res *res)
{
    bl_free(res->ids);
    memset(res, 0, sizeof(*res));
}

/* ---------------------------------------------------------------- expiry */

/* Whether proposal x is past its day on stock day `day`, and why in words. */
static bool expired_on(const struct bl_stock_action *x, int64_t day, char *why, size_t cap)
{
    char b[16];
    if (!x->kind_known)
        return false;
    if ((x->kind == BL_PB_PURCHASE_ORDER || x->kind == BL_PB_TRANSFER) &&
        x->by_day != BL_STOCK_NULL && x->by_day < day) {
        snprintf(why, cap, "expired: not approved by its %s day, %s",
                 x->kind == BL_PB_TRANSFER ? "ship-by" : "order-by", bl_date_format(x->by_day, b));
        return true;
    }
    if (bl_pb_kind_until(x->kind) && x->until_day != BL_STOCK_NULL && x->until_day <= day) {
        snprintf(why, cap, "expired: not approved before its end day, %s",
                 bl_date_format(x->until_day, b));
        return true;
    }
    return false;
}

static int expire_each(struct bl_store *st, int64_t org, int64_t day, int64_t at, int64_t cycle_id,
                       const struct bl_stock_action *rows, size_t nrows, json_t *list, size_t *n,
                       struct bl_diag *d)
{
    char why[200];
    for (size_t i = 0; i < nrows; i++) {
        if (!expired_on(&rows[i], day, why, sizeof(why)))
            continue;
        int64_t changed = 0;
        int rc = bl_store_stock_action_expire(st, org, rows[i].id, at, cycle_id, why, &changed, d);
        if (rc)
            return rc;
        if (changed == 1 &&
            json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s}", "id",
                                                  (json_int_t)rows[i].id, "kind", rows[i].kind_text,
                                                  "sku", rows[i].target, "why", why)))
            return bl_diag_set(d, BL_ENOMEM, "actions: out of memory");
        *n += changed == 1;
    }
    return BL_OK;
}

int bl_app_actions_expire(struct bl_store *st, int64_t org, int64_t day, int64_t now,
                          int64_t cycle_id, bool dry_run, size_t *n, struct bl_diag *d)
{
    *n = 0;
    struct bl_arena a;
    bl_arena_init(&a, 1 << 14);
    struct bl_stock_action_filter f = {NULL, "proposed", 0, 0, -1, NULL, NULL, NULL};
    struct bl_stock_action *rows = NULL;
    size_t nrows = 0;
    char why[200];
    int rc = bl_store_stock_actions(st, org, &f, &a, &rows, &nrows, d);
    if (rc || dry_run) {
        for (size_t i = 0; !rc && i < nrows; i++)
            *n += expired_on(&rows[i], day, why, sizeof(why));
        bl_arena_release(&a);
        return rc;
    }
    json_t *list = json_array();
    int64_t at = bl_app_now_or(now);
    rc = list ? bl_store_begin(st, d) : bl_diag_set(d, BL_ENOMEM, "actions: out of memory");
    if (!rc) {
        rc = expire_each(st, org, day, at, cycle_id, rows, nrows, list, n, d);
        if (!rc && *n)
            rc = bl_store_touch(st, org, d);
        if (!rc && *n)
            rc = bl_app_audit(st, org, at, "action.expire", "action", NULL, NULL,
                              json_pack("{s:O}", "actions", list), d);
        rc = bl_store_end(st, rc, d);
        if (rc)
            *n = 0;
    }
    json_decref(list);
    bl_arena_release(&a);
    return rc;
}
