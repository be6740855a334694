/* order_sink.c - orders that change: new, updated or unchanged, decided against the
 * store (import_impl.h, docs/internals/import.md "Orders that change").
 *
 * An order of a shop that had no orders before the batch is new: it goes straight to
 * the bulk inserters (rows, lines, order blocks), as a first import always did. An
 * order of a shop that has orders is held in a chunk; a full chunk is looked up with
 * one query per shop (ext ids in a fixed-size IN list, so one prepared statement
 * serves every chunk), and its stored lines with one more. Then, in input order:
 *
 *   not found  -> new (an id past the batch's first new id found again is the same
 *                 order twice in the input: refused, as a duplicate always was)
 *   found      -> compared field by field (only the fields the source carries):
 *                 nothing differs -> unchanged; else the transition rules below, each
 *                 change appended to order_event, the new state to the temporary
 *                 table order_upd, applied by one UPDATE ... FROM at the end.
 *
 * Rules of an update (the batch stops at the first broken one, naming the file, the
 * order's line, the field, the old and the new value; nothing of it is stored):
 *   - identity (placed, currency, amount, lines) does not change, unless
 *     --corrections, which records each as a correction;
 *   - a recorded time does not move or vanish, unless --corrections; the promised
 *     ship-by and delivery may move later (the platform extends them);
 *   - no time before the order was placed; no delivery before shipment, nor one
 *     without a shipment or pickup; a delivered order is not un-delivered (not even
 *     as a correction);
 *   - a text the source leaves empty (tracking, channel, ...) keeps the stored one.
 *
 * An updated row is marked stale: its order block (written when it was new) no longer
 * holds its state, and the snapshot loader reads it from the row instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/import/import_impl.h"

#include "ballast/money.h"
#include "ballast/num.h"

#define CHUNK 64 /* SQLite: orders looked up at once; the VALUES list has this many slots.
                     Small, so that the writer thread starts on a chunk's rows early: an
                     upload of 500 orders is 8 chunks, the first inserted while the
                     other 7 are read (with 256 only the first of 2 overlapped) */
#define CHUNK_PG 2048 /* PostgreSQL: orders looked up at once (arrays: no slots; a round trip
                         and a plan each) */

const char *const bl__fulfils[] = {"", "merchant", "platform", NULL};

/* The native column of each field, for messages and the history. */
static const char *const native_name[BL__OF__COUNT] = {
    "ship_by",  "promised_at", "picked_up_at", "shipped_at", "delivered_at",
    "cancelled_at", "ship_from", "ship_to",  "channel",    "tracking",
    "customer", "locale",      "fulfilment"};

/* An order as stored, for the comparison. */
struct stored {
    int64_t id, placed, amount;
    int64_t t[6]; /* BL__OF_SHIP_BY .. BL__OF_CANCELLED */
    int cancelled_by;
    int fulfil;
    char currency[4];
    char from[BL_REGION_MAX], to[BL_REGION_MAX];
    struct bl_str channel, tracking, customer, locale; /* in the chunk's arena */
    size_t line0, nlines;                              /* in chunk.slines */
    bool found;
};

struct pend {
    struct bl__order o;   /* texts in the chunk's arena */
    size_t line0, nlines; /* in chunk.lines */
    struct stored s;
};

struct bl__sink {
    struct bl__imp *im;
    struct bl__sink_names names;
    struct bl_inserter *orders, *olines, *events, *upd;
    int64_t next_id, first_new, next_event;
    int64_t fresh, updated, unchanged, changes, corrections;

    int32_t *shop_at;   /* shop id -> index in im->shops (-1 none); ids up to max_shop */
    int64_t max_shop;
    int8_t *shop_has;   /* per index in im->shops: 1 when it had orders before the batch */
    struct bl_map seen; /* ids updated by this batch (8-byte keys) */
    struct bl_arena seen_arena;
    /* SQLite: the chunks are looked up on the store's side connection (what is
     * committed), beside the writer thread inserting the chunks before. It does not see
     * the orders this batch added: one that comes again is new again, and the unique key
     * of orders refuses it, as it refuses a shop's first orders twice. PostgreSQL, or no
     * side connection: look == im->st. */
    struct bl_store *look;

    struct pend *pend; /* chunk of them */
    size_t npend, chunk;
    struct bl_map keys, ids; /* the chunk's (shop, ext id) and found ids -> index in pend */
    struct bl__oline *lines, *slines;
    size_t nlines, lines_cap, nslines, slines_cap;
    struct bl_arena arena; /* the chunk's texts; released per chunk */
    char sql_find[CHUNK * 48 + 512], sql_lines[CHUNK * 6 + 256];
    struct bl_buf keybuf;
    bool pg;                 /* PostgreSQL: the keys go as two arrays (see lookup_pg) */
    struct bl_buf arr1, arr2; /* their literals */
};

static const char *fname(const struct bl__sink *sk, int f)
{
    return sk->names.field[f] ? sk->names.field[f] : native_name[f];
}

static const char *iname(const char *given, const char *native)
{
    return given ? given : native;
}

/* ---------------------------------------------------------------- values as text */

static const char *time_text(int64_t t, char buf[BL_ISO_MAX])
{
    if (t != BL__NONE)
        return bl_time_format(t, buf);
    buf[0] = '\0';
    return buf;
}

static int fail(struct bl__sink *sk, const struct bl__order *o, const char *field,
                const char *fmt, const char *old, const char *new_)
{
    struct bl_diag *d = sk->im->d;
    bl_diag_clear(d);
    bl_diag_at(d, sk->im->file, o->src_line, field);
    char id[64];
    bl_str_copy(id, sizeof(id), o->ext);
    return bl_diag_set(d, BL_ECONFLICT, "order %s: %s (stored: %s; this file: %s)", id, fmt,
                       *old ? old : "none", *new_ ? new_ : "none");
}

/* ---------------------------------------------------------------- the store side */

static const char *const event_cols[] = {"org_id", "id",  "order_id",   "batch_id", "field",
                                         "old",    "new", "correction", "at"};
static const char *const upd_cols[] = {
    "id",          "status",     "placed_at",    "ship_by",      "ship_from",  "ship_to",
    "picked_up_at", "shipped_at", "delivered_at", "promised_at", "cancelled_at",
    "cancelled_by", "amount",    "currency",     "channel",      "tracking",   "customer",
    "locale",      "fulfilment"};
#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))

static int event(struct bl__sink *sk, const struct pend *p, const char *field, const char *old,
                 const char *new_, bool correction)
{
    struct bl__imp *im = sk->im;
    if (!sk->events) {
        TRY(bl__imp_next_id(im, "order_event", &sk->next_event));
        TRY(bl_inserter_open(im->st, "order_event", event_cols, NCOLS(event_cols), &sk->events,
                             im->d));
    }
    struct bl_val v[] = {bl_val_int(im->org),
                         bl_val_int(sk->next_event++),
                         bl_val_int(p->s.id),
                         bl_val_int(im->batch),
                         bl_val_text(bl_str_c(field)),
                         *old ? bl_val_text(bl_str_c(old)) : bl_val_null(),
                         *new_ ? bl_val_text(bl_str_c(new_)) : bl_val_null(),
                         bl_val_int(correction),
                         bl_val_int(im->opts->now)};
    sk->changes++;
    sk->corrections += correction;
    return bl_inserter_row(sk->events, v, p->o.src_line, im->d);
}

static struct bl_val t_val(int64_t t)
{
    return t == BL__NONE ? bl_val_null() : bl_val_int(t);
}

static struct bl_val s_val(struct bl_str s)
{
    return s.len ? bl_val_text(s) : bl_val_null();
}

static int upd_row(struct bl__sink *sk, const struct bl__order *n)
{
    struct bl__imp *im = sk->im;
    if (!sk->upd) {
        static const char *const ddl =
            "CREATE TEMP TABLE IF NOT EXISTS order_upd (id BIGINT NOT NULL, status TEXT,"
            " placed_at BIGINT, ship_by BIGINT, ship_from TEXT, ship_to TEXT,"
            " picked_up_at BIGINT, shipped_at BIGINT, delivered_at BIGINT,"
            " promised_at BIGINT, cancelled_at BIGINT, cancelled_by TEXT, amount BIGINT,"
            " currency TEXT, channel TEXT, tracking TEXT, customer TEXT, locale TEXT,"
            " fulfilment TEXT)";
        TRY(bl_store_exec(im->st, ddl, NULL, 0, NULL, im->d));
        TRY(bl_store_exec(im->st, "DELETE FROM order_upd", NULL, 0, NULL, im->d));
        TRY(bl_inserter_open(im->st, "order_upd", upd_cols, NCOLS(upd_cols), &sk->upd, im->d));
    }
    struct bl_val v[] = {
        bl_val_int(n->id),
        bl_val_text(bl_str_c(bl__order_status(n))),
        bl_val_int(n->placed),
        t_val(n->ship_by),
        s_val(bl_str_c(n->ship_from)),
        s_val(bl_str_c(n->ship_to)),
        t_val(n->picked_up),
        t_val(n->shipped),
        t_val(n->delivered),
        t_val(n->promised),
        t_val(n->cancelled),
        n->cancelled_by >= 0 ? bl_val_text(bl_str_c(bl__cancellers[n->cancelled_by]))
                             : bl_val_null(),
        bl_val_int(n->amount),
        bl_val_text(bl_str_c(n->currency)),
        s_val(n->channel),
        s_val(n->tracking),
        s_val(n->customer),
        s_val(n->locale),
        n->fulfil ? bl_val_text(bl_str_c(bl__fulfils[n->fulfil])) : bl_val_null(),
    };
    return bl_inserter_row(sk->upd, v, n->src_line, im->d);
}

static int apply_updates(struct bl__sink *sk)
{
    struct bl__imp *im = sk->im;
    if (!sk->upd)
        return BL_OK;
    int rc = bl_inserter_close(sk->upd, im->d);
    sk->upd = NULL;
    struct bl_val org = bl_val_int(im->org);
    if (!rc)
        rc = bl_store_exec(
            im->st,
            "UPDATE orders SET status = u.status, placed_at = u.placed_at, ship_by = u.ship_by,"
            " ship_from = u.ship_from, ship_to = u.ship_to, picked_up_at = u.picked_up_at,"
            " shipped_at = u.shipped_at, delivered_at = u.delivered_at,"
            " promised_at = u.promised_at, cancelled_at = u.cancelled_at,"
            " cancelled_by = u.cancelled_by, amount = u.amount, currency = u.currency,"
            " channel = u.channel, tracking = u.tracking, customer = u.customer,"
            " locale = u.locale, fulfilment = u.fulfilment, stale = 1,"
            " batch_id = orders.batch_id"
            " FROM order_upd u WHERE orders.org_id = $1 AND orders.id = u.id",
            &org, 1, NULL, im->d);
    if (!rc)
        rc = bl_store_exec(im->st, "DELETE FROM order_upd", NULL, 0, NULL, im->d);
    return rc;
}

/* ---------------------------------------------------------------- lookups */

static void build_sql(struct bl__sink *sk)
{
    char *p = sk->sql_find;
    size_t cap = sizeof(sk->sql_find);
    /* The (shop, ext id) pairs as a VALUES list joined to orders, not "ext_id IN (...)":
     * without statistics SQLite's planner takes "org_id = $1" on the primary key (every
     * order of the organisation) over probes of orders_ext; CROSS JOIN keeps the list
     * outside. One query a chunk whatever the shops (a marketplace's file mixes
     * thousands). Unused slots are NULL (no probe); DISTINCT: the input may hold an
     * order twice. */
    int n = snprintf(p, cap,
                     "SELECT DISTINCT o.id, o.ext_id, o.placed_at, o.ship_by, o.promised_at,"
                     " o.picked_up_at, o.shipped_at, o.delivered_at, o.cancelled_at,"
                     " o.cancelled_by, o.amount, o.currency, o.ship_from, o.ship_to, o.channel,"
                     " o.tracking, o.customer, o.locale, o.fulfilment, o.shop_id FROM (VALUES ");
    for (int k = 0; k < CHUNK && n > 0 && (size_t)n < cap; k++)
        n += snprintf(p + n, cap - (size_t)n, "%s(CAST($%d AS BIGINT), CAST($%d AS TEXT))",
                      k ? "," : "", 2 * k + 2, 2 * k + 3);
    if (n > 0 && (size_t)n < cap)
        snprintf(p + n, cap - (size_t)n,
                 ") k CROSS JOIN orders o"
                 " WHERE o.org_id = $1 AND o.shop_id = k.column1 AND o.ext_id = k.column2");
    p = sk->sql_lines;
    cap = sizeof(sk->sql_lines);
    n = snprintf(p, cap,
                 "SELECT order_id, line_no, sku_id, qty, price FROM order_line"
                 " WHERE org_id = $1 AND order_id IN (");
    for (int k = 0; k < CHUNK && n > 0 && (size_t)n < cap; k++)
        n += snprintf(p + n, cap - (size_t)n, "%s$%d", k ? "," : "", k + 2);
    if (n > 0 && (size_t)n < cap)
        snprintf(p + n, cap - (size_t)n, ") ORDER BY order_id, line_no");
}

struct find_ctx {
    struct bl__sink *sk;
    int rc;
};

static int enum_of(struct bl_str v, const char *const *names, int none)
{
    for (int i = 0; names[i]; i++)
        if (names[i][0] && bl_str_eq_c(v, names[i]))
            return i;
    return none;
}

static struct bl_str keep_text(struct bl__sink *sk, struct bl_str v, int *rc)
{
    if (!v.len)
        return v;
    char *t = bl_arena_strndup(&sk->arena, v.ptr, v.len);
    if (!t)
        *rc = BL_ENOMEM;
    return (struct bl_str){t ? t : "", t ? v.len : 0};
}

/* The key of an order in the chunk's map: its shop id's 8 bytes, then its ext id. */
static struct bl_str order_key(struct bl_buf *b, int64_t shop, struct bl_str ext, int *rc)
{
    bl_buf_reset(b);
    *rc = bl_buf_add(b, &shop, sizeof(shop));
    if (!*rc)
        *rc = bl_buf_adds(b, ext);
    return (struct bl_str){b->ptr, b->len};
}

static int find_row(void *ctx, const struct bl_row *r)
{
    struct find_ctx *fc = ctx;
    struct bl__sink *sk = fc->sk;
    int64_t at;
    struct bl_str key = order_key(&sk->keybuf, bl_row_int(r, 19), bl_row_text(r, 1), &fc->rc);
    if (fc->rc)
        return 1;
    if (bl_map_get(&sk->keys, key, &at)) {
        struct pend *p = &sk->pend[at];
        if (p->s.found)
            return 0;
        struct stored *s = &p->s;
        s->found = true;
        s->id = bl_row_int(r, 0);
        s->placed = bl_row_int(r, 2);
        for (int f = 0; f < 6; f++)
            s->t[f] = bl_row_int_or(r, (size_t)(3 + f), BL__NONE);
        /* the query's order: ship_by, promised, picked_up, shipped, delivered, cancelled */
        s->cancelled_by = bl_row_isnull(r, 9) ? -1 : enum_of(bl_row_text(r, 9), bl__cancellers, 3);
        s->amount = bl_row_int(r, 10);
        bl_str_copy(s->currency, sizeof(s->currency), bl_row_text(r, 11));
        bl_str_copy(s->from, sizeof(s->from), bl_row_text(r, 12));
        bl_str_copy(s->to, sizeof(s->to), bl_row_text(r, 13));
        s->channel = keep_text(fc->sk, bl_row_text(r, 14), &fc->rc);
        s->tracking = keep_text(fc->sk, bl_row_text(r, 15), &fc->rc);
        s->customer = keep_text(fc->sk, bl_row_text(r, 16), &fc->rc);
        s->locale = keep_text(fc->sk, bl_row_text(r, 17), &fc->rc);
        s->fulfil = bl_row_isnull(r, 18) ? 0 : enum_of(bl_row_text(r, 18), bl__fulfils, 0);
        if (!fc->rc)
            fc->rc = bl_map_put(&sk->ids, (struct bl_str){(const char *)&s->id, 8}, at);
        return fc->rc ? 1 : 0;
    }
    return 0;
}

struct lines_ctx {
    struct bl__sink *sk;
    int64_t cur;
    int rc;
};

static int line_row(void *ctx, const struct bl_row *r)
{
    struct lines_ctx *lc = ctx;
    struct bl__sink *sk = lc->sk;
    if ((lc->rc = bl_grow((void **)&sk->slines, &sk->slines_cap, sk->nslines + 1,
                          sizeof(*sk->slines))) != BL_OK)
        return 1;
    int64_t order = bl_row_int(r, 0);
    struct bl__oline *l = &sk->slines[sk->nslines];
    l->line_no = bl_row_int(r, 1);
    l->sku = bl_row_int(r, 2);
    l->qty = bl_row_int(r, 3);
    l->price = bl_row_int(r, 4);
    int64_t at;
    if (bl_map_get(&sk->ids, (struct bl_str){(const char *)&order, 8}, &at)) {
        struct stored *s = &sk->pend[at].s;
        if (!s->nlines)
            s->line0 = sk->nslines;
        s->nlines++;
    }
    sk->nslines++;
    return 0;
}

/* An element of a PostgreSQL array literal, quoted ("..." with \ before " and \). */
static int arr_text(struct bl_buf *b, struct bl_str s)
{
    int rc = bl_buf_addc(b, '"');
    for (size_t i = 0; !rc && i < s.len; i++) {
        if (s.ptr[i] == '"' || s.ptr[i] == '\\')
            rc = bl_buf_addc(b, '\\');
        if (!rc)
            rc = bl_buf_addc(b, s.ptr[i]);
    }
    return rc ? rc : bl_buf_addc(b, '"');
}

static int lines_and_done(struct bl__sink *sk, struct bl_val *v);

/* PostgreSQL: the chunk's keys as two arrays (3 parameters, not 513: planning the VALUES
 * list cost the server more than running it), unnested and joined to orders; the lines
 * with = ANY of an array of ids. */
static int lookup_pg(struct bl__sink *sk)
{
    struct bl__imp *im = sk->im;
    bl_buf_reset(&sk->arr1);
    bl_buf_reset(&sk->arr2);
    int rc = bl_buf_addc(&sk->arr1, '{');
    rc = rc ? rc : bl_buf_addc(&sk->arr2, '{');
    for (size_t k = 0; !rc && k < sk->npend; k++) {
        rc = bl_buf_addf(&sk->arr1, "%s%lld", k ? "," : "", (long long)sk->pend[k].o.shop_id);
        if (!rc && k)
            rc = bl_buf_addc(&sk->arr2, ',');
        if (!rc)
            rc = arr_text(&sk->arr2, sk->pend[k].o.ext);
    }
    rc = rc ? rc : bl_buf_addc(&sk->arr1, '}');
    rc = rc ? rc : bl_buf_addc(&sk->arr2, '}');
    if (rc)
        return bl_diag_set(im->d, rc, "out of memory looking orders up");
    struct bl_val v[3] = {bl_val_int(im->org),
                          bl_val_text((struct bl_str){sk->arr1.ptr, sk->arr1.len}),
                          bl_val_text((struct bl_str){sk->arr2.ptr, sk->arr2.len})};
    struct find_ctx fc = {sk, BL_OK};
    int qrc = bl_store_query(
        im->st,
        "SELECT DISTINCT o.id, o.ext_id, o.placed_at, o.ship_by, o.promised_at,"
        " o.picked_up_at, o.shipped_at, o.delivered_at, o.cancelled_at, o.cancelled_by,"
        " o.amount, o.currency, o.ship_from, o.ship_to, o.channel, o.tracking, o.customer,"
        " o.locale, o.fulfilment, o.shop_id"
        " FROM unnest($2::bigint[], $3::text[]) AS k(s, e)"
        " JOIN orders o ON o.org_id = $1 AND o.shop_id = k.s AND o.ext_id = k.e",
        v, 3, find_row, &fc, im->d);
    if (fc.rc)
        return bl_diag_set(im->d, fc.rc, "out of memory looking orders up");
    if (qrc)
        return qrc < 0 ? qrc : BL_ESTORE;
    return lines_and_done(sk, NULL);
}

/* Looks the chunk's orders up: one query, then their lines. */
static int lookup(struct bl__sink *sk)
{
    struct bl__imp *im = sk->im;
    sk->nslines = 0;
    bl_map_init(&sk->keys, &sk->arena);
    bl_map_init(&sk->ids, &sk->arena);
    for (size_t k = 0; k < sk->npend; k++) {
        int rc;
        struct bl_str key = order_key(&sk->keybuf, sk->pend[k].o.shop_id, sk->pend[k].o.ext, &rc);
        int64_t at = (int64_t)k;
        bool added; /* the same order twice in a chunk: the first is looked up */
        if (rc || (rc = bl_map_get_or_put(&sk->keys, key, &at, &added)))
            return bl_diag_set(im->d, rc, "out of memory looking orders up");
    }
    if (sk->pg)
        return lookup_pg(sk);
    struct bl_val v[2 * CHUNK + 1];
    v[0] = bl_val_int(im->org);
    for (size_t k = 0; k < CHUNK; k++) {
        v[1 + 2 * k] = k < sk->npend ? bl_val_int(sk->pend[k].o.shop_id) : bl_val_null();
        v[2 + 2 * k] = k < sk->npend ? bl_val_text(sk->pend[k].o.ext) : bl_val_null();
    }
    struct find_ctx fc = {sk, BL_OK};
    int qrc = bl_store_query(sk->look, sk->sql_find, v, 2 * CHUNK + 1, find_row, &fc, im->d);
    if (fc.rc)
        return bl_diag_set(im->d, fc.rc, "out of memory looking orders up");
    if (qrc)
        return qrc < 0 ? qrc : BL_ESTORE;
    return lines_and_done(sk, v);
}

/* The stored lines of the chunk's orders found (v: room for CHUNK + 1 values on SQLite,
 * NULL on PostgreSQL). */
static int lines_and_done(struct bl__sink *sk, struct bl_val *v)
{
    struct bl__imp *im = sk->im;
    size_t nfound = 0;
    int64_t last = 0;
    for (size_t k = 0; k < sk->npend; k++)
        if (sk->pend[k].s.found)
            last = sk->pend[k].s.id, nfound++;
    if (!nfound)
        return BL_OK;
    struct lines_ctx lc = {sk, 0, BL_OK};
    if (!v) {
        bl_buf_reset(&sk->arr1);
        int brc = bl_buf_addc(&sk->arr1, '{');
        for (size_t k = 0, j = 0; !brc && k < sk->npend; k++)
            if (sk->pend[k].s.found)
                brc = bl_buf_addf(&sk->arr1, "%s%lld", j++ ? "," : "",
                                  (long long)sk->pend[k].s.id);
        brc = brc ? brc : bl_buf_addc(&sk->arr1, '}');
        if (brc)
            return bl_diag_set(im->d, brc, "out of memory reading order lines");
        struct bl_val q[2] = {bl_val_int(im->org),
                              bl_val_text((struct bl_str){sk->arr1.ptr, sk->arr1.len})};
        int rc = bl_store_query(im->st,
                                "SELECT order_id, line_no, sku_id, qty, price FROM order_line"
                                " WHERE org_id = $1 AND order_id = ANY($2::bigint[])"
                                " ORDER BY order_id, line_no",
                                q, 2, line_row, &lc, im->d);
        if (lc.rc)
            return bl_diag_set(im->d, lc.rc, "out of memory reading order lines");
        return rc < 0 ? rc : rc ? BL_ESTORE : BL_OK;
    }
    v[0] = bl_val_int(im->org);
    size_t j = 0;
    for (size_t k = 0; k < sk->npend; k++)
        if (sk->pend[k].s.found)
            v[1 + j++] = bl_val_int(sk->pend[k].s.id);
    for (; j < CHUNK; j++)
        v[1 + j] = bl_val_int(last);
    int rc = bl_store_query(sk->look, sk->sql_lines, v, CHUNK + 1, line_row, &lc, im->d);
    if (lc.rc)
        return bl_diag_set(im->d, lc.rc, "out of memory reading order lines");
    return rc < 0 ? rc : rc ? BL_ESTORE : BL_OK;
}

/* ---------------------------------------------------------------- new orders */

static int check_times(struct bl__sink *sk, struct bl__order *o);

static int insert_new(struct bl__sink *sk, struct bl__order *o, const struct bl__oline *l,
                      size_t n)
{
    struct bl__imp *im = sk->im;
    TRY(check_times(sk, o));
    o->id = sk->next_id++;
    for (size_t k = 0; k < n; k++)
        TRY(bl__line_insert(im, sk->olines, o->id, l[k].line_no, l[k].sku, l[k].qty,
                            l[k].price, o->src_line + (int64_t)k));
    sk->fresh++;
    return bl__order_insert(im, sk->orders, o);
}

/* ---------------------------------------------------------------- updates */

static int line_cmp(const void *a, const void *b)
{
    const struct bl__oline *x = a, *y = b;
    return (x->line_no > y->line_no) - (x->line_no < y->line_no);
}

static bool lines_equal(const struct bl__oline *a, size_t na, const struct bl__oline *b,
                        size_t nb)
{
    if (na != nb)
        return false;
    for (size_t k = 0; k < na; k++)
        if (a[k].line_no != b[k].line_no || a[k].sku != b[k].sku || a[k].qty != b[k].qty ||
            a[k].price != b[k].price)
            return false;
    return true;
}

static int64_t *time_of(struct bl__order *o, int f)
{
    switch (f) {
    case BL__OF_SHIP_BY: return &o->ship_by;
    case BL__OF_PROMISED: return &o->promised;
    case BL__OF_PICKED_UP: return &o->picked_up;
    case BL__OF_SHIPPED: return &o->shipped;
    case BL__OF_DELIVERED: return &o->delivered;
    default: return &o->cancelled;
    }
}

/* A new order's own times in order: none before it was placed, no delivery before its
 * shipment (or pickup). (A known order's changes are checked by times().) A published
 * dataset (Olist) checks its own times (names.own_times). */
static int check_times(struct bl__sink *sk, struct bl__order *o)
{
    char a[BL_ISO_MAX], b[BL_ISO_MAX], id[64];
    struct bl_diag *d = sk->im->d;
    if (sk->names.own_times)
        return BL_OK;
    for (int f = BL__OF_SHIP_BY; f <= BL__OF_CANCELLED; f++) {
        int64_t t = *time_of(o, f);
        if (t != BL__NONE && t < o->placed) {
            bl_str_copy(id, sizeof(id), o->ext);
            bl_diag_clear(d);
            bl_diag_at(d, sk->im->file, o->src_line, fname(sk, f));
            return bl_diag_set(d, BL_ECONFLICT,
                               "order %s: %s %s is before the order was placed (%s %s): no "
                               "time of an order comes before it was placed",
                               id, fname(sk, f), time_text(t, a),
                               iname(sk->names.placed, "placed_at"), time_text(o->placed, b));
        }
    }
    int64_t sent = o->shipped != BL__NONE ? o->shipped : o->picked_up;
    if (o->delivered != BL__NONE && sent != BL__NONE && o->delivered < sent) {
        int f = o->shipped != BL__NONE ? BL__OF_SHIPPED : BL__OF_PICKED_UP;
        bl_str_copy(id, sizeof(id), o->ext);
        bl_diag_clear(d);
        bl_diag_at(d, sk->im->file, o->src_line, fname(sk, BL__OF_DELIVERED));
        return bl_diag_set(d, BL_ECONFLICT,
                           "order %s: delivered at %s, before it was %s at %s: no delivery "
                           "before shipment",
                           id, time_text(o->delivered, a),
                           f == BL__OF_SHIPPED ? "shipped" : "picked up", time_text(sent, b));
    }
    return BL_OK;
}

static struct bl_str *text_of(struct bl__order *o, int f)
{
    switch (f) {
    case BL__OF_CHANNEL: return &o->channel;
    case BL__OF_TRACKING: return &o->tracking;
    case BL__OF_CUSTOMER: return &o->customer;
    default: return &o->locale;
    }
}

static struct bl_str stored_text(const struct stored *s, int f)
{
    switch (f) {
    case BL__OF_CHANNEL: return s->channel;
    case BL__OF_TRACKING: return s->tracking;
    case BL__OF_CUSTOMER: return s->customer;
    default: return s->locale;
    }
}

/* The stored order as a bl__order, to be changed field by field. */
static void from_stored(const struct pend *p, struct bl__order *n)
{
    const struct stored *s = &p->s;
    memset(n, 0, sizeof(*n));
    n->id = s->id;
    n->ext = p->o.ext;
    n->shop_id = p->o.shop_id;
    n->placed = s->placed;
    for (int f = BL__OF_SHIP_BY; f <= BL__OF_CANCELLED; f++)
        *time_of(n, f) = s->t[f];
    n->cancelled_by = s->cancelled_by;
    n->fulfil = s->fulfil;
    memcpy(n->currency, s->currency, sizeof(n->currency));
    memcpy(n->ship_from, s->from, sizeof(n->ship_from));
    memcpy(n->ship_to, s->to, sizeof(n->ship_to));
    n->channel = s->channel;
    n->tracking = s->tracking;
    n->customer = s->customer;
    n->locale = s->locale;
    n->amount = s->amount;
    n->src_line = p->o.src_line;
}

/* An identity field that differs: without --corrections the batch stops (col: the
 * source's column); with it the change is recorded as a correction, and the caller
 * applies it. */
static int correct(struct bl__sink *sk, struct pend *p, const char *col, const char *field,
                   const char *what, const char *old, const char *new_, bool *changed)
{
    if (!sk->im->opts->corrections) {
        char msg[200];
        snprintf(msg, sizeof(msg), "%s (give --corrections to record a correction)", what);
        return fail(sk, &p->o, col, msg, old, new_);
    }
    *changed = true;
    return event(sk, p, field, old, new_, true);
}

/* An amount as a person reads it: "27.48 USD". */
static void money_text(int64_t minor, const char *currency, char *out, size_t cap)
{
    struct bl_currency c;
    char num[48];
    if (bl_currency_lookup(bl_str_c(currency), &c, NULL) != BL_OK)
        c.exponent = 2;
    if (bl_money_format(minor, c.exponent, num, sizeof(num)) < 0)
        snprintf(num, sizeof(num), "%lld (minor units)", (long long)minor);
    snprintf(out, cap, "%s %s", num, currency);
}

static int identity(struct bl__sink *sk, struct pend *p, struct bl__order *n, bool *changed)
{
    struct bl__imp *im = sk->im;
    const struct bl__order *o = &p->o;
    char a[BL_ISO_MAX + 32], b[BL_ISO_MAX + 32];
    if (o->placed != n->placed) {
        TRY(correct(sk, p, iname(sk->names.placed, "placed_at"), "placed_at",
                    "the time an order was placed does not change", time_text(n->placed, a),
                    time_text(o->placed, b), changed));
        n->placed = o->placed;
    }
    if (strcmp(o->currency, n->currency) != 0) {
        TRY(correct(sk, p, iname(sk->names.currency, "currency"), "currency",
                    "an order's currency does not change", n->currency, o->currency, changed));
        memcpy(n->currency, o->currency, sizeof(n->currency));
    }
    const struct bl__oline *nl = sk->lines + p->line0;
    if (!lines_equal(sk->slines + p->s.line0, p->s.nlines, nl, p->nlines)) {
        snprintf(a, sizeof(a), "%zu line%s", p->s.nlines, p->s.nlines == 1 ? "" : "s");
        snprintf(b, sizeof(b), "%zu line%s", p->nlines, p->nlines == 1 ? "" : "s");
        if (p->s.nlines == p->nlines)
            snprintf(b + strlen(b), sizeof(b) - strlen(b), ", not the same");
        TRY(correct(sk, p, iname(sk->names.lines, "sku"), "lines",
                    "an order's lines (SKU, quantity, unit price) do not change", a, b,
                    changed));
        struct bl_val del[2] = {bl_val_int(im->org), bl_val_int(n->id)};
        TRY(bl_store_exec(im->st, "DELETE FROM order_line WHERE org_id = $1 AND order_id = $2",
                          del, 2, NULL, im->d));
        for (size_t k = 0; k < p->nlines; k++)
            TRY(bl__line_insert(im, sk->olines, n->id, nl[k].line_no, nl[k].sku, nl[k].qty,
                                nl[k].price, o->src_line + (int64_t)k));
    }
    if (o->amount != n->amount) {
        money_text(n->amount, p->s.currency, a, sizeof(a));
        money_text(o->amount, o->currency, b, sizeof(b));
        TRY(correct(sk, p, iname(sk->names.amount, "unit_price"), "amount",
                    "an order's amount does not change", a, b, changed));
        n->amount = o->amount;
    }
    return BL_OK;
}

/* Instants: set, extended, corrected; then the order of events. */
static int times(struct bl__sink *sk, struct pend *p, struct bl__order *n, bool *changed)
{
    struct bl__order *o = &p->o;
    bool fix = sk->im->opts->corrections;
    unsigned moved = 0;
    for (int f = BL__OF_SHIP_BY; f <= BL__OF_CANCELLED; f++) {
        if (!(o->known & (1u << f)))
            continue;
        int64_t ov = *time_of(n, f), nv = *time_of(o, f);
        int nby = f == BL__OF_CANCELLED ? o->cancelled_by : 0;
        if (f == BL__OF_CANCELLED && ov == nv && nv != BL__NONE && nby != n->cancelled_by &&
            nby >= 0) {
            /* who cancelled: learnt later, or corrected */
            bool learnt = n->cancelled_by == 3;
            if (!learnt && !fix)
                return fail(sk, o, "cancelled_by",
                            "who cancelled an order does not change (give --corrections)",
                            bl__cancellers[n->cancelled_by], bl__cancellers[nby]);
            TRY(event(sk, p, "cancelled_by", bl__cancellers[n->cancelled_by],
                      bl__cancellers[nby], !learnt));
            n->cancelled_by = nby;
            *changed = true;
        }
        if (f == BL__OF_CANCELLED && ov == BL__NONE && nv == BL__NONE && nby >= 0 &&
            n->cancelled_by < 0) {
            /* cancelled, when unknown: a source that says so but carries no time
             * (Temu's export, Olist's "canceled") */
            TRY(event(sk, p, "cancelled_by", "", bl__cancellers[nby], false));
            n->cancelled_by = nby;
            *changed = true;
        }
        if (ov == nv)
            continue;
        char a[BL_ISO_MAX], b[BL_ISO_MAX];
        time_text(ov, a);
        time_text(nv, b);
        const char *name = fname(sk, f);
        if (nv != BL__NONE && nv < n->placed)
            return fail(sk, o, name, "a time before the order was placed", a, b);
        if (f == BL__OF_DELIVERED && ov != BL__NONE && nv == BL__NONE)
            return fail(sk, o, name, "a delivered order is not un-delivered", a, b);
        bool extension = (f == BL__OF_SHIP_BY || f == BL__OF_PROMISED) && ov != BL__NONE &&
                         nv != BL__NONE && nv > ov;
        bool correction = ov != BL__NONE && !extension;
        if (correction && !fix)
            return fail(sk, o, name,
                        f == BL__OF_SHIP_BY || f == BL__OF_PROMISED
                            ? "a promised time moves later (the platform extends it), not "
                              "earlier nor away (give --corrections to record a correction)"
                            : "a recorded time does not move (give --corrections to record a "
                              "correction)",
                        a, b);
        TRY(event(sk, p, native_name[f], a, b, correction));
        if (f == BL__OF_CANCELLED) {
            const char *ob = n->cancelled_by >= 0 ? bl__cancellers[n->cancelled_by] : "";
            const char *nb = nv != BL__NONE ? bl__cancellers[nby >= 0 ? nby : 3] : "";
            if (strcmp(ob, nb) != 0)
                TRY(event(sk, p, "cancelled_by", ob, nb, correction));
            n->cancelled_by = nv != BL__NONE ? (nby >= 0 ? nby : 3) : -1;
        }
        *time_of(n, f) = nv;
        moved |= 1u << f;
        *changed = true;
    }
    /* No delivery before shipment, nor one without a shipment or a pickup. */
    if (moved & ((1u << BL__OF_DELIVERED) | (1u << BL__OF_SHIPPED) | (1u << BL__OF_PICKED_UP)) &&
        n->delivered != BL__NONE) {
        char a[BL_ISO_MAX], b[BL_ISO_MAX];
        int64_t sent = n->shipped != BL__NONE ? n->shipped : n->picked_up;
        if (sent == BL__NONE)
            return fail(sk, o, fname(sk, BL__OF_DELIVERED),
                        "delivered, but never shipped nor picked up: no delivery before "
                        "shipment",
                        "", time_text(n->delivered, b));
        if (n->delivered < sent) {
            struct bl_diag *d = sk->im->d;
            char id[64];
            bl_str_copy(id, sizeof(id), o->ext);
            bl_diag_clear(d);
            bl_diag_at(d, sk->im->file, o->src_line, fname(sk, BL__OF_DELIVERED));
            return bl_diag_set(d, BL_ECONFLICT,
                               "order %s: delivered at %s, before it was shipped at %s: no "
                               "delivery before shipment",
                               id, time_text(n->delivered, b), time_text(sent, a));
        }
    }
    return BL_OK;
}

static int texts(struct bl__sink *sk, struct pend *p, struct bl__order *n, bool *changed)
{
    struct bl__order *o = &p->o;
    char a[BL_REGION_MAX + 16], b[BL_REGION_MAX + 16];
    for (int f = BL__OF_FROM; f <= BL__OF_FULFIL; f++) {
        if (!(o->known & (1u << f)))
            continue;
        if (f == BL__OF_FROM || f == BL__OF_TO) {
            char *nv = f == BL__OF_FROM ? o->ship_from : o->ship_to;
            char *ov = f == BL__OF_FROM ? n->ship_from : n->ship_to;
            if (!*nv || strcmp(nv, ov) == 0)
                continue;
            bl_str_copy(a, sizeof(a), bl_str_c(ov));
            TRY(event(sk, p, native_name[f], a, nv, false));
            bl_str_copy(ov, BL_REGION_MAX, bl_str_c(nv));
        } else if (f == BL__OF_FULFIL) {
            if (o->fulfil == n->fulfil)
                continue;
            TRY(event(sk, p, native_name[f],
                      n->fulfil ? bl__fulfils[n->fulfil] : "the shop's",
                      o->fulfil ? bl__fulfils[o->fulfil] : "the shop's", false));
            n->fulfil = o->fulfil;
        } else {
            struct bl_str nv = *text_of(o, f), ov = stored_text(&p->s, f);
            if (!nv.len || bl_str_eq(nv, ov))
                continue;
            char *oa = bl_arena_strndup(&sk->arena, ov.ptr ? ov.ptr : "", ov.len);
            char *na = bl_arena_strndup(&sk->arena, nv.ptr, nv.len);
            if (!oa || !na)
                return bl_diag_set(sk->im->d, BL_ENOMEM, "out of memory");
            TRY(event(sk, p, native_name[f], oa, na, false));
            *text_of(n, f) = nv;
        }
        (void)b;
        *changed = true;
    }
    return BL_OK;
}

static int update(struct bl__sink *sk, struct pend *p)
{
    struct bl__imp *im = sk->im;
    if (p->s.id >= sk->first_new) {
        bl_diag_clear(im->d);
        bl_diag_at(im->d, im->file, p->o.src_line, "order");
        return bl_diag_set(im->d, BL_EEXISTS,
                           "duplicate order: this order is earlier in this file (an order's "
                           "lines must be consecutive rows)");
    }
    int64_t prev;
    bool added;
    char key[8];
    memcpy(key, &p->s.id, 8);
    prev = p->o.src_line;
    TRY(bl_map_get_or_put(&sk->seen, (struct bl_str){key, 8}, &prev, &added));
    if (!added) {
        bl_diag_clear(im->d);
        bl_diag_at(im->d, im->file, p->o.src_line, "order");
        return bl_diag_set(im->d, BL_EEXISTS,
                           "duplicate order: this order is twice in this file, here and at "
                           "line %lld (an order's lines must be consecutive rows)",
                           (long long)prev);
    }
    qsort(sk->lines + p->line0, p->nlines, sizeof(*sk->lines), line_cmp);
    struct bl__order n;
    from_stored(p, &n);
    bool changed = false;
    TRY(identity(sk, p, &n, &changed));
    TRY(times(sk, p, &n, &changed));
    TRY(texts(sk, p, &n, &changed));
    if (!changed) {
        sk->unchanged++;
        return BL_OK;
    }
    sk->updated++;
    return upd_row(sk, &n);
}

/* Side connection: hands the chunk's rows to the writer thread, which inserts them while
 * the next chunk is read and looked up (else it would get them by batches of 2048 rows). */
static int chunk_done(struct bl__sink *sk)
{
    if (sk->look == sk->im->st)
        return BL_OK;
    int rc = bl_inserter_kick(sk->orders, sk->im->d);
    rc = rc ? rc : bl_inserter_kick(sk->olines, sk->im->d);
    return rc || !sk->events ? rc : bl_inserter_kick(sk->events, sk->im->d);
}

/* Resolves the pending chunk: lookup, then each order in input order. */
static int resolve(struct bl__sink *sk)
{
    if (!sk->npend)
        return BL_OK;
    int rc = lookup(sk);
    for (size_t k = 0; !rc && k < sk->npend; k++) {
        struct pend *p = &sk->pend[k];
        rc = p->s.found ? update(sk, p)
                        : insert_new(sk, &p->o, sk->lines + p->line0, p->nlines);
    }
    if (!rc)
        rc = chunk_done(sk);
    sk->npend = 0;
    sk->nlines = 0;
    bl_map_release(&sk->keys);
    bl_map_release(&sk->ids);
    bl_arena_release(&sk->arena);
    return rc;
}

/* ---------------------------------------------------------------- the interface */

/* The index in im->shops of the shop with store id id, or -1 (an array by id, built at
 * open: every order asks). */
static int64_t shop_index(const struct bl__sink *sk, int64_t id)
{
    return id >= 0 && id <= sk->max_shop ? sk->shop_at[id] : -1;
}

struct has_ctx {
    struct bl__sink *sk;
};

static int has_row(void *ctx, const struct bl_row *r)
{
    struct has_ctx *c = ctx;
    int64_t i = shop_index(c->sk, bl_row_int(r, 0));
    if (i >= 0)
        c->sk->shop_has[i] = 1;
    return 0;
}

static int index_shops(struct bl__sink *sk)
{
    struct bl__imp *im = sk->im;
    sk->max_shop = -1;
    for (size_t i = 0; i < im->nshops; i++)
        if (im->shops[i].id > sk->max_shop)
            sk->max_shop = im->shops[i].id;
    size_t nids;
    sk->shop_at = bl_i64_to_size(sk->max_shop, &nids) && nids < SIZE_MAX
                      ? bl_calloc(nids + 1, sizeof(*sk->shop_at))
                      : bl_malloc(sizeof(*sk->shop_at));
    sk->shop_has = bl_malloc(im->nshops + 1);
    if (!sk->shop_at || !sk->shop_has)
        return bl_diag_set(im->d, BL_ENOMEM, "out of memory");
    for (int64_t id = 0; id <= sk->max_shop; id++)
        sk->shop_at[id] = -1;
    for (size_t i = 0; i < im->nshops; i++)
        if (im->shops[i].id >= 0)
            sk->shop_at[im->shops[i].id] = (int32_t)i;
    /* Which shops have orders, asked once for all of them: asking per shop as its first
     * order comes would wait each time for the rows handed to the store so far. */
    memset(sk->shop_has, 0, im->nshops + 1);
    struct bl_val org = bl_val_int(im->org);
    struct has_ctx c = {sk};
    return bl_store_query(im->st,
                          "SELECT s.id FROM shop s WHERE s.org_id = $1 AND EXISTS (SELECT 1"
                          " FROM orders o WHERE o.org_id = s.org_id AND o.shop_id = s.id)",
                          &org, 1, has_row, &c, im->d);
}

int bl__sink_open(struct bl__imp *im, const struct bl__sink_names *names,
                  struct bl__sink **out)
{
    *out = NULL;
    struct bl__sink *sk = bl_calloc(1, sizeof(*sk));
    if (!sk)
        return bl_diag_set(im->d, BL_ENOMEM, "out of memory");
    sk->im = im;
    if (names)
        sk->names = *names;
    bl_arena_init(&sk->arena, 1u << 14);
    bl_arena_init(&sk->seen_arena, 1u << 14);
    bl_map_init(&sk->seen, &sk->seen_arena);
    build_sql(sk);
    sk->pg = strcmp(bl_store_kind(im->st), "postgres") == 0;
    sk->look = im->st;
    struct bl_diag noside;
    bl_diag_clear(&noside);
    /* no side connection (PostgreSQL, in memory, or it cannot be opened): the chunks are
     * looked up on the batch's own connection, after the writer thread, as before */
    if (!sk->pg && (bl_store_side(im->st, &sk->look, &noside) != BL_OK || !sk->look))
        sk->look = im->st;
    sk->chunk = sk->pg ? CHUNK_PG : CHUNK;
    bl_buf_init(&sk->keybuf, 0);
    sk->pend = bl_calloc(sk->chunk, sizeof(*sk->pend)); /* 32 KiB on SQLite, not 1 MiB */
    bl_buf_init(&sk->arr1, 0);
    bl_buf_init(&sk->arr2, 0);
    int rc = sk->pend ? bl__imp_load_shops(im) : bl_diag_set(im->d, BL_ENOMEM, "out of memory");
    if (!rc)
        rc = index_shops(sk);
    if (!rc)
        rc = bl__imp_next_id(im, "orders", &sk->next_id);
    sk->first_new = sk->next_id;
    if (!rc)
        rc = bl_inserter_open(im->st, "orders", bl__order_db_cols, bl__order_db_ncols,
                              &sk->orders, im->d);
    if (!rc)
        rc = bl_inserter_open(im->st, "order_line", bl__line_db_cols, bl__line_db_ncols,
                              &sk->olines, im->d);
    if (rc) {
        struct bl_import_result ignore;
        memset(&ignore, 0, sizeof(ignore));
        return bl__sink_close(sk, rc, &ignore);
    }
    *out = sk;
    return BL_OK;
}

/* Whether the shop had orders before this batch (index_shops asked, at open). A shop
 * unknown then (cannot happen) is looked up with the others, which is always right. */
static bool shop_has_orders(const struct bl__sink *sk, int64_t shop_id)
{
    int64_t i = shop_index(sk, shop_id);
    return i < 0 || sk->shop_has[i] != 0;
}

static int hold(struct bl__sink *sk, const struct bl__order *o, const struct bl__oline *lines,
                size_t n)
{
    struct pend *p = &sk->pend[sk->npend];
    int rc = BL_OK;
    memset(p, 0, sizeof(*p));
    p->o = *o;
    p->o.ext = keep_text(sk, o->ext, &rc);
    p->o.customer = keep_text(sk, o->customer, &rc);
    p->o.channel = keep_text(sk, o->channel, &rc);
    p->o.locale = keep_text(sk, o->locale, &rc);
    p->o.tracking = keep_text(sk, o->tracking, &rc);
    if (!rc)
        rc = bl_grow((void **)&sk->lines, &sk->lines_cap, sk->nlines + n, sizeof(*sk->lines));
    if (rc)
        return bl_diag_set(sk->im->d, rc, "out of memory");
    memcpy(sk->lines + sk->nlines, lines, n * sizeof(*lines));
    p->line0 = sk->nlines;
    p->nlines = n;
    sk->nlines += n;
    sk->npend++;
    return sk->npend == sk->chunk ? resolve(sk) : BL_OK;
}

/* An order's amount, new or known, within BL__MONEY_MAX (docs/formats.md, "Ranges"). */
static int check_amount(struct bl__sink *sk, const struct bl__order *o)
{
    char id[64];
    struct bl_diag *d = sk->im->d;
    if (o->amount > BL__MONEY_MAX || o->amount < 0) {
        char m[48];
        int exp = 2;
        if (bl__imp_currency_exp(sk->im, bl_str_c(o->currency), &exp) ||
            bl_money_format(BL__MONEY_MAX, exp, m, sizeof(m)) < 0)
            m[0] = '\0';
        bl_str_copy(id, sizeof(id), o->ext);
        bl_diag_clear(d);
        bl_diag_at(d, sk->im->file, o->src_line, iname(sk->names.amount, "unit_price"));
        return bl_diag_set(d, BL_ERANGE,
                           "order %s: its amount (the sum of qty x unit_price of its lines) is "
                           "too large: expected at most %s %s",
                           id, m, o->currency);
    }
    return BL_OK;
}

int bl__sink_put(struct bl__sink *sk, const struct bl__order *o, const struct bl__oline *lines,
                 size_t n)
{
    bool has = shop_has_orders(sk, o->shop_id);
    struct bl__order copy = *o;
    TRY(check_amount(sk, &copy));
    /* A fulfilment that is the shop's is stored as the shop's (NULL): only the
     * exceptions are the order's own. */
    int64_t at = copy.fulfil ? shop_index(sk, copy.shop_id) : -1;
    if (at >= 0 && (copy.fulfil == BL__FULFIL_PLATFORM) == sk->im->shops[at].platform)
        copy.fulfil = BL__FULFIL_SHOP;
    if (has)
        return hold(sk, &copy, lines, n);
    return insert_new(sk, &copy, lines, n);
}

int bl__sink_close(struct bl__sink *sk, int rc, struct bl_import_result *res)
{
    struct bl__imp *im = sk->im;
    if (!rc)
        rc = resolve(sk);
    rc = bl_inserter_end(sk->orders, rc, im->d);
    rc = bl_inserter_end(sk->olines, rc, im->d);
    rc = bl_inserter_end(sk->events, rc, im->d);
    if (!rc) {
        rc = apply_updates(sk);
        if (!rc && sk->updated)
            rc = bl__orders_compact(im);
    } else if (sk->upd) {
        bl_inserter_discard(sk->upd);
    }
    if (!rc) {
        res->fresh += sk->fresh;
        res->updated += sk->updated;
        res->unchanged += sk->unchanged;
        res->changes += sk->changes;
        res->corrections += sk->corrections;
        res->records += sk->fresh + sk->updated;
    }
    bl_map_release(&sk->seen);
    bl_arena_release(&sk->seen_arena);
    bl_arena_release(&sk->arena);
    bl_free(sk->lines);
    bl_free(sk->slines);
    bl_free(sk->shop_has);
    bl_free(sk->shop_at);
    bl_buf_release(&sk->arr1);
    bl_buf_release(&sk->arr2);
    bl_buf_release(&sk->keybuf);
    bl_free(sk->pend);
    bl_free(sk);
    return rc;
}
