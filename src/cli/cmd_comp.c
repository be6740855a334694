/* cmd_comp.c - `ballast compensate`, `ballast coupons` and `ballast ledger`.
 *
 * Parse the options, call the use case (src/app/compensate.h) and print: coupons for
 * counted late shipments, paid from the shop's deposit through an append-only ledger,
 * once per order, whatever the as-of and however often it runs. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/assess_common.h"
#include "cli/money_out.h"
#include "cli/out.h"

#include "app/compensate.h"
#include "ballast/time.h"

#define NC(a) (sizeof(a) / sizeof((a)[0]))

static const char *state_name(enum bl_coupon_state s)
{
    return s == BL_COUPON_PAID ? "paid" : "owed";
}

static int print_coupons(struct bl_cli *cli, const struct bl_app_compensate_res *res)
{
    static const char *const cols[] = {"shop",   "order", "amount",    "currency", "state",
                                       "balance", "reason", "issued_at"};
    struct bl_out out;
    bl_out_begin(&out, cli, cols, NC(cols));
    char amt[40], bal[40], at[BL_ISO_MAX], reason[400];
    bl_time_format(res->as_of, at);
    int rc = BL_OK;
    for (size_t k = 0; !rc && k < res->n; k++) {
        const struct bl_app_coupon *c = &res->coupons[k];
        bl_app_money_text(c->amount, c->currency, amt, sizeof(amt));
        bl_app_money_text(c->balance_after, c->shop_currency, bal, sizeof(bal));
        bl_app_coupon_note(c, res->as_of, reason, sizeof(reason));
        struct bl_val v[] = {bl_val_text(bl_str_c(c->shop)),
                             bl_val_text(bl_str_c(c->order)),
                             bl_val_text(bl_str_c(amt)),
                             bl_val_text(bl_str_c(c->currency)),
                             bl_val_text(bl_str_c(state_name(c->state))),
                             bl_val_text(bl_str_c(bal)),
                             bl_val_text(bl_str_c(reason)),
                             bl_val_text(bl_str_c(at))};
        rc = bl_out_row(&out, v);
    }
    int erc = bl_out_end(&out);
    return rc ? rc : erc;
}

/* The run ends with what is owed now, per currency (and in the organisation's currency
 * when it has one): on stdout after a table, on stderr after CSV or JSON. */
static int print_owed(struct bl_cli *cli, struct bl_store *st, int64_t org,
                      const struct bl_assess_args *a, int64_t as_of)
{
    FILE *f = cli->format == BL_FMT_TABLE ? cli->out : cli->err;
    struct bl_app_shortfalls_req req = {a->shop, as_of >= 0 ? as_of / 86400 : -((-as_of + 86399) / 86400)};
    struct bl_app_shortfalls_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_shortfalls(st, org, &req, &res, &d);
    char line[600];
    bl__owed_per_currency(&res, line, sizeof(line));
    if (!res.n)
        fprintf(f, "owed: nothing; every coupon so far was paid from its shop's deposit\n");
    else
        fprintf(f, "owed, the deposit short or in another currency: %s%s\n  per shop and order: "
                   "ballast alerts --deposits\n",
                line, a->dry_run ? " (as stored: this dry run added nothing)" : "");
    static const char *const labels[] = {"coupons owed"};
    if (!rc)
        bl__print_fx_total(f, &res.total.fx, labels, &res.total.owed, 1);
    bl_app_shortfalls_res_release(&res);
    return rc ? bl_cli_fail(cli, &d) : 0;
}

int bl_cmd_compensate(struct bl_cli *cli, int argc, char **argv)
{
    struct bl_assess_args a;
    int urc = bl_assess_args_parse(cli, "compensate", argc, argv, false, &a);
    if (urc)
        return urc;
    int64_t as_of = 0, org = 0;
    struct bl_store *st = NULL;
    if (bl_assess_open(cli, &a, &as_of, &st, &org))
        return 1;
    struct bl_app_compensate_req req = {as_of, a.profile, a.shop, a.all_shops, a.dry_run,
                                        0, 0, NULL};
    struct bl_app_compensate_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_compensate(st, org, &req, &res, &d);
    int status = 0;
    if (rc)
        status = bl_assess_fail(cli, &a, res.problem, 0, &d);
    else if ((rc = print_coupons(cli, &res)) != 0)
        status = bl_cli_fail(cli, &d);
    else {
        if (cli->format == BL_FMT_TABLE)
            fprintf(cli->err, "ballast: %zu coupon%s%s\n", res.n, res.n == 1 ? "" : "s",
                    a.dry_run ? " (dry run: nothing stored)" : "");
        status = print_owed(cli, st, org, &a, as_of);
    }
    bl_app_compensate_res_release(&res);
    bl_store_close(st);
    return status;
}

/* ---- coupons and ledger ------------------------------------------------------------- */

static int list_opts(struct bl_cli *cli, const char *cmd, int argc, char **argv, const char **shop)
{
    static const struct option opts[] = {
        {"shop", required_argument, NULL, 's'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 0;
    opterr = 0;
    *shop = NULL;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 's')
            *shop = optarg;
        else if (c == 'f') {
            if (bl_cli_set_format(cli, optarg))
                return 2;
        } else
            return bl_cli_bad_option(cli, cmd, argv, opts);
    }
    if (optind < argc)
        return bl_cli_usage(cli, cmd, "unexpected argument '%s'", argv[optind]);
    return 0;
}

int bl_cmd_coupons(struct bl_cli *cli, int argc, char **argv)
{
    const char *shop;
    int urc = list_opts(cli, "coupons", argc, argv, &shop);
    if (urc)
        return urc;
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_app_coupons_req req = {.shop = shop};
    struct bl_app_coupons_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_coupons(st, org, &req, &res, &d);
    bl_store_close(st);
    static const char *const cols[] = {"shop",   "order",     "amount", "currency",
                                       "reason", "issued_at", "state",  "profile"};
    struct bl_out out;
    bl_out_begin(&out, cli, cols, NC(cols));
    int orc = BL_OK;
    for (size_t k = 0; !rc && !orc && k < res.n; k++) {
        const struct bl_app_coupon_listed *c = &res.coupons[k];
        char amt[40], at[BL_ISO_MAX];
        bl_app_money_text(c->amount, c->currency, amt, sizeof(amt));
        struct bl_val v[] = {bl_val_text(bl_str_c(c->shop)),
                             bl_val_text(bl_str_c(c->order)),
                             bl_val_text(bl_str_c(amt)),
                             bl_val_text(bl_str_c(c->currency)),
                             bl_val_text(bl_str_c(c->reason)),
                             bl_val_text(bl_str_c(bl_time_format(c->issued_at, at))),
                             bl_val_text(c->paid ? BL_STR("paid") : BL_STR("owed")),
                             bl_val_text(bl_str_c(c->profile))};
        orc = bl_out_row(&out, v);
    }
    int erc = bl_out_end(&out);
    bl_app_coupons_res_release(&res);
    if (rc)
        return bl_cli_fail(cli, &d);
    return orc || erc ? 1 : 0;
}

static int print_ledger(struct bl_cli *cli, const struct bl_app_ledger_res *res)
{
    static const char *const cols[] = {"entry", "as_of", "kind", "amount",
                                       "currency", "balance", "ref", "note"};
    struct bl_out out;
    bl_out_begin(&out, cli, cols, NC(cols));
    char dep[40], amt[40], bal[40], at[BL_ISO_MAX];
    bl_app_money_text(res->deposit, res->currency, dep, sizeof(dep));
    struct bl_val open[] = {bl_val_int(0),
                            bl_val_text(BL_STR("")),
                            bl_val_text(BL_STR("deposit")),
                            bl_val_text(bl_str_c(dep)),
                            bl_val_text(bl_str_c(res->currency)),
                            bl_val_text(bl_str_c(dep)),
                            bl_val_text(BL_STR("")),
                            bl_val_text(BL_STR("opening deposit (shops.csv)"))};
    int rc = bl_out_row(&out, open);
    for (size_t k = 0; !rc && k < res->n; k++) {
        const struct bl_app_ledger_entry *e = &res->entries[k];
        bl_app_money_text(e->amount, e->currency, amt, sizeof(amt));
        bl_app_money_text(e->balance, e->currency, bal, sizeof(bal));
        struct bl_val v[] = {bl_val_int(e->id),
                             bl_val_text(bl_str_c(bl_time_format(e->as_of, at))),
                             bl_val_text(bl_str_c(e->kind)),
                             bl_val_text(bl_str_c(amt)),
                             bl_val_text(bl_str_c(e->currency)),
                             bl_val_text(bl_str_c(bal)),
                             bl_val_text(bl_str_c(e->ref)),
                             bl_val_text(bl_str_c(e->note))};
        rc = bl_out_row(&out, v);
    }
    int erc = bl_out_end(&out);
    if (!rc && !erc && cli->format == BL_FMT_TABLE) {
        bl_app_money_text(res->balance, res->currency, bal, sizeof(bal));
        fprintf(cli->out, "balance: %s %s (the deposit; freight waivers and other currencies "
                          "apart, below)\n",
                bal, res->currency);
    }
    return rc || erc ? 1 : 0;
}

struct ledger_args {
    const char *shop;
    bool balances;
    int64_t day; /* the report's day: rates in effect on it */
};

static int ledger_opts(struct bl_cli *cli, int argc, char **argv, struct ledger_args *a)
{
    static const struct option opts[] = {
        {"shop", required_argument, NULL, 's'},
        {"balances", no_argument, NULL, 'b'},
        {"as-of", required_argument, NULL, 'a'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    static const char *const use =
        "usage: ledger --shop S [--as-of DAY] | ledger --balances [--shop S] [--as-of DAY]";
    int c;
    optind = 0;
    opterr = 0;
    memset(a, 0, sizeof(*a));
    int64_t now = bl_cli_now();
    a->day = now >= 0 ? now / 86400 : -((-now + 86399) / 86400);
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 's') {
            a->shop = optarg;
        } else if (c == 'b') {
            a->balances = true;
        } else if (c == 'a') {
            struct bl_diag d;
            bl_diag_clear(&d);
            if (bl_date_parse(bl_str_c(optarg), &a->day, &d))
                return bl_cli_usage(cli, "ledger", "--as-of %s: expected a date YYYY-MM-DD",
                                    optarg);
        } else if (c == 'f') {
            if (bl_cli_set_format(cli, optarg))
                return 2;
        } else {
            return bl_cli_usage(cli, "ledger", "%s", use);
        }
    }
    if (optind < argc)
        return bl_cli_usage(cli, "ledger", "unexpected argument '%s'", argv[optind]);
    return 0;
}

static int unknown_shop(struct bl_cli *cli, int rc, const char *shop)
{
    struct bl_diag w;
    bl_diag_clear(&w);
    bl_diag_set(&w, rc, "--shop %s: no shop with that id", shop);
    return bl_cli_fail(cli, &w);
}

/* The balances per currency (and the total in the organisation's currency). */
static int run_balances(struct bl_cli *cli, struct bl_store *st, int64_t org,
                        const struct ledger_args *a, bool title)
{
    struct bl_app_balances_req req = {a->shop, a->day};
    struct bl_app_balances_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_balances(st, org, &req, &res, &d);
    int status;
    if (rc && res.unknown_shop)
        status = unknown_shop(cli, rc, a->shop);
    else if (rc && rc != BL_ENOTFOUND)
        status = bl_cli_fail(cli, &d);
    else {
        if (title)
            fprintf(cli->out, "\nper currency (never added across currencies)\n");
        status = bl__print_balances(cli, &res);
        if (rc)
            status = bl_cli_fail(cli, &d); /* the rows are shown; the total is missing */
    }
    bl_app_balances_res_release(&res);
    return status;
}

int bl_cmd_ledger(struct bl_cli *cli, int argc, char **argv)
{
    struct ledger_args a;
    int urc = ledger_opts(cli, argc, argv, &a);
    if (urc)
        return urc;
    if (!a.shop && !a.balances)
        return bl_cli_usage(cli, "ledger", "--shop S is required (or --balances for every shop)");
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    if (a.balances) {
        int status = run_balances(cli, st, org, &a, false);
        bl_store_close(st);
        return status;
    }
    struct bl_app_ledger_req req = {.shop = a.shop};
    struct bl_app_ledger_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_ledger(st, org, &req, &res, &d);
    int status;
    if (rc && res.problem == BL_APP_ASSESS_UNKNOWN_SHOP)
        status = unknown_shop(cli, rc, a.shop);
    else
        status = rc ? bl_cli_fail(cli, &d) : print_ledger(cli, &res);
    bl_app_ledger_res_release(&res);
    if (!status && cli->format == BL_FMT_TABLE)
        status = run_balances(cli, st, org, &a, true);
    bl_store_close(st);
    return status;
}
