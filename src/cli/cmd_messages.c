/* cmd_messages.c - `ballast messages plan|list|show|approve|reject|policy`: the outbox.
 *
 * Parses the options, calls the use cases (app/messages.h: bl_app_messages_list,
 * _show, _approve, _policy) and prints their results. Planning is in
 * cmd_messages_plan.c, sending in cmd_send.c. Design: docs/internals/notify.md.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/disrupt_common.h"
#include "cli/msg_common.h"
#include "cli/out.h"

#include "ballast/notify.h"
#include "ballast/time.h"

#define NC(a) (sizeof(a) / sizeof((a)[0]))

/* ---------------------------------------------------------------- list, show */

static const char *const list_cols[] = {"id",      "state",     "kind",     "order",
                                        "shop",    "customer",  "locale",   "channel",
                                        "recipient", "subject", "attempts", "last_error",
                                        "next_attempt_at", "held_because"};

static struct bl_val text_val(const char *s)
{
    return s ? bl_val_text(bl_str_c(s)) : bl_val_null();
}

static struct bl_val time_val(int64_t t, char buf[BL_ISO_MAX])
{
    return t == BL_NO_TIME ? bl_val_null() : bl_val_text(bl_str_c(bl_time_format(t, buf)));
}

#define NSHOW 21

/* The 21 columns of show (list: the first 13 and the last), as the outbox stores
 * them; the reasons a message is held in words, naming the shop by its name in nm
 * (why: their buffer). */
static void msg_vals(const struct bl_app_message *m, const struct bl_msg_names *nm,
                     struct bl_val v[NSHOW], char t[5][BL_ISO_MAX], char *why, size_t cap)
{
    why[0] = '\0';
    if (m->hold)
        bl_msg_hold_words(m->hold, m->shop, bl_msg_shop_name(nm, m->shop), why, cap);
    const struct bl_val x[NSHOW] = {
        bl_val_int(m->id),           text_val(m->state),       text_val(m->kind),
        text_val(m->order),          text_val(m->shop),        text_val(m->customer),
        text_val(m->locale),         text_val(m->channel),     text_val(m->recipient),
        text_val(m->subject),        bl_val_int(m->attempts),  text_val(m->last_error),
        time_val(m->next_attempt_at, t[0]), text_val(m->idem), text_val(m->body),
        text_val(m->covers),         time_val(m->created_at, t[1]),
        time_val(m->approved_at, t[2]), time_val(m->sent_at, t[3]), time_val(m->as_of, t[4]),
        m->hold ? bl_val_text(bl_str_c(why)) : bl_val_null()};
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
    struct bl_msg_names nm = {0};
    int rc = bl_app_messages_list(st, org, &rq, &res, &d);
    bool held = false; /* the shops' names are for the reasons a message is held */
    for (size_t i = 0; !rc && !held && i < res.n; i++)
        held = res.msgs[i].hold != NULL;
    if (held)
        rc = bl_msg_names_load(st, org, &nm, &d);
    bl_store_close(st);
    int failed = rc;
    if (rc)
        bl_app_messages_list_res_release(&res); /* the table's header, empty, as always */
    struct bl_out out;
    bl_out_begin(&out, cli, list_cols, NC(list_cols));
    for (size_t i = 0; !rc && i < res.n; i++) {
        struct bl_val v[NSHOW];
        char t[5][BL_ISO_MAX], why[2000];
        msg_vals(&res.msgs[i], &nm, v, t, why, sizeof(why));
        v[13] = v[NSHOW - 1]; /* list: the first 13 columns and the reasons */
        rc = bl_out_row(&out, v);
    }
    int erc = bl_out_end(&out);
    bl_app_messages_list_res_release(&res);
    bl_msg_names_release(&nm);
    if (failed)
        return bl_cli_fail(cli, &d);
    return rc || erc ? 1 : 0;
}

static const char *const show_cols[] = {
    "id",     "state",   "kind",     "order",   "shop",   "customer",   "locale",
    "channel", "recipient", "subject", "attempts", "last_error", "next_attempt_at", "idem",
    "body",   "covers",  "created_at", "approved_at", "sent_at", "as_of", "held_because"};

static int show_one(struct bl_cli *cli, const struct bl_app_message *m,
                    const struct bl_msg_names *nm)
{
    struct bl_val v[NSHOW];
    char t[5][BL_ISO_MAX], why[2000];
    msg_vals(m, nm, v, t, why, sizeof(why));
    if (cli->format == BL_FMT_TABLE) { /* the store's text with its controls spelt out */
        int rc = 0;
        const char *name = bl_msg_shop_name(nm, m->shop);
        for (size_t i = 0; !rc && i < NSHOW; i++) {
            if (i == 14)
                continue;
            fprintf(cli->out, "%-16s ", show_cols[i]);
            if (i == 4 && name && strcmp(name, m->shop) != 0) { /* the shop by name, then its id */
                rc = bl_out_text(cli->out, bl_str_c(name), 0);
                fputs(" (", cli->out);
                rc = rc ? rc : bl_out_text(cli->out, v[i].s, 0);
                fputc(')', cli->out);
            } else if (v[i].kind == BL_VAL_INT)
                fprintf(cli->out, "%lld", (long long)v[i].i);
            else if (v[i].kind != BL_VAL_NULL)
                rc = bl_out_text(cli->out, v[i].s, 0);
            fputc('\n', cli->out);
        }
        if (!rc && m->rejected_at != BL_NO_TIME) { /* who said no, when and why */
            char at[BL_ISO_MAX];
            const char *who = m->rejected_by ? m->rejected_by : "(unknown)";
            fprintf(cli->out, "%-16s %s\n%-16s ", "rejected_at",
                    bl_time_format(m->rejected_at, at), "rejected_by");
            rc = bl_out_text(cli->out, bl_str_c(who), 0);
            fprintf(cli->out, "\n%-16s ", "reject_reason");
            if (!rc && m->reject_reason)
                rc = bl_out_text(cli->out, bl_str_c(m->reject_reason), 0);
            fputc('\n', cli->out);
        }
        fputc('\n', cli->out);
        if (!rc)
            rc = bl_out_text(cli->out, v[14].s, BL_SHOWN_KEEP_NL | BL_SHOWN_KEEP_TAB);
        return rc ? 1 : 0;
    }
    struct bl_out out;
    bl_out_begin(&out, cli, show_cols, NSHOW);
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
    struct bl_msg_names nm = {0};
    int rc = bl_app_messages_show(st, org, &rq, &res, &d);
    if (!rc && (res.msgs[0].hold || cli->format == BL_FMT_TABLE)) /* words name the shop */
        rc = bl_msg_names_load(st, org, &nm, &d);
    bl_store_close(st);
    if (!rc)
        rc = show_one(cli, &res.msgs[0], &nm) ? 1 : 0;
    else
        rc = bl_cli_fail(cli, &d);
    bl_app_messages_list_res_release(&res);
    bl_msg_names_release(&nm);
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
    fprintf(cli->err, "ballast: %lld message%s approved\n", (long long)res.approved,
            res.approved == 1 ? "" : "s");
    return 0;
}

static int cmd_reject(struct bl_cli *cli, int argc, char **argv)
{
    static const char usage[] = "usage: messages reject ID --reason TEXT";
    const char *reason = NULL;
    int64_t id = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--reason") == 0 && i + 1 < argc && !reason)
            reason = argv[++i];
        else if (id != 0 || parse_id(argv[i], &id) != 0)
            return bl_cli_usage(cli, "messages reject", "%s", usage);
    }
    if (!id || !reason || !reason[0])
        return bl_cli_usage(cli, "messages reject", "%s (why it must not leave)", usage);
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_messages_reject_req rq = {id, reason, bl__dis_who(), bl_cli_now()};
    struct bl_app_messages_reject_res res;
    int rc = bl_app_messages_reject(st, org, &rq, &res, &d);
    bl_store_close(st);
    if (rc && res.why == BL_REJECT_NOT_WAITING)
        bl_diag_set(&d, BL_ECONFLICT, "message %lld is %s: only a message waiting for approval "
                    "or held may be rejected (see 'ballast messages show %lld')",
                    (long long)id, res.state, (long long)id);
    bl_app_messages_reject_res_release(&res);
    if (rc)
        return bl_cli_fail(cli, &d);
    fprintf(cli->err, "ballast: message %lld rejected: it will not be sent\n", (long long)id);
    return 0;
}

static const char policy_usage[] =
    "usage: messages policy [list]\n"
    "       messages policy set --kind KIND (--shop SHOP | --all-shops) (--auto | --approval)\n"
    "  Every message waits for a person's approval unless its shop opted in to auto-send\n"
    "  for its kind. KIND: late_shipment, late_delivery, out_of_stock, compensation_coupon,\n"
    "  unshipped_order, promo_code, service_resumed";

static int policy_args(struct bl_cli *cli, int argc, char **argv,
                       struct bl_app_messages_policy_req *rq)
{
    bool all = false, mode = false;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--kind") == 0 && v && bl_msg_kind_from_name(v) != BL_MSG__COUNT) {
            rq->kind = bl_msg_kind_from_name(v);
            i++;
        } else if (strcmp(a, "--shop") == 0 && v) {
            rq->shop = v;
            i++;
        } else if (strcmp(a, "--all-shops") == 0) {
            all = true;
        } else if (strcmp(a, "--auto") == 0 || strcmp(a, "--approval") == 0) {
            rq->autosend = strcmp(a, "--auto") == 0;
            mode = true;
        } else {
            return bl_cli_usage(cli, "messages policy", "'%s' %s\n%s", a,
                                strcmp(a, "--kind") == 0 ? "needs a message kind"
                                                         : "is not an option here",
                                policy_usage);
        }
    }
    if (rq->kind == BL_MSG__COUNT || all == (rq->shop != NULL) || !mode)
        return bl_cli_usage(cli, "messages policy", "set needs --kind, --shop or --all-shops, "
                            "and --auto or --approval\n%s", policy_usage);
    rq->set = true;
    return 0;
}

static int policy_print(struct bl_cli *cli, const struct bl_app_messages_policy_res *res)
{
    static const char *const cols[] = {"kind", "approval", "auto_send"};
    struct bl_out out;
    bl_out_begin(&out, cli, cols, 3);
    int rc = 0;
    for (unsigned k = 0; !rc && k < BL_MSG__COUNT; k++) {
        char shops[1000] = "";
        size_t len = 0;
        bool every = false;
        for (size_t i = 0; i < res->n; i++) {
            if (res->autosend[i].kind != (enum bl_msg_kind)k)
                continue;
            every = every || !res->autosend[i].shop;
            if (res->autosend[i].shop && len < sizeof(shops))
                len += (size_t)snprintf(shops + len, sizeof(shops) - len, "%s%s",
                                        len ? " " : "", res->autosend[i].shop);
        }
        struct bl_val v[3] = {
            bl_val_text(bl_str_c(bl_msg_kind_name((enum bl_msg_kind)k))),
            bl_val_text(bl_str_c(every ? "none (every shop sends it by itself)"
                                 : len ? "required, but not for the shops that auto-send"
                                       : "required")),
            bl_val_text(bl_str_c(every ? "every shop" : shops))};
        rc = bl_out_row(&out, v);
    }
    int erc = bl_out_end(&out);
    return rc || erc ? 1 : 0;
}

static int cmd_policy(struct bl_cli *cli, int argc, char **argv)
{
    struct bl_app_messages_policy_req rq = {.kind = BL_MSG__COUNT, .now = bl_cli_now()};
    bool list = argc == 1 || (argc == 2 && strcmp(argv[1], "list") == 0);
    if (!list && !(argc >= 2 && strcmp(argv[1], "set") == 0))
        return bl_cli_usage(cli, "messages policy", "%s", policy_usage);
    if (!list) {
        int status = policy_args(cli, argc, argv, &rq);
        if (status)
            return status;
    }
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_messages_policy_res res;
    int rc = bl_app_messages_policy(st, org, &rq, &res, &d);
    bl_store_close(st);
    if (!rc)
        rc = policy_print(cli, &res);
    else
        rc = bl_cli_fail(cli, &d);
    bl_app_messages_policy_res_release(&res);
    return rc;
}

/* ---------------------------------------------------------------- dispatch */

int bl_cmd_send(struct bl_cli *cli, int argc, char **argv);          /* cmd_send.c */
int bl_cmd_messages_plan(struct bl_cli *cli, int argc, char **argv); /* cmd_messages_plan.c */
int bl_cmd_messages_preview(struct bl_cli *cli, int argc, char **argv); /* cmd_msg_preview.c */

int bl_cmd_messages(struct bl_cli *cli, int argc, char **argv)
{
    static const char usage[] =
        "usage: messages plan|preview|list|show|approve|reject|send|policy ...";
    if (argc < 2)
        return bl_cli_usage(cli, "messages", "%s", usage);
    const char *sub = argv[1];
    if (strcmp(sub, "plan") == 0)
        return bl_cmd_messages_plan(cli, argc - 1, argv + 1);
    if (strcmp(sub, "list") == 0)
        return cmd_list(cli, argc - 1, argv + 1);
    if (strcmp(sub, "preview") == 0)
        return bl_cmd_messages_preview(cli, argc - 1, argv + 1);
    if (strcmp(sub, "show") == 0)
        return cmd_show(cli, argc - 1, argv + 1);
    if (strcmp(sub, "approve") == 0)
        return cmd_approve(cli, argc - 1, argv + 1);
    if (strcmp(sub, "reject") == 0)
        return cmd_reject(cli, argc - 1, argv + 1);
    if (strcmp(sub, "policy") == 0)
        return cmd_policy(cli, argc - 1, argv + 1);
    if (strcmp(sub, "send") == 0)
        return bl_cmd_send(cli, argc - 1, argv + 1);
    return bl_cli_usage(cli, "messages", "unknown subcommand '%s'\n%s", sub, usage);
}
