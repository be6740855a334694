/* money.c - ISO 4217 currencies (from ICU) and int64 minor-unit amounts.
 *
 * See include/ballast/money.h for the contract and docs/internals/money.md for
 * the design. Pure: no I/O, no clock, no mutable state; ICU is only asked about
 * its built-in currency data.
 */
#include "ballast/money.h"

#include <stdbool.h>
#include <string.h>

#include <unicode/ucurr.h>
#include <unicode/utypes.h>

#define SUGGEST "expected an ISO 4217 code such as BRL, CNY, USD"

/* ISO 4217 "X" codes that are circulating currencies. Every other X-code is a
 * precious metal (XAU, XAG, XPT, XPD), a unit of account or fund (XDR, XSU, XUA,
 * XBA..XBD, XEU, XFO, XFU, XRE) or reserved for testing / no currency (XTS, XXX):
 * nothing a shop prices goods in. */
static bool x_code_is_money(const char *c)
{
    static const char *const money[] = {"XAF", "XCD", "XCG", "XOF", "XPF"};
    for (size_t i = 0; i < sizeof(money) / sizeof(money[0]); i++)
        if (memcmp(c, money[i], 3) == 0)
            return true;
    return false;
}

int bl_currency_lookup(struct bl_str code, struct bl_currency *out, struct bl_diag *d)
{
    char shown[BL_SHOW_BUF], up[4];
    UChar u[4];
    if (code.len == 0)
        return bl_diag_set(d, BL_ENOTFOUND, "missing currency: " SUGGEST);
    if (code.len != 3)
        goto unknown;
    for (size_t i = 0; i < 3; i++) {
        char c = code.ptr[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (c < 'A' || c > 'Z')
            goto unknown;
        up[i] = c;
        u[i] = (UChar)c;
    }
    up[3] = '\0';
    u[3] = 0;
    if (up[0] == 'X' && !x_code_is_money(up))
        return bl_diag_set(d, BL_ENOTFOUND,
                           "'%s' is an ISO 4217 code for a metal, a fund or testing, not a "
                           "currency: " SUGGEST,
                           up);

    UErrorCode ec = U_ZERO_ERROR;
    /* Any date: historic currencies (DEM, VEF...) still appear in old exports. */
    UBool ok = ucurr_isAvailable(u, U_DATE_MIN, U_DATE_MAX, &ec);
    if (U_FAILURE(ec))
        return bl_diag_set(d, BL_EUNSUPPORTED, "ICU could not check currency '%s': %s", up,
                           u_errorName(ec));
    if (!ok)
        goto unknown;
    int32_t exp = ucurr_getDefaultFractionDigits(u, &ec);
    if (U_FAILURE(ec) || exp < 0 || exp > BL_MONEY_MAX_EXPONENT)
        return bl_diag_set(d, BL_EUNSUPPORTED, "ICU has no usable minor unit for currency '%s'",
                           up);
    memcpy(out->code, up, 4);
    out->exponent = (int)exp;
    return BL_OK;

unknown:
    return bl_diag_set(d, BL_ENOTFOUND, "unknown currency '%s': " SUGGEST,
                       bl_str_show(code, BL_SHOW, shown));
}

static int bad_exponent(struct bl_diag *d, int exponent)
{
    return bl_diag_set(d, BL_EINVAL, "currency exponent %d is out of range: expected 0 to %d",
                       exponent, BL_MONEY_MAX_EXPONENT);
}

/* Only on the error path: say what the text most likely got wrong. */
static const char *parse_hint(struct bl_str s)
{
    if (s.len == 0)
        return "the value is empty";
    if (memchr(s.ptr, ',', s.len))
        return "use '.' as the decimal point and no thousands separators";
    if (s.ptr[0] == ' ' || s.ptr[0] == '\t' || s.ptr[s.len - 1] == ' ' || s.ptr[s.len - 1] == '\t')
        return "no spaces are allowed";
    if (s.ptr[0] == '+')
        return "no '+' sign is allowed";
    if (memchr(s.ptr, 'e', s.len) || memchr(s.ptr, 'E', s.len))
        return "no exponent notation is allowed";
    if (s.ptr[0] == '.' || (s.len > 1 && s.ptr[0] == '-' && s.ptr[1] == '.') ||
        s.ptr[s.len - 1] == '.')
        return "digits are needed on both sides of '.'";
    return "only digits, one '.' and a leading '-' are allowed";
}

int bl_money_parse(struct bl_str s, int exponent, int64_t *minor, struct bl_diag *d)
{
    if (exponent < 0 || exponent > BL_MONEY_MAX_EXPONENT)
        return bad_exponent(d, exponent);

    const unsigned char *p = (const unsigned char *)s.ptr;
    char shown[BL_SHOW_BUF];
    size_t n = s.len, i = 0;
    bool neg = false;
    if (n && p[0] == '-') {
        neg = true;
        i = 1;
    }

    /* Magnitude in minor units; ovf is sticky so syntax is still checked to the end. */
    uint64_t acc = 0;
    bool ovf = false;
    size_t start = i;
    for (; i < n; i++) {
        unsigned dig = (unsigned)p[i] - '0';
        if (dig > 9)
            break;
        ovf |= __builtin_mul_overflow(acc, 10u, &acc);
        ovf |= __builtin_add_overflow(acc, dig, &acc);
    }
    if (i == start)
        goto bad;

    int frac = 0;
    bool excess = false;
    if (i < n) {
        if (p[i] != '.')
            goto bad;
        start = ++i;
        for (; i < n; i++) {
            unsigned dig = (unsigned)p[i] - '0';
            if (dig > 9)
                goto bad;
            if (frac < exponent) {
                ovf |= __builtin_mul_overflow(acc, 10u, &acc);
                ovf |= __builtin_add_overflow(acc, dig, &acc);
                frac++;
            } else if (dig) {
                excess = true;
            }
        }
        if (i == start)
            goto bad;
    }

    if (excess) {
        if (exponent == 0)
            return bl_diag_set(d, BL_ERANGE,
                               "'%s' has decimals, but the currency has no minor unit",
                               bl_str_show(s, BL_SHOW, shown));
        return bl_diag_set(d, BL_ERANGE, "'%s' has more than %d decimal place%s",
                           bl_str_show(s, BL_SHOW, shown), exponent, exponent == 1 ? "" : "s");
    }
    for (; frac < exponent; frac++)
        ovf |= __builtin_mul_overflow(acc, 10u, &acc);
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1u : (uint64_t)INT64_MAX;
    if (ovf || acc > limit) {
        char lim[32];
        if (bl_money_format(neg ? INT64_MIN : INT64_MAX, exponent, lim, sizeof(lim)) < 0)
            lim[0] = '\0';
        return bl_diag_set(d, BL_EOVERFLOW, "'%s' is too large: amounts go up to %s",
                           bl_str_show(s, BL_SHOW, shown), lim);
    }
    if (!neg)
        *minor = (int64_t)acc;
    else if (acc == limit)
        *minor = INT64_MIN;
    else
        *minor = -(int64_t)acc;
    return BL_OK;

bad:
    return bl_diag_set(d, BL_EPARSE,
                       "expected a decimal amount such as 12, 12.5 or -0.99, got '%s' (%s)",
                       bl_str_show(s, BL_SHOW, shown), parse_hint(s));
}

int bl_money_format(int64_t minor, int exponent, char *out, size_t cap)
{
    if (exponent < 0 || exponent > BL_MONEY_MAX_EXPONENT) {
        if (cap)
            out[0] = '\0';
        return BL_EINVAL;
    }
    /* Built backwards: at most '-', 19 digits and '.' (21 bytes). */
    char tmp[24];
    size_t pos = sizeof(tmp);
    uint64_t mag = minor < 0 ? (uint64_t)0 - (uint64_t)minor : (uint64_t)minor;
    int digits = 0;
    do {
        tmp[--pos] = (char)('0' + (int)(mag % 10));
        mag /= 10;
        if (++digits == exponent)
            tmp[--pos] = '.';
    } while (mag || digits <= exponent);
    if (minor < 0)
        tmp[--pos] = '-';
    size_t len = sizeof(tmp) - pos;
    if (len >= cap) {
        if (cap)
            out[0] = '\0';
        return BL_ETOOBIG;
    }
    memcpy(out, tmp + pos, len);
    out[len] = '\0';
    return (int)len;
}

int bl_money_add(int64_t a, int64_t b, int64_t *out)
{
    int64_t r;
    if (__builtin_add_overflow(a, b, &r))
        return BL_EOVERFLOW;
    *out = r;
    return BL_OK;
}

int bl_money_sub(int64_t a, int64_t b, int64_t *out)
{
    int64_t r;
    if (__builtin_sub_overflow(a, b, &r))
        return BL_EOVERFLOW;
    *out = r;
    return BL_OK;
}

int bl_money_mul(int64_t a, int64_t n, int64_t *out)
{
    int64_t r;
    if (__builtin_mul_overflow(a, n, &r))
        return BL_EOVERFLOW;
    *out = r;
    return BL_OK;
}

int bl_money_scale(int64_t a, int64_t num, int64_t den, int64_t *out)
{
    if (den <= 0)
        return BL_EINVAL;
    /* |a * num| <= 2^126, so the 128-bit product is exact. */
    __int128 p = (__int128)a * num;
    __int128 q = p / den;
    __int128 r = p % den; /* same sign as p, |r| < den */
    if (r < 0)
        r = -r;
    if (2 * r >= den)
        q += p < 0 ? -1 : 1;
    if (q < INT64_MIN || q > INT64_MAX)
        return BL_EOVERFLOW;
    *out = (int64_t)q;
    return BL_OK;
}
