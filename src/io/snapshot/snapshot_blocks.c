/* snapshot_blocks.c - a snapshot's orders from the order blocks (ordblock.h,
 * docs/internals/ordblock.md).
 *
 * The blocks' metadata says which ids each covers and the range of its orders'
 * instants, so blocks that cannot matter to the window are not read, and every
 * order's place in the columns is known before reading: big loads read the blocks on
 * two connections at once, each thread decoding into its own part of the columns.
 * A thread leaves region, channel and currency *codes* of its blocks' dictionaries
 * (copied); once both are done, this thread maps them into the snapshot's trie, map
 * and list, and drops the orders the window does not want, block by block in id
 * order. Ids no block covers are read from rows, between the blocks, on one thread.
 */
#include <pthread.h>
#include <string.h>

#include "io/snapshot/snapshot_impl.h"

#include "ballast/ordblock.h"

struct meta {
    int64_t batch, seq, first, n, placed_lo, placed_hi, key_lo, key_hi;
};

/* A block's dictionaries, copied out of its bytes (which live only during the
 * query's callback). */
struct dict {
    struct bl_str *region, *channel;
    size_t nregions, nchannels, ncurrencies;
    char currency[255 * 3];
};

struct plan {
    struct meta *m;
    size_t n, cap;
    int rc;
    size_t *at;        /* per block: where its orders go in the columns; SIZE_MAX: not read */
    struct dict *dict; /* per block read */
    int64_t *stale;    /* ids whose rows changed after their block was written, ascending */
    size_t nstale, stale_cap;
    int64_t *first, *len; /* per block: first id and count (bl__snap_rows_stale) */
};

static int stale_id(void *ctx, const struct bl_row *r)
{
    struct plan *p = ctx;
    if ((p->rc = bl_grow((void **)&p->stale, &p->stale_cap, p->nstale + 1,
                         sizeof(*p->stale))) != BL_OK)
        return 1;
    p->stale[p->nstale++] = bl_row_int(r, 0);
    return 0;
}

/* The first index in p->stale whose id is >= id. */
static size_t stale_from(const struct plan *p, int64_t id)
{
    size_t lo = 0, hi = p->nstale;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->stale[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int meta_row(void *ctx, const struct bl_row *r)
{
    struct plan *p = ctx;
    if ((p->rc = bl_grow((void **)&p->m, &p->cap, p->n + 1, sizeof(*p->m))) != BL_OK)
        return 1;
    struct meta *m = &p->m[p->n++];
    m->batch = bl_row_int(r, 0);
    m->seq = bl_row_int(r, 1);
    m->first = bl_row_int(r, 2);
    m->n = bl_row_int(r, 3);
    m->placed_lo = bl_row_int(r, 4);
    m->placed_hi = bl_row_int(r, 5);
    m->key_lo = bl_row_int(r, 6);
    m->key_hi = bl_row_int(r, 7);
    return 0;
}

/* One thread's share: blocks first, first + step, ... of the plan. */
struct reader {
    struct bl__load *l; /* the snapshot (columns written at disjoint places) and shops */
    struct plan *plan;
    struct bl_store *st;
    int64_t org;
    size_t first, step;
    struct bl_arena arena; /* the dictionaries' copies */
    int64_t *tmp;          /* BL_ORDBLOCK_MAX values */
    size_t k;              /* the block being read */
    struct bl_diag d;
    int rc;
};

static int copy_dict(struct reader *rd, const struct bl_ordblock *b, struct dict *x)
{
    x->nregions = b->nregions;
    x->nchannels = b->nchannels;
    x->ncurrencies = b->ncurrencies;
    memcpy(x->currency, b->currency, b->ncurrencies * 3);
    x->region = bl_arena_alloc(&rd->arena, (b->nregions + 1) * sizeof(struct bl_str));
    x->channel = bl_arena_alloc(&rd->arena, (b->nchannels + 1) * sizeof(struct bl_str));
    if (!x->region || !x->channel)
        return BL_ENOMEM;
    for (size_t k = 0; k < b->nregions; k++) {
        char *t = bl_arena_strndup(&rd->arena, b->region[k].ptr, b->region[k].len);
        if (!t)
            return BL_ENOMEM;
        x->region[k] = (struct bl_str){t, b->region[k].len};
    }
    for (size_t k = 0; k < b->nchannels; k++) {
        char *t = bl_arena_strndup(&rd->arena, b->channel[k].ptr, b->channel[k].len);
        if (!t)
            return BL_ENOMEM;
        x->channel[k] = (struct bl_str){t, b->channel[k].len};
    }
    return BL_OK;
}

/* Decodes a parsed block into the columns at `at`: values, shop indexes, ids, and
 * dictionary codes as they are (mapped later by map_block). */
static int decode(struct reader *rd, const struct bl_ordblock *b, size_t at)
{
    struct bl__load *l = rd->l;
    struct bl_snapshot *s = l->s;
    struct bl_diag *d = &rd->d;
    size_t n = b->n;
    int64_t *t = rd->tmp;
    struct {
        enum bl_ob_col c;
        int64_t *dst;
    } direct[] = {{BL_OB_PLACED, s->placed},       {BL_OB_SHIP_BY, s->ship_by},
                  {BL_OB_SHIPPED, s->shipped},     {BL_OB_PICKED_UP, s->picked_up},
                  {BL_OB_DELIVERED, s->delivered}, {BL_OB_PROMISED, s->promised},
                  {BL_OB_CANCELLED, s->cancelled}, {BL_OB_AMOUNT, s->amount}};
    int rc = BL_OK;
    for (size_t k = 0; !rc && k < sizeof(direct) / sizeof(direct[0]); k++)
        rc = bl_ordblock_column(b, direct[k].c, direct[k].dst + at, d);
    if (!rc && !(rc = bl_ordblock_column(b, BL_OB_SHOP, t, d))) {
        for (size_t i = 0; i < n; i++) {
            int64_t shop = bl__snap_shop(l, t[i]);
            if (shop < 0)
                return bl_diag_set(d, BL_ECONFLICT,
                                   "order %lld refers to a shop that is not in the store",
                                   (long long)(b->first_id + (int64_t)i));
            s->shop[at + i] = (uint32_t)shop;
            /* An order with its own fulfilment is written stale (order_sink.c), so a
             * block's orders are fulfilled as their shop says. */
            s->platform[at + i] = l->shop_platform[shop];
            s->order_id[at + i] = b->first_id + (int64_t)i;
        }
    }
    if (!rc && !(rc = bl_ordblock_column(b, BL_OB_CANCEL_BY, t, d)))
        for (size_t i = 0; i < n; i++)
            s->cancel_by[at + i] = (uint8_t)t[i];
    if (!rc && !(rc = bl_ordblock_column(b, BL_OB_FROM, t, d)))
        for (size_t i = 0; i < n; i++)
            s->from[at + i] = (uint32_t)t[i];
    if (!rc && !(rc = bl_ordblock_column(b, BL_OB_TO, t, d)))
        for (size_t i = 0; i < n; i++)
            s->to[at + i] = (uint32_t)t[i];
    if (!rc && !(rc = bl_ordblock_column(b, BL_OB_CHANNEL, t, d)))
        for (size_t i = 0; i < n; i++)
            s->channel[at + i] = (int32_t)t[i];
    if (!rc && !(rc = bl_ordblock_column(b, BL_OB_CURRENCY, t, d)))
        for (size_t i = 0; i < n; i++)
            s->cur[at + i] = (uint8_t)t[i];
    return rc;
}

static int block_row(void *ctx, const struct bl_row *r)
{
    struct reader *rd = ctx;
    const struct meta *m = &rd->plan->m[rd->k];
    struct bl_str bytes;
    struct bl_ordblock b;
    if ((rd->rc = bl_row_blob(r, 0, &bytes)) != BL_OK) {
        bl_diag_set(&rd->d, rd->rc, "out of memory");
        return 1;
    }
    if ((rd->rc = bl_ordblock_parse(bytes.ptr, bytes.len, &b, &rd->d)) != BL_OK)
        return 1;
    if (b.n != (size_t)m->n || b.first_id != m->first)
        rd->rc = bl_diag_set(&rd->d, BL_EPARSE,
                             "holds %zu orders from id %lld, its row says %lld from %lld", b.n,
                             (long long)b.first_id, (long long)m->n, (long long)m->first);
    if (!rd->rc && (rd->rc = copy_dict(rd, &b, &rd->plan->dict[rd->k])) != BL_OK)
        bl_diag_set(&rd->d, rd->rc, "out of memory");
    if (!rd->rc)
        rd->rc = decode(rd, &b, rd->plan->at[rd->k]);
    bl_ordblock_release(&b);
    return rd->rc ? 1 : 0;
}

/* Reads one block; on failure rd->d says what is wrong with which block. */
static int read_block(struct reader *rd)
{
    const struct meta *m = &rd->plan->m[rd->k];
    struct bl_val p[3] = {bl_val_int(rd->org), bl_val_int(m->batch), bl_val_int(m->seq)};
    int rc = bl_store_query(rd->st,
                            "SELECT data FROM order_block"
                            " WHERE org_id = $1 AND batch_id = $2 AND seq = $3",
                            p, 3, block_row, rd, &rd->d);
    if (rc == 1 || rd->rc)
        rc = rd->rc ? rd->rc : BL_ESTORE;
    else if (!rc && rd->plan->dict[rd->k].region == NULL)
        rc = bl_diag_set(&rd->d, BL_ENOTFOUND, "it is gone");
    if (rc) {
        char why[sizeof(rd->d.msg)];
        bl_str_copy(why, sizeof(why), bl_str_c(rd->d.msg));
        bl_diag_set(&rd->d, rc, "loading order block %lld of batch %lld: %s",
                    (long long)m->seq, (long long)m->batch, why);
    }
    return rc;
}

static void *reader_main(void *arg)
{
    struct reader *rd = arg;
    struct plan *p = rd->plan;
    for (size_t k = rd->first; !rd->rc && k < p->n; k += rd->step) {
        if (p->at[k] == SIZE_MAX)
            continue;
        rd->k = k;
        rd->rc = read_block(rd);
    }
    return NULL;
}

/* Maps block k's codes (n orders at `at`) to the snapshot's ids. */
static int map_block(struct bl__load *l, const struct dict *x, size_t at, size_t n)
{
    struct bl_snapshot *s = l->s;
    uint32_t *region = bl_malloc((x->nregions + 1) * sizeof(uint32_t));
    int32_t *channel = bl_malloc((x->nchannels + 1) * sizeof(int32_t));
    uint8_t currency[256];
    int rc = region && channel ? BL_OK : BL_ENOMEM;
    if (!rc) {
        region[0] = 0;
        channel[0] = -1;
    }
    for (size_t k = 0; !rc && k < x->nregions; k++)
        if ((rc = bl_regions_intern(s->regions, x->region[k], &region[k + 1])) != BL_OK)
            bl_diag_set(l->d, rc, "loading order blocks: region '%.*s' is not canonical",
                        (int)(x->region[k].len > 40 ? 40 : x->region[k].len), x->region[k].ptr);
    for (size_t k = 0; !rc && k < x->nchannels; k++)
        rc = bl__snap_channel(s, x->channel[k], &channel[k + 1]);
    for (size_t k = 0; !rc && k < x->ncurrencies; k++)
        rc = bl__snap_currency(s, (struct bl_str){x->currency + 3 * k, 3}, &currency[k]);
    if (!rc) {
        for (size_t i = at; i < at + n; i++) {
            s->from[i] = region[s->from[i]];
            s->to[i] = region[s->to[i]];
            s->channel[i] = channel[s->channel[i]];
            s->cur[i] = currency[s->cur[i]];
        }
    } else if (!l->d || l->d->code != rc) {
        bl_diag_set(l->d, rc, "loading order blocks: %s", bl_strerror(rc));
    }
    bl_free(region);
    bl_free(channel);
    return rc;
}

/* Moves the orders of [at, at + n) that can matter for (since, until] to w onward
 * (w <= at); returns the new end. */
static size_t keep(struct bl_snapshot *s, const struct plan *p, const struct meta *m, size_t w,
                   size_t at, size_t n, int64_t since, int64_t until)
{
    bool all = m->placed_hi <= until && m->key_lo > since;
    /* the block's orders whose rows changed since: read from their rows instead */
    size_t j = stale_from(p, m->first), jend = stale_from(p, m->first + m->n);
    for (size_t i = at; i < at + n; i++) {
        if (j < jend) {
            while (j < jend && p->stale[j] < s->order_id[i])
                j++;
            if (j < jend && p->stale[j] == s->order_id[i])
                continue;
        }
        if (!all) {
            int64_t key = s->placed[i];
            key = s->ship_by[i] > key ? s->ship_by[i] : key;
            key = s->promised[i] > key ? s->promised[i] : key;
            if (s->placed[i] > until || key <= since)
                continue;
        }
        if (w != i) {
            s->order_id[w] = s->order_id[i];
            s->amount[w] = s->amount[i];
            s->cur[w] = s->cur[i];
            s->shop[w] = s->shop[i];
            s->from[w] = s->from[i];
            s->to[w] = s->to[i];
            s->placed[w] = s->placed[i];
            s->ship_by[w] = s->ship_by[i];
            s->shipped[w] = s->shipped[i];
            s->picked_up[w] = s->picked_up[i];
            s->delivered[w] = s->delivered[i];
            s->promised[w] = s->promised[i];
            s->cancelled[w] = s->cancelled[i];
            s->cancel_by[w] = s->cancel_by[i];
            s->platform[w] = s->platform[i];
            s->channel[w] = s->channel[i];
        }
        w++;
    }
    return w;
}

static int reader_init(struct reader *rd, struct bl__load *l, struct plan *p,
                       struct bl_store *st, int64_t org, size_t first, size_t step)
{
    memset(rd, 0, sizeof(*rd));
    rd->l = l;
    rd->plan = p;
    rd->st = st;
    rd->org = org;
    rd->first = first;
    rd->step = step;
    bl_arena_init(&rd->arena, 1u << 14);
    bl_diag_clear(&rd->d);
    rd->tmp = bl_malloc(BL_ORDBLOCK_MAX * sizeof(int64_t));
    return rd->tmp ? BL_OK : BL_ENOMEM;
}

static void reader_release(struct reader *rd)
{
    bl_free(rd->tmp);
    bl_arena_release(&rd->arena);
}

/* Reads the planned blocks (every id covered by one) on two connections when there
 * are enough orders and a second connection opens, else on this one. */
static int read_all(struct bl__load *l, struct plan *p, struct bl_store *st, int64_t org,
                    int64_t since, int64_t until, size_t want, int64_t split_min)
{
    struct bl_store *st2 = NULL;
    struct bl_diag ignore;
    bool two = (int64_t)want >= split_min && bl_store_open_again(st, &st2, &ignore) == BL_OK;
    struct reader rd[2];
    int rc = reader_init(&rd[0], l, p, st, org, 0, two ? 2 : 1);
    int rc2 = two ? reader_init(&rd[1], l, p, st2, org, 1, 2) : BL_OK;
    if (rc || rc2) {
        rc = bl_diag_set(l->d, BL_ENOMEM, "loading order blocks: out of memory");
    } else {
        pthread_t t;
        bool threaded = two && pthread_create(&t, NULL, reader_main, &rd[1]) == 0;
        if (two && !threaded)
            reader_main(&rd[1]);
        reader_main(&rd[0]);
        if (threaded)
            pthread_join(t, NULL);
        for (int k = 0; !rc && k < (two ? 2 : 1); k++)
            if (rd[k].rc) {
                rc = rd[k].rc;
                *l->d = rd[k].d;
            }
    }
    /* The codes are mapped in block order (interning order decides the snapshot's
     * ids, so one and two connections give the same snapshot), then the orders the
     * window does not want are dropped. */
    size_t w = l->s->orders.n;
    for (size_t k = 0; !rc && k < p->n; k++) {
        if (p->at[k] == SIZE_MAX)
            continue;
        rc = map_block(l, &p->dict[k], p->at[k], (size_t)p->m[k].n);
        if (!rc)
            w = keep(l->s, p, &p->m[k], w, p->at[k], (size_t)p->m[k].n, since, until);
    }
    if (!rc)
        l->s->orders.n = w;
    reader_release(&rd[0]);
    if (two)
        reader_release(&rd[1]);
    bl_store_close(st2);
    return rc;
}

/* Whether block k can hold an order that matters for (since, until]. */
static bool wanted(const struct meta *m, int64_t since, int64_t until)
{
    return m->placed_lo <= until && m->key_hi > since;
}

/* With ids no block covers: blocks and rows in id order, on this connection. */
static int read_with_gaps(struct bl__load *l, struct plan *p, struct bl_store *st, int64_t org,
                          int64_t since, int64_t until, int64_t lo, int64_t hi)
{
    struct reader rd;
    int rc = reader_init(&rd, l, p, st, org, 0, 1);
    if (rc)
        rc = bl_diag_set(l->d, rc, "loading order blocks: out of memory");
    int64_t next = lo; /* the first id not read yet */
    for (size_t k = 0; !rc && k <= p->n; k++) {
        const struct meta *m = k < p->n ? &p->m[k] : NULL;
        int64_t upto = m ? m->first - 1 : hi;
        if (upto >= next)
            rc = bl__snap_rows(l, st, org, since, until, next - 1, upto);
        if (rc || !m)
            break;
        next = m->first + m->n;
        if (!wanted(m, since, until))
            continue;
        struct bl_snapshot *s = l->s;
        size_t at = s->orders.n, n = (size_t)m->n;
        if ((rc = bl__snap_reserve(s, at + n)) != BL_OK) {
            bl_diag_set(l->d, rc, "loading orders: out of memory at %zu orders", at);
            break;
        }
        p->at[k] = at;
        rd.k = k;
        if ((rc = read_block(&rd)) != BL_OK) {
            *l->d = rd.d;
            break;
        }
        if ((rc = map_block(l, &p->dict[k], at, n)) == BL_OK)
            s->orders.n = keep(s, p, m, at, at, n, since, until);
    }
    reader_release(&rd);
    return rc;
}

int bl__snap_blocks(struct bl__load *l, struct bl_store *st, int64_t org, int64_t since,
                    int64_t until, int64_t lo, int64_t hi, int64_t split_min, bool *used)
{
    struct plan p;
    memset(&p, 0, sizeof(p));
    struct bl_val pv = bl_val_int(org);
    *used = false;
    int rc = bl_store_query(st,
                            "SELECT batch_id, seq, first_id, n, placed_lo, placed_hi, key_lo,"
                            " key_hi FROM order_block WHERE org_id = $1 ORDER BY first_id",
                            &pv, 1, meta_row, &p, l->d);
    if (rc == 1 || p.rc)
        rc = bl_diag_set(l->d, p.rc ? p.rc : BL_ESTORE, "loading order blocks: %s",
                         bl_strerror(p.rc ? p.rc : BL_ESTORE));
    if (rc || p.n == 0) {
        bl_free(p.m);
        return rc;
    }
    *used = true;
    p.at = bl_malloc(p.n * sizeof(size_t));
    p.dict = bl_calloc(p.n, sizeof(struct dict));
    if (!p.at || !p.dict)
        rc = bl_diag_set(l->d, BL_ENOMEM, "loading order blocks: out of memory");
    /* Blocks in id order must not overlap nor pass the last order; a gap is read from
     * rows. Every wanted block gets its place in the columns. */
    bool gaps = false;
    int64_t next = lo;
    size_t want = 0, at = l->s->orders.n;
    for (size_t k = 0; !rc && k < p.n; k++) {
        const struct meta *m = &p.m[k];
        if (m->first < next || m->n < 1 || m->n > BL_ORDBLOCK_MAX || m->first - 1 > hi - m->n) {
            rc = bl_diag_set(l->d, BL_ECONFLICT,
                             "loading orders: order block %lld of batch %lld (ids %lld to "
                             "%lld) overlaps another or lies past the last order %lld",
                             (long long)m->seq, (long long)m->batch, (long long)m->first,
                             (long long)(m->first + m->n - 1), (long long)hi);
            break;
        }
        gaps |= m->first > next;
        next = m->first + m->n;
        p.at[k] = SIZE_MAX;
        if (wanted(m, since, until)) {
            p.at[k] = at + want;
            want += (size_t)m->n;
        }
    }
    gaps |= next <= hi;
    /* Orders updated since their block was written: their rows hold the truth. */
    if (!rc)
        rc = bl_store_query(st,
                            /* +org_id: through the partial index orders_stale;
                             * SQLite's planner would scan every order of the org */
                            "SELECT id FROM orders WHERE +org_id = $1 AND stale IS NOT NULL"
                            " ORDER BY id",
                            &pv, 1, stale_id, &p, l->d);
    if (rc == 1 || p.rc)
        rc = bl_diag_set(l->d, p.rc ? p.rc : BL_ESTORE, "loading changed orders: %s",
                         bl_strerror(p.rc ? p.rc : BL_ESTORE));
    if (!rc && gaps) {
        rc = read_with_gaps(l, &p, st, org, since, until, lo, hi);
    } else if (!rc) {
        if ((rc = bl__snap_reserve(l->s, at + want)) != BL_OK)
            bl_diag_set(l->d, rc, "loading orders: out of memory for %zu orders", at + want);
        else
            rc = read_all(l, &p, st, org, since, until, want, split_min);
    }
    if (!rc && p.nstale) {
        size_t m = l->s->orders.n;
        p.first = bl_malloc(p.n * sizeof(int64_t));
        p.len = bl_malloc(p.n * sizeof(int64_t));
        if (!p.first || !p.len)
            rc = bl_diag_set(l->d, BL_ENOMEM, "loading changed orders: out of memory");
        for (size_t k = 0; !rc && k < p.n; k++) {
            p.first[k] = p.m[k].first;
            p.len[k] = p.m[k].n;
        }
        if (!rc)
            rc = bl__snap_rows_stale(l, st, org, since, until, p.first, p.len, p.n);
        if (!rc && (rc = bl__snap_merge_tail(l->s, m)) != BL_OK)
            bl_diag_set(l->d, rc, "loading changed orders: %s", bl_strerror(rc));
    }
    bl_free(p.m);
    bl_free(p.at);
    bl_free(p.dict);
    bl_free(p.stale);
    bl_free(p.first);
    bl_free(p.len);
    return rc;
}
