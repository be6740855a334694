/* forecast_lt.c - lead-time quantiles, what safety stock needs, from the errors at the
 * rolling origins: the demand summed over the first L days after each origin against the
 * chosen model's forecast of that sum. Each SKU's own spread (the root mean square of
 * that error over its origins) times a shape pooled over the shop (the quantiles of the
 * errors over their spread, standardised leave-one-out, from up to 512 SKUs). Pure. */
#include "engine/forecast_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ballast/time.h"

#define LT BL_FC_LT_DAYS
_Static_assert(BL_FC_LT_DAYS == BL__FC_WINDOW, "lead times are calibrated on the window");
static const double lt_q[3] = {0.50, 0.90, 0.95};
static const double normal_z[3] = {0, 1.2816, 1.6449}; /* when nothing was pooled at L */

/* e[r][L - 1]: actual minus forecast of the demand summed over the observed days among
 * the first L days after origin r, for model m (the profile at the alpha-th constant
 * unless BL__FC_NO_ALPHA). Returns the days after each origin (at most LT). */
static size_t sum_errors(const struct bl__fc_pass *ps, const struct bl__fc_prep *p,
                         enum bl_fc_model m, size_t alpha, double e[][LT])
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
            e[r][j] = a - f;
        }
    }
    return k;
}

bool bl__fc_lt_quantiles(const struct bl__fc_pass *ps, const struct bl__fc_prep *p,
                         enum bl_fc_model m, size_t lt, double mean, double *q)
{
    const struct bl_fc_shop *sh = p->shop;
    if (!sh || !sh->lt_samples || !ps || ps->norig < 2 || !lt)
        return false;
    double e[BL__FC_MAX_ORIGINS][LT], ss = 0;
    size_t k = sum_errors(ps, p, m, ps->prof_pick, e);
    size_t lc = lt < k ? lt : k;
    for (size_t r = 0; r < ps->norig; r++)
        ss += e[r][lc - 1] * e[r][lc - 1];
    /* beyond the window the spread grows as the square root of the days */
    double sigma = sqrt(ss / (double)ps->norig * (double)lt / (double)lc);
    size_t zi = (lt < LT ? lt : LT) - 1;
    for (int i = 0; i < 3; i++) {
        double v = mean + sh->lt_z[i][zi] * sigma;
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

/* Adds series s's standardised lead-time errors with auto's choice to u[L] (cnt[L]
 * each); leave-one-out: origin r's error over the spread of the other origins. */
static int lt_series(const struct bl_fc_series *s, const struct bl_fc_opts *o, struct bl_arena *a,
                     double *const *u, size_t *cnt, struct bl_diag *d)
{
    struct bl__fc_prep p;
    int rc = bl__fc_prepare(s, o, o->horizon, a, &p, d);
    if (rc || !p.n)
        return rc == BL_ENOMEM ? bl_diag_set(d, rc, "out of memory for the forecast") : rc;
    enum bl_fc_model m = BL_FC_AUTO;
    struct bl__fc_pass *ps;
    if ((rc = bl__fc_run_pass(&p, 0, o->horizon, a, &m, &ps)) != 0)
        return bl_diag_set(d, rc, "out of memory for the forecast");
    if (ps->norig < 2)
        return BL_OK;
    double e[BL__FC_MAX_ORIGINS][LT];
    size_t k = sum_errors(ps, &p, m, ps->prof_pick, e), nr = ps->norig;
    for (size_t l = 0; l < k; l++) {
        double ss = 0;
        for (size_t r = 0; r < nr; r++)
            ss += e[r][l] * e[r][l];
        for (size_t r = 0; r < nr; r++) {
            double rest = (ss - e[r][l] * e[r][l]) / (double)(nr - 1);
            if (rest > 1e-12)
                u[l][cnt[l]++] = e[r][l] / sqrt(rest);
        }
    }
    return BL_OK;
}

int bl__fc_lt_pool(const struct bl_fc_series *s, size_t n, size_t step,
                   const struct bl_fc_opts *o, struct bl_fc_shop *sh, struct bl_diag *d)
{
    size_t nsample = n ? (n - 1) / step + 1 : 0, cnt[LT] = {0};
    struct bl_arena big = BL_ARENA_INIT;
    double *u[LT];
    int rc = BL_OK;
    for (size_t l = 0; l < LT && !rc; l++)
        if (!(u[l] = bl__fc_alloc(&big, nsample * BL__FC_MAX_ORIGINS + 1, sizeof(double))))
            rc = bl_diag_set(d, BL_ENOMEM, "out of memory for the forecast");
    for (size_t k = 0; k < n && !rc; k += step) {
        struct bl_arena a = BL_ARENA_INIT;
        rc = lt_series(&s[k], o, &a, u, cnt, d);
        bl_arena_release(&a);
    }
    for (size_t l = 0; l < LT && !rc; l++) {
        size_t from = l; /* a lead time the window did not reach: the longest one that did */
        while (from > 0 && !cnt[from])
            from--;
        qsort(u[from], cnt[from], sizeof(double), cmp_double);
        for (int i = 0; i < 3; i++)
            sh->lt_z[i][l] = cnt[from] ? quantile(u[from], cnt[from], lt_q[i]) : normal_z[i];
    }
    sh->lt_samples = rc ? 0 : cnt[0];
    bl_arena_release(&big);
    return rc;
}
