/* money.h - money as int64 minor units with ISO 4217 currencies.
 *
 * Amounts never touch floating point: they are parsed from decimal text into
 * minor units (cents, fen, centavos...) using the currency's exponent, and all
 * arithmetic is checked (BL_EOVERFLOW instead of wrapping).
 *
 * Currency codes and exponents come from ICU's ISO 4217 data (bl_currency_lookup);
 * the parse/format/arithmetic functions are pure and take the exponent.
 */
#ifndef BALLAST_MONEY_H
#define BALLAST_MONEY_H

#include <stdint.h>

#include "ballast/err.h"
#include "ballast/str.h"

/* Largest exponent the parse/format functions accept (10^18 still fits int64).
 * Real currencies use 0 to 4; an exponent outside 0..BL_MONEY_MAX_EXPONENT is BL_EINVAL. */
#define BL_MONEY_MAX_EXPONENT 18

struct bl_currency {
    char code[4]; /* "BRL", NUL-terminated, upper case */
    int exponent; /* minor unit digits: 2 for BRL, 0 for JPY, 3 for KWD */
};

/* Looks up an ISO 4217 code (case-insensitive input, 3 letters). BL_ENOTFOUND for
 * unknown or non-currency codes (e.g. "XXX", "ABC"), with a message in d
 * (BL_EUNSUPPORTED only if ICU's data is unusable). Fills the caller's *out on
 * success; nothing to free. */
int bl_currency_lookup(struct bl_str code, struct bl_currency *out,
                       struct bl_diag *d) BL_MUST_CHECK;

/* Decimal text to minor units: "12", "12.5", "-0.99", "1234.50". No exponent
 * notation, no thousands separators, no '+'. More fraction digits than the
 * exponent allows are BL_ERANGE unless they are zeros ("1.500" in BRL is fine).
 * Values past int64 minor units are BL_EOVERFLOW. Other text is BL_EPARSE.
 * *minor is written only on success; the diagnostic goes to d (may be NULL). */
int bl_money_parse(struct bl_str s, int exponent, int64_t *minor,
                   struct bl_diag *d) BL_MUST_CHECK;

/* Minor units to decimal text with exactly `exponent` fraction digits
 * ("-0.05"). Returns bytes written (excluding NUL) or BL_ETOOBIG if cap is small.
 * 32 bytes always suffice. out is the caller's; it holds "" after an error. */
int bl_money_format(int64_t minor, int exponent, char *out, size_t cap);

/* Checked arithmetic: BL_EOVERFLOW instead of wrapping; *out written only on success. */
int bl_money_add(int64_t a, int64_t b, int64_t *out) BL_MUST_CHECK;
int bl_money_sub(int64_t a, int64_t b, int64_t *out) BL_MUST_CHECK;
int bl_money_mul(int64_t a, int64_t n, int64_t *out) BL_MUST_CHECK;
/* a * num / den, rounded half away from zero, computed exactly (no intermediate
 * overflow); BL_EINVAL if den <= 0, BL_EOVERFLOW if the result does not fit. */
int bl_money_scale(int64_t a, int64_t num, int64_t den, int64_t *out) BL_MUST_CHECK;

#endif
