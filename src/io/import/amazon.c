/* amazon.c - Amazon Seller Central's All Orders report (docs/formats.md, "Amazon").
 *
 * The report is a tab-separated flat file that never quotes (a product name keeps its
 * quotes as typed), one row per order item, the order's own columns repeated on each
 * of its rows. The report says where an order stands (order-status) and when it last
 * changed (last-updated-date), not when it shipped or was delivered: a status time is
 * the last-updated-date of the first report that shows the status, and a later report
 * leaves it as stored (the order is looked up), so the next day's report does not
 * "move" a recorded time. Orders Ballast cannot take as they are (not priced yet, or
 * cancelled before Ballast saw them) are skipped and counted.
 */
#include <stdio.h>
#include <string.h>

#include "io/import/import_impl.h"

#include "ballast/money.h"

#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))
#define REQ true
#define OPT false

/* order-status, as the report writes it: the Orders API's states and the carrier
 * states of merchant-fulfilled orders ("Shipped - ..."). Grouped by what Ballast
 * makes of them (see class_of). */
static const char *const statuses[] = {"Pending",
                                       "PendingAvailability",
                                       "Unshipped",
                                       "PartiallyShipped",
                                       "Shipping",
                                       "InvoiceUnconfirmed",
                                       "Unfulfillable",
                                       "Pending - Waiting for Pick Up",
                                       "Shipped",
                                       "Shipped - Out for Delivery",
                                       "Shipped - Picked Up",
                                       "Shipped - Lost in Transit",
                                       "Shipped - Damaged",
                                       "Shipped - Returning to Seller",
                                       "Shipped - Returned to Seller",
                                       "Shipped - Rejected by Buyer",
                                       "Shipped - Undeliverable",
                                       "Shipped - Delivered to Buyer",
                                       "Cancelled",
                                       NULL};
enum { ST_WAIT_PICKUP = 7, ST_SHIPPED = 8, ST_DELIVERED = 17, ST_CANCELLED = 18 };
enum cls { C_OPEN, C_WAIT, C_SHIPPED, C_DELIVERED, C_CANCELLED };

static enum cls class_of(int st)
{
    if (st == ST_CANCELLED)
        return C_CANCELLED;
    if (st == ST_DELIVERED)
        return C_DELIVERED;
    if (st >= ST_SHIPPED)
        return C_SHIPPED;
    return st == ST_WAIT_PICKUP ? C_WAIT : C_OPEN;
}

/* Seller Central writes Amazon / Merchant; the API's report the codes AFN / MFN. */
static const char *const channels[] = {"Amazon", "Merchant", "AFN", "MFN", NULL};

enum {
    AZ_ORDER,
    AZ_PURCHASE,
    AZ_UPDATED,
    AZ_STATUS,
    AZ_FULFIL,
    AZ_SERVICE,
    AZ_SKU,
    AZ_QTY,
    AZ_CURRENCY,
    AZ_PRICE,
    AZ_STATE,
    AZ_ZIP,
    AZ_COUNTRY,
    AZ_NCOLS
};
static const struct bl__colspec cols[] = {
    {"amazon-order-id", BL__C_ID, REQ, NULL},
    {"purchase-date", BL__C_INSTANT, REQ, NULL},
    {"last-updated-date", BL__C_INSTANT, REQ, NULL},
    {"order-status", BL__C_ENUM, REQ, statuses},
    {"fulfillment-channel", BL__C_ENUM, REQ, channels},
    {"ship-service-level", BL__C_ID, OPT, NULL},
    {"sku", BL__C_ID, REQ, NULL},
    {"quantity", BL__C_UINT, REQ, NULL},
    {"currency", BL__C_CURRENCY, OPT, NULL}, /* empty while Pending */
    {"item-price", BL__C_MONEY, OPT, NULL},  /* likewise */
    {"ship-state", BL__C_TEXT, OPT, NULL},
    {"ship-postal-code", BL__C_TEXT, OPT, NULL},
    {"ship-country", BL__C_TEXT, OPT, NULL},
};
/* The order's own columns: the same on each of its rows. */
static const int order_level[] = {AZ_PURCHASE, AZ_UPDATED, AZ_STATUS, AZ_FULFIL,
                                  AZ_SERVICE,  AZ_STATE,   AZ_ZIP,    AZ_COUNTRY};

struct az {
    struct bl__imp *im;
    const struct bl__shop *shop;
    struct bl__sink *sk;
    struct bl__order o;
    bool pending;
    enum cls cls;
    int64_t updated; /* last-updated-date */
    int exponent;
    bool unpriced;      /* an item without a price (Pending orders) */
    int64_t row_no;     /* rows of the order so far: the line number */
    struct bl_buf keep; /* the first row's raw text of the order's columns */
    size_t off[AZ_NCOLS], len[AZ_NCOLS];
    struct bl__oline *lines;
    size_t nlines, lines_cap;
    int64_t skip_unpriced, skip_cancelled;
};

static struct bl_str kept(const struct az *a, int col)
{
    return (struct bl_str){a->keep.ptr + a->off[col], a->len[col]};
}

/* ---------------------------------------------------------------- the stored order */

struct stored {
    bool found;
    int64_t id, shipped, delivered, cancelled, amount;
    char currency[4];
    struct bl__oline *lines;
    size_t n, cap;
    int rc;
};

static int stored_row(void *ctx, const struct bl_row *r)
{
    struct stored *s = ctx;
    s->found = true;
    s->id = bl_row_int(r, 0);
    s->shipped = bl_row_int_or(r, 1, BL__NONE);
    s->delivered = bl_row_int_or(r, 2, BL__NONE);
    s->cancelled = bl_row_int_or(r, 3, BL__NONE);
    s->amount = bl_row_int(r, 4);
    bl_str_copy(s->currency, sizeof(s->currency), bl_row_text(r, 5));
    return 0;
}

static int stored_line(void *ctx, const struct bl_row *r)
{
    struct stored *s = ctx;
    int rc = bl_grow((void **)&s->lines, &s->cap, s->n + 1, sizeof(*s->lines));
    if (rc)
        return rc;
    s->lines[s->n++] =
        (struct bl__oline){bl_row_int(r, 0), bl_row_int(r, 1), bl_row_int(r, 2), bl_row_int(r, 3)};
    return 0;
}

/* The order as stored (its times; its lines when want_lines), if it is. */
static int lookup(struct az *a, struct stored *s, bool want_lines)
{
    struct bl__imp *im = a->im;
    struct bl_val p[3] = {bl_val_int(im->org), bl_val_int(a->o.shop_id), bl_val_text(a->o.ext)};
    TRY(bl_store_query(im->st,
                       "SELECT id, shipped_at, delivered_at, cancelled_at, amount, currency "
                       "FROM orders WHERE org_id = $1 AND shop_id = $2 AND ext_id = $3",
                       p, 3, stored_row, s, im->d));
    if (!s->found || !want_lines)
        return BL_OK;
    struct bl_val q[2] = {bl_val_int(im->org), bl_val_int(s->id)};
    return bl_store_query(im->st,
                          "SELECT line_no, sku_id, qty, price FROM order_line "
                          "WHERE org_id = $1 AND order_id = $2 ORDER BY line_no",
                          q, 2, stored_line, s, im->d);
}

/* ---------------------------------------------------------------- orders */

/* A status time: this report's last-updated-date, unless the store has one already
 * (the first report that showed the status gave it; a later one does not move it). */
static void status_time(struct az *a, int field, int64_t stored, int64_t *t)
{
    if (stored != BL__NONE) {
        a->o.known &= ~(1u << field);
        return;
    }
    *t = a->updated;
    a->o.known |= 1u << field;
}

static int flush(struct az *a)
{
    if (!a->pending)
        return BL_OK;
    a->pending = false;
    struct bl__order *o = &a->o;
    bool live = a->nlines > 0 && !a->unpriced;
    struct stored s = {.shipped = BL__NONE, .delivered = BL__NONE, .cancelled = BL__NONE};
    int rc = BL_OK;
    if (!live || a->cls != C_OPEN)
        rc = lookup(a, &s, !live);
    const struct bl__oline *lines = a->lines;
    size_t n = a->nlines;
    if (!rc && !live) {
        /* No item with a quantity and a price: Amazon has not priced the order yet
         * (Pending), or cancelled it (quantities 0). A stored order keeps its lines;
         * one Ballast never saw is of no use to it. */
        if (!s.found) {
            if (a->unpriced)
                a->skip_unpriced++;
            else
                a->skip_cancelled++;
            bl_free(s.lines);
            return BL_OK;
        }
        lines = s.lines;
        n = s.n;
        o->amount = s.amount;
        memcpy(o->currency, s.currency, sizeof(o->currency));
    }
    if (!rc) {
        o->cancelled_by = -1;
        o->known |= 1u << BL__OF_CANCELLED; /* not cancelled, unless said below */
        switch (a->cls) {
        case C_OPEN:
            o->known |= (1u << BL__OF_SHIPPED) | (1u << BL__OF_DELIVERED);
            break;
        case C_WAIT: /* awaiting the carrier's pickup (Easy Ship): not shipped yet, but
                        the status is read both ways, so a stored shipment stays */
            break;
        case C_DELIVERED:
            status_time(a, BL__OF_DELIVERED, s.delivered, &o->delivered);
            /* fall through */
        case C_SHIPPED:
            status_time(a, BL__OF_SHIPPED, s.shipped, &o->shipped);
            break;
        case C_CANCELLED:
            o->cancelled_by = 3; /* the report does not say who */
            status_time(a, BL__OF_CANCELLED, s.cancelled, &o->cancelled);
            break;
        }
        rc = bl__sink_put(a->sk, o, lines, n);
    }
    bl_free(s.lines);
    return rc;
}

static int start(struct az *a)
{
    struct bl__imp *im = a->im;
    struct bl__order *o = &a->o;
    const struct bl__shop *shop = a->shop;
    bool has;
    bl_buf_reset(&a->keep);
    for (int c = 0; c < AZ_NCOLS; c++) {
        struct bl_str r = bl__imp_raw(im, c);
        a->off[c] = a->keep.len;
        a->len[c] = r.len;
        TRY(bl_buf_adds(&a->keep, r));
    }
    memset(o, 0, sizeof(*o));
    o->src_line = im->rec.line;
    o->shop_id = shop->id;
    TRY(bl__imp_id(im, AZ_ORDER, &o->ext));
    o->ext = kept(a, AZ_ORDER);
    const struct bl_tz *tz = im->tz ? im->tz : shop->tz;
    TRY(bl__imp_instant(im, AZ_PURCHASE, tz, &o->placed, &has));
    TRY(bl__imp_instant(im, AZ_UPDATED, tz, &a->updated, &has));
    if (a->updated < o->placed)
        return bl__imp_err(im, AZ_UPDATED, BL_ERANGE,
                           "last updated before the purchase: expected a time at or after "
                           "purchase-date");
    int st, ch;
    TRY(bl__imp_enum(im, AZ_STATUS, 0, &st));
    TRY(bl__imp_enum(im, AZ_FULFIL, 0, &ch));
    a->cls = class_of(st);
    o->fulfil = ch % 2 == 0 ? BL__FULFIL_PLATFORM : BL__FULFIL_MERCHANT;
    o->ship_by = o->promised = o->picked_up = o->shipped = o->delivered = o->cancelled = BL__NONE;
    struct bl_str svc;
    TRY(bl__imp_id(im, AZ_SERVICE, &svc));
    o->channel = kept(a, AZ_SERVICE);
    memcpy(o->ship_from, shop->ship_from, sizeof(o->ship_from));
    TRY(bl__report_region(im, AZ_COUNTRY, AZ_STATE, AZ_ZIP, o->ship_to, &has));
    memcpy(o->currency, shop->currency, 4);
    a->exponent = shop->exponent;
    o->known = (1u << BL__OF_TO) | (1u << BL__OF_CHANNEL) | (1u << BL__OF_FULFIL);
    a->pending = true;
    a->unpriced = false;
    a->nlines = 0;
    a->row_no = 0;
    return BL_OK;
}

static int row(struct az *a)
{
    struct bl__imp *im = a->im;
    if (a->pending && bl_str_eq(bl__imp_raw(im, AZ_ORDER), kept(a, AZ_ORDER))) {
        for (size_t k = 0; k < NCOLS(order_level); k++) {
            int c = order_level[k];
            if (!bl_str_eq(bl__imp_raw(im, c), kept(a, c)))
                return bl__imp_err(im, c, BL_ECONFLICT,
                                   "differs from line %lld of the same order: an order's own "
                                   "columns are the same on each of its rows",
                                   (long long)a->o.src_line);
        }
    } else {
        TRY(flush(a));
        TRY(start(a));
    }
    a->row_no++;
    int64_t sku, qty, price = 0, total, unit;
    bool has, priced;
    TRY(bl__imp_ref(im, AZ_SKU, "sku", &im->skus, &im->have_skus, &sku, &has));
    TRY(bl__imp_uint(im, AZ_QTY, &qty, &has));
    char cur[4];
    int exp = a->shop->exponent;
    TRY(bl__imp_currency(im, AZ_CURRENCY, cur, &exp, &has));
    if (has) {
        if (a->nlines && strcmp(cur, a->o.currency) != 0)
            return bl__imp_err(im, AZ_CURRENCY, BL_ECONFLICT,
                               "differs from the order's other items: expected %s", a->o.currency);
        memcpy(a->o.currency, cur, 4);
        a->exponent = exp;
    }
    TRY(bl__imp_money(im, AZ_PRICE, a->exponent, &price, &priced));
    if (qty == 0)
        return BL_OK; /* a cancelled item: not part of the order any more */
    if (!priced) {
        a->unpriced = true;
        return BL_OK;
    }
    /* item-price is the item's total, quantity times the unit price */
    if (price < 0 || price % qty != 0)
        return bl__imp_err(im, AZ_PRICE, BL_ERANGE,
                           "expected the item's total, 0 or more and a whole number of "
                           "minor units per unit (quantity %lld)",
                           (long long)qty);
    unit = price / qty;
    if (bl_money_mul(unit, qty, &total) || bl_money_add(a->o.amount, total, &a->o.amount))
        return bl__imp_err(im, AZ_PRICE, BL_EOVERFLOW, "the order amount overflows");
    TRY(bl_grow((void **)&a->lines, &a->lines_cap, a->nlines + 1, sizeof(*a->lines)));
    a->lines[a->nlines++] = (struct bl__oline){a->row_no, sku, qty, unit};
    return BL_OK;
}

/* Columns the report must have, even where a row may leave them empty. */
static const int needed[] = {AZ_CURRENCY, AZ_PRICE, AZ_COUNTRY};

int bl__amazon_run(struct bl__imp *im, const char *path, struct bl_import_result *res)
{
    struct az a;
    memset(&a, 0, sizeof(a));
    bl_buf_init(&a.keep, 1u << 16);
    static const struct bl__range ranges[] = {{AZ_QTY, 0, BL__LINE_QTY_MAX}};
    BL__RANGES(im, ranges);
    im->report = true;
    im->csv_sep = '\t';
    im->csv_unquoted = true;
    int rc = bl__imp_shop_find(im, im->opts->shop, &a.shop);
    a.im = im;
    if (!rc)
        rc = bl__imp_open(im, path, path, cols, NCOLS(cols));
    for (size_t k = 0; !rc && k < NCOLS(needed); k++)
        if (im->col[needed[k]] < 0)
            rc = bl__imp_err(im, needed[k], BL_EPARSE,
                             "required column '%s' is missing from the header: expected "
                             "Amazon's All Orders report (tab-separated)",
                             cols[needed[k]].name);
    struct bl__sink_names names = {
        .placed = "purchase-date", .currency = "currency", .amount = "item-price", .lines = "sku"};
    names.field[BL__OF_SHIPPED] = names.field[BL__OF_DELIVERED] = names.field[BL__OF_CANCELLED] =
        "order-status";
    names.field[BL__OF_TO] = "ship-country";
    names.field[BL__OF_CHANNEL] = "ship-service-level";
    names.field[BL__OF_FULFIL] = "fulfillment-channel";
    if (!rc)
        rc = bl__sink_open(im, &names, &a.sk);
    while (!rc && (rc = bl__imp_next(im)) == 1)
        rc = row(&a);
    if (!rc)
        rc = flush(&a);
    if (a.sk)
        rc = bl__sink_close(a.sk, rc, res);
    res->rows = im->rows;
    res->skipped = a.skip_unpriced + a.skip_cancelled;
    long long np = a.skip_unpriced, nc = a.skip_cancelled;
    if (np && nc)
        snprintf(res->note, sizeof(res->note),
                 "%lld order%s not priced yet (Pending) and %lld cancelled before Ballast saw %s "
                 "were skipped",
                 np, np == 1 ? "" : "s", nc, nc == 1 ? "it" : "them");
    else if (np)
        snprintf(res->note, sizeof(res->note), "%lld order%s not priced yet (Pending) %s skipped",
                 np, np == 1 ? "" : "s", np == 1 ? "was" : "were");
    else if (nc)
        snprintf(res->note, sizeof(res->note),
                 "%lld order%s cancelled before Ballast saw %s %s skipped", nc, nc == 1 ? "" : "s",
                 nc == 1 ? "it" : "them", nc == 1 ? "was" : "were");
    bl_buf_release(&a.keep);
    bl_free(a.lines);
    return rc;
}
