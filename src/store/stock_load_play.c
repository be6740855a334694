/* stock_load_play.c - the planning snapshot's sales window (imported daily sales, or the
 * orders' when none were: sales_orders.h), its shops and the SKUs each sold, the
 * disruptions, the open actions and the action policy (stock_load_impl.h). */
#include "store/stock_load_impl.h"

#include <stdlib.h>
#include <string.h>

#include "ballast/disruption.h"
#include "ballast/str.h"

/* ---------------------------------------------------------------- sales */

/* Whether the sales come from the orders (the org imported no daily sales), and then
 * those of the window, derived once for the shops' SKUs and the units. */
static int sales_source(struct bl__sl_loader *L)
{
    if (L->sales_asked)
        return BL_OK;
    L->sales_asked = true;
    bool any = false;
    int rc = bl__sales_daily_any(L->st, L->s->org_id, &any, L->d);
    if (!rc && !any) {
        L->from_orders = true;
        rc = bl__sales_from_orders(L->st, L->s->org_id, L->o->as_of - (int64_t)L->o->window,
                                   L->o->as_of, -1, &L->orders, L->d);
    }
    return rc;
}

/* A day's units of SKU sku_id (rows per shop add up); in_stock 0 marks it out of stock. */
static void add_units(struct bl__sl_loader *L, int64_t sku_id, int64_t day, int64_t units, bool out)
{
    ptrdiff_t k = bl__sl_idmap_get(&L->skus, sku_id);
    int64_t off = day - (L->o->as_of - (int64_t)L->o->window);
    if (k < 0 || off < 0 || off >= (int64_t)L->o->window)
        return;
    size_t at = (size_t)k * L->o->window + (size_t)off;
    L->s->units[at] += (double)units;
    if (out)
        L->s->in_stock[at] = false;
}

static int add_market(struct bl__sl_loader *L, int64_t sku_id, struct bl_str currency)
{
    ptrdiff_t k = bl__sl_idmap_get(&L->skus, sku_id);
    return k < 0 ? 0 : bl_store_market_add(&L->s->arena, &L->s->market[k], currency);
}

static int sales_row(void *ctx, const struct bl_row *r)
{
    add_units(ctx, bl_row_int(r, 0), bl_row_int(r, 1), bl_row_int(r, 2),
              !bl_row_isnull(r, 3) && bl_row_int(r, 3) == 0);
    return 0;
}

static int market_row(void *ctx, const struct bl_row *r)
{
    return add_market(ctx, bl_row_int(r, 0), bl_row_text(r, 1));
}

int bl__sl_load_sales(struct bl__sl_loader *L)
{
    struct bl_stock_snap *s = L->s;
    size_t cells = s->nskus * L->o->window;
    s->window = L->o->window;
    s->first_day = L->o->as_of - (int64_t)L->o->window;
    s->units = bl_calloc(cells ? cells : 1, sizeof(double));
    s->in_stock = bl_malloc(cells ? cells : 1);
    if (!s->units || !s->in_stock)
        return bl_diag_set(L->d, BL_ENOMEM, "loading sales: out of memory");
    memset(s->in_stock, 1, cells);
    s->market = bl__sl_zalloc(s, s->nskus, sizeof(*s->market));
    int rc = s->market ? sales_source(L) : BL_ENOMEM;
    if (rc || L->from_orders) {
        /* each SKU's markets: those of the shops that sold it in the window */
        for (size_t i = 0; !rc && i < L->orders.n; i++) {
            const struct bl__sale *x = &L->orders.v[i];
            add_units(L, x->sku_id, x->day, x->units, false);
            rc = add_market(L, x->sku_id, bl_str_c(x->currency));
        }
        return rc;
    }
    struct bl_val p[3] = {bl_val_int(s->org_id), bl_val_int(L->o->as_of - (int64_t)L->o->window),
                          bl_val_int(L->o->as_of)};
    rc = bl_store_query(L->st,
                        "SELECT sku_id, day, units, in_stock FROM sales_daily "
                        "WHERE org_id = $1 AND day >= $2 AND day < $3",
                        p, 3, sales_row, L, L->d);
    /* each SKU's markets: those of the shops that sold it in the window */
    return rc ? rc
              : bl_store_query(L->st,
                               "SELECT DISTINCT s.sku_id, sh.currency FROM sales_daily s"
                               " JOIN shop sh ON sh.org_id = s.org_id AND sh.id = s.shop_id"
                               " WHERE s.org_id = $1 AND s.day >= $2 AND s.day < $3",
                               p, 3, market_row, L, L->d);
}

/* ---------------------------------------------------------------- shops, disruptions, actions */

static int shop_row(void *ctx, const struct bl_row *r)
{
    struct bl__sl_loader *L = ctx;
    struct bl_stock_snap *s = L->s;
    int64_t id = bl_row_int(r, 0);
    if (L->cursor >= s->nshops || id < 0 || id > L->shops.max)
        return 0;
    size_t j = L->cursor++;
    s->shop_id[j] = id;
    L->shops.idx[id] = (int32_t)j;
    s->shop_ext[j] = bl__sl_dup_text(s, r, 1);
    s->shops[j].id = s->shop_ext[j];
    s->shops[j].merchant = bl_str_eq_c(bl_row_text(r, 2), "merchant");
    s->shops[j].vacation = bl_row_int(r, 3) != 0;
    return s->shop_ext[j] ? 0 : BL_ENOMEM;
}

struct shop_skus {
    struct bl__sl_loader *L;
    size_t *all;
    size_t n, cap;
    size_t *first; /* per shop */
};

/* Shop shop_id sells SKU sku_id: called in order of shop. */
static int add_shop_sku(struct shop_skus *x, int64_t shop_id, int64_t sku_id)
{
    ptrdiff_t j = bl__sl_idmap_get(&x->L->shops, shop_id);
    ptrdiff_t k = bl__sl_idmap_get(&x->L->skus, sku_id);
    if (j < 0 || k < 0)
        return 0;
    if (bl_grow((void **)&x->all, &x->cap, x->n + 1, sizeof(*x->all)))
        return BL_ENOMEM;
    struct bl_pb_shop *sh = &x->L->s->shops[j];
    if (!sh->nskus)
        x->first[j] = x->n;
    sh->nskus++;
    x->all[x->n++] = (size_t)k;
    return 0;
}

static int shop_sku_row(void *ctx, const struct bl_row *r)
{
    return add_shop_sku(ctx, bl_row_int(r, 0), bl_row_int(r, 1));
}

static int cmp_shop_sku(const void *va, const void *vb)
{
    const int64_t *a = va, *b = vb;
    return a[0] != b[0] ? (a[0] < b[0] ? -1 : 1) : (a[1] < b[1] ? -1 : a[1] > b[1]);
}

/* The shop-SKU pairs of the sales from the orders, in order of shop. */
static int shop_skus_from_orders(struct shop_skus *x)
{
    const struct bl__sales *o = &x->L->orders;
    int64_t(*pair)[2] = bl_calloc(o->n ? o->n : 1, sizeof(*pair));
    if (!pair)
        return BL_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < o->n; i++) /* ordered by SKU, then shop */
        if (!n || pair[n - 1][0] != o->v[i].shop_id || pair[n - 1][1] != o->v[i].sku_id) {
            pair[n][0] = o->v[i].shop_id;
            pair[n++][1] = o->v[i].sku_id;
        }
    qsort(pair, n, sizeof(*pair), cmp_shop_sku);
    int rc = BL_OK;
    for (size_t i = 0; !rc && i < n; i++)
        rc = add_shop_sku(x, pair[i][0], pair[i][1]);
    bl_free(pair);
    return rc;
}

static int dis_row(void *ctx, const struct bl_row *r)
{
    struct bl__sl_loader *L = ctx;
    struct bl_stock_snap *s = L->s;
    if (L->cursor >= s->ndis)
        return 0;
    struct bl_rp_disruption *x = &s->dis[L->cursor];
    x->region = bl__sl_dup_text(s, r, 0);
    s->dis_kind[L->cursor] = bl__sl_dup_text(s, r, 2);
    if (!x->region || !s->dis_kind[L->cursor])
        return BL_ENOMEM;
    struct bl_str sc = bl_row_text(r, 1);
    x->scope = bl_str_eq_c(sc, "destination") ? BL_RP_DESTINATION
               : bl_str_eq_c(sc, "both")      ? BL_RP_BOTH
                                              : BL_RP_ORIGIN;
    x->channel_only = !bl_row_isnull(r, 3) && bl_row_text(r, 3).len > 0;
    x->supplier = -1;
    if (!bl_row_isnull(r, 4) && bl_row_text(r, 4).len > 0) {
        struct bl_str ext = bl_row_text(r, 4);
        for (size_t j = 0; j < s->nsup; j++)
            if (bl_str_eq_c(ext, s->sup_ext[j]))
                x->supplier = (ptrdiff_t)j;
        if (x->supplier < 0)
            return 0; /* a supplier we do not know */
    }
    int64_t start = bl_row_int(r, 5);
    int64_t end = bl_row_isnull(r, 6) ? INT64_MAX : bl_row_int(r, 6);
    if (end >= INT64_C(253402300799)) /* 9999-12-31T23:59:59Z: until further notice */
        end = INT64_MAX;
    if (!bl_row_isnull(r, 7) && bl_row_int(r, 7) < end)
        end = bl_row_int(r, 7);
    x->start_day = bl__sl_floor_day(start);
    /* an end inside a day still disrupts that day */
    x->end_day = end == INT64_MAX || bl_dis_open_end(end) ? BL_RP_NEVER : bl__sl_floor_day(end - 1) + 1;
    if (x->end_day <= x->start_day)
        return 0;
    L->cursor++;
    return 0;
}

static int open_row(void *ctx, const struct bl_row *r)
{
    struct bl__sl_loader *L = ctx;
    struct bl_stock_snap *s = L->s;
    if (L->cursor >= s->nopen)
        return 0;
    char buf[40];
    enum bl_pb_kind kind;
    if (bl_pb_kind_parse(bl_str_copy(buf, sizeof(buf), bl_row_text(r, 1)), &kind) ||
        kind == BL_PB_PURCHASE_ORDER || kind == BL_PB_TRANSFER || kind == BL_PB_REROUTE)
        return 0; /* a purchase order or transfer decided is done, a reroute the router's */
    ptrdiff_t t = kind == BL_PB_VACATION ? bl__sl_idmap_get(&L->shops, bl_row_int(r, 2))
                                         : bl__sl_idmap_get(&L->skus, bl_row_int(r, 2));
    if (t < 0)
        return 0;
    struct bl_pb_open *o = &s->open[L->cursor++];
    o->id = bl_row_int(r, 0);
    o->kind = kind;
    o->target = (size_t)t;
    o->state = bl_str_eq_c(bl_row_text(r, 3), "applied") ? BL_PB_APPLIED : BL_PB_PROPOSED;
    o->before = bl_row_int(r, 4);
    o->after = bl_row_int(r, 5);
    o->until = bl_row_int_or(r, 6, BL_RP_NEVER);
    if (kind == BL_PB_PAUSE_MAIL && o->state == BL_PB_APPLIED)
        s->pb_skus[t].mail_paused = true;
    return 0;
}

static int policy_row(void *ctx, const struct bl_row *r)
{
    struct bl_stock_snap *s = ctx;
    char buf[40];
    enum bl_pb_kind kind;
    if (bl_pb_kind_parse(bl_str_copy(buf, sizeof(buf), bl_row_text(r, 0)), &kind) == BL_OK) {
        s->policy_set[kind] = true;
        s->policy_mode[kind] =
            bl_str_eq_c(bl_row_text(r, 1), "apply") ? BL_PB_APPLY : BL_PB_PROPOSE;
    }
    return 0;
}

int bl__sl_load_playbook_inputs(struct bl__sl_loader *L)
{
    struct bl_stock_snap *s = L->s;
    struct bl_val p = bl_val_int(s->org_id);
    struct bl__sl_count c;
    int rc = bl__sl_count_table(L, "shop", &c);
    if (rc)
        return rc;
    s->nshops = (size_t)c.count;
    if ((rc = bl__sl_idmap_init(&L->shops, &c, "shop", L->d)))
        return rc;
    s->shop_id = bl__sl_zalloc(s, s->nshops, sizeof(*s->shop_id));
    s->shop_ext = bl__sl_zalloc(s, s->nshops, sizeof(*s->shop_ext));
    s->shops = bl__sl_zalloc(s, s->nshops, sizeof(*s->shops));
    if (!s->shop_id || !s->shop_ext || !s->shops)
        return BL_ENOMEM;
    L->cursor = 0;
    rc =
        bl_store_query(L->st, "SELECT id, ext_id, fulfilment, vacation FROM shop WHERE org_id = $1",
                       &p, 1, shop_row, L, L->d);
    s->nshops = L->cursor;
    if (rc)
        return rc;
    struct shop_skus x = {L, NULL, 0, 0, bl__sl_zalloc(s, s->nshops, sizeof(size_t))};
    if (!x.first)
        return BL_ENOMEM;
    /* the SKUs a shop sells: those it sold in the forecast window */
    struct bl_val pw[3] = {p, bl_val_int(L->o->as_of - (int64_t)L->o->window),
                           bl_val_int(L->o->as_of)};
    rc = sales_source(L);
    if (!rc && L->from_orders)
        rc = shop_skus_from_orders(&x);
    else if (!rc)
        rc = bl_store_query(L->st,
                            "SELECT DISTINCT shop_id, sku_id FROM sales_daily WHERE org_id = $1 "
                            "AND day >= $2 AND day < $3 ORDER BY shop_id, sku_id",
                            pw, 3, shop_sku_row, &x, L->d);
    if (!rc && x.n) {
        size_t *all = bl__sl_zalloc(s, x.n, sizeof(*all));
        if (!all)
            rc = BL_ENOMEM;
        else
            memcpy(all, x.all, x.n * sizeof(*all));
        for (size_t j = 0; !rc && j < s->nshops; j++)
            if (s->shops[j].nskus)
                s->shops[j].skus = all + x.first[j];
    }
    bl_free(x.all);
    if (rc)
        return rc;

    int64_t n = 0;
    rc = bl_store_query_int(L->st,
                            "SELECT COUNT(*) FROM action WHERE org_id = $1 AND "
                            "state IN ('proposed', 'applied', 'rejected', 'undone')",
                            &p, 1, &n, L->d);
    if (rc)
        return rc;
    s->nopen = (size_t)n;
    s->open = bl__sl_zalloc(s, s->nopen, sizeof(*s->open));
    if (!s->open)
        return BL_ENOMEM;
    L->cursor = 0;
    rc = bl_store_query(
        L->st,
        "SELECT id, kind, target_id, state, before_val, after_val, until_day FROM action "
        "WHERE org_id = $1 AND state IN ('proposed', 'applied', 'rejected', 'undone') "
        "ORDER BY id",
        &p, 1, open_row, L, L->d);
    s->nopen = L->cursor;
    if (!rc)
        rc = bl_store_query(L->st, "SELECT kind, mode FROM action_policy WHERE org_id = $1", &p, 1,
                            policy_row, s, L->d);
    return rc;
}

int bl__sl_load_disruptions(struct bl__sl_loader *L)
{
    struct bl_stock_snap *s = L->s;
    struct bl_val p = bl_val_int(s->org_id);
    struct bl__sl_count c;
    int rc = bl__sl_count_table(L, "disruption", &c);
    if (rc)
        return rc;
    s->ndis = (size_t)c.count;
    s->dis = bl__sl_zalloc(s, s->ndis, sizeof(*s->dis));
    s->dis_kind = bl__sl_zalloc(s, s->ndis, sizeof(*s->dis_kind));
    if (!s->dis || !s->dis_kind)
        return BL_ENOMEM;
    L->cursor = 0;
    rc = bl_store_query(L->st,
                        "SELECT region, scope, kind, channel, supplier, starts_at, ends_at, "
                        "lifted_at FROM disruption WHERE org_id = $1",
                        &p, 1, dis_row, L, L->d);
    s->ndis = L->cursor;
    return rc;
}
