/* import.h - importing files into the store as all-or-nothing batches.
 *
 * One call imports one file (native kinds) or one directory (the Olist adapter)
 * as one batch inside one transaction: every row is validated and stored, or
 * nothing is (a failure rolls back; a killed process leaves the store as it was,
 * since the transaction never committed). The SHA-256 of the input's records
 * (decompressed, line ends and blank lines gone, fields parsed, in the kind's column
 * order) and the options that changed their meaning (--tz, --shop) are recorded in
 * import_batch: the same records imported again as the same kind add nothing and
 * report the earlier batch; with other options they are refused (the diag says how
 * to --replace the earlier batch). opts->replace puts the file's records in place of
 * that batch's (docs/internals/import.md, "Replacing a batch").
 *
 * Errors fill the diag with the file, the line, the column and what was
 * expected. Formats: docs/formats.md.
 */
#ifndef BALLAST_IMPORT_H
#define BALLAST_IMPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "ballast/csv.h"
#include "ballast/err.h"
#include "ballast/store.h"

struct bl_import_result;
struct bl_store;

struct bl_import_opts {
    const char *kind;  /* "shops", "skus", ..., or "olist" */
    const char *path;  /* a file, "-" for stdin; a directory for olist */
    const char *tz;    /* --tz: zone for local times without offset, or NULL */
    const char *shop;  /* --shop: the shop (ext id) a platform report belongs to */
    bool corrections;  /* --corrections: an order's identity (placed, currency, lines,
                          amount) or a recorded time may change, as a correction */
    int64_t replace;   /* --replace: the batch whose content the file replaces, 0 none */
    int64_t org_id;
    int64_t now;       /* recorded as the batch's created_at (the shell reads the clock) */
    /* Called now and then with raw bytes read so far and the total (0 = unknown). */
    void (*progress)(void *ctx, uint64_t done, uint64_t total);
    void *progress_ctx;
    /* Not NULL: the input is read from source (an upload as it arrives) instead of path,
     * which then only names it (import_batch.source, diagnostics). One file: not olist. */
    const struct bl_csv_source *source;
    bool jsonl; /* the input is JSON Lines with the kind's columns (csv.h, jsonl.h) */
    /* NULL, or source's reader with records read ahead (bl_import_orders_ahead): read
     * from instead of a new one; borrowed (the caller closes it, after bl_import). */
    struct bl_csv *ahead;
    struct bl_import_cache *cache; /* NULL, or what batches share (below); borrowed */
    /* NULL, or called once inside the batch's transaction just before it commits, with the
     * batch's id and what it holds (the audit log's row); nonzero rolls the batch back. */
    int (*before_commit)(void *ctx, struct bl_store *st, int64_t batch,
                         const struct bl_import_result *res, struct bl_diag *d);
    void *commit_ctx;
};

/* Opens a reader on src, JSON Lines of the native orders' columns, and reads up to
 * max_bytes of its records ahead (bl_csv_read_ahead) for bl_import_opts.ahead: an upload
 * does that while it waits for its turn to write. Caller owns *out: bl_csv_close. */
int bl_import_orders_ahead(const struct bl_csv_source *src, size_t max_bytes,
                           struct bl_csv **out, struct bl_diag *d) BL_MUST_CHECK;

/* What imports may share across batches: the time zones (ICU costs milliseconds per
 * zone, and a batch loads every shop's) and the ISO 3166 lists. A server that imports
 * many small batches (POST /api/v1/orders) keeps one for its life; any thread may use
 * it. Caller owns it: free with bl_import_cache_free, after the last import using it. */
struct bl_import_cache;
int bl_import_cache_new(struct bl_import_cache **out) BL_MUST_CHECK;
void bl_import_cache_free(struct bl_import_cache *c);

struct bl_import_result {
    int64_t batch_id;      /* the new batch, or the earlier one when already */
    int64_t rows;          /* data rows read */
    int64_t records;       /* records stored (orders: shop orders; olist: shop orders) */
    int64_t skipped;       /* rows read but deliberately not stored (see note) */
    int64_t fresh;         /* orders: new to the store */
    int64_t updated;       /* orders: known, and changed (each change in order_event) */
    int64_t unchanged;     /* orders: known, nothing changed */
    int64_t changes;       /* order_event rows appended */
    int64_t corrections;   /* of them, corrections (--corrections) */
    bool nothing;          /* orders: all known and unchanged, so nothing was stored (no
                              batch recorded, whatever the bytes) */
    bool already;          /* the same content was imported before: nothing added */
    int64_t batch_at;      /* already: when that batch was imported (its created_at) */
    char note[256];        /* what was skipped and why, "" if nothing */
    /* --replace: the batch's records against the file's (by their keys: docs/formats.md) */
    bool replaced;
    int64_t added, removed, changed, kept;
};

/* The kinds `ballast import` accepts, NULL-terminated. */
extern const char *const bl_import_kinds[];

/* Whether kind carries orders (orders, olist and the platform reports). */
bool bl_import_kind_orders(const char *kind);
/* Whether kind is a platform's report (it needs opts->shop). */
bool bl_import_kind_report(const char *kind);

/* Imports per opts. The store must be migrated. Returns BL_OK (also when already
 * imported), or a negative bl_err with d filled. */
int bl_import(struct bl_store *st, const struct bl_import_opts *opts,
              struct bl_import_result *res, struct bl_diag *d) BL_MUST_CHECK;

#endif
