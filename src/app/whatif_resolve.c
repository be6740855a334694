/* whatif_resolve.c - the what-if's assumptions against the loaded snapshots (whatif.h):
 * names into indexes, instants into the days the stock runs on; an unknown name stops
 * the what-if with the file's line. Also each SKU's name, price and category. */
#include <string.h>

#include "app/whatif_impl.h"
#include "ballast/disruption.h"
#include "store/catalog.h"

#define DAY INT64_C(86400)

static int64_t floor_day(int64_t t)
{
    return t >= 0 ? t / DAY : -((-t + DAY - 1) / DAY);
}

static int64_t end_day(int64_t t)
{
    return bl_dis_open_end(t) ? BL_RP_NEVER : -floor_day(-t);
}

int bl__wi_catalog(struct bl__wi_app *x, struct bl_diag *d)
{
    struct bl_app_whatif_res *res = x->res;
    const struct bl_stock_snap *s = &res->sday.snap;
    struct bl_arena *a = &res->arena;
    x->price = bl_arena_alloc(a, (s->nskus + 1) * sizeof(int64_t));
    x->price_cur = bl_arena_alloc(a, (s->nskus + 1) * sizeof(*x->price_cur));
    x->promo = bl_arena_alloc(a, (s->nskus + 1) * sizeof(int64_t));
    x->category = bl_arena_alloc(a, (s->nskus + 1) * sizeof(char *));
    res->sku_name = bl_arena_alloc(a, (s->nskus + 1) * sizeof(char *));
    struct bl_map m;
    bl_map_init(&m, a);
    if (!x->price || !x->price_cur || !x->promo || !x->category || !res->sku_name)
        return bl_diag_set(d, BL_ENOMEM, "what-if: out of memory");
    int rc = BL_OK;
    for (size_t k = 0; !rc && k < s->nskus; k++) {
        x->price[k] = -1;
        x->promo[k] = -1;
        x->price_cur[k][0] = '\0';
        x->category[k] = NULL;
        res->sku_name[k] = s->sku_ext[k];
        rc = bl_map_put(&m, bl_str_c(s->sku_ext[k]), (int64_t)k);
    }
    struct bl_catalog_sku *c = NULL;
    size_t n = 0;
    if (!rc)
        rc = bl_store_catalog_skus(x->st, x->org, NULL, 0, -1, a, &c, &n, d);
    for (size_t i = 0; !rc && i < n; i++) {
        int64_t k;
        if (!bl_map_get(&m, bl_str_c(c[i].ext_id), &k))
            continue;
        res->sku_name[k] = c[i].name && c[i].name[0] ? c[i].name : c[i].ext_id;
        x->category[k] = c[i].category;
        if (c[i].price != BL_CATALOG_NONE && c[i].currency) {
            x->price[k] = c[i].price;
            memcpy(x->price_cur[k], c[i].currency, 3);
            x->price_cur[k][3] = '\0';
        }
        /* in the SKU's currency, as its price (without a price, no margin: no problem) */
        if (c[i].promoted && c[i].promo_spend != BL_CATALOG_NONE && x->price[k] >= 0)
            x->promo[k] = c[i].promo_spend;
    }
    bl_map_release(&m);
    return rc == BL_ENOMEM && !d->code ? bl_diag_set(d, BL_ENOMEM, "out of memory") : rc;
}

static int unknown(struct bl__wi_app *x, const struct bl_wi_event *e, enum bl_app_whatif_problem p,
                   const char *field, const char *what, const char *name, struct bl_diag *d)
{
    x->res->problem = p;
    x->res->problem_line = e->line;
    bl_diag_at(d, NULL, e->line, field);
    return bl_diag_set(d, BL_ENOTFOUND, "%s %s: %s", what, name,
                       p == BL_APP_WHATIF_NO_STOCK ? "the organisation keeps no stock counts"
                                                   : "not in this organisation");
}

static int64_t find(const char *const *names, size_t n, const char *name)
{
    for (size_t k = 0; names && k < n; k++)
        if (strcmp(names[k], name) == 0)
            return (int64_t)k;
    return -1;
}

static int supplier(struct bl__wi_app *x, const struct bl_wi_event *e, ptrdiff_t *out,
                    struct bl_diag *d)
{
    *out = -1;
    if (!e->supplier)
        return BL_OK;
    if (!x->res->stock)
        return unknown(x, e, BL_APP_WHATIF_NO_STOCK, "supplier", "supplier", e->supplier, d);
    const struct bl_stock_snap *s = &x->res->sday.snap;
    int64_t k = find(s->sup_ext, s->nsup, e->supplier);
    if (k < 0)
        return unknown(x, e, BL_APP_WHATIF_UNKNOWN_SUPPLIER, "supplier", "supplier", e->supplier,
                       d);
    *out = (ptrdiff_t)k;
    return BL_OK;
}

/* The event as the standing sees it (a shipment it holds); supplier-only ones hold none. */
static int standing_event(struct bl__wi_app *x, const struct bl_wi_event *e, int scope,
                          struct bl_diag *d)
{
    int32_t ch = -1;
    if (e->channel) {
        int64_t k = find(x->res->snap.chan_name, x->res->snap.nchan, e->channel);
        if (k < 0)
            return unknown(x, e, BL_APP_WHATIF_UNKNOWN_CHANNEL, "channel",
                           "no order travels on channel", e->channel, d);
        ch = (int32_t)k;
    }
    if (e->supplier || (e->kind == BL_WI_DISRUPTION && e->dis_kind == BL_DIS_SERVICE_CLOSURE))
        return BL_OK;
    uint32_t region;
    if (bl_regions_intern(x->res->snap.regions, bl_str_c(e->region), &region))
        return bl_diag_set(d, BL_ENOMEM, "what-if: out of memory");
    struct bl_assess_disruption *h = &x->hyp[x->nhyp++];
    *h = (struct bl_assess_disruption){.id = -e->line,
                                       .region = region,
                                       .scope = (enum bl_scope)(scope + 1),
                                       .starts = e->from,
                                       .ends = e->to,
                                       .channel = ch,
                                       .supplier_only = false};
    return BL_OK;
}

/* The event as the supply sees it (replenish.h): its region, or the supplier's own. */
static int supply_event(struct bl__wi_app *x, const struct bl_wi_event *e, ptrdiff_t sup, int scope)
{
    if (!x->res->stock || (e->kind == BL_WI_DISRUPTION && e->dis_kind == BL_DIS_SERVICE_CLOSURE))
        return BL_OK;
    const char *region = e->region[0] ? e->region : x->rp.suppliers[sup].region;
    char *copy = bl_arena_strndup(&x->res->arena, region, strlen(region));
    if (!copy)
        return BL_ENOMEM;
    x->rp_hyp[x->nrp_hyp++] = (struct bl_rp_disruption){.region = copy,
                                                        .scope = (enum bl_rp_scope)scope,
                                                        .supplier = sup,
                                                        .channel_only = e->channel != NULL,
                                                        .start_day = floor_day(e->from),
                                                        .end_day = end_day(e->to)};
    return BL_OK;
}

static int demand(struct bl__wi_app *x, const struct bl_wi_event *e, struct bl_diag *d)
{
    if (!x->res->stock)
        return unknown(x, e, BL_APP_WHATIF_NO_STOCK, e->sku ? "sku" : "category",
                       e->sku ? "SKU" : "category", e->sku ? e->sku : e->category, d);
    const struct bl_stock_snap *s = &x->res->sday.snap;
    size_t before = x->ndemand, hits = 0;
    for (int pass = 0; pass < 2; pass++) {
        if (pass) {
            struct bl_wi_demand *v =
                bl_arena_alloc(&x->res->arena, (before + hits + 1) * sizeof(*v));
            if (!v)
                return bl_diag_set(d, BL_ENOMEM, "what-if: out of memory");
            if (before)
                memcpy(v, x->demand, before * sizeof(*v));
            x->demand = v;
        }
        for (size_t k = 0; k < s->nskus; k++) {
            bool hit = e->sku ? strcmp(s->sku_ext[k], e->sku) == 0
                              : x->category[k] && strcmp(x->category[k], e->category) == 0;
            if (hit && !pass)
                hits++;
            else if (hit)
                x->demand[x->ndemand++] = (struct bl_wi_demand){.sku = k,
                                                                .pct_bp = e->pct_bp,
                                                                .from_day = floor_day(e->from),
                                                                .to_day = end_day(e->to)};
        }
    }
    if (x->ndemand == before)
        return unknown(x, e, e->sku ? BL_APP_WHATIF_UNKNOWN_SKU : BL_APP_WHATIF_UNKNOWN_CATEGORY,
                       e->sku ? "sku" : "category", e->sku ? "SKU" : "category",
                       e->sku ? e->sku : e->category, d);
    return BL_OK;
}

static int one(struct bl__wi_app *x, const struct bl_wi_event *e, struct bl_diag *d)
{
    ptrdiff_t sup = -1;
    int rc = supplier(x, e, &sup, d);
    if (rc)
        return rc;
    switch (e->kind) {
    case BL_WI_DISRUPTION:
        rc = standing_event(x, e, e->scope, d);
        return rc ? rc : supply_event(x, e, sup, e->scope);
    case BL_WI_CHANNEL_SUSPENSION:
        return standing_event(x, e, BL_DIS_ORIGIN, d);
    case BL_WI_SUPPLIER_SHUTDOWN:
        return supply_event(x, e, sup, BL_DIS_ORIGIN);
    case BL_WI_LEAD_TIME:
        x->lead[x->nlead++] = (struct bl_wi_lead){(size_t)sup, e->lead_days, floor_day(e->from)};
        return BL_OK;
    case BL_WI_DEMAND:
        return demand(x, e, d);
    default: { /* channel_price: priced on the catalogue by whatif_freight.c */
        int64_t k = find(x->res->snap.chan_name, x->res->snap.nchan, e->channel);
        if (k < 0)
            return unknown(x, e, BL_APP_WHATIF_UNKNOWN_CHANNEL, "channel",
                           "no order travels on channel", e->channel, d);
        x->price_ev[x->nprices] = (size_t)(e - x->req->assume->ev);
        x->prices[x->nprices++] = (struct bl_wi_price){(int32_t)k, e->pct_bp, e->from, e->to, NULL};
        return BL_OK;
    }
    }
}

int bl__wi_resolve(struct bl__wi_app *x, struct bl_diag *d)
{
    const struct bl_wi_assume *as = x->req->assume;
    size_t n = as ? as->n : 0;
    struct bl_arena *a = &x->res->arena;
    x->hyp = bl_arena_alloc(a, (n + 1) * sizeof(*x->hyp));
    x->rp_hyp = bl_arena_alloc(a, (n + 1) * sizeof(*x->rp_hyp));
    x->lead = bl_arena_alloc(a, (n + 1) * sizeof(*x->lead));
    x->prices = bl_arena_alloc(a, (n + 1) * sizeof(*x->prices));
    x->price_ev = bl_arena_alloc(a, (n + 1) * sizeof(*x->price_ev));
    x->price_extra = bl_arena_alloc(a, (n + 1) * sizeof(*x->price_extra));
    if (!x->hyp || !x->rp_hyp || !x->lead || !x->prices || !x->price_ev || !x->price_extra)
        return bl_diag_set(d, BL_ENOMEM, "what-if: out of memory");
    int rc = BL_OK;
    for (size_t i = 0; !rc && i < n; i++)
        rc = one(x, &as->ev[i], d);
    if (rc == BL_ENOMEM && !d->code)
        rc = bl_diag_set(d, BL_ENOMEM, "what-if: out of memory");
    return rc;
}
