/* h_audit.c - the audit log, newest first, a page at a time (bl_app_audit_list). */
#include <string.h>

#include <microhttpd.h>

#include "api/handlers.h"
#include "app/audit.h"

/* A stored JSON text as a JSON value (null when none; the text when it does not parse). */
static json_t *stored(const char *text)
{
    if (!text)
        return json_null();
    json_t *j = json_loads(text, JSON_DECODE_ANY, NULL);
    return j ? j : json_string(text);
}

static json_t *row_json(const struct bl_audit_row *r)
{
    return json_pack("{s:I, s:o, s:{s:s, s:s, s:s?, s:o, s:o}, s:s, s:s, s:s?, s:o, s:o}", "id",
                     (json_int_t)r->id, "at", bl__api_time(r->at), "actor", "name", r->actor, "via",
                     r->via, "source", r->source[0] ? r->source : NULL, "user_id",
                     r->user_id ? json_integer(r->user_id) : json_null(), "token_id",
                     r->token_id ? json_integer(r->token_id) : json_null(), "action", r->action,
                     "object_kind", r->object_kind, "object_id", r->object_id, "before",
                     stored(r->before), "after", stored(r->after));
}

static unsigned read_query(struct bl__api_call *c, struct bl_app_audit_req *req)
{
    req->actor = bl__api_query(c, "actor");
    req->action = bl__api_query(c, "action");
    unsigned st = bl__api_query_int(c, "limit", 1, 1000, 100, &req->limit);
    st = st ? st : bl__api_query_time(c, "since", BL_NO_TIME, &req->since);
    st = st ? st : bl__api_query_time(c, "until", BL_NO_TIME, &req->until);
    const char *cursor = bl__api_query(c, "cursor");
    int64_t zero = 0;
    if (!st && cursor &&
        (bl__api_cursor_decode(bl_str_c(cursor), &req->before_id, &zero) || req->before_id < 1))
        st = bl__api_error(c, MHD_HTTP_BAD_REQUEST, "invalid", "cursor",
                           "cursor: not one this API gave (pass next_cursor as it is)");
    return st;
}

unsigned bl__h_audit(struct bl__api_call *c)
{
    struct bl_app_audit_req req = {BL_NO_TIME, BL_NO_TIME, NULL, NULL, 100, 0};
    unsigned st = read_query(c, &req);
    if (st)
        return st;
    struct bl_app_audit_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_audit_list(c->st, c->org, &req, &res, &d);
    if (rc) {
        bl_app_audit_list_res_release(&res);
        return bl__api_fail(c, rc, &d);
    }
    json_t *list = json_array();
    for (size_t i = 0; list && i < res.n; i++)
        if (json_array_append_new(list, row_json(&res.rows[i])))
            json_decref(list), list = NULL;
    char next[64] = "";
    if (res.more && res.n)
        bl__api_cursor_encode(res.rows[res.n - 1].id, 0, next, sizeof(next));
    bl_app_audit_list_res_release(&res);
    return bl__api_json(
        c, MHD_HTTP_OK,
        list ? json_pack("{s:o, s:s?}", "entries", list, "next_cursor", next[0] ? next : NULL)
             : NULL);
}
