/* str_shown.c - untrusted text made safe for a terminal (str.h, bl_buf_add_shown).
 *
 * A terminal obeys some characters instead of showing them: ESC starts a sequence that
 * can set the window title, clear the screen or rewrite what is already there, CR goes
 * back to the start of the line, the C1 controls (U+0080..U+009F; CSI is U+009B) do
 * what ESC does on some terminals, and the bidirectional marks, overrides and isolates
 * (U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069) reorder what follows them. Text from the store
 * (notes, reasons, names, message bodies) is written with each of those spelt out.
 */
#include <stdio.h>

#include "ballast/str.h"

/* The code point of the valid UTF-8 sequence at p (at most n bytes) in *cp, and its
 * length; 0 when the bytes there are not valid UTF-8. */
static size_t decode(const unsigned char *p, size_t n, uint32_t *cp)
{
    size_t len = p[0] < 0xE0 ? 2 : p[0] < 0xF0 ? 3 : 4;
    if (len > n || !bl_utf8_valid((const char *)p, len, NULL))
        return 0;
    uint32_t v = p[0] & (len == 2 ? 0x1Fu : len == 3 ? 0x0Fu : 0x07u);
    for (size_t k = 1; k < len; k++)
        v = (v << 6) | (p[k] & 0x3Fu);
    *cp = v;
    return len;
}

/* The one list of characters a terminal obeys or that reorder text, past ASCII: the C1
 * controls and the bidirectional marks, embeddings, overrides and isolates (U+061C,
 * U+200E, U+200F, U+202A..U+202E, U+2066..U+2069). Names refuse them (printable.c). */
static bool unsafe_cp(uint32_t cp)
{
    return (cp >= 0x80 && cp <= 0x9F) || cp == 0x061C || cp == 0x200E || cp == 0x200F ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* How the control byte c is spelt: \r, \t, else \xHH. */
static int add_byte(struct bl_buf *b, unsigned char c)
{
    if (c == '\r')
        return bl_buf_add(b, "\\r", 2);
    if (c == '\t')
        return bl_buf_add(b, "\\t", 2);
    char hex[5];
    snprintf(hex, sizeof(hex), "\\x%02X", (unsigned)c);
    return bl_buf_add(b, hex, 4);
}

size_t bl_str_unsafe_at(struct bl_str s, size_t i, unsigned keep)
{
    unsigned char c = (unsigned char)s.ptr[i];
    if (c < 0x20 || c == 0x7F)
        return (c == '\n' && (keep & BL_SHOWN_KEEP_NL)) || (c == '\t' && (keep & BL_SHOWN_KEEP_TAB))
                   ? 0
                   : 1;
    if (c < 0x80)
        return 0;
    uint32_t cp = 0;
    size_t len = decode((const unsigned char *)s.ptr + i, s.len - i, &cp);
    if (!len)
        return 1;
    return unsafe_cp(cp) ? len : 0;
}

int bl_buf_add_shown(struct bl_buf *b, struct bl_str s, unsigned keep)
{
    size_t from = 0, i = 0;
    int rc = BL_OK;
    while (!rc && i < s.len) {
        size_t bad = bl_str_unsafe_at(s, i, keep);
        if (!bad) {
            unsigned char c = (unsigned char)s.ptr[i];
            i += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4; /* valid: checked above */
            continue;
        }
        rc = bl_buf_add(b, s.ptr + from, i - from);
        if (!rc && bad == 1) {
            rc = add_byte(b, (unsigned char)s.ptr[i]);
        } else if (!rc) {
            uint32_t cp = 0;
            decode((const unsigned char *)s.ptr + i, s.len - i, &cp);
            char u[16]; /* C1 and bidi controls are in the BMP: always 6 bytes */
            int n = snprintf(u, sizeof(u), "\\u%04X", (unsigned)cp);
            rc = bl_buf_add(b, u, n > 0 && (size_t)n < sizeof(u) ? (size_t)n : 0);
        }
        i += bad;
        from = i;
    }
    if (!rc)
        rc = bl_buf_add(b, s.ptr + from, s.len - from);
    return rc;
}
