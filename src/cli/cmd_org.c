/* cmd_org.c - `ballast org`: the organisation's settings. Today one: the currency its
 * reports total in (`org set --currency USD`), converted with the rates `ballast import
 * rates FILE` stores (src/app/money.h). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "app/money.h"
#include "app/user.h"
#include "ballast/time.h"
#include "cli/cli.h"
#include "cli/out.h"

static int org_show(struct bl_cli *cli, struct bl_store *st, int64_t org)
{
    struct bl_app_org_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_app_org_show(st, org, &res, &d))
        return bl_cli_fail(cli, &d);
    fprintf(cli->out, "organisation: %s\n", cli->org ? cli->org : "default");
    if (res.currency[0])
        fprintf(cli->out, "currency: %s (reports add a total in it)\n", res.currency);
    else
        fprintf(cli->out, "currency: none set (reports show each currency apart; "
                          "`ballast org set --currency USD` adds totals)\n");
    char a[32], b[32];
    if (res.rates)
        fprintf(cli->out, "exchange rates: %lld, dated %s to %s\n", (long long)res.rates,
                bl_date_format(res.first_day, a), bl_date_format(res.last_day, b));
    else
        fprintf(cli->out, "exchange rates: none (`ballast import rates FILE`)\n");
    return 0;
}

static int org_set(struct bl_cli *cli, struct bl_store *st, int64_t org, int argc, char **argv)
{
    static const struct option opts[] = {
        {"currency", required_argument, NULL, 'c'},
        {NULL, 0, NULL, 0},
    };
    const char *cur = NULL;
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c != 'c')
            return bl_cli_usage(cli, "org set", "usage: org set --currency CODE|none");
        cur = optarg;
    }
    if (!cur || optind < argc)
        return bl_cli_usage(cli, "org set", "usage: org set --currency CODE|none");
    if (strcmp(cur, "none") == 0)
        cur = NULL;
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_app_org_currency_set(st, org, cur, &d))
        return bl_cli_fail(cli, &d);
    fprintf(cli->err, "ballast: %s\n",
            cur ? "the organisation's currency is set: reports add a total in it"
                : "the organisation's currency is unset: reports show each currency apart");
    return 0;
}

/* org govern|release MERCHANT --by MARKETPLACE */
static int org_govern(struct bl_cli *cli, struct bl_store *st, const char *cmd, int argc,
                      char **argv)
{
    static const struct option opts[] = {{"by", required_argument, NULL, 'b'},
                                         {NULL, 0, NULL, 0}};
    const char *by = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c != 'b')
            return bl_cli_bad_option(cli, cmd, argv, opts);
        by = optarg;
    }
    if (!by || argc - optind != 1)
        return bl_cli_usage(cli, cmd, "expected one merchant organisation and --by MARKETPLACE");
    bool release = strcmp(cmd, "org release") == 0;
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_app_org_govern(st, argv[optind], by, release, bl_cli_now(), &d))
        return bl_cli_fail(cli, &d);
    fprintf(cli->err,
            release ? "ballast: '%s' no longer governs '%s'\n"
                    : "ballast: '%s' governs '%s': its platform tokens and users see it and act "
                      "on it (docs/api.md, 'Platform operators')\n",
            by, argv[optind]);
    return 0;
}

static int org_merchants(struct bl_cli *cli, struct bl_store *st, int64_t org)
{
    static const char *const cols[] = {"merchant"};
    struct bl_app_merchants_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_app_merchants(st, org, &res, &d))
        return bl_cli_fail(cli, &d);
    struct bl_out out;
    bl_out_begin(&out, cli, cols, 1);
    int rc = 0;
    for (size_t i = 0; i < res.n && !rc; i++) {
        struct bl_val v = bl_val_text(bl_str_c(res.items[i].name));
        rc = bl_out_row(&out, &v);
    }
    int erc = bl_out_end(&out);
    bl_app_merchants_res_release(&res);
    return rc || erc ? 1 : 0;
}

int bl_cmd_org(struct bl_cli *cli, int argc, char **argv)
{
    static const char *const subs[] = {"show", "set", "govern", "release", "merchants"};
    const char *sub = argc > 1 ? argv[1] : "show";
    size_t k = 0;
    while (k < 5 && strcmp(sub, subs[k]) != 0)
        k++;
    if (k == 5)
        return bl_cli_usage(cli, "org",
                            "unknown subcommand '%s': expected show, set, govern, release or "
                            "merchants",
                            sub);
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    char cmd[32];
    snprintf(cmd, sizeof(cmd), "org %s", sub);
    int status = k == 1   ? org_set(cli, st, org, argc - 1, argv + 1)
                 : k >= 2 && k <= 3 ? org_govern(cli, st, cmd, argc - 1, argv + 1)
                 : k == 4 ? org_merchants(cli, st, org)
                          : org_show(cli, st, org);
    bl_store_close(st);
    return status;
}
