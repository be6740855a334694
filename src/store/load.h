/* load.h - a store family's row loader (internal to src/store): rows appended to a
 * bl_grow array, their strings copied into the caller's arena. message.c,
 * message_settings.c and area.c load their lists with it.
 *
 * struct bl__load l = BL__LOAD(arena, struct item); then bl__load_run with a row
 * callback that calls bl__load_next for each row. On success the caller owns l.items
 * (bl_free) and its strings live in the arena; on failure l holds nothing. */
#ifndef BALLAST_STORE_LOAD_H
#define BALLAST_STORE_LOAD_H

#include "ballast/alloc.h"
#include "ballast/store.h"

struct bl__load {
    struct bl_arena *a;
    void *items;
    size_t n, cap, size;
    int rc; /* BL_ENOMEM once an append or a copy failed */
};

#define BL__LOAD(a_, T)                                                                            \
    {                                                                                              \
        .a = (a_), .size = sizeof(T)                                                               \
    }

/* A zeroed new item at the end of l->items, or NULL (l->rc set) when memory runs out. */
void *bl__load_next(struct bl__load *l);
/* The text of column col copied into l->a; NULL for SQL NULL (or when memory runs out,
 * l->rc set). */
const char *bl__load_keep(struct bl__load *l, const struct bl_row *r, size_t col);
/* The same, with "" for SQL NULL. */
const char *bl__load_keep_or_empty(struct bl__load *l, const struct bl_row *r, size_t col);
/* Runs the query with fn into l and sets *n; on failure l holds nothing. */
int bl__load_run(struct bl_store *st, const char *sql, const struct bl_val *p, size_t np,
                 bl_row_fn fn, struct bl__load *l, size_t *n, struct bl_diag *d) BL_MUST_CHECK;

#endif
