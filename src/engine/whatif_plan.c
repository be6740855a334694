/* whatif_plan.c - a plan's steps on the horizon (whatif.h: moves, reroutes, handling), for
 * `whatif --mitigate` (mitigate.h, docs/internals/mitigate.md): applied to both runs, so
 * a plan is measured by the same rules as the disruption it answers. */
#include <string.h>

#include "engine/whatif_impl.h"

static int cmp_move(const struct bl_wi_move *a, const struct bl_wi_move *b)
{
    if (a->sku != b->sku)
        return a->sku < b->sku ? -1 : 1;
    if (a->warehouse != b->warehouse)
        return a->warehouse < b->warehouse ? -1 : 1;
    return (a->day > b->day) - (a->day < b->day);
}

int bl__wi_plan_check(const struct bl_wi_input *in, struct bl_diag *d)
{
    size_t nskus = in->rp ? in->rp->nskus : 0;
    for (size_t i = 0; i < in->nmoves; i++) {
        const struct bl_wi_move *m = &in->moves[i];
        if (m->sku >= nskus || m->warehouse >= in->nwh || (i && cmp_move(&in->moves[i - 1], m) > 0))
            return bl_diag_set(d, BL_EINVAL,
                               "what-if: plan move %zu: no such SKU or "
                               "warehouse, or out of order",
                               i);
    }
    for (size_t i = 0; i < in->nreroutes; i++) {
        const struct bl_wi_reroute *r = &in->reroutes[i];
        if (r->shop >= in->nshops || r->to < 0 || (size_t)r->to >= in->nchannels)
            return bl_diag_set(d, BL_EINVAL,
                               "what-if: plan reroute %zu: no such shop or "
                               "channel",
                               i);
    }
    for (size_t i = 0; i < in->nhandling; i++)
        if (in->handling[i].shop >= in->nshops || in->handling[i].extra < 0 ||
            in->handling[i].extra > BL_WI_HORIZON_MAX * BL__WI_DAY)
            return bl_diag_set(d, BL_EINVAL,
                               "what-if: plan handling %zu: no such shop, or "
                               "days out of range",
                               i);
    return BL_OK;
}

/* Not shipped when the data ends: the plan can still change it. */
static bool open_order(const struct bl__wi *w, size_t k)
{
    return w->ev[0][0][k] == BL_NO_TIME || w->ev[0][0][k] > w->last;
}

void bl__wi_plan_orders(struct bl__wi *w)
{
    const struct bl_wi_input *in = w->in;
    for (size_t i = 0; i < in->nreroutes; i++) {
        const struct bl_wi_reroute *x = &in->reroutes[i];
        for (size_t k = w->shop_off[x->shop]; k < w->shop_off[x->shop + 1]; k++) {
            int64_t handed = w->placed[k] > in->as_of ? w->placed[k] : in->as_of;
            if (w->channel[k] == x->channel && handed >= x->from && handed < x->until &&
                open_order(w, k))
                w->channel[k] = x->to;
        }
    }
    for (size_t i = 0; i < in->nhandling; i++) {
        const struct bl_wi_handling *x = &in->handling[i];
        for (size_t k = w->shop_off[x->shop]; k < w->shop_off[x->shop + 1]; k++) {
            if ((x->channel >= 0 && w->channel[k] != x->channel) || w->placed[k] < x->from ||
                !open_order(w, k) ||
                (x->region && !bl_regions_contains(in->regions, x->region, w->from[k])))
                continue;
            if (w->ship_by[k] != BL_NO_TIME)
                w->ship_by[k] += x->extra;
            if (w->promised[k] != BL_NO_TIME)
                w->promised[k] += x->extra;
        }
    }
}

void bl__wi_plan_moves(const struct bl_wi_input *in, size_t sku, size_t wh, size_t *lo, size_t *hi)
{
    struct bl_wi_move key = {sku, wh, 0, INT64_MIN};
    size_t a = 0, b = in->nmoves;
    while (a < b) { /* the first move not before (sku, wh) */
        size_t m = a + (b - a) / 2;
        if (cmp_move(&in->moves[m], &key) < 0)
            a = m + 1;
        else
            b = m;
    }
    *lo = a;
    while (a < in->nmoves && in->moves[a].sku == sku && in->moves[a].warehouse == wh)
        a++;
    *hi = a;
}

double bl__wi_plan_move(const struct bl_wi_input *in, size_t lo, size_t hi, int64_t first,
                        int64_t t, double stock)
{
    for (size_t m = lo; m < hi; m++) {
        const struct bl_wi_move *x = &in->moves[m];
        if ((x->day < first ? first : x->day) != t)
            continue;
        double q = (double)x->qty;
        stock = q >= 0 ? stock + q : (stock + q > 0 ? stock + q : 0);
    }
    return stock;
}
