/* fx_test.c - exchange rates as exact decimals and conversion between minor units
 * (ballast/fx.h): parsing, formatting, half-away-from-zero rounding, the inverse pair,
 * exponents 0 to 3, and the int64 limits. */
#include <stdint.h>
#include <string.h>

#include "testutil.h"
#include "ballast/fx.h"

static struct bl_fx_rate rate(const char *s)
{
    struct bl_fx_rate r = {0, 0};
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_fx_rate_parse(bl_str_c(s), &r, &d), &d);
    return r;
}

static void test_parse(void **state)
{
    (void)state;
    struct bl_fx_rate r = rate("7.1234");
    assert_int_equal(r.num, 71234);
    assert_int_equal(r.scale, 4);
    r = rate("0.13900000"); /* trailing zeros dropped */
    assert_int_equal(r.num, 139);
    assert_int_equal(r.scale, 3);
    r = rate("150");
    assert_int_equal(r.num, 150);
    assert_int_equal(r.scale, 0);
    r = rate("0.000000000001");
    assert_int_equal(r.num, 1);
    assert_int_equal(r.scale, 12);
    r = rate("007.50");
    assert_int_equal(r.num, 75);
    assert_int_equal(r.scale, 1);
    char buf[48];
    assert_string_equal(bl_fx_rate_format(&r, buf, sizeof(buf)), "7.5");
    r = rate("0.00665");
    assert_string_equal(bl_fx_rate_format(&r, buf, sizeof(buf)), "0.00665");

    struct bl_diag d;
    struct bl_fx_rate x = {42, 0};
    const char *bad[] = {"", "-1", "1,5", "1.2.3", "abc", "1e3", " 1", "+2"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        bl_diag_clear(&d);
        assert_int_equal(bl_fx_rate_parse(bl_str_c(bad[i]), &x, &d), BL_EPARSE);
        assert_true(d.msg[0] != '\0');
    }
    const char *range[] = {"0", "0.000", "0.0000000000001", "1234567890123456789"};
    for (size_t i = 0; i < sizeof(range) / sizeof(range[0]); i++) {
        bl_diag_clear(&d);
        assert_int_equal(bl_fx_rate_parse(bl_str_c(range[i]), &x, &d), BL_ERANGE);
    }
    assert_int_equal(x.num, 42); /* untouched on failure */
}

static int64_t conv(int64_t amount, int ef, int et, const char *r, bool inverse)
{
    struct bl_fx_rate x = rate(r);
    int64_t out = 0;
    assert_int_equal(bl_fx_convert(amount, ef, et, &x, inverse, &out), BL_OK);
    return out;
}

static void test_convert(void **state)
{
    (void)state;
    /* 43,675.00 CNY at 0.13812 = 6032.3910 USD -> 6032.39 */
    assert_int_equal(conv(4367500, 2, 2, "0.13812", false), 603239);
    /* half away from zero: 1.00 at 0.125 = 0.125 -> 0.13; -0.125 -> -0.13 */
    assert_int_equal(conv(100, 2, 2, "0.125", false), 13);
    assert_int_equal(conv(-100, 2, 2, "0.125", false), -13);
    assert_int_equal(conv(100, 2, 2, "0.1249", false), 12);
    /* exponents: 1000 JPY (0) at 0.00665 = 6.65 USD; 1.00 USD to JPY at 150.5 = 151 JPY */
    assert_int_equal(conv(1000, 0, 2, "0.00665", false), 665);
    assert_int_equal(conv(100, 2, 0, "150.5", false), 151);
    /* KWD has 3 decimals: 1.000 USD at 0.3075 = 0.308 KWD */
    assert_int_equal(conv(100, 2, 3, "0.3075", false), 308);
    /* the inverse pair: EUR -> USD known as USD -> EUR 0.9217: 57.47 EUR / 0.9217 = 62.35 */
    assert_int_equal(conv(5747, 2, 2, "0.9217", true), 6235);
    /* 0 stays 0 */
    assert_int_equal(conv(0, 2, 2, "7.1", false), 0);
    /* the extremes: INT64_MIN and MAX at 1 */
    assert_int_equal(conv(INT64_MAX, 2, 2, "1", false), INT64_MAX);
    assert_int_equal(conv(INT64_MIN + 1, 2, 2, "1", false), INT64_MIN + 1);
    /* a huge amount at a huge rate: the product needs 128 bits, the result does not fit */
    struct bl_fx_rate big = rate("999999999999999999");
    int64_t out = 7;
    assert_int_equal(bl_fx_convert(INT64_MAX, 0, 3, &big, false, &out), BL_EOVERFLOW);
    assert_int_equal(out, 7);
    /* but a huge amount at a tiny rate fits: exact, no intermediate overflow */
    assert_int_equal(conv(INT64_MAX, 2, 2, "0.000000000001", false), 9223372);
    /* bad arguments */
    struct bl_fx_rate zero = {0, 0};
    assert_int_equal(bl_fx_convert(1, 2, 2, &zero, false, &out), BL_EINVAL);
    assert_int_equal(bl_fx_convert(1, 2, 9, &big, false, &out), BL_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_convert),
    };
    return cmocka_run_group_tests_name("fx", tests, NULL, NULL);
}
