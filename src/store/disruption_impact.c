/* disruption_impact.c - the rows `disruption impact` reads: live and due orders with
 * their shop, the places SKUs come from (disruption.h). */
#include <stdio.h>
#include <string.h>

#include "store/disruption.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Row text columns first..first+n-1 copied into text, NUL-separated; t[i] NULL for
 * NULL. */
static int texts(const struct bl_row *r, size_t first, size_t n, struct bl_buf *text,
                 const char **t)
{
    size_t offs[8];
    bl_buf_reset(text);
    for (size_t i = 0; i < n; i++) {
        offs[i] = text->len;
        if (bl_buf_adds(text, bl_row_text(r, first + i)) || bl_buf_addc(text, '\0'))
            return BL_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        t[i] = bl_row_isnull(r, first + i) ? NULL : text->ptr + offs[i];
    return BL_OK;
}

struct ord_ctx {
    bl_dis_order_fn fn;
    void *ctx;
    struct bl_buf text;
};

static int ord_row(void *vctx, const struct bl_row *r)
{
    struct ord_ctx *c = vctx;
    const char *t[7];
    if (texts(r, 0, 7, &c->text, t))
        return BL_ENOMEM;
    struct bl_dis_order_row x = {t[0] ? t[0] : "",
                                 t[1] ? t[1] : "",
                                 t[2] ? t[2] : "",
                                 t[3] && t[3][0] ? t[3] : NULL,
                                 t[4] && t[4][0] ? t[4] : NULL,
                                 t[5] && t[5][0] ? t[5] : NULL,
                                 t[6] && t[6][0] ? t[6] : NULL,
                                 bl_row_int_or(r, 7, BL_NO_TIME),
                                 bl_row_int_or(r, 8, BL_NO_TIME)};
    return c->fn(c->ctx, &x);
}

#define ORDER_COLS                                                                                 \
    "SELECT s.ext_id, s.name, s.profile, COALESCE(o.ship_from, s.ship_from), o.ship_to,"           \
    " o.channel, o.customer, o.ship_by, o.shipped_at FROM orders o JOIN shop s"                    \
    " ON s.org_id = o.org_id AND s.id = o.shop_id "

static int run_orders(struct bl_store *st, const char *sql, const struct bl_val *p, size_t n,
                      bl_dis_order_fn fn, void *ctx, struct bl_diag *d)
{
    struct ord_ctx c = {fn, ctx, BL_BUF_INIT};
    int rc = bl_store_query(st, sql, p, n, ord_row, &c, d);
    bl_buf_release(&c.text);
    if (rc == BL_ENOMEM && d && !d->code)
        bl_diag_set(d, rc, "out of memory reading orders");
    return rc;
}

int bl_store_disruption_live_orders(struct bl_store *st, int64_t org, int64_t as_of,
                                    int64_t transit_since, bl_dis_order_fn fn, void *ctx,
                                    struct bl_diag *d)
{
    struct bl_val p[3] = {bl_val_int(org), bl_val_int(as_of), bl_val_int(transit_since)};
    return run_orders(st,
                      ORDER_COLS "WHERE o.org_id = $1 AND o.placed_at <= $2"
                                 " AND (o.cancelled_at IS NULL OR o.cancelled_at > $2)"
                                 " AND (o.delivered_at IS NULL OR o.delivered_at > $2)"
                                 " AND (o.shipped_at IS NULL OR o.shipped_at > $2"
                                 " OR o.shipped_at >= $3)",
                      p, NELEM(p), fn, ctx, d);
}

int bl_store_disruption_due_orders(struct bl_store *st, int64_t org, int64_t from, int64_t to,
                                   bl_dis_order_fn fn, void *ctx, struct bl_diag *d)
{
    struct bl_val p[3] = {bl_val_int(org), bl_val_int(from), bl_val_int(to)};
    return run_orders(st,
                      ORDER_COLS "WHERE o.org_id = $1 AND o.ship_by >= $2 AND o.ship_by < $3"
                                 " AND (o.cancelled_at IS NULL OR o.cancelled_at > o.ship_by)",
                      p, NELEM(p), fn, ctx, d);
}

struct sku_ctx {
    bl_dis_sku_fn fn;
    void *ctx;
    struct bl_buf text;
    bool supplier;
};

static int sku_row(void *vctx, const struct bl_row *r)
{
    struct sku_ctx *c = vctx;
    const char *t[6];
    if (texts(r, 0, 6, &c->text, t))
        return BL_ENOMEM;
    struct bl_dis_sku_row x = {
        t[0] ? t[0] : "",          t[1] ? t[1] : "", t[2] ? t[2] : "", c->supplier ? NULL : t[3],
        c->supplier ? t[3] : NULL, t[4] ? t[4] : "", t[5] ? t[5] : ""};
    return c->fn(c->ctx, &x);
}

int bl_store_disruption_sku_places(struct bl_store *st, int64_t org, bl_dis_sku_fn fn, void *ctx,
                                   struct bl_diag *d)
{
    struct bl_val p[1] = {bl_val_int(org)};
    struct sku_ctx c = {fn, ctx, BL_BUF_INIT, false};
    int rc = bl_store_query(st,
                            "SELECT DISTINCT k.ext_id, k.name, k.listing, w.ext_id, w.name,"
                            " w.region FROM stock t JOIN sku k ON k.org_id = t.org_id"
                            " AND k.id = t.sku_id JOIN warehouse w ON w.org_id = t.org_id"
                            " AND w.id = t.warehouse_id WHERE t.org_id = $1 AND t.on_hand > 0"
                            " ORDER BY k.ext_id, w.ext_id",
                            p, 1, sku_row, &c, d);
    c.supplier = true;
    if (!rc)
        rc = bl_store_query(st,
                            "SELECT DISTINCT k.ext_id, k.name, k.listing, u.ext_id, u.name,"
                            " u.region FROM inbound i JOIN sku k ON k.org_id = i.org_id"
                            " AND k.id = i.sku_id JOIN supplier u ON u.org_id = i.org_id"
                            " AND u.id = i.supplier_id WHERE i.org_id = $1"
                            " ORDER BY k.ext_id, u.ext_id",
                            p, 1, sku_row, &c, d);
    bl_buf_release(&c.text);
    if (rc == BL_ENOMEM && d && !d->code)
        bl_diag_set(d, rc, "out of memory reading SKUs");
    return rc;
}

int bl_store_disruption_active_listings(struct bl_store *st, int64_t org, int64_t *n,
                                        struct bl_diag *d)
{
    struct bl_val p[1] = {bl_val_int(org)};
    return bl_store_query_int(
        st, "SELECT COUNT(*) FROM sku WHERE org_id = $1 AND listing = 'active'", p, 1, n, d);
}

/* ---------------------------------------------------------------- the recompute hook */

struct msg_ctx {
    bl_dis_msg_fn fn;
    void *ctx;
    struct bl_buf text;
};

static int msg_row(void *vctx, const struct bl_row *r)
{
    struct msg_ctx *c = vctx;
    const char *t[3];
    if (texts(r, 1, 3, &c->text, t))
        return BL_ENOMEM;
    struct bl_dis_msg_row x = {bl_row_int(r, 0), t[0] && t[0][0] ? t[0] : NULL,
                               t[1] && t[1][0] ? t[1] : NULL, t[2] && t[2][0] ? t[2] : NULL};
    return c->fn(c->ctx, &x);
}

int bl_store_disruption_unsent_messages(struct bl_store *st, int64_t org, bl_dis_msg_fn fn,
                                        void *ctx, struct bl_diag *d)
{
    struct bl_val p[1] = {bl_val_int(org)};
    struct msg_ctx c = {fn, ctx, BL_BUF_INIT};
    int rc = bl_store_query(st,
                            "SELECT m.id, COALESCE(o.ship_from, s.ship_from), o.ship_to,"
                            " o.channel FROM message m JOIN orders o ON o.org_id = m.org_id"
                            " AND o.id = m.order_id JOIN shop s ON s.org_id = o.org_id"
                            " AND s.id = o.shop_id WHERE m.org_id = $1"
                            " AND m.state IN ('planned', 'approved', 'held') AND m.kind IN"
                            " ('unshipped_order', 'late_shipment', 'late_delivery',"
                            " 'out_of_stock') ORDER BY m.id",
                            p, 1, msg_row, &c, d);
    bl_buf_release(&c.text);
    if (rc == BL_ENOMEM && d && !d->code)
        bl_diag_set(d, rc, "out of memory reading messages");
    return rc;
}

int bl_store_disruption_withdraw_message(struct bl_store *st, int64_t org, int64_t id, int64_t dis,
                                         int64_t *changes, struct bl_diag *d)
{
    char why[64];
    snprintf(why, sizeof(why), "withdrawn: disruption %lld changed", (long long)dis);
    struct bl_val p[3] = {bl_val_int(org), bl_val_int(id), bl_val_text(bl_str_c(why))};
    return bl_store_exec(st,
                         "UPDATE message SET state = 'withdrawn', last_error = $3,"
                         " idem = idem || ':withdrawn:' || CAST(id AS TEXT)"
                         " WHERE org_id = $1 AND id = $2 AND state IN ('planned', 'approved', 'held')",
                         p, 3, changes, d);
}
