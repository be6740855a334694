/* api_dims_fuzz.c - libFuzzer target for a parcel's size as the HTTP API reads it
 * (GET /api/v1/quotes?dims_cm=LxWxH, bl__sup_dims_parse in src/api/h_supply.c).
 *
 * Input: the text (up to its first NUL). Checked: an accepted size has three lengths
 * above zero, and written back as "L.LxW.WxH.H" centimetres it reads the same. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/h_supply.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char text[256];
    size_t n = size < sizeof(text) - 1 ? size : sizeof(text) - 1;
    memcpy(text, data, n);
    text[n] = '\0';
    int64_t mm[3], again[3];
    if (bl__sup_dims_parse(text, mm) != BL_OK)
        return 0;
    char back[200];
    for (int k = 0; k < 3; k++)
        if (mm[k] <= 0)
            abort();
    snprintf(back, sizeof(back),
             "%" PRId64 ".%" PRId64 "x%" PRId64 ".%" PRId64 "x%" PRId64 ".%" PRId64, mm[0] / 10,
             mm[0] % 10, mm[1] / 10, mm[1] % 10, mm[2] / 10, mm[2] % 10);
    if (bl__sup_dims_parse(back, again) != BL_OK || memcmp(mm, again, sizeof(mm)) != 0)
        abort();
    return 0;
}
