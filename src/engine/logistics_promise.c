/* logistics_promise.c - the listing promise (the delivery window a listing shows)
 * and the refund decision (see logistics.h for both rules, and
 * docs/internals/logistics.md). Pure: no I/O, no clock, no globals.
 */
#include "engine/logistics_impl.h"

#include <string.h>

#include "ballast/money.h"

#define MAX_WAITS 16
#define MAX_WAIT_DAYS INT64_C(366)

/* Whole days from as_of until t (t > as_of): ceil((t - as_of) / 1 day). */
static int64_t days_until(int64_t as_of, int64_t t)
{
    int64_t r = t - as_of;
    return r / BL_DAY_SECS + (r % BL_DAY_SECS != 0);
}

/* Rule 1: the longest active all-channel disruption at the ship-from. */
static void origin_hold(const struct bl_lg *lg, const struct bl_lg_promise_in *in, int64_t *days,
                        int32_t *which)
{
    *days = 0;
    *which = -1;
    for (size_t k = 0; k < lg->ndis; k++) {
        const struct bl__lg_dis *x = &lg->dis[k];
        if (x->ch != -1 || x->pub.supplier[0] || x->pub.scope == BL_LG_DESTINATION)
            continue;
        if (!(x->pub.starts_at <= in->as_of && in->as_of < x->pub.ends_at))
            continue;
        if (!bl_regions_contains(lg->reg, x->node, in->from))
            continue;
        int64_t n = days_until(in->as_of, x->pub.ends_at);
        if (n > *days) {
            *days = n;
            *which = (int32_t)k;
        }
    }
}

static int64_t local_day(const struct bl_lg_channel *c, int64_t t)
{
    int64_t local = t + (c->tz ? bl_tz_offset(c->tz, t) : 0);
    return bl__lg_floor_div(local, BL_DAY_SECS);
}

int bl_lg_promise(const struct bl_lg *lg, const struct bl_lg_policy *p,
                  const struct bl_lg_promise_in *in, struct bl_lg_promise *out, struct bl_diag *d)
{
    memset(out, 0, sizeof(*out));
    out->channel = -1;
    out->hold_disruption = -1;
    out->fail_disruption = -1;
    out->state = BL_LG_NO_CHANNEL;
    if (in->handling_min < 0 || in->handling_min > in->handling_max ||
        in->handling_max > BL_LG_MAX_TRANSIT)
        return bl_diag_set(d, BL_EINVAL,
                           "sku '%s': handling days %d..%d: expected 0 <= min <= max <= %d",
                           in->sku && in->sku[0] ? in->sku : "(no id)", in->handling_min,
                           in->handling_max, BL_LG_MAX_TRANSIT);
    if (in->from >= lg->nnodes || in->to >= lg->nnodes)
        return bl_diag_set(d, BL_EINVAL, "region node not from bl_lg_locate");
    if (in->as_of < BL__LG_MIN_INSTANT ||
        in->as_of > BL__LG_MAX_INSTANT - (MAX_WAIT_DAYS + 1) * BL_DAY_SECS)
        return bl_diag_set(d, BL_ERANGE, "as-of instant outside years 1-9998");
    enum bl_lg_policy_kind kind = p ? p->kind : BL_LG_CHEAPEST;

    int64_t hold;
    origin_hold(lg, in, &hold, &out->hold_disruption);
    if (hold > MAX_WAIT_DAYS) { /* held for over a year: no window */
        out->state = BL_LG_SUSPENDED;
        out->fail_disruption = out->hold_disruption;
        out->hold_days = hold;
        return BL_OK;
    }
    size_t cap = lg->nch ? lg->nch : 1, n = 0;
    struct bl_lg_option *opt = bl_calloc(cap, sizeof(*opt));
    if (!opt)
        return bl_diag_set(d, BL_ENOMEM, "out of memory");
    struct bl_lg_shipment s = {in->from,     in->to,
                               in->weight_g, {in->dims_mm[0], in->dims_mm[1], in->dims_mm[2]},
                               in->as_of,    BL_LG_NO_PROMISE,
                               NULL};
    int rc = BL_OK;
    size_t avail = 0;
    for (int wait = 0;; wait++) {
        s.ship_at = in->as_of + hold * BL_DAY_SECS;
        rc = bl_lg_quote(lg, &s, opt, cap, &n, d);
        if (rc || n == 0)
            break;
        avail = 0;
        int64_t next = INT64_MAX;
        int32_t first = -1;
        for (size_t i = 0; i < n; i++) {
            if (opt[i].disruption < 0) {
                avail++;
                continue;
            }
            int64_t e = lg->dis[opt[i].disruption].pub.ends_at;
            if (e < next) {
                next = e;
                first = opt[i].disruption;
            }
        }
        if (avail)
            break;
        out->fail_disruption = first;
        if (wait + 1 >= MAX_WAITS || next - in->as_of > MAX_WAIT_DAYS * BL_DAY_SECS) {
            out->state = BL_LG_SUSPENDED;
            break;
        }
        hold = days_until(in->as_of, next);
    }
    if (rc || n == 0 || !avail) {
        bl_free(opt);
        return rc;
    }

    /* Rule 3 and 4: choose among the available, windows with handling added. */
    struct cand best = {0};
    bool have = false;
    bool core_suspended = false;
    int32_t core_dis = -1;
    for (size_t i = 0; i < n; i++) {
        const struct bl__lg_chan *c = &lg->ch[opt[i].channel];
        if (opt[i].disruption >= 0) {
            if (c->pub.tier == BL_LG_CORE && !core_suspended) {
                core_suspended = true;
                core_dis = opt[i].disruption;
            }
            continue;
        }
        const struct bl__lg_cal *cal = &lg->cals[c->cal];
        struct cand k = {opt[i].channel,
                         (uint8_t)c->pub.tier,
                         true,
                         p && kind == BL_LG_PREFERRED && p->carrier &&
                             strcmp(c->pub.carrier, p->carrier) == 0,
                         opt[i].price,
                         bl__lg_add_bdays(cal, opt[i].earliest_day, in->handling_min),
                         bl__lg_add_bdays(cal, opt[i].latest_day, in->handling_max)};
        if (!have || better(&k, &best, kind)) {
            best = k;
            have = true;
        }
    }
    const struct bl__lg_chan *c = &lg->ch[best.ch];
    out->state = BL_LG_ROUTED;
    out->channel = best.ch;
    out->hold_days = hold;
    out->price = best.price;
    out->today = local_day(&c->pub, in->as_of);
    for (size_t i = 0; i < n; i++)
        if (opt[i].channel == best.ch)
            out->depart_day = opt[i].depart_day;
    out->earliest_day = best.early;
    out->latest_day = best.late;
    out->min_days = best.early - out->today;
    out->max_days = best.late - out->today;
    out->fallback = best.tier == BL_LG_BACKUP && core_suspended;
    if (out->fallback)
        out->fail_disruption = core_dis;
    bl_free(opt);
    return BL_OK;
}

int bl_refund_warehouse_score(struct bl_str region, struct bl_str to)
{
    if (bl_region_contains(region, to))
        return 1000 + (int)(region.len < 1000 ? region.len : 1000);
    if (region.len >= 2 && to.len >= 2 && memcmp(region.ptr, to.ptr, 2) == 0)
        return 1;
    return 0;
}

int bl_refund_decide(const struct bl_refund_case *c, struct bl_refund *out, struct bl_diag *d)
{
    memset(out, 0, sizeof(*out));
    if (c->amount < 0)
        return bl_diag_set(d, BL_EINVAL, "negative order amount %lld", (long long)c->amount);
    if (c->share_bp < 0 || c->share_bp > 10000)
        return bl_diag_set(d, BL_EINVAL, "refund share %d basis points: expected 0..10000",
                           (int)c->share_bp);
    if (c->cost_known && c->return_cost < 0)
        return bl_diag_set(d, BL_EINVAL, "negative return shipping cost");
    if (!c->shipped) {
        out->kind = BL_REFUND_FULL;
        out->refund = c->amount;
        return BL_OK;
    }
    int rc = bl_money_scale(c->amount, c->share_bp, 10000, &out->threshold);
    if (rc)
        return bl_diag_set(d, rc, "order amount times the refund share does not fit");
    if (c->has_warehouse) {
        out->kind = BL_REFUND_WAREHOUSE;
        out->refund = c->amount;
    } else if (!c->cost_known || c->return_cost > out->threshold) {
        out->kind = BL_REFUND_PARTIAL_KEEP;
        out->refund = out->threshold;
    } else {
        out->kind = BL_REFUND_RETURN_ORIGIN;
        out->refund = c->amount;
    }
    return BL_OK;
}
