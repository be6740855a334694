/* orders.c - reading shop orders (orders.h). */
#include <string.h>

#include "app/orders.h"

const char *const bl_app_order_statuses[] = {"open", "shipped", "delivered", "cancelled", NULL};

/* A copy of s in a (NULL stays NULL); *rc becomes BL_ENOMEM when memory runs out. */
static const char *dup(struct bl_arena *a, const char *s, int *rc)
{
    if (!s)
        return NULL;
    char *c = bl_arena_strndup(a, s, strlen(s));
    if (!c)
        *rc = BL_ENOMEM;
    return c;
}

/* Copies o's strings into a. */
static int keep_order(struct bl_arena *a, struct bl_order_row *o)
{
    int rc = BL_OK;
    o->shop = dup(a, o->shop, &rc);
    o->ext_id = dup(a, o->ext_id, &rc);
    o->status = dup(a, o->status, &rc);
    o->cancelled_by = dup(a, o->cancelled_by, &rc);
    o->ship_from = dup(a, o->ship_from, &rc);
    o->ship_to = dup(a, o->ship_to, &rc);
    o->currency = dup(a, o->currency, &rc);
    o->customer = dup(a, o->customer, &rc);
    o->fulfilment = dup(a, o->fulfilment, &rc);
    o->tracking = dup(a, o->tracking, &rc);
    return rc;
}

static int list_row(void *ctx, const struct bl_order_row *o)
{
    struct bl_app_orders_list_res *res = ctx;
    if (bl_grow((void **)&res->orders, &res->cap, res->n + 1, sizeof(*res->orders)))
        return BL_ENOMEM;
    res->orders[res->n] = *o;
    int rc = keep_order(&res->arena, &res->orders[res->n]);
    res->n += !rc;
    return rc;
}

int bl_app_orders_list(struct bl_store *st, int64_t org, const struct bl_app_orders_list_req *req,
                       struct bl_app_orders_list_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    return bl_app_orders_each(st, org, req, list_row, res, d);
}

int bl_app_orders_each(struct bl_store *st, int64_t org, const struct bl_app_orders_list_req *req,
                       bl_order_fn fn, void *ctx, struct bl_diag *d)
{
    if (req->status) {
        bool known = false;
        for (const char *const *s = bl_app_order_statuses; *s; s++)
            known = known || strcmp(*s, req->status) == 0;
        if (!known)
            return bl_diag_set(d, BL_EINVAL,
                               "status %s: expected open, shipped, delivered or cancelled",
                               req->status);
    }
    struct bl_order_filter f = {.shop = req->shop,
                                .status = req->status,
                                .has_from = req->has_from,
                                .has_to = req->has_to,
                                .from = req->from,
                                .to = req->to,
                                .limit = req->limit};
    f.has_after = req->has_after;
    f.after_placed = req->after_placed;
    f.after_id = req->after_id;
    int rc = bl_store_orders_list(st, org, &f, fn, ctx, d);
    if (rc == BL_ENOMEM && d && !d->code)
        bl_diag_set(d, rc, "out of memory listing orders");
    return rc;
}

void bl_app_orders_list_res_release(struct bl_app_orders_list_res *res)
{
    bl_free(res->orders);
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}

struct show_ctx {
    struct bl_app_orders_show_res *res;
    struct bl_app_order_shown *cur;
    size_t cap;
    struct bl_order_line_row *lines; /* malloc'd while reading, moved into the arena */
};

static int show_row(void *vctx, const struct bl_order_row *o)
{
    struct show_ctx *c = vctx;
    c->cur->order = *o;
    return keep_order(&c->res->arena, &c->cur->order);
}

static int show_line(void *vctx, const struct bl_order_line_row *l)
{
    struct show_ctx *c = vctx;
    size_t n = c->cur->nlines;
    if (bl_grow((void **)&c->lines, &c->cap, n + 1, sizeof(*c->lines)))
        return BL_ENOMEM;
    int rc = BL_OK;
    c->lines[n] = *l;
    c->lines[n].sku = dup(&c->res->arena, l->sku, &rc);
    c->lines[n].currency = dup(&c->res->arena, l->currency, &rc);
    c->cur->nlines += !rc;
    return rc;
}

struct event_ctx {
    struct bl_arena *arena;
    struct bl_order_event_row *ev;
    size_t n, cap;
};

static int show_event(void *vctx, const struct bl_order_event_row *e)
{
    struct event_ctx *c = vctx;
    if (bl_grow((void **)&c->ev, &c->cap, c->n + 1, sizeof(*c->ev)))
        return BL_ENOMEM;
    int rc = BL_OK;
    struct bl_order_event_row *x = &c->ev[c->n];
    *x = *e;
    x->field = dup(c->arena, e->field, &rc);
    x->old_value = e->old_value ? dup(c->arena, e->old_value, &rc) : NULL;
    x->new_value = e->new_value ? dup(c->arena, e->new_value, &rc) : NULL;
    x->kind = dup(c->arena, e->kind, &rc);
    x->source = dup(c->arena, e->source, &rc);
    c->n += !rc;
    return rc;
}

/* Reads order id's history into shown. */
static int show_events(struct bl_store *st, int64_t org, int64_t id,
                       struct bl_app_order_shown *shown, struct bl_arena *arena,
                       struct bl_diag *d)
{
    struct event_ctx c = {arena, NULL, 0, 0};
    int rc = bl_store_orders_events(st, org, id, show_event, &c, d);
    if (!rc && c.n) {
        shown->events = bl_arena_alloc(arena, c.n * sizeof(*c.ev));
        if (!shown->events)
            rc = BL_ENOMEM;
        else {
            memcpy(shown->events, c.ev, c.n * sizeof(*c.ev));
            shown->nevents = c.n;
        }
    }
    bl_free(c.ev);
    return rc;
}

/* Reads order id with its lines into c->cur. */
static int show_one(struct bl_store *st, int64_t org, int64_t id, struct show_ctx *c,
                    struct bl_diag *d)
{
    int rc = bl_store_orders_get(st, org, id, show_row, c, d);
    if (!rc)
        rc = bl_store_orders_lines(st, org, id, show_line, c, d);
    if (!rc)
        rc = show_events(st, org, id, c->cur, &c->res->arena, d);
    if (!rc && c->cur->nlines) {
        size_t bytes = c->cur->nlines * sizeof(*c->lines);
        c->cur->lines = bl_arena_alloc(&c->res->arena, bytes);
        if (!c->cur->lines)
            return BL_ENOMEM;
        memcpy(c->cur->lines, c->lines, bytes);
    }
    return rc;
}

int bl_app_orders_show(struct bl_store *st, int64_t org, const struct bl_app_orders_show_req *req,
                       struct bl_app_orders_show_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    int64_t ids[BL_APP_ORDERS_SHOW_MAX];
    size_t n = 0;
    int rc =
        bl_store_orders_find(st, org, req->ext_id, req->shop, ids, BL_APP_ORDERS_SHOW_MAX, &n, d);
    if (!rc && n == 0)
        return bl_diag_set(d, BL_ENOTFOUND, "no order '%s'%s%s", req->ext_id,
                           req->shop ? " in shop " : "", req->shop ? req->shop : "");
    if (!rc) {
        res->orders = bl_arena_alloc(&res->arena, n * sizeof(*res->orders));
        if (!res->orders)
            rc = BL_ENOMEM;
        else
            memset(res->orders, 0, n * sizeof(*res->orders));
    }
    struct show_ctx c = {res, NULL, 0, NULL};
    for (size_t k = 0; !rc && k < n; k++) {
        c.cur = &res->orders[k];
        rc = show_one(st, org, ids[k], &c, d);
        res->n = k + 1;
    }
    bl_free(c.lines);
    if (rc == BL_ENOMEM && d && !d->code)
        bl_diag_set(d, rc, "out of memory reading the order");
    return rc;
}

void bl_app_orders_show_res_release(struct bl_app_orders_show_res *res)
{
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}
