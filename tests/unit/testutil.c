/* testutil.c - helpers shared by the cmocka unit tests. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "testutil.h"

#include "app/digest.h"

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

void bl_test_exec_ok(struct bl_store *s, const char *sql)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_store_exec(s, sql, NULL, 0, NULL, &d), &d);
}

int bl_test_env_fresh(void **state)
{
    struct bl_test_env *e = *state;
    struct bl_diag d;
    bl_diag_clear(&d);
    e->seq++;
    if (!e->pg) {
        snprintf(e->path, sizeof(e->path), "%s/t%d.db", e->dir, e->seq);
        BL_ASSERT_OK(bl_store_open(&e->st, e->path, &d), &d);
        return 0;
    }
    BL_ASSERT_OK(bl_store_open(&e->st, e->url, &d), &d);
    char sql[160];
    snprintf(sql, sizeof(sql), "DROP SCHEMA IF EXISTS %s CASCADE", e->schema);
    bl_test_exec_ok(e->st, sql);
    snprintf(sql, sizeof(sql), "CREATE SCHEMA %s", e->schema);
    bl_test_exec_ok(e->st, sql);
    snprintf(sql, sizeof(sql), "SET search_path TO %s", e->schema);
    bl_test_exec_ok(e->st, sql);
    return 0;
}

int bl_test_env_done(void **state)
{
    struct bl_test_env *e = *state;
    bl_store_close(e->st);
    e->st = NULL;
    return 0;
}

int bl_test_env_setup_sqlite(void **state, struct bl_test_env *e, const char *name)
{
    e->pg = false;
    e->name = name;
    e->dir = bl_test_tmpdir();
    *state = e;
    return 0;
}

int bl_test_env_setup_pg(void **state, struct bl_test_env *e, const char *name)
{
    e->pg = true;
    e->name = name;
    e->dir = bl_test_tmpdir();
    snprintf(e->schema, sizeof(e->schema), "bl_%s_%ld", name, (long)getpid());
    *state = e;
    return 0;
}

int bl_test_env_teardown(void **state)
{
    struct bl_test_env *e = *state;
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", e->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "%s: could not remove %s\n", e->name, e->dir);
    free(e->dir);
    e->dir = NULL;
    if (!e->pg)
        return 0;
    struct bl_store *s = NULL;
    struct bl_diag d;
    if (bl_store_open(&s, e->url, &d) == BL_OK) {
        char sql[160];
        snprintf(sql, sizeof(sql), "DROP SCHEMA IF EXISTS %s CASCADE", e->schema);
        if (bl_store_exec(s, sql, NULL, 0, NULL, &d) != BL_OK)
            fprintf(stderr, "%s: could not drop %s: %s\n", e->name, e->schema, d.msg);
        bl_store_close(s);
    }
    return 0;
}

struct bl_store *bl_test_env_open(const struct bl_test_env *e)
{
    struct bl_store *s = NULL;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_store_open(&s, e->pg ? e->url : e->path, &d), &d);
    if (e->pg) {
        char sql[128];
        snprintf(sql, sizeof(sql), "SET search_path TO %s", e->schema);
        bl_test_exec_ok(s, sql);
    }
    return s;
}

const char *bl_test_templates(char *dir, size_t cap)
{
    const char *src = getenv("BL_SOURCE_DIR") ? getenv("BL_SOURCE_DIR") : ".";
    snprintf(dir, cap, "%s/templates", src);
    return dir;
}

struct bl_words *bl_test_words(const char *locale)
{
    char dir[4096];
    struct bl_words *w = NULL;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_app_words_open(bl_test_templates(dir, sizeof(dir)), locale, &w, &d), &d);
    return w;
}
