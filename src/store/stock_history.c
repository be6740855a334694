/* stock_history.c - the store's sales_daily as a sales history for the forecaster
 * (stock.h, bl_store_stock_history; the arrays are those of ballast/history.h). */
#include <stdlib.h>
#include <string.h>

#include "ballast/forecast.h"
#include "ballast/map.h"
#include "ballast/num.h"
#include "store/sales_orders.h"
#include "store/stock.h"

struct row {
    size_t sku;
    int64_t day;
    double units;
    bool out; /* out of stock */
};

struct load_ctx {
    struct bl_history *h;
    struct row *rows;
    size_t nrows, cap;
    int64_t min_day, max_day;
    bool any_stock;
    int rc;
    struct bl_diag *d;
};

/* Days of years 1..9999 (time.h): a sales day outside them was not written by an import. */
#define MIN_DAY INT64_C(-719162)
#define MAX_DAY INT64_C(2932896)

/* A day of SKU ext's sales (summed over shops); rows come ordered by SKU, then day. */
static int add_row(struct load_ctx *c, struct bl_str ext, int64_t day, int64_t units, bool out)
{
    struct bl_history *h = c->h;
    if (bl_grow((void **)&c->rows, &c->cap, c->nrows + 1, sizeof(*c->rows))) {
        c->rc = BL_ENOMEM;
        return 1;
    }
    /* A new name starts a new series. */
    if (!h->nskus || strncmp(h->sku[h->nskus - 1], ext.ptr, ext.len) != 0 ||
        h->sku[h->nskus - 1][ext.len] != '\0') {
        size_t cap = h->nskus;
        if ((cap & (cap - 1)) == 0) {
            const char **n = bl_realloc((void *)h->sku, (cap ? cap * 2 : 64) * sizeof(*n));
            if (!n) {
                c->rc = BL_ENOMEM;
                return 1;
            }
            h->sku = n;
        }
        const char *copy = bl_arena_strndup(&h->arena, ext.ptr, ext.len);
        if (!copy) {
            c->rc = BL_ENOMEM;
            return 1;
        }
        h->sku[h->nskus++] = copy;
    }
    struct row *x = &c->rows[c->nrows++];
    x->sku = h->nskus - 1;
    x->day = day;
    if (x->day < MIN_DAY || x->day > MAX_DAY) {
        c->rc = bl_diag_range(c->d, "sales_daily", h->sku[x->sku], "day", x->day, MIN_DAY, MAX_DAY);
        return 1;
    }
    x->units = (double)units;
    x->out = out;
    c->any_stock |= x->out;
    if (x->day < c->min_day)
        c->min_day = x->day;
    if (x->day > c->max_day)
        c->max_day = x->day;
    return 0;
}

static int load_row(void *vctx, const struct bl_row *r)
{
    return add_row(vctx, bl_row_text(r, 0), bl_row_int(r, 1), bl_row_int(r, 2),
                   !bl_row_isnull(r, 3) && bl_row_int(r, 3) == 0);
}

/* ---------------------------------------------------------------- from the orders */

struct sku_name {
    int64_t id;
    size_t rank; /* in the order of ext ids the store sorts them in */
    const char *ext;
};

struct by_order {
    struct bl__sales sales;
    struct sku_name *sku; /* by id */
    size_t nsku, cap;
    struct bl_arena names;
};

static int sku_name_row(void *vctx, const struct bl_row *r)
{
    struct by_order *b = vctx;
    if (bl_grow((void **)&b->sku, &b->cap, b->nsku + 1, sizeof(*b->sku)))
        return BL_ENOMEM;
    struct bl_str ext = bl_row_text(r, 1);
    struct sku_name *k = &b->sku[b->nsku];
    *k = (struct sku_name){bl_row_int(r, 0), b->nsku,
                           bl_arena_strndup(&b->names, ext.ptr, ext.len)};
    if (!k->ext)
        return BL_ENOMEM;
    b->nsku++;
    return 0;
}

static int cmp_id(const void *va, const void *vb)
{
    const struct sku_name *a = va, *b = vb;
    return a->id < b->id ? -1 : a->id > b->id;
}

static const struct sku_name *sku_of(const struct by_order *b, int64_t id)
{
    struct sku_name key = {id, 0, NULL};
    return bsearch(&key, b->sku, b->nsku, sizeof(*b->sku), cmp_id);
}

static int cmp_rank_day(const void *va, const void *vb)
{
    const struct bl__sale *a = va, *b = vb; /* sku_id holds the rank here */
    if (a->sku_id != b->sku_id)
        return a->sku_id < b->sku_id ? -1 : 1;
    return a->day < b->day ? -1 : a->day > b->day;
}

/* The rows of c from the orders placed since `since`, in the order sales_daily's come. */
static int load_orders(struct bl_store *st, int64_t org, int64_t since, struct load_ctx *c,
                       struct by_order *b, struct bl_diag *d)
{
    int rc = bl__sales_from_orders(st, org, since, INT64_MAX, -1, &b->sales, d);
    struct bl_val p = bl_val_int(org);
    if (!rc)
        rc = bl_store_query(st, "SELECT id, ext_id FROM sku WHERE org_id = $1 ORDER BY ext_id",
                            &p, 1, sku_name_row, b, d);
    if (rc == BL_ENOMEM && d && !d->code)
        bl_diag_set(d, BL_ENOMEM, "sales history: out of memory");
    if (rc)
        return rc;
    if (b->nsku)
        qsort(b->sku, b->nsku, sizeof(*b->sku), cmp_id);
    /* the SKU's rank for its id, summed over shops by (rank, day) */
    struct bl__sale *v = bl_malloc((b->sales.n ? b->sales.n : 1) * sizeof(*v));
    if (!v)
        return bl_diag_set(d, BL_ENOMEM, "sales history: out of memory");
    size_t n = 0;
    for (size_t i = 0; i < b->sales.n; i++) {
        const struct sku_name *k = sku_of(b, b->sales.v[i].sku_id);
        if (k) {
            v[n] = b->sales.v[i];
            v[n++].sku_id = (int64_t)k->rank;
        }
    }
    if (n)
        qsort(v, n, sizeof(*v), cmp_rank_day);
    const char **ext = bl_malloc((b->nsku ? b->nsku : 1) * sizeof(*ext));
    for (size_t i = 0; ext && i < b->nsku; i++)
        ext[b->sku[i].rank] = b->sku[i].ext;
    if (!ext)
        c->rc = BL_ENOMEM;
    for (size_t i = 0; !c->rc && i < n;) {
        int64_t units = 0;
        size_t j = i;
        for (; j < n && v[j].sku_id == v[i].sku_id && v[j].day == v[i].day; j++)
            units += v[j].units; /* lines of at most 1,000,000 units each: no overflow */
        add_row(c, bl_str_c(ext[v[i].sku_id]), v[i].day, units, false);
        i = j;
    }
    bl_free(ext);
    bl_free(v);
    if (c->rc == BL_ERANGE)
        return c->rc;
    return c->rc ? bl_diag_set(d, c->rc, "sales history: %s", bl_strerror(c->rc)) : BL_OK;
}

int bl_store_market_add(struct bl_arena *a, const char **market, struct bl_str currency)
{
    struct bl_str code = bl_fc_currency_market(currency);
    const char *m = *market ? *market : "";
    size_t len = strlen(m);
    for (size_t i = 0; code.len && i + code.len <= len; i += 3)
        if (memcmp(m + i, code.ptr, code.len) == 0)
            return BL_OK; /* there already */
    if (!code.len)
        return BL_OK;
    char *out = bl_arena_alloc(a, len + code.len + 2);
    if (!out)
        return BL_ENOMEM;
    memcpy(out, m, len);
    if (len)
        out[len++] = ' ';
    memcpy(out + len, code.ptr, code.len);
    out[len + code.len] = '\0';
    *market = out;
    return BL_OK;
}

struct market_ctx {
    struct bl_history *h;
    struct bl_map by_sku;
    int rc;
};

static int market_row(void *vctx, const struct bl_row *r)
{
    struct market_ctx *c = vctx;
    int64_t k;
    if (bl_map_get(&c->by_sku, bl_row_text(r, 0), &k) &&
        (c->rc = bl_store_market_add(&c->h->arena, &c->h->market[k], bl_row_text(r, 1))))
        return 1;
    return 0;
}

/* h->market: the markets of the shops each SKU sold in since `since` (in b's sales when
 * they come from the orders). */
static int load_markets(struct bl_store *st, int64_t org, int64_t since, const struct by_order *b,
                        struct bl_history *h, struct bl_diag *d)
{
    h->market = bl_arena_alloc(&h->arena, (h->nskus ? h->nskus : 1) * sizeof(*h->market));
    if (!h->market)
        return bl_diag_set(d, BL_ENOMEM, "sales history: out of memory");
    memset(h->market, 0, (h->nskus ? h->nskus : 1) * sizeof(*h->market));
    struct market_ctx c = {h, {0}, BL_OK};
    bl_map_init(&c.by_sku, &h->arena);
    for (size_t k = 0; k < h->nskus && !c.rc; k++)
        if (bl_map_put(&c.by_sku, bl_str_c(h->sku[k]), (int64_t)k))
            c.rc = BL_ENOMEM;
    struct bl_val p[2] = {bl_val_int(org), bl_val_int(since)};
    int rc = c.rc ? 1 : BL_OK;
    for (size_t i = 0; b && !rc && i < b->sales.n; i++) { /* from the orders */
        const struct bl__sale *x = &b->sales.v[i];
        if (i && x[-1].sku_id == x->sku_id && x[-1].shop_id == x->shop_id)
            continue; /* that shop's market is there */
        const struct sku_name *k = sku_of(b, x->sku_id);
        int64_t at;
        if (k && bl_map_get(&c.by_sku, bl_str_c(k->ext), &at) &&
            (c.rc = bl_store_market_add(&h->arena, &h->market[at], bl_str_c(x->currency))))
            rc = 1;
    }
    if (!b && !rc)
        rc = bl_store_query(st,
                            "SELECT DISTINCT k.ext_id, sh.currency FROM sales_daily s"
                            " JOIN sku k ON k.org_id = s.org_id AND k.id = s.sku_id"
                            " JOIN shop sh ON sh.org_id = s.org_id AND sh.id = s.shop_id"
                            " WHERE s.org_id = $1 AND s.day >= $2",
                            p, 2, market_row, &c, d);
    bl_map_release(&c.by_sku);
    if (rc == 1 || c.rc)
        rc = bl_diag_set(d, BL_ENOMEM, "sales history: out of memory");
    return rc;
}

int bl_store_stock_history(struct bl_store *st, int64_t org, int64_t since, struct bl_history *h,
                           bool *from_orders, struct bl_diag *d)
{
    memset(h, 0, sizeof(*h));
    bl_arena_init(&h->arena, 1u << 16);
    struct load_ctx c = {h, NULL, 0, 0, INT64_MAX, INT64_MIN, false, BL_OK, d};
    struct bl_val p[2] = {bl_val_int(org), bl_val_int(since)};
    struct by_order b;
    memset(&b, 0, sizeof(b));
    bool any = false;
    int rc = bl__sales_daily_any(st, org, &any, d);
    *from_orders = !rc && !any;
    if (!rc && *from_orders)
        rc = load_orders(st, org, since, &c, &b, d);
    else if (!rc)
        rc = bl_store_query(st,
                            "SELECT k.ext_id, s.day, SUM(s.units), MIN(s.in_stock)"
                            " FROM sales_daily s JOIN sku k ON k.org_id = s.org_id"
                            " AND k.id = s.sku_id WHERE s.org_id = $1 AND s.day >= $2"
                            " GROUP BY k.ext_id, s.day ORDER BY k.ext_id, s.day",
                            p, 2, load_row, &c, d);
    if (!*from_orders && c.rc == BL_ERANGE) /* load_orders says why itself */
        rc = c.rc;
    else if (!*from_orders && (rc == 1 || c.rc))
        rc = bl_diag_set(d, c.rc ? c.rc : BL_ENOMEM, "loading sales history: %s",
                         bl_strerror(c.rc ? c.rc : BL_ENOMEM));
    if (!rc && !c.nrows)
        rc = bl_diag_set(d, BL_EEMPTY,
                         "no sales history in the store (import some with 'ballast import "
                         "sales FILE')");
    size_t ndays = rc ? 0 : (size_t)(c.max_day - c.min_day + 1);
    if (!rc && h->nskus > BL_HISTORY_MAX_CELLS / ndays)
        rc = bl_diag_set(d, BL_ETOOBIG, "sales history: %zu SKUs x %zu days is more than %u",
                         h->nskus, ndays, BL_HISTORY_MAX_CELLS);
    if (!rc) {
        /* The names were grown with bl_realloc: move them into the arena. */
        const char **names = bl_arena_alloc(&h->arena, h->nskus * sizeof(*names));
        h->units = bl_arena_alloc(&h->arena, h->nskus * sizeof(*h->units));
        h->in_stock = c.any_stock ? bl_arena_alloc(&h->arena, h->nskus * sizeof(bool *)) : NULL;
        if (!names || !h->units || (c.any_stock && !h->in_stock))
            rc = bl_diag_set(d, BL_ENOMEM, "sales history: out of memory");
        for (size_t k = 0; !rc && k < h->nskus; k++) {
            names[k] = h->sku[k];
            h->units[k] = bl_arena_alloc(&h->arena, ndays * sizeof(double));
            if (!h->units[k]) {
                rc = bl_diag_set(d, BL_ENOMEM, "sales history: out of memory");
                break;
            }
            memset(h->units[k], 0, ndays * sizeof(double));
            if (h->in_stock) {
                h->in_stock[k] = bl_arena_alloc(&h->arena, ndays);
                if (!h->in_stock[k]) {
                    rc = bl_diag_set(d, BL_ENOMEM, "sales history: out of memory");
                    break;
                }
                memset(h->in_stock[k], 1, ndays);
            }
        }
        bl_free((void *)h->sku);
        h->sku = names;
        h->first_day = c.min_day;
        h->ndays = ndays;
        for (size_t i = 0; !rc && i < c.nrows; i++) {
            const struct row *x = &c.rows[i];
            h->units[x->sku][x->day - c.min_day] += x->units;
            if (h->in_stock && x->out)
                h->in_stock[x->sku][x->day - c.min_day] = false;
        }
    } else {
        bl_free((void *)h->sku);
        h->sku = NULL;
    }
    bl_free(c.rows);
    if (!rc)
        rc = load_markets(st, org, since, *from_orders ? &b : NULL, h, d);
    bl__sales_release(&b.sales);
    bl_free(b.sku);
    bl_arena_release(&b.names);
    if (rc) {
        bl_arena_release(&h->arena);
        memset(h, 0, sizeof(*h));
    }
    return rc;
}
