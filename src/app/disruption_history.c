/* disruption_history.c - the history of a disruption changed by hand (disruption_event)
 * and `show` (disruption.h). */
#include <string.h>

#include "app/disruption.h"
#include "app/disruption_impl.h"

#include "ballast/region.h"
#include "ballast/time.h"

int64_t bl_app_disruption_end(const struct bl_disruption *r)
{
    return r->lifted_at != BL_NO_TIME && r->lifted_at < r->ends_at ? r->lifted_at : r->ends_at;
}

/* An instant as the history keeps it: ISO 8601 UTC, "open" for an end until further
 * notice, NULL for none. */
static const char *when_text(int64_t t, bool is_end, char *buf)
{
    if (t == BL_NO_TIME)
        return NULL;
    if (is_end && bl_dis_open_end(t))
        return "open";
    return bl_time_format(t, buf);
}

static bool same_text(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int add_event(struct bl_store *st, int64_t org, struct bl_disruption_event *e,
                     const char *field, const char *before, const char *after, struct bl_diag *d)
{
    e->field = field;
    e->before = before;
    e->after = after;
    return bl_store_disruption_event_add(st, org, e, d);
}

/* The instants of b and a that differ, one event each. */
static int record_times(struct bl_store *st, int64_t org, struct bl_disruption_event *e,
                        const struct bl_disruption *b, const struct bl_disruption *a,
                        struct bl_diag *d)
{
    static const char *const names[] = {"starts_at", "ends_at", "lifted_at"};
    const int64_t was[] = {b->starts_at, b->ends_at, b->lifted_at};
    const int64_t now[] = {a->starts_at, a->ends_at, a->lifted_at};
    int rc = BL_OK;
    for (size_t i = 0; !rc && i < 3; i++) {
        char x[BL_ISO_MAX], y[BL_ISO_MAX];
        if (was[i] != now[i])
            rc = add_event(st, org, e, names[i], when_text(was[i], i == 1, x),
                           when_text(now[i], i == 1, y), d);
    }
    return rc;
}

int bl__dis_record(struct bl_store *st, int64_t org, int64_t id, int64_t at, const char *who,
                   const struct bl_disruption *b, const struct bl_disruption *a, struct bl_diag *d)
{
    struct bl_disruption_event e = {0, id, at, who && who[0] ? who : NULL, NULL, NULL, NULL};
    if (!b) {
        char x[BL_ISO_MAX], y[BL_ISO_MAX], text[2 * BL_ISO_MAX + 8];
        const char *end = when_text(a->ends_at, true, y);
        size_t n = strlen(when_text(a->starts_at, false, x));
        memcpy(text, x, n);
        text[n] = '/';
        bl_str_copy(text + n + 1, sizeof(text) - n - 1, bl_str_c(end));
        return add_event(st, org, &e, "declared", NULL, text, d);
    }
    int rc = BL_OK;
    if (strcmp(b->region, a->region) != 0)
        rc = add_event(st, org, &e, "region", b->region, a->region, d);
    if (!rc && b->scope != a->scope)
        rc = add_event(st, org, &e, "scope", bl_dis_scopes[b->scope], bl_dis_scopes[a->scope], d);
    if (!rc && b->kind != a->kind)
        rc = add_event(st, org, &e, "kind", bl_dis_kinds[b->kind], bl_dis_kinds[a->kind], d);
    if (!rc)
        rc = record_times(st, org, &e, b, a, d);
    if (!rc && !same_text(b->note, a->note))
        rc = add_event(st, org, &e, "note", b->note, a->note, d);
    return rc;
}

/* ---------------------------------------------------------------- recompute hook */

static bool touches(const struct bl_disruption *x, const struct bl_dis_msg_row *m)
{
    if (x->supplier)
        return false; /* delays stock, not shipments: messages do not read it */
    if (x->channel && (!m->channel || strcmp(x->channel, m->channel) != 0))
        return false;
    struct bl_str r = bl_str_c(x->region);
    return (x->scope != BL_DIS_DESTINATION && m->from &&
            bl_region_contains(r, bl_str_c(m->from))) ||
           (x->scope != BL_DIS_ORIGIN && m->to && bl_region_contains(r, bl_str_c(m->to)));
}

struct wd_ctx {
    const struct bl_disruption *b, *a;
    int64_t *ids;
    size_t n, cap;
};

static int wd_row(void *vctx, const struct bl_dis_msg_row *m)
{
    struct wd_ctx *c = vctx;
    if (!touches(c->b, m) && !touches(c->a, m))
        return BL_OK;
    if (bl_grow((void **)&c->ids, &c->cap, c->n + 1, sizeof(*c->ids)))
        return BL_ENOMEM;
    c->ids[c->n++] = m->id;
    return BL_OK;
}

int bl__dis_withdraw(struct bl_store *st, int64_t org, int64_t id, const struct bl_disruption *b,
                     const struct bl_disruption *a, int64_t *n, struct bl_diag *d)
{
    *n = 0;
    if (strcmp(b->region, a->region) == 0 && b->scope == a->scope && b->kind == a->kind &&
        b->starts_at == a->starts_at && b->ends_at == a->ends_at && b->lifted_at == a->lifted_at)
        return BL_OK;
    struct wd_ctx c = {b, a, NULL, 0, 0};
    int rc = bl_store_disruption_unsent_messages(st, org, wd_row, &c, d);
    for (size_t i = 0; !rc && i < c.n; i++) {
        int64_t changed = 0;
        rc = bl_store_disruption_withdraw_message(st, org, c.ids[i], id, &changed, d);
        *n += changed;
    }
    bl_free(c.ids);
    if (rc == BL_ENOMEM && d && !d->code)
        bl_diag_set(d, rc, "out of memory withdrawing messages");
    return rc;
}

/* ---------------------------------------------------------------- show */

static const char *dup(struct bl_arena *a, const char *s, int *rc)
{
    if (!s)
        return NULL;
    char *c = bl_arena_strndup(a, s, strlen(s));
    if (!c)
        *rc = BL_ENOMEM;
    return c;
}

int bl__dis_item_copy(struct bl_arena *a, const struct bl_app_disruption_item *item,
                      struct bl_app_disruption_item *out)
{
    int rc = BL_OK;
    const struct bl_disruption *r = &item->r;
    out->r = *r;
    out->r.ext_id = dup(a, r->ext_id, &rc);
    out->r.region = dup(a, r->region, &rc);
    out->r.channel = dup(a, r->channel, &rc);
    out->r.supplier = dup(a, r->supplier, &rc);
    out->r.note = dup(a, r->note, &rc);
    out->effective_end = bl_app_disruption_end(r);
    return rc;
}

static int show_row(void *ctx, const struct bl_disruption *r)
{
    struct bl_app_disruption_show_res *res = ctx;
    struct bl_app_disruption_item it = {*r, 0};
    return bl__dis_item_copy(&res->arena, &it, &res->item);
}

static int event_row(void *ctx, const struct bl_disruption_event *e)
{
    struct bl_app_disruption_show_res *res = ctx;
    if (bl_grow((void **)&res->events, &res->cap, res->nevents + 1, sizeof(*res->events)))
        return BL_ENOMEM;
    int rc = BL_OK;
    struct bl_disruption_event *x = &res->events[res->nevents];
    *x = *e;
    x->who = dup(&res->arena, e->who, &rc);
    x->field = dup(&res->arena, e->field, &rc);
    x->before = dup(&res->arena, e->before, &rc);
    x->after = dup(&res->arena, e->after, &rc);
    res->nevents += !rc;
    return rc;
}

int bl_app_disruption_show(struct bl_store *st, int64_t org, int64_t id,
                           struct bl_app_disruption_show_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 4096);
    int rc = bl_store_disruption_get(st, org, id, show_row, res, d);
    if (!rc && res->item.r.id == 0) {
        res->reason = BL_APP_DIS_UNKNOWN;
        bl_diag_at(d, NULL, 0, "id");
        return bl_diag_set(d, BL_ENOTFOUND, "unknown disruption %lld", (long long)id);
    }
    if (!rc)
        rc = bl_store_disruption_events(st, org, id, event_row, res, d);
    if (rc == BL_ENOMEM && d && !d->code)
        bl_diag_set(d, rc, "out of memory reading disruption %lld", (long long)id);
    return rc;
}

void bl_app_disruption_show_res_release(struct bl_app_disruption_show_res *res)
{
    bl_free(res->events);
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}
