/* sched.h - the daily cycle on a schedule, typed (store family "sched"): each
 * organisation's schedule (org.cycle_at, cycle_tz, cycle_since), the claim of a local
 * day's run (cycle_sched: one row per organisation and day; the primary key is the
 * claim), its attempts (cycle_attempt), and the figures /metrics reads across every
 * organisation.
 *
 * Strings passed in are borrowed for the call; strings in a row given to a callback are
 * valid during the callback only. Functions that write commit their own transaction. */
#ifndef BL_STORE_SCHED_H
#define BL_STORE_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/store.h"

/* An organisation's schedule: at_min -1 when it has none. */
struct bl_sched_setting {
    int at_min;    /* minutes after local midnight, or -1 */
    char tz[64];   /* IANA zone */
    int64_t since; /* when it was set */
};

int bl_store_sched_get(struct bl_store *st, int64_t org, struct bl_sched_setting *out,
                       struct bl_diag *d) BL_MUST_CHECK;
/* Sets it (s->at_min -1: no schedule). Runs inside the caller's transaction. */
int bl_store_sched_set(struct bl_store *st, int64_t org, const struct bl_sched_setting *s,
                       struct bl_diag *d) BL_MUST_CHECK;

/* Every organisation with a schedule, by id: its name, schedule and the last local day
 * a run was claimed (INT64_MIN: none). */
struct bl_sched_org {
    int64_t org;
    struct bl_str name;
    struct bl_sched_setting set;
    int64_t last_day;
};
typedef int (*bl_sched_org_fn)(void *ctx, const struct bl_sched_org *o);
int bl_store_sched_orgs(struct bl_store *st, bl_sched_org_fn fn, void *ctx,
                        struct bl_diag *d) BL_MUST_CHECK;

/* The last local day org's run was claimed (INT64_MIN: none). */
int bl_store_sched_last_day(struct bl_store *st, int64_t org, int64_t *day,
                            struct bl_diag *d) BL_MUST_CHECK;

/* A day's run (cycle_sched). */
struct bl_sched_run {
    int64_t org, day, due_at, as_of, attempts, claimed_at, next_at, cycle_id, missed;
    struct bl_str state, runner; /* running | retrying | stopped | done | given_up; "host:pid" */
};
typedef int (*bl_sched_run_fn)(void *ctx, const struct bl_sched_run *r);

/* The runs not finished (running, retrying or stopped), every organisation, by next_at. */
int bl_store_sched_open_runs(struct bl_store *st, bl_sched_run_fn fn, void *ctx,
                             struct bl_diag *d) BL_MUST_CHECK;
/* One organisation's run of day: fn once, or BL_ENOTFOUND (d untouched). */
int bl_store_sched_run_get(struct bl_store *st, int64_t org, int64_t day, bl_sched_run_fn fn,
                           void *ctx, struct bl_diag *d) BL_MUST_CHECK;

/* Claims day's run of org for runner (attempt 1): *claimed false when the row exists
 * (another run, here or on another server, has it). */
int bl_store_sched_claim(struct bl_store *st, const struct bl_sched_run *r, bool *claimed,
                         struct bl_diag *d) BL_MUST_CHECK;

/* Takes over a run found in state `state` with `attempts` attempts (a retry that is due,
 * or a running one whose process is gone): the next attempt is runner's. *claimed false
 * when another process changed the row first. */
int bl_store_sched_retake(struct bl_store *st, int64_t org, int64_t day, const char *state,
                          int64_t attempts, const char *runner, int64_t now, bool *claimed,
                          struct bl_diag *d) BL_MUST_CHECK;

/* The end of attempt `attempt` of day's run: its outcome (done, failed, stopped), the
 * cycle, the failed step and why (NULL: none); the run's new state (done, retrying with
 * next_at, given_up). */
struct bl_sched_end {
    int64_t attempt, cycle_id, now, next_at;
    const char *outcome, *step, *error, *state;
};
int bl_store_sched_end(struct bl_store *st, int64_t org, int64_t day, const struct bl_sched_end *e,
                       struct bl_diag *d) BL_MUST_CHECK;

/* Day's attempts in order. */
struct bl_sched_attempt {
    int64_t attempt, started_at, finished_at, cycle_id;
    struct bl_str outcome, step, error;
};
typedef int (*bl_sched_attempt_fn)(void *ctx, const struct bl_sched_attempt *a);
int bl_store_sched_attempts(struct bl_store *st, int64_t org, int64_t day, bl_sched_attempt_fn fn,
                            void *ctx, struct bl_diag *d) BL_MUST_CHECK;

/* ---- what /metrics reads, every organisation ---- */

/* Per step, the number of recorded steps (done or failed) whose ms is at or under each
 * of the nb bucket bounds (cumulative), their count and their ms summed. */
typedef int (*bl_sched_step_fn)(void *ctx, struct bl_str step, const int64_t *le, size_t nb,
                                int64_t count, int64_t sum_ms);
int bl_store_sched_step_hist(struct bl_store *st, const int64_t *bounds_ms, size_t nb,
                             bl_sched_step_fn fn, void *ctx, struct bl_diag *d) BL_MUST_CHECK;

/* Per organisation (its name) and key (a state, an outcome): a number. */
typedef int (*bl_sched_count_fn)(void *ctx, struct bl_str org, struct bl_str key, int64_t n);
/* Runs sql (no parameters; rows of org name, key, count) and calls fn for each row; fn's
 * non-zero return stops the query and is returned (the metrics' and retention's counts). */
int bl__store_count_rows(struct bl_store *st, const char *sql, bl_sched_count_fn fn, void *ctx,
                         struct bl_diag *d) BL_MUST_CHECK;
/* Cycles by organisation and state (running, done, failed; dry runs are not recorded). */
int bl_store_sched_cycle_counts(struct bl_store *st, bl_sched_count_fn fn, void *ctx,
                                struct bl_diag *d) BL_MUST_CHECK;
/* The last finished_at of a done cycle, per organisation (key ""). */
int bl_store_sched_last_done(struct bl_store *st, bl_sched_count_fn fn, void *ctx,
                             struct bl_diag *d) BL_MUST_CHECK;
/* Customer messages by organisation and state (the outbox). */
int bl_store_sched_outbox(struct bl_store *st, bl_sched_count_fn fn, void *ctx,
                          struct bl_diag *d) BL_MUST_CHECK;
/* Scheduled attempts after a first one (retries, key "retries") and days given up (key
 * "given_up"), per organisation that had a scheduled run (0s included). */
int bl_store_sched_retries(struct bl_store *st, bl_sched_count_fn fn, void *ctx,
                           struct bl_diag *d) BL_MUST_CHECK;

#endif
