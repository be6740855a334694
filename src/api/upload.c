/* upload.c - a request body streamed to its handler as it arrives (BL_ROUTE_STREAM: POST
 * /api/v1/orders; docs/internals/api.md, "Uploads").
 *
 * libmicrohttpd pushes the body in pieces; the importer pulls it (a struct
 * bl_csv_source). Between them a ring of RING bytes: the request's thread copies a piece
 * in, and when the ring is full suspends its connection (MHD_suspend_connection) until
 * the importer has made room, so a worker thread never blocks and memory stays RING
 * bytes per upload whatever the body's size. The token, the query and the key are
 * checked on a worker's connection before the body is read; the handler runs on a
 * thread of its own (one per upload). Uploads take turns (upload_gate: one for all on
 * SQLite, per organisation on PostgreSQL): each is one transaction that holds the store's
 * write lock (SQLite) or the organisation's (PostgreSQL) until it commits, on an upload
 * connection taken when its turn comes (kept for the next upload, its page cache warm;
 * never one of the workers').
 *
 * The answer is queued once the body has arrived and the handler has answered: an
 * import that fails early (a bad line 3) still reads the rest of the body, then answers.
 * A client that goes away (on_completed without success) makes the importer's next read
 * fail, and the import rolls back. The Idempotency-Key is claimed in the upload's turn,
 * on its connection, before it imports (SQLite: the running upload holds the write lock
 * until it commits, so a claim made beside it, on a worker's connection, waited up to the
 * busy timeout and then failed with 503: since 2026-12-07 it waits for its turn instead);
 * the body's hash, computed as the pieces arrive, is recorded after the body, in the same
 * turn when the body has arrived by then.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <microhttpd.h>

#include "api/upload_impl.h"

/* ---- the store connections of uploads ---- */

static struct bl_store *store_take(struct bl__api_server *s, struct bl_diag *d)
{
    pthread_mutex_lock(&s->lock);
    struct bl_store *st = s->nupload_st ? s->upload_st[--s->nupload_st] : NULL;
    pthread_mutex_unlock(&s->lock);
    if (!st && bl_store_open(&st, s->opts.db_url, d))
        return NULL;
    bl__api_ckpt_watch(s->ckpt, st); /* its commits leave the checkpoints to s->ckpt */
    return st;
}

static void store_give(struct bl__api_server *s, struct bl_store *st, bool broken)
{
    if (!st)
        return;
    pthread_mutex_lock(&s->lock);
    size_t keep = s->opts.threads < 64 ? s->opts.threads : 64;
    bool kept = !broken && s->nupload_st < keep;
    if (kept)
        s->upload_st[s->nupload_st++] = st;
    pthread_mutex_unlock(&s->lock);
    if (!kept)
        bl_store_close(st);
}

void bl__api_upload_close_all(struct bl__api_server *s)
{
    for (size_t i = 0; i < s->nupload_st; i++)
        bl_store_close(s->upload_st[i]);
    s->nupload_st = 0;
}

/* ---- the upload's life ---- */

static void put(struct bl__api_upload *up)
{
    pthread_mutex_lock(&up->lock);
    int left = --up->refs;
    pthread_mutex_unlock(&up->lock);
    if (left)
        return;
    pthread_cond_destroy(&up->cond);
    pthread_mutex_destroy(&up->lock);
    json_decref(up->call.out);
    bl_buf_release(&up->call.text);
    bl_arena_release(&up->call.arena);
    bl_app_idem_res_release(&up->seen);
    bl_free(up->ring);
    bl_free(up);
}

/* Lets the connection go on (under up->lock): it waited for room or for the answer. */
static void wake(struct bl__api_upload *up)
{
    if (up->suspended && !up->aborted) {
        up->suspended = false;
        MHD_resume_connection(up->conn);
    }
}

/* The importer's reads (struct bl_csv_source). */
static ptrdiff_t source_read(void *ctx, void *dst, size_t cap, char *why, size_t whycap)
{
    struct bl__api_upload *up = ctx;
    pthread_mutex_lock(&up->lock);
    while (!up->len && !up->eof && !up->aborted && !up->too_big)
        pthread_cond_wait(&up->cond, &up->lock);
    ptrdiff_t n;
    if (up->too_big) {
        snprintf(why, whycap, "the body is larger than %llu bytes (the server's --max-upload)",
                 (unsigned long long)up->srv->opts.max_upload);
        n = BL_ETOOBIG;
    } else if (up->aborted) {
        snprintf(why, whycap, "the client went away before the whole body arrived");
        n = BL_EINTERRUPTED;
    } else {
        size_t k = up->len < cap ? up->len : cap;
        size_t first = RING - up->head < k ? RING - up->head : k;
        memcpy(dst, up->ring + up->head, first);
        memcpy((char *)dst + first, up->ring, k - first);
        up->head = (up->head + k) % RING;
        up->len -= k;
        n = (ptrdiff_t)k;
        if (!up->eof)
            wake(up); /* it waited for room */
    }
    pthread_mutex_unlock(&up->lock);
    return n;
}

void bl__api_upload_feed(struct bl__api_upload *up, const char *data, size_t *size)
{
    pthread_mutex_lock(&up->lock);
    size_t n = *size;
    if (up->bytes + n > up->srv->opts.max_upload)
        up->too_big = true;
    if (up->too_big || up->draining || up->key == KEY_REPLAY) {
        if (!up->too_big && up->key != KEY_NONE)
            bl_app_idem_hash_update(&up->hash, data, n);
        up->bytes += n;
        *size = 0;
        pthread_cond_broadcast(&up->cond);
        pthread_mutex_unlock(&up->lock);
        return;
    }
    size_t k = RING - up->len < n ? RING - up->len : n;
    size_t tail = (up->head + up->len) % RING;
    size_t first = RING - tail < k ? RING - tail : k;
    memcpy(up->ring + tail, data, first);
    memcpy(up->ring, data + first, k - first);
    up->len += k;
    up->bytes += k;
    if (up->key != KEY_NONE) /* the body's hash serves the Idempotency-Key only */
        bl_app_idem_hash_update(&up->hash, data, k);
    *size = n - k;
    if (*size) { /* full: wait for the importer to make room */
        up->suspended = true;
        MHD_suspend_connection(up->conn);
    }
    if (!up->whole || up->len == RING) /* else not woken for every piece */
        pthread_cond_broadcast(&up->cond);
    pthread_mutex_unlock(&up->lock);
}

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *importer(void *arg)
{
    struct bl__api_upload *up = arg;
    struct bl__api_server *s = up->srv;
    struct bl__api_call *c = &up->call;
    struct bl__api_turns *gate = bl__upload_gate_of(s, c->org);
    double asked = mono_s();
    uint64_t ticket = bl__upload_turn_ticket(gate);
    unsigned ahead = bl__upload_read_ahead(up, gate, ticket);
    bl__upload_turn_wait(gate, ticket); /* uploads take turns; then a warm connection */
    double given = mono_s();
    struct bl_diag d;
    bl_diag_clear(&d);
    c->st = ahead ? NULL : store_take(s, &d);
    if (c->st && bl__api_ckpt_turn(s->ckpt, c->st, &d)) { /* only costs the log's length */
        fprintf(stderr, "ballast: checkpointing the write-ahead log: %s\n", d.msg);
        bl_diag_clear(&d);
    }
    unsigned status = ahead   ? ahead
                      : c->st ? bl__upload_claim_key(up)
                              : bl__api_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "store_unavailable",
                                              NULL, "the store does not answer: %s", d.msg);
    if (!status && up->key != KEY_REPLAY)
        status = c->route->fn(c);
    bl_csv_close(c->import_ahead);
    c->import_ahead = NULL;
    c->store_error = c->store_error || (!c->st && !ahead);
    pthread_mutex_lock(&up->lock);
    up->draining = true; /* the rest of the body is read, hashed and dropped */
    up->len = 0;
    if (!up->eof)
        wake(up);
    pthread_mutex_unlock(&up->lock);
    bl__upload_keep_when_ended(up, status, false); /* in the turn: the store's write lock is free */
    double ended = mono_s();
    bl__upload_turn_end(gate);
    bl__api_metrics_upload_turn(s->metrics, given - asked, ended - given);
    bl__upload_keep_when_ended(up, status, true);
    store_give(s, c->st, c->store_error);
    c->st = NULL;
    pthread_mutex_lock(&up->lock);
    up->status = status;
    up->done = true;
    wake(up);
    pthread_mutex_unlock(&up->lock);
    put(up);
    atomic_fetch_sub(&s->uploads, 1);
    return NULL;
}

/* ---- before the body: who, what, and the key ---- */

static unsigned content_type(struct bl__api_upload *up, struct MHD_Connection *conn)
{
    const char *t =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    static const char *const jsonl[] = {"application/x-ndjson", "application/jsonl",
                                        "application/json-lines"};
    static const char *const csv[] = {"text/csv", "text/tab-separated-values", "text/plain"};
    for (size_t i = 0; t && i < 3; i++) {
        if (strncasecmp(t, jsonl[i], strlen(jsonl[i])) == 0) {
            up->call.upload_jsonl = true;
            return 0;
        }
        if (strncasecmp(t, csv[i], strlen(csv[i])) == 0)
            return 0;
    }
    return bl__api_error(&up->call, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                         "Content-Type",
                         "the body is JSON Lines (Content-Type: application/x-ndjson) or a CSV "
                         "or report file as the importers read it (Content-Type: text/csv, "
                         "with ?format=)");
}

/* The query and the names the handler reads, copied out of libmicrohttpd's memory (the
 * handler's thread may outlive the request). */
static unsigned keep_strings(struct bl__api_call *c)
{
    bool ok = true;
    for (size_t i = 0; i < c->nquery && ok; i++) {
        const char *k = c->query[i].key, *v = c->query[i].val ? c->query[i].val : "";
        c->query[i].key = bl_arena_strndup(&c->arena, k, strlen(k));
        c->query[i].val = bl_arena_strndup(&c->arena, v, strlen(v));
        ok = c->query[i].key && c->query[i].val;
    }
    return ok ? 0 : bl__api_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out_of_memory", NULL,
                                  "out of memory");
}

/* Who asks, what, and the key, on one of the workers' connections (slot): the importer
 * takes an upload connection of its own once its turn comes. */
static unsigned admit(struct bl__api_upload *up, struct MHD_Connection *conn,
                      struct bl__api_slot **slot)
{
    struct bl__api_call *c = &up->call;
    struct bl_diag d;
    bl_diag_clear(&d);
    if (!(*slot = bl__api_pool_take(up->srv, &d))) {
        c->store_error = true;
        return bl__api_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "store_unavailable", NULL,
                             "the store does not answer: %s", d.msg);
    }
    c->st = (*slot)->st;
    unsigned st = bl__api_admit(c, conn);
    st = st ? st : content_type(up, conn);
    st = st ? st : keep_strings(c);
    st = st ? st : bl__upload_ask_key(up, conn);
    if (st)
        return st;
    char name[200];
    snprintf(name, sizeof(name), "upload by %s", c->who ? c->who : "the API");
    up->src = (struct bl_csv_source){source_read, up, bl_arena_strndup(&c->arena, name,
                                                                        strlen(name))};
    c->upload = &up->src;
    c->import_cache = up->srv->import_cache;
    return 0;
}

static unsigned start_importer(struct bl__api_upload *up)
{
    up->ring = bl_malloc(RING);
    pthread_attr_t attr;
    pthread_t t;
    up->refs++;
    atomic_fetch_add(&up->srv->uploads, 1);
    atomic_fetch_add(&up->srv->uploads_begun, 1);
    bool ok = up->ring && pthread_attr_init(&attr) == 0;
    if (ok) {
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        ok = pthread_create(&t, &attr, importer, up) == 0;
        pthread_attr_destroy(&attr);
    }
    if (ok)
        return 0;
    up->refs--;
    atomic_fetch_sub(&up->srv->uploads, 1);
    return bl__api_error(&up->call, MHD_HTTP_SERVICE_UNAVAILABLE, "busy", NULL,
                         "cannot start the upload now (out of memory or threads): retry later");
}

enum MHD_Result bl__api_upload_begin(struct bl__api_server *s, struct MHD_Connection *conn,
                                     size_t ri, struct bl__api_req *r)
{
    struct bl__api_upload *up = bl_calloc(1, sizeof(*up));
    if (!up)
        return MHD_NO;
    pthread_mutex_init(&up->lock, NULL);
    pthread_cond_init(&up->cond, NULL);
    up->refs = 1;
    up->srv = s;
    up->conn = conn;
    up->ri = ri;
    r->up = up;
    struct bl__api_call *c = &up->call;
    *c = (struct bl__api_call){.srv = s, .route = &bl__api_routes[ri], .now = r->now};
    snprintf(up->op, sizeof(up->op), "%s %s", c->route->method, c->route->path);
    bl_app_idem_hash_init(&up->hash, up->op);
    struct bl__api_slot *slot = NULL;
    unsigned status = admit(up, conn, &slot);
    if (slot)
        bl__api_pool_give(s, slot, c->store_error);
    c->st = NULL;
    c->store_error = false;
    if (!status)
        status = start_importer(up);
    if (!status) /* importing; or, with a key, claiming it in the upload's turn first */
        return MHD_YES;
    r->answered = true;
    return bl__api_respond(s, conn, c, ri, status, r->start, NULL);
}

enum MHD_Result bl__api_upload_end(struct bl__api_server *s, struct MHD_Connection *conn,
                                   struct bl__api_req *r)
{
    struct bl__api_upload *up = r->up;
    pthread_mutex_lock(&up->lock);
    if (!up->eof) {
        up->eof = true;
        bl_app_idem_hash_final(&up->hash, up->body_hash);
        pthread_cond_broadcast(&up->cond);
    }
    if (!up->done) { /* the importer has not answered yet */
        up->suspended = true;
        MHD_suspend_connection(conn);
        pthread_mutex_unlock(&up->lock);
        return MHD_YES;
    }
    pthread_mutex_unlock(&up->lock);
    unsigned status = up->key == KEY_REPLAY ? bl__upload_replay(up) : up->status;
    r->answered = true;
    return bl__api_respond(s, conn, &up->call, up->ri, status, r->start, NULL);
}

void bl__api_upload_done(struct bl__api_upload *up, bool completed)
{
    pthread_mutex_lock(&up->lock);
    if (!completed)
        up->aborted = true;
    up->suspended = false;
    pthread_cond_broadcast(&up->cond);
    pthread_mutex_unlock(&up->lock);
    put(up);
}
