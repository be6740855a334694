/* str_test.c - string views, UTF-8, buffers, errors and arenas. */
#include <string.h>

#include "testutil.h"
#include "ballast/alloc.h"

static void test_to_i64(void **state)
{
    (void)state;
    int64_t v;
    assert_int_equal(bl_str_to_i64(BL_STR("42"), &v), BL_OK);
    assert_int_equal(v, 42);
    assert_int_equal(bl_str_to_i64(BL_STR("-9223372036854775808"), &v), BL_OK);
    assert_true(v == INT64_MIN);
    assert_int_equal(bl_str_to_i64(BL_STR("9223372036854775808"), &v), BL_EOVERFLOW);
    assert_int_equal(bl_str_to_i64(BL_STR(""), &v), BL_EPARSE);
    assert_int_equal(bl_str_to_i64(BL_STR("-"), &v), BL_EPARSE);
    assert_int_equal(bl_str_to_i64(BL_STR("1.5"), &v), BL_EPARSE);
    assert_int_equal(bl_str_to_i64(BL_STR(" 1"), &v), BL_EPARSE);
}

static void test_utf8(void **state)
{
    (void)state;
    size_t bad = 99;
    assert_true(bl_utf8_valid("abc", 3, &bad));
    assert_true(bl_utf8_valid("\xe5\xbf\xab\xe6\x89\x8b", 6, &bad)); /* 快手 */
    assert_true(bl_utf8_valid("\xf0\x9f\x93\xa6", 4, &bad));         /* U+1F4E6 */
    assert_false(bl_utf8_valid("ab\xff", 3, &bad));
    assert_int_equal(bad, 2);
    assert_false(bl_utf8_valid("\xc0\xaf", 2, &bad)); /* overlong */
    assert_false(bl_utf8_valid("\xed\xa0\x80", 3, &bad)); /* surrogate */
    assert_false(bl_utf8_valid("\xe5\xbf", 2, &bad));     /* truncated */
    assert_int_equal(bad, 0);
    assert_false(bl_utf8_valid("\xf4\x90\x80\x80", 4, &bad)); /* > U+10FFFF */
}

static void test_buf(void **state)
{
    (void)state;
    struct bl_buf b = BL_BUF_INIT;
    assert_string_equal(bl_buf_cstr(&b), "");
    assert_int_equal(bl_buf_addf(&b, "%d-%s", 7, "x"), BL_OK);
    assert_string_equal(bl_buf_cstr(&b), "7-x");
    for (int i = 0; i < 100; i++)
        assert_int_equal(bl_buf_addf(&b, "%0100d", i), BL_OK);
    assert_int_equal(b.len, 3 + 100 * 100);
    bl_buf_release(&b);

    bl_buf_init(&b, 4);
    assert_int_equal(bl_buf_add(&b, "abcd", 4), BL_OK);
    assert_int_equal(bl_buf_addc(&b, 'e'), BL_ETOOBIG);
    assert_string_equal(bl_buf_cstr(&b), "abcd");
    bl_buf_release(&b);
}

static void test_trim_eq(void **state)
{
    (void)state;
    struct bl_str s = bl_str_trim(BL_STR("  a b\t"));
    assert_true(bl_str_eq_c(s, "a b"));
    assert_true(bl_str_eq_nocase_c(BL_STR("Olist"), "OLIST"));
    assert_true(bl_str_starts(BL_STR("BR-SP"), BL_STR("BR")));
    char out[4];
    assert_string_equal(bl_str_copy(out, sizeof(out), BL_STR("abcdef")), "abc");
}

static void test_errors(void **state)
{
    (void)state;
    assert_string_equal(bl_strerror(BL_EPARSE), "malformed input");
    assert_string_equal(bl_errname(BL_ENOMEM), "NOMEM");
    assert_string_equal(bl_strerror(12345), "unknown error");
    struct bl_diag d;
    bl_diag_clear(&d);
    bl_diag_at(&d, "orders.csv", 7, "amount");
    assert_int_equal(bl_diag_set(&d, BL_ERANGE, "expected %s", "a number"), BL_ERANGE);
    char out[256];
    bl_diag_format(&d, out, sizeof(out));
    assert_string_equal(out, "orders.csv:7: column 'amount': expected a number");
}

static void test_arena_and_faults(void **state)
{
    (void)state;
    struct bl_arena a;
    bl_arena_init(&a, 128);
    char *p = bl_arena_strndup(&a, "hello", 5);
    assert_string_equal(p, "hello");
    void *big = bl_arena_alloc(&a, 10000); /* larger than a block */
    assert_non_null(big);
    memset(big, 1, 10000);
    assert_true(((uintptr_t)bl_arena_alloc(&a, 3) % _Alignof(max_align_t)) == 0);
    bl_arena_release(&a);

    bl_alloc_fail_after(0);
    assert_null(bl_malloc(10));
    bl_alloc_fail_after(1);
    void *ok = bl_malloc(10);
    assert_non_null(ok);
    assert_null(bl_malloc(10));
    bl_alloc_fail_after(-1);
    bl_free(ok);

    void *items = NULL;
    size_t cap = 0;
    assert_int_equal(bl_grow(&items, &cap, 100, sizeof(int)), BL_OK);
    assert_true(cap >= 100);
    assert_int_equal(bl_grow(&items, &cap, SIZE_MAX, sizeof(int)), BL_EOVERFLOW);
    bl_free(items);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_to_i64),  cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_buf),     cmocka_unit_test(test_trim_eq),
        cmocka_unit_test(test_errors),  cmocka_unit_test(test_arena_and_faults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
