/* cmd_cycle.c - `ballast cycle`: the whole daily pass (src/app/cycle.h), its summary,
 * and the past cycles (`cycle list`, `cycle show ID`). Parse, call, render. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cycle.h"
#include "app/digest.h"
#include "cli/cli.h"
#include "cli/cycle_text.h"
#include "cli/out.h"
#include "cli/progress.h"

#include "ballast/time.h"

struct cycle_args {
    const char *as_of_text, *shard_text, *tz;
    bool all_orgs, dry_run, no_digest;
    int shard_k, shard_n;
    int64_t horizon;
};

static int parse_shard(struct bl_cli *cli, const char *text, int *k, int *n)
{
    int64_t a, b;
    const char *slash = strchr(text, '/');
    if (slash && bl_str_to_i64((struct bl_str){text, (size_t)(slash - text)}, &a) == BL_OK &&
        bl_str_to_i64(bl_str_c(slash + 1), &b) == BL_OK && b >= 1 && b <= 4096 && a >= 0 && a < b) {
        *k = (int)a;
        *n = (int)b;
        return 0;
    }
    return bl_cli_usage(cli, "cycle", "--shard %s: expected K/N with 0 <= K < N, e.g. 0/2", text);
}

static int parse_args(struct bl_cli *cli, int argc, char **argv, struct cycle_args *a)
{
    static const struct option opts[] = {
        {"as-of", required_argument, NULL, 'a'},   {"all-orgs", no_argument, NULL, 'A'},
        {"shard", required_argument, NULL, 's'},   {"dry-run", no_argument, NULL, 'n'},
        {"horizon", required_argument, NULL, 'h'}, {"tz", required_argument, NULL, 'z'},
        {"format", required_argument, NULL, 'f'},  {"locale", required_argument, NULL, 'L'},
        {"no-digest", no_argument, NULL, 'D'},     {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof(*a));
    a->shard_n = 1;
    a->horizon = 14;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'a':
            a->as_of_text = optarg;
            break;
        case 'A':
            a->all_orgs = true;
            break;
        case 's':
            a->shard_text = optarg;
            if (parse_shard(cli, optarg, &a->shard_k, &a->shard_n))
                return 2;
            break;
        case 'n':
            a->dry_run = true;
            break;
        case 'h':
            if (bl_cli_parse_int(cli, "cycle", "--horizon", optarg, 1, 365, &a->horizon))
                return 2;
            break;
        case 'z':
            a->tz = optarg;
            break;
        case 'f':
            if (bl_cli_set_format(cli, optarg))
                return 2;
            break;
        case 'L':
            if (strcmp(optarg, "en") != 0 && strcmp(optarg, "zh-CN") != 0)
                return bl_cli_usage(cli, "cycle", "--locale %s: expected en or zh-CN", optarg);
            cli->locale = optarg;
            break;
        case 'D':
            a->no_digest = true;
            break;
        default:
            return bl_cli_bad_option(cli, "cycle", argv, opts);
        }
    }
    if (optind < argc)
        return bl_cli_usage(cli, "cycle", "unexpected argument '%s'", argv[optind]);
    if (!a->as_of_text)
        return bl_cli_usage(cli, "cycle",
                            "--as-of is required: a date (YYYY-MM-DD, the end of that day) or "
                            "an instant (2024-11-15T08:00:00Z)");
    return 0;
}

/* The as-of instant and the stock day, the one meaning (cli.h): a date D is the end of D,
 * so the stock day is D + 1 (its history ends with D); an instant's stock day is the day
 * it falls in (in --tz). */
static int as_of_of(struct bl_cli *cli, const struct cycle_args *a, int64_t *as_of, int64_t *day,
                    bool *end_of_day)
{
    *end_of_day = strlen(a->as_of_text) == 10;
    if (bl_cli_as_of(cli, "cycle", a->as_of_text, a->tz, as_of) ||
        bl_cli_as_of_day(cli, "cycle", a->as_of_text, a->tz, day))
        return 2;
    return 0;
}

/* Delivers the digest to the organisation's recipients; says on stderr what happened. */
static int send_digest(struct bl_cli *cli, struct bl_store *st, int64_t org,
                       const struct bl_app_digest_in *in)
{
    struct bl_app_digest_send_req sreq = {.smtp_insecure = getenv("BALLAST_SMTP_INSECURE") != NULL};
    struct bl_app_digest_send_res sres;
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_app_digest_send(st, org, in, &sreq, &sres, &d))
        return bl_cli_fail(cli, &d);
    if (sres.n)
        fprintf(cli->err, "ballast: digest of cycle %lld: %zu sent, %zu already sent, %zu failed\n",
                (long long)in->res->cycle_id, sres.sent, sres.already, sres.failed);
    for (size_t i = 0; i < sres.n; i++)
        if (sres.d[i].state == BL_DIGEST_FAILED)
            fprintf(cli->err,
                    "ballast: digest to recipient %lld (%s) failed, tried again next run: %s\n",
                    (long long)sres.d[i].target_id, sres.d[i].kind, sres.d[i].error);
    return sres.failed ? 1 : 0;
}

static int run_one(struct bl_cli *cli, struct bl_store *st, int64_t org, const char *org_name,
                   const struct bl_app_cycle_req *req, bool many, bool digest)
{
    struct bl_app_cycle_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_cycle(st, org, req, &res, &d);
    if (req->step_ctx)
        bl_progress_end(req->step_ctx);
    int prc = bl_cycle_print(cli, org_name, req, &res, many);
    struct bl_app_digest_in in = {org_name, req, &res, NULL};
    if (digest && res.cycle_id && (!rc || res.failed))
        prc |= send_digest(cli, st, org, &in);
    bl_app_cycle_res_release(&res);
    if (rc) {
        char msg[1200];
        bl_diag_format(&d, msg, sizeof(msg));
        fprintf(cli->err, "ballast: cycle for %s: %s\n", org_name, msg);
        if (!res.failed)
            return 1;
    }
    return rc || prc ? 1 : 0;
}

static int cycle_run(struct bl_cli *cli, int argc, char **argv)
{
    struct cycle_args a;
    int urc = parse_args(cli, argc, argv, &a);
    if (urc)
        return urc;
    struct bl_app_cycle_req req = {
        .dry_run = a.dry_run, .shard = a.shard_text, .horizon_days = (int)a.horizon};
    req.tz = a.tz;
    struct bl_progress prog;
    bl_progress_init(&prog, cli, "cycle", "steps");
    if (bl_progress_on(&prog)) {
        req.on_step = bl_progress_step;
        req.step_ctx = &prog;
    }
    if (as_of_of(cli, &a, &req.as_of, &req.day, &req.end_of_day))
        return 2;
    struct bl_store *st;
    int64_t org;
    if (!a.all_orgs && !a.shard_text) {
        if (bl_cli_open(cli, false, &st, &org))
            return 1;
        int rc = run_one(cli, st, org, cli->org, &req, false, !a.no_digest);
        bl_store_close(st);
        return rc;
    }
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    int64_t *ids = NULL;
    char **names = NULL;
    size_t n = 0;
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_app_cycle_orgs(st, a.shard_k, a.shard_n, &ids, &names, &n, &d)) {
        bl_store_close(st);
        return bl_cli_fail(cli, &d);
    }
    int rc = 0;
    for (size_t i = 0; i < n; i++)
        rc |= run_one(cli, st, ids[i], names[i], &req, true, !a.no_digest);
    if (cli->format == BL_FMT_TABLE)
        fprintf(cli->out, "%zu organisation%s%s\n", n, n == 1 ? "" : "s",
                a.shard_text ? " in this shard" : "");
    bl_app_orgs_free(ids, names, n);
    bl_store_close(st);
    return rc;
}

static int cycle_list(struct bl_cli *cli, int argc, char **argv)
{
    int64_t limit = bl_cli_sql_limit(cli, 1000) < 0 ? INT32_MAX : bl_cli_sql_limit(cli, 1000);
    static const struct option opts[] = {{"limit", required_argument, NULL, 'l'},
                                         {"format", required_argument, NULL, 'f'},
                                         {NULL, 0, NULL, 0}};
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'l') {
            if (bl_cli_parse_int(cli, "cycle list", "--limit", optarg, 1, INT64_MAX, &limit))
                return 2;
        } else if (c == 'f') {
            if (bl_cli_set_format(cli, optarg))
                return 2;
        } else {
            return bl_cli_bad_option(cli, "cycle list", argv, opts);
        }
    }
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    int rc = bl_cycle_print_list(cli, st, org, limit);
    bl_store_close(st);
    return rc;
}

static int cycle_show(struct bl_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
                                         {NULL, 0, NULL, 0}};
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c != 'f')
            return bl_cli_bad_option(cli, "cycle show", argv, opts);
        if (bl_cli_set_format(cli, optarg))
            return 2;
    }
    if (optind + 1 != argc)
        return bl_cli_usage(cli, "cycle show", "expected one cycle id (see 'ballast cycle list')");
    int64_t id;
    if (bl_cli_parse_int(cli, "cycle show", "ID", argv[optind], 1, INT64_MAX, &id))
        return 2;
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    int rc = bl_cycle_print_show(cli, st, org, id);
    bl_store_close(st);
    return rc;
}

int bl_cmd_cycle(struct bl_cli *cli, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "list") == 0)
        return cycle_list(cli, argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "show") == 0)
        return cycle_show(cli, argc - 1, argv + 1);
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(
            "usage: ballast cycle --as-of A [--org O | --all-orgs | --shard K/N] [--dry-run]\n"
            "                     [--horizon DAYS] [--tz ZONE] [--locale en|zh-CN] [--no-digest]\n"
            "       ballast cycle list [--limit N]\n"
            "       ballast cycle show ID\n"
            "The whole day's pass: forecast, plan, alerts, playbook, route, assess,\n"
            "compensate, SLA waivers, customer messages, banners (docs/internals/cycle.md);\n"
            "then the operator's digest to the recipients of 'ballast notify'.\n",
            cli->out);
        return 0;
    }
    return cycle_run(cli, argc, argv);
}
