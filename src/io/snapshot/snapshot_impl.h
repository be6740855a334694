/* snapshot_impl.h - what snapshot.c (rows, grouping) and snapshot_blocks.c (order
 * blocks) share. Internal to src/io/snapshot. */
#ifndef BL_IO_SNAPSHOT_IMPL_H
#define BL_IO_SNAPSHOT_IMPL_H

#include "ballast/snapshot.h"

#define BL__REGION_MEMO 512

struct bl__region_memo_entry {
    uint8_t len; /* 0: empty */
    char code[BL_REGION_MAX];
    uint32_t id;
};

/* One loader: the snapshot it fills, where errors go, and the shop index. */
struct bl__load {
    struct bl__region_memo_entry memo[BL__REGION_MEMO];
    struct bl_snapshot *s;
    struct bl_diag *d;
    int rc;
    int64_t *shop_index; /* store shop id -> index; size max_shop_id + 1 */
    uint8_t *shop_platform; /* by shop index: 1 when the shop's fulfilment is platform */
    int64_t max_shop_id;
};

/* The snapshot's index of store shop id sid, or -1 when the store has no such shop. */
static inline int64_t bl__snap_shop(const struct bl__load *l, int64_t sid)
{
    return sid < 0 || sid > l->max_shop_id ? -1 : l->shop_index[sid];
}

/* Makes room for at least `need` orders in every column (doubling). */
int bl__snap_reserve(struct bl_snapshot *s, size_t need) BL_MUST_CHECK;
/* The index of a currency code in s->currencies (adding it). BL_ETOOBIG past 256. */
int bl__snap_currency(struct bl_snapshot *s, struct bl_str code, uint8_t *out) BL_MUST_CHECK;
/* The index of a channel name in s (adding it). BL_ENOMEM. */
int bl__snap_channel(struct bl_snapshot *s, struct bl_str name, int32_t *out) BL_MUST_CHECK;

/* Appends the rows of the orders with lo < id <= hi that can matter for (since,
 * until], in id order. */
int bl__snap_rows(struct bl__load *l, struct bl_store *st, int64_t org, int64_t since,
                  int64_t until, int64_t lo, int64_t hi) BL_MUST_CHECK;

/* Appends the rows changed after their block was written (orders.stale) whose ids
 * the blocks (first[k], n[k]; ascending) cover and that can matter for (since, until],
 * in id order. */
int bl__snap_rows_stale(struct bl__load *l, struct bl_store *st, int64_t org, int64_t since,
                        int64_t until, const int64_t *first, const int64_t *n,
                        size_t nblocks) BL_MUST_CHECK;
/* Columns [0, m) and [m, n) each in id order: merges them into one id order. */
int bl__snap_merge_tail(struct bl_snapshot *s, size_t m) BL_MUST_CHECK;

/* Appends the orders with ids lo..hi from the order blocks, and from rows where no
 * block covers them (snapshot_blocks.c). *used is false when the organisation has no
 * block at all (the caller reads rows). split_min: from this many orders, blocks are
 * read on two connections. */
int bl__snap_blocks(struct bl__load *l, struct bl_store *st, int64_t org, int64_t since,
                    int64_t until, int64_t lo, int64_t hi, int64_t split_min,
                    bool *used) BL_MUST_CHECK;

#endif
