/* app_data_test.c - the use cases of the store and its data (src/app/data.h, orders.h,
 * disruption.h) called directly, on SQLite and on PostgreSQL: init, import (twice),
 * stats, orders list and show, disruptions declared, edited, lifted and listed,
 * protection windows.
 *
 * Every test gets a fresh SQLite file, or a freshly created PostgreSQL schema of its own
 * (bl_app_data_test_<pid>, set as search_path). Under ctest the "pg" fixture starts the
 * server and BL_PG_URL_FILE names the file with its URL; without it the PostgreSQL group
 * is skipped with a message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "app/data.h"
#include "app/disruption.h"
#include "app/orders.h"
#include "ballast/store.h"

static struct bl_test_env env_sqlite;
static struct bl_test_env env_pg;

static const int64_t NOW = 1700000000; /* 2023-11-14T22:13:20Z */

static int setup_sqlite(void **state)
{
    return bl_test_env_setup_sqlite(state, &env_sqlite, "app_data_test");
}

static int setup_pg(void **state)
{
    return bl_test_env_setup_pg(state, &env_pg, "app_data_test");
}

/* ---- helpers ----------------------------------------------------------------------- */

static const char shops_csv[] = "id,name,platform,currency,tz,ship_from\n"
                                "s1,Shenzhen Gadgets,amazon,USD,Asia/Shanghai,CN-GD\n"
                                "s2,Loja SP,olist,BRL,America/Sao_Paulo,BR-SP:013\n";
static const char skus_csv[] = "id,name,weight_g,price,currency\n"
                               "k1,USB cable,50,3.99,USD\n"
                               "k2,Lamp,900,19.50,USD\n";
static const char orders_csv[] =
    "order,shop,sku,qty,unit_price,placed_at,ship_by,ship_to,shipped_at,cancelled_at,"
    "cancelled_by\n"
    "o1,s1,k1,2,3.99,2024-03-01T10:00:00Z,2024-03-03T10:00:00Z,US-CA,2024-03-02T09:00:00Z,,\n"
    "o1,s1,k2,1,19.50,2024-03-01T10:00:00Z,2024-03-03T10:00:00Z,US-CA,2024-03-02T09:00:00Z,,\n"
    "o2,s1,k1,1,3.99,2024-03-01T20:00:00Z,,GB,,2024-03-01T21:00:00Z,buyer\n"
    "o1,s2,k1,1,25,2024-03-02T01:00:00+08:00,,BR-RJ,,,\n";
static const char disruptions_csv[] = "id,region,scope,kind,starts_at,ends_at\n"
                                      "imp1,CN-GD,origin,holiday,2018-02-15T00:00:00+08:00,"
                                      "2018-02-22T00:00:00+08:00\n";

static void init_ok(struct bl_test_env *e, const char *org, struct bl_app_init_res *res)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_init_req req = {org};
    BL_ASSERT_OK(bl_app_init(e->st, &req, res, &d), &d);
}

static void import_ok(struct bl_test_env *e, int64_t org, const char *kind, const char *text,
                      struct bl_app_import_res *res)
{
    char name[64];
    snprintf(name, sizeof(name), "%s.csv", kind);
    char *path = bl_test_write_file(e->dir, name, text, strlen(text));
    struct bl_app_import_req req = {.kind = kind, .path = path, .now = NOW};
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_app_import(e->st, org, &req, res, &d), &d);
    free(path);
}

static int64_t rows(struct bl_test_env *e, int64_t org, const char *table)
{
    struct bl_app_stats_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_app_stats(e->st, org, &res, &d), &d);
    for (size_t i = 0; i < res.n; i++)
        if (strcmp(res.t[i].table, table) == 0)
            return res.t[i].rows;
    fail_msg("stats has no table %s", table);
    return -1;
}

/* A store initialised with shops, SKUs and orders in the default organisation (1). */
static void with_orders(struct bl_test_env *e)
{
    struct bl_app_init_res ir;
    init_ok(e, NULL, &ir);
    struct bl_app_import_res r;
    import_ok(e, 1, "shops", shops_csv, &r);
    import_ok(e, 1, "skus", skus_csv, &r);
    import_ok(e, 1, "orders", orders_csv, &r);
}

/* ---- init ---------------------------------------------------------------------------- */

static void test_init_twice(void **state)
{
    struct bl_test_env *e = *state;
    struct bl_app_init_res r;
    init_ok(e, NULL, &r);
    assert_int_equal(r.version_before, 0);
    assert_int_equal(r.version_after, bl_store_latest_version());
    assert_int_equal(r.org_id, 1);
    assert_false(r.org_created);
    init_ok(e, "default", &r);
    assert_int_equal(r.version_before, r.version_after);
    assert_false(r.org_created);

    init_ok(e, "acme", &r);
    assert_true(r.org_created);
    int64_t acme = r.org_id;
    assert_true(acme > 1);
    init_ok(e, "acme", &r);
    assert_false(r.org_created);
    assert_int_equal(r.org_id, acme);

    struct bl_diag d;
    bl_diag_clear(&d);
    int64_t id = 0;
    BL_ASSERT_OK(bl_app_org_find(e->st, "acme", &id, &d), &d);
    assert_int_equal(id, acme);
    assert_int_equal(bl_app_org_find(e->st, "nope", &id, &d), BL_ENOTFOUND);
    assert_non_null(strstr(d.msg, "nope"));
}

/* ---- import and stats ---------------------------------------------------------------- */

static void test_import_twice(void **state)
{
    struct bl_test_env *e = *state;
    struct bl_app_init_res ir;
    init_ok(e, NULL, &ir);
    struct bl_app_import_res r;
    import_ok(e, 1, "shops", shops_csv, &r);
    assert_int_equal(r.rows, 2);
    assert_false(r.already);
    assert_false(r.orders);
    import_ok(e, 1, "skus", skus_csv, &r);
    import_ok(e, 1, "orders", orders_csv, &r);
    assert_int_equal(r.rows, 4);
    assert_int_equal(r.records, 3);
    assert_true(r.orders);
    assert_false(r.already);
    int64_t batch = r.batch_id;
    assert_true(batch > 0);
    assert_int_equal(rows(e, 1, "orders"), 3);
    assert_int_equal(rows(e, 1, "order_line"), 4);
    assert_int_equal(rows(e, 1, "import_batch"), 3);

    import_ok(e, 1, "orders", orders_csv, &r); /* the same bytes again: nothing */
    assert_true(r.already);
    assert_int_equal(r.batch_id, batch);
    assert_int_equal(rows(e, 1, "orders"), 3);
    assert_int_equal(rows(e, 1, "order_line"), 4);
    assert_int_equal(rows(e, 1, "import_batch"), 3);

    struct bl_app_import_req bad = {.kind = "parcels", .path = "/nonexistent", .now = NOW};
    struct bl_diag d;
    bl_diag_clear(&d);
    assert_int_equal(bl_app_import(e->st, 1, &bad, &r, &d), BL_EINVAL);

    /* another organisation sees none of it */
    init_ok(e, "acme", &ir);
    assert_int_equal(rows(e, ir.org_id, "orders"), 0);
    assert_int_equal(rows(e, ir.org_id, "shop"), 0);
}

/* ---- identity by content, natural keys, --replace (issue 15 item 10) ---------------- */

static int import_as(struct bl_test_env *e, const char *kind, const char *name, const char *text,
                     const char *tz, int64_t replace, struct bl_app_import_res *res,
                     struct bl_diag *d)
{
    char *path = bl_test_write_file(e->dir, name, text, strlen(text));
    struct bl_app_import_req req = {
        .kind = kind, .path = path, .now = NOW, .tz = tz, .replace = replace};
    bl_diag_clear(d);
    int rc = bl_app_import(e->st, 1, &req, res, d);
    free(path);
    return rc;
}

static const char dis_csv[] = "region,scope,kind,starts_at,ends_at,note\n"
                              "BR,both,strike,2018-05-21T00:00:00Z,2018-06-01T00:00:00Z,a\n"
                              "CN-ZJ,origin,lockdown,2024-11-14T00:00:00Z,,\n";

static void test_import_identity(void **state)
{
    struct bl_test_env *e = *state;
    with_orders(e);
    struct bl_app_import_res r;
    struct bl_diag d;
    BL_ASSERT_OK(import_as(e, "disruptions", "d.csv", dis_csv, NULL, 0, &r, &d), &d);
    int64_t batch = r.batch_id;
    /* CRLF, a trailing blank line, the columns reversed: the same records */
    static const char crlf[] = "region,scope,kind,starts_at,ends_at,note\r\n"
                               "BR,both,strike,2018-05-21T00:00:00Z,2018-06-01T00:00:00Z,a\r\n"
                               "CN-ZJ,origin,lockdown,2024-11-14T00:00:00Z,,\r\n\r\n";
    BL_ASSERT_OK(import_as(e, "disruptions", "d2.csv", crlf, NULL, 0, &r, &d), &d);
    assert_true(r.already);
    assert_int_equal(r.batch_id, batch);
    assert_int_equal(r.batch_at, NOW);
    static const char cols[] = "note,ends_at,starts_at,kind,scope,region\n"
                               "a,2018-06-01T00:00:00Z,2018-05-21T00:00:00Z,strike,both,BR\n"
                               ",,2024-11-14T00:00:00Z,lockdown,origin,CN-ZJ\n";
    BL_ASSERT_OK(import_as(e, "disruptions", "d3.csv", cols, NULL, 0, &r, &d), &d);
    assert_true(r.already);
    /* rows in another order: other records, each known by its key */
    static const char rows2[] = "region,scope,kind,starts_at,ends_at,note\n"
                                "CN-ZJ,origin,lockdown,2024-11-14T00:00:00Z,,\n"
                                "BR,both,strike,2018-05-21T00:00:00Z,2018-06-01T00:00:00Z,b\n";
    BL_ASSERT_OK(import_as(e, "disruptions", "d4.csv", rows2, NULL, 0, &r, &d), &d);
    assert_false(r.already);
    assert_int_equal(r.changed, 1); /* the strike's note */
    assert_int_equal(r.kept, 1);
    assert_int_equal(rows(e, 1, "disruption"), 2);

    /* --replace: another kind's batch is refused; this one's records are compared */
    assert_int_equal(import_as(e, "protections", "p.csv", "shop,starts_at,ends_at,reason\n", NULL,
                               batch, &r, &d),
                     BL_EINVAL);
    static const char one[] = "region,scope,kind,starts_at,ends_at,note\n"
                              "CN-ZJ,origin,lockdown,2024-11-14T00:00:00Z,,\n"
                              "JP,origin,weather,2024-11-21T00:00:00Z,,\n";
    BL_ASSERT_OK(import_as(e, "disruptions", "d5.csv", one, NULL, batch, &r, &d), &d);
    assert_true(r.replaced);
    assert_int_equal(r.batch_id, batch);
    assert_int_equal(r.added, 1);
    assert_int_equal(r.removed, 1);
    assert_int_equal(r.kept, 1);
    assert_int_equal(rows(e, 1, "disruption"), 2);
}

static void test_import_tz_replace(void **state)
{
    struct bl_test_env *e = *state;
    with_orders(e);
    static const char local[] = "order,shop,sku,qty,unit_price,placed_at\n"
                                "o9,s1,k1,1,3.99,2024-03-05 10:00:00\n";
    struct bl_app_import_res r;
    struct bl_diag d;
    BL_ASSERT_OK(import_as(e, "orders", "o.csv", local, "UTC", 0, &r, &d), &d);
    int64_t batch = r.batch_id;
    /* the same records read in another zone: refused, saying how to correct the batch */
    assert_int_equal(import_as(e, "orders", "o.csv", local, "Asia/Shanghai", 0, &r, &d),
                     BL_EEXISTS);
    char want[64];
    snprintf(want, sizeof(want), "--tz Asia/Shanghai --replace %lld", (long long)batch);
    assert_non_null(strstr(d.msg, want));
    assert_int_equal(rows(e, 1, "orders"), 4);
    BL_ASSERT_OK(import_as(e, "orders", "o.csv", local, "Asia/Shanghai", batch, &r, &d), &d);
    assert_true(r.replaced);
    assert_int_equal(r.changed, 1);
    assert_int_equal(rows(e, 1, "orders"), 4);
    struct bl_app_orders_show_req sq = {.ext_id = "o9", .shop = "s1"};
    struct bl_app_orders_show_res sr;
    BL_ASSERT_OK(bl_app_orders_show(e->st, 1, &sq, &sr, &d), &d);
    assert_int_equal(sr.n, 1);
    assert_int_equal(sr.orders[0].order.placed_at, 1709604000); /* 2024-03-05T02:00:00Z */
    bl_app_orders_show_res_release(&sr);
    /* and read with that zone again, it is the batch */
    BL_ASSERT_OK(import_as(e, "orders", "o.csv", local, "Asia/Shanghai", 0, &r, &d), &d);
    assert_true(r.already);
    assert_int_equal(r.batch_id, batch);
}

/* ---- orders -------------------------------------------------------------------------- */

static size_t list_n(struct bl_test_env *e, const struct bl_app_orders_list_req *req)
{
    struct bl_app_orders_list_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_app_orders_list(e->st, 1, req, &res, &d), &d);
    size_t n = res.n;
    bl_app_orders_list_res_release(&res);
    return n;
}

static void test_orders_list(void **state)
{
    struct bl_test_env *e = *state;
    with_orders(e);
    struct bl_app_orders_list_req all = {NULL, NULL, false, false, 0, 0, -1, false, 0, 0};
    struct bl_app_orders_list_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_app_orders_list(e->st, 1, &all, &res, &d), &d);
    assert_int_equal(res.n, 3);
    const struct bl_order_row *o = &res.orders[0]; /* o1 of s1, placed first */
    assert_string_equal(o->shop, "s1");
    assert_string_equal(o->ext_id, "o1");
    assert_string_equal(o->status, "shipped");
    assert_int_equal(o->lines, 2);
    assert_int_equal(o->amount, 2 * 399 + 1950);
    assert_string_equal(o->currency, "USD");
    assert_true(o->delivered_at == BL_NO_TIME);
    assert_true(o->shipped_at != BL_NO_TIME);
    assert_string_equal(res.orders[1].shop, "s2"); /* 2024-03-01T17:00:00Z */
    assert_string_equal(res.orders[1].status, "open");
    assert_null(res.orders[1].cancelled_by);
    assert_string_equal(res.orders[2].status, "cancelled");
    assert_string_equal(res.orders[2].cancelled_by, "buyer");
    bl_app_orders_list_res_release(&res);

    struct bl_app_orders_list_req f = all;
    f.shop = "s1";
    assert_int_equal(list_n(e, &f), 2);
    f = all;
    f.status = "cancelled";
    assert_int_equal(list_n(e, &f), 1);
    f = all;
    f.has_from = true;
    f.from = 1709287200; /* 2024-03-01T10:00:00Z: inclusive */
    f.has_to = true;
    f.to = 1709312400; /* 2024-03-01T17:00:00Z: exclusive */
    assert_int_equal(list_n(e, &f), 1);
    f.to = 1709316000; /* 2024-03-01T18:00:00Z */
    assert_int_equal(list_n(e, &f), 2);
    f = all;
    f.limit = 2;
    assert_int_equal(list_n(e, &f), 2);
    f = all;
    f.status = "lost";
    assert_int_equal(bl_app_orders_list(e->st, 1, &f, &res, &d), BL_EINVAL);
    bl_app_orders_list_res_release(&res);
}

static void test_orders_show(void **state)
{
    struct bl_test_env *e = *state;
    with_orders(e);
    struct bl_app_orders_show_req req = {"o1", NULL};
    struct bl_app_orders_show_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_app_orders_show(e->st, 1, &req, &res, &d), &d);
    assert_int_equal(res.n, 2); /* o1 in two shops */
    assert_string_equal(res.orders[0].order.shop, "s1");
    assert_int_equal(res.orders[0].nlines, 2);
    assert_string_equal(res.orders[0].lines[1].sku, "k2");
    assert_int_equal(res.orders[0].lines[1].price, 1950);
    assert_int_equal(res.orders[1].nlines, 1);
    assert_string_equal(res.orders[1].order.currency, "BRL");
    bl_app_orders_show_res_release(&res);

    req.shop = "s2";
    BL_ASSERT_OK(bl_app_orders_show(e->st, 1, &req, &res, &d), &d);
    assert_int_equal(res.n, 1);
    assert_string_equal(res.orders[0].order.ship_to, "BR-RJ");
    bl_app_orders_show_res_release(&res);

    req.ext_id = "o9";
    assert_int_equal(bl_app_orders_show(e->st, 1, &req, &res, &d), BL_ENOTFOUND);
    bl_app_orders_show_res_release(&res);
}

/* ---- disruptions --------------------------------------------------------------------- */

static struct bl_app_disruption_list_res list_dis(struct bl_test_env *e, int64_t org, int64_t at,
                                                  const char *region)
{
    struct bl_app_disruption_list_req req = {at, region};
    struct bl_app_disruption_list_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_app_disruption_list(e->st, org, &req, &res, &d), &d);
    return res;
}

static int64_t declare_ok(struct bl_test_env *e, const struct bl_app_disruption_declare_req *req)
{
    struct bl_app_disruption_declare_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_app_disruption_declare(e->st, 1, req, &res, &d), &d);
    assert_int_equal(res.reason, BL_APP_DIS_OK);
    return res.id;
}

static void test_disruption_declare(void **state)
{
    struct bl_test_env *e = *state;
    struct bl_app_init_res ir;
    init_ok(e, NULL, &ir);
    struct bl_app_import_res r;
    import_ok(e, 1, "disruptions", disruptions_csv, &r);

    struct bl_app_disruption_declare_req req = {
        "truckers", "br-sp", BL_DIS_BOTH, BL_DIS_STRIKE,
        NULL,       NULL,    "greve",     1526871600, /* 2018-05-21T03:00:00Z */
        1527692400,                                   /* 2018-05-30T15:00:00Z */
        NULL,       0,
    };
    assert_int_equal(declare_ok(e, &req), 2); /* after the imported one */

    struct bl_app_disruption_declare_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    assert_int_equal(bl_app_disruption_declare(e->st, 1, &req, &res, &d), BL_EEXISTS);
    assert_int_equal(res.reason, BL_APP_DIS_EXT_TAKEN);
    assert_int_equal(res.other_id, 2);
    req.ext_id = NULL;
    req.channel = "ch9";
    assert_int_equal(bl_app_disruption_declare(e->st, 1, &req, &res, &d), BL_ENOTFOUND);
    assert_int_equal(res.reason, BL_APP_DIS_UNKNOWN_CHANNEL);
    req.channel = NULL;
    req.supplier = "sup9";
    assert_int_equal(bl_app_disruption_declare(e->st, 1, &req, &res, &d), BL_ENOTFOUND);
    assert_int_equal(res.reason, BL_APP_DIS_UNKNOWN_SUPPLIER);
    req.supplier = NULL;
    req.to = req.from;
    assert_int_equal(bl_app_disruption_declare(e->st, 1, &req, &res, &d), BL_ERANGE);
    assert_int_equal(res.reason, BL_APP_DIS_BAD_WINDOW);
    req.to = req.from + 3600;
    req.region = "XX-";
    assert_int_not_equal(bl_app_disruption_declare(e->st, 1, &req, &res, &d), BL_OK);
    assert_int_equal(res.reason, BL_APP_DIS_BAD_REGION);
    assert_int_equal(rows(e, 1, "disruption"), 2); /* refusals stored nothing */

    req.region = "CN";
    req.scope = BL_DIS_ORIGIN;
    req.kind = BL_DIS_LOCKDOWN;
    req.note = "";
    assert_int_equal(declare_ok(e, &req), 3); /* the refusals took no id */

    struct bl_app_disruption_list_res l = list_dis(e, 1, BL_NO_TIME, NULL);
    assert_int_equal(l.n, 3);
    assert_int_equal(l.items[0].r.batch_id, r.batch_id);
    assert_string_equal(l.items[1].r.region, "BR-SP");
    assert_string_equal(l.items[1].r.ext_id, "truckers");
    assert_string_equal(l.items[1].r.note, "greve");
    assert_int_equal(l.items[1].r.batch_id, 0);
    assert_int_equal(l.items[1].r.scope, BL_DIS_BOTH);
    assert_int_equal(l.items[1].r.kind, BL_DIS_STRIKE);
    assert_true(l.items[1].r.lifted_at == BL_NO_TIME);
    assert_int_equal(l.items[1].effective_end, 1527692400);
    assert_null(l.items[2].r.note);
    bl_app_disruption_list_res_release(&l);

    l = list_dis(e, 1, BL_NO_TIME, "BR-SP:01310"); /* a postal area inside BR-SP */
    assert_int_equal(l.n, 1);
    assert_int_equal(l.items[0].r.id, 2);
    bl_app_disruption_list_res_release(&l);
    l = list_dis(e, 1, BL_NO_TIME, "CN-SH"); /* inside CN, not CN-GD */
    assert_int_equal(l.n, 1);
    assert_int_equal(l.items[0].r.id, 3);
    bl_app_disruption_list_res_release(&l);
    l = list_dis(e, 1, 1527206400, NULL); /* 2018-05-25T00:00:00Z */
    assert_int_equal(l.n, 1);
    assert_int_equal(l.items[0].r.id, 2);
    bl_app_disruption_list_res_release(&l);

    /* an import after hand-entered ones draws from the same sequence */
    import_ok(e, 1, "disruptions",
              "id,region,scope,kind,starts_at,ends_at\n"
              "imp2,US,destination,weather,2024-01-01T00:00:00Z,2024-01-02T00:00:00Z\n",
              &r);
    l = list_dis(e, 1, BL_NO_TIME, "US");
    assert_int_equal(l.n, 1);
    assert_int_equal(l.items[0].r.id, 4);
    assert_string_equal(l.items[0].r.ext_id, "imp2");
    bl_app_disruption_list_res_release(&l);
    req.ext_id = NULL;
    assert_int_equal(declare_ok(e, &req), 5);

    init_ok(e, "acme", &ir); /* another organisation sees none of them */
    l = list_dis(e, ir.org_id, BL_NO_TIME, NULL);
    assert_int_equal(l.n, 0);
    bl_app_disruption_list_res_release(&l);
}

static void test_disruption_edit_lift(void **state)
{
    struct bl_test_env *e = *state;
    struct bl_app_init_res ir;
    init_ok(e, NULL, &ir);
    struct bl_app_disruption_declare_req dec = {
        NULL, "BR-SP", BL_DIS_BOTH, BL_DIS_STRIKE, NULL, NULL, "greve", 1000000, 2000000,
        NULL, 0,
    };
    int64_t id = declare_ok(e, &dec);
    assert_int_equal(id, 1);

    struct bl_app_disruption_edit_req ed = {
        .id = id, .has_to = true, .to = 3000000, .region = "br"};
    struct bl_app_disruption_edit_res er;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_app_disruption_edit(e->st, 1, &ed, &er, &d), &d);
    assert_int_equal(er.starts_at, 1000000);
    assert_int_equal(er.ends_at, 3000000);
    ed = (struct bl_app_disruption_edit_req){.id = id,
                                             .has_kind = true,
                                             .kind = BL_DIS_WEATHER,
                                             .has_scope = true,
                                             .scope = BL_DIS_DESTINATION,
                                             .note = ""};
    BL_ASSERT_OK(bl_app_disruption_edit(e->st, 1, &ed, &er, &d), &d);
    struct bl_app_disruption_list_res l = list_dis(e, 1, BL_NO_TIME, NULL);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.items[0].r.region, "BR");
    assert_int_equal(l.items[0].r.kind, BL_DIS_WEATHER);
    assert_int_equal(l.items[0].r.scope, BL_DIS_DESTINATION);
    assert_null(l.items[0].r.note);
    assert_int_equal(l.items[0].r.ends_at, 3000000);
    bl_app_disruption_list_res_release(&l);

    /* refusals */
    ed = (struct bl_app_disruption_edit_req){.id = id, .has_to = true, .to = 500000};
    assert_int_equal(bl_app_disruption_edit(e->st, 1, &ed, &er, &d), BL_ERANGE);
    assert_int_equal(er.reason, BL_APP_DIS_BAD_WINDOW);
    ed = (struct bl_app_disruption_edit_req){.id = 99, .note = "x"};
    assert_int_equal(bl_app_disruption_edit(e->st, 1, &ed, &er, &d), BL_ENOTFOUND);
    assert_int_equal(er.reason, BL_APP_DIS_UNKNOWN);
    ed = (struct bl_app_disruption_edit_req){.id = id};
    assert_int_equal(bl_app_disruption_edit(e->st, 1, &ed, &er, &d), BL_EINVAL);
    assert_int_equal(er.reason, BL_APP_DIS_NOTHING_TO_DO);

    /* lift */
    struct bl_app_disruption_lift_req lr = {id, 900000, NULL, 0};
    struct bl_app_disruption_lift_res res;
    assert_int_equal(bl_app_disruption_lift(e->st, 1, &lr, &res, &d), BL_ERANGE);
    assert_int_equal(res.reason, BL_APP_DIS_BEFORE_START);
    assert_int_equal(res.starts_at, 1000000);
    lr.at = 1500000;
    BL_ASSERT_OK(bl_app_disruption_lift(e->st, 1, &lr, &res, &d), &d);
    assert_false(res.ended_before);
    assert_int_equal(bl_app_disruption_lift(e->st, 1, &lr, &res, &d), BL_ECONFLICT);
    assert_int_equal(res.reason, BL_APP_DIS_ALREADY_LIFTED);
    assert_int_equal(res.lifted_at, 1500000);
    l = list_dis(e, 1, BL_NO_TIME, NULL);
    assert_int_equal(l.items[0].r.lifted_at, 1500000);
    assert_int_equal(l.items[0].effective_end, 1500000);
    assert_int_equal(l.items[0].r.ends_at, 3000000); /* what was announced stays */
    bl_app_disruption_list_res_release(&l);
    l = list_dis(e, 1, 1600000, NULL); /* over once lifted */
    assert_int_equal(l.n, 0);
    bl_app_disruption_list_res_release(&l);

    /* a lifted disruption's start may not pass its lift */
    ed = (struct bl_app_disruption_edit_req){.id = id, .has_from = true, .from = 1600000};
    assert_int_equal(bl_app_disruption_edit(e->st, 1, &ed, &er, &d), BL_ERANGE);
    assert_int_equal(er.reason, BL_APP_DIS_LIFT_BEFORE_START);

    /* another organisation cannot lift or edit it */
    init_ok(e, "acme", &ir);
    assert_int_equal(bl_app_disruption_lift(e->st, ir.org_id, &lr, &res, &d), BL_ENOTFOUND);
    assert_int_equal(res.reason, BL_APP_DIS_UNKNOWN);
    ed = (struct bl_app_disruption_edit_req){.id = id, .note = "x"};
    assert_int_equal(bl_app_disruption_edit(e->st, ir.org_id, &ed, &er, &d), BL_ENOTFOUND);
}

/* ---- protection windows -------------------------------------------------------------- */

static void test_protect(void **state)
{
    struct bl_test_env *e = *state;
    struct bl_app_init_res ir;
    init_ok(e, NULL, &ir);
    struct bl_app_import_res r;
    import_ok(e, 1, "shops", shops_csv, &r);

    char tz[64];
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_app_shop_zone(e->st, 1, "s2", tz, sizeof(tz), &d), &d);
    assert_string_equal(tz, "America/Sao_Paulo");
    assert_int_equal(bl_app_shop_zone(e->st, 1, "s9", tz, sizeof(tz), &d), BL_ENOTFOUND);

    struct bl_app_protect_req req = {"s1", 1000, 2000, "strike"};
    struct bl_app_protect_res res;
    BL_ASSERT_OK(bl_app_protect(e->st, 1, &req, &res, &d), &d);
    assert_int_equal(res.id, 1);
    req.shop = "s2";
    BL_ASSERT_OK(bl_app_protect(e->st, 1, &req, &res, &d), &d);
    assert_int_equal(res.id, 2);
    req.shop = "s9";
    assert_int_equal(bl_app_protect(e->st, 1, &req, &res, &d), BL_ENOTFOUND);
    assert_int_equal(res.reason, BL_APP_DIS_UNKNOWN_SHOP);
    req.shop = "s1";
    req.to = req.from;
    assert_int_equal(bl_app_protect(e->st, 1, &req, &res, &d), BL_ERANGE);
    assert_int_equal(res.reason, BL_APP_DIS_BAD_WINDOW);
    assert_int_equal(rows(e, 1, "protection"), 2);

    struct bl_app_protect_list_req lq = {NULL};
    struct bl_app_protect_list_res l;
    BL_ASSERT_OK(bl_app_protect_list(e->st, 1, &lq, &l, &d), &d);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.items[0].shop, "s1");
    assert_string_equal(l.items[0].reason, "strike");
    assert_int_equal(l.items[0].starts_at, 1000);
    assert_int_equal(l.items[0].batch_id, 0);
    bl_app_protect_list_res_release(&l);
    lq.shop = "s2";
    BL_ASSERT_OK(bl_app_protect_list(e->st, 1, &lq, &l, &d), &d);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.items[0].id, 2);
    bl_app_protect_list_res_release(&l);
    lq.shop = "s9";
    assert_int_equal(bl_app_protect_list(e->st, 1, &lq, &l, &d), BL_ENOTFOUND);
    assert_int_equal(l.reason, BL_APP_DIS_UNKNOWN_SHOP);
    bl_app_protect_list_res_release(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        BL_TEST_FRESH(test_init_twice),
        BL_TEST_FRESH(test_import_twice),
        BL_TEST_FRESH(test_import_identity),
        BL_TEST_FRESH(test_import_tz_replace),
        BL_TEST_FRESH(test_orders_list),
        BL_TEST_FRESH(test_orders_show),
        BL_TEST_FRESH(test_disruption_declare),
        BL_TEST_FRESH(test_disruption_edit_lift),
        BL_TEST_FRESH(test_protect),
    };
    int failed =
        cmocka_run_group_tests_name("app_data/sqlite", tests, setup_sqlite, bl_test_env_teardown);
    if (!getenv("BL_PG_URL_FILE")) {
        fprintf(stderr, "app_data_test: BL_PG_URL_FILE is not set; skipping the PostgreSQL "
                        "tests (see the top of tests/unit/app_data_test.c)\n");
        return failed;
    }
    env_pg.url = bl_test_pg_url();
    if (!env_pg.url) {
        fprintf(stderr, "app_data_test: cannot read the PostgreSQL URL from BL_PG_URL_FILE=%s\n",
                getenv("BL_PG_URL_FILE"));
        return failed + 1;
    }
    failed +=
        cmocka_run_group_tests_name("app_data/postgres", tests, setup_pg, bl_test_env_teardown);
    free(env_pg.url);
    return failed;
}
