/* writer.h - a background thread that runs bulk-insert batches (internal to src/store).
 *
 * The SQLite backend's bulk inserter hands rows to this writer so that parsing and
 * validating the input (the importer's thread) overlaps with SQLite's B-tree work
 * (the writer's thread). Rows are copied into batches of at most BL__WB_ROWS rows;
 * at most BL__WB_INFLIGHT batches wait or run at a time, so memory stays bounded
 * whatever the size of the input. Batches run in the order they were submitted.
 *
 * Thread contract: the caller's thread owns everything except while a batch is
 * submitted: from bl__writer_submit until bl__writer_wait returns, the writer's
 * thread may use whatever the run function touches (for SQLite: the connection).
 * The owner therefore calls bl__writer_wait before any other use of it. The run
 * function must not call bl_malloc (its fault injection is single-threaded).
 *
 * Errors: the first failing row stops the writer: that batch and every later one
 * are dropped, and the failure (code, message, source line) waits in the writer
 * until the owner reads it with bl__writer_wait and clears it with
 * bl__writer_clear (after a rollback).
 *
 * Ownership: bl__writer_start allocates the writer; bl__writer_stop joins the
 * thread and frees it; bl__wqueue_open allocates a queue of rows for one target
 * and bl__wqueue_close frees it.
 */
#ifndef BL_STORE_WRITER_H
#define BL_STORE_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/store.h"

#define BL__WB_ROWS 2048
#define BL__WB_INFLIGHT 4

struct bl__writer;

/* The failure the writer stopped on. */
struct bl__wfail {
    int code;     /* 0: none */
    int64_t line; /* source line of the failing row */
    char msg[400];
};

/* Runs nrows rows (ncols values each, row-major; text points into the batch) on
 * the writer's thread: returns 0, or an enum bl_err code after filling *f with
 * the first failing row's line (from lines[]) and a one-line message. */
typedef int (*bl__wrun_fn)(void *ctx, void *target, const struct bl_val *vals, size_t nrows,
                           size_t ncols, const int64_t *lines, struct bl__wfail *f);

/* Starts the thread. BL_ENOMEM or BL_EIO (thread creation) on failure. */
int bl__writer_start(struct bl__writer **out, bl__wrun_fn fn, void *ctx) BL_MUST_CHECK;

/* Waits for every submitted batch, then joins the thread and frees everything. */
void bl__writer_stop(struct bl__writer *w);

/* A handle for one target's rows being gathered on the caller's thread. */
struct bl__wqueue;

/* A queue of rows for target (ncols values each). */
int bl__wqueue_open(struct bl__writer *w, void *target, size_t ncols,
                    struct bl__wqueue **out) BL_MUST_CHECK;
/* Copies one row in; hands the batch to the writer when it is full (waiting while
 * BL__WB_INFLIGHT batches are out). BL_ENOMEM, or the writer's failure code. */
int bl__wqueue_add(struct bl__wqueue *q, const struct bl_val *vals, int64_t src_line) BL_MUST_CHECK;
/* Hands the rows gathered so far to the writer (no wait). */
int bl__wqueue_submit(struct bl__wqueue *q) BL_MUST_CHECK;
/* Drops rows not yet submitted and frees q (the caller waits for the writer first
 * if q's target must not be used afterwards). */
void bl__wqueue_close(struct bl__wqueue *q);

/* Submits every open queue's rows, waits until the writer is idle and copies its
 * failure (if any) to *f. Returns f->code. */
int bl__writer_wait(struct bl__writer *w, struct bl__wfail *f);

/* Whether the writer has stopped on a failure (cheap; no wait). */
bool bl__writer_failed(struct bl__writer *w);

/* Forgets the failure and accepts batches again (after the owner rolled back). */
void bl__writer_clear(struct bl__writer *w);

#endif
