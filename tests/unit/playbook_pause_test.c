/* playbook_pause_test.c - a what-if's promotion pause (promotion_until, proposed by
 * `whatif --apply` and approved): the playbook leaves the SKU's promotion alone while it
 * holds (no pause_promotion opened or reverted under it), reverts it on its end day (and
 * opens its own pause then when a stock-out is ahead), withdraws a proposal on its end
 * day. */
#include <string.h>

#include "testutil.h"
#include "ballast/playbook.h"

#define DAY0 20000

struct world {
    struct bl_rp_plan plan;
    struct bl_pb_sku sku;
    struct bl_pb_open open[2];
    struct bl_pb_input in;
    struct bl_arena a;
    struct bl_pb_action *acts;
    size_t nacts;
};

/* One SKU, paused by the what-if (promoted 1 -> 0) until DAY0 + 10; available stock
 * `available`, a stock-out ahead when `short_soon`. */
static void setup(struct world *w, int64_t available, bool short_soon)
{
    memset(w, 0, sizeof(*w));
    w->plan.available = w->plan.on_hand = available;
    w->plan.daily_mean = 2;
    w->plan.stockout_day = short_soon ? DAY0 + 3 : BL_RP_NEVER;
    w->plan.restock_day = BL_RP_NEVER;
    w->plan.stockout_unavoidable = short_soon;
    w->sku.listing = BL_PB_ACTIVE;
    w->sku.promoted = false; /* the approval cleared it */
    w->sku.mail_paused = true;
    w->sku.handling_max = 3;
    w->open[0] = (struct bl_pb_open){1, BL_PB_PROMOTION_UNTIL, 0, BL_PB_APPLIED, 1, 0, DAY0 + 10};
    w->in.as_of = DAY0;
    bl_pb_policy_init(&w->in.policy);
    w->in.plans = &w->plan;
    w->in.skus = &w->sku;
    w->in.nskus = 1;
    w->in.open = w->open;
    w->in.nopen = 1;
}

static void run(struct world *w)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_pb_run(&w->in, &w->a, &w->acts, &w->nacts, &d), &d);
}

static const struct bl_pb_action *find(const struct world *w, enum bl_pb_kind k, enum bl_pb_op op)
{
    for (size_t i = 0; i < w->nacts; i++)
        if (w->acts[i].kind == k && w->acts[i].op == op)
            return &w->acts[i];
    return NULL;
}

static void test_held_then_reverted(void **state)
{
    (void)state;
    struct world w;
    setup(&w, 100, false);
    run(&w);
    assert_int_equal(w.nacts, 0); /* no stock-out the playbook sees: the pause stays */
    w.in.as_of = DAY0 + 9;
    run(&w);
    assert_null(find(&w, BL_PB_PROMOTION_UNTIL, BL_PB_REVERT));
    w.in.as_of = DAY0 + 10; /* its end day: promoted again */
    run(&w);
    const struct bl_pb_action *x = find(&w, BL_PB_PROMOTION_UNTIL, BL_PB_REVERT);
    assert_non_null(x);
    assert_int_equal(x->open_id, 1);
    assert_int_equal(x->before, 0);
    assert_int_equal(x->after, 1);
    assert_int_equal(x->why, BL_PB_WHY_HOLD_ENDED);
    assert_int_equal(x->until_day, DAY0 + 10);
    assert_null(find(&w, BL_PB_PAUSE_PROMOTION, BL_PB_NEW));
    bl_arena_release(&w.a);
}

static void test_stockout_under_and_after(void **state)
{
    (void)state;
    struct world w;
    setup(&w, 0, true);
    /* the playbook's own applied pause from before, stock short: neither a second pause
     * nor a revert of its own while the what-if's holds */
    w.open[1] = (struct bl_pb_open){2, BL_PB_PAUSE_PROMOTION, 0, BL_PB_APPLIED, 1, 0, 0};
    w.in.nopen = 2;
    w.plan.available = 50; /* stock back: its own pause would revert, not under the hold */
    w.plan.on_hand = 50;
    w.plan.stockout_unavoidable = false;
    w.plan.stockout_day = BL_RP_NEVER;
    run(&w);
    assert_null(find(&w, BL_PB_PAUSE_PROMOTION, BL_PB_REVERT));
    assert_null(find(&w, BL_PB_PAUSE_PROMOTION, BL_PB_NEW));
    bl_arena_release(&w.a);
    /* on its end day with a stock-out ahead: reverted, and the playbook's own pause
     * opened from the flag the revert leaves (1 -> 0) */
    setup(&w, 0, true);
    w.in.as_of = DAY0 + 10;
    w.plan.stockout_day = DAY0 + 12;
    run(&w);
    const struct bl_pb_action *r = find(&w, BL_PB_PROMOTION_UNTIL, BL_PB_REVERT);
    const struct bl_pb_action *p = find(&w, BL_PB_PAUSE_PROMOTION, BL_PB_NEW);
    assert_non_null(r);
    assert_non_null(p);
    assert_true(r < p); /* the revert first: the pause's field change comes after */
    assert_int_equal(p->before, 1);
    assert_int_equal(p->after, 0);
    bl_arena_release(&w.a);
}

static void test_proposed_withdrawn(void **state)
{
    (void)state;
    struct world w;
    setup(&w, 100, false);
    w.open[0].state = BL_PB_PROPOSED;
    w.sku.promoted = true;
    w.in.as_of = DAY0 + 9;
    run(&w);
    assert_int_equal(w.nacts, 0); /* not withdrawn: the playbook does not see the rumour */
    w.in.as_of = DAY0 + 10;
    run(&w);
    assert_int_equal(w.nacts, 1);
    const struct bl_pb_action *x = find(&w, BL_PB_PROMOTION_UNTIL, BL_PB_WITHDRAW);
    assert_non_null(x);
    assert_int_equal(x->open_id, 1);
    assert_int_equal(x->why, BL_PB_WHY_HOLD_ENDED);
    /* an end day out of range is refused */
    w.open[0].until = INT64_MAX;
    struct bl_diag d;
    bl_diag_clear(&d);
    assert_int_equal(bl_pb_run(&w.in, &w.a, &w.acts, &w.nacts, &d), BL_EINVAL);
    assert_string_equal(bl_pb_kind_name(BL_PB_PROMOTION_UNTIL), "promotion_until");
    bl_arena_release(&w.a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_held_then_reverted),
        cmocka_unit_test(test_stockout_under_and_after),
        cmocka_unit_test(test_proposed_withdrawn),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
