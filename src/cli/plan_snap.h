/* plan_snap.h - the snapshot behind `ballast plan`, `alerts` and `playbook`
 * (internal to src/cli): loaded from the store, forecast, planned.
 *
 * Everything lives in snap->arena (and the few bl_malloc'd big arrays listed
 * below); free with bl__snap_release().
 */
#ifndef BL_CLI_PLAN_SNAP_H
#define BL_CLI_PLAN_SNAP_H

#include <stdbool.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/forecast.h"
#include "ballast/playbook.h"
#include "ballast/replenish.h"
#include "ballast/store.h"

struct bl__snap_opts {
    int64_t as_of;                /* day */
    enum bl_fc_model model;       /* default tsb */
    size_t window;                /* history days fed to the forecaster, default 91 */
    size_t nsims;                 /* bootstrap paths, default 10 (quantiles unused) */
    size_t threads;               /* forecasting threads, default 2 */
    const char *default_supplier; /* ext id for SKUs without a PO history, or NULL */
    int quantile;              /* BL_RP_SS_QUANTILE: 90 or 95 (the forecast's lt_p90/lt_p95) */
    struct bl_rp_policy policy;
    struct bl_pb_policy pb; /* modes overridden by the action_policy table */
};

void bl__snap_opts_init(struct bl__snap_opts *o);

struct bl__snap {
    struct bl_arena arena;
    int64_t org_id;
    /* SKUs */
    size_t nskus;
    int64_t *sku_id;
    const char **sku_ext;
    bool *review_passed;
    struct bl_pb_sku *pb_skus;
    struct bl_rp_sku *rp_skus;
    enum bl_fc_model *model; /* model used per SKU */
    /* warehouses, suppliers, shops (store ids and ext ids) */
    size_t nwh, nsup, nshops;
    int64_t *wh_id, *sup_id, *shop_id;
    const char **wh_ext, **wh_region, **sup_ext, **shop_ext;
    struct bl_rp_supplier *sup;
    struct bl_pb_shop *shops;
    struct bl_rp_disruption *dis;
    size_t ndis;
    struct bl_pb_open *open;
    size_t nopen;
    /* results */
    struct bl_rp_plan *plans;
    struct bl_pb_action *acts;
    size_t nacts;
    double secs_load, secs_forecast, secs_plan, secs_playbook;
};

/* Loads the org's snapshot, forecasts every SKU and plans (and runs the playbook
 * when playbook is set). On failure d says why; release the snap either way. */
int bl__snap_build(struct bl__snap *s, struct bl_store *st, int64_t org_id,
                   const struct bl__snap_opts *o, bool playbook, struct bl_diag *d) BL_MUST_CHECK;
void bl__snap_release(struct bl__snap *s);

/* Index of a SKU / shop by store id, or -1. */
ptrdiff_t bl__snap_sku(const struct bl__snap *s, int64_t id);

/* Forecasts every SKU's daily demand in parallel: units[k * window ...], in_stock
 * likewise (may be NULL); writes rp_skus[k].daily_mean/daily_sigma and model[k]. */
int bl__forecast_all(size_t nskus, const double *units, const bool *in_stock, size_t window,
                     int64_t first_day, const struct bl__snap_opts *o, struct bl_rp_sku *rp,
                     enum bl_fc_model *model, struct bl_diag *d) BL_MUST_CHECK;

#endif
