/* api.c - tokens and idempotency keys of the HTTP API (api.h). */
#include <string.h>

#include "store/api.h"

static struct bl_val time_val(int64_t t)
{
    return t == BL_NO_TIME ? bl_val_null() : bl_val_int(t);
}

static int64_t time_col(const struct bl_row *r, size_t col)
{
    return bl_row_isnull(r, col) ? BL_NO_TIME : bl_row_int(r, col);
}

int bl_store_token_add(struct bl_store *st, int64_t org, const struct bl_token_row *row,
                       struct bl_diag *d)
{
    struct bl_val p[] = {
        bl_val_int(org),
        bl_val_int(row->id),
        bl_val_text(bl_str_c(row->role)),
        bl_val_blob(row->hash, sizeof(row->hash)),
        row->label[0] ? bl_val_text(bl_str_c(row->label)) : bl_val_null(),
        bl_val_int(row->created_at),
        time_val(row->expires_at),
        row->user_id ? bl_val_int(row->user_id) : bl_val_null(),
    };
    return bl_store_exec(st,
                         "INSERT INTO api_token (org_id, id, role, hash, label, created_at,"
                         " expires_at, user_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                         p, sizeof(p) / sizeof(p[0]), NULL, d);
}

struct token_ctx {
    bl_token_fn fn;
    void *ctx;
};

static int token_row(void *vctx, const struct bl_row *r)
{
    struct token_ctx *c = vctx;
    struct bl_token_row t = {.id = bl_row_int(r, 0)};
    bl_str_copy(t.role, sizeof(t.role), bl_row_text(r, 1));
    struct bl_str h;
    if (bl_row_blob(r, 2, &h))
        return BL_ENOMEM;
    if (h.len == sizeof(t.hash))
        memcpy(t.hash, h.ptr, h.len); /* else all zero: matches no secret's hash */
    bl_str_copy(t.label, sizeof(t.label), bl_row_text(r, 3));
    t.created_at = bl_row_int(r, 4);
    t.expires_at = time_col(r, 5);
    t.revoked_at = time_col(r, 6);
    t.user_id = bl_row_int(r, 7);
    return c->fn(c->ctx, &t);
}

#define TOKEN_SELECT                                                                               \
    "SELECT id, role, hash, label, created_at, expires_at, revoked_at, user_id FROM api_token"     \
    " WHERE org_id = $1"

static int copy_token(void *ctx, const struct bl_token_row *t)
{
    *(struct bl_token_row *)ctx = *t;
    return 1;
}

int bl_store_token_get(struct bl_store *st, int64_t org, int64_t id, struct bl_token_row *out,
                       struct bl_diag *d)
{
    struct bl_val p[] = {bl_val_int(org), bl_val_int(id)};
    struct token_ctx c = {copy_token, out};
    int rc = bl_store_query(st, TOKEN_SELECT " AND id = $2", p, 2, token_row, &c, d);
    if (rc == 1)
        return BL_OK;
    return rc ? rc : bl_diag_set(d, BL_ENOTFOUND, "no token %lld", (long long)id);
}

int bl_store_token_list(struct bl_store *st, int64_t org, bl_token_fn fn, void *ctx,
                        struct bl_diag *d)
{
    struct bl_val p = bl_val_int(org);
    struct token_ctx c = {fn, ctx};
    return bl_store_query(st, TOKEN_SELECT " ORDER BY id", &p, 1, token_row, &c, d);
}

int bl_store_token_revoke(struct bl_store *st, int64_t org, int64_t id, int64_t at, bool *changed,
                          struct bl_diag *d)
{
    struct bl_val p[] = {bl_val_int(org), bl_val_int(id), bl_val_int(at)};
    int64_t n = 0;
    int rc = bl_store_exec(st,
                           "UPDATE api_token SET revoked_at = $3"
                           " WHERE org_id = $1 AND id = $2 AND revoked_at IS NULL",
                           p, 3, &n, d);
    *changed = !rc && n > 0;
    return rc;
}

/* Runs sql (an INSERT or an UPDATE of one claim, $1..$6: org, key, route, req_hash,
 * created_at, lease_until): *done says whether it changed a row. */
static int idem_write(struct bl_store *st, const char *sql, int64_t org, const char *key,
                      const struct bl_idem_row *row, bool *done, struct bl_diag *d)
{
    struct bl_val p[] = {
        bl_val_int(org),
        bl_val_text(bl_str_c(key)),
        bl_val_text(bl_str_c(row->route)),
        bl_val_blob(row->req_hash.ptr, row->req_hash.len),
        bl_val_int(row->created_at),
        bl_val_int(row->lease_until),
    };
    int64_t n = 0;
    int rc = bl_store_exec(st, sql, p, 6, &n, d);
    *done = !rc && n > 0;
    return rc;
}

int bl_store_idem_claim(struct bl_store *st, int64_t org, const char *key,
                        const struct bl_idem_row *row, bool *claimed, struct bl_diag *d)
{
    return idem_write(st,
                      "INSERT INTO api_idem (org_id, idem_key, route, req_hash, status,"
                      " created_at, lease_until) VALUES ($1, $2, $3, $4, 0, $5, $6)"
                      " ON CONFLICT (org_id, idem_key) DO NOTHING",
                      org, key, row, claimed, d);
}

int bl_store_idem_retake(struct bl_store *st, int64_t org, const char *key,
                         const struct bl_idem_row *row, bool *taken, struct bl_diag *d)
{
    return idem_write(st,
                      "UPDATE api_idem SET route = $3, req_hash = $4, created_at = $5,"
                      " lease_until = $6 WHERE org_id = $1 AND idem_key = $2"
                      " AND status = 0 AND lease_until < $5",
                      org, key, row, taken, d);
}

struct idem_ctx {
    bl_idem_fn fn;
    void *ctx;
};

static int idem_row(void *vctx, const struct bl_row *r)
{
    struct idem_ctx *c = vctx;
    struct bl_idem_row x = {.status = bl_row_int(r, 2), .created_at = bl_row_int(r, 4)};
    struct bl_str route = bl_row_text(r, 0), body = bl_row_text(r, 3);
    /* text columns of a row are NUL-terminated by both backends */
    x.route = route.ptr;
    x.body = bl_row_isnull(r, 3) ? NULL : body.ptr;
    if (bl_row_blob(r, 1, &x.req_hash))
        return BL_ENOMEM;
    return c->fn(c->ctx, &x);
}

int bl_store_idem_get(struct bl_store *st, int64_t org, const char *key, bl_idem_fn fn, void *ctx,
                      struct bl_diag *d)
{
    struct bl_val p[] = {bl_val_int(org), bl_val_text(bl_str_c(key))};
    struct idem_ctx c = {fn, ctx};
    return bl_store_query(st,
                          "SELECT route, req_hash, status, body, created_at FROM api_idem"
                          " WHERE org_id = $1 AND idem_key = $2",
                          p, 2, idem_row, &c, d);
}

int bl_store_idem_finish(struct bl_store *st, int64_t org, const char *key, int64_t status,
                         struct bl_str body, struct bl_diag *d)
{
    struct bl_val p[] = {bl_val_int(org), bl_val_text(bl_str_c(key)), bl_val_int(status),
                         bl_val_text(body)};
    return bl_store_exec(st,
                         "UPDATE api_idem SET status = $3, body = $4"
                         " WHERE org_id = $1 AND idem_key = $2",
                         p, 4, NULL, d);
}

int bl_store_idem_drop(struct bl_store *st, int64_t org, const char *key, struct bl_diag *d)
{
    struct bl_val p[] = {bl_val_int(org), bl_val_text(bl_str_c(key))};
    return bl_store_exec(st, "DELETE FROM api_idem WHERE org_id = $1 AND idem_key = $2", p, 2, NULL,
                         d);
}

int bl_store_idem_finish_hash(struct bl_store *st, int64_t org, const char *key, int64_t status,
                              struct bl_str body, struct bl_str req_hash, struct bl_diag *d)
{
    struct bl_val p[] = {bl_val_int(org), bl_val_text(bl_str_c(key)), bl_val_int(status),
                         bl_val_text(body), bl_val_blob(req_hash.ptr, req_hash.len)};
    return bl_store_exec(st,
                         "UPDATE api_idem SET status = $3, body = $4, req_hash = $5"
                         " WHERE org_id = $1 AND idem_key = $2",
                         p, 5, NULL, d);
}
