/* stock_plan.c - the replenishment plan and the stock alerts of a day (stock.h). */
#include <math.h>
#include <string.h>

#include "app/hook_impl.h"
#include "app/stock_impl.h"
#include "ballast/app.h"
#include "ballast/num.h"

int bl__stock_use_day(struct bl_store *st, int64_t org, struct bl_app_stock_day *given,
                      const struct bl_app_stock_opts *opts, struct bl_app_stock_day *own,
                      struct bl_app_stock_day **out, struct bl_diag *d)
{
    if (given) {
        if (given->org != org)
            return bl_diag_set(d, BL_EINVAL, "the stock day belongs to another organisation");
        *out = given;
        return BL_OK;
    }
    *out = own;
    return bl_app_stock_day_open(st, org, opts, own, d);
}

void bl__stock_rollback(struct bl_store *st)
{
    if (bl_store_rollback(st, NULL))
        return; /* the error that made us roll back is the one to report */
}

/* ---------------------------------------------------------------- plan */

static int64_t ceil_i(double x)
{
    int64_t v;
    return bl_f64_to_i64(ceil(x - 1e-9), &v) ? v : BL_STOCK_NULL;
}

static int64_t day_or_null(int64_t day)
{
    return day == BL_RP_NEVER ? BL_STOCK_NULL : day;
}

static int64_t cover_or_null(double c)
{
    return isfinite(c) && c < 1e15 ? (int64_t)floor(c) : BL_STOCK_NULL;
}

static void sku_line(const struct bl_app_stock_day *day, size_t k, struct bl_stock_plan_row *r)
{
    const struct bl_stock_snap *s = &day->snap;
    const struct bl_rp_plan *p = &day->plans[k];
    *r = (struct bl_stock_plan_row){s->sku_id[k],
                                    0,
                                    p->on_hand,
                                    p->reserved,
                                    p->available,
                                    p->inbound,
                                    (int64_t)llround(p->daily_mean * 1000),
                                    cover_or_null(p->days_cover),
                                    day_or_null(p->stockout_day),
                                    ceil_i(p->safety_stock),
                                    ceil_i(p->reorder_point),
                                    p->order_qty,
                                    day_or_null(p->order_by_day),
                                    p->supplier >= 0 ? s->sup_id[p->supplier] : BL_STOCK_NULL,
                                    p->backup,
                                    ceil_i(p->lead_days),
                                    day_or_null(p->restock_day),
                                    bl_fc_model_name(day->model[k])};
}

static void wh_line(const struct bl_app_stock_day *day, size_t k, size_t w,
                    struct bl_stock_plan_row *r)
{
    const struct bl_rp_plan *p = &day->plans[k];
    const struct bl_rp_wh_line *l = &p->wh[w];
    *r = (struct bl_stock_plan_row){day->snap.sku_id[k],
                                    day->snap.wh_id[l->warehouse],
                                    0,
                                    0,
                                    l->available,
                                    l->inbound,
                                    (int64_t)llround(p->daily_mean * 1000 / (double)p->nwh),
                                    cover_or_null(l->days_cover),
                                    day_or_null(l->stockout_day),
                                    BL_STOCK_NULL,
                                    BL_STOCK_NULL,
                                    BL_STOCK_NULL,
                                    BL_STOCK_NULL,
                                    BL_STOCK_NULL,
                                    BL_STOCK_NULL,
                                    BL_STOCK_NULL,
                                    BL_STOCK_NULL,
                                    NULL};
}

static int save_plan(struct bl_store *st, const struct bl_app_stock_day *day,
                     const struct bl_app_plan_req *req, size_t *stored, struct bl_diag *d)
{
    size_t n = 0;
    for (size_t k = 0; k < day->snap.nskus; k++)
        n += 1 + day->plans[k].nwh;
    struct bl_stock_plan_row *rows = bl_calloc(n ? n : 1, sizeof(*rows));
    if (!rows)
        return bl_diag_set(d, BL_ENOMEM, "saving the plan: out of memory");
    size_t i = 0;
    for (size_t k = 0; k < day->snap.nskus; k++) {
        sku_line(day, k, &rows[i++]);
        for (size_t w = 0; w < day->plans[k].nwh; w++)
            wh_line(day, k, w, &rows[i++]);
    }
    int rc = bl_store_begin(st, d);
    if (!rc)
        rc = bl_store_stock_plan_replace(st, day->org, day->opts.as_of, rows, n,
                                         bl_app_now_or(req->now), req->cycle_id, d);
    if (!rc)
        rc = bl_store_commit(st, d);
    else
        bl__stock_rollback(st);
    bl_free(rows);
    if (!rc)
        *stored = n;
    return rc;
}

int bl_app_plan(struct bl_store *st, int64_t org, const struct bl_app_plan_req *req,
                struct bl_app_plan_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    struct bl_app_stock_day *day = NULL;
    int rc = bl__stock_use_day(st, org, req->day, &req->opts, &res->own, &day, d);
    res->day = day;
    if (!rc && req->save)
        rc = save_plan(st, day, req, &res->stored, d);
    return rc;
}

void bl_app_plan_res_release(struct bl_app_plan_res *res)
{
    bl_app_stock_day_close(&res->own);
    memset(res, 0, sizeof(*res));
}

/* ---------------------------------------------------------------- alerts */

static const unsigned alert_bits[BL_APP_ALERT_NKINDS] = {BL_RP_ALERT_LOW, BL_RP_ALERT_STOCKOUT,
                                                         BL_RP_ALERT_STOCKING, BL_RP_ALERT_REORDER,
                                                         BL_RP_ALERT_OVERDUE};
static const char *const alert_names[BL_APP_ALERT_NKINDS] = {
    "low_stock", "stockout", "stocking_reminder", "reorder", "overdue_po"};

const char *bl_app_stock_alert_name(enum bl_app_stock_alert_kind k)
{
    return (unsigned)k < BL_APP_ALERT_NKINDS ? alert_names[k] : "?";
}

static struct bl_app_stock_alert make_alert(const struct bl_app_stock_day *day, size_t k,
                                            enum bl_app_stock_alert_kind kind)
{
    const struct bl_rp_plan *p = &day->plans[k];
    struct bl_app_stock_alert a = {k, kind, BL_APP_ALERT_PLAIN, 0};
    switch (kind) {
    case BL_APP_ALERT_LOW_STOCK:
        a.value = p->available;
        break;
    case BL_APP_ALERT_STOCKOUT:
        a.value = p->stockout_day - day->opts.as_of;
        if (p->stockout_unavoidable)
            a.why = p->supplier < 0 ? BL_APP_ALERT_NO_SUPPLIER : BL_APP_ALERT_TOO_LATE;
        break;
    case BL_APP_ALERT_REORDER:
        a.why = p->supplier < 0 ? BL_APP_ALERT_NO_SUPPLIER
                : p->backup     ? BL_APP_ALERT_BACKUP
                                : BL_APP_ALERT_PLAIN;
        a.value = p->supplier < 0 ? 0 : p->order_qty;
        break;
    case BL_APP_ALERT_OVERDUE: {
        struct bl_app_overdue_po o;
        bl_app_stock_overdue(day, k, &o);
        a.value = o.n ? o.days_late : 0;
        a.why = o.n && !o.counted ? BL_APP_ALERT_DROPPED : BL_APP_ALERT_PLAIN;
        break;
    }
    default:
        break;
    }
    return a;
}

static int save_alerts(struct bl_store *st, const struct bl_app_stock_day *day,
                       const struct bl_app_alerts_req *req, const struct bl_app_alerts_res *res,
                       struct bl_diag *d)
{
    struct bl_stock_alert_row *rows = bl_calloc(res->n ? res->n : 1, sizeof(*rows));
    char *text = bl_malloc((res->n ? res->n : 1) * 400);
    int rc = rows && text ? BL_OK : bl_diag_set(d, BL_ENOMEM, "saving alerts: out of memory");
    for (size_t i = 0; !rc && i < res->n; i++) {
        const struct bl_app_stock_alert *a = &res->alerts[i];
        rows[i] = (struct bl_stock_alert_row){alert_names[a->kind], day->snap.sku_id[a->sku],
                                              bl_app_stock_alert_text(day, a, text + i * 400, 400),
                                              a->value};
    }
    if (!rc)
        rc = bl_store_begin(st, d);
    if (!rc) {
        rc = bl_store_stock_alerts_replace(st, day->org, day->opts.as_of, rows, res->n,
                                           bl_app_now_or(req->now), req->cycle_id, d);
        if (!rc)
            rc = bl__hook_alerts(st, day->org, day->opts.as_of, bl_app_now_or(req->now), d);
        if (!rc)
            rc = bl_store_commit(st, d);
        else
            bl__stock_rollback(st);
    }
    bl_free(rows);
    bl_free(text);
    return rc;
}

int bl_app_alerts(struct bl_store *st, int64_t org, const struct bl_app_alerts_req *req,
                  struct bl_app_alerts_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    struct bl_app_stock_day *day = NULL;
    int rc = bl__stock_use_day(st, org, req->day, &req->opts, &res->own, &day, d);
    res->day = day;
    if (rc)
        return rc;
    size_t n = 0;
    for (size_t k = 0; k < day->snap.nskus; k++)
        for (int i = 0; i < BL_APP_ALERT_NKINDS; i++)
            n += (day->plans[k].alerts & alert_bits[i]) != 0;
    res->alerts = bl_calloc(n ? n : 1, sizeof(*res->alerts));
    if (!res->alerts)
        return bl_diag_set(d, BL_ENOMEM, "alerts: out of memory");
    for (size_t k = 0; k < day->snap.nskus; k++)
        for (int i = 0; i < BL_APP_ALERT_NKINDS; i++)
            if (day->plans[k].alerts & alert_bits[i])
                res->alerts[res->n++] = make_alert(day, k, (enum bl_app_stock_alert_kind)i);
    return req->save ? save_alerts(st, day, req, res, d) : BL_OK;
}

void bl_app_alerts_res_release(struct bl_app_alerts_res *res)
{
    bl_free(res->alerts);
    bl_app_stock_day_close(&res->own);
    memset(res, 0, sizeof(*res));
}
