/* token.c - API tokens: create, list, revoke, authenticate (token.h). */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "app/audit.h"
#include "app/token.h"
#include "store/audit.h"
#include "ballast/alloc.h"

#define PREFIX "blt_"
#define SECRET 32
#define SECRET_B64 (sodium_base64_ENCODED_LEN(SECRET, sodium_base64_VARIANT_URLSAFE_NO_PADDING) - 1)

static const char *const role_names[] = {"none", "viewer", "operator", "admin", "platform"};

const char *bl_app_role_name(enum bl_app_role r)
{
    return (unsigned)r <= BL_ROLE_PLATFORM ? role_names[r] : "none";
}

int bl_app_role_parse(const char *name, enum bl_app_role *out, struct bl_diag *d)
{
    for (int r = BL_ROLE_VIEWER; r <= BL_ROLE_PLATFORM; r++)
        if (strcmp(name, role_names[r]) == 0) {
            *out = (enum bl_app_role)r;
            return BL_OK;
        }
    char shown[BL_SHOW_BUF];
    bl_diag_at(d, NULL, 0, "role");
    return bl_diag_set(d, BL_EINVAL,
                       "role '%s': expected viewer, operator or admin (or platform, on a "
                       "marketplace that governs merchants)",
                       bl_str_show(bl_str_c(name), BL_SHOW, shown));
}

static void hash_secret(const unsigned char *secret, unsigned char *out)
{
    crypto_generichash(out, BL_TOKEN_HASH, secret, SECRET, NULL, 0);
}

/* A token as the audit log keeps it (never its hash). */
static json_t *token_json(const struct bl_token_row *t)
{
    return json_pack("{s:s, s:s?, s:o, s:o, s:o}", "role", t->role, "label",
                     t->label[0] ? t->label : NULL, "created_at", bl_app_audit_time(t->created_at),
                     "expires_at", bl_app_audit_time(t->expires_at), "revoked_at",
                     bl_app_audit_time(t->revoked_at));
}

static int any_merchant(void *ctx, int64_t id, const char *name)
{
    (void)id, (void)name;
    *(bool *)ctx = true;
    return 1;
}

static int check_create(const struct bl_app_token_create_req *req, int64_t now, struct bl_diag *d)
{
    if (req->role < BL_ROLE_VIEWER || req->role > BL_ROLE_PLATFORM) {
        bl_diag_at(d, NULL, 0, "role");
        return bl_diag_set(d, BL_EINVAL, "a token's role is viewer, operator, admin or platform");
    }
    if (req->expires_at != BL_NO_TIME && req->expires_at <= now) {
        bl_diag_at(d, NULL, 0, "expires");
        return bl_diag_set(d, BL_EINVAL, "the expiry must be in the future");
    }
    if (req->label && strlen(req->label) >= sizeof(((struct bl_token_row *)0)->label)) {
        bl_diag_at(d, NULL, 0, "label");
        return bl_diag_set(d, BL_EINVAL, "a label is at most 127 bytes");
    }
    if (sodium_init() < 0)
        return bl_diag_set(d, BL_EIO, "libsodium could not start (no random source)");
    return BL_OK;
}

int bl__app_role_allowed(struct bl_store *st, int64_t org, enum bl_app_role role,
                         struct bl_diag *d)
{
    if (role != BL_ROLE_PLATFORM)
        return BL_OK;
    bool any = false;
    int rc = bl_store_govern_list(st, org, any_merchant, &any, d);
    if (rc == 1 || (!rc && any))
        return BL_OK;
    if (rc)
        return rc;
    bl_diag_at(d, NULL, 0, "role");
    return bl_diag_set(d, BL_EINVAL,
                       "the platform role is for a marketplace: this organisation governs no "
                       "merchant ('ballast org govern MERCHANT --by MARKETPLACE')");
}

int bl__app_token_add(struct bl_store *st, int64_t org, struct bl_token_row *row, int64_t now,
                      struct bl_app_token_create_res *res, struct bl_diag *d)
{
    unsigned char secret[SECRET];
    randombytes_buf(secret, sizeof(secret));
    hash_secret(secret, row->hash);
    row->created_at = now;
    row->revoked_at = BL_NO_TIME;
    int rc = bl_store_next_ids(st, org, "api_token", 1, &row->id, d);
    rc = rc ? rc : bl_store_token_add(st, org, row, d);
    rc = rc ? rc
            : bl_app_audit_n(st, org, now, row->user_id ? "session.open" : "token.create",
                             "token", row->id, NULL, token_json(row), d);
    if (!rc) {
        char b64[SECRET_B64 + 1];
        sodium_bin2base64(b64, sizeof(b64), secret, sizeof(secret),
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        snprintf(res->token, sizeof(res->token), PREFIX "%lld_%lld_%s", (long long)org,
                 (long long)row->id, b64);
        res->id = row->id;
    }
    sodium_memzero(secret, sizeof(secret));
    return rc;
}

int bl_app_token_create(struct bl_store *st, int64_t org, const struct bl_app_token_create_req *req,
                        struct bl_app_token_create_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    int64_t now = bl_app_now_or(req->now);
    int rc = check_create(req, now, d);
    if (rc)
        return rc;
    struct bl_token_row row = {.expires_at = req->expires_at};
    snprintf(row.role, sizeof(row.role), "%s", bl_app_role_name(req->role));
    snprintf(row.label, sizeof(row.label), "%s", req->label ? req->label : "");
    rc = bl_store_begin(st, d);
    rc = rc ? rc : bl__app_role_allowed(st, org, req->role, d);
    rc = rc ? rc : bl__app_token_add(st, org, &row, now, res, d);
    rc = bl_store_end(st, rc, d);
    if (rc)
        memset(res, 0, sizeof(*res));
    return rc;
}

static int list_one(void *ctx, const struct bl_token_row *t)
{
    struct bl_app_token_list_res *res = ctx;
    if (bl_grow((void **)&res->tokens, &res->cap, res->n + 1, sizeof(*res->tokens)))
        return BL_ENOMEM;
    res->tokens[res->n++] = *t;
    return 0;
}

int bl_app_token_list(struct bl_store *st, int64_t org, struct bl_app_token_list_res *res,
                      struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    int rc = bl_store_token_list(st, org, list_one, res, d);
    if (rc == BL_ENOMEM && d && !d->code)
        bl_diag_set(d, rc, "out of memory listing tokens");
    return rc;
}

void bl_app_token_list_res_release(struct bl_app_token_list_res *res)
{
    bl_free(res->tokens);
    memset(res, 0, sizeof(*res));
}

int bl_app_token_revoke(struct bl_store *st, int64_t org, int64_t id, int64_t now,
                        struct bl_app_token_revoke_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    struct bl_token_row t;
    bool changed = false;
    int rc = bl_store_begin(st, d);
    rc = rc ? rc : bl_store_token_get(st, org, id, &t, d);
    if (!rc && t.revoked_at != BL_NO_TIME) {
        res->reason = BL_TOKEN_ALREADY;
        res->revoked_at = t.revoked_at;
        rc = bl_diag_set(d, BL_EEXISTS, "token %lld was revoked before", (long long)id);
    }
    rc = rc ? rc : bl_store_token_revoke(st, org, id, bl_app_now_or(now), &changed, d);
    if (rc == BL_ENOTFOUND)
        res->reason = BL_TOKEN_UNKNOWN;
    if (!rc) {
        res->revoked_at = bl_app_now_or(now);
        json_t *before = token_json(&t);
        t.revoked_at = res->revoked_at;
        rc = bl_app_audit_n(st, org, now, "token.revoke", "token", id, before, token_json(&t), d);
    }
    return bl_store_end(st, rc, d);
}

/* "blt_<org>_<id>_<secret>": org, id and the secret's bytes; false when it is not that. */
static bool parse_token(const char *p, size_t n, int64_t *org, int64_t *id, unsigned char *secret)
{
    size_t pre = sizeof(PREFIX) - 1;
    if (n < pre + 4 + SECRET_B64 || n > BL_TOKEN_TEXT || memcmp(p, PREFIX, pre) != 0)
        return false;
    const char *s = p + pre, *end = p + n;
    const char *u1 = memchr(s, '_', (size_t)(end - s));
    const char *u2 = u1 ? memchr(u1 + 1, '_', (size_t)(end - u1 - 1)) : NULL;
    if (!u2 || (size_t)(end - u2 - 1) != SECRET_B64)
        return false;
    struct bl_str so = {s, (size_t)(u1 - s)}, si = {u1 + 1, (size_t)(u2 - u1 - 1)};
    if (!so.len || !si.len || so.ptr[0] == '-' || si.ptr[0] == '-' || bl_str_to_i64(so, org) ||
        bl_str_to_i64(si, id) || *org <= 0 || *id <= 0)
        return false;
    for (const char *c = u2 + 1; c < end; c++) /* base64url only: libsodium takes more */
        if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
              *c == '-' || *c == '_'))
            return false;
    size_t got = 0;
    return sodium_base642bin(secret, SECRET, u2 + 1, SECRET_B64, NULL, &got, NULL,
                             sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0 &&
           got == SECRET;
}

static int refuse(struct bl_app_token_auth_res *res, enum bl_app_token_reason why, int64_t at,
                  struct bl_diag *d)
{
    res->reason = why;
    res->at = at;
    res->org = res->id = 0;
    res->role = BL_ROLE_NONE;
    if (why == BL_TOKEN_MALFORMED)
        return bl_diag_set(d, BL_EPARSE, "not an API token (they begin with blt_)");
    return bl_diag_set(d, BL_ENOTFOUND,
                       why == BL_TOKEN_EXPIRED   ? "the token has expired"
                       : why == BL_TOKEN_REVOKED ? "the token was revoked"
                                                 : "no such token");
}

int bl_app_token_auth(struct bl_store *st, const char *text, size_t n, int64_t now,
                      struct bl_app_token_auth_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    unsigned char secret[SECRET], h[BL_TOKEN_HASH];
    int64_t org, id;
    if (sodium_init() < 0)
        return bl_diag_set(d, BL_EIO, "libsodium could not start");
    if (!parse_token(text, n, &org, &id, secret))
        return refuse(res, BL_TOKEN_MALFORMED, 0, d);
    hash_secret(secret, h);
    sodium_memzero(secret, sizeof(secret));
    struct bl_token_row t;
    int rc = bl_store_token_get(st, org, id, &t, d);
    if (rc == BL_ENOTFOUND || (!rc && sodium_memcmp(h, t.hash, sizeof(h)) != 0))
        return refuse(res, BL_TOKEN_NO_MATCH, 0, d);
    if (rc)
        return rc;
    if (t.revoked_at != BL_NO_TIME && t.revoked_at <= bl_app_now_or(now))
        return refuse(res, BL_TOKEN_REVOKED, t.revoked_at, d);
    if (t.expires_at != BL_NO_TIME && t.expires_at <= bl_app_now_or(now))
        return refuse(res, BL_TOKEN_EXPIRED, t.expires_at, d);
    enum bl_app_role role = BL_ROLE_NONE;
    if (bl_app_role_parse(t.role, &role, NULL))
        return refuse(res, BL_TOKEN_NO_MATCH, 0, d);
    *res = (struct bl_app_token_auth_res){BL_TOKEN_OK, org,       id,          role, 0,
                                          "",          t.user_id, t.expires_at};
    memcpy(res->label, t.label, sizeof(res->label));
    return BL_OK;
}
