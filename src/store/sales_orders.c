/* sales_orders.c - daily sales from the orders when none were imported (sales_orders.h). */
#include "store/sales_orders.h"

#include <stdlib.h>
#include <string.h>

#include "ballast/time.h"

int bl__sales_daily_any(struct bl_store *st, int64_t org, bool *any, struct bl_diag *d)
{
    struct bl_val p = bl_val_int(org);
    int64_t n = 0;
    int rc = bl_store_query_int(
        st, "SELECT COUNT(*) FROM (SELECT 1 FROM sales_daily WHERE org_id = $1 LIMIT 1) x", &p, 1,
        &n, d);
    *any = !rc && n > 0;
    return rc;
}

struct shop {
    int64_t id;
    const struct bl_tz *tz;
    const char *currency;
};

struct ctx {
    struct bl__sales *out;
    size_t cap;
    struct shop *shops; /* by id */
    size_t nshops, shops_cap;
    struct bl_tz **zones; /* each zone loaded once */
    size_t nzones, zones_cap;
    int64_t from, to, sku_id;
    int rc;
    struct bl_diag *d;
};

static const struct bl_tz *zone(struct ctx *c, struct bl_str ext, struct bl_str name)
{
    for (size_t i = 0; i < c->nzones; i++)
        if (bl_str_eq_c(name, bl_tz_name(c->zones[i])))
            return c->zones[i];
    char buf[80];
    struct bl_tz *tz = NULL;
    if (name.len >= sizeof(buf) ||
        bl_grow((void **)&c->zones, &c->zones_cap, c->nzones + 1, sizeof(*c->zones))) {
        c->rc = name.len >= sizeof(buf) ? BL_ENOTFOUND : BL_ENOMEM;
    } else if (bl_tz_load(&tz, bl_str_copy(buf, sizeof(buf), name), c->d)) {
        c->rc = BL_ENOTFOUND;
    } else {
        c->zones[c->nzones++] = tz;
        return tz;
    }
    if (c->rc == BL_ENOMEM)
        bl_diag_set(c->d, BL_ENOMEM, "sales from the orders: out of memory");
    else
        bl_diag_set(c->d, BL_ENOTFOUND, "shop '%.*s': its time zone '%.*s' is not known",
                    (int)(ext.len > 80 ? 80 : ext.len), ext.ptr,
                    (int)(name.len > 80 ? 80 : name.len), name.ptr);
    return NULL;
}

static int shop_row(void *vctx, const struct bl_row *r)
{
    struct ctx *c = vctx;
    if (bl_grow((void **)&c->shops, &c->shops_cap, c->nshops + 1, sizeof(*c->shops))) {
        c->rc = bl_diag_set(c->d, BL_ENOMEM, "sales from the orders: out of memory");
        return 1;
    }
    struct shop *s = &c->shops[c->nshops];
    s->id = bl_row_int(r, 0);
    struct bl_str cur = bl_row_text(r, 3);
    s->currency = bl_arena_strndup(&c->out->arena, cur.ptr, cur.len);
    if (!s->currency) {
        c->rc = bl_diag_set(c->d, BL_ENOMEM, "sales from the orders: out of memory");
        return 1;
    }
    if (!(s->tz = zone(c, bl_row_text(r, 1), bl_row_text(r, 2))))
        return 1;
    c->nshops++;
    return 0;
}

static const struct shop *shop_of(const struct ctx *c, int64_t id)
{
    size_t lo = 0, hi = c->nshops;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->shops[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->nshops && c->shops[lo].id == id ? &c->shops[lo] : NULL;
}

static int line_row(void *vctx, const struct bl_row *r)
{
    struct ctx *c = vctx;
    int64_t sku = bl_row_int(r, 0);
    const struct shop *sh = shop_of(c, bl_row_int(r, 1));
    if ((c->sku_id >= 0 && sku != c->sku_id) || !sh)
        return 0;
    int64_t day = bl_tz_local_day(sh->tz, bl_row_int(r, 2));
    if (day < c->from || day >= c->to)
        return 0;
    struct bl__sales *o = c->out;
    if (bl_grow((void **)&o->v, &c->cap, o->n + 1, sizeof(*o->v))) {
        c->rc = bl_diag_set(c->d, BL_ENOMEM, "sales from the orders: out of memory");
        return 1;
    }
    o->v[o->n++] = (struct bl__sale){sku, sh->id, day, bl_row_int(r, 3), sh->currency};
    return 0;
}

static int cmp_sale(const void *va, const void *vb)
{
    const struct bl__sale *a = va, *b = vb;
    if (a->sku_id != b->sku_id)
        return a->sku_id < b->sku_id ? -1 : 1;
    if (a->shop_id != b->shop_id)
        return a->shop_id < b->shop_id ? -1 : 1;
    return a->day < b->day ? -1 : a->day > b->day;
}

/* The first instant of day, a day earlier (or later) for the zones: clamped. */
static int64_t day_start(int64_t day, int64_t margin)
{
    int64_t t;
    if (__builtin_add_overflow(day, margin, &day) || __builtin_mul_overflow(day, BL_DAY_SECS, &t))
        return day < 0 ? INT64_MIN : INT64_MAX;
    return t;
}

int bl__sales_from_orders(struct bl_store *st, int64_t org, int64_t from, int64_t to,
                          int64_t sku_id, struct bl__sales *out, struct bl_diag *d)
{
    memset(out, 0, sizeof(*out));
    bl_arena_init(&out->arena, 4096);
    struct ctx c = {.out = out, .from = from, .to = to, .sku_id = sku_id, .d = d};
    struct bl_val p[3] = {bl_val_int(org),
                          bl_val_int(from == INT64_MIN ? INT64_MIN : day_start(from, -1)),
                          bl_val_int(to == INT64_MAX ? INT64_MAX : day_start(to, 1))};
    int rc = bl_store_query(st,
                            "SELECT id, ext_id, tz, currency FROM shop WHERE org_id = $1 "
                            "ORDER BY id",
                            p, 1, shop_row, &c, d);
    /* CROSS JOIN: SQLite reads the orders first, then only the lines of those in the
     * range by order_line's primary key (the other way round looks up an order for every
     * line of the organisation: twice the work for a window of most of the history) */
    if (!rc && c.nshops)
        rc = bl_store_query(st,
                            "SELECT l.sku_id, o.shop_id, o.placed_at, l.qty FROM orders o"
                            " CROSS JOIN order_line l"
                            " WHERE o.org_id = $1 AND o.placed_at >= $2 AND o.placed_at < $3"
                            " AND o.cancelled_at IS NULL AND o.status <> 'cancelled'"
                            " AND l.org_id = o.org_id AND l.order_id = o.id",
                            p, 3, line_row, &c, d);
    if (c.rc)
        rc = c.rc;
    for (size_t i = 0; i < c.nzones; i++)
        bl_tz_free(c.zones[i]);
    bl_free(c.zones);
    bl_free(c.shops);
    if (rc)
        return rc;
    /* one row per (SKU, shop, day) */
    if (out->n)
        qsort(out->v, out->n, sizeof(*out->v), cmp_sale);
    size_t n = 0;
    for (size_t i = 0; i < out->n; i++) {
        struct bl__sale *x = &out->v[i], *last = n ? &out->v[n - 1] : NULL;
        if (last && last->sku_id == x->sku_id && last->shop_id == x->shop_id &&
            last->day == x->day) {
            if (__builtin_add_overflow(last->units, x->units, &last->units))
                return bl_diag_set(d, BL_EOVERFLOW, "sales from the orders: too many units");
        } else {
            out->v[n++] = *x;
        }
    }
    out->n = n;
    return BL_OK;
}

void bl__sales_release(struct bl__sales *s)
{
    bl_free(s->v);
    bl_arena_release(&s->arena);
    memset(s, 0, sizeof(*s));
}
