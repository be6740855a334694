/* cycle.c - the daily cycle (cycle.h, docs/internals/cycle.md): the runner. The steps
 * themselves are in cycle_steps.c. */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/audit.h"
#include "app/cycle.h"
#include "app/cycle_impl.h"
#include "app/digest_impl.h"
#include "ballast/alloc.h"
#include "app/money.h"
#include "ballast/app.h"
#include "store/cycle.h"

const char *bl_step_state_name(enum bl_step_state s)
{
    switch (s) {
    case BL_STEP_DONE:
        return "done";
    case BL_STEP_EARLIER:
        return "earlier";
    case BL_STEP_SKIPPED:
        return "skipped";
    case BL_STEP_FAILED:
        return "failed";
    }
    return "?";
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void bl__cycle_count(struct bl_app_cycle_step *s, const char *name, int64_t n)
{
    if (s->ncounts < BL_CYCLE_COUNTS_MAX)
        s->counts[s->ncounts++] = (struct bl_app_cycle_count){name, n};
}

int64_t bl_app_cycle_count(const struct bl_app_cycle_res *res, const char *step, const char *name)
{
    for (size_t i = 0; i < res->nsteps; i++) {
        const struct bl_app_cycle_step *s = &res->steps[i];
        if (strcmp(s->name, step) != 0)
            continue;
        for (size_t k = 0; k < s->ncounts; k++)
            if (strcmp(s->counts[k].name, name) == 0)
                return s->counts[k].n;
    }
    return -1;
}

/* The step's counts as a JSON object, for cycle_step.counts. */
static void counts_json(const struct bl_app_cycle_step *s, char *out, size_t cap)
{
    size_t at = 0;
    out[0] = '\0';
    for (size_t k = 0; k < s->ncounts && at + 1 < cap; k++) {
        int w = snprintf(out + at, cap - at, "%s\"%s\": %lld", k ? ", " : "{", s->counts[k].name,
                         (long long)s->counts[k].n);
        if (w < 0 || (size_t)w >= cap - at)
            break;
        at += (size_t)w;
    }
    if (at + 2 <= cap)
        snprintf(out + at, cap - at, "%s", s->ncounts ? "}" : "{}");
}

/* Runs one step unless an earlier run of this cycle did it; records it. */
static int run_step(struct bl__cycle_run *r, size_t seq, const struct bl__cycle_stepdef *def,
                    struct bl_app_cycle_step *s, struct bl_diag *d)
{
    memset(s, 0, sizeof(*s));
    s->name = def->name;
    int rc = BL_OK;
    if (r->cycle_id) {
        bool done = false;
        rc = bl_store_cycle_step_was_done(r->st, r->org, r->cycle_id, def->name, &done, d);
        if (rc)
            return rc;
        if (done) {
            s->state = BL_STEP_EARLIER;
            return BL_OK;
        }
    }
    int64_t t0 = mono_ms(), started = bl_app_now_or(r->req->now);
    struct bl_diag sd;
    bl_diag_clear(&sd);
    int src = def->run(r, s, &sd);
    s->ms = mono_ms() - t0;
    if (src) {
        s->state = BL_STEP_FAILED;
        s->err = src;
        bl_diag_format(&sd, s->error, sizeof(s->error));
    }
    if (r->cycle_id) {
        char counts[600];
        counts_json(s, counts, sizeof(counts));
        /* the error column holds a failure's diagnostic, or a skipped step's reason code */
        rc = bl_store_cycle_step_put(r->st, r->org, r->cycle_id, (int64_t)seq + 1, def->name,
                                     bl_step_state_name(s->state), started, s->ms, counts,
                                     src ? s->error : s->why, d);
    }
    if (!rc && src) {
        *d = sd;
        rc = src;
    }
    return rc;
}

/* stockouts: the SKUs whose stock-out comes within stockout_days (the cycle's horizon),
 * said beside it: GET /today and /stock/summary count the stock-out alerts, within the
 * plan policy's alert days, another horizon (docs/api.md, "Today in one answer"). */
static void summary_json(const struct bl_app_cycle_res *res, int horizon, char *out, size_t cap)
{
    const struct bl_digest_facts *f = &res->facts;
    snprintf(out, cap,
             "{\"messages_waiting\": %lld, \"actions_waiting\": %lld, \"stockouts\": %lld,"
             " \"stockout_days\": %d,"
             " \"shops_at_risk\": %lld, \"shops_moved\": %lld, \"alerts_new\": %lld,"
             " \"alerts_cleared\": %lld, \"messages_planned\": %lld, \"actions_applied\": %lld}",
             (long long)f->messages_waiting, (long long)f->actions_waiting, (long long)f->stockouts,
             horizon, (long long)f->shops_at_risk, (long long)f->shops_moved,
             (long long)f->alerts_new, (long long)f->alerts_cleared, (long long)f->messages_planned,
             (long long)f->actions_applied);
}

/* One per-currency list summed into the organisation's currency; a missing rate or an
 * overflow leaves *have false (the digest then shows the currencies only). */
static int total_of(struct bl__cycle_run *r, struct bl_app_fx *fx, const struct bl_digest_money *m,
                    size_t n, int64_t *sum, bool *have, struct bl_diag *d)
{
    *sum = 0;
    *have = fx->wanted && n > 0;
    for (size_t i = 0; *have && i < n; i++) {
        int64_t x = 0;
        int rc = bl_app_fx_convert(r->st, r->org, fx, m[i].amount, m[i].currency, &x, d);
        if (rc == BL_ENOTFOUND || rc == BL_EOVERFLOW || (!rc && __builtin_add_overflow(*sum, x, sum))) {
            bl_diag_clear(d);
            *have = false;
        } else if (rc) {
            return rc;
        }
    }
    return BL_OK;
}

static int read_totals(struct bl__cycle_run *r, struct bl_app_cycle_res *res, struct bl_diag *d)
{
    struct bl_app_fx fx;
    int rc = bl_app_fx_open(r->st, r->org, r->req->day, &fx, d);
    if (rc || !fx.wanted)
        return rc;
    struct bl_app_cycle_totals *t = &res->totals;
    const struct bl_digest_facts *f = &res->facts;
    memcpy(t->currency, fx.currency, sizeof(t->currency));
    rc = total_of(r, &fx, f->coupons_paid, f->ncoupons_paid, &t->amount[BL_CYCLE_PAID],
                  &t->have[BL_CYCLE_PAID], d);
    if (!rc)
        rc = total_of(r, &fx, f->coupons_owed, f->ncoupons_owed, &t->amount[BL_CYCLE_OWED],
                      &t->have[BL_CYCLE_OWED], d);
    if (!rc)
        rc = total_of(r, &fx, f->waivers, f->nwaivers, &t->amount[BL_CYCLE_WAIVERS],
                      &t->have[BL_CYCLE_WAIVERS], d);
    return rc;
}

/* What the cycle left for people (read from the store; a dry run stored nothing). */
static int read_facts(struct bl__cycle_run *r, struct bl_app_cycle_res *res, struct bl_diag *d)
{
    int64_t prev = 0, prev_as_of = 0, prev_day = 0;
    int rc = bl_store_cycle_previous(r->st, r->org, res->cycle_id, &prev, d);
    if (!rc && prev)
        rc = bl_store_cycle_when(r->st, r->org, prev, &prev_as_of, &prev_day, d);
    struct bl_digest_risk risk[64];
    size_t nrisk = bl__cycle_risk(r, risk, 64);
    int horizon = r->req->horizon_days > 0 ? r->req->horizon_days : 14;
    if (!rc)
        rc = bl_store_digest_facts(r->st, r->org, res->cycle_id, r->req->as_of, r->req->day, prev,
                                   prev_as_of, prev_day, horizon, risk, nrisk, &res->facts, d);
    res->have_facts = !rc;
    if (!rc)
        rc = read_totals(r, res, d);
    if (!rc)
        rc = bl__digest_places(r->st, r->org, res, d);
    return rc;
}

/* This process as "host:pid". */
void bl__cycle_runner(char *out, size_t cap)
{
    char host[64] = "";
    if (gethostname(host, sizeof(host) - 1) != 0)
        host[0] = '\0';
    snprintf(out, cap, "%s:%ld", host, (long)getpid());
}

/* A cycle's process may still be running it: on this host, while the process exists; on
 * another, for 6 hours after it started (then it is taken as dead and its cycle taken
 * over). */
bool bl__cycle_runner_alive(void *ctx, struct bl_str runner, int64_t started_at)
{
    (void)ctx;
    char host[64] = "";
    if (gethostname(host, sizeof(host) - 1) != 0)
        host[0] = '\0';
    size_t hl = strlen(host);
    const char *colon = memchr(runner.ptr, ':', runner.len);
    if (!colon)
        return false; /* a cycle from before runners were recorded */
    if ((size_t)(colon - runner.ptr) == hl && memcmp(runner.ptr, host, hl) == 0) {
        int64_t pid = 0;
        struct bl_str ps = {colon + 1, runner.len - (size_t)(colon - runner.ptr) - 1};
        if (bl_str_to_i64(ps, &pid) != BL_OK || pid <= 0 || pid > INT32_MAX)
            return false;
        if ((pid_t)pid == getpid())
            return false; /* this process (an earlier cycle of this run failed) */
        return kill((pid_t)pid, 0) == 0 || errno == EPERM;
    }
    return bl_app_now() - started_at < 6 * 3600;
}

/* The audit row of a cycle run: the day, how it ended and its summary. */
static int cycle_audit(struct bl_store *st, int64_t org, const struct bl_app_cycle_req *req,
                       const struct bl_app_cycle_res *res, const char *state, const char *summary,
                       struct bl_diag *d)
{
    json_t *after = json_pack("{s:o, s:s, s:b, s:I}", "as_of", bl_app_audit_time(req->as_of),
                              "state", state, "resumed", res->resumed, "ms", (json_int_t)res->ms);
    json_t *sum = summary ? json_loads(summary, 0, NULL) : NULL;
    if (after && sum)
        json_object_set_new(after, "summary", sum);
    else
        json_decref(sum);
    return bl_app_audit_n(st, org, req->now, "cycle.run", "cycle", res->cycle_id, NULL, after, d);
}

int bl_app_cycle(struct bl_store *st, int64_t org, const struct bl_app_cycle_req *req,
                 struct bl_app_cycle_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    struct bl__cycle_run r = {.st = st, .org = org, .req = req};
    int64_t t0 = mono_ms();
    int rc = BL_OK;
    if (!req->dry_run) {
        char runner[128];
        bl__cycle_runner(runner, sizeof(runner));
        rc = bl_store_cycle_begin(st, org, req->as_of, req->day, req->shard, runner,
                                  bl_app_now_or(req->now), bl__cycle_runner_alive, NULL,
                                  &res->cycle_id,
                                  &res->resumed, d);
    }
    r.cycle_id = res->cycle_id;
    size_t nsteps = 0;
    const struct bl__cycle_stepdef *defs = bl__cycle_steps(&nsteps);
    int first = BL_OK;
    struct bl_diag first_d;
    bl_diag_clear(&first_d);
    for (size_t i = 0; !rc && i < nsteps && i < BL_CYCLE_STEPS_MAX; i++) {
        struct bl_diag sd;
        bl_diag_clear(&sd);
        if (req->stop && atomic_load(req->stop)) {
            res->stopped = true; /* between two steps: the next run resumes here */
            break;
        }
        if (req->on_step)
            req->on_step(req->step_ctx, i, nsteps, defs[i].name);
        int src = run_step(&r, i, &defs[i], &res->steps[i], &sd);
        res->nsteps = i + 1;
        if (src && res->steps[i].state != BL_STEP_FAILED) {
            rc = src; /* the store itself failed: stop */
            *d = sd;
        } else if (src && !first) {
            first = src;
            first_d = sd;
        }
    }
    res->failed = first != BL_OK;
    if (!rc && !req->dry_run && !res->stopped)
        rc = read_facts(&r, res, d);
    res->ms = mono_ms() - t0;
    if (res->cycle_id) {
        char summary[800];
        summary_json(res, req->horizon_days > 0 ? req->horizon_days : 14, summary, sizeof(summary));
        struct bl_diag fd;
        bl_diag_clear(&fd);
        const char *state = rc || first ? "failed" : res->stopped ? "stopped" : "done";
        int frc = bl_store_begin(st, &fd);
        frc = frc ? frc
                  : bl_store_cycle_finish(st, org, res->cycle_id, state, bl_app_now_or(req->now),
                                          res->ms, rc || res->stopped ? NULL : summary,
                                          rc      ? d->msg
                                          : first ? first_d.msg
                                          : res->stopped
                                              ? "stopped between two steps (the server was "
                                                "stopped): the next run completes it"
                                              : NULL,
                                          &fd);
        frc = frc ? frc
                  : cycle_audit(st, org, req, res, state, rc || res->stopped ? NULL : summary,
                                &fd);
        frc = bl_store_end(st, frc, &fd);
        if (!rc && frc) {
            rc = frc;
            *d = fd;
        }
    }
    bl__cycle_run_release(&r);
    if (!rc && first) {
        *d = first_d;
        rc = first;
    }
    return rc;
}

void bl_app_cycle_res_release(struct bl_app_cycle_res *res)
{
    if (res->have_facts)
        bl_digest_facts_release(&res->facts);
    res->have_facts = false;
}

int bl_app_cycle_shard_of(int64_t org, int n)
{
    if (n <= 1)
        return 0;
    /* splitmix64's finaliser: consecutive ids spread evenly over the shards */
    uint64_t z = (uint64_t)org + 0x9e3779b97f4a7c15u;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    z ^= z >> 31;
    return (int)(z % (uint64_t)n);
}

struct orgs_ctx {
    int k, n;
    int64_t *ids;
    char **names;
    size_t count, cap;
};

static int org_row(void *vctx, int64_t id, struct bl_str name)
{
    struct orgs_ctx *c = vctx;
    if (bl_app_cycle_shard_of(id, c->n) != c->k)
        return 0;
    if (c->count == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        int64_t *ids = bl_realloc(c->ids, cap * sizeof(*ids));
        if (!ids)
            return BL_ENOMEM;
        c->ids = ids;
        char **names = bl_realloc(c->names, cap * sizeof(*names));
        if (!names)
            return BL_ENOMEM;
        c->names = names;
        c->cap = cap;
    }
    char *nm = bl_malloc(name.len + 1);
    if (!nm)
        return BL_ENOMEM;
    memcpy(nm, name.ptr, name.len);
    nm[name.len] = '\0';
    c->ids[c->count] = id;
    c->names[c->count++] = nm;
    return 0;
}

int bl_app_cycle_orgs(struct bl_store *st, int k, int n, int64_t **ids, char ***names,
                      size_t *count, struct bl_diag *d)
{
    struct orgs_ctx c = {k, n < 1 ? 1 : n, NULL, NULL, 0, 0};
    int rc = bl_store_cycle_orgs(st, org_row, &c, d);
    if (rc == BL_ENOMEM && !d->code)
        bl_diag_set(d, rc, "cycle: out of memory listing organisations");
    if (rc) {
        bl_app_orgs_free(c.ids, c.names, c.count);
        return rc;
    }
    *ids = c.ids;
    *names = c.names;
    *count = c.count;
    return BL_OK;
}

void bl_app_orgs_free(int64_t *ids, char **names, size_t count)
{
    for (size_t i = 0; names && i < count; i++)
        bl_free(names[i]);
    bl_free(names);
    bl_free(ids);
}

int bl_app_cycle_list(struct bl_store *st, int64_t org, int64_t limit, bl_cycle_fn fn, void *ctx,
                      struct bl_diag *d)
{
    return bl_store_cycle_list(st, org, limit, fn, ctx, d);
}

int bl_app_cycle_get(struct bl_store *st, int64_t org, int64_t id, bl_cycle_fn fn,
                     bl_cycle_step_fn step_fn, void *ctx, struct bl_diag *d)
{
    return bl_store_cycle_get(st, org, id, fn, step_fn, ctx, d);
}
