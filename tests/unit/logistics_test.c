/* logistics_test.c - the pure logistics engine: lanes, bands, prices, calendars,
 * disruptions, tiers, policies and the cannot-meet flag. */
#include <string.h>

#include "testutil.h"
#include "ballast/alloc.h"
#include "ballast/disruption.h"
#include "ballast/logistics.h"

static uint64_t rnd_state = 88172645463325252u;

static uint64_t rnd(void) /* xorshift64 */
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return rnd_state;
}

static int64_t day(const char *s)
{
    int64_t d;
    struct bl_diag diag;
    if (bl_date_parse(bl_str_c(s), &d, &diag))
        fail_msg("bad date %s", s);
    return d;
}

static int64_t at(const char *s)
{
    int64_t t;
    struct bl_diag diag;
    if (bl_time_parse(bl_str_c(s), NULL, &t, &diag))
        fail_msg("bad instant %s: %s", s, diag.msg);
    return t;
}

/* A small world: CN calendar with the 2024 Spring Festival closure. */
static const struct bl_lg_closure cn_closures[] = {{19763, 19770}}; /* 2024-02-10..17 */
static const struct bl_lg_calendar cals[] = {{"CN", BL_LG_SAT_SUN, cn_closures, 1}};

static const struct bl_lg_rate post_rates[] = {
    {"CN", "US", 0, 2000, 500, 100},
    {"CN", "US-CA", 0, 2000, 450, 100}, /* more specific lane wins */
};
static const struct bl_lg_rate line_rates[] = {
    {"CN", "US", 2000, 20000, 2000, 300},
    {"CN", "US", 0, 2000, 900, 0},
};
static const struct bl_lg_rate exp_rates[] = {{"CN", "US", 0, 30000, 3000, 500}};
static const struct bl_lg_rate backup_rates[] = {{"CN-GD", "US", 0, 30000, 1500, 0}};
static const struct bl_lg_rate br_rates[] = {{"CN", "BR-SP", 0, 2000, 700, 0}};

static struct bl_tz *shanghai;

static struct bl_lg_channel chans[] = {
    {"post", "China Post", "postal", BL_LG_CORE, 7, 15, 16 * 60, NULL, "CN", 0, "USD", post_rates,
     2},
    {"line", "Yanwen", "dedicated", BL_LG_CORE, 10, 18, -1, NULL, "CN", 6000, "USD", line_rates, 2},
    {"exp", "DHL", "express", BL_LG_CORE, 3, 5, -1, NULL, NULL, 5000, "USD", exp_rates, 1},
    {"bak", "4PX", "dedicated", BL_LG_BACKUP, 5, 8, -1, NULL, "CN", 0, "USD", backup_rates, 1},
    {"br", "Correios", "postal", BL_LG_CORE, 10, 20, -1, NULL, NULL, 0, "USD", br_rates, 1},
};

static struct bl_lg *build(const struct bl_lg_disruption *dis, size_t ndis)
{
    for (size_t i = 0; i < 5; i++)
        chans[i].tz = shanghai;
    struct bl_lg_input in = {chans, 5, cals, 1, dis, ndis};
    struct bl_lg *lg;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_lg_compile(&in, &lg, &d), &d);
    return lg;
}

static struct bl_lg_shipment ship(const struct bl_lg *lg, const char *from, const char *to,
                                  int64_t g, const char *when)
{
    struct bl_lg_shipment s = {bl_lg_locate(lg, bl_str_c(from)),
                               bl_lg_locate(lg, bl_str_c(to)),
                               g,
                               {0, 0, 0},
                               at(when),
                               BL_LG_NO_PROMISE,
                               NULL};
    return s;
}

static int find(const struct bl_lg *lg, const struct bl_lg_option *o, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(bl_lg_channel(lg, (size_t)o[i].channel)->id, id) == 0)
            return (int)i;
    return -1;
}

static size_t quote(const struct bl_lg *lg, const struct bl_lg_shipment *s, struct bl_lg_option *o)
{
    size_t n;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_lg_quote(lg, s, o, 8, &n, &d), &d);
    return n;
}

static int setup(void **state)
{
    (void)state;
    struct bl_diag d;
    return bl_tz_load(&shanghai, "Asia/Shanghai", &d) ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    bl_tz_free(shanghai);
    return 0;
}

static void test_lanes_by_region_prefix(void **state)
{
    (void)state;
    struct bl_lg *lg = build(NULL, 0);
    struct bl_lg_option o[8];
    /* a postal code inside a province inside CN reaches a subdivision of US */
    struct bl_lg_shipment s = ship(lg, "CN-GD:518", "US-CA:9001", 500, "2024-03-04T01:00:00Z");
    size_t n = quote(lg, &s, o);
    assert_int_equal(n, 4); /* post, line, exp, bak */
    int p = find(lg, o, n, "post");
    assert_true(p >= 0);
    assert_int_equal(o[p].price, 450 + 100); /* the US-CA lane, not the US one */
    s = ship(lg, "CN-ZJ", "US-NY", 500, "2024-03-04T01:00:00Z");
    n = quote(lg, &s, o);
    assert_int_equal(n, 3); /* the backup lane only starts in CN-GD */
    assert_int_equal(o[find(lg, o, n, "post")].price, 500 + 100);
    assert_int_equal(find(lg, o, n, "bak"), -1);
    /* a lane to BR-SP does not serve BR-RJ; an unknown country has nothing */
    s = ship(lg, "CN", "BR-RJ", 500, "2024-03-04T01:00:00Z");
    assert_int_equal(quote(lg, &s, o), 0);
    s = ship(lg, "CN", "BR-SP:013", 500, "2024-03-04T01:00:00Z");
    assert_int_equal(quote(lg, &s, o), 1);
    s = ship(lg, "DE", "US", 500, "2024-03-04T01:00:00Z");
    assert_int_equal(quote(lg, &s, o), 0);
    assert_int_equal(bl_lg_nlanes(lg, 0), 2);
    bl_lg_free(lg);
}

static void test_weight_bands_and_volumetric(void **state)
{
    (void)state;
    struct bl_lg *lg = build(NULL, 0);
    struct bl_lg_option o[8];
    struct bl_lg_shipment s = ship(lg, "CN-ZJ", "US", 1999, "2024-03-04T01:00:00Z");
    size_t n = quote(lg, &s, o);
    int l = find(lg, o, n, "line");
    assert_int_equal(o[l].price, 900); /* small band */
    s.weight_g = 2000;                 /* min_g <= w < max_g: the next band */
    n = quote(lg, &s, o);
    assert_int_equal(find(lg, o, n, "post"), -1);
    l = find(lg, o, n, "line");
    assert_int_equal(o[l].price, 2000);
    /* volumetric: 400 x 300 x 200 mm = 24,000 cm3 / 6000 = 4 kg chargeable on "line" */
    s.weight_g = 1500;
    s.dims_mm[0] = 400;
    s.dims_mm[1] = 300;
    s.dims_mm[2] = 200;
    n = quote(lg, &s, o);
    l = find(lg, o, n, "line");
    assert_int_equal(o[l].weight_g, 4000);
    assert_int_equal(o[l].price, 2000 + 2 * 300);
    int e = find(lg, o, n, "exp"); /* divisor 5000: 4800 g */
    assert_int_equal(o[e].weight_g, 4800);
    int p = find(lg, o, n, "post"); /* no divisor: actual weight */
    assert_int_equal(o[p].weight_g, 1500);
    /* small box: actual weight is larger */
    s.dims_mm[0] = s.dims_mm[1] = s.dims_mm[2] = 100;
    n = quote(lg, &s, o);
    assert_int_equal(o[find(lg, o, n, "line")].weight_g, 1500);
    bl_lg_free(lg);
}

static void test_price_arithmetic(void **state)
{
    (void)state;
    struct bl_lg *lg = build(NULL, 0);
    struct bl_lg_option o[8];
    struct bl_lg_shipment s = ship(lg, "CN-ZJ", "US", 2001, "2024-03-04T01:00:00Z");
    size_t n = quote(lg, &s, o);
    assert_int_equal(o[find(lg, o, n, "line")].price, 2000 + 300); /* a started kg */
    s.weight_g = 3000;
    n = quote(lg, &s, o);
    assert_int_equal(o[find(lg, o, n, "line")].price, 2000 + 300);
    s.weight_g = 3001;
    n = quote(lg, &s, o);
    assert_int_equal(o[find(lg, o, n, "line")].price, 2000 + 600);
    s.weight_g = 0;
    n = quote(lg, &s, o);
    assert_int_equal(o[find(lg, o, n, "exp")].price, 3000);
    bl_lg_free(lg);

    /* overflow is an error, never a wrapped price */
    struct bl_lg_rate big = {"CN", "US", 0, INT64_MAX, 1, INT64_MAX / 2};
    struct bl_lg_channel c = {"big", "X",  "sea", BL_LG_CORE, 1,    2, -1,
                              NULL,  NULL, 0,     "USD",      &big, 1};
    struct bl_lg_input in = {&c, 1, NULL, 0, NULL, 0};
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_lg_compile(&in, &lg, &d), &d);
    s = ship(lg, "CN", "US", 5000, "2024-03-04T01:00:00Z");
    assert_int_equal(bl_lg_quote(lg, &s, o, 8, &n, &d), BL_EOVERFLOW);
    struct bl_lg_route r;
    assert_int_equal(bl_lg_route(lg, NULL, &s, 1, &r, &d), BL_EOVERFLOW);
    s.weight_g = -1;
    assert_int_equal(bl_lg_quote(lg, &s, o, 8, &n, &d), BL_EINVAL);
    assert_non_null(strstr(d.msg, "negative weight"));
    s.weight_g = 1;
    s.dims_mm[1] = -5;
    assert_int_equal(bl_lg_quote(lg, &s, o, 8, &n, &d), BL_EINVAL);
    bl_lg_free(lg);
}

static void test_cutoff_and_business_days(void **state)
{
    (void)state;
    struct bl_lg *lg = build(NULL, 0);
    struct bl_lg_option o[8];
    /* Thursday 2024-02-08 15:00 in Shanghai, before the 16:00 cut-off: leaves that
     * day; 7 business days skip the Spring Festival closure (Feb 10-17) and weekends */
    struct bl_lg_shipment s = ship(lg, "CN-ZJ", "US", 500, "2024-02-08T15:00:00+08:00");
    size_t n = quote(lg, &s, o);
    int p = find(lg, o, n, "post");
    assert_int_equal(o[p].depart_day, day("2024-02-08"));
    /* Feb 9 (1), 19 (2), 20, 21, 22, 23 (6), 26 (7) */
    assert_int_equal(o[p].earliest_day, day("2024-02-26"));
    /* after the cut-off: leaves Friday the 9th, one business day later */
    s = ship(lg, "CN-ZJ", "US", 500, "2024-02-08T16:00:00+08:00");
    n = quote(lg, &s, o);
    p = find(lg, o, n, "post");
    assert_int_equal(o[p].depart_day, day("2024-02-09"));
    assert_int_equal(o[p].earliest_day, day("2024-02-27"));
    /* Friday after the cut-off: the closure starts Saturday, so it leaves on the 19th */
    s = ship(lg, "CN-ZJ", "US", 500, "2024-02-09T17:00:00+08:00");
    n = quote(lg, &s, o);
    p = find(lg, o, n, "post");
    assert_int_equal(o[p].depart_day, day("2024-02-19"));
    /* the cut-off is local: 07:30Z is 15:30 in Shanghai (before), 08:30Z after */
    s = ship(lg, "CN-ZJ", "US", 500, "2024-03-05T07:30:00Z");
    n = quote(lg, &s, o);
    assert_int_equal(o[find(lg, o, n, "post")].depart_day, day("2024-03-05"));
    s = ship(lg, "CN-ZJ", "US", 500, "2024-03-05T08:30:00Z");
    n = quote(lg, &s, o);
    assert_int_equal(o[find(lg, o, n, "post")].depart_day, day("2024-03-06"));
    /* the express channel has no calendar: weekends only, so it works Feb 12-16 */
    s = ship(lg, "CN-ZJ", "US", 500, "2024-02-09T10:00:00+08:00");
    n = quote(lg, &s, o);
    int e = find(lg, o, n, "exp");
    assert_int_equal(o[e].depart_day, day("2024-02-09"));
    assert_int_equal(o[e].earliest_day, day("2024-02-14"));
    assert_int_equal(o[e].latest_day, day("2024-02-16"));
    assert_false(bl_lg_business_day(lg, 0, day("2024-02-12")));
    assert_true(bl_lg_business_day(lg, 2, day("2024-02-12")));
    assert_false(bl_lg_business_day(lg, 2, day("2024-02-10")));
    /* far outside the rank tables: the slow path agrees on weekends */
    s = ship(lg, "CN-ZJ", "US", 500, "2150-01-02T00:00:00Z"); /* a Friday */
    n = quote(lg, &s, o);
    e = find(lg, o, n, "exp");
    assert_int_equal(o[e].depart_day, day("2150-01-02"));
    assert_int_equal(o[e].earliest_day, day("2150-01-07"));
    bl_lg_free(lg);
}

static void test_disruptions(void **state)
{
    (void)state;
    const struct bl_lg_disruption dis[] = {
        {"gd", "lockdown", "CN-GD", BL_LG_ORIGIN, NULL, NULL, at("2024-03-01T00:00:00Z"),
         at("2024-04-01T00:00:00Z")},
        {"dhl", "carrier_suspension", "CN", BL_LG_BOTH, "exp", NULL, at("2024-03-01T00:00:00Z"),
         at("2024-04-01T00:00:00Z")},
        {"sup", "supplier_shutdown", "CN", BL_LG_BOTH, NULL, "acme", at("2024-03-01T00:00:00Z"),
         at("2024-04-01T00:00:00Z")},
        {"ca", "weather", "US-CA", BL_LG_DESTINATION, NULL, NULL, at("2024-05-01T00:00:00Z"),
         at("2024-05-02T00:00:00Z")},
        {"gd2", "strike", "CN-GD", BL_LG_DESTINATION, NULL, NULL, at("2024-03-01T00:00:00Z"),
         at("2024-04-01T00:00:00Z")},
    };
    struct bl_lg *lg = build(dis, 5);
    struct bl_lg_option o[8];
    /* from CN-GD in March: everything leaving CN-GD is suspended by "gd" */
    struct bl_lg_shipment s = ship(lg, "CN-GD:518", "US", 500, "2024-03-10T00:00:00Z");
    size_t n = quote(lg, &s, o);
    assert_int_equal(n, 4);
    for (size_t i = 0; i < n; i++)
        assert_true(o[i].disruption >= 0);
    /* from CN-ZJ: only the channel-scoped DHL suspension applies; the supplier-only
     * one and the CN-GD destination-scoped strike do not */
    s = ship(lg, "CN-ZJ", "US", 500, "2024-03-10T00:00:00Z");
    n = quote(lg, &s, o);
    assert_int_equal(n, 3);
    int e = find(lg, o, n, "exp");
    assert_int_equal(e, 2); /* unavailable options come last */
    assert_string_equal(bl_lg_disruption(lg, (size_t)o[e].disruption)->id, "dhl");
    assert_int_equal(o[find(lg, o, n, "post")].disruption, -1);
    /* after the window, nothing is suspended; "ca" only in its window and only for
     * destinations inside US-CA */
    s = ship(lg, "CN-ZJ", "US-CA", 500, "2024-05-01T12:00:00Z");
    n = quote(lg, &s, o);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(bl_lg_disruption(lg, (size_t)o[i].disruption)->id, "ca");
    s = ship(lg, "CN-ZJ", "US-NY", 500, "2024-05-01T12:00:00Z");
    n = quote(lg, &s, o);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(o[i].disruption, -1);
    /* route: suspended everywhere -> SUSPENDED naming a disruption */
    struct bl_lg_route r;
    struct bl_diag d;
    bl_diag_clear(&d);
    s = ship(lg, "CN-GD", "US", 500, "2024-03-10T00:00:00Z");
    BL_ASSERT_OK(bl_lg_route(lg, NULL, &s, 1, &r, &d), &d);
    assert_int_equal(r.state, BL_LG_SUSPENDED);
    assert_int_equal(r.channel, -1);
    assert_int_equal(r.candidates, 4);
    assert_string_equal(bl_lg_disruption(lg, (size_t)r.disruption)->id, "gd");
    assert_int_equal(bl_lg_route_why(lg, NULL, &r), BL_LG_WHY_SUSPENDED);
    struct bl_buf b = BL_BUF_INIT;
    BL_ASSERT_OK(bl_lg_explain(lg, NULL, &s, &b, &d), &d);
    assert_non_null(strstr(bl_buf_cstr(&b), "SUSPENDED by disruption gd (lockdown, CN-GD origin)"));
    assert_non_null(strstr(bl_buf_cstr(&b), "every serving channel is suspended"));
    bl_buf_release(&b);
    bl_lg_free(lg);
}

/* Held orders: the first channel and window after the disruptions' expected end. */
static void test_route_resume(void **state)
{
    (void)state;
    const struct bl_lg_disruption dis[] = {
        {"gd", "lockdown", "CN-GD", BL_LG_ORIGIN, NULL, NULL, at("2024-03-01T00:00:00Z"),
         at("2024-04-01T00:00:00Z")},
        /* overlaps gd's end: a second wait */
        {"gd2", "strike", "CN-GD:518", BL_LG_ORIGIN, NULL, NULL, at("2024-03-20T00:00:00Z"),
         at("2024-04-10T06:00:00Z")},
        {"sh", "lockdown", "CN-SH", BL_LG_ORIGIN, NULL, NULL, at("2024-03-01T00:00:00Z"),
         BL_DIS_OPEN_END},
        {"fj", "weather", "CN-FJ", BL_LG_ORIGIN, NULL, NULL, at("2024-03-01T00:00:00Z"),
         at("2026-01-01T00:00:00Z")},
    };
    struct bl_lg *lg = build(dis, 4);
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_lg_resume a;
    struct bl_lg_route r;

    /* not held: the same route, no wait */
    struct bl_lg_shipment s = ship(lg, "CN-ZJ", "US", 500, "2024-03-10T00:00:00Z");
    BL_ASSERT_OK(bl_lg_route_resume(lg, NULL, &s, &a, &d), &d);
    BL_ASSERT_OK(bl_lg_route(lg, NULL, &s, 1, &r, &d), &d);
    assert_int_equal(a.route.state, BL_LG_ROUTED);
    assert_int_equal(a.route.channel, r.channel);
    assert_int_equal(a.waits, 0);
    assert_int_equal(a.resume_at, s.ship_at);
    assert_int_equal(a.waited_for, -1);

    /* held by gd until 04-01, then by gd2 (Shenzhen) until 04-10T06:00Z: two waits,
     * and the window is the one of a hand-over at that instant */
    s = ship(lg, "CN-GD:518000", "US", 500, "2024-03-10T00:00:00Z");
    BL_ASSERT_OK(bl_lg_route(lg, NULL, &s, 1, &r, &d), &d);
    assert_int_equal(r.state, BL_LG_SUSPENDED); /* what route gives today */
    BL_ASSERT_OK(bl_lg_route_resume(lg, NULL, &s, &a, &d), &d);
    assert_int_equal(a.route.state, BL_LG_ROUTED);
    assert_int_equal(a.waits, 2);
    assert_int_equal(a.resume_at, at("2024-04-10T06:00:00Z"));
    assert_string_equal(bl_lg_disruption(lg, (size_t)a.waited_for)->id, "gd2");
    assert_false(a.open_ended);
    struct bl_lg_shipment later = s;
    later.ship_at = at("2024-04-10T06:00:00Z");
    BL_ASSERT_OK(bl_lg_route(lg, NULL, &later, 1, &r, &d), &d);
    assert_int_equal(a.route.channel, r.channel);
    assert_int_equal(a.route.earliest_day, r.earliest_day);
    assert_int_equal(a.route.latest_day, r.latest_day);
    assert_true(a.route.earliest_day > day("2024-04-10"));
    /* Guangzhou: only gd holds it, one wait until 04-01 */
    s = ship(lg, "CN-GD:510", "US", 500, "2024-03-10T00:00:00Z");
    BL_ASSERT_OK(bl_lg_route_resume(lg, NULL, &s, &a, &d), &d);
    assert_int_equal(a.waits, 1);
    assert_int_equal(a.resume_at, at("2024-04-01T00:00:00Z"));
    /* a promise the wait makes impossible: the first channel after it, LATE */
    s.by_day = day("2024-03-20");
    BL_ASSERT_OK(bl_lg_route_resume(lg, NULL, &s, &a, &d), &d);
    assert_int_equal(a.route.state, BL_LG_LATE);
    assert_true(a.route.channel >= 0);

    /* until further notice: unknown, no window */
    s = ship(lg, "CN-SH", "US", 500, "2024-03-10T00:00:00Z");
    BL_ASSERT_OK(bl_lg_route_resume(lg, NULL, &s, &a, &d), &d);
    assert_int_equal(a.route.state, BL_LG_SUSPENDED);
    assert_true(a.open_ended);
    assert_int_equal(a.route.channel, -1);
    assert_string_equal(bl_lg_disruption(lg, (size_t)a.waited_for)->id, "sh");
    assert_int_equal(a.resume_at, s.ship_at);

    /* held for over a year: no window, and not called open-ended */
    s = ship(lg, "CN-FJ", "US", 500, "2024-03-10T00:00:00Z");
    BL_ASSERT_OK(bl_lg_route_resume(lg, NULL, &s, &a, &d), &d);
    assert_int_equal(a.route.state, BL_LG_SUSPENDED);
    assert_false(a.open_ended);
    assert_int_equal(a.waits, 0);
    bl_lg_free(lg);
}

static void test_failover_and_policies(void **state)
{
    (void)state;
    struct bl_lg_disruption dis[] = {
        {"core-down", "route_suspension", "US", BL_LG_DESTINATION, NULL, NULL, 0, 0},
    };
    struct bl_lg *lg = build(NULL, 0);
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_lg_route r;
    struct bl_lg_shipment s = ship(lg, "CN-GD", "US", 500, "2024-03-04T01:00:00Z");
    /* cheapest: post (600) */
    BL_ASSERT_OK(bl_lg_route(lg, NULL, &s, 1, &r, &d), &d);
    assert_int_equal(r.state, BL_LG_ROUTED);
    assert_string_equal(bl_lg_channel(lg, (size_t)r.channel)->id, "post");
    assert_int_equal(r.price, 600);
    assert_int_equal(r.candidates, 4);
    assert_int_equal(bl_lg_route_why(lg, NULL, &r), BL_LG_WHY_CHEAPEST);
    /* fastest among core: exp */
    struct bl_lg_policy fast = {BL_LG_FASTEST, NULL};
    BL_ASSERT_OK(bl_lg_route(lg, &fast, &s, 1, &r, &d), &d);
    assert_string_equal(bl_lg_channel(lg, (size_t)r.channel)->id, "exp");
    assert_int_equal(bl_lg_route_why(lg, &fast, &r), BL_LG_WHY_FASTEST);
    /* preferred carrier first, even at a higher price, even in the backup tier */
    struct bl_lg_policy pref = {BL_LG_PREFERRED, "Yanwen"};
    BL_ASSERT_OK(bl_lg_route(lg, &pref, &s, 1, &r, &d), &d);
    assert_string_equal(bl_lg_channel(lg, (size_t)r.channel)->id, "line");
    assert_int_equal(bl_lg_route_why(lg, &pref, &r), BL_LG_WHY_PREFERRED);
    pref.carrier = "4PX";
    BL_ASSERT_OK(bl_lg_route(lg, &pref, &s, 1, &r, &d), &d);
    assert_string_equal(bl_lg_channel(lg, (size_t)r.channel)->id, "bak");
    /* unknown preferred carrier: cheapest */
    pref.carrier = "Nobody";
    BL_ASSERT_OK(bl_lg_route(lg, &pref, &s, 1, &r, &d), &d);
    assert_string_equal(bl_lg_channel(lg, (size_t)r.channel)->id, "post");
    /* a promise only the express and the backup meet: cheapest meeting is core exp
     * (3000+500) over backup (1500) since core comes first */
    s.by_day = day("2024-03-14");
    BL_ASSERT_OK(bl_lg_route(lg, NULL, &s, 1, &r, &d), &d);
    assert_int_equal(r.state, BL_LG_ROUTED);
    assert_string_equal(bl_lg_channel(lg, (size_t)r.channel)->id, "exp");
    bl_lg_free(lg);

    /* core suspended on this lane by a channel-scoped disruption each: backup serves */
    struct bl_lg_disruption per[3];
    const char *core[] = {"post", "line", "exp"};
    for (int i = 0; i < 3; i++) {
        per[i] = dis[0];
        per[i].channel = core[i];
        per[i].starts_at = at("2024-03-01T00:00:00Z");
        per[i].ends_at = at("2024-04-01T00:00:00Z");
    }
    lg = build(per, 3);
    s = ship(lg, "CN-GD", "US", 500, "2024-03-04T01:00:00Z");
    s.by_day = day("2024-03-20");
    BL_ASSERT_OK(bl_lg_route(lg, NULL, &s, 1, &r, &d), &d);
    assert_int_equal(r.state, BL_LG_ROUTED);
    assert_string_equal(bl_lg_channel(lg, (size_t)r.channel)->id, "bak");
    assert_int_equal(bl_lg_route_why(lg, NULL, &r), BL_LG_WHY_BACKUP);
    struct bl_buf b = BL_BUF_INIT;
    BL_ASSERT_OK(bl_lg_explain(lg, NULL, &s, &b, &d), &d);
    assert_non_null(strstr(bl_buf_cstr(&b), "so the backup tier serves"));
    bl_buf_release(&b);
    bl_lg_free(lg);
}

static void test_cannot_meet(void **state)
{
    (void)state;
    struct bl_lg *lg = build(NULL, 0);
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_lg_route r;
    struct bl_lg_shipment s = ship(lg, "CN-ZJ", "US", 500, "2024-03-04T01:00:00Z");
    s.by_day = day("2024-03-06"); /* nobody is that fast */
    BL_ASSERT_OK(bl_lg_route(lg, NULL, &s, 1, &r, &d), &d);
    assert_int_equal(r.state, BL_LG_LATE);
    assert_string_equal(bl_lg_channel(lg, (size_t)r.channel)->id, "exp"); /* soonest */
    assert_int_equal(bl_lg_route_why(lg, NULL, &r), BL_LG_WHY_LATE);
    /* a late route still has a window: deliveries before, in and after it */
    int32_t bd = -1;
    int64_t h = at("2024-03-04T01:00:00Z");
    assert_int_equal(bl_lg_window_fit(lg, &r, h, h + 3600, &bd), BL_LG_FIT_EARLY);
    assert_int_equal(bd, 0);
    int64_t first = (r.earliest_day * BL_DAY_SECS) + 4 * 3600; /* noon in Shanghai */
    assert_int_equal(bl_lg_window_fit(lg, &r, h, first, &bd), BL_LG_FIT_INSIDE);
    assert_true(bd >= 3);
    int64_t after = (r.latest_day + 1) * BL_DAY_SECS + 4 * 3600;
    assert_int_equal(bl_lg_window_fit(lg, &r, h, after, &bd), BL_LG_FIT_LATE);
    struct bl_lg_route none = {-1, -1, 0, 0, 0, 0, BL_LG_NO_CHANNEL};
    assert_int_equal(bl_lg_window_fit(lg, &none, h, after, &bd), BL_LG_FIT_NO_CHANNEL);
    assert_int_equal(bd, 0);
    struct bl_buf b = BL_BUF_INIT;
    BL_ASSERT_OK(bl_lg_explain(lg, NULL, &s, &b, &d), &d);
    assert_non_null(strstr(bl_buf_cstr(&b), "CANNOT MEET THE PROMISE"));
    bl_buf_release(&b);
    /* nothing serves 40 kg to BR-SP */
    s = ship(lg, "CN", "BR-SP", 40000, "2024-03-04T01:00:00Z");
    BL_ASSERT_OK(bl_lg_route(lg, NULL, &s, 1, &r, &d), &d);
    assert_int_equal(r.state, BL_LG_NO_CHANNEL);
    assert_int_equal(r.candidates, 0);
    assert_int_equal(bl_lg_route_why(lg, NULL, &r), BL_LG_WHY_NO_CHANNEL);
    bl_lg_free(lg);
}

static void test_compile_errors(void **state)
{
    (void)state;
    struct bl_lg *lg;
    struct bl_diag d;
    struct bl_lg_rate bad = {"cn", "US", 0, 10, 1, 1};
    struct bl_lg_channel c = {"c1", "X",  "sea", BL_LG_CORE, 1,    2, -1,
                              NULL, NULL, 0,     "USD",      &bad, 1};
    struct bl_lg_input in = {&c, 1, NULL, 0, NULL, 0};
    bl_diag_clear(&d);
    assert_int_equal(bl_lg_compile(&in, &lg, &d), BL_EINVAL);
    assert_non_null(strstr(d.msg, "origin 'cn' is not a canonical region code"));
    bad.origin = "CN";
    bad.max_g = 0;
    bl_diag_clear(&d);
    assert_int_equal(bl_lg_compile(&in, &lg, &d), BL_EINVAL);
    bad.max_g = 10;
    c.calendar = "XX";
    bl_diag_clear(&d);
    assert_int_equal(bl_lg_compile(&in, &lg, &d), BL_EINVAL);
    assert_non_null(strstr(d.msg, "calendar 'XX'"));
    c.calendar = NULL;
    c.transit_max = 0;
    bl_diag_clear(&d);
    assert_int_equal(bl_lg_compile(&in, &lg, &d), BL_ERANGE);
    c.transit_max = 2;
    struct bl_lg_calendar all = {"ALL", 0x7f, NULL, 0};
    in.calendars = &all;
    in.ncalendars = 1;
    bl_diag_clear(&d);
    assert_int_equal(bl_lg_compile(&in, &lg, &d), BL_EINVAL);
    assert_null(lg);
    /* allocation failures are clean */
    in.ncalendars = 0;
    for (long k = 0; k < 40; k++) {
        bl_alloc_fail_after(k);
        int rc = bl_lg_compile(&in, &lg, NULL);
        bl_alloc_fail_after(-1);
        if (rc == BL_OK)
            bl_lg_free(lg);
        else
            assert_int_equal(rc, BL_ENOMEM);
    }
}

/* The lane index gives exactly what a scan of every rate gives. With random band
 * edges most cells keep the raw scan; with aligned edges (as real rate cards have)
 * most use weight intervals and the cheapest policy's early exit. */
static void fast_equals_naive(bool aligned)
{
    static const char *const regions[] = {"CN",    "CN-GD", "CN-ZJ", "CN-GD:518", "US", "US-CA",
                                          "US-NY", "BR",    "BR-SP", "BR-SP:013", "DE", "GB"};
    enum { NR = sizeof(regions) / sizeof(regions[0]), NCH = 60, NS = 3000 };
    static struct bl_lg_rate rates[NCH][4];
    static struct bl_lg_channel ch[NCH];
    static char ids[NCH][8], carriers[NCH][8];
    for (int i = 0; i < NCH; i++) {
        snprintf(ids[i], sizeof(ids[i]), "c%d", i);
        snprintf(carriers[i], sizeof(carriers[i]), "k%d", i % 7);
        for (int j = 0; j < 4; j++) {
            static const int64_t edges[] = {0, 2000, 5000, 20000, 30000};
            int64_t lo = aligned ? edges[rnd() % 4] : (int64_t)(rnd() % 5000);
            int64_t hi = aligned ? edges[1 + rnd() % 4] : lo + 1 + (int64_t)(rnd() % 20000);
            if (hi <= lo)
                hi = 30000;
            rates[i][j] =
                (struct bl_lg_rate){regions[rnd() % 4],      regions[4 + rnd() % (NR - 4)], lo, hi,
                                    (int64_t)(rnd() % 5000), (int64_t)(rnd() % 700)};
        }
        int32_t tmin = (int32_t)(rnd() % 10);
        ch[i] = (struct bl_lg_channel){ids[i],
                                       carriers[i],
                                       "postal",
                                       (enum bl_lg_tier)(rnd() % 2),
                                       tmin,
                                       tmin + (int32_t)(rnd() % 10),
                                       (int32_t)(rnd() % 1440),
                                       shanghai,
                                       (rnd() % 2) ? "CN" : NULL,
                                       (int64_t)(rnd() % 2) * 6000,
                                       "USD",
                                       rates[i],
                                       4};
    }
    struct bl_lg_disruption dis[6];
    for (int i = 0; i < 6; i++)
        dis[i] = (struct bl_lg_disruption){"d",
                                           "strike",
                                           regions[rnd() % NR],
                                           (enum bl_lg_scope)(rnd() % 3),
                                           (rnd() % 2) ? ids[rnd() % NCH] : NULL,
                                           NULL,
                                           at("2024-03-01T00:00:00Z") + (int64_t)(rnd() % 2000000),
                                           at("2024-03-20T00:00:00Z") + (int64_t)(rnd() % 2000000)};
    /* one certain lockdown of every channel leaving CN-GD, for the SUSPENDED state */
    dis[0].region = "CN-GD";
    dis[0].scope = BL_LG_ORIGIN;
    dis[0].channel = NULL;
    struct bl_lg_input in = {ch, NCH, cals, 1, dis, 6};
    struct bl_lg *lg;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_lg_compile(&in, &lg, &d), &d);
    static struct bl_lg_shipment s[NS];
    static struct bl_lg_route a[NS], b[NS];
    for (int i = 0; i < NS; i++) {
        s[i] = ship(lg, regions[rnd() % 4], regions[4 + rnd() % (NR - 4)], (int64_t)(rnd() % 35000),
                    "2024-03-01T00:00:00Z");
        s[i].ship_at += (int64_t)(rnd() % 4000000);
        if (rnd() % 3 == 0)
            for (int k = 0; k < 3; k++)
                s[i].dims_mm[k] = 50 + (int64_t)(rnd() % 500);
        s[i].by_day = (rnd() % 4) ? bl_tz_local_day(shanghai, s[i].ship_at) + (int64_t)(rnd() % 30)
                                  : BL_LG_NO_PROMISE;
    }
    struct bl_lg_policy pol[3] = {
        {BL_LG_CHEAPEST, NULL}, {BL_LG_FASTEST, NULL}, {BL_LG_PREFERRED, "k3"}};
    int states[4] = {0};
    for (int p = 0; p < 3; p++) {
        BL_ASSERT_OK(bl_lg_route(lg, &pol[p], s, NS, a, &d), &d);
        BL_ASSERT_OK(bl_lg_route_naive(lg, &pol[p], s, NS, b, &d), &d);
        for (int i = 0; i < NS; i++) {
            if (a[i].state != b[i].state || a[i].channel != b[i].channel ||
                a[i].price != b[i].price || a[i].latest_day != b[i].latest_day ||
                a[i].candidates != b[i].candidates)
                fail_msg("policy %d shipment %d: fast %d/%d naive %d/%d", p, i, a[i].channel,
                         a[i].state, b[i].channel, b[i].state);
            states[a[i].state]++;
        }
    }
    for (int k = 0; k < 4; k++) /* every outcome was exercised */
        assert_true(states[k] > 0);
    bl_lg_free(lg);
}

static void test_fast_equals_naive_random_bands(void **state)
{
    (void)state;
    fast_equals_naive(false);
}

static void test_fast_equals_naive_aligned_bands(void **state)
{
    (void)state;
    fast_equals_naive(true);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lanes_by_region_prefix),
        cmocka_unit_test(test_weight_bands_and_volumetric),
        cmocka_unit_test(test_price_arithmetic),
        cmocka_unit_test(test_cutoff_and_business_days),
        cmocka_unit_test(test_disruptions),
        cmocka_unit_test(test_route_resume),
        cmocka_unit_test(test_failover_and_policies),
        cmocka_unit_test(test_cannot_meet),
        cmocka_unit_test(test_compile_errors),
        cmocka_unit_test(test_fast_equals_naive_random_bands),
        cmocka_unit_test(test_fast_equals_naive_aligned_bands),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
