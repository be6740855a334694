/* hook.h - outgoing webhooks as stored (store family "hook": tables webhook, hook_event,
 * hook_delivery; schema.c, m_hook). Every query filters by org_id.
 *
 * Ownership: strings given to the store are borrowed for the call; rows handed to a
 * callback are valid during the call only. */
#ifndef BL_STORE_HOOK_H
#define BL_STORE_HOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/store.h"

/* A subscriber with what became of its deliveries. */
struct bl_webhook_row {
    int64_t id;
    struct bl_str url, events, secret; /* secret: sealed (ballast/hook.h) */
    int64_t created_at;
    int64_t pending, delivered, failed; /* deliveries in each state */
    int64_t last_at;                    /* the last attempt (0: none) */
    int64_t last_status;                /* its HTTP status (0: none came) */
    struct bl_str last_error;           /* its error ("" when it was delivered) */
};
typedef int (*bl_webhook_fn)(void *ctx, const struct bl_webhook_row *w);

/* Adds subscriber id (allocated by the caller, "webhook", in the same transaction). */
int bl_store_webhook_add(struct bl_store *st, int64_t org, int64_t id, const char *url,
                         const char *events, const char *sealed, int64_t now,
                         struct bl_diag *d) BL_MUST_CHECK;
/* The active subscriber with this URL: *id (0: none). */
int bl_store_webhook_find(struct bl_store *st, int64_t org, const char *url, int64_t *id,
                          struct bl_diag *d) BL_MUST_CHECK;
/* The active subscribers by id (id 0: all, else that one only). */
int bl_store_webhook_list(struct bl_store *st, int64_t org, int64_t id, bl_webhook_fn fn, void *ctx,
                          struct bl_diag *d) BL_MUST_CHECK;
/* Removes subscriber id (its pending deliveries cancelled): *changed whether it was active. */
int bl_store_webhook_remove(struct bl_store *st, int64_t org, int64_t id, int64_t now,
                            bool *changed, struct bl_diag *d) BL_MUST_CHECK;

/* Raises event id (allocated by the caller, "hook_event") of type with data (JSON text),
 * and a pending delivery to every active subscriber of that type (only: that subscriber
 * alone, whatever it subscribed to; 0: by subscription). A dedup key org has raised
 * already raises nothing: *raised false; the key is kept in hook_dedup, which retention
 * does not prune, so that holds after the event itself is gone. Inside the caller's
 * transaction. */
int bl_store_hook_raise(struct bl_store *st, int64_t org, int64_t id, const char *type,
                        struct bl_str data, const char *dedup, int64_t now, int64_t only,
                        bool *raised, struct bl_diag *d) BL_MUST_CHECK;
/* Whether org has raised dedup already (ever: hook_dedup). */
int bl_store_hook_seen(struct bl_store *st, int64_t org, const char *dedup, bool *seen,
                       struct bl_diag *d) BL_MUST_CHECK;

/* A delivery to make: the event, the subscriber, the organisation's name. */
struct bl_hook_job {
    int64_t event_id, webhook_id, attempts, created_at;
    struct bl_str type, data, url, secret, org_name;
};
typedef int (*bl_hook_job_fn)(void *ctx, const struct bl_hook_job *j);

/* Up to limit (event, subscriber) pairs pending, due at now and not claimed (or their
 * claim expired), oldest first: fn(ctx, event_id, webhook_id). */
int bl_store_hook_due(struct bl_store *st, int64_t org, int64_t now, int64_t limit,
                      int (*fn)(void *ctx, int64_t event_id, int64_t webhook_id), void *ctx,
                      struct bl_diag *d) BL_MUST_CHECK;
/* Claims a due delivery until `until` with claim: *got whether this call did (another
 * worker's claim wins otherwise). */
int bl_store_hook_claim(struct bl_store *st, int64_t org, int64_t event_id, int64_t webhook_id,
                        int64_t now, int64_t until, int64_t claim, bool *got,
                        struct bl_diag *d) BL_MUST_CHECK;
/* The claimed delivery's event and subscriber: fn called once. */
int bl_store_hook_job(struct bl_store *st, int64_t org, int64_t event_id, int64_t webhook_id,
                      bl_hook_job_fn fn, void *ctx, struct bl_diag *d) BL_MUST_CHECK;

/* An attempt's outcome, written if claim still holds the delivery and it is still pending
 * (a subscriber removed meanwhile keeps its deliveries cancelled). */
struct bl_hook_outcome {
    const char *state; /* pending (tried again at next_at) | delivered | failed */
    int64_t attempts, next_at, status, at;
    const char *error; /* NULL when delivered */
};
int bl_store_hook_done(struct bl_store *st, int64_t org, int64_t event_id, int64_t webhook_id,
                       int64_t claim, const struct bl_hook_outcome *o,
                       struct bl_diag *d) BL_MUST_CHECK;

/* Deliveries of org pending and failed (for /metrics). */
int bl_store_hook_depth(struct bl_store *st, int64_t org, int64_t *pending, int64_t *failed,
                        struct bl_diag *d) BL_MUST_CHECK;

/* ---- what the events say, read from the tables of the change (hook_reads.c) ---- */

/* A stock alert at day as_of that the latest earlier day's alerts did not have. */
struct bl_hook_alert {
    int64_t sku_id, value;
    struct bl_str kind, sku, sku_name, message;
};
int bl_store_hook_new_alerts(struct bl_store *st, int64_t org, int64_t as_of,
                             int (*fn)(void *ctx, const struct bl_hook_alert *a), void *ctx,
                             struct bl_diag *d) BL_MUST_CHECK;

/* A playbook action with its target's id and name. */
struct bl_hook_action {
    struct bl_str kind, target, target_ext, target_name, field, reason;
    int64_t before, after, as_of, applied_at; /* applied_at 0: not applied */
};
int bl_store_hook_action(struct bl_store *st, int64_t org, int64_t id,
                         int (*fn)(void *ctx, const struct bl_hook_action *a), void *ctx,
                         struct bl_diag *d) BL_MUST_CHECK;

/* A shop's stored result of (profile, window, as_of) with the latest earlier one's. */
struct bl_hook_rating {
    int64_t shop_id, score_x100, prev_as_of, prev_score_x100; /* score -1: none */
    struct bl_str shop, name, rating, failing, prev_rating;
};
int bl_store_hook_ratings(struct bl_store *st, int64_t org, const char *profile, int window,
                          int64_t as_of, int (*fn)(void *ctx, const struct bl_hook_rating *r),
                          void *ctx, struct bl_diag *d) BL_MUST_CHECK;

#endif
