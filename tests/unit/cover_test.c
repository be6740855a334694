/* cover_test.c - the disruption matcher (cover.h): window, supplier, scope, channel,
 * region containment. */
#include "testutil.h"
#include "ballast/cover.h"

static const struct bl_cover_disruption sh = {"CN-SH", BL_SCOPE_ORIGIN, NULL, false, 100, 200};

static void test_window(void **state)
{
    (void)state;
    assert_false(bl_cover_order(&sh, "CN-SH", BL_SCOPE_ORIGIN, NULL, 99));
    assert_true(bl_cover_order(&sh, "CN-SH", BL_SCOPE_ORIGIN, NULL, 100));
    assert_true(bl_cover_order(&sh, "CN-SH", BL_SCOPE_ORIGIN, NULL, 199));
    assert_false(bl_cover_order(&sh, "CN-SH", BL_SCOPE_ORIGIN, NULL, 200)); /* ends excluded */
}

static void test_region_and_scope(void **state)
{
    (void)state;
    assert_true(bl_cover_order(&sh, "CN-SH:2000", BL_SCOPE_ORIGIN, "sf", 150));
    assert_false(bl_cover_order(&sh, "CN", BL_SCOPE_ORIGIN, NULL, 150)); /* wider: no */
    assert_false(bl_cover_order(&sh, "CN-BJ", BL_SCOPE_ORIGIN, NULL, 150));
    assert_false(bl_cover_order(&sh, "", BL_SCOPE_ORIGIN, NULL, 150));
    assert_false(bl_cover_order(&sh, NULL, BL_SCOPE_ORIGIN, NULL, 150));
    assert_false(bl_cover_order(&sh, "CN-SH", BL_SCOPE_DESTINATION, NULL, 150));
    struct bl_cover_disruption both = sh;
    both.scope = bl_cover_scope("both");
    both.region = "CN";
    assert_true(bl_cover_order(&both, "CN-SH", BL_SCOPE_DESTINATION, NULL, 150));
    assert_true(bl_cover_order(&both, "CN-SH", BL_SCOPE_ORIGIN, NULL, 150));
    struct bl_cover_disruption dest = both;
    dest.scope = bl_cover_scope("destination");
    assert_false(bl_cover_order(&dest, "CN-SH", BL_SCOPE_ORIGIN, NULL, 150));
    assert_true(bl_cover_order(&dest, "CN-SH", BL_SCOPE_DESTINATION, NULL, 150));
    dest.scope = bl_cover_scope("nowhere");
    assert_false(bl_cover_order(&dest, "CN-SH", BL_SCOPE_DESTINATION, NULL, 150));
}

static void test_supplier_and_channel(void **state)
{
    (void)state;
    struct bl_cover_disruption x = sh;
    x.supplier_only = true;
    assert_false(bl_cover_order(&x, "CN-SH", BL_SCOPE_ORIGIN, NULL, 150));
    assert_false(bl_cover_channel(&x, "sf", 150));
    x.supplier_only = false;
    x.channel = "sf";
    assert_true(bl_cover_order(&x, "CN-SH", BL_SCOPE_ORIGIN, "sf", 150));
    assert_false(bl_cover_order(&x, "CN-SH", BL_SCOPE_ORIGIN, "ems", 150));
    assert_false(bl_cover_order(&x, "CN-SH", BL_SCOPE_ORIGIN, NULL, 150));
    assert_true(bl_cover_channel(&x, "sf", 150));
    assert_false(bl_cover_channel(&x, "sf", 250));
    assert_false(bl_cover_channel(&x, "ems", 150));
    assert_false(bl_cover_channel(&sh, "sf", 150)); /* every channel: not a channel notice */
    x.channel = "";
    assert_true(bl_cover_order(&x, "CN-SH", BL_SCOPE_ORIGIN, "ems", 150));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_window),
        cmocka_unit_test(test_region_and_scope),
        cmocka_unit_test(test_supplier_and_channel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
