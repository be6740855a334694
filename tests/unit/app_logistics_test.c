/* app_logistics_test.c - the logistics use cases (src/app/logistics.h) on a small store,
 * on SQLite and on PostgreSQL (when BL_PG_URL_FILE names a server: under ctest the "pg"
 * fixture starts one; each PostgreSQL test gets a schema of its own). A catalogue of
 * two channels, one shop and three orders imported from native CSV: routing under the
 * default, the shop's and an overriding policy, one order explained, a quote, a refund
 * decided and recorded once, and an SLA breach waived once (a second run adds nothing,
 * a dry run stores nothing), route and sla sharing one loaded catalogue. */
#include <stdio.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#include "app/logistics.h"
#include "ballast/alloc.h"
#include "ballast/import.h"
#include "ballast/store.h"
#include "ballast/time.h"

#define ORG 1

static struct bl_test_env env_sqlite, env_pg;

static const char channels_csv[] =
    "channel,carrier,mode,tier,origin,destination,min_kg,max_kg,base,per_kg,currency,"
    "transit_min,transit_max,sla_days,cutoff,tz,calendar,volumetric_divisor,remedy\n"
    "post,China Post,postal,core,CN,US,0,2,5.00,1.00,USD,7,15,3,,Asia/Shanghai,,,freight_waiver\n"
    "dhl,DHL,express,core,CN,US,0,30,30.00,5.00,USD,3,5,,,Asia/Shanghai,,,\n";
static const char shops_csv[] = "id,platform,currency,tz,ship_from,deposit\n"
                                "s1,amazon,USD,Asia/Shanghai,CN-GD,100.00\n";
static const char skus_csv[] = "id,weight_g\nk1,500\n";
/* o1 open with a promise, o2 shipped by post on 03-01 and never delivered (its SLA of
 * 3 days ends 03-04), o3 open and never shipped */
static const char orders_csv[] =
    "order,shop,sku,qty,unit_price,placed_at,promised_at,ship_to,shipped_at,channel\n"
    "o1,s1,k1,1,9.99,2024-03-01T00:00:00Z,2024-03-30T00:00:00Z,US-CA,,\n"
    "o2,s1,k1,1,19.99,2024-02-28T00:00:00Z,,US-NY,2024-03-01T00:00:00Z,post\n"
    "o3,s1,k1,2,9.99,2024-03-02T00:00:00Z,,US,,\n";

static void import(struct bl_test_env *e, const char *kind, const char *text)
{
    char name[64];
    snprintf(name, sizeof(name), "%s-%d.csv", kind, e->seq);
    char *path = bl_test_write_file(e->dir, name, text, strlen(text));
    struct bl_import_opts o = {.kind = kind, .path = path, .org_id = ORG, .now = 1000};
    struct bl_import_result r;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_import(e->st, &o, &r, &d), &d);
    free(path);
}

static int64_t count(struct bl_test_env *e, const char *sql)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    int64_t n = -1;
    BL_ASSERT_OK(bl_store_query_int(e->st, sql, NULL, 0, &n, &d), &d);
    return n;
}

/* Per test: a new SQLite file or PostgreSQL schema, migrated, with the small store. */
static int fresh(void **state)
{
    bl_test_env_fresh(state);
    struct bl_test_env *e = *state;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_store_migrate(e->st, &d), &d);
    import(e, "channels", channels_csv);
    import(e, "shops", shops_csv);
    import(e, "skus", skus_csv);
    import(e, "orders", orders_csv);
    return 0;
}

static int64_t at(const char *iso)
{
    int64_t t = 0;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_time_parse(bl_str_c(iso), NULL, &t, &d), &d);
    return t;
}

static const struct bl_app_route_order *find(const struct bl_app_route_res *r, const char *id)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->o[i].order, id) == 0)
            return &r->o[i];
    return NULL;
}

static const char *chan(const struct bl_app_logistics *cat, int32_t i)
{
    return i >= 0 ? bl_lg_channel(cat->lg, (size_t)i)->id : "";
}

static void test_route(void **state)
{
    struct bl_test_env *e = *state;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_route_req req = {at("2024-03-04T01:00:00Z"), NULL, NULL, NULL, NULL};
    struct bl_app_route_res r;
    BL_ASSERT_OK(bl_app_route(e->st, ORG, &req, &r, &d), &d);
    assert_int_equal(r.n, 2); /* o2 shipped before the instant */
    const struct bl_app_route_order *o1 = find(&r, "o1");
    assert_non_null(o1);
    assert_string_equal(chan(r.cat, o1->route.channel), "post");
    assert_int_equal(o1->route.state, BL_LG_ROUTED);
    assert_int_equal(o1->route.price, 600); /* 5.00 + 1.00 per started kg */
    assert_int_equal(o1->policy_from, BL_APP_POLICY_DEFAULT);
    bl_app_route_res_release(&r);
    /* one shop's orders; a shop the organisation does not have */
    req.shop = "s1";
    BL_ASSERT_OK(bl_app_route(e->st, ORG, &req, &r, &d), &d);
    assert_int_equal(r.n, 2);
    bl_app_route_res_release(&r);
    req.shop = "s9";
    assert_int_equal(bl_app_route(e->st, ORG, &req, &r, &d), BL_ENOTFOUND);
    assert_string_equal(d.field, "shop");
    bl_app_route_res_release(&r);
    req.shop = NULL;
    bl_diag_clear(&d);

    /* the shop's policy, then an override */
    struct bl_app_route_policy_req pol = {"s1", "fastest", NULL, 1000};
    BL_ASSERT_OK(bl_app_route_policy_set(e->st, ORG, &pol, &d), &d);
    BL_ASSERT_OK(bl_app_route(e->st, ORG, &req, &r, &d), &d);
    assert_string_equal(chan(r.cat, find(&r, "o1")->route.channel), "dhl");
    assert_int_equal(find(&r, "o1")->policy_from, BL_APP_POLICY_SHOP);
    bl_app_route_res_release(&r);
    struct bl_lg_policy cheapest = {BL_LG_CHEAPEST, NULL};
    req.policy = &cheapest;
    req.explain = "o1";
    BL_ASSERT_OK(bl_app_route(e->st, ORG, &req, &r, &d), &d);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.o[0].policy_from, BL_APP_POLICY_OVERRIDE);
    assert_int_equal(r.o[0].nopt, 2);
    assert_int_equal(r.o[0].why, BL_LG_WHY_CHEAPEST);
    bl_app_route_res_release(&r);

    req.explain = "nope";
    assert_int_equal(bl_app_route(e->st, ORG, &req, &r, &d), BL_ENOTFOUND);
    bl_app_route_res_release(&r);

    struct bl_app_route_policy_res pl;
    BL_ASSERT_OK(bl_app_route_policy_list(e->st, ORG, &pl, &d), &d);
    assert_int_equal(pl.n, 1);
    assert_int_equal(pl.p[0].route.kind, BL_LG_FASTEST);
    assert_int_equal(pl.p[0].share_bp, BL_APP_REFUND_SHARE_BP);
    bl_app_route_policy_res_release(&pl);
}

static void test_quote(void **state)
{
    struct bl_test_env *e = *state;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_quote_req q = {
        "CN-GD:518", "US-CA", 500, {0, 0, 0}, at("2024-03-04T01:00:00Z"), BL_LG_NO_PROMISE, NULL};
    struct bl_app_quote_res r;
    BL_ASSERT_OK(bl_app_quote(e->st, ORG, &q, &r, &d), &d);
    assert_int_equal(r.n, 2);
    assert_string_equal(chan(r.cat, r.opt[0].channel), "post");
    assert_int_equal(r.opt[0].price, 600);
    assert_int_equal(r.opt[1].price, 3500);
    bl_app_quote_res_release(&r);
    q.to = "BR";
    BL_ASSERT_OK(bl_app_quote(e->st, ORG, &q, &r, &d), &d);
    assert_int_equal(r.n, 0);
    bl_app_quote_res_release(&r);
}

static void test_refund_once(void **state)
{
    struct bl_test_env *e = *state;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_refund_req req = {"o3", NULL, "changed mind", at("2024-03-05T00:00:00Z"), 2000,
                                    0,    NULL};
    struct bl_app_refund_res r;
    BL_ASSERT_OK(bl_app_refund(e->st, ORG, &req, &r, &d), &d);
    assert_int_equal(r.kind, BL_REFUND_FULL);
    assert_int_equal(r.reason, BL_APP_REFUND_NOT_SHIPPED);
    assert_int_equal(r.state, BL_APP_REFUND_NEW);
    assert_int_equal(r.refund, 1998);
    assert_non_null(strstr(r.note, "request: changed mind"));
    bl_app_refund_res_release(&r);
    assert_int_equal(count(e, "SELECT COUNT(*) FROM refund"), 1);

    req.as_of = at("2024-04-05T00:00:00Z");
    BL_ASSERT_OK(bl_app_refund(e->st, ORG, &req, &r, &d), &d);
    assert_int_equal(r.state, BL_APP_REFUND_BEFORE);
    assert_int_equal(r.kind, BL_REFUND_FULL);
    assert_int_equal(r.refund, 1998);
    bl_app_refund_res_release(&r);
    assert_int_equal(count(e, "SELECT COUNT(*) FROM refund"), 1);

    /* o2, shipped, no warehouse, no return lane: keep it, half refunded */
    req.order = "o2";
    BL_ASSERT_OK(bl_app_refund(e->st, ORG, &req, &r, &d), &d);
    assert_int_equal(r.kind, BL_REFUND_PARTIAL_KEEP);
    assert_int_equal(r.reason, BL_APP_REFUND_NO_RETURN_QUOTE);
    assert_int_equal(r.refund, 1000);
    bl_app_refund_res_release(&r);
    assert_int_equal(count(e, "SELECT COUNT(*) FROM refund"), 2);
    assert_int_equal(count(e, "SELECT MAX(id) FROM refund"), 2);

    req.order = "nope";
    assert_int_equal(bl_app_refund(e->st, ORG, &req, &r, &d), BL_ENOTFOUND);
    bl_app_refund_res_release(&r);

    /* the decisions recorded, by id, a page at a time */
    struct bl_app_refunds_req lq = {NULL, 0, 0};
    struct bl_app_refunds_res lr;
    BL_ASSERT_OK(bl_app_refunds(e->st, ORG, &lq, &lr, &d), &d);
    assert_int_equal(lr.n, 2);
    assert_string_equal(lr.items[0].order, "o3");
    assert_int_equal(lr.items[0].kind, BL_REFUND_FULL);
    assert_int_equal(lr.items[0].refund, 1998);
    assert_string_equal(lr.items[0].request, "changed mind");
    assert_int_equal(lr.items[0].at, 2000);
    assert_string_equal(lr.items[1].order, "o2");
    assert_int_equal(lr.items[1].kind, BL_REFUND_PARTIAL_KEEP);
    int64_t first = lr.items[0].id;
    bl_app_refunds_res_release(&lr);
    lq = (struct bl_app_refunds_req){NULL, first, 1};
    BL_ASSERT_OK(bl_app_refunds(e->st, ORG, &lq, &lr, &d), &d);
    assert_int_equal(lr.n, 1);
    assert_string_equal(lr.items[0].order, "o2");
    bl_app_refunds_res_release(&lr);
    lq = (struct bl_app_refunds_req){"nosuch", 0, 0};
    assert_int_equal(bl_app_refunds(e->st, ORG, &lq, &lr, &d), BL_ENOTFOUND);
    bl_app_refunds_res_release(&lr);
}

static void test_sla_once(void **state)
{
    struct bl_test_env *e = *state;
    struct bl_diag d;
    bl_diag_clear(&d);
    /* one catalogue for the cycle's route and sla steps */
    struct bl_app_logistics cat;
    BL_ASSERT_OK(bl_app_logistics_load(e->st, ORG, &cat, &d), &d);
    struct bl_app_route_req rq = {at("2024-03-10T00:00:00Z"), NULL, NULL, &cat, NULL};
    struct bl_app_route_res rr;
    BL_ASSERT_OK(bl_app_route(e->st, ORG, &rq, &rr, &d), &d);
    assert_ptr_equal(rr.cat, &cat);
    bl_app_route_res_release(&rr);

    struct bl_app_sla_req req = {at("2024-03-10T00:00:00Z"), true, 3000, 0, &cat};
    struct bl_app_sla_res r;
    BL_ASSERT_OK(bl_app_sla(e->st, ORG, &req, &r, &d), &d);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.c[0].state, BL_APP_SLA_DUE);
    assert_int_equal(r.added, 0);
    bl_app_sla_res_release(&r);
    assert_int_equal(count(e, "SELECT COUNT(*) FROM ledger"), 0);

    req.dry_run = false;
    BL_ASSERT_OK(bl_app_sla(e->st, ORG, &req, &r, &d), &d);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.c[0].order, "o2");
    assert_true(r.c[0].priced);
    assert_int_equal(r.c[0].freight, 600);
    assert_string_equal(r.c[0].currency, "USD");
    assert_int_equal(r.c[0].state, BL_APP_SLA_NEW);
    assert_int_equal(r.added, 1);
    bl_app_sla_res_release(&r);
    assert_int_equal(count(e, "SELECT COUNT(*) FROM ledger WHERE kind = 'sla_waiver'"
                              " AND amount = 600 AND idem LIKE 'sla:%'"),
                     1);

    req.as_of = at("2024-03-20T00:00:00Z"); /* a later cycle: nothing twice */
    BL_ASSERT_OK(bl_app_sla(e->st, ORG, &req, &r, &d), &d);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.c[0].state, BL_APP_SLA_BEFORE);
    assert_int_equal(r.added, 0);
    bl_app_sla_res_release(&r);
    assert_int_equal(count(e, "SELECT COUNT(*) FROM ledger"), 1);

    /* before the deadline nothing is due */
    req.as_of = at("2024-03-03T00:00:00Z");
    BL_ASSERT_OK(bl_app_sla(e->st, ORG, &req, &r, &d), &d);
    assert_int_equal(r.n, 0);
    bl_app_sla_res_release(&r);
    bl_app_logistics_release(&cat);
}

/* One pass of the read-only use cases: each ends in BL_OK or an error, never a crash
 * or a leak (the ASan build runs this). */
static int read_all(struct bl_test_env *e)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_logistics cat;
    int rc = bl_app_logistics_load(e->st, ORG, &cat, &d), bad = rc;
    struct bl_app_route_req rq = {at("2024-03-04T01:00:00Z"), NULL, "o1", rc ? NULL : &cat, NULL};
    struct bl_app_route_res rr;
    bad |= bl_app_route(e->st, ORG, &rq, &rr, &d);
    bl_app_route_res_release(&rr);
    struct bl_app_sla_req sq = {at("2024-03-10T00:00:00Z"), true, 3000, 0, rc ? NULL : &cat};
    struct bl_app_sla_res sr;
    bad |= bl_app_sla(e->st, ORG, &sq, &sr, &d);
    bl_app_sla_res_release(&sr);
    struct bl_app_promise_req pq = {.from = "CN-GD", .as_of = 1000};
    struct bl_app_promise_res pr;
    bad |= bl_app_promise(e->st, ORG, &pq, &pr, &d);
    bl_app_promise_res_release(&pr);
    struct bl_app_windows_req wq = {NULL, NULL, NULL, NULL, NULL};
    struct bl_app_windows_res wr;
    bad |= bl_app_windows(e->st, ORG, &wq, &wr, &d);
    bl_app_windows_res_release(&wr);
    bl_app_logistics_release(&cat);
    return bad;
}

/* The windows against a delivery, and a stop flag set before: BL_EINTERRUPTED, nothing
 * kept (a server shutting down gives the computation up; stock_warm.c). */
static void test_windows_stop(void **state)
{
    struct bl_test_env *e = *state;
    import(e, "orders",
           "order,shop,sku,qty,unit_price,placed_at,ship_to,shipped_at,delivered_at,channel\n"
           "o9,s1,k1,1,9.99,2024-03-01T00:00:00Z,US-CA,2024-03-02T00:00:00Z,"
           "2024-03-09T00:00:00Z,post\n");
    struct bl_diag d;
    bl_diag_clear(&d);
    atomic_bool stop = false;
    struct bl_app_windows_req q = {.stop = &stop};
    struct bl_app_windows_res r;
    BL_ASSERT_OK(bl_app_windows(e->st, ORG, &q, &r, &d), &d);
    assert_true(r.n >= 1);
    assert_int_equal(r.g[r.n - 1].orders, 1); /* the total */
    bl_app_windows_res_release(&r);
    atomic_store(&stop, true);
    assert_int_equal(bl_app_windows(e->st, ORG, &q, &r, &d), BL_EINTERRUPTED);
    assert_non_null(strstr(d.msg, "stopped"));
    assert_int_equal(r.n, 0);
    bl_app_windows_res_release(&r);
}

static void test_alloc_failures(void **state)
{
    struct bl_test_env *e = *state;
    for (long n = 0; n < 400; n++) {
        bl_alloc_fail_after(n);
        int rc = read_all(e);
        bl_alloc_fail_after(-1);
        (void)rc; /* an error, or OK once n passes the pass's allocations */
    }
    assert_int_equal(read_all(e), BL_OK);
}

static int setup_sqlite(void **state)
{
    return bl_test_env_setup_sqlite(state, &env_sqlite, "app_logistics_test");
}

static int setup_pg(void **state)
{
    return bl_test_env_setup_pg(state, &env_pg, "app_logistics_test");
}

#define TESTS(prefix)                                                                              \
    const struct CMUnitTest prefix[] = {                                                           \
        cmocka_unit_test_setup_teardown(test_route, fresh, bl_test_env_done),                      \
        cmocka_unit_test_setup_teardown(test_quote, fresh, bl_test_env_done),                      \
        cmocka_unit_test_setup_teardown(test_refund_once, fresh, bl_test_env_done),                \
        cmocka_unit_test_setup_teardown(test_sla_once, fresh, bl_test_env_done),                   \
        cmocka_unit_test_setup_teardown(test_windows_stop, fresh, bl_test_env_done),               \
    }

int main(void)
{
    TESTS(sqlite);
    int failed = cmocka_run_group_tests_name("sqlite", sqlite, setup_sqlite, bl_test_env_teardown);
    const struct CMUnitTest oom[] = {
        cmocka_unit_test_setup_teardown(test_alloc_failures, fresh, bl_test_env_done),
    };
    failed += cmocka_run_group_tests_name("sqlite, allocations failing", oom, setup_sqlite,
                                          bl_test_env_teardown);
    env_pg.url = bl_test_pg_url(); /* BL_PG_URL_FILE */
    if (!env_pg.url) {
        fprintf(stderr, "app_logistics_test: BL_PG_URL_FILE not set: PostgreSQL skipped\n");
        return failed;
    }
    TESTS(pg);
    failed += cmocka_run_group_tests_name("postgres", pg, setup_pg, bl_test_env_teardown);
    free(env_pg.url);
    return failed;
}
