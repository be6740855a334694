/* h_orders.c - a shop's orders, a page at a time, and one order with its lines and
 * history (bl_app_orders_list, bl_app_orders_show). */
#include <stdio.h>
#include <string.h>

#include <microhttpd.h>

#include "api/handlers.h"
#include "app/data.h"
#include "app/disruption.h"
#include "app/orders.h"

#define PAGE_DEFAULT 100
#define PAGE_MAX 1000

static json_t *order_json(const struct bl_order_row *o)
{
    json_t *j = json_pack("{s:s, s:s, s:s, s:I}", "id", o->ext_id, "shop", o->shop, "status",
                          o->status, "line_count", (json_int_t)o->lines);
    struct {
        const char *k;
        int64_t t;
    } times[] = {{"placed_at", o->placed_at},       {"ship_by", o->ship_by},
                 {"shipped_at", o->shipped_at},     {"picked_up_at", o->picked_up_at},
                 {"delivered_at", o->delivered_at}, {"promised_at", o->promised_at},
                 {"cancelled_at", o->cancelled_at}};
    for (size_t i = 0; j && i < sizeof(times) / sizeof(times[0]); i++)
        if (json_object_set_new(j, times[i].k, bl__api_time(times[i].t)))
            json_decref(j), j = NULL;
    const char *texts[][2] = {{"cancelled_by", o->cancelled_by}, {"ship_from", o->ship_from},
                              {"ship_to", o->ship_to},           {"customer", o->customer},
                              {"fulfilment", o->fulfilment},     {"tracking", o->tracking}};
    for (size_t i = 0; j && i < sizeof(texts) / sizeof(texts[0]); i++)
        if (json_object_set_new(j, texts[i][0], bl__api_str(texts[i][1])))
            json_decref(j), j = NULL;
    if (j && json_object_set_new(j, "amount", bl__api_money(o->amount, o->currency)))
        json_decref(j), j = NULL;
    return j;
}

/* A shop named in the query must be the caller's: another's answers 404, as an unknown one. */
static unsigned check_shop(struct bl__api_call *c, const char *shop)
{
    char tz[64];
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = shop ? bl_app_shop_zone(c->st, c->org, shop, tz, sizeof(tz), &d) : 0;
    if (rc == BL_ENOTFOUND) {
        char shown[BL_SHOW_BUF];
        return bl__api_error(c, MHD_HTTP_NOT_FOUND, "not_found", "shop", "no shop %s",
                             bl_str_show(bl_str_c(shop), BL_SHOW, shown));
    }
    return rc ? bl__api_fail(c, rc, &d) : 0;
}

static unsigned list_req(struct bl__api_call *c, struct bl_app_orders_list_req *req)
{
    memset(req, 0, sizeof(*req));
    req->shop = bl__api_query(c, "shop");
    req->status = bl__api_query(c, "status");
    unsigned st = check_shop(c, req->shop);
    const char *from = bl__api_query(c, "from"), *to = bl__api_query(c, "to");
    req->has_from = from != NULL;
    req->has_to = to != NULL;
    st = st ? st : bl__api_query_time(c, "from", 0, &req->from);
    st = st ? st : bl__api_query_time(c, "to", 0, &req->to);
    st = st ? st : bl__api_query_int(c, "limit", 1, PAGE_MAX, PAGE_DEFAULT, &req->limit);
    const char *cursor = bl__api_query(c, "cursor");
    if (!st && cursor) {
        req->has_after = true;
        if (bl__api_cursor_decode(bl_str_c(cursor), &req->after_placed, &req->after_id))
            st = bl__api_error(c, MHD_HTTP_BAD_REQUEST, "invalid", "cursor",
                               "cursor: not one this API gave (pass next_cursor as it is)");
    }
    return st;
}

unsigned bl__h_orders(struct bl__api_call *c)
{
    struct bl_app_orders_list_req req;
    unsigned st = list_req(c, &req);
    if (st)
        return st;
    int64_t page = req.limit;
    req.limit = page + 1; /* one more: is there a next page? */
    struct bl_app_orders_list_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_orders_list(c->st, c->org, &req, &res, &d);
    json_t *list = rc ? NULL : json_array();
    size_t n = res.n > (size_t)page ? (size_t)page : res.n;
    for (size_t i = 0; list && i < n; i++)
        if (json_array_append_new(list, order_json(&res.orders[i])))
            json_decref(list), list = NULL;
    char next[64] = "";
    if (!rc && res.n > n)
        bl__api_cursor_encode(res.orders[n - 1].placed_at, res.orders[n - 1].id, next,
                              sizeof(next));
    bl_app_orders_list_res_release(&res);
    if (rc)
        return bl__api_fail(c, rc, &d);
    return bl__api_json(
        c, MHD_HTTP_OK,
        list ? json_pack("{s:o, s:s?}", "orders", list, "next_cursor", next[0] ? next : NULL)
             : NULL);
}

static json_t *shown_json(const struct bl_app_order_shown *s)
{
    json_t *j = order_json(&s->order), *lines = json_array(), *events = json_array();
    for (size_t i = 0; lines && i < s->nlines; i++) {
        const struct bl_order_line_row *l = &s->lines[i];
        if (json_array_append_new(lines,
                                  json_pack("{s:I, s:s, s:I, s:o}", "line", (json_int_t)l->line_no,
                                            "sku", l->sku, "qty", (json_int_t)l->qty, "unit_price",
                                            bl__api_money(l->price, l->currency))))
            json_decref(lines), lines = NULL;
    }
    for (size_t i = 0; events && i < s->nevents; i++) {
        const struct bl_order_event_row *e = &s->events[i];
        if (json_array_append_new(events,
                                  json_pack("{s:o, s:s, s:s?, s:s?, s:b, s:s?, s:s?}", "at",
                                            bl__api_time(e->at), "field", e->field, "from",
                                            e->old_value, "to", e->new_value, "correction",
                                            e->correction, "import", e->kind, "file", e->source)))
            json_decref(events), events = NULL;
    }
    if (!j || !lines || !events) {
        json_decref(j);
        json_decref(lines);
        json_decref(events);
        return NULL;
    }
    int bad = json_object_set_new(j, "lines", lines);
    bad |= json_object_set_new(j, "history", events);
    if (bad) {
        json_decref(j);
        return NULL;
    }
    return j;
}

/* The cache's key of an order's answer (its id and the shop asked, each ended by 0x1f) and
 * the organisation's data generation: -1 when it is not to be cached. */
static int64_t order_version(struct bl__api_call *c, const struct bl_app_orders_show_req *req,
                             char *key, size_t cap)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    int64_t gen = -1;
    int n = snprintf(key, cap, "order\x1f%s\x1f%s\x1f", req->ext_id ? req->ext_id : "",
                     req->shop ? req->shop : "\x1e");
    if (req->ext_id && n > 0 && (size_t)n < cap && bl_app_data_gen(c->st, c->org, &gen, &d))
        gen = -1;
    return gen;
}

unsigned bl__h_order(struct bl__api_call *c)
{
    struct bl_app_orders_show_req req = {bl__api_param(c, 0), bl__api_query(c, "shop")};
    char key[512];
    int64_t gen = order_version(c, &req, key, sizeof(key));
    if (bl__api_cached(c, key, gen, 0))
        return MHD_HTTP_OK;
    unsigned st = req.ext_id ? check_shop(c, req.shop) : 0;
    if (st)
        return st;
    struct bl_app_orders_show_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_orders_show(c->st, c->org, &req, &res, &d);
    if (!rc && res.n > 1) {
        st = bl__api_error(c, MHD_HTTP_CONFLICT, "ambiguous", "shop",
                           "%zu shops have an order %s: name one with ?shop=", res.n, req.ext_id);
    } else if (!rc) {
        st = bl__api_json_keep(c, shown_json(&res.orders[0]), key, gen, 0);
    } else {
        st = bl__api_fail(c, rc, &d);
    }
    bl_app_orders_show_res_release(&res);
    return st;
}
