/* metrics.c - the server's counters, in Prometheus text format (api_impl.h): requests by
 * route and status, a latency histogram per route, store errors, requests in flight, the
 * uploads' turns.
 * Lock-free: every counter is an atomic the worker threads add to. */
#include <stdatomic.h>
#include <string.h>

#include "api/api_impl.h"

#define STATUS_MIN 100
#define STATUSES 500 /* 100..599 */

static const double buckets[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                 0.1,   0.25,   0.5,   1,    2.5,   10};
#define NB (sizeof(buckets) / sizeof(buckets[0]))

struct route_m {
    _Atomic uint64_t status[STATUSES];
    _Atomic uint64_t le[NB + 1]; /* the last: +Inf */
    _Atomic uint64_t sum_us;
};

struct bl__api_metrics {
    size_t nroutes; /* routes + 1: "no route matched" */
    _Atomic uint64_t store_errors;
    _Atomic int64_t inflight;
    _Atomic uint64_t turns, turn_us, wait_us; /* uploads' turns (upload.c) */
    struct route_m r[];
};

struct bl__api_metrics *bl__api_metrics_new(size_t nroutes)
{
    struct bl__api_metrics *m = bl_calloc(1, sizeof(*m) + (nroutes + 1) * sizeof(struct route_m));
    if (m)
        m->nroutes = nroutes + 1;
    return m;
}

void bl__api_metrics_free(struct bl__api_metrics *m)
{
    bl_free(m);
}

void bl__api_metrics_observe(struct bl__api_metrics *m, size_t route, unsigned status,
                             double seconds)
{
    struct route_m *r = &m->r[route < m->nroutes ? route : m->nroutes - 1];
    if (status >= STATUS_MIN && status < STATUS_MIN + STATUSES)
        atomic_fetch_add(&r->status[status - STATUS_MIN], 1);
    size_t b = 0;
    while (b < NB && seconds > buckets[b])
        b++;
    atomic_fetch_add(&r->le[b], 1);
    atomic_fetch_add(&r->sum_us, (uint64_t)(seconds * 1e6));
}

void bl__api_metrics_store_error(struct bl__api_metrics *m)
{
    atomic_fetch_add(&m->store_errors, 1);
}

void bl__api_metrics_inflight(struct bl__api_metrics *m, int delta)
{
    atomic_fetch_add(&m->inflight, delta);
}

void bl__api_metrics_upload_turn(struct bl__api_metrics *m, double waited, double held)
{
    atomic_fetch_add(&m->turns, 1);
    atomic_fetch_add(&m->wait_us, (uint64_t)(waited > 0 ? waited * 1e6 : 0));
    atomic_fetch_add(&m->turn_us, (uint64_t)(held > 0 ? held * 1e6 : 0));
}

static void labels(size_t i, const struct bl__api_metrics *m, const char **method,
                   const char **path)
{
    if (i + 1 < m->nroutes) {
        *method = bl__api_routes[i].method;
        *path = bl__api_routes[i].path;
    } else {
        *method = "";
        *path = "unmatched";
    }
}

static int render_requests(const struct bl__api_metrics *m, struct bl_buf *b)
{
    int rc = bl_buf_addf(b, "# HELP ballast_http_requests_total HTTP requests answered, by "
                            "route and status.\n# TYPE ballast_http_requests_total counter\n");
    for (size_t i = 0; i < m->nroutes && !rc; i++) {
        const char *method, *path;
        labels(i, m, &method, &path);
        for (unsigned s = 0; s < STATUSES && !rc; s++) {
            uint64_t n = atomic_load(&m->r[i].status[s]);
            if (n)
                rc = bl_buf_addf(b,
                                 "ballast_http_requests_total{method=\"%s\",route=\"%s\","
                                 "status=\"%u\"} %llu\n",
                                 method, path, s + STATUS_MIN, (unsigned long long)n);
        }
    }
    return rc;
}

static int render_latency(const struct bl__api_metrics *m, struct bl_buf *b)
{
    int rc = bl_buf_addf(b, "# HELP ballast_http_request_duration_seconds Time from a "
                            "request's arrival to its answer, by route.\n"
                            "# TYPE ballast_http_request_duration_seconds histogram\n");
    for (size_t i = 0; i < m->nroutes && !rc; i++) {
        const char *method, *path;
        labels(i, m, &method, &path);
        uint64_t cum = 0;
        for (size_t k = 0; k <= NB && !rc; k++) {
            cum += atomic_load(&m->r[i].le[k]);
            char le[32];
            if (k < NB)
                snprintf(le, sizeof(le), "%g", buckets[k]);
            else
                snprintf(le, sizeof(le), "+Inf");
            rc = bl_buf_addf(b,
                             "ballast_http_request_duration_seconds_bucket{method=\"%s\","
                             "route=\"%s\",le=\"%s\"} %llu\n",
                             method, path, le, (unsigned long long)cum);
        }
        rc = rc ? rc
                : bl_buf_addf(b,
                              "ballast_http_request_duration_seconds_sum{method=\"%s\","
                              "route=\"%s\"} %.6f\n"
                              "ballast_http_request_duration_seconds_count{method=\"%s\","
                              "route=\"%s\"} %llu\n",
                              method, path, (double)atomic_load(&m->r[i].sum_us) / 1e6, method,
                              path, (unsigned long long)cum);
    }
    return rc;
}

int bl__api_metrics_render(const struct bl__api_metrics *m, struct bl_buf *b)
{
    int rc = render_requests(m, b);
    rc = rc ? rc : render_latency(m, b);
    rc = rc ? rc
            : bl_buf_addf(b,
                          "# HELP ballast_store_errors_total Requests the store failed "
                          "(unreachable, or an error of its own).\n"
                          "# TYPE ballast_store_errors_total counter\n"
                          "ballast_store_errors_total %llu\n"
                          "# HELP ballast_http_requests_in_flight Requests being answered.\n"
                          "# TYPE ballast_http_requests_in_flight gauge\n"
                          "ballast_http_requests_in_flight %lld\n",
                          (unsigned long long)atomic_load(&m->store_errors),
                          (long long)atomic_load(&m->inflight));
    rc = rc ? rc
            : bl_buf_addf(b,
                          "# HELP ballast_upload_turns_total Uploads (POST /api/v1/orders) "
                          "that had their turn to import.\n"
                          "# TYPE ballast_upload_turns_total counter\n"
                          "ballast_upload_turns_total %llu\n"
                          "# HELP ballast_upload_turn_seconds_total Time uploads held their "
                          "turn (on SQLite one at a time: the store's writer).\n"
                          "# TYPE ballast_upload_turn_seconds_total counter\n"
                          "ballast_upload_turn_seconds_total %.6f\n"
                          "# HELP ballast_upload_turn_wait_seconds_total Time uploads waited "
                          "for their turn (reading ahead included).\n"
                          "# TYPE ballast_upload_turn_wait_seconds_total counter\n"
                          "ballast_upload_turn_wait_seconds_total %.6f\n",
                          (unsigned long long)atomic_load(&m->turns),
                          (double)atomic_load(&m->turn_us) / 1e6,
                          (double)atomic_load(&m->wait_us) / 1e6);
    return rc;
}
