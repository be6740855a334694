/* app_words_test.c - what a buyer reads instead of a code (issue #13), on SQLite and, when
 * BL_PG_URL_FILE names a running server, PostgreSQL (each test in a fresh schema):
 * places by their names in the buyer's language (an area named by `import areas`, else
 * the subdivision, else the country), carriers by name, customers by name or a neutral
 * greeting, the buyer's language (the customer's, else the delivery country's, else the
 * default pack, with the fallbacks counted), and the shops' notices: the delivery time per
 * destination country from the shop's own lanes, and customer service's return only when
 * a customer_service_closure is declared. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "app/messages.h"
#include "app/words.h"
#include "ballast/import.h"
#include "ballast/store.h"
#include "ballast/time.h"

static struct bl_test_env env_sqlite, env_pg;

static int64_t count(struct bl_store *s, const char *sql)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    int64_t n = -1;
    BL_ASSERT_OK(bl_store_query_int(s, sql, NULL, 0, &n, &d), &d);
    return n;
}

/* s1 ships from Yiwu (CN-ZJ:322, locked down) to the US and Brazil on three channels of
 * the catalogue (a fourth, local and fast, it never uses); s2 ships from Sao Paulo, where
 * a strike holds deliveries; s3 ships from Guangdong and has no orders. Customer service
 * is closed in China until May 12. */
static const struct {
    const char *kind, *name, *text;
} files[] = {
    {"shops", "shops.csv",
     "id,name,platform,profile,currency,tz,ship_from,deposit\n"
     "s1,Lamps & Light,own-site,own-site,USD,America/New_York,CN-ZJ:322,500.00\n"
     "s2,Luz Dois,own-site,own-site,BRL,America/Sao_Paulo,BR-SP,100.00\n"
     "s3,Light Three,own-site,own-site,CNY,Asia/Shanghai,CN-GD,100.00\n"},
    {"skus", "skus.csv", "id,name,weight_g\nP1,Desk lamp,1500\n"},
    {"channels", "channels.csv",
     "channel,carrier,mode,tier,origin,destination,min_kg,max_kg,base,per_kg,currency,"
     "transit_min,transit_max,sla_days,cutoff,tz\n"
     "EMS-US,China EMS,express,core,CN-ZJ,US,0,30,10.00,5.00,CNY,6,12,,,Asia/Shanghai\n"
     "POST-US,China Post,postal,core,CN-ZJ,US,0,30,5.00,2.00,CNY,10,20,,,Asia/Shanghai\n"
     "EMS-BR,China EMS,express,core,CN-ZJ,BR,0,30,10.00,5.00,CNY,15,30,,,Asia/Shanghai\n"
     "LOCAL-CN,SF Express,express,core,CN-ZJ,CN,0,30,1.00,1.00,CNY,1,2,,,Asia/Shanghai\n"},
    {"orders", "orders.csv",
     "order,shop,sku,qty,unit_price,placed_at,ship_by,promised_at,ship_to,shipped_at,"
     "delivered_at,customer,locale,channel\n"
     "A1,s1,P1,1,100.00,2022-05-01T00:00:00Z,2022-05-03T00:00:00Z,2022-05-12T00:00:00Z,US-CA,,,"
     "c1,en-US,POST-US\n"
     "A2,s1,P1,1,40.00,2022-05-08T00:00:00Z,2022-05-20T00:00:00Z,2022-05-30T00:00:00Z,US-NY,,,"
     "c2,zh-CN,EMS-US\n"
     "A3,s1,P1,1,60.00,2022-05-02T00:00:00Z,2022-05-04T00:00:00Z,2022-05-08T00:00:00Z,"
     "BR-SP:01310,2022-05-03T00:00:00Z,,c3,,EMS-BR\n"
     "A4,s1,P1,1,60.00,2022-05-02T00:00:00Z,2022-05-04T00:00:00Z,2022-05-08T00:00:00Z,MX,"
     "2022-05-03T00:00:00Z,,c4,,\n"
     "A5,s1,P1,1,60.00,2022-05-02T00:00:00Z,2022-05-04T00:00:00Z,2022-05-08T00:00:00Z,DE,"
     "2022-05-03T00:00:00Z,,c5,,\n"
     "B2,s2,P1,1,80.00,2022-05-08T00:00:00Z,2022-05-20T00:00:00Z,2022-05-28T00:00:00Z,"
     "BR-SP:01310,,,c6,,\n"},
    {"customers", "customers.csv", "id,name,email\nc1,Ana,ana@example.com\nc2,,\n"},
    {"areas", "areas.csv", "region,name,locale\nCN-ZJ:322,Yiwu,\nCN-ZJ:322,义乌,zh-CN\n"},
    {"disruptions", "dis.csv",
     "id,region,scope,kind,starts_at,ends_at,note\n"
     "yw,CN-ZJ:322,origin,lockdown,2022-05-01T00:00:00Z,2022-05-20T00:00:00Z,Yiwu lockdown\n"
     "sp,BR-SP,destination,strike,2022-05-05T00:00:00Z,2022-05-25T00:00:00Z,strike\n"
     "cs,CN,origin,customer_service_closure,2022-05-09T00:00:00Z,2022-05-12T12:00:00Z,"
     "staff off\n"},
};

static char *tmpdir;

static int fresh(void **state)
{
    bl_test_env_fresh(state);
    struct bl_test_env *e = *state;
    struct bl_store *s = e->st;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_store_migrate(s, &d), &d);
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char *path =
            bl_test_write_file(tmpdir, files[i].name, files[i].text, strlen(files[i].text));
        struct bl_import_opts o = {.kind = files[i].kind, .path = path, .org_id = 1, .now = 1};
        struct bl_import_result r;
        BL_ASSERT_OK(bl_import(s, &o, &r, &d), &d);
        free(path);
    }
    bl_test_env_done(state);
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

static void expect_place(const struct bl__words *w, const char *locale, const char *code,
                         const char *want)
{
    char out[256];
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl__words_place(w, locale, code, out, sizeof(out), &d), &d);
    if (strcmp(out, want) != 0)
        fail_msg("%s in %s: wanted '%s', got '%s'", code, locale, want, out);
}

/* Places, carriers and languages, as words. */
static void test_words(void **state)
{
    struct bl_store *s = bl_test_env_open(*state);
    struct bl_diag d;
    bl_diag_clear(&d);
    static const char *const locales[] = {"en", "zh-CN", "pt-BR", "es"};
    struct bl__words w;
    BL_ASSERT_OK(bl__words_open(&w, s, 1, locales, 4, &d), &d);
    expect_place(&w, "pt-BR", "BR-SP:013", "São Paulo"); /* no area named: the state */
    expect_place(&w, "zh-CN", "CN-ZJ", "浙江省");
    expect_place(&w, "en", "CN-ZJ", "Zhejiang");
    expect_place(&w, "en", "CN-ZJ:322", "the area around Yiwu"); /* import areas */
    expect_place(&w, "zh-CN", "CN-ZJ:3221", "义乌一带");         /* inside the area */
    expect_place(&w, "pt-BR", "CN-ZJ:322", "Yiwu e arredores");  /* any language's name */
    expect_place(&w, "es", "CN-ZJ:322", "Yiwu y alrededores");
    expect_place(&w, "en", "US", "the United States");
    expect_place(&w, "pt-BR", "US", "Estados Unidos");
    expect_place(&w, "zh-CN", "BR", "巴西");
    expect_place(&w, "en", "GB:EH", "the United Kingdom"); /* no subdivision: the country */
    expect_place(&w, "en", "XX", "the affected area");     /* never a code */
    assert_string_equal(bl__words_carrier(&w, "EMS-BR"), "China EMS");
    assert_string_equal(bl__words_carrier(&w, "POST-US"), "China Post");
    assert_null(bl__words_carrier(&w, "YW-DED-US"));
    assert_null(bl__words_carrier(&w, NULL));

    char lang[64];
    bool country;
    bl__words_language("fr-FR", "BR-SP", lang, sizeof(lang), &country);
    assert_string_equal(lang, "fr-FR"); /* the customer's own first */
    assert_false(country);
    bl__words_language(NULL, "BR-SP:01310", lang, sizeof(lang), &country);
    assert_string_equal(lang, "pt-BR"); /* else the delivery country's */
    assert_true(country);
    bl__words_language("", "MX", lang, sizeof(lang), &country);
    assert_string_equal(lang, "es-MX");
    bl__words_language(NULL, NULL, lang, sizeof(lang), &country);
    assert_string_equal(lang, "");
    bl__words_release(&w);
    bl_store_close(s);
}

static char *body_of(struct bl_store *s, const char *order)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_messages_list_req lq = {0};
    struct bl_app_messages_list_res lr;
    BL_ASSERT_OK(bl_app_messages_list(s, 1, &lq, &lr, &d), &d);
    char *body = NULL;
    for (size_t i = 0; i < lr.n && !body; i++)
        if (lr.msgs[i].order && strcmp(lr.msgs[i].order, order) == 0) {
            struct bl_app_messages_list_req one = {.id = lr.msgs[i].id};
            struct bl_app_messages_list_res r1;
            BL_ASSERT_OK(bl_app_messages_show(s, 1, &one, &r1, &d), &d);
            size_t n = strlen(r1.msgs[0].body) + strlen(r1.msgs[0].locale) + 2;
            body = malloc(n);
            assert_non_null(body);
            snprintf(body, n, "%s\n%s", r1.msgs[0].locale, r1.msgs[0].body);
            bl_app_messages_list_res_release(&r1);
        }
    bl_app_messages_list_res_release(&lr);
    if (!body)
        fail_msg("no message for order %s", order);
    return body;
}

static void expect_in(const char *text, const char *part, bool want)
{
    if ((strstr(text, part) != NULL) != want)
        fail_msg("'%s' %s in:\n%s", part, want ? "missing" : "must not be", text);
}

/* Each buyer reads their language, their name or a greeting, the carrier's name and the
 * place's, never an id or a code; the plan says how many fell back and why. */
static void test_messages(void **state)
{
    struct bl_store *s = bl_test_env_open(*state);
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_messages_plan_req rq;
    bl_app_messages_plan_defaults(&rq);
    rq.as_of = at("2022-05-10T23:59:59Z");
    rq.now = rq.as_of;
    rq.horizon_days = 3650; /* every event of the fixture, however old (the horizon: notify) */
    struct bl_app_messages_plan_res r;
    BL_ASSERT_OK(bl_app_messages_plan(s, 1, &rq, &r, &d), &d);
    assert_int_equal(r.added, 6);
    assert_int_equal(r.fallback[BL_LANG_NO_PACK], 1); /* A5: German, no de pack */
    assert_int_equal(r.fallback[BL_LANG_UNKNOWN], 0);
    bl_app_messages_plan_res_release(&r);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM message"), 6);

    char *b = body_of(s, "A1"); /* a name: by it */
    expect_in(b, "en\nDear Ana,", true);
    free(b);
    b = body_of(s, "A2"); /* zh-CN, no name; the area by its name */
    expect_in(b, "zh-CN\n您好，", true);
    expect_in(b, "义乌一带", true);
    expect_in(b, "CN-ZJ", false);
    expect_in(b, "c2", false);
    free(b);
    b = body_of(s, "A3"); /* no language: Brazil's; the carrier by name */
    expect_in(b, "pt-BR\nOlá,\n", true);
    expect_in(b, "A transportadora China EMS agora prevê a entrega entre ", true);
    expect_in(b, "EMS-BR", false);
    expect_in(b, "c3", false);
    free(b);
    b = body_of(s, "A4"); /* Mexico: Spanish; no channel: "the carrier" */
    expect_in(b, "es\nHola,\n", true);
    expect_in(b, "La empresa de transporte ahora prevé entregarlo entre el ", true);
    free(b);
    b = body_of(s, "A5"); /* Germany: no pack, English */
    expect_in(b, "en\nHello,\n", true);
    expect_in(b, "The carrier now expects", true);
    free(b);
    b = body_of(s, "B2"); /* held by a strike over Sao Paulo */
    expect_in(b, "pt-BR\n", true);
    expect_in(b, "(região afetada: São Paulo)", true);
    expect_in(b, "BR-SP", false);
    free(b);
    bl_store_close(s);
}

static const struct bl_app_banner *banner(const struct bl_app_banners_res *r, const char *shop,
                                          const char *locale, enum bl_banner_place place,
                                          const char *region)
{
    for (size_t i = 0; i < r->n; i++) {
        const struct bl_app_banner *b = &r->banners[i];
        if (strcmp(b->shop, shop) == 0 && strcmp(b->locale, locale) == 0 && b->place == place &&
            (region ? b->region && strcmp(b->region, region) == 0 : !b->region))
            return b;
    }
    return NULL;
}

/* The shipping page of each country the shop's lanes reach, with those lanes' transit
 * (not the catalogue's every lane); customer service's return only from a closure. */
static void test_banners(void **state)
{
    struct bl_store *s = bl_test_env_open(*state);
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_banners_req rq = {.as_of = at("2022-05-10T23:59:59Z"),
                                    .account_url = "https://x.test/a"};
    struct bl_app_banners_res r;
    BL_ASSERT_OK(bl_app_banners(s, 1, &rq, &r, &d), &d);
    assert_int_equal(r.shops, 3);
    assert_int_equal(r.affected, 2); /* s1 (lockdown, closure), s3 (closure only) */
    assert_int_equal(r.no_window, 0);
    /* the lockdown ends in 10 days (rounded up): added to the lanes' longest transit */
    const struct bl_app_banner *b = banner(&r, "s1", "en", BL_BANNER_SHIPPING, "US");
    assert_non_null(b);
    expect_in(b->text, "in the area around Yiwu", true);
    expect_in(b->text, "delivery to the United States\ncurrently takes 6-30 business days", true);
    b = banner(&r, "s1", "pt-BR", BL_BANNER_SHIPPING, "BR");
    assert_non_null(b);
    expect_in(b->text, "(destino: Brasil) é de 15 a 40 dias úteis", true);
    assert_null(banner(&r, "s1", "en", BL_BANNER_SHIPPING, "CN")); /* a lane it never uses */
    assert_null(banner(&r, "s1", "en", BL_BANNER_SHIPPING, "MX")); /* no channel known */
    b = banner(&r, "s1", "en", BL_BANNER_HOMEPAGE, NULL);
    assert_non_null(b);
    expect_in(b->text, "Customer Service is closed for now and will resume from May 12.", true);
    expect_in(b->text, "the area around Yiwu", true);
    b = banner(&r, "s3", "en", BL_BANNER_HOMEPAGE, NULL); /* closed, ships as usual */
    assert_non_null(b);
    assert_string_equal(b->title, "Important: Light Three Customer Service is closed until May 12");
    expect_in(b->text, "delayed", false);
    assert_null(banner(&r, "s3", "en", BL_BANNER_PRODUCT, NULL));
    b = banner(&r, "s3", "es", BL_BANNER_HOMEPAGE, NULL);
    expect_in(b->text, "se reanudará el 12 de mayo", true);
    bl_app_banners_res_release(&r);

    /* the closure is over: the home page no longer speaks of customer service */
    rq.as_of = at("2022-05-13T00:00:00Z");
    BL_ASSERT_OK(bl_app_banners(s, 1, &rq, &r, &d), &d);
    assert_int_equal(r.affected, 1);
    b = banner(&r, "s1", "en", BL_BANNER_HOMEPAGE, NULL);
    expect_in(b->text, "Customer Service", false);
    bl_app_banners_res_release(&r);
    bl_store_close(s);
}

static int setup_sqlite(void **state)
{
    return bl_test_env_setup_sqlite(state, &env_sqlite, "app_words_test");
}

static int setup_pg(void **state)
{
    return bl_test_env_setup_pg(state, &env_pg, "app_words_test");
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
        cmocka_unit_test_setup(test_words, fresh),
        cmocka_unit_test_setup(test_messages, fresh),
        cmocka_unit_test_setup(test_banners, fresh),
    };
    tmpdir = bl_test_tmpdir();
    atexit(remove_tmpdir);
    int failed =
        cmocka_run_group_tests_name("app_words/sqlite", tests, setup_sqlite, bl_test_env_teardown);
    if (!getenv("BL_PG_URL_FILE")) {
        fprintf(stderr, "app_words_test: BL_PG_URL_FILE is not set; skipping PostgreSQL\n");
        return failed;
    }
    env_pg.url = bl_test_pg_url();
    if (!env_pg.url)
        return failed + 1;
    failed +=
        cmocka_run_group_tests_name("app_words/postgres", tests, setup_pg, bl_test_env_teardown);
    free(env_pg.url);
    return failed;
}
