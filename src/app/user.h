/* user.h - users, their sign-ins (sessions), and the marketplaces that govern merchant
 * organisations (docs/api.md, "Users and sessions", "Platform operators").
 *
 * A user belongs to one organisation and has a role (token.h: viewer, operator, admin,
 * platform). The store keeps libsodium's crypto_pwhash_str of the password (Argon2id, the
 * interactive limits), never the password. Signing in (bl_app_session_open) checks it and
 * issues a short-lived API token linked to the user (a session, BL_SESSION_TTL): the API
 * treats it as any token of that role, and the audit log names the user.
 *
 * Lockout: BL_SIGNIN_TRIES wrong passwords in a row lock the name for BL_SIGNIN_LOCK
 * seconds, during which even the right password is refused (BL_SESSION_LOCKED, with when
 * it ends); a success clears the count. Unknown organisations, unknown names and wrong
 * passwords are refused alike (BL_SESSION_NO_MATCH), so a caller learns nothing of which
 * names exist.
 *
 * A marketplace organisation governs merchant organisations (bl_app_org_govern): its
 * platform tokens and users see them (bl_app_merchants) and act on one of them as an
 * operator (bl_app_org_governed resolves the name); a merchant is governed by at most one
 * marketplace.
 *
 * Ownership: results are fixed-size, but the lists', released with their _release.
 */
#ifndef BL_APP_USER_H
#define BL_APP_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/token.h"
#include "ballast/alloc.h"
#include "store/audit.h"

#define BL_SESSION_TTL (12 * 3600) /* a session token's life, seconds */
#define BL_SIGNIN_TRIES 5          /* wrong passwords in a row before the lock */
#define BL_SIGNIN_LOCK (15 * 60)   /* the lock's length, seconds */
#define BL_PASSWORD_MIN 10         /* bytes of a password chosen by a person */
#define BL_PASSWORD_MAX 256
#define BL_PASSWORD_TEXT 48 /* room for a generated password and its NUL */

/* A user's name: 1 to 64 bytes of letters, digits and . _ @ -; else BL_EINVAL (field
 * "name"). */
int bl_app_user_name_check(const char *name, struct bl_diag *d) BL_MUST_CHECK;

struct bl_app_user_req {
    const char *name;
    enum bl_app_role role; /* add only */
    const char *password;  /* NULL: generate one (returned in res, shown once) */
    int64_t now;           /* 0: the clock */
};

struct bl_app_user_res {
    int64_t id;
    char password[BL_PASSWORD_TEXT]; /* the generated password, "" when one was given */
    int64_t sessions_ended;          /* passwd, remove: session tokens revoked */
};

/* Adds user req->name of org. BL_EEXISTS when org has that name; BL_EINVAL (field) for a
 * bad name, role or password. */
int bl_app_user_add(struct bl_store *st, int64_t org, const struct bl_app_user_req *req,
                    struct bl_app_user_res *res, struct bl_diag *d) BL_MUST_CHECK;
/* A new password for user req->name (its sessions end, its lock is lifted). */
int bl_app_user_passwd(struct bl_store *st, int64_t org, const struct bl_app_user_req *req,
                       struct bl_app_user_res *res, struct bl_diag *d) BL_MUST_CHECK;
/* Removes user req->name (its sessions end). BL_ENOTFOUND when there is none. */
int bl_app_user_remove(struct bl_store *st, int64_t org, const struct bl_app_user_req *req,
                       struct bl_app_user_res *res, struct bl_diag *d) BL_MUST_CHECK;

/* A user's language for the dashboard (and what it asks of the server), one of those
 * the dashboard is written in: "en", "zh-CN"; NULL clears it. BL_EINVAL (field
 * "language") for another. */
int bl_app_user_language_check(const char *language, struct bl_diag *d) BL_MUST_CHECK;
/* Sets user user_id's language (org: the user's own organisation), audited as
 * "user.language" with the language before and after; BL_ENOTFOUND for no such user. */
int bl_app_user_language_set(struct bl_store *st, int64_t org, int64_t user_id,
                             const char *language, int64_t now, struct bl_diag *d) BL_MUST_CHECK;
/* User user_id's language into out (cap bytes), "" when none was chosen. */
int bl_app_user_language(struct bl_store *st, int64_t org, int64_t user_id, char *out, size_t cap,
                         struct bl_diag *d) BL_MUST_CHECK;

struct bl_app_user_list_res {
    struct bl_user_row *users; /* by name; pw_hash emptied */
    size_t n, cap;
};
int bl_app_user_list(struct bl_store *st, int64_t org, struct bl_app_user_list_res *res,
                     struct bl_diag *d) BL_MUST_CHECK;
void bl_app_user_list_res_release(struct bl_app_user_list_res *res);

/* ---- sessions ---- */

enum bl_app_session_reason {
    BL_SESSION_OK = 0,
    BL_SESSION_NO_MATCH, /* no such organisation or user, or not the password */
    BL_SESSION_LOCKED,   /* too many wrong passwords: refused until res->locked_until */
};

struct bl_app_session_req {
    const char *org; /* the organisation's name (NULL: "default") */
    const char *name;
    const char *password;
    int64_t now; /* 0: the clock */
};

struct bl_app_session_res {
    enum bl_app_session_reason reason;
    int64_t org, user_id, token_id;
    enum bl_app_role role;
    int64_t expires_at;
    int64_t locked_until;      /* LOCKED: when the lock ends */
    char token[BL_TOKEN_TEXT]; /* OK: the bearer token, shown once */
};

/* Signs user req->name of organisation req->org in. BL_OK with a session token, or
 * BL_ENOTFOUND (NO_MATCH) or BL_ECONFLICT (LOCKED) with d set; a wrong
 * password is counted (committed) before the refusal. */
int bl_app_session_open(struct bl_store *st, const struct bl_app_session_req *req,
                        struct bl_app_session_res *res, struct bl_diag *d) BL_MUST_CHECK;
/* Ends session token_id of org (revokes it). BL_EINVAL when the token is not a
 * session's (an API token is revoked with bl_app_token_revoke). */
int bl_app_session_close(struct bl_store *st, int64_t org, int64_t token_id, int64_t now,
                         struct bl_diag *d) BL_MUST_CHECK;

/* ---- marketplaces and merchants ---- */

/* Marketplace `by` governs merchant `merchant` (both organisation names) from now on;
 * release: no longer. BL_ENOTFOUND for an unknown name; BL_EINVAL for an organisation
 * governing itself; BL_ECONFLICT when another marketplace governs the merchant already.
 * The audit row is the marketplace's. */
int bl_app_org_govern(struct bl_store *st, const char *merchant, const char *by, bool release,
                      int64_t now, struct bl_diag *d) BL_MUST_CHECK;

struct bl_app_merchant {
    int64_t org;
    const char *name;
};
struct bl_app_merchants_res {
    struct bl_app_merchant *items; /* by name; names in arena */
    size_t n, cap;
    struct bl_arena arena;
};
/* The merchant organisations org governs. */
int bl_app_merchants(struct bl_store *st, int64_t org, struct bl_app_merchants_res *res,
                     struct bl_diag *d) BL_MUST_CHECK;
void bl_app_merchants_res_release(struct bl_app_merchants_res *res);
/* The merchant called name that org governs, into *merchant: BL_ENOTFOUND when org
 * governs no organisation of that name (an unknown one alike). */
int bl_app_org_governed(struct bl_store *st, int64_t org, const char *name, int64_t *merchant,
                        struct bl_diag *d) BL_MUST_CHECK;

#endif
