/* cmd_msg_preview.c - `ballast messages preview ORDER KIND`: one message of one order,
 * rendered with its real data as the outbox would (bl_app_messages_preview), neither
 * stored nor sent; whether it would be held, and why. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/msg_common.h"
#include "cli/out.h"

#include "ballast/time.h"

int bl_cmd_messages_preview(struct bl_cli *cli, int argc, char **argv);

static const char preview_usage[] =
    "usage: messages preview ORDER KIND [--shop S] [--locale L] [--as-of T [--tz ZONE]]\n"
    "         [--channel email|webhook|csv] [--to-domain D] [--templates DIR]\n"
    "         [--promo CODE --discount TEXT --promo-expires DATE] [--service-resumed DATE]";

static const char *state_of(const struct bl_app_messages_preview_res *r)
{
    if (r->msg.hold)
        return "held";
    return r->msg.approval ? "planned" : "approved";
}

/* Whether the plan queues it now, in words. */
static void due_words(const struct bl_app_messages_preview_res *r, char *out, size_t cap)
{
    char since[BL_ISO_MAX];
    if (r->in_outbox)
        snprintf(out, cap, "no: the outbox already has it ('ballast messages list')");
    else if (r->due)
        snprintf(out, cap, "yes: the next 'messages plan' queues it");
    else if (r->too_old)
        snprintf(out, cap, "no: its event fell before the horizon (%s)",
                 bl_time_format(r->since, since));
    else
        snprintf(out, cap, "no: the order's facts do not call for it now");
}

static int print(struct bl_cli *cli, const struct bl_app_messages_preview_res *r,
                 const struct bl_msg_names *nm)
{
    const struct bl_app_message_planned *m = &r->msg;
    char why[2000] = "", due[200];
    if (m->hold)
        bl_msg_hold_words(m->hold, m->shop, bl_msg_shop_name(nm, m->shop), why, sizeof(why));
    due_words(r, due, sizeof(due));
    static const char *const cols[] = {"order", "shop",  "kind", "locale",      "recipient",
                                       "state", "queued", "subject", "body", "held_because"};
    struct bl_val v[] = {bl_val_text(bl_str_c(m->order)),  bl_val_text(bl_str_c(m->shop)),
                         bl_val_text(bl_str_c(bl_msg_kind_name(m->kind))),
                         bl_val_text(bl_str_c(m->locale)), bl_val_text(bl_str_c(m->recipient)),
                         bl_val_text(bl_str_c(state_of(r))), bl_val_text(bl_str_c(due)),
                         bl_val_text(bl_str_c(m->subject)), bl_val_text(bl_str_c(m->body)),
                         m->hold ? bl_val_text(bl_str_c(why)) : bl_val_null()};
    if (cli->format != BL_FMT_TABLE) {
        struct bl_out out;
        bl_out_begin(&out, cli, cols, 10);
        int rc = bl_out_row(&out, v);
        int erc = bl_out_end(&out);
        return rc || erc;
    }
    FILE *o = cli->out; /* the store's text with its controls spelt out (bl_out_text) */
    const char *name = bl_msg_shop_name(nm, m->shop);
    bool named = name && m->shop && strcmp(name, m->shop) != 0;
    fputs("order      ", o);
    int rc = bl_out_text(o, bl_str_c(m->order), 0);
    fputs(", shop ", o); /* by name, its id beside */
    rc = rc ? rc : bl_out_text(o, bl_str_c(named ? name : m->shop), 0);
    if (named) {
        fputs(" (", o);
        rc = rc ? rc : bl_out_text(o, bl_str_c(m->shop), 0);
        fputc(')', o);
    }
    fprintf(o, "\nkind       %s\nlocale     %s\nto         ", bl_msg_kind_name(m->kind),
            m->locale);
    rc = rc ? rc : bl_out_text(o, bl_str_c(m->recipient[0] ? m->recipient : "(no address)"), 0);
    const char *how = m->approval ? ": waits for a person's approval" : ": sent by itself";
    fprintf(o, "\nstate      %s%s", state_of(r), m->hold ? ": " : how);
    rc = rc ? rc : bl_out_text(o, bl_str_c(m->hold ? why : ""), 0);
    fprintf(o, "\nqueued     %s\n\nSubject: ", due);
    rc = rc ? rc : bl_out_text(o, bl_str_c(m->subject), 0);
    fputs("\n\n", o);
    rc = rc ? rc : bl_out_text(o, bl_str_c(m->body), BL_SHOWN_KEEP_NL | BL_SHOWN_KEEP_TAB);
    size_t n = strlen(m->body);
    if (n && m->body[n - 1] != '\n')
        fputc('\n', o);
    return rc ? 1 : 0;
}

static int opt(struct bl_cli *cli, int c, struct bl_app_messages_preview_req *q,
               const char **as_of, const char **tz)
{
    switch (c) {
    case 's': q->shop = optarg; break;
    case 'l': q->locale = optarg; break;
    case 'a': *as_of = optarg; break;
    case 'z': *tz = optarg; break;
    case 'c': q->channel = optarg; break;
    case 't': q->to_domain = optarg; break;
    case 'T': q->templates = optarg; break;
    case 'p': q->promo = optarg; break;
    case 'D': q->discount = optarg; break;
    case 'r': q->service_resumed = optarg; break;
    case 'e':
        if (bl_msg_parse_instant(cli, "messages preview", "--promo-expires", optarg,
                                 &q->promo_expires))
            return 2;
        q->promo_expires -= 1;
        break;
    case 'f':
        return bl_cli_set_format(cli, optarg);
    default:
        return bl_cli_usage(cli, "messages preview", "%s", preview_usage);
    }
    return 0;
}

int bl_cmd_messages_preview(struct bl_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"shop", required_argument, NULL, 's'},     {"locale", required_argument, NULL, 'l'},
        {"as-of", required_argument, NULL, 'a'},    {"tz", required_argument, NULL, 'z'},
        {"channel", required_argument, NULL, 'c'},  {"to-domain", required_argument, NULL, 't'},
        {"templates", required_argument, NULL, 'T'}, {"promo", required_argument, NULL, 'p'},
        {"discount", required_argument, NULL, 'D'}, {"promo-expires", required_argument, NULL, 'e'},
        {"service-resumed", required_argument, NULL, 'r'},
        {"format", required_argument, NULL, 'f'},   {NULL, 0, NULL, 0},
    };
    struct bl_app_messages_preview_req q = {0};
    const char *as_of = NULL, *tz = NULL;
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int status = opt(cli, c, &q, &as_of, &tz);
        if (status)
            return status;
    }
    if (argc - optind != 2)
        return bl_cli_usage(cli, "messages preview", "%s", preview_usage);
    q.order = argv[optind];
    q.kind = bl_msg_kind_from_name(argv[optind + 1]);
    if (q.kind == BL_MSG__COUNT)
        return bl_cli_usage(cli, "messages preview", "%s: not a message kind (late_shipment, "
                            "late_delivery, out_of_stock, compensation_coupon, unshipped_order, "
                            "promo_code, service_resumed)", argv[optind + 1]);
    if (as_of && bl_msg_parse_as_of(cli, "messages preview", "--as-of", as_of, tz, &q.as_of))
        return 2;
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_messages_preview_res res;
    struct bl_msg_names nm = {0};
    int rc = bl_app_messages_preview(st, org, &q, &res, &d);
    if (!rc && (res.msg.hold || cli->format == BL_FMT_TABLE)) /* words name the shop */
        rc = bl_msg_names_load(st, org, &nm, &d);
    bl_store_close(st);
    rc = rc ? bl_cli_fail(cli, &d) : print(cli, &res, &nm);
    bl_app_messages_preview_res_release(&res);
    bl_msg_names_release(&nm);
    return rc;
}
