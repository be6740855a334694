/* h_webhooks.c - outgoing webhooks: list, add (the secret answered once), remove, test
 * (bl_app_webhook_*, src/app/hook.h). */
#include <string.h>

#include <microhttpd.h>
#include <sodium.h>

#include "api/handlers.h"
#include "api/server_impl.h"
#include "app/hook.h"

/* "a,b" or "*" as stored: a JSON array of the types ("*": every one, ["*"]). */
static json_t *events_json(const char *events)
{
    json_t *a = json_array();
    for (const char *p = events; a && *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (json_array_append_new(a, json_stringn(p, n)))
            json_decref(a), a = NULL;
        p += n + (e ? 1 : 0);
    }
    return a;
}

static json_t *hook_json(const struct bl_app_webhook *w)
{
    json_t *last = w->last_at
                       ? json_pack("{s:o, s:o, s:o}", "at", bl__api_time(w->last_at), "status",
                                   w->last_status ? json_integer(w->last_status) : json_null(),
                                   "error", bl__api_str(w->last_error[0] ? w->last_error : NULL))
                       : json_null();
    return json_pack("{s:I, s:s, s:o, s:o, s:{s:I, s:I, s:I}, s:o}", "id", (json_int_t)w->id, "url",
                     w->url, "events", events_json(w->events), "created_at",
                     bl__api_time(w->created_at), "deliveries", "pending", (json_int_t)w->pending,
                     "delivered", (json_int_t)w->delivered, "failed", (json_int_t)w->failed,
                     "last_attempt", last);
}

unsigned bl__h_webhooks(struct bl__api_call *c)
{
    struct bl_app_webhook_list_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_webhook_list(c->st, c->org, 0, &res, &d);
    json_t *list = rc ? NULL : json_array();
    for (size_t i = 0; list && i < res.n; i++)
        if (json_array_append_new(list, hook_json(&res.items[i])))
            json_decref(list), list = NULL;
    bl_app_webhook_list_res_release(&res);
    if (rc)
        return bl__api_fail(c, rc, &d);
    return bl__api_json(c, MHD_HTTP_OK, list ? json_pack("{s:o}", "webhooks", list) : NULL);
}

/* The body's events (an array of types, or "all") as "a,b" into out: 0, or the answer. */
static unsigned events_of(struct bl__api_call *c, json_t *v, char *out, size_t cap)
{
    if (json_is_string(v)) {
        snprintf(out, cap, "%s", json_string_value(v));
        return 0;
    }
    size_t i, at = 0;
    json_t *x;
    out[0] = '\0';
    if (json_is_array(v) && json_array_size(v))
        json_array_foreach(v, i, x)
        {
            int n = json_is_string(x)
                        ? snprintf(out + at, cap - at, "%s%s", at ? "," : "", json_string_value(x))
                        : -1;
            if (n < 0 || (size_t)n >= cap - at)
                break;
            at += (size_t)n;
            if (i + 1 == json_array_size(v))
                return 0;
        }
    return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", "events",
                         "events: expected \"all\" or a list of event types (alert.raised, "
                         "shop.rating_at_risk, disruption.declared, message.needs_approval, "
                         "action.applied)");
}

static const char *refused_field(enum bl_app_hook_reason why)
{
    return why == BL_APP_HOOK_BAD_EVENTS ? "events" : "url";
}

unsigned bl__h_webhook_add(struct bl__api_call *c)
{
    json_t *url = json_object_get(c->body, "url"), *ev = json_object_get(c->body, "events");
    if (!url || !ev)
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "missing", !url ? "url" : "events",
                             "%s is required", !url ? "url" : "events");
    if (!json_is_string(url))
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", "url",
                             "url: expected a string");
    char events[512];
    unsigned st = events_of(c, ev, events, sizeof(events));
    if (st)
        return st;
    const struct bl_app_hook_send *hs = c->srv->opts.hooks;
    if (!hs)
        return bl__api_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "store_unavailable", NULL,
                             "this server was started without webhooks");
    struct bl_app_webhook_add_req req = {json_string_value(url), events, hs->key, c->now};
    struct bl_app_webhook_add_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_webhook_add(c->st, c->org, &req, &res, &d);
    if (rc) {
        if (res.reason != BL_APP_HOOK_OK && !d.field[0])
            bl_diag_at(&d, NULL, 0, refused_field(res.reason));
        if (rc == BL_EINVAL)
            return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", d.field, "%s",
                                 d.msg);
        return bl__api_fail(c, rc, &d);
    }
    struct bl_app_webhook w = {res.id, req.url, res.events, req.now, 0, 0, 0, 0, 0, ""};
    json_t *j = hook_json(&w);
    if (j && json_object_set_new(j, "secret", json_string(res.secret)))
        json_decref(j), j = NULL;
    sodium_memzero(res.secret, sizeof(res.secret));
    return bl__api_json(c, MHD_HTTP_CREATED, j);
}

unsigned bl__h_webhook_remove(struct bl__api_call *c)
{
    int64_t id;
    unsigned st = bl__api_param_id(c, 0, "webhook", &id);
    if (st)
        return st;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_webhook_remove(c->st, c->org, id, c->now, &d);
    if (rc)
        return bl__api_fail(c, rc, &d);
    return bl__api_json(c, MHD_HTTP_OK,
                        json_pack("{s:I, s:b}", "id", (json_int_t)id, "removed", 1));
}

unsigned bl__h_webhook_test(struct bl__api_call *c)
{
    int64_t id;
    unsigned st = bl__api_param_id(c, 0, "webhook", &id);
    if (st)
        return st;
    const struct bl_app_hook_send *hs = c->srv->opts.hooks;
    if (!hs)
        return bl__api_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "store_unavailable", NULL,
                             "this server was started without webhooks");
    struct bl_app_hook_send s = *hs;
    s.now = c->now;
    struct bl_app_webhook_test_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_webhook_test(c->st, c->org, id, &s, &res, &d);
    if (rc)
        return bl__api_fail(c, rc, &d);
    return bl__api_json(c, MHD_HTTP_OK,
                        json_pack("{s:s, s:b, s:o, s:o}", "event_id", res.event_id, "delivered",
                                  res.delivered, "status",
                                  res.status ? json_integer(res.status) : json_null(), "error",
                                  bl__api_str(res.delivered ? NULL : res.error)));
}
