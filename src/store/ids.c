/* ids.c - the one id allocator (store.h, bl_store_next_ids): a row per (org, table) in
 * id_seq holds the next id; taking n ids advances it in the caller's transaction. */
#include <stdio.h>
#include <string.h>

#include "ballast/store.h"

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

int bl_store_next_ids(struct bl_store *s, int64_t org, const char *table, int64_t n, int64_t *first,
                      struct bl_diag *d)
{
    if (!plain_identifier(table) || n < 0)
        return bl_diag_set(d, BL_EINVAL, "id allocator: bad table '%s' or count %lld", table,
                           (long long)n);
    char seed[256];
    /* The org table has no org_id: its ids are global (org 0). A WHERE clause before ON
     * CONFLICT keeps SQLite from reading ON as a join's. */
    if (strcmp(table, "org") == 0)
        snprintf(seed, sizeof(seed),
                 "INSERT INTO id_seq (org_id, tbl, next_id) SELECT $1, $2,"
                 " COALESCE(MAX(id), 0) + 1 FROM org WHERE 1 = 1 ON CONFLICT DO NOTHING");
    else
        snprintf(seed, sizeof(seed),
                 "INSERT INTO id_seq (org_id, tbl, next_id) SELECT $1, $2,"
                 " COALESCE(MAX(id), 0) + 1 FROM %s WHERE org_id = $1 ON CONFLICT DO NOTHING",
                 table);
    struct bl_val p[3] = {bl_val_int(org), bl_val_text(bl_str_c(table)), bl_val_int(n)};
    int rc = bl_store_exec(s, seed, p, 2, NULL, d);
    if (!rc)
        rc = bl_store_query_int(s,
                                "UPDATE id_seq SET next_id = next_id + $3"
                                " WHERE org_id = $1 AND tbl = $2 RETURNING next_id - $3",
                                p, 3, first, d);
    return rc;
}
