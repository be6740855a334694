/* app_audit_test.c - the audit log (src/app/audit.h) on SQLite and PostgreSQL: each kind of
 * change leaves one row naming the connection's actor, with the object before and after; a
 * change that fails leaves none; the list filters by actor, action (or a kind of them) and
 * time, newest first, a page at a time.
 *
 * Every test gets a fresh SQLite file, or a PostgreSQL schema of its own; under ctest the
 * "pg" fixture starts the server and BL_PG_URL_FILE names its URL (else that group is
 * skipped with a message).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "testutil.h"
#include "app/audit.h"
#include "app/data.h"
#include "app/disruption.h"
#include "app/money.h"
#include "app/token.h"
#include "app/user.h"
#include "ballast/time.h"

static struct bl_test_env env_sqlite;
static struct bl_test_env env_pg;

static const int64_t NOW = 1700000000;

static int setup_sqlite(void **state)
{
    return bl_test_env_setup_sqlite(state, &env_sqlite, "app_audit_test");
}

static int setup_pg(void **state)
{
    return bl_test_env_setup_pg(state, &env_pg, "app_audit_test");
}

static int64_t init_org(struct bl_test_env *e, const char *name)
{
    struct bl_app_init_req req = {name};
    struct bl_app_init_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_app_init(e->st, &req, &res, &d), &d);
    return res.org_id;
}

static void act_as(struct bl_test_env *e, const char *name, const char *via, int64_t token)
{
    struct bl_store_actor a = {.token_id = token};
    snprintf(a.name, sizeof(a.name), "%s", name);
    snprintf(a.via, sizeof(a.via), "%s", via);
    snprintf(a.source, sizeof(a.source), "%s", strcmp(via, "api") == 0 ? "192.0.2.7" : "desk");
    bl_store_set_actor(e->st, &a);
}

/* The log of org (newest first) into res, filtered. */
static void list(struct bl_test_env *e, int64_t org, const char *actor, const char *action,
                 struct bl_app_audit_res *res)
{
    struct bl_app_audit_req req = {BL_NO_TIME, BL_NO_TIME, actor, action, 100, 0};
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_app_audit_list(e->st, org, &req, res, &d), &d);
}

static int64_t count(struct bl_test_env *e, int64_t org)
{
    struct bl_app_audit_res res;
    list(e, org, NULL, NULL, &res);
    int64_t n = (int64_t)res.n;
    bl_app_audit_list_res_release(&res);
    return n;
}

/* The member key of a row's JSON text (before or after), as text: "" when absent. */
static void member(const char *text, const char *key, char *out, size_t cap)
{
    out[0] = '\0';
    json_t *j = text ? json_loads(text, 0, NULL) : NULL;
    json_t *v = j ? json_object_get(j, key) : NULL;
    if (json_is_string(v))
        snprintf(out, cap, "%s", json_string_value(v));
    else if (json_is_integer(v))
        snprintf(out, cap, "%lld", (long long)json_integer_value(v));
    else if (json_is_null(v))
        snprintf(out, cap, "null");
    json_decref(j);
}

static void expect_member(const char *text, const char *key, const char *want)
{
    char got[256];
    member(text, key, got, sizeof(got));
    assert_string_equal(got, want);
}

/* The newest row: its action, actor and object id. */
static void expect_newest(struct bl_test_env *e, int64_t org, const char *action, const char *actor,
                          const char *id, struct bl_app_audit_res *res)
{
    list(e, org, NULL, NULL, res);
    assert_true(res->n >= 1);
    assert_string_equal(res->rows[0].action, action);
    assert_string_equal(res->rows[0].actor, actor);
    if (id)
        assert_string_equal(res->rows[0].object_id, id);
}

static int64_t declare(struct bl_test_env *e, int64_t org)
{
    struct bl_app_disruption_declare_req req = {
        NULL,   "CN-ZJ", BL_DIS_ORIGIN, BL_DIS_LOCKDOWN, NULL, NULL,
        "Yiwu", NOW,     BL_NO_TIME,    "ops desk",      NOW};
    struct bl_app_disruption_declare_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_app_disruption_declare(e->st, org, &req, &res, &d), &d);
    return res.id;
}

static void test_disruption_changes(void **state)
{
    struct bl_test_env *e = *state;
    int64_t org = init_org(e, NULL), rival = init_org(e, "rival");
    act_as(e, "API token 'ops desk'", "api", 3);
    int64_t id = declare(e, org);
    struct bl_app_audit_res res;
    expect_newest(e, org, "disruption.declare", "API token 'ops desk'", "1", &res);
    const struct bl_audit_row *r = &res.rows[0];
    assert_string_equal(r->via, "api");
    assert_string_equal(r->source, "192.0.2.7");
    assert_int_equal(r->token_id, 3);
    assert_int_equal(r->at, NOW);
    assert_string_equal(r->object_kind, "disruption");
    assert_null(r->before);
    expect_member(r->after, "region", "CN-ZJ");
    expect_member(r->after, "to", "null");
    bl_app_audit_list_res_release(&res);

    act_as(e, "alice", "cli", 0);
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_disruption_edit_req ed = {
        .id = id, .has_to = true, .to = NOW + 86400, .by = "alice", .now = NOW + 10};
    struct bl_app_disruption_edit_res er;
    BL_ASSERT_OK(bl_app_disruption_edit(e->st, org, &ed, &er, &d), &d);
    expect_newest(e, org, "disruption.edit", "alice", "1", &res);
    expect_member(res.rows[0].before, "to", "null");
    expect_member(res.rows[0].after, "to", "2023-11-15T22:13:20Z");
    assert_string_equal(res.rows[0].via, "cli");
    bl_app_audit_list_res_release(&res);

    struct bl_app_disruption_lift_req lq = {id, NOW + 3600, "alice", NOW + 20};
    struct bl_app_disruption_lift_res lr;
    BL_ASSERT_OK(bl_app_disruption_lift(e->st, org, &lq, &lr, &d), &d);
    expect_newest(e, org, "disruption.lift", "alice", "1", &res);
    expect_member(res.rows[0].before, "lifted_at", "null");
    expect_member(res.rows[0].after, "lifted_at", "2023-11-14T23:13:20Z");
    bl_app_audit_list_res_release(&res);
    assert_int_equal(count(e, org), 3);

    /* a change refused leaves no row: lifted twice, an unknown one, another org's */
    assert_int_not_equal(bl_app_disruption_lift(e->st, org, &lq, &lr, &d), BL_OK);
    lq.id = 99;
    assert_int_not_equal(bl_app_disruption_lift(e->st, org, &lq, &lr, &d), BL_OK);
    lq.id = id;
    assert_int_not_equal(bl_app_disruption_lift(e->st, rival, &lq, &lr, &d), BL_OK);
    assert_int_equal(count(e, org), 3);
    assert_int_equal(count(e, rival), 0);
}

static void test_settings_tokens(void **state)
{
    struct bl_test_env *e = *state;
    int64_t org = init_org(e, NULL);
    act_as(e, "bob", "cli", 0);
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_app_org_currency_set(e->st, org, "EUR", &d), &d);
    struct bl_app_audit_res res;
    expect_newest(e, org, "org.currency", "bob", "1", &res);
    expect_member(res.rows[0].before, "currency", "null"); /* never set */
    expect_member(res.rows[0].after, "currency", "EUR");
    bl_app_audit_list_res_release(&res);
    assert_int_not_equal(bl_app_org_currency_set(e->st, org, "XXQ", &d), BL_OK);
    assert_int_equal(count(e, org), 1);

    struct bl_app_token_create_req tq = {BL_ROLE_OPERATOR, BL_NO_TIME, "ci", NOW};
    struct bl_app_token_create_res tr;
    BL_ASSERT_OK(bl_app_token_create(e->st, org, &tq, &tr, &d), &d);
    expect_newest(e, org, "token.create", "bob", "1", &res);
    expect_member(res.rows[0].after, "role", "operator");
    expect_member(res.rows[0].after, "label", "ci");
    assert_null(strstr(res.rows[0].after, "blt_")); /* never the secret */
    bl_app_audit_list_res_release(&res);
    struct bl_app_token_revoke_res rr;
    BL_ASSERT_OK(bl_app_token_revoke(e->st, org, tr.id, NOW + 5, &rr, &d), &d);
    expect_newest(e, org, "token.revoke", "bob", "1", &res);
    expect_member(res.rows[0].before, "revoked_at", "null");
    expect_member(res.rows[0].after, "revoked_at", "2023-11-14T22:13:25Z");
    bl_app_audit_list_res_release(&res);
    assert_int_equal(bl_app_token_revoke(e->st, org, tr.id, NOW + 6, &rr, &d), BL_EEXISTS);
    assert_int_equal(count(e, org), 3);
}

static const char shops_csv[] = "id,name,platform,currency,tz,ship_from\n"
                                "s1,Loja Paulista,olist,BRL,America/Sao_Paulo,BR-SP:013\n";
static const char bad_csv[] = "id,name,platform,currency,tz,ship_from\n"
                              "s2,Casa,olist,BRL,Mars/Olympus,BR-RJ\n";

static int import(struct bl_test_env *e, int64_t org, const char *name, const char *text)
{
    char *path = bl_test_write_file(e->dir, name, text, strlen(text));
    struct bl_app_import_req req = {.kind = "shops", .path = path, .now = NOW};
    struct bl_app_import_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_import(e->st, org, &req, &res, &d);
    free(path);
    return rc;
}

static void test_import_and_protect(void **state)
{
    struct bl_test_env *e = *state;
    int64_t org = init_org(e, NULL);
    act_as(e, "carol", "cli", 0);
    assert_int_equal(import(e, org, "shops.csv", shops_csv), BL_OK);
    struct bl_app_audit_res res;
    expect_newest(e, org, "import.batch", "carol", "1", &res);
    expect_member(res.rows[0].after, "kind", "shops");
    expect_member(res.rows[0].after, "records", "1");
    bl_app_audit_list_res_release(&res);
    assert_int_equal(import(e, org, "again.csv", shops_csv), BL_OK); /* the same: nothing new */
    assert_int_not_equal(import(e, org, "bad.csv", bad_csv), BL_OK);
    assert_int_equal(count(e, org), 1);

    struct bl_app_protect_req pq = {"s1", NOW, NOW + 86400, "approved appeal"};
    struct bl_app_protect_res pr;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_app_protect(e->st, org, &pq, &pr, &d), &d);
    expect_newest(e, org, "protection.add", "carol", "1", &res);
    expect_member(res.rows[0].after, "shop", "s1");
    expect_member(res.rows[0].after, "reason", "approved appeal");
    bl_app_audit_list_res_release(&res);
    pq.shop = "nope";
    assert_int_not_equal(bl_app_protect(e->st, org, &pq, &pr, &d), BL_OK);
    assert_int_equal(count(e, org), 2);
}

static void test_list_filters(void **state)
{
    struct bl_test_env *e = *state;
    int64_t org = init_org(e, NULL);
    act_as(e, "alice", "cli", 0);
    declare(e, org);
    act_as(e, "bob", "api", 1);
    declare(e, org);
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_disruption_lift_req lq = {1, NOW + 3600, "bob", NOW + 7200};
    struct bl_app_disruption_lift_res lr;
    BL_ASSERT_OK(bl_app_disruption_lift(e->st, org, &lq, &lr, &d), &d);
    BL_ASSERT_OK(bl_app_org_currency_set(e->st, org, "EUR", &d), &d);

    struct bl_app_audit_res res;
    list(e, org, "alice", NULL, &res);
    assert_int_equal(res.n, 1);
    bl_app_audit_list_res_release(&res);
    list(e, org, NULL, "disruption", &res); /* a kind: every disruption.* */
    assert_int_equal(res.n, 3);
    assert_string_equal(res.rows[0].action, "disruption.lift"); /* newest first */
    bl_app_audit_list_res_release(&res);
    list(e, org, NULL, "disruption.lift", &res);
    assert_int_equal(res.n, 1);
    bl_app_audit_list_res_release(&res);
    list(e, org, NULL, "disrupt", &res); /* not a prefix of words */
    assert_int_equal(res.n, 0);
    bl_app_audit_list_res_release(&res);

    struct bl_app_audit_req req = {NOW + 1, BL_NO_TIME, NULL, NULL, 100, 0};
    BL_ASSERT_OK(bl_app_audit_list(e->st, org, &req, &res, &d), &d);
    assert_int_equal(res.n, 2); /* the lift at NOW + 7200, the currency at the clock's now */
    bl_app_audit_list_res_release(&res);

    req = (struct bl_app_audit_req){BL_NO_TIME, BL_NO_TIME, NULL, NULL, 3, 0};
    BL_ASSERT_OK(bl_app_audit_list(e->st, org, &req, &res, &d), &d);
    assert_int_equal(res.n, 3);
    assert_true(res.more);
    req.before_id = res.rows[2].id;
    bl_app_audit_list_res_release(&res);
    BL_ASSERT_OK(bl_app_audit_list(e->st, org, &req, &res, &d), &d);
    assert_int_equal(res.n, 1);
    assert_false(res.more);
    assert_int_equal(res.rows[0].id, 1);
    bl_app_audit_list_res_release(&res);
}

static int sign_in(struct bl_test_env *e, const char *pw, int64_t now,
                   struct bl_app_session_res *res)
{
    struct bl_app_session_req req = {NULL, "erin", pw, now};
    struct bl_diag d;
    bl_diag_clear(&d);
    return bl_app_session_open(e->st, &req, res, &d);
}

static void test_users_sessions(void **state)
{
    struct bl_test_env *e = *state;
    int64_t org = init_org(e, NULL);
    act_as(e, "root", "cli", 0);
    struct bl_app_user_req uq = {"erin", BL_ROLE_OPERATOR, "correct horse battery", NOW};
    struct bl_app_user_res ur;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_app_user_add(e->st, org, &uq, &ur, &d), &d);
    assert_string_equal(ur.password, ""); /* given, not generated */
    int64_t erin = ur.id;
    assert_int_equal(bl_app_user_add(e->st, org, &uq, &ur, &d), BL_EEXISTS);
    uq.name = "bad name";
    assert_int_equal(bl_app_user_add(e->st, org, &uq, &ur, &d), BL_EINVAL);
    uq.role = BL_ROLE_PLATFORM; /* not a marketplace */
    uq.name = "pat";
    assert_int_equal(bl_app_user_add(e->st, org, &uq, &ur, &d), BL_EINVAL);
    assert_int_equal(count(e, org), 1);

    act_as(e, "anonymous", "api", 0);
    struct bl_app_session_res sr;
    BL_ASSERT_OK(sign_in(e, "correct horse battery", NOW + 1, &sr), &d);
    assert_int_equal(sr.role, BL_ROLE_OPERATOR);
    assert_int_equal(sr.expires_at, NOW + 1 + BL_SESSION_TTL);
    struct bl_app_audit_res res;
    expect_newest(e, org, "session.open", "erin", NULL, &res);
    assert_int_equal(res.rows[0].user_id, erin);
    bl_app_audit_list_res_release(&res);
    struct bl_app_token_auth_res a;
    BL_ASSERT_OK(bl_app_token_auth(e->st, sr.token, strlen(sr.token), NOW + 2, &a, &d), &d);
    assert_int_equal(a.user_id, erin);
    assert_string_equal(a.label, "erin");
    assert_int_equal(
        bl_app_token_auth(e->st, sr.token, strlen(sr.token), NOW + 2 + BL_SESSION_TTL, &a, &d),
        BL_ENOTFOUND); /* expired */

    for (int i = 1; i < BL_SIGNIN_TRIES; i++) {
        assert_int_equal(sign_in(e, "wrong password", NOW + 10, &sr), BL_ENOTFOUND);
        assert_int_equal(sr.reason, BL_SESSION_NO_MATCH);
    }
    assert_int_equal(sign_in(e, "wrong password", NOW + 10, &sr), BL_ECONFLICT);
    assert_int_equal(sr.reason, BL_SESSION_LOCKED);
    assert_int_equal(sr.locked_until, NOW + 10 + BL_SIGNIN_LOCK);
    assert_int_equal(sign_in(e, "correct horse battery", NOW + 20, &sr), BL_ECONFLICT);
    expect_newest(e, org, "user.lock", "anonymous", "erin", &res);
    bl_app_audit_list_res_release(&res);
    BL_ASSERT_OK(sign_in(e, "correct horse battery", NOW + 11 + BL_SIGNIN_LOCK, &sr), &d);

    act_as(e, "root", "cli", 0);
    uq = (struct bl_app_user_req){"erin", BL_ROLE_NONE, NULL, NOW + 2000};
    BL_ASSERT_OK(bl_app_user_passwd(e->st, org, &uq, &ur, &d), &d);
    assert_true(strlen(ur.password) >= 20); /* generated */
    assert_int_equal(ur.sessions_ended, 2); /* both sign-ins still open */
    BL_ASSERT_OK(bl_app_user_remove(e->st, org, &uq, &ur, &d), &d);
    expect_newest(e, org, "user.remove", "root", "erin", &res);
    expect_member(res.rows[0].before, "role", "operator");
    assert_null(strstr(res.rows[0].before, "argon"));
    bl_app_audit_list_res_release(&res);
    assert_int_equal(bl_app_user_remove(e->st, org, &uq, &ur, &d), BL_ENOTFOUND);
    assert_int_equal(sign_in(e, "correct horse battery", NOW + 3000, &sr), BL_ENOTFOUND);
}

/* A user's language (the dashboard's switch): kept, read back, audited when it changes,
 * cleared with NULL; a language the dashboard has no words for, or no such user, refused. */
static void test_user_language(void **state)
{
    struct bl_test_env *e = *state;
    int64_t org = init_org(e, NULL);
    act_as(e, "root", "cli", 0);
    struct bl_app_user_req uq = {"lin", BL_ROLE_VIEWER, "correct horse battery", NOW};
    struct bl_app_user_res ur;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_app_user_add(e->st, org, &uq, &ur, &d), &d);
    char lang[16] = "x";
    BL_ASSERT_OK(bl_app_user_language(e->st, org, ur.id, lang, sizeof(lang), &d), &d);
    assert_string_equal(lang, ""); /* none chosen */
    act_as(e, "lin", "api", 0);
    BL_ASSERT_OK(bl_app_user_language_set(e->st, org, ur.id, "zh-CN", NOW + 1, &d), &d);
    BL_ASSERT_OK(bl_app_user_language(e->st, org, ur.id, lang, sizeof(lang), &d), &d);
    assert_string_equal(lang, "zh-CN");
    struct bl_app_audit_res res;
    expect_newest(e, org, "user.language", "lin", "lin", &res);
    expect_member(res.rows[0].before, "language", "null");
    expect_member(res.rows[0].after, "language", "zh-CN");
    bl_app_audit_list_res_release(&res);
    int64_t rows = count(e, org);
    BL_ASSERT_OK(bl_app_user_language_set(e->st, org, ur.id, "zh-CN", NOW + 2, &d), &d);
    assert_int_equal(count(e, org), rows); /* no change, no row */
    assert_int_equal(bl_app_user_language_set(e->st, org, ur.id, "fr", NOW + 3, &d), BL_EINVAL);
    assert_string_equal(d.field, "language");
    assert_int_equal(bl_app_user_language_set(e->st, org, ur.id + 99, "en", NOW + 3, &d),
                     BL_ENOTFOUND);
    assert_int_equal(count(e, org), rows); /* refused: nothing written */
    BL_ASSERT_OK(bl_app_user_language_set(e->st, org, ur.id, NULL, NOW + 4, &d), &d);
    BL_ASSERT_OK(bl_app_user_language(e->st, org, ur.id, lang, sizeof(lang), &d), &d);
    assert_string_equal(lang, "");
    assert_int_equal(count(e, org), rows + 1);
}

#define TESTS                                                                                      \
    BL_TEST_FRESH(test_disruption_changes), BL_TEST_FRESH(test_settings_tokens),                   \
        BL_TEST_FRESH(test_import_and_protect), BL_TEST_FRESH(test_list_filters),                  \
        BL_TEST_FRESH(test_users_sessions), BL_TEST_FRESH(test_user_language)

int main(void)
{
    const struct CMUnitTest tests[] = {TESTS};
    int failed =
        cmocka_run_group_tests_name("app_audit/sqlite", tests, setup_sqlite, bl_test_env_teardown);
    if (!getenv("BL_PG_URL_FILE")) {
        fprintf(stderr, "app_audit_test: BL_PG_URL_FILE is not set; skipping the PostgreSQL "
                        "tests (see the top of tests/unit/app_audit_test.c)\n");
        return failed;
    }
    env_pg.url = bl_test_pg_url();
    if (!env_pg.url) {
        fprintf(stderr, "app_audit_test: cannot read the PostgreSQL URL from BL_PG_URL_FILE=%s\n",
                getenv("BL_PG_URL_FILE"));
        return failed + 1;
    }
    failed +=
        cmocka_run_group_tests_name("app_audit/postgres", tests, setup_pg, bl_test_env_teardown);
    free(env_pg.url);
    return failed;
}
