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
    char start_error[256];
    struct bl__api_sched *sched; /* the scheduler (sched.c), NULL with --no-schedule */
    struct bl__api_hooks *hooks; /* the webhook worker (hook_worker.c), or NULL */
};

/* One request's state between libmicrohttpd's calls (its con_cls). Owned by the server:
 * freed when libmicrohttpd says the request is complete. */
struct bl__api_req {
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
