/* h_dis_change.c - changing a disruption and what it touches: correct it (PATCH, as
 * `disruption edit`), lift it (as `disruption lift`) and its impact (as `disruption
 * impact`): bl_app_disruption_edit, _lift, _impact. */
#include <string.h>

#include <microhttpd.h>

#include "api/handlers.h"
#include "app/disruption.h"
#include "ballast/time.h"

/* The refusal of an edit or a lift: d names the field ("id" is the path's, not a member). */
static unsigned refused(struct bl__api_call *c, int rc, struct bl_diag *d,
                        enum bl_app_dis_reason why)
{
    if (strcmp(d->field, "id") == 0)
        d->field[0] = '\0';
    if (why == BL_APP_DIS_BAD_REGION && !d->field[0])
        bl_diag_at(d, NULL, 0, "region");
    if (why == BL_APP_DIS_BAD_REGION || why == BL_APP_DIS_BAD_WINDOW ||
        why == BL_APP_DIS_BEFORE_START || why == BL_APP_DIS_LIFT_BEFORE_START ||
        why == BL_APP_DIS_NOTHING_TO_DO)
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", d->field, "%s", d->msg);
    return bl__api_fail(c, rc, d);
}

/* Body member name: absent (0), a string (1, *s), null (2), else the answer's status. */
static unsigned text_member(struct bl__api_call *c, const char *name, int *has, const char **s)
{
    json_t *v = json_object_get(c->body, name);
    *has = !v ? 0 : json_is_null(v) ? 2 : 1;
    *s = v && json_is_string(v) ? json_string_value(v) : NULL;
    if (*has == 1 && !*s)
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", name,
                             "%s: expected a string", name);
    return 0;
}

static unsigned instant(struct bl__api_call *c, const char *name, const char *text, int64_t *t)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_time_parse(bl_str_c(text), NULL, t, &d) == BL_OK)
        return 0;
    return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", name,
                         "%s: expected an instant with its offset (2024-11-14T00:00:00+08:00): "
                         "%s",
                         name, d.msg);
}

static unsigned word(struct bl__api_call *c, const char *const *list, const char *name,
                     const char *text, bool *has, int *out)
{
    *has = text != NULL;
    *out = text ? bl_dis_word(list, text) : 0;
    if (*out >= 0)
        return 0;
    return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", name, "%s: expected %s",
                         name,
                         list == bl_dis_scopes ? "origin, destination or both"
                                               : "lockdown, strike, route_suspension, "
                                                 "carrier_suspension, supplier_shutdown, holiday, "
                                                 "weather, other or customer_service_closure");
}

static const char *const edit_members[] = {"from", "to", "region", "scope", "kind", "note", NULL};

static unsigned edit_req(struct bl__api_call *c, struct bl_app_disruption_edit_req *req)
{
    const char *s[6];
    int has[6];
    unsigned st = 0;
    for (size_t i = 0; !st && edit_members[i]; i++)
        st = text_member(c, edit_members[i], &has[i], &s[i]);
    if (st)
        return st;
    for (size_t i = 0; i < 6; i++)
        if (has[i] == 2 && i != 1 && i != 5)
            return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", edit_members[i],
                                 "%s may not be null", edit_members[i]);
    req->has_from = has[0] == 1;
    req->has_to = has[1] != 0;
    req->to = BL_NO_TIME; /* null: until further notice */
    req->region = s[2];
    req->note = has[5] == 2 ? "" : s[5];
    st = req->has_from ? instant(c, "from", s[0], &req->from) : 0;
    st = st || has[1] != 1 ? st : instant(c, "to", s[1], &req->to);
    int sc = 0, ki = 0;
    st = st ? st : word(c, bl_dis_scopes, "scope", s[3], &req->has_scope, &sc);
    st = st ? st : word(c, bl_dis_kinds, "kind", s[4], &req->has_kind, &ki);
    req->scope = (enum bl_dis_scope)sc;
    req->kind = (enum bl_dis_kind)ki;
    return st;
}

/* The disruption as it is now, with its history (GET /disruptions/{id}), and what the
 * change did: the customer messages withdrawn (the next plan writes them again). */
static unsigned changed(struct bl__api_call *c, int64_t withdrawn)
{
    unsigned st = bl__h_disruption(c);
    if (st == MHD_HTTP_OK && c->out &&
        json_object_set_new(c->out, "messages_withdrawn", json_integer((json_int_t)withdrawn)))
        return bl__api_json(c, st, NULL);
    return st;
}

unsigned bl__h_disruption_edit(struct bl__api_call *c)
{
    struct bl_app_disruption_edit_req req = {.now = c->now, .by = c->who};
    unsigned st = bl__api_param_id(c, 0, "disruption", &req.id);
    st = st ? st : edit_req(c, &req);
    if (st)
        return st;
    struct bl_app_disruption_edit_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_disruption_edit(c->st, c->org, &req, &res, &d);
    if (rc && res.reason == BL_APP_DIS_NOTHING_TO_DO)
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "missing", NULL,
                             "nothing to change: give one of from, to, region, scope, kind, "
                             "note");
    return rc ? refused(c, rc, &d, res.reason) : changed(c, res.withdrawn);
}

unsigned bl__h_disruption_lift(struct bl__api_call *c)
{
    struct bl_app_disruption_lift_req req = {.now = c->now, .by = c->who, .at = BL_NO_TIME};
    unsigned st = bl__api_param_id(c, 0, "disruption", &req.id);
    int has;
    const char *at;
    st = st ? st : text_member(c, "at", &has, &at);
    if (st)
        return st;
    if (has != 1)
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "missing", "at",
                             "at is required: the instant it ended, or \"now\"");
    if (strcmp(at, "now") != 0 && (st = instant(c, "at", at, &req.at)) != 0)
        return st;
    struct bl_app_disruption_lift_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_disruption_lift(c->st, c->org, &req, &res, &d);
    if (rc && res.reason == BL_APP_DIS_ALREADY_LIFTED) {
        char t[BL_ISO_MAX];
        return bl__api_error(c, MHD_HTTP_CONFLICT, "conflict", NULL,
                             "disruption %lld was already lifted at %s", (long long)req.id,
                             bl_time_format(res.lifted_at, t));
    }
    return rc ? refused(c, rc, &d, res.reason) : changed(c, res.withdrawn);
}

/* ---------------------------------------------------------------- impact */

static json_t *counts_json(const struct bl_app_dis_count *v, size_t n, bool channel)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) {
        json_t *j = json_pack("{s:s, s:s?, s:I}", "shop", v[i].shop, "shop_name", v[i].shop_name,
                              "orders", (json_int_t)v[i].orders);
        if (j && channel && json_object_set_new(j, "channel", bl__api_str(v[i].channel)))
            json_decref(j), j = NULL;
        if (json_array_append_new(a, j))
            json_decref(a), a = NULL;
    }
    return a;
}

static json_t *skus_json(const struct bl_app_disruption_impact_res *r)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < r->nskus; i++) {
        const struct bl_app_dis_sku *k = &r->skus[i];
        json_t *j = json_pack("{s:s, s:s?, s:s, s:s?, s:s, s:b}", "sku", k->sku, "name", k->name,
                              "place", k->place, "place_name", k->place_name, "from",
                              k->supplier ? "supplier" : "warehouse", "listed", k->listed);
        if (json_array_append_new(a, j))
            json_decref(a), a = NULL;
    }
    return a;
}

static json_t *impact_json(const struct bl_app_disruption_impact_res *r)
{
    const struct bl_disruption *x = &r->item.r;
    return json_pack(
        "{s:I, s:s, s:s?, s:s, s:s, s:o, s:b, "
        "s:{s:I, s:o}, s:I, s:{s:I, s:I, s:o}, s:o, s:I, s:{s:I, s:b}}",
        "id", (json_int_t)x->id, "region", x->region, "region_name",
        r->region_name[0] ? r->region_name : NULL, "scope", bl_dis_scopes[x->scope], "kind",
        bl_dis_kinds[x->kind], "as_of", bl__api_time(r->as_of), "in_force", r->in_force, "held",
        "orders", (json_int_t)r->held_orders, "by_shop", counts_json(r->held, r->nheld, true),
        "in_transit", (json_int_t)r->in_transit, "exempt", "orders", (json_int_t)r->exempt_orders,
        "not_automatic", (json_int_t)r->not_auto_orders, "by_shop",
        counts_json(r->exempt, r->nexempt, false), "skus", skus_json(r), "customers_to_write_to",
        (json_int_t)r->customers, "listings", "affected", (json_int_t)r->listings,
        "every_listing_for_buyers_inside", r->listings_to_region);
}

unsigned bl__h_disruption_impact(struct bl__api_call *c)
{
    struct bl_app_disruption_impact_req req = {0, BL_NO_TIME, c->now};
    unsigned st = bl__api_param_id(c, 0, "disruption", &req.id);
    st = st ? st : bl__api_query_time(c, "as_of", BL_NO_TIME, &req.as_of);
    if (st)
        return st;
    struct bl_app_disruption_impact_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_disruption_impact(c->st, c->org, &req, &res, &d);
    if (rc && res.reason == BL_APP_DIS_UNKNOWN)
        st = bl__api_error(c, MHD_HTTP_NOT_FOUND, "not_found", NULL, "no disruption %lld",
                           (long long)req.id);
    else
        st = rc ? bl__api_fail(c, rc, &d) : bl__api_json(c, MHD_HTTP_OK, impact_json(&res));
    bl_app_disruption_impact_res_release(&res);
    return st;
}
