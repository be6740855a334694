/* testutil.c - helpers shared by the cmocka unit tests. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "testutil.h"

char *bl_test_tmpdir(void)
{
    char tmpl[] = "/tmp/ballast-test.XXXXXX";
    char *p = mkdtemp(tmpl);
    assert_non_null(p);
    return strdup(p);
}

char *bl_test_write_file(const char *dir, const char *name, const char *data, size_t len)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n);
    assert_non_null(path);
    snprintf(path, n, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    return path;
}

char *bl_test_pg_url(void)
{
    const char *file = getenv("BL_PG_URL_FILE");
    if (!file)
        return NULL;
    FILE *f = fopen(file, "r");
    if (!f)
        return NULL;
    char buf[512];
    char *r = fgets(buf, sizeof(buf), f);
    fclose(f);
    if (!r)
        return NULL;
    buf[strcspn(buf, "\r\n")] = '\0';
    return strdup(buf);
}

char *bl_test_dataset(const char *rel)
{
    const char *base = getenv("BL_DATASETS");
    if (!base)
        base = "../shared/datasets";
    size_t n = strlen(base) + strlen(rel) + 2;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/%s", base, rel);
    if (access(p, R_OK) != 0) {
        print_message("SKIPPED: no %s (put shared/ beside the clone or set BALLAST_SHARED)\n",
                      p);
        free(p);
        skip();
    }
    return p;
}
