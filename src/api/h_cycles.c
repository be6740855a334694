/* h_cycles.c - the daily cycle: past cycles, one with its steps, and running the day
 * (bl_app_cycle_list, bl_app_cycle_get, bl_app_cycle, bl_app_digest_send). */
#include <string.h>

#include <microhttpd.h>

#include "api/handlers.h"
#include "app/cycle.h"
#include "app/digest.h"
#include "ballast/time.h"

/* Stored JSON text (a summary, a step's counts) as a value; null when there is none. */
static json_t *stored_json(struct bl_str s)
{
    json_t *j = s.len ? json_loadb(s.ptr, s.len, 0, NULL) : NULL;
    return j ? j : json_null();
}

static json_t *text_or_null(struct bl_str s)
{
    return s.len ? json_stringn(s.ptr, s.len) : json_null();
}

json_t *bl__api_cycle_json(const struct bl_cycle_rec *r)
{
    char day[BL_ISO_MAX];
    return json_pack("{s:I, s:o, s:s, s:o, s:o, s:o, s:I, s:s%, s:b, s:o, s:o, s:o}", "id",
                     (json_int_t)r->id, "as_of", bl__api_time(r->as_of), "stock_day",
                     bl_date_format(r->day, day), "started_at", bl__api_time(r->started_at),
                     "finished_at", r->finished_at ? bl__api_time(r->finished_at) : json_null(),
                     "running", json_boolean(!r->finished_at), "ms", (json_int_t)r->ms, "state",
                     r->state.ptr, r->state.len, "dry_run", r->dry_run, "shard",
                     text_or_null(r->shard), "summary", stored_json(r->summary), "error",
                     text_or_null(r->error));
}

static int list_one(void *ctx, const struct bl_cycle_rec *r)
{
    return json_array_append_new(ctx, bl__api_cycle_json(r)) ? BL_ENOMEM : 0;
}

unsigned bl__h_cycles(struct bl__api_call *c)
{
    int64_t limit;
    unsigned st = bl__api_query_int(c, "limit", 1, 1000, 50, &limit);
    if (st)
        return st;
    json_t *list = json_array();
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = list ? bl_app_cycle_list(c->st, c->org, limit, list_one, list, &d) : BL_ENOMEM;
    if (rc) {
        json_decref(list);
        return bl__api_fail(c, rc, &d);
    }
    return bl__api_json(c, MHD_HTTP_OK, json_pack("{s:o}", "cycles", list));
}

struct shown {
    json_t *cycle, *steps;
};

static int got_cycle(void *ctx, const struct bl_cycle_rec *r)
{
    struct shown *s = ctx;
    s->cycle = bl__api_cycle_json(r);
    return s->cycle ? 0 : BL_ENOMEM;
}

static int got_step(void *ctx, const struct bl_cycle_step_rec *r)
{
    struct shown *s = ctx;
    json_t *j = json_pack("{s:I, s:s%, s:s%, s:o, s:I, s:o, s:o}", "seq", (json_int_t)r->seq,
                          "step", r->step.ptr, r->step.len, "state", r->state.ptr, r->state.len,
                          "started_at", bl__api_time(r->started_at), "ms", (json_int_t)r->ms,
                          "counts", stored_json(r->counts), "error", text_or_null(r->error));
    return json_array_append_new(s->steps, j) ? BL_ENOMEM : 0;
}

unsigned bl__h_cycle(struct bl__api_call *c)
{
    int64_t id;
    unsigned st = bl__api_param_id(c, 0, "cycle", &id);
    if (st)
        return st;
    struct shown s = {NULL, json_array()};
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = s.steps ? bl_app_cycle_get(c->st, c->org, id, got_cycle, got_step, &s, &d) : BL_ENOMEM;
    if (!rc && s.cycle && json_object_set_new(s.cycle, "steps", s.steps) == 0)
        return bl__api_json(c, MHD_HTTP_OK, s.cycle);
    json_decref(s.cycle);
    if (rc) {
        json_decref(s.steps);
        return bl__api_fail(c, rc, &d);
    }
    return bl__api_json(c, MHD_HTTP_OK, NULL);
}
