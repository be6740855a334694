/* ordblock.h - order blocks: the columns the assessment reads, packed at import.
 *
 * Each import batch also writes its new orders' assessment columns (id, shop, the
 * seven instants, who cancelled, ship-from, ship-to, channel, amount, currency) as
 * blocks of up to BL_ORDBLOCK_MAX orders with consecutive ids, in the same transaction
 * as the rows (table order_block). Loading a snapshot then reads a few large values
 * instead of one row per order; the rows stay the truth: orders no block covers, and
 * orders updated since their block was written (orders.stale), are read from them.
 *
 * This module is the codec only (pure: no I/O, no globals). Format, version 1,
 * little-endian:
 *
 *   "BOB1"  u32 n  i64 first_id                  header (16 bytes)
 *   u16 nregions, then each: u8 len, bytes       region dictionary (codes 1..n)
 *   u16 nchannels, then each: u8 len, bytes      channel dictionary (codes 1..n)
 *   u8 ncurrencies, then 3 bytes each            currency dictionary (codes 0..n-1)
 *   BL_OB__COUNT columns, in enum order, each: u8 width (1, 2, 4 or 8), i64 base,
 *   then n values of width bytes
 *
 * A value of width w < 8 is v - base, with all ones (0xff.., never a value)
 * meaning "none" (BL_NO_TIME for instants, 0 for dictionary columns). Width 8 stores
 * v itself. Dictionary columns hold codes: 0 = none, k = the k-th entry (1-based)
 * for regions and channels; currencies are 0-based. The encoder picks the smallest
 * width that holds each column's range, so a block of instants spanning months
 * takes 4 bytes an instant; an order takes about 40 bytes.
 *
 * Ownership: struct bl_ordblock_enc is the caller's; init, then release. Parsed
 * blocks (struct bl_ordblock) point into the caller's bytes and own their
 * dictionary arrays: bl_ordblock_release.
 */
#ifndef BALLAST_ORDBLOCK_H
#define BALLAST_ORDBLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/err.h"
#include "ballast/map.h"
#include "ballast/str.h"

#define BL_ORDBLOCK_MAX 65536 /* orders in a block */

/* The columns, in their order in a block. */
enum bl_ob_col {
    BL_OB_SHOP,      /* the store's shop id */
    BL_OB_PLACED,
    BL_OB_SHIP_BY,   /* instants: epoch seconds, or BL_NO_TIME */
    BL_OB_SHIPPED,
    BL_OB_PICKED_UP,
    BL_OB_DELIVERED,
    BL_OB_PROMISED,
    BL_OB_CANCELLED,
    BL_OB_CANCEL_BY, /* enum bl_cancel_by */
    BL_OB_AMOUNT,    /* minor units of the currency */
    BL_OB_FROM,      /* region code: 0 none, 1..nregions */
    BL_OB_TO,
    BL_OB_CHANNEL,   /* channel code: 0 none, 1..nchannels */
    BL_OB_CURRENCY,  /* currency code: 0..ncurrencies-1 */
    BL_OB__COUNT
};

/* One order as the encoder takes it (texts are copied). */
struct bl_ordblock_row {
    int64_t id, shop;
    int64_t placed, ship_by, shipped, picked_up, delivered, promised, cancelled;
    int64_t cancel_by, amount;
    struct bl_str from, to, channel; /* empty: none */
    const char *currency;            /* 3 letters */
};

/* What the order_block row records beside the bytes, for skipping blocks: the
 * range of placed_at, and the range of each order's key = the latest of placed_at,
 * ship_by and promised_at (an order can matter to a window (since, until] only if
 * placed <= until and key > since). */
struct bl_ordblock_meta {
    int64_t first_id, n;
    int64_t placed_lo, placed_hi, key_lo, key_hi;
};

struct bl_ordblock_enc {
    size_t max; /* orders a block takes: BL_ORDBLOCK_MAX unless lowered (tests) */
    size_t n;
    int64_t first_id;
    int64_t *col[BL_OB__COUNT]; /* BL_ORDBLOCK_MAX values each */
    struct bl_arena arena;      /* dictionary texts */
    struct bl_map regions, channels;
    struct bl_str *region_name, *channel_name; /* code - 1 -> text */
    char currency[255][3];
    size_t nregions, nchannels, ncurrencies;
};

int bl_ordblock_enc_init(struct bl_ordblock_enc *e) BL_MUST_CHECK;
void bl_ordblock_enc_release(struct bl_ordblock_enc *e);

/* Whether r can join the block: it has room, r->id follows the last id, and the
 * dictionaries have room. When not, finish the block first. */
bool bl_ordblock_enc_accepts(const struct bl_ordblock_enc *e, const struct bl_ordblock_row *r);
/* Adds r (the caller checked accepts). BL_ENOMEM, or BL_EINVAL when it does not fit
 * or a text is longer than 255 bytes. */
int bl_ordblock_enc_add(struct bl_ordblock_enc *e, const struct bl_ordblock_row *r) BL_MUST_CHECK;
/* Writes the block into out (reset first) and its meta, and empties the encoder
 * for the next block. BL_EINVAL when the encoder is empty. */
int bl_ordblock_enc_finish(struct bl_ordblock_enc *e, struct bl_buf *out,
                           struct bl_ordblock_meta *m) BL_MUST_CHECK;

/* A parsed block: checked for structure, views into the bytes given. */
struct bl_ordblock {
    size_t n;
    int64_t first_id;
    size_t nregions, nchannels, ncurrencies;
    struct bl_str *region, *channel; /* code - 1 -> text (bl_malloc'd arrays) */
    const char *currency;            /* ncurrencies * 3 bytes */
    struct {
        unsigned width;
        int64_t base;
        const unsigned char *data;
    } col[BL_OB__COUNT];
};

/* Parses len bytes at p. BL_EPARSE (with d saying what is wrong) when the bytes are
 * not a well-formed block; BL_EUNSUPPORTED for another version. On success release
 * with bl_ordblock_release; on failure nothing is held. */
int bl_ordblock_parse(const void *p, size_t len, struct bl_ordblock *b,
                      struct bl_diag *d) BL_MUST_CHECK;
void bl_ordblock_release(struct bl_ordblock *b);

/* Decodes column c into out[0..n): instants and amounts as values (BL_NO_TIME for
 * none), dictionary columns as codes. BL_EPARSE when a code is past its dictionary
 * or a cancel_by is unknown. */
int bl_ordblock_column(const struct bl_ordblock *b, enum bl_ob_col c, int64_t *out,
                       struct bl_diag *d) BL_MUST_CHECK;

#endif
