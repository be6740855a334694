/* assess_arith.c - `assess --explain SHOP`: the arithmetic behind a shop's rating, rule
 * by rule (docs/metrics.md "Rating and carry-over", "Exempt orders never hurt"). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/assess_common.h"
#include "cli/out.h"

#include "ballast/alloc.h"
#include "ballast/time.h"

enum { LINE = 400, ROWS = 16 + 6 * BL_RULES_MAX };

struct lines {
    char item[ROWS][32];
    char text[ROWS][LINE];
    size_t n;
};

static char *add(struct lines *l, const char *item)
{
    if (l->n == ROWS)
        return NULL;
    snprintf(l->item[l->n], sizeof(l->item[0]), "%s", item);
    l->text[l->n][0] = '\0';
    return l->text[l->n++];
}

#define ADDF(l, item, ...)                                                                         \
    do {                                                                                           \
        char *t_ = add(l, item);                                                                   \
        if (t_)                                                                                    \
            snprintf(t_, LINE, __VA_ARGS__);                                                       \
    } while (0)

static void pc(double v, char *out, size_t cap)
{
    snprintf(out, cap, "%.2f%%", v * 100);
}

/* A profile's threshold: "98%", "2.5%". */
static void th(double v, char *out, size_t cap)
{
    snprintf(out, cap, "%.2f", v * 100);
    size_t n = strlen(out);
    while (n && out[n - 1] == '0')
        out[--n] = '\0';
    if (n && out[n - 1] == '.')
        out[--n] = '\0';
    snprintf(out + n, cap - n, "%%");
}

/* The value's formula: numerator and denominator from the counters. */
static void value_line(const struct bl_rule *r, const struct bl_rule_result *y, char *out)
{
    long long num = y->num, den = y->den, c = y->counted, k = y->kept;
    char v[32];
    pc(y->value, v, sizeof(v));
    if (!(y->den > 0)) {
        snprintf(out, LINE, "no data: nothing to count in the window");
        return;
    }
    switch (r->metric) {
    case BL_M_ON_TIME:
        snprintf(out, LINE,
                 "(on time %lld + kept %lld) / (counted %lld + kept %lld) = %lld / %lld = %s",
                 num - k, k, c, k, num, den, v);
        return;
    case BL_M_LATE_SHIPMENT:
        snprintf(out, LINE, "late %lld / (counted %lld + kept %lld) = %lld / %lld = %s", num, c, k,
                 num, den, v);
        return;
    case BL_M_PICKUP_ANOMALY:
        snprintf(out, LINE, "anomalies %lld / (shipped %lld + kept %lld) = %lld / %lld = %s", num,
                 c, k, num, den, v);
        return;
    case BL_M_VALID_TRACKING:
        snprintf(out, LINE,
                 "(shipped %lld + kept %lld - anomalies %lld) / (shipped %lld + kept %lld) = "
                 "%lld / %lld = %s",
                 c, k, den - num, c, k, num, den, v);
        return;
    case BL_M_LATE_DELIVERY:
        snprintf(out, LINE, "delivered late %lld / (counted %lld + kept %lld) = %lld / %lld = %s",
                 num, c, k, num, den, v);
        return;
    case BL_M_CANCEL:
    case BL_M__COUNT:
        break;
    }
    snprintf(out, LINE, "seller cancellations %lld / orders placed %lld = %s", num, den, v);
}

static const char *kept_words(enum bl_metric m)
{
    switch (m) {
    case BL_M_ON_TIME:
    case BL_M_LATE_SHIPMENT:
        return "shipped on time";
    case BL_M_PICKUP_ANOMALY:
    case BL_M_VALID_TRACKING:
        return "carrier scan in time";
    case BL_M_LATE_DELIVERY:
        return "delivered in time";
    case BL_M_CANCEL:
    case BL_M__COUNT:
        break;
    }
    return "";
}

static void orders_line(const struct bl_rule *r, const struct bl_rule_result *y, char *out)
{
    long long due = y->due, ex = y->exempt, k = y->kept, c = y->counted;
    switch (r->metric) {
    case BL_M_CANCEL:
    case BL_M__COUNT:
        snprintf(out, LINE, "%lld placed in the window (a cancellation is never exempt)", due);
        return;
    case BL_M_PICKUP_ANOMALY:
    case BL_M_VALID_TRACKING:
        snprintf(out, LINE, "%lld due, %lld exempt (%lld kept: %s), %lld counted and shipped", due,
                 ex, k, kept_words(r->metric), c);
        return;
    default:
        break;
    }
    snprintf(out, LINE, "%lld due, %lld exempt (%lld kept: %s; %lld left out), %lld counted", due,
             ex, k, kept_words(r->metric), ex - k, c);
}

static void points_line(const struct bl_rule *r, const struct bl_rule_result *y, char *out)
{
    char v[32], g[32], b[32];
    pc(y->value, v, sizeof(v));
    th(r->good, g, sizeof(g));
    th(r->bad, b, sizeof(b));
    if (isnan(y->points)) {
        snprintf(out, LINE, "none: no data, the rule leaves the score");
        return;
    }
    snprintf(out, LINE, "(%s - %s) / (%s - %s) = %.3f, within 0..1: %.3f x weight %g = %.3f", b, v,
             b, g, (r->bad - y->value) / (r->bad - r->good), y->points, r->weight,
             y->points * r->weight);
}

static void status_line(const struct bl_profile *p, const struct bl_rule *r,
                        const struct bl_rule_result *y, char *out)
{
    char t[32], m[32];
    double limit = r->has_target ? r->target : r->bad;
    th(r->has_target ? r->target : 0, t, sizeof(t));
    th((r->good + limit) / 2, m, sizeof(m));
    switch (y->status) {
    case BL_RULE_BREACH:
        if (!r->has_target) {
            th(r->bad, t, sizeof(t));
            snprintf(out, LINE, "breach: at or past %s, no points (no target: no cap)", t);
            return;
        }
        snprintf(out, LINE, "breach: misses the %s%s target, which caps the rating at %s",
                 bl_metric_lower_better(r->metric) ? "< " : ">= ", t,
                 p->breach_band < p->nbands ? p->bands[p->breach_band].label : "?");
        return;
    case BL_RULE_AT_RISK:
        snprintf(out, LINE, "at risk: past %s, half way from good to %s", m,
                 r->has_target ? "the target" : "no points");
        return;
    case BL_RULE_OK:
        snprintf(out, LINE, "ok: not past %s, half way from good to %s", m,
                 r->has_target ? "the target" : "no points");
        return;
    case BL_RULE_NO_DATA:
        break;
    }
    snprintf(out, LINE, "no data");
}

static void rule_lines(struct lines *l, const struct bl_app_assess_shop *x, size_t q)
{
    const struct bl_rule *r = &x->prof->rules[q];
    const struct bl_rule_result *y = &x->rules[q];
    char label[80], item[32], g[32], b[32], t[32];
    bl_assess_rule_label(r, y, -1, label, sizeof(label));
    th(r->good, g, sizeof(g));
    th(r->bad, b, sizeof(b));
    th(r->target, t, sizeof(t));
    snprintf(item, sizeof(item), "rule %zu", q + 1);
    ADDF(l, item, "%s, weight %g: full points at %s, none at %s, target %s%s", label, r->weight, g,
         b, r->has_target ? (bl_metric_lower_better(r->metric) ? "< " : ">= ") : "",
         r->has_target ? t : "none");
    char *s;
    if ((s = add(l, "  value")))
        value_line(r, y, s);
    if ((s = add(l, "  orders")))
        orders_line(r, y, s);
    if ((s = add(l, "  points")))
        points_line(r, y, s);
    if ((s = add(l, "  status")))
        status_line(x->prof, r, y, s);
}

static void score_lines(struct lines *l, const struct bl_app_assess_shop *x)
{
    const struct bl_profile *p = x->prof;
    char sum[200] = "", wsum[80] = "";
    size_t a = 0, b = 0;
    for (size_t q = 0; q < p->nrules; q++) {
        if (isnan(x->rules[q].points))
            continue;
        int n1 = snprintf(sum + a, sizeof(sum) - a, "%s%g x %.3f", a ? " + " : "",
                          p->rules[q].weight, x->rules[q].points);
        int n2 = snprintf(wsum + b, sizeof(wsum) - b, "%s%g", b ? " + " : "", p->rules[q].weight);
        if (n1 < 0 || n2 < 0 || (size_t)n1 >= sizeof(sum) - a || (size_t)n2 >= sizeof(wsum) - b)
            break;
        a += (size_t)n1;
        b += (size_t)n2;
    }
    if (x->carried || !x->rating[0] || isnan(x->score))
        ADDF(l, "score", "%s", x->rating[0] ? "carried over (above)" : "none: not rated");
    else
        ADDF(l, "score", "100 x (%s) / (%s) = %.1f", sum, wsum, x->score);
    char bands[200] = "";
    size_t at = 0;
    for (size_t k = 0; k < p->nbands; k++) {
        int n = snprintf(bands + at, sizeof(bands) - at, "%s%s from %g", k ? ", " : "",
                         p->bands[k].label, p->bands[k].min_score);
        if (n < 0 || (size_t)n >= sizeof(bands) - at)
            break;
        at += (size_t)n;
    }
    bool capped = x->failing && p->breach_band < p->nbands;
    ADDF(l, "rating", "%s: the first band the score reaches (%s)%s%s",
         x->rating[0] ? x->rating : "none", bands, capped ? "; a missed target caps it at " : "",
         capped ? p->bands[p->breach_band].label : "");
}

int bl_assess_explain_shop(struct bl_cli *cli, int64_t as_of, const struct bl_app_assess_shop *x)
{
    struct lines *lp = bl_calloc(1, sizeof(*lp)); /* 30 KB: not on the stack */
    if (!lp) {
        struct bl_diag d;
        bl_diag_clear(&d);
        bl_diag_set(&d, BL_ENOMEM, "--explain: out of memory");
        return bl_cli_fail(cli, &d);
    }
    char b0[BL_ISO_MAX], b1[BL_ISO_MAX], b2[BL_ISO_MAX];
    ADDF(lp, "shop", "%s", x->shop);
    ADDF(lp, "profile", "%s", x->profile);
    ADDF(lp, "window", "(%s, %s], %d days", bl_time_format(as_of - (int64_t)x->window * 86400, b0),
         bl_time_format(as_of, b1), x->window);
    ADDF(lp, "exempt orders",
         x->prof->exempt_never_hurts
             ? "one that went well is kept in the rate, which it cannot lower; the others "
               "leave it (exempt_never_hurts)"
             : "every exempt order leaves the rates (the profile sets exempt_never_hurts false)");
    ADDF(lp, "points", "per rule (bad - value) / (bad - good), within 0..1, times its weight");
    if (x->carried)
        ADDF(lp, "carried over",
             "from %s: now %lld shipments to rate (counted and kept), fewer than the "
             "profile's %lld; the rules below are that day's",
             bl_time_format(x->carried_from, b2), (long long)(x->k.counted + x->k.kept_on_time),
             (long long)x->prof->min_counted);
    else if (!x->rating[0])
        ADDF(lp, "not rated",
             "%lld shipments to rate (counted and kept), fewer than the profile's %lld, and no "
             "earlier day to carry",
             (long long)(x->k.counted + x->k.kept_on_time), (long long)x->prof->min_counted);
    if (x->rules_known)
        for (size_t q = 0; q < x->prof->nrules; q++)
            rule_lines(lp, x, q);
    else
        ADDF(lp, "rules", "not known: the stored result carried over did not keep them");
    score_lines(lp, x);
    static const char *const cols[] = {"item", "value"};
    struct bl_out out;
    bl_out_begin(&out, cli, cols, 2);
    int rc = BL_OK;
    for (size_t k = 0; !rc && k < lp->n; k++) {
        struct bl_val row[2] = {bl_val_text(bl_str_c(lp->item[k])),
                                bl_val_text(bl_str_c(lp->text[k]))};
        rc = bl_out_row(&out, row);
    }
    int erc = bl_out_end(&out);
    bl_free(lp);
    if (rc || erc) {
        struct bl_diag d;
        bl_diag_clear(&d);
        bl_diag_set(&d, rc ? rc : erc, "--explain: cannot print: %s", bl_strerror(rc ? rc : erc));
        return bl_cli_fail(cli, &d);
    }
    return 0;
}
