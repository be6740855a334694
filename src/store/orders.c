/* orders.c - shop orders and their lines, read typed (orders.h). */
#include <stdio.h>

#include "store/orders.h"

static const char order_select[] =
    "SELECT s.ext_id, o.ext_id, o.status, o.placed_at, o.ship_by, o.shipped_at, "
    "o.picked_up_at, o.delivered_at, o.promised_at, o.cancelled_at, o.cancelled_by, "
    "o.ship_from, o.ship_to, o.amount, o.currency, o.customer, o.id, "
    "(SELECT COUNT(*) FROM order_line l WHERE l.org_id = o.org_id AND l.order_id = o.id), "
    "COALESCE(o.fulfilment, s.fulfilment), o.tracking "
    "FROM orders o JOIN shop s ON s.org_id = o.org_id AND s.id = o.shop_id ";

struct order_ctx {
    bl_order_fn fn;
    void *ctx;
    struct bl_buf text; /* the row's text columns, NUL-separated */
};

static int64_t time_col(const struct bl_row *r, size_t col)
{
    return bl_row_isnull(r, col) ? BL_NO_TIME : bl_row_int(r, col);
}

/* Copies the row's text columns (NULL stays NULL) so they end in NUL. */
static int texts(struct bl_buf *b, const struct bl_row *r, const size_t *cols, size_t n,
                 const char **out)
{
    size_t offs[16];
    bl_buf_reset(b);
    for (size_t i = 0; i < n; i++) {
        offs[i] = b->len;
        if (bl_buf_adds(b, bl_row_text(r, cols[i])) || bl_buf_addc(b, '\0'))
            return BL_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = bl_row_isnull(r, cols[i]) ? NULL : b->ptr + offs[i];
    return BL_OK;
}

static int order_row(void *vctx, const struct bl_row *r)
{
    struct order_ctx *c = vctx;
    static const size_t cols[] = {0, 1, 2, 10, 11, 12, 14, 15, 18, 19};
    const char *t[10];
    if (texts(&c->text, r, cols, 10, t))
        return BL_ENOMEM;
    struct bl_order_row o = {
        .id = bl_row_int(r, 16),
        .shop = t[0],
        .ext_id = t[1],
        .status = t[2],
        .placed_at = time_col(r, 3),
        .ship_by = time_col(r, 4),
        .shipped_at = time_col(r, 5),
        .picked_up_at = time_col(r, 6),
        .delivered_at = time_col(r, 7),
        .promised_at = time_col(r, 8),
        .cancelled_at = time_col(r, 9),
        .cancelled_by = t[3],
        .ship_from = t[4],
        .ship_to = t[5],
        .amount = bl_row_int(r, 13),
        .currency = t[6],
        .customer = t[7],
        .lines = bl_row_int(r, 17),
        .fulfilment = t[8],
        .tracking = t[9],
    };
    return c->fn(c->ctx, &o);
}

static int run_orders(struct bl_store *st, const char *sql, const struct bl_val *p, size_t n,
                      bl_order_fn fn, void *ctx, struct bl_diag *d)
{
    struct order_ctx c = {fn, ctx, BL_BUF_INIT};
    int rc = bl_store_query(st, sql, p, n, order_row, &c, d);
    bl_buf_release(&c.text);
    if (rc == BL_ENOMEM && d && !d->code)
        bl_diag_set(d, rc, "out of memory reading orders");
    return rc;
}

int bl_store_orders_list(struct bl_store *st, int64_t org, const struct bl_order_filter *f,
                         bl_order_fn fn, void *ctx, struct bl_diag *d)
{
    struct bl_buf sql = BL_BUF_INIT;
    struct bl_val p[7];
    size_t n = 0;
    int rc = bl_buf_addf(&sql, "%sWHERE o.org_id = $1", order_select);
    p[n++] = bl_val_int(org);
    if (f->shop) {
        p[n] = bl_val_text(bl_str_c(f->shop));
        rc = rc ? rc : bl_buf_addf(&sql, " AND s.ext_id = $%zu", ++n);
    }
    if (f->status) {
        p[n] = bl_val_text(bl_str_c(f->status));
        rc = rc ? rc : bl_buf_addf(&sql, " AND o.status = $%zu", ++n);
    }
    if (f->has_from) {
        p[n] = bl_val_int(f->from);
        rc = rc ? rc : bl_buf_addf(&sql, " AND o.placed_at >= $%zu", ++n);
    }
    if (f->has_to) {
        p[n] = bl_val_int(f->to);
        rc = rc ? rc : bl_buf_addf(&sql, " AND o.placed_at < $%zu", ++n);
    }
    if (f->has_after) {
        p[n] = bl_val_int(f->after_placed);
        p[n + 1] = bl_val_int(f->after_id);
        rc = rc ? rc
                : bl_buf_addf(&sql,
                              " AND (o.placed_at > $%zu OR (o.placed_at = $%zu AND o.id > $%zu))",
                              n + 1, n + 1, n + 2);
        n += 2;
    }
    rc = rc ? rc : bl_buf_addf(&sql, " ORDER BY o.placed_at, o.id");
    if (f->limit >= 0)
        rc = rc ? rc : bl_buf_addf(&sql, " LIMIT %lld", (long long)f->limit);
    if (rc)
        rc = bl_diag_set(d, rc, "out of memory");
    else
        rc = run_orders(st, bl_buf_cstr(&sql), p, n, fn, ctx, d);
    bl_buf_release(&sql);
    return rc;
}

int bl_store_orders_get(struct bl_store *st, int64_t org, int64_t id, bl_order_fn fn, void *ctx,
                        struct bl_diag *d)
{
    char sql[1024];
    snprintf(sql, sizeof(sql), "%sWHERE o.org_id = $1 AND o.id = $2", order_select);
    struct bl_val q[2] = {bl_val_int(org), bl_val_int(id)};
    return run_orders(st, sql, q, 2, fn, ctx, d);
}

struct line_ctx {
    bl_order_line_fn fn;
    void *ctx;
    struct bl_buf text;
};

static int line_row(void *vctx, const struct bl_row *r)
{
    struct line_ctx *c = vctx;
    static const size_t cols[] = {1, 4};
    const char *t[2];
    if (texts(&c->text, r, cols, 2, t))
        return BL_ENOMEM;
    struct bl_order_line_row l = {bl_row_int(r, 0), t[0] ? t[0] : "", bl_row_int(r, 2),
                                  bl_row_int(r, 3), t[1] ? t[1] : ""};
    return c->fn(c->ctx, &l);
}

int bl_store_orders_lines(struct bl_store *st, int64_t org, int64_t id, bl_order_line_fn fn,
                          void *ctx, struct bl_diag *d)
{
    struct bl_val q[2] = {bl_val_int(org), bl_val_int(id)};
    struct line_ctx c = {fn, ctx, BL_BUF_INIT};
    int rc = bl_store_query(st,
                            "SELECT l.line_no, k.ext_id, l.qty, l.price, o.currency FROM "
                            "order_line l JOIN sku k ON k.org_id = l.org_id AND k.id = l.sku_id "
                            "JOIN orders o ON o.org_id = l.org_id AND o.id = l.order_id "
                            "WHERE l.org_id = $1 AND l.order_id = $2 ORDER BY l.line_no",
                            q, 2, line_row, &c, d);
    bl_buf_release(&c.text);
    if (rc == BL_ENOMEM && d && !d->code)
        bl_diag_set(d, rc, "out of memory reading order lines");
    return rc;
}

struct event_ctx {
    bl_order_event_fn fn;
    void *ctx;
    struct bl_buf text;
};

static int event_row(void *vctx, const struct bl_row *r)
{
    struct event_ctx *c = vctx;
    static const size_t cols[] = {2, 3, 4, 6, 7};
    const char *t[5];
    if (texts(&c->text, r, cols, 5, t))
        return BL_ENOMEM;
    struct bl_order_event_row e = {bl_row_int(r, 0), bl_row_int(r, 1), t[0] ? t[0] : "",
                                   t[1], t[2], bl_row_int(r, 5) != 0, t[3] ? t[3] : "",
                                   t[4] ? t[4] : ""};
    return c->fn(c->ctx, &e);
}

int bl_store_orders_events(struct bl_store *st, int64_t org, int64_t id, bl_order_event_fn fn,
                           void *ctx, struct bl_diag *d)
{
    struct bl_val q[2] = {bl_val_int(org), bl_val_int(id)};
    struct event_ctx c = {fn, ctx, BL_BUF_INIT};
    int rc = bl_store_query(st,
                            "SELECT e.batch_id, e.at, e.field, e.old, e.new, e.correction,"
                            " b.kind, b.source FROM order_event e LEFT JOIN import_batch b"
                            " ON b.org_id = e.org_id AND b.id = e.batch_id"
                            " WHERE e.org_id = $1 AND e.order_id = $2 ORDER BY e.id",
                            q, 2, event_row, &c, d);
    bl_buf_release(&c.text);
    if (rc == BL_ENOMEM && d && !d->code)
        bl_diag_set(d, rc, "out of memory reading the order's history");
    return rc;
}

struct id_ctx {
    int64_t *ids;
    size_t cap, n;
};

static int id_row(void *vctx, const struct bl_row *r)
{
    struct id_ctx *c = vctx;
    if (c->n < c->cap)
        c->ids[c->n++] = bl_row_int(r, 0);
    return 0;
}

int bl_store_orders_find(struct bl_store *st, int64_t org, const char *ext, const char *shop,
                         int64_t *ids, size_t cap, size_t *n, struct bl_diag *d)
{
    struct bl_val p[3] = {bl_val_int(org), bl_val_text(bl_str_c(ext)),
                          bl_val_text(bl_str_c(shop ? shop : ""))};
    struct id_ctx c = {ids, cap, 0};
    int rc = bl_store_query(st,
                            shop ? "SELECT o.id FROM orders o JOIN shop s ON s.org_id = o.org_id "
                                   "AND s.id = o.shop_id WHERE o.org_id = $1 AND o.ext_id = $2 "
                                   "AND s.ext_id = $3 ORDER BY o.id"
                                 : "SELECT id FROM orders WHERE org_id = $1 AND ext_id = $2 "
                                   "ORDER BY id",
                            p, shop ? 3 : 2, id_row, &c, d);
    *n = c.n;
    return rc;
}
