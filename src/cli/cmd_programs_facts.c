/* cmd_programs_facts.c - `ballast programs facts SHOP ...` and `programs facts --import
 * FILE`: the facts about a merchant that programmes look at (app/programs.h;
 * docs/formats.md, "Merchant facts"). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "app/programs.h"

int bl__programs_facts(struct bl_cli *cli, int argc, char **argv);

static const char facts_usage[] =
    "usage: programs facts SHOP [--opened T] [--reopened|--first-opening] [--deposit-paid T]\n"
    "                      [--sharing-since T] [--violation T] [--linked-to SHOP]\n"
    "       programs facts --import FILE\n"
    "  T: a date (its start, UTC), an instant with its offset, or none (not true, or no "
    "longer)";

struct facts_args {
    struct bl_app_standing_req rq;
    int64_t t[4];
    bool flag;
    const char *import;
};

static int fact_time(struct bl_cli *cli, const char *opt, const char *text, int64_t *t)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_app_fact_time(text, t, &d) == BL_OK)
        return 0;
    return bl_cli_usage(cli, "programs facts", "%s %s", opt, d.msg);
}

static int option(struct bl_cli *cli, int c, struct facts_args *a, const char *arg)
{
    static const char keys[] = "odsv";
    static const char *const names[] = {"--opened", "--deposit-paid", "--sharing-since",
                                        "--violation"};
    const int64_t **slot[] = {&a->rq.opened_at, &a->rq.deposit_paid_at, &a->rq.sharing_at,
                              &a->rq.violation_at};
    const char *k = c ? strchr(keys, c) : NULL;
    if (k) {
        size_t i = (size_t)(k - keys);
        *slot[i] = &a->t[i];
        return fact_time(cli, names[i], arg, &a->t[i]);
    }
    if (c == 'r' || c == 'F') {
        a->flag = c == 'r';
        a->rq.reopened = &a->flag;
    } else if (c == 'l') {
        a->rq.linked_to = strcmp(arg, "none") == 0 ? "" : arg;
    } else if (c == 'i') {
        a->import = arg;
    } else {
        return -1;
    }
    return 0;
}

static int args(struct bl_cli *cli, int argc, char **argv, struct facts_args *a)
{
    static const struct option opts[] = {{"opened", required_argument, NULL, 'o'},
                                         {"reopened", no_argument, NULL, 'r'},
                                         {"first-opening", no_argument, NULL, 'F'},
                                         {"deposit-paid", required_argument, NULL, 'd'},
                                         {"sharing-since", required_argument, NULL, 's'},
                                         {"violation", required_argument, NULL, 'v'},
                                         {"linked-to", required_argument, NULL, 'l'},
                                         {"import", required_argument, NULL, 'i'},
                                         {NULL, 0, NULL, 0}};
    int c, given = 0;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        int rc = option(cli, c, a, optarg);
        if (rc < 0)
            return bl_cli_bad_option(cli, "programs facts", argv, opts);
        if (rc)
            return rc;
        given += c != 'i';
    }
    if (a->import && (given || optind != argc))
        return bl_cli_usage(cli, "programs facts", "--import FILE goes alone\n%s", facts_usage);
    if (!a->import && (argc - optind != 1 || !given))
        return bl_cli_usage(cli, "programs facts", "name one shop and at least one fact\n%s",
                            facts_usage);
    a->rq.shop = a->import ? NULL : argv[optind];
    return 0;
}

int bl__programs_facts(struct bl_cli *cli, int argc, char **argv)
{
    struct facts_args a;
    memset(&a, 0, sizeof(a));
    a.rq.now = bl_cli_now();
    int urc = args(cli, argc, argv, &a);
    if (urc)
        return urc;
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    size_t n = 0;
    int rc = a.import ? bl_app_standing_import(st, org, a.import, a.rq.now, &n, &d)
                      : bl_app_standing_set(st, org, &a.rq, &d);
    bl_store_close(st);
    if (rc)
        return bl_cli_fail(cli, &d);
    if (a.import)
        fprintf(cli->err,
                "ballast: the facts of %zu shop%s set; the next 'programs eval' or "
                "cycle decides the programmes again\n",
                n, n == 1 ? "" : "s");
    else
        fprintf(cli->err,
                "ballast: %s: facts saved; the next 'programs eval' or cycle decides "
                "the programmes again\n",
                a.rq.shop);
    return 0;
}
