/* printable.c - whether a name or an id is printable text (str.h, bl_text_fault). */
#include "ballast/str.h"

/* The length of the character at s[i] when it is a C1 control (U+0080..U+009F) or a
 * bidirectional control (U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069),
 * else 0. s is valid UTF-8. */
static size_t invisible(const unsigned char *s, size_t n, size_t i, bool *bidi)
{
    unsigned char c = s[i];
    *bidi = false;
    if (c == 0xC2 && i + 1 < n && s[i + 1] <= 0x9F)
        return 2;
    *bidi = true;
    if (c == 0xD8 && i + 1 < n && s[i + 1] == 0x9C)
        return 2;
    if (c != 0xE2 || i + 2 >= n)
        return 0;
    unsigned char b = s[i + 1], t = s[i + 2];
    if (b == 0x80 && (t == 0x8E || t == 0x8F || (t >= 0xAA && t <= 0xAE)))
        return 3;
    if (b == 0x81 && t >= 0xA6 && t <= 0xA9)
        return 3;
    return 0;
}

enum bl_text_fault bl_text_name_check(struct bl_str s, size_t *at)
{
    const unsigned char *p = (const unsigned char *)s.ptr;
    bool checked = false; /* the UTF-8 of s, checked at its first byte past ASCII */
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = p[i];
        if (c < 0x20 || c == 0x7F) {
            *at = i;
            return BL_TEXT_CONTROL;
        }
        if (c < 0x80)
            continue;
        size_t bad;
        if (!checked && !bl_utf8_valid(s.ptr, s.len, &bad)) {
            *at = bad;
            return BL_TEXT_UTF8;
        }
        checked = true;
        bool bidi;
        if (invisible(p, s.len, i, &bidi)) {
            *at = i;
            return bidi ? BL_TEXT_BIDI : BL_TEXT_CONTROL;
        }
    }
    *at = 0;
    return BL_TEXT_OK;
}

const char *bl_text_fault_name(enum bl_text_fault f)
{
    switch (f) {
    case BL_TEXT_UTF8:
        return "a byte that is not UTF-8";
    case BL_TEXT_CONTROL:
        return "a control character";
    case BL_TEXT_BIDI:
        return "a bidirectional control character";
    default:
        return "nothing wrong";
    }
}
