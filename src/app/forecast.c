/* forecast.c - forecasts and holdout accuracy per SKU from a sales history (forecast.h). */
#include "app/forecast.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ballast/history.h"
#include "ballast/time.h"
#include "store/stock.h"

#ifndef BL_DATA_DIR
#define BL_DATA_DIR "data"
#endif

/* The history and the event calendar a request names. *no_sales: the store was asked and
 * the organisation has no sales at all (BL_EEMPTY). */
static int load_inputs(struct bl_store *st, int64_t org, const struct bl_app_forecast_req *req,
                       struct bl_history *h, struct bl_events *ev, bool *no_sales,
                       struct bl_diag *d)
{
    memset(h, 0, sizeof(*h));
    memset(ev, 0, sizeof(*ev));
    const char *path = req->events;
    char def[1024];
    if (!path) {
        const char *dir = getenv("BALLAST_DATA");
        snprintf(def, sizeof(def), "%s/events.csv", dir && *dir ? dir : BL_DATA_DIR);
        if (access(def, R_OK) == 0)
            path = def;
    }
    int rc = BL_OK;
    if (path && strcmp(path, "none") != 0)
        rc = bl_events_read(ev, path, d);
    if (!rc)
        bl_diag_clear(d); /* a calendar read well names no file in what follows */
    if (!rc && req->input)
        rc = bl_history_read(h, req->input, d);
    else if (!rc && !st)
        rc = bl_diag_set(d, BL_EINVAL, "forecast: neither a sales file nor a store");
    else if (!rc && (rc = bl_store_stock_history(st, org, INT64_MIN, h, d)) == BL_EEMPTY)
        *no_sales = true;
    if (!rc && req->has_until && h->first_day + (int64_t)h->ndays > req->until) {
        if (req->until <= h->first_day) {
            char day[16];
            bl_date_format(h->first_day, day);
            bl_diag_clear(d);
            return bl_diag_set(d, BL_EEMPTY, "no sales history before the as-of: it starts on %s",
                               day);
        }
        h->ndays = (size_t)(req->until - h->first_day); /* the days before the as-of */
    }
    return rc;
}

static void name_sku(struct bl_diag *d, const char *sku)
{
    char msg[128];
    snprintf(msg, sizeof(msg), "SKU '%.60s'", sku);
    bl_diag_at(d, NULL, 0, msg);
}

static double *keep(struct bl_arena *a, const double *v, size_t n)
{
    double *out = bl_arena_alloc(a, (n ? n : 1) * sizeof(*out));
    if (out && n)
        memcpy(out, v, n * sizeof(*out));
    return out;
}

/* Copies r's arrays from the SKU's scratch arena into res's. */
static int keep_result(struct bl_app_forecast_res *res, struct bl_fc_result *r)
{
    r->point = keep(&res->arena, r->point, r->horizon);
    r->p50 = keep(&res->arena, r->p50, r->horizon);
    r->p90 = keep(&res->arena, r->p90, r->horizon);
    r->p95 = keep(&res->arena, r->p95, r->horizon);
    return r->point && r->p50 && r->p90 && r->p95 ? BL_OK : BL_ENOMEM;
}

static int forecast_all(const struct bl_history *h, const struct bl_fc_opts *o,
                        const struct bl_app_forecast_req *req, struct bl_app_forecast_res *res,
                        struct bl_diag *d)
{
    res->skus = bl_arena_alloc(&res->arena, (h->nskus ? h->nskus : 1) * sizeof(*res->skus));
    if (!res->skus)
        return bl_diag_set(d, BL_ENOMEM, "forecast: out of memory");
    int rc = BL_OK;
    for (size_t k = 0; !rc && k < h->nskus; k++) {
        if (req->sku && strcmp(req->sku, h->sku[k]) != 0)
            continue;
        size_t at = res->total++;
        if (at < req->offset || (req->limit && at - req->offset >= req->limit))
            continue; /* outside the page: counted, not forecast */
        struct bl_arena a = BL_ARENA_INIT;
        struct bl_fc_series s = {h->units[k], h->in_stock ? h->in_stock[k] : NULL, h->ndays,
                                 h->first_day};
        struct bl_app_forecast_sku *x = &res->skus[res->n];
        rc = bl_fc_forecast(&s, o, &a, &x->r, d);
        if (rc)
            name_sku(d, h->sku[k]);
        else if (keep_result(res, &x->r) ||
                 !(x->sku = bl_arena_strndup(&res->arena, h->sku[k], strlen(h->sku[k]))))
            rc = bl_diag_set(d, BL_ENOMEM, "forecast: out of memory");
        else
            res->n++;
        bl_arena_release(&a);
        if (req->progress)
            req->progress(req->progress_ctx, k + 1, h->nskus);
    }
    if (!rc && req->sku && !res->total)
        rc = bl_diag_set(d, BL_ENOTFOUND, "SKU '%.60s' has no sales history to forecast from",
                         req->sku);
    return rc;
}

int bl_app_forecast(struct bl_store *st, int64_t org, const struct bl_app_forecast_req *req,
                    struct bl_app_forecast_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 1 << 16);
    struct bl_history h;
    struct bl_events ev;
    int rc = load_inputs(st, org, req, &h, &ev, &res->no_sales, d);
    if (!rc) {
        struct bl_fc_opts o = req->fc;
        o.events = ev.ev;
        o.nevents = ev.n;
        rc = forecast_all(&h, &o, req, res, d);
    }
    bl_history_release(&h);
    bl_events_release(&ev);
    return rc;
}

void bl_app_forecast_res_release(struct bl_app_forecast_res *res)
{
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}

/* ---------------------------------------------------------------- holdout */

struct scratch {
    double *fc, *act, *f2;
};

/* Scores every model on SKU k: *skip when it has no scaled error. */
static int score_sku(const struct bl_history *h, size_t k, const struct bl_fc_opts *o, size_t hold,
                     struct scratch *w, double *acc_r, double *acc_m, enum bl_fc_model *pick,
                     bool *skip, struct bl_diag *d)
{
    struct bl_arena a = BL_ARENA_INIT;
    size_t ntrain = h->ndays - hold;
    const bool *stock = h->in_stock ? h->in_stock[k] : NULL;
    struct bl_fc_series s = {h->units[k], stock, ntrain, h->first_day};
    *skip = false;
    int rc = bl_fc_select(&s, o, &a, pick, d);
    for (int m = BL_FC_SNAIVE; !rc && !*skip && m < BL_FC_NMODELS; m++) {
        rc = bl_fc_point(&s, (enum bl_fc_model)m, o, &a, w->fc, hold, d);
        size_t n = 0;
        for (size_t j = 0; !rc && j < hold; j++)
            if (!stock || stock[ntrain + j]) { /* censored days have no demand to score */
                w->act[n] = h->units[k][ntrain + j];
                w->f2[n++] = w->fc[j];
            }
        struct bl_fc_accuracy acc;
        if (!rc && (!n || bl_fc_accuracy(h->units[k], ntrain, w->act, w->f2, n, &acc, NULL)))
            *skip = true; /* never sold, constant history or no in-stock holdout day */
        else if (!rc) {
            acc_r[m] = acc.rmsse;
            acc_m[m] = acc.mase;
        }
    }
    bl_arena_release(&a);
    if (rc)
        name_sku(d, h->sku[k]);
    return rc;
}

static void add_scores(struct bl_app_holdout_res *res, double *acc_r, double *acc_m,
                       enum bl_fc_model pick)
{
    res->used++;
    acc_r[BL_FC_AUTO] = acc_r[pick];
    acc_m[BL_FC_AUTO] = acc_m[pick];
    res->chosen[pick]++;
    res->chosen[BL_FC_AUTO]++;
    for (int m = 0; m < BL_FC_NMODELS; m++) {
        res->rmsse[m] += acc_r[m];
        res->mase[m] += acc_m[m];
    }
}

static int score_all(const struct bl_history *h, const struct bl_fc_opts *o, size_t hold,
                     const struct bl_app_forecast_req *req, struct bl_app_holdout_res *res,
                     struct bl_diag *d)
{
    struct scratch w = {bl_calloc(hold, sizeof(double)), bl_calloc(hold, sizeof(double)),
                        bl_calloc(hold, sizeof(double))};
    int rc = w.fc && w.act && w.f2 ? BL_OK : bl_diag_set(d, BL_ENOMEM, "out of memory");
    for (size_t k = 0; !rc && k < h->nskus; k++) {
        double acc_r[BL_FC_NMODELS] = {0}, acc_m[BL_FC_NMODELS] = {0};
        enum bl_fc_model pick = BL_FC_AUTO;
        bool skip = false;
        rc = score_sku(h, k, o, hold, &w, acc_r, acc_m, &pick, &skip, d);
        if (!rc && skip)
            res->skipped++;
        else if (!rc)
            add_scores(res, acc_r, acc_m, pick);
        if (req->progress)
            req->progress(req->progress_ctx, k + 1, h->nskus);
    }
    bl_free(w.fc);
    bl_free(w.act);
    bl_free(w.f2);
    if (!rc && !res->used)
        rc = bl_diag_set(d, BL_EEMPTY,
                         "no SKU can be scored: each was never sold before the holdout, has a "
                         "constant history or no in-stock day in the holdout");
    for (int m = 0; !rc && m < BL_FC_NMODELS; m++) {
        res->rmsse[m] /= (double)res->used;
        res->mase[m] /= (double)res->used;
    }
    return rc;
}

int bl_app_forecast_holdout(struct bl_store *st, int64_t org, const struct bl_app_holdout_req *req,
                            struct bl_app_holdout_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    struct bl_history h;
    struct bl_events ev;
    int rc = load_inputs(st, org, &req->in, &h, &ev, &res->no_sales, d);
    res->ndays = h.ndays;
    if (!rc && h.ndays <= req->hold)
        rc = bl_diag_set(d, BL_EINVAL, "a holdout of %zu days: the history has only %zu days",
                         req->hold, h.ndays);
    if (!rc) {
        struct bl_fc_opts o = req->in.fc;
        o.events = ev.ev;
        o.nevents = ev.n;
        o.horizon = req->hold;
        rc = score_all(&h, &o, req->hold, &req->in, res, d);
    }
    bl_history_release(&h);
    bl_events_release(&ev);
    return rc;
}
