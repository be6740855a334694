/* err.c - the error table and diagnostics. */
#include "ballast/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *bl_strerror(int code)
{
    switch (code) {
    case BL_OK:
        return "success";
#define BL__ERR_STR(name, val, msg)                                                           \
    case BL_E##name:                                                                          \
        return msg;
        BL_ERR_MAP(BL__ERR_STR)
#undef BL__ERR_STR
    }
    return "unknown error";
}

const char *bl_errname(int code)
{
    switch (code) {
    case BL_OK:
        return "OK";
#define BL__ERR_NAME(name, val, msg)                                                          \
    case BL_E##name:                                                                          \
        return #name;
        BL_ERR_MAP(BL__ERR_NAME)
#undef BL__ERR_NAME
    }
    return "UNKNOWN";
}

void bl_diag_clear(struct bl_diag *d)
{
    /* Cheap on purpose: hot paths clear a scratch diag per field. */
    if (!d)
        return;
    d->code = 0;
    d->line = 0;
    d->file[0] = '\0';
    d->field[0] = '\0';
    d->msg[0] = '\0';
}

static void copy_trunc(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

int bl_diag_set(struct bl_diag *d, int code, const char *fmt, ...)
{
    if (!d)
        return code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
    va_end(ap);
    d->code = code;
    return code;
}

void bl_diag_at(struct bl_diag *d, const char *file, int64_t line, const char *field)
{
    if (!d)
        return;
    if (file)
        copy_trunc(d->file, sizeof(d->file), file);
    if (line)
        d->line = line;
    if (field)
        copy_trunc(d->field, sizeof(d->field), field);
}

void bl_diag_format(const struct bl_diag *d, char *out, size_t cap)
{
    if (!cap)
        return;
    size_t n = 0;
    int w;
#define BL__APPEND(...)                                                                       \
    do {                                                                                      \
        w = snprintf(out + n, cap - n, __VA_ARGS__);                                          \
        if (w < 0)                                                                            \
            return;                                                                           \
        n = ((size_t)w >= cap - n) ? cap - 1 : n + (size_t)w;                                 \
    } while (0)
    out[0] = '\0';
    if (d->file[0])
        BL__APPEND("%s:", d->file);
    if (d->line)
        BL__APPEND("%lld:", (long long)d->line);
    if (n)
        BL__APPEND(" ");
    if (d->field[0])
        BL__APPEND("column '%s': ", d->field);
    BL__APPEND("%s", d->msg[0] ? d->msg : bl_strerror(d->code));
#undef BL__APPEND
}
