/* cmd_messages.c - `ballast messages plan|list|show|approve|policy`: the outbox.
 *
 * plan loads each open order's facts as of --as-of (late against its ship-by or
 * promised delivery, out of stock with no restock in time, coupon issued, hit by an
 * active disruption), asks the pure planner (notify.h) which messages are new,
 * renders them from the template packs in the buyer's language and stores them in
 * the outbox in one transaction, ON CONFLICT (org_id, idem) DO NOTHING. Sending is
 * in cmd_send.c. Design: docs/internals/notify.md.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/msg_common.h"
#include "cli/out.h"

#include "ballast/assess.h"
#include "ballast/l10n.h"
#include "ballast/map.h"
#include "ballast/notify.h"
#include "ballast/region.h"
#include "ballast/time.h"

#define NC(a) (sizeof(a) / sizeof((a)[0]))

/* ---------------------------------------------------------------- loading facts */

struct dis {
    int64_t id, ends;
    const char *region, *scope, *kind, *channel, *note;
    bool supplier;
};

struct ord {
    int64_t id, shop_id, ship_by, promised, shipped;
    const char *ext, *shop_ext, *shop_name, *tz, *customer, *locale, *from, *to, *channel;
    const char *cust_name, *email; /* from the customer table, or NULL */
    const char *oos_sku;   /* name of an item out of stock, or NULL */
    int64_t restock;       /* its next inbound ETA, or BL_NO_TIME */
    int64_t coupon;        /* amount, or -1 */
    const char *coupon_cur;
    const struct dis *origin, *dest; /* a covering active disruption */
    int64_t resume;        /* latest end of the disruptions covering its origin */
};

struct loadctx {
    struct bl_arena *a;
    struct ord *o;
    size_t n, cap;
    struct dis *dis;
    size_t ndis, capdis;
    struct bl_map by_id; /* order id (decimal text) -> index */
    int rc;
};

static const char *keep(struct loadctx *c, const struct bl_row *r, size_t col)
{
    if (bl_row_isnull(r, col))
        return NULL;
    struct bl_str s = bl_row_text(r, col);
    char *p = bl_arena_strndup(c->a, s.ptr, s.len);
    if (!p)
        c->rc = BL_ENOMEM;
    return p;
}

static int64_t opt_time(const struct bl_row *r, size_t col)
{
    return bl_row_isnull(r, col) ? BL_NO_TIME : bl_row_int(r, col);
}

static int order_row(void *vctx, const struct bl_row *r)
{
    struct loadctx *c = vctx;
    void *items = c->o;
    if (bl_grow(&items, &c->cap, c->n + 1, sizeof(*c->o)))
        return BL_ENOMEM;
    c->o = items;
    struct ord *o = &c->o[c->n];
    memset(o, 0, sizeof(*o));
    o->id = bl_row_int(r, 0);
    o->ext = keep(c, r, 1);
    o->shop_id = bl_row_int(r, 2);
    o->shop_ext = keep(c, r, 3);
    o->shop_name = keep(c, r, 4);
    o->tz = keep(c, r, 5);
    o->customer = keep(c, r, 6);
    o->locale = keep(c, r, 7);
    o->ship_by = opt_time(r, 8);
    o->promised = opt_time(r, 9);
    o->shipped = opt_time(r, 10);
    o->from = keep(c, r, 11);
    o->to = keep(c, r, 12);
    o->channel = keep(c, r, 13);
    o->cust_name = keep(c, r, 14);
    o->email = keep(c, r, 15);
    o->restock = BL_NO_TIME;
    o->coupon = -1;
    o->resume = BL_NO_TIME;
    char key[32];
    snprintf(key, sizeof(key), "%lld", (long long)o->id);
    if (c->rc || bl_map_put(&c->by_id, bl_str_c(key), (int64_t)c->n))
        return BL_ENOMEM;
    c->n++;
    return 0;
}

static struct ord *find(struct loadctx *c, int64_t id)
{
    char key[32];
    snprintf(key, sizeof(key), "%lld", (long long)id);
    int64_t i;
    return bl_map_get(&c->by_id, bl_str_c(key), &i) ? &c->o[i] : NULL;
}

static int dis_row(void *vctx, const struct bl_row *r)
{
    struct loadctx *c = vctx;
    void *items = c->dis;
    if (bl_grow(&items, &c->capdis, c->ndis + 1, sizeof(*c->dis)))
        return BL_ENOMEM;
    c->dis = items;
    struct dis *x = &c->dis[c->ndis++];
    x->id = bl_row_int(r, 0);
    x->region = keep(c, r, 1);
    x->scope = keep(c, r, 2);
    x->kind = keep(c, r, 3);
    x->channel = keep(c, r, 4);
    x->supplier = !bl_row_isnull(r, 5) && bl_row_text(r, 5).len > 0;
    x->ends = bl_row_int(r, 6);
    x->note = keep(c, r, 7);
    return c->rc;
}

static int oos_row(void *vctx, const struct bl_row *r)
{
    struct loadctx *c = vctx;
    struct ord *o = find(c, bl_row_int(r, 0));
    if (!o || o->oos_sku)
        return 0;
    int64_t eta = opt_time(r, 2);
    int64_t limit = o->ship_by != BL_NO_TIME ? o->ship_by : o->promised;
    if (eta != BL_NO_TIME && limit != BL_NO_TIME && eta <= limit)
        return 0; /* restocked in time */
    o->oos_sku = keep(c, r, 1);
    o->restock = eta;
    return c->rc;
}

static int coupon_row(void *vctx, const struct bl_row *r)
{
    struct loadctx *c = vctx;
    struct ord *o = find(c, bl_row_int(r, 0));
    if (o) {
        o->coupon = bl_row_int(r, 1);
        o->coupon_cur = keep(c, r, 2);
    }
    return c->rc;
}

struct prior_ctx {
    struct loadctx *lc;
    struct bl_notify_order *no;
    struct bl_map *keys; /* campaign keys already in the outbox */
};

static int prior_row(void *vctx, const struct bl_row *r)
{
    struct prior_ctx *c = vctx;
    if (!bl_row_isnull(r, 0)) {
        struct ord *o = find(c->lc, bl_row_int(r, 0));
        if (o) {
            size_t i = (size_t)(o - c->lc->o);
            char k[64];
            bl_str_copy(k, sizeof(k), bl_row_text(r, 1));
            enum bl_msg_kind kind = bl_msg_kind_from_name(k);
            if (kind != BL_MSG__COUNT)
                c->no[i].prior |= BL_MSG_BIT(kind);
            bl_str_copy(k, sizeof(k), bl_row_text(r, 2));
            kind = bl_msg_kind_from_name(k);
            if (kind != BL_MSG__COUNT)
                c->no[i].prior |= BL_MSG_BIT(kind);
        }
    }
    if (bl_map_put(c->keys, bl_row_text(r, 3), 1))
        return BL_ENOMEM;
    return 0;
}

static bool has_key(void *ctx, const char *idem)
{
    int64_t v;
    return bl_map_get(ctx, bl_str_c(idem), &v);
}

struct policy_ctx {
    bool *approval;
};

static int policy_row(void *vctx, const struct bl_row *r)
{
    struct policy_ctx *c = vctx;
    char k[64];
    bl_str_copy(k, sizeof(k), bl_row_text(r, 0));
    enum bl_msg_kind kind = bl_msg_kind_from_name(k);
    if (kind != BL_MSG__COUNT)
        c->approval[kind] = bl_row_int(r, 1) != 0;
    return 0;
}

static bool covers(const struct dis *x, const char *code, const char *channel, bool origin)
{
    if (!code || !code[0] || x->supplier)
        return false;
    bool scope = strcmp(x->scope, "both") == 0 ||
                 strcmp(x->scope, origin ? "origin" : "destination") == 0;
    if (!scope)
        return false;
    if (x->channel && x->channel[0] && (!channel || strcmp(channel, x->channel) != 0))
        return false;
    return bl_region_contains(bl_str_c(x->region), bl_str_c(code));
}

/* ---------------------------------------------------------------- plan */

struct plan_args {
    int64_t as_of, horizon, coupon_days;
    const char *channel, *to_domain, *account_url, *templates;
    const char *promo, *discount, *service_resumed, *support_contact, *support_hours;
    int64_t promo_expires;
    bool dry_run;
};

/* The customer's e-mail address, else <customer id>@<--to-domain> (characters other
 * than letters, digits and . - _ + become _). */
static void recipient(const char *customer, const char *email, const char *domain, char *out,
                      size_t cap)
{
    if (email && email[0]) {
        bl_str_copy(out, cap, bl_str_c(email));
        return;
    }
    size_t j = 0;
    for (const char *p = customer; *p && j + 1 < cap; p++) {
        char ch = *p;
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                  ch == '.' || ch == '-' || ch == '_' || ch == '+';
        out[j++] = ok ? ch : '_';
    }
    out[j] = '\0';
    size_t len = strlen(out);
    snprintf(out + len, cap - len, "@%s", domain);
}

static int set_str(json_t *o, const char *k, const char *v)
{
    return json_object_set_new(o, k, v ? json_string(v) : json_null()) ? BL_ENOMEM : BL_OK;
}

/* Fills the template data of one planned message. Dates are in the shop's zone. */
static int build_data(const struct plan_args *pa, const struct ord *o,
                      const struct bl_notify_plan *p, json_t *j, struct bl_diag *d)
{
    const char *loc = p->locale, *tz = o->tz;
    char t1[128], t2[256];
    int rc = set_str(j, "customer_name", o->cust_name ? o->cust_name : o->customer);
    if (!rc)
        rc = set_str(j, "shop_name", o->shop_name);
    if (!rc)
        rc = set_str(j, "order_id", o->ext);
    if (!rc)
        rc = set_str(j, "account_url", pa->account_url);
    /* When the order can ship: after the disruption over its origin, after the
     * restock, and not before tomorrow. It then takes the transit it was promised
     * (promised delivery - ship-by, else 7 days), plus slack for the window. */
    int64_t ship = pa->as_of + BL_DAY_SECS;
    if (o->resume != BL_NO_TIME && o->resume > ship)
        ship = o->resume;
    if (o->oos_sku) { /* no restock known: two weeks */
        int64_t back = o->restock != BL_NO_TIME ? o->restock : pa->as_of + 14 * BL_DAY_SECS;
        if (back > ship)
            ship = back;
    }
    int64_t span = o->promised != BL_NO_TIME && o->ship_by != BL_NO_TIME && o->promised > o->ship_by
                       ? o->promised - o->ship_by
                       : 7 * BL_DAY_SECS;
    int64_t slack = span / 2 > 2 * BL_DAY_SECS ? span / 2 : 2 * BL_DAY_SECS;
    switch (p->kind) {
    case BL_MSG_LATE_SHIPMENT:
    case BL_MSG_UNSHIPPED_ORDER:
    case BL_MSG_OUT_OF_STOCK:
        if (!rc)
            rc = bl_l10n_date(loc, tz, ship, t1, sizeof(t1), d);
        if (!rc)
            rc = set_str(j, p->kind == BL_MSG_UNSHIPPED_ORDER ? "ship_start_date" : "new_ship_date", t1);
        if (!rc && p->kind != BL_MSG_OUT_OF_STOCK)
            rc = bl_l10n_window(loc, tz, ship + span, ship + span + slack, t2, sizeof(t2), d);
        if (!rc && p->kind != BL_MSG_OUT_OF_STOCK)
            rc = set_str(j, "delivery_window", t2);
        break;
    default:
        break;
    }
    if (rc)
        return rc;
    switch (p->kind) {
    case BL_MSG_LATE_SHIPMENT:
        rc = bl_l10n_date(loc, tz, o->ship_by, t1, sizeof(t1), d);
        if (!rc)
            rc = set_str(j, "promised_ship_date", t1);
        if (!rc && p->with_coupon)
            rc = bl_l10n_money(loc, o->coupon, o->coupon_cur, t1, sizeof(t1), d);
        if (!rc)
            rc = set_str(j, "coupon_amount", p->with_coupon ? t1 : NULL);
        break;
    case BL_MSG_UNSHIPPED_ORDER: {
        const struct dis *x = o->origin ? o->origin : o->dest;
        bool holiday = x && strcmp(x->kind, "holiday") == 0;
        rc = set_str(j, "holiday", holiday ? (x->note && x->note[0] ? x->note : "holiday") : NULL);
        if (!rc)
            rc = bl_l10n_region(loc, x ? x->region : "", t1, sizeof(t1), d);
        if (!rc)
            rc = set_str(j, "disruption_region", t1);
        break;
    }
    case BL_MSG_OUT_OF_STOCK:
        rc = set_str(j, "product_name", o->oos_sku);
        if (!rc)
            rc = set_str(j, "cancel_url", pa->account_url);
        break;
    case BL_MSG_LATE_DELIVERY: {
        rc = bl_l10n_date(loc, tz, o->promised, t1, sizeof(t1), d);
        if (!rc)
            rc = set_str(j, "promised_delivery_date", t1);
        int64_t from = pa->as_of + BL_DAY_SECS;
        if (o->dest && o->dest->ends > from)
            from = o->dest->ends;
        if (!rc)
            rc = bl_l10n_window(loc, tz, from, from + slack, t2, sizeof(t2), d);
        if (!rc)
            rc = set_str(j, "delivery_window", t2);
        if (!rc)
            rc = set_str(j, "carrier",
                         o->channel ? o->channel
                                    : (strncmp(loc, "zh", 2) == 0 ? "承运商" : "The carrier"));
        if (!rc)
            rc = set_str(j, "tracking_number", ""); /* not in the store yet */
        if (!rc)
            rc = set_str(j, "tracking_url", "");
        break;
    }
    case BL_MSG_COMPENSATION_COUPON:
        rc = bl_l10n_money(loc, o->coupon, o->coupon_cur, t1, sizeof(t1), d);
        if (!rc)
            rc = set_str(j, "coupon_amount", t1);
        if (!rc)
            rc = bl_l10n_date(loc, tz, pa->as_of + pa->coupon_days * BL_DAY_SECS, t1, sizeof(t1), d);
        if (!rc)
            rc = set_str(j, "expires_on", t1);
        break;
    case BL_MSG_PROMO_CODE:
        rc = set_str(j, "promo_code", pa->promo);
        if (!rc)
            rc = set_str(j, "discount", pa->discount);
        if (!rc)
            rc = bl_l10n_date(loc, tz, pa->promo_expires, t1, sizeof(t1), d);
        if (!rc)
            rc = set_str(j, "expires_on", t1);
        break;
    case BL_MSG_SERVICE_RESUMED: {
        int64_t day;
        struct bl_diag ig;
        int64_t at = bl_date_parse(bl_str_c(pa->service_resumed), &day, &ig) == BL_OK
                         ? day * BL_DAY_SECS + 12 * 3600
                         : pa->as_of;
        rc = bl_l10n_date(loc, tz, at, t1, sizeof(t1), d);
        if (!rc)
            rc = set_str(j, "service_resume_date", t1);
        if (!rc)
            rc = set_str(j, "support_contact", pa->support_contact);
        if (!rc)
            rc = set_str(j, "support_hours", pa->support_hours);
        break;
    }
    default:
        break;
    }
    if (rc == BL_ENOMEM)
        bl_diag_set(d, rc, "out of memory");
    return rc;
}


static int plan_run(struct bl_cli *cli, const struct plan_args *pa, struct bl_diag *d)
{
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_arena arena;
    bl_arena_init(&arena, 1u << 16);
    struct loadctx lc = {.a = &arena};
    bl_map_init(&lc.by_id, &arena);
    struct bl_map keys;
    bl_map_init(&keys, &arena);
    struct bl_packs packs;
    int rc = bl_packs_open(&packs, pa->templates, d);
    struct bl_val p2[2] = {bl_val_int(org), bl_val_int(pa->as_of)};
    /* Orders placed by as_of, neither cancelled nor delivered as of then. */
    if (!rc)
        rc = bl_store_query(
            st,
            "SELECT o.id, o.ext_id, o.shop_id, s.ext_id, s.name, s.tz, o.customer,"
            " COALESCE(o.locale, c.locale),"
            " o.ship_by, o.promised_at,"
            " CASE WHEN o.shipped_at IS NOT NULL AND o.shipped_at <= $2 THEN o.shipped_at"
            "  WHEN o.picked_up_at IS NOT NULL AND o.picked_up_at <= $2 THEN o.picked_up_at END,"
            " o.ship_from, o.ship_to, o.channel, c.name, c.email"
            " FROM orders o JOIN shop s ON s.org_id = o.org_id AND s.id = o.shop_id"
            " LEFT JOIN customer c ON c.org_id = o.org_id AND c.ext_id = o.customer"
            " WHERE o.org_id = $1 AND o.placed_at <= $2"
            " AND (o.cancelled_at IS NULL OR o.cancelled_at > $2)"
            " AND (o.delivered_at IS NULL OR o.delivered_at > $2) ORDER BY o.id",
            p2, 2, order_row, &lc, d);
    if (!rc)
        rc = bl_store_query(st,
                            "SELECT id, region, scope, kind, channel, supplier,"
                            " CASE WHEN lifted_at IS NOT NULL AND lifted_at < ends_at"
                            " THEN lifted_at ELSE ends_at END, note FROM disruption"
                            " WHERE org_id = $1 AND starts_at <= $2 AND ends_at > $2"
                            " AND (lifted_at IS NULL OR lifted_at > $2) ORDER BY id",
                            p2, 2, dis_row, &lc, d);
    /* Lines whose SKU has nothing available; the next open inbound after as_of. */
    if (!rc)
        rc = bl_store_query(
            st,
            "SELECT l.order_id, k.name, (SELECT MIN(i.eta) FROM inbound i WHERE i.org_id = l.org_id"
            "  AND i.sku_id = l.sku_id AND i.state = 'open' AND i.eta > $2)"
            " FROM order_line l JOIN sku k ON k.org_id = l.org_id AND k.id = l.sku_id"
            " WHERE l.org_id = $1 AND l.qty > COALESCE((SELECT SUM(s.on_hand - s.reserved)"
            "  FROM stock s WHERE s.org_id = l.org_id AND s.sku_id = l.sku_id), 0)"
            " AND EXISTS (SELECT 1 FROM stock s WHERE s.org_id = l.org_id AND s.sku_id = l.sku_id)"
            " ORDER BY l.order_id, l.line_no",
            p2, 2, oos_row, &lc, d);
    struct bl_val p1 = bl_val_int(org);
    if (!rc)
        rc = bl_store_query(st,
                            "SELECT order_id, amount, currency FROM coupon WHERE org_id = $1"
                            " AND as_of <= $2",
                            p2, 2, coupon_row, &lc, d);
    if (!rc && lc.rc)
        rc = bl_diag_set(d, lc.rc, "out of memory");
    struct bl_notify_order *no = NULL;
    if (!rc && lc.n && !(no = bl_calloc(lc.n, sizeof(*no))))
        rc = bl_diag_set(d, BL_ENOMEM, "out of memory");
    size_t nocust = 0;
    for (size_t i = 0; !rc && i < lc.n; i++) {
        struct ord *o = &lc.o[i];
        bool shipped = o->shipped != BL_NO_TIME;
        for (size_t k = 0; k < lc.ndis; k++) {
            const struct dis *x = &lc.dis[k];
            if (!shipped && covers(x, o->from, o->channel, true)) {
                if (!o->origin)
                    o->origin = x;
                if (o->resume == BL_NO_TIME || x->ends > o->resume)
                    o->resume = x->ends;
            }
            if (covers(x, o->to, o->channel, false) && !o->dest)
                o->dest = x;
        }
        uint32_t f = 0;
        if (shipped)
            f |= BL_NF_SHIPPED;
        if (o->origin || o->dest)
            f |= BL_NF_DISRUPTED;
        if (!shipped && o->oos_sku)
            f |= BL_NF_OUT_OF_STOCK;
        if (o->coupon >= 0)
            f |= BL_NF_COUPON;
        bool cannot = o->oos_sku || (o->resume != BL_NO_TIME && o->resume > o->ship_by);
        if (!shipped && o->ship_by != BL_NO_TIME &&
            (o->ship_by <= pa->as_of || (o->ship_by <= pa->as_of + pa->horizon && cannot)))
            f |= BL_NF_MISS_SHIP;
        if (shipped && o->promised != BL_NO_TIME &&
            (o->promised <= pa->as_of ||
             (o->promised <= pa->as_of + pa->horizon && o->dest && o->dest->ends > o->promised)))
            f |= BL_NF_MISS_DELIVERY;
        if (!o->customer || !o->customer[0]) {
            if (f & (BL_NF_MISS_SHIP | BL_NF_MISS_DELIVERY | BL_NF_OUT_OF_STOCK | BL_NF_COUPON |
                     BL_NF_DISRUPTED))
                nocust++;
            f = 0; /* nobody to write to */
        }
        no[i] = (struct bl_notify_order){o->id, o->customer, o->locale, f, 0};
    }
    struct prior_ctx pc = {&lc, no, &keys};
    if (!rc)
        rc = bl_store_query(st, "SELECT order_id, kind, COALESCE(covers, ''), idem FROM message"
                                " WHERE org_id = $1",
                            &p1, 1, prior_row, &pc, d);
    struct bl_notify_input in = {.orders = no, .norders = lc.n, .locales = packs.locales,
                                 .nlocales = packs.nlocales, .has_key = has_key,
                                 .has_key_ctx = &keys};
    struct policy_ctx polc = {in.approval};
    if (!rc)
        rc = bl_store_query(st, "SELECT kind, approval FROM message_policy WHERE org_id = $1", &p1,
                            1, policy_row, &polc, d);
    struct bl_notify_campaign camp[2];
    if (pa->promo)
        camp[in.ncampaigns++] = (struct bl_notify_campaign){BL_MSG_PROMO_CODE, pa->promo};
    if (pa->service_resumed)
        camp[in.ncampaigns++] =
            (struct bl_notify_campaign){BL_MSG_SERVICE_RESUMED, pa->service_resumed};
    in.campaigns = camp;
    struct bl_notify_plan *plan = NULL;
    size_t n = 0;
    if (!rc)
        rc = bl_notify_plan(&in, &arena, &plan, &n, d);
    /* Render and store. */
    int64_t next_id = 0, now = bl_cli_now(), stored = 0;
    if (!rc && !pa->dry_run)
        rc = bl_store_begin(st, d);
    if (!rc && !pa->dry_run)
        rc = bl_store_query_int(st, "SELECT COALESCE(MAX(id), 0) + 1 FROM message WHERE org_id = $1",
                                &p1, 1, &next_id, d);
    static const char *const cols[] = {"idem", "kind", "order", "shop", "customer", "locale",
                                       "state", "recipient", "subject"};
    struct bl_out out;
    bl_out_begin(&out, cli, cols, NC(cols));
    struct bl_buf subj = BL_BUF_INIT, body = BL_BUF_INIT;
    for (size_t k = 0; !rc && k < n; k++) {
        const struct bl_notify_plan *p = &plan[k];
        const struct ord *o = &lc.o[p->order];
        json_t *j = json_object();
        if (!j)
            rc = bl_diag_set(d, BL_ENOMEM, "out of memory");
        if (!rc)
            rc = build_data(pa, o, p, j, d);
        bl_buf_reset(&subj);
        bl_buf_reset(&body);
        if (!rc)
            rc = bl_packs_render(&packs, p->locale, bl_msg_kind_name(p->kind), j, &subj, &body, d);
        json_decref(j);
        char to[320];
        recipient(o->customer, o->email, pa->to_domain, to, sizeof(to));
        bool campaign = p->campaign >= 0;
        const char *state = p->approval ? "planned" : "approved";
        if (!rc && !pa->dry_run) {
            struct bl_val v[] = {
                p1,
                bl_val_int(next_id),
                bl_val_text(bl_str_c(p->idem)),
                bl_val_text(bl_str_c(bl_msg_kind_name(p->kind))),
                campaign ? bl_val_null() : bl_val_int(o->id),
                bl_val_int(o->shop_id),
                bl_val_text(bl_str_c(o->customer)),
                bl_val_text(bl_str_c(p->locale)),
                bl_val_text(bl_str_c(pa->channel)),
                bl_val_text(bl_str_c(to)),
                bl_val_text(bl_buf_str(&subj)),
                bl_val_text(bl_buf_str(&body)),
                p->with_coupon ? bl_val_text(BL_STR("compensation_coupon")) : bl_val_null(),
                bl_val_text(bl_str_c(state)),
                bl_val_int(0),
                bl_val_int(pa->as_of),
                bl_val_int(now),
                p->approval ? bl_val_null() : bl_val_int(now),
            };
            int64_t changes = 0;
            rc = bl_store_exec(st,
                               "INSERT INTO message (org_id, id, idem, kind, order_id, shop_id,"
                               " customer, locale, channel, recipient, subject, body, covers, state,"
                               " attempts, as_of, created_at, approved_at) VALUES ($1, $2, $3, $4,"
                               " $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)"
                               " ON CONFLICT (org_id, idem) DO NOTHING",
                               v, NC(v), &changes, d);
            if (!rc && changes == 1) {
                next_id++;
                stored++;
            } else if (!rc) {
                continue; /* planned by a concurrent run */
            }
        }
        if (!rc) {
            struct bl_val v[] = {bl_val_text(bl_str_c(p->idem)),
                                 bl_val_text(bl_str_c(bl_msg_kind_name(p->kind))),
                                 campaign ? bl_val_null() : bl_val_text(bl_str_c(o->ext)),
                                 bl_val_text(bl_str_c(o->shop_ext)),
                                 bl_val_text(bl_str_c(o->customer)),
                                 bl_val_text(bl_str_c(p->locale)),
                                 bl_val_text(bl_str_c(state)),
                                 bl_val_text(bl_str_c(to)),
                                 bl_val_text(bl_buf_str(&subj))};
            rc = bl_out_row(&out, v);
        }
    }
    if (!rc && !pa->dry_run)
        rc = bl_store_commit(st, d);
    if (rc && !pa->dry_run) {
        struct bl_diag ig;
        if (bl_store_rollback(st, &ig)) {
        }
    }
    int erc = bl_out_end(&out);
    if (!rc && !erc) {
        fprintf(cli->err, "ballast: %zu message(s) planned%s", n,
                pa->dry_run ? " (dry run: nothing stored)" : "");
        if (!pa->dry_run)
            fprintf(cli->err, ", %lld stored", (long long)stored);
        if (nocust)
            fprintf(cli->err, "; %zu affected order(s) have no customer id: not messaged", nocust);
        fputc('\n', cli->err);
    }
    bl_buf_release(&subj);
    bl_buf_release(&body);
    bl_free(no);
    bl_free(lc.o);
    bl_free(lc.dis);
    bl_map_release(&lc.by_id);
    bl_map_release(&keys);
    bl_packs_release(&packs);
    bl_arena_release(&arena);
    bl_store_close(st);
    if (rc) {
        if (!d->code)
            bl_diag_set(d, rc, "%s", bl_strerror(rc));
        return bl_cli_fail(cli, d);
    }
    return erc ? 1 : 0;
}

static const char plan_usage[] =
    "usage: messages plan --as-of T [--horizon HOURS] [--channel email|webhook|csv]\n"
    "         [--to-domain D] [--account-url URL] [--templates DIR] [--coupon-days N]\n"
    "         [--promo CODE --discount TEXT --promo-expires DATE]\n"
    "         [--service-resumed DATE --support-contact C --support-hours H] [--dry-run]";

static int cmd_plan(struct bl_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"as-of", required_argument, NULL, 'a'},     {"horizon", required_argument, NULL, 'H'},
        {"channel", required_argument, NULL, 'c'},   {"to-domain", required_argument, NULL, 't'},
        {"account-url", required_argument, NULL, 'u'}, {"templates", required_argument, NULL, 'T'},
        {"promo", required_argument, NULL, 'p'},     {"discount", required_argument, NULL, 'D'},
        {"promo-expires", required_argument, NULL, 'e'},
        {"service-resumed", required_argument, NULL, 'r'},
        {"support-contact", required_argument, NULL, 'C'},
        {"support-hours", required_argument, NULL, 'h'},
        {"coupon-days", required_argument, NULL, 'k'}, {"dry-run", no_argument, NULL, 'n'},
        {"format", required_argument, NULL, 'f'},    {NULL, 0, NULL, 0},
    };
    struct plan_args pa = {.horizon = 24 * 3600, .coupon_days = 90, .channel = "email",
                           .to_domain = "customers.invalid",
                           .account_url = "https://shop.example/account",
                           .templates = bl_packs_default_dir(),
                           .support_contact = "support@shop.example",
                           .support_hours = "9:00-18:00"};
    bool has_as_of = false, has_expires = false;
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int64_t v;
        switch (c) {
        case 'a':
            if (bl_msg_parse_instant(cli, "messages plan", "--as-of", optarg, &pa.as_of))
                return 2;
            has_as_of = true;
            break;
        case 'H':
        case 'k':
            if (bl_cli_parse_int(cli, "messages plan", c == 'H' ? "--horizon" : "--coupon-days",
                                 optarg, 0, 24 * 3650, &v))
                return 2;
            if (c == 'H')
                pa.horizon = v * 3600;
            else
                pa.coupon_days = v;
            break;
        case 'c':
            if (strcmp(optarg, "email") && strcmp(optarg, "webhook") && strcmp(optarg, "csv"))
                return bl_cli_usage(cli, "messages plan", "--channel %s: expected email, "
                                    "webhook or csv", optarg);
            pa.channel = optarg;
            break;
        case 't':
            pa.to_domain = optarg;
            break;
        case 'u':
            pa.account_url = optarg;
            break;
        case 'T':
            pa.templates = optarg;
            break;
        case 'p':
            pa.promo = optarg;
            break;
        case 'D':
            pa.discount = optarg;
            break;
        case 'e':
            if (bl_msg_parse_instant(cli, "messages plan", "--promo-expires", optarg,
                                     &pa.promo_expires))
                return 2;
            pa.promo_expires -= 1; /* the end of that day is "before" */
            has_expires = true;
            break;
        case 'r': {
            int64_t day;
            struct bl_diag dd;
            if (bl_date_parse(bl_str_c(optarg), &day, &dd))
                return bl_cli_usage(cli, "messages plan", "--service-resumed %s: expected "
                                    "YYYY-MM-DD", optarg);
            pa.service_resumed = optarg;
            break;
        }
        case 'C':
            pa.support_contact = optarg;
            break;
        case 'h':
            pa.support_hours = optarg;
            break;
        case 'n':
            pa.dry_run = true;
            break;
        case 'f':
            if (bl_cli_set_format(cli, optarg))
                return 2;
            break;
        default:
            return bl_cli_usage(cli, "messages plan", "%s", plan_usage);
        }
    }
    if (optind != argc || !has_as_of)
        return bl_cli_usage(cli, "messages plan", "--as-of is required\n%s", plan_usage);
    if (pa.promo && (!pa.discount || !has_expires))
        return bl_cli_usage(cli, "messages plan", "--promo needs --discount and --promo-expires");
    if (strchr(pa.to_domain, '@') || strpbrk(pa.to_domain, " <>\r\n"))
        return bl_cli_usage(cli, "messages plan", "--to-domain %s: a domain name", pa.to_domain);
    struct bl_diag d;
    bl_diag_clear(&d);
    return plan_run(cli, &pa, &d);
}

/* ---------------------------------------------------------------- list, show */

static const char *const list_cols[] = {"id",      "state",     "kind",     "order",
                                        "shop",    "customer",  "locale",   "channel",
                                        "recipient", "subject", "attempts", "last_error",
                                        "next_attempt_at"};

struct list_ctx {
    struct bl_out *out;
};

static int list_row(void *vctx, const struct bl_row *r)
{
    struct list_ctx *c = vctx;
    struct bl_val v[13];
    for (size_t i = 0; i < 13; i++)
        v[i] = bl_row_isnull(r, i) ? bl_val_null() : bl_val_text(bl_row_text(r, i));
    v[0] = bl_val_int(bl_row_int(r, 0));
    v[10] = bl_val_int(bl_row_int(r, 10));
    char at[BL_ISO_MAX];
    if (!bl_row_isnull(r, 12))
        v[12] = bl_val_text(bl_str_c(bl_time_format(bl_row_int(r, 12), at)));
    return bl_out_row(c->out, v);
}

#define MSG_SELECT                                                                            \
    "SELECT m.id, m.state, m.kind, o.ext_id, s.ext_id, m.customer, m.locale, m.channel,"      \
    " m.recipient, m.subject, m.attempts, m.last_error, m.next_attempt_at, m.idem, m.body,"    \
    " m.covers, m.created_at, m.approved_at, m.sent_at, m.as_of"                              \
    " FROM message m LEFT JOIN orders o ON o.org_id = m.org_id AND o.id = m.order_id"         \
    " LEFT JOIN shop s ON s.org_id = m.org_id AND s.id = m.shop_id"

static int cmd_list(struct bl_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"state", required_argument, NULL, 's'},
        {"kind", required_argument, NULL, 'k'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    const char *state = "", *kind = "";
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 's')
            state = optarg;
        else if (c == 'k')
            kind = optarg;
        else if (c == 'f') {
            if (bl_cli_set_format(cli, optarg))
                return 2;
        } else
            return bl_cli_usage(cli, "messages list", "usage: messages list [--state S] [--kind K]");
    }
    if (optind != argc)
        return bl_cli_usage(cli, "messages list", "unexpected argument '%s'", argv[optind]);
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_out out;
    bl_out_begin(&out, cli, list_cols, NC(list_cols));
    struct list_ctx lc = {&out};
    struct bl_val p[3] = {bl_val_int(org), bl_val_text(bl_str_c(state)),
                          bl_val_text(bl_str_c(kind))};
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_store_query(st,
                            MSG_SELECT " WHERE m.org_id = $1 AND ($2 = '' OR m.state = $2)"
                                       " AND ($3 = '' OR m.kind = $3) ORDER BY m.id",
                            p, 3, list_row, &lc, &d);
    int erc = bl_out_end(&out);
    bl_store_close(st);
    if (rc)
        return bl_cli_fail(cli, &d);
    return erc ? 1 : 0;
}

struct show_ctx {
    struct bl_cli *cli;
    bool found;
    int rc;
};

static const char *const show_cols[] = {
    "id",     "state",   "kind",     "order",   "shop",   "customer",   "locale",
    "channel", "recipient", "subject", "attempts", "last_error", "next_attempt_at", "idem",
    "body",   "covers",  "created_at", "approved_at", "sent_at", "as_of"};

static int show_row(void *vctx, const struct bl_row *r)
{
    struct show_ctx *c = vctx;
    c->found = true;
    struct bl_val v[20];
    char t[5][BL_ISO_MAX];
    for (size_t i = 0; i < 20; i++)
        v[i] = bl_row_isnull(r, i) ? bl_val_null() : bl_val_text(bl_row_text(r, i));
    v[0] = bl_val_int(bl_row_int(r, 0));
    v[10] = bl_val_int(bl_row_int(r, 10));
    size_t times[] = {12, 16, 17, 18, 19};
    for (size_t k = 0; k < 5; k++)
        if (!bl_row_isnull(r, times[k]))
            v[times[k]] = bl_val_text(bl_str_c(bl_time_format(bl_row_int(r, times[k]), t[k])));
    if (c->cli->format == BL_FMT_TABLE) {
        for (size_t i = 0; i < 20; i++) {
            if (i == 14)
                continue;
            if (v[i].kind == BL_VAL_INT)
                fprintf(c->cli->out, "%-16s %lld\n", show_cols[i], (long long)v[i].i);
            else
                fprintf(c->cli->out, "%-16s %.*s\n", show_cols[i], (int)v[i].s.len,
                        v[i].kind == BL_VAL_NULL ? "" : v[i].s.ptr);
        }
        fprintf(c->cli->out, "\n%.*s", (int)v[14].s.len, v[14].s.ptr);
        return 0;
    }
    struct bl_out out;
    bl_out_begin(&out, c->cli, show_cols, 20);
    c->rc = bl_out_row(&out, v);
    int erc = bl_out_end(&out);
    c->rc = c->rc ? c->rc : erc;
    return 0;
}

static int parse_id(const char *s, int64_t *id)
{
    return bl_str_to_i64(bl_str_c(s), id) == BL_OK && *id > 0 ? 0 : -1;
}

static int cmd_show(struct bl_cli *cli, int argc, char **argv)
{
    int64_t id;
    int i = 1;
    for (; i < argc - 1 && strncmp(argv[i], "--format", 8) == 0; i += 2)
        if (bl_cli_set_format(cli, argv[i + 1]))
            return 2;
    if (i != argc - 1 || parse_id(argv[i], &id))
        return bl_cli_usage(cli, "messages show", "usage: messages show ID (a message id)");
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_val p[2] = {bl_val_int(org), bl_val_int(id)};
    struct show_ctx sc = {cli, false, 0};
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_store_query(st, MSG_SELECT " WHERE m.org_id = $1 AND m.id = $2", p, 2, show_row,
                            &sc, &d);
    bl_store_close(st);
    if (!rc && !sc.found)
        rc = bl_diag_set(&d, BL_ENOTFOUND, "no message %lld", (long long)id);
    if (rc)
        return bl_cli_fail(cli, &d);
    return sc.rc ? 1 : 0;
}

/* ---------------------------------------------------------------- approve, policy */

static int cmd_approve(struct bl_cli *cli, int argc, char **argv)
{
    bool all = false;
    const char *kind = "";
    int64_t id = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--all") == 0)
            all = true;
        else if (strcmp(argv[i], "--kind") == 0 && i + 1 < argc)
            kind = argv[++i];
        else if (id == 0 && parse_id(argv[i], &id) == 0)
            continue;
        else
            return bl_cli_usage(cli, "messages approve",
                                "usage: messages approve ID | --all [--kind K]");
    }
    if (all == (id != 0))
        return bl_cli_usage(cli, "messages approve", "usage: messages approve ID | --all [--kind K]");
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_val p[4] = {bl_val_int(org), bl_val_int(bl_cli_now()), bl_val_int(id),
                          bl_val_text(bl_str_c(kind))};
    int64_t changes = 0;
    int rc = bl_store_exec(st,
                           "UPDATE message SET state = 'approved', approved_at = $2"
                           " WHERE org_id = $1 AND state = 'planned' AND ($3 = 0 OR id = $3)"
                           " AND ($4 = '' OR kind = $4)",
                           p, 4, &changes, &d);
    if (!rc && id && changes == 0) {
        int64_t n = 0;
        struct bl_val q[2] = {bl_val_int(org), bl_val_int(id)};
        rc = bl_store_query_int(st, "SELECT COUNT(*) FROM message WHERE org_id = $1 AND id = $2",
                                q, 2, &n, &d);
        if (!rc)
            rc = n ? bl_diag_set(&d, BL_ECONFLICT, "message %lld is not waiting for approval "
                                 "(see 'ballast messages show %lld')", (long long)id, (long long)id)
                   : bl_diag_set(&d, BL_ENOTFOUND, "no message %lld", (long long)id);
    }
    bl_store_close(st);
    if (rc)
        return bl_cli_fail(cli, &d);
    fprintf(cli->err, "ballast: %lld message(s) approved\n", (long long)changes);
    return 0;
}

static int cmd_policy(struct bl_cli *cli, int argc, char **argv)
{
    if (argc != 1 && argc != 3)
        return bl_cli_usage(cli, "messages policy", "usage: messages policy [KIND on|off]");
    if (argc == 3 && (bl_msg_kind_from_name(argv[1]) == BL_MSG__COUNT ||
                      (strcmp(argv[2], "on") && strcmp(argv[2], "off"))))
        return bl_cli_usage(cli, "messages policy",
                            "KIND is a message kind (late_shipment, late_delivery, out_of_stock, "
                            "compensation_coupon, unshipped_order, promo_code, service_resumed); "
                            "then on (a person approves first) or off");
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = BL_OK;
    if (argc == 3) {
        struct bl_val p[3] = {bl_val_int(org), bl_val_text(bl_str_c(argv[1])),
                              bl_val_int(strcmp(argv[2], "on") == 0)};
        rc = bl_store_exec(st,
                           "INSERT INTO message_policy (org_id, kind, approval) VALUES ($1, $2, $3)"
                           " ON CONFLICT (org_id, kind) DO UPDATE SET approval = excluded.approval",
                           p, 3, NULL, &d);
    }
    bool approval[BL_MSG__COUNT] = {0};
    struct policy_ctx pc = {approval};
    struct bl_val p1 = bl_val_int(org);
    if (!rc)
        rc = bl_store_query(st, "SELECT kind, approval FROM message_policy WHERE org_id = $1", &p1,
                            1, policy_row, &pc, &d);
    bl_store_close(st);
    if (rc)
        return bl_cli_fail(cli, &d);
    static const char *const cols[] = {"kind", "approval"};
    struct bl_out out;
    bl_out_begin(&out, cli, cols, 2);
    for (unsigned k = 0; !rc && k < BL_MSG__COUNT; k++) {
        struct bl_val v[2] = {bl_val_text(bl_str_c(bl_msg_kind_name((enum bl_msg_kind)k))),
                              bl_val_text(bl_str_c(approval[k] ? "required" : "none"))};
        rc = bl_out_row(&out, v);
    }
    int erc = bl_out_end(&out);
    return rc || erc ? 1 : 0;
}

/* ---------------------------------------------------------------- dispatch */

int bl_cmd_send(struct bl_cli *cli, int argc, char **argv); /* cmd_send.c */

int bl_cmd_messages(struct bl_cli *cli, int argc, char **argv)
{
    static const char usage[] = "usage: messages plan|list|show|approve|send|policy ...";
    if (argc < 2)
        return bl_cli_usage(cli, "messages", "%s", usage);
    const char *sub = argv[1];
    if (strcmp(sub, "plan") == 0)
        return cmd_plan(cli, argc - 1, argv + 1);
    if (strcmp(sub, "list") == 0)
        return cmd_list(cli, argc - 1, argv + 1);
    if (strcmp(sub, "show") == 0)
        return cmd_show(cli, argc - 1, argv + 1);
    if (strcmp(sub, "approve") == 0)
        return cmd_approve(cli, argc - 1, argv + 1);
    if (strcmp(sub, "policy") == 0)
        return cmd_policy(cli, argc - 1, argv + 1);
    if (strcmp(sub, "send") == 0)
        return bl_cmd_send(cli, argc - 1, argv + 1);
    return bl_cli_usage(cli, "messages", "unknown subcommand '%s'\n%s", sub, usage);
}
