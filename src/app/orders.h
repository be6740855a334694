/* orders.h - reading shop orders: a filtered list, and one order with its lines.
 *
 * The shapes of docs/internals/app.md. An order is a struct bl_order_row
 * (src/store/orders.h: ids, states, instants with BL_NO_TIME for "not yet", amounts in
 * minor units with their currency); res owns the rows and their strings until
 * its _release.
 */
#ifndef BL_APP_ORDERS_H
#define BL_APP_ORDERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/app.h"
#include "store/orders.h"

/* The order states, NULL-terminated. */
extern const char *const bl_app_order_statuses[];

struct bl_app_orders_list_req {
    const char *shop;   /* a shop's id (ext_id), NULL: every shop */
    const char *status; /* one of bl_app_order_statuses, NULL: every status */
    bool has_from, has_to;
    int64_t from, to; /* placed in [from, to) */
    int64_t limit;    /* < 0: all */
    /* Only the orders after (after_placed, after_id) in the list's order: the next page
     * of a list whose last order was that one. */
    bool has_after;
    int64_t after_placed, after_id;
};

struct bl_app_orders_list_res {
    struct bl_order_row *orders; /* by placed_at, then id */
    size_t n;
    size_t cap;
    struct bl_arena arena; /* the rows' strings */
};

/* Org's orders matching req. An unknown status is BL_EINVAL. */
int bl_app_orders_list(struct bl_store *st, int64_t org, const struct bl_app_orders_list_req *req,
                       struct bl_app_orders_list_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_orders_list_res_release(struct bl_app_orders_list_res *res);

/* The same orders, handed to fn one at a time as the store reads them (the row and its
 * strings are valid during the call): a list of any length in constant memory. fn
 * returns 0 to go on; anything else stops the list and is returned. */
int bl_app_orders_each(struct bl_store *st, int64_t org, const struct bl_app_orders_list_req *req,
                       bl_order_fn fn, void *ctx, struct bl_diag *d) BL_MUST_CHECK;

#define BL_APP_ORDERS_SHOW_MAX 64

struct bl_app_orders_show_req {
    const char *ext_id; /* the order's id as its shop knows it */
    const char *shop;   /* the shop's id, NULL: any shop */
};

struct bl_app_order_shown {
    struct bl_order_row order;
    struct bl_order_line_row *lines; /* by line number */
    size_t nlines;
    struct bl_order_event_row *events; /* its history (order_event), oldest first */
    size_t nevents;
};

struct bl_app_orders_show_res {
    /* Every order with that id (in several shops when req->shop is NULL), by store id, at
     * most BL_APP_ORDERS_SHOW_MAX. */
    struct bl_app_order_shown *orders;
    size_t n;
    struct bl_arena arena; /* everything above */
};

/* The orders named req->ext_id (in req->shop) with their lines; BL_ENOTFOUND when there
 * is none. */
int bl_app_orders_show(struct bl_store *st, int64_t org, const struct bl_app_orders_show_req *req,
                       struct bl_app_orders_show_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_orders_show_res_release(struct bl_app_orders_show_res *res);

#endif
