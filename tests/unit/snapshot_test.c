/* snapshot_test.c - loading a snapshot from a store: the order blocks, the rows on
 * one connection and the rows on two connections give the same columns (for any
 * time range, and with ids some blocks do not cover); orders come grouped by shop in
 * id order, lookups by id work; a damaged block is an error that names it; every
 * allocation failure (in either thread) ends in a clean error, nothing leaked (the
 * ASan build runs this). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "ballast/alloc.h"
#include "ballast/import.h"
#include "ballast/snapshot.h"
#include "ballast/store.h"

#define NORD 600
#define BLOCK_ORDERS 64 /* orders per order block at import, so that there are many */

struct env {
    char *dir, *db;
    struct bl_store *st;
};

static void import_file(struct env *e, const char *kind, const char *name, const char *text)
{
    char *path = bl_test_write_file(e->dir, name, text, strlen(text));
    char n[16];
    snprintf(n, sizeof(n), "%d", BLOCK_ORDERS);
    setenv("BALLAST_BLOCK_ORDERS", n, 1);
    struct bl_import_opts o = {.kind = kind, .path = path, .org_id = 1, .now = 1000};
    struct bl_import_result r;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_import(e->st, &o, &r, &d), &d);
    unsetenv("BALLAST_BLOCK_ORDERS");
    free(path);
}

static int setup(void **state)
{
    struct env *e = calloc(1, sizeof(*e));
    e->dir = bl_test_tmpdir();
    size_t n = strlen(e->dir) + 16;
    e->db = malloc(n);
    snprintf(e->db, n, "%s/s.db", e->dir);
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_store_open(&e->st, e->db, &d), &d);
    BL_ASSERT_OK(bl_store_migrate(e->st, &d), &d);
    import_file(e, "shops", "shops.csv",
                "id,name,platform,currency,ship_from\n"
                "s1,One,kuaishou,CNY,CN-SH\ns2,Two,amazon,USD,CN-GD\ns3,Three,temu,EUR,CN-ZJ\n");
    import_file(e, "skus", "skus.csv", "id,name\nP1,Widget\n");
    /* Orders of the three shops interleaved, with regions, channels and currencies
     * that repeat, and some times missing. */
    struct bl_buf b = BL_BUF_INIT;
    if (bl_buf_adds(&b, BL_STR("order,shop,sku,qty,unit_price,currency,placed_at,ship_by,"
                               "ship_from,ship_to,shipped_at,channel\n")))
        fail();
    static const char *const to[] = {"US-CA", "US-NY:100", "DE", "BR-SP:013", "JP", ""};
    static const char *const cur[] = {"CNY", "USD", "EUR"};
    for (int i = 0; i < NORD; i++) {
        int shop = (i * 7) % 3;
        if (bl_buf_addf(&b, "o%d,s%d,P1,1,%d.00,%s,2024-09-%02dT10:00:00Z,", i, shop + 1,
                        i % 50 + 1, cur[i % 3], i % 28 + 1) ||
            bl_buf_addf(&b, "%s,", i % 5 ? "2024-10-01T00:00:00Z" : "") ||
            bl_buf_addf(&b, ",%s,%s,%s\n", to[i % 6], i % 4 ? "2024-09-29T00:00:00Z" : "",
                        i % 3 ? "EXP" : ""))
            fail();
    }
    import_file(e, "orders", "orders.csv", bl_buf_cstr(&b));
    bl_buf_release(&b);
    *state = e;
    return 0;
}

static int teardown(void **state)
{
    struct env *e = *state;
    bl_store_close(e->st);
    char cmd[1200];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", e->dir);
    if (system(cmd)) {
    }
    free(e->db);
    free(e->dir);
    free(e);
    return 0;
}

/* How to load: from the order blocks (where there are), or from the rows only on one
 * connection or on two (BALLAST_ORDER_BLOCKS=0 and BALLAST_SPLIT_MIN). */
enum path { BLOCKS, BLOCKS_TWO, ROWS_ONE, ROWS_TWO };

static void set_path(enum path p)
{
    setenv("BALLAST_ORDER_BLOCKS", p == BLOCKS || p == BLOCKS_TWO ? "1" : "0", 1);
    setenv("BALLAST_SPLIT_MIN", p == ROWS_TWO || p == BLOCKS_TWO ? "1" : "1000000", 1);
}

static void unset_path(void)
{
    unsetenv("BALLAST_ORDER_BLOCKS");
    unsetenv("BALLAST_SPLIT_MIN");
}

static void load_range(struct env *e, enum path p, int64_t since, int64_t until,
                       struct bl_snapshot *s)
{
    set_path(p);
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_snapshot_load(e->st, 1, since, until, s, &d), &d);
    unset_path();
}

static void load(struct env *e, enum path p, struct bl_snapshot *s)
{
    load_range(e, p, INT64_MIN, INT64_MAX, s);
}

static void assert_same(const struct bl_snapshot *a, const struct bl_snapshot *b)
{
    assert_int_equal(a->orders.n, b->orders.n);
    assert_int_equal(a->nshops, b->nshops);
    for (size_t i = 0; i < a->orders.n; i++) {
        assert_int_equal(a->order_id[i], b->order_id[i]);
        assert_int_equal(a->shop[i], b->shop[i]);
        assert_int_equal(a->placed[i], b->placed[i]);
        assert_int_equal(a->ship_by[i], b->ship_by[i]);
        assert_int_equal(a->shipped[i], b->shipped[i]);
        assert_int_equal(a->picked_up[i], b->picked_up[i]);
        assert_int_equal(a->delivered[i], b->delivered[i]);
        assert_int_equal(a->promised[i], b->promised[i]);
        assert_int_equal(a->cancelled[i], b->cancelled[i]);
        assert_int_equal(a->cancel_by[i], b->cancel_by[i]);
        assert_int_equal(a->amount[i], b->amount[i]);
        assert_string_equal(a->currencies[a->cur[i]], b->currencies[b->cur[i]]);
        assert_string_equal(bl_regions_name(a->regions, a->from[i]),
                            bl_regions_name(b->regions, b->from[i]));
        assert_string_equal(bl_regions_name(a->regions, a->to[i]),
                            bl_regions_name(b->regions, b->to[i]));
        assert_true((a->channel[i] < 0) == (b->channel[i] < 0));
        if (a->channel[i] >= 0)
            assert_string_equal(a->chan_name[a->channel[i]], b->chan_name[b->channel[i]]);
    }
    for (size_t k = 0; k <= a->nshops; k++)
        assert_int_equal(a->shop_off[k], b->shop_off[k]);
}

static void test_paths_same(void **state)
{
    struct env *e = *state;
    struct bl_snapshot a, b, c, c2;
    load(e, ROWS_ONE, &a);
    load(e, ROWS_TWO, &b);
    load(e, BLOCKS, &c);
    load(e, BLOCKS_TWO, &c2);
    assert_int_equal(a.orders.n, NORD);
    assert_int_equal(a.nshops, 3);
    assert_same(&a, &b);
    assert_same(&a, &c);
    assert_same(&a, &c2);
    /* The blocks are many (BALLAST_BLOCK_ORDERS at import), so both threads read some. */
    int64_t nblocks = 0;
    struct bl_diag d;
    struct bl_val org = bl_val_int(1);
    BL_ASSERT_OK(bl_store_query_int(e->st, "SELECT COUNT(*) FROM order_block WHERE org_id = $1",
                                    &org, 1, &nblocks, &d),
                 &d);
    assert_int_equal(nblocks, (NORD + BLOCK_ORDERS - 1) / BLOCK_ORDERS);
    bl_snapshot_free(&c2);
    /* Grouped by shop, in id order within a shop; every order found by its id. */
    for (size_t i = 1; i < a.orders.n; i++) {
        assert_true(a.shop[i - 1] <= a.shop[i]);
        if (a.shop[i - 1] == a.shop[i])
            assert_true(a.order_id[i - 1] < a.order_id[i]);
    }
    for (size_t s = 0; s < a.nshops; s++)
        for (size_t i = a.shop_off[s]; i < a.shop_off[s + 1]; i++)
            assert_int_equal(a.shop[i], s);
    for (size_t i = 0; i < a.orders.n; i++)
        assert_int_equal(bl_snapshot_order(&a, a.order_id[i]), (int64_t)i);
    assert_int_equal(bl_snapshot_order(&a, 999999), -1);
    assert_true(a.orders.by_shop);
    bl_snapshot_free(&a);
    bl_snapshot_free(&b);
    bl_snapshot_free(&c);
}

/* Blocks and rows agree on every window: blocks wholly in, wholly out, and cut. */
static void test_paths_same_ranges(void **state)
{
    struct env *e = *state;
    static const int64_t cuts[][2] = {
        {INT64_MIN, 1725926400},  /* placed by 2024-09-10 */
        {1727740800, INT64_MAX},  /* ship-by or promise after 2024-10-01 */
        {1727654400, 1727740800}, /* a day */
        {1725148800, 1726358400}, /* the first half of September */
        {1735689600, INT64_MAX},  /* after everything */
        {INT64_MIN, 1700000000},  /* before everything */
    };
    for (size_t k = 0; k < sizeof(cuts) / sizeof(cuts[0]); k++) {
        struct bl_snapshot a, c, c2;
        load_range(e, ROWS_ONE, cuts[k][0], cuts[k][1], &a);
        load_range(e, BLOCKS, cuts[k][0], cuts[k][1], &c);
        load_range(e, BLOCKS_TWO, cuts[k][0], cuts[k][1], &c2);
        assert_same(&a, &c);
        assert_same(&a, &c2);
        bl_snapshot_free(&a);
        bl_snapshot_free(&c);
        bl_snapshot_free(&c2);
    }
}

static void test_time_range(void **state)
{
    struct env *e = *state;
    struct bl_snapshot s;
    struct bl_diag d;
    bl_diag_clear(&d);
    /* Placed by 2024-09-10 (days 1..9 of each 28): */
    int64_t until = 1725926400; /* 2024-09-10T00:00:00Z */
    BL_ASSERT_OK(bl_snapshot_load(e->st, 1, INT64_MIN, until, &s, &d), &d);
    size_t want = 0;
    for (int i = 0; i < NORD; i++)
        want += i % 28 + 1 < 10;
    assert_int_equal(s.orders.n, want);
    bl_snapshot_free(&s);
}

static void test_alloc_failures(void **state)
{
    struct env *e = *state;
    for (enum path p = BLOCKS; p <= ROWS_TWO; p++) {
        set_path(p);
        int ok = 0;
        for (long n = 0; n < 20000 && !ok; n++) {
            struct bl_snapshot s;
            struct bl_diag d;
            bl_diag_clear(&d);
            bl_alloc_fail_after(n);
            int rc = bl_snapshot_load(e->st, 1, INT64_MIN, INT64_MAX, &s, &d);
            bl_alloc_fail_after(-1);
            if (rc == BL_OK) {
                assert_int_equal(s.orders.n, NORD);
                bl_snapshot_free(&s);
                ok = 1;
            } else {
                assert_true(rc < 0);
                assert_true(d.msg[0] != '\0');
            }
        }
        assert_true(ok);
        unset_path();
    }
}

static void exec(struct env *e, const char *sql, const struct bl_val *p, size_t np)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_store_exec(e->st, sql, p, np, NULL, &d), &d);
}

/* Orders no block covers (a store written before blocks existed, or a block lost)
 * are read from their rows, between and after the blocks. Runs after the tests
 * above: it adds orders. */
static void test_ids_without_blocks(void **state)
{
    struct env *e = *state;
    char text[4096];
    for (int batch = 0; batch < 3; batch++) {
        size_t at = (size_t)snprintf(text, sizeof(text),
                                     "order,shop,sku,qty,unit_price,placed_at,ship_by,"
                                     "ship_to,channel\n");
        for (int i = 0; i < 40; i++)
            at += (size_t)snprintf(text + at, sizeof(text) - at,
                                   "b%d-%d,s%d,P1,2,3.50,2024-10-%02dT08:00:00Z,"
                                   "2024-10-%02dT20:00:00Z,%s,%s\n",
                                   batch, i, i % 3 + 1, i % 28 + 1, i % 28 + 2,
                                   i % 2 ? "FR" : "US-TX", i % 3 ? "" : "POST");
        char name[32];
        snprintf(name, sizeof(name), "more%d.csv", batch);
        import_file(e, "orders", name, text);
    }
    /* Drop the second and third batches' blocks: their orders are read from rows,
     * between two blocks and after the last. */
    struct bl_val org = bl_val_int(1);
    exec(e, "DELETE FROM order_block WHERE org_id = $1 AND first_id > 600 AND first_id <= 640",
         &org, 1);
    exec(e, "DELETE FROM order_block WHERE org_id = $1 AND first_id > 680", &org, 1);
    struct bl_snapshot a, c;
    load(e, ROWS_ONE, &a);
    load(e, BLOCKS, &c);
    assert_int_equal(a.orders.n, NORD + 120);
    assert_same(&a, &c);
    bl_snapshot_free(&a);
    bl_snapshot_free(&c);
    load_range(e, ROWS_ONE, 1728000000, INT64_MAX, &a);
    load_range(e, BLOCKS, 1728000000, INT64_MAX, &c);
    assert_same(&a, &c);
    bl_snapshot_free(&a);
    bl_snapshot_free(&c);
}

static int first_blob(void *ctx, const struct bl_row *r)
{
    struct bl_buf *b = ctx;
    struct bl_str v;
    if (bl_row_blob(r, 0, &v) || bl_buf_adds(b, v))
        fail();
    return 1;
}

/* A damaged block stops the load with an error that names it; nothing is returned. */
static void test_damaged_block(void **state)
{
    struct env *e = *state;
    struct bl_buf good = BL_BUF_INIT;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_val org = bl_val_int(1);
    assert_int_equal(bl_store_query(e->st,
                                    "SELECT data FROM order_block WHERE org_id = $1 AND"
                                    " first_id = 1",
                                    &org, 1, first_blob, &good, &d),
                     1);
    assert_true(good.len > 100);
    struct bl_buf bad = BL_BUF_INIT;
    if (bl_buf_add(&bad, good.ptr, good.len - 7))
        fail();
    struct bl_val p[2] = {bl_val_int(1), bl_val_blob(bad.ptr, bad.len)};
    exec(e, "UPDATE order_block SET data = $2 WHERE org_id = $1 AND first_id = 1", p, 2);
    struct bl_snapshot s;
    set_path(BLOCKS);
    int rc = bl_snapshot_load(e->st, 1, INT64_MIN, INT64_MAX, &s, &d);
    unset_path();
    assert_int_equal(rc, BL_EPARSE);
    assert_non_null(strstr(d.msg, "order block 1 of batch"));
    assert_non_null(strstr(d.msg, "truncated"));
    /* Put back, it loads again. */
    p[1] = bl_val_blob(good.ptr, good.len);
    exec(e, "UPDATE order_block SET data = $2 WHERE org_id = $1 AND first_id = 1", p, 2);
    load(e, BLOCKS, &s);
    bl_snapshot_free(&s);
    bl_buf_release(&good);
    bl_buf_release(&bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paths_same),
        cmocka_unit_test(test_paths_same_ranges),
        cmocka_unit_test(test_time_range),
        cmocka_unit_test(test_alloc_failures),
        cmocka_unit_test(test_ids_without_blocks),
        cmocka_unit_test(test_damaged_block),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
