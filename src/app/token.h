/* token.h - API tokens: who may call the HTTP API, for which organisation, in which role.
 *
 * A token is shown once, when created: "blt_<org>_<id>_<secret>", the secret 32 random
 * bytes in unpadded base64url. The store keeps only crypto_generichash of the secret;
 * bl_app_token_auth compares hashes with sodium_memcmp (constant time). The organisation
 * and the token's id in the text only say which row to compare with: a token whose
 * secret does not match is refused like one that does not exist.
 *
 * Roles, each allowing what the one below it does: viewer (reads), operator (declares
 * disruptions, approves, runs cycles), admin (settings, tokens, users, the audit log),
 * platform (on a marketplace organisation: its merchants too; see user.h).
 *
 * The shapes of docs/internals/app.md: results own nothing (fixed fields), except the
 * list's, released with bl_app_token_list_res_release.
 */
#ifndef BL_APP_TOKEN_H
#define BL_APP_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/app.h"
#include "store/api.h"

enum bl_app_role {
    BL_ROLE_NONE = 0, /* no token needed (liveness, readiness, metrics, the document) */
    BL_ROLE_VIEWER,
    BL_ROLE_OPERATOR,
    BL_ROLE_ADMIN,
    BL_ROLE_PLATFORM, /* a marketplace's operator: its own organisation as an admin, and the
                         merchant organisations it governs as an operator (audit.h) */
};

/* "viewer", "operator", "admin", "platform" ("none" for BL_ROLE_NONE). */
const char *bl_app_role_name(enum bl_app_role r);
/* The role called name: BL_EINVAL (d: field "role", what is expected) when none is. */
int bl_app_role_parse(const char *name, enum bl_app_role *out, struct bl_diag *d) BL_MUST_CHECK;

#define BL_TOKEN_TEXT 128 /* room for a token's text and its NUL */

struct bl_app_token_create_req {
    enum bl_app_role role;
    int64_t expires_at; /* BL_NO_TIME: never */
    const char *label;  /* NULL or "": none; at most 127 bytes */
    int64_t now;        /* 0: the clock */
};

struct bl_app_token_create_res {
    int64_t id;
    char token[BL_TOKEN_TEXT]; /* the only time the secret exists outside the caller */
};

/* Creates a token of org. BL_EINVAL (d->field) for an expiry not after now, a label too
 * long, or the platform role on an organisation that governs no merchant. */
int bl_app_token_create(struct bl_store *st, int64_t org, const struct bl_app_token_create_req *req,
                        struct bl_app_token_create_res *res, struct bl_diag *d) BL_MUST_CHECK;

struct bl_app_token_list_res {
    struct bl_token_row *tokens; /* by id; the hash is there but never shown */
    size_t n, cap;
};

int bl_app_token_list(struct bl_store *st, int64_t org, struct bl_app_token_list_res *res,
                      struct bl_diag *d) BL_MUST_CHECK;
void bl_app_token_list_res_release(struct bl_app_token_list_res *res);

enum bl_app_token_reason {
    BL_TOKEN_OK = 0,
    BL_TOKEN_UNKNOWN,   /* revoke: no such token in this organisation */
    BL_TOKEN_ALREADY,   /* revoke: revoked before, at res->revoked_at */
    BL_TOKEN_MALFORMED, /* auth: not a token's text */
    BL_TOKEN_NO_MATCH,  /* auth: no such token, or not its secret */
    BL_TOKEN_EXPIRED,   /* auth: expired at res->at */
    BL_TOKEN_REVOKED,   /* auth: revoked at res->at */
};

struct bl_app_token_revoke_res {
    enum bl_app_token_reason reason;
    int64_t revoked_at;
};

/* Revokes token id of org from now on (req now 0: the clock). BL_ENOTFOUND (UNKNOWN) or
 * BL_EEXISTS (ALREADY) with d set. */
int bl_app_token_revoke(struct bl_store *st, int64_t org, int64_t id, int64_t now,
                        struct bl_app_token_revoke_res *res, struct bl_diag *d) BL_MUST_CHECK;

struct bl_app_token_auth_res {
    enum bl_app_token_reason reason;
    int64_t org, id; /* OK: whose token it is */
    enum bl_app_role role;
    int64_t at;      /* EXPIRED, REVOKED: when */
    char label[128]; /* OK: the token's label, "" when it has none (a session's: its user) */
    int64_t user_id; /* OK: a session's user, 0 for a plain API token */
    int64_t expires_at; /* OK: when it expires (BL_NO_TIME: never), for a front end that
                           keeps the answer for a while (the server's token cache) */
};

/* Who the token text (length n, untrusted) is, at now. BL_OK with res->reason OK, or
 * BL_EPARSE (MALFORMED) / BL_ENOTFOUND (NO_MATCH, EXPIRED, REVOKED) with d set; other
 * errors are the store's. */
int bl_app_token_auth(struct bl_store *st, const char *text, size_t n, int64_t now,
                      struct bl_app_token_auth_res *res, struct bl_diag *d) BL_MUST_CHECK;

/* Internal to src/app (user.c): adds a token of org for row (role, label, expiry, user)
 * inside the caller's transaction, with its audit row; res gets its id and text. */
int bl__app_token_add(struct bl_store *st, int64_t org, struct bl_token_row *row, int64_t now,
                      struct bl_app_token_create_res *res, struct bl_diag *d) BL_MUST_CHECK;
/* Whether org may hold role: platform only on an organisation that governs merchants. */
int bl__app_role_allowed(struct bl_store *st, int64_t org, enum bl_app_role role,
                         struct bl_diag *d) BL_MUST_CHECK;

#endif
