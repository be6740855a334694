/* cycle_impl.h - the cycle's runner and its steps (internal to src/app). */
#ifndef BL_APP_CYCLE_IMPL_H
#define BL_APP_CYCLE_IMPL_H

#include "app/cycle.h"

/* One run of the cycle for one organisation: what the steps share. Whatever a step
 * loads for the next ones (the orders snapshot, the stock day, the channels) hangs here
 * and is freed by bl__cycle_run_release. */
struct bl__cycle_run {
    struct bl_store *st;
    int64_t org;
    const struct bl_app_cycle_req *req;
    int64_t cycle_id; /* 0 in a dry run */
    struct bl__cycle_shared *shared;
};

struct bl__cycle_stepdef {
    const char *name;
    int (*run)(struct bl__cycle_run *r, struct bl_app_cycle_step *s, struct bl_diag *d);
};

/* The last step: the retention's prune (cycle_retention.c). */
int bl__cycle_step_retention(struct bl__cycle_run *r, struct bl_app_cycle_step *s,
                             struct bl_diag *d);

/* The steps in the design's order (static). */
const struct bl__cycle_stepdef *bl__cycle_steps(size_t *n);

/* Each profile's at-risk rating label, for the profiles the organisation's shops use. */
size_t bl__cycle_risk(struct bl__cycle_run *r, struct bl_digest_risk *out, size_t cap);

void bl__cycle_run_release(struct bl__cycle_run *r);

/* This process as "host:pid", the runner recorded with a cycle (and a scheduled run). */
void bl__cycle_runner(char *out, size_t cap);
/* Whether the process runner ("host:pid") that started something at started_at may still
 * be at it: on this host, while it exists (this very process: no, it is not running it any
 * more); on another, for 6 hours (store/cycle.h's bl_cycle_alive_fn). */
bool bl__cycle_runner_alive(void *ctx, struct bl_str runner, int64_t started_at);

/* Adds a count to a step's result (at most BL_CYCLE_COUNTS_MAX). */
void bl__cycle_count(struct bl_app_cycle_step *s, const char *name, int64_t n);

#endif
