/* progress.h - progress on a terminal for long work (internal to src/cli).
 *
 * Drawn on stderr only when stderr is a terminal (cli->tty), at most ten times a second,
 * and cleared when the work ends: piped or redirected output never sees it, so what
 * scripts and tests read does not change.
 */
#ifndef BL_CLI_PROGRESS_H
#define BL_CLI_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cli/cli.h"

struct bl_progress {
    FILE *f;          /* stderr, or NULL: off */
    const char *what; /* "importing orders.csv" (static or outliving the progress) */
    const char *unit; /* "MB": done and total are bytes; else a count of these */
    double last;      /* when it was last drawn */
    bool drawn;
};

/* Starts a progress line for what, counted in unit; off unless cli->tty. */
void bl_progress_init(struct bl_progress *p, const struct bl_cli *cli, const char *what,
                      const char *unit);

/* Whether it draws: pass bl_progress_cb and p as a callback only then. */
bool bl_progress_on(const struct bl_progress *p);

/* The callback shape of the use cases: done of total (total 0: unknown). */
void bl_progress_cb(void *ctx, uint64_t done, uint64_t total);

/* A step of a known number: "what: step i+1/n: name". */
void bl_progress_step(void *ctx, size_t i, size_t n, const char *name);

/* Clears the line if it was drawn; p may be NULL. */
void bl_progress_end(struct bl_progress *p);

#endif
