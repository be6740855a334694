/* store.h - the store: one interface, SQLite and PostgreSQL behind it.
 *
 * A store URL is either a file path (SQLite, WAL mode) or "postgres://..." /
 * "postgresql://..." (PostgreSQL via libpq). Both have the same schema, created
 * and upgraded by versioned migrations (bl_store_migrate), and behave the same
 * for everything Ballast does; the integration tests run against both.
 *
 * SQL given to this interface uses $1, $2, ... placeholders, numbered in order of
 * first appearance (valid in both SQLite and PostgreSQL), and portable SQL: BIGINT
 * and TEXT columns, ON CONFLICT, no vendor functions.
 *
 * Every table has org_id; every query must filter by it (tenant isolation).
 *
 * Threading: a struct bl_store is one connection; use it from one thread at a time.
 */
#ifndef BALLAST_STORE_H
#define BALLAST_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/err.h"
#include "ballast/str.h"

struct bl_store;

/* BL_VAL_NUM is for output only (src/cli/out.c): decimal text printed as a JSON
 * number; the store refuses it. BL_VAL_BLOB is bytes (s holds them) for a BYTEA
 * column, as a parameter or a bulk-inserted value; read it back with bl_row_blob. */
enum bl_val_kind { BL_VAL_NULL = 0, BL_VAL_INT, BL_VAL_TEXT, BL_VAL_NUM, BL_VAL_BLOB };

/* A parameter or column value. Text is borrowed (not copied) by the callee
 * for the duration of the call. */
struct bl_val {
    enum bl_val_kind kind;
    int64_t i;
    struct bl_str s;
};

static inline struct bl_val bl_val_int(int64_t i)
{
    return (struct bl_val){BL_VAL_INT, i, {"", 0}};
}
static inline struct bl_val bl_val_text(struct bl_str s)
{
    return (struct bl_val){BL_VAL_TEXT, 0, s};
}
static inline struct bl_val bl_val_num(struct bl_str decimal) /* "" prints as null */
{
    return (struct bl_val){BL_VAL_NUM, 0, decimal};
}
static inline struct bl_val bl_val_blob(const void *p, size_t n)
{
    return (struct bl_val){BL_VAL_BLOB, 0, {n ? (const char *)p : "", n}};
}
static inline struct bl_val bl_val_null(void)
{
    return (struct bl_val){BL_VAL_NULL, 0, {"", 0}};
}

/* Opens (creating an SQLite file if needed) without touching the schema.
 * Caller owns *out; close with bl_store_close(). */
int bl_store_open(struct bl_store **out, const char *url, struct bl_diag *d) BL_MUST_CHECK;
void bl_store_close(struct bl_store *s); /* rolls back an open transaction */
/* Another connection to the same store (for a second reader thread: a store and
 * its rows are used by one thread at a time). Caller owns *out. */
int bl_store_open_again(struct bl_store *s, struct bl_store **out,
                        struct bl_diag *d) BL_MUST_CHECK;
/* A second connection to the same SQLite store, for reading what is committed while s
 * writes: its queries run beside s's bulk-insert writer thread instead of waiting for it
 * (docs/internals/store.md, "The side connection"). It sees none of s's open
 * transaction. Opened on first use and owned by s (bl_store_close closes it), so a
 * connection kept open keeps it warm. *out = NULL (and 0) when there is none to have:
 * PostgreSQL (a query there waits only for the COPY chunk in flight), or an in-memory
 * SQLite database. Use it from the thread that uses s. */
int bl_store_side(struct bl_store *s, struct bl_store **out, struct bl_diag *d) BL_MUST_CHECK;

/* Who is acting on this connection, for the audit log (docs/internals/audit.md): set by the
 * front end that opened it (the CLI: the local user; the API: the token or user of each
 * request) and read by the use cases that record a change. A fresh store's actor is
 * {"ballast", "system", ""} (a program that says nothing of its user). */
struct bl_store_actor {
    char name[128];   /* the person or system as a person names it: "alice", "API token 'ci'" */
    char via[8];      /* "cli", "api" or "system" */
    char source[128]; /* where from: the host (cli), the client's address (api); "" unknown */
    int64_t user_id;  /* the Ballast user (0: none) */
    int64_t token_id; /* the API token (0: none) */
};
/* Copies a into the connection's actor (NULL: back to the fresh store's). */
void bl_store_set_actor(struct bl_store *s, const struct bl_store_actor *a);
/* The connection's actor (never NULL for a store). */
const struct bl_store_actor *bl_store_actor(const struct bl_store *s);

/* Checkpoints of SQLite's write-ahead log taken when the caller chooses, not by the
 * commit that fills it (docs/internals/store.md, "Checkpoints"). bl_store_wal_hook: after
 * each commit on s, fn(ctx, frames) is called on the committing thread with the log's
 * length in pages, and s no longer checkpoints by itself (fn NULL: it does again, every
 * 1,000 pages). bl_store_wal_checkpoint: a PASSIVE checkpoint on s (it waits for no one;
 * what a writer or reader holds is left for the next); *log is the log's length and
 * *copied the pages in the database file now (both 0 on PostgreSQL, where neither does
 * anything). */
typedef void (*bl_wal_fn)(void *ctx, int frames);
void bl_store_wal_hook(struct bl_store *s, bl_wal_fn fn, void *ctx);
int bl_store_wal_checkpoint(struct bl_store *s, int64_t *log, int64_t *copied,
                            struct bl_diag *d) BL_MUST_CHECK;

/* "sqlite" or "postgres". */
const char *bl_store_kind(const struct bl_store *s);
/* Statements run on this connection through bl_store_exec and bl_store_query (each a
 * round trip on PostgreSQL; bulk inserters not counted): for tests that bound them. */
uint64_t bl_store_statements(const struct bl_store *s);
/* The store URL as it may be shown to a person or a log: a postgres:// URL without its
 * password (user:***@) or query string; a file path as it is. Never fails (out is
 * NUL-terminated; a URL that cannot be copied shows as "postgres://..."). */
void bl_store_url_shown(const char *url, char *out, size_t cap);

/* Brings the schema to the newest version this program knows, each migration in
 * its own transaction; running it again does nothing. BL_ESCHEMA if the store is
 * newer than the program. */
int bl_store_migrate(struct bl_store *s, struct bl_diag *d) BL_MUST_CHECK;
/* Current schema version (0 for an empty store). */
int bl_store_version(struct bl_store *s, int *version, struct bl_diag *d) BL_MUST_CHECK;
int bl_store_latest_version(void);

/* Transactions. begin takes the write lock at once (SQLite BEGIN IMMEDIATE).
 * After an error inside a transaction only rollback is accepted (commit rolls
 * back and fails): PostgreSQL's rule, applied to SQLite too. rollback without an
 * open transaction does nothing. */
int bl_store_begin(struct bl_store *s, struct bl_diag *d) BL_MUST_CHECK;
int bl_store_commit(struct bl_store *s, struct bl_diag *d) BL_MUST_CHECK;
int bl_store_rollback(struct bl_store *s, struct bl_diag *d) BL_MUST_CHECK;
/* Ends the transaction the caller's work came to rc in: commits when rc is 0, else rolls
 * back (quietly: d keeps the error that made it fail). Returns rc, or commit's error. */
int bl_store_end(struct bl_store *s, int rc, struct bl_diag *d) BL_MUST_CHECK;

/* A read snapshot for a run of reads (an HTTP GET): on SQLite one read transaction
 * (deferred BEGIN) instead of one per statement, so the statements see one state of the
 * store and take its locks once; on PostgreSQL nothing (each statement is its own snapshot
 * there, and a transaction would add two round trips). It gives way to writes: a
 * bl_store_begin or bl_store_exec inside it ends it first, so a use case that writes runs
 * as it does without it. Does nothing inside a transaction or a read already open.
 * bl_store_read_end ends it (and is safe to call when none is open). */
int bl_store_read_begin(struct bl_store *s, struct bl_diag *d) BL_MUST_CHECK;
void bl_store_read_end(struct bl_store *s);

/* Runs SQL with parameters, ignoring any result rows. *changes (may be NULL)
 * receives the number of rows inserted/updated/deleted. One statement per call. */
int bl_store_exec(struct bl_store *s, const char *sql, const struct bl_val *params,
                  size_t nparams, int64_t *changes, struct bl_diag *d) BL_MUST_CHECK;

/* A result row during a bl_store_query callback. Column indexes are 0-based. */
struct bl_row;
size_t bl_row_ncols(const struct bl_row *r);
const char *bl_row_colname(const struct bl_row *r, size_t col);
bool bl_row_isnull(const struct bl_row *r, size_t col);
int64_t bl_row_int(const struct bl_row *r, size_t col); /* NULL or non-number -> 0 */
/* The integer, or if_null when the column is NULL (one lookup instead of two). */
int64_t bl_row_int_or(const struct bl_row *r, size_t col, int64_t if_null);
struct bl_str bl_row_text(const struct bl_row *r, size_t col); /* valid during callback */
/* The bytes of a BYTEA column (NULL reads as empty), valid during the callback and
 * until the next bl_row_blob call on the same row. BL_ENOMEM leaves *out empty. */
int bl_row_blob(const struct bl_row *r, size_t col, struct bl_str *out) BL_MUST_CHECK;

/* Calls fn once per result row; fn returns 0 to go on, nonzero to stop (that
 * value is then returned). */
typedef int (*bl_row_fn)(void *ctx, const struct bl_row *row);
int bl_store_query(struct bl_store *s, const char *sql, const struct bl_val *params,
                   size_t nparams, bl_row_fn fn, void *ctx, struct bl_diag *d) BL_MUST_CHECK;

/* Convenience: the first column of the first row as an integer (*out untouched
 * and BL_ENOTFOUND when there is no row). */
int bl_store_query_int(struct bl_store *s, const char *sql, const struct bl_val *params,
                       size_t nparams, int64_t *out, struct bl_diag *d) BL_MUST_CHECK;

/* Bulk insert: the fast path for imports (prepared statement on SQLite, COPY in
 * chunks on PostgreSQL). Must be used inside a transaction. src_line is the input
 * line the row came from: if the store rejects a row (e.g. a unique key), the
 * error is BL_EEXISTS or BL_ECONFLICT with d->line = that row's src_line and a
 * message naming the table and key. Rows may be buffered until bl_inserter_flush
 * or bl_inserter_close; errors can therefore surface there. */
struct bl_inserter;
int bl_inserter_open(struct bl_store *s, const char *table, const char *const *cols,
                     size_t ncols, struct bl_inserter **out, struct bl_diag *d) BL_MUST_CHECK;
int bl_inserter_row(struct bl_inserter *ins, const struct bl_val *vals, int64_t src_line,
                    struct bl_diag *d) BL_MUST_CHECK;
int bl_inserter_flush(struct bl_inserter *ins, struct bl_diag *d) BL_MUST_CHECK;
/* Hands the rows given so far to the store without waiting for them: SQLite's writer
 * thread starts on them while the caller goes on (else it gets rows by batches of 2048);
 * PostgreSQL: nothing (its chunks go when full). Errors of those rows surface later, as
 * with bl_inserter_row. */
int bl_inserter_kick(struct bl_inserter *ins, struct bl_diag *d) BL_MUST_CHECK;
/* Flushes and frees. Always frees, even on error. */
int bl_inserter_close(struct bl_inserter *ins, struct bl_diag *d) BL_MUST_CHECK;
/* Ends ins after the caller's work came to rc: closes it (flushing) when rc is 0,
 * else discards it. Returns rc, or close's error. NULL ins: returns rc. */
int bl_inserter_end(struct bl_inserter *ins, int rc, struct bl_diag *d) BL_MUST_CHECK;
/* Frees without flushing (after an error; the caller rolls back).
 * Close or discard every inserter before bl_store_close(). */
void bl_inserter_discard(struct bl_inserter *ins);

/* Waits until every bulk row handed over so far has reached the store (the SQLite
 * backend inserts on a background thread, so errors otherwise surface later) and
 * returns the failure of one, if any: its code, with d->line = that row's src_line.
 * An importer calls this on its own error path, so that the error on the earliest
 * line is the one reported. 0 when nothing failed or nothing is pending. */
int bl_store_settle(struct bl_store *s, struct bl_diag *d) BL_MUST_CHECK;

/* The data generation (docs/internals/api.md, "Cached answers"): a counter per
 * organisation that goes up with every change to what cached answers are computed from
 * (orders, shops, disruptions, protections, stored assessments). bl_store_touch marks org
 * changed: inside a transaction the counter is bumped as its last statement, by commit
 * (once however often it was marked; a rollback forgets it), outside one at once. Taken
 * last, its row lock (PostgreSQL) is held only from there to the commit, and is never
 * waited for by a transaction that holds it. bl_store_data_gen reads it (0 for an
 * organisation never touched). */
int bl_store_touch(struct bl_store *s, int64_t org, struct bl_diag *d) BL_MUST_CHECK;
int bl_store_data_gen(struct bl_store *s, int64_t org, int64_t *gen,
                      struct bl_diag *d) BL_MUST_CHECK;

/* The one id allocator: reserves n consecutive ids of `table` for organisation org
 * (org 0 for the org table) and sets *first to the first of them (n 0: the next id, and
 * the sequence row locked to the end of the transaction). Ids are dense and
 * increasing per (org, table); call it inside the transaction that inserts the rows, so
 * that a rollback returns them (and concurrent writers wait for one another: PostgreSQL
 * locks the sequence row until commit, SQLite has one writer). The first call for a
 * (org, table) starts after the largest id the table holds (stores from before the
 * allocator). table is a plain identifier (lower-case letters and '_'), else BL_EINVAL. */
int bl_store_next_ids(struct bl_store *s, int64_t org, const char *table, int64_t n,
                      int64_t *first, struct bl_diag *d) BL_MUST_CHECK;

#endif
