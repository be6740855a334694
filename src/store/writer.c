/* writer.c - the bulk-insert writer thread; see writer.h for the contract.
 *
 * One mutex guards the queue of submitted batches, each queue's free batches and
 * the failure. The caller's thread fills a batch without the lock (it is private
 * until submitted); the writer's thread runs a batch without the lock (it is
 * private until finished). Two condition variables: `work` wakes the writer,
 * `done` wakes a caller waiting for room or for the writer to go idle.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "ballast/alloc.h"
#include "ballast/err.h"
#include "store/writer.h"

#define TEXT_SEAL (1u << 20) /* a batch with this much text is handed over early */

struct batch {
    struct bl__wqueue *q;
    size_t nrows;
    struct bl_val *vals; /* BL__WB_ROWS * q->ncols */
    int64_t *lines;      /* BL__WB_ROWS */
    char *text;
    size_t tlen, tcap;
    struct batch *next;
};

struct bl__wqueue {
    struct bl__writer *w;
    void *target;
    size_t ncols;
    struct batch *cur;  /* being filled by the caller */
    struct batch *free; /* finished batches, for reuse (under w->mu) */
    struct bl__wqueue *next, *prev;
};

struct bl__writer {
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    pthread_t thread;
    struct batch *head, *tail; /* submitted, not yet run */
    size_t inflight;           /* submitted and not finished (queued or running) */
    bool stop;
    atomic_bool failed;
    struct bl__wfail fail;
    bl__wrun_fn fn;
    void *ctx;
    struct bl__wqueue *queues; /* open queues (caller's thread only) */
};

/* ---- the writer's thread ------------------------------------------------------------ */

static void run_batch(struct bl__writer *w, struct batch *b)
{
    struct bl__wfail f = {0, 0, ""};
    if (!w->fn(w->ctx, b->q->target, b->vals, b->nrows, b->q->ncols, b->lines, &f))
        return;
    if (!f.code)
        f.code = BL_ESTORE;
    f.msg[sizeof(f.msg) - 1] = '\0';
    pthread_mutex_lock(&w->mu);
    w->fail = f;
    atomic_store(&w->failed, true);
    pthread_mutex_unlock(&w->mu);
}

/* Puts a finished (or dropped) batch back on its queue's free list; w->mu held. */
static void recycle(struct batch *b)
{
    b->nrows = 0;
    b->tlen = 0;
    b->next = b->q->free;
    b->q->free = b;
}

static void *writer_main(void *arg)
{
    struct bl__writer *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->head && !w->stop)
            pthread_cond_wait(&w->work, &w->mu);
        struct batch *b = w->head;
        if (!b)
            break; /* stop, and nothing left */
        w->head = b->next;
        if (!w->head)
            w->tail = NULL;
        if (!atomic_load(&w->failed)) {
            pthread_mutex_unlock(&w->mu);
            run_batch(w, b);
            pthread_mutex_lock(&w->mu);
        }
        recycle(b);
        w->inflight--;
        pthread_cond_broadcast(&w->done);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

/* ---- the caller's side -------------------------------------------------------------- */

int bl__writer_start(struct bl__writer **out, bl__wrun_fn fn, void *ctx)
{
    *out = NULL;
    struct bl__writer *w = bl_calloc(1, sizeof(*w));
    if (!w)
        return BL_ENOMEM;
    w->fn = fn;
    w->ctx = ctx;
    atomic_init(&w->failed, false);
    if (pthread_mutex_init(&w->mu, NULL)) {
        bl_free(w);
        return BL_ENOMEM;
    }
    if (pthread_cond_init(&w->work, NULL)) {
        pthread_mutex_destroy(&w->mu);
        bl_free(w);
        return BL_ENOMEM;
    }
    if (pthread_cond_init(&w->done, NULL)) {
        pthread_cond_destroy(&w->work);
        pthread_mutex_destroy(&w->mu);
        bl_free(w);
        return BL_ENOMEM;
    }
    if (pthread_create(&w->thread, NULL, writer_main, w)) {
        pthread_cond_destroy(&w->done);
        pthread_cond_destroy(&w->work);
        pthread_mutex_destroy(&w->mu);
        bl_free(w);
        return BL_EIO;
    }
    *out = w;
    return BL_OK;
}

static void free_batch(struct batch *b)
{
    if (!b)
        return;
    bl_free(b->vals);
    bl_free(b->lines);
    bl_free(b->text);
    bl_free(b);
}

/* Waits until nothing is queued or running; w->mu held. */
static void idle_locked(struct bl__writer *w)
{
    while (w->inflight)
        pthread_cond_wait(&w->done, &w->mu);
}

void bl__writer_stop(struct bl__writer *w)
{
    if (!w)
        return;
    while (w->queues)
        bl__wqueue_close(w->queues);
    pthread_mutex_lock(&w->mu);
    w->stop = true;
    pthread_cond_signal(&w->work);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->done);
    pthread_cond_destroy(&w->work);
    pthread_mutex_destroy(&w->mu);
    bl_free(w);
}

int bl__wqueue_open(struct bl__writer *w, void *target, size_t ncols, struct bl__wqueue **out)
{
    *out = NULL;
    if (ncols == 0 || ncols > SIZE_MAX / sizeof(struct bl_val) / BL__WB_ROWS)
        return BL_EINVAL;
    struct bl__wqueue *q = bl_calloc(1, sizeof(*q));
    if (!q)
        return BL_ENOMEM;
    q->w = w;
    q->target = target;
    q->ncols = ncols;
    q->next = w->queues;
    if (w->queues)
        w->queues->prev = q;
    w->queues = q;
    *out = q;
    return BL_OK;
}

void bl__wqueue_close(struct bl__wqueue *q)
{
    if (!q)
        return;
    struct bl__writer *w = q->w;
    pthread_mutex_lock(&w->mu);
    idle_locked(w); /* none of q's batches may still be queued or running */
    struct batch *b = q->free;
    q->free = NULL;
    pthread_mutex_unlock(&w->mu);
    while (b) {
        struct batch *next = b->next;
        free_batch(b);
        b = next;
    }
    free_batch(q->cur);
    if (q->prev)
        q->prev->next = q->next;
    else
        w->queues = q->next;
    if (q->next)
        q->next->prev = q->prev;
    bl_free(q);
}

static int failure_code(struct bl__writer *w)
{
    pthread_mutex_lock(&w->mu);
    int code = w->fail.code;
    pthread_mutex_unlock(&w->mu);
    return code;
}

static int new_batch(struct bl__wqueue *q, struct batch **out)
{
    pthread_mutex_lock(&q->w->mu);
    struct batch *b = q->free;
    if (b)
        q->free = b->next;
    pthread_mutex_unlock(&q->w->mu);
    if (!b) {
        b = bl_calloc(1, sizeof(*b));
        if (!b)
            return BL_ENOMEM;
        b->q = q;
        /* not zeroed: a row's values are written before they are read (zeroing the
         * 1.2 MB of an orders batch was 5% of an upload's instructions; the count fits:
         * bl__wqueue_open checked it) */
        b->vals = bl_malloc(BL__WB_ROWS * q->ncols * sizeof(*b->vals));
        b->lines = bl_malloc(BL__WB_ROWS * sizeof(*b->lines));
        b->tcap = 64u << 10;
        b->text = bl_malloc(b->tcap);
        if (!b->vals || !b->lines || !b->text) {
            free_batch(b);
            return BL_ENOMEM;
        }
    }
    b->next = NULL;
    *out = b;
    return BL_OK;
}

int bl__wqueue_submit(struct bl__wqueue *q)
{
    struct batch *b = q->cur;
    if (!b || !b->nrows)
        return BL_OK;
    q->cur = NULL;
    /* The text no longer moves: point the values at it. */
    size_t n = b->nrows * q->ncols;
    for (size_t i = 0; i < n; i++) {
        struct bl_val *v = &b->vals[i];
        if (v->kind == BL_VAL_TEXT || v->kind == BL_VAL_BLOB)
            v->s.ptr = b->text + v->i;
    }
    struct bl__writer *w = q->w;
    pthread_mutex_lock(&w->mu);
    while (w->inflight >= BL__WB_INFLIGHT && !atomic_load(&w->failed))
        pthread_cond_wait(&w->done, &w->mu);
    if (atomic_load(&w->failed)) {
        int code = w->fail.code;
        recycle(b);
        pthread_mutex_unlock(&w->mu);
        return code;
    }
    if (w->tail)
        w->tail->next = b;
    else
        w->head = b;
    w->tail = b;
    w->inflight++;
    pthread_cond_signal(&w->work);
    pthread_mutex_unlock(&w->mu);
    return BL_OK;
}

int bl__wqueue_add(struct bl__wqueue *q, const struct bl_val *vals, int64_t src_line)
{
    if (atomic_load_explicit(&q->w->failed, memory_order_relaxed))
        return failure_code(q->w);
    int rc;
    if (!q->cur && (rc = new_batch(q, &q->cur)) != BL_OK)
        return rc;
    struct batch *b = q->cur;
    struct bl_val *dst = b->vals + b->nrows * q->ncols;
    for (size_t i = 0; i < q->ncols; i++) {
        dst[i] = vals[i];
        if (vals[i].kind != BL_VAL_TEXT && vals[i].kind != BL_VAL_BLOB)
            continue;
        size_t len = vals[i].s.len;
        if (len > b->tcap - b->tlen &&
            (rc = bl_grow((void **)&b->text, &b->tcap, b->tlen + len, 1)) != BL_OK)
            return rc;
        if (len)
            memcpy(b->text + b->tlen, vals[i].s.ptr, len);
        dst[i].s.ptr = NULL;
        dst[i].i = (int64_t)b->tlen;
        b->tlen += len;
    }
    b->lines[b->nrows++] = src_line;
    if (b->nrows == BL__WB_ROWS || b->tlen >= TEXT_SEAL)
        return bl__wqueue_submit(q);
    return BL_OK;
}

int bl__writer_wait(struct bl__writer *w, struct bl__wfail *f)
{
    for (struct bl__wqueue *q = w->queues; q; q = q->next)
        if (bl__wqueue_submit(q)) {
            /* fails only when the writer has failed, which *f reports */
        }
    pthread_mutex_lock(&w->mu);
    idle_locked(w);
    *f = w->fail;
    pthread_mutex_unlock(&w->mu);
    return f->code;
}

bool bl__writer_failed(struct bl__writer *w)
{
    return atomic_load(&w->failed);
}

void bl__writer_clear(struct bl__writer *w)
{
    for (struct bl__wqueue *q = w->queues; q; q = q->next) {
        if (q->cur) {
            q->cur->nrows = 0;
            q->cur->tlen = 0;
        }
    }
    pthread_mutex_lock(&w->mu);
    idle_locked(w);
    memset(&w->fail, 0, sizeof(w->fail));
    atomic_store(&w->failed, false);
    pthread_mutex_unlock(&w->mu);
}
