/* app_token_test.c - the HTTP API's tokens and idempotency keys (src/app/token.h, idem.h) on
 * SQLite and PostgreSQL: a token authenticates as its organisation and role; only a hash is
 * stored; a wrong secret, another organisation, a malformed text, an expired or a revoked
 * token is refused with its reason; an Idempotency-Key replays the first answer, refuses
 * another request, and says when the first is still running.
 *
 * Every test gets a fresh SQLite file, or a PostgreSQL schema of its own; under ctest the
 * "pg" fixture starts the server and BL_PG_URL_FILE names its URL (else that group is
 * skipped with a message).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "app/data.h"
#include "app/idem.h"
#include "app/token.h"

static struct bl_test_env env_sqlite;
static struct bl_test_env env_pg;

static const int64_t NOW = 1700000000;

static int setup_sqlite(void **state)
{
    return bl_test_env_setup_sqlite(state, &env_sqlite, "app_token_test");
}

static int setup_pg(void **state)
{
    return bl_test_env_setup_pg(state, &env_pg, "app_token_test");
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

static struct bl_app_token_create_res make(struct bl_test_env *e, int64_t org,
                                           enum bl_app_role role, int64_t expires)
{
    struct bl_app_token_create_req req = {role, expires, "ci", NOW};
    struct bl_app_token_create_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_app_token_create(e->st, org, &req, &res, &d), &d);
    return res;
}

static int auth(struct bl_test_env *e, const char *text, int64_t now,
                struct bl_app_token_auth_res *res)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_token_auth(e->st, text, strlen(text), now, res, &d);
    if (rc)
        assert_true(d.msg[0] != '\0');
    return rc;
}

static void test_token_auth(void **state)
{
    struct bl_test_env *e = *state;
    int64_t org = init_org(e, NULL), rival = init_org(e, "rival");
    struct bl_app_token_create_res t = make(e, org, BL_ROLE_OPERATOR, BL_NO_TIME);
    struct bl_app_token_create_res r = make(e, rival, BL_ROLE_VIEWER, BL_NO_TIME);
    assert_int_equal(t.id, 1);
    assert_int_equal(r.id, 1); /* ids are per organisation */
    struct bl_app_token_auth_res a;
    assert_int_equal(auth(e, t.token, NOW, &a), BL_OK);
    assert_int_equal(a.org, org);
    assert_int_equal(a.role, BL_ROLE_OPERATOR);
    assert_string_equal(a.label, "ci");
    assert_int_equal(auth(e, r.token, NOW, &a), BL_OK);
    assert_int_equal(a.org, rival);

    /* only a hash is kept: no column holds the token's text */
    struct bl_val p = bl_val_text(bl_str_c(strrchr(t.token, '_') + 1));
    int64_t n = -1;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_store_query_int(e->st,
                                    "SELECT COUNT(*) FROM api_token WHERE role = $1 OR label = $1",
                                    &p, 1, &n, &d),
                 &d);
    assert_int_equal(n, 0);

    /* the right id, the wrong secret; the right secret, another organisation */
    char forged[BL_TOKEN_TEXT];
    snprintf(forged, sizeof(forged), "%s", t.token);
    char *last = forged + strlen(forged) - 2; /* not the final char: its low bits are padding */
    *last = *last == 'A' ? 'B' : 'A';
    assert_int_equal(auth(e, forged, NOW, &a), BL_ENOTFOUND);
    assert_int_equal(a.reason, BL_TOKEN_NO_MATCH);
    char moved[BL_TOKEN_TEXT];
    snprintf(moved, sizeof(moved), "blt_%lld%s", (long long)rival, strchr(t.token + 4, '_'));
    assert_int_equal(auth(e, moved, NOW, &a), BL_ENOTFOUND);
    assert_int_equal(a.reason, BL_TOKEN_NO_MATCH);
    assert_int_equal(a.org, 0);

    static const char *const bad[] = {"", "blt_", "Bearer x", "blt_1_1_short", "blt_-1_1_AAAA",
                                      "blt_1_x_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(auth(e, bad[i], NOW, &a), BL_EPARSE);
        assert_int_equal(a.reason, BL_TOKEN_MALFORMED);
    }
}

static void test_token_expiry_and_revoke(void **state)
{
    struct bl_test_env *e = *state;
    int64_t org = init_org(e, NULL);
    struct bl_app_token_create_res t = make(e, org, BL_ROLE_ADMIN, NOW + 60);
    struct bl_app_token_auth_res a;
    assert_int_equal(auth(e, t.token, NOW + 59, &a), BL_OK);
    assert_int_equal(auth(e, t.token, NOW + 60, &a), BL_ENOTFOUND);
    assert_int_equal(a.reason, BL_TOKEN_EXPIRED);
    assert_int_equal(a.at, NOW + 60);

    struct bl_app_token_create_res u = make(e, org, BL_ROLE_VIEWER, BL_NO_TIME);
    struct bl_app_token_revoke_res rv;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_app_token_revoke(e->st, org, u.id, NOW + 5, &rv, &d), &d);
    assert_int_equal(auth(e, u.token, NOW + 4, &a), BL_OK); /* before the revocation */
    assert_int_equal(auth(e, u.token, NOW + 5, &a), BL_ENOTFOUND);
    assert_int_equal(a.reason, BL_TOKEN_REVOKED);
    assert_int_equal(bl_app_token_revoke(e->st, org, u.id, NOW + 6, &rv, &d), BL_EEXISTS);
    assert_int_equal(rv.reason, BL_TOKEN_ALREADY);
    assert_int_equal(bl_app_token_revoke(e->st, org, 99, NOW, &rv, &d), BL_ENOTFOUND);
    assert_int_equal(rv.reason, BL_TOKEN_UNKNOWN);

    struct bl_app_token_create_req past = {BL_ROLE_VIEWER, NOW - 1, NULL, NOW};
    struct bl_app_token_create_res pr;
    assert_int_equal(bl_app_token_create(e->st, org, &past, &pr, &d), BL_EINVAL);
    assert_string_equal(d.field, "expires");

    struct bl_app_token_list_res l;
    BL_ASSERT_OK(bl_app_token_list(e->st, org, &l, &d), &d);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.tokens[0].role, "admin");
    assert_int_equal(l.tokens[0].expires_at, NOW + 60);
    assert_int_equal(l.tokens[1].revoked_at, NOW + 5);
    bl_app_token_list_res_release(&l);
}

#define LEASE 600 /* seconds a claim lasts in these tests */

static int begin_at(struct bl_test_env *e, int64_t org, const char *key, const char *body,
                    int64_t now, struct bl_app_idem_res *res)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    return bl_app_idem_begin(e->st, org, key, "POST /api/v1/disruptions", bl_str_c(body), now,
                             LEASE, res, &d);
}

static int begin(struct bl_test_env *e, int64_t org, const char *key, const char *body,
                 struct bl_app_idem_res *res)
{
    return begin_at(e, org, key, body, NOW, res);
}

static void test_idempotency(void **state)
{
    struct bl_test_env *e = *state;
    int64_t org = init_org(e, NULL), rival = init_org(e, "rival");
    struct bl_app_idem_res r;
    struct bl_diag d;
    bl_diag_clear(&d);
    assert_int_equal(begin(e, org, "k1", "{\"a\":1}", &r), BL_OK);
    assert_int_equal(r.state, BL_IDEM_NEW);
    assert_int_equal(begin(e, org, "k1", "{\"a\":1}", &r), BL_OK);
    assert_int_equal(r.state, BL_IDEM_BUSY); /* the first is still running */
    BL_ASSERT_OK(bl_app_idem_done(e->st, org, "k1", 201, BL_STR("{\"id\":7}"), &d), &d);
    assert_int_equal(begin(e, org, "k1", "{\"a\":1}", &r), BL_OK);
    assert_int_equal(r.state, BL_IDEM_REPLAY);
    assert_int_equal(r.status, 201);
    assert_string_equal(r.body, "{\"id\":7}");
    bl_app_idem_res_release(&r);
    assert_int_equal(begin(e, org, "k1", "{\"a\":2}", &r), BL_OK);
    assert_int_equal(r.state, BL_IDEM_MISMATCH);
    assert_int_equal(begin(e, rival, "k1", "{\"a\":2}", &r), BL_OK);
    assert_int_equal(r.state, BL_IDEM_NEW); /* keys are per organisation */

    assert_int_equal(begin(e, org, "k2", "{}", &r), BL_OK);
    BL_ASSERT_OK(bl_app_idem_abandon(e->st, org, "k2", &d), &d);
    assert_int_equal(begin(e, org, "k2", "{}", &r), BL_OK);
    assert_int_equal(r.state, BL_IDEM_NEW); /* given back: may be tried again */

    assert_int_equal(begin(e, org, "with space", "{}", &r), BL_EINVAL);
    assert_int_equal(begin(e, org, "", "{}", &r), BL_EINVAL);
}

/* A request that died holding its key (a crash between the claim and the answer): within
 * the lease a retry is told the request is running; after it, the retry takes the key over
 * and runs, once; an answered key never expires into a second run. */
static void test_idempotency_lease(void **state)
{
    struct bl_test_env *e = *state;
    int64_t org = init_org(e, NULL);
    struct bl_app_idem_res r;
    struct bl_diag d;
    bl_diag_clear(&d);
    assert_int_equal(begin_at(e, org, "dead", "{}", NOW, &r), BL_OK);
    assert_int_equal(r.state, BL_IDEM_NEW); /* ... and the server dies here */
    assert_int_equal(begin_at(e, org, "dead", "{}", NOW + LEASE, &r), BL_OK);
    assert_int_equal(r.state, BL_IDEM_BUSY); /* the lease is not over: it may be running */
    assert_int_equal(begin_at(e, org, "dead", "{}", NOW + LEASE + 1, &r), BL_OK);
    assert_int_equal(r.state, BL_IDEM_NEW); /* taken over */
    assert_int_equal(begin_at(e, org, "dead", "{}", NOW + LEASE + 2, &r), BL_OK);
    assert_int_equal(r.state, BL_IDEM_BUSY); /* the new claim has a lease of its own */
    BL_ASSERT_OK(bl_app_idem_done(e->st, org, "dead", 201, BL_STR("{\"id\":9}"), &d), &d);
    assert_int_equal(begin_at(e, org, "dead", "{}", NOW + 100 * LEASE, &r), BL_OK);
    assert_int_equal(r.state, BL_IDEM_REPLAY); /* answered: replayed, never run again */
    assert_string_equal(r.body, "{\"id\":9}");
    bl_app_idem_res_release(&r);
    /* a dead claim taken over by another request's body is that body's now */
    assert_int_equal(begin_at(e, org, "dead2", "{\"a\":1}", NOW, &r), BL_OK);
    assert_int_equal(begin_at(e, org, "dead2", "{\"a\":2}", NOW + 2 * LEASE, &r), BL_OK);
    assert_int_equal(r.state, BL_IDEM_NEW);
    assert_int_equal(begin_at(e, org, "dead2", "{\"a\":1}", NOW + 2 * LEASE, &r), BL_OK);
    assert_int_equal(r.state, BL_IDEM_MISMATCH);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        BL_TEST_FRESH(test_token_auth),
        BL_TEST_FRESH(test_token_expiry_and_revoke),
        BL_TEST_FRESH(test_idempotency),
        BL_TEST_FRESH(test_idempotency_lease),
    };
    int failed =
        cmocka_run_group_tests_name("app_token/sqlite", tests, setup_sqlite, bl_test_env_teardown);
    if (!getenv("BL_PG_URL_FILE")) {
        fprintf(stderr, "app_token_test: BL_PG_URL_FILE is not set; skipping the PostgreSQL "
                        "tests (see the top of tests/unit/app_token_test.c)\n");
        return failed;
    }
    env_pg.url = bl_test_pg_url();
    if (!env_pg.url) {
        fprintf(stderr, "app_token_test: cannot read the PostgreSQL URL from BL_PG_URL_FILE=%s\n",
                getenv("BL_PG_URL_FILE"));
        return failed + 1;
    }
    failed +=
        cmocka_run_group_tests_name("app_token/postgres", tests, setup_pg, bl_test_env_teardown);
    free(env_pg.url);
    return failed;
}
