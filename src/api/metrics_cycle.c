/* metrics_cycle.c - the figures of /metrics read from the store's records (server_impl.h):
 * cycle step durations, cycles by organisation and state, the last done cycle, the
 * scheduler's retries and days given up, the outbox by state, the rows the retention's
 * prunes removed (docs/metrics.md, "/metrics").
 * From the records, so they count every cycle: run by hand, by POST /api/v1/cycles, by
 * this server's scheduler or another's. */
#include <stdio.h>
#include <string.h>

#include "api/server_impl.h"
#include "app/sched.h"

/* A label value in Prometheus text: \, " and line ends escaped. */
static int label(struct bl_buf *b, const char *s)
{
    int rc = BL_OK;
    for (; *s && !rc; s++)
        rc = *s == '\\'   ? bl_buf_adds(b, BL_STR("\\\\"))
             : *s == '"'  ? bl_buf_adds(b, BL_STR("\\\""))
             : *s == '\n' ? bl_buf_adds(b, BL_STR("\\n"))
                          : bl_buf_addc(b, *s);
    return rc;
}

static int steps(const struct bl_app_cycle_metrics *m, struct bl_buf *b)
{
    int rc = bl_buf_addf(b, "# HELP ballast_cycle_step_duration_seconds How long each step of "
                            "the recorded cycles took (done or failed), by step.\n"
                            "# TYPE ballast_cycle_step_duration_seconds histogram\n");
    for (size_t i = 0; i < m->nsteps && !rc; i++) {
        const struct bl_app_metric_step *s = &m->steps[i];
        for (size_t k = 0; k < BL_CYCLE_HIST_N && !rc; k++)
            rc = bl_buf_addf(
                b, "ballast_cycle_step_duration_seconds_bucket{step=\"%s\",le=\"%g\"} %lld\n",
                s->step, (double)bl_cycle_hist_ms[k] / 1000.0, (long long)s->le[k]);
        rc = rc ? rc
                : bl_buf_addf(b,
                              "ballast_cycle_step_duration_seconds_bucket{step=\"%s\",le=\"+Inf\"}"
                              " %lld\nballast_cycle_step_duration_seconds_sum{step=\"%s\"} %.3f\n"
                              "ballast_cycle_step_duration_seconds_count{step=\"%s\"} %lld\n",
                              s->step, (long long)s->count, s->step, (double)s->sum_ms / 1000.0,
                              s->step, (long long)s->count);
    }
    return rc;
}

/* One family of per-organisation numbers: key is the second label's name (NULL: none). */
static int family(struct bl_buf *b, const char *name, const char *type, const char *help,
                  const char *key, const struct bl_app_metric_n *rows, size_t n)
{
    int rc = bl_buf_addf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
    for (size_t i = 0; i < n && !rc; i++) {
        rc = bl_buf_addf(b, "%s{org=\"", name);
        rc = rc ? rc : label(b, rows[i].org);
        if (!rc && key)
            rc = bl_buf_addf(b, "\",%s=\"%s", key, rows[i].key);
        rc = rc ? rc : bl_buf_addf(b, "\"} %lld\n", (long long)rows[i].n);
    }
    return rc;
}

static const struct bl_app_metric_n *pick(const struct bl_app_metric_n *rows, size_t n,
                                          const char *key, struct bl_app_metric_n *out,
                                          size_t *nout)
{
    *nout = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(rows[i].key, key) == 0)
            out[(*nout)++] = rows[i];
    return out;
}

static int retries(const struct bl_app_cycle_metrics *m, struct bl_buf *b)
{
    struct bl_app_metric_n *sel = bl_calloc(m->nretries + 1, sizeof(*sel));
    if (!sel)
        return BL_ENOMEM;
    size_t n;
    pick(m->retries, m->nretries, "retries", sel, &n);
    int rc = family(b, "ballast_scheduler_retries_total", "counter",
                    "Scheduled cycle attempts after a day's first (a failed step retried, or a run "
                    "whose server stopped taken up again), by organisation.",
                    NULL, sel, n);
    pick(m->retries, m->nretries, "given_up", sel, &n);
    rc = rc ? rc
            : family(b, "ballast_scheduler_given_up_total", "counter",
                     "Days whose scheduled cycle failed every attempt, by organisation.", NULL, sel,
                     n);
    bl_free(sel);
    return rc;
}

int bl__api_metrics_cycles(struct bl_store *st, struct bl_buf *b)
{
    struct bl_app_cycle_metrics m;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_cycle_metrics(st, &m, &d);
    rc = rc ? rc : steps(&m, b);
    rc = rc ? rc
            : family(b, "ballast_cycle_runs", "gauge",
                     "Recorded cycles by organisation and state (running, done, failed, stopped).",
                     "state", m.cycles, m.ncycles);
    rc = rc ? rc
            : family(b, "ballast_cycle_last_success_timestamp_seconds", "gauge",
                     "When the organisation's last done cycle finished (UTC epoch seconds).", NULL,
                     m.last_done, m.nlast_done);
    rc = rc ? rc : retries(&m, b);
    rc = rc ? rc
            : family(b, "ballast_outbox_messages", "gauge",
                     "Customer messages in the outbox by organisation and state (planned, "
                     "approved, held, sent, failed...).",
                     "state", m.outbox, m.noutbox);
    rc = rc ? rc
            : family(b, "ballast_retention_pruned_rows_total", "counter",
                     "Rows the retention's prunes removed (the daily cycle's last step, or "
                     "'retention prune'), by organisation and kind.",
                     "kind", m.pruned, m.npruned);
    rc = rc ? rc
            : family(b, "ballast_retention_last_pruned_rows", "gauge",
                     "Rows the organisation's last prune of a kind removed.", "kind", m.pruned_last,
                     m.npruned_last);
    bl_app_cycle_metrics_release(&m);
    return rc;
}
