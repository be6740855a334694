/* cycle.c - the daily cycle's records (cycle.h). */
#include "store/cycle.h"

struct running_ctx {
    bl_cycle_alive_fn alive;
    void *ctx;
    int64_t busy; /* the running cycle's id, or 0 */
    char runner[128];
    int64_t started;
};

static int running_row(void *vctx, const struct bl_row *r)
{
    struct running_ctx *c = vctx;
    struct bl_str runner = bl_row_text(r, 1);
    int64_t started = bl_row_int(r, 2);
    if (c->busy || !c->alive(c->ctx, runner, started))
        return 0;
    c->busy = bl_row_int(r, 0);
    bl_str_copy(c->runner, sizeof(c->runner), runner);
    c->started = started;
    return 0;
}

int bl_store_cycle_begin(struct bl_store *st, int64_t org, int64_t as_of, int64_t day,
                         const char *shard, const char *runner, int64_t now,
                         bl_cycle_alive_fn alive, void *alive_ctx, int64_t *id, bool *resumed,
                         struct bl_diag *d)
{
    *resumed = false;
    int rc = bl_store_begin(st, d);
    struct bl_val p[7] = {bl_val_int(org),
                          bl_val_int(as_of),
                          bl_val_int(0),
                          shard ? bl_val_text(bl_str_c(shard)) : bl_val_null(),
                          bl_val_int(now),
                          bl_val_int(day),
                          bl_val_text(bl_str_c(runner ? runner : ""))};
    /* one starter at a time per organisation (PostgreSQL: a row lock to commit; SQLite's
     * BEGIN IMMEDIATE already holds the write lock) */
    if (!rc)
        rc = bl_store_exec(st, "UPDATE org SET name = name WHERE id = $1", p, 1, NULL, d);
    struct running_ctx rcx = {alive, alive_ctx, 0, "", 0};
    if (!rc)
        rc = bl_store_query(st,
                            "SELECT id, COALESCE(runner, ''), started_at FROM cycle"
                            " WHERE org_id = $1 AND state = 'running' ORDER BY id",
                            p, 1, running_row, &rcx, d);
    if (!rc && rcx.busy)
        rc = bl_diag_set(d, BL_ECONFLICT,
                         "cycle %lld of this organisation is running (process %s): one cycle at"
                         " a time; run again when it ends",
                         (long long)rcx.busy, rcx.runner[0] ? rcx.runner : "unknown");
    int64_t open = 0;
    if (!rc) {
        rc = bl_store_query_int(st,
                                "SELECT id FROM cycle WHERE org_id = $1 AND as_of = $2"
                                " AND state <> 'done' AND dry_run = 0 ORDER BY id DESC LIMIT 1",
                                p, 2, &open, d);
        if (rc == BL_ENOTFOUND)
            rc = BL_OK;
    }
    if (!rc && open) {
        *id = open;
        *resumed = true;
        p[2] = bl_val_int(open);
        struct bl_val q[3] = {p[0], p[2], p[6]};
        rc = bl_store_exec(st,
                           "UPDATE cycle SET state = 'running', error = NULL, finished_at = NULL,"
                           " runner = $3 WHERE org_id = $1 AND id = $2",
                           q, 3, NULL, d);
        return bl_store_end(st, rc, d);
    }
    if (!rc)
        rc = bl_store_next_ids(st, org, "cycle", 1, id, d);
    p[2] = bl_val_int(*id);
    if (!rc)
        rc = bl_store_exec(st,
                           "INSERT INTO cycle (org_id, id, as_of, state, dry_run, shard,"
                           " started_at, day, runner, events_upto, dis_events_upto) VALUES ($1,"
                           " $3, $2, 'running', 0, $4, $5, $6, $7, (SELECT COALESCE(MAX(id), 0)"
                           " FROM order_event WHERE org_id = $1), (SELECT COALESCE(MAX(id), 0)"
                           " FROM disruption_event WHERE org_id = $1))",
                           p, 7, NULL, d);
    return bl_store_end(st, rc, d);
}

struct when_ctx {
    int64_t *as_of, *day;
    bool found;
};

static int when_row(void *vctx, const struct bl_row *r)
{
    struct when_ctx *c = vctx;
    *c->as_of = bl_row_int(r, 0);
    *c->day = bl_row_int(r, 1);
    c->found = true;
    return 0;
}

int bl_store_cycle_when(struct bl_store *st, int64_t org, int64_t id, int64_t *as_of,
                        int64_t *day, struct bl_diag *d)
{
    struct bl_val p[2] = {bl_val_int(org), bl_val_int(id)};
    struct when_ctx c = {as_of, day, false};
    int rc = bl_store_query(st, "SELECT as_of, day FROM cycle WHERE org_id = $1 AND id = $2", p,
                            2, when_row, &c, d);
    if (!rc && !c.found)
        rc = bl_diag_set(d, BL_ENOTFOUND, "no cycle %lld", (long long)id);
    return rc;
}

int bl_store_cycle_step_was_done(struct bl_store *st, int64_t org, int64_t id, const char *step,
                                 bool *done, struct bl_diag *d)
{
    struct bl_val p[3] = {bl_val_int(org), bl_val_int(id), bl_val_text(bl_str_c(step))};
    int64_t n = 0;
    int rc = bl_store_query_int(st,
                                "SELECT COUNT(*) FROM cycle_step WHERE org_id = $1"
                                " AND cycle_id = $2 AND step = $3 AND state = 'done'",
                                p, 3, &n, d);
    *done = n > 0;
    return rc;
}

int bl_store_cycle_step_put(struct bl_store *st, int64_t org, int64_t id, int64_t seq,
                            const char *step, const char *state, int64_t started_at, int64_t ms,
                            const char *counts, const char *error, struct bl_diag *d)
{
    int rc = bl_store_begin(st, d);
    struct bl_val p[9] = {bl_val_int(org),
                          bl_val_int(id),
                          bl_val_int(seq),
                          bl_val_text(bl_str_c(step)),
                          bl_val_text(bl_str_c(state)),
                          bl_val_int(started_at),
                          bl_val_int(ms),
                          counts ? bl_val_text(bl_str_c(counts)) : bl_val_null(),
                          error ? bl_val_text(bl_str_c(error)) : bl_val_null()};
    if (!rc)
        rc = bl_store_exec(
            st, "DELETE FROM cycle_step WHERE org_id = $1 AND cycle_id = $2 AND seq = $3", p, 3,
            NULL, d);
    if (!rc)
        rc = bl_store_exec(st,
                           "INSERT INTO cycle_step (org_id, cycle_id, seq, step, state, started_at,"
                           " ms, counts, error) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                           p, 9, NULL, d);
    return bl_store_end(st, rc, d);
}

int bl_store_cycle_finish(struct bl_store *st, int64_t org, int64_t id, const char *state,
                          int64_t finished_at, int64_t ms, const char *summary, const char *error,
                          struct bl_diag *d)
{
    struct bl_val p[7] = {bl_val_int(org),
                          bl_val_int(id),
                          bl_val_text(bl_str_c(state)),
                          bl_val_int(finished_at),
                          bl_val_int(ms),
                          summary ? bl_val_text(bl_str_c(summary)) : bl_val_null(),
                          error ? bl_val_text(bl_str_c(error)) : bl_val_null()};
    return bl_store_exec(st,
                         "UPDATE cycle SET state = $3, finished_at = $4, ms = $5, summary = $6,"
                         " error = $7 WHERE org_id = $1 AND id = $2",
                         p, 7, NULL, d);
}

#define CYCLE_COLS                                                                                 \
    "id, as_of, day, started_at, COALESCE(finished_at, 0), COALESCE(ms, 0), state, dry_run,"       \
    " COALESCE(shard, ''), COALESCE(summary, ''), COALESCE(error, '')"

struct list_ctx {
    bl_cycle_fn fn;
    bl_cycle_step_fn step_fn;
    void *ctx;
};

static int cycle_row(void *vctx, const struct bl_row *r)
{
    struct list_ctx *c = vctx;
    struct bl_cycle_rec rec = {
        .id = bl_row_int(r, 0),
        .as_of = bl_row_int(r, 1),
        .day = bl_row_int(r, 2),
        .started_at = bl_row_int(r, 3),
        .finished_at = bl_row_int(r, 4),
        .ms = bl_row_int(r, 5),
        .state = bl_row_text(r, 6),
        .dry_run = bl_row_int(r, 7) != 0,
        .shard = bl_row_text(r, 8),
        .summary = bl_row_text(r, 9),
        .error = bl_row_text(r, 10),
    };
    return c->fn(c->ctx, &rec);
}

int bl_store_cycle_list(struct bl_store *st, int64_t org, int64_t limit, bl_cycle_fn fn, void *ctx,
                        struct bl_diag *d)
{
    struct bl_val p[2] = {bl_val_int(org), bl_val_int(limit)};
    struct list_ctx c = {fn, NULL, ctx};
    return bl_store_query(st,
                          "SELECT " CYCLE_COLS " FROM cycle WHERE org_id = $1"
                          " ORDER BY id DESC LIMIT $2",
                          p, 2, cycle_row, &c, d);
}

static int step_row(void *vctx, const struct bl_row *r)
{
    struct list_ctx *c = vctx;
    struct bl_cycle_step_rec s = {
        .seq = bl_row_int(r, 0),
        .started_at = bl_row_int(r, 1),
        .ms = bl_row_int(r, 2),
        .step = bl_row_text(r, 3),
        .state = bl_row_text(r, 4),
        .counts = bl_row_text(r, 5),
        .error = bl_row_text(r, 6),
    };
    return c->step_fn(c->ctx, &s);
}

int bl_store_cycle_get(struct bl_store *st, int64_t org, int64_t id, bl_cycle_fn fn,
                       bl_cycle_step_fn step_fn, void *ctx, struct bl_diag *d)
{
    struct bl_val p[2] = {bl_val_int(org), bl_val_int(id)};
    int64_t n = 0;
    int rc = bl_store_query_int(st, "SELECT COUNT(*) FROM cycle WHERE org_id = $1 AND id = $2", p,
                                2, &n, d);
    if (!rc && !n)
        return bl_diag_set(d, BL_ENOTFOUND,
                           "no cycle %lld in this organisation: see 'ballast cycle list'",
                           (long long)id);
    struct list_ctx c = {fn, step_fn, ctx};
    if (!rc && fn)
        rc = bl_store_query(st, "SELECT " CYCLE_COLS " FROM cycle WHERE org_id = $1 AND id = $2", p,
                            2, cycle_row, &c, d);
    if (!rc && step_fn)
        rc = bl_store_query(st,
                            "SELECT seq, started_at, COALESCE(ms, 0), step, state,"
                            " COALESCE(counts, ''), COALESCE(error, '') FROM cycle_step"
                            " WHERE org_id = $1 AND cycle_id = $2 ORDER BY seq",
                            p, 2, step_row, &c, d);
    return rc;
}

int bl_store_cycle_previous(struct bl_store *st, int64_t org, int64_t id, int64_t *prev,
                            struct bl_diag *d)
{
    struct bl_val p[2] = {bl_val_int(org), bl_val_int(id)};
    *prev = 0;
    int rc = bl_store_query_int(st,
                                "SELECT id FROM cycle WHERE org_id = $1 AND id < $2"
                                " AND state = 'done' ORDER BY id DESC LIMIT 1",
                                p, 2, prev, d);
    return rc == BL_ENOTFOUND ? BL_OK : rc;
}

struct org_ctx {
    bl_org_fn fn;
    void *ctx;
};

static int org_row(void *vctx, const struct bl_row *r)
{
    struct org_ctx *c = vctx;
    return c->fn(c->ctx, bl_row_int(r, 0), bl_row_text(r, 1));
}

int bl_store_cycle_orgs(struct bl_store *st, bl_org_fn fn, void *ctx, struct bl_diag *d)
{
    struct org_ctx c = {fn, ctx};
    return bl_store_query(st, "SELECT id, name FROM org ORDER BY id", NULL, 0, org_row, &c, d);
}
