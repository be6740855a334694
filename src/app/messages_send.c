/* messages_send.c - bl_app_messages_send: delivers the outbox over SMTP, a webhook
 * or a CSV file, at least once and never silently lost (messages.h).
 *
 * Each message is claimed (state sending, attempts + 1) in its own committed
 * statement before the network call and marked sent or failed after it. A failed
 * message is retried by a later send once next_attempt_at has passed (exponential
 * backoff), up to max_attempts. A message still `sending` from a run that was
 * killed is sent again after `stale` seconds with the same Message-ID and
 * idempotency key, so the receiver can drop the duplicate: SMTP cannot tell whether
 * the server kept it. Design: docs/internals/notify.md.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "app/audit.h"
#include "app/messages.h"
#include "ballast/app.h"
#include "ballast/csv.h"
#include "ballast/num.h"
#include "ballast/outfile.h"
#include "store/message.h"

#define NC(a) (sizeof(a) / sizeof((a)[0]))

static const char *const via_channel[] = {"email", "webhook", "csv"};

/* Stored with a message sent again after an interrupted send: the outbox's record. */
static const char resent_note[] = "an earlier send was interrupted: sent again with the same "
                                  "Message-ID and idempotency key";

static int finish(struct bl_store *st, int64_t org, const struct bl_msg_due *m, bool ok,
                  const char *err, int64_t now, const struct bl_app_messages_send_req *rq,
                  struct bl_diag *d)
{
    int64_t attempts = m->attempts + 1, delay = rq->backoff;
    for (int64_t k = 1; k < attempts && delay < 86400; k++)
        delay *= 2;
    if (delay > 86400)
        delay = 86400;
    bool resent = strcmp(m->state, "sending") == 0;
    const char *note = ok ? (resent ? resent_note : NULL) : err;
    return bl_store_message_finish(st, org, m->id, ok, note, now, now + delay, d);
}

static void message_id(const struct bl_msg_due *m, int64_t org, const char *from, char *out,
                       size_t cap)
{
    const char *at = strrchr(from, '@');
    size_t j = 0;
    for (const char *p = m->idem; *p && j + 1 < cap; p++)
        out[j++] = (*p == ':' || *p == ' ' || *p == '<' || *p == '>' || *p == '@') ? '.' : *p;
    out[j] = '\0';
    size_t len = strlen(out);
    snprintf(out + len, cap - len, ".%lld@%s", (long long)org,
             at && at[1] ? at + 1 : "ballast.invalid");
}

/* The From of an e-mail: the shop's sender (its name, else the shop's), else the
 * sender's --from. */
static const char *from_of(const struct bl_app_sender *a, const struct bl_msg_due *m,
                           const char **name)
{
    bool shop = m->sender && m->sender[0];
    *name = a->from_name ? a->from_name
                         : (shop && m->sender_name && m->sender_name[0] ? m->sender_name
                                                                        : m->shop_name);
    return shop ? m->sender : a->from;
}

static int send_smtp(const struct bl_app_sender *a, int64_t org, const struct bl_msg_due *m,
                     int64_t now, struct bl_diag *d)
{
    char mid[600];
    const char *name, *from = from_of(a, m, &name);
    if (!from || !from[0])
        return bl_diag_set(d, BL_EINVAL, "no sender: set the shop's with 'ballast shops set "
                                         "SHOP --sender ADDRESS'");
    message_id(m, org, from, mid, sizeof(mid));
    struct bl_mail mail = {name,
                           from,
                           m->recipient,
                           m->subject,
                           m->body,
                           mid,
                           m->idem,
                           now};
    struct bl_buf b = BL_BUF_INIT;
    int rc = bl_mail_format(&mail, &b, d);
    if (!rc)
        rc = bl_smtp_send(&a->smtp, from, m->recipient, bl_buf_str(&b), d);
    bl_buf_release(&b);
    return rc;
}

static char *json_of(int64_t org, const struct bl_msg_due *m)
{
    json_t *j = json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I}", "org",
                          (json_int_t)org, "id", (json_int_t)m->id, "idem", m->idem, "kind",
                          m->kind, "order", m->order, "shop", m->shop, "customer", m->customer,
                          "locale", m->locale, "recipient", m->recipient, "subject", m->subject,
                          "body", m->body, "created_at", (json_int_t)m->created_at);
    char *s = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(j);
    return s;
}

static int send_webhook(const struct bl_app_sender *a, int64_t org, const struct bl_msg_due *m,
                        struct bl_diag *d)
{
    char *body = json_of(org, m);
    if (!body)
        return bl_diag_set(d, BL_ENOMEM, "out of memory");
    int rc = bl_webhook_post(a->webhook, bl_str_c(a->secret), bl_str_c(body), m->idem, 30, d);
    free(body);
    return rc;
}

/* One row of the export: every text cell guarded for spreadsheets (bl_csv_add_cell). */
static int csv_row(FILE *f, struct bl_buf *line, const struct bl_msg_due *m)
{
    char id[24];
    snprintf(id, sizeof(id), "%lld", (long long)m->id);
    const char *v[] = {id,          m->idem,   m->kind,      m->order, m->shop,
                       m->customer, m->locale, m->recipient, m->subject, m->body};
    bl_buf_reset(line);
    int rc = BL_OK;
    for (size_t k = 0; !rc && k < NC(v); k++) {
        rc = bl_csv_add_cell(line, bl_str_c(v[k]));
        if (!rc)
            rc = bl_buf_addc(line, k + 1 < NC(v) ? ',' : '\n');
    }
    if (!rc && fwrite(line->ptr, 1, line->len, f) != line->len)
        rc = BL_EIO;
    return rc;
}

static void pace(double rate, struct timespec *last)
{
    if (!(rate > 0))
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double gap = 1.0 / rate;
    double since =
        (double)(now.tv_sec - last->tv_sec) + (double)(now.tv_nsec - last->tv_nsec) / 1e9;
    if (last->tv_sec && since < gap) {
        double w = gap - since;
        int64_t secs;
        if (!bl_f64_to_i64(w, &secs) || secs > 3600) /* --rate is at least one an hour */
            secs = 3600;
        struct timespec ts = {(time_t)secs, (long)((w - (double)secs) * 1e9)};
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
        }
    }
    clock_gettime(CLOCK_MONOTONIC, last);
}

struct sendrun {
    struct bl_store *st;
    int64_t org;
    const struct bl_app_messages_send_req *rq;
    struct bl_app_messages_send_res *res;
    struct bl_msg_due *m;
    struct bl_outfile out; /* the export: opened before the first claim */
    struct bl_buf line;
    size_t rows;
    bool *claimed;
    struct timespec last;
};

static int64_t clock_of(const struct bl_app_messages_send_req *rq)
{
    return bl_app_now_or(rq->now);
}

static struct bl_app_send_result *result(struct sendrun *r, const struct bl_msg_due *m,
                                         enum bl_app_send_code code)
{
    struct bl_app_send_result *x = &r->res->results[r->res->n++];
    *x = (struct bl_app_send_result){.id = m->id, .idem = m->idem, .recipient = m->recipient,
                                     .code = code, .resent = strcmp(m->state, "sending") == 0};
    r->res->sent += code == BL_SEND_SENT;
    r->res->failed += code == BL_SEND_FAILED;
    r->res->taken += code == BL_SEND_TAKEN;
    r->res->held += code == BL_SEND_HELD;
    return x;
}

/* The last check before a message leaves, whatever planned or approved it: nothing
 * addressed to, sent from, or linking a reserved or test domain (a message stored
 * before the outbox held them, or edited since). *held: it was held instead. */
static int guard(struct sendrun *r, const struct bl_msg_due *m, bool *held, struct bl_diag *d)
{
    const struct bl_app_sender *a = &r->rq->sender;
    const char *name = NULL;
    const char *from = a->via == BL_VIA_SMTP ? from_of(a, m, &name) : NULL;
    struct bl_hold_in hi = {bl_msg_kind_from_name(m->kind), m->recipient, from, m->subject,
                            m->body, 0, NULL};
    char why[1024];
    *held = bl_notify_holds(&hi, why, sizeof(why)) != 0;
    if (!*held)
        return BL_OK;
    int rc = bl_store_message_hold(r->st, r->org, m->id, why, d);
    struct bl_app_send_result *x = result(r, m, BL_SEND_HELD);
    x->error = bl_arena_strndup(&r->res->arena, why, strlen(why));
    if (!x->error && !rc)
        rc = bl_diag_set(d, BL_ENOMEM, "out of memory");
    return rc;
}

/* Over SMTP or the webhook: one message, claimed. */
static int deliver(struct sendrun *r, const struct bl_msg_due *m, struct bl_diag *d)
{
    const struct bl_app_sender *a = &r->rq->sender;
    struct bl_diag sd;
    bl_diag_clear(&sd);
    pace(a->rate, &r->last);
    int src = a->via == BL_VIA_SMTP ? send_smtp(a, r->org, m, clock_of(r->rq), &sd)
                                    : send_webhook(a, r->org, m, &sd);
    char why[600];
    bl_diag_format(&sd, why, sizeof(why));
    int rc = finish(r->st, r->org, m, src == BL_OK, why, clock_of(r->rq), r->rq, d);
    struct bl_app_send_result *x = result(r, m, src == BL_OK ? BL_SEND_SENT : BL_SEND_FAILED);
    if (src != BL_OK) {
        x->error = bl_arena_strndup(&r->res->arena, why, strlen(why));
        if (!x->error && !rc)
            rc = bl_diag_set(d, BL_ENOMEM, "out of memory");
    }
    return rc;
}

/* The export's own temporary file, before any message is claimed: an existing --out is
 * refused with nothing claimed. */
static int csv_open(struct sendrun *r, struct bl_diag *d)
{
    int rc = bl_outfile_open(&r->out, r->rq->sender.out, d);
    if (!rc && fputs("id,idem,kind,order,shop,customer,locale,recipient,subject,body\n",
                     r->out.f) < 0)
        rc = bl_diag_set(d, BL_EIO, "%s: cannot write", r->rq->sender.out);
    return rc;
}

/* The file is made durable at --out (fsync'd, moved into place without replacing
 * anything, its directory fsync'd), and only then are its messages marked sent; when any
 * step fails there is no file and they are marked failed, retried by a later send. A
 * crash in between leaves them `sending`, exported again later. No row: no file. */
static int csv_close(struct sendrun *r, size_t n, int rc, struct bl_diag *d)
{
    if (!rc && r->rows)
        rc = bl_outfile_commit(&r->out, d);
    bl_outfile_abort(&r->out);
    for (size_t i = 0; i < n; i++) {
        if (!r->claimed[i])
            continue;
        struct bl_diag fd;
        bl_diag_clear(&fd);
        int frc = finish(r->st, r->org, &r->m[i], rc == BL_OK, rc ? d->msg : NULL,
                         clock_of(r->rq), r->rq, &fd);
        if (frc && !rc) {
            rc = frc;
            *d = fd;
        }
        struct bl_app_send_result *x =
            result(r, &r->m[i], !frc && rc == BL_OK ? BL_SEND_SENT : BL_SEND_FAILED);
        if (x->code == BL_SEND_FAILED)
            x->error = bl_arena_strndup(&r->res->arena, d->msg, strlen(d->msg));
    }
    if (rc && r->rows) { /* what became of them */
        char why[sizeof(d->msg)];
        snprintf(why, sizeof(why), "%s", d->msg);
        bl_diag_set(d, rc, "%s; its %zu message%s not marked sent: a later send exports %s", why,
                    r->rows, r->rows == 1 ? " is" : "s are", r->rows == 1 ? "it" : "them");
    }
    return rc;
}

static int send_all(struct sendrun *r, size_t n, struct bl_diag *d)
{
    const struct bl_app_sender *a = &r->rq->sender;
    int rc = BL_OK;
    for (size_t i = 0; !rc && i < n; i++) {
        const struct bl_msg_due *m = &r->m[i];
        bool got = false, held = false;
        rc = guard(r, m, &held, d);
        if (rc || held)
            continue;
        if (a->via == BL_VIA_CSV && !r->out.f && (rc = csv_open(r, d)) != BL_OK)
            break;
        rc = bl_store_message_claim(r->st, r->org, m, via_channel[a->via], clock_of(r->rq),
                                    &got, d);
        if (rc)
            break;
        if (!got) {
            result(r, m, BL_SEND_TAKEN); /* another sender has it */
            continue;
        }
        r->claimed[i] = true;
        if (a->via == BL_VIA_CSV) { /* marked sent once the file is durably in place */
            if (csv_row(r->out.f, &r->line, m))
                rc = bl_diag_set(d, BL_EIO, "%s: cannot write: %s", a->out, strerror(errno));
            r->rows++;
            continue;
        }
        rc = deliver(r, m, d);
    }
    if (r->out.path)
        rc = csv_close(r, n, rc, d);
    bl_buf_release(&r->line);
    return rc;
}

static int check_sender(const struct bl_app_sender *a, struct bl_diag *d)
{
    if (a->via == BL_VIA_SMTP && !a->smtp.url)
        return bl_diag_set(d, BL_EINVAL, "smtp needs a server URL");
    if (a->via == BL_VIA_WEBHOOK && (!a->webhook || !a->secret || !a->secret[0]))
        return bl_diag_set(d, BL_EINVAL, "a webhook needs a URL and a secret");
    if (a->via == BL_VIA_CSV && !a->out)
        return bl_diag_set(d, BL_EINVAL, "csv needs an output file");
    if ((unsigned)a->via > BL_VIA_CSV)
        return bl_diag_set(d, BL_EINVAL, "not a way to send");
    return BL_OK;
}

/* ---------------------------------------------------------------- what waits */

struct wait_acc {
    struct bl_app_messages_send_res *res;
    size_t cap, capshops;
};

/* Adds n to the shop's approval or held count (rows come by shop). */
static int shop_add(struct wait_acc *w, const char *shop, bool held, int64_t n)
{
    struct bl_app_messages_send_res *res = w->res;
    if (!res->nshops || strcmp(res->shops[res->nshops - 1].shop, shop) != 0) {
        void *items = res->shops;
        if (bl_grow(&items, &w->capshops, res->nshops + 1, sizeof(*res->shops)))
            return BL_ENOMEM;
        res->shops = items;
        res->shops[res->nshops++] = (struct bl_app_msg_shop_waiting){shop, 0, 0};
    }
    struct bl_app_msg_shop_waiting *x = &res->shops[res->nshops - 1];
    *(held ? &x->held : &x->approval) += n;
    return BL_OK;
}

static int wait_add(struct wait_acc *w, const char *shop, enum bl_hold h, struct bl_str detail,
                    int64_t n)
{
    struct bl_app_messages_send_res *res = w->res;
    for (size_t i = 0; i < res->nwaiting; i++) {
        struct bl_app_msg_waiting *x = &res->waiting[i];
        if (x->hold == h && strcmp(x->shop, shop) == 0 && bl_str_eq_c(detail, x->detail)) {
            x->n += n;
            return BL_OK;
        }
    }
    void *items = res->waiting;
    if (bl_grow(&items, &w->cap, res->nwaiting + 1, sizeof(*res->waiting)))
        return BL_ENOMEM;
    res->waiting = items;
    const char *dt = bl_arena_strndup(&res->arena, detail.ptr ? detail.ptr : "", detail.len);
    if (!dt)
        return BL_ENOMEM;
    res->waiting[res->nwaiting++] = (struct bl_app_msg_waiting){shop, h, dt, n};
    return BL_OK;
}

/* One stored hold text's reasons into the groups: a missing setting per setting, a
 * length without its numbers. */
static int wait_hold(struct wait_acc *w, const struct bl_msg_waiting *row)
{
    int rc = BL_OK;
    for (const char *p = row->hold; !rc && *p;) {
        size_t n = strcspn(p, ";"), k = strcspn(p, "=");
        k = k > n ? n : k;
        enum bl_hold h = bl_hold_from_name((struct bl_str){p, k});
        struct bl_str arg = k < n ? (struct bl_str){p + k + 1, n - k - 1} : (struct bl_str){"", 0};
        if (h == BL_HOLD_TOO_LONG)
            arg.len = 0;
        while (!rc && h == BL_HOLD_MISSING_SETTING && arg.len) {
            const char *c = memchr(arg.ptr, ',', arg.len);
            size_t one = c ? (size_t)(c - arg.ptr) : arg.len;
            rc = wait_add(w, row->shop, h, (struct bl_str){arg.ptr, one}, row->n);
            arg.ptr += one + (c != NULL);
            arg.len -= one + (c != NULL);
        }
        if (!rc && h != BL_HOLD_MISSING_SETTING)
            rc = wait_add(w, row->shop, h, arg, row->n);
        p += n + (p[n] == ';');
    }
    return rc;
}

/* Most held first, then most waiting, then by shop. */
static int by_weight(const void *a, const void *b)
{
    const struct bl_app_msg_shop_waiting *x = a, *y = b;
    if (x->held != y->held)
        return x->held > y->held ? -1 : 1;
    if (x->approval != y->approval)
        return x->approval > y->approval ? -1 : 1;
    return strcmp(x->shop, y->shop);
}

/* What still waits after the send, per shop: for approval, and held per reason. */
static int waiting(struct bl_store *st, int64_t org, struct bl_app_messages_send_res *res,
                   struct bl_diag *d)
{
    struct bl_msg_waiting *rows = NULL;
    size_t n = 0;
    struct wait_acc w = {res, 0, 0};
    int rc = bl_store_message_waiting(st, org, &res->arena, &rows, &n, d);
    for (size_t i = 0; !rc && i < n; i++) {
        if (shop_add(&w, rows[i].shop, rows[i].hold[0] != '\0', rows[i].n)) {
            rc = bl_diag_set(d, BL_ENOMEM, "out of memory");
            break;
        }
        if (rows[i].hold[0]) {
            res->held_total += rows[i].n;
            rc = wait_hold(&w, &rows[i]);
        } else {
            res->awaiting_approval += rows[i].n;
            rc = wait_add(&w, rows[i].shop, BL_HOLD__COUNT, (struct bl_str){"", 0}, rows[i].n);
        }
        if (rc)
            rc = bl_diag_set(d, BL_ENOMEM, "out of memory");
    }
    bl_free(rows);
    if (!rc && res->nshops > 1)
        qsort(res->shops, res->nshops, sizeof(*res->shops), by_weight);
    return rc;
}

/* The audit row of a send: which messages left, failed or were held (each was marked as
 * it went, so this row follows them in a transaction of its own). */
static int send_audit(struct bl_store *st, int64_t org, const struct bl_app_messages_send_req *rq,
                      const struct bl_app_messages_send_res *res, struct bl_diag *d)
{
    if (!res->sent && !res->failed && !res->held)
        return BL_OK;
    static const char *const codes[] = {"sent", "failed", "taken", "held"};
    json_t *after = json_pack("{s:s, s:[], s:[], s:[]}", "via", via_channel[rq->sender.via],
                              "sent", "failed", "held");
    for (size_t i = 0; after && i < res->n; i++) {
        json_t *ids = json_object_get(after, codes[res->results[i].code]);
        if (ids && json_array_append_new(ids, json_integer((json_int_t)res->results[i].id)))
            json_decref(after), after = NULL;
    }
    int rc = bl_store_begin(st, d);
    if (rc) {
        json_decref(after);
        return rc;
    }
    rc = bl_app_audit(st, org, rq->now, "messages.send", "message", NULL, NULL, after, d);
    return bl_store_end(st, rc, d);
}

int bl_app_messages_send(struct bl_store *st, int64_t org,
                         const struct bl_app_messages_send_req *req,
                         struct bl_app_messages_send_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 0);
    int rc = check_sender(&req->sender, d);
    if (rc)
        return rc;
    int64_t now = clock_of(req);
    struct bl_msg_due_q q = {.now = now, .max_attempts = req->max_attempts,
                             .stale_before = now - req->stale, .id = req->id, .kind = req->kind,
                             .limit = req->limit};
    struct sendrun r = {.st = st, .org = org, .rq = req, .res = res};
    size_t n = 0;
    rc = bl_store_message_due(st, org, &q, &res->arena, &r.m, &n, d);
    if (!rc && n &&
        (!(r.claimed = bl_calloc(n, sizeof(bool))) ||
         !(res->results = bl_calloc(n, sizeof(*res->results)))))
        rc = bl_diag_set(d, BL_ENOMEM, "out of memory");
    if (!rc)
        rc = send_all(&r, n, d);
    if (!rc)
        rc = send_audit(st, org, req, res, d);
    bl_free(r.claimed);
    bl_free(r.m);
    if (!rc)
        rc = waiting(st, org, res, d);
    return rc;
}

void bl_app_messages_send_res_release(struct bl_app_messages_send_res *res)
{
    bl_free(res->results);
    bl_free(res->waiting);
    bl_free(res->shops);
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}
