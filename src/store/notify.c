/* notify.c - the digest's recipients and deliveries (notify.h). */
#include "store/notify.h"

static struct bl_val text_or_null(const char *s)
{
    return s && s[0] ? bl_val_text(bl_str_c(s)) : bl_val_null();
}

int bl_store_notify_add(struct bl_store *st, int64_t org, const char *kind, const char *address,
                        const char *secret, const char *locale, const char *smtp_url,
                        const char *sender, int64_t now, int64_t *id, struct bl_diag *d)
{
    int rc = BL_OK;
    struct bl_val p[9] = {bl_val_int(org),
                          bl_val_text(bl_str_c(kind)),
                          bl_val_text(bl_str_c(address)),
                          text_or_null(secret),
                          bl_val_text(bl_str_c(locale)),
                          text_or_null(smtp_url),
                          text_or_null(sender),
                          bl_val_int(now),
                          bl_val_int(0)};
    int64_t have = 0;
    if (!rc)
        rc = bl_store_query_int(st,
                                "SELECT COUNT(*) FROM notify_target WHERE org_id = $1"
                                " AND kind = $2 AND address = $3",
                                p, 3, &have, d);
    if (!rc && have)
        rc = bl_diag_set(d, BL_EEXISTS, "%s %s is already a recipient ('ballast notify list')",
                         kind, address);
    if (!rc)
        rc = bl_store_next_ids(st, org, "notify_target", 1, id, d);
    p[8] = bl_val_int(*id);
    if (!rc)
        rc = bl_store_exec(st,
                           "INSERT INTO notify_target (org_id, id, kind, address, secret, locale,"
                           " smtp_url, sender, created_at)"
                           " VALUES ($1, $9, $2, $3, $4, $5, $6, $7, $8)",
                           p, 9, NULL, d);
    return rc;
}

int bl_store_notify_remove(struct bl_store *st, int64_t org, int64_t id, struct bl_diag *d)
{
    struct bl_val p[2] = {bl_val_int(org), bl_val_int(id)};
    int64_t n = 0;
    int rc =
        bl_store_exec(st, "DELETE FROM notify_target WHERE org_id = $1 AND id = $2", p, 2, &n, d);
    if (!rc && n == 0)
        rc = bl_diag_set(d, BL_ENOTFOUND, "no recipient %lld ('ballast notify list')",
                         (long long)id);
    return rc;
}

struct list_ctx {
    bl_notify_target_fn fn;
    void *ctx;
};

static int target_row(void *vctx, const struct bl_row *r)
{
    struct list_ctx *c = vctx;
    struct bl_notify_target t = {
        .id = bl_row_int(r, 0),
        .kind = bl_row_text(r, 1),
        .address = bl_row_text(r, 2),
        .secret = bl_row_text(r, 3),
        .locale = bl_row_text(r, 4),
        .smtp_url = bl_row_text(r, 5),
        .sender = bl_row_text(r, 6),
        .created_at = bl_row_int(r, 7),
    };
    return c->fn(c->ctx, &t);
}

int bl_store_notify_list(struct bl_store *st, int64_t org, bl_notify_target_fn fn, void *ctx,
                         struct bl_diag *d)
{
    struct bl_val p = bl_val_int(org);
    struct list_ctx c = {fn, ctx};
    return bl_store_query(st,
                          "SELECT id, kind, address, COALESCE(secret, ''), locale,"
                          " COALESCE(smtp_url, ''), COALESCE(sender, ''), created_at"
                          " FROM notify_target WHERE org_id = $1 ORDER BY id",
                          &p, 1, target_row, &c, d);
}

int bl_store_digest_was_sent(struct bl_store *st, int64_t org, const char *idem, bool *sent,
                             struct bl_diag *d)
{
    struct bl_val p[2] = {bl_val_int(org), bl_val_text(bl_str_c(idem))};
    int64_t n = 0;
    int rc = bl_store_query_int(st,
                                "SELECT COUNT(*) FROM digest_delivery WHERE org_id = $1"
                                " AND idem = $2 AND state = 'sent'",
                                p, 2, &n, d);
    *sent = n > 0;
    return rc;
}

int bl_store_digest_record(struct bl_store *st, int64_t org, int64_t cycle_id, int64_t target_id,
                           const char *idem, const char *state, const char *error, int64_t now,
                           struct bl_diag *d)
{
    int rc = bl_store_begin(st, d);
    struct bl_val p[8] = {bl_val_int(org),
                          bl_val_text(bl_str_c(idem)),
                          bl_val_text(bl_str_c(state)),
                          text_or_null(error),
                          bl_val_int(now),
                          bl_val_int(cycle_id),
                          bl_val_int(target_id),
                          bl_val_int(0)};
    int64_t changed = 0;
    if (!rc)
        rc = bl_store_exec(st,
                           "UPDATE digest_delivery SET state = $3, error = $4, at = $5,"
                           " attempts = attempts + 1 WHERE org_id = $1 AND idem = $2",
                           p, 5, &changed, d);
    int64_t id = 0;
    if (!rc && !changed) {
        rc = bl_store_next_ids(st, org, "digest_delivery", 1, &id, d);
        p[7] = bl_val_int(id);
        if (!rc)
            rc = bl_store_exec(st,
                               "INSERT INTO digest_delivery (org_id, id, cycle_id, target_id, idem,"
                               " state, attempts, error, at)"
                               " VALUES ($1, $8, $6, $7, $2, $3, 1, $4, $5)",
                               p, 8, NULL, d);
    }
    rc = bl_store_end(st, rc, d);
    return rc;
}
