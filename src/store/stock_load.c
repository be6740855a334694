/* stock_load.c - loading one organisation's planning snapshot (stock.h): SKUs,
 * warehouses and suppliers here, then stock and inbound (stock_load_stock.c), the sales
 * window, shops, disruptions, open actions and the action policy (stock_load_play.c), in
 * the engine's types; what they share: stock_load_impl.h. */
#include "store/stock_load_impl.h"

#include <stdlib.h>
#include <string.h>

#include "ballast/num.h"
#include "ballast/region.h"
#include "ballast/str.h"

/* ---------------------------------------------------------------- id maps */

/* ids 0..max (max from the table: a hand-edited id of 2^62 asks for more memory than
 * there is, and is BL_ENOMEM, never a short array); count rows fit an int32 index. */
int bl__sl_idmap_init(struct bl__sl_idmap *m, const struct bl__sl_count *c, const char *table,
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

const char *bl__sl_dup_text(struct bl_stock_snap *s, const struct bl_row *r, size_t col)
{
    struct bl_str t = bl_row_text(r, col);
    return bl_arena_strndup(&s->arena, t.ptr, t.len);
}

void *bl__sl_zalloc(struct bl_stock_snap *s, size_t n, size_t size)
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
    struct bl__sl_count *c = ctx;
    c->count = bl_row_int(r, 0);
    c->max = bl_row_int(r, 1);
    return 0;
}

int bl__sl_count_table(struct bl__sl_loader *L, const char *table, struct bl__sl_count *c)
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
    struct bl__sl_loader *L = ctx;
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
    s->sku_ext[k] = bl__sl_dup_text(s, r, 1);
    char buf[32];
    int64_t listing = BL_PB_ACTIVE;
    if (bl_pb_listing_parse(bl_str_copy(buf, sizeof(buf), bl_row_text(r, 2)), &listing))
        listing = BL_PB_INACTIVE;
    s->pb_skus[k].listing = listing;
    s->pb_skus[k].promoted = bl_row_int(r, 3) != 0;
    s->pb_skus[k].handling_max = bl_row_int(r, 4);
    s->review_passed[k] = bl_str_eq_c(bl_row_text(r, 5), "passed");
    s->sku_cur[k] = bl_row_isnull(r, 7) ? NULL : bl__sl_dup_text(s, r, 7);
    s->promo_spend[k] = bl_row_isnull(r, 6) || !s->sku_cur[k] ? BL_STOCK_NULL : bl_row_int(r, 6);
    s->rp_skus[k].supplier = -1;
    s->rp_skus[k].price_review_passed = s->review_passed[k];
    s->rp_skus[k].id = s->sku_ext[k];
    s->pb_skus[k].id = s->sku_ext[k];
    return s->sku_ext[k] ? 0 : BL_ENOMEM;
}

static int load_skus(struct bl__sl_loader *L)
{
    struct bl_stock_snap *s = L->s;
    struct bl__sl_count c;
    int rc = bl__sl_count_table(L, "sku", &c);
    if (rc)
        return rc;
    s->nskus = (size_t)c.count;
    if ((rc = bl__sl_idmap_init(&L->skus, &c, "sku", L->d)))
        return rc;
    s->sku_id = bl__sl_zalloc(s, s->nskus, sizeof(*s->sku_id));
    s->sku_ext = bl__sl_zalloc(s, s->nskus, sizeof(*s->sku_ext));
    s->review_passed = bl__sl_zalloc(s, s->nskus, sizeof(*s->review_passed));
    s->promo_spend = bl__sl_zalloc(s, s->nskus, sizeof(*s->promo_spend));
    s->sku_cur = bl__sl_zalloc(s, s->nskus, sizeof(*s->sku_cur));
    s->pb_skus = bl__sl_zalloc(s, s->nskus, sizeof(*s->pb_skus));
    s->rp_skus = bl__sl_zalloc(s, s->nskus, sizeof(*s->rp_skus));
    s->sup_from = bl__sl_zalloc(s, s->nskus, sizeof(*s->sup_from));
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
    struct bl__sl_loader *L = ctx;
    struct bl_stock_snap *s = L->s;
    int64_t id = bl_row_int(r, 0);
    if (L->cursor >= s->nwh || id < 0 || id > L->whs.max)
        return 0;
    size_t w = L->cursor++;
    s->wh_id[w] = id;
    L->whs.idx[id] = (int32_t)w;
    s->wh_ext[w] = bl__sl_dup_text(s, r, 1);
    s->wh_region[w] = bl__sl_dup_text(s, r, 2);
    return s->wh_ext[w] && s->wh_region[w] ? 0 : BL_ENOMEM;
}

static int sup_row(void *ctx, const struct bl_row *r)
{
    struct bl__sl_loader *L = ctx;
    struct bl_stock_snap *s = L->s;
    int64_t id = bl_row_int(r, 0);
    if (L->cursor >= s->nsup || id < 0 || id > L->sups.max)
        return 0;
    size_t j = L->cursor++;
    s->sup_id[j] = id;
    L->sups.idx[id] = (int32_t)j;
    s->sup_ext[j] = bl__sl_dup_text(s, r, 1);
    s->sup_name[j] = bl__sl_dup_text(s, r, 9);
    struct bl_rp_supplier *sp = &s->sup[j];
    sp->id = s->sup_ext[j];
    sp->region = bl__sl_dup_text(s, r, 2);
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
        const char *b = bl__sl_dup_text(s, r, 8);
        if (!b)
            return BL_ENOMEM;
        L->backup[j] = b;
    }
    return s->sup_ext[j] && s->sup_name[j] && sp->region ? 0 : BL_ENOMEM;
}

static int load_wh_sup(struct bl__sl_loader *L)
{
    struct bl_stock_snap *s = L->s;
    struct bl_val p = bl_val_int(s->org_id);
    struct bl__sl_count c;
    int rc = bl__sl_count_table(L, "warehouse", &c);
    if (rc)
        return rc;
    s->nwh = (size_t)c.count;
    if ((rc = bl__sl_idmap_init(&L->whs, &c, "warehouse", L->d)))
        return rc;
    s->wh_id = bl__sl_zalloc(s, s->nwh, sizeof(*s->wh_id));
    s->wh_ext = bl__sl_zalloc(s, s->nwh, sizeof(*s->wh_ext));
    s->wh_region = bl__sl_zalloc(s, s->nwh, sizeof(*s->wh_region));
    if (!s->wh_id || !s->wh_ext || !s->wh_region)
        return BL_ENOMEM;
    L->cursor = 0;
    rc = bl_store_query(L->st, "SELECT id, ext_id, region FROM warehouse WHERE org_id = $1", &p, 1,
                        wh_row, L, L->d);
    s->nwh = L->cursor;
    if (rc)
        return rc;

    if ((rc = bl__sl_count_table(L, "supplier", &c)))
        return rc;
    s->nsup = (size_t)c.count;
    if ((rc = bl__sl_idmap_init(&L->sups, &c, "supplier", L->d)))
        return rc;
    s->sup_id = bl__sl_zalloc(s, s->nsup, sizeof(*s->sup_id));
    s->sup_ext = bl__sl_zalloc(s, s->nsup, sizeof(*s->sup_ext));
    s->sup = bl__sl_zalloc(s, s->nsup, sizeof(*s->sup));
    s->sup_name = bl__sl_zalloc(s, s->nsup, sizeof(*s->sup_name));
    const char **backup = bl__sl_zalloc(s, s->nsup, sizeof(*backup));
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

/* ---------------------------------------------------------------- load */

int bl_store_stock_load(struct bl_store *st, int64_t org, const struct bl_stock_load_opts *o,
                        struct bl_stock_snap *s, struct bl_diag *d)
{
    memset(s, 0, sizeof(*s));
    bl_arena_init(&s->arena, 1 << 20);
    s->org_id = org;
    struct bl__sl_loader L;
    memset(&L, 0, sizeof(L));
    L.s = s;
    L.st = st;
    L.o = o;
    L.d = d;
    int rc = load_skus(&L);
    if (!rc)
        rc = load_wh_sup(&L);
    if (!rc)
        rc = bl__sl_load_stock(&L);
    if (!rc)
        rc = bl__sl_load_disruptions(&L);
    if (!rc && o->playbook)
        rc = bl__sl_load_playbook_inputs(&L);
    if (!rc)
        rc = bl__sl_load_sales(&L);
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
