/* stock_load.c - loading one organisation's planning snapshot (stock.h): SKUs,
 * warehouses, suppliers, stock, inbound, disruptions, shops, open actions, the action
 * policy and the sales window, in the engine's types. */
#include "store/stock.h"

#include <stdlib.h>
#include <string.h>

#include "ballast/disruption.h"
#include "ballast/num.h"
#include "ballast/region.h"
#include "ballast/str.h"
#include "store/sales_orders.h"

#define DAY_SECS 86400

static int64_t floor_day(int64_t t)
{
    return t >= 0 ? t / DAY_SECS : -((-t + DAY_SECS - 1) / DAY_SECS);
}

/* ---------------------------------------------------------------- id maps */

struct count_max {
    int64_t count, max;
};

struct idmap {
    int64_t max;
    int32_t *idx; /* idx[id] = index or -1, ids 0..max */
};

/* ids 0..max (max from the table: a hand-edited id of 2^62 asks for more memory than
 * there is, and is BL_ENOMEM, never a short array); count rows fit an int32 index. */
static int idmap_init(struct idmap *m, const struct count_max *c, const char *table,
                      struct bl_diag *d)
{
    size_t n;
    m->max = c->max < 0 ? 0 : c->max;
    m->idx = NULL;
    if (c->count <= INT32_MAX && bl_i64_to_size(m->max, &n) && n < SIZE_MAX)
        m->idx = bl_calloc(n + 1, sizeof(*m->idx));
    if (!m->idx)
        return bl_diag_set(d, BL_ENOMEM,
                           "loading table %s: %lld rows with ids up to %lld: out of memory", table,
                           (long long)c->count, (long long)m->max);
    memset(m->idx, 0xff, (n + 1) * sizeof(*m->idx));
    return BL_OK;
}

static ptrdiff_t idmap_get(const struct idmap *m, int64_t id)
{
    return id >= 0 && id <= m->max ? m->idx[id] : -1;
}

struct loader {
    struct bl_stock_snap *s;
    struct bl_store *st;
    const struct bl_stock_load_opts *o;
    struct bl_diag *d;
    struct idmap skus, whs, sups, shops;
    /* rows gathered before the per-SKU pointers are set */
    struct bl_rp_stock *stock;
    size_t *stock_sku;
    size_t nstock, stock_cap, stock_sku_cap;
    struct bl_rp_inbound *inb;
    size_t *inb_sku;
    size_t ninb, inb_cap, inb_sku_cap;
    const char **inb_po; /* per inb row: its PO number (arena), its supplier */
    ptrdiff_t *inb_sup;
    size_t inb_po_cap, inb_sup_cap;
    const char **backup; /* suppliers' backup_for ext ids, resolved after loading */
    size_t cursor;       /* rows seen by the current callback */
    int rc;
    /* no daily sales imported: the window's sales from the orders (sales_orders.h) */
    bool sales_asked, from_orders;
    struct bl__sales orders;
};

static const char *dup_text(struct bl_stock_snap *s, const struct bl_row *r, size_t col)
{
    struct bl_str t = bl_row_text(r, col);
    return bl_arena_strndup(&s->arena, t.ptr, t.len);
}

static void *arena_zalloc(struct bl_stock_snap *s, size_t n, size_t size)
{
    if (n == 0)
        n = 1;
    if (size && n > SIZE_MAX / size)
        return NULL;
    void *p = bl_arena_alloc(&s->arena, n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

static int count_row(void *ctx, const struct bl_row *r)
{
    struct count_max *c = ctx;
    c->count = bl_row_int(r, 0);
    c->max = bl_row_int(r, 1);
    return 0;
}

static int count_table(struct loader *L, const char *table, struct count_max *c)
{
    char sql[160];
    snprintf(sql, sizeof(sql), "SELECT COUNT(*), COALESCE(MAX(id), 0) FROM %s WHERE org_id = $1",
             table);
    struct bl_val p = bl_val_int(L->s->org_id);
    memset(c, 0, sizeof(*c));
    return bl_store_query(L->st, sql, &p, 1, count_row, c, L->d);
}

/* ---------------------------------------------------------------- SKUs */

static int sku_row(void *ctx, const struct bl_row *r)
{
    struct loader *L = ctx;
    struct bl_stock_snap *s = L->s;
    size_t k = L->cursor;
    if (k >= s->nskus)
        return 0; /* rows added since the count: next run */
    int64_t id = bl_row_int(r, 0);
    if (id < 0 || id > L->skus.max)
        return 0;
    L->cursor++;
    s->sku_id[k] = id;
    L->skus.idx[id] = (int32_t)k;
    s->sku_ext[k] = dup_text(s, r, 1);
    char buf[32];
    int64_t listing = BL_PB_ACTIVE;
    if (bl_pb_listing_parse(bl_str_copy(buf, sizeof(buf), bl_row_text(r, 2)), &listing))
        listing = BL_PB_INACTIVE;
    s->pb_skus[k].listing = listing;
    s->pb_skus[k].promoted = bl_row_int(r, 3) != 0;
    s->pb_skus[k].handling_max = bl_row_int(r, 4);
    s->review_passed[k] = bl_str_eq_c(bl_row_text(r, 5), "passed");
    s->sku_cur[k] = bl_row_isnull(r, 7) ? NULL : dup_text(s, r, 7);
    s->promo_spend[k] = bl_row_isnull(r, 6) || !s->sku_cur[k] ? BL_STOCK_NULL : bl_row_int(r, 6);
    s->rp_skus[k].supplier = -1;
    s->rp_skus[k].price_review_passed = s->review_passed[k];
    s->rp_skus[k].id = s->sku_ext[k];
    s->pb_skus[k].id = s->sku_ext[k];
    return s->sku_ext[k] ? 0 : BL_ENOMEM;
}

static int load_skus(struct loader *L)
{
    struct bl_stock_snap *s = L->s;
    struct count_max c;
    int rc = count_table(L, "sku", &c);
    if (rc)
        return rc;
    s->nskus = (size_t)c.count;
    if ((rc = idmap_init(&L->skus, &c, "sku", L->d)))
        return rc;
    s->sku_id = arena_zalloc(s, s->nskus, sizeof(*s->sku_id));
    s->sku_ext = arena_zalloc(s, s->nskus, sizeof(*s->sku_ext));
    s->review_passed = arena_zalloc(s, s->nskus, sizeof(*s->review_passed));
    s->promo_spend = arena_zalloc(s, s->nskus, sizeof(*s->promo_spend));
    s->sku_cur = arena_zalloc(s, s->nskus, sizeof(*s->sku_cur));
    s->pb_skus = arena_zalloc(s, s->nskus, sizeof(*s->pb_skus));
    s->rp_skus = arena_zalloc(s, s->nskus, sizeof(*s->rp_skus));
    s->sup_from = arena_zalloc(s, s->nskus, sizeof(*s->sup_from));
    if (!s->sku_id || !s->sku_ext || !s->review_passed || !s->pb_skus || !s->rp_skus ||
        !s->sup_from || !s->promo_spend || !s->sku_cur)
        return bl_diag_set(L->d, BL_ENOMEM, "loading SKUs: out of memory");
    struct bl_val p = bl_val_int(s->org_id);
    L->cursor = 0;
    rc = bl_store_query(L->st,
                        "SELECT id, ext_id, listing, promoted, handling_max, price_review, "
                        "promo_spend, currency FROM sku "
                        "WHERE org_id = $1 ORDER BY id",
                        &p, 1, sku_row, L, L->d);
    s->nskus = L->cursor;
    return rc == BL_ENOMEM ? bl_diag_set(L->d, BL_ENOMEM, "loading SKUs: out of memory") : rc;
}

/* ---------------------------------------------------------------- warehouses, suppliers */

static int wh_row(void *ctx, const struct bl_row *r)
{
    struct loader *L = ctx;
    struct bl_stock_snap *s = L->s;
    int64_t id = bl_row_int(r, 0);
    if (L->cursor >= s->nwh || id < 0 || id > L->whs.max)
        return 0;
    size_t w = L->cursor++;
    s->wh_id[w] = id;
    L->whs.idx[id] = (int32_t)w;
    s->wh_ext[w] = dup_text(s, r, 1);
    s->wh_region[w] = dup_text(s, r, 2);
    return s->wh_ext[w] && s->wh_region[w] ? 0 : BL_ENOMEM;
}

static int sup_row(void *ctx, const struct bl_row *r)
{
    struct loader *L = ctx;
    struct bl_stock_snap *s = L->s;
    int64_t id = bl_row_int(r, 0);
    if (L->cursor >= s->nsup || id < 0 || id > L->sups.max)
        return 0;
    size_t j = L->cursor++;
    s->sup_id[j] = id;
    L->sups.idx[id] = (int32_t)j;
    s->sup_ext[j] = dup_text(s, r, 1);
    s->sup_name[j] = dup_text(s, r, 9);
    struct bl_rp_supplier *sp = &s->sup[j];
    sp->id = s->sup_ext[j];
    sp->region = dup_text(s, r, 2);
    sp->lead_days = bl_row_int(r, 3);
    sp->lead_days_max = bl_row_int(r, 4);
    sp->moq = bl_row_int(r, 5) < 1 ? 1 : bl_row_int(r, 5);
    sp->case_pack = bl_row_int(r, 6) < 1 ? 1 : bl_row_int(r, 6);
    struct bl_str st = bl_row_text(r, 7);
    sp->state = bl_str_eq_c(st, "closed")     ? BL_RP_SUP_CLOSED
                : bl_str_eq_c(st, "shutdown") ? BL_RP_SUP_SHUTDOWN
                                              : BL_RP_SUP_ACTIVE;
    /* backup_for is resolved once every supplier is known; keep the text here */
    sp->backup_for = -1;
    if (!bl_row_isnull(r, 8)) {
        const char *b = dup_text(s, r, 8);
        if (!b)
            return BL_ENOMEM;
        L->backup[j] = b;
    }
    return s->sup_ext[j] && s->sup_name[j] && sp->region ? 0 : BL_ENOMEM;
}

static int load_wh_sup(struct loader *L)
{
    struct bl_stock_snap *s = L->s;
    struct bl_val p = bl_val_int(s->org_id);
    struct count_max c;
    int rc = count_table(L, "warehouse", &c);
    if (rc)
        return rc;
    s->nwh = (size_t)c.count;
    if ((rc = idmap_init(&L->whs, &c, "warehouse", L->d)))
        return rc;
    s->wh_id = arena_zalloc(s, s->nwh, sizeof(*s->wh_id));
    s->wh_ext = arena_zalloc(s, s->nwh, sizeof(*s->wh_ext));
    s->wh_region = arena_zalloc(s, s->nwh, sizeof(*s->wh_region));
    if (!s->wh_id || !s->wh_ext || !s->wh_region)
        return BL_ENOMEM;
    L->cursor = 0;
    rc = bl_store_query(L->st, "SELECT id, ext_id, region FROM warehouse WHERE org_id = $1", &p, 1,
                        wh_row, L, L->d);
    s->nwh = L->cursor;
    if (rc)
        return rc;

    if ((rc = count_table(L, "supplier", &c)))
        return rc;
    s->nsup = (size_t)c.count;
    if ((rc = idmap_init(&L->sups, &c, "supplier", L->d)))
        return rc;
    s->sup_id = arena_zalloc(s, s->nsup, sizeof(*s->sup_id));
    s->sup_ext = arena_zalloc(s, s->nsup, sizeof(*s->sup_ext));
    s->sup = arena_zalloc(s, s->nsup, sizeof(*s->sup));
    s->sup_name = arena_zalloc(s, s->nsup, sizeof(*s->sup_name));
    const char **backup = arena_zalloc(s, s->nsup, sizeof(*backup));
    if (!s->sup_id || !s->sup_ext || !s->sup || !s->sup_name || !backup)
        return BL_ENOMEM;
    L->backup = backup;
    L->cursor = 0;
    rc = bl_store_query(L->st,
                        "SELECT id, ext_id, region, lead_days, lead_days_max, moq, case_pack, "
                        "state, backup_for, name FROM supplier WHERE org_id = $1",
                        &p, 1, sup_row, L, L->d);
    s->nsup = L->cursor;
    if (rc)
        return rc;
    for (size_t j = 0; j < s->nsup; j++) {
        if (s->sup[j].lead_days_max < s->sup[j].lead_days)
            s->sup[j].lead_days_max = s->sup[j].lead_days;
        if (!backup[j])
            continue;
        for (size_t i = 0; i < s->nsup; i++)
            if (i != j && strcmp(s->sup_ext[i], backup[j]) == 0)
                s->sup[j].backup_for = (ptrdiff_t)i;
    }
    return BL_OK;
}

/* ---------------------------------------------------------------- stock, inbound */

static int stock_row(void *ctx, const struct bl_row *r)
{
    struct loader *L = ctx;
    ptrdiff_t k = idmap_get(&L->skus, bl_row_int(r, 0));
    ptrdiff_t w = idmap_get(&L->whs, bl_row_int(r, 1));
    if (k < 0 || w < 0)
        return 0;
    if (bl_grow((void **)&L->stock, &L->stock_cap, L->nstock + 1, sizeof(*L->stock)) ||
        bl_grow((void **)&L->stock_sku, &L->stock_sku_cap, L->nstock + 1, sizeof(size_t)))
        return BL_ENOMEM;
    L->stock[L->nstock] = (struct bl_rp_stock){(size_t)w, bl_row_int(r, 2), bl_row_int(r, 3)};
    L->stock_sku[L->nstock++] = (size_t)k;
    return 0;
}

static int inbound_row(void *ctx, const struct bl_row *r)
{
    struct loader *L = ctx;
    ptrdiff_t k = idmap_get(&L->skus, bl_row_int(r, 0));
    ptrdiff_t w = idmap_get(&L->whs, bl_row_int(r, 1));
    if (k < 0 || w < 0)
        return 0;
    if (bl_grow((void **)&L->inb, &L->inb_cap, L->ninb + 1, sizeof(*L->inb)) ||
        bl_grow((void **)&L->inb_sku, &L->inb_sku_cap, L->ninb + 1, sizeof(size_t)) ||
        bl_grow((void **)&L->inb_po, &L->inb_po_cap, L->ninb + 1, sizeof(*L->inb_po)) ||
        bl_grow((void **)&L->inb_sup, &L->inb_sup_cap, L->ninb + 1, sizeof(*L->inb_sup)) ||
        !(L->inb_po[L->ninb] = dup_text(L->s, r, 4)))
        return BL_ENOMEM;
    L->inb_sup[L->ninb] = bl_row_isnull(r, 5) ? -1 : idmap_get(&L->sups, bl_row_int(r, 5));
    L->inb[L->ninb] =
        (struct bl_rp_inbound){(size_t)w, bl_row_int(r, 2), floor_day(bl_row_int(r, 3))};
    L->inb_sku[L->ninb++] = (size_t)k;
    return 0;
}

static int primary_row(void *ctx, const struct bl_row *r)
{
    struct loader *L = ctx;
    ptrdiff_t k = idmap_get(&L->skus, bl_row_int(r, 0));
    ptrdiff_t j = idmap_get(&L->sups, bl_row_int(r, 1));
    if (k >= 0 && j >= 0)
        L->s->rp_skus[k].supplier = j; /* ordered by time: the latest wins */
    return 0;
}

/* Groups rows (already ordered by SKU) into per-SKU slices, copying into the arena. */
static int attach_rows(struct loader *L)
{
    struct bl_stock_snap *s = L->s;
    struct bl_rp_stock *stock = arena_zalloc(s, L->nstock, sizeof(*stock));
    struct bl_rp_inbound *inb = arena_zalloc(s, L->ninb, sizeof(*inb));
    const char **inb_po = arena_zalloc(s, L->ninb, sizeof(*inb_po));
    ptrdiff_t *inb_sup = arena_zalloc(s, L->ninb, sizeof(*inb_sup));
    if (!stock || ((!inb || !inb_po || !inb_sup) && L->ninb))
        return BL_ENOMEM;
    if (L->ninb) {
        memcpy(inb_po, L->inb_po, L->ninb * sizeof(*inb_po));
        memcpy(inb_sup, L->inb_sup, L->ninb * sizeof(*inb_sup));
    }
    s->inb = inb;
    s->inb_po = inb_po;
    s->inb_sup = inb_sup;
    if (L->nstock)
        memcpy(stock, L->stock, L->nstock * sizeof(*stock));
    if (L->ninb)
        memcpy(inb, L->inb, L->ninb * sizeof(*inb));
    for (size_t i = 0; i < L->nstock; i++) {
        struct bl_rp_sku *sk = &s->rp_skus[L->stock_sku[i]];
        if (!sk->nstock)
            sk->stock = &stock[i];
        sk->nstock++;
    }
    for (size_t i = 0; i < L->ninb; i++) {
        struct bl_rp_sku *sk = &s->rp_skus[L->inb_sku[i]];
        if (!sk->ninbound)
            sk->inbound = &inb[i];
        sk->ninbound++;
    }
    /* ship-from regions: the warehouses holding available stock */
    for (size_t k = 0; k < s->nskus; k++) {
        const struct bl_rp_sku *sk = &s->rp_skus[k];
        if (!sk->nstock)
            continue;
        const char **reg = arena_zalloc(s, sk->nstock, sizeof(*reg));
        if (!reg)
            return BL_ENOMEM;
        size_t n = 0;
        for (size_t i = 0; i < sk->nstock; i++)
            if (sk->stock[i].on_hand - sk->stock[i].reserved > 0)
                reg[n++] = s->wh_region[sk->stock[i].warehouse];
        s->pb_skus[k].regions = reg;
        s->pb_skus[k].nregions = n;
    }
    return BL_OK;
}

/* ---------------------------------------------------------------- a SKU's suppliers */

struct src_ctx {
    struct loader *L;
    struct bl_rp_source *v;
    size_t *sku, n, cap, scap;
};

static int source_row(void *ctx, const struct bl_row *r)
{
    struct src_ctx *c = ctx;
    ptrdiff_t k = idmap_get(&c->L->skus, bl_row_int(r, 0));
    ptrdiff_t j = idmap_get(&c->L->sups, bl_row_int(r, 1));
    if (k < 0 || j < 0)
        return 0;
    if (bl_grow((void **)&c->v, &c->cap, c->n + 1, sizeof(*c->v)) ||
        bl_grow((void **)&c->sku, &c->scap, c->n + 1, sizeof(*c->sku)))
        return BL_ENOMEM;
    struct bl_rp_source *x = &c->v[c->n];
    memset(x, 0, sizeof(*x));
    x->supplier = j;
    x->moq = bl_row_int_or(r, 2, 0);
    x->unit_cost = bl_row_int_or(r, 3, -1);
    bl_str_copy(x->currency, sizeof(x->currency), bl_row_text(r, 4));
    c->sku[c->n++] = (size_t)k;
    return 0;
}

/* sku_supplier rows, by SKU then rank, into each SKU's sources (they come first). */
static int load_sources(struct loader *L)
{
    struct bl_stock_snap *s = L->s;
    struct src_ctx c = {L, NULL, NULL, 0, 0, 0};
    struct bl_val p = bl_val_int(s->org_id);
    int rc = bl_store_query(L->st,
                            "SELECT sku_id, supplier_id, moq, unit_cost, currency FROM sku_supplier"
                            " WHERE org_id = $1 ORDER BY sku_id, rank",
                            &p, 1, source_row, &c, L->d);
    struct bl_rp_source *all = rc ? NULL : arena_zalloc(s, c.n, sizeof(*all));
    if (!rc && !all)
        rc = BL_ENOMEM;
    if (!rc && c.n)
        memcpy(all, c.v, c.n * sizeof(*all));
    for (size_t i = 0; !rc && i < c.n; i++) {
        struct bl_rp_sku *sk = &s->rp_skus[c.sku[i]];
        if (!sk->nsources)
            sk->sources = &all[i];
        sk->nsources++;
        s->sup_from[c.sku[i]] = BL_STOCK_SUP_LISTED;
    }
    bl_free(c.v);
    bl_free(c.sku);
    return rc;
}

static int load_stock(struct loader *L)
{
    struct bl_stock_snap *s = L->s;
    struct bl_val p[2] = {bl_val_int(s->org_id), bl_val_int(L->o->as_of * DAY_SECS)};
    int rc = bl_store_query(L->st,
                            "SELECT sku_id, warehouse_id, on_hand, reserved FROM stock "
                            "WHERE org_id = $1 ORDER BY sku_id",
                            p, 1, stock_row, L, L->d);
    if (!rc)
        rc = bl_store_query(L->st,
                            "SELECT sku_id, warehouse_id, qty, eta, ext_id, supplier_id FROM "
                            "inbound WHERE org_id = $1 "
                            "AND state = 'open' AND (ordered_at IS NULL OR ordered_at < $2) "
                            "ORDER BY sku_id",
                            p, 2, inbound_row, L, L->d);
    if (!rc)
        rc = bl_store_query(
            L->st,
            "SELECT sku_id, supplier_id FROM inbound WHERE org_id = $1 "
            "AND supplier_id IS NOT NULL AND (ordered_at IS NULL OR ordered_at < $2) "
            "ORDER BY sku_id, COALESCE(ordered_at, eta), id",
            p, 2, primary_row, L, L->d);
    for (size_t k = 0; !rc && k < s->nskus; k++)
        s->sup_from[k] = s->rp_skus[k].supplier >= 0 ? BL_STOCK_SUP_PO : BL_STOCK_SUP_NONE;
    if (!rc)
        rc = load_sources(L);
    if (!rc && L->o->default_supplier) {
        ptrdiff_t def = -1;
        for (size_t j = 0; j < s->nsup; j++)
            if (strcmp(s->sup_ext[j], L->o->default_supplier) == 0)
                def = (ptrdiff_t)j;
        if (def < 0)
            return bl_diag_set(L->d, BL_ENOTFOUND, "--default-supplier %s: no such supplier",
                               L->o->default_supplier);
        for (size_t k = 0; k < s->nskus; k++)
            if (s->sup_from[k] == BL_STOCK_SUP_NONE) {
                s->rp_skus[k].supplier = def;
                s->sup_from[k] = BL_STOCK_SUP_DEFAULT;
            }
    }
    if (!rc)
        rc = attach_rows(L);
    return rc;
}

/* ---------------------------------------------------------------- sales */

/* Whether the sales come from the orders (the org imported no daily sales), and then
 * those of the window, derived once for the shops' SKUs and the units. */
static int sales_source(struct loader *L)
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
static void add_units(struct loader *L, int64_t sku_id, int64_t day, int64_t units, bool out)
{
    ptrdiff_t k = idmap_get(&L->skus, sku_id);
    int64_t off = day - (L->o->as_of - (int64_t)L->o->window);
    if (k < 0 || off < 0 || off >= (int64_t)L->o->window)
        return;
    size_t at = (size_t)k * L->o->window + (size_t)off;
    L->s->units[at] += (double)units;
    if (out)
        L->s->in_stock[at] = false;
}

static int add_market(struct loader *L, int64_t sku_id, struct bl_str currency)
{
    ptrdiff_t k = idmap_get(&L->skus, sku_id);
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

static int load_sales(struct loader *L)
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
    s->market = arena_zalloc(s, s->nskus, sizeof(*s->market));
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
    struct loader *L = ctx;
    struct bl_stock_snap *s = L->s;
    int64_t id = bl_row_int(r, 0);
    if (L->cursor >= s->nshops || id < 0 || id > L->shops.max)
        return 0;
    size_t j = L->cursor++;
    s->shop_id[j] = id;
    L->shops.idx[id] = (int32_t)j;
    s->shop_ext[j] = dup_text(s, r, 1);
    s->shops[j].id = s->shop_ext[j];
    s->shops[j].merchant = bl_str_eq_c(bl_row_text(r, 2), "merchant");
    s->shops[j].vacation = bl_row_int(r, 3) != 0;
    return s->shop_ext[j] ? 0 : BL_ENOMEM;
}

struct shop_skus {
    struct loader *L;
    size_t *all;
    size_t n, cap;
    size_t *first; /* per shop */
};

/* Shop shop_id sells SKU sku_id: called in order of shop. */
static int add_shop_sku(struct shop_skus *x, int64_t shop_id, int64_t sku_id)
{
    ptrdiff_t j = idmap_get(&x->L->shops, shop_id);
    ptrdiff_t k = idmap_get(&x->L->skus, sku_id);
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
    struct loader *L = ctx;
    struct bl_stock_snap *s = L->s;
    if (L->cursor >= s->ndis)
        return 0;
    struct bl_rp_disruption *x = &s->dis[L->cursor];
    x->region = dup_text(s, r, 0);
    s->dis_kind[L->cursor] = dup_text(s, r, 2);
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
    x->start_day = floor_day(start);
    /* an end inside a day still disrupts that day */
    x->end_day = end == INT64_MAX || bl_dis_open_end(end) ? BL_RP_NEVER : floor_day(end - 1) + 1;
    if (x->end_day <= x->start_day)
        return 0;
    L->cursor++;
    return 0;
}

static int open_row(void *ctx, const struct bl_row *r)
{
    struct loader *L = ctx;
    struct bl_stock_snap *s = L->s;
    if (L->cursor >= s->nopen)
        return 0;
    char buf[40];
    enum bl_pb_kind kind;
    if (bl_pb_kind_parse(bl_str_copy(buf, sizeof(buf), bl_row_text(r, 1)), &kind) ||
        kind == BL_PB_PURCHASE_ORDER || kind == BL_PB_TRANSFER || kind == BL_PB_REROUTE)
        return 0; /* a purchase order or transfer decided is done, a reroute the router's */
    ptrdiff_t t = kind == BL_PB_VACATION ? idmap_get(&L->shops, bl_row_int(r, 2))
                                         : idmap_get(&L->skus, bl_row_int(r, 2));
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

static int load_playbook_inputs(struct loader *L)
{
    struct bl_stock_snap *s = L->s;
    struct bl_val p = bl_val_int(s->org_id);
    struct count_max c;
    int rc = count_table(L, "shop", &c);
    if (rc)
        return rc;
    s->nshops = (size_t)c.count;
    if ((rc = idmap_init(&L->shops, &c, "shop", L->d)))
        return rc;
    s->shop_id = arena_zalloc(s, s->nshops, sizeof(*s->shop_id));
    s->shop_ext = arena_zalloc(s, s->nshops, sizeof(*s->shop_ext));
    s->shops = arena_zalloc(s, s->nshops, sizeof(*s->shops));
    if (!s->shop_id || !s->shop_ext || !s->shops)
        return BL_ENOMEM;
    L->cursor = 0;
    rc =
        bl_store_query(L->st, "SELECT id, ext_id, fulfilment, vacation FROM shop WHERE org_id = $1",
                       &p, 1, shop_row, L, L->d);
    s->nshops = L->cursor;
    if (rc)
        return rc;
    struct shop_skus x = {L, NULL, 0, 0, arena_zalloc(s, s->nshops, sizeof(size_t))};
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
        size_t *all = arena_zalloc(s, x.n, sizeof(*all));
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
    s->open = arena_zalloc(s, s->nopen, sizeof(*s->open));
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

static int load_disruptions(struct loader *L)
{
    struct bl_stock_snap *s = L->s;
    struct bl_val p = bl_val_int(s->org_id);
    struct count_max c;
    int rc = count_table(L, "disruption", &c);
    if (rc)
        return rc;
    s->ndis = (size_t)c.count;
    s->dis = arena_zalloc(s, s->ndis, sizeof(*s->dis));
    s->dis_kind = arena_zalloc(s, s->ndis, sizeof(*s->dis_kind));
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

/* ---------------------------------------------------------------- load */

int bl_store_stock_load(struct bl_store *st, int64_t org, const struct bl_stock_load_opts *o,
                        struct bl_stock_snap *s, struct bl_diag *d)
{
    memset(s, 0, sizeof(*s));
    bl_arena_init(&s->arena, 1 << 20);
    s->org_id = org;
    struct loader L;
    memset(&L, 0, sizeof(L));
    L.s = s;
    L.st = st;
    L.o = o;
    L.d = d;
    int rc = load_skus(&L);
    if (!rc)
        rc = load_wh_sup(&L);
    if (!rc)
        rc = load_stock(&L);
    if (!rc)
        rc = load_disruptions(&L);
    if (!rc && o->playbook)
        rc = load_playbook_inputs(&L);
    if (!rc)
        rc = load_sales(&L);
    if (rc == BL_ENOMEM && d && !d->code)
        bl_diag_set(d, BL_ENOMEM, "planning: out of memory");
    bl_free(L.skus.idx);
    bl_free(L.whs.idx);
    bl_free(L.sups.idx);
    bl_free(L.shops.idx);
    bl_free(L.stock);
    bl_free(L.stock_sku);
    bl_free(L.inb);
    bl_free(L.inb_sku);
    bl_free(L.inb_po);
    bl_free(L.inb_sup);
    bl__sales_release(&L.orders);
    return rc;
}

void bl_stock_snap_release(struct bl_stock_snap *s)
{
    bl_arena_release(&s->arena);
    bl_free(s->units);
    bl_free(s->in_stock);
    memset(s, 0, sizeof(*s));
}
