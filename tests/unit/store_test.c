/* store_test.c - the store, against SQLite and PostgreSQL: the same test
 * functions run once per backend.
 *
 * The PostgreSQL group needs a server. Under ctest the "pg" fixture starts one and
 * BL_PG_URL_FILE names the file holding its URL. By hand:
 *
 *   tests/pg.sh start /tmp/pgh && BL_PG_URL_FILE=/tmp/pgh/url ./build/store_test
 *   tests/pg.sh stop /tmp/pgh
 *
 * Without BL_PG_URL_FILE the PostgreSQL group is skipped with a message.
 *
 * Isolation: every SQLite test gets a fresh file; every PostgreSQL test gets a
 * freshly created schema of its own (bl_store_test_<pid>, set as search_path), so
 * other test programs sharing the database at the same time are not disturbed.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "ballast/alloc.h"
#include "ballast/store.h"
#include "store/store_impl.h"

struct env {
    bool pg;
    char *url; /* PostgreSQL: the server's URL */
    char *dir; /* SQLite: temporary directory */
    char path[512];
    char schema[64];
    int seq;
};

static struct env env_sqlite;
static struct env env_pg;

/* Opens the current test's store (no cmocka asserts: used from threads too). */
static int env_open(struct env *e, struct bl_store **s, struct bl_diag *d)
{
    if (!e->pg)
        return bl_store_open(s, e->path, d);
    int rc = bl_store_open(s, e->url, d);
    if (rc != BL_OK)
        return rc;
    char sql[128];
    snprintf(sql, sizeof(sql), "SET search_path TO %s", e->schema);
    rc = bl_store_exec(*s, sql, NULL, 0, NULL, d);
    if (rc != BL_OK) {
        bl_store_close(*s);
        *s = NULL;
    }
    return rc;
}

static struct bl_store *open_ok(struct env *e)
{
    struct bl_store *s = NULL;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(env_open(e, &s, &d), &d);
    return s;
}

static struct bl_store *open_migrated(struct env *e)
{
    struct bl_store *s = open_ok(e);
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_store_migrate(s, &d), &d);
    return s;
}

static void exec_ok(struct bl_store *s, const char *sql, const struct bl_val *p, size_t n)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_store_exec(s, sql, p, n, NULL, &d), &d);
}

static int64_t count(struct bl_store *s, const char *sql)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    int64_t n = -1;
    BL_ASSERT_OK(bl_store_query_int(s, sql, NULL, 0, &n, &d), &d);
    return n;
}

/* Per test: a new SQLite file, or an empty PostgreSQL schema. */
static int fresh(void **state)
{
    struct env *e = *state;
    e->seq++;
    if (!e->pg) {
        snprintf(e->path, sizeof(e->path), "%s/t%d.db", e->dir, e->seq);
        return 0;
    }
    struct bl_store *s = NULL;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_store_open(&s, e->url, &d), &d);
    char sql[160];
    snprintf(sql, sizeof(sql), "DROP SCHEMA IF EXISTS %s CASCADE", e->schema);
    exec_ok(s, sql, NULL, 0);
    snprintf(sql, sizeof(sql), "CREATE SCHEMA %s", e->schema);
    exec_ok(s, sql, NULL, 0);
    bl_store_close(s);
    return 0;
}

static int setup_sqlite(void **state)
{
    env_sqlite.pg = false;
    env_sqlite.dir = bl_test_tmpdir();
    *state = &env_sqlite;
    return 0;
}

static int teardown_sqlite(void **state)
{
    (void)state;
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    for (int i = 1; i <= env_sqlite.seq; i++) {
        for (size_t k = 0; k < 4; k++) {
            char path[600];
            snprintf(path, sizeof(path), "%s/t%d.db%s", env_sqlite.dir, i, suffix[k]);
            remove(path);
        }
    }
    remove(env_sqlite.dir);
    free(env_sqlite.dir);
    return 0;
}

static int setup_pg(void **state)
{
    env_pg.pg = true;
    snprintf(env_pg.schema, sizeof(env_pg.schema), "bl_store_test_%ld", (long)getpid());
    *state = &env_pg;
    return 0;
}

static int teardown_pg(void **state)
{
    (void)state;
    struct bl_store *s = NULL;
    struct bl_diag d;
    if (bl_store_open(&s, env_pg.url, &d) == BL_OK) {
        char sql[160];
        snprintf(sql, sizeof(sql), "DROP SCHEMA IF EXISTS %s CASCADE", env_pg.schema);
        if (bl_store_exec(s, sql, NULL, 0, NULL, &d) != BL_OK)
            fprintf(stderr, "store_test: could not drop %s: %s\n", env_pg.schema, d.msg);
        bl_store_close(s);
    }
    return 0;
}

/* ---- migrations -------------------------------------------------------------------- */

static void test_open_migrate(void **state)
{
    struct env *e = *state;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_store *s = open_ok(e);
    assert_string_equal(bl_store_kind(s), e->pg ? "postgres" : "sqlite");
    int v = -1;
    BL_ASSERT_OK(bl_store_version(s, &v, &d), &d);
    assert_int_equal(v, 0);
    assert_true(bl_store_latest_version() >= 1);

    BL_ASSERT_OK(bl_store_migrate(s, &d), &d);
    BL_ASSERT_OK(bl_store_version(s, &v, &d), &d);
    assert_int_equal(v, bl_store_latest_version());
    BL_ASSERT_OK(bl_store_migrate(s, &d), &d); /* idempotent */
    BL_ASSERT_OK(bl_store_version(s, &v, &d), &d);
    assert_int_equal(v, bl_store_latest_version());
    assert_int_equal(count(s, "SELECT COUNT(*) FROM schema_version"), 1);

    /* The default organisation exists, once. */
    struct bl_val p[2] = {bl_val_int(1), bl_val_text(BL_STR("default"))};
    int64_t n = 0;
    BL_ASSERT_OK(
        bl_store_query_int(s, "SELECT COUNT(*) FROM org WHERE id = $1 AND name = $2", p, 2, &n, &d),
        &d);
    assert_int_equal(n, 1);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM org"), 1);
    bl_store_close(s);

    /* Reopened: still at the latest version, migrating again changes nothing. */
    s = open_ok(e);
    BL_ASSERT_OK(bl_store_migrate(s, &d), &d);
    BL_ASSERT_OK(bl_store_version(s, &v, &d), &d);
    assert_int_equal(v, bl_store_latest_version());
    assert_int_equal(count(s, "SELECT COUNT(*) FROM org"), 1);
    /* Migrating inside a transaction is refused. */
    BL_ASSERT_OK(bl_store_begin(s, &d), &d);
    assert_int_equal(bl_store_migrate(s, &d), BL_EINVAL);
    BL_ASSERT_OK(bl_store_rollback(s, &d), &d);
    bl_store_close(s);
}

static void test_schema_newer(void **state)
{
    struct env *e = *state;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_store *s = open_migrated(e);
    int future = bl_store_latest_version() + 5;
    struct bl_val p = bl_val_int(future);
    exec_ok(s, "UPDATE schema_version SET version = $1", &p, 1);
    bl_store_close(s);

    s = open_ok(e);
    assert_int_equal(bl_store_migrate(s, &d), BL_ESCHEMA);
    char want[64];
    snprintf(want, sizeof(want), "schema version %d", future);
    assert_non_null(strstr(d.msg, want));
    snprintf(want, sizeof(want), "up to version %d", bl_store_latest_version());
    assert_non_null(strstr(d.msg, want));
    int v = 0;
    BL_ASSERT_OK(bl_store_version(s, &v, &d), &d);
    assert_int_equal(v, future);
    /* The failed migration left no transaction behind. */
    BL_ASSERT_OK(bl_store_begin(s, &d), &d);
    BL_ASSERT_OK(bl_store_commit(s, &d), &d);
    bl_store_close(s);
}

struct migrator {
    struct env *e;
    int rc;
    struct bl_diag d;
};

static void *migrate_thread(void *arg)
{
    struct migrator *m = arg;
    struct bl_store *s = NULL;
    bl_diag_clear(&m->d);
    m->rc = env_open(m->e, &s, &m->d);
    if (m->rc == BL_OK) {
        m->rc = bl_store_migrate(s, &m->d);
        bl_store_close(s);
    }
    return NULL;
}

/* Two programs migrating the same empty store at once: both succeed, the
 * migration runs once (PostgreSQL: advisory lock; SQLite: BEGIN IMMEDIATE). */
static void test_concurrent_migrate(void **state)
{
    struct env *e = *state;
    struct migrator m[3] = {{e, 0, {0}}, {e, 0, {0}}, {e, 0, {0}}};
    pthread_t t[3];
    for (int i = 0; i < 3; i++)
        assert_int_equal(pthread_create(&t[i], NULL, migrate_thread, &m[i]), 0);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
        BL_ASSERT_OK(m[i].rc, &m[i].d);
    }
    struct bl_store *s = open_ok(e);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM org"), 1);
    assert_int_equal(count(s, "SELECT MAX(version) FROM schema_version"),
                     bl_store_latest_version());
    bl_store_close(s);
}

/* ---- exec and query ---------------------------------------------------------------- */

#define SPECIAL "tab\there\nnew\\back\rcr"

struct collected {
    int rows;
    int64_t id[8];
    char name[8][64];
    bool name_null[8];
    int64_t n[8];
    bool n_null[8];
    char cols[3][16];
};

static int collect(void *ctx, const struct bl_row *r)
{
    struct collected *c = ctx;
    assert_int_equal(bl_row_ncols(r), 3);
    for (size_t i = 0; i < 3; i++)
        bl_str_copy(c->cols[i], sizeof(c->cols[i]), bl_str_c(bl_row_colname(r, i)));
    int k = c->rows++;
    c->id[k] = bl_row_int(r, 0);
    bl_str_copy(c->name[k], sizeof(c->name[k]), bl_row_text(r, 1));
    c->name_null[k] = bl_row_isnull(r, 1);
    c->n[k] = bl_row_int(r, 2);
    c->n_null[k] = bl_row_isnull(r, 2);
    /* Out-of-range columns read as NULL. */
    assert_true(bl_row_isnull(r, 3));
    assert_int_equal(bl_row_int(r, 3), 0);
    assert_int_equal(bl_row_text(r, 3).len, 0);
    return 0;
}

static int stop_after_one(void *ctx, const struct bl_row *r)
{
    (void)r;
    (*(int *)ctx)++;
    return 5;
}

struct nested {
    struct bl_store *s;
    int64_t sum;
};

static int nested_query(void *ctx, const struct bl_row *r)
{
    struct nested *n = ctx;
    struct bl_val p = bl_val_int(bl_row_int(r, 0));
    int64_t v = 0;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_store_query_int(n->s, "SELECT n FROM t WHERE id = $1", &p, 1, &v, &d), &d);
    n->sum += v;
    return 0;
}

static void test_exec_query(void **state)
{
    struct env *e = *state;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_store *s = open_ok(e);
    exec_ok(s, "CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT, n BIGINT)", NULL, 0);

    struct bl_val rows[4][3] = {
        {bl_val_int(1), bl_val_text(BL_STR("快手")), bl_val_int(42)},
        {bl_val_int(2), bl_val_text(BL_STR(SPECIAL)), bl_val_null()},
        {bl_val_int(3), bl_val_null(), bl_val_int(INT64_MIN)},
        {bl_val_int(4), bl_val_text(BL_STR("")), bl_val_int(INT64_MAX)},
    };
    for (int i = 0; i < 4; i++) {
        int64_t changes = -1;
        BL_ASSERT_OK(bl_store_exec(s, "INSERT INTO t (id, name, n) VALUES ($1, $2, $3)", rows[i], 3,
                                   &changes, &d),
                     &d);
        assert_int_equal(changes, 1);
    }

    struct collected c;
    memset(&c, 0, sizeof(c));
    BL_ASSERT_OK(
        bl_store_query(s, "SELECT id, name, n FROM t ORDER BY id", NULL, 0, collect, &c, &d), &d);
    assert_int_equal(c.rows, 4);
    assert_string_equal(c.cols[0], "id");
    assert_string_equal(c.cols[1], "name");
    assert_string_equal(c.cols[2], "n");
    assert_int_equal(c.id[0], 1);
    assert_string_equal(c.name[0], "快手");
    assert_int_equal(c.n[0], 42);
    assert_string_equal(c.name[1], SPECIAL);
    assert_true(c.n_null[1]);
    assert_int_equal(c.n[1], 0);
    assert_true(c.name_null[2]);
    assert_false(c.name_null[3]); /* empty text is not NULL */
    assert_true(c.n[2] == INT64_MIN);
    assert_true(c.n[3] == INT64_MAX);

    /* Parameters in WHERE, with text equality on special characters. */
    struct bl_val p = bl_val_text(BL_STR(SPECIAL));
    int64_t id = 0;
    BL_ASSERT_OK(bl_store_query_int(s, "SELECT id FROM t WHERE name = $1", &p, 1, &id, &d), &d);
    assert_int_equal(id, 2);
    p = bl_val_text(BL_STR("快手"));
    BL_ASSERT_OK(bl_store_query_int(s, "SELECT id FROM t WHERE name = $1", &p, 1, &id, &d), &d);
    assert_int_equal(id, 1);

    /* A parameter used twice. */
    struct bl_val p2[2] = {bl_val_int(7), bl_val_int(3)};
    int64_t changes = -1;
    BL_ASSERT_OK(
        bl_store_exec(s, "UPDATE t SET n = $1 WHERE id >= $2 OR id = $2", p2, 2, &changes, &d), &d);
    assert_int_equal(changes, 2);
    p = bl_val_int(99);
    BL_ASSERT_OK(bl_store_exec(s, "DELETE FROM t WHERE id = $1", &p, 1, &changes, &d), &d);
    assert_int_equal(changes, 0);
    /* DDL reports no changes. */
    BL_ASSERT_OK(bl_store_exec(s, "CREATE TABLE u (x BIGINT)", NULL, 0, &changes, &d), &d);
    assert_int_equal(changes, 0);

    /* The callback stops the query; its value comes back. */
    int calls = 0;
    assert_int_equal(
        bl_store_query(s, "SELECT id, name, n FROM t", NULL, 0, stop_after_one, &calls, &d), 5);
    assert_int_equal(calls, 1);

    /* query_int: no row -> NOTFOUND, *out untouched. */
    int64_t out = 12345;
    p = bl_val_int(99);
    assert_int_equal(bl_store_query_int(s, "SELECT id FROM t WHERE id = $1", &p, 1, &out, &d),
                     BL_ENOTFOUND);
    assert_int_equal(out, 12345);
    assert_non_null(strstr(d.msg, "no row"));

    /* A callback may run other statements on the same store (also the same SQL). */
    struct nested nq = {s, 0};
    BL_ASSERT_OK(bl_store_query(s, "SELECT id FROM t WHERE id <= $1 ORDER BY id", &p, 1,
                                nested_query, &nq, &d),
                 &d);
    assert_int_equal(nq.sum, 42 + 0 + 7 + 7);

    /* The same SQL in a loop (served from the statement cache on SQLite). */
    int64_t total = 0;
    for (int i = 1; i <= 200; i++) {
        struct bl_val k = bl_val_int(i % 4 + 1);
        int64_t v = 0;
        BL_ASSERT_OK(bl_store_query_int(s, "SELECT id FROM t WHERE id = $1", &k, 1, &v, &d), &d);
        total += v;
    }
    assert_int_equal(total, 50 * (1 + 2 + 3 + 4));
    bl_store_close(s);
}

struct blobs {
    int rows;
    size_t len[4];
    unsigned char first[4], last[4];
    bool null[4];
    char *big;
};

static int read_blobs(void *ctx, const struct bl_row *r)
{
    struct blobs *b = ctx;
    struct bl_str v;
    assert_int_equal(bl_row_blob(r, 1, &v), BL_OK);
    int i = b->rows++;
    b->len[i] = v.len;
    b->null[i] = bl_row_isnull(r, 1);
    if (v.len) {
        b->first[i] = (unsigned char)v.ptr[0];
        b->last[i] = (unsigned char)v.ptr[v.len - 1];
    }
    if (v.len > 1000000) {
        b->big = malloc(v.len);
        memcpy(b->big, v.ptr, v.len);
    }
    return 0;
}

/* Bytes (BYTEA) go in as parameters and through bulk inserters and come back exactly:
 * NUL, 0xff, backslashes, empty, NULL, and a few megabytes. */
static void test_blobs(void **state)
{
    struct env *e = *state;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_store *s = open_ok(e);
    exec_ok(s, "CREATE TABLE b (id BIGINT PRIMARY KEY, data BYTEA)", NULL, 0);
    static const unsigned char odd[] = {0, 0xff, '\\', 'x', 0, '\'', 0x80, 0xfe};
    size_t nbig = 3u << 20;
    unsigned char *big = malloc(nbig);
    for (size_t i = 0; i < nbig; i++)
        big[i] = (unsigned char)(i * 2654435761u >> 13);
    struct bl_val rows[4][2] = {
        {bl_val_int(1), bl_val_blob(odd, sizeof(odd))},
        {bl_val_int(2), bl_val_blob("", 0)},
        {bl_val_int(3), bl_val_null()},
        {bl_val_int(4), bl_val_blob(big, nbig)},
    };
    for (int i = 0; i < 4; i++)
        exec_ok(s, "INSERT INTO b (id, data) VALUES ($1, $2)", rows[i], 2);
    struct blobs got;
    memset(&got, 0, sizeof(got));
    BL_ASSERT_OK(bl_store_query(s, "SELECT id, data FROM b ORDER BY id", NULL, 0, read_blobs,
                                &got, &d),
                 &d);
    assert_int_equal(got.rows, 4);
    assert_int_equal(got.len[0], sizeof(odd));
    assert_int_equal(got.first[0], 0);
    assert_int_equal(got.last[0], 0xfe);
    assert_int_equal(got.len[1], 0);
    assert_false(got.null[1]);
    assert_true(got.null[2]);
    assert_int_equal(got.len[2], 0);
    assert_int_equal(got.len[3], nbig);
    assert_non_null(got.big);
    assert_memory_equal(got.big, big, nbig);
    free(got.big);
    /* As a parameter in WHERE. */
    struct bl_val p = bl_val_blob(odd, sizeof(odd));
    int64_t id = 0;
    BL_ASSERT_OK(bl_store_query_int(s, "SELECT id FROM b WHERE data = $1", &p, 1, &id, &d), &d);
    assert_int_equal(id, 1);
    /* Through a bulk inserter too (the writer thread on SQLite, COPY on PostgreSQL). */
    static const char *const cols[] = {"id", "data"};
    struct bl_inserter *ins = NULL;
    BL_ASSERT_OK(bl_store_begin(s, &d), &d);
    BL_ASSERT_OK(bl_inserter_open(s, "b", cols, 2, &ins, &d), &d);
    struct bl_val r[2] = {bl_val_int(9), bl_val_blob(odd, sizeof(odd))};
    BL_ASSERT_OK(bl_inserter_row(ins, r, 1, &d), &d);
    r[0] = bl_val_int(10);
    r[1] = bl_val_blob(big, nbig);
    BL_ASSERT_OK(bl_inserter_row(ins, r, 2, &d), &d);
    BL_ASSERT_OK(bl_inserter_close(ins, &d), &d);
    BL_ASSERT_OK(bl_store_commit(s, &d), &d);
    memset(&got, 0, sizeof(got));
    BL_ASSERT_OK(bl_store_query(s, "SELECT id, data FROM b WHERE id >= 9 ORDER BY id", NULL, 0,
                                read_blobs, &got, &d),
                 &d);
    assert_int_equal(got.rows, 2);
    assert_int_equal(got.len[0], sizeof(odd));
    assert_int_equal(got.first[0], 0);
    assert_int_equal(got.last[0], 0xfe);
    assert_int_equal(got.len[1], nbig);
    assert_non_null(got.big);
    assert_memory_equal(got.big, big, nbig);
    free(got.big);
    free(big);
    bl_store_close(s);
}

struct conv {
    int64_t ints[7];
    char texts[7][32];
    bool nulls[7];
};

static int read_conv(void *ctx, const struct bl_row *r)
{
    struct conv *c = ctx;
    assert_int_equal(bl_row_ncols(r), 7);
    for (size_t i = 0; i < 7; i++) {
        c->ints[i] = bl_row_int(r, i);
        bl_str_copy(c->texts[i], sizeof(c->texts[i]), bl_row_text(r, i));
        c->nulls[i] = bl_row_isnull(r, i);
    }
    return 0;
}

/* The accessors agree on both backends whatever the column's type. */
static void test_row_conversions(void **state)
{
    struct env *e = *state;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_store *s = open_ok(e);
    exec_ok(s, "CREATE TABLE t (a BIGINT, b BIGINT)", NULL, 0);
    struct bl_val p[2] = {bl_val_int(5), bl_val_int(2)};
    exec_ok(s, "INSERT INTO t (a, b) VALUES ($1, $2)", p, 2);
    struct conv c;
    memset(&c, 0, sizeof(c));
    BL_ASSERT_OK(bl_store_query(s,
                                "SELECT NULL, 'abc', '42', '-2.75', a > b, a, SUM(a) FROM t"
                                " GROUP BY a, b",
                                NULL, 0, read_conv, &c, &d),
                 &d);
    assert_true(c.nulls[0]);
    assert_int_equal(c.ints[0], 0);
    assert_string_equal(c.texts[0], "");
    assert_int_equal(c.ints[1], 0); /* not a number */
    assert_string_equal(c.texts[1], "abc");
    assert_int_equal(c.ints[2], 42);
    assert_int_equal(c.ints[3], -2); /* fraction dropped */
    assert_int_equal(c.ints[4], 1);  /* a comparison is 1 or 0 */
    assert_int_equal(c.ints[5], 5);
    assert_string_equal(c.texts[5], "5");
    assert_int_equal(c.ints[6], 5); /* SUM is NUMERIC on PostgreSQL */
    bl_store_close(s);
}


static int read_first_int(void *ctx, const struct bl_row *r)
{
    int64_t *v = ctx;
    *v = bl_row_int(r, 0);
    return 0;
}

/* A number past int64 in a row (a SUM of two INT64_MAX: NUMERIC on PostgreSQL, an
 * overflow error on SQLite; a REAL; a text) is never read as 0: the query stops with
 * BL_EOVERFLOW naming the column. */
static void test_row_past_int64(void **state)
{
    struct env *e = *state;
    struct bl_diag d;
    struct bl_store *s = open_ok(e);
    exec_ok(s, "CREATE TABLE t (a BIGINT)", NULL, 0);
    struct bl_val p = bl_val_int(INT64_MAX);
    exec_ok(s, "INSERT INTO t (a) VALUES ($1)", &p, 1);
    exec_ok(s, "INSERT INTO t (a) VALUES ($1)", &p, 1);
    int64_t v = 7;
    bl_diag_clear(&d);
    assert_true(bl_store_query(s, "SELECT SUM(a) AS total FROM t", NULL, 0, read_first_int, &v,
                               &d) < 0);
    assert_true(d.code == BL_EOVERFLOW || d.code == BL_ESTORE); /* SQLite: integer overflow */
    const char *const big[] = {"SELECT '18446744073709551614' AS total",
                               "SELECT CAST(18446744073709551614 AS NUMERIC) AS total",
                               "SELECT '-99999999999999999999.5' AS total"};
    for (size_t i = 0; i < sizeof(big) / sizeof(big[0]); i++) {
        bl_diag_clear(&d);
        assert_int_equal(bl_store_query(s, big[i], NULL, 0, read_first_int, &v, &d),
                         BL_EOVERFLOW);
        assert_non_null(strstr(d.msg, "column 'total'"));
    }
    /* the largest that fits still reads, and the next query is not poisoned */
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_store_query(s, "SELECT MAX(a) AS total FROM t", NULL, 0, read_first_int, &v,
                                &d),
                 &d);
    assert_true(v == INT64_MAX);
    bl_store_close(s);
}

static void test_errors(void **state)
{
    struct env *e = *state;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_store *s = open_migrated(e);

    assert_int_equal(bl_store_exec(s, "SELEC 1", NULL, 0, NULL, &d), BL_ESTORE);
    assert_non_null(strstr(d.msg, "SELEC 1"));
    assert_non_null(strstr(d.msg, "syntax error"));

    /* Placeholders and parameters must match. */
    struct bl_val p[2] = {bl_val_int(1), bl_val_int(2)};
    assert_int_equal(bl_store_exec(s, "SELECT $1", NULL, 0, NULL, &d), BL_ESTORE);
    /* Unused parameters: refused by SQLite; PostgreSQL accepts unused BIGINT ones. */
    if (!e->pg)
        assert_int_equal(bl_store_exec(s, "SELECT $1", p, 2, NULL, &d), BL_ESTORE);
    /* Placeholders numbered out of order still bind by number. */
    struct bl_val q[2] = {bl_val_int(10), bl_val_int(3)};
    int64_t diff = 0;
    BL_ASSERT_OK(bl_store_query_int(s, "SELECT $2 - $1", q, 2, &diff, &d), &d);
    assert_int_equal(diff, -7);
    /* One statement at a time. */
    assert_int_equal(bl_store_exec(s, "SELECT 1; SELECT 2", NULL, 0, NULL, &d), BL_ESTORE);
    assert_int_equal(bl_store_exec(s, "  ", NULL, 0, NULL, &d), BL_EINVAL);
    /* Text that the store cannot hold. */
    struct bl_val nul = bl_val_text((struct bl_str){"a\0b", 3});
    assert_int_equal(bl_store_exec(s, "SELECT $1", &nul, 1, NULL, &d), BL_EINVAL);
    assert_non_null(strstr(d.msg, "NUL"));

    /* Constraint violations. */
    struct bl_val org[2] = {bl_val_int(2), bl_val_text(BL_STR("default"))};
    assert_int_equal(
        bl_store_exec(s, "INSERT INTO org (id, name) VALUES ($1, $2)", org, 2, NULL, &d),
        BL_EEXISTS);
    assert_non_null(strstr(d.msg, "org"));
    org[0] = bl_val_int(1);
    org[1] = bl_val_text(BL_STR("other"));
    assert_int_equal(
        bl_store_exec(s, "INSERT INTO org (id, name) VALUES ($1, $2)", org, 2, NULL, &d),
        BL_EEXISTS);
    org[0] = bl_val_int(3);
    org[1] = bl_val_null();
    assert_int_equal(
        bl_store_exec(s, "INSERT INTO org (id, name) VALUES ($1, $2)", org, 2, NULL, &d),
        BL_ECONFLICT);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM org"), 1);
    /* Unknown table. */
    assert_int_equal(bl_store_query_int(s, "SELECT COUNT(*) FROM nosuch", NULL, 0, NULL, &d),
                     BL_ESTORE);
    assert_non_null(strstr(d.msg, "nosuch"));
    bl_store_close(s);
}

/* ---- transactions ------------------------------------------------------------------ */

static void add_org(struct bl_store *s, int64_t id, const char *name)
{
    struct bl_val p[2] = {bl_val_int(id), bl_val_text(bl_str_c(name))};
    exec_ok(s, "INSERT INTO org (id, name) VALUES ($1, $2)", p, 2);
}

static void test_transactions(void **state)
{
    struct env *e = *state;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_store *s = open_migrated(e);

    BL_ASSERT_OK(bl_store_begin(s, &d), &d);
    assert_int_equal(bl_store_begin(s, &d), BL_EINVAL);
    add_org(s, 2, "two");
    assert_int_equal(count(s, "SELECT COUNT(*) FROM org"), 2);
    BL_ASSERT_OK(bl_store_rollback(s, &d), &d);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM org"), 1);

    BL_ASSERT_OK(bl_store_begin(s, &d), &d);
    add_org(s, 2, "two");
    BL_ASSERT_OK(bl_store_commit(s, &d), &d);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM org"), 2);

    assert_int_equal(bl_store_commit(s, &d), BL_EINVAL);
    BL_ASSERT_OK(bl_store_rollback(s, &d), &d); /* nothing open: a no-op */

    /* Closing with an open transaction rolls it back. */
    BL_ASSERT_OK(bl_store_begin(s, &d), &d);
    add_org(s, 3, "three");
    bl_store_close(s);
    s = open_ok(e);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM org"), 2);

    /* After an error the transaction only accepts a rollback, on both backends. */
    BL_ASSERT_OK(bl_store_begin(s, &d), &d);
    add_org(s, 3, "three");
    struct bl_val dup[2] = {bl_val_int(4), bl_val_text(BL_STR("two"))};
    assert_int_equal(
        bl_store_exec(s, "INSERT INTO org (id, name) VALUES ($1, $2)", dup, 2, NULL, &d),
        BL_EEXISTS);
    assert_int_equal(bl_store_query_int(s, "SELECT COUNT(*) FROM org", NULL, 0, NULL, &d),
                     BL_ESTORE);
    assert_non_null(strstr(d.msg, "roll it back"));
    assert_int_equal(bl_store_commit(s, &d), BL_ESTORE);
    assert_non_null(strstr(d.msg, "rolled back"));
    /* The failed commit rolled back: org 3 is gone and a new transaction works. */
    assert_int_equal(count(s, "SELECT COUNT(*) FROM org"), 2);
    BL_ASSERT_OK(bl_store_begin(s, &d), &d);
    add_org(s, 3, "three");
    BL_ASSERT_OK(bl_store_commit(s, &d), &d);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM org"), 3);
    bl_store_close(s);
}

/* ---- bulk insert ------------------------------------------------------------------- */

static const char *const sku_cols[] = {"org_id",   "id",           "ext_id",       "name",
                                       "category", "handling_min", "handling_max", "listing",
                                       "promoted", "price_review", "batch_id"};
#define SKU_NCOLS (sizeof(sku_cols) / sizeof(sku_cols[0]))
#define SKU_SPECIAL "快手\t \\ \n\r end \\N"

/* Row i of a generated sku table; ext_id "S<i>" unless dup_of > 0 (then that
 * row's ext_id), name NULL when null_name. */
static int sku_row(struct bl_inserter *ins, int64_t i, int64_t dup_of, bool null_name,
                   int64_t src_line, struct bl_diag *d)
{
    char ext[32], name[48];
    snprintf(ext, sizeof(ext), "S%06lld", (long long)(dup_of > 0 ? dup_of : i));
    if (i % 1000 == 7)
        snprintf(name, sizeof(name), "%s", SKU_SPECIAL);
    else
        snprintf(name, sizeof(name), "name %lld", (long long)i);
    struct bl_val v[SKU_NCOLS] = {
        bl_val_int(1),
        bl_val_int(i),
        bl_val_text(bl_str_c(ext)),
        null_name ? bl_val_null() : bl_val_text(bl_str_c(name)),
        i % 2 ? bl_val_null() : bl_val_text(BL_STR("cat")),
        bl_val_int(1),
        bl_val_int(i % 5 + 1),
        bl_val_text(BL_STR("active")),
        bl_val_int(i % 2),
        bl_val_text(BL_STR("none")),
        bl_val_int(7),
    };
    return bl_inserter_row(ins, v, src_line, d);
}

static struct bl_inserter *open_sku(struct bl_store *s)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_inserter *ins = NULL;
    BL_ASSERT_OK(bl_inserter_open(s, "sku", sku_cols, SKU_NCOLS, &ins, &d), &d);
    return ins;
}

struct sku_check {
    char ext[32];
    char name[64];
    bool cat_null;
    int64_t hmax;
};

static int read_sku(void *ctx, const struct bl_row *r)
{
    struct sku_check *c = ctx;
    bl_str_copy(c->ext, sizeof(c->ext), bl_row_text(r, 0));
    bl_str_copy(c->name, sizeof(c->name), bl_row_text(r, 1));
    c->cat_null = bl_row_isnull(r, 2);
    c->hmax = bl_row_int(r, 3);
    return 0;
}

static void check_sku(struct bl_store *s, int64_t id, const char *name, bool cat_null)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    struct sku_check c;
    memset(&c, 0, sizeof(c));
    struct bl_val p[2] = {bl_val_int(1), bl_val_int(id)};
    BL_ASSERT_OK(bl_store_query(s,
                                "SELECT ext_id, name, category, handling_max FROM sku"
                                " WHERE org_id = $1 AND id = $2",
                                p, 2, read_sku, &c, &d),
                 &d);
    char ext[32];
    snprintf(ext, sizeof(ext), "S%06lld", (long long)id);
    assert_string_equal(c.ext, ext);
    assert_string_equal(c.name, name);
    assert_int_equal(c.cat_null, cat_null);
    assert_int_equal(c.hmax, id % 5 + 1);
}

#define BULK_N 100000

static void test_bulk_insert(void **state)
{
    struct env *e = *state;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_store *s = open_migrated(e);
    BL_ASSERT_OK(bl_store_begin(s, &d), &d);
    struct bl_inserter *ins = open_sku(s);
    for (int64_t i = 1; i <= BULK_N; i++) {
        BL_ASSERT_OK(sku_row(ins, i, 0, false, i + 1, &d), &d);
        if (i == 12345)
            BL_ASSERT_OK(bl_inserter_flush(ins, &d), &d);
    }
    BL_ASSERT_OK(bl_inserter_close(ins, &d), &d);
    BL_ASSERT_OK(bl_store_commit(s, &d), &d);

    assert_int_equal(count(s, "SELECT COUNT(*) FROM sku"), BULK_N);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM sku WHERE category IS NULL"), BULK_N / 2);
    assert_int_equal(count(s, "SELECT SUM(id) FROM sku"), (int64_t)BULK_N * (BULK_N + 1) / 2);
    check_sku(s, 1, "name 1", true);
    check_sku(s, 54321, "name 54321", true);
    check_sku(s, 54322, "name 54322", false);
    check_sku(s, BULK_N, "name 100000", false);
    check_sku(s, 7, SKU_SPECIAL, true);
    check_sku(s, 99007, SKU_SPECIAL, true);
    bl_store_close(s);
}

/* Two inserters open at once on one store, their chunks interleaving. */
static void test_bulk_two_inserters(void **state)
{
    struct env *e = *state;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_store *s = open_migrated(e);
    BL_ASSERT_OK(bl_store_begin(s, &d), &d);
    static const char *const ocols[] = {"org_id",    "id",     "ext_id",   "shop_id", "status",
                                        "placed_at", "amount", "currency", "batch_id"};
    static const char *const lcols[] = {"org_id", "order_id", "line_no", "sku_id", "qty", "price"};
    struct bl_inserter *orders = NULL, *lines = NULL;
    BL_ASSERT_OK(bl_inserter_open(s, "orders", ocols, 9, &orders, &d), &d);
    BL_ASSERT_OK(bl_inserter_open(s, "order_line", lcols, 6, &lines, &d), &d);
    const int64_t n = 20000;
    for (int64_t i = 1; i <= n; i++) {
        char ext[24];
        snprintf(ext, sizeof(ext), "O-%lld", (long long)i);
        struct bl_val o[9] = {bl_val_int(1),
                              bl_val_int(i),
                              bl_val_text(bl_str_c(ext)),
                              bl_val_int(1),
                              bl_val_text(BL_STR("placed")),
                              bl_val_int(1700000000 + i),
                              bl_val_int(1999),
                              bl_val_text(BL_STR("USD")),
                              bl_val_int(1)};
        BL_ASSERT_OK(bl_inserter_row(orders, o, i + 1, &d), &d);
        for (int64_t k = 1; k <= 2; k++) {
            struct bl_val l[6] = {bl_val_int(1), bl_val_int(i), bl_val_int(k),
                                  bl_val_int(k), bl_val_int(k), bl_val_int(999)};
            BL_ASSERT_OK(bl_inserter_row(lines, l, i + 1, &d), &d);
        }
    }
    BL_ASSERT_OK(bl_inserter_close(orders, &d), &d);
    BL_ASSERT_OK(bl_inserter_close(lines, &d), &d);
    BL_ASSERT_OK(bl_store_commit(s, &d), &d);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM orders"), n);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM order_line"), 2 * n);
    assert_int_equal(count(s, "SELECT SUM(qty) FROM order_line"), 3 * n);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM"
                              " order_line l WHERE l.org_id = o.org_id AND l.order_id = o.id)"),
                     0);
    bl_store_close(s);
}

/* Values of another kind than their column, and a column of another type, go in as on
 * SQLite: PostgreSQL's inserter writes COPY's binary format for bigint, text and bytea
 * columns and falls back to the text format (the server converting) for the rest. */
static void test_bulk_mixed_kinds(void **state)
{
    struct env *e = *state;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_store *s = open_migrated(e);
    BL_ASSERT_OK(
        bl_store_exec(s, "CREATE TABLE mixed (a BIGINT, b TEXT, c INTEGER)", NULL, 0, NULL, &d),
        &d);
    BL_ASSERT_OK(bl_store_begin(s, &d), &d);
    const char *ab[] = {"a", "b"}, *ac[] = {"a", "c"};
    struct bl_inserter *ins = NULL;
    BL_ASSERT_OK(bl_inserter_open(s, "mixed", ab, 2, &ins, &d), &d);
    for (int64_t i = 1; i <= 300; i++) {
        char digits[24];
        snprintf(digits, sizeof(digits), "%lld", (long long)i);
        /* an integer for the TEXT column; digits as text for the BIGINT one at row 200 */
        struct bl_val v[2] = {i == 200 ? bl_val_text(bl_str_c(digits)) : bl_val_int(i),
                              i % 3 ? bl_val_int(i * 10) : bl_val_text(bl_str_c(digits))};
        BL_ASSERT_OK(bl_inserter_row(ins, v, i, &d), &d);
    }
    BL_ASSERT_OK(bl_inserter_close(ins, &d), &d);
    BL_ASSERT_OK(bl_inserter_open(s, "mixed", ac, 2, &ins, &d), &d);
    for (int64_t i = 1; i <= 10; i++) {
        struct bl_val v[2] = {bl_val_int(1000 + i), i == 5 ? bl_val_null() : bl_val_int(i)};
        BL_ASSERT_OK(bl_inserter_row(ins, v, i, &d), &d);
    }
    BL_ASSERT_OK(bl_inserter_close(ins, &d), &d);
    BL_ASSERT_OK(bl_store_commit(s, &d), &d);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM mixed"), 310);
    assert_int_equal(count(s, "SELECT SUM(a) FROM mixed"), 300 * 301 / 2 + 10 * 1000 + 55);
    assert_int_equal(count(s, "SELECT SUM(c) FROM mixed"), 50);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM mixed WHERE c IS NULL AND a = 1005"), 1);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM mixed WHERE b = '70'"), 1);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM mixed WHERE b = '3'"), 1);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM mixed WHERE a = 200 AND b = '2000'"), 1);
    bl_store_close(s);
}

/* A row rejected in one inserter's chunk surfaces, with its line, at whatever waits for
 * that chunk: here another inserter's rows on PostgreSQL (its chunk is in flight). */
static void test_bulk_error_in_flight(void **state)
{
    struct env *e = *state;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_store *s = open_migrated(e);
    BL_ASSERT_OK(bl_store_begin(s, &d), &d);
    struct bl_inserter *skus = open_sku(s), *other = NULL;
    const char *cols[] = {"org_id", "order_id", "line_no", "sku_id", "qty", "price"};
    BL_ASSERT_OK(bl_inserter_open(s, "order_line", cols, 6, &other, &d), &d);
    int rc = BL_OK;
    for (int64_t i = 1; i <= 9000 && rc == BL_OK; i++) /* one chunk of 8192 goes out */
        rc = sku_row(skus, i, i == 4000 ? 17 : 0, false, i + 1, &d);
    for (int64_t i = 1; i <= 20000 && rc == BL_OK; i++) {
        struct bl_val v[6] = {bl_val_int(1), bl_val_int(i), bl_val_int(1),
                              bl_val_int(1), bl_val_int(1), bl_val_int(1)};
        rc = bl_inserter_row(other, v, 100000 + i, &d);
    }
    if (rc == BL_OK)
        rc = bl_store_settle(s, &d);
    if (rc == BL_OK)
        rc = bl_inserter_flush(skus, &d);
    assert_int_equal(rc, BL_EEXISTS);
    assert_int_equal(d.line, 4001);
    assert_non_null(strstr(d.msg, "sku"));
    bl_inserter_discard(skus);
    bl_inserter_discard(other);
    BL_ASSERT_OK(bl_store_rollback(s, &d), &d);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM sku"), 0);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM order_line"), 0);
    bl_store_close(s);
}

/* Inserts rows 1..n (src_line = row + 1), row bad_row being a duplicate of
 * dup_of (or having a NULL name when dup_of is 0). Returns the error, from
 * bl_inserter_row or from bl_inserter_close, and frees the inserter. */
static int bulk_with_bad_row(struct bl_store *s, int64_t n, int64_t bad_row, int64_t dup_of,
                             struct bl_diag *d)
{
    struct bl_inserter *ins = open_sku(s);
    int rc = BL_OK;
    for (int64_t i = 1; i <= n && rc == BL_OK; i++)
        rc = sku_row(ins, i, i == bad_row ? dup_of : 0, i == bad_row && dup_of == 0, i + 1, d);
    if (rc != BL_OK) {
        bl_inserter_discard(ins);
        return rc;
    }
    return bl_inserter_close(ins, d);
}

static void test_bulk_duplicate(void **state)
{
    struct env *e = *state;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_store *s = open_migrated(e);

    /* The duplicate in a later chunk (PostgreSQL sends 8192 rows per COPY). */
    BL_ASSERT_OK(bl_store_begin(s, &d), &d);
    bl_diag_clear(&d);
    assert_int_equal(bulk_with_bad_row(s, 20000, 15000, 10, &d), BL_EEXISTS);
    assert_int_equal(d.line, 15001);
    assert_non_null(strstr(d.msg, "sku"));
    /* The transaction is aborted: only a rollback, after which the rows are gone. */
    assert_int_equal(bl_store_query_int(s, "SELECT COUNT(*) FROM sku", NULL, 0, NULL, &d),
                     BL_ESTORE);
    BL_ASSERT_OK(bl_store_rollback(s, &d), &d);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM sku"), 0);

    /* In the first chunk, surfacing at close on PostgreSQL. */
    BL_ASSERT_OK(bl_store_begin(s, &d), &d);
    bl_diag_clear(&d);
    assert_int_equal(bulk_with_bad_row(s, 100, 50, 3, &d), BL_EEXISTS);
    assert_int_equal(d.line, 51);
    BL_ASSERT_OK(bl_store_rollback(s, &d), &d);

    /* A NOT NULL violation is a conflict, also with its line. */
    BL_ASSERT_OK(bl_store_begin(s, &d), &d);
    bl_diag_clear(&d);
    assert_int_equal(bulk_with_bad_row(s, 9000, 8500, 0, &d), BL_ECONFLICT);
    assert_int_equal(d.line, 8501);
    assert_non_null(strstr(d.msg, "sku"));
    BL_ASSERT_OK(bl_store_rollback(s, &d), &d);

    /* A clash with a committed row. */
    BL_ASSERT_OK(bl_store_begin(s, &d), &d);
    BL_ASSERT_OK(bulk_with_bad_row(s, 10, 0, 0, &d), &d);
    BL_ASSERT_OK(bl_store_commit(s, &d), &d);
    BL_ASSERT_OK(bl_store_begin(s, &d), &d);
    struct bl_inserter *ins = open_sku(s);
    bl_diag_clear(&d);
    int rc = sku_row(ins, 11, 0, false, 2, &d);
    rc = rc ? rc : sku_row(ins, 12, 4, false, 3, &d);
    if (rc == BL_OK)
        rc = bl_inserter_flush(ins, &d);
    assert_int_equal(rc, BL_EEXISTS);
    assert_int_equal(d.line, 3);
    bl_inserter_discard(ins);
    BL_ASSERT_OK(bl_store_rollback(s, &d), &d);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM sku"), 10);
    bl_store_close(s);
}

/* Rows handed to an inserter are visible to the next statement without a flush,
 * and bl_store_settle reports a pending failure with its line (SQLite inserts on
 * a writer thread; PostgreSQL has nothing pending outside COPY chunks). */
static void test_bulk_settle(void **state)
{
    struct env *e = *state;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_store *s = open_migrated(e);
    BL_ASSERT_OK(bl_store_begin(s, &d), &d);
    BL_ASSERT_OK(bl_store_settle(s, &d), &d); /* nothing pending */
    struct bl_inserter *ins = open_sku(s);
    for (int64_t i = 1; i <= 40; i++)
        BL_ASSERT_OK(sku_row(ins, i, 0, false, i + 1, &d), &d);
    BL_ASSERT_OK(bl_store_settle(s, &d), &d);
    if (strcmp(bl_store_kind(s), "sqlite") == 0)
        assert_int_equal(count(s, "SELECT COUNT(*) FROM sku"), 40);
    BL_ASSERT_OK(bl_inserter_close(ins, &d), &d);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM sku"), 40);

    ins = open_sku(s);
    int rc = BL_OK;
    for (int64_t i = 41; i <= 100 && rc == BL_OK; i++)
        rc = sku_row(ins, i, i == 77 ? 5 : 0, false, i + 1, &d);
    if (rc == BL_OK)
        rc = bl_store_settle(s, &d);
    if (rc == BL_OK) /* PostgreSQL: the rows are still in the COPY buffer */
        rc = bl_inserter_flush(ins, &d);
    assert_int_equal(rc, BL_EEXISTS);
    assert_int_equal(d.line, 78);
    bl_inserter_discard(ins);
    BL_ASSERT_OK(bl_store_rollback(s, &d), &d);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM sku"), 0);
    /* After the rollback the store takes work again. */
    BL_ASSERT_OK(bl_store_begin(s, &d), &d);
    BL_ASSERT_OK(bulk_with_bad_row(s, 30, 0, 0, &d), &d);
    BL_ASSERT_OK(bl_store_commit(s, &d), &d);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM sku"), 30);
    bl_store_close(s);
}

/* The side connection reads what is committed while the store's inserter writes, and a
 * kick hands rows over without waiting (its row errors surface later, with their line). */
static void test_side_and_kick(void **state)
{
    struct env *e = *state;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_store *s = open_migrated(e), *side = NULL, *again = NULL;
    bool sqlite = strcmp(bl_store_kind(s), "sqlite") == 0;
    BL_ASSERT_OK(bl_store_side(s, &side, &d), &d);
    BL_ASSERT_OK(bl_store_side(s, &again, &d), &d);
    assert_true(sqlite ? side != NULL : side == NULL);
    assert_ptr_equal(side, again); /* one, kept with s */
    assert_int_equal(bl_inserter_kick(NULL, &d), BL_EINVAL);

    BL_ASSERT_OK(bl_store_begin(s, &d), &d);
    struct bl_inserter *ins = open_sku(s);
    for (int64_t i = 1; i <= 40; i++)
        BL_ASSERT_OK(sku_row(ins, i, 0, false, i + 1, &d), &d);
    BL_ASSERT_OK(bl_inserter_kick(ins, &d), &d);
    if (sqlite) {
        assert_int_equal(count(side, "SELECT COUNT(*) FROM sku"), 0); /* not committed */
        BL_ASSERT_OK(bl_store_settle(s, &d), &d);
        assert_int_equal(count(s, "SELECT COUNT(*) FROM sku"), 40); /* kicked, then settled */
        assert_int_equal(count(side, "SELECT COUNT(*) FROM sku"), 0);
    }
    BL_ASSERT_OK(bl_inserter_close(ins, &d), &d);
    BL_ASSERT_OK(bl_store_commit(s, &d), &d);
    if (sqlite)
        assert_int_equal(count(side, "SELECT COUNT(*) FROM sku"), 40);

    BL_ASSERT_OK(bl_store_begin(s, &d), &d);
    ins = open_sku(s);
    int rc = BL_OK;
    for (int64_t i = 41; i <= 100 && rc == BL_OK; i++)
        rc = sku_row(ins, i, i == 77 ? 5 : 0, false, i + 1, &d);
    if (rc == BL_OK)
        rc = bl_inserter_kick(ins, &d); /* does not wait: the error comes later */
    if (rc == BL_OK)
        rc = bl_store_settle(s, &d);
    if (rc == BL_OK) /* PostgreSQL: the rows are still in the COPY buffer */
        rc = bl_inserter_flush(ins, &d);
    assert_int_equal(rc, BL_EEXISTS);
    assert_int_equal(d.line, 78);
    bl_inserter_discard(ins);
    BL_ASSERT_OK(bl_store_rollback(s, &d), &d);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM sku"), 40);
    bl_store_close(s); /* closes the side connection too (ASan: nothing leaks) */
}

static void test_inserter_misuse(void **state)
{
    struct env *e = *state;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_store *s = open_migrated(e);
    struct bl_inserter *ins = NULL;
    assert_int_equal(bl_inserter_open(s, "sku", sku_cols, SKU_NCOLS, &ins, &d), BL_EINVAL);
    assert_non_null(strstr(d.msg, "transaction"));
    assert_null(ins);

    BL_ASSERT_OK(bl_store_begin(s, &d), &d);
    assert_int_equal(bl_inserter_open(s, "sku; DROP TABLE sku", sku_cols, SKU_NCOLS, &ins, &d),
                     BL_EINVAL);
    const char *bad_cols[] = {"org_id", "id) VALUES (1"};
    assert_int_equal(bl_inserter_open(s, "sku", bad_cols, 2, &ins, &d), BL_EINVAL);
    assert_int_equal(bl_inserter_open(s, "sku", sku_cols, 0, &ins, &d), BL_EINVAL);

    /* A NUL byte in a value: refused with the row's line. */
    ins = open_sku(s);
    struct bl_val v[SKU_NCOLS];
    for (size_t i = 0; i < SKU_NCOLS; i++)
        v[i] = bl_val_int(1);
    v[2] = bl_val_text((struct bl_str){"x\0y", 3});
    bl_diag_clear(&d);
    assert_int_equal(bl_inserter_row(ins, v, 77, &d), BL_EINVAL);
    assert_int_equal(d.line, 77);
    bl_inserter_discard(ins);
    BL_ASSERT_OK(bl_store_rollback(s, &d), &d);

    /* An unknown table or column fails at open and names it. */
    BL_ASSERT_OK(bl_store_begin(s, &d), &d);
    const char *cols[] = {"a"};
    assert_int_equal(bl_inserter_open(s, "nosuch", cols, 1, &ins, &d), BL_ESTORE);
    assert_non_null(strstr(d.msg, "nosuch"));
    BL_ASSERT_OK(bl_store_rollback(s, &d), &d);
    BL_ASSERT_OK(bl_store_begin(s, &d), &d);
    const char *cols2[] = {"org_id", "nocolumn"};
    assert_int_equal(bl_inserter_open(s, "sku", cols2, 2, &ins, &d), BL_ESTORE);
    assert_non_null(strstr(d.msg, "nocolumn"));
    BL_ASSERT_OK(bl_store_rollback(s, &d), &d);
    bl_store_close(s);
}

/* Every allocation in open/migrate/bulk insert may fail: BL_ENOMEM, no leak. */
static int alloc_scenario(struct env *e, struct bl_diag *d)
{
    struct bl_store *s = NULL;
    int rc = env_open(e, &s, d);
    if (rc != BL_OK)
        return rc;
    rc = bl_store_migrate(s, d);
    rc = rc ? rc : bl_store_begin(s, d);
    struct bl_inserter *ins = NULL;
    rc = rc ? rc : bl_inserter_open(s, "sku", sku_cols, SKU_NCOLS, &ins, d);
    for (int64_t i = 1; i <= 3 && rc == BL_OK; i++)
        rc = sku_row(ins, i, 0, false, i, d);
    if (ins) {
        int rc2 = rc ? (bl_inserter_discard(ins), rc) : bl_inserter_close(ins, d);
        rc = rc ? rc : rc2;
    }
    rc = rc ? rc : bl_store_commit(s, d);
    bl_store_close(s);
    return rc;
}

static void test_alloc_failure(void **state)
{
    struct env *e = *state;
    struct bl_diag d;
    int rc = BL_ENOMEM;
    long n;
    for (n = 0; n < 1000 && rc != BL_OK; n++) {
        bl_diag_clear(&d);
        bl_alloc_fail_after(n);
        rc = alloc_scenario(e, &d);
        bl_alloc_fail_after(-1);
        if (rc != BL_OK && rc != BL_ENOMEM)
            fail_msg("after %ld allocations: %s (%s)", n, bl_errname(rc), d.msg);
    }
    assert_int_equal(rc, BL_OK);
    assert_true(n > 1);
    struct bl_store *s = open_ok(e);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM sku"), 3);
    bl_store_close(s);
}

/* ---- backend-independent ----------------------------------------------------------- */

/* The id allocator: dense per (org, table), seeded past the ids a table already has, a
 * rollback gives ids back, a bad table name is refused. */
static void test_next_ids(void **state)
{
    struct env *e = *state;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_store *s = open_ok(e);
    BL_ASSERT_OK(bl_store_migrate(s, &d), &d);
    exec_ok(s,
            "INSERT INTO alert (org_id, id, kind, shop_id, ref, message, as_of, at)"
            " VALUES (1, 41, 'k', NULL, 'r', 'm', 0, 0)",
            NULL, 0);
    int64_t first = 0, again = 0, other = 0, zero = 0;
    BL_ASSERT_OK(bl_store_begin(s, &d), &d);
    BL_ASSERT_OK(bl_store_next_ids(s, 1, "alert", 3, &first, &d), &d);
    assert_int_equal(first, 42); /* past the table's largest id */
    BL_ASSERT_OK(bl_store_next_ids(s, 1, "alert", 1, &again, &d), &d);
    assert_int_equal(again, 45);
    BL_ASSERT_OK(bl_store_next_ids(s, 2, "alert", 1, &other, &d), &d);
    assert_int_equal(other, 1); /* per organisation */
    BL_ASSERT_OK(bl_store_next_ids(s, 1, "alert", 0, &zero, &d), &d);
    assert_int_equal(zero, 46); /* n 0: the next, not taken */
    BL_ASSERT_OK(bl_store_commit(s, &d), &d);
    BL_ASSERT_OK(bl_store_begin(s, &d), &d);
    BL_ASSERT_OK(bl_store_next_ids(s, 1, "alert", 5, &first, &d), &d);
    assert_int_equal(first, 46);
    BL_ASSERT_OK(bl_store_rollback(s, &d), &d);
    BL_ASSERT_OK(bl_store_begin(s, &d), &d);
    BL_ASSERT_OK(bl_store_next_ids(s, 1, "alert", 1, &first, &d), &d);
    assert_int_equal(first, 46); /* the rolled-back ids came back */
    BL_ASSERT_OK(bl_store_commit(s, &d), &d);
    assert_int_equal(bl_store_next_ids(s, 1, "alert; DROP TABLE org", 1, &first, &d), BL_EINVAL);
    assert_int_equal(bl_store_next_ids(s, 1, "alert", -1, &first, &d), BL_EINVAL);
    bl_store_close(s);
}

/* ---- the data generation and the read snapshot ------------------------------------------ */

static int64_t gen_of(struct bl_store *s, int64_t org)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    int64_t g = -1;
    BL_ASSERT_OK(bl_store_data_gen(s, org, &g, &d), &d);
    return g;
}

static void test_data_gen(void **state)
{
    struct env *e = *state;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_store *s = open_migrated(e), *other = open_ok(e);
    assert_int_equal(gen_of(s, 1), 0); /* never touched */
    BL_ASSERT_OK(bl_store_touch(s, 1, &d), &d); /* outside a transaction: at once */
    assert_int_equal(gen_of(other, 1), 1);
    /* inside one: once per organisation, at commit, with the transaction's changes */
    BL_ASSERT_OK(bl_store_begin(s, &d), &d);
    BL_ASSERT_OK(bl_store_touch(s, 1, &d), &d);
    BL_ASSERT_OK(bl_store_touch(s, 1, &d), &d);
    BL_ASSERT_OK(bl_store_touch(s, 7, &d), &d);
    assert_int_equal(gen_of(other, 1), 1); /* not yet */
    BL_ASSERT_OK(bl_store_commit(s, &d), &d);
    assert_int_equal(gen_of(other, 1), 2);
    assert_int_equal(gen_of(other, 7), 1);
    /* a rollback forgets it; so does a transaction that failed */
    BL_ASSERT_OK(bl_store_begin(s, &d), &d);
    BL_ASSERT_OK(bl_store_touch(s, 1, &d), &d);
    BL_ASSERT_OK(bl_store_rollback(s, &d), &d);
    assert_int_equal(gen_of(other, 1), 2);
    BL_ASSERT_OK(bl_store_begin(s, &d), &d);
    BL_ASSERT_OK(bl_store_touch(s, 1, &d), &d);
    assert_int_not_equal(bl_store_exec(s, "INSERT INTO nowhere VALUES (1)", NULL, 0, NULL, &d),
                         BL_OK);
    assert_int_not_equal(bl_store_commit(s, &d), BL_OK);
    assert_int_equal(gen_of(other, 1), 2);
    /* a transaction that touched nothing bumps nothing */
    BL_ASSERT_OK(bl_store_begin(s, &d), &d);
    BL_ASSERT_OK(bl_store_commit(s, &d), &d);
    assert_int_equal(gen_of(other, 1), 2);
    bl_store_close(other);
    bl_store_close(s);
}

static void test_read_snapshot(void **state)
{
    struct env *e = *state;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_store *s = open_migrated(e), *w = open_ok(e);
    BL_ASSERT_OK(bl_store_read_begin(s, &d), &d);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM org"), 1);
    exec_ok(w, "INSERT INTO org (id, name, created_at) VALUES (5, 'five', NULL)", NULL, 0);
    /* SQLite: one snapshot for the reads; PostgreSQL: each statement its own */
    assert_int_equal(count(s, "SELECT COUNT(*) FROM org"), e->pg ? 2 : 1);
    BL_ASSERT_OK(bl_store_read_begin(s, &d), &d); /* open already: nothing */
    /* a write gives the snapshot up and runs as it would without it */
    exec_ok(s, "INSERT INTO org (id, name, created_at) VALUES (6, 'six', NULL)", NULL, 0);
    assert_int_equal(count(w, "SELECT COUNT(*) FROM org"), 3);
    bl_store_read_end(s);
    bl_store_read_end(s); /* none open: nothing */
    /* so does a transaction begun inside it */
    BL_ASSERT_OK(bl_store_read_begin(s, &d), &d);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM org"), 3);
    BL_ASSERT_OK(bl_store_begin(s, &d), &d);
    exec_ok(s, "DELETE FROM org WHERE id = 6", NULL, 0);
    BL_ASSERT_OK(bl_store_commit(s, &d), &d);
    bl_store_read_end(s);
    assert_int_equal(count(w, "SELECT COUNT(*) FROM org"), 2);
    /* inside a transaction a read snapshot is nothing: its end leaves the transaction open */
    BL_ASSERT_OK(bl_store_begin(s, &d), &d);
    BL_ASSERT_OK(bl_store_read_begin(s, &d), &d);
    bl_store_read_end(s);
    exec_ok(s, "DELETE FROM org WHERE id = 5", NULL, 0);
    BL_ASSERT_OK(bl_store_rollback(s, &d), &d);
    assert_int_equal(count(w, "SELECT COUNT(*) FROM org"), 2);
    /* closing a connection with a read snapshot open */
    BL_ASSERT_OK(bl_store_read_begin(s, &d), &d);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM org"), 2);
    bl_store_close(s);
    exec_ok(w, "DELETE FROM org WHERE id = 5", NULL, 0);
    bl_store_close(w);
}

static void test_bad_sqlite_path(void **state)
{
    (void)state;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_store *s = (struct bl_store *)&d; /* must be reset to NULL */
    const char *path = "/nonexistent-ballast-dir/sub/x.db";
    assert_int_equal(bl_store_open(&s, path, &d), BL_ESTORE);
    assert_null(s);
    assert_non_null(strstr(d.msg, path));
    assert_non_null(strstr(d.msg, "does not exist") ? strstr(d.msg, "does not exist")
                                                    : strstr(d.msg, "No such file"));

    /* A file that is not a database. */
    char *dir = bl_test_tmpdir();
    char junk[4096];
    memset(junk, 'x', sizeof(junk));
    char *file = bl_test_write_file(dir, "notes.txt", junk, sizeof(junk));
    assert_int_equal(bl_store_open(&s, file, &d), BL_ESTORE);
    assert_non_null(strstr(d.msg, file));
    assert_non_null(strstr(d.msg, "not a database"));
    remove(file);
    remove(dir);
    free(file);
    free(dir);

    assert_int_equal(bl_store_open(&s, "", &d), BL_EINVAL);
    assert_int_equal(bl_store_open(&s, NULL, &d), BL_EINVAL);
}

static void test_bad_pg_url(void **state)
{
    (void)state;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_store *s = NULL;
    /* Nothing listens on port 1. */
    assert_int_equal(
        bl_store_open(&s, "postgres://nobody:secret@127.0.0.1:1/nodb?connect_timeout=5", &d),
        BL_ESTORE);
    assert_null(s);
    assert_non_null(strstr(d.msg, "cannot connect to PostgreSQL at "
                                  "postgres://nobody:***@127.0.0.1:1/nodb"));
    assert_null(strstr(d.msg, "secret"));
    assert_non_null(strstr(d.msg, "refused"));
    assert_int_not_equal(d.msg[strlen(d.msg) - 1], '\n');
    assert_null(strchr(d.msg, '\n'));

    assert_int_equal(bl_store_open(&s, "postgresql://localhost:notaport/db", &d), BL_ESTORE);
    assert_non_null(strstr(d.msg, "notaport"));
    /* A URL libpq cannot parse is quoted in its message: without the password. */
    assert_int_equal(bl_store_open(&s, "postgres://u:secret@[::1/db", &d), BL_ESTORE);
    assert_null(strstr(d.msg, "secret"));
}

static void test_helpers(void **state)
{
    (void)state;
    char out[32];
    bl__sql_excerpt("  SELECT\n\t a,   b  FROM t  ", out, sizeof(out));
    assert_string_equal(out, "SELECT a, b FROM t");
    bl__sql_excerpt("SELECT aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa FROM t", out, 16);
    assert_string_equal(out, "SELECT aaaaa...");
    bl__sql_excerpt("SELECT '快手快手快手快手'", out, 16);
    assert_string_equal(out, "SELECT '快...");
    bl__sql_excerpt("SELECT '快abcdefghijk'", out, 16);
    assert_string_equal(out, "SELECT '快a...");

    assert_int_equal(bl__text_to_int("123", 3), 123);
    assert_int_equal(bl__text_to_int("-7.9", 4), -7);
    assert_int_equal(bl__text_to_int("+3.0", 4), 3);
    assert_int_equal(bl__text_to_int("1e5", 3), 0);
    assert_int_equal(bl__text_to_int(".5", 2), 0);
    assert_int_equal(bl__text_to_int("99999999999999999999", 20), 0);
    assert_int_equal(bl__text_to_int("", 0), 0);

    char num[24];
    size_t n = bl_i64_to_text(INT64_MIN, num);
    assert_int_equal(n, 20);
    assert_memory_equal(num, "-9223372036854775808", 20);
    assert_int_equal(bl_i64_to_text(0, num), 1);
    assert_int_equal(num[0], '0');
}

int main(void)
{
    const struct CMUnitTest misc[] = {
        cmocka_unit_test(test_bad_sqlite_path),
        cmocka_unit_test(test_bad_pg_url),
        cmocka_unit_test(test_helpers),
    };
    const struct CMUnitTest backend[] = {
        cmocka_unit_test_setup(test_open_migrate, fresh),
        cmocka_unit_test_setup(test_schema_newer, fresh),
        cmocka_unit_test_setup(test_concurrent_migrate, fresh),
        cmocka_unit_test_setup(test_exec_query, fresh),
        cmocka_unit_test_setup(test_row_conversions, fresh),
        cmocka_unit_test_setup(test_row_past_int64, fresh),
        cmocka_unit_test_setup(test_errors, fresh),
        cmocka_unit_test_setup(test_blobs, fresh),
        cmocka_unit_test_setup(test_transactions, fresh),
        cmocka_unit_test_setup(test_bulk_insert, fresh),
        cmocka_unit_test_setup(test_bulk_two_inserters, fresh),
        cmocka_unit_test_setup(test_bulk_mixed_kinds, fresh),
        cmocka_unit_test_setup(test_bulk_error_in_flight, fresh),
        cmocka_unit_test_setup(test_bulk_duplicate, fresh),
        cmocka_unit_test_setup(test_bulk_settle, fresh),
        cmocka_unit_test_setup(test_side_and_kick, fresh),
        cmocka_unit_test_setup(test_inserter_misuse, fresh),
        cmocka_unit_test_setup(test_alloc_failure, fresh),
        cmocka_unit_test_setup(test_next_ids, fresh),
        cmocka_unit_test_setup(test_data_gen, fresh),
        cmocka_unit_test_setup(test_read_snapshot, fresh),
    };
    int failed = cmocka_run_group_tests_name("store", misc, NULL, NULL);
    failed += cmocka_run_group_tests_name("store/sqlite", backend, setup_sqlite, teardown_sqlite);

    if (!getenv("BL_PG_URL_FILE")) {
        fprintf(stderr, "store_test: BL_PG_URL_FILE is not set; skipping the PostgreSQL "
                        "tests (see the top of tests/unit/store_test.c)\n");
        return failed;
    }
    env_pg.url = bl_test_pg_url();
    if (!env_pg.url) {
        fprintf(stderr, "store_test: cannot read the PostgreSQL URL from BL_PG_URL_FILE=%s\n",
                getenv("BL_PG_URL_FILE"));
        return failed + 1;
    }
    failed += cmocka_run_group_tests_name("store/postgres", backend, setup_pg, teardown_pg);
    free(env_pg.url);
    return failed;
}
