/* cycle.h - the daily cycle's records, typed (store family "cycle"): one row per run of
 * the cycle for an organisation (cycle), one per step it ran (cycle_step).
 *
 * A cycle is begun (state running, committed at once so a killed run leaves a trace),
 * each step is recorded when it ends, and the cycle is finished (done or failed). A
 * cycle that did not finish is resumed by the next run at the same as-of: the steps it
 * recorded as done are not run again. Strings in a row given to a callback are valid
 * during the callback only. */
#ifndef BL_STORE_CYCLE_H
#define BL_STORE_CYCLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/store.h"

struct bl_cycle_rec {
    int64_t id, as_of, day, started_at, finished_at, ms; /* finished_at/ms 0 while running */
    struct bl_str state;                                 /* running | done | failed */
    bool dry_run;
    struct bl_str shard, summary, error; /* summary: JSON object */
};

struct bl_cycle_step_rec {
    int64_t seq, started_at, ms;
    struct bl_str step, state, counts, error; /* counts: JSON object */
};

/* Whether the process named by runner ("host:pid") that started a cycle at started_at
 * may still be running it. */
typedef bool (*bl_cycle_alive_fn)(void *ctx, struct bl_str runner, int64_t started_at);

/* Starts a cycle at as_of (its stock day: day) run by runner, or resumes the newest
 * unfinished one at the same as_of (*resumed true): *id is its id. BL_ECONFLICT, naming
 * it, when a cycle of the organisation is running in a process that alive() says may
 * still be at it (two at once would race for the same coupons and messages). The
 * organisation's row is locked while deciding, so two starting together take turns.
 * Commits its own transaction. */
int bl_store_cycle_begin(struct bl_store *st, int64_t org, int64_t as_of, int64_t day,
                         const char *shard, const char *runner, int64_t now,
                         bl_cycle_alive_fn alive, void *alive_ctx, int64_t *id, bool *resumed,
                         struct bl_diag *d) BL_MUST_CHECK;

/* The as-of and stock day of cycle id. */
int bl_store_cycle_when(struct bl_store *st, int64_t org, int64_t id, int64_t *as_of, int64_t *day,
                        struct bl_diag *d) BL_MUST_CHECK;

/* Whether step `step` of cycle id was recorded as done. */
int bl_store_cycle_step_was_done(struct bl_store *st, int64_t org, int64_t id, const char *step,
                                 bool *done, struct bl_diag *d) BL_MUST_CHECK;

/* Records step `step` (its seq in the cycle's order), replacing an earlier record of
 * the same step of this cycle. Commits its own transaction. */
int bl_store_cycle_step_put(struct bl_store *st, int64_t org, int64_t id, int64_t seq,
                            const char *step, const char *state, int64_t started_at, int64_t ms,
                            const char *counts, const char *error, struct bl_diag *d) BL_MUST_CHECK;

/* Ends cycle id: state done or failed, when, how long, the summary (JSON), the error. One
 * statement: the caller's transaction holds it with the cycle's audit row. */
int bl_store_cycle_finish(struct bl_store *st, int64_t org, int64_t id, const char *state,
                          int64_t finished_at, int64_t ms, const char *summary, const char *error,
                          struct bl_diag *d) BL_MUST_CHECK;

/* The newest `limit` cycles, newest first. */
typedef int (*bl_cycle_fn)(void *ctx, const struct bl_cycle_rec *c);
int bl_store_cycle_list(struct bl_store *st, int64_t org, int64_t limit, bl_cycle_fn fn, void *ctx,
                        struct bl_diag *d) BL_MUST_CHECK;

/* One cycle and its steps in order: fn once, then step_fn per step. BL_ENOTFOUND when
 * there is no such cycle. */
typedef int (*bl_cycle_step_fn)(void *ctx, const struct bl_cycle_step_rec *s);
int bl_store_cycle_get(struct bl_store *st, int64_t org, int64_t id, bl_cycle_fn fn,
                       bl_cycle_step_fn step_fn, void *ctx, struct bl_diag *d) BL_MUST_CHECK;

/* The finished cycle before cycle id (the newest done one with a smaller id), or 0. */
int bl_store_cycle_previous(struct bl_store *st, int64_t org, int64_t id, int64_t *prev,
                            struct bl_diag *d) BL_MUST_CHECK;

/* Every organisation's id and name, in id order. */
typedef int (*bl_org_fn)(void *ctx, int64_t id, struct bl_str name);
int bl_store_cycle_orgs(struct bl_store *st, bl_org_fn fn, void *ctx,
                        struct bl_diag *d) BL_MUST_CHECK;

#endif
