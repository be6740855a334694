/* h_dash.c - reads the dashboard's pages stand on (issue 17): a shop's rules day by day
 * (bl_app_assess_trend), one SKU's daily sales (bl_app_sales), the catalogue's delivery
 * windows against real deliveries (bl_app_windows). */
#include <math.h>
#include <string.h>

#include <microhttpd.h>

#include "api/h_supply.h"
#include "app/assess.h"
#include "app/catalog.h"
#include "app/logistics.h"
#include "ballast/region.h"
#include "ballast/time.h"

static json_t *num(double v)
{
    return isnan(v) || isinf(v) ? json_null() : json_real(round(v * 1e6) / 1e6);
}

/* The profile's rules: what each day's values are measured against. */
static json_t *trend_rules(const struct bl_app_assess_trend_res *res)
{
    json_t *list = json_array();
    for (size_t q = 0; list && q < res->prof->nrules; q++) {
        const struct bl_rule *r = &res->prof->rules[q];
        int w = r->window_days ? r->window_days : res->window;
        bl__sup_push(&list, json_pack("{s:s, s:i, s:o, s:b}", "metric", bl_metric_name(r->metric),
                                      "window_days", w, "target",
                                      r->has_target ? num(r->target) : json_null(),
                                      "lower_is_better", bl_metric_lower_better(r->metric)));
    }
    return list;
}

static json_t *trend_day(const struct bl_app_assess_trend_res *res, const struct bl_assess_day *x)
{
    json_t *rules = json_array();
    for (size_t q = 0; rules && q < res->prof->nrules; q++) {
        const struct bl_rule_result *v = &x->rules[q];
        bl__sup_push(&rules, json_pack("{s:s, s:o, s:s, s:I, s:I, s:I, s:I, s:I}", "metric",
                                       bl_metric_name(res->prof->rules[q].metric), "value",
                                       num(v->value), "status", bl_rule_status_name(v->status),
                                       "counted", (json_int_t)v->counted, "exempt",
                                       (json_int_t)v->exempt, "kept", (json_int_t)v->kept, "num",
                                       (json_int_t)v->num, "den", (json_int_t)v->den));
    }
    char date[BL_ISO_MAX];
    int64_t t = x->as_of - 1; /* the day the instant ends */
    int64_t day = t >= 0 ? t / BL_DAY_SECS : -((-t + BL_DAY_SECS - 1) / BL_DAY_SECS);
    return json_pack("{s:s, s:o, s:o, s:s?, s:b, s:o}", "date", bl_date_format(day, date), "as_of",
                     bl__api_time(x->as_of), "score", num(x->score), "rating",
                     x->rating[0] ? x->rating : NULL, "enough", x->enough, "rules", rules);
}

unsigned bl__h_assess_trend(struct bl__api_call *c)
{
    struct bl_app_assess_trend_req req = {.profile = bl__api_query(c, "profile"),
                                          .shop = bl__api_param(c, 0)};
    int64_t days;
    unsigned st = bl__api_query_time(c, "as_of", c->now, &req.as_of);
    st = st ? st : bl__api_query_int(c, "days", 1, BL_APP_TREND_MAX_DAYS, 90, &days);
    st = st ? st : bl__api_shop_check(c, req.shop);
    if (st)
        return st;
    req.days = (size_t)days;
    struct bl_app_assess_trend_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_assess_trend(c->st, c->org, &req, &res, &d);
    if (rc) {
        st = bl__api_fail(c, rc, &d);
        bl_app_assess_trend_release(&res);
        return st;
    }
    json_t *list = json_array();
    for (size_t i = 0; list && i < res.ndays; i++)
        bl__sup_push(&list, trend_day(&res, &res.days[i]));
    json_t *rules = trend_rules(&res);
    st = bl__api_json(c, MHD_HTTP_OK,
                      list && rules
                          ? json_pack("{s:s, s:s, s:i, s:o, s:o, s:o}", "shop", res.shop, "profile",
                                      res.profile, "window_days", res.window, "as_of",
                                      bl__api_time(req.as_of), "rules", rules, "days", list)
                          : (json_decref(list), json_decref(rules), NULL));
    bl_app_assess_trend_release(&res);
    return st;
}

unsigned bl__h_sales(struct bl__api_call *c)
{
    struct bl_app_sales_req req = {.sku = bl__api_query(c, "sku")};
    int64_t days;
    unsigned st = bl__sup_as_of_day(c, &req.until);
    st = st ? st : bl__api_query_int(c, "days", 1, BL_APP_SALES_MAX_DAYS, 90, &days);
    if (!st && !req.sku)
        st = bl__api_error(c, MHD_HTTP_BAD_REQUEST, "missing", "sku", "sku: which SKU?");
    if (st)
        return st;
    req.days = (size_t)days;
    struct bl_app_sales_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_sales(c->st, c->org, &req, &res, &d);
    if (rc) {
        st = res.reason == BL_APP_CATALOG_UNKNOWN_SKU
                 ? bl__api_error(c, MHD_HTTP_NOT_FOUND, "not_found", "sku", "%s", d.msg)
                 : bl__api_fail(c, rc, &d);
        bl_app_sales_res_release(&res);
        return st;
    }
    json_t *list = json_array();
    for (size_t i = 0; list && i < res.ndays; i++) {
        char date[BL_ISO_MAX];
        bl__sup_push(&list, json_pack("{s:s, s:I, s:b}", "date",
                                      bl_date_format(res.first_day + (int64_t)i, date), "units",
                                      (json_int_t)res.units[i], "out_of_stock", res.out[i]));
    }
    char from[BL_ISO_MAX], to[BL_ISO_MAX];
    st = bl__api_json(c, MHD_HTTP_OK,
                      list ? json_pack("{s:s, s:s, s:s, s:I, s:I, s:o}", "sku", req.sku, "from",
                                       bl_date_format(res.first_day, from), "to",
                                       bl_date_format(req.until - 1, to), "total",
                                       (json_int_t)res.total, "days_out_of_stock",
                                       (json_int_t)res.days_out, "days", list)
                           : NULL);
    bl_app_sales_res_release(&res);
    return st;
}

static json_t *window_json(const struct bl_app_windows_group *g)
{
    return json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:o}", "to", g->to, "orders",
                     (json_int_t)g->orders, "early", (json_int_t)g->early, "inside",
                     (json_int_t)g->inside, "late", (json_int_t)g->late, "no_channel",
                     (json_int_t)g->no_channel, "median_business_days",
                     g->has_median ? json_integer((json_int_t)g->median_bdays) : json_null());
}

unsigned bl__h_windows(struct bl__api_call *c)
{
    char from[BL_REGION_MAX] = "";
    const char *v = bl__api_query(c, "from");
    struct bl_diag d;
    bl_diag_clear(&d);
    if (v && bl_region_parse(bl_str_c(v), from, &d))
        return bl__api_error(c, MHD_HTTP_BAD_REQUEST, "invalid", "from", "from: %s", d.msg);
    struct bl_app_windows_req req = {NULL, bl__api_query(c, "channel"), from[0] ? from : NULL, NULL,
                                     NULL};
    struct bl_app_windows_res own;
    const struct bl_app_windows_res *res = &own;
    struct bl__api_stock_ref ref = {0};
    memset(&own, 0, sizeof(own));
    /* without filters: computed once per data generation and kept (stock_cache.c) */
    int rc = req.channel || req.from ? bl_app_windows(c->st, c->org, &req, &own, &d)
                                     : bl__api_windows_get(c, &ref, &d);
    if (ref.win)
        res = ref.win;
    if (rc) {
        bl_app_windows_res_release(&own);
        bl__api_stock_put(c, &ref);
        if (rc == BL_ENOTFOUND && req.channel)
            return bl__api_error(c, MHD_HTTP_NOT_FOUND, "not_found", "channel", "%s", d.msg);
        return bl__api_fail(c, rc, &d);
    }
    json_t *list = json_array(), *total = json_null();
    for (size_t k = 0; list && k < res->n; k++) {
        if (strcmp(res->g[k].to, "all") == 0) {
            json_decref(total);
            total = window_json(&res->g[k]);
        } else {
            bl__sup_push(&list, window_json(&res->g[k]));
        }
    }
    json_int_t skipped = (json_int_t)res->skipped;
    /* kept ones: the data generation they were computed at, and whether it is older than
     * now's (given while the new ones are computed) */
    json_t *gen = ref.e && ref.gen >= 0 ? json_integer((json_int_t)ref.gen) : json_null();
    bool stale = ref.e && ref.stale;
    bl_app_windows_res_release(&own);
    bl__api_stock_put(c, &ref);
    return bl__api_json(c, MHD_HTTP_OK,
                        list ? json_pack("{s:o, s:o, s:I, s:o, s:b}", "windows", list, "total",
                                         total, "skipped", skipped, "as_of_generation", gen,
                                         "stale", stale)
                             : (json_decref(total), json_decref(gen), NULL));
}
