/* parse.c - what the API reads from a request before a handler runs: the path's {x}
 * segments, the query's parameters, a JSON body, a page cursor (api_impl.h). Untrusted
 * bytes all: fuzz/api_fuzz.c runs each. */
#include <string.h>

#include <sodium.h>

#include "api/api_impl.h"

bool bl__api_match(const char *pattern, struct bl_str path, struct bl_str *params, size_t *n)
{
    const char *p = pattern, *s = path.ptr, *end = path.ptr + path.len;
    *n = 0;
    while (*p && s < end) {
        if (*p != '{') {
            if (*p++ != *s++)
                return false;
            continue;
        }
        const char *close = strchr(p, '}');
        const char *slash = memchr(s, '/', (size_t)(end - s));
        const char *seg_end = slash ? slash : end;
        if (!close || seg_end == s || *n >= BL_API_PARAMS_MAX)
            return false;
        params[(*n)++] = (struct bl_str){s, (size_t)(seg_end - s)};
        p = close + 1;
        s = seg_end;
    }
    return !*p && s == end;
}

/* The deepest nesting of arrays and objects in p (strings skipped); stops counting past
 * max + 1. */
static unsigned json_depth(const char *p, size_t n, unsigned max)
{
    unsigned depth = 0, deepest = 0;
    bool in_str = false;
    for (size_t i = 0; i < n && deepest <= max; i++) {
        char ch = p[i];
        if (in_str) {
            if (ch == '\\')
                i++;
            else if (ch == '"')
                in_str = false;
        } else if (ch == '"') {
            in_str = true;
        } else if (ch == '[' || ch == '{') {
            if (++depth > deepest)
                deepest = depth;
        } else if ((ch == ']' || ch == '}') && depth) {
            depth--;
        }
    }
    return deepest;
}

int bl__api_json_parse(struct bl_str body, unsigned max_depth, json_t **out, struct bl_diag *d)
{
    *out = NULL;
    size_t bad;
    if (!bl_utf8_valid(body.ptr, body.len, &bad)) {
        bl_diag_at(d, NULL, 0, "body");
        return bl_diag_set(d, BL_EUTF8, "the body is not valid UTF-8 (byte %zu)", bad + 1);
    }
    if (json_depth(body.ptr, body.len, max_depth) > max_depth) {
        bl_diag_at(d, NULL, 0, "body");
        return bl_diag_set(d, BL_ETOOBIG, "the body nests deeper than %u levels", max_depth);
    }
    json_error_t e;
    json_t *j = json_loadb(body.ptr, body.len, JSON_REJECT_DUPLICATES, &e);
    if (!j) {
        bl_diag_at(d, NULL, e.line > 0 ? e.line : 0, "body");
        return bl_diag_set(d, BL_EPARSE, "malformed JSON at column %d: %s", e.column, e.text);
    }
    if (!json_is_object(j)) {
        json_decref(j);
        bl_diag_at(d, NULL, 0, "body");
        return bl_diag_set(d, BL_EPARSE, "the body must be a JSON object");
    }
    *out = j;
    return BL_OK;
}

static bool clean_text(const char *s)
{
    size_t n = strlen(s), bad;
    if (!bl_utf8_valid(s, n, &bad))
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return false;
    return true;
}

int bl__api_query_check(const struct bl__api_route *r, const struct bl__api_kv *q, size_t n,
                        struct bl_diag *d)
{
    char shown[BL_SHOW_BUF];
    for (size_t i = 0; i < n; i++) {
        bool known = false;
        for (const struct bl__api_param *p = r->query; p && p->name && !known; p++)
            known = strcmp(p->name, q[i].key) == 0;
        bl_diag_at(d, NULL, 0, bl_str_show(bl_str_c(q[i].key), BL_SHOW, shown));
        if (!known)
            return bl_diag_set(d, BL_EINVAL, "unknown query parameter '%s' for %s %s", shown,
                               r->method, r->path);
        for (size_t k = 0; k < i; k++)
            if (strcmp(q[k].key, q[i].key) == 0)
                return bl_diag_set(d, BL_EINVAL, "query parameter '%s' given twice", shown);
        if (!q[i].val || !clean_text(q[i].val))
            return bl_diag_set(d, BL_EINVAL, "query parameter '%s': %s", shown,
                               q[i].val ? "control characters or invalid UTF-8"
                                        : "needs a value (name=value)");
    }
    return BL_OK;
}

#define B64 sodium_base64_VARIANT_URLSAFE_NO_PADDING

void bl__api_cursor_encode(int64_t a, int64_t b, char *out, size_t cap)
{
    unsigned char raw[16];
    for (int i = 0; i < 8; i++) {
        raw[i] = (unsigned char)((uint64_t)a >> (56 - 8 * i));
        raw[8 + i] = (unsigned char)((uint64_t)b >> (56 - 8 * i));
    }
    if (cap >= sodium_base64_ENCODED_LEN(sizeof(raw), B64))
        sodium_bin2base64(out, cap, raw, sizeof(raw), B64);
    else if (cap)
        out[0] = '\0';
}

/* Only base64url's alphabet: libsodium's decoder takes some bytes past ASCII as letters. */
static bool b64url_text(struct bl_str s)
{
    for (size_t i = 0; i < s.len; i++) {
        char ch = s.ptr[i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
              ch == '-' || ch == '_'))
            return false;
    }
    return true;
}

int bl__api_cursor_decode(struct bl_str s, int64_t *a, int64_t *b)
{
    unsigned char raw[16];
    size_t got = 0;
    if (s.len != sodium_base64_ENCODED_LEN(sizeof(raw), B64) - 1 || !b64url_text(s) ||
        sodium_base642bin(raw, sizeof(raw), s.ptr, s.len, NULL, &got, NULL, B64) != 0 ||
        got != sizeof(raw))
        return BL_EPARSE;
    uint64_t x = 0, y = 0;
    for (int i = 0; i < 8; i++) {
        x = x << 8 | raw[i];
        y = y << 8 | raw[8 + i];
    }
    *a = (int64_t)x;
    *b = (int64_t)y;
    return BL_OK;
}

int bl_api_parse_listen(const char *text, char *host, size_t cap, uint16_t *port, struct bl_diag *d)
{
    struct bl_str s = bl_str_c(text), h = s, p = {"", 0};
    if (!s.len)
        goto bad;
    if (s.len && s.ptr[0] == '[') { /* [v6]:port */
        const char *close = memchr(s.ptr, ']', s.len);
        if (!close)
            goto bad;
        h = (struct bl_str){s.ptr + 1, (size_t)(close - s.ptr - 1)};
        if ((size_t)(close - s.ptr) + 1 < s.len) {
            if (close[1] != ':')
                goto bad;
            p = (struct bl_str){close + 2, s.len - (size_t)(close - s.ptr) - 2};
        }
    } else {
        const char *colon = memchr(s.ptr, ':', s.len);
        if (colon && memchr(colon + 1, ':', s.len - (size_t)(colon - s.ptr) - 1))
            goto bad; /* a bare IPv6 address: [::1]:8080 */
        if (colon) {
            h = (struct bl_str){s.ptr, (size_t)(colon - s.ptr)};
            p = (struct bl_str){colon + 1, s.len - h.len - 1};
        }
    }
    int64_t v = *port;
    if ((p.len && (bl_str_to_i64(p, &v) || v < 0 || v > 65535)) || h.len >= cap)
        goto bad;
    if (h.len)
        bl_str_copy(host, cap, h);
    *port = (uint16_t)v;
    return BL_OK;
bad:
    bl_diag_at(d, NULL, 0, "listen");
    return bl_diag_set(d, BL_EINVAL,
                       "--listen %s: expected HOST:PORT (127.0.0.1:8080, [::1]:8080, :8080)", text);
}
