/* num.c - checked narrowing (num.h). */
#include "ballast/num.h"

#include <limits.h>
#include <math.h>

bool bl_i64_to_int(int64_t v, int *out)
{
    if (v < INT_MIN || v > INT_MAX)
        return false;
    *out = (int)v;
    return true;
}

bool bl_i64_to_i32(int64_t v, int32_t *out)
{
    if (v < INT32_MIN || v > INT32_MAX)
        return false;
    *out = (int32_t)v;
    return true;
}

bool bl_i64_to_u32(int64_t v, uint32_t *out)
{
    if (v < 0 || v > (int64_t)UINT32_MAX)
        return false;
    *out = (uint32_t)v;
    return true;
}

bool bl_i64_to_size(int64_t v, size_t *out)
{
    if (v < 0 || (uint64_t)v > SIZE_MAX)
        return false;
    *out = (size_t)v;
    return true;
}

bool bl_size_to_i32(size_t v, int32_t *out)
{
    if (v > (size_t)INT32_MAX)
        return false;
    *out = (int32_t)v;
    return true;
}

bool bl_f64_to_i64(double v, int64_t *out)
{
    /* -2^63 is exact as a double; 2^63 is the first value past INT64_MAX */
    if (!isfinite(v) || v < -9223372036854775808.0 || v >= 9223372036854775808.0)
        return false;
    *out = (int64_t)v;
    return true;
}

int bl_diag_range(struct bl_diag *d, const char *table, const char *row, const char *column,
                  int64_t v, int64_t lo, int64_t hi)
{
    return bl_diag_set(d, BL_ERANGE,
                       "table %s, row '%s', column %s: %lld is out of range (expected %lld to "
                       "%lld)",
                       table, row ? row : "", column, (long long)v, (long long)lo,
                       (long long)hi);
}
