/* store_impl.h - what a store backend implements (internal to src/store).
 *
 * store.c holds everything both backends share: URL dispatch, transaction state,
 * migrations, argument checks and the public row/inserter entry points. A backend
 * (store_sqlite.c, store_pg.c) fills a struct bl_store_ops and embeds the common
 * structs below as the FIRST member of its own structs, so a pointer to the
 * backend struct and to the common part are interchangeable:
 *
 *     struct sqlite_store { struct bl_store base; sqlite3 *db; ... };
 *
 * Ownership: a backend's open function allocates its store with bl_malloc and
 * ops->close frees it (and everything it owns). Inserters are allocated by
 * ops->ins_open and freed by ops->ins_free; they borrow their store, which must
 * outlive them (ins_free itself must not touch the store). Rows are borrowed
 * views valid during one callback.
 */
#ifndef BL_STORE_IMPL_H
#define BL_STORE_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/store.h"

struct bl_store_ops;

/* The common head of every backend's store. */
struct bl_store {
    const struct bl_store_ops *ops;
    char *url;      /* what it was opened with (bl_store_open_again), set by store.c */
    bool in_tx;     /* bl_store_begin succeeded and no commit/rollback since */
    bool tx_failed; /* a statement failed inside the open transaction */
    bool in_read;   /* bl_store_read_begin opened a read transaction, not ended since */
    int64_t touched[4]; /* organisations bl_store_touch marked in the open transaction */
    size_t ntouched;
    uint64_t statements; /* run through bl_store_exec and bl_store_query */
    struct bl_store_actor actor; /* who acts on this connection (bl_store_set_actor) */
    struct bl_store *side;       /* bl_store_side's connection, owned; NULL before */
};

/* The common head of every backend's row (on the caller's stack during a callback). */
struct bl_row {
    const struct bl_store_ops *ops;
};

/* The common head of every backend's inserter. */
struct bl_inserter {
    struct bl_store *s;
    const struct bl_store_ops *ops; /* so discard needs nothing from the store */
    size_t ncols;
    char table[64]; /* checked identifier */
};

struct bl_store_ops {
    const char *kind; /* "sqlite" or "postgres" */

    /* Frees the store; an open transaction was already rolled back by store.c. */
    void (*close)(struct bl_store *s);

    /* Runs one statement; see bl_store_exec. Params are already checked. */
    int (*exec)(struct bl_store *s, const char *sql, const struct bl_val *params, size_t nparams,
                int64_t *changes, struct bl_diag *d);
    /* Runs one statement calling fn per row; see bl_store_query. */
    int (*query)(struct bl_store *s, const char *sql, const struct bl_val *params, size_t nparams,
                 bl_row_fn fn, void *ctx, struct bl_diag *d);

    /* Transactions; store.c keeps s->in_tx. begin takes the write lock at once. */
    int (*begin)(struct bl_store *s, struct bl_diag *d);
    int (*commit)(struct bl_store *s, struct bl_diag *d);
    int (*rollback)(struct bl_store *s, struct bl_diag *d);
    /* Optional: a read transaction (bl_store_read_begin) and its end (never fails: an
     * end that cannot commit rolls back). NULL: reads run one statement at a time. */
    int (*read_begin)(struct bl_store *s, struct bl_diag *d);
    void (*read_end)(struct bl_store *s);
    /* Whether the database itself still has a transaction open (after errors). */
    bool (*tx_active)(struct bl_store *s);

    /* Called first inside each migration transaction: serialises migrators. */
    int (*migrate_lock)(struct bl_store *s, struct bl_diag *d);
    /* Whether a table of that name is visible (unqualified name). */
    int (*has_table)(struct bl_store *s, const char *name, bool *out, struct bl_diag *d);

    size_t (*row_ncols)(const struct bl_row *r);
    const char *(*row_colname)(const struct bl_row *r, size_t col);
    bool (*row_isnull)(const struct bl_row *r, size_t col);
    int64_t (*row_int)(const struct bl_row *r, size_t col);
    /* Optional: row_int, or if_null for NULL, in one step. */
    int64_t (*row_int_or)(const struct bl_row *r, size_t col, int64_t if_null);
    struct bl_str (*row_text)(const struct bl_row *r, size_t col);
    int (*row_blob)(const struct bl_row *r, size_t col, struct bl_str *out);

    /* Bulk insert. Names are checked identifiers; store.c fills the common head
     * (s, ncols, table) after ins_open returns. */
    int (*ins_open)(struct bl_store *s, const char *table, const char *const *cols, size_t ncols,
                    struct bl_inserter **out, struct bl_diag *d);
    int (*ins_row)(struct bl_inserter *ins, const struct bl_val *vals, int64_t src_line,
                   struct bl_diag *d);
    int (*ins_flush)(struct bl_inserter *ins, struct bl_diag *d);
    /* Optional: hands the pending rows over without waiting (bl_inserter_kick). */
    int (*ins_kick)(struct bl_inserter *ins, struct bl_diag *d);
    void (*ins_free)(struct bl_inserter *ins);

    /* Optional: waits for bulk rows handed to a background thread; see bl_store_settle. */
    int (*settle)(struct bl_store *s, struct bl_diag *d);

    /* Optional (SQLite's write-ahead log): see bl_store_wal_hook, bl_store_wal_checkpoint. */
    void (*wal_hook)(struct bl_store *s, bl_wal_fn fn, void *ctx);
    int (*wal_checkpoint)(struct bl_store *s, int64_t *log, int64_t *copied, struct bl_diag *d);
};

/* Backends. Each returns 0 and a store whose head is initialised, or an error
 * with a message naming the path or (password-free) URL. */
int bl__sqlite_open(struct bl_store **out, const char *path, struct bl_diag *d);
int bl__pg_open(struct bl_store **out, const char *url, struct bl_diag *d);

/* Records a database failure: sets d (code, message) and, inside a transaction,
 * marks the transaction failed so that only a rollback is accepted afterwards
 * (PostgreSQL's rule, applied to SQLite too). Returns code. */
int bl__store_fail(struct bl_store *s, struct bl_diag *d, int code, const char *fmt, ...)
    BL_PRINTF(4, 5);

/* A short one-line excerpt of an SQL text for messages (whitespace collapsed,
 * at most cap-1 bytes, "..." when cut). */
void bl__sql_excerpt(const char *sql, char *out, size_t cap);

/* Integer value of a column's text: a decimal integer, or a decimal number whose
 * fraction is dropped ("2.50" -> 2); anything else (or out of range) gives 0. */
int64_t bl__text_to_int(const char *p, size_t n);

/* A number a row reader could not give as an int64 (a PostgreSQL SUM past 2^63, a
 * SQLite REAL, a text): bl_row_int returned 0 for it and the reader records the first such
 * column here; the query then stops with BL_EOVERFLOW (bl__misfit_fail), never letting 0
 * stand for it. */
struct bl__misfit {
    bool set;
    char col[64];
    char text[48];
};
/* Whether text p[0..n) is a decimal number (sign, digits, an optional fraction) whose
 * integer part is past int64: what bl__text_to_int reads as 0 without saying so. */
bool bl__text_too_big(const char *p, size_t n);
/* Records the column's name and text (the first misfit of a query only). */
void bl__misfit_note(struct bl__misfit *m, const char *col, const char *text, size_t n);
/* BL_EOVERFLOW naming the column and its value; clears m. */
int bl__misfit_fail(struct bl__misfit *m, struct bl_diag *d);

#endif
