/* str.h - string views and bounded buffers.
 *
 * struct bl_str is a borrowed view {ptr, len}: never owns, not NUL-terminated.
 * struct bl_buf is an owned, growable byte buffer with a maximum size (like git's
 * strbuf, but bounded): it is always NUL-terminated once anything was added.
 * Release with bl_buf_release().
 */
#ifndef BALLAST_STR_H
#define BALLAST_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/err.h"

struct bl_str {
    const char *ptr;
    size_t len;
};

#define BL_STR(lit) ((struct bl_str){(lit), sizeof(lit) - 1})

struct bl_str bl_str_c(const char *s); /* view of a C string; NULL gives empty */
bool bl_str_eq(struct bl_str a, struct bl_str b);
bool bl_str_eq_c(struct bl_str a, const char *s);
bool bl_str_eq_nocase_c(struct bl_str a, const char *s); /* ASCII case-insensitive */
bool bl_str_starts(struct bl_str s, struct bl_str prefix);
struct bl_str bl_str_trim(struct bl_str s); /* strips ASCII spaces and tabs */

/* Strict decimal integer: optional '-', digits only, no spaces. BL_EPARSE or
 * BL_EOVERFLOW on failure. */
int bl_str_to_i64(struct bl_str s, int64_t *out) BL_MUST_CHECK;

/* Writes v in decimal to out (at least BL_I64_TEXT bytes); returns the length, no NUL. */
#define BL_I64_TEXT 21
size_t bl_i64_to_text(int64_t v, char *out);

/* Checks UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
 * Returns true if valid; otherwise false and *bad = offset of the first bad byte. */
bool bl_utf8_valid(const char *p, size_t n, size_t *bad);

/* Whether s may be a name or an id a person reads (printable.c): valid UTF-8 without C0
 * controls (TAB included), DEL, C1 controls (U+0080..U+009F) or bidirectional controls
 * (U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069). BL_TEXT_OK, or the fault
 * with *at the byte offset of the first offending character. */
enum bl_text_fault { BL_TEXT_OK = 0, BL_TEXT_UTF8, BL_TEXT_CONTROL, BL_TEXT_BIDI };
enum bl_text_fault bl_text_name_check(struct bl_str s, size_t *at);
/* "a control character", ...: the fault in words (static). */
const char *bl_text_fault_name(enum bl_text_fault f);

/* Untrusted text made fit for a message: at most max bytes, cut at a UTF-8 boundary
 * with "..." marking the cut, control bytes, C1 controls and bidirectional overrides
 * as '?', and bytes past ASCII as '?' unless the text is valid UTF-8. out must hold
 * max + 4 bytes; returns out. */
const char *bl_str_show(struct bl_str s, size_t max, char *out);
#define BL_SHOW 40                /* the usual max */
#define BL_SHOW_BUF (BL_SHOW + 4) /* its buffer */

/* Copies s into dst (capacity cap) NUL-terminated, truncating; returns dst. */
char *bl_str_copy(char *dst, size_t cap, struct bl_str s);

struct bl_buf {
    char *ptr;  /* NULL until the first add */
    size_t len;
    size_t cap;
    size_t max; /* adds that would grow len past max fail with BL_ETOOBIG; 0 = 1 GiB */
};

#define BL_BUF_INIT {NULL, 0, 0, 0}

void bl_buf_init(struct bl_buf *b, size_t max);
int bl_buf_add(struct bl_buf *b, const void *p, size_t n) BL_MUST_CHECK;
int bl_buf_adds(struct bl_buf *b, struct bl_str s) BL_MUST_CHECK;
int bl_buf_addc(struct bl_buf *b, char c) BL_MUST_CHECK;
int bl_buf_add_i64(struct bl_buf *b, int64_t v) BL_MUST_CHECK; /* in decimal */
int bl_buf_addf(struct bl_buf *b, const char *fmt, ...) BL_PRINTF(2, 3) BL_MUST_CHECK;
void bl_buf_reset(struct bl_buf *b);   /* len = 0, keeps memory */
void bl_buf_release(struct bl_buf *b); /* frees memory, back to empty */
static inline struct bl_str bl_buf_str(const struct bl_buf *b)
{
    return (struct bl_str){b->ptr ? b->ptr : "", b->len};
}
/* A NUL-terminated C string view of the buffer ("" when empty). */
static inline const char *bl_buf_cstr(const struct bl_buf *b)
{
    return b->ptr ? b->ptr : "";
}

/* Untrusted text made safe for a terminal, appended to b whole: every character a
 * terminal would obey rather than show is spelt out instead. C0 controls and DEL as
 * "\r", "\t" or "\xHH" (ESC is "\x1B"), except a line feed or tab that keep lets
 * through (BL_SHOWN_KEEP_NL, BL_SHOWN_KEEP_TAB); the C1 controls U+0080..U+009F and the
 * bidirectional marks, overrides and isolates (U+061C, U+200E, U+200F, U+202A..U+202E,
 * U+2066..U+2069: the list bl_text_name_check refuses) as "\uXXXX";
 * a byte that is not valid UTF-8 as "\xHH". Everything else is copied as it is.
 * BL_OK, or the error of bl_buf_add (b then holds part of it). */
#define BL_SHOWN_KEEP_NL 1u
#define BL_SHOWN_KEEP_TAB 2u
int bl_buf_add_shown(struct bl_buf *b, struct bl_str s, unsigned keep) BL_MUST_CHECK;
/* The length of what bl_buf_add_shown would spell out at s.ptr[i] (a control byte, a
 * byte that is not valid UTF-8, a C1 control or a bidirectional control: 1 to 4), or 0
 * when the character there is shown as it is. i < s.len. */
size_t bl_str_unsafe_at(struct bl_str s, size_t i, unsigned keep);

#endif
