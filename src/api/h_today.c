/* h_today.c - GET /api/v1/today: the Today page's summary in one answer (bl_app_today,
 * src/app/today.h), the stock-outs and the shops at risk read from the plan and the
 * assessment kept per data generation (stock_cache.c), never computed here. */
#include <string.h>

#include <microhttpd.h>

#include "api/handlers.h"
#include "app/today.h"
#include "ballast/time.h"

struct held {
    struct bl__api_call *c;
    struct bl__api_stock_ref plan, shops;
};

static int alerts_of(void *ctx, int64_t day, const struct bl_app_alerts_res **al, struct bl_diag *d)
{
    struct held *h = ctx;
    int rc = bl__api_stock_get(h->c, day, &h->plan, d);
    *al = h->plan.al;
    return rc;
}

static int assess_of(void *ctx, int64_t as_of, const struct bl_app_assess_res **as,
                     struct bl_diag *d)
{
    struct held *h = ctx;
    int rc = bl__api_assess_get(h->c, as_of, &h->shops, d);
    *as = h->shops.as;
    return rc;
}

static void push(json_t **list, json_t *x)
{
    if (*list && (!x || json_array_append_new(*list, x)))
        json_decref(*list), *list = NULL;
}

static json_t *messages_json(const struct bl_app_today_res *r)
{
    json_t *kinds = json_array();
    for (size_t i = 0; kinds && i < r->nmsgs; i++)
        push(&kinds, json_pack("{s:s, s:s, s:I}", "state", r->msgs[i].state, "kind",
                               r->msgs[i].kind, "count", (json_int_t)r->msgs[i].n));
    return json_pack("{s:I, s:I, s:o}", "planned", (json_int_t)r->planned, "held",
                     (json_int_t)r->held, "by_kind", kinds);
}

static json_t *actions_json(const struct bl_app_today_res *r, const struct bl__api_words *aw)
{
    json_t *first = json_array();
    for (size_t i = 0; first && i < r->actions.n; i++)
        push(&first, bl__api_action_json(&r->actions.rows[i], aw));
    return json_pack("{s:I, s:o}", "proposed", (json_int_t)r->proposed, "first", first);
}

static json_t *stockouts_json(const struct bl_app_today_res *r)
{
    if (!r->stock_known)
        return json_pack("{s:n, s:n, s:[]}", "count", "within_days", "soonest");
    json_t *list = json_array();
    for (size_t i = 0; list && i < r->nsoonest; i++) {
        const struct bl_app_stock_alert *a = r->soonest[i].a;
        char date[BL_ISO_MAX], msg[400];
        push(&list, json_pack("{s:s, s:s, s:I, s:s, s:s}", "sku", r->al->day->snap.sku_ext[a->sku],
                              "name", r->soonest[i].name, "days", (json_int_t)a->value, "date",
                              bl_date_format(r->day + a->value, date), "message",
                              bl_app_stock_alert_text(r->al->day, a, msg, sizeof(msg))));
    }
    /* the stock-out alerts: a stock-out within the plan policy's alert days */
    return json_pack("{s:I, s:I, s:o}", "count", (json_int_t)r->stockouts, "within_days",
                     (json_int_t)r->al->day->opts.policy.alert_days, "soonest", list);
}

/* The purchase orders overdue, the latest first, each named (PO, supplier, due day). */
static json_t *overdue_json(const struct bl_app_today_res *r)
{
    if (!r->stock_known)
        return json_pack("{s:n, s:[]}", "count", "latest");
    json_t *list = json_array();
    for (size_t i = 0; list && i < r->nlate; i++) {
        const struct bl_app_stock_alert *a = r->late[i].a;
        struct bl_app_overdue_po o;
        bl_app_stock_overdue(r->al->day, a->sku, &o);
        char due[BL_ISO_MAX], msg[400];
        push(&list, json_pack("{s:s, s:s, s:s?, s:s?, s:s, s:I, s:I, s:b, s:I, s:s}", "sku",
                              r->al->day->snap.sku_ext[a->sku], "name", r->late[i].name, "po", o.po,
                              "supplier", o.supplier, "due", bl_date_format(o.due_day, due),
                              "days_late", (json_int_t)o.days_late, "units", (json_int_t)o.qty,
                              "counted", o.counted, "overdue_pos", (json_int_t)o.n, "message",
                              bl_app_stock_alert_text(r->al->day, a, msg, sizeof(msg))));
    }
    return json_pack("{s:I, s:I, s:o}", "count", (json_int_t)r->overdue, "overdue_days",
                     (json_int_t)r->al->day->opts.policy.overdue_days, "latest", list);
}

static json_t *shops_json(const struct bl_app_today_res *r)
{
    json_t *list = json_array();
    for (size_t i = 0; list && i < r->nrisky; i++) {
        const struct bl_app_today_shop *s = &r->risky[i];
        json_t *j = bl__api_assess_shop_json(s->s);
        if (j && json_object_update_new(j, json_pack("{s:s, s:i, s:i}", "name", s->name, "breaches",
                                                     s->breaches, "at_risk", s->at_risk)))
            json_decref(j), j = NULL;
        push(&list, j);
    }
    return json_pack("{s:I, s:o}", "count", (json_int_t)r->nrisky, "shops", list);
}

static json_t *today_json(const struct bl_app_today_res *r, const struct bl__api_words *aw)
{
    json_t *dis = json_array();
    for (size_t i = 0; dis && i < r->dis.n; i++)
        push(&dis, bl__api_dis_json(&r->dis.items[i]));
    char day[BL_ISO_MAX];
    return json_pack("{s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:{s:I, s:o}}", "as_of",
                     bl__api_time(r->as_of), "stock_day", bl_date_format(r->day, day), "cycle",
                     r->has_cycle ? bl__api_cycle_json(&r->cycle) : json_null(), "messages",
                     messages_json(r), "actions", actions_json(r, aw), "stockouts",
                     stockouts_json(r), "overdue_pos", overdue_json(r), "shops_at_risk",
                     shops_json(r), "disruptions", "count", (json_int_t)r->dis.n, "in_force", dis);
}

unsigned bl__h_today(struct bl__api_call *c)
{
    struct held h = {.c = c};
    struct bl_app_today_req req = {
        .now = c->now, .alerts_fn = alerts_of, .assess_fn = assess_of, .ctx = &h};
    int64_t top;
    unsigned st = bl__api_query_time(c, "as_of", BL_NO_TIME, &req.as_of);
    st = st ? st : bl__api_query_int(c, "top", 1, BL_APP_TODAY_MAX, BL_APP_TODAY_TOP, &top);
    if (st)
        return st;
    req.top = (size_t)top;
    struct bl__api_words aw;
    if ((st = bl__api_words_open(c, &aw)))
        return st;
    struct bl_app_today_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_today(c->st, c->org, &req, &res, &d);
    st = rc ? bl__api_fail(c, rc, &d) : bl__api_json(c, MHD_HTTP_OK, today_json(&res, &aw));
    bl_app_today_res_release(&res);
    bl__api_words_release(&aw);
    bl__api_stock_put(c, &h.plan);
    bl__api_stock_put(c, &h.shops);
    return st;
}
