/* forecast_lt_shared.c - what the shop's SKUs share in their lead-time errors at the
 * rolling origins: a common factor (the log ratio of actual to forecast totals over all
 * of them) and a volatility (the mean squared standardised error at each origin over all
 * origins), each the mean of its last windows shrunk by how well that foretold the past.
 * Pure. */
#include "engine/forecast_impl.h"

#include <math.h>

#define LT BL_FC_LT_DAYS
#define NO BL__FC_MAX_ORIGINS
/* The shop's factor is the mean log ratio of its last 1, 2, 4 or 8 windows (the count
 * that foretold the next windows best at the past origins)... */
#define FACTOR_WINDOWS {1, 2, 4, 8}
/* ...shrunk toward 1 by how well that foretold the next windows at FACTOR_MIN_PAIRS
 * earlier origins at least. A history too short for that (a shop of a few months) gets
 * half of the mean of its last FACTOR_PRIOR_WINDOWS windows: on Online Retail the fitted
 * shrinkage was 0.7 to 1, and none at all left the demo shop's growth uncorrected. */
#define FACTOR_MIN_PAIRS 6
#define FACTOR_PRIOR 0.5
#define FACTOR_PRIOR_WINDOWS 4
/* A standardised error counts at most this squared in the shop's volatility. */
#define VOL_CAP 16.0

/* The mean of g[from .. from + w) where known (ok), into *out. */
static bool recent_mean(const double *g, const bool *ok, size_t from, size_t w, double *out)
{
    double sum = 0;
    size_t n = 0;
    for (size_t i = from; i < from + w && i < NO; i++)
        if (ok[i]) {
            sum += g[i];
            n++;
        }
    *out = n ? sum / (double)n : 0;
    return n > 0;
}

/* The least-squares shrinkage of the mean of w windows ending gap weeks or more before
 * each past origin as a forecast of g there, into *lambda; the squared error left. */
static double shrink_fit(const double *g, const bool *ok, size_t gap, size_t w, double *lambda)
{
    double sxy = 0, sxx = 0, syy = 0, pr;
    size_t pairs = 0;
    for (size_t rr = 0; rr + gap < NO; rr++)
        if (ok[rr] && recent_mean(g, ok, rr + gap, w, &pr)) {
            sxy += g[rr] * pr;
            sxx += pr * pr;
            syy += g[rr] * g[rr];
            pairs++;
        }
    if (pairs < FACTOR_MIN_PAIRS)
        return HUGE_VAL; /* too few to fit: not a candidate */
    double l = sxx > 0 ? sxy / sxx : 0;
    *lambda = l < 0 ? 0 : l > 1 ? 1 : l;
    return syy - 2 * *lambda * sxy + *lambda * *lambda * sxx;
}

/* A shared quantity from g[rr] (its log at the rr-th origin from the end): the mean of
 * its last windows (as many of FACTOR_WINDOWS as foretold the past best), shrunk by least
 * squares over the past origins, exponentiated: *now, and at[rr] what the windows ending
 * gap weeks before origin rr foretold (1 where none did). */
static void fit_shared(const double *g, const bool *ok, size_t gap, double *at, double *now)
{
    static const size_t windows[] = FACTOR_WINDOWS;
    double lambda = FACTOR_PRIOR, best = HUGE_VAL, pr, lw = 0;
    size_t w = FACTOR_PRIOR_WINDOWS;
    for (size_t i = 0; i < sizeof(windows) / sizeof(windows[0]); i++) {
        double sse = shrink_fit(g, ok, gap, windows[i], &lw);
        if (sse < best - 1e-12) {
            best = sse;
            lambda = lw;
            w = windows[i];
        }
    }
    for (size_t rr = 0; rr < NO; rr++)
        at[rr] = rr + gap < NO && recent_mean(g, ok, rr + gap, w, &pr) ? exp(lambda * pr) : 1;
    *now = recent_mean(g, ok, 0, w, &pr) ? exp(lambda * pr) : 1;
}

/* The shop's factors from the totals of the nx scored SKUs: g[rr] the log of their
 * actual over their forecast demand, summed over all of them, at each origin. */
void bl__fc_lt_shop_factor(const struct bl__fc_lt_sku *x, size_t nx, size_t k, struct bl_fc_shop *sh)
{
    for (size_t l = 0; l < LT; l++) {
        double g[NO], at[NO];
        bool ok[NO];
        for (size_t rr = 0; rr < NO; rr++) {
            double sa = 0, sf = 0;
            for (size_t i = 0; l < k && i < nx; i++)
                if (rr < x[i].norig) {
                    sa += x[i].act[x[i].norig - 1 - rr][l];
                    sf += x[i].fc[x[i].norig - 1 - rr][l];
                }
            ok[rr] = sa > 0 && sf > 0;
            g[rr] = ok[rr] ? log(sa / sf) : 0;
        }
        fit_shared(g, ok, (k + 6) / 7, at, &sh->lt_factor[l]); /* now: k days back */
        for (size_t rr = 0; rr < NO; rr++)
            sh->lt_factor_at[rr][l] = at[rr];
    }
}

/* The shop's volatility: g[rr] the log of the mean squared standardised error over the
 * SKUs at each origin (each capped at VOL_CAP) over its mean at all origins. */
void bl__fc_lt_shop_scale(const struct bl__fc_lt_sku *x, size_t nx, size_t k, struct bl_fc_shop *sh)
{
    for (size_t l = 0; l < LT; l++) {
        double sum[NO] = {0}, n[NO] = {0}, all = 0, nall = 0, g[NO], at[NO];
        bool ok[NO];
        for (size_t i = 0; l < k && i < nx; i++)
            for (size_t r = 0; r < x[i].norig; r++)
                if (!isnan(x[i].z[r][l])) {
                    double v = x[i].z[r][l] * x[i].z[r][l];
                    sum[x[i].norig - 1 - r] += v < VOL_CAP ? v : VOL_CAP;
                    n[x[i].norig - 1 - r]++;
                }
        for (size_t rr = 0; rr < NO; rr++) {
            all += sum[rr];
            nall += n[rr];
        }
        for (size_t rr = 0; rr < NO; rr++) {
            ok[rr] = n[rr] > 0 && sum[rr] > 0 && all > 0;
            g[rr] = ok[rr] ? log(sum[rr] / n[rr] / (all / nall)) : 0;
        }
        fit_shared(g, ok, (k + 6) / 7, at, &sh->lt_scale[l]);
        for (size_t rr = 0; rr < NO; rr++)
            sh->lt_scale_at[rr][l] = at[rr];
    }
}
