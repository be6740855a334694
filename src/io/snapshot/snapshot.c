/* snapshot.c - loads an organisation's orders and what they are judged against
 * (see snapshot.h). One query per table; orders are appended column by column
 * into arrays that double as they fill. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "io/snapshot/snapshot_impl.h"
#include "ballast/num.h"

/* Records why loading stops; returns 1 to stop the query. */
static int fail(struct bl__load *l, int code, const char *what)
{
    l->rc = bl_diag_set(l->d, code, "loading the snapshot: %s", what);
    return 1;
}

static int64_t opt_time(const struct bl_row *r, size_t col)
{
    return bl_row_int_or(r, col, BL_NO_TIME);
}

/* Interns a stored region (canonical already); "" or NULL -> 0. A file repeats a
 * few hundred codes: a small cache by text saves the trie walk. */
static int region_id(struct bl__load *l, const struct bl_row *r, size_t col, uint32_t *id)
{
    *id = 0;
    struct bl_str v = bl_row_text(r, col); /* NULL reads as "" */
    if (!v.len)
        return BL_OK;
    struct bl__region_memo_entry *m = NULL;
    if (v.len < sizeof(m->code)) {
        m = &l->memo[bl_hash(v.ptr, v.len) & (BL__REGION_MEMO - 1)];
        if (m->len == v.len && memcmp(m->code, v.ptr, v.len) == 0) {
            *id = m->id;
            return BL_OK;
        }
    }
    int rc = bl_regions_intern(l->s->regions, v, id);
    if (!rc && m) {
        m->len = (uint8_t)v.len;
        memcpy(m->code, v.ptr, v.len);
        m->id = *id;
    }
    if (rc)
        l->rc = bl_diag_set(l->d, rc, "loading orders: region '%.*s' is not canonical",
                            (int)(v.len > 40 ? 40 : v.len), v.ptr);
    return rc;
}

static int channel_id(struct bl__load *l, const struct bl_row *r, size_t col, int32_t *id)
{
    *id = -1;
    if (bl_row_isnull(r, col))
        return BL_OK;
    struct bl_str v = bl_row_text(r, col);
    if (!v.len)
        return BL_OK;
    int rc = bl__snap_channel(l->s, v, id);
    if (rc)
        l->rc = bl_diag_set(l->d, rc, "loading orders: %s",
                            rc == BL_ETOOBIG ? "more than 2^31 channels" : "out of memory");
    return rc;
}

int bl__snap_channel(struct bl_snapshot *s, struct bl_str name, int32_t *out)
{
    int64_t val = (int64_t)s->channels.count;
    bool added;
    int rc = bl_map_get_or_put(&s->channels, name, &val, &added);
    if (!rc && added) { /* keep the names by index, to merge other loaders' */
        rc = bl_grow((void **)&s->chan_name, &s->chan_cap, s->nchan + 1, sizeof(char *));
        const char *copy = rc ? NULL : bl_arena_strndup(&s->arena, name.ptr, name.len);
        if (!copy)
            rc = BL_ENOMEM;
        else
            s->chan_name[s->nchan++] = copy;
    }
    if (!rc && !bl_i64_to_i32(val, out))
        rc = BL_ETOOBIG;
    return rc;
}

/* ---- shops -------------------------------------------------------------------------- */

static int shop_row(void *ctx, const struct bl_row *r)
{
    struct bl__load *l = ctx;
    struct bl_snapshot *s = l->s;
    size_t cap = s->nshops;
    if ((cap & (cap - 1)) == 0) { /* powers of two: grow */
        size_t ncap = cap ? cap * 2 : 64;
        struct bl_snap_shop *n = bl_realloc(s->shops, ncap * sizeof(*n));
        if (!n)
            return fail(l, BL_ENOMEM, "out of memory (shops)");
        s->shops = n;
    }
    struct bl_snap_shop *sh = &s->shops[s->nshops];
    memset(sh, 0, sizeof(*sh));
    sh->id = bl_row_int(r, 0);
    struct bl_str ext = bl_row_text(r, 1), cur = bl_row_text(r, 2), prof = bl_row_text(r, 4);
    sh->ext = bl_arena_strndup(&s->arena, ext.ptr, ext.len);
    sh->profile = bl_arena_strndup(&s->arena, prof.ptr, prof.len);
    if (!sh->ext || !sh->profile)
        return fail(l, BL_ENOMEM, "out of memory (shops)");
    bl_str_copy(sh->currency, sizeof(sh->currency), cur);
    sh->deposit = bl_row_int(r, 3);
    sh->platform = bl_str_eq(bl_row_text(r, 5), BL_STR("platform"));
    if (sh->id > l->max_shop_id)
        l->max_shop_id = sh->id;
    s->nshops++;
    return 0;
}

/* ---- orders ------------------------------------------------------------------------- */

/* Makes room for at least `need` orders (doubling, so appends stay linear). */
int bl__snap_reserve(struct bl_snapshot *s, size_t need)
{
    if (need <= s->cap)
        return BL_OK;
    size_t n = s->cap ? s->cap * 2 : 4096;
    if (n < need)
        n = need;
    if (n > SIZE_MAX / sizeof(int64_t))
        return BL_ETOOBIG;
#define GROW(field)                                                                           \
    do {                                                                                      \
        void *p_ = bl_realloc(s->field, n * sizeof(*s->field));                               \
        if (!p_)                                                                              \
            return BL_ENOMEM;                                                                 \
        s->field = p_;                                                                        \
    } while (0)
    GROW(order_id);
    GROW(amount);
    GROW(cur);
    GROW(shop);
    GROW(from);
    GROW(to);
    GROW(placed);
    GROW(ship_by);
    GROW(shipped);
    GROW(picked_up);
    GROW(delivered);
    GROW(promised);
    GROW(cancelled);
    GROW(cancel_by);
    GROW(platform);
    GROW(channel);
#undef GROW
    s->cap = n;
    return BL_OK;
}

static uint8_t cancel_code(struct bl_str v)
{
    if (bl_str_eq(v, BL_STR("seller")))
        return BL_CANCEL_SELLER;
    if (bl_str_eq(v, BL_STR("buyer")))
        return BL_CANCEL_BUYER;
    if (bl_str_eq(v, BL_STR("platform")))
        return BL_CANCEL_PLATFORM;
    return v.len ? BL_CANCEL_UNKNOWN : BL_CANCEL_NONE;
}

int bl__snap_currency(struct bl_snapshot *s, struct bl_str c, uint8_t *out)
{
    for (size_t k = 0; k < s->ncurrencies; k++) {
        if (c.len == 3 && memcmp(s->currencies[k], c.ptr, 3) == 0) {
            *out = (uint8_t)k;
            return BL_OK;
        }
    }
    if (s->ncurrencies == 256)
        return BL_ETOOBIG;
    bl_str_copy(s->currencies[s->ncurrencies], 4, c);
    *out = (uint8_t)s->ncurrencies++;
    return BL_OK;
}

enum { O_SHOP, O_ID, O_PLACED, O_SHIP_BY, O_SHIPPED, O_PICKED, O_DELIVERED, O_PROMISED,
       O_CANCELLED, O_CANCEL_BY, O_FROM, O_TO, O_CHANNEL, O_AMOUNT, O_CURRENCY, O_FULFIL };

static int order_row(void *ctx, const struct bl_row *r)
{
    struct bl__load *l = ctx;
    struct bl_snapshot *s = l->s;
    size_t i = s->orders.n;
    if (i == s->cap && (l->rc = bl__snap_reserve(s, i + 1)) != BL_OK) {
        bl_diag_set(l->d, l->rc, "loading orders: out of memory at %zu orders", i);
        return 1;
    }
    int64_t shop = bl__snap_shop(l, bl_row_int(r, O_SHOP));
    if (shop < 0)
        return fail(l, BL_ECONFLICT, "an order refers to a shop that is not in the store");
    s->shop[i] = (uint32_t)shop;
    s->order_id[i] = bl_row_int(r, O_ID);
    s->placed[i] = opt_time(r, O_PLACED);
    s->ship_by[i] = opt_time(r, O_SHIP_BY);
    s->shipped[i] = opt_time(r, O_SHIPPED);
    s->picked_up[i] = opt_time(r, O_PICKED);
    s->delivered[i] = opt_time(r, O_DELIVERED);
    s->promised[i] = opt_time(r, O_PROMISED);
    s->cancelled[i] = opt_time(r, O_CANCELLED);
    s->cancel_by[i] = bl_row_isnull(r, O_CANCEL_BY) ? BL_CANCEL_NONE
                                                     : cancel_code(bl_row_text(r, O_CANCEL_BY));
    s->platform[i] = bl_row_isnull(r, O_FULFIL)
                         ? l->shop_platform[shop]
                         : bl_str_eq(bl_row_text(r, O_FULFIL), BL_STR("platform"));
    if (region_id(l, r, O_FROM, &s->from[i]) || region_id(l, r, O_TO, &s->to[i]) ||
        channel_id(l, r, O_CHANNEL, &s->channel[i]))
        return 1;
    s->amount[i] = bl_row_int(r, O_AMOUNT);
    if (bl__snap_currency(s, bl_row_text(r, O_CURRENCY), &s->cur[i]))
        return fail(l, BL_ETOOBIG, "orders in more than 256 currencies");
    s->orders.n = i + 1;
    return 0;
}

/* ---- disruptions and protections ---------------------------------------------------- */

static int dis_row(void *ctx, const struct bl_row *r)
{
    struct bl__load *l = ctx;
    struct bl_snapshot *s = l->s;
    if ((s->ndis & (s->ndis - 1)) == 0) {
        struct bl_assess_disruption *n =
            bl_realloc(s->dis, (s->ndis ? s->ndis * 2 : 16) * sizeof(*n));
        if (!n)
            return fail(l, BL_ENOMEM, "out of memory (disruptions)");
        s->dis = n;
    }
    struct bl_assess_disruption *x = &s->dis[s->ndis];
    memset(x, 0, sizeof(*x));
    x->id = bl_row_int(r, 0);
    struct bl_str region = bl_row_text(r, 1), scope = bl_row_text(r, 2);
    int rc = region.len ? bl_regions_intern(s->regions, region, &x->region) : BL_OK;
    if (rc) {
        l->rc = bl_diag_set(l->d, rc, "loading disruption %lld: region '%.*s' is not canonical",
                            (long long)x->id, (int)(region.len > 40 ? 40 : region.len),
                            region.ptr);
        return 1;
    }
    x->scope = bl_str_eq(scope, BL_STR("origin"))        ? BL_SCOPE_ORIGIN
               : bl_str_eq(scope, BL_STR("destination")) ? BL_SCOPE_DESTINATION
                                                         : BL_SCOPE_BOTH;
    x->starts = bl_row_int(r, 3);
    x->ends = bl_row_int(r, 4);
    if (!bl_row_isnull(r, 5) && bl_row_int(r, 5) < x->ends)
        x->ends = bl_row_int(r, 5); /* lifted early */
    if (channel_id(l, r, 6, &x->channel))
        return 1;
    x->supplier_only = !bl_row_isnull(r, 7) && bl_row_text(r, 7).len > 0;
    s->ndis++;
    return 0;
}

static int prot_row(void *ctx, const struct bl_row *r)
{
    struct bl__load *l = ctx;
    struct bl_snapshot *s = l->s;
    int64_t shop = bl__snap_shop(l, bl_row_int(r, 1));
    if (shop < 0)
        return 0; /* a protection for a shop that is gone protects nothing */
    if ((s->nprot & (s->nprot - 1)) == 0) {
        struct bl_assess_protection *n =
            bl_realloc(s->prot, (s->nprot ? s->nprot * 2 : 16) * sizeof(*n));
        if (!n)
            return fail(l, BL_ENOMEM, "out of memory (protections)");
        s->prot = n;
    }
    struct bl_assess_protection *x = &s->prot[s->nprot++];
    x->id = bl_row_int(r, 0);
    x->shop = (uint32_t)shop;
    x->starts = bl_row_int(r, 2);
    x->ends = bl_row_int(r, 3);
    return 0;
}

/* ---- grouping by shop --------------------------------------------------------------- */

/* Puts column `col` (n elements of `size` bytes) in the order perm gives, through
 * *spare (a buffer of n elements of that size, or NULL): the column's old buffer
 * becomes the next column's spare, so a dozen columns cost one new buffer per size
 * rather than a dozen (fresh pages are what this costs most). */
static int gather(void **col, size_t n, size_t size, const uint32_t *perm, void **spare)
{
    char *dst = *spare ? *spare : bl_malloc(n * size + 1), *src = *col;
    if (!dst)
        return BL_ENOMEM;
    switch (size) { /* fixed sizes: a load and a store each */
    case 8:
        for (size_t j = 0; j < n; j++)
            memcpy(dst + j * 8, src + (size_t)perm[j] * 8, 8);
        break;
    case 4:
        for (size_t j = 0; j < n; j++)
            memcpy(dst + j * 4, src + (size_t)perm[j] * 4, 4);
        break;
    case 1:
        for (size_t j = 0; j < n; j++)
            dst[j] = src[perm[j]];
        break;
    default:
        for (size_t j = 0; j < n; j++)
            memcpy(dst + j * size, src + (size_t)perm[j] * size, size);
    }
    *spare = src;
    *col = dst;
    return BL_OK;
}

/* Puts every column in the order perm gives (n orders). */
static int gather_all(struct bl_snapshot *s, size_t n, const uint32_t *perm)
{
    int rc = BL_OK;
    void *spare8 = NULL, *spare4 = NULL, *spare1 = NULL;
#define G(field, spare)                                                                       \
    if (!rc)                                                                                  \
        rc = gather((void **)&s->field, n, sizeof(*s->field), perm, &spare);
    G(order_id, spare8) G(amount, spare8) G(placed, spare8) G(ship_by, spare8)
    G(shipped, spare8) G(picked_up, spare8) G(delivered, spare8) G(promised, spare8)
    G(cancelled, spare8) G(shop, spare4) G(from, spare4) G(to, spare4) G(channel, spare4)
    G(cur, spare1) G(cancel_by, spare1) G(platform, spare1)
#undef G
    bl_free(spare8);
    bl_free(spare4);
    bl_free(spare1);
    _Static_assert(sizeof(*s->order_id) == 8 && sizeof(*s->shop) == 4 && sizeof(*s->cur) == 1 &&
                       sizeof(*s->channel) == 4 && sizeof(*s->cancel_by) == 1,
                   "gather's spares are shared by element size");
    return rc;
}

int bl__snap_merge_tail(struct bl_snapshot *s, size_t m)
{
    size_t n = s->orders.n;
    if (m >= n)
        return BL_OK;
    if (n > UINT32_MAX)
        return BL_ETOOBIG;
    uint32_t *perm = bl_malloc(n * sizeof(uint32_t) + 1);
    if (!perm)
        return BL_ENOMEM;
    size_t a = 0, b = m;
    for (size_t j = 0; j < n; j++)
        perm[j] = (uint32_t)(b >= n || (a < m && s->order_id[a] < s->order_id[b]) ? a++ : b++);
    int rc = gather_all(s, n, perm);
    bl_free(perm);
    s->cap = n;
    return rc;
}

/* Stable counting sort of the orders by shop: loaded in id order, they stay in id
 * order within a shop (the order compensation debits a shop's deposit in). */
static int group_by_shop(struct bl_snapshot *s)
{
    size_t n = s->orders.n, ns = s->nshops;
    if (n > UINT32_MAX)
        return BL_ETOOBIG;
    uint32_t *start = bl_calloc(ns + 1, sizeof(uint32_t));
    uint32_t *perm = bl_malloc(n * sizeof(uint32_t) + 1);
    s->by_id = bl_malloc(n * sizeof(int64_t) + 1);
    s->by_id_at = bl_malloc(n * sizeof(uint32_t) + 1);
    if (!start || !perm || !s->by_id || !s->by_id_at) {
        bl_free(start);
        bl_free(perm);
        return BL_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        if (s->shop[i] + 1 < ns)
            start[s->shop[i] + 1]++;
    for (size_t k = 1; k < ns; k++)
        start[k] += start[k - 1];
    s->shop_off = bl_malloc((ns + 1) * sizeof(size_t));
    if (!s->shop_off) {
        bl_free(start);
        bl_free(perm);
        return BL_ENOMEM;
    }
    for (size_t k = 0; k < ns; k++)
        s->shop_off[k] = start[k];
    s->shop_off[ns] = n;
    for (size_t i = 0; i < n; i++) {
        uint32_t to = start[s->shop[i]]++;
        perm[to] = (uint32_t)i;
        s->by_id[i] = s->order_id[i];
        s->by_id_at[i] = to;
    }
    bl_free(start);
    /* Columns of one element size share spares. Afterwards a column holds at least n
     * elements (some cap, some n): cap becomes n. */
    int rc = gather_all(s, n, perm);
    bl_free(perm);
    s->cap = n;
    return rc;
}

int64_t bl_snapshot_order(const struct bl_snapshot *s, int64_t id)
{
    size_t lo = 0, hi = s->orders.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->by_id[mid] == id)
            return s->by_id_at[mid];
        if (s->by_id[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* ---- the whole -------------------------------------------------------------------------- */

static int run(struct bl__load *l, struct bl_store *st, const char *sql, int64_t org, bl_row_fn fn)
{
    struct bl_val p = bl_val_int(org);
    int rc = bl_store_query(st, sql, &p, 1, fn, l, l->d);
    if (rc == 1 || l->rc)
        return l->rc ? l->rc : BL_ESTORE;
    return rc;
}

/* ---- orders, on two connections ------------------------------------------------------- */

#define ORDERS_SQL                                                                            \
    "SELECT shop_id, id, placed_at, ship_by, shipped_at, picked_up_at, delivered_at,"         \
    " promised_at, cancelled_at, cancelled_by, ship_from, ship_to, channel, amount, currency," \
    " fulfilment FROM orders WHERE org_id = $1 AND placed_at <= $3"                                      \
    " AND (placed_at > $2 OR ship_by > $2 OR promised_at > $2)"

/* Loads the orders with lo < id <= hi into l->s. */
int bl__snap_rows(struct bl__load *l, struct bl_store *st, int64_t org, int64_t since,
                        int64_t until, int64_t lo, int64_t hi)
{
    struct bl_val p[5] = {bl_val_int(org), bl_val_int(since), bl_val_int(until), bl_val_int(lo),
                          bl_val_int(hi)};
    int rc = bl_store_query(st, ORDERS_SQL " AND id > $4 AND id <= $5 ORDER BY id", p, 5,
                            order_row, l, l->d);
    if (rc == 1 || l->rc)
        rc = l->rc ? l->rc : BL_ESTORE;
    return rc;
}

/* Rows changed after their order block was written (orders.stale), for the ids the
 * blocks cover: the blocks' copies of them were skipped (snapshot_blocks.c). */
struct stale_ctx {
    struct bl__load *l;
    const int64_t *first, *n; /* the blocks, by first id */
    size_t nblocks;
};

static int stale_row(void *ctx, const struct bl_row *r)
{
    struct stale_ctx *c = ctx;
    int64_t id = bl_row_int(r, O_ID);
    size_t lo = 0, hi = c->nblocks;
    while (lo < hi) { /* the last block starting at or before id */
        size_t mid = lo + (hi - lo) / 2;
        if (c->first[mid] <= id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || id >= c->first[lo - 1] + c->n[lo - 1])
        return 0; /* no block covers it: its row was read with the others */
    return order_row(c->l, r);
}

int bl__snap_rows_stale(struct bl__load *l, struct bl_store *st, int64_t org, int64_t since,
                        int64_t until, const int64_t *first, const int64_t *n, size_t nblocks)
{
    struct bl_val p[3] = {bl_val_int(org), bl_val_int(since), bl_val_int(until)};
    struct stale_ctx c = {l, first, n, nblocks};
    /* The ids from the partial index orders_stale (+org_id), then each row by its key:
     * with "stale IS NOT NULL" alone SQLite's planner scans every order of the org. */
    int rc = bl_store_query(st,
                            ORDERS_SQL " AND stale IS NOT NULL AND id IN (SELECT id FROM orders"
                                       " WHERE +org_id = $1 AND stale IS NOT NULL) ORDER BY id",
                            p, 3,
                            stale_row, &c, l->d);
    if (rc == 1 || l->rc)
        rc = l->rc ? l->rc : BL_ESTORE;
    return rc;
}

/* A loader of every other chunk of ids, on its own connection, into its own part. */
#define CHUNKS 16 /* interleaved so that both threads get their share of recent orders */

struct part {
    struct bl__load l; /* l.s = &snap; shop_index borrowed from the main loader */
    struct bl_snapshot snap;
    struct bl_store *st;
    int64_t org, since, until, lo, step;
    int first;            /* chunks first, first + 2, ... */
    size_t rows[CHUNKS]; /* rows each of its chunks gave */
    struct bl_diag d;
    int rc;
};

static void *part_main(void *arg)
{
    struct part *p = arg;
    for (int c = p->first; !p->rc && c < CHUNKS; c += 2) {
        int64_t lo = c == 0 ? INT64_MIN : p->lo + (int64_t)c * p->step;
        int64_t hi = c == CHUNKS - 1 ? INT64_MAX : p->lo + (int64_t)(c + 1) * p->step;
        size_t before = p->snap.orders.n;
        p->rc = bl__snap_rows(&p->l, p->st, p->org, p->since, p->until, lo, hi);
        p->rows[c] = p->snap.orders.n - before;
    }
    return NULL;
}

struct part_map {
    uint32_t *region;
    int32_t *channel;
    uint8_t currency[256];
};

/* Maps a part's region, channel and currency ids into s's. */
static int map_part(struct bl_snapshot *s, const struct bl_snapshot *p, struct part_map *m)
{
    uint32_t nr = bl_regions_count(p->regions);
    m->region = bl_calloc((size_t)nr + 1, sizeof(uint32_t));
    m->channel = bl_calloc(p->nchan + 1, sizeof(int32_t));
    int rc = m->region && m->channel ? BL_OK : BL_ENOMEM;
    for (uint32_t r = 1; !rc && r < nr; r++)
        rc = bl_regions_intern(s->regions, bl_str_c(bl_regions_name(p->regions, r)),
                               &m->region[r]);
    for (size_t k = 0; !rc && k < p->nchan; k++)
        rc = bl__snap_channel(s, bl_str_c(p->chan_name[k]), &m->channel[k]);
    for (size_t k = 0; !rc && k < p->ncurrencies; k++)
        rc = bl__snap_currency(s, bl_str_c(p->currencies[k]), &m->currency[k]);
    return rc;
}

/* Appends rows [from, from + n) of part p to s (room already made). */
static void append_rows(struct bl_snapshot *s, const struct bl_snapshot *p,
                        const struct part_map *m, size_t from, size_t n)
{
    for (size_t j = from; j < from + n; j++) {
        size_t i = s->orders.n++;
        s->order_id[i] = p->order_id[j];
        s->amount[i] = p->amount[j];
        s->cur[i] = m->currency[p->cur[j]];
        s->shop[i] = p->shop[j];
        s->from[i] = m->region[p->from[j]];
        s->to[i] = m->region[p->to[j]];
        s->placed[i] = p->placed[j];
        s->ship_by[i] = p->ship_by[j];
        s->shipped[i] = p->shipped[j];
        s->picked_up[i] = p->picked_up[j];
        s->delivered[i] = p->delivered[j];
        s->promised[i] = p->promised[j];
        s->cancelled[i] = p->cancelled[j];
        s->cancel_by[i] = p->cancel_by[j];
        s->platform[i] = p->platform[j];
        s->channel[i] = p->channel[j] < 0 ? -1 : m->channel[p->channel[j]];
    }
}

/* Puts the two parts' chunks back in id order into s. */
static int assemble(struct bl_snapshot *s, struct part *parts)
{
    struct part_map m[2];
    memset(m, 0, sizeof(m));
    int rc = map_part(s, &parts[0].snap, &m[0]);
    if (!rc)
        rc = map_part(s, &parts[1].snap, &m[1]);
    size_t total = parts[0].snap.orders.n + parts[1].snap.orders.n;
    if (!rc)
        rc = bl__snap_reserve(s, total);
    size_t at[2] = {0, 0};
    for (int c = 0; !rc && c < CHUNKS; c++) {
        struct part *p = &parts[c % 2];
        append_rows(s, &p->snap, &m[c % 2], at[c % 2], p->rows[c]);
        at[c % 2] += p->rows[c];
    }
    for (int k = 0; k < 2; k++) {
        bl_free(m[k].region);
        bl_free(m[k].channel);
    }
    return rc;
}

struct bounds {
    int64_t lo, hi, n;
};

static int bounds_row(void *ctx, const struct bl_row *r)
{
    struct bounds *b = ctx;
    b->lo = bl_row_int(r, 0);
    b->hi = bl_row_int(r, 1);
    return 0;
}

/* Big loads are read in CHUNKS ranges of ids, the even ones by this thread and the odd
 * ones by a second thread on its own connection (SQLite in WAL mode and PostgreSQL both
 * serve concurrent readers); each interns into its own trie, and the chunks are put
 * back in id order. Interleaving keeps the halves even when the recent orders, the
 * ones a window wants, all have the highest ids. */
static int load_orders(struct bl__load *l, struct bl_store *st, int64_t org, int64_t since,
                       int64_t until)
{
    struct bounds b = {0, 0, 0};
    struct bl_val pv = bl_val_int(org);
    /* Ids are dense per organisation, so MAX - MIN + 1 counts the orders without a scan. */
    /* Two subqueries: SQLite answers a lone MIN or MAX from the key's B-tree at once,
     * but scans every order for both in one SELECT. */
    int rc = bl_store_query(st,
                            "SELECT (SELECT MIN(id) FROM orders WHERE org_id = $1),"
                            " (SELECT MAX(id) FROM orders WHERE org_id = $1)",
                            &pv, 1, bounds_row, &b, l->d);
    if (rc)
        return rc;
    b.n = b.hi >= b.lo && b.hi > 0 ? b.hi - b.lo + 1 : 0;
    /* Below split_min orders one connection is as quick; BALLAST_SPLIT_MIN lowers it
     * (the tests use it to run the two-connection paths on small data). */
    const char *env = getenv("BALLAST_SPLIT_MIN");
    int64_t split_min = env && *env ? strtoll(env, NULL, 10) : 200000;
    /* Order blocks (ordblock.h) hold what the rows hold, packed; BALLAST_ORDER_BLOCKS=0
     * reads the rows only (the tests compare the two). */
    const char *use = getenv("BALLAST_ORDER_BLOCKS");
    if (b.n && !(use && strcmp(use, "0") == 0)) {
        bool used = false;
        rc = bl__snap_blocks(l, st, org, since, until, b.lo, b.hi, split_min, &used);
        if (rc || used)
            return rc;
    }
    struct bl_store *st2 = NULL;
    struct bl_diag ignore;
    if (b.n < split_min || b.n < 2 || bl_store_open_again(st, &st2, &ignore) != BL_OK)
        return bl__snap_rows(l, st, org, since, until, INT64_MIN, INT64_MAX);
    struct part *parts = bl_calloc(2, sizeof(*parts));
    if (!parts) {
        bl_store_close(st2);
        return bl_diag_set(l->d, BL_ENOMEM, "loading: out of memory");
    }
    int64_t step = (b.hi - b.lo) / CHUNKS + 1;
    bool ok = true;
    for (int k = 0; k < 2; k++) {
        struct part *p = &parts[k];
        bl_arena_init(&p->snap.arena, 1u << 16);
        bl_map_init(&p->snap.channels, &p->snap.arena);
        p->snap.regions = bl_regions_new(&p->snap.arena);
        ok &= p->snap.regions != NULL;
        p->l.s = &p->snap;
        p->l.d = &p->d;
        p->l.shop_index = l->shop_index;
        p->l.shop_platform = l->shop_platform;
        p->l.max_shop_id = l->max_shop_id;
        p->st = k ? st2 : st;
        p->org = org;
        p->since = since;
        p->until = until;
        p->lo = b.lo;
        p->step = step;
        p->first = k;
        bl_diag_clear(&p->d);
    }
    if (!ok) {
        rc = bl_diag_set(l->d, BL_ENOMEM, "loading: out of memory");
    } else {
        pthread_t t;
        bool threaded = pthread_create(&t, NULL, part_main, &parts[1]) == 0;
        if (!threaded)
            part_main(&parts[1]);
        part_main(&parts[0]);
        if (threaded)
            pthread_join(t, NULL);
        for (int k = 0; !rc && k < 2; k++) {
            if (parts[k].rc) {
                *l->d = parts[k].d;
                rc = parts[k].rc;
            }
        }
        if (!rc && (rc = assemble(l->s, parts)) != BL_OK)
            bl_diag_set(l->d, rc, "loading: %s putting the orders' chunks together",
                        bl_strerror(rc));
    }
    bl_store_close(st2);
    for (int k = 0; k < 2; k++)
        bl_snapshot_free(&parts[k].snap);
    bl_free(parts);
    return rc;
}

int bl_snapshot_load(struct bl_store *st, int64_t org, int64_t since, int64_t until,
                     struct bl_snapshot *s, struct bl_diag *d)
{
    memset(s, 0, sizeof(*s));
    bl_arena_init(&s->arena, 1u << 16);
    bl_map_init(&s->channels, &s->arena);
    s->regions = bl_regions_new(&s->arena);
    struct bl__load l; /* ~20 KB with the region cache */
    memset(&l, 0, sizeof(l));
    l.s = s;
    l.d = d;
    int rc = s->regions ? BL_OK : bl_diag_set(d, BL_ENOMEM, "loading: out of memory");
    if (!rc)
        rc = run(&l, st,
                 "SELECT id, ext_id, currency, deposit, profile, fulfilment FROM shop"
                 " WHERE org_id = $1 ORDER BY id",
                 org, shop_row);
    if (!rc) {
        l.shop_index = bl_calloc((size_t)l.max_shop_id + 1, sizeof(int64_t));
        if (!l.shop_index)
            rc = bl_diag_set(d, BL_ENOMEM, "loading: out of memory");
        for (int64_t k = 0; !rc && k <= l.max_shop_id; k++)
            l.shop_index[k] = -1;
        for (size_t k = 0; !rc && k < s->nshops; k++)
            l.shop_index[s->shops[k].id] = (int64_t)k;
        l.shop_platform = rc ? NULL : bl_calloc(s->nshops + 1, 1);
        if (!rc && !l.shop_platform)
            rc = bl_diag_set(d, BL_ENOMEM, "loading: out of memory");
        for (size_t k = 0; !rc && k < s->nshops; k++)
            l.shop_platform[k] = s->shops[k].platform;
    }
    if (!rc)
        rc = load_orders(&l, st, org, since, until);
    if (!rc)
        rc = run(&l, st,
                 "SELECT id, region, scope, starts_at, ends_at, lifted_at, channel, supplier"
                 " FROM disruption WHERE org_id = $1"
                 " AND kind <> 'customer_service_closure' ORDER BY id", /* delays nothing */
                 org, dis_row);
    if (!rc)
        rc = run(&l, st,
                 "SELECT id, shop_id, starts_at, ends_at FROM protection WHERE org_id = $1"
                 " ORDER BY id",
                 org, prot_row);
    bl_free(l.shop_index);
    bl_free(l.shop_platform);
    if (!rc && (rc = group_by_shop(s)) != BL_OK)
        bl_diag_set(d, rc, "loading: %s grouping %zu orders by shop", bl_strerror(rc),
                    s->orders.n);
    if (rc) {
        bl_snapshot_free(s);
        return rc;
    }
    struct bl_assess_orders *o = &s->orders;
    o->shop = s->shop;
    o->placed = s->placed;
    o->ship_by = s->ship_by;
    o->shipped = s->shipped;
    o->picked_up = s->picked_up;
    o->delivered = s->delivered;
    o->promised = s->promised;
    o->cancelled = s->cancelled;
    o->cancel_by = s->cancel_by;
    o->platform = s->platform;
    o->from = s->from;
    o->to = s->to;
    o->channel = s->channel;
    o->by_shop = true;
    o->shop_off = s->shop_off;
    return BL_OK;
}

void bl_snapshot_free(struct bl_snapshot *s)
{
    if (!s)
        return;
    bl_free(s->order_id);
    bl_free(s->amount);
    bl_free(s->cur);
    bl_free(s->shop);
    bl_free(s->from);
    bl_free(s->to);
    bl_free(s->placed);
    bl_free(s->ship_by);
    bl_free(s->shipped);
    bl_free(s->picked_up);
    bl_free(s->delivered);
    bl_free(s->promised);
    bl_free(s->cancelled);
    bl_free(s->cancel_by);
    bl_free(s->platform);
    bl_free(s->channel);
    bl_free(s->by_id);
    bl_free(s->by_id_at);
    bl_free(s->shop_off);
    bl_free(s->shops);
    bl_free((void *)s->chan_name);
    bl_free(s->dis);
    bl_free(s->prot);
    bl_map_release(&s->channels);
    bl_arena_release(&s->arena);
    memset(s, 0, sizeof(*s));
}

int64_t bl_snapshot_shop_index(const struct bl_snapshot *s, int64_t shop_id)
{
    size_t lo = 0, hi = s->nshops; /* shops are in id order */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->shops[mid].id == shop_id)
            return (int64_t)mid;
        if (s->shops[mid].id < shop_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

int64_t bl_snapshot_shop_by_ext(const struct bl_snapshot *s, const char *ext)
{
    for (size_t k = 0; k < s->nshops; k++)
        if (strcmp(s->shops[k].ext, ext) == 0)
            return (int64_t)k;
    return -1;
}
