/* notify.h - the operators who get each cycle's digest, and what was delivered to them
 * (store family "notify": notify_target, digest_delivery). Strings in a record given to
 * a callback are valid during the callback only. */
#ifndef BL_STORE_NOTIFY_H
#define BL_STORE_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "ballast/store.h"

struct bl_notify_target {
    int64_t id;
    struct bl_str kind;    /* email | slack | feishu | dingtalk */
    struct bl_str address; /* e-mail address or webhook URL */
    struct bl_str secret;  /* signing secret (empty: none) */
    struct bl_str locale;  /* en | zh-CN */
    struct bl_str smtp_url, sender;
    int64_t created_at;
};

/* Adds a target (inside the caller's transaction); BL_EEXISTS when the organisation has
 * the same kind and address. */
int bl_store_notify_add(struct bl_store *st, int64_t org, const char *kind, const char *address,
                        const char *secret, const char *locale, const char *smtp_url,
                        const char *sender, int64_t now, int64_t *id,
                        struct bl_diag *d) BL_MUST_CHECK;
/* Removes target id; BL_ENOTFOUND when there is none. */
int bl_store_notify_remove(struct bl_store *st, int64_t org, int64_t id,
                           struct bl_diag *d) BL_MUST_CHECK;
typedef int (*bl_notify_target_fn)(void *ctx, const struct bl_notify_target *t);
int bl_store_notify_list(struct bl_store *st, int64_t org, bl_notify_target_fn fn, void *ctx,
                         struct bl_diag *d) BL_MUST_CHECK;

/* Whether the digest with key idem was delivered. */
int bl_store_digest_was_sent(struct bl_store *st, int64_t org, const char *idem, bool *sent,
                             struct bl_diag *d) BL_MUST_CHECK;
/* Records an attempt: state sent | failed (a failed one is tried again by the next run;
 * attempts counts them). */
int bl_store_digest_record(struct bl_store *st, int64_t org, int64_t cycle_id, int64_t target_id,
                           const char *idem, const char *state, const char *error, int64_t now,
                           struct bl_diag *d) BL_MUST_CHECK;

#endif
