/* h_retention.c - GET and PATCH /api/v1/retention: how long the organisation keeps webhook
 * deliveries and events, Idempotency-Keys and the audit log, and what the prunes removed
 * (bl_app_retention_show, bl_app_retention_set; src/app/retention.h). Admins only. */
#include <string.h>

#include <microhttpd.h>

#include "api/handlers.h"
#include "app/retention.h"

static json_t *settings_json(const struct bl_app_retention *r)
{
    json_t *list = json_array();
    for (int k = 0; list && k < BL_RETAIN_NKINDS; k++) {
        const struct bl_app_retention_item *x = &r->items[k];
        json_t *j = json_pack("{s:s, s:o, s:b, s:I, s:o, s:I}", "kind", x->kind, "days",
                              x->days ? json_integer((json_int_t)x->days) : json_string("keep"),
                              "default", x->is_default, "pruned", (json_int_t)x->pruned,
                              "last_prune", x->last_at ? bl__api_time(x->last_at) : json_null(),
                              "last_pruned", (json_int_t)x->last_pruned);
        if (!j || json_array_append_new(list, j))
            json_decref(list), list = NULL;
    }
    return list ? json_pack("{s:o}", "retention", list) : NULL;
}

unsigned bl__h_retention(struct bl__api_call *c)
{
    struct bl_app_retention r;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_retention_show(c->st, c->org, &r, &d);
    if (rc)
        return bl__api_fail(c, rc, &d);
    return bl__api_json(c, MHD_HTTP_OK, settings_json(&r));
}

/* One member: a number of days, "keep" or "default". */
static unsigned days_of(struct bl__api_call *c, const char *key, json_t *v, int64_t *days)
{
    if (json_is_string(v) && strcmp(json_string_value(v), "keep") == 0)
        *days = BL_RETENTION_KEEP;
    else if (json_is_string(v) && strcmp(json_string_value(v), "default") == 0)
        *days = BL_RETENTION_DEFAULT;
    else if (json_is_integer(v) && json_integer_value(v) >= 1 &&
             json_integer_value(v) <= BL_APP_RETENTION_MAX_DAYS)
        *days = (int64_t)json_integer_value(v);
    else
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", key,
                             "%s: expected 1 to %d days, \"keep\" (every row) or \"default\"", key,
                             BL_APP_RETENTION_MAX_DAYS);
    return 0;
}

unsigned bl__h_retention_patch(struct bl__api_call *c)
{
    struct bl_app_retention_set_req req = {.now = c->now};
    const char *key;
    json_t *v;
    bool any = false;
    json_object_foreach(c->body, key, v)
    {
        int k = bl_retention_kind_of(key);
        if (k < 0)
            return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", key,
                                 "unknown member (expected webhook_delivered, webhook_failed, "
                                 "webhook_events, idempotency, audit)");
        unsigned st = days_of(c, key, v, &req.days[k]);
        if (st)
            return st;
        req.set[k] = any = true;
    }
    if (!any)
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "missing", "audit",
                             "nothing to change: give one or more of webhook_delivered, "
                             "webhook_failed, webhook_events, idempotency, audit");
    struct bl_app_retention r;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_retention_set(c->st, c->org, &req, &r, &d);
    if (rc)
        return bl__api_fail(c, rc, &d);
    return bl__api_json(c, MHD_HTTP_OK, settings_json(&r));
}
