/* store.c - the store interface: URL dispatch, transactions, migrations and the
 * parts both backends share. See include/ballast/store.h for the contract and
 * docs/internals/store.md for the design. */
#include "ballast/store.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ballast/alloc.h"
#include "store/schema.h"
#include "store/store_impl.h"

/* ---- helpers shared with the backends ---------------------------------------------- */

int bl__store_fail(struct bl_store *s, struct bl_diag *d, int code, const char *fmt, ...)
{
    if (s && s->in_tx)
        s->tx_failed = true;
    if (d) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
        va_end(ap);
        d->code = code;
    }
    return code;
}

void bl__sql_excerpt(const char *sql, char *out, size_t cap)
{
    size_t n = 0;
    bool space = false;
    if (!cap)
        return;
    for (const char *p = sql; *p; p++) {
        char c = *p;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = n > 0;
            continue;
        }
        size_t need = space ? 2 : 1;
        if (n + need + 3 >= cap && p[1] != '\0') {
            /* Cut here; in the middle of a UTF-8 character, before that character. */
            if (((unsigned char)c & 0xC0) == 0x80) {
                while (n > 0 && ((unsigned char)out[n - 1] & 0xC0) == 0x80)
                    n--;
                if (n > 0 && ((unsigned char)out[n - 1] & 0xC0) == 0xC0)
                    n--;
            }
            if (n + 4 <= cap) {
                memcpy(out + n, "...", 3);
                n += 3;
            }
            break;
        }
        if (n + need >= cap)
            break;
        if (space)
            out[n++] = ' ';
        out[n++] = c;
        space = false;
    }
    out[n] = '\0';
}

int64_t bl__text_to_int(const char *p, size_t n)
{
    int64_t v;
    if (bl_str_to_i64((struct bl_str){p, n}, &v) == BL_OK)
        return v;
    /* A decimal with a fraction (PostgreSQL numeric, SQLite REAL as text). */
    size_t i = (n > 0 && (p[0] == '-' || p[0] == '+')) ? 1 : 0;
    size_t digits = i;
    while (digits < n && p[digits] >= '0' && p[digits] <= '9')
        digits++;
    if (digits == i || digits >= n || p[digits] != '.')
        return 0;
    for (size_t j = digits + 1; j < n; j++)
        if (p[j] < '0' || p[j] > '9')
            return 0;
    size_t start = (p[0] == '+') ? 1 : 0;
    if (bl_str_to_i64((struct bl_str){p + start, digits - start}, &v) != BL_OK)
        return 0;
    return v;
}

bool bl__text_too_big(const char *p, size_t n)
{
    size_t i = (n > 0 && (p[0] == '-' || p[0] == '+')) ? 1 : 0, digits = i;
    while (digits < n && p[digits] >= '0' && p[digits] <= '9')
        digits++;
    if (digits == i || (digits < n && p[digits] != '.'))
        return false;
    for (size_t j = digits + 1; j < n; j++)
        if (p[j] < '0' || p[j] > '9')
            return false;
    size_t start = (p[0] == '+') ? 1 : 0;
    int64_t v;
    return bl_str_to_i64((struct bl_str){p + start, digits - start}, &v) != BL_OK;
}

void bl__misfit_note(struct bl__misfit *m, const char *col, const char *text, size_t n)
{
    if (m->set)
        return;
    m->set = true;
    bl_str_copy(m->col, sizeof(m->col), bl_str_c(col ? col : "?"));
    bl_str_copy(m->text, sizeof(m->text), (struct bl_str){text, n});
}

int bl__misfit_fail(struct bl__misfit *m, struct bl_diag *d)
{
    m->set = false;
    return bl_diag_set(d, BL_EOVERFLOW,
                       "the store holds %s in column '%s', past the 64-bit integers Ballast "
                       "counts with",
                       m->text, m->col);
}

/* An SQL identifier we are willing to splice into a statement. */
static bool ident_ok(const char *name, size_t max)
{
    if (!name || !name[0])
        return false;
    size_t n = 0;
    for (const char *p = name; *p; p++, n++) {
        char c = *p;
        bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        bool digit = c >= '0' && c <= '9';
        if (!alpha && !(digit && n > 0))
            return false;
    }
    return n < max;
}

/* Text handed to the database may not contain NUL bytes (PostgreSQL cannot store
 * them; SQLite would, and the backends must agree). */
static int check_params(const struct bl_val *params, size_t nparams, struct bl_diag *d)
{
    if (nparams && !params)
        return bl_diag_set(d, BL_EINVAL, "%zu parameters announced but none given", nparams);
    for (size_t i = 0; i < nparams; i++) {
        const struct bl_val *v = &params[i];
        if (v->kind == BL_VAL_TEXT) {
            if (v->s.len && !v->s.ptr)
                return bl_diag_set(d, BL_EINVAL, "parameter $%zu: text without a pointer", i + 1);
            if (v->s.len && memchr(v->s.ptr, '\0', v->s.len))
                return bl_diag_set(d, BL_EINVAL,
                                   "parameter $%zu: text contains a NUL byte, which the "
                                   "store cannot keep",
                                   i + 1);
        } else if (v->kind == BL_VAL_BLOB) {
            if (v->s.len && !v->s.ptr)
                return bl_diag_set(d, BL_EINVAL, "parameter $%zu: bytes without a pointer", i + 1);
        } else if (v->kind != BL_VAL_INT && v->kind != BL_VAL_NULL) {
            return bl_diag_set(d, BL_EINVAL, "parameter $%zu: unknown value kind %d", i + 1,
                               (int)v->kind);
        }
    }
    return BL_OK;
}

static int check_usable(struct bl_store *s, const char *sql, struct bl_diag *d)
{
    if (!s)
        return bl_diag_set(d, BL_EINVAL, "no store given");
    if (sql && sql[strspn(sql, " \t\r\n")] == '\0')
        return bl_diag_set(d, BL_EINVAL, "empty SQL statement");
    if (sql && s->in_tx && s->tx_failed) {
        char ex[80];
        bl__sql_excerpt(sql, ex, sizeof(ex));
        return bl_diag_set(d, BL_ESTORE,
                           "cannot run \"%s\": the transaction was aborted by an earlier "
                           "error; roll it back",
                           ex);
    }
    if (!sql && s->in_tx && s->tx_failed)
        return bl_diag_set(d, BL_ESTORE,
                           "the transaction was aborted by an earlier error; roll it back");
    return BL_OK;
}

/* ---- open, close ------------------------------------------------------------------- */

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

void bl_store_url_shown(const char *url, char *out, size_t cap)
{
    if (!starts_with(url, "postgres://") && !starts_with(url, "postgresql://")) {
        bl_str_copy(out, cap, bl_str_c(url)); /* a file path has no secret */
        return;
    }
    struct bl_buf b = BL_BUF_INIT;
    const char *scheme_end = strstr(url, "://");
    const char *auth = scheme_end ? scheme_end + 3 : url;
    size_t auth_len = strcspn(auth, "/?#");
    const char *at = memchr(auth, '@', auth_len);
    int rc = bl_buf_add(&b, url, (size_t)(auth - url));
    if (at) {
        const char *colon = memchr(auth, ':', (size_t)(at - auth));
        if (colon) {
            rc = rc ? rc : bl_buf_add(&b, auth, (size_t)(colon - auth));
            rc = rc ? rc : bl_buf_adds(&b, BL_STR(":***"));
            rc = rc ? rc : bl_buf_add(&b, at, (size_t)(auth + auth_len - at));
        } else {
            rc = rc ? rc : bl_buf_add(&b, auth, auth_len);
        }
    } else {
        rc = rc ? rc : bl_buf_add(&b, auth, auth_len);
    }
    const char *path = auth + auth_len;
    rc = rc ? rc : bl_buf_add(&b, path, strcspn(path, "?#"));
    if (rc == BL_OK)
        bl_str_copy(out, cap, bl_buf_str(&b));
    else
        bl_str_copy(out, cap, BL_STR("postgres://..."));
    bl_buf_release(&b);
}

int bl_store_open(struct bl_store **out, const char *url, struct bl_diag *d)
{
    if (!out)
        return bl_diag_set(d, BL_EINVAL, "no place for the store given");
    *out = NULL;
    if (!url || !url[0])
        return bl_diag_set(d, BL_EINVAL,
                           "empty store URL: expected an SQLite file path or postgres://...");
    size_t n = strlen(url);
    char *copy = bl_malloc(n + 1);
    if (!copy)
        return bl_diag_set(d, BL_ENOMEM, "opening the store: out of memory");
    memcpy(copy, url, n + 1);
    int rc = starts_with(url, "postgres://") || starts_with(url, "postgresql://")
                 ? bl__pg_open(out, url, d)
                 : bl__sqlite_open(out, url, d);
    if (rc) {
        bl_free(copy);
        return rc;
    }
    (*out)->url = copy;
    (*out)->side = NULL;
    bl_store_set_actor(*out, NULL);
    return BL_OK;
}

void bl_store_set_actor(struct bl_store *s, const struct bl_store_actor *a)
{
    static const struct bl_store_actor fresh = {"ballast", "system", "", 0, 0};
    if (!s)
        return;
    s->actor = a ? *a : fresh;
    s->actor.name[sizeof(s->actor.name) - 1] = '\0';
    s->actor.via[sizeof(s->actor.via) - 1] = '\0';
    s->actor.source[sizeof(s->actor.source) - 1] = '\0';
}

const struct bl_store_actor *bl_store_actor(const struct bl_store *s)
{
    return &s->actor;
}

int bl_store_open_again(struct bl_store *s, struct bl_store **out, struct bl_diag *d)
{
    if (!s || !s->url)
        return bl_diag_set(d, BL_EINVAL, "no store to open again");
    return bl_store_open(out, s->url, d);
}

int bl_store_side(struct bl_store *s, struct bl_store **out, struct bl_diag *d)
{
    if (!out)
        return bl_diag_set(d, BL_EINVAL, "no place for the side connection given");
    *out = NULL;
    if (!s || !s->url)
        return bl_diag_set(d, BL_EINVAL, "no store to open a side connection to");
    /* ":memory:" and "file::memory:..." name a new database at each open */
    if (strcmp(s->ops->kind, "sqlite") != 0 || strstr(s->url, ":memory:"))
        return BL_OK;
    if (!s->side) {
        int rc = bl_store_open(&s->side, s->url, d);
        if (rc)
            return rc;
    }
    *out = s->side;
    return BL_OK;
}

void bl_store_close(struct bl_store *s)
{
    if (!s)
        return;
    bl_store_close(s->side);
    s->side = NULL;
    bl_store_read_end(s);
    if (s->in_tx) {
        (void)s->ops->rollback(s, NULL);
        s->in_tx = false;
        s->tx_failed = false;
    }
    char *url = s->url;
    s->ops->close(s);
    bl_free(url);
}

const char *bl_store_kind(const struct bl_store *s)
{
    return s ? s->ops->kind : "none";
}

uint64_t bl_store_statements(const struct bl_store *s)
{
    return s ? s->statements : 0;
}

/* ---- transactions ------------------------------------------------------------------ */

int bl_store_read_begin(struct bl_store *s, struct bl_diag *d)
{
    if (!s)
        return bl_diag_set(d, BL_EINVAL, "no store given");
    if (s->in_tx || s->in_read || !s->ops->read_begin)
        return BL_OK;
    int rc = s->ops->read_begin(s, d);
    s->in_read = rc == BL_OK;
    return rc;
}

void bl_store_read_end(struct bl_store *s)
{
    if (!s || !s->in_read)
        return;
    s->in_read = false;
    s->ops->read_end(s);
}

/* ---- the data generation ------------------------------------------------------------ */

static int bump(struct bl_store *s, int64_t org, struct bl_diag *d)
{
    struct bl_val p = bl_val_int(org);
    return bl_store_exec(s,
                         "INSERT INTO data_gen (org_id, gen) VALUES ($1, 1)"
                         " ON CONFLICT (org_id) DO UPDATE SET gen = data_gen.gen + 1",
                         &p, 1, NULL, d);
}

static int bump_touched(struct bl_store *s, struct bl_diag *d)
{
    int rc = BL_OK;
    for (size_t i = 0; !rc && i < s->ntouched; i++)
        rc = bump(s, s->touched[i], d);
    return rc;
}

int bl_store_touch(struct bl_store *s, int64_t org, struct bl_diag *d)
{
    if (!s)
        return bl_diag_set(d, BL_EINVAL, "no store given");
    if (!s->in_tx)
        return bump(s, org, d);
    for (size_t i = 0; i < s->ntouched; i++)
        if (s->touched[i] == org)
            return BL_OK;
    if (s->ntouched < sizeof(s->touched) / sizeof(s->touched[0])) {
        s->touched[s->ntouched++] = org;
        return BL_OK;
    }
    return bump(s, org, d); /* many organisations in one transaction: this one now */
}

int bl_store_data_gen(struct bl_store *s, int64_t org, int64_t *gen, struct bl_diag *d)
{
    struct bl_val p = bl_val_int(org);
    *gen = 0;
    int rc = bl_store_query_int(s, "SELECT gen FROM data_gen WHERE org_id = $1", &p, 1, gen, d);
    return rc == BL_ENOTFOUND ? BL_OK : rc;
}

int bl_store_begin(struct bl_store *s, struct bl_diag *d)
{
    if (!s)
        return bl_diag_set(d, BL_EINVAL, "no store given");
    bl_store_read_end(s); /* a write gives the read snapshot up */
    if (s->in_tx)
        return bl_diag_set(d, BL_EINVAL, "a transaction is already open (no nesting)");
    s->ntouched = 0;
    int rc = s->ops->begin(s, d);
    if (rc == BL_OK) {
        s->in_tx = true;
        s->tx_failed = false;
    }
    return rc;
}

int bl_store_rollback(struct bl_store *s, struct bl_diag *d)
{
    if (!s)
        return bl_diag_set(d, BL_EINVAL, "no store given");
    s->ntouched = 0;
    if (!s->in_tx)
        return BL_OK; /* nothing to undo: cleanup paths may call this freely */
    int rc = s->ops->rollback(s, d);
    s->in_tx = s->ops->tx_active(s);
    s->tx_failed = s->in_tx && s->tx_failed;
    return rc;
}

int bl_store_commit(struct bl_store *s, struct bl_diag *d)
{
    if (!s)
        return bl_diag_set(d, BL_EINVAL, "no store given");
    if (!s->in_tx)
        return bl_diag_set(d, BL_EINVAL, "commit without an open transaction");
    if (!s->tx_failed && bump_touched(s, d))
        s->tx_failed = true; /* rolled back below: the change and its bump go together */
    s->ntouched = 0;
    if (s->tx_failed) {
        (void)s->ops->rollback(s, NULL);
        s->in_tx = s->ops->tx_active(s);
        s->tx_failed = s->in_tx;
        return bl_diag_set(d, BL_ESTORE,
                           "cannot commit: the transaction was aborted by an earlier error "
                           "and has been rolled back");
    }
    int rc = s->ops->commit(s, d);
    s->in_tx = s->ops->tx_active(s);
    if (rc != BL_OK && s->in_tx)
        s->tx_failed = true;
    return rc;
}

/* ---- statements -------------------------------------------------------------------- */

int bl_store_exec(struct bl_store *s, const char *sql, const struct bl_val *params, size_t nparams,
                  int64_t *changes, struct bl_diag *d)
{
    if (!sql)
        return bl_diag_set(d, BL_EINVAL, "no SQL given");
    int rc = check_usable(s, sql, d);
    if (rc == BL_OK)
        rc = check_params(params, nparams, d);
    if (rc != BL_OK)
        return rc;
    int64_t n = 0;
    bl_store_read_end(s); /* a write runs as it would without the read snapshot */
    s->statements++;
    rc = s->ops->exec(s, sql, params, nparams, &n, d);
    if (rc == BL_OK && changes)
        *changes = n;
    return rc;
}

int bl_store_query(struct bl_store *s, const char *sql, const struct bl_val *params, size_t nparams,
                   bl_row_fn fn, void *ctx, struct bl_diag *d)
{
    if (!sql || !fn)
        return bl_diag_set(d, BL_EINVAL, "no SQL or no row callback given");
    int rc = check_usable(s, sql, d);
    if (rc == BL_OK)
        rc = check_params(params, nparams, d);
    if (rc != BL_OK)
        return rc;
    s->statements++;
    return s->ops->query(s, sql, params, nparams, fn, ctx, d);
}

struct first_int {
    bool found;
    int64_t v;
};

static int first_int_row(void *ctx, const struct bl_row *row)
{
    struct first_int *fi = ctx;
    fi->found = true;
    fi->v = bl_row_ncols(row) ? bl_row_int(row, 0) : 0;
    return 1; /* stop */
}

int bl_store_query_int(struct bl_store *s, const char *sql, const struct bl_val *params,
                       size_t nparams, int64_t *out, struct bl_diag *d)
{
    struct first_int fi = {false, 0};
    int rc = bl_store_query(s, sql, params, nparams, first_int_row, &fi, d);
    if (rc < 0)
        return rc;
    if (!fi.found) {
        char ex[80];
        bl__sql_excerpt(sql, ex, sizeof(ex));
        return bl_diag_set(d, BL_ENOTFOUND, "no row from \"%s\"", ex);
    }
    if (out)
        *out = fi.v;
    return BL_OK;
}

/* ---- rows -------------------------------------------------------------------------- */

size_t bl_row_ncols(const struct bl_row *r)
{
    return r->ops->row_ncols(r);
}

const char *bl_row_colname(const struct bl_row *r, size_t col)
{
    if (col >= r->ops->row_ncols(r))
        return "";
    return r->ops->row_colname(r, col);
}

bool bl_row_isnull(const struct bl_row *r, size_t col)
{
    if (col >= r->ops->row_ncols(r))
        return true;
    return r->ops->row_isnull(r, col);
}

int64_t bl_row_int(const struct bl_row *r, size_t col)
{
    if (col >= r->ops->row_ncols(r))
        return 0;
    return r->ops->row_int(r, col);
}

int64_t bl_row_int_or(const struct bl_row *r, size_t col, int64_t if_null)
{
    if (col >= r->ops->row_ncols(r))
        return if_null;
    if (r->ops->row_int_or)
        return r->ops->row_int_or(r, col, if_null);
    return r->ops->row_isnull(r, col) ? if_null : r->ops->row_int(r, col);
}

struct bl_str bl_row_text(const struct bl_row *r, size_t col)
{
    if (col >= r->ops->row_ncols(r))
        return (struct bl_str){"", 0};
    return r->ops->row_text(r, col);
}

int bl_row_blob(const struct bl_row *r, size_t col, struct bl_str *out)
{
    *out = (struct bl_str){"", 0};
    if (col >= r->ops->row_ncols(r) || r->ops->row_isnull(r, col))
        return BL_OK;
    return r->ops->row_blob(r, col, out);
}

/* ---- migrations -------------------------------------------------------------------- */

int bl_store_latest_version(void)
{
    size_t n;
    const struct bl_migration *m = bl__migrations(&n);
    return n ? m[n - 1].version : 0;
}

int bl_store_version(struct bl_store *s, int *version, struct bl_diag *d)
{
    int rc = check_usable(s, NULL, d);
    if (rc != BL_OK)
        return rc;
    bool exists = false;
    rc = s->ops->has_table(s, "schema_version", &exists, d);
    if (rc != BL_OK)
        return rc;
    int64_t v = 0;
    if (exists) {
        rc = bl_store_query_int(s, "SELECT MAX(version) FROM schema_version", NULL, 0, &v, d);
        if (rc == BL_ENOTFOUND)
            v = 0;
        else if (rc != BL_OK)
            return rc;
    }
    if (v < 0 || v > INT32_MAX)
        return bl_diag_set(d, BL_ESCHEMA, "schema_version holds %lld, not a version number",
                           (long long)v);
    if (version)
        *version = (int)v;
    return BL_OK;
}

/* Puts "prefix: " in front of the message already in d. */
static void BL_PRINTF(2, 3) diag_prefix(struct bl_diag *d, const char *fmt, ...)
{
    if (!d)
        return;
    char old[sizeof(d->msg)];
    memcpy(old, d->msg, sizeof(old));
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n + 3 < sizeof(d->msg)) {
        memcpy(d->msg + n, ": ", 2);
        bl_str_copy(d->msg + n + 2, sizeof(d->msg) - (size_t)n - 2, bl_str_c(old));
    }
}

/* One step: inside a fresh transaction holding the migration lock, reads the
 * version and applies the next migration if there is one. *done is set when the
 * store is up to date. Leaves the transaction open on error (caller rolls back). */
static int migrate_step(struct bl_store *s, bool *done, struct bl_diag *d)
{
    int rc = s->ops->migrate_lock(s, d);
    if (rc != BL_OK) {
        diag_prefix(d, "locking the schema for migration");
        return rc;
    }
    int cur = 0;
    rc = bl_store_version(s, &cur, d);
    if (rc != BL_OK) {
        diag_prefix(d, "reading the schema version");
        return rc;
    }
    size_t n;
    const struct bl_migration *m = bl__migrations(&n);
    int latest = bl_store_latest_version();
    if (cur > latest)
        return bl_diag_set(d, BL_ESCHEMA,
                           "the store has schema version %d but this program knows only up "
                           "to version %d; use a newer ballast",
                           cur, latest);
    const struct bl_migration *next = NULL;
    for (size_t i = 0; i < n && !next; i++)
        if (m[i].version > cur)
            next = &m[i];
    if (!next) {
        *done = true;
        return BL_OK;
    }
    rc = bl_store_exec(s, "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)",
                       NULL, 0, NULL, d);
    if (rc != BL_OK) {
        diag_prefix(d, "creating the schema_version table");
        return rc;
    }
    for (size_t i = 0; i < next->nstmts; i++) {
        /* The one dialect difference in the migrations: SQLite-only table options. */
        char buf[4096];
        const char *sql = next->stmts[i];
        size_t len = strlen(sql), suffix = sizeof(BL__SQLITE_ONLY_SUFFIX) - 1;
        if (strcmp(s->ops->kind, "sqlite") != 0 && len > suffix && len < sizeof(buf) &&
            strcmp(sql + len - suffix, BL__SQLITE_ONLY_SUFFIX) == 0) {
            memcpy(buf, sql, len - suffix);
            buf[len - suffix] = 0;
            sql = buf;
        }
        rc = bl_store_exec(s, sql, NULL, 0, NULL, d);
        if (rc != BL_OK) {
            diag_prefix(d, "migration %d (%s), statement %zu", next->version, next->what, i + 1);
            return rc;
        }
    }
    struct bl_val v = bl_val_int(next->version);
    rc = bl_store_exec(s, "DELETE FROM schema_version", NULL, 0, NULL, d);
    if (rc == BL_OK)
        rc = bl_store_exec(s, "INSERT INTO schema_version (version) VALUES ($1)", &v, 1, NULL, d);
    if (rc != BL_OK)
        diag_prefix(d, "recording schema version %d", next->version);
    return rc;
}

int bl_store_migrate(struct bl_store *s, struct bl_diag *d)
{
    if (!s)
        return bl_diag_set(d, BL_EINVAL, "no store given");
    if (s->in_tx)
        return bl_diag_set(d, BL_EINVAL, "migrate must run outside a transaction");
    for (;;) {
        int rc = bl_store_begin(s, d);
        if (rc != BL_OK)
            return rc;
        bool done = false;
        rc = migrate_step(s, &done, d);
        if (rc != BL_OK) {
            int ignored = bl_store_rollback(s, NULL); /* rc says what went wrong */
            (void)ignored;
            return rc;
        }
        rc = bl_store_commit(s, d);
        if (rc != BL_OK || done)
            return rc;
    }
}

/* ---- bulk insert ------------------------------------------------------------------- */

int bl_inserter_open(struct bl_store *s, const char *table, const char *const *cols, size_t ncols,
                     struct bl_inserter **out, struct bl_diag *d)
{
    if (!out)
        return bl_diag_set(d, BL_EINVAL, "no place for the inserter given");
    *out = NULL;
    int rc = check_usable(s, NULL, d);
    if (rc != BL_OK)
        return rc;
    if (!s->in_tx)
        return bl_diag_set(d, BL_EINVAL,
                           "bulk insert needs an open transaction (call bl_store_begin first)");
    struct bl_inserter tmp;
    if (!ident_ok(table, sizeof(tmp.table)))
        return bl_diag_set(d, BL_EINVAL, "bad table name '%s': expected [A-Za-z_][A-Za-z0-9_]*",
                           table ? table : "(null)");
    if (ncols == 0 || !cols || ncols > 1000)
        return bl_diag_set(d, BL_EINVAL,
                           "bulk insert into %s: expected 1 to 1000 columns, "
                           "got %zu",
                           table, ncols);
    for (size_t i = 0; i < ncols; i++)
        if (!ident_ok(cols[i], 64))
            return bl_diag_set(d, BL_EINVAL,
                               "bulk insert into %s: bad column name '%s' (position %zu)", table,
                               cols[i] ? cols[i] : "(null)", i + 1);
    struct bl_inserter *ins = NULL;
    rc = s->ops->ins_open(s, table, cols, ncols, &ins, d);
    if (rc != BL_OK)
        return rc;
    ins->s = s;
    ins->ops = s->ops;
    ins->ncols = ncols;
    bl_str_copy(ins->table, sizeof(ins->table), bl_str_c(table));
    *out = ins;
    return BL_OK;
}

int bl_inserter_row(struct bl_inserter *ins, const struct bl_val *vals, int64_t src_line,
                    struct bl_diag *d)
{
    if (!ins || !vals)
        return bl_diag_set(d, BL_EINVAL, "no inserter or no values given");
    struct bl_store *s = ins->s;
    int rc = check_usable(s, NULL, d);
    if (rc != BL_OK)
        return rc;
    for (size_t i = 0; i < ins->ncols; i++) {
        const struct bl_val *v = &vals[i];
        if (v->kind != BL_VAL_TEXT && v->kind != BL_VAL_INT && v->kind != BL_VAL_NULL &&
            v->kind != BL_VAL_BLOB)
            return bl_diag_set(d, BL_EINVAL, "inserting into %s: value %zu: unknown kind %d",
                               ins->table, i + 1, (int)v->kind);
        if (v->kind == BL_VAL_TEXT && v->s.len && memchr(v->s.ptr, '\0', v->s.len)) {
            bl_diag_at(d, NULL, src_line, NULL);
            return bl__store_fail(s, d, BL_EINVAL,
                                  "inserting into %s: value %zu contains a NUL byte, which the "
                                  "store cannot keep",
                                  ins->table, i + 1);
        }
    }
    rc = s->ops->ins_row(ins, vals, src_line, d);
    if (rc < 0 && s->in_tx)
        s->tx_failed = true;
    return rc;
}

int bl_inserter_flush(struct bl_inserter *ins, struct bl_diag *d)
{
    if (!ins)
        return bl_diag_set(d, BL_EINVAL, "no inserter given");
    int rc = check_usable(ins->s, NULL, d);
    if (rc != BL_OK)
        return rc;
    rc = ins->s->ops->ins_flush(ins, d);
    if (rc < 0 && ins->s->in_tx)
        ins->s->tx_failed = true;
    return rc;
}

int bl_inserter_kick(struct bl_inserter *ins, struct bl_diag *d)
{
    if (!ins)
        return bl_diag_set(d, BL_EINVAL, "no inserter given");
    int rc = check_usable(ins->s, NULL, d);
    if (rc != BL_OK || !ins->s->ops->ins_kick)
        return rc;
    rc = ins->s->ops->ins_kick(ins, d);
    if (rc < 0 && ins->s->in_tx)
        ins->s->tx_failed = true;
    return rc;
}

int bl_store_end(struct bl_store *s, int rc, struct bl_diag *d)
{
    if (!rc)
        rc = bl_store_commit(s, d);
    if (rc) {
        struct bl_diag ignore;
        bl_diag_clear(&ignore);
        if (bl_store_rollback(s, &ignore)) {
            /* the first error is the one to report */
        }
    }
    return rc;
}

int bl_inserter_end(struct bl_inserter *ins, int rc, struct bl_diag *d)
{
    if (!ins)
        return rc;
    if (rc) {
        bl_inserter_discard(ins);
        return rc;
    }
    return bl_inserter_close(ins, d);
}

int bl_inserter_close(struct bl_inserter *ins, struct bl_diag *d)
{
    if (!ins)
        return BL_OK;
    int rc = bl_inserter_flush(ins, d);
    ins->ops->ins_free(ins);
    return rc;
}

void bl_inserter_discard(struct bl_inserter *ins)
{
    if (ins)
        ins->ops->ins_free(ins);
}

int bl_store_settle(struct bl_store *s, struct bl_diag *d)
{
    if (!s || !s->ops->settle)
        return BL_OK;
    int rc = s->ops->settle(s, d);
    if (rc < 0 && s->in_tx)
        s->tx_failed = true;
    return rc;
}

void bl_store_wal_hook(struct bl_store *s, bl_wal_fn fn, void *ctx)
{
    if (s && s->ops->wal_hook)
        s->ops->wal_hook(s, fn, ctx);
}

int bl_store_wal_checkpoint(struct bl_store *s, int64_t *log, int64_t *copied, struct bl_diag *d)
{
    *log = *copied = 0;
    if (!s || !s->ops->wal_checkpoint)
        return BL_OK;
    return s->ops->wal_checkpoint(s, log, copied, d);
}
