/* forecast_test.c - the forecasting models on synthetic series with known answers. */
#include <math.h>
#include <string.h>

#include "testutil.h"
#include "ballast/forecast.h"
#include "ballast/time.h"

#define N 140
#define DAY0 20000 /* 2024-10-04, a Friday */

static struct bl_fc_series series(const double *u, const bool *in_stock, size_t n)
{
    struct bl_fc_series s = {u, in_stock, n, DAY0, {"", 0}};
    return s;
}

static void forecast(const struct bl_fc_series *s, enum bl_fc_model m, size_t h, struct bl_arena *a,
                     struct bl_fc_result *r)
{
    struct bl_fc_opts o;
    bl_fc_opts_init(&o);
    o.model = m;
    o.horizon = h;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_fc_forecast(s, &o, a, r, &d), &d);
}

static void test_names(void **state)
{
    (void)state;
    enum bl_fc_model m;
    struct bl_diag d;
    bl_diag_clear(&d);
    for (int i = 0; i < BL_FC_NMODELS; i++) {
        BL_ASSERT_OK(bl_fc_model_parse(bl_str_c(bl_fc_model_name((enum bl_fc_model)i)), &m, &d),
                     &d);
        assert_int_equal(m, i);
    }
    assert_int_equal(bl_fc_model_parse(BL_STR("arima"), &m, &d), BL_EINVAL);
    assert_non_null(strstr(d.msg, "unknown model 'arima': expected auto, snaive"));
}

static void test_constant(void **state)
{
    (void)state;
    double u[N];
    for (size_t i = 0; i < N; i++)
        u[i] = 5;
    struct bl_fc_series s = series(u, NULL, N);
    for (int m = BL_FC_AUTO; m < BL_FC_NMODELS; m++) {
        struct bl_arena a = BL_ARENA_INIT;
        struct bl_fc_result r;
        forecast(&s, (enum bl_fc_model)m, 14, &a, &r);
        /* SBA's (1 - alpha/2) deflates every series, intermittent or not. */
        double want = m == BL_FC_SBA ? 5 * (1 - 0.02 / 2) : 5;
        for (size_t j = 0; j < 14; j++)
            if (fabs(r.point[j] - want) > 1e-9)
                fail_msg("%s: day %zu forecast %g, wanted 5", bl_fc_model_name((enum bl_fc_model)m),
                         j, r.point[j]);
        assert_int_equal(r.first_day, DAY0 + N);
        if (m != BL_FC_SBA) /* no error at all: no spread */
            assert_true(fabs(r.p95[0] - 5) < 1e-9);
        bl_arena_release(&a);
    }
}

static void test_weekly_pattern(void **state)
{
    (void)state;
    static const double week[7] = {3, 8, 1, 0, 12, 5, 7};
    double u[N];
    for (size_t i = 0; i < N; i++)
        u[i] = week[i % 7];
    struct bl_fc_series s = series(u, NULL, N);
    struct bl_arena a = BL_ARENA_INIT;
    struct bl_fc_result r;
    forecast(&s, BL_FC_SNAIVE, 21, &a, &r);
    for (size_t j = 0; j < 21; j++)
        assert_true(fabs(r.point[j] - week[(N + j) % 7]) < 1e-12);
    /* Auto picks a model that gets the pattern (snaive is exact). */
    forecast(&s, BL_FC_AUTO, 21, &a, &r);
    assert_int_equal(r.model, BL_FC_SNAIVE);
    /* Seasonal ETS learns it too. */
    forecast(&s, BL_FC_ETS_SEASONAL, 7, &a, &r);
    for (size_t j = 0; j < 7; j++)
        assert_true(fabs(r.point[j] - week[(N + j) % 7]) < 0.5);
    bl_arena_release(&a);
}

static void test_intermittent(void **state)
{
    (void)state;
    double u[N] = {0};
    for (size_t i = 0; i < N; i += 4)
        u[i] = 8; /* 8 units every 4th day: rate 2 a day */
    struct bl_fc_series s = series(u, NULL, N - 3);
    struct bl_arena a = BL_ARENA_INIT;
    struct bl_fc_result r;
    forecast(&s, BL_FC_CROSTON, 7, &a, &r);
    assert_true(fabs(r.point[0] - 2) < 1e-9);
    assert_true(fabs(r.point[6] - 2) < 1e-9);
    forecast(&s, BL_FC_SBA, 7, &a, &r);
    assert_true(fabs(r.point[0] - 2 * (1 - 0.02 / 2)) < 1e-9); /* (1 - alpha/2) * 2 */
    forecast(&s, BL_FC_TSB, 7, &a, &r);
    assert_true(fabs(r.point[0] - 2) < 0.6);
    /* Lead-time demand over 7 days: mean 14, quantiles ordered. */
    forecast(&s, BL_FC_CROSTON, 7, &a, &r);
    assert_true(fabs(r.lt_mean - 14) < 1e-9);
    assert_true(r.lt_p50 <= r.lt_p90 && r.lt_p90 <= r.lt_p95);
    assert_true(r.lt_p95 >= 14);
    bl_arena_release(&a);
}

static void test_censored(void **state)
{
    (void)state;
    double u[N];
    bool in[N];
    for (size_t i = 0; i < N; i++) {
        bool out = i % 10 >= 7 || i >= N - 5; /* out of stock 3 days in 10, and at the end */
        u[i] = out ? 0 : 10;
        in[i] = !out;
    }
    struct bl_fc_series s = series(u, in, N);
    for (int m = BL_FC_AUTO; m < BL_FC_NMODELS; m++) {
        if (m == BL_FC_TSB || m == BL_FC_CROSTON || m == BL_FC_SBA)
            continue; /* intermittent models fall back on demand sizes, checked below */
        struct bl_arena a = BL_ARENA_INIT;
        struct bl_fc_result r;
        forecast(&s, (enum bl_fc_model)m, 7, &a, &r);
        if (fabs(r.point[0] - 10) > 1e-6)
            fail_msg("%s: forecast %g, wanted 10", bl_fc_model_name((enum bl_fc_model)m),
                     r.point[0]);
        assert_int_equal(r.censored, 42 + 2);
        bl_arena_release(&a);
    }
    struct bl_arena a = BL_ARENA_INIT;
    struct bl_fc_result r;
    forecast(&s, BL_FC_CROSTON, 7, &a, &r);
    assert_true(fabs(r.point[0] - 10) < 1e-9);
    /* The same zeros read as demand do pull it down. */
    s.in_stock = NULL;
    forecast(&s, BL_FC_SES, 7, &a, &r);
    assert_true(r.point[0] < 9);
    bl_arena_release(&a);
}

static void test_leading_zeros(void **state)
{
    (void)state;
    double u[N] = {0};
    for (size_t i = 100; i < N; i++)
        u[i] = 6;
    struct bl_fc_series s = series(u, NULL, N);
    struct bl_arena a = BL_ARENA_INIT;
    struct bl_fc_result r;
    forecast(&s, BL_FC_AUTO, 7, &a, &r);
    assert_int_equal(r.history, 40);
    assert_true(fabs(r.point[0] - 6) < 1e-9);
    forecast(&s, BL_FC_CROSTON, 7, &a, &r);
    assert_true(fabs(r.point[0] - 6) < 1e-9);
    /* Never sold: zero forecast, zero quantiles. */
    memset(u, 0, sizeof(u));
    forecast(&s, BL_FC_AUTO, 7, &a, &r);
    assert_int_equal(r.history, 0);
    assert_true(r.point[3] == 0 && r.p95[3] == 0 && r.lt_p95 == 0);
    bl_arena_release(&a);
}

static void test_event_uplift(void **state)
{
    (void)state;
    enum { LEN = 400 };
    double u[LEN];
    for (size_t i = 0; i < LEN; i++)
        u[i] = 10;
    int64_t first = bl_days_from_civil(2023, 1, 1);
    int64_t e1 = bl_days_from_civil(2023, 11, 11), e2 = bl_days_from_civil(2024, 11, 11);
    u[e1 - first] = 30; /* 11.11 sells three times a normal day */
    /* Any order; the future 11.11 listed twice counts once. */
    struct bl_fc_event ev[] = {{e2, BL_STR("11.11"), BL_STR("")},
                               {e1, BL_STR("11.11"), BL_STR("")},
                               {first + LEN + 3, BL_STR("never seen"), BL_STR("")},
                               {e2, BL_STR("11.11"), BL_STR("")}};
    struct bl_fc_series s = {u, NULL, LEN, first, BL_STR("")};
    struct bl_fc_opts o;
    bl_fc_opts_init(&o);
    o.model = BL_FC_SES;
    o.horizon = (size_t)(e2 - (first + LEN)) + 5;
    o.events = ev;
    o.nevents = 4;
    struct bl_arena a = BL_ARENA_INIT;
    struct bl_fc_result r;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_fc_forecast(&s, &o, &a, &r, &d), &d);
    size_t j = (size_t)(e2 - r.first_day);
    assert_true(fabs(r.point[j] - 30) < 1e-9); /* uplift 3, learnt */
    assert_true(fabs(r.point[j - 1] - 10) < 1e-9);
    assert_true(fabs(r.point[3] - 10) < 1e-9); /* no history: no uplift */
    /* The spike did not move the level: it was left out of fitting. */
    assert_true(fabs(r.point[0] - 10) < 1e-9);
    /* The result says which event it could not learn (11.11 it could). */
    assert_int_equal(r.unseen_events, 1);
    assert_true(bl_str_eq_c(r.unseen_event, "never seen"));
    assert_int_equal(r.unseen_day, first + LEN + 3);
    o.horizon = 3; /* the unseen event is after the horizon: nothing to say */
    BL_ASSERT_OK(bl_fc_forecast(&s, &o, &a, &r, &d), &d);
    assert_int_equal(r.unseen_events, 0);
    assert_int_equal(r.unseen_event.len, 0);
    bl_arena_release(&a);
}

/* Events by region (#18): 11.11 is Chinese. A UK shop's SKU and a CN shop's sold alike,
 * three times their usual on last year's 11.11 and on Christmas: the CN SKU gets 11.11's
 * uplift, the UK SKU does not (its 11.11 is a plain day, fitted like any other, and it is
 * not told of an event it never saw); Christmas (global) reaches both, and a SKU whose
 * market is unknown hears of every event. Pooled over a shop of both, the UK SKUs do not
 * dilute the CN SKUs' uplift. */
static void test_event_region(void **state)
{
    (void)state;
    enum { NS = 20, LEN = 400 };
    static double u[NS][LEN];
    static struct bl_fc_series s[NS];
    int64_t first = bl_days_from_civil(2023, 1, 1);
    int64_t d1 = bl_days_from_civil(2023, 11, 11), d2 = bl_days_from_civil(2024, 11, 11);
    int64_t x1 = bl_days_from_civil(2023, 12, 25), x2 = bl_days_from_civil(2024, 12, 25);
    for (size_t k = 0; k < NS; k++) {
        for (size_t t = 0; t < LEN; t++)
            u[k][t] = 10;
        u[k][x1 - first] = 30; /* Christmas: everywhere */
        if (k % 2 == 0)
            u[k][d1 - first] = 30; /* 11.11: the CN SKUs only */
        s[k] = (struct bl_fc_series){u[k], NULL, LEN, first,
                                     k % 2 == 0 ? BL_STR("CN") : BL_STR("GB")};
    }
    struct bl_fc_event ev[] = {{d1, BL_STR("11.11"), BL_STR("CN")},
                               {d2, BL_STR("11.11"), BL_STR("CN")},
                               {x1, BL_STR("christmas"), BL_STR("global")},
                               {x2, BL_STR("christmas"), BL_STR("")}};
    assert_true(bl_fc_event_applies(&ev[0], BL_STR("CN")));
    assert_true(bl_fc_event_applies(&ev[0], BL_STR("GB CN")));
    assert_false(bl_fc_event_applies(&ev[0], BL_STR("GB")));
    assert_false(bl_fc_event_applies(&ev[0], BL_STR("C")));
    assert_true(bl_fc_event_applies(&ev[0], BL_STR(""))); /* unknown market: every event */
    assert_true(bl_fc_event_applies(&ev[2], BL_STR("GB")));
    assert_true(bl_fc_event_applies(&ev[3], BL_STR("GB")));
    struct bl_fc_event multi = {d1, BL_STR("black_friday"), BL_STR("US CA GB")};
    assert_true(bl_fc_event_applies(&multi, BL_STR("GB")));
    assert_false(bl_fc_event_applies(&multi, BL_STR("CN JP")));
    assert_true(bl_str_eq_c(bl_fc_currency_market(BL_STR("GBP")), "GB"));
    assert_true(bl_str_eq_c(bl_fc_currency_market(BL_STR("CNY")), "CN"));
    assert_true(bl_str_eq_c(bl_fc_currency_market(BL_STR("EUR")), "EU"));
    assert_int_equal(bl_fc_currency_market(BL_STR("XAF")).len, 0);
    assert_int_equal(bl_fc_currency_market(BL_STR("usd")).len, 0);

    struct bl_fc_opts o;
    bl_fc_opts_init(&o);
    o.model = BL_FC_SES;
    o.horizon = (size_t)(x2 - (first + LEN)) + 3;
    o.events = ev;
    o.nevents = 4;
    struct bl_arena a = BL_ARENA_INIT;
    struct bl_fc_result r;
    struct bl_diag d;
    bl_diag_clear(&d);
    size_t j = (size_t)(d2 - (first + LEN)), jx = (size_t)(x2 - (first + LEN));
    BL_ASSERT_OK(bl_fc_forecast(&s[0], &o, &a, &r, &d), &d); /* CN */
    assert_true(fabs(r.point[j] - 30) < 1e-9);
    assert_true(fabs(r.point[jx] - 30) < 1e-9);
    BL_ASSERT_OK(bl_fc_forecast(&s[1], &o, &a, &r, &d), &d); /* GB */
    assert_true(fabs(r.point[j] - 10) < 1e-9);
    assert_true(fabs(r.point[jx] - 30) < 1e-9);
    assert_int_equal(r.unseen_events, 0);
    struct bl_fc_series unknown = s[1];
    unknown.market = BL_STR("");
    BL_ASSERT_OK(bl_fc_forecast(&unknown, &o, &a, &r, &d), &d); /* 11.11 learnt: 1 */
    assert_true(fabs(r.point[j] - 10) < 1e-9);
    assert_int_equal(r.unseen_events, 0);
    bl_arena_release(&a);

    /* the shop's pool: 11.11 over the CN SKUs only (3 times), Christmas over all */
    bool closed[LEN];
    double scratch[LEN + 1];
    struct bl_fc_shop shop;
    BL_ASSERT_OK(bl_fc_shop_learn(s, NS, first, LEN, closed, scratch, &shop, &d), &d);
    BL_ASSERT_OK(bl_fc_shop_events(s, NS, &o, &shop, &d), &d);
    assert_int_equal(shop.nevents, 2);
    for (size_t i = 0; i < shop.nevents; i++) {
        bool singles = bl_str_eq_c(shop.events[i].name, "11.11");
        assert_int_equal(shop.events[i].skus, singles ? NS / 2 : NS);
        assert_true(fabs(shop.events[i].actual / shop.events[i].baseline - 3) < 1e-9);
    }
}

/* Black Friday uplifts pooled over a shop: 40 SKUs sold three times their usual on last
 * year's; a SKU launched since borrows the shop's uplift (and is not told the event was
 * never seen), a big SKU that did not take part keeps most of its own. */
static void test_event_uplift_shared(void **state)
{
    (void)state;
    enum { NS = 42, LEN = 400 };
    static double u[NS][LEN];
    static struct bl_fc_series s[NS];
    int64_t first = bl_days_from_civil(2023, 1, 1);
    int64_t bf1 = bl_days_from_civil(2023, 11, 24), bf2 = bl_days_from_civil(2024, 11, 29);
    size_t launch = LEN - 60; /* SKU 0 starts selling after it, in December */
    for (size_t k = 0; k < NS; k++)
        for (size_t t = 0; t < LEN; t++) {
            double base = k == 1 ? 50 : 4;
            u[k][t] = k == 0 && t < launch ? 0 : base;
            if (first + (int64_t)t == bf1 && k != 1)
                u[k][t] = 3 * base; /* SKU 1, a big one, sold as usual */
        }
    for (size_t k = 0; k < NS; k++)
        s[k] = (struct bl_fc_series){u[k], NULL, LEN, first, BL_STR("")};
    struct bl_fc_event ev[] = {{bf1, BL_STR("black_friday"), BL_STR("")},
                               {bf2, BL_STR("black_friday"), BL_STR("")}};
    bool closed[LEN];
    double scratch[LEN + 1];
    struct bl_fc_shop shop;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_fc_shop_learn(s, NS, first, LEN, closed, scratch, &shop, &d), &d);
    struct bl_fc_opts o;
    bl_fc_opts_init(&o);
    o.model = BL_FC_SES;
    o.horizon = (size_t)(bf2 - (first + LEN)) + 3;
    o.events = ev;
    o.nevents = 2;
    BL_ASSERT_OK(bl_fc_shop_events(s, NS, &o, &shop, &d), &d);
    assert_int_equal(shop.nevents, 1);
    assert_int_equal(shop.events[0].skus, NS - 1); /* all but the one launched after */
    o.shop = &shop;
    size_t j = (size_t)(bf2 - (first + LEN));
    struct bl_arena a = BL_ARENA_INIT;
    struct bl_fc_result r;
    BL_ASSERT_OK(bl_fc_forecast(&s[0], &o, &a, &r, &d), &d);
    double shop_uplift = (40 * 12.0 + 50) / (40 * 4.0 + 50); /* 2.52 */
    assert_true(fabs(r.point[j] / r.point[j - 1] - shop_uplift) < 1e-6);
    assert_int_equal(r.unseen_events, 0);
    BL_ASSERT_OK(bl_fc_forecast(&s[1], &o, &a, &r, &d), &d);
    double own = (50 + 10 * shop_uplift) / (50 + 10); /* mostly its own 1 */
    assert_true(fabs(r.point[j] / r.point[j - 1] - own) < 1e-6);
    BL_ASSERT_OK(bl_fc_forecast(&s[2], &o, &a, &r, &d), &d);
    assert_true(fabs(r.point[j] / r.point[j - 1] - (12 + 10 * shop_uplift) / 14) < 1e-6);
    o.shop = NULL; /* without the shop: the launched SKU has nothing to learn from */
    BL_ASSERT_OK(bl_fc_forecast(&s[0], &o, &a, &r, &d), &d);
    assert_true(fabs(r.point[j] - r.point[j - 1]) < 1e-9);
    assert_int_equal(r.unseen_events, 1);
    bl_arena_release(&a);
}

static void test_quantiles(void **state)
{
    (void)state;
    double u[N];
    uint64_t x = 7;
    for (size_t i = 0; i < N; i++) {
        x = x * 6364136223846793005u + 1442695040888963407u;
        u[i] = (double)(x >> 60) + (i % 7 == 5 ? 10 : 0);
    }
    struct bl_fc_series s = series(u, NULL, N);
    for (int m = BL_FC_AUTO; m < BL_FC_NMODELS; m++) {
        struct bl_arena a = BL_ARENA_INIT;
        struct bl_fc_result r, r2;
        forecast(&s, (enum bl_fc_model)m, 28, &a, &r);
        forecast(&s, (enum bl_fc_model)m, 28, &a, &r2);
        for (size_t j = 0; j < 28; j++) {
            assert_true(r.p50[j] >= 0);
            assert_true(r.p50[j] <= r.p90[j] + 1e-9 && r.p90[j] <= r.p95[j] + 1e-9);
            assert_true(r.p95[j] == r2.p95[j]); /* same seed, same answer */
        }
        assert_true(r.lt_p50 <= r.lt_p90 && r.lt_p90 <= r.lt_p95);
        assert_true(r.lt_p95 > r.lt_mean);
        bl_arena_release(&a);
    }
}

static void test_accuracy(void **state)
{
    (void)state;
    /* Training 0 0 2 4 3: from the first sale 2 4 3, differences 2 and -1:
     * scale1 = 1.5, scale2 = 2.5. Errors 1 and -3: MAE 2, MSE 5. */
    const double train[] = {0, 0, 2, 4, 3}, actual[] = {4, 1}, fc[] = {3, 4};
    struct bl_fc_accuracy acc;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_fc_accuracy(train, 5, actual, fc, 2, &acc, &d), &d);
    assert_true(fabs(acc.mase - 2 / 1.5) < 1e-12);
    assert_true(fabs(acc.rmsse - sqrt(5 / 2.5)) < 1e-12);
    const double flat[] = {0, 3, 3, 3};
    assert_int_equal(bl_fc_accuracy(flat, 4, actual, fc, 2, &acc, &d), BL_EEMPTY);
    assert_int_equal(bl_fc_accuracy(train, 3, actual, fc, 2, &acc, &d), BL_EEMPTY);
}

static void test_bad_input(void **state)
{
    (void)state;
    double u[3] = {1, -2, 3};
    struct bl_fc_series s = series(u, NULL, 3);
    struct bl_fc_opts o;
    bl_fc_opts_init(&o);
    struct bl_arena a = BL_ARENA_INIT;
    struct bl_fc_result r;
    struct bl_diag d;
    bl_diag_clear(&d);
    assert_int_equal(bl_fc_forecast(&s, &o, &a, &r, &d), BL_EINVAL);
    assert_non_null(strstr(d.msg, "2024-10-05: -2 units: expected a finite number"));
    u[1] = NAN;
    assert_int_equal(bl_fc_forecast(&s, &o, &a, &r, &d), BL_EINVAL);
    u[1] = 2;
    o.horizon = 0;
    assert_int_equal(bl_fc_forecast(&s, &o, &a, &r, &d), BL_EINVAL);
    o.horizon = 5;
    o.lead_time = 6;
    assert_int_equal(bl_fc_forecast(&s, &o, &a, &r, &d), BL_EINVAL);
    o.lead_time = 0;
    BL_ASSERT_OK(bl_fc_forecast(&s, &o, &a, &r, &d), &d); /* short: falls back */
    assert_int_equal(r.model, BL_FC_SES);
    bl_arena_release(&a);
}

static void test_point_matches_forecast(void **state)
{
    (void)state;
    double u[N];
    for (size_t i = 0; i < N; i++)
        u[i] = (double)(i % 5) + (double)i / 20;
    struct bl_fc_series s = series(u, NULL, N);
    struct bl_fc_opts o;
    bl_fc_opts_init(&o);
    o.horizon = 10;
    struct bl_diag d;
    bl_diag_clear(&d);
    for (int m = BL_FC_SNAIVE; m < BL_FC_NMODELS; m++) {
        struct bl_arena a = BL_ARENA_INIT;
        struct bl_fc_result r;
        double fc[10];
        o.model = (enum bl_fc_model)m;
        BL_ASSERT_OK(bl_fc_forecast(&s, &o, &a, &r, &d), &d);
        BL_ASSERT_OK(bl_fc_point(&s, o.model, &o, &a, fc, 10, &d), &d);
        for (size_t j = 0; j < 10; j++)
            assert_true(fabs(fc[j] - r.point[j]) < 1e-9);
        bl_arena_release(&a);
    }
}

/* bl_fc_point_all: every model's forecast equals bl_fc_point's, auto's choice bl_fc_select's
 * (one pass and one fit each give what a fit per model gives). */
static void test_point_all(void **state)
{
    (void)state;
    double u[N];
    for (size_t i = 0; i < N; i++)
        u[i] = (double)((i * 7) % 5) + (i % 7 == 1 ? 0 : 3);
    struct bl_fc_series s = series(u, NULL, N);
    struct bl_fc_opts o;
    bl_fc_opts_init(&o);
    o.horizon = 14;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_arena a = BL_ARENA_INIT;
    double all[BL_FC_NMODELS * 14], fc[14];
    enum bl_fc_model pick, sel;
    BL_ASSERT_OK(bl_fc_point_all(&s, &o, &a, all, 14, &pick, &d), &d);
    BL_ASSERT_OK(bl_fc_select(&s, &o, &a, &sel, &d), &d);
    assert_int_equal(pick, sel);
    for (int m = BL_FC_AUTO; m < BL_FC_NMODELS; m++) {
        BL_ASSERT_OK(bl_fc_point(&s, (enum bl_fc_model)m, &o, &a, fc, 14, &d), &d);
        for (size_t j = 0; j < 14; j++)
            assert_true(fabs(fc[j] - all[(size_t)m * 14 + j]) < 1e-9);
    }
    bl_arena_release(&a);
}

/* The shop: 12 SKUs selling on weekdays, half on Sundays, never on Saturdays; on one
 * Wednesday nobody sells (a closure). The pooled profile has Saturday 0, Sunday half a
 * weekday; the Wednesday is closed; a Saturday is not (the shop never sells then). A
 * shop of one SKU has no closed days: its silence is its own. */
static void test_shop(void **state)
{
    (void)state;
    enum { NS = 12 };
    static double u[NS][N];
    struct bl_fc_series s[NS];
    size_t wed = 0;
    for (size_t t = 0; t < N; t++)
        if (bl_weekday(DAY0 + (int64_t)t) == 2 && t > 60 && !wed)
            wed = t;
    for (size_t k = 0; k < NS; k++) {
        for (size_t t = 0; t < N; t++) {
            int wd = bl_weekday(DAY0 + (int64_t)t);
            u[k][t] = wd == 5 || t == wed ? 0 : (double)(k + 1) * (wd == 6 ? 0.5 : 1.0);
        }
        s[k] = series(u[k], NULL, N);
    }
    bool closed[N];
    double scratch[N + 1];
    struct bl_fc_shop shop;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_fc_shop_learn(s, NS, DAY0, N, closed, scratch, &shop, &d), &d);
    assert_true(shop.weekday[5] < 1e-9);
    assert_true(fabs(shop.weekday[6] / shop.weekday[0] - 0.5) < 1e-9);
    assert_true(fabs(shop.weekday[0] + shop.weekday[1] + shop.weekday[2] + shop.weekday[3] +
                     shop.weekday[4] + shop.weekday[5] + shop.weekday[6] - 7) < 1e-9);
    size_t nclosed = 0;
    for (size_t t = 0; t < N; t++)
        nclosed += closed[t];
    assert_int_equal(nclosed, 1);
    assert_true(closed[wed]);

    /* The profile model on SKU 3 with the shop: the closure does not pull the level
     * down, Saturdays are forecast 0 and Sundays half a weekday. */
    struct bl_fc_opts o;
    bl_fc_opts_init(&o);
    o.model = BL_FC_PROFILE;
    o.horizon = 7;
    o.shop = &shop;
    struct bl_arena a = BL_ARENA_INIT;
    struct bl_fc_result r;
    BL_ASSERT_OK(bl_fc_forecast(&s[3], &o, &a, &r, &d), &d);
    assert_int_equal(r.model, BL_FC_PROFILE);
    for (size_t j = 0; j < 7; j++) {
        int wd = bl_weekday(r.first_day + (int64_t)j);
        double want = wd == 5 ? 0 : wd == 6 ? 2 : 4;
        assert_true(fabs(r.point[j] - want) < 0.05);
    }
    bl_arena_release(&a);

    BL_ASSERT_OK(bl_fc_shop_learn(s, 1, DAY0, N, closed, scratch, &shop, &d), &d);
    for (size_t t = 0; t < N; t++)
        assert_false(closed[t]);
    assert_int_equal(bl_fc_shop_learn(s, NS, DAY0, BL_FC_MAX_DAYS + 1, closed, scratch, &shop,
                                      &d),
                     BL_EINVAL);
}

/* The shop's pooled errors: 30 SKUs of noisy steady demand on the shop's weekdays, two
 * too short for a rolling origin and one constant (not scored). Over the shop the best
 * candidate is the weekday profile at one of its constants; auto then forecasts every
 * SKU with the profile, and its forecast is auto's own in bl_fc_point_all. */
static void test_shop_pool(void **state)
{
    (void)state;
    enum { NS = 33 };
    static double u[NS][N];
    struct bl_fc_series s[NS];
    uint64_t x = 42;
    for (size_t k = 0; k < NS; k++) {
        for (size_t t = 0; t < N; t++) {
            x = x * 6364136223846793005u + 1442695040888963407u;
            double noise = (double)(x >> 40) / (double)(1u << 24); /* 0..1 */
            int wd = bl_weekday(DAY0 + (int64_t)t);
            u[k][t] = k == NS - 1 ? 3 : wd == 5 ? 0 : floor((double)(k % 5 + 2) * 2 * noise);
        }
        s[k] = series(u[k], NULL, k == 0 || k == 1 ? 20 : N);
    }
    bool closed[N];
    double scratch[N + 1];
    struct bl_fc_shop shop;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_fc_shop_learn(s, NS, DAY0, N, closed, scratch, &shop, &d), &d);
    assert_int_equal(shop.pooled_skus, 0);
    struct bl_fc_opts o;
    bl_fc_opts_init(&o);
    o.horizon = 14;
    BL_ASSERT_OK(bl_fc_shop_pool(s, NS, &o, &shop, &d), &d);
    assert_int_equal(shop.pooled_skus, NS - 3);
    size_t best = 1;
    for (size_t c = 1; c < BL_FC_NCAND; c++)
        if (shop.pooled[c] < shop.pooled[best])
            best = c;
    assert_true(best >= BL_FC_NMODELS); /* the profile at one of its constants */
    struct bl_fc_shop again = shop;
    BL_ASSERT_OK(bl_fc_shop_pool(s, NS, &o, &again, &d), &d);
    assert_memory_equal(again.pooled, shop.pooled, sizeof(shop.pooled));

    o.shop = &shop;
    struct bl_arena a = BL_ARENA_INIT;
    double fc[BL_FC_NMODELS * 14];
    for (size_t k = 2; k < NS - 1; k++) {
        enum bl_fc_model pick;
        BL_ASSERT_OK(bl_fc_point_all(&s[k], &o, &a, fc, 14, &pick, &d), &d);
        assert_int_equal(pick, BL_FC_PROFILE);
        struct bl_fc_result r;
        BL_ASSERT_OK(bl_fc_forecast(&s[k], &o, &a, &r, &d), &d);
        assert_int_equal(r.model, BL_FC_PROFILE);
        for (size_t j = 0; j < 14; j++)
            assert_true(fabs(r.point[j] - fc[j]) < 1e-9); /* auto's own forecast */
    }
    bl_arena_release(&a);
    o.horizon = 0;
    assert_int_equal(bl_fc_shop_pool(s, NS, &o, &shop, &d), BL_EINVAL);
}

/* Lead-time quantiles from the shop's errors at the origins: 300 SKUs of independent
 * noisy demand (no shock common to the shop), 28 more days of the same process held
 * out. The 14-day totals fall below the p50, p90 and p95 about as often as they should,
 * and the quantiles are ordered. */
static void test_lead_time_quantiles(void **state)
{
    (void)state;
    enum { NS = 300, H = 28 };
    static double u[NS][N + H];
    static struct bl_fc_series s[NS];
    uint64_t x = 7;
    for (size_t k = 0; k < NS; k++) {
        double level = 1 + (double)(k % 9);
        for (size_t t = 0; t < N + H; t++) {
            x = x * 6364136223846793005u + 1442695040888963407u;
            double v = (double)(x >> 11) * 0x1p-53; /* 0..1: a skewed day */
            u[k][t] = bl_weekday(DAY0 + (int64_t)t) == 5 ? 0 : floor(level * 3 * v * v);
        }
        s[k] = series(u[k], NULL, N);
    }
    bool closed[N];
    double scratch[N + 1];
    struct bl_fc_shop shop;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_fc_shop_learn(s, NS, DAY0, N, closed, scratch, &shop, &d), &d);
    struct bl_fc_opts o;
    bl_fc_opts_init(&o);
    o.horizon = H;
    o.lead_time = 14;
    o.nsims = 200;
    BL_ASSERT_OK(bl_fc_shop_pool(s, NS, &o, &shop, &d), &d);
    assert_true(shop.lt_samples > 1000);
    assert_true(shop.lt_z[0][13] < shop.lt_z[1][13] && shop.lt_z[1][13] < shop.lt_z[2][13]);
    o.shop = &shop;
    size_t hit[3] = {0, 0, 0};
    for (size_t k = 0; k < NS; k++) {
        struct bl_arena a = BL_ARENA_INIT;
        struct bl_fc_result r;
        BL_ASSERT_OK(bl_fc_forecast(&s[k], &o, &a, &r, &d), &d);
        assert_true(r.lt_p50 <= r.lt_p90 && r.lt_p90 <= r.lt_p95);
        double actual = 0;
        for (size_t j = 0; j < 14; j++)
            actual += u[k][N + j];
        hit[0] += actual <= r.lt_p50;
        hit[1] += actual <= r.lt_p90;
        hit[2] += actual <= r.lt_p95;
        bl_arena_release(&a);
    }
    /* 300 independent SKUs: the binomial's standard error is 2.9, 1.7, 1.3 points */
    assert_in_range(hit[0], NS * 40 / 100, NS * 60 / 100);
    assert_in_range(hit[1], NS * 84 / 100, NS * 96 / 100);
    assert_in_range(hit[2], NS * 90 / 100, NS * 99 / 100);
}

/* The profile model's level is robust: one bulk order of 100 times the usual day moves
 * the forecast by a few percent, not by the order spread over the smoothing window. */
/* Fills u[NS][n] with skewed daily demand around level(k) times the shop's trend(t), zero
 * on the shop's closed weekday. */
static void shop_demand(size_t ns, size_t n, double *u, int closed_wd, double growth)
{
    uint64_t x = 11;
    for (size_t k = 0; k < ns; k++)
        for (size_t t = 0; t < n; t++) {
            x = x * 6364136223846793005u + 1442695040888963407u;
            double v = (double)(x >> 11) * 0x1p-53;
            double trend = t < 60 ? 1 : exp(growth * (double)(t - 60));
            u[k * n + t] = bl_weekday(DAY0 + (int64_t)t) == closed_wd
                               ? 0
                               : floor((1 + (double)(k % 9)) * trend * 3 * v * v);
        }
}

/* Coverage counts of the lead-time p50/p90/p95 of SKUs [from, to) of s (o's shop) over
 * the first lt days after each SKU's history, added to hit[3]. */
static void lt_hits(const struct bl_fc_series *s, const double *u, size_t stride, size_t from,
                    size_t to, const struct bl_fc_opts *o, size_t *hit)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    for (size_t k = from; k < to; k++) {
        struct bl_arena a = BL_ARENA_INIT;
        struct bl_fc_result r;
        BL_ASSERT_OK(bl_fc_forecast(&s[k], o, &a, &r, &d), &d);
        assert_true(r.lt_p50 <= r.lt_p90 && r.lt_p90 <= r.lt_p95);
        double actual = 0;
        for (size_t j = 0; j < o->lead_time; j++)
            actual += u[k * stride + s[k].n + j];
        hit[0] += actual <= r.lt_p50;
        hit[1] += actual <= r.lt_p90;
        hit[2] += actual <= r.lt_p95;
        bl_arena_release(&a);
    }
}

/* A shock all the shop's SKUs share (demand rising 0.5% a day for the last 80 days and
 * on): every SKU's own errors are late, the shop's common factor at the recent origins
 * is not. And the day after every origin is one the shop is closed: the lead-time shape
 * is still learnt (it was not, when it was counted on the first day only). */
static void test_lead_time_shared_shock(void **state)
{
    (void)state;
    enum { NS = 300, H = 28, LEN = N + H };
    static double u[NS * LEN];
    static struct bl_fc_series s[NS];
    int closed_wd = bl_weekday(DAY0 + N - H);
    shop_demand(NS, LEN, u, closed_wd, 0.005);
    for (size_t k = 0; k < NS; k++)
        s[k] = series(u + k * LEN, NULL, N);
    bool closed[N];
    double scratch[N + 1];
    struct bl_fc_shop shop;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_fc_shop_learn(s, NS, DAY0, N, closed, scratch, &shop, &d), &d);
    struct bl_fc_opts o;
    bl_fc_opts_init(&o);
    o.horizon = H;
    o.lead_time = 14;
    o.nsims = 200;
    BL_ASSERT_OK(bl_fc_shop_pool(s, NS, &o, &shop, &d), &d);
    assert_true(shop.lt_samples > 1000);
    assert_true(shop.lt_factor[13] > 1.1); /* the shop's demand outruns its forecasts */
    o.shop = &shop;
    size_t hit[3] = {0, 0, 0};
    lt_hits(s, u, LEN, 0, NS, &o, hit);
    /* One draw of the shop's future, not 300: the SKUs share the shock. Without the factor
     * (or with the bootstrap's quantiles) 29-32%, 70-73%, 80-82%. */
    assert_in_range(hit[0], NS * 40 / 100, NS * 65 / 100);
    assert_in_range(hit[1], NS * 80 / 100, NS * 97 / 100);
    assert_in_range(hit[2], NS * 86 / 100, NS * 99 / 100);
}

/* SKUs too short for two rolling origins take the shop's pooled spread of lead-time
 * totals (their own bootstrap of one-step errors under-covers). */
static void test_lead_time_short_history(void **state)
{
    (void)state;
    enum { NS = 400, H = 28, LEN = N + H, SHORT = 45 };
    static double u[NS * LEN];
    static struct bl_fc_series s[NS];
    shop_demand(NS, LEN, u, 5, 0);
    for (size_t k = 0; k < NS; k++) /* the second half starts selling SHORT days before */
        s[k] = k < NS / 2 ? series(u + k * LEN, NULL, N)
                          : (struct bl_fc_series){u + k * LEN + N - SHORT, NULL, SHORT,
                                                  DAY0 + N - SHORT, BL_STR("")};
    bool closed[N];
    double scratch[N + 1];
    struct bl_fc_shop shop;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_fc_shop_learn(s, NS, DAY0, N, closed, scratch, &shop, &d), &d);
    struct bl_fc_opts o;
    bl_fc_opts_init(&o);
    o.horizon = H;
    o.lead_time = 14;
    BL_ASSERT_OK(bl_fc_shop_pool(s, NS, &o, &shop, &d), &d);
    assert_true(shop.lt_short_samples > 1000 && shop.lt_short[2][13] > shop.lt_short[1][13]);
    o.shop = &shop;
    size_t hit[3] = {0, 0, 0};
    lt_hits(s, u + (N - SHORT), LEN, NS / 2, NS, &o, hit);
    /* 200 SKUs; their bootstrap quantiles covered 48%, 83.5%, 87.5% */
    assert_in_range(hit[0], NS / 2 * 40 / 100, NS / 2 * 60 / 100);
    assert_in_range(hit[1], NS / 2 * 86 / 100, NS / 2 * 96 / 100);
    assert_in_range(hit[2], NS / 2 * 90 / 100, NS / 2 * 99 / 100);
}

static void test_profile_robust(void **state)
{
    (void)state;
    double u[N];
    for (size_t i = 0; i < N; i++)
        u[i] = i == N - 10 ? 1000 : 10;
    struct bl_fc_series s = series(u, NULL, N);
    struct bl_arena a = BL_ARENA_INIT;
    struct bl_fc_result r;
    forecast(&s, BL_FC_PROFILE, 7, &a, &r);
    for (size_t j = 0; j < 7; j++)
        assert_true(r.point[j] > 9.5 && r.point[j] < 12);
    forecast(&s, BL_FC_SES, 7, &a, &r);
    assert_true(r.point[0] > 12); /* plain smoothing carries the order */
    bl_arena_release(&a);
}

/* Every allocation failure gives BL_ENOMEM with a message, never a crash or a leak. */
static void test_out_of_memory(void **state)
{
    (void)state;
    double u[N];
    for (size_t i = 0; i < N; i++)
        u[i] = (double)(i % 3);
    struct bl_fc_event ev[] = {{DAY0 + 30, BL_STR("x"), BL_STR("")},
                               {DAY0 + N + 2, BL_STR("x"), BL_STR("")}};
    struct bl_fc_series s = series(u, NULL, N);
    struct bl_fc_opts o;
    bl_fc_opts_init(&o);
    o.events = ev;
    o.nevents = 2;
    o.nsims = 20;
    for (long n = 0;; n++) {
        struct bl_arena a;
        bl_arena_init(&a, 256); /* small blocks: many allocations */
        struct bl_fc_result r;
        struct bl_diag d;
        bl_diag_clear(&d);
        bl_alloc_fail_after(n);
        int rc = bl_fc_forecast(&s, &o, &a, &r, &d);
        bl_alloc_fail_after(-1);
        bl_arena_release(&a);
        if (rc == BL_OK)
            break;
        assert_int_equal(rc, BL_ENOMEM);
        assert_int_equal(d.code, BL_ENOMEM);
        assert_true(n < 100000);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_constant),
        cmocka_unit_test(test_weekly_pattern),
        cmocka_unit_test(test_intermittent),
        cmocka_unit_test(test_censored),
        cmocka_unit_test(test_leading_zeros),
        cmocka_unit_test(test_event_uplift),
        cmocka_unit_test(test_event_uplift_shared),
        cmocka_unit_test(test_event_region),
        cmocka_unit_test(test_quantiles),
        cmocka_unit_test(test_accuracy),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_point_matches_forecast),
        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_point_all),
        cmocka_unit_test(test_shop),
        cmocka_unit_test(test_profile_robust),
        cmocka_unit_test(test_shop_pool),
        cmocka_unit_test(test_lead_time_quantiles),
        cmocka_unit_test(test_lead_time_shared_shock),
        cmocka_unit_test(test_lead_time_short_history),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
