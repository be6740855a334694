/* csv.h - streaming CSV reader (RFC 4180 via libcsv), plain or gzip input.
 *
 * Reads a file record by record with memory bounded by the longest record, never
 * by the file size. Handles: gzip input (detected by its magic bytes, whatever the
 * file is called), a UTF-8 byte order mark, CRLF or LF line ends, quoted fields
 * with commas, quotes ("") and newlines. Rejects, with the physical line number:
 * broken quoting, invalid UTF-8, NUL bytes, a record longer than 1 MiB.
 *
 * While reading it computes the SHA-256 of the raw file bytes (as stored, i.e.
 * compressed for .gz), available once the whole file was read.
 *
 * Details (docs/internals/csv.md): spaces and tabs around an unquoted field are
 * trimmed (libcsv's rule), a quoted field keeps them; a line of only spaces is blank.
 * Tab-separated input (bl_csv_set_sep) trims spaces only, a tab being a separator;
 * with quoting off (bl_csv_set_quoting) every line is one record and '"' is data, as
 * in Amazon's flat files, which write a product name's quotes as they are.
 * Invalid UTF-8 (BL_EUTF8), a NUL byte (BL_EPARSE) or more than BL_CSV_MAX_FIELDS
 * fields (BL_ETOOBIG) reject one record: the next bl_csv_next goes on after it. Any
 * other error is final: later calls return 0, so a loop that reports errors and goes
 * on still ends (bl_csv_drain then finishes the hash).
 */
#ifndef BALLAST_CSV_H
#define BALLAST_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/err.h"
#include "ballast/str.h"

#define BL_CSV_MAX_FIELDS 256
#define BL_CSV_MAX_RECORD (1u << 20)

struct bl_csv;

struct bl_csv_record {
    size_t nfields;
    struct bl_str field[BL_CSV_MAX_FIELDS]; /* views valid until the next bl_csv_next,
                                               bl_csv_drain or bl_csv_close (they may
                                               point into the reader's text buffer) */
    int64_t line;                           /* physical line where the record starts, 1-based */
    int64_t index;                          /* record number, 1-based (header is 1) */
};

/* Opens path for reading ("-" is standard input). Caller owns *out; close with
 * bl_csv_close(). The diag's file is set to path for every later error ("<stdin>"
 * for "-"). */
int bl_csv_open(struct bl_csv **out, const char *path, struct bl_diag *d) BL_MUST_CHECK;

/* A source of raw bytes other than a file (an HTTP request's body as it arrives): read
 * puts up to cap bytes in dst and returns how many, 0 at the end, or a negative bl_err
 * with why (a sentence) saying what went wrong (the client went away). It may block. */
struct bl_csv_source {
    ptrdiff_t (*read)(void *ctx, void *dst, size_t cap, char *why, size_t whycap);
    void *ctx;
    const char *name; /* for diagnostics ("" for none) */
};

/* Opens a reader on src (borrowed: it must outlive the reader), with the same rules as
 * a file (gzip detected by its magic bytes). bytes_total is 0. Close with bl_csv_close. */
int bl_csv_open_source(struct bl_csv **out, const struct bl_csv_source *src,
                       struct bl_diag *d) BL_MUST_CHECK;

/* Reads the input as JSON Lines (jsonl.h) instead of CSV: the first record is names
 * (the header: the columns in order, line 0), then one record per non-blank line with a
 * field per name, a member not given or null being an empty field. A line that is not
 * such an object rejects that record (BL_EPARSE, BL_EINVAL or BL_EUTF8, with d's field
 * the member it is about). names is borrowed. Before the first bl_csv_next. */
int bl_csv_set_jsonl(struct bl_csv *c, const char *const *names, size_t n) BL_MUST_CHECK;

/* The field separator: ',' (the default), '\t' or ';'. Call it before the first
 * bl_csv_next; it applies to both parsing paths (the plain-line splitter and libcsv).
 * BL_EINVAL for any other character, or once reading has begun. */
int bl_csv_set_sep(struct bl_csv *c, char sep) BL_MUST_CHECK;

/* Quoting on (the default: RFC 4180) or off. Off, '"' is an ordinary character and
 * each physical line is one record, its fields split at every separator: the rule of
 * tab-separated exports that never quote (Amazon's flat files). Before the first
 * bl_csv_next, like bl_csv_set_sep. */
int bl_csv_set_quoting(struct bl_csv *c, bool on) BL_MUST_CHECK;

/* Reads records ahead, before the first bl_csv_next, until the end of the input, a
 * record that fails, or max_bytes of them kept (in a buffer of the reader's, freed once
 * they are all handed out): bl_csv_next then hands them out, and the failure, as it would
 * have read them, before it goes on reading. What it is for: an upload reads and parses
 * its body while it waits for its turn to write (docs/internals/api.md, "Uploads").
 * Returns 0, or BL_ENOMEM or BL_EINVAL (after the first bl_csv_next) with d filled. */
int bl_csv_read_ahead(struct bl_csv *c, size_t max_bytes, struct bl_diag *d) BL_MUST_CHECK;

/* Reads the next record into rec. Returns 1 when a record was read, 0 at end of
 * input, or a negative bl_err with d filled (file, line, message). A blank line
 * is skipped. */
int bl_csv_next(struct bl_csv *c, struct bl_csv_record *rec, struct bl_diag *d) BL_MUST_CHECK;

/* Raw bytes consumed so far and the file size (0 when unknown, e.g. a pipe). */
uint64_t bl_csv_bytes_read(const struct bl_csv *c);
uint64_t bl_csv_bytes_total(const struct bl_csv *c);

/* Reads the rest of the file without parsing, to finish the hash. */
int bl_csv_drain(struct bl_csv *c, struct bl_diag *d) BL_MUST_CHECK;

/* Lower-case hex SHA-256 of the raw bytes (65 bytes with NUL). Only meaningful
 * after bl_csv_next returned 0 or bl_csv_drain succeeded; BL_EINVAL before. */
int bl_csv_sha256(const struct bl_csv *c, char hex[65]) BL_MUST_CHECK;

void bl_csv_close(struct bl_csv *c);

/* Parses one in-memory buffer with the same rules, calling fn for each record
 * (for fuzzing and tests). Stops at fn's nonzero return and returns it. */
int bl_csv_parse_buffer(const char *data, size_t len,
                        int (*fn)(void *ctx, const struct bl_csv_record *rec), void *ctx,
                        struct bl_diag *d) BL_MUST_CHECK;
/* The same with a separator and quoting as bl_csv_set_sep and bl_csv_set_quoting. */
int bl_csv_parse_buffer_sep(const char *data, size_t len, char sep, bool quoting,
                            int (*fn)(void *ctx, const struct bl_csv_record *rec), void *ctx,
                            struct bl_diag *d) BL_MUST_CHECK;

/* Appends s as one CSV field to b, quoting when it has , " CR or LF, or starts or
 * ends with a space or tab (which the reader would trim). b is unchanged on error. */
int bl_csv_add_field(struct bl_buf *b, struct bl_str s) BL_MUST_CHECK;

/* The same for a CSV meant for a spreadsheet (every CSV Ballast writes for people: the
 * --format csv of every list, the outbox export): a cell a spreadsheet would run as a
 * formula - it starts with = + - @, a tab or CR, or the full-width ＝ ＋ － ＠, and is not a
 * plain number such as -5, -1.50 or 1e-05 - is written as ' and the text, quoted
 * ("'=1+1"), so the spreadsheet shows it as text (OWASP, CSV injection). Files Ballast
 * reads back (gen's datasets) use bl_csv_add_field. b is unchanged on error. */
int bl_csv_add_cell(struct bl_buf *b, struct bl_str s) BL_MUST_CHECK;
bool bl_csv_formula_like(struct bl_str s);

/* Maps a header record onto a file format's column table: at[k] becomes the index of the
 * field named cols[k], -1 when absent. Refuses, naming file, line and column, an unknown
 * column (listing the expected ones), a column given twice, and a missing column whose
 * required[k] is true (required may be NULL: every column optional). ncols is at most 64.
 * at is the caller's, ncols entries. */
int bl_csv_header_map(const struct bl_csv_record *rec, const char *const *cols, int ncols,
                      const bool *required, int *at, const char *file,
                      struct bl_diag *d) BL_MUST_CHECK;

#endif
