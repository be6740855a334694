/* promise_test.c - the listing promise (handling + transit, holidays, origin holds,
 * failover to the backup tier, waiting out a suspension) and the refund decision. */
#include <string.h>

#include "testutil.h"
#include "ballast/logistics.h"
#include "ballast/time.h"

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

static struct bl_tz *shanghai;

static const struct bl_lg_closure cn_closures[] = {{19763, 19770}}; /* 2024-02-10..17 */
static const struct bl_lg_calendar cals[] = {{"CN", BL_LG_SAT_SUN, cn_closures, 1}};

static const struct bl_lg_rate post_rates[] = {{"CN", "US", 0, 2000, 500, 100},
                                               {"CN", "RU", 0, 2000, 600, 100}};
static const struct bl_lg_rate exp_rates[] = {{"CN", "US", 0, 30000, 3000, 500}};
static const struct bl_lg_rate bak_rates[] = {{"CN", "US", 0, 30000, 1500, 0}};

static struct bl_lg_channel chans[] = {
    {"post", "China Post", "postal", BL_LG_CORE, 7, 15, 16 * 60, NULL, "CN", 0, "USD", post_rates,
     2},
    {"exp", "DHL", "express", BL_LG_CORE, 3, 5, -1, NULL, NULL, 5000, "USD", exp_rates, 1},
    {"bak", "4PX", "dedicated", BL_LG_BACKUP, 5, 8, -1, NULL, "CN", 0, "USD", bak_rates, 1},
};

static const struct bl_lg_disruption dis[] = {
    {"d-post", "carrier_suspension", "CN", BL_LG_BOTH, "post", NULL, 0, 0},
    {"d-dhl", "carrier_suspension", "CN", BL_LG_BOTH, "exp", NULL, 0, 0},
    {"d-gd", "lockdown", "CN-GD", BL_LG_ORIGIN, NULL, NULL, 0, 0},
    {"d-us", "route_suspension", "US", BL_LG_DESTINATION, NULL, NULL, 0, 0},
    {"d-ru", "route_suspension", "RU", BL_LG_DESTINATION, NULL, NULL, 0, 0},
    {"d-sup", "supplier_shutdown", "CN-ZJ", BL_LG_ORIGIN, NULL, "acme", 0, 0},
    {"d-hb", "lockdown", "CN-HB", BL_LG_BOTH, NULL, NULL, 0, 0},
};

static struct bl_lg *lg;

static int setup(void **state)
{
    (void)state;
    struct bl_diag d;
    if (bl_tz_load(&shanghai, "Asia/Shanghai", &d))
        return -1;
    for (size_t i = 0; i < 3; i++)
        chans[i].tz = shanghai;
    struct bl_lg_disruption x[7];
    memcpy(x, dis, sizeof(x));
    x[0].starts_at = x[1].starts_at = at("2024-03-01T00:00:00Z");
    x[0].ends_at = x[1].ends_at = at("2024-04-01T00:00:00Z");
    x[2].starts_at = at("2024-05-06T00:00:00Z");
    x[2].ends_at = at("2024-05-09T12:00:00Z");
    x[3].starts_at = at("2024-06-03T00:00:00Z");
    x[3].ends_at = at("2024-06-06T00:00:00Z");
    x[4].starts_at = at("2024-01-01T00:00:00Z");
    x[4].ends_at = at("2030-01-01T00:00:00Z");
    x[5].starts_at = at("2024-05-01T00:00:00Z");
    x[5].ends_at = at("2024-06-01T00:00:00Z");
    x[6].starts_at = at("2024-01-01T00:00:00Z");
    x[6].ends_at = at("2030-01-01T00:00:00Z");
    struct bl_lg_input in = {chans, 3, cals, 1, x, 7};
    bl_diag_clear(&d);
    return bl_lg_compile(&in, &lg, &d) ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    bl_lg_free(lg);
    bl_tz_free(shanghai);
    return 0;
}

static struct bl_lg_promise promise(const char *from, const char *to, const char *when,
                                    int32_t hmin, int32_t hmax, enum bl_lg_policy_kind k)
{
    struct bl_lg_policy p = {k, k == BL_LG_PREFERRED ? "4PX" : NULL};
    struct bl_lg_promise_in in = {bl_lg_locate(lg, bl_str_c(from)),
                                  bl_lg_locate(lg, bl_str_c(to)),
                                  500,
                                  {0, 0, 0},
                                  at(when),
                                  hmin,
                                  hmax,
                                  "k1"};
    struct bl_lg_promise r;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_lg_promise(lg, &p, &in, &r, &d), &d);
    return r;
}

static const char *chan(const struct bl_lg_promise *r)
{
    return r->channel >= 0 ? bl_lg_channel(lg, (size_t)r->channel)->id : "-";
}

static const char *dis_id(int32_t i)
{
    return i >= 0 ? bl_lg_disruption(lg, (size_t)i)->id : "-";
}

static void test_handling_plus_transit(void **state)
{
    (void)state;
    /* Monday 2024-04-08 09:00 in Shanghai, before the cut-off: departs that day;
     * 1+7 business days -> Thu 04-18, 3+15 -> Thu 05-02 (this test calendar has no
     * Labour Day). Shown as 10-24 days. */
    struct bl_lg_promise r =
        promise("CN-GD", "US-CA", "2024-04-08T01:00:00Z", 1, 3, BL_LG_CHEAPEST);
    assert_int_equal(r.state, BL_LG_ROUTED);
    assert_string_equal(chan(&r), "post");
    assert_int_equal(r.today, day("2024-04-08"));
    assert_int_equal(r.depart_day, day("2024-04-08"));
    assert_int_equal(r.earliest_day, day("2024-04-18"));
    assert_int_equal(r.latest_day, day("2024-05-02"));
    assert_int_equal(r.min_days, 10);
    assert_int_equal(r.max_days, 24);
    assert_int_equal(r.hold_days, 0);
    assert_int_equal(r.hold_disruption, -1);
    assert_false(r.fallback);
    assert_int_equal(r.price, 600);

    /* fastest: DHL, weekends only: 1+3 -> Fri 04-12, 3+5 -> Thu 04-18 */
    r = promise("CN-GD", "US-CA", "2024-04-08T01:00:00Z", 1, 3, BL_LG_FASTEST);
    assert_string_equal(chan(&r), "exp");
    assert_int_equal(r.min_days, 4);
    assert_int_equal(r.max_days, 10);

    /* preferred carrier: the backup 4PX channel first when it is preferred */
    r = promise("CN-GD", "US-CA", "2024-04-08T01:00:00Z", 0, 0, BL_LG_PREFERRED);
    assert_string_equal(chan(&r), "bak");
    assert_false(r.fallback);

    /* handling 0..0 is the bare transit window; after the 16:00 cut-off the
     * parcel leaves the next business day */
    r = promise("CN", "US", "2024-04-08T09:00:00Z", 0, 0, BL_LG_CHEAPEST);
    assert_int_equal(r.depart_day, day("2024-04-09"));
    assert_int_equal(r.earliest_day, day("2024-04-18"));
    assert_int_equal(r.min_days, 10);
}

static void test_holidays_lengthen(void **state)
{
    (void)state;
    /* Monday 2024-02-05: the Spring Festival closes 02-10..17, so 8 business days
     * end on 02-22 and 18 on 03-07: 17-31 days instead of 10-24. */
    struct bl_lg_promise r = promise("CN-GD", "US", "2024-02-05T01:00:00Z", 1, 3, BL_LG_CHEAPEST);
    assert_string_equal(chan(&r), "post");
    assert_int_equal(r.earliest_day, day("2024-02-22"));
    assert_int_equal(r.latest_day, day("2024-03-07"));
    assert_int_equal(r.min_days, 17);
    assert_int_equal(r.max_days, 31);
}

static void test_core_suspended_backup_serves(void **state)
{
    (void)state;
    /* March 2024: post and DHL suspended; the backup tier serves, named */
    struct bl_lg_promise r = promise("CN-GD", "US", "2024-03-04T01:00:00Z", 1, 3, BL_LG_CHEAPEST);
    assert_int_equal(r.state, BL_LG_ROUTED);
    assert_string_equal(chan(&r), "bak");
    assert_true(r.fallback);
    assert_true(strcmp(dis_id(r.fail_disruption), "d-post") == 0 ||
                strcmp(dis_id(r.fail_disruption), "d-dhl") == 0);
    /* 1+5 and 3+8 business days from Monday 03-04: 03-12 and 03-19 */
    assert_int_equal(r.earliest_day, day("2024-03-12"));
    assert_int_equal(r.latest_day, day("2024-03-19"));
    assert_int_equal(r.hold_days, 0);
}

static void test_origin_hold(void **state)
{
    (void)state;
    /* CN-GD locked down until Thu 05-09 12:00Z: 3 days 11 hours remain at Mon 01:00Z,
     * so hand-over waits 4 whole days (Fri 05-10 09:00 local) */
    struct bl_lg_promise r =
        promise("CN-GD:518", "US", "2024-05-06T01:00:00Z", 1, 3, BL_LG_CHEAPEST);
    assert_int_equal(r.state, BL_LG_ROUTED);
    assert_string_equal(dis_id(r.hold_disruption), "d-gd");
    assert_int_equal(r.hold_days, 4);
    assert_int_equal(r.depart_day, day("2024-05-10"));
    assert_int_equal(r.today, day("2024-05-06"));
    /* 1+7 business days after Fri 05-10: Wed 05-22; 3+15 after: Wed 06-05 */
    assert_int_equal(r.earliest_day, day("2024-05-22"));
    assert_int_equal(r.latest_day, day("2024-06-05"));
    assert_int_equal(r.min_days, 16);
    assert_int_equal(r.max_days, 30);
    assert_false(r.fallback);

    /* held for years: no window, the lockdown named */
    r = promise("CN-HB", "US", "2024-05-06T01:00:00Z", 1, 3, BL_LG_CHEAPEST);
    assert_int_equal(r.state, BL_LG_SUSPENDED);
    assert_int_equal(r.channel, -1);
    assert_string_equal(dis_id(r.hold_disruption), "d-hb");
    assert_string_equal(dis_id(r.fail_disruption), "d-hb");

    /* another province is not held; a supplier-only disruption holds nothing */
    r = promise("CN-ZJ", "US", "2024-05-06T01:00:00Z", 1, 3, BL_LG_CHEAPEST);
    assert_int_equal(r.hold_days, 0);
    assert_int_equal(r.hold_disruption, -1);
    assert_int_equal(r.depart_day, day("2024-05-06"));
}

static void test_waits_out_a_suspension(void **state)
{
    (void)state;
    /* every channel to the US suspended 06-03 00:00Z .. 06-06 00:00Z: the promise
     * waits 3 whole days (ceil of 2 days 23 hours), naming the disruption */
    struct bl_lg_promise r = promise("CN", "US", "2024-06-03T01:00:00Z", 1, 3, BL_LG_CHEAPEST);
    assert_int_equal(r.state, BL_LG_ROUTED);
    assert_string_equal(chan(&r), "post");
    assert_int_equal(r.hold_days, 3);
    assert_string_equal(dis_id(r.fail_disruption), "d-us");
    assert_int_equal(r.hold_disruption, -1);
    assert_int_equal(r.depart_day, day("2024-06-06"));
    assert_false(r.fallback);

    /* suspended for years: no window */
    r = promise("CN", "RU", "2024-06-03T01:00:00Z", 1, 3, BL_LG_CHEAPEST);
    assert_int_equal(r.state, BL_LG_SUSPENDED);
    assert_int_equal(r.channel, -1);
    assert_string_equal(dis_id(r.fail_disruption), "d-ru");

    /* nothing serves */
    r = promise("CN", "BR", "2024-06-03T01:00:00Z", 1, 3, BL_LG_CHEAPEST);
    assert_int_equal(r.state, BL_LG_NO_CHANNEL);
    assert_int_equal(r.channel, -1);
}

static void test_promise_errors(void **state)
{
    (void)state;
    struct bl_lg_policy p = {BL_LG_CHEAPEST, NULL};
    struct bl_lg_promise_in in = {bl_lg_locate(lg, BL_STR("CN")),
                                  bl_lg_locate(lg, BL_STR("US")),
                                  500,
                                  {0, 0, 0},
                                  at("2024-04-08T01:00:00Z"),
                                  3,
                                  1,
                                  "k1"};
    struct bl_lg_promise r;
    struct bl_diag d;
    bl_diag_clear(&d);
    assert_int_equal(bl_lg_promise(lg, &p, &in, &r, &d), BL_EINVAL);
    assert_non_null(strstr(d.msg, "sku 'k1': handling days 3..1"));
    in.handling_min = -1;
    assert_int_equal(bl_lg_promise(lg, &p, &in, &r, &d), BL_EINVAL);
    in.handling_min = 0;
    in.weight_g = -5;
    assert_int_equal(bl_lg_promise(lg, &p, &in, &r, &d), BL_EINVAL);
    in.weight_g = 500;
    in.to = 1u << 30;
    assert_int_equal(bl_lg_promise(lg, &p, &in, &r, &d), BL_EINVAL);
}

static struct bl_refund decide(bool shipped, int64_t amount, bool wh, bool known, int64_t cost,
                               int32_t bp)
{
    struct bl_refund_case c = {shipped, amount, wh, known, cost, bp};
    struct bl_refund r;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_refund_decide(&c, &r, &d), &d);
    return r;
}

static void test_refund_decisions(void **state)
{
    (void)state;
    /* the warehouse that serves the buyer: the more specific region, then the country */
    assert_int_equal(bl_refund_warehouse_score(BL_STR("US-NJ"), BL_STR("US-NJ:07")), 1005);
    assert_int_equal(bl_refund_warehouse_score(BL_STR("US"), BL_STR("US-NJ:07")), 1002);
    assert_int_equal(bl_refund_warehouse_score(BL_STR("US-CA"), BL_STR("US-NJ:07")), 1);
    assert_int_equal(bl_refund_warehouse_score(BL_STR("DE-NW"), BL_STR("US-NJ")), 0);
    assert_int_equal(bl_refund_warehouse_score(BL_STR("US-NJ"), BL_STR("")), 0);
    /* unshipped: full refund, whatever else is true */
    struct bl_refund r = decide(false, 1999, true, true, 100000, 5000);
    assert_int_equal(r.kind, BL_REFUND_FULL);
    assert_int_equal(r.refund, 1999);
    /* shipped with an overseas warehouse in the buyer's region: return there */
    r = decide(true, 1999, true, true, 100000, 5000);
    assert_int_equal(r.kind, BL_REFUND_WAREHOUSE);
    assert_int_equal(r.refund, 1999);
    /* return shipping 6.00 > 50% of 10.00: refund 5.00, the buyer keeps it */
    r = decide(true, 1000, false, true, 600, 5000);
    assert_int_equal(r.kind, BL_REFUND_PARTIAL_KEEP);
    assert_int_equal(r.refund, 500);
    assert_int_equal(r.threshold, 500);
    /* exactly the share: not more, so the item comes back */
    r = decide(true, 1000, false, true, 500, 5000);
    assert_int_equal(r.kind, BL_REFUND_RETURN_ORIGIN);
    assert_int_equal(r.refund, 1000);
    /* no channel quotes the return: partial refund */
    r = decide(true, 1000, false, false, 0, 5000);
    assert_int_equal(r.kind, BL_REFUND_PARTIAL_KEEP);
    assert_int_equal(r.refund, 500);
    /* the share rounds half away from zero: 10.01 * 0.3333 = 3.336... -> 3.34 */
    r = decide(true, 1001, false, true, 1000, 3333);
    assert_int_equal(r.threshold, 334);
    assert_int_equal(r.refund, 334);
    /* share 0: any return cost exceeds it, nothing is refunded */
    r = decide(true, 1000, false, true, 1, 0);
    assert_int_equal(r.kind, BL_REFUND_PARTIAL_KEEP);
    assert_int_equal(r.refund, 0);
    /* share 1: a return is offered unless it costs more than the order */
    r = decide(true, 1000, false, true, 1000, 10000);
    assert_int_equal(r.kind, BL_REFUND_RETURN_ORIGIN);

    struct bl_refund_case bad = {true, 1000, false, true, 100, 10001};
    struct bl_diag d;
    bl_diag_clear(&d);
    assert_int_equal(bl_refund_decide(&bad, &r, &d), BL_EINVAL);
    bad.share_bp = 5000;
    bad.amount = -1;
    assert_int_equal(bl_refund_decide(&bad, &r, &d), BL_EINVAL);
    bad.amount = 1000;
    bad.return_cost = -1;
    assert_int_equal(bl_refund_decide(&bad, &r, &d), BL_EINVAL);
    bad.return_cost = 0;
    bad.amount = INT64_MAX;
    bad.share_bp = 10000;
    assert_int_equal(bl_refund_decide(&bad, &r, &d), BL_OK); /* exact, no overflow */
    assert_int_equal(r.threshold, INT64_MAX);
}

/* Lanes in opposite directions leave empty cells in the lane index (CN -> CN here):
 * compiling must not sort a missing array (UBSan caught qsort(NULL, 0) once). */
static void test_empty_cells(void **state)
{
    (void)state;
    static const struct bl_lg_rate out_rates[] = {{"CN", "US", 0, 2000, 500, 0}};
    static const struct bl_lg_rate back_rates[] = {{"US", "CN", 0, 2000, 900, 0}};
    struct bl_lg_channel ch[] = {
        {"out", "A", "postal", BL_LG_CORE, 5, 9, -1, NULL, NULL, 0, "USD", out_rates, 1},
        {"back", "B", "postal", BL_LG_CORE, 5, 9, -1, NULL, NULL, 0, "USD", back_rates, 1},
    };
    struct bl_lg_input in = {ch, 2, NULL, 0, NULL, 0};
    struct bl_lg *x;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_lg_compile(&in, &x, &d), &d);
    struct bl_lg_shipment s = {bl_lg_locate(x, BL_STR("CN")),
                               bl_lg_locate(x, BL_STR("CN")),
                               100,
                               {0, 0, 0},
                               at("2024-04-08T01:00:00Z"),
                               BL_LG_NO_PROMISE,
                               NULL};
    struct bl_lg_option o[2];
    size_t n = 9;
    BL_ASSERT_OK(bl_lg_quote(x, &s, o, 2, &n, &d), &d);
    assert_int_equal(n, 0);
    s.from = bl_lg_locate(x, BL_STR("US-CA"));
    BL_ASSERT_OK(bl_lg_quote(x, &s, o, 2, &n, &d), &d);
    assert_int_equal(n, 1);
    assert_int_equal(o[0].price, 900);
    bl_lg_free(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_handling_plus_transit),
        cmocka_unit_test(test_holidays_lengthen),
        cmocka_unit_test(test_core_suspended_backup_serves),
        cmocka_unit_test(test_origin_hold),
        cmocka_unit_test(test_waits_out_a_suspension),
        cmocka_unit_test(test_promise_errors),
        cmocka_unit_test(test_refund_decisions),
        cmocka_unit_test(test_empty_cells),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
