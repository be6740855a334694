/* str.c - string views, UTF-8 validation and bounded buffers. */
#include "ballast/str.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ballast/alloc.h"

struct bl_str bl_str_c(const char *s)
{
    return (struct bl_str){s ? s : "", s ? strlen(s) : 0};
}

bool bl_str_eq(struct bl_str a, struct bl_str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

bool bl_str_eq_c(struct bl_str a, const char *s)
{
    return bl_str_eq(a, bl_str_c(s));
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

bool bl_str_eq_nocase_c(struct bl_str a, const char *s)
{
    size_t n = strlen(s);
    if (n != a.len)
        return false;
    for (size_t i = 0; i < n; i++)
        if (lower(a.ptr[i]) != lower(s[i]))
            return false;
    return true;
}

bool bl_str_starts(struct bl_str s, struct bl_str prefix)
{
    return s.len >= prefix.len && (prefix.len == 0 || memcmp(s.ptr, prefix.ptr, prefix.len) == 0);
}

struct bl_str bl_str_trim(struct bl_str s)
{
    while (s.len && (s.ptr[0] == ' ' || s.ptr[0] == '\t')) {
        s.ptr++;
        s.len--;
    }
    while (s.len && (s.ptr[s.len - 1] == ' ' || s.ptr[s.len - 1] == '\t'))
        s.len--;
    return s;
}

int bl_str_to_i64(struct bl_str s, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    if (s.len && s.ptr[0] == '-') {
        neg = true;
        i = 1;
    }
    if (i == s.len)
        return BL_EPARSE;
    int64_t v = 0;
    for (; i < s.len; i++) {
        unsigned d = (unsigned)(s.ptr[i] - '0');
        if (d > 9)
            return BL_EPARSE;
        if (__builtin_mul_overflow(v, 10, &v) ||
            __builtin_add_overflow(v, neg ? -(int64_t)d : (int64_t)d, &v))
            return BL_EOVERFLOW;
    }
    *out = v;
    return BL_OK;
}

bool bl_utf8_valid(const char *p, size_t n, size_t *bad)
{
    const unsigned char *s = (const unsigned char *)p;
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            cp = c & 0x07;
        } else {
            goto fail;
        }
        if (n - i <= need)
            goto fail;
        for (size_t k = 1; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                goto fail;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            goto fail;
        i += need + 1;
    }
    return true;
fail:
    if (bad)
        *bad = i;
    return false;
}

char *bl_str_copy(char *dst, size_t cap, struct bl_str s)
{
    if (!cap)
        return dst;
    size_t n = s.len < cap - 1 ? s.len : cap - 1;
    if (n)
        memcpy(dst, s.ptr, n);
    dst[n] = '\0';
    return dst;
}

#define BUF_DEFAULT_MAX ((size_t)1 << 30)

void bl_buf_init(struct bl_buf *b, size_t max)
{
    b->ptr = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

static int buf_reserve(struct bl_buf *b, size_t extra)
{
    size_t need;
    size_t max = b->max ? b->max : BUF_DEFAULT_MAX;
    if (__builtin_add_overflow(b->len, extra, &need) || need > max)
        return BL_ETOOBIG;
    need++; /* NUL */
    if (need <= b->cap)
        return BL_OK;
    size_t ncap = b->cap ? b->cap : 64;
    while (ncap < need)
        ncap *= 2;
    char *p = bl_realloc(b->ptr, ncap);
    if (!p)
        return BL_ENOMEM;
    b->ptr = p;
    b->cap = ncap;
    return BL_OK;
}

int bl_buf_add(struct bl_buf *b, const void *p, size_t n)
{
    int rc = buf_reserve(b, n);
    if (rc)
        return rc;
    if (n)
        memcpy(b->ptr + b->len, p, n);
    b->len += n;
    b->ptr[b->len] = '\0';
    return BL_OK;
}

int bl_buf_adds(struct bl_buf *b, struct bl_str s)
{
    return bl_buf_add(b, s.ptr, s.len);
}

int bl_buf_addc(struct bl_buf *b, char c)
{
    return bl_buf_add(b, &c, 1);
}

int bl_buf_addf(struct bl_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0)
        return BL_EINVAL;
    if ((size_t)n < sizeof(small))
        return bl_buf_add(b, small, (size_t)n);
    int rc = buf_reserve(b, (size_t)n);
    if (rc)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return BL_OK;
}

void bl_buf_reset(struct bl_buf *b)
{
    b->len = 0;
    if (b->ptr)
        b->ptr[0] = '\0';
}

void bl_buf_release(struct bl_buf *b)
{
    bl_free(b->ptr);
    b->ptr = NULL;
    b->len = 0;
    b->cap = 0;
}

size_t bl_i64_to_text(int64_t v, char *out)
{
    char tmp[24];
    size_t n = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[n++] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u);
    size_t len = 0;
    if (v < 0)
        out[len++] = '-';
    while (n)
        out[len++] = tmp[--n];
    return len;
}

int bl_buf_add_i64(struct bl_buf *b, int64_t v)
{
    char num[BL_I64_TEXT];
    return bl_buf_add(b, num, bl_i64_to_text(v, num));
}

const char *bl_str_show(struct bl_str s, size_t max, char *out)
{
    size_t n = s.len, cut = max;
    bool more = false;
    if (n > cut) {
        while (cut > 0 && ((unsigned char)s.ptr[cut] & 0xC0) == 0x80)
            cut--;
        n = cut;
        more = true;
    }
    bool utf8 = bl_utf8_valid(s.ptr, n, NULL);
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s.ptr[i];
        if (c >= 0x80 && utf8) { /* a character; a C1 control or a bidi override: one '?' */
            size_t bad = bl_str_unsafe_at((struct bl_str){s.ptr, n}, i, 0);
            size_t len = bad ? bad : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
            if (bad) {
                out[o++] = '?';
            } else {
                memcpy(out + o, s.ptr + i, len);
                o += len;
            }
            i += len;
            continue;
        }
        out[o++] = (c < 0x20 || c == 0x7F || c >= 0x80) ? '?' : (char)c;
        i++;
    }
    if (more) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
    return out;
}
