/* comply_bench.c - the tax threshold engine's one pass (ballast/comply.h) over N orders
 * to J jurisdictions, for bench/comply.sh.
 *
 *   comply_bench N J RUNS [CHUNK]
 *
 * The orders are made from their number i (1..N) by the formulas the SQL peers use, so
 * that the three read the same data: placed at 2024-01-01 + i * (366 days / N), to
 * jurisdiction (i * 2654435761) % J, for 100 + (i * 40503) % 100000 cents. Jurisdiction j
 * has a threshold of more than (1 + j % 8) * 10,000,000.00 EUR over the calendar year.
 * Prints, per jurisdiction, "j,total,count,near_at,over_at" (the instants of the orders
 * that crossed 80% and 100%; empty when not crossed) to stdout, and the median time of
 * RUNS passes (the orders already in memory, as the databases have theirs loaded), the
 * process's CPU seconds per pass, orders per second and the peak resident memory to
 * stderr. With CHUNK, the orders are made CHUNK at a time and streamed into the pass
 * (bl_comply_begin/feed/end), as `ballast comply` streams them from the store: the peak
 * memory is then the engine's state and one chunk (the making of the orders is timed
 * with the pass). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "ballast/alloc.h"
#include "ballast/comply.h"
#include "ballast/str.h"
#include "ballast/time.h"

/* 60 real country codes: the rules' regions must be ISO 3166. */
static const char *const countries[] = {
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
    "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "NO", "CH", "IS",
    "GB", "US", "CA", "MX", "BR", "AR", "CL", "CO", "PE", "AU", "NZ", "JP", "KR", "CN", "SG",
    "MY", "TH", "VN", "ID", "PH", "IN", "AE", "SA", "IL", "TR", "ZA", "EG", "MA", "NG", "KE"};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int64_t arg(const char *s, int64_t lo, int64_t hi)
{
    int64_t v = 0;
    if (bl_str_to_i64(bl_str_c(s), &v) || v < lo || v > hi) {
        fprintf(stderr, "comply_bench: '%s': expected %lld..%lld\n", s, (long long)lo,
                (long long)hi);
        exit(2);
    }
    return v;
}

static int64_t g_n, g_nj, g_t0, g_span;

/* Order i (1..N) by the formulas the SQL peers use. */
static struct bl_comply_order make(int64_t i)
{
    return (struct bl_comply_order){
        .at = g_t0 + (int64_t)((__int128)i * g_span / g_n) - 1,
        .ref = i,
        .amount = 100 + (i * 40503) % 100000,
        .dest = (uint32_t)((uint64_t)i * UINT64_C(2654435761) % (uint64_t)g_nj),
        .origin = (uint32_t)g_nj, /* no origin: the last, empty code */
    };
}

/* One pass, the orders made and fed chunk at a time. */
static int streamed(const struct bl_comply_in *in, size_t chunk, struct bl_comply_order *buf,
                    struct bl_comply_res *res)
{
    struct bl_comply_pass *p = NULL;
    int rc = bl_comply_begin(in, &p);
    for (int64_t i = 1; !rc && i <= g_n;) {
        size_t k = 0;
        for (; k < chunk && i <= g_n; k++, i++)
            buf[k] = make(i);
        rc = bl_comply_feed(p, buf, k);
    }
    if (rc) {
        bl_comply_abort(p);
        return rc;
    }
    return bl_comply_end(p, res);
}

static void rules_make(struct bl_comply_rules *rules, const char **dests)
{
    for (int64_t j = 0; j < g_nj; j++) {
        struct bl_comply_rule *r = &rules->r[j];
        snprintf(r->code, sizeof(r->code), "J%02d", (int)j);
        snprintf(r->name, sizeof(r->name), "jurisdiction %d", (int)j);
        memcpy(r->regions[0], countries[j], 3);
        r->nregions = 1;
        memcpy(r->currency, "EUR", 4);
        r->exponent = 2;
        r->amount = (struct bl_comply_test){true, false, (1 + j % 8) * INT64_C(1000000000)};
        r->period = BL_COMPLY_CALENDAR_YEAR;
        dests[j] = countries[j];
    }
    dests[g_nj] = "";
}

static void print(const struct bl_comply_res *res)
{
    printf("j,total,n,near_at,over_at\n");
    for (size_t s = 0; s < res->n; s++) {
        const struct bl_comply_total *y = &res->s[s].year;
        printf("%u,%lld,%lld,", res->s[s].rule, (long long)y->amount, (long long)y->count);
        if (y->near.order >= 0 && y->near.day >= 0)
            printf("%lld", (long long)make(y->near.ref).at);
        putchar(',');
        if (y->over.order >= 0 && y->over.day >= 0)
            printf("%lld", (long long)make(y->over.ref).at);
        putchar('\n');
    }
}

int main(int argc, char **argv)
{
    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: comply_bench ORDERS JURISDICTIONS RUNS [CHUNK]\n");
        return 2;
    }
    g_n = arg(argv[1], 1, 100000000), g_nj = arg(argv[2], 1, 60);
    int64_t runs = arg(argv[3], 1, 99), chunk = argc == 5 ? arg(argv[4], 1, 100000000) : 0;
    struct bl_comply_rules rules = {bl_calloc((size_t)g_nj, sizeof(struct bl_comply_rule)),
                                    (size_t)g_nj};
    const char *dests[61];
    size_t held = chunk ? (size_t)chunk : (size_t)g_n;
    struct bl_comply_order *o = bl_calloc(held, sizeof(*o));
    if (!rules.r || !o)
        return 1;
    rules_make(&rules, dests);
    g_t0 = bl_days_from_civil(2024, 1, 1) * BL_DAY_SECS;
    g_span = 366 * BL_DAY_SECS;
    for (int64_t i = 1; !chunk && i <= g_n; i++)
        o[i - 1] = make(i);
    struct bl_comply_cur eur = {"EUR", 2};
    struct bl_comply_in in = {.rules = &rules,
                              .dests = dests,
                              .ndests = (size_t)g_nj + 1,
                              .curs = &eur,
                              .ncurs = 1,
                              .orders = o,
                              .norders = chunk ? 0 : (size_t)g_n,
                              .ngroups = 1,
                              .as_of = g_t0 + g_span};
    double *t = bl_calloc((size_t)runs * 2, sizeof(double)), *c = t + runs;
    struct bl_comply_res res = {0};
    for (int64_t k = 0; k < runs; k++) {
        bl_comply_res_release(&res);
        double a = now_s(), ca = cpu_s();
        int rc = chunk ? streamed(&in, (size_t)chunk, o, &res) : bl_comply_run(&in, &res);
        if (rc != BL_OK) {
            fprintf(stderr, "comply_bench: the pass failed\n");
            return 1;
        }
        t[k] = now_s() - a;
        c[k] = cpu_s() - ca;
    }
    qsort(t, (size_t)runs, sizeof(double), cmp_double);
    qsort(c, (size_t)runs, sizeof(double), cmp_double);
    double med = t[runs / 2];
    print(&res);
    fprintf(stderr,
            "ballast: %lld orders to %lld jurisdictions in %.3f s (median of %lld; "
            "CPU %.3f s): %.1f million orders/s; peak RSS %ld MB (%s)\n",
            (long long)g_n, (long long)g_nj, med, (long long)runs, c[runs / 2],
            (double)g_n / med / 1e6, peak_rss_mb(),
            chunk ? "streamed in chunks" : "every order in memory");
    bl_comply_res_release(&res);
    bl_free(t);
    bl_free(o);
    bl_free(rules.r);
    return 0;
}
