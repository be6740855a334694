/* forecast.h - daily demand forecasting per SKU (pure: no I/O, no clock, no globals).
 *
 * A series is plain arrays: units[n] sold on days first_day .. first_day+n-1 (day
 * numbers as in time.h), and optionally in_stock[n] (false = the SKU could not be
 * bought that day: the day is censored, its units are a lower bound, not demand).
 * Leading days before the first sale are not history and are dropped.
 *
 * Models (docs/internals/forecast.md has the equations):
 *   snaive        seasonal naive, weekly: the last observed value on the same weekday
 *   ses           simple exponential smoothing, ETS(A,N,N)
 *   damped        additive damped trend, ETS(A,Ad,N)
 *   ets_seasonal  additive weekly seasonality, ETS(A,N,A), period 7
 *   croston       Croston's method (demand size and interval smoothed separately)
 *   sba           Syntetos-Boylan approximation: Croston times (1 - alpha/2)
 *   tsb           Teunter-Syntetos-Babai: demand probability smoothed every day
 *   combo         equal-weight mean of ses, damped, ets_seasonal and tsb
 *   profile       the shop's weekday profile (pooled over its SKUs, shrunk toward the
 *                 SKU's own shape as its history allows) times a smoothed level
 *   auto          per series, the model with the least mean squared error over a
 *                 rolling-origin holdout on the series' own history, shrunk toward
 *                 the shop's best candidate when the shop's errors are pooled
 *                 (bl_fc_shop_pool; the profile model then at each of its constants)
 *
 * Platform events (11.11, Black Friday...) are (day, name) pairs. A name's uplift is
 * learnt from its occurrences inside the history (actual over the mean of the 28
 * regular in-stock days before), shrunk toward the shop's pooled over its SKUs
 * (bl_fc_shop_events) as the SKU's own evidence allows; event days are left out of
 * model fitting, and future event days get point and quantiles multiplied by the
 * uplift. An event neither the SKU's nor the shop's history saw has uplift 1. An event
 * whose region is not the SKU's market (bl_fc_event_applies) is not one for that SKU.
 *
 * Quantiles come from bootstrap sample paths: each model is simulated forward with
 * its own in-sample one-step errors (or, for the intermittent models, demand sizes),
 * drawn with a generator seeded by the caller, so results are deterministic.
 *
 * Memory: every array in a result is allocated from the caller's arena and lives
 * until bl_arena_release(); the functions keep no pointer to their inputs.
 */
#ifndef BALLAST_FORECAST_H
#define BALLAST_FORECAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/err.h"
#include "ballast/str.h"

enum bl_fc_model {
    BL_FC_AUTO = 0,
    BL_FC_SNAIVE,
    BL_FC_SES,
    BL_FC_DAMPED,
    BL_FC_ETS_SEASONAL,
    BL_FC_CROSTON,
    BL_FC_SBA,
    BL_FC_TSB,
    BL_FC_COMBO,
    BL_FC_PROFILE,
    BL_FC_NMODELS
};

#define BL_FC_MAX_HORIZON 3660 /* days: ten years */
#define BL_FC_MAX_DAYS 40000   /* history days per series */
#define BL_FC_MAX_SIMS 100000

/* "auto", "snaive", ... (static text); "?" for out-of-range values. */
const char *bl_fc_model_name(enum bl_fc_model m);
/* Parses a model name; BL_EINVAL with the list of names in d otherwise. */
int bl_fc_model_parse(struct bl_str s, enum bl_fc_model *out, struct bl_diag *d) BL_MUST_CHECK;

struct bl_fc_series {
    const double *units;  /* n values >= 0, borrowed */
    const bool *in_stock; /* n flags or NULL (always in stock), borrowed */
    size_t n;
    int64_t first_day; /* day number of units[0] */
    /* The markets the SKU sells in: country codes separated by spaces ("GB", "GB CN"),
     * borrowed; empty: unknown, every event applies (bl_fc_event_applies). */
    struct bl_str market;
};

struct bl_fc_event {
    int64_t day;
    struct bl_str name; /* borrowed; events with equal names share one uplift */
    /* Where it happens: country codes separated by spaces ("CN", "US CA"), borrowed;
     * empty or "global": everywhere. */
    struct bl_str region;
};

/* Whether event e concerns a SKU selling in market (bl_fc_series.market): e is global,
 * the market is unknown (empty), or one of the market's codes is one of e's. A SKU's
 * forecast, its uplifts and the shop's pooled ones only see the events that concern it:
 * a UK shop's SKU is not told of 11.11 (CN), and its 11.11 is a plain day. */
bool bl_fc_event_applies(const struct bl_fc_event *e, struct bl_str market);

/* The market of a shop selling in currency (an ISO 4217 code): the country of the
 * currency, its first two letters by the standard's construction (GBP: GB, CNY: CN,
 * USD: US), "EU" for the euro; empty for a supranational X.. code or anything not three
 * letters (unknown: every event applies). Static text or a part of currency. */
struct bl_str bl_fc_currency_market(struct bl_str currency);

/* auto's candidates, scored at the rolling origins: the models 1 .. BL_FC_NMODELS - 1
 * (index = the model), then the profile model at each smoothing constant of its grid
 * (index BL_FC_NMODELS + i, i < BL_FC_PROFILE_ALPHAS). */
#define BL_FC_PROFILE_ALPHAS 10
#define BL_FC_NCAND (BL_FC_NMODELS + BL_FC_PROFILE_ALPHAS)
#define BL_FC_LT_DAYS 28 /* lead times calibrated at the origins (longer ones: as 28) */
#define BL_FC_LT_ORIGINS 24 /* rolling origins, a week apart */

/* An event's uplift over a shop's SKUs: what they sold on its days inside their
 * histories against their baselines (the mean of the regular days before), summed. */
#define BL_FC_SHOP_EVENTS 32 /* event names pooled, at most (further ones are not) */
struct bl_fc_shop_event {
    struct bl_str name; /* borrowed from the options' events */
    double actual, baseline;
    size_t skus; /* SKUs with an occurrence that had a baseline */
};

/* What a shop's SKUs say together, learnt by bl_fc_shop_learn from all of them:
 * weekday[k] = demand on weekday k (0 = Monday) over the mean day, pooled (mean 1; 0 on
 * a weekday the shop does not sell), and the days the shop was closed (nothing sold by
 * any SKU on a weekday it sells): such days are not demand for any SKU. Then, by
 * bl_fc_shop_pool, every candidate's error at the rolling origins pooled over the
 * shop's SKUs: auto's choice for a SKU shrinks toward the shop's best. */
struct bl_fc_shop {
    double weekday[7];
    double weeks;        /* weeks of history behind the profile (0: none learnt) */
    const bool *closed;  /* ndays flags from first_day, borrowed; NULL: none */
    int64_t first_day;
    size_t ndays;
    double pooled[BL_FC_NCAND]; /* sum over the scored SKUs of each candidate's squared
                                   error at the origins over the SKU's scale (M5) */
    size_t pooled_skus;         /* SKUs scored (0: no pooled errors, auto chooses alone) */
    /* Lead-time quantiles: lt_z[q][L - 1] (q: p50, p90, p95; L = 1 .. BL_FC_LT_DAYS) is
     * the quantile of (actual - forecast) / sigma_L of the demand summed over the first L
     * days after each rolling origin, pooled over the scored SKUs with auto's choice for
     * each; sigma_L is the SKU's own root mean square of that error over its origins.
     * lt_samples 0: none learnt (bootstrap quantiles instead). */
    double lt_z[3][BL_FC_LT_DAYS];
    size_t lt_samples;
    /* The shop's common factor: demand shocks are shared by its SKUs (the weeks before
     * Christmas), so the ratio of the scored SKUs' actual to forecast lead-time totals at
     * the recent origins, shrunk by how well it foretold the next windows in the past,
     * multiplies each SKU's lead-time mean: lt_factor[L - 1] now, lt_factor_at[r][L - 1]
     * as it was known at the r-th origin from the end (1: no correction). The SKU's
     * spread and lt_z are measured after that correction. */
    double lt_factor[BL_FC_LT_DAYS];
    double lt_factor_at[BL_FC_LT_ORIGINS][BL_FC_LT_DAYS];
    /* The shop's volatility, found the same way from the mean squared standardised error
     * over its SKUs at each origin against all origins: lt_scale[L - 1] multiplies the
     * variance of every SKU's lead-time total now (lt_scale_at as known at each origin;
     * the shape lt_z is measured after it). */
    double lt_scale[BL_FC_LT_DAYS];
    double lt_scale_at[BL_FC_LT_ORIGINS][BL_FC_LT_DAYS];
    /* A SKU too short for its own lead-time spread (fewer than two origins) takes the
     * shop's: lt_short[q][L - 1] is the quantile q of the corrected error of the L-day
     * total over (one-step error x sqrt(L)), pooled over the SKUs' origins (one is
     * enough); lt_short_samples 0: none learnt. */
    double lt_short[3][BL_FC_LT_DAYS];
    size_t lt_short_samples;
    /* Event uplifts pooled over the SKUs (bl_fc_shop_events): a SKU's uplift is its own
     * shrunk toward the shop's, (own actual + K * shop's uplift) / (own baseline + K)
     * with K = 10 units of baseline, and the shop's when it has no occurrence of its own
     * (a SKU launched after last year's Black Friday borrows the shop's). */
    struct bl_fc_shop_event events[BL_FC_SHOP_EVENTS];
    size_t nevents;
};

/* Learns the shop from n series. closed is the caller's buffer of ndays flags for the
 * days first_day .. first_day + ndays - 1 (out->closed points to it), scratch one of
 * ndays + 1 doubles. Only the days of the series that fall in that range are read: learn
 * on the training part when the rest is held out. A day is closed when no series sold
 * on it, on a weekday the shop sells on, and silence had less than a 1 in 1000 chance
 * given how often each SKU sells. Errors: BL_EINVAL (ndays above BL_FC_MAX_DAYS,
 * missing arrays). */
int bl_fc_shop_learn(const struct bl_fc_series *s, size_t n, int64_t first_day, size_t ndays,
                     bool *closed, double *scratch, struct bl_fc_shop *out,
                     struct bl_diag *d) BL_MUST_CHECK;

/* Scores auto's candidates on up to 512 of the n series (evenly spaced, the shop's
 * profile and closed days of sh used) and stores their pooled errors in sh->pooled,
 * then, with auto's choice on the same series, the lead-time quantiles sh->lt_z; o
 * gives the horizon and the events. Series too short for a rolling origin or with a
 * constant history are not scored. Deterministic; the series keep no pointer. Errors:
 * as bl_fc_forecast's. */
struct bl_fc_opts;
int bl_fc_shop_pool(const struct bl_fc_series *s, size_t n, const struct bl_fc_opts *o,
                    struct bl_fc_shop *sh, struct bl_diag *d) BL_MUST_CHECK;

/* Pools the uplift of each event of o (o->events) over up to 1024 of the n series
 * (evenly spaced; the closed days of sh used) into sh->events, after bl_fc_shop_learn.
 * The names are borrowed from o->events. Errors: as bl_fc_forecast's. */
int bl_fc_shop_events(const struct bl_fc_series *s, size_t n, const struct bl_fc_opts *o,
                      struct bl_fc_shop *sh, struct bl_diag *d) BL_MUST_CHECK;

struct bl_fc_opts {
    enum bl_fc_model model;           /* BL_FC_AUTO to choose per series */
    size_t horizon;                   /* days to forecast, 1..BL_FC_MAX_HORIZON */
    size_t lead_time;                 /* days summed for the lead-time quantiles; 0 = horizon */
    const struct bl_fc_event *events; /* nevents entries, any order, borrowed; may be NULL */
    size_t nevents;
    uint64_t seed; /* bootstrap generator seed */
    size_t nsims;  /* sample paths for quantiles; 0 = 1000 */
    const struct bl_fc_shop *shop; /* the shop's pooled profile, borrowed; NULL: the
                                      SKU's own shape only */
};

/* Defaults: auto, horizon 28, lead time = horizon, no events, seed 1, 1000 paths. */
void bl_fc_opts_init(struct bl_fc_opts *o);

struct bl_fc_result {
    enum bl_fc_model model; /* the model used (the choice when auto was asked) */
    size_t horizon;
    int64_t first_day;       /* day number of point[0]: the day after the history */
    double *point;           /* horizon means, arena-owned */
    double *p50, *p90, *p95; /* horizon daily quantiles, arena-owned */
    size_t lead_time;
    double lt_mean, lt_p50, lt_p90, lt_p95; /* demand summed over the first lead_time days */
    size_t history;  /* days the models were fitted on: after the leading zeros, the last
                        392 at most (events and the profile learn from all) */
    size_t censored; /* days out of stock in the whole history */
    double sigma; /* in-sample one-step RMSE of the model (0 when undefined) */
    /* Events in the horizon whose uplift could not be learnt (no occurrence in the
     * history with 7 regular days before it): forecast without an uplift. The count of
     * such event names, and the earliest such day with its name (borrowed from the
     * options' events; length 0 when none). */
    size_t unseen_events;
    struct bl_str unseen_event;
    int64_t unseen_day;
};

/* Forecasts one series. A series with no sale at all forecasts zero with zero
 * quantiles; a model that needs more history than there is (snaive needs 7 days,
 * ets_seasonal 14) falls back to ses, reported in out->model. Errors: BL_EINVAL
 * (negative or non-finite units, horizon or lead time out of range, too many
 * days), BL_ENOMEM (arena), BL_EOVERFLOW. */
int bl_fc_forecast(const struct bl_fc_series *s, const struct bl_fc_opts *o, struct bl_arena *a,
                   struct bl_fc_result *out, struct bl_diag *d) BL_MUST_CHECK;

/* Point forecasts only, of one model (not auto), into caller-provided fc[h].
 * For holdout evaluation; same errors as bl_fc_forecast. */
int bl_fc_point(const struct bl_fc_series *s, enum bl_fc_model m, const struct bl_fc_opts *o,
                struct bl_arena *a, double *fc, size_t h, struct bl_diag *d) BL_MUST_CHECK;

/* Point forecasts of every model at once, each fitted once (for holdout evaluation):
 * fc[m * h + j] for m = 1 .. BL_FC_NMODELS - 1 (the model m, or its fallback), and
 * fc[j] (m = 0) auto's, whose choice is *pick. fc holds BL_FC_NMODELS * h values.
 * Same errors as bl_fc_forecast. */
int bl_fc_point_all(const struct bl_fc_series *s, const struct bl_fc_opts *o, struct bl_arena *a,
                    double *fc, size_t h, enum bl_fc_model *pick, struct bl_diag *d) BL_MUST_CHECK;

/* The model auto would choose for s (never BL_FC_AUTO). */
int bl_fc_select(const struct bl_fc_series *s, const struct bl_fc_opts *o, struct bl_arena *a,
                 enum bl_fc_model *out, struct bl_diag *d) BL_MUST_CHECK;

/* Accuracy as in the M5 competition: the training part starts at the first nonzero
 * value; scale = mean squared (RMSSE) or absolute (MASE) one-day difference of the
 * training part; RMSSE = sqrt(mean((y-f)^2) / scale2), MASE = mean|y-f| / scale1.
 * BL_EEMPTY when the training part has fewer than 2 values or a zero scale (a
 * constant series): such a series has no scaled error. */
struct bl_fc_accuracy {
    double rmsse;
    double mase;
};
int bl_fc_accuracy(const double *train, size_t ntrain, const double *actual, const double *fc,
                   size_t h, struct bl_fc_accuracy *out, struct bl_diag *d) BL_MUST_CHECK;

#endif
