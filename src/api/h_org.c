/* h_org.c - the caller's organisation, its shops, its API tokens. */
#include <string.h>

#include <microhttpd.h>

#include "api/handlers.h"
#include "app/messages.h"
#include "app/money.h"
#include "ballast/time.h"

unsigned bl__h_org(struct bl__api_call *c)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_org_res o;
    char name[256];
    int rc = bl_app_org_show(c->st, c->org, &o, &d);
    rc = rc ? rc : bl__api_org_name(c, name, sizeof(name), &d);
    if (rc)
        return bl__api_fail(c, rc, &d);
    char first[BL_ISO_MAX], last[BL_ISO_MAX];
    json_t *rates = o.rates ? json_pack("{s:I, s:s, s:s}", "count", (json_int_t)o.rates,
                                        "first_day", bl_date_format(o.first_day, first), "last_day",
                                        bl_date_format(o.last_day, last))
                            : json_pack("{s:i}", "count", 0);
    json_t *j = json_pack("{s:I, s:s, s:s?, s:o, s:s}", "id", (json_int_t)c->org, "name", name,
                          "currency", o.currency[0] ? o.currency : NULL, "exchange_rates", rates,
                          "role", bl_app_role_name(c->role));
    unsigned st = j ? bl__api_schedule_add(c, j) : 0;
    if (st) {
        json_decref(j);
        return st;
    }
    return bl__api_json(c, MHD_HTTP_OK, j);
}

static json_t *shop_json(const struct bl_app_shop_settings *s)
{
    json_t *set = json_object();
    for (int k = 0; set && k < BL_SET__COUNT; k++)
        if (json_object_set_new(set, bl_msg_setting_name((enum bl_msg_setting)k),
                                bl__api_str(s->set[k])))
            return json_decref(set), NULL;
    if (set && json_object_set_new(set, "sender_name", bl__api_str(s->sender_name)))
        return json_decref(set), NULL;
    return json_pack("{s:s, s:s?, s:s?, s:o}", "id", s->shop, "name", s->name, "platform",
                     s->platform, "settings", set);
}

unsigned bl__h_shops(struct bl__api_call *c)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_shop_settings_res res;
    int rc = bl_app_shop_settings(c->st, c->org, &res, &d);
    json_t *list = rc ? NULL : json_array();
    for (size_t i = 0; list && i < res.n; i++)
        if (json_array_append_new(list, shop_json(&res.shops[i])))
            json_decref(list), list = NULL;
    bl_app_shop_settings_res_release(&res);
    if (rc)
        return bl__api_fail(c, rc, &d);
    return bl__api_json(c, MHD_HTTP_OK, list ? json_pack("{s:o}", "shops", list) : NULL);
}

unsigned bl__h_tokens(struct bl__api_call *c)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_token_list_res res;
    int rc = bl_app_token_list(c->st, c->org, &res, &d);
    json_t *list = rc ? NULL : json_array();
    for (size_t i = 0; list && i < res.n; i++) {
        const struct bl_token_row *t = &res.tokens[i];
        json_t *j = json_pack(
            "{s:I, s:s, s:s?, s:o, s:o, s:o}", "id", (json_int_t)t->id, "role", t->role, "label",
            t->label[0] ? t->label : NULL, "created_at", bl__api_time(t->created_at), "expires_at",
            bl__api_time(t->expires_at), "revoked_at", bl__api_time(t->revoked_at));
        if (json_array_append_new(list, j))
            json_decref(list), list = NULL;
    }
    bl_app_token_list_res_release(&res);
    if (rc)
        return bl__api_fail(c, rc, &d);
    return bl__api_json(c, MHD_HTTP_OK, list ? json_pack("{s:o}", "tokens", list) : NULL);
}
