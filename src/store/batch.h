/* batch.h - an organisation's import batches (store family "batch", table import_batch):
 * what was imported, from which file, read with which options, when, and when its content
 * was last replaced. The importer (src/io/import) writes them.
 *
 * Ownership: the loader fills an array the caller frees with bl_free; its strings come
 * from the caller's arena. */
#ifndef BL_STORE_BATCH_H
#define BL_STORE_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/store.h"

struct bl_batch {
    int64_t id;
    const char *kind, *source;
    const char *opts;      /* "tz=ZONE", "shop=S" (";"-joined), "" none; NULL: recorded before
                              the options were */
    int64_t rows, created_at;
    int64_t replaced_at;   /* 0: never replaced */
};

/* The batches of org (of kind when not NULL), newest first. */
int bl_store_batch_list(struct bl_store *st, int64_t org, const char *kind, struct bl_arena *a,
                        struct bl_batch **out, size_t *n, struct bl_diag *d) BL_MUST_CHECK;

#endif
