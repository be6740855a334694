/* chat_test.c - the operators' chat payloads and the platforms' signatures (chat.h).
 * The expected signatures were computed independently (Python's hmac and base64) from
 * the platforms' documented algorithms. */
#include <string.h>

#include <jansson.h>

#include "testutil.h"

#include "ballast/chat.h"

static void test_feishu_sign(void **state)
{
    (void)state;
    char s[64];
    bl_chat_feishu_sign(1700000000, BL_STR("SECtest"), s);
    assert_string_equal(s, "G7XpBpG8NgG02fJOAhX6FRAObIljmFoxVReo8I62pEk=");
}

static void test_dingtalk_sign(void **state)
{
    (void)state;
    char s[64];
    bl_chat_dingtalk_sign(1700000000000, BL_STR("SECtest"), s);
    assert_string_equal(s, "aZLLrriXgn05YbwaGR7knYsLeJADjr9NwLaNNKpxh4g=");
}

static json_t *request(enum bl_chat_kind k, const char *url, const char *secret, const char *text,
                       struct bl_buf *u)
{
    struct bl_buf body;
    struct bl_diag d;
    bl_diag_clear(&d);
    bl_buf_init(u, 4096);
    bl_buf_init(&body, 4096);
    BL_ASSERT_OK(
        bl_chat_request(k, url, bl_str_c(secret), bl_str_c(text), 1700000000, u, &body, &d), &d);
    json_t *j = json_loadb(body.ptr, body.len, 0, NULL);
    bl_buf_release(&body);
    assert_non_null(j);
    return j;
}

static void test_payloads(void **state)
{
    (void)state;
    struct bl_buf u;
    json_t *j = request(BL_CHAT_SLACK, "http://127.0.0.1/slack", "", "今日 3 项待决定", &u);
    assert_string_equal(json_string_value(json_object_get(j, "text")), "今日 3 项待决定");
    assert_string_equal(bl_buf_cstr(&u), "http://127.0.0.1/slack");
    json_decref(j);
    bl_buf_release(&u);

    j = request(BL_CHAT_FEISHU, "http://h/feishu", "SECtest", "hello", &u);
    assert_string_equal(json_string_value(json_object_get(j, "msg_type")), "text");
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "content"), "text")),
                        "hello");
    assert_string_equal(json_string_value(json_object_get(j, "timestamp")), "1700000000");
    assert_string_equal(json_string_value(json_object_get(j, "sign")),
                        "G7XpBpG8NgG02fJOAhX6FRAObIljmFoxVReo8I62pEk=");
    json_decref(j);
    bl_buf_release(&u);

    /* unsigned Feishu: no timestamp, no sign */
    j = request(BL_CHAT_FEISHU, "http://h/feishu", "", "hello", &u);
    assert_null(json_object_get(j, "sign"));
    json_decref(j);
    bl_buf_release(&u);

    j = request(BL_CHAT_DINGTALK, "http://h/robot/send?access_token=T", "SECtest", "hi", &u);
    assert_string_equal(json_string_value(json_object_get(j, "msgtype")), "text");
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "text"), "content")),
                        "hi");
    assert_string_equal(bl_buf_cstr(&u),
                        "http://h/robot/send?access_token=T&timestamp=1700000000000"
                        "&sign=aZLLrriXgn05YbwaGR7knYsLeJADjr9NwLaNNKpxh4g%3D");
    json_decref(j);
    bl_buf_release(&u);
}

static void test_kinds(void **state)
{
    (void)state;
    enum bl_chat_kind k;
    assert_int_equal(bl_chat_kind_parse("lark", &k), BL_OK);
    assert_int_equal(k, BL_CHAT_FEISHU);
    assert_int_equal(bl_chat_kind_parse("dingtalk", &k), BL_OK);
    assert_int_equal(bl_chat_kind_parse("wechat", &k), BL_EINVAL);
    /* text that is not UTF-8 is refused, not sent */
    struct bl_buf u, body;
    struct bl_diag d;
    bl_diag_clear(&d);
    bl_buf_init(&u, 4096);
    bl_buf_init(&body, 4096);
    assert_int_equal(bl_chat_request(BL_CHAT_SLACK, "http://h/", BL_STR(""), BL_STR("\xff\xfe"), 0,
                                     &u, &body, &d),
                     BL_EUTF8);
    bl_buf_release(&u);
    bl_buf_release(&body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_feishu_sign),
        cmocka_unit_test(test_dingtalk_sign),
        cmocka_unit_test(test_payloads),
        cmocka_unit_test(test_kinds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
