/* cmd_webhook.c - `ballast webhook`: the organisation's outgoing webhooks (src/app/hook.h):
 * add (the signing secret shown once), list, remove, test (a ping), deliver (the outbox,
 * for installations without `ballast serve`). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "app/cycle.h"
#include "app/hook.h"
#include "ballast/send.h"
#include "ballast/time.h"
#include "cli/cli.h"
#include "cli/out.h"

/* The secrets' key (made when create and missing): 0, or 1 after saying why. */
static int load_key(struct bl_cli *cli, bool create, unsigned char *key)
{
    char path[4096];
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_hook_key_path(path, sizeof(path), &d) || bl_hook_key_load(path, create, key, &d))
        return bl_cli_fail(cli, &d);
    return 0;
}

int bl_cli_hook_send(struct bl_cli *cli, bool allow_private, bool create, unsigned char *key,
                     struct bl_app_hook_send *s)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_send_global_init(&d))
        return bl_cli_fail(cli, &d);
    *s = (struct bl_app_hook_send){.key = key, .allow_private = allow_private};
    /* knobs for tests and operators (docs/api.md, "Webhooks") */
    const char *b = getenv("BALLAST_WEBHOOK_BACKOFF"), *m = getenv("BALLAST_WEBHOOK_ATTEMPTS");
    if (b && bl_str_to_i64(bl_str_c(b), &s->backoff_s) != BL_OK)
        s->backoff_s = 0;
    if (m && bl_str_to_i64(bl_str_c(m), &s->max_attempts) != BL_OK)
        s->max_attempts = 0;
    return load_key(cli, create, key);
}

/* The secret into a new file only its owner reads. */
static int write_secret(struct bl_cli *cli, const char *path, const char *secret)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    size_t n = strlen(secret);
    bool ok = fd >= 0 && write(fd, secret, n) == (ssize_t)n && write(fd, "\n", 1) == 1;
    int e = errno;
    if (fd >= 0 && close(fd) != 0)
        ok = false;
    if (ok)
        return 0;
    fprintf(cli->err, "ballast: %s: %s (the webhook was added; remove it and add it again)\n", path,
            fd < 0 && e == EEXIST ? "exists already, refused" : strerror(e));
    return 1;
}

static int hook_add(struct bl_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"events", required_argument, NULL, 'e'},
        {"secret-out", required_argument, NULL, 's'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL;
    struct bl_app_webhook_add_req req = {.now = bl_cli_now()};
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'e')
            req.events = optarg;
        else if (c == 's')
            out = optarg;
        else
            return bl_cli_bad_option(cli, "webhook add", argv, opts);
    }
    if (argc - optind != 1)
        return bl_cli_usage(cli, "webhook add", "expected one URL");
    if (!req.events)
        return bl_cli_usage(cli, "webhook add",
                            "--events is required: all, or some of "
                            "alert.raised, shop.rating_at_risk, "
                            "disruption.declared, message.needs_approval, "
                            "action.applied");
    req.url = argv[optind];
    unsigned char key[BL_HOOK_KEY_BYTES];
    char events[200];
    struct bl_diag d;
    bl_diag_clear(&d);
    /* checked before the key is made: a refused URL leaves nothing behind */
    if (bl_hook_url_check(req.url, &d) ||
        bl_app_hook_events_parse(req.events, events, sizeof(events), &d))
        return bl_cli_fail(cli, &d);
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    int rc = load_key(cli, true, key);
    struct bl_app_webhook_add_res res;
    req.key = key;
    if (!rc && bl_app_webhook_add(st, org, &req, &res, &d))
        rc = bl_cli_fail(cli, &d);
    bl_store_close(st);
    sodium_memzero(key, sizeof(key));
    if (rc)
        return rc;
    fprintf(cli->err,
            "webhook %lld added for organisation '%s' (%s): its signing secret is shown this "
            "once; receivers check each delivery's Ballast-Signature with it (docs/api.md, "
            "\"Webhooks\")\n",
            (long long)res.id, cli->org, strcmp(res.events, "*") == 0 ? "every event" : res.events);
    if (out)
        rc = write_secret(cli, out, res.secret);
    else
        fprintf(cli->out, "%s\n", res.secret);
    if (!rc && out)
        fprintf(cli->err, "the secret is in %s (readable by you only)\n", out);
    sodium_memzero(res.secret, sizeof(res.secret));
    return rc;
}

static void list_row(const struct bl_app_webhook *w, struct bl_val *v, char (*b)[BL_ISO_MAX],
                     char *last, size_t cap)
{
    v[0] = bl_val_int(w->id);
    v[1] = bl_val_text(bl_str_c(w->url));
    v[2] = bl_val_text(strcmp(w->events, "*") == 0 ? BL_STR("all") : bl_str_c(w->events));
    v[3] = bl_val_text(bl_str_c(bl_time_format(w->created_at, b[0])));
    v[4] = bl_val_int(w->pending);
    v[5] = bl_val_int(w->delivered);
    v[6] = bl_val_int(w->failed);
    v[7] = w->last_at ? bl_val_text(bl_str_c(bl_time_format(w->last_at, b[1]))) : bl_val_null();
    if (!w->last_at)
        snprintf(last, cap, "never tried");
    else if (!w->last_error[0])
        snprintf(last, cap, "delivered (HTTP %lld)", (long long)w->last_status);
    else
        snprintf(last, cap, "%s", w->last_error);
    v[8] = bl_val_text(bl_str_c(last));
}

static int hook_list(struct bl_cli *cli, int argc, char **argv)
{
    static const char *const cols[] = {"id",      "url",          "events",
                                       "created", "pending",      "delivered",
                                       "failed",  "last_attempt", "last_outcome"};
    if (argc > 1)
        return bl_cli_usage(cli, "webhook list", "unexpected '%s'", argv[1]);
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_app_webhook_list_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_webhook_list(st, org, 0, &res, &d);
    bl_store_close(st);
    if (rc) {
        bl_app_webhook_list_res_release(&res);
        return bl_cli_fail(cli, &d);
    }
    struct bl_out out;
    bl_out_begin(&out, cli, cols, 9);
    for (size_t i = 0; i < res.n && !rc; i++) {
        struct bl_val v[9];
        char b[2][BL_ISO_MAX], last[600];
        list_row(&res.items[i], v, b, last, sizeof(last));
        rc = bl_out_row(&out, v);
    }
    int erc = bl_out_end(&out);
    bl_app_webhook_list_res_release(&res);
    return rc || erc ? 1 : 0;
}

static int one_id(struct bl_cli *cli, const char *cmd, int argc, char **argv, int first,
                  int64_t *id)
{
    if (argc - first != 1)
        return bl_cli_usage(cli, cmd, "expected one webhook id ('ballast webhook list')");
    return bl_cli_parse_int(cli, cmd, "ID", argv[first], 1, INT64_MAX, id);
}

static int not_found(struct bl_cli *cli, struct bl_diag *d, int rc, int64_t id)
{
    if (rc == BL_ENOTFOUND)
        bl_diag_set(d, rc, "organisation '%s' has no webhook %lld ('ballast webhook list')",
                    cli->org, (long long)id);
    return bl_cli_fail(cli, d);
}

static int hook_remove(struct bl_cli *cli, int argc, char **argv)
{
    int64_t id;
    if (one_id(cli, "webhook remove", argc, argv, 1, &id))
        return 2;
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_webhook_remove(st, org, id, bl_cli_now(), &d);
    bl_store_close(st);
    if (rc)
        return not_found(cli, &d, rc, id);
    fprintf(cli->out, "webhook %lld removed: nothing more is sent to it\n", (long long)id);
    return 0;
}

/* --allow-private [--all-orgs] [--limit N] of test and deliver. */
struct send_args {
    bool allow_private, all_orgs;
    int64_t limit;
    int rest;
};

static int send_args(struct bl_cli *cli, const char *cmd, bool deliver, int argc, char **argv,
                     struct send_args *a)
{
    static const struct option opts[] = {
        {"allow-private", no_argument, NULL, 'p'},
        {"all-orgs", no_argument, NULL, 'a'},
        {"batch", required_argument, NULL, 'b'},
        {NULL, 0, NULL, 0},
    };
    *a = (struct send_args){false, false, 100, 0};
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'p')
            a->allow_private = true;
        else if (c == 'a' && deliver)
            a->all_orgs = true;
        else if (c == 'b' && deliver) {
            if (bl_cli_parse_int(cli, cmd, "--batch", optarg, 1, 1000, &a->limit))
                return 2;
        } else
            return bl_cli_bad_option(cli, cmd, argv, opts);
    }
    a->rest = optind;
    return 0;
}

static int hook_test(struct bl_cli *cli, int argc, char **argv)
{
    struct send_args a;
    int64_t id;
    if (send_args(cli, "webhook test", false, argc, argv, &a) ||
        one_id(cli, "webhook test", argc, argv, a.rest, &id))
        return 2;
    unsigned char key[BL_HOOK_KEY_BYTES];
    struct bl_app_hook_send s;
    if (bl_cli_hook_send(cli, a.allow_private, false, key, &s))
        return 1;
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_webhook_test_res res;
    int rc = bl_app_webhook_test(st, org, id, &s, &res, &d);
    bl_store_close(st);
    sodium_memzero(key, sizeof(key));
    if (rc)
        return not_found(cli, &d, rc, id);
    if (res.delivered) {
        fprintf(cli->out, "ping %s delivered to webhook %lld (HTTP %lld)\n", res.event_id,
                (long long)id, (long long)res.status);
        return 0;
    }
    fprintf(cli->err,
            "ballast: ping %s to webhook %lld failed: %s (it is retried like any event; "
            "'ballast webhook list' shows how it went)\n",
            res.event_id, (long long)id, res.error);
    return 1;
}

static int deliver_orgs(struct bl_cli *cli, struct bl_store *st, int64_t org,
                        const struct send_args *a, const struct bl_app_hook_send *s,
                        struct bl_app_hook_deliver_res *sum, struct bl_diag *d)
{
    int64_t *ids = &org;
    char **names = NULL;
    size_t n = 1;
    int rc = a->all_orgs ? bl_app_cycle_orgs(st, 0, 1, &ids, &names, &n, d) : BL_OK;
    for (size_t i = 0; !rc && i < n; i++) {
        struct bl_app_hook_deliver_res r;
        rc = bl_app_hook_deliver(st, ids[i], s, a->limit, &r, d);
        sum->delivered += r.delivered;
        sum->retrying += r.retrying;
        sum->failed += r.failed;
        sum->pending += r.pending;
        sum->failed_total += r.failed_total;
    }
    if (a->all_orgs)
        bl_app_orgs_free(ids, names, n);
    (void)cli;
    return rc;
}

static int hook_deliver(struct bl_cli *cli, int argc, char **argv)
{
    struct send_args a;
    if (send_args(cli, "webhook deliver", true, argc, argv, &a))
        return 2;
    if (a.rest < argc)
        return bl_cli_usage(cli, "webhook deliver", "unexpected '%s'", argv[a.rest]);
    unsigned char key[BL_HOOK_KEY_BYTES];
    struct bl_app_hook_send s;
    if (bl_cli_hook_send(cli, a.allow_private, false, key, &s))
        return 1;
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_hook_deliver_res sum = {0};
    int rc = deliver_orgs(cli, st, org, &a, &s, &sum, &d);
    bl_store_close(st);
    sodium_memzero(key, sizeof(key));
    if (rc)
        return bl_cli_fail(cli, &d);
    fprintf(cli->out,
            "webhooks: %lld delivered, %lld to be tried again, %lld given up; the outbox "
            "holds %lld to send and %lld failed\n",
            (long long)sum.delivered, (long long)sum.retrying, (long long)sum.failed,
            (long long)sum.pending, (long long)sum.failed_total);
    return 0;
}

int bl_cmd_webhook(struct bl_cli *cli, int argc, char **argv)
{
    const char *sub = argc >= 2 ? argv[1] : "";
    if (strcmp(sub, "add") == 0)
        return hook_add(cli, argc - 1, argv + 1);
    if (strcmp(sub, "list") == 0)
        return hook_list(cli, argc - 1, argv + 1);
    if (strcmp(sub, "remove") == 0)
        return hook_remove(cli, argc - 1, argv + 1);
    if (strcmp(sub, "test") == 0)
        return hook_test(cli, argc - 1, argv + 1);
    if (strcmp(sub, "deliver") == 0)
        return hook_deliver(cli, argc - 1, argv + 1);
    return bl_cli_usage(cli, "webhook", "expected add, list, remove, test or deliver");
}
