/* store_pg.c - the PostgreSQL backend (libpq).
 *
 * Statements run with PQexecParams, parameters in text format (integers printed
 * in decimal and typed BIGINT; text and NULL left for the server to infer from
 * the statement), except bytes, sent as BYTEA in binary format. A query's rows are fetched whole
 * before the callback sees the first one, so a callback may run other statements on the same store.
 *
 * The bulk inserter buffers rows in COPY's binary format (text format when a
 * column's type or a value's kind asks for it) and sends them in chunks ("COPY t
 * (cols) FROM STDIN", the data, the end) without waiting for the server: the chunk
 * stays in flight while the caller prepares the next rows, and whatever runs next on
 * the connection (a statement, another chunk) waits for it first. One COPY at a time,
 * so several inserters may be open at once. A rejected row is found again through
 * the "COPY t, line N" context PostgreSQL reports, N being the row's position in its
 * chunk.
 */
#include <libpq-fe.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ballast/alloc.h"
#include "store/store_impl.h"

#define OID_INT8 20
#define OID_BOOL 16
#define OID_BYTEA 17
#define OID_TEXT 25
#define OID_VARCHAR 1043
#define CHUNK_ROWS 8192
#define CHUNK_BYTES ((size_t)4 << 20)
#define SEND_PIECE ((size_t)1 << 20)
/* The key of the transaction-level advisory lock held while migrating ("ballast1"). */
#define MIGRATE_LOCK "7089066501205095473"
/* Defaults the URL may override (?options=...): tests fail instead of hanging; no JIT
 * (Ballast's queries read rows for the program to work on, and the server's estimate of a
 * per-SKU index loop, `messages plan`'s stock-outs, set off 1.6 s of compiling for a
 * 90 ms query: docs/bench.md, bench/messages.sh). */
#define PG_OPTIONS "-c lock_timeout=30s -c statement_timeout=600s -c jit=off"

struct pg_store {
    struct bl_store base;
    PGconn *conn;
    struct bl__misfit misfit; /* a number bl_row_int could not give, in the current query */
    /* Parameter conversion scratch, reused (a statement is over before the next). */
    struct bl_buf scratch;
    const char **pvals;
    Oid *ptypes;
    size_t *poffs;
    int *plens, *pformats; /* set only when a parameter is bytes (binary format) */
    size_t pcap;
    bool has_blob;
    unsigned char *blob; /* the last bl_row_blob's bytes (PQunescapeBytea) */
    /* The bulk chunk sent and not yet confirmed (one at most: a connection runs one
     * command at a time), with each of its rows' src_line for the error of a rejected
     * one. Everything else done on the connection waits for it first (settle). */
    bool fl_active;
    bool fl_unsent; /* libpq still holds part of it (non-blocking mode) */
    char fl_table[64];
    int64_t *fl_lines;
    size_t fl_nrows, fl_cap;
};

struct pg_row {
    struct bl_row base;
    struct pg_store *ps;
    const PGresult *res;
    int row;
    size_t ncols;
};

struct pg_ins {
    struct bl_inserter base;
    struct bl_buf copy_sql; /* "COPY t (cols) FROM STDIN" */
    struct bl_buf copy_bin; /* the same with " (FORMAT binary)" */
    struct bl_buf data;     /* the pending chunk, in binary or text format */
    int64_t *lines;         /* src_line of each pending row */
    size_t nrows;
    size_t cap;
    unsigned char *types; /* per column, COL_* */
    bool binary;          /* chunks are in binary format (else text) */
};

static const struct bl_store_ops pg_ops;

static struct pg_store *ps_of(struct bl_store *s)
{
    return (struct pg_store *)s;
}

/* libpq's messages end in a newline and may span lines ("...failed: X\n\tIs the
 * server running...?\n"): make them one line. */
static void one_line(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    bool gap = false;
    for (const char *p = in; *p && n + 2 < cap; p++) {
        if (*p == '\n' || *p == '\r' || *p == '\t') {
            gap = true;
            continue;
        }
        if (gap && n > 0)
            out[n++] = ' ';
        gap = false;
        out[n++] = *p;
    }
    out[n] = '\0';
}

static int sqlstate_code(const char *state)
{
    if (!state)
        return BL_ESTORE;
    if (strcmp(state, "23505") == 0)
        return BL_EEXISTS;
    if (strncmp(state, "23", 2) == 0)
        return BL_ECONFLICT;
    if (strcmp(state, "53200") == 0)
        return BL_ENOMEM;
    return BL_ESTORE;
}

/* Records the failure held in res (or on the connection when res is NULL). */
static int fail_res(struct pg_store *ps, const PGresult *res, struct bl_diag *d, const char *what,
                    const char *sql)
{
    char ex[80] = "";
    char msg[400];
    if (sql)
        bl__sql_excerpt(sql, ex, sizeof(ex));
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
    if (primary)
        one_line(primary, msg, sizeof(msg));
    else if (res && PQresultErrorMessage(res)[0])
        one_line(PQresultErrorMessage(res), msg, sizeof(msg));
    else if (PQerrorMessage(ps->conn)[0])
        one_line(PQerrorMessage(ps->conn), msg, sizeof(msg));
    else
        bl_str_copy(msg, sizeof(msg), bl_str_c("out of memory"));
    int code = res ? sqlstate_code(PQresultErrorField(res, PG_DIAG_SQLSTATE))
                   : (PQstatus(ps->conn) == CONNECTION_OK ? BL_ENOMEM : BL_ESTORE);
    return bl__store_fail(&ps->base, d, code, "%s%s%s%s: %s%s%s%s", what, sql ? " \"" : "", ex,
                          sql ? "\"" : "", msg, detail ? " (" : "", detail ? detail : "",
                          detail ? ")" : "");
}

/* Reads and frees whatever results are still pending on the connection. */
static void drain(PGconn *conn, const PGresult *res)
{
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_EMPTY_QUERY;
    if (st == PGRES_COPY_IN) {
        (void)PQputCopyEnd(conn, "COPY is not supported here; use bl_inserter");
    } else if (st == PGRES_COPY_OUT) {
        char *buf;
        while (PQgetCopyData(conn, &buf, 0) > 0)
            PQfreemem(buf);
    }
    PGresult *r;
    while ((r = PQgetResult(conn)) != NULL)
        PQclear(r);
}

/* ---- open, close ------------------------------------------------------------------- */

static void quiet_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message; /* a library does not write to stderr (NOTICEs such as "skipping") */
}

int bl__pg_open(struct bl_store **out, const char *url, struct bl_diag *d)
{
    char safe[256];
    bl_store_url_shown(url, safe, sizeof(safe));
    struct pg_store *ps = bl_calloc(1, sizeof(*ps));
    if (!ps)
        return bl_diag_set(d, BL_ENOMEM, "cannot connect to PostgreSQL at %s: out of memory", safe);
    ps->base.ops = &pg_ops;
    /* Keywords before dbname are defaults the URL may override; client_encoding
     * after it is forced. */
    static const char *const keys[] = {"options", "fallback_application_name", "connect_timeout",
                                       "dbname",  "client_encoding",           NULL};
    const char *vals[] = {PG_OPTIONS, "ballast", "10", url, "UTF8", NULL};
    ps->conn = PQconnectdbParams(keys, vals, 1);
    if (!ps->conn || PQstatus(ps->conn) != CONNECTION_OK) {
        char msg[400];
        int code = BL_ESTORE;
        if (ps->conn)
            one_line(PQerrorMessage(ps->conn), msg, sizeof(msg));
        else
            bl_str_copy(msg, sizeof(msg), BL_STR("out of memory"));
        if (!ps->conn)
            code = BL_ENOMEM;
        /* libpq may quote the URL (with its password) when it cannot parse it. */
        char *raw = strstr(msg, url);
        if (raw)
            bl_diag_set(d, code, "cannot connect to PostgreSQL at %s: %.*s%s%s", safe,
                        (int)(raw - msg), msg, safe, raw + strlen(url));
        else
            bl_diag_set(d, code, "cannot connect to PostgreSQL at %s: %s", safe, msg);
        PQfinish(ps->conn);
        bl_free(ps);
        return code;
    }
    PQsetNoticeProcessor(ps->conn, quiet_notice, NULL);
    /* Large values (the order blocks' bytes) are compressed with LZ4 where the server
     * has it (PostgreSQL 14 and later, built with lz4): pglz, the default, took about a
     * tenth of the server's time of an orders import, and often found nothing to gain.
     * Values read back the same either way; nothing happens on other servers. */
    PQclear(PQexec(ps->conn, "SELECT set_config('default_toast_compression', 'lz4', false)"
                             " FROM pg_settings WHERE name = 'default_toast_compression'"
                             " AND 'lz4' = ANY (enumvals)"));
    *out = &ps->base;
    return BL_OK;
}

static void pg_close(struct bl_store *s)
{
    struct pg_store *ps = ps_of(s);
    PQfinish(ps->conn);
    bl_buf_release(&ps->scratch);
    bl_free(ps->pvals);
    bl_free(ps->ptypes);
    bl_free(ps->poffs);
    bl_free(ps->plens);
    bl_free(ps->pformats);
    PQfreemem(ps->blob);
    bl_free(ps->fl_lines);
    bl_free(ps);
}

/* ---- statements -------------------------------------------------------------------- */

/* Converts params to libpq's text form in ps->pvals/ptypes. */
static int convert_params(struct pg_store *ps, const struct bl_val *params, size_t n,
                          struct bl_diag *d)
{
    if (n > 65535)
        return bl_diag_set(d, BL_EINVAL, "%zu parameters; PostgreSQL takes at most 65535", n);
    if (n > ps->pcap) {
        size_t c1 = ps->pcap, c2 = ps->pcap, c3 = ps->pcap, c4 = ps->pcap, c5 = ps->pcap;
        int rc = bl_grow((void **)&ps->pvals, &c1, n, sizeof(*ps->pvals));
        rc = rc ? rc : bl_grow((void **)&ps->ptypes, &c2, n, sizeof(*ps->ptypes));
        rc = rc ? rc : bl_grow((void **)&ps->poffs, &c3, n, sizeof(*ps->poffs));
        rc = rc ? rc : bl_grow((void **)&ps->plens, &c4, n, sizeof(*ps->plens));
        rc = rc ? rc : bl_grow((void **)&ps->pformats, &c5, n, sizeof(*ps->pformats));
        if (rc != BL_OK)
            return bl_diag_set(d, rc, "converting %zu parameters: %s", n, bl_strerror(rc));
        size_t c = c1;
        c = c2 < c ? c2 : c;
        c = c3 < c ? c3 : c;
        c = c4 < c ? c4 : c;
        ps->pcap = c5 < c ? c5 : c;
    }
    bl_buf_reset(&ps->scratch);
    for (size_t i = 0; i < n; i++) {
        const struct bl_val *v = &params[i];
        int rc = BL_OK;
        ps->poffs[i] = SIZE_MAX;
        ps->ptypes[i] = 0;
        if (v->kind == BL_VAL_INT) {
            char num[24];
            ps->poffs[i] = ps->scratch.len;
            ps->ptypes[i] = OID_INT8;
            rc = bl_buf_add(&ps->scratch, num, bl_i64_to_text(v->i, num));
        } else if (v->kind == BL_VAL_TEXT) {
            ps->poffs[i] = ps->scratch.len;
            rc = bl_buf_adds(&ps->scratch, v->s);
        }
        if (rc == BL_OK && ps->poffs[i] != SIZE_MAX)
            rc = bl_buf_addc(&ps->scratch, '\0');
        if (rc != BL_OK)
            return bl_diag_set(d, rc, "converting parameter $%zu: %s", i + 1, bl_strerror(rc));
    }
    ps->has_blob = false;
    for (size_t i = 0; i < n; i++) {
        ps->pvals[i] = ps->poffs[i] == SIZE_MAX ? NULL : ps->scratch.ptr + ps->poffs[i];
        ps->plens[i] = 0;
        ps->pformats[i] = 0;
        if (params[i].kind == BL_VAL_BLOB) { /* sent as is, in binary format */
            if (params[i].s.len > INT_MAX)
                return bl_diag_set(d, BL_ETOOBIG, "parameter $%zu: %zu bytes", i + 1,
                                   params[i].s.len);
            ps->pvals[i] = params[i].s.ptr;
            ps->plens[i] = (int)params[i].s.len;
            ps->pformats[i] = 1;
            ps->ptypes[i] = OID_BYTEA;
            ps->has_blob = true;
        }
    }
    return BL_OK;
}

/* Runs sql; returns the result (caller clears) or NULL after recording the error. */
static int settle(struct pg_store *ps, struct bl_diag *d);

static PGresult *run(struct pg_store *ps, const char *sql, const struct bl_val *params,
                     size_t nparams, const char *what, int *rc, struct bl_diag *d)
{
    *rc = settle(ps, d);
    if (*rc != BL_OK)
        return NULL;
    *rc = convert_params(ps, params, nparams, d);
    if (*rc != BL_OK)
        return NULL;
    bool bin = nparams && ps->has_blob;
    PGresult *res = PQexecParams(ps->conn, sql, (int)nparams, nparams ? ps->ptypes : NULL,
                                 nparams ? ps->pvals : NULL, bin ? ps->plens : NULL,
                                 bin ? ps->pformats : NULL, 0);
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
        return res;
    if (st == PGRES_EMPTY_QUERY) {
        PQclear(res);
        *rc = bl__store_fail(&ps->base, d, BL_EINVAL, "no SQL statement in \"%.60s\"", sql);
        return NULL;
    }
    *rc = fail_res(ps, res, d, what, sql);
    drain(ps->conn, res);
    PQclear(res);
    return NULL;
}

static int pg_exec(struct bl_store *s, const char *sql, const struct bl_val *params, size_t nparams,
                   int64_t *changes, struct bl_diag *d)
{
    struct pg_store *ps = ps_of(s);
    int rc;
    PGresult *res = run(ps, sql, params, nparams, "running", &rc, d);
    if (!res)
        return rc;
    const char *n = PQcmdTuples(res);
    *changes = bl__text_to_int(n, strlen(n));
    PQclear(res);
    return BL_OK;
}

static int pg_query(struct bl_store *s, const char *sql, const struct bl_val *params,
                    size_t nparams, bl_row_fn fn, void *ctx, struct bl_diag *d)
{
    struct pg_store *ps = ps_of(s);
    int rc;
    PGresult *res = run(ps, sql, params, nparams, "querying", &rc, d);
    if (!res)
        return rc;
    struct pg_row row = {{&pg_ops}, ps, res, 0, (size_t)PQnfields(res)};
    int nrows = PQntuples(res);
    rc = 0;
    ps->misfit.set = false;
    for (row.row = 0; row.row < nrows && rc == 0; row.row++) {
        rc = fn(ctx, &row.base);
        if (ps->misfit.set)
            rc = bl__misfit_fail(&ps->misfit, d);
    }
    PQclear(res);
    PQfreemem(ps->blob);
    ps->blob = NULL;
    return rc;
}

/* ---- transactions ------------------------------------------------------------------ */

static int run_simple(struct pg_store *ps, const char *sql, const char *what, struct bl_diag *d)
{
    int rc;
    PGresult *res = run(ps, sql, NULL, 0, what, &rc, d);
    if (!res)
        return rc;
    PQclear(res);
    return BL_OK;
}

static int pg_begin(struct bl_store *s, struct bl_diag *d)
{
    return run_simple(ps_of(s), "BEGIN", "beginning a transaction", d);
}

static int pg_commit(struct bl_store *s, struct bl_diag *d)
{
    struct pg_store *ps = ps_of(s);
    int rc;
    PGresult *res = run(ps, "COMMIT", NULL, 0, "committing", &rc, d);
    if (!res)
        return rc;
    /* COMMIT of a transaction that failed succeeds as a ROLLBACK. */
    bool rolled_back = strcmp(PQcmdStatus(res), "ROLLBACK") == 0;
    PQclear(res);
    if (rolled_back)
        return bl__store_fail(s, d, BL_ESTORE,
                              "committing: the transaction had failed and was rolled back");
    return BL_OK;
}

static int pg_rollback(struct bl_store *s, struct bl_diag *d)
{
    struct pg_store *ps = ps_of(s);
    if (settle(ps, NULL) != BL_OK) {
        /* the rows in flight failed: being rolled back anyway */
    }
    if (PQtransactionStatus(ps->conn) == PQTRANS_IDLE)
        return BL_OK;
    return run_simple(ps, "ROLLBACK", "rolling back", d);
}

static bool pg_tx_active(struct bl_store *s)
{
    PGTransactionStatusType st = PQtransactionStatus(ps_of(s)->conn);
    return st == PQTRANS_INTRANS || st == PQTRANS_INERROR || st == PQTRANS_ACTIVE;
}

static int pg_migrate_lock(struct bl_store *s, struct bl_diag *d)
{
    return run_simple(ps_of(s), "SELECT pg_advisory_xact_lock(" MIGRATE_LOCK ")",
                      "taking the migration lock", d);
}

static int pg_has_table(struct bl_store *s, const char *name, bool *out, struct bl_diag *d)
{
    struct bl_val v = bl_val_text(bl_str_c(name));
    int64_t n = 0;
    int rc = bl_store_query_int(s, "SELECT CASE WHEN to_regclass($1) IS NULL THEN 0 ELSE 1 END", &v,
                                1, &n, d);
    *out = n > 0;
    return rc;
}

/* ---- rows -------------------------------------------------------------------------- */

static const struct pg_row *row_of(const struct bl_row *r)
{
    return (const struct pg_row *)r;
}

static size_t pg_row_ncols(const struct bl_row *r)
{
    return row_of(r)->ncols;
}

static const char *pg_row_colname(const struct bl_row *r, size_t col)
{
    const char *n = PQfname(row_of(r)->res, (int)col);
    return n ? n : "";
}

static bool pg_row_isnull(const struct bl_row *r, size_t col)
{
    const struct pg_row *pr = row_of(r);
    return PQgetisnull(pr->res, pr->row, (int)col) != 0;
}

static int64_t pg_row_int(const struct bl_row *r, size_t col)
{
    const struct pg_row *pr = row_of(r);
    if (PQgetisnull(pr->res, pr->row, (int)col))
        return 0;
    const char *v = PQgetvalue(pr->res, pr->row, (int)col);
    if (PQftype(pr->res, (int)col) == OID_BOOL)
        return v[0] == 't'; /* as SQLite, where a comparison gives 1 or 0 */
    size_t n = (size_t)PQgetlength(pr->res, pr->row, (int)col);
    int64_t x = bl__text_to_int(v, n);
    if (x == 0 && bl__text_too_big(v, n))
        bl__misfit_note(&pr->ps->misfit, PQfname(pr->res, (int)col), v, n);
    return x;
}

static struct bl_str pg_row_text(const struct bl_row *r, size_t col)
{
    const struct pg_row *pr = row_of(r);
    return (struct bl_str){PQgetvalue(pr->res, pr->row, (int)col),
                           (size_t)PQgetlength(pr->res, pr->row, (int)col)};
}

/* A bytea column arrives in text form (backslash, x, hex digits); libpq decodes it. */
static int pg_row_blob(const struct bl_row *r, size_t col, struct bl_str *out)
{
    const struct pg_row *pr = row_of(r);
    struct pg_store *ps = pr->ps;
    PQfreemem(ps->blob);
    size_t n = 0;
    ps->blob = PQunescapeBytea((const unsigned char *)PQgetvalue(pr->res, pr->row, (int)col), &n);
    if (!ps->blob)
        return BL_ENOMEM;
    *out = (struct bl_str){(const char *)ps->blob, n};
    return BL_OK;
}

/* ---- bulk insert ------------------------------------------------------------------- */

/* What a column takes in COPY's binary format (from its type at open): an integer as
 * int8's 8 bytes, text and bytes as they are. A column of any other type makes the
 * inserter use the text format. */
enum { COL_OTHER, COL_INT8, COL_TEXT, COL_BYTEA };

/* Binary COPY: signature, flags, header extension length; the trailer is a field
 * count of -1. */
static const char copy_header[19] = {'P',  'G', 'C', 'O', 'P', 'Y', '\n', '\377', '\r', '\n',
                                     '\0', 0,   0,   0,   0,   0,   0,    0,      0};
static const char copy_trailer[2] = {'\377', '\377'};

static void put_be16(char *p, uint16_t v)
{
    p[0] = (char)(v >> 8);
    p[1] = (char)(v & 0xff);
}

static void put_be32(char *p, uint32_t v)
{
    for (int i = 3; i >= 0; i--, v >>= 8)
        p[i] = (char)(v & 0xff);
}

static void put_be64(char *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (char)(v & 0xff);
}

/* Bytes in COPY's text format: bytea's hex form (backslash, x, two digits a byte),
 * its backslash doubled for COPY. */
static int add_bytea(struct bl_buf *b, const char *p, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    int rc = bl_buf_add(b, "\\\\x", 3);
    char chunk[512];
    for (size_t i = 0; !rc && i < n;) {
        size_t k = 0;
        for (; k + 2 <= sizeof(chunk) && i < n; i++) {
            unsigned char c = (unsigned char)p[i];
            chunk[k++] = hex[c >> 4];
            chunk[k++] = hex[c & 15];
        }
        rc = bl_buf_add(b, chunk, k);
    }
    return rc;
}

/* COPY text format: backslash, tab, newline and carriage return are escaped. */
static int add_escaped(struct bl_buf *b, const char *p, size_t n)
{
    size_t start = 0;
    int rc = BL_OK;
    for (size_t i = 0; i < n && rc == BL_OK; i++) {
        const char *esc;
        switch (p[i]) {
        case '\\':
            esc = "\\\\";
            break;
        case '\t':
            esc = "\\t";
            break;
        case '\n':
            esc = "\\n";
            break;
        case '\r':
            esc = "\\r";
            break;
        default:
            continue;
        }
        rc = bl_buf_add(b, p + start, i - start);
        rc = rc ? rc : bl_buf_add(b, esc, 2);
        start = i + 1;
    }
    return rc ? rc : bl_buf_add(b, p + start, n - start);
}

/* The chunk row a "COPY t, line N[, column c]: ..." context points at (1-based), or 0.
 * In binary format N counts rows too. */
static size_t context_line(const char *ctx)
{
    const char *p = ctx ? strstr(ctx, "COPY ") : NULL;
    p = p ? strstr(p, ", line ") : NULL;
    if (!p)
        return 0;
    size_t n = 0;
    for (p += 7; *p >= '0' && *p <= '9' && n < SIZE_MAX / 10; p++)
        n = n * 10 + (size_t)(*p - '0');
    return n;
}

/* Waits for the chunk in flight, if any, and reports its failure (with the rejected
 * row's src_line in d->line). Leaves the connection blocking and idle again. */
static int settle(struct pg_store *ps, struct bl_diag *d)
{
    if (!ps->fl_active)
        return BL_OK;
    ps->fl_active = false;
    ps->fl_unsent = false;
    /* Back to blocking; PQgetResult sends what libpq still holds of the chunk. */
    if (PQsetnonblocking(ps->conn, 0) != 0) {
        /* the connection failed: the result below says how */
    }
    PGresult *res = PQgetResult(ps->conn);
    int rc = BL_OK;
    if (!res || PQresultStatus(res) != PGRES_COMMAND_OK) {
        if (res) {
            size_t row = context_line(PQresultErrorField(res, PG_DIAG_CONTEXT));
            if (d && row >= 1 && row <= ps->fl_nrows)
                d->line = ps->fl_lines[row - 1];
        }
        char what[96];
        snprintf(what, sizeof(what), "inserting into %s", ps->fl_table);
        rc = fail_res(ps, res, d, what, NULL);
    }
    PQclear(res);
    drain(ps->conn, NULL);
    return rc;
}

/* Sends data as one piece after another, in the connection's current mode. */
static bool put_data(PGconn *conn, const char *p, size_t n)
{
    bool ok = true;
    for (size_t off = 0; off < n && ok; off += SEND_PIECE) {
        size_t k = n - off < SEND_PIECE ? n - off : SEND_PIECE;
        ok = PQputCopyData(conn, p + off, (int)k) == 1;
    }
    return ok;
}

/* Sends the pending chunk as one COPY without waiting for the server to take it in:
 * the data goes to libpq's buffer (non-blocking mode), and the chunk becomes the
 * connection's one chunk in flight, which the next statement or chunk waits for
 * (settle) while the caller prepares more rows meanwhile. The chunk is gone from
 * ins afterwards, whatever happened. */
static int send_chunk(struct pg_ins *ins, struct bl_diag *d)
{
    struct pg_store *ps = ps_of(ins->base.s);
    int rc = settle(ps, d);
    if (rc == BL_OK && ins->binary && ins->data.len) {
        rc = bl_buf_add(&ins->data, copy_trailer, sizeof(copy_trailer));
        if (rc != BL_OK)
            rc = bl__store_fail(&ps->base, d, rc, "inserting into %s: %s", ins->base.table,
                                bl_strerror(rc));
    }
    PGresult *res = NULL;
    if (rc == BL_OK) {
        res = PQexec(ps->conn, bl_buf_cstr(ins->binary ? &ins->copy_bin : &ins->copy_sql));
        if (!res || PQresultStatus(res) != PGRES_COPY_IN) {
            char what[96];
            snprintf(what, sizeof(what), "starting bulk insert into %s", ins->base.table);
            rc = fail_res(ps, res, d, what, NULL);
            drain(ps->conn, res);
        }
        PQclear(res);
    }
    if (rc == BL_OK) {
        bool blocking = PQsetnonblocking(ps->conn, 1) != 0;
        bool ok = put_data(ps->conn, ins->data.ptr, ins->data.len);
        ok = PQputCopyEnd(ps->conn, ok ? NULL : "ballast could not send the rows") == 1 && ok;
        /* The rows' lines go with the chunk, for the error a rejected row gets. */
        int64_t *lines = ps->fl_lines;
        size_t cap = ps->fl_cap;
        ps->fl_lines = ins->lines;
        ps->fl_cap = ins->cap;
        ps->fl_nrows = ins->nrows;
        ins->lines = lines;
        ins->cap = cap;
        bl_str_copy(ps->fl_table, sizeof(ps->fl_table), bl_str_c(ins->base.table));
        ps->fl_active = true;
        ps->fl_unsent = !blocking && PQflush(ps->conn) != 0;
        if (!ok) /* a send failure shows in the result or on the connection */
            rc = settle(ps, d);
    }
    bl_buf_reset(&ins->data);
    ins->nrows = 0;
    return rc;
}

/* Passes more of the chunk in flight to the server, without waiting. */
static void pump(struct pg_store *ps)
{
    if (ps->fl_active && ps->fl_unsent)
        ps->fl_unsent = PQflush(ps->conn) != 0;
}

static void pg_ins_free(struct bl_inserter *base)
{
    struct pg_ins *ins = (struct pg_ins *)base;
    bl_buf_release(&ins->copy_sql);
    bl_buf_release(&ins->copy_bin);
    bl_buf_release(&ins->data);
    bl_free(ins->lines);
    bl_free(ins->types);
    bl_free(ins);
}

/* The columns' types, from an empty SELECT of them: it also checks the table and
 * columns now, as SQLite's prepare does. Binary format when each is int8, text,
 * varchar or bytea. */
static int ins_types(struct pg_ins *ins, const char *table, const char *const *cols, size_t ncols,
                     struct bl_diag *d)
{
    struct pg_store *ps = ps_of(ins->base.s);
    struct bl_buf sql = BL_BUF_INIT;
    int rc = bl_buf_adds(&sql, BL_STR("SELECT "));
    for (size_t i = 0; i < ncols && rc == BL_OK; i++)
        rc = bl_buf_addf(&sql, "%s%s", i ? ", " : "", cols[i]);
    rc = rc ? rc : bl_buf_addf(&sql, " FROM %s WHERE false", table);
    if (rc != BL_OK) {
        bl_buf_release(&sql);
        return bl_diag_set(d, rc, "bulk insert into %s: %s", table, bl_strerror(rc));
    }
    PGresult *res = PQexec(ps->conn, bl_buf_cstr(&sql));
    bl_buf_release(&sql);
    if (!res || PQresultStatus(res) != PGRES_TUPLES_OK) {
        char what[96];
        snprintf(what, sizeof(what), "starting bulk insert into %s", table);
        rc = fail_res(ps, res, d, what, NULL);
        drain(ps->conn, res);
        PQclear(res);
        return rc;
    }
    ins->binary = !getenv("BALLAST_PG_COPY_TEXT");
    for (size_t i = 0; i < ncols; i++) {
        Oid t = PQftype(res, (int)i);
        ins->types[i] = t == OID_INT8                       ? COL_INT8
                        : t == OID_TEXT || t == OID_VARCHAR ? COL_TEXT
                        : t == OID_BYTEA                    ? COL_BYTEA
                                                            : COL_OTHER;
        if (ins->types[i] == COL_OTHER)
            ins->binary = false;
    }
    PQclear(res);
    return BL_OK;
}

static int pg_ins_open(struct bl_store *s, const char *table, const char *const *cols, size_t ncols,
                       struct bl_inserter **out, struct bl_diag *d)
{
    int rc = settle(ps_of(s), d);
    if (rc != BL_OK)
        return rc;
    struct pg_ins *ins = bl_calloc(1, sizeof(*ins));
    if (!ins)
        return bl_diag_set(d, BL_ENOMEM, "bulk insert into %s: out of memory", table);
    ins->base.s = s;
    ins->base.ops = s->ops;
    ins->base.ncols = ncols;
    bl_str_copy(ins->base.table, sizeof(ins->base.table), bl_str_c(table));
    rc = bl_buf_addf(&ins->copy_sql, "COPY %s (", table);
    for (size_t i = 0; i < ncols && rc == BL_OK; i++)
        rc = bl_buf_addf(&ins->copy_sql, "%s%s", i ? ", " : "", cols[i]);
    rc = rc ? rc : bl_buf_adds(&ins->copy_sql, BL_STR(") FROM STDIN"));
    rc = rc ? rc : bl_buf_adds(&ins->copy_bin, bl_buf_str(&ins->copy_sql));
    rc = rc ? rc : bl_buf_adds(&ins->copy_bin, BL_STR(" (FORMAT binary)"));
    rc = rc ? rc : bl_grow((void **)&ins->lines, &ins->cap, 1024, sizeof(*ins->lines));
    if (rc == BL_OK) {
        ins->types = bl_calloc(ncols, sizeof(*ins->types));
        rc = ins->types ? BL_OK : BL_ENOMEM;
    }
    if (rc != BL_OK) {
        pg_ins_free(&ins->base);
        return bl_diag_set(d, rc, "bulk insert into %s: %s", table, bl_strerror(rc));
    }
    rc = ins_types(ins, table, cols, ncols, d);
    if (rc != BL_OK) {
        pg_ins_free(&ins->base);
        return rc;
    }
    *out = &ins->base;
    return BL_OK;
}

/* One row in COPY's text format. */
static int add_row_text(struct pg_ins *ins, const struct bl_val *vals)
{
    struct bl_buf *b = &ins->data;
    int rc = BL_OK;
    for (size_t i = 0; i < ins->base.ncols && rc == BL_OK; i++) {
        const struct bl_val *v = &vals[i];
        if (i)
            rc = bl_buf_addc(b, '\t');
        if (rc != BL_OK)
            break;
        if (v->kind == BL_VAL_INT) {
            char num[24];
            rc = bl_buf_add(b, num, bl_i64_to_text(v->i, num));
        } else if (v->kind == BL_VAL_TEXT) {
            rc = add_escaped(b, v->s.ptr, v->s.len);
        } else if (v->kind == BL_VAL_BLOB) {
            rc = add_bytea(b, v->s.ptr, v->s.len);
        } else {
            rc = bl_buf_add(b, "\\N", 2);
        }
    }
    return rc ? rc : bl_buf_addc(b, '\n');
}

/* One row in COPY's binary format (the chunk's header first). Returns 1, having
 * added part of the row, for a value the binary format is not written for here
 * (text for a BIGINT column, bytes for a TEXT one...): the caller sends the rows
 * before it and goes on in text format, where the server converts as it always did. */
static int add_row_binary(struct pg_ins *ins, const struct bl_val *vals)
{
    struct bl_buf *b = &ins->data;
    char f[12];
    int rc = b->len ? BL_OK : bl_buf_add(b, copy_header, sizeof(copy_header));
    put_be16(f, (uint16_t)ins->base.ncols);
    rc = rc ? rc : bl_buf_add(b, f, 2);
    for (size_t i = 0; i < ins->base.ncols && rc == BL_OK; i++) {
        const struct bl_val *v = &vals[i];
        int type = ins->types[i];
        if (v->kind == BL_VAL_NULL) {
            put_be32(f, UINT32_MAX); /* -1 */
            rc = bl_buf_add(b, f, 4);
        } else if (v->kind == BL_VAL_INT && type == COL_INT8) {
            put_be32(f, 8);
            put_be64(f + 4, (uint64_t)v->i);
            rc = bl_buf_add(b, f, 12);
        } else if (v->kind == BL_VAL_INT && type == COL_TEXT) {
            char num[24];
            size_t n = bl_i64_to_text(v->i, num);
            put_be32(f, (uint32_t)n);
            rc = bl_buf_add(b, f, 4);
            rc = rc ? rc : bl_buf_add(b, num, n);
        } else if ((v->kind == BL_VAL_TEXT && type == COL_TEXT) ||
                   (v->kind == BL_VAL_BLOB && type == COL_BYTEA)) {
            if (v->s.len > INT32_MAX)
                return BL_ETOOBIG;
            put_be32(f, (uint32_t)v->s.len);
            rc = bl_buf_add(b, f, 4);
            rc = rc ? rc : bl_buf_add(b, v->s.ptr, v->s.len);
        } else {
            return 1;
        }
    }
    return rc;
}

static int pg_ins_row(struct bl_inserter *base, const struct bl_val *vals, int64_t src_line,
                      struct bl_diag *d)
{
    struct pg_ins *ins = (struct pg_ins *)base;
    struct pg_store *ps = ps_of(base->s);
    size_t mark = ins->data.len;
    int rc = BL_OK;
    if (ins->binary) {
        rc = add_row_binary(ins, vals);
        if (rc > 0) { /* the rows so far as they are, this one and the rest as text */
            ins->data.len = mark;
            if (ins->nrows) {
                rc = send_chunk(ins, d);
                if (rc != BL_OK)
                    return rc;
            }
            bl_buf_reset(&ins->data);
            mark = 0;
            ins->binary = false;
        }
    }
    if (rc == BL_OK && !ins->binary)
        rc = add_row_text(ins, vals);
    /* after a switch's send_chunk, which gave the line array to the chunk in flight */
    if (rc == BL_OK && ins->nrows == ins->cap)
        rc = bl_grow((void **)&ins->lines, &ins->cap, ins->nrows + 1, sizeof(*ins->lines));
    if (rc != BL_OK) {
        ins->data.len = mark;
        if (ins->data.ptr)
            ins->data.ptr[mark] = '\0';
        if (d)
            d->line = src_line;
        return bl_diag_set(d, rc, "inserting into %s: %s", base->table, bl_strerror(rc));
    }
    ins->lines[ins->nrows++] = src_line;
    if (ins->nrows >= CHUNK_ROWS || ins->data.len >= CHUNK_BYTES)
        return send_chunk(ins, d);
    if (ps->fl_unsent && ins->nrows % 64 == 0)
        pump(ps);
    return BL_OK;
}

static int pg_ins_flush(struct bl_inserter *base, struct bl_diag *d)
{
    struct pg_ins *ins = (struct pg_ins *)base;
    int rc = ins->nrows ? send_chunk(ins, d) : BL_OK;
    return rc ? rc : settle(ps_of(base->s), d);
}

static int pg_settle(struct bl_store *s, struct bl_diag *d)
{
    return settle(ps_of(s), d);
}

static const struct bl_store_ops pg_ops = {
    .kind = "postgres",
    .close = pg_close,
    .exec = pg_exec,
    .query = pg_query,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .tx_active = pg_tx_active,
    .migrate_lock = pg_migrate_lock,
    .has_table = pg_has_table,
    .row_ncols = pg_row_ncols,
    .row_colname = pg_row_colname,
    .row_isnull = pg_row_isnull,
    .row_int = pg_row_int,
    .row_text = pg_row_text,
    .row_blob = pg_row_blob,
    .ins_open = pg_ins_open,
    .ins_row = pg_ins_row,
    .ins_flush = pg_ins_flush,
    .ins_free = pg_ins_free,
    .settle = pg_settle,
};
