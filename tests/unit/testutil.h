/* testutil.h - helpers shared by the cmocka unit tests. */
#ifndef BL_TESTUTIL_H
#define BL_TESTUTIL_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ballast/err.h"
#include "ballast/store.h"
#include "ballast/str.h"

/* A fresh temporary directory (caller frees the string with free()). */
char *bl_test_tmpdir(void);

/* Writes len bytes to dir/name; returns the malloc'd path. */
char *bl_test_write_file(const char *dir, const char *name, const char *data, size_t len);

/* The PostgreSQL URL of the test server (BL_PG_URL_FILE), or NULL when not set. */
char *bl_test_pg_url(void);

/* Path of a shared dataset file (BL_DATASETS/rel); malloc'd. When the file is not
 * there, says so and skips the calling test. */
char *bl_test_dataset(const char *rel);

/* A test program's store environment, one per group (SQLite or PostgreSQL). Each test
 * gets a fresh store: a new SQLite file in dir, or an empty PostgreSQL schema of the
 * program's own (search_path set to it). The env owns dir and st; url is the caller's
 * (set it from bl_test_pg_url() before running the PostgreSQL group, free it after). */
struct bl_test_env {
    bool pg;
    const char *name; /* the test program, for messages and the schema name */
    char *url;        /* PostgreSQL: the server's URL */
    char *dir;        /* temporary directory: input files, SQLite stores */
    char path[512];   /* SQLite: the current test's file */
    char schema[64];  /* PostgreSQL: bl_<name>_<pid> */
    int seq;
    struct bl_store *st; /* the current test's store; opened, not migrated */
};

/* The operator word pack of locale from the source tree's templates/ (BL_SOURCE_DIR, or
 * the current directory), failing the test if it cannot be read; the caller frees it with
 * bl_app_words_free(). */
struct bl_words;
struct bl_words *bl_test_words(const char *locale);
/* The source tree's templates/ ($BL_SOURCE_DIR, else .) into dir; returns dir. */
const char *bl_test_templates(char *dir, size_t cap);

/* Runs sql on s, failing the test with the diagnostic if it fails. */
void bl_test_exec_ok(struct bl_store *s, const char *sql);

/* Group setups: *state = e, a fresh temporary directory; name is the test program
 * ("app_money_test"). */
int bl_test_env_setup_sqlite(void **state, struct bl_test_env *e, const char *name);
int bl_test_env_setup_pg(void **state, struct bl_test_env *e, const char *name);

/* Group teardown: removes dir; on PostgreSQL drops the schema. */
int bl_test_env_teardown(void **state);

/* Per-test setup and teardown (cmocka_unit_test_setup_teardown): opens a fresh store
 * into e->st, and closes it. */
int bl_test_env_fresh(void **state);
int bl_test_env_done(void **state);

/* Another connection to the current test's store (PostgreSQL: search_path set to the
 * schema); the caller closes it with bl_store_close(). */
struct bl_store *bl_test_env_open(const struct bl_test_env *e);

/* A test run on a fresh store, for a CMUnitTest list. */
#define BL_TEST_FRESH(f) cmocka_unit_test_setup_teardown(f, bl_test_env_fresh, bl_test_env_done)

/* Asserts rc == BL_OK, printing the diagnostic if not. */
#define BL_ASSERT_OK(rc, diag)                                                                \
    do {                                                                                      \
        int bl__rc = (rc);                                                                    \
        if (bl__rc != BL_OK) {                                                                \
            char bl__m[1024];                                                                 \
            bl_diag_format((diag), bl__m, sizeof(bl__m));                                     \
            fail_msg("%s failed: %s (%s)", #rc, bl_errname(bl__rc), bl__m);                   \
        }                                                                                     \
    } while (0)

#endif
