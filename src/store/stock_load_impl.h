/* stock_load_impl.h - what the loaders of the planning snapshot share: stock_load.c (SKUs,
 * warehouses, suppliers, the whole load), stock_load_stock.c (stock, inbound, a SKU's
 * suppliers), stock_load_play.c (the sales window, shops, disruptions, open actions, the
 * action policy). Internal to src/store. */
#ifndef BL_STORE_STOCK_LOAD_IMPL_H
#define BL_STORE_STOCK_LOAD_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "store/sales_orders.h"
#include "store/stock.h"

#define BL__SL_DAY_SECS 86400

/* The day of instant t (UTC), rounding down before 1970 too. */
static inline int64_t bl__sl_floor_day(int64_t t)
{
    return t >= 0 ? t / BL__SL_DAY_SECS : -((-t + BL__SL_DAY_SECS - 1) / BL__SL_DAY_SECS);
}

struct bl__sl_count {
    int64_t count, max;
};

struct bl__sl_idmap {
    int64_t max;
    int32_t *idx; /* idx[id] = index or -1, ids 0..max */
};

struct bl__sl_loader {
    struct bl_stock_snap *s;
    struct bl_store *st;
    const struct bl_stock_load_opts *o;
    struct bl_diag *d;
    struct bl__sl_idmap skus, whs, sups, shops;
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

static inline ptrdiff_t bl__sl_idmap_get(const struct bl__sl_idmap *m, int64_t id)
{
    return id >= 0 && id <= m->max ? m->idx[id] : -1;
}

/* m for the ids of a table of c rows (BL_ENOMEM, with d, when they cannot be held). */
int bl__sl_idmap_init(struct bl__sl_idmap *m, const struct bl__sl_count *c, const char *table,
                      struct bl_diag *d);
/* Column col of r, copied into the snapshot's arena (NULL: out of memory). */
const char *bl__sl_dup_text(struct bl_stock_snap *s, const struct bl_row *r, size_t col);
/* n zeroed elements of size in the snapshot's arena (at least one), or NULL. */
void *bl__sl_zalloc(struct bl_stock_snap *s, size_t n, size_t size);
/* The rows and the largest id of table for the organisation into c. */
int bl__sl_count_table(struct bl__sl_loader *L, const char *table, struct bl__sl_count *c);

int bl__sl_load_stock(struct bl__sl_loader *L);           /* stock_load_stock.c */
int bl__sl_load_sales(struct bl__sl_loader *L);           /* stock_load_play.c */
int bl__sl_load_playbook_inputs(struct bl__sl_loader *L); /* stock_load_play.c */
int bl__sl_load_disruptions(struct bl__sl_loader *L);     /* stock_load_play.c */

#endif
