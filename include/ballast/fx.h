/* fx.h - exchange rates as exact decimals, and conversion between minor units.
 *
 * A rate is "1 unit of FROM is worth rate units of TO", written as a plain decimal
 * ("7.1234", "0.00664"): it is kept exactly as num / 10^scale (num > 0, scale 0..12,
 * at most 18 significant digits), never as a double.
 *
 * Conversion (bl_fx_convert) is exact rational arithmetic with one rounding at the
 * end: amount (minor units of FROM, exponent ef) becomes
 *     amount * num / 10^scale * 10^(et - ef)        (or / rate for an inverse pair)
 * minor units of TO (exponent et), rounded half away from zero (0.5 minor unit up in
 * magnitude: 12.345 -> 12.35, -12.345 -> -12.35), computed in 128 bits so nothing
 * overflows before the result, which is BL_EOVERFLOW when it does not fit int64.
 *
 * Pure: no allocation, no I/O; nothing to free.
 */
#ifndef BALLAST_FX_H
#define BALLAST_FX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/err.h"
#include "ballast/str.h"

#define BL_FX_MAX_SCALE 12

struct bl_fx_rate {
    int64_t num; /* > 0 */
    int scale;   /* 0..BL_FX_MAX_SCALE: rate = num / 10^scale */
};

/* "7.1234" -> {71234, 4}. Trailing fraction zeros are dropped ("7.10" -> {71, 1}).
 * BL_EPARSE for anything but digits with at most one '.', BL_ERANGE for zero, more than
 * 12 fraction digits (after dropping trailing zeros) or more than 18 significant digits.
 * d may be NULL; *r is written only on success. */
int bl_fx_rate_parse(struct bl_str s, struct bl_fx_rate *r, struct bl_diag *d) BL_MUST_CHECK;

/* The rate as decimal text ("7.1234"); returns out. 48 bytes always suffice. */
const char *bl_fx_rate_format(const struct bl_fx_rate *r, char *out, size_t cap);

/* Converts amount (minor units, exponent ef) at rate r (inverse: divide by it) into
 * minor units with exponent et. Exponents 0..BL_FX_MAX_SCALE / 2. BL_EINVAL for a bad
 * rate or exponent, BL_EOVERFLOW when the result does not fit; *out only on success. */
int bl_fx_convert(int64_t amount, int ef, int et, const struct bl_fx_rate *r, bool inverse,
                  int64_t *out) BL_MUST_CHECK;

#endif
