/* history.h - reading a daily sales history (and an event calendar) from CSV into
 * plain arrays for the forecaster (ballast/forecast.h).
 *
 * History file: a header naming the columns sku, date (YYYY-MM-DD), units (a number
 * >= 0) and optionally in_stock (1/0, true/false, yes/no; empty = in stock), in any
 * order; other columns are ignored. Every SKU gets one value per day from the
 * earliest to the latest date in the whole file: days absent from the file are
 * zero sales (in stock). Several rows for one SKU and day add up; the day is out of
 * stock if any of them says so.
 *
 * Event file: a header with date and event columns, and optionally region: "global" (or
 * empty), or the ISO 3166-1 country codes of the markets the event concerns, separated
 * by spaces ("CN", "US CA GB"; EU for the euro area), upper-cased; one row per event day.
 *
 * The first bad row stops reading with an error naming the file, line, column and
 * what was expected (BL_EPARSE, BL_ERANGE, BL_EEMPTY, BL_ETOOBIG, BL_ENOMEM,
 * BL_EIO). Everything read lives in the struct's arena: free with the _release
 * functions (safe on a zeroed or failed struct).
 */
#ifndef BALLAST_HISTORY_H
#define BALLAST_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/err.h"
#include "ballast/forecast.h"

#define BL_HISTORY_MAX_CELLS (16u << 20) /* SKUs times days */
#define BL_EVENTS_MAX 100000

struct bl_history {
    size_t nskus;
    const char **sku;  /* nskus NUL-terminated ids, in order of first appearance */
    double **units;    /* nskus arrays of ndays values */
    bool **in_stock;   /* nskus arrays of ndays flags, or NULL without an in_stock column */
    int64_t first_day; /* day number of units[k][0] */
    size_t ndays;
    /* nskus markets (bl_fc_series.market: "GB", "GB CN"), an entry NULL or the array NULL
     * when unknown; a file has none, the store's are its shops' (stock.h) */
    const char **market;
    struct bl_arena arena;
};

int bl_history_read(struct bl_history *h, const char *path, struct bl_diag *d) BL_MUST_CHECK;
int bl_history_parse(struct bl_history *h, const char *data, size_t len,
                     struct bl_diag *d) BL_MUST_CHECK;
void bl_history_release(struct bl_history *h);

struct bl_events {
    size_t n;
    struct bl_fc_event *ev; /* names point into the arena */
    struct bl_arena arena;
};

int bl_events_read(struct bl_events *e, const char *path, struct bl_diag *d) BL_MUST_CHECK;
int bl_events_parse(struct bl_events *e, const char *data, size_t len,
                    struct bl_diag *d) BL_MUST_CHECK;
void bl_events_release(struct bl_events *e);

#endif
