/* app_assess_test.c - the assessment and compensation use cases (src/app/assess.h,
 * compensate.h) on a small store built here, against SQLite and PostgreSQL: what a
 * seller would check (counters, exemptions, the carry-over, the explanation of an order,
 * coupons paid or owed, the ledger), that a second compensation issues nothing, and
 * that a snapshot loaded once serves both use cases.
 *
 * PostgreSQL: each test gets a fresh schema (bl_app_assess_test_<pid>) as search_path;
 * without BL_PG_URL_FILE that group is skipped (see tests/unit/store_test.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#include "app/assess.h"
#include "app/compensate.h"
#include "ballast/import.h"
#include "ballast/store.h"

#define ASOF INT64_C(1652140800) /* 2022-05-10T00:00:00Z */
#define DAY INT64_C(86400)

static struct bl_test_env env_sqlite, env_pg;

static int64_t count(struct bl_store *s, const char *sql)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    int64_t n = -1;
    BL_ASSERT_OK(bl_store_query_int(s, sql, NULL, 0, &n, &d), &d);
    return n;
}

static void import_text(struct bl_test_env *e, const char *kind, const char *text)
{
    char name[64];
    snprintf(name, sizeof(name), "%s-%d.csv", kind, e->seq);
    char *path = bl_test_write_file(e->dir, name, text, strlen(text));
    struct bl_import_opts o = {.kind = kind, .path = path, .org_id = 1, .now = 1000};
    struct bl_import_result r;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_import(e->st, &o, &r, &d), &d);
    free(path);
}

/* The small store of tests/cli/assess.sh: ks1 has 8 orders (A1 ships from Shanghai in
 * a lockdown, A3 goes to Beijing in a destination disruption, A2 late, A4 never
 * shipped, A6 cancelled by the seller), ks2 one late order in the window and five in
 * April, az1 one Amazon order. */
static void fill(struct bl_test_env *e)
{
    import_text(e, "shops",
                "id,name,platform,profile,currency,tz,ship_from,deposit\n"
                "ks1,Kuai One,kuaishou,kuaishou,CNY,Asia/Shanghai,CN-SH,100.00\n"
                "ks2,Kuai Two,kuaishou,kuaishou,CNY,Asia/Shanghai,CN-ZJ,1.00\n"
                "az1,Amazon One,amazon,amazon,USD,America/New_York,CN-GD,500.00\n");
    import_text(e, "skus", "id,name,weight_g\nP1,Widget,1500\n");
    import_text(e, "orders",
                "order,shop,sku,qty,unit_price,placed_at,ship_by,promised_at,ship_from,ship_to,"
                "shipped_at,picked_up_at,delivered_at,cancelled_at,cancelled_by\n"
                "A1,ks1,P1,1,100.00,2022-05-01T00:00:00Z,2022-05-02T00:00:00Z,2022-05-06T00:00:00Z,"
                "CN-SH:200,CN-ZJ,2022-05-01T10:00:00Z,2022-05-01T12:00:00Z,2022-05-04T00:00:00Z,,\n"
                "A2,ks1,P1,2,50.00,2022-05-02T00:00:00Z,2022-05-03T00:00:00Z,2022-05-07T00:00:00Z,"
                "CN-JS,CN-ZJ,2022-05-04T00:00:00Z,2022-05-06T00:00:00Z,2022-05-08T00:00:00Z,,\n"
                "A3,ks1,P1,1,300.00,2022-05-03T00:00:00Z,2022-05-04T00:00:00Z,2022-05-08T00:00:00Z,"
                "CN-JS,CN-BJ,2022-05-05T00:00:00Z,2022-05-05T01:00:00Z,,,\n"
                "A4,ks1,P1,1,80.00,2022-05-04T00:00:00Z,2022-05-05T00:00:00Z,2022-05-09T00:00:00Z,"
                "CN-JS,CN-GD,,,,,\n"
                "A5,ks1,P1,1,10.00,2022-05-05T00:00:00Z,2022-05-06T00:00:00Z,2022-05-10T00:00:00Z,"
                "CN-JS,CN-GD,2022-05-05T12:00:00Z,2022-05-05T13:00:00Z,2022-05-07T00:00:00Z,,\n"
                "A6,ks1,P1,1,10.00,2022-05-05T00:00:00Z,2022-05-06T00:00:00Z,2022-05-10T00:00:00Z,"
                "CN-JS,CN-GD,,,,2022-05-05T06:00:00Z,seller\n"
                "A7,ks1,P1,1,10.00,2022-05-06T00:00:00Z,2022-05-07T00:00:00Z,2022-05-11T00:00:00Z,"
                "CN-JS,CN-GD,2022-05-06T12:00:00Z,2022-05-06T13:00:00Z,2022-05-09T00:00:00Z,,\n"
                "A8,ks1,P1,1,10.00,2022-05-06T00:00:00Z,2022-05-07T00:00:00Z,2022-05-11T00:00:00Z,"
                "CN-JS,CN-GD,2022-05-06T12:00:00Z,2022-05-06T13:00:00Z,2022-05-09T00:00:00Z,,\n"
                "B1,ks2,P1,1,20.00,2022-05-01T00:00:00Z,2022-05-02T00:00:00Z,2022-05-06T00:00:00Z,"
                "CN-ZJ,CN-GD,2022-05-03T00:00:00Z,2022-05-03T01:00:00Z,2022-05-05T00:00:00Z,,\n"
                "B2,ks2,P1,1,20.00,2022-04-04T00:00:00Z,2022-04-05T00:00:00Z,2022-04-09T00:00:00Z,"
                "CN-ZJ,CN-GD,2022-04-04T10:00:00Z,2022-04-04T11:00:00Z,2022-04-08T00:00:00Z,,\n"
                "B3,ks2,P1,1,20.00,2022-04-05T00:00:00Z,2022-04-06T00:00:00Z,2022-04-10T00:00:00Z,"
                "CN-ZJ,CN-GD,2022-04-05T10:00:00Z,2022-04-05T11:00:00Z,2022-04-09T00:00:00Z,,\n"
                "B4,ks2,P1,1,20.00,2022-04-06T00:00:00Z,2022-04-07T00:00:00Z,2022-04-11T00:00:00Z,"
                "CN-ZJ,CN-GD,2022-04-06T10:00:00Z,2022-04-06T11:00:00Z,2022-04-10T00:00:00Z,,\n"
                "B5,ks2,P1,1,20.00,2022-04-07T00:00:00Z,2022-04-08T00:00:00Z,2022-04-12T00:00:00Z,"
                "CN-ZJ,CN-GD,2022-04-07T10:00:00Z,2022-04-07T11:00:00Z,2022-04-11T00:00:00Z,,\n"
                "B6,ks2,P1,1,20.00,2022-04-08T00:00:00Z,2022-04-09T00:00:00Z,2022-04-13T00:00:00Z,"
                "CN-ZJ,CN-GD,2022-04-08T10:00:00Z,2022-04-08T11:00:00Z,2022-04-12T00:00:00Z,,\n"
                "C1,az1,P1,1,40.00,2022-05-01T00:00:00Z,2022-05-02T00:00:00Z,2022-05-06T00:00:00Z,"
                "CN-GD,US-CA,2022-05-03T00:00:00Z,2022-05-03T01:00:00Z,2022-05-05T00:00:00Z,,\n");
    import_text(e, "disruptions",
                "id,region,scope,kind,starts_at,ends_at,note\n"
                "sh-lockdown,CN-SH,origin,lockdown,2022-04-01T00:00:00Z,2022-06-01T00:00:00Z,"
                "Shanghai lockdown\n"
                "bj-dest,CN-BJ,destination,lockdown,2022-05-03T00:00:00Z,2022-05-10T00:00:00Z,"
                "deliveries to Beijing stopped\n");
}

/* Per test: a fresh SQLite file or PostgreSQL schema, migrated and filled. */
static int fresh(void **state)
{
    bl_test_env_fresh(state);
    struct bl_test_env *e = *state;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_store_migrate(e->st, &d), &d);
    fill(e);
    return 0;
}

static const struct bl_app_assess_shop *row(const struct bl_app_assess_res *r, const char *shop)
{
    for (size_t k = 0; k < r->n; k++)
        if (strcmp(r->shops[k].shop, shop) == 0)
            return &r->shops[k];
    fail_msg("no row for shop %s", shop);
    return NULL;
}

static void test_assess(void **state)
{
    struct bl_test_env *e = *state;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_assess_req q = {ASOF, "kuaishou", 30, NULL, false, false, 7, 1000, NULL};
    struct bl_app_assess_res r;
    BL_ASSERT_OK(bl_app_assess(e->st, 1, &q, &r, &d), &d);
    assert_int_equal(r.n, 2); /* only the kuaishou shops */
    assert_int_equal(r.stored, 2);
    const struct bl_app_assess_shop *k1 = row(&r, "ks1");
    assert_int_equal(k1->k.due, 7);    /* A6 cancelled */
    assert_int_equal(k1->k.exempt, 2); /* A1 from Shanghai, A3 to Beijing */
    assert_int_equal(k1->k.counted, 5);
    assert_int_equal(k1->k.late, 2);
    assert_int_equal(k1->k.seller_cancels, 1);
    /* A1 is exempt but shipped on time: kept, it cannot lower the rate (4 of 6). */
    assert_int_equal(k1->k.kept_on_time, 1);
    assert_true(fabs(k1->rates.on_time - 4.0 / 6.0) < 1e-12);
    assert_false(k1->carried);
    assert_string_equal(k1->profile, "kuaishou");
    /* ks2: one counted order, below the minimum: carried from 2022-05-05. */
    const struct bl_app_assess_shop *k2 = row(&r, "ks2");
    assert_int_equal(k2->k.counted, 1);
    assert_true(k2->carried);
    assert_int_equal(k2->carried_from, ASOF - 5 * DAY);
    assert_true(fabs(k2->rates.on_time - 0.8) < 1e-12);
    bl_app_assess_res_release(&r);
    assert_int_equal(count(e->st, "SELECT COUNT(*) FROM assessment WHERE cycle_id = 7"), 2);
    assert_int_equal(count(e->st, "SELECT COUNT(*) FROM assessment WHERE computed_at = 1000"), 2);
    /* The same again replaces; a dry run stores nothing. */
    q.dry_run = true;
    q.cycle_id = 0;
    BL_ASSERT_OK(bl_app_assess(e->st, 1, &q, &r, &d), &d);
    assert_int_equal(r.stored, 0);
    bl_app_assess_res_release(&r);
    assert_int_equal(count(e->st, "SELECT COUNT(*) FROM assessment"), 2);
    /* No profile: every shop under its own. */
    struct bl_app_assess_req all = {ASOF, NULL, 0, NULL, false, true, 0, 0, NULL};
    BL_ASSERT_OK(bl_app_assess(e->st, 1, &all, &r, &d), &d);
    assert_int_equal(r.n, 3);
    assert_string_equal(row(&r, "az1")->profile, "amazon");
    assert_int_equal(row(&r, "az1")->k.counted, 1); /* Amazon exempts nothing by itself */
    assert_string_equal(row(&r, "ks1")->profile, "kuaishou");
    bl_app_assess_res_release(&r);
}

static void test_assess_problems(void **state)
{
    struct bl_test_env *e = *state;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_assess_req q = {ASOF, "kuaishou", 0, "zz", false, false, 0, 0, NULL};
    struct bl_app_assess_res r;
    assert_int_equal(bl_app_assess(e->st, 1, &q, &r, &d), BL_ENOTFOUND);
    assert_int_equal(r.problem, BL_APP_ASSESS_UNKNOWN_SHOP);
    bl_app_assess_res_release(&r);
    q.shop = NULL;
    q.profile = "temu";
    assert_int_equal(bl_app_assess(e->st, 1, &q, &r, &d), BL_ENOTFOUND);
    assert_int_equal(r.problem, BL_APP_ASSESS_NO_SHOP_FOR_PROFILE);
    bl_app_assess_res_release(&r);
    q.profile = "nope";
    assert_int_equal(bl_app_assess(e->st, 1, &q, &r, &d), BL_ENOTFOUND);
    assert_int_equal(r.problem, BL_APP_ASSESS_OK);
    assert_non_null(strstr(d.msg, "profiles in"));
    bl_app_assess_res_release(&r);
    assert_int_equal(count(e->st, "SELECT COUNT(*) FROM assessment"), 0);
}

static void test_explain(void **state)
{
    struct bl_test_env *e = *state;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_explain_req q = {ASOF, "kuaishou", 30, "A1", NULL, NULL};
    struct bl_app_explain_res r;
    BL_ASSERT_OK(bl_app_assess_explain(e->st, 1, &q, &r, &d), &d);
    assert_int_equal(r.v.why, BL_WHY_DISRUPTION_ORIGIN);
    assert_true(r.v.exempt);
    assert_true(r.shipment.found);
    assert_int_equal(r.shipment.id, 1);
    assert_string_equal(r.shipment.kind, "lockdown");
    assert_string_equal(r.shipment.region, "CN-SH");
    assert_string_equal(r.shipment.note, "Shanghai lockdown");
    assert_string_equal(r.shop, "ks1");
    assert_string_equal(r.ship_from, "CN-SH:200");
    bl_app_explain_res_release(&r);
    q.order = "A4";
    q.profile = NULL; /* the shop's own */
    q.window = 0;
    BL_ASSERT_OK(bl_app_assess_explain(e->st, 1, &q, &r, &d), &d);
    assert_int_equal(r.v.why, BL_WHY_COUNTED);
    assert_true(r.v.counted && r.v.late && !r.v.shipped);
    assert_string_equal(r.profile, "kuaishou");
    bl_app_explain_res_release(&r);
    q.order = "ZZ";
    assert_int_equal(bl_app_assess_explain(e->st, 1, &q, &r, &d), BL_ENOTFOUND);
    assert_int_equal(r.problem, BL_APP_ASSESS_NO_SUCH_ORDER);
    bl_app_explain_res_release(&r);
}

/* Each rule of a shop as a person reads it, and the orders that count against each. */
static void test_rules_and_orders(void **state)
{
    struct bl_test_env *e = *state;
    struct bl_diag d;
    bl_diag_clear(&d);
    /* A shop whose profile does not exist: left unrated, not an error, with no profile. */
    import_text(e, "shops",
                "id,name,platform,profile,currency,tz,ship_from\n"
                "sh1,Shein One,shein,shein,USD,UTC,CN-GD\n");
    struct bl_app_assess_req q = {ASOF, NULL, 0, NULL, false, true, 0, 0, NULL};
    struct bl_app_assess_res r;
    BL_ASSERT_OK(bl_app_assess(e->st, 1, &q, &r, &d), &d);
    assert_int_equal(r.n, 3);
    const struct bl_app_assess_shop *k1 = row(&r, "ks1");
    assert_true(k1->rules_known);
    assert_int_equal(k1->prof->nrules, 4);
    assert_int_equal(k1->prof->rules[0].metric, BL_M_ON_TIME);
    const struct bl_rule_result *ot = &k1->rules[0];
    assert_int_equal(ot->num, 4); /* 3 on time + A1, exempt but on time */
    assert_int_equal(ot->den, 6);
    assert_int_equal(ot->due, 7);
    assert_int_equal(ot->exempt, 2);
    assert_int_equal(ot->kept, 1);
    assert_int_equal(ot->counted, 5);
    assert_int_equal(ot->status, BL_RULE_BREACH); /* 66.7% < 90% */
    assert_true(k1->failing & 1u);
    assert_int_equal(k1->rules[3].num, 1); /* A6, cancelled by the seller, of 8 placed */
    assert_int_equal(k1->rules[3].den, 8);
    bl_app_assess_res_release(&r);

    struct bl_app_assess_orders_req oq = {ASOF, NULL, 0, "ks1", 1, NULL, false};
    struct bl_app_assess_orders_res o;
    BL_ASSERT_OK(bl_app_assess_orders(e->st, 1, &oq, &o, &d), &d);
    assert_string_equal(o.profile, "kuaishou");
    assert_int_equal(o.nrules, 4);
    /* on time: A4 (never shipped) and A2 (late), the latest promise first; A3, exempt
     * and late, never counts against a rule */
    assert_int_equal(o.rules[0].total, 2);
    assert_int_equal(o.rules[0].n, 1);
    assert_string_equal(o.rules[0].v[0].order, "A4");
    assert_int_equal(o.rules[0].v[0].why, BL_APP_FAIL_NOT_SHIPPED);
    assert_true(o.rules[0].v[0].at == BL_NO_TIME);
    assert_int_equal(o.rules[1].total, 1); /* pickup: A2 scanned 48 h after shipping */
    assert_string_equal(o.rules[1].v[0].order, "A2");
    assert_int_equal(o.rules[1].v[0].why, BL_APP_FAIL_PICKUP_LATE);
    assert_int_equal(o.rules[3].total, 1);
    assert_string_equal(o.rules[3].v[0].order, "A6");
    assert_int_equal(o.rules[3].v[0].why, BL_APP_FAIL_SELLER_CANCEL);
    bl_app_assess_orders_release(&o);
    oq.limit = 10;
    BL_ASSERT_OK(bl_app_assess_orders(e->st, 1, &oq, &o, &d), &d);
    assert_int_equal(o.rules[0].n, 2);
    assert_string_equal(o.rules[0].v[1].order, "A2");
    assert_int_equal(o.rules[0].v[1].why, BL_APP_FAIL_SHIPPED_LATE);
    bl_app_assess_orders_release(&o);
    oq.shop = "zz";
    assert_int_equal(bl_app_assess_orders(e->st, 1, &oq, &o, &d), BL_ENOTFOUND);
    assert_int_equal(o.problem, BL_APP_ASSESS_UNKNOWN_SHOP);
    bl_app_assess_orders_release(&o);
    oq.shop = "sh1"; /* its profile does not exist */
    assert_int_equal(bl_app_assess_orders(e->st, 1, &oq, &o, &d), BL_ENOTFOUND);
    bl_app_assess_orders_release(&o);
}

static const struct bl_app_coupon *coupon(const struct bl_app_compensate_res *r, const char *o)
{
    for (size_t k = 0; k < r->n; k++)
        if (strcmp(r->coupons[k].order, o) == 0)
            return &r->coupons[k];
    fail_msg("no coupon for order %s", o);
    return NULL;
}

static void test_compensate_twice(void **state)
{
    struct bl_test_env *e = *state;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_compensate_req q = {ASOF, "kuaishou", NULL, false, false, 3, 2000, NULL};
    struct bl_app_compensate_res r;
    BL_ASSERT_OK(bl_app_compensate(e->st, 1, &q, &r, &d), &d);
    assert_int_equal(r.n, 3);
    assert_int_equal(r.already, 0);
    assert_int_equal(coupon(&r, "A2")->amount, 500); /* 5% of 100.00 */
    assert_int_equal(coupon(&r, "A2")->state, BL_COUPON_PAID);
    assert_int_equal(coupon(&r, "A2")->reason, BL_APP_COUPON_LATE_SHIPPED);
    assert_int_equal(coupon(&r, "A4")->amount, 400);
    assert_int_equal(coupon(&r, "A4")->reason, BL_APP_COUPON_NOT_SHIPPED);
    assert_int_equal(coupon(&r, "A4")->balance_after, 9100);
    assert_int_equal(coupon(&r, "B1")->amount, 300); /* the 3.00 minimum */
    assert_int_equal(coupon(&r, "B1")->state, BL_COUPON_OWED_SHORT);
    assert_int_equal(r.ledger_added, 2);
    assert_int_equal(r.alerts_added, 1);
    bl_app_compensate_res_release(&r);
    assert_int_equal(count(e->st, "SELECT COUNT(*) FROM coupon WHERE cycle_id = 3"), 3);
    assert_int_equal(count(e->st, "SELECT COUNT(*) FROM ledger WHERE at = 2000"), 2);
    assert_int_equal(count(e->st, "SELECT COUNT(*) FROM alert WHERE kind = 'deposit_short'"), 1);
    /* Again, and at a later as-of: nothing new, three already issued. */
    BL_ASSERT_OK(bl_app_compensate(e->st, 1, &q, &r, &d), &d);
    assert_int_equal(r.n, 0);
    assert_int_equal(r.already, 3);
    assert_int_equal(r.ledger_added + r.alerts_added, 0);
    bl_app_compensate_res_release(&r);
    q.as_of = ASOF + 10 * DAY;
    BL_ASSERT_OK(bl_app_compensate(e->st, 1, &q, &r, &d), &d);
    assert_int_equal(r.n, 0);
    bl_app_compensate_res_release(&r);
    assert_int_equal(count(e->st, "SELECT COUNT(*) FROM coupon"), 3);
    assert_int_equal(count(e->st, "SELECT COUNT(*) FROM ledger"), 2);
    assert_int_equal(count(e->st, "SELECT COUNT(*) FROM alert"), 1);
    /* Ids from the allocator: dense from 1. */
    assert_int_equal(count(e->st, "SELECT MAX(id) FROM coupon"), 3);
    /* The lists: three coupons, the stored sentence; ks1's ledger ends at 91.00. */
    struct bl_app_coupons_req cq = {NULL};
    struct bl_app_coupons_res cr;
    BL_ASSERT_OK(bl_app_coupons(e->st, 1, &cq, &cr, &d), &d);
    assert_int_equal(cr.n, 3);
    assert_string_equal(cr.coupons[0].reason,
                        "late shipment: promised by 2022-05-03T00:00:00Z, shipped "
                        "2022-05-04T00:00:00Z; 5.00% of 100.00 CNY (kuaishou)");
    bl_app_coupons_res_release(&cr);
    struct bl_app_ledger_req lq = {.shop = "ks1"};
    struct bl_app_ledger_res lr;
    BL_ASSERT_OK(bl_app_ledger(e->st, 1, &lq, &lr, &d), &d);
    assert_int_equal(lr.n, 2);
    assert_int_equal(lr.deposit, 10000);
    assert_int_equal(lr.balance, 9100);
    assert_string_equal(lr.entries[0].kind, "coupon");
    assert_string_equal(lr.entries[0].ref, "A2");
    bl_app_ledger_res_release(&lr);
    lq.shop = "zz";
    assert_int_equal(bl_app_ledger(e->st, 1, &lq, &lr, &d), BL_ENOTFOUND);
    assert_int_equal(lr.problem, BL_APP_ASSESS_UNKNOWN_SHOP);
    bl_app_ledger_res_release(&lr);
}

/* A daily cycle loads the orders once and passes them to both use cases. */
static void test_shared_snapshot(void **state)
{
    struct bl_test_env *e = *state;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_snapshot snap;
    BL_ASSERT_OK(bl_app_assess_load(e->st, 1, ASOF, NULL, 0, &snap, &d), &d);
    struct bl_app_assess_req q = {ASOF, NULL, 0, NULL, false, false, 0, 0, &snap};
    struct bl_app_assess_res r;
    BL_ASSERT_OK(bl_app_assess(e->st, 1, &q, &r, &d), &d);
    assert_int_equal(r.n, 3);
    assert_int_equal(row(&r, "ks1")->k.counted, 5);
    assert_true(row(&r, "ks2")->carried);
    bl_app_assess_res_release(&r);
    struct bl_app_compensate_req c = {ASOF, NULL, NULL, false, false, 0, 0, &snap};
    struct bl_app_compensate_res cr;
    BL_ASSERT_OK(bl_app_compensate(e->st, 1, &c, &cr, &d), &d);
    assert_int_equal(cr.n, 3); /* Amazon's profile pays no coupon for az1's C1 */
    bl_app_compensate_res_release(&cr);
    BL_ASSERT_OK(bl_app_compensate(e->st, 1, &c, &cr, &d), &d);
    assert_int_equal(cr.n, 0);
    bl_app_compensate_res_release(&cr);
    assert_int_equal(snap.orders.n, 15); /* left as it was */
    bl_snapshot_free(&snap);
}

static int setup_sqlite(void **state)
{
    return bl_test_env_setup_sqlite(state, &env_sqlite, "app_assess_test");
}

static int setup_pg(void **state)
{
    return bl_test_env_setup_pg(state, &env_pg, "app_assess_test");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_assess, fresh, bl_test_env_done),
        cmocka_unit_test_setup_teardown(test_assess_problems, fresh, bl_test_env_done),
        cmocka_unit_test_setup_teardown(test_explain, fresh, bl_test_env_done),
        cmocka_unit_test_setup_teardown(test_rules_and_orders, fresh, bl_test_env_done),
        cmocka_unit_test_setup_teardown(test_compensate_twice, fresh, bl_test_env_done),
        cmocka_unit_test_setup_teardown(test_shared_snapshot, fresh, bl_test_env_done),
    };
    int failed =
        cmocka_run_group_tests_name("app_assess/sqlite", tests, setup_sqlite, bl_test_env_teardown);
    if (!getenv("BL_PG_URL_FILE")) {
        fprintf(stderr, "app_assess_test: BL_PG_URL_FILE is not set; skipping PostgreSQL\n");
        return failed;
    }
    env_pg.url = bl_test_pg_url();
    if (!env_pg.url) {
        fprintf(stderr, "app_assess_test: cannot read the PostgreSQL URL\n");
        return failed + 1;
    }
    failed +=
        cmocka_run_group_tests_name("app_assess/postgres", tests, setup_pg, bl_test_env_teardown);
    free(env_pg.url);
    return failed;
}
