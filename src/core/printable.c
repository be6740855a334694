/* printable.c - whether a name or an id is printable text (str.h, bl_text_fault): no
 * byte a terminal obeys, and none of the characters bl_str_unsafe_at spells out. */
#include "ballast/str.h"

enum bl_text_fault bl_text_name_check(struct bl_str s, size_t *at)
{
    const unsigned char *p = (const unsigned char *)s.ptr;
    bool checked = false; /* the UTF-8 of s, checked at its first byte past ASCII: then
                           * i steps a whole character */
    for (size_t i = 0; i < s.len; i += p[i] < 0x80 ? 1 : p[i] < 0xE0 ? 2 : p[i] < 0xF0 ? 3 : 4) {
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
        if (bl_str_unsafe_at(s, i, 0)) {
            *at = i;
            return c == 0xC2 ? BL_TEXT_CONTROL : BL_TEXT_BIDI; /* C1 is U+0080..U+009F */
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
