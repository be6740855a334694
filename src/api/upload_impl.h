/* upload_impl.h - the state of a streamed upload (upload.c), shared with its key
 * (upload_key.c) and its turn (upload_turn.c); docs/internals/api.md, "Uploads". */
#ifndef BL_API_UPLOAD_IMPL_H
#define BL_API_UPLOAD_IMPL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <microhttpd.h>

#include "api/server_impl.h"
#include "app/idem.h"

#define RING (512u * 1024)   /* bytes of body between the request and the importer */
#define AHEAD (1024u * 1024) /* bytes of records an upload reads ahead of its turn */

/* KEY_ASKED: the request has a key, claimed in its turn (claimed, a replay, or refused) */
enum key_state { KEY_NONE, KEY_ASKED, KEY_CLAIMED, KEY_REPLAY };

struct bl__api_upload {
    struct bl__api_server *srv;
    struct MHD_Connection *conn;
    size_t ri; /* the route */
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int refs; /* the request, and the importer thread while it runs */
    char *ring;
    size_t head, len; /* the bytes not read yet: ring[head..head+len) modulo RING */
    uint64_t bytes;   /* of the body so far */
    bool eof;         /* the whole body arrived */
    bool aborted;     /* the client went away: nothing is imported */
    bool too_big;     /* past --max-upload */
    bool suspended;   /* the connection waits: for room, or for the answer */
    bool draining;    /* the handler answered: the rest of the body is only hashed */
    bool done;        /* the answer is ready */
    bool whole;       /* the importer waits for the whole body (or a full ring) */
    struct bl_app_idem_hash hash;
    unsigned char body_hash[BL_IDEM_HASH];
    enum key_state key;
    struct bl_app_idem_res seen; /* KEY_REPLAY: the earlier answer */
    char op[160];
    struct bl__api_call call;
    struct bl_csv_source src;
    unsigned status;
};

/* ---- the Idempotency-Key (upload_key.c) ---- */

/* Before the body: the key's header read into c->idem_key (KEY_ASKED), or nothing. 0,
 * or the answer's status. */
unsigned bl__upload_ask_key(struct bl__api_upload *up, struct MHD_Connection *conn);
/* In the upload's turn, on its connection: 0 (claimed, or a replay answered once the body
 * has arrived), or the answer's status. */
unsigned bl__upload_claim_key(struct bl__api_upload *up);
/* The answer kept for the key (or the key given back when aborted, too large, or 5xx). */
void bl__upload_keep_answer(struct bl__api_upload *up, unsigned status, bool aborted);
/* That, once the body has ended (wait: until it has; else only if it has). */
void bl__upload_keep_when_ended(struct bl__api_upload *up, unsigned status, bool wait);
/* A retried request with the same key: the earlier answer if the body is the same. */
unsigned bl__upload_replay(struct bl__api_upload *up);

/* ---- the turns and reading ahead (upload_turn.c) ---- */

struct bl__api_turns *bl__upload_gate_of(struct bl__api_server *s, int64_t org);
/* A ticket of g, once it is next in line (the one before it has its turn). */
uint64_t bl__upload_turn_ticket(struct bl__api_turns *g);
void bl__upload_turn_wait(struct bl__api_turns *g, uint64_t t); /* until t's turn */
void bl__upload_turn_end(struct bl__api_turns *g);              /* the next one's */
/* JSON Lines of orders whose body has arrived whole before ticket t's turn: read and
 * parsed into c->import_ahead. 0, or the answer's status. */
unsigned bl__upload_read_ahead(struct bl__api_upload *up, struct bl__api_turns *g, uint64_t t);

#endif
