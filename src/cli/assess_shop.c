/* assess_shop.c - one shop's assessment as a person reads it: each rule of its profile
 * with value, target, status and the orders behind it (`assess --shop S`), and the
 * arithmetic (`assess --explain SHOP`). docs/metrics.md defines the numbers. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/assess_common.h"
#include "cli/out.h"

#include "ballast/time.h"

const char *bl_assess_metric_words(enum bl_metric m)
{
    switch (m) {
    case BL_M_LATE_SHIPMENT:
        return "late shipment";
    case BL_M_ON_TIME:
        return "on-time shipment";
    case BL_M_PICKUP_ANOMALY:
        return "pickup anomaly";
    case BL_M_VALID_TRACKING:
        return "valid tracking";
    case BL_M_LATE_DELIVERY:
        return "late delivery";
    case BL_M_CANCEL:
        return "seller cancellation";
    case BL_M__COUNT:
        break;
    }
    return "?";
}

/* A rate as a percentage, one decimal ("87.1%"); "no data" for NaN. */
static void pct(double v, char *out, size_t cap)
{
    if (isnan(v))
        snprintf(out, cap, "no data");
    else
        snprintf(out, cap, "%.1f%%", v * 100);
}

/* A profile's threshold as a percentage, without trailing zeros ("95%", "2.5%"). */
static void limit_pct(double v, char *out, size_t cap)
{
    snprintf(out, cap, "%.2f", v * 100);
    char *dot = strchr(out, '.');
    if (dot) {
        char *e = out + strlen(out);
        while (e > dot + 1 && e[-1] == '0')
            *--e = '\0';
        if (e == dot + 1)
            *dot = '\0';
    }
    size_t n = strlen(out);
    if (n + 1 < cap) {
        out[n] = '%';
        out[n + 1] = '\0';
    }
}

static const char *status_words(enum bl_rule_status s)
{
    switch (s) {
    case BL_RULE_OK:
        return "ok";
    case BL_RULE_AT_RISK:
        return "at risk";
    case BL_RULE_BREACH:
        return "breach";
    case BL_RULE_NO_DATA:
        break;
    }
    return "no data";
}

void bl_assess_rule_label(const struct bl_rule *r, const struct bl_rule_result *x, int window,
                          char *out, size_t cap)
{
    if (x->window_days != window)
        snprintf(out, cap, "%s over %d days", bl_assess_metric_words(r->metric), x->window_days);
    else
        snprintf(out, cap, "%s", bl_assess_metric_words(r->metric));
}

/* The target as a person reads it: "≥ 95%", "< 4%", "none". */
static void target_text(const struct bl_rule *r, char *out, size_t cap)
{
    if (!r->has_target) {
        snprintf(out, cap, "none");
        return;
    }
    char t[20];
    limit_pct(r->target, t, sizeof(t));
    snprintf(out, cap, "%s %s", bl_metric_lower_better(r->metric) ? "<" : "≥", t);
}

void bl_assess_rule_why(const struct bl_rule *r, const struct bl_rule_result *x, int window,
                        char *out, size_t cap)
{
    char label[80], v[32], t[32];
    bl_assess_rule_label(r, x, window, label, sizeof(label));
    pct(x->value, v, sizeof(v));
    bool lower = bl_metric_lower_better(r->metric);
    out[0] = '\0';
    if (x->status == BL_RULE_BREACH && !r->has_target) {
        limit_pct(r->bad, t, sizeof(t));
        snprintf(out, cap, "%s %s %s %s: no points", label, v, lower ? "≥" : "≤", t);
    } else if (x->status == BL_RULE_BREACH) {
        limit_pct(r->target, t, sizeof(t));
        snprintf(out, cap, "%s %s %s %s target", label, v, lower ? "≥" : "<", t);
    } else if (x->status == BL_RULE_AT_RISK && r->has_target) {
        target_text(r, t, sizeof(t));
        snprintf(out, cap, "%s %s, target %s", label, v, t);
    } else if (x->status == BL_RULE_AT_RISK) {
        limit_pct(r->bad, t, sizeof(t));
        snprintf(out, cap, "%s %s, no points at %s", label, v, t);
    }
}

/* ---- assess --shop S ------------------------------------------------------------------ */

static int print_rules(struct bl_cli *cli, const struct bl_app_assess_shop *x)
{
    static const char *const cols[] = {"rule",   "days", "value",  "target", "status",
                                       "orders", "due",  "exempt", "kept",   "counted"};
    struct bl_out out;
    bl_out_begin(&out, cli, cols, 10);
    int rc = BL_OK;
    for (size_t q = 0; !rc && q < x->prof->nrules; q++) {
        const struct bl_rule *r = &x->prof->rules[q];
        const struct bl_rule_result *y = &x->rules[q];
        char label[80], v[32], t[32], of[64];
        bl_assess_rule_label(r, y, y->window_days, label, sizeof(label));
        pct(y->value, v, sizeof(v));
        target_text(r, t, sizeof(t));
        snprintf(of, sizeof(of), "%lld of %lld", (long long)y->num, (long long)y->den);
        struct bl_val row[10] = {
            bl_val_text(bl_str_c(label)),
            bl_val_int(y->window_days),
            bl_val_text(bl_str_c(v)),
            bl_val_text(bl_str_c(t)),
            bl_val_text(bl_str_c(status_words(y->status))),
            bl_val_text(bl_str_c(of)),
            bl_val_int(y->due),
            bl_val_int(y->exempt),
            bl_val_int(y->kept),
            bl_val_int(y->counted),
        };
        rc = bl_out_row(&out, row);
    }
    int erc = bl_out_end(&out);
    return rc ? rc : erc;
}

static const char *fail_words(enum bl_app_fail_why w)
{
    switch (w) {
    case BL_APP_FAIL_SHIPPED_LATE:
        return "shipped late";
    case BL_APP_FAIL_NOT_SHIPPED:
        return "not shipped";
    case BL_APP_FAIL_PICKUP_LATE:
        return "carrier scan late";
    case BL_APP_FAIL_NO_PICKUP:
        return "no carrier scan";
    case BL_APP_FAIL_DELIVERED_LATE:
        return "delivered late";
    case BL_APP_FAIL_NOT_DELIVERED:
        return "not delivered";
    case BL_APP_FAIL_SELLER_CANCEL:
        return "cancelled by the seller";
    }
    return "?";
}

/* The promise's name, per metric: the `due` column's meaning. */
static const char *due_words(enum bl_metric m)
{
    switch (m) {
    case BL_M_LATE_SHIPMENT:
    case BL_M_ON_TIME:
        return "ship by";
    case BL_M_PICKUP_ANOMALY:
    case BL_M_VALID_TRACKING:
        return "scan due";
    case BL_M_LATE_DELIVERY:
        return "deliver by";
    case BL_M_CANCEL:
    case BL_M__COUNT:
        break;
    }
    return "placed";
}

static int print_orders(struct bl_cli *cli, const struct bl_rule *r, const char *label,
                        const struct bl_app_rule_orders *ro)
{
    fprintf(cli->out, "\n%s: %lld order%s count%s against it%s\n", label, (long long)ro->total,
            ro->total == 1 ? "" : "s", ro->total == 1 ? "s" : "",
            ro->n < (size_t)ro->total ? ", the latest first" : "");
    if (!ro->n)
        return BL_OK;
    const char *cols[] = {"order", "problem", due_words(r->metric), "happened"};
    struct bl_out out;
    bl_out_begin(&out, cli, cols, 4);
    int rc = BL_OK;
    for (size_t k = 0; !rc && k < ro->n; k++) {
        const struct bl_app_failing_order *f = &ro->v[k];
        char due[BL_ISO_MAX], at[BL_ISO_MAX];
        struct bl_val row[4] = {
            bl_val_text(bl_str_c(f->order)),
            bl_val_text(bl_str_c(fail_words(f->why))),
            bl_val_text(bl_str_c(f->due == BL_NO_TIME ? "" : bl_time_format(f->due, due))),
            bl_val_text(bl_str_c(f->at == BL_NO_TIME ? "not yet" : bl_time_format(f->at, at))),
        };
        rc = bl_out_row(&out, row);
    }
    int erc = bl_out_end(&out);
    if (!rc && !erc && ro->n < (size_t)ro->total)
        fprintf(cli->out, "... and %lld more (--orders N lists more)\n",
                (long long)(ro->total - (int64_t)ro->n));
    return rc ? rc : erc;
}

static void print_heading(struct bl_cli *cli, int64_t as_of, const char *tz,
                          const struct bl_app_assess_shop *x)
{
    char at[96], from[96];
    fprintf(cli->out, "%s under profile %s, as of %s over %d days: ", x->shop, x->profile,
            bl_cli_when(as_of, tz, at, sizeof(at)), x->window);
    long long n = (long long)(x->k.counted + x->k.kept_on_time);
    const char *s = n == 1 ? "" : "s";
    if (x->rating[0])
        fprintf(cli->out, "rating %s, score %.1f", x->rating, x->score);
    else
        fprintf(cli->out, "not rated: %lld shipment%s to rate, the profile needs %lld", n, s,
                (long long)x->prof->min_counted);
    if (x->carried)
        fprintf(cli->out, " (carried over from %s: %lld shipment%s to rate, fewer than %lld)",
                bl_cli_when(x->carried_from, tz, from, sizeof(from)), n, s,
                (long long)x->prof->min_counted);
    fputc('\n', cli->out);
}

int bl_assess_print_shop(struct bl_cli *cli, const struct bl_assess_args *a, int64_t as_of,
                         struct bl_store *st, int64_t org, const struct bl_app_assess_res *res)
{
    if (res->n != 1)
        return 0;
    const struct bl_app_assess_shop *x = &res->shops[0];
    print_heading(cli, as_of, a->tz, x);
    if (!x->rules_known) {
        fprintf(cli->out, "its rules were not kept with the stored result it carries\n");
        return 0;
    }
    fputc('\n', cli->out);
    if (print_rules(cli, x))
        return 1;
    struct bl_app_assess_orders_req req = {as_of, x->profile, a->window, x->shop, a->limit, NULL,
                                           false};
    struct bl_app_assess_orders_res o;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = x->carried ? BL_OK : bl_app_assess_orders(st, org, &req, &o, &d);
    if (rc) {
        bl_app_assess_orders_release(&o);
        return bl_cli_fail(cli, &d);
    }
    if (x->carried) {
        fprintf(cli->out, "\n(the rules are the carried day's; `--as-of %s` lists its orders)\n",
                bl_time_format(x->carried_from, (char[BL_ISO_MAX]){0}));
        return 0;
    }
    for (size_t q = 0; !rc && q < o.nrules && q < x->prof->nrules; q++) {
        char label[80];
        bl_assess_rule_label(&x->prof->rules[q], &x->rules[q], -1, label, sizeof(label));
        rc = print_orders(cli, &x->prof->rules[q], label, &o.rules[q]);
    }
    bl_app_assess_orders_release(&o);
    if (rc) {
        bl_diag_set(&d, rc, "cannot print: %s", bl_strerror(rc));
        return bl_cli_fail(cli, &d);
    }
    return 0;
}
