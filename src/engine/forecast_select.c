/* forecast_select.c - model choice (rolling-origin holdout), combination, quantiles
 * and M5 accuracy. The models themselves are in forecast.c. Pure. */
#include "engine/forecast_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SELECT_ORIGINS 6 /* rolling origins, a week apart */
#define SELECT_MIN_TRAIN 28
#define MAX_PATH_VALUES (4u << 20)

static const enum bl_fc_model combo_parts[] = {BL_FC_SES, BL_FC_DAMPED, BL_FC_ETS_SEASONAL,
                                               BL_FC_TSB};
#define NCOMBO (sizeof(combo_parts) / sizeof(combo_parts[0]))

/* The model actually used for m on p: models that need more history than p has fall
 * back to ses. */
static enum bl_fc_model effective(enum bl_fc_model m, const struct bl__fc_prep *p)
{
    if (m == BL_FC_SNAIVE && (p->n < 7 || p->nobs < 7))
        return BL_FC_SES;
    if ((m == BL_FC_ETS_SEASONAL || m == BL_FC_DAMPED) && (p->n < 14 || p->nobs < 14))
        return BL_FC_SES;
    if (m == BL_FC_COMBO && (p->n < 14 || p->nobs < 14))
        return BL_FC_SES;
    return m;
}

/* Point forecasts of m (not auto) on p into fc[h], clipped at 0, with uplifts. */
static int point_model(const struct bl__fc_prep *p, enum bl_fc_model m, struct bl_arena *a,
                       double *fc, size_t h)
{
    for (size_t j = 0; j < h; j++)
        fc[j] = 0;
    if (!p->n)
        return BL_OK;
    m = effective(m, p);
    const enum bl_fc_model *parts = m == BL_FC_COMBO ? combo_parts : &m;
    size_t nparts = m == BL_FC_COMBO ? NCOMBO : 1;
    for (size_t i = 0; i < nparts; i++) {
        struct bl__fc_fit f;
        int rc = bl__fc_fit(&f, parts[i], p, a);
        if (rc)
            return rc;
        for (size_t j = 0; j < h; j++) {
            double v = bl__fc_point_raw(&f, p, j);
            fc[j] += (v > 0 ? v : 0) * p->mult[j] / (double)nparts;
        }
    }
    return BL_OK;
}

static int prepare_for(const struct bl_fc_series *s, const struct bl_fc_opts *o, size_t h,
                       struct bl_arena *a, struct bl__fc_prep *p, struct bl_diag *d)
{
    if (!o)
        return bl_diag_set(d, BL_EINVAL, "no options given");
    int rc = bl__fc_prepare(s, o, h, a, p, d);
    if (rc == BL_ENOMEM)
        return bl_diag_set(d, BL_ENOMEM, "out of memory for the forecast");
    return rc;
}

static int select_model(const struct bl_fc_series *s, const struct bl_fc_opts *o,
                        const struct bl__fc_prep *full, struct bl_arena *a, enum bl_fc_model *out,
                        struct bl_diag *d)
{
    size_t k = o->horizon < 7 ? 7 : o->horizon > 28 ? 28 : o->horizon;
    double sse[BL_FC_NMODELS] = {0};
    size_t used = 0;
    double *fc = bl__fc_alloc(a, k, sizeof(double));
    if (!fc)
        return bl_diag_set(d, BL_ENOMEM, "out of memory for the forecast");
    for (size_t r = 0; r < SELECT_ORIGINS; r++) {
        size_t back = k + 7 * r;
        if (full->n < back + SELECT_MIN_TRAIN)
            break;
        struct bl_fc_series train = *s;
        train.n = s->n - back;
        struct bl__fc_prep p;
        int rc = prepare_for(&train, o, k, a, &p, d);
        if (rc)
            return rc;
        if (p.nobs < SELECT_MIN_TRAIN / 2)
            break;
        used++;
        for (int m = BL_FC_SNAIVE; m < BL_FC_NMODELS; m++) {
            rc = point_model(&p, (enum bl_fc_model)m, a, fc, k);
            if (rc)
                return bl_diag_set(d, rc, "out of memory for the forecast");
            for (size_t j = 0; j < k; j++) {
                size_t t = train.n + j;
                if (s->in_stock && !s->in_stock[t])
                    continue; /* censored: no demand to compare with */
                double e = s->units[t] - fc[j];
                sse[m] += e * e;
            }
        }
    }
    if (!used) {
        /* Too short to hold anything out: intermittent (mean interval >= 1.32 days,
         * Syntetos-Boylan) goes to sba, the rest to ses. */
        bool intermittent = full->nnz && (double)full->nobs / (double)full->nnz >= 1.32;
        *out = intermittent ? BL_FC_SBA : BL_FC_SES;
        return BL_OK;
    }
    enum bl_fc_model best = BL_FC_SNAIVE;
    for (int m = BL_FC_SNAIVE + 1; m < BL_FC_NMODELS; m++)
        if (sse[m] < sse[best])
            best = (enum bl_fc_model)m;
    *out = best;
    return BL_OK;
}

int bl_fc_select(const struct bl_fc_series *s, const struct bl_fc_opts *o, struct bl_arena *a,
                 enum bl_fc_model *out, struct bl_diag *d)
{
    struct bl__fc_prep p;
    int rc = prepare_for(s, o, o ? o->horizon : 0, a, &p, d);
    if (rc)
        return rc;
    return select_model(s, o, &p, a, out, d);
}

int bl_fc_point(const struct bl_fc_series *s, enum bl_fc_model m, const struct bl_fc_opts *o,
                struct bl_arena *a, double *fc, size_t h, struct bl_diag *d)
{
    if ((unsigned)m >= BL_FC_NMODELS)
        return bl_diag_set(d, BL_EINVAL, "unknown model %d", (int)m);
    if (!fc)
        return bl_diag_set(d, BL_EINVAL, "no output buffer given");
    struct bl__fc_prep p;
    int rc = prepare_for(s, o, h, a, &p, d);
    if (rc)
        return rc;
    if (m == BL_FC_AUTO) {
        struct bl_fc_opts oh = *o;
        oh.horizon = h;
        rc = select_model(s, &oh, &p, a, &m, d);
        if (rc)
            return rc;
    }
    rc = point_model(&p, m, a, fc, h);
    return rc ? bl_diag_set(d, rc, "out of memory for the forecast") : BL_OK;
}

/* ---- quantiles ------------------------------------------------------------------- */

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

int bl_fc_forecast(const struct bl_fc_series *s, const struct bl_fc_opts *o, struct bl_arena *a,
                   struct bl_fc_result *out, struct bl_diag *d)
{
    if (!out)
        return bl_diag_set(d, BL_EINVAL, "no result given");
    memset(out, 0, sizeof(*out));
    if (!o)
        return bl_diag_set(d, BL_EINVAL, "no options given");
    size_t h = o->horizon, lt = o->lead_time ? o->lead_time : o->horizon;
    size_t nsims = o->nsims ? o->nsims : 1000;
    if (lt > h)
        return bl_diag_set(d, BL_EINVAL, "lead time %zu is longer than the horizon %zu", lt, h);
    if (nsims > BL_FC_MAX_SIMS || (h && nsims > MAX_PATH_VALUES / h))
        return bl_diag_set(d, BL_EINVAL,
                           "%zu sample paths of %zu days: at most %u values are supported", nsims,
                           h, MAX_PATH_VALUES);
    struct bl__fc_prep p;
    int rc = prepare_for(s, o, h, a, &p, d);
    if (rc)
        return rc;
    enum bl_fc_model m = o->model;
    if ((unsigned)m >= BL_FC_NMODELS)
        return bl_diag_set(d, BL_EINVAL, "unknown model %d", (int)m);
    if (m == BL_FC_AUTO && (rc = select_model(s, o, &p, a, &m, d)) != 0)
        return rc;
    m = p.n ? effective(m, &p) : m;

    out->model = m;
    out->horizon = h;
    out->lead_time = lt;
    out->first_day = p.future_day0;
    out->history = p.n;
    out->censored = p.censored;
    out->point = bl__fc_alloc(a, h, sizeof(double));
    out->p50 = bl__fc_alloc(a, h, sizeof(double));
    out->p90 = bl__fc_alloc(a, h, sizeof(double));
    out->p95 = bl__fc_alloc(a, h, sizeof(double));
    double *paths = bl__fc_alloc(a, nsims * h, sizeof(double));
    double *col = bl__fc_alloc(a, nsims, sizeof(double));
    double *sizes = bl__fc_alloc(a, p.n ? p.n : 1, sizeof(double));
    if (!out->point || !out->p50 || !out->p90 || !out->p95 || !paths || !col || !sizes)
        return bl_diag_set(d, BL_ENOMEM, "out of memory for the forecast");
    if (!p.n)
        return BL_OK; /* never sold: zero demand, zero quantiles */

    const enum bl_fc_model *parts = m == BL_FC_COMBO ? combo_parts : &m;
    size_t nparts = m == BL_FC_COMBO ? NCOMBO : 1;
    uint64_t rng = o->seed;
    double w = 1.0 / (double)nparts;
    for (size_t i = 0; i < nparts; i++) {
        struct bl__fc_fit f;
        if (bl__fc_fit(&f, parts[i], &p, a))
            return bl_diag_set(d, BL_ENOMEM, "out of memory for the forecast");
        out->sigma += w * f.sigma;
        for (size_t j = 0; j < h; j++) {
            double v = bl__fc_point_raw(&f, &p, j);
            out->point[j] += w * (v > 0 ? v : 0) * p.mult[j];
        }
        /* Quantile averaging across the parts of a combination. */
        bl__fc_simulate(&f, &p, h, nsims, &rng, sizes, paths);
        for (size_t j = 0; j < h; j++) {
            for (size_t k = 0; k < nsims; k++)
                col[k] = paths[k * h + j];
            qsort(col, nsims, sizeof(double), cmp_double);
            out->p50[j] += w * quantile(col, nsims, 0.50);
            out->p90[j] += w * quantile(col, nsims, 0.90);
            out->p95[j] += w * quantile(col, nsims, 0.95);
        }
        for (size_t k = 0; k < nsims; k++) {
            double sum = 0;
            for (size_t j = 0; j < lt; j++)
                sum += paths[k * h + j];
            col[k] = sum;
        }
        qsort(col, nsims, sizeof(double), cmp_double);
        out->lt_p50 += w * quantile(col, nsims, 0.50);
        out->lt_p90 += w * quantile(col, nsims, 0.90);
        out->lt_p95 += w * quantile(col, nsims, 0.95);
    }
    for (size_t j = 0; j < lt; j++)
        out->lt_mean += out->point[j];
    return BL_OK;
}

/* ---- accuracy -------------------------------------------------------------------- */

int bl_fc_accuracy(const double *train, size_t ntrain, const double *actual, const double *fc,
                   size_t h, struct bl_fc_accuracy *out, struct bl_diag *d)
{
    if (!out || !actual || !fc || (!train && ntrain))
        return bl_diag_set(d, BL_EINVAL, "missing arrays");
    if (!h)
        return bl_diag_set(d, BL_EINVAL, "an empty holdout has no accuracy");
    size_t start = 0;
    while (start < ntrain && train[start] == 0)
        start++;
    if (ntrain - start < 2)
        return bl_diag_set(d, BL_EEMPTY, "fewer than 2 days of history after the first sale");
    double s1 = 0, s2 = 0;
    for (size_t t = start + 1; t < ntrain; t++) {
        double e = train[t] - train[t - 1];
        s1 += fabs(e);
        s2 += e * e;
    }
    double m = (double)(ntrain - start - 1);
    s1 /= m;
    s2 /= m;
    if (!(s2 > 0) || !isfinite(s2))
        return bl_diag_set(d, BL_EEMPTY, "the history is constant: no scale for the errors");
    double a1 = 0, a2 = 0;
    for (size_t j = 0; j < h; j++) {
        double e = actual[j] - fc[j];
        a1 += fabs(e);
        a2 += e * e;
    }
    out->mase = a1 / (double)h / s1;
    out->rmsse = sqrt(a2 / (double)h / s2);
    return BL_OK;
}
