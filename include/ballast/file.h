/* file.h - a whole small file into memory (templates, secrets, profiles' neighbours).
 *
 * bl_file_read reads the file at path into b, initialised here with at most max bytes;
 * the caller releases b with bl_buf_release on success (nothing to release on failure).
 * BL_ENOTFOUND when the file does not exist, BL_ETOOBIG when it is larger than max,
 * BL_EIO otherwise; d names the file. */
#ifndef BALLAST_FILE_H
#define BALLAST_FILE_H

#include <stddef.h>

#include "ballast/err.h"
#include "ballast/str.h"

int bl_file_read(const char *path, size_t max, struct bl_buf *b, struct bl_diag *d) BL_MUST_CHECK;

#endif
