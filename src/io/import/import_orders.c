/* import_orders.c - orders (one row per order line) and channels (one row per
 * channel, lane and weight band): the two native kinds whose rows group into a
 * parent record. The parent's columns repeat on each of its rows and must agree;
 * a parent's rows are consecutive. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "io/import/import_impl.h"

#include "ballast/money.h"

#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))
#define REQ true
#define OPT false

const char *const bl__cancellers[] = {"seller", "buyer", "platform", "unknown", NULL};

const char *const bl__order_db_cols[] = {
    "org_id",      "id",         "ext_id",       "shop_id",   "customer",     "status",
    "placed_at",   "ship_by",    "ship_from",    "ship_to",   "picked_up_at", "shipped_at",
    "delivered_at", "promised_at", "cancelled_at", "cancelled_by", "amount",  "currency",
    "channel",     "locale",     "batch_id", "tracking",     "fulfilment", "stale"};
const size_t bl__order_db_ncols = NCOLS(bl__order_db_cols);
const char *const bl__line_db_cols[] = {"org_id", "order_id", "line_no", "sku_id", "qty", "price"};
const size_t bl__line_db_ncols = NCOLS(bl__line_db_cols);

static struct bl_val t_or_null(int64_t t)
{
    return t == BL__NONE ? bl_val_null() : bl_val_int(t);
}

static struct bl_val s_or_null(struct bl_str s)
{
    return s.len ? bl_val_text(s) : bl_val_null();
}

/* ---------------------------------------------------------------- order blocks */

static const char *const block_cols[] = {"org_id",    "batch_id",  "seq",    "first_id",
                                         "n",         "placed_lo", "placed_hi", "key_lo",
                                         "key_hi",    "data"};

/* Hands the encoder's block to the bulk inserter as the batch's next order_block row
 * (the store copies it; on SQLite the writer thread stores it while parsing goes on). */
static int block_write(struct bl__imp *im)
{
    struct bl_ordblock_meta m;
    int rc = bl_ordblock_enc_finish(im->blocks, &im->block_bytes, &m);
    if (rc)
        return bl_diag_set(im->d, rc, "packing order block %lld: %s",
                           (long long)im->block_seq + 1, bl_strerror(rc));
    if (!im->block_ins)
        TRY(bl_inserter_open(im->st, "order_block", block_cols, NCOLS(block_cols),
                             &im->block_ins, im->d));
    struct bl_val v[] = {bl_val_int(im->org),      bl_val_int(im->batch),
                         bl_val_int(++im->block_seq), bl_val_int(m.first_id),
                         bl_val_int(m.n),          bl_val_int(m.placed_lo),
                         bl_val_int(m.placed_hi),  bl_val_int(m.key_lo),
                         bl_val_int(m.key_hi),
                         bl_val_blob(im->block_bytes.ptr, im->block_bytes.len)};
    return bl_inserter_row(im->block_ins, v, im->block_line, im->d);
}

static int block_add(struct bl__imp *im, const struct bl__order *o)
{
    if (!im->blocks) {
        im->blocks = bl_malloc(sizeof(*im->blocks));
        if (!im->blocks || bl_ordblock_enc_init(im->blocks) != BL_OK) {
            bl_free(im->blocks);
            im->blocks = NULL;
            return bl_diag_set(im->d, BL_ENOMEM, "out of memory (order blocks)");
        }
        bl_buf_init(&im->block_bytes, 0);
        /* BALLAST_BLOCK_ORDERS makes blocks smaller (the tests use it to get many). */
        const char *env = getenv("BALLAST_BLOCK_ORDERS");
        long max = env && *env ? strtol(env, NULL, 10) : 0;
        if (max > 0 && max < BL_ORDBLOCK_MAX)
            im->blocks->max = (size_t)max;
    }
    struct bl_ordblock_row r = {
        .id = o->id,
        .shop = o->shop_id,
        .placed = o->placed,
        .ship_by = o->ship_by,
        .shipped = o->shipped,
        .picked_up = o->picked_up,
        .delivered = o->delivered,
        .promised = o->promised,
        .cancelled = o->cancelled,
        .cancel_by = o->cancelled_by + 1, /* bl__cancellers order is enum bl_cancel_by's */
        .amount = o->amount,
        .from = bl_str_c(o->ship_from),
        .to = bl_str_c(o->ship_to),
        .channel = o->channel,
        .currency = o->currency,
    };
    if (!bl_ordblock_enc_accepts(im->blocks, &r))
        TRY(block_write(im));
    if (im->blocks->n == 0)
        im->block_line = o->src_line;
    int rc = bl_ordblock_enc_add(im->blocks, &r);
    if (rc)
        return bl_diag_set(im->d, rc, "packing order %lld into its block: %s",
                           (long long)o->id, bl_strerror(rc));
    return BL_OK;
}

int bl__imp_blocks_flush(struct bl__imp *im)
{
    int rc = im->blocks && im->blocks->n ? block_write(im) : BL_OK;
    rc = bl_inserter_end(im->block_ins, rc, im->d);
    im->block_ins = NULL;
    bl__imp_blocks_release(im);
    return rc;
}

void bl__imp_blocks_release(struct bl__imp *im)
{
    if (im->block_ins) {
        bl_inserter_discard(im->block_ins);
        im->block_ins = NULL;
    }
    if (im->blocks) {
        bl_ordblock_enc_release(im->blocks);
        bl_free(im->blocks);
        im->blocks = NULL;
    }
    bl_buf_release(&im->block_bytes);
}

/* ---------------------------------------------------------------- order rows */

const char *bl__order_status(const struct bl__order *o)
{
    return o->cancelled_by >= 0                               ? "cancelled"
           : o->delivered != BL__NONE                      ? "delivered"
           : o->shipped != BL__NONE                        ? "shipped"
                                                           : "open";
}

int bl__order_insert(struct bl__imp *im, struct bl_inserter *ins, const struct bl__order *o)
{
    const char *status = bl__order_status(o);
    struct bl_val v[] = {
        bl_val_int(im->org),
        bl_val_int(o->id),
        bl_val_text(o->ext),
        bl_val_int(o->shop_id),
        s_or_null(o->customer),
        bl_val_text(bl_str_c(status)),
        bl_val_int(o->placed),
        t_or_null(o->ship_by),
        s_or_null(bl_str_c(o->ship_from)),
        s_or_null(bl_str_c(o->ship_to)),
        t_or_null(o->picked_up),
        t_or_null(o->shipped),
        t_or_null(o->delivered),
        t_or_null(o->promised),
        t_or_null(o->cancelled),
        o->cancelled_by >= 0 ? bl_val_text(bl_str_c(bl__cancellers[o->cancelled_by]))
                             : bl_val_null(),
        bl_val_int(o->amount),
        bl_val_text(bl_str_c(o->currency)),
        s_or_null(o->channel),
        s_or_null(o->locale),
        bl_val_int(im->batch),
        s_or_null(o->tracking),
        o->fulfil ? bl_val_text(bl_str_c(bl__fulfils[o->fulfil])) : bl_val_null(),
        /* an order fulfilled otherwise than its shop says is read from its row: the
         * order blocks hold no fulfilment (snapshot_blocks.c) */
        o->fulfil ? bl_val_int(1) : bl_val_null(),
    };
    int rc = bl_inserter_row(ins, v, o->src_line, im->d);
    return rc ? rc : block_add(im, o);
}

int bl__line_insert(struct bl__imp *im, struct bl_inserter *ins, int64_t order_id,
                    int64_t line_no, int64_t sku_id, int64_t qty, int64_t price,
                    int64_t src_line)
{
    struct bl_val v[] = {bl_val_int(im->org), bl_val_int(order_id), bl_val_int(line_no),
                         bl_val_int(sku_id),  bl_val_int(qty),      bl_val_int(price)};
    return bl_inserter_row(ins, v, src_line, im->d);
}

/* ---------------------------------------------------------------- orders */

enum { OR_ORDER, OR_SHOP, OR_LINE, OR_SKU, OR_QTY, OR_PRICE, OR_CURRENCY, OR_PLACED, OR_SHIP_BY,
       OR_PROMISED, OR_FROM, OR_TO, OR_PICKED, OR_SHIPPED, OR_DELIVERED, OR_CANCELLED,
       OR_CANCELLED_BY, OR_CUSTOMER, OR_LOCALE, OR_CHANNEL, OR_TRACKING, OR_FULFIL, OR_NCOLS };
static const struct bl__colspec order_cols[] = {
    {"order", BL__C_ID, REQ, NULL},
    {"shop", BL__C_ID, REQ, NULL},
    {"line", BL__C_POS, OPT, NULL},
    {"sku", BL__C_ID, REQ, NULL},
    {"qty", BL__C_POS, REQ, NULL},
    {"unit_price", BL__C_MONEY, REQ, NULL},
    {"currency", BL__C_CURRENCY, OPT, NULL},
    {"placed_at", BL__C_INSTANT, REQ, NULL},
    {"ship_by", BL__C_INSTANT, OPT, NULL},
    {"promised_at", BL__C_INSTANT, OPT, NULL},
    {"ship_from", BL__C_REGION, OPT, NULL},
    {"ship_to", BL__C_REGION, OPT, NULL},
    {"picked_up_at", BL__C_INSTANT, OPT, NULL},
    {"shipped_at", BL__C_INSTANT, OPT, NULL},
    {"delivered_at", BL__C_INSTANT, OPT, NULL},
    {"cancelled_at", BL__C_INSTANT, OPT, NULL},
    {"cancelled_by", BL__C_ENUM, OPT, bl__cancellers},
    {"customer", BL__C_ID, OPT, NULL},
    {"locale", BL__C_ID, OPT, NULL},
    {"channel", BL__C_ID, OPT, NULL},
    {"tracking", BL__C_ID, OPT, NULL},
    {"fulfilment", BL__C_ENUM, OPT, bl__fulfils + 1},
};

/* Columns that belong to the order, not the line: they must agree on every line. */
static const int order_level[] = {OR_CURRENCY, OR_PLACED,  OR_SHIP_BY,   OR_PROMISED,
                                  OR_FROM,     OR_TO,      OR_PICKED,    OR_SHIPPED,
                                  OR_DELIVERED, OR_CANCELLED, OR_CANCELLED_BY, OR_CUSTOMER,
                                  OR_LOCALE,   OR_CHANNEL, OR_TRACKING, OR_FULFIL};

/* The order field each optional column carries (-1: identity or line columns). */
static const int field_of[OR_NCOLS] = {
    [OR_ORDER] = -1,      [OR_SHOP] = -1,     [OR_LINE] = -1,
    [OR_SKU] = -1,        [OR_QTY] = -1,      [OR_PRICE] = -1,
    [OR_CURRENCY] = -1,   [OR_PLACED] = -1,   [OR_SHIP_BY] = BL__OF_SHIP_BY,
    [OR_PROMISED] = BL__OF_PROMISED,          [OR_FROM] = BL__OF_FROM,
    [OR_TO] = BL__OF_TO,  [OR_PICKED] = BL__OF_PICKED_UP,
    [OR_SHIPPED] = BL__OF_SHIPPED,            [OR_DELIVERED] = BL__OF_DELIVERED,
    [OR_CANCELLED] = BL__OF_CANCELLED,        [OR_CANCELLED_BY] = BL__OF_CANCELLED,
    [OR_CUSTOMER] = BL__OF_CUSTOMER,          [OR_LOCALE] = BL__OF_LOCALE,
    [OR_CHANNEL] = BL__OF_CHANNEL,            [OR_TRACKING] = BL__OF_TRACKING,
    [OR_FULFIL] = BL__OF_FULFIL,
};

struct orders_ctx {
    struct bl__sink *sink;
    unsigned known;
    struct bl__oline *lines;
    size_t nlines, lines_cap;
    struct bl__order o;
    bool pending;
    int exponent;
    int64_t next_line;
    struct bl_buf keep;                 /* raw text of the pending order's columns */
    size_t off[OR_NCOLS], len[OR_NCOLS];
    int64_t count;
};

static struct bl_str kept(const struct orders_ctx *c, int col)
{
    return (struct bl_str){c->keep.ptr + c->off[col], c->len[col]};
}

/* The CSV reader hands out a record's fields in one block (its record buffer or the
 * line itself), so the span from the first to the end of the last is copied at once;
 * a field outside the block (none today) is appended after it. */
static int keep_raw(struct bl__imp *im, struct orders_ctx *c)
{
    bl_buf_reset(&c->keep);
    uintptr_t lo = UINTPTR_MAX, hi = 0;
    for (int col = 0; col < OR_NCOLS; col++) {
        struct bl_str r = bl__imp_raw(im, col);
        uintptr_t p = (uintptr_t)r.ptr;
        if (!r.len)
            continue;
        if (p < lo)
            lo = p;
        if (p + r.len > hi)
            hi = p + r.len;
    }
    size_t span = hi > lo && hi - lo <= BL_CSV_MAX_RECORD ? (size_t)(hi - lo) : 0;
    if (span)
        TRY(bl_buf_add(&c->keep, (const char *)lo, span));
    for (int col = 0; col < OR_NCOLS; col++) {
        struct bl_str r = bl__imp_raw(im, col);
        uintptr_t p = (uintptr_t)r.ptr;
        c->len[col] = r.len;
        if (span && r.len && p >= lo && p + r.len <= lo + span) {
            c->off[col] = (size_t)(p - lo);
            continue;
        }
        c->off[col] = c->keep.len;
        TRY(bl_buf_adds(&c->keep, r));
    }
    return BL_OK;
}

static int flush_order(struct bl__imp *im, struct orders_ctx *c)
{
    (void)im;
    if (!c->pending)
        return BL_OK;
    c->pending = false;
    c->count++;
    int rc = bl__sink_put(c->sink, &c->o, c->lines, c->nlines);
    c->nlines = 0;
    return rc;
}

static int instant_or_none(struct bl__imp *im, int col, const struct bl_tz *tz, int64_t *t)
{
    bool has;
    TRY(bl__imp_instant(im, col, tz, t, &has));
    if (!has)
        *t = BL__NONE;
    return BL_OK;
}

static int start_order(struct bl__imp *im, struct orders_ctx *c, int64_t id)
{
    struct bl__order *o = &c->o;
    const struct bl__shop *shop;
    bool has;
    TRY(keep_raw(im, c));
    memset(o, 0, sizeof(*o));
    o->id = id;
    o->src_line = im->rec.line;
    TRY(bl__imp_id(im, OR_ORDER, &o->ext));
    o->ext = kept(c, OR_ORDER);
    TRY(bl__imp_shop_ref(im, OR_SHOP, &shop));
    o->shop_id = shop->id;
    memcpy(o->currency, shop->currency, 4);
    c->exponent = shop->exponent;
    TRY(bl__imp_currency(im, OR_CURRENCY, o->currency, &c->exponent, &has));
    const struct bl_tz *tz = im->tz ? im->tz : shop->tz;
    TRY(bl__imp_instant(im, OR_PLACED, tz, &o->placed, &has));
    TRY(instant_or_none(im, OR_SHIP_BY, tz, &o->ship_by));
    TRY(instant_or_none(im, OR_PROMISED, tz, &o->promised));
    TRY(instant_or_none(im, OR_PICKED, tz, &o->picked_up));
    TRY(instant_or_none(im, OR_SHIPPED, tz, &o->shipped));
    TRY(instant_or_none(im, OR_DELIVERED, tz, &o->delivered));
    TRY(instant_or_none(im, OR_CANCELLED, tz, &o->cancelled));
    TRY(bl__imp_region(im, OR_FROM, o->ship_from, &has));
    if (!has)
        memcpy(o->ship_from, shop->ship_from, sizeof(o->ship_from));
    TRY(bl__imp_region(im, OR_TO, o->ship_to, &has));
    TRY(bl__imp_enum(im, OR_CANCELLED_BY, -1, &o->cancelled_by));
    if (o->cancelled_by < 0 && o->cancelled != BL__NONE)
        o->cancelled_by = 3; /* unknown */
    struct bl_str s;
    TRY(bl__imp_id(im, OR_CUSTOMER, &s));
    o->customer = kept(c, OR_CUSTOMER);
    TRY(bl__imp_id(im, OR_LOCALE, &s));
    o->locale = kept(c, OR_LOCALE);
    TRY(bl__imp_id(im, OR_CHANNEL, &s));
    o->channel = kept(c, OR_CHANNEL);
    TRY(bl__imp_id(im, OR_TRACKING, &s));
    o->tracking = kept(c, OR_TRACKING);
    int fulfil;
    TRY(bl__imp_enum(im, OR_FULFIL, -1, &fulfil));
    o->fulfil = fulfil + 1; /* -1 (empty): the shop's */
    o->known = c->known;
    c->pending = true;
    c->next_line = 1;
    return BL_OK;
}

static int order_row(struct bl__imp *im, void *vctx)
{
    struct orders_ctx *c = vctx;
    bool same = c->pending && bl_str_eq(bl__imp_raw(im, OR_ORDER), kept(c, OR_ORDER)) &&
                bl_str_eq(bl__imp_raw(im, OR_SHOP), kept(c, OR_SHOP));
    if (same) {
        for (size_t k = 0; k < NCOLS(order_level); k++) {
            int col = order_level[k];
            if (!bl_str_eq(bl__imp_raw(im, col), kept(c, col)))
                return bl__imp_err(im, col, BL_ECONFLICT,
                                   "differs from line %lld of the same order: an order's "
                                   "own columns must be the same on each of its lines",
                                   (long long)c->o.src_line);
        }
    } else {
        TRY(flush_order(im, c));
        TRY(start_order(im, c, c->o.id + 1));
    }
    int64_t line_no = c->next_line, sku, qty, price, total;
    bool has;
    TRY(bl__imp_uint(im, OR_LINE, &line_no, &has));
    c->next_line = line_no + 1;
    TRY(bl__imp_ref(im, OR_SKU, "sku", &im->skus, &im->have_skus, &sku, &has));
    TRY(bl__imp_uint(im, OR_QTY, &qty, &has));
    TRY(bl__imp_money(im, OR_PRICE, c->exponent, &price, &has));
    if (price < 0)
        return bl__imp_err(im, OR_PRICE, BL_ERANGE, "negative unit price: expected 0 or more");
    if (bl_money_mul(price, qty, &total) || bl_money_add(c->o.amount, total, &c->o.amount))
        return bl__imp_err(im, OR_PRICE, BL_EOVERFLOW,
                           "the order amount overflows: qty * unit_price is too large");
    int rc = bl_grow((void **)&c->lines, &c->lines_cap, c->nlines + 1, sizeof(*c->lines));
    if (rc)
        return bl_diag_set(im->d, rc, "out of memory");
    c->lines[c->nlines++] = (struct bl__oline){line_no, sku, qty, price};
    return BL_OK;
}

static const char *order_names[NCOLS(order_cols)];
static pthread_once_t order_names_once = PTHREAD_ONCE_INIT;

static void order_names_fill(void)
{
    for (size_t i = 0; i < NCOLS(order_cols); i++)
        order_names[i] = order_cols[i].name;
}

int bl_import_orders_ahead(const struct bl_csv_source *src, size_t max_bytes,
                           struct bl_csv **out, struct bl_diag *d)
{
    *out = NULL;
    pthread_once(&order_names_once, order_names_fill);
    struct bl_csv *c = NULL;
    int rc = bl_csv_open_source(&c, src, d);
    if (!rc && bl_csv_set_jsonl(c, order_names, NCOLS(order_names)))
        rc = bl_diag_set(d, BL_EINVAL, "JSON Lines cannot be read here");
    rc = rc ? rc : bl_csv_read_ahead(c, max_bytes, d);
    if (rc) {
        bl_csv_close(c);
        return rc;
    }
    *out = c;
    return BL_OK;
}

int bl__orders_run(struct bl__imp *im, const char *path, struct bl_import_result *res)
{
    struct orders_ctx c;
    memset(&c, 0, sizeof(c));
    bl_buf_init(&c.keep, 1u << 20);
    static const struct bl__range ranges[] = {{OR_LINE, 1, BL__LINE_QTY_MAX},
                                              {OR_QTY, 1, BL__LINE_QTY_MAX}};
    BL__RANGES(im, ranges);
    int rc = bl__imp_open(im, path, path, order_cols, NCOLS(order_cols));
    for (int col = 0; !rc && col < OR_NCOLS; col++)
        if (field_of[col] >= 0 && im->col[col] >= 0)
            c.known |= 1u << field_of[col];
    if (!rc)
        rc = bl__sink_open(im, NULL, &c.sink);
    while (!rc && (rc = bl__imp_next(im)) == 1)
        rc = order_row(im, &c);
    if (!rc)
        rc = flush_order(im, &c);
    if (c.sink)
        rc = bl__sink_close(c.sink, rc, res);
    bl_buf_release(&c.keep);
    bl_free(c.lines);
    res->rows = im->rows;
    if (rc == BL_EEXISTS && im->d && strstr(im->d->msg, "order_line"))
        return bl__imp_dup(im, rc, "line",
                           "line number repeats within the order");
    if (rc == BL_EEXISTS && im->d && strstr(im->d->msg, "duplicate order"))
        return rc;
    return bl__imp_dup(im, rc, "order",
                       "duplicate order: this shop already has an order with this id earlier "
                       "in this file (an order's lines must be consecutive rows)");
}

/* ---------------------------------------------------------------- channels */

static const char *const modes[] = {"postal", "dedicated", "express", "air",
                                    "rail",   "sea",       "truck",   "overseas", NULL};
static const char *const tiers[] = {"core", "backup", NULL};

enum { CH_ID, CH_CARRIER, CH_MODE, CH_TIER, CH_ORIGIN, CH_DEST, CH_MINKG, CH_MAXKG, CH_BASE,
       CH_PERKG, CH_CURRENCY, CH_TMIN, CH_TMAX, CH_SLA, CH_CUTOFF, CH_TZ, CH_CAL, CH_VOL,
       CH_REMEDY, CH_NCOLS };
static const struct bl__colspec chan_cols[] = {
    {"channel", BL__C_ID, REQ, NULL},       {"carrier", BL__C_TEXT, REQ, NULL},
    {"mode", BL__C_ENUM, REQ, modes},       {"tier", BL__C_ENUM, OPT, tiers},
    {"origin", BL__C_REGION, REQ, NULL},    {"destination", BL__C_REGION, REQ, NULL},
    {"min_kg", BL__C_KG, REQ, NULL},        {"max_kg", BL__C_KG, REQ, NULL},
    {"base", BL__C_MONEY, REQ, NULL},       {"per_kg", BL__C_MONEY, OPT, NULL},
    {"currency", BL__C_CURRENCY, REQ, NULL}, {"transit_min", BL__C_UINT, REQ, NULL},
    {"transit_max", BL__C_UINT, REQ, NULL}, {"sla_days", BL__C_POS, OPT, NULL},
    {"cutoff", BL__C_HHMM, OPT, NULL},      {"tz", BL__C_TZ, OPT, NULL},
    {"calendar", BL__C_ID, OPT, NULL},      {"volumetric_divisor", BL__C_POS, OPT, NULL},
    {"remedy", BL__C_TEXT, OPT, NULL},
};
static const int chan_level[] = {CH_CARRIER, CH_MODE, CH_TIER, CH_CURRENCY, CH_TMIN, CH_TMAX,
                                 CH_SLA,     CH_CUTOFF, CH_TZ, CH_CAL,      CH_VOL,  CH_REMEDY};
static const char *const chan_db_cols[] = {
    "org_id",  "id",     "ext_id",   "carrier",  "mode", "tier",
    "transit_min", "transit_max", "sla_days", "cutoff", "tz", "calendar",
    "volumetric_divisor", "remedy", "currency", "batch_id"};
static const char *const rate_db_cols[] = {"org_id", "channel_id", "line_no", "origin",
                                           "destination", "min_g", "max_g", "base", "per_kg"};

struct chan_ctx {
    struct bl_inserter *chans, *rates;
    int64_t id, line_no, first_line;
    bool pending;
    int exponent;
    struct bl_buf keep;
    size_t off[CH_NCOLS], len[CH_NCOLS];
    int64_t count;
};

static struct bl_str ckept(const struct chan_ctx *c, int col)
{
    return (struct bl_str){c->keep.ptr + c->off[col], c->len[col]};
}

static int parse_hhmm(struct bl__imp *im, int col)
{
    struct bl_str v = bl__imp_raw(im, col);
    if (!v.len)
        return BL_OK;
    if (v.len == 5 && v.ptr[2] == ':') {
        int h = (v.ptr[0] - '0') * 10 + (v.ptr[1] - '0');
        int m = (v.ptr[3] - '0') * 10 + (v.ptr[4] - '0');
        bool digits = true;
        for (int i = 0; i < 5; i++)
            if (i != 2 && (v.ptr[i] < '0' || v.ptr[i] > '9'))
                digits = false;
        if (digits && h < 24 && m < 60)
            return BL_OK;
    }
    return bl__imp_err(im, col, BL_EPARSE, "expected a local time HH:MM such as 16:30");
}

static int start_channel(struct bl__imp *im, struct chan_ctx *c)
{
    bool has;
    int mode, tier;
    char cur[4];
    int64_t tmin, tmax, sla = 0, vol = 0;
    const struct bl_tz *tz = NULL;
    struct bl_str id, carrier, cal, remedy;
    bl_buf_reset(&c->keep);
    for (int col = 0; col < CH_NCOLS; col++) {
        struct bl_str r = bl__imp_raw(im, col);
        c->off[col] = c->keep.len;
        c->len[col] = r.len;
        TRY(bl_buf_adds(&c->keep, r));
    }
    TRY(bl__imp_id(im, CH_ID, &id));
    TRY(bl__imp_name(im, CH_CARRIER, &carrier, &has));
    TRY(bl__imp_enum(im, CH_MODE, 0, &mode));
    TRY(bl__imp_enum(im, CH_TIER, 0, &tier));
    TRY(bl__imp_currency(im, CH_CURRENCY, cur, &c->exponent, &has));
    TRY(bl__imp_uint(im, CH_TMIN, &tmin, &has));
    TRY(bl__imp_uint(im, CH_TMAX, &tmax, &has));
    if (tmax < tmin)
        return bl__imp_err(im, CH_TMAX, BL_ERANGE, "transit_max %lld is below transit_min %lld",
                           (long long)tmax, (long long)tmin);
    bool has_sla, has_vol;
    TRY(bl__imp_uint(im, CH_SLA, &sla, &has_sla));
    TRY(parse_hhmm(im, CH_CUTOFF));
    TRY(bl__imp_tz(im, CH_TZ, &tz, &has));
    TRY(bl__imp_id(im, CH_CAL, &cal));
    TRY(bl__imp_uint(im, CH_VOL, &vol, &has_vol));
    bool has_remedy;
    TRY(bl__imp_text(im, CH_REMEDY, &remedy, &has_remedy));
    c->id++;
    c->line_no = 0;
    c->first_line = im->rec.line;
    c->pending = true;
    c->count++;
    struct bl_val v[] = {bl_val_int(im->org),
                         bl_val_int(c->id),
                         bl_val_text(ckept(c, CH_ID)),
                         bl_val_text(ckept(c, CH_CARRIER)),
                         bl_val_text(bl_str_c(modes[mode])),
                         bl_val_text(bl_str_c(tiers[tier])),
                         bl_val_int(tmin),
                         bl_val_int(tmax),
                         has_sla ? bl_val_int(sla) : bl_val_null(),
                         s_or_null(ckept(c, CH_CUTOFF)),
                         bl_val_text(bl_str_c(tz ? bl_tz_name(tz) : "UTC")),
                         s_or_null(ckept(c, CH_CAL)),
                         has_vol ? bl_val_int(vol) : bl_val_null(),
                         s_or_null(ckept(c, CH_REMEDY)),
                         bl_val_text(bl_str_c(cur)),
                         bl_val_int(im->batch)};
    return bl_inserter_row(c->chans, v, im->rec.line, im->d);
}

static int chan_row(struct bl__imp *im, struct chan_ctx *c)
{
    if (c->pending && bl_str_eq(bl__imp_raw(im, CH_ID), ckept(c, CH_ID))) {
        for (size_t k = 0; k < NCOLS(chan_level); k++) {
            int col = chan_level[k];
            if (!bl_str_eq(bl__imp_raw(im, col), ckept(c, col)))
                return bl__imp_err(im, col, BL_ECONFLICT,
                                   "differs from line %lld of the same channel: a channel's "
                                   "own columns must be the same on each of its rows",
                                   (long long)c->first_line);
        }
    } else {
        TRY(start_channel(im, c));
    }
    bool has;
    char origin[BL_REGION_MAX], dest[BL_REGION_MAX];
    int64_t min_g, max_g, base, per_kg = 0;
    TRY(bl__imp_region(im, CH_ORIGIN, origin, &has));
    TRY(bl__imp_region(im, CH_DEST, dest, &has));
    TRY(bl__imp_kg(im, CH_MINKG, &min_g, &has));
    TRY(bl__imp_kg(im, CH_MAXKG, &max_g, &has));
    if (max_g <= min_g)
        return bl__imp_err(im, CH_MAXKG, BL_ERANGE, "max_kg must be more than min_kg");
    TRY(bl__imp_money(im, CH_BASE, c->exponent, &base, &has));
    TRY(bl__imp_money(im, CH_PERKG, c->exponent, &per_kg, &has));
    if (base < 0 || per_kg < 0)
        return bl__imp_err(im, base < 0 ? CH_BASE : CH_PERKG, BL_ERANGE,
                           "negative price: expected 0 or more");
    struct bl_val v[] = {bl_val_int(im->org),         bl_val_int(c->id),
                         bl_val_int(++c->line_no),    bl_val_text(bl_str_c(origin)),
                         bl_val_text(bl_str_c(dest)), bl_val_int(min_g),
                         bl_val_int(max_g),           bl_val_int(base),
                         bl_val_int(per_kg)};
    return bl_inserter_row(c->rates, v, im->rec.line, im->d);
}

int bl__channels_run(struct bl__imp *im, const char *path, struct bl_import_result *res)
{
    struct chan_ctx c;
    memset(&c, 0, sizeof(c));
    bl_buf_init(&c.keep, 1u << 20);
    int64_t next;
    static const struct bl__range ranges[] = {
        {CH_PERKG, 0, BL__PER_KG_MAX},  {CH_TMIN, 0, BL__DAYS_MAX}, {CH_TMAX, 0, BL__DAYS_MAX},
        {CH_SLA, 1, BL__DAYS_MAX},      {CH_VOL, 1, BL__DIVISOR_MAX}};
    BL__RANGES(im, ranges);
    int rc = bl__imp_open(im, path, path, chan_cols, NCOLS(chan_cols));
    if (!rc)
        rc = bl__imp_next_id(im, "channel", &next);
    if (!rc) {
        c.id = next - 1;
        rc = bl_inserter_open(im->st, "channel", chan_db_cols, NCOLS(chan_db_cols), &c.chans,
                              im->d);
    }
    if (!rc)
        rc = bl_inserter_open(im->st, "channel_rate", rate_db_cols, NCOLS(rate_db_cols),
                              &c.rates, im->d);
    while (!rc && (rc = bl__imp_next(im)) == 1)
        rc = chan_row(im, &c);
    rc = bl_inserter_end(c.chans, rc, im->d);
    rc = bl_inserter_end(c.rates, rc, im->d);
    bl_buf_release(&c.keep);
    res->rows = im->rows;
    res->records = c.count;
    return bl__imp_dup(im, rc, "channel",
                       "duplicate channel: a channel with this id is already in the store or "
                       "earlier in this file (a channel's rows must be consecutive)");
}
