/* message.h - the outbox, typed (store family "message"): messages, the approval
 * policy, and what planning, sending and shop banners read (open orders with their
 * customer, active disruptions, stock-outs, coupons, shops).
 *
 * Ownership: loaders fill arrays the caller frees with bl_free; their strings come
 * from the caller's arena (NULL where the column is NULL unless said otherwise).
 * Strings passed in are borrowed for the call. Writers run inside the caller's
 * transaction where they say so. */
#ifndef BL_STORE_MESSAGE_H
#define BL_STORE_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/cover.h"
#include "ballast/notify.h"
#include "ballast/store.h"

/* An order placed by as_of, neither cancelled nor delivered as of then (one cancelled
 * at a time the data does not give counts as cancelled). */
struct bl_msg_order {
    int64_t id, shop_id;
    int64_t ship_by, promised; /* BL_NO_TIME: none */
    int64_t shipped;           /* shipped (else picked up) by as_of, else BL_NO_TIME */
    const char *ext, *shop_ext, *shop_name, *tz, *customer, *locale, *from, *to, *channel;
    const char *cust_name, *email; /* from the customer table, or NULL */
};

int bl_store_message_orders(struct bl_store *st, int64_t org, int64_t as_of, struct bl_arena *a,
                            struct bl_msg_order **out, size_t *n, struct bl_diag *d) BL_MUST_CHECK;

/* A disruption active at as_of, by id. */
struct bl_msg_disruption {
    int64_t id;
    const char *kind, *note;
    struct bl_cover_disruption cover; /* ends: min(ends_at, lifted_at) */
};

int bl_store_message_disruptions(struct bl_store *st, int64_t org, int64_t as_of,
                                 struct bl_arena *a, struct bl_msg_disruption **out, size_t *n,
                                 struct bl_diag *d) BL_MUST_CHECK;

/* Order lines that want more than their SKU has available, by order and line, of
 * orders not delivered by as_of; eta: the SKU's next open inbound after as_of, else
 * BL_NO_TIME. Reads the organisation's orders once and the lines of the undelivered
 * ones (by order_line's primary key), not every order line. */
struct bl_msg_short {
    int64_t order_id, eta;
    const char *sku_name;
};

int bl_store_message_shortages(struct bl_store *st, int64_t org, int64_t as_of,
                               struct bl_arena *a, struct bl_msg_short **out, size_t *n,
                               struct bl_diag *d) BL_MUST_CHECK;
/* Its SQL (parameters: org, as_of; the same text on both stores), for the test that
 * checks its access path. */
const char *bl__msg_shortage_sql(const struct bl_store *st);

/* Coupons issued as of as_of. */
struct bl_msg_coupon {
    int64_t order_id, amount;
    const char *currency;
    int64_t at; /* the as-of it was issued for */
};

int bl_store_message_coupons(struct bl_store *st, int64_t org, int64_t as_of, struct bl_arena *a,
                             struct bl_msg_coupon **out, size_t *n,
                             struct bl_diag *d) BL_MUST_CHECK;

/* What the outbox holds: per message its order (0: a campaign), kind, covers ("" when
 * none) and key. */
struct bl_msg_prior {
    int64_t order_id;
    const char *kind, *covers, *idem;
    bool held; /* held: the next plan renders it again */
};

int bl_store_message_priors(struct bl_store *st, int64_t org, struct bl_arena *a,
                            struct bl_msg_prior **out, size_t *n,
                            struct bl_diag *d) BL_MUST_CHECK;

/* A new message for the outbox. */
struct bl_msg_new {
    const char *idem, *kind;
    int64_t order_id; /* 0: none (a campaign) */
    int64_t shop_id;
    const char *customer, *locale, *channel, *recipient, *subject, *body;
    const char *covers; /* NULL: none */
    const char *hold;   /* NULL or "": none; else held, with these reasons */
    bool approval;      /* planned (waits for a person), else approved at created_at */
    int64_t as_of, created_at, cycle_id;
};

enum bl_msg_added {
    BL_MSG_ALREADY = 0, /* its key is in the outbox, not held: left as it is */
    BL_MSG_ADDED,       /* a new message */
    BL_MSG_REDONE,      /* its key was held: rendered again (subject, body, recipient,
                           state and reasons replaced) */
};

/* Adds the n messages m unless their key is in the outbox, with ids from the allocator
 * in the order given (reserved at once); a held message of the same key is replaced
 * (subject, body, recipient, state, reasons); a key given twice is added once. added[i]
 * says what became of m[i] (a key a concurrent run added first: BL_MSG_ALREADY). Inside
 * the caller's transaction. A constant number of statements per few hundred messages
 * (the keys looked up together, the new ones inserted many rows a statement), plus one
 * per held message rendered again. */
int bl_store_message_add_all(struct bl_store *st, int64_t org, const struct bl_msg_new *m,
                             size_t n, enum bl_msg_added *added,
                             struct bl_diag *d) BL_MUST_CHECK;

/* A message as listed and shown. Times BL_NO_TIME when NULL. */
struct bl_msg_row {
    int64_t id, attempts;
    const char *state, *kind, *order, *shop, *customer, *locale, *channel, *recipient,
        *subject, *last_error, *idem, *body, *covers; /* order, shop: as the shop knows them */
    int64_t next_attempt_at, created_at, approved_at, sent_at, as_of;
    const char *hold; /* held: the reasons */
    int64_t rejected_at;                      /* rejected: when (else BL_NO_TIME) */
    const char *rejected_by, *reject_reason; /* rejected: who (NULL: unknown), why */
};

/* Which messages to list: by state, kind and shop (its external id; "" or NULL: any),
 * by id (0: any), created in [from, to) (BL_NO_TIME: unbounded), with an id after
 * `after`; at most limit (0: all). */
struct bl_msg_list_q {
    const char *state, *kind, *shop;
    int64_t id, from, to, after, limit;
};

/* Messages by id, as q says. */
int bl_store_message_list(struct bl_store *st, int64_t org, const struct bl_msg_list_q *q,
                          struct bl_arena *a, struct bl_msg_row **out, size_t *n,
                          struct bl_diag *d) BL_MUST_CHECK;

/* Approves planned messages (id 0: all; kind "" or NULL: any) at now; *changes counts. */
int bl_store_message_approve(struct bl_store *st, int64_t org, int64_t id, const char *kind,
                             int64_t now, int64_t *changes, struct bl_diag *d) BL_MUST_CHECK;
/* Rejects message id if it waits for approval or is held (state rejected: never sent),
 * with who (NULL: unknown) and why; *changes 1 when it did. */
int bl_store_message_reject(struct bl_store *st, int64_t org, int64_t id, int64_t now,
                            const char *by, const char *reason, int64_t *changes,
                            struct bl_diag *d) BL_MUST_CHECK;
int bl_store_message_exists(struct bl_store *st, int64_t org, int64_t id, bool *exists,
                            struct bl_diag *d) BL_MUST_CHECK;

/* ---- sending ---- */

/* A message due for sending; strings "" for NULL. */
struct bl_msg_due {
    int64_t id, attempts, created_at;
    const char *idem, *kind, *order, *shop, *shop_name, *customer, *locale, *recipient,
        *subject, *body, *state;
    const char *sender, *sender_name; /* the shop's settings ("" when not set) */
};

struct bl_msg_due_q {
    int64_t now, max_attempts, stale_before, id, limit;
    const char *kind; /* NULL or "": any */
};

/* Approved messages, failed ones whose retry time has come (fewer than max_attempts),
 * and ones left `sending` since before stale_before; by id, at most limit. A
 * promo_code waits while a pause_mail action is applied on a SKU its customer
 * ordered. */
int bl_store_message_due(struct bl_store *st, int64_t org, const struct bl_msg_due_q *q,
                         struct bl_arena *a, struct bl_msg_due **out, size_t *n,
                         struct bl_diag *d) BL_MUST_CHECK;

/* Claims m (state sending, attempts + 1, channel) if still in the state and attempt
 * count read. Its own statement (committed when no transaction is open). */
int bl_store_message_claim(struct bl_store *st, int64_t org, const struct bl_msg_due *m,
                           const char *channel, int64_t now, bool *got,
                           struct bl_diag *d) BL_MUST_CHECK;

/* Marks a claimed message sent (sent_at now) or failed (next_attempt_at retry_at),
 * with note as last_error (NULL: none). */
int bl_store_message_finish(struct bl_store *st, int64_t org, int64_t id, bool sent,
                            const char *note, int64_t now, int64_t retry_at,
                            struct bl_diag *d) BL_MUST_CHECK;

/* Holds a message that may not leave (state held, reasons hold), from any state but
 * sent. Its own statement. */
int bl_store_message_hold(struct bl_store *st, int64_t org, int64_t id, const char *hold,
                          struct bl_diag *d) BL_MUST_CHECK;

/* What waits: per shop (its external id) and per held reasons text ("" for messages
 * waiting for approval), how many messages are planned or held. */
struct bl_msg_waiting {
    const char *shop, *hold; /* hold: "" for planned */
    int64_t n;
};

int bl_store_message_waiting(struct bl_store *st, int64_t org, struct bl_arena *a,
                             struct bl_msg_waiting **out, size_t *n,
                             struct bl_diag *d) BL_MUST_CHECK;

/* ---- shop settings and auto-send (message_settings.c) ---- */

/* A shop with what its messages need: its settings (NULL: not set), its platform and
 * rule profile. */
struct bl_msg_shop_set {
    int64_t id;
    const char *ext, *name, *platform, *profile;
    const char *set[BL_SET__COUNT]; /* BL_SET_SENDER: the address */
    const char *sender_name;
    int64_t updated_at;             /* BL_NO_TIME: never set */
};

/* Every shop of org, by id. */
int bl_store_shop_settings(struct bl_store *st, int64_t org, struct bl_arena *a,
                           struct bl_msg_shop_set **out, size_t *n,
                           struct bl_diag *d) BL_MUST_CHECK;

/* Writes the settings of shop s->id as given (NULL: not set), stamped now. */
int bl_store_shop_settings_put(struct bl_store *st, int64_t org, const struct bl_msg_shop_set *s,
                               int64_t now, struct bl_diag *d) BL_MUST_CHECK;

/* An auto-send opt-in: shop_id 0 (shop NULL) is every shop of the organisation. */
struct bl_msg_auto {
    int64_t shop_id;
    const char *shop, *kind;
};

int bl_store_message_auto(struct bl_store *st, int64_t org, struct bl_arena *a,
                          struct bl_msg_auto **out, size_t *n, struct bl_diag *d) BL_MUST_CHECK;
/* Opts shop_id (0: every shop) in to auto-send for kind (on), or back out. */
int bl_store_message_auto_set(struct bl_store *st, int64_t org, int64_t shop_id, const char *kind,
                              bool on, int64_t now, struct bl_diag *d) BL_MUST_CHECK;

/* ---- banners ---- */

struct bl_msg_shop {
    int64_t id;
    const char *ext, *name, *tz, *from; /* from: "" when none */
};

/* The shops by external id. */
int bl_store_message_shops(struct bl_store *st, int64_t org, struct bl_arena *a,
                           struct bl_msg_shop **out, size_t *n, struct bl_diag *d) BL_MUST_CHECK;
/* Every (shop, channel) pair the organisation's orders use, in one scan: *shop_ids and
 * *channels parallel, *n pairs (caller frees both arrays with bl_free and the strings
 * with the arena a). */
int bl_store_message_channel_shops(struct bl_store *st, int64_t org, struct bl_arena *a,
                                   int64_t **shop_ids, const char ***channels, size_t *n,
                                   struct bl_diag *d) BL_MUST_CHECK;
/* Transit days over the channels, handling days over the SKUs; left as they are when
 * there are none. */
int bl_store_message_ranges(struct bl_store *st, int64_t org, int64_t transit[2],
                            int64_t handling[2], struct bl_diag *d) BL_MUST_CHECK;

#endif
