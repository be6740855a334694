/* whatif_mitigate_reroute.c - the reroute lever (whatif_mitigate_impl.h): a shop's orders
 * the events hold on a channel they suspend alone (a channel_suspension, or a disruption
 * that names the channel) go by a running channel that serves the same lanes. Its cost is
 * the freight over the usual, quoted on the logistics catalogue for the shop's own recent
 * orders on the suspended channel (their lanes and weights), for every order the events
 * hold there; what it saves is the late orders' coupons (the measure reads them). */
#include <string.h>

#include "app/whatif_mitigate_impl.h"

#define SAMPLE 64 /* the shop's latest priced orders on the channel a quote is made for */

/* Whether the events suspend snapshot channel c alone (not every channel of a region),
 * and until when (the latest end, an instant). */
static bool suspended(const struct bl_wi_input *in, int32_t c, int64_t *until)
{
    bool hit = false;
    *until = INT64_MIN;
    for (size_t h = 0; h < in->nhyp; h++) {
        const struct bl_assess_disruption *x = &in->hyp[h];
        if (x->supplier_only || x->channel != c || x->channel < 0)
            continue;
        hit = true;
        *until = x->ends > *until ? x->ends : *until;
    }
    return hit;
}

/* The shop's channel the events suspend with the most orders they make late (-1: none):
 * its row's late and held orders, and the suspension's end. */
static int32_t held_channel(const struct bl__mg *m, uint32_t shop, int64_t *held, int64_t *until)
{
    const struct bl_wi_result *r = m->r;
    int32_t best = -1;
    int64_t most = 0, u;
    for (size_t i = 0; i < r->norders; i++) {
        const struct bl_wi_orders *o = &r->orders[i];
        int64_t late = o->late_ship[BL_WI_WITH] - o->late_ship[BL_WI_BASE];
        if (o->shop != shop || o->channel < 0 || late <= most || !suspended(m->in, o->channel, &u))
            continue;
        best = o->channel;
        most = late;
        *held = o->held > late ? o->held : late;
        *until = u;
    }
    return best;
}

/* The snapshot's index of catalogue channel j (-1: no order has used it). */
static int32_t snap_channel(const struct bl__mg *m, size_t j)
{
    const struct bl_lg_channel *ch = bl_lg_channel(m->cat.lg, j);
    for (size_t k = 0; k < m->x->res->nchannels; k++)
        if (strcmp(m->x->res->channel[k], ch->id) == 0)
            return (int32_t)k;
    return -1;
}

struct quotes {
    int64_t *sum;   /* per catalogue channel: the freight over the usual, summed */
    size_t *n;      /* ... over how many of the samples it serves */
    size_t samples; /* orders quoted */
};

/* Quotes the shop's latest priced orders on channel c (their lanes and weights) on every
 * channel: what each would cost more than the usual, in the organisation's currency. */
static void quote(struct bl__mg *m, uint32_t shop, int32_t c, struct quotes *q)
{
    const struct bl_assess_orders *o = m->in->orders;
    const struct bl_lg *lg = m->cat.lg;
    const struct bl_wi_input *in = m->in;
    struct bl_lg_option opt[64];
    int64_t usual;
    for (size_t i = o->n; i-- > 0 && q->samples < SAMPLE;) {
        if (o->shop[i] != shop || !o->channel || o->channel[i] != c || !in->freight ||
            in->freight[i] < 0 || !m->x->weight || m->x->weight[i] < 0 ||
            bl__mg_conv(m, in->freight[i], in->ch_currency[c], &usual) != 0)
            continue;
        const char *from = bl_regions_name(in->regions, o->from[i]);
        const char *to = bl_regions_name(in->regions, o->to[i]);
        struct bl_lg_shipment s = {from ? bl_lg_locate(lg, bl_str_c(from)) : 0,
                                   to ? bl_lg_locate(lg, bl_str_c(to)) : 0,
                                   m->x->weight[i],
                                   {0, 0, 0},
                                   in->as_of,
                                   BL_LG_NO_PROMISE,
                                   NULL};
        size_t n = 0;
        struct bl_diag tmp;
        if (!s.from || !s.to || bl_lg_quote(lg, &s, opt, 64, &n, &tmp) != 0)
            continue;
        q->samples++;
        for (size_t k = 0; k < n && k < 64; k++) {
            const struct bl_lg_channel *ch = bl_lg_channel(lg, (size_t)opt[k].channel);
            int64_t price;
            if (opt[k].disruption >= 0 || bl__mg_conv(m, opt[k].price, ch->currency, &price) != 0)
                continue; /* suspended in the store already, or no rate */
            q->sum[opt[k].channel] += price - usual;
            q->n[opt[k].channel]++;
        }
    }
}

const struct bl__mg_rr *bl__mg_rr_of(const struct bl__mg *m, size_t lever)
{
    for (size_t i = 0; i < m->nrr; i++)
        if (m->rr[i].lever == lever)
            return &m->rr[i];
    return NULL;
}

int bl__mg_backup(struct bl__mg *m, uint32_t shop, struct bl__mg_rr *out, int32_t *to)
{
    int64_t held = 0, until = 0, u;
    int32_t c =
        m->cat_open && m->cat.lg && m->in->freight ? held_channel(m, shop, &held, &until) : -1;
    const struct bl_app_whatif_res *res = m->x->res;
    for (size_t i = 0; c >= 0 && i < res->napproved; i++)
        if (res->approved[i].shop == shop && res->approved[i].from == c)
            return 0; /* approved already: the runs follow it (the rest is its lateness) */
    size_t nch = c >= 0 && held > 0 ? bl_lg_nchannels(m->cat.lg) : 0;
    if (!nch)
        return 0;
    struct quotes qs = {bl_calloc(nch, sizeof(int64_t)), bl_calloc(nch, sizeof(size_t)), 0};
    if (!qs.sum || !qs.n) {
        bl_free(qs.sum);
        bl_free(qs.n);
        return bl_diag_set(m->d, BL_ENOMEM, "what-if: out of memory");
    }
    quote(m, shop, c, &qs);
    int32_t best = -1;
    int64_t diff = 0;
    for (size_t j = 0; qs.samples && j < nch; j++) {
        int32_t k = snap_channel(m, j);
        if (qs.n[j] != qs.samples || k < 0 || k == c || suspended(m->in, k, &u))
            continue; /* not every lane, no order has used it, or the events stop it too */
        int64_t mean = qs.sum[j] / (int64_t)qs.samples;
        if (best < 0 || mean < diff) {
            best = k;
            diff = mean;
        }
    }
    bl_free(qs.sum);
    bl_free(qs.n);
    if (best < 0)
        return 0;
    *out = (struct bl__mg_rr){0, c, held, diff > 0 ? diff : 0, until};
    *to = best;
    return 1;
}

int bl__mg_reroute(struct bl__mg *m, size_t q)
{
    const struct bl_mg_problem *p = &m->p[q];
    struct bl__mg_rr x;
    int32_t best;
    int rc = p->units > 0 ? bl__mg_backup(m, (uint32_t)p->shop, &x, &best) : 0;
    if (rc <= 0)
        return rc;
    /* every held order pays the freight over the usual; the estimate counts late ones */
    __int128 all = (__int128)x.diff * x.held;
    struct bl_mg_lever l;
    memset(&l, 0, sizeof(l));
    l.kind = BL_MG_REROUTE;
    l.problem = q;
    l.target = best;
    l.by_day = m->day0;
    l.ready_day = m->day0;
    l.unit_cost = all > INT64_MAX / 2 ? INT64_MAX / 2 : (int64_t)((all + p->units - 1) / p->units);
    if (bl_grow((void **)&m->rr, &m->rrcap, m->nrr + 1, sizeof(*m->rr)) != 0)
        return bl_diag_set(m->d, BL_ENOMEM, "what-if: out of memory");
    x.lever = m->nl;
    m->rr[m->nrr++] = x;
    return bl__mg_add_lever(m, &l);
}
