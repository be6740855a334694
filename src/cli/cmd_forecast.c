/* cmd_forecast.c - `ballast forecast`: daily demand forecasts per SKU from a sales
 * history CSV or the store, lead-time quantiles for safety stock, and holdout accuracy
 * per model. The use cases are in src/app/forecast.c, the models in
 * src/engine/forecast*.c; this file parses and prints. */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app/forecast.h"
#include "ballast/forecast.h"
#include "ballast/time.h"
#include "cli.h"
#include "out.h"
#include "progress.h"

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
    int dp; /* decimals of a number that is not whole, in a table for a person */
};

static void emit_begin(struct emit *e, struct bl_cli *cli, const char *const *cols, size_t ncols)
{
    e->cli = cli;
    e->cols = cols;
    e->ncols = ncols;
    e->nrows = 0;
    e->dp = 4;
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
                snprintf(num[i], sizeof(num[i]), "%.*f", c[i].whole ? 0 : e->dp, c[i].v);
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

/* On stderr: how many SKUs' forecasts span an event their history never showed (no
 * uplift learnt, none applied), naming the earliest such event day of any SKU. The name
 * is the calendar's, underscores read as spaces and each word capitalised
 * ("black_friday": "Black Friday"). */
static void note_unseen_events(struct bl_cli *cli, const struct bl_app_forecast_res *res)
{
    size_t n = 0;
    const struct bl_fc_result *first = NULL;
    for (size_t k = 0; k < res->n; k++) {
        const struct bl_fc_result *r = &res->skus[k].r;
        if (!r->unseen_events)
            continue;
        n++;
        if (!first || r->unseen_day < first->unseen_day)
            first = r;
    }
    if (!n)
        return;
    char name[64], day[BL_ISO_MAX];
    size_t len = first->unseen_event.len < sizeof(name) - 1 ? first->unseen_event.len
                                                             : sizeof(name) - 1;
    for (size_t i = 0; i < len; i++) {
        char c = first->unseen_event.ptr[i];
        c = c == '_' ? ' ' : (unsigned char)c < 0x20 || c == 0x7f ? '?' : c;
        if ((i == 0 || name[i - 1] == ' ') && c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        name[i] = c;
    }
    name[len] = '\0';
    fprintf(cli->err,
            "ballast forecast: the %s of %zu SKU%s %s an event %s history never showed (first: "
            "%s on %s): no uplift is learnt for it, none is applied\n",
            n == 1 ? "forecast" : "forecasts", n, n == 1 ? "" : "s", n == 1 ? "spans" : "span",
            n == 1 ? "its" : "their", name, bl_date_format(first->unseen_day, day));
}

static int print_forecast(struct bl_cli *cli, const struct bl_app_forecast_res *res, bool lead_only)
{
    static const char *const cols[] = {"sku", "date", "forecast", "p50", "p90", "p95", "model"};
    static const char *const lt_cols[] = {"sku", "model", "lead_time", "mean", "p50", "p90", "p95"};
    struct emit e;
    emit_begin(&e, cli, lead_only ? lt_cols : cols, 7);
    if (cli->format == BL_FMT_TABLE) /* units to a hundredth: a sparse SKU's 0.04 shows */
        e.dp = 2;
    int rc = 0;
    for (size_t k = 0; !rc && k < res->n; k++) {
        const char *sku = res->skus[k].sku;
        const struct bl_fc_result *r = &res->skus[k].r;
        const char *model = bl_fc_model_name(r->model);
        if (lead_only) {
            struct cell c[7] = {
                {sku, 0, 0},           {model, 0, 0},        {NULL, (double)r->lead_time, true},
                {NULL, r->lt_mean, 0}, {NULL, r->lt_p50, 0}, {NULL, r->lt_p90, 0},
                {NULL, r->lt_p95, 0}};
            rc = emit_row(&e, c);
        }
        for (size_t j = 0; !lead_only && !rc && j < r->horizon; j++) {
            char date[BL_ISO_MAX];
            bl_date_format(r->first_day + (int64_t)j, date);
            struct cell c[7] = {{sku, 0, 0},          {date, 0, 0},         {NULL, r->point[j], 0},
                                {NULL, r->p50[j], 0}, {NULL, r->p90[j], 0}, {NULL, r->p95[j], 0},
                                {model, 0, 0}};
            rc = emit_row(&e, c);
        }
    }
    int rc2 = emit_end(&e);
    if (rc || rc2) {
        struct bl_diag d;
        bl_diag_clear(&d);
        bl_diag_set(&d, rc ? rc : rc2, "out of memory writing the output");
        return bl_cli_fail(cli, &d);
    }
    note_unseen_events(cli, res);
    return 0;
}

/* ---- holdout accuracy -------------------------------------------------------------- */

/* With --lead-time: auto's lead-time quantiles against the held-out totals. */
static int emit_lead_time(struct emit *e, const struct bl_app_holdout_res *res, size_t lead)
{
    static const char *const names[3] = {"p50", "p90", "p95"};
    int rc = 0;
    for (int i = 0; !rc && i < 3; i++) {
        struct cell c[6] = {{names[i], 0, 0},
                            {NULL, (double)lead, true},
                            {NULL, (double)res->used, true},
                            {NULL, res->lt_cover[i], 0},
                            {NULL, res->lt_pinball[i], 0},
                            {NULL, res->lt_cover_mid[i], 0}};
        rc = emit_row(e, c);
    }
    return rc;
}

static int print_holdout(struct bl_cli *cli, const struct bl_app_holdout_res *res, size_t lead)
{
    static const char *const cols[] = {"model", "series", "rmsse", "mase", "chosen"};
    static const char *const lt_cols[] = {"quantile", "lead_time", "series", "coverage",
                                          "pinball",  "coverage_mid"};
    struct emit e;
    emit_begin(&e, cli, lead ? lt_cols : cols, lead ? 6 : 5);
    int rc = lead ? emit_lead_time(&e, res, lead) : 0;
    for (int m = 0; !lead && !rc && m < BL_FC_NMODELS; m++) {
        struct cell c[5] = {{bl_fc_model_name((enum bl_fc_model)m), 0, 0},
                            {NULL, (double)res->used, true},
                            {NULL, res->rmsse[m], 0},
                            {NULL, res->mase[m], 0},
                            {NULL, (double)res->chosen[m], true}};
        rc = emit_row(&e, c);
    }
    if (emit_end(&e) || rc) {
        struct bl_diag d;
        bl_diag_clear(&d);
        bl_diag_set(&d, BL_ENOMEM, "out of memory writing the output");
        return bl_cli_fail(cli, &d);
    }
    if (res->skipped)
        fprintf(cli->err,
                "ballast forecast: %zu SKU%s not scored (never sold before the holdout, "
                "constant history, or out of stock all holdout)\n",
                res->skipped, res->skipped == 1 ? "" : "s");
    return 0;
}

/* The organisation has no sales in the store: say so, and how to give it some. */
static int no_sales(struct bl_cli *cli, struct bl_diag *d)
{
    char org[96] = "";
    if (strcmp(cli->org, "default") != 0)
        snprintf(org, sizeof(org), "--org %.80s ", cli->org);
    bl_diag_clear(d);
    bl_diag_set(d, BL_EEMPTY,
                "organisation '%.80s' has no sales history in the store: import daily "
                "sales with 'ballast %simport sales FILE' (sku,date,units; docs/formats.md) "
                "or orders with 'ballast %simport orders FILE' (without daily sales, their "
                "units are the sales), or forecast a file with --input FILE",
                cli->org, org, org);
    return bl_cli_fail(cli, d);
}

/* The history came from the orders (no daily sales imported): say so, once. */
static void note_orders(struct bl_cli *cli, bool from_orders)
{
    if (from_orders)
        fprintf(cli->err, "ballast forecast: no daily sales imported: the history is the units "
                          "of the orders by the day each was placed (docs/formats.md, sales)\n");
}

/* Runs the forecast or the holdout on st (NULL with --input) and prints it. */
static int run(struct bl_cli *cli, struct bl_store *st, int64_t org,
               const struct bl_app_forecast_req *req, size_t holdout, bool lead_only)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    if (holdout) {
        struct bl_app_holdout_req hreq = {*req, holdout};
        struct bl_app_holdout_res hres;
        int rc = bl_app_forecast_holdout(st, org, &hreq, &hres, &d);
        bl_progress_end(req->progress_ctx);
        note_orders(cli, hres.from_orders && !hres.no_sales);
        if (rc == BL_EINVAL && hres.ndays && hres.ndays <= holdout)
            bl_diag_set(&d, rc, "--holdout %zu: the history has only %zu day%s", holdout,
                        hres.ndays, hres.ndays == 1 ? "" : "s");
        if (rc && hres.no_sales)
            return no_sales(cli, &d);
        return rc ? bl_cli_fail(cli, &d) : print_holdout(cli, &hres, req->fc.lead_time);
    }
    struct bl_app_forecast_res res;
    int rc = bl_app_forecast(st, org, req, &res, &d);
    bl_progress_end(req->progress_ctx);
    note_orders(cli, res.from_orders && !res.no_sales);
    if (rc && res.no_sales)
        rc = no_sales(cli, &d);
    else
        rc = rc ? bl_cli_fail(cli, &d) : print_forecast(cli, &res, lead_only);
    bl_app_forecast_res_release(&res);
    return rc;
}

/* --market: two-letter country codes separated by spaces, upper-cased into out. */
static int parse_market(const char *in, char *out, size_t cap)
{
    size_t n = 0, run = 0;
    for (const char *p = in;; p++) {
        if (*p == ' ' || *p == '\0') {
            if (run && run != 2)
                return -1;
            if (*p == '\0')
                break;
            run = 0;
            if (n && out[n - 1] != ' ' && n + 1 < cap)
                out[n++] = ' ';
            continue;
        }
        char c = *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
        if (c < 'A' || c > 'Z' || n + 2 > cap)
            return -1;
        out[n++] = c;
        run++;
    }
    while (n && out[n - 1] == ' ')
        n--;
    out[n] = '\0';
    return n ? 0 : -1;
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
        {"as-of", required_argument, NULL, 'a'},
        {"tz", required_argument, NULL, 'z'},
        {"sku", required_argument, NULL, 'k'},
        {"threads", required_argument, NULL, 't'},
        {"market", required_argument, NULL, 'M'},
        {NULL, 0, NULL, 0},
    };
    char market[64] = "";
    struct bl_fc_opts o;
    bl_fc_opts_init(&o);
    const char *input = NULL, *events = NULL, *as_of = NULL, *tz = NULL, *sku = NULL;
    size_t holdout = 0, lead = 0, seed = 1, threads = 0;
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
        case 't':
            rc = parse_size(cli, "--threads", optarg, 1, 8, &threads);
            break;
        case 'm':
            if (bl_fc_model_parse(bl_str_c(optarg), &o.model, &d))
                rc = usage(cli, "--model: %s", d.msg);
            break;
        case 'e':
            events = optarg;
            break;
        case 'a':
            as_of = optarg;
            break;
        case 'z':
            tz = optarg;
            break;
        case 'k':
            sku = optarg;
            break;
        case 'M':
            if (parse_market(optarg, market, sizeof(market)))
                rc = usage(cli, "--market '%.40s': expected two-letter country codes separated "
                                "by spaces, such as GB or \"GB CN\"",
                           optarg);
            break;
        case 'f':
            rc = bl_cli_set_format(cli, optarg);
            break;
        default:
            return bl_cli_bad_option(cli, "forecast", argv, longopts);
        }
        if (rc)
            return rc;
    }
    if (optind < argc)
        return usage(cli, "unexpected argument '%s'", argv[optind]);

    o.seed = (uint64_t)seed;
    if (lead) {
        if (lead > o.horizon)
            o.horizon = lead;
        o.lead_time = lead;
    }

    struct bl_progress prog;
    bl_progress_init(&prog, cli, holdout ? "scoring" : "forecasting", "SKUs");
    struct bl_app_forecast_req req = {.input = input, .events = events, .fc = o, .sku = sku,
                                      .threads = threads, .market = market[0] ? market : NULL};
    if (as_of && bl_cli_as_of_day(cli, "forecast", as_of, tz, &req.until))
        return 2;
    req.has_until = as_of != NULL;
    if (bl_progress_on(&prog)) {
        req.progress = bl_progress_cb;
        req.progress_ctx = &prog;
    }
    if (input)
        return run(cli, NULL, 0, &req, holdout, lead > 0);
    struct bl_store *st; /* the store's own sales history (table sales_daily) */
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    rc = run(cli, st, org, &req, holdout, lead > 0);
    bl_store_close(st);
    return rc;
}
