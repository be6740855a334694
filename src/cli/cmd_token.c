/* cmd_token.c - `ballast token`: the HTTP API's tokens (src/app/token.h). A token is
 * printed once, when created; the store keeps only its hash. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "app/token.h"
#include "cli/cli.h"
#include "cli/out.h"

#include "ballast/time.h"

/* --expires: "30d" (days from now), a date (the end of that day UTC) or an instant. */
static int parse_expires(struct bl_cli *cli, const char *text, int64_t now, int64_t *t)
{
    size_t n = strlen(text);
    int64_t days;
    if (n >= 2 && text[n - 1] == 'd' &&
        bl_str_to_i64((struct bl_str){text, n - 1}, &days) == BL_OK) {
        if (days < 1 || days > 3650)
            return bl_cli_usage(cli, "token create", "--expires %s: expected 1d to 3650d", text);
        *t = now + days * BL_DAY_SECS;
        return 0;
    }
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_cli_parse_as_of(text, NULL, t, &d) == BL_OK)
        return 0;
    return bl_cli_usage(cli, "token create",
                        "--expires %s: expected a number of days (30d), a date (2027-01-31, the "
                        "end of that day UTC) or an instant (2027-01-31T12:00:00Z)",
                        text);
}

static int token_create(struct bl_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"org", required_argument, NULL, 'o'},
        {"role", required_argument, NULL, 'r'},
        {"expires", required_argument, NULL, 'e'},
        {"label", required_argument, NULL, 'l'},
        {NULL, 0, NULL, 0},
    };
    const char *role = NULL, *expires = NULL;
    struct bl_app_token_create_req req = {.expires_at = BL_NO_TIME, .now = bl_cli_now()};
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'o')
            cli->org = optarg;
        else if (c == 'r')
            role = optarg;
        else if (c == 'e')
            expires = optarg;
        else if (c == 'l')
            req.label = optarg;
        else
            return bl_cli_bad_option(cli, "token create", argv, opts);
    }
    if (optind < argc)
        return bl_cli_usage(cli, "token create", "unexpected '%s'", argv[optind]);
    struct bl_diag d;
    bl_diag_clear(&d);
    if (!role)
        return bl_cli_usage(cli, "token create", "--role is required: viewer, operator or admin");
    if (bl_app_role_parse(role, &req.role, &d))
        return bl_cli_usage(cli, "token create", "--role %s", d.msg);
    if (expires && parse_expires(cli, expires, req.now, &req.expires_at))
        return 2;
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_app_token_create_res res;
    int rc = bl_app_token_create(st, org, &req, &res, &d);
    bl_store_close(st);
    if (rc)
        return bl_cli_fail(cli, &d);
    char until[BL_ISO_MAX];
    fprintf(cli->err,
            "token %lld created for organisation '%s', role %s, %s%s: it is shown this once; "
            "keep it secret (send it as 'Authorization: Bearer TOKEN')\n",
            (long long)res.id, cli->org, role, expires ? "expires " : "never expires",
            expires ? bl_time_format(req.expires_at, until) : "");
    fprintf(cli->out, "%s\n", res.token);
    memset(res.token, 0, sizeof(res.token));
    return 0;
}

static int take_org(struct bl_cli *cli, const char *cmd, int argc, char **argv, int *rest)
{
    static const struct option opts[] = {{"org", required_argument, NULL, 'o'}, {NULL, 0, NULL, 0}};
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c != 'o')
            return bl_cli_bad_option(cli, cmd, argv, opts);
        cli->org = optarg;
    }
    *rest = optind;
    return 0;
}

static int token_list(struct bl_cli *cli, int argc, char **argv)
{
    static const char *const cols[] = {"id", "role", "label", "created", "expires", "revoked"};
    int rest = 0;
    if (take_org(cli, "token list", argc, argv, &rest))
        return 2;
    if (rest < argc)
        return bl_cli_usage(cli, "token list", "unexpected '%s'", argv[rest]);
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_app_token_list_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_token_list(st, org, &res, &d);
    bl_store_close(st);
    if (rc)
        return bl_cli_fail(cli, &d);
    struct bl_out out;
    bl_out_begin(&out, cli, cols, 6);
    for (size_t i = 0; i < res.n && !rc; i++) {
        const struct bl_token_row *t = &res.tokens[i];
        char c1[BL_ISO_MAX], c2[BL_ISO_MAX], c3[BL_ISO_MAX];
        struct bl_val v[6] = {
            bl_val_int(t->id),
            bl_val_text(bl_str_c(t->role)),
            t->label[0] ? bl_val_text(bl_str_c(t->label)) : bl_val_null(),
            bl_val_text(bl_str_c(bl_time_format(t->created_at, c1))),
            t->expires_at == BL_NO_TIME ? bl_val_text(BL_STR("never"))
                                        : bl_val_text(bl_str_c(bl_time_format(t->expires_at, c2))),
            t->revoked_at == BL_NO_TIME ? bl_val_null()
                                        : bl_val_text(bl_str_c(bl_time_format(t->revoked_at, c3))),
        };
        rc = bl_out_row(&out, v);
    }
    int erc = bl_out_end(&out);
    bl_app_token_list_res_release(&res);
    return rc || erc ? 1 : 0;
}

static int token_revoke(struct bl_cli *cli, int argc, char **argv)
{
    int rest = 0;
    if (take_org(cli, "token revoke", argc, argv, &rest))
        return 2;
    if (argc - rest != 1)
        return bl_cli_usage(cli, "token revoke", "expected one token id ('ballast token list')");
    int64_t id;
    if (bl_cli_parse_int(cli, "token revoke", "ID", argv[rest], 1, INT64_MAX, &id))
        return 2;
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_app_token_revoke_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_token_revoke(st, org, id, bl_cli_now(), &res, &d);
    bl_store_close(st);
    char when[BL_ISO_MAX];
    if (rc == BL_ENOTFOUND)
        bl_diag_set(&d, rc, "organisation '%s' has no token %lld ('ballast token list')", cli->org,
                    (long long)id);
    else if (rc == BL_EEXISTS)
        bl_diag_set(&d, rc, "token %lld was revoked already, at %s", (long long)id,
                    bl_time_format(res.revoked_at, when));
    if (rc)
        return bl_cli_fail(cli, &d);
    fprintf(cli->out, "token %lld revoked: the API refuses it from now on\n", (long long)id);
    return 0;
}

int bl_cmd_token(struct bl_cli *cli, int argc, char **argv)
{
    const char *sub = argc >= 2 ? argv[1] : "";
    if (strcmp(sub, "create") == 0)
        return token_create(cli, argc - 1, argv + 1);
    if (strcmp(sub, "list") == 0)
        return token_list(cli, argc - 1, argv + 1);
    if (strcmp(sub, "revoke") == 0)
        return token_revoke(cli, argc - 1, argv + 1);
    return bl_cli_usage(cli, "token", "expected create, list or revoke");
}
