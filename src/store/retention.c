/* retention.c - retention settings, counters and prunes (retention.h). */
#include <stdio.h>
#include <string.h>

#include "store/retention.h"

static const char *const kind_names[BL_RETAIN_NKINDS] = {"webhook_delivered", "webhook_failed",
                                                         "webhook_events", "idempotency", "audit"};

const char *bl_retention_kind_name(enum bl_retention_kind k)
{
    return (unsigned)k < BL_RETAIN_NKINDS ? kind_names[k] : "";
}

int bl_retention_kind_of(const char *name)
{
    for (int k = 0; name && k < BL_RETAIN_NKINDS; k++)
        if (strcmp(name, kind_names[k]) == 0)
            return k;
    return -1;
}

static int get_row(void *ctx, const struct bl_row *r)
{
    struct bl_retention_row *out = ctx;
    char name[32];
    bl_str_copy(name, sizeof(name), bl_row_text(r, 0));
    int k = bl_retention_kind_of(name);
    if (k < 0)
        return 0; /* a kind of a later version: not this one's */
    out[k] = (struct bl_retention_row){bl_row_int_or(r, 1, BL_RETENTION_DEFAULT), bl_row_int(r, 2),
                                       bl_row_int(r, 3), bl_row_int(r, 4)};
    return 0;
}

int bl_store_retention_get(struct bl_store *st, int64_t org,
                           struct bl_retention_row out[BL_RETAIN_NKINDS], struct bl_diag *d)
{
    for (int k = 0; k < BL_RETAIN_NKINDS; k++)
        out[k] = (struct bl_retention_row){BL_RETENTION_DEFAULT, 0, 0, 0};
    struct bl_val p = bl_val_int(org);
    return bl_store_query(st,
                          "SELECT kind, days, pruned, last_at, last_pruned FROM retention"
                          " WHERE org_id = $1",
                          &p, 1, get_row, out, d);
}

int bl_store_retention_set(struct bl_store *st, int64_t org, enum bl_retention_kind k, int64_t days,
                           struct bl_diag *d)
{
    struct bl_val p[3] = {bl_val_int(org), bl_val_text(bl_str_c(bl_retention_kind_name(k))),
                          days == BL_RETENTION_DEFAULT ? bl_val_null() : bl_val_int(days)};
    return bl_store_exec(st,
                         "INSERT INTO retention (org_id, kind, days, pruned, last_pruned)"
                         " VALUES ($1, $2, $3, 0, 0)"
                         " ON CONFLICT (org_id, kind) DO UPDATE SET days = excluded.days",
                         p, 3, NULL, d);
}

int bl_store_retention_record(struct bl_store *st, int64_t org, enum bl_retention_kind k,
                              int64_t at, int64_t n, int64_t run_n, struct bl_diag *d)
{
    struct bl_val p[5] = {bl_val_int(org), bl_val_text(bl_str_c(bl_retention_kind_name(k))),
                          bl_val_int(at), bl_val_int(n), bl_val_int(run_n)};
    return bl_store_exec(st,
                         "INSERT INTO retention (org_id, kind, days, pruned, last_at, last_pruned)"
                         " VALUES ($1, $2, NULL, $4, $3, $5)"
                         " ON CONFLICT (org_id, kind) DO UPDATE SET"
                         " pruned = retention.pruned + excluded.pruned,"
                         " last_at = excluded.last_at, last_pruned = excluded.last_pruned",
                         p, 5, NULL, d);
}

/* Each statement removes the rows a subquery picks, at most $3 of them, oldest first, by
 * the table's key (the subquery walks an index on the age where there is one). In
 * parentheses: one statement each, however many literals it is written in. */
static const char *const prune_sql[] = {
    /* delivered: next_at <= delivered_at (a delivery is sent only once due), so the bound
     * on next_at lets hook_delivery_due's range stop at the cutoff */
    ("DELETE FROM hook_delivery WHERE org_id = $1 AND (webhook_id, event_id) IN ("
     " SELECT webhook_id, event_id FROM hook_delivery WHERE org_id = $1 AND state = 'delivered'"
     " AND next_at < $2 AND delivered_at < $2 ORDER BY next_at LIMIT $3)"),
    ("DELETE FROM hook_delivery WHERE org_id = $1 AND (webhook_id, event_id) IN ("
     " SELECT webhook_id, event_id FROM hook_delivery WHERE org_id = $1"
     " AND state IN ('failed', 'cancelled') AND COALESCE(last_at, next_at) < $2 LIMIT $3)"),
    /* events older than the cutoff that no delivery names any more (a pending or failed
     * one keeps its event): hook_event_at walks them by age, hook_delivery_event answers
     * the NOT EXISTS */
    ("DELETE FROM hook_event WHERE org_id = $1 AND id IN ("
     " SELECT e.id FROM hook_event e WHERE e.org_id = $1 AND e.created_at < $2"
     " AND NOT EXISTS (SELECT 1 FROM hook_delivery x WHERE x.org_id = e.org_id"
     " AND x.event_id = e.id) ORDER BY e.created_at LIMIT $3)"),
    ("DELETE FROM api_idem WHERE org_id = $1 AND idem_key IN ("
     " SELECT idem_key FROM api_idem WHERE org_id = $1"
     " AND COALESCE(lease_until, created_at) < $2 LIMIT $3)"),
    ("DELETE FROM audit WHERE org_id = $1 AND id IN ("
     " SELECT id FROM audit WHERE org_id = $1 AND at < $2 ORDER BY at LIMIT $3)"),
};

int bl_store_retention_prune(struct bl_store *st, int64_t org, enum bl_retention_kind k,
                             int64_t cutoff, int64_t batch, int64_t *n, struct bl_diag *d)
{
    *n = 0;
    if ((unsigned)k >= BL_RETAIN_NKINDS || batch < 1)
        return bl_diag_set(d, BL_EINVAL, "retention: no such kind, or an empty batch");
    struct bl_val p[3] = {bl_val_int(org), bl_val_int(cutoff), bl_val_int(batch)};
    return bl_store_exec(st, prune_sql[k], p, 3, n, d);
}

static int counts(struct bl_store *st, const char *col, bl_sched_count_fn fn, void *ctx,
                  struct bl_diag *d)
{
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SELECT o.name, r.kind, r.%s FROM retention r JOIN org o ON o.id = r.org_id"
             " WHERE r.last_at IS NOT NULL ORDER BY o.name, r.kind",
             col);
    return bl__store_count_rows(st, sql, fn, ctx, d);
}

int bl_store_retention_pruned_total(struct bl_store *st, bl_sched_count_fn fn, void *ctx,
                                    struct bl_diag *d)
{
    return counts(st, "pruned", fn, ctx, d);
}

int bl_store_retention_pruned_last(struct bl_store *st, bl_sched_count_fn fn, void *ctx,
                                   struct bl_diag *d)
{
    return counts(st, "last_pruned", fn, ctx, d);
}
