/* places_test.c - ISO 3166 checks, did-you-mean and names from Debian's iso-codes. */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "ballast/places.h"

static struct bl_places *open_places(void)
{
    struct bl_places *p = NULL;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_places_open(NULL, NULL, &p, &d), &d);
    const char *locales[] = {"zh-CN", "pt-BR", "es", "de", "xx-YY"};
    for (size_t i = 0; i < sizeof(locales) / sizeof(locales[0]); i++)
        BL_ASSERT_OK(bl_places_load_locale(p, locales[i], &d), &d);
    return p;
}

static void expect_name(const struct bl_places *p, const char *code, const char *locale,
                        const char *want)
{
    char out[128];
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_places_name(p, code, locale, out, sizeof(out), &d), &d);
    if (strcmp(out, want) != 0)
        fail_msg("%s in %s: got '%s', want '%s'", code, locale, out, want);
}

static void test_known(void **state)
{
    (void)state;
    struct bl_places *p = open_places();
    assert_true(bl_places_known(p, "CN"));
    assert_true(bl_places_known(p, "CN-ZJ"));
    assert_true(bl_places_known(p, "BR-SP:013"));
    assert_true(bl_places_known(p, "GB-ENG"));
    assert_false(bl_places_known(p, "CN-ZZ"));
    assert_false(bl_places_known(p, "ZZ"));
    assert_false(bl_places_known(p, "UK"));
    assert_false(bl_places_known(p, ""));
    assert_false(bl_places_known(p, "C"));
    bl_places_close(p);
}

static void expect_suggest(const struct bl_places *p, const char *code, const char *want)
{
    char out[16] = "";
    bool got = bl_places_suggest(p, code, out, sizeof(out));
    if (!want) {
        if (got)
            fail_msg("%s: suggested '%s', want none", code, out);
        return;
    }
    if (!got || strcmp(out, want) != 0)
        fail_msg("%s: suggested '%s', want '%s'", code, got ? out : "(none)", want);
}

static void test_suggest(void **state)
{
    (void)state;
    struct bl_places *p = open_places();
    expect_suggest(p, "CN-ZZ", "CN-ZJ");    /* one letter off, same first letter */
    expect_suggest(p, "BR-SPP", "BR-SP");   /* one letter too many */
    expect_suggest(p, "US-CAL", "US-CA");
    expect_suggest(p, "CN-ZJ", NULL);       /* known: nothing to suggest */
    expect_suggest(p, "CN-QQQ", NULL);      /* nothing near */
    expect_suggest(p, "UK", NULL);          /* many countries one letter off: no guess */
    expect_suggest(p, "QQ-ZJ", NULL);       /* no country near QQ has a ZJ */
    expect_suggest(p, "CM-ZJ", "CN-ZJ");    /* Cameroon has no ZJ; China, a letter away, does */
    expect_suggest(p, "ZZ", NULL);
    char tiny[3];
    assert_false(bl_places_suggest(p, "CN-ZZ", tiny, sizeof(tiny)));
    bl_places_close(p);
}

static void test_names(void **state)
{
    (void)state;
    struct bl_places *p = open_places();
    expect_name(p, "CN", "en", "China");
    expect_name(p, "CN", "zh-CN", "中国");
    expect_name(p, "BR", "pt-BR", "Brasil");
    expect_name(p, "US", "es", "Estados Unidos");
    expect_name(p, "CN-ZJ", "en", "Zhejiang");       /* "Zhejiang Sheng" made plain */
    expect_name(p, "CN-ZJ:322", "zh-CN", "浙江省");   /* the postal part is ignored */
    expect_name(p, "CN-BJ", "en", "Beijing");
    expect_name(p, "BR-SP:013", "pt-BR", "São Paulo");
    expect_name(p, "US-CA", "zh_CN", "加利福尼亚州"); /* POSIX form too */
    expect_name(p, "US-CA", "xx-YY", "California");  /* no catalogue: English */
    expect_name(p, "US-CA", "fr", "California");     /* not loaded: English */
    expect_name(p, "CN-ZZ", "en", "China");          /* unknown subdivision: the country */
    char out[128];
    struct bl_diag d;
    bl_diag_clear(&d);
    assert_int_equal(bl_places_name(p, "ZZ-AB", "en", out, sizeof(out), &d), BL_ENOTFOUND);
    assert_non_null(strstr(d.msg, "ZZ"));
    assert_int_equal(bl_places_name(p, "CN", "en", out, 3, &d), BL_ETOOBIG);
    bl_places_close(p);
}

static void test_missing_data(void **state)
{
    (void)state;
    struct bl_places *p = NULL;
    struct bl_diag d;
    bl_diag_clear(&d);
    assert_int_equal(bl_places_open("/nonexistent", NULL, &p, &d), BL_EIO);
    assert_null(p);
    assert_non_null(strstr(d.msg, "iso-codes"));
    assert_non_null(strstr(d.msg, "/nonexistent/iso_3166-1.json"));
}

/* Catalogues that are not: every malformed shape is BL_EPARSE and leaves nothing. */
static void test_bad_catalogues(void **state)
{
    (void)state;
    struct bl_places *p = open_places();
    struct bl_diag d;
    static const unsigned char shapes[][28] = {
        {0},                                                 /* bad magic */
        {0xde, 0x12, 0x04, 0x95, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff}, /* huge count */
        {0xde, 0x12, 0x04, 0x95, 0, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 200, 0, 0, 0}, /* outside */
    };
    for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
        char *bytes = malloc(sizeof(shapes[i]));
        assert_non_null(bytes);
        memcpy(bytes, shapes[i], sizeof(shapes[i]));
        bl_diag_clear(&d);
        assert_int_equal(bl__places_load_mo(p, "qq", bytes, sizeof(shapes[i]), "test.mo", &d),
                         BL_EPARSE);
        assert_non_null(strstr(d.msg, "test.mo"));
    }
    expect_name(p, "US-CA", "qq", "California");
    bl_places_close(p);
}

/* A well-formed catalogue, big-endian: its translations are used. */
static void test_catalogue(void **state)
{
    (void)state;
    struct bl_places *p = open_places();
    static const char *from[] = {"California", "Zhejiang Sheng"};
    static const char *to[] = {"Kalifornien", "Tschekiang"};
    unsigned char b[256] = {0};
    size_t data = 28 + 2 * 16, at = data;
    const unsigned char head[] = {0x95, 0x04, 0x12, 0xde, 0, 0, 0, 0, 0, 0, 0, 2,
                                  0, 0, 0, 28, 0, 0, 0, 44};
    memcpy(b, head, sizeof(head));
    for (size_t i = 0; i < 4; i++) {
        const char *s = i < 2 ? from[i] : to[i - 2];
        size_t len = strlen(s), e = 28 + i * 8;
        b[e + 3] = (unsigned char)len;
        b[e + 6] = (unsigned char)(at >> 8);
        b[e + 7] = (unsigned char)at;
        memcpy(b + at, s, len + 1);
        at += len + 1;
    }
    char *bytes = malloc(at);
    assert_non_null(bytes);
    memcpy(bytes, b, at);
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl__places_load_mo(p, "de_AT", bytes, at, "test.mo", &d), &d);
    expect_name(p, "US-CA", "de-AT", "Kalifornien");
    expect_name(p, "CN-ZJ", "de-AT", "Tschekiang");
    expect_name(p, "US-TX", "de-AT", "Texas");
    bl_places_close(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known),        cmocka_unit_test(test_suggest),
        cmocka_unit_test(test_names),        cmocka_unit_test(test_missing_data),
        cmocka_unit_test(test_bad_catalogues), cmocka_unit_test(test_catalogue),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
