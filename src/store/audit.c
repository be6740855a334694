/* audit.c - the audit log's rows (audit.h). */
#include <stdio.h>
#include <string.h>

#include "ballast/alloc.h"
#include "store/audit.h"

static struct bl_val text_or_null(const char *s)
{
    return s ? bl_val_text(bl_str_c(s)) : bl_val_null();
}

static struct bl_val id_or_null(int64_t id)
{
    return id ? bl_val_int(id) : bl_val_null();
}

int bl_store_audit_add(struct bl_store *st, int64_t org, const struct bl_audit_row *row,
                       struct bl_diag *d)
{
    const struct bl_store_actor *a = bl_store_actor(st);
    int64_t id = 0;
    int rc = bl_store_next_ids(st, org, "audit", 1, &id, d);
    if (rc)
        return rc;
    struct bl_val p[] = {
        bl_val_int(org),
        bl_val_int(id),
        bl_val_int(row->at),
        bl_val_text(bl_str_c(a->name)),
        id_or_null(a->user_id),
        id_or_null(a->token_id),
        bl_val_text(bl_str_c(a->via)),
        a->source[0] ? bl_val_text(bl_str_c(a->source)) : bl_val_null(),
        bl_val_text(bl_str_c(row->action)),
        bl_val_text(bl_str_c(row->object_kind)),
        text_or_null(row->object_id),
        text_or_null(row->before),
        text_or_null(row->after),
    };
    return bl_store_exec(st,
                         "INSERT INTO audit (org_id, id, at, actor, user_id, token_id, via,"
                         " source, action, object_kind, object_id, before, after) VALUES"
                         " ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                         p, sizeof(p) / sizeof(p[0]), NULL, d);
}

struct list_ctx {
    bl_audit_fn fn;
    void *ctx;
};

/* Text columns of a row are NUL-terminated by both backends. */
static const char *col_text(const struct bl_row *r, size_t col)
{
    return bl_row_isnull(r, col) ? NULL : bl_row_text(r, col).ptr;
}

static int audit_row(void *vctx, const struct bl_row *r)
{
    struct list_ctx *c = vctx;
    struct bl_audit_row x = {
        .id = bl_row_int(r, 0),
        .at = bl_row_int(r, 1),
        .actor = bl_row_text(r, 2).ptr,
        .user_id = bl_row_int(r, 3),
        .token_id = bl_row_int(r, 4),
        .via = bl_row_text(r, 5).ptr,
        .source = col_text(r, 6) ? col_text(r, 6) : "",
        .action = bl_row_text(r, 7).ptr,
        .object_kind = bl_row_text(r, 8).ptr,
        .object_id = col_text(r, 9),
        .before = col_text(r, 10),
        .after = col_text(r, 11),
    };
    return c->fn(c->ctx, &x);
}

int bl_store_audit_list(struct bl_store *st, int64_t org, const struct bl_audit_filter *f,
                        bl_audit_fn fn, void *ctx, struct bl_diag *d)
{
    char sql[640];
    struct bl_val p[8];
    size_t n = 0;
    p[n++] = bl_val_int(org);
    int len = snprintf(sql, sizeof(sql),
                       "SELECT id, at, actor, user_id, token_id, via, source, action,"
                       " object_kind, object_id, before, after FROM audit WHERE org_id = $1");
    char prefix[160];
    if (f->before_id > 0) {
        p[n++] = bl_val_int(f->before_id);
        len += snprintf(sql + len, sizeof(sql) - (size_t)len, " AND id < $%zu", n);
    }
    if (f->since != BL_NO_TIME) {
        p[n++] = bl_val_int(f->since);
        len += snprintf(sql + len, sizeof(sql) - (size_t)len, " AND at >= $%zu", n);
    }
    if (f->until != BL_NO_TIME) {
        p[n++] = bl_val_int(f->until);
        len += snprintf(sql + len, sizeof(sql) - (size_t)len, " AND at < $%zu", n);
    }
    if (f->actor) {
        p[n++] = bl_val_text(bl_str_c(f->actor));
        len += snprintf(sql + len, sizeof(sql) - (size_t)len, " AND actor = $%zu", n);
    }
    if (f->action) { /* "disruption" is also every "disruption.*" */
        snprintf(prefix, sizeof(prefix), "%s.", f->action);
        p[n++] = bl_val_text(bl_str_c(f->action));
        p[n++] = bl_val_text(bl_str_c(prefix));
        len += snprintf(sql + len, sizeof(sql) - (size_t)len,
                        " AND (action = $%zu OR substr(action, 1, %zu) = $%zu)", n - 1,
                        strlen(prefix), n);
    }
    p[n++] = bl_val_int(f->limit);
    snprintf(sql + len, sizeof(sql) - (size_t)len, " ORDER BY id DESC LIMIT $%zu", n);
    struct list_ctx c = {fn, ctx};
    return bl_store_query(st, sql, p, n, audit_row, &c, d);
}
