/* schema.h - versioned migrations (internal to the store). */
#ifndef BL_STORE_SCHEMA_H
#define BL_STORE_SCHEMA_H

#include <stddef.h>

struct bl_migration {
    int version;
    const char *what;
    const char *const *stmts;
    size_t nstmts;
};

/* All migrations in version order (static data). */
const struct bl_migration *bl__migrations(size_t *n);

#endif
