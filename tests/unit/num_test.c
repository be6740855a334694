/* num_test.c - checked narrowing (num.h): the edges of every target type. */
#include <limits.h>
#include <math.h>

#include "testutil.h"
#include "ballast/num.h"

static void test_i64_to_int(void **state)
{
    (void)state;
    int v = 7;
    assert_true(bl_i64_to_int(INT_MAX, &v));
    assert_int_equal(v, INT_MAX);
    assert_true(bl_i64_to_int(INT_MIN, &v));
    assert_int_equal(v, INT_MIN);
    v = 7;
    assert_false(bl_i64_to_int((int64_t)INT_MAX + 1, &v));
    assert_false(bl_i64_to_int(4294967297, &v)); /* would wrap to 1 */
    assert_false(bl_i64_to_int(INT64_MAX, &v));
    assert_false(bl_i64_to_int(INT64_MIN, &v));
    assert_int_equal(v, 7); /* untouched on failure */
}

static void test_i64_to_i32_u32(void **state)
{
    (void)state;
    int32_t s = 3;
    uint32_t u = 3;
    assert_true(bl_i64_to_i32(-1, &s));
    assert_int_equal(s, -1);
    assert_false(bl_i64_to_i32(INT64_C(1) << 32, &s)); /* would wrap to 0 */
    assert_false(bl_i64_to_i32(INT64_MIN, &s));
    assert_int_equal(s, -1);
    assert_true(bl_i64_to_u32(UINT32_MAX, &u));
    assert_true(u == UINT32_MAX);
    assert_false(bl_i64_to_u32(-1, &u));
    assert_false(bl_i64_to_u32((int64_t)UINT32_MAX + 1, &u));
    assert_true(u == UINT32_MAX);
}

static void test_sizes(void **state)
{
    (void)state;
    size_t z = 5;
    int32_t i = 5;
    assert_true(bl_i64_to_size(INT64_MAX, &z));
    assert_true(z == (size_t)INT64_MAX);
    assert_false(bl_i64_to_size(-1, &z));
    assert_false(bl_i64_to_size(INT64_MIN, &z));
    assert_true(bl_size_to_i32((size_t)INT32_MAX, &i));
    assert_int_equal(i, INT32_MAX);
    assert_false(bl_size_to_i32((size_t)INT32_MAX + 1, &i));
    assert_false(bl_size_to_i32(SIZE_MAX, &i));
    assert_int_equal(i, INT32_MAX);
}

static void test_f64_to_i64(void **state)
{
    (void)state;
    int64_t v = 9;
    assert_true(bl_f64_to_i64(-9223372036854775808.0, &v));
    assert_true(v == INT64_MIN);
    assert_true(bl_f64_to_i64(2.9, &v));
    assert_true(v == 2);
    assert_true(bl_f64_to_i64(-2.9, &v));
    assert_true(v == -2);
    assert_false(bl_f64_to_i64(9223372036854775808.0, &v)); /* 2^63 */
    assert_false(bl_f64_to_i64(1e300, &v));
    assert_false(bl_f64_to_i64(-1e300, &v));
    assert_false(bl_f64_to_i64(NAN, &v));
    assert_false(bl_f64_to_i64(INFINITY, &v));
    assert_true(v == -2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_i64_to_int),
        cmocka_unit_test(test_i64_to_i32_u32),
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_f64_to_i64),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
