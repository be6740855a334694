/* stock_cache.c - what the dashboard's pages read that costs a computation over the whole
 * organisation, computed once and kept while what it was computed from is unchanged
 * (server_impl.h; docs/internals/api.md, "The stock day").
 *
 * GET /plans, /alerts, /stock/summary and /today read the same thing: every SKU forecast
 * and planned as of a day (bl_app_stock_day_open, then bl_app_alerts, and the Stock page's
 * summary of it, bl_app_stock_summary), about 0.6 s for 10,000 SKUs. An entry is that day,
 * computed with the API's options (the CLI's defaults: no organisation keeps a plan
 * policy), keyed by (organisation, day, data generation): every change to what the plan
 * reads (imports of any kind, disruptions, a playbook action applied or reverted) bumps the
 * generation in its transaction, so an entry is given only while it is what a fresh
 * computation would give (tests/cli/api_stock_cache.sh compares the two). Three more kinds
 * are kept the same way: every shop's assessment as of an instant (GET /assessments and
 * /today; keyed by the profile files' stamp too), every open order routed as of an instant
 * (GET /routes; a shop's route policy moves the generation), and the catalogue's delivery
 * windows against every real delivery (GET /windows without filters).
 *
 * Entries are shared read-only: a request holds one (refs) while it renders; one being
 * computed (busy) is waited for, never computed twice. BL_API_STOCK_SLOTS entries, the
 * least recently used one not in use replaced; when every slot is in use the request's
 * is its own (computed and dropped).
 *
 * The windows cost a computation over every delivered order (seconds, half a minute at a
 * high load): while the warm thread (stock_warm.c) computes them for a new generation, a
 * request is given the last generation's, said to be stale (bl__api_stock_ref.stale and
 * .gen), rather than waiting. */
#include <stdio.h>
#include <string.h>

#include "api/stock_cache_impl.h"
#include "app/data.h"

void bl__stk_entry_free(struct bl__stk_entry *e)
{
    if (!e)
        return;
    bl_app_stock_summary_release(&e->sum);
    bl_app_alerts_res_release(&e->al);
    bl_app_stock_day_close(&e->sday);
    bl_app_assess_res_release(&e->as);
    bl_app_route_res_release(&e->rt);
    bl_app_windows_res_release(&e->win);
    bl_free(e);
}

struct bl__api_stocks *bl__api_stocks_new(const char *db_url, _Atomic int *uploads,
                                          _Atomic uint64_t *begun)
{
    struct bl__api_stocks *s = bl_calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    s->db_url = db_url;
    s->uploads = uploads;
    s->begun = begun;
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
        bl__stk_entry_free(s->slot[i]);
    pthread_cond_destroy(&s->done);
    pthread_cond_destroy(&s->wake);
    pthread_mutex_destroy(&s->lock);
    bl_free(s);
}

/* Computes e's kind on st: the day's plan, alerts and summary (what GET /plans computed on
 * each request), every shop's assessment as of e's instant (a dry run, as GET /assessments
 * does), every open order routed, or the windows (given up at shutdown: stop). */
static int compute(struct bl_store *st, struct bl__stk_entry *e, const atomic_bool *stop,
                   struct bl_diag *d)
{
    if (e->k.kind == BL__STK_ASSESS) {
        struct bl_app_assess_req q = {.as_of = e->k.day, .dry_run = true};
        return bl_app_assess(st, e->k.org, &q, &e->as, d);
    }
    if (e->k.kind == BL__STK_ROUTES) {
        struct bl_app_route_req q = {.as_of = e->k.day};
        return bl_app_route(st, e->k.org, &q, &e->rt, d);
    }
    if (e->k.kind == BL__STK_WINDOWS) {
        struct bl_app_windows_req q = {.stop = stop};
        return bl_app_windows(st, e->k.org, &q, &e->win, d);
    }
    struct bl_app_stock_opts o;
    bl_app_stock_opts_init(&o);
    o.playbook = false;
    o.as_of = e->k.day;
    int rc = bl_app_stock_day_open(st, e->k.org, &o, &e->sday, d);
    struct bl_app_alerts_req areq = {.day = &e->sday};
    rc = rc ? rc : bl_app_alerts(st, e->k.org, &areq, &e->al, d);
    return rc ? rc : bl_app_stock_summary(st, e->k.org, &e->al, &e->sum, d);
}

bool bl__stk_same(const struct bl__stk_key *a, const struct bl__stk_key *b)
{
    return a->kind == b->kind && a->org == b->org && a->day == b->day && a->gen == b->gen &&
           a->stamp == b->stamp;
}

struct bl__stk_entry *bl__stk_find(struct bl__api_stocks *s, const struct bl__stk_key *k)
{
    for (size_t i = 0; i < BL_API_STOCK_SLOTS; i++)
        if (s->slot[i] && bl__stk_same(&s->slot[i]->k, k))
            return s->slot[i];
    return NULL;
}

/* Under the lock: the newest entry computed for k at an older generation (what a stale
 * answer gives), or NULL. */
static struct bl__stk_entry *older(struct bl__api_stocks *s, const struct bl__stk_key *k)
{
    struct bl__stk_entry *best = NULL;
    for (size_t i = 0; i < BL_API_STOCK_SLOTS; i++) {
        struct bl__stk_entry *e = s->slot[i];
        if (e && !e->busy && e->ok && e->k.kind == k->kind && e->k.org == k->org &&
            e->k.day == k->day && e->k.stamp == k->stamp && e->k.gen < k->gen &&
            (!best || e->k.gen > best->k.gen))
            best = e;
    }
    return best;
}

struct bl__stk_entry *bl__stk_claim(struct bl__api_stocks *s, const struct bl__stk_key *k)
{
    struct bl__stk_entry *e = bl_calloc(1, sizeof(*e));
    if (!e)
        return NULL;
    *e = (struct bl__stk_entry){.k = *k, .refs = 1, .busy = true};
    size_t at = BL_API_STOCK_SLOTS;
    for (size_t i = 0; i < BL_API_STOCK_SLOTS; i++) {
        struct bl__stk_entry *x = s->slot[i];
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
    bl__stk_entry_free(s->slot[at]);
    s->slot[at] = e;
    e->used = ++s->tick;
    return e;
}

/* Under the lock: takes e out of the table (it stays alive for its holders). */
static void unlist(struct bl__api_stocks *s, struct bl__stk_entry *e)
{
    for (size_t i = 0; i < BL_API_STOCK_SLOTS; i++)
        if (s->slot[i] == e)
            s->slot[i] = NULL;
    e->stale = true;
}

void bl__stk_put(struct bl__api_stocks *s, struct bl__stk_entry *e)
{
    pthread_mutex_lock(&s->lock);
    bool last = --e->refs == 0 && e->stale;
    pthread_mutex_unlock(&s->lock);
    if (last)
        bl__stk_entry_free(e);
}

int bl__stk_fill(struct bl__api_stocks *s, struct bl_store *st, struct bl__stk_entry *e,
                 struct bl_diag *d)
{
    int rc = compute(st, e, &s->stop, d);
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

/* The entry for k: kept, waited for, or computed on st; held (put it). With may_be_stale
 * (and the warm thread running), an entry of an older generation when k's is not computed
 * yet: the warm thread is asked to compute k's at once. */
static int take(struct bl__api_stocks *s, struct bl_store *st, const struct bl__stk_key *k,
                bool may_be_stale, struct bl__stk_entry **out, struct bl_diag *d)
{
    pthread_mutex_lock(&s->lock);
    struct bl__stk_entry *e = k->gen >= 0 ? bl__stk_find(s, k) : NULL;
    struct bl__stk_entry *old =
        may_be_stale && s->started && k->gen >= 0 && (!e || e->busy) ? older(s, k) : NULL;
    if (old) {
        old->refs++;
        old->used = ++s->tick;
        if (!e) {
            s->hurry = true;
            pthread_cond_broadcast(&s->wake);
        }
        pthread_mutex_unlock(&s->lock);
        atomic_fetch_add(&s->stale_given, 1);
        *out = old;
        return BL_OK;
    }
    while (e && e->busy) {
        e->refs++; /* kept alive while waited for */
        pthread_cond_wait(&s->done, &s->lock);
        e->refs--;
        if (!e->ok) {
            bool last = e->refs == 0 && e->stale;
            pthread_mutex_unlock(&s->lock);
            if (last)
                bl__stk_entry_free(e);
            pthread_mutex_lock(&s->lock);
            e = bl__stk_find(s, k);
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
    e = bl__stk_claim(s, k);
    if (e && k->gen < 0 && !e->stale)
        unlist(s, e); /* no generation: never kept */
    pthread_mutex_unlock(&s->lock);
    if (!e)
        return bl_diag_set(d, BL_ENOMEM, "plan: out of memory");
    int rc = bl__stk_fill(s, st, e, d);
    if (rc) {
        bl__stk_put(s, e);
        return rc;
    }
    *out = e;
    return BL_OK;
}

/* The entry for (kind, the caller's organisation, day, stamp) at the data generation now,
 * into ref (ref->gen: the generation it was computed at; ref->stale when older). */
static int get(struct bl__api_call *c, const struct bl__stk_key *want, bool may_be_stale,
               struct bl__api_stock_ref *ref, struct bl__stk_entry **out, struct bl_diag *d)
{
    struct bl__api_stocks *s = c->srv ? c->srv->stocks : NULL;
    struct bl__stk_key k = *want;
    k.org = c->org;
    k.gen = -1;
    struct bl_diag gd;
    bl_diag_clear(&gd);
    int rc;
    if (s) {
        if (bl_app_data_gen(c->st, c->org, &k.gen, &gd))
            k.gen = -1;
        rc = take(s, c->st, &k, may_be_stale, out, d);
    } else {
        struct bl__stk_entry *e = bl_calloc(1, sizeof(*e));
        if (!e)
            return bl_diag_set(d, BL_ENOMEM, "plan: out of memory");
        *e = (struct bl__stk_entry){.k = k, .refs = 1, .stale = true};
        *out = e;
        rc = compute(c->st, e, NULL, d);
    }
    ref->e = *out;
    ref->gen = *out ? (*out)->k.gen : -1;
    ref->stale = *out && (*out)->k.gen != k.gen;
    return rc;
}

int bl__api_stock_get(struct bl__api_call *c, int64_t day, struct bl__api_stock_ref *ref,
                      struct bl_diag *d)
{
    memset(ref, 0, sizeof(*ref));
    struct bl__stk_key k = {.kind = BL__STK_DAY, .day = day};
    struct bl__stk_entry *e = NULL;
    int rc = get(c, &k, false, ref, &e, d);
    ref->al = e ? &e->al : NULL;
    ref->sum = e ? &e->sum : NULL;
    return rc;
}

int bl__api_assess_get(struct bl__api_call *c, int64_t as_of, struct bl__api_stock_ref *ref,
                       struct bl_diag *d)
{
    memset(ref, 0, sizeof(*ref));
    struct bl__stk_key k = {
        .kind = BL__STK_ASSESS, .day = as_of, .stamp = bl__api_profiles_stamp(c)};
    struct bl__stk_entry *e = NULL;
    int rc = get(c, &k, false, ref, &e, d);
    ref->as = e ? &e->as : NULL;
    return rc;
}

int bl__api_routes_get(struct bl__api_call *c, int64_t as_of, struct bl__api_stock_ref *ref,
                       struct bl_diag *d)
{
    memset(ref, 0, sizeof(*ref));
    struct bl__stk_key k = {.kind = BL__STK_ROUTES, .day = as_of};
    struct bl__stk_entry *e = NULL;
    int rc = get(c, &k, false, ref, &e, d);
    ref->rt = e ? &e->rt : NULL;
    return rc;
}

int bl__api_windows_get(struct bl__api_call *c, struct bl__api_stock_ref *ref, struct bl_diag *d)
{
    memset(ref, 0, sizeof(*ref));
    struct bl__stk_key k = {.kind = BL__STK_WINDOWS};
    struct bl__stk_entry *e = NULL;
    int rc = get(c, &k, true, ref, &e, d);
    ref->win = e ? &e->win : NULL;
    return rc;
}

void bl__api_stock_put(struct bl__api_call *c, struct bl__api_stock_ref *ref)
{
    struct bl__stk_entry *e = ref->e;
    if (!e)
        return;
    struct bl__api_stocks *s = c->srv ? c->srv->stocks : NULL;
    if (s)
        bl__stk_put(s, e);
    else
        bl__stk_entry_free(e);
    memset(ref, 0, sizeof(*ref));
}
