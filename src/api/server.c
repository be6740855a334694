/* server.c - `ballast serve`: libmicrohttpd, the store pool, signals (api.h).
 *
 * libmicrohttpd runs `threads` worker threads (MHD_OPTION_THREAD_POOL_SIZE), each with
 * its own event loop; a request is answered by the thread that reads it, and takes one
 * of the `threads` store connections for the time of its handler, so a worker never
 * waits for a connection. Limits: headers within MHD_OPTION_CONNECTION_MEMORY_LIMIT
 * (libmicrohttpd answers 431 past it), a body within max_body (413), the whole request
 * within timeout_s of its headers (else the connection is closed), and an idle
 * connection closed after timeout_s (MHD_OPTION_CONNECTION_TIMEOUT).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "api/server_impl.h"

static double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the store pool: one connection per worker thread ---- */

static int pool_open(struct bl__api_server *s, struct bl_diag *d)
{
    s->slots = bl_calloc(s->opts.threads, sizeof(*s->slots));
    if (!s->slots)
        return bl_diag_set(d, BL_ENOMEM, "out of memory");
    int rc = bl_store_open(&s->slots[0].st, s->opts.db_url, d);
    int version = 0;
    rc = rc ? rc : bl_store_version(s->slots[0].st, &version, d);
    if (!rc && version < bl_store_latest_version()) {
        char shown[512];
        bl_store_url_shown(s->opts.db_url, shown, sizeof(shown));
        rc = bl_diag_set(d, BL_ESCHEMA,
                         "the store %s is not initialised or is older than this program "
                         "(schema %d, need %d): run 'ballast --db %s init'",
                         shown, version, bl_store_latest_version(), shown);
    }
    for (unsigned i = 1; i < s->opts.threads && !rc; i++)
        rc = bl_store_open_again(s->slots[0].st, &s->slots[i].st, d);
    return rc;
}

static void pool_close(struct bl__api_server *s)
{
    for (unsigned i = 0; s->slots && i < s->opts.threads; i++)
        if (s->slots[i].st)
            bl_store_close(s->slots[i].st);
    bl_free(s->slots);
    s->slots = NULL;
}

/* A free connection (reopened when the last request on it found it broken), or NULL. */
struct bl__api_slot *bl__api_pool_take(struct bl__api_server *s, struct bl_diag *d)
{
    pthread_mutex_lock(&s->lock);
    struct bl__api_slot *slot = NULL;
    while (!slot) {
        for (unsigned i = 0; i < s->opts.threads && !slot; i++)
            if (!s->slots[i].busy)
                slot = &s->slots[i];
        if (!slot)
            pthread_cond_wait(&s->freed, &s->lock);
    }
    slot->busy = true;
    pthread_mutex_unlock(&s->lock);
    if (slot->broken || !slot->st) {
        if (slot->st)
            bl_store_close(slot->st);
        slot->st = NULL;
        if (bl_store_open(&slot->st, s->opts.db_url, d)) {
            slot->st = NULL;
            bl__api_pool_give(s, slot, true);
            return NULL;
        }
        slot->broken = false;
    }
    return slot;
}

void bl__api_pool_give(struct bl__api_server *s, struct bl__api_slot *slot, bool broken)
{
    pthread_mutex_lock(&s->lock);
    slot->broken = broken;
    slot->busy = false;
    pthread_cond_signal(&s->freed);
    pthread_mutex_unlock(&s->lock);
}

/* The server's counters, the scheduler's, then what the store's records say (cycles, the
 * outbox); when the store does not answer, the first two only (and a store error). */
int bl__api_metrics_text(struct bl__api_server *s, struct bl_buf *b)
{
    int rc = bl__api_metrics_render(s->metrics, b);
    rc = rc ? rc : bl__api_sched_metrics(s, b);
    rc = rc ? rc : bl__api_hooks_metrics(s, b);
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl__api_slot *slot = rc ? NULL : bl__api_pool_take(s, &d);
    if (!slot)
        return rc;
    struct bl_buf more = BL_BUF_INIT;
    int mrc = bl__api_metrics_cycles(slot->st, &more);
    bl__api_pool_give(s, slot, mrc != 0 && mrc != BL_ENOMEM);
    if (mrc)
        bl__api_metrics_store_error(s->metrics);
    else
        rc = bl_buf_adds(b, bl_buf_str(&more));
    bl_buf_release(&more);
    return rc;
}

/* ---- libmicrohttpd's callbacks ---- */

BL_PRINTF(2, 0) static void on_log(void *ctx, const char *fmt, va_list ap)
{
    struct bl__api_server *s = ctx;
    if (atomic_load(&s->starting)) /* only start's reasons: workers' go nowhere */
        vsnprintf(s->start_error, sizeof(s->start_error), fmt, ap);
}

static void on_completed(void *ctx, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode why)
{
    struct bl__api_server *s = ctx;
    struct bl__api_req *r = *con_cls;
    (void)conn;
    if (!r)
        return;
    if (r->up)
        bl__api_upload_done(r->up, why == MHD_REQUEST_TERMINATED_COMPLETED_OK);
    bl_buf_release(&r->body);
    bl_free(r);
    *con_cls = NULL;
    bl__api_metrics_inflight(s->metrics, -1);
    atomic_fetch_sub(&s->active, 1);
}

/* The first call for a request: its state, and a 413 at once for a declared body too
 * large to take; a streamed upload starts here (upload.c). */
static enum MHD_Result begin(struct bl__api_server *s, struct MHD_Connection *conn,
                             const char *method, const char *url, void **con_cls)
{
    struct bl__api_req *r = bl_calloc(1, sizeof(*r));
    if (!r)
        return MHD_NO;
    r->start = mono_now();
    r->now = (int64_t)time(NULL);
    bl_buf_init(&r->body, s->opts.max_body);
    *con_cls = r;
    atomic_fetch_add(&s->active, 1);
    bl__api_metrics_inflight(s->metrics, 1);
    const char *len =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    int64_t n;
    struct bl__api_call probe = {.srv = s};
    size_t ri = bl__api_route_of(method, url, &probe);
    bool stream = ri < bl__api_nroutes && (bl__api_routes[ri].flags & BL_ROUTE_STREAM);
    uint64_t max = stream ? s->opts.max_upload : s->opts.max_body;
    if (len && bl_str_to_i64(bl_str_c(len), &n) == BL_OK && (uint64_t)n > max) {
        r->too_big = true;
        return bl__api_answer_early(s, conn, r, MHD_HTTP_CONTENT_TOO_LARGE);
    }
    return stream ? bl__api_upload_begin(s, conn, ri, r) : MHD_YES;
}

static enum MHD_Result on_request(void *ctx, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    struct bl__api_server *s = ctx;
    struct bl__api_req *r = *con_cls;
    (void)version;
    if (!r)
        return begin(s, conn, method, url, con_cls);
    if (r->answered) { /* 413 queued: the rest of the body is not read */
        *upload_size = 0;
        return MHD_YES;
    }
    if (r->up) { /* a streamed upload: its own time limit, the body to the importer */
        if (mono_now() - r->start > (double)s->opts.upload_timeout_s)
            return MHD_NO;
        if (*upload_size) {
            bl__api_upload_feed(r->up, upload, upload_size);
            return MHD_YES;
        }
        return bl__api_upload_end(s, conn, r);
    }
    if (mono_now() - r->start > (double)s->opts.timeout_s)
        return MHD_NO; /* a request that trickles in: cut off */
    if (*upload_size) {
        if (!r->too_big && bl_buf_add(&r->body, upload, *upload_size))
            r->too_big = true; /* the rest is read and dropped: 413 at the end */
        *upload_size = 0;
        return MHD_YES;
    }
    return bl__api_dispatch(s, conn, method, url, r);
}

/* ---- start, wait for a signal, drain, stop ---- */

static int bind_addr(const struct bl_api_opts *o, struct sockaddr_storage *ss, bool *v6,
                     struct bl_diag *d)
{
    memset(ss, 0, sizeof(*ss));
    struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
    *v6 = false;
    if (inet_pton(AF_INET, o->host, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons(o->port);
    } else if (inet_pton(AF_INET6, o->host, &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons(o->port);
        *v6 = true;
    } else {
        bl_diag_at(d, NULL, 0, "listen");
        return bl_diag_set(d, BL_EINVAL, "--listen %s: expected an IPv4 or IPv6 address", o->host);
    }
    return BL_OK;
}

static int start(struct bl__api_server *s, struct bl_diag *d)
{
    struct sockaddr_storage ss;
    bool v6;
    int rc = bind_addr(&s->opts, &ss, &v6, d);
    if (rc)
        return rc;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
                     MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG | (v6 ? MHD_USE_IPv6 : 0);
    atomic_store(&s->starting, true);
    s->mhd = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(s->opts.threads > 1 ? s->opts.threads : 0),
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, s->opts.max_header, MHD_OPTION_CONNECTION_TIMEOUT,
        s->opts.timeout_s, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_EXTERNAL_LOGGER,
        on_log, s, MHD_OPTION_END);
    atomic_store(&s->starting, false);
    if (!s->mhd)
        return bl_diag_set(d, BL_EIO, "cannot listen on %s:%u: %s", s->opts.host,
                           (unsigned)s->opts.port,
                           s->start_error[0] ? s->start_error : "address in use or not allowed");
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : s->opts.port;
    return BL_OK;
}

/* After a signal: no new connections; the requests in flight finish (within timeout_s). */
static void drain_and_stop(struct bl__api_server *s)
{
    MHD_socket lfd = MHD_quiesce_daemon(s->mhd);
    double until = mono_now() + (double)s->opts.timeout_s;
    struct timespec tick = {0, 20 * 1000 * 1000};
    while ((atomic_load(&s->active) > 0 || atomic_load(&s->uploads) > 0) && mono_now() < until)
        nanosleep(&tick, NULL);
    MHD_stop_daemon(s->mhd);
    s->mhd = NULL;
    if (lfd != MHD_INVALID_SOCKET)
        close(lfd);
}

static int serve(struct bl__api_server *s, struct bl_diag *d)
{
    sigset_t stop, old;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    /* blocked before the workers start, so that they inherit it and only sigwait sees them */
    pthread_sigmask(SIG_BLOCK, &stop, &old);
    int rc = start(s, d);
    if (!rc && !s->opts.no_schedule && (rc = bl__api_sched_start(s, d)) != 0) {
        MHD_stop_daemon(s->mhd);
        s->mhd = NULL;
    }
    if (!rc && (rc = bl__api_hooks_start(s, d)) != 0) {
        bl__api_sched_ask_stop(s);
        drain_and_stop(s);
        bl__api_sched_stop(s);
    }
    if (!rc) {
        if (s->opts.on_ready)
            s->opts.on_ready(s->opts.ready_ctx, s->opts.host, s->port);
        int sig = 0;
        while (sigwait(&stop, &sig) != 0) {
        }
        bl__api_sched_ask_stop(s); /* a running cycle stops after its step */
        bl__api_stocks_ask_stop(s->stocks); /* a computation running gives up */
        drain_and_stop(s);
        bl__api_sched_stop(s);
        bl__api_hooks_stop(s);
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

int bl_api_serve(const struct bl_api_opts *o, struct bl_diag *d)
{
    if (o->threads < 1 || o->threads > 64) {
        bl_diag_at(d, NULL, 0, "threads");
        return bl_diag_set(d, BL_EINVAL, "--threads %u: expected 1 to 64", o->threads);
    }
    struct bl__api_server s = {.opts = *o, .web_fd = -1};
    if (o->web_dir && (s.web_fd = open(o->web_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
        return bl_diag_set(d, BL_EIO, "--web %s: %s", o->web_dir, strerror(errno));
    pthread_mutex_init(&s.lock, NULL);
    pthread_cond_init(&s.freed, NULL);
    for (size_t i = 0; i < BL_API_UPLOAD_GATES; i++) {
        pthread_mutex_init(&s.upload_gate[i].lock, NULL);
        pthread_cond_init(&s.upload_gate[i].moved, NULL);
    }
    s.metrics = bl__api_metrics_new(bl__api_nroutes);
    s.tokens = bl__api_tokens_new(); /* NULL: every request asks the store */
    s.answers = bl__api_answers_new(); /* NULL: every answer is computed */
    /* NULL: every request computes its plan */
    s.stocks = bl__api_stocks_new(o->db_url, &s.uploads, &s.uploads_begun);
    int rc = s.metrics && bl_import_cache_new(&s.import_cache) == BL_OK
                 ? pool_open(&s, d)
                 : bl_diag_set(d, BL_ENOMEM, "out of memory");
    rc = rc ? rc : bl__api_stocks_start(s.stocks);
    s.ckpt = rc ? NULL : bl__api_ckpt_start(o->db_url);
    rc = rc ? rc : serve(&s, d);
    bl__api_stocks_stop(s.stocks);
    /* an importer still running when the daemon stopped has seen its client go (every
     * connection was closed): it rolls back and ends */
    struct timespec tick = {0, 20 * 1000 * 1000};
    while (atomic_load(&s.uploads) > 0)
        nanosleep(&tick, NULL);
    bl__api_upload_close_all(&s);
    bl__api_ckpt_stop(s.ckpt); /* after the connections it watches */
    for (size_t i = 0; i < BL_API_UPLOAD_GATES; i++) {
        pthread_cond_destroy(&s.upload_gate[i].moved);
        pthread_mutex_destroy(&s.upload_gate[i].lock);
    }
    pool_close(&s);
    bl_import_cache_free(s.import_cache);
    bl__api_tokens_free(s.tokens);
    bl__api_answers_free(s.answers);
    bl__api_stocks_free(s.stocks);
    bl__api_metrics_free(s.metrics);
    pthread_cond_destroy(&s.freed);
    pthread_mutex_destroy(&s.lock);
    if (s.web_fd >= 0)
        close(s.web_fd);
    return rc;
}

void bl_api_opts_default(struct bl_api_opts *o)
{
    *o = (struct bl_api_opts){
        .host = "127.0.0.1",
        .port = 8080,
        .threads = 4,
        .max_body = BL_API_MAX_BODY,
        .max_header = BL_API_MAX_HEADER,
        .max_depth = BL_API_MAX_DEPTH,
        .timeout_s = BL_API_TIMEOUT,
        .max_upload = BL_API_MAX_UPLOAD,
        .upload_timeout_s = BL_API_UPLOAD_TIMEOUT,
    };
}
