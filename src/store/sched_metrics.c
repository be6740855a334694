/* sched_metrics.c - what /metrics reads from the store, every organisation (sched.h). */
#include <stdio.h>
#include <string.h>

#include "store/sched.h"

#define HIST_MAX 16

struct hist_ctx {
    bl_sched_step_fn fn;
    void *ctx;
    size_t nb;
};

static int hist_row(void *vctx, const struct bl_row *r)
{
    struct hist_ctx *c = vctx;
    int64_t le[HIST_MAX];
    for (size_t i = 0; i < c->nb; i++)
        le[i] = bl_row_int(r, 3 + i);
    return c->fn(c->ctx, bl_row_text(r, 0), le, c->nb, bl_row_int(r, 1), bl_row_int(r, 2));
}

int bl_store_sched_step_hist(struct bl_store *st, const int64_t *bounds_ms, size_t nb,
                             bl_sched_step_fn fn, void *ctx, struct bl_diag *d)
{
    if (nb > HIST_MAX)
        return bl_diag_set(d, BL_EINVAL, "at most %d buckets", HIST_MAX);
    char sql[2048];
    size_t at = (size_t)snprintf(sql, sizeof(sql),
                                 "SELECT step, COUNT(*), CAST(COALESCE(SUM(ms), 0) AS BIGINT)");
    for (size_t i = 0; i < nb && at < sizeof(sql); i++)
        at += (size_t)snprintf(sql + at, sizeof(sql) - at,
                               ", SUM(CASE WHEN ms <= %lld THEN 1 ELSE 0 END)",
                               (long long)bounds_ms[i]);
    if (at < sizeof(sql))
        snprintf(sql + at, sizeof(sql) - at,
                 " FROM cycle_step WHERE state IN ('done', 'failed') AND ms IS NOT NULL"
                 " GROUP BY step ORDER BY step");
    struct hist_ctx c = {fn, ctx, nb};
    return bl_store_query(st, sql, NULL, 0, hist_row, &c, d);
}

struct count_ctx {
    bl_sched_count_fn fn;
    void *ctx;
};

static int count_row(void *vctx, const struct bl_row *r)
{
    struct count_ctx *c = vctx;
    return c->fn(c->ctx, bl_row_text(r, 0), bl_row_text(r, 1), bl_row_int(r, 2));
}

int bl__store_count_rows(struct bl_store *st, const char *sql, bl_sched_count_fn fn, void *ctx,
                         struct bl_diag *d)
{
    struct count_ctx c = {fn, ctx};
    return bl_store_query(st, sql, NULL, 0, count_row, &c, d);
}

int bl_store_sched_cycle_counts(struct bl_store *st, bl_sched_count_fn fn, void *ctx,
                                struct bl_diag *d)
{
    return bl__store_count_rows(
        st,
        "SELECT o.name, c.state, COUNT(*) FROM cycle c JOIN org o ON o.id = c.org_id"
        " WHERE c.dry_run = 0 GROUP BY o.name, c.state ORDER BY o.name, c.state",
        fn, ctx, d);
}

int bl_store_sched_last_done(struct bl_store *st, bl_sched_count_fn fn, void *ctx,
                             struct bl_diag *d)
{
    return bl__store_count_rows(
        st,
        "SELECT o.name, '', MAX(c.finished_at) FROM cycle c JOIN org o ON o.id = c.org_id"
        " WHERE c.state = 'done' AND c.finished_at IS NOT NULL GROUP BY o.name"
        " ORDER BY o.name",
        fn, ctx, d);
}

int bl_store_sched_outbox(struct bl_store *st, bl_sched_count_fn fn, void *ctx, struct bl_diag *d)
{
    return bl__store_count_rows(
        st,
        "SELECT o.name, m.state, COUNT(*) FROM message m JOIN org o ON o.id = m.org_id"
        " GROUP BY o.name, m.state ORDER BY o.name, m.state",
        fn, ctx, d);
}

int bl_store_sched_retries(struct bl_store *st, bl_sched_count_fn fn, void *ctx, struct bl_diag *d)
{
    return bl__store_count_rows(
        st,
        "SELECT o.name, 'retries', SUM(s.attempts - 1) FROM cycle_sched s"
        " JOIN org o ON o.id = s.org_id GROUP BY o.name"
        " UNION ALL SELECT o.name, 'given_up',"
        " SUM(CASE WHEN s.state = 'given_up' THEN 1 ELSE 0 END) FROM cycle_sched s"
        " JOIN org o ON o.id = s.org_id GROUP BY o.name ORDER BY 1, 2",
        fn, ctx, d);
}
