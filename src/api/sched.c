/* sched.c - the scheduler's thread in `ballast serve` (server_impl.h; docs/internals/api.md,
 * "The scheduler"): a pass of bl_app_sched_tick (which runs the cycles that are due), then
 * a sleep until the next one is due, at most a minute (a schedule set meanwhile, by the
 * command line or another server, is seen within it), or until told to stop. It has its
 * own store connection, so it never takes a request's. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

#include "api/server_impl.h"
#include "app/sched.h"

#define NAP_MAX 60  /* real seconds between two passes, at most */
#define NAP_ERROR 5 /* after a pass the store failed */

struct bl__api_sched {
    struct bl__api_server *srv;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    atomic_bool stop;
    struct bl_store *st; /* NULL: to be reopened */
    double real0;        /* the test clock: its start in monotonic seconds */
    _Atomic uint64_t passes, errors, attempts, failed;
};

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The scheduler's time: the real clock, or the test clock of BALLAST_SCHED_CLOCK. */
static int64_t sched_clock(void *ctx)
{
    struct bl__api_sched *s = ctx;
    const struct bl_api_opts *o = &s->srv->opts;
    if (!o->clock_start)
        return (int64_t)time(NULL);
    return o->clock_start + (int64_t)((mono() - s->real0) * (double)o->clock_speed);
}

/* Sleeps `secs` real seconds, or until woken to stop. */
static void nap(struct bl__api_sched *s, double secs)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    double whole = (double)until.tv_sec + (double)until.tv_nsec / 1e9 + secs;
    until.tv_sec = (time_t)whole;
    until.tv_nsec = (long)((whole - (double)until.tv_sec) * 1e9);
    pthread_mutex_lock(&s->lock);
    while (!atomic_load(&s->stop))
        if (pthread_cond_timedwait(&s->wake, &s->lock, &until) != 0)
            break;
    pthread_mutex_unlock(&s->lock);
}

static double pass(struct bl__api_sched *s)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    if (!s->st && bl_store_open(&s->st, s->srv->opts.db_url, &d)) {
        s->st = NULL;
        atomic_fetch_add(&s->errors, 1);
        fprintf(stderr, "ballast: the scheduler cannot reach the store: %s\n", d.msg);
        return NAP_ERROR;
    }
    /* what the scheduled cycles change is the scheduler's in the audit log */
    static const struct bl_store_actor who = {"the scheduler", "system", "", 0, 0};
    bl_store_set_actor(s->st, &who);
    struct bl_app_sched_tick_req req = {.clock = sched_clock, .clock_ctx = s, .stop = &s->stop};
    struct bl_app_sched_tick_res res;
    int rc = bl_app_sched_tick(s->st, &req, &res, &d);
    atomic_fetch_add(&s->passes, 1);
    atomic_fetch_add(&s->attempts,
                     (uint64_t)(res.counts[BL_SCHED_RAN] + res.counts[BL_SCHED_FAILED]));
    atomic_fetch_add(&s->failed, (uint64_t)res.counts[BL_SCHED_FAILED]);
    if (rc) {
        atomic_fetch_add(&s->errors, 1);
        fprintf(stderr, "ballast: the scheduler's pass failed (tried again in %d s): %s\n",
                NAP_ERROR, d.msg);
        bl_store_close(s->st); /* reopened by the next pass */
        s->st = NULL;
        return NAP_ERROR;
    }
    unsigned speed = s->srv->opts.clock_start ? s->srv->opts.clock_speed : 1;
    double wait = res.next_at ? (double)(res.next_at - sched_clock(s)) / (double)speed : NAP_MAX;
    return wait < 0 ? 0 : wait > NAP_MAX ? NAP_MAX : wait;
}

static void *run(void *arg)
{
    struct bl__api_sched *s = arg;
    while (!atomic_load(&s->stop)) {
        double wait = pass(s);
        if (!atomic_load(&s->stop))
            nap(s, wait > 0 ? wait : 0.05);
    }
    return NULL;
}

int bl__api_sched_start(struct bl__api_server *srv, struct bl_diag *d)
{
    struct bl__api_sched *s = bl_calloc(1, sizeof(*s));
    if (!s)
        return bl_diag_set(d, BL_ENOMEM, "out of memory");
    s->srv = srv;
    s->real0 = mono();
    atomic_init(&s->stop, false);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&s->wake, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&s->lock, NULL);
    int rc = bl_store_open_again(srv->slots[0].st, &s->st, d);
    if (!rc && pthread_create(&s->thread, NULL, run, s) != 0)
        rc = bl_diag_set(d, BL_EIO, "cannot start the scheduler's thread");
    if (rc) {
        if (s->st)
            bl_store_close(s->st);
        pthread_cond_destroy(&s->wake);
        pthread_mutex_destroy(&s->lock);
        bl_free(s);
        return rc;
    }
    srv->sched = s;
    return BL_OK;
}

void bl__api_sched_ask_stop(struct bl__api_server *srv)
{
    struct bl__api_sched *s = srv->sched;
    if (!s)
        return;
    pthread_mutex_lock(&s->lock);
    atomic_store(&s->stop, true);
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->lock);
}

void bl__api_sched_stop(struct bl__api_server *srv)
{
    struct bl__api_sched *s = srv->sched;
    if (!s)
        return;
    bl__api_sched_ask_stop(srv);
    pthread_join(s->thread, NULL);
    if (s->st)
        bl_store_close(s->st);
    pthread_cond_destroy(&s->wake);
    pthread_mutex_destroy(&s->lock);
    bl_free(s);
    srv->sched = NULL;
}

int bl__api_sched_metrics(struct bl__api_server *srv, struct bl_buf *b)
{
    struct bl__api_sched *s = srv->sched;
    return bl_buf_addf(
        b,
        "# HELP ballast_scheduler_enabled Whether this server runs the organisations' cycles on "
        "their schedules (0: --no-schedule).\n# TYPE ballast_scheduler_enabled gauge\n"
        "ballast_scheduler_enabled %d\n"
        "# HELP ballast_scheduler_passes_total The scheduler's passes over the schedules.\n"
        "# TYPE ballast_scheduler_passes_total counter\nballast_scheduler_passes_total %llu\n"
        "# HELP ballast_scheduler_errors_total Passes the store failed (tried again in 5 s).\n"
        "# TYPE ballast_scheduler_errors_total counter\nballast_scheduler_errors_total %llu\n"
        "# HELP ballast_scheduler_attempts_total Scheduled cycles this server ran, by outcome.\n"
        "# TYPE ballast_scheduler_attempts_total counter\n"
        "ballast_scheduler_attempts_total{outcome=\"done\"} %llu\n"
        "ballast_scheduler_attempts_total{outcome=\"failed\"} %llu\n",
        s ? 1 : 0, s ? (unsigned long long)atomic_load(&s->passes) : 0ULL,
        s ? (unsigned long long)atomic_load(&s->errors) : 0ULL,
        s ? (unsigned long long)(atomic_load(&s->attempts) - atomic_load(&s->failed)) : 0ULL,
        s ? (unsigned long long)atomic_load(&s->failed) : 0ULL);
}
