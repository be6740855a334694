/* assess_bench.c - the pure assessment pass alone: bl_assess_prepare + bl_assess_count
 * over a synthetic in-memory snapshot, single thread, no I/O. Not a test: it prints
 * figures and checks nothing but that the pass ran (bench/assess.sh runs it).
 *
 * Usage: assess_bench [N_ORDERS [N_SHOPS [N_DISRUPTIONS [RUNS [DAYS [by-shop]]]]]]
 *        defaults 10000000 100000 300 5 90; orders come in no shop order (as a store
 *        loaded by order id gives them) unless by-shop: grouped by shop, to see what
 *        the scattered per-shop counters cost.
 *
 * The data looks like `ballast gen`'s: orders placed uniformly over DAYS days, as-of
 * at two thirds of the span, a 30-day window (kuaishou: origin required, automatic
 * exemption, 24 h pickup), ship-from at postal level in a few Chinese provinces and
 * other countries, ship-to at subdivision or postal level in a dozen countries,
 * disruptions on random regions of that trie (country, subdivision or postal prefix),
 * some on a channel or a supplier, and one protection per 200 shops. Deterministic
 * (splitmix64, fixed seed). Reports the median over RUNS of the pass over all N orders,
 * both by wall clock and by this thread's CPU time ("per core"), and separately the
 * prepare step. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ballast/assess.h"
#include "ballast/region.h"
#include "ballast/str.h"

static uint64_t rng_state = 0x5eed5eedULL;

static uint64_t next_u64(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint32_t below(uint32_t n)
{
    return (uint32_t)(next_u64() % n);
}

static double now_s(clockid_t clk)
{
    struct timespec ts;
    clock_gettime(clk, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static long arg(int argc, char **argv, int i, long def)
{
    if (argc <= i)
        return def;
    char *end;
    long v = strtol(argv[i], &end, 10);
    if (*end || v < 1) {
        fprintf(stderr, "assess_bench: '%s' is not a positive number\n", argv[i]);
        exit(2);
    }
    return v;
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p) {
        fputs("assess_bench: out of memory\n", stderr);
        exit(1);
    }
    return p;
}

static uint32_t intern(struct bl_regions *r, const char *code)
{
    uint32_t id;
    if (bl_regions_intern(r, bl_str_c(code), &id) != BL_OK) {
        fprintf(stderr, "assess_bench: cannot intern '%s'\n", code);
        exit(1);
    }
    return id;
}

/* Codes: origins at postal level, destinations at subdivision or postal level. */
static const char *const origin_subs[] = {"CN-GD", "CN-ZJ", "CN-SH", "CN-JS",  "CN-FJ",
                                          "US-CA", "US-NJ", "DE-BY", "GB-ENG", "JP-13"};
static const char *const dest_subs[] = {"US-CA",  "US-TX", "US-NY", "BR-SP",  "BR-RJ",  "GB-ENG",
                                        "GB-SCT", "DE-BE", "DE-BY", "FR-IDF", "RU-MOW", "JP-13",
                                        "JP-27",  "CN-SH", "CN-BJ", "MX-CMX"};
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

int main(int argc, char **argv)
{
    size_t n = (size_t)arg(argc, argv, 1, 10000000);
    size_t nshops = (size_t)arg(argc, argv, 2, 100000);
    size_t ndis = (size_t)arg(argc, argv, 3, 300);
    size_t runs = (size_t)arg(argc, argv, 4, 5);
    int64_t days = arg(argc, argv, 5, 90);
    bool by_shop = argc > 6 && strcmp(argv[6], "by-shop") == 0;

    struct bl_arena arena;
    bl_arena_init(&arena, 1u << 16);
    struct bl_regions *regions = bl_regions_new(&arena);
    if (!regions)
        return 1;

    /* The trie: 10 origin subdivisions x 50 postal prefixes of 3 digits, 16 destination
     * subdivisions x 40 postal prefixes, plus the subdivisions themselves. */
    enum { ORIG_POST = 50, DEST_POST = 40 };
    uint32_t origins[NELEM(origin_subs) * ORIG_POST], dests[NELEM(dest_subs) * (DEST_POST + 1)];
    size_t norig = 0, ndest = 0;
    char code[BL_REGION_MAX];
    for (size_t s = 0; s < NELEM(origin_subs); s++)
        for (int p = 0; p < ORIG_POST; p++) {
            snprintf(code, sizeof(code), "%s:%03u", origin_subs[s], 100 + below(900));
            origins[norig++] = intern(regions, code);
        }
    for (size_t s = 0; s < NELEM(dest_subs); s++) {
        dests[ndest++] = intern(regions, dest_subs[s]);
        for (int p = 0; p < DEST_POST; p++) {
            snprintf(code, sizeof(code), "%s:%03u", dest_subs[s], 100 + below(900));
            dests[ndest++] = intern(regions, code);
        }
    }
    uint32_t nregions = bl_regions_count(regions);

    /* Times: placed uniform over [t0, t0 + days), as-of at 2/3 of the span. */
    const int64_t t0 = 1725148800; /* 2024-09-01T00:00:00Z */
    const int64_t span = days * 86400, as_of = t0 + span * 2 / 3;
    const int32_t nchannels = 40;

    uint32_t *shop = xcalloc(n, sizeof(uint32_t)), *from = xcalloc(n, sizeof(uint32_t)),
             *to = xcalloc(n, sizeof(uint32_t));
    int64_t *placed = xcalloc(n, 8), *ship_by = xcalloc(n, 8), *shipped = xcalloc(n, 8),
            *picked = xcalloc(n, 8), *delivered = xcalloc(n, 8), *promised = xcalloc(n, 8),
            *cancelled = xcalloc(n, 8);
    uint8_t *cancel_by = xcalloc(n, 1);
    int32_t *channel = xcalloc(n, sizeof(int32_t));
    /* Each shop ships from one origin (as gen's shops do); 2% of orders have none. */
    uint32_t *shop_origin = xcalloc(nshops, sizeof(uint32_t));
    for (size_t s = 0; s < nshops; s++)
        shop_origin[s] = origins[below((uint32_t)norig)];
    for (size_t i = 0; i < n; i++) {
        uint32_t s = by_shop ? (uint32_t)((uint64_t)i * nshops / n) : below((uint32_t)nshops);
        shop[i] = s;
        from[i] = below(50) ? shop_origin[s] : 0;
        to[i] = dests[below((uint32_t)ndest)];
        channel[i] = (int32_t)below((uint32_t)nchannels);
        int64_t p = t0 + (int64_t)(next_u64() % (uint64_t)span);
        placed[i] = p;
        ship_by[i] = p + 86400 + (int64_t)below(86400);
        promised[i] = ship_by[i] + 86400 * (5 + (int64_t)below(10));
        uint32_t fate = below(100);
        shipped[i] = picked[i] = delivered[i] = cancelled[i] = BL_NO_TIME;
        if (fate < 4) { /* cancelled */
            cancelled[i] = p + (int64_t)below(86400);
            cancel_by[i] = (uint8_t)(1 + below(3));
        } else {
            /* 8% late */
            shipped[i] = fate < 12 ? ship_by[i] + 3600 + (int64_t)below(3 * 86400)
                                   : p + (int64_t)below((uint32_t)(ship_by[i] - p));
            picked[i] = below(10) ? shipped[i] + (int64_t)below(30 * 3600) : BL_NO_TIME;
            delivered[i] = shipped[i] + 86400 * (3 + (int64_t)below(12));
        }
    }

    /* Disruptions on random nodes of the trie (the root excluded), 1 to 10 days long;
     * 10% on a channel, 5% on a supplier; scopes mixed. */
    struct bl_assess_disruption *dis = xcalloc(ndis, sizeof(*dis));
    for (size_t k = 0; k < ndis; k++) {
        struct bl_assess_disruption *x = &dis[k];
        x->id = (int64_t)k + 1;
        x->region = 1 + below(nregions - 1);
        x->scope = (enum bl_scope)(1 + below(3));
        x->starts = t0 + (int64_t)(next_u64() % (uint64_t)span);
        x->ends = x->starts + 86400 * (1 + (int64_t)below(10));
        x->channel = below(10) == 0 ? (int32_t)below((uint32_t)nchannels) : -1;
        x->supplier_only = below(20) == 0;
    }
    size_t nprot = nshops / 200;
    struct bl_assess_protection *prot = xcalloc(nprot, sizeof(*prot));
    for (size_t k = 0; k < nprot; k++) {
        prot[k].id = (int64_t)k + 1;
        prot[k].shop = below((uint32_t)nshops);
        prot[k].starts = t0 + (int64_t)(next_u64() % (uint64_t)span);
        prot[k].ends = prot[k].starts + 86400 * 7;
    }

    struct bl_assess_orders o = {n,      shop,      placed,   ship_by,   shipped,
                                 picked, delivered, promised, cancelled, cancel_by,
                                 from,   to,        channel,   by_shop,   NULL, NULL};
    struct bl_profile prof;
    memset(&prof, 0, sizeof(prof));
    snprintf(prof.name, sizeof(prof.name), "bench");
    prof.window_days = 30;
    prof.pickup_secs = 24 * 3600;
    prof.auto_exempt = true;
    prof.origin_required = true;
    prof.exempt_never_hurts = true; /* the shipped profiles' default */

    double *wall = xcalloc(runs, sizeof(double)), *cpu = xcalloc(runs, sizeof(double)),
           *prep = xcalloc(runs, sizeof(double));
    struct bl_shop_counts *counts = xcalloc(nshops, sizeof(*counts));
    struct bl_shop_counts total;
    for (size_t r = 0; r < runs; r++) {
        struct bl_arena a;
        bl_arena_init(&a, 1u << 16);
        struct bl_assess_ctx *ctx;
        struct bl_diag d;
        bl_diag_clear(&d);
        double p0 = now_s(CLOCK_MONOTONIC);
        if (bl_assess_prepare(regions, dis, ndis, prot, nprot, nshops, &a, &ctx, &d) != BL_OK) {
            fprintf(stderr, "assess_bench: prepare: %s\n", d.msg);
            return 1;
        }
        double p1 = now_s(CLOCK_MONOTONIC);
        memset(counts, 0, nshops * sizeof(*counts));
        double w0 = now_s(CLOCK_MONOTONIC), c0 = now_s(CLOCK_THREAD_CPUTIME_ID);
        bl_assess_count(ctx, &o, &prof, as_of, prof.window_days, NULL, counts);
        double c1 = now_s(CLOCK_THREAD_CPUTIME_ID), w1 = now_s(CLOCK_MONOTONIC);
        prep[r] = p1 - p0;
        wall[r] = w1 - w0;
        cpu[r] = c1 - c0;
        bl_arena_release(&a);
    }
    memset(&total, 0, sizeof(total));
    for (size_t s = 0; s < nshops; s++) {
        total.due += counts[s].due;
        total.exempt += counts[s].exempt;
        total.counted += counts[s].counted;
        total.late += counts[s].late;
        total.delivery_due += counts[s].delivery_due;
        total.delivery_exempt += counts[s].delivery_exempt;
        total.placed += counts[s].placed;
    }
    double mw = median(wall, runs), mc = median(cpu, runs), mp = median(prep, runs);
    printf("engine: %zu orders, %zu shops, %zu disruptions, %zu protections, %u regions, "
           "%lld days, window 30, orders %s\n",
           n, nshops, ndis, nprot, nregions, (long long)days,
           by_shop ? "by shop" : "in no shop order");
    printf("engine: due %lld, exempt %lld, counted %lld, late %lld, delivery due %lld, "
           "delivery exempt %lld, placed %lld\n",
           (long long)total.due, (long long)total.exempt, (long long)total.counted,
           (long long)total.late, (long long)total.delivery_due, (long long)total.delivery_exempt,
           (long long)total.placed);
    printf("engine: prepare %.6f s; count pass median of %zu: %.4f s wall, %.4f s cpu\n", mp, runs,
           mw, mc);
    printf("engine_orders_per_sec_wall %.0f\n", mw > 0 ? (double)n / mw : 0);
    printf("engine_orders_per_sec_cpu %.0f\n", mc > 0 ? (double)n / mc : 0);
    free(wall);
    free(cpu);
    free(prep);
    free(counts);
    free(dis);
    free(prot);
    free(shop_origin);
    free(shop);
    free(from);
    free(to);
    free(placed);
    free(ship_by);
    free(shipped);
    free(picked);
    free(delivered);
    free(promised);
    free(cancelled);
    free(cancel_by);
    free(channel);
    bl_arena_release(&arena);
    return 0;
}
