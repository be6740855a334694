/* user.c - users: add, list, new password, remove (user.h). */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "app/audit.h"
#include "app/user.h"
#include "ballast/alloc.h"

int bl_app_user_name_check(const char *name, struct bl_diag *d)
{
    size_t n = name ? strlen(name) : 0;
    bool ok = n >= 1 && n <= 64;
    for (size_t i = 0; ok && i < n; i++) {
        char c = name[i];
        ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '.' || c == '_' || c == '@' || c == '-';
    }
    if (ok)
        return BL_OK;
    char shown[BL_SHOW_BUF];
    bl_diag_at(d, NULL, 0, "name");
    return bl_diag_set(d, BL_EINVAL,
                       "user name '%s': expected 1 to 64 letters, digits, '.', '_', '@' or '-'",
                       bl_str_show(bl_str_c(name ? name : ""), BL_SHOW, shown));
}

/* The hash of req's password, or of a generated one (into res->password). */
static int hash_password(const struct bl_app_user_req *req, struct bl_app_user_res *res, char *hash,
                         struct bl_diag *d)
{
    if (sodium_init() < 0)
        return bl_diag_set(d, BL_EIO, "libsodium could not start (no random source)");
    const char *pw = req->password;
    if (!pw) {
        unsigned char raw[18];
        randombytes_buf(raw, sizeof(raw));
        sodium_bin2base64(res->password, sizeof(res->password), raw, sizeof(raw),
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        sodium_memzero(raw, sizeof(raw));
        pw = res->password;
    }
    size_t n = strlen(pw);
    if (n < BL_PASSWORD_MIN || n > BL_PASSWORD_MAX) {
        bl_diag_at(d, NULL, 0, "password");
        return bl_diag_set(d, BL_EINVAL, "a password is %d to %d bytes long", BL_PASSWORD_MIN,
                           BL_PASSWORD_MAX);
    }
    if (crypto_pwhash_str(hash, pw, n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return bl_diag_set(d, BL_ENOMEM, "out of memory hashing the password");
    return BL_OK;
}

static json_t *user_json(const struct bl_user_row *u)
{
    return json_pack("{s:s, s:s}", "name", u->name, "role", u->role); /* never the hash */
}

int bl_app_user_add(struct bl_store *st, int64_t org, const struct bl_app_user_req *req,
                    struct bl_app_user_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    int64_t now = bl_app_now_or(req->now);
    struct bl_user_row u = {.created_at = now, .locked_until = BL_NO_TIME};
    int rc = bl_app_user_name_check(req->name, d);
    if (!rc && (req->role < BL_ROLE_VIEWER || req->role > BL_ROLE_PLATFORM)) {
        bl_diag_at(d, NULL, 0, "role");
        rc = bl_diag_set(d, BL_EINVAL, "a user's role is viewer, operator, admin or platform");
    }
    rc = rc ? rc : hash_password(req, res, u.pw_hash, d);
    if (rc)
        return rc;
    snprintf(u.name, sizeof(u.name), "%s", req->name);
    snprintf(u.role, sizeof(u.role), "%s", bl_app_role_name(req->role));
    struct bl_user_row had;
    rc = bl_store_begin(st, d);
    rc = rc ? rc : bl__app_role_allowed(st, org, req->role, d);
    int got = rc ? rc : bl_store_user_get(st, org, req->name, &had, d);
    if (!rc && got == BL_OK) {
        bl_diag_at(d, NULL, 0, "name");
        rc = bl_diag_set(d, BL_EEXISTS, "the organisation has a user '%s' already", req->name);
    } else if (!rc && got != BL_ENOTFOUND) {
        rc = got;
    }
    if (!rc && d)
        bl_diag_clear(d); /* no such user yet: as wanted */
    rc = rc ? rc : bl_store_next_ids(st, org, "app_user", 1, &u.id, d);
    rc = rc ? rc : bl_store_user_add(st, org, &u, d);
    rc = rc ? rc : bl_app_audit(st, org, now, "user.add", "user", u.name, NULL, user_json(&u), d);
    rc = bl_store_end(st, rc, d);
    sodium_memzero(u.pw_hash, sizeof(u.pw_hash));
    if (rc)
        sodium_memzero(res, sizeof(*res));
    else
        res->id = u.id;
    return rc;
}

/* User name of org into u inside a transaction: BL_ENOTFOUND worded for a person. */
static int find(struct bl_store *st, int64_t org, const char *name, struct bl_user_row *u,
                struct bl_diag *d)
{
    int rc = bl_store_user_get(st, org, name, u, d);
    if (rc == BL_ENOTFOUND) {
        bl_diag_at(d, NULL, 0, "name");
        rc = bl_diag_set(d, BL_ENOTFOUND,
                         "no user '%s' in this organisation ('ballast user "
                         "list')",
                         name);
    }
    return rc;
}

static int64_t ended(struct bl_store *st, int64_t org, int64_t user, int64_t now, int *rc,
                     struct bl_diag *d)
{
    struct bl_val p[] = {bl_val_int(org), bl_val_int(user), bl_val_int(now)};
    int64_t n = 0;
    if (!*rc)
        *rc = bl_store_query_int(st,
                                 "SELECT COUNT(*) FROM api_token WHERE org_id = $1"
                                 " AND user_id = $2 AND revoked_at IS NULL"
                                 " AND (expires_at IS NULL OR expires_at > $3)",
                                 p, 3, &n, d);
    *rc = *rc ? *rc : bl_store_user_tokens_revoke(st, org, user, now, d);
    return n;
}

int bl_app_user_passwd(struct bl_store *st, int64_t org, const struct bl_app_user_req *req,
                       struct bl_app_user_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    int64_t now = bl_app_now_or(req->now);
    char hash[crypto_pwhash_STRBYTES];
    int rc = hash_password(req, res, hash, d);
    struct bl_user_row u;
    rc = rc ? rc : bl_store_begin(st, d);
    rc = rc ? rc : find(st, org, req->name, &u, d);
    rc = rc ? rc : bl_store_user_set_hash(st, org, u.id, hash, d);
    res->sessions_ended = ended(st, org, u.id, now, &rc, d);
    rc = rc ? rc
            : bl_app_audit(st, org, now, "user.passwd", "user", req->name, NULL,
                           json_pack("{s:s, s:I}", "password", "changed", "sessions_ended",
                                     (json_int_t)res->sessions_ended),
                           d);
    rc = bl_store_end(st, rc, d);
    sodium_memzero(hash, sizeof(hash));
    if (rc)
        sodium_memzero(res, sizeof(*res));
    else
        res->id = u.id;
    return rc;
}

int bl_app_user_remove(struct bl_store *st, int64_t org, const struct bl_app_user_req *req,
                       struct bl_app_user_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    int64_t now = bl_app_now_or(req->now);
    struct bl_user_row u;
    int rc = bl_store_begin(st, d);
    rc = rc ? rc : find(st, org, req->name, &u, d);
    rc = rc ? rc : bl_store_user_remove(st, org, u.id, d);
    res->sessions_ended = ended(st, org, u.id, now, &rc, d);
    rc = rc ? rc
            : bl_app_audit(st, org, now, "user.remove", "user", req->name, user_json(&u), NULL, d);
    rc = bl_store_end(st, rc, d);
    res->id = rc ? 0 : u.id;
    return rc;
}

static int list_one(void *ctx, const struct bl_user_row *u)
{
    struct bl_app_user_list_res *res = ctx;
    if (bl_grow((void **)&res->users, &res->cap, res->n + 1, sizeof(*res->users)))
        return BL_ENOMEM;
    res->users[res->n] = *u;
    memset(res->users[res->n].pw_hash, 0, sizeof(u->pw_hash));
    res->n++;
    return 0;
}

int bl_app_user_list(struct bl_store *st, int64_t org, struct bl_app_user_list_res *res,
                     struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    int rc = bl_store_user_list(st, org, list_one, res, d);
    if (rc == BL_ENOMEM && d && !d->code)
        bl_diag_set(d, rc, "out of memory listing users");
    return rc;
}

void bl_app_user_list_res_release(struct bl_app_user_list_res *res)
{
    bl_free(res->users);
    memset(res, 0, sizeof(*res));
}
