/* cmd_programs_members.c - `ballast programs members PROGRAM [--explain SHOP]`: a
 * programme's members and those that lost it, or one shop's decision explained
 * (app/programs.h). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "ballast/assess.h" /* BL_NO_TIME */
#include "cli/out.h"
#include "cli/programs_text.h"

int bl__programs_members(struct bl_cli *cli, int argc, char **argv);

struct members_args {
    const char *program, *explain, *as_of, *tz;
};

static int args(struct bl_cli *cli, int argc, char **argv, struct members_args *a)
{
    struct bl__pg_opts o = {0};
    int rc = bl__pg_opts_parse(cli, "programs members", BL__PGO_MEMBERS, argc, argv, &o);
    if (rc)
        return rc;
    *a = (struct members_args){NULL, o.explain, o.as_of, o.tz};
    if (argc - optind != 1)
        return bl_cli_usage(cli, "programs members",
                            "name one programme (ballast programs "
                            "list)");
    a->program = argv[optind];
    if (a->as_of && !a->explain)
        return bl_cli_usage(cli, "programs members", "--as-of goes with --explain SHOP");
    return 0;
}

/* The members; merchant: the governed organisation a shop belongs to (org's own: empty). */
static int table(struct bl_cli *cli, const struct bl__pgw *w, const struct bl_app_members_res *r,
                 int64_t org)
{
    static const char *const cols[] = {"shop",     "name",    "state",  "since",
                                       "benefits", "lost_on", "reason", "merchant"};
    struct bl_out out;
    bl_out_begin(&out, cli, cols, 8);
    int rc = 0;
    for (size_t i = 0; !rc && i < r->n; i++) {
        const struct bl_member_row *m = &r->items[i];
        char state[80], since[16], lost[16], bens[400], why[200] = "";
        bl__pgw_code(w, "program_states", m->state, state, sizeof(state));
        bl__pgw_date(m->since_day, since, sizeof(since));
        bl__pgw_date(m->lost_day, lost, sizeof(lost));
        bl__pgw_stored_shares(w, m->benefits, bens, sizeof(bens));
        if (m->reason)
            bl__pgw_code(w, "program_reasons", m->reason, why, sizeof(why));
        struct bl_val v[8] = {bl_val_text(bl_str_c(m->shop)),
                              bl_val_text(bl_str_c(m->shop_name)),
                              bl_val_text(bl_str_c(state)),
                              since[0] ? bl_val_text(bl_str_c(since)) : bl_val_null(),
                              bens[0] ? bl_val_text(bl_str_c(bens)) : bl_val_null(),
                              lost[0] ? bl_val_text(bl_str_c(lost)) : bl_val_null(),
                              why[0] ? bl_val_text(bl_str_c(why)) : bl_val_null(),
                              m->shop_org != org ? bl_val_text(bl_str_c(m->org_name))
                                                 : bl_val_null()};
        rc = bl_out_row(&out, v);
    }
    int erc = bl_out_end(&out);
    return rc || erc ? 1 : 0;
}

static int list(struct bl_cli *cli, struct bl_store *st, int64_t org, const struct bl__pgw *w,
                const char *program)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_members_res r;
    int rc = bl_app_program_members(st, org, program, &r, &d);
    if (rc) {
        bl_app_members_res_release(&r);
        return bl_cli_fail(cli, &d);
    }
    if (cli->format == BL_FMT_TABLE) {
        char when[80] = "";
        if (r.program.as_of != BL_NO_TIME)
            bl__pgw_when(w, r.program.as_of, NULL, when, sizeof(when));
        fprintf(cli->out, strcmp(w->locale, "zh-CN") == 0 ? "%s（%s）%s%s\n" : "%s (%s)%s%s\n",
                bl__pgw_name(w, &r.program.def), r.program.def.id,
                when[0] ? (strcmp(w->locale, "zh-CN") == 0 ? "，最近一次评估："
                                                           : ", last "
                                                             "evaluated as of ")
                        : (strcmp(w->locale, "zh-CN") == 0 ? "，尚未评估"
                                                           : ", not evaluated "
                                                             "yet ('ballast "
                                                             "programs eval')"),
                when);
    }
    int out = table(cli, w, &r, org);
    bl_app_members_res_release(&r);
    return out;
}

int bl__programs_explain(struct bl_cli *cli, struct bl_store *st, int64_t org,
                         const struct bl__pgw *w, const char *program, const char *shop,
                         int64_t as_of, const char *tz); /* programs_explain.c */

/* The as-of of an explanation: --as-of, else the programme's last evaluation. */
static int explain_as_of(struct bl_cli *cli, struct bl_store *st, int64_t org,
                         const struct members_args *a, int64_t *as_of)
{
    if (a->as_of)
        return bl_cli_as_of(cli, "programs members", a->as_of, a->tz, as_of);
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_members_res r;
    int rc = bl_app_program_members(st, org, a->program, &r, &d);
    *as_of = r.program.as_of;
    bl_app_members_res_release(&r);
    if (rc)
        return bl_cli_fail(cli, &d);
    if (*as_of == BL_NO_TIME)
        return bl_cli_usage(cli, "programs members",
                            "programme %s was never evaluated: give --as-of T", a->program);
    return 0;
}

int bl__programs_members(struct bl_cli *cli, int argc, char **argv)
{
    struct members_args a = {0};
    int urc = args(cli, argc, argv, &a);
    struct bl__pgw w;
    if (urc || bl__pgw_open(cli, &w))
        return urc ? urc : 1;
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return bl__pgw_close(&w), 1;
    int64_t as_of = 0;
    int out =
        !a.explain ? list(cli, st, org, &w, a.program) : explain_as_of(cli, st, org, &a, &as_of);
    if (a.explain && !out)
        out = bl__programs_explain(cli, st, org, &w, a.program, a.explain, as_of, a.tz);
    bl_store_close(st);
    bl__pgw_close(&w);
    return out;
}
