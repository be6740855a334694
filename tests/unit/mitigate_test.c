/* mitigate_test.c - the cheapest way through: costs worked by hand (docs/internals/
 * mitigate.md has the same examples), the search, the measure, and bad input. */
#include <string.h>

#include "testutil.h"
#include "ballast/mitigate.h"

/* A stock-out: 50 units short over days 100..109 (5 a day), 3.00 margin a unit. */
static struct bl_mg_problem stockout(int64_t promo_day)
{
    struct bl_mg_problem p = {BL_MG_STOCKOUT, 0, 0, -1, -1, 100, 110, 50, 300, promo_day, 0};
    return p;
}

/* Late orders: 200 placed over days 100..119 (10 a day), 3 days late, 5.00 coupon each. */
static struct bl_mg_problem late(void)
{
    struct bl_mg_problem p = {BL_MG_LATE, -1, 0, 0, 0, 100, 120, 200, 500, 0, 3};
    return p;
}

static struct bl_mg_lever lever(enum bl_mg_kind k, size_t problem, int64_t ready, int64_t unit_cost,
                                int64_t fixed)
{
    struct bl_mg_lever l;
    memset(&l, 0, sizeof(l));
    l.kind = k;
    l.problem = problem;
    l.target = -1;
    l.by_day = ready - 1;
    l.ready_day = ready;
    l.unit_cost = unit_cost;
    l.fixed_cost = fixed;
    return l;
}

/* A: backup supplier, arrives day 104, MOQ 20, case 12, 0.50 premium a unit + 10.00.
 * B: transfer of at most 10 units, arrives day 102, 1.00 a unit.
 * C: a backup supplier whose fee (200.00) is more than the whole stock-out: the bound. */
static void supply_levers(struct bl_mg_lever *l)
{
    l[0] = lever(BL_MG_BACKUP_SUPPLIER, 0, 104, 50, 1000);
    l[0].moq = 20;
    l[0].case_pack = 12;
    l[0].target = 7;
    l[1] = lever(BL_MG_TRANSFER, 0, 102, 100, 0);
    l[1].max_units = 10;
    l[2] = lever(BL_MG_BACKUP_SUPPLIER, 0, 101, 10, 20000);
}

static const struct bl_mg_plan *plan_of(const struct bl_mg_result *r, enum bl_mg_plan_kind k)
{
    for (size_t i = 0; i < r->nplans; i++)
        if (r->plans[i].kind == k)
            return &r->plans[i];
    return NULL;
}

static void test_estimate_supply(void **state)
{
    (void)state;
    struct bl_mg_problem p = stockout(0);
    struct bl_mg_lever l[3];
    supply_levers(l);
    struct bl_mg_input in = {&p, 1, l, 3, 0, NULL};
    struct bl_mg_step st[2];
    struct bl_diag d;
    int64_t left, cost;
    assert_int_equal(bl_mg_problem_cost(&p, &cost), BL_OK);
    assert_int_equal(cost, 15000); /* 50 units * 3.00 */
    /* A alone: from day 104, 6 days * 5 = 30 short; 30 -> MOQ 20 ok -> 36 (3 cases) */
    size_t a[] = {0};
    assert_int_equal(bl_mg_estimate(&in, 0, a, 1, st, &left, &d), BL_OK);
    assert_int_equal(st[0].units, 36);
    assert_int_equal(st[0].cost, 36 * 50 + 1000);
    assert_int_equal(st[0].saving, 30 * 300);
    assert_int_equal(left, 20 * 300);
    /* A and B: B (day 102) covers 10 units = days 102..103, A then 30 from day 104 */
    size_t ab[] = {0, 1};
    assert_int_equal(bl_mg_estimate(&in, 0, ab, 2, st, &left, &d), BL_OK);
    assert_int_equal(st[1].units, 10);
    assert_int_equal(st[1].cost, 1000);
    assert_int_equal(st[0].units, 36);
    assert_int_equal(left, 10 * 300);
}

static void test_search_supply(void **state)
{
    (void)state;
    struct bl_mg_problem p = stockout(0);
    struct bl_mg_lever l[3];
    supply_levers(l);
    struct bl_mg_input in = {&p, 1, l, 3, 0, NULL};
    struct bl_arena a = BL_ARENA_INIT;
    struct bl_mg_result r;
    struct bl_diag d;
    assert_int_equal(bl_mg_search(&in, &a, &r, &d), BL_OK);
    /* best: A + B = 28.00 + 10.00 spent, 30.00 still lost = 68.00 against 150.00; the free,
     * logistics and supply plans equal "nothing" or "best" and are left out */
    assert_int_equal(r.baseline, 15000);
    assert_int_equal(r.nplans, 2);
    assert_int_equal(r.plans[0].kind, BL_MG_PLAN_BEST);
    assert_int_equal(r.plans[0].total, 6800);
    assert_int_equal(r.plans[0].spend, 3800);
    assert_int_equal(r.plans[0].saving, 8200);
    assert_int_equal(r.plans[0].nsteps, 2);
    assert_int_equal(r.plans[0].steps[0].lever, 0); /* C never: the bound */
    assert_int_equal(r.plans[0].steps[1].lever, 1);
    assert_int_equal(r.plans[0].steps[0].saving + r.plans[0].steps[1].saving, 12000);
    assert_false(r.plans[0].measured);
    assert_int_equal(r.plans[1].kind, BL_MG_PLAN_NOTHING);
    assert_int_equal(r.plans[1].total, 15000);
    /* greedy (one lever searched exhaustively at most) finds the same */
    in.max_subset = 1;
    assert_int_equal(bl_mg_search(&in, &a, &r, &d), BL_OK);
    assert_int_equal(r.plans[0].total, 6800);
    assert_int_equal(r.plans[0].nsteps, 2);
    bl_arena_release(&a);
}

static void test_promotion(void **state)
{
    (void)state;
    struct bl_mg_problem p = stockout(200); /* 2.00 a day of promotion on an empty shelf */
    struct bl_mg_lever l[2];
    l[0] = lever(BL_MG_BACKUP_SUPPLIER, 0, 104, 50, 1000);
    l[0].moq = 20;
    l[0].case_pack = 12;
    l[1] = lever(BL_MG_PAUSE_PROMOTION, 0, 100, 0, 0);
    struct bl_mg_input in = {&p, 1, l, 2, 0, NULL};
    struct bl_arena a = BL_ARENA_INIT;
    struct bl_mg_result r;
    struct bl_diag d;
    assert_int_equal(bl_mg_search(&in, &a, &r, &d), BL_OK);
    assert_int_equal(r.baseline, 15000 + 10 * 200);
    /* best: A (28.00) and the pause: 20 units still lost = 60.00 */
    const struct bl_mg_plan *best = plan_of(&r, BL_MG_PLAN_BEST);
    assert_non_null(best);
    assert_int_equal(best->total, 2800 + 6000);
    assert_int_equal(best->nsteps, 2);
    /* free: the pause alone saves the 10 days of promotion */
    const struct bl_mg_plan *free_plan = plan_of(&r, BL_MG_PLAN_FREE);
    assert_non_null(free_plan);
    assert_int_equal(free_plan->total, 15000);
    assert_int_equal(free_plan->saving, 2000);
    assert_int_equal(free_plan->steps[0].saving, 2000);
    assert_int_equal(r.plans[0].kind, BL_MG_PLAN_BEST);
    bl_arena_release(&a);
}

/* E: handling +5 days for orders from day 105 (free); R: a backup channel from day 101,
 * 2.00 more freight an order. */
static void late_levers(struct bl_mg_lever *l)
{
    l[0] = lever(BL_MG_EXTEND_HANDLING, 0, 105, 0, 0);
    l[0].days = 5;
    l[1] = lever(BL_MG_REROUTE, 0, 101, 200, 0);
    l[1].target = 3;
}

static void test_search_late(void **state)
{
    (void)state;
    struct bl_mg_problem p = late();
    struct bl_mg_lever l[2];
    late_levers(l);
    struct bl_mg_input in = {&p, 1, l, 2, 0, NULL};
    struct bl_arena a = BL_ARENA_INIT;
    struct bl_mg_result r;
    struct bl_diag d;
    assert_int_equal(bl_mg_search(&in, &a, &r, &d), BL_OK);
    assert_int_equal(r.baseline, 100000); /* 200 coupons of 5.00 */
    assert_int_equal(r.nplans, 3);
    /* best: handling from day 105 (150 orders on time), the 40 orders of days 101..104
     * rerouted (80.00); the 10 of day 100 still late (50.00) */
    assert_int_equal(r.plans[0].kind, BL_MG_PLAN_BEST);
    assert_int_equal(r.plans[0].total, 8000 + 5000);
    assert_int_equal(r.plans[0].steps[0].lever, 0);
    assert_int_equal(r.plans[0].steps[0].saving, 75000);
    assert_int_equal(r.plans[0].steps[1].units, 40);
    assert_int_equal(r.plans[0].steps[1].cost, 8000);
    assert_int_equal(r.plans[0].steps[1].saving, 20000);
    assert_int_equal(r.plans[1].kind, BL_MG_PLAN_FREE); /* handling alone: 50 late */
    assert_int_equal(r.plans[1].total, 25000);
    assert_int_equal(r.plans[2].kind, BL_MG_PLAN_NOTHING);
    /* a delay of 6 days does not fit in 5: the handling lever saves nothing */
    p.days_late = 6;
    assert_int_equal(bl_mg_search(&in, &a, &r, &d), BL_OK);
    assert_int_equal(r.plans[0].total, 190 * 200 + 10 * 500);
    assert_int_equal(r.plans[0].nsteps, 1);
    bl_arena_release(&a);
}

/* The what-if's reroute (whatif_mitigate_reroute.c): every order the events hold on the
 * suspended channel pays the freight over the usual, the coupons saved are the late
 * ones', so the lever's price a late order is freight x held / late. 40 held orders of
 * which 20 are late (5.00 coupon each, placed over days 100..119), days from 100:
 * at 2.00 more an order the 40 cost 80.00 against 100.00 of coupons (rerouted); at 3.00
 * more (120.00) it cannot pay: doing nothing is best. */
static void test_reroute_costing(void **state)
{
    (void)state;
    struct bl_mg_problem p = {BL_MG_LATE, -1, -1, 0, -1, 100, 120, 20, 500, 0, 30};
    struct bl_mg_lever l = lever(BL_MG_REROUTE, 0, 100, 200 * 40 / 20, 0);
    l.target = 1;
    struct bl_mg_input in = {&p, 1, &l, 1, 0, NULL};
    struct bl_arena a = BL_ARENA_INIT;
    struct bl_mg_result r;
    struct bl_diag d;
    assert_int_equal(bl_mg_search(&in, &a, &r, &d), BL_OK);
    assert_int_equal(r.baseline, 10000);
    assert_int_equal(r.plans[0].kind, BL_MG_PLAN_BEST);
    assert_int_equal(r.plans[0].nsteps, 1);
    assert_int_equal(r.plans[0].steps[0].cost, 8000); /* 40 held orders x 2.00 */
    assert_int_equal(r.plans[0].steps[0].saving, 10000);
    assert_int_equal(r.plans[0].total, 8000);
    l.unit_cost = 300 * 40 / 20; /* 120.00 for 100.00 of coupons */
    assert_int_equal(bl_mg_search(&in, &a, &r, &d), BL_OK);
    assert_int_equal(r.plans[0].kind, BL_MG_PLAN_NOTHING);
    assert_int_equal(r.plans[0].total, 10000);
    bl_arena_release(&a);
}

/* A simulation that finds any plan leaves 300.00 of coupons (and nothing leaves 1000.00). */
static int fake_sim(void *ctx, const struct bl_mg_step *steps, size_t n, int64_t *left,
                    struct bl_diag *d)
{
    (void)steps;
    (void)d;
    (*(int *)ctx)++;
    left[0] = n ? 30000 : 100000;
    return BL_OK;
}

static void test_measured(void **state)
{
    (void)state;
    struct bl_mg_problem p = late();
    struct bl_mg_lever l[2];
    late_levers(l);
    int calls = 0;
    struct bl_mg_measure m = {fake_sim, &calls};
    struct bl_mg_input in = {&p, 1, l, 2, 0, &m};
    struct bl_arena a = BL_ARENA_INIT;
    struct bl_mg_result r;
    struct bl_diag d;
    assert_int_equal(bl_mg_search(&in, &a, &r, &d), BL_OK);
    assert_int_equal(calls, 3); /* nothing, best, free */
    /* measured: the free plan (0 + 300.00) now beats the best (80.00 + 300.00) */
    assert_int_equal(r.plans[0].kind, BL_MG_PLAN_FREE);
    assert_true(r.plans[0].measured);
    assert_int_equal(r.plans[0].total, 30000);
    assert_int_equal(r.plans[1].kind, BL_MG_PLAN_BEST);
    assert_int_equal(r.plans[1].total, 38000);
    /* the 700.00 measured saving shared as estimated (750.00 : 200.00) */
    assert_int_equal(r.plans[1].steps[0].saving, 55263);
    assert_int_equal(r.plans[1].steps[1].saving, 70000 - 55263);
    bl_arena_release(&a);
}

static void test_bad_input(void **state)
{
    (void)state;
    struct bl_mg_problem p[2] = {late(), stockout(0)};
    struct bl_mg_lever l = lever(BL_MG_TRANSFER, 0, 101, 1, 0); /* supply on a late problem */
    struct bl_mg_input in = {p, 2, &l, 1, 0, NULL};
    struct bl_arena a = BL_ARENA_INIT;
    struct bl_mg_result r;
    struct bl_diag d;
    assert_int_equal(bl_mg_search(&in, &a, &r, &d), BL_EINVAL);
    l.problem = 2;
    assert_int_equal(bl_mg_search(&in, &a, &r, &d), BL_EINVAL);
    l.problem = 1;
    p[1].units = INT64_MAX / 2; /* times 3.00 does not fit */
    assert_int_equal(bl_mg_search(&in, &a, &r, &d), BL_EOVERFLOW);
    p[1].units = 5;
    p[1].from_day = 200; /* after its end */
    assert_int_equal(bl_mg_search(&in, &a, &r, &d), BL_EINVAL);
    assert_string_equal(bl_mg_kind_name(BL_MG_REROUTE), "reroute");
    assert_string_equal(bl_mg_plan_name(BL_MG_PLAN_SUPPLY), "supply");
    assert_string_equal(bl_mg_kind_name(BL_MG_NKINDS), "?");
    bl_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_estimate_supply), cmocka_unit_test(test_search_supply),
        cmocka_unit_test(test_promotion),       cmocka_unit_test(test_search_late),
        cmocka_unit_test(test_measured),        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_reroute_costing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
