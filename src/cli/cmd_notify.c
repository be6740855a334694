/* cmd_notify.c - `ballast notify`: who gets the operator's digest after each cycle
 * (src/app/digest.h). Secrets are read from a file and never printed; a webhook URL (its
 * path holds the bot's token) is shown only up to its host. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "app/digest.h"
#include "cli/cli.h"
#include "cli/out.h"

#include "ballast/time.h"

static int read_secret(struct bl_cli *cli, const char *path, char *out, size_t cap)
{
    struct bl_buf b;
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_cli_read_file(path, 4096, &b, &d))
        return bl_cli_fail(cli, &d);
    size_t n = b.len;
    while (n && (b.ptr[n - 1] == '\n' || b.ptr[n - 1] == '\r' || b.ptr[n - 1] == ' '))
        n--;
    int rc = 0;
    if (n == 0 || n >= cap) {
        fprintf(cli->err, "ballast notify: %s: expected the bot's signing secret on one line\n",
                path);
        rc = 1;
    } else {
        memcpy(out, b.ptr, n);
        out[n] = '\0';
    }
    bl_buf_release(&b);
    return rc;
}

static int notify_add(struct bl_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"email", required_argument, NULL, 'e'},  {"webhook", required_argument, NULL, 'w'},
        {"kind", required_argument, NULL, 'k'},   {"secret-file", required_argument, NULL, 's'},
        {"locale", required_argument, NULL, 'l'}, {"smtp", required_argument, NULL, 'm'},
        {"from", required_argument, NULL, 'f'},   {NULL, 0, NULL, 0},
    };
    struct bl_app_notify_req req = {0};
    const char *email = NULL, *hook = NULL, *kind = NULL, *secret_file = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'e':
            email = optarg;
            break;
        case 'w':
            hook = optarg;
            break;
        case 'k':
            kind = optarg;
            break;
        case 's':
            secret_file = optarg;
            break;
        case 'l':
            req.locale = optarg;
            break;
        case 'm':
            req.smtp_url = optarg;
            break;
        case 'f':
            req.sender = optarg;
            break;
        default:
            return bl_cli_bad_option(cli, "notify add", argv, opts);
        }
    }
    if (!email == !hook)
        return bl_cli_usage(cli, "notify add",
                            "give --email ADDRESS --smtp URL --from ADDRESS, or --webhook URL "
                            "--kind slack|feishu|lark|dingtalk [--secret-file F]");
    if (hook && !kind)
        return bl_cli_usage(cli, "notify add", "--webhook needs --kind slack|feishu|lark|dingtalk");
    char secret[1024] = "";
    if (secret_file && read_secret(cli, secret_file, secret, sizeof(secret)))
        return 1;
    req.kind = email ? "email" : kind;
    req.address = email ? email : hook;
    req.secret = secret[0] ? secret : NULL;
    struct bl_store *st;
    int64_t org, id = 0;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_notify_add(st, org, &req, &id, &d);
    bl_store_close(st);
    if (rc)
        return bl_cli_fail(cli, &d);
    fprintf(cli->out, "recipient %lld added: the digest of each cycle goes to this %s%s\n",
            (long long)id, email ? "address" : "chat", secret[0] ? " (signed)" : "");
    return 0;
}

/* A webhook URL up to its host: "https://open.feishu.cn/..." */
static void shown_address(struct bl_str kind, struct bl_str a, char *out, size_t cap)
{
    if (bl_str_eq_c(kind, "email")) {
        bl_str_copy(out, cap, a);
        return;
    }
    size_t i = 0;
    const char *p = memchr(a.ptr, ':', a.len);
    if (p && (size_t)(p - a.ptr) + 3 <= a.len && p[1] == '/' && p[2] == '/')
        i = (size_t)(p - a.ptr) + 3;
    while (i < a.len && a.ptr[i] != '/')
        i++;
    snprintf(out, cap, "%.*s/...", (int)i, a.ptr);
}

struct list_ctx {
    struct bl_out *out;
};

static int list_row(void *vctx, const struct bl_notify_target *t)
{
    struct list_ctx *x = vctx;
    char addr[300], since[BL_ISO_MAX];
    shown_address(t->kind, t->address, addr, sizeof(addr));
    struct bl_val v[6] = {bl_val_int(t->id),
                          bl_val_text(t->kind),
                          bl_val_text(bl_str_c(addr)),
                          bl_val_text(t->locale),
                          bl_val_text(bl_str_c(t->secret.len ? "yes" : "no")),
                          bl_val_text(bl_str_c(bl_time_format(t->created_at, since)))};
    return bl_out_row(x->out, v);
}

static int notify_list(struct bl_cli *cli)
{
    static const char *const cols[] = {"id", "kind", "address", "locale", "signed", "since"};
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_out out;
    bl_out_begin(&out, cli, cols, 6);
    struct list_ctx x = {&out};
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_notify_list(st, org, list_row, &x, &d);
    int erc = bl_out_end(&out);
    bl_store_close(st);
    if (rc)
        return bl_cli_fail(cli, &d);
    return erc ? 1 : 0;
}

static int notify_remove(struct bl_cli *cli, int argc, char **argv)
{
    if (argc != 2)
        return bl_cli_usage(cli, "notify remove", "expected one recipient id ('notify list')");
    int64_t id;
    if (bl_cli_parse_int(cli, "notify remove", "ID", argv[1], 1, INT64_MAX, &id))
        return 2;
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_notify_remove(st, org, id, &d);
    bl_store_close(st);
    if (rc)
        return bl_cli_fail(cli, &d);
    fprintf(cli->out, "recipient %lld removed\n", (long long)id);
    return 0;
}

int bl_cmd_notify(struct bl_cli *cli, int argc, char **argv)
{
    const char *sub = argc >= 2 ? argv[1] : "";
    if (strcmp(sub, "add") == 0)
        return notify_add(cli, argc - 1, argv + 1);
    if (strcmp(sub, "list") == 0)
        return notify_list(cli);
    if (strcmp(sub, "remove") == 0)
        return notify_remove(cli, argc - 1, argv + 1);
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
        fputs("usage: ballast notify add --email ADDRESS --smtp smtp://HOST:PORT --from ADDRESS\n"
              "                          [--locale en|zh-CN]\n"
              "       ballast notify add --webhook URL --kind slack|feishu|lark|dingtalk\n"
              "                          [--secret-file FILE] [--locale en|zh-CN]\n"
              "       ballast notify list | remove ID\n"
              "Who gets the operator's digest after each cycle.\n",
              cli->out);
        return 0;
    }
    return bl_cli_usage(cli, "notify", "expected add, list or remove");
}
