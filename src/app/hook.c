/* hook.c - the subscribers of the outgoing webhooks: add (with a signing secret given out
 * once and kept sealed), list, remove (hook.h). */
#include <string.h>

#include <sodium.h>

#include "app/audit.h"
#include "app/hook.h"
#include "ballast/app.h"
#include "store/hook.h"

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* The next comma-separated word of *p (trimmed) into w: false when there is none. */
static bool next_word(const char **p, struct bl_str *w)
{
    const char *s = *p;
    if (!*s)
        return false;
    const char *e = strchr(s, ',');
    const char *end = e ? e : s + strlen(s);
    *p = e ? e + 1 : end;
    while (s < end && is_space(*s))
        s++;
    while (end > s && is_space(end[-1]))
        end--;
    *w = (struct bl_str){s, (size_t)(end - s)};
    return true;
}

int bl_app_hook_events_parse(const char *text, char *out, size_t cap, struct bl_diag *d)
{
    if (!text || !text[0])
        return bl_diag_set(d, BL_EINVAL,
                           "no event types (expected all, or some of "
                           "alert.raised, shop.rating_at_risk, disruption.declared,"
                           " message.needs_approval, action.applied)");
    bool want[BL_HOOK__COUNT] = {false}, all = false;
    const char *p = text;
    struct bl_str w;
    while (next_word(&p, &w)) {
        if (bl_str_eq(w, BL_STR("all")) || bl_str_eq(w, BL_STR("*"))) {
            all = true;
            continue;
        }
        int k = -1;
        for (int t = 0; t < BL_HOOK__COUNT && k < 0; t++)
            if (bl_str_eq(w, bl_str_c(bl_app_hook_types[t])))
                k = t;
        if (k < 0)
            return bl_diag_set(d, BL_EINVAL,
                               "unknown event type '%.*s' (expected all, or some of "
                               "alert.raised, shop.rating_at_risk, disruption.declared, "
                               "message.needs_approval, action.applied)",
                               (int)(w.len > 64 ? 64 : w.len), w.ptr);
        want[k] = true;
    }
    size_t at = 0;
    out[0] = '\0';
    if (all)
        return cap > 1 ? (memcpy(out, "*", 2), BL_OK) : BL_ETOOBIG;
    for (int t = 0; t < BL_HOOK__COUNT; t++) {
        if (!want[t])
            continue;
        int n = snprintf(out + at, cap - at, "%s%s", at ? "," : "", bl_app_hook_types[t]);
        if (n < 0 || (size_t)n >= cap - at)
            return bl_diag_set(d, BL_ETOOBIG, "event types: too long");
        at += (size_t)n;
    }
    return at ? BL_OK : bl_diag_set(d, BL_EINVAL, "no event types");
}

/* "whsec_" and 32 random bytes in unpadded base64url. */
static void new_secret(char *out, size_t cap)
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof(raw));
    memcpy(out, "whsec_", 7);
    sodium_bin2base64(out + 6, cap - 6, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
}

static int add_in(struct bl_store *st, int64_t org, const struct bl_app_webhook_add_req *req,
                  struct bl_app_webhook_add_res *res, const char *sealed, struct bl_diag *d)
{
    int rc = bl_store_webhook_find(st, org, req->url, &res->other_id, d);
    if (!rc && res->other_id) {
        res->reason = BL_APP_HOOK_URL_TAKEN;
        return bl_diag_set(d, BL_EEXISTS, "webhook %lld has this URL already",
                           (long long)res->other_id);
    }
    if (!rc)
        rc = bl_store_next_ids(st, org, "webhook", 1, &res->id, d);
    if (!rc)
        rc = bl_store_webhook_add(st, org, res->id, req->url, res->events, sealed,
                                  bl_app_now_or(req->now), d);
    if (!rc) /* never the secret */
        rc = bl_app_audit_n(st, org, req->now, "webhook.add", "webhook", res->id, NULL,
                            json_pack("{s:s, s:s}", "url", req->url, "events", res->events), d);
    return rc;
}

int bl_app_webhook_add(struct bl_store *st, int64_t org, const struct bl_app_webhook_add_req *req,
                       struct bl_app_webhook_add_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    if (bl_hook_url_check(req->url, d)) {
        res->reason = BL_APP_HOOK_BAD_URL;
        return d->code;
    }
    if (bl_app_hook_events_parse(req->events, res->events, sizeof(res->events), d)) {
        res->reason = BL_APP_HOOK_BAD_EVENTS;
        return d->code;
    }
    if (!req->key)
        return bl_diag_set(d, BL_EINVAL, "no secrets key to seal the signing secret with");
    new_secret(res->secret, sizeof(res->secret));
    struct bl_buf sealed = BL_BUF_INIT;
    int rc = bl_hook_seal(req->key, res->secret, &sealed, d);
    if (!rc)
        rc = bl_store_begin(st, d);
    if (!rc)
        rc = bl_store_end(st, add_in(st, org, req, res, sealed.ptr, d), d);
    bl_buf_release(&sealed);
    if (rc) {
        sodium_memzero(res->secret, sizeof(res->secret));
        res->id = 0;
    }
    return rc;
}

struct list_ctx {
    struct bl_app_webhook_list_res *res;
    size_t cap;
};

static const char *dup(struct bl_arena *a, struct bl_str s)
{
    return bl_arena_strndup(a, s.ptr, s.len);
}

static int list_one(void *vctx, const struct bl_webhook_row *w)
{
    struct list_ctx *c = vctx;
    struct bl_app_webhook_list_res *res = c->res;
    if (res->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        struct bl_app_webhook *v = bl_arena_alloc(&res->arena, cap * sizeof(*v));
        if (!v)
            return BL_ENOMEM;
        if (res->n)
            memcpy(v, res->items, res->n * sizeof(*v));
        res->items = v;
        c->cap = cap;
    }
    struct bl_app_webhook *x = &res->items[res->n];
    *x = (struct bl_app_webhook){w->id,
                                 dup(&res->arena, w->url),
                                 dup(&res->arena, w->events),
                                 w->created_at,
                                 w->pending,
                                 w->delivered,
                                 w->failed,
                                 w->last_at,
                                 w->last_status,
                                 dup(&res->arena, w->last_error)};
    if (!x->url || !x->events || !x->last_error)
        return BL_ENOMEM;
    res->n++;
    return 0;
}

int bl_app_webhook_list(struct bl_store *st, int64_t org, int64_t id,
                        struct bl_app_webhook_list_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 1u << 12);
    struct list_ctx c = {res, 0};
    int rc = bl_store_webhook_list(st, org, id, list_one, &c, d);
    if (rc == BL_ENOMEM && !d->code)
        rc = bl_diag_set(d, BL_ENOMEM, "out of memory");
    if (!rc && id && !res->n)
        rc = bl_diag_set(d, BL_ENOTFOUND, "no webhook %lld", (long long)id);
    return rc;
}

void bl_app_webhook_list_res_release(struct bl_app_webhook_list_res *res)
{
    bl_arena_release(&res->arena);
    res->items = NULL;
    res->n = 0;
}

int bl_app_webhook_remove(struct bl_store *st, int64_t org, int64_t id, int64_t now,
                          struct bl_diag *d)
{
    bool changed = false;
    int rc = bl_store_begin(st, d);
    if (rc)
        return rc;
    rc = bl_store_webhook_remove(st, org, id, bl_app_now_or(now), &changed, d);
    if (!rc && !changed)
        rc = bl_diag_set(d, BL_ENOTFOUND, "no webhook %lld", (long long)id);
    if (!rc)
        rc = bl_app_audit_n(st, org, now, "webhook.remove", "webhook", id, NULL, NULL, d);
    return bl_store_end(st, rc, d);
}
