/* forecast_impl.h - internals shared by forecast.c (models) and forecast_select.c
 * (selection, quantiles, accuracy). Not a public header. */
#ifndef BL_ENGINE_FORECAST_IMPL_H
#define BL_ENGINE_FORECAST_IMPL_H

#include "ballast/forecast.h"

/* A series ready for fitting: leading zeros dropped, censored and event days marked
 * unobserved, uplift multipliers for the h future days. Arrays are arena-owned. */
struct bl__fc_prep {
    double *y; /* n days from day0 */
    bool *obs; /* observed: in stock and not an event day */
    size_t n, nobs, nnz, censored, nevent_days;
    double size_sum; /* sum of observed nonzero values */
    double span;     /* observed days after the first demand up to the last one */
    int64_t day0;
    int64_t future_day0; /* the day after the full series */
    double *mult;        /* h uplift multipliers for the future days */
    size_t h;
    size_t closed;    /* days the shop was closed (unobserved, not censored) */
    double prof[7];   /* weekday profile: the shop's shrunk toward the SKU's own, mean 1 */
    const struct bl_fc_shop *shop; /* borrowed from the options; may be NULL */
    size_t unseen;                 /* event names in the horizon without a learnt uplift */
    struct bl_str unseen_name;     /* the earliest of their days, and its name (borrowed) */
    int64_t unseen_day;
    struct bl_fc_shop_event *evsum; /* nevsum names with the SKU's own actual and baseline
                                       on their occurrences in the history (arena) */
    size_t nevsum;
};

/* The single models (not auto or combo), as a mask of 1 << model. */
#define BL__FC_SINGLES (0xFEu | (1u << BL_FC_PROFILE))

/* A fitted model: parameters, final states and in-sample one-step errors. */
struct bl__fc_fit {
    enum bl_fc_model model;
    bool trend, season;
    double alpha, beta, gamma, phi;
    double l, b, s[7]; /* ETS states; s indexed by weekday (0 = Monday) */
    double z, q, prob; /* intermittent: size, interval, probability (TSB) */
    double prof[7];    /* profile: the weekday profile (level in l) */
    double *resid;     /* nresid one-step errors, arena-owned */
    size_t nresid;
    double sse, sigma;
};

/* One pass over p fitting every model of mask (bits 1 << model, single models only) on
 * its parameter grid (forecast_pass.c). at[r][m]: model m fitted on the days before
 * origin[r] (ascending indices into p->y) with its states there; fin[m]: fitted on
 * the whole history. Fits carry no residuals: bl__fc_finish adds them. */
#define BL__FC_MAX_ORIGINS BL_FC_LT_ORIGINS
struct bl__fc_pass {
    unsigned mask;
    size_t norig, origin[BL__FC_MAX_ORIGINS];
    size_t k; /* days scored after each origin */
    struct bl__fc_fit at[BL__FC_MAX_ORIGINS][BL_FC_NMODELS];
    struct bl__fc_fit fin[BL_FC_NMODELS];
    /* the profile's level + excess at each origin for each constant of its grid */
    double prof_lv[BL__FC_MAX_ORIGINS][BL_FC_PROFILE_ALPHAS];
    size_t prof_pick; /* auto's choice of the profile's constant; BL__FC_NO_ALPHA: its own */
};
#define BL__FC_NO_ALPHA ((size_t)-1)
/* An empty pass from a (the fits are not zeroed: the pass writes those of its mask, and
 * only those are read); NULL when out of memory. */
struct bl__fc_pass *bl__fc_pass_new(struct bl_arena *a);
void bl__fc_pass_run(struct bl__fc_pass *ps, const struct bl__fc_prep *p);
/* forecast_select.c: the pass over p for the single models of need and, when *m is auto,
 * auto's choice for a horizon of h days into *m (ps->prof_pick). *out is arena-owned. */
int bl__fc_run_pass(const struct bl__fc_prep *p, unsigned need, size_t h, struct bl_arena *a,
                    enum bl_fc_model *m, struct bl__fc_pass **out) BL_MUST_CHECK;
/* What one scored SKU says: its origins and, for each, the actual and forecast demand
 * summed over the observed days among the first L days (act[r][L - 1], fc[r][L - 1]). */
struct bl__fc_lt_sku {
    size_t norig;
    double sigma1; /* the chosen model's one-step error */
    double act[BL__FC_MAX_ORIGINS][BL_FC_LT_DAYS], fc[BL__FC_MAX_ORIGINS][BL_FC_LT_DAYS];
    /* corrected, standardised leave-one-out (NAN: undefined) */
    double z[BL__FC_MAX_ORIGINS][BL_FC_LT_DAYS];
    /* corrected, over the spread of the origins before it (NAN: too few) */
    double fwd[BL__FC_MAX_ORIGINS][BL_FC_LT_DAYS];
};

/* forecast_lt_levels.c: pooled lead-time errors, n of them in v (sorted by
 * bl__fc_lt_vals_sort), and a copy in v0 of the n0 whose actual total was none (the least
 * error their origin could have had: a level below it is a quantile of 0, a tie). Both
 * borrowed. */
struct bl__fc_lt_vals {
    double *v, *v0;
    size_t n, n0;
};
/* Sorts v's values and its ties' ascending; tmp has room for 2 * v->n keys. */
/* Quantile q of sorted v[n], n >= 1 (linear interpolation between order statistics): the
 * paths' and the pooled errors' alike; inline, it sits in the paths' inner loop. */
static inline double bl__fc_quantile(const double *v, size_t n, double q)
{
    double pos = q * (double)(n - 1);
    size_t lo = (size_t)pos;
    if (lo + 1 >= n)
        return v[n - 1];
    return v[lo] + (pos - (double)lo) * (v[lo + 1] - v[lo]);
}
void bl__fc_lt_vals_sort(struct bl__fc_lt_vals *v, uint64_t *tmp);
/* The share of the values at most t, a tie at 0 counted as half (n >= 1, sorted). */
double bl__fc_lt_share(const struct bl__fc_lt_vals *v, double t);
/* The level t whose share (bl__fc_lt_share) is q (n >= 1, sorted). */
double bl__fc_lt_quantile(const struct bl__fc_lt_vals *v, double q);
/* forecast_lt_shared.c: the shop's factor (sh->lt_factor, lt_factor_at) from the totals
 * of the nx scored SKUs x with a window of k days, and its volatility (lt_scale,
 * lt_scale_at) from their standardised errors x[i].z. */
void bl__fc_lt_shop_factor(const struct bl__fc_lt_sku *x, size_t nx, size_t k,
                           struct bl_fc_shop *sh);
void bl__fc_lt_shop_scale(const struct bl__fc_lt_sku *x, size_t nx, size_t k,
                          struct bl_fc_shop *sh);
/* forecast_lt.c: the shop's lead-time shape (sh->lt_z), common factor and pooled spread
 * from the series of s taken every step (o->shop holds the pooled errors), and a SKU's
 * lead-time quantiles q[3] (p50, p90, p95) of the demand over lt days, of mean mean, for
 * model m of ps (NULL or fewer than two origins: the pooled spread times sigma1, the
 * model's one-step error); false when the shop has no shape (bootstrap quantiles then). */
int bl__fc_lt_pool(const struct bl_fc_series *s, size_t n, size_t step,
                   const struct bl_fc_opts *o, struct bl_fc_shop *sh,
                   struct bl_diag *d) BL_MUST_CHECK;
bool bl__fc_lt_quantiles(const struct bl__fc_pass *ps, const struct bl__fc_prep *p,
                         enum bl_fc_model m, size_t lt, double mean, double sigma1, double *q);
/* The profile's i-th smoothing constant (i < BL_FC_PROFILE_ALPHAS). */
double bl__fc_prof_alpha(size_t i);

/* forecast_choose.c. The combination's parts, as a mask of 1 << model. */
#define BL__FC_COMBO_MASK ((1u << BL_FC_SES) | (1u << BL_FC_DAMPED) | \
                           (1u << BL_FC_ETS_SEASONAL) | (1u << BL_FC_TSB))
/* Days scored after each origin, at most. */
#define BL__FC_WINDOW 28
/* The clipped forecasts of every model of models (combo: the mean of its parts, which
 * models must hold) from origin r of ps into v[m][0..k), k <= BL__FC_WINDOW. */
void bl__fc_paths_at(const struct bl__fc_pass *ps, const struct bl__fc_prep *p, size_t r,
                     unsigned models, size_t k, double v[][BL__FC_WINDOW]);
/* Rolling origins for a window of k days (ascending indices into p->y); their count. */
size_t bl__fc_plan_origins(const struct bl__fc_prep *p, size_t k, size_t *origin);
/* auto's choice among cand (models, a mask) from a pass with origins: the least squared
 * error at the origins, shrunk toward the shop's pooled errors when p->shop has them
 * (then the profile at each of its constants, *alpha the one chosen). */
/* cand without the models the shop's pooled errors rule out (PRUNE_RATIO). */
unsigned bl__fc_pool_prune(const struct bl__fc_prep *p, unsigned cand);
enum bl_fc_model bl__fc_choose(const struct bl__fc_pass *ps, const struct bl__fc_prep *p,
                               unsigned cand, size_t *alpha);
/* Initial ETS states of f (trend, season set) from p's first weeks. */
void bl__fc_ets_init(struct bl__fc_fit *f, const struct bl__fc_prep *p);
/* The final fit from a grid fit of the pass: ETS parameters refined by a few
 * Nelder-Mead steps from the grid point; states and one-step residuals (arena). */
int bl__fc_finish(struct bl__fc_fit *f, const struct bl__fc_prep *p,
                  struct bl_arena *a) BL_MUST_CHECK;

/* forecast_shop.c: closed days of the shop marked unobserved; p->prof. */
void bl__fc_shop_closed(struct bl__fc_prep *p, const struct bl_fc_shop *sh);
void bl__fc_shop_profile(struct bl__fc_prep *p, const struct bl_fc_shop *sh);
/* Initial level of the profile model; the filter with f's alpha over p (SSE, states and
 * residuals into resid when not NULL). */
double bl__fc_profile_level0(const struct bl__fc_prep *p);
double bl__fc_profile_run(struct bl__fc_fit *f, const struct bl__fc_prep *p, double *resid);

void *bl__fc_alloc(struct bl_arena *a, size_t count, size_t size);
int bl__fc_prepare(const struct bl_fc_series *s, const struct bl_fc_opts *o, size_t h,
                   struct bl_arena *a, struct bl__fc_prep *p, struct bl_diag *d) BL_MUST_CHECK;
/* m is one of the single models (not auto or combo). */
int bl__fc_fit(struct bl__fc_fit *f, enum bl_fc_model m, const struct bl__fc_prep *p,
               struct bl_arena *a) BL_MUST_CHECK;
double bl__fc_point_raw(const struct bl__fc_fit *f, const struct bl__fc_prep *p, size_t j);
/* bl__fc_point_raw for j < k, clipped at zero, into out[k] (one pass, no uplifts). */
void bl__fc_path(const struct bl__fc_fit *f, const struct bl__fc_prep *p, size_t k, double *out);
uint64_t bl__fc_rand(uint64_t *state);
/* sizes must hold p->n doubles (scratch); paths nsims * h. */
void bl__fc_simulate(const struct bl__fc_fit *f, const struct bl__fc_prep *p, size_t h,
                     size_t nsims, uint64_t *rng, double *sizes, double *paths);

#endif
