/* cache.c - what imports share across batches (import.h, struct bl_import_cache): the
 * time zones loaded from ICU and the ISO 3166 lists. A zone costs ICU milliseconds to
 * load and a batch loads every shop's, which is most of the cost of a batch of a thousand
 * lines uploaded over HTTP; both are immutable once loaded (time.h, places.h), so one
 * copy serves every batch and thread. */
#include <pthread.h>
#include <string.h>

#include "ballast/alloc.h"
#include "ballast/places.h"
#include "import_impl.h"

struct bl_import_cache {
    pthread_mutex_t lock;
    struct bl_tz **tz;
    char **names;
    size_t n, cap;
    struct bl_places *places;
};

int bl_import_cache_new(struct bl_import_cache **out)
{
    *out = bl_calloc(1, sizeof(**out));
    if (!*out)
        return BL_ENOMEM;
    pthread_mutex_init(&(*out)->lock, NULL);
    return BL_OK;
}

void bl_import_cache_free(struct bl_import_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        bl_tz_free(c->tz[i]);
        bl_free(c->names[i]);
    }
    bl_free(c->tz);
    bl_free(c->names);
    bl_places_close(c->places);
    pthread_mutex_destroy(&c->lock);
    bl_free(c);
}

static int keep_zone(struct bl_import_cache *c, const char *name, struct bl_tz *z)
{
    size_t cap = c->cap;
    int rc = bl_grow((void **)&c->tz, &cap, c->n + 1, sizeof(*c->tz));
    if (!rc)
        rc = bl_grow((void **)&c->names, &c->cap, c->n + 1, sizeof(*c->names));
    char *copy = rc ? NULL : bl_malloc(strlen(name) + 1);
    if (!copy)
        return BL_ENOMEM;
    memcpy(copy, name, strlen(name) + 1);
    c->tz[c->n] = z;
    c->names[c->n++] = copy;
    return BL_OK;
}

int bl__cache_tz(struct bl_import_cache *c, const char *name, const struct bl_tz **out,
                 struct bl_diag *d)
{
    pthread_mutex_lock(&c->lock);
    int rc = BL_OK;
    size_t i = 0;
    while (i < c->n && strcmp(c->names[i], name) != 0)
        i++;
    if (i < c->n) {
        *out = c->tz[i];
    } else {
        struct bl_tz *z;
        rc = bl_tz_load(&z, name, d); /* under the lock: a zone is loaded once */
        if (!rc && (rc = keep_zone(c, name, z)) != BL_OK)
            bl_tz_free(z);
        if (!rc)
            *out = z;
    }
    pthread_mutex_unlock(&c->lock);
    return rc;
}

int bl__cache_places(struct bl_import_cache *c, struct bl_places **out, struct bl_diag *d)
{
    pthread_mutex_lock(&c->lock);
    int rc = c->places ? BL_OK : bl_places_open(NULL, NULL, &c->places, d);
    *out = c->places;
    pthread_mutex_unlock(&c->lock);
    return rc;
}
