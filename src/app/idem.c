/* idem.c - Idempotency-Key (idem.h). */
#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "app/idem.h"
#include "ballast/alloc.h"

struct seen {
    struct bl_app_idem_res *res;
    const char *route;
    const unsigned char *hash;
};

static int seen_row(void *ctx, const struct bl_idem_row *r)
{
    struct seen *s = ctx;
    if (strcmp(r->route, s->route) != 0 ||
        (s->hash && (r->req_hash.len != BL_TOKEN_HASH ||
                     memcmp(r->req_hash.ptr, s->hash, BL_TOKEN_HASH) != 0))) {
        s->res->state = BL_IDEM_MISMATCH;
        return 1;
    }
    if (r->status == 0) {
        s->res->state = BL_IDEM_BUSY;
        return 1;
    }
    if (r->req_hash.len == BL_IDEM_HASH)
        memcpy(s->res->hash, r->req_hash.ptr, BL_IDEM_HASH);
    size_t n = strlen(r->body ? r->body : "");
    s->res->body = bl_malloc(n + 1);
    if (!s->res->body)
        return BL_ENOMEM;
    memcpy(s->res->body, r->body ? r->body : "", n + 1);
    s->res->status = r->status;
    s->res->state = BL_IDEM_REPLAY;
    return 1;
}

static int check_key(const char *key, struct bl_diag *d)
{
    size_t n = strlen(key);
    bool ok = n >= 1 && n <= BL_IDEM_KEY_MAX;
    for (size_t i = 0; ok && i < n; i++)
        ok = key[i] > 0x20 && key[i] < 0x7f;
    if (ok)
        return BL_OK;
    bl_diag_at(d, NULL, 0, "Idempotency-Key");
    return bl_diag_set(d, BL_EINVAL,
                       "an Idempotency-Key is 1 to %d printable ASCII characters, no spaces",
                       BL_IDEM_KEY_MAX);
}

/* Claims key for row's request: inserted when new, taken over when the request holding it
 * died (its lease is over), else what holds it says what this request is (seen_row). */
static int claim(struct bl_store *st, int64_t org, const char *key, struct bl_idem_row *row,
                 const unsigned char *hash, struct bl_app_idem_res *res, struct bl_diag *d)
{
    bool claimed = false;
    int rc = bl_store_idem_claim(st, org, key, row, &claimed, d);
    if (!rc && !claimed)
        rc = bl_store_idem_retake(st, org, key, row, &claimed, d);
    if (rc || claimed)
        return rc;
    struct seen s = {res, row->route, hash};
    rc = bl_store_idem_get(st, org, key, seen_row, &s, d);
    if (rc == 1)
        return BL_OK;
    if (rc == BL_ENOMEM && d && !d->code)
        bl_diag_set(d, rc, "out of memory");
    if (!rc) /* given back between the claim and the read: the caller may retry */
        res->state = BL_IDEM_BUSY;
    return rc;
}

static int64_t lease_end(int64_t now, int64_t lease_s)
{
    int64_t end;
    return __builtin_add_overflow(now, lease_s, &end) ? INT64_MAX : end;
}

int bl_app_idem_begin(struct bl_store *st, int64_t org, const char *key, const char *route,
                      struct bl_str body, int64_t now, int64_t lease_s,
                      struct bl_app_idem_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    int rc = check_key(key, d);
    if (rc)
        return rc;
    unsigned char h[BL_TOKEN_HASH];
    crypto_generichash_state hs;
    crypto_generichash_init(&hs, NULL, 0, sizeof(h));
    crypto_generichash_update(&hs, (const unsigned char *)route, strlen(route) + 1);
    crypto_generichash_update(&hs, (const unsigned char *)body.ptr, body.len);
    crypto_generichash_final(&hs, h, sizeof(h));
    now = bl_app_now_or(now);
    struct bl_idem_row row = {.route = route,
                              .req_hash = {(const char *)h, sizeof(h)},
                              .created_at = now,
                              .lease_until = lease_end(now, lease_s)};
    return claim(st, org, key, &row, h, res, d);
}

int bl_app_idem_done(struct bl_store *st, int64_t org, const char *key, int64_t status,
                     struct bl_str body, struct bl_diag *d)
{
    return bl_store_idem_finish(st, org, key, status, body, d);
}

int bl_app_idem_abandon(struct bl_store *st, int64_t org, const char *key, struct bl_diag *d)
{
    return bl_store_idem_drop(st, org, key, d);
}

void bl_app_idem_res_release(struct bl_app_idem_res *res)
{
    bl_free(res->body);
    memset(res, 0, sizeof(*res));
}

_Static_assert(sizeof(struct bl_app_idem_hash) >= sizeof(crypto_generichash_state),
               "bl_app_idem_hash holds libsodium's state");
_Static_assert(BL_IDEM_HASH == BL_TOKEN_HASH, "one hash size");

void bl_app_idem_hash_init(struct bl_app_idem_hash *h, const char *route)
{
    crypto_generichash_state *hs = (crypto_generichash_state *)(void *)h->state;
    crypto_generichash_init(hs, NULL, 0, BL_IDEM_HASH);
    crypto_generichash_update(hs, (const unsigned char *)route, strlen(route) + 1);
}

void bl_app_idem_hash_update(struct bl_app_idem_hash *h, const void *p, size_t n)
{
    crypto_generichash_update((crypto_generichash_state *)(void *)h->state, p, n);
}

void bl_app_idem_hash_final(struct bl_app_idem_hash *h, unsigned char out[BL_IDEM_HASH])
{
    crypto_generichash_final((crypto_generichash_state *)(void *)h->state, out, BL_IDEM_HASH);
}

int bl_app_idem_begin_stream(struct bl_store *st, int64_t org, const char *key,
                             const char *route, int64_t now, int64_t lease_s,
                             struct bl_app_idem_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    int rc = check_key(key, d);
    if (rc)
        return rc;
    static const unsigned char pending[BL_IDEM_HASH]; /* none yet: the body is arriving */
    now = bl_app_now_or(now);
    struct bl_idem_row row = {.route = route,
                              .req_hash = {(const char *)pending, sizeof(pending)},
                              .created_at = now,
                              .lease_until = lease_end(now, lease_s)};
    return claim(st, org, key, &row, NULL, res, d);
}

int bl_app_idem_done_stream(struct bl_store *st, int64_t org, const char *key, int64_t status,
                            struct bl_str body, const unsigned char hash[BL_IDEM_HASH],
                            struct bl_diag *d)
{
    return bl_store_idem_finish_hash(st, org, key, status, body,
                                     (struct bl_str){(const char *)hash, BL_IDEM_HASH}, d);
}
