/* out.h - result output for people (aligned table) and machines (CSV, JSON).
 *
 * Begin with the column names, add rows of struct bl_val (text, integers, NULL),
 * end. Table output is buffered to align columns; CSV and JSON stream. JSON is an
 * array of objects (integers as numbers, NULL as null). Text values are copied.
 *
 * Every list goes through here, so here is where it is windowed and fitted
 * (docs/internals/cli.md): rows before --offset are skipped, rows after the row limit
 * (--limit; 50 for a table on a terminal; else all) are counted, and the end says on
 * stderr how many more there are. A table on a terminal fits its width: long text is cut
 * with an ellipsis, and rows too wide even then are printed as blocks, one "column: value"
 * line each; a table with multi-line text is always printed as blocks. CSV and JSON keep
 * every column and never cut. A table cell's control characters (ESC, CR, C1, bidi
 * overrides) are spelt out ("\x1B"), never sent to the terminal (bl_buf_add_shown);
 * JSON is exact (jansson escapes them); CSV keeps them, and guards a cell a spreadsheet
 * would run as a formula (bl_csv_add_cell).
 */
#ifndef BL_CLI_OUT_H
#define BL_CLI_OUT_H

#include "cli/cli.h"
#include "ballast/str.h"

struct bl_out {
    struct bl_cli *cli;
    const char *const *cols;
    size_t ncols;
    size_t nrows;
    struct bl_buf cells; /* table mode: NUL-separated cells */
    struct bl_buf line;  /* CSV mode: the row being written (reused) */
    size_t *offs;        /* table mode: cell offsets, ncols per row */
    size_t offs_cap;
    unsigned char *right; /* table mode: right-align column (all integers) */
    int64_t limit;        /* rows shown at most; -1: all */
    int64_t skipped;      /* rows skipped for --offset */
    int64_t more;         /* rows after the limit, counted only */
    bool multiline;       /* a text cell has a line break: blocks, not a table */
    bool capped;          /* the caller's source stopped early: "more" is a lower bound */
};

void bl_out_begin(struct bl_out *o, struct bl_cli *cli, const char *const *cols, size_t ncols);
int bl_out_row(struct bl_out *o, const struct bl_val *vals) BL_MUST_CHECK;
int bl_out_end(struct bl_out *o) BL_MUST_CHECK; /* prints (table) and frees */

/* Free text from the store (a note, a name, a message body) written to f for a person:
 * what a terminal would obey rather than show is spelt out (bl_buf_add_shown, with keep:
 * BL_SHOWN_KEEP_NL for multi-line text). Table cells go through the same. BL_OK, or
 * BL_ENOMEM / BL_EIO. */
int bl_out_text(FILE *f, struct bl_str s, unsigned keep) BL_MUST_CHECK;

/* The display width of UTF-8 text on a terminal (one line): East Asian wide characters
 * count two columns, as the tables align them. */
size_t bl_out_width(const char *s);

/* One row as a JSON object, the way JSON output writes a row: cols[i] -> vals[i],
 * in column order. For commands that print one nested document rather than an
 * array of rows. Caller owns the result (json_decref); NULL when memory runs out. */
struct json_t;
struct json_t *bl_out_json_object(const char *const *cols, size_t ncols, const struct bl_val *vals);

#endif
