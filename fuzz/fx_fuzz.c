/* fx_fuzz.c - libFuzzer target for bl_fx_rate_parse / bl_fx_rate_format / bl_fx_convert.
 *
 * Input: the first 8 bytes are an amount, the next two pick the exponents (0..6) and
 * the direction, the rest is the rate's text. Checks: parse never crashes and every
 * failure says why; an accepted rate formats to text that parses back to the same rate;
 * conversion either fits or says BL_EOVERFLOW, is odd in the amount (-x converts to the
 * negation of x), and at rate 1 between equal exponents is the identity.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ballast/fx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 10)
        return 0;
    int64_t amount;
    memcpy(&amount, data, sizeof(amount));
    if (amount == INT64_MIN)
        amount = INT64_MIN + 1;
    int ef = data[8] % 7, et = (data[9] >> 1) % 7;
    bool inverse = data[9] & 1;
    struct bl_str s = {(const char *)data + 10, size - 10};
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_fx_rate r;
    int rc = bl_fx_rate_parse(s, &r, &d);
    if (rc != BL_OK) {
        if ((rc != BL_EPARSE && rc != BL_ERANGE) || d.code != rc || d.msg[0] == '\0')
            abort();
        return 0;
    }
    if (r.num <= 0 || r.scale < 0 || r.scale > BL_FX_MAX_SCALE)
        abort();
    char text[48];
    struct bl_fx_rate back;
    if (bl_fx_rate_parse(bl_str_c(bl_fx_rate_format(&r, text, sizeof(text))), &back, NULL) ||
        back.num != r.num || back.scale != r.scale)
        abort();
    int64_t a = 0, b = 0;
    int ra = bl_fx_convert(amount, ef, et, &r, inverse, &a);
    int rb = bl_fx_convert(-amount, ef, et, &r, inverse, &b);
    if ((ra != BL_OK && ra != BL_EOVERFLOW) || ra != rb || (ra == BL_OK && a != -b))
        abort();
    struct bl_fx_rate one = {1, 0};
    if (bl_fx_convert(amount, ef, ef, &one, inverse, &a) != BL_OK || a != amount)
        abort();
    return 0;
}
