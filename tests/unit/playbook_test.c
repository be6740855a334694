/* playbook_test.c - actions from the plan and disruptions, reverts on restock, and
 * idempotency (the actions' own result gives no new action). */
#include <string.h>

#include "testutil.h"
#include "ballast/playbook.h"

#define DAY0 20000

static struct bl_rp_plan plan_of(int64_t available, double d, int64_t stockout, int64_t restock,
                                 bool unavoidable)
{
    struct bl_rp_plan p;
    memset(&p, 0, sizeof(p));
    p.available = available;
    p.on_hand = available;
    p.daily_mean = d;
    p.stockout_day = stockout;
    p.restock_day = restock;
    p.stockout_unavoidable = unavoidable;
    return p;
}

struct world {
    struct bl_rp_plan plans[2];
    struct bl_pb_sku skus[2];
    struct bl_pb_shop shops[2];
    struct bl_rp_disruption dis[1];
    struct bl_pb_open open[16];
    size_t nopen;
    struct bl_pb_input in;
    struct bl_arena a;
    struct bl_pb_action *acts;
    size_t nacts;
};

static void setup_world(struct world *w)
{
    memset(w, 0, sizeof(*w));
    w->plans[0] = plan_of(0, 2, DAY0, DAY0 + 10, true);
    w->plans[1] = plan_of(500, 2, DAY0 + 250, BL_RP_NEVER, false);
    for (int k = 0; k < 2; k++) {
        w->skus[k].listing = BL_PB_ACTIVE;
        w->skus[k].promoted = true;
        w->skus[k].handling_max = 3;
    }
    w->shops[0].merchant = true;
    w->shops[1].merchant = false;
    w->in.as_of = DAY0;
    bl_pb_policy_init(&w->in.policy);
    w->in.plans = w->plans;
    w->in.skus = w->skus;
    w->in.nskus = 2;
    w->in.shops = w->shops;
    w->in.nshops = 2;
    w->in.open = w->open;
}

static void run(struct world *w)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    w->in.nopen = w->nopen;
    BL_ASSERT_OK(bl_pb_run(&w->in, &w->a, &w->acts, &w->nacts, &d), &d);
}

/* What the shell does with --apply: apply or propose each action, update the state. */
static void apply_all(struct world *w)
{
    for (size_t i = 0; i < w->nacts; i++) {
        const struct bl_pb_action *x = &w->acts[i];
        if (x->op == BL_PB_NEW) {
            struct bl_pb_open *o = &w->open[w->nopen++];
            o->id = (int64_t)w->nopen;
            o->kind = x->kind;
            o->target = x->target;
            o->state = x->mode == BL_PB_APPLY ? BL_PB_APPLIED : BL_PB_PROPOSED;
            o->before = x->before;
            o->after = x->after;
        } else {
            for (size_t j = 0; j < w->nopen; j++)
                if (w->open[j].id == x->open_id) {
                    w->open[j] = w->open[--w->nopen];
                    break;
                }
        }
        if (x->op == BL_PB_WITHDRAW || (x->op == BL_PB_NEW && x->mode == BL_PB_PROPOSE))
            continue;
        if (x->shop) {
            w->shops[x->target].vacation = x->after != 0;
            continue;
        }
        struct bl_pb_sku *s = &w->skus[x->target];
        switch (x->kind) {
        case BL_PB_OUT_OF_STOCK:
        case BL_PB_DELIST:
            s->listing = x->after;
            break;
        case BL_PB_PAUSE_PROMOTION:
            s->promoted = x->after != 0;
            break;
        case BL_PB_PAUSE_MAIL:
            s->mail_paused = x->after != 0;
            break;
        case BL_PB_EXTEND_HANDLING:
        case BL_PB_HANDLING_UNTIL:
            s->handling_max = x->after;
            break;
        default:
            break;
        }
    }
}

static const struct bl_pb_action *find(const struct world *w, enum bl_pb_kind k, enum bl_pb_op op)
{
    for (size_t i = 0; i < w->nacts; i++)
        if (w->acts[i].kind == k && w->acts[i].op == op)
            return &w->acts[i];
    return NULL;
}

static void test_stockout_actions_and_revert(void **state)
{
    (void)state;
    struct world w;
    setup_world(&w);
    run(&w);
    /* SKU 0 is out with a restock in 10 days: out of stock, pause promotion and mail */
    assert_int_equal(w.nacts, 3);
    const struct bl_pb_action *x = find(&w, BL_PB_OUT_OF_STOCK, BL_PB_NEW);
    assert_non_null(x);
    assert_int_equal(x->target, 0);
    assert_int_equal(x->before, BL_PB_ACTIVE);
    assert_int_equal(x->after, BL_PB_OUT_OF_STOCK_L);
    assert_int_equal(x->mode, BL_PB_APPLY);
    assert_int_equal(x->restock_day, DAY0 + 10);
    assert_int_equal(x->why, BL_PB_WHY_NOTHING_SELLABLE);
    x = find(&w, BL_PB_PAUSE_PROMOTION, BL_PB_NEW);
    assert_non_null(x);
    assert_int_equal(x->before, 1);
    assert_int_equal(x->after, 0);
    assert_non_null(find(&w, BL_PB_PAUSE_MAIL, BL_PB_NEW));
    /* the shop still has SKU 1 in stock: no vacation */
    assert_null(find(&w, BL_PB_VACATION, BL_PB_NEW));

    apply_all(&w);
    assert_int_equal(w.skus[0].listing, BL_PB_OUT_OF_STOCK_L);
    assert_false(w.skus[0].promoted);
    /* idempotent: the same plan on the state the actions produced gives nothing */
    run(&w);
    assert_int_equal(w.nacts, 0);

    /* restock: every applied action is reverted to the value before it */
    w.plans[0] = plan_of(80, 2, DAY0 + 40, BL_RP_NEVER, false);
    run(&w);
    assert_int_equal(w.nacts, 3);
    x = find(&w, BL_PB_OUT_OF_STOCK, BL_PB_REVERT);
    assert_non_null(x);
    assert_int_equal(x->after, BL_PB_ACTIVE);
    assert_int_equal(x->why, BL_PB_WHY_RESTOCKED);
    assert_non_null(find(&w, BL_PB_PAUSE_PROMOTION, BL_PB_REVERT));
    apply_all(&w);
    assert_int_equal(w.skus[0].listing, BL_PB_ACTIVE);
    assert_true(w.skus[0].promoted);
    assert_false(w.skus[0].mail_paused);
    assert_int_equal(w.nopen, 0);
    run(&w);
    assert_int_equal(w.nacts, 0);
    bl_arena_release(&w.a);
}

static void test_delist_and_vacation(void **state)
{
    (void)state;
    struct world w;
    setup_world(&w);
    /* both SKUs out, no restock known: delist (proposed) and vacation (proposed) */
    w.plans[0] = plan_of(0, 2, DAY0, BL_RP_NEVER, true);
    w.plans[1] = plan_of(0, 0, BL_RP_NEVER, BL_RP_NEVER, false);
    run(&w);
    const struct bl_pb_action *x = find(&w, BL_PB_DELIST, BL_PB_NEW);
    assert_non_null(x);
    assert_int_equal(x->mode, BL_PB_PROPOSE);
    assert_int_equal(x->after, BL_PB_DELISTED);
    assert_null(find(&w, BL_PB_OUT_OF_STOCK, BL_PB_NEW));
    x = find(&w, BL_PB_VACATION, BL_PB_NEW);
    assert_non_null(x);
    assert_true(x->shop);
    assert_int_equal(x->target, 0); /* the merchant-fulfilled shop only */
    assert_int_equal(x->mode, BL_PB_PROPOSE);
    size_t n = w.nacts;
    apply_all(&w);
    assert_int_equal(w.skus[0].listing, BL_PB_ACTIVE); /* proposed, not applied */
    run(&w);
    assert_int_equal(w.nacts, 0); /* still proposed: nothing new */
    assert_true(n >= 4);

    /* a PO is now due in 5 days: the proposed delist is withdrawn, out_of_stock applied */
    w.plans[0].restock_day = DAY0 + 5;
    run(&w);
    assert_non_null(find(&w, BL_PB_DELIST, BL_PB_WITHDRAW));
    x = find(&w, BL_PB_OUT_OF_STOCK, BL_PB_NEW);
    assert_non_null(x);
    assert_int_equal(x->before, BL_PB_ACTIVE);
    apply_all(&w);
    run(&w);
    assert_int_equal(w.nacts, 0);

    /* with every kind applied, the vacation switches on and back off on restock */
    w.in.policy.mode[BL_PB_VACATION] = BL_PB_APPLY;
    for (size_t i = 0; i < w.nopen; i++)
        if (w.open[i].kind == BL_PB_VACATION)
            w.open[i] = w.open[--w.nopen];
    run(&w);
    apply_all(&w);
    assert_true(w.shops[0].vacation);
    assert_false(w.shops[1].vacation);
    w.plans[1].available = 3;
    run(&w);
    x = find(&w, BL_PB_VACATION, BL_PB_REVERT);
    assert_non_null(x);
    assert_int_equal(x->after, 0);
    apply_all(&w);
    assert_false(w.shops[0].vacation);
    bl_arena_release(&w.a);
}

static void test_extend_handling(void **state)
{
    (void)state;
    struct world w;
    setup_world(&w);
    w.plans[0] = plan_of(100, 2, DAY0 + 50, BL_RP_NEVER, false);
    static const char *const gd[] = {"CN-GD"};
    static const char *const two[] = {"CN-GD", "US-CA"};
    w.skus[0].regions = gd;
    w.skus[0].nregions = 1;
    w.skus[1].regions = two;
    w.skus[1].nregions = 2;
    w.dis[0] = (struct bl_rp_disruption){"CN", BL_RP_ORIGIN, -1, false, DAY0 - 3, DAY0 + 10};
    w.in.disruptions = w.dis;
    w.in.ndisruptions = 1;
    run(&w);
    /* SKU 0 ships only from the locked-down region; SKU 1 also from US-CA */
    assert_int_equal(w.nacts, 1);
    const struct bl_pb_action *x = find(&w, BL_PB_EXTEND_HANDLING, BL_PB_NEW);
    assert_non_null(x);
    assert_int_equal(x->target, 0);
    assert_int_equal(x->before, 3);
    assert_int_equal(x->after, 13);
    assert_int_equal(x->until_day, DAY0 + 10);
    apply_all(&w);
    assert_int_equal(w.skus[0].handling_max, 13);
    run(&w);
    assert_int_equal(w.nacts, 0);
    /* the lockdown lifted: back to 3 days */
    w.dis[0].end_day = DAY0;
    run(&w);
    x = find(&w, BL_PB_EXTEND_HANDLING, BL_PB_REVERT);
    assert_non_null(x);
    assert_int_equal(x->after, 3);
    apply_all(&w);
    assert_int_equal(w.skus[0].handling_max, 3);
    /* until further notice: extend_days */
    w.dis[0].end_day = BL_RP_NEVER;
    run(&w);
    x = find(&w, BL_PB_EXTEND_HANDLING, BL_PB_NEW);
    assert_non_null(x);
    assert_int_equal(x->after, 10);
    bl_arena_release(&w.a);
}

/* A what-if's handling hold (handling_until, proposed by `whatif --apply` and approved):
 * the playbook neither withdraws it when no disruption is declared nor extends on top of
 * it while one is; on its end day it reverts (withdraws a proposal), and a disruption still
 * in force then gets the playbook's own extension from the SKU's own handling time. Open
 * purchase orders and transfers are no business of the playbook's. */
static void test_handling_hold(void **state)
{
    (void)state;
    struct world w;
    setup_world(&w);
    w.plans[0] = plan_of(100, 2, DAY0 + 50, BL_RP_NEVER, false);
    static const char *const gd[] = {"CN-GD"};
    w.skus[0].regions = gd;
    w.skus[0].nregions = 1;
    w.skus[0].handling_max = 17;
    w.open[0] = (struct bl_pb_open){1, BL_PB_HANDLING_UNTIL, 0, BL_PB_APPLIED, 3, 17, DAY0 + 10};
    w.open[1] = (struct bl_pb_open){2, BL_PB_PURCHASE_ORDER, 1, BL_PB_APPLIED, 0, 100, 0};
    w.open[2] = (struct bl_pb_open){3, BL_PB_TRANSFER, 0, BL_PB_PROPOSED, 0, 40, 0};
    w.nopen = 3;
    run(&w);
    assert_int_equal(w.nacts, 0); /* no disruption declared: the hold stays */
    w.dis[0] = (struct bl_rp_disruption){"CN", BL_RP_ORIGIN, -1, false, DAY0 - 3, DAY0 + 15};
    w.in.disruptions = w.dis;
    w.in.ndisruptions = 1;
    run(&w);
    assert_int_equal(w.nacts, 0); /* declared now: no extension on top of the hold */
    /* its end day, the disruption still in force: the hold reverts to 3 days, and the
     * playbook's own extension starts from those 3 (3 + 5 days left = 8) */
    w.in.as_of = DAY0 + 10;
    run(&w);
    assert_int_equal(w.nacts, 2);
    const struct bl_pb_action *x = find(&w, BL_PB_HANDLING_UNTIL, BL_PB_REVERT);
    assert_non_null(x);
    assert_int_equal(x->open_id, 1);
    assert_int_equal(x->before, 17);
    assert_int_equal(x->after, 3);
    assert_int_equal(x->why, BL_PB_WHY_HOLD_ENDED);
    assert_int_equal(x->until_day, DAY0 + 10);
    assert_true(x == &w.acts[0]); /* first: the extension's field change comes after */
    x = find(&w, BL_PB_EXTEND_HANDLING, BL_PB_NEW);
    assert_non_null(x);
    assert_int_equal(x->before, 3);
    assert_int_equal(x->after, 8);
    apply_all(&w);
    assert_int_equal(w.skus[0].handling_max, 8);
    run(&w);
    assert_int_equal(w.nacts, 0);
    /* a proposed hold whose end day came is withdrawn, also beside an applied one on the
     * same SKU (a later what-if's), which holds on until its own end day */
    bl_arena_release(&w.a);
    setup_world(&w);
    w.skus[1].handling_max = 17;
    w.open[0] = (struct bl_pb_open){6, BL_PB_HANDLING_UNTIL, 1, BL_PB_APPLIED, 3, 17, DAY0 + 5};
    w.open[1] = (struct bl_pb_open){7, BL_PB_HANDLING_UNTIL, 1, BL_PB_PROPOSED, 3, 10, DAY0};
    w.nopen = 2;
    run(&w);
    assert_int_equal(w.nacts, 4); /* SKU 0's stock-out actions, and the withdrawal */
    x = find(&w, BL_PB_HANDLING_UNTIL, BL_PB_WITHDRAW);
    assert_non_null(x);
    assert_int_equal(x->open_id, 7);
    assert_int_equal(x->target, 1);
    assert_null(find(&w, BL_PB_HANDLING_UNTIL, BL_PB_REVERT));
    w.in.as_of = DAY0 + 5;
    w.nopen = 1;
    run(&w);
    x = find(&w, BL_PB_HANDLING_UNTIL, BL_PB_REVERT);
    assert_non_null(x);
    assert_int_equal(x->open_id, 6);
    assert_int_equal(x->after, 3);
    w.open[0] = (struct bl_pb_open){7, BL_PB_HANDLING_UNTIL, 1, BL_PB_PROPOSED, 3, 17, DAY0};
    w.nopen = 1;
    /* an end day out of range is refused */
    w.open[0].until = INT64_MAX;
    struct bl_diag d;
    bl_diag_clear(&d);
    w.in.nopen = 1;
    assert_int_equal(bl_pb_run(&w.in, &w.a, &w.acts, &w.nacts, &d), BL_EINVAL);
    bl_arena_release(&w.a);
}

/* Extreme stored values: a handling_max of INT64_MAX or 2^32 under a lockdown, a disruption
 * ending at the end of time, and shops whose SKUs' available units add up past 64 bits. */
static void test_extremes(void **state)
{
    (void)state;
    struct world w;
    setup_world(&w);
    w.plans[0] = plan_of(100, 2, DAY0 + 50, BL_RP_NEVER, false);
    static const char *const gd[] = {"CN-GD"};
    w.skus[0].regions = gd;
    w.skus[0].nregions = 1;
    w.skus[0].handling_max = INT64_MAX;
    w.dis[0] = (struct bl_rp_disruption){"CN", BL_RP_ORIGIN, -1, false, DAY0 - 3, INT64_MAX - 1};
    w.in.disruptions = w.dis;
    w.in.ndisruptions = 1;
    run(&w); /* no wrap: already longer than any cap, nothing to extend */
    assert_null(find(&w, BL_PB_EXTEND_HANDLING, BL_PB_NEW));
    w.skus[0].handling_max = INT64_C(1) << 32;
    run(&w);
    assert_null(find(&w, BL_PB_EXTEND_HANDLING, BL_PB_NEW));
    w.skus[0].handling_max = 3; /* the end of time is capped at handling_cap */
    run(&w);
    const struct bl_pb_action *x = find(&w, BL_PB_EXTEND_HANDLING, BL_PB_NEW);
    assert_non_null(x);
    assert_int_equal(x->after, w.in.policy.handling_cap);
    /* two SKUs at INT64_MAX each in a merchant shop: refused naming the shop */
    w.plans[0] = plan_of(INT64_MAX, 0, BL_RP_NEVER, BL_RP_NEVER, false);
    w.plans[1] = plan_of(INT64_MAX, 0, BL_RP_NEVER, BL_RP_NEVER, false);
    w.shops[0].id = "shop-a";
    w.in.ndisruptions = 0;
    struct bl_diag d;
    bl_diag_clear(&d);
    assert_int_equal(bl_pb_run(&w.in, &w.a, &w.acts, &w.nacts, &d), BL_EOVERFLOW);
    assert_non_null(strstr(d.msg, "shop 'shop-a'"));
    /* policy days that would wrap as_of + days */
    w.plans[1] = plan_of(1, 0, BL_RP_NEVER, BL_RP_NEVER, false);
    w.in.policy.pause_days = INT64_MAX;
    assert_int_equal(bl_pb_run(&w.in, &w.a, &w.acts, &w.nacts, &d), BL_EINVAL);
    w.in.policy.pause_days = -1;
    assert_int_equal(bl_pb_run(&w.in, &w.a, &w.acts, &w.nacts, &d), BL_EINVAL);
    bl_arena_release(&w.a);
}

static void test_names(void **state)
{
    (void)state;
    enum bl_pb_kind k;
    for (int i = 0; i < BL_PB_NKINDS; i++) {
        assert_int_equal(bl_pb_kind_parse(bl_pb_kind_name((enum bl_pb_kind)i), &k), BL_OK);
        assert_int_equal(k, i);
    }
    assert_int_equal(bl_pb_kind_parse("nope", &k), BL_EINVAL);
    int64_t v;
    assert_int_equal(bl_pb_listing_parse("delisted", &v), BL_OK);
    assert_int_equal(v, BL_PB_DELISTED);
    assert_string_equal(bl_pb_state_name(BL_PB_REVERTED), "reverted");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stockout_actions_and_revert),
        cmocka_unit_test(test_delist_and_vacation),
        cmocka_unit_test(test_extend_handling),
        cmocka_unit_test(test_handling_hold),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_extremes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
