/* map.h - string-keyed hash map to int64 values (interning ids).
 *
 * Open addressing with linear probing; keys are copied into the arena given at
 * init, values are int64_t. Used to turn external ids ("seller 3442f8...") into
 * dense internal ids without a store round trip per row. Memory grows with the
 * number of distinct keys; the table itself is bl_malloc'd: free with
 * bl_map_release() (the arena's keys go with the arena).
 */
#ifndef BALLAST_MAP_H
#define BALLAST_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/str.h"

struct bl__map_slot;

struct bl_map {
    struct bl__map_slot *slots;
    size_t cap;   /* power of two, or 0 */
    size_t count;
    struct bl_arena *arena;
};

void bl_map_init(struct bl_map *m, struct bl_arena *arena);
void bl_map_release(struct bl_map *m);

/* Finds key; returns true and sets *value if present. */
bool bl_map_get(const struct bl_map *m, struct bl_str key, int64_t *value);

/* Inserts or replaces. BL_ENOMEM on failure (map unchanged). */
int bl_map_put(struct bl_map *m, struct bl_str key, int64_t value) BL_MUST_CHECK;

/* Inserts if absent: *value is set to the stored value either way, *added says
 * which. */
int bl_map_get_or_put(struct bl_map *m, struct bl_str key, int64_t *value,
                      bool *added) BL_MUST_CHECK;

/* 64-bit hash of bytes (FNV-1a based, with a final mix). */
uint64_t bl_hash(const void *p, size_t n);

#endif
