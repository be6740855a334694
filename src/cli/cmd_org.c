/* cmd_org.c - `ballast org`: the organisation's settings. Today one: the currency its
 * reports total in (`org set --currency USD`), converted with the rates `ballast import
 * rates FILE` stores (src/app/money.h). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "app/money.h"
#include "ballast/time.h"
#include "cli/cli.h"

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

int bl_cmd_org(struct bl_cli *cli, int argc, char **argv)
{
    const char *sub = argc > 1 ? argv[1] : "show";
    if (strcmp(sub, "show") != 0 && strcmp(sub, "set") != 0)
        return bl_cli_usage(cli, "org", "unknown subcommand '%s': expected show or set", sub);
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    int status = strcmp(sub, "set") == 0 ? org_set(cli, st, org, argc - 1, argv + 1)
                                         : org_show(cli, st, org);
    bl_store_close(st);
    return status;
}
