/* temu.c - Temu's order export (Seller Center, Orders > Export), as a local seller
 * of the US site gets it: `ballast import temu FILE --shop S`. The columns, the
 * status mapping and the time rule are in docs/formats.md, "Adapter: Temu".
 *
 * Temu downloads the export as a spreadsheet; Ballast reads the CSV the seller
 * saves from it (Excel's "CSV UTF-8": a byte order mark, CRLF, quotes around
 * product names with commas). The export is a fulfilment list:
 * - one row per order item, the order's columns repeated on each;
 * - header names in lower case, one of them a sentence ("ship postal code (Must be
 *   shipped to the following zip code.)");
 * - times as "Jun 12, 2025, 10:32 am PDT(UTC-7)": English month, 12-hour clock,
 *   minutes only, and the zone with its offset, so the instant is exact;
 * - the deadlines Temu holds the seller to ("latest shipping time", "latest
 *   delivery time"), but no time of shipment, delivery or cancellation: the status
 *   says an order was cancelled, not when, and a shipped order's time is left as
 *   stored (another source, or nothing).
 */
#include <string.h>

#include "io/import/import_impl.h"

#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))
#define REQ true
#define OPT false

enum {
    M_ID,
    M_STATUS,
    M_SKU,
    M_QTY,
    M_PRICE,
    M_PURCHASED,
    M_SHIP_BY,
    M_DELIVER_BY,
    M_TRACKING,
    M_CARRIER,
    M_COUNTRY,
    M_STATE,
    M_ZIP,
    M_N
};

static const struct bl__colspec spec[] = {
    {"order id", BL__C_ID, REQ, NULL},
    {"order status", BL__C_TEXT, REQ, NULL},
    {"contribution sku", BL__C_ID, REQ, NULL},
    {"quantity purchased", BL__C_POS, REQ, NULL},
    {"activity goods base price", BL__C_MONEY, REQ, NULL},
    {"purchase date", BL__C_TEXT, REQ, NULL},
    {"latest shipping time", BL__C_TEXT, OPT, NULL},
    {"latest delivery time", BL__C_TEXT, OPT, NULL},
    {"tracking number", BL__C_ID, OPT, NULL},
    {"carrier", BL__C_ID, OPT, NULL},
    {"ship country", BL__C_TEXT, OPT, NULL},
    {"ship state", BL__C_TEXT, OPT, NULL},
    {"ship postal code (Must be shipped to the following zip code.)", BL__C_TEXT, OPT, NULL},
};
_Static_assert(NCOLS(spec) == M_N, "one spec per column");

/* "order status": the seller centre's order tabs. Only a cancellation changes what
 * Ballast records (without a time); the others are checked and otherwise carry
 * nothing the columns do not. */
static const char *const statuses[] = {"Pending",  "Unshipped",           "Partially shipped",
                                       "Shipped",  "Partially delivered", "Delivered",
                                       "Canceled", "Cancelled",           NULL};
#define FIRST_CANCELLED 6

static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

struct tm_ctx {
    struct bl__imp *im;
    const struct bl__shop *shop;
    const struct bl_tz *tz;
};

static int bad_time(struct bl__imp *im, int c)
{
    char got[BL_SHOW_BUF];
    bl_str_show(bl__imp_raw(im, c), BL_SHOW, got);
    return bl__imp_err(im, c, BL_EPARSE,
                       "'%s': expected a time such as Jun 12, 2025, 10:32 am PDT(UTC-7)", got);
}

static bool lit(struct bl_str v, size_t *p, const char *s)
{
    size_t n = strlen(s);
    if (v.len - *p < n || memcmp(v.ptr + *p, s, n) != 0)
        return false;
    *p += n;
    return true;
}

static void spaces(struct bl_str v, size_t *p)
{
    while (*p < v.len && v.ptr[*p] == ' ')
        (*p)++;
}

/* The zone suffix "PDT(UTC-7)", "(UTC+8)", "(UTC+5:30)", "(UTC)": its offset east of
 * UTC in seconds. Returns false when the text is not one. */
static bool zone(struct bl_str v, size_t p, int32_t *offset)
{
    while (p < v.len &&
           ((v.ptr[p] >= 'A' && v.ptr[p] <= 'Z') || (v.ptr[p] >= 'a' && v.ptr[p] <= 'z')))
        p++;
    if (!lit(v, &p, "(UTC"))
        return false;
    int32_t off = 0;
    if (p < v.len && (v.ptr[p] == '+' || v.ptr[p] == '-')) {
        int sign = v.ptr[p++] == '-' ? -1 : 1;
        int h = bl__rep_num(v, &p, 2), m = 0;
        if (h < 0 || h > 14)
            return false;
        if (lit(v, &p, ":") && ((m = bl__rep_num(v, &p, 2)) < 0 || m > 59))
            return false;
        off = sign * (h * 3600 + m * 60);
    }
    if (!lit(v, &p, ")") || p != v.len)
        return false;
    *offset = off;
    return true;
}

/* A time of column c; *out BL__NONE and *present false when empty. */
static int temu_time(struct tm_ctx *t, int c, int64_t *out, bool *present)
{
    struct bl__imp *im = t->im;
    struct bl_str v = bl__imp_raw(im, c);
    *out = BL__NONE;
    *present = v.len > 0;
    if (!v.len)
        return BL_OK;
    size_t p = 0;
    int mo = 0;
    for (int i = 0; i < 12 && !mo; i++)
        if (v.len >= 3 && bl_str_eq_nocase_c((struct bl_str){v.ptr, 3}, months[i]))
            mo = i + 1;
    p = 3;
    if (!mo || !lit(v, &p, " "))
        return bad_time(im, c);
    int d = bl__rep_num(v, &p, 2);
    if (d < 0 || !lit(v, &p, ", "))
        return bad_time(im, c);
    size_t ys = p;
    int y = bl__rep_num(v, &p, 4);
    if (y < 0 || p - ys != 4 || !lit(v, &p, ", "))
        return bad_time(im, c);
    int h = bl__rep_num(v, &p, 2);
    if (h < 1 || h > 12 || !lit(v, &p, ":"))
        return bad_time(im, c);
    int mi = bl__rep_num(v, &p, 2), s = 0;
    if (mi < 0 || (lit(v, &p, ":") && (s = bl__rep_num(v, &p, 2)) < 0))
        return bad_time(im, c);
    spaces(v, &p);
    if (v.len - p < 2)
        return bad_time(im, c);
    struct bl_str ap = {v.ptr + p, 2};
    bool pm = bl_str_eq_nocase_c(ap, "pm");
    if (!pm && !bl_str_eq_nocase_c(ap, "am"))
        return bad_time(im, c);
    p += 2;
    h = h % 12 + (pm ? 12 : 0);
    spaces(v, &p);
    if (p == v.len) /* no zone: the shop's (or --tz) */
        return bl__rep_local(im, c, t->tz, y, mo, d, h, mi, s, out);
    int32_t off;
    if (!zone(v, p, &off))
        return bad_time(im, c);
    int rc = bl__rep_local(im, c, NULL, y, mo, d, h, mi, s, out);
    if (!rc)
        *out -= off;
    return rc;
}

static int opt_id(struct bl__imp *im, int c, struct bl_str *out)
{
    *out = (struct bl_str){"", 0};
    return im->col[c] >= 0 ? bl__imp_id(im, c, out) : BL_OK;
}

static int order_fields(struct tm_ctx *t, struct bl__order *o)
{
    struct bl__imp *im = t->im;
    memset(o, 0, sizeof(*o));
    o->shop_id = t->shop->id;
    memcpy(o->currency, t->shop->currency, sizeof(o->currency));
    memcpy(o->ship_from, t->shop->ship_from, sizeof(o->ship_from));
    o->picked_up = o->shipped = o->delivered = o->cancelled = BL__NONE;
    o->cancelled_by = -1;
    o->fulfil = BL__FULFIL_SHOP;
    int rc, status;
    bool present;
    if ((rc = bl__imp_id(im, M_ID, &o->ext)) ||
        (rc = bl__rep_choice(im, M_STATUS, statuses, &status)) ||
        (rc = temu_time(t, M_PURCHASED, &o->placed, &present)))
        return rc;
    if (!present)
        return bl__imp_err(im, M_PURCHASED, BL_EPARSE,
                           "missing value: expected the time the order was placed");
    if (status >= FIRST_CANCELLED)
        o->cancelled_by = 3; /* unknown: the export does not say who */
    if ((rc = temu_time(t, M_SHIP_BY, &o->ship_by, &present)) ||
        (rc = temu_time(t, M_DELIVER_BY, &o->promised, &present)) ||
        (rc = opt_id(im, M_TRACKING, &o->tracking)) || (rc = opt_id(im, M_CARRIER, &o->channel)))
        return rc;
    if ((rc = bl__report_region(im, M_COUNTRY, M_STATE, M_ZIP, o->ship_to, &present)))
        return rc;
    unsigned known = 1u << BL__OF_CANCELLED;
    static const struct {
        int col;
        enum bl__ofield f;
    } opt[] = {{M_SHIP_BY, BL__OF_SHIP_BY},
               {M_DELIVER_BY, BL__OF_PROMISED},
               {M_TRACKING, BL__OF_TRACKING},
               {M_CARRIER, BL__OF_CHANNEL},
               {M_COUNTRY, BL__OF_TO}};
    for (size_t i = 0; i < NCOLS(opt); i++)
        if (im->col[opt[i].col] >= 0)
            known |= 1u << opt[i].f;
    o->known = known;
    return BL_OK;
}

static int read_rows(struct tm_ctx *t, struct bl__rep *r)
{
    struct bl__imp *im = t->im;
    int rc;
    while ((rc = bl__imp_next(im)) == 1) {
        bl__rep_trim(im);
        if (!bl__rep_same(r, bl__imp_raw(im, M_ID))) {
            struct bl__order o;
            if ((rc = order_fields(t, &o)) || (rc = bl__rep_start(r, M_ID, &o)))
                return rc;
        }
        int64_t sku, qty, price;
        bool present;
        if ((rc = bl__imp_ref(im, M_SKU, "sku", &im->skus, &im->have_skus, &sku, &present)) ||
            (rc = bl__imp_uint(im, M_QTY, &qty, &present)) ||
            (rc = bl__imp_money(im, M_PRICE, t->shop->exponent, &price, &present)) ||
            (rc = bl__rep_line(r, M_PRICE, sku, qty, price)))
            return rc;
    }
    return rc;
}

int bl__temu_run(struct bl__imp *im, const char *path, struct bl_import_result *res)
{
    struct tm_ctx t = {.im = im};
    int rc = bl__imp_shop_find(im, im->opts->shop, &t.shop);
    if (rc)
        return rc;
    t.tz = im->tz ? im->tz : t.shop->tz;
    static const struct bl__range ranges[] = {{M_QTY, 1, BL__LINE_QTY_MAX}};
    BL__RANGES(im, ranges);
    im->report = true;
    if ((rc = bl__imp_open(im, path, path, spec, M_N)))
        return rc;
    struct bl__sink_names names = {.placed = "purchase date",
                                   .amount = "activity goods base price",
                                   .lines = "contribution sku"};
    names.field[BL__OF_SHIP_BY] = "latest shipping time";
    names.field[BL__OF_PROMISED] = "latest delivery time";
    names.field[BL__OF_CANCELLED] = "order status";
    names.field[BL__OF_TRACKING] = "tracking number";
    names.field[BL__OF_CHANNEL] = "carrier";
    names.field[BL__OF_TO] = "ship country";
    struct bl__rep r;
    rc = bl__rep_begin(im, &r, &names);
    if (!rc)
        rc = read_rows(&t, &r);
    return bl__rep_end(&r, rc, res);
}
