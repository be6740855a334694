/* cmd_forecast.c - `ballast forecast`: daily demand forecasts per SKU from a sales
 * history CSV, lead-time quantiles for safety stock, and holdout accuracy per model.
 * The models are in src/engine/forecast*.c; this file reads, loops and prints. */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ballast/forecast.h"
#include "ballast/history.h"
#include "ballast/time.h"
#include "cli.h"
#include "out.h"

#ifndef BL_DATA_DIR
#define BL_DATA_DIR "data"
#endif

static const char usage_text[] =
    "usage: ballast forecast [--input FILE] [--horizon H] [--model M] [--events FILE|none]\n"
    "                        [--lead-time L] [--seed S] [--sims N] [--format F]\n"
    "       ballast forecast --input FILE --holdout H [--model M] [--events FILE|none]\n"
    "\n"
    "  --input FILE     daily sales CSV: sku,date,units[,in_stock] (days absent are 0 sales);\n"
    "                   without it, the store's own sales history (table sales_daily)\n"
    "  --horizon H      days to forecast after the last date in the file (default 28)\n"
    "  --model M        auto (default), snaive, ses, damped, ets_seasonal, croston, sba,\n"
    "                   tsb or combo (docs/internals/forecast.md)\n"
    "  --events FILE    platform event calendar date,event (default data/events.csv;\n"
    "                   'none' for no events)\n"
    "  --lead-time L    print demand over the next L days per SKU (mean, p50, p90, p95)\n"
    "  --holdout H      hold out the last H days and print each model's RMSSE and MASE\n"
    "  --seed S, --sims N  bootstrap seed (default 1) and sample paths (default 1000)\n";

#define usage(cli, ...) bl_cli_usage((cli), "forecast", __VA_ARGS__)

static int parse_size(struct bl_cli *cli, const char *opt, const char *arg, size_t lo, size_t hi,
                      size_t *out)
{
    int64_t v;
    int rc = bl_cli_parse_int(cli, "forecast", opt, arg, (int64_t)lo, (int64_t)hi, &v);
    if (!rc)
        *out = (size_t)v;
    return rc;
}

/* ---- output: table and CSV through bl_out, JSON with real numbers ------------------ */

struct cell {
    const char *s; /* text, or NULL for the number v */
    double v;
    bool whole; /* v is a count: no decimals */
};

struct emit {
    struct bl_cli *cli;
    struct bl_out out;
    const char *const *cols;
    size_t ncols, nrows;
};

static void emit_begin(struct emit *e, struct bl_cli *cli, const char *const *cols, size_t ncols)
{
    e->cli = cli;
    e->cols = cols;
    e->ncols = ncols;
    e->nrows = 0;
    if (cli->format == BL_FMT_JSON)
        fputs("[", cli->out);
    else
        bl_out_begin(&e->out, cli, cols, ncols);
}

static int emit_row(struct emit *e, const struct cell *c)
{
    int rc = BL_OK;
    if (e->cli->format == BL_FMT_JSON) {
        json_t *obj = json_object();
        for (size_t i = 0; obj && !rc && i < e->ncols; i++) {
            json_t *j = c[i].s       ? json_string(c[i].s)
                        : c[i].whole ? json_integer((json_int_t)c[i].v)
                                     : json_real(round(c[i].v * 1e4) / 1e4);
            if (!j || json_object_set_new(obj, e->cols[i], j))
                rc = BL_ENOMEM;
        }
        char *s =
            obj && !rc
                ? json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12))
                : NULL;
        if (s)
            fprintf(e->cli->out, "%s\n%s", e->nrows ? "," : "", s);
        else
            rc = BL_ENOMEM;
        free(s);
        json_decref(obj);
    } else {
        char num[8][32];
        struct bl_val v[8];
        for (size_t i = 0; i < e->ncols && i < 8; i++) {
            if (!c[i].s)
                snprintf(num[i], sizeof(num[i]), c[i].whole ? "%.0f" : "%.4f", c[i].v);
            v[i] = bl_val_text(bl_str_c(c[i].s ? c[i].s : num[i]));
        }
        rc = bl_out_row(&e->out, v);
    }
    e->nrows++;
    return rc;
}

static int emit_end(struct emit *e)
{
    if (e->cli->format == BL_FMT_JSON) {
        fputs(e->nrows ? "\n]\n" : "]\n", e->cli->out);
        return BL_OK;
    }
    return bl_out_end(&e->out);
}

/* ---- forecasts --------------------------------------------------------------------- */

static int run_forecast(struct bl_cli *cli, const struct bl_history *h, struct bl_fc_opts *o,
                        bool lead_only)
{
    static const char *const cols[] = {"sku", "date", "forecast", "p50", "p90", "p95", "model"};
    static const char *const lt_cols[] = {"sku", "model", "lead_time", "mean", "p50", "p90", "p95"};
    struct emit e;
    emit_begin(&e, cli, lead_only ? lt_cols : cols, 7);
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = 0;
    for (size_t k = 0; !rc && k < h->nskus; k++) {
        struct bl_arena a = BL_ARENA_INIT;
        struct bl_fc_series s = {h->units[k], h->in_stock ? h->in_stock[k] : NULL, h->ndays,
                                 h->first_day};
        struct bl_fc_result r;
        rc = bl_fc_forecast(&s, o, &a, &r, &d);
        if (rc) {
            bl_arena_release(&a);
            char msg[128];
            snprintf(msg, sizeof(msg), "SKU '%.60s'", h->sku[k]);
            bl_diag_at(&d, NULL, 0, msg);
            break;
        }
        const char *model = bl_fc_model_name(r.model);
        if (lead_only) {
            struct cell c[7] = {
                {h->sku[k], 0, 0},    {model, 0, 0},       {NULL, (double)r.lead_time, true},
                {NULL, r.lt_mean, 0}, {NULL, r.lt_p50, 0}, {NULL, r.lt_p90, 0},
                {NULL, r.lt_p95, 0}};
            rc = emit_row(&e, c);
        }
        for (size_t j = 0; !lead_only && !rc && j < r.horizon; j++) {
            char date[BL_ISO_MAX];
            bl_date_format(r.first_day + (int64_t)j, date);
            struct cell c[7] = {{h->sku[k], 0, 0},   {date, 0, 0},        {NULL, r.point[j], 0},
                                {NULL, r.p50[j], 0}, {NULL, r.p90[j], 0}, {NULL, r.p95[j], 0},
                                {model, 0, 0}};
            rc = emit_row(&e, c);
        }
        if (rc && !d.code)
            bl_diag_set(&d, rc, "out of memory writing the output");
        bl_arena_release(&a);
    }
    int rc2 = emit_end(&e);
    if (rc)
        return bl_cli_fail(cli, &d);
    if (rc2) {
        bl_diag_set(&d, rc2, "out of memory writing the output");
        return bl_cli_fail(cli, &d);
    }
    return 0;
}

/* ---- holdout accuracy -------------------------------------------------------------- */

static int run_holdout(struct bl_cli *cli, const struct bl_history *h, struct bl_fc_opts *o,
                       size_t hold)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    if (h->ndays <= hold) {
        bl_diag_set(&d, BL_EINVAL, "--holdout %zu: the history has only %zu days", hold, h->ndays);
        return bl_cli_fail(cli, &d);
    }
    double rmsse[BL_FC_NMODELS] = {0}, mase[BL_FC_NMODELS] = {0};
    size_t chosen[BL_FC_NMODELS] = {0}, used = 0, skipped = 0;
    size_t ntrain = h->ndays - hold;
    o->horizon = hold;
    int rc = 0;
    double *fc = bl_calloc(hold, sizeof(double)), *act = bl_calloc(hold, sizeof(double));
    double *f2 = bl_calloc(hold, sizeof(double));
    if (!fc || !act || !f2)
        rc = bl_diag_set(&d, BL_ENOMEM, "out of memory");
    for (size_t k = 0; !rc && k < h->nskus; k++) {
        struct bl_arena a = BL_ARENA_INIT;
        const bool *stock = h->in_stock ? h->in_stock[k] : NULL;
        struct bl_fc_series s = {h->units[k], stock, ntrain, h->first_day};
        double acc_r[BL_FC_NMODELS], acc_m[BL_FC_NMODELS];
        enum bl_fc_model pick = BL_FC_AUTO;
        bool skip = false;
        rc = bl_fc_select(&s, o, &a, &pick, &d);
        for (int m = BL_FC_SNAIVE; !rc && !skip && m < BL_FC_NMODELS; m++) {
            rc = bl_fc_point(&s, (enum bl_fc_model)m, o, &a, fc, hold, &d);
            size_t n = 0;
            for (size_t j = 0; !rc && j < hold; j++)
                if (!stock || stock[ntrain + j]) { /* censored days have no demand to score */
                    act[n] = h->units[k][ntrain + j];
                    f2[n++] = fc[j];
                }
            struct bl_fc_accuracy acc;
            if (!rc && (!n || bl_fc_accuracy(h->units[k], ntrain, act, f2, n, &acc, NULL)))
                skip = true; /* never sold, constant history or no in-stock holdout day */
            else if (!rc) {
                acc_r[m] = acc.rmsse;
                acc_m[m] = acc.mase;
            }
        }
        if (rc) {
            char msg[128];
            snprintf(msg, sizeof(msg), "SKU '%.60s'", h->sku[k]);
            bl_diag_at(&d, NULL, 0, msg);
        } else if (skip) {
            skipped++;
        } else {
            used++;
            acc_r[BL_FC_AUTO] = acc_r[pick];
            acc_m[BL_FC_AUTO] = acc_m[pick];
            chosen[pick]++;
            chosen[BL_FC_AUTO]++;
            for (int m = 0; m < BL_FC_NMODELS; m++) {
                rmsse[m] += acc_r[m];
                mase[m] += acc_m[m];
            }
        }
        bl_arena_release(&a);
    }
    bl_free(fc);
    bl_free(act);
    bl_free(f2);
    if (rc)
        return bl_cli_fail(cli, &d);
    if (!used) {
        bl_diag_set(&d, BL_EEMPTY,
                    "no SKU can be scored: each was never sold before the holdout, has a "
                    "constant history or no in-stock day in the holdout");
        return bl_cli_fail(cli, &d);
    }
    static const char *const cols[] = {"model", "series", "rmsse", "mase", "chosen"};
    struct emit e;
    emit_begin(&e, cli, cols, 5);
    for (int m = 0; !rc && m < BL_FC_NMODELS; m++) {
        struct cell c[5] = {{bl_fc_model_name((enum bl_fc_model)m), 0, 0},
                            {NULL, (double)used, true},
                            {NULL, rmsse[m] / (double)used, 0},
                            {NULL, mase[m] / (double)used, 0},
                            {NULL, (double)chosen[m], true}};
        rc = emit_row(&e, c);
    }
    if (emit_end(&e) || rc) {
        bl_diag_set(&d, BL_ENOMEM, "out of memory writing the output");
        return bl_cli_fail(cli, &d);
    }
    if (skipped)
        fprintf(cli->err,
                "ballast forecast: %zu SKU(s) not scored (never sold before the holdout, "
                "constant history, or out of stock all holdout)\n",
                skipped);
    return 0;
}

int bl_cmd_forecast(struct bl_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"input", required_argument, NULL, 'i'},
        {"horizon", required_argument, NULL, 'H'},
        {"model", required_argument, NULL, 'm'},
        {"holdout", required_argument, NULL, 'o'},
        {"events", required_argument, NULL, 'e'},
        {"lead-time", required_argument, NULL, 'l'},
        {"seed", required_argument, NULL, 's'},
        {"sims", required_argument, NULL, 'n'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct bl_fc_opts o;
    bl_fc_opts_init(&o);
    const char *input = NULL, *events = NULL;
    size_t holdout = 0, lead = 0, seed = 1;
    struct bl_diag d;
    bl_diag_clear(&d);
#ifdef __GLIBC__
    optind = 0;
#else
    optind = 1;
#endif
    opterr = 0;
    int c, rc = 0;
    while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (c) {
        case 'i':
            input = optarg;
            break;
        case 'H':
            rc = parse_size(cli, "--horizon", optarg, 1, BL_FC_MAX_HORIZON, &o.horizon);
            break;
        case 'o':
            rc = parse_size(cli, "--holdout", optarg, 1, BL_FC_MAX_HORIZON, &holdout);
            break;
        case 'l':
            rc = parse_size(cli, "--lead-time", optarg, 1, BL_FC_MAX_HORIZON, &lead);
            break;
        case 's':
            rc = parse_size(cli, "--seed", optarg, 0, (size_t)INT64_MAX, &seed);
            break;
        case 'n':
            rc = parse_size(cli, "--sims", optarg, 10, BL_FC_MAX_SIMS, &o.nsims);
            break;
        case 'm':
            if (bl_fc_model_parse(bl_str_c(optarg), &o.model, &d))
                rc = usage(cli, "--model: %s", d.msg);
            break;
        case 'e':
            events = optarg;
            break;
        case 'f':
            rc = bl_cli_set_format(cli, optarg);
            break;
        case 'h':
            fputs(usage_text, cli->out);
            return 0;
        case ':':
            return usage(cli, "%s needs a value", argv[optind - 1]);
        default:
            return usage(cli, "unknown option '%s'", argv[optind - 1]);
        }
        if (rc)
            return rc;
    }
    if (optind < argc)
        return usage(cli, "unexpected argument '%s'", argv[optind]);

    /* Machines read pipes: CSV unless a format was asked for. */
    if (!cli->format_set && !isatty(fileno(cli->out)))
        cli->format = BL_FMT_CSV;
    o.seed = (uint64_t)seed;
    if (lead) {
        if (lead > o.horizon)
            o.horizon = lead;
        o.lead_time = lead;
    }

    struct bl_events ev;
    memset(&ev, 0, sizeof(ev));
    const char *ev_path = events;
    char def[1024];
    if (!ev_path) {
        const char *dir = getenv("BALLAST_DATA");
        snprintf(def, sizeof(def), "%s/events.csv", dir && *dir ? dir : BL_DATA_DIR);
        if (access(def, R_OK) == 0)
            ev_path = def;
    }
    if (ev_path && strcmp(ev_path, "none") != 0) {
        if (bl_events_read(&ev, ev_path, &d))
            return bl_cli_fail(cli, &d);
        o.events = ev.ev;
        o.nevents = ev.n;
    }
    struct bl_history h;
    if (input) {
        rc = bl_history_read(&h, input, &d);
    } else { /* the store's own sales history (table sales_daily) */
        struct bl_store *st;
        int64_t org;
        if (bl_cli_open(cli, false, &st, &org)) {
            bl_events_release(&ev);
            return 1;
        }
        rc = bl_history_load(&h, st, org, INT64_MIN, &d);
        bl_store_close(st);
    }
    if (rc) {
        bl_events_release(&ev);
        return bl_cli_fail(cli, &d);
    }
    rc = holdout ? run_holdout(cli, &h, &o, holdout) : run_forecast(cli, &h, &o, lead > 0);
    bl_history_release(&h);
    bl_events_release(&ev);
    return rc;
}
