/* cmd_disrupt.c - `ballast disruption add|list|lift` (the use cases: src/app/disruption.h;
 * `disruption edit`: cmd_disrupt_edit.c; `show` and `impact`: cmd_disrupt_show.c;
 * `protect`: cmd_protect.c; shared flag checks: disrupt_common.c).
 *
 * Parse the flags, call the use case, say what happened. Flag values are checked before
 * the store is opened, so a usage error (exit 2) never touches it; a refusal of the use
 * case (unknown disruption, duplicate --id, already lifted...) comes back as a reason
 * code, said here in English (exit 1).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/disrupt_common.h"
#include "cli/out.h"

#include "app/disruption.h"

#include "ballast/region.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---------------------------------------------------------------- disruption add */

static const char add_usage[] =
    "usage: disruption add --region R --scope origin|destination|both --from T [--to T] "
    "--kind K [--channel C] [--supplier S] [--note TEXT] [--id EXT] [--tz ZONE] "
    "(no --to: until further notice)";

static const struct option add_opts[] = {
    {"region", required_argument, NULL, 'r'},   {"scope", required_argument, NULL, 's'},
    {"from", required_argument, NULL, 'F'},     {"to", required_argument, NULL, 'T'},
    {"kind", required_argument, NULL, 'k'},     {"channel", required_argument, NULL, 'c'},
    {"supplier", required_argument, NULL, 'u'}, {"note", required_argument, NULL, 'n'},
    {"id", required_argument, NULL, 'o'},       {"tz", required_argument, NULL, 'z'},
    {"format", required_argument, NULL, 'f'},   {NULL, 0, NULL, 0},
};

/* Says why the use case refused an add. */
static int add_refused(struct bl_cli *cli, const struct bl__dis_args *a,
                       const struct bl_app_disruption_declare_res *res, const struct bl_diag *d)
{
    switch (res->reason) {
    case BL_APP_DIS_EXT_TAKEN:
        return bl__dis_fail(cli,
                            "--id %s: disruption %lld already has this id: expected an id not "
                            "used by another disruption",
                            a->ext, (long long)res->other_id);
    case BL_APP_DIS_UNKNOWN_CHANNEL:
        return bl__dis_fail(cli,
                            "--channel %s: unknown channel: expected the id of a channel in the "
                            "store (import channels first)",
                            a->channel);
    case BL_APP_DIS_UNKNOWN_SUPPLIER:
        return bl__dis_fail(cli,
                            "--supplier %s: unknown supplier: expected the id of a supplier in "
                            "the store (import suppliers first)",
                            a->supplier);
    default:
        return bl_cli_fail(cli, d);
    }
}

static int dis_add(struct bl_cli *cli, int argc, char **argv)
{
    static const char cmd[] = "disruption add";
    struct bl__dis_args a = {0};
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", add_opts, NULL)) != -1) {
        int urc = bl__dis_take_option(cli, c, &a);
        if (urc)
            return urc > 0 ? urc : bl_cli_bad_option(cli, cmd, argv, add_opts);
    }
    if (optind != argc)
        return bl_cli_usage(cli, cmd, "unexpected argument '%s': %s", argv[optind], add_usage);
    if (bl__dis_need(cli, cmd, a.region, "--region", "a region code such as BR or BR-SP") ||
        bl__dis_need(cli, cmd, a.scope, "--scope", "origin, destination or both") ||
        bl__dis_need(cli, cmd, a.kind, "--kind", bl__dis_kinds_text()) ||
        bl__dis_need(cli, cmd, a.from, "--from", "the instant it begins"))
        return 2;
    char region[BL_REGION_MAX];
    int scope, kind;
    int64_t from = 0, to = BL_NO_TIME;
    int urc = bl__dis_check_values(cli, cmd, &a, region, &scope, &kind);
    if (urc || bl__dis_read_window(cli, cmd, &a, &from, &to))
        return urc ? urc : 2;

    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, true, &st, &org))
        return 1;
    struct bl_app_disruption_declare_req req = {a.ext,
                                                region,
                                                (enum bl_dis_scope)scope,
                                                (enum bl_dis_kind)kind,
                                                a.channel,
                                                a.supplier,
                                                a.note,
                                                from,
                                                to,
                                                bl__dis_who(),
                                                bl_cli_now()};
    struct bl_app_disruption_declare_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_disruption_declare(st, org, &req, &res, &d);
    if (rc) {
        bl_store_close(st);
        return add_refused(cli, &a, &res, &d);
    }
    if (cli->format != BL_FMT_TABLE) { /* machines: the id, as before */
        bl_store_close(st);
        return bl__dis_print_id(cli, res.id) ? 1 : 0;
    }
    fprintf(cli->out, "Disruption %lld declared.\n", (long long)res.id);
    rc = bl__dis_impact_of(cli, st, org, res.id, BL_NO_TIME);
    bl_store_close(st);
    return rc;
}

/* ---------------------------------------------------------------- disruption list */

/* The flags of list into req (region canonicalised into region); 0, or 2. */
static int list_args(struct bl_cli *cli, int argc, char **argv, char region[BL_REGION_MAX],
                     struct bl_app_disruption_list_req *req)
{
    static const char cmd[] = "disruption list";
    static const struct option opts[] = {
        {"active-at", required_argument, NULL, 'a'},
        {"region", required_argument, NULL, 'r'},
        {"tz", required_argument, NULL, 'z'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    const char *at_s = NULL, *region_s = NULL, *tz_s = NULL;
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        if (c == 'a' || c == 'r' || c == 'z')
            *(c == 'a' ? &at_s : c == 'r' ? &region_s : &tz_s) = optarg;
        else if (c != 'f')
            return bl_cli_bad_option(cli, cmd, argv, opts);
        else if (bl_cli_set_format(cli, optarg))
            return 2;
    }
    if (optind != argc)
        return bl_cli_usage(cli, cmd, "unexpected argument '%s': list takes options only",
                            argv[optind]);
    int urc = region_s ? bl__dis_check_region(cli, cmd, "--region", region_s, region) : 0;
    if (urc)
        return urc;
    if (tz_s && !at_s)
        return bl_cli_usage(cli, cmd,
                            "--tz %s without --active-at: --tz only says how to read a local "
                            "--active-at time (listed times are always UTC)",
                            tz_s);
    req->region = region_s ? region : NULL;
    req->active_at = BL_NO_TIME;
    if (!at_s)
        return 0;
    struct bl_tz *tz;
    if (bl__dis_load_tz(cli, cmd, tz_s, &tz))
        return 2;
    urc = bl__dis_parse_time(cli, cmd, "--active-at", at_s, tz, &req->active_at);
    bl_tz_free(tz);
    return urc;
}

static int dis_list(struct bl_cli *cli, int argc, char **argv)
{
    char region[BL_REGION_MAX];
    struct bl_app_disruption_list_req req;
    int urc = list_args(cli, argc, argv, region, &req);
    if (urc)
        return urc;
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_disruption_list_res res;
    int rc = bl_app_disruption_list(st, org, &req, &res, &d);
    bl_store_close(st);
    struct bl_out o;
    bl_out_begin(&o, cli, bl__dis_cols, NELEM(bl__dis_cols));
    for (size_t i = 0; !rc && i < res.n; i++) {
        char t[4][BL_ISO_MAX];
        struct bl_val v[NELEM(bl__dis_cols)];
        bl__dis_vals(cli, &res.items[i], t, v);
        rc = bl_out_row(&o, v);
    }
    int rc2 = bl_out_end(&o);
    bl_app_disruption_list_res_release(&res);
    if (rc || rc2) {
        if (!d.code)
            bl_diag_set(&d, rc ? rc : rc2, "%s", bl_strerror(rc ? rc : rc2));
        return bl_cli_fail(cli, &d);
    }
    return 0;
}

/* ---------------------------------------------------------------- disruption lift */

static int lift_refused(struct bl_cli *cli, int64_t id, const char *at_s, int64_t at,
                        const struct bl_app_disruption_lift_res *res, const struct bl_diag *d)
{
    char a[BL_ISO_MAX], sa[128];
    switch (res->reason) {
    case BL_APP_DIS_UNKNOWN:
        return bl__dis_fail(cli,
                            "unknown disruption %lld: expected an id that 'disruption list' shows",
                            (long long)id);
    case BL_APP_DIS_ALREADY_LIFTED:
        return bl__dis_fail(cli, "disruption %lld was already lifted at %s", (long long)id,
                            bl_time_format(res->lifted_at, a));
    case BL_APP_DIS_BEFORE_START:
        return bl__dis_fail(cli,
                            "--at %s is before disruption %lld starts (%s): expected a time at "
                            "or after its start",
                            bl__dis_shown_time(at_s, at, sa, sizeof(sa)), (long long)id,
                            bl_time_format(res->starts_at, a));
    case BL_APP_DIS_CHANGED:
        return bl__dis_fail(cli, "disruption %lld changed while lifting it: try again",
                            (long long)id);
    default:
        return bl_cli_fail(cli, d);
    }
}

static int dis_lift(struct bl_cli *cli, int argc, char **argv)
{
    static const char cmd[] = "disruption lift";
    static const struct option opts[] = {
        {"at", required_argument, NULL, 'a'},
        {"tz", required_argument, NULL, 'z'},
        {NULL, 0, NULL, 0},
    };
    const char *at_s = NULL, *tz_s = NULL;
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        if (c == 'a')
            at_s = optarg;
        else if (c == 'z')
            tz_s = optarg;
        else
            return bl_cli_bad_option(cli, cmd, argv, opts);
    }
    if (argc - optind != 1)
        return bl_cli_usage(cli, cmd,
                            "expected one disruption ID (the number 'disruption list' shows)");
    int64_t id, at = bl_cli_now();
    if (bl__dis_read_id(cli, cmd, argv[optind], &id))
        return 2;
    if (tz_s && !at_s)
        return bl_cli_usage(cli, cmd, "--tz %s without --at", tz_s);
    struct bl_tz *tz;
    if (bl__dis_load_tz(cli, cmd, tz_s, &tz))
        return 2;
    int urc = at_s ? bl__dis_parse_time(cli, cmd, "--at", at_s, tz, &at) : 0;
    bl_tz_free(tz);
    if (urc)
        return urc;
    if (!at_s)
        at_s = "now";

    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_disruption_lift_req req = {id, at, bl__dis_who(), bl_cli_now()};
    struct bl_app_disruption_lift_res res;
    int rc = bl_app_disruption_lift(st, org, &req, &res, &d);
    bl_store_close(st);
    if (rc)
        return lift_refused(cli, id, at_s, at, &res, &d);
    char a[BL_ISO_MAX];
    if (cli->format == BL_FMT_TABLE) {
        fprintf(cli->out, "Disruption %lld lifted at %s.\n", (long long)id,
                bl_time_format(res.lifted_at, a));
        bl__dis_say_withdrawn(cli, res.withdrawn);
    }
    if (res.ended_before)
        fprintf(cli->err,
                "ballast: disruption %lld already ended at %s; lifted_at recorded, its "
                "effective end stays %s\n",
                (long long)id, bl_time_format(res.ends_at, a), a);
    return 0;
}

int bl_cmd_disruption(struct bl_cli *cli, int argc, char **argv)
{
    if (argc < 2)
        return bl_cli_usage(cli, "disruption",
                            "expected add or list, or edit, lift, show or impact ID");
    if (strcmp(argv[1], "add") == 0)
        return dis_add(cli, argc - 1, argv + 1);
    if (strcmp(argv[1], "list") == 0)
        return dis_list(cli, argc - 1, argv + 1);
    if (strcmp(argv[1], "lift") == 0)
        return dis_lift(cli, argc - 1, argv + 1);
    if (strcmp(argv[1], "edit") == 0)
        return bl__dis_edit(cli, argc - 1, argv + 1);
    if (strcmp(argv[1], "show") == 0)
        return bl__dis_show(cli, argc - 1, argv + 1);
    if (strcmp(argv[1], "impact") == 0)
        return bl__dis_impact(cli, argc - 1, argv + 1);
    return bl_cli_usage(cli, "disruption",
                        "unknown subcommand '%s': expected add or list, or edit, lift, show or "
                        "impact ID",
                        argv[1]);
}
