/* assess_common.c - options, the store, problems in words and --explain, shared by
 * assess and compensate. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/assess_common.h"
#include "cli/out.h"

#include "ballast/disruption.h"
#include "ballast/time.h"

int bl_assess_args_parse(struct bl_cli *cli, const char *cmd, int argc, char **argv,
                         bool allow_explain, struct bl_assess_args *a)
{
    static const struct option opts[] = {
        {"as-of", required_argument, NULL, 'a'},  {"window", required_argument, NULL, 'w'},
        {"profile", required_argument, NULL, 'p'}, {"shop", required_argument, NULL, 's'},
        {"explain", required_argument, NULL, 'e'}, {"tz", required_argument, NULL, 'z'},
        {"format", required_argument, NULL, 'f'},  {"dry-run", no_argument, NULL, 'n'},
        {"all-shops", no_argument, NULL, 'A'},     {"orders", required_argument, NULL, 'l'},
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof(*a));
    a->limit = 10;
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'a': a->as_of = optarg; break;
        case 'p': a->profile = optarg; break;
        case 's': a->shop = optarg; break;
        case 'z': a->tz = optarg; break;
        case 'n': a->dry_run = true; break;
        case 'A': a->all_shops = true; break;
        case 'e':
            if (!allow_explain)
                return bl_cli_usage(cli, cmd, "--explain is for 'ballast assess'");
            a->explain = optarg;
            break;
        case 'l': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (!allow_explain)
                return bl_cli_usage(cli, cmd, "--orders is for 'ballast assess --shop S'");
            if (!*optarg || *end || v < 0 || v > 1000000)
                return bl_cli_usage(cli, cmd, "--orders %s: expected a number of orders, 0 or more",
                                    optarg);
            a->limit = (size_t)v;
            break;
        }
        case 'w': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (!*optarg || *end || v < 1 || v > 365)
                return bl_cli_usage(cli, cmd, "--window %s: expected whole days, 1 to 365",
                                    optarg);
            a->window = (int)v;
            break;
        }
        case 'f':
            if (bl_cli_set_format(cli, optarg))
                return 2;
            break;
        default:
            return bl_cli_bad_option(cli, cmd, argv, opts);
        }
    }
    if (optind < argc)
        return bl_cli_usage(cli, cmd, "unexpected argument '%s'", argv[optind]);
    if (!a->as_of)
        return bl_cli_usage(cli, cmd,
                            "--as-of is required: an ISO 8601 instant (2018-06-05T00:00:00Z) "
                            "or a date meaning the end of that day in --tz (default UTC)");
    /* assess (the command that explains) rates each shop under its own profile when none
     * is named; compensate pays under one. */
    if (!a->profile && !allow_explain)
        return bl_cli_usage(cli, cmd,
                            "--profile is required: kuaishou, douyin, amazon, temu, own-site "
                            "or a profiles/NAME.json of yours");
    return 0;
}

int bl_assess_open(struct bl_cli *cli, const struct bl_assess_args *a, int64_t *as_of,
                   struct bl_store **st, int64_t *org)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_cli_parse_as_of(a->as_of, a->tz, as_of, &d)) {
        /* An option, not a column: "--as-of TEXT: expected ..." (d.msg starts with the
         * text), or "--tz ZONE: ..." when the zone is what failed. */
        char msg[sizeof(d.msg)];
        snprintf(msg, sizeof(msg), "%s", d.msg);
        if (strncmp(msg, a->as_of, strlen(a->as_of)) == 0)
            bl_diag_set(&d, d.code, "--as-of %s", msg);
        else
            bl_diag_set(&d, d.code, "--tz %s: %s", a->tz ? a->tz : "UTC", msg);
        return bl_cli_fail(cli, &d);
    }
    if (bl_cli_open(cli, false, st, org)) {
        bl_diag_set(&d, BL_ESTORE, "cannot open the store (see above)");
        return bl_cli_fail(cli, &d);
    }
    return 0;
}

int bl_assess_fail(struct bl_cli *cli, const struct bl_assess_args *a,
                   enum bl_app_assess_problem problem, int64_t matches, const struct bl_diag *d)
{
    struct bl_diag w;
    bl_diag_clear(&w);
    switch (problem) {
    case BL_APP_ASSESS_OK:
        return bl_cli_fail(cli, d);
    case BL_APP_ASSESS_UNKNOWN_SHOP:
        bl_diag_set(&w, d->code, "--shop %s: no shop with that id", a->shop);
        break;
    case BL_APP_ASSESS_NO_SHOP_FOR_PROFILE:
        bl_diag_set(&w, d->code,
                    "no shop uses profile %s (see the profile column of shops.csv): "
                    "name one with --shop, or rate every shop with --all-shops",
                    a->profile);
        break;
    case BL_APP_ASSESS_NO_SUCH_ORDER:
        bl_diag_set(&w, d->code, "--explain %s: no such order%s", a->explain,
                    a->shop ? " in that shop" : "");
        break;
    case BL_APP_ASSESS_ORDER_AMBIGUOUS:
        bl_diag_set(&w, d->code, "--explain %s: %lld shops have an order with this id: add --shop",
                    a->explain, (long long)matches);
        break;
    case BL_APP_ASSESS_ORDER_OUT_OF_RANGE:
        bl_diag_set(&w, d->code,
                    "--explain %s: placed after the as-of, or too old to count in any "
                    "window of this assessment",
                    a->explain);
        break;
    }
    return bl_cli_fail(cli, &w);
}

/* ---- --explain ---------------------------------------------------------------------- */

static void cause_text(const struct bl_app_explain_cause *c, bool disruption, char *out,
                       size_t cap)
{
    char s[BL_ISO_MAX], e[BL_ISO_MAX];
    out[0] = '\0';
    if (!c->found)
        return;
    if (!disruption) {
        snprintf(out, cap, "protection window from %s to %s: %s", bl_time_format(c->starts, s),
                 bl_time_format(c->ends, e), c->reason);
        return;
    }
    /* an end until further notice is never shown as a date */
    snprintf(out, cap, "%s in %s (scope %s) from %s %s%s%s%s", c->kind, c->region, c->scope,
             bl_time_format(c->starts, s), bl_dis_open_end(c->ends) ? "" : "to ",
             bl_dis_open_end(c->ends) ? "until further notice" : bl_time_format(c->ends, e),
             c->note[0] ? ": " : "", c->note);
}

static void why_text(const struct bl_app_explain_res *x, enum bl_why why,
                     const struct bl_app_explain_cause *c, const char *what, char *out,
                     size_t cap)
{
    char cc[300];
    switch (why) {
    case BL_WHY_NOT_DUE:
        snprintf(out, cap, "not due: its %s is not in the window", what);
        return;
    case BL_WHY_CANCELLED:
        snprintf(out, cap, "not due: the order was cancelled");
        return;
    case BL_WHY_PLATFORM:
        snprintf(out, cap,
                 "not the seller's: the platform fulfils this order, and profile %s leaves "
                 "such orders out of this metric",
                 x->profile);
        return;
    case BL_WHY_COUNTED:
        snprintf(out, cap, "counted: no disruption or protection applies");
        return;
    case BL_WHY_NO_ORIGIN:
        snprintf(out, cap,
                 "counted: the order has no ship-from region, and profile %s gives such "
                 "orders no protection",
                 x->profile);
        return;
    case BL_WHY_PROTECTION:
        cause_text(c, false, cc, sizeof(cc));
        snprintf(out, cap, "exempt: the shop's approved protection #%lld covers it (%s)",
                 (long long)c->id, cc);
        return;
    case BL_WHY_DISRUPTION_ORIGIN:
    case BL_WHY_DISRUPTION_DESTINATION:
        cause_text(c, true, cc, sizeof(cc));
        snprintf(out, cap, "exempt: disruption #%lld, %s, covers its %s region", (long long)c->id,
                 cc, why == BL_WHY_DISRUPTION_ORIGIN ? "ship-from" : "ship-to");
        return;
    }
    snprintf(out, cap, "?");
}

static struct bl_val tval(int64_t t, char *buf)
{
    return t == BL_NO_TIME ? bl_val_text(BL_STR(""))
                           : bl_val_text(bl_str_c(bl_time_format(t, buf)));
}

struct explain_rows {
    const char *k[24];
    struct bl_val v[24];
    size_t n;
};

static void add(struct explain_rows *r, const char *k, struct bl_val v)
{
    r->k[r->n] = k;
    r->v[r->n++] = v;
}

/* An exempt order that went well stays in the rates it cannot lower (exempt_never_hurts):
 * which ones. False when none. */
static bool kept_text(const struct bl_verdict *v, char *out, size_t cap)
{
    const char *what[3] = {v->kept_on_time ? "shipped on time" : NULL,
                           v->kept_tracked ? "carrier scan in time" : NULL,
                           v->kept_delivered ? "delivered in time" : NULL};
    size_t at = 0;
    out[0] = '\0';
    for (int k = 0; k < 3; k++) {
        if (!what[k])
            continue;
        int n = snprintf(out + at, cap - at, "%s%s", at ? ", " : "exempt, but ", what[k]);
        if (n < 0 || (size_t)n >= cap - at)
            break;
        at += (size_t)n;
    }
    if (at)
        snprintf(out + at, cap - at, ": it stays in those rates, which it cannot lower");
    return at != 0;
}

static int print_explain(struct bl_cli *cli, const struct bl_app_explain_res *x)
{
    const struct bl_verdict *v = &x->v;
    char b[12][BL_ISO_MAX], ship[400], dlv[400], win[120];
    snprintf(win, sizeof(win), "(%s, %s], %d days",
             bl_time_format(x->as_of - (int64_t)x->window * 86400, b[0]),
             bl_time_format(x->as_of, b[1]), x->window);
    why_text(x, v->why, &x->shipment, "promised ship-by", ship, sizeof(ship));
    why_text(x, v->delivery_why, &x->delivery, "promised delivery", dlv, sizeof(dlv));
    struct explain_rows r = {{0}, {{0}}, 0};
    add(&r, "order", bl_val_text(bl_str_c(x->order)));
    add(&r, "shop", bl_val_text(bl_str_c(x->shop)));
    add(&r, "profile", bl_val_text(bl_str_c(x->profile)));
    add(&r, "window", bl_val_text(bl_str_c(win)));
    add(&r, "placed_at", tval(x->placed, b[2]));
    add(&r, "ship_by", tval(x->ship_by, b[3]));
    add(&r, "shipped_at", tval(x->shipped, b[4]));
    add(&r, "picked_up_at", tval(x->picked_up, b[5]));
    add(&r, "promised_at", tval(x->promised, b[6]));
    add(&r, "delivered_at", tval(x->delivered, b[7]));
    add(&r, "cancelled_at", tval(x->cancelled, b[8]));
    add(&r, "ship_from", bl_val_text(bl_str_c(x->ship_from[0] ? x->ship_from : "(none)")));
    add(&r, "ship_to", bl_val_text(bl_str_c(x->ship_to[0] ? x->ship_to : "(none)")));
    add(&r, "shipment", bl_val_text(bl_str_c(ship)));
    if (v->counted) {
        const char *on_time =
            v->on_time   ? "on time: shipped at or before the promised ship-by"
            : v->shipped ? "late: shipped after the promised ship-by"
                         : "late: not shipped by the promised ship-by (as of the as-of)";
        add(&r, "on_time", bl_val_text(bl_str_c(on_time)));
        add(&r, "pickup",
            bl_val_text(bl_str_c(!v->shipped          ? "not shipped"
                                 : v->pickup_anomaly ? "anomaly: no carrier pickup within the "
                                                       "profile's hours of shipping"
                                                     : "carrier pickup in time")));
    }
    char kept[200];
    if (kept_text(v, kept, sizeof(kept)))
        add(&r, "kept_in_rates", bl_val_text(bl_str_c(kept)));
    add(&r, "delivery", bl_val_text(bl_str_c(dlv)));
    if (v->delivery_counted)
        add(&r, "delivered_late", bl_val_text(bl_str_c(v->delivered_late ? "yes" : "no")));
    if (v->placed_in_window)
        add(&r, "seller_cancel", bl_val_text(bl_str_c(v->seller_cancel ? "yes" : "no")));
    static const char *const cols[] = {"item", "value"};
    struct bl_out out;
    bl_out_begin(&out, cli, cols, 2);
    int rc = BL_OK;
    for (size_t k = 0; k < r.n && !rc; k++) {
        struct bl_val row[2] = {bl_val_text(bl_str_c(r.k[k])), r.v[k]};
        rc = bl_out_row(&out, row);
    }
    int erc = bl_out_end(&out);
    return rc ? rc : erc;
}

int bl_assess_explain(struct bl_cli *cli, const struct bl_assess_args *a, int64_t as_of,
                      struct bl_store *st, int64_t org)
{
    struct bl_app_explain_req req = {as_of, a->profile, a->window, a->explain, a->shop, NULL};
    struct bl_app_explain_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_assess_explain(st, org, &req, &res, &d);
    if (rc) {
        bl_app_explain_res_release(&res);
        return bl_assess_fail(cli, a, res.problem, res.matches, &d);
    }
    rc = print_explain(cli, &res);
    bl_app_explain_res_release(&res);
    if (rc) {
        bl_diag_set(&d, rc, "--explain: cannot print: %s", bl_strerror(rc));
        return bl_cli_fail(cli, &d);
    }
    return 0;
}
