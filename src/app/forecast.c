/* forecast.c - forecasts and holdout accuracy per SKU from a sales history (forecast.h). */
#include "app/forecast.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ballast/history.h"
#include "app/pool.h"
#include "ballast/time.h"
#include "store/stock.h"

#ifndef BL_DATA_DIR
#define BL_DATA_DIR "data"
#endif

int bl_app_events_load(const char *path, struct bl_events *ev, struct bl_diag *d)
{
    memset(ev, 0, sizeof(*ev));
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
    return rc;
}

/* The history and the event calendar a request names. *no_sales: the store was asked and
 * the organisation has no sales at all (BL_EEMPTY); *from_orders: its history is its
 * orders' (it imported no daily sales). */
static int load_inputs(struct bl_store *st, int64_t org, const struct bl_app_forecast_req *req,
                       struct bl_history *h, struct bl_events *ev, bool *no_sales,
                       bool *from_orders, struct bl_diag *d)
{
    memset(h, 0, sizeof(*h));
    int rc = bl_app_events_load(req->events, ev, d);
    if (!rc && req->input)
        rc = bl_history_read(h, req->input, d);
    else if (!rc && !st)
        rc = bl_diag_set(d, BL_EINVAL, "forecast: neither a sales file nor a store");
    else if (!rc &&
             (rc = bl_store_stock_history(st, org, INT64_MIN, h, from_orders, d)) == BL_EEMPTY)
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
    if (!rc && req->market) { /* every SKU's, instead of its shops' */
        h->market = bl_arena_alloc(&h->arena, (h->nskus ? h->nskus : 1) * sizeof(*h->market));
        if (!h->market)
            return bl_diag_set(d, BL_ENOMEM, "forecast: out of memory");
        for (size_t k = 0; k < h->nskus; k++)
            h->market[k] = req->market;
    }
    return rc;
}

/* SKU k's markets (empty: unknown). */
static struct bl_str market_of(const struct bl_history *h, size_t k)
{
    return bl_str_c(h->market ? h->market[k] : NULL);
}

/* "SKU 'x': " before d's message (the SKU is not a column of the input). */
static void name_sku(struct bl_diag *d, const char *sku)
{
    if (!d)
        return;
    char msg[sizeof(d->msg)];
    snprintf(msg, sizeof(msg), "%s", d->msg[0] ? d->msg : bl_strerror(d->code));
    bl_diag_set(d, d->code, "SKU '%.60s': %.400s", sku, msg);
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
    if (r->unseen_event.len) { /* the name was borrowed from the events, released first */
        char *name = bl_arena_strndup(&res->arena, r->unseen_event.ptr, r->unseen_event.len);
        if (!name)
            return BL_ENOMEM;
        r->unseen_event.ptr = name;
    }
    return r->point && r->p50 && r->p90 && r->p95 ? BL_OK : BL_ENOMEM;
}

/* The shop's pooled profile and closed days, its events' uplifts, then its candidates'
 * pooled errors (for the horizon and events of o), learnt on the first ndays days of
 * every SKU of h (the training part when the rest is held out). *closed is bl_free'd by the caller
 * (shop->closed points into it). */
static int learn_shop(const struct bl_history *h, size_t ndays, const struct bl_fc_opts *o,
                      bool **closed, struct bl_fc_shop *shop, struct bl_diag *d)
{
    struct bl_fc_series *s = bl_calloc(h->nskus ? h->nskus : 1, sizeof(*s));
    double *scratch = bl_calloc(ndays + 1, sizeof(double));
    *closed = bl_calloc(ndays ? ndays : 1, sizeof(bool));
    if (!s || !scratch || !*closed) {
        bl_free(s);
        bl_free(scratch);
        return bl_diag_set(d, BL_ENOMEM, "forecast: out of memory");
    }
    for (size_t k = 0; k < h->nskus; k++)
        s[k] = (struct bl_fc_series){h->units[k], h->in_stock ? h->in_stock[k] : NULL, ndays,
                                     h->first_day, market_of(h, k)};
    int rc = bl_fc_shop_learn(s, h->nskus, h->first_day, ndays, *closed, scratch, shop, d);
    if (!rc)
        rc = bl_fc_shop_events(s, h->nskus, o, shop, d);
    if (!rc && o->model == BL_FC_AUTO)
        rc = bl_fc_shop_pool(s, h->nskus, o, shop, d);
    bl_free(s);
    bl_free(scratch);
    return rc;
}

struct fc_ctx {
    const struct bl_history *h;
    const struct bl_fc_opts *o;
    const struct bl_app_forecast_req *req;
    struct bl_app_forecast_res *res;
    const size_t *pick;   /* job k forecasts SKU pick[k] of h into res->skus[k] */
    pthread_mutex_t lock; /* res->arena */
};

static void report_progress(void *ctx, size_t done, size_t n)
{
    const struct bl_app_forecast_req *req = ctx;
    if (req->progress)
        req->progress(req->progress_ctx, done, n);
}

static void fc_progress(void *ctx, size_t done, size_t n)
{
    report_progress((void *)((struct fc_ctx *)ctx)->req, done, n);
}

/* Forecasts SKU k in a scratch arena and keeps the result in res's. */
static int forecast_one(void *ctx, size_t w, size_t j, struct bl_diag *d)
{
    (void)w;
    struct fc_ctx *c = ctx;
    const struct bl_history *h = c->h;
    size_t k = c->pick[j];
    struct bl_arena a = BL_ARENA_INIT;
    struct bl_fc_series s = {h->units[k], h->in_stock ? h->in_stock[k] : NULL, h->ndays,
                             h->first_day, market_of(h, k)};
    struct bl_app_forecast_sku *x = &c->res->skus[j];
    int rc = bl_fc_forecast(&s, c->o, &a, &x->r, d);
    if (rc)
        name_sku(d, h->sku[k]);
    else {
        pthread_mutex_lock(&c->lock);
        if (keep_result(c->res, &x->r) ||
            !(x->sku = bl_arena_strndup(&c->res->arena, h->sku[k], strlen(h->sku[k]))))
            rc = bl_diag_set(d, BL_ENOMEM, "forecast: out of memory");
        pthread_mutex_unlock(&c->lock);
    }
    bl_arena_release(&a);
    return rc;
}

static int forecast_all(const struct bl_history *h, const struct bl_fc_opts *o,
                        const struct bl_app_forecast_req *req, struct bl_app_forecast_res *res,
                        struct bl_diag *d)
{
    res->skus = bl_arena_alloc(&res->arena, (h->nskus ? h->nskus : 1) * sizeof(*res->skus));
    if (!res->skus)
        return bl_diag_set(d, BL_ENOMEM, "forecast: out of memory");
    memset(res->skus, 0, (h->nskus ? h->nskus : 1) * sizeof(*res->skus));
    /* the SKUs asked for: one by name, or a page of them (the others counted, not forecast) */
    size_t *pick = bl_calloc(h->nskus ? h->nskus : 1, sizeof(*pick)), npick = 0;
    if (!pick)
        return bl_diag_set(d, BL_ENOMEM, "forecast: out of memory");
    for (size_t k = 0; k < h->nskus; k++) {
        if (req->sku && strcmp(req->sku, h->sku[k]) != 0)
            continue;
        size_t at = res->total++;
        if (at >= req->offset && (!req->limit || at - req->offset < req->limit))
            pick[npick++] = k;
    }
    int rc = BL_OK;
    if (req->sku && !res->total)
        rc = bl_diag_set(d, BL_ENOTFOUND, "SKU '%.60s' has no sales history to forecast from",
                         req->sku);
    struct fc_ctx c = {h, o, req, res, pick, PTHREAD_MUTEX_INITIALIZER};
    struct bl__pool_job job = {npick, req->threads, forecast_one, fc_progress, &c};
    rc = rc ? rc : bl__pool_run(&job, d);
    pthread_mutex_destroy(&c.lock);
    bl_free(pick);
    res->n = rc ? 0 : npick;
    return rc;
}

int bl_app_forecast(struct bl_store *st, int64_t org, const struct bl_app_forecast_req *req,
                    struct bl_app_forecast_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 1 << 16);
    struct bl_history h;
    struct bl_events ev;
    int rc = load_inputs(st, org, req, &h, &ev, &res->no_sales, &res->from_orders, d);
    struct bl_fc_shop shop;
    bool *closed = NULL;
    struct bl_fc_opts o = req->fc;
    if (!rc) {
        o.events = ev.ev;
        o.nevents = ev.n;
        rc = learn_shop(&h, h.ndays, &o, &closed, &shop, d);
    }
    if (!rc) {
        o.shop = &shop;
        rc = forecast_all(&h, &o, req, res, d);
    }
    bl_free(closed);
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
    double *fc, *act, *f2; /* fc: BL_FC_NMODELS * hold */
};

/* Per SKU: accuracies of every model (index 0: auto's own), skipped or not, and the
 * lead-time quantiles' hits and scaled pinball losses (p50, p90, p95). */
struct sku_score {
    double r[BL_FC_NMODELS], m[BL_FC_NMODELS];
    double hit[3], tie[3], pinball[3];
    enum bl_fc_model pick;
    bool skip;
};

/* Auto's lead-time quantiles of SKU k (training part s) against the first L held-out
 * days: hits and pinball losses over L times the MASE scale. */
static int score_lead_time(const struct bl_history *h, size_t k, const struct bl_fc_series *s,
                           const struct bl_fc_opts *o, struct bl_arena *a, struct sku_score *x,
                           struct bl_diag *d)
{
    struct bl_fc_opts lo = *o;
    lo.model = BL_FC_AUTO;
    struct bl_fc_result r;
    int rc = bl_fc_forecast(s, &lo, a, &r, d);
    double one = 1, zero = 0, actual = 0;
    struct bl_fc_accuracy sc;
    if (rc || bl_fc_accuracy(h->units[k], s->n, &one, &zero, 1, &sc, NULL))
        return rc; /* no scale: the SKU is skipped anyway */
    for (size_t j = 0; j < o->lead_time; j++)
        actual += h->units[k][s->n + j];
    const double qv[3] = {r.lt_p50, r.lt_p90, r.lt_p95}, level[3] = {0.5, 0.9, 0.95};
    for (int i = 0; i < 3; i++) {
        double e = actual - qv[i];
        x->hit[i] = actual <= qv[i];
        x->tie[i] = actual == qv[i]; /* whole units: a tie is a quantile of 0 and none sold */
        x->pinball[i] = (e >= 0 ? level[i] * e : (level[i] - 1) * e) * sc.mase /
                        (double)o->lead_time; /* sc.mase = 1 / the MASE scale */
    }
    return BL_OK;
}

/* Scores every model on SKU k: *skip when it has no scaled error. */
static int score_sku(const struct bl_history *h, size_t k, const struct bl_fc_opts *o, size_t hold,
                     struct scratch *w, struct sku_score *x, struct bl_diag *d)
{
    bool *skip = &x->skip;
    struct bl_arena a = BL_ARENA_INIT;
    size_t ntrain = h->ndays - hold;
    const bool *stock = h->in_stock ? h->in_stock[k] : NULL;
    struct bl_fc_series s = {h->units[k], stock, ntrain, h->first_day, market_of(h, k)};
    *skip = false;
    int rc = bl_fc_point_all(&s, o, &a, w->fc, hold, &x->pick, d);
    for (int m = BL_FC_AUTO; !rc && !*skip && m < BL_FC_NMODELS; m++) { /* 0: auto's own */
        const double *fc = w->fc + (size_t)m * hold;
        size_t n = 0;
        for (size_t j = 0; j < hold; j++)
            if (!stock || stock[ntrain + j]) { /* censored days have no demand to score */
                w->act[n] = h->units[k][ntrain + j];
                w->f2[n++] = fc[j];
            }
        struct bl_fc_accuracy acc;
        if (!n || bl_fc_accuracy(h->units[k], ntrain, w->act, w->f2, n, &acc, NULL))
            *skip = true; /* never sold, constant history or no in-stock holdout day */
        else {
            x->r[m] = acc.rmsse;
            x->m[m] = acc.mase;
        }
    }
    if (!rc && !*skip && o->lead_time)
        rc = score_lead_time(h, k, &s, o, &a, x, d);
    bl_arena_release(&a);
    if (rc)
        name_sku(d, h->sku[k]);
    return rc;
}

struct score_ctx {
    const struct bl_history *h;
    const struct bl_fc_opts *o;
    size_t hold;
    const struct bl_app_forecast_req *req;
    struct scratch *w; /* per worker */
    struct sku_score *sc;
};

static int score_one(void *ctx, size_t w, size_t k, struct bl_diag *d)
{
    struct score_ctx *c = ctx;
    struct sku_score *x = &c->sc[k];
    return score_sku(c->h, k, c->o, c->hold, &c->w[w], x, d);
}

static void score_progress(void *ctx, size_t done, size_t n)
{
    report_progress((void *)((struct score_ctx *)ctx)->req, done, n);
}

/* Sums the scores in SKU order (the same means whatever the threads). */
static void add_scores(struct bl_app_holdout_res *res, const struct sku_score *sc, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        if (sc[k].skip) {
            res->skipped++;
            continue;
        }
        res->used++;
        res->chosen[sc[k].pick]++;
        res->chosen[BL_FC_AUTO]++;
        for (int m = 0; m < BL_FC_NMODELS; m++) {
            res->rmsse[m] += sc[k].r[m];
            res->mase[m] += sc[k].m[m];
        }
        for (int i = 0; i < 3; i++) {
            res->lt_cover[i] += sc[k].hit[i];
            res->lt_cover_mid[i] += sc[k].hit[i] - sc[k].tie[i] / 2;
            res->lt_pinball[i] += sc[k].pinball[i];
        }
    }
}

static int score_all(const struct bl_history *h, const struct bl_fc_opts *o, size_t hold,
                     const struct bl_app_forecast_req *req, struct bl_app_holdout_res *res,
                     struct bl_diag *d)
{
    size_t nt = bl__pool_threads(req->threads, h->nskus);
    struct scratch w[8];
    struct sku_score *sc = bl_calloc(h->nskus ? h->nskus : 1, sizeof(*sc));
    int rc = sc ? BL_OK : bl_diag_set(d, BL_ENOMEM, "out of memory");
    for (size_t t = 0; t < nt; t++) {
        w[t] = (struct scratch){bl_calloc(hold * BL_FC_NMODELS, sizeof(double)),
                                bl_calloc(hold, sizeof(double)), bl_calloc(hold, sizeof(double))};
        if (!rc && (!w[t].fc || !w[t].act || !w[t].f2))
            rc = bl_diag_set(d, BL_ENOMEM, "out of memory");
    }
    struct score_ctx c = {h, o, hold, req, w, sc};
    struct bl__pool_job job = {h->nskus, nt, score_one, score_progress, &c};
    if (!rc && !(rc = bl__pool_run(&job, d)))
        add_scores(res, sc, h->nskus);
    for (size_t t = 0; t < nt; t++) {
        bl_free(w[t].fc);
        bl_free(w[t].act);
        bl_free(w[t].f2);
    }
    bl_free(sc);
    if (!rc && !res->used)
        rc = bl_diag_set(d, BL_EEMPTY,
                         "no SKU can be scored: each was never sold before the holdout, has a "
                         "constant history or no in-stock day in the holdout");
    for (int m = 0; !rc && m < BL_FC_NMODELS; m++) {
        res->rmsse[m] /= (double)res->used;
        res->mase[m] /= (double)res->used;
    }
    for (int i = 0; !rc && i < 3; i++) {
        res->lt_cover[i] /= (double)res->used;
        res->lt_cover_mid[i] /= (double)res->used;
        res->lt_pinball[i] /= (double)res->used;
    }
    return rc;
}

int bl_app_forecast_holdout(struct bl_store *st, int64_t org, const struct bl_app_holdout_req *req,
                            struct bl_app_holdout_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    struct bl_history h;
    struct bl_events ev;
    int rc = load_inputs(st, org, &req->in, &h, &ev, &res->no_sales, &res->from_orders, d);
    res->ndays = h.ndays;
    if (!rc && h.ndays <= req->hold)
        rc = bl_diag_set(d, BL_EINVAL, "a holdout of %zu days: the history has only %zu days",
                         req->hold, h.ndays);
    if (!rc && req->in.fc.lead_time > req->hold)
        rc = bl_diag_set(d, BL_EINVAL, "a lead time of %zu days is longer than the holdout (%zu)",
                         req->in.fc.lead_time, req->hold);
    struct bl_fc_shop shop;
    bool *closed = NULL;
    struct bl_fc_opts o = req->in.fc;
    if (!rc) {
        o.events = ev.ev;
        o.nevents = ev.n;
        o.horizon = req->hold;
        o.model = BL_FC_AUTO; /* every model is scored, auto's choice too */
        rc = learn_shop(&h, h.ndays - req->hold, &o, &closed, &shop, d);
    }
    if (!rc) {
        o.shop = &shop;
        rc = score_all(&h, &o, req->hold, &req->in, res, d);
    }
    bl_free(closed);
    bl_history_release(&h);
    bl_events_release(&ev);
    return rc;
}
