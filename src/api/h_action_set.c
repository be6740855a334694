/* h_action_set.c - POST /api/v1/actions/approve and /reject: the proposed actions of a
 * plan, a kind, a shop, or all of them, decided at once, all or none (bl_app_action_set). */
#include <string.h>

#include <microhttpd.h>

#include "api/h_supply.h"
#include "app/action_set.h"

/* {"plan"?, "kind"?, "shop"?, "all"?, "note"?}: 200 {"approved"|"rejected": n, "ids": [...]}
 * (0 when none is proposed of the set); 409 naming the action that cannot be, none decided. */
static unsigned decide_set(struct bl__api_call *c, bool reject)
{
    static const char *const names[] = {"plan", "kind", "shop", "note"};
    const char *f[4], *bad = NULL, *key;
    json_t *v;
    json_object_foreach(c->body, key, v)
    {
        bool known = strcmp(key, "all") == 0;
        for (size_t i = 0; i < 4; i++)
            known |= strcmp(key, names[i]) == 0;
        if (!known)
            return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", key,
                                 "%s: not a member of this request (plan, kind, shop, all, note)",
                                 key);
    }
    for (size_t i = 0; i < 4; i++) {
        f[i] = bl__sup_member(c->body, names[i], &bad);
        if (bad || (f[i] && !f[i][0]))
            return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", names[i],
                                 "%s: expected a text, or no member", names[i]);
    }
    json_t *all = json_object_get(c->body, "all");
    if (all && !json_is_boolean(all))
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", "all",
                             "all: expected true (every proposed action) or false");
    struct bl_app_action_set_req req = {c->now, reject, all && json_is_true(all), f[0], f[1], f[2],
                                        c->who, f[3]};
    if (!req.all && !f[0] && !f[1] && !f[2])
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "missing", "plan",
                             "which actions? give plan, kind or shop, or all: true");
    struct bl_app_action_set_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_action_set(c->st, c->org, &req, &res, &d);
    if (rc == BL_ECONFLICT) {
        unsigned st = bl__api_error(c, MHD_HTTP_CONFLICT, "conflict", NULL, "%s", d.msg);
        json_t *err = json_object_get(c->out, "error");
        if (err)
            json_object_set_new(err, "action", json_integer(res.failed));
        bl_app_action_set_res_release(&res);
        return st;
    }
    if (rc) {
        bl_app_action_set_res_release(&res);
        return bl__api_fail(c, rc, &d);
    }
    json_t *ids = json_array();
    for (size_t i = 0; ids && i < res.n; i++)
        if (json_array_append_new(ids, json_integer(res.ids[i])))
            json_decref(ids), ids = NULL;
    size_t n = res.n;
    bl_app_action_set_res_release(&res);
    if (!ids)
        return bl__api_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL, "out of memory");
    return bl__api_json(
        c, MHD_HTTP_OK,
        json_pack("{s:I, s:o}", reject ? "rejected" : "approved", (json_int_t)n, "ids", ids));
}

unsigned bl__h_actions_approve(struct bl__api_call *c)
{
    return decide_set(c, false);
}

unsigned bl__h_actions_reject(struct bl__api_call *c)
{
    return decide_set(c, true);
}
