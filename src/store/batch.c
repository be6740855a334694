/* batch.c - an organisation's import batches (batch.h). */
#include "store/batch.h"
#include "store/load.h"

static int batch_row(void *ctx, const struct bl_row *r)
{
    struct bl__load *l = ctx;
    struct bl_batch *x = bl__load_next(l);
    if (x) {
        x->id = bl_row_int(r, 0);
        x->kind = bl__load_keep_or_empty(l, r, 1);
        x->source = bl__load_keep_or_empty(l, r, 2);
        x->opts = bl__load_keep(l, r, 3);
        x->rows = bl_row_int(r, 4);
        x->created_at = bl_row_int(r, 5);
        x->replaced_at = bl_row_int_or(r, 6, 0);
    }
    return l->rc;
}

int bl_store_batch_list(struct bl_store *st, int64_t org, const char *kind, struct bl_arena *a,
                        struct bl_batch **out, size_t *n, struct bl_diag *d)
{
    struct bl__load l = BL__LOAD(a, struct bl_batch);
    struct bl_val p[2] = {bl_val_int(org), bl_val_text(bl_str_c(kind ? kind : ""))};
    int rc = bl__load_run(st,
                          "SELECT id, kind, source, opts, rows, created_at, replaced_at FROM "
                          "import_batch WHERE org_id = $1 AND ($2 = '' OR kind = $2) "
                          "ORDER BY id DESC",
                          p, 2, batch_row, &l, n, d);
    *out = l.items;
    return rc;
}
