/* idem.h - Idempotency-Key: a retried POST creates nothing twice.
 *
 * The front end calls bl_app_idem_begin before the use case that creates something.
 * NEW: the key is now this request's (status 0 in api_idem); run the use case, then
 * bl_app_idem_done with the response (any status: a refused request answers the same
 * refusal when retried) or, when it failed before creating anything and may be tried
 * again as it is (the store was unreachable), bl_app_idem_abandon. REPLAY: the same
 * request was answered before: res holds that answer (status, body). MISMATCH: the key
 * was used for another request (another route or body). BUSY: the same request is
 * running now.
 *
 * Ownership: res->body is malloc'd; bl_app_idem_res_release frees it.
 */
#ifndef BL_APP_IDEM_H
#define BL_APP_IDEM_H

#include <stddef.h>
#include <stdint.h>

#include "ballast/app.h"
#include "ballast/str.h"
#include "store/api.h"

#define BL_IDEM_KEY_MAX 200 /* bytes of a key: printable ASCII, 1 to 200 */
#define BL_IDEM_HASH 32     /* bytes of a body's hash (bl_app_idem_hash) */

enum bl_app_idem_state { BL_IDEM_NEW = 0, BL_IDEM_REPLAY, BL_IDEM_MISMATCH, BL_IDEM_BUSY };

struct bl_app_idem_res {
    enum bl_app_idem_state state;
    int64_t status; /* REPLAY: the status answered */
    char *body;     /* REPLAY: the body answered (NUL-terminated) */
    unsigned char hash[BL_IDEM_HASH]; /* REPLAY of a streamed body: that request's body hash */
};

/* key: as the client sent it (BL_EINVAL, field "Idempotency-Key", when it is empty, too
 * long or not printable ASCII); route names the operation ("POST /api/v1/cycles"); body
 * is the request's body, compared by its hash. */
int bl_app_idem_begin(struct bl_store *st, int64_t org, const char *key, const char *route,
                      struct bl_str body, int64_t now, int64_t lease_s,
                      struct bl_app_idem_res *res, struct bl_diag *d) BL_MUST_CHECK;
int bl_app_idem_done(struct bl_store *st, int64_t org, const char *key, int64_t status,
                     struct bl_str body, struct bl_diag *d) BL_MUST_CHECK;
int bl_app_idem_abandon(struct bl_store *st, int64_t org, const char *key,
                        struct bl_diag *d) BL_MUST_CHECK;
void bl_app_idem_res_release(struct bl_app_idem_res *res);

/* A streamed body (an upload, read as it arrives): its hash is known only at the end.
 * bl_app_idem_begin_stream claims the key as bl_app_idem_begin does, without a hash; a
 * REPLAY (the route matched) gives the earlier body's hash in res->hash, for the caller
 * to compare with this body's once it has arrived (same: replay; else: the key was used
 * for another request). bl_app_idem_done_stream records the answer with the body's
 * hash. The hash of a body: bl_app_idem_hash_init with the route, _update with each
 * piece, _final (the same hash bl_app_idem_begin takes of a whole body). */
int bl_app_idem_begin_stream(struct bl_store *st, int64_t org, const char *key,
                             const char *route, int64_t now, int64_t lease_s,
                             struct bl_app_idem_res *res, struct bl_diag *d) BL_MUST_CHECK;
int bl_app_idem_done_stream(struct bl_store *st, int64_t org, const char *key, int64_t status,
                            struct bl_str body, const unsigned char hash[BL_IDEM_HASH],
                            struct bl_diag *d) BL_MUST_CHECK;
struct bl_app_idem_hash {
    _Alignas(64) unsigned char state[384]; /* libsodium's crypto_generichash_state */
};
void bl_app_idem_hash_init(struct bl_app_idem_hash *h, const char *route);
void bl_app_idem_hash_update(struct bl_app_idem_hash *h, const void *p, size_t n);
void bl_app_idem_hash_final(struct bl_app_idem_hash *h, unsigned char out[BL_IDEM_HASH]);

#endif
