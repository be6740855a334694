/* cmd_plan.c - `ballast plan`, `alerts`, `playbook` and `actions`.
 *
 *   plan     --as-of DAY [policy options] [--warehouses]  replenishment plan (stored)
 *   alerts   --as-of DAY [policy options]                 stock alerts (stored)
 *   playbook --as-of DAY [policy options] [--apply]       stock-out playbook actions
 *   actions  [--sku S] [--state S] [--approve ID] [--policy KIND=propose|apply]
 *
 * Parse, call the use cases (src/app/stock.h: one stock day opened, then plan, alerts
 * or the playbook on it), render.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ballast/time.h"
#include "cli/cli.h"
#include "cli/out.h"
#include "cli/plan_args.h"

static const char usage_text[] =
    "usage: ballast plan     --as-of DAY [options] [--warehouses] [--no-save]\n"
    "       ballast alerts   --as-of DAY [options]\n"
    "       ballast playbook --as-of DAY [options] [--apply]\n"
    "       ballast actions  [--sku S] [--state S] [--approve ID] [--policy KIND=MODE]\n"
    "\n"
    "policy (defaults: the seed policy, keep 30 days, reorder below 15 days + lead time):\n"
    "  --ss-days N          safety stock as N days of demand (default 15)\n"
    "  --service-level P    safety stock z*sigma over the lead time for service level P\n"
    "  --quantile p90|p95   safety stock from the forecast's lead-time quantile (its\n"
    "                       bootstrap paths, 200 unless --sims), scaled to the lead time\n"
    "  --keep-days N        order up to N days of demand beyond the lead time (30)\n"
    "  --low-days N         low-stock alert below N days of cover (7)\n"
    "  --low-units N        ... or at most N units available (0 = off)\n"
    "  --alert-days N       stock-out alert when the stock-out is within N days (30)\n"
    "  --stocking-days N    stocking reminder when no inbound arrives within N days (14)\n"
    "  --delist-days N      delist when the restock is more than N days away (30)\n"
    "  --pause-days N       pause promotion when an unavoidable stock-out is N days away (14)\n"
    "  --extend-days N      handling extension for an open-ended disruption (7)\n"
    "  --default-supplier S supplier of the SKUs that have no purchase order yet (the\n"
    "                       primary supplier is the one of the SKU's latest PO)\n"
    "forecast: --model M (tsb), --window DAYS of history (91), --sims N (10), --threads N (2)\n"
    "action kinds: out_of_stock delist pause_promotion pause_mail extend_handling vacation\n";

#define usage(cli, cmd, fmt, arg) bl_cli_usage((cli), (cmd), fmt, (arg))

bool bl__plan_num(const char *s, double lo, double hi, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= lo && v <= hi))
        return false;
    *out = v;
    return true;
}

enum {
    O_ASOF = 1000,
    O_MODEL,
    O_WINDOW,
    O_SIMS,
    O_THREADS,
    O_SS,
    O_SERVICE,
    O_KEEP,
    O_LOWD,
    O_LOWU,
    O_ALERT,
    O_STOCKING,
    O_DELIST,
    O_PAUSE,
    O_EXTEND,
    O_WH,
    O_APPLY,
    O_NOSAVE,
    O_FORMAT,
    O_TIMING,
    O_SKU,
    O_STATE,
    O_APPROVE,
    O_POLICY,
    O_DEFSUP,
    O_QUANTILE,
    O_HELP
};

static const struct option longopts[] = {
    {"as-of", required_argument, NULL, O_ASOF},
    {"model", required_argument, NULL, O_MODEL},
    {"window", required_argument, NULL, O_WINDOW},
    {"sims", required_argument, NULL, O_SIMS},
    {"threads", required_argument, NULL, O_THREADS},
    {"ss-days", required_argument, NULL, O_SS},
    {"service-level", required_argument, NULL, O_SERVICE},
    {"keep-days", required_argument, NULL, O_KEEP},
    {"low-days", required_argument, NULL, O_LOWD},
    {"low-units", required_argument, NULL, O_LOWU},
    {"alert-days", required_argument, NULL, O_ALERT},
    {"stocking-days", required_argument, NULL, O_STOCKING},
    {"delist-days", required_argument, NULL, O_DELIST},
    {"pause-days", required_argument, NULL, O_PAUSE},
    {"extend-days", required_argument, NULL, O_EXTEND},
    {"warehouses", no_argument, NULL, O_WH},
    {"apply", no_argument, NULL, O_APPLY},
    {"no-save", no_argument, NULL, O_NOSAVE},
    {"format", required_argument, NULL, O_FORMAT},
    {"timing", no_argument, NULL, O_TIMING},
    {"sku", required_argument, NULL, O_SKU},
    {"state", required_argument, NULL, O_STATE},
    {"approve", required_argument, NULL, O_APPROVE},
    {"policy", required_argument, NULL, O_POLICY},
    {"default-supplier", required_argument, NULL, O_DEFSUP},
    {"quantile", required_argument, NULL, O_QUANTILE},
    {"help", no_argument, NULL, O_HELP},
    {NULL, 0, NULL, 0},
};

int bl__plan_parse_args(struct bl_cli *cli, const char *cmd, int argc, char **argv,
                        struct bl__plan_args *a)
{
    memset(a, 0, sizeof(*a));
    bl_app_stock_opts_init(&a->o);
    struct bl_diag d;
    bl_diag_clear(&d);
#ifdef __GLIBC__
    optind = 0;
#else
    optind = 1;
#endif
    opterr = 0;
    int c, li = 0;
    double v;
    bool sims_set = false;
    while ((c = getopt_long(argc, argv, ":", longopts, &li)) != -1) {
        const char *arg = optarg;
        bool bad = false;
        switch (c) {
        case O_ASOF:
            if (bl_date_parse(bl_str_c(arg), &a->o.as_of, &d))
                return usage(cli, cmd, "--as-of %s: expected a date YYYY-MM-DD", arg);
            a->have_as_of = true;
            break;
        case O_MODEL:
            if (bl_fc_model_parse(bl_str_c(arg), &a->o.model, &d))
                return bl_cli_usage(cli, cmd, "--model: %s", d.msg);
            break;
        case O_WINDOW:
            bad = !bl__plan_num(arg, 14, 3660, &v);
            a->o.window = (size_t)v;
            break;
        case O_SIMS:
            bad = !bl__plan_num(arg, 10, 100000, &v);
            a->o.nsims = (size_t)v;
            sims_set = true;
            break;
        case O_THREADS:
            bad = !bl__plan_num(arg, 1, 64, &v);
            a->o.threads = (size_t)v;
            break;
        case O_SS:
            bad = !bl__plan_num(arg, 0, 3650, &a->o.policy.ss_days);
            a->o.policy.ss_mode = BL_RP_SS_DAYS;
            break;
        case O_SERVICE:
            if (!bl__plan_num(arg, 0, 1, &v) || bl_rp_z_for_service(v, &a->o.policy.z, &d))
                return usage(cli, cmd, "--service-level %s: expected a number in (0.5, 0.9999]",
                             arg);
            a->o.policy.ss_mode = BL_RP_SS_SERVICE;
            break;
        case O_KEEP:
            bad = !bl__plan_num(arg, 0, 3650, &a->o.policy.keep_days);
            break;
        case O_LOWD:
            bad = !bl__plan_num(arg, 0, 3650, &a->o.policy.low_days);
            break;
        case O_LOWU:
            bad = !bl__plan_num(arg, 0, 1e12, &v);
            a->o.policy.low_units = (int64_t)v;
            break;
        case O_ALERT:
            bad = !bl__plan_num(arg, 0, 3650, &v);
            a->o.policy.alert_days = (int64_t)v;
            break;
        case O_STOCKING:
            bad = !bl__plan_num(arg, 0, 3650, &v);
            a->o.policy.stocking_days = (int64_t)v;
            break;
        case O_DELIST:
            bad = !bl__plan_num(arg, 0, 3650, &v);
            a->o.pb.delist_days = (int64_t)v;
            break;
        case O_PAUSE:
            bad = !bl__plan_num(arg, 0, 3650, &v);
            a->o.pb.pause_days = (int64_t)v;
            break;
        case O_EXTEND:
            bad = !bl__plan_num(arg, 0, 365, &v);
            a->o.pb.extend_days = (int64_t)v;
            break;
        case O_WH:
            a->warehouses = true;
            break;
        case O_APPLY:
            a->apply = true;
            break;
        case O_NOSAVE:
            a->no_save = true;
            break;
        case O_TIMING:
            a->timing = true;
            break;
        case O_SKU:
            a->sku = arg;
            break;
        case O_STATE:
            a->state = arg;
            break;
        case O_APPROVE:
            a->approve = arg;
            break;
        case O_POLICY:
            a->policy = arg;
            break;
        case O_DEFSUP:
            a->o.default_supplier = arg;
            break;
        case O_QUANTILE:
            if (strcmp(arg, "p90") != 0 && strcmp(arg, "p95") != 0)
                return usage(cli, cmd, "--quantile %s: expected p90 or p95", arg);
            a->o.quantile = arg[2] == '0' ? 90 : 95;
            a->o.policy.ss_mode = BL_RP_SS_QUANTILE;
            a->o.policy.z = a->o.quantile == 90 ? 1.2816 : 1.6449;
            if (!sims_set)
                a->o.nsims = 200;
            break;
        case O_FORMAT:
            if (bl_cli_set_format(cli, arg))
                return 2;
            break;
        case O_HELP:
            fputs(usage_text, cli->out);
            return -1;
        case ':':
            return usage(cli, cmd, "%s needs a value", argv[optind - 1]);
        default:
            return usage(cli, cmd, "unknown option '%s'", argv[optind - 1]);
        }
        if (bad)
            return bl_cli_usage(cli, cmd, "--%s %s: not a number in the allowed range",
                                longopts[li].name, arg);
    }
    if (optind < argc)
        return usage(cli, cmd, "unexpected argument '%s'", argv[optind]);
    return 0;
}

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

static int64_t ceil_i(double x)
{
    return x > 9e15 ? INT64_C(9000000000000000) : (int64_t)ceil(x - 1e-9);
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
    struct bl_val v[15] = {
        bl_val_text(bl_str_c(day->snap.sku_ext[k])),
        bl_val_text(BL_STR("*")),
        bl_val_int(p->available),
        bl_val_int(p->inbound),
        bl_val_text(bl_str_c(daily)),
        isfinite(p->days_cover) ? bl_val_text(bl_str_c(cover)) : bl_val_null(),
        day_val(p->stockout_day, b1),
        bl_val_int(ceil_i(p->safety_stock)),
        bl_val_int(ceil_i(p->reorder_point)),
        bl_val_int(p->order_qty),
        day_val(p->order_by_day, b2),
        p->supplier >= 0 ? bl_val_text(bl_str_c(day->snap.sup_ext[p->supplier])) : bl_val_null(),
        bl_val_int(p->backup),
        bl_val_int(ceil_i(p->lead_days)),
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

static int run_plan(struct bl_cli *cli, int argc, char **argv, bool alerts_only)
{
    const char *cmd = alerts_only ? "alerts" : "plan";
    struct bl__plan_args a;
    int rc = bl__plan_parse_args(cli, cmd, argc, argv, &a);
    if (rc)
        return rc < 0 ? 0 : rc;
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
