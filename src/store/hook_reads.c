/* hook_reads.c - what an event says, read from the tables of the change that raises it:
 * new stock alerts, an applied action, a shop's rating and the one before (hook.h). */
#include "store/hook.h"

struct alert_ctx {
    int (*fn)(void *ctx, const struct bl_hook_alert *a);
    void *ctx;
};

static int alert_row(void *vctx, const struct bl_row *r)
{
    struct alert_ctx *c = vctx;
    struct bl_hook_alert a = {.kind = bl_row_text(r, 0),
                              .sku_id = bl_row_int(r, 1),
                              .sku = bl_row_text(r, 2),
                              .sku_name = bl_row_text(r, 3),
                              .message = bl_row_text(r, 4),
                              .value = bl_row_int_or(r, 5, 0)};
    return c->fn(c->ctx, &a);
}

int bl_store_hook_new_alerts(struct bl_store *st, int64_t org, int64_t as_of,
                             int (*fn)(void *ctx, const struct bl_hook_alert *a), void *ctx,
                             struct bl_diag *d)
{
    struct bl_val p[] = {bl_val_int(org), bl_val_int(as_of)};
    struct alert_ctx c = {fn, ctx};
    return bl_store_query(
        st,
        "SELECT x.kind, x.sku_id, k.ext_id, k.name, x.message, x.value"
        " FROM stock_alert x JOIN sku k ON k.org_id = x.org_id AND k.id = x.sku_id"
        " WHERE x.org_id = $1 AND x.as_of = $2 AND NOT EXISTS (SELECT 1"
        "  FROM stock_alert y WHERE y.org_id = x.org_id AND y.kind = x.kind"
        "  AND y.sku_id = x.sku_id AND y.as_of = (SELECT MAX(z.as_of)"
        "   FROM stock_alert z WHERE z.org_id = x.org_id AND z.as_of < $2))"
        " ORDER BY x.kind, k.ext_id",
        p, 2, alert_row, &c, d);
}

struct action_ctx {
    int (*fn)(void *ctx, const struct bl_hook_action *a);
    void *ctx;
};

static int action_row(void *vctx, const struct bl_row *r)
{
    struct action_ctx *c = vctx;
    struct bl_hook_action a = {.kind = bl_row_text(r, 0),
                               .target = bl_row_text(r, 1),
                               .field = bl_row_text(r, 2),
                               .before = bl_row_int(r, 3),
                               .after = bl_row_int(r, 4),
                               .reason = bl_row_text(r, 5),
                               .as_of = bl_row_int(r, 6),
                               .applied_at = bl_row_int_or(r, 7, 0),
                               .target_ext = bl_row_text(r, 8),
                               .target_name = bl_row_text(r, 9)};
    return c->fn(c->ctx, &a);
}

int bl_store_hook_action(struct bl_store *st, int64_t org, int64_t id,
                         int (*fn)(void *ctx, const struct bl_hook_action *a), void *ctx,
                         struct bl_diag *d)
{
    struct bl_val p[] = {bl_val_int(org), bl_val_int(id)};
    struct action_ctx c = {fn, ctx};
    return bl_store_query(st,
                          "SELECT a.kind, a.target, a.field, a.before_val, a.after_val, a.reason,"
                          " a.as_of, a.applied_at, COALESCE(k.ext_id, s.ext_id, ''),"
                          " COALESCE(k.name, s.name, '') FROM action a"
                          " LEFT JOIN sku k ON a.target = 'sku' AND k.org_id = a.org_id"
                          "  AND k.id = a.target_id"
                          " LEFT JOIN shop s ON a.target = 'shop' AND s.org_id = a.org_id"
                          "  AND s.id = a.target_id"
                          " WHERE a.org_id = $1 AND a.id = $2",
                          p, 2, action_row, &c, d);
}

struct rating_ctx {
    int (*fn)(void *ctx, const struct bl_hook_rating *r);
    void *ctx;
};

static int rating_row(void *vctx, const struct bl_row *r)
{
    struct rating_ctx *c = vctx;
    struct bl_hook_rating x = {.shop_id = bl_row_int(r, 0),
                               .shop = bl_row_text(r, 1),
                               .name = bl_row_text(r, 2),
                               .rating = bl_row_text(r, 3),
                               .score_x100 = bl_row_int_or(r, 4, -1),
                               .failing = bl_row_text(r, 5),
                               .prev_rating = bl_row_text(r, 6),
                               .prev_score_x100 = bl_row_int_or(r, 7, -1),
                               .prev_as_of = bl_row_int(r, 8)};
    return c->fn(c->ctx, &x);
}

int bl_store_hook_ratings(struct bl_store *st, int64_t org, const char *profile, int window,
                          int64_t as_of, int (*fn)(void *ctx, const struct bl_hook_rating *r),
                          void *ctx, struct bl_diag *d)
{
    struct bl_val p[] = {bl_val_int(org), bl_val_text(bl_str_c(profile)), bl_val_int(window),
                         bl_val_int(as_of)};
    struct rating_ctx c = {fn, ctx};
    return bl_store_query(
        st,
        "SELECT a.shop_id, s.ext_id, s.name, a.rating, a.score_x100, COALESCE(a.failing, ''),"
        " b.rating, b.score_x100, b.as_of FROM assessment a"
        " JOIN shop s ON s.org_id = a.org_id AND s.id = a.shop_id"
        " JOIN assessment b ON b.org_id = a.org_id AND b.profile = a.profile"
        "  AND b.window_days = a.window_days AND b.shop_id = a.shop_id"
        "  AND b.as_of = (SELECT MAX(c.as_of) FROM assessment c WHERE c.org_id = a.org_id"
        "   AND c.profile = a.profile AND c.window_days = a.window_days"
        "   AND c.shop_id = a.shop_id AND c.as_of < a.as_of)"
        " WHERE a.org_id = $1 AND a.profile = $2 AND a.window_days = $3 AND a.as_of = $4"
        " AND a.rating <> '' AND b.rating <> '' ORDER BY s.ext_id",
        p, 4, rating_row, &c, d);
}
