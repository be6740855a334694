/* whatif_mitigate_move.c - the levers against the what-if's problems
 * (whatif_mitigate_impl.h): the SKU's backup suppliers (their lead time counted outside
 * the events' disruptions), stock another warehouse can spare (its freight quoted on the
 * logistics catalogue), a longer handling time (up to the playbook's cap), a promoted SKU's
 * promotion paused. */
#include <stdlib.h>
#include <string.h>

#include "app/whatif_mitigate_impl.h"
#include "ballast/region.h"

int bl__mg_add_lever(struct bl__mg *m, const struct bl_mg_lever *l)
{
    if (bl_grow((void **)&m->l, &m->lcap, m->nl + 1, sizeof(*l)) != 0)
        return bl_diag_set(m->d, BL_ENOMEM, "what-if: out of memory");
    m->l[m->nl++] = *l;
    return BL_OK;
}

static struct bl_mg_lever lever(enum bl_mg_kind k, size_t q, ptrdiff_t target, int64_t by,
                                int64_t ready)
{
    struct bl_mg_lever l;
    memset(&l, 0, sizeof(l));
    l.kind = k;
    l.problem = q;
    l.target = target;
    l.by_day = by;
    l.ready_day = ready;
    return l;
}

/* The stock input with the events' supply disruptions, for bl_rp_arrival. */
static int hyp_input(struct bl__mg *m)
{
    const struct bl_rp_input *rp = m->in->rp;
    size_t n = rp->ndisruptions + m->in->nrp_hyp;
    struct bl_rp_disruption *dis = bl_arena_alloc(&m->out->arena, (n + 1) * sizeof(*dis));
    if (!dis)
        return bl_diag_set(m->d, BL_ENOMEM, "what-if: out of memory");
    if (rp->ndisruptions)
        memcpy(dis, rp->disruptions, rp->ndisruptions * sizeof(*dis));
    if (m->in->nrp_hyp)
        memcpy(dis + rp->ndisruptions, m->in->rp_hyp, m->in->nrp_hyp * sizeof(*dis));
    m->hyp = *rp;
    m->hyp.disruptions = dis;
    m->hyp.ndisruptions = n;
    return BL_OK;
}

/* Whether the events' origin disruptions shut warehouse w's region on a day of
 * [from, to). */
static bool shut(const struct bl__mg *m, size_t w, int64_t from, int64_t to)
{
    const char *reg = m->x->res->sday.snap.wh_region[w];
    for (size_t h = 0; h < m->in->nrp_hyp; h++) {
        const struct bl_rp_disruption *x = &m->in->rp_hyp[h];
        if (x->scope != BL_RP_DESTINATION && !x->channel_only && x->supplier < 0 &&
            x->start_day < to && x->end_day > from &&
            bl_region_contains(bl_str_c(x->region), bl_str_c(reg)))
            return true;
    }
    return false;
}

static int64_t unit_cost(struct bl__mg *m, const struct bl_rp_source *s)
{
    int64_t v;
    return s->unit_cost >= 0 && bl__mg_conv(m, s->unit_cost, s->currency, &v) == 0 ? v : -1;
}

/* Every backup of the SKU's primary that delivers before the horizon ends. */
static int suppliers(struct bl__mg *m, size_t q)
{
    const struct bl_mg_problem *p = &m->p[q];
    const struct bl_rp_sku *s = &m->in->rp->skus[p->sku];
    int64_t primary = s->nsources ? unit_cost(m, &s->sources[0]) : -1;
    for (size_t j = 1; j < s->nsources; j++) {
        size_t sup = (size_t)s->sources[j].supplier;
        int64_t at = bl_rp_arrival(&m->hyp, sup), cost = unit_cost(m, &s->sources[j]);
        if (at == BL_RP_NEVER || at >= p->to_day || shut(m, (size_t)p->warehouse, at, at + 1))
            continue;
        struct bl_mg_lever l = lever(BL_MG_BACKUP_SUPPLIER, q, (ptrdiff_t)sup, m->day0, at);
        l.unit_cost = cost >= 0 && primary >= 0 && cost > primary ? cost - primary : 0;
        l.moq = s->sources[j].moq > 0 ? s->sources[j].moq : m->in->rp->suppliers[sup].moq;
        l.case_pack = m->in->rp->suppliers[sup].case_pack;
        int rc = bl__mg_add_lever(m, &l);
        if (rc)
            return rc;
    }
    return BL_OK;
}

/* Whether the run with the events leaves the SKU short in warehouse w (the stock-outs
 * are by SKU, then warehouse). */
static bool short_in(const struct bl_wi_result *r, size_t sku, size_t w)
{
    size_t a = 0, b = r->nstockouts;
    while (a < b) {
        size_t h = a + (b - a) / 2;
        const struct bl_wi_stockout *o = &r->stockouts[h];
        if (o->sku < sku || (o->sku == sku && o->warehouse < w))
            a = h + 1;
        else
            b = h;
    }
    return a < r->nstockouts && r->stockouts[a].sku == sku && r->stockouts[a].warehouse == w &&
           r->stockouts[a].day[BL_WI_WITH] != BL_RP_NEVER;
}

/* The freight of `units` of the SKU from warehouse a to b: the first available option
 * (the catalogue's order: available, core tier, cheapest); false when none serves. */
static bool freight(struct bl__mg *m, size_t sku, size_t a, size_t b, int64_t units, int64_t *price,
                    int64_t *ready)
{
    const struct bl_stock_snap *sn = &m->x->res->sday.snap;
    const struct bl_lg *lg = m->cat.lg;
    int64_t w = 0;
    for (size_t i = 0; i < m->nskus; i++)
        if (m->skus[i].id == sn->sku_id[sku])
            w = m->skus[i].weight_g;
    struct bl_lg_shipment s = {bl_lg_locate(lg, bl_str_c(sn->wh_region[a])),
                               bl_lg_locate(lg, bl_str_c(sn->wh_region[b])),
                               w > 0 && units < INT64_MAX / w ? w * units : 0,
                               {0, 0, 0},
                               m->in->as_of,
                               BL_LG_NO_PROMISE,
                               NULL};
    struct bl_lg_option opt[64];
    size_t n = 0;
    struct bl_diag tmp;
    if (!s.from || !s.to || bl_lg_quote(lg, &s, opt, 64, &n, &tmp) != 0 || !n ||
        opt[0].disruption >= 0)
        return false;
    const struct bl_lg_channel *c = bl_lg_channel(lg, (size_t)opt[0].channel);
    *ready = opt[0].latest_day + 1;
    return bl__mg_conv(m, opt[0].price, c->currency, price) == 0;
}

/* Stock another warehouse can spare: what it holds beyond its own demand over the
 * horizon, shared among the SKU's short warehouses. */
static int transfers(struct bl__mg *m, size_t q, size_t nshort)
{
    const struct bl_mg_problem *p = &m->p[q];
    const struct bl_rp_sku *s = &m->in->rp->skus[p->sku];
    for (size_t i = 0; i < s->nstock; i++) {
        size_t w = s->stock[i].warehouse;
        if ((ptrdiff_t)w == p->warehouse || short_in(m->r, (size_t)p->sku, w) ||
            shut(m, w, m->day0, m->until_day))
            continue;
        double need = s->daily_mean / (double)s->nstock * (double)m->in->horizon;
        int64_t avail = s->stock[i].on_hand - s->stock[i].reserved;
        int64_t spare = (int64_t)((double)avail - need) / (int64_t)nshort;
        int64_t price = 0, ready = 0, units = spare < p->units ? spare : p->units;
        if (units <= 0 ||
            !freight(m, (size_t)p->sku, w, (size_t)p->warehouse, units, &price, &ready) ||
            ready >= p->to_day || shut(m, (size_t)p->warehouse, ready, ready + 1))
            continue; /* nothing to spare, no channel, too late, or it arrives at a closed door */
        struct bl_mg_lever l = lever(BL_MG_TRANSFER, q, (ptrdiff_t)w, m->day0, ready);
        l.unit_cost = (price + units - 1) / units;
        l.max_units = spare;
        int rc = bl__mg_add_lever(m, &l);
        if (rc)
            return rc;
    }
    return BL_OK;
}

static int cmp_i64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

/* The days a listing may add: the playbook's cap over the SKUs' usual (median) handling
 * time; without stock counts (a marketplace's orders only), the default playbook's cap
 * over the orders' usual (median) time from placing to ship-by. */
static int handling_room(struct bl__mg *m, int64_t *room)
{
    const struct bl_pb_input *pb = m->in->pb;
    const struct bl_assess_orders *o = m->in->orders;
    size_t n = pb && pb->nskus ? pb->nskus : o->n, k = 0;
    *room = 0;
    if (!n)
        return BL_OK;
    int64_t *v = bl_malloc(n * sizeof(*v));
    if (!v)
        return bl_diag_set(m->d, BL_ENOMEM, "what-if: out of memory");
    for (size_t i = 0; i < n; i++) {
        if (pb && pb->nskus)
            v[k++] = pb->skus[i].handling_max;
        else if (o->ship_by[i] != BL_NO_TIME && o->ship_by[i] >= o->placed[i])
            v[k++] = (o->ship_by[i] - o->placed[i] + 86399) / 86400;
    }
    struct bl_pb_policy dflt;
    bl_pb_policy_init(&dflt);
    int64_t cap = pb ? pb->policy.handling_cap : dflt.handling_cap, med = cap;
    if (k) {
        qsort(v, k, sizeof(*v), cmp_i64);
        med = v[k / 2];
    }
    bl_free(v);
    *room = cap > med ? cap - med : 0;
    m->out->handling_days = cap;
    return BL_OK;
}

int bl__mg_levers(struct bl__mg *m)
{
    int64_t room = 0;
    int rc = m->in->rp ? hyp_input(m) : BL_OK;
    if (!rc)
        rc = handling_room(m, &room);
    if (!rc && (m->in->rp || m->in->freight)) { /* transfers' freight, reroutes' */
        rc = bl_app_logistics_load(m->x->st, m->x->org, &m->cat, m->d);
        m->cat_open = true;
    }
    if (!rc && m->in->rp)
        rc = bl_store_names(m->x->st, m->x->org, BL_NAMES_SKU, &m->out->arena, &m->skus, &m->nskus,
                            m->d);
    for (size_t q = 0; !rc && q < m->np; q++) {
        const struct bl_mg_problem *p = &m->p[q];
        if (p->kind == BL_MG_STOCKOUT) {
            size_t nshort = 0;
            for (size_t j = 0; j < m->np; j++)
                nshort += m->p[j].kind == BL_MG_STOCKOUT && m->p[j].sku == p->sku;
            rc = suppliers(m, q);
            if (!rc)
                rc = transfers(m, q, nshort);
            /* a promoted SKU's promotion paused from its stock-out day: free, saves its
             * spend on the days still short */
            struct bl_mg_lever pause =
                lever(BL_MG_PAUSE_PROMOTION, q, -1, p->from_day, p->from_day);
            if (!rc && p->promo_day > 0)
                rc = bl__mg_add_lever(m, &pause);
        } else {
            struct bl_mg_lever l = lever(BL_MG_EXTEND_HANDLING, q, -1, m->day0, m->day0);
            l.days = room;
            rc = room > 0 ? bl__mg_add_lever(m, &l) : BL_OK;
            if (!rc)
                rc = bl__mg_reroute(m, q);
        }
    }
    m->out->nlevers = m->nl;
    return rc;
}
