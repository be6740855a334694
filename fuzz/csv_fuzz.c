/* csv_fuzz.c - libFuzzer target for the CSV reader (bl_csv_parse_buffer).
 *
 * Besides "no crash, no leak, no undefined behaviour" it checks, for every record the
 * reader accepts: the documented limits, that line and index only move forward, and
 * that writing the record with bl_csv_add_field and reading it back gives the same
 * fields (the writer and the reader agree on quoting). The same bytes are also read as
 * tab-separated, with quoting and without (Amazon's flat files), for the same limits.
 */
#include <stdint.h>
#include <string.h>

#include "ballast/csv.h"

struct state {
    int64_t line, index;
    const struct bl_csv_record *want; /* for the round trip */
    int seen;
};

static int same_record(void *ctx, const struct bl_csv_record *got)
{
    struct state *st = ctx;
    const struct bl_csv_record *want = st->want;
    if (st->seen++ || got->nfields != want->nfields)
        __builtin_trap();
    for (size_t i = 0; i < got->nfields; i++)
        if (!bl_str_eq(got->field[i], want->field[i]))
            __builtin_trap();
    return 0;
}

static int on_record(void *ctx, const struct bl_csv_record *rec)
{
    struct state *st = ctx;
    if (rec->nfields < 1 || rec->nfields > BL_CSV_MAX_FIELDS)
        __builtin_trap();
    if (rec->index != st->index + 1 || rec->line <= st->line)
        __builtin_trap();
    st->index = rec->index;
    st->line = rec->line;
    size_t total = 0;
    for (size_t i = 0; i < rec->nfields; i++) {
        total += rec->field[i].len;
        if (!bl_utf8_valid(rec->field[i].ptr, rec->field[i].len, NULL) ||
            memchr(rec->field[i].ptr, '\0', rec->field[i].len))
            __builtin_trap();
    }
    if (total > BL_CSV_MAX_RECORD)
        __builtin_trap();

    /* A leading BOM is dropped by the reader: write one so that a first field that
     * starts with U+FEFF keeps it. */
    struct bl_buf out = BL_BUF_INIT;
    int rc = bl_buf_adds(&out, BL_STR("\xef\xbb\xbf"));
    if (!rc && rec->nfields == 1 && rec->field[0].len == 0)
        rc = bl_buf_adds(&out, BL_STR("\"\"")); /* an empty line would be skipped */
    for (size_t i = 0; i < rec->nfields && !rc; i++) {
        if (i)
            rc = bl_buf_addc(&out, ',');
        if (!rc)
            rc = bl_csv_add_field(&out, rec->field[i]);
    }
    if (!rc)
        rc = bl_buf_addc(&out, '\n');
    if (!rc) {
        struct state again = {0, 0, rec, 0};
        if (bl_csv_parse_buffer(out.ptr, out.len, same_record, &again, NULL) != 0 ||
            again.seen != 1)
            __builtin_trap();
    }
    bl_buf_release(&out);
    return 0;
}

/* Tab-separated: the limits and the order of lines (no round trip: the writer is CSV's). */
static int on_tab_record(void *ctx, const struct bl_csv_record *rec)
{
    struct state *st = ctx;
    if (rec->nfields < 1 || rec->nfields > BL_CSV_MAX_FIELDS)
        __builtin_trap();
    if (rec->index != st->index + 1 || rec->line <= st->line)
        __builtin_trap();
    st->index = rec->index;
    st->line = rec->line;
    for (size_t i = 0; i < rec->nfields; i++)
        if (!bl_utf8_valid(rec->field[i].ptr, rec->field[i].len, NULL) ||
            memchr(rec->field[i].ptr, '\0', rec->field[i].len))
            __builtin_trap();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct state st = {0, 0, NULL, 0};
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_csv_parse_buffer((const char *)data, size, on_record, &st, &d);
    if (rc > 0 || (rc < 0 && (d.code != rc || !d.msg[0])))
        __builtin_trap(); /* errors must come with a diagnostic */
    for (int quoting = 0; quoting < 2; quoting++) {
        struct state ts = {0, 0, NULL, 0};
        bl_diag_clear(&d);
        rc = bl_csv_parse_buffer_sep((const char *)data, size, '\t', quoting, on_tab_record, &ts,
                                     &d);
        if (rc > 0 || (rc < 0 && (d.code != rc || !d.msg[0])))
            __builtin_trap();
    }
    return 0;
}
