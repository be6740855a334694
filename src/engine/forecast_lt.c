/* forecast_lt.c - lead-time quantiles, what safety stock needs, from the errors at the
 * rolling origins: the demand summed over the first L days after each origin against the
 * chosen model's forecast of that sum. Three things are pooled over the shop's SKUs (up
 * to 512): its common factor (the ratio of actual to forecast totals over all of them at
 * the recent origins: shocks such as the weeks before Christmas move every SKU together,
 * which no SKU's own errors can foresee), the shape of the errors after that factor
 * (standardised leave-one-out), and their spread relative to the one-step error, for the
 * SKUs too short to have their own. Each SKU's own spread is the root mean square of its
 * corrected errors over its origins. The quantile levels of the pooled errors are
 * calibrated on forward scores (each origin's error over the spread of the origins before
 * it), a tie at 0 counted as half (forecast_lt_levels.c). The shop's factor and volatility:
 * forecast_lt_shared.c. Pure. */
#include "engine/forecast_impl.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#include "ballast/time.h"

#define LT BL_FC_LT_DAYS
#define NO BL__FC_MAX_ORIGINS
_Static_assert(BL_FC_LT_DAYS == BL__FC_WINDOW, "lead times are calibrated on the window");
#define LEVEL_SPAN 2.0
/* Origins of each pooled SKU (the latest) whose errors give a short SKU's quantiles. */
#define SHORT_ORIGINS 4
/* Calibration: an origin's forward score is its error over the spread of the earlier
 * origins whose windows had ended by then (FWD_MIN of them at least: half the most a
 * forecast has, so the scores are not much noisier than today's spread, whose origins'
 * windows overlap; with 8 they widened the tails too far, docs/bench.md); the levels of
 * the pooled errors are moved to what covered each nominal share of the forward scores,
 * shrunk toward nominal by FWD_PRIOR origins. */
#define FWD_MIN (NO / 2)
#define FWD_PRIOR 4.0
static const double lt_q[3] = {0.50, 0.90, 0.95};
static const double normal_z[3] = {0, 1.2816, 1.6449}; /* when nothing was pooled at L */

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

/* Series s's totals at its origins with auto's choice into x (x->norig 0: too short). */
static int lt_series(const struct bl_fc_series *s, const struct bl_fc_opts *o, struct bl_arena *a,
                     struct bl__fc_lt_sku *x, struct bl_diag *d)
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

/* Adds v to the pooled values, to their ties' too when none was sold (actual 0). */
static void add_value(struct bl__fc_lt_vals *p, double v, double actual)
{
    p->v[p->n++] = v;
    if (!(actual > 0))
        p->v0[p->n0++] = v;
}

/* SKU x's corrected error at each origin over the spread of its other origins into
 * x->z (NAN when they have none), and over its one-step error times sqrt(L) to sp[l]. */
static void standardise(struct bl__fc_lt_sku *x, size_t k, const struct bl_fc_shop *sh,
                        struct bl__fc_lt_vals *sp)
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
        double cum[NO + 1];
        cum[0] = 0;
        for (size_t r = 0; r < nr; r++)
            cum[r + 1] = cum[r] + e[r] * e[r] / lv[r];
        /* the origins r - gap and before had their l + 1 days passed by origin r */
        size_t gap = (l + 7) / 7;
        for (size_t r = 0; r < nr; r++) { /* the other origins' errors at r's level */
            double rest = nr > 1 ? lv[r] * (sl - e[r] * e[r] / lv[r]) / (double)(nr - 1) : 0;
            x->z[r][l] = rest > 1e-12 ? e[r] / sqrt(rest) : NAN;
            size_t np = r >= gap ? r - gap + 1 : 0;
            double past = np >= FWD_MIN ? lv[r] * cum[np] / (double)np : 0;
            x->fwd[r][l] = past > 1e-12 ? e[r] / sqrt(past) : NAN;
        }
        if (x->sigma1 > 0) /* the latest origins: what a short SKU has */
            for (size_t r = nr > SHORT_ORIGINS ? nr - SHORT_ORIGINS : 0; r < nr; r++)
                add_value(&sp[l], e[r] / (x->sigma1 * sqrt((double)(l + 1))), x->act[r][l]);
    }
}

/* The pooled values of one lead time: standardised errors, forward scores, and which
 * origins from the end gave a forward score. */
struct lt_pool {
    struct bl__fc_lt_vals u, w;
    bool fwd_at[NO];
};

/* Adds x's standardised errors and forward scores over the shop's volatility at their
 * origins to pl[l]. */
static void add_pooled(const struct bl__fc_lt_sku *x, size_t k, const struct bl_fc_shop *sh,
                       struct lt_pool *pl)
{
    for (size_t l = 0; l < k; l++)
        for (size_t r = 0; r < x->norig; r++) {
            size_t rr = x->norig - 1 - r;
            double v = sqrt(sh->lt_scale_at[rr][l]);
            if (!isnan(x->z[r][l]))
                add_value(&pl[l].u, x->z[r][l] / v, x->act[r][l]);
            if (!isnan(x->fwd[r][l])) {
                add_value(&pl[l].w, x->fwd[r][l] / v, x->act[r][l]);
                pl[l].fwd_at[rr] = true;
            }
        }
}

/* The level of the pooled errors u (sorted, u.n >= 1) for the nominal share q: the one
 * that covered the share q of the forward scores w (sorted), the share it has among u
 * shrunk toward q by the origins that gave them. Shares count a tie at 0 as half, as the
 * quantiles are scored (forecast_lt_levels.c). */
static double calibrated(const struct lt_pool *pl, double q)
{
    size_t norig = 0;
    for (size_t rr = 0; rr < NO; rr++)
        norig += pl->fwd_at[rr];
    double c = q;
    if (pl->w.n && pl->u.n >= 2 && norig) {
        c = bl__fc_lt_share(&pl->u, bl__fc_lt_quantile(&pl->w, q));
        c = q + (c - q) * (double)norig / ((double)norig + FWD_PRIOR);
    }
    return bl__fc_lt_quantile(&pl->u, c);
}

/* lt_z and lt_short from the pooled values (a lead time the window did not reach: the
 * longest one that did); tmp has room for twice the most values of a pool. */
static void shape_of(struct lt_pool *pl, struct bl__fc_lt_vals *sp, uint64_t *tmp,
                     struct bl_fc_shop *sh)
{
    for (size_t l = 0; l < LT; l++) {
        size_t from = l;
        while (from > 0 && !pl[from].u.n)
            from--;
        struct lt_pool *f = &pl[from];
        if (from == l) {
            bl__fc_lt_vals_sort(&f->u, tmp);
            bl__fc_lt_vals_sort(&f->w, tmp);
        }
        for (int i = 0; i < 3; i++)
            sh->lt_z[i][l] = f->u.n ? calibrated(f, lt_q[i]) : normal_z[i];
        size_t fs = l; /* the same for the ratios */
        while (fs > 0 && !sp[fs].n)
            fs--;
        if (fs == l)
            bl__fc_lt_vals_sort(&sp[fs], tmp);
        for (int i = 0; i < 3; i++)
            sh->lt_short[i][l] = sp[fs].n ? bl__fc_lt_quantile(&sp[fs], lt_q[i]) : normal_z[i];
        if (from != l) {
            sh->lt_scale[l] = sh->lt_scale[from];
            sh->lt_factor[l] = sh->lt_factor[from];
        }
    }
}

/* From the scored SKUs: the shop's factor, its SKUs' corrected errors, its volatility,
 * then the shape of those errors. */
static size_t shop_learn_lt(struct bl__fc_lt_sku *x, size_t nx, size_t k, struct bl_fc_shop *sh,
                            struct lt_pool *pl, struct bl__fc_lt_vals *sp, uint64_t *tmp)
{
    size_t total = 0;
    bl__fc_lt_shop_factor(x, nx, k, sh);
    for (size_t i = 0; i < nx; i++)
        standardise(&x[i], k, sh, sp);
    bl__fc_lt_shop_scale(x, nx, k, sh);
    for (size_t i = 0; i < nx; i++)
        add_pooled(&x[i], k, sh, pl);
    shape_of(pl, sp, tmp, sh);
    sh->lt_short_samples = 0;
    for (size_t l = 0; l < LT; l++) { /* not cnt[0]: the first day may be closed everywhere */
        total += pl[l].u.n;
        sh->lt_short_samples += sp[l].n;
    }
    return total + sh->lt_short_samples;
}

/* Room for n pooled values and as many ties in a (v's arrays are a's). */
static bool vals_alloc(struct bl_arena *a, size_t n, struct bl__fc_lt_vals *v)
{
    v->v = bl__fc_alloc(a, n + 1, sizeof(double));
    v->v0 = bl__fc_alloc(a, n + 1, sizeof(double));
    return v->v && v->v0;
}

int bl__fc_lt_pool(const struct bl_fc_series *s, size_t n, size_t step,
                   const struct bl_fc_opts *o, struct bl_fc_shop *sh, struct bl_diag *d)
{
    size_t nsample = n ? (n - 1) / step + 1 : 0, nx = 0;
    size_t k = o->horizon < 7 ? 7 : o->horizon > LT ? LT : o->horizon;
    struct bl_arena big = BL_ARENA_INIT;
    struct lt_pool pl[LT];
    struct bl__fc_lt_vals sp[LT];
    memset(pl, 0, sizeof(pl));
    memset(sp, 0, sizeof(sp));
    struct bl__fc_lt_sku *x = bl__fc_alloc(&big, nsample + 1, sizeof(*x));
    uint64_t *tmp = bl__fc_alloc(&big, 2 * nsample * NO + 1, sizeof(uint64_t));
    int rc = x && tmp ? BL_OK : bl_diag_set(d, BL_ENOMEM, "out of memory for the forecast");
    for (size_t l = 0; l < LT && !rc; l++)
        if (!vals_alloc(&big, nsample * NO, &pl[l].u) ||
            !vals_alloc(&big, nsample * NO, &pl[l].w) ||
            !vals_alloc(&big, nsample * SHORT_ORIGINS, &sp[l]))
            rc = bl_diag_set(d, BL_ENOMEM, "out of memory for the forecast");
    for (size_t i = 0; i < n && !rc; i += step) {
        struct bl_arena a = BL_ARENA_INIT;
        rc = lt_series(&s[i], o, &a, &x[nx], d);
        nx += x[nx].norig > 0;
        bl_arena_release(&a);
    }
    sh->lt_samples = rc ? 0 : shop_learn_lt(x, nx, k, sh, pl, sp, tmp);
    bl_arena_release(&big);
    return rc;
}
