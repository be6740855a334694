/* app.h - the service layer: what every use case shares (docs/internals/app.md).
 *
 * src/app holds one function per use case (import, declare a disruption, assess,
 * compensate, plan, route, messages, cycle...), the same shape for each:
 *
 *     int bl_app_x(struct bl_store *st, int64_t org, const struct bl_app_x_req *req,
 *                  struct bl_app_x_res *res, struct bl_diag *d);
 *
 * It loads what it needs, calls the engine, stores the results in one transaction and
 * fills res with typed results: numbers, ids and reason codes, never sentences (a
 * front end renders codes in the reader's language). No printing, no FILE *, no
 * getopt, no HTTP: the CLI (src/cli) and the HTTP API (src/api) both stand on it, so
 * whatever one can do, the other can.
 *
 * Ownership: res is the caller's; the function fills it (its arrays come from res's
 * own arena or malloc) and the caller frees it with the use case's bl_app_x_res_release
 * (safe on a zeroed or partly filled res). On failure res holds nothing to free
 * beyond what release handles, and d says why (file, line, field where it applies).
 *
 * Time: a use case that records "when" takes req->now (0: the clock, read here, in the
 * shell; the engine never reads it). Every result a cycle stores carries req->cycle_id
 * (0 outside a cycle).
 */
#ifndef BALLAST_APP_H
#define BALLAST_APP_H

#include <stdint.h>

/* The current time in UTC epoch seconds, for records (the shell's clock). */
int64_t bl_app_now(void);

/* The template packs' directory: $BALLAST_TEMPLATES, else the source tree's templates/
 * (compiled in), else ./templates. */
const char *bl_app_templates_dir(void);

/* now if nonzero, else the clock. */
static inline int64_t bl_app_now_or(int64_t now)
{
    return now ? now : bl_app_now();
}

#endif
