/* cmd_plan.c - `ballast plan` and `ballast alerts` (options parsed in plan_args.c):
 * open one stock day (src/app/stock.h), plan and alert on it, render. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ballast/num.h"
#include "ballast/time.h"
#include "cli/money_out.h"
#include "cli/out.h"
#include "cli/plan_args.h"

#define usage(cli, cmd, fmt, arg) bl_cli_usage((cli), (cmd), fmt, (arg))

/* ---------------------------------------------------------------- rendering */

void bl__plan_timing(struct bl_cli *cli, const struct bl__plan_args *a,
                     const struct bl_app_stock_day *day)
{
    if (a->timing)
        fprintf(cli->err,
                "ballast: %zu SKUs: load %.2f s, forecast %.2f s, plan %.2f s, playbook %.2f s\n",
                day->snap.nskus, day->secs_load, day->secs_forecast, day->secs_plan,
                day->secs_playbook);
}

static struct bl_val day_val(int64_t day, char *buf)
{
    if (day == BL_RP_NEVER)
        return bl_val_null();
    return bl_val_text(bl_str_c(bl_date_format(day, buf)));
}

/* Units or days rounded up; empty when the number is not finite or past 64 bits. */
static struct bl_val ceil_val(double x)
{
    int64_t v;
    return bl_f64_to_i64(ceil(x - 1e-9), &v) ? bl_val_int(v) : bl_val_null();
}

static int print_alerts(struct bl_cli *cli, const struct bl_app_alerts_res *al)
{
    static const char *const cols[] = {"sku", "kind", "value", "message"};
    struct bl_out out;
    char msg[400];
    int rc = 0;
    bl_out_begin(&out, cli, cols, 4);
    for (size_t i = 0; i < al->n && !rc; i++) {
        const struct bl_app_stock_alert *x = &al->alerts[i];
        struct bl_val v[4] = {
            bl_val_text(bl_str_c(al->day->snap.sku_ext[x->sku])),
            bl_val_text(bl_str_c(bl_app_stock_alert_name(x->kind))), bl_val_int(x->value),
            bl_val_text(bl_str_c(bl_app_stock_alert_text(al->day, x, msg, sizeof(msg))))};
        rc = bl_out_row(&out, v);
    }
    int rc2 = bl_out_end(&out);
    return rc || rc2;
}

static int wh_rows(struct bl_out *out, const struct bl_app_stock_day *day, size_t k,
                   struct bl_val sku)
{
    const struct bl_rp_plan *p = &day->plans[k];
    char b1[32], daily[32], cover[32];
    int rc = 0;
    for (size_t w = 0; w < p->nwh && !rc; w++) {
        const struct bl_rp_wh_line *l = &p->wh[w];
        snprintf(daily, sizeof(daily), "%.2f", p->daily_mean / (double)p->nwh);
        snprintf(cover, sizeof(cover), "%.1f", l->days_cover);
        struct bl_val wv[15];
        for (size_t i = 0; i < 15; i++)
            wv[i] = bl_val_null();
        wv[0] = sku;
        wv[1] = bl_val_text(bl_str_c(day->snap.wh_ext[l->warehouse]));
        wv[2] = bl_val_int(l->available);
        wv[3] = bl_val_int(l->inbound);
        wv[4] = bl_val_text(bl_str_c(daily));
        wv[5] = isfinite(l->days_cover) ? bl_val_text(bl_str_c(cover)) : bl_val_null();
        wv[6] = day_val(l->stockout_day, b1);
        rc = bl_out_row(out, wv);
    }
    return rc;
}

static int plan_row(struct bl_out *out, const struct bl_app_stock_day *day, size_t k,
                    const struct bl_app_alerts_res *al, size_t *ai)
{
    const struct bl_rp_plan *p = &day->plans[k];
    char b1[32], b2[32], daily[32], cover[32], names[80] = "";
    snprintf(daily, sizeof(daily), "%.2f", p->daily_mean);
    snprintf(cover, sizeof(cover), "%.1f", p->days_cover);
    for (; *ai < al->n && al->alerts[*ai].sku == k; ++*ai) {
        size_t n = strlen(names);
        snprintf(names + n, sizeof(names) - n, "%s%s", n ? " " : "",
                 bl_app_stock_alert_name(al->alerts[*ai].kind));
    }
    struct bl_val v[15] = {bl_val_text(bl_str_c(day->snap.sku_ext[k])),
                           bl_val_text(BL_STR("*")),
                           bl_val_int(p->available),
                           bl_val_int(p->inbound),
                           bl_val_text(bl_str_c(daily)),
                           isfinite(p->days_cover) ? bl_val_text(bl_str_c(cover)) : bl_val_null(),
                           day_val(p->stockout_day, b1),
                           ceil_val(p->safety_stock),
                           ceil_val(p->reorder_point),
                           bl_val_int(p->order_qty),
                           day_val(p->order_by_day, b2),
                           p->supplier >= 0 ? bl_val_text(bl_str_c(day->snap.sup_ext[p->supplier]))
                                            : bl_val_null(),
                           bl_val_int(p->backup),
                           ceil_val(p->lead_days),
                           bl_val_text(bl_str_c(names))};
    return bl_out_row(out, v);
}

static int print_plan(struct bl_cli *cli, const struct bl__plan_args *a,
                      const struct bl_app_stock_day *day, const struct bl_app_alerts_res *al)
{
    static const char *const cols[] = {"sku",           "warehouse",  "available", "inbound",
                                       "daily",         "cover_days", "stockout",  "safety",
                                       "reorder_point", "order_qty",  "order_by",  "supplier",
                                       "backup",        "lead_days",  "alerts"};
    struct bl_out out;
    bl_out_begin(&out, cli, cols, 15);
    size_t ai = 0;
    int rc = 0;
    for (size_t k = 0; k < day->snap.nskus && !rc; k++) {
        rc = plan_row(&out, day, k, al, &ai);
        if (!rc && a->warehouses)
            rc = wh_rows(&out, day, k, bl_val_text(bl_str_c(day->snap.sku_ext[k])));
    }
    int rc2 = bl_out_end(&out);
    return rc || rc2;
}

/* ---------------------------------------------------------------- plan, alerts */

/* The deposit shortfalls: coupons owed per shop and currency. After the stock alerts
 * (table: a second table; CSV and JSON: a count on stderr, the rows with --deposits). */
static int deposits(struct bl_cli *cli, struct bl_store *st, int64_t org, int64_t day,
                    bool only)
{
    struct bl_app_shortfalls_req req = {NULL, day};
    struct bl_app_shortfalls_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_shortfalls(st, org, &req, &res, &d);
    int status = 0;
    if (rc && rc != BL_ENOTFOUND) {
        status = bl_cli_fail(cli, &d);
    } else if (!only && cli->format != BL_FMT_TABLE) {
        if (res.n)
            fprintf(cli->err, "ballast: %zu deposit shortfall%s: ballast alerts --deposits\n",
                    res.n, res.n == 1 ? "" : "s");
    } else if (!only && !res.n) {
        fprintf(cli->out, "\ndeposit shortfalls: none (every coupon was paid from its deposit)\n");
    } else {
        if (!only)
            fprintf(cli->out, "\ndeposit shortfalls: coupons owed to buyers that the shop's "
                              "deposit could not pay\n");
        status = bl__print_shortfalls(cli, &res);
    }
    if (!status && rc)
        status = bl_cli_fail(cli, &d); /* the rows are shown; only the total is missing */
    bl_app_shortfalls_res_release(&res);
    return status;
}

static int run_deposits(struct bl_cli *cli, const struct bl__plan_args *a)
{
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    int64_t now = bl_cli_now();
    int64_t day = a->have_as_of ? a->o.as_of : now >= 0 ? now / 86400 : -((-now + 86399) / 86400);
    int status = deposits(cli, st, org, day, true);
    bl_store_close(st);
    return status;
}

static int run_plan(struct bl_cli *cli, int argc, char **argv, bool alerts_only)
{
    const char *cmd = alerts_only ? "alerts" : "plan";
    struct bl__plan_args a;
    int rc = bl__plan_parse_args(cli, cmd, argc, argv, &a);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (a.deposits && !alerts_only)
        return usage(cli, cmd, "%s", "--deposits is an option of alerts");
    if (a.deposits)
        return run_deposits(cli, &a);
    if (!a.have_as_of)
        return usage(cli, cmd, "%s", "--as-of DAY is required");
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_stock_day day;
    struct bl_app_plan_res pr;
    struct bl_app_alerts_res ar;
    memset(&pr, 0, sizeof(pr));
    memset(&ar, 0, sizeof(ar));
    a.o.playbook = false;
    rc = bl_app_stock_day_open(st, org, &a.o, &day, &d);
    struct bl_app_plan_req preq = {.now = bl_cli_now(), .day = &day, .save = !a.no_save};
    struct bl_app_alerts_req areq = {.now = preq.now, .day = &day, .save = !a.no_save};
    if (!rc)
        rc = bl_app_plan(st, org, &preq, &pr, &d);
    if (!rc)
        rc = bl_app_alerts(st, org, &areq, &ar, &d);
    if (rc) {
        rc = bl_cli_fail(cli, &d);
    } else {
        bl__plan_timing(cli, &a, &day);
        rc = alerts_only ? print_alerts(cli, &ar) : print_plan(cli, &a, &day, &ar);
        if (!rc && alerts_only)
            rc = deposits(cli, st, org, a.o.as_of, false);
    }
    bl_app_alerts_res_release(&ar);
    bl_app_plan_res_release(&pr);
    bl_app_stock_day_close(&day);
    bl_store_close(st);
    return rc ? 1 : 0;
}

int bl_cmd_plan(struct bl_cli *cli, int argc, char **argv)
{
    return run_plan(cli, argc, argv, false);
}

int bl_cmd_alerts(struct bl_cli *cli, int argc, char **argv)
{
    return run_plan(cli, argc, argv, true);
}
