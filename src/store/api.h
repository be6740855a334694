/* api.h - what the HTTP API keeps (store family "api": tables api_token and api_idem).
 *
 * api_token: a token's role and the hash of its secret, never the secret. api_idem: the
 * Idempotency-Key of a POST with the response it gave. Every query filters by org_id.
 *
 * Ownership: strings given to the store are borrowed for the call; strings handed to a
 * callback are valid during the call only; the fixed-size rows are the caller's. */
#ifndef BL_STORE_API_H
#define BL_STORE_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/store.h"

#define BL_TOKEN_HASH 32 /* bytes of crypto_generichash over the secret */

#ifndef BL_NO_TIME
#define BL_NO_TIME INT64_MIN
#endif

struct bl_token_row {
    int64_t id;
    char role[16];
    unsigned char hash[BL_TOKEN_HASH];
    char label[128];
    int64_t created_at, expires_at, revoked_at; /* BL_NO_TIME: never expires, not revoked */
    int64_t user_id; /* a session's user (app_user.id); 0: a plain API token */
};

/* Adds token row->id (allocate it with bl_store_next_ids(st, org, "api_token", ...) in the
 * same transaction). */
int bl_store_token_add(struct bl_store *st, int64_t org, const struct bl_token_row *row,
                       struct bl_diag *d) BL_MUST_CHECK;
/* Token id of org into *out: BL_ENOTFOUND when there is none. */
int bl_store_token_get(struct bl_store *st, int64_t org, int64_t id, struct bl_token_row *out,
                       struct bl_diag *d) BL_MUST_CHECK;
/* Org's tokens by id (fn's nonzero return stops and is returned; the row is valid during
 * the call). */
typedef int (*bl_token_fn)(void *ctx, const struct bl_token_row *t);
int bl_store_token_list(struct bl_store *st, int64_t org, bl_token_fn fn, void *ctx,
                        struct bl_diag *d) BL_MUST_CHECK;
/* Sets revoked_at of token id to at if it is not revoked; *changed: whether it was. */
int bl_store_token_revoke(struct bl_store *st, int64_t org, int64_t id, int64_t at, bool *changed,
                          struct bl_diag *d) BL_MUST_CHECK;

struct bl_idem_row {
    const char *route;      /* "POST /api/v1/disruptions" */
    struct bl_str req_hash; /* of the request's body */
    int64_t status;         /* the HTTP status answered; 0: the request is still running */
    const char *body;       /* the response's body, NULL while running */
    int64_t created_at;
    int64_t lease_until; /* while running: after this, a retry may take the claim over */
};

/* Claims key for a request (status 0) unless org has it already: *claimed says whether
 * this call did. */
int bl_store_idem_claim(struct bl_store *st, int64_t org, const char *key,
                        const struct bl_idem_row *row, bool *claimed,
                        struct bl_diag *d) BL_MUST_CHECK;
/* Takes key over for a request (row) when the request holding it is still running past
 * its lease_until (it died: a crash, a killed server) and lease_until < row->created_at;
 * *taken says whether this call did (only one of two racing callers does). */
int bl_store_idem_retake(struct bl_store *st, int64_t org, const char *key,
                         const struct bl_idem_row *row, bool *taken,
                         struct bl_diag *d) BL_MUST_CHECK;
/* The request that holds key: fn called with it (not called when there is none). */
typedef int (*bl_idem_fn)(void *ctx, const struct bl_idem_row *r);
int bl_store_idem_get(struct bl_store *st, int64_t org, const char *key, bl_idem_fn fn, void *ctx,
                      struct bl_diag *d) BL_MUST_CHECK;
/* Records the response of the request holding key. */
int bl_store_idem_finish(struct bl_store *st, int64_t org, const char *key, int64_t status,
                         struct bl_str body, struct bl_diag *d) BL_MUST_CHECK;
/* Records the response of the request holding key and the hash of its body (a streamed
 * body: the hash is known only once it has arrived). */
int bl_store_idem_finish_hash(struct bl_store *st, int64_t org, const char *key, int64_t status,
                              struct bl_str body, struct bl_str req_hash,
                              struct bl_diag *d) BL_MUST_CHECK;
/* Gives key back (the request failed before creating anything). */
int bl_store_idem_drop(struct bl_store *st, int64_t org, const char *key,
                       struct bl_diag *d) BL_MUST_CHECK;

#endif
