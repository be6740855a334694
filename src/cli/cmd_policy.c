/* cmd_policy.c - `ballast route policy list | import FILE | --shop S POLICY` and
 * `ballast refund policy list | --shop S SHARE`: per-shop logistics policies, the shell
 * around bl_app_route_policy_* (src/app/logistics.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/logistics_load.h"
#include "cli/out.h"

static const char *const pol_cols[] = {"shop", "route_policy", "refund_share"};

static int policy_list(struct bl_cli *cli, struct bl_store *st, int64_t org, struct bl_diag *d)
{
    struct bl_app_route_policy_res res;
    int rc = bl_app_route_policy_list(st, org, &res, d);
    struct bl_out o;
    bl_out_begin(&o, cli, pol_cols, 3);
    for (size_t i = 0; !rc && i < res.n; i++) {
        char share[40];
        bl__lg_money_text(res.p[i].share_bp, 4, share, sizeof(share));
        struct bl_val v[3] = {bl_val_text(bl_str_c(res.p[i].shop)),
                              bl_val_text(bl_str_c(res.p[i].route_text)),
                              bl_val_text(bl_str_c(share))};
        rc = bl_out_row(&o, v);
    }
    int rc2 = bl_out_end(&o);
    bl_app_route_policy_res_release(&res);
    return rc ? rc : rc2;
}

int bl__lg_policy_cmd(struct bl_cli *cli, const char *which, int argc, char **argv)
{
    bool route = strcmp(which, "route") == 0;
    const char *usage = route ? "usage: route policy list | import FILE | --shop SHOP "
                                "cheapest|fastest|preferred:CARRIER"
                              : "usage: refund policy list | --shop SHOP SHARE (0..1, default 0.5)";
    static const struct option opts[] = {{"shop", required_argument, NULL, 's'},
                                         {"format", required_argument, NULL, 'f'},
                                         {NULL, 0, NULL, 0}};
    const char *shop = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 's')
            shop = optarg;
        else if (c != 'f' || bl_cli_set_format(cli, optarg))
            return c != 'f' ? bl_cli_bad_option(cli, which, argv, opts) : 2;
    }
    int nargs = argc - optind;
    char **args = argv + optind;
    bool list = !shop && nargs == 1 && strcmp(args[0], "list") == 0;
    bool import = route && !shop && nargs == 2 && strcmp(args[0], "import") == 0;
    if (!list && !import && !(shop && nargs == 1))
        return bl_cli_usage(cli, which, "%s", usage);
    struct bl_lg_policy p;
    int64_t bp = 0;
    if (shop && route && bl_app_route_policy_parse(args[0], &p))
        return bl_cli_usage(cli, which, "%s: expected cheapest, fastest or preferred:CARRIER",
                            args[0]);
    if (shop && !route && bl_app_share_parse(args[0], &bp))
        return bl_cli_usage(cli, which, "%s: expected a share from 0 to 1, e.g. 0.5", args[0]);
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = BL_OK;
    if (list) {
        rc = policy_list(cli, st, org, &d);
    } else if (import) {
        struct bl_app_route_policy_res res;
        rc = bl_app_route_policy_import(st, org, args[1], bl_cli_now(), &res, &d);
        size_t n = res.set;
        bl_app_route_policy_res_release(&res);
        if (!rc)
            fprintf(cli->err, "ballast: %zu shop polic%s set\n", n, n == 1 ? "y" : "ies");
    } else if (route) {
        struct bl_app_route_policy_req req = {shop, args[0], NULL, bl_cli_now()};
        rc = bl_app_route_policy_set(st, org, &req, &d);
    } else {
        rc = bl_app_refund_policy_set(st, org, shop, bp, bl_cli_now(), &d);
    }
    bl_store_close(st);
    return rc ? bl__lg_fail(cli, &d, rc) : 0;
}
