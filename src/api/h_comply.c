/* h_comply.c - GET /api/v1/compliance: where the sales into each jurisdiction stand
 * against its tax registration threshold (bl_app_comply, computed, never stored by a
 * read; the cycle's watch step stores the alerts). */
#include <string.h>

#include <microhttpd.h>

#include "api/handlers.h"
#include "app/comply.h"
#include "ballast/money.h"
#include "ballast/time.h"

static json_t *day(int64_t d)
{
    char b[BL_ISO_MAX];
    return d < 0 ? json_null() : json_string(bl_date_format(d, b));
}

static json_t *money(const struct bl_comply_rule *r, int64_t minor)
{
    char b[48];
    return bl_money_format(minor, r->exponent, b, sizeof(b)) < 0 ? json_null() : json_string(b);
}

static json_t *crossing(const struct bl_comply_rule *r, const struct bl_comply_cross *c)
{
    if (c->day < 0)
        return json_null();
    return json_pack("{s:o, s:o, s:I}", "day", day(c->day), "amount", money(r, c->amount),
                     "transactions", (json_int_t)c->count);
}

static json_t *total(const struct bl_comply_rule *r, const struct bl_comply_total *t)
{
    return json_pack("{s:o, s:o, s:o, s:I, s:o, s:o}", "from", day(t->from), "to", day(t->to),
                     "amount", money(r, t->amount), "transactions", (json_int_t)t->count,
                     "near", crossing(r, &t->near), "crossed", crossing(r, &t->over));
}

static json_t *item(const struct bl_app_comply_item *it, const char *locale)
{
    const struct bl_comply_rule *r = it->rule;
    const struct bl_comply_state *s = &it->st;
    static const char *const which[3] = {"year", "previous_year", "twelve_months"};
    char th[200], since[BL_ISO_MAX], checked[BL_ISO_MAX];
    bl_app_comply_threshold(r, locale, th, sizeof(th));
    json_t *j = json_pack(
        "{s:s, s:s, s:o, s:s, s:s, s:s, s:I, s:s, s:o, s:o, s:o, s:o, s:I, s:I, s:I, s:I}",
        "jurisdiction", r->code, "name", bl_app_comply_name(r, locale), "shop",
        it->shop ? json_string(it->shop) : json_null(), "status", bl_comply_statuses[s->status],
        "threshold", th, "currency", r->currency, "progress_bp", (json_int_t)s->progress_bp,
        "judged_on", which[s->judged], "year", total(r, &s->year), "previous_year",
        total(r, &s->prev), "twelve_months",
        r->period == BL_COMPLY_TWELVE_MONTHS ? total(r, &s->window) : json_null(), "order",
        it->order[0] ? json_string(it->order) : json_null(), "counted", (json_int_t)s->counted,
        "cancelled_or_refunded", (json_int_t)s->cancelled, "part_refunded",
        (json_int_t)s->refunded, "domestic", (json_int_t)s->domestic);
    if (j)
        json_object_set_new(j, "unconverted", json_integer(s->unconverted));
    json_t *rule = json_pack("{s:s, s:s, s:s, s:s, s:s}", "period", bl_comply_periods[r->period],
                             "since", bl_date_format(r->since, since), "source", r->source,
                             "checked", bl_date_format(r->checked, checked), "note", r->note);
    if (j && it->has_share) { /* req->shop's share of the total judged */
        const struct bl_comply_state *x = &it->share;
        const struct bl_comply_total *t =
            s->judged == BL_COMPLY_YEAR ? &x->year : s->judged == BL_COMPLY_PREV ? &x->prev
                                                                               : &x->window;
        json_object_set_new(j, "shop_share",
                            json_pack("{s:o, s:I}", "amount", money(r, t->amount),
                                      "transactions", (json_int_t)t->count));
    }
    if (j && rule && !json_object_set_new(j, "rule", rule))
        return j;
    json_decref(j);
    json_decref(rule);
    return NULL;
}

unsigned bl__h_compliance(struct bl__api_call *c)
{
    struct bl_app_comply_req req = {.shop = bl__api_query(c, "shop"), .now = c->now};
    const char *per = bl__api_query(c, "per_shop"), *locale = bl__api_query(c, "locale");
    if (per && strcmp(per, "true") != 0 && strcmp(per, "false") != 0)
        return bl__api_error(c, MHD_HTTP_BAD_REQUEST, "invalid", "per_shop",
                             "per_shop: expected true or false");
    if (locale && strcmp(locale, "en") != 0 && strcmp(locale, "zh-CN") != 0)
        return bl__api_error(c, MHD_HTTP_BAD_REQUEST, "invalid", "locale",
                             "locale: expected en or zh-CN");
    req.per_shop = per && strcmp(per, "true") == 0;
    unsigned st = bl__api_query_time(c, "as_of", c->now, &req.as_of);
    if (st)
        return st;
    struct bl_app_comply_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_comply(c->st, c->org, &req, &res, &d);
    json_t *list = rc ? NULL : json_array();
    for (size_t i = 0; list && i < res.n; i++)
        if (json_array_append_new(list, item(&res.items[i], locale ? locale : "en")))
            json_decref(list), list = NULL;
    if (rc) {
        st = bl__api_fail(c, rc, &d);
    } else {
        char last[BL_ISO_MAX];
        json_t *missing =
            res.unconverted ? json_pack("{s:s, s:s, s:o}", "from", res.missing_from, "to",
                                        res.missing_to, "day", day(res.missing_day))
                            : json_null();
        st = bl__api_json(
            c, MHD_HTTP_OK,
            list ? json_pack("{s:o, s:s, s:I, s:I, s:I, s:I, s:o, s:o}", "as_of",
                             bl__api_time(req.as_of), "through",
                             bl_date_format(res.as_of_day, last), "orders",
                             (json_int_t)res.orders, "uncovered", (json_int_t)res.uncovered,
                             "no_destination", (json_int_t)res.no_dest, "unconverted",
                             (json_int_t)res.unconverted, "missing_rate", missing,
                             "jurisdictions", list)
                 : NULL);
        list = NULL;
    }
    json_decref(list);
    bl_app_comply_res_release(&res);
    return st;
}
