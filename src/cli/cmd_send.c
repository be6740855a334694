/* cmd_send.c - `ballast messages send`: delivers the outbox over SMTP, a webhook or
 * a CSV file, at least once and never silently lost.
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
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cli/msg_common.h"
#include "ballast/send.h"
#include "ballast/time.h"

#define NC(a) (sizeof(a) / sizeof((a)[0]))

enum via { VIA_SMTP, VIA_WEBHOOK, VIA_CSV };
static const char *const via_channel[] = {"email", "webhook", "csv"};

struct send_args {
    enum via via;
    bool has_via;
    struct bl_smtp smtp;
    const char *from, *from_name, *webhook, *secret, *out, *kind;
    int64_t id, backoff, max_attempts, stale, limit;
    double rate;
};

struct msg {
    int64_t id, attempts, order_id, created_at;
    char *idem, *kind, *order, *shop, *shop_name, *customer, *locale, *recipient, *subject,
        *body, *state;
};

struct pick {
    struct msg *m;
    size_t n, cap;
    int rc;
};

static char *dup_col(struct pick *p, const struct bl_row *r, size_t col)
{
    struct bl_str s = bl_row_isnull(r, col) ? BL_STR("") : bl_row_text(r, col);
    char *x = bl_malloc(s.len + 1);
    if (!x) {
        p->rc = BL_ENOMEM;
        return NULL;
    }
    memcpy(x, s.ptr, s.len);
    x[s.len] = '\0';
    return x;
}

static int pick_row(void *ctx, const struct bl_row *r)
{
    struct pick *p = ctx;
    void *items = p->m;
    if (bl_grow(&items, &p->cap, p->n + 1, sizeof(*p->m)))
        return BL_ENOMEM;
    p->m = items;
    struct msg *m = &p->m[p->n++];
    memset(m, 0, sizeof(*m));
    m->id = bl_row_int(r, 0);
    m->attempts = bl_row_int(r, 1);
    m->idem = dup_col(p, r, 2);
    m->kind = dup_col(p, r, 3);
    m->order = dup_col(p, r, 4);
    m->shop = dup_col(p, r, 5);
    m->shop_name = dup_col(p, r, 6);
    m->customer = dup_col(p, r, 7);
    m->locale = dup_col(p, r, 8);
    m->recipient = dup_col(p, r, 9);
    m->subject = dup_col(p, r, 10);
    m->body = dup_col(p, r, 11);
    m->state = dup_col(p, r, 12);
    m->created_at = bl_row_int(r, 13);
    return p->rc;
}

static void pick_free(struct pick *p)
{
    for (size_t i = 0; i < p->n; i++) {
        struct msg *m = &p->m[i];
        char *f[] = {m->idem,     m->kind,      m->order, m->shop, m->shop_name, m->customer,
                     m->locale,   m->recipient, m->subject, m->body, m->state};
        for (size_t k = 0; k < NC(f); k++)
            bl_free(f[k]);
    }
    bl_free(p->m);
}

/* Claims a message for this run: only if it is still in the state we read. */
static int claim(struct bl_store *st, int64_t org, const struct msg *m, enum via via, int64_t now,
                 bool *got, struct bl_diag *d)
{
    struct bl_val p[6] = {bl_val_int(org), bl_val_int(m->id), bl_val_text(bl_str_c(m->state)),
                          bl_val_int(m->attempts), bl_val_int(now),
                          bl_val_text(bl_str_c(via_channel[via]))};
    int64_t changes = 0;
    int rc = bl_store_exec(st,
                           "UPDATE message SET state = 'sending', attempts = attempts + 1,"
                           " claimed_at = $5, channel = $6"
                           " WHERE org_id = $1 AND id = $2 AND state = $3 AND attempts = $4",
                           p, 6, &changes, d);
    *got = !rc && changes == 1;
    return rc;
}

static int finish(struct bl_store *st, int64_t org, const struct msg *m, bool ok, const char *err,
                  int64_t now, const struct send_args *a, struct bl_diag *d)
{
    int64_t attempts = m->attempts + 1, delay = a->backoff;
    for (int64_t k = 1; k < attempts && delay < 86400; k++)
        delay *= 2;
    if (delay > 86400)
        delay = 86400;
    bool resent = strcmp(m->state, "sending") == 0;
    const char *note = ok ? (resent ? "an earlier send was interrupted: sent again with the same "
                                      "Message-ID and idempotency key"
                                    : NULL)
                          : err;
    struct bl_val p[6] = {bl_val_int(org), bl_val_int(m->id),
                          bl_val_text(bl_str_c(ok ? "sent" : "failed")),
                          note ? bl_val_text(bl_str_c(note)) : bl_val_null(),
                          ok ? bl_val_int(now) : bl_val_null(),
                          ok ? bl_val_null() : bl_val_int(now + delay)};
    return bl_store_exec(st,
                         "UPDATE message SET state = $3, last_error = $4, sent_at = $5,"
                         " next_attempt_at = $6, claimed_at = NULL"
                         " WHERE org_id = $1 AND id = $2 AND state = 'sending'",
                         p, 6, NULL, d);
}

static void message_id(const struct msg *m, int64_t org, const char *from, char *out, size_t cap)
{
    const char *at = strrchr(from, '@');
    size_t j = 0;
    for (const char *p = m->idem; *p && j + 1 < cap; p++)
        out[j++] = (*p == ':' || *p == ' ' || *p == '<' || *p == '>' || *p == '@') ? '.' : *p;
    out[j] = '\0';
    size_t len = strlen(out);
    snprintf(out + len, cap - len, ".%lld@%s", (long long)org, at && at[1] ? at + 1 : "ballast.invalid");
}

static int send_smtp(const struct send_args *a, int64_t org, const struct msg *m, int64_t now,
                     struct bl_diag *d)
{
    char mid[600];
    message_id(m, org, a->from, mid, sizeof(mid));
    struct bl_mail mail = {a->from_name ? a->from_name : m->shop_name,
                           a->from,
                           m->recipient,
                           m->subject,
                           m->body,
                           mid,
                           m->idem,
                           now};
    struct bl_buf b = BL_BUF_INIT;
    int rc = bl_mail_format(&mail, &b, d);
    if (!rc)
        rc = bl_smtp_send(&a->smtp, a->from, m->recipient, bl_buf_str(&b), d);
    bl_buf_release(&b);
    return rc;
}

static char *json_of(int64_t org, const struct msg *m)
{
    json_t *j = json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I}", "org", (json_int_t)org,
                          "id", (json_int_t)m->id, "idem", m->idem, "kind", m->kind, "order",
                          m->order, "shop", m->shop, "customer", m->customer, "locale", m->locale,
                          "recipient", m->recipient, "subject", m->subject, "body", m->body,
                          "created_at", (json_int_t)m->created_at);
    char *s = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(j);
    return s;
}

static int send_webhook(const struct send_args *a, int64_t org, const struct msg *m,
                        struct bl_diag *d)
{
    char *body = json_of(org, m);
    if (!body)
        return bl_diag_set(d, BL_ENOMEM, "out of memory");
    int rc = bl_webhook_post(a->webhook, bl_str_c(a->secret), bl_str_c(body), m->idem, 30, d);
    free(body);
    return rc;
}

static int csv_field(FILE *f, const char *s)
{
    bool quote = strpbrk(s, ",\"\r\n") != NULL;
    if (!quote)
        return fputs(s, f) < 0 ? BL_EIO : BL_OK;
    if (fputc('"', f) == EOF)
        return BL_EIO;
    for (const char *p = s; *p; p++)
        if ((*p == '"' && fputc('"', f) == EOF) || fputc(*p, f) == EOF)
            return BL_EIO;
    return fputc('"', f) == EOF ? BL_EIO : BL_OK;
}

static void pace(double rate, struct timespec *last)
{
    if (rate <= 0)
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double gap = 1.0 / rate;
    double since = (double)(now.tv_sec - last->tv_sec) + (double)(now.tv_nsec - last->tv_nsec) / 1e9;
    if (last->tv_sec && since < gap) {
        double w = gap - since;
        struct timespec ts = {(time_t)w, (long)((w - (double)(time_t)w) * 1e9)};
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
        }
    }
    clock_gettime(CLOCK_MONOTONIC, last);
}

static int run(struct bl_cli *cli, const struct send_args *a, struct bl_diag *d)
{
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    int64_t now = bl_cli_now();
    struct pick p = {0};
    struct bl_val q[7] = {bl_val_int(org),         bl_val_int(now),
                          bl_val_int(a->max_attempts), bl_val_int(now - a->stale),
                          bl_val_int(a->id),       bl_val_text(bl_str_c(a->kind ? a->kind : "")),
                          bl_val_int(a->limit)};
    int rc = bl_store_query(
        st,
        "SELECT m.id, m.attempts, m.idem, m.kind, o.ext_id, s.ext_id, s.name, m.customer,"
        " m.locale, m.recipient, m.subject, m.body, m.state, m.created_at"
        " FROM message m LEFT JOIN orders o ON o.org_id = m.org_id AND o.id = m.order_id"
        " LEFT JOIN shop s ON s.org_id = m.org_id AND s.id = m.shop_id"
        " WHERE m.org_id = $1 AND (m.state = 'approved'"
        "  OR (m.state = 'failed' AND m.attempts < $3"
        "      AND (m.next_attempt_at IS NULL OR m.next_attempt_at <= $2))"
        "  OR (m.state = 'sending' AND m.claimed_at <= $4))"
        " AND ($5 = 0 OR m.id = $5) AND ($6 = '' OR m.kind = $6)"
        /* Marketing waits while the playbook has paused marketing mail for a SKU the
         * customer ordered (a stock-out it cannot avoid), and goes out on restock. */
        " AND NOT (m.kind = 'promo_code' AND EXISTS (SELECT 1 FROM action a"
        "  JOIN order_line l ON l.org_id = a.org_id AND l.sku_id = a.target_id"
        "  JOIN orders o2 ON o2.org_id = l.org_id AND o2.id = l.order_id"
        "  WHERE a.org_id = m.org_id AND a.kind = 'pause_mail' AND a.state = 'applied'"
        "  AND a.target = 'sku' AND a.closed_at IS NULL AND o2.customer = m.customer))"
        " ORDER BY m.id LIMIT $7",
        q, 7, pick_row, &p, d);
    if (!rc && p.rc)
        rc = bl_diag_set(d, p.rc, "out of memory");
    size_t sent = 0, failed = 0, skipped = 0;
    FILE *csv = NULL;
    char tmp[4200];
    bool *claimed = p.n ? bl_calloc(p.n, sizeof(bool)) : NULL;
    if (!rc && p.n && !claimed)
        rc = bl_diag_set(d, BL_ENOMEM, "out of memory");
    if (!rc && a->via == VIA_CSV && p.n) {
        snprintf(tmp, sizeof(tmp), "%s.tmp", a->out);
        csv = fopen(tmp, "wb");
        if (!csv)
            rc = bl_diag_set(d, BL_EIO, "%s: %s", tmp, strerror(errno));
        if (!rc && fputs("id,idem,kind,order,shop,customer,locale,recipient,subject,body\n", csv) < 0)
            rc = bl_diag_set(d, BL_EIO, "%s: cannot write", tmp);
    }
    struct timespec last = {0, 0};
    for (size_t i = 0; !rc && i < p.n; i++) {
        struct msg *m = &p.m[i];
        bool got = false;
        rc = claim(st, org, m, a->via, now, &got, d);
        if (rc)
            break;
        if (!got) {
            skipped++; /* another sender has it */
            continue;
        }
        claimed[i] = true;
        struct bl_diag sd;
        bl_diag_clear(&sd);
        int src;
        if (a->via == VIA_CSV) {
            char id[24];
            snprintf(id, sizeof(id), "%lld", (long long)m->id);
            const char *f[] = {id, m->idem, m->kind, m->order, m->shop, m->customer, m->locale,
                               m->recipient, m->subject, m->body};
            src = BL_OK;
            for (size_t k = 0; !src && k < NC(f); k++) {
                src = csv_field(csv, f[k]);
                if (!src)
                    src = fputc(k + 1 < NC(f) ? ',' : '\n', csv) == EOF ? BL_EIO : BL_OK;
            }
            if (src)
                rc = bl_diag_set(d, BL_EIO, "%s: cannot write", tmp);
            continue; /* marked sent below, once the file is complete */
        }
        pace(a->rate, &last);
        src = a->via == VIA_SMTP ? send_smtp(a, org, m, bl_cli_now(), &sd)
                                 : send_webhook(a, org, m, &sd);
        char why[600];
        bl_diag_format(&sd, why, sizeof(why));
        rc = finish(st, org, m, src == BL_OK, why, bl_cli_now(), a, d);
        if (src == BL_OK)
            sent++;
        else {
            failed++;
            fprintf(cli->err, "ballast: message %lld (%s) to %s failed: %s\n", (long long)m->id,
                    m->idem, m->recipient, why);
        }
    }
    if (csv) {
        /* The file is renamed into place complete, then the messages are marked sent;
         * a crash in between leaves them `sending`, exported again later. */
        int crc = fflush(csv) == 0 && fsync(fileno(csv)) == 0 ? 0 : -1;
        crc = fclose(csv) == 0 && crc == 0 ? 0 : -1;
        if (!rc && (crc || rename(tmp, a->out) != 0))
            rc = bl_diag_set(d, BL_EIO, "%s: %s", a->out, strerror(errno));
        for (size_t i = 0; i < p.n; i++) {
            if (!claimed[i])
                continue;
            struct bl_diag fd;
            bl_diag_clear(&fd);
            int frc = finish(st, org, &p.m[i], rc == BL_OK, rc ? d->msg : NULL, bl_cli_now(), a,
                             &fd);
            if (frc && !rc) {
                rc = frc;
                *d = fd;
            }
            if (!frc && rc == BL_OK)
                sent++;
            else
                failed++;
        }
        if (rc)
            unlink(tmp);
    }
    bl_free(claimed);
    pick_free(&p);
    bl_store_close(st);
    if (rc)
        return bl_cli_fail(cli, d);
    fprintf(cli->err, "ballast: %zu sent, %zu failed", sent, failed);
    if (skipped)
        fprintf(cli->err, ", %zu taken by another sender", skipped);
    fputc('\n', cli->err);
    return failed ? 1 : 0;
}

static const char send_usage[] =
    "usage: messages send --via smtp|webhook|csv [--id ID] [--kind K] [--limit N]\n"
    "  smtp:    --smtp URL (smtp://host:port) --from ADDR [--from-name NAME] [--rate PER_SEC]\n"
    "           [--smtp-user U] (password in BALLAST_SMTP_PASSWORD) [--require-tls] [--insecure]\n"
    "  webhook: --webhook URL (secret in BALLAST_WEBHOOK_SECRET or --secret-file FILE)\n"
    "  csv:     --out FILE\n"
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
    static char secret[1024];
    struct send_args a = {.backoff = 60, .max_attempts = 8, .stale = 600, .limit = 1000000,
                          .rate = 10};
    a.smtp.url = getenv("BALLAST_SMTP_URL");
    a.smtp.password = getenv("BALLAST_SMTP_PASSWORD");
    a.secret = getenv("BALLAST_WEBHOOK_SECRET");
    int c, li = 0;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, &li)) != -1) {
        int64_t v = 0;
        switch (c) {
        case 'v':
            if (strcmp(optarg, "smtp") == 0)
                a.via = VIA_SMTP;
            else if (strcmp(optarg, "webhook") == 0)
                a.via = VIA_WEBHOOK;
            else if (strcmp(optarg, "csv") == 0)
                a.via = VIA_CSV;
            else
                return bl_cli_usage(cli, "messages send", "--via %s: expected smtp, webhook or csv",
                                    optarg);
            a.has_via = true;
            break;
        case 's':
            a.smtp.url = optarg;
            break;
        case 'F':
            a.from = optarg;
            break;
        case 'N':
            a.from_name = optarg;
            break;
        case 'u':
            a.smtp.user = optarg;
            break;
        case 'T':
            a.smtp.require_tls = true;
            break;
        case 'I':
            a.smtp.insecure = true;
            break;
        case 'w':
            a.webhook = optarg;
            break;
        case 'S':
            if (read_secret(optarg, secret, sizeof(secret)))
                return bl_cli_usage(cli, "messages send", "--secret-file %s: %s", optarg,
                                    strerror(errno));
            a.secret = secret;
            break;
        case 'o':
            a.out = optarg;
            break;
        case 'k':
            a.kind = optarg;
            break;
        case 'r': {
            char *end;
            a.rate = strtod(optarg, &end);
            if (*end || a.rate < 0)
                return bl_cli_usage(cli, "messages send", "--rate %s: messages per second (0: "
                                    "no limit)", optarg);
            break;
        }
        case 'i':
        case 'l':
        case 'b':
        case 'm':
        case 'x': {
            char opt[32];
            snprintf(opt, sizeof(opt), "--%s", opts[li].name);
            if (bl_cli_parse_int(cli, "messages send", opt, optarg, 0, INT64_MAX, &v))
                return 2;
            if (c == 'i')
                a.id = v;
            else if (c == 'l')
                a.limit = v;
            else if (c == 'b')
                a.backoff = v;
            else if (c == 'm')
                a.max_attempts = v;
            else
                a.stale = v;
            break;
        }
        default:
            return bl_cli_usage(cli, "messages send", "%s", send_usage);
        }
    }
    if (optind != argc || !a.has_via)
        return bl_cli_usage(cli, "messages send", "%s", send_usage);
    if (a.via == VIA_SMTP && (!a.smtp.url || !a.from))
        return bl_cli_usage(cli, "messages send", "--via smtp needs --smtp URL (or "
                            "BALLAST_SMTP_URL) and --from ADDR");
    if (a.via == VIA_WEBHOOK && (!a.webhook || !a.secret || !a.secret[0]))
        return bl_cli_usage(cli, "messages send", "--via webhook needs --webhook URL and a secret "
                            "(BALLAST_WEBHOOK_SECRET or --secret-file)");
    if (a.via == VIA_CSV && !a.out)
        return bl_cli_usage(cli, "messages send", "--via csv needs --out FILE");
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_send_global_init(&d))
        return bl_cli_fail(cli, &d);
    int status = run(cli, &a, &d);
    bl_send_global_cleanup();
    return status;
}
