/* comply.c - the tax threshold watch's reads and its alerts (comply.h). */
#include "store/comply.h"

#include <stdio.h>
#include <string.h>

struct orders_ctx {
    bl_comply_row_fn fn;
    void *ctx;
};

static int order_row(void *vctx, const struct bl_row *r)
{
    struct orders_ctx *c = vctx;
    struct bl_comply_row x = {.id = bl_row_int(r, 0),
                              .shop_id = bl_row_int(r, 1),
                              .placed_at = bl_row_int(r, 2),
                              .amount = bl_row_int(r, 3),
                              .refunded = bl_row_int(r, 4),
                              .ship_to = bl_row_text(r, 5),
                              .currency = bl_row_text(r, 6),
                              .cancelled = bl_row_int(r, 7) != 0,
                              .ship_from = bl_row_text(r, 8)};
    return c->fn(c->ctx, &x);
}

#define ORDERS_SQL                                                                                 \
    "SELECT o.id, o.shop_id, o.placed_at, o.amount,"                                               \
    " COALESCE(f.refund, 0), COALESCE(o.ship_to, ''), o.currency,"                                 \
    " CASE WHEN o.cancelled_at IS NOT NULL AND o.cancelled_at <= %s"                               \
    " THEN 1 ELSE 0 END, COALESCE(o.ship_from, '')"                                                \
    " FROM orders o LEFT JOIN refund f ON f.org_id = o.org_id"                                     \
    " AND f.order_id = o.id AND f.as_of <= %s"                                                     \
    " WHERE o.org_id = %s AND o.placed_at <= %s"                                                   \
    " ORDER BY o.placed_at, o.id"

/* Rows a FETCH brings at a time on PostgreSQL (the number in its statement). */
#define FETCH_ROWS 10000

struct fetch_ctx {
    struct orders_ctx *c;
    int64_t rows;
};

static int fetched(void *vctx, const struct bl_row *r)
{
    struct fetch_ctx *f = vctx;
    f->rows++;
    return order_row(f->c, r);
}

/* PostgreSQL hands a query's whole result to the client at once: the orders come through a
 * cursor instead, FETCH_ROWS at a time (WITH HOLD: it needs no transaction of the
 * caller's, and the server keeps the rows, not this process). The numbers are the
 * caller's integers, written into the statement. */
static int orders_pg(struct bl_store *st, int64_t org, int64_t as_of, struct orders_ctx *c,
                     struct bl_diag *d)
{
    char sql[1024], a[24], o[24];
    snprintf(a, sizeof(a), "%lld", (long long)as_of);
    snprintf(o, sizeof(o), "%lld", (long long)org);
    int n =
        snprintf(sql, sizeof(sql),
                 "DECLARE bl_comply_orders NO SCROLL CURSOR WITH HOLD FOR " ORDERS_SQL, a, a, o, a);
    if (n < 0 || (size_t)n >= sizeof(sql))
        return bl_diag_set(d, BL_ETOOBIG, "comply: the orders' query does not fit");
    int rc = bl_store_exec(st, sql, NULL, 0, NULL, d);
    if (rc)
        return rc;
    struct fetch_ctx f = {c, FETCH_ROWS};
    while (!rc && f.rows == FETCH_ROWS) {
        f.rows = 0;
        rc = bl_store_query(st, "FETCH FORWARD 10000 FROM bl_comply_orders", NULL, 0, fetched, &f,
                            d);
    }
    struct bl_diag closing = {0};
    int rc2 = bl_store_exec(st, "CLOSE bl_comply_orders", NULL, 0, NULL, &closing);
    if (!rc && rc2)
        *d = closing;
    return rc ? rc : rc2;
}

int bl_store_comply_orders(struct bl_store *st, int64_t org, int64_t as_of, bl_comply_row_fn fn,
                           void *ctx, struct bl_diag *d)
{
    struct orders_ctx c = {fn, ctx};
    if (strcmp(bl_store_kind(st), "postgres") == 0)
        return orders_pg(st, org, as_of, &c, d);
    struct bl_val p[2] = {bl_val_int(org), bl_val_int(as_of)};
    char sql[1024];
    snprintf(sql, sizeof(sql), ORDERS_SQL, "$2", "$2", "$1", "$2");
    return bl_store_query(st, sql, p, 2, order_row, &c, d);
}

struct rates_ctx {
    bl_comply_rate_fn fn;
    void *ctx;
};

static int rate_row(void *vctx, const struct bl_row *r)
{
    struct rates_ctx *c = vctx;
    struct bl_comply_rate_row x = {.from = bl_row_text(r, 0),
                                   .to = bl_row_text(r, 1),
                                   .day = bl_row_int(r, 2),
                                   .rate = {bl_row_int(r, 3), (int)bl_row_int(r, 4)}};
    return c->fn(c->ctx, &x);
}

int bl_store_comply_rates(struct bl_store *st, int64_t org, bl_comply_rate_fn fn, void *ctx,
                          struct bl_diag *d)
{
    struct rates_ctx c = {fn, ctx};
    struct bl_val p[1] = {bl_val_int(org)};
    return bl_store_query(st,
                          "SELECT from_cur, to_cur, day, rate_num, rate_scale FROM fx_rate"
                          " WHERE org_id = $1 ORDER BY from_cur, to_cur, day",
                          p, 1, rate_row, &c, d);
}

struct two {
    char *a, *b;
    size_t cap;
    bool found;
};

static void copy(char *out, size_t cap, struct bl_str s)
{
    size_t n = s.len < cap - 1 ? s.len : cap - 1;
    memcpy(out, s.ptr, n);
    out[n] = '\0';
}

static int two_row(void *vctx, const struct bl_row *r)
{
    struct two *t = vctx;
    copy(t->a, t->cap, bl_row_text(r, 0));
    copy(t->b, t->cap, bl_row_text(r, 1));
    t->found = true;
    return 0;
}

int bl_store_comply_order_ext(struct bl_store *st, int64_t org, int64_t id, char *ext,
                              char *shop_ext, struct bl_diag *d)
{
    struct two t = {ext, shop_ext, 128, false};
    struct bl_val p[2] = {bl_val_int(org), bl_val_int(id)};
    ext[0] = shop_ext[0] = '\0';
    int rc = bl_store_query(st,
                            "SELECT o.ext_id, s.ext_id FROM orders o JOIN shop s"
                            " ON s.org_id = o.org_id AND s.id = o.shop_id"
                            " WHERE o.org_id = $1 AND o.id = $2",
                            p, 2, two_row, &t, d);
    return rc ? rc : t.found ? BL_OK : bl_diag_set(d, BL_ENOTFOUND, "no order %lld", (long long)id);
}

struct shops_ctx {
    bl_comply_shop_fn fn;
    void *ctx;
};

static int shop_row(void *vctx, const struct bl_row *r)
{
    struct shops_ctx *c = vctx;
    return c->fn(c->ctx, bl_row_int(r, 0), bl_row_text(r, 1), bl_row_text(r, 2));
}

int bl_store_comply_shops(struct bl_store *st, int64_t org, bl_comply_shop_fn fn, void *ctx,
                          struct bl_diag *d)
{
    struct shops_ctx c = {fn, ctx};
    struct bl_val p[1] = {bl_val_int(org)};
    return bl_store_query(st, "SELECT id, ext_id, name FROM shop WHERE org_id = $1 ORDER BY id",
                          p, 1, shop_row, &c, d);
}

int bl_store_comply_alert_add(struct bl_store *st, int64_t org, const struct bl_comply_alert *a,
                              bool *added, struct bl_diag *d)
{
    struct bl_val q[3] = {bl_val_int(org), bl_val_text(bl_str_c(a->kind)),
                          bl_val_text(bl_str_c(a->ref))};
    int64_t have = 0, id = 0;
    *added = false;
    int rc = bl_store_query_int(st,
                                "SELECT COUNT(*) FROM alert WHERE org_id = $1 AND kind = $2"
                                " AND ref = $3",
                                q, 3, &have, d);
    if (rc || have)
        return rc;
    rc = bl_store_next_ids(st, org, "alert", 1, &id, d);
    if (rc)
        return rc;
    struct bl_val v[] = {bl_val_int(org),
                         bl_val_int(id),
                         bl_val_text(bl_str_c(a->kind)),
                         a->shop_id ? bl_val_int(a->shop_id) : bl_val_null(),
                         bl_val_text(bl_str_c(a->ref)),
                         bl_val_text(bl_str_c(a->message)),
                         bl_val_int(a->as_of),
                         bl_val_int(a->at),
                         a->cycle_id ? bl_val_int(a->cycle_id) : bl_val_null()};
    int64_t changes = 0;
    rc = bl_store_exec(st,
                       "INSERT INTO alert (org_id, id, kind, shop_id, ref, message, as_of, at,"
                       " cycle_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
                       " ON CONFLICT (org_id, kind, ref) DO NOTHING",
                       v, 9, &changes, d);
    *added = !rc && changes > 0;
    return rc;
}

struct alerts_ctx {
    bl_comply_alert_fn fn;
    void *ctx;
};

static int alert_row(void *vctx, const struct bl_row *r)
{
    struct alerts_ctx *c = vctx;
    struct bl_comply_alert_row x = {bl_row_text(r, 0), bl_row_text(r, 1), bl_row_text(r, 2),
                                    bl_row_int(r, 3)};
    return c->fn(c->ctx, &x);
}

int bl_store_comply_alerts_of_cycle(struct bl_store *st, int64_t org, int64_t cycle_id,
                                    bl_comply_alert_fn fn, void *ctx, struct bl_diag *d)
{
    struct alerts_ctx c = {fn, ctx};
    struct bl_val p[2] = {bl_val_int(org), bl_val_int(cycle_id)};
    return bl_store_query(st,
                          "SELECT kind, ref, message, as_of FROM alert WHERE org_id = $1"
                          " AND cycle_id = $2 AND kind IN ('comply_near', 'comply_over', 'comply_next_year')"
                          " ORDER BY id",
                          p, 2, alert_row, &c, d);
}
