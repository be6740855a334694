/* notify_hold_test.c - what must be true before a message may leave the outbox
 * (notify.h, bl_notify_holds): every hold reason, reserved and test domains (RFC 2606,
 * RFC 6761), the platform's messaging rules, and the profile's "messaging" section. */
#include <string.h>

#include "testutil.h"
#include "ballast/notify.h"
#include "ballast/profile.h"

static const char good_body[] = "Dear Ana,\n\nYour order A1 ships by May 20.\n\n"
                                "Best regards,\nLamps & Light Customer Service\n";

static struct bl_hold_in good(void)
{
    return (struct bl_hold_in){BL_MSG_LATE_SHIPMENT, "ana@lamps-buyers.net", "care@lamps.shop",
                               "Your order A1 ships late", good_body, 0, NULL};
}

static uint32_t holds(const struct bl_hold_in *in, char *why)
{
    return bl_notify_holds(in, why, 512);
}

static void test_reserved_domains(void **state)
{
    (void)state;
    static const char *const yes[] = {
        "customers.invalid", "shop.example", "example.com", "EXAMPLE.COM", "mail.example.net",
        "a.b.example.org",   "x.test",       "test",        "localhost",   "shop.localhost.",
        "invalid"};
    static const char *const no[] = {"example.co",  "myexample.com", "example.com.br",
                                     "testing.com", "lamps.shop",    "invalid.org",
                                     "notexample.org", ""};
    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
        assert_true(bl_reserved_domain(bl_str_c(yes[i])));
    for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
        assert_false(bl_reserved_domain(bl_str_c(no[i])));
}

static void test_may_leave(void **state)
{
    (void)state;
    char why[512];
    struct bl_hold_in in = good();
    assert_int_equal(holds(&in, why), 0);
    assert_string_equal(why, "");
    in.body = "Track it at https://lamps.shop/orders/A1 or write to care@lamps.shop.\n";
    assert_int_equal(holds(&in, why), 0); /* links are fine where the platform allows them */
}

static void test_each_reason(void **state)
{
    (void)state;
    char why[512];
    struct bl_hold_in in = good();
    in.recipient = "";
    assert_int_equal(holds(&in, why), 1u << BL_HOLD_NO_RECIPIENT);
    assert_string_equal(why, "no_recipient");
    in = good();
    in.recipient = "cu001-33@customers.invalid";
    assert_int_equal(holds(&in, why), 1u << BL_HOLD_RESERVED_RECIPIENT);
    assert_string_equal(why, "reserved_recipient=customers.invalid");
    in = good();
    in.sender = "Lamps <noreply@shop.example>";
    assert_int_equal(holds(&in, why), 1u << BL_HOLD_RESERVED_SENDER);
    assert_string_equal(why, "reserved_sender=shop.example");
    in = good();
    in.body = "My Account: https://shop.example/account.\nWrite to support@shop.test.\n";
    assert_int_equal(holds(&in, why), 1u << BL_HOLD_RESERVED_LINK);
    assert_string_equal(why, "reserved_link=shop.example,shop.test");
    in = good();
    in.missing = (1u << BL_SET_ACCOUNT_URL) | (1u << BL_SET_SIGNATURE);
    assert_int_equal(holds(&in, why), 1u << BL_HOLD_MISSING_SETTING);
    assert_string_equal(why, "missing_setting=account_url,signature");

    struct bl_msg_rules amazon;
    bl_msg_rules_default(&amazon);
    amazon.kinds = BL_MSG_BIT(BL_MSG_LATE_SHIPMENT) | BL_MSG_BIT(BL_MSG_PROMO_CODE);
    amazon.outside_links = false;
    amazon.marketing = false;
    in = good();
    in.rules = &amazon;
    assert_int_equal(holds(&in, why), 0);
    in.kind = BL_MSG_COMPENSATION_COUPON;
    assert_int_equal(holds(&in, why), 1u << BL_HOLD_KIND_NOT_ALLOWED);
    assert_string_equal(why, "kind_not_allowed=compensation_coupon");
    in.kind = BL_MSG_PROMO_CODE;
    assert_int_equal(holds(&in, why), 1u << BL_HOLD_MARKETING);
    assert_string_equal(why, "marketing");
    in.kind = BL_MSG_LATE_SHIPMENT;
    in.body = "Cancel at https://lamps.shop/a\n";
    assert_int_equal(holds(&in, why), 1u << BL_HOLD_OUTSIDE_LINK);
    assert_string_equal(why, "outside_link=https://lamps.shop/a");
    in.body = "Write to care@lamps.shop\n"; /* an outside address is an outside contact */
    assert_int_equal(holds(&in, why), 1u << BL_HOLD_OUTSIDE_LINK);
    amazon.max_length = 60;
    in.body = "这是一条很长的消息。这是一条很长的消息。这是一条很长的消息。这是一条很长的消息。"
              "这是一条很长的消息。这是一条很长的消息。多"; /* 61 characters, 183 bytes */
    assert_int_equal(holds(&in, why), 1u << BL_HOLD_TOO_LONG);
    assert_string_equal(why, "too_long=61>60");

    /* every reason at once, in the order they are checked */
    in = (struct bl_hold_in){BL_MSG_PROMO_CODE, "a@x.invalid", "n@y.test", "s",
                             "see https://z.example/", 1u << BL_SET_SENDER, &amazon};
    assert_int_equal(holds(&in, why), (1u << BL_HOLD_RESERVED_RECIPIENT) |
                                          (1u << BL_HOLD_RESERVED_SENDER) |
                                          (1u << BL_HOLD_MISSING_SETTING) |
                                          (1u << BL_HOLD_MARKETING) |
                                          (1u << BL_HOLD_RESERVED_LINK) |
                                          (1u << BL_HOLD_OUTSIDE_LINK));
    assert_string_equal(why, "reserved_recipient=x.invalid;reserved_sender=y.test;"
                             "missing_setting=sender;marketing;reserved_link=z.example;"
                             "outside_link=https://z.example/");
    for (unsigned k = 0; k < BL_HOLD__COUNT; k++)
        assert_int_equal(bl_hold_from_name(bl_str_c(bl_hold_name((enum bl_hold)k))), k);
    assert_int_equal(bl_hold_from_name(bl_str_c("nope")), BL_HOLD__COUNT);
}

static void test_truncated_text(void **state)
{
    (void)state;
    char why[32];
    struct bl_hold_in in = good();
    in.recipient = "a@x.invalid";
    in.missing = 1u << BL_SET_ACCOUNT_URL;
    uint32_t m = bl_notify_holds(&in, why, sizeof(why));
    assert_int_equal(m, (1u << BL_HOLD_RESERVED_RECIPIENT) | (1u << BL_HOLD_MISSING_SETTING));
    assert_string_equal(why, "reserved_recipient=x.invalid"); /* whole reasons only */
}

static void test_profile_messaging(void **state)
{
    (void)state;
    struct bl_msg_rules r;
    struct bl_diag d;
    bl_diag_clear(&d);
    const char *t = "{\"name\": \"p\", \"messaging\": {\"horizon_days\": 5, \"kinds\": "
                    "[\"late_shipment\", \"late_delivery\"], \"outside_links\": false, "
                    "\"marketing\": false, \"max_length\": 900}}";
    BL_ASSERT_OK(bl_profile_messaging_parse(t, strlen(t), "p.json", &r, &d), &d);
    assert_int_equal(r.horizon_days, 5);
    assert_int_equal(r.kinds, BL_MSG_BIT(BL_MSG_LATE_SHIPMENT) | BL_MSG_BIT(BL_MSG_LATE_DELIVERY));
    assert_false(r.outside_links);
    assert_false(r.marketing);
    assert_int_equal(r.max_length, 900);
    t = "{\"name\": \"p\"}";
    BL_ASSERT_OK(bl_profile_messaging_parse(t, strlen(t), "p.json", &r, &d), &d);
    assert_int_equal(r.horizon_days, 3); /* none: every kind, links, no limit, 3 days */
    assert_int_equal(r.kinds, BL_MSG_BIT(BL_MSG__COUNT) - 1);
    assert_true(r.outside_links && r.marketing);
    t = "{\"messaging\": {\"kinds\": [\"late\"]}}";
    assert_int_equal(bl_profile_messaging_parse(t, strlen(t), "p.json", &r, &d), BL_EPARSE);
    assert_non_null(strstr(d.msg, "message kinds"));
    t = "{\"messaging\": {\"horizon\": 3}}";
    assert_int_equal(bl_profile_messaging_parse(t, strlen(t), "p.json", &r, &d), BL_EPARSE);
    assert_non_null(strstr(d.msg, "unknown field"));
    /* the shipped profiles: Amazon and Temu forbid links and marketing */
    static const char *const strict[] = {"amazon", "temu"};
    for (size_t i = 0; i < 2; i++) {
        BL_ASSERT_OK(bl_profile_messaging_load(bl_profile_dir(), strict[i], &r, &d), &d);
        assert_false(r.outside_links);
        assert_false(r.marketing);
        assert_false(r.kinds & BL_MSG_BIT(BL_MSG_PROMO_CODE));
        assert_true(r.kinds & BL_MSG_BIT(BL_MSG_LATE_SHIPMENT));
        assert_true(r.max_length > 0);
    }
    assert_int_equal(bl_profile_messaging_load(bl_profile_dir(), "nosuch", &r, &d), BL_ENOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reserved_domains), cmocka_unit_test(test_may_leave),
        cmocka_unit_test(test_each_reason),      cmocka_unit_test(test_truncated_text),
        cmocka_unit_test(test_profile_messaging),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
