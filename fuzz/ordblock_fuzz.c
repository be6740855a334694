/* ordblock_fuzz.c - libFuzzer target for bl_ordblock_parse / bl_ordblock_column (the
 * order blocks a snapshot reads from the store).
 *
 * Input: the bytes of a block. Checks: parsing never reads outside them; a refusal is
 * BL_EPARSE or BL_EUNSUPPORTED with a message; an accepted block decodes every column
 * or refuses a code past its dictionary with BL_EPARSE, and its dictionary codes are
 * in range. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ballast/ordblock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bl_ordblock b;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_ordblock_parse(data, size, &b, &d);
    if (rc != BL_OK) {
        if ((rc != BL_EPARSE && rc != BL_EUNSUPPORTED) || d.code != rc || d.msg[0] == '\0')
            abort();
        return 0;
    }
    int64_t *col[BL_OB__COUNT] = {0};
    for (int c = 0; !rc && c < BL_OB__COUNT; c++) {
        col[c] = malloc(b.n * sizeof(int64_t));
        if (!col[c])
            abort();
        rc = bl_ordblock_column(&b, (enum bl_ob_col)c, col[c], &d);
    }
    if (rc != BL_OK && (rc != BL_EPARSE || d.msg[0] == '\0'))
        abort();
    if (rc == BL_OK) {
        for (size_t i = 0; i < b.n; i++) {
            if (col[BL_OB_FROM][i] < 0 || (size_t)col[BL_OB_FROM][i] > b.nregions ||
                col[BL_OB_CURRENCY][i] < 0 || (size_t)col[BL_OB_CURRENCY][i] >= b.ncurrencies)
                abort();
        }
    }
    for (int c = 0; c < BL_OB__COUNT; c++)
        free(col[c]);
    bl_ordblock_release(&b);
    return 0;
}
