/* comply_bench.c - the tax threshold engine's one pass (ballast/comply.h) over N orders
 * to J jurisdictions, for bench/comply.sh.
 *
 *   comply_bench N J RUNS
 *
 * The orders are made from their number i (1..N) by the formulas the SQL peers use, so
 * that the three read the same data: placed at 2024-01-01 + i * (366 days / N), to
 * jurisdiction (i * 2654435761) % J, for 100 + (i * 40503) % 100000 cents. Jurisdiction j
 * has a threshold of more than (1 + j % 8) * 10,000,000.00 EUR over the calendar year.
 * Prints, per jurisdiction, "j,total,count,near_at,over_at" (the instants of the orders
 * that crossed 80% and 100%; empty when not crossed) to stdout, and the median time of
 * RUNS passes (the orders already in memory, as the databases have theirs loaded) and
 * orders per second to stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: comply_bench ORDERS JURISDICTIONS RUNS\n");
        return 2;
    }
    int64_t n = arg(argv[1], 1, 100000000), nj = arg(argv[2], 1, 60), runs = arg(argv[3], 1, 99);
    struct bl_comply_rules rules = {bl_calloc((size_t)nj, sizeof(struct bl_comply_rule)),
                                    (size_t)nj};
    const char *dests[60];
    struct bl_comply_order *o = bl_calloc((size_t)n, sizeof(*o));
    if (!rules.r || !o)
        return 1;
    for (int64_t j = 0; j < nj; j++) {
        struct bl_comply_rule *r = &rules.r[j];
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
    int64_t t0 = bl_days_from_civil(2024, 1, 1) * BL_DAY_SECS, span = 366 * BL_DAY_SECS;
    for (int64_t i = 1; i <= n; i++)
        o[i - 1] = (struct bl_comply_order){
            .at = t0 + (int64_t)((__int128)i * span / n) - 1,
            .amount = 100 + (i * 40503) % 100000,
            .dest = (uint32_t)((uint64_t)i * UINT64_C(2654435761) % (uint64_t)nj),
            .origin = (uint32_t)nj, /* no origin: the last, empty code */
        };
    dests[nj] = "";
    struct bl_comply_cur eur = {"EUR", 2};
    struct bl_comply_in in = {.rules = &rules, .dests = dests, .ndests = (size_t)nj + 1,
                              .curs = &eur, .ncurs = 1, .orders = o, .norders = (size_t)n,
                              .ngroups = 1, .as_of = t0 + span};
    double *t = bl_calloc((size_t)runs, sizeof(double));
    struct bl_comply_res res = {0};
    for (int64_t k = 0; k < runs; k++) {
        bl_comply_res_release(&res);
        double a = now_s();
        if (bl_comply_run(&in, &res) != BL_OK) {
            fprintf(stderr, "comply_bench: the pass failed\n");
            return 1;
        }
        t[k] = now_s() - a;
    }
    qsort(t, (size_t)runs, sizeof(double), cmp_double);
    double med = t[runs / 2];
    printf("j,total,n,near_at,over_at\n");
    for (size_t s = 0; s < res.n; s++) {
        const struct bl_comply_total *y = &res.s[s].year;
        printf("%u,%lld,%lld,", res.s[s].rule, (long long)y->amount, (long long)y->count);
        if (y->near.order >= 0 && y->near.day >= 0)
            printf("%lld", (long long)o[y->near.order].at);
        putchar(',');
        if (y->over.order >= 0 && y->over.day >= 0)
            printf("%lld", (long long)o[y->over.order].at);
        putchar('\n');
    }
    fprintf(stderr, "ballast: %lld orders to %lld jurisdictions in %.3f s (median of %lld): "
                    "%.1f million orders/s\n",
            (long long)n, (long long)nj, med, (long long)runs, (double)n / med / 1e6);
    bl_comply_res_release(&res);
    bl_free(t);
    bl_free(o);
    bl_free(rules.r);
    return 0;
}
