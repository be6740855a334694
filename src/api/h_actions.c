/* h_actions.c - the playbook's recorded actions, a person's decision on a proposed one
 * and a person's revert of an applied one (bl_app_actions, bl_app_action_approve,
 * bl_app_action_reject, bl_app_action_revert). */
#include <stdio.h>
#include <string.h>

#include <microhttpd.h>

#include "api/h_supply.h"
#include "app/action_words.h"
#include "app/digest.h"
#include "app/stock.h"
#include "ballast/l10n.h"
#include "ballast/time.h"

static json_t *value_json(const struct bl_stock_action *x, int64_t v)
{
    if (x->kind_known && (x->kind == BL_PB_OUT_OF_STOCK || x->kind == BL_PB_DELIST))
        return json_string(bl_pb_listing_name(v));
    char buf[32]; /* as `ballast actions` writes it */
    snprintf(buf, sizeof(buf), "%lld", (long long)v);
    return json_string(buf);
}

static json_t *opt_time(int64_t t)
{
    return t == BL_STOCK_NULL ? json_null() : bl__api_time(t);
}

/* The numbers behind the reason (action.data: available, inbound, daily, stockout,
 * restock, until), for a front end's own words; null when none or unreadable. */
static json_t *data_json(const char *text)
{
    json_t *j = text ? json_loads(text, JSON_REJECT_DUPLICATES, NULL) : NULL;
    if (j && !json_is_object(j))
        json_decref(j), j = NULL;
    return j ? j : json_null();
}

static json_t *opt_day(int64_t day)
{
    char b[16];
    return day == BL_STOCK_NULL ? json_null() : json_string(bl_date_format(day, b));
}

/* A what-if's action in parts, by names (null for the playbook's own kinds):
 *   purchase_order  {sku, sku_name, units, supplier, warehouse, order_by, arrival}
 *   transfer        {sku, sku_name, units, from, warehouse, ship_by, arrival}
 *   handling_until  {sku, sku_name, before, after, until} (days; until: the end day)
 *   promotion_until {sku, sku_name, first, until, spend_a_day} (first: the first day paused;
 *                   until: the end day, promoted again; spend_a_day: what a day saves)
 *   reroute         {shop, shop_name, orders, from, to, first, until} (from, to: the
 *                   channels by name; first: the first day; until: the end day) */
static json_t *parts_json(const struct bl_stock_action *x)
{
    if (!x->kind_known || x->kind < BL_PB_PURCHASE_ORDER)
        return json_null();
    if (x->kind == BL_PB_REROUTE) { /* the channels' names are in data (the plan's words) */
        json_t *dj = data_json(x->data);
        json_t *j =
            json_pack("{s:s, s:s, s:I, s:O, s:O, s:o, s:o}", "shop", x->target, "shop_name",
                      x->target_name, "orders", (json_int_t)x->after, "from",
                      json_object_get(dj, "from") ? json_object_get(dj, "from") : json_null(), "to",
                      json_object_get(dj, "to") ? json_object_get(dj, "to") : json_null(), "first",
                      opt_day(x->by_day), "until", opt_day(x->until_day));
        json_decref(dj);
        return j;
    }
    json_t *j = json_pack("{s:s, s:s}", "sku", x->target, "sku_name", x->target_name);
    if (!j)
        return NULL;
    if (x->kind == BL_PB_PROMOTION_UNTIL) {
        json_t *dj = data_json(x->data);
        json_t *sp = json_object_get(dj, "spend_a_day");
        json_object_set_new(j, "first", opt_day(x->by_day));
        json_object_set_new(j, "until", opt_day(x->until_day));
        json_object_set(j, "spend_a_day", sp ? sp : json_null());
        json_decref(dj);
        return j;
    }
    if (x->kind == BL_PB_HANDLING_UNTIL) {
        json_object_set_new(j, "before", json_integer(x->before));
        json_object_set_new(j, "after", json_integer(x->after));
        json_object_set_new(j, "until", opt_day(x->until_day));
        return j;
    }
    bool po = x->kind == BL_PB_PURCHASE_ORDER;
    json_object_set_new(j, "units", json_integer(x->after));
    json_object_set_new(j, po ? "supplier" : "from",
                        x->source_name ? json_string(x->source_name) : json_null());
    json_object_set_new(j, "warehouse", x->dest_name ? json_string(x->dest_name) : json_null());
    json_object_set_new(j, po ? "order_by" : "ship_by", opt_day(x->by_day));
    json_object_set_new(j, "arrival", opt_day(x->until_day));
    return j;
}

unsigned bl__api_words_open(struct bl__api_call *c, struct bl__api_words *aw)
{
    const char *locale = bl__api_query(c, "locale");
    aw->w = NULL;
    aw->l10n = NULL;
    aw->locale = locale ? locale : "en";
    if (strcmp(aw->locale, "en") != 0 && strcmp(aw->locale, "zh-CN") != 0)
        return bl__api_error(c, MHD_HTTP_BAD_REQUEST, "invalid", "locale",
                             "locale: expected en or zh-CN");
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_words_open(NULL, aw->locale, &aw->w, &d);
    if (rc)
        return bl__api_fail(c, rc, &d);
    aw->l10n = bl_l10n_open(); /* NULL: each day formatted uncached, still right */
    return 0;
}

void bl__api_words_release(struct bl__api_words *aw)
{
    bl_app_words_free(aw->w);
    bl_l10n_close(aw->l10n);
    aw->w = NULL;
    aw->l10n = NULL;
}

json_t *bl__api_action_json(const struct bl_stock_action *x, const struct bl__api_words *aw)
{
    const char *code = NULL,
               *when = x->kind_known ? bl_app_action_reverts_when(x->kind, &code) : NULL;
    char asof[BL_ISO_MAX];
    json_t *j =
        json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:s, s:s, s:s?, s:s?, s:s?}", "id",
                  (json_int_t)x->id, "kind", x->kind_text, "target", x->target, "target_type",
                  x->shop ? "shop" : "sku", "field", x->field, "before", value_json(x, x->before),
                  "after", value_json(x, x->after), "state", x->state, "as_of",
                  bl_date_format(x->as_of, asof), "reason", x->reason, "close_reason",
                  x->close_reason, "reverted_when", when, "reverted_when_code", code);
    json_t *times = json_pack("{s:o, s:o, s:o, s:o}", "proposed_at", opt_time(x->proposed_at),
                              "applied_at", opt_time(x->applied_at), "closed_at",
                              opt_time(x->closed_at), "decided_at", opt_time(x->decided_at));
    json_t *who =
        json_pack("{s:s?, s:o, s:s?, s:s, s:o}", "decided_by", x->decided_by,
                  "decided_by_actor", bl__api_actor(x->decided_by), "decision_note",
                  x->decision_note, "target_name", x->target_name, "data", data_json(x->data));
    json_t *set = json_pack("{s:s?, s:s?, s:s?}", "plan", x->plan, "shop", x->shop_ext,
                            "shop_name", x->shop_name); /* what decides it in a set */
    if (!set || json_object_update(who, set))
        json_decref(who), who = NULL;
    json_decref(set);
    json_t *parts = parts_json(x);
    if (!parts || json_object_set_new(who, "parts", parts))
        json_decref(who), who = NULL;
    char said[2048]; /* the reason in the request's words (and why it expired) */
    if (who && json_object_set_new(who, "reason_text",
                                   json_string(bl_app_action_reason(aw->w, aw->locale, aw->l10n, x,
                                                                    said, sizeof(said)))))
        json_decref(who), who = NULL;
    if (!j || !times || !who || json_object_update(j, times) || json_object_update(j, who)) {
        json_decref(j);
        j = NULL;
    }
    json_decref(times);
    json_decref(who);
    return j;
}

unsigned bl__h_actions(struct bl__api_call *c)
{
    struct bl__sup_page p;
    unsigned st = bl__sup_page_key(c, &p);
    if (st)
        return st;
    struct bl_app_actions_req req = {bl__api_query(c, "sku"),
                                     bl__api_query(c, "state"),
                                     0,
                                     p.a,
                                     p.limit + 1,
                                     bl__api_query(c, "kind"),
                                     bl__api_query(c, "plan"),
                                     bl__api_query(c, "shop")};
    struct bl__api_words aw;
    if ((st = bl__api_words_open(c, &aw)))
        return st;
    struct bl_app_actions_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_actions(c->st, c->org, &req, &res, &d);
    if (rc) {
        bl_app_actions_res_release(&res);
        bl__api_words_release(&aw);
        return bl__api_fail(c, rc, &d);
    }
    size_t n = res.n > (size_t)p.limit ? (size_t)p.limit : res.n;
    json_t *list = json_array();
    for (size_t i = 0; list && i < n; i++)
        bl__sup_push(&list, bl__api_action_json(&res.rows[i], &aw));
    json_t *next = bl__sup_next_key(res.n > n, n ? res.rows[n - 1].id : 0, 0);
    bl_app_actions_res_release(&res);
    bl__api_words_release(&aw);
    return bl__api_json(c, MHD_HTTP_OK, bl__sup_list("actions", list, next));
}

/* Action id of c->org as the list shows it: status 0 and the answer, or the error. */
static unsigned show(struct bl__api_call *c, int64_t id)
{
    struct bl_app_actions_req req = {NULL, NULL, id, 0, 1, NULL, NULL, NULL};
    struct bl__api_words aw;
    unsigned st = bl__api_words_open(c, &aw);
    if (st)
        return st;
    struct bl_app_actions_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_actions(c->st, c->org, &req, &res, &d);
    st = rc      ? bl__api_fail(c, rc, &d)
         : res.n ? bl__api_json(c, MHD_HTTP_OK, bl__api_action_json(&res.rows[0], &aw))
                 : bl__api_error(c, MHD_HTTP_NOT_FOUND, "not_found", NULL, "no action %lld",
                                 (long long)id);
    bl_app_actions_res_release(&res);
    bl__api_words_release(&aw);
    return st;
}

typedef int decide_fn(struct bl_store *, int64_t, const struct bl_app_action_approve_req *,
                      struct bl_app_action_approve_res *, struct bl_diag *);

static unsigned decide(struct bl__api_call *c, decide_fn *fn)
{
    int64_t id;
    unsigned st = bl__api_param_id(c, 0, "action", &id);
    if (st)
        return st;
    const char *bad = NULL, *note = bl__sup_member(c->body, "note", &bad);
    const char *key;
    json_t *v;
    json_object_foreach(c->body, key, v)
    {
        if (strcmp(key, "note") != 0)
            return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", key,
                                 "%s: not a member of this request (only \"note\")", key);
    }
    if (bad || (note && !note[0]))
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", "note",
                             "note: expected the text of why, or no note");
    struct bl_app_action_approve_req req = {c->now, id, c->who, note};
    struct bl_app_action_approve_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = fn(c->st, c->org, &req, &res, &d);
    if (rc == BL_ENOTFOUND)
        return bl__api_error(c, MHD_HTTP_NOT_FOUND, "not_found", NULL, "no action %lld",
                             (long long)id);
    if (rc == BL_ECONFLICT)
        return bl__api_error(c, MHD_HTTP_CONFLICT, "conflict", NULL, "%s", d.msg);
    return rc ? bl__api_fail(c, rc, &d) : show(c, id);
}

unsigned bl__h_action_approve(struct bl__api_call *c)
{
    return decide(c, bl_app_action_approve);
}

unsigned bl__h_action_reject(struct bl__api_call *c)
{
    return decide(c, bl_app_action_reject);
}

unsigned bl__h_action_revert(struct bl__api_call *c)
{
    return decide(c, bl_app_action_revert);
}
