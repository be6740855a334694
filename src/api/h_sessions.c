/* h_sessions.c - signing in and out (bl_app_session_open, _close; the browser's cookie:
 * cookie.c) and who is signed in (GET /api/v1/me). A marketplace's merchants are
 * h_market.c's. */
#include <string.h>

#include <microhttpd.h>
#include <sodium.h>

#include "api/handlers.h"
#include "app/actor.h"
#include "app/user.h"
#include "ballast/assess.h" /* BL_NO_TIME */
#include "ballast/time.h"

/* Body member name as text (NULL when absent); *bad set when it is not a string. */
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

/* The answer of a sign-in into the cookie: no token in it (the page cannot read the
 * cookie, and should not hold the token), the CSRF token instead. */
static unsigned cookie_answer(struct bl__api_call *c, const char *token, int64_t expires_at,
                              enum bl_app_role role, const char *user)
{
    char csrf[BL_API_CSRF_LEN];
    bl__api_csrf_of(token, csrf);
    int rc = bl__api_cookie_set(c, token, expires_at);
    if (rc)
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", "token",
                             "this token cannot be kept in a cookie");
    return bl__api_json(c, MHD_HTTP_CREATED,
                        json_pack("{s:s, s:s, s:o, s:s, s:s}", "token_type", "cookie",
                                  "csrf_token", csrf, "expires_at", bl__api_time(expires_at),
                                  "role", bl_app_role_name(role), "user", user));
}

/* Signing a browser in with an API token: it is checked as dispatch checks one, then
 * kept in the cookie (no new token is made; revoking it ends the browser's use too). */
static unsigned token_sign_in(struct bl__api_call *c, const char *token)
{
    struct bl_app_token_auth_res who;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_token_auth(c->st, token, strlen(token), c->now, &who, &d);
    if (rc == BL_EPARSE || rc == BL_ENOTFOUND) {
        static const char *const codes[] = {[BL_TOKEN_MALFORMED] = "token_malformed",
                                            [BL_TOKEN_NO_MATCH] = "token_unknown",
                                            [BL_TOKEN_EXPIRED] = "token_expired",
                                            [BL_TOKEN_REVOKED] = "token_revoked"};
        return bl__api_error(c, MHD_HTTP_UNAUTHORIZED, codes[who.reason], "token", "%s", d.msg);
    }
    if (rc)
        return bl__api_fail(c, rc, &d);
    struct bl_app_actor a = {.kind = who.user_id ? BL_ACTOR_PERSON : BL_ACTOR_TOKEN,
                             .token_id = who.id};
    snprintf(a.name, sizeof(a.name), "%s", who.label);
    char name[400];
    bl_app_actor_format(&a, name, sizeof(name));
    return cookie_answer(c, token, BL_NO_TIME, who.role, name);
}

unsigned bl__h_session_open(struct bl__api_call *c)
{
    const char *bad = NULL;
    struct bl_app_session_req req = {member(c->body, "org", &bad), member(c->body, "name", &bad),
                                     member(c->body, "password", &bad), c->now};
    const char *token = member(c->body, "token", &bad);
    json_t *ck = json_object_get(c->body, "cookie");
    if (!bad && ck && !json_is_boolean(ck))
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", "cookie",
                             "cookie: expected true or false");
    bool cookie = json_is_true(ck);
    if (bad)
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", bad,
                             "%s: expected a string", bad);
    if (token && (!cookie || req.name || req.password))
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", "token",
                             "a token signs a browser in with \"cookie\": true, and without a "
                             "name or password");
    if (token)
        return token_sign_in(c, token);
    const char *missing = !req.name ? "name" : !req.password ? "password" : NULL;
    if (missing)
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "missing", missing,
                             "%s is required", missing);
    struct bl_app_session_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_session_open(c->st, &req, &res, &d);
    if (rc && res.reason == BL_SESSION_NO_MATCH)
        return bl__api_error(c, MHD_HTTP_UNAUTHORIZED, "sign_in_failed", NULL, "%s", d.msg);
    if (rc && res.reason == BL_SESSION_LOCKED) {
        char until[BL_ISO_MAX];
        return bl__api_error(c, MHD_HTTP_TOO_MANY_REQUESTS, "locked", "name", "%s (until %s)",
                             d.msg, bl_time_format(res.locked_until, until));
    }
    if (rc)
        return bl__api_fail(c, rc, &d);
    unsigned st =
        cookie ? cookie_answer(c, res.token, res.expires_at, res.role, req.name)
               : bl__api_json(c, MHD_HTTP_CREATED,
                              json_pack("{s:s, s:s, s:o, s:s, s:s}", "token", res.token,
                                        "token_type", "Bearer", "expires_at",
                                        bl__api_time(res.expires_at), "role",
                                        bl_app_role_name(res.role), "user", req.name));
    sodium_memzero(res.token, sizeof(res.token));
    return st;
}

/* Signs out: a session is revoked; signed in with the cookie, the cookie is cleared too
 * (an API token kept in it is not revoked: it is the token's owner's to revoke). */
unsigned bl__h_session_close(struct bl__api_call *c)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_session_close(c->st, c->org, c->token_id, c->now, &d);
    if (rc == BL_EINVAL && !c->via_cookie)
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "not_a_session", NULL, "%s", d.msg);
    if (rc && rc != BL_EINVAL)
        return bl__api_fail(c, rc, &d);
    if (c->via_cookie && bl__api_cookie_set(c, NULL, 0))
        return bl__api_fail(c, BL_ENOMEM, &d);
    return bl__api_json(c, MHD_HTTP_OK, json_pack("{s:b}", "signed_out", 1));
}

/* Who is signed in, for the dashboard to decide what it shows as doable, and the language
 * a signed-in user chose (null for an API token, or none chosen). */
unsigned bl__h_me(struct bl__api_call *c)
{
    char org[160], lang[16] = "";
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_merchants_res m = {0};
    int rc = bl__api_org_name(c, org, sizeof(org), &d);
    rc = rc ? rc : bl_app_merchants(c->st, c->org, &m, &d);
    const char *kind = m.n ? "platform" : "merchant";
    bl_app_merchants_res_release(&m);
    if (!rc && c->user_id) {
        rc = bl_app_user_language(c->st, c->user_org, c->user_id, lang, sizeof(lang), &d);
        rc = rc == BL_ENOTFOUND ? BL_OK : rc; /* removed meanwhile: its session ends anyway */
    }
    if (rc)
        return bl__api_fail(c, rc, &d);
    return bl__api_json(
        c, MHD_HTTP_OK,
        json_pack("{s:s, s:b, s:s, s:{s:I, s:s, s:s}, s:s?, s:s, s:o}", "name",
                  c->who ? c->who : "", "user", c->user_id != 0, "role",
                  bl_app_role_name(c->role), "org", "id", (json_int_t)c->org, "name", org,
                  "kind", kind, "language", lang[0] ? lang : NULL, "via",
                  c->via_cookie ? "cookie" : "bearer", "csrf_token", bl__api_str(c->csrf)));
}

/* A signed-in user's language, kept for them: {"language": "zh-CN" | "en" | null}; an API
 * token has none to keep (422 not_a_session). Answers GET /me's answer. */
unsigned bl__h_me_patch(struct bl__api_call *c)
{
    json_t *v = json_object_get(c->body, "language");
    if (!v || (!json_is_null(v) && !json_is_string(v)))
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, v ? "invalid" : "missing",
                             "language", "language: expected \"en\", \"zh-CN\" or null");
    if (!c->user_id)
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "not_a_session", NULL,
                             "only a signed-in user has a language kept for them; an API token "
                             "has none");
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_user_language_set(c->st, c->user_org, c->user_id, json_string_value(v),
                                      c->now, &d);
    return rc ? bl__api_fail(c, rc, &d) : bl__h_me(c);
}
