/* cycle.h - the daily cycle: the whole pass of DESIGN.md section 2 for one organisation,
 * in order, in one process (docs/internals/cycle.md).
 *
 *   forecast -> plan -> alerts -> playbook -> route -> assess -> compensate -> sla
 *   -> messages -> banners -> watch (tax thresholds)
 *
 * Each step is a use case of src/app run with the cycle's as-of and id: it commits its
 * own results in one transaction (all or nothing) and is idempotent, so a cycle run twice
 * at the same as-of issues no second coupon, ledger entry, message or action. The cycle
 * is recorded (store/cycle.h): begun, each step with its timing and counts, finished. A
 * cycle that did not finish (killed, or a step failed) is resumed by the next run at the
 * same as-of: the steps it recorded as done are not run again.
 *
 * Ownership: res is the caller's; release it with bl_app_cycle_res_release.
 */
#ifndef BL_APP_CYCLE_H
#define BL_APP_CYCLE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/err.h"
#include "ballast/store.h"
#include "store/cycle.h"
#include "store/digest.h"

#define BL_CYCLE_STEPS_MAX 16
#define BL_CYCLE_COUNTS_MAX 8

enum bl_step_state {
    BL_STEP_DONE = 0, /* ran now */
    BL_STEP_EARLIER,  /* done by an earlier run of this cycle (resumed) */
    BL_STEP_SKIPPED,  /* nothing to work on (e.g. no sales history, no channels) */
    BL_STEP_FAILED,
};

const char *bl_step_state_name(enum bl_step_state s); /* done, earlier, skipped, failed */

/* A number a step reports: its name is a stable code (docs/internals/cycle.md), e.g.
 * "coupons_new", "coupons_already". */
struct bl_app_cycle_count {
    const char *name;
    int64_t n;
};

struct bl_app_cycle_step {
    const char *name; /* forecast, plan, ... (static) */
    enum bl_step_state state;
    int64_t ms;
    struct bl_app_cycle_count counts[BL_CYCLE_COUNTS_MAX];
    size_t ncounts;
    const char *why; /* SKIPPED: a code saying why (no_skus, no_sales, no_stock_counts,
                        no_channels, no_shops, no_profiles), static */
    int err;         /* the failure's bl_err, when FAILED */
    char error[400]; /* and its diagnostic */
};

struct bl_app_cycle_req {
    int64_t as_of;     /* the instant: nothing stamped after it is known */
    int64_t day;       /* the stock day (day number) plans and alerts are for */
    bool dry_run;      /* compute every step, store nothing, record no cycle */
    int64_t now;       /* 0: the clock */
    const char *shard; /* "K/N" label recorded with the cycle, or NULL */
    int horizon_days;  /* stock-outs ahead this far count in the summary; 0: 14 */
    bool end_of_day;   /* as_of is the end of the day before `day` in zone tz (the person
                          gave a date: its end, the morning of the stock day) */
    const char *tz;    /* that zone, for the words (NULL: UTC) */
    /* Called before each step with its index, the number of steps and its name, for a
     * front end's progress line; NULL: none. */
    void (*on_step)(void *ctx, size_t i, size_t n, const char *name);
    void *step_ctx;
    /* NULL, or a flag another thread sets to stop the cycle: checked before each step, so
     * a step that began finishes (its transaction whole) and the cycle stops there, left
     * "stopped" for the next run at the same as-of to complete (res->stopped). */
    const atomic_bool *stop;
};

/* Coupons paid, coupons owed and SLA waivers (the facts' per-currency sums) in the
 * organisation's currency at the rates of the cycle's day: have[k] false when the
 * organisation has no currency, a rate is missing or the sum does not fit. */
enum { BL_CYCLE_PAID, BL_CYCLE_OWED, BL_CYCLE_WAIVERS, BL_CYCLE_NTOTALS };
struct bl_app_cycle_totals {
    char currency[4];
    int64_t amount[BL_CYCLE_NTOTALS];
    bool have[BL_CYCLE_NTOTALS];
};

struct bl_app_cycle_res {
    int64_t cycle_id; /* 0 in a dry run */
    bool resumed;     /* an unfinished cycle at this as-of was completed */
    bool failed;      /* a step failed (the others ran) */
    bool stopped;     /* req->stop was set: the steps after the last one run are left */
    int64_t ms;
    struct bl_app_cycle_step steps[BL_CYCLE_STEPS_MAX];
    size_t nsteps;
    struct bl_digest_facts facts; /* what needs a decision, what was done */
    bool have_facts;
    /* the region of each disruption in facts.disruption in words, en [0] and zh-CN [1]
     * ("the area around Yiwu", "义乌一带"; in the facts' arena) */
    const char *dis_place[BL_DIGEST_LIST_MAX][2];
    struct bl_app_cycle_totals totals; /* the facts' money in the organisation's currency */
};

/* Runs the cycle for organisation org. BL_OK when every step ran (or was done before);
 * a failed step leaves the cycle failed (the next run resumes it), the other steps run,
 * and the function returns the first failure with d set. */
int bl_app_cycle(struct bl_store *st, int64_t org, const struct bl_app_cycle_req *req,
                 struct bl_app_cycle_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_cycle_res_release(struct bl_app_cycle_res *res);

/* The shard (0..n-1) organisation org belongs to among n: a fixed hash of its id. */
int bl_app_cycle_shard_of(int64_t org, int n);

/* The organisations in shard k of n (n 1: all), in id order. Caller frees *ids and
 * each of *names (and the array) with bl_app_orgs_free. */
int bl_app_cycle_orgs(struct bl_store *st, int k, int n, int64_t **ids, char ***names,
                      size_t *count, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_orgs_free(int64_t *ids, char **names, size_t count);

/* The newest `limit` cycles, newest first (store/cycle.h's records). */
int bl_app_cycle_list(struct bl_store *st, int64_t org, int64_t limit, bl_cycle_fn fn, void *ctx,
                      struct bl_diag *d) BL_MUST_CHECK;

/* One cycle, then its steps in order. BL_ENOTFOUND when the organisation has no such
 * cycle. */
int bl_app_cycle_get(struct bl_store *st, int64_t org, int64_t id, bl_cycle_fn fn,
                     bl_cycle_step_fn step_fn, void *ctx, struct bl_diag *d) BL_MUST_CHECK;

/* A count a step reported, or -1. */
int64_t bl_app_cycle_count(const struct bl_app_cycle_res *res, const char *step, const char *name);

#endif
