/* money_test.c - currencies, decimal parsing/formatting and checked arithmetic. */
#include <string.h>

#include "testutil.h"
#include "ballast/money.h"

/* ---- currencies ---------------------------------------------------------- */

static void expect_currency(const char *in, const char *code, int exponent)
{
    struct bl_currency c;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_currency_lookup(bl_str_c(in), &c, &d), &d);
    assert_string_equal(c.code, code);
    assert_int_equal(c.exponent, exponent);
}

static void expect_no_currency(const char *in, const char *msg_part)
{
    struct bl_currency c = {"---", -1};
    struct bl_diag d;
    bl_diag_clear(&d);
    assert_int_equal(bl_currency_lookup(bl_str_c(in), &c, &d), BL_ENOTFOUND);
    assert_int_equal(d.code, BL_ENOTFOUND);
    if (!strstr(d.msg, msg_part))
        fail_msg("lookup of '%s': message '%s' lacks '%s'", in, d.msg, msg_part);
    assert_non_null(strstr(d.msg, "expected an ISO 4217 code such as BRL, CNY, USD"));
    assert_string_equal(c.code, "---"); /* untouched */
    assert_int_equal(c.exponent, -1);
}

static void test_currency_lookup(void **state)
{
    (void)state;
    expect_currency("BRL", "BRL", 2);
    expect_currency("brl", "BRL", 2);
    expect_currency("Cny", "CNY", 2);
    expect_currency("USD", "USD", 2);
    expect_currency("EUR", "EUR", 2);
    expect_currency("JPY", "JPY", 0);
    expect_currency("KWD", "KWD", 3);
    expect_currency("CLF", "CLF", 4);
    /* Circulating X-codes are currencies. */
    expect_currency("XOF", "XOF", 0);
    expect_currency("XAF", "XAF", 0);
    expect_currency("XCD", "XCD", 2);
    /* Historic currencies still appear in old exports. */
    expect_currency("DEM", "DEM", 2);

    expect_no_currency("ABC", "unknown currency 'ABC'");
    expect_no_currency("QQQ", "unknown currency 'QQQ'");
    expect_no_currency("", "missing currency");
    expect_no_currency("US", "unknown currency 'US'");
    expect_no_currency("USDX", "unknown currency 'USDX'");
    expect_no_currency("U$D", "unknown currency 'U$D'");
    expect_no_currency("US ", "unknown currency 'US '");
    expect_no_currency("R$", "unknown currency 'R$'");
    expect_no_currency("\xe5\x85\x83", "unknown currency '\xe5\x85\x83'"); /* 元 */
    expect_no_currency("\x01\xff\x80", "unknown currency '?\?\?'");
    const char *x[] = {"XXX", "XTS", "XAU", "XAG", "XPT", "XPD", "XDR",
                       "xdr", "XBA", "XSU", "XUA", "XEU", "XRE"};
    for (size_t i = 0; i < sizeof(x) / sizeof(x[0]); i++)
        expect_no_currency(x[i], "not a currency");

    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_currency c;
    assert_int_equal(bl_currency_lookup(BL_STR("ABC"), &c, &d), BL_ENOTFOUND);
    assert_string_equal(d.msg,
                        "unknown currency 'ABC': expected an ISO 4217 code such as BRL, CNY, USD");
    assert_int_equal(bl_currency_lookup(BL_STR("ABC"), &c, NULL), BL_ENOTFOUND);
    /* A long value is cut in the message. */
    assert_int_equal(
        bl_currency_lookup(BL_STR("0123456789012345678901234567890123456789XYZ"), &c, &d),
        BL_ENOTFOUND);
    assert_non_null(strstr(d.msg, "'0123456789012345678901234567890123456789...'"));
}

/* ---- parsing --------------------------------------------------------------- */

struct parse_case {
    const char *in;
    int exponent;
    int rc;
    int64_t want;
};

static const struct parse_case parse_cases[] = {
    {"12", 2, BL_OK, 1200},
    {"12.5", 2, BL_OK, 1250},
    {"-0.99", 2, BL_OK, -99},
    {"1234.50", 2, BL_OK, 123450},
    {"99.9", 2, BL_OK, 9990},
    {"-0.5", 2, BL_OK, -50},
    {"0", 2, BL_OK, 0},
    {"-0", 2, BL_OK, 0},
    {"-0.00", 2, BL_OK, 0},
    {"007.10", 2, BL_OK, 710},
    {"1.500", 2, BL_OK, 150},
    {"1.50000000000000000000000000000", 2, BL_OK, 150},
    {"100", 0, BL_OK, 100},
    {"100.000", 0, BL_OK, 100},
    {"1.5", 3, BL_OK, 1500},
    {"0.001", 3, BL_OK, 1},
    {"12.3456", 4, BL_OK, 123456},
    {"0.000000000000000001", 18, BL_OK, 1},
    {"9.223372036854775807", 18, BL_OK, INT64_MAX},
    {"00000000000000000000000000000001", 0, BL_OK, 1},
    /* int64 boundaries */
    {"92233720368547758.07", 2, BL_OK, INT64_MAX},
    {"92233720368547758.08", 2, BL_EOVERFLOW, 0},
    {"-92233720368547758.08", 2, BL_OK, INT64_MIN},
    {"-92233720368547758.09", 2, BL_EOVERFLOW, 0},
    {"9223372036854775807", 0, BL_OK, INT64_MAX},
    {"9223372036854775808", 0, BL_EOVERFLOW, 0},
    {"-9223372036854775808", 0, BL_OK, INT64_MIN},
    {"-9223372036854775809", 0, BL_EOVERFLOW, 0},
    {"922337203685477.5807", 4, BL_OK, INT64_MAX},
    {"922337203685477.5808", 4, BL_EOVERFLOW, 0},
    {"92233720368547759", 2, BL_EOVERFLOW, 0},
    {"18446744073709551616", 0, BL_EOVERFLOW, 0}, /* 2^64 would wrap a uint64 */
    {"99999999999999999999999999999999999", 2, BL_EOVERFLOW, 0},
    {"10", 18, BL_EOVERFLOW, 0},
    /* too many decimals (checked before the size) */
    {"1.005", 2, BL_ERANGE, 0},
    {"1.0001", 3, BL_ERANGE, 0},
    {"1.5", 0, BL_ERANGE, 0},
    {"-0.001", 2, BL_ERANGE, 0},
    {"99999999999999999999999.001", 2, BL_ERANGE, 0},
    /* not a decimal number */
    {"", 2, BL_EPARSE, 0},
    {"-", 2, BL_EPARSE, 0},
    {".", 2, BL_EPARSE, 0},
    {"1.", 2, BL_EPARSE, 0},
    {".5", 2, BL_EPARSE, 0},
    {"-.5", 2, BL_EPARSE, 0},
    {"1e3", 2, BL_EPARSE, 0},
    {"1E3", 2, BL_EPARSE, 0},
    {"+1", 2, BL_EPARSE, 0},
    {"1,000", 2, BL_EPARSE, 0},
    {"1,5", 2, BL_EPARSE, 0},
    {" 1", 2, BL_EPARSE, 0},
    {"1 ", 2, BL_EPARSE, 0},
    {"0x10", 2, BL_EPARSE, 0},
    {"--1", 2, BL_EPARSE, 0},
    {"1.2.3", 2, BL_EPARSE, 0},
    {"1-", 2, BL_EPARSE, 0},
    {"NaN", 2, BL_EPARSE, 0},
    {"inf", 2, BL_EPARSE, 0},
    {"R$10", 2, BL_EPARSE, 0},
    {"10\xef\xbc\x8e\065", 2, BL_EPARSE, 0}, /* "10．5", full-width dot */
    {"99999999999999999999999x", 2, BL_EPARSE, 0},
    {"1.005x", 2, BL_EPARSE, 0},
};

static void test_parse_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
        const struct parse_case *c = &parse_cases[i];
        int64_t v = 4242;
        struct bl_diag d;
        bl_diag_clear(&d);
        int rc = bl_money_parse(bl_str_c(c->in), c->exponent, &v, &d);
        if (rc != c->rc)
            fail_msg("parse '%s' exp %d: got %s (%s), want %s", c->in, c->exponent, bl_errname(rc),
                     d.msg, bl_errname(c->rc));
        if (rc == BL_OK && v != c->want)
            fail_msg("parse '%s' exp %d: got %lld, want %lld", c->in, c->exponent, (long long)v,
                     (long long)c->want);
        if (rc != BL_OK) {
            assert_int_equal(v, 4242); /* untouched on error */
            assert_int_equal(d.code, rc);
            assert_true(d.msg[0] != '\0');
        }
    }
}

static void expect_parse_msg(const char *in, int exponent, int rc, const char *msg)
{
    int64_t v;
    struct bl_diag d;
    bl_diag_clear(&d);
    assert_int_equal(bl_money_parse(bl_str_c(in), exponent, &v, &d), rc);
    assert_string_equal(d.msg, msg);
}

static void test_parse_messages(void **state)
{
    (void)state;
    expect_parse_msg("1.005", 2, BL_ERANGE, "'1.005' has more than 2 decimal places");
    expect_parse_msg("1.05", 1, BL_ERANGE, "'1.05' has more than 1 decimal place");
    expect_parse_msg("1.5", 0, BL_ERANGE, "'1.5' has decimals, but the currency has no minor unit");
    expect_parse_msg("92233720368547758.08", 2, BL_EOVERFLOW,
                     "'92233720368547758.08' is too large: amounts go up to 92233720368547758.07");
    expect_parse_msg("-92233720368547758.09", 2, BL_EOVERFLOW,
                     "'-92233720368547758.09' is too large: amounts go up to "
                     "-92233720368547758.08");
    expect_parse_msg("1,000", 2, BL_EPARSE,
                     "expected a decimal amount such as 12, 12.5 or -0.99, got '1,000' (use '.' "
                     "as the decimal point and no thousands separators)");
    expect_parse_msg("", 2, BL_EPARSE,
                     "expected a decimal amount such as 12, 12.5 or -0.99, got '' (the value is "
                     "empty)");

    struct {
        const char *in, *hint;
    } hints[] = {
        {" 1", "no spaces"},         {"+1", "no '+' sign"},       {"1e3", "no exponent"},
        {".5", "both sides of '.'"}, {"1.", "both sides of '.'"}, {"-.5", "both sides of '.'"},
        {"0x10", "only digits"},
    };
    for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++) {
        int64_t v;
        struct bl_diag d;
        bl_diag_clear(&d);
        assert_int_equal(bl_money_parse(bl_str_c(hints[i].in), 2, &v, &d), BL_EPARSE);
        if (!strstr(d.msg, hints[i].hint))
            fail_msg("'%s': message '%s' lacks '%s'", hints[i].in, d.msg, hints[i].hint);
    }

    /* Views need not be NUL-terminated: only len bytes count. */
    int64_t v;
    struct bl_str part = {"12.34567", 5};
    assert_int_equal(bl_money_parse(part, 2, &v, NULL), BL_OK);
    assert_int_equal(v, 1234);
}

static void test_parse_bad_exponent(void **state)
{
    (void)state;
    int64_t v = 7;
    struct bl_diag d;
    bl_diag_clear(&d);
    assert_int_equal(bl_money_parse(BL_STR("1"), -1, &v, &d), BL_EINVAL);
    assert_non_null(strstr(d.msg, "expected 0 to 18"));
    assert_int_equal(bl_money_parse(BL_STR("1"), BL_MONEY_MAX_EXPONENT + 1, &v, NULL), BL_EINVAL);
    assert_int_equal(v, 7);
    char out[32] = "x";
    assert_int_equal(bl_money_format(1, -1, out, sizeof(out)), BL_EINVAL);
    assert_string_equal(out, "");
    assert_int_equal(bl_money_format(1, 19, out, sizeof(out)), BL_EINVAL);
}

/* ---- an independent reference for parse, used on generated strings ------ */

/* Same grammar, written differently: find the parts first, then compute with a
 * 128-bit value that saturates. */
static int ref_parse(const char *s, size_t n, int e, int64_t *out)
{
    size_t i = 0;
    bool neg = n > 0 && s[0] == '-';
    if (neg)
        i++;
    size_t int_begin = i;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    size_t int_end = i, frac_begin = i, frac_end = i;
    if (i < n && s[i] == '.') {
        frac_begin = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        frac_end = i;
        if (frac_end == frac_begin)
            return BL_EPARSE;
    }
    if (int_end == int_begin || i != n)
        return BL_EPARSE;
    for (size_t k = frac_begin + (size_t)e; k < frac_end; k++)
        if (s[k] != '0')
            return BL_ERANGE;
    const __int128 cap = (__int128)1 << 100;
    __int128 v = 0;
    for (size_t k = int_begin; k < int_end; k++)
        v = v > cap ? v : v * 10 + (s[k] - '0');
    for (int k = 0; k < e; k++) {
        size_t at = frac_begin + (size_t)k;
        int dig = at < frac_end ? s[at] - '0' : 0;
        v = v > cap ? v : v * 10 + dig;
    }
    if (neg)
        v = -v;
    if (v > INT64_MAX || v < INT64_MIN)
        return BL_EOVERFLOW;
    *out = (int64_t)v;
    return BL_OK;
}

static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void test_parse_matches_reference(void **state)
{
    (void)state;
    static const char alphabet[] = "0123456789000999.-+e, ";
    uint64_t seed = 0x9E3779B97F4A7C15u;
    char s[40];
    for (int iter = 0; iter < 200000; iter++) {
        size_t n = (size_t)(rng_next(&seed) % 26);
        for (size_t k = 0; k < n; k++) {
            uint64_t r = rng_next(&seed);
            /* Mostly digits, so long valid numbers near the limits come up. */
            s[k] =
                (r & 3) ? (char)('0' + (r >> 2) % 10) : alphabet[(r >> 2) % (sizeof(alphabet) - 1)];
        }
        int e = (int)(rng_next(&seed) % 5);
        int64_t got = 0, want = 0;
        int rc = bl_money_parse((struct bl_str){s, n}, e, &got, NULL);
        int ref = ref_parse(s, n, e, &want);
        if (rc != ref || (rc == BL_OK && got != want))
            fail_msg("'%.*s' exp %d: got %s %lld, reference %s %lld", (int)n, s, e, bl_errname(rc),
                     (long long)got, bl_errname(ref), (long long)want);
    }
}

/* ---- formatting ------------------------------------------------------------ */

static void expect_format(int64_t v, int e, const char *want)
{
    char out[32];
    int n = bl_money_format(v, e, out, sizeof(out));
    assert_string_equal(out, want);
    assert_int_equal(n, (int)strlen(want));
}

static void test_format(void **state)
{
    (void)state;
    expect_format(0, 2, "0.00");
    expect_format(0, 0, "0");
    expect_format(-5, 2, "-0.05");
    expect_format(5, 2, "0.05");
    expect_format(9990, 2, "99.90");
    expect_format(-50, 2, "-0.50");
    expect_format(123450, 2, "1234.50");
    expect_format(1, 3, "0.001");
    expect_format(-1000, 3, "-1.000");
    expect_format(100, 0, "100");
    expect_format(-7, 0, "-7");
    expect_format(123456, 4, "12.3456");
    expect_format(INT64_MAX, 2, "92233720368547758.07");
    expect_format(INT64_MIN, 2, "-92233720368547758.08");
    expect_format(INT64_MIN, 0, "-9223372036854775808");
    expect_format(INT64_MIN, 18, "-9.223372036854775808");
    expect_format(1, 18, "0.000000000000000001");
    expect_format(-1, 18, "-0.000000000000000001");

    /* The buffer must hold the text and a NUL. */
    char out[8] = "junk";
    assert_int_equal(bl_money_format(1234, 2, out, 6), 5); /* "12.34" */
    assert_string_equal(out, "12.34");
    assert_int_equal(bl_money_format(1234, 2, out, 5), BL_ETOOBIG);
    assert_string_equal(out, "");
    assert_int_equal(bl_money_format(0, 0, out, 1), BL_ETOOBIG);
    assert_int_equal(bl_money_format(0, 0, NULL, 0), BL_ETOOBIG);

    /* 32 bytes are always enough. */
    for (int e = 0; e <= BL_MONEY_MAX_EXPONENT; e++) {
        char big[32];
        assert_true(bl_money_format(INT64_MIN, e, big, sizeof(big)) > 0);
        assert_true(bl_money_format(INT64_MAX, e, big, sizeof(big)) > 0);
    }
}

static void test_format_parse_roundtrip(void **state)
{
    (void)state;
    uint64_t seed = 88172645463325252u;
    const int64_t edges[] = {
        0, 1, -1, 9, 10, -10, 99, 100, INT64_MAX, INT64_MIN, INT64_MAX - 1, INT64_MIN + 1};
    for (int e = 0; e <= BL_MONEY_MAX_EXPONENT; e++) {
        for (int iter = 0; iter < 5000 + 12; iter++) {
            int64_t v;
            if (iter < 12) {
                v = edges[iter];
            } else {
                uint64_t r = rng_next(&seed);
                v = (int64_t)(r >> (r % 64)); /* all magnitudes */
                if (r & 1)
                    v = -v;
            }
            char out[32];
            int n = bl_money_format(v, e, out, sizeof(out));
            assert_true(n > 0);
            int64_t back = 0;
            struct bl_diag d;
            bl_diag_clear(&d);
            BL_ASSERT_OK(bl_money_parse((struct bl_str){out, (size_t)n}, e, &back, &d), &d);
            if (back != v)
                fail_msg("%lld exp %d formatted as '%s' parsed back as %lld", (long long)v, e, out,
                         (long long)back);
        }
    }
}

/* ---- arithmetic ------------------------------------------------------------ */

static void test_add_sub_mul(void **state)
{
    (void)state;
    int64_t r = 77;
    assert_int_equal(bl_money_add(1200, -99, &r), BL_OK);
    assert_int_equal(r, 1101);
    assert_int_equal(bl_money_add(INT64_MAX - 1, 1, &r), BL_OK);
    assert_true(r == INT64_MAX);
    r = 77;
    assert_int_equal(bl_money_add(INT64_MAX, 1, &r), BL_EOVERFLOW);
    assert_int_equal(bl_money_add(INT64_MIN, -1, &r), BL_EOVERFLOW);
    assert_int_equal(r, 77);

    assert_int_equal(bl_money_sub(100, 250, &r), BL_OK);
    assert_int_equal(r, -150);
    assert_int_equal(bl_money_sub(INT64_MIN + 1, 1, &r), BL_OK);
    assert_true(r == INT64_MIN);
    r = 77;
    assert_int_equal(bl_money_sub(INT64_MIN, 1, &r), BL_EOVERFLOW);
    assert_int_equal(bl_money_sub(0, INT64_MIN, &r), BL_EOVERFLOW);
    assert_int_equal(r, 77);

    assert_int_equal(bl_money_mul(1999, 3, &r), BL_OK);
    assert_int_equal(r, 5997);
    assert_int_equal(bl_money_mul(-1999, 3, &r), BL_OK);
    assert_int_equal(r, -5997);
    assert_int_equal(bl_money_mul(INT64_MIN, 1, &r), BL_OK);
    assert_true(r == INT64_MIN);
    r = 77;
    assert_int_equal(bl_money_mul(INT64_MIN, -1, &r), BL_EOVERFLOW);
    assert_int_equal(bl_money_mul(INT64_MAX / 2 + 1, 2, &r), BL_EOVERFLOW);
    assert_int_equal(r, 77);
}

static void expect_scale(int64_t a, int64_t num, int64_t den, int64_t want)
{
    int64_t r = 0;
    int rc = bl_money_scale(a, num, den, &r);
    if (rc != BL_OK || r != want)
        fail_msg("scale(%lld, %lld, %lld): got %s %lld, want %lld", (long long)a, (long long)num,
                 (long long)den, bl_errname(rc), (long long)r, (long long)want);
}

static void test_scale(void **state)
{
    (void)state;
    expect_scale(1000, 1, 3, 333);
    expect_scale(1000, 2, 3, 667);
    expect_scale(-1000, 2, 3, -667);
    expect_scale(1000, -2, 3, -667);
    expect_scale(5, 1, 2, 3);   /* 2.5 -> 3 */
    expect_scale(-5, 1, 2, -3); /* -2.5 -> -3 */
    expect_scale(15, 1, 10, 2);
    expect_scale(-15, 1, 10, -2);
    expect_scale(14, 1, 10, 1);
    expect_scale(-14, 1, 10, -1);
    expect_scale(16, 1, 10, 2);
    expect_scale(0, 123, 7, 0);
    expect_scale(1999, 15, 100, 300); /* 15% of 19.99 = 2.9985 -> 3.00 */
    expect_scale(12345, 1, 1, 12345);
    /* The product overflows int64 but the result fits. */
    expect_scale(INT64_MAX, INT64_MAX, INT64_MAX, INT64_MAX);
    expect_scale(INT64_MIN, INT64_MAX, INT64_MAX, INT64_MIN);
    expect_scale(INT64_MAX, 3, 3, INT64_MAX);
    expect_scale(INT64_MAX, 1, 2, 4611686018427387904); /* ...903.5 rounds up */
    expect_scale(INT64_MIN, 1, 2, -4611686018427387904);
    expect_scale(INT64_MIN, -1, 2, 4611686018427387904);

    int64_t r = 77;
    assert_int_equal(bl_money_scale(INT64_MIN, -1, 1, &r), BL_EOVERFLOW);
    assert_int_equal(bl_money_scale(INT64_MAX, 2, 1, &r), BL_EOVERFLOW);
    assert_int_equal(bl_money_scale(INT64_MAX, INT64_MAX, 1, &r), BL_EOVERFLOW);
    assert_int_equal(bl_money_scale(INT64_MIN, INT64_MIN, INT64_MAX, &r), BL_EOVERFLOW);
    assert_int_equal(bl_money_scale(1, 1, 0, &r), BL_EINVAL);
    assert_int_equal(bl_money_scale(1, 1, -3, &r), BL_EINVAL);
    assert_int_equal(r, 77);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_currency_lookup),
        cmocka_unit_test(test_parse_table),
        cmocka_unit_test(test_parse_messages),
        cmocka_unit_test(test_parse_bad_exponent),
        cmocka_unit_test(test_parse_matches_reference),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_format_parse_roundtrip),
        cmocka_unit_test(test_add_sub_mul),
        cmocka_unit_test(test_scale),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
