/* api.h - the HTTP API server: `ballast serve` (docs/api.md, docs/internals/api.md).
 *
 * bl_api_serve opens `threads` connections to the store (one per worker thread), starts
 * libmicrohttpd on host:port with that many worker threads, calls on_ready with the port
 * it listens on, and serves until SIGTERM or SIGINT: then it stops accepting, lets the
 * requests in flight finish (at most opts->timeout_s more), and returns 0. The caller's
 * thread must not have those signals blocked elsewhere; bl_api_serve blocks them in every
 * thread it starts and waits for them itself.
 *
 * Every route is one entry of the route table (api_impl.h, routes.c): what answers, the
 * role it needs, its description and query parameters; the same table answers
 * /api/v1/openapi.json.
 */
#ifndef BL_API_H
#define BL_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/err.h"

#define BL_API_MAX_BODY (1u << 20)    /* bytes of a request body, default */
#define BL_API_MAX_HEADER (32u << 10) /* bytes of a request's line and headers, default */
#define BL_API_MAX_DEPTH 32           /* nesting of a JSON body, default */
#define BL_API_TIMEOUT 30             /* seconds a request may take to arrive, default */
#define BL_API_MAX_UPLOAD (1ull << 30) /* bytes of an upload (POST /api/v1/orders), default */
#define BL_API_UPLOAD_TIMEOUT 3600     /* seconds an upload may take to arrive, default */

struct bl_app_hook_send;

struct bl_api_opts {
    const char *db_url;
    const char *host; /* an IPv4 or IPv6 address; "127.0.0.1" by default */
    uint16_t port;    /* 0: any free port (on_ready says which) */
    unsigned threads; /* worker threads and store connections, 1..64 */
    size_t max_body, max_header;
    unsigned max_depth;
    unsigned timeout_s; /* a request's whole arrival (headers and body), and idle time */
    bool no_schedule; /* run no organisation's cycle on its schedule (--no-schedule) */
    /* The scheduler's clock, for tests: clock_start 0, the real clock; else it starts at
     * clock_start and runs clock_speed (1..3600) times as fast (BALLAST_SCHED_CLOCK). */
    int64_t clock_start;
    unsigned clock_speed;
    /* Webhooks: how the delivery worker sends, and the key POST /api/v1/webhooks seals
     * secrets with (src/app/hook.h, borrowed); NULL: no worker, and no webhook added. */
    const struct bl_app_hook_send *hooks;
    uint64_t max_upload;       /* bytes of a streamed upload's body */
    unsigned upload_timeout_s; /* an upload's whole arrival */
    /* The web front end's directory, served at `/` (static.c); NULL: none. */
    const char *web_dir;
    /* Called once listening (from the calling thread); NULL: nothing. */
    void (*on_ready)(void *ctx, const char *host, uint16_t port);
    void *ready_ctx;
};

/* Fills o with the defaults above (threads: 4, host 127.0.0.1, port 8080). */
void bl_api_opts_default(struct bl_api_opts *o);

/* Serves until SIGTERM/SIGINT. Errors: the store cannot be opened or is not initialised,
 * the address cannot be bound (d says why). */
int bl_api_serve(const struct bl_api_opts *o, struct bl_diag *d) BL_MUST_CHECK;

/* Parses "HOST:PORT", "[V6]:PORT", "HOST" or ":PORT" into o->host (copied to host, cap
 * bytes) and o->port. BL_EINVAL with d saying what is expected. */
int bl_api_parse_listen(const char *text, char *host, size_t cap, uint16_t *port,
                        struct bl_diag *d) BL_MUST_CHECK;

#endif
