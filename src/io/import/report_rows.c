/* report_rows.c - what the platform-report adapters share: gathering consecutive
 * rows of one order into a whole order for the order sink, the status columns
 * (one of a documented list, else refused) and a report's local wall-clock times.
 *
 * A report has one row per order line; an order's rows are consecutive. An order
 * id seen again after other orders is refused (the platform never splits an order
 * in its export, so it is a file put together by hand, and guessing which row wins
 * would hide it). */
#include <string.h>

#include "io/import/import_impl.h"

#include "ballast/money.h"

int bl__rep_begin(struct bl__imp *im, struct bl__rep *r, const struct bl__sink_names *names)
{
    memset(r, 0, sizeof(*r));
    r->im = im;
    bl_map_init(&r->seen, &im->arena);
    return bl__sink_open(im, names, &r->sink);
}

bool bl__rep_same(const struct bl__rep *r, struct bl_str ext)
{
    return r->open && bl_str_eq_c(ext, r->ext);
}

static int flush(struct bl__rep *r)
{
    if (!r->open)
        return BL_OK;
    r->open = false;
    r->o.ext = bl_str_c(r->ext);
    r->o.customer = bl_str_c(r->customer);
    r->o.channel = bl_str_c(r->channel);
    r->o.tracking = bl_str_c(r->tracking);
    r->o.locale = (struct bl_str){"", 0};
    return bl__sink_put(r->sink, &r->o, r->lines, r->nlines);
}

/* Copies a view the reader will reuse; ids were checked to be at most 200 bytes. */
static void keep(char dst[BL__REP_TEXT], struct bl_str s)
{
    bl_str_copy(dst, BL__REP_TEXT, s);
}

int bl__rep_start(struct bl__rep *r, int c, const struct bl__order *o)
{
    struct bl__imp *im = r->im;
    int rc = flush(r);
    if (rc)
        return rc;
    int64_t first = 0;
    bool added = false;
    rc = bl_map_get_or_put(&r->seen, o->ext, &first, &added);
    if (rc)
        return bl_diag_set(im->d, rc, "out of memory (order ids)");
    if (!added) {
        char got[BL_SHOW_BUF];
        bl_str_show(o->ext, BL_SHOW, got);
        return bl__imp_err(im, c, BL_EPARSE,
                           "order '%s' comes back after other orders (its first row is line "
                           "%lld): expected the rows of one order to be consecutive, as the "
                           "platform exports them",
                           got, (long long)first);
    }
    if ((rc = bl_map_put(&r->seen, o->ext, im->rec.line)))
        return bl_diag_set(im->d, rc, "out of memory (order ids)");
    r->o = *o;
    r->o.amount = 0;
    r->o.src_line = im->rec.line;
    keep(r->ext, o->ext);
    keep(r->customer, o->customer);
    keep(r->channel, o->channel);
    keep(r->tracking, o->tracking);
    r->nlines = 0;
    r->open = true;
    return BL_OK;
}

int bl__rep_line(struct bl__rep *r, int c, int64_t sku, int64_t qty, int64_t price)
{
    struct bl__imp *im = r->im;
    int64_t sub = 0;
    if (bl_money_mul(price, qty, &sub) || bl_money_add(r->o.amount, sub, &r->o.amount))
        return bl__imp_err(im, c, BL_EOVERFLOW,
                           "the order's amount overflows: expected quantities and prices "
                           "whose total fits in 64-bit minor units");
    int rc = bl_grow((void **)&r->lines, &r->cap, r->nlines + 1, sizeof(*r->lines));
    if (rc)
        return bl_diag_set(im->d, rc, "out of memory (order lines)");
    r->lines[r->nlines] = (struct bl__oline){(int64_t)r->nlines + 1, sku, qty, price};
    r->nlines++;
    return BL_OK;
}

int bl__rep_end(struct bl__rep *r, int rc, struct bl_import_result *res)
{
    if (!rc)
        rc = flush(r);
    if (r->sink)
        rc = bl__sink_close(r->sink, rc, res);
    r->sink = NULL;
    bl_free(r->lines);
    r->lines = NULL;
    bl_map_release(&r->seen);
    if (!rc)
        res->rows = r->im->rows;
    return rc;
}

void bl__rep_trim(struct bl__imp *im)
{
    /* TikTok ends ids and times with a tab so that a spreadsheet keeps them as text;
     * the reader trims unquoted fields, this also covers quoted ones. */
    for (size_t f = 0; f < im->rec.nfields; f++)
        im->rec.field[f] = bl_str_trim(im->rec.field[f]);
}

int bl__rep_choice(struct bl__imp *im, int c, const char *const *choices, int *out)
{
    struct bl_str v = bl__imp_raw(im, c);
    for (int i = 0; choices[i]; i++)
        if (bl_str_eq_nocase_c(v, choices[i])) {
            *out = i;
            return BL_OK;
        }
    struct bl_buf names = BL_BUF_INIT;
    for (int i = 0; choices[i]; i++)
        if (bl_buf_addf(&names, "%s'%s'", i ? ", " : "", choices[i]))
            break;
    char got[BL_SHOW_BUF];
    bl_str_show(v, BL_SHOW, got);
    int rc = bl__imp_err(im, c, BL_EPARSE, "unknown value '%s': expected one of %s", got,
                         bl_buf_cstr(&names));
    bl_buf_release(&names);
    return rc;
}

int bl__rep_local(struct bl__imp *im, int c, const struct bl_tz *tz, int y, int mo, int d, int h,
                  int mi, int s, int64_t *out)
{
    if (!bl_date_valid(y, mo, d) || h > 23 || mi > 59 || s > 59) {
        char got[BL_SHOW_BUF];
        bl_str_show(bl__imp_raw(im, c), BL_SHOW, got);
        return bl__imp_err(im, c, BL_ERANGE, "'%s' is not a real date and time", got);
    }
    int64_t local = bl_days_from_civil(y, mo, d) * BL_DAY_SECS + h * 3600 + mi * 60 + s;
    *out = tz ? bl_tz_local_to_utc(tz, local) : local; /* no zone: the text was UTC */
    if (tz && tz == im->tz)
        im->tz_used = true; /* --tz read a local time: part of the batch's identity */
    return BL_OK;
}

/* Reads 1..max digits at *p; -1 if none. */
int bl__rep_num(struct bl_str v, size_t *p, size_t max)
{
    int x = 0;
    size_t n = 0;
    while (*p < v.len && n < max && v.ptr[*p] >= '0' && v.ptr[*p] <= '9') {
        x = x * 10 + (v.ptr[*p] - '0');
        (*p)++;
        n++;
    }
    return n ? x : -1;
}
