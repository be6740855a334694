/* order_compact.c - order blocks rewritten once many of their orders changed.
 *
 * An update marks its row stale and leaves the order block as it was; the snapshot
 * loader reads stale rows instead of their block's copy (docs/internals/ordblock.md).
 * That is the cheap way for a few scattered updates. Orders change mostly in their
 * first days, so a day's updates crowd into the newest blocks: once an eighth of a
 * block is stale, reading its stale rows at every assessment costs more than writing
 * the block again once. The batch that tips a block over does so, in its own
 * transaction: the block is encoded again from its rows (the truth), and its orders
 * are no longer stale, except those fulfilled otherwise than their shop (the block has
 * no fulfilment column: their rows stay the ones read).
 */
#include <stdlib.h>
#include <string.h>

#include "io/import/import_impl.h"

struct blk {
    int64_t batch, seq, first, n, stale;
};

struct plan {
    struct blk *b;
    size_t n, cap;
    int rc;
};

static int blk_row(void *ctx, const struct bl_row *r)
{
    struct plan *p = ctx;
    if ((p->rc = bl_grow((void **)&p->b, &p->cap, p->n + 1, sizeof(*p->b))) != BL_OK)
        return 1;
    p->b[p->n++] = (struct blk){bl_row_int(r, 0), bl_row_int(r, 1), bl_row_int(r, 2),
                                bl_row_int(r, 3), 0};
    return 0;
}

/* Counts a stale id into its block (blocks by first id). */
static int stale_row(void *ctx, const struct bl_row *r)
{
    struct plan *p = ctx;
    int64_t id = bl_row_int(r, 0);
    size_t lo = 0, hi = p->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->b[mid].first <= id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo && id < p->b[lo - 1].first + p->b[lo - 1].n)
        p->b[lo - 1].stale++;
    return 0;
}

struct enc {
    struct bl_ordblock_enc *e;
    struct bl_diag *d;
    int rc;
};

static int64_t t_or_none(const struct bl_row *r, size_t c)
{
    return bl_row_int_or(r, c, BL__NONE);
}

static int enc_row(void *ctx, const struct bl_row *r)
{
    struct enc *x = ctx;
    int cb = 0; /* none; else bl__cancellers index + 1, as the import packs it */
    if (!bl_row_isnull(r, 9)) {
        struct bl_str by = bl_row_text(r, 9);
        cb = 4; /* unknown */
        for (int k = 0; bl__cancellers[k]; k++)
            if (bl_str_eq_c(by, bl__cancellers[k]))
                cb = k + 1;
    }
    char cur[4];
    bl_str_copy(cur, sizeof(cur), bl_row_text(r, 14));
    struct bl_ordblock_row o = {
        .id = bl_row_int(r, 0),
        .shop = bl_row_int(r, 1),
        .placed = bl_row_int(r, 2),
        .ship_by = t_or_none(r, 3),
        .shipped = t_or_none(r, 4),
        .picked_up = t_or_none(r, 5),
        .delivered = t_or_none(r, 6),
        .promised = t_or_none(r, 7),
        .cancelled = t_or_none(r, 8),
        .cancel_by = cb,
        .amount = bl_row_int(r, 10),
        .from = bl_row_text(r, 11),
        .to = bl_row_text(r, 12),
        .channel = bl_row_text(r, 13),
        .currency = cur,
    };
    if (!bl_ordblock_enc_accepts(x->e, &o)) {
        x->rc = bl_diag_set(x->d, BL_ECONFLICT,
                            "rewriting an order block: order %lld does not fit it",
                            (long long)o.id);
        return 1;
    }
    if ((x->rc = bl_ordblock_enc_add(x->e, &o)) != BL_OK) {
        bl_diag_set(x->d, x->rc, "rewriting an order block: %s", bl_strerror(x->rc));
        return 1;
    }
    return 0;
}

/* Encodes block b again from its rows, stores it, and clears its rows' stale marks. */
static int rewrite(struct bl__imp *im, struct bl_ordblock_enc *e, struct bl_buf *bytes,
                   const struct blk *b)
{
    struct bl_val p[3] = {bl_val_int(im->org), bl_val_int(b->first),
                          bl_val_int(b->first + b->n)};
    struct enc x = {e, im->d, BL_OK};
    int rc = bl_store_query(im->st,
                            "SELECT id, shop_id, placed_at, ship_by, shipped_at, picked_up_at,"
                            " delivered_at, promised_at, cancelled_at, cancelled_by, amount,"
                            " COALESCE(ship_from, ''), COALESCE(ship_to, ''),"
                            " COALESCE(channel, ''), currency FROM orders"
                            " WHERE org_id = $1 AND id >= $2 AND id < $3 ORDER BY id",
                            p, 3, enc_row, &x, im->d);
    if (x.rc)
        return x.rc;
    if (rc)
        return rc < 0 ? rc : BL_ESTORE;
    if ((int64_t)e->n != b->n)
        return bl_diag_set(im->d, BL_ECONFLICT,
                           "rewriting order block %lld of batch %lld: %zu orders, not %lld",
                           (long long)b->seq, (long long)b->batch, e->n, (long long)b->n);
    struct bl_ordblock_meta m;
    TRY(bl_ordblock_enc_finish(e, bytes, &m));
    struct bl_val u[9] = {bl_val_int(im->org),        bl_val_int(b->batch),
                          bl_val_int(b->seq),         bl_val_int(m.placed_lo),
                          bl_val_int(m.placed_hi),    bl_val_int(m.key_lo),
                          bl_val_int(m.key_hi),       bl_val_blob(bytes->ptr, bytes->len),
                          bl_val_int(b->first)};
    TRY(bl_store_exec(im->st,
                      "UPDATE order_block SET placed_lo = $4, placed_hi = $5, key_lo = $6,"
                      " key_hi = $7, data = $8 WHERE org_id = $1 AND batch_id = $2"
                      " AND seq = $3 AND first_id = $9",
                      u, 9, NULL, im->d));
    return bl_store_exec(im->st,
                         "UPDATE orders SET stale = NULL WHERE org_id = $1 AND id >= $2"
                         " AND id < $3 AND stale IS NOT NULL AND fulfilment IS NULL",
                         p, 3, NULL, im->d);
}

int bl__orders_compact(struct bl__imp *im)
{
    /* BALLAST_COMPACT=0 leaves every block as it is (the tests read stale rows so) */
    const char *env = getenv("BALLAST_COMPACT");
    if (env && strcmp(env, "0") == 0)
        return BL_OK;
    struct plan p;
    memset(&p, 0, sizeof(p));
    struct bl_val org = bl_val_int(im->org);
    int rc = bl_store_query(im->st,
                            "SELECT batch_id, seq, first_id, n FROM order_block"
                            " WHERE org_id = $1 ORDER BY first_id",
                            &org, 1, blk_row, &p, im->d);
    /* +org_id: through the partial index orders_stale (docs/internals/ordblock.md) */
    if (!rc && !p.rc && p.n)
        rc = bl_store_query(im->st,
                            "SELECT id FROM orders WHERE +org_id = $1 AND stale IS NOT NULL",
                            &org, 1, stale_row, &p, im->d);
    if (p.rc)
        rc = bl_diag_set(im->d, p.rc, "out of memory");
    struct bl_ordblock_enc e;
    struct bl_buf bytes = BL_BUF_INIT;
    bool have_enc = false;
    for (size_t k = 0; !rc && k < p.n; k++) {
        if (p.b[k].stale * 8 < p.b[k].n)
            continue;
        if (!have_enc) {
            if ((rc = bl_ordblock_enc_init(&e)) != BL_OK) {
                rc = bl_diag_set(im->d, rc, "out of memory");
                break;
            }
            e.max = BL_ORDBLOCK_MAX; /* the block's size, whatever wrote it */
            have_enc = true;
        }
        rc = rewrite(im, &e, &bytes, &p.b[k]);
    }
    if (have_enc)
        bl_ordblock_enc_release(&e);
    bl_buf_release(&bytes);
    bl_free(p.b);
    return rc;
}
