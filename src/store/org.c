/* org.c - organisations and what they hold (org.h). */
#include <stdio.h>
#include <string.h>

#include "store/org.h"

static bool plain_identifier(const char *t)
{
    size_t n = strlen(t);
    if (n == 0 || n > 48)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((t[i] >= 'a' && t[i] <= 'z') || t[i] == '_'))
            return false;
    return true;
}

/* bl_store_query_int, with BL_ENOTFOUND reported to the caller but not written to d. */
static int query_id(struct bl_store *st, const char *sql, const struct bl_val *p, size_t n,
                    int64_t *id, struct bl_diag *d)
{
    struct bl_diag tmp;
    bl_diag_clear(&tmp);
    int rc = bl_store_query_int(st, sql, p, n, id, &tmp);
    if (rc && rc != BL_ENOTFOUND && d)
        *d = tmp;
    return rc;
}

int bl_store_org_find(struct bl_store *st, const char *name, int64_t *id, struct bl_diag *d)
{
    struct bl_val p = bl_val_text(bl_str_c(name));
    *id = 0;
    return query_id(st, "SELECT id FROM org WHERE name = $1", &p, 1, id, d);
}

int bl_store_org_add(struct bl_store *st, const char *name, int64_t *id, bool *created,
                     struct bl_diag *d)
{
    *created = false;
    int rc = bl_store_org_find(st, name, id, d);
    if (rc != BL_ENOTFOUND)
        return rc;
    rc = bl_store_next_ids(st, 0, "org", 1, id, d);
    struct bl_val p[2] = {bl_val_text(bl_str_c(name)), bl_val_int(*id)};
    if (!rc)
        rc = bl_store_exec(st, "INSERT INTO org (id, name, created_at) VALUES ($2, $1, NULL)", p, 2,
                           NULL, d);
    *created = !rc;
    return rc;
}

int bl_store_org_rows(struct bl_store *st, int64_t org, const char *table, int64_t *n,
                      struct bl_diag *d)
{
    if (!plain_identifier(table))
        return bl_diag_set(d, BL_EINVAL, "bad table name '%s'", table);
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s WHERE org_id = $1", table);
    struct bl_val p = bl_val_int(org);
    return bl_store_query_int(st, sql, &p, 1, n, d);
}

int bl_store_org_ext_id(struct bl_store *st, int64_t org, const char *table, const char *ext,
                        int64_t *id, struct bl_diag *d)
{
    if (!plain_identifier(table))
        return bl_diag_set(d, BL_EINVAL, "bad table name '%s'", table);
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT id FROM %s WHERE org_id = $1 AND ext_id = $2", table);
    struct bl_val p[2] = {bl_val_int(org), bl_val_text(bl_str_c(ext))};
    return query_id(st, sql, p, 2, id, d);
}

struct shop_ctx {
    bool found;
    int64_t id;
    char *tz;
    size_t cap;
};

static int shop_row(void *vctx, const struct bl_row *r)
{
    struct shop_ctx *c = vctx;
    c->found = true;
    c->id = bl_row_int(r, 0);
    bl_str_copy(c->tz, c->cap, bl_row_text(r, 1));
    return 0;
}

int bl_store_org_shop(struct bl_store *st, int64_t org, const char *ext, int64_t *id, char *tz,
                      size_t cap, struct bl_diag *d)
{
    struct bl_val q[2] = {bl_val_int(org), bl_val_text(bl_str_c(ext))};
    struct shop_ctx c = {false, 0, tz, cap};
    int rc = bl_store_query(st, "SELECT id, tz FROM shop WHERE org_id = $1 AND ext_id = $2", q, 2,
                            shop_row, &c, d);
    if (!rc && !c.found)
        return BL_ENOTFOUND;
    *id = c.id;
    return rc;
}
