/* schema.h - versioned migrations (internal to the store). */
#ifndef BL_STORE_SCHEMA_H
#define BL_STORE_SCHEMA_H

#include <stddef.h>

/* A statement ending with this is run as is on SQLite and without it elsewhere. */
#define BL__SQLITE_ONLY_SUFFIX " WITHOUT ROWID"

struct bl_migration {
    int version;
    const char *what;
    const char *const *stmts;
    size_t nstmts;
};

/* All migrations in version order (static data). */
const struct bl_migration *bl__migrations(size_t *n);

#endif
