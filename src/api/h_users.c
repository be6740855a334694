/* h_users.c - the organisation's users (admin): list, add, a new password, remove
 * (bl_app_user_*, src/app/user.h). A generated password is answered once and never kept. */
#include <string.h>

#include <microhttpd.h>
#include <sodium.h>

#include "api/handlers.h"
#include "api/server_impl.h"
#include "app/user.h"

static json_t *user_json(const struct bl_user_row *u, int64_t now)
{
    bool locked = u->locked_until != BL_NO_TIME && u->locked_until > now;
    return json_pack("{s:s, s:s, s:o, s:I, s:o}", "name", u->name, "role", u->role, "created_at",
                     bl__api_time(u->created_at), "failed_sign_ins", (json_int_t)u->failed,
                     "locked_until", bl__api_time(locked ? u->locked_until : BL_NO_TIME));
}

unsigned bl__h_users(struct bl__api_call *c)
{
    struct bl_app_user_list_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_user_list(c->st, c->org, &res, &d);
    json_t *list = rc ? NULL : json_array();
    for (size_t i = 0; list && i < res.n; i++)
        if (json_array_append_new(list, user_json(&res.users[i], c->now)))
            json_decref(list), list = NULL;
    bl_app_user_list_res_release(&res);
    if (rc)
        return bl__api_fail(c, rc, &d);
    return bl__api_json(c, MHD_HTTP_OK, list ? json_pack("{s:o}", "users", list) : NULL);
}

/* The body's optional "password": 0 with *pw (NULL: generate one), or the 422 answer. */
static unsigned password_of(struct bl__api_call *c, const char **pw)
{
    json_t *v = json_object_get(c->body, "password");
    *pw = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_string(v))
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", "password",
                             "password: expected a string of %d to %d bytes, or none to have "
                             "one generated",
                             BL_PASSWORD_MIN, BL_PASSWORD_MAX);
    *pw = json_string_value(v);
    return 0;
}

/* The answer to a change of user name: its name, what ended, the generated password. */
static unsigned answer(struct bl__api_call *c, unsigned status, json_t *j,
                       struct bl_app_user_res *res)
{
    if (j && res->password[0] && json_object_set_new(j, "password", json_string(res->password)))
        json_decref(j), j = NULL;
    sodium_memzero(res, sizeof(*res));
    return bl__api_json(c, status, j);
}

unsigned bl__h_user_add(struct bl__api_call *c)
{
    json_t *name = json_object_get(c->body, "name"), *role = json_object_get(c->body, "role");
    if (!json_is_string(name) || !json_is_string(role))
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, name ? "invalid" : "missing",
                             !json_is_string(name) ? "name" : "role",
                             "%s: expected a string", !json_is_string(name) ? "name" : "role");
    struct bl_app_user_req req = {.name = json_string_value(name), .now = c->now};
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_app_role_parse(json_string_value(role), &req.role, &d)) {
        bl_diag_at(&d, NULL, 0, "role");
        return bl__api_fail(c, BL_EINVAL, &d);
    }
    unsigned st = password_of(c, &req.password);
    if (st)
        return st;
    struct bl_app_user_res res;
    int rc = bl_app_user_add(c->st, c->org, &req, &res, &d);
    if (rc)
        return bl__api_fail(c, rc, &d);
    struct bl_user_row u = {.failed = 0, .locked_until = BL_NO_TIME, .created_at = c->now};
    snprintf(u.name, sizeof(u.name), "%s", req.name);
    snprintf(u.role, sizeof(u.role), "%s", bl_app_role_name(req.role));
    return answer(c, MHD_HTTP_CREATED, user_json(&u, c->now), &res);
}

unsigned bl__h_user_passwd(struct bl__api_call *c)
{
    struct bl_app_user_req req = {.name = bl__api_param(c, 0), .now = c->now};
    if (!req.name)
        return bl__api_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out_of_memory", NULL,
                             "out of memory");
    unsigned st = password_of(c, &req.password);
    if (st)
        return st;
    struct bl_app_user_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_user_passwd(c->st, c->org, &req, &res, &d);
    if (rc)
        return bl__api_fail(c, rc, &d);
    return answer(c, MHD_HTTP_OK,
                  json_pack("{s:s, s:I}", "name", req.name, "sessions_ended",
                            (json_int_t)res.sessions_ended),
                  &res);
}

unsigned bl__h_user_remove(struct bl__api_call *c)
{
    struct bl_app_user_req req = {.name = bl__api_param(c, 0), .now = c->now};
    if (!req.name)
        return bl__api_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out_of_memory", NULL,
                             "out of memory");
    struct bl_app_user_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_user_remove(c->st, c->org, &req, &res, &d);
    if (rc)
        return bl__api_fail(c, rc, &d);
    return answer(c, MHD_HTTP_OK,
                  json_pack("{s:s, s:b, s:I}", "name", req.name, "removed", 1, "sessions_ended",
                            (json_int_t)res.sessions_ended),
                  &res);
}
