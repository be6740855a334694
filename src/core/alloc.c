/* alloc.c - allocator entry point with fault injection, and arenas. */
#include "ballast/alloc.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* The library's only mutable global: test instrumentation (see alloc.h). Atomic,
 * because the shell allocates from more than one thread (snapshot loading). */
static _Atomic long fail_countdown = -1;

void bl_alloc_fail_after(long n)
{
    atomic_store_explicit(&fail_countdown, n, memory_order_relaxed);
}

static int should_fail(void)
{
    long v = atomic_load_explicit(&fail_countdown, memory_order_relaxed);
    while (v > 0 && !atomic_compare_exchange_weak_explicit(&fail_countdown, &v, v - 1,
                                                           memory_order_relaxed,
                                                           memory_order_relaxed)) {
    }
    return v == 0;
}

void *bl_malloc(size_t n)
{
    if (should_fail())
        return NULL;
    return malloc(n ? n : 1);
}

void *bl_calloc(size_t count, size_t size)
{
    size_t n;
    if (__builtin_mul_overflow(count, size, &n))
        return NULL;
    if (should_fail())
        return NULL;
    return calloc(1, n ? n : 1);
}

void *bl_realloc(void *p, size_t n)
{
    if (should_fail())
        return NULL;
    return realloc(p, n ? n : 1);
}

void bl_free(void *p)
{
    free(p);
}

int bl_grow(void **items, size_t *cap, size_t need, size_t elem_size)
{
    if (need <= *cap)
        return BL_OK;
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (__builtin_mul_overflow(ncap, (size_t)2, &ncap))
            return BL_EOVERFLOW;
    }
    size_t bytes;
    if (__builtin_mul_overflow(ncap, elem_size, &bytes))
        return BL_EOVERFLOW;
    void *p = bl_realloc(*items, bytes);
    if (!p)
        return BL_ENOMEM;
    *items = p;
    *cap = ncap;
    return BL_OK;
}

struct bl__arena_block {
    struct bl__arena_block *prev;
    size_t size; /* usable bytes in data[] */
    size_t used;
    _Alignas(max_align_t) unsigned char data[];
};

#define ARENA_ALIGN (_Alignof(max_align_t))

void bl_arena_init(struct bl_arena *a, size_t block_size)
{
    a->head = NULL;
    a->block_size = block_size;
    a->used_total = 0;
}

void *bl_arena_alloc(struct bl_arena *a, size_t n)
{
    size_t rounded;
    if (__builtin_add_overflow(n, ARENA_ALIGN - 1, &rounded))
        return NULL;
    rounded &= ~(ARENA_ALIGN - 1);
    if (!rounded)
        rounded = ARENA_ALIGN;
    struct bl__arena_block *b = a->head;
    if (!b || b->size - b->used < rounded) {
        size_t bs = a->block_size ? a->block_size : 64 * 1024;
        if (bs < rounded)
            bs = rounded;
        size_t total;
        if (__builtin_add_overflow(bs, sizeof(*b), &total))
            return NULL;
        b = bl_malloc(total);
        if (!b)
            return NULL;
        b->prev = a->head;
        b->size = bs;
        b->used = 0;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += rounded;
    a->used_total += rounded;
    return p;
}

char *bl_arena_strndup(struct bl_arena *a, const char *s, size_t n)
{
    if (n == SIZE_MAX)
        return NULL;
    char *p = bl_arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void bl_arena_release(struct bl_arena *a)
{
    struct bl__arena_block *b = a->head;
    while (b) {
        struct bl__arena_block *prev = b->prev;
        bl_free(b);
        b = prev;
    }
    a->head = NULL;
    a->used_total = 0;
}
