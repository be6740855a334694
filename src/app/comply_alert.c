/* comply_alert.c - a threshold crossed is an alert, once (comply.h): stored in the alert
 * table (kinds comply_near, comply_over, comply_next_year) with the cycle's id, and raised as the
 * webhook event alert.raised in the same transaction. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "app/comply.h"
#include "app/hook.h"
#include "app/hook_impl.h"
#include "ballast/app.h"
#include "ballast/money.h"
#include "ballast/time.h"
#include "store/comply.h"

/* One alert per crossing: the jurisdiction, the period it was crossed in (the year, or
 * the day for a twelve-month window) and the seller. */
static void ref(const struct bl_app_comply_item *it, const struct bl_comply_cross *c, char *out,
                size_t cap)
{
    char day[BL_ISO_MAX];
    bl_date_format(c->day, day);
    if (it->st.crossed_in != BL_COMPLY_WINDOW)
        day[4] = '\0'; /* the year */
    snprintf(out, cap, "%s:%s:%lld", it->rule->code, day, (long long)it->shop_id);
}

static json_t *event(const struct bl_app_comply_item *it, const struct bl_comply_cross *c,
                     const char *kind, const char *msg)
{
    char day[BL_ISO_MAX], amount[48];
    bl_date_format(c->day, day);
    if (bl_money_format(c->amount, it->rule->exponent, amount, sizeof(amount)) < 0)
        amount[0] = '\0';
    json_t *shop = it->shop ? json_string(it->shop) : json_null();
    return json_pack("{s:{s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:I, s:I, s:s}}", "alert",
                     "kind", kind, "jurisdiction", it->rule->code, "name", it->rule->name,
                     "status", bl_comply_statuses[it->st.status], "day", day, "shop",
                     shop ? shop : json_null(), "amount", amount, "currency",
                     it->rule->currency, "transactions", (json_int_t)c->count, "progress_bp",
                     (json_int_t)it->st.progress_bp, "message", msg);
}

static int one(struct bl_store *st, int64_t org, const struct bl_app_comply_req *req,
               int64_t now, struct bl_app_comply_item *it, struct bl_diag *d)
{
    const struct bl_comply_cross *c = bl_comply_crossing(&it->st);
    if (!c)
        return BL_OK;
    const char *kind = it->st.status == BL_COMPLY_NEAR        ? "comply_near"
                       : it->st.status == BL_COMPLY_NEXT_YEAR ? "comply_next_year"
                                                              : "comply_over";
    char r[96], msg[600];
    ref(it, c, r, sizeof(r));
    bl_app_comply_message(it->rule, &it->st, msg, sizeof(msg));
    struct bl_comply_alert a = {kind, it->shop_id, r, msg, req->as_of, now, req->cycle_id};
    bool added = false;
    int rc = bl_store_comply_alert_add(st, org, &a, &added, d);
    it->alert = added ? BL_APP_COMPLY_ALERT_NEW : BL_APP_COMPLY_ALERT_BEFORE;
    if (rc || !added)
        return rc;
    char dedup[128];
    snprintf(dedup, sizeof(dedup), "%s:%s", kind, r);
    int64_t id;
    return bl__hook_raise(st, org, bl_app_hook_types[BL_HOOK_ALERT_RAISED],
                          event(it, c, kind, msg), dedup, now, 0, &id, d);
}

int bl__comply_save(struct bl_store *st, int64_t org, const struct bl_app_comply_req *req,
                    struct bl_app_comply_res *res, struct bl_diag *d)
{
    int64_t now = req->now ? req->now : bl_app_now();
    int rc = bl_store_begin(st, d);
    for (size_t i = 0; !rc && i < res->n; i++) {
        rc = one(st, org, req, now, &res->items[i], d);
        res->alerts_new += res->items[i].alert == BL_APP_COMPLY_ALERT_NEW;
        res->alerts_before += res->items[i].alert == BL_APP_COMPLY_ALERT_BEFORE;
    }
    return bl_store_end(st, rc, d);
}
