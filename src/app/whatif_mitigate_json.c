/* whatif_mitigate_json.c - the plans as data (whatif_mitigate.h): what `whatif --mitigate
 * --json` prints and POST /api/v1/whatif returns under "mitigation". Amounts are decimal
 * text in the currency named beside them (exact), days ISO dates. */
#include <jansson.h>

#include "app/whatif_mitigate.h"
#include "ballast/replenish.h"
#include "ballast/money.h"
#include "ballast/time.h"

static json_t *amount(const struct bl_app_mg_res *r, int64_t minor)
{
    char buf[48];
    if (bl_money_format(minor, r->exponent, buf, sizeof(buf)) < 0)
        return json_null();
    return json_string(buf);
}

static json_t *day(int64_t d)
{
    char buf[16];
    return d == BL_RP_NEVER ? json_null() : json_string(bl_date_format(d, buf));
}

/* A rate as a fraction, to four places (0.0213: 2.13%). */
static double rate(double x)
{
    return x != x ? 0 : (double)(long long)(x * 10000 + 0.5) / 10000;
}

static json_t *step_json(const struct bl_app_mg_res *r, const struct bl_app_mg_step *s)
{
    json_t *j = json_pack("{s:s, s:o, s:o, s:I, s:o, s:o}", "kind", bl_mg_kind_name(s->kind), "by",
                          day(s->by_day), "from", day(s->ready_day), "units", (json_int_t)s->units,
                          "cost", amount(r, s->cost), "saving", amount(r, s->saving));
    if (!j)
        return NULL;
    if (s->sku) {
        json_object_set_new(j, "sku", json_string(s->sku));
        json_object_set_new(j, "sku_name", s->sku_name ? json_string(s->sku_name) : json_null());
        json_object_set_new(j, "warehouse", json_string(s->warehouse));
    }
    if (s->shop) {
        json_object_set_new(j, "shop", json_string(s->shop));
        json_object_set_new(j, "carrier", s->carrier ? json_string(s->carrier) : json_null());
        json_object_set_new(j, "ships_from", s->place_en ? json_string(s->place_en) : json_null());
        json_object_set_new(j, "ships_from_zh",
                            s->place_zh ? json_string(s->place_zh) : json_null());
    }
    if (s->source)
        json_object_set_new(j, "source", json_string(s->source));
    if (s->kind == BL_MG_EXTEND_HANDLING || s->kind == BL_MG_PAUSE_PROMOTION)
        json_object_set_new(j, "days", json_integer(s->days));
    if (s->kind == BL_MG_PAUSE_PROMOTION) { /* from its stock-out day to until */
        json_object_set_new(j, "until", day(s->until_day));
        json_object_set_new(j, "spend_a_day", amount(r, s->promo_day));
    }
    if (s->kind == BL_MG_REROUTE) { /* carrier: the channel suspended; source: the other */
        json_object_set_new(j, "carrier_zh",
                            s->carrier_zh ? json_string(s->carrier_zh) : json_null());
        json_object_set_new(j, "source_zh", s->source_zh ? json_string(s->source_zh) : json_null());
        json_object_set_new(j, "until", day(s->until_day));
    }
    if (s->rating) /* a reroute for a rating: the late shipment rate it keeps */
        json_object_set_new(j, "keeps_rating",
                            json_pack("{s:s, s:i, s:f, s:f, s:f}", "metric", "late_shipment_rate",
                                      "days", s->rate_days, "with", rate(s->rate_kept), "without",
                                      rate(s->rate_left), "target", rate(s->rate_target)));
    return j;
}

/* The approved reroutes the runs follow: the channels by name, the days. */
static json_t *approved_json(const struct bl_app_mg_res *r)
{
    json_t *v = json_array();
    for (size_t i = 0; v && i < r->napproved; i++) {
        const struct bl_app_mg_approved *a = &r->approved[i];
        json_array_append_new(v, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "action",
                                           (json_int_t)a->action, "shop", a->shop, "from", a->from,
                                           "to", a->to, "from_zh", a->from_zh, "to_zh", a->to_zh,
                                           "first", day(a->first_day), "last", day(a->last_day)));
    }
    return v ? v : json_array();
}

json_t *bl_app_mg_json(const struct bl_app_mg_res *r)
{
    json_t *plans = json_array();
    for (size_t i = 0; plans && i < r->nplans; i++) {
        const struct bl_app_mg_plan *p = &r->plans[i];
        json_t *steps = json_array();
        for (size_t k = 0; steps && k < p->nsteps; k++)
            json_array_append_new(steps, step_json(r, &p->steps[k]));
        json_array_append_new(
            plans,
            json_pack("{s:I, s:s, s:o, s:o, s:o, s:o, s:b, s:I, s:o}", "rank", (json_int_t)i + 1,
                      "plan", bl_mg_plan_name(p->kind), "total", amount(r, p->total), "spend",
                      amount(r, p->spend), "left", amount(r, p->left), "saving",
                      amount(r, p->saving), "measured", p->measured, "ratings_kept",
                      (json_int_t)p->ratings_kept, "steps", steps ? steps : json_array()));
    }
    return json_pack("{s:s, s:o, s:o, s:o, s:o, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, "
                     "s:o}",
                     "currency", r->currency, "doing_nothing", amount(r, r->baseline),
                     "lost_margin", amount(r, r->stockout_cost), "coupons", amount(r, r->late_cost),
                     "promotion", amount(r, r->promo_cost), "units_short",
                     (json_int_t)r->units_short, "late_orders", (json_int_t)r->late_orders,
                     "late_unpaid", (json_int_t)r->late_unpaid, "late_unrated",
                     (json_int_t)r->late_unrated, "problems", (json_int_t)r->nproblems, "levers",
                     (json_int_t)r->nlevers, "runs", (json_int_t)r->runs, "cost_unknown",
                     (json_int_t)r->cost_unknown, "no_rate", (json_int_t)r->no_rate,
                     "approved_reroutes", approved_json(r), "plans", plans ? plans : json_array());
}
