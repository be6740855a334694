/* stock_day.c - one as-of day of stock: load the snapshot, forecast every SKU (in
 * parallel), plan (stock.h). */
#include <math.h>
#include <pthread.h>
#include <string.h>
#include <stdio.h>
#include <time.h>

#include "app/forecast.h"
#include "app/stock.h"
#include "ballast/l10n.h"
#include "ballast/places.h"

void bl_app_stock_opts_init(struct bl_app_stock_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->model = BL_FC_AUTO;
    o->window = 91; /* the operator packs' skus_unsold and no_sales name these 91 days */
    o->nsims = 10; /* the plan uses the mean and sigma, not the quantiles */
    o->threads = 2;
    bl_rp_policy_init(&o->policy);
    bl_pb_policy_init(&o->pb);
    o->playbook = true;
}

static double now_secs(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---------------------------------------------------------------- forecasting */

struct fc_job {
    size_t from, step, nskus, window;
    const struct bl_fc_shop *shop;
    const double *units;
    const bool *in_stock;
    int64_t first_day;
    const struct bl_app_stock_opts *o;
    struct bl_rp_sku *rp;
    enum bl_fc_model *model;
    int rc;
    struct bl_diag d;
};

static void store_result(struct fc_job *j, size_t k, const struct bl_fc_result *r)
{
    j->rp[k].daily_mean = r->lt_mean > 0 ? r->lt_mean / (double)r->lead_time : 0;
    j->rp[k].daily_sigma = r->sigma > 0 && isfinite(r->sigma) ? r->sigma : 0;
    if (j->o->policy.ss_mode == BL_RP_SS_QUANTILE) {
        double q = (j->o->quantile == 90 ? r->lt_p90 : r->lt_p95) - r->lt_mean;
        j->rp[k].lt_excess = q > 0 && isfinite(q) ? q : 0;
        j->rp[k].lt_days = (double)r->lead_time;
    }
    j->model[k] = r->model;
}

/* The forecast options of planning: 28 days, the lead-time quantiles over them. */
static void stock_fc_opts(const struct bl_app_stock_opts *o, const struct bl_fc_shop *shop,
                          struct bl_fc_opts *fo)
{
    bl_fc_opts_init(fo);
    fo->model = o->model;
    fo->horizon = 28;
    fo->lead_time = 28;
    fo->nsims = o->nsims;
    fo->seed = 1;
    fo->shop = shop;
    fo->events = o->events;
    fo->nevents = o->events ? o->nevents : 0;
}

static struct bl_str market_of(const struct bl_app_stock_opts *o, size_t k)
{
    return bl_str_c(o->market ? o->market[k] : NULL);
}

static void *fc_worker(void *arg)
{
    struct fc_job *j = arg;
    struct bl_arena a;
    bl_arena_init(&a, 256 * 1024);
    struct bl_fc_opts fo;
    stock_fc_opts(j->o, j->shop, &fo);
    bl_diag_clear(&j->d);
    for (size_t k = j->from; k < j->nskus && !j->rc; k += j->step) {
        const double *u = j->units + k * j->window;
        size_t nz = 0;
        for (size_t i = 0; i < j->window; i++)
            nz += u[i] > 0;
        if (!nz) {
            j->rp[k].daily_mean = 0;
            j->rp[k].daily_sigma = 0;
            j->model[k] = j->o->model;
            continue;
        }
        struct bl_fc_series s = {u, j->in_stock ? j->in_stock + k * j->window : NULL, j->window,
                                 j->first_day, market_of(j->o, k)};
        struct bl_fc_result r;
        j->rc = bl_fc_forecast(&s, &fo, &a, &r, &j->d);
        if (!j->rc)
            store_result(j, k, &r);
        if ((k / j->step) % 64 == 63)
            bl_arena_release(&a);
    }
    bl_arena_release(&a);
    return NULL;
}

/* The shop's pooled weekday profile and closed days from every SKU's window, its events'
 * uplifts (when fo has events), then its candidates' pooled errors for the options of fo (*closed is bl_free'd by the caller). */
static int learn_shop(size_t nskus, const double *units, const bool *in_stock, size_t window,
                      int64_t first_day, const struct bl_app_stock_opts *o,
                      const struct bl_fc_opts *fo, bool **closed, struct bl_fc_shop *shop,
                      struct bl_diag *d)
{
    struct bl_fc_series *s = bl_calloc(nskus ? nskus : 1, sizeof(*s));
    double *scratch = bl_calloc(window + 1, sizeof(double));
    *closed = bl_calloc(window ? window : 1, sizeof(bool));
    int rc = s && scratch && *closed ? BL_OK : bl_diag_set(d, BL_ENOMEM, "out of memory");
    for (size_t k = 0; !rc && k < nskus; k++)
        s[k] = (struct bl_fc_series){units + k * window, in_stock ? in_stock + k * window : NULL,
                                     window, first_day, market_of(o, k)};
    if (!rc)
        rc = bl_fc_shop_learn(s, nskus, first_day, window, *closed, scratch, shop, d);
    if (!rc)
        rc = bl_fc_shop_events(s, nskus, fo, shop, d);
    if (!rc && fo->model == BL_FC_AUTO)
        rc = bl_fc_shop_pool(s, nskus, fo, shop, d);
    bl_free(s);
    bl_free(scratch);
    return rc;
}

int bl_app_stock_forecast_all(size_t nskus, const double *units, const bool *in_stock,
                              size_t window, int64_t first_day, const struct bl_app_stock_opts *o,
                              struct bl_rp_sku *rp, enum bl_fc_model *model, struct bl_diag *d)
{
    struct bl_fc_shop shop;
    bool *closed = NULL;
    struct bl_diag ld;
    struct bl_fc_opts fo;
    stock_fc_opts(o, NULL, &fo);
    int rc = learn_shop(nskus, units, in_stock, window, first_day, o, &fo, &closed, &shop, &ld);
    if (rc) {
        bl_free(closed);
        if (d)
            *d = ld;
        return rc;
    }
    size_t nt = o->threads < 1 ? 1 : o->threads > 64 ? 64 : o->threads;
    if (nt > nskus)
        nt = nskus ? nskus : 1;
    struct fc_job jobs[64];
    pthread_t tid[64];
    bool started[64] = {false};
    for (size_t t = 0; t < nt; t++) {
        jobs[t] = (struct fc_job){t,     nt, nskus, window, &shop, units, in_stock, first_day,
                                  o,     rp, model, 0,      {0}};
        if (t > 0)
            started[t] = pthread_create(&tid[t], NULL, fc_worker, &jobs[t]) == 0;
    }
    fc_worker(&jobs[0]);
    rc = jobs[0].rc;
    struct bl_diag *fd = &jobs[0].d;
    for (size_t t = 1; t < nt; t++) {
        if (started[t])
            pthread_join(tid[t], NULL);
        else
            fc_worker(&jobs[t]);
        if (!rc && jobs[t].rc) {
            rc = jobs[t].rc;
            fd = &jobs[t].d;
        }
    }
    bl_free(closed);
    if (rc && d)
        *d = *fd;
    return rc;
}

/* ---------------------------------------------------------------- the day */

static int plan_day(struct bl_app_stock_day *day, struct bl_diag *d)
{
    struct bl_stock_snap *s = &day->snap;
    day->model = bl_arena_alloc(&s->arena, (s->nskus ? s->nskus : 1) * sizeof(*day->model));
    day->plans = bl_arena_alloc(&s->arena, (s->nskus ? s->nskus : 1) * sizeof(*day->plans));
    if (!day->model || !day->plans)
        return bl_diag_set(d, BL_ENOMEM, "planning: out of memory");
    memset(day->model, 0, (s->nskus ? s->nskus : 1) * sizeof(*day->model));
    memset(day->plans, 0, (s->nskus ? s->nskus : 1) * sizeof(*day->plans));
    double t1 = now_secs();
    int rc = bl_app_stock_forecast_all(s->nskus, s->units, s->in_stock, s->window, s->first_day,
                                       &day->opts, s->rp_skus, day->model, d);
    double t2 = now_secs();
    if (!rc) {
        struct bl_rp_input in = {day->opts.as_of, day->opts.policy, s->sup,     s->nsup,
                                 s->dis,          s->ndis,          s->rp_skus, s->nskus};
        rc = bl_rp_plan(&in, &s->arena, day->plans, d);
    }
    day->secs_forecast = t2 - t1;
    day->secs_plan = now_secs() - t2;
    if (rc == BL_ENOMEM && d && !d->code)
        bl_diag_set(d, BL_ENOMEM, "planning: out of memory");
    return rc;
}

/* Each disruption's region as a person reads it: its ISO 3166 name and code, or the code
 * alone when the name is unknown (or Debian's iso-codes is missing: alerts still work). */
static int name_places(struct bl_app_stock_day *day, struct bl_diag *d)
{
    struct bl_stock_snap *s = &day->snap;
    if (!s->ndis)
        return BL_OK;
    day->dis_place = bl_arena_alloc(&s->arena, s->ndis * sizeof(*day->dis_place));
    if (!day->dis_place)
        return bl_diag_set(d, BL_ENOMEM, "out of memory");
    const struct bl_places *p = NULL; /* the process's, shared (places.h) */
    struct bl_diag ig;
    bl_diag_clear(&ig);
    if (bl_places_shared(&p, &ig) != BL_OK)
        p = NULL;
    for (size_t i = 0; i < s->ndis; i++) {
        const char *code = s->dis[i].region;
        char name[160], both[200];
        if (p && code[0] && bl_places_name(p, code, "en", name, sizeof(name), &ig) == BL_OK)
            snprintf(both, sizeof(both), "%s (%s)", name, code);
        else
            snprintf(both, sizeof(both), "%s", code[0] ? code : "everywhere");
        day->dis_place[i] = bl_arena_strndup(&s->arena, both, strlen(both));
        if (!day->dis_place[i])
            return bl_diag_set(d, BL_ENOMEM, "out of memory");
    }
    return BL_OK;
}

int bl_app_stock_day_open(struct bl_store *st, int64_t org, const struct bl_app_stock_opts *o,
                          struct bl_app_stock_day *day, struct bl_diag *d)
{
    memset(day, 0, sizeof(*day));
    day->org = org;
    day->l10n = bl_l10n_open(); /* NULL: each amount formatted uncached, still right */
    day->opts = *o;
    day->pb = o->pb;
    struct bl_stock_load_opts lo = {o->as_of, o->window, o->playbook, o->default_supplier};
    double t0 = now_secs();
    int rc = bl_app_events_load(o->events_path, &day->events, d);
    if (!rc) {
        day->opts.events = day->events.ev;
        day->opts.nevents = day->events.n;
        rc = bl_store_stock_load(st, org, &lo, &day->snap, d);
    }
    if (!rc)
        day->opts.market = day->snap.market;
    day->secs_load = now_secs() - t0;
    for (int k = 0; !rc && k < BL_PB_NKINDS; k++)
        if (day->snap.policy_set[k])
            day->pb.mode[k] = day->snap.policy_mode[k];
    if (!rc)
        rc = name_places(day, d);
    if (!rc)
        rc = plan_day(day, d);
    return rc;
}

void bl_app_stock_day_close(struct bl_app_stock_day *day)
{
    bl_stock_snap_release(&day->snap);
    bl_events_release(&day->events);
    bl_l10n_close(day->l10n);
    memset(day, 0, sizeof(*day));
}
