/* stock_load_stock.c - the planning snapshot's stock counts, inbound purchase orders and
 * each SKU's suppliers (stock_load_impl.h). */
#include "store/stock_load_impl.h"

#include <stdlib.h>
#include <string.h>

#include "ballast/num.h"
#include "ballast/str.h"

/* ---------------------------------------------------------------- stock, inbound */

static int stock_row(void *ctx, const struct bl_row *r)
{
    struct bl__sl_loader *L = ctx;
    ptrdiff_t k = bl__sl_idmap_get(&L->skus, bl_row_int(r, 0));
    ptrdiff_t w = bl__sl_idmap_get(&L->whs, bl_row_int(r, 1));
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
    struct bl__sl_loader *L = ctx;
    ptrdiff_t k = bl__sl_idmap_get(&L->skus, bl_row_int(r, 0));
    ptrdiff_t w = bl__sl_idmap_get(&L->whs, bl_row_int(r, 1));
    if (k < 0 || w < 0)
        return 0;
    if (bl_grow((void **)&L->inb, &L->inb_cap, L->ninb + 1, sizeof(*L->inb)) ||
        bl_grow((void **)&L->inb_sku, &L->inb_sku_cap, L->ninb + 1, sizeof(size_t)) ||
        bl_grow((void **)&L->inb_po, &L->inb_po_cap, L->ninb + 1, sizeof(*L->inb_po)) ||
        bl_grow((void **)&L->inb_sup, &L->inb_sup_cap, L->ninb + 1, sizeof(*L->inb_sup)) ||
        !(L->inb_po[L->ninb] = bl__sl_dup_text(L->s, r, 4)))
        return BL_ENOMEM;
    L->inb_sup[L->ninb] = bl_row_isnull(r, 5) ? -1 : bl__sl_idmap_get(&L->sups, bl_row_int(r, 5));
    L->inb[L->ninb] =
        (struct bl_rp_inbound){(size_t)w, bl_row_int(r, 2), bl__sl_floor_day(bl_row_int(r, 3))};
    L->inb_sku[L->ninb++] = (size_t)k;
    return 0;
}

static int primary_row(void *ctx, const struct bl_row *r)
{
    struct bl__sl_loader *L = ctx;
    ptrdiff_t k = bl__sl_idmap_get(&L->skus, bl_row_int(r, 0));
    ptrdiff_t j = bl__sl_idmap_get(&L->sups, bl_row_int(r, 1));
    if (k >= 0 && j >= 0)
        L->s->rp_skus[k].supplier = j; /* ordered by time: the latest wins */
    return 0;
}

/* Groups rows (already ordered by SKU) into per-SKU slices, copying into the arena. */
static int attach_rows(struct bl__sl_loader *L)
{
    struct bl_stock_snap *s = L->s;
    struct bl_rp_stock *stock = bl__sl_zalloc(s, L->nstock, sizeof(*stock));
    struct bl_rp_inbound *inb = bl__sl_zalloc(s, L->ninb, sizeof(*inb));
    const char **inb_po = bl__sl_zalloc(s, L->ninb, sizeof(*inb_po));
    ptrdiff_t *inb_sup = bl__sl_zalloc(s, L->ninb, sizeof(*inb_sup));
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
        const char **reg = bl__sl_zalloc(s, sk->nstock, sizeof(*reg));
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
    struct bl__sl_loader *L;
    struct bl_rp_source *v;
    size_t *sku, n, cap, scap;
};

static int source_row(void *ctx, const struct bl_row *r)
{
    struct src_ctx *c = ctx;
    ptrdiff_t k = bl__sl_idmap_get(&c->L->skus, bl_row_int(r, 0));
    ptrdiff_t j = bl__sl_idmap_get(&c->L->sups, bl_row_int(r, 1));
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
static int load_sources(struct bl__sl_loader *L)
{
    struct bl_stock_snap *s = L->s;
    struct src_ctx c = {L, NULL, NULL, 0, 0, 0};
    struct bl_val p = bl_val_int(s->org_id);
    int rc = bl_store_query(L->st,
                            "SELECT sku_id, supplier_id, moq, unit_cost, currency FROM sku_supplier"
                            " WHERE org_id = $1 ORDER BY sku_id, rank",
                            &p, 1, source_row, &c, L->d);
    struct bl_rp_source *all = rc ? NULL : bl__sl_zalloc(s, c.n, sizeof(*all));
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

int bl__sl_load_stock(struct bl__sl_loader *L)
{
    struct bl_stock_snap *s = L->s;
    struct bl_val p[2] = {bl_val_int(s->org_id), bl_val_int(L->o->as_of * BL__SL_DAY_SECS)};
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
