/* sched.c - the daily cycle on a schedule: settings, claims, attempts, figures (sched.h). */
#include <stdio.h>
#include <string.h>

#include "store/sched.h"

static void setting_from(const struct bl_row *r, size_t col, struct bl_sched_setting *s)
{
    s->at_min = bl_row_isnull(r, col) ? -1 : (int)bl_row_int(r, col);
    bl_str_copy(s->tz, sizeof(s->tz), bl_row_text(r, col + 1));
    s->since = bl_row_int(r, col + 2);
}

static int setting_row(void *vctx, const struct bl_row *r)
{
    setting_from(r, 0, vctx);
    return 0;
}

int bl_store_sched_get(struct bl_store *st, int64_t org, struct bl_sched_setting *out,
                       struct bl_diag *d)
{
    memset(out, 0, sizeof(*out));
    out->at_min = -1;
    struct bl_val p = bl_val_int(org);
    return bl_store_query(st,
                          "SELECT cycle_at, COALESCE(cycle_tz, ''), COALESCE(cycle_since, 0)"
                          " FROM org WHERE id = $1",
                          &p, 1, setting_row, out, d);
}

int bl_store_sched_set(struct bl_store *st, int64_t org, const struct bl_sched_setting *s,
                       struct bl_diag *d)
{
    bool on = s->at_min >= 0;
    struct bl_val p[4] = {bl_val_int(org), on ? bl_val_int(s->at_min) : bl_val_null(),
                          on ? bl_val_text(bl_str_c(s->tz)) : bl_val_null(),
                          on ? bl_val_int(s->since) : bl_val_null()};
    return bl_store_exec(st,
                         "UPDATE org SET cycle_at = $2, cycle_tz = $3, cycle_since = $4"
                         " WHERE id = $1",
                         p, 4, NULL, d);
}

struct org_ctx {
    bl_sched_org_fn fn;
    void *ctx;
};

static int org_row(void *vctx, const struct bl_row *r)
{
    struct org_ctx *c = vctx;
    struct bl_sched_org o = {.org = bl_row_int(r, 0), .name = bl_row_text(r, 1)};
    setting_from(r, 2, &o.set);
    o.last_day = bl_row_int_or(r, 5, INT64_MIN);
    return c->fn(c->ctx, &o);
}

int bl_store_sched_orgs(struct bl_store *st, bl_sched_org_fn fn, void *ctx, struct bl_diag *d)
{
    struct org_ctx c = {fn, ctx};
    return bl_store_query(st,
                          "SELECT o.id, o.name, o.cycle_at, COALESCE(o.cycle_tz, 'UTC'),"
                          " COALESCE(o.cycle_since, 0),"
                          " (SELECT MAX(s.day) FROM cycle_sched s WHERE s.org_id = o.id)"
                          " FROM org o WHERE o.cycle_at IS NOT NULL ORDER BY o.id",
                          NULL, 0, org_row, &c, d);
}

static int last_day_row(void *vctx, const struct bl_row *r)
{
    *(int64_t *)vctx = bl_row_int_or(r, 0, INT64_MIN);
    return 0;
}

int bl_store_sched_last_day(struct bl_store *st, int64_t org, int64_t *day, struct bl_diag *d)
{
    *day = INT64_MIN;
    struct bl_val p = bl_val_int(org);
    return bl_store_query(st, "SELECT MAX(day) FROM cycle_sched WHERE org_id = $1", &p, 1,
                          last_day_row, day, d);
}

#define RUN_COLS                                                                                   \
    "org_id, day, due_at, as_of, attempts, claimed_at, COALESCE(next_at, 0),"                      \
    " COALESCE(cycle_id, 0), missed, state, runner"

struct run_ctx {
    bl_sched_run_fn fn;
    void *ctx;
    bool found;
};

static int run_row(void *vctx, const struct bl_row *r)
{
    struct run_ctx *c = vctx;
    struct bl_sched_run x = {
        .org = bl_row_int(r, 0),
        .day = bl_row_int(r, 1),
        .due_at = bl_row_int(r, 2),
        .as_of = bl_row_int(r, 3),
        .attempts = bl_row_int(r, 4),
        .claimed_at = bl_row_int(r, 5),
        .next_at = bl_row_int(r, 6),
        .cycle_id = bl_row_int(r, 7),
        .missed = bl_row_int(r, 8),
        .state = bl_row_text(r, 9),
        .runner = bl_row_text(r, 10),
    };
    c->found = true;
    return c->fn(c->ctx, &x);
}

int bl_store_sched_open_runs(struct bl_store *st, bl_sched_run_fn fn, void *ctx, struct bl_diag *d)
{
    struct run_ctx c = {fn, ctx, false};
    return bl_store_query(st,
                          "SELECT " RUN_COLS " FROM cycle_sched"
                          " WHERE state IN ('running', 'retrying', 'stopped')"
                          " ORDER BY next_at, org_id, day",
                          NULL, 0, run_row, &c, d);
}

int bl_store_sched_run_get(struct bl_store *st, int64_t org, int64_t day, bl_sched_run_fn fn,
                           void *ctx, struct bl_diag *d)
{
    struct run_ctx c = {fn, ctx, false};
    struct bl_val p[2] = {bl_val_int(org), bl_val_int(day)};
    int rc =
        bl_store_query(st, "SELECT " RUN_COLS " FROM cycle_sched WHERE org_id = $1 AND day = $2", p,
                       2, run_row, &c, d);
    return !rc && !c.found ? BL_ENOTFOUND : rc;
}

static int attempt_add(struct bl_store *st, int64_t org, int64_t day, int64_t attempt,
                       const char *runner, int64_t now, struct bl_diag *d)
{
    struct bl_val p[5] = {bl_val_int(org), bl_val_int(day), bl_val_int(attempt), bl_val_int(now),
                          bl_val_text(bl_str_c(runner))};
    return bl_store_exec(st,
                         "INSERT INTO cycle_attempt (org_id, day, attempt, started_at, runner,"
                         " outcome) VALUES ($1, $2, $3, $4, $5, 'running')",
                         p, 5, NULL, d);
}

int bl_store_sched_claim(struct bl_store *st, const struct bl_sched_run *r, bool *claimed,
                         struct bl_diag *d)
{
    *claimed = false;
    struct bl_val p[7] = {bl_val_int(r->org),   bl_val_int(r->day),     bl_val_int(r->due_at),
                          bl_val_int(r->as_of), bl_val_text(r->runner), bl_val_int(r->claimed_at),
                          bl_val_int(r->missed)};
    int64_t n = 0;
    int rc = bl_store_begin(st, d);
    if (!rc)
        rc = bl_store_exec(st,
                           "INSERT INTO cycle_sched (org_id, day, due_at, as_of, state, attempts,"
                           " runner, claimed_at, missed) VALUES ($1, $2, $3, $4, 'running', 1, $5,"
                           " $6, $7) ON CONFLICT (org_id, day) DO NOTHING",
                           p, 7, &n, d);
    *claimed = !rc && n > 0;
    char runner[128];
    bl_str_copy(runner, sizeof(runner), r->runner);
    if (!rc && *claimed)
        rc = attempt_add(st, r->org, r->day, 1, runner, r->claimed_at, d);
    rc = bl_store_end(st, rc, d);
    if (rc)
        *claimed = false;
    return rc;
}

int bl_store_sched_retake(struct bl_store *st, int64_t org, int64_t day, const char *state,
                          int64_t attempts, const char *runner, int64_t now, bool *claimed,
                          struct bl_diag *d)
{
    *claimed = false;
    struct bl_val p[5] = {bl_val_int(org), bl_val_int(day), bl_val_text(bl_str_c(state)),
                          bl_val_int(attempts), bl_val_text(bl_str_c(runner))};
    int64_t n = 0;
    int rc = bl_store_begin(st, d);
    if (!rc)
        rc = bl_store_exec(st,
                           "UPDATE cycle_sched SET state = 'running', attempts = attempts + 1,"
                           " runner = $5, next_at = NULL WHERE org_id = $1 AND day = $2"
                           " AND state = $3 AND attempts = $4",
                           p, 5, &n, d);
    *claimed = !rc && n > 0;
    /* an attempt that was running in a process now gone ends as interrupted */
    if (!rc && *claimed)
        rc = bl_store_exec(st,
                           "UPDATE cycle_attempt SET outcome = 'interrupted' WHERE org_id = $1"
                           " AND day = $2 AND outcome = 'running'",
                           p, 2, NULL, d);
    if (!rc && *claimed)
        rc = attempt_add(st, org, day, attempts + 1, runner, now, d);
    rc = bl_store_end(st, rc, d);
    if (rc)
        *claimed = false;
    return rc;
}

static struct bl_val text_or_null(const char *s)
{
    return s ? bl_val_text(bl_str_c(s)) : bl_val_null();
}

int bl_store_sched_end(struct bl_store *st, int64_t org, int64_t day, const struct bl_sched_end *e,
                       struct bl_diag *d)
{
    struct bl_val p[10] = {bl_val_int(org),
                           bl_val_int(day),
                           bl_val_int(e->attempt),
                           bl_val_int(e->now),
                           e->cycle_id ? bl_val_int(e->cycle_id) : bl_val_null(),
                           bl_val_text(bl_str_c(e->outcome)),
                           text_or_null(e->step),
                           text_or_null(e->error),
                           bl_val_text(bl_str_c(e->state)),
                           e->next_at ? bl_val_int(e->next_at) : bl_val_null()};
    int rc = bl_store_begin(st, d);
    if (!rc)
        rc = bl_store_exec(st,
                           "UPDATE cycle_attempt SET finished_at = $4, cycle_id = $5, outcome = $6,"
                           " step = $7, error = $8 WHERE org_id = $1 AND day = $2 AND attempt = $3",
                           p, 8, NULL, d);
    struct bl_val q[6] = {p[0], p[1], p[3], p[4], p[8], p[9]};
    if (!rc)
        rc = bl_store_exec(st,
                           "UPDATE cycle_sched SET state = $5, next_at = $6,"
                           " cycle_id = COALESCE($4, cycle_id),"
                           " finished_at = CASE WHEN $5 IN ('done', 'given_up') THEN $3 END"
                           " WHERE org_id = $1 AND day = $2",
                           q, 6, NULL, d);
    return bl_store_end(st, rc, d);
}

struct attempt_ctx {
    bl_sched_attempt_fn fn;
    void *ctx;
};

static int attempt_row(void *vctx, const struct bl_row *r)
{
    struct attempt_ctx *c = vctx;
    struct bl_sched_attempt a = {
        .attempt = bl_row_int(r, 0),
        .started_at = bl_row_int(r, 1),
        .finished_at = bl_row_int(r, 2),
        .cycle_id = bl_row_int(r, 3),
        .outcome = bl_row_text(r, 4),
        .step = bl_row_text(r, 5),
        .error = bl_row_text(r, 6),
    };
    return c->fn(c->ctx, &a);
}

int bl_store_sched_attempts(struct bl_store *st, int64_t org, int64_t day, bl_sched_attempt_fn fn,
                            void *ctx, struct bl_diag *d)
{
    struct attempt_ctx c = {fn, ctx};
    struct bl_val p[2] = {bl_val_int(org), bl_val_int(day)};
    return bl_store_query(st,
                          "SELECT attempt, started_at, COALESCE(finished_at, 0),"
                          " COALESCE(cycle_id, 0), outcome, COALESCE(step, ''),"
                          " COALESCE(error, '') FROM cycle_attempt"
                          " WHERE org_id = $1 AND day = $2 ORDER BY attempt",
                          p, 2, attempt_row, &c, d);
}
