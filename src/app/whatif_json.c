/* whatif_json.c - a what-if's result as JSON (the API's body and `whatif --json`): names,
 * not indexes; money in minor units beside its currency and its exponent; days as dates;
 * each pair as {"without": x, "with": y}. Keys are in a fixed order, so the same result
 * dumps to the same bytes. */
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "app/whatif.h"
#include "ballast/assess.h"
#include "ballast/money.h"
#include "ballast/playbook.h"
#include "ballast/time.h"

static json_t *pair(int64_t a, int64_t b)
{
    return json_pack("{s:I, s:I}", "without", (json_int_t)a, "with", (json_int_t)b);
}

/* Money as the API writes it: {"amount": "21.90", "currency": "EUR"} (exact text). */
static json_t *money(int64_t minor, const char *currency)
{
    struct bl_currency cur;
    int exp = bl_currency_lookup(bl_str_c(currency), &cur, NULL) ? 2 : cur.exponent;
    char buf[48];
    if (bl_money_format(minor, exp, buf, sizeof(buf)) < 0)
        return json_null();
    return json_pack("{s:s, s:s}", "amount", buf, "currency", currency);
}

static json_t *money_pair(int64_t a, int64_t b, const char *currency)
{
    return json_pack("{s:o, s:o}", "without", money(a, currency), "with", money(b, currency));
}

/* A figure of the three runs: without, with the events declared, with them undeclared. */
static json_t *triple(json_t *a, json_t *b, json_t *c)
{
    return json_pack("{s:o, s:o, s:o}", "without", a, "with", b, "with_undeclared", c);
}

static json_t *day_or_null(int64_t day)
{
    char buf[16];
    return day == BL_RP_NEVER ? json_null() : json_string(bl_date_format(day, buf));
}

static json_t *score(double s)
{
    return isnan(s) ? json_null() : json_real(round(s * 100) / 100);
}

static json_t *orders_json(const struct bl_app_whatif_res *res)
{
    json_t *a = json_array();
    for (size_t i = 0; i < res->r.norders; i++) {
        const struct bl_wi_orders *o = &res->r.orders[i];
        json_t *x = json_pack("{s:s, s:s, s:o, s:I, s:I, s:o, s:o}", "shop", res->shop[o->shop],
                              "shop_name", res->shop_name[o->shop], "channel",
                              o->channel >= 0 ? json_string(res->channel[o->channel]) : json_null(),
                              "due", (json_int_t)o->due, "held", (json_int_t)o->held,
                              "late_to_ship", pair(o->late_ship[0], o->late_ship[1]),
                              "late_to_deliver", pair(o->late_deliver[0], o->late_deliver[1]));
        if (x && o->channel >= 0 && res->channel_name && res->channel_name[o->channel])
            json_object_set_new(x, "channel_name", json_string(res->channel_name[o->channel]));
        if (o->currency[0]) { /* the channel's freight: SLA waivers, price changes */
            json_object_set_new(x, "sla_waivers",
                                money_pair(o->waivers[0], o->waivers[1], o->currency));
            json_object_set_new(x, "sla_waiver_count", pair(o->nwaivers[0], o->nwaivers[1]));
            json_object_set_new(x, "freight_extra", money(o->freight_extra, o->currency));
            json_object_set_new(x, "repriced", json_integer(o->nrepriced));
        }
        json_array_append_new(a, x);
    }
    return a;
}

static json_t *stockouts_json(const struct bl_app_whatif_res *res)
{
    json_t *a = json_array();
    for (size_t i = 0; i < res->r.nstockouts; i++) {
        const struct bl_wi_stockout *s = &res->r.stockouts[i];
        json_array_append_new(
            a, json_pack("{s:s, s:s, s:s, s:s, s:{s:o, s:o}, s:o, s:o}", "sku", res->sku[s->sku],
                         "name", res->sku_name[s->sku], "warehouse", res->warehouse[s->warehouse],
                         "warehouse_name", res->warehouse_name[s->warehouse], "day", "without",
                         day_or_null(s->day[0]), "with", day_or_null(s->day[1]), "units_short",
                         pair(s->units_short[0], s->units_short[1]), "revenue_short",
                         s->currency[0] && s->revenue_short[1] >= 0
                             ? money_pair(s->revenue_short[0], s->revenue_short[1], s->currency)
                             : json_null()));
    }
    return a;
}

static json_t *rules(const struct bl_profile *p, uint32_t failing)
{
    json_t *a = json_array();
    for (size_t q = 0; q < p->nrules; q++)
        if (failing >> q & 1)
            json_array_append_new(a, json_string(bl_metric_name(p->rules[q].metric)));
    return a;
}

static json_t *rating_one(const struct bl_profile *p, const struct bl_shop_counts *k, double s,
                          const char *rating, uint32_t failing, bool breach, int64_t days)
{
    return json_pack("{s:s?, s:o, s:b, s:o, s:I, s:I, s:I, s:I, s:I}", "rating",
                     rating[0] ? rating : NULL, "score", rating[0] ? score(s) : json_null(),
                     "breach", breach, "failing", rules(p, failing), "days_in_breach",
                     (json_int_t)days, "counted", (json_int_t)k->counted, "exempt",
                     (json_int_t)k->exempt, "late", (json_int_t)k->late, "delivered_late",
                     (json_int_t)k->delivered_late);
}

static json_t *ratings_json(const struct bl_app_whatif_res *res)
{
    json_t *a = json_array();
    for (size_t i = 0; i < res->r.nratings; i++) {
        const struct bl_wi_rating *r = &res->r.ratings[i];
        const struct bl_profile *p = &res->profiles[r->profile];
        json_t *o = json_pack("{s:s, s:s, s:s}", "shop", res->shop[r->shop], "shop_name",
                              res->shop_name[r->shop], "profile", p->name);
        json_object_set_new(o, "without",
                            rating_one(p, &r->k[0], r->score[0], r->rating[0], r->failing[0],
                                       r->breach[0], r->days_breach[0]));
        json_object_set_new(o, "with",
                            rating_one(p, &r->k[1], r->score[1], r->rating[1], r->failing[1],
                                       r->breach[1], r->days_breach[1]));
        json_object_set_new(o, "with_undeclared",
                            rating_one(p, &r->bare.k, r->bare.score, r->bare.rating,
                                       r->bare.failing, r->bare.breach, r->bare.days_breach));
        json_object_set_new(o, "falls", json_boolean(r->falls));
        json_object_set_new(o, "saved_by_declaring", json_boolean(r->saved));
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *money_json(const struct bl_app_whatif_res *res)
{
    json_t *a = json_array();
    for (size_t i = 0; i < res->r.nmoney; i++) {
        const struct bl_wi_money *m = &res->r.money[i];
        const char *c = m->currency;
        json_array_append_new(
            a, json_pack("{s:s, s:o, s:o, s:o, s:o, s:o}", "currency", c, "coupons",
                         triple(money(m->coupons[0], c), money(m->coupons[1], c),
                                money(m->bare_coupons, c)),
                         "coupon_count",
                         triple(json_integer(m->ncoupons[0]), json_integer(m->ncoupons[1]),
                                json_integer(m->bare_ncoupons)),
                         "owed", money_pair(m->owed[0], m->owed[1], c), "owed_count",
                         pair(m->nowed[0], m->nowed[1]), "revenue_short",
                         money_pair(m->revenue_short[0], m->revenue_short[1], c)));
        json_t *row = json_array_get(a, json_array_size(a) - 1);
        json_object_set_new(row, "sla_waivers", money_pair(m->waivers[0], m->waivers[1], c));
        json_object_set_new(row, "sla_waiver_count", pair(m->nwaivers[0], m->nwaivers[1]));
        json_object_set_new(row, "freight_extra", money(m->freight_extra, c));
    }
    return a;
}

/* Per shop and currency what its late orders are owed (the mitigation's valuation). */
static json_t *shop_coupons_json(const struct bl_app_whatif_res *res)
{
    json_t *a = json_array();
    for (size_t i = 0; i < res->r.nshop_coupons; i++) {
        const struct bl_wi_shop_coupons *x = &res->r.shop_coupons[i];
        const char *c = x->currency;
        json_array_append_new(
            a,
            json_pack("{s:s, s:s, s:s, s:o, s:o}", "shop", res->shop[x->shop], "shop_name",
                      res->shop_name[x->shop], "currency", c, "coupons",
                      triple(money(x->coupons[0], c), money(x->coupons[1], c), money(x->bare, c)),
                      "coupon_count",
                      triple(json_integer(x->ncoupons[0]), json_integer(x->ncoupons[1]),
                             json_integer(x->nbare))));
    }
    return a;
}

static json_t *rest_json(const struct bl_app_whatif_res *res, json_t *j)
{
    json_t *dep = json_array(), *msg = json_array(), *act = json_array();
    for (size_t i = 0; i < res->r.ndeposits; i++) {
        const struct bl_wi_deposit *p = &res->r.deposits[i];
        json_array_append_new(dep,
                              json_pack("{s:s, s:s, s:o, s:o, s:{s:o, s:o}}", "shop",
                                        res->shop[p->shop], "shop_name", res->shop_name[p->shop],
                                        "balance", money(p->balance, p->currency), "short_by",
                                        money_pair(p->short_by[0], p->short_by[1], p->currency),
                                        "first_day", "without", day_or_null(p->first_day[0]),
                                        "with", day_or_null(p->first_day[1])));
    }
    static const char *const kinds[] = {"late_shipment", "compensation_coupon"};
    for (size_t i = 0; i < res->r.nmessages; i++) {
        const struct bl_wi_messages *m = &res->r.messages[i];
        json_array_append_new(msg, json_pack("{s:s, s:s, s:o}", "kind", kinds[m->kind], "lang",
                                             m->lang, "count", pair(m->n[0], m->n[1])));
    }
    for (size_t i = 0; i < res->r.nactions; i++) {
        const struct bl_wi_action *x = &res->r.actions[i];
        json_array_append_new(
            act, json_pack("{s:s, s:s, s:o, s:b, s:b}", "kind",
                           bl_pb_kind_name((enum bl_pb_kind)x->kind), x->shop ? "shop" : "sku",
                           x->shop ? res->pb_shop[x->sku] : res->sku[x->sku], "mode",
                           json_string(x->mode == BL_PB_APPLY ? "apply" : "propose"), "without",
                           x->in[0], "with", x->in[1]));
    }
    json_object_set_new(j, "deposits_short", dep);
    json_object_set_new(j, "messages", msg);
    json_object_set_new(j, "playbook", act);
    return j;
}

/* The approved reroutes both runs follow (whatif_approved.c): the shop and the channels
 * by id and by name, the days. */
static json_t *approved_json(const struct bl_app_whatif_res *res)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < res->napproved; i++) {
        const struct bl_app_whatif_approved *x = &res->approved[i];
        const char *from = res->channel_name ? res->channel_name[x->from] : NULL;
        const char *to = res->channel_name ? res->channel_name[x->to] : NULL;
        char first[16], last[16];
        json_array_append_new(
            a, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "action",
                         (json_int_t)x->action, "shop", res->shop[x->shop], "shop_name",
                         res->shop_name[x->shop], "from", res->channel[x->from], "from_name",
                         from ? from : res->channel[x->from], "to", res->channel[x->to], "to_name",
                         to ? to : res->channel[x->to], "first", bl_date_format(x->from_day, first),
                         "last", bl_date_format(x->until_day - 1, last)));
    }
    return a ? a : json_array();
}

json_t *bl_app_whatif_json(const struct bl_app_whatif_res *res)
{
    char a[BL_ISO_MAX], b[BL_ISO_MAX], day[16];
    json_t *j = json_object();
    json_object_set_new(j, "as_of", json_string(bl_time_format(res->r.as_of, a)));
    json_object_set_new(j, "horizon_days", json_integer(res->r.horizon));
    json_object_set_new(j, "until",
                        json_string(bl_time_format(res->r.as_of + res->r.horizon * 86400, b)));
    json_object_set_new(j, "stock_day", json_string(bl_date_format(res->day, day)));
    json_object_set_new(j, "data_until", json_string(bl_time_format(res->data_until, a)));
    json_object_set_new(j, "orders_projected", json_integer(res->projected));
    json_object_set_new(j, "stock_simulated", json_boolean(res->stock));
    json_object_set_new(j, "approved_reroutes", approved_json(res));
    json_object_set_new(
        j, "totals",
        json_pack(
            "{s:I, s:o, s:o, s:I, s:I, s:I}", "held", (json_int_t)res->r.held_total, "late_to_ship",
            pair(res->r.late_ship_total[0], res->r.late_ship_total[1]), "late_to_deliver",
            pair(res->r.late_deliver_total[0], res->r.late_deliver_total[1]),
            "ratings_saved_by_exemptions", (json_int_t)res->r.rescued, "ratings_falling",
            (json_int_t)res->r.falls, "ratings_saved_by_declaring", (json_int_t)res->r.saved));
    json_object_set_new(j, "orders", orders_json(res));
    json_object_set_new(j, "stockouts", stockouts_json(res));
    json_object_set_new(j, "ratings", ratings_json(res));
    json_object_set_new(j, "money", money_json(res));
    json_object_set_new(j, "shop_coupons", shop_coupons_json(res));
    return rest_json(res, j);
}
