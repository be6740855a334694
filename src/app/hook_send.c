/* hook_send.c - delivering the event outbox: claim, sign, POST, record; retries with
 * exponential backoff and jitter, then failed (hook.h). */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "app/hook.h"
#include "app/hook_impl.h"
#include "ballast/app.h"
#include "ballast/time.h"
#include "store/hook.h"

#define LEASE_S 120       /* a claim outlives the longest attempt (15 s) by far */
#define BACKOFF_MAX 21600 /* 6 h */

int64_t bl_app_hook_backoff(int64_t base_s, int64_t attempts)
{
    int64_t delay = base_s > 0 ? base_s : 30;
    for (int64_t k = 1; k < attempts && delay < BACKOFF_MAX; k++)
        delay *= 2;
    return delay < BACKOFF_MAX ? delay : BACKOFF_MAX;
}

/* The body: {"id","type","created_at","org","data"}, the same bytes at every attempt. */
static char *body_of(const struct bl_hook_job *j, const char *event_id, struct bl_diag *d)
{
    char at[BL_ISO_MAX];
    json_error_t err;
    json_t *data = json_loadb(j->data.ptr, j->data.len, 0, &err);
    json_t *o = data ? json_pack("{s:s, s:s%, s:s, s:s%, s:o}", "id", event_id, "type", j->type.ptr,
                                 j->type.len, "created_at", bl_time_format(j->created_at, at),
                                 "org", j->org_name.ptr, j->org_name.len, "data", data)
                     : NULL;
    char *text = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    if (!text)
        bl_diag_set(d, BL_ENOMEM, "webhook: the event cannot be written as JSON");
    return text;
}

struct attempt {
    const struct bl_app_hook_send *s;
    int64_t org, event_id, now;
    char id_text[64];
    long status;
    int64_t attempts; /* before this one */
    struct bl_diag why;
};

static int send_job(void *ctx, const struct bl_hook_job *j)
{
    struct attempt *a = ctx;
    a->attempts = j->attempts;
    char secret[BL_HOOK_SECRET_MAX], url[2048];
    bl_str_copy(url, sizeof(url), j->url);
    if (!a->s->key) {
        bl_diag_set(&a->why, BL_EINVAL, "no secrets key to sign with");
        return 0;
    }
    if (bl_hook_unseal(a->s->key, j->secret, secret, sizeof(secret), &a->why))
        return 0; /* a failed attempt: the key file is not the one it was sealed with */
    char *body = body_of(j, a->id_text, &a->why);
    struct bl_hook_post p = {
        url, bl_str_c(secret), bl_str_c(body), a->id_text, a->now, a->s->allow_private, 0};
    if (body && bl_hook_post(&p, &a->status, &a->why) == BL_OK)
        bl_diag_clear(&a->why);
    sodium_memzero(secret, sizeof(secret));
    free(body);
    return 0;
}

/* One claimed delivery: sent, then its outcome recorded. *ok whether it was delivered. */
static int deliver_one(struct bl_store *st, struct attempt *a, int64_t webhook_id, int64_t claim,
                       bool *ok, struct bl_diag *d)
{
    snprintf(a->id_text, sizeof(a->id_text), "evt_%lld_%lld", (long long)a->org,
             (long long)a->event_id);
    bl_diag_clear(&a->why);
    a->status = 0;
    int rc = bl_store_hook_job(st, a->org, a->event_id, webhook_id, send_job, a, d);
    if (rc)
        return rc;
    int64_t n = a->attempts + 1, max = a->s->max_attempts > 0 ? a->s->max_attempts : 12;
    *ok = a->why.code == 0;
    int64_t delay = bl_app_hook_backoff(a->s->backoff_s, n);
    delay += (int64_t)randombytes_uniform((uint32_t)(delay / 4 + 1));
    struct bl_hook_outcome o = {*ok        ? "delivered"
                                : n >= max ? "failed"
                                           : "pending",
                                n,
                                a->now + delay,
                                a->status,
                                a->now,
                                *ok ? NULL : a->why.msg};
    return bl_store_hook_done(st, a->org, a->event_id, webhook_id, claim, &o, d);
}

struct due {
    int64_t (*pairs)[2];
    size_t n, cap;
};

static int due_one(void *ctx, int64_t event_id, int64_t webhook_id)
{
    struct due *u = ctx;
    if (u->n == u->cap)
        return 1;
    u->pairs[u->n][0] = event_id;
    u->pairs[u->n][1] = webhook_id;
    u->n++;
    return 0;
}

static int64_t new_claim(void)
{
    int64_t c;
    randombytes_buf(&c, sizeof(c));
    return c ? c : 1; /* 0 is no claim */
}

static void count(struct bl_app_hook_deliver_res *res, bool ok, const struct attempt *a,
                  const struct bl_app_hook_send *s)
{
    int64_t max = s->max_attempts > 0 ? s->max_attempts : 12;
    if (ok)
        res->delivered++;
    else if (a->attempts + 1 >= max)
        res->failed++;
    else
        res->retrying++;
}

int bl_app_hook_deliver(struct bl_store *st, int64_t org, const struct bl_app_hook_send *s,
                        int64_t limit, struct bl_app_hook_deliver_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    int64_t now = bl_app_now_or(s->now);
    size_t cap = limit > 0 && limit < 1000 ? (size_t)limit : 100;
    struct due u = {bl_calloc(cap, sizeof(*u.pairs)), 0, cap};
    if (!u.pairs)
        return bl_diag_set(d, BL_ENOMEM, "out of memory");
    int rc = bl_store_hook_due(st, org, now, (int64_t)cap, due_one, &u, d);
    rc = rc == 1 ? BL_OK : rc;
    for (size_t i = 0; !rc && i < u.n; i++) {
        int64_t claim = new_claim();
        bool got = false, ok = false;
        struct attempt a = {.s = s, .org = org, .event_id = u.pairs[i][0], .now = now};
        rc = bl_store_hook_claim(st, org, a.event_id, u.pairs[i][1], now, now + LEASE_S, claim,
                                 &got, d);
        if (!rc && got)
            rc = deliver_one(st, &a, u.pairs[i][1], claim, &ok, d);
        if (!rc && got)
            count(res, ok, &a, s);
        now = s->now ? s->now : bl_app_now(); /* attempts take time */
    }
    bl_free(u.pairs);
    if (!rc)
        rc = bl_store_hook_depth(st, org, &res->pending, &res->failed_total, d);
    return rc;
}

static int ping_raise(struct bl_store *st, int64_t org, int64_t id, int64_t now, int64_t *event,
                      struct bl_diag *d)
{
    json_t *data = json_pack("{s:I, s:s}", "webhook", (json_int_t)id, "message",
                             "a test event sent by 'ballast webhook test'");
    int rc = bl_store_begin(st, d);
    if (!rc)
        rc = bl_store_end(st, bl__hook_raise(st, org, "ping", data, NULL, now, id, event, d), d);
    else
        json_decref(data);
    return rc;
}

int bl_app_webhook_test(struct bl_store *st, int64_t org, int64_t id,
                        const struct bl_app_hook_send *s, struct bl_app_webhook_test_res *res,
                        struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    struct bl_app_webhook_list_res one;
    int rc = bl_app_webhook_list(st, org, id, &one, d);
    bl_app_webhook_list_res_release(&one);
    int64_t now = bl_app_now_or(s->now), event = 0, claim = new_claim();
    if (!rc)
        rc = ping_raise(st, org, id, now, &event, d);
    bool got = false, ok = false;
    if (!rc)
        rc = bl_store_hook_claim(st, org, event, id, now, now + LEASE_S, claim, &got, d);
    struct attempt a = {.s = s, .org = org, .event_id = event, .now = now};
    if (!rc && got)
        rc = deliver_one(st, &a, id, claim, &ok, d);
    if (rc)
        return rc;
    snprintf(res->event_id, sizeof(res->event_id), "evt_%lld_%lld", (long long)org,
             (long long)event);
    res->delivered = ok;
    res->status = a.status;
    if (!ok)
        snprintf(res->error, sizeof(res->error), "%s", a.why.msg);
    return BL_OK;
}
