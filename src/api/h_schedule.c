/* h_schedule.c - the organisation's daily cycle schedule: its part of GET /api/v1/org, and
 * PATCH /api/v1/org (admins) to set it or the currency (bl_app_org_schedule_set,
 * bl_app_org_currency_set). */
#include <stdio.h>
#include <string.h>

#include <microhttpd.h>

#include "api/handlers.h"
#include "app/money.h"
#include "app/sched.h"
#include "ballast/money.h"

static const char *local_name(enum bl_sched_local l)
{
    return l == BL_SCHED_GAP ? "skipped_by_clocks" : l == BL_SCHED_TWICE ? "shown_twice" : "exact";
}

static json_t *local_time(int64_t t, const struct bl_tz *tz)
{
    char out[BL_ISO_MAX];
    return tz ? json_string(bl_time_format_local(t, tz, out)) : bl__api_time(t);
}

static json_t *last_json(const struct bl_app_schedule *s, const struct bl_tz *tz)
{
    if (!s->have_last)
        return json_null();
    char day[BL_ISO_MAX];
    bool retrying = strcmp(s->last_state, "retrying") == 0;
    return json_pack("{s:s, s:s, s:I, s:o, s:o, s:o, s:o}", "day", bl_date_format(s->last_day, day),
                     "state", s->last_state, "attempts", (json_int_t)s->last_attempts, "due_at",
                     local_time(s->last_due_at, tz), "as_of", local_time(s->last_as_of, tz),
                     "cycle", s->last_cycle ? json_integer(s->last_cycle) : json_null(),
                     "next_attempt_at", retrying ? local_time(s->last_next_at, tz) : json_null());
}

/* Adds the schedule to the organisation's JSON: cycle_at, cycle_tz (null: none), the next
 * run and the last day's. 0, or the failure's status. */
unsigned bl__api_schedule_add(struct bl__api_call *c, json_t *org)
{
    struct bl_app_schedule s = {0};
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_org_schedule(c->st, c->org, c->now, &s, &d);
    if (rc)
        return bl__api_fail(c, rc, &d);
    struct bl_tz *tz = NULL;
    if (s.on && bl_tz_load(&tz, s.tz, &d))
        tz = NULL;
    char at[8];
    snprintf(at, sizeof(at), "%02d:%02d", s.at_min / 60 % 24, s.at_min % 60);
    char day[BL_ISO_MAX];
    json_t *next = s.on ? json_pack("{s:s, s:o, s:b, s:s}", "day", bl_date_format(s.next_day, day),
                                    "at", local_time(s.next_at, tz), "due", s.next_due,
                                    "local_time", local_name(s.next_local))
                        : json_null();
    json_t *last = s.on ? last_json(&s, tz) : json_null();
    bl_tz_free(tz);
    int bad = json_object_set_new(org, "cycle_at", s.on ? json_string(at) : json_null());
    bad |= json_object_set_new(org, "cycle_tz", s.on ? json_string(s.tz) : json_null());
    bad |= json_object_set_new(org, "next_cycle", next);
    bad |= json_object_set_new(org, "last_scheduled_cycle", last);
    return bad ? bl__api_json(c, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL) : 0;
}

struct patch {
    const char *at, *tz, *cur;
    bool has_at, has_tz, has_cur, at_null, cur_null;
};

static unsigned member(struct bl__api_call *c, const char *name, const char **val, bool *has,
                       bool *null, bool nullable)
{
    json_t *v = json_object_get(c->body, name);
    *has = v != NULL;
    if (!v)
        return 0;
    if (json_is_null(v) && nullable) {
        *null = true;
        return 0;
    }
    if (!json_is_string(v))
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", name,
                             "%s: expected a string%s", name, nullable ? " or null" : "");
    *val = json_string_value(v);
    return 0;
}

static unsigned read_patch(struct bl__api_call *c, struct patch *p)
{
    memset(p, 0, sizeof(*p));
    const char *key;
    json_t *v;
    json_object_foreach(c->body, key, v)
    {
        if (strcmp(key, "cycle_at") && strcmp(key, "cycle_tz") && strcmp(key, "currency"))
            return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", key,
                                 "unknown member (expected cycle_at, cycle_tz, currency)");
    }
    bool unused = false;
    unsigned st = member(c, "cycle_at", &p->at, &p->has_at, &p->at_null, true);
    st = st ? st : member(c, "cycle_tz", &p->tz, &p->has_tz, &unused, false);
    st = st ? st : member(c, "currency", &p->cur, &p->has_cur, &p->cur_null, true);
    if (!st && !p->has_at && !p->has_tz && !p->has_cur)
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "missing", "cycle_at",
                             "nothing to change: give cycle_at (\"06:30\", null: no schedule) "
                             "with cycle_tz (\"Asia/Shanghai\"), or currency");
    if (!st && p->at_null && p->has_tz)
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", "cycle_tz",
                             "cycle_at null turns the schedule off: give no cycle_tz with it");
    return st;
}

unsigned bl__h_org_patch(struct bl__api_call *c)
{
    struct patch p;
    unsigned st = read_patch(c, &p);
    if (st)
        return st;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_currency cur;
    /* the currency checked first: a PATCH changes all it names, or nothing */
    if (p.has_cur && !p.cur_null && bl_currency_lookup(bl_str_c(p.cur), &cur, NULL) != BL_OK)
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", "currency",
                             "currency: not an ISO 4217 code (USD, EUR, CNY...)");
    int rc = BL_OK;
    if (p.has_at || p.has_tz) {
        struct bl_app_schedule_req req = {.at = p.at, .tz = p.tz, .off = p.at_null, .now = c->now};
        struct bl_app_schedule res;
        rc = bl_app_org_schedule_set(c->st, c->org, &req, &res, &d);
    }
    if (!rc && p.has_cur) {
        rc = bl_app_org_currency_set(c->st, c->org, p.cur_null ? NULL : p.cur, &d);
        if (rc)
            bl_diag_at(&d, NULL, 0, "currency");
    }
    if (rc)
        return bl__api_fail(c, rc, &d);
    return bl__h_org(c);
}
