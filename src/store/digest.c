/* digest.c - what a cycle left for people (digest.h). */
#include <stdio.h>
#include <string.h>

#include "ballast/playbook.h"
#include "store/digest.h"

static const char *dup(struct bl_digest_facts *f, struct bl_str s)
{
    char *p = bl_arena_strndup(&f->arena, s.ptr, s.len);
    return p ? p : "";
}

struct kinds_ctx {
    struct bl_digest_facts *f;
    struct bl_digest_kind *k;
    size_t *n;
    int64_t *total;
};

static int kind_row(void *vctx, const struct bl_row *r)
{
    struct kinds_ctx *c = vctx;
    int64_t n = bl_row_int(r, 1);
    *c->total += n;
    if (*c->n < 8)
        c->k[(*c->n)++] = (struct bl_digest_kind){dup(c->f, bl_row_text(r, 0)), n};
    return 0;
}

static int money_add(struct bl_digest_money *m, size_t *n, struct bl_str cur, int64_t count,
                     int64_t amount)
{
    if (*n >= 8)
        return 0;
    struct bl_digest_money *x = &m[(*n)++];
    memset(x, 0, sizeof(*x));
    bl_str_copy(x->currency, sizeof(x->currency), cur);
    x->n = count;
    x->amount = amount;
    return 0;
}

struct money_ctx {
    struct bl_digest_facts *f;
};

static int coupon_row(void *vctx, const struct bl_row *r)
{
    struct bl_digest_facts *f = ((struct money_ctx *)vctx)->f;
    struct bl_str state = bl_row_text(r, 0);
    if (bl_str_eq(state, BL_STR("paid")))
        return money_add(f->coupons_paid, &f->ncoupons_paid, bl_row_text(r, 1), bl_row_int(r, 2),
                         bl_row_int(r, 3));
    return money_add(f->coupons_owed, &f->ncoupons_owed, bl_row_text(r, 1), bl_row_int(r, 2),
                     bl_row_int(r, 3));
}

static int waiver_row(void *vctx, const struct bl_row *r)
{
    struct bl_digest_facts *f = ((struct money_ctx *)vctx)->f;
    return money_add(f->waivers, &f->nwaivers, bl_row_text(r, 0), bl_row_int(r, 1),
                     bl_row_int(r, 2));
}

static int stockout_row(void *vctx, const struct bl_row *r)
{
    struct bl_digest_facts *f = vctx;
    f->stockouts++;
    if (f->nstockout >= BL_DIGEST_LIST_MAX)
        return 0;
    struct bl_digest_stockout *x = &f->stockout[f->nstockout++];
    x->sku = dup(f, bl_row_text(r, 0));
    x->name = dup(f, bl_row_text(r, 1));
    x->day = bl_row_int(r, 2);
    x->short_units = bl_row_int(r, 3);
    x->order_by = bl_row_int_or(r, 4, -1);
    return 0;
}

struct shop_ctx {
    struct bl_digest_facts *f;
    const struct bl_digest_risk *risk;
    size_t nrisk;
};

static bool at_risk(const struct shop_ctx *c, struct bl_str profile, struct bl_str rating)
{
    for (size_t i = 0; i < c->nrisk; i++)
        if (bl_str_eq(profile, bl_str_c(c->risk[i].profile)) &&
            bl_str_eq(rating, bl_str_c(c->risk[i].label)))
            return true;
    return false;
}

static void shop_fill(struct bl_digest_facts *f, struct bl_digest_shop *x, const struct bl_row *r)
{
    x->shop = dup(f, bl_row_text(r, 0));
    x->name = dup(f, bl_row_text(r, 1));
    x->profile = dup(f, bl_row_text(r, 2));
    x->rating = dup(f, bl_row_text(r, 3));
    x->score_x100 = bl_row_int_or(r, 4, -1);
    x->prev_rating = dup(f, bl_row_text(r, 5));
    x->prev_score_x100 = bl_row_int_or(r, 6, -1);
    x->failing = dup(f, bl_row_text(r, 7));
}

static int shop_row(void *vctx, const struct bl_row *r)
{
    struct shop_ctx *c = vctx;
    struct bl_digest_facts *f = c->f;
    struct bl_str rating = bl_row_text(r, 3), prev = bl_row_text(r, 5);
    if (at_risk(c, bl_row_text(r, 2), rating)) {
        f->shops_at_risk++;
        if (f->nat_risk < BL_DIGEST_LIST_MAX)
            shop_fill(f, &f->at_risk[f->nat_risk++], r);
    }
    if (!bl_row_isnull(r, 5) && !bl_str_eq(rating, prev)) {
        f->shops_moved++;
        if (f->nmoved < BL_DIGEST_LIST_MAX)
            shop_fill(f, &f->moved[f->nmoved++], r);
    }
    return 0;
}

struct alert_ctx {
    struct bl_digest_facts *f;
    int64_t *count;
    struct bl_digest_alert *list;
    size_t *n;
};

static int alert_row(void *vctx, const struct bl_row *r)
{
    struct alert_ctx *c = vctx;
    (*c->count)++;
    if (*c->n < BL_DIGEST_LIST_MAX)
        c->list[(*c->n)++] =
            (struct bl_digest_alert){dup(c->f, bl_row_text(r, 0)), dup(c->f, bl_row_text(r, 1)),
                                     dup(c->f, bl_row_text(r, 2))};
    return 0;
}

/* Stock alerts at day a that day b did not have (b 0: every alert at a). */
static int alerts_diff(struct bl_store *st, int64_t org, int64_t a, int64_t b, struct alert_ctx *c,
                       struct bl_diag *d)
{
    struct bl_val p[3] = {bl_val_int(org), bl_val_int(a), bl_val_int(b)};
    return bl_store_query(st,
                          "SELECT x.kind, k.ext_id, x.message FROM stock_alert x"
                          " JOIN sku k ON k.org_id = x.org_id AND k.id = x.sku_id"
                          " WHERE x.org_id = $1 AND x.as_of = $2 AND NOT EXISTS (SELECT 1"
                          "  FROM stock_alert y WHERE y.org_id = x.org_id AND y.as_of = $3"
                          "  AND y.kind = x.kind AND y.sku_id = x.sku_id)"
                          " ORDER BY x.kind, k.ext_id",
                          p, 3, alert_row, c, d);
}

static int waiting(struct bl_store *st, int64_t org, struct bl_digest_facts *f, struct bl_diag *d)
{
    struct bl_val p[1] = {bl_val_int(org)};
    struct kinds_ctx mk = {f, f->msg_kinds, &f->nmsg_kinds, &f->messages_waiting};
    int rc = bl_store_query(st,
                            "SELECT kind, COUNT(*) FROM message WHERE org_id = $1"
                            " AND state = 'planned' GROUP BY kind ORDER BY COUNT(*) DESC, kind",
                            p, 1, kind_row, &mk, d);
    struct kinds_ctx hk = {f, f->held_kinds, &f->nheld_kinds, &f->messages_held};
    if (!rc)
        rc = bl_store_query(st,
                            "SELECT kind, COUNT(*) FROM message WHERE org_id = $1"
                            " AND state = 'held' GROUP BY kind ORDER BY COUNT(*) DESC, kind",
                            p, 1, kind_row, &hk, d);
    struct kinds_ctx ak = {f, f->action_kinds, &f->naction_kinds, &f->actions_waiting};
    if (!rc)
        rc = bl_store_query(st,
                            "SELECT kind, COUNT(*) FROM action WHERE org_id = $1"
                            " AND state = 'proposed' GROUP BY kind ORDER BY COUNT(*) DESC, kind",
                            p, 1, kind_row, &ak, d);
    return rc;
}

static int expired_row(void *vctx, const struct bl_row *r)
{
    struct bl_digest_facts *f = vctx;
    char kb[40];
    enum bl_pb_kind k;
    bool until = bl_pb_kind_parse(bl_str_copy(kb, sizeof(kb), bl_row_text(r, 0)), &k) == BL_OK &&
                 bl_pb_kind_until(k);
    if (f->nexpired < BL_DIGEST_LIST_MAX)
        f->expired[f->nexpired++] = (struct bl_digest_expired){
            dup(f, bl_row_text(r, 0)), dup(f, bl_row_text(r, 1)), dup(f, bl_row_text(r, 2)),
            bl_row_int_or(r, until ? 4 : 3, 0), until};
    f->actions_expired++;
    return 0;
}

/* The proposals this cycle expired (stock_decide.c sets their cycle_id). */
static int expired(struct bl_store *st, int64_t org, struct bl_digest_facts *f,
                   struct bl_diag *d)
{
    struct bl_val p[2] = {bl_val_int(org), bl_val_int(f->cycle_id)};
    return bl_store_query(st,
                          "SELECT a.kind, COALESCE(k.ext_id, s.ext_id, ''), "
                          "COALESCE(k.name, s.name, ''), "
                          "a.by_day, a.until_day FROM action a LEFT JOIN sku k ON a.target = 'sku' "
                          "AND k.org_id = a.org_id AND k.id = a.target_id LEFT JOIN shop s ON "
                          "a.target = 'shop' AND s.org_id = a.org_id AND s.id = a.target_id "
                          "WHERE a.org_id = $1 "
                          "AND a.cycle_id = $2 AND a.state = 'expired' ORDER BY a.id",
                          p, 2, expired_row, f, d);
}

static int this_cycle(struct bl_store *st, int64_t org, struct bl_digest_facts *f,
                      struct bl_diag *d)
{
    struct bl_val p[2] = {bl_val_int(org), bl_val_int(f->cycle_id)};
    struct money_ctx mc = {f};
    int rc = bl_store_query(st,
                            "SELECT state, currency, COUNT(*), SUM(amount) FROM coupon"
                            " WHERE org_id = $1 AND cycle_id = $2 GROUP BY state, currency"
                            " ORDER BY state, currency",
                            p, 2, coupon_row, &mc, d);
    if (!rc)
        rc = bl_store_query(st,
                            "SELECT currency, COUNT(*), SUM(amount) FROM ledger"
                            " WHERE org_id = $1 AND cycle_id = $2 AND kind = 'sla_waiver'"
                            " GROUP BY currency ORDER BY currency",
                            p, 2, waiver_row, &mc, d);
    if (!rc)
        rc = bl_store_query_int(st,
                                "SELECT COUNT(*) FROM message WHERE org_id = $1 AND cycle_id = $2",
                                p, 2, &f->messages_planned, d);
    if (!rc)
        rc = bl_store_query_int(st,
                                "SELECT COUNT(*) FROM action WHERE org_id = $1 AND cycle_id = $2"
                                " AND applied_at IS NOT NULL",
                                p, 2, &f->actions_applied, d);
    return rc;
}

static int stock_and_shops(struct bl_store *st, int64_t org, int horizon_days,
                           const struct bl_digest_risk *risk, size_t nrisk,
                           struct bl_digest_facts *f, struct bl_diag *d)
{
    struct bl_val p[4] = {bl_val_int(org), bl_val_int(f->day), bl_val_int(f->day + horizon_days),
                          bl_val_int(f->day + horizon_days)};
    /* Units short: the daily demand (thousandths) from the stock-out to the restock, or to
     * the horizon's end when no restock is planned. */
    int rc =
        bl_store_query(st,
                       "SELECT k.ext_id, k.name, l.stockout_day,"
                       " (l.daily_milli * (COALESCE(l.restock_day, $4) - l.stockout_day)"
                       "  + 999) / 1000, l.order_by_day"
                       " FROM plan_line l JOIN sku k ON k.org_id = l.org_id AND k.id = l.sku_id"
                       " WHERE l.org_id = $1 AND l.as_of = $2 AND l.warehouse_id = 0"
                       " AND l.stockout_day IS NOT NULL AND l.stockout_day <= $3"
                       " ORDER BY l.stockout_day, k.ext_id",
                       p, 4, stockout_row, f, d);
    struct bl_val q[3] = {bl_val_int(org), bl_val_int(f->as_of), bl_val_int(f->prev_as_of)};
    struct shop_ctx sc = {f, risk, nrisk};
    if (!rc)
        rc = bl_store_query(
            st,
            "SELECT s.ext_id, s.name, a.profile, a.rating, a.score_x100,"
            " b.rating, b.score_x100, COALESCE(a.failing, '') FROM assessment a"
            " JOIN shop s ON s.org_id = a.org_id AND s.id = a.shop_id"
            " LEFT JOIN assessment b ON b.org_id = a.org_id AND b.profile = a.profile"
            "  AND b.window_days = a.window_days AND b.shop_id = a.shop_id"
            "  AND b.as_of = $3"
            " WHERE a.org_id = $1 AND a.as_of = $2 AND a.rating <> ''"
            " ORDER BY a.score_x100, s.ext_id",
            q, 3, shop_row, &sc, d);
    return rc;
}

static int changes_row(void *ctx, const struct bl_row *r)
{
    struct bl_digest_facts *f = ctx;
    f->orders_updated = bl_row_int(r, 0);
    f->order_changes = bl_row_int(r, 1);
    return 0;
}

/* The orders imports changed since the previous cycle started (order_event ids past the
 * last one it saw). */
static int order_changes(struct bl_store *st, int64_t org, int64_t prev_cycle_id,
                         struct bl_digest_facts *f, struct bl_diag *d)
{
    struct bl_val p[2] = {bl_val_int(org), bl_val_int(prev_cycle_id)};
    return bl_store_query(st,
                          "SELECT COUNT(DISTINCT order_id), COUNT(*) FROM order_event"
                          " WHERE org_id = $1 AND id > (SELECT COALESCE(events_upto, 0)"
                          " FROM cycle WHERE org_id = $1 AND id = $2)",
                          p, 2, changes_row, f, d);
}

static int dis_count_row(void *ctx, const struct bl_row *r)
{
    struct bl_digest_facts *f = ctx;
    f->disruptions_changed = bl_row_int(r, 0);
    f->disruption_changes = bl_row_int(r, 1);
    return 0;
}

static int dis_row(void *ctx, const struct bl_row *r)
{
    struct bl_digest_facts *f = ctx;
    if (f->ndisruption >= BL_DIGEST_LIST_MAX)
        return 0;
    struct bl_digest_disruption *x = &f->disruption[f->ndisruption++];
    x->id = bl_row_int(r, 0);
    x->kind = dup(f, bl_row_text(r, 1));
    x->region = dup(f, bl_row_text(r, 2));
    x->note = dup(f, bl_row_text(r, 3));
    return 0;
}

/* The disruptions changed by hand since the previous cycle started (disruption_event
 * ids past the last one it saw): an edited window or region changes what the cycle
 * exempts, holds and writes. The first ones with what they are (kind, region, note). */
static int disruption_changes(struct bl_store *st, int64_t org, int64_t prev_cycle_id,
                              struct bl_digest_facts *f, struct bl_diag *d)
{
    struct bl_val p[2] = {bl_val_int(org), bl_val_int(prev_cycle_id)};
    static const char since[] = " FROM disruption_event WHERE org_id = $1 AND id > (SELECT"
                                " COALESCE(dis_events_upto, 0) FROM cycle WHERE org_id = $1"
                                " AND id = $2)";
    char sql[512];
    snprintf(sql, sizeof(sql), "SELECT COUNT(DISTINCT disruption_id), COUNT(*)%s", since);
    int rc = bl_store_query(st, sql, p, 2, dis_count_row, f, d);
    snprintf(sql, sizeof(sql),
             "SELECT e.disruption_id, x.kind, x.region, x.note FROM (SELECT DISTINCT"
             " disruption_id%s ORDER BY 1 LIMIT %d) e LEFT JOIN disruption x ON x.org_id = $1"
             " AND x.id = e.disruption_id ORDER BY 1",
             since, BL_DIGEST_LIST_MAX);
    return rc ? rc : bl_store_query(st, sql, p, 2, dis_row, f, d);
}

static int threshold_row(void *ctx, const struct bl_row *r)
{
    struct bl_digest_facts *f = ctx;
    if (f->thresholds++ >= BL_DIGEST_LIST_MAX)
        return 0; /* counted, not listed */
    struct bl_str ref = bl_row_text(r, 1);
    size_t code = 0, shop = ref.len;
    while (code < ref.len && ref.ptr[code] != ':')
        code++;
    while (shop > 0 && ref.ptr[shop - 1] != ':')
        shop--;
    struct bl_digest_threshold *x = &f->threshold[f->nthreshold];
    x->kind = dup(f, bl_row_text(r, 0));
    x->jurisdiction = dup(f, (struct bl_str){ref.ptr, code});
    int64_t id = 0;
    x->shop_id = bl_str_to_i64((struct bl_str){ref.ptr + shop, ref.len - shop}, &id) ? 0 : id;
    f->nthreshold++;
    return 0;
}

/* The tax thresholds this cycle's watch step found crossed or near (alerts it raised). */
static int thresholds(struct bl_store *st, int64_t org, struct bl_digest_facts *f,
                      struct bl_diag *d)
{
    struct bl_val p[2] = {bl_val_int(org), bl_val_int(f->cycle_id)};
    return bl_store_query(st,
                          "SELECT kind, ref FROM alert WHERE org_id = $1 AND cycle_id = $2"
                          " AND kind IN ('comply_near', 'comply_over', 'comply_next_year') ORDER BY id",
                          p, 2, threshold_row, f, d);
}

int bl_store_digest_facts(struct bl_store *st, int64_t org, int64_t cycle_id, int64_t as_of,
                          int64_t day, int64_t prev_cycle_id, int64_t prev_as_of, int64_t prev_day,
                          int horizon_days, const struct bl_digest_risk *risk, size_t nrisk,
                          struct bl_digest_facts *f, struct bl_diag *d)
{
    memset(f, 0, sizeof(*f));
    bl_arena_init(&f->arena, 8192);
    f->cycle_id = cycle_id;
    f->prev_cycle_id = prev_cycle_id;
    f->as_of = as_of;
    f->prev_as_of = prev_as_of;
    f->day = day;
    f->prev_day = prev_day;
    int rc = waiting(st, org, f, d);
    if (!rc && cycle_id)
        rc = expired(st, org, f, d);
    if (!rc)
        rc = this_cycle(st, org, f, d);
    if (!rc)
        rc = stock_and_shops(st, org, horizon_days, risk, nrisk, f, d);
    if (!rc && cycle_id)
        rc = thresholds(st, org, f, d);
    struct alert_ctx an = {f, &f->alerts_new, f->alert_new, &f->nalert_new};
    struct alert_ctx ac = {f, &f->alerts_cleared, f->alert_cleared, &f->nalert_cleared};
    if (!rc)
        rc = alerts_diff(st, org, day, prev_day, &an, d);
    if (!rc && prev_day)
        rc = alerts_diff(st, org, prev_day, day, &ac, d);
    if (!rc && prev_cycle_id)
        rc = order_changes(st, org, prev_cycle_id, f, d);
    if (!rc && prev_cycle_id)
        rc = disruption_changes(st, org, prev_cycle_id, f, d);
    return rc;
}

void bl_digest_facts_release(struct bl_digest_facts *f)
{
    bl_arena_release(&f->arena);
}
