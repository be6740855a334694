/* notify.c - the digest's recipients (bl_app_notify_*) and its delivery by e-mail or chat
 * webhook, once per cycle per recipient (bl_app_digest_send; digest.h). */
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "app/digest.h"
#include "ballast/app.h"
#include "ballast/chat.h"
#include "ballast/send.h"

static bool starts(const char *s, const char *prefix)
{
    return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool plain_address(const char *a)
{
    const char *at = a ? strchr(a, '@') : NULL;
    return at && at != a && at[1] && !strchr(at + 1, '@') && !strpbrk(a, " \t\r\n<>,;\"");
}

int bl_app_notify_add(struct bl_store *st, int64_t org, const struct bl_app_notify_req *req,
                      int64_t *id, struct bl_diag *d)
{
    const char *locale = req->locale ? req->locale : "en";
    if (strcmp(locale, "en") != 0 && strcmp(locale, "zh-CN") != 0)
        return bl_diag_set(d, BL_EINVAL, "locale '%s': the digest is written in en or zh-CN",
                           locale);
    const char *kind = req->kind;
    if (strcmp(kind, "email") == 0) {
        if (!plain_address(req->address))
            return bl_diag_set(d, BL_EINVAL, "'%s' is not an e-mail address (name@domain)",
                               req->address ? req->address : "");
        if (!starts(req->smtp_url, "smtp://") && !starts(req->smtp_url, "smtps://"))
            return bl_diag_set(d, BL_EINVAL,
                               "an e-mail recipient needs --smtp smtp://host:port (or smtps://)");
        if (!plain_address(req->sender))
            return bl_diag_set(d, BL_EINVAL,
                               "an e-mail recipient needs --from, the sender's address");
    } else {
        enum bl_chat_kind k;
        if (bl_chat_kind_parse(kind, &k))
            return bl_diag_set(d, BL_EINVAL,
                               "kind '%s': expected email, slack, feishu (or lark) or dingtalk",
                               kind);
        kind = bl_chat_kind_name(k);
        if (!starts(req->address, "https://") && !starts(req->address, "http://"))
            return bl_diag_set(d, BL_EINVAL, "the %s webhook must be an http(s):// URL", kind);
        if (req->secret && strpbrk(req->secret, "\r\n"))
            return bl_diag_set(d, BL_EINVAL, "the signing secret holds a line break");
    }
    int rc = bl_store_begin(st, d);
    rc = rc ? rc
            : bl_store_notify_add(st, org, kind, req->address, req->secret, locale, req->smtp_url,
                                  req->sender, bl_app_now_or(req->now), id, d);
    rc =
        rc ? rc /* never the secret */
           : bl_app_audit_n(st, org, req->now, "notify.add", "notify_target", *id, NULL,
                            json_pack("{s:s, s:s, s:s, s:b}", "kind", kind, "address", req->address,
                                      "locale", locale, "signed", req->secret && req->secret[0]),
                            d);
    return bl_store_end(st, rc, d);
}

int bl_app_notify_remove(struct bl_store *st, int64_t org, int64_t id, struct bl_diag *d)
{
    int rc = bl_store_begin(st, d);
    rc = rc ? rc : bl_store_notify_remove(st, org, id, d);
    rc = rc ? rc : bl_app_audit_n(st, org, 0, "notify.remove", "notify_target", id, NULL, NULL, d);
    return bl_store_end(st, rc, d);
}

int bl_app_notify_list(struct bl_store *st, int64_t org, bl_notify_target_fn fn, void *ctx,
                       struct bl_diag *d)
{
    return bl_store_notify_list(st, org, fn, ctx, d);
}

/* The recipients, copied out of the store's rows. */
struct target {
    int64_t id;
    char kind[16], locale[8];
    char *address, *secret, *smtp_url, *sender;
};

struct targets {
    struct target t[BL_DIGEST_TARGETS_MAX];
    size_t n;
    struct bl_arena *arena;
};

static char *copy(struct bl_arena *a, struct bl_str s)
{
    return bl_arena_strndup(a, s.ptr, s.len);
}

static int target_row(void *vctx, const struct bl_notify_target *t)
{
    struct targets *c = vctx;
    if (c->n == BL_DIGEST_TARGETS_MAX)
        return 0;
    struct target *x = &c->t[c->n];
    x->id = t->id;
    bl_str_copy(x->kind, sizeof(x->kind), t->kind);
    bl_str_copy(x->locale, sizeof(x->locale), t->locale);
    x->address = copy(c->arena, t->address);
    x->secret = copy(c->arena, t->secret);
    x->smtp_url = copy(c->arena, t->smtp_url);
    x->sender = copy(c->arena, t->sender);
    if (!x->address || !x->secret || !x->smtp_url || !x->sender)
        return BL_ENOMEM;
    c->n++;
    return 0;
}

static int deliver(const struct target *t, const struct bl_app_digest_in *in,
                   const struct bl_app_digest_send_req *req, const char *idem, struct bl_diag *d)
{
    struct bl_buf subject, body, mail;
    bl_buf_init(&subject, 4096);
    bl_buf_init(&body, 1u << 20);
    bl_buf_init(&mail, 2u << 20);
    int rc = bl_app_digest_render(NULL, t->locale, in, &subject, &body, d);
    int64_t now = bl_app_now_or(req->now);
    if (!rc && strcmp(t->kind, "email") == 0) {
        char mid[128];
        snprintf(mid, sizeof(mid), "digest.%lld.%lld@ballast.invalid", (long long)in->res->cycle_id,
                 (long long)t->id);
        struct bl_mail m = {.from_name = "Ballast",
                            .from = t->sender,
                            .to = t->address,
                            .subject = bl_buf_cstr(&subject),
                            .body = bl_buf_cstr(&body),
                            .message_id = mid,
                            .idem = idem,
                            .date = now};
        rc = bl_mail_format(&m, &mail, d);
        struct bl_smtp c = {
            .url = t->smtp_url, .insecure = req->smtp_insecure, .timeout_secs = req->timeout_secs};
        if (!rc)
            rc = bl_smtp_send(&c, t->sender, t->address,
                              (struct bl_str){mail.ptr ? mail.ptr : "", mail.len}, d);
    } else if (!rc) {
        enum bl_chat_kind k;
        rc = bl_chat_kind_parse(t->kind, &k);
        if (rc)
            rc = bl_diag_set(d, rc, "recipient %lld: unknown kind %s", (long long)t->id, t->kind);
        /* a chat message: the subject as its first line */
        struct bl_buf text;
        bl_buf_init(&text, 2u << 20);
        if (!rc)
            rc = bl_buf_adds(&text, (struct bl_str){subject.ptr ? subject.ptr : "", subject.len});
        if (!rc)
            rc = bl_buf_adds(&text, BL_STR("\n\n"));
        if (!rc)
            rc = bl_buf_adds(&text, (struct bl_str){body.ptr ? body.ptr : "", body.len});
        if (!rc)
            rc = bl_chat_post(k, t->address, bl_str_c(t->secret),
                              (struct bl_str){text.ptr ? text.ptr : "", text.len}, now,
                              req->timeout_secs, d);
        bl_buf_release(&text);
    }
    bl_buf_release(&subject);
    bl_buf_release(&body);
    bl_buf_release(&mail);
    return rc;
}

int bl_app_digest_send(struct bl_store *st, int64_t org, const struct bl_app_digest_in *in,
                       const struct bl_app_digest_send_req *req, struct bl_app_digest_send_res *res,
                       struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    if (!in->res->cycle_id)
        return BL_OK;
    struct bl_arena arena;
    bl_arena_init(&arena, 4096);
    struct targets ts = {.arena = &arena};
    int rc = bl_store_notify_list(st, org, target_row, &ts, d);
    if (rc == BL_ENOMEM && !d->code)
        bl_diag_set(d, rc, "digest: out of memory");
    bool curl = false;
    if (!rc && ts.n) {
        rc = bl_send_global_init(d);
        curl = !rc;
    }
    for (size_t i = 0; !rc && i < ts.n; i++) {
        const struct target *t = &ts.t[i];
        struct bl_app_digest_delivery *x = &res->d[res->n++];
        x->target_id = t->id;
        snprintf(x->kind, sizeof(x->kind), "%s", t->kind);
        char idem[64];
        snprintf(idem, sizeof(idem), "digest:%lld:%lld", (long long)in->res->cycle_id,
                 (long long)t->id);
        bool sent = false;
        rc = bl_store_digest_was_sent(st, org, idem, &sent, d);
        if (rc)
            break;
        if (sent) {
            x->state = BL_DIGEST_ALREADY;
            res->already++;
            continue;
        }
        struct bl_diag dd;
        bl_diag_clear(&dd);
        int drc = deliver(t, in, req, idem, &dd);
        if (drc) {
            x->state = BL_DIGEST_FAILED;
            bl_diag_format(&dd, x->error, sizeof(x->error));
            res->failed++;
        } else {
            x->state = BL_DIGEST_SENT;
            res->sent++;
        }
        rc =
            bl_store_digest_record(st, org, in->res->cycle_id, t->id, idem, drc ? "failed" : "sent",
                                   drc ? x->error : NULL, bl_app_now_or(req->now), d);
    }
    if (curl)
        bl_send_global_cleanup();
    bl_arena_release(&arena);
    return rc;
}
