/* hook_impl.h - raising webhook events (internal to src/app; hook.h, hook_events.c).
 *
 * Each function is called by the use case whose change the event tells, inside that
 * change's transaction, after the change is written: it writes the event and its
 * deliveries (store/hook.h), or fails, and then the change is rolled back with it.
 * An organisation without subscribers still gets the event rows (the outbox is the log
 * of what happened), but no delivery. */
#ifndef BL_APP_HOOK_IMPL_H
#define BL_APP_HOOK_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "ballast/assess.h"
#include "ballast/store.h"
#include "store/disruption.h"
#include "store/message.h"

/* Raises an event of type with data (a JSON object, the reference taken; NULL: out of
 * memory): its id into *id (0 when dedup was raised already and nothing was). only: that
 * subscriber alone (0: every subscriber of type). */
int bl__hook_raise(struct bl_store *st, int64_t org, const char *type, void *data,
                   const char *dedup, int64_t now, int64_t only, int64_t *id,
                   struct bl_diag *d) BL_MUST_CHECK;

/* disruption.declared: disruption id, as declared (r), by whom (NULL: unknown). */
int bl__hook_disruption(struct bl_store *st, int64_t org, int64_t id, const struct bl_disruption *r,
                        const char *by, int64_t now, struct bl_diag *d) BL_MUST_CHECK;

/* message.needs_approval: the messages of a plan that were added waiting for a person
 * (m[i] with approval and no hold, added[i] BL_MSG_ADDED); one event per plan, none when
 * there are none. */
int bl__hook_messages(struct bl_store *st, int64_t org, const struct bl_msg_new *m,
                      const enum bl_msg_added *added, size_t n, int64_t now,
                      struct bl_diag *d) BL_MUST_CHECK;

/* alert.raised: each stock alert of day as_of (stored already) that the latest earlier
 * day did not have, once per (day, kind, SKU). */
int bl__hook_alerts(struct bl_store *st, int64_t org, int64_t as_of, int64_t now,
                    struct bl_diag *d) BL_MUST_CHECK;

/* action.applied: action id (stored already, applied). */
int bl__hook_action(struct bl_store *st, int64_t org, int64_t id, int64_t now,
                    struct bl_diag *d) BL_MUST_CHECK;

/* shop.rating_at_risk: each shop whose result of (p, window, as_of), stored already, is
 * in p's breach bands while its latest earlier result was not; once per (profile, shop,
 * as-of). */
int bl__hook_ratings(struct bl_store *st, int64_t org, const struct bl_profile *p, int window,
                     int64_t as_of, int64_t now, struct bl_diag *d) BL_MUST_CHECK;

#endif
