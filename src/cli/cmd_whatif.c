/* cmd_whatif.c - `ballast whatif --as-of A --assume FILE [--horizon D] [--tz ZONE]
 * [--locale en|zh-CN] [--json]`: what hypothetical events would cost over the horizon,
 * without and with them, from one snapshot, writing nothing (docs/whatif.md). The shell
 * around bl_app_whatif (src/app/whatif.h); the words are in whatif_text.c. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "app/whatif.h"
#include "app/whatif_apply.h"
#include "ballast/file.h"
#include "ballast/time.h"
#include "cli/cli.h"
#include "cli/whatif_text.h"
#include "cli/whatif_mitigate_text.h"

#define ASSUME_MAX (4u << 20)

struct wargs {
    const char *as_of, *assume, *tz;
    int64_t horizon;
    bool json, replay, brief, mitigate;
    int64_t apply; /* --apply N: the plan to propose as actions (0: none) */
};

static int args(struct bl_cli *cli, int argc, char **argv, struct wargs *a)
{
    static const struct option opts[] = {
        {"as-of", required_argument, NULL, 'a'},   {"assume", required_argument, NULL, 'f'},
        {"horizon", required_argument, NULL, 'h'}, {"tz", required_argument, NULL, 'z'},
        {"locale", required_argument, NULL, 'L'},  {"json", no_argument, NULL, 'j'},
        {"format", required_argument, NULL, 'F'},  {"replay", no_argument, NULL, 'r'},
        {"brief", no_argument, NULL, 'b'},
        {"mitigate", no_argument, NULL, 'm'},      {"apply", required_argument, NULL, 'A'},
        {NULL, 0, NULL, 0},
    };
    a->horizon = 14;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'a')
            a->as_of = optarg;
        else if (c == 'f')
            a->assume = optarg;
        else if (c == 'z')
            a->tz = optarg;
        else if (c == 'j')
            a->json = true;
        else if (c == 'r')
            a->replay = true;
        else if (c == 'b')
            a->brief = true;
        else if (c == 'm')
            a->mitigate = true;
        else if (c == 'A') {
            if (bl_cli_parse_int(cli, "whatif", "--apply", optarg, 1, 1000, &a->apply))
                return 2;
        }
        else if (c == 'h') {
            if (bl_cli_parse_int(cli, "whatif", "--horizon", optarg, 1, BL_WI_HORIZON_MAX,
                                 &a->horizon))
                return 2;
        } else if (c == 'L') {
            if (strcmp(optarg, "en") != 0 && strcmp(optarg, "zh-CN") != 0)
                return bl_cli_usage(cli, "whatif", "--locale %s: expected en or zh-CN", optarg);
            cli->locale = optarg;
        } else if (c == 'F') {
            if (bl_cli_set_format(cli, optarg))
                return 2;
            a->json = cli->format == BL_FMT_JSON;
        } else
            return bl_cli_bad_option(cli, "whatif", argv, opts);
    }
    if (optind != argc)
        return bl_cli_usage(cli, "whatif", "unexpected argument '%s'", argv[optind]);
    if (!a->as_of || !a->assume)
        return bl_cli_usage(cli, "whatif", "%s is required: %s", !a->as_of ? "--as-of" : "--assume",
                            !a->as_of ? "a date (YYYY-MM-DD, the end of that day) or an instant"
                                      : "the file of hypothetical events (docs/formats.md, "
                                        "\"What-if assumptions\")");
    a->json = a->json || cli->format == BL_FMT_JSON;
    if (a->apply && (!a->mitigate || a->brief || a->replay))
        return bl_cli_usage(cli, "whatif", "%s",
                            !a->mitigate ? "--apply N needs --mitigate: it proposes plan N of "
                                           "the plans --mitigate prints"
                                         : "--apply N: not with --brief or --replay");
    return 0;
}

/* The assumption file, read in --tz (UTC without it). */
static int assumptions(struct bl_cli *cli, const struct wargs *a, struct bl_wi_assume *out)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_buf b;
    struct bl_tz *tz = NULL;
    int rc = a->tz ? bl_tz_load(&tz, a->tz, &d) : BL_OK;
    if (!rc)
        rc = bl_cli_read_file(a->assume, ASSUME_MAX, &b, &d);
    if (!rc) {
        rc = bl_wi_assume_parse(b.ptr, b.len, a->assume, tz, out, &d);
        bl_buf_release(&b);
    }
    bl_tz_free(tz);
    return rc ? bl_cli_fail(cli, &d) : 0;
}

static int print_json(struct bl_cli *cli, const struct bl_app_whatif_res *res)
{
    json_t *j = bl_app_whatif_json(res);
    if (j && res->mitigation.plans)
        json_object_set_new(j, "mitigation", bl_app_mg_json(&res->mitigation));
    int rc = j ? json_dumpf(j, cli->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : -1;
    fputc('\n', cli->out);
    json_decref(j);
    return rc ? 1 : 0;
}

/* The file's name without its folders: what the actions' reasons say was assumed. */
static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* `--mitigate --apply N`: the what-if, its plans, and plan N proposed as actions. */
static int apply_plan(struct bl_cli *cli, const struct wargs *a, struct bl_app_whatif_req *req,
                      const struct bl_wi_assume *as)
{
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_whatif_apply_req ar = {*req, (size_t)a->apply, base_name(a->assume),
                                         bl_cli_now()};
    struct bl_app_whatif_apply_res res;
    int rc = bl_app_whatif_apply(st, org, &ar, &res, &d);
    bl_store_close(st);
    if (rc && res.wi.problem_line && !d.file[0])
        bl_diag_at(&d, a->assume, res.wi.problem_line, NULL);
    if (rc) {
        rc = bl_cli_fail(cli, &d);
    } else if (a->json) {
        json_t *j = bl_app_whatif_json(&res.wi);
        if (j)
            json_object_set_new(j, "mitigation", bl_app_mg_json(&res.wi.mitigation));
        if (j)
            json_object_set_new(j, "applied", bl_app_whatif_apply_json(&res));
        rc = j ? json_dumpf(j, cli->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : -1;
        fputc('\n', cli->out);
        json_decref(j);
        rc = rc ? 1 : 0;
    } else {
        struct bl__wi_words w = {.cli = cli,
                                 .locale = cli->locale ? cli->locale : "en",
                                 .tz = a->tz,
                                 .file = a->assume,
                                 .assume = as,
                                 .res = &res.wi};
        rc = bl__wi_print(&w);
        if (!rc)
            rc = bl_cli_whatif_plans(cli, &res.wi.mitigation);
        if (!rc)
            rc = bl_cli_whatif_applied(cli, &res);
    }
    bl_app_whatif_apply_res_release(&res);
    return rc;
}

int bl_cmd_whatif(struct bl_cli *cli, int argc, char **argv)
{
    struct wargs a = {0};
    int rc = args(cli, argc, argv, &a);
    if (rc)
        return rc;
    struct bl_app_whatif_req req = {.horizon = a.horizon, .threads = 2, .replay = a.replay,
                                   .mitigate = a.mitigate};
    if (bl_cli_as_of(cli, "whatif", a.as_of, a.tz, &req.as_of) ||
        bl_cli_as_of_day(cli, "whatif", a.as_of, a.tz, &req.day))
        return 2;
    struct bl_wi_assume as;
    if (assumptions(cli, &a, &as))
        return 1;
    req.assume = &as;
    req.locale = cli->locale;
    if (a.apply) {
        rc = apply_plan(cli, &a, &req, &as);
        bl_wi_assume_release(&as);
        return rc;
    }
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org)) {
        bl_wi_assume_release(&as);
        return 1;
    }
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_whatif_res res;
    rc = bl_app_whatif(st, org, &req, &res, &d);
    bl_store_close(st);
    if (rc) {
        if (!d.file[0] && res.problem_line)
            bl_diag_at(&d, a.assume, res.problem_line, NULL);
        rc = bl_cli_fail(cli, &d);
    } else if (a.json) {
        rc = print_json(cli, &res);
    } else {
        struct bl__wi_words w = {.cli = cli,
                                 .locale = cli->locale ? cli->locale : "en",
                                 .tz = a.tz,
                                 .file = a.assume,
                                 .assume = &as,
                                 .res = &res};
        rc = a.brief ? bl__wi_brief(&w) : bl__wi_print(&w);
        if (!rc && a.mitigate)
            rc = bl_cli_whatif_plans(cli, &res.mitigation);
        if (!a.brief)
            fprintf(
                cli->err,
                "ballast: loaded in %.2f s, ran the horizon twice in %.2f s; nothing was stored\n",
                res.secs_load, res.secs_run);
        if (a.mitigate)
            fprintf(cli->err, "ballast: searched the plans in %.2f s (%zu more runs)\n",
                    res.mitigation.secs, res.mitigation.runs);
    }
    bl_app_whatif_res_release(&res);
    bl_wi_assume_release(&as);
    return rc;
}
