/* h_cycle_run.c - POST /api/v1/cycles: the day's cycle for the caller's organisation, as
 * `ballast cycle --as-of T` runs it, then its digest to the recipients of `ballast notify`
 * (bl_app_cycle, bl_app_digest_send). */
#include <string.h>

#include <microhttpd.h>

#include "api/handlers.h"
#include "app/cycle.h"
#include "app/digest.h"
#include "ballast/time.h"

struct run_args {
    const char *as_of, *tz;
    bool dry_run, digest;
    int64_t horizon;
};

static unsigned body_args(struct bl__api_call *c, struct run_args *a)
{
    json_error_t e;
    json_int_t horizon = 14;
    int dry = 0, digest = 1;
    a->tz = NULL;
    if (!json_is_string(json_object_get(c->body, "as_of")))
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "missing", "as_of",
                             "as_of is required: a date (YYYY-MM-DD, the end of that day) or "
                             "an instant (2024-11-15T08:00:00Z)");
    if (json_unpack_ex(c->body, &e, JSON_STRICT, "{s:s, s?s, s?b, s?b, s?I}", "as_of", &a->as_of,
                       "tz", &a->tz, "dry_run", &dry, "digest", &digest, "horizon_days",
                       &horizon) != 0)
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", NULL,
                             "body: %s (expected {\"as_of\": \"2024-11-15\", \"tz\": ZONE, "
                             "\"dry_run\": false, \"digest\": true, \"horizon_days\": 14})",
                             e.text);
    if (horizon < 1 || horizon > 365)
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", "horizon_days",
                             "horizon_days: expected 1 to 365");
    a->dry_run = dry;
    a->digest = digest;
    a->horizon = horizon;
    return 0;
}

/* The as-of as the CLI reads it: a date is the end of that day in tz (its stock day the
 * next), an instant is itself (its stock day the local day it falls in). */
static unsigned as_of(struct bl__api_call *c, const struct run_args *a,
                      struct bl_app_cycle_req *req)
{
    struct bl_tz *tz;
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_tz_load(&tz, a->tz ? a->tz : "UTC", &d))
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", "tz", "tz: %s", d.msg);
    struct bl_str s = bl_str_c(a->as_of);
    int64_t day;
    int rc = BL_OK;
    req->end_of_day = s.len == 10 && bl_date_parse(s, &day, &d) == BL_OK;
    if (req->end_of_day) {
        req->as_of = bl_tz_local_to_utc(tz, (day + 1) * BL_DAY_SECS);
        req->day = day + 1;
    } else if ((rc = bl_time_parse(s, tz, &req->as_of, &d)) == BL_OK) {
        int64_t local = req->as_of + bl_tz_offset(tz, req->as_of);
        req->day = local >= 0 ? local / BL_DAY_SECS : -((-local + BL_DAY_SECS - 1) / BL_DAY_SECS);
    }
    bl_tz_free(tz);
    if (rc)
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", "as_of",
                             "as_of: expected a date (YYYY-MM-DD, the end of that day) or an "
                             "instant (2024-11-15T08:00:00Z): %s",
                             d.msg);
    return 0;
}

static json_t *step_json(const struct bl_app_cycle_step *s)
{
    json_t *counts = json_object();
    for (size_t k = 0; counts && k < s->ncounts; k++)
        if (json_object_set_new(counts, s->counts[k].name, json_integer(s->counts[k].n)))
            json_decref(counts), counts = NULL;
    return json_pack("{s:s, s:s, s:I, s:o, s:s?, s:s?}", "step", s->name, "state",
                     bl_step_state_name(s->state), "ms", (json_int_t)s->ms, "counts", counts,
                     "skipped_because", s->why, "error",
                     s->state == BL_STEP_FAILED ? s->error : NULL);
}

static json_t *result_json(const struct bl_app_cycle_res *res, const struct bl_app_cycle_req *req)
{
    json_t *steps = json_array();
    for (size_t i = 0; steps && i < res->nsteps; i++)
        if (json_array_append_new(steps, step_json(&res->steps[i])))
            json_decref(steps), steps = NULL;
    return json_pack("{s:o, s:o, s:b, s:b, s:b, s:I, s:o}", "id",
                     res->cycle_id ? json_integer(res->cycle_id) : json_null(), "as_of",
                     bl__api_time(req->as_of), "dry_run", req->dry_run, "resumed", res->resumed,
                     "failed", res->failed, "ms", (json_int_t)res->ms, "steps", steps);
}

static json_t *digest_json(struct bl__api_call *c, const struct bl_app_cycle_req *req,
                           const struct bl_app_cycle_res *res, bool send)
{
    char name[256];
    struct bl_diag d;
    bl_diag_clear(&d);
    if (!send || !res->cycle_id || bl__api_org_name(c, name, sizeof(name), &d))
        return json_null();
    struct bl_app_digest_in in = {name, req, res, NULL};
    struct bl_app_digest_send_req sreq = {.now = c->now};
    struct bl_app_digest_send_res sres;
    if (bl_app_digest_send(c->st, c->org, &in, &sreq, &sres, &d))
        return json_pack("{s:s}", "error", d.msg);
    return json_pack("{s:I, s:I, s:I}", "sent", (json_int_t)sres.sent, "already",
                     (json_int_t)sres.already, "failed", (json_int_t)sres.failed);
}

unsigned bl__h_cycle_run(struct bl__api_call *c)
{
    struct run_args a;
    struct bl_app_cycle_req req = {.now = c->now};
    unsigned st = body_args(c, &a);
    st = st ? st : as_of(c, &a, &req);
    if (st)
        return st;
    req.dry_run = a.dry_run;
    req.horizon_days = (int)a.horizon;
    req.tz = a.tz;
    struct bl_app_cycle_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_cycle(c->st, c->org, &req, &res, &d);
    if (rc && !res.failed) {
        st = bl__api_fail(c, rc, &d);
    } else {
        json_t *j = result_json(&res, &req);
        if (j && json_object_set_new(j, "digest", digest_json(c, &req, &res, a.digest)))
            json_decref(j), j = NULL;
        st = bl__api_json(c, req.dry_run ? MHD_HTTP_OK : MHD_HTTP_CREATED, j);
    }
    bl_app_cycle_res_release(&res);
    return st;
}
