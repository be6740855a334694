/* checkpoint.c - the write-ahead log's checkpoints taken off the uploads' turns (SQLite;
 * docs/internals/api.md, "Uploads", and docs/internals/store.md, "Checkpoints").
 *
 * By itself a SQLite connection checkpoints in the commit that takes the log past 1,000
 * pages: the upload whose turn it is copies about 4 MB into the database file and syncs
 * both files before it answers, while every other upload waits for the turn. Here the
 * upload connections' commits only report the log's length (bl_store_wal_hook); past
 * BL_API_CKPT_PAGES a thread of this file, on a store connection of its own, runs a
 * PASSIVE checkpoint, which copies what is committed beside the next upload's work and
 * waits for no one. The log starts over only when a write begins with all of it copied;
 * with uploads back to back that moment never comes (the next upload begins while the
 * thread copies), so once the log is past BL_API_CKPT_TURN_PAGES the next upload, in its
 * turn and before it begins, checkpoints what is left (bl__api_ckpt_turn: the pages the
 * uploads wrote since the thread's last copy), and its first write starts the log over.
 */
#include <stdio.h>
#include <string.h>

#include "api/server_impl.h"

struct bl__api_ckpt {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool due, stop;
    pthread_t thread;
    const char *db_url; /* borrowed: the server's */
    _Atomic int frames; /* the log's length at the last commit reported */
};

static void committed(void *ctx, int frames)
{
    struct bl__api_ckpt *k = ctx;
    atomic_store(&k->frames, frames);
    if (frames < BL_API_CKPT_PAGES || frames > BL_API_CKPT_TURN_PAGES)
        return; /* short yet; or long: the next upload's turn copies the rest */
    pthread_mutex_lock(&k->lock);
    k->due = true;
    pthread_cond_signal(&k->wake);
    pthread_mutex_unlock(&k->lock);
}

static void checkpoint(struct bl__api_ckpt *k, struct bl_store **st)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    if (!*st && bl_store_open(st, k->db_url, &d)) {
        fprintf(stderr, "ballast: checkpointing the write-ahead log: %s\n", d.msg);
        *st = NULL;
        return;
    }
    int64_t log = 0, copied = 0;
    int rc = bl_store_wal_checkpoint(*st, &log, &copied, &d);
    if (rc) {
        fprintf(stderr, "ballast: checkpointing the write-ahead log: %s\n", d.msg);
        bl_store_close(*st); /* opened again at the next */
        *st = NULL;
    }
}

static void *ckpt_main(void *arg)
{
    struct bl__api_ckpt *k = arg;
    struct bl_store *st = NULL;
    pthread_mutex_lock(&k->lock);
    while (!k->stop) {
        if (!k->due) {
            pthread_cond_wait(&k->wake, &k->lock);
            continue;
        }
        k->due = false;
        pthread_mutex_unlock(&k->lock);
        checkpoint(k, &st);
        pthread_mutex_lock(&k->lock);
    }
    pthread_mutex_unlock(&k->lock);
    bl_store_close(st);
    return NULL;
}

struct bl__api_ckpt *bl__api_ckpt_start(const char *db_url)
{
    if (strncmp(db_url, "postgres", 8) == 0)
        return NULL; /* PostgreSQL checkpoints on its own */
    struct bl__api_ckpt *k = bl_calloc(1, sizeof(*k));
    if (!k)
        return NULL;
    k->db_url = db_url;
    pthread_mutex_init(&k->lock, NULL);
    pthread_cond_init(&k->wake, NULL);
    if (pthread_create(&k->thread, NULL, ckpt_main, k) == 0)
        return k;
    pthread_cond_destroy(&k->wake);
    pthread_mutex_destroy(&k->lock);
    bl_free(k);
    return NULL;
}

void bl__api_ckpt_watch(struct bl__api_ckpt *k, struct bl_store *st)
{
    if (k)
        bl_store_wal_hook(st, committed, k);
}

int bl__api_ckpt_turn(struct bl__api_ckpt *k, struct bl_store *st, struct bl_diag *d)
{
    if (!k || atomic_load(&k->frames) <= BL_API_CKPT_TURN_PAGES)
        return BL_OK;
    int64_t log = 0, copied = 0;
    int rc = bl_store_wal_checkpoint(st, &log, &copied, d);
    if (!rc)
        atomic_store(&k->frames, 0); /* until the next commit says */
    return rc;
}

void bl__api_ckpt_stop(struct bl__api_ckpt *k)
{
    if (!k)
        return;
    pthread_mutex_lock(&k->lock);
    k->stop = true;
    pthread_cond_signal(&k->wake);
    pthread_mutex_unlock(&k->lock);
    pthread_join(k->thread, NULL);
    pthread_cond_destroy(&k->wake);
    pthread_mutex_destroy(&k->lock);
    bl_free(k);
}
