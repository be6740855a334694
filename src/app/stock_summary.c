/* stock_summary.c - the Stock page's summary (stock_summary.h): a planned day's SKUs in
 * runway order, named, and counted. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app/stock_summary.h"
#include "store/names.h"

int bl_app_summary_filter_parse(const char *s, enum bl_app_summary_filter *f, struct bl_diag *d)
{
    static const char *const names[] = {"all", "stockout", "reorder", "late"};
    for (size_t i = 0; s && i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(s, names[i]) == 0) {
            *f = (enum bl_app_summary_filter)i;
            return BL_OK;
        }
    return bl_diag_set(d, BL_EINVAL, "filter: expected all, stockout, reorder or late");
}

/* The runway order: the fewest days of cover first (none sold: last), then the earlier
 * stock-out, then the day's SKU order. */
struct runway {
    double cover;
    int64_t stockout;
    size_t k;
};

static int by_runway(const void *x, const void *y)
{
    const struct runway *a = x, *b = y;
    if (a->cover != b->cover)
        return a->cover < b->cover ? -1 : 1;
    if (a->stockout != b->stockout)
        return a->stockout < b->stockout ? -1 : 1;
    return (a->k > b->k) - (a->k < b->k);
}

/* names (id order) of the day's ids into out[n]: the name, or "". */
static void name_each(const struct bl_store_name *names, size_t nn, const int64_t *ids, size_t n,
                      const char **out)
{
    for (size_t i = 0; i < n; i++) {
        size_t lo = 0, hi = nn;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (names[mid].id < ids[i])
                lo = mid + 1;
            else
                hi = mid;
        }
        out[i] = lo < nn && names[lo].id == ids[i] && names[lo].name ? names[lo].name : "";
    }
}

static int load_names(struct bl_store *st, int64_t org, const struct bl_stock_snap *snap,
                      struct bl_app_stock_summary *sum, struct bl_diag *d)
{
    struct bl_store_name *names = NULL;
    size_t nn = 0;
    int rc = bl_store_names(st, org, BL_NAMES_SKU, &sum->arena, &names, &nn, d);
    if (!rc)
        name_each(names, nn, snap->sku_id, snap->nskus, sum->name);
    rc = rc ? rc : bl_store_names(st, org, BL_NAMES_WAREHOUSE, &sum->arena, &names, &nn, d);
    if (!rc)
        name_each(names, nn, snap->wh_id, snap->nwh, sum->wh_name);
    return rc;
}

int bl_app_stock_summary(struct bl_store *st, int64_t org, const struct bl_app_alerts_res *al,
                         struct bl_app_stock_summary *sum, struct bl_diag *d)
{
    memset(sum, 0, sizeof(*sum));
    bl_arena_init(&sum->arena, 1u << 14);
    sum->al = al;
    const struct bl_app_stock_day *day = al->day;
    size_t n = day->snap.nskus;
    sum->order = bl_arena_alloc(&sum->arena, (n + 1) * sizeof(*sum->order));
    sum->name = bl_arena_alloc(&sum->arena, (n + 1) * sizeof(*sum->name));
    sum->flags = bl_arena_alloc(&sum->arena, n + 1);
    sum->wh_name = bl_arena_alloc(&sum->arena, (day->snap.nwh + 1) * sizeof(*sum->wh_name));
    if (!sum->order || !sum->name || !sum->flags || !sum->wh_name)
        return bl_diag_set(d, BL_ENOMEM, "stock summary: out of memory");
    memset(sum->flags, 0, n + 1);
    sum->skus = (int64_t)n;
    sum->stockout_days = day->opts.policy.alert_days;
    for (size_t i = 0; i < al->n; i++) /* the stock-out alerts, as GET /today counts them */
        if (al->alerts[i].kind == BL_APP_ALERT_STOCKOUT && al->alerts[i].sku < n)
            sum->flags[al->alerts[i].sku] |= 1u << BL_APP_SUMMARY_STOCKOUT;
    struct runway *r = bl_calloc(n + 1, sizeof(*r));
    if (!r)
        return bl_diag_set(d, BL_ENOMEM, "stock summary: out of memory");
    for (size_t k = 0; k < n; k++) {
        const struct bl_rp_plan *p = &day->plans[k];
        r[k] =
            (struct runway){isfinite(p->days_cover) ? p->days_cover : HUGE_VAL, p->stockout_day, k};
        sum->flags[k] |= 1u << BL_APP_SUMMARY_ALL;
        if (p->order_qty > 0)
            sum->flags[k] |= 1u << BL_APP_SUMMARY_REORDER;
        if (p->stockout_day != BL_RP_NEVER && p->stockout_unavoidable)
            sum->flags[k] |= 1u << BL_APP_SUMMARY_LATE;
        sum->stockouts += (sum->flags[k] >> BL_APP_SUMMARY_STOCKOUT) & 1u;
        sum->reorder += (sum->flags[k] >> BL_APP_SUMMARY_REORDER) & 1u;
        sum->late += (sum->flags[k] >> BL_APP_SUMMARY_LATE) & 1u;
    }
    qsort(r, n, sizeof(*r), by_runway);
    for (size_t i = 0; i < n; i++)
        sum->order[i] = r[i].k;
    bl_free(r);
    return load_names(st, org, &day->snap, sum, d);
}

void bl_app_stock_summary_release(struct bl_app_stock_summary *sum)
{
    bl_arena_release(&sum->arena);
    memset(sum, 0, sizeof(*sum));
}

size_t bl_app_stock_summary_page(const struct bl_app_stock_summary *sum,
                                 enum bl_app_summary_filter f, size_t offset, size_t *out,
                                 size_t cap, size_t *n)
{
    size_t total = 0;
    *n = 0;
    for (size_t i = 0; sum->order && i < (size_t)sum->skus; i++) {
        size_t k = sum->order[i];
        if (!((sum->flags[k] >> f) & 1u))
            continue;
        if (total >= offset && *n < cap)
            out[(*n)++] = k;
        total++;
    }
    return total;
}
