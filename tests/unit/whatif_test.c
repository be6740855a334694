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
#include "whatif_fixture.h"

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
    assert_int_equal(a.ev[4].per_kg, -1);
    assert_string_equal(a.ev[4].currency, "");
    bl_wi_assume_release(&a);
    /* a new rate per kilogram, in its currency's minor units */
    const char *rate = "event,channel,starts_at,ends_at,per_kg,currency\n"
                       "channel_price,ch-2,2024-11-16,2024-11-30,12.5,CNY\n"
                       "channel_price,ch-3,2024-11-16,,300,JPY\n";
    BL_ASSERT_OK(bl_wi_assume_parse(rate, strlen(rate), "t.csv", NULL, &a, &d), &d);
    assert_int_equal(a.n, 2);
    assert_int_equal(a.ev[0].per_kg, 1250);
    assert_string_equal(a.ev[0].currency, "CNY");
    assert_int_equal(a.ev[0].pct_bp, 0);
    assert_int_equal(a.ev[1].per_kg, 300);
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
#define PHEAD "event,channel,starts_at,change_pct,per_kg,currency\n"
    refused(PHEAD "channel_price,A,2024-11-16,,,\n", 2, "change_pct", "one of the two");
    refused(PHEAD "channel_price,A,2024-11-16,+5,3.00,USD\n", 2, "change_pct", "one of the two");
    refused(PHEAD "channel_price,A,2024-11-16,,3.00,\n", 2, "currency",
            "a per_kg rate needs the currency");
    refused(PHEAD "channel_price,A,2024-11-16,+5,,USD\n", 2, "currency",
            "a currency goes with a per_kg rate only");
    refused(PHEAD "channel_price,A,2024-11-16,,3.00,XAU\n", 2, "currency",
            "\"XAU\": expected an ISO 4217 currency code");
    refused(PHEAD "channel_price,A,2024-11-16,,3.001,USD\n", 2, "per_kg",
            "expected the new price per started kilogram in USD");
    refused(PHEAD "channel_price,A,2024-11-16,,-1,USD\n", 2, "per_kg", "0 or more");
    refused("event,sku,starts_at,ends_at,change_pct,currency\n"
            "demand,a,2024-11-16,2024-11-20,+5,USD\n",
            2, "currency", "a demand does not use this column");
}

/* ---- the engine ----------------------------------------------------------------------- */

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

/* Late orders are valued by the shop's own rule, order by order: Temu's 5% of the order's
 * amount, clamped to 1.00..5.00 USD; declared, the lockdown exempts them (no coupon);
 * undeclared, each is owed its own; a profile that pays none values them at nothing. The
 * per-shop figures add up to the money line the mitigation reads. */
static void test_engine_value(void **state)
{
    (void)state;
    struct fix f;
    int64_t as_of = at(2024, 11, 16);
    fixture(&f, as_of);
    for (int i = 0; i < NO; i++)
        f.amount[i] = 1000 + 700 * i; /* 5%: 0.50 .. 21.15, clamped to 1.00 .. 5.00 */
    struct bl_wi_result r;
    struct bl_diag d;
    BL_ASSERT_OK(bl_wi_run(&f.in, &r, &d), &d);
    assert_int_equal(r.nmoney, 1);
    assert_int_equal(r.nshop_coupons, 1);
    const struct bl_wi_shop_coupons *x = &r.shop_coupons[0];
    assert_string_equal(x->currency, "USD");
    assert_int_equal(x->bare, r.money[0].bare_coupons);
    assert_int_equal(x->coupons[BL_WI_BASE], r.money[0].coupons[BL_WI_BASE]);
    /* declared: Temu exempts the held orders, they owe nothing more */
    assert_int_equal(x->coupons[BL_WI_WITH], x->coupons[BL_WI_BASE]);
    /* undeclared: each late order its own coupon, between the limits */
    int64_t extra = x->nbare - x->ncoupons[BL_WI_BASE];
    assert_true(extra > 0);
    assert_true(x->bare - x->coupons[BL_WI_BASE] >= 100 * extra);
    assert_true(x->bare - x->coupons[BL_WI_BASE] <= 500 * extra);
    assert_true(x->bare - x->coupons[BL_WI_BASE] > 100 * extra); /* not one flat amount */
    /* the rating harm, as the bands say */
    const struct bl_wi_rating *g = &r.ratings[0];
    assert_int_equal(g->falls, g->bare.band > g->band[BL_WI_BASE] && g->band[BL_WI_BASE] >= 0);
    assert_int_equal(r.falls, g->falls);
    assert_true(!g->saved || g->falls);
    bl_wi_result_release(&r);
    /* a profile that pays no coupon: late orders cost nothing, in every run */
    f.prof.comp_bp = 0;
    BL_ASSERT_OK(bl_wi_run(&f.in, &r, &d), &d);
    assert_true(r.late_ship_total[BL_WI_WITH] > r.late_ship_total[BL_WI_BASE]);
    for (size_t i = 0; i < r.nmoney; i++)
        assert_int_equal(r.money[i].bare_coupons + r.money[i].coupons[BL_WI_WITH], 0);
    assert_int_equal(r.nshop_coupons, 0);
    bl_wi_result_release(&r);
    bl_arena_release(&f.a);
}

/* A simulated delivery takes its channel's transit time, not the shop's: a fast channel
 * (8 days, promised in 11) and a slow one (19 days, promised in 24); at the shop's median
 * (19 days) the fast channel's pending orders would all read late to deliver. */
static void test_engine_channel_transit(void **state)
{
    (void)state;
    struct fix f;
    int64_t as_of = at(2024, 11, 16);
    fixture(&f, as_of);
    for (int i = 0; i < NO; i++) {
        bool slow = i % 2;
        f.channel[i] = slow;
        f.promised[i] = f.placed[i] + (slow ? 24 : 12) * DAYS;
        if (f.delivered[i] != BL_NO_TIME)
            f.delivered[i] = f.shipped[i] + (slow ? 19 : 8) * DAYS;
    }
    f.in.nchannels = 2;
    f.in.nhyp = 0;
    struct bl_wi_result r;
    struct bl_diag d;
    BL_ASSERT_OK(bl_wi_run(&f.in, &r, &d), &d);
    assert_int_equal(r.late_deliver_total[BL_WI_BASE], 0);
    int64_t due = 0;
    for (size_t i = 0; i < r.norders; i++)
        due += r.orders[i].channel == 0 ? r.orders[i].due : 0;
    assert_true(due > 0); /* the fast channel has orders in the horizon */
    bl_wi_result_release(&r);
    bl_arena_release(&f.a);
}

/* Freight: a carrier's SLA waiver for a simulated shipment its deadline passes
 * undelivered in the horizon; a price change adds its amount to the orders shipping on
 * the channel in its window (with the events), summed per shop and channel and per
 * currency. */
static void test_engine_freight(void **state)
{
    (void)state;
    struct fix f;
    int64_t as_of = at(2024, 11, 16);
    fixture(&f, as_of);
    int64_t freight[NO], extra[NO];
    for (int i = 0; i < NO; i++) {
        f.channel[i] = 0;
        freight[i] = 1500; /* 15.00 a parcel */
        extra[i] = 300;    /* +20% */
    }
    int32_t sla[1] = {5}; /* the carrier promises delivery in 5 days; the shop takes 8 */
    char chc[1][4] = {"CNY"};
    struct bl_wi_price price = {0, 2000, as_of + 2 * DAYS, as_of + 30 * DAYS, extra};
    f.in.nchannels = 1;
    f.in.freight = freight;
    f.in.sla_days = sla;
    f.in.ch_currency = (const char(*)[4])chc;
    f.in.prices = &price;
    f.in.nprices = 1;
    struct bl_wi_result r;
    struct bl_diag d;
    BL_ASSERT_OK(bl_wi_run(&f.in, &r, &d), &d);
    int64_t w[2] = {0, 0}, nw[2] = {0, 0}, fx = 0, n = 0;
    for (size_t i = 0; i < r.norders; i++) {
        const struct bl_wi_orders *o = &r.orders[i];
        assert_string_equal(o->currency, "CNY");
        for (int run = 0; run < 2; run++) {
            w[run] += o->waivers[run];
            nw[run] += o->nwaivers[run];
            assert_int_equal(o->waivers[run], 1500 * o->nwaivers[run]);
        }
        fx += o->freight_extra;
        n += o->nrepriced;
        assert_int_equal(o->freight_extra, 300 * o->nrepriced);
    }
    assert_true(nw[BL_WI_BASE] > 0); /* 8 days' transit breaks a 5-day SLA */
    assert_true(n > 0);
    size_t m = 0;
    while (m < r.nmoney && strcmp(r.money[m].currency, "CNY") != 0)
        m++;
    assert_true(m < r.nmoney);
    assert_int_equal(r.money[m].waivers[BL_WI_BASE], w[BL_WI_BASE]);
    assert_int_equal(r.money[m].waivers[BL_WI_WITH], w[BL_WI_WITH]);
    assert_int_equal(r.money[m].freight_extra, fx);
    bl_wi_result_release(&r);
    /* a price fall takes off what it saves; an order not priced is left out */
    for (int i = 0; i < NO; i++)
        extra[i] = i % 2 ? -150 : BL_WI_NO_PRICE;
    BL_ASSERT_OK(bl_wi_run(&f.in, &r, &d), &d);
    for (size_t i = 0; i < r.norders; i++)
        assert_int_equal(r.orders[i].freight_extra, -150 * r.orders[i].nrepriced);
    assert_true(r.money[m].freight_extra < 0);
    bl_wi_result_release(&r);
    /* without freight, nothing of it */
    f.in.freight = NULL;
    BL_ASSERT_OK(bl_wi_run(&f.in, &r, &d), &d);
    for (size_t i = 0; i < r.nmoney; i++)
        assert_int_equal(r.money[i].nwaivers[0] + r.money[i].freight_extra, 0);
    bl_wi_result_release(&r);
    bl_arena_release(&f.a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_events),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_engine_lockdown),
        cmocka_unit_test(test_engine_replay),
        cmocka_unit_test(test_engine_stock),
        cmocka_unit_test(test_engine_value),
        cmocka_unit_test(test_engine_channel_transit),
        cmocka_unit_test(test_engine_freight),
    };
    return cmocka_run_group_tests_name("whatif", tests, NULL, NULL);
}
