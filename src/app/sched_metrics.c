/* sched_metrics.c - what /metrics says of cycles, the scheduler, the outbox and the
 * retention's prunes, read from the store's records, every organisation (sched.h). */
#include <string.h>

#include "app/sched.h"
#include "store/retention.h"
#include "store/sched.h"

/* Milliseconds: 0.1 s to 15 min. */
const int64_t bl_cycle_hist_ms[BL_CYCLE_HIST_N] = {100,   250,   500,   1000,   2500,   5000,
                                                   10000, 30000, 60000, 120000, 300000, 900000};

static int step_row(void *vctx, struct bl_str step, const int64_t *le, size_t nb, int64_t count,
                    int64_t sum_ms)
{
    struct bl_app_cycle_metrics *m = vctx;
    if (m->nsteps == sizeof(m->steps) / sizeof(m->steps[0]))
        return 0;
    struct bl_app_metric_step *s = &m->steps[m->nsteps++];
    bl_str_copy(s->step, sizeof(s->step), step);
    for (size_t i = 0; i < nb && i < BL_CYCLE_HIST_N; i++)
        s->le[i] = le[i];
    s->count = count;
    s->sum_ms = sum_ms;
    return 0;
}

struct list {
    struct bl_arena *arena;
    struct bl_app_metric_n **rows;
    size_t *n, cap;
};

static int n_row(void *vctx, struct bl_str org, struct bl_str key, int64_t n)
{
    struct list *l = vctx;
    if (*l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        struct bl_app_metric_n *rows = bl_arena_alloc(l->arena, cap * sizeof(*rows));
        if (!rows)
            return BL_ENOMEM;
        if (*l->n)
            memcpy(rows, *l->rows, *l->n * sizeof(*rows));
        *l->rows = rows;
        l->cap = cap;
    }
    struct bl_app_metric_n *r = &(*l->rows)[(*l->n)++];
    r->org = bl_arena_strndup(l->arena, org.ptr, org.len);
    if (!r->org)
        return BL_ENOMEM;
    bl_str_copy(r->key, sizeof(r->key), key);
    r->n = n;
    return 0;
}

typedef int (*count_query)(struct bl_store *, bl_sched_count_fn, void *, struct bl_diag *);

static int read_list(struct bl_store *st, struct bl_app_cycle_metrics *m, count_query q,
                     struct bl_app_metric_n **rows, size_t *n, struct bl_diag *d)
{
    struct list l = {&m->arena, rows, n, 0};
    int rc = q(st, n_row, &l, d);
    if (rc == BL_ENOMEM && !d->code)
        bl_diag_set(d, rc, "metrics: out of memory");
    return rc;
}

int bl_app_cycle_metrics(struct bl_store *st, struct bl_app_cycle_metrics *m, struct bl_diag *d)
{
    memset(m, 0, sizeof(*m));
    bl_arena_init(&m->arena, 8192);
    int rc = bl_store_sched_step_hist(st, bl_cycle_hist_ms, BL_CYCLE_HIST_N, step_row, m, d);
    rc = rc ? rc : read_list(st, m, bl_store_sched_cycle_counts, &m->cycles, &m->ncycles, d);
    rc = rc ? rc : read_list(st, m, bl_store_sched_last_done, &m->last_done, &m->nlast_done, d);
    rc = rc ? rc : read_list(st, m, bl_store_sched_outbox, &m->outbox, &m->noutbox, d);
    rc = rc ? rc : read_list(st, m, bl_store_sched_retries, &m->retries, &m->nretries, d);
    rc = rc ? rc : read_list(st, m, bl_store_retention_pruned_total, &m->pruned, &m->npruned, d);
    rc =
        rc ? rc
           : read_list(st, m, bl_store_retention_pruned_last, &m->pruned_last, &m->npruned_last, d);
    return rc;
}

void bl_app_cycle_metrics_release(struct bl_app_cycle_metrics *m)
{
    bl_arena_release(&m->arena);
    memset(m, 0, sizeof(*m));
}
