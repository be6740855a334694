/* hook_events.c - the events of the outgoing webhooks, raised inside the transaction of
 * the change they tell (hook_impl.h): what each one says. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app/hook.h"
#include "app/hook_impl.h"
#include "ballast/disruption.h"
#include "ballast/time.h"
#include "store/hook.h"

const char *const bl_app_hook_types[BL_HOOK__COUNT] = {"alert.raised", "shop.rating_at_risk",
                                                       "disruption.declared",
                                                       "message.needs_approval", "action.applied"};

int bl__hook_raise(struct bl_store *st, int64_t org, const char *type, void *data,
                   const char *dedup, int64_t now, int64_t only, int64_t *id, struct bl_diag *d)
{
    json_t *j = data;
    *id = 0;
    if (!j)
        return bl_diag_set(d, BL_ENOMEM, "webhook event: out of memory");
    bool seen = false, raised = false;
    int rc = dedup ? bl_store_hook_seen(st, org, dedup, &seen, d) : BL_OK;
    char *text = rc || seen ? NULL : json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(j);
    if (rc || seen)
        return rc;
    if (!text)
        return bl_diag_set(d, BL_ENOMEM, "webhook event: out of memory");
    int64_t first = 0;
    rc = bl_store_next_ids(st, org, "hook_event", 1, &first, d);
    if (!rc)
        rc =
            bl_store_hook_raise(st, org, first, type, bl_str_c(text), dedup, now, only, &raised, d);
    free(text);
    if (!rc && raised)
        *id = first;
    return rc;
}

static int raise(struct bl_store *st, int64_t org, enum bl_app_hook_type t, json_t *data,
                 const char *dedup, int64_t now, struct bl_diag *d)
{
    int64_t id;
    return bl__hook_raise(st, org, bl_app_hook_types[t], data, dedup, now, 0, &id, d);
}

static json_t *instant(int64_t t)
{
    char b[BL_ISO_MAX];
    return t == BL_NO_TIME || bl_dis_open_end(t) ? json_null() : json_string(bl_time_format(t, b));
}

static json_t *day(int64_t day_no)
{
    char b[BL_ISO_MAX];
    return json_string(bl_date_format(day_no, b));
}

/* A string, or null (NULL, or not UTF-8 text jansson takes). */
static json_t *text(const char *s)
{
    json_t *j = s ? json_string(s) : NULL;
    return j ? j : json_null();
}

static json_t *textn(struct bl_str s)
{
    json_t *j = json_stringn(s.ptr, s.len);
    return j ? j : json_null();
}

int bl__hook_disruption(struct bl_store *st, int64_t org, int64_t id, const struct bl_disruption *r,
                        const char *by, int64_t now, struct bl_diag *d)
{
    json_t *j =
        json_pack("{s:{s:I, s:o, s:s, s:s, s:s, s:o, s:o, s:b, s:o, s:o, s:o, s:o}}", "disruption",
                  "id", (json_int_t)id, "ext_id", text(r->ext_id), "region", r->region, "scope",
                  bl_dis_scopes[r->scope], "kind", bl_dis_kinds[r->kind], "starts_at",
                  instant(r->starts_at), "ends_at", instant(r->ends_at), "until_further_notice",
                  bl_dis_open_end(r->ends_at), "channel", text(r->channel), "supplier",
                  text(r->supplier), "note", text(r->note), "declared_by", text(by));
    return raise(st, org, BL_HOOK_DISRUPTION_DECLARED, j, NULL, now, d);
}

int bl__hook_messages(struct bl_store *st, int64_t org, const struct bl_msg_new *m,
                      const enum bl_msg_added *added, size_t n, int64_t now, struct bl_diag *d)
{
    json_t *kinds = json_object();
    int64_t count = 0, as_of = BL_NO_TIME;
    for (size_t i = 0; kinds && i < n; i++) {
        if (added[i] != BL_MSG_ADDED || !m[i].approval || (m[i].hold && m[i].hold[0]))
            continue;
        json_t *k = json_object_get(kinds, m[i].kind);
        json_int_t v = k ? json_integer_value(k) : 0;
        if (json_object_set_new(kinds, m[i].kind, json_integer(v + 1)))
            json_decref(kinds), kinds = NULL;
        count++;
        as_of = m[i].as_of;
    }
    if (kinds && !count) {
        json_decref(kinds);
        return BL_OK;
    }
    json_t *j = kinds ? json_pack("{s:I, s:o, s:o}", "count", (json_int_t)count, "kinds", kinds,
                                  "as_of", instant(as_of))
                      : NULL;
    return raise(st, org, BL_HOOK_MESSAGE_NEEDS_APPROVAL, j, NULL, now, d);
}

/* ---- the events read back from what the change stored ---- */

struct gather {
    json_t *list;  /* [data, dedup key] pairs */
    int64_t as_of; /* of the alerts or the assessment */
    const struct bl_profile *p;
};

static int keep(struct gather *g, json_t *data, const char *dedup)
{
    json_t *pair = data ? json_pack("[o, s]", data, dedup) : NULL;
    return pair && !json_array_append_new(g->list, pair) ? 0 : BL_ENOMEM;
}

static int raise_all(struct bl_store *st, int64_t org, enum bl_app_hook_type t, struct gather *g,
                     int rc, int64_t now, struct bl_diag *d)
{
    if (rc == BL_ENOMEM && !d->code)
        rc = bl_diag_set(d, BL_ENOMEM, "webhook event: out of memory");
    size_t i;
    json_t *pair;
    json_array_foreach(g->list, i, pair)
    {
        if (rc)
            break;
        json_t *data = json_array_get(pair, 0);
        rc = raise(st, org, t, json_incref(data), json_string_value(json_array_get(pair, 1)), now,
                   d);
    }
    json_decref(g->list);
    return rc;
}

static int alert_one(void *ctx, const struct bl_hook_alert *a)
{
    struct gather *g = ctx;
    char dedup[128];
    snprintf(dedup, sizeof(dedup), "alert:%lld:%.*s:%lld", (long long)g->as_of, (int)a->kind.len,
             a->kind.ptr, (long long)a->sku_id);
    json_t *data =
        json_pack("{s:{s:o, s:o, s:o, s:o, s:I, s:o}}", "alert", "kind", textn(a->kind), "day",
                  day(g->as_of), "sku", textn(a->sku), "sku_name", textn(a->sku_name), "value",
                  (json_int_t)a->value, "message", textn(a->message));
    return keep(g, data, dedup);
}

int bl__hook_alerts(struct bl_store *st, int64_t org, int64_t as_of, int64_t now, struct bl_diag *d)
{
    struct gather g = {json_array(), as_of, NULL};
    if (!g.list)
        return bl_diag_set(d, BL_ENOMEM, "webhook event: out of memory");
    int rc = bl_store_hook_new_alerts(st, org, as_of, alert_one, &g, d);
    return raise_all(st, org, BL_HOOK_ALERT_RAISED, &g, rc, now, d);
}

static int action_one(void *ctx, const struct bl_hook_action *a)
{
    struct gather *g = ctx;
    char dedup[64];
    snprintf(dedup, sizeof(dedup), "action:%lld", (long long)g->as_of);
    json_t *data = json_pack(
        "{s:{s:I, s:o, s:{s:o, s:o, s:o}, s:o, s:I, s:I, s:o, s:o, s:o}}", "action", "id",
        (json_int_t)g->as_of, "kind", textn(a->kind), "target", "type", textn(a->target), "id",
        textn(a->target_ext), "name", textn(a->target_name), "field", textn(a->field), "before",
        (json_int_t)a->before, "after", (json_int_t)a->after, "reason", textn(a->reason), "day",
        day(a->as_of), "applied_at", instant(a->applied_at ? a->applied_at : BL_NO_TIME));
    return keep(g, data, dedup);
}

int bl__hook_action(struct bl_store *st, int64_t org, int64_t id, int64_t now, struct bl_diag *d)
{
    struct gather g = {json_array(), id, NULL};
    if (!g.list)
        return bl_diag_set(d, BL_ENOMEM, "webhook event: out of memory");
    int rc = bl_store_hook_action(st, org, id, action_one, &g, d);
    return raise_all(st, org, BL_HOOK_ACTION_APPLIED, &g, rc, now, d);
}

/* A rating at or below the band a missed target caps at (bands run best first). */
static bool at_risk(const struct bl_profile *p, struct bl_str rating)
{
    for (size_t b = p->breach_band; b < p->nbands; b++)
        if (bl_str_eq(rating, bl_str_c(p->bands[b].label)))
            return true;
    return false;
}

static json_t *score(int64_t x100)
{
    char b[32];
    if (x100 < 0)
        return json_null();
    snprintf(b, sizeof(b), "%lld.%02lld", (long long)(x100 / 100), (long long)(x100 % 100));
    return json_string(b);
}

/* "metric:window,..." as stored: [{"metric", "window_days"}, ...]. */
static json_t *failing(struct bl_str f)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < f.len;) {
        size_t e = i;
        while (e < f.len && f.ptr[e] != ',')
            e++;
        size_t colon = i;
        while (colon < e && f.ptr[colon] != ':')
            colon++;
        int64_t w = 0;
        if (colon < e && bl_str_to_i64((struct bl_str){f.ptr + colon + 1, e - colon - 1}, &w))
            w = 0;
        if (json_array_append_new(a, json_pack("{s:s%, s:I}", "metric", f.ptr + i, colon - i,
                                               "window_days", (json_int_t)w)))
            json_decref(a), a = NULL;
        i = e + 1;
    }
    return a;
}

static int rating_one(void *ctx, const struct bl_hook_rating *r)
{
    struct gather *g = ctx;
    if (!at_risk(g->p, r->rating) || at_risk(g->p, r->prev_rating))
        return 0;
    char dedup[128];
    snprintf(dedup, sizeof(dedup), "rating:%s:%lld:%lld", g->p->name, (long long)r->shop_id,
             (long long)g->as_of);
    json_t *data =
        json_pack("{s:{s:o, s:o}, s:s, s:o, s:o, s:o, s:{s:o, s:o, s:o}, s:o}", "shop", "id",
                  textn(r->shop), "name", textn(r->name), "profile", g->p->name, "as_of",
                  instant(g->as_of), "rating", textn(r->rating), "score", score(r->score_x100),
                  "previous", "as_of", instant(r->prev_as_of), "rating", textn(r->prev_rating),
                  "score", score(r->prev_score_x100), "failing", failing(r->failing));
    return keep(g, data, dedup);
}

int bl__hook_ratings(struct bl_store *st, int64_t org, const struct bl_profile *p, int window,
                     int64_t as_of, int64_t now, struct bl_diag *d)
{
    struct gather g = {json_array(), as_of, p};
    if (!g.list)
        return bl_diag_set(d, BL_ENOMEM, "webhook event: out of memory");
    int rc = bl_store_hook_ratings(st, org, p->name, window, as_of, rating_one, &g, d);
    return raise_all(st, org, BL_HOOK_RATING_AT_RISK, &g, rc, now, d);
}
