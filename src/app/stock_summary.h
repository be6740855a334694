/* stock_summary.h - the Stock page's summary (issue 17): every SKU's runway, the shortest
 * first, named, with its runway per warehouse, and the day's counts, in one answer.
 *
 * The Stock page read every page of GET /plans and /skus (twenty requests on 10,000 SKUs)
 * to sort, count and name them itself. bl_app_stock_summary does that once from a day the
 * caller has planned and alerted (the API keeps it per data generation with the day,
 * src/api/stock_cache.c): the SKUs in runway order (days of cover, shortest first; then
 * the earlier stock-out; then the catalogue order), their names and their warehouses',
 * and the counts:
 *
 * - stockouts: SKUs whose stock-out alert is raised, a stock-out within the policy's
 *   alert_days (stockout_days; 30 by default). The same definition as GET /today's count
 *   (its stock-out alerts) and GET /alerts'. The daily cycle's summary counts stock-outs
 *   within its own horizon (`horizon_days`, 14 by default): it says which in its
 *   `stockout_days`, and the pages label each count with its days;
 * - reorder: SKUs to order now (order_qty > 0); late: SKUs that run out before an order
 *   placed today could arrive.
 *
 * bl_app_stock_summary_page gives a filtered page of it (BL_APP_SUMMARY_*).
 *
 * Ownership: sum is the caller's, freed with bl_app_stock_summary_release (safe on a zeroed
 * or failed one); it borrows al and al->day (keep them until the release). */
#ifndef BL_APP_STOCK_SUMMARY_H
#define BL_APP_STOCK_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "app/stock.h"

enum bl_app_summary_filter {
    BL_APP_SUMMARY_ALL = 0,
    BL_APP_SUMMARY_STOCKOUT, /* a stock-out alert (within stockout_days) */
    BL_APP_SUMMARY_REORDER,  /* to order now */
    BL_APP_SUMMARY_LATE      /* runs out before an order placed today arrives */
};

/* "all", "stockout", "reorder", "late" into *f: BL_OK, or BL_EINVAL (d says what is expected). */
int bl_app_summary_filter_parse(const char *s, enum bl_app_summary_filter *f,
                                struct bl_diag *d) BL_MUST_CHECK;

struct bl_app_stock_summary {
    const struct bl_app_alerts_res *al; /* borrowed; al->day the planned day */
    size_t *order;                      /* nskus SKU indexes, runway order */
    const char **name;                  /* per SKU index: its name ("" when none) */
    const char **wh_name;               /* per warehouse index: its name ("" when none) */
    uint8_t *flags;                     /* per SKU index: 1 << filter, for each it passes */
    int64_t skus, stockouts, stockout_days, reorder, late;
    struct bl_arena arena;
};

/* Sorts, names and counts al's day (al->day planned and alerted). */
int bl_app_stock_summary(struct bl_store *st, int64_t org, const struct bl_app_alerts_res *al,
                         struct bl_app_stock_summary *sum, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_stock_summary_release(struct bl_app_stock_summary *sum);

/* The SKUs of filter f in runway order: writes the indexes of those at positions
 * [offset, offset + cap) into out, *n of them; returns how many pass f in all. */
size_t bl_app_stock_summary_page(const struct bl_app_stock_summary *sum,
                                 enum bl_app_summary_filter f, size_t offset, size_t *out,
                                 size_t cap, size_t *n);

#endif
