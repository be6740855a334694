/* whatif_fixture.h - the small snapshot the what-if's unit tests run the engine's pass on
 * (whatif_test.c, whatif_plan_test.c): one shop shipping from Zhejiang to the US under
 * Temu's profile, and a hypothetical lockdown of Zhejiang. Header-only, static: each test
 * executable has its own copy; the fixture's arena is released by the test. */
#ifndef BL_TEST_WHATIF_FIXTURE_H
#define BL_TEST_WHATIF_FIXTURE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "ballast/profile.h"
#include "ballast/time.h"
#include "ballast/whatif.h"

static inline int64_t at(int y, int m, int d)
{
    return bl_days_from_civil(y, m, d) * BL_DAY_SECS;
}

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
static inline void fixture(struct fix *f, int64_t as_of)
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

#endif
