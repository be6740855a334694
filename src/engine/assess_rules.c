/* assess_rules.c - rates, one rule's evaluation and the rating (assess.h,
 * docs/metrics.md "Rating and carry-over", "Exempt orders never hurt"). */
#include <math.h>
#include <string.h>

#include "ballast/assess.h"

static double ratio(int64_t num, int64_t den)
{
    return den > 0 ? (double)num / (double)den : NAN;
}

void bl_assess_rates(const struct bl_shop_counts *k, struct bl_shop_rates *r)
{
    int64_t ship_den = k->counted + k->kept_on_time, track_den = k->shipped + k->kept_tracked;
    r->on_time = ratio(k->on_time + k->kept_on_time, ship_den);
    r->late_shipment = ratio(k->late, ship_den);
    r->pickup_anomaly = ratio(k->pickup_anomalies, track_den);
    r->valid_tracking = track_den > 0 ? 1.0 - r->pickup_anomaly : NAN;
    r->late_delivery = ratio(k->delivered_late, k->delivery_counted + k->kept_delivered);
    r->cancel = ratio(k->seller_cancels, k->placed);
}

static const char *const metric_names[BL_M__COUNT] = {"late_shipment_rate",  "on_time_rate",
                                                      "pickup_anomaly_rate", "valid_tracking_rate",
                                                      "late_delivery_rate",  "cancel_rate"};

const char *bl_metric_name(enum bl_metric m)
{
    return (unsigned)m < BL_M__COUNT ? metric_names[m] : "unknown";
}

enum bl_metric bl_metric_from_name(const char *name)
{
    for (int m = 0; m < BL_M__COUNT; m++)
        if (strcmp(metric_names[m], name) == 0)
            return (enum bl_metric)m;
    return BL_M__COUNT;
}

bool bl_metric_lower_better(enum bl_metric m)
{
    return m != BL_M_ON_TIME && m != BL_M_VALID_TRACKING;
}

double bl_metric_value(const struct bl_shop_rates *r, enum bl_metric m)
{
    switch (m) {
    case BL_M_LATE_SHIPMENT:
        return r->late_shipment;
    case BL_M_ON_TIME:
        return r->on_time;
    case BL_M_PICKUP_ANOMALY:
        return r->pickup_anomaly;
    case BL_M_VALID_TRACKING:
        return r->valid_tracking;
    case BL_M_LATE_DELIVERY:
        return r->late_delivery;
    case BL_M_CANCEL:
        return r->cancel;
    case BL_M__COUNT:
        break;
    }
    return NAN;
}

/* A rule's points for value v (not NaN): 1 at or better than good, 0 at or worse than
 * bad, linear between. */
static double points(const struct bl_rule *r, double v)
{
    double span = r->bad - r->good;
    double pts = span != 0 ? (r->bad - v) / span : (v == r->good ? 1.0 : 0.0);
    return pts < 0 ? 0 : pts > 1 ? 1 : pts;
}

static bool misses(const struct bl_rule *r, double v)
{
    return r->has_target && (bl_metric_lower_better(r->metric) ? v >= r->target : v < r->target);
}

void bl_assess_rating(const struct bl_profile *p, const struct bl_shop_rates *rates_by_rule,
                      double *score, char label[16])
{
    double sum = 0, wsum = 0;
    bool breach = false;
    for (size_t k = 0; k < p->nrules; k++) {
        const struct bl_rule *r = &p->rules[k];
        double v = bl_metric_value(&rates_by_rule[k], r->metric);
        if (isnan(v))
            continue;
        sum += r->weight * points(r, v);
        wsum += r->weight;
        breach |= misses(r, v);
    }
    label[0] = '\0';
    if (wsum <= 0) {
        *score = NAN;
        return;
    }
    *score = 100.0 * sum / wsum;
    size_t band = p->nbands;
    for (size_t b = 0; b < p->nbands; b++) {
        if (*score >= p->bands[b].min_score) {
            band = b;
            break;
        }
    }
    if (band == p->nbands && p->nbands)
        band = p->nbands - 1;
    if (breach && band < p->breach_band && p->breach_band < p->nbands)
        band = p->breach_band;
    if (band < p->nbands)
        memcpy(label, p->bands[band].label, 16);
}


/* The status of value v under r: breach when it misses the target (or, without one, is
 * at or past bad: no points); at risk past half the way from good to that limit; ok
 * otherwise. */
static enum bl_rule_status status(const struct bl_rule *r, double v)
{
    if (isnan(v))
        return BL_RULE_NO_DATA;
    bool lower = bl_metric_lower_better(r->metric);
    if (misses(r, v) || (!r->has_target && (lower ? v >= r->bad : v <= r->bad)))
        return BL_RULE_BREACH;
    double limit = r->has_target ? r->target : r->bad, mid = (r->good + limit) / 2;
    bool past = lower ? v > mid : v < mid;
    return past ? BL_RULE_AT_RISK : BL_RULE_OK;
}

uint32_t bl_assess_failing(const struct bl_profile *p, const struct bl_shop_rates *rates_by_rule)
{
    uint32_t bits = 0;
    for (size_t k = 0; k < p->nrules && k < 32; k++) {
        const struct bl_rule *r = &p->rules[k];
        if (status(r, bl_metric_value(&rates_by_rule[k], r->metric)) == BL_RULE_BREACH)
            bits |= 1u << k;
    }
    return bits;
}

void bl_assess_rule(const struct bl_rule *r, const struct bl_shop_counts *k, int window_days,
                    struct bl_rule_result *out)
{
    memset(out, 0, sizeof(*out));
    out->window_days = window_days;
    switch (r->metric) {
    case BL_M_LATE_SHIPMENT:
    case BL_M_ON_TIME:
        out->num = r->metric == BL_M_ON_TIME ? k->on_time + k->kept_on_time : k->late;
        out->den = k->counted + k->kept_on_time;
        out->due = k->due;
        out->exempt = k->exempt;
        out->counted = k->counted;
        out->kept = k->kept_on_time;
        break;
    case BL_M_PICKUP_ANOMALY:
    case BL_M_VALID_TRACKING:
        out->den = k->shipped + k->kept_tracked;
        out->num =
            r->metric == BL_M_PICKUP_ANOMALY ? k->pickup_anomalies : out->den - k->pickup_anomalies;
        out->due = k->due;
        out->exempt = k->exempt;
        out->counted = k->shipped;
        out->kept = k->kept_tracked;
        break;
    case BL_M_LATE_DELIVERY:
        out->num = k->delivered_late;
        out->den = k->delivery_counted + k->kept_delivered;
        out->due = k->delivery_due;
        out->exempt = k->delivery_exempt;
        out->counted = k->delivery_counted;
        out->kept = k->kept_delivered;
        break;
    case BL_M_CANCEL:
    case BL_M__COUNT:
        out->num = k->seller_cancels;
        out->den = out->due = out->counted = k->placed;
        break;
    }
    struct bl_shop_rates rates;
    bl_assess_rates(k, &rates);
    out->value = bl_metric_value(&rates, r->metric);
    out->points = isnan(out->value) ? NAN : points(r, out->value);
    out->status = status(r, out->value);
}

const char *bl_rule_status_name(enum bl_rule_status s)
{
    switch (s) {
    case BL_RULE_OK:
        return "ok";
    case BL_RULE_AT_RISK:
        return "at_risk";
    case BL_RULE_BREACH:
        return "breach";
    case BL_RULE_NO_DATA:
        break;
    }
    return "no_data";
}
