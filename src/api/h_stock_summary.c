/* h_stock_summary.c - GET /api/v1/stock/summary: the Stock page's summary (issue 17), every
 * SKU's runway, the shortest first, named, with its runway per warehouse, and the day's
 * counts, a page at a time (bl_app_stock_summary, src/app/stock_summary.c). Computed with
 * the day once per data generation and kept (stock_cache.c). */
#include <math.h>
#include <string.h>

#include <microhttpd.h>

#include "api/h_supply.h"
#include "app/stock_summary.h"
#include "ballast/num.h"
#include "ballast/time.h"

static json_t *ceil_or_null(double x)
{
    int64_t v;
    return bl_f64_to_i64(ceil(x - 1e-9), &v) ? json_integer((json_int_t)v) : json_null();
}

static json_t *rounded(double x, double scale)
{
    return isfinite(x) ? json_real(round(x * scale) / scale) : json_null();
}

static json_t *wh_json(const struct bl_app_stock_summary *sum, const struct bl_rp_plan *p)
{
    const struct bl_stock_snap *snap = &sum->al->day->snap;
    json_t *list = json_array();
    for (size_t w = 0; list && w < p->nwh; w++) {
        const struct bl_rp_wh_line *l = &p->wh[w];
        bl__sup_push(&list,
                     json_pack("{s:s, s:s, s:s, s:I, s:I, s:o, s:o}", "warehouse",
                               snap->wh_ext[l->warehouse], "name", sum->wh_name[l->warehouse],
                               "region",
                               snap->wh_region[l->warehouse] ? snap->wh_region[l->warehouse] : "",
                               "available", (json_int_t)l->available, "inbound",
                               (json_int_t)l->inbound, "cover_days", rounded(l->days_cover, 10),
                               "stockout", bl__sup_day(l->stockout_day, BL_RP_NEVER)));
    }
    return list;
}

static json_t *row_json(const struct bl_app_stock_summary *sum, size_t k)
{
    const struct bl_app_stock_day *day = sum->al->day;
    const struct bl_rp_plan *p = &day->plans[k];
    return json_pack(
        "{s:s, s:s, s:I, s:I, s:o, s:o, s:o, s:b, s:I, s:o, s:o, s:b, s:b, s:o}", "sku",
        day->snap.sku_ext[k], "name", sum->name[k], "available", (json_int_t)p->available,
        "inbound", (json_int_t)p->inbound, "daily", rounded(p->daily_mean, 100), "cover_days",
        rounded(p->days_cover, 10), "stockout", bl__sup_day(p->stockout_day, BL_RP_NEVER),
        "stockout_alert", (sum->flags[k] >> BL_APP_SUMMARY_STOCKOUT) & 1u, "order_qty",
        (json_int_t)p->order_qty, "order_by", bl__sup_day(p->order_by_day, BL_RP_NEVER),
        "lead_days", ceil_or_null(p->lead_days), "late",
        (sum->flags[k] >> BL_APP_SUMMARY_LATE) & 1u, "backup", p->backup, "warehouses",
        wh_json(sum, p));
}

static json_t *render(struct bl__api_call *c, const struct bl_app_stock_summary *sum,
                      enum bl_app_summary_filter f, const char *fname, const struct bl__sup_page *p)
{
    size_t idx[BL_SUP_PAGE_MAX], n = 0;
    size_t cap = (size_t)p->limit < BL_SUP_PAGE_MAX ? (size_t)p->limit : BL_SUP_PAGE_MAX;
    size_t total = bl_app_stock_summary_page(sum, f, (size_t)p->a, idx, cap, &n);
    json_t *list = json_array();
    for (size_t i = 0; list && i < n; i++)
        bl__sup_push(&list, row_json(sum, idx[i]));
    char asof[BL_ISO_MAX];
    json_t *counts = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "skus", (json_int_t)sum->skus,
                               "stockouts", (json_int_t)sum->stockouts, "stockout_days",
                               (json_int_t)sum->stockout_days, "reorder", (json_int_t)sum->reorder,
                               "late", (json_int_t)sum->late, "matching", (json_int_t)total);
    json_t *j = bl__sup_list("runway", list, bl__sup_next_pos(c, p, total));
    if (j && json_object_update_new(j, json_pack("{s:s, s:s, s:o}", "as_of",
                                                 bl_date_format(sum->al->day->opts.as_of, asof),
                                                 "filter", fname, "counts", counts)))
        json_decref(j), j = NULL;
    return j;
}

unsigned bl__h_stock_summary(struct bl__api_call *c)
{
    int64_t as_of;
    struct bl__sup_page p;
    enum bl_app_summary_filter f = BL_APP_SUMMARY_ALL;
    const char *fname = bl__api_query(c, "filter");
    struct bl_diag d;
    bl_diag_clear(&d);
    if (fname && bl_app_summary_filter_parse(fname, &f, &d))
        return bl__api_error(c, MHD_HTTP_BAD_REQUEST, "invalid", "filter", "%s", d.msg);
    unsigned st = bl__sup_as_of_day(c, &as_of);
    st = st ? st : bl__sup_page_pos(c, &p);
    if (st)
        return st;
    struct bl__api_stock_ref ref; /* computed once per data generation (stock_cache.c) */
    int rc = bl__api_stock_get(c, as_of, &ref, &d);
    st = rc ? bl__api_fail(c, rc, &d)
            : bl__api_json(c, MHD_HTTP_OK, render(c, ref.sum, f, fname ? fname : "all", &p));
    bl__api_stock_put(c, &ref);
    return st;
}
