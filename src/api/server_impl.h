/* server_impl.h - the server's state, shared by server.c and dispatch.c (internal). */
#ifndef BL_API_SERVER_IMPL_H
#define BL_API_SERVER_IMPL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include <microhttpd.h>

#include "api/api_impl.h"

struct bl__api_slot {
    struct bl_store *st;
    bool busy;   /* a request holds it */
    bool broken; /* the store failed on it: reopened before its next use */
};

#define BL_API_UPLOAD_GATES 8

/* Uploads' turns, first come first served (upload.c): a ticket each, served in order. */
struct bl__api_turns {
    pthread_mutex_t lock;
    pthread_cond_t moved; /* serving moved on */
    uint64_t next;        /* the next ticket given */
    uint64_t serving;     /* the ticket whose turn it is */
};

struct bl__api_server {
    struct bl_api_opts opts;
    struct MHD_Daemon *mhd;
    uint16_t port;              /* the one bound */
    struct bl__api_slot *slots; /* opts.threads of them */
    pthread_mutex_t lock;
    pthread_cond_t freed;
    struct bl__api_metrics *metrics;
    _Atomic int active;    /* requests begun and not completed */
    _Atomic bool starting; /* MHD_start_daemon is running: its log is the error */
    /* uploads (upload.c): one imports at a time per gate (SQLite: gate 0, its one writer;
     * PostgreSQL: the organisation's id modulo BL_API_UPLOAD_GATES, so that two
     * organisations' uploads may run at once); their store connections */
    struct bl__api_turns upload_gate[BL_API_UPLOAD_GATES];
    _Atomic int uploads;             /* importer threads running */
    _Atomic uint64_t uploads_begun;  /* importer threads started, ever */
    struct bl_store *upload_st[64];  /* connections kept for the next uploads */
    size_t nupload_st;
    struct bl_import_cache *import_cache; /* zones and places the uploads share */
    char start_error[256];
    struct bl__api_sched *sched; /* the scheduler (sched.c), NULL with --no-schedule */
    struct bl__api_hooks *hooks; /* the webhook worker (hook_worker.c), or NULL */
    int web_fd; /* the web front end's directory (opts.web_dir), or -1: none served */
    struct bl__api_tokens *tokens; /* who tokens are, kept a moment (token_cache.c) */
    struct bl__api_answers *answers; /* answers kept while their data is (answer_cache.c) */
    struct bl__api_stocks *stocks;   /* plans and alerts kept, and kept ready (stock_cache.c) */
    struct bl__api_ckpt *ckpt;       /* the uploads' checkpoints (checkpoint.c), or NULL */
};

/* One request's state between libmicrohttpd's calls (its con_cls). Owned by the server:
 * freed when libmicrohttpd says the request is complete. */
struct bl__api_upload;

struct bl__api_req {
    struct bl__api_upload *up; /* a streamed upload (BL_ROUTE_STREAM), else NULL */
    double start;       /* monotonic seconds when its headers were read */
    int64_t now;        /* epoch seconds then */
    struct bl_buf body; /* at most opts.max_body bytes */
    bool too_big;       /* the body went past max_body */
    bool answered;      /* a response is queued already */
};

struct bl__api_slot *bl__api_pool_take(struct bl__api_server *s, struct bl_diag *d);
void bl__api_pool_give(struct bl__api_server *s, struct bl__api_slot *slot, bool broken);

/* The webhook delivery worker (hook_worker.c): started when opts.hooks is set, stopped
 * after the requests drained; its counters appended to /metrics. */
int bl__api_hooks_start(struct bl__api_server *s, struct bl_diag *d) BL_MUST_CHECK;
void bl__api_hooks_stop(struct bl__api_server *s);
int bl__api_hooks_metrics(struct bl__api_server *s, struct bl_buf *b) BL_MUST_CHECK;

/* The last call for a request: route, check, run the handler, queue the answer. */
enum MHD_Result bl__api_dispatch(struct bl__api_server *s, struct MHD_Connection *conn,
                                 const char *method, const char *url, struct bl__api_req *r);
/* The route of method and url (its index; bl__api_nroutes: none), c->params filled. */
size_t bl__api_route_of(const char *method, const char *url, struct bl__api_call *c);
/* Who is asking (the token, its role against the route's) and the query: 0, or the
 * status of the error answer set in c. */
unsigned bl__api_admit(struct bl__api_call *c, struct MHD_Connection *conn);
/* Renders c's answer, queues it (304 when the client has its ETag), counts it in the
 * metrics (route ri, since start), and releases c's answer, body and arena. */
enum MHD_Result bl__api_respond(struct bl__api_server *s, struct MHD_Connection *conn,
                                struct bl__api_call *c, size_t ri, unsigned status, double start,
                                const char *allow);

/* ---- the web front end's files (static.c) ---- */

/* The Content-Security-Policy of every page and file served. */
extern const char bl__api_csp[];
/* Answers GET or HEAD of url (a path no route has, outside /api/) from s->web_fd: the
 * file, 304, 404 (no such file, a directory, a name refused), 405 for other methods. */
enum MHD_Result bl__api_static(struct bl__api_server *s, struct MHD_Connection *conn,
                               const char *method, const char *url);
/* ---- who tokens are, kept for BL_API_TOKEN_TTL seconds (token_cache.c) ---- */

#define BL_API_TOKEN_TTL 1.0  /* seconds: a revoke made elsewhere takes effect within it */
#define BL_API_TOKEN_SLOTS 512

struct bl__api_tokens;
/* NULL when out of memory (the server then asks the store every time). Freed with _free. */
struct bl__api_tokens *bl__api_tokens_new(void);
void bl__api_tokens_free(struct bl__api_tokens *t);
/* Whether the token text (n bytes) was good less than the TTL ago (mono: monotonic
 * seconds) and has not expired at now: *who as the store said it. *epoch: to give _keep. */
bool bl__api_tokens_find(struct bl__api_tokens *t, const char *text, size_t n, double mono,
                         int64_t now, struct bl_app_token_auth_res *who, uint64_t *epoch);
/* Keeps a good answer of the store (others are not kept), unless _forget came since the
 * _find that gave epoch. */
void bl__api_tokens_keep(struct bl__api_tokens *t, const char *text, size_t n, double mono,
                         const struct bl_app_token_auth_res *who, uint64_t epoch);
/* Forgets every token (a change through this server: a sign-out, a user removed). */
void bl__api_tokens_forget(struct bl__api_tokens *t);

/* ---- answers kept while what they were computed from is unchanged (answer_cache.c) ---- */

#define BL_API_ANSWER_SLOTS 512
#define BL_API_ANSWER_MAX (64u << 10) /* bytes: a larger answer is not kept (32 MiB at most) */

struct bl__api_answers;
/* NULL when out of memory (nothing is cached then). Freed with _free. */
struct bl__api_answers *bl__api_answers_new(void);
void bl__api_answers_free(struct bl__api_answers *a);
/* Appends the answer kept for (org, key) at version (gen, stamp) to out: whether there was one. */
bool bl__api_answers_find(struct bl__api_answers *a, int64_t org, const char *key, int64_t gen,
                          uint64_t stamp, struct bl_buf *out);
/* Keeps a copy of text for (org, key) at version (gen, stamp), in place of the slot's entry. */
void bl__api_answers_keep(struct bl__api_answers *a, int64_t org, const char *key, int64_t gen,
                          uint64_t stamp, struct bl_str text);

/* ---- the stock day kept per organisation (stock_cache.c) ---- */

#define BL_API_STOCK_SLOTS 16 /* days and assessments kept (a day: 1 to 2 KiB a SKU) */
#define BL_API_STOCK_WARM_S 2 /* seconds between the warm thread's looks at the store */
/* While uploads come, the warm thread waits: each makes a new data generation, so what
 * it would compute is out of date within milliseconds, and it would take a core from the
 * uploads. It computes once a look (every BL_API_STOCK_WARM_S) finds none running and none
 * begun since the last look, or when its last pass is this old. */
#define BL_API_STOCK_WARM_BUSY_S 60

struct bl__api_stocks;
/* NULL when out of memory (every request computes its day then). db_url: the warm
 * thread's store; uploads, begun: the server's counts of uploads running and begun, or
 * NULL (all borrowed). Freed with _free (which stops the thread). */
struct bl__api_stocks *bl__api_stocks_new(const char *db_url, _Atomic int *uploads,
                                          _Atomic uint64_t *begun);
void bl__api_stocks_free(struct bl__api_stocks *s);
/* The warm thread (stock_warm.c): keeps each organisation's last cycle's day computed.
 * _ask_stop (at a signal, before the requests are drained): a computation running gives
 * up, the thread ends; _stop asks and waits for it. */
int bl__api_stocks_start(struct bl__api_stocks *s) BL_MUST_CHECK;
void bl__api_stocks_ask_stop(struct bl__api_stocks *s);
void bl__api_stocks_stop(struct bl__api_stocks *s);

/* ---- the write-ahead log's checkpoints off the uploads' turns (checkpoint.c) ---- */

#define BL_API_CKPT_PAGES 1000      /* a checkpoint once the log is this long (SQLite's own) */
#define BL_API_CKPT_TURN_PAGES 4000 /* past it: the next upload copies the rest, in its turn */

struct bl__api_ckpt;
/* The checkpoint thread of an SQLite store (db_url borrowed): NULL on PostgreSQL, or when
 * it cannot start (each upload connection then checkpoints itself, as SQLite does).
 * Stopped and freed with _stop, after the connections it watches are closed. */
struct bl__api_ckpt *bl__api_ckpt_start(const char *db_url);
/* st's commits report the log's length to k instead of checkpointing (k NULL: nothing). */
void bl__api_ckpt_watch(struct bl__api_ckpt *k, struct bl_store *st);
/* In an upload's turn, before it begins, on its connection st: when the log is past
 * BL_API_CKPT_TURN_PAGES, a checkpoint of what the thread has not copied yet, so that the
 * upload's first write starts the log over. */
int bl__api_ckpt_turn(struct bl__api_ckpt *k, struct bl_store *st, struct bl_diag *d);
void bl__api_ckpt_stop(struct bl__api_ckpt *k);

/* ---- streamed uploads (upload.c): a route with BL_ROUTE_STREAM ---- */

/* The request's first call: checks who asks, the query and the Content-Type, holds the
 * Idempotency-Key, and starts the importer thread (or queues the refusal). */
enum MHD_Result bl__api_upload_begin(struct bl__api_server *s, struct MHD_Connection *conn,
                                     size_t ri, struct bl__api_req *r);
/* A piece of the body: handed to the importer (*size: what was not taken yet; then the
 * connection is suspended until the importer has room). */
void bl__api_upload_feed(struct bl__api_upload *up, const char *data, size_t *size);
/* The body has arrived: the answer once the importer has one (until then, suspended). */
enum MHD_Result bl__api_upload_end(struct bl__api_server *s, struct MHD_Connection *conn,
                                   struct bl__api_req *r);
/* The request is over (completed, or the client went away: then nothing is imported). */
void bl__api_upload_done(struct bl__api_upload *up, bool completed);
/* The store connections kept for uploads, closed (at stop). */
void bl__api_upload_close_all(struct bl__api_server *s);

/* Queues an error answer before the body was read (413). */
enum MHD_Result bl__api_answer_early(struct bl__api_server *s, struct MHD_Connection *conn,
                                     struct bl__api_req *r, unsigned status);

/* The scheduler's thread (sched.c): runs each organisation's cycle at its time, with a
 * store connection of its own. _start is called with SIGTERM and SIGINT blocked (the
 * thread inherits the mask); _stop asks it to stop between two steps of a cycle, wakes it
 * and waits for it. */
int bl__api_sched_start(struct bl__api_server *s, struct bl_diag *d) BL_MUST_CHECK;
void bl__api_sched_ask_stop(struct bl__api_server *s);
void bl__api_sched_stop(struct bl__api_server *s);
/* The scheduler's own figures into b (whether it runs, its passes and failures). */
int bl__api_sched_metrics(struct bl__api_server *s, struct bl_buf *b) BL_MUST_CHECK;
/* The figures of cycles, the scheduler's records and the outbox, from the store. */
int bl__api_metrics_cycles(struct bl_store *st, struct bl_buf *b) BL_MUST_CHECK;

#endif
