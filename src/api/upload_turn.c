/* upload_turn.c - uploads' turns, first come first served, and the next in line's body
 * read ahead (docs/internals/api.md, "Uploads"). */
#include <string.h>
#include <time.h>

#include "api/upload_impl.h"
#include "ballast/import.h"

/* The turn an upload of org waits for: SQLite has one writer, so one for all; on
 * PostgreSQL an organisation's uploads take turns (its row lock would make them anyway,
 * each holding a connection meanwhile) and other organisations' run beside them. */
struct bl__api_turns *bl__upload_gate_of(struct bl__api_server *s, int64_t org)
{
    bool pg = strncmp(s->opts.db_url, "postgres", 8) == 0;
    return &s->upload_gate[pg ? (uint64_t)org % BL_API_UPLOAD_GATES : 0];
}

/* Takes a ticket, and waits until it is next in line (the one before it has its turn). */
uint64_t bl__upload_turn_ticket(struct bl__api_turns *g)
{
    pthread_mutex_lock(&g->lock);
    uint64_t t = g->next++;
    while (g->serving + 1 < t)
        pthread_cond_wait(&g->moved, &g->lock);
    pthread_mutex_unlock(&g->lock);
    return t;
}

static bool turn_come(struct bl__api_turns *g, uint64_t t)
{
    pthread_mutex_lock(&g->lock);
    bool come = g->serving == t;
    pthread_mutex_unlock(&g->lock);
    return come;
}

void bl__upload_turn_wait(struct bl__api_turns *g, uint64_t t)
{
    pthread_mutex_lock(&g->lock);
    while (g->serving != t)
        pthread_cond_wait(&g->moved, &g->lock);
    pthread_mutex_unlock(&g->lock);
}

void bl__upload_turn_end(struct bl__api_turns *g)
{
    pthread_mutex_lock(&g->lock);
    g->serving++;
    pthread_cond_broadcast(&g->moved);
    pthread_mutex_unlock(&g->lock);
}

/* JSON Lines of orders, next in line (ticket t of g): once the whole body has arrived
 * (into the ring: at most RING bytes), its records read and parsed while the upload
 * before it has its turn (the writer inserts it meanwhile), handed to the import through
 * c->import_ahead. A body not whole when the turn comes is read in the turn, as it
 * arrives. 0, or the answer's status (out of memory: what was read is gone, so nothing
 * is imported). */
unsigned bl__upload_read_ahead(struct bl__api_upload *up, struct bl__api_turns *g, uint64_t t)
{
    struct bl__api_call *c = &up->call;
    const char *format = bl__api_query(c, "format");
    if (!c->upload_jsonl || (format && strcmp(format, "orders") != 0))
        return 0;
    pthread_mutex_lock(&up->lock); /* woken by the body's end, not by each piece */
    up->whole = true;
    while (!up->eof && up->len < RING && !up->aborted && !up->too_big) {
        pthread_mutex_unlock(&up->lock);
        bool come = turn_come(g, t);
        pthread_mutex_lock(&up->lock);
        if (come || up->eof)
            break;
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 1000 * 1000; /* a look at the turn every millisecond */
        if (until.tv_nsec >= 1000 * 1000 * 1000) {
            until.tv_sec++;
            until.tv_nsec -= 1000 * 1000 * 1000;
        }
        pthread_cond_timedwait(&up->cond, &up->lock, &until);
    }
    up->whole = false;
    bool whole = up->eof && !up->aborted && !up->too_big;
    pthread_mutex_unlock(&up->lock);
    if (!whole)
        return 0;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_import_orders_ahead(c->upload, AHEAD, &c->import_ahead, &d);
    return rc ? bl__api_fail(c, rc, &d) : 0;
}
