/* action_words_test.c - an action's reason in the reader's words (src/app/action_words.c)
 * from the packs in templates/operator/: the playbook's own kinds and a what-if's, in
 * English and Chinese, with days, numbers and money in the locale; an expired proposal
 * says why from its kind and day; an action without its numbers keeps its sentence in
 * English and says so in Chinese. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "app/action_words.h"
#include "app/stock_impl.h"
#include "app/digest.h"
#include "ballast/playbook.h"
#include "ballast/time.h"

static int64_t day(const char *iso)
{
    int64_t n = 0;
    assert_int_equal(bl_date_parse(bl_str_c(iso), &n, NULL), 0);
    return n;
}

static struct bl_stock_action action(enum bl_pb_kind k, const char *state, const char *data)
{
    struct bl_stock_action x;
    memset(&x, 0, sizeof(x));
    x.kind = k;
    x.kind_known = true;
    x.kind_text = bl_pb_kind_name(k);
    x.state = state;
    x.data = data;
    x.why = "the stored sentence";
    x.by_day = x.until_day = BL_STOCK_NULL;
    return x;
}

static void check(struct bl_words *w, const char *locale, const struct bl_stock_action *x,
                  const char *want)
{
    char buf[2048];
    const char *got = bl_app_action_reason(w, locale, NULL, x, buf, sizeof(buf));
    if (strcmp(got, want) != 0)
        fail_msg("%s:\n got  %s\n want %s", locale, got, want);
}

static void test_playbook_kinds(void **state)
{
    (void)state;
    struct bl_words *en = bl_test_words("en"), *zh = bl_test_words("zh-CN");
    struct bl_stock_action x =
        action(BL_PB_PAUSE_MAIL, "applied",
               "{\"available\":1234,\"inbound\":0,\"daily\":1.20,\"stockout\":\"2024-12-04\","
               "\"restock\":null,\"until\":null}");
    check(en, "en", &x,
          "A stock-out on Dec 4, 2024 cannot be avoided (1,234 available, 1.20 sold a day, "
          "no restock expected).");
    check(zh, "zh-CN", &x,
          "2024年12月4日的缺货无法避免（可用 1,234，日销 1.20，暂无补货）。");
    x = action(BL_PB_PAUSE_PROMOTION, "applied",
               "{\"available\":0,\"inbound\":30,\"daily\":2,\"stockout\":\"2024-11-16\","
               "\"restock\":\"2024-11-30\",\"until\":null,\"spend_a_day\":\"39.50\","
               "\"currency\":\"USD\"}");
    check(en, "en", &x,
          "It is out of stock now (0 available, 2.00 sold a day, restock Nov 30, 2024): paying "
          "to promote it would sell what cannot ship. Pausing it saves $39.50 a day.");
    check(zh, "zh-CN", &x,
          "已经缺货（可用 0，日销 2.00，补货 2024年11月30日）：继续付费推广只会"
          "卖出发不了的货。暂停推广每天节省 US$39.50。");
    /* out already and not selling: no stock-out day to name ("a stock-out on never") */
    x = action(BL_PB_PAUSE_MAIL, "applied",
               "{\"available\":0,\"inbound\":0,\"daily\":0,\"stockout\":null,"
               "\"restock\":null,\"until\":null}");
    check(en, "en", &x,
          "It is out of stock now (0 available, 0.00 sold a day, no restock expected).");
    check(zh, "zh-CN", &x, "已经缺货（可用 0，日销 0.00，暂无补货）。");
    /* nothing sellable: what is on hand and reserved, the same facts in both languages as
     * in the stored sentence ("no sellable stock (3 on hand, 3 reserved)") */
    x = action(BL_PB_OUT_OF_STOCK, "applied",
               "{\"available\":0,\"inbound\":0,\"on_hand\":1200,\"reserved\":1200,\"daily\":0,"
               "\"stockout\":null,\"restock\":\"2024-11-25\",\"until\":null}");
    check(en, "en", &x,
          "No sellable stock (1,200 on hand, 1,200 reserved for open orders); the restock is "
          "expected on Nov 25, 2024.");
    check(zh, "zh-CN", &x,
          "无可售库存（在库 1,200，已被订单占用 1,200）；预计补货日期：2024年11月25日。");
    /* kept before on hand was: what it has */
    x = action(BL_PB_OUT_OF_STOCK, "applied",
               "{\"available\":0,\"inbound\":0,\"daily\":0,\"stockout\":null,"
               "\"restock\":null,\"until\":null}");
    check(en, "en", &x, "No sellable stock (0 available); no restock is expected.");
    check(zh, "zh-CN", &x, "无可售库存（可用 0）；暂无补货计划。");
    x = action(BL_PB_EXTEND_HANDLING, "proposed", "{\"until\":null}");
    check(zh, "zh-CN", &x, "所有有货的仓库都位于中断地区，直至 另行通知前。");
    x = action(BL_PB_DELIST, "proposed", NULL); /* recorded before the numbers were kept */
    check(en, "en", &x, "the stored sentence");
    check(zh, "zh-CN", &x, "策略手册没有为此操作记录数据。");
    bl_app_words_free(en);
    bl_app_words_free(zh);
}

static const char po_data[] =
    "{\"source\":\"rush.csv\",\"plan\":1,\"step\":2,\"sku\":\"SKU-00005\","
    "\"sku_name\":\"Drawer organiser\",\"units\":1200,\"by\":\"2024-11-16\","
    "\"arrival\":\"2024-11-28\",\"cost\":\"445.05\",\"saving\":\"1200.00\",\"currency\":\"USD\","
    "\"supplier\":\"Ningbo Backup\",\"warehouse\":\"Duisburg\"}";

/* The rate a day the stored English sentence shows ("1.50/day") and the one a pack words
 * again from the numbers kept beside it (action.data) are the same figure, rounded once:
 * a mean of 1.50499 is 1.50 in both (it was 1.50 and 1.51: the data kept 1.505, rounded
 * again), 0.615 (0.61499... in binary) 0.61, 0.6151 0.62. */
static void test_rate_agrees(void **state)
{
    (void)state;
    struct bl_words *en = bl_test_words("en"), *zh = bl_test_words("zh-CN");
    static const double means[] = {1.50499, 1.505001, 0.405, 0.6151, 0.615, 1.2, 2.0 / 3.0, 0};
    static const char *const want[] = {"1.50", "1.51", "0.41", "0.62",
                                       "0.61", "1.20", "0.67", "0.00"};
    for (size_t i = 0; i < sizeof(means) / sizeof(means[0]); i++) {
        struct bl_pb_action p;
        memset(&p, 0, sizeof(p));
        p.kind = BL_PB_PAUSE_MAIL;
        p.why = BL_PB_WHY_STOCKOUT_SOON;
        p.available = 11;
        p.daily_mean = means[i];
        p.stockout_day = day("2024-11-22");
        p.restock_day = day("2024-11-25");
        p.until_day = BL_RP_NEVER;
        char why[400], data[400], stored[64], en_want[160], zh_want[160];
        bl_app_stock_action_text(&p, why, sizeof(why));
        bl__stock_action_data(&p, NULL, data, sizeof(data), why, sizeof(why));
        snprintf(stored, sizeof(stored), "11 available, %s/day,", want[i]);
        if (!strstr(why, stored))
            fail_msg("the stored sentence: %s (want %s)", why, stored);
        struct bl_stock_action x = action(BL_PB_PAUSE_MAIL, "applied", data);
        snprintf(en_want, sizeof(en_want),
                 "A stock-out on Nov 22, 2024 cannot be avoided (11 available, %s sold a day, "
                 "restock Nov 25, 2024).",
                 want[i]);
        check(en, "en", &x, en_want);
        snprintf(zh_want, sizeof(zh_want),
                 "2024年11月22日的缺货无法避免（可用 11，日销 %s，补货 2024年11月25日）。",
                 want[i]);
        check(zh, "zh-CN", &x, zh_want);
    }
    bl_app_words_free(en);
    bl_app_words_free(zh);
}

static void test_whatif_and_expiry(void **state)
{
    (void)state;
    struct bl_words *en = bl_test_words("en"), *zh = bl_test_words("zh-CN");
    struct bl_stock_action x = action(BL_PB_PURCHASE_ORDER, "proposed", po_data);
    x.by_day = day("2024-11-16");
    check(en, "en", &x,
          "From the what-if of rush.csv, plan 1, step 2: order 1,200 units of Drawer organiser "
          "(SKU-00005) from Ningbo Backup for Duisburg by Nov 16, 2024; they arrive on Nov 28, "
          "2024. Costs $445.05, saves $1,200.00.");
    x.state = "expired";
    check(zh, "zh-CN", &x,
          "来自假设分析“rush.csv”的方案 1 第 2 步：2024年11月16日 前向 Ningbo Backup 订购 1,200 件 "
          "Drawer organiser（SKU-00005），送往 Duisburg；2024年11月28日 到货。成本 US$445.05，节省 "
          "US$1,200.00。已过期：未在下单截止日 2024年11月16日 前批准。");
    check(en, "en", &x,
          "From the what-if of rush.csv, plan 1, step 2: order 1,200 units of Drawer organiser "
          "(SKU-00005) from Ningbo Backup for Duisburg by Nov 16, 2024; they arrive on Nov 28, "
          "2024. Costs $445.05, saves $1,200.00. Expired: not approved by its order-by day, "
          "Nov 16, 2024.");
    x = action(BL_PB_TRANSFER, "expired", NULL);
    x.by_day = day("2024-11-16");
    check(zh, "zh-CN", &x,
          "策略手册没有为此操作记录数据。已过期：未在发货截止日 2024年11月16日 前批准。");
    x = action(BL_PB_HANDLING_UNTIL, "expired", NULL);
    x.until_day = day("2024-11-30");
    check(en, "en", &x,
          "the stored sentence Expired: not approved before its end day, Nov 30, 2024.");
    bl_app_words_free(en);
    bl_app_words_free(zh);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_playbook_kinds),
        cmocka_unit_test(test_whatif_and_expiry),
        cmocka_unit_test(test_rate_agrees),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
