/* h_stock.c - the catalogue, the stock on hand, demand forecasts, the replenishment plan
 * and the day's stock alerts (bl_app_skus, bl_app_stock_list, bl_app_forecast,
 * bl_app_stock_day_open + bl_app_alerts). Reads only: the plan and the alerts are computed
 * once per data generation and kept (stock_cache.c), not stored (`ballast plan` stores
 * them). */
#include <math.h>
#include <string.h>

#include <microhttpd.h>

#include "api/h_supply.h"
#include "app/catalog.h"
#include "app/forecast.h"
#include "app/stock.h"
#include "ballast/num.h"
#include "ballast/time.h"

static json_t *opt_int(int64_t v)
{
    return v == BL_CATALOG_NONE ? json_null() : json_integer((json_int_t)v);
}

static json_t *sku_json(const struct bl_catalog_sku *k)
{
    json_t *price = k->price == BL_CATALOG_NONE || !k->currency
                        ? json_null()
                        : bl__api_money(k->price, k->currency);
    json_t *spend = k->promo_spend == BL_CATALOG_NONE || !k->currency
                        ? json_null()
                        : bl__api_money(k->promo_spend, k->currency);
    return json_pack("{s:s, s:s, s:s?, s:o, s:o, s:o, s:o, s:o, s:I, s:I, s:s, s:b, s:s, s:o}",
                     "sku", k->ext_id, "name", k->name, "category", k->category, "weight_g",
                     opt_int(k->weight_g), "length_mm", opt_int(k->length_mm), "width_mm",
                     opt_int(k->width_mm), "height_mm", opt_int(k->height_mm), "price", price,
                     "handling_min", (json_int_t)k->handling_min, "handling_max",
                     (json_int_t)k->handling_max, "listing", k->listing, "promoted", k->promoted,
                     "price_review", k->price_review, "promo_spend", spend);
}

unsigned bl__h_skus(struct bl__api_call *c)
{
    struct bl__sup_page p;
    unsigned st = bl__sup_page_key(c, &p);
    if (st)
        return st;
    struct bl_app_skus_req req = {bl__api_query(c, "listing"), p.a, p.limit + 1};
    struct bl_app_skus_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_skus(c->st, c->org, &req, &res, &d);
    if (rc) {
        bl_app_skus_res_release(&res);
        if (rc == BL_EINVAL)
            return bl__api_error(c, MHD_HTTP_BAD_REQUEST, "invalid", "listing", "%s", d.msg);
        return bl__api_fail(c, rc, &d);
    }
    size_t n = res.n > (size_t)p.limit ? (size_t)p.limit : res.n;
    json_t *list = json_array();
    for (size_t i = 0; list && i < n; i++)
        bl__sup_push(&list, sku_json(&res.rows[i]));
    json_t *next = bl__sup_next_key(res.n > n, n ? res.rows[n - 1].id : 0, 0);
    bl_app_skus_res_release(&res);
    return bl__api_json(c, MHD_HTTP_OK, bl__sup_list("skus", list, next));
}

static json_t *stock_json(const struct bl_app_stock_row *r)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:o}", "sku", r->s.sku, "warehouse",
                     r->s.warehouse, "warehouse_name", r->s.warehouse_name, "region", r->s.region,
                     "on_hand", (json_int_t)r->s.on_hand, "reserved", (json_int_t)r->s.reserved,
                     "available", (json_int_t)r->available, "counted_at",
                     bl__api_time(r->s.counted_at));
}

static unsigned stock_failed(struct bl__api_call *c, int rc, enum bl_app_catalog_reason why,
                             struct bl_diag *d)
{
    if (why == BL_APP_CATALOG_UNKNOWN_SKU || why == BL_APP_CATALOG_UNKNOWN_WAREHOUSE)
        return bl__api_error(c, MHD_HTTP_NOT_FOUND, "not_found",
                             why == BL_APP_CATALOG_UNKNOWN_SKU ? "sku" : "warehouse", "%s", d->msg);
    return bl__api_fail(c, rc, d);
}

unsigned bl__h_stock(struct bl__api_call *c)
{
    struct bl__sup_page p;
    unsigned st = bl__sup_page_key(c, &p);
    if (st)
        return st;
    struct bl_app_stock_req req = {bl__api_query(c, "sku"), bl__api_query(c, "warehouse"), p.a, p.b,
                                   p.limit + 1};
    struct bl_app_stock_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_stock_list(c->st, c->org, &req, &res, &d);
    if (rc) {
        st = stock_failed(c, rc, res.reason, &d);
        bl_app_stock_res_release(&res);
        return st;
    }
    size_t n = res.n > (size_t)p.limit ? (size_t)p.limit : res.n;
    json_t *list = json_array();
    for (size_t i = 0; list && i < n; i++)
        bl__sup_push(&list, stock_json(&res.rows[i]));
    json_t *next = bl__sup_next_key(res.n > n, n ? res.rows[n - 1].s.sku_id : 0,
                                    n ? res.rows[n - 1].s.warehouse_id : 0);
    bl_app_stock_res_release(&res);
    return bl__api_json(c, MHD_HTTP_OK, bl__sup_list("stock", list, next));
}

/* ---------------------------------------------------------------- forecasts */

static json_t *num4(double v)
{
    return isfinite(v) ? json_real(round(v * 1e4) / 1e4) : json_null();
}

static json_t *forecast_json(const struct bl_app_forecast_sku *x)
{
    const struct bl_fc_result *r = &x->r;
    json_t *days = json_array();
    for (size_t j = 0; days && j < r->horizon; j++) {
        char date[BL_ISO_MAX];
        bl__sup_push(&days, json_pack("{s:s, s:o, s:o, s:o, s:o}", "date",
                                      bl_date_format(r->first_day + (int64_t)j, date), "forecast",
                                      num4(r->point[j]), "p50", num4(r->p50[j]), "p90",
                                      num4(r->p90[j]), "p95", num4(r->p95[j])));
    }
    return days ? json_pack("{s:s, s:s, s:o}", "sku", x->sku, "model", bl_fc_model_name(r->model),
                            "days", days)
                : NULL;
}

static unsigned forecast_req(struct bl__api_call *c, struct bl_app_forecast_req *req)
{
    memset(req, 0, sizeof(*req));
    bl_fc_opts_init(&req->fc);
    req->sku = bl__api_query(c, "sku");
    int64_t horizon;
    unsigned st = bl__api_query_int(c, "horizon_days", 1, BL_FC_MAX_HORIZON,
                                    (int64_t)req->fc.horizon, &horizon);
    req->fc.horizon = (size_t)horizon;
    const char *model = bl__api_query(c, "model");
    struct bl_diag d;
    bl_diag_clear(&d);
    if (!st && model && bl_fc_model_parse(bl_str_c(model), &req->fc.model, &d))
        st = bl__api_error(c, MHD_HTTP_BAD_REQUEST, "invalid", "model", "model: %s", d.msg);
    req->has_until = bl__api_query(c, "as_of") != NULL;
    if (!st && req->has_until)
        st = bl__sup_as_of_day(c, &req->until);
    return st;
}

unsigned bl__h_forecasts(struct bl__api_call *c)
{
    struct bl_app_forecast_req req;
    struct bl__sup_page p;
    unsigned st = forecast_req(c, &req);
    st = st ? st : bl__sup_page_pos(c, &p);
    if (st)
        return st;
    req.offset = (size_t)p.a; /* the page's SKUs only are forecast */
    req.limit = (size_t)p.limit;
    struct bl_app_forecast_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_forecast(c->st, c->org, &req, &res, &d);
    if (rc == BL_EEMPTY && res.no_sales && !req.sku) /* nothing sold yet: nothing to forecast */
        rc = BL_OK;
    if (rc) {
        if (req.sku && (rc == BL_ENOTFOUND || (rc == BL_EEMPTY && res.no_sales)))
            st = bl__api_error(c, MHD_HTTP_NOT_FOUND, "not_found", "sku", "%s", d.msg);
        else
            st = bl__api_fail(c, rc, &d);
        bl_app_forecast_res_release(&res);
        return st;
    }
    json_t *list = json_array();
    for (size_t k = 0; list && k < res.n; k++)
        bl__sup_push(&list, forecast_json(&res.skus[k]));
    json_t *next = bl__sup_next_pos(c, &p, res.total);
    bl_app_forecast_res_release(&res);
    return bl__api_json(c, MHD_HTTP_OK, bl__sup_list("forecast", list, next));
}

/* ---------------------------------------------------------------- plans, alerts */

/* Units or days rounded up; null when not finite or past 64 bits. */
static json_t *ceil_json(double x)
{
    int64_t v;
    return bl_f64_to_i64(ceil(x - 1e-9), &v) ? json_integer((json_int_t)v) : json_null();
}

static json_t *round_json(double x, double scale)
{
    return isfinite(x) ? json_real(round(x * scale) / scale) : json_null();
}

static json_t *wh_json(const struct bl_app_stock_day *day, const struct bl_rp_plan *p)
{
    json_t *list = json_array();
    for (size_t w = 0; list && w < p->nwh; w++) {
        const struct bl_rp_wh_line *l = &p->wh[w];
        bl__sup_push(&list, json_pack("{s:s, s:I, s:I, s:o, s:o, s:o}", "warehouse",
                                      day->snap.wh_ext[l->warehouse], "available",
                                      (json_int_t)l->available, "inbound", (json_int_t)l->inbound,
                                      "daily", round_json(p->daily_mean / (double)p->nwh, 100),
                                      "cover_days", round_json(l->days_cover, 10), "stockout",
                                      bl__sup_day(l->stockout_day, BL_RP_NEVER)));
    }
    return list;
}

static json_t *plan_json(const struct bl_app_stock_day *day, size_t k, json_t *alerts)
{
    const struct bl_rp_plan *p = &day->plans[k];
    json_t *j = json_pack(
        "{s:s, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:I, s:o, s:s?, s:b, s:o, s:o, s:o}", "sku",
        day->snap.sku_ext[k], "available", (json_int_t)p->available, "inbound",
        (json_int_t)p->inbound, "daily", round_json(p->daily_mean, 100), "cover_days",
        round_json(p->days_cover, 10), "stockout", bl__sup_day(p->stockout_day, BL_RP_NEVER),
        "safety", ceil_json(p->safety_stock), "reorder_point", ceil_json(p->reorder_point),
        "order_qty", (json_int_t)p->order_qty, "order_by",
        bl__sup_day(p->order_by_day, BL_RP_NEVER), "supplier",
        p->supplier >= 0 ? day->snap.sup_ext[p->supplier] : NULL, "backup", p->backup, "lead_days",
        ceil_json(p->lead_days), "alerts", alerts, "warehouses", wh_json(day, p));
    if (j && p->supplier >= 0 && day->snap.sup_name[p->supplier] &&
        json_object_set_new(j, "supplier_name", json_string(day->snap.sup_name[p->supplier])))
        json_decref(j), j = NULL;
    return j;
}

/* The numbers behind an alert's sentence, for a front end's own words (docs/api.md). */
static json_t *alert_data(const struct bl_app_stock_day *day, const struct bl_app_stock_alert *x)
{
    const struct bl_rp_plan *p = &day->plans[x->sku];
    const char *sup = p->supplier >= 0 ? day->snap.sup_ext[p->supplier] : NULL;
    const char *name = p->supplier >= 0 && day->snap.sup_name ? day->snap.sup_name[p->supplier]
                                                              : NULL;
    json_t *j = json_pack("{s:I, s:I, s:o, s:o, s:o, s:I, s:o, s:o, s:s?, s:s?, s:I, s:o}",
                          "available", (json_int_t)p->available, "inbound",
                          (json_int_t)p->inbound, "daily", round_json(p->daily_mean, 100),
                          "cover_days", round_json(p->days_cover, 10), "stockout",
                          bl__sup_day(p->stockout_day, BL_RP_NEVER), "order_qty",
                          (json_int_t)p->order_qty, "order_by",
                          bl__sup_day(p->order_by_day, BL_RP_NEVER), "arrival",
                          bl__sup_day(p->arrival_day, BL_RP_NEVER), "supplier", sup,
                          "supplier_name", name, "position", (json_int_t)p->position,
                          "reorder_point", ceil_json(p->reorder_point));
    const struct bl_rp_policy *pol = &day->opts.policy;
    if (j && json_object_update_new(j, json_pack("{s:o, s:I}", "low_days",
                                                 round_json(pol->low_days, 10), "stocking_days",
                                                 (json_int_t)pol->stocking_days)))
        json_decref(j), j = NULL;
    struct bl_app_overdue_po o;
    if (j && x->kind == BL_APP_ALERT_OVERDUE && (bl_app_stock_overdue(day, x->sku, &o), o.n) &&
        json_object_update_new(
            j, json_pack("{s:s?, s:s?, s:o, s:I, s:o, s:I, s:b, s:I, s:I}", "po", o.po,
                         "po_supplier", o.supplier, "due", bl__sup_day(o.due_day, BL_RP_NEVER),
                         "days_late", (json_int_t)o.days_late, "counted_until",
                         bl__sup_day(o.until_day, BL_RP_NEVER), "po_units", (json_int_t)o.qty,
                         "counted", o.counted, "overdue_pos", (json_int_t)o.n, "overdue_days",
                         (json_int_t)pol->overdue_days)))
        json_decref(j), j = NULL;
    return j;
}

static json_t *alert_json(const struct bl_app_alerts_res *al, const struct bl_app_stock_alert *x)
{
    static const char *const whys[] = {[BL_APP_ALERT_PLAIN] = "plain",
                                       [BL_APP_ALERT_NO_SUPPLIER] = "no_supplier",
                                       [BL_APP_ALERT_TOO_LATE] = "too_late",
                                       [BL_APP_ALERT_BACKUP] = "backup",
                                       [BL_APP_ALERT_DROPPED] = "dropped"};
    char msg[400];
    return json_pack("{s:s, s:s, s:I, s:s, s:s, s:o}", "sku", al->day->snap.sku_ext[x->sku], "kind",
                     bl_app_stock_alert_name(x->kind), "value", (json_int_t)x->value, "message",
                     bl_app_stock_alert_text(al->day, x, msg, sizeof(msg)), "why",
                     (unsigned)x->why < 5 ? whys[x->why] : "plain", "data",
                     alert_data(al->day, x));
}

/* The SKU index of ?sku= in the day (SIZE_MAX: every SKU), or the 404 answer. */
static unsigned day_sku(struct bl__api_call *c, const struct bl_app_stock_day *day, size_t *k)
{
    const char *sku = bl__api_query(c, "sku");
    *k = SIZE_MAX;
    for (size_t i = 0; sku && i < day->snap.nskus; i++)
        if (strcmp(day->snap.sku_ext[i], sku) == 0)
            *k = i;
    if (!sku || *k != SIZE_MAX)
        return 0;
    char shown[BL_SHOW_BUF];
    return bl__api_error(c, MHD_HTTP_NOT_FOUND, "not_found", "sku", "no SKU %s",
                         bl_str_show(bl_str_c(sku), BL_SHOW, shown));
}

/* The names of SKU k's alerts (al's alerts are in SKU order; *ai walks them). */
static json_t *alert_names(const struct bl_app_alerts_res *al, size_t k, size_t *ai)
{
    json_t *names = json_array();
    for (; *ai < al->n && al->alerts[*ai].sku < k; ++*ai)
        ;
    for (; names && *ai < al->n && al->alerts[*ai].sku == k; ++*ai)
        bl__sup_push(&names, json_string(bl_app_stock_alert_name(al->alerts[*ai].kind)));
    return names;
}

/* Renders the page of the plan (alerts_only: of the alerts). */
static json_t *render_day(struct bl__api_call *c, const struct bl_app_alerts_res *al, size_t only,
                          const struct bl__sup_page *p, bool alerts_only)
{
    const struct bl_app_stock_day *day = al->day;
    size_t n = alerts_only ? al->n : day->snap.nskus, ai = 0, total = 0;
    size_t end = (size_t)p->a + (size_t)p->limit; /* limit <= 1000: no overflow past a */
    json_t *list = json_array();
    for (size_t i = 0; list && i < n; i++) {
        size_t k = alerts_only ? al->alerts[i].sku : i;
        if (only != SIZE_MAX && k != only)
            continue;
        size_t at = total++;
        if (at < (size_t)p->a || at >= end)
            continue;
        if (alerts_only)
            bl__sup_push(&list, alert_json(al, &al->alerts[i]));
        else
            bl__sup_push(&list, plan_json(day, k, alert_names(al, k, &ai)));
    }
    char asof[BL_ISO_MAX];
    json_t *next = bl__sup_next_pos(c, p, total);
    json_t *j = bl__sup_list(alerts_only ? "alerts" : "plan", list, next);
    if (j && json_object_set_new(j, "as_of", json_string(bl_date_format(day->opts.as_of, asof))))
        json_decref(j), j = NULL;
    return j;
}

static unsigned stock_day(struct bl__api_call *c, bool alerts_only)
{
    int64_t as_of;
    struct bl__sup_page p;
    unsigned st = bl__sup_as_of_day(c, &as_of);
    st = st ? st : bl__sup_page_pos(c, &p);
    if (st)
        return st;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl__api_stock_ref ref; /* computed once per data generation (stock_cache.c) */
    int rc = bl__api_stock_get(c, as_of, &ref, &d);
    size_t only = SIZE_MAX;
    if (rc)
        st = bl__api_fail(c, rc, &d);
    else if (!(st = day_sku(c, ref.al->day, &only)))
        st = bl__api_json(c, MHD_HTTP_OK, render_day(c, ref.al, only, &p, alerts_only));
    bl__api_stock_put(c, &ref);
    return st;
}

unsigned bl__h_plans(struct bl__api_call *c)
{
    return stock_day(c, false);
}

unsigned bl__h_alerts(struct bl__api_call *c)
{
    return stock_day(c, true);
}
