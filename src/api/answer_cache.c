/* answer_cache.c - answers of reads kept for as long as what they were computed from has
 * not changed (api_impl.h, docs/internals/api.md "Cached answers").
 *
 * An entry is the JSON text of a 200 answer (as the server renders it), its organisation,
 * the handler's key (the request's parameters that shape the answer) and the version it
 * was computed at: the organisation's data generation (bl_app_data_gen, bumped in the same
 * transaction as every change to what the cached routes read) and a stamp of whatever
 * else the handler names (the profile files, read at most once a second: an edit is seen
 * within BL_API_PROFILES_TTL). An entry is given only for the same version, so a cached
 * answer is the one the handler would compute, byte for byte.
 *
 * Bounded: BL_API_ANSWER_SLOTS entries, direct-mapped by a hash of (organisation, key);
 * an answer over BL_API_ANSWER_MAX bytes is not kept, so the cache holds at most
 * slots x max bytes. One mutex; the text is copied out under it.
 */
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "api/server_impl.h"
#include "app/assess.h"

struct entry {
    int64_t org, gen;
    uint64_t stamp, hash;
    char *key;  /* NUL-terminated */
    char *text; /* the answer's bytes */
    size_t len;
};

struct bl__api_answers {
    pthread_mutex_t lock;
    struct entry slot[BL_API_ANSWER_SLOTS];
    uint64_t profiles;      /* the profile files' stamp */
    double profiles_until;  /* monotonic seconds: read again after this */
};

struct bl__api_answers *bl__api_answers_new(void)
{
    struct bl__api_answers *a = bl_calloc(1, sizeof(*a));
    if (a && pthread_mutex_init(&a->lock, NULL) != 0) {
        bl_free(a);
        a = NULL;
    }
    return a;
}

static void drop(struct entry *e)
{
    bl_free(e->key);
    bl_free(e->text);
    memset(e, 0, sizeof(*e));
}

void bl__api_answers_free(struct bl__api_answers *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < BL_API_ANSWER_SLOTS; i++)
        drop(&a->slot[i]);
    pthread_mutex_destroy(&a->lock);
    bl_free(a);
}

static uint64_t hash_of(int64_t org, const char *key)
{
    uint64_t h = 14695981039346656037u ^ (uint64_t)org;
    for (const char *p = key; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211u;
    return h;
}

bool bl__api_answers_find(struct bl__api_answers *a, int64_t org, const char *key, int64_t gen,
                          uint64_t stamp, struct bl_buf *out)
{
    if (!a)
        return false;
    uint64_t h = hash_of(org, key);
    pthread_mutex_lock(&a->lock);
    struct entry *e = &a->slot[h % BL_API_ANSWER_SLOTS];
    bool hit = e->text && e->hash == h && e->org == org && e->gen == gen && e->stamp == stamp &&
               strcmp(e->key, key) == 0;
    if (hit && bl_buf_adds(out, (struct bl_str){e->text, e->len}) != BL_OK) {
        bl_buf_reset(out);
        hit = false;
    }
    pthread_mutex_unlock(&a->lock);
    return hit;
}

void bl__api_answers_keep(struct bl__api_answers *a, int64_t org, const char *key, int64_t gen,
                          uint64_t stamp, struct bl_str text)
{
    if (!a || text.len > BL_API_ANSWER_MAX)
        return;
    size_t klen = strlen(key);
    char *k = bl_malloc(klen + 1), *t = bl_malloc(text.len + 1);
    if (!k || !t) {
        bl_free(k);
        bl_free(t);
        return;
    }
    memcpy(k, key, klen + 1);
    memcpy(t, text.ptr, text.len);
    uint64_t h = hash_of(org, key);
    pthread_mutex_lock(&a->lock);
    struct entry *e = &a->slot[h % BL_API_ANSWER_SLOTS];
    if (e->text && e->hash == h && e->org == org && e->gen > gen && strcmp(e->key, key) == 0) {
        pthread_mutex_unlock(&a->lock); /* a newer one is there already */
        bl_free(k);
        bl_free(t);
        return;
    }
    drop(e);
    *e = (struct entry){org, gen, stamp, h, k, t, text.len};
    pthread_mutex_unlock(&a->lock);
}

/* ---- what handlers call (api_impl.h) ---- */

static double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

uint64_t bl__api_profiles_stamp(struct bl__api_call *c)
{
    struct bl__api_answers *a = c->srv ? c->srv->answers : NULL;
    if (!a)
        return bl_app_assess_profiles_stamp();
    double now = mono_now();
    pthread_mutex_lock(&a->lock);
    bool fresh = now < a->profiles_until;
    uint64_t stamp = a->profiles;
    pthread_mutex_unlock(&a->lock);
    if (fresh)
        return stamp;
    stamp = bl_app_assess_profiles_stamp(); /* a directory read: not under the lock */
    pthread_mutex_lock(&a->lock);
    a->profiles = stamp;
    a->profiles_until = now + BL_API_PROFILES_TTL;
    pthread_mutex_unlock(&a->lock);
    return stamp;
}

bool bl__api_cached(struct bl__api_call *c, const char *key, int64_t gen, uint64_t stamp)
{
    struct bl__api_answers *a = c->srv ? c->srv->answers : NULL;
    if (!a || gen < 0 || !bl__api_answers_find(a, c->org, key, gen, stamp, &c->text))
        return false;
    c->type = "application/json";
    return true;
}

unsigned bl__api_json_keep(struct bl__api_call *c, json_t *j, const char *key, int64_t gen,
                           uint64_t stamp)
{
    struct bl__api_answers *a = c->srv ? c->srv->answers : NULL;
    if (!a || gen < 0 || !j)
        return bl__api_json(c, MHD_HTTP_OK, j);
    /* rendered as the server renders c->out (dispatch.c), kept, and answered as text */
    char *text = json_dumps(j, BL_API_JSON_FLAGS);
    if (!text || bl_buf_adds(&c->text, bl_str_c(text)) || bl_buf_addc(&c->text, '\n')) {
        free(text);
        bl_buf_reset(&c->text);
        return bl__api_json(c, MHD_HTTP_OK, j);
    }
    free(text);
    json_decref(j);
    c->type = "application/json";
    bl__api_answers_keep(a, c->org, key, gen, stamp, bl_buf_str(&c->text));
    return MHD_HTTP_OK;
}
