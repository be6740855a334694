/* logistics_orders.c - the logistics use cases' reads of orders, SKUs, warehouses and
 * disruptions, and the refund decisions (logistics.h). */
#include <string.h>

#include "store/logistics_impl.h"

static int64_t opt_time(const struct bl_row *r, size_t c)
{
    return bl_row_isnull(r, c) ? BL_STORE_NO_TIME : bl_row_int(r, c);
}

/* An order's weight in grams (the sum over its lines of qty x the SKU's weight; 0
 * when unknown), as a column of a query over `orders o`. */
#define ORDER_WEIGHT_SQL                                                                           \
    " COALESCE((SELECT SUM(k.weight_g * l.qty) FROM order_line l JOIN sku k"                       \
    "  ON k.org_id = l.org_id AND k.id = l.sku_id"                                                 \
    "  WHERE l.org_id = o.org_id AND l.order_id = o.id), 0)"

/* ---------------------------------------------------------------- refund */

static int refund_order_row(void *ctx, const struct bl_row *r)
{
    struct bl_store_refund_order o = {
        .id = bl_row_int(r, 0),
        .shop_id = bl_row_int(r, 1),
        .ext_id = bl__lg_col(r, 2),
        .shop = bl__lg_col(r, 3),
        .ship_from = bl__lg_col(r, 4),
        .ship_to = bl__lg_col(r, 5),
        .placed = bl_row_int(r, 6),
        .shipped = opt_time(r, 7),
        .picked = opt_time(r, 8),
        .delivered = opt_time(r, 9),
        .cancelled = opt_time(r, 10),
        .amount = bl_row_int(r, 11),
        .currency = bl__lg_col(r, 12),
        .weight_g = bl_row_int(r, 13),
        .has_share = !bl_row_isnull(r, 14),
        .share_bp = bl_row_int(r, 14),
        .decided = !bl_row_isnull(r, 15),
        .decision = bl__lg_col(r, 15),
        .refund = bl_row_int(r, 16),
        .warehouse = bl__lg_col(r, 17),
        .has_return_cost = !bl_row_isnull(r, 18),
        .return_cost = bl_row_int(r, 18),
        .threshold = bl_row_int(r, 19),
        .note = bl__lg_col(r, 20),
    };
    return BL__LG_CALL((struct bl__lg_tramp *)ctx, struct bl_store_refund_order, &o);
}

int bl_store_refund_orders(struct bl_store *st, int64_t org, const char *order, const char *shop,
                           int (*fn)(void *ctx, const struct bl_store_refund_order *o), void *ctx,
                           struct bl_diag *d)
{
    struct bl_val p[3] = {bl_val_int(org), bl_val_text(bl_str_c(order)),
                          bl_val_text(bl_str_c(shop ? shop : ""))};
    return bl__lg_query(
        st,
        "SELECT o.id, o.shop_id, o.ext_id, s.ext_id, COALESCE(o.ship_from, s.ship_from, ''),"
        " COALESCE(o.ship_to, ''), o.placed_at, o.shipped_at, o.picked_up_at, o.delivered_at,"
        " o.cancelled_at, o.amount, o.currency," ORDER_WEIGHT_SQL ", p.refund_share_bp,"
        " f.decision, f.refund, f.warehouse, f.return_cost, f.threshold, f.note"
        " FROM orders o JOIN shop s ON s.org_id = o.org_id AND s.id = o.shop_id"
        " LEFT JOIN shop_policy p ON p.org_id = o.org_id AND p.shop_id = o.shop_id"
        " LEFT JOIN refund f ON f.org_id = o.org_id AND f.order_id = o.id"
        " WHERE o.org_id = $1 AND o.ext_id = $2 AND ($3 = '' OR s.ext_id = $3)"
        " ORDER BY s.ext_id",
        p, 3, refund_order_row, BL__LG_TRAMP(fn, ctx), d);
}

int bl_store_refund_add(struct bl_store *st, int64_t org, const struct bl_store_refund *r,
                        bool *added, struct bl_diag *d)
{
    struct bl_val q[2] = {bl_val_int(org), bl_val_int(r->order_id)};
    int64_t have = 0;
    if (added)
        *added = false;
    int rc = bl_store_query_int(
        st, "SELECT COUNT(*) FROM refund WHERE org_id = $1 AND order_id = $2", q, 2, &have, d);
    if (rc || have)
        return rc;
    int64_t id = 0;
    if ((rc = bl_store_next_ids(st, org, "refund", 1, &id, d)))
        return rc;
    struct bl_val v[] = {bl_val_int(org),
                         bl_val_int(id),
                         bl_val_int(r->order_id),
                         bl_val_int(r->shop_id),
                         bl_val_text(bl_str_c(r->decision)),
                         bl_val_int(r->refund),
                         bl_val_text(bl_str_c(r->currency)),
                         r->warehouse ? bl_val_text(bl_str_c(r->warehouse)) : bl_val_null(),
                         r->has_return_cost ? bl_val_int(r->return_cost) : bl_val_null(),
                         bl_val_int(r->threshold),
                         r->request ? bl_val_text(bl_str_c(r->request)) : bl_val_null(),
                         bl_val_text(bl_str_c(r->note)),
                         bl_val_int(r->as_of),
                         bl_val_int(r->at),
                         r->cycle_id ? bl_val_int(r->cycle_id) : bl_val_null()};
    int64_t changed = 0;
    rc = bl_store_exec(st,
                       "INSERT INTO refund (org_id, id, order_id, shop_id, decision,"
                       " refund, currency, warehouse, return_cost, threshold, request,"
                       " note, as_of, at, cycle_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,"
                       " $10, $11, $12, $13, $14, $15)",
                       v, 15, &changed, d);
    if (!rc && added)
        *added = changed > 0;
    return rc;
}

/* ---------------------------------------------------------------- lg */

static int wh_row(void *ctx, const struct bl_row *r)
{
    struct bl_store_lg_warehouse w = {bl__lg_col(r, 0), bl__lg_col(r, 1)};
    return BL__LG_CALL((struct bl__lg_tramp *)ctx, struct bl_store_lg_warehouse, &w);
}

int bl_store_lg_overseas(struct bl_store *st, int64_t org,
                         int (*fn)(void *ctx, const struct bl_store_lg_warehouse *w), void *ctx,
                         struct bl_diag *d)
{
    struct bl_val p = bl_val_int(org);
    return bl__lg_query(st,
                        "SELECT ext_id, region FROM warehouse WHERE org_id = $1 AND"
                        " kind = 'overseas' ORDER BY ext_id",
                        &p, 1, wh_row, BL__LG_TRAMP(fn, ctx), d);
}

static int dis_row(void *ctx, const struct bl_row *r)
{
    int64_t ends = bl_row_int(r, 7);
    if (!bl_row_isnull(r, 8) && bl_row_int(r, 8) < ends)
        ends = bl_row_int(r, 8); /* lifted early */
    struct bl_store_lg_disruption x = {
        bl__lg_col(r, 0), bl__lg_col(r, 1), bl__lg_col(r, 2), bl__lg_col(r, 3),
        bl__lg_col(r, 4), bl__lg_col(r, 5), bl_row_int(r, 6), ends};
    return BL__LG_CALL((struct bl__lg_tramp *)ctx, struct bl_store_lg_disruption, &x);
}

int bl_store_lg_disruptions(struct bl_store *st, int64_t org,
                            int (*fn)(void *ctx, const struct bl_store_lg_disruption *x), void *ctx,
                            struct bl_diag *d)
{
    struct bl_val p = bl_val_int(org);
    return bl__lg_query(st,
                        "SELECT COALESCE(ext_id, CAST(id AS TEXT)), kind, region, scope, channel,"
                        " supplier, starts_at, ends_at, lifted_at FROM disruption"
                        " WHERE org_id = $1 AND kind <> 'customer_service_closure'" /* no delay */
                        " ORDER BY id",
                        &p, 1, dis_row, BL__LG_TRAMP(fn, ctx), d);
}

struct open_ctx {
    struct bl__lg_tramp t;
    const char *only;
};

static int open_row(void *ctx, const struct bl_row *r)
{
    struct open_ctx *c = ctx;
    if (c->only && !bl_str_eq_c(bl_row_text(r, 0), c->only))
        return 0;
    struct bl_store_lg_open_order o = {bl__lg_col(r, 0), bl__lg_col(r, 1),     bl__lg_col(r, 2),
                                       bl__lg_col(r, 3), bl__lg_col(r, 6),     bl__lg_col(r, 8),
                                       bl_row_int(r, 4), !bl_row_isnull(r, 5), bl_row_int(r, 5),
                                       bl_row_int(r, 7)};
    return BL__LG_CALL(&c->t, struct bl_store_lg_open_order, &o);
}

int bl_store_lg_open_orders(struct bl_store *st, int64_t org, int64_t as_of, const char *only,
                            int (*fn)(void *ctx, const struct bl_store_lg_open_order *o), void *ctx,
                            struct bl_diag *d)
{
    struct open_ctx c = {BL__LG_TRAMP(fn, ctx), only};
    struct bl_val p[2] = {bl_val_int(org), bl_val_int(as_of)};
    return bl_store_query(
        st,
        "SELECT o.ext_id, s.ext_id, o.ship_from, o.ship_to, o.placed_at, "
        "o.promised_at, s.tz," ORDER_WEIGHT_SQL ", COALESCE(y.route_policy, '')"
        " FROM orders o JOIN shop s ON s.org_id = o.org_id AND s.id = o.shop_id"
        " LEFT JOIN shop_policy y ON y.org_id = o.org_id AND y.shop_id = o.shop_id"
        " WHERE o.org_id = $1 AND o.placed_at <= $2"
        " AND (o.shipped_at IS NULL OR o.shipped_at > $2)"
        " AND (o.picked_up_at IS NULL OR o.picked_up_at > $2)"
        " AND (o.delivered_at IS NULL OR o.delivered_at > $2)"
        " AND (o.cancelled_at IS NULL OR o.cancelled_at > $2)"
        /* the platform's own shipments (FBA...) are not the seller's to route */
        " AND COALESCE(o.fulfilment, s.fulfilment) <> 'platform'"
        " ORDER BY o.placed_at, o.id",
        p, 2, open_row, &c, d);
}

static int breach_row(void *ctx, const struct bl_row *r)
{
    struct bl_store_lg_breach b = {bl_row_int(r, 0),     bl_row_int(r, 1),  bl__lg_col(r, 2),
                                   bl__lg_col(r, 3),     bl__lg_col(r, 4),  bl__lg_col(r, 5),
                                   bl__lg_col(r, 6),     bl__lg_col(r, 7),  bl_row_int(r, 8),
                                   opt_time(r, 9),       bl_row_int(r, 10), bl_row_int(r, 11),
                                   bl_row_int(r, 12) > 0};
    return BL__LG_CALL((struct bl__lg_tramp *)ctx, struct bl_store_lg_breach, &b);
}

int bl_store_lg_sla_breaches(struct bl_store *st, int64_t org, int64_t as_of,
                             int (*fn)(void *ctx, const struct bl_store_lg_breach *b), void *ctx,
                             struct bl_diag *d)
{
    struct bl_val p[2] = {bl_val_int(org), bl_val_int(as_of)};
    /* a delivery after as_of is unknown at as_of, and after the deadline anyway */
    return bl__lg_query(
        st,
        "SELECT o.id, o.shop_id, o.ext_id, s.ext_id, c.ext_id, o.ship_from, o.ship_to,"
        " COALESCE(c.remedy, ''), o.shipped_at, o.delivered_at," ORDER_WEIGHT_SQL ", c.sla_days,"
        " (SELECT COUNT(*) FROM ledger g WHERE g.org_id = o.org_id"
        "  AND g.idem = 'sla:' || CAST(o.id AS TEXT))"
        " FROM orders o JOIN shop s ON s.org_id = o.org_id AND s.id = o.shop_id"
        " JOIN channel c ON c.org_id = o.org_id AND c.ext_id = o.channel"
        " WHERE o.org_id = $1 AND c.sla_days IS NOT NULL AND o.shipped_at IS NOT NULL"
        " AND o.shipped_at + c.sla_days * 86400 <= $2 AND o.cancelled_by IS NULL"
        " AND COALESCE(o.fulfilment, s.fulfilment) <> 'platform'"
        " AND (o.delivered_at IS NULL OR o.delivered_at > o.shipped_at + c.sla_days * 86400)"
        " ORDER BY o.shipped_at, o.id",
        p, 2, breach_row, BL__LG_TRAMP(fn, ctx), d);
}

static int delivery_row(void *ctx, const struct bl_row *r)
{
    struct bl_store_lg_delivery x = {bl__lg_col(r, 0), bl__lg_col(r, 1), bl_row_int(r, 2),
                                     bl_row_int(r, 3), bl_row_int(r, 4)};
    return BL__LG_CALL((struct bl__lg_tramp *)ctx, struct bl_store_lg_delivery, &x);
}

int bl_store_lg_deliveries(struct bl_store *st, int64_t org,
                           int (*fn)(void *ctx, const struct bl_store_lg_delivery *x), void *ctx,
                           struct bl_diag *d)
{
    struct bl_val p = bl_val_int(org);
    return bl__lg_query(
        st,
        "SELECT COALESCE(o.ship_from, s.ship_from, ''), COALESCE(o.ship_to, ''),"
        " COALESCE(o.picked_up_at, o.shipped_at), o.delivered_at," ORDER_WEIGHT_SQL
        " FROM orders o JOIN shop s ON s.org_id = o.org_id AND s.id = o.shop_id"
        " WHERE o.org_id = $1 AND o.delivered_at IS NOT NULL AND o.cancelled_at IS NULL"
        " AND o.cancelled_by IS NULL AND COALESCE(o.picked_up_at, o.shipped_at) IS NOT NULL"
        " ORDER BY o.id",
        &p, 1, delivery_row, BL__LG_TRAMP(fn, ctx), d);
}

static int sku_row(void *ctx, const struct bl_row *r)
{
    struct bl_store_lg_sku k = {
        bl__lg_col(r, 0), !bl_row_isnull(r, 1),
        bl_row_int(r, 1), {bl_row_int(r, 2), bl_row_int(r, 3), bl_row_int(r, 4)},
        bl_row_int(r, 5), bl_row_int(r, 6)};
    return BL__LG_CALL((struct bl__lg_tramp *)ctx, struct bl_store_lg_sku, &k);
}

int bl_store_lg_skus(struct bl_store *st, int64_t org, const char *only,
                     int (*fn)(void *ctx, const struct bl_store_lg_sku *k), void *ctx,
                     struct bl_diag *d)
{
    struct bl_val p[2] = {bl_val_int(org), bl_val_text(bl_str_c(only ? only : ""))};
    return bl__lg_query(st,
                        "SELECT ext_id, weight_g, length_mm, width_mm, height_mm,"
                        " handling_min, handling_max FROM sku WHERE org_id = $1"
                        " AND ($2 = '' OR ext_id = $2) ORDER BY ext_id",
                        p, 2, sku_row, BL__LG_TRAMP(fn, ctx), d);
}

/* ---------------------------------------------------------------- order weights */

static int weight_row(void *ctx, const struct bl_row *r)
{
    struct bl_store_lg_weight x = {bl_row_int(r, 0), bl_row_int(r, 1)};
    return BL__LG_CALL((struct bl__lg_tramp *)ctx, struct bl_store_lg_weight, &x);
}

int bl_store_lg_order_weights(struct bl_store *st, int64_t org, int64_t since,
                              int (*fn)(void *ctx, const struct bl_store_lg_weight *x), void *ctx,
                              struct bl_diag *d)
{
    struct bl_val p[2] = {bl_val_int(org), bl_val_int(since)};
    return bl__lg_query(st,
                        "SELECT o.id," ORDER_WEIGHT_SQL " FROM orders o WHERE o.org_id = $1"
                        " AND o.placed_at > $2 ORDER BY o.id",
                        p, 2, weight_row, BL__LG_TRAMP(fn, ctx), d);
}

/* ---------------------------------------------------------------- reroutes */

static int reroute_row(void *ctx, const struct bl_row *r)
{
    struct bl_store_lg_reroute x = {bl_row_int(r, 0), bl__lg_col(r, 1), bl__lg_col(r, 2),
                                    bl__lg_col(r, 3), bl_row_int(r, 4), bl_row_int(r, 5)};
    return BL__LG_CALL((struct bl__lg_tramp *)ctx, struct bl_store_lg_reroute, &x);
}

int bl_store_lg_reroutes(struct bl_store *st, int64_t org,
                         int (*fn)(void *ctx, const struct bl_store_lg_reroute *x), void *ctx,
                         struct bl_diag *d)
{
    struct bl_val p = bl_val_int(org);
    return bl__lg_query(
        st,
        "SELECT a.id, s.ext_id, f.ext_id, t.ext_id, a.by_day, a.until_day FROM action a"
        " JOIN shop s ON s.org_id = a.org_id AND s.id = a.target_id"
        " JOIN channel f ON f.org_id = a.org_id AND f.id = a.source_id"
        " JOIN channel t ON t.org_id = a.org_id AND t.id = a.dest_id"
        " WHERE a.org_id = $1 AND a.kind = 'reroute' AND a.target = 'shop'"
        " AND a.state = 'applied' AND a.by_day IS NOT NULL AND a.until_day IS NOT NULL"
        " ORDER BY a.id",
        &p, 1, reroute_row, BL__LG_TRAMP(fn, ctx), d);
}
