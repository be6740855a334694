/* shown_fuzz.c - libFuzzer target for what Ballast writes for people: bl_buf_add_shown
 * (text made safe for a terminal) and bl_csv_add_cell (CSV cells a spreadsheet cannot
 * run). Not a parser, but every byte of it comes from people Ballast does not control.
 *
 * Input: the first byte picks what bl_buf_add_shown keeps (line feeds, tabs), the rest
 * is the text. Checks: the shown text is valid UTF-8 and holds no C0 control but those
 * kept, no DEL, no C1 control and no bidi override; text with none of them comes out
 * unchanged. The CSV cell reads back (bl_csv_parse_buffer) as the text, with one "'"
 * before it exactly when bl_csv_formula_like says so, and a guarded cell never starts
 * with = + - @ TAB CR.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ballast/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_shown(struct bl_str s, unsigned keep)
{
    struct bl_buf b = BL_BUF_INIT;
    if (bl_buf_add_shown(&b, s, keep) != BL_OK)
        abort();
    struct bl_str out = bl_buf_str(&b);
    if (!bl_utf8_valid(out.ptr, out.len, NULL))
        abort();
    bool clean = true;
    for (size_t i = 0; i < s.len && clean;) {
        unsigned char c = (unsigned char)s.ptr[i];
        clean = bl_str_unsafe_at(s, i, keep) == 0;
        i += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4; /* clean: a whole character */
    }
    for (size_t i = 0; i < out.len;) { /* character by character: valid UTF-8 */
        unsigned char c = (unsigned char)out.ptr[i];
        if ((c < 0x20 && !(c == '\n' && (keep & BL_SHOWN_KEEP_NL)) &&
             !(c == '\t' && (keep & BL_SHOWN_KEEP_TAB))) ||
            c == 0x7F || bl_str_unsafe_at(out, i, keep) != 0)
            abort();
        i += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    }
    if (clean && !bl_str_eq(s, out))
        abort();
    bl_buf_release(&b);
}

struct back {
    struct bl_buf text;
    size_t n;
};

static int one(void *ctx, const struct bl_csv_record *rec)
{
    struct back *k = ctx;
    k->n++;
    return rec->nfields == 1 ? bl_buf_adds(&k->text, rec->field[0]) : BL_EPARSE;
}

static void check_cell(struct bl_str s)
{
    /* the reader refuses NUL and invalid UTF-8, and skips blank lines: text it reads */
    if (!s.len || memchr(s.ptr, '\0', s.len) || !bl_utf8_valid(s.ptr, s.len, NULL))
        return;
    if (s.len >= 3 && memcmp(s.ptr, "\xEF\xBB\xBF", 3) == 0) /* a BOM: dropped at the start */
        return;
    struct bl_buf line = BL_BUF_INIT;
    if (bl_csv_add_cell(&line, s) != BL_OK || bl_buf_addc(&line, '\n') != BL_OK)
        abort();
    bool guarded = bl_csv_formula_like(s);
    if (guarded && strncmp(line.ptr, "\"'", 2) != 0)
        abort();
    if (!guarded && s.len && strchr("=@", s.ptr[0]) && s.ptr[0])
        abort();
    struct back k = {BL_BUF_INIT, 0};
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_csv_parse_buffer(line.ptr, line.len, one, &k, &d) == BL_OK && k.n == 1) {
        struct bl_str got = bl_buf_str(&k.text);
        size_t q = guarded ? 1 : 0;
        /* the reader trims edge spaces only of unquoted fields; add_field quotes them */
        if (got.len != s.len + q || (q && got.ptr[0] != '\'') ||
            memcmp(got.ptr + q, s.ptr, s.len) != 0)
            abort();
    }
    bl_buf_release(&k.text);
    bl_buf_release(&line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct bl_str s = {(const char *)data + 1, size - 1};
    check_shown(s, data[0] & 3u);
    check_cell(s);
    return 0;
}
