/* jsonl_test.c - JSON Lines as records (jsonl.h; csv.h's JSON Lines mode over a source):
 * values, escapes, what is refused and why, line numbers, lines longer than a read. */
#include <string.h>

#include "testutil.h"
#include "ballast/csv.h"
#include "ballast/jsonl.h"

static const char *const cols[] = {"order", "qty", "note"};

struct got {
    char out[512];
    size_t off[3], len[3];
    unsigned char present[3];
    struct bl_jsonl_err e;
};

static int parse(struct got *g, const char *line)
{
    return bl_jsonl_line(line, strlen(line), cols, 3, g->out, g->off, g->len, g->present, &g->e);
}

static void assert_val(const struct got *g, size_t i, const char *want)
{
    assert_int_equal(g->len[i], strlen(want));
    assert_memory_equal(g->out + g->off[i], want, g->len[i]);
}

static void test_values(void **state)
{
    (void)state;
    struct got g;
    assert_int_equal(parse(&g, " { \"qty\" : -12.5e+3 , \"order\":\"a\\\"b\\\\c\\/\\n\\u00e9\\ud83d\\ude00\" }\r"),
                     BL_OK);
    assert_val(&g, 0, "a\"b\\c/\n\xc3\xa9\xf0\x9f\x98\x80");
    assert_val(&g, 1, "-12.5e+3");
    assert_false(g.present[2]);
    assert_int_equal(g.len[2], 0);
    assert_int_equal(parse(&g, "{\"order\":null,\"qty\":true,\"note\":false}"), BL_OK);
    assert_false(g.present[0]);
    assert_val(&g, 1, "true");
    assert_val(&g, 2, "false");
    assert_int_equal(parse(&g, "{}"), BL_OK);
}

static void refused(const char *line, int code, const char *field, const char *msg_part)
{
    struct got g;
    assert_int_equal(parse(&g, line), code);
    assert_string_equal(g.e.field, field);
    if (!strstr(g.e.msg, msg_part))
        fail_msg("'%s': message '%s' lacks '%s'", line, g.e.msg, msg_part);
}

static void test_refused(void **state)
{
    (void)state;
    refused("[1]", BL_EPARSE, "", "expected a JSON object");
    refused("{\"qty\":{\"n\":1}}", BL_EPARSE, "qty", "nested object");
    refused("{\"qty\":[1]}", BL_EPARSE, "qty", "nested array");
    refused("{\"colour\":\"red\"}", BL_EINVAL, "colour", "not a column");
    refused("{\"qty\":1,\"qty\":2}", BL_EINVAL, "qty", "given twice");
    refused("{\"qty\":null,\"qty\":2}", BL_EINVAL, "qty", "given twice");
    refused("{\"qty\":01}", BL_EPARSE, "qty", "malformed number");
    refused("{\"qty\":1.}", BL_EPARSE, "qty", "malformed number");
    refused("{\"qty\":+1}", BL_EPARSE, "qty", "expected a value");
    refused("{\"order\":\"a\\u0000\"}", BL_EPARSE, "order", "bad escape");
    refused("{\"order\":\"\\ud800x\"}", BL_EPARSE, "order", "bad escape");
    refused("{\"order\":\"\\x\"}", BL_EPARSE, "order", "bad escape");
    refused("{\"order\":\"a\tb\"}", BL_EPARSE, "order", "control character");
    refused("{\"order\":\"\xff\"}", BL_EUTF8, "order", "invalid UTF-8");
    refused("{\"order\":\"x\"", BL_EPARSE, "", "expected ',' or '}'");
    refused("{\"order\":\"x}", BL_EPARSE, "order", "not closed");
    refused("{\"order\":\"x\"} {}", BL_EPARSE, "", "one object per line");
    refused("{order:1}", BL_EPARSE, "", "member name");
    refused("", BL_EPARSE, "", "expected a JSON object");
}

/* ---- the reader over a source, fed a few bytes at a time */

struct feed {
    const char *s;
    size_t n, at, step;
};

static ptrdiff_t piece(void *ctx, void *dst, size_t cap, char *why, size_t whycap)
{
    struct feed *f = ctx;
    (void)why;
    (void)whycap;
    size_t k = f->n - f->at < f->step ? f->n - f->at : f->step;
    k = k < cap ? k : cap;
    memcpy(dst, f->s + f->at, k);
    f->at += k;
    return (ptrdiff_t)k;
}

static ptrdiff_t gone(void *ctx, void *dst, size_t cap, char *why, size_t whycap)
{
    (void)ctx;
    (void)dst;
    (void)cap;
    snprintf(why, whycap, "the client went away");
    return BL_EINTERRUPTED;
}

/* The same records, lines and errors whether none, some or all of them were read ahead
 * (bl_csv_read_ahead: ahead bytes of records; 0, none). */
static void check_reader(size_t ahead)
{
    static char big[300000];
    memset(big, 'x', sizeof(big));
    memcpy(big, "{\"note\":\"", 9);
    memcpy(big + sizeof(big) - 4, "\"}\r\n", 4); /* a line longer than a read (256 KiB) */
    static char text[400000];
    int n = snprintf(text, sizeof(text), "\xef\xbb\xbf{\"order\":\"o1\",\"qty\":2}\n\n  \n");
    memcpy(text + n, big, sizeof(big));
    n += (int)sizeof(big);
    n += snprintf(text + n, sizeof(text) - (size_t)n, "{\"order\":\"o3\",\"bad\":1}\n{\"order\":\"o4\"}");
    struct feed f = {text, (size_t)n, 0, 4093};
    struct bl_csv_source src = {piece, &f, "upload"};
    struct bl_csv *c;
    struct bl_diag d;
    bl_diag_clear(&d);
    assert_int_equal(bl_csv_open_source(&c, &src, &d), BL_OK);
    assert_int_equal(bl_csv_set_jsonl(c, cols, 3), BL_OK);
    if (ahead)
        assert_int_equal(bl_csv_read_ahead(c, ahead, &d), BL_OK);
    static struct bl_csv_record rec;
    assert_int_equal(bl_csv_next(c, &rec, &d), 1); /* the header: the columns */
    assert_int_equal(rec.nfields, 3);
    assert_true(bl_str_eq_c(rec.field[1], "qty"));
    assert_int_equal(bl_csv_next(c, &rec, &d), 1);
    assert_int_equal(rec.line, 1);
    assert_true(bl_str_eq_c(rec.field[0], "o1") && bl_str_eq_c(rec.field[1], "2"));
    assert_int_equal(rec.field[2].len, 0);
    assert_int_equal(bl_csv_next(c, &rec, &d), 1);
    assert_int_equal(rec.line, 4); /* after two blank lines */
    assert_int_equal(rec.field[2].len, sizeof(big) - 13);
    assert_int_equal(bl_csv_next(c, &rec, &d), BL_EINVAL);
    assert_int_equal(d.line, 5);
    assert_string_equal(d.field, "bad");
    assert_string_equal(d.file, "upload");
    assert_int_equal(bl_csv_next(c, &rec, &d), 1); /* goes on after a rejected line */
    assert_int_equal(rec.line, 6);
    assert_true(bl_str_eq_c(rec.field[0], "o4"));
    assert_int_equal(bl_csv_next(c, &rec, &d), 0);
    bl_csv_close(c);

    struct bl_csv_source broken = {gone, NULL, "upload"};
    assert_int_equal(bl_csv_open_source(&c, &broken, &d), BL_OK);
    if (ahead) {
        assert_int_equal(bl_csv_read_ahead(c, ahead, &d), BL_OK);
        assert_int_equal(bl_csv_read_ahead(c, ahead, &d), BL_EINVAL); /* once, first */
    }
    bl_diag_clear(&d);
    assert_int_equal(bl_csv_next(c, &rec, &d), BL_EINTERRUPTED);
    assert_non_null(strstr(d.msg, "went away"));
    bl_csv_close(c);
}

static void test_reader(void **state)
{
    (void)state;
    check_reader(0);
}

static void test_read_ahead(void **state)
{
    (void)state;
    check_reader(1);       /* the header only, then as it comes */
    check_reader(200);     /* the header and the first line */
    check_reader(1 << 20); /* all, the rejected line's error among them */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_reader),
        cmocka_unit_test(test_read_ahead),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
