/* num.h - narrowing that is checked.
 *
 * An int64 from a store row, a file or a sum goes into a narrower type only when it
 * fits: each function returns true and writes *out when v fits, false and leaves *out
 * unchanged when it does not (the caller says which row and column in its diagnostic).
 * A double goes into an int64 only when it is finite and in range.
 *
 * Checked int64 addition, subtraction and multiplication are bl_money_add, _sub and
 * _mul (money.h): they serve any count (units, days), not only money.
 *
 * Pure: no I/O, no state; nothing to free.
 */
#ifndef BALLAST_NUM_H
#define BALLAST_NUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/err.h"

bool bl_i64_to_int(int64_t v, int *out) BL_MUST_CHECK;
bool bl_i64_to_i32(int64_t v, int32_t *out) BL_MUST_CHECK;
bool bl_i64_to_u32(int64_t v, uint32_t *out) BL_MUST_CHECK;
/* v >= 0 and at most SIZE_MAX */
bool bl_i64_to_size(int64_t v, size_t *out) BL_MUST_CHECK;
/* A count (v <= SIZE_MAX) into an int32 index: v <= INT32_MAX. */
bool bl_size_to_i32(size_t v, int32_t *out) BL_MUST_CHECK;
/* Finite and in [-2^63, 2^63): truncated toward zero, as a C cast would. */
bool bl_f64_to_i64(double v, int64_t *out) BL_MUST_CHECK;

/* A stored value that does not fit where it goes: records BL_ERANGE in d (may be NULL)
 * with the message "table T, row 'R', column C: V is out of range (expected LO to HI)"
 * and returns BL_ERANGE. row is the row's own id (an ext_id, or the number
 * of a row that has no other name). */
int bl_diag_range(struct bl_diag *d, const char *table, const char *row, const char *column,
                  int64_t v, int64_t lo, int64_t hi);

#endif
