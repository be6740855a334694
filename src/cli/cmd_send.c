/* cmd_send.c - `ballast messages send`: delivers the outbox over SMTP, a webhook or
 * a CSV file, at least once and never silently lost. Parses the options into the
 * sender's configuration and calls bl_app_messages_send (app/messages.h), which does
 * what follows.
 *
 * Each message is claimed (state sending, attempts + 1) in its own committed
 * statement before the network call and marked sent or failed after it. A failed
 * message is retried by a later send once next_attempt_at has passed (exponential
 * backoff), up to --max-attempts. A message still `sending` from a run that was
 * killed is sent again after --stale seconds with the same Message-ID and
 * idempotency key, so the receiver can drop the duplicate: SMTP cannot tell whether
 * the server kept it. Design: docs/internals/notify.md.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/msg_common.h"
#include "cli/out.h"
#include "ballast/send.h"

/* A marketplace has thousands of shops: the summary names the first ones. */
#define MAX_SHOPS 20

/* Text with a shop's name from the store, its controls spelt out (what a terminal
 * would obey is shown instead). */
static void text_out(struct bl_cli *cli, const char *text)
{
    if (bl_out_text(cli->err, bl_str_c(text), 0))
        fputs("?", cli->err);
}

/* One shop's held messages, the shop by its name (nm): the missing settings in one
 * sentence with the command that sets them, each other reason with its count. */
static void shop_held(struct bl_cli *cli, const struct bl_app_messages_send_res *res,
                      const struct bl_app_msg_shop_waiting *sw, const struct bl_msg_names *nm)
{
    char settings[300] = "", opts[300] = "", one[1200];
    size_t sl = 0, ol = 0, nset = 0;
    const char *name = bl_msg_shop_name(nm, sw->shop);
    fputs("  ", cli->err);
    text_out(cli, name);
    fprintf(cli->err, ", %lld held:", (long long)sw->held);
    const char *sep = " ";
    for (size_t i = 0; i < res->nwaiting; i++) {
        const struct bl_app_msg_waiting *w = &res->waiting[i];
        if (strcmp(w->shop, sw->shop) != 0 || w->hold == BL_HOLD__COUNT)
            continue;
        if (w->hold == BL_HOLD_MISSING_SETTING) {
            enum bl_msg_setting k = bl_msg_setting_from_name(bl_str_c(w->detail));
            if (sl < sizeof(settings))
                sl += (size_t)snprintf(settings + sl, sizeof(settings) - sl, "%s%s (%lld)",
                                       nset++ ? ", " : "", bl_msg_setting_words(k),
                                       (long long)w->n);
            if (ol < sizeof(opts))
                ol += (size_t)snprintf(opts + ol, sizeof(opts) - ol, " %s",
                                       bl_msg_setting_option(k));
            continue;
        }
        bl_msg_hold_reason(w->hold, w->detail, w->shop, name, one, sizeof(one));
        fputs(sep, cli->err);
        text_out(cli, one);
        fprintf(cli->err, " (%lld)", (long long)w->n);
        sep = "; ";
    }
    if (nset)
        fprintf(cli->err, "%sno %s: set %s with 'ballast shops set %s%s'", sep, settings,
                nset > 1 ? "them" : "it", sw->shop, opts);
    fputc('\n', cli->err);
}

/* What waits after the send: for approval, and held with the reasons in words, per
 * shop. */
static void waiting_words(struct bl_cli *cli, const struct bl_app_messages_send_res *res,
                          const struct bl_msg_names *nm)
{
    if (res->awaiting_approval) {
        fprintf(cli->err, "ballast: %lld message%s for a person's approval:",
                (long long)res->awaiting_approval,
                res->awaiting_approval == 1 ? " waits" : "s wait");
        size_t shown = 0, more = 0;
        for (size_t i = 0; i < res->nshops; i++)
            if (res->shops[i].approval && shown++ < MAX_SHOPS) { /* by name, with its count */
                fputs(shown > 1 ? ", " : " ", cli->err);
                text_out(cli, bl_msg_shop_name(nm, res->shops[i].shop));
                fprintf(cli->err, " (%lld)", (long long)res->shops[i].approval);
            } else if (res->shops[i].approval)
                more++;
        if (more)
            fprintf(cli->err, " and %zu more shop%s", more, more == 1 ? "" : "s");
        fprintf(cli->err, " (read them: 'ballast messages list --state planned'; approve: "
                          "'ballast messages approve ID | --all'; let a shop send a kind by "
                          "itself: 'ballast messages policy set')\n");
    }
    if (!res->held_total)
        return;
    fprintf(cli->err,
            "ballast: %lld message%s held and will not be sent until fixed "
            "('ballast messages list --state held'):\n",
            (long long)res->held_total, res->held_total == 1 ? " is" : "s are");
    size_t shown = 0, more = 0;
    for (size_t i = 0; i < res->nshops; i++)
        if (res->shops[i].held && shown++ < MAX_SHOPS)
            shop_held(cli, res, &res->shops[i], nm);
        else if (res->shops[i].held)
            more++;
    if (more)
        fprintf(cli->err, "  ... and %zu more shop%s: 'ballast messages list --state held'\n", more,
                more == 1 ? "" : "s");
}

static int run(struct bl_cli *cli, const struct bl_app_messages_send_req *rq,
               struct bl_diag *d)
{
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_app_messages_send_res res;
    int rc = bl_app_messages_send(st, org, rq, &res, d);
    struct bl_msg_names nm = {0};
    struct bl_diag nd;
    bl_diag_clear(&nd);
    if (!rc && (res.held_total || res.awaiting_approval) && bl_msg_names_load(st, org, &nm, &nd))
        bl_msg_names_release(&nm); /* what was sent is sent: the reasons name shops by id */
    bl_store_close(st);
    for (size_t i = 0; i < res.n; i++) {
        const struct bl_app_send_result *x = &res.results[i];
        if (x->code == BL_SEND_FAILED && rq->sender.via != BL_VIA_CSV)
            fprintf(cli->err, "ballast: message %lld (%s) to %s failed: %s\n",
                    (long long)x->id, x->idem, x->recipient, x->error ? x->error : "");
    }
    if (rc) {
        bl_app_messages_send_res_release(&res);
        bl_msg_names_release(&nm);
        int status = bl_cli_fail(cli, d);
        if (rc == BL_EEXISTS && rq->sender.via == BL_VIA_CSV)
            fprintf(cli->err, "ballast: each export is a new file (the messages in that one "
                              "are already marked sent): give another --out, e.g. "
                              "outbox-YYYY-MM-DDTHHMM.csv\n");
        return status;
    }
    fprintf(cli->err, "ballast: %zu sent, %zu failed", res.sent, res.failed);
    if (res.taken)
        fprintf(cli->err, ", %zu taken by another sender", res.taken);
    if (res.held)
        fprintf(cli->err, ", %zu held instead of sent (a reserved or test domain)", res.held);
    fputc('\n', cli->err);
    waiting_words(cli, &res, &nm);
    size_t failed = res.failed;
    bl_app_messages_send_res_release(&res);
    bl_msg_names_release(&nm);
    return failed ? 1 : 0;
}

static const char send_usage[] =
    "usage: messages send --via smtp|webhook|csv [--id ID] [--kind K] [--limit N]\n"
    "  smtp:    --smtp URL (smtp://host:port) [--from ADDR] [--from-name NAME] [--rate PER_SEC]\n"
    "           (From: each shop's sender, 'ballast shops set SHOP --sender ADDR'; --from\n"
    "           for a shop without one)\n"
    "           [--smtp-user U] (password in BALLAST_SMTP_PASSWORD) [--require-tls] [--insecure]\n"
    "  webhook: --webhook URL (secret in BALLAST_WEBHOOK_SECRET or --secret-file FILE)\n"
    "  csv:     --out FILE (a new file each run: an existing one is refused)\n"
    "  retries: [--backoff SECS] (default 60, doubled per attempt) [--max-attempts N] (8)\n"
    "           [--stale SECS] (600: a message left `sending` that long is sent again)";

static int read_secret(const char *path, char *out, size_t cap)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t n = fread(out, 1, cap - 1, f);
    fclose(f);
    out[n] = '\0';
    while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
        out[--n] = '\0';
    return 0;
}

int bl_cmd_send(struct bl_cli *cli, int argc, char **argv);

/* One option of send into rq (name: the long option's). 0, else the exit status after
 * printing usage. */
static int send_opt(struct bl_cli *cli, int c, const char *name,
                    struct bl_app_messages_send_req *rq, bool *has_via)
{
    static char secret[1024];
    struct bl_app_sender *a = &rq->sender;
    int64_t v = 0;
    switch (c) {
    case 'v':
        if (strcmp(optarg, "smtp") == 0)
            a->via = BL_VIA_SMTP;
        else if (strcmp(optarg, "webhook") == 0)
            a->via = BL_VIA_WEBHOOK;
        else if (strcmp(optarg, "csv") == 0)
            a->via = BL_VIA_CSV;
        else
            return bl_cli_usage(cli, "messages send", "--via %s: expected smtp, webhook or csv",
                                optarg);
        *has_via = true;
        break;
    case 's':
        a->smtp.url = optarg;
        break;
    case 'F':
        a->from = optarg;
        break;
    case 'N':
        a->from_name = optarg;
        break;
    case 'u':
        a->smtp.user = optarg;
        break;
    case 'T':
        a->smtp.require_tls = true;
        break;
    case 'I':
        a->smtp.insecure = true;
        break;
    case 'w':
        a->webhook = optarg;
        break;
    case 'S':
        if (read_secret(optarg, secret, sizeof(secret)))
            return bl_cli_usage(cli, "messages send", "--secret-file %s: %s", optarg,
                                strerror(errno));
        a->secret = secret;
        break;
    case 'o':
        a->out = optarg;
        break;
    case 'k':
        rq->kind = optarg;
        break;
    case 'r': {
        char *end;
        a->rate = strtod(optarg, &end);
        if (*end || !(a->rate == 0 || (a->rate >= 1.0 / 3600 && a->rate <= 1e6)))
            return bl_cli_usage(cli, "messages send", "--rate %s: messages per second (0: "
                                "no limit), from 0.0003 (one an hour) to 1000000", optarg);
        break;
    }
    case 'i':
    case 'l':
    case 'b':
    case 'm':
    case 'x': {
        char opt[32];
        snprintf(opt, sizeof(opt), "--%s", name);
        if (bl_cli_parse_int(cli, "messages send", opt, optarg, 0, INT64_MAX, &v))
            return 2;
        if (c == 'i')
            rq->id = v;
        else if (c == 'l')
            rq->limit = v;
        else if (c == 'b')
            rq->backoff = v;
        else if (c == 'm')
            rq->max_attempts = v;
        else
            rq->stale = v;
        break;
    }
    default:
        return bl_cli_usage(cli, "messages send", "%s", send_usage);
    }
    return 0;
}

int bl_cmd_send(struct bl_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"via", required_argument, NULL, 'v'},        {"smtp", required_argument, NULL, 's'},
        {"from", required_argument, NULL, 'F'},       {"from-name", required_argument, NULL, 'N'},
        {"rate", required_argument, NULL, 'r'},       {"smtp-user", required_argument, NULL, 'u'},
        {"require-tls", no_argument, NULL, 'T'},      {"insecure", no_argument, NULL, 'I'},
        {"webhook", required_argument, NULL, 'w'},    {"secret-file", required_argument, NULL, 'S'},
        {"out", required_argument, NULL, 'o'},        {"id", required_argument, NULL, 'i'},
        {"kind", required_argument, NULL, 'k'},       {"limit", required_argument, NULL, 'l'},
        {"backoff", required_argument, NULL, 'b'},    {"max-attempts", required_argument, NULL, 'm'},
        {"stale", required_argument, NULL, 'x'},      {NULL, 0, NULL, 0},
    };
    struct bl_app_messages_send_req rq = {.backoff = 60, .max_attempts = 8, .stale = 600,
                                          .limit = 1000000};
    struct bl_app_sender *a = &rq.sender;
    a->rate = 10;
    a->smtp.url = getenv("BALLAST_SMTP_URL");
    a->smtp.password = getenv("BALLAST_SMTP_PASSWORD");
    a->secret = getenv("BALLAST_WEBHOOK_SECRET");
    bool has_via = false;
    int c, li = 0;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, &li)) != -1) {
        int status = c == '?' ? bl_cli_bad_option(cli, "messages send", argv, opts)
                              : send_opt(cli, c, opts[li].name, &rq, &has_via);
        if (status)
            return status;
    }
    if (optind != argc || !has_via)
        return bl_cli_usage(cli, "messages send", "%s", send_usage);
    if (a->via == BL_VIA_SMTP && !a->smtp.url)
        return bl_cli_usage(cli, "messages send", "--via smtp needs --smtp URL (or "
                            "BALLAST_SMTP_URL)");
    if (a->via == BL_VIA_WEBHOOK && (!a->webhook || !a->secret || !a->secret[0]))
        return bl_cli_usage(cli, "messages send", "--via webhook needs --webhook URL and a secret "
                            "(BALLAST_WEBHOOK_SECRET or --secret-file)");
    if (a->via == BL_VIA_CSV && !a->out)
        return bl_cli_usage(cli, "messages send", "--via csv needs --out FILE");
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_send_global_init(&d))
        return bl_cli_fail(cli, &d);
    int status = run(cli, &rq, &d);
    bl_send_global_cleanup();
    return status;
}
