/* forecast_lt.c - lead-time quantiles, what safety stock needs, from the errors at the
 * rolling origins: the demand summed over the first L days after each origin against the
 * chosen model's forecast of that sum. Three things are pooled over the shop's SKUs (up
 * to 512): its common factor (the ratio of actual to forecast totals over all of them at
 * the recent origins: shocks such as the weeks before Christmas move every SKU together,
 * which no SKU's own errors can foresee), the shape of the errors after that factor
 * (standardised leave-one-out), and their spread relative to the one-step error, for the
 * SKUs too short to have their own. Each SKU's own spread is the root mean square of its
 * corrected errors over its origins. Pure. */
#include "engine/forecast_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ballast/time.h"

#define LT BL_FC_LT_DAYS
#define NO BL__FC_MAX_ORIGINS
_Static_assert(BL_FC_LT_DAYS == BL__FC_WINDOW, "lead times are calibrated on the window");
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
#define LEVEL_SPAN 2.0
/* Origins of each pooled SKU (the latest) whose errors give a short SKU's quantiles. */
#define SHORT_ORIGINS 4
static const double lt_q[3] = {0.50, 0.90, 0.95};
static const double normal_z[3] = {0, 1.2816, 1.6449}; /* when nothing was pooled at L */

/* What one scored SKU says: its origins and, for each, the actual and forecast demand
 * summed over the observed days among the first L days (act[r][L - 1], fc[r][L - 1]). */
struct lt_sku {
    size_t norig;
    double sigma1; /* the chosen model's one-step error */
    double act[NO][LT], fc[NO][LT];
    double z[NO][LT]; /* corrected, standardised leave-one-out (NAN: undefined) */
};

/* The totals of model m (the profile at the alpha-th constant unless BL__FC_NO_ALPHA) at
 * every origin of ps into act and fc. Returns the days after each origin (at most LT). */
static size_t sum_totals(const struct bl__fc_pass *ps, const struct bl__fc_prep *p,
                         enum bl_fc_model m, size_t alpha, double act[][LT], double fc[][LT])
{
    size_t k = ps->k > LT ? LT : ps->k;
    double v[BL_FC_NMODELS][BL__FC_WINDOW];
    unsigned need = (1u << m) | (m == BL_FC_COMBO ? BL__FC_COMBO_MASK : 0);
    for (size_t r = 0; r < ps->norig; r++) {
        if (alpha == BL__FC_NO_ALPHA)
            bl__fc_paths_at(ps, p, r, need, k, v);
        int wd = bl_weekday(p->day0 + (int64_t)ps->origin[r]);
        double lv = alpha == BL__FC_NO_ALPHA ? 0 : ps->prof_lv[r][alpha], a = 0, f = 0;
        for (size_t j = 0; j < k; j++, wd = wd == 6 ? 0 : wd + 1) {
            size_t t = ps->origin[r] + j;
            if (p->obs[t]) {
                a += p->y[t];
                f += alpha == BL__FC_NO_ALPHA ? v[m][j] : (lv > 0 ? lv : 0) * p->prof[wd];
            }
            act[r][j] = a;
            fc[r][j] = f;
        }
    }
    return k;
}

/* The shop's factor for lead time l + 1 at the rr-th origin from the end (1 if none). */
static double factor_at(const struct bl_fc_shop *sh, size_t rr, size_t l)
{
    double f = rr < NO ? sh->lt_factor_at[rr][l] : 1;
    return f > 0 && isfinite(f) ? f : 1;
}

/* A forecast's level, v clamped within a factor LEVEL_SPAN of m (the mean level of the
 * SKU's origins): an error carried from one level to another has its variance times their
 * ratio (errors grow with the level, as counts do), at most LEVEL_SPAN^2 either way. */
static double level(double v, double m)
{
    if (!(m > 0))
        return 1;
    return v < m / LEVEL_SPAN ? m / LEVEL_SPAN : v > m * LEVEL_SPAN ? m * LEVEL_SPAN : v;
}

static double mean_level(const double (*fc)[LT], size_t norig, size_t l)
{
    double m = 0;
    for (size_t r = 0; r < norig; r++)
        m += fc[r][l];
    return norig ? m / (double)norig : 0;
}

/* e[r] = act - factor * fc of lead time l + 1 at each of norig origins (ascending). */
static void corrected(const struct bl_fc_shop *sh, size_t norig, size_t l,
                      const double (*act)[LT], const double (*fc)[LT], double *e)
{
    for (size_t r = 0; r < norig; r++)
        e[r] = act[r][l] - factor_at(sh, norig - 1 - r, l) * fc[r][l];
}

bool bl__fc_lt_quantiles(const struct bl__fc_pass *ps, const struct bl__fc_prep *p,
                         enum bl_fc_model m, size_t lt, double mean, double sigma1, double *q)
{
    const struct bl_fc_shop *sh = p->shop;
    if (!sh || !sh->lt_samples || !lt)
        return false;
    size_t zi = (lt < LT ? lt : LT) - 1;
    double sigma;
    if (ps && ps->norig >= 2) {
        double act[NO][LT], fc[NO][LT], e[NO], ss = 0;
        size_t k = sum_totals(ps, p, m, ps->prof_pick, act, fc);
        size_t lc = lt < k ? lt : k;
        const double(*cf)[LT] = (const double(*)[LT])fc;
        corrected(sh, ps->norig, lc - 1, (const double(*)[LT])act, cf, e);
        double lm = mean_level(cf, ps->norig, lc - 1);
        double now = level(mean * (double)lc / (double)lt, lm);
        for (size_t r = 0; r < ps->norig; r++) /* at today's level */
            ss += e[r] * e[r] * now / level(fc[r][lc - 1], lm);
        /* beyond the window the spread grows as the square root of the days */
        sigma = sqrt(ss / (double)ps->norig * (double)lt / (double)lc);
    } else if (sigma1 > 0 && sh->lt_short_samples) {
        sigma = sigma1 * sqrt((double)lt); /* too short: the shop's ratios to this */
    } else {
        return false;
    }
    bool own = ps && ps->norig >= 2;
    double f = sh->lt_factor[zi], vol = own && sh->lt_scale[zi] > 0 ? sh->lt_scale[zi] : 1;
    double centre = mean * (f > 0 && isfinite(f) ? f : 1);
    for (int i = 0; i < 3; i++) {
        double z = own ? sh->lt_z[i][zi] : sh->lt_short[i][zi];
        double v = centre + z * sigma * sqrt(vol);
        q[i] = v > 0 ? v : 0;
        if (i && q[i] < q[i - 1])
            q[i] = q[i - 1];
    }
    return true;
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
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

/* Series s's totals at its origins with auto's choice into x (x->norig 0: too short). */
static int lt_series(const struct bl_fc_series *s, const struct bl_fc_opts *o, struct bl_arena *a,
                     struct lt_sku *x, struct bl_diag *d)
{
    struct bl__fc_prep p;
    x->norig = 0;
    int rc = bl__fc_prepare(s, o, o->horizon, a, &p, d);
    if (rc || !p.n)
        return rc == BL_ENOMEM ? bl_diag_set(d, rc, "out of memory for the forecast") : rc;
    enum bl_fc_model m = BL_FC_AUTO;
    struct bl__fc_pass *ps;
    if ((rc = bl__fc_run_pass(&p, 0, o->horizon, a, &m, &ps)) != 0)
        return bl_diag_set(d, rc, "out of memory for the forecast");
    if (!ps->norig)
        return BL_OK;
    sum_totals(ps, &p, m, ps->prof_pick, x->act, x->fc);
    x->norig = ps->norig;
    unsigned parts = m == BL_FC_COMBO ? BL__FC_COMBO_MASK : 1u << m;
    double sum = 0, cnt = 0;
    for (int i = BL_FC_SNAIVE; i < BL_FC_NMODELS; i++)
        if (parts & (1u << i)) {
            sum += ps->fin[i].sigma;
            cnt++;
        }
    x->sigma1 = cnt > 0 ? sum / cnt : 0;
    return BL_OK;
}

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
static void shop_factor(const struct lt_sku *x, size_t nx, size_t k, struct bl_fc_shop *sh)
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

/* SKU x's corrected error at each origin over the spread of its other origins into
 * x->z (NAN when they have none), and over its one-step error times sqrt(L) to sp[l]. */
static void standardise(struct lt_sku *x, size_t k, const struct bl_fc_shop *sh,
                        double *const *sp, size_t *nsp)
{
    size_t nr = x->norig;
    double e[NO];
    for (size_t l = 0; l < k; l++) {
        corrected(sh, nr, l, x->act, x->fc, e);
        double m = mean_level(x->fc, nr, l), lv[NO], sl = 0;
        for (size_t r = 0; r < nr; r++) {
            lv[r] = level(x->fc[r][l], m);
            sl += e[r] * e[r] / lv[r];
        }
        for (size_t r = 0; r < nr; r++) { /* the other origins' errors at r's level */
            double rest = nr > 1 ? lv[r] * (sl - e[r] * e[r] / lv[r]) / (double)(nr - 1) : 0;
            x->z[r][l] = rest > 1e-12 ? e[r] / sqrt(rest) : NAN;
        }
        if (x->sigma1 > 0) /* the latest origins: what a short SKU has */
            for (size_t r = nr > SHORT_ORIGINS ? nr - SHORT_ORIGINS : 0; r < nr; r++)
                sp[l][nsp[l]++] = e[r] / (x->sigma1 * sqrt((double)(l + 1)));
    }
}

/* The shop's volatility: g[rr] the log of the mean squared standardised error over the
 * SKUs at each origin (each capped at VOL_CAP) over its mean at all origins. */
static void shop_scale(const struct lt_sku *x, size_t nx, size_t k, struct bl_fc_shop *sh)
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

/* Adds x's standardised errors over the shop's volatility at their origins to u[l]. */
static void add_pooled(const struct lt_sku *x, size_t k, const struct bl_fc_shop *sh,
                       double *const *u, size_t *cnt)
{
    for (size_t l = 0; l < k; l++)
        for (size_t r = 0; r < x->norig; r++)
            if (!isnan(x->z[r][l]))
                u[l][cnt[l]++] = x->z[r][l] / sqrt(sh->lt_scale_at[x->norig - 1 - r][l]);
}

/* lt_z and lt_short from the pooled values (a lead time the window did not reach: the
 * longest one that did). */
static void shape_of(double *const *u, const size_t *cnt, double *const *sp, const size_t *nsp,
                     struct bl_fc_shop *sh)
{
    for (size_t l = 0; l < LT; l++) {
        size_t from = l;
        while (from > 0 && !cnt[from])
            from--;
        qsort(u[from], cnt[from], sizeof(double), cmp_double);
        for (int i = 0; i < 3; i++)
            sh->lt_z[i][l] = cnt[from] ? quantile(u[from], cnt[from], lt_q[i]) : normal_z[i];
        size_t fs = l; /* the same for the ratios */
        while (fs > 0 && !nsp[fs])
            fs--;
        qsort(sp[fs], nsp[fs], sizeof(double), cmp_double);
        for (int i = 0; i < 3; i++)
            sh->lt_short[i][l] = nsp[fs] ? quantile(sp[fs], nsp[fs], lt_q[i]) : normal_z[i];
        if (from != l) {
            sh->lt_scale[l] = sh->lt_scale[from];
            sh->lt_factor[l] = sh->lt_factor[from];
        }
    }
}

/* From the scored SKUs: the shop's factor, its SKUs' corrected errors, its volatility,
 * then the shape of those errors. */
static size_t shop_learn_lt(struct lt_sku *x, size_t nx, size_t k, struct bl_fc_shop *sh,
                            double *const *u, double *const *sp)
{
    size_t cnt[LT] = {0}, nsp[LT] = {0}, total = 0;
    shop_factor(x, nx, k, sh);
    for (size_t i = 0; i < nx; i++)
        standardise(&x[i], k, sh, sp, nsp);
    shop_scale(x, nx, k, sh);
    for (size_t i = 0; i < nx; i++)
        add_pooled(&x[i], k, sh, u, cnt);
    shape_of(u, cnt, sp, nsp, sh);
    sh->lt_short_samples = 0;
    for (size_t l = 0; l < LT; l++) { /* not cnt[0]: the first day may be closed everywhere */
        total += cnt[l];
        sh->lt_short_samples += nsp[l];
    }
    return total + sh->lt_short_samples;
}

int bl__fc_lt_pool(const struct bl_fc_series *s, size_t n, size_t step,
                   const struct bl_fc_opts *o, struct bl_fc_shop *sh, struct bl_diag *d)
{
    size_t nsample = n ? (n - 1) / step + 1 : 0, nx = 0;
    size_t k = o->horizon < 7 ? 7 : o->horizon > LT ? LT : o->horizon;
    struct bl_arena big = BL_ARENA_INIT;
    double *u[LT], *sp[LT];
    struct lt_sku *x = bl__fc_alloc(&big, nsample + 1, sizeof(*x));
    int rc = x ? BL_OK : bl_diag_set(d, BL_ENOMEM, "out of memory for the forecast");
    for (size_t l = 0; l < LT && !rc; l++)
        if (!(u[l] = bl__fc_alloc(&big, nsample * NO + 1, sizeof(double))) ||
            !(sp[l] = bl__fc_alloc(&big, nsample * SHORT_ORIGINS + 1, sizeof(double))))
            rc = bl_diag_set(d, BL_ENOMEM, "out of memory for the forecast");
    for (size_t i = 0; i < n && !rc; i += step) {
        struct bl_arena a = BL_ARENA_INIT;
        rc = lt_series(&s[i], o, &a, &x[nx], d);
        nx += x[nx].norig > 0;
        bl_arena_release(&a);
    }
    sh->lt_samples = rc ? 0 : shop_learn_lt(x, nx, k, sh, u, sp);
    bl_arena_release(&big);
    return rc;
}
