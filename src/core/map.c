/* map.c - string-keyed open-addressing hash map. */
#include "ballast/map.h"

#include <string.h>

struct bl__map_slot {
    const char *key; /* NULL = empty */
    size_t len;
    uint64_t hash;
    int64_t value;
};

uint64_t bl_hash(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = 0xcbf29ce484222325ULL;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        h = (h ^ w) * 0x100000001b3ULL;
        h ^= h >> 29;
    }
    for (; i < n; i++)
        h = (h ^ s[i]) * 0x100000001b3ULL;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

void bl_map_init(struct bl_map *m, struct bl_arena *arena)
{
    m->slots = NULL;
    m->cap = 0;
    m->count = 0;
    m->arena = arena;
}

void bl_map_release(struct bl_map *m)
{
    bl_free(m->slots);
    m->slots = NULL;
    m->cap = 0;
    m->count = 0;
}

static struct bl__map_slot *find(const struct bl_map *m, const char *k, size_t n, uint64_t h)
{
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        struct bl__map_slot *s = &m->slots[i];
        if (!s->key || (s->hash == h && s->len == n && memcmp(s->key, k, n) == 0))
            return s;
    }
}

static int grow(struct bl_map *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 64;
    struct bl__map_slot *ns = bl_calloc(ncap, sizeof(*ns));
    if (!ns)
        return BL_ENOMEM;
    struct bl_map nm = {ns, ncap, m->count, m->arena};
    for (size_t i = 0; i < m->cap; i++) {
        struct bl__map_slot *s = &m->slots[i];
        if (s->key)
            *find(&nm, s->key, s->len, s->hash) = *s;
    }
    bl_free(m->slots);
    m->slots = ns;
    m->cap = ncap;
    return BL_OK;
}

bool bl_map_get(const struct bl_map *m, struct bl_str key, int64_t *value)
{
    if (!m->cap)
        return false;
    struct bl__map_slot *s = find(m, key.ptr, key.len, bl_hash(key.ptr, key.len));
    if (!s->key)
        return false;
    *value = s->value;
    return true;
}

int bl_map_get_or_put(struct bl_map *m, struct bl_str key, int64_t *value, bool *added)
{
    /* keep load factor under 3/4 */
    if ((m->count + 1) * 4 > m->cap * 3) {
        int rc = grow(m);
        if (rc)
            return rc;
    }
    uint64_t h = bl_hash(key.ptr, key.len);
    struct bl__map_slot *s = find(m, key.ptr, key.len, h);
    if (s->key) {
        *value = s->value;
        if (added)
            *added = false;
        return BL_OK;
    }
    char *k = bl_arena_strndup(m->arena, key.ptr, key.len);
    if (!k)
        return BL_ENOMEM;
    s->key = k;
    s->len = key.len;
    s->hash = h;
    s->value = *value;
    m->count++;
    if (added)
        *added = true;
    return BL_OK;
}

int bl_map_put(struct bl_map *m, struct bl_str key, int64_t value)
{
    int64_t v = value;
    bool added;
    int rc = bl_map_get_or_put(m, key, &v, &added);
    if (rc)
        return rc;
    if (!added) {
        struct bl__map_slot *s = find(m, key.ptr, key.len, bl_hash(key.ptr, key.len));
        s->value = value;
    }
    return BL_OK;
}
