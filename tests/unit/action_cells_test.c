/* action_cells_test.c - the words around an action's reason in the tables of `ballast
 * actions` and `ballast playbook` (src/app/action_cells.c): every kind, field, value,
 * state and column has its Chinese words in the pack; the English values the table shows
 * without a pack are the en pack's; days and instants in the locale's words. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "app/action_cells.h"
#include "app/digest.h"
#include "app/stock.h"
#include "store/stock.h"
#include "ballast/time.h"

static bool has_cjk(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0xe3) /* a CJK ideograph's lead byte in UTF-8 */
            return true;
    return false;
}

static void expect_zh(const char *what, const char *code, const char *got)
{
    if (!has_cjk(got))
        fail_msg("%s %s has no Chinese words: %s", what, code, got);
}

static void test_every_code_in_chinese(void **state)
{
    (void)state;
    struct bl_words *zh = bl_test_words("zh-CN");
    static const char *const cols[] = {
        "id",    "op",    "kind",   "target",        "field",      "before",     "after",
        "state", "as_of", "reason", "reverted_when", "decided_by", "decided_at", "decision_note"};
    for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
        expect_zh("column", cols[i], bl_app_action_word(zh, "action_columns", cols[i]));
    static const char *const states[] = {"proposed", "applied",   "undone", "rejected",
                                         "reverted", "withdrawn", "expired"};
    for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
        expect_zh("state", states[i], bl_app_action_word(zh, "action_states", states[i]));
    char b0[80], b1[80];
    for (int k = 0; k < BL_PB_NKINDS; k++) {
        const char *name = bl_pb_kind_name((enum bl_pb_kind)k);
        expect_zh("kind", name, bl_app_action_word(zh, "action_kinds", name));
        expect_zh("field", name,
                  bl_app_action_word(zh, "action_fields", bl_app_action_field((enum bl_pb_kind)k)));
        expect_zh("undone", name, bl_app_action_reverts_text(zh, (enum bl_pb_kind)k));
        int64_t lo = k == BL_PB_OUT_OF_STOCK || k == BL_PB_DELIST ? BL_PB_ACTIVE : 0;
        int64_t hi = k == BL_PB_OUT_OF_STOCK ? BL_PB_OUT_OF_STOCK_L
                     : k == BL_PB_DELIST     ? BL_PB_DELISTED
                                             : 1;
        expect_zh("value", name, bl_app_action_value(zh, (enum bl_pb_kind)k, lo, b0, sizeof(b0)));
        expect_zh("value", name, bl_app_action_value(zh, (enum bl_pb_kind)k, hi, b1, sizeof(b1)));
    }
    assert_string_equal(bl_app_action_value(zh, BL_PB_PAUSE_MAIL, 1, b0, sizeof(b0)),
                        "营销邮件已暂停");
    assert_string_equal(bl_app_action_value(zh, BL_PB_EXTEND_HANDLING, 8, b0, sizeof(b0)), "8 天");
    assert_string_equal(
        bl_app_action_value(zh, BL_PB_OUT_OF_STOCK, BL_PB_OUT_OF_STOCK_L, b0, sizeof(b0)), "缺货");
    assert_string_equal(bl_app_action_reverts_text(zh, BL_PB_PAUSE_MAIL), "不再有无法避免的缺货时");
    assert_string_equal(bl_app_action_word(zh, "action_states", "nope"), "nope");
    bl_app_words_free(zh);
}

/* The English table words a value from the en pack; an unknown value or a count as it is,
 * and so does a table without a pack. */
static void test_english_values(void **state)
{
    (void)state;
    struct bl_words *en = bl_test_words("en");
    char a[80];
    assert_string_equal(bl_app_action_value(en, BL_PB_PAUSE_MAIL, 0, a, sizeof(a)), "mail on");
    assert_string_equal(bl_app_action_value(en, BL_PB_PAUSE_PROMOTION, 0, a, sizeof(a)),
                        "not promoted");
    assert_string_equal(bl_app_action_value(en, BL_PB_VACATION, 1, a, sizeof(a)), "on vacation");
    assert_string_equal(bl_app_action_value(en, BL_PB_DELIST, BL_PB_OUT_OF_STOCK_L, a, sizeof(a)),
                        "out of stock");
    assert_string_equal(bl_app_action_value(en, BL_PB_EXTEND_HANDLING, 13, a, sizeof(a)), "13");
    assert_string_equal(bl_app_action_value(NULL, BL_PB_DELIST, BL_PB_OUT_OF_STOCK_L, a, sizeof(a)),
                        "out of stock");
    assert_string_equal(bl_app_action_value(NULL, BL_PB_EXTEND_HANDLING, 13, a, sizeof(a)), "13");
    assert_string_equal(bl_app_action_reverts_text(NULL, BL_PB_DELIST),
                        "when the SKU has sellable stock again");
    /* a decision's count agrees with its noun and is grouped as the locale writes it */
    assert_string_equal(bl_app_action_decision(en, "set_rejected", NULL, 1, a, sizeof(a)),
                        "1 proposed action rejected (nothing changed)");
    assert_string_equal(bl_app_action_decision(en, "set_rejected", NULL, 1234, a, sizeof(a)),
                        "1,234 proposed actions rejected (nothing changed)");
    assert_string_equal(bl_app_action_decision(en, "more", NULL, 1, a, sizeof(a)),
                        "1 action; run with --apply to record it");
    assert_string_equal(bl_app_action_decision(en, "more", NULL, 2, a, sizeof(a)),
                        "2 actions; run with --apply to record them");
    bl_app_words_free(en);
}

static void test_days_and_decisions(void **state)
{
    (void)state;
    struct bl_words *zh = bl_test_words("zh-CN");
    int64_t day = 0;
    assert_int_equal(bl_date_parse(bl_str_c("2024-11-15"), &day, NULL), 0);
    char buf[120];
    assert_string_equal(bl_app_action_day(NULL, "zh-CN", day, buf, sizeof(buf)), "2024年11月15日");
    assert_string_equal(
        bl_app_action_instant(NULL, "zh-CN", day * 86400 + 8 * 3600 + 5 * 60 + 9, buf, sizeof(buf)),
        "2024年11月15日 08:05 UTC");
    assert_string_equal(bl_app_action_decision(zh, "rejected", "12", 0, buf, sizeof(buf)),
                        "操作 12 已拒绝");
    assert_string_equal(bl_app_action_decision(zh, "set_rejected", NULL, 3, buf, sizeof(buf)),
                        "已拒绝 3 项待批准的操作（未做任何改动）");
    assert_string_equal(bl_app_action_decision(zh, "set_rejected", NULL, 12345, buf, sizeof(buf)),
                        "已拒绝 12,345 项待批准的操作（未做任何改动）");
    assert_null(bl_app_action_decision(NULL, "rejected", "12", 0, buf, sizeof(buf)));
    assert_string_equal(bl_app_action_actor(zh, "API token 'ops desk'", buf, sizeof(buf)),
                        "API 令牌“ops desk”");
    assert_string_equal(bl_app_action_actor(zh, "API token 7", buf, sizeof(buf)), "API 令牌 #7");
    assert_string_equal(bl_app_action_actor(zh, "alice", buf, sizeof(buf)), "alice");
    assert_string_equal(
        bl_app_action_actor(zh, "API token 'ops' of marketplace 'mall'", buf, sizeof(buf)),
        "API 令牌“ops”（代表市场 mall）");
    assert_string_equal(bl_app_action_actor(NULL, "API token 7", buf, sizeof(buf)), "API token 7");
    bl_app_words_free(zh);
}

/* Why an action closed, from the numbers its data keeps; none kept: NULL (the caller shows
 * the stored close reason). */
static void test_close_words(void **state)
{
    (void)state;
    struct bl_words *zh = bl_test_words("zh-CN"), *en = bl_test_words("en");
    struct bl_stock_action x;
    memset(&x, 0, sizeof(x));
    x.data = "{\"available\":15,\"daily\":3.84,\"close\":{\"why\":\"stock_back\",\"available\":15,"
             "\"count\":0,\"after\":0,\"stockout\":\"2024-12-23\"}}";
    char buf[200];
    assert_string_equal(bl_app_action_close_text(zh, "zh-CN", NULL, &x, buf, sizeof(buf)),
                        "库存恢复：可用 15，下次缺货 2024年12月23日");
    assert_string_equal(bl_app_action_close_text(en, "en", NULL, &x, buf, sizeof(buf)),
                        "stock back: 15 available, next stock-out Dec 23, 2024");
    x.data = "{\"close\":{\"why\":\"restocked\",\"available\":1234}}";
    assert_string_equal(bl_app_action_close_text(zh, "zh-CN", NULL, &x, buf, sizeof(buf)),
                        "已补货：可用 1,234 件");
    x.data = "{\"available\":15}";
    assert_null(bl_app_action_close_text(zh, "zh-CN", NULL, &x, buf, sizeof(buf)));
    assert_null(bl_app_action_close_text(NULL, "zh-CN", NULL, &x, buf, sizeof(buf)));
    bl_app_words_free(zh);
    bl_app_words_free(en);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_code_in_chinese),
        cmocka_unit_test(test_english_values),
        cmocka_unit_test(test_days_and_decisions),
        cmocka_unit_test(test_close_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
