/* cmd_org.c - `ballast org`: the organisation's settings: the currency its reports total
 * in (`org set --currency USD`), converted with the rates `ballast import rates FILE`
 * stores (src/app/money.h), and the schedule of its daily cycle (`org set --cycle-at 06:30
 * --cycle-tz Asia/Shanghai`, src/app/sched.h). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "app/money.h"
#include "app/sched.h"
#include "app/user.h"
#include "ballast/time.h"
#include "cli/cli.h"
#include "cli/out.h"

/* The next run in the schedule's zone: "2024-11-15T06:30:00+08:00". */
static void next_text(const struct bl_app_schedule *s, char *out, size_t cap)
{
    struct bl_tz *tz = NULL;
    struct bl_diag d;
    bl_diag_clear(&d);
    char t[BL_ISO_MAX];
    if (bl_tz_load(&tz, s->tz, &d) == BL_OK) {
        bl_time_format_local(s->next_at, tz, t);
        bl_tz_free(tz);
    } else {
        bl_time_format(s->next_at, t);
    }
    snprintf(out, cap, "%s", t);
}

/* What became of the last day's run, in words. */
static void last_text(const struct bl_app_schedule *s, char *out, size_t cap)
{
    char day[BL_ISO_MAX], at[BL_ISO_MAX];
    bl_date_format(s->last_day, day);
    if (strcmp(s->last_state, "done") == 0)
        snprintf(out, cap, "%s, done (cycle %lld, %lld attempt%s; 'ballast cycle show %lld')", day,
                 (long long)s->last_cycle, (long long)s->last_attempts,
                 s->last_attempts == 1 ? "" : "s", (long long)s->last_cycle);
    else if (strcmp(s->last_state, "retrying") == 0)
        snprintf(out, cap, "%s, attempt %lld failed: tried again at %s", day,
                 (long long)s->last_attempts, bl_time_format(s->last_next_at, at));
    else if (strcmp(s->last_state, "stopped") == 0)
        snprintf(out, cap, "%s, stopped between two steps when the server stopped (attempt %lld): "
                 "the next start completes it", day, (long long)s->last_attempts);
    else if (strcmp(s->last_state, "given_up") == 0)
        snprintf(out, cap, "%s, given up after %lld failed attempt%s ('ballast cycle list')", day,
                 (long long)s->last_attempts, s->last_attempts == 1 ? "" : "s");
    else
        snprintf(out, cap, "%s, running since %s", day, bl_time_format(s->last_as_of, at));
}

static void show_schedule(struct bl_cli *cli, const struct bl_app_schedule *s)
{
    if (!s->on) {
        fprintf(cli->out, "cycle schedule: none (the cycle runs when someone runs it; "
                          "`ballast org set --cycle-at 06:30 --cycle-tz ZONE` runs it every day "
                          "under `ballast serve`)\n");
        return;
    }
    char next[BL_ISO_MAX + 8], last[200];
    next_text(s, next, sizeof(next));
    fprintf(cli->out, "cycle schedule: every day at %02d:%02d %s, while `ballast serve` runs\n",
            s->at_min / 60, s->at_min % 60, s->tz);
    fprintf(cli->out, "next cycle: %s%s%s\n", next,
            s->next_due ? " (due: the scheduler runs it now)" : "",
            s->next_local == BL_SCHED_GAP     ? " (the clocks skip the hour that day: it runs at "
                                                "the first minute after)"
            : s->next_local == BL_SCHED_TWICE ? " (the clocks show that time twice that day: it "
                                                "runs at the first, once)"
                                              : "");
    if (s->have_last) {
        last_text(s, last, sizeof(last));
        fprintf(cli->out, "last scheduled cycle: %s\n", last);
    }
}

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
    struct bl_app_schedule sch = {0};
    if (bl_app_org_schedule(st, org, 0, &sch, &d))
        return bl_cli_fail(cli, &d);
    show_schedule(cli, &sch);
    return 0;
}

struct set_args {
    const char *cur;
    bool cur_set;
    struct bl_app_schedule_req sched;
};

static int set_args(struct bl_cli *cli, int argc, char **argv, struct set_args *a)
{
    static const struct option opts[] = {
        {"currency", required_argument, NULL, 'c'},
        {"cycle-at", required_argument, NULL, 'a'},
        {"cycle-tz", required_argument, NULL, 'z'},
        {"no-cycle", no_argument, NULL, 'n'},
        {NULL, 0, NULL, 0},
    };
    static const char usage[] = "usage: org set [--currency CODE|none] [--cycle-at HH:MM] "
                                "[--cycle-tz ZONE] [--no-cycle]";
    int c;
    optind = 0;
    opterr = 0;
    memset(a, 0, sizeof(*a));
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'c')
            a->cur = optarg, a->cur_set = true;
        else if (c == 'a')
            a->sched.at = optarg;
        else if (c == 'z')
            a->sched.tz = optarg;
        else if (c == 'n')
            a->sched.off = true;
        else
            return bl_cli_bad_option(cli, "org set", argv, opts);
    }
    bool sched = a->sched.at || a->sched.tz || a->sched.off;
    if ((!a->cur_set && !sched) || optind < argc)
        return bl_cli_usage(cli, "org set", usage);
    if (a->sched.off && (a->sched.at || a->sched.tz))
        return bl_cli_usage(cli, "org set", "--no-cycle turns the schedule off: give it alone, "
                                            "without --cycle-at or --cycle-tz");
    if (a->cur && strcmp(a->cur, "none") == 0)
        a->cur = NULL;
    return 0;
}

static int org_set(struct bl_cli *cli, struct bl_store *st, int64_t org, int argc, char **argv)
{
    struct set_args a;
    int urc = set_args(cli, argc, argv, &a);
    if (urc)
        return urc;
    struct bl_diag d;
    bl_diag_clear(&d);
    if (a.cur_set && bl_app_org_currency_set(st, org, a.cur, &d))
        return bl_cli_fail(cli, &d);
    if (a.cur_set)
        fprintf(cli->err, "ballast: %s\n",
                a.cur ? "the organisation's currency is set: reports add a total in it"
                      : "the organisation's currency is unset: reports show each currency apart");
    if (!a.sched.at && !a.sched.tz && !a.sched.off)
        return 0;
    struct bl_app_schedule res;
    if (bl_app_org_schedule_set(st, org, &a.sched, &res, &d)) {
        d.field[0] = '\0'; /* the API's member name; the message says which option */
        return bl_cli_fail(cli, &d);
    }
    if (!res.on) {
        fprintf(cli->err, "ballast: the organisation's cycle has no schedule: it runs when "
                          "someone runs it ('ballast cycle', POST /api/v1/cycles)\n");
        return 0;
    }
    char next[BL_ISO_MAX + 8];
    next_text(&res, next, sizeof(next));
    fprintf(cli->err,
            "ballast: the organisation's cycle runs every day at %02d:%02d %s while 'ballast "
            "serve' runs; the next at %s\n",
            res.at_min / 60, res.at_min % 60, res.tz, next);
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
