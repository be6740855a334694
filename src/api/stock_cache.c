/* stock_cache.c - what the dashboard's pages read that costs a computation over the whole
 * organisation, computed once and kept while what it was computed from is unchanged
 * (server_impl.h; docs/internals/api.md, "The stock day").
 *
 * GET /plans, /alerts and /today read the same thing: every SKU forecast and planned as of
 * a day (bl_app_stock_day_open, then bl_app_alerts), about 0.6 s for 10,000 SKUs. An entry
 * is that day, computed with the API's options (the CLI's defaults: no organisation keeps
 * a plan policy), keyed by (organisation, day, data generation): every change to what the
 * plan reads (imports of any kind, disruptions, a playbook action applied or reverted)
 * bumps the generation in its transaction, so an entry is given only while it is what a
 * fresh computation would give (tests/cli/api_stock_cache.sh compares the two). Two more
 * kinds are kept the same way: every shop's assessment as of an instant (GET /assessments
 * and /today; keyed by the profile files' stamp too) and every open order routed as of an
 * instant (GET /routes; a shop's route policy moves the generation), and the catalogue's
 * delivery windows against every real delivery (GET /windows without filters).
 *
 * Entries are shared read-only: a request holds one (refs) while it renders; one being
 * computed (busy) is waited for, never computed twice. BL_API_STOCK_SLOTS entries, the
 * least recently used one not in use replaced; when every slot is in use the request's
 * is its own (computed and dropped).
 *
 * The warm thread keeps each organisation's last cycle's plan, assessment and routes, and
 * its windows, ready: every BL_API_STOCK_WARM_S seconds it reads the organisations, their newest
 * cycle and their generation, and computes what is not kept (at start, after a cycle, after any
 * change, whichever process made it) on its own store connection. So a page asking as of
 * the last cycle, as the dashboard's do, finds it computed. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/server_impl.h"
#include "app/assess.h"
#include "app/cycle.h"
#include "app/data.h"
#include "app/logistics.h"
#include "app/stock.h"
#include "ballast/time.h"

enum kind { STOCK_DAY, ASSESS, ROUTES, WINDOWS };

struct entry {
    enum kind kind;
    int64_t org, day, gen; /* day: the day planned for (STOCK_DAY), the as-of (the others) */
    uint64_t stamp;        /* ASSESS: the profile files' */
    int refs;
    bool busy, ok, stale; /* stale: out of the table, freed by its last holder */
    uint64_t used;
    struct bl_app_stock_day sday;
    struct bl_app_alerts_res al;
    struct bl_app_assess_res as;
    struct bl_app_route_res rt;
    struct bl_app_windows_res win;
};

/* What an entry is kept for. */
struct key {
    enum kind kind;
    int64_t org, day, gen;
    uint64_t stamp;
};

struct bl__api_stocks {
    pthread_mutex_t lock;
    pthread_cond_t done; /* an entry stopped being busy */
    pthread_cond_t wake; /* the warm thread: stop */
    struct entry *slot[BL_API_STOCK_SLOTS];
    uint64_t tick;
    const char *db_url;
    pthread_t thread;
    bool started;
    struct key failed[8]; /* the warm thread's: what failed to compute (not tried again) */
    size_t nfailed;
    atomic_bool stop;
    _Atomic uint64_t computed, warmed, hits;
};

static void entry_free(struct entry *e)
{
    if (!e)
        return;
    bl_app_alerts_res_release(&e->al);
    bl_app_stock_day_close(&e->sday);
    bl_app_assess_res_release(&e->as);
    bl_app_route_res_release(&e->rt);
    bl_app_windows_res_release(&e->win);
    bl_free(e);
}

struct bl__api_stocks *bl__api_stocks_new(const char *db_url)
{
    struct bl__api_stocks *s = bl_calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    s->db_url = db_url;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->done, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&s->wake, &ca);
    pthread_condattr_destroy(&ca);
    return s;
}

void bl__api_stocks_free(struct bl__api_stocks *s)
{
    if (!s)
        return;
    bl__api_stocks_stop(s);
    for (size_t i = 0; i < BL_API_STOCK_SLOTS; i++)
        entry_free(s->slot[i]);
    pthread_cond_destroy(&s->done);
    pthread_cond_destroy(&s->wake);
    pthread_mutex_destroy(&s->lock);
    bl_free(s);
}

/* Forecasts, plans and alerts e's day on st (what GET /plans computed on each request),
 * or assesses every shop as of e->day (a dry run, as GET /assessments does). */
static int compute(struct bl_store *st, struct entry *e, struct bl_diag *d)
{
    if (e->kind == ASSESS) {
        struct bl_app_assess_req q = {.as_of = e->day, .dry_run = true};
        return bl_app_assess(st, e->org, &q, &e->as, d);
    }
    if (e->kind == ROUTES) {
        struct bl_app_route_req q = {.as_of = e->day};
        return bl_app_route(st, e->org, &q, &e->rt, d);
    }
    if (e->kind == WINDOWS) {
        struct bl_app_windows_req q = {0};
        return bl_app_windows(st, e->org, &q, &e->win, d);
    }
    struct bl_app_stock_opts o;
    bl_app_stock_opts_init(&o);
    o.playbook = false;
    o.as_of = e->day;
    int rc = bl_app_stock_day_open(st, e->org, &o, &e->sday, d);
    struct bl_app_alerts_req areq = {.day = &e->sday};
    return rc ? rc : bl_app_alerts(st, e->org, &areq, &e->al, d);
}

static bool same_key(const struct key *a, const struct key *b)
{
    return a->kind == b->kind && a->org == b->org && a->day == b->day && a->gen == b->gen &&
           a->stamp == b->stamp;
}

/* Under the lock: the kept entry of k, or NULL. */
static struct entry *find(struct bl__api_stocks *s, const struct key *k)
{
    for (size_t i = 0; i < BL_API_STOCK_SLOTS; i++) {
        struct entry *e = s->slot[i];
        if (e && e->kind == k->kind && e->org == k->org && e->day == k->day && e->gen == k->gen &&
            e->stamp == k->stamp)
            return e;
    }
    return NULL;
}

/* Under the lock: a new busy entry in the table (the least recently used one not in use
 * replaced), or out of it (every slot in use); NULL when out of memory. */
static struct entry *claim(struct bl__api_stocks *s, const struct key *k)
{
    struct entry *e = bl_calloc(1, sizeof(*e));
    if (!e)
        return NULL;
    *e = (struct entry){.kind = k->kind,
                        .org = k->org,
                        .day = k->day,
                        .gen = k->gen,
                        .stamp = k->stamp,
                        .refs = 1,
                        .busy = true};
    size_t at = BL_API_STOCK_SLOTS;
    for (size_t i = 0; i < BL_API_STOCK_SLOTS; i++) {
        struct entry *x = s->slot[i];
        if (!x) {
            at = i;
            break;
        }
        if (x->refs == 0 && !x->busy && (at == BL_API_STOCK_SLOTS || x->used < s->slot[at]->used))
            at = i;
    }
    if (at == BL_API_STOCK_SLOTS) {
        e->stale = true; /* the request's own */
        return e;
    }
    entry_free(s->slot[at]);
    s->slot[at] = e;
    e->used = ++s->tick;
    return e;
}

/* Under the lock: takes e out of the table (it stays alive for its holders). */
static void unlist(struct bl__api_stocks *s, struct entry *e)
{
    for (size_t i = 0; i < BL_API_STOCK_SLOTS; i++)
        if (s->slot[i] == e)
            s->slot[i] = NULL;
    e->stale = true;
}

static void put(struct bl__api_stocks *s, struct entry *e)
{
    pthread_mutex_lock(&s->lock);
    bool last = --e->refs == 0 && e->stale;
    pthread_mutex_unlock(&s->lock);
    if (last)
        entry_free(e);
}

/* Computes the claimed entry e on st and publishes it (or its failure). */
static int fill(struct bl__api_stocks *s, struct bl_store *st, struct entry *e, struct bl_diag *d)
{
    int rc = compute(st, e, d);
    atomic_fetch_add(&s->computed, 1);
    pthread_mutex_lock(&s->lock);
    e->busy = false;
    e->ok = rc == BL_OK;
    if (rc && !e->stale)
        unlist(s, e);
    pthread_cond_broadcast(&s->done);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

/* The entry for k: kept, waited for, or computed on st; held (put it). */
static int take(struct bl__api_stocks *s, struct bl_store *st, const struct key *k,
                struct entry **out, struct bl_diag *d)
{
    pthread_mutex_lock(&s->lock);
    struct entry *e = k->gen >= 0 ? find(s, k) : NULL;
    while (e && e->busy) {
        e->refs++; /* kept alive while waited for */
        pthread_cond_wait(&s->done, &s->lock);
        e->refs--;
        if (!e->ok) {
            bool last = e->refs == 0 && e->stale;
            pthread_mutex_unlock(&s->lock);
            if (last)
                entry_free(e);
            pthread_mutex_lock(&s->lock);
            e = find(s, k);
        }
    }
    if (e) {
        e->refs++;
        e->used = ++s->tick;
        pthread_mutex_unlock(&s->lock);
        atomic_fetch_add(&s->hits, 1);
        *out = e;
        return BL_OK;
    }
    e = claim(s, k);
    if (e && k->gen < 0 && !e->stale)
        unlist(s, e); /* no generation: never kept */
    pthread_mutex_unlock(&s->lock);
    if (!e)
        return bl_diag_set(d, BL_ENOMEM, "plan: out of memory");
    int rc = fill(s, st, e, d);
    if (rc) {
        put(s, e);
        return rc;
    }
    *out = e;
    return BL_OK;
}

/* The entry for (kind, the caller's organisation, day, stamp) at the data generation now. */
static int get(struct bl__api_call *c, const struct key *want, struct entry **out,
               struct bl_diag *d)
{
    struct bl__api_stocks *s = c->srv ? c->srv->stocks : NULL;
    struct key k = *want;
    k.org = c->org;
    k.gen = -1;
    struct bl_diag gd;
    bl_diag_clear(&gd);
    if (s) {
        if (bl_app_data_gen(c->st, c->org, &k.gen, &gd))
            k.gen = -1;
        return take(s, c->st, &k, out, d);
    }
    struct entry *e = bl_calloc(1, sizeof(*e));
    if (!e)
        return bl_diag_set(d, BL_ENOMEM, "plan: out of memory");
    *e = (struct entry){.kind = k.kind, .org = k.org, .day = k.day, .refs = 1, .stale = true};
    *out = e;
    return compute(c->st, e, d);
}

int bl__api_stock_get(struct bl__api_call *c, int64_t day, struct bl__api_stock_ref *ref,
                      struct bl_diag *d)
{
    memset(ref, 0, sizeof(*ref));
    struct key k = {.kind = STOCK_DAY, .day = day};
    struct entry *e = NULL;
    int rc = get(c, &k, &e, d);
    ref->e = e;
    ref->al = e ? &e->al : NULL;
    return rc;
}

int bl__api_assess_get(struct bl__api_call *c, int64_t as_of, struct bl__api_stock_ref *ref,
                       struct bl_diag *d)
{
    memset(ref, 0, sizeof(*ref));
    struct key k = {.kind = ASSESS, .day = as_of, .stamp = bl__api_profiles_stamp(c)};
    struct entry *e = NULL;
    int rc = get(c, &k, &e, d);
    ref->e = e;
    ref->as = e ? &e->as : NULL;
    return rc;
}

int bl__api_routes_get(struct bl__api_call *c, int64_t as_of, struct bl__api_stock_ref *ref,
                       struct bl_diag *d)
{
    memset(ref, 0, sizeof(*ref));
    struct key k = {.kind = ROUTES, .day = as_of};
    struct entry *e = NULL;
    int rc = get(c, &k, &e, d);
    ref->e = e;
    ref->rt = e ? &e->rt : NULL;
    return rc;
}

int bl__api_windows_get(struct bl__api_call *c, struct bl__api_stock_ref *ref, struct bl_diag *d)
{
    memset(ref, 0, sizeof(*ref));
    struct key k = {.kind = WINDOWS};
    struct entry *e = NULL;
    int rc = get(c, &k, &e, d);
    ref->e = e;
    ref->win = e ? &e->win : NULL;
    return rc;
}

void bl__api_stock_put(struct bl__api_call *c, struct bl__api_stock_ref *ref)
{
    struct entry *e = ref->e;
    if (!e)
        return;
    struct bl__api_stocks *s = c->srv ? c->srv->stocks : NULL;
    if (s)
        put(s, e);
    else
        entry_free(e);
    memset(ref, 0, sizeof(*ref));
}

/* ---- the warm thread ---- */

static int newest_cycle(void *ctx, const struct bl_cycle_rec *r)
{
    int64_t *as_of = ctx;
    *as_of = r->as_of;
    return 0;
}

/* Computes k on st unless it is kept (or being computed). */
static int warm(struct bl__api_stocks *s, struct bl_store *st, const struct key *k,
                struct bl_diag *d)
{
    for (size_t i = 0; i < s->nfailed && i < sizeof(s->failed) / sizeof(s->failed[0]); i++)
        if (same_key(&s->failed[i], k))
            return BL_OK; /* failed at this generation: a request will say why */
    pthread_mutex_lock(&s->lock);
    struct entry *e = find(s, k);
    e = e ? NULL : claim(s, k);
    pthread_mutex_unlock(&s->lock);
    if (!e)
        return BL_OK;
    int rc = fill(s, st, e, d);
    atomic_fetch_add(&s->warmed, rc ? 0 : 1);
    put(s, e);
    if (rc && rc != BL_ESTORE) { /* the data's fault, not the connection's: not again */
        s->failed[s->nfailed++ % (sizeof(s->failed) / sizeof(s->failed[0]))] = *k;
        bl_diag_clear(d);
        return BL_OK;
    }
    return rc;
}

/* Keeps organisation org's last cycle's plan, assessment and routes computed, and its
 * delivery windows against real deliveries (no as-of: every delivered order). */
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
        struct key plan = {STOCK_DAY, org, day, gen, 0}, shops = {ASSESS, org, as_of, gen, stamp},
                   routes = {ROUTES, org, as_of, gen, 0}, windows = {WINDOWS, org, 0, gen, 0};
        rc = warm(s, st, &plan, d);
        rc = rc ? rc : warm(s, st, &shops, d);
        rc = rc ? rc : warm(s, st, &routes, d);
        rc = rc ? rc : warm(s, st, &windows, d);
    }
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

static void *warm_main(void *arg)
{
    struct bl__api_stocks *s = arg;
    struct bl_store *st = NULL;
    while (!atomic_load(&s->stop)) {
        warm_pass(s, &st);
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += BL_API_STOCK_WARM_S;
        pthread_mutex_lock(&s->lock);
        while (!atomic_load(&s->stop))
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
    if (pthread_create(&s->thread, NULL, warm_main, s) != 0)
        return BL_OK; /* no warm thread: the first request computes */
    s->started = true;
    return BL_OK;
}

void bl__api_stocks_stop(struct bl__api_stocks *s)
{
    if (!s || !s->started)
        return;
    pthread_mutex_lock(&s->lock);
    atomic_store(&s->stop, true);
    pthread_cond_broadcast(&s->wake);
    pthread_mutex_unlock(&s->lock);
    pthread_join(s->thread, NULL);
    s->started = false;
}
