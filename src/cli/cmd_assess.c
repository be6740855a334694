/* cmd_assess.c - `ballast assess`: per shop, the metrics a marketplace rates it on,
 * with declared disruptions and approved protections excluded (docs/metrics.md).
 *
 * Parse the options, call the use case (src/app/assess.h: bl_app_assess, or
 * bl_app_assess_explain for --explain) and print its rows. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app/digest.h"
#include "cli/assess_common.h"
#include "cli/cli.h"
#include "cli/out.h"

#include "ballast/time.h"

/* csv and json: every column (new ones at the end, so that readers by position keep
 * working). */
static const char *const cols[] = {
    "shop",           "profile",          "as_of",           "window_days",
    "due",            "exempt",           "counted",         "shipped_on_time",
    "late",           "on_time_rate",     "pickup_anomalies", "pickup_anomaly_rate",
    "delivery_due",   "delivery_exempt",  "delivery_counted", "delivered_late",
    "late_delivery_rate", "orders_placed", "seller_cancels",  "cancel_rate",
    "rating",         "carried_over",     "score",           "carried_from",
    "shipped",        "kept_on_time",     "kept_tracked",    "kept_delivered",
    "late_shipment_rate", "valid_tracking_rate", "status",  "breach",
    "at_risk"};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

static void rate_text(double v, char *out, size_t cap)
{
    if (isnan(v))
        out[0] = '\0';
    else
        snprintf(out, cap, "%.4f", v);
}

/* The rules of x in status st, as "metric:window_days,..." ("" none). */
static void rules_in(const struct bl_app_assess_shop *x, enum bl_rule_status st, char *out,
                     size_t cap)
{
    size_t at = 0;
    out[0] = '\0';
    for (size_t q = 0; x->rules_known && q < x->prof->nrules; q++) {
        if (x->rules[q].status != st)
            continue;
        int n = snprintf(out + at, cap - at, "%s%s:%d", at ? "," : "",
                         bl_metric_name(x->prof->rules[q].metric), x->rules[q].window_days);
        if (n < 0 || (size_t)n >= cap - at)
            break;
        at += (size_t)n;
    }
}

/* The shop's worst rule status ("" when its rules are not known). */
static const char *worst(const struct bl_app_assess_shop *x)
{
    enum bl_rule_status w = BL_RULE_NO_DATA;
    for (size_t q = 0; x->rules_known && q < x->prof->nrules; q++)
        if (x->rules[q].status > w)
            w = x->rules[q].status;
    return x->rules_known ? bl_rule_status_name(w) : "";
}

static int print_row(struct bl_out *out, const char *asof, const struct bl_app_assess_shop *x)
{
    char from[BL_ISO_MAX], rates[6][16], score[16], breach[256], risk[256];
    const struct bl_shop_counts *k = &x->k;
    rate_text(x->rates.on_time, rates[0], sizeof(rates[0]));
    rate_text(x->rates.pickup_anomaly, rates[1], sizeof(rates[1]));
    rate_text(x->rates.late_delivery, rates[2], sizeof(rates[2]));
    rate_text(x->rates.cancel, rates[3], sizeof(rates[3]));
    rate_text(x->rates.late_shipment, rates[4], sizeof(rates[4]));
    rate_text(x->rates.valid_tracking, rates[5], sizeof(rates[5]));
    rules_in(x, BL_RULE_BREACH, breach, sizeof(breach));
    rules_in(x, BL_RULE_AT_RISK, risk, sizeof(risk));
    if (isnan(x->score) || !x->rating[0])
        score[0] = '\0';
    else
        snprintf(score, sizeof(score), "%.1f", x->score);
    struct bl_val v[NCOLS] = {
        bl_val_text(bl_str_c(x->shop)),
        bl_val_text(bl_str_c(x->profile)),
        bl_val_text(bl_str_c(asof)),
        bl_val_int(x->window),
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
        bl_val_int(k->kept_on_time),
        bl_val_int(k->kept_tracked),
        bl_val_int(k->kept_delivered),
        bl_val_num(bl_str_c(rates[4])),
        bl_val_num(bl_str_c(rates[5])),
        bl_val_text(bl_str_c(worst(x))),
        bl_val_text(bl_str_c(breach)),
        bl_val_text(bl_str_c(risk)),
    };
    return bl_out_row(out, v);
}

static int print_rows(struct bl_cli *cli, const struct bl_app_assess_res *res)
{
    struct bl_out out;
    bl_out_begin(&out, cli, cols, NCOLS);
    char asof[BL_ISO_MAX];
    bl_time_format(res->as_of, asof);
    int rc = BL_OK;
    for (size_t s = 0; !rc && s < res->n; s++)
        rc = print_row(&out, asof, &res->shops[s]);
    int erc = bl_out_end(&out);
    return rc ? rc : erc;
}

/* ---- for people: a block per shop, a line per rule that needs attention ---------------- */

static void pad(FILE *f, const char *s, int w)
{
    fprintf(f, "%s%*s", s, w - (int)bl_out_width(s) + 2, "");
}

/* The lines under a shop: why it is not rated or carried, then its rules in breach and
 * at risk (status word, text). */
static void shop_lines(FILE *f, const struct bl_app_assess_shop *x, const char *tz)
{
    char at[96], why[200];
    long long n = (long long)(x->k.counted + x->k.kept_on_time);
    if (x->carried)
        fprintf(f, "  carried  the rating as of %s: %lld shipment%s to rate now, the profile needs "
                   "%lld\n",
                bl_cli_when(x->carried_from, tz, at, sizeof(at)), n, n == 1 ? "" : "s",
                (long long)x->prof->min_counted);
    for (int st = BL_RULE_BREACH; x->rules_known && st >= BL_RULE_AT_RISK; st--)
        for (size_t q = 0; q < x->prof->nrules; q++)
            if ((int)x->rules[q].status == st) {
                bl_assess_rule_why(&x->prof->rules[q], &x->rules[q], x->window, why,
                                   sizeof(why));
                fprintf(f, "  %-7s  %s\n", st == BL_RULE_BREACH ? "breach" : "at risk", why);
            }
}

/* Nothing to say: no order in the window and no rating carried. */
static bool quiet(const struct bl_app_assess_shop *x)
{
    return !x->carried && !x->k.due && !x->k.delivery_due && !x->k.placed;
}

/* Not rated (too few counted, nothing to carry): named together at the end. */
static bool unrated(const struct bl_app_assess_shop *x)
{
    return !quiet(x) && !x->rating[0];
}

static void say_unrated_shops(FILE *f, const struct bl_app_assess_res *res, size_t n)
{
    fprintf(f, "not rated, too few shipments to rate and no earlier rating (%zu; shipments in "
               "brackets):\n", n);
    int col = 0;
    size_t k = 0;
    for (size_t s = 0; s < res->n && k < 20; s++) {
        const struct bl_app_assess_shop *x = &res->shops[s];
        if (!unrated(x))
            continue;
        char one[160];
        int w = snprintf(one, sizeof(one), "%s (%lld)", x->shop,
                         (long long)(x->k.counted + x->k.kept_on_time));
        if (col && col + 2 + w > 100) {
            fputs(",\n", f);
            col = 0;
        } else if (col) {
            fputs(", ", f);
            col += 2;
        }
        if (!col) {
            fputs("  ", f);
            col = 2;
        }
        fputs(one, f);
        col += w;
        k++;
    }
    if (n > k)
        fprintf(f, "%s and %zu more", col + 16 > 100 ? "\n  " : "", n - k);
    fputc('\n', f);
}

/* The table for people: each shop by its id and name, its rating in words ("at risk",
 * "2 stars": the operator pack's), then the rules it misses. */
static void print_summary(struct bl_cli *cli, const struct bl_app_assess_res *res,
                          const char *tz, const struct bl_words *words)
{
    int w[4] = {4, 4, 7, 6};
    char r[64];
    for (size_t s = 0; s < res->n; s++) {
        const struct bl_app_assess_shop *x = &res->shops[s];
        if (quiet(x) || unrated(x))
            continue;
        bl_app_words_code(words, "ratings", x->rating[0] ? x->rating : "-", r, sizeof(r));
        int v[4] = {(int)bl_out_width(x->shop), (int)bl_out_width(x->name),
                    (int)bl_out_width(x->profile), (int)bl_out_width(r)};
        for (int c = 0; c < 4; c++)
            w[c] = v[c] > w[c] ? v[c] : w[c];
    }
    FILE *f = cli->out;
    pad(f, "shop", w[0]);
    pad(f, "name", w[1]);
    pad(f, "profile", w[2]);
    pad(f, "rating", w[3]);
    fprintf(f, "score  shipments\n");
    size_t idle = 0, nunrated = 0;
    for (size_t s = 0; s < res->n; s++) {
        const struct bl_app_assess_shop *x = &res->shops[s];
        if (quiet(x) || unrated(x)) {
            idle += quiet(x);
            nunrated += unrated(x);
            continue;
        }
        bl_app_words_code(words, "ratings", x->rating[0] ? x->rating : "-", r, sizeof(r));
        pad(f, x->shop, w[0]);
        pad(f, x->name, w[1]);
        pad(f, x->profile, w[2]);
        pad(f, r, w[3]);
        if (isnan(x->score) || !x->rating[0])
            fprintf(f, "%5s  ", "");
        else
            fprintf(f, "%5.1f  ", x->score);
        fprintf(f, "%lld counted, %lld exempt\n", (long long)x->k.counted,
                (long long)x->k.exempt);
        shop_lines(f, x, tz);
    }
    if (nunrated)
        say_unrated_shops(f, res, nunrated);
    if (idle)
        fprintf(f, "(%zu shop%s with no order in the window and no rating to carry: not listed; "
                   "--format csv lists every shop)\n",
                idle, idle == 1 ? "" : "s");
}

/* Results that replaced others with different counts: which counters moved, and the
 * shop's orders changed since the replaced one was computed (late updates). */
static void say_changes(struct bl_cli *cli, const struct bl_app_assess_res *res)
{
    for (size_t i = 0; i < res->nchanges; i++) {
        const struct bl_app_assess_change *c = &res->changes[i];
        const struct bl_app_assess_shop *sh = &res->shops[c->shop];
        const int64_t *was = &c->was.due, *now = &sh->k.due;
        static const char *const names[] = {
            "due",          "exempt",          "counted",          "on_time",
            "late",         "shipped",         "pickup_anomalies", "delivery_due",
            "delivery_exempt", "delivery_counted", "delivered_late", "placed",
            "seller_cancels", "kept_on_time", "kept_tracked", "kept_delivered"};
        _Static_assert(sizeof(struct bl_shop_counts) == sizeof(names) / sizeof(names[0]) * 8,
                       "one name per counter");
        char at[BL_ISO_MAX];
        fprintf(cli->err, "ballast: %s: the result computed at %s had other counts (", sh->shop,
                bl_time_format(c->computed_at, at));
        for (size_t k = 0, n = 0; k < sizeof(names) / sizeof(names[0]); k++)
            if (was[k] != now[k])
                fprintf(cli->err, "%s%s %lld -> %lld", n++ ? ", " : "", names[k],
                        (long long)was[k], (long long)now[k]);
        fprintf(cli->err, "); ");
        if (!c->norders) {
            fprintf(cli->err, "no order of the shop changed since: new orders, disruptions or "
                              "protections did\n");
            continue;
        }
        fprintf(cli->err, "orders changed since: ");
        for (size_t k = 0; k < c->norders; k++)
            fprintf(cli->err, "%s%s", k ? ", " : "", c->orders[k]);
        fprintf(cli->err, "%s\n", c->more ? " and more" : "");
    }
}

/* Which shops no profile rates, on stderr: a shop whose profile does not exist. */
static void say_unrated(struct bl_cli *cli, struct bl_store *st, int64_t org)
{
    struct bl_app_unrated_res u;
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_app_assess_unrated(st, org, &u, &d) == BL_OK) {
        for (size_t i = 0; i < u.n; i++) {
            fprintf(cli->err, "ballast: not rated: %zu shop%s with profile '%s', which does not "
                              "exist (add profiles/%s.json): ",
                    u.v[i].n, u.v[i].n == 1 ? "" : "s", u.v[i].profile, u.v[i].profile);
            for (size_t k = 0; k < u.v[i].n && k < 10; k++)
                fprintf(cli->err, "%s%s", k ? ", " : "", u.v[i].shops[k]);
            if (u.v[i].n > 10)
                fprintf(cli->err, " and %zu more", u.v[i].n - 10);
            fputc('\n', cli->err);
        }
    }
    bl_app_assess_unrated_release(&u);
}

/* --explain X: the shop X (unless --shop names another: then the order X in it), else
 * the order X. */
static int explain(struct bl_cli *cli, const struct bl_assess_args *a, int64_t as_of,
                   struct bl_store *st, int64_t org)
{
    if (a->shop && strcmp(a->shop, a->explain) != 0)
        return bl_assess_explain(cli, a, as_of, st, org);
    struct bl_app_assess_req req = {as_of, a->profile, a->window, a->explain, false,
                                    true,  0,          0,         NULL};
    struct bl_app_assess_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_assess(st, org, &req, &res, &d);
    int status;
    if (rc && res.problem == BL_APP_ASSESS_UNKNOWN_SHOP)
        status = bl_assess_explain(cli, a, as_of, st, org); /* not a shop: an order */
    else if (rc)
        status = bl_assess_fail(cli, a, res.problem, 0, &d);
    else if (res.n != 1) {
        say_unrated(cli, st, org); /* names the profile that does not exist */
        bl_diag_set(&d, BL_ENOTFOUND, "--explain %s: no rule profile rates this shop", a->explain);
        status = bl_cli_fail(cli, &d);
    }
    else
        status = bl_assess_explain_shop(cli, as_of, &res.shops[0]);
    bl_app_assess_res_release(&res);
    return status;
}

int bl_cmd_assess(struct bl_cli *cli, int argc, char **argv)
{
    struct bl_assess_args a;
    int urc = bl_assess_args_parse(cli, "assess", argc, argv, true, &a);
    if (urc)
        return urc;
    int64_t as_of = 0, org = 0;
    struct bl_store *st = NULL;
    if (bl_assess_open(cli, &a, &as_of, &st, &org))
        return 1;
    if (a.explain) {
        int erc = explain(cli, &a, as_of, st, org);
        bl_store_close(st);
        return erc;
    }
    struct bl_app_assess_req req = {as_of, a.profile, a.window, a.shop, a.all_shops,
                                    a.dry_run, 0, 0, NULL};
    struct bl_app_assess_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_assess(st, org, &req, &res, &d);
    int status = 0;
    if (rc)
        status = bl_assess_fail(cli, &a, res.problem, 0, &d);
    else if (cli->format != BL_FMT_TABLE)
        status = print_rows(cli, &res) ? bl_cli_fail(cli, &d) : 0;
    else if (a.shop)
        status = bl_assess_print_shop(cli, &a, as_of, st, org, &res);
    else {
        struct bl_words *words = NULL;
        if (bl_app_words_open(NULL, "en", &words, &d))
            status = bl_cli_fail(cli, &d);
        else
            print_summary(cli, &res, a.tz, words);
        bl_app_words_free(words);
    }
    if (!status)
        say_changes(cli, &res);
    bl_app_assess_res_release(&res);
    if (!status)
        say_unrated(cli, st, org);
    bl_store_close(st);
    return status;
}
