/* plan_args.c - the options of `ballast plan`, `alerts`, `playbook` and `actions`
 * (plan_args.h).
 *
 *   plan     --as-of DAY [policy options] [--warehouses]  replenishment plan (stored)
 *   alerts   --as-of DAY [policy options]                 stock alerts (stored)
 *   playbook --as-of DAY [policy options] [--apply]       stock-out playbook actions
 *   actions  [--sku S] [--state S] [--kind K] [--plan P] [--shop S] [--approve ID]
 *            [--policy KIND=propose|apply] [--locale L]
 *
 * The commands are in cmd_plan.c (plan, alerts) and cmd_playbook.c (playbook, actions):
 * parse here, call the use cases of src/app/stock.h, render.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "ballast/time.h"
#include "cli/cli.h"
#include "cli/plan_args.h"

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
    O_DEPOSITS,
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
    O_KIND,
    O_PLANSET,
    O_SHOP,
    O_APPROVE,
    O_POLICY,
    O_DEFSUP,
    O_QUANTILE,
    O_TZ,
    O_LOCALE,
    O_EVENTS
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
    {"deposits", no_argument, NULL, O_DEPOSITS},
    {"format", required_argument, NULL, O_FORMAT},
    {"timing", no_argument, NULL, O_TIMING},
    {"sku", required_argument, NULL, O_SKU},
    {"state", required_argument, NULL, O_STATE},
    {"kind", required_argument, NULL, O_KIND},
    {"plan", required_argument, NULL, O_PLANSET},
    {"shop", required_argument, NULL, O_SHOP},
    {"approve", required_argument, NULL, O_APPROVE},
    {"policy", required_argument, NULL, O_POLICY},
    {"default-supplier", required_argument, NULL, O_DEFSUP},
    {"quantile", required_argument, NULL, O_QUANTILE},
    {"tz", required_argument, NULL, O_TZ},
    {"locale", required_argument, NULL, O_LOCALE},
    {"events", required_argument, NULL, O_EVENTS},
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
    double v = 0; /* read only when bl__plan_num succeeded; -O3 cannot see that */
    bool sims_set = false;
    const char *as_of = NULL, *tz = NULL;
    while ((c = getopt_long(argc, argv, ":", longopts, &li)) != -1) {
        const char *arg = optarg;
        bool bad = false;
        switch (c) {
        case O_ASOF:
            as_of = arg;
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
        case O_DEPOSITS:
            a->deposits = true;
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
        case O_KIND:
            a->kind = arg;
            break;
        case O_PLANSET:
            a->plan_set = arg;
            break;
        case O_SHOP:
            a->shop = arg;
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
        case O_EVENTS:
            a->o.events_path = arg;
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
        case O_TZ:
            tz = arg;
            break;
        case O_LOCALE:
            if (strcmp(arg, "en") != 0 && strcmp(arg, "zh-CN") != 0)
                return usage(cli, cmd, "--locale %s: expected en or zh-CN", arg);
            cli->locale = arg;
            break;
        default:
            return bl_cli_bad_option(cli, cmd, argv, longopts);
        }
        if (bad)
            return bl_cli_usage(cli, cmd, "--%s %s: not a number in the allowed range",
                                longopts[li].name, arg);
    }
    if (optind < argc)
        return usage(cli, cmd, "unexpected argument '%s'", argv[optind]);
    a->have_as_of = as_of != NULL;
    return as_of ? bl_cli_as_of_day(cli, cmd, as_of, tz, &a->o.as_of) : 0;
}

