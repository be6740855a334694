/* pool.h - runs a job over items 0..n-1 in a few threads (the shell's parallelism: the
 * engine stays single-threaded and pure; each item is one independent engine call).
 *
 * Items are handed out in ascending order. The first error stops the handing out; the
 * error of the lowest item that failed is returned with its diagnostic, so a run's
 * outcome does not depend on the number of threads. Ownership: the pool keeps nothing
 * after bl__pool_run returns. */
#ifndef BL_APP_POOL_H
#define BL_APP_POOL_H

#include <stddef.h>

#include "ballast/err.h"

struct bl__pool_job {
    size_t n;       /* items */
    size_t threads; /* 0: the processors online, at most 8; never more than n */
    /* Does item k in worker w (0 .. threads-1: an index for per-worker scratch). */
    int (*fn)(void *ctx, size_t w, size_t k, struct bl_diag *d);
    /* Called under the pool's lock after each item with (items done, n); may be NULL. */
    void (*done)(void *ctx, size_t ndone, size_t n);
    void *ctx;
};

/* The threads the pool would use for n items and a request of `threads` (0 = auto). */
size_t bl__pool_threads(size_t threads, size_t n);

int bl__pool_run(const struct bl__pool_job *job, struct bl_diag *d) BL_MUST_CHECK;

#endif
