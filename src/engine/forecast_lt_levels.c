/* forecast_lt_levels.c - quantiles and shares of the pooled lead-time errors, counted as
 * the quantiles will be scored: a total of none sold against a quantile of 0 is a tie, and
 * a tie counts as half covered (the mid-point of the randomised probability integral
 * transform, docs/metrics.md "mid-rank coverage"). A pooled error whose actual total was
 * none is the least its origin could have had, so a level below it leaves that origin's
 * quantile at 0, a tie: half covered, not missed. Counted as missed, the levels that
 * cover a share q of the pooled errors cover more than q of the totals, and the p50 reads
 * high where slow SKUs sell nothing (docs/bench.md, forecast, sixth part). Pure. */
#include "engine/forecast_impl.h"

#include <stdlib.h>

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

void bl__fc_lt_vals_sort(struct bl__fc_lt_vals *v)
{
    qsort(v->v, v->n, sizeof(double), cmp_double);
    qsort(v->v0, v->n0, sizeof(double), cmp_double);
}

/* Quantile q of sorted v[n] (linear interpolation between order statistics). */
static double quantile(const double *v, size_t n, double q)
{
    double pos = q * (double)(n - 1);
    size_t lo = (size_t)pos;
    if (lo + 1 >= n)
        return v[n - 1];
    return v[lo] + (pos - (double)lo) * (v[lo + 1] - v[lo]);
}

/* The share of sorted v[n] at most t (interpolated between order statistics). */
static double share_below(const double *v, size_t n, double t)
{
    if (t < v[0])
        return 0;
    if (t >= v[n - 1])
        return 1;
    size_t lo = 0, hi = n - 1; /* v[lo] <= t < v[hi] */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] <= t)
            lo = mid;
        else
            hi = mid;
    }
    double frac = v[hi] > v[lo] ? (t - v[lo]) / (v[hi] - v[lo]) : 0;
    return ((double)lo + frac) / (double)(n - 1);
}

/* The ties' half: of the n values, the n0 of none sold above t would have been ties at a
 * quantile of 0, half covered. At t at least the greatest of them, nothing. */
static double tie_half(const struct bl__fc_lt_vals *v, double t)
{
    if (!v->n0 || t >= v->v0[v->n0 - 1])
        return 0;
    return 0.5 * (double)v->n0 / (double)v->n * (1 - share_below(v->v0, v->n0, t));
}

double bl__fc_lt_share(const struct bl__fc_lt_vals *v, double t)
{
    return share_below(v->v, v->n, t) + tie_half(v, t);
}

double bl__fc_lt_quantile(const struct bl__fc_lt_vals *v, double q)
{
    double zp = quantile(v->v, v->n, q);
    if (!v->n0 || zp >= v->v0[v->n0 - 1])
        return zp; /* no tie below: the plain quantile */
    /* the share with ties is at least the plain one, so the level is at most zp: the
     * least order statistic whose share reaches q, interpolated from the one below */
    size_t lo = 0, hi = (size_t)(q * (double)(v->n - 1)) + 1;
    if (hi >= v->n)
        hi = v->n - 1;
    if (bl__fc_lt_share(v, v->v[0]) >= q)
        return v->v[0];
    while (hi - lo > 1) { /* share(v[lo]) < q <= share(v[hi]) */
        size_t mid = lo + (hi - lo) / 2;
        if (bl__fc_lt_share(v, v->v[mid]) < q)
            lo = mid;
        else
            hi = mid;
    }
    double a = bl__fc_lt_share(v, v->v[lo]), b = bl__fc_lt_share(v, v->v[hi]);
    if (!(b > a))
        return v->v[hi];
    return v->v[lo] + (q - a) / (b - a) * (v->v[hi] - v->v[lo]);
}
