/* openapi.c - the OpenAPI 3.1 document of the route table (GET /api/v1/openapi.json): a
 * path per pattern, an operation per route with its role, parameters, body schema and
 * answers. Nothing in it is written by hand but the words of the table. */
#include <stdio.h>
#include <string.h>

#include "api/api_impl.h"

#ifndef BL_VERSION
#define BL_VERSION "0"
#endif

static json_t *error_schema(void)
{
    return json_pack(
        "{s:s, s:[s], s:{s:{s:s, s:[s,s], s:{s:{s:s, s:s}, s:{s:s, s:s}, s:{s:[s,s], s:s}}}}}",
        "type", "object", "required", "error", "properties", "error", "type", "object", "required",
        "code", "message", "properties", "code", "type", "string", "description",
        "a stable code: not_found, invalid, unauthenticated, forbidden...", "message", "type",
        "string", "description", "what went wrong and what was expected, as the CLI says it",
        "field", "type", "string", "null", "description",
        "the query parameter, body member or header at fault");
}

static json_t *components(void)
{
    return json_pack(
        "{s:{s:{s:s, s:s, s:s}}, s:{s:o}, s:{s:{s:s, s:{s:{s:{s:s}}}}}}", "securitySchemes",
        "bearer", "type", "http", "scheme", "bearer", "description",
        "an API token of the organisation: 'ballast token create --role viewer|operator|admin'",
        "schemas", "Error", error_schema(), "responses", "Error", "description",
        "an error: {\"error\": {\"code\", \"message\", \"field\"}}", "content", "application/json",
        "schema", "$ref", "#/components/schemas/Error");
}

/* "get_api_v1_orders_id" for GET /api/v1/orders/{id}. */
static void operation_id(const struct bl__api_route *r, char *out, size_t cap)
{
    size_t n = (size_t)snprintf(out, cap, "%s", r->method);
    for (size_t i = 0; i < n; i++)
        out[i] = (char)(out[i] | 0x20);
    for (const char *p = r->path; *p && n + 1 < cap; p++)
        if (*p == '/' || *p == '.' || *p == '-')
            out[n++] = '_';
        else if (*p != '{' && *p != '}')
            out[n++] = *p;
    out[n] = '\0';
}

static int add_params(json_t *params, const struct bl__api_route *r)
{
    int rc = 0;
    for (const char *p = strchr(r->path, '{'); p && !rc; p = strchr(p + 1, '{')) {
        const char *close = strchr(p, '}');
        rc = json_array_append_new(params, json_pack("{s:s%, s:s, s:b, s:{s:s}}", "name", p + 1,
                                                     (size_t)(close - p - 1), "in", "path",
                                                     "required", 1, "schema", "type", "string"));
    }
    for (const struct bl__api_param *q = r->query; q && q->name && !rc; q++)
        rc = json_array_append_new(
            params, json_pack("{s:s, s:s, s:s, s:b, s:{s:s}}", "name", q->name, "in", "query",
                              "description", q->about, "required", 0, "schema", "type", q->type));
    if ((r->flags & BL_ROUTE_IDEM) && !rc)
        rc = json_array_append_new(
            params, json_pack("{s:s, s:s, s:s, s:b, s:{s:s, s:i}}", "name", "Idempotency-Key", "in",
                              "header", "description",
                              "a key of the client's: a retry with the same key and body "
                              "answers the first answer and creates nothing",
                              "required", 0, "schema", "type", "string", "maxLength", 200));
    return rc;
}

static json_t *responses(const struct bl__api_route *r)
{
    bool text = strcmp(r->path, "/metrics") == 0;
    json_t *ok = json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", r->answer, "content",
                           text ? "text/plain" : "application/json", "schema", "type",
                           text ? "string" : "object");
    json_t *res = json_object();
    bool created = (r->flags & (BL_ROUTE_IDEM | BL_ROUTE_CREATED)) != 0;
    if (!ok || !res || json_object_set_new(res, created ? "201" : "200", ok))
        return json_decref(res), NULL;
    static const char *const errs[] = {"400", "401", "403", "404", "409", "413", "422", "503"};
    for (size_t i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
        bool needs_auth = i == 1 || i == 2;
        if (needs_auth && r->role == BL_ROLE_NONE)
            continue;
        if (json_object_set_new(res, errs[i],
                                json_pack("{s:s}", "$ref", "#/components/responses/Error")))
            return json_decref(res), NULL;
    }
    if (r->flags & BL_ROUTE_ETAG)
        json_object_set_new(
            res, "304",
            json_pack("{s:s}", "description", "not modified: the client's ETag is current"));
    return res;
}

static json_t *operation(const struct bl__api_route *r)
{
    char id[128];
    operation_id(r, id, sizeof(id));
    json_t *params = json_array();
    if (!params || add_params(params, r))
        return json_decref(params), NULL;
    json_t *op = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:s}", "operationId", id, "summary",
                           r->summary, "description",
                           r->role == BL_ROLE_NONE ? "No token needed."
                                                   : "Needs a token of this role or above.",
                           "parameters", params, "security",
                           r->role == BL_ROLE_NONE ? json_array() : json_pack("[{s:[]}]", "bearer"),
                           "responses", responses(r), "x-required-role", bl_app_role_name(r->role));
    if (op && (r->flags & BL_ROUTE_STREAM)) {
        json_t *content = json_loads(r->body, 0, NULL);
        if (json_object_set_new(op, "requestBody",
                                json_pack("{s:b, s:o}", "required", 1, "content", content)))
            return json_decref(op), NULL;
    }
    if (op && (r->flags & BL_ROUTE_BODY)) {
        json_t *schema = json_loads(r->body, 0, NULL);
        if (json_object_set_new(op, "requestBody",
                                json_pack("{s:b, s:{s:{s:o}}}", "required", 1, "content",
                                          "application/json", "schema", schema)))
            return json_decref(op), NULL;
    }
    return op;
}

json_t *bl__api_openapi(void)
{
    json_t *paths = json_object();
    for (size_t i = 0; paths && i < bl__api_nroutes; i++) {
        const struct bl__api_route *r = &bl__api_routes[i];
        json_t *item = json_object_get(paths, r->path);
        if (!item && json_object_set_new(paths, r->path, item = json_object()))
            return json_decref(paths), NULL;
        char m[8];
        snprintf(m, sizeof(m), "%s", r->method);
        for (char *p = m; *p; p++)
            *p = (char)(*p | 0x20);
        if (json_object_set_new(item, m, operation(r)))
            return json_decref(paths), NULL;
    }
    return json_pack("{s:s, s:{s:s, s:s, s:s}, s:[{s:s}], s:o, s:o}", "openapi", "3.1.0", "info",
                     "title", "Ballast API", "version", BL_VERSION, "description",
                     "The HTTP API of Ballast, an operations engine for online sellers. Each "
                     "route calls one use case of the service layer; the organisation is the "
                     "token's (docs/api.md).",
                     "servers", "url", "/", "components", components(), "paths", paths);
}
