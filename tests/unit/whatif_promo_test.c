/* whatif_promo_test.c - the value of a promotion paused, as `whatif --mitigate` measures
 * it (bl__mg_promo_left, whatif_mitigate_run.c): the spend a day on the days still short,
 * the same the engine's estimate counts (mitigate.h), whole and in part. */
#include <string.h>

#include "testutil.h"
#include "app/whatif_mitigate_impl.h"
#include "ballast/mitigate.h"

static struct bl_mg_problem stockout(int64_t units, int64_t days, int64_t promo)
{
    struct bl_mg_problem p;
    memset(&p, 0, sizeof(p));
    p.kind = BL_MG_STOCKOUT;
    p.sku = 0;
    p.warehouse = 0;
    p.shop = p.channel = -1;
    p.from_day = 20000;
    p.to_day = 20000 + days;
    p.units = units;
    p.unit_cost = 250; /* 2.50 of margin a unit */
    p.promo_day = promo;
    return p;
}

/* What the engine's estimate leaves of problem p's promotion spend with a transfer of
 * `moved` units arriving on its first day (0: no lever). */
static int64_t estimate_promo(const struct bl_mg_problem *p, int64_t moved)
{
    struct bl_mg_lever l;
    memset(&l, 0, sizeof(l));
    l.kind = BL_MG_TRANSFER;
    l.target = 1;
    l.by_day = l.ready_day = p->from_day;
    l.max_units = moved;
    struct bl_mg_input in = {p, 1, &l, 1, 0, NULL};
    size_t lev = 0;
    struct bl_mg_step st;
    memset(&st, 0, sizeof(st));
    int64_t left = 0;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_mg_estimate(&in, 0, &lev, moved ? 1 : 0, &st, &left, &d), &d);
    return left - (p->units - (moved ? st.units : 0)) * p->unit_cost;
}

static void test_whole_and_part(void **state)
{
    (void)state;
    struct bl_mg_problem p = stockout(10, 7, 300); /* 3.00 a day for 7 days */
    assert_int_equal(bl__mg_promo_left(&p, 10), 2100);
    assert_int_equal(bl__mg_promo_left(&p, 10), estimate_promo(&p, 0));
    /* 6 of 10 units still short: 7 * 6 / 10 = 4.2 days, counted as 5 */
    assert_int_equal(bl__mg_promo_left(&p, 6), 1500);
    assert_int_equal(bl__mg_promo_left(&p, 6), estimate_promo(&p, 4));
    /* more short than the problem's units (the base run's own): its days at most */
    assert_int_equal(bl__mg_promo_left(&p, 25), 2100);
    /* nothing short, or no promotion: nothing */
    assert_int_equal(bl__mg_promo_left(&p, 0), 0);
    assert_int_equal(bl__mg_promo_left(&p, -3), 0);
    p.promo_day = 0;
    assert_int_equal(bl__mg_promo_left(&p, 10), 0);
    /* the cost of the problem left alone counts it once */
    p = stockout(10, 7, 300);
    int64_t cost = 0;
    assert_int_equal(bl_mg_problem_cost(&p, &cost), BL_OK);
    assert_int_equal(cost, 10 * 250 + bl__mg_promo_left(&p, 10));
}

static void test_extremes(void **state)
{
    (void)state;
    struct bl_mg_problem p = stockout(3, 100000000, INT64_MAX / 4);
    assert_int_equal(bl__mg_promo_left(&p, 3), INT64_MAX); /* saturates, never wraps */
    p = stockout(0, 7, 300);
    assert_int_equal(bl__mg_promo_left(&p, 5), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole_and_part),
        cmocka_unit_test(test_extremes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
