/* audit.h - the audit log, users and the marketplaces' merchants (store family "audit":
 * tables audit, app_user, org_govern; docs/internals/audit.md).
 *
 * audit: one row per change, with the connection's actor (bl_store_actor) as who. It is
 * written by the use case that makes the change, in that change's transaction, so a
 * change that rolls back leaves no row. app_user: a user's role and password hash (never
 * the password) and the failed sign-ins that lock it. org_govern: which merchant
 * organisations a marketplace organisation governs. Every query filters by org_id.
 *
 * Ownership: strings given to the store are borrowed for the call; rows handed to a
 * callback are valid during the call only; fixed-size rows are the caller's. */
#ifndef BL_STORE_AUDIT_H
#define BL_STORE_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/store.h"

#ifndef BL_NO_TIME
#define BL_NO_TIME INT64_MIN
#endif

struct bl_audit_row {
    int64_t id, at;
    const char *actor, *via, *source; /* source "" unknown */
    int64_t user_id, token_id;        /* 0: none */
    const char *action;               /* "disruption.declare" */
    const char *object_kind;          /* "disruption" */
    const char *object_id;            /* "4"; NULL when the change has no single object */
    const char *before, *after;       /* JSON text; NULL: none */
};

/* Adds one row at `at` for org with the connection's actor (the row's actor fields are
 * ignored): its id from bl_store_next_ids(st, org, "audit", ...). Inside the change's
 * transaction. */
int bl_store_audit_add(struct bl_store *st, int64_t org, const struct bl_audit_row *row,
                       struct bl_diag *d) BL_MUST_CHECK;

struct bl_audit_filter {
    int64_t before_id;  /* only rows with a smaller id (0: from the newest) */
    int64_t since;      /* BL_NO_TIME or at >= since */
    int64_t until;      /* BL_NO_TIME or at < until */
    const char *actor;  /* NULL or exactly this actor */
    const char *action; /* NULL, "disruption.lift", or "disruption" (every disruption.*) */
    int64_t limit;      /* at most this many rows (1..) */
};
/* Org's rows, newest first, that pass f (fn's nonzero return stops and is returned). */
typedef int (*bl_audit_fn)(void *ctx, const struct bl_audit_row *r);
int bl_store_audit_list(struct bl_store *st, int64_t org, const struct bl_audit_filter *f,
                        bl_audit_fn fn, void *ctx, struct bl_diag *d) BL_MUST_CHECK;

/* ---- users ---- */

struct bl_user_row {
    int64_t id;
    char name[128];
    char role[16];
    char pw_hash[128]; /* crypto_pwhash_str's text (crypto_pwhash_STRBYTES is 128) */
    int64_t created_at;
    int64_t failed;       /* failed sign-ins since the last success */
    int64_t locked_until; /* BL_NO_TIME: not locked */
    char language[16];    /* the dashboard's language chosen ("zh-CN"), "" when none */
};

int bl_store_user_add(struct bl_store *st, int64_t org, const struct bl_user_row *u,
                      struct bl_diag *d) BL_MUST_CHECK;
/* User `name` of org into *out: BL_ENOTFOUND when there is none. */
int bl_store_user_get(struct bl_store *st, int64_t org, const char *name, struct bl_user_row *out,
                      struct bl_diag *d) BL_MUST_CHECK;
typedef int (*bl_user_fn)(void *ctx, const struct bl_user_row *u);
int bl_store_user_list(struct bl_store *st, int64_t org, bl_user_fn fn, void *ctx,
                       struct bl_diag *d) BL_MUST_CHECK;
int bl_store_user_remove(struct bl_store *st, int64_t org, int64_t id,
                         struct bl_diag *d) BL_MUST_CHECK;
int bl_store_user_set_hash(struct bl_store *st, int64_t org, int64_t id, const char *pw_hash,
                           struct bl_diag *d) BL_MUST_CHECK;
/* User id's language: a tag ("zh-CN"), or NULL for none. */
int bl_store_user_set_language(struct bl_store *st, int64_t org, int64_t id, const char *language,
                               struct bl_diag *d) BL_MUST_CHECK;
/* User id of org into *out: BL_ENOTFOUND when there is none. */
int bl_store_user_by_id(struct bl_store *st, int64_t org, int64_t id, struct bl_user_row *out,
                        struct bl_diag *d) BL_MUST_CHECK;
/* The failed count and the lock of user id (a success: 0 and BL_NO_TIME). */
int bl_store_user_set_failed(struct bl_store *st, int64_t org, int64_t id, int64_t failed,
                             int64_t locked_until, struct bl_diag *d) BL_MUST_CHECK;
/* Revokes at `at` every unrevoked token issued to user id (its sessions). */
int bl_store_user_tokens_revoke(struct bl_store *st, int64_t org, int64_t id, int64_t at,
                                struct bl_diag *d) BL_MUST_CHECK;

/* ---- marketplaces and their merchants ---- */

/* Marketplace org governs merchant from now on (*added false: it did already). */
int bl_store_govern_add(struct bl_store *st, int64_t org, int64_t merchant, int64_t at, bool *added,
                        struct bl_diag *d) BL_MUST_CHECK;
int bl_store_govern_remove(struct bl_store *st, int64_t org, int64_t merchant, bool *removed,
                           struct bl_diag *d) BL_MUST_CHECK;
/* The merchant organisations org governs, by name: fn(ctx, id, name). */
typedef int (*bl_govern_fn)(void *ctx, int64_t id, const char *name);
int bl_store_govern_list(struct bl_store *st, int64_t org, bl_govern_fn fn, void *ctx,
                         struct bl_diag *d) BL_MUST_CHECK;
/* The organisation that governs merchant, into *market (0: none). */
int bl_store_governed_by(struct bl_store *st, int64_t merchant, int64_t *market,
                         struct bl_diag *d) BL_MUST_CHECK;

#endif
