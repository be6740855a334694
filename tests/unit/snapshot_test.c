/* snapshot_test.c - loading a snapshot from a store: the two-connection path gives
 * the same columns as the one-connection path, orders come grouped by shop in id
 * order, lookups by id work, and every allocation failure (in either thread) ends in a
 * clean error, nothing leaked (the ASan build runs this). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "ballast/alloc.h"
#include "ballast/import.h"
#include "ballast/snapshot.h"
#include "ballast/store.h"

#define NORD 600

struct env {
    char *dir, *db;
    struct bl_store *st;
};

static void import_file(struct env *e, const char *kind, const char *name, const char *text)
{
    char *path = bl_test_write_file(e->dir, name, text, strlen(text));
    struct bl_import_opts o = {kind, path, NULL, 1, 1000, NULL, NULL};
    struct bl_import_result r;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_import(e->st, &o, &r, &d), &d);
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

static void load(struct env *e, const char *split, struct bl_snapshot *s)
{
    setenv("BALLAST_SPLIT_MIN", split, 1);
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_snapshot_load(e->st, 1, INT64_MIN, INT64_MAX, s, &d), &d);
    unsetenv("BALLAST_SPLIT_MIN");
}

static void test_two_connections_same(void **state)
{
    struct env *e = *state;
    struct bl_snapshot a, b;
    load(e, "1000000", &a); /* one connection */
    load(e, "1", &b);       /* two */
    assert_int_equal(a.orders.n, NORD);
    assert_int_equal(b.orders.n, NORD);
    assert_int_equal(a.nshops, 3);
    for (size_t i = 0; i < a.orders.n; i++) {
        assert_int_equal(a.order_id[i], b.order_id[i]);
        assert_int_equal(a.shop[i], b.shop[i]);
        assert_int_equal(a.placed[i], b.placed[i]);
        assert_int_equal(a.ship_by[i], b.ship_by[i]);
        assert_int_equal(a.shipped[i], b.shipped[i]);
        assert_int_equal(a.amount[i], b.amount[i]);
        assert_string_equal(a.currencies[a.cur[i]], b.currencies[b.cur[i]]);
        assert_string_equal(bl_regions_name(a.regions, a.from[i]),
                            bl_regions_name(b.regions, b.from[i]));
        assert_string_equal(bl_regions_name(a.regions, a.to[i]),
                            bl_regions_name(b.regions, b.to[i]));
        assert_true((a.channel[i] < 0) == (b.channel[i] < 0));
        if (a.channel[i] >= 0)
            assert_string_equal(a.chan_name[a.channel[i]], b.chan_name[b.channel[i]]);
    }
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
    for (const char *split = "1"; split; split = strcmp(split, "1") ? NULL : "1000000") {
        setenv("BALLAST_SPLIT_MIN", split, 1);
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
        unsetenv("BALLAST_SPLIT_MIN");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_connections_same),
        cmocka_unit_test(test_time_range),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
