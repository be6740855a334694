/* cmd_disrupt_edit.c - `ballast disruption edit ID`: move a disruption's window, widen or
 * narrow its region, change its scope, kind or note (the use case:
 * bl_app_disruption_edit, src/app/disruption.h). Its channel, supplier and id stay.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/disrupt_common.h"

#include "app/disruption.h"

static const char edit_usage[] =
    "usage: disruption edit ID [--from T] [--to T | --no-end] [--region R] [--scope S] "
    "[--kind K] [--note TEXT] [--tz ZONE]";

static const struct option edit_opts[] = {
    {"region", required_argument, NULL, 'r'}, {"scope", required_argument, NULL, 's'},
    {"from", required_argument, NULL, 'F'},   {"to", required_argument, NULL, 'T'},
    {"kind", required_argument, NULL, 'k'},   {"note", required_argument, NULL, 'n'},
    {"tz", required_argument, NULL, 'z'},     {"no-end", no_argument, NULL, 'N'},
    {NULL, 0, NULL, 0},
};

static int edit_refused(struct bl_cli *cli, int64_t id, const struct bl__dis_args *a,
                        const struct bl_app_disruption_edit_res *res, const struct bl_diag *d)
{
    char s[BL_ISO_MAX], e[BL_ISO_MAX];
    switch (res->reason) {
    case BL_APP_DIS_UNKNOWN:
        return bl__dis_fail(cli,
                            "unknown disruption %lld: expected an id that 'disruption list' shows",
                            (long long)id);
    case BL_APP_DIS_BAD_WINDOW:
        return bl__dis_fail(cli,
                            "disruption %lld would end at %s, not after its start %s: expected "
                            "an end after the start",
                            (long long)id, bl_time_format(res->ends_at, e),
                            bl_time_format(res->starts_at, s));
    case BL_APP_DIS_LIFT_BEFORE_START:
        return bl__dis_fail(cli,
                            "--from %s: disruption %lld was lifted at %s: expected a start at or "
                            "before its lift",
                            a->from ? a->from : "", (long long)id,
                            bl_time_format(res->lifted_at, e));
    case BL_APP_DIS_CHANGED:
        return bl__dis_fail(cli, "disruption %lld changed while editing it: try again",
                            (long long)id);
    default:
        return bl_cli_fail(cli, d);
    }
}

int bl__dis_edit(struct bl_cli *cli, int argc, char **argv)
{
    static const char cmd[] = "disruption edit";
    struct bl__dis_args a = {0};
    bool no_end = false;
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", edit_opts, NULL)) != -1) {
        if (c == 'N') {
            no_end = true;
            continue;
        }
        int urc = bl__dis_take_option(cli, c, &a);
        if (urc)
            return urc > 0 ? urc : bl_cli_bad_option(cli, cmd, argv, edit_opts);
    }
    if (argc - optind != 1)
        return bl_cli_usage(cli, cmd, "expected one disruption ID: %s", edit_usage);
    int64_t id;
    if (bl__dis_read_id(cli, cmd, argv[optind], &id))
        return 2;
    if (!a.from && !a.to && !no_end && !a.region && !a.scope && !a.kind && !a.note)
        return bl_cli_usage(cli, cmd, "nothing to change: %s", edit_usage);
    if (no_end && a.to)
        return bl_cli_usage(cli, cmd,
                            "--to %s and --no-end: give an end, or none (until further notice)",
                            a.to);
    if (a.tz && !a.from && !a.to)
        return bl_cli_usage(cli, cmd, "--tz %s without --from or --to", a.tz);
    char region[BL_REGION_MAX];
    int scope, kind;
    int64_t from = 0, to = 0;
    int urc = bl__dis_check_values(cli, cmd, &a, region, &scope, &kind);
    if (urc || bl__dis_read_window(cli, cmd, &a, &from, &to))
        return urc ? urc : 2;

    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_app_disruption_edit_req req = {id,
                                             a.from != NULL,
                                             a.to != NULL || no_end,
                                             from,
                                             no_end ? BL_NO_TIME : to,
                                             a.region ? region : NULL,
                                             a.scope != NULL,
                                             a.kind != NULL,
                                             (enum bl_dis_scope)scope,
                                             (enum bl_dis_kind)kind,
                                             a.note,
                                             bl__dis_who(),
                                             bl_cli_now()};
    struct bl_app_disruption_edit_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_disruption_edit(st, org, &req, &res, &d);
    if (rc || cli->format != BL_FMT_TABLE) {
        bl_store_close(st);
        return rc ? edit_refused(cli, id, &a, &res, &d) : 0;
    }
    char s[BL_ISO_MAX], e[BL_ISO_MAX], l[BL_ISO_MAX];
    bool lifted = res.lifted_at != BL_NO_TIME && res.lifted_at < res.ends_at;
    fprintf(cli->out, "Disruption %lld changed: in force from %s %s%s%s%s.\n", (long long)id,
            bl_time_format(res.starts_at, s), bl_dis_open_end(res.ends_at) ? "" : "until ",
            bl__dis_end_text(res.ends_at, e), lifted ? ", lifted at " : "",
            lifted ? bl_time_format(res.lifted_at, l) : "");
    bl__dis_say_withdrawn(cli, res.withdrawn);
    rc = bl__dis_impact_of(cli, st, org, id, BL_NO_TIME);
    bl_store_close(st);
    return rc;
}
