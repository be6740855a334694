/* h_assess_orders.c - the orders behind a shop's assessment, rule by rule: those that
 * count against it (what was promised, what happened) and those it exempts, with why
 * and the record behind it (bl_app_assess_orders). */
#include <string.h>

#include <microhttpd.h>

#include "api/handlers.h"
#include "app/assess.h"

static const char *const fail_whys[] = {
    [BL_APP_FAIL_SHIPPED_LATE] = "shipped_late",     [BL_APP_FAIL_NOT_SHIPPED] = "not_shipped",
    [BL_APP_FAIL_PICKUP_LATE] = "pickup_late",       [BL_APP_FAIL_NO_PICKUP] = "no_pickup",
    [BL_APP_FAIL_DELIVERED_LATE] = "delivered_late", [BL_APP_FAIL_NOT_DELIVERED] = "not_delivered",
    [BL_APP_FAIL_SELLER_CANCEL] = "seller_cancel",
};

static const char *const exempt_whys[] = {
    [BL_WHY_NOT_DUE] = "not_due",
    [BL_WHY_CANCELLED] = "cancelled",
    [BL_WHY_COUNTED] = "counted",
    [BL_WHY_PROTECTION] = "protection",
    [BL_WHY_DISRUPTION_ORIGIN] = "disruption_at_origin",
    [BL_WHY_DISRUPTION_DESTINATION] = "disruption_at_destination",
    [BL_WHY_NO_ORIGIN] = "no_origin",
    [BL_WHY_PLATFORM] = "fulfilled_by_platform",
};

static json_t *against_json(const struct bl_app_rule_orders *ro)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < ro->n; i++) {
        const struct bl_app_failing_order *f = &ro->v[i];
        if (json_array_append_new(a, json_pack("{s:s, s:s, s:o, s:o}", "order", f->order, "why",
                                               fail_whys[f->why], "promised", bl__api_time(f->due),
                                               "happened", bl__api_time(f->at))))
            json_decref(a), a = NULL;
    }
    return a;
}

static json_t *exempt_json(const struct bl_app_rule_orders *ro)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < ro->nexempt; i++) {
        const struct bl_app_exempt_order *x = &ro->exempt[i];
        bool dis = x->why == BL_WHY_DISRUPTION_ORIGIN || x->why == BL_WHY_DISRUPTION_DESTINATION;
        json_t *cause = !x->cause_id
                            ? json_null()
                            : json_pack("{s:s, s:I}", "kind", dis ? "disruption" : "protection",
                                        "id", (json_int_t)x->cause_id);
        if (json_array_append_new(a, json_pack("{s:s, s:s, s:o, s:o}", "order", x->order, "why",
                                               exempt_whys[x->why], "promised",
                                               bl__api_time(x->due), "cause", cause)))
            json_decref(a), a = NULL;
    }
    return a;
}

static json_t *rules_json(const struct bl_app_assess_orders_res *res, const char *only)
{
    json_t *a = json_array();
    for (size_t q = 0; a && q < res->nrules; q++) {
        const char *metric = bl_metric_name(res->rules[q].metric);
        if (only && strcmp(only, metric) != 0)
            continue;
        const struct bl_app_rule_orders *ro = &res->rules[q];
        json_t *j = json_pack("{s:s, s:i, s:I, s:o, s:I, s:o}", "metric", metric, "window_days",
                              ro->window_days, "against_total", (json_int_t)ro->total, "against",
                              against_json(ro), "exempt_total", (json_int_t)ro->exempt_total,
                              "exempt", exempt_json(ro));
        if (json_array_append_new(a, j))
            json_decref(a), a = NULL;
    }
    return a;
}

unsigned bl__h_assess_orders(struct bl__api_call *c)
{
    struct bl_app_assess_orders_req req = {
        .profile = bl__api_query(c, "profile"), .shop = bl__api_param(c, 0), .exempt = true};
    const char *rule = bl__api_query(c, "rule");
    int64_t limit;
    unsigned st = bl__api_query_time(c, "as_of", c->now, &req.as_of);
    st = st ? st : bl__api_query_int(c, "limit", 1, 1000, 100, &limit);
    if (!st && rule && bl_metric_from_name(rule) == BL_M__COUNT)
        st = bl__api_error(c, MHD_HTTP_BAD_REQUEST, "invalid", "rule",
                           "rule: not a metric (late_shipment, on_time, pickup_anomaly, "
                           "valid_tracking, late_delivery, cancel...)");
    st = st ? st : bl__api_shop_check(c, req.shop);
    if (st)
        return st;
    req.limit = (size_t)limit;
    struct bl_app_assess_orders_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_assess_orders(c->st, c->org, &req, &res, &d);
    if (rc) {
        st = bl__api_fail(c, rc, &d);
        bl_app_assess_orders_release(&res);
        return st;
    }
    st = bl__api_json(c, MHD_HTTP_OK,
                      json_pack("{s:s, s:s, s:o, s:o}", "shop", res.shop, "profile", res.profile,
                                "as_of", bl__api_time(req.as_of), "rules", rules_json(&res, rule)));
    bl_app_assess_orders_release(&res);
    return st;
}
