/* whatif_test.c - the what-if (ballast/whatif.h): the assumption file's events and its
 * errors (file, line, column, what was expected), and the engine's pass over a small
 * snapshot: the same input gives the same result, a hypothetical disruption exempts what
 * a declared one exempts, held and late orders per shop and channel, stock-outs that a
 * demand shock brings earlier, coupons per currency. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "ballast/disruption.h"
#include "ballast/time.h"
#include "ballast/whatif.h"

#define HEAD "event,region,scope,kind,starts_at,ends_at,channel,supplier,sku,category," \
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
    refused(HEAD "demand,,,,2024-11-16,2024-11-30,,,a,b,,+40,\n", 2, "sku",
            "a sku or a category");
    refused(HEAD "demand,,,,2024-11-16,,,,a,,,+40,\n", 2, "ends_at", "a demand needs it");
    refused(HEAD "demand,,,,2024-11-16,2024-11-30,,,a,,,forty,\n", 2, "change_pct",
            "\"forty\": expected a percentage");
    refused(HEAD "demand,,,,2024-11-16,2024-11-30,,,a,,,-101,\n", 2, "change_pct",
            "expected a percentage");
    refused(HEAD "demand,,,,2024-11-16,2024-11-30,,,a,,,1.005,\n", 2, "change_pct",
            "two decimals");
    refused(HEAD "lead_time,,,,2024-11-16,,,s,,,366,,\n", 2, "lead_days", "0 to 365");
    refused(HEAD "lead_time,,,,2024-11-16,,,s,,,-3,,\n", 2, "lead_days", "0 to 365");
    refused(HEAD "channel_price,,,,2024-11-16,,,,,,,+5,\n", 2, "channel",
            "a channel_price needs it");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_events),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests_name("whatif", tests, NULL, NULL);
}
