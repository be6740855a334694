/* token_cache.c - who a token is, kept for a moment (server_impl.h, docs/internals/api.md
 * "Tokens"): a request with a token seen less than BL_API_TOKEN_TTL seconds ago skips the
 * store's lookup.
 *
 * Bounded: BL_API_TOKEN_SLOTS entries, direct-mapped by the token's hash (a new token
 * takes its slot from whichever was there). The key is crypto_generichash of the whole
 * text (never the text), compared with sodium_memcmp. Only good answers are kept: a
 * refused token goes to the store every time. An entry is used only while its expiry
 * has not come (checked at each request, as the store would) and for the TTL after the
 * store said it was good; a revoke made elsewhere (the command line, another server)
 * therefore takes effect within the TTL, and any change made through this server (a
 * request other than GET that succeeded: a sign-out, for one) empties the cache at once.
 */
#include <pthread.h>
#include <string.h>

#include <sodium.h>

#include "api/server_impl.h"
#include "ballast/assess.h" /* BL_NO_TIME */

#define KEY 32

struct entry {
    unsigned char key[KEY];
    bool used;
    double until; /* monotonic seconds: checked with the store again after this */
    struct bl_app_token_auth_res who;
};

struct bl__api_tokens {
    pthread_mutex_t lock;
    uint64_t epoch; /* bumped by each _forget: an answer looked up before is not kept */
    struct entry slot[BL_API_TOKEN_SLOTS];
};

struct bl__api_tokens *bl__api_tokens_new(void)
{
    struct bl__api_tokens *t = bl_calloc(1, sizeof(*t));
    if (t && pthread_mutex_init(&t->lock, NULL) != 0) {
        bl_free(t);
        t = NULL;
    }
    return t;
}

void bl__api_tokens_free(struct bl__api_tokens *t)
{
    if (!t)
        return;
    pthread_mutex_destroy(&t->lock);
    sodium_memzero(t, sizeof(*t));
    bl_free(t);
}

static size_t key_of(const char *text, size_t n, unsigned char *key)
{
    crypto_generichash(key, KEY, (const unsigned char *)text, n, NULL, 0);
    uint64_t h;
    memcpy(&h, key, sizeof(h));
    return (size_t)(h % BL_API_TOKEN_SLOTS);
}

bool bl__api_tokens_find(struct bl__api_tokens *t, const char *text, size_t n, double mono,
                         int64_t now, struct bl_app_token_auth_res *who, uint64_t *epoch)
{
    *epoch = 0;
    if (!t)
        return false;
    unsigned char key[KEY];
    size_t i = key_of(text, n, key);
    pthread_mutex_lock(&t->lock);
    *epoch = t->epoch;
    struct entry *e = &t->slot[i];
    bool hit = e->used && sodium_memcmp(e->key, key, KEY) == 0 && mono < e->until &&
               (e->who.expires_at == BL_NO_TIME || e->who.expires_at > now);
    if (hit)
        *who = e->who;
    else if (e->used && sodium_memcmp(e->key, key, KEY) == 0)
        e->used = false; /* stale: the store says again */
    pthread_mutex_unlock(&t->lock);
    return hit;
}

void bl__api_tokens_keep(struct bl__api_tokens *t, const char *text, size_t n, double mono,
                         const struct bl_app_token_auth_res *who, uint64_t epoch)
{
    if (!t || who->reason != BL_TOKEN_OK)
        return;
    unsigned char key[KEY];
    size_t i = key_of(text, n, key);
    pthread_mutex_lock(&t->lock);
    struct entry *e = &t->slot[i];
    if (epoch != t->epoch) { /* a change came meanwhile: this answer may be older */
        pthread_mutex_unlock(&t->lock);
        return;
    }
    memcpy(e->key, key, KEY);
    e->used = true;
    e->until = mono + BL_API_TOKEN_TTL;
    e->who = *who;
    pthread_mutex_unlock(&t->lock);
}

void bl__api_tokens_forget(struct bl__api_tokens *t)
{
    if (!t)
        return;
    pthread_mutex_lock(&t->lock);
    t->epoch++;
    for (size_t i = 0; i < BL_API_TOKEN_SLOTS; i++)
        t->slot[i].used = false;
    pthread_mutex_unlock(&t->lock);
}
