/* app_disruption_test.c - the life of a disruption (issue 14) through its use cases
 * (src/app/disruption.h), on SQLite and on PostgreSQL: declared until further notice,
 * given an end, opened again, lifted; each change in its history with who and when; what
 * it touches (bl_app_disruption_impact); and the recompute hook: the unsent messages an
 * edit makes wrong are withdrawn.
 *
 * Fresh store per test as in app_data_test.c (a PostgreSQL schema of its own; the
 * PostgreSQL group is skipped without BL_PG_URL_FILE).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "app/data.h"
#include "app/disruption.h"
#include "app/messages.h"
#include "ballast/store.h"
#include "ballast/time.h"

static struct bl_test_env env_sqlite;
static struct bl_test_env env_pg;

static const int64_t NOW = 1700000000; /* 2023-11-14T22:13:20Z */

static int setup_sqlite(void **state)
{
    return bl_test_env_setup_sqlite(state, &env_sqlite, "app_disruption_test");
}

static int setup_pg(void **state)
{
    return bl_test_env_setup_pg(state, &env_pg, "app_disruption_test");
}

/* ---- helpers ----------------------------------------------------------------------- */

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

static int64_t at(const char *s)
{
    int64_t t;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_time_parse(bl_str_c(s), NULL, &t, &d), &d);
    return t;
}

static const char shops_csv[] = "id,name,platform,currency,tz,ship_from\n"
                                "s1,Loja Paulista,olist,BRL,America/Sao_Paulo,BR-SP:013\n"
                                "s2,Casa Carioca,olist,BRL,America/Sao_Paulo,BR-RJ:200\n";
static const char skus_csv[] = "id,name,weight_g,listing\n"
                               "k1,Luminaria,500,active\n";
static const char orders_csv[] =
    "order,shop,sku,qty,unit_price,placed_at,ship_by,promised_at,ship_to,shipped_at,customer,"
    "channel\n"
    "o1,s1,k1,1,10,2018-05-20T12:00:00Z,2018-05-23T12:00:00Z,2018-06-05T00:00:00Z,BR-RJ,,c1,\n"
    "o2,s1,k1,1,10,2018-05-21T12:00:00Z,2018-05-24T12:00:00Z,2018-06-05T00:00:00Z,BR-BA,,c2,"
    "sedex\n"
    "o3,s2,k1,1,10,2018-05-22T12:00:00Z,2018-05-28T12:00:00Z,2018-06-10T00:00:00Z,BR-SP,,c3,\n"
    "o4,s2,k1,1,10,2018-05-22T12:00:00Z,2018-05-28T12:00:00Z,2018-06-10T00:00:00Z,BR-MG,,c4,\n";

static void with_orders(struct bl_test_env *e)
{
    struct bl_app_init_res ir;
    init_ok(e, NULL, &ir);
    struct bl_app_import_res r;
    import_ok(e, 1, "shops", shops_csv, &r);
    import_ok(e, 1, "skus", skus_csv, &r);
    import_ok(e, 1, "orders", orders_csv, &r);
}

static int64_t declare(struct bl_test_env *e, const char *region, enum bl_dis_scope scope,
                       int64_t from, int64_t to, const char *by)
{
    struct bl_app_disruption_declare_req req = {
        NULL, region, scope, BL_DIS_STRIKE, NULL, NULL, NULL, from, to, by, NOW};
    struct bl_app_disruption_declare_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_app_disruption_declare(e->st, 1, &req, &res, &d), &d);
    return res.id;
}

static struct bl_app_disruption_show_res show(struct bl_test_env *e, int64_t id)
{
    struct bl_app_disruption_show_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_app_disruption_show(e->st, 1, id, &res, &d), &d);
    return res;
}

/* ---- until further notice, and the history ------------------------------------------ */

static void test_open_end_and_history(void **state)
{
    struct bl_test_env *e = *state;
    with_orders(e);
    int64_t id = declare(e, "BR-SP", BL_DIS_BOTH, at("2018-05-21T03:00:00Z"), BL_NO_TIME, "ana");
    struct bl_app_disruption_show_res s = show(e, id);
    assert_int_equal(s.item.r.ends_at, BL_DIS_OPEN_END);
    assert_true(bl_dis_open_end(s.item.effective_end));
    assert_int_equal(s.nevents, 1);
    assert_string_equal(s.events[0].field, "declared");
    assert_string_equal(s.events[0].who, "ana");
    assert_int_equal(s.events[0].at, NOW);
    assert_string_equal(s.events[0].after, "2018-05-21T03:00:00Z/open");
    bl_app_disruption_show_res_release(&s);

    /* in force at any later instant until it ends */
    struct bl_app_disruption_list_req lq = {at("2030-01-01T00:00:00Z"), NULL};
    struct bl_app_disruption_list_res l;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_app_disruption_list(e->st, 1, &lq, &l, &d), &d);
    assert_int_equal(l.n, 1);
    bl_app_disruption_list_res_release(&l);

    /* an end, a wider region, open again, a lift: one event per field changed */
    struct bl_app_disruption_edit_req ed = {.id = id,
                                            .has_to = true,
                                            .to = at("2018-05-29T03:00:00Z"),
                                            .region = "BR",
                                            .by = "bo",
                                            .now = NOW + 10};
    struct bl_app_disruption_edit_res er;
    BL_ASSERT_OK(bl_app_disruption_edit(e->st, 1, &ed, &er, &d), &d);
    assert_int_equal(er.ends_at, at("2018-05-29T03:00:00Z"));
    ed = (struct bl_app_disruption_edit_req){
        .id = id, .has_to = true, .to = BL_NO_TIME, .now = NOW + 20};
    BL_ASSERT_OK(bl_app_disruption_edit(e->st, 1, &ed, &er, &d), &d);
    assert_int_equal(er.ends_at, BL_DIS_OPEN_END);
    /* an end "until further notice" cannot be given as a date */
    ed.to = BL_DIS_OPEN_END;
    assert_int_equal(bl_app_disruption_edit(e->st, 1, &ed, &er, &d), BL_ERANGE);
    struct bl_app_disruption_lift_req lr = {id, BL_NO_TIME, "ana", NOW + 30}; /* now */
    struct bl_app_disruption_lift_res lres;
    BL_ASSERT_OK(bl_app_disruption_lift(e->st, 1, &lr, &lres, &d), &d);
    assert_int_equal(lres.lifted_at, NOW + 30);
    assert_false(lres.ended_before);

    s = show(e, id);
    assert_int_equal(s.nevents, 5);
    const char *fields[] = {"declared", "region", "ends_at", "ends_at", "lifted_at"};
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(s.events[i].field, fields[i]);
    assert_string_equal(s.events[1].before, "BR-SP");
    assert_string_equal(s.events[1].after, "BR");
    assert_string_equal(s.events[1].who, "bo");
    assert_string_equal(s.events[2].before, "open");
    assert_string_equal(s.events[2].after, "2018-05-29T03:00:00Z");
    assert_null(s.events[3].who); /* unknown */
    assert_string_equal(s.events[3].after, "open");
    assert_null(s.events[4].before);
    assert_int_equal(s.item.effective_end, NOW + 30);
    bl_app_disruption_show_res_release(&s);

    /* a refusal adds nothing to the history */
    assert_int_equal(bl_app_disruption_lift(e->st, 1, &lr, &lres, &d), BL_ECONFLICT);
    s = show(e, id);
    assert_int_equal(s.nevents, 5);
    bl_app_disruption_show_res_release(&s);
    assert_int_equal(bl_app_disruption_show(e->st, 1, 99, &s, &d), BL_ENOTFOUND);
    assert_int_equal(s.reason, BL_APP_DIS_UNKNOWN);
    bl_app_disruption_show_res_release(&s);
}

/* ---- ISO 3166 ------------------------------------------------------------------------ */

static void test_place_check(void **state)
{
    struct bl_test_env *e = *state;
    with_orders(e);
    struct bl_app_place_check pc;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_app_place_check("CN-ZJ", &pc, &d), &d);
    assert_true(pc.known);
    BL_ASSERT_OK(bl_app_place_check("BR-SP:013", &pc, &d), &d); /* postal part not checked */
    assert_int_equal(bl_app_place_check("CN-ZZ", &pc, &d), BL_ENOTFOUND);
    assert_false(pc.known);
    assert_true(pc.country_known);
    assert_string_equal(pc.country, "China");
    assert_string_equal(pc.suggest, "CN-ZJ");
    assert_string_equal(pc.suggest_name, "Zhejiang");
    assert_string_equal(d.msg,
                        "CN-ZZ is not an ISO 3166-2 subdivision of China; did you mean CN-ZJ "
                        "(Zhejiang)?");
    assert_string_equal(d.field, "region");
    /* the use cases refuse such a region, and store nothing */
    struct bl_app_disruption_declare_req req = {NULL, "cn-zz", BL_DIS_ORIGIN, BL_DIS_LOCKDOWN, NULL,
                                                NULL, NULL,    1000,          BL_NO_TIME,      NULL,
                                                NOW};
    struct bl_app_disruption_declare_res res;
    assert_int_equal(bl_app_disruption_declare(e->st, 1, &req, &res, &d), BL_ENOTFOUND);
    assert_int_equal(res.reason, BL_APP_DIS_BAD_REGION);
    assert_int_equal(res.id, 0);
    int64_t id = declare(e, "CN", BL_DIS_ORIGIN, 1000, BL_NO_TIME, NULL);
    struct bl_app_disruption_edit_req ed = {.id = id, .region = "BR-XX"};
    struct bl_app_disruption_edit_res er;
    assert_int_equal(bl_app_disruption_edit(e->st, 1, &ed, &er, &d), BL_ENOTFOUND);
    assert_int_equal(er.reason, BL_APP_DIS_BAD_REGION);
    struct bl_app_disruption_list_req lq = {BL_NO_TIME, "CN-ZZ"};
    struct bl_app_disruption_list_res l;
    assert_int_equal(bl_app_disruption_list(e->st, 1, &lq, &l, &d), BL_ENOTFOUND);
    assert_int_equal(l.reason, BL_APP_DIS_BAD_REGION);
    bl_app_disruption_list_res_release(&l);
}

/* ---- impact --------------------------------------------------------------------------- */

static void test_impact(void **state)
{
    struct bl_test_env *e = *state;
    with_orders(e);
    int64_t id = declare(e, "BR-SP", BL_DIS_BOTH, at("2018-05-21T03:00:00Z"), BL_NO_TIME, NULL);
    struct bl_app_disruption_impact_req req = {id, at("2018-05-25T00:00:00Z"), NOW};
    struct bl_app_disruption_impact_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_app_disruption_impact(e->st, 1, &req, &res, &d), &d);
    assert_true(res.in_force);
    /* o1, o2 leave SP (s1), o3 goes to SP; o4 (RJ -> MG) is not touched */
    assert_int_equal(res.held_orders, 3);
    assert_int_equal(res.nheld, 3); /* (s1, none), (s1, sedex), (s2, none) */
    assert_string_equal(res.held[0].shop, "s1");
    assert_string_equal(res.held[0].shop_name, "Loja Paulista");
    assert_int_equal(res.held[0].orders, 1);
    assert_int_equal(res.customers, 3);
    /* due in [start, as-of]: o1 (05-23) and o2 (05-24); olist exempts automatically */
    assert_int_equal(res.exempt_orders, 2);
    assert_int_equal(res.nexempt, 1);
    assert_int_equal(res.exempt[0].orders, 2);
    assert_int_equal(res.not_auto_orders, 0);
    assert_true(res.listings_to_region);
    assert_int_equal(res.listings, 1);
    bl_app_disruption_impact_res_release(&res);

    /* without an as-of: now, kept inside its window (it has not ended: now itself) */
    req.as_of = BL_NO_TIME;
    BL_ASSERT_OK(bl_app_disruption_impact(e->st, 1, &req, &res, &d), &d);
    assert_int_equal(res.as_of, NOW);
    bl_app_disruption_impact_res_release(&res);
    /* an over disruption: as of its last instant */
    struct bl_app_disruption_edit_req ed = {
        .id = id, .has_to = true, .to = at("2018-05-29T03:00:00Z")};
    struct bl_app_disruption_edit_res er;
    BL_ASSERT_OK(bl_app_disruption_edit(e->st, 1, &ed, &er, &d), &d);
    BL_ASSERT_OK(bl_app_disruption_impact(e->st, 1, &req, &res, &d), &d);
    assert_int_equal(res.as_of, at("2018-05-29T02:59:59Z"));
    assert_true(res.in_force);
    bl_app_disruption_impact_res_release(&res);
    /* a channel-restricted one holds only that channel's orders */
    struct bl_app_disruption_declare_req dq = {
        NULL,       "BR", BL_DIS_BOTH, BL_DIS_OTHER, NULL, NULL, NULL, at("2018-05-21T00:00:00Z"),
        BL_NO_TIME, NULL, NOW};
    struct bl_app_disruption_declare_res dr;
    assert_int_equal(bl_app_disruption_declare(e->st, 1, &dq, &dr, &d), BL_OK);
    int64_t all = dr.id;
    req = (struct bl_app_disruption_impact_req){all, at("2018-05-25T00:00:00Z"), NOW};
    BL_ASSERT_OK(bl_app_disruption_impact(e->st, 1, &req, &res, &d), &d);
    assert_int_equal(res.held_orders, 4);
    bl_app_disruption_impact_res_release(&res);
    req.id = 99;
    assert_int_equal(bl_app_disruption_impact(e->st, 1, &req, &res, &d), BL_ENOTFOUND);
    assert_int_equal(res.reason, BL_APP_DIS_UNKNOWN);
    bl_app_disruption_impact_res_release(&res);
}

/* ---- the recompute hook ----------------------------------------------------------------- */

static int64_t count_state(struct bl_test_env *e, const char *state)
{
    struct bl_val p[1] = {bl_val_text(bl_str_c(state))};
    int64_t n = 0;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(
        bl_store_query_int(e->st, "SELECT COUNT(*) FROM message WHERE state = $1", p, 1, &n, &d),
        &d);
    return n;
}

static void plan(struct bl_test_env *e, int64_t as_of, size_t *planned)
{
    struct bl_app_messages_plan_req req = {0};
    req.as_of = as_of;
    req.now = NOW;
    req.horizon_days = 3650; /* every event of the fixture (the horizon is notify's) */
    struct bl_app_messages_plan_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_app_messages_plan(e->st, 1, &req, &res, &d), &d);
    *planned = res.added;
    bl_app_messages_plan_res_release(&res);
}

static void test_edit_withdraws_messages(void **state)
{
    struct bl_test_env *e = *state;
    with_orders(e);
    int64_t id = declare(e, "BR-SP", BL_DIS_ORIGIN, at("2018-05-21T03:00:00Z"), BL_NO_TIME, NULL);
    size_t n1, n2;
    plan(e, at("2018-05-25T00:00:00Z"), &n1);
    assert_true(n1 >= 2); /* o1, o2 (leaving SP) */
    int64_t unsent = count_state(e, "approved") + count_state(e, "planned") + count_state(e, "held");
    /* a note changes no date: nothing withdrawn */
    struct bl_app_disruption_edit_req ed = {.id = id, .note = "greve"};
    struct bl_app_disruption_edit_res er;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_app_disruption_edit(e->st, 1, &ed, &er, &d), &d);
    assert_int_equal(er.withdrawn, 0);
    /* an end: the messages of SP's orders are withdrawn, and the next plan writes them */
    ed = (struct bl_app_disruption_edit_req){
        .id = id, .has_to = true, .to = at("2018-05-29T03:00:00Z")};
    BL_ASSERT_OK(bl_app_disruption_edit(e->st, 1, &ed, &er, &d), &d);
    assert_true(er.withdrawn >= 2);
    assert_int_equal(count_state(e, "withdrawn"), er.withdrawn);
    assert_int_equal(count_state(e, "approved") + count_state(e, "planned") + count_state(e, "held"),
                     unsent - er.withdrawn);
    plan(e, at("2018-05-25T00:00:00Z"), &n2);
    assert_int_equal((int64_t)n2, er.withdrawn);
    /* a refused edit withdraws nothing */
    ed = (struct bl_app_disruption_edit_req){.id = id, .has_to = true, .to = 1};
    assert_int_equal(bl_app_disruption_edit(e->st, 1, &ed, &er, &d), BL_ERANGE);
    assert_int_equal(er.withdrawn, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        BL_TEST_FRESH(test_open_end_and_history),
        BL_TEST_FRESH(test_place_check),
        BL_TEST_FRESH(test_impact),
        BL_TEST_FRESH(test_edit_withdraws_messages),
    };
    int failed = cmocka_run_group_tests_name("app_disruption/sqlite", tests, setup_sqlite,
                                             bl_test_env_teardown);
    if (!getenv("BL_PG_URL_FILE")) {
        fprintf(stderr, "app_disruption_test: BL_PG_URL_FILE is not set; skipping the "
                        "PostgreSQL tests\n");
        return failed;
    }
    env_pg.url = bl_test_pg_url();
    if (!env_pg.url)
        return failed + 1;
    failed += cmocka_run_group_tests_name("app_disruption/postgres", tests, setup_pg,
                                          bl_test_env_teardown);
    free(env_pg.url);
    return failed;
}
