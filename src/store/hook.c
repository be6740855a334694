/* hook.c - outgoing webhooks: subscribers, the event outbox, deliveries (hook.h). */
#include <string.h>

#include "store/hook.h"

int bl_store_webhook_add(struct bl_store *st, int64_t org, int64_t id, const char *url,
                         const char *events, const char *sealed, int64_t now, struct bl_diag *d)
{
    struct bl_val p[] = {bl_val_int(org),
                         bl_val_int(id),
                         bl_val_text(bl_str_c(url)),
                         bl_val_text(bl_str_c(events)),
                         bl_val_text(bl_str_c(sealed)),
                         bl_val_int(now)};
    return bl_store_exec(st,
                         "INSERT INTO webhook (org_id, id, url, events, secret, created_at)"
                         " VALUES ($1, $2, $3, $4, $5, $6)",
                         p, 6, NULL, d);
}

int bl_store_webhook_find(struct bl_store *st, int64_t org, const char *url, int64_t *id,
                          struct bl_diag *d)
{
    struct bl_val p[] = {bl_val_int(org), bl_val_text(bl_str_c(url))};
    *id = 0;
    int rc = bl_store_query_int(st,
                                "SELECT id FROM webhook WHERE org_id = $1 AND url = $2"
                                " AND removed_at IS NULL",
                                p, 2, id, d);
    return rc == BL_ENOTFOUND ? BL_OK : rc;
}

struct list_ctx {
    bl_webhook_fn fn;
    void *ctx;
};

static int webhook_row(void *vctx, const struct bl_row *r)
{
    struct list_ctx *c = vctx;
    struct bl_webhook_row w = {
        .id = bl_row_int(r, 0),
        .url = bl_row_text(r, 1),
        .events = bl_row_text(r, 2),
        .secret = bl_row_text(r, 3),
        .created_at = bl_row_int(r, 4),
        .pending = bl_row_int(r, 5),
        .delivered = bl_row_int(r, 6),
        .failed = bl_row_int(r, 7),
        .last_at = bl_row_int_or(r, 8, 0),
        .last_status = bl_row_int_or(r, 9, 0),
        .last_error = bl_row_text(r, 10),
    };
    return c->fn(c->ctx, &w);
}

#define COUNT_STATE(s)                                                                             \
    " (SELECT COUNT(*) FROM hook_delivery x WHERE x.org_id = w.org_id"                             \
    "  AND x.webhook_id = w.id AND x.state = '" s "'),"
#define LAST(col)                                                                                  \
    " (SELECT y." col " FROM hook_delivery y WHERE y.org_id = w.org_id AND y.webhook_id = w.id"    \
    "  AND y.last_at IS NOT NULL ORDER BY y.last_at DESC, y.event_id DESC LIMIT 1)"
#define WEBHOOK_SELECT                                                                             \
    "SELECT w.id, w.url, w.events, w.secret, w.created_at," COUNT_STATE("pending")                 \
        COUNT_STATE("delivered") COUNT_STATE("failed") LAST("last_at") "," LAST(                   \
            "last_status") "," LAST("last_error") " FROM webhook w"                                \
                                                  " WHERE w.org_id = $1 AND w.removed_at IS NULL"

int bl_store_webhook_list(struct bl_store *st, int64_t org, int64_t id, bl_webhook_fn fn, void *ctx,
                          struct bl_diag *d)
{
    struct bl_val p[] = {bl_val_int(org), bl_val_int(id)};
    struct list_ctx c = {fn, ctx};
    if (id)
        return bl_store_query(st, WEBHOOK_SELECT " AND w.id = $2", p, 2, webhook_row, &c, d);
    return bl_store_query(st, WEBHOOK_SELECT " ORDER BY w.id", p, 1, webhook_row, &c, d);
}

int bl_store_webhook_remove(struct bl_store *st, int64_t org, int64_t id, int64_t now,
                            bool *changed, struct bl_diag *d)
{
    struct bl_val p[] = {bl_val_int(org), bl_val_int(id), bl_val_int(now)};
    int64_t n = 0;
    *changed = false;
    int rc = bl_store_exec(st,
                           "UPDATE webhook SET removed_at = $3"
                           " WHERE org_id = $1 AND id = $2 AND removed_at IS NULL",
                           p, 3, &n, d);
    if (!rc && n > 0)
        rc = bl_store_exec(st,
                           "UPDATE hook_delivery SET state = 'cancelled'"
                           " WHERE org_id = $1 AND webhook_id = $2 AND state = 'pending'",
                           p, 2, NULL, d);
    *changed = !rc && n > 0;
    return rc;
}

int bl_store_hook_seen(struct bl_store *st, int64_t org, const char *dedup, bool *seen,
                       struct bl_diag *d)
{
    struct bl_val p[] = {bl_val_int(org), bl_val_text(bl_str_c(dedup))};
    int64_t n = 0;
    int rc = bl_store_query_int(
        st, "SELECT COUNT(*) FROM hook_dedup WHERE org_id = $1 AND dedup = $2", p, 2, &n, d);
    *seen = !rc && n > 0;
    return rc;
}

int bl_store_hook_raise(struct bl_store *st, int64_t org, int64_t id, const char *type,
                        struct bl_str data, const char *dedup, int64_t now, int64_t only,
                        bool *raised, struct bl_diag *d)
{
    struct bl_val p[] = {bl_val_int(org),
                         bl_val_int(id),
                         bl_val_text(bl_str_c(type)),
                         bl_val_text(data),
                         dedup ? bl_val_text(bl_str_c(dedup)) : bl_val_null(),
                         bl_val_int(now),
                         bl_val_int(only)};
    int64_t n = 1;
    /* the key first: it outlives the event (retention), so a fact raises once for good */
    int rc = dedup ? bl_store_exec(st,
                                   "INSERT INTO hook_dedup (org_id, dedup, event_id)"
                                   " VALUES ($1, $3, $2) ON CONFLICT (org_id, dedup) DO NOTHING",
                                   (struct bl_val[]){p[0], p[1], p[4]}, 3, &n, d)
                   : BL_OK;
    if (!rc && n > 0)
        rc =
            bl_store_exec(st,
                          "INSERT INTO hook_event (org_id, id, type, data, dedup, created_at)"
                          " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (org_id, dedup) DO NOTHING",
                          p, 6, &n, d);
    *raised = !rc && n > 0;
    if (!*raised)
        return rc;
    struct bl_val q[] = {p[0], p[1], p[5], p[2], p[6]};
    if (only)
        return bl_store_exec(st,
                             "INSERT INTO hook_delivery (org_id, event_id, webhook_id, state,"
                             " attempts, next_at, claimed_until, claim) SELECT org_id, $2, id,"
                             " 'pending', 0, $3, 0, 0 FROM webhook WHERE org_id = $1 AND id = $4"
                             " AND removed_at IS NULL",
                             (struct bl_val[]){q[0], q[1], q[2], q[4]}, 4, NULL, d);
    /* events: "a,b,c" or "*"; the types hold no LIKE wildcard but '_', which no other
     * type's spelling can meet */
    return bl_store_exec(st,
                         "INSERT INTO hook_delivery (org_id, event_id, webhook_id, state,"
                         " attempts, next_at, claimed_until, claim) SELECT org_id, $2, id,"
                         " 'pending', 0, $3, 0, 0 FROM webhook WHERE org_id = $1"
                         " AND removed_at IS NULL AND (events = '*'"
                         "  OR ',' || events || ',' LIKE '%,' || $4 || ',%')",
                         q, 4, NULL, d);
}

struct due_ctx {
    int (*fn)(void *ctx, int64_t event_id, int64_t webhook_id);
    void *ctx;
};

static int due_row(void *vctx, const struct bl_row *r)
{
    struct due_ctx *c = vctx;
    return c->fn(c->ctx, bl_row_int(r, 0), bl_row_int(r, 1));
}

int bl_store_hook_due(struct bl_store *st, int64_t org, int64_t now, int64_t limit,
                      int (*fn)(void *ctx, int64_t event_id, int64_t webhook_id), void *ctx,
                      struct bl_diag *d)
{
    struct bl_val p[] = {bl_val_int(org), bl_val_int(now), bl_val_int(limit)};
    struct due_ctx c = {fn, ctx};
    return bl_store_query(st,
                          "SELECT event_id, webhook_id FROM hook_delivery WHERE org_id = $1"
                          " AND state = 'pending' AND next_at <= $2 AND claimed_until <= $2"
                          " ORDER BY next_at, event_id, webhook_id LIMIT $3",
                          p, 3, due_row, &c, d);
}

int bl_store_hook_claim(struct bl_store *st, int64_t org, int64_t event_id, int64_t webhook_id,
                        int64_t now, int64_t until, int64_t claim, bool *got, struct bl_diag *d)
{
    struct bl_val p[] = {bl_val_int(org), bl_val_int(event_id), bl_val_int(webhook_id),
                         bl_val_int(now), bl_val_int(until),    bl_val_int(claim)};
    int64_t n = 0;
    int rc = bl_store_exec(st,
                           "UPDATE hook_delivery SET claimed_until = $5, claim = $6"
                           " WHERE org_id = $1 AND event_id = $2 AND webhook_id = $3"
                           " AND state = 'pending' AND claimed_until <= $4",
                           p, 6, &n, d);
    *got = !rc && n == 1;
    return rc;
}

struct job_ctx {
    bl_hook_job_fn fn;
    void *ctx;
};

static int job_row(void *vctx, const struct bl_row *r)
{
    struct job_ctx *c = vctx;
    struct bl_hook_job j = {.type = bl_row_text(r, 0),
                            .data = bl_row_text(r, 1),
                            .created_at = bl_row_int(r, 2),
                            .url = bl_row_text(r, 3),
                            .secret = bl_row_text(r, 4),
                            .org_name = bl_row_text(r, 5),
                            .attempts = bl_row_int(r, 6)};
    int rc = c->fn(c->ctx, &j);
    return rc ? rc : 1;
}

int bl_store_hook_job(struct bl_store *st, int64_t org, int64_t event_id, int64_t webhook_id,
                      bl_hook_job_fn fn, void *ctx, struct bl_diag *d)
{
    struct bl_val p[] = {bl_val_int(org), bl_val_int(event_id), bl_val_int(webhook_id)};
    struct job_ctx c = {fn, ctx};
    int rc = bl_store_query(st,
                            "SELECT e.type, e.data, e.created_at, w.url, w.secret, o.name,"
                            " x.attempts FROM hook_delivery x"
                            " JOIN hook_event e ON e.org_id = x.org_id AND e.id = x.event_id"
                            " JOIN webhook w ON w.org_id = x.org_id AND w.id = x.webhook_id"
                            " JOIN org o ON o.id = x.org_id"
                            " WHERE x.org_id = $1 AND x.event_id = $2 AND x.webhook_id = $3",
                            p, 3, job_row, &c, d);
    if (rc == 1)
        return BL_OK;
    return rc ? rc
              : bl_diag_set(d, BL_ENOTFOUND, "no delivery of event %lld to webhook %lld",
                            (long long)event_id, (long long)webhook_id);
}

int bl_store_hook_done(struct bl_store *st, int64_t org, int64_t event_id, int64_t webhook_id,
                       int64_t claim, const struct bl_hook_outcome *o, struct bl_diag *d)
{
    bool ok = strcmp(o->state, "delivered") == 0;
    struct bl_val p[] = {bl_val_int(org),
                         bl_val_int(event_id),
                         bl_val_int(webhook_id),
                         bl_val_int(claim),
                         bl_val_text(bl_str_c(o->state)),
                         bl_val_int(o->attempts),
                         bl_val_int(o->next_at),
                         o->status ? bl_val_int(o->status) : bl_val_null(),
                         o->error ? bl_val_text(bl_str_c(o->error)) : bl_val_null(),
                         bl_val_int(o->at),
                         ok ? bl_val_int(o->at) : bl_val_null()};
    return bl_store_exec(st,
                         "UPDATE hook_delivery SET state = $5, attempts = $6, next_at = $7,"
                         " last_status = $8, last_error = $9, last_at = $10, delivered_at = $11,"
                         " claimed_until = 0 WHERE org_id = $1 AND event_id = $2"
                         " AND webhook_id = $3 AND claim = $4 AND state = 'pending'",
                         p, 11, NULL, d);
}

static int depth_row(void *ctx, const struct bl_row *r)
{
    int64_t **out = ctx;
    *out[0] = bl_row_int(r, 0);
    *out[1] = bl_row_int(r, 1);
    return 0;
}

int bl_store_hook_depth(struct bl_store *st, int64_t org, int64_t *pending, int64_t *failed,
                        struct bl_diag *d)
{
    struct bl_val p[] = {bl_val_int(org)};
    int64_t *out[2] = {pending, failed};
    *pending = *failed = 0;
    return bl_store_query(st,
                          "SELECT COALESCE(SUM(CASE WHEN state = 'pending' THEN 1 ELSE 0 END), 0),"
                          " COALESCE(SUM(CASE WHEN state = 'failed' THEN 1 ELSE 0 END), 0)"
                          " FROM hook_delivery WHERE org_id = $1",
                          p, 1, depth_row, out, d);
}
