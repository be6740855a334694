/* api_fuzz.c - libFuzzer target for what the HTTP API reads from a request before a handler
 * runs (src/api/parse.c): the path against every route pattern, the query's parameters
 * against each route's, a JSON body (UTF-8, depth, one object), a page cursor, --listen,
 * and a web front end's file path (static.c).
 *
 * Input: lines. Line 1 is a path, line 2 a cursor, line 3 a --listen value; every later
 * line "key=value" a query parameter (at most BL_API_QUERY_MAX); the whole input is also
 * a JSON body. Checked: a match's {x} segments lie inside the path and hold no '/'; an
 * accepted cursor encodes back to itself; an accepted body is an object nested no deeper
 * than the limit; refusals come with a message; a file path accepted has no segment that
 * is empty or begins with '.' (no "..", no hidden file), no leading '/', and only
 * [A-Za-z0-9._/-].
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_impl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void path_match(struct bl_str path)
{
    for (size_t r = 0; r < bl__api_nroutes; r++) {
        struct bl_str params[BL_API_PARAMS_MAX];
        size_t n = 0;
        if (!bl__api_match(bl__api_routes[r].path, path, params, &n))
            continue;
        if (n > BL_API_PARAMS_MAX)
            abort();
        for (size_t i = 0; i < n; i++)
            if (!params[i].len || params[i].ptr < path.ptr ||
                params[i].ptr + params[i].len > path.ptr + path.len ||
                memchr(params[i].ptr, '/', params[i].len))
                abort();
    }
}

static void static_path(const char *path)
{
    if (!bl__api_static_path_ok(path))
        return;
    size_t n = strlen(path);
    if (!n || n > 255 || path[0] == '/' || path[n - 1] == '/' || strstr(path, "//") ||
        strstr(path, "/.") || path[0] == '.' || strspn(path, "abcdefghijklmnopqrstuvwxyz"
                                                             "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                             "0123456789._/-") != n)
        abort();
}

static void cursor(struct bl_str s)
{
    int64_t a, b;
    if (bl__api_cursor_decode(s, &a, &b) != BL_OK)
        return;
    char again[64];
    bl__api_cursor_encode(a, b, again, sizeof(again));
    if (strlen(again) != s.len || memcmp(again, s.ptr, s.len) != 0)
        abort();
}

static void query(char **lines, size_t n)
{
    struct bl__api_kv q[BL_API_QUERY_MAX];
    size_t nq = 0;
    for (size_t i = 0; i < n && nq < BL_API_QUERY_MAX; i++) {
        char *eq = strchr(lines[i], '=');
        if (eq)
            *eq = '\0';
        q[nq++] = (struct bl__api_kv){lines[i], eq ? eq + 1 : NULL};
    }
    for (size_t r = 0; r < bl__api_nroutes; r++) {
        struct bl_diag d;
        bl_diag_clear(&d);
        if (bl__api_query_check(&bl__api_routes[r], q, nq, &d) && !d.msg[0])
            abort();
    }
}

static void body(const uint8_t *data, size_t size)
{
    json_t *j = NULL;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl__api_json_parse((struct bl_str){(const char *)data, size}, 8, &j, &d);
    if (rc ? (j != NULL || !d.msg[0]) : !json_is_object(j))
        abort();
    json_decref(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char *lines[3 + BL_API_QUERY_MAX];
    size_t n = 0;
    for (char *p = text; n < sizeof(lines) / sizeof(lines[0]);) {
        lines[n++] = p;
        char *nl = strchr(p, '\n');
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
    path_match(bl_str_c(lines[0]));
    static_path(lines[0]);
    if (n > 1)
        cursor(bl_str_c(lines[1]));
    if (n > 2) {
        char host[64] = "127.0.0.1";
        uint16_t port = 8080;
        struct bl_diag d;
        bl_diag_clear(&d);
        if (bl_api_parse_listen(lines[2], host, sizeof(host), &port, &d) && !d.msg[0])
            abort();
    }
    if (n > 3)
        query(lines + 3, n - 3);
    body(data, size);
    free(text);
    return 0;
}
