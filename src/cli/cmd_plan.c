/* cmd_plan.c - `ballast plan`, `alerts`, `playbook` and `actions`.
 *
 *   plan     --as-of DAY [policy options] [--warehouses]  replenishment plan (stored)
 *   alerts   --as-of DAY [policy options]                 stock alerts (stored)
 *   playbook --as-of DAY [policy options] [--apply]       stock-out playbook actions
 *   actions  [--sku S] [--state S] [--approve ID] [--policy KIND=propose|apply]
 *
 * The store is read into a snapshot (plan_snap.c), every SKU's demand forecast, the
 * engines run (replenish.h, playbook.h), and the results written in one transaction.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ballast/time.h"
#include "cli/cli.h"
#include "cli/out.h"
#include "cli/plan_snap.h"

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

static void rollback(struct bl_store *st)
{
    if (bl_store_rollback(st, NULL))
        return; /* the error that made us roll back is the one to report */
}

static bool num(const char *s, double lo, double hi, double *out)
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

struct args {
    struct bl__snap_opts o;
    bool have_as_of, warehouses, apply, no_save, timing;
    const char *sku, *state, *approve, *policy;
};

static int parse_args(struct bl_cli *cli, const char *cmd, int argc, char **argv, struct args *a)
{
    memset(a, 0, sizeof(*a));
    bl__snap_opts_init(&a->o);
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
            bad = !num(arg, 14, 3660, &v);
            a->o.window = (size_t)v;
            break;
        case O_SIMS:
            bad = !num(arg, 10, 100000, &v);
            a->o.nsims = (size_t)v;
            sims_set = true;
            break;
        case O_THREADS:
            bad = !num(arg, 1, 64, &v);
            a->o.threads = (size_t)v;
            break;
        case O_SS:
            bad = !num(arg, 0, 3650, &a->o.policy.ss_days);
            a->o.policy.ss_mode = BL_RP_SS_DAYS;
            break;
        case O_SERVICE:
            if (!num(arg, 0, 1, &v) || bl_rp_z_for_service(v, &a->o.policy.z, &d))
                return usage(cli, cmd, "--service-level %s: expected a number in (0.5, 0.9999]",
                             arg);
            a->o.policy.ss_mode = BL_RP_SS_SERVICE;
            break;
        case O_KEEP:
            bad = !num(arg, 0, 3650, &a->o.policy.keep_days);
            break;
        case O_LOWD:
            bad = !num(arg, 0, 3650, &a->o.policy.low_days);
            break;
        case O_LOWU:
            bad = !num(arg, 0, 1e12, &v);
            a->o.policy.low_units = (int64_t)v;
            break;
        case O_ALERT:
            bad = !num(arg, 0, 3650, &v);
            a->o.policy.alert_days = (int64_t)v;
            break;
        case O_STOCKING:
            bad = !num(arg, 0, 3650, &v);
            a->o.policy.stocking_days = (int64_t)v;
            break;
        case O_DELIST:
            bad = !num(arg, 0, 3650, &v);
            a->o.pb.delist_days = (int64_t)v;
            break;
        case O_PAUSE:
            bad = !num(arg, 0, 3650, &v);
            a->o.pb.pause_days = (int64_t)v;
            break;
        case O_EXTEND:
            bad = !num(arg, 0, 365, &v);
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

/* ---------------------------------------------------------------- values */

static struct bl_val day_val(int64_t day, char *buf)
{
    if (day == BL_RP_NEVER)
        return bl_val_null();
    return bl_val_text(bl_str_c(bl_date_format(day, buf)));
}

static struct bl_val day_int(int64_t day)
{
    return day == BL_RP_NEVER ? bl_val_null() : bl_val_int(day);
}

static int64_t ceil_i(double x)
{
    return x > 9e15 ? INT64_C(9000000000000000) : (int64_t)ceil(x - 1e-9);
}

static const char *field_of(enum bl_pb_kind k)
{
    switch (k) {
    case BL_PB_OUT_OF_STOCK:
    case BL_PB_DELIST:
        return "listing";
    case BL_PB_PAUSE_PROMOTION:
        return "promoted";
    case BL_PB_PAUSE_MAIL:
        return "marketing_mail_paused";
    case BL_PB_EXTEND_HANDLING:
        return "handling_max";
    default:
        return "vacation";
    }
}

static void value_text(enum bl_pb_kind k, int64_t v, char *buf, size_t cap)
{
    if (k == BL_PB_OUT_OF_STOCK || k == BL_PB_DELIST)
        snprintf(buf, cap, "%s", bl_pb_listing_name(v));
    else
        snprintf(buf, cap, "%lld", (long long)v);
}

static void print_timing(struct bl_cli *cli, const struct args *a, const struct bl__snap *s)
{
    if (a->timing)
        fprintf(cli->err,
                "ballast: %zu SKUs: load %.2f s, forecast %.2f s, plan %.2f s, playbook %.2f s\n",
                s->nskus, s->secs_load, s->secs_forecast, s->secs_plan, s->secs_playbook);
}

/* ---------------------------------------------------------------- alerts */

#define NALERT 4
static const unsigned alert_bits[NALERT] = {BL_RP_ALERT_LOW, BL_RP_ALERT_STOCKOUT,
                                            BL_RP_ALERT_STOCKING, BL_RP_ALERT_REORDER};
static const char *const alert_names[NALERT] = {"low_stock", "stockout", "stocking_reminder",
                                                "reorder"};

static int64_t alert_text(const struct bl__snap *s, const struct args *a, size_t k, int i,
                          char *msg, size_t cap)
{
    const struct bl_rp_plan *p = &s->plans[k];
    char b1[32], b2[32];
    switch (i) {
    case 0:
        snprintf(msg, cap, "%lld available, %.1f days of cover (threshold %g days%s)",
                 (long long)p->available, p->days_cover, a->o.policy.low_days,
                 a->o.policy.low_units ? " or units" : "");
        return p->available;
    case 1:
        snprintf(msg, cap, "stock-out on %s: %lld available, %lld inbound, %.2f/day%s",
                 bl_date_format(p->stockout_day, b1), (long long)p->available,
                 (long long)p->inbound, p->daily_mean,
                 !p->stockout_unavoidable ? ""
                 : p->supplier < 0        ? "; no supplier can deliver"
                                          : "; an order placed today arrives too late");
        return p->stockout_day - a->o.as_of;
    case 2:
        snprintf(msg, cap,
                 "price review passed but no stock and no inbound arriving within %lld days",
                 (long long)a->o.policy.stocking_days);
        return 0;
    default:
        if (p->supplier < 0) {
            snprintf(msg, cap,
                     "position %lld below reorder point %.0f, but no supplier can deliver "
                     "(none known for this SKU, or every one shut or closed)",
                     (long long)p->position, p->reorder_point);
            return 0;
        }
        snprintf(msg, cap, "order %lld from %s by %s (position %lld below reorder point %.0f)%s",
                 (long long)p->order_qty, p->supplier >= 0 ? s->sup_ext[p->supplier] : "nobody",
                 p->order_by_day == BL_RP_NEVER ? "-" : bl_date_format(p->order_by_day, b2),
                 (long long)p->position, p->reorder_point,
                 p->backup ? " - backup supplier: the primary cannot deliver before the stock-out"
                           : "");
        return p->order_qty;
    }
}

/* ---------------------------------------------------------------- saving the plan */

static const char *const plan_cols[] = {
    "org_id",        "as_of",     "sku_id",       "warehouse_id", "on_hand",      "reserved",
    "available",     "inbound",   "daily_milli",  "cover_days",   "stockout_day", "safety_stock",
    "reorder_point", "order_qty", "order_by_day", "supplier_id",  "backup",       "lead_days",
    "restock_day",   "model",     "created_at"};
#define NPLAN (sizeof(plan_cols) / sizeof(plan_cols[0]))
static const char *const alert_cols[] = {"org_id",  "as_of", "kind",      "sku_id",
                                         "message", "value", "created_at"};

static struct bl_val cover_val(double c)
{
    return isfinite(c) && c < 1e15 ? bl_val_int((int64_t)floor(c)) : bl_val_null();
}

static int save_plan(struct bl_store *st, const struct bl__snap *s, const struct args *a,
                     struct bl_diag *d)
{
    int64_t now = bl_cli_now();
    struct bl_val key[2] = {bl_val_int(s->org_id), bl_val_int(a->o.as_of)};
    int rc = bl_store_begin(st, d);
    if (!rc)
        rc = bl_store_exec(st, "DELETE FROM plan_line WHERE org_id = $1 AND as_of = $2", key, 2,
                           NULL, d);
    if (!rc)
        rc = bl_store_exec(st, "DELETE FROM stock_alert WHERE org_id = $1 AND as_of = $2", key, 2,
                           NULL, d);
    struct bl_inserter *ins = NULL;
    if (!rc)
        rc = bl_inserter_open(st, "plan_line", plan_cols, NPLAN, &ins, d);
    for (size_t k = 0; k < s->nskus && !rc; k++) {
        const struct bl_rp_plan *p = &s->plans[k];
        struct bl_val v[NPLAN] = {key[0],
                                  key[1],
                                  bl_val_int(s->sku_id[k]),
                                  bl_val_int(0),
                                  bl_val_int(p->on_hand),
                                  bl_val_int(p->reserved),
                                  bl_val_int(p->available),
                                  bl_val_int(p->inbound),
                                  bl_val_int((int64_t)llround(p->daily_mean * 1000)),
                                  cover_val(p->days_cover),
                                  day_int(p->stockout_day),
                                  bl_val_int(ceil_i(p->safety_stock)),
                                  bl_val_int(ceil_i(p->reorder_point)),
                                  bl_val_int(p->order_qty),
                                  day_int(p->order_by_day),
                                  p->supplier >= 0 ? bl_val_int(s->sup_id[p->supplier])
                                                   : bl_val_null(),
                                  bl_val_int(p->backup),
                                  bl_val_int(ceil_i(p->lead_days)),
                                  day_int(p->restock_day),
                                  bl_val_text(bl_str_c(bl_fc_model_name(s->model[k]))),
                                  bl_val_int(now)};
        rc = bl_inserter_row(ins, v, (int64_t)k + 1, d);
        for (size_t w = 0; w < p->nwh && !rc; w++) {
            const struct bl_rp_wh_line *l = &p->wh[w];
            struct bl_val wv[NPLAN];
            for (size_t i = 0; i < NPLAN; i++)
                wv[i] = bl_val_null();
            wv[0] = key[0];
            wv[1] = key[1];
            wv[2] = bl_val_int(s->sku_id[k]);
            wv[3] = bl_val_int(s->wh_id[l->warehouse]);
            wv[4] = bl_val_int(0);
            wv[5] = bl_val_int(0);
            wv[6] = bl_val_int(l->available);
            wv[7] = bl_val_int(l->inbound);
            wv[8] = bl_val_int((int64_t)llround(p->daily_mean * 1000 / (double)p->nwh));
            wv[9] = cover_val(l->days_cover);
            wv[10] = day_int(l->stockout_day);
            wv[20] = bl_val_int(now);
            rc = bl_inserter_row(ins, wv, (int64_t)k + 1, d);
        }
    }
    rc = bl_inserter_end(ins, rc, d);
    ins = NULL;
    if (!rc)
        rc = bl_inserter_open(st, "stock_alert", alert_cols, 7, &ins, d);
    char msg[400];
    for (size_t k = 0; k < s->nskus && !rc; k++)
        for (int i = 0; i < NALERT && !rc; i++) {
            if (!(s->plans[k].alerts & alert_bits[i]))
                continue;
            int64_t value = alert_text(s, a, k, i, msg, sizeof(msg));
            struct bl_val v[7] = {key[0],
                                  key[1],
                                  bl_val_text(bl_str_c(alert_names[i])),
                                  bl_val_int(s->sku_id[k]),
                                  bl_val_text(bl_str_c(msg)),
                                  bl_val_int(value),
                                  bl_val_int(now)};
            rc = bl_inserter_row(ins, v, (int64_t)k + 1, d);
        }
    rc = bl_inserter_end(ins, rc, d);
    if (!rc)
        rc = bl_store_commit(st, d);
    else
        rollback(st);
    return rc;
}

/* ---------------------------------------------------------------- plan, alerts */

static int run_plan(struct bl_cli *cli, int argc, char **argv, bool alerts_only)
{
    const char *cmd = alerts_only ? "alerts" : "plan";
    struct args a;
    int rc = parse_args(cli, cmd, argc, argv, &a);
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
    struct bl__snap s;
    rc = bl__snap_build(&s, st, org, &a.o, false, &d);
    if (!rc && !a.no_save)
        rc = save_plan(st, &s, &a, &d);
    if (rc) {
        bl__snap_release(&s);
        bl_store_close(st);
        return bl_cli_fail(cli, &d);
    }
    print_timing(cli, &a, &s);
    struct bl_out out;
    char b1[32], b2[32], daily[32], cover[32], msg[400];
    if (alerts_only) {
        static const char *const cols[] = {"sku", "kind", "value", "message"};
        bl_out_begin(&out, cli, cols, 4);
        for (size_t k = 0; k < s.nskus && !rc; k++)
            for (int i = 0; i < NALERT && !rc; i++) {
                if (!(s.plans[k].alerts & alert_bits[i]))
                    continue;
                int64_t value = alert_text(&s, &a, k, i, msg, sizeof(msg));
                struct bl_val v[4] = {bl_val_text(bl_str_c(s.sku_ext[k])),
                                      bl_val_text(bl_str_c(alert_names[i])), bl_val_int(value),
                                      bl_val_text(bl_str_c(msg))};
                rc = bl_out_row(&out, v);
            }
    } else {
        static const char *const cols[] = {"sku",           "warehouse",  "available", "inbound",
                                           "daily",         "cover_days", "stockout",  "safety",
                                           "reorder_point", "order_qty",  "order_by",  "supplier",
                                           "backup",        "lead_days",  "alerts"};
        bl_out_begin(&out, cli, cols, 15);
        for (size_t k = 0; k < s.nskus && !rc; k++) {
            const struct bl_rp_plan *p = &s.plans[k];
            snprintf(daily, sizeof(daily), "%.2f", p->daily_mean);
            snprintf(cover, sizeof(cover), "%.1f", p->days_cover);
            char al[80] = "";
            for (int i = 0; i < NALERT; i++)
                if (p->alerts & alert_bits[i]) {
                    size_t n = strlen(al);
                    snprintf(al + n, sizeof(al) - n, "%s%s", n ? " " : "", alert_names[i]);
                }
            struct bl_val v[15] = {
                bl_val_text(bl_str_c(s.sku_ext[k])),
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
                p->supplier >= 0 ? bl_val_text(bl_str_c(s.sup_ext[p->supplier])) : bl_val_null(),
                bl_val_int(p->backup),
                bl_val_int(ceil_i(p->lead_days)),
                bl_val_text(bl_str_c(al))};
            rc = bl_out_row(&out, v);
            for (size_t w = 0; a.warehouses && w < p->nwh && !rc; w++) {
                const struct bl_rp_wh_line *l = &p->wh[w];
                snprintf(daily, sizeof(daily), "%.2f", p->daily_mean / (double)p->nwh);
                snprintf(cover, sizeof(cover), "%.1f", l->days_cover);
                struct bl_val wv[15];
                for (size_t i = 0; i < 15; i++)
                    wv[i] = bl_val_null();
                wv[0] = v[0];
                wv[1] = bl_val_text(bl_str_c(s.wh_ext[l->warehouse]));
                wv[2] = bl_val_int(l->available);
                wv[3] = bl_val_int(l->inbound);
                wv[4] = bl_val_text(bl_str_c(daily));
                wv[5] = isfinite(l->days_cover) ? bl_val_text(bl_str_c(cover)) : bl_val_null();
                wv[6] = day_val(l->stockout_day, b1);
                rc = bl_out_row(&out, wv);
            }
        }
    }
    int rc2 = bl_out_end(&out);
    bl__snap_release(&s);
    bl_store_close(st);
    return rc || rc2 ? 1 : 0;
}

int bl_cmd_plan(struct bl_cli *cli, int argc, char **argv)
{
    return run_plan(cli, argc, argv, false);
}

int bl_cmd_alerts(struct bl_cli *cli, int argc, char **argv)
{
    return run_plan(cli, argc, argv, true);
}

/* ---------------------------------------------------------------- applying actions */

static int set_field(struct bl_store *st, int64_t org, enum bl_pb_kind kind, int64_t target_id,
                     int64_t value, struct bl_diag *d)
{
    struct bl_val p[3] = {bl_val_int(org), bl_val_int(target_id), bl_val_int(value)};
    switch (kind) {
    case BL_PB_OUT_OF_STOCK:
    case BL_PB_DELIST:
        p[2] = bl_val_text(bl_str_c(bl_pb_listing_name(value)));
        return bl_store_exec(st, "UPDATE sku SET listing = $3 WHERE org_id = $1 AND id = $2", p, 3,
                             NULL, d);
    case BL_PB_PAUSE_PROMOTION:
        return bl_store_exec(st, "UPDATE sku SET promoted = $3 WHERE org_id = $1 AND id = $2", p, 3,
                             NULL, d);
    case BL_PB_EXTEND_HANDLING:
        return bl_store_exec(st, "UPDATE sku SET handling_max = $3 WHERE org_id = $1 AND id = $2",
                             p, 3, NULL, d);
    case BL_PB_VACATION:
        return bl_store_exec(st, "UPDATE shop SET vacation = $3 WHERE org_id = $1 AND id = $2", p,
                             3, NULL, d);
    default:
        return BL_OK; /* marketing mail: recorded here, honoured by the mail sender */
    }
}

static int store_actions(struct bl_store *st, const struct bl__snap *s, const struct args *a,
                         struct bl_diag *d, const char **states)
{
    int64_t now = bl_cli_now();
    struct bl_val po = bl_val_int(s->org_id);
    int rc = bl_store_begin(st, d);
    int64_t next = 0;
    if (!rc)
        rc = bl_store_query_int(st, "SELECT COALESCE(MAX(id), 0) FROM action WHERE org_id = $1",
                                &po, 1, &next, d);
    char data[400], b1[32], b2[32], b3[32];
    for (size_t i = 0; i < s->nacts && !rc; i++) {
        const struct bl_pb_action *x = &s->acts[i];
        int64_t target_id = x->shop ? s->shop_id[x->target] : s->sku_id[x->target];
        if (x->op != BL_PB_NEW) {
            const char *state = x->op == BL_PB_REVERT ? "reverted" : "withdrawn";
            struct bl_val p[5] = {po, bl_val_int(x->open_id), bl_val_text(bl_str_c(state)),
                                  bl_val_int(now), bl_val_text(bl_str_c(x->reason))};
            rc = bl_store_exec(st,
                               "UPDATE action SET state = $3, closed_at = $4, close_reason = $5 "
                               "WHERE org_id = $1 AND id = $2",
                               p, 5, NULL, d);
            if (!rc && x->op == BL_PB_REVERT)
                rc = set_field(st, s->org_id, x->kind, target_id, x->after, d);
            states[i] = state;
            continue;
        }
        bool apply = x->mode == BL_PB_APPLY;
        snprintf(data, sizeof(data),
                 "{\"available\":%lld,\"inbound\":%lld,\"daily\":%.3f,\"stockout\":%s%s%s,"
                 "\"restock\":%s%s%s,\"until\":%s%s%s}",
                 (long long)x->available, (long long)x->inbound, x->daily_mean,
                 x->stockout_day == BL_RP_NEVER ? "" : "\"",
                 x->stockout_day == BL_RP_NEVER ? "null" : bl_date_format(x->stockout_day, b1),
                 x->stockout_day == BL_RP_NEVER ? "" : "\"",
                 x->restock_day == BL_RP_NEVER ? "" : "\"",
                 x->restock_day == BL_RP_NEVER ? "null" : bl_date_format(x->restock_day, b2),
                 x->restock_day == BL_RP_NEVER ? "" : "\"", x->until_day == BL_RP_NEVER ? "" : "\"",
                 x->until_day == BL_RP_NEVER ? "null" : bl_date_format(x->until_day, b3),
                 x->until_day == BL_RP_NEVER ? "" : "\"");
        struct bl_val p[14] = {po,
                               bl_val_int(++next),
                               bl_val_text(bl_str_c(bl_pb_kind_name(x->kind))),
                               bl_val_text(x->shop ? BL_STR("shop") : BL_STR("sku")),
                               bl_val_int(target_id),
                               bl_val_text(bl_str_c(field_of(x->kind))),
                               bl_val_int(x->before),
                               bl_val_int(x->after),
                               bl_val_text(apply ? BL_STR("applied") : BL_STR("proposed")),
                               bl_val_text(bl_str_c(x->reason)),
                               bl_val_text(bl_str_c(data)),
                               bl_val_int(a->o.as_of),
                               bl_val_int(now),
                               apply ? bl_val_int(now) : bl_val_null()};
        rc = bl_store_exec(st,
                           "INSERT INTO action (org_id, id, kind, target, target_id, field, "
                           "before_val, after_val, state, reason, data, as_of, proposed_at, "
                           "applied_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
                           "$12, $13, $14)",
                           p, 14, NULL, d);
        if (!rc && apply)
            rc = set_field(st, s->org_id, x->kind, target_id, x->after, d);
        states[i] = apply ? "applied" : "proposed";
    }
    if (!rc)
        rc = bl_store_commit(st, d);
    else
        rollback(st);
    return rc;
}

int bl_cmd_playbook(struct bl_cli *cli, int argc, char **argv)
{
    struct args a;
    int rc = parse_args(cli, "playbook", argc, argv, &a);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (!a.have_as_of)
        return usage(cli, "playbook", "%s", "--as-of DAY is required");
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl__snap s;
    const char **states = NULL;
    rc = bl__snap_build(&s, st, org, &a.o, true, &d);
    if (!rc) {
        states = bl_calloc(s.nacts ? s.nacts : 1, sizeof(*states));
        if (!states)
            rc = bl_diag_set(&d, BL_ENOMEM, "playbook: out of memory");
    }
    if (!rc && a.apply)
        rc = store_actions(st, &s, &a, &d, states);
    if (rc) {
        bl_free(states);
        bl__snap_release(&s);
        bl_store_close(st);
        return bl_cli_fail(cli, &d);
    }
    print_timing(cli, &a, &s);
    static const char *const cols[] = {"op",     "kind",  "target", "field",
                                       "before", "after", "state",  "reason"};
    struct bl_out out;
    bl_out_begin(&out, cli, cols, 8);
    char bv[40], av[40];
    static const char *const ops[] = {"new", "revert", "withdraw"};
    for (size_t i = 0; i < s.nacts && !rc; i++) {
        const struct bl_pb_action *x = &s.acts[i];
        value_text(x->kind, x->before, bv, sizeof(bv));
        value_text(x->kind, x->after, av, sizeof(av));
        const char *state = states[i]                ? states[i]
                            : x->op != BL_PB_NEW     ? "pending"
                            : x->mode == BL_PB_APPLY ? "to apply"
                                                     : "to propose";
        struct bl_val v[8] = {
            bl_val_text(bl_str_c(ops[x->op])),
            bl_val_text(bl_str_c(bl_pb_kind_name(x->kind))),
            bl_val_text(bl_str_c(x->shop ? s.shop_ext[x->target] : s.sku_ext[x->target])),
            bl_val_text(bl_str_c(field_of(x->kind))),
            bl_val_text(bl_str_c(bv)),
            bl_val_text(bl_str_c(av)),
            bl_val_text(bl_str_c(state)),
            bl_val_text(bl_str_c(x->reason))};
        rc = bl_out_row(&out, v);
    }
    int rc2 = bl_out_end(&out);
    if (!a.apply && s.nacts)
        fprintf(cli->err, "ballast: %zu action(s); run with --apply to record them\n", s.nacts);
    bl_free(states);
    bl__snap_release(&s);
    bl_store_close(st);
    return rc || rc2 ? 1 : 0;
}

/* ---------------------------------------------------------------- actions */

struct list_ctx {
    struct bl_out *out;
    int rc;
};

static int action_row(void *ctx, const struct bl_row *r)
{
    struct list_ctx *c = ctx;
    char kindb[40], bv[40], av[40], asof[32];
    enum bl_pb_kind kind = BL_PB_PAUSE_MAIL;
    if (bl_pb_kind_parse(bl_str_copy(kindb, sizeof(kindb), bl_row_text(r, 1)), &kind))
        kind = BL_PB_PAUSE_MAIL;
    value_text(kind, bl_row_int(r, 4), bv, sizeof(bv));
    value_text(kind, bl_row_int(r, 5), av, sizeof(av));
    struct bl_val v[9] = {bl_val_int(bl_row_int(r, 0)),
                          bl_val_text(bl_row_text(r, 1)),
                          bl_val_text(bl_row_text(r, 2)),
                          bl_val_text(bl_row_text(r, 3)),
                          bl_val_text(bl_str_c(bv)),
                          bl_val_text(bl_str_c(av)),
                          bl_val_text(bl_row_text(r, 6)),
                          bl_val_text(bl_str_c(bl_date_format(bl_row_int(r, 7), asof))),
                          bl_val_text(bl_row_text(r, 8))};
    c->rc = bl_out_row(c->out, v);
    return c->rc;
}

struct approve_ctx {
    bool found;
    int64_t target, after;
    enum bl_pb_kind kind;
    bool kind_ok;
};

static int approve_row(void *ctx, const struct bl_row *r)
{
    struct approve_ctx *c = ctx;
    char kindb[40];
    c->found = true;
    c->target = bl_row_int(r, 0);
    c->after = bl_row_int(r, 1);
    c->kind_ok =
        bl_pb_kind_parse(bl_str_copy(kindb, sizeof(kindb), bl_row_text(r, 2)), &c->kind) == BL_OK;
    return 0;
}

/* Applies a proposed action: its field gets the proposed value. */
static int approve(struct bl_cli *cli, struct bl_store *st, int64_t org, const char *idtext,
                   struct bl_diag *d)
{
    double v;
    if (!num(idtext, 1, 9e15, &v))
        return usage(cli, "actions", "--approve %s: expected an action id", idtext);
    struct bl_val p[3] = {bl_val_int(org), bl_val_int((int64_t)v), bl_val_int(bl_cli_now())};
    struct approve_ctx c = {0};
    int rc = bl_store_begin(st, d);
    if (!rc)
        rc = bl_store_query(st,
                            "SELECT target_id, after_val, kind FROM action WHERE org_id = $1 "
                            "AND id = $2 AND state = 'proposed'",
                            p, 2, approve_row, &c, d);
    if (!rc && (!c.found || !c.kind_ok))
        rc = bl_diag_set(d, BL_ENOTFOUND, "no proposed action %s (see 'ballast actions')", idtext);
    if (!rc)
        rc = set_field(st, org, c.kind, c.target, c.after, d);
    if (!rc)
        rc = bl_store_exec(st,
                           "UPDATE action SET state = 'applied', applied_at = $3 "
                           "WHERE org_id = $1 AND id = $2",
                           p, 3, NULL, d);
    if (!rc)
        rc = bl_store_commit(st, d);
    else
        rollback(st);
    if (rc)
        return bl_cli_fail(cli, d);
    fprintf(cli->out, "action %s applied\n", idtext);
    return 0;
}

static int set_policy(struct bl_cli *cli, struct bl_store *st, int64_t org, const char *spec,
                      struct bl_diag *d)
{
    const char *eq = strchr(spec, '=');
    char kindb[40];
    enum bl_pb_kind kind;
    if (!eq || (size_t)(eq - spec) >= sizeof(kindb))
        return usage(cli, "actions", "--policy %s: expected KIND=propose|apply", spec);
    memcpy(kindb, spec, (size_t)(eq - spec));
    kindb[eq - spec] = 0;
    if (bl_pb_kind_parse(kindb, &kind) ||
        (strcmp(eq + 1, "propose") != 0 && strcmp(eq + 1, "apply") != 0))
        return usage(cli, "actions",
                     "--policy %s: expected KIND=propose|apply, KIND one of out_of_stock, "
                     "delist, pause_promotion, pause_mail, extend_handling, vacation",
                     spec);
    struct bl_val p[3] = {bl_val_int(org), bl_val_text(bl_str_c(kindb)),
                          bl_val_text(bl_str_c(eq + 1))};
    int rc = bl_store_exec(st,
                           "INSERT INTO action_policy (org_id, kind, mode) VALUES ($1, $2, $3) "
                           "ON CONFLICT (org_id, kind) DO UPDATE SET mode = excluded.mode",
                           p, 3, NULL, d);
    if (rc)
        return bl_cli_fail(cli, d);
    fprintf(cli->out, "%s: %s\n", kindb, eq + 1);
    return 0;
}

int bl_cmd_actions(struct bl_cli *cli, int argc, char **argv)
{
    struct args a;
    int rc = parse_args(cli, "actions", argc, argv, &a);
    if (rc)
        return rc < 0 ? 0 : rc;
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    if (a.approve || a.policy) {
        rc = a.approve ? approve(cli, st, org, a.approve, &d)
                       : set_policy(cli, st, org, a.policy, &d);
        bl_store_close(st);
        return rc;
    }
    static const char *const cols[] = {"id",    "kind",  "target", "field", "before",
                                       "after", "state", "as_of",  "reason"};
    struct bl_out out;
    bl_out_begin(&out, cli, cols, 9);
    struct list_ctx c = {&out, 0};
    struct bl_val p[3] = {bl_val_int(org), bl_val_text(bl_str_c(a.sku ? a.sku : "")),
                          bl_val_text(bl_str_c(a.state ? a.state : ""))};
    rc = bl_store_query(st,
                        "SELECT a.id, a.kind, COALESCE(k.ext_id, h.ext_id, ''), a.field, "
                        "a.before_val, a.after_val, a.state, a.as_of, "
                        "CASE WHEN a.close_reason IS NULL THEN a.reason "
                        "ELSE a.reason || ' / ' || a.close_reason END "
                        "FROM action a "
                        "LEFT JOIN sku k ON a.target = 'sku' AND k.org_id = a.org_id "
                        "AND k.id = a.target_id "
                        "LEFT JOIN shop h ON a.target = 'shop' AND h.org_id = a.org_id "
                        "AND h.id = a.target_id "
                        "WHERE a.org_id = $1 AND ($2 = '' OR (a.target = 'sku' AND k.ext_id = $2)) "
                        "AND ($3 = '' OR a.state = $3) ORDER BY a.id",
                        p, 3, action_row, &c, &d);
    int rc2 = bl_out_end(&out);
    bl_store_close(st);
    if (rc && !c.rc)
        return bl_cli_fail(cli, &d);
    return rc || rc2 ? 1 : 0;
}
