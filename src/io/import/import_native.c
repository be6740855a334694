/* import_native.c - the native CSV kinds (docs/formats.md), one run function each.
 *
 * Each kind declares its columns (struct bl__colspec, in header order of the docs)
 * and an enum of the same order, then reads rows with the typed getters of the
 * engine and writes them with the store's bulk inserter. Shared rules (batches,
 * hashing, errors) live in import.c.
 */
#include <string.h>

#include "io/import/import_impl.h"

#include "ballast/profile.h"

#include "ballast/disruption.h"
#include "ballast/places.h"
#include "ballast/money.h"

#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))
#define REQ true
#define OPT false

/* An empty ends_at: until further notice (disruption.h). */
#define BL__FOREVER BL_DIS_OPEN_END

static const char *const platforms[] = {
    "amazon", "temu", "tiktok-shop", "shein", "aliexpress", "ebay",      "shopify", "own-site",
    "kuaishou", "douyin", "taobao",  "jd",    "pinduoduo",  "olist", "other",   NULL};
static const char *const fulfilments[] = {"merchant", "platform", NULL};
static const char *const listings[] = {"active", "inactive", "out_of_stock", "delisted", NULL};
static const char *const reviews[] = {"none", "pending", "passed", "rejected", NULL};
static const char *const wh_kinds[] = {"own", "3pl", "overseas", "fba", NULL};
static const char *const sup_states[] = {"active", "shutdown", "closed", NULL};
static const char *const po_states[] = {"open", "received", "cancelled", NULL};
/* A disruption's scopes and kinds: bl_dis_scopes, bl_dis_kinds (ballast/disruption.h). */

/* Runs `call` and returns its code on failure. */
static struct bl_val opt_text(bool present, struct bl_str s)
{
    return present ? bl_val_text(s) : bl_val_null();
}

static struct bl_val opt_int(bool present, int64_t i)
{
    return present ? bl_val_int(i) : bl_val_null();
}

static struct bl_val opt_cstr(const char *s)
{
    return s[0] ? bl_val_text(bl_str_c(s)) : bl_val_null();
}

/* Loops over the data rows of the current file, calling row(im, ctx) for each;
 * closes the inserters' batch at the end via done(). */
static int each_row(struct bl__imp *im, int (*row)(struct bl__imp *, void *), void *ctx,
                    struct bl_import_result *res)
{
    int rc;
    while ((rc = bl__imp_next(im)) == 1) {
        rc = row(im, ctx);
        if (rc)
            return rc;
    }
    res->rows = im->rows;
    return rc;
}

/* ---------------------------------------------------------------- shops */

enum { SH_ID, SH_NAME, SH_PLATFORM, SH_PROFILE, SH_CURRENCY, SH_TZ, SH_SHIP_FROM, SH_DEPOSIT,
       SH_FULFILMENT, SH_VACATION };
static const struct bl__colspec shop_cols[] = {
    {"id", BL__C_ID, REQ, NULL},           {"name", BL__C_TEXT, OPT, NULL},
    {"platform", BL__C_ENUM, REQ, platforms}, {"profile", BL__C_ID, OPT, NULL},
    {"currency", BL__C_CURRENCY, REQ, NULL}, {"tz", BL__C_TZ, OPT, NULL},
    {"ship_from", BL__C_REGION, OPT, NULL}, {"deposit", BL__C_MONEY, OPT, NULL},
    {"fulfilment", BL__C_ENUM, OPT, fulfilments}, {"vacation", BL__C_FLAG, OPT, NULL},
};

static const char *const shop_db_cols[] = {"org_id",   "id",        "ext_id",  "name",
                                           "platform", "profile",   "currency", "tz",
                                           "ship_from", "deposit",  "fulfilment", "vacation",
                                           "batch_id"};

struct ins_ctx {
    struct bl_inserter *ins;
    struct bl_inserter *ins2;
    int64_t next;
    int64_t next2;
};

static const char *default_profile(int platform)
{
    const char *p = platforms[platform];
    if (strcmp(p, "shopify") == 0 || strcmp(p, "other") == 0)
        return "own-site";
    return p;
}

static int shop_row(struct bl__imp *im, void *vctx)
{
    struct ins_ctx *c = vctx;
    struct bl_str id, name, profile;
    bool has_name, has;
    int platform, fulfil;
    char cur[4], from[BL_REGION_MAX];
    int exp;
    int64_t deposit = 0, vacation;
    const struct bl_tz *tz = NULL;
    TRY(bl__imp_id(im, SH_ID, &id));
    TRY(bl__imp_name(im, SH_NAME, &name, &has_name));
    TRY(bl__imp_enum(im, SH_PLATFORM, 0, &platform));
    TRY(bl__imp_id(im, SH_PROFILE, &profile));
    if (!profile.len)
        profile = bl_str_c(default_profile(platform));
    TRY(bl__imp_currency(im, SH_CURRENCY, cur, &exp, &has));
    TRY(bl__imp_tz(im, SH_TZ, &tz, &has));
    TRY(bl__imp_region(im, SH_SHIP_FROM, from, &has));
    TRY(bl__imp_money(im, SH_DEPOSIT, exp, &deposit, &has));
    TRY(bl__imp_enum(im, SH_FULFILMENT, 0, &fulfil));
    TRY(bl__imp_flag(im, SH_VACATION, 0, &vacation));
    struct bl_val v[] = {bl_val_int(im->org),
                         bl_val_int(c->next++),
                         bl_val_text(id),
                         bl_val_text(has_name ? name : id),
                         bl_val_text(bl_str_c(platforms[platform])),
                         bl_val_text(profile),
                         bl_val_text(bl_str_c(cur)),
                         bl_val_text(bl_str_c(tz ? bl_tz_name(tz) : "UTC")),
                         opt_cstr(from),
                         bl_val_int(deposit),
                         bl_val_text(bl_str_c(fulfilments[fulfil])),
                         bl_val_int(vacation),
                         bl_val_int(im->batch)};
    return bl_inserter_row(c->ins, v, im->rec.line, im->d);
}

/* Opens the file and one inserter, runs rows, closes. Used by the simple kinds. */
static int simple_kind(struct bl__imp *im, const char *path, const struct bl__colspec *spec,
                       size_t nspec, const char *table, const char *const *dbcols,
                       size_t ndbcols, int (*row)(struct bl__imp *, void *), const char *dup,
                       struct ins_ctx *ctx, struct bl_import_result *res)
{
    struct ins_ctx own = {0}, *c = ctx ? ctx : &own; /* ctx: a larger context that starts
                                                        with an ins_ctx, for its rows */
    TRY(bl__imp_open(im, path, path, spec, nspec));
    TRY(bl__imp_next_id(im, table, &c->next));
    TRY(bl_inserter_open(im->st, table, dbcols, ndbcols, &c->ins, im->d));
    int rc = each_row(im, row, c, res);
    if (rc) {
        bl_inserter_discard(c->ins);
        return bl__imp_dup(im, rc, spec[0].name, dup);
    }
    rc = bl_inserter_close(c->ins, im->d);
    res->records = res->rows;
    return bl__imp_dup(im, rc, spec[0].name, dup);
}

/* The kinds whose records are known by a natural key (docs/formats.md): each row is
 * looked up, then inserted, updated or left as stored (row counts in n_added,
 * n_changed, n_kept). */
static int keyed_kind(struct bl__imp *im, const char *path, const struct bl__colspec *spec,
                      size_t nspec, const char *table, int (*row)(struct bl__imp *, void *),
                      struct bl_import_result *res)
{
    struct ins_ctx c = {0};
    TRY(bl__imp_open(im, path, path, spec, nspec));
    TRY(bl__imp_next_id(im, table, &c.next));
    TRY(each_row(im, row, &c, res));
    res->records = im->n_added + im->n_changed;
    res->added = im->n_added;
    res->changed = im->n_changed;
    res->kept = im->n_kept;
    res->skipped = im->n_kept;
    if (im->n_kept && !im->replace)
        snprintf(res->note, sizeof(res->note), "%lld %s%s already in the store as %s",
                 (long long)im->n_kept, table, im->n_kept == 1 ? " was" : "s were",
                 im->n_kept == 1 ? "it is" : "they are");
    return BL_OK;
}

/* A stored record with the row's key (id 0: none), found by a query whose columns are
 * its id, its text (note, reason), its ext_id (or NULL) and whether the text is the
 * file's (1, 0). */
struct found {
    int64_t id;
    bool has_ext; /* a disruption: it has an id of the user's */
    bool same;    /* its text is the file's */
};

static int found_row(void *ctx, const struct bl_row *r)
{
    struct found *f = ctx;
    if (f->id)
        return 0;
    f->id = bl_row_int(r, 0);
    f->has_ext = !bl_row_isnull(r, 2);
    f->same = bl_row_int(r, 3) == 1;
    return 0;
}

/* The row's record is stored as f: its text updated when the file's differs (touched:
 * something else of it was updated already). */
static int keyed_known(struct bl__imp *im, const struct found *f, bool has, struct bl_str text,
                       const char *update_sql, bool touched)
{
    TRY(bl__replace_keep(im, f->id));
    if (!has || f->same) {
        im->n_kept += !touched;
        im->n_changed += touched;
        return BL_OK;
    }
    struct bl_val v[3] = {bl_val_int(im->org), bl_val_int(f->id), bl_val_text(text)};
    im->n_changed++;
    return bl_store_exec(im->st, update_sql, v, 3, NULL, im->d);
}

/* Shops whose rule profile does not exist are imported (their stock, orders and
 * messages are of use without a rating, and the profile can come later) but the note
 * says which: they are not rated until profiles/NAME.json exists. */
struct missing_ctx {
    char *note;
    size_t cap;
    int n;
};

static int missing_row(void *ctx, const struct bl_row *r)
{
    struct missing_ctx *m = ctx;
    char name[64], ext[64];
    bl_str_copy(name, sizeof(name), bl_row_text(r, 0));
    struct bl_profile prof;
    struct bl_diag pd;
    bl_diag_clear(&pd);
    if (bl_profile_load(bl_profile_dir(), name, &prof, &pd) != BL_ENOTFOUND)
        return 0;
    bl_str_copy(ext, sizeof(ext), bl_row_text(r, 2));
    size_t at = strlen(m->note);
    int64_t k = bl_row_int(r, 1);
    snprintf(m->note + at, m->cap - at, "%s%s (%lld shop%s: %s%s)", m->n++ ? ", " : "", name,
             (long long)k, k == 1 ? "" : "s", ext, k > 1 ? ", ..." : "");
    return 0;
}

static int run_shops(struct bl__imp *im, const char *path, struct bl_import_result *res)
{
    static const struct bl__range ranges[] = {{SH_DEPOSIT, -BL__MONEY_MAX, BL__MONEY_MAX}};
    BL__RANGES(im, ranges);
    int rc = simple_kind(im, path, shop_cols, NCOLS(shop_cols), "shop", shop_db_cols,
                         NCOLS(shop_db_cols), shop_row,
                         "duplicate shop id: a shop with this id is already in the store or "
                         "earlier in this file", NULL, res);
    if (rc)
        return rc;
    char list[200] = "";
    struct missing_ctx m = {list, sizeof(list), 0};
    struct bl_val p[2] = {bl_val_int(im->org), bl_val_int(im->batch)};
    rc = bl_store_query(im->st,
                        "SELECT profile, COUNT(*), MIN(ext_id) FROM shop WHERE org_id = $1"
                        " AND batch_id = $2 GROUP BY profile ORDER BY profile",
                        p, 2, missing_row, &m, im->d);
    if (!rc && m.n)
        snprintf(res->note, sizeof(res->note),
                 "no such rule profile, so these shops are not rated until "
                 "profiles/NAME.json exists: %.160s",
                 list);
    return rc;
}

/* ---------------------------------------------------------------- skus */

enum { SK_ID, SK_NAME, SK_CATEGORY, SK_WEIGHT, SK_LEN, SK_WID, SK_HEI, SK_PRICE, SK_CURRENCY,
       SK_HMIN, SK_HMAX, SK_LISTING, SK_PROMOTED, SK_REVIEW, SK_PROMO_SPEND };
static const struct bl__colspec sku_cols[] = {
    {"id", BL__C_ID, REQ, NULL},          {"name", BL__C_TEXT, OPT, NULL},
    {"category", BL__C_TEXT, OPT, NULL},  {"weight_g", BL__C_UINT, OPT, NULL},
    {"length_mm", BL__C_UINT, OPT, NULL}, {"width_mm", BL__C_UINT, OPT, NULL},
    {"height_mm", BL__C_UINT, OPT, NULL}, {"price", BL__C_MONEY, OPT, NULL},
    {"currency", BL__C_CURRENCY, OPT, NULL}, {"handling_min", BL__C_UINT, OPT, NULL},
    {"handling_max", BL__C_UINT, OPT, NULL}, {"listing", BL__C_ENUM, OPT, listings},
    {"promoted", BL__C_FLAG, OPT, NULL},  {"price_review", BL__C_ENUM, OPT, reviews},
    {"promo_spend", BL__C_MONEY, OPT, NULL},
};
static const char *const sku_db_cols[] = {
    "org_id",   "id",       "ext_id",      "name",         "category",     "weight_g",
    "length_mm", "width_mm", "height_mm",  "price",        "currency",     "handling_min",
    "handling_max", "listing", "promoted", "price_review", "batch_id", "promo_spend"};

static int sku_row(struct bl__imp *im, void *vctx)
{
    struct ins_ctx *c = vctx;
    struct bl_str id, name, cat;
    bool has_name, has_cat, has_w, has_l, has_wi, has_h, has_price, has_cur, has, has_spend;
    int64_t w = 0, l = 0, wi = 0, h = 0, price = 0, hmin = 1, hmax = 3, promoted, spend = 0;
    int listing, review, exp = 2;
    char cur[4] = "";
    TRY(bl__imp_id(im, SK_ID, &id));
    TRY(bl__imp_name(im, SK_NAME, &name, &has_name));
    TRY(bl__imp_name(im, SK_CATEGORY, &cat, &has_cat));
    TRY(bl__imp_uint(im, SK_WEIGHT, &w, &has_w));
    TRY(bl__imp_uint(im, SK_LEN, &l, &has_l));
    TRY(bl__imp_uint(im, SK_WID, &wi, &has_wi));
    TRY(bl__imp_uint(im, SK_HEI, &h, &has_h));
    TRY(bl__imp_currency(im, SK_CURRENCY, cur, &exp, &has_cur));
    TRY(bl__imp_money(im, SK_PRICE, exp, &price, &has_price));
    if (has_price && !has_cur)
        return bl__imp_err(im, SK_CURRENCY, BL_EPARSE,
                           "missing value: a price needs its currency (e.g. USD)");
    if (has_price && price < 0)
        return bl__imp_err(im, SK_PRICE, BL_ERANGE, "negative price: expected 0 or more");
    TRY(bl__imp_money(im, SK_PROMO_SPEND, exp, &spend, &has_spend));
    if (has_spend && !has_cur)
        return bl__imp_err(im, SK_CURRENCY, BL_EPARSE,
                           "missing value: a promotion spend needs its currency (e.g. USD)");
    if (has_spend && spend < 0)
        return bl__imp_err(im, SK_PROMO_SPEND, BL_ERANGE,
                           "negative promotion spend: expected 0 or more a day");
    TRY(bl__imp_uint(im, SK_HMIN, &hmin, &has));
    TRY(bl__imp_uint(im, SK_HMAX, &hmax, &has));
    if (hmin > hmax)
        return bl__imp_err(im, SK_HMAX, BL_ERANGE,
                           "handling_max %lld is below handling_min %lld", (long long)hmax,
                           (long long)hmin);
    TRY(bl__imp_enum(im, SK_LISTING, 0, &listing));
    TRY(bl__imp_flag(im, SK_PROMOTED, 0, &promoted));
    TRY(bl__imp_enum(im, SK_REVIEW, 0, &review));
    struct bl_val v[] = {bl_val_int(im->org),    bl_val_int(c->next++),
                         bl_val_text(id),        bl_val_text(has_name ? name : id),
                         opt_text(has_cat, cat), opt_int(has_w, w),
                         opt_int(has_l, l),      opt_int(has_wi, wi),
                         opt_int(has_h, h),      opt_int(has_price, price),
                         opt_cstr(cur),          bl_val_int(hmin),
                         bl_val_int(hmax),       bl_val_text(bl_str_c(listings[listing])),
                         bl_val_int(promoted),   bl_val_text(bl_str_c(reviews[review])),
                         bl_val_int(im->batch),  opt_int(has_spend, spend)};
    return bl_inserter_row(c->ins, v, im->rec.line, im->d);
}

static int run_skus(struct bl__imp *im, const char *path, struct bl_import_result *res)
{
    static const struct bl__range ranges[] = {
        {SK_WEIGHT, 0, BL__GRAMS_MAX}, {SK_LEN, 0, BL__MM_MAX},     {SK_WID, 0, BL__MM_MAX},
        {SK_HEI, 0, BL__MM_MAX},       {SK_HMIN, 0, BL__DAYS_MAX}, {SK_HMAX, 0, BL__DAYS_MAX}};
    BL__RANGES(im, ranges);
    return simple_kind(im, path, sku_cols, NCOLS(sku_cols), "sku", sku_db_cols,
                       NCOLS(sku_db_cols), sku_row,
                       "duplicate sku id: a SKU with this id is already in the store or "
                       "earlier in this file", NULL, res);
}

/* ---------------------------------------------------------------- warehouses */

enum { WH_ID, WH_NAME, WH_REGION, WH_KIND };
static const struct bl__colspec wh_cols[] = {
    {"id", BL__C_ID, REQ, NULL},
    {"name", BL__C_TEXT, OPT, NULL},
    {"region", BL__C_REGION, REQ, NULL},
    {"kind", BL__C_ENUM, OPT, wh_kinds},
};
static const char *const wh_db_cols[] = {"org_id", "id",   "ext_id",  "name",
                                         "region", "kind", "batch_id"};

static int wh_row(struct bl__imp *im, void *vctx)
{
    struct ins_ctx *c = vctx;
    struct bl_str id, name;
    bool has_name, has;
    char region[BL_REGION_MAX];
    int kind;
    TRY(bl__imp_id(im, WH_ID, &id));
    TRY(bl__imp_name(im, WH_NAME, &name, &has_name));
    TRY(bl__imp_region(im, WH_REGION, region, &has));
    TRY(bl__imp_enum(im, WH_KIND, 0, &kind));
    struct bl_val v[] = {bl_val_int(im->org),         bl_val_int(c->next++),
                         bl_val_text(id),             bl_val_text(has_name ? name : id),
                         bl_val_text(bl_str_c(region)), bl_val_text(bl_str_c(wh_kinds[kind])),
                         bl_val_int(im->batch)};
    return bl_inserter_row(c->ins, v, im->rec.line, im->d);
}

static int run_warehouses(struct bl__imp *im, const char *path, struct bl_import_result *res)
{
    return simple_kind(im, path, wh_cols, NCOLS(wh_cols), "warehouse", wh_db_cols,
                       NCOLS(wh_db_cols), wh_row,
                       "duplicate warehouse id: a warehouse with this id is already in the "
                       "store or earlier in this file", NULL, res);
}

/* ---------------------------------------------------------------- suppliers */

enum { SU_ID, SU_NAME, SU_REGION, SU_LEAD, SU_LEADMAX, SU_MOQ, SU_PACK, SU_STATE, SU_BACKUP };
static const struct bl__colspec sup_cols[] = {
    {"id", BL__C_ID, REQ, NULL},          {"name", BL__C_TEXT, OPT, NULL},
    {"region", BL__C_REGION, REQ, NULL},  {"lead_days", BL__C_UINT, REQ, NULL},
    {"lead_days_max", BL__C_UINT, OPT, NULL}, {"moq", BL__C_POS, OPT, NULL},
    {"case_pack", BL__C_POS, OPT, NULL},  {"state", BL__C_ENUM, OPT, sup_states},
    {"backup_for", BL__C_ID, OPT, NULL},
};
static const char *const sup_db_cols[] = {"org_id",    "id",  "ext_id",    "name",
                                          "region",    "lead_days", "lead_days_max", "moq",
                                          "case_pack", "state", "backup_for", "batch_id"};

struct sup_ctx {
    struct ins_ctx ins; /* first: simple_kind's rows see an ins_ctx */
    struct bl_map lines; /* supplier id -> its line in the file */
};

static int sup_row(struct bl__imp *im, void *vctx)
{
    struct ins_ctx *c = vctx;
    struct sup_ctx *sc = vctx;
    struct bl_str id, name, backup;
    bool has_name, has, has_max;
    char region[BL_REGION_MAX];
    int64_t lead, leadmax, moq = 1, pack = 1;
    int state;
    TRY(bl__imp_id(im, SU_ID, &id));
    TRY(bl__imp_name(im, SU_NAME, &name, &has_name));
    TRY(bl__imp_region(im, SU_REGION, region, &has));
    TRY(bl__imp_uint(im, SU_LEAD, &lead, &has));
    TRY(bl__imp_uint(im, SU_LEADMAX, &leadmax, &has_max));
    if (!has_max)
        leadmax = lead;
    if (leadmax < lead)
        return bl__imp_err(im, SU_LEADMAX, BL_ERANGE,
                           "lead_days_max %lld is below lead_days %lld", (long long)leadmax,
                           (long long)lead);
    TRY(bl__imp_uint(im, SU_MOQ, &moq, &has));
    TRY(bl__imp_uint(im, SU_PACK, &pack, &has));
    TRY(bl__imp_enum(im, SU_STATE, 0, &state));
    TRY(bl__imp_id(im, SU_BACKUP, &backup));
    if (backup.len)
        TRY(bl_map_put(&sc->lines, id, im->rec.line));
    struct bl_val v[] = {bl_val_int(im->org),
                         bl_val_int(c->next++),
                         bl_val_text(id),
                         bl_val_text(has_name ? name : id),
                         bl_val_text(bl_str_c(region)),
                         bl_val_int(lead),
                         bl_val_int(leadmax),
                         bl_val_int(moq),
                         bl_val_int(pack),
                         bl_val_text(bl_str_c(sup_states[state])),
                         opt_text(backup.len > 0, backup),
                         bl_val_int(im->batch)};
    return bl_inserter_row(c->ins, v, im->rec.line, im->d);
}

/* Every supplier of the organisation after the batch's rows: who each is a backup for. */
struct sup_node {
    struct bl_str ext, backup;
    int64_t batch;
    int64_t to; /* index of backup_for, -1 none, -2 unknown */
};

struct sup_graph {
    struct bl__imp *im;
    struct bl_map ids; /* ext -> index */
    struct sup_node *v;
    size_t n, cap;
};

static int graph_row(void *ctx, const struct bl_row *r)
{
    struct sup_graph *g = ctx;
    int rc = bl_grow((void **)&g->v, &g->cap, g->n + 1, sizeof(*g->v));
    if (rc)
        return rc;
    struct bl_str e = bl_row_text(r, 0), b = bl_row_text(r, 1);
    char *ec = bl_arena_strndup(&g->im->arena, e.ptr ? e.ptr : "", e.len);
    char *bc = bl_arena_strndup(&g->im->arena, b.ptr ? b.ptr : "", b.len);
    if (!ec || !bc)
        return BL_ENOMEM;
    struct sup_node *x = &g->v[g->n];
    x->ext = (struct bl_str){ec, e.len};
    x->backup = (struct bl_str){bc, b.len};
    x->batch = bl_row_int(r, 2);
    x->to = -1;
    rc = bl_map_put(&g->ids, x->ext, (int64_t)g->n);
    g->n++;
    return rc;
}

/* The chain from supplier i ("A -> B -> A") into out. */
static void chain_text(const struct sup_graph *g, size_t i, char *out, size_t cap)
{
    size_t len = 0;
    int64_t j = (int64_t)i;
    for (size_t k = 0; k <= g->n && k < 6 && len < cap; k++) {
        char name[BL_SHOW_BUF];
        len += (size_t)snprintf(out + len, cap - len, "%s%s", k ? " -> " : "",
                                bl_str_show(g->v[j].ext, BL_SHOW, name));
        if (k && (size_t)j == i)
            return;
        j = g->v[j].to;
        if (j < 0)
            return;
    }
    if (len < cap)
        snprintf(out + len, cap - len, ", ...");
}

/* backup_for names a supplier (of this file or the store), not itself, and the chain of
 * backups it starts never comes back (A backup for B backup for A). */
static int sup_check(struct bl__imp *im, struct sup_graph *g, size_t i, int64_t line)
{
    char a[BL_SHOW_BUF], chain[400];
    const char *why = NULL;
    if (g->v[i].to == -2)
        why = "names no supplier of the store or of this file";
    else if ((size_t)g->v[i].to == i)
        why = "names the supplier itself";
    int64_t j = g->v[i].to;
    for (size_t k = 0; !why && j >= 0 && k <= g->n; k++, j = g->v[j].to)
        if ((size_t)j == i || k == g->n)
            why = "forms a cycle";
    if (!why)
        return BL_OK;
    bl_diag_clear(im->d);
    bl_diag_at(im->d, im->file, line, "backup_for");
    if (strcmp(why, "forms a cycle") == 0) {
        chain_text(g, i, chain, sizeof(chain));
        return bl_diag_set(im->d, BL_ECONFLICT,
                           "backup_for forms a cycle: %s (each a backup for the next); a chain "
                           "of backups must end at a supplier that is nobody's backup",
                           chain);
    }
    return bl_diag_set(im->d, BL_ENOTFOUND, "backup_for '%s' %s: expected the id of another "
                       "supplier",
                       bl_str_show(g->v[i].backup, BL_SHOW, a), why);
}

static int sup_graph_check(struct bl__imp *im, struct bl_map *lines)
{
    struct sup_graph g;
    memset(&g, 0, sizeof(g));
    g.im = im;
    bl_map_init(&g.ids, &im->arena);
    struct bl_val p = bl_val_int(im->org);
    int rc = bl_store_query(im->st,
                            "SELECT ext_id, COALESCE(backup_for, ''), batch_id FROM supplier "
                            "WHERE org_id = $1 ORDER BY id",
                            &p, 1, graph_row, &g, im->d);
    for (size_t i = 0; !rc && i < g.n; i++) {
        struct sup_node *x = &g.v[i];
        if (x->backup.len && !bl_map_get(&g.ids, x->backup, &x->to))
            x->to = -2;
    }
    for (size_t i = 0; !rc && i < g.n; i++) {
        int64_t line;
        if (g.v[i].batch == im->batch && g.v[i].backup.len &&
            bl_map_get(lines, g.v[i].ext, &line))
            rc = sup_check(im, &g, i, line);
    }
    bl_map_release(&g.ids);
    bl_free(g.v);
    return rc;
}

static int run_suppliers(struct bl__imp *im, const char *path, struct bl_import_result *res)
{
    static const struct bl__range ranges[] = {{SU_LEAD, 0, BL__DAYS_MAX},
                                              {SU_LEADMAX, 0, BL__DAYS_MAX}};
    BL__RANGES(im, ranges);
    struct sup_ctx c;
    memset(&c, 0, sizeof(c));
    bl_map_init(&c.lines, &im->arena);
    int rc = simple_kind(im, path, sup_cols, NCOLS(sup_cols), "supplier", sup_db_cols,
                         NCOLS(sup_db_cols), sup_row,
                         "duplicate supplier id: a supplier with this id is already in the "
                         "store or earlier in this file",
                         &c.ins, res);
    if (!rc)
        rc = sup_graph_check(im, &c.lines);
    bl_map_release(&c.lines);
    return rc;
}

/* ---------------------------------------------------------------- inbound */

enum { IN_PO, IN_SKU, IN_QTY, IN_WH, IN_SUP, IN_ORDERED, IN_ETA, IN_RECEIVED, IN_STATE };
static const struct bl__colspec in_cols[] = {
    {"po", BL__C_ID, REQ, NULL},           {"sku", BL__C_ID, REQ, NULL},
    {"qty", BL__C_POS, REQ, NULL},         {"warehouse", BL__C_ID, REQ, NULL},
    {"supplier", BL__C_ID, OPT, NULL},     {"ordered_at", BL__C_INSTANT, OPT, NULL},
    {"eta", BL__C_INSTANT, REQ, NULL},     {"received_at", BL__C_INSTANT, OPT, NULL},
    {"state", BL__C_ENUM, OPT, po_states},
};
static const char *const in_db_cols[] = {"org_id",     "id",  "ext_id",      "supplier_id",
                                         "warehouse_id", "sku_id", "qty",    "ordered_at",
                                         "eta",        "received_at", "state", "batch_id"};

static int in_row(struct bl__imp *im, void *vctx)
{
    struct ins_ctx *c = vctx;
    struct bl_str po;
    bool has, has_sup, has_ord, has_rec;
    int64_t sku, qty, wh, sup = 0, ordered = 0, eta, received = 0;
    int state;
    TRY(bl__imp_id(im, IN_PO, &po));
    TRY(bl__imp_ref(im, IN_SKU, "sku", &im->skus, &im->have_skus, &sku, &has));
    TRY(bl__imp_uint(im, IN_QTY, &qty, &has));
    TRY(bl__imp_ref(im, IN_WH, "warehouse", &im->warehouses, &im->have_warehouses, &wh, &has));
    TRY(bl__imp_ref(im, IN_SUP, "supplier", &im->suppliers, &im->have_suppliers, &sup,
                    &has_sup));
    TRY(bl__imp_instant(im, IN_ORDERED, im->tz, &ordered, &has_ord));
    TRY(bl__imp_instant(im, IN_ETA, im->tz, &eta, &has));
    TRY(bl__imp_instant(im, IN_RECEIVED, im->tz, &received, &has_rec));
    TRY(bl__imp_enum(im, IN_STATE, has_rec ? 1 : 0, &state));
    if (state == 1 && !has_rec)
        return bl__imp_err(im, IN_RECEIVED, BL_EPARSE,
                           "missing value: state 'received' needs received_at");
    struct bl_val v[] = {bl_val_int(im->org),
                         bl_val_int(c->next++),
                         bl_val_text(po),
                         opt_int(has_sup, sup),
                         bl_val_int(wh),
                         bl_val_int(sku),
                         bl_val_int(qty),
                         opt_int(has_ord, ordered),
                         bl_val_int(eta),
                         opt_int(has_rec, received),
                         bl_val_text(bl_str_c(po_states[state])),
                         bl_val_int(im->batch)};
    return bl_inserter_row(c->ins, v, im->rec.line, im->d);
}

static int run_inbound(struct bl__imp *im, const char *path, struct bl_import_result *res)
{
    return simple_kind(im, path, in_cols, NCOLS(in_cols), "inbound", in_db_cols,
                       NCOLS(in_db_cols), in_row,
                       "duplicate purchase order line: this po and sku are already in the "
                       "store or earlier in this file", NULL, res);
}

/* ---------------------------------------------------------------- sales */

enum { SA_SKU, SA_DATE, SA_UNITS, SA_INSTOCK, SA_SHOP };
static const struct bl__colspec sales_cols[] = {
    {"sku", BL__C_ID, REQ, NULL},       {"date", BL__C_DATE, REQ, NULL},
    {"units", BL__C_UINT, REQ, NULL},   {"in_stock", BL__C_FLAG, OPT, NULL},
    {"shop", BL__C_ID, OPT, NULL},
};
static const char *const sales_db_cols[] = {"org_id", "sku_id",   "shop_id", "day",
                                            "units",  "in_stock", "batch_id"};

static int sales_row(struct bl__imp *im, void *vctx)
{
    struct ins_ctx *c = vctx;
    bool has;
    int64_t sku, day, units, in_stock, shop_id = 0;
    TRY(bl__imp_ref(im, SA_SKU, "sku", &im->skus, &im->have_skus, &sku, &has));
    TRY(bl__imp_date(im, SA_DATE, &day, &has));
    TRY(bl__imp_uint(im, SA_UNITS, &units, &has));
    TRY(bl__imp_flag(im, SA_INSTOCK, -1, &in_stock));
    if (bl__imp_has(im, SA_SHOP)) {
        const struct bl__shop *shop;
        TRY(bl__imp_shop_ref(im, SA_SHOP, &shop));
        shop_id = shop->id;
    }
    struct bl_val v[] = {bl_val_int(im->org), bl_val_int(sku),   bl_val_int(shop_id),
                         bl_val_int(day),     bl_val_int(units), opt_int(in_stock >= 0, in_stock),
                         bl_val_int(im->batch)};
    return bl_inserter_row(c->ins, v, im->rec.line, im->d);
}

static int run_sales(struct bl__imp *im, const char *path, struct bl_import_result *res)
{
    struct ins_ctx c = {0};
    TRY(bl__imp_open(im, path, path, sales_cols, NCOLS(sales_cols)));
    TRY(bl_inserter_open(im->st, "sales_daily", sales_db_cols, NCOLS(sales_db_cols), &c.ins,
                         im->d));
    int rc = each_row(im, sales_row, &c, res);
    const char *dup = "duplicate sales day: this sku, shop and date are already in the store "
                      "or earlier in this file";
    if (rc) {
        bl_inserter_discard(c.ins);
        return bl__imp_dup(im, rc, "date", dup);
    }
    res->records = res->rows;
    return bl__imp_dup(im, bl_inserter_close(c.ins, im->d), "date", dup);
}

/* ---------------------------------------------------------------- protections */

enum { PR_SHOP, PR_START, PR_END, PR_REASON };
static const struct bl__colspec prot_cols[] = {
    {"shop", BL__C_ID, REQ, NULL},
    {"starts_at", BL__C_INSTANT, REQ, NULL},
    {"ends_at", BL__C_INSTANT, REQ, NULL},
    {"reason", BL__C_TEXT, REQ, NULL},
};

static int prot_row(struct bl__imp *im, void *vctx)
{
    struct ins_ctx *c = vctx;
    const struct bl__shop *shop;
    bool has;
    int64_t from, to;
    struct bl_str reason;
    TRY(bl__imp_shop_ref(im, PR_SHOP, &shop));
    TRY(bl__imp_instant(im, PR_START, im->tz ? im->tz : shop->tz, &from, &has));
    TRY(bl__imp_instant(im, PR_END, im->tz ? im->tz : shop->tz, &to, &has));
    if (to <= from)
        return bl__imp_err(im, PR_END, BL_ERANGE, "ends_at must be after starts_at");
    TRY(bl__imp_text(im, PR_REASON, &reason, &has));
    /* the key: shop, starts_at, ends_at; the reason may change */
    struct found f = {0};
    struct bl_val k[5] = {bl_val_int(im->org), bl_val_int(shop->id), bl_val_int(from),
                          bl_val_int(to), bl_val_text(reason)};
    TRY(bl_store_query(im->st,
                       "SELECT id, reason, NULL, CASE WHEN reason = $5 THEN 1 ELSE 0 END FROM "
                       "protection WHERE org_id = $1 AND shop_id = $2 AND starts_at = $3 AND "
                       "ends_at = $4 ORDER BY id",
                       k, 5, found_row, &f, im->d));
    if (f.id)
        return keyed_known(im, &f, true, reason,
                           "UPDATE protection SET reason = $3 WHERE org_id = $1 AND id = $2",
                           false);
    struct bl_val v[] = {bl_val_int(im->org), bl_val_int(c->next++), bl_val_int(shop->id),
                         bl_val_int(from),    bl_val_int(to),        bl_val_text(reason),
                         bl_val_int(im->batch)};
    im->n_added++;
    return bl_store_exec(im->st,
                         "INSERT INTO protection (org_id, id, shop_id, starts_at, ends_at, "
                         "reason, batch_id) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                         v, 7, NULL, im->d);
}

static int run_protections(struct bl__imp *im, const char *path, struct bl_import_result *res)
{
    return keyed_kind(im, path, prot_cols, NCOLS(prot_cols), "protection", prot_row, res);
}

/* ---------------------------------------------------------------- disruptions */

enum { DI_ID, DI_REGION, DI_SCOPE, DI_KIND, DI_START, DI_END, DI_CHANNEL, DI_SUPPLIER, DI_NOTE };
static const struct bl__colspec dis_cols[] = {
    {"id", BL__C_ID, OPT, NULL},          {"region", BL__C_REGION, REQ, NULL},
    {"scope", BL__C_ENUM, REQ, bl_dis_scopes},   {"kind", BL__C_ENUM, REQ, bl_dis_kinds},
    {"starts_at", BL__C_INSTANT, REQ, NULL}, {"ends_at", BL__C_INSTANT, OPT, NULL},
    {"channel", BL__C_ID, OPT, NULL},     {"supplier", BL__C_ID, OPT, NULL},
    {"note", BL__C_TEXT, OPT, NULL},
};

/* A declared region must be a real place: its country, and its subdivision if it has
 * one, in ISO 3166 (Debian's iso-codes), else an error with the nearest code. */
static int iso_region(struct bl__imp *im, int col, const char *region)
{
    if (!im->places && (im->opts->cache ? bl__cache_places(im->opts->cache, &im->places, im->d)
                                        : bl_places_open(NULL, NULL, &im->places, im->d)))
        return im->d->code;
    if (bl_places_known(im->places, region))
        return BL_OK;
    char near[BL_REGION_MAX], name[96] = "";
    struct bl_diag ig;
    bl_diag_clear(&ig);
    bool has = bl_places_suggest(im->places, region, near, sizeof(near));
    if (has && bl_places_name(im->places, near, "en", name, sizeof(name), &ig) != BL_OK)
        name[0] = '\0';
    if (has)
        return bl__imp_err(im, col, BL_ENOTFOUND,
                           "%.*s is not an ISO 3166 country or subdivision; did you mean %s%s%s%s?",
                           (int)strcspn(region, ":"), region, near, name[0] ? " (" : "", name,
                           name[0] ? ")" : "");
    return bl__imp_err(im, col, BL_ENOTFOUND,
                       "%.*s is not an ISO 3166 country or subdivision (expected a code such as "
                       "CN, CN-ZJ or BR-SP)",
                       (int)strcspn(region, ":"), region);
}

/* The stored disruption with the key of the row whose values (for the insert) are v: the
 * key is region, scope, kind, starts_at, ends_at, channel, supplier, and the id when both
 * the row and the stored disruption have one. */
static int dis_find(struct bl__imp *im, const struct bl_val *v, struct bl_str id,
                    struct bl_str channel, struct bl_str supplier, struct bl_str note,
                    struct found *f)
{
    struct bl_val k[10] = {v[0], bl_val_text(id),   v[3], v[4], v[5], v[8], v[9],
                           bl_val_text(channel), bl_val_text(supplier), bl_val_text(note)};
    return bl_store_query(im->st,
                          "SELECT id, note, ext_id, CASE WHEN note = $10 THEN 1 ELSE 0 END "
                          "FROM disruption WHERE org_id = $1 AND "
                          "(ext_id IS NULL OR $2 = '' OR ext_id = $2) AND region = $3 AND "
                          "scope = $4 AND kind = $5 AND starts_at = $6 AND ends_at = $7 AND "
                          "COALESCE(channel, '') = $8 AND COALESCE(supplier, '') = $9 "
                          "ORDER BY id",
                          k, 10, found_row, f, im->d);
}

/* A note the file changes is in the disruption's history (disruption show), by "import
 * batch N". */
static int dis_note_event(struct bl__imp *im, const struct found *f, struct bl_str note)
{
    int64_t id;
    char who[48];
    snprintf(who, sizeof(who), "import batch %lld", (long long)im->batch);
    TRY(bl_store_next_ids(im->st, im->org, "disruption_event", 1, &id, im->d));
    struct bl_val v[] = {bl_val_int(im->org),
                         bl_val_int(id),
                         bl_val_int(f->id),
                         bl_val_int(im->opts->now),
                         bl_val_text(bl_str_c(who)),
                         bl_val_text(note)};
    return bl_store_exec(im->st,
                         "INSERT INTO disruption_event (org_id, id, disruption_id, at, who, "
                         "field, old, new) SELECT $1, $2, $3, $4, $5, 'note', note, $6 FROM "
                         "disruption WHERE org_id = $1 AND id = $3",
                         v, 6, NULL, im->d);
}

/* A row of a disruptions file: the stored disruption with its key (its note updated, an
 * id given), or a new one. */
static int dis_row(struct bl__imp *im, void *vctx)
{
    struct ins_ctx *c = vctx;
    struct bl_str id, note;
    char region[BL_REGION_MAX];
    int scope, kind;
    int64_t from, to = BL__FOREVER, ref;
    bool has, has_to, has_note, has_ch, has_sup;
    TRY(bl__imp_id(im, DI_ID, &id));
    TRY(bl__imp_region(im, DI_REGION, region, &has));
    TRY(iso_region(im, DI_REGION, region));
    TRY(bl__imp_enum(im, DI_SCOPE, 0, &scope));
    TRY(bl__imp_enum(im, DI_KIND, 0, &kind));
    TRY(bl__imp_instant(im, DI_START, im->tz, &from, &has));
    TRY(bl__imp_instant(im, DI_END, im->tz, &to, &has_to));
    if (!has_to)
        to = BL__FOREVER;
    if (to <= from)
        return bl__imp_err(im, DI_END, BL_ERANGE, "ends_at must be after starts_at");
    TRY(bl__imp_ref(im, DI_CHANNEL, "channel", &im->channels, &im->have_channels, &ref, &has_ch));
    TRY(bl__imp_ref(im, DI_SUPPLIER, "supplier", &im->suppliers, &im->have_suppliers, &ref,
                    &has_sup));
    TRY(bl__imp_text(im, DI_NOTE, &note, &has_note));
    struct bl_val v[] = {bl_val_int(im->org),
                         bl_val_int(c->next),
                         opt_text(id.len > 0, id),
                         bl_val_text(bl_str_c(region)),
                         bl_val_text(bl_str_c(bl_dis_scopes[scope])),
                         bl_val_text(bl_str_c(bl_dis_kinds[kind])),
                         opt_text(has_ch, bl__imp_raw(im, DI_CHANNEL)),
                         opt_text(has_sup, bl__imp_raw(im, DI_SUPPLIER)),
                         bl_val_int(from),
                         bl_val_int(to),
                         opt_text(has_note, note),
                         bl_val_int(im->batch)};
    struct found f = {0};
    TRY(dis_find(im, v, id, has_ch ? bl__imp_raw(im, DI_CHANNEL) : bl_str_c(""),
                 has_sup ? bl__imp_raw(im, DI_SUPPLIER) : bl_str_c(""), note, &f));
    bool named = f.id && id.len && !f.has_ext;
    if (named) {
        struct bl_val x[3] = {bl_val_int(im->org), bl_val_int(f.id), bl_val_text(id)};
        TRY(bl_store_exec(im->st,
                          "UPDATE disruption SET ext_id = $3 WHERE org_id = $1 AND id = $2", x,
                          3, NULL, im->d));
    }
    if (f.id && has_note && !f.same)
        TRY(dis_note_event(im, &f, note));
    if (f.id)
        return keyed_known(im, &f, has_note, note,
                           "UPDATE disruption SET note = $3 WHERE org_id = $1 AND id = $2", named);
    c->next++;
    im->n_added++;
    int rc = bl_store_exec(im->st,
                           "INSERT INTO disruption (org_id, id, ext_id, region, scope, kind, "
                           "channel, supplier, starts_at, ends_at, note, batch_id) VALUES ($1, "
                           "$2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                           v, 12, NULL, im->d);
    if (rc == BL_EEXISTS && im->d)
        im->d->line = im->rec.line;
    return bl__imp_dup(im, rc, "id",
                       "duplicate disruption id: a disruption with this id is already in the "
                       "store or earlier in this file");
}

static int run_disruptions(struct bl__imp *im, const char *path, struct bl_import_result *res)
{
    return keyed_kind(im, path, dis_cols, NCOLS(dis_cols), "disruption", dis_row, res);
}

/* ---------------------------------------------------------------- stock */

enum { ST_WH, ST_SKU, ST_ONHAND, ST_RESERVED, ST_COUNTED };
static const struct bl__colspec stock_cols[] = {
    {"warehouse", BL__C_ID, REQ, NULL},   {"sku", BL__C_ID, REQ, NULL},
    {"on_hand", BL__C_UINT, REQ, NULL},   {"reserved", BL__C_UINT, OPT, NULL},
    {"counted_at", BL__C_INSTANT, REQ, NULL},
};

struct stock_ctx {
    struct bl_map seen;
    int64_t next_move;
    int64_t stale;
    int64_t prev_on_hand, prev_at, prev_reserved, prev_batch;
    bool have_prev;
};

static int stock_prev(void *ctx, const struct bl_row *r)
{
    struct stock_ctx *c = ctx;
    c->prev_on_hand = bl_row_int(r, 0);
    c->prev_at = bl_row_int(r, 1);
    c->prev_reserved = bl_row_int(r, 2);
    c->prev_batch = bl_row_int(r, 3);
    c->have_prev = true;
    return 0;
}

/* The count's move: the difference from the count before (none when it is 0). */
static int stock_move(struct bl__imp *im, struct stock_ctx *c, int64_t wh, int64_t sku,
                      int64_t on_hand, int64_t before, int64_t at)
{
    int64_t delta;
    if (__builtin_sub_overflow(on_hand, before, &delta))
        return bl__imp_err(im, ST_ONHAND, BL_EOVERFLOW, "on_hand difference overflows");
    if (delta == 0)
        return BL_OK;
    struct bl_val m[7] = {bl_val_int(im->org), bl_val_int(c->next_move++), bl_val_int(wh),
                          bl_val_int(sku),     bl_val_int(delta),          bl_val_int(at),
                          bl_val_int(im->batch)};
    return bl_store_exec(im->st,
                         "INSERT INTO stock_move (org_id, id, warehouse_id, sku_id, qty, kind, "
                         "at, ref, batch_id) VALUES ($1, $2, $3, $4, $5, 'count', $6, "
                         "'stock count', $7)",
                         m, 7, NULL, im->d);
}

static int stock_row(struct bl__imp *im, void *vctx)
{
    struct stock_ctx *c = vctx;
    bool has;
    int64_t wh, sku, on_hand, reserved = 0, at;
    TRY(bl__imp_ref(im, ST_WH, "warehouse", &im->warehouses, &im->have_warehouses, &wh, &has));
    TRY(bl__imp_ref(im, ST_SKU, "sku", &im->skus, &im->have_skus, &sku, &has));
    TRY(bl__imp_uint(im, ST_ONHAND, &on_hand, &has));
    TRY(bl__imp_uint(im, ST_RESERVED, &reserved, &has));
    if (reserved > on_hand)
        return bl__imp_err(im, ST_RESERVED, BL_ERANGE,
                           "reserved %lld is more than on_hand %lld", (long long)reserved,
                           (long long)on_hand);
    TRY(bl__imp_instant(im, ST_COUNTED, im->tz, &at, &has));

    int64_t key[2] = {wh, sku};
    int64_t line = im->rec.line;
    bool added;
    TRY(bl_map_get_or_put(&c->seen, (struct bl_str){(const char *)key, sizeof(key)}, &line,
                          &added));
    if (!added)
        return bl__imp_err(im, ST_SKU, BL_EEXISTS,
                           "this warehouse and sku were already counted on line %lld of this "
                           "file",
                           (long long)line);

    struct bl_val q[3] = {bl_val_int(im->org), bl_val_int(wh), bl_val_int(sku)};
    c->have_prev = false;
    TRY(bl_store_query(im->st,
                       "SELECT on_hand, counted_at, reserved, batch_id FROM stock WHERE "
                       "org_id = $1 AND warehouse_id = $2 AND sku_id = $3",
                       q, 3, stock_prev, c, im->d));
    /* --replace: the replaced batch's own count gives way; the move is from the one before */
    int64_t before = c->have_prev ? c->prev_on_hand : 0;
    bool own = c->have_prev && im->replace && c->prev_batch == im->batch &&
               bl__replace_prior(im, wh, sku, &before);
    if (c->have_prev && !own && c->prev_at > at) {
        c->stale++;
        return BL_OK;
    }
    bool same = c->have_prev && c->prev_on_hand == on_hand && c->prev_reserved == reserved &&
                c->prev_at == at;
    if (same) {
        im->n_kept++;
        return own ? stock_move(im, c, wh, sku, on_hand, before, at) : BL_OK;
    }
    im->n_changed += c->have_prev;
    im->n_added += !c->have_prev;
    struct bl_val v[7] = {bl_val_int(im->org), bl_val_int(wh), bl_val_int(sku),
                          bl_val_int(on_hand), bl_val_int(reserved), bl_val_int(at),
                          bl_val_int(im->batch)};
    TRY(bl_store_exec(im->st,
                      "INSERT INTO stock (org_id, warehouse_id, sku_id, on_hand, reserved, "
                      "counted_at, batch_id) VALUES ($1, $2, $3, $4, $5, $6, $7) "
                      "ON CONFLICT (org_id, warehouse_id, sku_id) DO UPDATE SET "
                      "on_hand = excluded.on_hand, reserved = excluded.reserved, "
                      "counted_at = excluded.counted_at, batch_id = excluded.batch_id",
                      v, 7, NULL, im->d));
    return stock_move(im, c, wh, sku, on_hand, before, at);
}

static int run_stock(struct bl__imp *im, const char *path, struct bl_import_result *res)
{
    struct stock_ctx c;
    memset(&c, 0, sizeof(c));
    bl_map_init(&c.seen, &im->arena);
    int rc = bl__imp_open(im, path, path, stock_cols, NCOLS(stock_cols));
    if (!rc)
        rc = bl__imp_next_id(im, "stock_move", &c.next_move);
    if (!rc)
        rc = each_row(im, stock_row, &c, res);
    bl_map_release(&c.seen);
    if (rc)
        return rc;
    res->records = im->n_added + im->n_changed;
    res->skipped = c.stale + im->n_kept;
    res->kept = im->n_kept;
    if (c.stale)
        snprintf(res->note, sizeof(res->note),
                 "%lld count%s older than the stored count %s skipped", (long long)c.stale,
                 c.stale == 1 ? "" : "s", c.stale == 1 ? "was" : "were");
    return BL_OK;
}

/* ---------------------------------------------------------------- calendars */

enum { CA_CAL, CA_FROM, CA_TO, CA_WEEKEND, CA_NOTE };
static const struct bl__colspec cal_cols[] = {
    {"calendar", BL__C_ID, REQ, NULL},    {"date_from", BL__C_DATE, REQ, NULL},
    {"date_to", BL__C_DATE, OPT, NULL},   {"weekend", BL__C_TEXT, OPT, NULL},
    {"note", BL__C_TEXT, OPT, NULL},
};
static const char *const cal_db_cols[] = {"org_id",  "id",   "calendar", "date_from",
                                          "date_to", "weekend", "note",  "batch_id"};

static const char *const weekdays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

/* "sat+sun" (the default), "fri+sat", "sun", "none": closed weekdays as a bit mask
 * (bit 0 Monday .. bit 6 Sunday). */
static int weekend_mask(struct bl__imp *im, int64_t *mask)
{
    struct bl_str v = bl__imp_raw(im, CA_WEEKEND);
    *mask = (1 << 5) | (1 << 6);
    if (!v.len)
        return BL_OK;
    if (bl_str_eq_c(v, "none")) {
        *mask = 0;
        return BL_OK;
    }
    *mask = 0;
    size_t i = 0;
    while (i <= v.len) {
        size_t j = i;
        while (j < v.len && v.ptr[j] != '+')
            j++;
        struct bl_str part = {v.ptr + i, j - i};
        int k = 0;
        while (k < 7 && !bl_str_eq_nocase_c(part, weekdays[k]))
            k++;
        if (k == 7 || (*mask & (1 << k)))
            return bl__imp_err(im, CA_WEEKEND, BL_EPARSE,
                               "expected closed weekdays joined by '+' such as sat+sun or "
                               "fri+sat, or none");
        *mask |= 1 << k;
        i = j + 1;
    }
    if (*mask == 0x7f)
        return bl__imp_err(im, CA_WEEKEND, BL_ERANGE,
                           "every day of the week closed: at least one must be a working day");
    return BL_OK;
}

struct cal_ctx {
    struct ins_ctx ins;
    struct bl_map weekends; /* calendar -> mask * 2^32 + first line */
};

static int cal_row(struct bl__imp *im, void *vctx)
{
    struct cal_ctx *c = vctx;
    struct bl_str name, note;
    int64_t from, to, mask;
    bool has, has_to, has_note;
    TRY(bl__imp_id(im, CA_CAL, &name));
    TRY(bl__imp_date(im, CA_FROM, &from, &has));
    TRY(bl__imp_date(im, CA_TO, &to, &has_to));
    if (!has_to)
        to = from;
    if (to < from)
        return bl__imp_err(im, CA_TO, BL_ERANGE, "date_to is before date_from");
    TRY(weekend_mask(im, &mask));
    TRY(bl__imp_text(im, CA_NOTE, &note, &has_note));
    int64_t seen = mask << 32 | (im->rec.line & 0xffffffff);
    bool added;
    TRY(bl_map_get_or_put(&c->weekends, name, &seen, &added));
    if (!added && (seen >> 32) != mask)
        return bl__imp_err(im, CA_WEEKEND, BL_ECONFLICT,
                           "differs from line %lld of the same calendar: a calendar has one "
                           "weekend",
                           (long long)(seen & 0xffffffff));
    struct bl_val v[] = {bl_val_int(im->org), bl_val_int(c->ins.next++), bl_val_text(name),
                         bl_val_int(from),    bl_val_int(to),            bl_val_int(mask),
                         opt_text(has_note, note), bl_val_int(im->batch)};
    return bl_inserter_row(c->ins.ins, v, im->rec.line, im->d);
}

static int run_calendars(struct bl__imp *im, const char *path, struct bl_import_result *res)
{
    struct cal_ctx c;
    memset(&c, 0, sizeof(c));
    bl_map_init(&c.weekends, &im->arena);
    int rc = bl__imp_open(im, path, path, cal_cols, NCOLS(cal_cols));
    if (!rc)
        rc = bl__imp_next_id(im, "calendar_closure", &c.ins.next);
    if (!rc)
        rc = bl_inserter_open(im->st, "calendar_closure", cal_db_cols, NCOLS(cal_db_cols),
                              &c.ins.ins, im->d);
    if (!rc) {
        rc = each_row(im, cal_row, &c, res);
        if (rc)
            bl_inserter_discard(c.ins.ins);
        else
            rc = bl_inserter_close(c.ins.ins, im->d);
    }
    bl_map_release(&c.weekends);
    res->records = res->rows;
    return rc;
}

/* ---------------------------------------------------------------- customers */

enum { CU_ID, CU_NAME, CU_EMAIL, CU_LOCALE };
static const struct bl__colspec cust_cols[] = {
    {"id", BL__C_ID, REQ, NULL},
    {"name", BL__C_TEXT, OPT, NULL},
    {"email", BL__C_TEXT, OPT, NULL},
    {"locale", BL__C_ID, OPT, NULL},
};
static const char *const cust_db_cols[] = {"org_id", "id",     "ext_id",  "name",
                                           "email",  "locale", "batch_id"};

/* local@domain: one '@', something on both sides, no spaces, quotes, <, >, or
 * control bytes (it goes into SMTP commands and a To: header). */
static bool email_ok(struct bl_str s)
{
    size_t at = 0, n_at = 0;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char ch = (unsigned char)s.ptr[i];
        if (ch <= 0x20 || ch == 0x7f || ch == '<' || ch == '>' || ch == '"' || ch == ',' ||
            ch == ';' || ch == '\\')
            return false;
        if (ch == '@') {
            at = i;
            n_at++;
        }
    }
    return n_at == 1 && at > 0 && at + 1 < s.len && s.len <= 254;
}

static int cust_row(struct bl__imp *im, void *vctx)
{
    struct ins_ctx *c = vctx;
    struct bl_str id, name, email, locale;
    bool has_name, has_email;
    TRY(bl__imp_id(im, CU_ID, &id));
    TRY(bl__imp_name(im, CU_NAME, &name, &has_name));
    TRY(bl__imp_text(im, CU_EMAIL, &email, &has_email));
    TRY(bl__imp_id(im, CU_LOCALE, &locale));
    if (has_email && email.len && !email_ok(email))
        return bl__imp_err(im, CU_EMAIL, BL_EPARSE,
                           "'%.*s' is not an e-mail address (expected one like ana@example.com)",
                           (int)(email.len > 100 ? 100 : email.len), email.ptr);
    struct bl_val v[] = {bl_val_int(im->org),
                         bl_val_int(c->next++),
                         bl_val_text(id),
                         bl_val_text(has_name && name.len ? name : id),
                         opt_text(has_email && email.len, email),
                         opt_text(locale.len > 0, locale),
                         bl_val_int(im->batch)};
    return bl_inserter_row(c->ins, v, im->rec.line, im->d);
}

static int run_customers(struct bl__imp *im, const char *path, struct bl_import_result *res)
{
    return simple_kind(im, path, cust_cols, NCOLS(cust_cols), "customer", cust_db_cols,
                       NCOLS(cust_db_cols), cust_row,
                       "duplicate customer id: a customer with this id is already in the store "
                       "or earlier in this file", NULL, res);
}

/* ---------------------------------------------------------------- areas */

/* What buyers call a region narrower than a subdivision ("CN-ZJ:322" is "Yiwu"), per
 * language: messages and notices name the area instead of its code. */
enum { AR_REGION, AR_NAME, AR_LOCALE };
static const struct bl__colspec area_cols[] = {
    {"region", BL__C_REGION, REQ, NULL},
    {"name", BL__C_TEXT, REQ, NULL},
    {"locale", BL__C_ID, OPT, NULL},
};
static const char *const area_db_cols[] = {"org_id", "id",   "region",
                                           "locale", "name", "batch_id"};

static int area_row(struct bl__imp *im, void *vctx)
{
    struct ins_ctx *c = vctx;
    char region[BL_REGION_MAX];
    struct bl_str name, locale;
    bool has;
    TRY(bl__imp_region(im, AR_REGION, region, &has));
    TRY(bl__imp_name(im, AR_NAME, &name, &has));
    if (!has || !name.len)
        return bl__imp_err(im, AR_NAME, BL_EPARSE, "expected the area's name, e.g. Yiwu");
    TRY(bl__imp_id(im, AR_LOCALE, &locale));
    struct bl_val v[] = {bl_val_int(im->org),     bl_val_int(c->next++),
                         bl_val_text(bl_str_c(region)), bl_val_text(locale),
                         bl_val_text(name),       bl_val_int(im->batch)};
    return bl_inserter_row(c->ins, v, im->rec.line, im->d);
}

static int run_areas(struct bl__imp *im, const char *path, struct bl_import_result *res)
{
    return simple_kind(im, path, area_cols, NCOLS(area_cols), "area", area_db_cols,
                       NCOLS(area_db_cols), area_row,
                       "duplicate area: this region already has a name in this language, in "
                       "the store or earlier in this file", NULL, res);
}

/* ---------------------------------------------------------------- kinds */

const struct bl__kind bl__native_kinds[] = {
    {"shops", run_shops},
    {"skus", run_skus},
    {"warehouses", run_warehouses},
    {"stock", run_stock},
    {"suppliers", run_suppliers},
    {"inbound", run_inbound},
    {"orders", bl__orders_run},
    {"sales", run_sales},
    {"channels", bl__channels_run},
    {"disruptions", run_disruptions},
    {"protections", run_protections},
    {"calendars", run_calendars},
    {"customers", run_customers},
    {"rates", bl__rates_run},
    {"sku_suppliers", bl__sku_suppliers_run},
    {"areas", run_areas},
    {NULL, NULL},
};
