/* route_bench.c - routing throughput of the logistics engine (bench/route.sh).
 *
 *   route_bench [ORDERS [CHANNELS [NAIVE_ORDERS [POLICY]]]]
 *   (default 1000000 1000 20000 cheapest; POLICY: cheapest, fastest, preferred:CARRIER)
 *
 * Builds a synthetic catalogue (CHANNELS channels from China to 100 destination
 * countries, 8 lanes of 3 weight bands each, CN holiday calendar, 20
 * disruptions) and ORDERS open orders, then times bl_lg_route (lane index) and
 * bl_lg_route_naive (every rate of every channel per order, the obvious
 * baseline) on one thread, three runs each, and prints the medians and their
 * ratio. The two must agree on every order of the naive sample. Region codes
 * are resolved to trie nodes before timing (the shell resolves each distinct
 * code once). Deterministic: a fixed xorshift seed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ballast/alloc.h"
#include "ballast/logistics.h"

static uint64_t seed = 0x9E3779B97F4A7C15u;

static uint64_t rnd(void)
{
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
}

static size_t pick(size_t n)
{
    return (size_t)(rnd() % n);
}

static double clock_secs(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now(void)
{
    return clock_secs(CLOCK_MONOTONIC);
}

/* CPU time of this thread: "per core" figures that other processes on a shared
 * machine do not distort (wall-clock figures are printed next to them). */
static double cpu(void)
{
    return clock_secs(CLOCK_THREAD_CPUTIME_ID);
}

static const char *const origins[] = {"CN",    "CN-GD", "CN-ZJ", "CN-JS", "CN-SH",
                                      "CN-FJ", "CN-BJ", "CN-SD", "CN-HB"};
static const char *const countries[] = {
    "US", "CA", "MX", "BR", "AR", "CL", "CO", "PE", "GB", "DE", "FR", "IT", "ES", "PT", "NL",
    "BE", "LU", "IE", "DK", "SE", "NO", "FI", "PL", "CZ", "SK", "HU", "AT", "CH", "SI", "HR",
    "RO", "BG", "GR", "TR", "UA", "RU", "KZ", "UZ", "IL", "SA", "AE", "QA", "KW", "BH", "OM",
    "EG", "MA", "NG", "KE", "ZA", "GH", "ET", "TZ", "JP", "KR", "TW", "HK", "MO", "SG", "MY",
    "TH", "VN", "PH", "ID", "IN", "PK", "BD", "LK", "NP", "AU", "NZ", "FJ", "PG", "EE", "LV",
    "LT", "IS", "MT", "CY", "RS", "BA", "AL", "MK", "GE", "AM", "AZ", "MN", "KH", "LA", "MM",
    "JO", "LB", "TN", "DZ", "CI", "SN", "CM", "UY", "PY", "EC"};
#define NCOUNTRIES (sizeof(countries) / sizeof(countries[0]))
static const char *const subdivisions[] = {"US-CA", "US-NY", "US-TX",  "US-FL",  "BR-SP",
                                           "BR-RJ", "DE-BY", "GB-ENG", "AU-NSW", "CA-ON"};
#define NSUB (sizeof(subdivisions) / sizeof(subdivisions[0]))
static const char *const modes[] = {"postal", "dedicated", "express", "air", "rail", "sea"};
static const char *const carriers[] = {"China Post", "Yanwen", "4PX", "Cainiao", "YunExpress",
                                       "DHL",        "FedEx",  "UPS", "SF",      "EMS"};

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef int (*route_fn)(const struct bl_lg *, const struct bl_lg_policy *,
                        const struct bl_lg_shipment *, size_t, struct bl_lg_route *,
                        struct bl_diag *);

/* Median orders per CPU second (and per wall second in *wall) over three runs. */
static struct bl_lg_policy pol = {BL_LG_CHEAPEST, NULL};

static double timed(route_fn fn, const struct bl_lg *lg, const struct bl_lg_shipment *s, size_t n,
                    struct bl_lg_route *out, double *wall)
{
    double rate[3], wrate[3];
    for (int k = 0; k < 3; k++) {
        struct bl_diag d;
        bl_diag_clear(&d);
        double t0 = now(), c0 = cpu();
        if (fn(lg, &pol, s, n, out, &d)) {
            fprintf(stderr, "route_bench: %s\n", d.msg);
            exit(1);
        }
        rate[k] = (double)n / (cpu() - c0);
        wrate[k] = (double)n / (now() - t0);
    }
    qsort(rate, 3, sizeof(rate[0]), cmp_double);
    qsort(wrate, 3, sizeof(wrate[0]), cmp_double);
    *wall = wrate[1];
    return rate[1];
}

int main(int argc, char **argv)
{
    size_t norders = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 1000000;
    size_t nch = argc > 2 ? (size_t)strtoull(argv[2], NULL, 10) : 1000;
    size_t nnaive = argc > 3 ? (size_t)strtoull(argv[3], NULL, 10) : 20000;
    const char *policy = argc > 4 ? argv[4] : "cheapest";
    if (strcmp(policy, "fastest") == 0)
        pol.kind = BL_LG_FASTEST;
    else if (strncmp(policy, "preferred:", 10) == 0)
        pol = (struct bl_lg_policy){BL_LG_PREFERRED, policy + 10};
    else if (strcmp(policy, "cheapest") != 0)
        norders = 0;
    if (!norders || !nch || nnaive > norders) {
        fprintf(stderr, "usage: route_bench [ORDERS [CHANNELS [NAIVE_ORDERS <= ORDERS "
                        "[cheapest|fastest|preferred:CARRIER]]]]\n");
        return 2;
    }
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_tz *sh;
    if (bl_tz_load(&sh, "Asia/Shanghai", &d)) {
        fprintf(stderr, "route_bench: %s\n", d.msg);
        return 1;
    }
    /* CN calendar: Spring Festival and national holidays 2024-2026 */
    static const struct bl_lg_closure cl[] = {
        {19723, 19723}, {19763, 19770}, {19817, 19819}, {19844, 19848}, {19884, 19884},
        {19981, 19983}, {19997, 20003}, {20089, 20089}, {20116, 20123}, {20182, 20184},
        {20209, 20213}, {20239, 20241}, {20362, 20369}, {20454, 20456}, {20499, 20507},
        {20547, 20549}, {20574, 20578}, {20623, 20625}, {20721, 20723}, {20727, 20733}};
    struct bl_lg_calendar cal = {"CN", BL_LG_SAT_SUN, cl, sizeof(cl) / sizeof(cl[0])};

    enum { LANES = 8, BANDS = 3 };
    struct bl_lg_channel *ch = calloc(nch, sizeof(*ch));
    struct bl_lg_rate *rates = calloc(nch * LANES * BANDS, sizeof(*rates));
    char(*ids)[24] = calloc(nch, 24);
    if (!ch || !rates || !ids)
        return 1;
    for (size_t i = 0; i < nch; i++) {
        snprintf(ids[i], 24, "ch%zu", i);
        const char *o = pick(10) < 7 ? "CN" : origins[1 + pick(8)];
        int32_t tmin = (int32_t)(2 + pick(12));
        int64_t b1 = 2000 + (int64_t)pick(3) * 1000, b2 = 20000 + (int64_t)pick(3) * 10000;
        struct bl_lg_rate *r = &rates[i * LANES * BANDS];
        for (size_t l = 0; l < LANES; l++) {
            const char *dst =
                pick(10) == 0 ? subdivisions[pick(NSUB)] : countries[pick(NCOUNTRIES)];
            int64_t base = 300 + (int64_t)pick(3000), per = 50 + (int64_t)pick(900);
            r[l * BANDS + 0] = (struct bl_lg_rate){o, dst, 0, b1, base, per};
            r[l * BANDS + 1] = (struct bl_lg_rate){o, dst, b1, b2, base * 2, per};
            r[l * BANDS + 2] = (struct bl_lg_rate){o, dst, b2, 70000, base * 5, per};
        }
        ch[i] = (struct bl_lg_channel){ids[i],
                                       carriers[pick(10)],
                                       modes[pick(6)],
                                       pick(5) == 0 ? BL_LG_BACKUP : BL_LG_CORE,
                                       tmin,
                                       tmin + (int32_t)pick(10),
                                       pick(2) ? (int32_t)(14 * 60 + pick(6) * 60) : -1,
                                       sh,
                                       pick(10) < 7 ? "CN" : NULL,
                                       pick(2) ? 6000 : 0,
                                       "USD",
                                       r,
                                       LANES * BANDS};
    }
    int64_t as_of = INT64_C(1709600000); /* 2024-03-05T00:53:20Z */
    /* 20 disruptions: 14 carrier suspensions of single channels, 3 destination
     * countries closed, 1 province locked down, 2 already over */
    struct bl_lg_disruption dis[20];
    for (size_t i = 0; i < 20; i++) {
        bool by_channel = i < 14;
        bool over = i >= 18;
        dis[i] = (struct bl_lg_disruption){"d",
                                           by_channel ? "carrier_suspension" : "lockdown",
                                           by_channel ? "CN"
                                           : i == 17  ? origins[1 + pick(8)]
                                                      : countries[pick(NCOUNTRIES)],
                                           by_channel ? BL_LG_BOTH
                                           : i == 17  ? BL_LG_ORIGIN
                                                      : BL_LG_DESTINATION,
                                           by_channel ? ids[pick(nch)] : NULL,
                                           NULL,
                                           as_of - 86400 * (int64_t)(1 + pick(10)),
                                           over ? as_of - 3600
                                                : as_of + 86400 * (int64_t)(1 + pick(10))};
    }
    struct bl_lg_input in = {ch, nch, &cal, 1, dis, 20};
    struct bl_lg *lg;
    double t0 = now();
    if (bl_lg_compile(&in, &lg, &d)) {
        fprintf(stderr, "route_bench: %s\n", d.msg);
        return 1;
    }
    double compile_s = now() - t0;

    /* Orders: resolve each distinct region code once. */
    uint32_t onode[9], cnode[NCOUNTRIES], snode[NSUB];
    for (size_t i = 0; i < 9; i++)
        onode[i] = bl_lg_locate(lg, bl_str_c(origins[i]));
    for (size_t i = 0; i < NCOUNTRIES; i++)
        cnode[i] = bl_lg_locate(lg, bl_str_c(countries[i]));
    for (size_t i = 0; i < NSUB; i++)
        snode[i] = bl_lg_locate(lg, bl_str_c(subdivisions[i]));
    struct bl_lg_shipment *s = calloc(norders, sizeof(*s));
    struct bl_lg_route *a = calloc(norders, sizeof(*a)),
                       *b = calloc(nnaive ? nnaive : 1, sizeof(*b));
    if (!s || !a || !b)
        return 1;
    int64_t today = bl_tz_local_day(sh, as_of);
    for (size_t i = 0; i < norders; i++) {
        s[i].from = onode[1 + pick(8)];
        s[i].to = pick(5) == 0 ? snode[pick(NSUB)] : cnode[pick(NCOUNTRIES)];
        s[i].weight_g = pick(4) ? 50 + (int64_t)pick(1950) : 2000 + (int64_t)pick(40000);
        if (pick(5) == 0) {
            s[i].dims_mm[0] = 100 + (int64_t)pick(400);
            s[i].dims_mm[1] = 100 + (int64_t)pick(300);
            s[i].dims_mm[2] = 50 + (int64_t)pick(200);
        }
        s[i].ship_at = as_of;
        s[i].by_day = pick(10) ? today + 5 + (int64_t)pick(25) : BL_LG_NO_PROMISE;
    }

    double fast_wall = 0, naive_wall = 0;
    double fast = timed(bl_lg_route, lg, s, norders, a, &fast_wall);
    double naive = nnaive ? timed(bl_lg_route_naive, lg, s, nnaive, b, &naive_wall) : 0;
    size_t state[4] = {0}, cands = 0;
    for (size_t i = 0; i < norders; i++) {
        state[a[i].state]++;
        cands += a[i].candidates;
    }
    for (size_t i = 0; i < nnaive; i++)
        if (a[i].state != b[i].state || a[i].channel != b[i].channel || a[i].price != b[i].price ||
            a[i].latest_day != b[i].latest_day) {
            fprintf(stderr, "route_bench: fast and naive disagree on order %zu\n", i);
            return 1;
        }
    printf("policy: %s\n", policy);
    printf("catalogue: %zu channels, %zu rate rows, compiled in %.3f s\n", nch, nch * LANES * BANDS,
           compile_s);
    printf("orders: %zu (routed %zu, late %zu, suspended %zu, no channel %zu; "
           "%.1f serving channels per order)\n",
           norders, state[0], state[1], state[2], state[3], (double)cands / (double)norders);
    printf("lane index:  %12.0f orders per CPU second  (%.0f per wall second; median of 3 "
           "runs over %zu orders, one thread)\n",
           fast, fast_wall, norders);
    if (nnaive) {
        printf("naive scan:  %12.0f orders per CPU second  (%.0f per wall second; median of 3 "
               "runs over %zu orders; same decisions)\n",
               naive, naive_wall, nnaive);
        printf("ratio:       %12.1fx\n", fast / naive);
    }
    free(s);
    free(a);
    free(b);
    free(ch);
    free(rates);
    free(ids);
    bl_lg_free(lg);
    bl_tz_free(sh);
    return 0;
}
