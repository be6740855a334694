/* sched_tick.c - one pass of the scheduler (sched.h): find what is due, claim it, run it,
 * record the attempt, retry or give up, send the digest when the day is settled. */
#include <stdio.h>
#include <string.h>

#include "app/cycle_impl.h"
#include "app/digest.h"
#include "app/sched.h"
#include "ballast/app.h"
#include "store/sched.h"

#define JOBS_MAX 256 /* runs started by one pass; the rest wait for the next one */
#define RECHECK 60   /* seconds: a run another live process holds is looked at again */

struct job {
    int64_t org, day, due_at, as_of, attempts, missed;
    char name[256], tz[64];
    int at_min;
    bool fresh;     /* a day not claimed yet (else a run to take over) */
    char state[16]; /* the state it was found in (a take-over) */
};

struct pass {
    const struct bl_app_sched_tick_req *req;
    struct bl_app_sched_tick_res *res;
    char runner[128];
    struct job *jobs;
    size_t njobs;
    int64_t now;
};

static int64_t clock_now(const struct pass *p)
{
    return p->req->clock ? p->req->clock(p->req->clock_ctx) : bl_app_now();
}

static void soonest(struct pass *p, int64_t at)
{
    if (at > 0 && (!p->res->next_at || at < p->res->next_at))
        p->res->next_at = at;
}

static struct job *job_add(struct pass *p)
{
    if (p->njobs == JOBS_MAX) {
        soonest(p, p->now + 1); /* the rest next time */
        return NULL;
    }
    struct job *j = &p->jobs[p->njobs++];
    memset(j, 0, sizeof(*j));
    return j;
}

static bool has_job(const struct pass *p, int64_t org)
{
    for (size_t i = 0; i < p->njobs; i++)
        if (p->jobs[i].org == org)
            return true;
    return false;
}

/* An organisation with a schedule: due now (a job), or when it will be. */
static int org_row(void *vctx, const struct bl_sched_org *o)
{
    struct pass *p = vctx;
    struct bl_tz *tz = NULL;
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_tz_load(&tz, o->set.tz, &d))
        return 0; /* a zone ICU no longer knows: set_ refused it; nothing to run */
    struct bl_sched rule = {tz, o->set.at_min, o->set.since,
                            o->last_day == INT64_MIN ? BL_SCHED_NEVER : o->last_day};
    struct bl_sched_next n;
    bl_sched_next(&rule, p->now, &n);
    bl_tz_free(tz);
    if (!n.due) {
        soonest(p, n.at);
        return 0;
    }
    struct job *j = has_job(p, o->org) ? NULL : job_add(p);
    if (!j)
        return 0;
    *j = (struct job){.org = o->org,
                      .day = n.day,
                      .due_at = n.at,
                      .as_of = p->now,
                      .missed = n.missed,
                      .at_min = o->set.at_min,
                      .fresh = true};
    bl_str_copy(j->name, sizeof(j->name), o->name);
    memcpy(j->tz, o->set.tz, sizeof(j->tz));
    return 0;
}

/* A run not finished: a retry whose time came, or one whose process is gone. */
static int open_row(void *vctx, const struct bl_sched_run *r)
{
    struct pass *p = vctx;
    /* retrying: a failed attempt's next; stopped: a server stopped it between two steps */
    bool retry = bl_str_eq(r->state, BL_STR("retrying")) || bl_str_eq(r->state, BL_STR("stopped"));
    if (retry && r->next_at > p->now) {
        soonest(p, r->next_at);
        return 0;
    }
    if (!retry && bl__cycle_runner_alive(NULL, r->runner, r->claimed_at)) {
        soonest(p, p->now + RECHECK);
        return 0;
    }
    struct job *j = job_add(p);
    if (!j)
        return 0;
    *j = (struct job){.org = r->org,
                      .day = r->day,
                      .due_at = r->due_at,
                      .as_of = r->as_of,
                      .attempts = r->attempts,
                      .missed = r->missed};
    bl_str_copy(j->state, sizeof(j->state), r->state);
    return 0;
}

/* A take-over's name and schedule from the scheduled organisations; false when the
 * organisation no longer has a schedule (its retries stop). */
static int name_row(void *vctx, const struct bl_sched_org *o)
{
    struct job *j = vctx;
    if (o->org != j->org)
        return 0;
    bl_str_copy(j->name, sizeof(j->name), o->name);
    memcpy(j->tz, o->set.tz, sizeof(j->tz));
    j->at_min = o->set.at_min;
    return 0;
}

static int collect(struct pass *p, struct bl_store *st, struct bl_diag *d)
{
    int rc = bl_store_sched_open_runs(st, open_row, p, d);
    for (size_t i = 0; !rc && i < p->njobs; i++)
        rc = bl_store_sched_orgs(st, name_row, &p->jobs[i], d);
    /* take-overs of organisations whose schedule was turned off are left */
    size_t k = 0;
    for (size_t i = 0; i < p->njobs; i++)
        if (p->jobs[i].name[0])
            p->jobs[k++] = p->jobs[i];
    p->njobs = k;
    return rc ? rc : bl_store_sched_orgs(st, org_row, p, d);
}

/* The attempts that failed, for the digest. */
static int note_row(void *vctx, const struct bl_sched_attempt *a)
{
    struct bl_app_sched_note *n = vctx;
    if (a->attempt > n->attempts)
        n->attempts = a->attempt;
    if (!bl_str_eq_c(a->outcome, "failed") || n->nfailed == BL_SCHED_NOTE_MAX)
        return 0;
    n->failed[n->nfailed].attempt = a->attempt;
    n->failed[n->nfailed].at = a->finished_at;
    bl_str_copy(n->failed[n->nfailed].step, sizeof(n->failed[0].step), a->step);
    bl_str_copy(n->failed[n->nfailed].error, sizeof(n->failed[0].error), a->error);
    n->nfailed++;
    return 0;
}

/* The day is settled (done, or given up): its digest, which says what failed and was
 * retried. A delivery that fails is recorded by the digest; it does not fail the run. */
static void digest(struct bl_store *st, const struct job *j, const struct bl_app_cycle_req *creq,
                   const struct bl_app_cycle_res *cres, bool given_up, int64_t now)
{
    struct bl_app_sched_note note = {
        .at_min = j->at_min, .tz = j->tz, .missed = j->missed, .given_up = given_up};
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_store_sched_attempts(st, j->org, j->day, note_row, &note, &d))
        return;
    struct bl_app_digest_in in = {j->name, creq, cres, &note};
    struct bl_app_digest_send_req sreq = {.now = now};
    struct bl_app_digest_send_res sres;
    bl_diag_clear(&d);
    if (bl_app_digest_send(st, j->org, &in, &sreq, &sres, &d))
        return;
}

static const char *failed_step(const struct bl_app_cycle_res *r)
{
    for (size_t i = 0; i < r->nsteps; i++)
        if (r->steps[i].state == BL_STEP_FAILED)
            return r->steps[i].name;
    return NULL;
}

/* One attempt at a day's run, claimed: the cycle, then what became of the day. */
static int attempt(struct bl_store *st, struct pass *p, const struct job *j, int64_t n,
                   struct bl_diag *d)
{
    struct bl_app_cycle_req creq = {
        .as_of = j->as_of, .day = j->day, .now = clock_now(p), .tz = j->tz, .stop = p->req->stop};
    struct bl_app_cycle_res cres;
    struct bl_diag cd;
    bl_diag_clear(&cd);
    int crc = bl_app_cycle(st, j->org, &creq, &cres, &cd);
    int64_t now = clock_now(p);
    char error[400] = "";
    struct bl_sched_end e = {
        .attempt = n, .cycle_id = cres.cycle_id, .now = now, .outcome = "done", .state = "done"};
    int64_t *count = p->res->counts;
    if (!crc && cres.stopped) {
        e.outcome = "stopped";
        e.state = "stopped"; /* the next start (or another server) completes it */
        e.next_at = now;
        p->res->stopped = true;
    } else if (crc || cres.failed) {
        bl_diag_format(&cd, error, sizeof(error));
        e.outcome = "failed";
        e.step = failed_step(&cres);
        e.error = error;
        bool again = bl_sched_retry((int)n, now, &e.next_at);
        e.state = again ? "retrying" : "given_up";
        count[BL_SCHED_FAILED]++;
        count[BL_SCHED_GAVE_UP] += !again;
        soonest(p, again ? e.next_at : 0);
    } else {
        count[BL_SCHED_RAN]++;
        count[BL_SCHED_RETRIED] += n > 1;
    }
    int rc = bl_store_sched_end(st, j->org, j->day, &e, d);
    bool settled = strcmp(e.state, "done") == 0 || strcmp(e.state, "given_up") == 0;
    if (!rc && settled && !p->req->no_digest)
        digest(st, j, &creq, &cres, strcmp(e.state, "given_up") == 0, now);
    bl_app_cycle_res_release(&cres);
    return rc;
}

int bl_app_sched_tick(struct bl_store *st, const struct bl_app_sched_tick_req *req,
                      struct bl_app_sched_tick_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    struct pass p = {.req = req, .res = res};
    p.now = clock_now(&p);
    bl__cycle_runner(p.runner, sizeof(p.runner));
    p.jobs = bl_calloc(JOBS_MAX, sizeof(*p.jobs));
    if (!p.jobs)
        return bl_diag_set(d, BL_ENOMEM, "scheduler: out of memory");
    int rc = collect(&p, st, d);
    for (size_t i = 0; !rc && i < p.njobs; i++) {
        if (req->stop && atomic_load(req->stop)) {
            res->stopped = true;
            break;
        }
        struct job *j = &p.jobs[i];
        bool mine = false;
        int64_t now = clock_now(&p);
        if (j->fresh) {
            struct bl_sched_run r = {.org = j->org,
                                     .day = j->day,
                                     .due_at = j->due_at,
                                     .as_of = j->as_of,
                                     .claimed_at = now,
                                     .missed = j->missed,
                                     .runner = bl_str_c(p.runner)};
            rc = bl_store_sched_claim(st, &r, &mine, d);
        } else {
            rc = bl_store_sched_retake(st, j->org, j->day, j->state, j->attempts, p.runner, now,
                                       &mine, d);
        }
        if (!rc && mine)
            rc = attempt(st, &p, j, j->fresh ? 1 : j->attempts + 1, d);
        /* time went by, or another server has it: look again at once */
        if (!rc)
            soonest(&p, clock_now(&p));
    }
    bl_free(p.jobs);
    return rc;
}
