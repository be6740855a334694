/* h_whatif.c - POST /api/v1/whatif: what hypothetical events would cost, as `ballast whatif`
 * answers it (bl_app_whatif; docs/whatif.md). Writes nothing. The body:
 *
 *   {"as_of": "2024-11-15", "tz": ZONE, "horizon_days": 14,
 *    "assume": "event,region,...\n..."}        the assumption file's text, or
 *    "events": [{"event": "disruption", "region": "CN-ZJ:322", ...}, ...]
 *                                               its rows as objects (the file's columns)
 *    "mitigate": true                           also the cheapest way through: the plans
 *                                               under "mitigation" (whatif_mitigate.h)
 *    "apply": N, "source": TEXT                 and plan N proposed as actions for approval
 *                                               (whatif_apply.h), under "applied": 201;
 *                                               source names what was assumed in their
 *                                               reasons (default: the events' notes)
 *
 * Either way the rows go through the file's one parser (docs/formats.md, "What-if
 * assumptions"), so a bad row is refused with the same line, column and words. */
#include <string.h>

#include <microhttpd.h>

#include "api/handlers.h"
#include "app/whatif.h"
#include "app/whatif_apply.h"
#include "ballast/csv.h"
#include "ballast/time.h"

static const char *const columns[] = {
    "event", "region",   "scope",     "kind",       "starts_at", "ends_at",  "channel", "supplier",
    "sku",   "category", "lead_days", "change_pct", "per_kg",    "currency", "note"};
#define NCOLS (sizeof(columns) / sizeof(columns[0]))

/* The events' objects as the file's CSV text (header, then a row each). */
static unsigned events_csv(struct bl__api_call *c, json_t *events, struct bl_buf *b)
{
    int rc = BL_OK;
    for (size_t k = 0; !rc && k < NCOLS; k++) {
        rc = k ? bl_buf_addc(b, ',') : BL_OK;
        rc = rc ? rc : bl_buf_adds(b, bl_str_c(columns[k]));
    }
    rc = rc ? rc : bl_buf_addc(b, '\n');
    size_t i;
    json_t *e;
    json_array_foreach(events, i, e)
    {
        const char *key;
        json_t *v;
        if (!json_is_object(e))
            return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", "events",
                                 "events[%zu]: expected an object of the file's columns", i);
        json_object_foreach(e, key, v)
        {
            size_t k = 0;
            while (k < NCOLS && strcmp(columns[k], key) != 0)
                k++;
            if (k == NCOLS || !(json_is_string(v) || json_is_integer(v)))
                return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", "events",
                                     "events[%zu].%s: %s", i, key,
                                     k == NCOLS ? "not a column of the assumption file"
                                                : "expected a string (or a whole number)");
        }
        for (size_t k = 0; !rc && k < NCOLS; k++) {
            json_t *x = json_object_get(e, columns[k]);
            rc = k ? bl_buf_addc(b, ',') : BL_OK;
            if (!rc && json_is_string(x))
                rc = bl_csv_add_field(b, bl_str_c(json_string_value(x)));
            else if (!rc && json_is_integer(x))
                rc = bl_buf_add_i64(b, (int64_t)json_integer_value(x));
        }
        rc = rc ? rc : bl_buf_addc(b, '\n');
    }
    return rc ? bl__api_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "too_large", "events",
                              "events: too many")
              : 0;
}

struct wbody {
    const char *as_of, *tz, *source;
    json_int_t horizon, apply;
    int replay, mitigate;
};

static unsigned body_args(struct bl__api_call *c, struct wbody *w, struct bl_buf *text)
{
    json_error_t e;
    const char *assume = NULL;
    json_t *events = NULL;
    memset(w, 0, sizeof(*w));
    w->horizon = 14;
    json_int_t *horizon = &w->horizon;
    if (json_unpack_ex(c->body, &e, JSON_STRICT, "{s:s, s?s, s?I, s?b, s?s, s?o, s?b, s?I, s?s}",
                       "as_of", &w->as_of, "tz", &w->tz, "horizon_days", horizon, "replay",
                       &w->replay, "assume", &assume, "events", &events, "mitigate", &w->mitigate,
                       "apply", &w->apply, "source", &w->source) != 0)
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", NULL,
                             "body: %s (expected {\"as_of\": \"2024-11-15\", \"tz\": ZONE, "
                             "\"horizon_days\": 14, \"replay\": false, \"assume\": CSV text | "
                             "\"events\": [...], \"mitigate\": false, \"apply\": N, "
                             "\"source\": TEXT})",
                             e.text);
    if (json_object_get(c->body, "apply") && (w->apply < 1 || w->apply > 1000))
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", "apply",
                             "apply: expected the rank of a plan, 1 to 1000");
    if (w->apply && (!w->mitigate || w->replay))
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", "apply",
                             "apply: needs \"mitigate\": true (it proposes one of the plans "
                             "the search ranks), and not \"replay\"");
    if (w->source && (!w->source[0] || strlen(w->source) > 200))
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", "source",
                             "source: expected what was assumed in words, 1 to 200 bytes");
    if (*horizon < 1 || *horizon > BL_WI_HORIZON_MAX)
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", "horizon_days",
                             "horizon_days: expected 1 to %d", BL_WI_HORIZON_MAX);
    if (!assume == !events || (events && !json_is_array(events)))
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "missing", "assume",
                             "expected the assumption file's text in \"assume\", or its rows "
                             "as objects in \"events\" (one of the two)");
    if (assume)
        return bl_buf_adds(text, bl_str_c(assume))
                   ? bl__api_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "too_large", "assume",
                                   "assume: too large")
                   : 0;
    return events_csv(c, events, text);
}

/* The as-of as the CLI reads it: a date is the end of that day in tz (its stock day the
 * next), an instant is itself (its stock day the local day it falls in). */
static unsigned as_of_of(struct bl__api_call *c, const char *text, const struct bl_tz *tz,
                         struct bl_app_whatif_req *req)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_str s = bl_str_c(text);
    int64_t day;
    int rc = BL_OK;
    if (s.len == 10 && bl_date_parse(s, &day, &d) == BL_OK) {
        req->as_of = bl_tz_local_to_utc(tz, (day + 1) * BL_DAY_SECS);
        req->day = day + 1;
    } else if ((rc = bl_time_parse(s, tz, &req->as_of, &d)) == BL_OK) {
        int64_t local = req->as_of + bl_tz_offset(tz, req->as_of);
        req->day = local >= 0 ? local / BL_DAY_SECS : -((-local + BL_DAY_SECS - 1) / BL_DAY_SECS);
    }
    if (rc)
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", "as_of",
                             "as_of: expected a date (YYYY-MM-DD, the end of that day) or an "
                             "instant (2024-11-15T08:00:00Z): %s",
                             d.msg);
    return 0;
}

/* Plan `rank` of the what-if proposed as actions: 201 with the report, the plans and the
 * actions under "applied"; a bad rank is 422 and writes nothing. */
static unsigned apply(struct bl__api_call *c, struct bl_app_whatif_req *req, size_t rank,
                      const char *source)
{
    struct bl_app_whatif_apply_req ar = {*req, rank, source, c->now};
    struct bl_app_whatif_apply_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_whatif_apply(c->st, c->org, &ar, &res, &d);
    unsigned st;
    if (rc == BL_EINVAL && res.wi.mitigation.plans)
        st = bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", "apply", "%s", d.msg);
    else if (rc)
        st = bl__api_fail(c, rc, &d);
    else {
        json_t *j = bl_app_whatif_json(&res.wi);
        if (j) {
            json_object_set_new(j, "mitigation", bl_app_mg_json(&res.wi.mitigation));
            json_object_set_new(j, "applied", bl_app_whatif_apply_json(&res));
        }
        st = bl__api_json(c, MHD_HTTP_CREATED, j);
    }
    bl_app_whatif_apply_res_release(&res);
    return st;
}

static unsigned run(struct bl__api_call *c, struct bl_app_whatif_req *req)
{
    struct bl_app_whatif_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_whatif(c->st, c->org, req, &res, &d);
    json_t *j = rc ? NULL : bl_app_whatif_json(&res);
    if (j && req->mitigate) /* the cheapest way through (whatif_mitigate.h) */
        json_object_set_new(j, "mitigation", bl_app_mg_json(&res.mitigation));
    unsigned st = rc ? bl__api_fail(c, rc, &d) : bl__api_json(c, MHD_HTTP_OK, j);
    bl_app_whatif_res_release(&res);
    return st;
}

unsigned bl__h_whatif(struct bl__api_call *c)
{
    struct wbody w;
    struct bl_buf text;
    bl_buf_init(&text, 4u << 20);
    unsigned st = body_args(c, &w, &text);
    const char *as_of = w.as_of, *zone = w.tz;
    json_int_t horizon = w.horizon;
    int replay = w.replay, mitigate = w.mitigate;
    struct bl_tz *tz = NULL;
    struct bl_diag d;
    bl_diag_clear(&d);
    if (!st && bl_tz_load(&tz, zone ? zone : "UTC", &d))
        st = bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", "tz", "tz: %s", d.msg);
    struct bl_app_whatif_req req = {
        .horizon = horizon, .threads = 1, .replay = replay != 0, .mitigate = mitigate != 0};
    st = st ? st : as_of_of(c, as_of, tz, &req);
    struct bl_wi_assume as = {0};
    if (!st && bl_wi_assume_parse(text.ptr, text.len, "assume", tz, &as, &d))
        st = bl__api_fail(c, d.code, &d);
    bl_tz_free(tz);
    bl_buf_release(&text);
    if (!st) {
        req.assume = &as;
        st = w.apply ? apply(c, &req, (size_t)w.apply, w.source) : run(c, &req);
    }
    bl_wi_assume_release(&as);
    return st;
}
