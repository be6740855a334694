/* shopify.c - Shopify's orders export (Admin > Orders > Export, CSV; docs/formats.md,
 * "Shopify").
 *
 * One row per line item. The order's own columns (statuses, times, currency, the
 * shipping address) are filled on an order's first row only and blank on the rows of
 * its other items, which repeat Name (and Email). Times are the shop's local time with
 * the offset after a space: "2024-10-01 12:34:56 -0400".
 */
#include <stdio.h>
#include <string.h>

#include "io/import/import_impl.h"

#include "ballast/money.h"

#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))
#define REQ true
#define OPT false

static const char *const fulfilments[] = {"fulfilled", "partial", "unfulfilled", "restocked", NULL};
enum { FS_FULFILLED, FS_PARTIAL, FS_UNFULFILLED, FS_RESTOCKED };
/* Read to refuse what is not Shopify's; Ballast does not act on payment. */
static const char *const financials[] = {
    "pending",  "authorized", "partially_paid", "paid", "partially_refunded",
    "refunded", "voided",     "expired",        NULL};
static const char *const yes_no[] = {"true", "false", NULL};

enum {
    SH_NAME,
    SH_FINANCIAL,
    SH_FULFIL,
    SH_FULFILLED,
    SH_CURRENCY,
    SH_METHOD,
    SH_CREATED,
    SH_QTY,
    SH_PRICE,
    SH_SKU,
    SH_SHIPS,
    SH_ZIP,
    SH_PROVINCE,
    SH_COUNTRY,
    SH_CANCELLED,
    SH_NCOLS
};
static const struct bl__colspec cols[] = {
    {"Name", BL__C_ID, REQ, NULL},
    {"Financial Status", BL__C_ENUM, OPT, financials},
    {"Fulfillment Status", BL__C_ENUM, OPT, fulfilments},
    {"Fulfilled at", BL__C_INSTANT, OPT, NULL},
    {"Currency", BL__C_CURRENCY, OPT, NULL},
    {"Shipping Method", BL__C_ID, OPT, NULL},
    {"Created at", BL__C_INSTANT, OPT, NULL},
    {"Lineitem quantity", BL__C_POS, REQ, NULL},
    {"Lineitem price", BL__C_MONEY, REQ, NULL},
    {"Lineitem sku", BL__C_ID, OPT, NULL},
    {"Lineitem requires shipping", BL__C_ENUM, OPT, yes_no},
    {"Shipping Zip", BL__C_TEXT, OPT, NULL},
    {"Shipping Province", BL__C_TEXT, OPT, NULL},
    {"Shipping Country", BL__C_TEXT, OPT, NULL},
    {"Cancelled at", BL__C_INSTANT, OPT, NULL},
};
/* Columns the export must have; of them, those its first row of an order must fill. */
static const int needed[] = {SH_FINANCIAL, SH_FULFIL, SH_FULFILLED, SH_CURRENCY,
                             SH_CREATED,   SH_SKU,    SH_COUNTRY,   SH_CANCELLED};
static const int first_row[] = {SH_FINANCIAL, SH_FULFIL, SH_CURRENCY, SH_CREATED};

struct shop_ctx {
    struct bl__imp *im;
    const struct bl__shop *shop;
    struct bl__sink *sk;
    struct bl__order o;
    bool pending;
    int exponent;
    char name[256]; /* the pending order's Name */
    struct bl__oline *lines;
    size_t nlines, lines_cap;
    int64_t row_no, skip_lines;
};

/* Shopify writes "2024-10-01 12:34:56 -0400": the offset after a space, which ISO 8601
 * does not have; the space is dropped before the time is read. */
static int when(struct bl__imp *im, int c, const struct bl_tz *tz, int64_t *t)
{
    struct bl_str v = bl__imp_raw(im, c);
    *t = BL__NONE;
    if (!v.len)
        return BL_OK;
    char buf[48];
    if (v.len < sizeof(buf) && v.len > 6 && v.ptr[v.len - 6] == ' ' &&
        (v.ptr[v.len - 5] == '+' || v.ptr[v.len - 5] == '-')) {
        memcpy(buf, v.ptr, v.len - 6);
        memcpy(buf + v.len - 6, v.ptr + v.len - 5, 5);
        v = (struct bl_str){buf, v.len - 1};
    }
    struct bl_diag tmp;
    bl_diag_clear(&tmp);
    int rc = bl_time_parse(v, tz, t, &tmp);
    if (rc)
        return bl__imp_err(im, c, rc, "%s (Shopify writes times as 2024-10-01 12:34:56 -0400)",
                           tmp.msg);
    bl__ident_instant(im, tz, v);
    return BL_OK;
}

static int flush(struct shop_ctx *s)
{
    if (!s->pending)
        return BL_OK;
    s->pending = false;
    if (!s->nlines) /* only items that do not ship (gift cards, tips) */
        return BL_OK;
    return bl__sink_put(s->sk, &s->o, s->lines, s->nlines);
}

static int start(struct shop_ctx *s)
{
    struct bl__imp *im = s->im;
    struct bl__order *o = &s->o;
    bool has;
    for (size_t k = 0; k < NCOLS(first_row); k++)
        if (!bl__imp_has(im, first_row[k]))
            return bl__imp_err(im, first_row[k], BL_EPARSE,
                               "missing value on the first row of order %.*s: expected the "
                               "order's own columns there (later rows of an order leave them "
                               "blank)",
                               (int)bl__imp_raw(im, SH_NAME).len, bl__imp_raw(im, SH_NAME).ptr);
    memset(o, 0, sizeof(*o));
    o->src_line = im->rec.line;
    o->shop_id = s->shop->id;
    struct bl_str name;
    TRY(bl__imp_id(im, SH_NAME, &name));
    bl_str_copy(s->name, sizeof(s->name), name);
    o->ext = bl_str_c(s->name);
    const struct bl_tz *tz = im->tz ? im->tz : s->shop->tz;
    TRY(when(im, SH_CREATED, tz, &o->placed));
    int fs, fin;
    TRY(bl__imp_enum(im, SH_FULFIL, 0, &fs));
    TRY(bl__imp_enum(im, SH_FINANCIAL, 0, &fin));
    o->ship_by = o->promised = o->picked_up = o->shipped = o->delivered = BL__NONE;
    int64_t fulfilled;
    TRY(when(im, SH_FULFILLED, tz, &fulfilled));
    TRY(when(im, SH_CANCELLED, tz, &o->cancelled));
    o->cancelled_by = o->cancelled != BL__NONE ? 3 : -1; /* the export does not say who */
    o->known = (1u << BL__OF_CANCELLED) | (1u << BL__OF_TO) | (1u << BL__OF_CHANNEL);
    if (fs == FS_FULFILLED) {
        if (fulfilled == BL__NONE)
            return bl__imp_err(im, SH_FULFILLED, BL_EPARSE,
                               "missing value: expected the time of fulfilment of a "
                               "fulfilled order");
        o->shipped = fulfilled;
        o->known |= 1u << BL__OF_SHIPPED;
    } else if (fs == FS_UNFULFILLED) {
        o->known |= 1u << BL__OF_SHIPPED; /* not shipped */
    } /* partial: not all of it shipped yet; restocked: cancelled and back in stock */
    TRY(bl__imp_currency(im, SH_CURRENCY, o->currency, &s->exponent, &has));
    struct bl_str method;
    TRY(bl__imp_id(im, SH_METHOD, &method));
    o->channel = method;
    memcpy(o->ship_from, s->shop->ship_from, sizeof(o->ship_from));
    TRY(bl__report_region(im, SH_COUNTRY, SH_PROVINCE, SH_ZIP, o->ship_to, &has));
    s->pending = true;
    s->nlines = 0;
    s->row_no = 0;
    return BL_OK;
}

static int row(struct shop_ctx *s)
{
    struct bl__imp *im = s->im;
    if (!s->pending || !bl_str_eq(bl__imp_raw(im, SH_NAME), bl_str_c(s->name))) {
        TRY(flush(s));
        TRY(start(s));
        /* The channel's text lives in the record: keep it past the next row. */
        if (s->o.channel.len) {
            char *ch = bl_arena_strndup(&im->arena, s->o.channel.ptr, s->o.channel.len);
            if (!ch)
                return bl_diag_set(im->d, BL_ENOMEM, "out of memory");
            s->o.channel.ptr = ch;
        }
    }
    s->row_no++;
    int64_t sku, qty, price, total;
    bool has;
    int ships;
    TRY(bl__imp_enum(im, SH_SHIPS, 0, &ships));
    if (!bl__imp_has(im, SH_SKU) && ships == 1) {
        s->skip_lines++; /* a gift card, a tip: nothing to ship, and no SKU */
        return BL_OK;
    }
    if (!bl__imp_has(im, SH_SKU))
        return bl__imp_err(im, SH_SKU, BL_EPARSE,
                           "missing value: expected the SKU of an item that ships (give the "
                           "product's variant a SKU in Shopify)");
    TRY(bl__imp_ref(im, SH_SKU, "sku", &im->skus, &im->have_skus, &sku, &has));
    TRY(bl__imp_uint(im, SH_QTY, &qty, &has));
    TRY(bl__imp_money(im, SH_PRICE, s->exponent, &price, &has));
    if (price < 0)
        return bl__imp_err(im, SH_PRICE, BL_ERANGE, "negative unit price: expected 0 or more");
    if (bl_money_mul(price, qty, &total) || bl_money_add(s->o.amount, total, &s->o.amount))
        return bl__imp_err(im, SH_PRICE, BL_EOVERFLOW, "the order amount overflows");
    TRY(bl_grow((void **)&s->lines, &s->lines_cap, s->nlines + 1, sizeof(*s->lines)));
    s->lines[s->nlines++] = (struct bl__oline){s->row_no, sku, qty, price};
    return BL_OK;
}

int bl__shopify_run(struct bl__imp *im, const char *path, struct bl_import_result *res)
{
    struct shop_ctx s;
    memset(&s, 0, sizeof(s));
    s.im = im;
    static const struct bl__range ranges[] = {{SH_QTY, 1, BL__LINE_QTY_MAX}};
    BL__RANGES(im, ranges);
    im->report = true;
    int rc = bl__imp_shop_find(im, im->opts->shop, &s.shop);
    if (!rc)
        rc = bl__imp_open(im, path, path, cols, NCOLS(cols));
    for (size_t k = 0; !rc && k < NCOLS(needed); k++)
        if (im->col[needed[k]] < 0)
            rc = bl__imp_err(im, needed[k], BL_EPARSE,
                             "required column '%s' is missing from the header: expected "
                             "Shopify's orders export",
                             cols[needed[k]].name);
    struct bl__sink_names names = {.placed = "Created at",
                                   .currency = "Currency",
                                   .amount = "Lineitem price",
                                   .lines = "Lineitem sku"};
    names.field[BL__OF_SHIPPED] = "Fulfilled at";
    names.field[BL__OF_CANCELLED] = "Cancelled at";
    names.field[BL__OF_TO] = "Shipping Country";
    names.field[BL__OF_CHANNEL] = "Shipping Method";
    if (!rc)
        rc = bl__sink_open(im, &names, &s.sk);
    while (!rc && (rc = bl__imp_next(im)) == 1)
        rc = row(&s);
    if (!rc)
        rc = flush(&s);
    if (s.sk)
        rc = bl__sink_close(s.sk, rc, res);
    res->rows = im->rows;
    if (s.skip_lines)
        snprintf(res->note, sizeof(res->note),
                 "%lld item%s without a SKU that %s not ship (gift cards, tips) %s left out",
                 (long long)s.skip_lines, s.skip_lines == 1 ? "" : "s",
                 s.skip_lines == 1 ? "does" : "do", s.skip_lines == 1 ? "was" : "were");
    bl_free(s.lines);
    return rc;
}
