/* cmd_windows.c - `ballast windows`: the catalogue's delivery windows against real
 * deliveries, per destination. The shell around bl_app_windows (src/app/logistics.h).
 */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/logistics_load.h"
#include "cli/out.h"

#include "ballast/money.h"

static struct bl_val pct(int64_t part, int64_t whole, char *buf, size_t cap)
{
    if (!whole)
        return bl_val_null();
    int64_t x = 0;
    if (bl_money_scale(part, 1000, whole, &x))
        return bl_val_null();
    bl__lg_money_text(x, 1, buf, cap);
    return bl_val_text(bl_str_c(buf));
}

static const char *const win_cols[] = {"to",       "orders",           "early",     "inside",
                                       "late",     "no_channel",       "early_pct", "inside_pct",
                                       "late_pct", "median_real_bdays"};

static int win_print(struct bl_out *o, const struct bl_app_windows_group *g)
{
    char a[32], b[32], c[32];
    int64_t n = g->early + g->inside + g->late;
    struct bl_val v[10] = {bl_val_text(bl_str_c(g->to)),
                           bl_val_int(g->orders),
                           bl_val_int(g->early),
                           bl_val_int(g->inside),
                           bl_val_int(g->late),
                           bl_val_int(g->no_channel),
                           pct(g->early, n, a, sizeof(a)),
                           pct(g->inside, n, b, sizeof(b)),
                           pct(g->late, n, c, sizeof(c)),
                           g->has_median ? bl_val_int(g->median_bdays) : bl_val_null()};
    return bl_out_row(o, v);
}

static int windows_opts(struct bl_cli *cli, int argc, char **argv, struct bl_app_windows_req *req,
                        struct bl_lg_policy *pol, char *from)
{
    static const struct option opts[] = {
        {"policy", required_argument, NULL, 'p'},
        {"channel", required_argument, NULL, 'c'},
        {"from", required_argument, NULL, 'F'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int bad = 0;
        switch (c) {
        case 'p':
            bad = bl__lg_parse_policy(cli, "windows", optarg, pol);
            req->policy = pol;
            break;
        case 'c':
            req->channel = optarg;
            break;
        case 'F':
            bad = bl__lg_parse_region(cli, "windows", "--from", optarg, from);
            req->from = from;
            break;
        case 'f':
            bad = bl_cli_set_format(cli, optarg);
            break;
        default:
            return bl_cli_bad_option(cli, "windows", argv, opts);
        }
        if (bad)
            return 2;
    }
    if (optind != argc)
        return bl_cli_usage(cli, "windows", "takes no arguments besides its options");
    return 0;
}

int bl_cmd_windows(struct bl_cli *cli, int argc, char **argv)
{
    struct bl_app_windows_req req = {NULL, NULL, NULL, NULL, NULL};
    struct bl_lg_policy pol;
    char from[BL_REGION_MAX] = "";
    int status = windows_opts(cli, argc, argv, &req, &pol, from);
    if (status)
        return status;
    struct bl_store *st;
    int64_t org;
    struct bl_app_logistics cat;
    if (bl__lg_open(cli, &st, &org, &cat))
        return 1;
    req.cat = &cat;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_windows_res res;
    int rc = bl_app_windows(st, org, &req, &res, &d);
    bl_store_close(st);
    if (!rc) {
        struct bl_out o;
        bl_out_begin(&o, cli, win_cols, 10);
        for (size_t k = 0; !rc && k < res.n; k++)
            rc = win_print(&o, &res.g[k]);
        int rc2 = bl_out_end(&o);
        rc = rc ? rc : rc2;
    }
    if (!rc && cli->format == BL_FMT_TABLE && res.skipped)
        fprintf(cli->err,
                "ballast: %lld delivered order%s skipped: no region, or delivered before "
                "the hand-over\n",
                (long long)res.skipped, res.skipped == 1 ? "" : "s");
    bl_app_windows_res_release(&res);
    bl_app_logistics_release(&cat);
    return rc ? bl__lg_fail(cli, &d, rc) : 0;
}
