/* cmd_programs.c - `ballast programs list|add|remove|eval|members|facts`: a marketplace's
 * support programmes for its merchants (app/programs.h, docs/internals/programs.md). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "ballast/assess.h" /* BL_NO_TIME */
#include "cli/out.h"
#include "cli/programs_text.h"

int bl__programs_members(struct bl_cli *cli, int argc, char **argv); /* cmd_programs_members.c */
int bl__programs_facts(struct bl_cli *cli, int argc, char **argv);   /* cmd_programs_facts.c */

static const char usage[] =
    "usage: programs list [--locale en|zh-CN]\n"
    "       programs add FILE | programs remove PROGRAM\n"
    "       programs eval --as-of T [--program P] [--dry-run] [--tz ZONE] [--locale en|zh-CN]\n"
    "       programs members PROGRAM [--explain SHOP [--as-of T]] [--locale en|zh-CN]\n"
    "       programs facts SHOP [--opened T] [--reopened|--first-opening] [--deposit-paid T]\n"
    "                      [--sharing-since T] [--violation T] [--linked-to SHOP]\n"
    "       programs facts --import FILE";

/* --locale and --format, the only options of list: 0, or 2. */
static int locale_args(struct bl_cli *cli, const char *cmd, int argc, char **argv)
{
    static const struct option opts[] = {{"locale", required_argument, NULL, 'L'},
                                         {"format", required_argument, NULL, 'f'},
                                         {NULL, 0, NULL, 0}};
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        if (c == 'L' && (strcmp(optarg, "en") == 0 || strcmp(optarg, "zh-CN") == 0))
            cli->locale = optarg;
        else if (c == 'L')
            return bl_cli_usage(cli, cmd, "--locale %s: expected en or zh-CN", optarg);
        else if (c != 'f')
            return bl_cli_bad_option(cli, cmd, argv, opts);
        else if (bl_cli_set_format(cli, optarg))
            return 2;
    }
    if (optind != argc)
        return bl_cli_usage(cli, cmd, "unexpected argument '%s'\n%s", argv[optind], usage);
    return 0;
}

static int list(struct bl_cli *cli, int argc, char **argv)
{
    int urc = locale_args(cli, "programs list", argc, argv);
    struct bl__pgw w;
    if (urc || bl__pgw_open(cli, &w))
        return urc ? urc : 1;
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return bl__pgw_close(&w), 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_programs_res res;
    int rc = bl_app_programs(st, org, &res, &d);
    bl_store_close(st);
    if (rc) {
        bl_app_programs_res_release(&res);
        bl__pgw_close(&w);
        return bl_cli_fail(cli, &d);
    }
    static const char *const cols[] = {"program", "name", "conditions",      "benefits",
                                       "members", "lost", "evaluated_as_of", "file"};
    struct bl_out out;
    bl_out_begin(&out, cli, cols, 8);
    for (size_t i = 0; !rc && i < res.n; i++) {
        const struct bl_app_program *p = &res.items[i];
        char conds[1000], bens[1000], when[80] = "";
        bl__pgw_conditions(&w, &p->def, conds, sizeof(conds));
        bl__pgw_benefits(&w, &p->def, bens, sizeof(bens));
        if (p->as_of != BL_NO_TIME)
            bl__pgw_when(&w, p->as_of, NULL, when, sizeof(when));
        struct bl_val v[8] = {bl_val_text(bl_str_c(p->def.id)),
                              bl_val_text(bl_str_c(bl__pgw_name(&w, &p->def))),
                              bl_val_text(bl_str_c(conds)),
                              bl_val_text(bl_str_c(bens)),
                              bl_val_int(p->members),
                              bl_val_int(p->lost),
                              when[0] ? bl_val_text(bl_str_c(when)) : bl_val_null(),
                              bl_val_text(bl_str_c(p->source))};
        rc = bl_out_row(&out, v);
    }
    int erc = bl_out_end(&out);
    if (!res.n && !rc && cli->format == BL_FMT_TABLE)
        fprintf(cli->err, "ballast: no programme yet: 'ballast programs add FILE' "
                          "(data/programs/ has examples)\n");
    bl_app_programs_res_release(&res);
    bl__pgw_close(&w);
    return rc || erc ? 1 : 0;
}

static int add(struct bl_cli *cli, int argc, char **argv)
{
    if (argc != 2)
        return bl_cli_usage(cli, "programs add", "name one file\n%s", usage);
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_program p;
    enum bl_app_program_added state;
    int rc = bl_app_program_add(st, org, argv[1], bl_cli_now(), &p, &state, &d);
    bl_store_close(st);
    if (rc)
        return bl_cli_fail(cli, &d);
    static const char *const said[] = {
        "already runs as this file says: nothing changed",
        "added",
        "replaced (the next evaluation decides its members again)",
    };
    fprintf(cli->out, "programme %s (%s): %s\n", p.def.id, p.def.name_en, said[state]);
    return 0;
}

static int remove_one(struct bl_cli *cli, int argc, char **argv)
{
    if (argc != 2)
        return bl_cli_usage(cli, "programs remove", "name one programme\n%s", usage);
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_program_remove(st, org, argv[1], bl_cli_now(), &d);
    bl_store_close(st);
    if (rc)
        return bl_cli_fail(cli, &d);
    fprintf(cli->out, "programme %s: no longer run (its members' records are kept)\n", argv[1]);
    return 0;
}

int bl__programs_eval(struct bl_cli *cli, int argc, char **argv); /* cmd_programs_eval.c */

int bl_cmd_programs(struct bl_cli *cli, int argc, char **argv)
{
    const char *sub = argc >= 2 ? argv[1] : "";
    if (strcmp(sub, "list") == 0)
        return list(cli, argc - 1, argv + 1);
    if (strcmp(sub, "add") == 0)
        return add(cli, argc - 1, argv + 1);
    if (strcmp(sub, "remove") == 0)
        return remove_one(cli, argc - 1, argv + 1);
    if (strcmp(sub, "eval") == 0)
        return bl__programs_eval(cli, argc - 1, argv + 1);
    if (strcmp(sub, "members") == 0)
        return bl__programs_members(cli, argc - 1, argv + 1);
    if (strcmp(sub, "facts") == 0)
        return bl__programs_facts(cli, argc - 1, argv + 1);
    return bl_cli_usage(cli, "programs", "%s", usage);
}
