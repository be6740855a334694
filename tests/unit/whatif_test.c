/* whatif_test.c - the what-if (ballast/whatif.h): the assumption file's events and its
 * errors (file, line, column, what was expected), and the engine's pass over a small
 * snapshot: the same input gives the same result, a hypothetical disruption exempts what
 * a declared one exempts, held and late orders per shop and channel, stock-outs that a
 * demand shock brings earlier, coupons per currency. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "ballast/disruption.h"
#include "ballast/profile.h"
#include "ballast/time.h"
#include "ballast/whatif.h"

#define HEAD                                                                                       \
    "event,region,scope,kind,starts_at,ends_at,channel,supplier,sku,category,"                     \
    "lead_days,change_pct,note\n"

static void refused(const char *csv, int64_t line, const char *field, const char *says)
{
    struct bl_wi_assume a;
    struct bl_diag d;
    int rc = bl_wi_assume_parse(csv, strlen(csv), "t.csv", NULL, &a, &d);
    if (rc == BL_OK || d.line != line || strcmp(d.field, field) != 0 || !strstr(d.msg, says) ||
        strcmp(d.file, "t.csv") != 0)
        fail_msg("expected %s line %lld field '%s' saying '%s'; got rc %d: %s:%lld %s: %s", csv,
                 (long long)line, field, says, rc, d.file, (long long)d.line, d.field, d.msg);
    assert_null(a.ev);
    assert_int_equal(a.n, 0);
}

static int64_t at(int y, int m, int d)
{
    return bl_days_from_civil(y, m, d) * BL_DAY_SECS;
}

static void test_events(void **state)
{
    (void)state;
    const char *csv =
        HEAD "disruption,CN-ZJ:322,origin,lockdown,2024-11-16,2024-11-30,,,,,,,rumour\n"
             "supplier_shutdown,,,,2024-11-16T00:00:00+08:00,,,sup-1,,,,,\n"
             "lead_time,,,,2024-11-20,,,sup-2,,,21,,\n"
             "channel_suspension,CN,,,2024-11-16,2024-11-18,ch-1,,,,,,\n"
             "channel_price,,,,2024-11-16,,ch-2,,,,,+12.5,\n"
             "demand,,,,2024-11-16,2024-11-30,,,,Home,,+40,panic buying\n"
             "demand,,,,2024-11-16,2024-11-30,,,sku-9,,,-25,\n";
    struct bl_wi_assume a;
    struct bl_diag d;
    BL_ASSERT_OK(bl_wi_assume_parse(csv, strlen(csv), "t.csv", NULL, &a, &d), &d);
    assert_int_equal(a.n, 7);
    assert_int_equal(a.ev[0].kind, BL_WI_DISRUPTION);
    assert_string_equal(a.ev[0].region, "CN-ZJ:322");
    assert_int_equal(a.ev[0].scope, BL_DIS_ORIGIN);
    assert_int_equal(a.ev[0].dis_kind, BL_DIS_LOCKDOWN);
    assert_int_equal(a.ev[0].from, at(2024, 11, 16));
    assert_int_equal(a.ev[0].to, at(2024, 11, 30));
    assert_string_equal(a.ev[0].note, "rumour");
    assert_int_equal(a.ev[0].line, 2);
    assert_int_equal(a.ev[1].from, at(2024, 11, 15) + 16 * 3600);
    assert_true(bl_dis_open_end(a.ev[1].to));
    assert_string_equal(a.ev[1].supplier, "sup-1");
    assert_int_equal(a.ev[2].lead_days, 21);
    assert_string_equal(a.ev[3].channel, "ch-1");
    assert_int_equal(a.ev[4].pct_bp, 1250);
    assert_string_equal(a.ev[5].category, "Home");
    assert_null(a.ev[5].sku);
    assert_int_equal(a.ev[5].pct_bp, 4000);
    assert_int_equal(a.ev[6].pct_bp, -2500);
    bl_wi_assume_release(&a);
}

static void test_errors(void **state)
{
    (void)state;
    refused("", 0, "", "empty");
    refused(HEAD, 0, "", "no events");
    refused("event,starts_at,colour\n", 1, "", "unknown column \"colour\"");
    refused("region,starts_at\n", 1, "event", "missing column");
    refused(HEAD "flood,,,,2024-11-16,,,,,,,,\n", 2, "event", "\"flood\": expected disruption");
    refused(HEAD "disruption,,origin,lockdown,2024-11-16,,,,,,,,\n", 2, "region",
            "a disruption needs it");
    refused(HEAD "disruption,CN,inside,lockdown,2024-11-16,,,,,,,,\n", 2, "scope",
            "expected origin, destination or both");
    refused(HEAD "disruption,CN,origin,plague,2024-11-16,,,,,,,,\n", 2, "kind",
            "\"plague\": expected lockdown");
    refused(HEAD "disruption,CN,origin,lockdown,2024-11-16,2024-11-10,,,,,,,\n", 2, "ends_at",
            "ends at or before it starts");
    refused(HEAD "disruption,CN,origin,lockdown,2024-11-16,,,,,,,+40,\n", 2, "change_pct",
            "a disruption does not use this column");
    refused(HEAD "disruption,CN,origin,lockdown,16/11/2024,,,,,,,,\n", 2, "starts_at",
            "\"16/11/2024\"");
    refused(HEAD "demand,,,,2024-11-16,2024-11-30,,,,,,+40,\n", 2, "sku", "a sku or a category");
    refused(HEAD "demand,,,,2024-11-16,2024-11-30,,,a,b,,+40,\n", 2, "sku", "a sku or a category");
    refused(HEAD "demand,,,,2024-11-16,,,,a,,,+40,\n", 2, "ends_at", "a demand needs it");
    refused(HEAD "demand,,,,2024-11-16,2024-11-30,,,a,,,forty,\n", 2, "change_pct",
            "\"forty\": expected a percentage");
    refused(HEAD "demand,,,,2024-11-16,2024-11-30,,,a,,,-101,\n", 2, "change_pct",
            "expected a percentage");
    refused(HEAD "demand,,,,2024-11-16,2024-11-30,,,a,,,1.005,\n", 2, "change_pct", "two decimals");
    refused(HEAD "lead_time,,,,2024-11-16,,,s,,,366,,\n", 2, "lead_days", "0 to 365");
    refused(HEAD "lead_time,,,,2024-11-16,,,s,,,-3,,\n", 2, "lead_days", "0 to 365");
    refused(HEAD "channel_price,,,,2024-11-16,,,,,,,+5,\n", 2, "channel",
            "a channel_price needs it");
}

/* ---- the engine ----------------------------------------------------------------------- */

#define NO 60 /* orders */
#define DAYS INT64_C(86400)

struct fix {
    struct bl_arena a;
    struct bl_regions *reg;
    uint32_t zj, us, cn;
    struct bl_profile prof;
    uint32_t shop[NO], from[NO], to[NO];
    int64_t placed[NO], ship_by[NO], shipped[NO], picked[NO], delivered[NO], promised[NO],
        cancelled[NO], amount[NO];
    uint8_t cancel_by[NO], cur[NO];
    int32_t channel[NO];
    size_t off[2];
    struct bl_assess_orders o;
    char currencies[1][4];
    char shop_cur[1][4];
    int64_t balance[1];
    int32_t shop_prof[1];
    struct bl_assess_disruption hyp[1];
    struct bl_wi_input in;
};

/* One Temu shop shipping from Zhejiang to the US: an order a day for 60 days up to A, each
 * due two days after it is placed; those placed in the last 3 days are not shipped yet. */
static void fixture(struct fix *f, int64_t as_of)
{
    memset(f, 0, sizeof(*f));
    bl_arena_init(&f->a, 4096);
    f->reg = bl_regions_new(&f->a);
    assert_non_null(f->reg);
    assert_int_equal(bl_regions_intern(f->reg, bl_str_c("CN-ZJ"), &f->zj), BL_OK);
    assert_int_equal(bl_regions_intern(f->reg, bl_str_c("US"), &f->us), BL_OK);
    assert_int_equal(bl_regions_intern(f->reg, bl_str_c("CN"), &f->cn), BL_OK);
    struct bl_diag d;
    char dir[512];
    snprintf(dir, sizeof(dir), "%s/profiles",
             getenv("BL_SOURCE_DIR") ? getenv("BL_SOURCE_DIR") : ".");
    BL_ASSERT_OK(bl_profile_load(dir, "temu", &f->prof, &d), &d);
    for (int i = 0; i < NO; i++) {
        int64_t p = as_of - (int64_t)(NO - i) * DAYS + 3600;
        f->shop[i] = 0;
        f->from[i] = f->zj;
        f->to[i] = f->us;
        f->placed[i] = p;
        f->ship_by[i] = p + 2 * DAYS;
        f->promised[i] = p + 12 * DAYS;
        f->shipped[i] = i >= NO - 3 ? BL_NO_TIME : p + DAYS;
        f->picked[i] = i >= NO - 3 ? BL_NO_TIME : p + DAYS + 3600;
        f->delivered[i] = i >= NO - 10 ? BL_NO_TIME : p + 9 * DAYS;
        f->cancelled[i] = BL_NO_TIME;
        f->amount[i] = 2000;
        f->channel[i] = -1;
    }
    f->off[1] = NO;
    f->o = (struct bl_assess_orders){.n = NO,
                                     .shop = f->shop,
                                     .placed = f->placed,
                                     .ship_by = f->ship_by,
                                     .shipped = f->shipped,
                                     .picked_up = f->picked,
                                     .delivered = f->delivered,
                                     .promised = f->promised,
                                     .cancelled = f->cancelled,
                                     .cancel_by = f->cancel_by,
                                     .from = f->from,
                                     .to = f->to,
                                     .channel = f->channel,
                                     .by_shop = true,
                                     .shop_off = f->off};
    memcpy(f->currencies[0], "USD", 4);
    memcpy(f->shop_cur[0], "USD", 4);
    f->balance[0] = 100000;
    /* a lockdown of Zhejiang over the first five days of the horizon */
    f->hyp[0] = (struct bl_assess_disruption){.id = -2,
                                              .region = f->zj,
                                              .scope = BL_SCOPE_ORIGIN,
                                              .starts = as_of,
                                              .ends = as_of + 5 * DAYS,
                                              .channel = -1};
    f->in = (struct bl_wi_input){.as_of = as_of,
                                 .horizon = 14,
                                 .regions = f->reg,
                                 .orders = &f->o,
                                 .amount = f->amount,
                                 .cur = f->cur,
                                 .currencies = (const char(*)[4])f->currencies,
                                 .nshops = 1,
                                 .shop_currency = (const char(*)[4])f->shop_cur,
                                 .balance = f->balance,
                                 .profiles = &f->prof,
                                 .nprofiles = 1,
                                 .shop_profile = f->shop_prof,
                                 .hyp = f->hyp,
                                 .nhyp = 1};
}

static void test_engine_lockdown(void **state)
{
    (void)state;
    struct fix f;
    int64_t as_of = at(2024, 11, 16);
    fixture(&f, as_of);
    struct bl_wi_result r, r2;
    struct bl_diag d;
    BL_ASSERT_OK(bl_wi_run(&f.in, &r, &d), &d);
    /* nothing after A is known: the three pending orders and the projected ones are held */
    assert_true(r.projected > 0);
    assert_true(r.held_total >= 3);
    assert_true(r.late_ship_total[BL_WI_WITH] > r.late_ship_total[BL_WI_BASE]);
    assert_int_equal(r.nratings, 1);
    /* declared, the lockdown exempts what it holds; undeclared it counts against the shop */
    assert_true(r.ratings[0].k[BL_WI_WITH].exempt > r.ratings[0].k[BL_WI_BASE].exempt);
    assert_true(r.ratings[0].bare.k.late > r.ratings[0].k[BL_WI_BASE].late);
    assert_int_equal(r.ratings[0].bare.k.exempt, r.ratings[0].k[BL_WI_BASE].exempt);
    /* the same input, the same result */
    BL_ASSERT_OK(bl_wi_run(&f.in, &r2, &d), &d);
    assert_int_equal(r.norders, r2.norders);
    assert_memory_equal(r.orders, r2.orders, r.norders * sizeof(*r.orders));
    assert_memory_equal(&r.ratings[0].k, &r2.ratings[0].k, sizeof(r.ratings[0].k));
    assert_int_equal(r.nmoney, r2.nmoney);
    bl_wi_result_release(&r);
    bl_wi_result_release(&r2);
    /* a horizon out of range is refused */
    f.in.horizon = BL_WI_HORIZON_MAX + 1;
    assert_int_equal(bl_wi_run(&f.in, &r, &d), BL_EINVAL);
    bl_arena_release(&f.a);
}

/* Replayed, the with run is the engine's own assessment with the lockdown declared. */
static void test_engine_replay(void **state)
{
    (void)state;
    struct fix f;
    int64_t as_of = at(2024, 11, 6);
    fixture(&f, at(2024, 11, 20)); /* the data runs past the horizon's end */
    f.in.as_of = as_of;
    f.in.horizon = 10;
    f.in.replay = true;
    f.hyp[0].starts = as_of;
    f.hyp[0].ends = as_of + 4 * DAYS;
    struct bl_wi_result r;
    struct bl_diag d;
    BL_ASSERT_OK(bl_wi_run(&f.in, &r, &d), &d);
    assert_int_equal(r.projected, 0);
    struct bl_assess_ctx *ctx[2];
    BL_ASSERT_OK(bl_assess_prepare(f.reg, NULL, 0, NULL, 0, 1, &f.a, &ctx[0], &d), &d);
    BL_ASSERT_OK(bl_assess_prepare(f.reg, f.hyp, 1, NULL, 0, 1, &f.a, &ctx[1], &d), &d);
    for (int run = 0; run < 2; run++) {
        struct bl_shop_result x;
        BL_ASSERT_OK(bl_assess_shops(ctx[run], &f.o, &f.prof, as_of + 10 * DAYS, f.prof.window_days,
                                     1, NULL, &f.a, &x, &d),
                     &d);
        assert_memory_equal(&x.k, &r.ratings[0].k[run], sizeof(x.k));
        assert_string_equal(x.rating, r.ratings[0].rating[run]);
    }
    assert_int_equal(r.held_total, 0); /* recorded shipments are not moved */
    bl_wi_result_release(&r);
    bl_arena_release(&f.a);
}

static void test_engine_stock(void **state)
{
    (void)state;
    struct fix f;
    int64_t as_of = at(2024, 11, 16);
    fixture(&f, as_of);
    int64_t s0 = as_of / DAYS;
    struct bl_rp_stock st = {.warehouse = 0, .on_hand = 100, .reserved = 0};
    struct bl_rp_sku sku = {.daily_mean = 10, .stock = &st, .nstock = 1, .supplier = -1, .id = "A"};
    struct bl_rp_input rp = {.as_of = s0, .skus = &sku, .nskus = 1};
    bl_rp_policy_init(&rp.policy);
    int64_t price = 500;
    char pc[1][4] = {"USD"};
    struct bl_wi_demand shock = {.sku = 0, .pct_bp = 10000, .from_day = s0, .to_day = s0 + 14};
    f.in.rp = &rp;
    f.in.price = &price;
    f.in.price_cur = (const char(*)[4])pc;
    f.in.nwh = 1;
    f.in.demand = &shock;
    f.in.ndemand = 1;
    struct bl_wi_result r;
    struct bl_diag d;
    BL_ASSERT_OK(bl_wi_run(&f.in, &r, &d), &d);
    assert_int_equal(r.nstockouts, 1);
    /* 100 units at 10 a day last ten days; at 20 a day, five */
    assert_int_equal(r.stockouts[0].day[BL_WI_BASE], s0 + 10);
    assert_int_equal(r.stockouts[0].day[BL_WI_WITH], s0 + 5);
    assert_int_equal(r.stockouts[0].units_short[BL_WI_BASE], 40);
    assert_int_equal(r.stockouts[0].units_short[BL_WI_WITH], 180);
    assert_int_equal(r.stockouts[0].revenue_short[BL_WI_WITH], 180 * 500);
    bl_wi_result_release(&r);
    bl_arena_release(&f.a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_events),          cmocka_unit_test(test_errors),
        cmocka_unit_test(test_engine_lockdown), cmocka_unit_test(test_engine_replay),
        cmocka_unit_test(test_engine_stock),
    };
    return cmocka_run_group_tests_name("whatif", tests, NULL, NULL);
}
