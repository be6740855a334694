/* csv_test.c - the streaming CSV reader: quoting, line numbers, gzip, hashing, errors. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "testutil.h"
#include "ballast/alloc.h"
#include "ballast/csv.h"

#define SHA_ABC_NL "edeaaff3f1774ad2888673770c6d64097e391bc362d7d6fb34982ddf0efd18cb"
#define SHA_EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

/* ------------------------------------------------------------------ helpers */

struct tmp {
    char *dir;
    char *paths[16];
    int n;
};

static const char *tmp_file(struct tmp *t, const char *name, const char *data, size_t len)
{
    if (!t->dir)
        t->dir = bl_test_tmpdir();
    assert_true(t->n < 16);
    t->paths[t->n] = bl_test_write_file(t->dir, name, data, len);
    return t->paths[t->n++];
}

static void tmp_clean(struct tmp *t)
{
    for (int i = 0; i < t->n; i++) {
        unlink(t->paths[i]);
        free(t->paths[i]);
    }
    if (t->dir) {
        rmdir(t->dir);
        free(t->dir);
    }
    memset(t, 0, sizeof(*t));
}

/* Appends "L<line> #<index> f1|f2|...\n" for a record. */
static void dump_rec(struct bl_buf *out, const struct bl_csv_record *r)
{
    assert_int_equal(bl_buf_addf(out, "L%lld #%lld ", (long long)r->line, (long long)r->index),
                     BL_OK);
    for (size_t i = 0; i < r->nfields; i++) {
        if (i)
            assert_int_equal(bl_buf_addc(out, '|'), BL_OK);
        assert_int_equal(bl_buf_adds(out, r->field[i]), BL_OK);
    }
    assert_int_equal(bl_buf_addc(out, '\n'), BL_OK);
}

static int dump_cb(void *ctx, const struct bl_csv_record *r)
{
    dump_rec(ctx, r);
    return 0;
}

/* Parses data in memory; the dump goes to out, the result is returned. */
static int parse_mem(const char *data, size_t len, struct bl_buf *out, struct bl_diag *d)
{
    bl_buf_reset(out);
    bl_diag_clear(d);
    return bl_csv_parse_buffer(data, len, dump_cb, out, d);
}

#define PARSE_STR(lit, out, d) parse_mem((lit), sizeof(lit) - 1, (out), (d))

/* Reads a whole file; the dump goes to out. Returns 0 or the first error. */
static int read_file(const char *path, struct bl_buf *out, struct bl_diag *d, char hex[65])
{
    struct bl_csv *c;
    bl_buf_reset(out);
    bl_diag_clear(d);
    int rc = bl_csv_open(&c, path, d);
    if (rc)
        return rc;
    struct bl_csv_record rec;
    while ((rc = bl_csv_next(c, &rec, d)) == 1)
        dump_rec(out, &rec);
    if (rc == 0 && hex)
        assert_int_equal(bl_csv_sha256(c, hex), BL_OK);
    bl_csv_close(c);
    return rc;
}

static void sha_hex(const void *p, size_t n, char hex[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, p, n);
    sodium_bin2hex(hex, 65, h, sizeof(h));
}

/* gzip-compresses data into a malloc'd buffer (gzip header, so magic 1f 8b). */
static unsigned char *gzip_bytes(const char *data, size_t len, size_t *out_len)
{
    z_stream zs;
    memset(&zs, 0, sizeof(zs));
    assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    uLong cap = deflateBound(&zs, (uLong)len) + 64;
    unsigned char *out = malloc(cap);
    assert_non_null(out);
    zs.next_in = (Bytef *)(uintptr_t)data;
    zs.avail_in = (uInt)len;
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    *out_len = cap - zs.avail_out;
    deflateEnd(&zs);
    return out;
}

/* ------------------------------------------------------------------ parsing */

static void test_basic(void **state)
{
    (void)state;
    struct bl_buf out = BL_BUF_INIT;
    struct bl_diag d;
    assert_int_equal(PARSE_STR("sku,qty\nA-1,3\nB-2,\n,\n", &out, &d), 0);
    assert_string_equal(bl_buf_cstr(&out), "L1 #1 sku|qty\n"
                                           "L2 #2 A-1|3\n"
                                           "L3 #3 B-2|\n"
                                           "L4 #4 |\n");
    /* final line without newline */
    assert_int_equal(PARSE_STR("a,b\nc,d", &out, &d), 0);
    assert_string_equal(bl_buf_cstr(&out), "L1 #1 a|b\nL2 #2 c|d\n");
    bl_buf_release(&out);
}

static void test_quoting_and_lines(void **state)
{
    (void)state;
    struct bl_buf out = BL_BUF_INIT;
    struct bl_diag d;
    const char csv[] = "id,title,note\n"
                       "1,\"Lounge, metal sign\",\"7\"\" frame\"\n"
                       "2,\"two\nline\",x\n"
                       "3,\"three\n\nlines, with \"\"quotes\"\"\n\",y\n"
                       "4,after,z\n"
                       "5,\"\",\"\"\"\"\n";
    assert_int_equal(PARSE_STR(csv, &out, &d), 0);
    assert_string_equal(bl_buf_cstr(&out), "L1 #1 id|title|note\n"
                                           "L2 #2 1|Lounge, metal sign|7\" frame\n"
                                           "L3 #3 2|two\nline|x\n"
                                           "L5 #4 3|three\n\nlines, with \"quotes\"\n|y\n"
                                           "L9 #5 4|after|z\n"
                                           "L10 #6 5||\"\n");
    bl_buf_release(&out);
}

static void test_crlf_and_spaces(void **state)
{
    (void)state;
    struct bl_buf out = BL_BUF_INIT;
    struct bl_diag d;
    /* CRLF ends, a CRLF inside quotes is data, mixed line ends, no final newline */
    assert_int_equal(PARSE_STR("a,b\r\n\"x\r\ny\",\"q\"\r\nlf,only\nc,d\r", &out, &d), 0);
    assert_string_equal(bl_buf_cstr(&out), "L1 #1 a|b\n"
                                           "L2 #2 x\r\ny|q\n"
                                           "L4 #3 lf|only\n"
                                           "L5 #4 c|d\n");
    /* spaces around unquoted fields are trimmed, quoted ones kept; a lone CR is data */
    assert_int_equal(PARSE_STR(" a , \" b \" ,c\td\t\nx\ry,z\r\n", &out, &d), 0);
    assert_string_equal(bl_buf_cstr(&out), "L1 #1 a| b |c\td\nL2 #2 x\ry|z\n");
    bl_buf_release(&out);
}

/* Plain lines (no quote, no stray CR) are split without libcsv; the result must be
 * what libcsv gives, also next to lines that go through libcsv. */
static void test_plain_and_quoted_lines_mixed(void **state)
{
    (void)state;
    struct bl_buf out = BL_BUF_INIT;
    struct bl_diag d;
    assert_int_equal(PARSE_STR(" \ta \t,  ,b c,\r\n"
                               "\"q\",x\n"
                               "1,\"multi\nline\"\n"
                               "\t2 ,3\t\r\n"
                               "x\ry ,4\n"
                               ",\n"
                               "last,one",
                               &out, &d),
                     0);
    assert_string_equal(bl_buf_cstr(&out), "L1 #1 a||b c|\n"
                                           "L2 #2 q|x\n"
                                           "L3 #3 1|multi\nline\n"
                                           "L5 #4 2|3\n"
                                           "L6 #5 x\ry|4\n"
                                           "L7 #6 |\n"
                                           "L8 #7 last|one\n");
    /* invalid UTF-8 in a plain line names its field */
    assert_int_equal(PARSE_STR("ok,line\na,b,\xff\n", &out, &d), BL_EUTF8);
    assert_int_equal(d.line, 2);
    assert_non_null(strstr(d.msg, "field 3"));

    /* a file of plain lines longer than the text buffer: fields stay right across refills */
    struct tmp t = {0};
    struct bl_buf big = BL_BUF_INIT;
    for (int i = 0; i < 40000; i++)
        assert_int_equal(
            bl_buf_addf(&big, "o%d, %d ,SKU-%05d,\t%d.%02d\n", i, i % 7, i, i, i % 100), BL_OK);
    const char *path = tmp_file(&t, "plain.csv", big.ptr, big.len);
    struct bl_csv *c;
    struct bl_csv_record rec;
    assert_int_equal(bl_csv_open(&c, path, &d), BL_OK);
    for (int i = 0; i < 40000; i++) {
        assert_int_equal(bl_csv_next(c, &rec, &d), 1);
        char want[64];
        snprintf(want, sizeof(want), "o%d|%d|SKU-%05d|%d.%02d", i, i % 7, i, i, i % 100);
        bl_buf_reset(&out);
        for (size_t f = 0; f < rec.nfields; f++) {
            if (f)
                assert_int_equal(bl_buf_addc(&out, '|'), BL_OK);
            assert_int_equal(bl_buf_adds(&out, rec.field[f]), BL_OK);
        }
        assert_string_equal(bl_buf_cstr(&out), want);
        assert_int_equal(rec.line, i + 1);
    }
    assert_int_equal(bl_csv_next(c, &rec, &d), 0);
    bl_csv_close(c);
    bl_buf_release(&big);
    tmp_clean(&t);
    bl_buf_release(&out);
}

static void test_blank_lines_and_bom(void **state)
{
    (void)state;
    struct bl_buf out = BL_BUF_INIT;
    struct bl_diag d;
    assert_int_equal(PARSE_STR("\xef\xbb\xbfname,v\n\n\r\n   \n\"\"\nb,2\n\n", &out, &d), 0);
    assert_string_equal(bl_buf_cstr(&out), "L1 #1 name|v\nL5 #2 \nL6 #3 b|2\n");
    /* a BOM alone, and nothing at all */
    assert_int_equal(PARSE_STR("\xef\xbb\xbf", &out, &d), 0);
    assert_string_equal(bl_buf_cstr(&out), "");
    assert_int_equal(parse_mem(NULL, 0, &out, &d), 0);
    assert_string_equal(bl_buf_cstr(&out), "");
    /* UTF-16 is refused with a clear message */
    assert_int_equal(PARSE_STR("\xff\xfe"
                               "a\0,\0",
                               &out, &d),
                     BL_EUTF8);
    assert_non_null(strstr(d.msg, "UTF-16"));
    assert_int_equal(d.line, 1);
    bl_buf_release(&out);
}

static void test_invalid_utf8_and_nul(void **state)
{
    (void)state;
    struct bl_buf out = BL_BUF_INIT;
    struct bl_diag d;
    assert_int_equal(PARSE_STR("a,b,c\nok,\xe5\xbf\xab,3\nx,y,z\xff\n", &out, &d), BL_EUTF8);
    assert_string_equal(bl_buf_cstr(&out), "L1 #1 a|b|c\nL2 #2 ok|\xe5\xbf\xab|3\n");
    assert_int_equal(d.code, BL_EUTF8);
    assert_int_equal(d.line, 3);
    assert_non_null(strstr(d.msg, "invalid UTF-8 in field 3 (byte 0xff)"));

    assert_int_equal(PARSE_STR("a,b\n1,\"x\0y\"\n", &out, &d), BL_EPARSE);
    assert_int_equal(d.line, 2);
    assert_non_null(strstr(d.msg, "NUL byte in field 2"));

    /* truncated sequence in a multi-line field: the record's first line is named */
    assert_int_equal(PARSE_STR("h\n\"a\nb\xe5\xbf\"\n", &out, &d), BL_EUTF8);
    assert_int_equal(d.line, 2);
    assert_non_null(strstr(d.msg, "field 1 (byte 0xe5)"));
    bl_buf_release(&out);
}

/* CR-only line ends (classic Mac OS) are named on line 1, with or without quoting and
 * gzip; a CR inside quotes, a lone final CR and CR with LF elsewhere are not taken for
 * them (issue 15 item 12: "expected 3 fields, got 5" said nothing of CR). */
static void test_cr_only_line_ends(void **state)
{
    (void)state;
    struct bl_buf out = BL_BUF_INIT;
    struct bl_diag d;
    assert_int_equal(PARSE_STR("sku,date,units\rk1,2024-01-01,3\rk2,2024-01-01,4\r", &out, &d),
                     BL_EPARSE);
    assert_string_equal(bl_buf_cstr(&out), "");
    assert_int_equal(d.line, 1);
    assert_non_null(strstr(d.msg, "the lines end with CR alone (classic Mac OS line ends"));
    assert_non_null(strstr(d.msg, "expected LF or CRLF line ends"));
    /* the same after a byte order mark, and tab-separated without quoting */
    assert_int_equal(PARSE_STR("\xef\xbb\xbf" "a,b\r1,2", &out, &d), BL_EPARSE);
    bl_buf_reset(&out);
    bl_diag_clear(&d);
    const char tsv[] = "a\t\"b\rc\"\td\r";
    assert_int_equal(bl_csv_parse_buffer_sep(tsv, sizeof(tsv) - 1, '\t', false, dump_cb, &out,
                                             &d),
                     BL_EPARSE);
    assert_non_null(strstr(d.msg, "CR alone"));

    /* not CR-only: a CR inside a quoted field of a one-line file, a final CR, CR + LF */
    assert_int_equal(PARSE_STR("\"a\rb\",c\r", &out, &d), 0);
    assert_string_equal(bl_buf_cstr(&out), "L1 #1 a\rb|c\n");
    assert_int_equal(PARSE_STR("a,b\r", &out, &d), 0);
    assert_string_equal(bl_buf_cstr(&out), "L1 #1 a|b\n");
    assert_int_equal(PARSE_STR("a,b\rc\nd,e\n", &out, &d), 0);
    assert_string_equal(bl_buf_cstr(&out), "L1 #1 a|b\rc\nL2 #2 d|e\n");

    /* a file, gzipped: the same words with its name */
    char path[] = "/tmp/csv_test_cr.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char text[] = "id,region\rw1,CN\rw2,VN\r";
    size_t zn;
    unsigned char *z = gzip_bytes(text, sizeof(text) - 1, &zn);
    assert_int_equal(write(fd, z, zn), (ssize_t)zn);
    close(fd);
    free(z);
    assert_int_equal(read_file(path, &out, &d, NULL), BL_EPARSE);
    assert_string_equal(d.file, path);
    assert_int_equal(d.line, 1);
    assert_non_null(strstr(d.msg, "CR alone"));
    unlink(path);
    bl_buf_release(&out);
}

static void test_broken_quotes(void **state)
{
    (void)state;
    struct bl_buf out = BL_BUF_INIT;
    struct bl_diag d;
    /* a quote inside an unquoted field */
    assert_int_equal(PARSE_STR("a,b\n1,2\n3,4\"5\n6,7\n", &out, &d), BL_EPARSE);
    assert_string_equal(bl_buf_cstr(&out), "L1 #1 a|b\nL2 #2 1|2\n");
    assert_int_equal(d.line, 3);
    assert_true(strncmp(d.msg, "broken quoting: ", 16) == 0);
    assert_non_null(strstr(d.msg, "a quote inside an unquoted field on line 3"));

    /* a quote opened on line 2 and "closed" on line 4 by the next field's quote */
    assert_int_equal(PARSE_STR("a,b\n1,\"oops\n2,x\n3,\"y\"\n", &out, &d), BL_EPARSE);
    assert_int_equal(d.line, 2);
    assert_non_null(strstr(d.msg, "'y' after the closing quote of a field on line 4"));
    assert_non_null(strstr(d.msg, "record starts on line 2"));

    /* unterminated at the end of the file */
    assert_int_equal(PARSE_STR("a,b\n1,2\n3,\"open\n4,5\n", &out, &d), BL_EPARSE);
    assert_string_equal(bl_buf_cstr(&out), "L1 #1 a|b\nL2 #2 1|2\n");
    assert_int_equal(d.line, 3);
    assert_non_null(strstr(d.msg, "broken quoting: "));
    assert_non_null(strstr(d.msg, "never closed"));
    bl_buf_release(&out);
}

static void test_limits(void **state)
{
    (void)state;
    struct bl_buf out = BL_BUF_INIT;
    struct bl_buf in = BL_BUF_INIT;
    struct bl_diag d;
    /* exactly BL_CSV_MAX_FIELDS is fine, one more is not */
    assert_int_equal(bl_buf_adds(&in, BL_STR("h\n")), BL_OK);
    for (int i = 0; i < BL_CSV_MAX_FIELDS; i++)
        assert_int_equal(bl_buf_addf(&in, i ? ",%d" : "%d", i), BL_OK);
    assert_int_equal(bl_buf_addc(&in, '\n'), BL_OK);
    assert_int_equal(parse_mem(in.ptr, in.len, &out, &d), 0);
    in.len--;
    assert_int_equal(bl_buf_adds(&in, BL_STR(",x\n")), BL_OK);
    assert_int_equal(parse_mem(in.ptr, in.len, &out, &d), BL_ETOOBIG);
    assert_int_equal(d.line, 2);
    assert_non_null(strstr(d.msg, "more than 256 fields"));

    /* a record just under 1 MiB passes, one over does not */
    bl_buf_reset(&in);
    assert_int_equal(bl_buf_adds(&in, BL_STR("a,b\n\"")), BL_OK);
    for (size_t i = 0; i < BL_CSV_MAX_RECORD - 1; i++)
        assert_int_equal(bl_buf_addc(&in, i % 100 == 99 ? '\n' : 'x'), BL_OK);
    assert_int_equal(bl_buf_adds(&in, BL_STR("\",y\nlast,1\n")), BL_OK);
    assert_int_equal(parse_mem(in.ptr, in.len, &out, &d), 0);
    assert_non_null(strstr(bl_buf_cstr(&out), "\nL10488 #3 last|1\n"));
    bl_buf_reset(&in);
    assert_int_equal(bl_buf_adds(&in, BL_STR("a,b\nok,1\n\"")), BL_OK);
    for (size_t i = 0; i < BL_CSV_MAX_RECORD + 10; i++)
        assert_int_equal(bl_buf_addc(&in, i % 100 == 99 ? '\n' : 'x'), BL_OK);
    assert_int_equal(parse_mem(in.ptr, in.len, &out, &d), BL_ETOOBIG);
    assert_int_equal(d.line, 3);
    assert_non_null(strstr(d.msg, "larger than 1048576 bytes"));
    assert_non_null(strstr(d.msg, "never closed"));
    bl_buf_release(&in);
    bl_buf_release(&out);
}

static int stop_at_second(void *ctx, const struct bl_csv_record *r)
{
    int *seen = ctx;
    (*seen)++;
    return r->index == 2 ? 42 : 0;
}

static void test_parse_buffer_stops(void **state)
{
    (void)state;
    int seen = 0;
    struct bl_diag d;
    assert_int_equal(bl_csv_parse_buffer("a\nb\nc\n", 6, stop_at_second, &seen, &d), 42);
    assert_int_equal(seen, 2);
}

/* ------------------------------------------------------------------ files */

static void test_file_errors_name_the_file(void **state)
{
    (void)state;
    struct tmp t = {0};
    struct bl_buf out = BL_BUF_INIT;
    struct bl_diag d;
    const char csv[] = "a,b\n1,\xff\n2,3\n4,\"5\n";
    const char *p = tmp_file(&t, "orders.csv", csv, sizeof(csv) - 1);
    struct bl_csv *c;
    assert_int_equal(bl_csv_open(&c, p, &d), BL_OK);
    struct bl_csv_record rec;
    assert_int_equal(bl_csv_next(c, &rec, &d), 1);
    /* a bad record is reported and skipped; the reader goes on */
    assert_int_equal(bl_csv_next(c, &rec, &d), BL_EUTF8);
    assert_string_equal(d.file, p);
    assert_int_equal(d.line, 2);
    char msg[1024];
    bl_diag_format(&d, msg, sizeof(msg));
    assert_non_null(strstr(msg, ":2: invalid UTF-8 in field 2 (byte 0xff)"));
    assert_int_equal(bl_csv_next(c, &rec, &d), 1);
    assert_int_equal(rec.index, 3);
    assert_true(bl_str_eq_c(rec.field[1], "3"));
    /* broken quoting is final: reported once, then the reader is at its end */
    assert_int_equal(bl_csv_next(c, &rec, &d), BL_EPARSE);
    assert_int_equal(d.line, 4);
    assert_string_equal(d.file, p);
    assert_int_equal(bl_csv_next(c, &rec, &d), 0);
    char hex[65];
    assert_int_equal(bl_csv_sha256(c, hex), BL_OK); /* the whole file was read */
    bl_csv_close(c);

    assert_int_equal(read_file("/nonexistent/ballast/x.csv", &out, &d, NULL), BL_ENOTFOUND);
    assert_string_equal(d.file, "/nonexistent/ballast/x.csv");
    assert_non_null(strstr(d.msg, "cannot open"));
    assert_int_equal(read_file(t.dir, &out, &d, NULL), BL_EIO);
    assert_non_null(strstr(d.msg, "directory"));
    bl_buf_release(&out);
    tmp_clean(&t);
}

static void test_hash(void **state)
{
    (void)state;
    struct tmp t = {0};
    struct bl_buf out = BL_BUF_INIT;
    struct bl_diag d;
    char hex[65], hex2[65];
    const char *a = tmp_file(&t, "a.csv", "abc\n", 4);
    const char *b = tmp_file(&t, "b.txt", "abc\n", 4);
    const char *e = tmp_file(&t, "empty.csv", "", 0);
    BL_ASSERT_OK(read_file(a, &out, &d, hex), &d);
    assert_string_equal(hex, SHA_ABC_NL);
    assert_string_equal(bl_buf_cstr(&out), "L1 #1 abc\n");
    BL_ASSERT_OK(read_file(b, &out, &d, hex2), &d);
    assert_string_equal(hex2, hex);
    BL_ASSERT_OK(read_file(e, &out, &d, hex), &d);
    assert_string_equal(hex, SHA_EMPTY);
    assert_string_equal(bl_buf_cstr(&out), "");

    /* not available before the end; bytes counters */
    const char *h = tmp_file(&t, "hdr.csv", "sku,qty", 7);
    struct bl_csv *c;
    struct bl_csv_record rec;
    BL_ASSERT_OK(bl_csv_open(&c, h, &d), &d);
    assert_int_equal(bl_csv_sha256(c, hex), BL_EINVAL);
    assert_int_equal(bl_csv_bytes_total(c), 7);
    assert_int_equal(bl_csv_bytes_read(c), 0);
    assert_int_equal(bl_csv_next(c, &rec, &d), 1); /* header only, no newline */
    assert_int_equal(rec.nfields, 2);
    assert_true(bl_str_eq_c(rec.field[1], "qty"));
    assert_int_equal(bl_csv_next(c, &rec, &d), 0);
    assert_int_equal(bl_csv_next(c, &rec, &d), 0);
    assert_int_equal(bl_csv_bytes_read(c), 7);
    assert_int_equal(bl_csv_sha256(c, hex), BL_OK);
    sha_hex("sku,qty", 7, hex2);
    assert_string_equal(hex, hex2);
    bl_csv_close(c);
    bl_buf_release(&out);
    tmp_clean(&t);
}

static void test_drain(void **state)
{
    (void)state;
    struct tmp t = {0};
    struct bl_diag d;
    /* bigger than one read chunk, so the drain really reads */
    size_t len = 600 * 1024;
    char *data = malloc(len);
    assert_non_null(data);
    for (size_t i = 0; i < len; i++)
        data[i] = i % 16 == 15 ? '\n' : (char)('a' + i % 16);
    const char *p = tmp_file(&t, "big.csv", data, len);
    char want[65], hex[65];
    sha_hex(data, len, want);

    struct bl_csv *c;
    struct bl_csv_record rec;
    BL_ASSERT_OK(bl_csv_open(&c, p, &d), &d);
    assert_int_equal(bl_csv_next(c, &rec, &d), 1);
    assert_true(bl_str_eq_c(rec.field[0], "abcdefghijklmno"));
    assert_int_equal(bl_csv_sha256(c, hex), BL_EINVAL);
    BL_ASSERT_OK(bl_csv_drain(c, &d), &d);
    assert_int_equal(bl_csv_bytes_read(c), len);
    assert_int_equal(bl_csv_sha256(c, hex), BL_OK);
    assert_string_equal(hex, want);
    assert_int_equal(bl_csv_next(c, &rec, &d), 0);
    BL_ASSERT_OK(bl_csv_drain(c, &d), &d);
    bl_csv_close(c);

    /* drain right after open, of a gzip file: the hash is of the compressed bytes */
    size_t zlen;
    unsigned char *z = gzip_bytes(data, len, &zlen);
    p = tmp_file(&t, "big.csv.gz", (const char *)z, zlen);
    sha_hex(z, zlen, want);
    BL_ASSERT_OK(bl_csv_open(&c, p, &d), &d);
    BL_ASSERT_OK(bl_csv_drain(c, &d), &d);
    assert_int_equal(bl_csv_sha256(c, hex), BL_OK);
    assert_string_equal(hex, want);
    bl_csv_close(c);
    free(z);
    free(data);
    tmp_clean(&t);
}

static void test_gzip(void **state)
{
    (void)state;
    struct tmp t = {0};
    struct bl_buf out = BL_BUF_INIT;
    struct bl_diag d;
    char hex[65], want[65];
    const char csv[] = "\xef\xbb\xbfsku,title\r\nA,\"two\r\nlines\"\r\nB,plain\r\n";
    size_t zlen;
    unsigned char *z = gzip_bytes(csv, sizeof(csv) - 1, &zlen);
    /* detected by the magic bytes, whatever the name */
    const char *p = tmp_file(&t, "export.csv", (const char *)z, zlen);
    BL_ASSERT_OK(read_file(p, &out, &d, hex), &d);
    assert_string_equal(bl_buf_cstr(&out),
                        "L1 #1 sku|title\nL2 #2 A|two\r\nlines\nL4 #3 B|plain\n");
    sha_hex(z, zlen, want);
    assert_string_equal(hex, want);

    /* a file written with zlib's gz* API (as gzip(1) would) */
    char gzpath[512];
    snprintf(gzpath, sizeof(gzpath), "%s/gzwrite.csv.gz", t.dir);
    gzFile gf = gzopen(gzpath, "wb");
    assert_non_null(gf);
    for (int i = 0; i < 20000; i++)
        assert_true(gzprintf(gf, "%d,\"item, %d\"\n", i, i) > 0);
    assert_int_equal(gzclose(gf), Z_OK);
    struct bl_csv *c;
    struct bl_csv_record rec;
    BL_ASSERT_OK(bl_csv_open(&c, gzpath, &d), &d);
    int rc, n = 0;
    while ((rc = bl_csv_next(c, &rec, &d)) == 1) {
        n++;
        assert_int_equal(rec.line, n);
    }
    BL_ASSERT_OK(rc, &d);
    assert_int_equal(n, 20000);
    assert_true(bl_str_eq_c(rec.field[1], "item, 19999"));
    assert_int_equal(bl_csv_bytes_read(c), bl_csv_bytes_total(c));
    bl_csv_close(c);
    unlink(gzpath);

    /* two gzip members back to back read as one stream */
    size_t z2len;
    unsigned char *z2 = gzip_bytes("C,more\n", 7, &z2len);
    unsigned char *cat = malloc(zlen + z2len);
    assert_non_null(cat);
    memcpy(cat, z, zlen);
    memcpy(cat + zlen, z2, z2len);
    p = tmp_file(&t, "cat.gz", (const char *)cat, zlen + z2len);
    BL_ASSERT_OK(read_file(p, &out, &d, hex), &d);
    assert_non_null(strstr(bl_buf_cstr(&out), "L4 #3 B|plain\nL5 #4 C|more\n"));

    /* truncated and corrupt compressed data */
    p = tmp_file(&t, "trunc.gz", (const char *)z, zlen - 10);
    assert_int_equal(read_file(p, &out, &d, NULL), BL_EPARSE);
    assert_non_null(strstr(d.msg, "truncated gzip"));
    assert_string_equal(d.file, p);
    memcpy(cat, z, zlen);
    for (size_t i = 12; i < zlen - 8; i++)
        cat[i] ^= 0x5a;
    p = tmp_file(&t, "bad.gz", (const char *)cat, zlen);
    assert_int_equal(read_file(p, &out, &d, NULL), BL_EPARSE);
    assert_non_null(strstr(d.msg, "gzip"));
    free(cat);
    free(z2);
    free(z);
    bl_buf_release(&out);
    tmp_clean(&t);
}

static void test_long_lines_in_file(void **state)
{
    (void)state;
    struct tmp t = {0};
    struct bl_buf out = BL_BUF_INIT;
    struct bl_buf in = BL_BUF_INIT;
    struct bl_diag d;
    /* lines longer than the reader's 256 KiB buffer, quoted and unquoted, CRLF */
    assert_int_equal(bl_buf_adds(&in, BL_STR("h1,h2\r\n\"")), BL_OK);
    for (int i = 0; i < 300 * 1024; i++)
        assert_int_equal(bl_buf_addc(&in, (char)('a' + i % 26)), BL_OK);
    assert_int_equal(bl_buf_adds(&in, BL_STR("\",x\r\n")), BL_OK);
    for (int i = 0; i < 400 * 1024; i++)
        assert_int_equal(bl_buf_addc(&in, 'u'), BL_OK);
    assert_int_equal(bl_buf_adds(&in, BL_STR("\r\n\r\nlast,one\r\n")), BL_OK);
    const char *p = tmp_file(&t, "long.csv", in.ptr, in.len);
    struct bl_csv *c;
    struct bl_csv_record rec;
    BL_ASSERT_OK(bl_csv_open(&c, p, &d), &d);
    assert_int_equal(bl_csv_next(c, &rec, &d), 1);
    assert_int_equal(bl_csv_next(c, &rec, &d), 1);
    assert_int_equal(rec.line, 2);
    assert_int_equal(rec.field[0].len, 300 * 1024);
    assert_int_equal(rec.field[0].ptr[300 * 1024 - 1], 'a' + (300 * 1024 - 1) % 26);
    assert_true(bl_str_eq_c(rec.field[1], "x"));
    assert_int_equal(bl_csv_next(c, &rec, &d), 1);
    assert_int_equal(rec.line, 3);
    assert_int_equal(rec.nfields, 1);
    assert_int_equal(rec.field[0].len, 400 * 1024);
    assert_int_equal(bl_csv_next(c, &rec, &d), 1);
    assert_int_equal(rec.line, 5);
    assert_int_equal(rec.index, 4);
    assert_true(bl_str_eq_c(rec.field[1], "one"));
    assert_int_equal(bl_csv_next(c, &rec, &d), 0);
    bl_csv_close(c);

    /* an unclosed quote in a big file stops at the record limit, not at the file's end */
    bl_buf_reset(&in);
    assert_int_equal(bl_buf_adds(&in, BL_STR("a,b\n1,\"oops\n")), BL_OK);
    for (int i = 0; i < 200000; i++)
        assert_int_equal(bl_buf_adds(&in, BL_STR("row,1234567890\n")), BL_OK);
    p = tmp_file(&t, "unclosed.csv", in.ptr, in.len);
    assert_int_equal(read_file(p, &out, &d, NULL), BL_ETOOBIG);
    assert_int_equal(d.line, 2);
    assert_non_null(strstr(d.msg, "never closed"));
    /* a loop that reports errors and goes on still ends; drain finishes the hash */
    char hex[65], want[65];
    sha_hex(in.ptr, in.len, want);
    BL_ASSERT_OK(bl_csv_open(&c, p, &d), &d);
    int rc, errors = 0, records = 0;
    while ((rc = bl_csv_next(c, &rec, &d)) != 0) {
        if (rc < 0)
            errors++;
        else
            records++;
    }
    assert_int_equal(errors, 1);
    assert_int_equal(records, 1);
    assert_int_equal(bl_csv_sha256(c, hex), BL_EINVAL);
    BL_ASSERT_OK(bl_csv_drain(c, &d), &d);
    assert_int_equal(bl_csv_sha256(c, hex), BL_OK);
    assert_string_equal(hex, want);
    bl_csv_close(c);
    bl_buf_release(&in);
    bl_buf_release(&out);
    tmp_clean(&t);
}

/* Tab-separated input, both paths: plain lines split here, quoted ones through libcsv
 * (with tab as its delimiter); with quoting off, every line is split here. */
static int parse_sep(const char *data, size_t len, char sep, bool quoting, struct bl_buf *out,
                     struct bl_diag *d)
{
    bl_buf_reset(out);
    bl_diag_clear(d);
    return bl_csv_parse_buffer_sep(data, len, sep, quoting, dump_cb, out, d);
}
#define PARSE_SEP(lit, sep, q, out, d) parse_sep((lit), sizeof(lit) - 1, (sep), (q), (out), (d))

static void test_tab_separated(void **state)
{
    (void)state;
    struct bl_buf out = BL_BUF_INIT;
    struct bl_diag d;
    /* tabs separate (never trimmed), commas are data, spaces around fields trimmed,
     * leading and trailing empty fields kept */
    assert_int_equal(PARSE_SEP("a\tb, c\t\td \n\tx\t\r\n", '\t', true, &out, &d), 0);
    assert_string_equal(bl_buf_cstr(&out), "L1 #1 a|b, c||d\nL2 #2 |x|\n");
    /* quoting on: a quoted field may hold a tab and a newline (libcsv's path) */
    assert_int_equal(PARSE_SEP("a\t\"b\tc\nd\"\t e\nf\tg\n", '\t', true, &out, &d), 0);
    assert_string_equal(bl_buf_cstr(&out), "L1 #1 a|b\tc\nd|e\nL3 #2 f|g\n");
    /* ... a lone CR inside a field goes to libcsv too, still split at tabs */
    assert_int_equal(PARSE_SEP("x\ry\t z \tw\n", '\t', true, &out, &d), 0);
    assert_string_equal(bl_buf_cstr(&out), "L1 #1 x\ry|z|w\n");
    /* quoting on: a quote inside an unquoted field is broken quoting */
    assert_int_equal(PARSE_SEP("h\tname\n1\tLamp 7\" tall\n", '\t', true, &out, &d), BL_EPARSE);
    assert_int_equal(d.line, 2);

    /* quoting off (Amazon's flat files): quotes are data, wherever they are, and a
     * line is a record even with an unbalanced quote */
    const char amz[] = "order\tname\tsku\n"
                       "1\t\"Lamp 7\" tall\tk1\n"
                       "2\tSign \"warm\tk2\r\n"
                       "\n"
                       "3\t\"\"\tk3";
    assert_int_equal(PARSE_SEP(amz, '\t', false, &out, &d), 0);
    assert_string_equal(bl_buf_cstr(&out), "L1 #1 order|name|sku\n"
                                           "L2 #2 1|\"Lamp 7\" tall|k1\n"
                                           "L3 #3 2|Sign \"warm|k2\n"
                                           "L5 #4 3|\"\"|k3\n");
    /* quoting off with commas: still one record per line */
    assert_int_equal(PARSE_SEP("a,\"b\n\"c\",d\n", ',', false, &out, &d), 0);
    assert_string_equal(bl_buf_cstr(&out), "L1 #1 a|\"b\nL2 #2 \"c\"|d\n");
    /* invalid UTF-8 and too many fields still reject one record, quoting off too */
    assert_int_equal(PARSE_SEP("a\t\xff\n", '\t', false, &out, &d), BL_EUTF8);
    assert_int_equal(d.line, 1);
    struct bl_buf wide = BL_BUF_INIT;
    for (int i = 0; i <= BL_CSV_MAX_FIELDS; i++)
        assert_int_equal(bl_buf_adds(&wide, BL_STR("x\t")), BL_OK);
    assert_int_equal(parse_sep(wide.ptr, wide.len, '\t', false, &out, &d), BL_ETOOBIG);
    assert_int_equal(parse_sep(wide.ptr, wide.len, '\t', true, &out, &d), BL_ETOOBIG);
    bl_buf_release(&wide);
    /* semicolons (European spreadsheets) */
    assert_int_equal(PARSE_SEP("a; b ;\"c;d\"\n", ';', true, &out, &d), 0);
    assert_string_equal(bl_buf_cstr(&out), "L1 #1 a|b|c;d\n");
    /* anything else is refused */
    assert_int_equal(PARSE_SEP("a|b\n", '|', true, &out, &d), BL_EINVAL);
    bl_buf_release(&out);
}

/* A file read with quoting off: lines longer than the text buffer are gathered, a
 * record too long is refused; the setters only work before the first record. */
static void test_tab_file(void **state)
{
    (void)state;
    struct tmp t = {0};
    struct bl_buf in = BL_BUF_INIT;
    struct bl_diag d;
    assert_int_equal(bl_buf_adds(&in, BL_STR("\xef\xbb\xbfh1\th2\r\n\"")), BL_OK);
    for (int i = 0; i < 300 * 1024; i++)
        assert_int_equal(bl_buf_addc(&in, (char)('a' + i % 26)), BL_OK);
    assert_int_equal(bl_buf_adds(&in, BL_STR("\tx\"\r\nlast\t\"one")), BL_OK);
    const char *p = tmp_file(&t, "long.tsv", in.ptr, in.len);
    struct bl_csv *c;
    struct bl_csv_record rec;
    BL_ASSERT_OK(bl_csv_open(&c, p, &d), &d);
    assert_int_equal(bl_csv_set_sep(c, '\t'), BL_OK);
    assert_int_equal(bl_csv_set_quoting(c, false), BL_OK);
    assert_int_equal(bl_csv_next(c, &rec, &d), 1);
    assert_true(bl_str_eq_c(rec.field[0], "h1")); /* the BOM is skipped */
    assert_int_equal(bl_csv_set_sep(c, ','), BL_EINVAL);
    assert_int_equal(bl_csv_set_quoting(c, true), BL_EINVAL);
    assert_int_equal(bl_csv_next(c, &rec, &d), 1);
    assert_int_equal(rec.line, 2);
    assert_int_equal(rec.nfields, 2);
    assert_int_equal(rec.field[0].len, 300 * 1024 + 1);
    assert_int_equal(rec.field[0].ptr[0], '"');
    assert_true(bl_str_eq_c(rec.field[1], "x\""));
    assert_int_equal(bl_csv_next(c, &rec, &d), 1);
    assert_int_equal(rec.line, 3);
    assert_true(bl_str_eq_c(rec.field[1], "\"one"));
    assert_int_equal(bl_csv_next(c, &rec, &d), 0);
    char hex[65], want[65];
    sha_hex(in.ptr, in.len, want);
    assert_int_equal(bl_csv_sha256(c, hex), BL_OK);
    assert_string_equal(hex, want);
    bl_csv_close(c);

    /* one line over the record limit */
    bl_buf_reset(&in);
    assert_int_equal(bl_buf_adds(&in, BL_STR("a\tb\n")), BL_OK);
    for (unsigned i = 0; i < BL_CSV_MAX_RECORD + 10; i++)
        assert_int_equal(bl_buf_addc(&in, 'z'), BL_OK);
    assert_int_equal(bl_buf_adds(&in, BL_STR("\n")), BL_OK);
    p = tmp_file(&t, "huge.tsv", in.ptr, in.len);
    BL_ASSERT_OK(bl_csv_open(&c, p, &d), &d);
    assert_int_equal(bl_csv_set_sep(c, '\t'), BL_OK);
    assert_int_equal(bl_csv_set_quoting(c, false), BL_OK);
    assert_int_equal(bl_csv_next(c, &rec, &d), 1);
    assert_int_equal(bl_csv_next(c, &rec, &d), BL_ETOOBIG);
    assert_int_equal(d.line, 2);
    assert_int_equal(bl_csv_next(c, &rec, &d), 0);
    bl_csv_close(c);
    bl_buf_release(&in);
    tmp_clean(&t);
}

static void test_alloc_failure(void **state)
{
    (void)state;
    struct tmp t = {0};
    struct bl_diag d;
    const char csv[] = "id,name\n1,\"a, b\"\n2,\"x\ny\"\n";
    size_t zlen;
    unsigned char *z = gzip_bytes(csv, sizeof(csv) - 1, &zlen);
    const char *p = tmp_file(&t, "a.csv.gz", (const char *)z, zlen);
    bool ok = false;
    for (long n = 0; n < 200 && !ok; n++) {
        struct bl_csv *c = NULL;
        struct bl_csv_record rec;
        bl_alloc_fail_after(n);
        int rc = bl_csv_open(&c, p, &d);
        int got = 0;
        if (rc == BL_OK) {
            while ((rc = bl_csv_next(c, &rec, &d)) == 1)
                got++;
            bl_csv_close(c);
        }
        bl_alloc_fail_after(-1);
        if (rc == 0) {
            assert_int_equal(got, 3);
            ok = true;
        } else {
            assert_int_equal(rc, BL_ENOMEM);
        }
    }
    assert_true(ok);

    struct bl_buf out = BL_BUF_INIT;
    char pad[4096] = {0}; /* room for the dump, so only the parser's allocations fail */
    assert_int_equal(bl_buf_add(&out, pad, sizeof(pad)), BL_OK);
    ok = false;
    for (long n = 0; n < 100 && !ok; n++) {
        bl_buf_reset(&out);
        bl_alloc_fail_after(n);
        int rc = bl_csv_parse_buffer(csv, sizeof(csv) - 1, dump_cb, &out, &d);
        bl_alloc_fail_after(-1);
        if (rc == 0)
            ok = true;
        else
            assert_int_equal(rc, BL_ENOMEM);
    }
    assert_true(ok);
    bl_buf_release(&out);
    free(z);
    tmp_clean(&t);
}

/* ------------------------------------------------------------------ real files */

static void test_olist_translation(void **state)
{
    (void)state;
    char *p = bl_test_dataset("olist/product_category_name_translation.csv");
    struct bl_csv *c;
    struct bl_csv_record rec;
    struct bl_diag d;
    BL_ASSERT_OK(bl_csv_open(&c, p, &d), &d);
    assert_int_equal(bl_csv_next(c, &rec, &d), 1);
    assert_int_equal(rec.nfields, 2);
    assert_true(bl_str_eq_c(rec.field[0], "product_category_name")); /* BOM gone */
    assert_true(bl_str_eq_c(rec.field[1], "product_category_name_english"));
    int rc, n = 1;
    struct bl_csv_record last = {0};
    char lastbuf[2][128];
    while ((rc = bl_csv_next(c, &rec, &d)) == 1) {
        n++;
        assert_int_equal(rec.nfields, 2);
        assert_int_equal(rec.line, n);
        for (int i = 0; i < 2; i++)
            bl_str_copy(lastbuf[i], sizeof(lastbuf[i]), rec.field[i]);
        last.line = rec.line;
    }
    BL_ASSERT_OK(rc, &d);
    assert_int_equal(n, 72);
    assert_int_equal(last.line, 72);
    /* the last line has no newline */
    assert_string_equal(lastbuf[0], "seguros_e_servicos");
    assert_string_equal(lastbuf[1], "security_and_services");
    char hex[65];
    assert_int_equal(bl_csv_sha256(c, hex), BL_OK);
    assert_int_equal(strlen(hex), 64);
    assert_int_equal(bl_csv_bytes_read(c), bl_csv_bytes_total(c));
    bl_csv_close(c);
    free(p);
}

static void test_online_retail_gz(void **state)
{
    (void)state;
    char *p = bl_test_dataset("online_retail/online_retail.csv.gz");
    struct bl_csv *c;
    struct bl_csv_record rec;
    struct bl_diag d;
    BL_ASSERT_OK(bl_csv_open(&c, p, &d), &d);
    int rc;
    int64_t n = 0;
    while ((rc = bl_csv_next(c, &rec, &d)) == 1) {
        n++;
        if (n == 1)
            assert_true(bl_str_eq_c(rec.field[0], "InvoiceNo"));
        else
            assert_int_equal(rec.nfields, 8);
    }
    BL_ASSERT_OK(rc, &d);
    assert_int_equal(n, 541909 + 1);
    assert_int_equal(bl_csv_bytes_read(c), bl_csv_bytes_total(c));
    char hex[65];
    assert_int_equal(bl_csv_sha256(c, hex), BL_OK);
    bl_csv_close(c);
    free(p);
}

/* ------------------------------------------------------------------ writing */

static void test_add_field(void **state)
{
    (void)state;
    struct bl_buf b = BL_BUF_INIT;
    const char *vals[] = {"plain", "a,b",   "say \"hi\"", "two\nlines", "cr\rhere",
                          "",      " lead", "trail\t",    "\"",         "ünï 快"};
    size_t nv = sizeof(vals) / sizeof(vals[0]);
    for (size_t i = 0; i < nv; i++) {
        if (i)
            assert_int_equal(bl_buf_addc(&b, ','), BL_OK);
        assert_int_equal(bl_csv_add_field(&b, bl_str_c(vals[i])), BL_OK);
    }
    assert_string_equal(bl_buf_cstr(&b), "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\","
                                         "\"cr\rhere\",,\" lead\",\"trail\t\",\"\"\"\",ünï 快");
    assert_int_equal(bl_buf_addc(&b, '\n'), BL_OK);

    /* what is written reads back unchanged */
    struct bl_buf out = BL_BUF_INIT;
    struct bl_diag d;
    BL_ASSERT_OK(parse_mem(b.ptr, b.len, &out, &d), &d);
    struct bl_buf want = BL_BUF_INIT;
    assert_int_equal(bl_buf_adds(&want, BL_STR("L1 #1 ")), BL_OK);
    for (size_t i = 0; i < nv; i++)
        assert_int_equal(bl_buf_addf(&want, "%s%s", i ? "|" : "", vals[i]), BL_OK);
    assert_int_equal(bl_buf_addc(&want, '\n'), BL_OK);
    assert_string_equal(bl_buf_cstr(&out), bl_buf_cstr(&want));

    /* a full buffer is left as it was */
    struct bl_buf small;
    bl_buf_init(&small, 8);
    assert_int_equal(bl_buf_adds(&small, BL_STR("ab,")), BL_OK);
    assert_int_equal(bl_csv_add_field(&small, BL_STR("x,\"y\"")), BL_ETOOBIG);
    assert_string_equal(bl_buf_cstr(&small), "ab,");
    assert_int_equal(small.len, 3);
    assert_int_equal(bl_csv_add_field(&small, BL_STR("x,y")), BL_OK);
    assert_string_equal(bl_buf_cstr(&small), "ab,\"x,y\"");
    bl_buf_release(&small);
    bl_buf_release(&want);
    bl_buf_release(&out);
    bl_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_quoting_and_lines),
        cmocka_unit_test(test_crlf_and_spaces),
        cmocka_unit_test(test_plain_and_quoted_lines_mixed),
        cmocka_unit_test(test_blank_lines_and_bom),
        cmocka_unit_test(test_invalid_utf8_and_nul),
        cmocka_unit_test(test_broken_quotes),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_parse_buffer_stops),
        cmocka_unit_test(test_file_errors_name_the_file),
        cmocka_unit_test(test_hash),
        cmocka_unit_test(test_drain),
        cmocka_unit_test(test_gzip),
        cmocka_unit_test(test_long_lines_in_file),
        cmocka_unit_test(test_tab_separated),
        cmocka_unit_test(test_tab_file),
        cmocka_unit_test(test_alloc_failure),
        cmocka_unit_test(test_olist_translation),
        cmocka_unit_test(test_online_retail_gz),
        cmocka_unit_test(test_add_field),
        cmocka_unit_test(test_cr_only_line_ends),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
