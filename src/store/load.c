/* load.c - a store family's row loader (load.h). */
#include <string.h>

#include "store/load.h"

void *bl__load_next(struct bl__load *l)
{
    if (bl_grow(&l->items, &l->cap, l->n + 1, l->size)) {
        l->rc = BL_ENOMEM;
        return NULL;
    }
    void *p = (char *)l->items + l->n * l->size;
    memset(p, 0, l->size);
    l->n++;
    return p;
}

const char *bl__load_keep(struct bl__load *l, const struct bl_row *r, size_t col)
{
    if (bl_row_isnull(r, col))
        return NULL;
    struct bl_str s = bl_row_text(r, col);
    char *p = bl_arena_strndup(l->a, s.ptr ? s.ptr : "", s.len);
    if (!p)
        l->rc = BL_ENOMEM;
    return p;
}

const char *bl__load_keep_or_empty(struct bl__load *l, const struct bl_row *r, size_t col)
{
    if (bl_row_isnull(r, col))
        return "";
    return bl__load_keep(l, r, col);
}

int bl__load_run(struct bl_store *st, const char *sql, const struct bl_val *p, size_t np,
                 bl_row_fn fn, struct bl__load *l, size_t *n, struct bl_diag *d)
{
    int rc = bl_store_query(st, sql, p, np, fn, l, d);
    if (l->rc && (!rc || !d->code)) /* a row function's own failure: the store says nothing */
        rc = bl_diag_set(d, l->rc, "out of memory");
    if (rc) {
        bl_free(l->items);
        l->items = NULL;
        l->n = 0;
    }
    *n = l->n;
    return rc;
}
