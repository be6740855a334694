/* store_sqlite.c - the SQLite backend (one file, WAL mode).
 *
 * Statements given to exec/query are prepared once and kept in a small cache keyed
 * by their text, so a query run in a loop is not re-prepared. Parameters are
 * SQLite named parameters "$1", "$2", ...; each is bound to params[k-1] by its
 * name, so the order of first appearance does not matter here. The bulk inserter
 * is one prepared INSERT reused for every row, run on a writer thread (writer.h)
 * so that the caller's parsing overlaps SQLite's work. Every other entry point
 * first waits for that thread (sync), so the connection is only ever used by one
 * thread at a time, and a failed bulk row is reported, with its source line, by
 * the next call that can report it.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ballast/alloc.h"
#include "ballast/num.h"
#include "store/store_impl.h"
#include "store/writer.h"

#define CACHE_SLOTS 32
#define BUSY_TIMEOUT_MS 5000
#define MULTI_ROWS 128 /* rows per bulk INSERT statement (at most the parameter limit allows) */
/* Page cache (KiB) of a connection, and while it bulk-inserts: pages of the append-
 * mostly tables are written once, so a small cache recycles its pages instead of
 * allocating new ones, spills them to the WAL on the writer's thread as it goes, and
 * leaves less to write in the COMMIT; memory stays the same whatever the file size. */
#define CACHE_KIB 65536
#define BULK_CACHE_KIB 16384
#define XSTR_(x) #x
#define XSTR(x) XSTR_(x)

struct cached {
    char *sql; /* owned copy of the statement text; NULL = free slot */
    size_t len;
    uint64_t hash;
    uint64_t used; /* tick of the last use, for LRU eviction */
    bool busy;     /* handed out (e.g. during a query callback) */
    sqlite3_stmt *st;
    /* which parameter each placeholder binds (k of $k), checked once: SQLite finds a
     * placeholder's name by a walk over all of them, so naming each on every call costs
     * a statement of 258 placeholders 33,000 steps */
    uint32_t *pmap;
    size_t npmap;
};

/* A bulk inserter's statements kept after it closed, for the next one into the same
 * table and columns: the 128-row statement's parse costs more than a small batch's rows
 * (an upload of 1,000 lines over HTTP opens five inserters). */
#define BULK_KEEP 8
struct bulk_kept {
    char *sql; /* the one-row statement's text: the key */
    sqlite3_stmt *one, *multi;
};

struct sqlite_store {
    struct bl_store base;
    struct bulk_kept kept[BULK_KEEP];
    sqlite3 *db;
    struct bl__misfit misfit; /* a number bl_row_int could not give, in the current query */
    struct bl__writer *writer; /* started by the first inserter; NULL before */
    bool bulk_cache;           /* cache_size is BULK_CACHE_KIB until the transaction ends */
    bl_wal_fn wal_fn;          /* bl_store_wal_hook's, or NULL (SQLite checkpoints itself) */
    void *wal_ctx;
    uint64_t tick;
    struct cached cache[CACHE_SLOTS];
};

struct sqlite_row {
    struct bl_row base;
    sqlite3_stmt *st;
    size_t ncols;
    struct sqlite_store *ss;
};

/* A statement of the bulk inserter with what its parameters are bound to: bindings
 * outlive sqlite3_reset, so an integer or NULL equal to the one already bound (the
 * org, the batch, absent times...) is not bound again. Text is always bound again: it
 * points into a batch, which is reused. */
struct bulk_stmt {
    sqlite3_stmt *st;
    struct bl_val *bound; /* one per parameter; kind BL_VAL_TEXT = must bind */
    size_t n;
};

struct sqlite_ins {
    struct bl_inserter base;
    char *sql; /* the one-row statement's text (the key its statements are kept by) */
    struct bulk_stmt one;   /* one row */
    struct bulk_stmt multi; /* MULTI_ROWS rows; st NULL when that needs too many parameters */
    struct sqlite_store *ss;
    struct bl__wqueue *q;
};

static const struct bl_store_ops sqlite_ops;
static int64_t sqlite_row_int(const struct bl_row *r, size_t col);

static struct sqlite_store *ss_of(struct bl_store *s)
{
    return (struct sqlite_store *)s;
}

/* SQLite result code (extended) -> enum bl_err. */
static int map_rc(int rc)
{
    if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        return BL_EEXISTS;
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return BL_ECONFLICT;
    if ((rc & 0xff) == SQLITE_NOMEM)
        return BL_ENOMEM;
    return BL_ESTORE;
}

/* Why the store at path cannot be written, as " (...)", or "" when it is not known. */
static void explain_readonly(const char *path, char *out, size_t cap)
{
    out[0] = '\0';
    if (access(path, W_OK) != 0) {
        snprintf(out, cap, " (%s)",
                 errno == EROFS ? "on a read-only file system"
                                : "its file is not writable by this user");
        return;
    }
    const char *slash = strrchr(path, '/');
    char dir[512] = ".";
    if (slash == path)
        dir[0] = '/';
    else if (slash && (size_t)(slash - path) < sizeof(dir)) {
        memcpy(dir, path, (size_t)(slash - path));
        dir[slash - path] = '\0';
    }
    if (access(dir, W_OK) != 0)
        snprintf(out, cap,
                 " (its directory %.100s is not writable, and SQLite keeps its write-ahead "
                 "log beside the file)",
                 dir);
}

/* A write refused because the file or its directory is read-only: the store's path (as the
 * diag's file, so that no input file is named instead), why, and that nothing was written;
 * not the statement, which tells a person nothing. With d NULL, the words go to msg. */
static int fail_readonly(struct sqlite_store *ss, struct bl_diag *d, char *msg, size_t cap)
{
    const char *path = sqlite3_db_filename(ss->db, "main");
    char why[256];
    explain_readonly(path && *path ? path : ".", why, sizeof(why));
    if (d) {
        bl_diag_clear(d);
        bl_diag_at(d, path && *path ? path : "(in memory)", 0, NULL);
        return bl__store_fail(&ss->base, d, BL_ESTORE,
                              "the store is read-only%s: nothing was written; give this user "
                              "write access to the file and its directory, or copy the store "
                              "somewhere writable",
                              why);
    }
    snprintf(msg, cap, "the store %.150s is read-only%.200s: nothing was written", path, why);
    return BL_ESTORE;
}

static int fail_db(struct sqlite_store *ss, int rc, struct bl_diag *d, const char *what,
                   const char *sql)
{
    if ((rc & 0xff) == SQLITE_READONLY)
        return fail_readonly(ss, d, NULL, 0);
    char ex[80] = "";
    if (sql)
        bl__sql_excerpt(sql, ex, sizeof(ex));
    return bl__store_fail(&ss->base, d, map_rc(rc), "%s%s%s%s: %s", what, sql ? " \"" : "", ex,
                          sql ? "\"" : "", sqlite3_errmsg(ss->db));
}

/* ---- open, close ------------------------------------------------------------------- */

/* Why a path cannot be opened, when the reason is the directory. */
/* Waits for the writer thread. A failed bulk row is reported in d (with its
 * source line) when report is set, and the store's transaction marked failed. */
static int sync_writer(struct sqlite_store *ss, bool report, struct bl_diag *d)
{
    if (!ss->writer)
        return BL_OK;
    struct bl__wfail f;
    if (!bl__writer_wait(ss->writer, &f) || !report)
        return BL_OK;
    if (d)
        bl_diag_at(d, NULL, f.line, NULL);
    return bl__store_fail(&ss->base, d, f.code, "%s", f.msg);
}

static void explain_dir(const char *path, char *out, size_t cap)
{
    out[0] = '\0';
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path)
        return;
    char dir[512];
    size_t n = (size_t)(slash - path);
    if (n >= sizeof(dir))
        return;
    memcpy(dir, path, n);
    dir[n] = '\0';
    struct stat st;
    if (stat(dir, &st) != 0)
        snprintf(out, cap, " (directory '%s': %s)", dir, strerror(errno));
    else if (!S_ISDIR(st.st_mode))
        snprintf(out, cap, " ('%s' is not a directory)", dir);
}

/* Process-wide, before SQLite's first use: without memory statistics (which nothing
 * reads) sqlite3_malloc takes no global mutex. */
static void sqlite_global_init(void)
{
    if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK) {
        /* SQLite was already initialised by someone else: statistics stay on */
    }
}

int bl__sqlite_open(struct bl_store **out, const char *path, struct bl_diag *d)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    if (pthread_once(&once, sqlite_global_init)) {
        /* cannot fail once initialised; only slower without it */
    }
    struct sqlite_store *ss = bl_calloc(1, sizeof(*ss));
    if (!ss)
        return bl_diag_set(d, BL_ENOMEM, "cannot open SQLite database '%s': out of memory", path);
    ss->base.ops = &sqlite_ops;
    int rc = sqlite3_open_v2(
        path, &ss->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        char why[600];
        explain_dir(path, why, sizeof(why));
        int code = rc == SQLITE_NOMEM ? BL_ENOMEM : BL_ESTORE;
        bl_diag_set(d, code, "cannot open SQLite database '%s': %s%s", path,
                    ss->db ? sqlite3_errmsg(ss->db) : sqlite3_errstr(rc), why);
        sqlite3_close(ss->db);
        bl_free(ss);
        return code;
    }
    sqlite3_extended_result_codes(ss->db, 1);
    sqlite3_busy_timeout(ss->db, BUSY_TIMEOUT_MS);
    /* The first statement reads the file: a file that is not a database fails here.
     * Switching a new file to WAL needs an exclusive lock and does not wait through
     * the busy handler, so when several connections open a new file at once, the
     * losers retry for up to the busy timeout. */
    for (int tries = 0;; tries++) {
        rc = sqlite3_exec(ss->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
        if ((rc & 0xff) != SQLITE_BUSY || tries >= BUSY_TIMEOUT_MS / 10)
            break;
        sqlite3_sleep(10);
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(ss->db,
                          "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=OFF;"
                          " PRAGMA cache_size=-" XSTR(CACHE_KIB) "; PRAGMA temp_store=MEMORY",
                          NULL, NULL, NULL);
    if ((rc & 0xff) == SQLITE_READONLY) {
        char why[512];
        explain_readonly(path, why, sizeof(why));
        bl_diag_clear(d);
        bl_diag_at(d, path, 0, NULL);
        bl_diag_set(d, BL_ESTORE,
                    "the store is read-only%s: ballast needs to write to it, even to read it; "
                    "give this user write access to the file and its directory, or copy the "
                    "store somewhere writable",
                    why);
        sqlite3_close(ss->db);
        bl_free(ss);
        return BL_ESTORE;
    }
    if (rc != SQLITE_OK) {
        int code = map_rc(rc);
        bl_diag_set(d, code, "cannot open SQLite database '%s': %s", path, sqlite3_errmsg(ss->db));
        sqlite3_close(ss->db);
        bl_free(ss);
        return code;
    }
    *out = &ss->base;
    return BL_OK;
}

static void sqlite_close(struct bl_store *s)
{
    struct sqlite_store *ss = ss_of(s);
    bl__writer_stop(ss->writer);
    for (size_t i = 0; i < BULK_KEEP; i++) {
        sqlite3_finalize(ss->kept[i].one);
        sqlite3_finalize(ss->kept[i].multi);
        bl_free(ss->kept[i].sql);
    }
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        sqlite3_finalize(ss->cache[i].st);
        bl_free(ss->cache[i].sql);
        bl_free(ss->cache[i].pmap);
    }
    sqlite3_close_v2(ss->db);
    bl_free(ss);
}

/* ---- statement cache --------------------------------------------------------------- */

static uint64_t fnv1a(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* Prepares sql (one statement only). */
static int prepare(struct sqlite_store *ss, const char *sql, size_t len, unsigned flags,
                   sqlite3_stmt **out, struct bl_diag *d)
{
    if (len >= INT_MAX)
        return bl__store_fail(&ss->base, d, BL_ETOOBIG, "SQL text of %zu bytes is too long", len);
    const char *tail = NULL;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(ss->db, sql, (int)len, flags, &st, &tail);
    if (rc != SQLITE_OK)
        return fail_db(ss, rc, d, "preparing", sql);
    if (!st)
        return bl__store_fail(&ss->base, d, BL_EINVAL, "no SQL statement in \"%.60s\"", sql);
    while (tail &&
           (*tail == ' ' || *tail == '\n' || *tail == '\t' || *tail == '\r' || *tail == ';'))
        tail++;
    if (tail && *tail) {
        /* Maybe only a comment follows; anything else is a second statement. */
        sqlite3_stmt *more = NULL;
        rc = sqlite3_prepare_v2(ss->db, tail, -1, &more, NULL);
        sqlite3_finalize(more);
        if (rc != SQLITE_OK || more) {
            sqlite3_finalize(st);
            char ex[80];
            bl__sql_excerpt(sql, ex, sizeof(ex));
            return bl__store_fail(&ss->base, d, BL_ESTORE,
                                  "\"%s\" holds more than one statement; run them one by one", ex);
        }
    }
    *out = st;
    return BL_OK;
}

/* Hands out a prepared statement for sql and the cache slot holding it (NULL when
 * the statement is not cached and must be finalized after use). */
static int stmt_get(struct sqlite_store *ss, const char *sql, sqlite3_stmt **st,
                    struct cached **slot, struct bl_diag *d)
{
    size_t len = strlen(sql);
    uint64_t h = fnv1a(sql, len);
    struct cached *victim = NULL;
    bool in_use = false;
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        struct cached *c = &ss->cache[i];
        if (c->sql && c->hash == h && c->len == len && memcmp(c->sql, sql, len) == 0) {
            if (c->busy) {
                in_use = true; /* nested use of the same SQL: prepare a second copy */
                break;
            }
            c->busy = true;
            c->used = ++ss->tick;
            *st = c->st;
            *slot = c;
            return BL_OK;
        }
        if (!c->busy && (!victim || (victim->sql && (!c->sql || c->used < victim->used))))
            victim = c;
    }
    *slot = NULL;
    int rc = prepare(ss, sql, len, in_use ? 0 : SQLITE_PREPARE_PERSISTENT, st, d);
    if (rc != BL_OK || in_use || !victim)
        return rc;
    char *copy = bl_malloc(len + 1);
    if (!copy)
        return BL_OK; /* works uncached */
    memcpy(copy, sql, len + 1);
    sqlite3_finalize(victim->st);
    bl_free(victim->sql);
    bl_free(victim->pmap);
    *victim = (struct cached){copy, len, h, ++ss->tick, true, *st, NULL, 0};
    *slot = victim;
    return BL_OK;
}

static void stmt_put(sqlite3_stmt *st, struct cached *slot)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (slot)
        slot->busy = false;
    else
        sqlite3_finalize(st);
}

static int bind_val(sqlite3_stmt *st, int idx, const struct bl_val *v)
{
    switch (v->kind) {
    case BL_VAL_INT:
        return sqlite3_bind_int64(st, idx, v->i);
    case BL_VAL_TEXT:
        if (v->s.len > INT_MAX)
            return SQLITE_TOOBIG;
        return sqlite3_bind_text(st, idx, v->s.len ? v->s.ptr : "", (int)v->s.len, SQLITE_STATIC);
    case BL_VAL_BLOB:
        if (v->s.len > INT_MAX)
            return SQLITE_TOOBIG;
        return sqlite3_bind_blob(st, idx, v->s.ptr, (int)v->s.len, SQLITE_STATIC);
    case BL_VAL_NULL:
    case BL_VAL_NUM: /* refused before it gets here (store.c) */
        break;
    }
    return sqlite3_bind_null(st, idx);
}

/* Binds each placeholder $k to params[k-1]; all of params must be used, as
 * PostgreSQL demands. */
static int bind_params(struct sqlite_store *ss, sqlite3_stmt *st, struct cached *slot,
                       const char *sql, const struct bl_val *params, size_t nparams,
                       struct bl_diag *d)
{
    int count = sqlite3_bind_parameter_count(st);
    if (slot && slot->pmap && slot->npmap == nparams) { /* checked before, with this many */
        for (int i = 1; i <= count; i++) {
            int rc = bind_val(st, i, &params[slot->pmap[i - 1] - 1]);
            if (rc != SQLITE_OK)
                return fail_db(ss, rc, d, "binding parameters of", sql);
        }
        return BL_OK;
    }
    uint32_t *map = slot && count > 0 ? bl_malloc((size_t)count * sizeof(uint32_t)) : NULL;
    size_t maxk = 0;
    char ex[80];
    for (int i = 1; i <= count; i++) {
        const char *name = sqlite3_bind_parameter_name(st, i);
        size_t k = 0;
        if (!name) {
            k = (size_t)i;
        } else if (name[0] == '$' || name[0] == '?') {
            for (const char *p = name + 1; *p; p++) {
                if (*p < '0' || *p > '9' || k > 100000) {
                    k = 0;
                    break;
                }
                k = k * 10 + (size_t)(*p - '0');
            }
        }
        if (k == 0) {
            bl_free(map);
            bl__sql_excerpt(sql, ex, sizeof(ex));
            return bl__store_fail(&ss->base, d, BL_ESTORE,
                                  "\"%s\": placeholder %s is not of the form $1, $2, ...", ex,
                                  name);
        }
        if (k > nparams) {
            bl_free(map);
            bl__sql_excerpt(sql, ex, sizeof(ex));
            return bl__store_fail(&ss->base, d, BL_ESTORE,
                                  "\"%s\" uses $%zu but %zu parameters were given", ex, k, nparams);
        }
        int rc = bind_val(st, i, &params[k - 1]);
        if (rc != SQLITE_OK) {
            bl_free(map);
            return fail_db(ss, rc, d, "binding parameters of", sql);
        }
        if (map)
            map[i - 1] = (uint32_t)k;
        if (k > maxk)
            maxk = k;
    }
    if (maxk != nparams) {
        bl_free(map);
        bl__sql_excerpt(sql, ex, sizeof(ex));
        return bl__store_fail(&ss->base, d, BL_ESTORE,
                              "%zu parameters were given but \"%s\" uses %zu", nparams, ex, maxk);
    }
    if (map) { /* the statement is the slot's until evicted */
        bl_free(slot->pmap);
        slot->pmap = map;
        slot->npmap = nparams;
    }
    return BL_OK;
}

/* ---- statements -------------------------------------------------------------------- */

static int sqlite_exec(struct bl_store *s, const char *sql, const struct bl_val *params,
                       size_t nparams, int64_t *changes, struct bl_diag *d)
{
    struct sqlite_store *ss = ss_of(s);
    sqlite3_stmt *st;
    struct cached *slot;
    int rc = sync_writer(ss, true, d);
    if (rc != BL_OK)
        return rc;
    rc = stmt_get(ss, sql, &st, &slot, d);
    if (rc != BL_OK)
        return rc;
    rc = bind_params(ss, st, slot, sql, params, nparams, d);
    if (rc == BL_OK) {
        sqlite3_int64 before = sqlite3_total_changes64(ss->db);
        int src;
        while ((src = sqlite3_step(st)) == SQLITE_ROW)
            ;
        if (src != SQLITE_DONE)
            rc = fail_db(ss, src, d, "running", sql);
        else
            *changes = sqlite3_total_changes64(ss->db) - before;
    }
    stmt_put(st, slot);
    return rc;
}

static int sqlite_query(struct bl_store *s, const char *sql, const struct bl_val *params,
                        size_t nparams, bl_row_fn fn, void *ctx, struct bl_diag *d)
{
    struct sqlite_store *ss = ss_of(s);
    sqlite3_stmt *st;
    struct cached *slot;
    int rc = sync_writer(ss, true, d);
    if (rc != BL_OK)
        return rc;
    rc = stmt_get(ss, sql, &st, &slot, d);
    if (rc != BL_OK)
        return rc;
    rc = bind_params(ss, st, slot, sql, params, nparams, d);
    if (rc == BL_OK) {
        struct sqlite_row row = {{&sqlite_ops}, st, (size_t)sqlite3_column_count(st), ss};
        int src;
        ss->misfit.set = false;
        while ((src = sqlite3_step(st)) == SQLITE_ROW) {
            rc = fn(ctx, &row.base);
            if (ss->misfit.set)
                rc = bl__misfit_fail(&ss->misfit, d);
            if (rc != 0)
                break;
        }
        if (rc == 0 && src != SQLITE_DONE)
            rc = fail_db(ss, src, d, "querying", sql);
    }
    stmt_put(st, slot);
    return rc;
}

/* ---- transactions ------------------------------------------------------------------ */

static int run_simple(struct sqlite_store *ss, const char *sql, const char *what, struct bl_diag *d)
{
    int rc = sqlite3_exec(ss->db, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return fail_db(ss, rc, d, what, NULL);
    return BL_OK;
}

/* Forgets a bulk-insert failure: the transaction it spoilt is gone. */
static void clear_writer(struct sqlite_store *ss)
{
    if (ss->writer)
        bl__writer_clear(ss->writer);
}

/* Back to the normal page cache once the bulk insert's transaction is over. */
static void end_bulk_cache(struct sqlite_store *ss)
{
    if (!ss->bulk_cache)
        return;
    ss->bulk_cache = false;
    if (sqlite3_exec(ss->db, "PRAGMA cache_size=-" XSTR(CACHE_KIB), NULL, NULL, NULL)) {
        /* keeps the smaller cache: only slower */
    }
}

static int sqlite_begin(struct bl_store *s, struct bl_diag *d)
{
    struct sqlite_store *ss = ss_of(s);
    clear_writer(ss);
    return run_simple(ss, "BEGIN IMMEDIATE", "beginning a transaction", d);
}

static int sqlite_commit(struct bl_store *s, struct bl_diag *d)
{
    struct sqlite_store *ss = ss_of(s);
    int rc = sync_writer(ss, true, d);
    rc = rc ? rc : run_simple(ss, "COMMIT", "committing", d);
    if (!rc)
        end_bulk_cache(ss);
    return rc;
}

static int sqlite_rollback(struct bl_store *s, struct bl_diag *d)
{
    struct sqlite_store *ss = ss_of(s);
    clear_writer(ss);
    int rc = BL_OK;
    if (!sqlite3_get_autocommit(ss->db)) /* else SQLite already rolled back (SQLITE_FULL) */
        rc = run_simple(ss, "ROLLBACK", "rolling back", d);
    end_bulk_cache(ss);
    return rc;
}

/* A deferred BEGIN: the read lock and the WAL snapshot are taken by the first SELECT and
 * kept to the end, so the reads after it neither lock nor check the file again. */
static int sqlite_read_begin(struct bl_store *s, struct bl_diag *d)
{
    int64_t n;
    return sqlite_exec(s, "BEGIN", NULL, 0, &n, d); /* prepared once, kept in the cache */
}

static void sqlite_read_end(struct bl_store *s)
{
    struct sqlite_store *ss = ss_of(s);
    int64_t n;
    if (sqlite3_get_autocommit(ss->db)) /* SQLite ended it already (an error) */
        return;
    if (sqlite_exec(s, "COMMIT", NULL, 0, &n, NULL) != BL_OK)
        (void)sqlite3_exec(ss->db, "ROLLBACK", NULL, NULL, NULL);
}

static bool sqlite_tx_active(struct bl_store *s)
{
    struct sqlite_store *ss = ss_of(s);
    if (sync_writer(ss, false, NULL)) {
        /* not reported here */
    }
    return !sqlite3_get_autocommit(ss->db);
}

static int sqlite_settle(struct bl_store *s, struct bl_diag *d)
{
    return sync_writer(ss_of(s), true, d);
}

static int sqlite_migrate_lock(struct bl_store *s, struct bl_diag *d)
{
    (void)s;
    (void)d;
    return BL_OK; /* BEGIN IMMEDIATE already holds the database's write lock */
}

static int sqlite_has_table(struct bl_store *s, const char *name, bool *out, struct bl_diag *d)
{
    struct bl_val v = bl_val_text(bl_str_c(name));
    int64_t n = 0;
    int rc = bl_store_query_int(s,
                                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
                                " AND name = $1",
                                &v, 1, &n, d);
    *out = n > 0;
    return rc;
}

/* ---- rows -------------------------------------------------------------------------- */

static const struct sqlite_row *row_of(const struct bl_row *r)
{
    return (const struct sqlite_row *)r;
}

static size_t sqlite_row_ncols(const struct bl_row *r)
{
    return row_of(r)->ncols;
}

static const char *sqlite_row_colname(const struct bl_row *r, size_t col)
{
    const char *n = sqlite3_column_name(row_of(r)->st, (int)col);
    return n ? n : "";
}

static bool sqlite_row_isnull(const struct bl_row *r, size_t col)
{
    return sqlite3_column_type(row_of(r)->st, (int)col) == SQLITE_NULL;
}

static int64_t sqlite_row_int_or(const struct bl_row *r, size_t col, int64_t if_null)
{
    sqlite3_stmt *st = row_of(r)->st;
    switch (sqlite3_column_type(st, (int)col)) {
    case SQLITE_INTEGER:
        return sqlite3_column_int64(st, (int)col);
    case SQLITE_NULL:
        return if_null;
    default:
        break;
    }
    return sqlite_row_int(r, col);
}

static int64_t sqlite_row_int(const struct bl_row *r, size_t col)
{
    sqlite3_stmt *st = row_of(r)->st;
    switch (sqlite3_column_type(st, (int)col)) {
    case SQLITE_INTEGER:
        return sqlite3_column_int64(st, (int)col);
    case SQLITE_FLOAT: {
        int64_t x;
        if (bl_f64_to_i64(sqlite3_column_double(st, (int)col), &x))
            return x;
        const char *t = (const char *)sqlite3_column_text(st, (int)col);
        bl__misfit_note(&row_of(r)->ss->misfit, sqlite3_column_name(st, (int)col), t ? t : "?",
                        t ? strlen(t) : 1);
        return 0;
    }
    case SQLITE_TEXT: {
        const char *t = (const char *)sqlite3_column_text(st, (int)col);
        size_t n = (size_t)sqlite3_column_bytes(st, (int)col);
        int64_t x = t ? bl__text_to_int(t, n) : 0;
        if (x == 0 && t && bl__text_too_big(t, n))
            bl__misfit_note(&row_of(r)->ss->misfit, sqlite3_column_name(st, (int)col), t, n);
        return x;
    }
    default:
        return 0;
    }
}

static struct bl_str sqlite_row_text(const struct bl_row *r, size_t col)
{
    sqlite3_stmt *st = row_of(r)->st;
    const char *t = (const char *)sqlite3_column_text(st, (int)col);
    int n = sqlite3_column_bytes(st, (int)col);
    if (!t)
        return (struct bl_str){"", 0};
    return (struct bl_str){t, (size_t)n};
}

static int sqlite_row_blob(const struct bl_row *r, size_t col, struct bl_str *out)
{
    sqlite3_stmt *st = row_of(r)->st;
    const void *p = sqlite3_column_blob(st, (int)col);
    int n = sqlite3_column_bytes(st, (int)col);
    if (!p && n > 0)
        return BL_ENOMEM;
    *out = (struct bl_str){p ? (const char *)p : "", p ? (size_t)n : 0};
    return BL_OK;
}

/* ---- bulk insert ------------------------------------------------------------------- */

/* Binds b->n values to b->st, skipping those already bound, and steps it once; the
 * statement is reset either way. */
static int step_once(struct bulk_stmt *b, const struct bl_val *vals)
{
    int rc = SQLITE_OK;
    for (size_t i = 0; i < b->n && rc == SQLITE_OK; i++) {
        const struct bl_val *v = &vals[i];
        struct bl_val *was = &b->bound[i];
        if (v->kind == was->kind &&
            (v->kind == BL_VAL_NULL || (v->kind == BL_VAL_INT && v->i == was->i)))
            continue;
        rc = bind_val(b->st, (int)i + 1, v);
        was->kind = rc == SQLITE_OK ? v->kind : BL_VAL_TEXT;
        was->i = v->i;
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_step(b->st);
    sqlite3_reset(b->st);
    return rc;
}

static void bulk_release(struct bulk_stmt *b)
{
    sqlite3_finalize(b->st);
    bl_free(b->bound);
    b->st = NULL;
    b->bound = NULL;
}

/* The kept statements of an inserter whose one-row SQL is sql: true with *one and
 * *multi (their slot emptied), false when none are kept. */
static bool bulk_take(struct sqlite_store *ss, const char *sql, sqlite3_stmt **one,
                      sqlite3_stmt **multi)
{
    for (size_t i = 0; i < BULK_KEEP; i++) {
        struct bulk_kept *k = &ss->kept[i];
        if (k->sql && strcmp(k->sql, sql) == 0) {
            *one = k->one;
            *multi = k->multi;
            bl_free(k->sql);
            *k = (struct bulk_kept){0};
            return true;
        }
    }
    return false;
}

/* Keeps a closed inserter's statements (taking sql): false when every slot is taken. */
static bool bulk_keep(struct sqlite_store *ss, char *sql, sqlite3_stmt *one, sqlite3_stmt *multi)
{
    for (size_t i = 0; i < BULK_KEEP; i++) {
        struct bulk_kept *k = &ss->kept[i];
        if (k->sql)
            continue;
        sqlite3_reset(one);
        sqlite3_clear_bindings(one);
        if (multi) {
            sqlite3_reset(multi);
            sqlite3_clear_bindings(multi);
        }
        *k = (struct bulk_kept){sql, one, multi};
        return true;
    }
    return false;
}

/* Takes st (NULL: none) into b; nothing is bound yet. */
static int bulk_init(struct bulk_stmt *b, sqlite3_stmt *st, size_t n)
{
    b->st = st;
    b->n = n;
    b->bound = NULL;
    if (!st)
        return BL_OK;
    b->bound = bl_calloc(n, sizeof(*b->bound));
    if (!b->bound)
        return BL_ENOMEM;
    for (size_t i = 0; i < n; i++)
        b->bound[i].kind = BL_VAL_TEXT;
    return BL_OK;
}

static int ins_failed(struct sqlite_store *ss, struct sqlite_ins *ins, int rc, int64_t line,
                      struct bl__wfail *f)
{
    f->code = map_rc(rc);
    f->line = line;
    if ((rc & 0xff) == SQLITE_READONLY) {
        f->line = 0;
        fail_readonly(ss, NULL, f->msg, sizeof(f->msg));
        return f->code;
    }
    snprintf(f->msg, sizeof(f->msg), "inserting into %s: %s", ins->base.table,
             sqlite3_errmsg(ss->db));
    return f->code;
}

/* Runs a batch of bulk rows on the writer's thread: MULTI_ROWS rows per statement
 * while there are that many, then one by one.
 *
 * The multi-row statement is INSERT OR FAIL: a constraint failure stops it but keeps
 * the rows it inserted before the offending one (sqlite3_changes counts them), and
 * the rest are then tried one by one, so the first failing row is reported with its
 * line. A failed bulk row fails the whole transaction anyway (callers roll back), so
 * the kept rows never outlive it. With the default ABORT, SQLite must be able to undo
 * one statement alone: it opens a statement journal for each multi-row statement and
 * copies there every page the statement touches (before: a quarter of the writer's
 * time went to those copies and their 1 KiB allocations). */
static int ins_run(void *ctx, void *target, const struct bl_val *vals, size_t nrows,
                   size_t ncols, const int64_t *lines, struct bl__wfail *f)
{
    struct sqlite_store *ss = ctx;
    struct sqlite_ins *ins = target;
    size_t i = 0;
    while (i < nrows) {
        size_t k = 1;
        int rc = SQLITE_DONE;
        if (ins->multi.st && nrows - i >= MULTI_ROWS) {
            k = MULTI_ROWS;
            rc = step_once(&ins->multi, vals + i * ncols);
            if (rc != SQLITE_DONE && (rc & 0xff) != SQLITE_CONSTRAINT)
                return ins_failed(ss, ins, rc, lines[i], f);
            if (rc != SQLITE_DONE) {
                sqlite3_int64 kept = sqlite3_changes64(ss->db);
                if (kept > 0 && (size_t)kept < k) {
                    i += (size_t)kept;
                    k -= (size_t)kept;
                }
            }
        }
        if (k == 1 || rc != SQLITE_DONE) {
            for (size_t j = i; j < i + k; j++) {
                rc = step_once(&ins->one, vals + j * ncols);
                if (rc != SQLITE_DONE)
                    return ins_failed(ss, ins, rc, lines[j], f);
            }
        }
        i += k;
    }
    return BL_OK;
}

/* "INSERT INTO table (cols) VALUES (?, ...), ..." for rows rows; "INSERT OR FAIL" for
 * more than one row (see ins_run). Plain "?" (numbered left to right, as the rows are
 * bound): SQLite looks numbered "?NNN" up in a list, quadratic in their count, and the
 * 128-row statement's parse was most of a small bulk insert. */
static int insert_sql(struct bl_buf *sql, const char *table, const char *const *cols,
                      size_t ncols, size_t rows)
{
    int rc = bl_buf_addf(sql, "INSERT%s INTO %s (", rows > 1 ? " OR FAIL" : "", table);
    for (size_t i = 0; i < ncols && rc == BL_OK; i++)
        rc = bl_buf_addf(sql, "%s%s", i ? ", " : "", cols[i]);
    rc = rc ? rc : bl_buf_adds(sql, BL_STR(") VALUES "));
    for (size_t r = 0; r < rows && rc == BL_OK; r++) {
        rc = bl_buf_adds(sql, r ? BL_STR(", (") : BL_STR("("));
        for (size_t i = 0; i < ncols && rc == BL_OK; i++)
            rc = bl_buf_adds(sql, i ? BL_STR(", ?") : BL_STR("?"));
        rc = rc ? rc : bl_buf_addc(sql, ')');
    }
    return rc;
}

static int sqlite_ins_open(struct bl_store *s, const char *table, const char *const *cols,
                           size_t ncols, struct bl_inserter **out, struct bl_diag *d)
{
    struct sqlite_store *ss = ss_of(s);
    int rc = sync_writer(ss, true, d);
    if (rc != BL_OK)
        return rc;
    if (!ss->writer && (rc = bl__writer_start(&ss->writer, ins_run, ss)) != BL_OK)
        return bl_diag_set(d, rc, "bulk insert into %s: cannot start the writer thread: %s",
                           table, bl_strerror(rc));
    if (!ss->bulk_cache && !sqlite3_get_autocommit(ss->db) &&
        sqlite3_exec(ss->db, "PRAGMA cache_size=-" XSTR(BULK_CACHE_KIB), NULL, NULL,
                     NULL) == SQLITE_OK)
        ss->bulk_cache = true;
    struct bl_buf sql = BL_BUF_INIT;
    sqlite3_stmt *st = NULL, *multi = NULL;
    rc = insert_sql(&sql, table, cols, ncols, 1);
    char *key = rc == BL_OK ? bl_malloc(sql.len + 1) : NULL;
    if (key)
        memcpy(key, bl_buf_cstr(&sql), sql.len + 1);
    bool kept = key && bulk_take(ss, key, &st, &multi);
    if (rc == BL_OK && !kept)
        rc = prepare(ss, bl_buf_cstr(&sql), sql.len, SQLITE_PREPARE_PERSISTENT, &st, d);
    bl_buf_reset(&sql);
    int maxvars = sqlite3_limit(ss->db, SQLITE_LIMIT_VARIABLE_NUMBER, -1);
    if (rc == BL_OK && !kept && maxvars > 0 && ncols * MULTI_ROWS <= (size_t)maxvars) {
        rc = insert_sql(&sql, table, cols, ncols, MULTI_ROWS);
        if (rc == BL_OK)
            rc = prepare(ss, bl_buf_cstr(&sql), sql.len, SQLITE_PREPARE_PERSISTENT, &multi, d);
    }
    bl_buf_release(&sql);
    if (rc != BL_OK) {
        sqlite3_finalize(st);
        sqlite3_finalize(multi);
        bl_free(key);
        if (rc == BL_ENOMEM && d && !d->code)
            bl_diag_set(d, rc, "bulk insert into %s: %s", table, bl_strerror(rc));
        return rc;
    }
    struct sqlite_ins *ins = bl_calloc(1, sizeof(*ins));
    if (!ins) {
        sqlite3_finalize(st);
        sqlite3_finalize(multi);
        bl_free(key);
        return bl_diag_set(d, BL_ENOMEM, "bulk insert into %s: out of memory", table);
    }
    ins->sql = key;
    rc = bulk_init(&ins->one, st, ncols);
    rc = rc ? rc : bulk_init(&ins->multi, multi, ncols * MULTI_ROWS);
    if (!rc)
        rc = bl__wqueue_open(ss->writer, ins, ncols, &ins->q);
    if (rc != BL_OK) {
        if (!ins->one.st)
            sqlite3_finalize(st);
        if (!ins->multi.st)
            sqlite3_finalize(multi);
        bulk_release(&ins->one);
        bulk_release(&ins->multi);
        bl_free(ins->sql);
        bl_free(ins);
        return bl_diag_set(d, BL_ENOMEM, "bulk insert into %s: out of memory", table);
    }
    /* ins_run reads base.table, which store.c fills after we return, before any row. */
    ins->ss = ss;
    *out = &ins->base;
    return BL_OK;
}

static int sqlite_ins_row(struct bl_inserter *base, const struct bl_val *vals, int64_t src_line,
                          struct bl_diag *d)
{
    struct sqlite_ins *ins = (struct sqlite_ins *)base;
    int rc = bl__wqueue_add(ins->q, vals, src_line);
    if (rc == BL_OK)
        return BL_OK;
    if (bl__writer_failed(ins->ss->writer))
        return sync_writer(ins->ss, true, d);
    if (d)
        d->line = src_line;
    return bl__store_fail(&ins->ss->base, d, rc, "inserting into %s: %s", base->table,
                          bl_strerror(rc));
}

static int sqlite_ins_flush(struct bl_inserter *base, struct bl_diag *d)
{
    struct sqlite_ins *ins = (struct sqlite_ins *)base;
    return sync_writer(ins->ss, true, d);
}

static int sqlite_ins_kick(struct bl_inserter *base, struct bl_diag *d)
{
    struct sqlite_ins *ins = (struct sqlite_ins *)base;
    int rc = bl__wqueue_submit(ins->q);
    if (rc == BL_OK)
        return BL_OK;
    int why = sync_writer(ins->ss, true, d); /* the writer failed: its row's error */
    return why ? why
               : bl__store_fail(&ins->ss->base, d, rc, "inserting into %s: %s", base->table,
                                bl_strerror(rc));
}

static void sqlite_ins_free(struct bl_inserter *base)
{
    struct sqlite_ins *ins = (struct sqlite_ins *)base;
    bl__wqueue_close(ins->q); /* waits until the writer is done with the statements */
    if (ins->sql && ins->one.st && bulk_keep(ins->ss, ins->sql, ins->one.st, ins->multi.st)) {
        ins->sql = NULL;
        ins->one.st = ins->multi.st = NULL;
    }
    bulk_release(&ins->one);
    bulk_release(&ins->multi);
    bl_free(ins->sql);
    bl_free(ins);
}

/* ---- the write-ahead log's checkpoints (bl_store_wal_hook) ---- */

static int wal_committed(void *ctx, sqlite3 *db, const char *name, int frames)
{
    (void)db;
    (void)name;
    struct sqlite_store *ss = ctx;
    ss->wal_fn(ss->wal_ctx, frames);
    return SQLITE_OK;
}

static void sqlite_wal_hook(struct bl_store *s, bl_wal_fn fn, void *ctx)
{
    struct sqlite_store *ss = ss_of(s);
    ss->wal_fn = fn;
    ss->wal_ctx = ctx;
    if (fn)
        sqlite3_wal_hook(ss->db, wal_committed, ss);
    else
        sqlite3_wal_autocheckpoint(ss->db, 1000); /* SQLite's default */
}

static int sqlite_wal_checkpoint(struct bl_store *s, int64_t *log, int64_t *copied,
                                 struct bl_diag *d)
{
    int nlog = 0, ncopied = 0;
    int rc = sqlite3_wal_checkpoint_v2(ss_of(s)->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &nlog,
                                       &ncopied);
    if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY)
        return bl__store_fail(s, d, map_rc(rc), "cannot checkpoint the write-ahead log: %s",
                              sqlite3_errmsg(ss_of(s)->db));
    *log = nlog > 0 ? nlog : 0;
    *copied = ncopied > 0 ? ncopied : 0;
    return BL_OK;
}

static const struct bl_store_ops sqlite_ops = {
    .kind = "sqlite",
    .wal_hook = sqlite_wal_hook,
    .wal_checkpoint = sqlite_wal_checkpoint,
    .close = sqlite_close,
    .exec = sqlite_exec,
    .query = sqlite_query,
    .begin = sqlite_begin,
    .commit = sqlite_commit,
    .rollback = sqlite_rollback,
    .read_begin = sqlite_read_begin,
    .read_end = sqlite_read_end,
    .tx_active = sqlite_tx_active,
    .migrate_lock = sqlite_migrate_lock,
    .has_table = sqlite_has_table,
    .row_ncols = sqlite_row_ncols,
    .row_colname = sqlite_row_colname,
    .row_isnull = sqlite_row_isnull,
    .row_int = sqlite_row_int,
    .row_int_or = sqlite_row_int_or,
    .row_text = sqlite_row_text,
    .row_blob = sqlite_row_blob,
    .ins_open = sqlite_ins_open,
    .ins_row = sqlite_ins_row,
    .ins_flush = sqlite_ins_flush,
    .ins_kick = sqlite_ins_kick,
    .ins_free = sqlite_ins_free,
    .settle = sqlite_settle,
};
