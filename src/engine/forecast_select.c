/* forecast_select.c - model choice (rolling-origin holdout), combination, quantiles
 * and M5 accuracy. The models themselves are in forecast.c. Pure. */
#include "engine/forecast_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SPARSE_ADI 2.0
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

#define SINGLE_MASK BL__FC_SINGLES
#define COMBO_MASK BL__FC_COMBO_MASK

/* The single models m stands for. */
static unsigned parts_of(enum bl_fc_model m)
{
    return m == BL_FC_COMBO ? COMBO_MASK : 1u << m;
}

/* Clipped raw forecast of model m (combo: the mean of its parts) from fits[]. */
static double raw_of(const struct bl__fc_fit *fits, enum bl_fc_model m,
                     const struct bl__fc_prep *p, size_t j)
{
    const enum bl_fc_model *parts = m == BL_FC_COMBO ? combo_parts : &m;
    size_t nparts = m == BL_FC_COMBO ? NCOMBO : 1;
    double sum = 0;
    for (size_t i = 0; i < nparts; i++) {
        double v = bl__fc_point_raw(&fits[parts[i]], p, j);
        sum += v > 0 ? v : 0;
    }
    return sum / (double)nparts;
}

/* The candidates auto weighs for p: all but those that cannot win. A smooth series
 * (mean interval between demands under 1.32 days, Syntetos-Boylan) does not need
 * Croston or SBA; a sparse one (a demand on fewer than 1 day in SPARSE_ADI) does not need
 * a trend or a weekly pattern of its own (the profile model has the shop's). */
static unsigned candidates(const struct bl__fc_prep *p)
{
    unsigned all = SINGLE_MASK | (1u << BL_FC_COMBO);
    double adi = p->nnz ? (double)p->nobs / (double)p->nnz : HUGE_VAL;
    if (adi < 1.32)
        all &= ~((1u << BL_FC_CROSTON) | (1u << BL_FC_SBA));
    if (adi >= SPARSE_ADI)
        all &= ~((1u << BL_FC_DAMPED) | (1u << BL_FC_ETS_SEASONAL) | (1u << BL_FC_COMBO));
    return bl__fc_pool_prune(p, all);
}

/* Runs the pass for the single models of need (and, when *m is auto, auto's choice for
 * a horizon of h days, stored in *m). *out is arena-owned. */
int bl__fc_run_pass(const struct bl__fc_prep *p, unsigned need, size_t h, struct bl_arena *a,
                    enum bl_fc_model *m, struct bl__fc_pass **out)
{
    struct bl__fc_pass *ps = bl__fc_pass_new(a);
    if (!ps)
        return BL_ENOMEM;
    *out = ps;
    size_t k = h < 7 ? 7 : h > 28 ? 28 : h;
    unsigned cand = 0;
    ps->norig = bl__fc_plan_origins(p, k, ps->origin); /* the profile model uses them too */
    ps->k = k;
    ps->prof_pick = BL__FC_NO_ALPHA;
    if (*m == BL_FC_AUTO && ps->norig) {
        cand = candidates(p);
        for (int i = BL_FC_SNAIVE; i < BL_FC_NMODELS; i++)
            if (cand & (1u << i))
                need |= parts_of((enum bl_fc_model)i);
    } else if (*m == BL_FC_AUTO) {
        /* Too short to hold anything out: intermittent (mean interval >= 1.32 days,
         * Syntetos-Boylan) goes to sba, the rest to ses, whatever the shop's pooled
         * errors would have pruned (they weigh candidates at origins this SKU has not). */
        bool intermittent = p->nnz && (double)p->nobs / (double)p->nnz >= 1.32;
        *m = intermittent ? BL_FC_SBA : BL_FC_SES;
        need |= 1u << *m;
    }
    ps->mask = need & SINGLE_MASK;
    bl__fc_pass_run(ps, p);
    if (*m == BL_FC_AUTO)
        *m = bl__fc_choose(ps, p, cand, &ps->prof_pick);
    return BL_OK;
}

/* Final fits (residuals included) of the parts of m from the pass, into fits[]. */
static int finish_parts(struct bl__fc_pass *ps, enum bl_fc_model m, const struct bl__fc_prep *p,
                        struct bl_arena *a, struct bl__fc_fit *fits)
{
    unsigned parts = parts_of(m);
    for (int i = BL_FC_SNAIVE; i < BL_FC_NMODELS; i++)
        if (parts & (1u << i)) {
            if (!(ps->mask & (1u << i)))
                return BL_EINVAL; /* not fitted by the pass: a bug, said as such */
            fits[i] = ps->fin[i];
            if (i == BL_FC_PROFILE && ps->prof_pick != BL__FC_NO_ALPHA)
                fits[i].alpha = bl__fc_prof_alpha(ps->prof_pick); /* auto's, from the shop */
            int rc = bl__fc_finish(&fits[i], p, a);
            if (rc)
                return rc;
        }
    return BL_OK;
}

/* Point forecasts of m (not auto) into fc[h], clipped at 0, with uplifts. */
static void point_from(const struct bl__fc_fit *fits, enum bl_fc_model m,
                       const struct bl__fc_prep *p, double *fc, size_t h)
{
    for (size_t j = 0; j < h; j++)
        fc[j] = p->n ? raw_of(fits, m, p, j) * p->mult[j] : 0;
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

/* Model m (auto: chosen for a horizon of sel_h days) fitted on p: *m the model used,
 * fits[] its parts' final fits. */
static int fit_model(const struct bl__fc_prep *p, size_t sel_h, unsigned extra,
                     struct bl_arena *a, enum bl_fc_model *m, struct bl__fc_pass **ps,
                     struct bl__fc_fit *fits, struct bl_diag *d)
{
    *ps = NULL;
    if (!p->n) {
        *m = *m == BL_FC_AUTO ? BL_FC_SES : *m; /* never sold: zero, whatever the model */
        return BL_OK;
    }
    unsigned need = extra | (*m == BL_FC_AUTO ? 0 : parts_of(effective(*m, p)));
    int rc = bl__fc_run_pass(p, need, sel_h, a, m, ps);
    if (!rc) {
        *m = effective(*m, p);
        rc = finish_parts(*ps, *m, p, a, fits);
    }
    if (rc == BL_ENOMEM)
        return bl_diag_set(d, rc, "out of memory for the forecast");
    return rc ? bl_diag_set(d, rc, "the %s model was chosen but not fitted (a bug in Ballast)",
                            bl_fc_model_name(*m))
              : BL_OK;
}

int bl_fc_select(const struct bl_fc_series *s, const struct bl_fc_opts *o, struct bl_arena *a,
                 enum bl_fc_model *out, struct bl_diag *d)
{
    struct bl__fc_prep p;
    int rc = prepare_for(s, o, o ? o->horizon : 0, a, &p, d);
    if (rc)
        return rc;
    struct bl__fc_pass *ps;
    *out = BL_FC_AUTO;
    rc = p.n ? bl__fc_run_pass(&p, 0, o->horizon, a, out, &ps) : BL_OK;
    if (!p.n)
        *out = BL_FC_SES;
    return rc ? bl_diag_set(d, rc, "out of memory for the forecast") : BL_OK;
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
    struct bl__fc_pass *ps;
    struct bl__fc_fit fits[BL_FC_NMODELS];
    rc = fit_model(&p, h, 0, a, &m, &ps, fits, d);
    if (!rc)
        point_from(fits, m, &p, fc, h);
    return rc;
}

int bl_fc_point_all(const struct bl_fc_series *s, const struct bl_fc_opts *o, struct bl_arena *a,
                    double *fc, size_t h, enum bl_fc_model *pick, struct bl_diag *d)
{
    if (!fc || !pick)
        return bl_diag_set(d, BL_EINVAL, "no output buffer given");
    struct bl__fc_prep p;
    int rc = prepare_for(s, o, h, a, &p, d);
    if (rc)
        return rc;
    memset(fc, 0, BL_FC_NMODELS * h * sizeof(double));
    struct bl__fc_pass *ps;
    struct bl__fc_fit fits[BL_FC_NMODELS];
    *pick = BL_FC_AUTO;
    rc = fit_model(&p, h, SINGLE_MASK, a, pick, &ps, fits, d);
    if (rc || !p.n) {
        *pick = p.n ? *pick : BL_FC_SES;
        return rc;
    }
    point_from(fits, *pick, &p, fc, h);
    unsigned done = parts_of(*pick);
    if (ps->prof_pick != BL__FC_NO_ALPHA)
        done &= ~(1u << BL_FC_PROFILE); /* auto's profile has the shop's constant */
    for (int m = BL_FC_SNAIVE; m < BL_FC_NMODELS; m++) {
        if ((done & (1u << m)) || !(SINGLE_MASK & (1u << m)))
            continue;
        fits[m] = ps->fin[m];
        if ((rc = bl__fc_finish(&fits[m], &p, a)) != 0)
            return bl_diag_set(d, rc, "out of memory for the forecast");
    }
    for (int m = BL_FC_SNAIVE; m < BL_FC_NMODELS; m++)
        point_from(fits, effective((enum bl_fc_model)m, &p), &p, fc + (size_t)m * h, h);
    return BL_OK;
}

/* ---- quantiles ------------------------------------------------------------------- */

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
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
    struct bl__fc_pass *ps;
    struct bl__fc_fit fits[BL_FC_NMODELS];
    if ((rc = fit_model(&p, h, 0, a, &m, &ps, fits, d)) != 0)
        return rc;

    out->model = m;
    out->horizon = h;
    out->lead_time = lt;
    out->first_day = p.future_day0;
    out->history = p.n;
    out->censored = p.censored;
    out->unseen_events = p.unseen;
    out->unseen_event = p.unseen_name;
    out->unseen_day = p.unseen_day;
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
        const struct bl__fc_fit f = fits[parts[i]];
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
            out->p50[j] += w * bl__fc_quantile(col, nsims, 0.50);
            out->p90[j] += w * bl__fc_quantile(col, nsims, 0.90);
            out->p95[j] += w * bl__fc_quantile(col, nsims, 0.95);
        }
        for (size_t k = 0; k < nsims; k++) {
            double sum = 0;
            for (size_t j = 0; j < lt; j++)
                sum += paths[k * h + j];
            col[k] = sum;
        }
        qsort(col, nsims, sizeof(double), cmp_double);
        out->lt_p50 += w * bl__fc_quantile(col, nsims, 0.50);
        out->lt_p90 += w * bl__fc_quantile(col, nsims, 0.90);
        out->lt_p95 += w * bl__fc_quantile(col, nsims, 0.95);
    }
    for (size_t j = 0; j < lt; j++)
        out->lt_mean += out->point[j];
    double q[3]; /* from the errors at the origins when the shop has their shape */
    if (bl__fc_lt_quantiles(ps, &p, m, lt, out->lt_mean, out->sigma, q)) {
        out->lt_p50 = q[0];
        out->lt_p90 = q[1];
        out->lt_p95 = q[2];
    }
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
