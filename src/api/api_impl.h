/* api_impl.h - what the files of src/api share (internal; docs/internals/api.md).
 *
 * A request is a struct bl__api_call: the server fills it (route, path parameters,
 * query, body, who is calling), the route's handler parses, calls one bl_app_* use case
 * and sets the answer (status and JSON, or an error). Handlers hold no SQL and no rule,
 * and know no other organisation than c->org, the token's.
 *
 * Ownership: everything in a call lives until the request ends: strings in c->arena,
 * c->body and c->out (jansson references) released by the server.
 */
#ifndef BL_API_IMPL_H
#define BL_API_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "api/api.h"
#include "app/token.h"
#include "ballast/alloc.h"
#include "ballast/csv.h"
#include "ballast/import.h"
#include "ballast/store.h"
#include "ballast/str.h"

#define BL_API_PARAMS_MAX 4 /* {x} in one path */
#define BL_API_QUERY_MAX 16 /* query parameters of one request */
/* Seconds a handler may run once its request has arrived, at most, as far as an
 * Idempotency-Key is concerned: a key's claim lasts the arrival limit (timeout_s, or
 * upload_timeout_s for an upload) plus this; a claim older than that belongs to a request
 * that died, and a retry takes it over (app/idem.h). */
#define BL__API_IDEM_RUN 900

struct bl__api_call;
struct bl__api_server;
typedef unsigned (*bl__api_fn)(struct bl__api_call *c); /* returns the HTTP status */

/* A query parameter a route takes. */
struct bl__api_param {
    const char *name;
    const char *type; /* "string", "integer" or "boolean" (OpenAPI schema types) */
    const char *about;
};

enum {
    BL_ROUTE_STORE = 1, /* needs a store connection */
    BL_ROUTE_BODY = 2,  /* takes a JSON object as its body */
    BL_ROUTE_IDEM = 4,  /* creates something: takes an Idempotency-Key */
    BL_ROUTE_ETAG = 8,  /* a read: answers with an ETag, 304 to If-None-Match */
    BL_ROUTE_CREATED = 16, /* creates something without an Idempotency-Key: answers 201 */
    BL_ROUTE_STREAM = 32, /* takes a body of any size (--max-upload), streamed to the handler
                             as it arrives (c->upload); body: its content types, as JSON */
};

struct bl__api_route {
    const char *method; /* "GET", "POST" */
    const char *path;   /* "/api/v1/orders/{id}": {name} is one path segment */
    bl__api_fn fn;
    enum bl_app_role role;             /* BL_ROLE_NONE: no token needed */
    unsigned flags;                    /* BL_ROUTE_* */
    const char *summary;               /* one line: what it answers */
    const struct bl__api_param *query; /* NULL or ending with a NULL name */
    const char *body;                  /* BL_ROUTE_BODY: the body's JSON Schema, as JSON text */
    const char *answer;                /* the 2xx answer's description */
};

/* The table (routes.c), in the order the document lists them. */
extern const struct bl__api_route bl__api_routes[];
extern const size_t bl__api_nroutes;

struct bl__api_kv {
    const char *key, *val;
};

struct bl__api_call {
    struct bl__api_server *srv;
    const struct bl__api_route *route;
    struct bl_store *st; /* the worker's connection (BL_ROUTE_STORE) */
    int64_t org;         /* the token's organisation: the only one a handler sees */
    int64_t token_id;
    enum bl_app_role role;
    const char *who; /* the token as a person names it (its label, else "API token N") */
    int64_t user_id; /* a session's user, else 0 */
    int64_t user_org; /* the user's own organisation (a marketplace's, acting for a merchant) */
    /* The browser's session cookie (cookie.c): whether the token came in it; then the
     * CSRF token every change must send (X-CSRF-Token), in c->arena; and a Set-Cookie
     * header the answer carries (sign-in, sign-out), in c->arena, or NULL. */
    bool via_cookie;
    const char *csrf;
    const char *set_cookie;
    int64_t now;     /* when the request arrived (epoch seconds) */
    struct bl_str params[BL_API_PARAMS_MAX]; /* {x} of the path, in order */
    size_t nparams;
    struct bl__api_kv query[BL_API_QUERY_MAX];
    size_t nquery;
    json_t *body;         /* BL_ROUTE_BODY: the parsed object */
    struct bl_str raw;    /* the body's bytes */
    const char *idem_key; /* the Idempotency-Key header, or NULL */
    /* BL_ROUTE_STREAM: the body as it arrives (read on the handler's thread), and whether
     * it is JSON Lines (Content-Type application/x-ndjson) rather than CSV */
    const struct bl_csv_source *upload;
    bool upload_jsonl;
    struct bl_import_cache *import_cache; /* the server's: zones and places, loaded once */
    struct bl_csv *import_ahead; /* the upload's records read before its turn, or NULL */
    struct bl_arena arena;
    /* the answer */
    json_t *out;        /* the JSON answered (NULL: text) */
    struct bl_buf text; /* or text (/metrics) */
    const char *type;   /* its Content-Type */
    bool store_error;   /* the store failed: counted in /metrics */
};

/* ---- request parsing (parse.c; fuzz/api_fuzz.c) ---- */

/* Whether path matches pattern; params get the {x} segments (views into path). */
bool bl__api_match(const char *pattern, struct bl_str path, struct bl_str *params, size_t *n);
/* Checks and parses a JSON body: valid UTF-8, nested at most max_depth, one object.
 * BL_EUTF8, BL_ETOOBIG (too deep) or BL_EPARSE with d (d->line, the column in msg). */
int bl__api_json_parse(struct bl_str body, unsigned max_depth, json_t **out,
                       struct bl_diag *d) BL_MUST_CHECK;
/* Every query parameter is one the route takes, once, valid UTF-8 without control
 * characters: else BL_EINVAL with d->field. */
int bl__api_query_check(const struct bl__api_route *r, const struct bl__api_kv *q, size_t n,
                        struct bl_diag *d) BL_MUST_CHECK;
/* Whether path (relative, no leading '/') may name a file of the web front end:
 * [A-Za-z0-9._/-], segments not empty and not beginning with '.', at most 255 bytes
 * (static.c). */
bool bl__api_static_path_ok(const char *path);
/* A page cursor: two numbers as unpadded base64url text (out: 64 bytes). */
void bl__api_cursor_encode(int64_t a, int64_t b, char *out, size_t cap);
int bl__api_cursor_decode(struct bl_str s, int64_t *a, int64_t *b) BL_MUST_CHECK;

/* ---- what handlers use (call.c) ---- */

/* The query parameter name, or NULL. */
const char *bl__api_query(const struct bl__api_call *c, const char *name);
/* A whole number in lo..hi (def when absent); else the 400 answer's status (0: fine). */
unsigned bl__api_query_int(struct bl__api_call *c, const char *name, int64_t lo, int64_t hi,
                           int64_t def, int64_t *out);
/* An instant (ISO 8601 with an offset, or a date: the end of that day UTC). */
unsigned bl__api_query_time(struct bl__api_call *c, const char *name, int64_t def, int64_t *out);
/* Path parameter i as a C string in c->arena (NULL when memory runs out). */
const char *bl__api_param(struct bl__api_call *c, size_t i);
/* A path parameter that is a store id (1..): 0, or the 404 answer's status. */
unsigned bl__api_param_id(struct bl__api_call *c, size_t i, const char *what, int64_t *id);
/* The error answer {"error": {"code", "message", "field"}}: returns status. */
unsigned bl__api_error(struct bl__api_call *c, unsigned status, const char *code, const char *field,
                       const char *fmt, ...) BL_PRINTF(5, 6);
/* The answer to a failed use case: its code's status, d's message (as the CLI words it)
 * and field. */
unsigned bl__api_fail(struct bl__api_call *c, int rc, const struct bl_diag *d);
/* Sets the answer to j (taking the reference): returns status. NULL j: out of memory. */
unsigned bl__api_json(struct bl__api_call *c, unsigned status, json_t *j);
/* JSON values: an instant in ISO 8601 UTC (null for BL_NO_TIME), money
 * {"amount": "12.30", "currency": "USD"}, a string or null. */
json_t *bl__api_time(int64_t t);
json_t *bl__api_money(int64_t minor, const char *currency);
json_t *bl__api_str(const char *s);
/* Who did something, from the text a history keeps (app/actor.h), in parts a front end
 * words: {"kind": "person"|"token", "name", "token_id", "marketplace"}; null for NULL. */
json_t *bl__api_actor(const char *text);
/* The name of the caller's organisation into out (bl_app_cycle_orgs lists them by id). */
int bl__api_org_name(struct bl__api_call *c, char *out, size_t cap,
                     struct bl_diag *d) BL_MUST_CHECK;

/* ---- the browser's session cookie (cookie.c; docs/web.md, "Signing in") ---- */

#define BL_API_COOKIE "ballast_session" /* the cookie's name */
#define BL_API_CSRF_HEADER "X-CSRF-Token"
#define BL_API_CSRF_LEN 44 /* the CSRF token's text, with its '\0' */

/* The CSRF token of a session token's text: a keyed hash of it (base64url, 43
 * characters), so it needs no state, survives a restart, and says nothing of the token;
 * only a page that was given it (sign-in, GET /api/v1/me: same-origin reads) knows it. */
void bl__api_csrf_of(const char *token, char out[BL_API_CSRF_LEN]);
/* Whether header (the request's X-CSRF-Token, or NULL) is token's, in constant time. */
bool bl__api_csrf_ok(const char *token, const char *header);
/* c->set_cookie to a cookie holding token (HttpOnly, SameSite=Strict, Path=/), kept
 * until expires_at (BL_NO_TIME: for the browser's session); token NULL: one that clears
 * it. BL_EINVAL when token has a character a cookie may not carry. */
int bl__api_cookie_set(struct bl__api_call *c, const char *token, int64_t expires_at) BL_MUST_CHECK;
/* ---- cached answers (answer_cache.c; docs/internals/api.md, "Cached answers") ---- */

/* How every JSON answer is rendered (then a newline). */
#define BL_API_JSON_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(12))

/* Whether the server kept a 200 answer for key (the parameters that shape the answer) of
 * the caller's organisation, computed at version (gen, stamp): then it is c's answer (as
 * text) and the handler returns 200 at once. gen < 0: nothing is cached. */
bool bl__api_cached(struct bl__api_call *c, const char *key, int64_t gen, uint64_t stamp);
/* The profile files' stamp (bl_app_assess_profiles_stamp), read at most once every
 * BL_API_PROFILES_TTL seconds by the server: an edit is seen within that. */
#define BL_API_PROFILES_TTL 1.0
uint64_t bl__api_profiles_stamp(struct bl__api_call *c);
/* Answers 200 with j (taking the reference), rendered now and kept under key at version
 * (gen, stamp) for the requests after; as bl__api_json when gen < 0. */
unsigned bl__api_json_keep(struct bl__api_call *c, json_t *j, const char *key, int64_t gen,
                           uint64_t stamp);

/* ---- the stock day kept per organisation (stock_cache.c; docs/internals/api.md) ---- */

struct bl_app_alerts_res;
struct bl_app_assess_res;
struct bl_app_route_res;
struct bl_app_windows_res;
struct bl_app_stock_summary;
/* A held day: al->day is the plan of every SKU, al the day's alerts, sum the Stock page's
 * summary of them (or as: every shop's assessment; rt: every open order routed; win: the
 * windows against deliveries). Read only. gen: the data generation it was computed at;
 * stale: an older one than now's (only the windows are ever given stale, while the new
 * ones are computed). */
struct bl__api_stock_ref {
    const struct bl_app_alerts_res *al;
    const struct bl_app_stock_summary *sum;
    int64_t gen;
    bool stale;
    const struct bl_app_assess_res *as;
    const struct bl_app_route_res *rt;
    const struct bl_app_windows_res *win;
    void *e;
};
/* The caller's organisation's plan and alerts as of `day` (a day number), as a fresh
 * bl_app_stock_day_open + bl_app_alerts with the API's options would give: kept while the
 * data generation is the same, computed once. Release with _put (also after a failure). */
int bl__api_stock_get(struct bl__api_call *c, int64_t day, struct bl__api_stock_ref *ref,
                      struct bl_diag *d) BL_MUST_CHECK;
/* Every shop of the caller's organisation assessed under its own profile as of as_of (a
 * dry run of bl_app_assess), kept likewise per data generation and profile files' stamp.
 * Release with _put. */
int bl__api_assess_get(struct bl__api_call *c, int64_t as_of, struct bl__api_stock_ref *ref,
                       struct bl_diag *d) BL_MUST_CHECK;
/* Every open order of the caller's organisation routed as of as_of (bl_app_route with each
 * shop's policy), kept likewise per data generation. Release with _put. */
int bl__api_routes_get(struct bl__api_call *c, int64_t as_of, struct bl__api_stock_ref *ref,
                       struct bl_diag *d) BL_MUST_CHECK;
/* The catalogue's delivery windows against every delivered order of the caller's
 * organisation (bl_app_windows without filters), kept likewise; while the warm thread
 * computes a new generation's, the last generation's (ref->stale) rather than a wait.
 * Release with _put. */
int bl__api_windows_get(struct bl__api_call *c, struct bl__api_stock_ref *ref,
                        struct bl_diag *d) BL_MUST_CHECK;
void bl__api_stock_put(struct bl__api_call *c, struct bl__api_stock_ref *ref);

/* ---- renderers GET /today shares with the lists (h_assess.c, h_cycles.c, ...) ---- */

struct bl_app_assess_shop;
struct bl_cycle_rec;
struct bl_app_disruption_item;
struct bl_stock_action;
json_t *bl__api_assess_shop_json(const struct bl_app_assess_shop *s);
json_t *bl__api_cycle_json(const struct bl_cycle_rec *r);
json_t *bl__api_dis_json(const struct bl_app_disruption_item *it);
/* The words an answer gives its reasons in: the request's ?locale= (en or zh-CN; default
 * en) and its operator pack (app/action_words.h). bl__api_words_open answers 400 (status
 * returned) for another locale, 500 when the pack cannot be read; release with
 * bl__api_words_release (safe on a zeroed struct). */
struct bl_words;
struct bl_l10n;
struct bl__api_words {
    const char *locale;
    struct bl_words *w;
    struct bl_l10n *l10n; /* the answer's date formatters (NULL: none) */
};
unsigned bl__api_words_open(struct bl__api_call *c, struct bl__api_words *aw);
void bl__api_words_release(struct bl__api_words *aw);
/* Action x as GET /api/v1/actions lists it, its reason_text in aw's words. */
json_t *bl__api_action_json(const struct bl_stock_action *x, const struct bl__api_words *aw);

/* ---- the server's parts handlers answer from (server.c, metrics.c, openapi.c) ---- */

/* The Prometheus text of the server's counters into b. */
int bl__api_metrics_text(struct bl__api_server *s, struct bl_buf *b) BL_MUST_CHECK;
/* The OpenAPI 3.1 document of the route table (a new reference). */
json_t *bl__api_openapi(void);

/* ---- metrics (metrics.c) ---- */

struct bl__api_metrics;
struct bl__api_metrics *bl__api_metrics_new(size_t nroutes);
void bl__api_metrics_free(struct bl__api_metrics *m);
/* A request answered: route index (nroutes: none matched), status, seconds taken. */
void bl__api_metrics_observe(struct bl__api_metrics *m, size_t route, unsigned status,
                             double seconds);
void bl__api_metrics_store_error(struct bl__api_metrics *m);
void bl__api_metrics_inflight(struct bl__api_metrics *m, int delta);
/* An upload's turn: seconds it waited for it (from its ticket), seconds it held it. */
void bl__api_metrics_upload_turn(struct bl__api_metrics *m, double waited, double held);
int bl__api_metrics_render(const struct bl__api_metrics *m, struct bl_buf *b) BL_MUST_CHECK;

#endif
