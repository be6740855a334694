/* disruption.h - disruptions and shops' protection windows, typed (store family
 * "disruption"). The importer writes them in bulk (src/io/import/import_native.c); this family
 * adds, changes, lifts and reads them one at a time for the use cases
 * (src/app/disruption.c). Records added here carry batch_id 0 (import batches start at
 * 1: 0 means "entered by hand"); their ids come from the allocator.
 *
 * Strings in the structs passed in are borrowed for the call; strings in the rows handed
 * to a callback are valid during the call only. A text column without a value is NULL;
 * lifted_at without a value is BL_NO_TIME. */
#ifndef BL_STORE_DISRUPTION_H
#define BL_STORE_DISRUPTION_H

#include <stdint.h>

#include "ballast/disruption.h"
#include "ballast/store.h"

#ifndef BL_NO_TIME
#define BL_NO_TIME INT64_MIN
#endif

struct bl_disruption {
    int64_t id;
    const char *ext_id; /* the user's id, or NULL */
    const char *region; /* canonical region code */
    enum bl_dis_scope scope;
    enum bl_dis_kind kind;
    const char *channel;        /* a channel's ext_id, or NULL */
    const char *supplier;       /* a supplier's ext_id, or NULL */
    int64_t starts_at, ends_at; /* [starts_at, ends_at) as announced */
    int64_t lifted_at;          /* when it really ended, or BL_NO_TIME */
    const char *note;           /* or NULL */
    int64_t batch_id;           /* 0: entered by hand */
};

struct bl_protection {
    int64_t id;
    int64_t shop_id;
    const char *shop; /* the shop's ext_id (rows read) */
    int64_t starts_at, ends_at;
    const char *reason;
    int64_t batch_id;
};

typedef int (*bl_disruption_fn)(void *ctx, const struct bl_disruption *r);
typedef int (*bl_protection_fn)(void *ctx, const struct bl_protection *r);

/* Adds r (its id and batch_id ignored) with an id from the allocator, batch 0; *id gets
 * it. Runs inside the caller's transaction. */
int bl_store_disruption_add(struct bl_store *st, int64_t org, const struct bl_disruption *r,
                            int64_t *id, struct bl_diag *d) BL_MUST_CHECK;

/* Writes r's region, scope, kind, window and note over disruption r->id (ext_id,
 * channel, supplier, lifted_at and batch stay). *changes: rows changed (0 or 1). */
int bl_store_disruption_update(struct bl_store *st, int64_t org, const struct bl_disruption *r,
                               int64_t *changes, struct bl_diag *d) BL_MUST_CHECK;

/* Sets lifted_at = at on disruption id if it is not lifted yet. *changes: 0 or 1. */
int bl_store_disruption_lift(struct bl_store *st, int64_t org, int64_t id, int64_t at,
                             int64_t *changes, struct bl_diag *d) BL_MUST_CHECK;

/* Disruption id, handed to fn (not called when there is none). */
int bl_store_disruption_get(struct bl_store *st, int64_t org, int64_t id, bl_disruption_fn fn,
                            void *ctx, struct bl_diag *d) BL_MUST_CHECK;

/* Org's disruptions by id; active_at != BL_NO_TIME: only those in force then
 * (starts_at <= t < min(ends_at, lifted_at)). */
int bl_store_disruption_list(struct bl_store *st, int64_t org, int64_t active_at,
                             bl_disruption_fn fn, void *ctx, struct bl_diag *d) BL_MUST_CHECK;

/* ---- history: disruption_event (schema.c, m_dis_history) */

/* One change made by hand: field is "declared", "region", "scope", "kind", "starts_at",
 * "ends_at", "note" or "lifted_at"; before/after as text (instants ISO 8601 UTC, an open
 * end "open"), NULL for none; who NULL when unknown. */
struct bl_disruption_event {
    int64_t id, disruption_id, at;
    const char *who, *field, *before, *after;
};

typedef int (*bl_disruption_event_fn)(void *ctx, const struct bl_disruption_event *e);

/* Adds e (its id ignored) with an id from the allocator, inside the caller's
 * transaction. */
int bl_store_disruption_event_add(struct bl_store *st, int64_t org,
                                  const struct bl_disruption_event *e,
                                  struct bl_diag *d) BL_MUST_CHECK;

/* The history of disruption id, oldest first (id 0: every disruption's). */
int bl_store_disruption_events(struct bl_store *st, int64_t org, int64_t id,
                               bl_disruption_event_fn fn, void *ctx,
                               struct bl_diag *d) BL_MUST_CHECK;

/* The last disruption_event id of org (0 when none): stored with a result as its
 * dis_events_upto. */
int bl_store_disruption_events_upto(struct bl_store *st, int64_t org, int64_t *upto,
                                    struct bl_diag *d) BL_MUST_CHECK;

/* The disruptions changed by hand after event `after` (ids, ascending, distinct): fn
 * per id with the number of changes. */
int bl_store_disruption_changed_since(struct bl_store *st, int64_t org, int64_t after,
                                      int (*fn)(void *ctx, int64_t id, int64_t changes),
                                      void *ctx, struct bl_diag *d) BL_MUST_CHECK;

/* ---- what a disruption touches (disruption_impact.c) */

/* An order as the impact reads it: its shop (id, name, rule profile), regions (the
 * order's ship-from, else its shop's; NULL when none), channel and customer (NULL
 * when none), ship-by and shipped_at (BL_NO_TIME when none). */
struct bl_dis_order_row {
    const char *shop, *shop_name, *profile, *from, *to, *channel, *customer;
    int64_t ship_by, shipped_at;
};
typedef int (*bl_dis_order_fn)(void *ctx, const struct bl_dis_order_row *r);

/* Org's orders live at as_of: placed by then, neither cancelled nor delivered by then,
 * and not shipped by then or shipped at or after transit_since (in transit). */
int bl_store_disruption_live_orders(struct bl_store *st, int64_t org, int64_t as_of,
                                    int64_t transit_since, bl_dis_order_fn fn, void *ctx,
                                    struct bl_diag *d) BL_MUST_CHECK;

/* Org's orders due to ship in [from, to) (ship_by), not cancelled before their ship-by. */
int bl_store_disruption_due_orders(struct bl_store *st, int64_t org, int64_t from, int64_t to,
                                   bl_dis_order_fn fn, void *ctx, struct bl_diag *d) BL_MUST_CHECK;

/* A place a SKU comes from: a warehouse holding stock of it (supplier NULL) or a
 * supplier it was ordered from (inbound; warehouse NULL), with the place's region and
 * name, and the SKU's listing state. */
struct bl_dis_sku_row {
    const char *sku, *name, *listing, *warehouse, *supplier, *place_name, *region;
};
typedef int (*bl_dis_sku_fn)(void *ctx, const struct bl_dis_sku_row *r);

int bl_store_disruption_sku_places(struct bl_store *st, int64_t org, bl_dis_sku_fn fn, void *ctx,
                                   struct bl_diag *d) BL_MUST_CHECK;

/* How many of org's SKUs are listed (listing = 'active'). */
int bl_store_disruption_active_listings(struct bl_store *st, int64_t org, int64_t *n,
                                        struct bl_diag *d) BL_MUST_CHECK;

/* ---- the recompute hook: customer messages an edit makes wrong */

/* An unsent customer message (planned or approved) of a kind whose dates a disruption
 * sets (unshipped_order, late_shipment, late_delivery, out_of_stock), with its order's
 * regions (ship-from: the order's, else its shop's; NULL when none) and channel. */
struct bl_dis_msg_row {
    int64_t id;
    const char *from, *to, *channel;
};
typedef int (*bl_dis_msg_fn)(void *ctx, const struct bl_dis_msg_row *r);

int bl_store_disruption_unsent_messages(struct bl_store *st, int64_t org, bl_dis_msg_fn fn,
                                        void *ctx, struct bl_diag *d) BL_MUST_CHECK;

/* Withdraws unsent message id because disruption dis changed: state 'withdrawn', its
 * idempotency key freed (suffixed ":withdrawn:ID"), so the next `messages plan` (or
 * cycle) writes it again from the new window if it is still called for. *changes: 0
 * or 1. Inside the caller's transaction. */
int bl_store_disruption_withdraw_message(struct bl_store *st, int64_t org, int64_t id,
                                         int64_t dis, int64_t *changes,
                                         struct bl_diag *d) BL_MUST_CHECK;

/* Adds a protection window of shop r->shop_id with an id from the allocator, batch 0; *id
 * gets it. Runs inside the caller's transaction. */
int bl_store_protection_add(struct bl_store *st, int64_t org, const struct bl_protection *r,
                            int64_t *id, struct bl_diag *d) BL_MUST_CHECK;

/* Org's protection windows by id, of the shop whose ext_id is shop (NULL: every shop). */
int bl_store_protection_list(struct bl_store *st, int64_t org, const char *shop,
                             bl_protection_fn fn, void *ctx, struct bl_diag *d) BL_MUST_CHECK;

#endif
