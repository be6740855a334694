/* forecast_choose.c - auto's choice: every candidate's squared error at the rolling
 * origins of one pass (forecast_pass.c), and the same errors pooled over a shop's SKUs
 * (bl_fc_shop_pool), toward which each SKU's choice is shrunk. Pure. */
#include "engine/forecast_impl.h"

#include <math.h>
#include <string.h>

#include "ballast/time.h"

#define SELECT_ORIGINS BL__FC_MAX_ORIGINS /* rolling origins, a week apart */
#define SELECT_MIN_TRAIN 28
#define MAX_WINDOW BL__FC_WINDOW
/* SKUs scored for the shop's pooled errors (evenly spaced over the shop's SKUs). */
#define POOL_SAMPLE 512
/* Weight of the shop's pooled error against the SKU's own, in logs, when many SKUs were
 * pooled: w = POOL_WEIGHT * n / (n + POOL_HALF) for n SKUs scored (0.82 for 200 SKUs, 0.18
 * for 5). A SKU leaves the shop's best candidate for another only when its own error there
 * is lower by the ratio of their pooled errors to the power w / (1 - w) (for 200 SKUs 4.5:
 * a candidate 4% worse over the shop must be 16% better on the SKU). */
#define POOL_WEIGHT 0.9
#define POOL_HALF 20.0
/* A candidate whose pooled error would need the SKU's own error under 1 / PRUNE_RATIO of
 * the shop's best candidate's to be chosen is not fitted at all. */
#define PRUNE_RATIO 2.0

size_t bl__fc_plan_origins(const struct bl__fc_prep *p, size_t k, size_t *origin)
{
    size_t o[SELECT_ORIGINS], no = 0, nobs = p->nobs, t = p->n;
    for (size_t r = 0; r < SELECT_ORIGINS; r++) {
        size_t back = k + 7 * r;
        if (p->n < back + SELECT_MIN_TRAIN)
            break;
        for (; t > p->n - back; t--) /* nobs: observed days before the origin */
            nobs -= p->obs[t - 1];
        if (nobs < SELECT_MIN_TRAIN / 2)
            break;
        o[no++] = p->n - back;
    }
    for (size_t i = 0; i < no; i++)
        origin[i] = o[no - 1 - i];
    return no;
}

void bl__fc_paths_at(const struct bl__fc_pass *ps, const struct bl__fc_prep *p, size_t r,
                     unsigned models, size_t k, double v[][BL__FC_WINDOW])
{
    struct bl__fc_prep at = *p;
    at.n = ps->origin[r];
    for (int m = BL_FC_SNAIVE; m < BL_FC_NMODELS; m++)
        if (models & (1u << m) & BL__FC_SINGLES)
            bl__fc_path(&ps->at[r][m], &at, k, v[m]);
    if (!(models & (1u << BL_FC_COMBO)))
        return;
    for (size_t j = 0; j < k; j++) {
        double sum = 0;
        for (int m = BL_FC_SNAIVE; m < BL_FC_NMODELS; m++)
            if (BL__FC_COMBO_MASK & (1u << m))
                sum += v[m][j];
        v[BL_FC_COMBO][j] = sum / 4;
    }
}

/* err[c] (BL_FC_NCAND values): the squared error of each model of models and, when
 * alphas, of the profile at each constant, over the observed days of the k days after
 * each origin. */
static void origin_errors(const struct bl__fc_pass *ps, const struct bl__fc_prep *p,
                          unsigned models, bool alphas, double *err)
{
    double v[BL_FC_NMODELS][MAX_WINDOW];
    size_t k = ps->k > MAX_WINDOW ? MAX_WINDOW : ps->k;
    unsigned need = models | (models & (1u << BL_FC_COMBO) ? BL__FC_COMBO_MASK : 0);
    memset(err, 0, BL_FC_NCAND * sizeof(*err));
    for (size_t r = 0; r < ps->norig; r++) {
        bl__fc_paths_at(ps, p, r, need, k, v);
        int wd = bl_weekday(p->day0 + (int64_t)ps->origin[r]);
        for (size_t j = 0; j < k; j++, wd = wd == 6 ? 0 : wd + 1) {
            size_t t = ps->origin[r] + j;
            if (!p->obs[t])
                continue; /* censored, closed or an event: no regular demand to compare */
            for (int m = BL_FC_SNAIVE; m < BL_FC_NMODELS; m++)
                if (models & (1u << m)) {
                    double e = p->y[t] - v[m][j];
                    err[m] += e * e;
                }
            for (size_t i = 0; alphas && i < BL_FC_PROFILE_ALPHAS; i++) {
                double lv = ps->prof_lv[r][i], e = p->y[t] - (lv > 0 ? lv : 0) * p->prof[wd];
                err[BL_FC_NMODELS + i] += e * e;
            }
        }
    }
}

unsigned bl__fc_pool_prune(const struct bl__fc_prep *p, unsigned cand)
{
    const struct bl_fc_shop *sh = p->shop;
    if (!sh || !sh->pooled_skus)
        return cand;
    double n = (double)sh->pooled_skus, w = POOL_WEIGHT * n / (n + POOL_HALF), best = HUGE_VAL;
    for (size_t c = BL_FC_SNAIVE; c < BL_FC_NCAND; c++)
        if ((c >= BL_FC_NMODELS ? (cand >> BL_FC_PROFILE) & 1 : (cand >> c) & 1) &&
            sh->pooled[c] > 0 && sh->pooled[c] < best)
            best = sh->pooled[c];
    for (int m = BL_FC_SNAIVE; m < BL_FC_NMODELS; m++)
        if (m != BL_FC_PROFILE && (cand & (1u << m)) &&
            pow(sh->pooled[m] / best, w / (1 - w)) > PRUNE_RATIO)
            cand &= ~(1u << m);
    return cand;
}

enum bl_fc_model bl__fc_choose(const struct bl__fc_pass *ps, const struct bl__fc_prep *p,
                               unsigned cand, size_t *alpha)
{
    const struct bl_fc_shop *sh = p->shop;
    bool pooled = sh && sh->pooled_skus > 0;
    bool alphas = pooled && (cand & (1u << BL_FC_PROFILE));
    double err[BL_FC_NCAND], best_score = 0, n = pooled ? (double)sh->pooled_skus : 0;
    double w = POOL_WEIGHT * n / (n + POOL_HALF);
    origin_errors(ps, p, cand, alphas, err);
    size_t best = 0;
    for (size_t c = BL_FC_SNAIVE; c < BL_FC_NCAND; c++) {
        if (c < BL_FC_NMODELS ? !(cand & (1u << c)) || (alphas && c == BL_FC_PROFILE) : !alphas)
            continue;
        double score = err[c];
        if (pooled) {
            if (!(sh->pooled[c] > 0))
                continue;
            score = (1 - w) * log(err[c] + 1e-9) + w * log(sh->pooled[c]);
        }
        if (!best || score < best_score) { /* ties: the simpler candidate (enum order) */
            best = c;
            best_score = score;
        }
    }
    *alpha = BL__FC_NO_ALPHA;
    if (best >= BL_FC_NMODELS) {
        *alpha = best - BL_FC_NMODELS;
        return BL_FC_PROFILE;
    }
    return best ? (enum bl_fc_model)best : BL_FC_SES;
}

/* ---- the shop's pooled errors ------------------------------------------------------ */

/* Mean squared one-day difference of p's history (the M5 scale); 0 when constant. */
static double scale2(const struct bl__fc_prep *p)
{
    double s = 0;
    for (size_t t = 1; t < p->n; t++) {
        double e = p->y[t] - p->y[t - 1];
        s += e * e;
    }
    return p->n > 1 ? s / (double)(p->n - 1) : 0;
}

/* Adds series s's scaled errors of every candidate to sum; *used when it was scored. */
static int score_series(const struct bl_fc_series *s, const struct bl_fc_opts *o,
                        struct bl_arena *a, double *sum, bool *used, struct bl_diag *d)
{
    struct bl__fc_prep p;
    *used = false;
    int rc = bl__fc_prepare(s, o, o->horizon, a, &p, d);
    if (rc)
        return rc == BL_ENOMEM ? bl_diag_set(d, rc, "out of memory for the forecast") : rc;
    double sc = scale2(&p);
    if (!p.n || !(sc > 0) || !isfinite(sc))
        return BL_OK;
    struct bl__fc_pass *ps = bl__fc_pass_new(a);
    if (!ps)
        return bl_diag_set(d, BL_ENOMEM, "out of memory for the forecast");
    size_t h = o->horizon;
    ps->k = h < 7 ? 7 : h > MAX_WINDOW ? MAX_WINDOW : h;
    ps->norig = bl__fc_plan_origins(&p, ps->k, ps->origin);
    if (!ps->norig)
        return BL_OK;
    ps->mask = BL__FC_SINGLES;
    bl__fc_pass_run(ps, &p);
    double err[BL_FC_NCAND];
    origin_errors(ps, &p, BL__FC_SINGLES | (1u << BL_FC_COMBO), true, err);
    for (size_t c = BL_FC_SNAIVE; c < BL_FC_NCAND; c++)
        sum[c] += err[c] / sc;
    *used = true;
    return BL_OK;
}

int bl_fc_shop_pool(const struct bl_fc_series *s, size_t n, const struct bl_fc_opts *o,
                    struct bl_fc_shop *sh, struct bl_diag *d)
{
    if (!sh || !o || (!s && n))
        return bl_diag_set(d, BL_EINVAL, "missing arrays");
    if (o->horizon < 1 || o->horizon > BL_FC_MAX_HORIZON)
        return bl_diag_set(d, BL_EINVAL, "horizon %zu is outside 1..%d", o->horizon,
                           BL_FC_MAX_HORIZON);
    double sum[BL_FC_NCAND] = {0};
    size_t used = 0, step = n > POOL_SAMPLE ? n / POOL_SAMPLE : 1;
    struct bl_fc_shop base = *sh; /* the profile and closed days, no pooled errors yet */
    base.pooled_skus = 0;
    struct bl_fc_opts so = *o;
    so.model = BL_FC_AUTO;
    so.shop = &base;
    for (size_t k = 0; k < n; k += step) {
        struct bl_arena a = BL_ARENA_INIT;
        bool ok;
        int rc = score_series(&s[k], &so, &a, sum, &ok, d);
        bl_arena_release(&a);
        if (rc)
            return rc;
        used += ok;
    }
    memcpy(sh->pooled, sum, sizeof(sum));
    sh->pooled_skus = used;
    sh->lt_samples = 0;
    so.shop = sh; /* the lead-time shape, with auto's choice from the pool */
    return bl__fc_lt_pool(s, n, step, &so, sh, d);
}
