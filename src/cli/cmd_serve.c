/* cmd_serve.c - `ballast serve`: the HTTP API over the store (src/api/api.h). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "cli/cli.h"

static void ready(void *ctx, const char *host, uint16_t port)
{
    struct bl_cli *cli = ctx;
    bool v6 = strchr(host, ':') != NULL;
    fprintf(cli->err,
            "ballast: serving the API at http://%s%s%s:%u/ (Ctrl-C or SIGTERM stops "
            "it; GET /api/v1/openapi.json lists the routes)\n",
            v6 ? "[" : "", host, v6 ? "]" : "", (unsigned)port);
    fflush(cli->err);
}

static int serve_opts(struct bl_cli *cli, int argc, char **argv, struct bl_api_opts *o, char *host,
                      size_t cap)
{
    static const struct option opts[] = {
        {"listen", required_argument, NULL, 'l'},
        {"threads", required_argument, NULL, 't'},
        {"timeout", required_argument, NULL, 'T'},
        {"max-body", required_argument, NULL, 'b'},
        {"max-upload", required_argument, NULL, 'u'},
        {"upload-timeout", required_argument, NULL, 'U'},
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
        } else if (c == 'u') {
            if (bl_cli_parse_int(cli, "serve", "--max-upload", optarg, 1024, INT64_C(1) << 40,
                                 &v))
                return 2;
            o->max_upload = (uint64_t)v;
        } else if (c == 'U') {
            if (bl_cli_parse_int(cli, "serve", "--upload-timeout", optarg, 1, 7 * 86400, &v))
                return 2;
            o->upload_timeout_s = (unsigned)v;
        } else {
            return bl_cli_bad_option(cli, "serve", argv, opts);
        }
    }
    if (optind < argc)
        return bl_cli_usage(cli, "serve", "unexpected '%s'", argv[optind]);
    return 0;
}

int bl_cmd_serve(struct bl_cli *cli, int argc, char **argv)
{
    struct bl_api_opts o;
    bl_api_opts_default(&o);
    char host[64];
    int urc = serve_opts(cli, argc, argv, &o, host, sizeof(host));
    if (urc)
        return urc;
    /* The same checks as every command: the store exists and is initialised. */
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    bl_store_close(st);
    o.db_url = cli->db_url;
    o.on_ready = ready;
    o.ready_ctx = cli;
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_api_serve(&o, &d))
        return bl_cli_fail(cli, &d);
    fprintf(cli->err, "ballast: the API stopped (requests in flight were answered)\n");
    return 0;
}
