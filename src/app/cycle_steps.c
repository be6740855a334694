/* cycle_steps.c - the steps of the daily cycle, in the design's order (cycle.h,
 * docs/internals/cycle.md). Each calls use cases of src/app with the cycle's as-of and
 * id and reports what it did as counts; what several steps read is loaded once and kept
 * in struct bl__cycle_shared (the stock day; the orders snapshot; the channels). */
#include <string.h>

#include "app/cycle_impl.h"
#include "app/stock.h"
#include "ballast/alloc.h"
#include "ballast/profile.h"

/* What the steps load once and share. */
struct bl__cycle_shared {
    struct bl_app_stock_day day;
    bool day_open;
};

static int shared(struct bl__cycle_run *r, struct bl_diag *d)
{
    if (r->shared)
        return BL_OK;
    r->shared = bl_calloc(1, sizeof(*r->shared));
    return r->shared ? BL_OK : bl_diag_set(d, BL_ENOMEM, "cycle: out of memory");
}

/* ---- demand and stock: one stock day for forecast, plan, alerts and playbook ---------- */

static int stock_day(struct bl__cycle_run *r, struct bl_app_stock_day **out, struct bl_diag *d)
{
    int rc = shared(r, d);
    if (rc)
        return rc;
    struct bl__cycle_shared *sh = r->shared;
    if (!sh->day_open) {
        struct bl_app_stock_opts o;
        bl_app_stock_opts_init(&o);
        o.as_of = r->req->day;
        o.playbook = true;
        rc = bl_app_stock_day_open(r->st, r->org, &o, &sh->day, d);
        if (rc) {
            bl_app_stock_day_close(&sh->day);
            return rc;
        }
        sh->day_open = true;
    }
    *out = &sh->day;
    return BL_OK;
}

static int step_forecast(struct bl__cycle_run *r, struct bl_app_cycle_step *s, struct bl_diag *d)
{
    struct bl_app_stock_day *day;
    int rc = stock_day(r, &day, d);
    if (rc)
        return rc;
    bl__cycle_count(s, "skus", (int64_t)day->snap.nskus);
    if (!day->snap.nskus)
        s->state = BL_STEP_SKIPPED;
    return BL_OK;
}

static int step_plan(struct bl__cycle_run *r, struct bl_app_cycle_step *s, struct bl_diag *d)
{
    struct bl_app_stock_day *day;
    int rc = stock_day(r, &day, d);
    if (rc)
        return rc;
    if (!day->snap.nskus) {
        s->state = BL_STEP_SKIPPED;
        return BL_OK;
    }
    struct bl_app_plan_req req = {.now = r->req->now, .cycle_id = r->cycle_id, .day = day,
                                  .save = !r->req->dry_run};
    struct bl_app_plan_res res;
    rc = bl_app_plan(r->st, r->org, &req, &res, d);
    if (!rc) {
        int64_t stockouts = 0, reorders = 0;
        int64_t horizon = r->req->horizon_days > 0 ? r->req->horizon_days : 14;
        for (size_t k = 0; k < day->snap.nskus; k++) {
            const struct bl_rp_plan *p = &day->plans[k];
            stockouts += p->stockout_day != BL_RP_NEVER && p->stockout_day <= r->req->day + horizon;
            reorders += p->order_qty > 0;
        }
        bl__cycle_count(s, "lines", (int64_t)res.stored);
        bl__cycle_count(s, "stockouts", stockouts);
        bl__cycle_count(s, "reorders", reorders);
    }
    bl_app_plan_res_release(&res);
    return rc;
}

static int step_alerts(struct bl__cycle_run *r, struct bl_app_cycle_step *s, struct bl_diag *d)
{
    struct bl_app_stock_day *day;
    int rc = stock_day(r, &day, d);
    if (rc)
        return rc;
    if (!day->snap.nskus) {
        s->state = BL_STEP_SKIPPED;
        return BL_OK;
    }
    struct bl_app_alerts_req req = {.now = r->req->now, .cycle_id = r->cycle_id, .day = day,
                                    .save = !r->req->dry_run};
    struct bl_app_alerts_res res;
    rc = bl_app_alerts(r->st, r->org, &req, &res, d);
    if (!rc)
        bl__cycle_count(s, "alerts", (int64_t)res.n);
    bl_app_alerts_res_release(&res);
    return rc;
}

static int step_playbook(struct bl__cycle_run *r, struct bl_app_cycle_step *s, struct bl_diag *d)
{
    struct bl_app_stock_day *day;
    int rc = stock_day(r, &day, d);
    if (rc)
        return rc;
    if (!day->snap.nskus) {
        s->state = BL_STEP_SKIPPED;
        return BL_OK;
    }
    struct bl_app_playbook_req req = {.now = r->req->now, .cycle_id = r->cycle_id, .day = day,
                                      .apply = !r->req->dry_run};
    struct bl_app_playbook_res res;
    rc = bl_app_playbook(r->st, r->org, &req, &res, d);
    if (!rc) {
        int64_t applied = 0, proposed = 0;
        for (size_t i = 0; i < res.n; i++) {
            applied += res.outcome[i] == BL_APP_ACT_APPLIED || res.outcome[i] == BL_APP_ACT_TO_APPLY;
            proposed +=
                res.outcome[i] == BL_APP_ACT_PROPOSED || res.outcome[i] == BL_APP_ACT_TO_PROPOSE;
        }
        bl__cycle_count(s, "actions_new", (int64_t)res.added);
        bl__cycle_count(s, "actions_applied", applied);
        bl__cycle_count(s, "actions_proposed", proposed);
        bl__cycle_count(s, "actions_reverted", (int64_t)res.closed);
    }
    bl_app_playbook_res_release(&res);
    return rc;
}

static const struct bl__cycle_stepdef steps[] = {
    {"forecast", step_forecast},
    {"plan", step_plan},
    {"alerts", step_alerts},
    {"playbook", step_playbook},
};

const struct bl__cycle_stepdef *bl__cycle_steps(size_t *n)
{
    *n = sizeof(steps) / sizeof(steps[0]);
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
    if (!r->shared)
        return;
    if (r->shared->day_open)
        bl_app_stock_day_close(&r->shared->day);
    bl_free(r->shared);
    r->shared = NULL;
}
