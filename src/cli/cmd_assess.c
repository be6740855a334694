/* cmd_assess.c - `ballast assess`: per shop, the metrics a marketplace rates it on,
 * with declared disruptions and approved protections excluded (docs/metrics.md).
 *
 * The shell part: load a snapshot, run the engine (assess.h) for the window and
 * every window the profile's rules use, carry over rates for shops with too few
 * counted orders, store the results of this as-of and print them. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/assess_common.h"
#include "cli/cli.h"
#include "cli/out.h"

#include "ballast/profile.h"
#include "ballast/snapshot.h"
#include "ballast/time.h"

static const char *const cols[] = {
    "shop",           "profile",          "as_of",           "window_days",
    "due",            "exempt",           "counted",         "shipped_on_time",
    "late",           "on_time_rate",     "pickup_anomalies", "pickup_anomaly_rate",
    "delivery_due",   "delivery_exempt",  "delivery_counted", "delivered_late",
    "late_delivery_rate", "orders_placed", "seller_cancels",  "cancel_rate",
    "rating",         "carried_over",     "score",           "carried_from",
    "shipped"};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

/* What one shop's row says. */
struct shop_result {
    struct bl_shop_counts k;    /* over the window, as of A */
    struct bl_shop_rates rates; /* shown: A's, or the carried day's */
    double score;
    char rating[16];
    bool carried;
    int64_t carried_from; /* as-of instant of the carried day */
    bool enough;          /* counted >= min at A */
};

static void rate_text(double v, char *out, size_t cap)
{
    if (isnan(v))
        out[0] = '\0';
    else
        snprintf(out, cap, "%.4f", v);
}

/* Counters for every window the profile needs, per shop: allocated once per run and
 * reused by every day the carry-over recomputes. */
struct scratch {
    int windows[BL_RULES_MAX + 1];
    size_t nw;
    struct bl_shop_counts *k; /* nw * nshops */
};

static int scratch_init(struct bl_assess_run *r, struct scratch *sc)
{
    sc->nw = bl_assess_windows(r->profile, r->window, sc->windows);
    sc->k = bl_malloc((r->snap->nshops * sc->nw + 1) * sizeof(*sc->k));
    return sc->k ? BL_OK : BL_ENOMEM;
}

/* Counts for every window as of `at`, then the rating, for the shops not skipped. */
static void evaluate(struct bl_assess_run *r, struct scratch *sc, int64_t at, const bool *skip,
                     struct shop_result *res)
{
    size_t ns = r->snap->nshops;
    struct bl_shop_counts *k = sc->k;
    for (size_t w = 0; w < sc->nw; w++) {
        for (size_t s = 0; s < ns; s++) /* the pass adds to the shops it reads only */
            if (!skip || !skip[s])
                memset(&k[w * ns + s], 0, sizeof(*k));
        bl_assess_count(r->ctx, &r->snap->orders, r->profile, at, sc->windows[w], skip,
                        k + w * ns);
    }
    struct bl_shop_rates by_rule[BL_RULES_MAX];
    for (size_t s = 0; s < ns; s++) {
        if (skip && skip[s])
            continue;
        struct shop_result *x = &res[s];
        x->k = k[s];
        bl_assess_rates(&x->k, &x->rates);
        for (size_t q = 0; q < r->profile->nrules; q++) {
            int rw = r->profile->rules[q].window_days ? r->profile->rules[q].window_days
                                                      : r->window;
            size_t w = 0;
            while (sc->windows[w] != rw)
                w++;
            bl_assess_rates(&k[w * ns + s], &by_rule[q]);
        }
        bl_assess_rating(r->profile, by_rule, &x->score, x->rating);
        x->enough = x->k.counted >= r->profile->min_counted;
    }
}

/* Stored earlier days for shops short of counted orders at A. */
struct prev_ctx {
    struct bl_assess_run *r;
    struct shop_result *res;
    bool *short_of;
};

static int prev_row(void *vctx, const struct bl_row *row)
{
    struct prev_ctx *c = vctx;
    int64_t s = bl_snapshot_shop_index(c->r->snap, bl_row_int(row, 0));
    if (s < 0 || !c->short_of[s])
        return 0;
    struct bl_shop_counts k = {0};
    k.counted = bl_row_int(row, 2);
    k.on_time = bl_row_int(row, 3);
    k.late = bl_row_int(row, 4);
    k.shipped = bl_row_int(row, 5);
    k.pickup_anomalies = bl_row_int(row, 6);
    k.delivery_counted = bl_row_int(row, 7);
    k.delivered_late = bl_row_int(row, 8);
    k.placed = bl_row_int(row, 9);
    k.seller_cancels = bl_row_int(row, 10);
    struct shop_result *x = &c->res[s];
    bl_assess_rates(&k, &x->rates);
    x->score = bl_row_isnull(row, 11) ? NAN : (double)bl_row_int(row, 11) / 100.0;
    bl_str_copy(x->rating, sizeof(x->rating), bl_row_text(row, 12));
    x->carried = true;
    x->carried_from = bl_row_int(row, 1);
    c->short_of[s] = false;
    return 0;
}

/* Carry-over, for shops short of counted orders at A: the latest earlier day that
 * had enough. Days back to the profile's carry_days are recomputed from the
 * snapshot (so a disruption declared since counts); past that, the latest stored
 * result of an earlier run that had enough is used. */
static int carry_over(struct bl_assess_run *r, struct scratch *sc, struct shop_result *res,
                      struct bl_diag *d)
{
    size_t ns = r->snap->nshops, nshort = 0;
    bool *short_of = bl_calloc(ns + 1, sizeof(bool));
    bool *skip = bl_calloc(ns + 1, sizeof(bool));
    struct shop_result *old = bl_calloc(ns + 1, sizeof(*old));
    if (!short_of || !skip || !old) {
        bl_free(short_of);
        bl_free(skip);
        bl_free(old);
        return bl_diag_set(d, BL_ENOMEM, "assess: out of memory");
    }
    /* A shop with fewer orders in the snapshot than the minimum can have enough on no
     * day: it is not recomputed (only the stored results can carry it). */
    const size_t *off = r->snap->orders.shop_off;
    size_t nrecompute = 0;
    for (size_t s = 0; s < ns; s++) {
        nshort += short_of[s] = !r->skip[s] && !res[s].enough;
        skip[s] = !short_of[s] ||
                  (off && off[s + 1] - off[s] < (size_t)r->profile->min_counted);
        nrecompute += !skip[s];
    }
    int rc = BL_OK;
    for (int day = 1; !rc && nrecompute && day <= r->profile->carry_days; day++) {
        int64_t at = r->as_of - (int64_t)day * 86400;
        evaluate(r, sc, at, skip, old);
        for (size_t s = 0; s < ns; s++) {
            if (!short_of[s] || !old[s].enough)
                continue;
            res[s].rates = old[s].rates;
            res[s].score = old[s].score;
            memcpy(res[s].rating, old[s].rating, sizeof(res[s].rating));
            res[s].carried = true;
            res[s].carried_from = at;
            short_of[s] = false;
            skip[s] = true;
            nshort--;
            nrecompute--;
        }
    }
    if (!rc && nshort && r->st) {
        struct bl_val p[5] = {bl_val_int(r->org), bl_val_text(bl_str_c(r->profile->name)),
                              bl_val_int(r->window), bl_val_int(r->as_of),
                              bl_val_int(r->profile->min_counted)};
        struct prev_ctx pc = {r, res, short_of};
        /* Newest first: prev_row takes each shop's first row. */
        rc = bl_store_query(r->st,
                            "SELECT shop_id, as_of, counted, on_time, late, shipped,"
                            " pickup_anomalies, delivery_counted, delivered_late, placed,"
                            " seller_cancels, score_x100, rating FROM assessment"
                            " WHERE org_id = $1 AND profile = $2 AND window_days = $3"
                            " AND as_of < $4 AND carried_over = 0 AND counted >= $5"
                            " ORDER BY as_of DESC",
                            p, 5, prev_row, &pc, d);
    }
    /* Nothing to carry: no rating until the shop has enough counted orders. */
    for (size_t s = 0; s < ns; s++)
        if (short_of[s])
            res[s].rating[0] = '\0';
    bl_free(short_of);
    bl_free(skip);
    bl_free(old);
    return rc;
}

static const char *const store_cols[] = {
    "org_id",     "profile",          "window_days",  "shop_id",      "as_of",
    "due",        "exempt",           "counted",      "on_time",      "late",
    "shipped",    "pickup_anomalies", "delivery_due", "delivery_exempt", "delivery_counted",
    "delivered_late", "placed",       "seller_cancels", "score_x100", "rating",
    "carried_over", "carried_from",   "computed_at"};
#define NSTORE (sizeof(store_cols) / sizeof(store_cols[0]))

/* Replaces the results of this (profile, window, as_of) in one transaction. */
static int save(struct bl_assess_run *r, const struct shop_result *res, struct bl_diag *d)
{
    int rc = bl_store_begin(r->st, d);
    struct bl_val p[4] = {bl_val_int(r->org), bl_val_text(bl_str_c(r->profile->name)),
                          bl_val_int(r->window), bl_val_int(r->as_of)};
    if (!rc)
        rc = bl_store_exec(r->st,
                           "DELETE FROM assessment WHERE org_id = $1 AND profile = $2"
                           " AND window_days = $3 AND as_of = $4",
                           p, 4, NULL, d);
    struct bl_inserter *ins = NULL;
    if (!rc)
        rc = bl_inserter_open(r->st, "assessment", store_cols, NSTORE, &ins, d);
    int64_t now = bl_cli_now();
    for (size_t s = 0; !rc && s < r->snap->nshops; s++) {
        if (r->skip[s])
            continue;
        const struct shop_result *x = &res[s];
        const struct bl_shop_counts *k = &x->k;
        struct bl_val v[NSTORE] = {
            bl_val_int(r->org),
            bl_val_text(bl_str_c(r->profile->name)),
            bl_val_int(r->window),
            bl_val_int(r->snap->shops[s].id),
            bl_val_int(r->as_of),
            bl_val_int(k->due),
            bl_val_int(k->exempt),
            bl_val_int(k->counted),
            bl_val_int(k->on_time),
            bl_val_int(k->late),
            bl_val_int(k->shipped),
            bl_val_int(k->pickup_anomalies),
            bl_val_int(k->delivery_due),
            bl_val_int(k->delivery_exempt),
            bl_val_int(k->delivery_counted),
            bl_val_int(k->delivered_late),
            bl_val_int(k->placed),
            bl_val_int(k->seller_cancels),
            isnan(x->score) ? bl_val_null() : bl_val_int((int64_t)llround(x->score * 100)),
            bl_val_text(bl_str_c(x->rating)), /* "" when none: NOT NULL */
            bl_val_int(x->carried),
            x->carried ? bl_val_int(x->carried_from) : bl_val_null(),
            bl_val_int(now),
        };
        rc = bl_inserter_row(ins, v, (int64_t)s + 1, d);
    }
    rc = bl_inserter_end(ins, rc, d);
    if (!rc)
        rc = bl_store_commit(r->st, d);
    if (rc) {
        struct bl_diag ignore;
        if (bl_store_rollback(r->st, &ignore)) {
        }
    }
    return rc;
}

static int print(struct bl_cli *cli, struct bl_assess_run *r, const struct shop_result *res)
{
    struct bl_out out;
    bl_out_begin(&out, cli, cols, NCOLS);
    char asof[BL_ISO_MAX], from[BL_ISO_MAX], rates[6][16], score[16];
    bl_time_format(r->as_of, asof);
    int rc = BL_OK;
    for (size_t s = 0; !rc && s < r->snap->nshops; s++) {
        if (r->skip[s])
            continue;
        const struct shop_result *x = &res[s];
        const struct bl_shop_counts *k = &x->k;
        rate_text(x->rates.on_time, rates[0], sizeof(rates[0]));
        rate_text(x->rates.pickup_anomaly, rates[1], sizeof(rates[1]));
        rate_text(x->rates.late_delivery, rates[2], sizeof(rates[2]));
        rate_text(x->rates.cancel, rates[3], sizeof(rates[3]));
        if (isnan(x->score) || !x->rating[0])
            score[0] = '\0';
        else
            snprintf(score, sizeof(score), "%.1f", x->score);
        struct bl_val v[NCOLS] = {
            bl_val_text(bl_str_c(r->snap->shops[s].ext)),
            bl_val_text(bl_str_c(r->profile->name)),
            bl_val_text(bl_str_c(asof)),
            bl_val_int(r->window),
            bl_val_int(k->due),
            bl_val_int(k->exempt),
            bl_val_int(k->counted),
            bl_val_int(k->on_time),
            bl_val_int(k->late),
            bl_val_num(bl_str_c(rates[0])),
            bl_val_int(k->pickup_anomalies),
            bl_val_num(bl_str_c(rates[1])),
            bl_val_int(k->delivery_due),
            bl_val_int(k->delivery_exempt),
            bl_val_int(k->delivery_counted),
            bl_val_int(k->delivered_late),
            bl_val_num(bl_str_c(rates[2])),
            bl_val_int(k->placed),
            bl_val_int(k->seller_cancels),
            bl_val_num(bl_str_c(rates[3])),
            x->rating[0] ? bl_val_text(bl_str_c(x->rating)) : bl_val_null(),
            bl_val_int(x->carried),
            bl_val_num(bl_str_c(score)),
            x->carried ? bl_val_text(bl_str_c(bl_time_format(x->carried_from, from)))
                       : bl_val_null(),
            bl_val_int(k->shipped),
        };
        rc = bl_out_row(&out, v);
    }
    int erc = bl_out_end(&out);
    return rc ? rc : erc;
}

int bl_cmd_assess(struct bl_cli *cli, int argc, char **argv)
{
    struct bl_assess_args a;
    int urc = bl_assess_args_parse(cli, "assess", argc, argv, true, &a);
    if (urc)
        return urc;
    struct bl_assess_run r;
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_assess_run_open(cli, &a, &r, &d))
        return bl_cli_fail(cli, &d);
    int64_t only = a.shop ? bl_snapshot_shop_by_ext(r.snap, a.shop) : -1;
    if (a.explain) {
        int rc = bl_assess_explain(cli, &r, a.explain, only, &d);
        bl_assess_run_close(&r);
        return rc ? bl_cli_fail(cli, &d) : 0;
    }
    struct shop_result *res = bl_calloc(r.snap->nshops + 1, sizeof(*res));
    struct scratch sc = {{0}, 0, NULL};
    int rc = res ? scratch_init(&r, &sc) : BL_ENOMEM;
    if (rc)
        bl_diag_set(&d, rc, "assess: %s", bl_strerror(rc));
    if (!rc) {
        evaluate(&r, &sc, r.as_of, r.skip, res);
        rc = carry_over(&r, &sc, res, &d);
    }
    bl_free(sc.k);
    if (!rc && !a.dry_run)
        rc = save(&r, res, &d);
    if (!rc)
        rc = print(cli, &r, res);
    bl_free(res);
    bl_assess_run_close(&r);
    return rc ? bl_cli_fail(cli, &d) : 0;
}
