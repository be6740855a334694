/* upload_key.c - an upload's Idempotency-Key (docs/internals/api.md, "Uploads"): read
 * before the body, claimed in the upload's turn on its connection, its answer kept with
 * the body's hash once the body has ended, or replayed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/upload_impl.h"

/* The key, in the upload's turn on its connection: 0 (claimed, or a replay answered once
 * the body has arrived), or the answer's status. */
unsigned bl__upload_claim_key(struct bl__api_upload *up)
{
    struct bl__api_call *c = &up->call;
    if (up->key != KEY_ASKED)
        return 0;
    struct bl_diag d;
    bl_diag_clear(&d);
    int64_t lease = (int64_t)up->srv->opts.upload_timeout_s + BL__API_IDEM_RUN;
    int rc =
        bl_app_idem_begin_stream(c->st, c->org, c->idem_key, up->op, c->now, lease, &up->seen, &d);
    enum key_state k = KEY_NONE;
    unsigned st = 0;
    if (rc)
        st = bl__api_fail(c, rc, &d);
    else if (up->seen.state == BL_IDEM_MISMATCH)
        st = bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "idempotency_key_reused",
                           "Idempotency-Key", "this Idempotency-Key was used for another request");
    else if (up->seen.state == BL_IDEM_BUSY)
        st = bl__api_error(c, MHD_HTTP_CONFLICT, "idempotency_key_in_use", "Idempotency-Key",
                           "a request with this Idempotency-Key is running: retry later");
    else
        k = up->seen.state == BL_IDEM_REPLAY ? KEY_REPLAY : KEY_CLAIMED;
    pthread_mutex_lock(&up->lock);
    up->key = k; /* a replay: the rest of the body is only hashed */
    pthread_mutex_unlock(&up->lock);
    return st;
}

unsigned bl__upload_ask_key(struct bl__api_upload *up, struct MHD_Connection *conn)
{
    struct bl__api_call *c = &up->call;
    const char *key = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Idempotency-Key");
    if (!key)
        return 0;
    c->idem_key = bl_arena_strndup(&c->arena, key, strlen(key));
    if (!c->idem_key)
        return bl__api_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out_of_memory", NULL,
                             "out of memory");
    up->key = KEY_ASKED;
    return 0;
}

/* The answer kept for the Idempotency-Key, or the key given back when nothing was
 * created for good (the client went away, the body was too large, a server error). */
void bl__upload_keep_answer(struct bl__api_upload *up, unsigned status, bool aborted)
{
    struct bl__api_call *c = &up->call;
    struct bl_diag d;
    bl_diag_clear(&d);
    char *text = !aborted && !up->too_big && status < 500 && c->out
                     ? json_dumps(c->out, JSON_COMPACT | JSON_REAL_PRECISION(12))
                     : NULL;
    int rc = text ? bl_app_idem_done_stream(c->st, c->org, c->idem_key, status, bl_str_c(text),
                                            up->body_hash, &d)
                  : bl_app_idem_abandon(c->st, c->org, c->idem_key, &d);
    free(text);
    c->store_error = c->store_error || rc != 0;
}

/* The answer kept for the key once the whole body's hash is known, or the key given back
 * (aborted). wait: until the body has arrived or the client went away; else only if so. */
void bl__upload_keep_when_ended(struct bl__api_upload *up, unsigned status, bool wait)
{
    pthread_mutex_lock(&up->lock);
    while (wait && !up->eof && !up->aborted)
        pthread_cond_wait(&up->cond, &up->lock); /* the key needs the whole body's hash */
    bool ended = up->eof || up->aborted, aborted = up->aborted;
    pthread_mutex_unlock(&up->lock);
    if (!ended || up->key != KEY_CLAIMED || !up->call.st)
        return;
    bl__upload_keep_answer(up, status, aborted);
    up->key = KEY_NONE; /* kept */
}

/* A retried request with the same key: the earlier answer if the body is the same. */
unsigned bl__upload_replay(struct bl__api_upload *up)
{
    struct bl__api_call *c = &up->call;
    if (up->too_big)
        return bl__api_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "too_large", "body",
                             "the body is larger than %llu bytes (the server's --max-upload)",
                             (unsigned long long)up->srv->opts.max_upload);
    if (memcmp(up->seen.hash, up->body_hash, BL_IDEM_HASH) != 0)
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "idempotency_key_reused",
                             "Idempotency-Key",
                             "this Idempotency-Key was used for another request");
    return bl__api_json(c, (unsigned)up->seen.status, json_loads(up->seen.body, 0, NULL));
}
