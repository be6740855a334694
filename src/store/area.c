/* area.c - area names, carriers' names, the lanes shops ship (area.h). */
#include <string.h>

#include "store/load.h"
#include "store/area.h"

/* Runs the query into l (load.h) and hands its items over. */
static int run(struct bl_store *st, const char *sql, const struct bl_val *p, size_t np,
               bl_row_fn fn, struct bl__load *l, void **out, size_t *n, struct bl_diag *d)
{
    int rc = bl__load_run(st, sql, p, np, fn, l, n, d);
    *out = l->items;
    return rc;
}

static int name_row(void *ctx, const struct bl_row *r)
{
    struct bl__load *l = ctx;
    struct bl_area_name *x = bl__load_next(l);
    if (x) {
        x->region = bl__load_keep_or_empty(l, r, 0);
        x->locale = bl__load_keep_or_empty(l, r, 1);
        x->name = bl__load_keep_or_empty(l, r, 2);
    }
    return l->rc;
}

int bl_store_area_names(struct bl_store *st, int64_t org, struct bl_arena *a,
                        struct bl_area_name **out, size_t *n, struct bl_diag *d)
{
    struct bl__load l = {.a = a, .size = sizeof(**out)};
    struct bl_val p = bl_val_int(org);
    return run(st,
               "SELECT region, locale, name FROM area WHERE org_id = $1"
               " ORDER BY region, locale",
               &p, 1, name_row, &l, (void **)out, n, d);
}

static int carrier_row(void *ctx, const struct bl_row *r)
{
    struct bl__load *l = ctx;
    struct bl_area_carrier *x = bl__load_next(l);
    if (x) {
        x->channel = bl__load_keep_or_empty(l, r, 0);
        x->carrier = bl__load_keep_or_empty(l, r, 1);
    }
    return l->rc;
}

int bl_store_area_carriers(struct bl_store *st, int64_t org, struct bl_arena *a,
                           struct bl_area_carrier **out, size_t *n, struct bl_diag *d)
{
    struct bl__load l = {.a = a, .size = sizeof(**out)};
    struct bl_val p = bl_val_int(org);
    return run(st, "SELECT ext_id, carrier FROM channel WHERE org_id = $1 ORDER BY ext_id", &p, 1,
               carrier_row, &l, (void **)out, n, d);
}

static int lane_row(void *ctx, const struct bl_row *r)
{
    struct bl__load *l = ctx;
    struct bl_area_lane *x = bl__load_next(l);
    if (x) {
        x->shop_id = bl_row_int(r, 0);
        x->country = bl__load_keep_or_empty(l, r, 1);
        x->transit_min = bl_row_int(r, 2);
        x->transit_max = bl_row_int(r, 3);
        x->orders = bl_row_int(r, 4);
    }
    return l->rc;
}

int bl_store_area_lanes(struct bl_store *st, int64_t org, int64_t since, int64_t until,
                        struct bl_arena *a, struct bl_area_lane **out, size_t *n, struct bl_diag *d)
{
    struct bl__load l = {.a = a, .size = sizeof(**out)};
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
