/* app_money_test.c - money per currency (src/app/money.h, compensate.h) on SQLite and
 * PostgreSQL: exchange rates imported, the organisation's currency, a shop's balances per
 * currency (never added across currencies), the total in the organisation's currency with
 * the rates it used (the inverse pair too), a missing rate named with its pair and day,
 * each ledger entry's balance in its own currency, and the deposit shortfalls.
 *
 * Every test gets a fresh SQLite file, or a PostgreSQL schema of its own; under ctest the
 * "pg" fixture starts the server and BL_PG_URL_FILE names its URL (else that group is
 * skipped with a message).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "app/compensate.h"
#include "app/data.h"
#include "app/money.h"
#include "ballast/store.h"
#include "ballast/time.h"
#include "store/coupon.h"
#include "store/ledger.h"

static struct bl_test_env env_sqlite;
static struct bl_test_env env_pg;

static const int64_t NOW = 1700000000; /* 2023-11-14T22:13:20Z */

static int setup_sqlite(void **state)
{
    return bl_test_env_setup_sqlite(state, &env_sqlite, "app_money_test");
}

static int setup_pg(void **state)
{
    return bl_test_env_setup_pg(state, &env_pg, "app_money_test");
}

/* ---- helpers ----------------------------------------------------------------------- */

static void import_ok(struct bl_test_env *e, const char *kind, const char *text)
{
    char name[64];
    snprintf(name, sizeof(name), "%s.csv", kind);
    char *path = bl_test_write_file(e->dir, name, text, strlen(text));
    struct bl_app_import_req req = {.kind = kind, .path = path, .now = NOW};
    struct bl_app_import_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_app_import(e->st, 1, &req, &res, &d), &d);
    free(path);
}

static int64_t order_id(struct bl_test_env *e, const char *ext)
{
    struct bl_val p = bl_val_text(bl_str_c(ext));
    int64_t id = 0;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_store_query_int(e->st, "SELECT id FROM orders WHERE ext_id = $1", &p, 1,
                                    &id, &d),
                 &d);
    return id;
}

static int64_t day(const char *text)
{
    int64_t v = 0;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_date_parse(bl_str_c(text), &v, &d), &d);
    return v;
}

/* s1 (USD, deposit 100.00): a coupon of 5.00 paid, freight waivers of 750.00 and 255.00
 * CNY; s2 (EUR, deposit 1.00): a coupon of 3.00 owed. Rates: CNY -> USD 0.1385 from
 * 2024-11-01 and 0.13812 from 2024-11-14; USD -> EUR 0.9217 from 2024-11-01 (only). */
static void with_money(struct bl_test_env *e)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_init_req ir = {NULL};
    struct bl_app_init_res ires;
    BL_ASSERT_OK(bl_app_init(e->st, &ir, &ires, &d), &d);
    import_ok(e, "shops", "id,name,platform,currency,tz,ship_from,deposit\n"
                          "s1,Gadgets,temu,USD,Asia/Shanghai,CN-GD,100\n"
                          "s2,Maison,amazon,EUR,Europe/Paris,CN-ZJ,1\n");
    import_ok(e, "skus", "id,name\nk1,Cable\n");
    import_ok(e, "orders",
              "order,shop,sku,qty,unit_price,placed_at,ship_by,ship_to\n"
              "o1,s1,k1,1,100,2024-11-01T10:00:00Z,2024-11-03T10:00:00Z,US-CA\n"
              "o2,s1,k1,1,50,2024-11-01T10:00:00Z,2024-11-03T10:00:00Z,US-CA\n"
              "o3,s2,k1,1,60,2024-11-01T10:00:00Z,2024-11-03T10:00:00Z,FR\n");
    import_ok(e, "rates", "date,from,to,rate\n"
                          "2024-11-01,CNY,USD,0.1385\n"
                          "2024-11-14,CNY,USD,0.13812\n"
                          "2024-11-01,USD,EUR,0.9217\n");
    int64_t o1 = order_id(e, "o1"), o3 = order_id(e, "o3");
    int64_t at = 1731628800; /* 2024-11-15 */
    struct bl_coupon_row c[2] = {{1, o1, "temu", 500, "USD", "late", true, at, at, 0},
                                 {2, o3, "amazon", 300, "EUR", "late", false, at, at, 0}};
    struct bl_ledger_entry le[3] = {
        {1, "coupon", -500, "USD", 9500, "o1", "coupon:1", "late", at, at, 0},
        {1, "sla_waiver", 75000, "CNY", 0, "o2", "sla:2", "waiver", at, at, 0},
        {1, "sla_waiver", 25500, "CNY", 0, "o1", "sla:1", "waiver", at, at, 0}};
    BL_ASSERT_OK(bl_store_begin(e->st, &d), &d);
    BL_ASSERT_OK(bl_store_coupon_add(e->st, 1, c, 2, &d), &d);
    BL_ASSERT_OK(bl_store_ledger_add(e->st, 1, le, 3, NULL, &d), &d);
    BL_ASSERT_OK(bl_store_end(e->st, BL_OK, &d), &d);
}

static const struct bl_app_balance *row(const struct bl_app_balances_res *r, const char *shop,
                                        const char *cur)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->rows[i].shop, shop) == 0 && strcmp(r->rows[i].currency, cur) == 0)
            return &r->rows[i];
    fail_msg("no balance row for %s %s", shop, cur);
    return NULL;
}

/* ---- tests ----------------------------------------------------------------------------- */

static void test_balances_per_currency(void **state)
{
    struct bl_test_env *e = *state;
    with_money(e);
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_balances_req req = {NULL, day("2024-11-15")};
    struct bl_app_balances_res r;
    BL_ASSERT_OK(bl_app_balances(e->st, 1, &req, &r, &d), &d);
    assert_int_equal(r.n, 3); /* s1 USD, s1 CNY, s2 EUR: the deposit's currency first */
    assert_string_equal(r.rows[0].currency, "USD");
    assert_string_equal(r.rows[1].currency, "CNY");
    const struct bl_app_balance *u = row(&r, "s1", "USD"), *c = row(&r, "s1", "CNY");
    assert_true(u->deposit_currency);
    assert_int_equal(u->deposit, 10000);
    assert_int_equal(u->balance, 9500); /* the waivers are not added to it */
    assert_int_equal(u->paid, 500);
    assert_int_equal(u->waivers, 0);
    assert_false(c->deposit_currency);
    assert_int_equal(c->balance, 0);
    assert_int_equal(c->waivers, 100500);
    assert_int_equal(c->nwaivers, 2);
    const struct bl_app_balance *eu = row(&r, "s2", "EUR");
    assert_int_equal(eu->balance, 100);
    assert_int_equal(eu->owed, 300);
    assert_int_equal(eu->nowed, 1);
    assert_false(r.total.fx.wanted); /* no organisation currency: no total */
    bl_app_balances_res_release(&r);

    /* one shop; an unknown one */
    req.shop = "s2";
    BL_ASSERT_OK(bl_app_balances(e->st, 1, &req, &r, &d), &d);
    assert_int_equal(r.n, 1);
    bl_app_balances_res_release(&r);
    req.shop = "zz";
    assert_int_equal(bl_app_balances(e->st, 1, &req, &r, &d), BL_ENOTFOUND);
    assert_true(r.unknown_shop);
    bl_app_balances_res_release(&r);
}

static void test_total_in_org_currency(void **state)
{
    struct bl_test_env *e = *state;
    with_money(e);
    struct bl_diag d;
    bl_diag_clear(&d);
    assert_int_equal(bl_app_org_currency_set(e->st, 1, "XYZ", &d), BL_ENOTFOUND);
    assert_non_null(strstr(d.msg, "XYZ"));
    BL_ASSERT_OK(bl_app_org_currency_set(e->st, 1, "USD", &d), &d);
    struct bl_app_org_res org;
    BL_ASSERT_OK(bl_app_org_show(e->st, 1, &org, &d), &d);
    assert_string_equal(org.currency, "USD");
    assert_int_equal(org.rates, 3);

    struct bl_app_balances_req req = {NULL, day("2024-11-15")};
    struct bl_app_balances_res r;
    BL_ASSERT_OK(bl_app_balances(e->st, 1, &req, &r, &d), &d);
    assert_true(r.total.fx.wanted);
    assert_string_equal(r.total.fx.currency, "USD");
    /* 1005.00 CNY x 0.13812 = 138.8106 -> 138.81 USD (the rate of 2024-11-14) */
    assert_int_equal(r.total.waivers, 13881);
    /* owed 3.00 EUR / 0.9217 (USD -> EUR, inverted) = 3.2548 -> 3.25 USD */
    assert_int_equal(r.total.owed, 325);
    /* 95.00 USD + 1.00 EUR / 0.9217 = 1.0850 -> 1.08 (EUR deposit) */
    assert_int_equal(r.total.balance, 9500 + 108);
    assert_int_equal(r.total.fx.nused, 2);
    const struct bl_app_fx_used *cny = &r.total.fx.used[0], *eur = &r.total.fx.used[1];
    if (strcmp(cny->from, "CNY") != 0) {
        cny = &r.total.fx.used[1];
        eur = &r.total.fx.used[0];
    }
    assert_int_equal(cny->rate_day, day("2024-11-14"));
    assert_false(cny->inverse);
    assert_true(eur->inverse);
    bl_app_balances_res_release(&r);

    /* an earlier day takes the earlier rate: 1005.00 x 0.1385 = 139.19 */
    req.day = day("2024-11-10");
    BL_ASSERT_OK(bl_app_balances(e->st, 1, &req, &r, &d), &d);
    assert_int_equal(r.total.waivers, 13919);
    bl_app_balances_res_release(&r);

    /* before any rate: an error naming the pair and the day; the rows are still there */
    req.day = day("2024-10-31");
    bl_diag_clear(&d);
    assert_int_equal(bl_app_balances(e->st, 1, &req, &r, &d), BL_ENOTFOUND);
    assert_non_null(strstr(d.msg, "2024-10-31"));
    assert_true(strstr(d.msg, "CNY -> USD") || strstr(d.msg, "EUR -> USD"));
    assert_int_equal(r.n, 3);
    bl_app_balances_res_release(&r);

    /* unset: no total */
    BL_ASSERT_OK(bl_app_org_currency_set(e->st, 1, NULL, &d), &d);
    req.day = day("2024-11-15");
    BL_ASSERT_OK(bl_app_balances(e->st, 1, &req, &r, &d), &d);
    assert_false(r.total.fx.wanted);
    bl_app_balances_res_release(&r);
}

static void test_ledger_balances_per_account(void **state)
{
    struct bl_test_env *e = *state;
    with_money(e);
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_ledger_req req = {.shop = "s1"};
    struct bl_app_ledger_res r;
    BL_ASSERT_OK(bl_app_ledger(e->st, 1, &req, &r, &d), &d);
    assert_int_equal(r.n, 3);
    assert_int_equal(r.entries[0].balance, 9500);  /* USD: the deposit after the coupon */
    assert_int_equal(r.entries[1].balance, 75000); /* CNY: the waivers so far, not 95.00 */
    assert_int_equal(r.entries[2].balance, 100500);
    assert_int_equal(r.balance, 9500);
    bl_app_ledger_res_release(&r);
}

/* A page of the ledger (cut in the store) carries each account's balance from the entries
 * before it: every page's entries are the whole list's, balances and all, and the balance
 * is the deposit's after every entry whatever the page. */
static void test_ledger_pages(void **state)
{
    struct bl_test_env *e = *state;
    with_money(e);
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_ledger_req req = {.shop = "s1"};
    struct bl_app_ledger_res all, pg;
    BL_ASSERT_OK(bl_app_ledger(e->st, 1, &req, &all, &d), &d);
    assert_int_equal(all.n, 3);
    for (int64_t limit = 1; limit <= 4; limit++) {
        size_t seen = 0;
        req.after = 0;
        req.limit = limit;
        for (;;) {
            BL_ASSERT_OK(bl_app_ledger(e->st, 1, &req, &pg, &d), &d);
            assert_int_equal(pg.balance, all.balance);
            assert_int_equal(pg.deposit, all.deposit);
            for (size_t k = 0; k < pg.n; k++) {
                const struct bl_app_ledger_entry *x = &pg.entries[k], *y = &all.entries[seen + k];
                assert_int_equal(x->id, y->id);
                assert_int_equal(x->balance, y->balance);
                assert_int_equal(x->amount, y->amount);
                assert_string_equal(x->currency, y->currency);
            }
            seen += pg.n;
            bool last = pg.n < (size_t)limit;
            if (pg.n)
                req.after = pg.entries[pg.n - 1].id;
            bl_app_ledger_res_release(&pg);
            if (last)
                break;
        }
        assert_int_equal(seen, all.n);
    }
    req.after = all.entries[all.n - 1].id; /* past the last: nothing, the same balance */
    req.limit = 10;
    BL_ASSERT_OK(bl_app_ledger(e->st, 1, &req, &pg, &d), &d);
    assert_int_equal(pg.n, 0);
    assert_int_equal(pg.balance, all.balance);
    bl_app_ledger_res_release(&pg);
    bl_app_ledger_res_release(&all);
}

static void test_shortfalls(void **state)
{
    struct bl_test_env *e = *state;
    with_money(e);
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_shortfalls_req req = {NULL, day("2024-11-15")};
    struct bl_app_shortfalls_res r;
    BL_ASSERT_OK(bl_app_shortfalls(e->st, 1, &req, &r, &d), &d);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.rows[0].shop, "s2");
    assert_string_equal(r.rows[0].currency, "EUR");
    assert_int_equal(r.rows[0].owed, 300);
    assert_int_equal(r.rows[0].ncoupons, 1);
    assert_string_equal(r.rows[0].orders[0], "o3");
    assert_false(r.rows[0].other_currency);
    assert_false(r.total.fx.wanted);
    bl_app_shortfalls_res_release(&r);

    BL_ASSERT_OK(bl_app_org_currency_set(e->st, 1, "USD", &d), &d);
    BL_ASSERT_OK(bl_app_shortfalls(e->st, 1, &req, &r, &d), &d);
    assert_int_equal(r.total.owed, 325);
    bl_app_shortfalls_res_release(&r);

    req.shop = "s1";
    BL_ASSERT_OK(bl_app_shortfalls(e->st, 1, &req, &r, &d), &d);
    assert_int_equal(r.n, 0);
    bl_app_shortfalls_res_release(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        BL_TEST_FRESH(test_balances_per_currency),
        BL_TEST_FRESH(test_ledger_pages),
        BL_TEST_FRESH(test_total_in_org_currency),
        BL_TEST_FRESH(test_ledger_balances_per_account),
        BL_TEST_FRESH(test_shortfalls),
    };
    int failed =
        cmocka_run_group_tests_name("app_money/sqlite", tests, setup_sqlite, bl_test_env_teardown);
    if (!getenv("BL_PG_URL_FILE")) {
        fprintf(stderr, "app_money_test: BL_PG_URL_FILE is not set; skipping the PostgreSQL "
                        "tests (see the top of tests/unit/app_money_test.c)\n");
        return failed;
    }
    env_pg.url = bl_test_pg_url();
    if (!env_pg.url) {
        fprintf(stderr, "app_money_test: cannot read the PostgreSQL URL from BL_PG_URL_FILE=%s\n",
                getenv("BL_PG_URL_FILE"));
        return failed + 1;
    }
    failed +=
        cmocka_run_group_tests_name("app_money/postgres", tests, setup_pg, bl_test_env_teardown);
    free(env_pg.url);
    return failed;
}
