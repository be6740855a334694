/* tiktok.c - TikTok Shop's order export (Seller Center, Orders > Manage orders >
 * Export, "order SKU list"), read as the seller downloads it: `ballast import tiktok
 * FILE --shop S`. The columns, the status mapping and the time rule are in
 * docs/formats.md, "Adapter: TikTok Shop".
 *
 * What the export does that a plain CSV does not:
 * - one row per SKU of an order, every row repeating the order's columns;
 * - a second row under the header that describes each column ("Platform unique
 *   order ID." under Order ID), in the file as downloaded: skipped;
 * - ids and times end with a tab, so that a spreadsheet keeps them as text;
 * - times without a zone, in the seller centre's local time: month first with
 *   AM/PM ("10/01/2024 12:34:56 PM") in the US seller centre, day first on a
 *   24-hour clock ("01/10/2024 12:34:56") in the others. One file uses one form.
 */
#include <string.h>

#include "io/import/import_impl.h"

#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))
#define REQ true
#define OPT false

enum {
    T_ID,
    T_STATUS,
    T_SKU,
    T_QTY,
    T_PRICE,
    T_CREATED,
    T_SHIPPED,
    T_DELIVERED,
    T_CANCELLED,
    T_CANCEL_BY,
    T_FULFIL,
    T_TRACKING,
    T_PROVIDER,
    T_BUYER,
    T_COUNTRY,
    T_STATE,
    T_ZIP,
    T_N
};

static const struct bl__colspec spec[] = {
    {"Order ID", BL__C_ID, REQ, NULL},
    {"Order Status", BL__C_TEXT, REQ, NULL},
    {"Seller SKU", BL__C_ID, REQ, NULL},
    {"Quantity", BL__C_POS, REQ, NULL},
    {"SKU Unit Original Price", BL__C_MONEY, REQ, NULL},
    {"Created Time", BL__C_TEXT, REQ, NULL},
    {"Shipped Time", BL__C_TEXT, REQ, NULL},
    {"Delivered Time", BL__C_TEXT, REQ, NULL},
    {"Cancelled Time", BL__C_TEXT, REQ, NULL},
    {"Cancel By", BL__C_TEXT, OPT, NULL},
    {"Fulfillment Type", BL__C_TEXT, OPT, NULL},
    {"Tracking ID", BL__C_ID, OPT, NULL},
    {"Shipping Provider Name", BL__C_ID, OPT, NULL},
    {"Buyer Username", BL__C_ID, OPT, NULL},
    {"Country", BL__C_TEXT, OPT, NULL},
    {"State", BL__C_TEXT, OPT, NULL},
    {"Zipcode", BL__C_TEXT, OPT, NULL},
};
_Static_assert(NCOLS(spec) == T_N, "one spec per column");

/* Order Status as the English seller centre writes it, and what it means here. */
enum st { ST_OPEN, ST_SHIPPED, ST_DELIVERED, ST_CANCELLED };
static const char *const statuses[] = {
    "Unpaid",     "On hold",   "To ship",   "Awaiting shipment", "Awaiting collection", "Shipped",
    "In transit", "Delivered", "Completed", "Canceled",          "Cancelled",           NULL};
static const enum st status_kind[] = {ST_OPEN,      ST_OPEN,      ST_OPEN,     ST_OPEN,
                                      ST_OPEN,      ST_SHIPPED,   ST_SHIPPED,  ST_DELIVERED,
                                      ST_DELIVERED, ST_CANCELLED, ST_CANCELLED};
_Static_assert(NCOLS(statuses) == NCOLS(status_kind) + 1, "a kind per status");

/* Cancel By: who cancelled, as index in bl__cancellers (seller, buyer, platform). */
static const char *const cancel_by[] = {"Seller", "Buyer", "System", NULL};
static const int cancel_by_idx[] = {0, 1, 2};

/* Fulfillment Type: by the seller, or from TikTok's warehouses (FBT). */
static const char *const fulfils[] = {"Fulfillment by seller",      "Fulfilled by seller",
                                      "Fulfillment by TikTok",      "Fulfilled by TikTok",
                                      "Fulfillment by TikTok Shop", NULL};

/* The text under "Order ID" on the description row of an export as downloaded. */
#define DESCRIPTION_ROW "Platform unique order ID."

enum form { F_UNSEEN, F_US, F_DMY };

struct tk {
    struct bl__imp *im;
    const struct bl__shop *shop;
    const struct bl_tz *tz;
    enum form form; /* the time form of the file, from its first time */
    int64_t form_line;
};

static int bad_time(struct tk *t, int c)
{
    char got[BL_SHOW_BUF];
    bl_str_show(bl__imp_raw(t->im, c), BL_SHOW, got);
    return bl__imp_err(t->im, c, BL_EPARSE,
                       "'%s': expected a time such as 10/01/2024 12:34:56 PM (month/day/year "
                       "with AM/PM, the US seller centre) or 01/10/2024 12:34:56 (day/month/"
                       "year, 24-hour)",
                       got);
}

static bool lit(struct bl_str v, size_t *p, char ch)
{
    if (*p < v.len && v.ptr[*p] == ch) {
        (*p)++;
        return true;
    }
    return false;
}

/* A time of column c, local to the shop (or --tz); *present false when empty. */
static int tk_time(struct tk *t, int c, int64_t *out, bool *present)
{
    struct bl_str v = bl__imp_raw(t->im, c);
    *out = BL__NONE;
    *present = v.len > 0;
    if (!v.len)
        return BL_OK;
    size_t p = 0;
    int a = bl__rep_num(v, &p, 2);
    if (a < 0 || !lit(v, &p, '/'))
        return bad_time(t, c);
    int b = bl__rep_num(v, &p, 2);
    if (b < 0 || !lit(v, &p, '/'))
        return bad_time(t, c);
    size_t ys = p;
    int y = bl__rep_num(v, &p, 4);
    if (y < 0 || p - ys != 4 || !lit(v, &p, ' '))
        return bad_time(t, c);
    int h = bl__rep_num(v, &p, 2);
    if (h < 0 || !lit(v, &p, ':'))
        return bad_time(t, c);
    int mi = bl__rep_num(v, &p, 2);
    if (mi < 0 || !lit(v, &p, ':'))
        return bad_time(t, c);
    int s = bl__rep_num(v, &p, 2);
    if (s < 0)
        return bad_time(t, c);
    while (p < v.len && v.ptr[p] == ' ')
        p++;
    struct bl_str rest = {v.ptr + p, v.len - p};
    int mo, d;
    enum form f;
    if (bl_str_eq_nocase_c(rest, "AM") || bl_str_eq_nocase_c(rest, "PM")) {
        if (h < 1 || h > 12)
            return bad_time(t, c);
        bool pm = rest.ptr[0] == 'P' || rest.ptr[0] == 'p';
        h = h % 12 + (pm ? 12 : 0);
        mo = a;
        d = b;
        f = F_US;
    } else if (rest.len == 0) {
        d = a;
        mo = b;
        f = F_DMY;
    } else {
        return bad_time(t, c);
    }
    if (t->form == F_UNSEEN) {
        t->form = f;
        t->form_line = t->im->rec.line;
    } else if (t->form != f) {
        char got[BL_SHOW_BUF];
        bl_str_show(v, BL_SHOW, got);
        return bl__imp_err(t->im, c, BL_EPARSE,
                           "'%s' is written %s, but the times from line %lld on are %s: "
                           "expected one form in a file",
                           got, f == F_US ? "month/day/year with AM/PM" : "day/month/year",
                           (long long)t->form_line,
                           t->form == F_US ? "month/day/year with AM/PM" : "day/month/year");
    }
    return bl__rep_local(t->im, c, t->tz, y, mo, d, h, mi, s, out);
}

/* A time the status needs: its absence is an error naming the status. */
static int need_time(struct tk *t, int c, int64_t *out)
{
    bool present;
    int rc = tk_time(t, c, out, &present);
    if (rc || present)
        return rc;
    char st[BL_SHOW_BUF];
    bl_str_show(bl__imp_raw(t->im, T_STATUS), BL_SHOW, st);
    return bl__imp_err(t->im, c, BL_EPARSE,
                       "missing value: expected the order's %s, as its Order Status is '%s'",
                       spec[c].name, st);
}

static int opt_id(struct bl__imp *im, int c, struct bl_str *out)
{
    *out = (struct bl_str){"", 0};
    return im->col[c] >= 0 ? bl__imp_id(im, c, out) : BL_OK;
}

/* The order-level columns of an order's first row. */
static int order_fields(struct tk *t, struct bl__order *o)
{
    struct bl__imp *im = t->im;
    memset(o, 0, sizeof(*o));
    o->shop_id = t->shop->id;
    memcpy(o->currency, t->shop->currency, sizeof(o->currency));
    memcpy(o->ship_from, t->shop->ship_from, sizeof(o->ship_from));
    o->ship_by = o->promised = o->picked_up = BL__NONE;
    o->shipped = o->delivered = o->cancelled = BL__NONE;
    o->cancelled_by = -1;
    o->fulfil = BL__FULFIL_SHOP;
    int rc, status;
    bool present;
    if ((rc = bl__imp_id(im, T_ID, &o->ext)) ||
        (rc = bl__rep_choice(im, T_STATUS, statuses, &status)))
        return rc;
    if ((rc = tk_time(t, T_CREATED, &o->placed, &present)))
        return rc;
    if (!present)
        return bl__imp_err(im, T_CREATED, BL_EPARSE,
                           "missing value: expected the time the order was placed");
    /* The status decides which times count: an order still to ship has none, even
     * when a time is left over from a cancellation the seller turned down. */
    switch (status_kind[status]) {
    case ST_OPEN:
        break;
    case ST_SHIPPED:
        rc = need_time(t, T_SHIPPED, &o->shipped);
        break;
    case ST_DELIVERED:
        if (!(rc = tk_time(t, T_SHIPPED, &o->shipped, &present)))
            rc = need_time(t, T_DELIVERED, &o->delivered);
        break;
    case ST_CANCELLED:
        if (!(rc = tk_time(t, T_SHIPPED, &o->shipped, &present)) &&
            !(rc = tk_time(t, T_DELIVERED, &o->delivered, &present)))
            rc = need_time(t, T_CANCELLED, &o->cancelled);
        o->cancelled_by = 3; /* unknown, unless Cancel By says */
        if (!rc && bl__imp_has(im, T_CANCEL_BY)) {
            int by;
            if (!(rc = bl__rep_choice(im, T_CANCEL_BY, cancel_by, &by)))
                o->cancelled_by = cancel_by_idx[by];
        }
        break;
    }
    if (rc)
        return rc;
    if (bl__imp_has(im, T_FULFIL)) {
        int f;
        if ((rc = bl__rep_choice(im, T_FULFIL, fulfils, &f)))
            return rc;
        o->fulfil = f < 2 ? BL__FULFIL_MERCHANT : BL__FULFIL_PLATFORM;
    }
    if ((rc = opt_id(im, T_TRACKING, &o->tracking)) || (rc = opt_id(im, T_PROVIDER, &o->channel)) ||
        (rc = opt_id(im, T_BUYER, &o->customer)))
        return rc;
    if ((rc = bl__report_region(im, T_COUNTRY, T_STATE, T_ZIP, o->ship_to, &present)))
        return rc;
    unsigned known = 1u << BL__OF_SHIPPED | 1u << BL__OF_DELIVERED | 1u << BL__OF_CANCELLED;
    static const struct {
        int col;
        enum bl__ofield f;
    } opt[] = {{T_FULFIL, BL__OF_FULFIL},
               {T_TRACKING, BL__OF_TRACKING},
               {T_PROVIDER, BL__OF_CHANNEL},
               {T_BUYER, BL__OF_CUSTOMER},
               {T_COUNTRY, BL__OF_TO}};
    for (size_t i = 0; i < NCOLS(opt); i++)
        if (im->col[opt[i].col] >= 0)
            known |= 1u << opt[i].f;
    o->known = known;
    return BL_OK;
}

static int read_rows(struct tk *t, struct bl__rep *r)
{
    struct bl__imp *im = t->im;
    int rc;
    bool first = true;
    while ((rc = bl__imp_next(im)) == 1) {
        bl__rep_trim(im);
        struct bl_str id = bl__imp_raw(im, T_ID);
        if (first && bl_str_eq_c(id, DESCRIPTION_ROW)) {
            im->rows--; /* not data */
            first = false;
            continue;
        }
        first = false;
        if (!bl__rep_same(r, id)) {
            struct bl__order o;
            if ((rc = order_fields(t, &o)) || (rc = bl__rep_start(r, T_ID, &o)))
                return rc;
        }
        int64_t sku, qty, price;
        bool present;
        if ((rc = bl__imp_ref(im, T_SKU, "sku", &im->skus, &im->have_skus, &sku, &present)) ||
            (rc = bl__imp_uint(im, T_QTY, &qty, &present)) ||
            (rc = bl__imp_money(im, T_PRICE, t->shop->exponent, &price, &present)) ||
            (rc = bl__rep_line(r, T_PRICE, sku, qty, price)))
            return rc;
    }
    return rc; /* a header (and description row) without orders: bl__imp_next says so */
}

int bl__tiktok_run(struct bl__imp *im, const char *path, struct bl_import_result *res)
{
    struct tk t = {.im = im};
    int rc = bl__imp_shop_find(im, im->opts->shop, &t.shop);
    if (rc)
        return rc;
    t.tz = im->tz ? im->tz : t.shop->tz;
    static const struct bl__range ranges[] = {{T_QTY, 1, BL__LINE_QTY_MAX}};
    BL__RANGES(im, ranges);
    im->report = true;
    if ((rc = bl__imp_open(im, path, path, spec, T_N)))
        return rc;
    struct bl__sink_names names = {
        .placed = "Created Time", .amount = "SKU Unit Original Price", .lines = "Seller SKU"};
    names.field[BL__OF_SHIPPED] = "Shipped Time";
    names.field[BL__OF_DELIVERED] = "Delivered Time";
    names.field[BL__OF_CANCELLED] = "Cancelled Time";
    names.field[BL__OF_FULFIL] = "Fulfillment Type";
    names.field[BL__OF_TRACKING] = "Tracking ID";
    names.field[BL__OF_CHANNEL] = "Shipping Provider Name";
    names.field[BL__OF_CUSTOMER] = "Buyer Username";
    names.field[BL__OF_TO] = "Country";
    struct bl__rep r;
    rc = bl__rep_begin(im, &r, &names);
    if (!rc)
        rc = read_rows(&t, &r);
    return bl__rep_end(&r, rc, res);
}
