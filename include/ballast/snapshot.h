/* snapshot.h - one organisation's orders, shops, disruptions and protections,
 * loaded from a store into the arrays the engine reads (assess.h).
 *
 * The shell loads a snapshot, calls the pure engine on it and writes results;
 * the engine never sees the store. Orders are held column by column (about 100
 * bytes an order), grouped by shop and in id order within a shop (so a pass
 * keeps one shop's counters hot); regions are interned into one trie, channel
 * names into indexes. Shops are indexed 0..nshops-1 in store-id order.
 *
 * Ownership: bl_snapshot_load fills the caller's struct; everything it points
 * to is owned by the snapshot; free with bl_snapshot_free (safe on a zeroed or
 * half-loaded snapshot).
 */
#ifndef BALLAST_SNAPSHOT_H
#define BALLAST_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/assess.h"
#include "ballast/map.h"
#include "ballast/region.h"
#include "ballast/store.h"

struct bl_snap_shop {
    int64_t id;          /* the store's id */
    const char *ext;     /* the user's id */
    char currency[4];
    int64_t deposit;     /* initial deposit, minor units of currency */
    const char *profile; /* the shop's rule profile name */
    bool platform;       /* fulfilment = platform: its orders are, unless they say not */
};

struct bl_snapshot {
    struct bl_arena arena;
    struct bl_regions *regions;
    struct bl_map channels; /* channel ext id -> index */
    const char **chan_name; /* index -> channel ext id (in the arena) */
    size_t nchan, chan_cap;

    struct bl_snap_shop *shops;
    size_t nshops;

    struct bl_assess_orders orders; /* views into the arrays below */
    size_t cap;
    int64_t *order_id; /* the store's id of each order */
    int64_t *amount;   /* minor units of currency[cur[i]] */
    uint8_t *cur;      /* index into currencies */
    char currencies[256][4];
    size_t ncurrencies;
    uint32_t *shop, *from, *to;
    int64_t *placed, *ship_by, *shipped, *picked_up, *delivered, *promised, *cancelled;
    uint8_t *cancel_by;
    uint8_t *platform;  /* 1: fulfilled by the platform (the order's or its shop's) */
    int32_t *channel;
    size_t *shop_off;   /* nshops + 1: shop s's orders are [shop_off[s], shop_off[s+1]) */
    int64_t *by_id;     /* the order ids, ascending ... */
    uint32_t *by_id_at; /* ... and where each is in the columns (bl_snapshot_order) */

    struct bl_assess_disruption *dis;
    size_t ndis;
    struct bl_assess_protection *prot;
    size_t nprot;
};

/* Loads org's shops, orders, disruptions and protections. Orders are limited to
 * those that can matter for judgements in (since, until]: placed at or before
 * `until`, and placed, promised to ship or promised to arrive after `since`
 * (since = INT64_MIN: every order). On failure the snapshot is freed and d says
 * what went wrong. */
int bl_snapshot_load(struct bl_store *st, int64_t org, int64_t since, int64_t until,
                     struct bl_snapshot *out, struct bl_diag *d) BL_MUST_CHECK;
void bl_snapshot_free(struct bl_snapshot *s);

/* The index in the columns of the order with store id `id`, or -1. */
int64_t bl_snapshot_order(const struct bl_snapshot *s, int64_t id);

/* The shop index of a store shop id, or -1. */
int64_t bl_snapshot_shop_index(const struct bl_snapshot *s, int64_t shop_id);
/* The shop index of an external shop id, or -1. */
int64_t bl_snapshot_shop_by_ext(const struct bl_snapshot *s, const char *ext);

#endif
