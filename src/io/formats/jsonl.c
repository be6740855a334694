/* jsonl.c - one JSON Lines object as a record of named columns (jsonl.h).
 *
 * A small strict parser for the one shape an upload line has: an object of scalar
 * members. It writes unescaped values straight into the caller's buffer (no tree, no
 * allocation), which keeps a line of an order at a few hundred nanoseconds. Fuzzed by
 * fuzz/jsonl_fuzz.c.
 */
#include "ballast/jsonl.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ballast/str.h"

struct jp {
    const char *s;
    size_t n, p;
    char *out;
    size_t o;
    struct bl_jsonl_err *err;
};

BL_PRINTF(4, 5)
static int refuse(struct jp *j, int code, const char *field, const char *fmt, ...)
{
    struct bl_jsonl_err *e = j->err;
    e->code = code;
    e->at = j->p;
    bl_str_copy(e->field, sizeof(e->field), bl_str_c(field));
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    va_end(ap);
    return code;
}

static void skip_ws(struct jp *j)
{
    while (j->p < j->n &&
           (j->s[j->p] == ' ' || j->s[j->p] == '\t' || j->s[j->p] == '\r' || j->s[j->p] == '\n'))
        j->p++;
}

static int hex4(const char *s, unsigned *v)
{
    *v = 0;
    for (int i = 0; i < 4; i++) {
        char ch = s[i];
        unsigned x;
        if (ch >= '0' && ch <= '9')
            x = (unsigned)(ch - '0');
        else if (ch >= 'a' && ch <= 'f')
            x = (unsigned)(ch - 'a' + 10);
        else if (ch >= 'A' && ch <= 'F')
            x = (unsigned)(ch - 'A' + 10);
        else
            return -1;
        *v = *v << 4 | x;
    }
    return 0;
}

static size_t put_utf8(char *out, unsigned cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | cp >> 12);
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | cp >> 18);
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* \uXXXX at s[p] (after the backslash and 'u'), a surrogate pair joined: the code point
 * and the escape's length past "\u". -1: malformed or a lone surrogate. */
static int unicode_escape(const struct jp *j, size_t p, unsigned *cp, size_t *used)
{
    if (p + 4 > j->n || hex4(j->s + p, cp))
        return -1;
    *used = 4;
    if (*cp >= 0xdc00 && *cp <= 0xdfff)
        return -1;
    if (*cp < 0xd800 || *cp > 0xdbff)
        return 0;
    unsigned lo;
    if (p + 10 > j->n || j->s[p + 4] != '\\' || j->s[p + 5] != 'u' || hex4(j->s + p + 6, &lo) ||
        lo < 0xdc00 || lo > 0xdfff)
        return -1;
    *cp = 0x10000 + ((*cp - 0xd800) << 10) + (lo - 0xdc00);
    *used = 10;
    return 0;
}

/* The escape at s[p] (after the backslash) written to dst: its length, 0 when bad. */
static size_t unescape(struct jp *j, char *dst, size_t *adv)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    char ch = j->p < j->n ? j->s[j->p] : '\0';
    const char *k = ch ? strchr(from, ch) : NULL;
    if (k) {
        *dst = to[k - from];
        *adv = 1;
        return 1;
    }
    unsigned cp;
    size_t used;
    if (ch != 'u' || unicode_escape(j, j->p + 1, &cp, &used) || cp == 0)
        return 0;
    *adv = 1 + used;
    return put_utf8(dst, cp);
}

/* A string at s[p] (its opening quote) unescaped into out[o..): *start and *len. */
static int string(struct jp *j, const char *field, size_t *start, size_t *len)
{
    j->p++; /* the quote */
    *start = j->o;
    for (;;) {
        size_t from = j->p;
        while (j->p < j->n && j->s[j->p] != '"' && j->s[j->p] != '\\' &&
               (unsigned char)j->s[j->p] >= 0x20)
            j->p++;
        memcpy(j->out + j->o, j->s + from, j->p - from);
        j->o += j->p - from;
        if (j->p == j->n)
            return refuse(j, BL_EPARSE, field, "a string is not closed (a '\"' is missing)");
        char ch = j->s[j->p];
        if (ch == '"')
            break;
        if (ch != '\\')
            return refuse(j, BL_EPARSE, field,
                          "a control character (0x%02x) inside a string: write it as an "
                          "escape (\\n, \\t, \\u00XX)",
                          (unsigned)(unsigned char)ch);
        j->p++;
        size_t adv = 0, w = unescape(j, j->out + j->o, &adv);
        if (!w)
            return refuse(j, BL_EPARSE, field,
                          "a bad escape in a string: expected \\\" \\\\ \\/ \\b \\f \\n \\r \\t "
                          "or \\uXXXX (not \\u0000, no lone surrogate)");
        j->o += w;
        j->p += adv;
    }
    j->p++;
    *len = j->o - *start;
    size_t bad;
    if (!bl_utf8_valid(j->out + *start, *len, &bad))
        return refuse(j, BL_EUTF8, field, "invalid UTF-8 in a string (byte 0x%02x)",
                      (unsigned)(unsigned char)j->out[*start + bad]);
    return BL_OK;
}

static size_t digits(const struct jp *j, size_t p)
{
    size_t q = p;
    while (q < j->n && j->s[q] >= '0' && j->s[q] <= '9')
        q++;
    return q - p;
}

/* A number's JSON text (RFC 8259 grammar), copied as written. */
static int number(struct jp *j, const char *field, size_t *start, size_t *len)
{
    size_t p = j->p;
    if (p < j->n && j->s[p] == '-')
        p++;
    size_t k = digits(j, p);
    bool ok = k > 0 && !(k > 1 && j->s[p] == '0');
    p += k;
    if (ok && p < j->n && j->s[p] == '.') {
        k = digits(j, p + 1);
        ok = k > 0;
        p += 1 + k;
    }
    if (ok && p < j->n && (j->s[p] == 'e' || j->s[p] == 'E')) {
        p++;
        if (p < j->n && (j->s[p] == '+' || j->s[p] == '-'))
            p++;
        k = digits(j, p);
        ok = k > 0;
        p += k;
    }
    if (!ok)
        return refuse(j, BL_EPARSE, field, "a malformed number");
    *start = j->o;
    *len = p - j->p;
    memcpy(j->out + j->o, j->s + j->p, *len);
    j->o += *len;
    j->p = p;
    return BL_OK;
}

static bool word(struct jp *j, const char *w)
{
    size_t k = strlen(w);
    if (j->n - j->p < k || memcmp(j->s + j->p, w, k) != 0)
        return false;
    j->p += k;
    return true;
}

/* A member's value: *len SIZE_MAX for null. */
static int value(struct jp *j, const char *field, size_t *start, size_t *len)
{
    char ch = j->p < j->n ? j->s[j->p] : '\0';
    if (ch == '"')
        return string(j, field, start, len);
    if (ch == '-' || (ch >= '0' && ch <= '9'))
        return number(j, field, start, len);
    *start = j->o;
    if (word(j, "null")) {
        *len = SIZE_MAX;
        return BL_OK;
    }
    const char *w = word(j, "true") ? "true" : word(j, "false") ? "false" : NULL;
    if (w) {
        *len = strlen(w);
        memcpy(j->out + j->o, w, *len);
        j->o += *len;
        return BL_OK;
    }
    if (ch == '{' || ch == '[')
        return refuse(j, BL_EPARSE, field,
                      "a nested %s: a value is a string, a number, true, false or null",
                      ch == '{' ? "object" : "array");
    return refuse(j, BL_EPARSE, field,
                  "expected a value (a string, a number, true, false or null)");
}

/* The member name at s[p] (a string): its column index, or an error. */
static int member(struct jp *j, const char *const *names, size_t nnames, size_t *col)
{
    if (j->p >= j->n || j->s[j->p] != '"')
        return refuse(j, BL_EPARSE, NULL, "expected a member name in double quotes");
    size_t o = j->o, start, len;
    int rc = string(j, NULL, &start, &len);
    j->o = o; /* the name is not kept */
    if (rc)
        return rc;
    struct bl_str name = {j->out + start, len};
    for (size_t i = 0; i < nnames; i++) /* the first byte first: most names differ there */
        if ((!len || names[i][0] == name.ptr[0]) && strncmp(names[i], name.ptr, len) == 0 &&
            names[i][len] == '\0') {
            *col = i;
            return BL_OK;
        }
    char shown[BL_SHOW_BUF];
    bl_str_show(name, BL_SHOW, shown);
    return refuse(j, BL_EINVAL, shown, "not a column of this kind (docs/formats.md)");
}

static int members(struct jp *j, const char *const *names, size_t nnames, size_t *off,
                   size_t *len, unsigned char *present)
{
    for (;;) {
        skip_ws(j);
        size_t col = 0;
        int rc = member(j, names, nnames, &col);
        if (rc)
            return rc;
        if (present[col] || off[col] != SIZE_MAX)
            return refuse(j, BL_EINVAL, names[col], "given twice in one line");
        skip_ws(j);
        if (j->p >= j->n || j->s[j->p] != ':')
            return refuse(j, BL_EPARSE, names[col], "expected ':' after the member name");
        j->p++;
        skip_ws(j);
        size_t start, n;
        rc = value(j, names[col], &start, &n);
        if (rc)
            return rc;
        off[col] = start;
        len[col] = n == SIZE_MAX ? 0 : n;
        present[col] = n != SIZE_MAX;
        skip_ws(j);
        char ch = j->p < j->n ? j->s[j->p] : '\0';
        j->p++;
        if (ch == '}')
            return BL_OK;
        if (ch != ',') {
            j->p--;
            return refuse(j, BL_EPARSE, NULL, "expected ',' or '}' after a member");
        }
    }
}

int bl_jsonl_line(const char *s, size_t n, const char *const *names, size_t nnames, char *out,
                  size_t *off, size_t *len, unsigned char *present, struct bl_jsonl_err *err)
{
    struct jp j = {.s = s, .n = n, .out = out, .err = err};
    memset(err, 0, sizeof(*err));
    for (size_t i = 0; i < nnames; i++) {
        off[i] = SIZE_MAX; /* not seen (a null sets it) */
        len[i] = 0;
        present[i] = 0;
    }
    skip_ws(&j);
    if (j.p >= n || s[j.p] != '{')
        return refuse(&j, BL_EPARSE, NULL, "expected a JSON object ({...}) on the line");
    j.p++;
    skip_ws(&j);
    int rc = BL_OK;
    if (j.p < n && s[j.p] == '}')
        j.p++;
    else
        rc = members(&j, names, nnames, off, len, present);
    if (rc)
        return rc;
    skip_ws(&j);
    if (j.p < n)
        return refuse(&j, BL_EPARSE, NULL, "text after the object: one object per line");
    for (size_t i = 0; i < nnames; i++)
        if (off[i] == SIZE_MAX)
            off[i] = 0;
    return BL_OK;
}
