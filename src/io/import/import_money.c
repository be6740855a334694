/* import_money.c - the native kinds about money and sourcing (docs/formats.md):
 * `rates` (exchange rates by day) and `sku_suppliers` (each SKU's suppliers in rank
 * order, with unit cost and MOQ). Same shape as import_native.c: columns declared in
 * the docs' order, typed getters, the store's bulk inserter. */
#include <string.h>

#include "io/import/import_impl.h"

#include "ballast/fx.h"

#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))

struct money_ctx {
    struct bl_inserter *ins;
};

static int run_rows(struct bl__imp *im, const char *path, const struct bl__colspec *spec,
                    size_t nspec, const struct bl__range *ranges, size_t nranges,
                    const char *table, const char *const *cols, size_t ncols,
                    int (*row)(struct bl__imp *, struct money_ctx *), const char *dup_field,
                    const char *dup, struct bl_import_result *res)
{
    struct money_ctx c = {0};
    TRY(bl__imp_open(im, path, path, spec, nspec));
    im->ranges = ranges;
    im->nranges = nranges;
    TRY(bl_inserter_open(im->st, table, cols, ncols, &c.ins, im->d));
    int rc;
    while ((rc = bl__imp_next(im)) == 1)
        if ((rc = row(im, &c)) != 0)
            break;
    res->rows = im->rows;
    if (rc) {
        bl_inserter_discard(c.ins);
        return bl__imp_dup(im, rc, dup_field, dup);
    }
    res->records = res->rows;
    return bl__imp_dup(im, bl_inserter_close(c.ins, im->d), dup_field, dup);
}

/* ---------------------------------------------------------------- rates */

enum { FX_DATE, FX_FROM, FX_TO, FX_RATE };
static const struct bl__colspec fx_cols[] = {
    {"date", BL__C_DATE, true, NULL},
    {"from", BL__C_CURRENCY, true, NULL},
    {"to", BL__C_CURRENCY, true, NULL},
    {"rate", BL__C_TEXT, true, NULL},
};
static const char *const fx_db_cols[] = {"org_id",   "from_cur",   "to_cur",  "day",
                                         "rate_num", "rate_scale", "batch_id"};

static int fx_row(struct bl__imp *im, struct money_ctx *c)
{
    int64_t day;
    char from[4], to[4];
    int exp;
    bool has;
    struct bl_str text;
    TRY(bl__imp_date(im, FX_DATE, &day, &has));
    TRY(bl__imp_currency(im, FX_FROM, from, &exp, &has));
    TRY(bl__imp_currency(im, FX_TO, to, &exp, &has));
    if (strcmp(from, to) == 0)
        return bl__imp_err(im, FX_TO, BL_EINVAL,
                           "from and to are both %s: a rate converts between two currencies",
                           from);
    TRY(bl__imp_text(im, FX_RATE, &text, &has));
    struct bl_fx_rate r;
    struct bl_diag rd;
    bl_diag_clear(&rd);
    int rc = bl_fx_rate_parse(text, &r, &rd);
    if (rc)
        return bl__imp_err(im, FX_RATE, rc, "%s", rd.msg);
    struct bl_val v[] = {bl_val_int(im->org),  bl_val_text(bl_str_c(from)),
                         bl_val_text(bl_str_c(to)), bl_val_int(day),
                         bl_val_int(r.num),    bl_val_int(r.scale),
                         bl_val_int(im->batch)};
    return bl_inserter_row(c->ins, v, im->rec.line, im->d);
}

int bl__rates_run(struct bl__imp *im, const char *path, struct bl_import_result *res)
{
    return run_rows(im, path, fx_cols, NCOLS(fx_cols), NULL, 0, "fx_rate", fx_db_cols,
                    NCOLS(fx_db_cols), fx_row, "date",
                    "duplicate rate: this date, from and to are already in the store or "
                    "earlier in this file",
                    res);
}

/* ---------------------------------------------------------------- sku_suppliers */

enum { SS_SKU, SS_SUPPLIER, SS_RANK, SS_COST, SS_CURRENCY, SS_MOQ };
static const struct bl__colspec ss_cols[] = {
    {"sku", BL__C_ID, true, NULL},        {"supplier", BL__C_ID, true, NULL},
    {"rank", BL__C_POS, true, NULL},      {"unit_cost", BL__C_MONEY, false, NULL},
    {"currency", BL__C_CURRENCY, false, NULL}, {"moq", BL__C_POS, false, NULL},
};
static const char *const ss_db_cols[] = {"org_id",    "sku_id",   "supplier_id", "rank",
                                         "unit_cost", "currency", "moq",         "batch_id"};

static int ss_row(struct bl__imp *im, struct money_ctx *c)
{
    int64_t sku, sup, rank, cost = 0, moq = 0;
    bool has, has_cost, has_cur, has_moq;
    char cur[4] = "";
    int exp = 2;
    TRY(bl__imp_ref(im, SS_SKU, "sku", &im->skus, &im->have_skus, &sku, &has));
    TRY(bl__imp_ref(im, SS_SUPPLIER, "supplier", &im->suppliers, &im->have_suppliers, &sup,
                    &has));
    TRY(bl__imp_uint(im, SS_RANK, &rank, &has));
    TRY(bl__imp_currency(im, SS_CURRENCY, cur, &exp, &has_cur));
    has_cost = bl__imp_has(im, SS_COST) && bl__imp_raw(im, SS_COST).len > 0;
    if (has_cost && !has_cur)
        return bl__imp_err(im, SS_CURRENCY, BL_EPARSE,
                           "missing value: a unit_cost needs its currency");
    TRY(bl__imp_money(im, SS_COST, exp, &cost, &has_cost));
    if (has_cost && cost < 0)
        return bl__imp_err(im, SS_COST, BL_ERANGE, "a unit cost cannot be negative");
    TRY(bl__imp_uint(im, SS_MOQ, &moq, &has_moq));
    struct bl_val v[] = {bl_val_int(im->org),
                         bl_val_int(sku),
                         bl_val_int(sup),
                         bl_val_int(rank),
                         has_cost ? bl_val_int(cost) : bl_val_null(),
                         has_cur ? bl_val_text(bl_str_c(cur)) : bl_val_null(),
                         has_moq ? bl_val_int(moq) : bl_val_null(),
                         bl_val_int(im->batch)};
    return bl_inserter_row(c->ins, v, im->rec.line, im->d);
}

int bl__sku_suppliers_run(struct bl__imp *im, const char *path, struct bl_import_result *res)
{
    static const struct bl__range ranges[] = {{SS_RANK, 1, BL__RANK_MAX}};
    return run_rows(im, path, ss_cols, NCOLS(ss_cols), ranges, NCOLS(ranges), "sku_supplier",
                    ss_db_cols, NCOLS(ss_db_cols), ss_row, "rank",
                    "duplicate SKU supplier: this SKU already has this supplier, or another "
                    "supplier at this rank, in the store or earlier in this file",
                    res);
}
