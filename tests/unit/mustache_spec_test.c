/* mustache_spec_test.c - the official Mustache specification, required modules.
 *
 * Runs every test of every JSON file in BL_SPECS/mustache (comments, delimiters,
 * interpolation, inverted, partials, sections) in lenient mode and compares the
 * output byte for byte. Optional modules (files starting with '~': lambdas,
 * dynamic names, inheritance) are skipped: Ballast does not implement them.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "ballast/mustache.h"

static char *spec_dir(void)
{
    const char *base = getenv("BL_SPECS");
    char *p = malloc(4096);
    assert_non_null(p);
    if (base)
        snprintf(p, 4096, "%s/mustache", base);
    else
        snprintf(p, 4096, "%s/../shared/specs/mustache",
                 getenv("BL_SOURCE_DIR") ? getenv("BL_SOURCE_DIR") : ".");
    return p;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Partials come from the test's "partials" object. */
static int spec_partial(void *ctx, struct bl_str name, struct bl_mustache_src *src,
                        struct bl_diag *d)
{
    (void)d;
    const json_t *partials = ctx;
    const json_t *p = partials ? json_object_getn(partials, name.ptr, name.len) : NULL;
    if (!json_is_string(p))
        return BL_ENOTFOUND;
    src->text = (struct bl_str){json_string_value(p), json_string_length(p)};
    return BL_OK;
}

/* Runs one test; returns 1 when it passed. */
static int run_case(const char *file, const json_t *tc)
{
    const char *name = json_string_value(json_object_get(tc, "name"));
    const json_t *tpl = json_object_get(tc, "template");
    const json_t *want = json_object_get(tc, "expected");
    if (!name || !json_is_string(tpl) || !json_is_string(want)) {
        printf("FAIL %s: malformed test case\n", file);
        return 0;
    }
    char label[512];
    snprintf(label, sizeof(label), "%s: %s", file, name);
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_mustache *t = NULL;
    int rc = bl_mustache_compile(
        &t, label, (struct bl_str){json_string_value(tpl), json_string_length(tpl)}, &d);
    struct bl_buf out = BL_BUF_INIT;
    if (!rc) {
        struct bl_mustache_opts o = {0};
        o.partial = spec_partial;
        o.partial_ctx = json_object_get(tc, "partials");
        rc = bl_mustache_render(t, json_object_get(tc, "data"), &o, &out, &d);
    }
    bl_mustache_free(t);
    int ok = 0;
    if (rc) {
        char m[1024];
        bl_diag_format(&d, m, sizeof(m));
        printf("FAIL %s: error %s\n", label, m);
    } else if (!bl_str_eq(bl_buf_str(&out),
                          (struct bl_str){json_string_value(want), json_string_length(want)})) {
        printf("FAIL %s\n  expected: \"%s\"\n  got:      \"%s\"\n", label, json_string_value(want),
               bl_buf_cstr(&out));
    } else {
        ok = 1;
    }
    bl_buf_release(&out);
    return ok;
}

static void test_spec(void **state)
{
    (void)state;
    char *dir = spec_dir();
    DIR *dh = opendir(dir);
    if (!dh) {
        print_message("SKIPPED: no mustache specification at %s (put shared/ beside the "
                      "clone or set BALLAST_SHARED)\n",
                      dir);
        free(dir);
        skip();
    }
    char *files[64];
    size_t nf = 0;
    struct dirent *e;
    while ((e = readdir(dh)) != NULL) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '~' || e->d_name[0] == '.' || len < 6 ||
            strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        assert_true(nf < 64);
        files[nf++] = strdup(e->d_name);
    }
    closedir(dh);
    qsort(files, nf, sizeof(files[0]), by_name);

    int passed = 0, total = 0;
    for (size_t i = 0; i < nf; i++) {
        char path[4600];
        snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
        json_error_t jerr;
        json_t *spec = json_load_file(path, 0, &jerr);
        if (!spec)
            fail_msg("%s:%d: %s", path, jerr.line, jerr.text);
        const json_t *tests = json_object_get(spec, "tests");
        assert_true(json_is_array(tests));
        int fp = 0;
        for (size_t k = 0; k < json_array_size(tests); k++) {
            fp += run_case(files[i], json_array_get(tests, k));
            total++;
        }
        passed += fp;
        printf("%-20s %d/%zu passed\n", files[i], fp, json_array_size(tests));
        json_decref(spec);
        free(files[i]);
    }
    free(dir);
    printf("mustache spec: %d passed, %d failed, %d tests in %zu files\n", passed, total - passed,
           total, nf);
    assert_true(nf >= 6);
    assert_int_equal(passed, total);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spec),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
