/* csv_cell.c - CSV cells for spreadsheets: guarded against formula injection (csv.h,
 * bl_csv_add_cell; the rule: docs/formats.md, "CSV that Ballast writes").
 *
 * A spreadsheet opening a CSV file runs a cell that starts with = + - or @ as a formula
 * (and one starting with a tab or CR after trimming it), so a buyer's name
 * "=HYPERLINK(...)" or "@SUM(A1)" would run on the operator's machine (OWASP, "CSV
 * Injection"). Such a cell is written with a single quote before it, and quoted: the
 * spreadsheet shows it as text. A plain number (-5, -1.50, +3, 1e-05) is left as it is:
 * it is a number, never a formula, and a negative amount must stay a number.
 */
#include <string.h>

#include "ballast/csv.h"

static bool digit(char c)
{
    return c >= '0' && c <= '9';
}

/* [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)? */
static bool plain_number(struct bl_str s)
{
    size_t i = 0, n = s.len, d = 0;
    const char *p = s.ptr;
    if (i < n && (p[i] == '+' || p[i] == '-'))
        i++;
    for (; i < n && digit(p[i]); i++)
        d++;
    if (i < n && p[i] == '.')
        for (i++; i < n && digit(p[i]); i++)
            d++;
    if (!d)
        return false;
    if (i < n && (p[i] == 'e' || p[i] == 'E')) {
        size_t e = 0;
        if (++i < n && (p[i] == '+' || p[i] == '-'))
            i++;
        for (; i < n && digit(p[i]); i++)
            e++;
        if (!e)
            return false;
    }
    return i == n;
}

bool bl_csv_formula_like(struct bl_str s)
{
    static const char *const wide[] = {"\xEF\xBC\x9D", "\xEF\xBC\x8B", "\xEF\xBC\x8D",
                                       "\xEF\xBC\xA0"}; /* U+FF1D = U+FF0B + U+FF0D - U+FF20 @ */
    if (!s.len)
        return false;
    if (strchr("=+-@\t\r", s.ptr[0]) && s.ptr[0] != '\0')
        return !plain_number(s);
    for (size_t k = 0; k < sizeof(wide) / sizeof(wide[0]); k++)
        if (s.len >= 3 && memcmp(s.ptr, wide[k], 3) == 0)
            return true;
    return false;
}

int bl_csv_add_cell(struct bl_buf *b, struct bl_str s)
{
    if (!bl_csv_formula_like(s))
        return bl_csv_add_field(b, s);
    size_t old = b->len;
    int rc = bl_buf_add(b, "\"'", 2);
    for (size_t i = 0; !rc && i < s.len; i++)
        rc = s.ptr[i] == '"' ? bl_buf_add(b, "\"\"", 2) : bl_buf_addc(b, s.ptr[i]);
    if (!rc)
        rc = bl_buf_addc(b, '"');
    if (rc && b->ptr) {
        b->len = old;
        b->ptr[old] = '\0';
    }
    return rc;
}
