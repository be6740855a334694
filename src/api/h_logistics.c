/* h_logistics.c - the channel catalogue, working calendars, quotes, routes for the open
 * orders and listing promises (bl_app_channels_list, bl_app_calendars_list, bl_app_quote,
 * bl_app_route, bl_app_promise). Reads only. The words beside each answer are the CLI's
 * (src/app/logistics_words.c), with a code beside them. */
#include <stdio.h>
#include <string.h>

#include <microhttpd.h>

#include "api/h_supply.h"
#include "app/logistics.h"
#include "ballast/money.h"
#include "ballast/region.h"
#include "ballast/time.h"

/* "BR,DE" as ["BR", "DE"]. */
static json_t *countries_json(const char *to)
{
    json_t *list = json_array();
    for (const char *p = to; list && *p;) {
        size_t n = strcspn(p, ",");
        bl__sup_push(&list, json_stringn(p, n));
        p += n + (p[n] ? 1 : 0);
    }
    return list;
}

static json_t *chan_json(const struct bl_app_channel *ch)
{
    char transit[48];
    snprintf(transit, sizeof(transit), "%lld-%lld", (long long)ch->transit_min,
             (long long)ch->transit_max);
    return json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:{s:I, s:I}, s:s?, s:s, s:s?, s:o, "
                     "s:s, s:o}",
                     "channel", ch->id, "carrier", ch->carrier, "mode", ch->mode, "tier", ch->tier,
                     "lanes", (json_int_t)ch->lanes, "bands", (json_int_t)ch->rates, "transit",
                     transit, "transit_days", "min", (json_int_t)ch->transit_min, "max",
                     (json_int_t)ch->transit_max, "cutoff", ch->cutoff, "tz", ch->tz, "calendar",
                     ch->calendar, "sla_days",
                     ch->has_sla ? json_integer((json_int_t)ch->sla_days) : json_null(), "currency",
                     ch->currency, "to", countries_json(ch->to));
}

unsigned bl__h_channels(struct bl__api_call *c)
{
    struct bl_app_channels_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_channels_list(c->st, c->org, &res, &d);
    json_t *list = rc ? NULL : json_array();
    for (size_t i = 0; list && i < res.n; i++)
        bl__sup_push(&list, chan_json(&res.ch[i]));
    bl_app_channels_res_release(&res);
    if (rc)
        return bl__api_fail(c, rc, &d);
    return bl__api_json(c, MHD_HTTP_OK, list ? json_pack("{s:o}", "channels", list) : NULL);
}

static json_t *cal_json(const struct bl_app_calendar *cal)
{
    static const char *const wd[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    char weekend[40] = "", first[BL_ISO_MAX], last[BL_ISO_MAX];
    json_t *days = json_array();
    for (int k = 0; k < 7; k++)
        if (cal->weekend & (1 << k)) {
            size_t n = strlen(weekend);
            snprintf(weekend + n, sizeof(weekend) - n, "%s%s", n ? "+" : "", wd[k]);
            bl__sup_push(&days, json_string(wd[k]));
        }
    return days ? json_pack("{s:s, s:s, s:o, s:I, s:s, s:s}", "calendar", cal->name, "weekend",
                            weekend[0] ? weekend : "none", "closed_weekdays", days, "closures",
                            (json_int_t)cal->closures, "first",
                            bl_date_format(cal->first_day, first), "last",
                            bl_date_format(cal->last_day, last))
                : NULL;
}

unsigned bl__h_calendars(struct bl__api_call *c)
{
    struct bl_app_calendars_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_calendars_list(c->st, c->org, &res, &d);
    json_t *list = rc ? NULL : json_array();
    for (size_t i = 0; list && i < res.n; i++)
        bl__sup_push(&list, cal_json(&res.cal[i]));
    bl_app_calendars_res_release(&res);
    if (rc)
        return bl__api_fail(c, rc, &d);
    return bl__api_json(c, MHD_HTTP_OK, list ? json_pack("{s:o}", "calendars", list) : NULL);
}

/* ---------------------------------------------------------------- quotes */

/* A region of the query into out (BL_REGION_MAX): 0, or the 400 answer. */
static unsigned region(struct bl__api_call *c, const char *name, char *out, bool required)
{
    const char *v = bl__api_query(c, name);
    struct bl_diag d;
    bl_diag_clear(&d);
    out[0] = '\0';
    if (!v && !required)
        return 0;
    if (!v)
        return bl__api_error(c, MHD_HTTP_BAD_REQUEST, "missing", name,
                             "%s is required (an ISO 3166 code: CN-GD, US-CA)", name);
    if (bl_region_parse(bl_str_c(v), out, &d))
        return bl__api_error(c, MHD_HTTP_BAD_REQUEST, "invalid", name, "%s: %s", name, d.msg);
    return 0;
}

/* dims_cm "LxWxH" (centimetres, one decimal at most) into millimetres. */
static unsigned dims(struct bl__api_call *c, int64_t *mm)
{
    const char *v = bl__api_query(c, "dims_cm");
    if (!v || bl__sup_dims_parse(v, mm) == BL_OK)
        return 0;
    return bl__api_error(c, MHD_HTTP_BAD_REQUEST, "invalid", "dims_cm",
                         "dims_cm: expected LxWxH in centimetres, each > 0 with at most one "
                         "decimal, e.g. 30x20x10");
}

static unsigned quote_req(struct bl__api_call *c, struct bl_app_quote_req *q, char *from, char *to)
{
    unsigned st = region(c, "from", from, true);
    st = st ? st : region(c, "to", to, true);
    if (!st && !bl__api_query(c, "weight_g"))
        st = bl__api_error(c, MHD_HTTP_BAD_REQUEST, "missing", "weight_g",
                           "weight_g is required (grams)");
    st = st ? st : bl__api_query_int(c, "weight_g", 0, 1000000000, 0, &q->weight_g);
    st = st ? st : dims(c, q->dims_mm);
    st = st ? st : bl__api_query_time(c, "ship_at", c->now, &q->ship_at);
    const char *by = bl__api_query(c, "by");
    struct bl_diag d;
    bl_diag_clear(&d);
    if (!st && by && bl_date_parse(bl_str_c(by), &q->by_day, &d))
        st = bl__api_error(c, MHD_HTTP_BAD_REQUEST, "invalid", "by",
                           "by: expected the date it must arrive by (2024-12-01): %s", d.msg);
    return st;
}

static json_t *option_json(const struct bl_app_quote_res *res, const struct bl_lg_option *x,
                           bool has_by)
{
    const struct bl_lg *lg = res->cat->lg;
    const struct bl_lg_channel *ch = bl_lg_channel(lg, (size_t)x->channel);
    char kg[40], status[400], dep[BL_ISO_MAX], e[BL_ISO_MAX], l[BL_ISO_MAX];
    const char *code;
    bl_app_quote_status(lg, x, status, sizeof(status), &code);
    if (bl_money_format(x->weight_g, 3, kg, sizeof(kg)) < 0)
        snprintf(kg, sizeof(kg), "%lld", (long long)x->weight_g);
    return json_pack(
        "{s:s, s:s, s:s, s:s, s:I, s:s, s:o, s:s, s:s, s:s, s:o, s:s, s:s}", "channel", ch->id,
        "carrier", ch->carrier, "mode", ch->mode, "tier", bl_app_lg_tier(ch->tier), "weight_g",
        (json_int_t)x->weight_g, "weight_kg", kg, "price", bl__api_money(x->price, ch->currency),
        "departs", bl_date_format(x->depart_day, dep), "earliest",
        bl_date_format(x->earliest_day, e), "latest", bl_date_format(x->latest_day, l), "meets_by",
        has_by ? json_boolean(x->meets) : json_null(), "status", code, "status_text", status);
}

unsigned bl__h_quotes(struct bl__api_call *c)
{
    char from[BL_REGION_MAX], to[BL_REGION_MAX];
    struct bl_app_quote_req q = {from, to, 0, {0, 0, 0}, 0, BL_LG_NO_PROMISE, NULL};
    unsigned st = quote_req(c, &q, from, to);
    if (st)
        return st;
    struct bl_app_quote_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_quote(c->st, c->org, &q, &res, &d);
    json_t *list = rc ? NULL : json_array();
    for (size_t i = 0; list && i < res.n; i++)
        bl__sup_push(&list, option_json(&res, &res.opt[i], q.by_day != BL_LG_NO_PROMISE));
    bl_app_quote_res_release(&res);
    if (rc)
        return bl__api_fail(c, rc, &d);
    return bl__api_json(c, MHD_HTTP_OK,
                        list ? json_pack("{s:s, s:s, s:I, s:o, s:o}", "from", from, "to", to,
                                         "weight_g", (json_int_t)q.weight_g, "ship_at",
                                         bl__api_time(q.ship_at), "quote", list)
                             : NULL);
}

/* ---------------------------------------------------------------- routes */

static json_t *route_json(const struct bl_app_route_res *res, const struct bl_app_route_order *o)
{
    const struct bl_lg *lg = res->cat->lg;
    /* a held order shows its first channel and window after the hold, as the CLI does */
    const struct bl_lg_route *r = o->route.state == BL_LG_SUSPENDED ? &o->after.route : &o->route;
    const struct bl_lg_channel *ch = r->channel >= 0 ? bl_lg_channel(lg, (size_t)r->channel) : NULL;
    char note[400], e[BL_ISO_MAX], l[BL_ISO_MAX];
    const char *code;
    bl_app_route_note(lg, o, note, sizeof(note), &code);
    json_t *j =
        json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:s?, s:o, s:s?, s:s?, s:o, s:b, s:s?}", "order",
                  o->order, "shop", o->shop, "state", code, "channel", ch ? ch->id : NULL,
                  "carrier", ch ? ch->carrier : NULL, "tier", ch ? bl_app_lg_tier(ch->tier) : NULL,
                  "price", ch ? bl__api_money(r->price, ch->currency) : json_null(), "earliest",
                  ch ? bl_date_format(r->earliest_day, e) : NULL, "latest",
                  ch ? bl_date_format(r->latest_day, l) : NULL, "promised",
                  bl__sup_day(o->by_day, BL_LG_NO_PROMISE), "meets_promise",
                  r->state == BL_LG_ROUTED, "note", note[0] ? note : NULL);
    return j;
}

unsigned bl__h_routes(struct bl__api_call *c)
{
    struct bl_app_route_req req = {0, NULL, NULL, NULL, bl__api_query(c, "shop")};
    struct bl__sup_page p;
    unsigned st = bl__api_query_time(c, "as_of", c->now, &req.as_of);
    st = st ? st : bl__sup_page_pos(c, &p);
    st = st ? st : bl__sup_shop(c, req.shop);
    if (st)
        return st;
    struct bl_app_route_res own;
    const struct bl_app_route_res *res = &own;
    struct bl__api_stock_ref ref = {0};
    struct bl_diag d;
    bl_diag_clear(&d);
    memset(&own, 0, sizeof(own));
    /* every shop's: routed once per data generation and kept (stock_cache.c), each page
     * cut from it; one shop's: routed for the request */
    int rc = req.shop ? bl_app_route(c->st, c->org, &req, &own, &d)
                      : bl__api_routes_get(c, req.as_of, &ref, &d);
    if (ref.rt)
        res = ref.rt;
    json_t *list = rc ? NULL : json_array();
    for (size_t i = (size_t)p.a; list && i < bl__sup_page_end(&p, res->n); i++)
        bl__sup_push(&list, route_json(res, &res->o[i]));
    json_t *next = rc ? NULL : bl__sup_next_pos(c, &p, res->n);
    bl_app_route_res_release(&own);
    bl__api_stock_put(c, &ref);
    if (rc)
        return bl__api_fail(c, rc, &d);
    json_t *j = bl__sup_list("route", list, next);
    if (j && json_object_set_new(j, "as_of", bl__api_time(req.as_of)))
        json_decref(j), j = NULL;
    return bl__api_json(c, MHD_HTTP_OK, j);
}

/* ---------------------------------------------------------------- promises */

static json_t *promise_json(const struct bl_app_promise_res *res,
                            const struct bl_app_promise_line *l)
{
    const struct bl_lg *lg = res->cat->lg;
    const struct bl_lg_promise *r = &l->p;
    const struct bl_lg_channel *ch = r->channel >= 0 ? bl_lg_channel(lg, (size_t)r->channel) : NULL;
    char win[64], e[BL_ISO_MAX], la[BL_ISO_MAX], note[600];
    const char *code;
    bl_app_promise_note(lg, res->from, l, note, sizeof(note), &code);
    snprintf(win, sizeof(win), "%lld-%lld days", (long long)r->min_days, (long long)r->max_days);
    return json_pack("{s:s, s:s, s:s, s:s, s:s?, s:o, s:o, s:s?, s:s?, s:s?, s:s?, s:s?}", "sku",
                     l->sku, "from", res->from, "to", l->to, "state", code, "window",
                     ch ? win : NULL, "min_days",
                     ch ? json_integer((json_int_t)r->min_days) : json_null(), "max_days",
                     ch ? json_integer((json_int_t)r->max_days) : json_null(), "channel",
                     ch ? ch->id : NULL, "tier", ch ? bl_app_lg_tier(ch->tier) : NULL, "earliest",
                     ch ? bl_date_format(r->earliest_day, e) : NULL, "latest",
                     ch ? bl_date_format(r->latest_day, la) : NULL, "note", note[0] ? note : NULL);
}

static unsigned promise_failed(struct bl__api_call *c, int rc, struct bl_diag *d,
                               const struct bl_app_promise_req *req)
{
    if (rc == BL_ENOTFOUND) /* an unknown SKU (the shop was checked first) */
        return bl__api_error(c, MHD_HTTP_NOT_FOUND, "not_found", req->sku ? "sku" : NULL, "%s",
                             d->msg);
    if (rc == BL_EINVAL)
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", "from", "%s", d->msg);
    return bl__api_fail(c, rc, d);
}

unsigned bl__h_promises(struct bl__api_call *c)
{
    char from[BL_REGION_MAX], to[BL_REGION_MAX];
    struct bl_app_promise_req req = {.sku = bl__api_query(c, "sku"),
                                     .shop = bl__api_query(c, "shop")};
    struct bl__sup_page p;
    unsigned st = region(c, "from", from, false);
    st = st ? st : region(c, "dest", to, false);
    st = st ? st : bl__api_query_time(c, "as_of", c->now, &req.as_of);
    st = st ? st : bl__sup_page_pos(c, &p);
    st = st ? st : bl__sup_shop(c, req.shop);
    if (st)
        return st;
    req.from = from[0] ? from : NULL;
    req.to = to[0] ? to : NULL;
    struct bl_app_promise_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_promise(c->st, c->org, &req, &res, &d);
    json_t *list = rc ? NULL : json_array();
    for (size_t i = (size_t)p.a; list && i < bl__sup_page_end(&p, res.n); i++)
        bl__sup_push(&list, promise_json(&res, &res.line[i]));
    json_t *next = rc ? NULL : bl__sup_next_pos(c, &p, res.n);
    json_t *j = rc ? NULL : bl__sup_list("promise", list, next);
    if (j && json_object_set_new(j, "from", json_string(res.from)))
        json_decref(j), j = NULL;
    st = rc ? promise_failed(c, rc, &d, &req) : bl__api_json(c, MHD_HTTP_OK, j);
    bl_app_promise_res_release(&res);
    return st;
}
