/* cmd_route.c - `ballast route`: a channel and window for every open order as of an
 * instant, or why one order goes the way it does (--explain); `route policy` is in
 * cmd_policy.c. The shell around bl_app_route (src/app/logistics.h). Read-only.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/logistics_load.h"
#include "cli/out.h"

#include "ballast/money.h"

static struct bl_val tn(const char *s)
{
    return s ? bl_val_text(bl_str_c(s)) : bl_val_null();
}

static const char *const route_cols[] = {"order",  "shop",     "channel",       "carrier",
                                         "tier",   "price",    "currency",      "earliest",
                                         "latest", "promised", "meets_promise", "note"};

static int route_print(struct bl_cli *cli, const struct bl_app_route_res *res)
{
    const struct bl_lg *lg = res->cat->lg;
    struct bl_out out;
    bl_out_begin(&out, cli, route_cols, 12);
    int rc = BL_OK;
    for (size_t i = 0; !rc && i < res->n; i++) {
        const struct bl_app_route_order *o = &res->o[i];
        /* a held order shows its first channel and window after the hold */
        const struct bl_lg_route *r =
            o->route.state == BL_LG_SUSPENDED ? &o->after.route : &o->route;
        const struct bl_lg_channel *ch =
            r->channel >= 0 ? bl_lg_channel(lg, (size_t)r->channel) : NULL;
        char price[40], e[BL_ISO_MAX], l[BL_ISO_MAX], pr[BL_ISO_MAX], note[300];
        const char *code;
        bl_app_route_note(lg, o, note, sizeof(note), &code);
        bool promise = o->by_day != BL_LG_NO_PROMISE;
        struct bl_val v[12] = {
            tn(o->order),
            tn(o->shop),
            tn(ch ? ch->id : NULL),
            tn(ch ? ch->carrier : NULL),
            tn(ch ? bl__lg_tier(ch->tier) : NULL),
            tn(ch ? bl__lg_money_text(r->price, res->cat->exps[r->channel], price, sizeof(price))
                  : NULL),
            tn(ch ? ch->currency : NULL),
            tn(ch ? bl_date_format(r->earliest_day, e) : NULL),
            tn(ch ? bl_date_format(r->latest_day, l) : NULL),
            tn(promise ? bl_date_format(o->by_day, pr) : NULL),
            tn(r->state == BL_LG_ROUTED ? "yes" : "no"),
            tn(note[0] ? note : NULL),
        };
        rc = bl_out_row(&out, v);
    }
    int rc2 = bl_out_end(&out);
    return rc ? rc : rc2;
}

/* ---------------------------------------------------------------- explain */

static const char *const policy_names[] = {"cheapest that meets the promise", "fastest",
                                           "preferred carrier"};
static const char *const why_text[] = {
    [BL_LG_WHY_LATE] = ": CANNOT MEET THE PROMISE - no available channel delivers in time; "
                       "this one arrives soonest",
    [BL_LG_WHY_PREFERRED] = ": the preferred carrier, and it meets the promise",
    [BL_LG_WHY_BACKUP] = ": no core channel is available that meets the promise, so the backup "
                         "tier serves",
    [BL_LG_WHY_FASTEST] = ": the fastest core channel that meets the promise",
    [BL_LG_WHY_CHEAPEST] = ": the cheapest core channel that meets the promise",
};
static const char *const scope_names[] = {"origin", "destination", "both"};

static int explain_option(struct bl_buf *b, const struct bl_lg *lg, const struct bl_lg_option *x)
{
    const struct bl_lg_channel *ch = bl_lg_channel(lg, (size_t)x->channel);
    struct bl_currency cur;
    char price[40], a[BL_ISO_MAX], c[BL_ISO_MAX], e[BL_ISO_MAX];
    if (bl_currency_lookup(bl_str_c(ch->currency), &cur, NULL) ||
        bl_money_format(x->price, cur.exponent, price, sizeof(price)) < 0)
        snprintf(price, sizeof(price), "%lld (minor units)", (long long)x->price);
    int rc = bl_buf_addf(b, "  %s (%s, %s, %s): %s %s, leaves %s, delivered %s..%s", ch->id,
                         ch->carrier, ch->mode, bl__lg_tier(ch->tier), price, ch->currency,
                         bl_date_format(x->depart_day, a), bl_date_format(x->earliest_day, c),
                         bl_date_format(x->latest_day, e));
    if (!rc && x->disruption >= 0) {
        const struct bl_lg_disruption *y = bl_lg_disruption(lg, (size_t)x->disruption);
        rc = bl_buf_addf(b, " - SUSPENDED by disruption %s (%s, %s %s)",
                         y->id[0] ? y->id : "(no id)", y->kind, y->region, scope_names[y->scope]);
    } else if (!rc) {
        rc = bl_buf_addf(b, "%s", x->meets ? " - meets the promise" : " - too late");
    }
    return rc ? rc : bl_buf_addc(b, '\n');
}

/* The engine's decision for one order, in words (as bl_lg_explain words it). */
static int explain_decision(struct bl_buf *b, const struct bl_lg *lg,
                            const struct bl_app_route_order *o)
{
    enum bl_lg_policy_kind k = o->policy.kind;
    bool pref = k == BL_LG_PREFERRED;
    char a[BL_ISO_MAX];
    int rc = bl_buf_addf(b, "policy: %s%s%s%s\n", policy_names[k], pref ? " (" : "",
                         pref && o->policy.carrier ? o->policy.carrier : "", pref ? ")" : "");
    if (!rc && o->by_day != BL_LG_NO_PROMISE)
        rc = bl_buf_addf(b, "promise: delivered by %s\n", bl_date_format(o->by_day, a));
    size_t n = o->nopt;
    if (!rc)
        rc =
            bl_buf_addf(b, "%zu channel%s serve%s this lane and weight (%lld g)%s\n", n,
                        n == 1 ? "" : "s", n == 1 ? "s" : "", (long long)o->weight_g, n ? ":" : "");
    for (size_t i = 0; !rc && i < n; i++)
        rc = explain_option(b, lg, &o->opt[i]);
    if (rc)
        return rc;
    if (o->why == BL_LG_WHY_NO_CHANNEL)
        return bl_buf_addf(b, "no channel serves this lane and weight\n");
    if (o->why == BL_LG_WHY_SUSPENDED) {
        char note[400];
        bl_app_route_held_note(lg, o, note, sizeof(note));
        rc = bl_buf_addf(b, "no channel now: every serving channel is suspended\n%s", note);
        const struct bl_lg_route *r = &o->after.route;
        if (!rc && r->channel >= 0) {
            char e[BL_ISO_MAX], l[BL_ISO_MAX];
            const char *ch = bl_lg_channel(lg, (size_t)r->channel)->id;
            rc = bl_buf_addf(b, " (%s, delivered %s..%s)", ch, bl_date_format(r->earliest_day, e),
                             bl_date_format(r->latest_day, l));
        }
        return rc ? rc : bl_buf_addc(b, '\n');
    }
    const struct bl_lg_channel *ch = bl_lg_channel(lg, (size_t)o->route.channel);
    if (o->action) {
        char end[BL_ISO_MAX];
        return bl_buf_addf(b,
                           "chosen: %s (%s tier): the approved reroute, action %lld (from a "
                           "what-if's plan), sends the shop's orders on this lane by it until %s\n",
                           ch->id, bl__lg_tier(ch->tier), (long long)o->action,
                           bl_date_format(o->action_until - 1, end));
    }
    return bl_buf_addf(b, "chosen: %s (%s tier)%s\n", ch->id, bl__lg_tier(ch->tier),
                       why_text[o->why]);
}

static int explain_print(struct bl_cli *cli, const struct bl_app_route_res *res)
{
    static const char *const from_names[] = {"default", "the shop's", "--policy",
                                             "an approved reroute"};
    struct bl_buf b = BL_BUF_INIT;
    int rc = BL_OK;
    for (size_t i = 0; !rc && i < res->n; i++) {
        const struct bl_app_route_order *o = &res->o[i];
        const struct bl_lg_policy *p = &o->policy;
        char t[BL_ISO_MAX];
        rc = bl_buf_addf(&b, "%sorder %s (shop %s): %s -> %s, %lld g, ships %s\n", i ? "\n" : "",
                         o->order, o->shop, o->from[0] ? o->from : "(none)",
                         o->to[0] ? o->to : "(none)", (long long)o->weight_g,
                         bl_time_format(o->ship_at, t));
        if (!rc)
            rc = bl_buf_addf(&b, "policy: %s%s (%s)\n",
                             p->kind == BL_LG_FASTEST     ? "fastest"
                             : p->kind == BL_LG_PREFERRED ? "preferred:"
                                                          : "cheapest",
                             p->kind == BL_LG_PREFERRED ? p->carrier : "",
                             from_names[o->policy_from]);
        if (!rc)
            rc = explain_decision(&b, res->cat->lg, o);
    }
    if (!rc)
        fputs(bl_buf_cstr(&b), cli->out);
    bl_buf_release(&b);
    return rc;
}

/* ---------------------------------------------------------------- route */

static int route_opts(struct bl_cli *cli, int argc, char **argv, struct bl_app_route_req *req,
                      struct bl_lg_policy *pol)
{
    static const struct option opts[] = {
        {"as-of", required_argument, NULL, 'a'},
        {"policy", required_argument, NULL, 'p'},
        {"explain", required_argument, NULL, 'e'},
        {"shop", required_argument, NULL, 's'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    bool has_as_of = false;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int bad = 0;
        switch (c) {
        case 'a':
            bad = bl_cli_as_of(cli, "route", optarg, NULL, &req->as_of);
            has_as_of = true;
            break;
        case 'p':
            bad = bl__lg_parse_policy(cli, "route", optarg, pol);
            req->policy = pol;
            break;
        case 'e':
            req->explain = optarg;
            break;
        case 's':
            req->shop = optarg;
            break;
        case 'f':
            bad = bl_cli_set_format(cli, optarg);
            break;
        default:
            return bl_cli_bad_option(cli, "route", argv, opts);
        }
        if (bad)
            return 2;
    }
    if (optind != argc || !has_as_of)
        return bl_cli_usage(cli, "route", "--as-of is required (the instant to route at)");
    return 0;
}

int bl_cmd_route(struct bl_cli *cli, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "policy") == 0)
        return bl__lg_policy_cmd(cli, "route", argc - 1, argv + 1);
    struct bl_app_route_req req = {0, NULL, NULL, NULL, NULL};
    struct bl_lg_policy pol;
    int status = route_opts(cli, argc, argv, &req, &pol);
    if (status)
        return status;
    struct bl_store *st;
    int64_t org;
    struct bl_app_logistics cat;
    if (bl__lg_open(cli, &st, &org, &cat))
        return 1;
    req.cat = &cat;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_route_res res;
    int rc = bl_app_route(st, org, &req, &res, &d);
    bl_store_close(st);
    if (!rc)
        rc = req.explain ? explain_print(cli, &res) : route_print(cli, &res);
    bl_app_route_res_release(&res);
    bl_app_logistics_release(&cat);
    if (rc == BL_ENOTFOUND && req.shop && strcmp(d.field, "shop") == 0) {
        d.field[0] = '\0';
        bl_diag_set(&d, rc, "--shop %s: unknown shop: expected the id of a shop in the store",
                    req.shop);
    }
    return rc ? bl__lg_fail(cli, &d, rc) : 0;
}
