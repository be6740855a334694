/* forecast_lt_levels.c - quantiles and shares of the pooled lead-time errors, counted as
 * the quantiles will be scored: a total of none sold against a quantile of 0 is a tie, and
 * a tie counts as half covered (the mid-point of the randomised probability integral
 * transform, docs/metrics.md "mid-rank coverage"). A pooled error whose actual total was
 * none is the least its origin could have had, so a level below it leaves that origin's
 * quantile at 0, a tie: half covered, not missed. Counted as missed, the levels that
 * cover a share q of the pooled errors cover more than q of the totals, and the p50 reads
 * high where slow SKUs sell nothing (docs/bench.md, forecast, sixth part). Pure. */
#include "engine/forecast_impl.h"

#include <stdint.h>
#include <string.h>

/* A double's bits as an unsigned key of the same order (the negatives' bits reversed, the
 * others' sign bit set), and back. No NaN reaches here. */
static uint64_t key_of(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof(u));
    return u >> 63 ? ~u : u | (UINT64_C(1) << 63);
}

static double double_of(uint64_t k)
{
    uint64_t u = k >> 63 ? k & ~(UINT64_C(1) << 63) : ~k;
    double x;
    memcpy(&x, &u, sizeof(x));
    return x;
}

/* Sorts v[n] ascending by the keys' bytes, least significant first (a radix sort: the
 * pooled errors are tens of thousands at each of 28 lead times, and a comparison sort
 * through qsort's callback cost more than the rest of the pooling); tmp holds 2n keys. */
static void sort_doubles(double *v, size_t n, uint64_t *tmp)
{
    uint64_t *a = tmp, *b = tmp + n;
    for (size_t i = 0; i < n; i++)
        a[i] = key_of(v[i]);
    for (unsigned shift = 0; shift < 64; shift += 8) {
        size_t count[257] = {0};
        for (size_t i = 0; i < n; i++)
            count[((a[i] >> shift) & 0xff) + 1]++;
        if (count[((a[0] >> shift) & 0xff) + 1] == n)
            continue; /* every key has this byte: nothing to move */
        for (size_t d = 1; d < 257; d++)
            count[d] += count[d - 1];
        for (size_t i = 0; i < n; i++)
            b[count[(a[i] >> shift) & 0xff]++] = a[i];
        uint64_t *t = a;
        a = b;
        b = t;
    }
    for (size_t i = 0; i < n; i++)
        v[i] = double_of(a[i]);
}

void bl__fc_lt_vals_sort(struct bl__fc_lt_vals *v, uint64_t *tmp)
{
    if (v->n)
        sort_doubles(v->v, v->n, tmp);
    if (v->n0)
        sort_doubles(v->v0, v->n0, tmp);
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
    double zp = bl__fc_quantile(v->v, v->n, q);
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
