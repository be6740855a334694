/* forecast_fuzz.c - libFuzzer target for the forecaster and its CSV readers.
 *
 * The first byte picks what the rest is:
 *   0 mod 3  a sales history CSV (bl_history_parse), then every SKU forecast when
 *            the history is small enough to stay fast;
 *   1 mod 3  a series: a header of 3 bytes (model, horizon, lead time), then one byte
 *            per day (low 6 bits = units, top bit = out of stock), and every 16th
 *            day an event (some of region "CN US", the series' market GB or unknown);
 *   2 mod 3  an event calendar CSV (bl_events_parse).
 *            With bit 6 of the model byte, also as a shop of two SKUs (the series and its
 *            second half: pooled profile, event uplifts, errors, lead-time quantiles).
 * Besides no crash, leak or undefined behaviour it checks: errors come with a message;
 * forecasts are finite and >= 0; quantiles are ordered; point and auto choice agree
 * with bl_fc_point and bl_fc_select.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "ballast/forecast.h"
#include "ballast/history.h"

static void check_result(const struct bl_fc_result *r, size_t h)
{
    if (r->horizon != h || (unsigned)r->model >= BL_FC_NMODELS || r->model == BL_FC_AUTO)
        __builtin_trap();
    for (size_t j = 0; j < h; j++) {
        double v[4] = {r->point[j], r->p50[j], r->p90[j], r->p95[j]};
        for (int i = 0; i < 4; i++)
            if (!isfinite(v[i]) || v[i] < 0)
                __builtin_trap();
        if (r->p50[j] > r->p90[j] + 1e-9 * (1 + r->p90[j]) ||
            r->p90[j] > r->p95[j] + 1e-9 * (1 + r->p95[j]))
            __builtin_trap();
    }
    if (!isfinite(r->lt_mean) || r->lt_p50 > r->lt_p90 + 1e-9 * (1 + r->lt_p90) ||
        r->lt_p90 > r->lt_p95 + 1e-9 * (1 + r->lt_p95))
        __builtin_trap();
}

static void run(const struct bl_fc_series *s, const struct bl_fc_opts *o)
{
    struct bl_arena a = BL_ARENA_INIT;
    struct bl_fc_result r;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_fc_forecast(s, o, &a, &r, &d);
    if (rc < 0 && (d.code != rc || !d.msg[0]))
        __builtin_trap();
    if (rc == 0) {
        check_result(&r, o->horizon);
        double fc[64];
        size_t h = o->horizon < 64 ? o->horizon : 64;
        enum bl_fc_model m = o->model;
        if (m == BL_FC_AUTO && bl_fc_select(s, o, &a, &m, &d))
            __builtin_trap();
        if (r.history && m != r.model && o->model == BL_FC_AUTO)
            __builtin_trap(); /* fallbacks aside, auto reports its choice */
        /* with a pooled shop auto's profile has the shop's constant, the model alone not */
        bool pooled = o->shop && o->shop->pooled_skus && o->model == BL_FC_AUTO;
        if (bl_fc_point(s, pooled ? BL_FC_AUTO : r.model, o, &a, fc, h, &d))
            __builtin_trap();
        for (size_t j = 0; j < h; j++)
            if (fabs(fc[j] - r.point[j]) > 1e-6 * (1 + fabs(r.point[j])))
                __builtin_trap();
    }
    bl_arena_release(&a);
}

/* A shop of two SKUs, the series and its second half: the pooled profile, event uplifts,
 * errors and lead-time quantiles learnt from them, then both forecast with the shop. */
static void run_shop(const struct bl_fc_series *s, struct bl_fc_opts *o)
{
    size_t half = s->n / 2;
    struct bl_fc_series two[2] = {*s, {s->units + half, s->in_stock ? s->in_stock + half : NULL,
                                       s->n - half, s->first_day + (int64_t)half,
                                       BL_STR("CN")}};
    static bool closed[1000];
    static double scratch[1001];
    static struct bl_fc_shop shop;
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_fc_shop_learn(two, 2, s->first_day, s->n, closed, scratch, &shop, &d) ||
        bl_fc_shop_events(two, 2, o, &shop, &d) || bl_fc_shop_pool(two, 2, o, &shop, &d))
        __builtin_trap(); /* valid series: nothing to refuse */
    o->shop = &shop;
    run(&two[0], o);
    run(&two[1], o);
    o->shop = NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct bl_diag d;
    bl_diag_clear(&d);
    const char *text = (const char *)data + 1;
    struct bl_fc_opts o;
    bl_fc_opts_init(&o);
    o.nsims = 50;
    if (data[0] % 3 == 0) {
        struct bl_history h;
        int rc = bl_history_parse(&h, text, size - 1, &d);
        if (rc < 0 && (d.code != rc || !d.msg[0]))
            __builtin_trap();
        if (rc == 0) {
            if (!h.nskus || !h.ndays)
                __builtin_trap();
            o.horizon = 7;
            for (size_t k = 0; h.nskus * h.ndays <= 1000 && k < h.nskus; k++) {
                struct bl_fc_series s = {h.units[k], h.in_stock ? h.in_stock[k] : NULL, h.ndays,
                                         h.first_day, BL_STR("")};
                run(&s, &o);
            }
            bl_history_release(&h);
        }
    } else if (data[0] % 3 == 1) {
        if (size < 4)
            return 0;
        size_t n = size - 4;
        if (n > 400) /* long series only cost time: auto refits ~50 models */
            n = 400;
        double units[1000];
        bool stock[1000];
        struct bl_fc_event ev[64];
        size_t nev = 0;
        for (size_t i = 0; i < n; i++) {
            units[i] = (double)(data[4 + i] & 0x3F);
            stock[i] = !(data[4 + i] & 0x80);
            if (i % 16 == 15 && nev < 64)
                ev[nev++] = (struct bl_fc_event){20000 + (int64_t)(data[4 + i] & 0x7F) * 9,
                                                 (data[4 + i] & 1) ? BL_STR("a") : BL_STR("b"),
                                                 (data[4 + i] & 2) ? BL_STR("CN US") : BL_STR("")};
        }
        o.model = (enum bl_fc_model)(data[1] % BL_FC_NMODELS);
        o.horizon = 1 + data[2] % 60;
        o.lead_time = data[3] % (o.horizon + 1);
        o.events = ev;
        o.nevents = nev;
        o.seed = data[3];
        /* the series' market: unknown, or one that some events (CN US) do not concern */
        struct bl_fc_series s = {units, (data[1] & 0x80) ? stock : NULL, n, 20000,
                                 (data[3] & 0x40) ? BL_STR("GB") : BL_STR("")};
        run(&s, &o);
        if (data[1] & 0x40)
            run_shop(&s, &o);
    } else {
        struct bl_events e;
        int rc = bl_events_parse(&e, text, size - 1, &d);
        if (rc < 0 && (d.code != rc || !d.msg[0]))
            __builtin_trap();
        for (size_t i = 0; rc == 0 && i < e.n; i++)
            if (!e.ev[i].name.len)
                __builtin_trap();
        if (rc == 0)
            bl_events_release(&e);
    }
    return 0;
}
