/* region_test.c - region codes, textual containment and the interned trie. */
#include <string.h>

#include <unicode/uloc.h>

#include "testutil.h"
#include "ballast/alloc.h"
#include "ballast/region.h"

/* ---- parsing --------------------------------------------------------------- */

static void expect_region(const char *in, const char *want)
{
    char out[BL_REGION_MAX];
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_region_parse(bl_str_c(in), out, &d), &d);
    assert_string_equal(out, want);
    /* Canonical codes are fixed points. */
    char again[BL_REGION_MAX];
    BL_ASSERT_OK(bl_region_parse(bl_str_c(out), again, &d), &d);
    assert_string_equal(again, out);
}

static void expect_bad_region(const char *in, const char *msg_part)
{
    char out[BL_REGION_MAX] = "junk";
    struct bl_diag d;
    bl_diag_clear(&d);
    assert_int_equal(bl_region_parse(bl_str_c(in), out, &d), BL_EPARSE);
    assert_int_equal(d.code, BL_EPARSE);
    assert_string_equal(out, "");
    if (!strstr(d.msg, msg_part))
        fail_msg("region '%s': message '%s' lacks '%s'", in, d.msg, msg_part);
}

static void test_parse_valid(void **state)
{
    (void)state;
    expect_region("BR", "BR");
    expect_region("br", "BR");
    expect_region("cN", "CN");
    expect_region("CN-SH", "CN-SH");
    expect_region("br-sp", "BR-SP");
    expect_region("US-CA", "US-CA");
    expect_region("FR-75C", "FR-75C");
    expect_region("GB-1", "GB-1");
    expect_region("BR-SP:013", "BR-SP:013");
    expect_region("br-sp:01310-100", "BR-SP:01310100");
    expect_region("GB:SW1A 1AA", "GB:SW1A1AA");
    expect_region("gb:sw1a 1aa", "GB:SW1A1AA");
    expect_region("BR:0", "BR:0");
    expect_region("BR-SP:0123456789", "BR-SP:0123456789");
    expect_region("BR-SP: 0 1 - 2 ", "BR-SP:012");
    expect_region("XK", "XK"); /* ICU lists Kosovo's user-assigned code */

    /* Every country ICU knows parses to itself. */
    const char *const *list = uloc_getISOCountries();
    size_t n = 0;
    for (; list[n]; n++)
        expect_region(list[n], list[n]);
    assert_true(n > 240);

    /* Views need not be NUL-terminated. */
    char out[BL_REGION_MAX];
    assert_int_equal(bl_region_parse((struct bl_str){"BR-SPX", 5}, out, NULL), BL_OK);
    assert_string_equal(out, "BR-SP");
}

static void test_parse_invalid(void **state)
{
    (void)state;
    const char *syntax = "expected a region code such as CN, BR-SP or BR-SP:013";
    const char *sub = "bad subdivision";
    const char *postal = "bad postal prefix";
    expect_bad_region("", syntax);
    expect_bad_region("B", syntax);
    expect_bad_region("BRA", syntax);
    expect_bad_region("B1", syntax);
    expect_bad_region("12", syntax);
    expect_bad_region(" BR", syntax);
    expect_bad_region("BR ", syntax);
    expect_bad_region("BR_SP", syntax);
    expect_bad_region("BR/SP", syntax);
    expect_bad_region("\xc3\x89S", syntax); /* "ÉS" */
    expect_bad_region("BR-", sub);
    expect_bad_region("BR-SPXX", sub);
    expect_bad_region("BR-S P", sub);
    expect_bad_region("BR-SP-X", sub);
    expect_bad_region("BR--SP", sub);
    expect_bad_region("BR-\xc3\x89", sub);
    expect_bad_region("BR:", postal);
    expect_bad_region("BR: - ", postal);
    expect_bad_region("BR::1", postal);
    expect_bad_region("BR:01:02", postal);
    expect_bad_region("BR-SP:01/3", postal);
    expect_bad_region("BR-SP:01234567890", postal); /* 11 characters */
    expect_bad_region("BR:0\xc3\x89", postal);
    expect_bad_region("ZZ", "unknown country 'ZZ'");
    expect_bad_region("uk", "unknown country 'UK'"); /* the United Kingdom is GB */
    expect_bad_region("EU", "unknown country 'EU'");

    char out[BL_REGION_MAX];
    struct bl_diag d;
    bl_diag_clear(&d);
    assert_int_equal(bl_region_parse(BL_STR("XX-YY"), out, &d), BL_EPARSE);
    assert_string_equal(d.msg, "unknown country 'XX' in region 'XX-YY': expected an ISO 3166-1 "
                               "alpha-2 code such as BR, CN, US");
    assert_int_equal(bl_region_parse(BL_STR("BRA"), out, &d), BL_EPARSE);
    assert_string_equal(d.msg, "expected a region code such as CN, BR-SP or BR-SP:013, got 'BRA'");
    assert_int_equal(bl_region_parse(BL_STR("BR-SPXX"), out, &d), BL_EPARSE);
    assert_string_equal(d.msg, "bad subdivision in region 'BR-SPXX': expected 1-3 letters or "
                               "digits after '-', as in BR-SP");
    assert_int_equal(bl_region_parse(BL_STR("BR:"), out, NULL), BL_EPARSE);
}

/* ---- textual containment ------------------------------------------------- */

static void test_contains_text(void **state)
{
    (void)state;
    struct {
        const char *outer, *inner;
        bool want;
    } cases[] = {
        {"BR", "BR", true},
        {"BR", "BR-SP", true},
        {"BR", "BR-SP:01", true},
        {"BR", "BR:01", true},
        {"BR-SP", "BR-SP", true},
        {"BR-SP", "BR-SP:013", true},
        {"BR-SP:01", "BR-SP:013", true},
        {"BR-SP:01", "BR-SP:01", true},
        {"BR:0", "BR:0134", true},
        {"", "BR", true},
        {"", "", true},
        {"", "CN-SH:2000", true},
        {"BR-S", "BR-SP", false},
        {"BR-SP", "BR-S", false},
        {"BR-SP", "BR", false},
        {"BR-SP:013", "BR-SP:01", false},
        {"BR-SP", "BR-SPX", false},
        {"BR", "BRA", false},
        {"BR", "CN", false},
        {"BR", "", false},
        {"BR:01", "BR-SP:01", false},
        {"BR-SP:01", "BR:01", false},
        {"BR-RJ", "BR-SP:01", false},
        {"CN", "CN-SH", true},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        bool got = bl_region_contains(bl_str_c(cases[i].outer), bl_str_c(cases[i].inner));
        if (got != cases[i].want)
            fail_msg("contains('%s', '%s') = %d, want %d", cases[i].outer, cases[i].inner, got,
                     cases[i].want);
    }
}

/* ---- the trie ----------------------------------------------------------------- */

static uint32_t intern(struct bl_regions *r, const char *code)
{
    uint32_t id = 0;
    assert_int_equal(bl_regions_intern(r, bl_str_c(code), &id), BL_OK);
    assert_true(id > 0);
    return id;
}

static void test_trie_basics(void **state)
{
    (void)state;
    struct bl_arena a = BL_ARENA_INIT;
    struct bl_regions *r = bl_regions_new(&a);
    assert_non_null(r);
    assert_int_equal(bl_regions_count(r), 1);
    assert_string_equal(bl_regions_name(r, 0), "");
    assert_int_equal(bl_regions_depth(r, 0), 0);
    assert_int_equal(bl_regions_parent(r, 0), 0);

    uint32_t sp013 = intern(r, "BR-SP:013");
    assert_int_equal(bl_regions_count(r), 6); /* root, BR, BR-SP, BR-SP:0, :01, :013 */
    assert_string_equal(bl_regions_name(r, sp013), "BR-SP:013");
    assert_int_equal(bl_regions_depth(r, sp013), 5);

    /* Walk up: every ancestor exists with its own name and depth. */
    const char *names[] = {"BR-SP:01", "BR-SP:0", "BR-SP", "BR", ""};
    uint32_t id = sp013;
    for (size_t i = 0; i < 5; i++) {
        id = bl_regions_parent(r, id);
        assert_string_equal(bl_regions_name(r, id), names[i]);
        assert_int_equal(bl_regions_depth(r, id), 4 - i);
    }
    assert_int_equal(id, 0);

    /* Interning again gives the same id and no new nodes. */
    assert_int_equal(intern(r, "BR-SP:013"), sp013);
    uint32_t br = intern(r, "BR");
    uint32_t sp = intern(r, "BR-SP");
    assert_int_equal(bl_regions_count(r), 6);
    assert_int_equal(bl_regions_parent(r, sp), br);

    /* find never creates nodes. */
    assert_int_equal(bl_regions_find(r, BL_STR("BR-SP:01")), bl_regions_parent(r, sp013));
    assert_int_equal(bl_regions_find(r, BL_STR("BR-SP:0134")), 0);
    assert_int_equal(bl_regions_find(r, BL_STR("CN")), 0);
    assert_int_equal(bl_regions_find(r, BL_STR("BR-RJ")), 0);
    assert_int_equal(bl_regions_find(r, BL_STR("br")), 0); /* not canonical */
    assert_int_equal(bl_regions_find(r, BL_STR("")), 0);
    assert_int_equal(bl_regions_count(r), 6);

    /* find_prefix: the deepest interned region that contains the code. */
    assert_int_equal(bl_regions_find_prefix(r, BL_STR("BR-SP:01310100")), sp013);
    assert_int_equal(bl_regions_find_prefix(r, BL_STR("BR-SP:0200")),
                     bl_regions_find(r, BL_STR("BR-SP:0")));
    assert_int_equal(bl_regions_find_prefix(r, BL_STR("BR-SP:9")), sp);
    assert_int_equal(bl_regions_find_prefix(r, BL_STR("BR-RJ:013")), br);
    assert_int_equal(bl_regions_find_prefix(r, BL_STR("BR:013")), br);
    assert_int_equal(bl_regions_find_prefix(r, BL_STR("CN-SH")), 0);
    assert_int_equal(bl_regions_find_prefix(r, BL_STR("BR-SP:01x")), 0);
    assert_int_equal(bl_regions_count(r), 6);

    /* Postal directly under a country is a different branch from a subdivision. */
    uint32_t br01 = intern(r, "BR:01");
    assert_string_equal(bl_regions_name(r, br01), "BR:01");
    assert_int_equal(bl_regions_depth(r, br01), 3);
    assert_int_equal(bl_regions_count(r), 8);

    assert_true(bl_regions_contains(r, 0, sp013));
    assert_true(bl_regions_contains(r, br, sp013));
    assert_true(bl_regions_contains(r, sp, sp013));
    assert_true(bl_regions_contains(r, sp013, sp013));
    assert_true(bl_regions_contains(r, br, br01));
    assert_false(bl_regions_contains(r, sp013, sp));
    assert_false(bl_regions_contains(r, sp, br01));
    assert_false(bl_regions_contains(r, br01, sp013));

    /* Ids the trie never issued. */
    assert_null(bl_regions_name(r, 999));
    assert_int_equal(bl_regions_parent(r, 999), 0);
    assert_int_equal(bl_regions_depth(r, 999), 0);
    assert_false(bl_regions_contains(r, 0, 999));
    assert_false(bl_regions_contains(r, 999, 999));

    /* Only canonical codes are interned. */
    const char *bad[] = {"",           "br",  "BR-", "BR:",   "BR-SPXX", "BR:01234567890",
                         "BR-SP:01 3", "BRA", "B",   "BR-sp", "BR::1",   "12"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        uint32_t x = 12345;
        assert_int_equal(bl_regions_intern(r, bl_str_c(bad[i]), &x), BL_EINVAL);
        assert_int_equal(x, 12345);
    }
    assert_int_equal(bl_regions_count(r), 8);
    bl_arena_release(&a);
}

static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* A random canonical code from small alphabets, so codes share prefixes often. */
static void random_code(uint64_t *seed, char *out)
{
    static const char *const countries[] = {"BR", "CN", "US", "GB"};
    static const char *const subs[] = {"SP", "S", "SPA", "RJ", "1", "SH"};
    size_t o = 0;
    const char *c = countries[rng_next(seed) % 4];
    out[o++] = c[0];
    out[o++] = c[1];
    if (rng_next(seed) % 3) {
        const char *s = subs[rng_next(seed) % 6];
        out[o++] = '-';
        for (size_t i = 0; s[i]; i++)
            out[o++] = s[i];
    }
    size_t postal = (size_t)(rng_next(seed) % 7);
    if (postal) {
        out[o++] = ':';
        for (size_t i = 0; i < postal; i++)
            out[o++] = "0123A"[rng_next(seed) % 5];
    }
    out[o] = '\0';
}

/* Everything the trie says must match the textual definitions. */
static void check_against_text(const struct bl_regions *r, char (*codes)[BL_REGION_MAX],
                               const uint32_t *ids, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(bl_regions_find(r, bl_str_c(codes[i])), ids[i]);
        assert_string_equal(bl_regions_name(r, ids[i]), codes[i]);
        for (size_t j = 0; j < n; j++) {
            bool text = bl_region_contains(bl_str_c(codes[i]), bl_str_c(codes[j]));
            bool trie = bl_regions_contains(r, ids[i], ids[j]);
            if (text != trie)
                fail_msg("contains('%s', '%s'): text %d, trie %d", codes[i], codes[j], text, trie);
        }
    }
    /* Every node's name is contained by its parent's and one step deeper. */
    for (uint32_t id = 1; id < bl_regions_count(r); id++) {
        uint32_t p = bl_regions_parent(r, id);
        assert_true(p < id);
        assert_int_equal(bl_regions_depth(r, id), bl_regions_depth(r, p) + 1);
        assert_true(
            bl_region_contains(bl_str_c(bl_regions_name(r, p)), bl_str_c(bl_regions_name(r, id))));
        assert_int_equal(bl_regions_find(r, bl_str_c(bl_regions_name(r, id))), id);
    }
}

#define NCODES 400

static void test_trie_matches_text(void **state)
{
    (void)state;
    static char codes[NCODES][BL_REGION_MAX];
    static uint32_t ids[NCODES];
    uint64_t seed = 0x2545F4914F6CDD1Du;
    struct bl_arena a = BL_ARENA_INIT;
    struct bl_regions *r = bl_regions_new(&a);
    assert_non_null(r);
    for (size_t i = 0; i < NCODES; i++) {
        random_code(&seed, codes[i]);
        char canon[BL_REGION_MAX];
        assert_int_equal(bl_region_parse(bl_str_c(codes[i]), canon, NULL), BL_OK);
        assert_string_equal(canon, codes[i]);
        ids[i] = intern(r, codes[i]);
    }
    check_against_text(r, codes, ids, NCODES);

    /* find_prefix on codes that were never interned. */
    for (int iter = 0; iter < 2000; iter++) {
        char c[BL_REGION_MAX];
        random_code(&seed, c);
        uint32_t before = bl_regions_count(r);
        uint32_t p = bl_regions_find_prefix(r, bl_str_c(c));
        assert_int_equal(bl_regions_count(r), before);
        assert_true(bl_region_contains(bl_str_c(bl_regions_name(r, p)), bl_str_c(c)));
        for (size_t i = 0; i < NCODES; i++) {
            bool text = bl_region_contains(bl_str_c(codes[i]), bl_str_c(c));
            if (bl_regions_contains(r, ids[i], p) != text)
                fail_msg("'%s' via prefix '%s' vs '%s'", c, bl_regions_name(r, p), codes[i]);
        }
    }
    bl_arena_release(&a);
}

/* Many distinct codes: the node directory and the edge table grow several times. */
static void test_trie_growth(void **state)
{
    (void)state;
    struct bl_arena a = BL_ARENA_INIT;
    struct bl_regions *r = bl_regions_new(&a);
    assert_non_null(r);
    char code[BL_REGION_MAX];
    uint32_t last = 0;
    for (unsigned i = 0; i < 20000; i++) {
        snprintf(code, sizeof(code), "CN-%u:%05u", i % 7, i);
        uint32_t id = intern(r, code);
        assert_true(id > last);
        last = id;
    }
    assert_true(bl_regions_count(r) > 20000);
    for (unsigned i = 0; i < 20000; i += 97) {
        snprintf(code, sizeof(code), "CN-%u:%05u", i % 7, i);
        uint32_t id = bl_regions_find(r, bl_str_c(code));
        assert_true(id > 0);
        assert_string_equal(bl_regions_name(r, id), code);
        snprintf(code, sizeof(code), "CN-%u", i % 7);
        assert_true(bl_regions_contains(r, bl_regions_find(r, bl_str_c(code)), id));
        snprintf(code, sizeof(code), "CN-%u", (i + 1) % 7);
        assert_false(bl_regions_contains(r, bl_regions_find(r, bl_str_c(code)), id));
    }
    bl_arena_release(&a);
}

static void test_trie_out_of_memory(void **state)
{
    (void)state;
    /* Tiny arena blocks: every arena allocation reaches bl_malloc. */
    struct bl_arena a;
    bl_arena_init(&a, 64);
    struct bl_regions *r = NULL;
    long fails = 0;
    for (long n = 0; !r; n++) {
        bl_alloc_fail_after(n);
        r = bl_regions_new(&a);
        bl_alloc_fail_after(-1);
        if (!r)
            fails++;
    }
    assert_true(fails > 0);

    static char codes[NCODES * 8][BL_REGION_MAX];
    static uint32_t ids[NCODES * 8];
    uint64_t seed = 0xDEADBEEFCAFEu;
    size_t n = 0, enomem = 0;
    for (size_t i = 0; i < NCODES * 8; i++) {
        snprintf(codes[n], BL_REGION_MAX, "US-%u:%04u", (unsigned)(i % 5), (unsigned)i);
        for (long k = 0;; k++) {
            uint32_t before = bl_regions_count(r), id = 777;
            bl_alloc_fail_after(k);
            int rc = bl_regions_intern(r, bl_str_c(codes[n]), &id);
            bl_alloc_fail_after(-1);
            if (rc == BL_OK) {
                ids[n++] = id;
                break;
            }
            assert_int_equal(rc, BL_ENOMEM);
            enomem++;
            /* Unchanged: same nodes, the code absent, earlier codes intact. */
            assert_int_equal(id, 777);
            assert_int_equal(bl_regions_count(r), before);
            assert_int_equal(bl_regions_find(r, bl_str_c(codes[n])), 0);
            size_t j = (size_t)(rng_next(&seed) % (n ? n : 1));
            if (n)
                assert_int_equal(bl_regions_find(r, bl_str_c(codes[j])), ids[j]);
        }
    }
    assert_true(enomem > 3); /* the directory, chunks and table all had to grow */
    for (size_t i = 0; i < n; i += 13)
        assert_int_equal(bl_regions_find(r, bl_str_c(codes[i])), ids[i]);
    check_against_text(r, codes, ids, 300);
    bl_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_valid),        cmocka_unit_test(test_parse_invalid),
        cmocka_unit_test(test_contains_text),      cmocka_unit_test(test_trie_basics),
        cmocka_unit_test(test_trie_matches_text),  cmocka_unit_test(test_trie_growth),
        cmocka_unit_test(test_trie_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
