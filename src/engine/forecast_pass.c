/* forecast_pass.c - every candidate fitted in one pass over a series: each model's
 * smoothing parameters are searched on a grid whose points all run side by side
 * (structure of arrays, the inner loop over the grid points vectorises), and at each
 * rolling origin the grid point with the least squared one-step error so far is kept
 * with its states. That is exactly "fit on the data before the origin, forecast from
 * there", for every origin at once, without a refit per origin. Pure. */
#include "engine/forecast_impl.h"

#include <math.h>
#include <string.h>

#include "ballast/time.h"

#define MAX_GRID 72
#define LANES 8 /* grid points per inner loop of fixed length, so that it vectorises */

/* ---- exponential smoothing --------------------------------------------------------- */

static const double ses_alpha[] = {0.005, 0.01, 0.02, 0.04, 0.07, 0.12, 0.2, 0.35, 0.6, 0.9};
static const double damped_alpha[] = {0.01, 0.04, 0.12, 0.35};
static const double damped_beta[] = {0.05, 0.3}; /* times alpha */
static const double damped_phi[] = {0.8, 0.9, 0.98};
static const double seas_alpha[] = {0.005, 0.01, 0.02, 0.04, 0.08, 0.15, 0.3, 0.6};
static const double seas_gamma[] = {0.003, 0.02, 0.08}; /* times (1 - alpha) */
#define N_OF(x) (sizeof(x) / sizeof((x)[0]))

/* The grid of one ETS family, side by side. */
struct ets_grid {
    size_t g; /* points, padded to LANES (the skip runs them all) */
    size_t n; /* the real points, rounded up to two (the step runs those) */
    double alpha[MAX_GRID], beta[MAX_GRID], phi[MAX_GRID], gamma[MAX_GRID];
    double l[MAX_GRID], b[MAX_GRID], s[7][MAX_GRID], sse[MAX_GRID];
};

static void ets_grid_init(struct ets_grid *G, const struct bl__fc_fit *f0)
{
    size_t g = 0;
    if (f0->trend) {
        for (size_t i = 0; i < N_OF(damped_alpha); i++)
            for (size_t j = 0; j < N_OF(damped_beta); j++)
                for (size_t k = 0; k < N_OF(damped_phi); k++, g++) {
                    G->alpha[g] = damped_alpha[i];
                    G->beta[g] = damped_alpha[i] * damped_beta[j];
                    G->phi[g] = damped_phi[k];
                    G->gamma[g] = 0;
                }
    } else if (f0->season) {
        for (size_t i = 0; i < N_OF(seas_alpha); i++)
            for (size_t j = 0; j < N_OF(seas_gamma); j++, g++) {
                G->alpha[g] = seas_alpha[i];
                G->gamma[g] = (1 - seas_alpha[i]) * seas_gamma[j];
                G->beta[g] = G->phi[g] = 0;
            }
    } else {
        for (; g < N_OF(ses_alpha); g++) {
            G->alpha[g] = ses_alpha[g];
            G->beta[g] = G->phi[g] = G->gamma[g] = 0;
        }
    }
    G->n = g + g % 2; /* the points stepped on observed days, two at a time */
    for (; g % LANES; g++) { /* padding: copies of the last point, never strictly better */
        G->alpha[g] = G->alpha[g - 1];
        G->beta[g] = G->beta[g - 1];
        G->phi[g] = G->phi[g - 1];
        G->gamma[g] = G->gamma[g - 1];
    }
    G->g = g;
    for (size_t i = 0; i < g; i++) {
        G->l[i] = f0->l;
        G->b[i] = f0->b;
        G->sse[i] = 0;
        for (int k = 0; k < 7; k++)
            G->s[k][i] = f0->s[k];
    }
}

static size_t argmin(const double *v, size_t n)
{
    size_t best = 0;
    for (size_t i = 1; i < n; i++)
        if (v[i] < v[best])
            best = i;
    return best;
}

/* f0 with the states and parameters of grid point i after nresid observations. */
static void ets_take(struct bl__fc_fit *out, const struct bl__fc_fit *f0, const struct ets_grid *G,
                     size_t nresid)
{
    size_t i = argmin(G->sse, G->n);
    *out = *f0;
    out->alpha = G->alpha[i];
    out->beta = G->beta[i];
    out->phi = G->phi[i];
    out->gamma = G->gamma[i];
    out->l = G->l[i];
    out->b = G->b[i];
    for (int k = 0; k < 7; k++)
        out->s[k] = G->s[k][i];
    out->sse = G->sse[i];
    out->nresid = nresid;
    out->sigma = nresid ? sqrt(out->sse / (double)nresid) : 0;
    out->resid = NULL;
}

/* One step of every grid point on an observed day with weekday k. */
/* Two grid points at a time (GCC/Clang vector extension: SSE2 on x86-64, NEON on arm64;
 * the compiler does not vectorise this loop by itself at -O2). */
typedef double v2d __attribute__((vector_size(16)));

static v2d ld2(const double *x)
{
    v2d v;
    memcpy(&v, x, sizeof(v));
    return v;
}

static void st2(double *x, v2d v)
{
    memcpy(x, &v, sizeof(v));
}

static void ets_step(struct ets_grid *G, double y, int k)
{
    double *s = G->s[k];
    v2d yv = {y, y};
    for (size_t i = 0; i < G->n; i += 2) {
        v2d l = ld2(G->l + i), b = ld2(G->b + i), ph = ld2(G->phi + i), sk = ld2(s + i);
        v2d base = l + ph * b;
        v2d e = yv - base - sk;
        st2(G->sse + i, ld2(G->sse + i) + e * e);
        st2(G->l + i, base + ld2(G->alpha + i) * e);
        st2(G->b + i, ph * b + ld2(G->beta + i) * e);
        st2(s + i, sk + ld2(G->gamma + i) * e);
    }
}

/* An unobserved day: the states advance without an update. */
static void ets_skip(struct ets_grid *G)
{
    for (size_t i0 = 0; i0 < G->g; i0 += LANES) {
        double *restrict l = G->l + i0, *restrict b = G->b + i0;
        const double *restrict ph = G->phi + i0;
        for (size_t q = 0; q < LANES; q++) {
            l[q] += ph[q] * b[q];
            b[q] *= ph[q];
        }
    }
}

static void ets_pass(struct bl__fc_pass *ps, enum bl_fc_model m, const struct bl__fc_prep *p)
{
    struct bl__fc_fit f0;
    memset(&f0, 0, sizeof(f0));
    f0.model = m;
    f0.trend = m == BL_FC_DAMPED;
    f0.season = m == BL_FC_ETS_SEASONAL;
    bl__fc_ets_init(&f0, p);
    struct ets_grid G;
    ets_grid_init(&G, &f0);
    size_t r = 0, nres = 0;
    int k = bl_weekday(p->day0);
    for (size_t t = 0; t < p->n; t++, k = k == 6 ? 0 : k + 1) {
        for (; r < ps->norig && ps->origin[r] == t; r++)
            ets_take(&ps->at[r][m], &f0, &G, nres);
        if (p->obs[t]) {
            ets_step(&G, p->y[t], k);
            nres++;
        } else {
            ets_skip(&G);
        }
    }
    ets_take(&ps->fin[m], &f0, &G, nres);
}

/* ---- intermittent demand ------------------------------------------------------------ */

static const double cro_grid[] = {0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5};
static const double tsb_grid[] = {0.02, 0.05, 0.1, 0.2, 0.5};
#define NCRO N_OF(cro_grid)
#define NTSB N_OF(tsb_grid)

/* Croston, SBA (same smoothing constant for size and interval) and TSB (alpha x beta)
 * side by side: grid points 0..NCRO-1 Croston, NCRO..2NCRO-1 SBA, padding up to TSB0,
 * then TSB and padding up to NCROG. */
#define TSB0 (((2 * NCRO + LANES - 1) / LANES) * LANES)
#define NCROG (((TSB0 + NTSB * NTSB + LANES - 1) / LANES) * LANES)
struct cro_grid {
    double alpha[MAX_GRID], beta[MAX_GRID], factor[MAX_GRID];
    double z[MAX_GRID], q[MAX_GRID], sse[MAX_GRID];
};

static void cro_take(struct bl__fc_fit *out, enum bl_fc_model m, const struct cro_grid *G,
                     size_t from, size_t n, size_t nresid)
{
    size_t i = from + argmin(G->sse + from, n);
    memset(out, 0, sizeof(*out));
    out->model = m;
    out->alpha = G->alpha[i];
    out->beta = G->beta[i];
    if (m == BL_FC_TSB)
        out->prob = G->q[i]; /* TSB keeps its probability where the others keep intervals */
    else
        out->q = G->q[i];
    out->z = G->z[i];
    out->sse = G->sse[i];
    out->nresid = nresid;
    out->sigma = nresid ? sqrt(out->sse / (double)nresid) : 0;
}

static void cro_take_all(struct bl__fc_fit *out, const struct cro_grid *G, size_t nresid,
                         bool cro, bool tsb)
{
    if (cro) {
        cro_take(&out[BL_FC_CROSTON], BL_FC_CROSTON, G, 0, NCRO, nresid);
        cro_take(&out[BL_FC_SBA], BL_FC_SBA, G, NCRO, NCRO, nresid);
    }
    if (tsb)
        cro_take(&out[BL_FC_TSB], BL_FC_TSB, G, TSB0, NTSB * NTSB, nresid);
}

static void cro_init(struct cro_grid *G, const struct bl__fc_prep *p)
{
    double z = p->nnz ? p->size_sum / (double)p->nnz : 0;
    double q = p->nnz > 1 ? p->span / (double)(p->nnz - 1) : (double)p->nobs;
    double prob = p->nnz ? (double)p->nnz / (double)p->nobs : 0;
    for (size_t i = 0; i < TSB0; i++) { /* Croston, SBA, padding */
        size_t c = i < 2 * NCRO ? i % NCRO : NCRO - 1;
        G->alpha[i] = G->beta[i] = cro_grid[c];
        G->factor[i] = i < NCRO ? 1 : 1 - cro_grid[c] / 2;
        G->z[i] = z;
        G->q[i] = q > 0 ? q : 1;
        G->sse[i] = 0;
    }
    for (size_t g = TSB0; g < NCROG; g++) { /* TSB, padding */
        size_t i = g - TSB0 < NTSB * NTSB ? g - TSB0 : NTSB * NTSB - 1;
        G->alpha[g] = tsb_grid[i / NTSB];
        G->beta[g] = tsb_grid[i % NTSB];
        G->factor[g] = 1;
        G->z[g] = z;
        G->q[g] = prob;
        G->sse[g] = 0;
    }
}

/* One observed day (branch-free, so that the loops vectorise): Croston and SBA points
 * before TSB0 (when cro), TSB points after (when tsb). */
static void cro_step(struct cro_grid *G, double y, double since, bool seen, bool cro, bool tsb)
{
    double pos = y > 0, upd = y > 0 && seen;
    for (size_t i0 = 0; cro && i0 < TSB0; i0 += LANES) {
        double *restrict z = G->z + i0, *restrict q = G->q + i0, *restrict sse = G->sse + i0;
        const double *restrict al = G->alpha + i0, *restrict fa = G->factor + i0;
        for (int j = 0; j < LANES; j++) {
            double e = y - fa[j] * z[j] / q[j];
            sse[j] += e * e;
            z[j] += pos * al[j] * (y - z[j]);
            q[j] += upd * al[j] * (since - q[j]);
        }
    }
    for (size_t i0 = TSB0; tsb && i0 < NCROG; i0 += LANES) {
        double *restrict z = G->z + i0, *restrict q = G->q + i0, *restrict sse = G->sse + i0;
        const double *restrict al = G->alpha + i0, *restrict be = G->beta + i0;
        for (int j = 0; j < LANES; j++) {
            double e = y - q[j] * z[j];
            sse[j] += e * e;
            q[j] += be[j] * (pos - q[j]);
            z[j] += pos * al[j] * (y - z[j]);
        }
    }
}

static void cro_pass(struct bl__fc_pass *ps, const struct bl__fc_prep *p)
{
    bool cro = ps->mask & ((1u << BL_FC_CROSTON) | (1u << BL_FC_SBA));
    bool tsb = ps->mask & (1u << BL_FC_TSB);
    struct cro_grid G;
    cro_init(&G, p);
    double since = 0;
    bool seen = false;
    size_t r = 0, nres = 0;
    for (size_t t = 0; t < p->n; t++) {
        for (; r < ps->norig && ps->origin[r] == t; r++)
            cro_take_all(ps->at[r], &G, nres, cro, tsb);
        if (!p->obs[t])
            continue;
        since += 1;
        cro_step(&G, p->y[t], since, seen, cro, tsb);
        nres++;
        if (p->y[t] > 0) {
            seen = true;
            since = 0;
        }
    }
    cro_take_all(ps->fin, &G, nres, cro, tsb);
}

/* ---- the weekday profile times a level -------------------------------------------- */

static const double prof_alpha[] = {0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.45};
#define PROF_INIT_DAYS 28
#define HUBER_K 3.0
#define SCALE_RATE 0.05

#define EXCESS_CAP 1.0
#define EXCESS_RATE 0.02

/* One observed day of the profile model: y on a day of weight w (the profile's value for
 * its weekday). The level l moves by alpha * w * its error clipped at HUBER_K times the
 * scale *sc (a running mean absolute error), so a one-off bulk order moves it no more than
 * a bad day; what the clipping cut off feeds *x, a slow running mean (EXCESS_RATE) of the
 * excess a day, which the forecast adds back: (l + x) * w is a mean, not a median.
 * Returns the one-step error of that forecast. */
static double prof_step(double y, double w, double alpha, double *l, double *x, double *sc)
{
    double e = y - (*l + *x) * w, el = y - *l * w;
    double c = HUBER_K * *sc, v = el > c ? c : el < -c ? -c : el;
    *sc += SCALE_RATE * (fabs(el) - *sc);
    *l += alpha * w * v;
    double ex = el - v;
    ex = ex > EXCESS_CAP * c ? EXCESS_CAP * c : ex < -EXCESS_CAP * c ? -EXCESS_CAP * c : ex;
    *x += EXCESS_RATE * (ex - *x);
    return e;
}

double bl__fc_profile_level0(const struct bl__fc_prep *p)
{
    double y = 0, w = 0;
    int k = bl_weekday(p->day0);
    for (size_t t = 0; t < p->n && t < PROF_INIT_DAYS; t++, k = k == 6 ? 0 : k + 1)
        if (p->obs[t]) {
            y += p->y[t];
            w += p->prof[k];
        }
    return w > 0 ? y / w : 0;
}

/* The forecast is l * prof[weekday]; the level moves by alpha * prof * error (the
 * gradient step of the squared error), so a closed weekday neither moves it nor is
 * forecast. */
double bl__fc_profile_run(struct bl__fc_fit *f, const struct bl__fc_prep *p, double *resid)
{
    memcpy(f->prof, p->prof, sizeof(f->prof));
    f->l = bl__fc_profile_level0(p);
    f->b = 0; /* the excess */
    double sse = 0, sc = f->l;
    size_t r = 0;
    int k = bl_weekday(p->day0);
    for (size_t t = 0; t < p->n; t++, k = k == 6 ? 0 : k + 1)
        if (p->obs[t]) {
            double e = prof_step(p->y[t], f->prof[k], f->alpha, &f->l, &f->b, &sc);
            sse += e * e;
            if (resid)
                resid[r++] = e;
        }
    f->nresid = r;
    return sse;
}

#define NPROF N_OF(prof_alpha)
_Static_assert(NPROF % 2 == 0, "the profile's grid runs two points at a time");
_Static_assert(NPROF == BL_FC_PROFILE_ALPHAS, "the profile's grid is BL_FC_PROFILE_ALPHAS long");

double bl__fc_prof_alpha(size_t i)
{
    return prof_alpha[i < NPROF ? i : NPROF - 1];
}

static void prof_take(struct bl__fc_fit *out, const struct bl__fc_prep *p, const double *l,
                      const double *x, const double *sse, size_t nresid)
{
    size_t i = argmin(sse, NPROF);
    memset(out, 0, sizeof(*out));
    out->model = BL_FC_PROFILE;
    out->alpha = prof_alpha[i];
    out->l = l[i];
    out->b = x[i];
    memcpy(out->prof, p->prof, sizeof(out->prof));
    out->sse = sse[i];
    out->nresid = nresid;
    out->sigma = nresid ? sqrt(out->sse / (double)nresid) : 0;
}

/* prof_step for the grid points i and i + 1 side by side (the same operations in the
 * same order, so the same numbers), and their squared errors added to sse. */
typedef long long v2l __attribute__((vector_size(16)));

static v2d sel2(v2l m, v2d a, v2d b) /* m ? a : b, lane by lane */
{
    return (v2d)((m & (v2l)a) | (~m & (v2l)b));
}

static v2d clip2(v2d v, v2d c)
{
    v2d lo = -c;
    return sel2(v > c, c, sel2(v < lo, lo, v));
}

static void prof_step2(double y, double w, size_t i, double *l, double *x, double *sc,
                       double *sse)
{
    const v2d yv = {y, y}, wv = {w, w}, hk = {HUBER_K, HUBER_K}, cap = {EXCESS_CAP, EXCESS_CAP};
    const v2d sr = {SCALE_RATE, SCALE_RATE}, xr = {EXCESS_RATE, EXCESS_RATE};
    const v2l nosign = {0x7FFFFFFFFFFFFFFFLL, 0x7FFFFFFFFFFFFFFFLL};
    v2d lv = ld2(l + i), xv = ld2(x + i), sv = ld2(sc + i), av = ld2(prof_alpha + i);
    v2d e = yv - (lv + xv) * wv, el = yv - lv * wv;
    v2d c = hk * sv, v = clip2(el, c);
    st2(sc + i, sv + sr * ((v2d)((v2l)el & nosign) - sv));
    st2(l + i, lv + av * wv * v);
    v2d ex = clip2(el - v, cap * c);
    st2(x + i, xv + xr * (ex - xv));
    st2(sse + i, ld2(sse + i) + e * e);
}

static void prof_pass(struct bl__fc_pass *ps, const struct bl__fc_prep *p)
{
    double l[NPROF], x[NPROF], sse[NPROF], sc[NPROF], l0 = bl__fc_profile_level0(p);
    for (size_t i = 0; i < NPROF; i++) {
        l[i] = sc[i] = l0;
        sse[i] = x[i] = 0;
    }
    size_t r = 0, nres = 0;
    int k = bl_weekday(p->day0);
    for (size_t t = 0; t < p->n; t++, k = k == 6 ? 0 : k + 1) {
        for (; r < ps->norig && ps->origin[r] == t; r++) {
            prof_take(&ps->at[r][BL_FC_PROFILE], p, l, x, sse, nres);
            for (size_t i = 0; i < NPROF; i++)
                ps->prof_lv[r][i] = l[i] + x[i];
        }
        if (!p->obs[t])
            continue;
        for (size_t i = 0; i < NPROF; i += 2)
            prof_step2(p->y[t], p->prof[k], i, l, x, sc, sse);
        nres++;
    }
    prof_take(&ps->fin[BL_FC_PROFILE], p, l, x, sse, nres);
}

/* ---- the pass ----------------------------------------------------------------------- */

static void snaive_take(struct bl__fc_fit *out)
{
    memset(out, 0, sizeof(*out));
    out->model = BL_FC_SNAIVE;
}

struct bl__fc_pass *bl__fc_pass_new(struct bl_arena *a)
{
    struct bl__fc_pass *ps = bl_arena_alloc(a, sizeof(*ps));
    if (ps) {
        ps->mask = 0;
        ps->norig = ps->k = 0;
        ps->prof_pick = BL__FC_NO_ALPHA;
    }
    return ps;
}

void bl__fc_pass_run(struct bl__fc_pass *ps, const struct bl__fc_prep *p)
{
    unsigned m = ps->mask;
    if (m & (1u << BL_FC_SNAIVE)) {
        for (size_t r = 0; r < ps->norig; r++)
            snaive_take(&ps->at[r][BL_FC_SNAIVE]);
        snaive_take(&ps->fin[BL_FC_SNAIVE]);
    }
    for (int e = BL_FC_SES; e <= BL_FC_ETS_SEASONAL; e++)
        if (m & (1u << e))
            ets_pass(ps, (enum bl_fc_model)e, p);
    if (m & ((1u << BL_FC_CROSTON) | (1u << BL_FC_SBA) | (1u << BL_FC_TSB)))
        cro_pass(ps, p);
    if (m & (1u << BL_FC_PROFILE))
        prof_pass(ps, p);
}
