/* export_test.c - what Ballast writes for people (issue 15, items 1, 7, 8): text made
 * safe for a terminal (bl_buf_add_shown, bl_str_show), CSV cells a spreadsheet cannot
 * run (bl_csv_add_cell), and export files written whole, durably, never over another
 * (bl_outfile). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "ballast/csv.h"
#include "ballast/outfile.h"

/* ------------------------------------------------------------------ terminal */

static void expect_shown(const char *in, unsigned keep, const char *want)
{
    struct bl_buf b = BL_BUF_INIT;
    assert_int_equal(bl_buf_add_shown(&b, bl_str_c(in), keep), BL_OK);
    assert_string_equal(bl_buf_cstr(&b), want);
    bl_buf_release(&b);
}

static void test_shown(void **state)
{
    (void)state;
    expect_shown("\x1b]0;PWNED\x07\x1b[2Jnote\rOVERWRITE", 0,
                 "\\x1B]0;PWNED\\x07\\x1B[2Jnote\\rOVERWRITE");
    expect_shown("plain, 快递 ünï €5", 0, "plain, 快递 ünï €5");
    expect_shown("", 0, "");
    expect_shown("a\nb\tc", 0, "a\\x0Ab\\tc");
    expect_shown("a\nb\tc", BL_SHOWN_KEEP_NL, "a\nb\\tc");
    expect_shown("a\nb\tc", BL_SHOWN_KEEP_NL | BL_SHOWN_KEEP_TAB, "a\nb\tc");
    expect_shown("del\x7f nul-less \x01", 0, "del\\x7F nul-less \\x01");
    /* C1 controls (U+009B CSI, U+0085 NEL) and the bidi overrides and isolates */
    expect_shown("\xc2\x9b" "31mred \xc2\x85", 0, "\\u009B31mred \\u0085");
    expect_shown("abc\xe2\x80\xae" "fdp.exe", 0, "abc\\u202Efdp.exe");
    /* the marks too: the one list names refuse at import (printable.c) */
    expect_shown("a\xe2\x80\x8f" "b\xd8\x9c", 0, "a\\u200Fb\\u061C");
    expect_shown("\xe2\x80\xaa\xe2\x80\xac\xe2\x81\xa6\xe2\x81\xa9", 0,
                 "\\u202A\\u202C\\u2066\\u2069");
    expect_shown("\xe2\x80\xa9 \xe2\x80\xa6", 0, "\xe2\x80\xa9 \xe2\x80\xa6"); /* not controls */
    /* bytes that are not UTF-8: a lone C1 byte, a cut sequence, an overlong */
    expect_shown("x\x9b" "y \xe5\xbf z \xc0\xaf", 0, "x\\x9By \\xE5\\xBF z \\xC0\\xAF");

    char out[BL_SHOW_BUF];
    assert_string_equal(bl_str_show(bl_str_c("a\xc2\x9b" "b\xe2\x80\xae" "c\x1b"), BL_SHOW, out),
                        "a?b?c?");
    assert_string_equal(bl_str_show(bl_str_c("快递"), BL_SHOW, out), "快递");

    struct bl_buf full; /* a full buffer fails */
    bl_buf_init(&full, 4);
    assert_int_equal(bl_buf_add_shown(&full, bl_str_c("\x1b\x1b"), 0), BL_ETOOBIG);
    bl_buf_release(&full);
}

/* ------------------------------------------------------------------ spreadsheets */

static void expect_cell(const char *in, const char *want)
{
    struct bl_buf b = BL_BUF_INIT;
    assert_int_equal(bl_csv_add_cell(&b, bl_str_c(in)), BL_OK);
    assert_string_equal(bl_buf_cstr(&b), want);
    bl_buf_release(&b);
}

static int one_field(void *ctx, const struct bl_csv_record *rec)
{
    struct bl_buf *out = ctx;
    assert_int_equal(rec->nfields, 1);
    return bl_buf_adds(out, rec->field[0]);
}

static void test_formula_cells(void **state)
{
    (void)state;
    expect_cell("=1+1", "\"'=1+1\"");
    expect_cell("@SUM(A1)", "\"'@SUM(A1)\"");
    expect_cell("+cmd|' /C calc'!A0", "\"'+cmd|' /C calc'!A0\"");
    expect_cell("-2+3+cmd|' /C calc'!A0", "\"'-2+3+cmd|' /C calc'!A0\"");
    expect_cell("=HYPERLINK(\"http://x.example\",\"a,b\")",
                "\"'=HYPERLINK(\"\"http://x.example\"\",\"\"a,b\"\")\"");
    expect_cell("\t=1", "\"'\t=1\"");
    expect_cell("\r=1", "\"'\r=1\"");
    expect_cell("\xEF\xBC\x9D" "1+1", "\"'\xEF\xBC\x9D" "1+1\""); /* full-width = */
    expect_cell("-", "\"'-\"");
    expect_cell("-1.50 USD", "\"'-1.50 USD\"");
    /* plain numbers are numbers, never formulas: left as they are */
    expect_cell("-5", "-5");
    expect_cell("-1.50", "-1.50");
    expect_cell("+3", "+3");
    expect_cell("-.5", "-.5");
    expect_cell("1e-05", "1e-05");
    expect_cell("-2.5E+10", "-2.5E+10");
    /* everything else as bl_csv_add_field writes it */
    expect_cell("a=b", "a=b");
    expect_cell("plain", "plain");
    expect_cell("a,b", "\"a,b\"");
    expect_cell("", "");
    assert_true(bl_csv_formula_like(bl_str_c("-1e"))); /* not a number: guarded */
    assert_true(bl_csv_formula_like(bl_str_c("-1e+")));
    assert_true(bl_csv_formula_like(bl_str_c("--1")));

    /* the cell reads back as the quote and the text */
    struct bl_buf b = BL_BUF_INIT, got = BL_BUF_INIT;
    const char *v = "=HYPERLINK(\"http://x\";\"a\nb\")";
    assert_int_equal(bl_csv_add_cell(&b, bl_str_c(v)), BL_OK);
    assert_int_equal(bl_buf_addc(&b, '\n'), BL_OK);
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_csv_parse_buffer(b.ptr, b.len, one_field, &got, &d), &d);
    assert_string_equal(bl_buf_cstr(&got), "'=HYPERLINK(\"http://x\";\"a\nb\")");
    bl_buf_release(&got);

    struct bl_buf small; /* a full buffer is left as it was */
    bl_buf_init(&small, 6);
    assert_int_equal(bl_buf_adds(&small, BL_STR("ab,")), BL_OK);
    assert_int_equal(bl_csv_add_cell(&small, BL_STR("=1+1")), BL_ETOOBIG);
    assert_string_equal(bl_buf_cstr(&small), "ab,");
    bl_buf_release(&small);
    bl_buf_release(&b);
}

/* ------------------------------------------------------------------ export files */

static char dir[] = "/tmp/bl_outfile.XXXXXX";

static int setup_dir(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* How many entries DIR holds (without . and ..). */
static int entries(void)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", dir);
    FILE *p = popen(cmd, "r");
    int n = -1;
    if (p && fscanf(p, "%d", &n) != 1)
        n = -1;
    if (p)
        pclose(p);
    return n;
}

static void slurp(const char *path, char *out, size_t cap)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t n = fread(out, 1, cap - 1, f);
    out[n] = '\0';
    fclose(f);
}

static void test_outfile(void **state)
{
    (void)state;
    char path[256], text[64];
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_outfile o;
    snprintf(path, sizeof(path), "%s/a.csv", dir);

    /* written whole, private, no temporary file left */
    BL_ASSERT_OK(bl_outfile_open(&o, path, &d), &d);
    assert_int_equal(entries(), 1); /* the temporary file, hidden */
    assert_int_equal(access(path, F_OK), -1);
    fputs("one\n", o.f);
    BL_ASSERT_OK(bl_outfile_commit(&o, &d), &d);
    slurp(path, text, sizeof(text));
    assert_string_equal(text, "one\n");
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(entries(), 1);
    bl_outfile_abort(&o); /* harmless after a commit */

    /* an existing file is refused at open */
    assert_int_equal(bl_outfile_open(&o, path, &d), BL_EEXISTS);
    assert_non_null(strstr(d.msg, "a.csv already exists"));
    assert_null(o.f);
    assert_int_equal(entries(), 1);

    /* ... and at commit, when it appeared meanwhile: left as it is */
    char other[256];
    snprintf(other, sizeof(other), "%s/b.csv", dir);
    BL_ASSERT_OK(bl_outfile_open(&o, other, &d), &d);
    fputs("mine\n", o.f);
    FILE *f = fopen(other, "wb");
    assert_non_null(f);
    fputs("theirs\n", f);
    fclose(f);
    assert_int_equal(bl_outfile_commit(&o, &d), BL_EEXISTS);
    assert_non_null(strstr(d.msg, "appeared while this run wrote it"));
    slurp(other, text, sizeof(text));
    assert_string_equal(text, "theirs\n");
    assert_int_equal(entries(), 2);

    /* two at once: each its own temporary file */
    struct bl_outfile p, q;
    char c[256];
    snprintf(c, sizeof(c), "%s/c.csv", dir);
    BL_ASSERT_OK(bl_outfile_open(&p, c, &d), &d);
    BL_ASSERT_OK(bl_outfile_open(&q, c, &d), &d);
    assert_string_not_equal(p.tmp, q.tmp);
    fputs("p\n", p.f);
    fputs("q\n", q.f);
    BL_ASSERT_OK(bl_outfile_commit(&q, &d), &d);
    assert_int_equal(bl_outfile_commit(&p, &d), BL_EEXISTS);
    slurp(c, text, sizeof(text));
    assert_string_equal(text, "q\n");
    assert_int_equal(entries(), 3);

    /* abandoned: nothing left */
    snprintf(c, sizeof(c), "%s/d.csv", dir);
    BL_ASSERT_OK(bl_outfile_open(&p, c, &d), &d);
    fputs("half", p.f);
    bl_outfile_abort(&p);
    assert_int_equal(entries(), 3);

    /* a directory that is not there; a name that is a directory */
    snprintf(c, sizeof(c), "%s/nowhere/e.csv", dir);
    assert_int_equal(bl_outfile_open(&p, c, &d), BL_EIO);
    assert_non_null(strstr(d.msg, "cannot create a file in its directory"));
    snprintf(c, sizeof(c), "%s/", dir);
    assert_int_equal(bl_outfile_open(&p, c, &d), BL_EINVAL);
    assert_int_equal(bl_outfile_open(&p, "", &d), BL_EINVAL);
}

/* A bare name goes in the current directory. */
static void test_outfile_here(void **state)
{
    (void)state;
    char cwd[512];
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_int_equal(chdir(dir), 0);
    struct bl_outfile o;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_outfile_open(&o, "here.csv", &d), &d);
    assert_string_equal(o.dir, ".");
    assert_int_equal(strncmp(o.tmp, ".here.csv.", 10), 0);
    BL_ASSERT_OK(bl_outfile_commit(&o, &d), &d);
    assert_int_equal(access("here.csv", F_OK), 0);
    assert_int_equal(chdir(cwd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shown),
        cmocka_unit_test(test_formula_cells),
        cmocka_unit_test(test_outfile),
        cmocka_unit_test(test_outfile_here),
    };
    return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
