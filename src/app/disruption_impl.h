/* disruption_impl.h - what the files of the disruption use cases share (internal to
 * src/app: disruption.c, disruption_history.c, disruption_impact.c). */
#ifndef BL_APP_DISRUPTION_IMPL_H
#define BL_APP_DISRUPTION_IMPL_H

#include "app/disruption.h"

/* Records in the history of disruption id what changed from b to a (b NULL: a was
 * declared), at `at`, by who. Inside the caller's transaction. */
int bl__dis_record(struct bl_store *st, int64_t org, int64_t id, int64_t at, const char *who,
                   const struct bl_disruption *b, const struct bl_disruption *a,
                   struct bl_diag *d) BL_MUST_CHECK;

/* The recompute hook of an edit or a lift: withdraws the unsent customer messages
 * (dates promised from a disruption's window) of orders b or a covers, so the next
 * `messages plan` or cycle writes them from the new window; *n: how many. Nothing when
 * only the note changed. Inside the caller's transaction. */
int bl__dis_withdraw(struct bl_store *st, int64_t org, int64_t id, const struct bl_disruption *b,
                     const struct bl_disruption *a, int64_t *n, struct bl_diag *d) BL_MUST_CHECK;

/* The English name of a region code's place ("BR-SP:013" -> "São Paulo"), or "" when
 * the ISO 3166 lists cannot tell. */
void bl__dis_place_name(const char *code, char *out, size_t cap);

/* A copy of item whose strings live in a. BL_ENOMEM. */
int bl__dis_item_copy(struct bl_arena *a, const struct bl_app_disruption_item *item,
                      struct bl_app_disruption_item *out) BL_MUST_CHECK;

#endif
