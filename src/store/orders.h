/* orders.h - shop orders and their lines, read typed (store family "orders"). The
 * importers write them (src/io/import/import_orders.c, olist.c); this family reads them for the
 * use cases that list and show orders.
 *
 * Rows are handed to a callback one at a time; their strings are valid during the call
 * only. A time the order does not have (not shipped yet...) is BL_NO_TIME; a text column
 * it does not have is NULL. */
#ifndef BL_STORE_ORDERS_H
#define BL_STORE_ORDERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/store.h"

#ifndef BL_NO_TIME
#define BL_NO_TIME INT64_MIN
#endif

struct bl_order_row {
    int64_t id;         /* the store's id */
    const char *shop;   /* the shop's ext_id */
    const char *ext_id; /* the order's id as the shop knows it */
    const char *status; /* open | shipped | delivered | cancelled */
    int64_t placed_at, ship_by, shipped_at, picked_up_at, delivered_at, promised_at, cancelled_at;
    const char *cancelled_by, *ship_from, *ship_to;
    int64_t amount; /* minor units of currency */
    const char *currency;
    const char *customer;
    int64_t lines; /* how many order lines */
    const char *fulfilment; /* merchant | platform: the order's own, else its shop's */
    const char *tracking;   /* the carrier's tracking number, NULL: none */
};

struct bl_order_line_row {
    int64_t line_no;
    const char *sku; /* the SKU's ext_id */
    int64_t qty;
    int64_t price; /* unit price, minor units of the order's currency */
    const char *currency;
};

/* One change of an order (order_event), with the import that made it. */
struct bl_order_event_row {
    int64_t batch_id;
    int64_t at;         /* when the batch was imported */
    const char *field;  /* the native column: shipped_at, ship_by, tracking, lines, ... */
    const char *old_value, *new_value; /* NULL: none; instants in ISO 8601 UTC */
    bool correction;    /* recorded under --corrections */
    const char *kind;   /* the import's kind (orders, amazon, olist...) */
    const char *source; /* the file it came from */
};
typedef int (*bl_order_event_fn)(void *ctx, const struct bl_order_event_row *e);

/* What bl_store_orders_list returns: every field optional. */
struct bl_order_filter {
    const char *shop;   /* a shop's ext_id, NULL: every shop */
    const char *status; /* NULL: every status */
    bool has_from, has_to;
    int64_t from, to; /* placed_at in [from, to) */
    int64_t limit;    /* < 0: no limit */
    /* A page after the order (after_placed, after_id) in the list's order (keyset
     * pagination: what comes next does not move when orders are added before it). */
    bool has_after;
    int64_t after_placed, after_id;
};

typedef int (*bl_order_fn)(void *ctx, const struct bl_order_row *o);
typedef int (*bl_order_line_fn)(void *ctx, const struct bl_order_line_row *l);

/* Org's orders matching f, by placed_at then id. fn's nonzero return stops and is
 * returned. */
int bl_store_orders_list(struct bl_store *st, int64_t org, const struct bl_order_filter *f,
                         bl_order_fn fn, void *ctx, struct bl_diag *d) BL_MUST_CHECK;

/* The order with store id id (fn not called when there is none). */
int bl_store_orders_get(struct bl_store *st, int64_t org, int64_t id, bl_order_fn fn, void *ctx,
                        struct bl_diag *d) BL_MUST_CHECK;

/* The lines of order id, by line number. */
int bl_store_orders_lines(struct bl_store *st, int64_t org, int64_t id, bl_order_line_fn fn,
                          void *ctx, struct bl_diag *d) BL_MUST_CHECK;

/* The changes of order id, oldest first. */
int bl_store_orders_events(struct bl_store *st, int64_t org, int64_t id, bl_order_event_fn fn,
                           void *ctx, struct bl_diag *d) BL_MUST_CHECK;

/* The store ids of the orders whose ext_id is ext (in shop, an ext_id, when not NULL), by
 * id: at most cap of them into ids, *n how many were written. */
int bl_store_orders_find(struct bl_store *st, int64_t org, const char *ext, const char *shop,
                         int64_t *ids, size_t cap, size_t *n, struct bl_diag *d) BL_MUST_CHECK;

#endif
