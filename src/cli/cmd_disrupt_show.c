/* cmd_disrupt_show.c - `ballast disruption show ID` (one disruption and its history) and
 * `ballast disruption impact ID [--as-of T]` (what it touches), and the impact summary
 * `disruption add` and `edit` end with (the use cases: bl_app_disruption_show and
 * bl_app_disruption_impact, src/app/disruption.h). */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/disrupt_common.h"
#include "cli/out.h"

#include "app/disruption.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---------------------------------------------------------------- show */

static const char *const ev_cols[] = {"changed_at", "by", "field", "from", "to"};

/* A history value as a person reads it ("declared": "START/END", the window; buf for
 * its words). */
static struct bl_val ev_text(const struct bl_cli *cli, const char *field, const char *v, char *buf,
                             size_t cap)
{
    if (!v)
        return cli->format == BL_FMT_TABLE ? bl_val_text(BL_STR("(none)")) : bl_val_null();
    if (cli->format != BL_FMT_TABLE || strcmp(field, "note") == 0)
        return bl_val_text(bl_str_c(v));
    if (strcmp(v, "open") == 0)
        return bl_val_text(BL_STR("until further notice"));
    const char *slash = strcmp(field, "declared") == 0 ? strchr(v, '/') : NULL;
    if (!slash)
        return bl_val_text(bl_str_c(v));
    snprintf(buf, cap, "%.*s %s%s", (int)(slash - v), v,
             strcmp(slash + 1, "open") == 0 ? "" : "until ",
             strcmp(slash + 1, "open") == 0 ? "until further notice" : slash + 1);
    return bl_val_text(bl_str_c(buf));
}

static void ev_vals(const struct bl_cli *cli, const struct bl_disruption_event *e,
                    char at[BL_ISO_MAX], struct bl_val v[5])
{
    static _Thread_local char buf[2][128];
    v[0] = bl_val_text(bl_str_c(bl_time_format(e->at, at)));
    v[1] = e->who                        ? bl_val_text(bl_str_c(e->who))
           : cli->format == BL_FMT_TABLE ? bl_val_text(BL_STR("(unknown)"))
                                         : bl_val_null();
    v[2] = bl_val_text(bl_str_c(e->field));
    v[3] = ev_text(cli, e->field, e->before, buf[0], sizeof(buf[0]));
    v[4] = ev_text(cli, e->field, e->after, buf[1], sizeof(buf[1]));
}

static int show_json(struct bl_cli *cli, const struct bl_app_disruption_show_res *res)
{
    char t[4][BL_ISO_MAX];
    struct bl_val v[13];
    bl__dis_vals(cli, &res->item, t, v);
    json_t *o = bl_out_json_object(bl__dis_cols, 13, v);
    json_t *h = json_array();
    int rc = o && h ? BL_OK : BL_ENOMEM;
    for (size_t k = 0; !rc && k < res->nevents; k++) {
        char at[BL_ISO_MAX];
        struct bl_val ev[5];
        ev_vals(cli, &res->events[k], at, ev);
        json_t *e = bl_out_json_object(ev_cols, 5, ev);
        if (!e || json_array_append_new(h, e))
            rc = BL_ENOMEM;
    }
    if (!rc && json_object_set(o, "history", h))
        rc = BL_ENOMEM;
    char *text = rc ? NULL : json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (text)
        fprintf(cli->out, "%s\n", text);
    free(text);
    json_decref(o);
    json_decref(h);
    return rc || !text ? 1 : 0;
}

static int show_table(struct bl_cli *cli, const struct bl_app_disruption_show_res *res)
{
    struct bl_out o;
    char t[4][BL_ISO_MAX];
    struct bl_val v[13];
    int rc = 0, rc2;
    if (cli->format == BL_FMT_TABLE) {
        bl__dis_vals(cli, &res->item, t, v);
        bl_out_begin(&o, cli, bl__dis_cols, 13);
        rc = bl_out_row(&o, v);
        rc2 = bl_out_end(&o);
        if (rc || rc2)
            return 1;
        fprintf(cli->out, res->nevents ? "\nhistory\n" : "\nno history: imported, never changed\n");
        if (!res->nevents)
            return 0;
    }
    bl_out_begin(&o, cli, ev_cols, 5);
    for (size_t k = 0; !rc && k < res->nevents; k++) {
        char at[BL_ISO_MAX];
        struct bl_val ev[5];
        ev_vals(cli, &res->events[k], at, ev);
        rc = bl_out_row(&o, ev);
    }
    rc2 = bl_out_end(&o);
    return rc || rc2 ? 1 : 0;
}

/* Reads `ID [--as-of T [--tz ZONE]]` (impact) or `ID` (show). 0, or 2. */
static int id_args(struct bl_cli *cli, const char *cmd, int argc, char **argv, bool as_of_ok,
                   int64_t *id, int64_t *as_of)
{
    static const struct option opts[] = {
        {"as-of", required_argument, NULL, 'a'},
        {"tz", required_argument, NULL, 'z'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    const char *usage = as_of_ok ? "usage: disruption impact ID [--as-of T [--tz ZONE]]"
                                 : "usage: disruption show ID";
    const char *at_s = NULL, *tz_s = NULL;
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        if (as_of_ok && (c == 'a' || c == 'z'))
            *(c == 'a' ? &at_s : &tz_s) = optarg;
        else if (c != 'f')
            return bl_cli_bad_option(cli, cmd, argv, opts);
        else if (bl_cli_set_format(cli, optarg))
            return 2;
    }
    if (argc - optind != 1)
        return bl_cli_usage(cli, cmd, "expected one disruption ID: %s", usage);
    if (bl__dis_read_id(cli, cmd, argv[optind], id))
        return 2;
    *as_of = BL_NO_TIME;
    if (tz_s && !at_s)
        return bl_cli_usage(cli, cmd, "--tz %s without --as-of", tz_s);
    if (!at_s)
        return 0;
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_cli_parse_as_of(at_s, tz_s, as_of, &d))
        return bl_cli_usage(cli, cmd, "--as-of %s: %s", at_s, d.msg);
    return 0;
}

static int unknown(struct bl_cli *cli, int64_t id, const struct bl_diag *d, int reason)
{
    if (reason == BL_APP_DIS_UNKNOWN)
        return bl__dis_fail(cli,
                            "unknown disruption %lld: expected an id that 'disruption list' shows",
                            (long long)id);
    return bl_cli_fail(cli, d);
}

int bl__dis_show(struct bl_cli *cli, int argc, char **argv)
{
    int64_t id, as_of;
    if (id_args(cli, "disruption show", argc, argv, false, &id, &as_of))
        return 2;
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_disruption_show_res res;
    int rc = bl_app_disruption_show(st, org, id, &res, &d);
    bl_store_close(st);
    if (rc) {
        rc = unknown(cli, id, &d, res.reason);
        bl_app_disruption_show_res_release(&res);
        return rc;
    }
    rc = cli->format == BL_FMT_JSON ? show_json(cli, &res) : show_table(cli, &res);
    bl_app_disruption_show_res_release(&res);
    return rc;
}

/* ---------------------------------------------------------------- impact */

int bl__dis_impact_of(struct bl_cli *cli, struct bl_store *st, int64_t org, int64_t id,
                      int64_t as_of)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_disruption_impact_req req = {id, as_of, bl_cli_now()};
    struct bl_app_disruption_impact_res res;
    int rc = bl_app_disruption_impact(st, org, &req, &res, &d);
    if (rc)
        rc = unknown(cli, id, &d, res.reason);
    else
        rc = bl__dis_print_impact(cli, &res);
    bl_app_disruption_impact_res_release(&res);
    return rc;
}

int bl__dis_impact(struct bl_cli *cli, int argc, char **argv)
{
    int64_t id, as_of;
    if (id_args(cli, "disruption impact", argc, argv, true, &id, &as_of))
        return 2;
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    int rc = bl__dis_impact_of(cli, st, org, id, as_of);
    bl_store_close(st);
    return rc;
}
