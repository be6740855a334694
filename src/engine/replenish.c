/* replenish.c - days of cover, stock-out day, safety stock, reorder point, order
 * quantity and order-by day per SKU (see replenish.h for the equations). */
#include "ballast/replenish.h"

#include <math.h>
#include <string.h>

#include "ballast/money.h"
#include "ballast/region.h"
#include "ballast/str.h"

void bl_rp_policy_init(struct bl_rp_policy *p)
{
    memset(p, 0, sizeof(*p));
    p->ss_mode = BL_RP_SS_DAYS;
    p->z = 1.645;
    p->ss_days = 15;
    p->keep_days = 30;
    p->low_days = 7;
    p->low_units = 0;
    p->alert_days = 30;
    p->stocking_days = 14;
    p->horizon = 365;
    p->overdue_days = 14;
}

bool bl_rp_inbound_counted(const struct bl_rp_policy *p, int64_t as_of, int64_t eta_day)
{
    return eta_day >= as_of || as_of - eta_day <= p->overdue_days;
}

static double norm_cdf(double z)
{
    return 0.5 * erfc(-z / sqrt(2.0));
}

int bl_rp_z_for_service(double level, double *z, struct bl_diag *d)
{
    if (!(level > 0.5 && level <= 0.9999))
        return bl_diag_set(d, BL_ERANGE, "service level %g: expected more than 0.5, at most 0.9999",
                           level);
    double lo = 0, hi = 4;
    for (int i = 0; i < 80; i++) {
        double mid = (lo + hi) / 2;
        if (norm_cdf(mid) < level)
            lo = mid;
        else
            hi = mid;
    }
    *z = (lo + hi) / 2;
    return BL_OK;
}

bool bl_rp_affects(const struct bl_rp_input *in, const struct bl_rp_disruption *x, size_t s)
{
    if (x->channel_only || x->scope == BL_RP_DESTINATION)
        return false;
    if (x->supplier >= 0)
        return (size_t)x->supplier == s;
    const struct bl_rp_supplier *sp = &in->suppliers[s];
    return sp->region && x->region && bl_region_contains(bl_str_c(x->region), bl_str_c(sp->region));
}

int64_t bl_rp_arrival(const struct bl_rp_input *in, size_t s)
{
    const struct bl_rp_supplier *sp = &in->suppliers[s];
    if (sp->state == BL_RP_SUP_CLOSED)
        return BL_RP_NEVER;
    int64_t t = in->as_of;
    if (sp->state == BL_RP_SUP_SHUTDOWN) {
        /* a shutdown only has an end when a dated disruption says so */
        bool dated = false;
        for (size_t i = 0; i < in->ndisruptions; i++) {
            const struct bl_rp_disruption *x = &in->disruptions[i];
            if (bl_rp_affects(in, x, s) && x->start_day <= t && t < x->end_day)
                dated = x->end_day != BL_RP_NEVER;
        }
        if (!dated)
            return BL_RP_NEVER;
    }
    int64_t remaining = sp->lead_days;
    int64_t limit = in->as_of + 4 * BL_RP_MAX_HORIZON;
    while (remaining > 0) {
        if (t > limit)
            return BL_RP_NEVER;
        int64_t blocked_to = t, next = BL_RP_NEVER;
        for (size_t i = 0; i < in->ndisruptions; i++) {
            const struct bl_rp_disruption *x = &in->disruptions[i];
            if (!bl_rp_affects(in, x, s))
                continue;
            if (x->start_day <= t && t < x->end_day) {
                if (x->end_day == BL_RP_NEVER)
                    return BL_RP_NEVER;
                if (x->end_day > blocked_to)
                    blocked_to = x->end_day;
            } else if (x->start_day > t && x->start_day < next) {
                next = x->start_day;
            }
        }
        if (blocked_to > t) {
            t = blocked_to;
            continue;
        }
        int64_t work = remaining;
        if (next != BL_RP_NEVER && next < t + work) /* t + work: t <= limit, work <= lead */
            work = next - t;
        t += work;
        remaining -= work;
    }
    return t;
}

/* First day demand d cannot be met from start stock plus arrivals (sorted by day). */
static int64_t stockout_day(int64_t as_of, double start, const int64_t *eta, const int64_t *qty,
                            size_t n, double dd, int64_t horizon)
{
    if (!(dd > 0))
        return BL_RP_NEVER;
    double cum = start;
    for (size_t i = 0; i <= n; i++) {
        double k = floor(cum / dd);
        if (k > (double)horizon)
            return BL_RP_NEVER;
        int64_t t = as_of + (int64_t)k;
        if (i == n || t < eta[i])
            return t;
        cum += (double)qty[i];
    }
    return BL_RP_NEVER;
}

/* Insertion sort of arrivals by day (a SKU has a handful of open POs). */
static void sort_arrivals(int64_t *eta, int64_t *qty, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        int64_t e = eta[i], q = qty[i];
        size_t j = i;
        for (; j > 0 && eta[j - 1] > e; j--) {
            eta[j] = eta[j - 1];
            qty[j] = qty[j - 1];
        }
        eta[j] = e;
        qty[j] = q;
    }
}

static int64_t round_order(double need, int64_t moq, int64_t pack)
{
    double q = ceil(need - 1e-9);
    if (q < (double)moq)
        q = (double)moq;
    if (q > 1e15)
        q = 1e15;
    int64_t n = (int64_t)q;
    return (n + pack - 1) / pack * pack;
}

/* How a SKU or a supplier is named in an error: by its own id. */
static const char *id_of(const char *id)
{
    return id && id[0] ? id : "(no id)";
}

static int check_policy(const struct bl_rp_input *in, struct bl_diag *d)
{
    const struct bl_rp_policy *p = &in->policy;
    if (p->horizon < 1 || p->horizon > BL_RP_MAX_HORIZON)
        return bl_diag_set(d, BL_EINVAL, "horizon %lld: expected 1..%d", (long long)p->horizon,
                           BL_RP_MAX_HORIZON);
    if (!(p->z >= 0 && p->z < 10) || !(p->ss_days >= 0 && p->ss_days < 1e4) ||
        !(p->keep_days >= 0 && p->keep_days < 1e4) || !(p->low_days >= 0))
        return bl_diag_set(d, BL_EINVAL, "policy: z, ss_days, keep_days, low_days must be >= 0");
    if (p->low_units < 0 || p->alert_days < 0 || p->alert_days > BL_RP_MAX_DAY ||
        p->stocking_days < 0 || p->stocking_days > BL_RP_MAX_DAY || p->overdue_days < 0 ||
        p->overdue_days > BL_RP_MAX_DAY)
        return bl_diag_set(d, BL_EINVAL,
                           "policy: low_units, alert_days, stocking_days and overdue_days must be "
                           ">= 0 (days at most %lld)",
                           (long long)BL_RP_MAX_DAY);
    if (in->as_of < -BL_RP_MAX_DAY || in->as_of > BL_RP_MAX_DAY)
        return bl_diag_set(d, BL_ERANGE, "planning day %lld is out of range",
                           (long long)in->as_of);
    return BL_OK;
}

static int check_suppliers(const struct bl_rp_input *in, struct bl_diag *d)
{
    for (size_t s = 0; s < in->nsuppliers; s++) {
        const struct bl_rp_supplier *sp = &in->suppliers[s];
        if (sp->lead_days < 0 || sp->lead_days_max < sp->lead_days ||
            sp->lead_days > BL_RP_MAX_HORIZON || sp->lead_days_max > BL_RP_MAX_HORIZON)
            return bl_diag_set(d, BL_EINVAL,
                               "supplier '%s': lead_days %lld and lead_days_max %lld: expected 0 "
                               "<= lead_days <= lead_days_max <= %d",
                               id_of(sp->id), (long long)sp->lead_days,
                               (long long)sp->lead_days_max, BL_RP_MAX_HORIZON);
        if (sp->moq < 1 || sp->moq > 1000000000 || sp->case_pack < 1 ||
            sp->case_pack > 1000000000)
            return bl_diag_set(d, BL_EINVAL,
                               "supplier '%s': moq %lld and case_pack %lld: expected 1..10^9",
                               id_of(sp->id), (long long)sp->moq, (long long)sp->case_pack);
        if (sp->backup_for < -1 || sp->backup_for >= (ptrdiff_t)in->nsuppliers)
            return bl_diag_set(d, BL_EINVAL, "supplier '%s': backup_for names no supplier",
                               id_of(sp->id));
    }
    return BL_OK;
}

static int check_input(const struct bl_rp_input *in, struct bl_diag *d)
{
    int rc = check_policy(in, d);
    if (!rc)
        rc = check_suppliers(in, d);
    for (size_t k = 0; !rc && k < in->nskus; k++) {
        const struct bl_rp_sku *sk = &in->skus[k];
        const char *id = id_of(sk->id);
        if (!(sk->daily_mean >= 0 && sk->daily_mean < 1e12) ||
            !(sk->daily_sigma >= 0 && sk->daily_sigma < 1e12))
            return bl_diag_set(d, BL_EINVAL,
                               "sku '%s': daily demand %g (sigma %g): expected a finite number, "
                               "0 to 10^12",
                               id, sk->daily_mean, sk->daily_sigma);
        if (!(sk->lt_excess >= 0 && sk->lt_excess < 1e12) ||
            !(sk->lt_days >= 0 && sk->lt_days <= BL_RP_MAX_HORIZON))
            return bl_diag_set(d, BL_EINVAL, "sku '%s': lead-time quantile must be finite, >= 0",
                               id);
        if (sk->supplier < -1 || sk->supplier >= (ptrdiff_t)in->nsuppliers)
            return bl_diag_set(d, BL_EINVAL, "sku '%s': its supplier is not in the input", id);
        for (size_t i = 0; i < sk->ninbound; i++)
            if (sk->inbound[i].eta_day < -BL_RP_MAX_DAY || sk->inbound[i].eta_day > BL_RP_MAX_DAY)
                return bl_diag_set(d, BL_ERANGE, "sku '%s': inbound ETA day %lld is out of range",
                                   id, (long long)sk->inbound[i].eta_day);
        for (size_t i = 0; i < sk->nsources; i++) {
            const struct bl_rp_source *src = &sk->sources[i];
            if (src->supplier < 0 || src->supplier >= (ptrdiff_t)in->nsuppliers)
                return bl_diag_set(d, BL_EINVAL, "sku '%s': a source supplier is not in the input",
                                   id);
            if (src->moq < 0 || src->moq > 1000000000)
                return bl_diag_set(d, BL_EINVAL,
                                   "sku '%s': supplier '%s': moq %lld: expected 0..10^9", id,
                                   id_of(in->suppliers[src->supplier].id), (long long)src->moq);
        }
    }
    return rc;
}

static void plan_warehouses(const struct bl_rp_input *in, const struct bl_rp_sku *sk,
                            struct bl_rp_plan *o, int64_t *eta, int64_t *qty)
{
    double share = o->nwh ? sk->daily_mean / (double)o->nwh : 0;
    for (size_t w = 0; w < o->nwh; w++) {
        struct bl_rp_wh_line *l = &o->wh[w];
        size_t n = 0;
        for (size_t i = 0; i < sk->ninbound; i++)
            if (sk->inbound[i].warehouse == l->warehouse && sk->inbound[i].qty > 0 &&
                bl_rp_inbound_counted(&in->policy, in->as_of, sk->inbound[i].eta_day)) {
                eta[n] = sk->inbound[i].eta_day < in->as_of ? in->as_of : sk->inbound[i].eta_day;
                qty[n++] = sk->inbound[i].qty;
            }
        sort_arrivals(eta, qty, n);
        l->days_cover = share > 0 ? (double)l->available / share : HUGE_VAL;
        l->stockout_day =
            stockout_day(in->as_of, (double)l->available, eta, qty, n, share, in->policy.horizon);
    }
}

static int collect_warehouses(const struct bl_rp_input *in, const struct bl_rp_sku *sk,
                              struct bl_arena *a, struct bl_rp_plan *o)
{
    size_t cap = sk->nstock + sk->ninbound;
    o->nwh = 0;
    o->wh = NULL;
    if (!cap)
        return BL_OK;
    o->wh = bl_arena_alloc(a, cap * sizeof(*o->wh));
    if (!o->wh)
        return BL_ENOMEM;
    for (size_t i = 0; i < cap; i++) {
        bool is_stock = i < sk->nstock;
        size_t w = is_stock ? sk->stock[i].warehouse : sk->inbound[i - sk->nstock].warehouse;
        size_t j = 0;
        while (j < o->nwh && o->wh[j].warehouse != w)
            j++;
        if (j == o->nwh) {
            memset(&o->wh[j], 0, sizeof(o->wh[j]));
            o->wh[j].warehouse = w;
            o->nwh++;
        }
        int64_t av = 0;
        if (is_stock && (bl_money_sub(sk->stock[i].on_hand, sk->stock[i].reserved, &av) ||
                         bl_money_add(o->wh[j].available, av > 0 ? av : 0, &o->wh[j].available)))
            return BL_EOVERFLOW;
        if (!is_stock && sk->inbound[i - sk->nstock].qty > 0 &&
            bl_rp_inbound_counted(&in->policy, in->as_of, sk->inbound[i - sk->nstock].eta_day) &&
            bl_money_add(o->wh[j].inbound, sk->inbound[i - sk->nstock].qty, &o->wh[j].inbound))
            return BL_EOVERFLOW;
    }
    return BL_OK;
}

ptrdiff_t bl_rp_blocker(const struct bl_rp_input *in, size_t s, int64_t arrival)
{
    ptrdiff_t first = -1;
    int64_t until = arrival == BL_RP_NEVER ? BL_RP_NEVER : arrival;
    for (size_t i = 0; i < in->ndisruptions; i++) {
        const struct bl_rp_disruption *x = &in->disruptions[i];
        if (!bl_rp_affects(in, x, s) || x->end_day <= in->as_of || x->start_day >= until)
            continue;
        if (x->end_day == BL_RP_NEVER && x->start_day <= in->as_of)
            return (ptrdiff_t)i;
        if (first < 0 || x->start_day < in->disruptions[first].start_day)
            first = (ptrdiff_t)i;
    }
    return first;
}

/* Why supplier p (the primary) cannot deliver by the stock-out. */
static void why_blocked(const struct bl_rp_input *in, ptrdiff_t p, const int64_t *arrival,
                        struct bl_rp_plan *o)
{
    o->block_dis = -1;
    bool late = o->primary_arrival_day == BL_RP_NEVER ||
                (o->stockout_day != BL_RP_NEVER && o->primary_arrival_day > o->stockout_day);
    if (p < 0) {
        o->block = BL_RP_BLOCK_NO_SUPPLIER;
        return;
    }
    if (!late) {
        o->block = BL_RP_BLOCK_NONE;
        return;
    }
    const struct bl_rp_supplier *sp = &in->suppliers[p];
    o->block_dis = bl_rp_blocker(in, (size_t)p, arrival[p]);
    if (sp->state == BL_RP_SUP_CLOSED)
        o->block = BL_RP_BLOCK_CLOSED;
    else if (o->block_dis >= 0)
        o->block = BL_RP_BLOCK_DISRUPTED;
    else if (sp->state == BL_RP_SUP_SHUTDOWN)
        o->block = BL_RP_BLOCK_SHUTDOWN;
    else
        o->block = BL_RP_BLOCK_LEAD_TIME;
}

/* The backup to use instead of a late primary: of the SKU's sources, the first by rank
 * that arrives by the stock-out, else the earliest; without sources, the earliest of the
 * suppliers whose backup_for is the primary; -1 when none arrives before the primary. */
static ptrdiff_t best_backup(const struct bl_rp_input *in, const struct bl_rp_sku *sk,
                             const int64_t *arrival, const struct bl_rp_plan *o, ptrdiff_t *src,
                             size_t *nbackups)
{
    ptrdiff_t best = -1;
    *src = -1;
    *nbackups = 0;
    size_t n = sk->nsources ? sk->nsources : in->nsuppliers;
    for (size_t i = sk->nsources ? 1 : 0; i < n; i++) {
        ptrdiff_t s = sk->nsources ? sk->sources[i].supplier : (ptrdiff_t)i;
        if (!sk->nsources && in->suppliers[i].backup_for != sk->supplier)
            continue;
        ++*nbackups;
        if (arrival[s] == BL_RP_NEVER)
            continue;
        bool in_time = o->stockout_day == BL_RP_NEVER || arrival[s] <= o->stockout_day;
        bool best_in_time = best >= 0 && (o->stockout_day == BL_RP_NEVER ||
                                          arrival[best] <= o->stockout_day);
        bool earlier = best >= 0 && arrival[s] < arrival[best];
        /* ranked sources: the first in time, else the earliest; backup_for: the earliest */
        bool take = best < 0 || (sk->nsources ? (in_time && !best_in_time) ||
                                                    (!in_time && !best_in_time && earlier)
                                              : earlier);
        if (take) {
            best = s;
            *src = sk->nsources ? (ptrdiff_t)i : -1;
        }
    }
    if (best >= 0 && arrival[best] >= o->primary_arrival_day)
        best = *src = -1;
    return best;
}

static void choose_supplier(const struct bl_rp_input *in, const struct bl_rp_sku *sk,
                            const int64_t *arrival, struct bl_rp_plan *o)
{
    ptrdiff_t p = sk->nsources ? sk->sources[0].supplier : sk->supplier;
    o->primary = p;
    o->supplier = p;
    o->source = sk->nsources ? 0 : -1;
    o->backup = false;
    o->primary_arrival_day = p >= 0 ? arrival[p] : BL_RP_NEVER;
    o->arrival_day = o->primary_arrival_day;
    why_blocked(in, p, arrival, o);
    if (p < 0)
        return;
    ptrdiff_t src = -1;
    ptrdiff_t best = best_backup(in, sk, arrival, o, &src, &o->nbackups);
    if (o->block == BL_RP_BLOCK_NONE)
        return;
    if (best >= 0) {
        o->supplier = best;
        o->source = src;
        o->backup = true;
        o->arrival_day = arrival[best];
    } else if (o->primary_arrival_day == BL_RP_NEVER) {
        o->supplier = -1; /* nobody can deliver */
        o->source = -1;
    }
}

/* On hand, reserved, available, inbound and position of a SKU, summed with checks; its
 * arrivals (positive inbound, an overdue ETA counted as as_of while within the policy's
 * overdue_days, a later one not at all) into eta/qty. */
static int sum_quantities(const struct bl_rp_input *in, const struct bl_rp_sku *sk,
                          struct bl_rp_plan *o, int64_t *eta, int64_t *qty, size_t *n)
{
    for (size_t i = 0; i < sk->nstock; i++) {
        const struct bl_rp_stock *x = &sk->stock[i];
        int64_t av;
        if (bl_money_sub(x->on_hand, x->reserved, &av) ||
            bl_money_add(o->on_hand, x->on_hand, &o->on_hand) ||
            bl_money_add(o->reserved, x->reserved, &o->reserved) ||
            bl_money_add(o->available, av > 0 ? av : 0, &o->available))
            return BL_EOVERFLOW;
    }
    for (size_t i = 0; i < sk->ninbound; i++) {
        if (sk->inbound[i].qty <= 0)
            continue;
        bool late = sk->inbound[i].eta_day < in->as_of;
        if (!bl_rp_inbound_counted(&in->policy, in->as_of, sk->inbound[i].eta_day)) {
            if (bl_money_add(o->overdue_dropped, sk->inbound[i].qty, &o->overdue_dropped))
                return BL_EOVERFLOW;
            continue;
        }
        if (bl_money_add(o->inbound, sk->inbound[i].qty, &o->inbound) ||
            (late && bl_money_add(o->overdue_late, sk->inbound[i].qty, &o->overdue_late)))
            return BL_EOVERFLOW;
        eta[*n] = sk->inbound[i].eta_day < in->as_of ? in->as_of : sk->inbound[i].eta_day;
        qty[(*n)++] = sk->inbound[i].qty;
    }
    return bl_money_add(o->available, o->inbound, &o->position);
}

static int plan_one(const struct bl_rp_input *in, const struct bl_rp_sku *sk,
                    const int64_t *arrival, struct bl_arena *a, struct bl_rp_plan *o, int64_t *eta,
                    int64_t *qty)
{
    const struct bl_rp_policy *p = &in->policy;
    memset(o, 0, sizeof(*o));
    double dd = sk->daily_mean;
    o->daily_mean = dd;
    o->daily_sigma = sk->daily_sigma;
    size_t n = 0;
    if (sum_quantities(in, sk, o, eta, qty, &n))
        return BL_EOVERFLOW;
    sort_arrivals(eta, qty, n);
    o->days_cover = dd > 0 ? (double)o->available / dd : HUGE_VAL;
    o->stockout_day = stockout_day(in->as_of, (double)o->available, eta, qty, n, dd, p->horizon);

    choose_supplier(in, sk, arrival, o);
    const struct bl_rp_supplier *sp = o->supplier >= 0 ? &in->suppliers[o->supplier] : NULL;
    double lead = 0, sigma_l = 0;
    if (sp) {
        lead = (double)(o->arrival_day - in->as_of);
        sigma_l = (double)(sp->lead_days_max - sp->lead_days) / 2;
    } else if (o->primary >= 0) {
        /* nobody can deliver: plan with the primary's usual lead time */
        lead = (double)in->suppliers[o->primary].lead_days;
    }
    o->lead_days = lead;
    double lt_var = dd * dd * sigma_l * sigma_l;
    if (p->ss_mode == BL_RP_SS_QUANTILE && sk->lt_days > 0)
        o->safety_stock =
            sqrt(sk->lt_excess * sk->lt_excess * lead / sk->lt_days + p->z * p->z * lt_var);
    else if (p->ss_mode != BL_RP_SS_DAYS)
        o->safety_stock = p->z * sqrt(lead * sk->daily_sigma * sk->daily_sigma + lt_var);
    else
        o->safety_stock = dd * p->ss_days;
    o->reorder_point = dd * lead + o->safety_stock;
    o->order_up_to = dd * (lead + p->keep_days);
    if (o->order_up_to < o->reorder_point)
        o->order_up_to = o->reorder_point;
    o->reorder_now = dd > 0 && (double)o->position < o->reorder_point;
    if (o->reorder_now && sp) {
        o->moq = o->source >= 0 && sk->sources[o->source].moq > 0 ? sk->sources[o->source].moq
                                                                   : sp->moq;
        o->order_qty = round_order(o->order_up_to - (double)o->position, o->moq, sp->case_pack);
    }
    if (!(dd > 0)) {
        o->order_by_day = BL_RP_NEVER;
    } else if (o->reorder_now) {
        o->order_by_day = in->as_of;
    } else {
        double k = floor(((double)o->position - o->reorder_point) / dd);
        int64_t by = k > (double)p->horizon ? BL_RP_NEVER : in->as_of + (int64_t)k;
        if (o->stockout_day != BL_RP_NEVER && o->stockout_day - (int64_t)lead < by)
            by = o->stockout_day - (int64_t)lead;
        o->order_by_day = by < in->as_of ? in->as_of : by;
    }
    /* restock: the first inbound arrival after the stock-out, or an order placed today */
    o->restock_day = BL_RP_NEVER;
    if (o->stockout_day != BL_RP_NEVER) {
        for (size_t i = 0; i < n; i++)
            if (eta[i] > o->stockout_day) {
                o->restock_day = eta[i];
                break;
            }
        if (o->arrival_day < o->restock_day)
            o->restock_day = o->arrival_day > o->stockout_day ? o->arrival_day : o->stockout_day;
        o->stockout_unavoidable = o->arrival_day == BL_RP_NEVER || o->arrival_day > o->stockout_day;
    } else if (o->available <= 0) {
        /* nothing to sell and no demand forecast: restocked by the first arrival */
        o->restock_day = n ? eta[0] : BL_RP_NEVER;
        if (o->arrival_day < o->restock_day)
            o->restock_day = o->arrival_day;
    }

    if (dd > 0 && o->days_cover < p->low_days)
        o->alerts |= BL_RP_ALERT_LOW;
    if (p->low_units > 0 && o->available <= p->low_units)
        o->alerts |= BL_RP_ALERT_LOW;
    if (o->stockout_day != BL_RP_NEVER && o->stockout_day <= in->as_of + p->alert_days)
        o->alerts |= BL_RP_ALERT_STOCKOUT;
    if (o->reorder_now)
        o->alerts |= BL_RP_ALERT_REORDER;
    if (sk->price_review_passed && o->available <= 0) {
        bool soon = false;
        for (size_t i = 0; i < n; i++)
            soon |= eta[i] <= in->as_of + p->stocking_days;
        if (!soon)
            o->alerts |= BL_RP_ALERT_STOCKING;
    }

    if (o->overdue_late || o->overdue_dropped)
        o->alerts |= BL_RP_ALERT_OVERDUE;

    int rc = collect_warehouses(in, sk, a, o);
    if (rc)
        return rc;
    plan_warehouses(in, sk, o, eta, qty);
    return BL_OK;
}

int bl_rp_plan(const struct bl_rp_input *in, struct bl_arena *a, struct bl_rp_plan *out,
               struct bl_diag *d)
{
    int rc = check_input(in, d);
    if (rc)
        return rc;
    size_t maxin = 1;
    for (size_t k = 0; k < in->nskus; k++)
        if (in->skus[k].ninbound > maxin)
            maxin = in->skus[k].ninbound;
    int64_t *arrival = bl_arena_alloc(a, (in->nsuppliers + 1) * sizeof(*arrival));
    int64_t *eta = bl_calloc(maxin, sizeof(*eta));
    int64_t *qty = bl_calloc(maxin, sizeof(*qty));
    if (!arrival || !eta || !qty) {
        rc = bl_diag_set(d, BL_ENOMEM, "planning %zu SKUs: out of memory", in->nskus);
        goto done;
    }
    for (size_t s = 0; s < in->nsuppliers; s++)
        arrival[s] = bl_rp_arrival(in, s);
    for (size_t k = 0; k < in->nskus && !rc; k++) {
        rc = plan_one(in, &in->skus[k], arrival, a, &out[k], eta, qty);
        if (rc == BL_EOVERFLOW)
            bl_diag_set(d, rc,
                        "sku '%s': its quantities on hand, reserved or inbound add up to more than "
                        "%lld units",
                        id_of(in->skus[k].id), (long long)INT64_MAX);
        else if (rc)
            bl_diag_set(d, BL_ENOMEM, "planning %zu SKUs: out of memory", in->nskus);
    }
done:
    bl_free(eta);
    bl_free(qty);
    return rc;
}
