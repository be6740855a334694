/* import_impl.h - the import engine shared by the native kinds and the adapters.
 *
 * struct bl__imp is one batch in progress: the store (inside a transaction), the
 * current CSV record, the header-to-column mapping of the kind's column specs,
 * caches of referenced records (shops, skus, ...) loaded once per batch, and the
 * next internal id of each table. Field getters parse one column of the current
 * record and, on bad input, fill the diag with file, line, column and what was
 * expected.
 */
#ifndef BL_IO_IMPORT_IMPL_H
#define BL_IO_IMPORT_IMPL_H

#include <stdbool.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/csv.h"
#include "ballast/import.h"
#include "ballast/map.h"
#include "ballast/ordblock.h"
#include "ballast/region.h"
#include "ballast/store.h"
#include "ballast/time.h"

enum bl__ctype {
    BL__C_ID,      /* 1..200 bytes, no control characters */
    BL__C_TEXT,    /* any UTF-8 text (already validated by the reader) */
    BL__C_UINT,    /* whole number >= 0 */
    BL__C_POS,     /* whole number > 0 */
    BL__C_MONEY,   /* decimal; exponent from context */
    BL__C_INSTANT, /* ISO 8601 */
    BL__C_DATE,    /* YYYY-MM-DD */
    BL__C_REGION,
    BL__C_ENUM,    /* one of choices */
    BL__C_FLAG,
    BL__C_CURRENCY,
    BL__C_TZ,
    BL__C_KG,      /* decimal kilograms, 3 decimals -> grams */
    BL__C_HHMM,
};

struct bl__colspec {
    const char *name;
    enum bl__ctype type;
    bool required;
    const char *const *choices; /* BL__C_ENUM: NULL-terminated */
};

/* The values a number column accepts, min..max (BL__C_UINT, BL__C_POS; BL__C_MONEY in
 * minor units; BL__C_KG in grams): a kind sets its list (bl__imp.ranges) before it opens
 * its file; a column not in it has its type's range (BL__QTY_MAX, BL__MONEY_MAX,
 * BL__GRAMS_MAX). docs/formats.md, "Ranges". */
struct bl__range {
    int col;
    int64_t min, max;
};

/* The ranges of numbers at the door, chosen so that anything an import accepts works in
 * every command (the engine's own limits: BL_RP_MAX_HORIZON, BL_LG_MAX_TRANSIT, case
 * packs and MOQs up to 10^9) and sums over a year of orders cannot overflow int64
 * (3.2e7 orders, one a second, of at most BL__MONEY_MAX each: 3.2e18 < 9.2e18). */
#define BL__QTY_MAX INT64_C(1000000000)        /* units: stock, inbound, a day's sales, MOQ */
#define BL__LINE_QTY_MAX INT64_C(1000000)      /* units of one order line; lines per order */
#define BL__DAYS_MAX INT64_C(365)              /* lead, handling, transit and SLA days */
#define BL__MONEY_MAX INT64_C(100000000000)    /* minor units: a price, a cost, an order */
#define BL__PER_KG_MAX INT64_C(10000000)       /* minor units per kg (x 10 t < MONEY_MAX) */
#define BL__GRAMS_MAX INT64_C(10000000)        /* 10 t: a SKU's weight, a weight band */
#define BL__MM_MAX INT64_C(100000)             /* 100 m: a package's side */
#define BL__RANK_MAX INT64_C(100)              /* a SKU's suppliers */
#define BL__DIVISOR_MAX INT64_C(1000000)       /* cm3 per kg */

#define BL__MAX_COLS 32

/* Returns the error of call, if any: the importers' one way of passing errors up. */
#define TRY(call)                                                                             \
    do {                                                                                      \
        int try_rc_ = (call);                                                                 \
        if (try_rc_)                                                                          \
            return try_rc_;                                                                   \
    } while (0)

/* A shop as the importers need it. */
struct bl__shop {
    int64_t id;
    int exponent;             /* of the shop's currency */
    char currency[4];
    char ship_from[BL_REGION_MAX];
    const struct bl_tz *tz;
    bool platform;            /* its fulfilment column says platform */
};

#define BL__REGION_RAW 24 /* longest raw region text the memo keeps */

struct bl__imp {
    struct bl_store *st;
    const struct bl_import_opts *opts;
    struct bl_diag *d;
    struct bl_arena arena;
    const char *file;               /* display name of the current file */
    int64_t org;
    int64_t batch;

    /* current file */
    struct bl_csv *csv;
    bool ahead_used; /* opts->ahead is (or was) csv: the caller's, not closed here */
    struct bl_csv_record rec;
    const struct bl__colspec *spec;
    size_t nspec;
    const struct bl__range *ranges; /* of this file's columns; cleared when it closes */
    size_t nranges;
    int col[BL__MAX_COLS];          /* spec index -> field index, -1 absent */
    size_t nheader;
    int64_t rows;
    bool report;                    /* a platform's report: other columns are ignored */
    int64_t added;                  /* records other than orders this batch added (olist) */
    char csv_sep;                   /* the file's separator for bl__imp_open; 0: ',' */
    bool csv_unquoted;              /* the file never quotes (bl_csv_set_quoting off) */

    const struct bl_tz *tz;         /* --tz, or NULL */
    struct bl_map tzs;              /* zone name -> index in tz_list */
    struct bl_tz **tz_list;
    size_t ntz, tz_cap;
    struct bl_map currencies;       /* code -> exponent */

    struct bl_map shop_ids;         /* ext -> index in shops */
    struct bl__shop *shops;
    size_t nshops, shops_cap;
    struct bl_map skus, warehouses, suppliers, channels; /* ext -> id */
    bool have_shops, have_skus, have_warehouses, have_suppliers, have_channels;

    uint64_t progress_at;
    const char *id_tables[8];       /* tables whose ids this batch took (bl__imp_next_id) */
    size_t nid_tables;
    char sha[65];                   /* the batch's content hash (ident.c; olist sets its own) */
    char bytes_sha[65];             /* the hash of the bytes: batches recorded before */
    struct evp_md_ctx_st *hctx;     /* the content hash in progress (ident.c) */
    unsigned char *hbuf;            /* what is not hashed yet */
    size_t hlen;
    bool hfail;
    bool tz_used;                   /* --tz read a time that has no offset */
    int64_t replace;                /* --replace: the batch whose content this replaces, 0 */
    struct bl__replace *rep;        /* its state (replace.c), NULL without --replace */
    int64_t n_added, n_changed, n_kept; /* natural-key kinds: records new, updated, as stored */

    /* The batch's orders packed for the assessment (ordblock.h): NULL until the
     * first order; a full block is written out as the next one starts. */
    struct bl_ordblock_enc *blocks;
    struct bl_inserter *block_ins; /* order_block rows, on the bulk path (no wait) */
    struct bl_buf block_bytes;
    int64_t block_seq, block_line; /* input line of the block's first order */

    struct bl_places *places; /* ISO 3166 (places.h), opened by the first region checked */

    /* Regions already parsed, by raw text: a file repeats a few hundred codes. */
    struct bl__region_memo {
        uint8_t len;                /* raw length; 0 = empty slot */
        char raw[BL__REGION_RAW];
        char canon[BL_REGION_MAX];
    } region_memo[256];
};

/* --- engine (import.c) --- */

/* Sets the ranges of the next file's number columns (struct bl__range, an array). */
#define BL__RANGES(im, r) ((im)->ranges = (r), (im)->nranges = sizeof(r) / sizeof((r)[0]))
/* The range of column c: its own (im->ranges), else its type's. */
void bl__imp_range(const struct bl__imp *im, int c, int64_t *lo, int64_t *hi);

/* Opens path as the current CSV file and maps its header onto spec. */
int bl__imp_open(struct bl__imp *im, const char *path, const char *display,
                 const struct bl__colspec *spec, size_t nspec) BL_MUST_CHECK;
/* Next data record: 1, 0 at end, <0 error. Checks the field count. */
int bl__imp_next(struct bl__imp *im) BL_MUST_CHECK;
void bl__imp_close_file(struct bl__imp *im);

/* Sets the diag to the current line and the column of spec index c. Returns code. */
int bl__imp_err(struct bl__imp *im, int c, int code, const char *fmt, ...) BL_PRINTF(4, 5);

/* Raw text of column c (trimmed of nothing); empty view when absent or empty. */
struct bl_str bl__imp_raw(const struct bl__imp *im, int c);
bool bl__imp_has(const struct bl__imp *im, int c);

/* Typed getters. Each returns BL_OK with *present false when the column is absent
 * or empty and not required; an error when required and missing or malformed. */
int bl__imp_id(struct bl__imp *im, int c, struct bl_str *out) BL_MUST_CHECK;
int bl__imp_text(struct bl__imp *im, int c, struct bl_str *out, bool *present) BL_MUST_CHECK;
/* A name (shop, SKU, supplier, carrier...): text without control characters (C0, DEL,
 * C1) or bidirectional controls; free text (notes, reasons) is bl__imp_text. */
int bl__imp_name(struct bl__imp *im, int c, struct bl_str *out, bool *present) BL_MUST_CHECK;
int bl__imp_uint(struct bl__imp *im, int c, int64_t *out, bool *present) BL_MUST_CHECK;
int bl__imp_money(struct bl__imp *im, int c, int exponent, int64_t *out,
                  bool *present) BL_MUST_CHECK;
int bl__imp_instant(struct bl__imp *im, int c, const struct bl_tz *tz, int64_t *out,
                    bool *present) BL_MUST_CHECK;
int bl__imp_date(struct bl__imp *im, int c, int64_t *day, bool *present) BL_MUST_CHECK;
int bl__imp_region(struct bl__imp *im, int c, char *out, bool *present) BL_MUST_CHECK;
int bl__imp_enum(struct bl__imp *im, int c, int dflt, int *out) BL_MUST_CHECK;
int bl__imp_flag(struct bl__imp *im, int c, int dflt, int64_t *out) BL_MUST_CHECK;
int bl__imp_currency(struct bl__imp *im, int c, char code[4], int *exponent,
                     bool *present) BL_MUST_CHECK;
int bl__imp_tz(struct bl__imp *im, int c, const struct bl_tz **tz, bool *present) BL_MUST_CHECK;
int bl__imp_kg(struct bl__imp *im, int c, int64_t *grams, bool *present) BL_MUST_CHECK;

/* Caches. */
int bl__imp_load_tz(struct bl__imp *im, struct bl_str name, const struct bl_tz **tz) BL_MUST_CHECK;
int bl__imp_currency_exp(struct bl__imp *im, struct bl_str code, int *exponent) BL_MUST_CHECK;
int bl__imp_load_shops(struct bl__imp *im) BL_MUST_CHECK;
int bl__imp_load_map(struct bl__imp *im, const char *table, struct bl_map *m,
                     bool *loaded) BL_MUST_CHECK;
/* Resolves the reference in column c through m (loaded from table); error names
 * what to import first. */
int bl__imp_ref(struct bl__imp *im, int c, const char *table, struct bl_map *m, bool *loaded,
                int64_t *id, bool *present) BL_MUST_CHECK;
int bl__imp_shop_ref(struct bl__imp *im, int c, const struct bl__shop **shop) BL_MUST_CHECK;
/* Registers a shop created in this batch (olist adapter). */
int bl__imp_add_shop(struct bl__imp *im, struct bl_str ext, const struct bl__shop *shop) BL_MUST_CHECK;

/* max(id)+1 of table for this org. */
int bl__imp_next_id(struct bl__imp *im, const char *table, int64_t *next) BL_MUST_CHECK;

/* Reports progress (bytes of the current file). */
void bl__imp_progress(struct bl__imp *im);

/* Turns a store constraint error on an insert into the user's words. */
int bl__imp_dup(struct bl__imp *im, int rc, const char *field, const char *what);

/* --- what batches share (cache.c): a zone or the ISO 3166 lists, loaded once --- */
int bl__cache_tz(struct bl_import_cache *c, const char *name, const struct bl_tz **out,
                 struct bl_diag *d) BL_MUST_CHECK;
int bl__cache_places(struct bl_import_cache *c, struct bl_places **out,
                     struct bl_diag *d) BL_MUST_CHECK;

/* --- identity by content (ident.c) --- */

/* A batch of the same kind and content found in the store. */
struct bl__prev {
    int64_t id, at; /* 0: none; its created_at */
    bool legacy;    /* recorded before opts were (its hash is of the bytes) */
    char opts[128];
};

int bl__ident_begin(struct bl__imp *im) BL_MUST_CHECK;
/* Hashes the start of a file (bl__imp_open) and each data record (bl__imp_next). */
void bl__ident_file(struct bl__imp *im);
void bl__ident_record(struct bl__imp *im);
/* Notes that tz read v (an instant's text): --tz matters when it read one without offset. */
void bl__ident_instant(struct bl__imp *im, const struct bl_tz *tz, struct bl_str v);
/* The options that changed the records' meaning: "tz=ZONE", "shop=S", ";"-joined, "". */
void bl__ident_opts(const struct bl__imp *im, char *out, size_t cap);
/* Finishes the content hash into im->sha (unless the kind set one). */
int bl__ident_end(struct bl__imp *im) BL_MUST_CHECK;
void bl__ident_release(struct bl__imp *im);
/* After the rows: 0 when no other batch has this content; 1 when one has, with the same
 * options (res says already, and which); BL_EEXISTS when it was read with other options
 * (d: how to correct it with --replace). */
int bl__ident_check(struct bl__imp *im, struct bl_import_result *res) BL_MUST_CHECK;
/* The latest other batch of kind with this content (im->sha, or im->bytes_sha for
 * batches recorded before). */
int bl__ident_find(struct bl__imp *im, const char *kind, struct bl__prev *prev) BL_MUST_CHECK;

/* --- import KIND FILE --replace BATCH (replace.c) --- */

/* Checks the batch to replace (this organisation's, this kind, a kind that can be
 * replaced) and prepares its rows (what the kind compares and removes at the end);
 * im->batch becomes its id. */
int bl__replace_begin(struct bl__imp *im, struct bl_import_result *res) BL_MUST_CHECK;
/* After the file's rows: removes the batch's rows the file no longer has (or refuses,
 * naming what depends on them) and counts added, removed, changed, unchanged. */
int bl__replace_end(struct bl__imp *im, struct bl_import_result *res) BL_MUST_CHECK;
/* Natural keys of the kinds without ids (import_native.c): whether the stored row id
 * is one of the replaced batch's, and noting that the file has it. */
int bl__replace_keep(struct bl__imp *im, int64_t id) BL_MUST_CHECK;
/* Stock: whether the replaced batch counted wh/sku; then *on_hand is the count before
 * it (what the file's count moves from), and the count is noted as the file's. */
bool bl__replace_prior(struct bl__imp *im, int64_t wh, int64_t sku, int64_t *on_hand);
void bl__replace_release(struct bl__imp *im);
/* After a collision with a stored record of a kind --replace is for (the transaction
 * rolled back): adds to the diag which batch to replace. */
void bl__replace_hint(struct bl__imp *im);

/* --- orders, shared by the native kind and the adapters (import_orders.c) --- */

#define BL__NONE INT64_MIN /* an absent instant */

/* The order fields a source may carry and an update may change (bit k = 1 << k):
 * what a source does not carry, an update leaves as stored. */
enum bl__ofield {
    BL__OF_SHIP_BY,   /* promised ship-by (may move later: the platform extends it) */
    BL__OF_PROMISED,  /* promised delivery (likewise) */
    BL__OF_PICKED_UP,
    BL__OF_SHIPPED,
    BL__OF_DELIVERED,
    BL__OF_CANCELLED, /* cancelled_at and cancelled_by together */
    BL__OF_FROM,
    BL__OF_TO,
    BL__OF_CHANNEL,
    BL__OF_TRACKING,
    BL__OF_CUSTOMER,
    BL__OF_LOCALE,
    BL__OF_FULFIL,
    BL__OF__COUNT
};
#define BL__OF_ALL ((1u << BL__OF__COUNT) - 1)

/* How an order is fulfilled: by the seller (merchant), or by the platform (Amazon
 * FBA/AFN, a platform warehouse): then it is not the seller's shipment. */
enum bl__fulfil { BL__FULFIL_SHOP = 0, BL__FULFIL_MERCHANT, BL__FULFIL_PLATFORM };

struct bl__order {
    int64_t id;
    struct bl_str ext;
    int64_t shop_id;
    struct bl_str customer, channel, locale, tracking; /* empty = none */
    int64_t placed, ship_by, promised, picked_up, shipped, delivered, cancelled;
    int cancelled_by; /* -1 not cancelled, else index in bl__cancellers */
    int fulfil;       /* enum bl__fulfil: SHOP = the shop's fulfilment column decides */
    char ship_from[BL_REGION_MAX], ship_to[BL_REGION_MAX];
    int64_t amount;
    char currency[4];
    int64_t src_line;  /* first line of the order in the input */
    unsigned known;    /* 1 << enum bl__ofield: the fields this source carries */
};

/* One line of an order (sku is the store's id). */
struct bl__oline {
    int64_t line_no, sku, qty, price;
};

extern const char *const bl__cancellers[];
extern const char *const bl__fulfils[]; /* "", "merchant", "platform" */
extern const char *const bl__order_db_cols[];
extern const size_t bl__order_db_ncols;
extern const char *const bl__line_db_cols[];
extern const size_t bl__line_db_ncols;
/* "open", "shipped", "delivered" or "cancelled", from the order's times. */
const char *bl__order_status(const struct bl__order *o);
int bl__order_insert(struct bl__imp *im, struct bl_inserter *ins,
                     const struct bl__order *o) BL_MUST_CHECK;
int bl__line_insert(struct bl__imp *im, struct bl_inserter *ins, int64_t order_id,
                    int64_t line_no, int64_t sku_id, int64_t qty, int64_t price,
                    int64_t src_line) BL_MUST_CHECK;

/* The order sink: every source of orders (the native CSV, Olist, the platform
 * reports) hands it whole orders, in input order; it decides new / updated /
 * unchanged against the store, checks the transitions of an update, appends each
 * change to order_event, and writes new orders (rows, lines, order blocks) and
 * updates (rows, marked stale for the blocks) in the batch's transaction.
 *
 * Errors name the file, the order's first line and the field: names[f] is the
 * source's own column for field f (NULL: the native name), names_identity the
 * columns of placed, currency, amount and lines (same rule). */
struct bl__sink;
struct bl__sink_names {
    const char *field[BL__OF__COUNT];
    const char *placed, *currency, *amount, *lines;
    bool own_times; /* the source checked the order of its times itself (Olist) */
};
int bl__sink_open(struct bl__imp *im, const struct bl__sink_names *names,
                  struct bl__sink **out) BL_MUST_CHECK;
/* Takes order o (its id is ignored; texts are copied) and its n lines. */
int bl__sink_put(struct bl__sink *sk, const struct bl__order *o, const struct bl__oline *lines,
                 size_t n) BL_MUST_CHECK;
/* After the last order: resolves what is pending, applies the updates, adds the
 * counts to res (records = new + updated; fresh, updated, unchanged) and frees sk.
 * With rc != 0 (the caller failed) it only frees and returns rc. */
int bl__sink_close(struct bl__sink *sk, int rc, struct bl_import_result *res) BL_MUST_CHECK;

/* Rewrites, from their rows, the order blocks an eighth or more of whose orders are
 * stale (order_compact.c); the sink calls it after a batch's updates. */
int bl__orders_compact(struct bl__imp *im) BL_MUST_CHECK;

/* Writes the batch's last, partly filled order block (nothing when there is none)
 * and waits for every block to be stored; the engine calls it before recording the
 * batch. Frees the encoder either way. */
int bl__imp_blocks_flush(struct bl__imp *im) BL_MUST_CHECK;
void bl__imp_blocks_release(struct bl__imp *im);

/* The shop whose ext id is given (opts->shop of a platform report), or an error
 * naming it. */
int bl__imp_shop_find(struct bl__imp *im, const char *ext,
                      const struct bl__shop **shop) BL_MUST_CHECK;

/* --- platform reports (reports.c) --- */

/* The ship-to region from a report's country (an ISO code, or the English name the
 * platforms write: "United States"), state or province, and postal code
 * columns (any may be -1): "US-CA:94103". A state that is not a subdivision code (1-3
 * letters or digits, after an optional "US-" prefix) is dropped, except US state names;
 * the postal code keeps its letters and digits (a leading ' that keeps a spreadsheet
 * from eating zeros is dropped), at most 10. No country: *present false. */
int bl__report_region(struct bl__imp *im, int country, int state, int zip,
                      char out[BL_REGION_MAX], bool *present) BL_MUST_CHECK;

/* --- platform reports: what the adapters share (report_rows.c) --- */

#define BL__REP_TEXT 201 /* an id of up to 200 bytes and its NUL */

/* One report being read: the order whose rows are being gathered (its texts copied
 * out of the reader's buffer), its lines, and the ids of the orders already put. */
struct bl__rep {
    struct bl__imp *im;
    struct bl__sink *sink;
    struct bl_map seen; /* order ext id -> its first line */
    struct bl__order o;
    char ext[BL__REP_TEXT], customer[BL__REP_TEXT], channel[BL__REP_TEXT],
        tracking[BL__REP_TEXT];
    struct bl__oline *lines;
    size_t nlines, cap;
    bool open;
};

int bl__rep_begin(struct bl__imp *im, struct bl__rep *r,
                  const struct bl__sink_names *names) BL_MUST_CHECK;
/* Whether ext is the order being gathered (the current row continues it). */
bool bl__rep_same(const struct bl__rep *r, struct bl_str ext);
/* Hands the gathered order to the sink and starts o (texts are copied; c is the
 * order id column, named when the id comes back after other orders). */
int bl__rep_start(struct bl__rep *r, int c, const struct bl__order *o) BL_MUST_CHECK;
/* Adds a line to the order (line numbers 1, 2, ... in file order); the amount is
 * the checked sum of qty * price. c names the price column on overflow. */
int bl__rep_line(struct bl__rep *r, int c, int64_t sku, int64_t qty,
                 int64_t price) BL_MUST_CHECK;
/* Puts the last order and closes the sink (with rc != 0 only frees). */
int bl__rep_end(struct bl__rep *r, int rc, struct bl_import_result *res) BL_MUST_CHECK;
/* Trims spaces and tabs around every field of the current record. */
void bl__rep_trim(struct bl__imp *im);
/* Column c must be one of choices (ASCII case-insensitive): *out its index; else
 * an error naming them all. */
int bl__rep_choice(struct bl__imp *im, int c, const char *const *choices,
                   int *out) BL_MUST_CHECK;
/* A local wall-clock time of column c read in tz; an impossible date is an error
 * naming the column. */
int bl__rep_local(struct bl__imp *im, int c, const struct bl_tz *tz, int y, int mo, int d,
                  int h, int mi, int s, int64_t *out) BL_MUST_CHECK;
/* 1..max decimal digits of v at *p (advanced), or -1 when there is none. */
int bl__rep_num(struct bl_str v, size_t *p, size_t max);

/* --- kinds --- */
struct bl__kind {
    const char *name;
    int (*run)(struct bl__imp *im, const char *path, struct bl_import_result *res);
};
extern const struct bl__kind bl__native_kinds[];
extern const struct bl__kind bl__report_kinds[]; /* reports.c: one per platform */
int bl__orders_run(struct bl__imp *im, const char *path,
                   struct bl_import_result *res) BL_MUST_CHECK;
int bl__channels_run(struct bl__imp *im, const char *path,
                     struct bl_import_result *res) BL_MUST_CHECK;
int bl__rates_run(struct bl__imp *im, const char *path,
                  struct bl_import_result *res) BL_MUST_CHECK;
int bl__sku_suppliers_run(struct bl__imp *im, const char *path,
                          struct bl_import_result *res) BL_MUST_CHECK;
int bl__olist_run(struct bl__imp *im, const char *dir, struct bl_import_result *res) BL_MUST_CHECK;
int bl__amazon_run(struct bl__imp *im, const char *path,
                   struct bl_import_result *res) BL_MUST_CHECK;
int bl__shopify_run(struct bl__imp *im, const char *path,
                    struct bl_import_result *res) BL_MUST_CHECK;
int bl__tiktok_run(struct bl__imp *im, const char *path,
                   struct bl_import_result *res) BL_MUST_CHECK;
int bl__temu_run(struct bl__imp *im, const char *path, struct bl_import_result *res) BL_MUST_CHECK;

#endif
