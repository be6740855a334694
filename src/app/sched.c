/* sched.c - an organisation's schedule: set it, show it with its next and last run
 * (sched.h). The scheduler's pass is sched_tick.c; the figures of /metrics sched_metrics.c. */
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "app/sched.h"
#include "ballast/app.h"
#include "store/sched.h"

static int refuse(struct bl_app_schedule *res, enum bl_app_schedule_why why, const char *field,
                  struct bl_diag *d, int code, const char *msg)
{
    res->why = why;
    bl_diag_at(d, NULL, 0, field);
    return bl_diag_set(d, code, "%s", msg);
}

/* The new setting from the old one and the request; a refusal says why. */
static int merge(const struct bl_app_schedule_req *req, struct bl_sched_setting *s,
                 struct bl_app_schedule *res, struct bl_diag *d)
{
    if (req->off) {
        s->at_min = -1;
        return BL_OK;
    }
    if (!req->at && !req->tz)
        return refuse(res, BL_SCHEDULE_NOTHING, "cycle_at", d, BL_EINVAL,
                      "nothing to set: give the time the cycle runs at (06:30) and its zone, "
                      "or turn the schedule off");
    int at = s->at_min;
    if (req->at && bl_sched_parse_at(bl_str_c(req->at), &at, d)) {
        res->why = BL_SCHEDULE_BAD_AT;
        bl_diag_at(d, NULL, 0, "cycle_at");
        d->code = BL_EINVAL; /* well-formed text, a value refused */
        return BL_EINVAL;
    }
    if (at < 0)
        return refuse(res, BL_SCHEDULE_NEED_AT, "cycle_at", d, BL_EINVAL,
                      "the organisation has no schedule: give the time its cycle runs at "
                      "(06:30) with the zone");
    if (req->tz) {
        struct bl_tz *tz = NULL;
        struct bl_diag td;
        bl_diag_clear(&td);
        if (bl_tz_load(&tz, req->tz, &td) || strlen(req->tz) >= sizeof(s->tz)) {
            char shown[BL_SHOW_BUF];
            res->why = BL_SCHEDULE_BAD_TZ;
            bl_diag_at(d, NULL, 0, "cycle_tz");
            return bl_diag_set(d, BL_EINVAL,
                               "time zone '%s': not an IANA zone (Asia/Shanghai, "
                               "America/New_York, Europe/Berlin, UTC)",
                               bl_str_show(bl_str_c(req->tz), BL_SHOW, shown));
        }
        bl_tz_free(tz);
        bl_str_copy(s->tz, sizeof(s->tz), bl_str_c(req->tz));
    } else if (!s->tz[0] || s->at_min < 0) {
        return refuse(res, BL_SCHEDULE_NEED_TZ, "cycle_tz", d, BL_EINVAL,
                      "a first schedule needs its time zone too: the local time is read in it "
                      "(Asia/Shanghai, America/New_York, UTC)");
    }
    s->at_min = at;
    return BL_OK;
}

/* A schedule as the audit log keeps it: {"cycle_at": "06:30" or null, "cycle_tz"}. */
static json_t *schedule_json(const struct bl_sched_setting *s)
{
    char at[8];
    if (s->at_min >= 0)
        snprintf(at, sizeof(at), "%02d:%02d", (int)(s->at_min / 60) % 100, (int)(s->at_min % 60));
    return json_pack("{s:s?, s:s?}", "cycle_at", s->at_min >= 0 ? at : NULL, "cycle_tz",
                     s->at_min >= 0 && s->tz[0] ? s->tz : NULL);
}

int bl_app_org_schedule_set(struct bl_store *st, int64_t org, const struct bl_app_schedule_req *req,
                            struct bl_app_schedule *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    int64_t now = bl_app_now_or(req->now);
    struct bl_sched_setting old = {.at_min = -1}, s;
    int rc = bl_store_begin(st, d);
    rc = rc ? rc : bl_store_sched_get(st, org, &old, d);
    s = old;
    rc = rc ? rc : merge(req, &s, res, d);
    /* the same time and zone again keep their start: a day due stays due */
    bool same = s.at_min >= 0 && s.at_min == old.at_min && strcmp(s.tz, old.tz) == 0;
    if (!same)
        s.since = now;
    rc = rc ? rc : bl_store_sched_set(st, org, &s, d);
    if (!rc && (s.at_min != old.at_min || strcmp(s.tz, old.tz) != 0))
        rc = bl_app_audit_n(st, org, req->now, "org.schedule", "org", org, schedule_json(&old),
                            schedule_json(&s), d);
    rc = bl_store_end(st, rc, d);
    return rc ? rc : bl_app_org_schedule(st, org, now, res, d);
}

static int last_row(void *vctx, const struct bl_sched_run *r)
{
    struct bl_app_schedule *res = vctx;
    res->have_last = true;
    res->last_day = r->day;
    res->last_due_at = r->due_at;
    res->last_as_of = r->as_of;
    res->last_cycle = r->cycle_id;
    res->last_attempts = r->attempts;
    res->last_next_at = r->next_at;
    bl_str_copy(res->last_state, sizeof(res->last_state), r->state);
    return 0;
}

struct day_ctx {
    int64_t org, last_day;
};

int bl_app_org_schedule(struct bl_store *st, int64_t org, int64_t now, struct bl_app_schedule *res,
                        struct bl_diag *d)
{
    enum bl_app_schedule_why why = res->why;
    memset(res, 0, sizeof(*res));
    res->why = why;
    now = bl_app_now_or(now);
    struct bl_sched_setting s;
    int rc = bl_store_sched_get(st, org, &s, d);
    if (rc || s.at_min < 0)
        return rc;
    res->on = true;
    res->at_min = s.at_min;
    res->since = s.since;
    memcpy(res->tz, s.tz, sizeof(res->tz));
    struct day_ctx dc = {org, INT64_MIN};
    rc = bl_store_sched_last_day(st, org, &dc.last_day, d);
    if (!rc && dc.last_day != INT64_MIN) {
        rc = bl_store_sched_run_get(st, org, dc.last_day, last_row, res, d);
        rc = rc == BL_ENOTFOUND ? BL_OK : rc;
    }
    struct bl_tz *tz = NULL;
    if (!rc)
        rc = bl_tz_load(&tz, s.tz, d);
    if (rc)
        return rc;
    struct bl_sched rule = {tz, s.at_min, s.since,
                            dc.last_day == INT64_MIN ? BL_SCHED_NEVER : dc.last_day};
    struct bl_sched_next n;
    bl_sched_next(&rule, now, &n);
    res->next_day = n.day;
    res->next_at = n.at;
    res->next_due = n.due;
    res->next_local = n.local;
    bl_tz_free(tz);
    return BL_OK;
}
