/* pool.c - a small pthread pool over numbered items (pool.h). */
#include "app/pool.h"

#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#define POOL_MAX 8

struct pool {
    const struct bl__pool_job *job;
    pthread_mutex_t lock;
    size_t next, ndone;
    bool stop;
    size_t fail_k; /* lowest failed item, job->n when none */
    int fail_rc;
    struct bl_diag fail_d;
};

struct worker {
    struct pool *p;
    size_t w;
};

size_t bl__pool_threads(size_t threads, size_t n)
{
    if (!threads) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        threads = cpus > 0 ? (size_t)cpus : 1;
    }
    threads = threads > POOL_MAX ? POOL_MAX : threads;
    return threads > n ? (n ? n : 1) : threads;
}

static void *work(void *arg)
{
    struct worker *wk = arg;
    struct pool *p = wk->p;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        size_t k = p->next;
        bool go = !p->stop && k < p->job->n;
        p->next += go;
        pthread_mutex_unlock(&p->lock);
        if (!go)
            return NULL;
        struct bl_diag d;
        bl_diag_clear(&d);
        int rc = p->job->fn(p->job->ctx, wk->w, k, &d);
        pthread_mutex_lock(&p->lock);
        if (rc && k < p->fail_k) {
            p->fail_k = k;
            p->fail_rc = rc;
            p->fail_d = d;
        }
        p->stop |= rc != 0;
        p->ndone++;
        if (!rc && p->job->done)
            p->job->done(p->job->ctx, p->ndone, p->job->n);
        pthread_mutex_unlock(&p->lock);
    }
}

int bl__pool_run(const struct bl__pool_job *job, struct bl_diag *d)
{
    struct pool p = {.job = job, .fail_k = job->n};
    if (pthread_mutex_init(&p.lock, NULL))
        return bl_diag_set(d, BL_ENOMEM, "cannot start the worker threads");
    size_t nt = bl__pool_threads(job->threads, job->n);
    struct worker wk[POOL_MAX];
    pthread_t tid[POOL_MAX];
    bool started[POOL_MAX] = {false};
    for (size_t t = 0; t < nt; t++) {
        wk[t] = (struct worker){&p, t};
        if (t > 0)
            started[t] = pthread_create(&tid[t], NULL, work, &wk[t]) == 0;
    }
    work(&wk[0]); /* the calling thread works too; a thread that did not start is not needed */
    for (size_t t = 1; t < nt; t++)
        if (started[t])
            pthread_join(tid[t], NULL);
    pthread_mutex_destroy(&p.lock);
    if (p.fail_rc && d)
        *d = p.fail_d;
    return p.fail_rc;
}
