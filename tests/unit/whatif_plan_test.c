/* whatif_plan_test.c - a plan's steps inside the what-if's pass (whatif.h: moves, handling,
 * lean; src/engine/whatif_plan.c), which `whatif --mitigate` measures plans with: units
 * arriving or leaving change the stock-outs by exactly their number, a longer handling time
 * for the region the lockdown shuts puts the orders placed from then on back on time (and
 * only there), a lean run skips the standing and nothing else; a reroute moves only the
 * orders handed over in its window. The fixture is
 * whatif_fixture.h, shared with whatif_test.c. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "ballast/profile.h"
#include "ballast/time.h"
#include "ballast/whatif.h"
#include "whatif_fixture.h"

static int64_t late_with(const struct bl_wi_result *r)
{
    return r->late_ship_total[BL_WI_WITH];
}

static void test_handling(void **state)
{
    (void)state;
    struct fix f;
    int64_t as_of = at(2024, 11, 16);
    fixture(&f, as_of);
    struct bl_wi_result r0, r1, r2;
    struct bl_diag d;
    BL_ASSERT_OK(bl_wi_run(&f.in, &r0, &d), &d);
    assert_true(late_with(&r0) > 3);
    /* six more days for the orders shipping from Zhejiang placed from A: the lockdown holds
     * them five days, so only those placed before A stay late (two of the three pending are
     * due within the horizon) */
    struct bl_wi_handling h = {
        .shop = 0, .channel = -1, .region = f.zj, .from = as_of, .extra = 6 * DAYS};
    f.in.handling = &h;
    f.in.nhandling = 1;
    BL_ASSERT_OK(bl_wi_run(&f.in, &r1, &d), &d);
    assert_int_equal(late_with(&r1), 2);
    assert_int_equal(r1.held_total, r0.held_total); /* still held: only the promise moved */
    /* for another ship-from region it changes nothing */
    h.region = f.us;
    BL_ASSERT_OK(bl_wi_run(&f.in, &r2, &d), &d);
    assert_int_equal(late_with(&r2), late_with(&r0));
    bl_wi_result_release(&r2);
    /* lean: the same orders, no standing */
    h.region = f.zj;
    f.in.lean = true;
    BL_ASSERT_OK(bl_wi_run(&f.in, &r2, &d), &d);
    assert_int_equal(r2.nratings, 0);
    assert_int_equal(r2.norders, r1.norders);
    assert_memory_equal(r2.orders, r1.orders, r1.norders * sizeof(*r1.orders));
    /* out of range */
    bl_wi_result_release(&r0);
    h.shop = 7;
    assert_int_equal(bl_wi_run(&f.in, &r0, &d), BL_EINVAL);
    bl_wi_result_release(&r0);
    bl_wi_result_release(&r1);
    bl_wi_result_release(&r2);
    bl_arena_release(&f.a);
}

static void test_moves(void **state)
{
    (void)state;
    struct fix f;
    int64_t as_of = at(2024, 11, 16);
    fixture(&f, as_of);
    int64_t s0 = as_of / DAYS;
    struct bl_rp_stock st[2] = {{.warehouse = 0, .on_hand = 100}, {.warehouse = 1, .on_hand = 500}};
    struct bl_rp_sku sku = {.daily_mean = 20, .stock = st, .nstock = 2, .supplier = -1, .id = "A"};
    struct bl_rp_input rp = {.as_of = s0, .skus = &sku, .nskus = 1};
    bl_rp_policy_init(&rp.policy);
    int64_t price = 500;
    char pc[1][4] = {"USD"};
    struct bl_wi_demand shock = {.sku = 0, .pct_bp = 10000, .from_day = s0, .to_day = s0 + 14};
    f.in.rp = &rp;
    f.in.price = &price;
    f.in.price_cur = (const char(*)[4])pc;
    f.in.nwh = 2;
    f.in.demand = &shock;
    f.in.ndemand = 1;
    struct bl_wi_result r;
    struct bl_diag d;
    /* warehouse 0: 100 units, 10 a day (20 with the shock) over 14 days: 40 and 180 short */
    BL_ASSERT_OK(bl_wi_run(&f.in, &r, &d), &d);
    assert_int_equal(r.nstockouts, 1);
    assert_int_equal(r.stockouts[0].units_short[BL_WI_WITH], 180);
    bl_wi_result_release(&r);
    /* 50 units leave warehouse 1 on A's day and arrive at warehouse 0 on day 5: 50 fewer
     * short with the events, none without them, and warehouse 1 (500 for 280) still fine */
    struct bl_wi_move mv[2] = {{.sku = 0, .warehouse = 0, .qty = 50, .day = s0 + 5},
                               {.sku = 0, .warehouse = 1, .qty = -50, .day = s0}};
    f.in.moves = mv;
    f.in.nmoves = 2;
    BL_ASSERT_OK(bl_wi_run(&f.in, &r, &d), &d);
    assert_int_equal(r.nstockouts, 1);
    assert_int_equal(r.stockouts[0].warehouse, 0);
    assert_int_equal(r.stockouts[0].units_short[BL_WI_WITH], 130);
    assert_int_equal(r.stockouts[0].units_short[BL_WI_BASE], 0);
    assert_int_equal(r.stockouts[0].day[BL_WI_WITH], s0 + 7);
    bl_wi_result_release(&r);
    /* more leaving than there is takes what there is */
    mv[1].qty = -900;
    BL_ASSERT_OK(bl_wi_run(&f.in, &r, &d), &d);
    assert_int_equal(r.nstockouts, 2);
    assert_int_equal(r.stockouts[1].units_short[BL_WI_WITH], 14 * 10 * 2);
    bl_wi_result_release(&r);
    /* moves out of order are refused */
    struct bl_wi_move bad[2] = {mv[1], mv[0]};
    f.in.moves = bad;
    assert_int_equal(bl_wi_run(&f.in, &r, &d), BL_EINVAL);
    bl_arena_release(&f.a);
}

/* Held orders on channel c (every row of the channel), and late to ship with the events. */
static void on_channel(const struct bl_wi_result *r, int32_t c, int64_t *held, int64_t *late)
{
    *held = *late = 0;
    for (size_t i = 0; i < r->norders; i++)
        if (r->orders[i].channel == c) {
            *held += r->orders[i].held;
            *late += r->orders[i].late_ship[BL_WI_WITH];
        }
}

/* A reroute over a window of hand-overs (an approved one, as the router binds it): the
 * shop's open orders placed before A are handed over at A, the projected ones when placed;
 * only those in [from, until) leave the suspended channel. */
static void test_reroute_window(void **state)
{
    (void)state;
    struct fix f;
    int64_t as_of = at(2024, 11, 16);
    fixture(&f, as_of);
    for (int i = 0; i < NO; i++)
        f.channel[i] = 0;
    f.in.nchannels = 2;
    f.hyp[0].channel = 0; /* channel 0 suspended for five days, not the area */
    struct bl_wi_result r0, r1, r2, r3;
    struct bl_diag d;
    int64_t held0, late0, held, late, held1, late1;
    BL_ASSERT_OK(bl_wi_run(&f.in, &r0, &d), &d);
    on_channel(&r0, 0, &held0, &late0);
    assert_true(held0 > 3 && late0 > 3);
    /* every hand-over: nothing is held on the suspended channel, nothing late on the other */
    struct bl_wi_reroute x = {0, 0, 1, INT64_MIN, INT64_MAX};
    f.in.reroutes = &x;
    f.in.nreroutes = 1;
    BL_ASSERT_OK(bl_wi_run(&f.in, &r1, &d), &d);
    on_channel(&r1, 0, &held, &late);
    on_channel(&r1, 1, &held1, &late1);
    assert_int_equal(held + r1.held_total, 0);
    assert_int_equal(late1, 0);
    /* the first three days: the pending orders (handed over at A) and those placed by then
     * go by channel 1; those placed on days 3 and 4 are still held */
    x.from = as_of;
    x.until = as_of + 3 * DAYS;
    BL_ASSERT_OK(bl_wi_run(&f.in, &r2, &d), &d);
    on_channel(&r2, 0, &held, &late);
    on_channel(&r2, 1, &held1, &late1);
    assert_true(held > 0 && held < held0);
    assert_int_equal(held1, 0);
    assert_true(late1 == 0 && late < late0);
    /* a window after the horizon moves nothing */
    x.from = as_of + 30 * DAYS;
    x.until = INT64_MAX;
    BL_ASSERT_OK(bl_wi_run(&f.in, &r3, &d), &d);
    assert_int_equal(r3.norders, r0.norders);
    assert_memory_equal(r3.orders, r0.orders, r0.norders * sizeof(*r0.orders));
    bl_wi_result_release(&r0);
    bl_wi_result_release(&r1);
    bl_wi_result_release(&r2);
    bl_wi_result_release(&r3);
    bl_arena_release(&f.a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reroute_window),
        cmocka_unit_test(test_handling),
        cmocka_unit_test(test_moves),
    };
    return cmocka_run_group_tests_name("whatif_plan", tests, NULL, NULL);
}
