/* notify_send_test.c - what a message looks like on the wire and in the reader's
 * language: RFC 2047 subjects, the RFC 5322 message, the webhook signature, and
 * dates, money, regions and windows formatted with ICU. */
#include <string.h>

#include <sodium.h>

#include "testutil.h"
#include "ballast/l10n.h"
#include "ballast/send.h"

static char *b64decode(const char *s, size_t n, size_t *outn)
{
    static char out[4096];
    if (sodium_base642bin((unsigned char *)out, sizeof(out), s, n, "\r\n", outn, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0)
        fail_msg("bad base64");
    out[*outn] = '\0';
    return out;
}

static void test_rfc2047(void **state)
{
    (void)state;
    struct bl_buf b = BL_BUF_INIT;
    assert_int_equal(bl_rfc2047(BL_STR("Plain ASCII subject"), &b), BL_OK);
    assert_string_equal(bl_buf_cstr(&b), "Plain ASCII subject");
    bl_buf_reset(&b);
    assert_int_equal(bl_rfc2047(BL_STR("looks =?encoded?="), &b), BL_OK);
    assert_memory_equal(b.ptr, "=?UTF-8?B?", 10);
    /* A long Chinese subject: several words, each <= 75 bytes, none splitting a
     * character, decoding back to the text. */
    const char *zh = "非常抱歉：您的订单A-10023延迟发货，我们正在尽最大努力尽快为您发货并提供补偿";
    bl_buf_reset(&b);
    assert_int_equal(bl_rfc2047(bl_str_c(zh), &b), BL_OK);
    char back[1024] = "";
    const char *p = bl_buf_cstr(&b);
    int words = 0;
    while (*p) {
        const char *end = strstr(p, "?=");
        assert_non_null(end);
        assert_memory_equal(p, "=?UTF-8?B?", 10);
        assert_true(end + 2 - p <= 75);
        size_t n;
        char *dec = b64decode(p + 10, (size_t)(end - p - 10), &n);
        size_t bad;
        assert_true(bl_utf8_valid(dec, n, &bad)); /* every word is whole characters */
        strncat(back, dec, sizeof(back) - strlen(back) - 1);
        words++;
        p = end + 2;
        if (*p) {
            assert_memory_equal(p, "\r\n ", 3);
            p += 3;
        }
    }
    assert_true(words >= 2);
    assert_string_equal(back, zh);
    bl_buf_release(&b);
}

static void test_mail_format(void **state)
{
    (void)state;
    struct bl_mail m = {"灯与光", "noreply@shop.example", "c3@customers.invalid",
                        "您的订单B1延迟送达", "尊敬的c3：\n\n第二行\n",
                        "late_delivery.3.1@shop.example", "late_delivery:3",
                        1652227200 /* 2022-05-11T00:00:00Z, a Wednesday */};
    struct bl_buf b = BL_BUF_INIT;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_mail_format(&m, &b, &d), &d);
    const char *s = bl_buf_cstr(&b);
    const char *sep = strstr(s, "\r\n\r\n");
    assert_non_null(sep);
    for (const char *q = s; q < sep; q++)
        assert_true((unsigned char)*q < 128); /* headers are 7-bit */
    assert_non_null(strstr(s, "From: =?UTF-8?B?54Gv5LiO5YWJ?= <noreply@shop.example>\r\n"));
    assert_non_null(strstr(s, "To: <c3@customers.invalid>\r\n"));
    assert_non_null(strstr(s, "Date: Wed, 11 May 2022 00:00:00 +0000\r\n"));
    assert_non_null(strstr(s, "Message-ID: <late_delivery.3.1@shop.example>\r\n"));
    assert_non_null(strstr(s, "X-Ballast-Idempotency-Key: late_delivery:3\r\n"));
    assert_non_null(strstr(s, "Content-Type: text/plain; charset=UTF-8\r\n"));
    assert_non_null(strstr(s, "Content-Transfer-Encoding: base64\r\n"));
    size_t n;
    const char *body = sep + 4;
    char *dec = b64decode(body, strlen(body), &n);
    assert_string_equal(dec, "尊敬的c3：\r\n\r\n第二行\r\n"); /* canonical CRLF form */
    for (const char *line = body; *line;) {
        const char *e = strstr(line, "\r\n");
        assert_non_null(e);
        assert_true(e - line <= 76);
        line = e + 2;
    }
    /* A plain sender name is quoted; header injection is refused. */
    bl_buf_reset(&b);
    m.from_name = "Lamps & Light";
    BL_ASSERT_OK(bl_mail_format(&m, &b, &d), &d);
    assert_non_null(strstr(bl_buf_cstr(&b), "From: \"Lamps & Light\" <noreply@shop.example>"));
    m.to = "a@b.c\r\nBcc: x@y.z";
    assert_int_equal(bl_mail_format(&m, &b, &d), BL_EINVAL);
    m.to = "a@b.c";
    m.subject = "\xff bad";
    assert_int_equal(bl_mail_format(&m, &b, &d), BL_EUTF8);
    bl_buf_release(&b);
}

static void test_hmac(void **state)
{
    (void)state;
    assert_true(sodium_init() >= 0);
    char hex[65];
    /* RFC 4231 test case 2 */
    bl_hmac_sha256_hex(BL_STR("Jefe"), BL_STR("what do ya want for nothing?"), hex);
    assert_string_equal(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

static void test_l10n(void **state)
{
    (void)state;
    char out[256];
    struct bl_diag d;
    bl_diag_clear(&d);
    int64_t t = 1652400000; /* 2022-05-13T00:00:00Z */
    BL_ASSERT_OK(bl_l10n_date("en", "UTC", t, out, sizeof(out), &d), &d);
    assert_string_equal(out, "May 13");
    BL_ASSERT_OK(bl_l10n_date("en-US", "America/New_York", t, out, sizeof(out), &d), &d);
    assert_string_equal(out, "May 12"); /* still the evening before in New York */
    BL_ASSERT_OK(bl_l10n_date("zh-CN", "Asia/Shanghai", t, out, sizeof(out), &d), &d);
    assert_string_equal(out, "5月13日");
    BL_ASSERT_OK(bl_l10n_window("en", "UTC", t, t + 7 * 86400, out, sizeof(out), &d), &d);
    assert_string_equal(out, "between May 13 and May 20");
    BL_ASSERT_OK(bl_l10n_window("zh-CN", "UTC", t, t + 7 * 86400, out, sizeof(out), &d), &d);
    assert_string_equal(out, "5月13日至5月20日");
    BL_ASSERT_OK(bl_l10n_money("en", 500, "USD", out, sizeof(out), &d), &d);
    assert_string_equal(out, "$5.00");
    BL_ASSERT_OK(bl_l10n_money("zh-CN", 500, "USD", out, sizeof(out), &d), &d);
    assert_string_equal(out, "US$5.00");
    BL_ASSERT_OK(bl_l10n_money("zh-CN", 1000, "CNY", out, sizeof(out), &d), &d);
    assert_string_equal(out, "¥10.00");
    BL_ASSERT_OK(bl_l10n_money("en", 1500, "JPY", out, sizeof(out), &d), &d);
    assert_string_equal(out, "¥1,500");
    BL_ASSERT_OK(bl_l10n_money("en", 123456789012345, "USD", out, sizeof(out), &d), &d);
    assert_string_equal(out, "$1,234,567,890,123.45"); /* exact, no double rounding */
    assert_int_equal(bl_l10n_money("en", 1, "XYZ", out, sizeof(out), &d), BL_ENOTFOUND);
    BL_ASSERT_OK(bl_l10n_region("en", "CN", out, sizeof(out), &d), &d);
    assert_string_equal(out, "China");
    BL_ASSERT_OK(bl_l10n_region("zh-CN", "CN-SH", out, sizeof(out), &d), &d);
    assert_string_equal(out, "中国"); /* a country's name, never "(CN-SH)" (issue #13) */
    assert_int_equal(bl_l10n_region("en", "XX", out, sizeof(out), &d), BL_ENOTFOUND);
    BL_ASSERT_OK(bl_l10n_window("pt-BR", "UTC", t, t + 7 * 86400, out, sizeof(out), &d), &d);
    assert_string_equal(out, "entre 13 de maio e 20 de maio");
    BL_ASSERT_OK(bl_l10n_window("es", "UTC", t, t + 7 * 86400, out, sizeof(out), &d), &d);
    assert_string_equal(out, "entre el 13 de mayo y el 20 de mayo");
    BL_ASSERT_OK(bl_l10n_business_days("pt-BR", 7, 10, out, sizeof(out), &d), &d);
    assert_string_equal(out, "7 a 10 dias úteis");
    BL_ASSERT_OK(bl_l10n_business_days("es", 1, 1, out, sizeof(out), &d), &d);
    assert_string_equal(out, "1 día hábil");
    BL_ASSERT_OK(bl_l10n_money("pt-BR", 31001, "BRL", out, sizeof(out), &d), &d);
    assert_string_equal(out, "R$\u00a0310,01");
    /* the delivery country's main language: ICU's likely subtags */
    BL_ASSERT_OK(bl_l10n_country_language("BR-SP:01310", out, sizeof(out), &d), &d);
    assert_string_equal(out, "pt-BR");
    BL_ASSERT_OK(bl_l10n_country_language("MX", out, sizeof(out), &d), &d);
    assert_string_equal(out, "es-MX");
    BL_ASSERT_OK(bl_l10n_country_language("CN-ZJ", out, sizeof(out), &d), &d);
    assert_string_equal(out, "zh-CN");
    assert_int_equal(bl_l10n_country_language("", out, sizeof(out), &d), BL_ENOTFOUND);
    BL_ASSERT_OK(bl_l10n_business_days("zh-CN", 7, 10, out, sizeof(out), &d), &d);
    assert_string_equal(out, "7-10个工作日");
    BL_ASSERT_OK(bl_l10n_business_days("en", 1, 1, out, sizeof(out), &d), &d);
    assert_string_equal(out, "1 business day");
    char small[4];
    assert_int_equal(bl_l10n_date("en", "UTC", t, small, sizeof(small), &d), BL_ETOOBIG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc2047),
        cmocka_unit_test(test_mail_format),
        cmocka_unit_test(test_hmac),
        cmocka_unit_test(test_l10n),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
