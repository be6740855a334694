/* file.c - a whole small file into memory (file.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ballast/file.h"

int bl_file_read(const char *path, size_t max, struct bl_buf *b, struct bl_diag *d)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        int e = errno;
        bl_diag_at(d, path, 0, NULL);
        return bl_diag_set(d, e == ENOENT ? BL_ENOTFOUND : BL_EIO, "cannot open: %s", strerror(e));
    }
    bl_buf_init(b, max);
    char chunk[65536];
    size_t n;
    int rc = BL_OK;
    while (!rc && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        rc = bl_buf_add(b, chunk, n);
    if (!rc && ferror(f))
        rc = BL_EIO;
    fclose(f);
    if (rc) {
        bl_buf_release(b);
        bl_diag_at(d, path, 0, NULL);
        if (rc == BL_ETOOBIG)
            return bl_diag_set(d, rc, "file larger than %zu bytes", max);
        return bl_diag_set(d, rc, "cannot read: %s", bl_strerror(rc));
    }
    return BL_OK;
}
