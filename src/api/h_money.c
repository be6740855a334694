/* h_money.c - the buyers' money: coupons issued or owed (bl_app_coupons), a shop's deposit
 * ledger (bl_app_ledger), compensating late shipments (bl_app_compensate) and deciding a
 * refund (bl_app_refund) and the decisions recorded (bl_app_refunds). */
#include <string.h>

#include <microhttpd.h>

#include "api/handlers.h"
#include "app/compensate.h"
#include "app/logistics.h"
#include "ballast/time.h"

/* ---------------------------------------------------------------- body members */

/* A string member (NULL when absent or null); *bad names the first that is not one. */
static const char *member(json_t *body, const char *name, const char **bad)
{
    json_t *v = json_object_get(body, name);
    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_string(v)) {
        *bad = *bad ? *bad : name;
        return NULL;
    }
    return json_string_value(v);
}

static bool flag(json_t *body, const char *name, const char **bad)
{
    json_t *v = json_object_get(body, name);
    if (v && !json_is_boolean(v) && !json_is_null(v))
        *bad = *bad ? *bad : name;
    return v && json_is_true(v);
}

/* A date (the end of that day UTC) or an instant with its offset. */
static unsigned body_time(struct bl__api_call *c, const char *name, const char *text, int64_t *t)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    int64_t day;
    struct bl_str s = bl_str_c(text);
    if (s.len == 10 && bl_date_parse(s, &day, &d) == BL_OK) {
        *t = (day + 1) * BL_DAY_SECS;
        return 0;
    }
    if (bl_time_parse(s, NULL, t, &d) == BL_OK)
        return 0;
    return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", name,
                         "%s: expected a date (YYYY-MM-DD, the end of that day UTC) or an "
                         "instant with its offset (2024-11-15T08:00:00Z)",
                         name);
}

static unsigned not_string(struct bl__api_call *c, const char *bad)
{
    return bl__api_error(
        c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", bad, "%s: expected a %s", bad,
        strcmp(bad, "dry_run") == 0 || strcmp(bad, "all_shops") == 0 ? "boolean" : "string");
}

/* ---------------------------------------------------------------- coupons */

static json_t *coupon_json(const struct bl_app_coupon_listed *k)
{
    return json_pack("{s:I, s:s, s:s, s:o, s:s, s:s?, s:s?, s:o}", "id", (json_int_t)k->id, "shop",
                     k->shop, "order", k->order, "amount", bl__api_money(k->amount, k->currency),
                     "state", k->paid ? "paid" : "owed", "reason", k->reason, "profile", k->profile,
                     "issued_at", bl__api_time(k->issued_at));
}

unsigned bl__h_coupons(struct bl__api_call *c)
{
    struct bl_app_coupons_req req = {.shop = bl__api_query(c, "shop")};
    const char *state = bl__api_query(c, "state");
    struct bl__api_page pg;
    unsigned st = bl__api_shop_check(c, req.shop);
    st = st ? st : bl__api_page_args(c, &pg);
    if (!st && state && strcmp(state, "paid") != 0 && strcmp(state, "owed") != 0)
        st = bl__api_error(c, MHD_HTTP_BAD_REQUEST, "invalid", "state",
                           "state: expected paid or owed");
    if (st)
        return st;
    /* the page is cut in the store's query (one more row says whether there are more) */
    req.state = state;
    req.after = pg.after;
    req.limit = pg.limit + 1;
    struct bl_app_coupons_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_coupons(c->st, c->org, &req, &res, &d);
    json_t *list = rc ? NULL : json_array();
    for (size_t i = 0; list && i < res.n; i++) {
        const struct bl_app_coupon_listed *k = &res.coupons[i];
        if (bl__api_page_takes(&pg, k->id) && json_array_append_new(list, coupon_json(k)))
            json_decref(list), list = NULL;
    }
    bl_app_coupons_res_release(&res);
    if (rc)
        return bl__api_fail(c, rc, &d);
    return bl__api_json(c, MHD_HTTP_OK, bl__api_page_answer(&pg, "coupons", list));
}

/* ---------------------------------------------------------------- ledger */

static json_t *entry_json(const struct bl_app_ledger_entry *e)
{
    return json_pack("{s:I, s:o, s:s, s:o, s:o, s:s?, s:s?}", "id", (json_int_t)e->id, "as_of",
                     bl__api_time(e->as_of), "kind", e->kind, "amount",
                     bl__api_money(e->amount, e->currency), "balance",
                     bl__api_money(e->balance, e->currency), "ref", e->ref, "note", e->note);
}

unsigned bl__h_ledger(struct bl__api_call *c)
{
    struct bl_app_ledger_req req = {.shop = bl__api_query(c, "shop")};
    struct bl__api_page pg;
    if (!req.shop)
        return bl__api_error(c, MHD_HTTP_BAD_REQUEST, "missing", "shop",
                             "shop is required: the ledger is one shop's deposit");
    unsigned st = bl__api_shop_check(c, req.shop);
    st = st ? st : bl__api_page_args(c, &pg);
    if (st)
        return st;
    /* the page is cut in the store's query, its balances carried from the sums before it */
    req.after = pg.after;
    req.limit = pg.limit + 1; /* one more: is there a next page? */
    struct bl_app_ledger_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_ledger(c->st, c->org, &req, &res, &d);
    json_t *list = rc ? NULL : json_array();
    for (size_t i = 0; list && i < res.n; i++)
        if (bl__api_page_takes(&pg, res.entries[i].id) &&
            json_array_append_new(list, entry_json(&res.entries[i])))
            json_decref(list), list = NULL;
    json_t *j = rc ? NULL : bl__api_page_answer(&pg, "entries", list);
    if (j &&
        json_object_update_new(j, json_pack("{s:s, s:o, s:o}", "shop", req.shop, "opening_deposit",
                                            bl__api_money(res.deposit, res.currency), "balance",
                                            bl__api_money(res.balance, res.currency))))
        json_decref(j), j = NULL;
    bl_app_ledger_res_release(&res);
    return rc ? bl__api_fail(c, rc, &d) : bl__api_json(c, MHD_HTTP_OK, j);
}

/* ---------------------------------------------------------------- compensate */

static const char *const coupon_states[] = {"paid", "owed_deposit_short", "owed_other_currency"};
static const char *const coupon_reasons[] = {"late_shipped", "not_shipped"};

static json_t *issued_json(const struct bl_app_coupon *k, int64_t as_of)
{
    char note[400];
    bl_app_coupon_note(k, as_of, note, sizeof(note));
    return json_pack(
        "{s:s, s:s, s:s?, s:o, s:s, s:o, s:s, s:s, s:o, s:o, s:o, s:I}", "shop", k->shop, "order",
        k->order, "profile", k->profile, "amount", bl__api_money(k->amount, k->currency), "state",
        coupon_states[k->state], "deposit_after", bl__api_money(k->balance_after, k->shop_currency),
        "reason", coupon_reasons[k->reason], "reason_text", note, "ship_by",
        bl__api_time(k->ship_by), "shipped_at", bl__api_time(k->shipped), "order_amount",
        bl__api_money(k->order_amount, k->currency), "share_bp", (json_int_t)k->comp_bp);
}

static unsigned compensate_req(struct bl__api_call *c, struct bl_app_compensate_req *req)
{
    const char *bad = NULL;
    const char *as_of = member(c->body, "as_of", &bad);
    req->profile = member(c->body, "profile", &bad);
    req->shop = member(c->body, "shop", &bad);
    req->all_shops = flag(c->body, "all_shops", &bad);
    req->dry_run = flag(c->body, "dry_run", &bad);
    req->now = c->now;
    if (bad)
        return not_string(c, bad);
    if (!as_of)
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "missing", "as_of",
                             "as_of is required: the late shipments as of then");
    unsigned st = body_time(c, "as_of", as_of, &req->as_of);
    if (!st && req->shop && (st = bl__api_shop_check(c, req->shop)) == MHD_HTTP_NOT_FOUND)
        st = bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", "shop", "no shop %s",
                           req->shop);
    return st;
}

unsigned bl__h_compensate(struct bl__api_call *c)
{
    struct bl_app_compensate_req req = {0};
    unsigned st = compensate_req(c, &req);
    if (st)
        return st;
    struct bl_app_compensate_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_compensate(c->st, c->org, &req, &res, &d);
    json_t *list = rc ? NULL : json_array();
    for (size_t i = 0; list && i < res.n; i++)
        if (json_array_append_new(list, issued_json(&res.coupons[i], res.as_of)))
            json_decref(list), list = NULL;
    if (rc && res.problem == BL_APP_ASSESS_NO_SHOP_FOR_PROFILE)
        st = bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", "profile",
                           "no shop uses profile %s: name a shop, or set all_shops", req.profile);
    else if (rc)
        st = bl__api_fail(c, rc, &d);
    else
        st = bl__api_json(
            c, req.dry_run ? MHD_HTTP_OK : MHD_HTTP_CREATED,
            list ? json_pack("{s:o, s:b, s:o, s:I, s:I, s:I}", "as_of", bl__api_time(res.as_of),
                             "dry_run", req.dry_run, "coupons", list, "already_compensated",
                             (json_int_t)res.already, "ledger_entries",
                             (json_int_t)res.ledger_added, "alerts", (json_int_t)res.alerts_added)
                 : NULL);
    if (rc)
        json_decref(list);
    bl_app_compensate_res_release(&res);
    return st;
}

/* ---------------------------------------------------------------- refunds */

static const char *const refund_kinds[] = {"full_refund", "return_to_warehouse",
                                           "partial_refund_keep", "return_to_origin"};
static const char *const refund_reasons[] = {"not_shipped",     "cancelled",       "warehouse",
                                             "return_too_dear", "no_return_quote", "return_cheap",
                                             "recorded_before"};

static json_t *refund_json(const struct bl_app_refund_res *r)
{
    json_t *j =
        json_pack("{s:s, s:s, s:s, s:s, s:b, s:b, s:o, s:o, s:o, s:I, s:s?, s:s?, "
                  "s:s?, s:s?, s:s?, s:s?}",
                  "order", r->order, "shop", r->shop, "decision", refund_kinds[r->kind], "reason",
                  refund_reasons[r->reason], "decided_before", r->state == BL_APP_REFUND_BEFORE,
                  "delivered", r->delivered, "order_amount", bl__api_money(r->amount, r->currency),
                  "refund", bl__api_money(r->refund, r->currency), "threshold",
                  bl__api_money(r->threshold, r->currency), "share_bp", (json_int_t)r->share_bp,
                  "warehouse", r->warehouse, "warehouse_region", r->warehouse_region, "return_via",
                  r->via, "return_from", r->from, "return_to", r->to, "note", r->note);
    if (j && json_object_set_new(j, "return_cost",
                                 r->has_return_cost ? bl__api_money(r->return_cost, r->currency)
                                                    : json_null()))
        json_decref(j), j = NULL;
    return j;
}

unsigned bl__h_refund(struct bl__api_call *c)
{
    const char *bad = NULL, *as_of;
    struct bl_app_refund_req req = {.now = c->now, .as_of = c->now};
    req.order = member(c->body, "order", &bad);
    req.shop = member(c->body, "shop", &bad);
    req.reason = member(c->body, "reason", &bad);
    as_of = member(c->body, "as_of", &bad);
    if (bad)
        return not_string(c, bad);
    if (!req.order)
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "missing", "order",
                             "order is required: the order the buyer asks a refund for");
    unsigned st = as_of ? body_time(c, "as_of", as_of, &req.as_of) : 0;
    if (!st && req.shop && (st = bl__api_shop_check(c, req.shop)) == MHD_HTTP_NOT_FOUND)
        st = bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", "shop", "no shop %s",
                           req.shop);
    if (st)
        return st;
    struct bl_app_refund_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_refund(c->st, c->org, &req, &res, &d);
    if (rc == BL_EINVAL && !req.shop)
        st = bl__api_error(c, MHD_HTTP_CONFLICT, "ambiguous", "shop", "%s", d.msg);
    else if (rc)
        st = bl__api_fail(c, rc, &d);
    else
        st = bl__api_json(c, res.state == BL_APP_REFUND_BEFORE ? MHD_HTTP_OK : MHD_HTTP_CREATED,
                          refund_json(&res));
    bl_app_refund_res_release(&res);
    return st;
}

static json_t *decided_json(const struct bl_app_refund_item *r)
{
    json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:s?, s:s?, s:s, s:o, s:o}", "id",
                          (json_int_t)r->id, "order", r->order, "shop", r->shop, "decision",
                          refund_kinds[r->kind], "refund", bl__api_money(r->refund, r->currency),
                          "threshold", bl__api_money(r->threshold, r->currency), "warehouse",
                          r->warehouse, "request", r->request, "note", r->note, "as_of",
                          bl__api_time(r->as_of), "decided_at", bl__api_time(r->at));
    if (j && json_object_set_new(j, "return_cost",
                                 r->has_return_cost ? bl__api_money(r->return_cost, r->currency)
                                                    : json_null()))
        json_decref(j), j = NULL;
    return j;
}

unsigned bl__h_refunds(struct bl__api_call *c)
{
    struct bl_app_refunds_req req = {bl__api_query(c, "shop"), 0, 0};
    struct bl__api_page pg;
    unsigned st = bl__api_shop_check(c, req.shop);
    st = st ? st : bl__api_page_args(c, &pg);
    if (st)
        return st;
    req.after = pg.after;
    req.limit = pg.limit + 1; /* one more: is there a next page? */
    struct bl_app_refunds_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_refunds(c->st, c->org, &req, &res, &d);
    json_t *list = rc ? NULL : json_array();
    for (size_t i = 0; list && i < res.n; i++)
        if (bl__api_page_takes(&pg, res.items[i].id) &&
            json_array_append_new(list, decided_json(&res.items[i])))
            json_decref(list), list = NULL;
    bl_app_refunds_res_release(&res);
    if (rc)
        return bl__api_fail(c, rc, &d);
    return bl__api_json(c, MHD_HTTP_OK, bl__api_page_answer(&pg, "refunds", list));
}
