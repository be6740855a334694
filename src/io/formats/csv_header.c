/* csv_header.c - a file format's header row mapped onto its column table (csv.h,
 * bl_csv_header_map), with the errors every format gives for it. */
#include <string.h>

#include "ballast/csv.h"

/* "a, b, c": the expected columns, for the message about an unknown one. */
static void expected(char *out, size_t cap, const char *const *cols, int ncols)
{
    size_t n = 0;
    out[0] = '\0';
    for (int k = 0; k < ncols && n + 1 < cap; k++) {
        size_t len = strlen(cols[k]);
        const char *sep = k ? ", " : "";
        if (n + strlen(sep) + len + 1 > cap)
            break;
        memcpy(out + n, sep, strlen(sep));
        n += strlen(sep);
        memcpy(out + n, cols[k], len);
        n += len;
        out[n] = '\0';
    }
}

int bl_csv_header_map(const struct bl_csv_record *rec, const char *const *cols, int ncols,
                      const bool *required, int *at, const char *file, struct bl_diag *d)
{
    for (int k = 0; k < ncols; k++)
        at[k] = -1;
    for (size_t i = 0; i < rec->nfields; i++) {
        int k = 0;
        while (k < ncols && !bl_str_eq_c(rec->field[i], cols[k]))
            k++;
        if (k == ncols) {
            char list[400];
            expected(list, sizeof(list), cols, ncols);
            bl_diag_clear(d);
            bl_diag_at(d, file, rec->line, "");
            return bl_diag_set(d, BL_EPARSE, "unknown column \"%.*s\" (a typo?): expected %s",
                               (int)(rec->field[i].len > 60 ? 60 : rec->field[i].len),
                               rec->field[i].ptr, list);
        }
        if (at[k] >= 0) {
            bl_diag_clear(d);
            bl_diag_at(d, file, rec->line, cols[k]);
            return bl_diag_set(d, BL_EPARSE, "the column is there twice");
        }
        at[k] = (int)i;
    }
    for (int k = 0; required && k < ncols; k++)
        if (at[k] < 0 && required[k]) {
            bl_diag_clear(d);
            bl_diag_at(d, file, rec->line, cols[k]);
            return bl_diag_set(d, BL_EPARSE, "missing column: the header needs it");
        }
    return BL_OK;
}
