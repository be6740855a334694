/* cmd_refund.c - `ballast refund ORDER`: the decision for a refund request, recorded
 * once, and `refund policy` (cmd_policy.c). The shell around bl_app_refund
 * (src/app/logistics.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/logistics_load.h"
#include "cli/out.h"

static const char *const refund_cols[] = {"order",    "shop",      "decision",    "refund",
                                          "currency", "warehouse", "return_cost", "threshold",
                                          "note",     "state"};
static const char *const kind_names[] = {"full_refund", "return_to_warehouse",
                                         "partial_refund_keep", "return_to_origin"};
static const char *const state_names[] = {"recorded", "decided before"};

static int refund_print(struct bl_cli *cli, const struct bl_app_refund_res *r)
{
    char amt[40], thr[40], cost[40];
    bl__lg_money_text(r->refund, r->exp, amt, sizeof(amt));
    bl__lg_money_text(r->threshold, r->exp, thr, sizeof(thr));
    if (r->has_return_cost)
        bl__lg_money_text(r->return_cost, r->exp, cost, sizeof(cost));
    struct bl_out o;
    bl_out_begin(&o, cli, refund_cols, 10);
    struct bl_val v[10] = {
        bl_val_text(bl_str_c(r->order)),
        bl_val_text(bl_str_c(r->shop)),
        bl_val_text(bl_str_c(kind_names[r->kind])),
        bl_val_text(bl_str_c(amt)),
        bl_val_text(bl_str_c(r->currency)),
        r->warehouse ? bl_val_text(bl_str_c(r->warehouse)) : bl_val_null(),
        r->has_return_cost ? bl_val_text(bl_str_c(cost)) : bl_val_null(),
        bl_val_text(bl_str_c(thr)),
        bl_val_text(bl_str_c(r->note)),
        bl_val_text(bl_str_c(state_names[r->state])),
    };
    int rc = bl_out_row(&o, v);
    int rc2 = bl_out_end(&o);
    return rc ? rc : rc2;
}

static const char *const list_cols[] = {"order",    "shop",      "decision",    "refund",
                                        "currency", "warehouse", "return_cost", "threshold",
                                        "request",  "note",      "decided_at"};

static int refund_row(struct bl_out *o, const struct bl_app_refund_item *r)
{
    char amt[40], thr[40], cost[40], at[BL_ISO_MAX];
    bl__lg_money_text(r->refund, r->exp, amt, sizeof(amt));
    bl__lg_money_text(r->threshold, r->exp, thr, sizeof(thr));
    if (r->has_return_cost)
        bl__lg_money_text(r->return_cost, r->exp, cost, sizeof(cost));
    struct bl_val v[11] = {
        bl_val_text(bl_str_c(r->order)),
        bl_val_text(bl_str_c(r->shop)),
        bl_val_text(bl_str_c(kind_names[r->kind])),
        bl_val_text(bl_str_c(amt)),
        bl_val_text(bl_str_c(r->currency)),
        r->warehouse ? bl_val_text(bl_str_c(r->warehouse)) : bl_val_null(),
        r->has_return_cost ? bl_val_text(bl_str_c(cost)) : bl_val_null(),
        bl_val_text(bl_str_c(thr)),
        r->request ? bl_val_text(bl_str_c(r->request)) : bl_val_null(),
        bl_val_text(bl_str_c(r->note)),
        bl_val_text(bl_str_c(bl_time_format(r->at, at))),
    };
    return bl_out_row(o, v);
}

/* `refund list [--shop S]`: the decisions recorded, oldest first. */
static int refund_list(struct bl_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"shop", required_argument, NULL, 's'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    struct bl_app_refunds_req req = {0};
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 's')
            req.shop = optarg;
        else if (c != 'f')
            return bl_cli_bad_option(cli, "refund list", argv, opts);
        else if (bl_cli_set_format(cli, optarg))
            return 2;
    }
    if (optind != argc)
        return bl_cli_usage(cli, "refund list", "unexpected argument '%s'", argv[optind]);
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_refunds_res res;
    int rc = bl_app_refunds(st, org, &req, &res, &d);
    bl_store_close(st);
    struct bl_out o;
    bl_out_begin(&o, cli, list_cols, 11);
    int orc = 0;
    for (size_t i = 0; !rc && !orc && i < res.n; i++)
        orc = refund_row(&o, &res.items[i]);
    int erc = bl_out_end(&o);
    bl_app_refunds_res_release(&res);
    if (rc)
        return bl_cli_fail(cli, &d);
    return orc || erc ? 1 : 0;
}

int bl_cmd_refund(struct bl_cli *cli, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "policy") == 0)
        return bl__lg_policy_cmd(cli, "refund", argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "list") == 0)
        return refund_list(cli, argc - 1, argv + 1);
    static const struct option opts[] = {
        {"reason", required_argument, NULL, 'r'},
        {"as-of", required_argument, NULL, 'a'},
        {"shop", required_argument, NULL, 's'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    struct bl_app_refund_req req = {.as_of = bl_cli_now()};
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int bad = 0;
        switch (c) {
        case 'r':
            req.reason = optarg;
            break;
        case 's':
            req.shop = optarg;
            break;
        case 'a':
            bad = bl_cli_as_of(cli, "refund", optarg, NULL, &req.as_of);
            break;
        case 'f':
            bad = bl_cli_set_format(cli, optarg);
            break;
        default:
            return bl_cli_bad_option(cli, "refund", argv, opts);
        }
        if (bad)
            return 2;
    }
    if (optind + 1 != argc)
        return bl_cli_usage(cli, "refund", "expected one order id");
    req.order = argv[optind];
    struct bl_store *st;
    int64_t org;
    struct bl_app_logistics cat;
    if (bl__lg_open(cli, &st, &org, &cat))
        return 1;
    req.cat = &cat;
    req.now = bl_cli_now();
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_refund_res res;
    int rc = bl_app_refund(st, org, &req, &res, &d);
    bl_store_close(st);
    if (!rc)
        rc = refund_print(cli, &res);
    bl_app_refund_res_release(&res);
    bl_app_logistics_release(&cat);
    return rc ? bl__lg_fail(cli, &d, rc) : 0;
}
