/* olist.c - adapter for the Brazilian E-Commerce Public Dataset by Olist.
 *
 * Reads the dataset directory as published (docs/formats.md, "Adapter: Olist") and
 * writes shops (one per seller), skus (products), and shop orders (one per order
 * and seller) with their lines, as one batch. Orders and customers are indexed in
 * memory and the items are sorted by (order, seller, item) before the shop orders
 * are written, so memory grows with the dataset (about 100k orders in the full
 * data): fine for this adapter, which reads one fixed-size public dataset.
 */
#include <dirent.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "io/import/import_impl.h"

#include "ballast/money.h"

#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))
#define REQ true
#define OPT false

static const char *const files[] = {
    "olist_sellers_dataset.csv",   "product_category_name_translation.csv",
    "olist_products_dataset.csv",  "olist_customers_dataset.csv",
    "olist_orders_dataset.csv",    "olist_order_items_dataset.csv",
};
enum { F_SELLERS, F_TRANSLATION, F_PRODUCTS, F_CUSTOMERS, F_ORDERS, F_ITEMS, F_N };

struct cust {
    struct bl_str unique;
    char region[BL_REGION_MAX];
};

struct ord {
    struct bl_str id;
    int64_t cust; /* index in custs, -1 unknown */
    int64_t placed, shipped, delivered, promised, line;
    int cancelled_by; /* -1, 0 seller, 3 unknown */
};

struct item {
    int64_t ord;    /* index in ords */
    int64_t shop;   /* index in im->shops */
    int64_t sku;
    int64_t item_no;
    int64_t price;
    int64_t ship_by;
    int64_t line;
};

struct olist {
    struct bl__imp *im;
    const char *dir;
    char path[F_N][4096];
    bool present[F_N];
    const struct bl_tz *tz;
    struct bl_map cat;                /* pt -> index in cats */
    struct bl_str *cats;
    size_t ncats, cats_cap;
    struct bl_map cust_ids;           /* customer_id -> index */
    struct cust *custs;
    size_t ncusts, custs_cap;
    struct bl_map ord_ids;            /* order_id -> index */
    struct ord *ords;
    size_t nords, ords_cap;
    struct item *items;
    size_t nitems, items_cap;
    int64_t skipped_no_items;
    int64_t odd_times; /* orders whose carrier date contradicts purchase or delivery */
};

/* The path names a directory: the dataset is several files, so a file (one of them, most
 * likely) or nothing at all is refused with what was expected. */
static int check_dir(struct olist *ol)
{
    struct stat sb;
    struct bl_diag *d = ol->im->d;
    if (stat(ol->dir, &sb) == 0 && S_ISDIR(sb.st_mode))
        return BL_OK;
    bool exists = stat(ol->dir, &sb) == 0;
    bl_diag_clear(d);
    bl_diag_at(d, ol->dir, 0, NULL);
    if (!exists)
        return bl_diag_set(d, BL_ENOTFOUND,
                           "no such directory: expected the directory of the Olist dataset's "
                           "CSV files (olist_orders_dataset.csv, olist_order_items_dataset.csv "
                           "and the others, as published)");
    const char *slash = strrchr(ol->dir, '/');
    int dirlen = slash ? (int)(slash - ol->dir) : 1;
    return bl_diag_set(d, BL_EINVAL,
                       "a file, not a directory: 'import olist' reads the directory of the "
                       "Olist dataset's CSV files (olist_orders_dataset.csv, "
                       "olist_order_items_dataset.csv and the others), as in 'ballast import "
                       "olist %.*s'",
                       slash == ol->dir ? 1 : dirlen, slash ? ol->dir : ".");
}

/* Finds DIR/name or DIR/name.gz; both is ambiguous (which one is the data?) and refused. */
static int locate(struct olist *ol, int f, bool required)
{
    struct stat sb;
    char gz[sizeof(ol->path[f])];
    snprintf(ol->path[f], sizeof(ol->path[f]), "%s/%s", ol->dir, files[f]);
    snprintf(gz, sizeof(gz), "%s/%s.gz", ol->dir, files[f]);
    bool plain = stat(ol->path[f], &sb) == 0, zipped = stat(gz, &sb) == 0;
    if (plain && zipped) {
        bl_diag_clear(ol->im->d);
        bl_diag_at(ol->im->d, ol->dir, 0, NULL);
        return bl_diag_set(ol->im->d, BL_ECONFLICT,
                           "the Olist directory has both %s and %s.gz: expected one of them "
                           "(remove or move the other, so that it is clear which is the data)",
                           files[f], files[f]);
    }
    if (zipped)
        memcpy(ol->path[f], gz, sizeof(gz));
    if (plain || zipped) {
        ol->present[f] = true;
        return BL_OK;
    }
    if (!required)
        return BL_OK;
    bl_diag_clear(ol->im->d);
    bl_diag_at(ol->im->d, ol->dir, 0, NULL);
    return bl_diag_set(ol->im->d, BL_ENOTFOUND,
                       "the Olist directory has no %s: expected the dataset's files as "
                       "published",
                       files[f]);
}

/* SHA-256 over "name sha\n" of every file read: the batch's content hash. */
static int combined_hash(struct olist *ol)
{
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    for (int f = 0; f < F_N; f++) {
        if (!ol->present[f])
            continue;
        struct bl_csv *csv;
        char hex[65];
        TRY(bl_csv_open(&csv, ol->path[f], ol->im->d));
        int rc = bl_csv_drain(csv, ol->im->d);
        if (!rc)
            rc = bl_csv_sha256(csv, hex);
        bl_csv_close(csv);
        if (rc)
            return rc;
        crypto_hash_sha256_update(&st, (const unsigned char *)files[f], strlen(files[f]));
        crypto_hash_sha256_update(&st, (const unsigned char *)" ", 1);
        crypto_hash_sha256_update(&st, (const unsigned char *)hex, 64);
        crypto_hash_sha256_update(&st, (const unsigned char *)"\n", 1);
    }
    unsigned char out[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&st, out);
    sodium_bin2hex(ol->im->sha, sizeof(ol->im->sha), out, sizeof(out));
    return BL_OK;
}

static int region_of(struct bl__imp *im, int state_col, int zip_col, char *out)
{
    struct bl_str st = bl__imp_raw(im, state_col), zip = bl__imp_raw(im, zip_col);
    char code[64];
    snprintf(code, sizeof(code), "BR-%.*s%s%.*s", (int)(st.len < 8 ? st.len : 8), st.ptr,
             zip.len ? ":" : "", (int)(zip.len < 12 ? zip.len : 12), zip.ptr);
    struct bl_diag tmp;
    bl_diag_clear(&tmp);
    int rc = bl_region_parse(bl_str_c(code), out, &tmp);
    if (rc)
        return bl__imp_err(im, state_col, rc, "%s", tmp.msg);
    return BL_OK;
}

/* ------------------------------------------------------------ sellers */

/* A seller's shop name, as a person reads it: the dataset has no seller names, only the
 * city in lower case and the state ("sao jose do rio preto", "SP"), so the name is the
 * city in title case with Portuguese particles kept lower, and the state: "Sao Jose do
 * Rio Preto (SP)". Bytes outside ASCII are kept as they are. "" when there is no city. */
static void seller_name(struct bl_str city, struct bl_str state, char *out, size_t cap)
{
    static const char *const small[] = {"de", "da", "do", "das", "dos", "e", "d"};
    size_t n = 0;
    for (size_t i = 0; i < city.len && n + 1 < cap;) {
        size_t w = i;
        while (w < city.len && city.ptr[w] != ' ')
            w++;
        bool keep = i > 0 && w > i;
        if (keep) {
            keep = false;
            for (size_t k = 0; k < sizeof(small) / sizeof(small[0]); k++)
                keep |= strlen(small[k]) == w - i && memcmp(small[k], city.ptr + i, w - i) == 0;
        }
        for (size_t j = i; j < w && n + 1 < cap; j++) {
            char c = city.ptr[j];
            if (j == i && !keep && c >= 'a' && c <= 'z')
                c = (char)(c - 'a' + 'A');
            out[n++] = c;
        }
        for (i = w; i < city.len && city.ptr[i] == ' ' && n + 1 < cap; i++)
            out[n++] = ' ';
    }
    out[n] = '\0';
    if (n && state.len)
        snprintf(out + n, cap - n, " (%.*s)", (int)(state.len < 8 ? state.len : 8), state.ptr);
}

enum { SE_ID, SE_ZIP, SE_CITY, SE_STATE };
static const struct bl__colspec seller_cols[] = {
    {"seller_id", BL__C_ID, REQ, NULL},
    {"seller_zip_code_prefix", BL__C_TEXT, OPT, NULL},
    {"seller_city", BL__C_TEXT, OPT, NULL},
    {"seller_state", BL__C_TEXT, REQ, NULL},
};
static const char *const shop_db_cols[] = {"org_id",    "id",      "ext_id",     "name",
                                           "platform",  "profile", "currency",   "tz",
                                           "ship_from", "deposit", "fulfilment", "vacation",
                                           "batch_id"};

static int read_sellers(struct olist *ol, struct bl_import_result *res)
{
    struct bl__imp *im = ol->im;
    struct bl_inserter *ins;
    int64_t next;
    int exp;
    TRY(bl__imp_load_shops(im));
    TRY(bl__imp_currency_exp(im, BL_STR("BRL"), &exp));
    TRY(bl__imp_open(im, ol->path[F_SELLERS], files[F_SELLERS], seller_cols,
                     NCOLS(seller_cols)));
    TRY(bl__imp_next_id(im, "shop", &next));
    const int64_t first = next;
    TRY(bl_inserter_open(im->st, "shop", shop_db_cols, NCOLS(shop_db_cols), &ins, im->d));
    int rc;
    while ((rc = bl__imp_next(im)) == 1) {
        struct bl_str id;
        struct bl__shop s;
        memset(&s, 0, sizeof(s));
        if ((rc = bl__imp_id(im, SE_ID, &id)) || (rc = region_of(im, SE_STATE, SE_ZIP, s.ship_from)))
            break;
        int64_t known;
        if (bl_map_get(&im->shop_ids, id, &known) && im->shops[known].id < first)
            continue; /* a later export of the dataset: the seller is in the store */
        if (bl_map_get(&im->shop_ids, id, &known)) {
            rc = bl__imp_err(im, SE_ID, BL_EEXISTS,
                             "duplicate seller: a shop with this id is already in the store "
                             "or earlier in this file");
            break;
        }
        s.id = next++;
        s.exponent = exp;
        memcpy(s.currency, "BRL", 4);
        s.tz = ol->tz;
        struct bl_str city;
        bool has_city;
        if ((rc = bl__imp_name(im, SE_CITY, &city, &has_city)))
            break;
        char name[256];
        seller_name(city, bl__imp_raw(im, SE_STATE), name, sizeof(name));
        struct bl_val v[] = {bl_val_int(im->org),
                             bl_val_int(s.id),
                             bl_val_text(id),
                             bl_val_text(name[0] ? bl_str_c(name) : id),
                             bl_val_text(BL_STR("olist")),
                             bl_val_text(BL_STR("olist")),
                             bl_val_text(BL_STR("BRL")),
                             bl_val_text(bl_str_c(bl_tz_name(ol->tz))),
                             bl_val_text(bl_str_c(s.ship_from)),
                             bl_val_int(0),
                             bl_val_text(BL_STR("merchant")),
                             bl_val_int(0),
                             bl_val_int(im->batch)};
        if ((rc = bl_inserter_row(ins, v, im->rec.line, im->d)) ||
            (rc = bl__imp_add_shop(im, id, &s)))
            break;
        im->added++;
    }
    res->rows += im->rows;
    bl__imp_close_file(im);
    if (rc) {
        bl_inserter_discard(ins);
        return rc;
    }
    return bl__imp_dup(im, bl_inserter_close(ins, im->d), "seller_id", "duplicate seller");
}

/* ------------------------------------------------------------ categories, products */

enum { TR_PT, TR_EN };
static const struct bl__colspec tr_cols[] = {
    {"product_category_name", BL__C_TEXT, REQ, NULL},
    {"product_category_name_english", BL__C_TEXT, REQ, NULL},
};

static int read_translation(struct olist *ol, struct bl_import_result *res)
{
    struct bl__imp *im = ol->im;
    if (!ol->present[F_TRANSLATION])
        return BL_OK;
    TRY(bl__imp_open(im, ol->path[F_TRANSLATION], files[F_TRANSLATION], tr_cols,
                     NCOLS(tr_cols)));
    int rc;
    while ((rc = bl__imp_next(im)) == 1) {
        struct bl_str pt = bl__imp_raw(im, TR_PT), en = bl__imp_raw(im, TR_EN);
        char *copy = bl_arena_strndup(&im->arena, en.ptr, en.len);
        if (!copy || bl_grow((void **)&ol->cats, &ol->cats_cap, ol->ncats + 1,
                             sizeof(*ol->cats))) {
            rc = BL_ENOMEM;
            break;
        }
        ol->cats[ol->ncats] = (struct bl_str){copy, en.len};
        if ((rc = bl_map_put(&ol->cat, pt, (int64_t)ol->ncats)))
            break;
        ol->ncats++;
    }
    res->rows += im->rows;
    bl__imp_close_file(im);
    return rc;
}

enum { PR_ID, PR_CAT, PR_NAMELEN, PR_DESCLEN, PR_PHOTOS, PR_WEIGHT, PR_LEN, PR_HEI, PR_WID };
static const struct bl__colspec prod_cols[] = {
    {"product_id", BL__C_ID, REQ, NULL},
    {"product_category_name", BL__C_TEXT, OPT, NULL},
    {"product_name_lenght", BL__C_UINT, OPT, NULL},
    {"product_description_lenght", BL__C_UINT, OPT, NULL},
    {"product_photos_qty", BL__C_UINT, OPT, NULL},
    {"product_weight_g", BL__C_UINT, OPT, NULL},
    {"product_length_cm", BL__C_UINT, OPT, NULL},
    {"product_height_cm", BL__C_UINT, OPT, NULL},
    {"product_width_cm", BL__C_UINT, OPT, NULL},
};
static const char *const sku_db_cols[] = {
    "org_id",    "id",       "ext_id",    "name",         "category",     "weight_g",
    "length_mm", "width_mm", "height_mm", "handling_min", "handling_max", "listing",
    "promoted",  "price_review", "batch_id"};

/* Olist writes some whole numbers as "225.0" (pandas floats); accept a ".0". */
static int olist_uint(struct bl__imp *im, int col, int64_t *v, bool *has)
{
    struct bl_str r = bl__imp_raw(im, col);
    if (r.len > 2 && r.ptr[r.len - 2] == '.' && r.ptr[r.len - 1] == '0') {
        r.len -= 2;
        *has = true;
        int64_t lo, hi;
        bl__imp_range(im, col, &lo, &hi);
        if (bl_str_to_i64(r, v) == BL_OK && *v >= 0 && *v <= hi)
            return BL_OK;
        if (*v > hi)
            return bl__imp_err(im, col, BL_ERANGE,
                               "'%.*s.0' is out of range: expected a whole number from 0 to "
                               "%lld",
                               (int)(r.len > 40 ? 40 : r.len), r.ptr, (long long)hi);
    }
    return bl__imp_uint(im, col, v, has);
}

static int read_products(struct olist *ol, struct bl_import_result *res)
{
    struct bl__imp *im = ol->im;
    struct bl_inserter *ins;
    int64_t next;
    TRY(bl__imp_load_map(im, "sku", &im->skus, &im->have_skus));
    static const struct bl__range ranges[] = {{PR_WEIGHT, 0, BL__GRAMS_MAX},
                                              {PR_LEN, 0, BL__MM_MAX / 10},
                                              {PR_HEI, 0, BL__MM_MAX / 10},
                                              {PR_WID, 0, BL__MM_MAX / 10}};
    BL__RANGES(im, ranges);
    TRY(bl__imp_open(im, ol->path[F_PRODUCTS], files[F_PRODUCTS], prod_cols, NCOLS(prod_cols)));
    TRY(bl__imp_next_id(im, "sku", &next));
    const int64_t first = next;
    TRY(bl_inserter_open(im->st, "sku", sku_db_cols, NCOLS(sku_db_cols), &ins, im->d));
    int rc;
    while ((rc = bl__imp_next(im)) == 1) {
        struct bl_str id;
        int64_t w = 0, l = 0, h = 0, wi = 0, dummy;
        bool hw, hl, hh, hwi;
        if ((rc = bl__imp_id(im, PR_ID, &id)) || (rc = olist_uint(im, PR_WEIGHT, &w, &hw)) ||
            (rc = olist_uint(im, PR_LEN, &l, &hl)) || (rc = olist_uint(im, PR_HEI, &h, &hh)) ||
            (rc = olist_uint(im, PR_WID, &wi, &hwi)))
            break;
        struct bl_str cat;
        bool has_cat;
        if ((rc = bl__imp_name(im, PR_CAT, &cat, &has_cat)))
            break;
        int64_t ci;
        if (cat.len && bl_map_get(&ol->cat, cat, &ci))
            cat = ol->cats[ci];
        if (bl_map_get(&im->skus, id, &dummy) && dummy < first)
            continue; /* a later export of the dataset: the product is in the store */
        if (bl_map_get(&im->skus, id, &dummy)) {
            rc = bl__imp_err(im, PR_ID, BL_EEXISTS,
                             "duplicate product: a SKU with this id is already in the store or "
                             "earlier in this file");
            break;
        }
        int64_t sid = next++;
        struct bl_val v[] = {bl_val_int(im->org),
                             bl_val_int(sid),
                             bl_val_text(id),
                             bl_val_text(id),
                             cat.len ? bl_val_text(cat) : bl_val_null(),
                             hw ? bl_val_int(w) : bl_val_null(),
                             hl ? bl_val_int(l * 10) : bl_val_null(),
                             hwi ? bl_val_int(wi * 10) : bl_val_null(),
                             hh ? bl_val_int(h * 10) : bl_val_null(),
                             bl_val_int(1),
                             bl_val_int(3),
                             bl_val_text(BL_STR("active")),
                             bl_val_int(0),
                             bl_val_text(BL_STR("none")),
                             bl_val_int(im->batch)};
        if ((rc = bl_inserter_row(ins, v, im->rec.line, im->d)) ||
            (rc = bl_map_put(&im->skus, id, sid)))
            break;
        im->added++;
    }
    res->rows += im->rows;
    bl__imp_close_file(im);
    if (rc) {
        bl_inserter_discard(ins);
        return rc;
    }
    return bl__imp_dup(im, bl_inserter_close(ins, im->d), "product_id", "duplicate product");
}

/* ------------------------------------------------------------ customers, orders */

enum { CU_ID, CU_UNIQUE, CU_ZIP, CU_CITY, CU_STATE };
static const struct bl__colspec cust_cols[] = {
    {"customer_id", BL__C_ID, REQ, NULL},
    {"customer_unique_id", BL__C_ID, REQ, NULL},
    {"customer_zip_code_prefix", BL__C_TEXT, OPT, NULL},
    {"customer_city", BL__C_TEXT, OPT, NULL},
    {"customer_state", BL__C_TEXT, REQ, NULL},
};

static int read_customers(struct olist *ol, struct bl_import_result *res)
{
    struct bl__imp *im = ol->im;
    TRY(bl__imp_open(im, ol->path[F_CUSTOMERS], files[F_CUSTOMERS], cust_cols,
                     NCOLS(cust_cols)));
    int rc;
    while ((rc = bl__imp_next(im)) == 1) {
        struct bl_str id, uniq;
        if ((rc = bl__imp_id(im, CU_ID, &id)) || (rc = bl__imp_id(im, CU_UNIQUE, &uniq)))
            break;
        if ((rc = bl_grow((void **)&ol->custs, &ol->custs_cap, ol->ncusts + 1,
                          sizeof(*ol->custs))))
            break;
        struct cust *c = &ol->custs[ol->ncusts];
        if ((rc = region_of(im, CU_STATE, CU_ZIP, c->region)))
            break;
        char *u = bl_arena_strndup(&im->arena, uniq.ptr, uniq.len);
        if (!u) {
            rc = BL_ENOMEM;
            break;
        }
        c->unique = (struct bl_str){u, uniq.len};
        int64_t idx = (int64_t)ol->ncusts;
        bool added;
        if ((rc = bl_map_get_or_put(&ol->cust_ids, id, &idx, &added)))
            break;
        if (!added) {
            rc = bl__imp_err(im, CU_ID, BL_ECONFLICT, "customer_id appears twice in this file");
            break;
        }
        ol->ncusts++;
    }
    res->rows += im->rows;
    bl__imp_close_file(im);
    return rc;
}

enum { OD_ID, OD_CUST, OD_STATUS, OD_PURCHASE, OD_APPROVED, OD_CARRIER, OD_DELIVERED,
       OD_ESTIMATED };
static const struct bl__colspec ord_cols[] = {
    {"order_id", BL__C_ID, REQ, NULL},
    {"customer_id", BL__C_ID, REQ, NULL},
    {"order_status", BL__C_TEXT, REQ, NULL},
    {"order_purchase_timestamp", BL__C_INSTANT, REQ, NULL},
    {"order_approved_at", BL__C_INSTANT, OPT, NULL},
    {"order_delivered_carrier_date", BL__C_INSTANT, OPT, NULL},
    {"order_delivered_customer_date", BL__C_INSTANT, OPT, NULL},
    {"order_estimated_delivery_date", BL__C_INSTANT, REQ, NULL},
};

static int opt_instant(struct bl__imp *im, int col, const struct bl_tz *tz, int64_t *t)
{
    bool has;
    TRY(bl__imp_instant(im, col, tz, t, &has));
    if (!has)
        *t = BL__NONE;
    return BL_OK;
}

/* The order_status values of the dataset (all eight occur in the full data). */
static const char *const statuses[] = {"created",  "approved",  "invoiced",    "processing",
                                       "shipped",  "delivered", "unavailable", "canceled",
                                       NULL};

/* An order's status must be one the dataset uses, and its delivery may not come before
 * its purchase. The published data has orders whose carrier date is before the purchase
 * (by an hour or two) or after the delivery (by a day): kept as published, and counted
 * (ol->odd_times) for the note. */
static int check_order(struct olist *ol, const struct ord *o)
{
    struct bl__imp *im = ol->im;
    struct bl_str st = bl__imp_raw(im, OD_STATUS);
    int k = 0;
    while (statuses[k] && !bl_str_eq_c(st, statuses[k]))
        k++;
    if (!statuses[k]) {
        char got[BL_SHOW_BUF];
        return bl__imp_err(im, OD_STATUS, BL_EPARSE,
                           "unknown order status '%s': expected one of created, approved, "
                           "invoiced, processing, shipped, delivered, unavailable, canceled",
                           bl_str_show(st, BL_SHOW, got));
    }
    if (o->delivered != BL__NONE && o->delivered < o->placed) {
        char a[BL_ISO_MAX], b[BL_ISO_MAX];
        return bl__imp_err(im, OD_DELIVERED, BL_ECONFLICT,
                           "delivered at %s, before the order was placed at %s: no delivery "
                           "before the purchase",
                           bl_time_format(o->delivered, a), bl_time_format(o->placed, b));
    }
    if (o->shipped != BL__NONE &&
        (o->shipped < o->placed || (o->delivered != BL__NONE && o->delivered < o->shipped)))
        ol->odd_times++;
    return BL_OK;
}

static int read_orders(struct olist *ol, struct bl_import_result *res)
{
    struct bl__imp *im = ol->im;
    TRY(bl__imp_open(im, ol->path[F_ORDERS], files[F_ORDERS], ord_cols, NCOLS(ord_cols)));
    int rc;
    while ((rc = bl__imp_next(im)) == 1) {
        struct bl_str id, cust;
        bool has;
        if ((rc = bl_grow((void **)&ol->ords, &ol->ords_cap, ol->nords + 1, sizeof(*ol->ords))))
            break;
        struct ord *o = &ol->ords[ol->nords];
        int64_t est, approved;
        if ((rc = bl__imp_id(im, OD_ID, &id)) || (rc = bl__imp_id(im, OD_CUST, &cust)) ||
            (rc = bl__imp_instant(im, OD_PURCHASE, ol->tz, &o->placed, &has)) ||
            (rc = opt_instant(im, OD_APPROVED, ol->tz, &approved)) ||
            (rc = opt_instant(im, OD_CARRIER, ol->tz, &o->shipped)) ||
            (rc = opt_instant(im, OD_DELIVERED, ol->tz, &o->delivered)) ||
            (rc = bl__imp_instant(im, OD_ESTIMATED, ol->tz, &est, &has)))
            break;
        /* The estimate is a local calendar day: its deadline is the midnight that ends it. */
        int64_t day = bl_tz_local_day(ol->tz, est);
        o->promised = bl_tz_local_to_utc(ol->tz, (day + 1) * BL_DAY_SECS);
        if ((rc = check_order(ol, o)))
            break;
        struct bl_str st = bl__imp_raw(im, OD_STATUS);
        o->cancelled_by = bl_str_eq_c(st, "unavailable") ? 0 : bl_str_eq_c(st, "canceled") ? 3 : -1;
        int64_t ci;
        o->cust = bl_map_get(&ol->cust_ids, cust, &ci) ? ci : -1;
        o->line = im->rec.line;
        char *copy = bl_arena_strndup(&im->arena, id.ptr, id.len);
        if (!copy) {
            rc = BL_ENOMEM;
            break;
        }
        o->id = (struct bl_str){copy, id.len};
        int64_t idx = (int64_t)ol->nords;
        bool added;
        if ((rc = bl_map_get_or_put(&ol->ord_ids, id, &idx, &added)))
            break;
        if (!added) {
            rc = bl__imp_err(im, OD_ID, BL_ECONFLICT, "order_id appears twice in this file");
            break;
        }
        ol->nords++;
    }
    res->rows += im->rows;
    bl__imp_close_file(im);
    return rc;
}

/* ------------------------------------------------------------ items -> shop orders */

enum { IT_ORDER, IT_ITEM, IT_PRODUCT, IT_SELLER, IT_LIMIT, IT_PRICE, IT_FREIGHT };
static const struct bl__colspec item_cols[] = {
    {"order_id", BL__C_ID, REQ, NULL},
    {"order_item_id", BL__C_POS, REQ, NULL},
    {"product_id", BL__C_ID, REQ, NULL},
    {"seller_id", BL__C_ID, REQ, NULL},
    {"shipping_limit_date", BL__C_INSTANT, REQ, NULL},
    {"price", BL__C_MONEY, REQ, NULL},
    {"freight_value", BL__C_MONEY, OPT, NULL},
};

static int read_items(struct olist *ol, struct bl_import_result *res)
{
    struct bl__imp *im = ol->im;
    static const struct bl__range ranges[] = {{IT_ITEM, 1, BL__LINE_QTY_MAX}};
    BL__RANGES(im, ranges);
    TRY(bl__imp_open(im, ol->path[F_ITEMS], files[F_ITEMS], item_cols, NCOLS(item_cols)));
    int rc;
    while ((rc = bl__imp_next(im)) == 1) {
        if ((rc = bl_grow((void **)&ol->items, &ol->items_cap, ol->nitems + 1,
                          sizeof(*ol->items))))
            break;
        struct item *it = &ol->items[ol->nitems];
        bool has;
        int64_t freight;
        const struct bl__shop *shop;
        if ((rc = bl__imp_uint(im, IT_ITEM, &it->item_no, &has)) ||
            (rc = bl__imp_ref(im, IT_PRODUCT, "sku", &im->skus, &im->have_skus, &it->sku,
                              &has)) ||
            (rc = bl__imp_shop_ref(im, IT_SELLER, &shop)) ||
            (rc = bl__imp_instant(im, IT_LIMIT, ol->tz, &it->ship_by, &has)) ||
            (rc = bl__imp_money(im, IT_PRICE, 2, &it->price, &has)) ||
            (rc = bl__imp_money(im, IT_FREIGHT, 2, &freight, &has)))
            break;
        if (it->price < 0) {
            rc = bl__imp_err(im, IT_PRICE, BL_ERANGE, "negative price: expected 0 or more");
            break;
        }
        it->shop = shop - im->shops;
        if (!bl_map_get(&ol->ord_ids, bl__imp_raw(im, IT_ORDER), &it->ord)) {
            rc = bl__imp_err(im, IT_ORDER, BL_ENOTFOUND,
                             "unknown order_id: expected an order of %s", files[F_ORDERS]);
            break;
        }
        it->line = im->rec.line;
        ol->nitems++;
    }
    res->rows += im->rows;
    bl__imp_close_file(im);
    return rc;
}

static int item_cmp(const void *a, const void *b)
{
    const struct item *x = a, *y = b;
    if (x->ord != y->ord)
        return x->ord < y->ord ? -1 : 1;
    if (x->shop != y->shop)
        return x->shop < y->shop ? -1 : 1;
    return (x->item_no > y->item_no) - (x->item_no < y->item_no);
}

/* Olist's own column for each order field it carries (messages and history). */
static const struct bl__sink_names olist_names = {
    .field = {[BL__OF_SHIP_BY] = "shipping_limit_date",
              [BL__OF_PROMISED] = "order_estimated_delivery_date",
              [BL__OF_PICKED_UP] = "order_delivered_carrier_date",
              [BL__OF_SHIPPED] = "order_delivered_carrier_date",
              [BL__OF_DELIVERED] = "order_delivered_customer_date",
              [BL__OF_CANCELLED] = "order_status",
              [BL__OF_TO] = "customer_zip_code_prefix",
              [BL__OF_CUSTOMER] = "customer_unique_id"},
    .placed = "order_purchase_timestamp",
    .lines = "order_item_id",
    .amount = "price",
    .own_times = true, /* read_orders: in the orders file, with its lines */
};

/* After the sort an item listed twice (the same order, seller and order_item_id) is next
 * to its twin: refused with both lines, before the store would call it a duplicate order. */
static int check_twice(struct olist *ol)
{
    for (size_t i = 1; i < ol->nitems; i++) {
        const struct item *a = &ol->items[i - 1], *b = &ol->items[i];
        if (a->ord != b->ord || a->shop != b->shop || a->item_no != b->item_no)
            continue;
        int64_t first = a->line < b->line ? a->line : b->line;
        int64_t second = a->line < b->line ? b->line : a->line;
        struct bl_str id = ol->ords[a->ord].id;
        bl_diag_clear(ol->im->d);
        bl_diag_at(ol->im->d, files[F_ITEMS], second, "order_item_id");
        return bl_diag_set(ol->im->d, BL_ECONFLICT,
                           "item %lld of order %.*s is on line %lld and again on line %lld: "
                           "expected each order_item_id of an order once (is the line in the "
                           "file twice?)",
                           (long long)a->item_no, (int)(id.len < 64 ? id.len : 64), id.ptr,
                           (long long)first, (long long)second);
    }
    return BL_OK;
}

static int write_orders(struct olist *ol, struct bl_import_result *res)
{
    struct bl__imp *im = ol->im;
    struct bl__sink *sink = NULL;
    struct bl__oline *lines = NULL;
    size_t lines_cap = 0;
    qsort(ol->items, ol->nitems, sizeof(*ol->items), item_cmp);
    im->file = files[F_ITEMS];
    int rc = check_twice(ol);
    if (rc)
        return rc;
    rc = bl__sink_open(im, &olist_names, &sink);
    bool *has_items = rc ? NULL : bl_calloc(ol->nords ? ol->nords : 1, sizeof(bool));
    if (!rc && !has_items)
        rc = BL_ENOMEM;
    for (size_t i = 0; !rc && i < ol->nitems;) {
        size_t j = i, n = 0;
        struct bl__order o;
        memset(&o, 0, sizeof(o));
        const struct ord *src = &ol->ords[ol->items[i].ord];
        const struct bl__shop *shop = &im->shops[ol->items[i].shop];
        has_items[ol->items[i].ord] = true;
        o.ext = src->id;
        o.shop_id = shop->id;
        o.placed = src->placed;
        o.ship_by = INT64_MAX;
        o.shipped = o.picked_up = src->shipped;
        o.delivered = src->delivered;
        o.promised = src->promised;
        o.cancelled = BL__NONE;
        o.cancelled_by = src->cancelled_by;
        memcpy(o.ship_from, shop->ship_from, sizeof(o.ship_from));
        if (src->cust >= 0) {
            memcpy(o.ship_to, ol->custs[src->cust].region, sizeof(o.ship_to));
            o.customer = ol->custs[src->cust].unique;
        }
        o.locale = BL_STR("pt-BR");
        memcpy(o.currency, "BRL", 4);
        o.src_line = src->line;
        o.known = (1u << BL__OF_SHIP_BY) | (1u << BL__OF_PROMISED) | (1u << BL__OF_PICKED_UP) |
                  (1u << BL__OF_SHIPPED) | (1u << BL__OF_DELIVERED) | (1u << BL__OF_TO) |
                  (1u << BL__OF_CUSTOMER) | (1u << BL__OF_CANCELLED);
        for (; j < ol->nitems && ol->items[j].ord == ol->items[i].ord &&
               ol->items[j].shop == ol->items[i].shop;
             j++, n++) {
            const struct item *it = &ol->items[j];
            if (it->ship_by < o.ship_by)
                o.ship_by = it->ship_by;
            if (bl_money_add(o.amount, it->price, &o.amount)) {
                rc = bl_diag_set(im->d, BL_EOVERFLOW, "order amount overflows");
                break;
            }
            if ((rc = bl_grow((void **)&lines, &lines_cap, n + 1, sizeof(*lines))))
                break;
            lines[n] = (struct bl__oline){it->item_no, it->sku, 1, it->price};
        }
        if (!rc)
            rc = bl__sink_put(sink, &o, lines, n);
        i = j;
    }
    for (size_t k = 0; !rc && k < ol->nords; k++)
        if (!has_items[k])
            ol->skipped_no_items++;
    bl_free(has_items);
    bl_free(lines);
    if (sink)
        rc = bl__sink_close(sink, rc, res);
    return bl__imp_dup(im, rc, "order_id",
                       "duplicate order: this seller already has this order in the store");
}

int bl__olist_run(struct bl__imp *im, const char *dir, struct bl_import_result *res)
{
    struct olist ol;
    memset(&ol, 0, sizeof(ol));
    ol.im = im;
    ol.dir = dir;
    bl_map_init(&ol.cat, &im->arena);
    bl_map_init(&ol.cust_ids, &im->arena);
    bl_map_init(&ol.ord_ids, &im->arena);
    int rc = check_dir(&ol);
    for (int f = 0; !rc && f < F_N; f++)
        rc = locate(&ol, f, f != F_TRANSLATION);
    if (!rc)
        rc = bl__imp_load_tz(im, bl_str_c(im->tz ? bl_tz_name(im->tz) : "America/Sao_Paulo"),
                             &ol.tz);
    if (!rc)
        rc = combined_hash(&ol);
    if (!rc)
        rc = read_sellers(&ol, res);
    if (!rc)
        rc = read_translation(&ol, res);
    if (!rc)
        rc = read_products(&ol, res);
    if (!rc)
        rc = read_customers(&ol, res);
    if (!rc)
        rc = read_orders(&ol, res);
    if (!rc)
        rc = read_items(&ol, res);
    if (!rc)
        rc = write_orders(&ol, res);
    if (!rc && ol.skipped_no_items) {
        res->skipped = ol.skipped_no_items;
        snprintf(res->note, sizeof(res->note),
                 "%lld order%s without items %s skipped (no seller to assign %s to)",
                 (long long)ol.skipped_no_items, ol.skipped_no_items == 1 ? "" : "s",
                 ol.skipped_no_items == 1 ? "was" : "were",
                 ol.skipped_no_items == 1 ? "it" : "them");
    }
    if (!rc && ol.odd_times) {
        size_t at = strlen(res->note);
        snprintf(res->note + at, sizeof(res->note) - at,
                 "%s%lld order%s kept as published with a carrier date before the purchase or "
                 "after the delivery",
                 at ? "; " : "", (long long)ol.odd_times, ol.odd_times == 1 ? "" : "s");
    }
    bl_map_release(&ol.cat);
    bl_map_release(&ol.cust_ids);
    bl_map_release(&ol.ord_ids);
    bl_free(ol.cats);
    bl_free(ol.custs);
    bl_free(ol.ords);
    bl_free(ol.items);
    return rc;
}
