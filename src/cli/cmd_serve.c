/* cmd_serve.c - `ballast serve`: the HTTP API over the store (src/api/api.h). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include <sodium.h>

#include "ballast/time.h"

#include "api/api.h"
#include "app/cycle.h"
#include "app/hook.h"
#include "app/sched.h"
#include "cli/cli.h"

#include <sys/stat.h>

/* Where the web front end's files are when --web does not say: the build tree's copy
 * (CMake copies web/ and the vendored scripts there), then the installed one. */
#ifndef BL_WEB_BUILD_DIR
#define BL_WEB_BUILD_DIR ""
#endif
#ifndef BL_WEB_INSTALL_DIR
#define BL_WEB_INSTALL_DIR "/usr/local/share/ballast/web"
#endif

static const char *web_default(void)
{
    static const char *const dirs[] = {BL_WEB_BUILD_DIR, BL_WEB_INSTALL_DIR};
    struct stat sb;
    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
        if (dirs[i][0] && stat(dirs[i], &sb) == 0 && S_ISDIR(sb.st_mode))
            return dirs[i];
    return NULL;
}

struct ready_ctx {
    struct bl_cli *cli;
    const char *web_dir;
};

static void ready(void *ctx, const char *host, uint16_t port)
{
    struct ready_ctx *r = ctx;
    bool v6 = strchr(host, ':') != NULL;
    fprintf(r->cli->err,
            "ballast: serving %s at http://%s%s%s:%u/ (Ctrl-C or SIGTERM stops "
            "it; GET /api/v1/openapi.json lists the routes)\n",
            r->web_dir ? "the dashboard and the API" : "the API", v6 ? "[" : "", host,
            v6 ? "]" : "", (unsigned)port);
    if (r->web_dir)
        fprintf(r->cli->err, "ballast: the dashboard's files: %s\n", r->web_dir);
    fflush(r->cli->err);
}

static int serve_opts(struct bl_cli *cli, int argc, char **argv, struct bl_api_opts *o, char *host,
                      size_t cap, bool *allow_private)
{
    static const struct option opts[] = {
        {"listen", required_argument, NULL, 'l'},
        {"threads", required_argument, NULL, 't'},
        {"timeout", required_argument, NULL, 'T'},
        {"max-body", required_argument, NULL, 'b'},
        {"no-schedule", no_argument, NULL, 'S'},
        {"allow-private-webhooks", no_argument, NULL, 'p'},
        {"max-upload", required_argument, NULL, 'u'},
        {"upload-timeout", required_argument, NULL, 'U'},
        {"web", required_argument, NULL, 'w'},
        {NULL, 0, NULL, 0},
    };
    int c;
    int64_t v;
    struct bl_diag d;
    bl_diag_clear(&d);
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'l') {
            if (bl_api_parse_listen(optarg, host, cap, &o->port, &d))
                return bl_cli_usage(cli, "serve", "%s", d.msg);
            o->host = host;
        } else if (c == 't') {
            if (bl_cli_parse_int(cli, "serve", "--threads", optarg, 1, 64, &v))
                return 2;
            o->threads = (unsigned)v;
        } else if (c == 'T') {
            if (bl_cli_parse_int(cli, "serve", "--timeout", optarg, 1, 3600, &v))
                return 2;
            o->timeout_s = (unsigned)v;
        } else if (c == 'b') {
            if (bl_cli_parse_int(cli, "serve", "--max-body", optarg, 1024, 1 << 30, &v))
                return 2;
            o->max_body = (size_t)v;
        } else if (c == 'S') {
            o->no_schedule = true;
        } else if (c == 'p') {
            *allow_private = true;
        } else if (c == 'u') {
            if (bl_cli_parse_int(cli, "serve", "--max-upload", optarg, 1024, INT64_C(1) << 40,
                                 &v))
                return 2;
            o->max_upload = (uint64_t)v;
        } else if (c == 'U') {
            if (bl_cli_parse_int(cli, "serve", "--upload-timeout", optarg, 1, 7 * 86400, &v))
                return 2;
            o->upload_timeout_s = (unsigned)v;
        } else if (c == 'w') {
            o->web_dir = optarg;
        } else {
            return bl_cli_bad_option(cli, "serve", argv, opts);
        }
    }
    if (optind < argc)
        return bl_cli_usage(cli, "serve", "unexpected '%s'", argv[optind]);
    return 0;
}

/* BALLAST_SCHED_CLOCK="T[,SPEED]", for tests: the scheduler's clock starts at instant T
 * and runs SPEED (1..3600) times as fast, so a test need not wait for a cycle's time or a
 * retry's minutes (docs/api.md, "For tests"). */
static int sched_clock(struct bl_cli *cli, struct bl_api_opts *o)
{
    const char *env = getenv("BALLAST_SCHED_CLOCK");
    if (!env || !env[0])
        return 0;
    const char *comma = strchr(env, ',');
    char t[64];
    size_t n = comma ? (size_t)(comma - env) : strlen(env);
    snprintf(t, sizeof(t), "%.*s", (int)(n < sizeof(t) ? n : sizeof(t) - 1), env);
    int64_t speed = 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_time_parse(bl_str_c(t), NULL, &o->clock_start, &d) ||
        (comma && (bl_str_to_i64(bl_str_c(comma + 1), &speed) || speed < 1 || speed > 3600)))
        return bl_cli_usage(cli, "serve",
                            "BALLAST_SCHED_CLOCK='%s': expected an instant with its offset, "
                            "then ,SPEED (1 to 3600): 2024-11-15T06:29:00+08:00,60",
                            t);
    o->clock_speed = (unsigned)speed;
    char shown[BL_ISO_MAX];
    fprintf(cli->err,
            "ballast: the scheduler's clock starts at %s and runs %lld times as fast "
            "(BALLAST_SCHED_CLOCK, for tests)\n",
            bl_time_format(o->clock_start, shown), (long long)speed);
    return 0;
}

/* What the scheduler will run: each organisation with a schedule, and its next cycle. */
static int say_schedules(struct bl_cli *cli, struct bl_store *st, int64_t now)
{
    int64_t *ids = NULL;
    char **names = NULL;
    size_t n = 0, on = 0;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_cycle_orgs(st, 0, 1, &ids, &names, &n, &d);
    for (size_t i = 0; !rc && i < n; i++) {
        struct bl_app_schedule s = {0};
        rc = bl_app_org_schedule(st, ids[i], now, &s, &d);
        struct bl_tz *tz = NULL;
        if (rc || !s.on || bl_tz_load(&tz, s.tz, &d))
            continue;
        char next[BL_ISO_MAX];
        fprintf(cli->err,
                "ballast: the cycle of '%s' runs every day at %02d:%02d %s; the next at %s\n",
                names[i], s.at_min / 60, s.at_min % 60, s.tz,
                bl_time_format_local(s.next_at, tz, next));
        bl_tz_free(tz);
        on++;
    }
    bl_app_orgs_free(ids, names, n);
    if (!rc && !on)
        fprintf(cli->err, "ballast: no organisation's cycle has a schedule ('ballast org set "
                          "--cycle-at 06:30 --cycle-tz ZONE' sets one)\n");
    return rc ? bl_cli_fail(cli, &d) : 0;
}

int bl_cmd_serve(struct bl_cli *cli, int argc, char **argv)
{
    struct bl_api_opts o;
    bl_api_opts_default(&o);
    char host[64];
    bool allow_private = false;
    int urc = serve_opts(cli, argc, argv, &o, host, sizeof(host), &allow_private);
    urc = urc ? urc : sched_clock(cli, &o);
    if (urc)
        return urc;
    unsigned char key[BL_HOOK_KEY_BYTES];
    struct bl_app_hook_send hooks;
    if (bl_cli_hook_send(cli, allow_private, true, key, &hooks) == 0)
        o.hooks = &hooks;
    else
        fprintf(cli->err, "ballast: serving without webhooks (the line above says why)\n");
    /* The same checks as every command: the store exists and is initialised. */
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    int src = o.no_schedule ? 0 : say_schedules(cli, st, o.clock_start);
    bl_store_close(st);
    if (src)
        return src;
    o.db_url = cli->db_url;
    if (!o.web_dir && !(o.web_dir = web_default()))
        fprintf(cli->err, "ballast: no web front end found (build it, or give --web DIR): "
                          "serving the API only\n");
    struct ready_ctx rctx = {cli, o.web_dir};
    o.on_ready = ready;
    o.ready_ctx = &rctx;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_api_serve(&o, &d);
    sodium_memzero(key, sizeof(key));
    if (rc)
        return bl_cli_fail(cli, &d);
    fprintf(cli->err, "ballast: the API stopped (requests in flight were answered)\n");
    return 0;
}
