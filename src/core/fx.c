/* fx.c - exact exchange rates and conversion (fx.h). */
#include <stdio.h>

#include "ballast/fx.h"


static const int64_t pow10_tab[19] = {1,
                                      10,
                                      100,
                                      1000,
                                      10000,
                                      100000,
                                      1000000,
                                      10000000,
                                      100000000,
                                      1000000000,
                                      10000000000,
                                      100000000000,
                                      1000000000000,
                                      10000000000000,
                                      100000000000000,
                                      1000000000000000,
                                      10000000000000000,
                                      100000000000000000,
                                      1000000000000000000};

int bl_fx_rate_parse(struct bl_str s, struct bl_fx_rate *r, struct bl_diag *d)
{
    int64_t num = 0;
    int scale = 0, digits = 0;
    bool dot = false, any = false;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];
        if (c == '.' && !dot) {
            dot = true;
            continue;
        }
        if (c < '0' || c > '9')
            return bl_diag_set(d, BL_EPARSE,
                               "rate '%.*s': expected a positive decimal number like 7.1234",
                               (int)(s.len > 40 ? 40 : s.len), s.ptr);
        any = true;
        if (num == 0 && c == '0' && !dot)
            continue; /* leading zeros */
        if (dot)
            scale++;
        if (num || c != '0')
            digits++;
        if (digits > 18)
            return bl_diag_set(d, BL_ERANGE, "rate '%.*s': more than 18 significant digits",
                               (int)(s.len > 40 ? 40 : s.len), s.ptr);
        num = num * 10 + (c - '0');
    }
    if (!any)
        return bl_diag_set(d, BL_EPARSE, "rate '%.*s': expected a positive decimal number",
                           (int)(s.len > 40 ? 40 : s.len), s.ptr);
    while (scale > 0 && num % 10 == 0) {
        num /= 10;
        scale--;
    }
    if (num == 0)
        return bl_diag_set(d, BL_ERANGE, "rate %.*s: a rate must be more than 0",
                           (int)(s.len > 40 ? 40 : s.len), s.ptr);
    if (scale > BL_FX_MAX_SCALE)
        return bl_diag_set(d, BL_ERANGE, "rate %.*s: at most %d decimal places",
                           (int)(s.len > 40 ? 40 : s.len), s.ptr, BL_FX_MAX_SCALE);
    r->num = num;
    r->scale = scale;
    return BL_OK;
}

const char *bl_fx_rate_format(const struct bl_fx_rate *r, char *out, size_t cap)
{
    if (r->scale <= 0 || r->scale > BL_FX_MAX_SCALE) {
        snprintf(out, cap, "%lld", (long long)r->num);
        return out;
    }
    int64_t p = pow10_tab[r->scale];
    snprintf(out, cap, "%lld.%0*lld", (long long)(r->num / p), r->scale,
             (long long)(r->num % p));
    return out;
}

int bl_fx_convert(int64_t amount, int ef, int et, const struct bl_fx_rate *r, bool inverse,
                  int64_t *out)
{
    const int maxe = BL_FX_MAX_SCALE / 2;
    if (!r || r->num <= 0 || r->scale < 0 || r->scale > BL_FX_MAX_SCALE || ef < 0 || ef > maxe ||
        et < 0 || et > maxe)
        return BL_EINVAL;
    bool neg = amount < 0;
    /* |INT64_MIN| fits in 128 bits */
    __int128 a = neg ? -(__int128)amount : (__int128)amount;
    __int128 num = inverse ? (__int128)pow10_tab[r->scale] : (__int128)r->num;
    __int128 den = inverse ? (__int128)r->num : (__int128)pow10_tab[r->scale];
    __int128 n = a * num; /* < 2^63 * 10^18 < 2^124 */
    if (et > ef) {
        __int128 m = pow10_tab[et - ef];
        if (n > (((__int128)1 << 126) / m))
            return BL_EOVERFLOW;
        n *= m;
    } else if (ef > et) {
        den *= pow10_tab[ef - et]; /* <= 10^18 * 10^6 */
    }
    __int128 q = n / den, rem = n % den;
    if (rem * 2 >= den)
        q++;
    if (q > (__int128)INT64_MAX)
        return BL_EOVERFLOW;
    *out = neg ? -(int64_t)q : (int64_t)q;
    return BL_OK;
}
