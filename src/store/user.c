/* user.c - users and the marketplaces' merchants (audit.h). */
#include <string.h>

#include "store/audit.h"

#define USER_SELECT                                                                                \
    "SELECT id, name, role, pw_hash, created_at, failed, locked_until, language FROM app_user"     \
    " WHERE org_id = $1"

int bl_store_user_add(struct bl_store *st, int64_t org, const struct bl_user_row *u,
                      struct bl_diag *d)
{
    struct bl_val p[] = {bl_val_int(org),
                         bl_val_int(u->id),
                         bl_val_text(bl_str_c(u->name)),
                         bl_val_text(bl_str_c(u->role)),
                         bl_val_text(bl_str_c(u->pw_hash)),
                         bl_val_int(u->created_at)};
    return bl_store_exec(st,
                         "INSERT INTO app_user (org_id, id, name, role, pw_hash, created_at,"
                         " failed) VALUES ($1, $2, $3, $4, $5, $6, 0)",
                         p, 6, NULL, d);
}

struct user_ctx {
    bl_user_fn fn;
    void *ctx;
};

static int user_row(void *vctx, const struct bl_row *r)
{
    struct user_ctx *c = vctx;
    struct bl_user_row u = {.id = bl_row_int(r, 0), .created_at = bl_row_int(r, 4)};
    bl_str_copy(u.name, sizeof(u.name), bl_row_text(r, 1));
    bl_str_copy(u.role, sizeof(u.role), bl_row_text(r, 2));
    bl_str_copy(u.pw_hash, sizeof(u.pw_hash), bl_row_text(r, 3));
    u.failed = bl_row_int(r, 5);
    u.locked_until = bl_row_isnull(r, 6) ? BL_NO_TIME : bl_row_int(r, 6);
    if (!bl_row_isnull(r, 7))
        bl_str_copy(u.language, sizeof(u.language), bl_row_text(r, 7));
    return c->fn(c->ctx, &u);
}

static int copy_user(void *ctx, const struct bl_user_row *u)
{
    *(struct bl_user_row *)ctx = *u;
    return 1;
}

int bl_store_user_get(struct bl_store *st, int64_t org, const char *name, struct bl_user_row *out,
                      struct bl_diag *d)
{
    struct bl_val p[] = {bl_val_int(org), bl_val_text(bl_str_c(name))};
    struct user_ctx c = {copy_user, out};
    int rc = bl_store_query(st, USER_SELECT " AND name = $2", p, 2, user_row, &c, d);
    if (rc == 1)
        return BL_OK;
    return rc ? rc : bl_diag_set(d, BL_ENOTFOUND, "no such user");
}

int bl_store_user_by_id(struct bl_store *st, int64_t org, int64_t id, struct bl_user_row *out,
                        struct bl_diag *d)
{
    struct bl_val p[] = {bl_val_int(org), bl_val_int(id)};
    struct user_ctx c = {copy_user, out};
    int rc = bl_store_query(st, USER_SELECT " AND id = $2", p, 2, user_row, &c, d);
    if (rc == 1)
        return BL_OK;
    return rc ? rc : bl_diag_set(d, BL_ENOTFOUND, "no such user");
}

int bl_store_user_set_language(struct bl_store *st, int64_t org, int64_t id, const char *language,
                               struct bl_diag *d)
{
    struct bl_val p[] = {bl_val_int(org), bl_val_int(id),
                         language ? bl_val_text(bl_str_c(language)) : bl_val_null()};
    return bl_store_exec(st, "UPDATE app_user SET language = $3 WHERE org_id = $1 AND id = $2",
                         p, 3, NULL, d);
}

int bl_store_user_list(struct bl_store *st, int64_t org, bl_user_fn fn, void *ctx,
                       struct bl_diag *d)
{
    struct bl_val p = bl_val_int(org);
    struct user_ctx c = {fn, ctx};
    return bl_store_query(st, USER_SELECT " ORDER BY name", &p, 1, user_row, &c, d);
}

int bl_store_user_remove(struct bl_store *st, int64_t org, int64_t id, struct bl_diag *d)
{
    struct bl_val p[] = {bl_val_int(org), bl_val_int(id)};
    return bl_store_exec(st, "DELETE FROM app_user WHERE org_id = $1 AND id = $2", p, 2, NULL, d);
}

int bl_store_user_set_hash(struct bl_store *st, int64_t org, int64_t id, const char *pw_hash,
                           struct bl_diag *d)
{
    struct bl_val p[] = {bl_val_int(org), bl_val_int(id), bl_val_text(bl_str_c(pw_hash))};
    return bl_store_exec(st,
                         "UPDATE app_user SET pw_hash = $3, failed = 0, locked_until = NULL"
                         " WHERE org_id = $1 AND id = $2",
                         p, 3, NULL, d);
}

int bl_store_user_set_failed(struct bl_store *st, int64_t org, int64_t id, int64_t failed,
                             int64_t locked_until, struct bl_diag *d)
{
    struct bl_val p[] = {bl_val_int(org), bl_val_int(id), bl_val_int(failed),
                         locked_until == BL_NO_TIME ? bl_val_null() : bl_val_int(locked_until)};
    return bl_store_exec(st,
                         "UPDATE app_user SET failed = $3, locked_until = $4"
                         " WHERE org_id = $1 AND id = $2",
                         p, 4, NULL, d);
}

int bl_store_user_tokens_revoke(struct bl_store *st, int64_t org, int64_t id, int64_t at,
                                struct bl_diag *d)
{
    struct bl_val p[] = {bl_val_int(org), bl_val_int(id), bl_val_int(at)};
    return bl_store_exec(st,
                         "UPDATE api_token SET revoked_at = $3"
                         " WHERE org_id = $1 AND user_id = $2 AND revoked_at IS NULL",
                         p, 3, NULL, d);
}

int bl_store_govern_add(struct bl_store *st, int64_t org, int64_t merchant, int64_t at, bool *added,
                        struct bl_diag *d)
{
    struct bl_val p[] = {bl_val_int(org), bl_val_int(merchant), bl_val_int(at)};
    int64_t n = 0;
    int rc = bl_store_exec(st,
                           "INSERT INTO org_govern (org_id, merchant_id, created_at)"
                           " VALUES ($1, $2, $3) ON CONFLICT (org_id, merchant_id) DO NOTHING",
                           p, 3, &n, d);
    *added = !rc && n > 0;
    return rc;
}

int bl_store_govern_remove(struct bl_store *st, int64_t org, int64_t merchant, bool *removed,
                           struct bl_diag *d)
{
    struct bl_val p[] = {bl_val_int(org), bl_val_int(merchant)};
    int64_t n = 0;
    int rc = bl_store_exec(st, "DELETE FROM org_govern WHERE org_id = $1 AND merchant_id = $2", p,
                           2, &n, d);
    *removed = !rc && n > 0;
    return rc;
}

struct govern_ctx {
    bl_govern_fn fn;
    void *ctx;
};

static int govern_row(void *vctx, const struct bl_row *r)
{
    struct govern_ctx *c = vctx;
    return c->fn(c->ctx, bl_row_int(r, 0), bl_row_text(r, 1).ptr);
}

int bl_store_govern_list(struct bl_store *st, int64_t org, bl_govern_fn fn, void *ctx,
                         struct bl_diag *d)
{
    struct bl_val p = bl_val_int(org);
    struct govern_ctx c = {fn, ctx};
    return bl_store_query(st,
                          "SELECT o.id, o.name FROM org_govern g JOIN org o ON o.id = g.merchant_id"
                          " WHERE g.org_id = $1 ORDER BY o.name",
                          &p, 1, govern_row, &c, d);
}

int bl_store_governed_by(struct bl_store *st, int64_t merchant, int64_t *market, struct bl_diag *d)
{
    struct bl_val p = bl_val_int(merchant);
    *market = 0;
    int rc = bl_store_query_int(st, "SELECT org_id FROM org_govern WHERE merchant_id = $1", &p, 1,
                                market, d);
    return rc == BL_ENOTFOUND ? BL_OK : rc;
}
