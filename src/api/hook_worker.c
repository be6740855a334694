/* hook_worker.c - the webhook delivery worker of `ballast serve`: one thread with its own
 * store connection that, every second, delivers each organisation's due events
 * (bl_app_hook_deliver) and keeps the counts /metrics shows (docs/internals/webhooks.md).
 * Deliveries are claimed in the store, so several servers on one store never send the
 * same one at the same time; a server stopped mid-send leaves it to the next (the claim's
 * lease runs out) and the receiver deduplicates by event id. */
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "api/server_impl.h"
#include "app/cycle.h"
#include "app/hook.h"

struct bl__api_hooks {
    struct bl_app_hook_send send;
    const char *db_url;
    struct bl_store *st; /* the worker's own; NULL after a failure: reopened */
    pthread_t th;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stop;
    _Atomic int64_t delivered, retried, failed, pending, failed_now, errors;
};

/* One pass over the organisations; the store's failure closes the connection. */
static void pass(struct bl__api_hooks *h)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    if (!h->st && bl_store_open(&h->st, h->db_url, &d)) {
        h->st = NULL;
        atomic_fetch_add(&h->errors, 1);
        return;
    }
    int64_t *ids = NULL;
    char **names = NULL;
    size_t n = 0;
    int rc = bl_app_cycle_orgs(h->st, 0, 1, &ids, &names, &n, &d);
    int64_t pending = 0, failed = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        struct bl_app_hook_deliver_res r;
        h->send.now = 0;
        rc = bl_app_hook_deliver(h->st, ids[i], &h->send, 100, &r, &d);
        atomic_fetch_add(&h->delivered, r.delivered);
        atomic_fetch_add(&h->retried, r.retrying);
        atomic_fetch_add(&h->failed, r.failed);
        pending += r.pending;
        failed += r.failed_total;
    }
    bl_app_orgs_free(ids, names, n);
    if (rc) {
        atomic_fetch_add(&h->errors, 1);
        bl_store_close(h->st);
        h->st = NULL;
        return;
    }
    atomic_store(&h->pending, pending);
    atomic_store(&h->failed_now, failed);
}

static void *run(void *arg)
{
    struct bl__api_hooks *h = arg;
    pthread_mutex_lock(&h->lock);
    while (!h->stop) {
        pthread_mutex_unlock(&h->lock);
        pass(h);
        pthread_mutex_lock(&h->lock);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 1;
        if (!h->stop)
            pthread_cond_timedwait(&h->wake, &h->lock, &until);
    }
    pthread_mutex_unlock(&h->lock);
    return NULL;
}

int bl__api_hooks_start(struct bl__api_server *s, struct bl_diag *d)
{
    if (!s->opts.hooks)
        return BL_OK;
    struct bl__api_hooks *h = bl_calloc(1, sizeof(*h));
    if (!h)
        return bl_diag_set(d, BL_ENOMEM, "out of memory");
    h->send = *s->opts.hooks;
    h->db_url = s->opts.db_url;
    pthread_mutex_init(&h->lock, NULL);
    pthread_cond_init(&h->wake, NULL);
    if (pthread_create(&h->th, NULL, run, h) != 0) {
        pthread_cond_destroy(&h->wake);
        pthread_mutex_destroy(&h->lock);
        bl_free(h);
        return bl_diag_set(d, BL_EIO, "the webhook worker does not start");
    }
    s->hooks = h;
    return BL_OK;
}

void bl__api_hooks_stop(struct bl__api_server *s)
{
    struct bl__api_hooks *h = s->hooks;
    if (!h)
        return;
    pthread_mutex_lock(&h->lock);
    h->stop = true;
    pthread_cond_signal(&h->wake);
    pthread_mutex_unlock(&h->lock);
    pthread_join(h->th, NULL); /* a delivery under way ends within its timeout */
    if (h->st)
        bl_store_close(h->st);
    pthread_cond_destroy(&h->wake);
    pthread_mutex_destroy(&h->lock);
    bl_free(h);
    s->hooks = NULL;
}

int bl__api_hooks_metrics(struct bl__api_server *s, struct bl_buf *b)
{
    struct bl__api_hooks *h = s->hooks;
    if (!h)
        return BL_OK;
    return bl_buf_addf(
        b,
        "# HELP ballast_webhook_attempts_total Webhook delivery attempts by outcome: delivered, "
        "retry (tried again later), failed (given up).\n"
        "# TYPE ballast_webhook_attempts_total counter\n"
        "ballast_webhook_attempts_total{outcome=\"delivered\"} %lld\n"
        "ballast_webhook_attempts_total{outcome=\"retry\"} %lld\n"
        "ballast_webhook_attempts_total{outcome=\"failed\"} %lld\n"
        "# HELP ballast_webhook_outbox Webhook deliveries in the store: pending (still to "
        "send) and failed (given up), every organisation.\n"
        "# TYPE ballast_webhook_outbox gauge\n"
        "ballast_webhook_outbox{state=\"pending\"} %lld\n"
        "ballast_webhook_outbox{state=\"failed\"} %lld\n"
        "# HELP ballast_webhook_worker_errors_total Passes of the webhook worker the store "
        "failed.\n"
        "# TYPE ballast_webhook_worker_errors_total counter\n"
        "ballast_webhook_worker_errors_total %lld\n",
        (long long)atomic_load(&h->delivered), (long long)atomic_load(&h->retried),
        (long long)atomic_load(&h->failed), (long long)atomic_load(&h->pending),
        (long long)atomic_load(&h->failed_now), (long long)atomic_load(&h->errors));
}
