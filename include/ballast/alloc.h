/* alloc.h - the one allocator entry point, and arenas.
 *
 * All heap memory in Ballast goes through bl_malloc/bl_calloc/bl_realloc/bl_free,
 * so tests can make the N-th allocation fail (bl_alloc_fail_after) and check that
 * every path returns BL_ENOMEM cleanly. That countdown is the one piece of global
 * state in the library; it is test instrumentation, off unless a test sets it.
 *
 * Arenas hold memory whose lifetime is one cycle, one import batch or one request:
 * allocate freely, release everything at once with bl_arena_release().
 */
#ifndef BALLAST_ALLOC_H
#define BALLAST_ALLOC_H

#include <stddef.h>
#include <stdint.h>

#include "ballast/err.h"

void *bl_malloc(size_t n);
void *bl_calloc(size_t count, size_t size); /* NULL on overflow of count*size too */
void *bl_realloc(void *p, size_t n);
void bl_free(void *p);

/* Test hook: the (n+1)-th allocation from now fails; n < 0 turns failures off. */
void bl_alloc_fail_after(long n);

/* Grows *items (of elem_size bytes, *cap slots) to hold at least need slots,
 * doubling. Returns BL_OK, BL_ENOMEM or BL_EOVERFLOW; *items unchanged on error. */
int bl_grow(void **items, size_t *cap, size_t need, size_t elem_size) BL_MUST_CHECK;

struct bl__arena_block;

struct bl_arena {
    struct bl__arena_block *head; /* current block; older ones chained behind */
    size_t block_size;            /* default size of a new block */
    size_t used_total;            /* bytes handed out, for reports */
};

/* Zero-initialised struct is a valid empty arena (block_size defaults to 64 KiB). */
#define BL_ARENA_INIT {NULL, 0, 0}

void bl_arena_init(struct bl_arena *a, size_t block_size);

/* Memory aligned for any type, valid until bl_arena_release(). NULL on failure. */
void *bl_arena_alloc(struct bl_arena *a, size_t n);

/* Copies n bytes and appends a NUL. */
char *bl_arena_strndup(struct bl_arena *a, const char *s, size_t n);

/* Frees every block; the arena is empty and reusable afterwards. */
void bl_arena_release(struct bl_arena *a);

#endif
