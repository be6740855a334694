/* sched.h - the daily cycle on a schedule (docs/internals/api.md, "The scheduler"):
 *
 *   bl_app_org_schedule_set  an organisation's schedule: the local time and zone its
 *                            cycle runs at every day, or none (the default)
 *   bl_app_org_schedule      the schedule, its next run and the last one
 *   bl_app_sched_tick        one pass of the scheduler: runs every organisation's cycle
 *                            that is due (claimed first, so one server runs it), retries
 *                            a failed one whose time came, says when to look again
 *   bl_app_cycle_metrics     what /metrics says of cycles and the outbox, from the store
 *
 * The rule of when a run is due is ballast/schedule.h (pure); a day's run is claimed in
 * the store (store/sched.h) before it starts, so it runs once per organisation and local
 * day across restarts and across servers on one store. A run is the same use case
 * `ballast cycle` and POST /api/v1/cycles run (bl_app_cycle), as of the moment it was
 * claimed; a failed step is retried by running the cycle again at that as-of (the steps
 * done are not run twice), after 1, 2, 4, 8, 16 minutes, then given up for the day. The
 * digest goes out once the day's run is done or given up, and says what failed, how
 * often it was retried, and how many days were missed before it.
 *
 * Ownership: reqs borrowed; results are the caller's, nothing to free but what says so.
 */
#ifndef BL_APP_SCHED_H
#define BL_APP_SCHED_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/schedule.h"
#include "ballast/store.h"

/* ---- the setting -------------------------------------------------------------------- */

struct bl_app_schedule_req {
    const char *at; /* "06:30" (HH:MM); NULL: unchanged */
    const char *tz; /* an IANA zone; NULL: unchanged (required when there was none) */
    bool off;       /* no schedule (at and tz must be NULL) */
    int64_t now;    /* 0: the clock */
};

/* Why a schedule was refused (d says it in words; the code names the field). */
enum bl_app_schedule_why {
    BL_SCHEDULE_OK = 0,
    BL_SCHEDULE_BAD_AT,  /* at is not HH:MM */
    BL_SCHEDULE_BAD_TZ,  /* tz is no IANA zone */
    BL_SCHEDULE_NEED_TZ, /* a first schedule without a zone */
    BL_SCHEDULE_NEED_AT, /* a zone for an organisation without a schedule */
    BL_SCHEDULE_NOTHING, /* nothing asked */
};

struct bl_app_schedule {
    bool on;
    int at_min;  /* minutes after local midnight */
    char tz[64]; /* its zone */
    int64_t since;
    /* the next run (on) */
    int64_t next_day, next_at;
    bool next_due; /* its time came: the scheduler runs it at its next look */
    enum bl_sched_local next_local;
    /* the last day's run, if any */
    bool have_last;
    int64_t last_day, last_due_at, last_as_of, last_cycle, last_attempts, last_next_at;
    char last_state[16];          /* running, retrying, stopped, done, given_up */
    enum bl_app_schedule_why why; /* set by _set when it refuses */
};

int bl_app_org_schedule_set(struct bl_store *st, int64_t org, const struct bl_app_schedule_req *req,
                            struct bl_app_schedule *res, struct bl_diag *d) BL_MUST_CHECK;
int bl_app_org_schedule(struct bl_store *st, int64_t org, int64_t now, struct bl_app_schedule *res,
                        struct bl_diag *d) BL_MUST_CHECK;

/* ---- the scheduler's pass ----------------------------------------------------------- */

struct bl_app_sched_tick_req {
    /* the scheduler's clock: NULL, the real one (a test's clock runs faster) */
    int64_t (*clock)(void *ctx);
    void *clock_ctx;
    const atomic_bool *stop; /* set: stop between two steps, and run nothing more */
    bool no_digest;          /* run without sending the digest */
};

enum { BL_SCHED_RAN = 0, BL_SCHED_RETRIED, BL_SCHED_FAILED, BL_SCHED_GAVE_UP, BL_SCHED_NCOUNT };

struct bl_app_sched_tick_res {
    int64_t next_at;                 /* the earliest instant something is due (0: nothing) */
    int64_t counts[BL_SCHED_NCOUNT]; /* attempts that completed a day, retried ones among
                                      * them, failed attempts, days given up */
    bool stopped;                    /* req->stop was seen */
};

/* Runs what is due as of req->now, one organisation after the other. BL_OK unless the
 * store failed (a cycle that fails is an attempt recorded, not an error). */
int bl_app_sched_tick(struct bl_store *st, const struct bl_app_sched_tick_req *req,
                      struct bl_app_sched_tick_res *res, struct bl_diag *d) BL_MUST_CHECK;

/* ---- /metrics ----------------------------------------------------------------------- */

#define BL_CYCLE_HIST_N 12 /* the bucket bounds of a step's duration */
extern const int64_t bl_cycle_hist_ms[BL_CYCLE_HIST_N];

struct bl_app_metric_step {
    char step[32];
    int64_t le[BL_CYCLE_HIST_N]; /* cumulative */
    int64_t count, sum_ms;
};
struct bl_app_metric_n {
    char *org;    /* the organisation's name */
    char key[24]; /* a state or outcome */
    int64_t n;
};
struct bl_app_cycle_metrics {
    struct bl_app_metric_step steps[16];
    size_t nsteps;
    struct bl_app_metric_n *cycles, *last_done, *outbox, *retries;
    size_t ncycles, nlast_done, noutbox, nretries;
    struct bl_app_metric_n *pruned, *pruned_last; /* retention: key the kind */
    size_t npruned, npruned_last;
    struct bl_arena arena;
};

int bl_app_cycle_metrics(struct bl_store *st, struct bl_app_cycle_metrics *res,
                         struct bl_diag *d) BL_MUST_CHECK;
void bl_app_cycle_metrics_release(struct bl_app_cycle_metrics *res);

#endif
