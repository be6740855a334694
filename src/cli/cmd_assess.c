/* cmd_assess.c - `ballast assess`: per shop, the metrics a marketplace rates it on,
 * with declared disruptions and approved protections excluded (docs/metrics.md).
 *
 * Parse the options, call the use case (src/app/assess.h: bl_app_assess, or
 * bl_app_assess_explain for --explain) and print its rows. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/assess_common.h"
#include "cli/cli.h"
#include "cli/out.h"

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

static void rate_text(double v, char *out, size_t cap)
{
    if (isnan(v))
        out[0] = '\0';
    else
        snprintf(out, cap, "%.4f", v);
}

static int print_row(struct bl_out *out, const char *asof, const struct bl_app_assess_shop *x)
{
    char from[BL_ISO_MAX], rates[4][16], score[16];
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
    };
    return bl_out_row(out, v);
}

static int print(struct bl_cli *cli, const struct bl_app_assess_res *res)
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
            "seller_cancels"};
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
        int erc = bl_assess_explain(cli, &a, as_of, st, org);
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
    else if ((rc = print(cli, &res)) != 0)
        status = bl_cli_fail(cli, &d);
    if (!status)
        say_changes(cli, &res);
    bl_app_assess_res_release(&res);
    if (!status)
        say_unrated(cli, st, org);
    bl_store_close(st);
    return status;
}
