/* names_test.c - names and ids a person reads (bl_text_name_check, printable.c) and the
 * rule for organisation names (bl_app_org_name_check, app/data.c). Issue 15, items 7, 11. */
#include <string.h>

#include "testutil.h"
#include "app/data.h"

static enum bl_text_fault fault(const char *s, size_t *at)
{
    return bl_text_name_check(bl_str_c(s), at);
}

static void test_printable(void **state)
{
    (void)state;
    size_t at = 99;
    assert_int_equal(fault("SKU-00112", &at), BL_TEXT_OK);
    assert_int_equal(at, 0);
    assert_int_equal(fault("快手小店 Loja São Paulo", &at), BL_TEXT_OK);
    assert_int_equal(fault("", &at), BL_TEXT_OK);
    /* C0 (tab too), DEL */
    assert_int_equal(fault("a\x1b]0;x", &at), BL_TEXT_CONTROL);
    assert_int_equal(at, 1);
    assert_int_equal(fault("a\tb", &at), BL_TEXT_CONTROL);
    assert_int_equal(fault("ab\x7f", &at), BL_TEXT_CONTROL);
    assert_int_equal(at, 2);
    /* C1: U+0085, U+009B (CSI); U+00A0 and U+00E9 are printable */
    assert_int_equal(fault("k\xc2\x85", &at), BL_TEXT_CONTROL);
    assert_int_equal(at, 1);
    assert_int_equal(fault("\xc2\x9b" "2J", &at), BL_TEXT_CONTROL);
    assert_int_equal(fault("caf\xc3\xa9\xc2\xa0x", &at), BL_TEXT_OK);
    /* bidirectional controls: RLO, LRI..PDI, LRM, RLM, ALM; U+2028 and U+2030 are not */
    assert_int_equal(fault("x\xe2\x80\xae", &at), BL_TEXT_BIDI);
    assert_int_equal(at, 1);
    assert_int_equal(fault("\xe2\x81\xa6", &at), BL_TEXT_BIDI);
    assert_int_equal(fault("\xe2\x81\xa9", &at), BL_TEXT_BIDI);
    assert_int_equal(fault("\xe2\x80\x8e", &at), BL_TEXT_BIDI);
    assert_int_equal(fault("\xe2\x80\x8f", &at), BL_TEXT_BIDI);
    assert_int_equal(fault("\xd8\x9c", &at), BL_TEXT_BIDI);
    assert_int_equal(fault("\xe2\x80\xb0 \xe2\x81\xa5 \xe2\x80\xa9", &at), BL_TEXT_OK);
    /* not UTF-8, a truncated sequence at the end */
    assert_int_equal(fault("caf\xe9", &at), BL_TEXT_UTF8);
    assert_int_equal(at, 3);
    assert_int_equal(fault("x\xe2\x80", &at), BL_TEXT_UTF8);
    assert_string_equal(bl_text_fault_name(BL_TEXT_BIDI), "a bidirectional control character");
}

static void expect_org(const char *name, int code, const char *msg)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    assert_int_equal(bl_app_org_name_check(name, &d), code);
    if (msg && !strstr(d.msg, msg))
        fail_msg("'%s' -> '%s', wanted '%s'", name ? name : "(none)", d.msg, msg);
}

static void test_org_names(void **state)
{
    (void)state;
    expect_org("default", BL_OK, NULL);
    expect_org("Loja São Paulo", BL_OK, NULL);
    expect_org("义乌小商品", BL_OK, NULL);
    char name[10001];
    memset(name, 'a', sizeof(name) - 1);
    name[64] = '\0';
    expect_org(name, BL_OK, NULL);
    name[64] = 'a';
    name[65] = '\0';
    expect_org(name, BL_EINVAL, "is 65 bytes long: expected at most 64");
    name[65] = 'a';
    name[10000] = '\0';
    expect_org(name, BL_EINVAL, "is 10000 bytes long");
    expect_org("", BL_EINVAL, "empty");
    expect_org(NULL, BL_EINVAL, "empty");
    expect_org(" ", BL_EINVAL, "space at its start");
    expect_org("default ", BL_EINVAL, "space at its end");
    expect_org(" default", BL_EINVAL, "space at its start");
    expect_org("default\xc2\xa0", BL_EINVAL, "space at its end");
    expect_org("\xe3\x80\x80shop", BL_EINVAL, "space at its start");
    expect_org("a\x1b]0;x", BL_EINVAL, "'a?]0;x' has a control character (byte 2)");
    expect_org("a\nb", BL_EINVAL, "control character");
    expect_org("shop\xe2\x80\xae", BL_EINVAL, "bidirectional control character");
    expect_org("caf\xe9", BL_EINVAL, "not UTF-8");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_printable),
        cmocka_unit_test(test_org_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
