/* gen.h - the deterministic synthetic dataset generator behind `ballast gen`.
 *
 * Writes a complete, mutually consistent set of native CSV files (docs/formats.md):
 * shops, skus, warehouses, suppliers, channels, stock, inbound, disruptions, orders
 * and sales. Every byte follows from the options alone: the generator reads no
 * clock and uses no global random state; each file has its own PRNG stream seeded
 * from opts.seed, so the same options give byte-identical files on every run,
 * whichever files are written and in whatever order.
 *
 * Memory is proportional to shops + skus (the model) plus, for sales, to
 * min(skus, BL_GEN_SALES_SKUS) * days counters; it never depends on the number of
 * order lines, which are streamed. The design is in docs/internals/gen.md.
 *
 * Ownership: bl_gen_new() gives the caller a struct bl_gen to free with
 * bl_gen_free(). FILE pointers passed in stay the caller's (never closed here).
 */
#ifndef BALLAST_GEN_H
#define BALLAST_GEN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ballast/err.h"

#define BL_GEN_MAX_ORDERS INT64_C(10000000000) /* order lines */
#define BL_GEN_MAX_SHOPS 100000
#define BL_GEN_MAX_SKUS 1000000
#define BL_GEN_MAX_DAYS 3660
#define BL_GEN_SALES_SKUS 1000 /* sales.csv covers the most popular SKUs only */

struct bl_gen_opts {
    uint64_t seed;     /* default 1 */
    int64_t orders;    /* order lines, 0..BL_GEN_MAX_ORDERS; default 100000 */
    int64_t shops;     /* 1..BL_GEN_MAX_SHOPS; default 50 */
    int64_t skus;      /* 1..BL_GEN_MAX_SKUS; default 5000 */
    int64_t start_day; /* first day, days since 1970-01-01; default 2024-09-01 */
    int64_t days;      /* 1..BL_GEN_MAX_DAYS; default 90 */
};

/* Fills in the defaults above. */
void bl_gen_opts_init(struct bl_gen_opts *o);

/* Parses a strict YYYY-MM-DD date (years 1971..9000) into a day number, for --start.
 * BL_EPARSE or BL_ERANGE with a message in d. */
int bl_gen_parse_date(const char *s, int64_t *day, struct bl_diag *d) BL_MUST_CHECK;

/* The files, in the order they must be imported (references point backwards). */
enum bl_gen_file {
    BL_GEN_SHOPS = 0,
    BL_GEN_SKUS,
    BL_GEN_WAREHOUSES,
    BL_GEN_SUPPLIERS,
    BL_GEN_CHANNELS,
    BL_GEN_STOCK,
    BL_GEN_INBOUND,
    BL_GEN_DISRUPTIONS,
    BL_GEN_SALES,
    BL_GEN_ORDERS,
    BL_GEN_SKU_SUPPLIERS, /* each SKU's suppliers, rank, unit cost, MOQ */
    BL_GEN_RATES,         /* daily exchange rates to USD */
    BL_GEN_SHOP_SETTINGS, /* what each shop's messages say about it (`shops import`) */
    BL_GEN_CUSTOMERS,     /* every buyer orders.csv names: name, e-mail */
    BL_GEN_NFILES
};

/* The import kind of a file ("shops", ...), also its base name (kind + ".csv").
 * Static text; NULL for an out-of-range value. */
const char *bl_gen_file_kind(enum bl_gen_file f);

struct bl_gen;

/* Validates opts and builds the model (shops, SKUs, channels, disruptions).
 * BL_EINVAL/BL_ERANGE with a message naming the option for bad options,
 * BL_ENOMEM when memory runs out. Caller owns *out; free with bl_gen_free(). */
int bl_gen_new(struct bl_gen **out, const struct bl_gen_opts *opts,
               struct bl_diag *d) BL_MUST_CHECK;
void bl_gen_free(struct bl_gen *g);

/* Writes one file as plain CSV to out and sets *rows to its data rows (may be NULL).
 * Writing sales first runs the order model without output (sales.csv is the
 * daily units of orders.csv). BL_EIO with a message on a write error. The stream
 * is flushed but not closed. */
int bl_gen_write(struct bl_gen *g, enum bl_gen_file f, FILE *out, int64_t *rows,
                 struct bl_diag *d) BL_MUST_CHECK;

struct bl_gen_counts {
    int64_t rows[BL_GEN_NFILES];   /* data rows per file */
    uint64_t bytes[BL_GEN_NFILES]; /* uncompressed bytes per file, header included */
    bool written[BL_GEN_NFILES];   /* false: the file had no data rows and is not there */
    int64_t orders;                /* distinct orders in orders.csv */
};

/* Writes every file into dir (created if missing; existing files are replaced) as
 * KIND.csv, or KIND.csv.gz through zlib when gzip is set. Orders are written
 * before sales so the order model runs once. A file without data rows (orders.csv
 * and sales.csv with opts.orders 0; sales.csv when every order of a tiny dataset is
 * cancelled) is not left in dir, since the importer rejects a header-only file:
 * an earlier file of that name is removed and written[f] is false. c may be NULL. */
int bl_gen_write_dir(struct bl_gen *g, const char *dir, bool gzip, struct bl_gen_counts *c,
                     struct bl_diag *d) BL_MUST_CHECK;

/* Progress of bl_gen_write_dir: fn(ctx, order lines written, opts.orders) as orders.csv
 * is written (each output buffer), for a front end's progress bar. fn NULL: none. */
void bl_gen_set_progress(struct bl_gen *g, void (*fn)(void *ctx, uint64_t done, uint64_t total),
                         void *ctx);

#endif
