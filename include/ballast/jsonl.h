/* jsonl.h - one line of JSON Lines read as a record of named columns.
 *
 * An upload of orders as JSON Lines (docs/formats.md, "Orders as JSON Lines") has one
 * flat JSON object per line whose members are the columns of the native CSV: the CSV
 * reader (csv.h, bl_csv_set_jsonl) hands each line here and gives the importer the
 * values as the fields of a record, so a line is validated exactly as a CSV row is.
 *
 * A value is a string (its text, unescaped), a number (its JSON text, as written), true
 * or false (the words) or null (an absent value, as an empty CSV field). An object or an
 * array as a value, a member that is not a column, a member twice, text after the object
 * or anything that is not JSON (RFC 8259) is refused, and so is a string that is not
 * UTF-8 or holds a NUL (\u0000): a record is text.
 */
#ifndef BALLAST_JSONL_H
#define BALLAST_JSONL_H

#include <stddef.h>

#include "ballast/err.h"

/* Why a line was refused: code (BL_EPARSE: not the JSON expected; BL_EINVAL: an unknown
 * or repeated member; BL_EUTF8), the member it is about ("" when none), the byte offset
 * in the line, and what was expected. */
struct bl_jsonl_err {
    int code;
    size_t at;
    char field[64];
    char msg[200];
};

/* Parses s[0..n) (one line, its line end removed) as one object whose member names are
 * among names[0..nnames). Each value present is written to out (which must hold n
 * bytes: unescaped text is never longer than its JSON) with its offset off[i] and
 * length len[i] for names[i]; present[i] says whether member i was given (a null counts
 * as absent). Returns BL_OK or err->code. Owns nothing; keeps nothing. */
int bl_jsonl_line(const char *s, size_t n, const char *const *names, size_t nnames, char *out,
                  size_t *off, size_t *len, unsigned char *present,
                  struct bl_jsonl_err *err) BL_MUST_CHECK;

#endif
