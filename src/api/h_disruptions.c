/* h_disruptions.c - disruptions: the list, one with its history, and declaring one
 * (bl_app_disruption_list, _show, _declare). */
#include <string.h>

#include <microhttpd.h>

#include "api/handlers.h"
#include "app/disruption.h"
#include "ballast/time.h"

static json_t *end_json(int64_t t)
{
    return bl_dis_open_end(t) ? json_null() : bl__api_time(t);
}

json_t *bl__api_dis_json(const struct bl_app_disruption_item *it)
{
    const struct bl_disruption *r = &it->r;
    return json_pack("{s:I, s:s?, s:s, s:s, s:s, s:s?, s:s?, s:o, s:o, s:b, s:o, s:o, s:s?, "
                     "s:s}",
                     "id", (json_int_t)r->id, "ext_id", r->ext_id, "region", r->region, "scope",
                     bl_dis_scopes[r->scope], "kind", bl_dis_kinds[r->kind], "channel", r->channel,
                     "supplier", r->supplier, "starts_at", bl__api_time(r->starts_at), "ends_at",
                     end_json(r->ends_at), "until_further_notice", bl_dis_open_end(r->ends_at),
                     "lifted_at", bl__api_time(r->lifted_at), "effective_end",
                     end_json(it->effective_end), "note", r->note, "source",
                     r->batch_id ? "import" : "declared");
}

unsigned bl__h_disruptions(struct bl__api_call *c)
{
    struct bl_app_disruption_list_req req = {BL_NO_TIME, bl__api_query(c, "region")};
    unsigned st = bl__api_query_time(c, "active_at", BL_NO_TIME, &req.active_at);
    if (st)
        return st;
    struct bl_app_disruption_list_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_disruption_list(c->st, c->org, &req, &res, &d);
    json_t *list = rc ? NULL : json_array();
    for (size_t i = 0; list && i < res.n; i++)
        if (json_array_append_new(list, bl__api_dis_json(&res.items[i])))
            json_decref(list), list = NULL;
    bl_app_disruption_list_res_release(&res);
    if (rc) {
        if (!d.field[0] && req.region)
            bl_diag_at(&d, NULL, 0, "region");
        if (req.region && (rc == BL_ENOTFOUND || rc == BL_EPARSE || rc == BL_EINVAL))
            return bl__api_error(c, MHD_HTTP_BAD_REQUEST, "invalid", "region", "%s", d.msg);
        return bl__api_fail(c, rc, &d);
    }
    return bl__api_json(c, MHD_HTTP_OK, list ? json_pack("{s:o}", "disruptions", list) : NULL);
}

static json_t *shown_json(const struct bl_app_disruption_show_res *res)
{
    json_t *j = bl__api_dis_json(&res->item), *h = json_array();
    for (size_t i = 0; h && i < res->nevents; i++) {
        const struct bl_disruption_event *e = &res->events[i];
        if (json_array_append_new(h, json_pack("{s:o, s:s?, s:o, s:s, s:s?, s:s?}", "at",
                                               bl__api_time(e->at), "by", e->who, "by_actor",
                                               bl__api_actor(e->who), "field", e->field, "from",
                                               e->before, "to", e->after)))
            json_decref(h), h = NULL;
    }
    if (!j || !h || json_object_set_new(j, "history", h)) {
        json_decref(j);
        return NULL;
    }
    return j;
}

/* One disruption of c->org, with its history: status 0 and *out, or the answer. */
static unsigned show(struct bl__api_call *c, int64_t id, unsigned ok)
{
    struct bl_app_disruption_show_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_disruption_show(c->st, c->org, id, &res, &d);
    unsigned st = rc ? bl__api_fail(c, rc, &d) : bl__api_json(c, ok, shown_json(&res));
    bl_app_disruption_show_res_release(&res);
    return st;
}

unsigned bl__h_disruption(struct bl__api_call *c)
{
    int64_t id;
    unsigned st = bl__api_param_id(c, 0, "disruption", &id);
    return st ? st : show(c, id, MHD_HTTP_OK);
}

/* Body member name as text (NULL when absent or null); *bad set when it is not a string. */
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

static unsigned word(struct bl__api_call *c, const char *const *list, const char *name,
                     const char *text, const char *expect, int *out)
{
    *out = text ? bl_dis_word(list, text) : -1;
    if (*out >= 0)
        return 0;
    return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", name, "%s: expected %s",
                         name, expect);
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

static unsigned declare_req(struct bl__api_call *c, struct bl_app_disruption_declare_req *req)
{
    const char *bad = NULL, *scope, *kind, *from, *to;
    *req = (struct bl_app_disruption_declare_req){
        .ext_id = member(c->body, "ext_id", &bad),
        .region = member(c->body, "region", &bad),
        .channel = member(c->body, "channel", &bad),
        .supplier = member(c->body, "supplier", &bad),
        .note = member(c->body, "note", &bad),
        .to = BL_NO_TIME,
        .now = c->now,
    };
    scope = member(c->body, "scope", &bad);
    kind = member(c->body, "kind", &bad);
    from = member(c->body, "from", &bad);
    to = member(c->body, "to", &bad);
    if (bad)
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", bad,
                             "%s: expected a string", bad);
    const char *missing = !req->region ? "region"
                          : !scope     ? "scope"
                          : !kind      ? "kind"
                          : !from      ? "from"
                                       : NULL;
    if (missing)
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "missing", missing,
                             "%s is required", missing);
    int sc = 0, ki = 0;
    unsigned st = word(c, bl_dis_scopes, "scope", scope, "origin, destination or both", &sc);
    st = st ? st
            : word(c, bl_dis_kinds, "kind", kind,
                   "lockdown, strike, route_suspension, carrier_suspension, supplier_shutdown, "
                   "holiday, weather, other or customer_service_closure",
                   &ki);
    st = st ? st : instant(c, "from", from, &req->from);
    st = st || !to ? st : instant(c, "to", to, &req->to);
    req->scope = (enum bl_dis_scope)sc;
    req->kind = (enum bl_dis_kind)ki;
    return st;
}

static const char *refused_field(enum bl_app_dis_reason why)
{
    switch (why) {
    case BL_APP_DIS_BAD_REGION:
        return "region";
    case BL_APP_DIS_BAD_WINDOW:
        return "to";
    case BL_APP_DIS_EXT_TAKEN:
        return "ext_id";
    case BL_APP_DIS_UNKNOWN_CHANNEL:
        return "channel";
    case BL_APP_DIS_UNKNOWN_SUPPLIER:
        return "supplier";
    default:
        return NULL;
    }
}

unsigned bl__h_disruption_declare(struct bl__api_call *c)
{
    struct bl_app_disruption_declare_req req;
    unsigned st = declare_req(c, &req);
    if (st)
        return st;
    req.by = c->who;
    struct bl_app_disruption_declare_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_disruption_declare(c->st, c->org, &req, &res, &d);
    if (rc) {
        const char *f = refused_field(res.reason);
        if (f && !d.field[0])
            bl_diag_at(&d, NULL, 0, f);
        /* an unknown channel, a region that is not one: the body's member is at fault */
        if (d.field[0] && (rc == BL_ENOTFOUND || rc == BL_EPARSE || rc == BL_EINVAL ||
                           rc == BL_ERANGE))
            return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", d.field, "%s",
                                 d.msg);
        return bl__api_fail(c, rc, &d);
    }
    return show(c, res.id, MHD_HTTP_CREATED);
}
