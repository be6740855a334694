/* cycle_steps.c - the steps of the daily cycle, in the design's order (cycle.h). Each
 * calls one use case of src/app with the cycle's as-of and id and reports its counts. */
#include <string.h>

#include "app/cycle_impl.h"
#include "ballast/profile.h"

/* What the steps load once and share. */
struct bl__cycle_shared {
    int unused;
};

static const struct bl__cycle_stepdef steps[] = {
    {NULL, NULL},
};

const struct bl__cycle_stepdef *bl__cycle_steps(size_t *n)
{
    *n = 0;
    return steps;
}

size_t bl__cycle_risk(struct bl__cycle_run *r, struct bl_digest_risk *out, size_t cap)
{
    (void)r;
    (void)out;
    (void)cap;
    return 0;
}

void bl__cycle_run_release(struct bl__cycle_run *r)
{
    (void)r;
}
