/* notify_test.c - the outbox planner: which order gets which message, idempotency
 * keys, locale fallback, approval policy, campaigns once per customer. */
#include <string.h>

#include "testutil.h"
#include "ballast/alloc.h"
#include "ballast/notify.h"

static const char *const packs[] = {"en", "zh-CN"};

static void test_locale_fallback(void **state)
{
    (void)state;
    assert_string_equal(bl_notify_locale(packs, 2, "zh-CN"), "zh-CN");
    assert_string_equal(bl_notify_locale(packs, 2, "zh_CN.UTF-8"), "zh-CN");
    assert_string_equal(bl_notify_locale(packs, 2, "zh-Hans-CN"), "zh-CN");
    assert_string_equal(bl_notify_locale(packs, 2, "zh"), "zh-CN");
    assert_string_equal(bl_notify_locale(packs, 2, "ZH-tw"), "zh-CN"); /* same language */
    assert_string_equal(bl_notify_locale(packs, 2, "pt-BR"), "en");
    assert_string_equal(bl_notify_locale(packs, 2, "en-US"), "en");
    assert_string_equal(bl_notify_locale(packs, 2, ""), "en");
    assert_string_equal(bl_notify_locale(packs, 2, NULL), "en");
    assert_string_equal(bl_notify_locale(packs, 2, "-"), "en");
}

struct plan {
    struct bl_arena a;
    struct bl_notify_plan *p;
    size_t n;
};

static void run(struct bl_notify_input *in, struct plan *pl)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    bl_arena_init(&pl->a, 0);
    in->locales = packs;
    in->nlocales = 2;
    BL_ASSERT_OK(bl_notify_plan(in, &pl->a, &pl->p, &pl->n, &d), &d);
}

static void test_rules_and_keys(void **state)
{
    (void)state;
    struct bl_notify_order o[] = {
        {11, "c1", "zh-CN", BL_NF_MISS_SHIP, 0, 0},                              /* late */
        {12, "c2", "en", BL_NF_MISS_SHIP | BL_NF_COUPON, 0, 0},                  /* + coupon */
        {13, "c3", "pt-BR", BL_NF_MISS_SHIP | BL_NF_OUT_OF_STOCK, 0, 0},         /* oos wins */
        {14, "c4", NULL, BL_NF_SHIPPED | BL_NF_MISS_DELIVERY | BL_NF_COUPON, 0, 0}, /* 2 msgs */
        {15, "c5", "en", BL_NF_DISRUPTED, 0, 0},                                 /* heads-up */
        {16, "c6", "en", 0, 0, 0},                                               /* nothing */
        {17, "c7", "en", BL_NF_SHIPPED | BL_NF_DISRUPTED, 0, 0},                 /* nothing */
    };
    struct bl_notify_input in = {.orders = o, .norders = 7};
    struct plan pl;
    run(&in, &pl);
    const char *want[][3] = {
        {"late_shipment:11", "zh-CN", "0"},   {"late_shipment:12", "en", "1"},
        {"out_of_stock:13", "en", "0"},       {"late_delivery:14", "en", "0"},
        {"compensation_coupon:14", "en", "0"}, {"unshipped_order:15", "en", "0"},
    };
    assert_int_equal(pl.n, 6);
    for (size_t k = 0; k < pl.n; k++) {
        assert_string_equal(pl.p[k].idem, want[k][0]);
        assert_string_equal(pl.p[k].locale, want[k][1]);
        assert_int_equal(pl.p[k].with_coupon, want[k][2][0] == '1');
        assert_true(pl.p[k].approval); /* the default: a person approves */
        assert_int_equal(pl.p[k].campaign, -1);
    }
    assert_int_equal(pl.p[0].kind, BL_MSG_LATE_SHIPMENT);
    assert_int_equal(pl.p[3].order, 3);
    bl_arena_release(&pl.a);
}

static void test_idempotent_replan(void **state)
{
    (void)state;
    /* What the outbox already has is never planned again; a late-shipment notice
     * that told the coupon covers compensation_coupon. */
    struct bl_notify_order o[] = {
        {12, "c2", "en", BL_NF_MISS_SHIP | BL_NF_COUPON,
         BL_MSG_BIT(BL_MSG_LATE_SHIPMENT) | BL_MSG_BIT(BL_MSG_COMPENSATION_COUPON), 0},
        /* planned before the coupon existed: the coupon gets its own notice now */
        {18, "c8", "en", BL_NF_MISS_SHIP | BL_NF_COUPON, BL_MSG_BIT(BL_MSG_LATE_SHIPMENT), 0},
        /* the heads-up went out; now it is late: a new event, a new message */
        {19, "c9", "en", BL_NF_MISS_SHIP | BL_NF_DISRUPTED, BL_MSG_BIT(BL_MSG_UNSHIPPED_ORDER), 0},
    };
    struct bl_notify_input in = {.orders = o, .norders = 3};
    struct plan pl;
    run(&in, &pl);
    assert_int_equal(pl.n, 2);
    assert_string_equal(pl.p[0].idem, "compensation_coupon:18");
    assert_string_equal(pl.p[1].idem, "late_shipment:19");
    bl_arena_release(&pl.a);
}

/* Approval is the default for every kind; a shop's opt-in to auto-send one kind lets
 * only that kind of only its orders go by itself. */
static void test_approval_policy(void **state)
{
    (void)state;
    struct bl_notify_order o[] = {
        {1, "c1", "en", BL_NF_MISS_SHIP | BL_NF_COUPON, 0, BL_MSG_BIT(BL_MSG_LATE_SHIPMENT)},
        {2, "c2", "en", BL_NF_SHIPPED | BL_NF_COUPON, 0, BL_MSG_BIT(BL_MSG_LATE_SHIPMENT)},
        {3, "c3", "en", BL_NF_MISS_SHIP, 0, 0}, /* another shop: no opt-in */
    };
    struct bl_notify_input in = {.orders = o, .norders = 3};
    struct plan pl;
    run(&in, &pl);
    assert_int_equal(pl.n, 3);
    assert_string_equal(pl.p[0].idem, "late_shipment:1");
    assert_false(pl.p[0].approval);
    assert_string_equal(pl.p[1].idem, "compensation_coupon:2");
    assert_true(pl.p[1].approval);
    assert_string_equal(pl.p[2].idem, "late_shipment:3");
    assert_true(pl.p[2].approval);
    for (size_t i = 0; i < 3; i++)
        o[i].autosend = 0;
    struct plan all;
    run(&in, &all);
    for (size_t i = 0; i < all.n; i++)
        assert_true(all.p[i].approval);
    bl_arena_release(&pl.a);
    bl_arena_release(&all.a);
}

static bool has_key(void *ctx, const char *idem)
{
    return strcmp(idem, (const char *)ctx) == 0;
}

static void test_campaigns_once_per_customer(void **state)
{
    (void)state;
    struct bl_notify_order o[] = {
        {1, "c1", "zh-CN", BL_NF_DISRUPTED, BL_MSG_BIT(BL_MSG_UNSHIPPED_ORDER), 0},
        {2, "c1", "en", BL_NF_DISRUPTED, BL_MSG_BIT(BL_MSG_UNSHIPPED_ORDER), 0}, /* same buyer */
        {3, "c2", "en", 0, 0, 0},                                                /* not hit */
        {4, "", "en", BL_NF_DISRUPTED, BL_MSG_BIT(BL_MSG_UNSHIPPED_ORDER), 0},   /* no buyer id */
        {5, "c3", "en", BL_NF_SHIPPED | BL_NF_DISRUPTED, 0, 0},
    };
    struct bl_notify_campaign camp[] = {{BL_MSG_PROMO_CODE, "SORRY15"},
                                        {BL_MSG_SERVICE_RESUMED, "2020-02-10"}};
    struct bl_notify_input in = {.orders = o, .norders = 5, .campaigns = camp, .ncampaigns = 2,
                                 .has_key = has_key, .has_key_ctx = "promo_code:SORRY15:c3"};
    struct plan pl;
    run(&in, &pl);
    assert_int_equal(pl.n, 3);
    assert_string_equal(pl.p[0].idem, "promo_code:SORRY15:c1");
    assert_string_equal(pl.p[0].locale, "zh-CN"); /* the customer's first order's locale */
    assert_int_equal(pl.p[0].campaign, 0);
    assert_string_equal(pl.p[1].idem, "service_resumed:2020-02-10:c1");
    assert_string_equal(pl.p[2].idem, "service_resumed:2020-02-10:c3");
    assert_int_equal(pl.p[2].order, 4);
    bl_arena_release(&pl.a);
}

static void test_errors(void **state)
{
    (void)state;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_arena a;
    bl_arena_init(&a, 0);
    struct bl_notify_plan *p;
    size_t n;
    static const char *const zh[] = {"zh-CN"};
    struct bl_notify_input in = {.locales = zh, .nlocales = 1};
    assert_int_equal(bl_notify_plan(&in, &a, &p, &n, &d), BL_EINVAL);
    assert_non_null(strstr(d.msg, "(en)"));
    struct bl_notify_campaign bad = {BL_MSG_LATE_SHIPMENT, "x"};
    struct bl_notify_input in2 = {.locales = packs, .nlocales = 2, .campaigns = &bad,
                                  .ncampaigns = 1};
    assert_int_equal(bl_notify_plan(&in2, &a, &p, &n, &d), BL_EINVAL);
    /* out of memory is reported, not a crash */
    struct bl_notify_order o[] = {{1, "c1", "en", BL_NF_MISS_SHIP, 0, 0}};
    struct bl_notify_input in3 = {.orders = o, .norders = 1, .locales = packs, .nlocales = 2};
    bl_arena_release(&a);
    bl_alloc_fail_after(0);
    int rc = bl_notify_plan(&in3, &a, &p, &n, &d);
    bl_alloc_fail_after(-1);
    assert_int_equal(rc, BL_ENOMEM);
    bl_arena_release(&a);
    assert_int_equal(bl_msg_kind_from_name("promo_code"), BL_MSG_PROMO_CODE);
    assert_int_equal(bl_msg_kind_from_name("nope"), BL_MSG__COUNT);
    assert_null(bl_msg_kind_name(BL_MSG__COUNT));
}

static void test_order_facts(void **state)
{
    (void)state;
    const int64_t day = 86400, now = 100 * day;
    struct bl_notify_fact_in base = {.as_of = now, .lookahead = day, .since = BL_NO_TIME,
                                     .coupon_at = BL_NO_TIME, .ship_by = now + 2 * day,
                                     .promised = now + 9 * day, .has_customer = true,
                                     .resume = BL_NO_TIME, .dest_ends = BL_NO_TIME};
    bool lost = true;
    struct bl_notify_fact_in f = base;
    assert_int_equal(bl_notify_facts(&f, &lost, NULL), 0);
    assert_false(lost);
    f.ship_by = now; /* passed */
    assert_int_equal(bl_notify_facts(&f, NULL, NULL), BL_NF_MISS_SHIP);
    f = base; /* soon, and the origin stays disrupted past it: cannot make it */
    f.ship_by = now + day / 2;
    f.origin_hit = true;
    f.resume = now + 5 * day;
    assert_int_equal(bl_notify_facts(&f, NULL, NULL), BL_NF_MISS_SHIP | BL_NF_DISRUPTED);
    f.ship_by = now + 2 * day; /* beyond the horizon: only a heads-up */
    assert_int_equal(bl_notify_facts(&f, NULL, NULL), BL_NF_DISRUPTED);
    f = base;
    f.out_of_stock = true;
    f.coupon = true;
    assert_int_equal(bl_notify_facts(&f, NULL, NULL), BL_NF_OUT_OF_STOCK | BL_NF_COUPON);
    f.shipped = true; /* shipped: stock no longer matters, delivery does */
    f.promised = now;
    assert_int_equal(bl_notify_facts(&f, NULL, NULL), BL_NF_SHIPPED | BL_NF_COUPON |
                                                    BL_NF_MISS_DELIVERY);
    f = base;
    f.shipped = true;
    f.promised = now + day / 2;
    f.dest_hit = true;
    f.dest_ends = now + 3 * day;
    assert_int_equal(bl_notify_facts(&f, NULL, NULL),
                     BL_NF_SHIPPED | BL_NF_DISRUPTED | BL_NF_MISS_DELIVERY);
    f.has_customer = false; /* nobody to write to */
    assert_int_equal(bl_notify_facts(&f, &lost, NULL), 0);
    assert_true(lost);
    f = base;
    f.has_customer = false;
    assert_int_equal(bl_notify_facts(&f, &lost, NULL), 0);
    assert_false(lost);
}

/* The horizon: an order whose promise fell before it is never apologised to (nor
 * warned of a disruption); a recent coupon still is told. */
static void test_horizon(void **state)
{
    (void)state;
    const int64_t day = 86400, now = 100 * day;
    struct bl_notify_fact_in f = {.as_of = now, .lookahead = day, .since = now - 3 * day,
                                  .coupon_at = BL_NO_TIME, .ship_by = now - 2 * day,
                                  .promised = now + 5 * day, .has_customer = true,
                                  .resume = BL_NO_TIME, .dest_ends = BL_NO_TIME};
    bool old = true;
    assert_int_equal(bl_notify_facts(&f, NULL, &old), BL_NF_MISS_SHIP); /* 2 days ago */
    assert_false(old);
    f.ship_by = now - 3 * day; /* the horizon's first instant is inside */
    assert_int_equal(bl_notify_facts(&f, NULL, &old), BL_NF_MISS_SHIP);
    f.ship_by = now - 3 * day - 1;
    assert_int_equal(bl_notify_facts(&f, NULL, &old), 0);
    assert_true(old);
    f.origin_hit = true; /* an old order under a new disruption: no heads-up either */
    f.out_of_stock = true;
    assert_int_equal(bl_notify_facts(&f, NULL, &old), 0);
    assert_true(old);
    f.coupon = true; /* a coupon issued yesterday is news */
    f.coupon_at = now - day;
    assert_int_equal(bl_notify_facts(&f, NULL, &old), BL_NF_COUPON);
    f.coupon_at = now - 60 * day;
    assert_int_equal(bl_notify_facts(&f, NULL, &old), 0);
    f = (struct bl_notify_fact_in){.as_of = now, .lookahead = day, .since = now - 3 * day,
                                   .coupon_at = BL_NO_TIME, .ship_by = now - 40 * day,
                                   .promised = now - 30 * day, .shipped = true,
                                   .has_customer = true, .resume = BL_NO_TIME,
                                   .dest_ends = BL_NO_TIME};
    assert_int_equal(bl_notify_facts(&f, NULL, &old), BL_NF_SHIPPED); /* a month late */
    assert_true(old);
    f.promised = now - day;
    assert_int_equal(bl_notify_facts(&f, NULL, &old), BL_NF_SHIPPED | BL_NF_MISS_DELIVERY);
    assert_false(old);
    f.since = BL_NO_TIME; /* no horizon: every event */
    f.promised = now - 30 * day;
    assert_int_equal(bl_notify_facts(&f, NULL, &old), BL_NF_SHIPPED | BL_NF_MISS_DELIVERY);
}

static void test_when(void **state)
{
    (void)state;
    const int64_t day = 86400, now = 100 * day;
    struct bl_notify_when w;
    bl_notify_when(now, now - day, now + 9 * day, BL_NO_TIME, false, BL_NO_TIME, BL_NO_TIME, &w);
    assert_int_equal(w.ship, now + day); /* not before tomorrow */
    assert_int_equal(w.span, 10 * day);
    assert_int_equal(w.slack, 5 * day);
    assert_int_equal(w.redelivery, now + day);
    bl_notify_when(now, BL_NO_TIME, now, now + 20 * day, false, BL_NO_TIME, now + 4 * day, &w);
    assert_int_equal(w.ship, now + 20 * day); /* after the disruption over its origin */
    assert_int_equal(w.span, 7 * day);
    assert_int_equal(w.slack, 7 * day / 2);
    assert_int_equal(w.redelivery, now + 4 * day);
    bl_notify_when(now, now, now + 2 * day, now + 3 * day, true, BL_NO_TIME, BL_NO_TIME, &w);
    assert_int_equal(w.ship, now + 14 * day); /* no restock known: two weeks */
    assert_int_equal(w.slack, 2 * day);
    bl_notify_when(now, now, now + 2 * day, now + 3 * day, true, now + 5 * day, BL_NO_TIME, &w);
    assert_int_equal(w.ship, now + 5 * day);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_locale_fallback),
        cmocka_unit_test(test_rules_and_keys),
        cmocka_unit_test(test_idempotent_replan),
        cmocka_unit_test(test_approval_policy),
        cmocka_unit_test(test_campaigns_once_per_customer),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_order_facts),
        cmocka_unit_test(test_horizon),
        cmocka_unit_test(test_when),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
