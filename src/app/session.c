/* session.c - signing in and out (user.h): a password checked against its hash, wrong ones
 * counted and the name locked after BL_SIGNIN_TRIES, a short-lived token for the user. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "app/audit.h"
#include "app/data.h"
#include "app/user.h"

static int no_match(struct bl_app_session_res *res, struct bl_diag *d)
{
    res->reason = BL_SESSION_NO_MATCH;
    return bl_diag_set(d, BL_ENOTFOUND, "no such user, or not the password");
}

static int locked(struct bl_app_session_res *res, int64_t until, struct bl_diag *d)
{
    res->reason = BL_SESSION_LOCKED;
    res->locked_until = until;
    bl_diag_at(d, NULL, 0, "name");
    return bl_diag_set(d, BL_ECONFLICT,
                       "too many wrong passwords for this name: signing in is refused for %d "
                       "minutes",
                       BL_SIGNIN_LOCK / 60);
}

/* A wrong password for u: counted, and the lock set at the BL_SIGNIN_TRIES-th (with its
 * audit row, the connection's actor being whoever tried). Its own transaction. */
static int wrong(struct bl_store *st, int64_t org, const struct bl_user_row *u, int64_t now,
                 struct bl_app_session_res *res, struct bl_diag *d)
{
    int64_t n = u->failed + 1;
    bool lock = n >= BL_SIGNIN_TRIES;
    struct bl_diag ignore;
    bl_diag_clear(&ignore);
    int rc = bl_store_begin(st, &ignore);
    rc = rc ? rc
            : bl_store_user_set_failed(st, org, u->id, lock ? 0 : n,
                                       lock ? now + BL_SIGNIN_LOCK : BL_NO_TIME, &ignore);
    if (!rc && lock)
        rc = bl_app_audit(st, org, now, "user.lock", "user", u->name,
                          json_pack("{s:o}", "locked_until", json_null()),
                          json_pack("{s:o, s:i}", "locked_until",
                                    bl_app_audit_time(now + BL_SIGNIN_LOCK), "wrong_passwords",
                                    BL_SIGNIN_TRIES),
                          &ignore);
    rc = bl_store_end(st, rc, &ignore);
    if (rc) {
        *d = ignore;
        return rc;
    }
    return lock ? locked(res, now + BL_SIGNIN_LOCK, d) : no_match(res, d);
}

/* Checks the password of the user (org, name): BL_OK, or the refusal. */
static int check(struct bl_store *st, int64_t org, const struct bl_app_session_req *req,
                 int64_t now, struct bl_user_row *u, struct bl_app_session_res *res,
                 struct bl_diag *d)
{
    int rc = bl_store_user_get(st, org, req->name, u, d);
    if (rc == BL_ENOTFOUND) {
        /* the same work as for a known name: timing says nothing of which names exist */
        char dummy[crypto_pwhash_STRBYTES];
        if (crypto_pwhash_str(dummy, "x", 1, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
            dummy[0] = '\0';
        return no_match(res, d);
    }
    if (rc)
        return rc;
    if (u->locked_until != BL_NO_TIME && u->locked_until > now)
        return locked(res, u->locked_until, d);
    if (crypto_pwhash_str_verify(u->pw_hash, req->password, strlen(req->password)) != 0)
        return wrong(st, org, u, now, res, d);
    return BL_OK;
}

int bl_app_session_open(struct bl_store *st, const struct bl_app_session_req *req,
                        struct bl_app_session_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    if (sodium_init() < 0)
        return bl_diag_set(d, BL_EIO, "libsodium could not start (no random source)");
    int64_t now = bl_app_now_or(req->now), org = 0;
    if (!req->name || !req->password || strlen(req->password) > BL_PASSWORD_MAX)
        return no_match(res, d);
    int rc = bl_app_org_find(st, req->org ? req->org : "default", &org, d);
    if (rc == BL_ENOTFOUND)
        return no_match(res, d);
    struct bl_user_row u;
    rc = rc ? rc : check(st, org, req, now, &u, res, d);
    if (rc)
        return rc;
    enum bl_app_role role = BL_ROLE_NONE;
    if (bl_app_role_parse(u.role, &role, NULL))
        return no_match(res, d);
    /* the session's audit row names the user who signed in, from where the caller is */
    struct bl_store_actor was = *bl_store_actor(st), a = was;
    snprintf(a.name, sizeof(a.name), "%s", u.name);
    a.user_id = u.id;
    a.token_id = 0;
    bl_store_set_actor(st, &a);
    struct bl_token_row row = {.expires_at = now + BL_SESSION_TTL, .user_id = u.id};
    snprintf(row.role, sizeof(row.role), "%s", u.role);
    snprintf(row.label, sizeof(row.label), "%s", u.name);
    struct bl_app_token_create_res tok;
    rc = bl_store_begin(st, d);
    rc = rc || u.failed == 0 ? rc : bl_store_user_set_failed(st, org, u.id, 0, BL_NO_TIME, d);
    rc = rc ? rc : bl__app_token_add(st, org, &row, now, &tok, d);
    rc = bl_store_end(st, rc, d);
    bl_store_set_actor(st, &was);
    if (rc)
        return rc;
    *res =
        (struct bl_app_session_res){BL_SESSION_OK, org, u.id, tok.id, role, row.expires_at, 0, ""};
    memcpy(res->token, tok.token, sizeof(res->token));
    sodium_memzero(&tok, sizeof(tok));
    return BL_OK;
}

int bl_app_session_close(struct bl_store *st, int64_t org, int64_t token_id, int64_t now,
                         struct bl_diag *d)
{
    now = bl_app_now_or(now);
    struct bl_token_row t;
    bool changed = false;
    int rc = bl_store_begin(st, d);
    rc = rc ? rc : bl_store_token_get(st, org, token_id, &t, d);
    if (!rc && !t.user_id)
        rc = bl_diag_set(d, BL_EINVAL,
                         "this is an API token, not a session: revoke it with 'ballast token "
                         "revoke %lld'",
                         (long long)token_id);
    rc = rc ? rc : bl_store_token_revoke(st, org, token_id, now, &changed, d);
    if (!rc && !changed)
        rc = bl_diag_set(d, BL_ECONFLICT, "the session has ended already");
    rc = rc ? rc
            : bl_app_audit_n(st, org, now, "session.close", "token", token_id,
                             json_pack("{s:o}", "revoked_at", json_null()),
                             json_pack("{s:o}", "revoked_at", bl_app_audit_time(now)), d);
    return bl_store_end(st, rc, d);
}
