/* app_actor_test.c - who did something, as histories keep it (app/actor.h): the text the
 * API stores for a person, a token by label or id, and a marketplace acting on a merchant,
 * and its parts read back for a front end to word (GET /api/v1/actions' decided_by_actor,
 * a disruption's history by_actor). No SQL: no store. */
#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "app/actor.h"

static void back(const char *text, enum bl_app_actor_kind kind, const char *name, int64_t id,
                 const char *market)
{
    struct bl_app_actor a;
    bl_app_actor_parse(text, &a);
    assert_int_equal(a.kind, kind);
    assert_string_equal(a.name, name);
    assert_int_equal(a.token_id, id);
    assert_string_equal(a.marketplace, market);
    char again[400];
    assert_string_equal(bl_app_actor_format(&a, again, sizeof(again)), text);
}

static void test_forms(void **state)
{
    (void)state;
    back("alice", BL_ACTOR_PERSON, "alice", 0, "");
    back("API token 'ops desk'", BL_ACTOR_TOKEN, "ops desk", 0, "");
    back("API token 7", BL_ACTOR_TOKEN, "", 7, "");
    back("API token 'mall desk' of marketplace 'mall'", BL_ACTOR_TOKEN, "mall desk", 0, "mall");
    back("pat of marketplace 'mall'", BL_ACTOR_PERSON, "pat", 0, "mall");
    back("API token 12 of marketplace 'mall'", BL_ACTOR_TOKEN, "", 12, "mall");
    /* the command line's local user, and what a history wrote before tokens existed */
    back("uid 1000", BL_ACTOR_PERSON, "uid 1000", 0, "");
    back("root", BL_ACTOR_PERSON, "root", 0, "");
}

/* A label may hold anything: quotes, even what looks like a marketplace. */
static void test_labels(void **state)
{
    (void)state;
    back("API token 'it's mine'", BL_ACTOR_TOKEN, "it's mine", 0, "");
    back("API token 'a of marketplace 'x''", BL_ACTOR_TOKEN, "a of marketplace 'x'", 0, "");
    /* not a token: no quotes, not a number */
    back("API token x", BL_ACTOR_PERSON, "API token x", 0, "");
    back("API token", BL_ACTOR_PERSON, "API token", 0, "");
}

static void test_null(void **state)
{
    (void)state;
    struct bl_app_actor a;
    bl_app_actor_parse(NULL, &a);
    assert_int_equal(a.kind, BL_ACTOR_PERSON);
    assert_string_equal(a.name, "");
    assert_string_equal(bl_app_actor_kind_name(BL_ACTOR_TOKEN), "token");
    assert_string_equal(bl_app_actor_kind_name(BL_ACTOR_PERSON), "person");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forms),
        cmocka_unit_test(test_labels),
        cmocka_unit_test(test_null),
    };
    return cmocka_run_group_tests_name("app_actor", tests, NULL, NULL);
}
