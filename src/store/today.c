/* today.c - what the Today summary counts (today.h). */
#include "store/today.h"

#include "store/load.h"

static int msgs_row(void *ctx, const struct bl_row *r)
{
    struct bl__load *l = ctx;
    struct bl_today_msgs *m = bl__load_next(l);
    if (!m)
        return BL_ENOMEM;
    m->state = bl__load_keep_or_empty(l, r, 0);
    m->kind = bl__load_keep_or_empty(l, r, 1);
    m->n = bl_row_int(r, 2);
    return l->rc;
}

int bl_store_today_messages(struct bl_store *st, int64_t org, struct bl_arena *a,
                            struct bl_today_msgs **out, size_t *n, struct bl_diag *d)
{
    struct bl__load l = BL__LOAD(a, struct bl_today_msgs);
    struct bl_val p = bl_val_int(org);
    int rc = bl__load_run(st,
                          "SELECT state, kind, COUNT(*) FROM message"
                          " WHERE org_id = $1 AND state IN ('planned', 'held')"
                          " GROUP BY state, kind ORDER BY 3 DESC, 1, 2",
                          &p, 1, msgs_row, &l, n, d);
    *out = l.items;
    return rc;
}

int bl_store_today_proposed(struct bl_store *st, int64_t org, int64_t *n, struct bl_diag *d)
{
    struct bl_val p = bl_val_int(org);
    return bl_store_query_int(
        st, "SELECT COUNT(*) FROM action WHERE org_id = $1 AND state = 'proposed'", &p, 1, n, d);
}

static int name_row(void *ctx, const struct bl_row *r)
{
    struct bl__load *l = ctx;
    struct bl_today_name *x = bl__load_next(l);
    if (!x)
        return BL_ENOMEM;
    x->ext = bl__load_keep_or_empty(l, r, 0);
    x->name = bl__load_keep_or_empty(l, r, 1);
    return l->rc;
}

int bl_store_today_shop_names(struct bl_store *st, int64_t org, struct bl_arena *a,
                              struct bl_today_name **out, size_t *n, struct bl_diag *d)
{
    struct bl__load l = BL__LOAD(a, struct bl_today_name);
    struct bl_val p = bl_val_int(org);
    int rc = bl__load_run(st, "SELECT ext_id, name FROM shop WHERE org_id = $1 ORDER BY ext_id", &p,
                          1, name_row, &l, n, d);
    *out = l.items;
    return rc;
}

int bl_store_today_sku_name(struct bl_store *st, int64_t org, const char *ext, struct bl_arena *a,
                            const char **name, struct bl_diag *d)
{
    struct bl__load l = BL__LOAD(a, struct bl_today_name);
    struct bl_val p[2] = {bl_val_int(org), bl_val_text(bl_str_c(ext))};
    size_t n = 0;
    int rc = bl__load_run(st, "SELECT ext_id, name FROM sku WHERE org_id = $1 AND ext_id = $2", p,
                          2, name_row, &l, &n, d);
    const struct bl_today_name *x = l.items;
    *name = !rc && n ? x[0].name : "";
    bl_free(l.items);
    return rc;
}
