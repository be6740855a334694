/* names.c - shops', warehouses' and SKUs' names (names.h). */
#include <string.h>

#include "store/names.h"

struct acc {
    struct bl_arena *a;
    struct bl_store_name *v;
    size_t n, cap;
};

static int row(void *ctx, const struct bl_row *r)
{
    struct acc *x = ctx;
    if (x->n == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 64;
        struct bl_store_name *v = bl_arena_alloc(x->a, cap * sizeof(*v));
        if (!v)
            return BL_ENOMEM;
        if (x->n)
            memcpy(v, x->v, x->n * sizeof(*v));
        x->v = v;
        x->cap = cap;
    }
    struct bl_str e = bl_row_text(r, 1), nm = bl_row_text(r, 2);
    struct bl_store_name *o = &x->v[x->n];
    o->id = bl_row_int(r, 0);
    o->ext = bl_arena_strndup(x->a, e.ptr, e.len);
    o->name = bl_arena_strndup(x->a, nm.ptr, nm.len);
    o->weight_g = bl_row_int_or(r, 3, 0);
    if (!o->ext || !o->name)
        return BL_ENOMEM;
    x->n++;
    return 0;
}

int bl_store_names(struct bl_store *st, int64_t org, enum bl_store_names_of of, struct bl_arena *a,
                   struct bl_store_name **out, size_t *n, struct bl_diag *d)
{
    static const char *const sql[] = {
        "SELECT id, ext_id, name, 0 FROM shop WHERE org_id = $1 ORDER BY id",
        "SELECT id, ext_id, name, 0 FROM warehouse WHERE org_id = $1 ORDER BY id",
        "SELECT id, ext_id, name, weight_g FROM sku WHERE org_id = $1 ORDER BY id",
    };
    struct acc x = {a, NULL, 0, 0};
    struct bl_val p = bl_val_int(org);
    *out = NULL;
    *n = 0;
    if ((unsigned)of > BL_NAMES_SKU)
        return bl_diag_set(d, BL_EINVAL, "names: no such table");
    int rc = bl_store_query(st, sql[of], &p, 1, row, &x, d);
    if (rc == BL_ENOMEM)
        return bl_diag_set(d, BL_ENOMEM, "names: out of memory");
    if (rc)
        return rc;
    *out = x.v;
    *n = x.n;
    return BL_OK;
}
