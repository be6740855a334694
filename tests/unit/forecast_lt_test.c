/* forecast_lt_test.c - the lead-time quantiles' calibration on the shop's past origins, a
 * tie at 0 counted as half. */
#include <math.h>
#include <string.h>

#include "testutil.h"
#include "ballast/forecast.h"
#include "ballast/time.h"
#include "engine/forecast_impl.h"

#define DAY0 20000 /* 2024-10-04, a Friday */

/* The shop of series s[ns] (n days each) learnt and its lead-time errors pooled for
 * forecasts of lead time l; o is then ready to forecast each SKU with it. closed and
 * scratch are n and n + 1 long. */
static void shop_ready(const struct bl_fc_series *s, size_t ns, size_t n, size_t l, bool *closed,
                       double *scratch, struct bl_fc_shop *shop, struct bl_fc_opts *o)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_fc_shop_learn(s, ns, DAY0, n, closed, scratch, shop, &d), &d);
    bl_fc_opts_init(o);
    o->horizon = l;
    o->lead_time = l;
    o->nsims = 200;
    BL_ASSERT_OK(bl_fc_shop_pool(s, ns, o, shop, &d), &d);
    o->shop = shop;
}

/* Demand that wanders: each SKU's level drifts (its log an AR(1), persistence 0.97, its own,
 * no shock the shop shares), so the 28-day errors of neighbouring origins, whose windows
 * overlap by three weeks, move together. An error standardised by its other origins'
 * spread is then standardised partly by itself, and the quantiles of those errors are too
 * narrow; the forward scores (over the origins that had ended before it) are not. 300
 * SKUs, 364 days of history, the next 28 held out: their 28-day totals fall below the
 * p50, p90 and p95 about as often as they should. */
static void test_lead_time_calibrated(void **state)
{
    (void)state;
    enum { NS = 300, N = 364, H = 28, LEN = N + H };
    static double u[NS][LEN];
    static struct bl_fc_series s[NS];
    uint64_t x = 5;
    for (size_t k = 0; k < NS; k++) {
        double drift = 0, base = 2 + (double)(k % 7);
        for (size_t t = 0; t < LEN; t++) {
            x = x * 6364136223846793005u + 1442695040888963407u;
            double step = (double)(x >> 11) * 0x1p-53 - 0.5;
            drift = 0.97 * drift + 0.3 * step;
            x = x * 6364136223846793005u + 1442695040888963407u;
            double v = (double)(x >> 11) * 0x1p-53; /* 0..1: a skewed day */
            u[k][t] = floor(base * exp(drift) * 3 * v * v);
        }
        s[k] = (struct bl_fc_series){u[k], NULL, N, DAY0, {"", 0}};
    }
    bool closed[N];
    double scratch[N + 1];
    struct bl_fc_shop shop;
    struct bl_fc_opts o;
    shop_ready(s, NS, N, H, closed, scratch, &shop, &o);
    assert_true(shop.lt_samples > 1000);
    struct bl_diag d;
    bl_diag_clear(&d);
    size_t hit[3] = {0, 0, 0};
    for (size_t k = 0; k < NS; k++) {
        struct bl_arena a = BL_ARENA_INIT;
        struct bl_fc_result r;
        BL_ASSERT_OK(bl_fc_forecast(&s[k], &o, &a, &r, &d), &d);
        assert_true(r.lt_p50 <= r.lt_p90 && r.lt_p90 <= r.lt_p95);
        double actual = 0;
        for (size_t j = 0; j < H; j++)
            actual += u[k][N + j];
        hit[0] += actual <= r.lt_p50;
        hit[1] += actual <= r.lt_p90;
        hit[2] += actual <= r.lt_p95;
        bl_arena_release(&a);
    }
    /* 300 independent SKUs: the binomial's standard error is 2.9, 1.7, 1.3 points. 52.7%,
     * 89.3%, 95.3% here; with the levels of the pooled errors uncalibrated 50.7%, 88.3%,
     * 92.3% (on six seeds of this series the p95 gained 1.0 to 4.0 points, to 92.7-95.3%) */
    assert_in_range(hit[0], NS * 42 / 100, NS * 58 / 100);
    assert_in_range(hit[1], NS * 86 / 100, NS * 94 / 100);
    assert_in_range(hit[2], NS * 94 / 100, NS * 98 / 100);
}

/* Slow SKUs: on a day a sale occurs with probability 0.01 to 0.1, of 1 to 3 units, so a
 * week's total is none for 48% to 93% of them. The p50 of such a total is often 0, and the
 * week then often sells none: a tie, which the mid-rank coverage counts as half
 * (docs/metrics.md). The levels of the pooled errors are calibrated counting a tie as
 * half too, so the p50's mid-rank coverage is near 50%; counted as a miss (a week of no
 * sale whose error was below the level), the p50 was set too high. The p90 and p95 have
 * no ties and do not move. */
static void test_lead_time_ties(void **state)
{
    (void)state;
    enum { NS = 400, N = 364, H = 28, L = 7, LEN = N + H };
    static double u[NS][LEN];
    static struct bl_fc_series s[NS];
    uint64_t x = 11;
    for (size_t k = 0; k < NS; k++) {
        double p = 0.01 + 0.09 * (double)(k % 9) / 8;
        for (size_t t = 0; t < LEN; t++) {
            x = x * 6364136223846793005u + 1442695040888963407u;
            double a = (double)(x >> 11) * 0x1p-53;
            x = x * 6364136223846793005u + 1442695040888963407u;
            double b = (double)(x >> 11) * 0x1p-53;
            u[k][t] = a < p ? 1 + floor(3 * b * b) : 0;
        }
        s[k] = (struct bl_fc_series){u[k], NULL, N, DAY0, {"", 0}};
    }
    bool closed[N];
    double scratch[N + 1];
    struct bl_fc_shop shop;
    struct bl_fc_opts o;
    shop_ready(s, NS, N, L, closed, scratch, &shop, &o);
    struct bl_diag d;
    bl_diag_clear(&d);
    double hit[3] = {0, 0, 0}, tie = 0, n = 0;
    for (size_t k = 0; k < NS; k++) {
        struct bl_arena a = BL_ARENA_INIT;
        struct bl_fc_result r;
        BL_ASSERT_OK(bl_fc_forecast(&s[k], &o, &a, &r, &d), &d);
        for (size_t w = 0; w < H / L; w++, n++) { /* the same quantiles, four weeks */
            double actual = 0;
            for (size_t j = 0; j < L; j++)
                actual += u[k][N + w * L + j];
            hit[0] += actual <= r.lt_p50;
            hit[1] += actual <= r.lt_p90;
            hit[2] += actual <= r.lt_p95;
            tie += actual == r.lt_p50;
        }
        bl_arena_release(&a);
    }
    /* 1,600 SKU-weeks of 400 SKUs (the binomial's standard error about 2 points): 47.6%
     * here (plain 67.8%, 40% ties); 57.1% when a tie counted as missed in the levels */
    assert_in_range((unsigned)(100 * (hit[0] - tie / 2) / n), 44, 55);
    assert_in_range((unsigned)(100 * hit[1] / n), 86, 94);
    assert_in_range((unsigned)(100 * hit[2] / n), 92, 98);
}

/* The pooled errors' order and levels: sorted whatever their signs and sizes; three of ten
 * from totals of none, at or above the plain median, so the p50 (a tie at 0 counted as
 * half) is below the plain median and has a share of one half; the p90 is the plain one. */
static void test_lead_time_levels(void **state)
{
    (void)state;
    double v[10] = {4, -0.3, 1, -2, -0.5, 6, -1.5, -0.4, 2, -3};
    double v0[3] = {-0.3, -0.5, -0.4};
    uint64_t tmp[20];
    struct bl__fc_lt_vals x = {v, v0, 10, 3};
    bl__fc_lt_vals_sort(&x, tmp);
    for (size_t i = 1; i < 10; i++)
        assert_true(v[i - 1] <= v[i]);
    assert_true(v[0] == -3 && v[9] == 6 && v0[0] == -0.5 && v0[2] == -0.3);
    double big[6] = {1e300, -1e-300, 0, -1e300, 1e-300, -0.0};
    struct bl__fc_lt_vals y = {big, NULL, 6, 0};
    bl__fc_lt_vals_sort(&y, tmp);
    assert_true(big[0] == -1e300 && big[1] == -1e-300 && big[4] == 1e-300 && big[5] == 1e300);
    double p50 = bl__fc_lt_quantile(&x, 0.5); /* plain: -0.35 */
    assert_true(p50 < -0.35 && p50 > -0.5);
    assert_true(fabs(bl__fc_lt_share(&x, p50) - 0.5) < 0.01);
    assert_true(fabs(bl__fc_lt_quantile(&x, 0.9) - 4.2) < 1e-12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lead_time_calibrated),
        cmocka_unit_test(test_lead_time_ties),
        cmocka_unit_test(test_lead_time_levels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
