/* stock.c - plan lines, stock alerts, playbook actions and the fields they change
 * (stock.h). */
#include "store/stock.h"

#include <stdio.h>
#include <string.h>

static struct bl_val opt_int(int64_t v)
{
    return v == BL_STOCK_NULL ? bl_val_null() : bl_val_int(v);
}

static struct bl_val opt_cycle(int64_t cycle_id)
{
    return cycle_id ? bl_val_int(cycle_id) : bl_val_null();
}

static int clear_day(struct bl_store *st, const char *sql, int64_t org, int64_t as_of,
                     struct bl_diag *d)
{
    struct bl_val key[2] = {bl_val_int(org), bl_val_int(as_of)};
    return bl_store_exec(st, sql, key, 2, NULL, d);
}

static const char *const plan_cols[] = {
    "org_id",        "as_of",     "sku_id",       "warehouse_id", "on_hand",      "reserved",
    "available",     "inbound",   "daily_milli",  "cover_days",   "stockout_day", "safety_stock",
    "reorder_point", "order_qty", "order_by_day", "supplier_id",  "backup",       "lead_days",
    "restock_day",   "model",     "created_at",   "cycle_id"};
#define NPLAN (sizeof(plan_cols) / sizeof(plan_cols[0]))

int bl_store_stock_plan_replace(struct bl_store *st, int64_t org, int64_t as_of,
                                const struct bl_stock_plan_row *rows, size_t n, int64_t now,
                                int64_t cycle_id, struct bl_diag *d)
{
    int rc = clear_day(st, "DELETE FROM plan_line WHERE org_id = $1 AND as_of = $2", org, as_of, d);
    struct bl_inserter *ins = NULL;
    if (!rc)
        rc = bl_inserter_open(st, "plan_line", plan_cols, NPLAN, &ins, d);
    for (size_t i = 0; i < n && !rc; i++) {
        const struct bl_stock_plan_row *p = &rows[i];
        struct bl_val v[NPLAN] = {bl_val_int(org),
                                  bl_val_int(as_of),
                                  bl_val_int(p->sku_id),
                                  bl_val_int(p->warehouse_id),
                                  bl_val_int(p->on_hand),
                                  bl_val_int(p->reserved),
                                  bl_val_int(p->available),
                                  bl_val_int(p->inbound),
                                  bl_val_int(p->daily_milli),
                                  opt_int(p->cover_days),
                                  opt_int(p->stockout_day),
                                  opt_int(p->safety_stock),
                                  opt_int(p->reorder_point),
                                  opt_int(p->order_qty),
                                  opt_int(p->order_by_day),
                                  opt_int(p->supplier_id),
                                  opt_int(p->backup),
                                  opt_int(p->lead_days),
                                  opt_int(p->restock_day),
                                  p->model ? bl_val_text(bl_str_c(p->model)) : bl_val_null(),
                                  bl_val_int(now),
                                  opt_cycle(cycle_id)};
        rc = bl_inserter_row(ins, v, (int64_t)i + 1, d);
    }
    return ins ? bl_inserter_end(ins, rc, d) : rc;
}

static const char *const alert_cols[] = {"org_id",  "as_of", "kind",       "sku_id",
                                         "message", "value", "created_at", "cycle_id"};

int bl_store_stock_alerts_replace(struct bl_store *st, int64_t org, int64_t as_of,
                                  const struct bl_stock_alert_row *rows, size_t n, int64_t now,
                                  int64_t cycle_id, struct bl_diag *d)
{
    int rc =
        clear_day(st, "DELETE FROM stock_alert WHERE org_id = $1 AND as_of = $2", org, as_of, d);
    struct bl_inserter *ins = NULL;
    if (!rc)
        rc = bl_inserter_open(st, "stock_alert", alert_cols, 8, &ins, d);
    for (size_t i = 0; i < n && !rc; i++) {
        struct bl_val v[8] = {bl_val_int(org),
                              bl_val_int(as_of),
                              bl_val_text(bl_str_c(rows[i].kind)),
                              bl_val_int(rows[i].sku_id),
                              bl_val_text(bl_str_c(rows[i].message)),
                              bl_val_int(rows[i].value),
                              bl_val_int(now),
                              opt_cycle(cycle_id)};
        rc = bl_inserter_row(ins, v, (int64_t)i + 1, d);
    }
    return ins ? bl_inserter_end(ins, rc, d) : rc;
}

/* ---------------------------------------------------------------- actions */

static const char *field_of(enum bl_pb_kind k)
{
    switch (k) {
    case BL_PB_OUT_OF_STOCK:
    case BL_PB_DELIST:
        return "listing";
    case BL_PB_PAUSE_PROMOTION:
    case BL_PB_PROMOTION_UNTIL:
        return "promoted";
    case BL_PB_PAUSE_MAIL:
        return "marketing_mail_paused";
    case BL_PB_EXTEND_HANDLING:
    case BL_PB_HANDLING_UNTIL:
        return "handling_max";
    case BL_PB_PURCHASE_ORDER:
    case BL_PB_TRANSFER:
        return "inbound";
    case BL_PB_REROUTE:
        return "rerouted_orders";
    default:
        return "vacation";
    }
}

static struct bl_val opt_id(int64_t v)
{
    return v ? bl_val_int(v) : bl_val_null();
}

int bl_store_stock_action_add(struct bl_store *st, int64_t org, const struct bl_stock_action_row *a,
                              int64_t *idp, struct bl_diag *d)
{
    int64_t id = 0;
    int rc = bl_store_next_ids(st, org, "action", 1, &id, d);
    if (rc)
        return rc;
    const struct bl_stock_action_parts *x = a->parts;
    struct bl_val p[22] = {bl_val_int(org),
                           bl_val_int(id),
                           bl_val_text(bl_str_c(bl_pb_kind_name(a->kind))),
                           bl_val_text(a->shop ? BL_STR("shop") : BL_STR("sku")),
                           bl_val_int(a->target_id),
                           bl_val_text(bl_str_c(field_of(a->kind))),
                           bl_val_int(a->before),
                           bl_val_int(a->after),
                           bl_val_text(a->applied ? BL_STR("applied") : BL_STR("proposed")),
                           bl_val_text(bl_str_c(a->reason)),
                           bl_val_text(bl_str_c(a->data)),
                           bl_val_int(a->as_of),
                           bl_val_int(a->proposed_at),
                           a->applied ? bl_val_int(a->proposed_at) : bl_val_null(),
                           opt_cycle(a->cycle_id),
                           x ? opt_id(x->source_id) : bl_val_null(),
                           x ? opt_id(x->dest_id) : bl_val_null(),
                           x ? opt_int(x->by_day) : bl_val_null(),
                           x ? opt_int(x->until_day) : bl_val_null(),
                           x && x->ref ? bl_val_text(bl_str_c(x->ref)) : bl_val_null(),
                           x && x->plan ? bl_val_text(bl_str_c(x->plan)) : bl_val_null(),
                           x ? opt_id(x->shop_id) : bl_val_null()};
    rc = bl_store_exec(st,
                       "INSERT INTO action (org_id, id, kind, target, target_id, field, "
                       "before_val, after_val, state, reason, data, as_of, proposed_at, "
                       "applied_at, cycle_id, source_id, dest_id, by_day, until_day, ref, "
                       "plan, shop_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
                       "$11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)",
                       p, 22, NULL, d);
    if (!rc && idp)
        *idp = id;
    return rc;
}

int bl_store_stock_action_close(struct bl_store *st, int64_t org, int64_t id,
                                enum bl_pb_state state, int64_t at, const char *why,
                                const char *data, struct bl_diag *d)
{
    struct bl_val p[6] = {bl_val_int(org),
                          bl_val_int(id),
                          bl_val_text(bl_str_c(bl_pb_state_name(state))),
                          bl_val_int(at),
                          bl_val_text(bl_str_c(why)),
                          data ? bl_val_text(bl_str_c(data)) : bl_val_null()};
    return bl_store_exec(st,
                         "UPDATE action SET state = $3, closed_at = $4, close_reason = $5, "
                         "data = COALESCE($6, data) WHERE org_id = $1 AND id = $2",
                         p, 6, NULL, d);
}

int bl_store_stock_set_field(struct bl_store *st, int64_t org, enum bl_pb_kind kind,
                             int64_t target_id, int64_t value, struct bl_diag *d)
{
    int rc = bl_store_touch(st, org, d); /* the plans kept by the API read these fields */
    if (rc)
        return rc;
    struct bl_val p[3] = {bl_val_int(org), bl_val_int(target_id), bl_val_int(value)};
    switch (kind) {
    case BL_PB_OUT_OF_STOCK:
    case BL_PB_DELIST:
        p[2] = bl_val_text(bl_str_c(bl_pb_listing_name(value)));
        return bl_store_exec(st, "UPDATE sku SET listing = $3 WHERE org_id = $1 AND id = $2", p, 3,
                             NULL, d);
    case BL_PB_PAUSE_PROMOTION:
    case BL_PB_PROMOTION_UNTIL:
        return bl_store_exec(st, "UPDATE sku SET promoted = $3 WHERE org_id = $1 AND id = $2", p, 3,
                             NULL, d);
    case BL_PB_EXTEND_HANDLING:
    case BL_PB_HANDLING_UNTIL:
        return bl_store_exec(st, "UPDATE sku SET handling_max = $3 WHERE org_id = $1 AND id = $2",
                             p, 3, NULL, d);
    case BL_PB_VACATION:
        return bl_store_exec(st, "UPDATE shop SET vacation = $3 WHERE org_id = $1 AND id = $2", p,
                             3, NULL, d);
    case BL_PB_REROUTE:
        return BL_OK; /* the approved action itself is what the router reads (route.c) */
    default:
        return BL_OK; /* marketing mail: recorded here, honoured by the mail sender */
    }
}

struct list_ctx {
    struct bl_arena *a;
    struct bl_stock_action *rows;
    size_t n, cap;
};

static const char *dup(struct bl_arena *a, const struct bl_row *r, size_t col)
{
    struct bl_str t = bl_row_text(r, col);
    return bl_arena_strndup(a, t.ptr, t.len);
}

static int list_row(void *ctx, const struct bl_row *r)
{
    struct list_ctx *c = ctx;
    if (bl_grow((void **)&c->rows, &c->cap, c->n + 1, sizeof(*c->rows)))
        return BL_ENOMEM;
    struct bl_stock_action *x = &c->rows[c->n];
    char kindb[40];
    x->id = bl_row_int(r, 0);
    x->kind_known =
        bl_pb_kind_parse(bl_str_copy(kindb, sizeof(kindb), bl_row_text(r, 1)), &x->kind) == BL_OK;
    x->kind_text = dup(c->a, r, 1);
    x->target = dup(c->a, r, 2);
    x->field = dup(c->a, r, 3);
    x->before = bl_row_int(r, 4);
    x->after = bl_row_int(r, 5);
    x->state = dup(c->a, r, 6);
    x->as_of = bl_row_int(r, 7);
    x->reason = dup(c->a, r, 8);
    x->shop = bl_str_eq_c(bl_row_text(r, 9), "shop");
    x->why = dup(c->a, r, 10);
    x->close_reason = bl_row_isnull(r, 11) ? NULL : dup(c->a, r, 11);
    x->proposed_at = bl_row_int(r, 12);
    x->applied_at = bl_row_int_or(r, 13, BL_STOCK_NULL);
    x->closed_at = bl_row_int_or(r, 14, BL_STOCK_NULL);
    x->decided_at = bl_row_int_or(r, 15, BL_STOCK_NULL);
    x->decided_by = bl_row_isnull(r, 16) ? NULL : dup(c->a, r, 16);
    x->decision_note = bl_row_isnull(r, 17) ? NULL : dup(c->a, r, 17);
    x->data = bl_row_isnull(r, 18) ? NULL : dup(c->a, r, 18);
    x->target_name = dup(c->a, r, 19);
    if (!x->target_name || (!bl_row_isnull(r, 18) && !x->data))
        return BL_ENOMEM;
    x->source_name = bl_row_isnull(r, 20) ? NULL : dup(c->a, r, 20);
    x->dest_name = bl_row_isnull(r, 21) ? NULL : dup(c->a, r, 21);
    x->by_day = bl_row_int_or(r, 22, BL_STOCK_NULL);
    x->until_day = bl_row_int_or(r, 23, BL_STOCK_NULL);
    if ((!bl_row_isnull(r, 20) && !x->source_name) || (!bl_row_isnull(r, 21) && !x->dest_name))
        return BL_ENOMEM;
    x->plan = bl_row_isnull(r, 24) ? NULL : dup(c->a, r, 24);
    x->shop_ext = bl_row_isnull(r, 25) ? NULL : dup(c->a, r, 25);
    x->shop_name = bl_row_isnull(r, 26) ? NULL : dup(c->a, r, 26);
    if ((!bl_row_isnull(r, 24) && !x->plan) || (!bl_row_isnull(r, 25) && !x->shop_ext) ||
        (!bl_row_isnull(r, 26) && !x->shop_name))
        return BL_ENOMEM;
    if (!x->kind_text || !x->target || !x->field || !x->state || !x->reason || !x->why ||
        (!bl_row_isnull(r, 11) && !x->close_reason) || (!bl_row_isnull(r, 16) && !x->decided_by) ||
        (!bl_row_isnull(r, 17) && !x->decision_note))
        return BL_ENOMEM;
    c->n++;
    return 0;
}

int bl_store_stock_actions(struct bl_store *st, int64_t org, const struct bl_stock_action_filter *f,
                           struct bl_arena *a, struct bl_stock_action **out, size_t *n,
                           struct bl_diag *d)
{
    struct list_ctx c = {a, NULL, 0, 0};
    struct bl_val p[9] = {bl_val_int(org),
                          bl_val_text(bl_str_c(f->sku ? f->sku : "")),
                          bl_val_text(bl_str_c(f->state ? f->state : "")),
                          bl_val_int(f->id),
                          bl_val_int(f->after),
                          bl_val_int(f->limit < 0 ? INT64_MAX : f->limit),
                          bl_val_text(bl_str_c(f->plan ? f->plan : "")),
                          bl_val_text(bl_str_c(f->kind ? f->kind : "")),
                          bl_val_text(bl_str_c(f->shop ? f->shop : ""))};
    int rc = bl_store_query(st,
                            "SELECT a.id, a.kind, COALESCE(k.ext_id, h.ext_id, ''), a.field, "
                            "a.before_val, a.after_val, a.state, a.as_of, "
                            "CASE WHEN a.close_reason IS NULL THEN a.reason "
                            "ELSE a.reason || ' / ' || a.close_reason END, a.target, a.reason, "
                            "a.close_reason, a.proposed_at, a.applied_at, a.closed_at, "
                            "a.decided_at, a.decided_by, a.decision_note, a.data, "
                            "COALESCE(k.name, h.name, ''), "
                            "CASE WHEN a.kind = 'purchase_order' THEN su.name ELSE ws.name END, "
                            "wd.name, a.by_day, a.until_day, a.plan, "
                            "COALESCE(hs.ext_id, h.ext_id), COALESCE(hs.name, h.name) "
                            "FROM action a "
                            "LEFT JOIN supplier su ON a.kind = 'purchase_order' AND "
                            "su.org_id = a.org_id AND su.id = a.source_id "
                            "LEFT JOIN warehouse ws ON a.kind = 'transfer' AND "
                            "ws.org_id = a.org_id AND ws.id = a.source_id "
                            "LEFT JOIN warehouse wd ON wd.org_id = a.org_id AND wd.id = a.dest_id "
                            "LEFT JOIN sku k ON a.target = 'sku' AND k.org_id = a.org_id "
                            "AND k.id = a.target_id "
                            "LEFT JOIN shop h ON a.target = 'shop' AND h.org_id = a.org_id "
                            "AND h.id = a.target_id "
                            "LEFT JOIN shop hs ON hs.org_id = a.org_id AND hs.id = a.shop_id "
                            "WHERE a.org_id = $1 AND ($2 = '' OR (a.target = 'sku' AND "
                            "k.ext_id = $2)) AND ($3 = '' OR a.state = $3) "
                            "AND ($4 = 0 OR a.id = $4) AND a.id > $5 "
                            "AND ($7 = '' OR a.plan = $7) AND ($8 = '' OR a.kind = $8) "
                            "AND ($9 = '' OR hs.ext_id = $9 OR h.ext_id = $9) "
                            "ORDER BY a.id LIMIT $6",
                            p, 9, list_row, &c, d);
    if (rc == BL_ENOMEM && d && !d->code)
        bl_diag_set(d, BL_ENOMEM, "listing actions: out of memory");
    *out = NULL;
    *n = 0;
    if (!rc && c.n) {
        *out = bl_arena_alloc(a, c.n * sizeof(**out));
        if (!*out)
            rc = bl_diag_set(d, BL_ENOMEM, "listing actions: out of memory");
        else {
            memcpy(*out, c.rows, c.n * sizeof(**out));
            *n = c.n;
        }
    }
    bl_free(c.rows);
    return rc;
}

int bl_store_stock_action_ref(struct bl_store *st, int64_t org, const char *ref, int64_t *id,
                              struct bl_diag *d)
{
    struct bl_val p[2] = {bl_val_int(org), bl_val_text(bl_str_c(ref))};
    return bl_store_query_int(st,
                              "SELECT COALESCE(MAX(id), 0) FROM action WHERE org_id = $1 "
                              "AND ref = $2",
                              p, 2, id, d);
}

int bl_store_stock_action_do(struct bl_store *st, int64_t org, int64_t id,
                             const struct bl_stock_action_head *h, int64_t ordered_at,
                             struct bl_diag *d)
{
    const struct bl_stock_action_parts *x = &h->parts;
    bool transfer = h->kind == BL_PB_TRANSFER;
    if ((h->kind != BL_PB_PURCHASE_ORDER && !transfer) || !x->dest_id || !x->source_id ||
        x->until_day == BL_STOCK_NULL || h->after <= 0 || x->until_day > INT64_MAX / 86400 ||
        x->until_day < INT64_MIN / 86400)
        return bl_diag_set(d, BL_EINVAL, "action %lld: not a purchase order or transfer to do",
                           (long long)id);
    int rc = bl_store_touch(st, org, d); /* the plans kept by the API read the inbound */
    if (!rc && transfer) {
        int64_t changed = 0;
        struct bl_val q[4] = {bl_val_int(org), bl_val_int(x->source_id), bl_val_int(h->target_id),
                              bl_val_int(h->after)};
        rc = bl_store_exec(st,
                           "UPDATE stock SET reserved = reserved + $4 WHERE org_id = $1 AND "
                           "warehouse_id = $2 AND sku_id = $3 AND on_hand - reserved >= $4",
                           q, 4, &changed, d);
        if (!rc && changed != 1)
            return bl_diag_set(d, BL_ECONFLICT,
                               "action %lld: the warehouse the units leave has fewer than %lld "
                               "of the SKU available now (stock counted since the what-if)",
                               (long long)id, (long long)h->after);
    }
    int64_t in_id = 0;
    if (!rc)
        rc = bl_store_next_ids(st, org, "inbound", 1, &in_id, d);
    if (rc)
        return rc;
    char ext[40];
    snprintf(ext, sizeof(ext), "action-%lld", (long long)id);
    struct bl_val p[9] = {bl_val_int(org),
                          bl_val_int(in_id),
                          bl_val_text(bl_str_c(ext)),
                          transfer ? bl_val_null() : bl_val_int(x->source_id),
                          bl_val_int(x->dest_id),
                          bl_val_int(h->target_id),
                          bl_val_int(h->after),
                          bl_val_int(ordered_at),
                          bl_val_int(x->until_day * 86400)};
    return bl_store_exec(st,
                         "INSERT INTO inbound (org_id, id, ext_id, supplier_id, warehouse_id, "
                         "sku_id, qty, ordered_at, eta, received_at, state, batch_id) VALUES "
                         "($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, 'open', 0)",
                         p, 9, NULL, d);
}

int bl_store_stock_policy_set(struct bl_store *st, int64_t org, enum bl_pb_kind kind,
                              enum bl_pb_mode mode, struct bl_diag *d)
{
    struct bl_val p[3] = {bl_val_int(org), bl_val_text(bl_str_c(bl_pb_kind_name(kind))),
                          bl_val_text(mode == BL_PB_APPLY ? BL_STR("apply") : BL_STR("propose"))};
    return bl_store_exec(st,
                         "INSERT INTO action_policy (org_id, kind, mode) VALUES ($1, $2, $3) "
                         "ON CONFLICT (org_id, kind) DO UPDATE SET mode = excluded.mode",
                         p, 3, NULL, d);
}
