/* testutil.h - helpers shared by the cmocka unit tests. */
#ifndef BL_TESTUTIL_H
#define BL_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ballast/err.h"
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
