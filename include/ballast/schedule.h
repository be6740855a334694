/* schedule.h - when an organisation's daily cycle runs next: the one rule, pure
 * (docs/internals/api.md, "The scheduler").
 *
 * An organisation that has a schedule runs its cycle once per local day, at a wall-clock
 * time of its time zone (`ballast org set --cycle-at 06:30 --cycle-tz Asia/Shanghai`):
 *
 *  - the run of local day D is due at D's time in the zone. A time the clocks skip that
 *    day (02:30 when they go from 02:00 to 03:00) runs at the first instant after the gap
 *    (03:00); a time they show twice (01:30 when they go back from 02:00 to 01:00) runs
 *    at the first of the two, and once: a day has one run whatever its length;
 *  - a day's run is due from its time on, until the day ends; a day whose run did not
 *    happen (the server was down) is missed, not caught up: after three days down, the
 *    server runs today's cycle once, as of now (which sees everything the missed days
 *    would have), and says how many days were missed;
 *  - a day whose time came before the schedule was set (`since`) is not due: a schedule
 *    set at 10:00 for 06:30 runs first tomorrow.
 *
 * A failed attempt is tried again after 1, 2, 4, 8 and 16 minutes, then given up for the
 * day (bl_sched_retry).
 *
 * Pure: no I/O, no clock; the zone is a loaded table (time.h). */
#ifndef BALLAST_SCHEDULE_H
#define BALLAST_SCHEDULE_H

#include <stdbool.h>
#include <stdint.h>

#include "ballast/time.h"

#define BL_SCHED_NEVER INT64_MIN /* last_day: no run yet */
#define BL_SCHED_ATTEMPTS 6      /* a day's attempts: the first and five retries */
#define BL_SCHED_BACKOFF_CAP 30  /* minutes: the longest wait between two attempts */

/* How a day's time reads on its wall clock. */
enum bl_sched_local {
    BL_SCHED_EXACT = 0, /* the time exists once */
    BL_SCHED_GAP,       /* skipped by the clocks: the run is at the gap's end */
    BL_SCHED_TWICE,     /* shown twice: the run is at the first */
};

struct bl_sched {
    const struct bl_tz *tz; /* the organisation's zone (borrowed) */
    int at_min;             /* minutes after local midnight, 0..1439 */
    int64_t since;          /* when the schedule was set (instant) */
    int64_t last_day;       /* the last local day (day number) a run was claimed, or
                               BL_SCHED_NEVER */
};

struct bl_sched_next {
    int64_t day; /* the local day (day number) of the run */
    int64_t at;  /* the instant it is due */
    bool due;    /* at <= now: run it now */
    enum bl_sched_local local;
    int64_t missed; /* days before `day` whose run was due (after since) and never ran */
};

/* The instant day's run is due: at_min on local day `day` in tz, read as above. */
int64_t bl_sched_at(const struct bl_tz *tz, int at_min, int64_t day, enum bl_sched_local *local);

/* The next run of s as of now: due now (out->due), or the next one ahead. */
void bl_sched_next(const struct bl_sched *s, int64_t now, struct bl_sched_next *out);

/* After attempt number `attempt` (1: the first) failed at failed_at: true and *next, the
 * instant of the next attempt (1, 2, 4... minutes later, at most BL_SCHED_BACKOFF_CAP);
 * false when the day's attempts are spent (given up). */
bool bl_sched_retry(int attempt, int64_t failed_at, int64_t *next);

/* "06:30" into minutes after midnight (00:00..23:59): BL_EPARSE with d when not so. */
int bl_sched_parse_at(struct bl_str s, int *at_min, struct bl_diag *d) BL_MUST_CHECK;

#endif
