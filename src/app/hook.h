/* hook.h - outgoing webhooks, the use cases (docs/internals/webhooks.md): subscribers per
 * organisation, and the delivery of the event outbox.
 *
 * Events are raised by the use cases whose change they tell, in the same transaction
 * (hook_impl.h): a change without its event, or an event without its change, cannot be
 * stored. Each event is delivered to every subscriber of its type at least once: a
 * delivery is claimed for a lease (two workers never send it at the same time; one
 * that dies mid-send leaves it to the next after the lease), tried with exponential
 * backoff and jitter, and marked failed after max_attempts. The event id
 * ("evt_<org>_<n>") stays the same across retries: receivers deduplicate by it.
 *
 * Ownership: results own their memory (free with the _release functions, safe on a
 * zeroed result); the key is borrowed. */
#ifndef BL_APP_HOOK_H
#define BL_APP_HOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/hook.h"
#include "ballast/store.h"

/* The event types a subscriber may take, in this order; "ping" is sent by test only. */
enum bl_app_hook_type {
    BL_HOOK_ALERT_RAISED = 0,
    BL_HOOK_RATING_AT_RISK,
    BL_HOOK_DISRUPTION_DECLARED,
    BL_HOOK_MESSAGE_NEEDS_APPROVAL,
    BL_HOOK_ACTION_APPLIED,
    BL_HOOK__COUNT
};
extern const char *const bl_app_hook_types[BL_HOOK__COUNT];

/* "a,b" (types above, spaces around commas allowed), "all" or "*" into out as stored:
 * the types in the order above, comma-separated, or "*". BL_EINVAL naming an unknown
 * one. */
int bl_app_hook_events_parse(const char *text, char *out, size_t cap,
                             struct bl_diag *d) BL_MUST_CHECK;

enum bl_app_hook_reason {
    BL_APP_HOOK_OK = 0,
    BL_APP_HOOK_BAD_URL,    /* not http(s), credentials in it, ... (d says) */
    BL_APP_HOOK_BAD_EVENTS, /* an unknown type */
    BL_APP_HOOK_URL_TAKEN,  /* the organisation has a subscriber with that URL: other_id */
};

struct bl_app_webhook_add_req {
    const char *url, *events;
    const unsigned char *key; /* BL_HOOK_KEY_BYTES: seals the secret */
    int64_t now;              /* 0: bl_app_now() */
};
struct bl_app_webhook_add_res {
    int64_t id;
    char events[200];                /* as stored */
    char secret[BL_HOOK_SECRET_MAX]; /* "whsec_...": the one time it is given out */
    enum bl_app_hook_reason reason;
    int64_t other_id;
};
int bl_app_webhook_add(struct bl_store *st, int64_t org, const struct bl_app_webhook_add_req *req,
                       struct bl_app_webhook_add_res *res, struct bl_diag *d) BL_MUST_CHECK;

struct bl_app_webhook {
    int64_t id;
    const char *url, *events;
    int64_t created_at;
    int64_t pending, delivered, failed;
    int64_t last_at, last_status; /* 0: never tried, no status */
    const char *last_error;       /* "" when the last attempt delivered */
};
struct bl_app_webhook_list_res {
    struct bl_arena arena;
    struct bl_app_webhook *items;
    size_t n;
};
/* The organisation's subscribers (id 0), or subscriber id (BL_ENOTFOUND when none). */
int bl_app_webhook_list(struct bl_store *st, int64_t org, int64_t id,
                        struct bl_app_webhook_list_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_webhook_list_res_release(struct bl_app_webhook_list_res *res);

/* Removes subscriber id (its pending deliveries are cancelled). BL_ENOTFOUND: none. */
int bl_app_webhook_remove(struct bl_store *st, int64_t org, int64_t id, int64_t now,
                          struct bl_diag *d) BL_MUST_CHECK;

/* How deliveries are made. */
struct bl_app_hook_send {
    const unsigned char *key; /* opens the secrets */
    bool allow_private;       /* deliver to loopback/private addresses (self-hosted) */
    int64_t backoff_s;        /* the first retry's delay; 0: 30 s (doubled each attempt,
                                 at most 6 h, plus up to a quarter of jitter) */
    int64_t max_attempts;     /* then failed; 0: 12 */
    int64_t now;              /* 0: bl_app_now() */
};

struct bl_app_hook_deliver_res {
    int64_t delivered, retrying, failed; /* this pass */
    int64_t pending, failed_total;       /* the organisation's outbox after it */
};
/* Delivers up to limit of the organisation's due deliveries, one after the other. */
int bl_app_hook_deliver(struct bl_store *st, int64_t org, const struct bl_app_hook_send *s,
                        int64_t limit, struct bl_app_hook_deliver_res *res,
                        struct bl_diag *d) BL_MUST_CHECK;

struct bl_app_webhook_test_res {
    char event_id[64];
    bool delivered;
    int64_t status;  /* the HTTP status (0: none came) */
    char error[512]; /* why not, when not delivered (then retried like any event) */
};
/* Raises a "ping" event for subscriber id alone and delivers it at once. BL_ENOTFOUND:
 * no such subscriber. A failed ping is no error: res says why. */
int bl_app_webhook_test(struct bl_store *st, int64_t org, int64_t id,
                        const struct bl_app_hook_send *s, struct bl_app_webhook_test_res *res,
                        struct bl_diag *d) BL_MUST_CHECK;

/* The retry delay after `attempts` failed attempts (1..), before jitter. Pure. */
int64_t bl_app_hook_backoff(int64_t base_s, int64_t attempts);

#endif
