/* data.h - the store and its data: create or upgrade the store and an organisation,
 * import files, count what an organisation holds, find an organisation by name.
 *
 * The shapes of docs/internals/app.md. bl_app_init and bl_app_org_find come before an
 * organisation is known, so they take a name instead of an org id. Their results own
 * nothing (fixed fields): there is nothing to release.
 */
#ifndef BL_APP_DATA_H
#define BL_APP_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/app.h"
#include "ballast/csv.h"
#include "ballast/import.h"
#include "ballast/store.h"
#include "store/batch.h"

/* ---- organisation names: 1..64 bytes of printable UTF-8 (no control or bidirectional
 * control characters), no space at either end; the same rule on every store, checked
 * wherever a name comes in (bl_app_init, bl_app_org_find). A name that breaks it is
 * refused, never trimmed: BL_EINVAL, d says what is wrong. */
#define BL_APP_ORG_NAME_MAX 64
int bl_app_org_name_check(const char *name, struct bl_diag *d) BL_MUST_CHECK;

/* ---- init: migrate the store, create the organisation */

struct bl_app_init_req {
    const char *org_name; /* NULL or "default": the default organisation (the schema's) */
};

struct bl_app_init_res {
    int version_before; /* the schema version found (0: an empty store) */
    int version_after;  /* the schema version now (bl_store_latest_version()) */
    int64_t org_id;     /* the organisation's id */
    bool org_created;   /* the organisation was created by this call */
};

/* Brings the schema up to date (each migration its own transaction), then creates the
 * organisation named in req if it does not exist (id from the allocator), in one
 * transaction. Running it again changes nothing. */
int bl_app_init(struct bl_store *st, const struct bl_app_init_req *req, struct bl_app_init_res *res,
                struct bl_diag *d) BL_MUST_CHECK;

/* The organisation's data generation (bl_store_data_gen): it goes up with every change
 * to its orders, shops, disruptions, protections and stored assessments, in the change's
 * own transaction. An answer computed from those at generation G is still the answer
 * while the generation is G (the server's cached answers). */
int bl_app_data_gen(struct bl_store *st, int64_t org, int64_t *gen,
                    struct bl_diag *d) BL_MUST_CHECK;

/* The id of the organisation called name: BL_ENOTFOUND (d says so) when there is none. */
int bl_app_org_find(struct bl_store *st, const char *name, int64_t *id,
                    struct bl_diag *d) BL_MUST_CHECK;

/* ---- import: one file (or the Olist directory) as one all-or-nothing batch */

struct bl_app_import_req {
    const char *kind; /* one of bl_import_kinds (ballast/import.h): shops, ..., olist */
    const char *path; /* a file ("-": stdin), or the Olist directory */
    const char *tz;   /* zone for local times without an offset, or NULL */
    int64_t now;      /* the batch's created_at; 0: bl_app_now() */
    /* Called now and then with the bytes read so far and the total (0 = unknown). */
    void (*progress)(void *ctx, uint64_t done, uint64_t total);
    void *progress_ctx;
    const char *shop; /* a platform report's shop (ext id); NULL for the other kinds */
    bool corrections; /* orders: identity and recorded times may change, as corrections */
    int64_t replace;  /* > 0: the file replaces what this batch imported (its kind, this org) */
    /* Not NULL: read from source (an upload as it arrives; path only names it). */
    const struct bl_csv_source *source;
    bool jsonl; /* source is JSON Lines of the kind's columns (docs/formats.md) */
    struct bl_csv *ahead; /* NULL, or source's records read ahead (bl_import_opts.ahead) */
    struct bl_import_cache *cache; /* NULL, or zones and places shared across batches */
};

struct bl_app_import_res {
    int64_t batch_id; /* the new batch, or the earlier one when already */
    int64_t rows;     /* data rows read */
    int64_t records;  /* records stored (orders, olist: shop orders) */
    int64_t skipped;  /* rows read and deliberately not stored (see note) */
    bool already;     /* the same records were imported before as this kind: nothing added */
    int64_t batch_at; /* already: when batch_id was imported */
    bool orders;      /* records counts shop orders (orders, olist, platform reports) */
    int64_t fresh, updated, unchanged; /* orders: new, known and changed, known as they were */
    int64_t changes, corrections;      /* orders: changes recorded, of them corrections */
    bool nothing;     /* orders: every order was known and unchanged: nothing stored */
    char note[256];   /* the importer's note on what was skipped and why, "" if nothing */
    bool replaced;    /* req->replace: batch_id's records were replaced by the file's */
    /* records new to the store, changed, gone (replace), as stored (by natural keys) */
    int64_t added, changed, removed, kept;
};

/* Imports req->path as req->kind into org (the store must be migrated): everything or,
 * on error, nothing (d: file, line, column, what was expected). An unknown kind is
 * BL_EINVAL. The same records imported again add nothing (res->already), whatever the
 * encoding; read with another --tz they are refused (d: how to --replace the batch). */
int bl_app_import(struct bl_store *st, int64_t org, const struct bl_app_import_req *req,
                  struct bl_app_import_res *res, struct bl_diag *d) BL_MUST_CHECK;

/* ---- import list: the batches, to name one for --replace */

struct bl_app_import_list_req {
    const char *kind; /* NULL: every kind */
};

struct bl_app_import_list_res {
    struct bl_batch *items; /* newest first; strings in arena */
    size_t n;
    struct bl_arena arena;
};

/* The organisation's import batches (of req->kind). An unknown kind is BL_EINVAL. */
int bl_app_import_list(struct bl_store *st, int64_t org, const struct bl_app_import_list_req *req,
                       struct bl_app_import_list_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_import_list_res_release(struct bl_app_import_list_res *res);

/* ---- stats: rows per table */

#define BL_APP_STATS_MAX 40

struct bl_app_stat {
    const char *table; /* static */
    int64_t rows;
};

struct bl_app_stats_res {
    struct bl_app_stat t[BL_APP_STATS_MAX];
    size_t n;
};

/* How many rows of each data and result table belong to org, in a fixed table order. */
int bl_app_stats(struct bl_store *st, int64_t org, struct bl_app_stats_res *res,
                 struct bl_diag *d) BL_MUST_CHECK;

#endif
