/* stock_cache_impl.h - what the kept days (stock_cache.c) and the warm thread that keeps
 * them ready (stock_warm.c) share; internal to src/api (docs/internals/api.md, "The stock
 * day").
 *
 * Locking: s->lock guards the table (slot, tick), every entry's refs, busy, ok, stale and
 * used, and s->hurry; an entry's results are written by the one thread that claimed it
 * while busy, and read by others only after they saw it not busy under the lock. s->stop
 * is atomic (read by the computations, between SKUs or channels); failed and nfailed are
 * the warm thread's alone. */
#ifndef BL_API_STOCK_CACHE_IMPL_H
#define BL_API_STOCK_CACHE_IMPL_H

#include <pthread.h>
#include <stdatomic.h>

#include "api/server_impl.h"
#include "app/assess.h"
#include "app/logistics.h"
#include "app/stock.h"
#include "app/stock_summary.h"

enum bl__stk_kind { BL__STK_DAY, BL__STK_ASSESS, BL__STK_ROUTES, BL__STK_WINDOWS };

/* What an entry is kept for. */
struct bl__stk_key {
    enum bl__stk_kind kind;
    int64_t org, day, gen; /* day: the day planned for (DAY), the as-of (the others) */
    uint64_t stamp;        /* ASSESS: the profile files' */
};

struct bl__stk_entry {
    struct bl__stk_key k;
    int refs;
    bool busy, ok, stale; /* stale: out of the table, freed by its last holder */
    uint64_t used;
    struct bl_app_stock_day sday;
    struct bl_app_alerts_res al;
    struct bl_app_stock_summary sum; /* the Stock page's, of sday and al */
    struct bl_app_assess_res as;
    struct bl_app_route_res rt;
    struct bl_app_windows_res win;
};

struct bl__api_stocks {
    pthread_mutex_t lock;
    pthread_cond_t done; /* an entry stopped being busy */
    pthread_cond_t wake; /* the warm thread: stop, or hurry */
    struct bl__stk_entry *slot[BL_API_STOCK_SLOTS];
    uint64_t tick;
    const char *db_url;
    _Atomic int *uploads;    /* the server's uploads running (borrowed), or NULL */
    _Atomic uint64_t *begun; /* and begun (borrowed), or NULL */
    pthread_t thread;
    bool started;
    bool hurry;                   /* a stale answer was given: look at the store now */
    long warm_s;                  /* between passes: BL_API_STOCK_WARM_S, or BALLAST_WARM_S */
    struct bl__stk_key failed[8]; /* the warm thread's: what failed to compute (not tried again) */
    size_t nfailed;
    atomic_bool stop; /* set at shutdown: computations give up (BL_EINTERRUPTED) */
    _Atomic uint64_t computed, warmed, hits, stale_given;
};

bool bl__stk_same(const struct bl__stk_key *a, const struct bl__stk_key *b);
void bl__stk_entry_free(struct bl__stk_entry *e);
/* Under the lock: the kept entry of k, or NULL. */
struct bl__stk_entry *bl__stk_find(struct bl__api_stocks *s, const struct bl__stk_key *k);
/* Under the lock: a new busy entry for k, held once, in the table (the least recently used
 * one not in use replaced) or out of it (every slot in use); NULL when out of memory. */
struct bl__stk_entry *bl__stk_claim(struct bl__api_stocks *s, const struct bl__stk_key *k);
/* Computes the claimed entry e on st and publishes it (or its failure, taking it out). */
int bl__stk_fill(struct bl__api_stocks *s, struct bl_store *st, struct bl__stk_entry *e,
                 struct bl_diag *d);
/* Lets go of a held entry (freed when it was the last holder of one out of the table). */
void bl__stk_put(struct bl__api_stocks *s, struct bl__stk_entry *e);

#endif
