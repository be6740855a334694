/* forecast.h - the demand forecast use cases (docs/internals/forecast.md, app.md):
 * daily demand per SKU with quantiles and lead-time sums, and the holdout accuracy of
 * every model, from a sales history file (history.h) or the store's sales_daily.
 *
 * Ownership: res is the caller's, freed with its _release (safe on a zeroed or failed
 * res); everything in it lives in res->arena. */
#ifndef BL_APP_FORECAST_H
#define BL_APP_FORECAST_H

#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/forecast.h"
#include "ballast/history.h"
#include "ballast/store.h"

struct bl_app_forecast_req {
    const char *input;    /* a sales history CSV, or NULL: the store's own (st, org) */
    const char *events;   /* event calendar CSV; NULL: the default one (BALLAST_DATA or the
                             data directory's events.csv, when there); "none": no events */
    const char *market;   /* every SKU's market ("GB"; bl_fc_series.market), for a file
                             or instead of the store's (its shops' currencies); NULL: those */
    struct bl_fc_opts fc; /* horizon, model, lead time, seed, sims; events set here */
    bool has_until;    /* only the history before day `until` (the as-of's day) */
    int64_t until;
    /* Called after each SKU with (SKUs done, SKUs in the history), for a front end's
     * progress bar; NULL: none. */
    void (*progress)(void *ctx, uint64_t done, uint64_t total);
    void *progress_ctx;
    const char *sku; /* only this SKU (BL_ENOTFOUND when the history has none); NULL: all */
    size_t offset, limit; /* a page: the SKUs from offset, at most limit of them (0: all);
                             res->total says how many there are */
    size_t threads; /* SKUs forecast side by side; 0: one per processor (at most 8) */
};

struct bl_app_forecast_sku {
    const char *sku;       /* the SKU's id (ext id in the store) */
    struct bl_fc_result r; /* arrays in res->arena */
};

struct bl_app_forecast_res {
    struct bl_app_forecast_sku *skus; /* in the history's order */
    size_t n;
    bool no_sales; /* BL_EEMPTY because the organisation has no sales history at all */
    /* the store's history is the orders' units by the day each was placed (no daily sales
     * imported: docs/formats.md, sales) */
    bool from_orders;
    size_t total;  /* the SKUs the request names (every page's), of which skus[] is a page */
    struct bl_arena arena;
};

/* The event calendar at path (ballast/history.h), NULL: the default one (BALLAST_DATA or
 * the data directory's events.csv; none when it is not there), "none": no events. The
 * same for `forecast` and planning. ev is the caller's, freed with bl_events_release. */
int bl_app_events_load(const char *path, struct bl_events *ev, struct bl_diag *d) BL_MUST_CHECK;

/* Forecasts every SKU of the history. st may be NULL when req->input is set. The
 * first SKU that fails stops it: d names it. */
int bl_app_forecast(struct bl_store *st, int64_t org, const struct bl_app_forecast_req *req,
                    struct bl_app_forecast_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_forecast_res_release(struct bl_app_forecast_res *res);

struct bl_app_holdout_req {
    struct bl_app_forecast_req in; /* in.fc.horizon is set to hold */
    size_t hold;                   /* days held out at the end of the history */
};

struct bl_app_holdout_res {
    size_t ndays;   /* days in the history */
    size_t used;    /* SKUs scored */
    size_t skipped; /* never sold before the holdout, constant, or out of stock all holdout */
    double rmsse[BL_FC_NMODELS], mase[BL_FC_NMODELS]; /* means over the SKUs scored */
    size_t chosen[BL_FC_NMODELS]; /* SKUs for which auto chose the model (auto: all) */
    bool no_sales; /* BL_EEMPTY because the organisation has no sales history at all */
    bool from_orders; /* as in bl_app_forecast_res */
    /* With in.fc.lead_time L (at most hold): auto's lead-time quantiles (p50, p90, p95) of
     * the demand over the first L held-out days, over the SKUs scored: the share of them
     * whose actual total was at most the quantile, and the mean pinball loss over L times
     * the SKU's MASE scale (docs/metrics.md). lt_cover_mid: the same share with a tie
     * (actual equal to the quantile: none sold, a quantile of 0) counted as half, the
     * mid-rank coverage that calibration of a discrete total is judged by. */
    double lt_cover[3], lt_pinball[3], lt_cover_mid[3];
};

/* BL_EINVAL: hold not shorter than the history; BL_EEMPTY: no SKU can be scored. */
int bl_app_forecast_holdout(struct bl_store *st, int64_t org, const struct bl_app_holdout_req *req,
                            struct bl_app_holdout_res *res, struct bl_diag *d) BL_MUST_CHECK;

#endif
