/* stock_warm.c - the warm thread (stock_cache_impl.h; docs/internals/api.md, "The stock
 * day"): keeps each organisation's last cycle's plan, assessment and routes, and its
 * windows, ready. Every BL_API_STOCK_WARM_S seconds (at once when a request was given a
 * stale answer) it reads the organisations, their newest cycle and their generation, and
 * computes what is not kept (at start, after a cycle, after any change, whichever process
 * made it) on its own store connection. So a page asking as of the last cycle, as the
 * dashboard's do, finds it computed. While uploads come it waits (BL_API_STOCK_WARM_BUSY_S):
 * each makes a new generation, and a pass would take a core from them for nothing.
 *
 * Stopping (bl__api_stocks_ask_stop at SIGTERM, then _stop): the stop flag is set and the
 * thread woken; a computation running gives up between SKUs or channels (the windows', the
 * long one, checks it every few thousand orders), its entry is taken out of the table, and
 * the thread ends without another pass. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "api/stock_cache_impl.h"
#include "app/cycle.h"
#include "app/data.h"
#include "ballast/time.h"

static int newest_cycle(void *ctx, const struct bl_cycle_rec *r)
{
    int64_t *as_of = ctx;
    *as_of = r->as_of;
    return 0;
}

#define NFAILED (sizeof(((struct bl__api_stocks *)0)->failed) / sizeof(struct bl__stk_key))

/* Computes k on st unless it is kept (or being computed). */
static int warm(struct bl__api_stocks *s, struct bl_store *st, const struct bl__stk_key *k,
                struct bl_diag *d)
{
    if (atomic_load(&s->stop))
        return BL_OK;
    for (size_t i = 0; i < s->nfailed && i < NFAILED; i++)
        if (bl__stk_same(&s->failed[i], k))
            return BL_OK; /* failed at this generation: a request will say why */
    pthread_mutex_lock(&s->lock);
    struct bl__stk_entry *e = bl__stk_find(s, k);
    e = e ? NULL : bl__stk_claim(s, k);
    pthread_mutex_unlock(&s->lock);
    if (!e)
        return BL_OK;
    int rc = bl__stk_fill(s, st, e, d);
    atomic_fetch_add(&s->warmed, rc ? 0 : 1);
    bl__stk_put(s, e);
    if (rc == BL_EINTERRUPTED) { /* shutting down */
        bl_diag_clear(d);
        return BL_OK;
    }
    if (rc && rc != BL_ESTORE) { /* the data's fault, not the connection's: not again */
        s->failed[s->nfailed++ % NFAILED] = *k;
        bl_diag_clear(d);
        return BL_OK;
    }
    return rc;
}

/* Keeps organisation org's last cycle's plan, assessment and routes computed, and its
 * delivery windows against real deliveries (no as-of: every delivered order; kept whether
 * or not a cycle ran, since a request given a stale answer counts on this to compute the
 * new one). */
static int warm_org(struct bl__api_stocks *s, struct bl_store *st, int64_t org, uint64_t stamp,
                    struct bl_diag *d)
{
    int64_t as_of = INT64_MIN, gen = -1;
    int rc = bl_store_read_begin(st, d);
    rc = rc ? rc : bl_app_cycle_list(st, org, 1, newest_cycle, &as_of, d);
    rc = rc ? rc : bl_app_data_gen(st, org, &gen, d);
    if (!rc && as_of != INT64_MIN) {
        int64_t day =
            as_of >= 0 ? as_of / BL_DAY_SECS : -((-as_of + BL_DAY_SECS - 1) / BL_DAY_SECS);
        struct bl__stk_key plan = {BL__STK_DAY, org, day, gen, 0},
                           shops = {BL__STK_ASSESS, org, as_of, gen, stamp},
                           routes = {BL__STK_ROUTES, org, as_of, gen, 0};
        rc = warm(s, st, &plan, d);
        rc = rc ? rc : warm(s, st, &shops, d);
        rc = rc ? rc : warm(s, st, &routes, d);
    }
    struct bl__stk_key windows = {BL__STK_WINDOWS, org, 0, gen, 0};
    rc = rc ? rc : warm(s, st, &windows, d);
    bl_store_read_end(st);
    return rc;
}

static void warm_pass(struct bl__api_stocks *s, struct bl_store **st)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    if (!*st && bl_store_open(st, s->db_url, &d)) {
        *st = NULL;
        return;
    }
    int64_t *ids = NULL;
    char **names = NULL;
    size_t n = 0;
    uint64_t stamp = bl_app_assess_profiles_stamp();
    int rc = bl_app_cycle_orgs(*st, 0, 1, &ids, &names, &n, &d);
    for (size_t i = 0; !rc && i < n && !atomic_load(&s->stop); i++)
        rc = warm_org(s, *st, ids[i], stamp, &d);
    bl_app_orgs_free(ids, names, n);
    if (rc && rc != BL_ENOMEM) {
        fprintf(stderr, "ballast: keeping the plans ready: %s\n", d.msg);
        bl_store_close(*st); /* reopened at the next pass */
        *st = NULL;
    }
}

/* Whether a pass now would only race the uploads (BL_API_STOCK_WARM_BUSY_S): one runs,
 * or one began since the last look (*seen: the count of uploads begun then). */
static bool uploads_coming(const struct bl__api_stocks *s, time_t last_pass, uint64_t *seen)
{
    if (!s->uploads || !s->begun)
        return false;
    uint64_t begun = atomic_load(s->begun);
    bool coming = atomic_load(s->uploads) > 0 || begun != *seen;
    *seen = begun;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return coming && now.tv_sec - last_pass < BL_API_STOCK_WARM_BUSY_S;
}

static void *warm_main(void *arg)
{
    struct bl__api_stocks *s = arg;
    struct bl_store *st = NULL;
    time_t last_pass = 0;
    uint64_t seen = 0;
    while (!atomic_load(&s->stop)) {
        pthread_mutex_lock(&s->lock);
        s->hurry = false;
        pthread_mutex_unlock(&s->lock);
        struct timespec until;
        if (!uploads_coming(s, last_pass, &seen) || !last_pass) {
            warm_pass(s, &st);
            clock_gettime(CLOCK_MONOTONIC, &until);
            last_pass = until.tv_sec ? until.tv_sec : 1;
        }
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += s->warm_s;
        pthread_mutex_lock(&s->lock);
        while (!atomic_load(&s->stop) && !s->hurry)
            if (pthread_cond_timedwait(&s->wake, &s->lock, &until) != 0)
                break;
        pthread_mutex_unlock(&s->lock);
    }
    bl_store_close(st);
    return NULL;
}

int bl__api_stocks_start(struct bl__api_stocks *s)
{
    if (!s || !s->db_url || s->started)
        return BL_OK;
    /* for tests (docs/api.md, "For tests"): seconds between passes, 1 to 86400 */
    const char *env = getenv("BALLAST_WARM_S");
    char *end = NULL;
    long v = env ? strtol(env, &end, 10) : 0;
    s->warm_s = env && end != env && !*end && v >= 1 && v <= 86400 ? v : BL_API_STOCK_WARM_S;
    if (pthread_create(&s->thread, NULL, warm_main, s) != 0)
        return BL_OK; /* no warm thread: the first request computes */
    s->started = true;
    return BL_OK;
}

void bl__api_stocks_ask_stop(struct bl__api_stocks *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->lock);
    atomic_store(&s->stop, true);
    pthread_cond_broadcast(&s->wake);
    pthread_mutex_unlock(&s->lock);
}

void bl__api_stocks_stop(struct bl__api_stocks *s)
{
    if (!s || !s->started)
        return;
    bl__api_stocks_ask_stop(s);
    pthread_join(s->thread, NULL);
    s->started = false;
}
