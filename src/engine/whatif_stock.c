/* whatif_stock.c - the stock over the horizon, day by day, per SKU and warehouse: the
 * available units (replenish.h's A), the open purchase orders arriving at their ETA, the
 * demand the forecast gives (replenish.h: a SKU's daily demand shared evenly by the
 * warehouses holding it), lost when there is nothing to sell. With the events, demand
 * changes on the days a shock covers, and a purchase order from a supplier that a
 * shutdown or a lockdown stops arrives when it ends (bl_rp_affects decides which) or
 * later by a lead-time change. Then the playbook (bl_pb_run) on the plans bl_rp_plan
 * makes of each run's inputs. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/whatif_impl.h"

/* The supplier a SKU's purchase orders come from: its first source, else its primary. */
static ptrdiff_t supplier_of(const struct bl_rp_sku *k)
{
    return k->nsources ? k->sources[0].supplier : k->supplier;
}

/* The day a purchase order due on eta arrives with the events. */
static int64_t arrival(const struct bl_wi_input *in, const struct bl_rp_input *hyp, ptrdiff_t sup,
                       int64_t eta)
{
    if (sup < 0)
        return eta;
    for (size_t l = 0; l < in->nlead; l++) {
        const struct bl_wi_lead *x = &in->lead[l];
        if ((ptrdiff_t)x->supplier == sup && eta >= x->from_day) {
            int64_t delta = x->lead_days - in->rp->suppliers[sup].lead_days;
            eta = eta + delta < in->rp->as_of ? in->rp->as_of : eta + delta;
        }
    }
    for (bool moved = true; moved && eta != BL_RP_NEVER;) {
        moved = false;
        for (size_t h = in->rp->ndisruptions; h < hyp->ndisruptions; h++) {
            const struct bl_rp_disruption *x = &hyp->disruptions[h];
            if (eta >= x->start_day && eta < x->end_day && bl_rp_affects(hyp, x, (size_t)sup)) {
                eta = x->end_day;
                moved = true;
            }
        }
    }
    return eta;
}

/* The demand of SKU k on day t with the events, as a factor of the forecast. */
static double factor(const struct bl_wi_input *in, size_t k, int64_t t)
{
    double f = 1.0;
    for (size_t i = 0; i < in->ndemand; i++)
        if (in->demand[i].sku == k && t >= in->demand[i].from_day && t < in->demand[i].to_day)
            f += (double)in->demand[i].pct_bp / 10000.0;
    return f > 0 ? f : 0;
}

/* One SKU in one warehouse over the horizon, in one run. */
static void simulate(const struct bl_wi_input *in, const struct bl_rp_input *hyp, size_t k,
                     const struct bl_rp_stock *st, double d, int run, struct bl_wi_stockout *o)
{
    const struct bl_rp_sku *sku = &in->rp->skus[k];
    int64_t s0 = in->rp->as_of;
    double stock = (double)(st->on_hand > st->reserved ? st->on_hand - st->reserved : 0);
    double lost = 0;
    size_t mlo, mhi;
    bl__wi_plan_moves(in, k, st->warehouse, &mlo, &mhi);
    o->day[run] = BL_RP_NEVER;
    for (int64_t t = s0; t < s0 + in->horizon; t++) {
        stock = bl__wi_plan_move(in, mlo, mhi, s0, t, stock);
        for (size_t b = 0; b < sku->ninbound; b++) {
            const struct bl_rp_inbound *x = &sku->inbound[b];
            if (x->warehouse != st->warehouse ||
                !bl_rp_inbound_counted(&in->rp->policy, s0, x->eta_day))
                continue; /* more than the policy's overdue days late: not coming */
            int64_t eta = x->eta_day < s0 ? s0 : x->eta_day;
            if (run == BL_WI_WITH)
                eta = arrival(in, hyp, supplier_of(sku), eta);
            stock += eta == t ? (double)x->qty : 0;
        }
        stock -= run == BL_WI_WITH ? d * factor(in, k, t) : d;
        if (stock < -1e-9) {
            lost -= stock;
            stock = 0;
            o->day[run] = o->day[run] == BL_RP_NEVER ? t : o->day[run];
        }
    }
    o->units_short[run] = (int64_t)ceil(lost - 1e-9); /* a part of a unit unmet is a sale lost */
    o->revenue_short[run] =
        in->price && in->price[k] >= 0 ? o->units_short[run] * in->price[k] : -1;
}

static int add_short(struct bl__wi *w, struct bl_wi_result *r, const struct bl_wi_stockout *o)
{
    if (!o->currency[0])
        return BL_OK;
    struct bl_wi_money *m = bl__wi_money_of(w, r, o->currency);
    if (!m)
        return w->d->code ? w->d->code : bl_diag_set(w->d, BL_ENOMEM, "what-if: out of memory");
    for (int run = 0; run < 2; run++)
        m->revenue_short[run] += o->revenue_short[run] > 0 ? o->revenue_short[run] : 0;
    return BL_OK;
}

static int cmp_wh(const void *x, const void *y)
{
    const struct bl_wi_stockout *a = x, *b = y;
    return (a->warehouse > b->warehouse) - (a->warehouse < b->warehouse);
}

static int stockouts(struct bl__wi *w, struct bl_wi_result *r, const struct bl_rp_input *hyp)
{
    const struct bl_wi_input *in = w->in;
    size_t cap = 0;
    for (size_t k = 0; k < in->rp->nskus; k++)
        cap += in->rp->skus[k].nstock;
    r->stockouts = bl_arena_alloc(&r->arena, (cap + 1) * sizeof(*r->stockouts));
    if (!r->stockouts)
        return bl_diag_set(w->d, BL_ENOMEM, "what-if: out of memory");
    for (size_t k = 0; k < in->rp->nskus; k++) {
        const struct bl_rp_sku *sku = &in->rp->skus[k];
        size_t first = r->nstockouts;
        double d = sku->nstock ? sku->daily_mean / (double)sku->nstock : 0;
        for (size_t i = 0; i < sku->nstock; i++) {
            struct bl_wi_stockout o = {.sku = k, .warehouse = sku->stock[i].warehouse};
            for (int run = 0; run < 2; run++)
                simulate(in, hyp, k, &sku->stock[i], d, run, &o);
            if (o.day[0] == BL_RP_NEVER && o.day[1] == BL_RP_NEVER)
                continue;
            if (in->price_cur)
                memcpy(o.currency, in->price_cur[k], 4);
            int rc = add_short(w, r, &o);
            if (rc)
                return rc;
            r->stockouts[r->nstockouts++] = o;
        }
        qsort(r->stockouts + first, r->nstockouts - first, sizeof(*r->stockouts), cmp_wh);
    }
    return BL_OK;
}

/* ---- the playbook ------------------------------------------------------------------ */

/* The with run's planning input: the events' disruptions added, lead times changed, each
 * SKU's demand at its mean factor over the horizon. */
static int with_input(struct bl__wi *w, struct bl_rp_input *out)
{
    const struct bl_wi_input *in = w->in;
    const struct bl_rp_input *rp = in->rp;
    *out = *rp;
    size_t nd = rp->ndisruptions + in->nrp_hyp;
    struct bl_rp_disruption *dis = bl_arena_alloc(w->a, (nd + 1) * sizeof(*dis));
    struct bl_rp_supplier *sup = bl_arena_alloc(w->a, (rp->nsuppliers + 1) * sizeof(*sup));
    struct bl_rp_sku *skus = bl_arena_alloc(w->a, (rp->nskus + 1) * sizeof(*skus));
    if (!dis || !sup || !skus)
        return bl_diag_set(w->d, BL_ENOMEM, "what-if: out of memory");
    if (rp->ndisruptions)
        memcpy(dis, rp->disruptions, rp->ndisruptions * sizeof(*dis));
    if (in->nrp_hyp)
        memcpy(dis + rp->ndisruptions, in->rp_hyp, in->nrp_hyp * sizeof(*dis));
    if (rp->nsuppliers)
        memcpy(sup, rp->suppliers, rp->nsuppliers * sizeof(*sup));
    for (size_t l = 0; l < in->nlead; l++) {
        struct bl_rp_supplier *s = &sup[in->lead[l].supplier];
        int64_t delta = in->lead[l].lead_days - s->lead_days;
        s->lead_days = in->lead[l].lead_days;
        s->lead_days_max =
            s->lead_days_max + delta > s->lead_days ? s->lead_days_max + delta : s->lead_days;
    }
    for (size_t k = 0; k < rp->nskus; k++) {
        skus[k] = rp->skus[k];
        double f = 0;
        for (int64_t t = rp->as_of; t < rp->as_of + in->horizon; t++)
            f += factor(in, k, t);
        skus[k].daily_mean *= in->horizon ? f / (double)in->horizon : 1.0;
    }
    out->disruptions = dis;
    out->ndisruptions = nd;
    out->suppliers = sup;
    out->skus = skus;
    return BL_OK;
}

static int add_action(struct bl__wi *w, struct bl_wi_result *r, const struct bl_pb_action *x,
                      const struct bl_rp_plan *plans, int run)
{
    for (size_t i = 0; i < r->nactions; i++) {
        struct bl_wi_action *y = &r->actions[i];
        if (y->sku == x->target && y->shop == x->shop && y->kind == (int)x->kind) {
            y->in[run] = true;
            return BL_OK;
        }
    }
    (void)w;
    struct bl_wi_action *y = &r->actions[r->nactions++];
    *y = (struct bl_wi_action){.sku = x->target,
                               .shop = x->shop,
                               .kind = (int)x->kind,
                               .mode = (int)x->mode,
                               .day = x->shop ? BL_RP_NEVER : plans[x->target].stockout_day};
    y->in[run] = true;
    return BL_OK;
}

static int cmp_action(const void *x, const void *y)
{
    const struct bl_wi_action *a = x, *b = y;
    if (a->shop != b->shop)
        return a->shop - b->shop;
    if (a->sku != b->sku)
        return (a->sku > b->sku) - (a->sku < b->sku);
    return a->kind - b->kind;
}

static int playbook(struct bl__wi *w, struct bl_wi_result *r, const struct bl_rp_input *hyp)
{
    const struct bl_rp_input *rp = w->in->rp;
    struct bl_rp_plan *plans[2];
    struct bl_pb_action *acts[2];
    size_t nact[2];
    for (int run = 0; run < 2; run++) {
        const struct bl_rp_input *x = run ? hyp : rp;
        plans[run] = bl_arena_alloc(w->a, (rp->nskus + 1) * sizeof(struct bl_rp_plan));
        if (!plans[run])
            return bl_diag_set(w->d, BL_ENOMEM, "what-if: out of memory");
        int rc = bl_rp_plan(x, w->a, plans[run], w->d);
        struct bl_pb_input pb = *w->in->pb;
        pb.plans = plans[run];
        pb.disruptions = x->disruptions;
        pb.ndisruptions = x->ndisruptions;
        if (!rc)
            rc = bl_pb_run(&pb, w->a, &acts[run], &nact[run], w->d);
        if (rc)
            return rc;
    }
    r->actions = bl_arena_alloc(&r->arena, (nact[0] + nact[1] + 1) * sizeof(*r->actions));
    if (!r->actions)
        return bl_diag_set(w->d, BL_ENOMEM, "what-if: out of memory");
    for (int run = 0; run < 2; run++)
        for (size_t i = 0; i < nact[run]; i++)
            if (acts[run][i].op == BL_PB_NEW) {
                int rc = add_action(w, r, &acts[run][i], plans[run], run);
                if (rc)
                    return rc;
            }
    qsort(r->actions, r->nactions, sizeof(*r->actions), cmp_action);
    return BL_OK;
}

int bl__wi_stock(struct bl__wi *w, struct bl_wi_result *r)
{
    if (!w->in->rp)
        return BL_OK;
    struct bl_rp_input hyp;
    int rc = with_input(w, &hyp);
    if (!rc)
        rc = stockouts(w, r, &hyp);
    if (!rc && w->in->pb)
        rc = playbook(w, r, &hyp);
    return rc;
}
