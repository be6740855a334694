/* cmd_audit.c - `ballast audit`: the audit log of the organisation, newest first
 * (src/app/audit.h): who changed what, when, from where, before and after. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "cli/cli.h"
#include "cli/out.h"

#include "ballast/time.h"

static const char *const cols[] = {"id",     "at",     "actor",     "via",    "source",
                                   "action", "object", "object_id", "before", "after"};

static int print_rows(struct bl_cli *cli, const struct bl_app_audit_res *res)
{
    struct bl_out out;
    bl_out_begin(&out, cli, cols, 10);
    out.capped = res->more;
    int rc = 0;
    for (size_t i = 0; i < res->n && !rc; i++) {
        const struct bl_audit_row *r = &res->rows[i];
        char at[BL_ISO_MAX];
        struct bl_val v[10] = {
            bl_val_int(r->id),
            bl_val_text(bl_str_c(bl_time_format(r->at, at))),
            bl_val_text(bl_str_c(r->actor)),
            bl_val_text(bl_str_c(r->via)),
            r->source[0] ? bl_val_text(bl_str_c(r->source)) : bl_val_null(),
            bl_val_text(bl_str_c(r->action)),
            bl_val_text(bl_str_c(r->object_kind)),
            r->object_id ? bl_val_text(bl_str_c(r->object_id)) : bl_val_null(),
            r->before ? bl_val_text(bl_str_c(r->before)) : bl_val_null(),
            r->after ? bl_val_text(bl_str_c(r->after)) : bl_val_null(),
        };
        rc = bl_out_row(&out, v);
    }
    int erc = bl_out_end(&out);
    return rc || erc ? 1 : 0;
}

int bl_cmd_audit(struct bl_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"since", required_argument, NULL, 's'}, {"until", required_argument, NULL, 'u'},
        {"actor", required_argument, NULL, 'a'}, {"action", required_argument, NULL, 'c'},
        {NULL, 0, NULL, 0},
    };
    int64_t want = bl_cli_sql_limit(cli, 1);
    struct bl_app_audit_req req = {BL_NO_TIME, BL_NO_TIME, NULL, NULL,
                                   want < 0 ? INT32_MAX : want, 0};
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 's' && bl_cli_parse_instant(cli, "audit", "--since", optarg, &req.since))
            return 2;
        if (c == 'u' && bl_cli_parse_instant(cli, "audit", "--until", optarg, &req.until))
            return 2;
        if (c == 'a')
            req.actor = optarg;
        else if (c == 'c')
            req.action = optarg;
        else if (c != 's' && c != 'u')
            return bl_cli_bad_option(cli, "audit", argv, opts);
    }
    if (optind < argc)
        return bl_cli_usage(cli, "audit", "unexpected '%s'", argv[optind]);
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_app_audit_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_audit_list(st, org, &req, &res, &d);
    bl_store_close(st);
    if (rc) {
        bl_app_audit_list_res_release(&res);
        return bl_cli_fail(cli, &d);
    }
    rc = print_rows(cli, &res);
    bl_app_audit_list_res_release(&res);
    return rc;
}
