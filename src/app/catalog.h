/* catalog.h - the catalogue and the stock on hand (docs/internals/app.md): the SKUs with
 * their listing state, and the units per SKU and warehouse, a page at a time.
 *
 * Pages are keyset: a request names the key of the last row it saw (0: from the start)
 * and how many rows it wants (< 0: all); the rows come in store-id order, so rows added
 * meanwhile never shift a later page.
 *
 * Ownership: each res is the caller's, freed with its _release (safe on a zeroed or
 * failed res); rows and strings live in res->arena. */
#ifndef BL_APP_CATALOG_H
#define BL_APP_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/store.h"
#include "store/catalog.h"

/* Why a catalogue request was refused (BL_EINVAL or BL_ENOTFOUND). */
enum bl_app_catalog_reason {
    BL_APP_CATALOG_OK = 0,
    BL_APP_CATALOG_BAD_LISTING,       /* not active, inactive, out_of_stock or delisted */
    BL_APP_CATALOG_UNKNOWN_SKU,       /* no SKU with that id */
    BL_APP_CATALOG_UNKNOWN_WAREHOUSE, /* no warehouse with that id */
};

struct bl_app_skus_req {
    const char *listing; /* NULL: any */
    int64_t after;       /* the id of the last SKU of the page before; 0: the first page */
    int64_t limit;       /* < 0: all */
};

struct bl_app_skus_res {
    struct bl_catalog_sku *rows; /* by id */
    size_t n;
    enum bl_app_catalog_reason reason;
    struct bl_arena arena;
};

int bl_app_skus(struct bl_store *st, int64_t org, const struct bl_app_skus_req *req,
                struct bl_app_skus_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_skus_res_release(struct bl_app_skus_res *res);

struct bl_app_stock_req {
    const char *sku, *warehouse; /* filters (ext ids); NULL: any */
    int64_t after_sku, after_wh; /* the key of the last row of the page before; 0, 0: first */
    int64_t limit;               /* < 0: all */
};

struct bl_app_stock_row {
    struct bl_catalog_stock s;
    int64_t available; /* on hand less reserved (negative when more is reserved) */
};

struct bl_app_stock_res {
    struct bl_app_stock_row *rows; /* by SKU, then warehouse (store ids) */
    size_t n;
    enum bl_app_catalog_reason reason;
    struct bl_arena arena;
};

int bl_app_stock_list(struct bl_store *st, int64_t org, const struct bl_app_stock_req *req,
                      struct bl_app_stock_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_stock_res_release(struct bl_app_stock_res *res);

/* ---- one SKU's daily sales, for a chart of the history a forecast stands on ---- */

#define BL_APP_SALES_MAX_DAYS 730

struct bl_app_sales_req {
    const char *sku; /* its ext id (required) */
    int64_t until;   /* day number (time.h): the history before this day */
    size_t days;     /* how many days back, 1..BL_APP_SALES_MAX_DAYS */
};

struct bl_app_sales_res {
    int64_t first_day; /* until - days */
    size_t ndays;
    int64_t *units;  /* ndays: units sold each day over every shop (0: none) */
    bool *out;       /* ndays: a shop recorded the SKU out of stock that day */
    size_t days_out; /* how many such days */
    int64_t total;   /* units over the days */
    enum bl_app_catalog_reason reason;
    struct bl_arena arena;
};

/* Units sold per day of one SKU (BL_ENOTFOUND, reason UNKNOWN_SKU: no such SKU;
 * BL_EINVAL: days out of range). Days without a row are 0, in stock. */
int bl_app_sales(struct bl_store *st, int64_t org, const struct bl_app_sales_req *req,
                 struct bl_app_sales_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_sales_res_release(struct bl_app_sales_res *res);

#endif
