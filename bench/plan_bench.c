/* plan_bench.c - forecast + plan + playbook over N synthetic SKUs with D days of
 * daily history, through the same code path as `ballast plan/playbook` after the
 * store is read (bl_app_stock_forecast_all, bl_rp_plan, bl_pb_run). Built and run by
 * bench/plan.sh; prints one line of timings and the peak RSS.
 *
 *   plan_bench SKUS DAYS WINDOW THREADS [MODEL]
 *
 * History is kept as 16-bit daily counts (as compact as a column store would hold
 * it); the last WINDOW days of each SKU go to the forecaster. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "ballast/forecast.h"
#include "ballast/playbook.h"
#include "ballast/replenish.h"
#include "app/forecast.h"
#include "app/stock.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* CPU seconds of the process so far (every thread, user and system). */
static double cpu_now(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

static double rng_unit(uint64_t *s)
{
    return (double)(rng_next(s) >> 11) / 9007199254740992.0;
}

static size_t arg(char **argv, int i, size_t def, int argc)
{
    if (i >= argc)
        return def;
    char *end;
    unsigned long long v = strtoull(argv[i], &end, 10);
    return *end ? def : (size_t)v;
}

int main(int argc, char **argv)
{
    size_t nskus = arg(argv, 1, 100000, argc), days = arg(argv, 2, 730, argc);
    size_t window = arg(argv, 3, 91, argc), threads = arg(argv, 4, 2, argc);
    if (window > days)
        window = days;
    struct bl_app_stock_opts o;
    bl_app_stock_opts_init(&o);
    o.window = window;
    o.threads = threads;
    if (argc > 5) {
        struct bl_diag d;
        if (bl_fc_model_parse(bl_str_c(argv[5]), &o.model, &d)) {
            fprintf(stderr, "%s\n", d.msg);
            return 2;
        }
    }
    int64_t day0 = 19000;
    o.as_of = day0 + (int64_t)days;
    /* the calendar `ballast plan` reads (BALLAST_DATA or data/events.csv), every SKU
     * sold in a US shop as in the store path */
    struct bl_events ev;
    struct bl_diag ed;
    bl_diag_clear(&ed);
    if (bl_app_events_load(NULL, &ev, &ed)) {
        fprintf(stderr, "events: %s\n", ed.msg);
        return 1;
    }
    o.events = ev.ev;
    o.nevents = ev.n;
    const char **market = malloc(nskus * sizeof(*market));
    if (!market)
        return 1;
    for (size_t k = 0; k < nskus; k++)
        market[k] = "US";
    o.market = market;
    double t0 = now();

    /* the data: history, stock, POs, suppliers, disruptions, shops */
    uint64_t seed = 88172645463325252u;
    uint16_t *hist = malloc(nskus * days * sizeof(*hist));
    double *units = malloc(nskus * window * sizeof(*units));
    struct bl_rp_sku *rp = calloc(nskus, sizeof(*rp));
    struct bl_rp_stock *stock = calloc(nskus * 2, sizeof(*stock));
    struct bl_rp_inbound *inb = calloc(nskus * 2, sizeof(*inb));
    struct bl_pb_sku *pb = calloc(nskus, sizeof(*pb));
    enum bl_fc_model *model = calloc(nskus, sizeof(*model));
    struct bl_rp_plan *plans = calloc(nskus, sizeof(*plans));
    if (!hist || !units || !rp || !stock || !inb || !pb || !model || !plans)
        return 1;
    static const char *const regions[] = {"CN-GD", "CN-ZJ", "US-CA", "DE"};
    size_t nsup = 200;
    struct bl_rp_supplier sup[200];
    for (size_t j = 0; j < nsup; j++) {
        int64_t lead = 7 + (int64_t)(rng_next(&seed) % 30);
        sup[j] = (struct bl_rp_supplier){regions[j % 2],
                                         lead,
                                         lead + (int64_t)(rng_next(&seed) % 10),
                                         1 + (int64_t)(rng_next(&seed) % 500),
                                         1 + (int64_t)(rng_next(&seed) % 24),
                                         j % 17 == 0 ? BL_RP_SUP_SHUTDOWN : BL_RP_SUP_ACTIVE,
                                         j >= 150 ? (ptrdiff_t)(j - 150) : -1};
    }
    struct bl_rp_disruption dis[20];
    for (size_t i = 0; i < 20; i++)
        dis[i] = (struct bl_rp_disruption){regions[i % 4],
                                           i % 3 == 1 ? BL_RP_DESTINATION : BL_RP_ORIGIN,
                                           i % 5 == 0 ? (ptrdiff_t)(i * 3) : -1,
                                           false,
                                           o.as_of - 10 + (int64_t)i,
                                           o.as_of + 5 + (int64_t)i * 2};
    const char *wh_region[2] = {"CN-GD", "US-CA"};
    for (size_t k = 0; k < nskus; k++) {
        double rate = 0.05 + 30 * rng_unit(&seed) * rng_unit(&seed) * rng_unit(&seed);
        uint16_t *h = hist + k * days;
        for (size_t t = 0; t < days; t++) {
            double u = rng_unit(&seed), x = rate * (0.5 + u);
            h[t] = (uint16_t)(rate < 1 ? (u < rate ? 1 + rng_next(&seed) % 3 : 0) : (unsigned)x);
        }
        size_t ns = 1 + k % 2;
        for (size_t i = 0; i < ns; i++)
            stock[k * 2 + i] = (struct bl_rp_stock){i, (int64_t)(rate * 40 * rng_unit(&seed)),
                                                    (int64_t)(rate * rng_unit(&seed))};
        size_t ni = rng_next(&seed) % 3;
        for (size_t i = 0; i < ni; i++)
            inb[k * 2 + i] = (struct bl_rp_inbound){i % ns, (int64_t)(rate * 30) + 1,
                                                    o.as_of + (int64_t)(rng_next(&seed) % 40) - 5};
        rp[k] = (struct bl_rp_sku){0,           0,  &stock[k * 2],         ns,
                                   &inb[k * 2], ni, (ptrdiff_t)(k % nsup), k % 50 == 0, 0, 0};
        pb[k] =
            (struct bl_pb_sku){(int64_t)BL_PB_ACTIVE, k % 3 == 0, false, 3, wh_region + (k % 2), 1};
    }
    size_t nshops = 50;
    struct bl_pb_shop *shops = calloc(nshops, sizeof(*shops));
    size_t *shop_skus = malloc(nskus * sizeof(*shop_skus));
    for (size_t k = 0; k < nskus; k++)
        shop_skus[k] = k;
    for (size_t j = 0; j < nshops; j++) {
        size_t per = nskus / nshops;
        shops[j] = (struct bl_pb_shop){j % 2 == 0, false, shop_skus + j * per, per};
    }
    double t1 = now(), c1 = cpu_now();

    /* the measured path: window out of the history, forecast, plan, playbook */
    for (size_t k = 0; k < nskus; k++)
        for (size_t t = 0; t < window; t++)
            units[k * window + t] = hist[k * days + (days - window) + t];
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_app_stock_forecast_all(nskus, units, NULL, window, o.as_of - (int64_t)window, &o, rp,
                                  model, &d)) {
        fprintf(stderr, "forecast: %s\n", d.msg);
        return 1;
    }
    double t2 = now();
    struct bl_arena a = BL_ARENA_INIT;
    bl_arena_init(&a, 1 << 20);
    struct bl_rp_input in = {o.as_of, o.policy, sup, nsup, dis, 20, rp, nskus};
    if (bl_rp_plan(&in, &a, plans, &d)) {
        fprintf(stderr, "plan: %s\n", d.msg);
        return 1;
    }
    double t3 = now();
    struct bl_pb_input pin = {o.as_of, o.pb, plans, pb, nskus, shops, nshops, dis, 20, NULL, 0};
    struct bl_pb_action *acts;
    size_t nacts;
    if (bl_pb_run(&pin, &a, &acts, &nacts, &d)) {
        fprintf(stderr, "playbook: %s\n", d.msg);
        return 1;
    }
    double t4 = now(), c4 = cpu_now();
    size_t reorder = 0, backup = 0;
    for (size_t k = 0; k < nskus; k++) {
        reorder += plans[k].reorder_now;
        backup += plans[k].backup;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    printf("skus=%zu days=%zu window=%zu threads=%zu model=%s gen=%.2fs forecast=%.2fs "
           "plan=%.2fs playbook=%.2fs total=%.2fs cpu=%.2fs cpu_all=%.2fs peak_rss_mb=%.0f "
           "reorder=%zu backup=%zu actions=%zu events=%zu\n",
           nskus, days, window, threads, bl_fc_model_name(o.model), t1 - t0, t2 - t1, t3 - t2,
           t4 - t3, t4 - t1, c4 - c1, cpu, (double)ru.ru_maxrss / 1024, reorder, backup, nacts, ev.n);
    bl_arena_release(&a);
    free(hist);
    free(units);
    free(rp);
    free(stock);
    free(inb);
    free(pb);
    free(model);
    free(plans);
    free(shops);
    free(shop_skus);
    free(market);
    bl_events_release(&ev);
    return 0;
}
