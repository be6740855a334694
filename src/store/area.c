/* area.c - area names, carriers' names, the lanes shops ship (area.h). */
#include <string.h>

#include "store/area.h"

struct load {
    struct bl_arena *a;
    void *items;
    size_t n, cap, size;
    int rc;
};

static void *next_item(struct load *l)
{
    if (bl_grow(&l->items, &l->cap, l->n + 1, l->size)) {
        l->rc = BL_ENOMEM;
        return NULL;
    }
    void *p = (char *)l->items + l->n * l->size;
    memset(p, 0, l->size);
    l->n++;
    return p;
}

static const char *keep(struct load *l, const struct bl_row *r, size_t col)
{
    struct bl_str s = bl_row_isnull(r, col) ? bl_str_c("") : bl_row_text(r, col);
    char *p = bl_arena_strndup(l->a, s.ptr ? s.ptr : "", s.len);
    if (!p)
        l->rc = BL_ENOMEM;
    return p;
}

static int run(struct bl_store *st, const char *sql, const struct bl_val *p, size_t np,
               bl_row_fn fn, struct load *l, void **out, size_t *n, struct bl_diag *d)
{
    int rc = bl_store_query(st, sql, p, np, fn, l, d);
    if (!rc && l->rc)
        rc = bl_diag_set(d, l->rc, "out of memory");
    if (rc) {
        bl_free(l->items);
        l->items = NULL;
        l->n = 0;
    }
    *out = l->items;
    *n = l->n;
    return rc;
}

static int name_row(void *ctx, const struct bl_row *r)
{
    struct load *l = ctx;
    struct bl_area_name *x = next_item(l);
    if (x) {
        x->region = keep(l, r, 0);
        x->locale = keep(l, r, 1);
        x->name = keep(l, r, 2);
    }
    return l->rc;
}

int bl_store_area_names(struct bl_store *st, int64_t org, struct bl_arena *a,
                        struct bl_area_name **out, size_t *n, struct bl_diag *d)
{
    struct load l = {.a = a, .size = sizeof(**out)};
    struct bl_val p = bl_val_int(org);
    return run(st,
               "SELECT region, locale, name FROM area WHERE org_id = $1"
               " ORDER BY region, locale",
               &p, 1, name_row, &l, (void **)out, n, d);
}

static int carrier_row(void *ctx, const struct bl_row *r)
{
    struct load *l = ctx;
    struct bl_area_carrier *x = next_item(l);
    if (x) {
        x->channel = keep(l, r, 0);
        x->carrier = keep(l, r, 1);
    }
    return l->rc;
}

int bl_store_area_carriers(struct bl_store *st, int64_t org, struct bl_arena *a,
                           struct bl_area_carrier **out, size_t *n, struct bl_diag *d)
{
    struct load l = {.a = a, .size = sizeof(**out)};
    struct bl_val p = bl_val_int(org);
    return run(st, "SELECT ext_id, carrier FROM channel WHERE org_id = $1 ORDER BY ext_id", &p, 1,
               carrier_row, &l, (void **)out, n, d);
}

static int lane_row(void *ctx, const struct bl_row *r)
{
    struct load *l = ctx;
    struct bl_area_lane *x = next_item(l);
    if (x) {
        x->shop_id = bl_row_int(r, 0);
        x->country = keep(l, r, 1);
        x->transit_min = bl_row_int(r, 2);
        x->transit_max = bl_row_int(r, 3);
        x->orders = bl_row_int(r, 4);
    }
    return l->rc;
}

int bl_store_area_lanes(struct bl_store *st, int64_t org, int64_t since, int64_t until,
                        struct bl_arena *a, struct bl_area_lane **out, size_t *n, struct bl_diag *d)
{
    struct load l = {.a = a, .size = sizeof(**out)};
    struct bl_val p[3] = {bl_val_int(org), bl_val_int(since), bl_val_int(until)};
    return run(st,
               "SELECT o.shop_id, substr(o.ship_to, 1, 2), MIN(c.transit_min),"
               " MAX(c.transit_max), COUNT(*)"
               " FROM orders o JOIN channel c ON c.org_id = o.org_id AND c.ext_id = o.channel"
               " WHERE o.org_id = $1 AND o.placed_at >= $2 AND o.placed_at <= $3"
               " AND o.ship_to IS NOT NULL AND length(o.ship_to) >= 2"
               " GROUP BY o.shop_id, substr(o.ship_to, 1, 2) ORDER BY 1, 2",
               p, 3, lane_row, &l, (void **)out, n, d);
}
