/* cmd_user.c - `ballast user`: the people who sign in to the API and the dashboard
 * (src/app/user.h). A password is read from stdin (--password-stdin) or generated and
 * printed once; the store keeps only its hash. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "app/user.h"
#include "cli/cli.h"
#include "cli/out.h"

#include "ballast/time.h"

/* The options of add and passwd: --org, --role, --password-stdin; *rest: the first
 * operand. 0, or 2 after a usage message. */
static int user_opts(struct bl_cli *cli, const char *cmd, int argc, char **argv, const char **role,
                     bool *from_stdin, int *rest)
{
    static const struct option opts[] = {
        {"org", required_argument, NULL, 'o'},
        {"role", required_argument, NULL, 'r'},
        {"password-stdin", no_argument, NULL, 'p'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'o')
            cli->org = optarg;
        else if (c == 'r' && role)
            *role = optarg;
        else if (c == 'p' && from_stdin)
            *from_stdin = true;
        else
            return bl_cli_bad_option(cli, cmd, argv, opts);
    }
    *rest = optind;
    if (argc - optind != 1)
        return bl_cli_usage(cli, cmd, "expected one user name");
    return 0;
}

/* One line of stdin (without its line end) into pw: 0, or 2 after a message. */
static int read_password(struct bl_cli *cli, const char *cmd, char *pw, size_t cap)
{
    if (!fgets(pw, (int)cap, stdin))
        return bl_cli_usage(cli, cmd, "--password-stdin: no password on stdin");
    size_t n = strcspn(pw, "\r\n");
    if (pw[n] == '\0' && n + 1 == cap)
        return bl_cli_usage(cli, cmd, "--password-stdin: the password is longer than %d bytes",
                            BL_PASSWORD_MAX);
    pw[n] = '\0';
    return 0;
}

static void say_password(struct bl_cli *cli, const struct bl_app_user_res *res, const char *name)
{
    if (!res->password[0])
        return;
    fprintf(cli->err,
            "ballast: the password of '%s' is shown this once; hand it over safely "
            "('ballast user passwd' sets another)\n",
            name);
    fprintf(cli->out, "%s\n", res->password);
}

static int user_change(struct bl_cli *cli, const char *cmd, int argc, char **argv)
{
    const char *role = NULL;
    bool from_stdin = false;
    int rest = 0;
    bool add = strcmp(cmd, "user add") == 0, passwd = strcmp(cmd, "user passwd") == 0;
    if (user_opts(cli, cmd, argc, argv, add ? &role : NULL, add || passwd ? &from_stdin : NULL,
                  &rest))
        return 2;
    struct bl_app_user_req req = {.name = argv[rest], .now = bl_cli_now()};
    struct bl_diag d;
    bl_diag_clear(&d);
    if (add && !role)
        return bl_cli_usage(cli, cmd, "--role is required: viewer, operator, admin or platform");
    if (add && bl_app_role_parse(role, &req.role, &d))
        return bl_cli_usage(cli, cmd, "--role %s", d.msg);
    char pw[BL_PASSWORD_MAX + 2];
    if (from_stdin && read_password(cli, cmd, pw, sizeof(pw)))
        return 2;
    req.password = from_stdin ? pw : NULL;
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_app_user_res res;
    int rc = add      ? bl_app_user_add(st, org, &req, &res, &d)
             : passwd ? bl_app_user_passwd(st, org, &req, &res, &d)
                      : bl_app_user_remove(st, org, &req, &res, &d);
    bl_store_close(st);
    sodium_memzero(pw, sizeof(pw));
    if (rc)
        return bl_cli_fail(cli, &d);
    if (add)
        fprintf(cli->err, "ballast: user '%s' added to organisation '%s', role %s\n", req.name,
                cli->org, role);
    else
        fprintf(cli->err, "ballast: %s '%s'; %lld session%s ended\n",
                passwd ? "a new password for" : "removed user", req.name,
                (long long)res.sessions_ended, res.sessions_ended == 1 ? "" : "s");
    say_password(cli, &res, req.name);
    sodium_memzero(&res, sizeof(res));
    return 0;
}

static int user_list(struct bl_cli *cli, int argc, char **argv)
{
    static const char *const cols[] = {"name", "role", "created", "locked_until"};
    static const struct option opts[] = {{"org", required_argument, NULL, 'o'}, {NULL, 0, NULL, 0}};
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c != 'o')
            return bl_cli_bad_option(cli, "user list", argv, opts);
        cli->org = optarg;
    }
    if (optind < argc)
        return bl_cli_usage(cli, "user list", "unexpected '%s'", argv[optind]);
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_app_user_list_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_user_list(st, org, &res, &d);
    bl_store_close(st);
    if (rc)
        return bl_cli_fail(cli, &d);
    struct bl_out out;
    bl_out_begin(&out, cli, cols, 4);
    int64_t now = bl_cli_now();
    for (size_t i = 0; i < res.n && !rc; i++) {
        const struct bl_user_row *u = &res.users[i];
        char c1[BL_ISO_MAX], c2[BL_ISO_MAX];
        bool locked = u->locked_until != BL_NO_TIME && u->locked_until > now;
        struct bl_val v[4] = {
            bl_val_text(bl_str_c(u->name)),
            bl_val_text(bl_str_c(u->role)),
            bl_val_text(bl_str_c(bl_time_format(u->created_at, c1))),
            locked ? bl_val_text(bl_str_c(bl_time_format(u->locked_until, c2))) : bl_val_null(),
        };
        rc = bl_out_row(&out, v);
    }
    int erc = bl_out_end(&out);
    bl_app_user_list_res_release(&res);
    return rc || erc ? 1 : 0;
}

int bl_cmd_user(struct bl_cli *cli, int argc, char **argv)
{
    const char *sub = argc >= 2 ? argv[1] : "";
    if (strcmp(sub, "add") == 0)
        return user_change(cli, "user add", argc - 1, argv + 1);
    if (strcmp(sub, "passwd") == 0)
        return user_change(cli, "user passwd", argc - 1, argv + 1);
    if (strcmp(sub, "remove") == 0)
        return user_change(cli, "user remove", argc - 1, argv + 1);
    if (strcmp(sub, "list") == 0)
        return user_list(cli, argc - 1, argv + 1);
    return bl_cli_usage(cli, "user", "expected add, list, passwd or remove");
}
