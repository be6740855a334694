/* err.h - error codes and diagnostics.
 *
 * Every fallible function in Ballast returns an int: 0 (BL_OK) on success or a
 * negative enum bl_err value. Details for a person go into a struct bl_diag the
 * caller passes in (may be NULL when the caller does not care).
 *
 * The codes come from one X-macro table, so the enum and bl_strerror() can never
 * disagree. Append new codes at the end: values are stable.
 */
#ifndef BALLAST_ERR_H
#define BALLAST_ERR_H

#include <stddef.h>
#include <stdint.h>

#define BL_MUST_CHECK __attribute__((warn_unused_result))
#define BL_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* X(name, value, message) */
#define BL_ERR_MAP(X)                                                                         \
    X(NOMEM, -1, "out of memory")                                                             \
    X(INVAL, -2, "invalid argument")                                                          \
    X(PARSE, -3, "malformed input")                                                           \
    X(RANGE, -4, "value out of range")                                                        \
    X(OVERFLOW, -5, "arithmetic overflow")                                                    \
    X(IO, -6, "input/output error")                                                           \
    X(NOTFOUND, -7, "not found")                                                              \
    X(EXISTS, -8, "already exists")                                                           \
    X(STORE, -9, "store error")                                                               \
    X(UTF8, -10, "invalid UTF-8")                                                             \
    X(TOOBIG, -11, "size limit exceeded")                                                     \
    X(EMPTY, -12, "no data")                                                                  \
    X(SCHEMA, -13, "store schema is newer than this program")                                 \
    X(CONFLICT, -14, "conflicting data")                                                      \
    X(INTERRUPTED, -15, "interrupted")                                                        \
    X(UNSUPPORTED, -16, "not supported")

enum bl_err {
    BL_OK = 0,
#define BL__ERR_ENUM(name, val, msg) BL_E##name = (val),
    BL_ERR_MAP(BL__ERR_ENUM)
#undef BL__ERR_ENUM
};

/* Static text for a code; never NULL ("unknown error" for unknown codes). */
const char *bl_strerror(int code);

/* Symbolic name of a code, e.g. "PARSE" (for JSON output and tests). */
const char *bl_errname(int code);

/* Where and why something failed, for a person. Fixed-size: never allocates. */
struct bl_diag {
    int code;            /* enum bl_err, 0 when nothing was recorded */
    int64_t line;        /* 1-based input line, 0 when not about a line */
    char file[256];      /* input file name, "" when not about a file */
    char field[64];      /* column or field name, "" when not about one */
    char msg[512];       /* what happened and what was expected */
};

/* Reset to "nothing recorded". */
void bl_diag_clear(struct bl_diag *d);

/* Records code and a printf-style message; keeps file/line/field as set.
 * Returns code so callers can write `return bl_diag_set(d, BL_EPARSE, ...)`.
 * d may be NULL. */
int bl_diag_set(struct bl_diag *d, int code, const char *fmt, ...) BL_PRINTF(3, 4);

/* Sets the location parts (any may be NULL / 0 to leave unchanged). */
void bl_diag_at(struct bl_diag *d, const char *file, int64_t line, const char *field);

/* Formats "file:line: field 'f': message" into out (always NUL-terminated). */
void bl_diag_format(const struct bl_diag *d, char *out, size_t cap);

#include "ballast/banned.h"

#endif
