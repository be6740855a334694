/* cmd_messages.c - `ballast messages plan|list|show|approve|policy`: the outbox.
 *
 * Parses the options, calls the use cases (app/messages.h: bl_app_messages_list,
 * _show, _approve, _policy) and prints their results. Planning is in
 * cmd_messages_plan.c, sending in cmd_send.c. Design: docs/internals/notify.md.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/msg_common.h"
#include "cli/out.h"

#include "ballast/notify.h"
#include "ballast/time.h"

#define NC(a) (sizeof(a) / sizeof((a)[0]))

/* ---------------------------------------------------------------- list, show */

static const char *const list_cols[] = {"id",      "state",     "kind",     "order",
                                        "shop",    "customer",  "locale",   "channel",
                                        "recipient", "subject", "attempts", "last_error",
                                        "next_attempt_at"};

static struct bl_val text_val(const char *s)
{
    return s ? bl_val_text(bl_str_c(s)) : bl_val_null();
}

static struct bl_val time_val(int64_t t, char buf[BL_ISO_MAX])
{
    return t == BL_NO_TIME ? bl_val_null() : bl_val_text(bl_str_c(bl_time_format(t, buf)));
}

/* The 20 columns of show (list: the first 13), as the outbox stores them. */
static void msg_vals(const struct bl_app_message *m, struct bl_val v[20], char t[5][BL_ISO_MAX])
{
    const struct bl_val x[20] = {
        bl_val_int(m->id),           text_val(m->state),       text_val(m->kind),
        text_val(m->order),          text_val(m->shop),        text_val(m->customer),
        text_val(m->locale),         text_val(m->channel),     text_val(m->recipient),
        text_val(m->subject),        bl_val_int(m->attempts),  text_val(m->last_error),
        time_val(m->next_attempt_at, t[0]), text_val(m->idem), text_val(m->body),
        text_val(m->covers),         time_val(m->created_at, t[1]),
        time_val(m->approved_at, t[2]), time_val(m->sent_at, t[3]), time_val(m->as_of, t[4])};
    memcpy(v, x, sizeof(x));
}

static int cmd_list(struct bl_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"state", required_argument, NULL, 's'},
        {"kind", required_argument, NULL, 'k'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    const char *state = "", *kind = "";
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 's')
            state = optarg;
        else if (c == 'k')
            kind = optarg;
        else if (c == 'f') {
            if (bl_cli_set_format(cli, optarg))
                return 2;
        } else
            return bl_cli_bad_option(cli, "messages list", argv, opts);
    }
    if (optind != argc)
        return bl_cli_usage(cli, "messages list", "unexpected argument '%s'", argv[optind]);
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_app_messages_list_req rq = {.state = state, .kind = kind};
    struct bl_app_messages_list_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_messages_list(st, org, &rq, &res, &d);
    bl_store_close(st);
    int failed = rc;
    if (rc)
        bl_app_messages_list_res_release(&res); /* the table's header, empty, as always */
    struct bl_out out;
    bl_out_begin(&out, cli, list_cols, NC(list_cols));
    for (size_t i = 0; !rc && i < res.n; i++) {
        struct bl_val v[20];
        char t[5][BL_ISO_MAX];
        msg_vals(&res.msgs[i], v, t);
        rc = bl_out_row(&out, v);
    }
    int erc = bl_out_end(&out);
    bl_app_messages_list_res_release(&res);
    if (failed)
        return bl_cli_fail(cli, &d);
    return rc || erc ? 1 : 0;
}

static const char *const show_cols[] = {
    "id",     "state",   "kind",     "order",   "shop",   "customer",   "locale",
    "channel", "recipient", "subject", "attempts", "last_error", "next_attempt_at", "idem",
    "body",   "covers",  "created_at", "approved_at", "sent_at", "as_of"};

static int show_one(struct bl_cli *cli, const struct bl_app_message *m)
{
    struct bl_val v[20];
    char t[5][BL_ISO_MAX];
    msg_vals(m, v, t);
    if (cli->format == BL_FMT_TABLE) {
        for (size_t i = 0; i < 20; i++) {
            if (i == 14)
                continue;
            if (v[i].kind == BL_VAL_INT)
                fprintf(cli->out, "%-16s %lld\n", show_cols[i], (long long)v[i].i);
            else
                fprintf(cli->out, "%-16s %.*s\n", show_cols[i], (int)v[i].s.len,
                        v[i].kind == BL_VAL_NULL ? "" : v[i].s.ptr);
        }
        fprintf(cli->out, "\n%.*s", (int)v[14].s.len, v[14].s.ptr);
        return 0;
    }
    struct bl_out out;
    bl_out_begin(&out, cli, show_cols, 20);
    int rc = bl_out_row(&out, v);
    int erc = bl_out_end(&out);
    return rc ? rc : erc;
}

static int parse_id(const char *s, int64_t *id)
{
    return bl_str_to_i64(bl_str_c(s), id) == BL_OK && *id > 0 ? 0 : -1;
}

static int cmd_show(struct bl_cli *cli, int argc, char **argv)
{
    int64_t id;
    int i = 1;
    for (; i < argc - 1 && strncmp(argv[i], "--format", 8) == 0; i += 2)
        if (bl_cli_set_format(cli, argv[i + 1]))
            return 2;
    if (i != argc - 1 || parse_id(argv[i], &id))
        return bl_cli_usage(cli, "messages show", "usage: messages show ID (a message id)");
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_app_messages_list_req rq = {.id = id};
    struct bl_app_messages_list_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_messages_show(st, org, &rq, &res, &d);
    bl_store_close(st);
    if (!rc)
        rc = show_one(cli, &res.msgs[0]) ? 1 : 0;
    else
        rc = bl_cli_fail(cli, &d);
    bl_app_messages_list_res_release(&res);
    return rc;
}

/* ---------------------------------------------------------------- approve, policy */

static int cmd_approve(struct bl_cli *cli, int argc, char **argv)
{
    bool all = false;
    const char *kind = "";
    int64_t id = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--all") == 0)
            all = true;
        else if (strcmp(argv[i], "--kind") == 0 && i + 1 < argc)
            kind = argv[++i];
        else if (id == 0 && parse_id(argv[i], &id) == 0)
            continue;
        else
            return bl_cli_usage(cli, "messages approve",
                                "usage: messages approve ID | --all [--kind K]");
    }
    if (all == (id != 0))
        return bl_cli_usage(cli, "messages approve", "usage: messages approve ID | --all [--kind K]");
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_messages_approve_req rq = {.id = id, .all = all, .kind = kind,
                                             .now = bl_cli_now()};
    struct bl_app_messages_approve_res res;
    int rc = bl_app_messages_approve(st, org, &rq, &res, &d);
    bl_store_close(st);
    if (rc && res.why == BL_APPROVE_NOT_WAITING)
        bl_diag_set(&d, BL_ECONFLICT, "message %lld is not waiting for approval "
                    "(see 'ballast messages show %lld')", (long long)id, (long long)id);
    if (rc)
        return bl_cli_fail(cli, &d);
    fprintf(cli->err, "ballast: %lld message(s) approved\n", (long long)res.approved);
    return 0;
}

static int cmd_policy(struct bl_cli *cli, int argc, char **argv)
{
    if (argc != 1 && argc != 3)
        return bl_cli_usage(cli, "messages policy", "usage: messages policy [KIND on|off]");
    if (argc == 3 && (bl_msg_kind_from_name(argv[1]) == BL_MSG__COUNT ||
                      (strcmp(argv[2], "on") && strcmp(argv[2], "off"))))
        return bl_cli_usage(cli, "messages policy",
                            "KIND is a message kind (late_shipment, late_delivery, out_of_stock, "
                            "compensation_coupon, unshipped_order, promo_code, service_resumed); "
                            "then on (a person approves first) or off");
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_messages_policy_req rq = {.kind = BL_MSG__COUNT};
    if (argc == 3)
        rq = (struct bl_app_messages_policy_req){bl_msg_kind_from_name(argv[1]),
                                                 strcmp(argv[2], "on") == 0};
    struct bl_app_messages_policy_res res;
    int rc = bl_app_messages_policy(st, org, &rq, &res, &d);
    bl_store_close(st);
    if (rc)
        return bl_cli_fail(cli, &d);
    const bool *approval = res.approval;
    static const char *const cols[] = {"kind", "approval"};
    struct bl_out out;
    bl_out_begin(&out, cli, cols, 2);
    for (unsigned k = 0; !rc && k < BL_MSG__COUNT; k++) {
        struct bl_val v[2] = {bl_val_text(bl_str_c(bl_msg_kind_name((enum bl_msg_kind)k))),
                              bl_val_text(bl_str_c(approval[k] ? "required" : "none"))};
        rc = bl_out_row(&out, v);
    }
    int erc = bl_out_end(&out);
    return rc || erc ? 1 : 0;
}

/* ---------------------------------------------------------------- dispatch */

int bl_cmd_send(struct bl_cli *cli, int argc, char **argv);          /* cmd_send.c */
int bl_cmd_messages_plan(struct bl_cli *cli, int argc, char **argv); /* cmd_messages_plan.c */

int bl_cmd_messages(struct bl_cli *cli, int argc, char **argv)
{
    static const char usage[] = "usage: messages plan|list|show|approve|send|policy ...";
    if (argc < 2)
        return bl_cli_usage(cli, "messages", "%s", usage);
    const char *sub = argv[1];
    if (strcmp(sub, "plan") == 0)
        return bl_cmd_messages_plan(cli, argc - 1, argv + 1);
    if (strcmp(sub, "list") == 0)
        return cmd_list(cli, argc - 1, argv + 1);
    if (strcmp(sub, "show") == 0)
        return cmd_show(cli, argc - 1, argv + 1);
    if (strcmp(sub, "approve") == 0)
        return cmd_approve(cli, argc - 1, argv + 1);
    if (strcmp(sub, "policy") == 0)
        return cmd_policy(cli, argc - 1, argv + 1);
    if (strcmp(sub, "send") == 0)
        return bl_cmd_send(cli, argc - 1, argv + 1);
    return bl_cli_usage(cli, "messages", "unknown subcommand '%s'\n%s", sub, usage);
}
