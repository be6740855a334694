/* store_message_test.c - what `messages plan` reads from the store (store/message.h), on
 * SQLite and, when BL_PG_URL_FILE names a running server, PostgreSQL: the out-of-stock
 * lines (which lines, in which order, with the SKU's next inbound) and how the store
 * finds them: from the undelivered orders, each one's lines by key, never by reading every
 * order line of the organisation (issue 15, item 6: `messages plan` took 9 minutes at a
 * million order lines). The access path is asserted from the query plan, not a timing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "ballast/import.h"
#include "ballast/store.h"
#include "ballast/time.h"
#include "store/message.h"

static struct bl_test_env env_sqlite, env_pg;
static char *tmpdir;

/* P1 plenty in two warehouses, P2 none (an inbound due 2022-05-20; one due earlier was
 * cancelled), P3 two units left (after 1 reserved), P4 no stock row at all. */
static const struct {
    const char *kind, *name, *text;
} files[] = {
    {"shops", "shops.csv", "id,name,platform,currency,tz\ns1,Lamps,own-site,USD,UTC\n"},
    {"skus", "skus.csv", "id,name\nP1,Desk lamp\nP2,Bulb\nP3,Shade\nP4,Cable\n"},
    {"warehouses", "wh.csv", "id,name,region,kind\nW1,Main,CN-GD,own\nW2,US,US-NJ,own\n"},
    {"stock", "stock.csv",
     "warehouse,sku,on_hand,reserved,counted_at\n"
     "W1,P1,60,0,2022-05-01T00:00:00Z\nW2,P1,40,5,2022-05-01T00:00:00Z\n"
     "W1,P2,0,0,2022-05-01T00:00:00Z\nW1,P3,3,1,2022-05-01T00:00:00Z\n"},
    {"inbound", "inbound.csv",
     "po,sku,qty,warehouse,eta,state\n"
     "PO1,P2,50,W1,2022-05-20T00:00:00Z,open\nPO0,P2,50,W1,2022-05-15T00:00:00Z,cancelled\n"},
    /* O1: P1 and P2 (line 2 short); O2: 3 of P3 (short), P2 (short); O3: 2 of P3 (not
     * short), P4 (no stock row: not known short); O4: P2, delivered: not messaged */
    {"orders", "orders.csv",
     "order,shop,sku,qty,unit_price,placed_at,ship_by,delivered_at\n"
     "O1,s1,P1,1,10.00,2022-05-01T00:00:00Z,2022-05-03T00:00:00Z,\n"
     "O1,s1,P2,1,2.00,2022-05-01T00:00:00Z,2022-05-03T00:00:00Z,\n"
     "O2,s1,P3,3,5.00,2022-05-02T00:00:00Z,2022-05-04T00:00:00Z,\n"
     "O2,s1,P2,4,2.00,2022-05-02T00:00:00Z,2022-05-04T00:00:00Z,\n"
     "O3,s1,P3,2,5.00,2022-05-02T00:00:00Z,2022-05-04T00:00:00Z,\n"
     "O3,s1,P4,1,1.00,2022-05-02T00:00:00Z,2022-05-04T00:00:00Z,\n"
     "O4,s1,P2,1,2.00,2022-04-01T00:00:00Z,2022-04-03T00:00:00Z,2022-04-09T00:00:00Z\n"},
};

static int64_t at(const char *iso)
{
    int64_t t = 0;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_time_parse(bl_str_c(iso), NULL, &t, &d), &d);
    return t;
}

static int fresh(void **state)
{
    bl_test_env_fresh(state);
    struct bl_test_env *e = *state;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_store_migrate(e->st, &d), &d);
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char *path = bl_test_write_file(tmpdir, files[i].name, files[i].text,
                                        strlen(files[i].text));
        struct bl_import_opts o = {.kind = files[i].kind, .path = path, .org_id = 1, .now = 1};
        struct bl_import_result r;
        BL_ASSERT_OK(bl_import(e->st, &o, &r, &d), &d);
        free(path);
    }
    return 0;
}

static const char *ext_of(struct bl_store *s, int64_t order_id)
{
    static char ext[32];
    struct bl_diag d;
    bl_diag_clear(&d);
    int64_t n = 0;
    static const char *const names[] = {"O1", "O2", "O3", "O4"};
    for (size_t i = 0; i < 4; i++) {
        struct bl_val p[2] = {bl_val_int(order_id), bl_val_text(bl_str_c(names[i]))};
        BL_ASSERT_OK(bl_store_query_int(s,
                                        "SELECT COUNT(*) FROM orders WHERE org_id = 1"
                                        " AND id = $1 AND ext_id = $2",
                                        p, 2, &n, &d),
                     &d);
        if (n) {
            snprintf(ext, sizeof(ext), "%s", names[i]);
            return ext;
        }
    }
    return "?";
}

/* The short lines of the orders not delivered, in order and line order, each with its
 * SKU's name and next open inbound. */
static void test_shortages(void **state)
{
    struct bl_test_env *e = *state;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_arena a;
    bl_arena_init(&a, 0);
    struct bl_msg_short *sh = NULL;
    size_t n = 0;
    BL_ASSERT_OK(bl_store_message_shortages(e->st, 1, at("2022-05-10T00:00:00Z"), &a, &sh, &n, &d),
                 &d);
    assert_int_equal(n, 3);
    assert_string_equal(ext_of(e->st, sh[0].order_id), "O1");
    assert_string_equal(sh[0].sku_name, "Bulb");
    assert_int_equal(sh[0].eta, at("2022-05-20T00:00:00Z"));
    assert_string_equal(ext_of(e->st, sh[1].order_id), "O2");
    assert_string_equal(sh[1].sku_name, "Shade"); /* line 1: 3 wanted, 2 available */
    assert_int_equal(sh[1].eta, BL_NO_TIME);
    assert_string_equal(ext_of(e->st, sh[2].order_id), "O2");
    assert_string_equal(sh[2].sku_name, "Bulb");
    bl_free(sh);
    /* after the inbound's eta: no restock known */
    BL_ASSERT_OK(bl_store_message_shortages(e->st, 1, at("2022-05-21T00:00:00Z"), &a, &sh, &n, &d),
                 &d);
    assert_int_equal(n, 3);
    assert_int_equal(sh[0].eta, BL_NO_TIME);
    bl_free(sh);
    bl_arena_release(&a);
}

struct plan_ctx {
    char text[4096];
    size_t len;
    size_t col; /* the column holding the plan's text */
};

static int plan_row(void *vctx, const struct bl_row *r)
{
    struct plan_ctx *c = vctx;
    struct bl_str t = bl_row_text(r, c->col);
    int w = snprintf(c->text + c->len, sizeof(c->text) - c->len, "%.*s\n", (int)t.len, t.ptr);
    if (w > 0 && (size_t)w < sizeof(c->text) - c->len)
        c->len += (size_t)w;
    return 0;
}

/* The plan of the shortage query, one line per step, into c->text. */
static void explain(struct bl_test_env *e, struct plan_ctx *c)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    char sql[2048];
    snprintf(sql, sizeof(sql), "%s%s", e->pg ? "EXPLAIN " : "EXPLAIN QUERY PLAN ",
             bl__msg_shortage_sql(e->st));
    struct bl_val p[2] = {bl_val_int(1), bl_val_int(at("2022-05-10T00:00:00Z"))};
    memset(c, 0, sizeof(*c));
    c->col = e->pg ? 0 : 3; /* SQLite: id, parent, notused, detail */
    BL_ASSERT_OK(bl_store_query(e->st, sql, p, 2, plan_row, c, &d), &d);
}

/* The shortage query reaches order lines from their orders, by order_line's primary key
 * (the organisation's orders once, the lines of the undelivered ones), and never reads
 * order_line whole: the access path that made `messages plan` grow with every order line
 * ever imported. Since migration 30 there is no index of lines by SKU (every imported
 * line paid for it). PostgreSQL is told to avoid sequential scans, so that the tiny test
 * tables are planned as large ones would be. */
static void test_shortage_path(void **state)
{
    struct bl_test_env *e = *state;
    if (e->pg)
        bl_test_exec_ok(e->st, "SET enable_seqscan = off");
    struct plan_ctx c;
    explain(e, &c);
    assert_null(strstr(c.text, "order_line_sku"));
    if (e->pg) {
        const char *at_key = strstr(c.text, "order_line_pkey on order_line l");
        if (!at_key)
            fail_msg("the shortage query does not read order_line by its key:\n%s", c.text);
        assert_null(strstr(c.text, "Seq Scan on order_line"));
    } else {
        if (!strstr(c.text, "SEARCH l USING PRIMARY KEY (org_id=? AND order_id=?)"))
            fail_msg("the shortage query does not reach the lines from their orders:\n%s",
                     c.text);
        assert_null(strstr(c.text, "SCAN l"));
    }
}

static int setup_sqlite(void **state)
{
    return bl_test_env_setup_sqlite(state, &env_sqlite, "store_message_test");
}

static int setup_pg(void **state)
{
    return bl_test_env_setup_pg(state, &env_pg, "store_message_test");
}

static void remove_tmpdir(void)
{
    char path[700];
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", tmpdir, files[i].name);
        remove(path);
    }
    remove(tmpdir);
    free(tmpdir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_shortages, fresh, bl_test_env_done),
        cmocka_unit_test_setup_teardown(test_shortage_path, fresh, bl_test_env_done),
    };
    tmpdir = bl_test_tmpdir();
    atexit(remove_tmpdir);
    int failed = cmocka_run_group_tests_name("store_message/sqlite", tests, setup_sqlite,
                                             bl_test_env_teardown);
    if (!getenv("BL_PG_URL_FILE")) {
        fprintf(stderr, "store_message_test: BL_PG_URL_FILE is not set; skipping PostgreSQL\n");
        return failed;
    }
    env_pg.url = bl_test_pg_url();
    if (!env_pg.url)
        return failed + 1;
    failed += cmocka_run_group_tests_name("store_message/postgres", tests, setup_pg,
                                          bl_test_env_teardown);
    free(env_pg.url);
    return failed;
}
