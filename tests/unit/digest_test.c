/* digest_test.c - the operator's digest as a person reads it (app/digest.h), rendered from
 * a cycle's result made here (no store): every count it shows has its digits grouped as
 * the reader's locale writes them (ICU: "32,951" in en and zh-CN), in the headlines, the
 * kinds, the DONE lines, the steps' counts and the subject; the disruptions changed since
 * the previous cycle are named by what they are, their number beside, in both languages;
 * and bl_l10n_count, bl_app_words_number and bl_app_words_count group the same way. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "app/cycle.h"
#include "app/digest.h"
#include "ballast/l10n.h"
#include "ballast/time.h"

static void count_is(const char *locale, int64_t n, const char *want)
{
    char out[64];
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_l10n_count(locale, n, out, sizeof(out), &d), &d);
    if (strcmp(out, want) != 0)
        fail_msg("%s %lld: \"%s\", expected \"%s\"", locale, (long long)n, out, want);
}

static void test_l10n_count(void **state)
{
    (void)state;
    count_is("en", 32951, "32,951");
    count_is("zh-CN", 32951, "32,951");
    count_is("zh_CN", 2750, "2,750");
    count_is("pt-BR", 1684, "1.684");
    count_is("en", 999, "999");
    count_is("en", 0, "0");
    count_is("en", -1234567, "-1,234,567");
    count_is("en", INT64_MAX, "9,223,372,036,854,775,807");
    char small[4];
    struct bl_diag d;
    bl_diag_clear(&d);
    assert_int_equal(bl_l10n_count("en", 32951, small, sizeof(small), &d), BL_ETOOBIG);
}

static void test_words_count(void **state)
{
    (void)state;
    const char *const locales[] = {"en", "zh-CN"};
    const char *const want[] = {"32,951 SKUs forecast", "32,951 个 SKU 已预测"};
    for (size_t l = 0; l < 2; l++) {
        struct bl_words *w = bl_test_words(locales[l]);
        char out[128];
        bl_app_words_count(w, "skus", 32951, out, sizeof(out));
        assert_string_equal(out, want[l]);
        bl_app_words_number(w, 1361, out, sizeof(out));
        assert_string_equal(out, "1,361");
        bl_app_words_free(w);
    }
    /* a pack that names no locale (opened by path) writes the digits alone */
    char dir[4096];
    struct bl_words *w = NULL;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_app_words_open_file(bl_test_templates(dir, sizeof(dir)),
                                        "programs/pt-BR/words.json", &w, &d),
                 &d);
    char out[64];
    bl_app_words_number(w, 32951, out, sizeof(out));
    assert_string_equal(out, "32951");
    bl_app_words_free(w);
}

/* A cycle's result with counts above 999 and two disruptions changed since the previous
 * cycle, one named (its region "the area around Yiwu"), one removed since. */
static void big_cycle(struct bl_app_cycle_req *q, struct bl_app_cycle_res *r)
{
    memset(q, 0, sizeof(*q));
    memset(r, 0, sizeof(*r));
    q->as_of = 1731628800; /* 2024-11-15T00:00:00Z */
    q->day = q->as_of / 86400;
    r->cycle_id = 7;
    r->have_facts = true;
    struct bl_digest_facts *f = &r->facts;
    f->cycle_id = 7;
    f->prev_cycle_id = 6;
    f->messages_held = 2750;
    f->held_kinds[0] = (struct bl_digest_kind){"late_shipment", 2750};
    f->nheld_kinds = 1;
    f->stockouts = 1200;
    f->stockout[0] = (struct bl_digest_stockout){"SKU-1", "Lamp", q->day + 2, 1500, -1};
    f->nstockout = 1;
    f->waivers[0] = (struct bl_digest_money){"USD", 1684, 5623048};
    f->nwaivers = 1;
    f->alerts_new = 1001;
    f->orders_updated = 4321;
    f->order_changes = 12345;
    f->disruptions_changed = 12;
    f->disruption_changes = 1500;
    f->disruption[0] =
        (struct bl_digest_disruption){2, "lockdown", "CN-ZJ:322", "rumoured,\nper suppliers"};
    f->disruption[1] = (struct bl_digest_disruption){5, "", "", ""};
    f->ndisruption = 2;
    r->dis_place[0][0] = "the area around Yiwu";
    r->dis_place[0][1] = "义乌一带";
    struct bl_app_cycle_step *s = &r->steps[r->nsteps++];
    s->name = "forecast";
    s->state = BL_STEP_DONE;
    s->counts[s->ncounts++] = (struct bl_app_cycle_count){"skus", 32951};
    s = &r->steps[r->nsteps++];
    s->name = "route";
    s->state = BL_STEP_DONE;
    s->counts[s->ncounts++] = (struct bl_app_cycle_count){"held", 1361};
}

static void has(const char *locale, const char *text, const char *want)
{
    if (!strstr(text, want))
        fail_msg("%s digest lacks \"%s\":\n%s", locale, want, text);
}

static void lacks(const char *locale, const char *text, const char *unwanted)
{
    if (strstr(text, unwanted))
        fail_msg("%s digest has \"%s\":\n%s", locale, unwanted, text);
}

static void render(const char *locale, const struct bl_app_digest_in *in, char **subject,
                   char **body)
{
    struct bl_buf s, b;
    bl_buf_init(&s, 4096);
    bl_buf_init(&b, 1u << 20);
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_app_digest_render(NULL, locale, in, &s, &b, &d), &d);
    *subject = strndup(s.ptr, s.len);
    *body = strndup(b.ptr, b.len);
    assert_true(*subject && *body);
    if (getenv("BL_TEST_VERBOSE"))
        fprintf(stderr, "---- %s: %s\n%s\n", locale, *subject, *body);
    bl_buf_release(&s);
    bl_buf_release(&b);
}

/* The digest of big_cycle in locale: its subject and body (the caller frees them). */
static void render_big(const char *locale, char **subject, char **body)
{
    struct bl_app_cycle_req q;
    struct bl_app_cycle_res r;
    big_cycle(&q, &r);
    struct bl_app_digest_in in = {"default", &q, &r, NULL};
    render(locale, &in, subject, body);
}

static void test_digest_en(void **state)
{
    (void)state;
    char *subject, *body;
    render_big("en", &subject, &body);
    has("en", subject, "2,750 messages held");
    has("en", subject, "1,200 stock-outs ahead");
    has("en", body, "- 2,750 messages are held and will not be sent until fixed: 2,750 ");
    has("en", body, "- 1,200 SKUs run out within 14 days:");
    has("en", body, "about 1,500 units short");
    has("en", body, "... and 1,199 more (`ballast plan`)");
    has("en", body, "- Carrier SLA freight waivers: 1,684 ($56,230.48)");
    has("en", body, "- 1,361 open orders held by a disruption.");
    has("en", body, "- demand forecast: 32,951 SKUs");
    has("en", body, "- routing open orders: 1,361 held by a disruption");
    has("en", body, "Stock alerts: 1,001 new, 0 cleared.");
    has("en", body, "Orders the imports updated since: 4,321 (entries in their history: 12,345;");
    has("en", body, "- Disruptions declared, changed or lifted since: 12 (1,500 changes);");
    has("en", body, "\n  lockdown in the area around Yiwu (#2): rumoured, per suppliers\n");
    has("en", body, "\n  #5, since removed by an import\n");
    has("en", body, "... and 10 more (`ballast disruption list`).");
    lacks("en", body, "2750");
    lacks("en", body, "32951");
    lacks("en", body, "CN-ZJ");
    has("en", body, "`ballast cycle show 7`"); /* an id is not a count */
    free(subject);
    free(body);
}

static void test_digest_zh(void **state)
{
    (void)state;
    char *subject, *body;
    render_big("zh-CN", &subject, &body);
    has("zh-CN", subject, "2,750 条消息被暂扣");
    has("zh-CN", subject, "1,200 个 SKU 即将断货");
    has("zh-CN", body, "- 2,750 条消息被暂扣，修正前不会发送：2,750 ");
    has("zh-CN", body, "- 1,200 个 SKU 将在 14 天内断货：");
    has("zh-CN", body, "约缺 1,500 件");
    has("zh-CN", body, "另有 1,199 个");
    has("zh-CN", body, "- 承运商时效违约运费减免：1,684 笔");
    has("zh-CN", body, "- 1,361 个未发货订单因中断事件暂缓。");
    has("zh-CN", body, "- 需求预测：32,951 个 SKU");
    has("zh-CN", body, "库存提醒：新增 1,001 条");
    has("zh-CN", body, "此后导入更新的订单：4,321 个（共 12,345 处变更");
    has("zh-CN", body, "- 此后新增、修改或解除的中断事件：12 个（共 1,500 处变更）");
    has("zh-CN", body, "\n  义乌一带封控（#2）：rumoured, per suppliers\n");
    has("zh-CN", body, "\n  #5（此后已被导入删除）\n");
    has("zh-CN", body, "……另有 10 个（`ballast disruption list`）。");
    lacks("zh-CN", body, "2750");
    lacks("zh-CN", body, "CN-ZJ");
    free(subject);
    free(body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_l10n_count),
        cmocka_unit_test(test_words_count),
        cmocka_unit_test(test_digest_en),
        cmocka_unit_test(test_digest_zh),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
