/* money_fuzz.c - libFuzzer target for bl_money_parse / bl_money_format.
 *
 * Input: the first byte picks the exponent (0..4), the rest is the text.
 * Checks: parse never crashes; any accepted amount formats to text that parses
 * back to the same value and formats again to the same text; the formatted text
 * has exactly `exponent` fraction digits; scaling by 1/1 is the identity.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ballast/money.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int exponent = data[0] % 5;
    struct bl_str s = {(const char *)data + 1, size - 1};
    struct bl_diag d;
    bl_diag_clear(&d);
    int64_t v = 0;
    int rc = bl_money_parse(s, exponent, &v, &d);
    if (rc != BL_OK) {
        if (rc != BL_EPARSE && rc != BL_ERANGE && rc != BL_EOVERFLOW)
            abort();
        if (d.code != rc || d.msg[0] == '\0')
            abort();
        return 0;
    }

    char out[32];
    int n = bl_money_format(v, exponent, out, sizeof(out));
    if (n <= 0 || (size_t)n != strlen(out))
        abort();
    const char *dot = strchr(out, '.');
    if (exponent == 0 ? dot != NULL : (dot == NULL || strlen(dot + 1) != (size_t)exponent))
        abort();

    int64_t back = 0;
    if (bl_money_parse((struct bl_str){out, (size_t)n}, exponent, &back, NULL) != BL_OK ||
        back != v)
        abort();
    char again[32];
    if (bl_money_format(back, exponent, again, sizeof(again)) != n || strcmp(out, again) != 0)
        abort();

    int64_t same = 0;
    if (bl_money_scale(v, 1, 1, &same) != BL_OK || same != v)
        abort();
    return 0;
}
