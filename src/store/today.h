/* today.h - what the Today summary counts (store family "today", read only): the outbox's
 * waiting messages by state and kind, the proposed actions, and the names of the shops
 * and SKUs it shows (src/app/today.c).
 *
 * Ownership: loaders fill arrays the caller frees with bl_free; their strings come from
 * the caller's arena. Strings passed in are borrowed for the call. */
#ifndef BL_STORE_TODAY_H
#define BL_STORE_TODAY_H

#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/store.h"

/* How many messages wait in a state ("planned" or "held") of a kind. */
struct bl_today_msgs {
    const char *state, *kind;
    int64_t n;
};

/* The planned and held messages counted by state and kind: the most first, then by kind. */
int bl_store_today_messages(struct bl_store *st, int64_t org, struct bl_arena *a,
                            struct bl_today_msgs **out, size_t *n, struct bl_diag *d) BL_MUST_CHECK;

/* How many actions are proposed (wait for a person). */
int bl_store_today_proposed(struct bl_store *st, int64_t org, int64_t *n,
                            struct bl_diag *d) BL_MUST_CHECK;

/* A name by external id (a shop's or a SKU's). */
struct bl_today_name {
    const char *ext, *name; /* name "" when it has none */
};

/* Every shop's name, in external id order. */
int bl_store_today_shop_names(struct bl_store *st, int64_t org, struct bl_arena *a,
                              struct bl_today_name **out, size_t *n,
                              struct bl_diag *d) BL_MUST_CHECK;

/* The name of SKU ext into a's memory (*name "" when it has none or there is no such SKU). */
int bl_store_today_sku_name(struct bl_store *st, int64_t org, const char *ext, struct bl_arena *a,
                            const char **name, struct bl_diag *d) BL_MUST_CHECK;

#endif
