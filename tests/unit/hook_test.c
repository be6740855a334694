/* hook_test.c - the pure and local parts of the outgoing webhooks: the signature (against
 * an independent HMAC computed by Python's hmac module), sealed secrets and their key
 * file, the URL check, private addresses, the event list and the backoff. */
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "testutil.h"
#include "app/hook.h"
#include "ballast/hook.h"

static void test_sign(void **state)
{
    (void)state;
    char sig[BL_HOOK_SIG_MAX];
    /* python3 -c 'import hmac,hashlib; print(hmac.new(b"whsec_test",
     *   b"1733011200.{\"id\":\"evt_1_1\"}", hashlib.sha256).hexdigest())' */
    bl_hook_sign(BL_STR("whsec_test"), 1733011200, BL_STR("{\"id\":\"evt_1_1\"}"), sig);
    assert_string_equal(sig, "v1=d86517c2408cbe94d12744a81ee90ce5bdd4e99494e00a21fde99964011e3a59");
    bl_hook_sign(BL_STR(""), 0, BL_STR(""), sig);
    assert_string_equal(sig, "v1=b849d5a581847b281957065739df36df2463d1977ea8d6e1e4e6cf33fadc68c3");
    /* another timestamp, body or secret: another signature */
    char other[BL_HOOK_SIG_MAX];
    bl_hook_sign(BL_STR("whsec_test"), 1733011201, BL_STR("{\"id\":\"evt_1_1\"}"), other);
    assert_string_not_equal(sig, other);
    bl_hook_sign(BL_STR("whsec_tesT"), 1733011200, BL_STR("{\"id\":\"evt_1_1\"}"), other);
    assert_string_not_equal(sig, other);
}

static void test_seal(void **state)
{
    (void)state;
    char *dir = bl_test_tmpdir();
    char path[512], out[BL_HOOK_SECRET_MAX];
    snprintf(path, sizeof(path), "%s/keys/secret.key", dir);
    unsigned char key[BL_HOOK_KEY_BYTES], again[BL_HOOK_KEY_BYTES];
    struct bl_diag d;
    bl_diag_clear(&d);
    assert_int_equal(bl_hook_key_load(path, false, key, &d), BL_ENOTFOUND);
    BL_ASSERT_OK(bl_hook_key_load(path, true, key, &d), &d);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    BL_ASSERT_OK(bl_hook_key_load(path, false, again, &d), &d);
    assert_memory_equal(key, again, sizeof(key));
    struct bl_buf b = BL_BUF_INIT;
    BL_ASSERT_OK(bl_hook_seal(key, "whsec_abc", &b, &d), &d);
    assert_null(strstr(bl_buf_cstr(&b), "whsec_abc"));
    BL_ASSERT_OK(bl_hook_unseal(key, bl_buf_str(&b), out, sizeof(out), &d), &d);
    assert_string_equal(out, "whsec_abc");
    /* another key, or one altered byte, opens nothing */
    again[0] ^= 1;
    assert_int_equal(bl_hook_unseal(again, bl_buf_str(&b), out, sizeof(out), &d), BL_EINVAL);
    assert_non_null(strstr(d.msg, "another key file"));
    b.ptr[b.len - 2] = b.ptr[b.len - 2] == 'A' ? 'B' : 'A';
    assert_int_equal(bl_hook_unseal(key, bl_buf_str(&b), out, sizeof(out), &d), BL_EINVAL);
    assert_int_equal(bl_hook_unseal(key, BL_STR("plain"), out, sizeof(out), &d), BL_EINVAL);
    /* a key file others may read is refused */
    assert_int_equal(chmod(path, 0644), 0);
    assert_int_equal(bl_hook_key_load(path, false, key, &d), BL_EINVAL);
    assert_non_null(strstr(d.msg, "chmod 600"));
    bl_buf_release(&b);
    free(dir);
}

static void test_url(void **state)
{
    (void)state;
    struct bl_diag d;
    const char *good[] = {"https://erp.example.com/hooks/ballast", "http://10.0.0.5:8080/x?a=1",
                          "https://[2001:db8::1]/x"};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        bl_diag_clear(&d);
        BL_ASSERT_OK(bl_hook_url_check(good[i], &d), &d);
    }
    const char *bad[][2] = {
        {"https://user:pw@erp.example.com/", "user name or password"},
        {"https://user@erp.example.com/", "user name or password"},
        {"ftp://erp.example.com/", "only http and https"},
        {"file:///etc/passwd", "only http and https"},
        {"https://erp.example.com/#x", "fragment"},
        {"https://erp.example.com/a b", "printable"},
        {"", "empty"},
        {"erp.example.com", "http"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        bl_diag_clear(&d);
        assert_int_equal(bl_hook_url_check(bad[i][0], &d), BL_EINVAL);
        if (!strstr(d.msg, bad[i][1]))
            fail_msg("%s: %s", bad[i][0], d.msg);
    }
}

static void test_private(void **state)
{
    (void)state;
    const char *priv[] = {"127.0.0.1",
                          "10.1.2.3",
                          "172.16.0.1",
                          "172.31.255.255",
                          "192.168.1.1",
                          "169.254.169.254",
                          "100.64.0.1",
                          "0.0.0.0",
                          "::1",
                          "::",
                          "fe80::1",
                          "fd00::1",
                          "::ffff:127.0.0.1",
                          "224.0.0.1",
                          "not an address"};
    for (size_t i = 0; i < sizeof(priv) / sizeof(priv[0]); i++)
        if (!bl_hook_addr_private(priv[i]))
            fail_msg("%s should be private", priv[i]);
    const char *pub[] = {"93.184.216.34", "172.32.0.1", "8.8.8.8", "2606:4700::1111",
                         "::ffff:8.8.8.8"};
    for (size_t i = 0; i < sizeof(pub) / sizeof(pub[0]); i++)
        if (bl_hook_addr_private(pub[i]))
            fail_msg("%s should be public", pub[i]);
}

static void test_events_and_backoff(void **state)
{
    (void)state;
    char out[200];
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_app_hook_events_parse(" action.applied , alert.raised,alert.raised", out,
                                          sizeof(out), &d),
                 &d);
    assert_string_equal(out, "alert.raised,action.applied"); /* the order of the list */
    BL_ASSERT_OK(bl_app_hook_events_parse("all", out, sizeof(out), &d), &d);
    assert_string_equal(out, "*");
    assert_int_equal(bl_app_hook_events_parse("alert.raised,order.created", out, sizeof(out), &d),
                     BL_EINVAL);
    assert_non_null(strstr(d.msg, "'order.created'"));
    assert_int_equal(bl_app_hook_events_parse("", out, sizeof(out), &d), BL_EINVAL);
    assert_int_equal(bl_app_hook_events_parse(",", out, sizeof(out), &d), BL_EINVAL);
    /* 30 s doubled per attempt, at most 6 h */
    assert_int_equal(bl_app_hook_backoff(0, 1), 30);
    assert_int_equal(bl_app_hook_backoff(0, 2), 60);
    assert_int_equal(bl_app_hook_backoff(0, 5), 480);
    assert_int_equal(bl_app_hook_backoff(0, 11), 21600);
    assert_int_equal(bl_app_hook_backoff(0, 1000), 21600);
    assert_int_equal(bl_app_hook_backoff(1, 3), 4);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sign),
        cmocka_unit_test(test_seal),
        cmocka_unit_test(test_url),
        cmocka_unit_test(test_private),
        cmocka_unit_test(test_events_and_backoff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
