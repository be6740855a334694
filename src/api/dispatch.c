/* dispatch.c - one request from route to answer: find the route in the table, check the
 * query and the body, authenticate the token and its role, hold an Idempotency-Key, run
 * the handler, answer JSON with an ETag (server_impl.h). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <netdb.h>
#include <sys/socket.h>

#include <sodium.h>

#include "api/server_impl.h"
#include "app/actor.h"
#include "app/idem.h"
#include "app/user.h"

static double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The route for method and path: its index; nroutes with *allow listing the methods the
 * path has (405), or nroutes with *allow "" (404). */
static size_t find_route(const char *method, struct bl_str path, struct bl__api_call *c,
                         char *allow, size_t cap)
{
    allow[0] = '\0';
    for (size_t i = 0; i < bl__api_nroutes; i++) {
        const struct bl__api_route *rt = &bl__api_routes[i];
        struct bl_str params[BL_API_PARAMS_MAX];
        size_t n;
        if (!bl__api_match(rt->path, path, params, &n))
            continue;
        if (strcmp(rt->method, method) == 0) {
            memcpy(c->params, params, sizeof(params));
            c->nparams = n;
            return i;
        }
        size_t len = strlen(allow);
        snprintf(allow + len, cap - len, "%s%s", len ? ", " : "", rt->method);
    }
    return bl__api_nroutes;
}

static enum MHD_Result query_arg(void *ctx, enum MHD_ValueKind kind, const char *key,
                                 const char *val)
{
    struct bl__api_call *c = ctx;
    (void)kind;
    if (c->nquery >= BL_API_QUERY_MAX)
        return MHD_NO;
    c->query[c->nquery++] = (struct bl__api_kv){key, val};
    return MHD_YES;
}

/* The client's address as text ("" when libmicrohttpd cannot say). */
static void client_address(struct MHD_Connection *conn, char *out, size_t cap)
{
    out[0] = '\0';
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr)
        return;
    socklen_t len = ci->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                           : sizeof(struct sockaddr_in);
    if (getnameinfo(ci->client_addr, len, out, (socklen_t)cap, NULL, 0, NI_NUMERICHOST) != 0)
        out[0] = '\0';
}

/* Who acts on the request's store connection, for the audit log. */
static void set_actor(struct bl__api_call *c, struct MHD_Connection *conn, int64_t user_id)
{
    struct bl_store_actor a = {.via = "api", .user_id = user_id, .token_id = c->token_id};
    snprintf(a.name, sizeof(a.name), "%s", c->who ? c->who : "anonymous");
    client_address(conn, a.source, sizeof(a.source));
    bl_store_set_actor(c->st, &a);
}

/* The organisation a request names with the header Ballast-Org (docs/api.md, "Platform
 * operators"): a platform token or user acts on a merchant its marketplace governs, as an
 * operator, and c->org becomes the merchant's (the handler sees one organisation still);
 * an organisation it does not govern is 404. Any other token may name only its own. The
 * actor says on whose behalf (actor->marketplace). */
static unsigned on_behalf(struct bl__api_call *c, struct MHD_Connection *conn,
                          struct bl_app_actor *actor)
{
    const char *h = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Ballast-Org");
    if (!h)
        return 0;
    char own[160] = "", shown[BL_SHOW_BUF];
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl__api_org_name(c, own, sizeof(own), &d))
        return bl__api_fail(c, d.code, &d);
    if (strcmp(h, own) == 0)
        return 0;
    bl_str_show(bl_str_c(h), BL_SHOW, shown);
    if (c->role != BL_ROLE_PLATFORM)
        return bl__api_error(c, MHD_HTTP_FORBIDDEN, "forbidden", "Ballast-Org",
                             "this token is organisation '%s''s: it may not name organisation "
                             "%s (only a marketplace's platform token may)",
                             own, shown);
    int64_t merchant = 0;
    int rc = bl_app_org_governed(c->st, c->org, h, &merchant, &d);
    if (rc == BL_ENOTFOUND)
        return bl__api_error(c, MHD_HTTP_NOT_FOUND, "not_found", "Ballast-Org",
                             "no merchant organisation %s governed by '%s'", shown, own);
    if (rc)
        return bl__api_fail(c, rc, &d);
    snprintf(actor->marketplace, sizeof(actor->marketplace), "%s", own);
    c->org = merchant;
    c->role = BL_ROLE_OPERATOR;
    return 0;
}

/* Who the token text is: the server's cache (token_cache.c) when it saw it good a moment
 * ago, else the store (bl_app_token_auth), whose good answer it then keeps. */
static int token_who(struct bl__api_call *c, const char *tok, struct bl_app_token_auth_res *who,
                     struct bl_diag *d)
{
    struct bl__api_tokens *cache = c->srv ? c->srv->tokens : NULL;
    size_t n = strlen(tok);
    double mono = mono_now();
    uint64_t epoch;
    if (bl__api_tokens_find(cache, tok, n, mono, c->now, who, &epoch))
        return BL_OK;
    int rc = bl_app_token_auth(c->st, tok, n, c->now, who, d);
    if (!rc)
        bl__api_tokens_keep(cache, tok, n, mono, who, epoch);
    return rc;
}

/* The request's token: the Authorization header's, else the session cookie's (a
 * browser's: c->via_cookie, and c->csrf the token its changes must send). NULL: none. */
static const char *token_of(struct bl__api_call *c, struct MHD_Connection *conn)
{
    const char *h =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (h) {
        if (strncasecmp(h, "Bearer ", 7) != 0)
            return NULL;
        h += 7;
        while (*h == ' ')
            h++;
        return h;
    }
    const char *ck = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, BL_API_COOKIE);
    if (!ck || !ck[0])
        return NULL;
    char csrf[BL_API_CSRF_LEN];
    bl__api_csrf_of(ck, csrf);
    c->via_cookie = true;
    c->csrf = bl_arena_strndup(&c->arena, csrf, strlen(csrf));
    return ck;
}

/* A change made with the session cookie must carry its CSRF token: 0, or 403. */
static unsigned csrf_check(struct bl__api_call *c, struct MHD_Connection *conn, const char *tok)
{
    const char *m = c->route->method;
    if (!c->via_cookie || strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0)
        return 0;
    const char *h = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, BL_API_CSRF_HEADER);
    if (bl__api_csrf_ok(tok, h))
        return 0;
    return bl__api_error(c, MHD_HTTP_FORBIDDEN, "csrf_failed", BL_API_CSRF_HEADER,
                         "a change made with the session cookie needs the header %s with the "
                         "token the sign-in gave (GET /api/v1/me gives it again)",
                         BL_API_CSRF_HEADER);
}

static unsigned authenticate(struct bl__api_call *c, struct MHD_Connection *conn)
{
    const char *tok = token_of(c, conn);
    if (!tok)
        return bl__api_error(c, MHD_HTTP_UNAUTHORIZED, "unauthenticated", NULL,
                             "%s needs a token: 'Authorization: Bearer blt_...', made by "
                             "'ballast token create'",
                             c->route->path);
    struct bl_app_token_auth_res who;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = token_who(c, tok, &who, &d);
    if (rc == BL_EPARSE || rc == BL_ENOTFOUND) {
        static const char *const codes[] = {[BL_TOKEN_MALFORMED] = "token_malformed",
                                            [BL_TOKEN_NO_MATCH] = "token_unknown",
                                            [BL_TOKEN_EXPIRED] = "token_expired",
                                            [BL_TOKEN_REVOKED] = "token_revoked"};
        return bl__api_error(c, MHD_HTTP_UNAUTHORIZED, codes[who.reason], NULL, "%s", d.msg);
    }
    if (rc)
        return bl__api_fail(c, rc, &d);
    unsigned cs = csrf_check(c, conn, tok);
    if (cs)
        return cs;
    c->org = who.org;
    c->token_id = who.id;
    c->role = who.role;
    c->user_id = who.user_id;
    c->user_org = who.org;
    struct bl_app_actor actor = {.kind = who.user_id ? BL_ACTOR_PERSON : BL_ACTOR_TOKEN,
                                 .token_id = who.id}; /* a session: the user's name */
    snprintf(actor.name, sizeof(actor.name), "%s", who.label);
    unsigned st = on_behalf(c, conn, &actor);
    if (st)
        return st;
    char name[400];
    bl_app_actor_format(&actor, name, sizeof(name));
    if (c->role < c->route->role)
        return bl__api_error(c, MHD_HTTP_FORBIDDEN, "forbidden", NULL,
                             "%s %s needs the %s role; this token is %s", c->route->method,
                             c->route->path, bl_app_role_name(c->route->role),
                             bl_app_role_name(c->role));
    c->who = bl_arena_strndup(&c->arena, name, strlen(name));
    set_actor(c, conn, who.user_id);
    return 0;
}

static unsigned read_body(struct bl__api_server *s, struct bl__api_call *c,
                          struct MHD_Connection *conn)
{
    const char *type =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (c->raw.len && type && strncasecmp(type, "application/json", 16) != 0)
        return bl__api_error(c, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                             "Content-Type", "the body must be application/json");
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc =
        bl__api_json_parse(c->raw.len ? c->raw : BL_STR("{}"), s->opts.max_depth, &c->body, &d);
    if (rc == BL_ETOOBIG)
        return bl__api_error(c, MHD_HTTP_BAD_REQUEST, "too_deep", "body", "%s", d.msg);
    return rc ? bl__api_fail(c, rc, &d) : 0;
}

unsigned bl__api_admit(struct bl__api_call *c, struct MHD_Connection *conn)
{
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, query_arg, c);
    unsigned st = c->route->role != BL_ROLE_NONE ? authenticate(c, conn) : 0;
    if (st)
        return st;
    struct bl_diag d;
    bl_diag_clear(&d);
    if (c->nquery >= BL_API_QUERY_MAX)
        return bl__api_error(c, MHD_HTTP_BAD_REQUEST, "invalid", NULL,
                             "more than %d query parameters", BL_API_QUERY_MAX - 1);
    if (bl__api_query_check(c->route, c->query, c->nquery, &d))
        return bl__api_error(c, MHD_HTTP_BAD_REQUEST, "invalid", d.field, "%s", d.msg);
    return 0;
}

/* The checks before the handler: 0, or the status of the answer they gave. Who is asking
 * comes first: a caller without a token learns nothing of a route's parameters. */
static unsigned check(struct bl__api_server *s, struct bl__api_call *c, struct MHD_Connection *conn,
                      bool too_big)
{
    if (too_big)
        return bl__api_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "too_large", "body",
                             "the body is larger than %zu bytes", s->opts.max_body);
    unsigned st = bl__api_admit(c, conn);
    if (st)
        return st;
    if (c->route->flags & BL_ROUTE_BODY)
        return read_body(s, c, conn);
    if (c->raw.len)
        return bl__api_error(c, MHD_HTTP_BAD_REQUEST, "invalid", "body", "%s %s takes no body",
                             c->route->method, c->route->path);
    return 0;
}

/* The JSON or text of the answer into b. */
static int render(struct bl__api_call *c, struct bl_buf *b)
{
    if (!c->out) {
        c->type = c->type ? c->type : "text/plain; charset=utf-8";
        return bl_buf_adds(b, bl_buf_str(&c->text));
    }
    c->type = "application/json";
    char *text = json_dumps(c->out, BL_API_JSON_FLAGS);
    int rc = text ? bl_buf_adds(b, bl_str_c(text)) : BL_ENOMEM;
    rc = rc ? rc : bl_buf_addc(b, '\n');
    free(text);
    return rc;
}

/* A strong ETag: the hash of the answer's bytes (out: 35 bytes). */
static void etag_of(struct bl_str body, char *out)
{
    unsigned char h[16];
    crypto_generichash(h, sizeof(h), (const unsigned char *)body.ptr, body.len, NULL, 0);
    out[0] = '"';
    sodium_bin2hex(out + 1, 33, h, sizeof(h));
    out[33] = '"';
    out[34] = '\0';
}

static bool etag_matches(struct MHD_Connection *conn, const char *etag)
{
    const char *inm =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    return inm && (strstr(inm, etag) || strcmp(inm, "*") == 0);
}

static enum MHD_Result queue(struct MHD_Connection *conn, unsigned status,
                             const struct bl__api_call *c, struct bl_str body, const char *etag,
                             const char *allow)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(body.len, (void *)body.ptr, MHD_RESPMEM_MUST_COPY);
    if (!resp)
        return MHD_NO;
    bool ok = MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                                      c->type ? c->type : "application/json") == MHD_YES;
    ok = ok && MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff") == MHD_YES;
    ok = ok && MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "private, no-cache") ==
                   MHD_YES;
    if (ok && etag)
        ok = MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, etag) == MHD_YES;
    if (ok && allow && allow[0])
        ok = MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow) == MHD_YES;
    if (ok && c->set_cookie)
        ok = MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, c->set_cookie) == MHD_YES;
    if (ok && status == MHD_HTTP_UNAUTHORIZED)
        ok = MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
                                     "Bearer realm=\"ballast\"") == MHD_YES;
    enum MHD_Result rc = ok ? MHD_queue_response(conn, status, resp) : MHD_NO;
    MHD_destroy_response(resp);
    return rc;
}

/* Renders c's answer and queues it: 304 when the client has this ETag. */
static enum MHD_Result answer(struct MHD_Connection *conn, struct bl__api_call *c, unsigned *status,
                              const char *allow)
{
    struct bl_buf b = BL_BUF_INIT;
    if (render(c, &b)) {
        bl_buf_release(&b);
        *status = MHD_HTTP_INTERNAL_SERVER_ERROR;
        return MHD_NO;
    }
    char etag[36];
    bool tagged = c->route && (c->route->flags & BL_ROUTE_ETAG) && *status == MHD_HTTP_OK;
    if (tagged)
        etag_of(bl_buf_str(&b), etag);
    if (tagged && etag_matches(conn, etag)) {
        *status = MHD_HTTP_NOT_MODIFIED;
        bl_buf_reset(&b);
    }
    enum MHD_Result rc = queue(conn, *status, c, bl_buf_str(&b), tagged ? etag : NULL, allow);
    bl_buf_release(&b);
    return rc;
}

/* The handler, under the request's Idempotency-Key when it has one. */
static unsigned run(struct bl__api_call *c, struct MHD_Connection *conn)
{
    const char *key = (c->route->flags & BL_ROUTE_IDEM)
                          ? MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Idempotency-Key")
                          : NULL;
    if (!key)
        return c->route->fn(c);
    char op[400];
    int w = snprintf(op, sizeof(op), "%s %s", c->route->method, c->route->path);
    /* the path's {x} values too: one key may not approve action 4, then replay it for 5 */
    for (size_t i = 0; i < c->nparams && w > 0 && (size_t)w < sizeof(op); i++)
        w += snprintf(op + w, sizeof(op) - (size_t)w, " %.*s", (int)c->params[i].len,
                      c->params[i].ptr);
    struct bl_app_idem_res seen;
    struct bl_diag d;
    bl_diag_clear(&d);
    int64_t lease = (int64_t)c->srv->opts.timeout_s + BL__API_IDEM_RUN;
    int rc = bl_app_idem_begin(c->st, c->org, key, op, c->raw, c->now, lease, &seen, &d);
    unsigned status;
    if (rc)
        status = bl__api_fail(c, rc, &d);
    else if (seen.state == BL_IDEM_MISMATCH)
        status =
            bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "idempotency_key_reused",
                          "Idempotency-Key", "this Idempotency-Key was used for another request");
    else if (seen.state == BL_IDEM_BUSY)
        status = bl__api_error(c, MHD_HTTP_CONFLICT, "idempotency_key_in_use", "Idempotency-Key",
                               "a request with this Idempotency-Key is running: retry later");
    else if (seen.state == BL_IDEM_REPLAY)
        status = bl__api_json(c, (unsigned)seen.status, json_loads(seen.body, 0, NULL));
    else {
        status = c->route->fn(c);
        char *text = c->out ? json_dumps(c->out, JSON_COMPACT | JSON_REAL_PRECISION(12)) : NULL;
        bl_diag_clear(&d);
        if (status >= 500 || !text)
            rc = bl_app_idem_abandon(c->st, c->org, key, &d);
        else
            rc = bl_app_idem_done(c->st, c->org, key, status, bl_str_c(text), &d);
        free(text);
        c->store_error = c->store_error || rc != 0;
    }
    bl_app_idem_res_release(&seen);
    return status;
}

static unsigned no_route(struct bl__api_call *c, const char *method, const char *url,
                         const char *allow)
{
    char shown[BL_SHOW_BUF];
    bl_str_show(bl_str_c(url), BL_SHOW, shown);
    if (allow[0])
        return bl__api_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed", NULL,
                             "%s takes %s, not %s", shown, allow, method);
    return bl__api_error(c, MHD_HTTP_NOT_FOUND, "unknown_route", NULL,
                         "no route %s (GET /api/v1/openapi.json lists them)", shown);
}

/* A GET reads in one read transaction (bl_store_read_begin): its statements see one state
 * of the store and, on SQLite, take its locks once. Whether one was opened. */
static bool read_begin(struct bl__api_call *c)
{
    if (strcmp(c->route->method, "GET") != 0)
        return false;
    struct bl_diag d;
    bl_diag_clear(&d);
    return bl_store_read_begin(c->st, &d) == BL_OK; /* else statement by statement, as before */
}

/* A change made through this server (any other method that succeeded) may have revoked a
 * token or removed a user: the token cache starts again. */
static void after_change(struct bl__api_server *s, const struct bl__api_call *c, unsigned status)
{
    if (status < 400 && strcmp(c->route->method, "GET") != 0)
        bl__api_tokens_forget(s->tokens);
}

static unsigned handle(struct bl__api_server *s, struct bl__api_call *c,
                       struct MHD_Connection *conn, bool too_big)
{
    bool needs_store = c->route->role != BL_ROLE_NONE || (c->route->flags & BL_ROUTE_STORE);
    struct bl__api_slot *slot = NULL;
    struct bl_diag d;
    bl_diag_clear(&d);
    if (needs_store && !(slot = bl__api_pool_take(s, &d))) {
        c->store_error = true;
        return bl__api_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "store_unavailable", NULL,
                             "the store does not answer: %s", d.msg);
    }
    c->st = slot ? slot->st : NULL;
    if (c->st) /* nobody yet: the token, if any, says who */
        set_actor(c, conn, 0);
    bool read = c->st && read_begin(c);
    unsigned status = check(s, c, conn, too_big);
    if (!status)
        status = run(c, conn);
    if (read)
        bl_store_read_end(c->st);
    if (slot)
        bl__api_pool_give(s, slot, c->store_error);
    after_change(s, c, status);
    return status;
}

enum MHD_Result bl__api_dispatch(struct bl__api_server *s, struct MHD_Connection *conn,
                                 const char *method, const char *url, struct bl__api_req *r)
{
    struct bl__api_call c = {.srv = s, .now = r->now, .raw = bl_buf_str(&r->body)};
    char allow[64];
    size_t ri = find_route(method, bl_str_c(url), &c, allow, sizeof(allow));
    unsigned status;
    if (ri == bl__api_nroutes && !allow[0] && s->web_fd >= 0 && strncmp(url, "/api/", 5) != 0) {
        r->answered = true; /* the web front end's files (static.c) */
        return bl__api_static(s, conn, method, url);
    }
    if (ri == bl__api_nroutes) {
        status = no_route(&c, method, url, allow);
    } else {
        c.route = &bl__api_routes[ri];
        status = handle(s, &c, conn, r->too_big);
    }
    r->answered = true;
    return bl__api_respond(s, conn, &c, ri, status, r->start, allow);
}

size_t bl__api_route_of(const char *method, const char *url, struct bl__api_call *c)
{
    char allow[64];
    return find_route(method, bl_str_c(url), c, allow, sizeof(allow));
}

enum MHD_Result bl__api_respond(struct bl__api_server *s, struct MHD_Connection *conn,
                                struct bl__api_call *c, size_t ri, unsigned status, double start,
                                const char *allow)
{
    if (c->store_error)
        bl__api_metrics_store_error(s->metrics);
    enum MHD_Result rc = answer(conn, c, &status, allow);
    bl__api_metrics_observe(s->metrics, ri, status, mono_now() - start);
    json_decref(c->out);
    json_decref(c->body);
    c->out = c->body = NULL;
    bl_buf_release(&c->text);
    bl_arena_release(&c->arena);
    return rc;
}

enum MHD_Result bl__api_answer_early(struct bl__api_server *s, struct MHD_Connection *conn,
                                     struct bl__api_req *r, unsigned status)
{
    struct bl__api_call c = {.srv = s};
    bl__api_error(&c, status, "too_large", "body", "the body is larger than %zu bytes",
                  s->opts.max_body);
    r->answered = true;
    enum MHD_Result rc = answer(conn, &c, &status, NULL);
    bl__api_metrics_observe(s->metrics, bl__api_nroutes, status, mono_now() - r->start);
    json_decref(c.out);
    return rc;
}
