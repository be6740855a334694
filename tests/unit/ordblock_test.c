/* ordblock_test.c - the order block codec: what goes in comes out (every column
 * width, "none" instants, dictionaries), the encoder refuses what does not fit, and
 * the parser turns away every truncation and damage without reading past the bytes
 * (the ASan build runs this). */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "ballast/assess.h"
#include "ballast/ordblock.h"

static const char *const regions[] = {"", "CN-SH", "US-CA", "BR-SP:013", "DE", "JP-13"};
static const char *const channels[] = {"", "EXP", "POST", "sea-1"};
static const char *const currencies[] = {"CNY", "USD", "BRL"};

/* A deterministic row i whose columns span the widths: `spread` scales the instants
 * and amounts (1: a byte; 1000: two bytes; 100000: four; 1e13: eight). */
static struct bl_ordblock_row row(size_t i, int64_t first, int64_t spread)
{
    int64_t t = 1725000000 + (int64_t)(i % 97) * spread;
    struct bl_ordblock_row r = {
        .id = first + (int64_t)i,
        .shop = 1 + (int64_t)(i % 7) * (spread > 1 ? 3000 : 1),
        .placed = t,
        .ship_by = i % 5 ? t + 3600 : BL_NO_TIME,
        .shipped = i % 3 ? t + 7200 : BL_NO_TIME,
        .picked_up = i % 4 ? t + 9000 : BL_NO_TIME,
        .delivered = i % 2 ? t + 86400 : BL_NO_TIME,
        .promised = t + 2 * 86400,
        .cancelled = i % 11 == 0 ? t + 60 : BL_NO_TIME,
        .cancel_by = i % 11 == 0 ? (int64_t)(i % 4) + 1 : BL_CANCEL_NONE,
        .amount = (int64_t)(i % 13) * spread - 5,
        .from = bl_str_c(regions[i % 6]),
        .to = bl_str_c(regions[(i + 3) % 6]),
        .channel = bl_str_c(channels[i % 4]),
        .currency = currencies[i % 3],
    };
    return r;
}

static void roundtrip(size_t n, int64_t spread)
{
    struct bl_ordblock_enc e;
    assert_int_equal(bl_ordblock_enc_init(&e), BL_OK);
    for (size_t i = 0; i < n; i++) {
        struct bl_ordblock_row r = row(i, 1000, spread);
        assert_true(bl_ordblock_enc_accepts(&e, &r));
        assert_int_equal(bl_ordblock_enc_add(&e, &r), BL_OK);
    }
    struct bl_buf out = BL_BUF_INIT;
    struct bl_ordblock_meta m;
    assert_int_equal(bl_ordblock_enc_finish(&e, &out, &m), BL_OK);
    assert_int_equal(m.first_id, 1000);
    assert_int_equal(m.n, (int64_t)n);
    assert_int_equal(e.n, 0); /* ready for the next block */

    struct bl_ordblock b;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_ordblock_parse(out.ptr, out.len, &b, &d), &d);
    assert_int_equal(b.n, n);
    assert_int_equal(b.first_id, 1000);
    int64_t *v[BL_OB__COUNT];
    for (int c = 0; c < BL_OB__COUNT; c++) {
        v[c] = malloc(n * sizeof(int64_t));
        BL_ASSERT_OK(bl_ordblock_column(&b, (enum bl_ob_col)c, v[c], &d), &d);
    }
    int64_t placed_lo = INT64_MAX, key_hi = INT64_MIN;
    for (size_t i = 0; i < n; i++) {
        struct bl_ordblock_row r = row(i, 1000, spread);
        assert_int_equal(v[BL_OB_SHOP][i], r.shop);
        assert_int_equal(v[BL_OB_PLACED][i], r.placed);
        assert_int_equal(v[BL_OB_SHIP_BY][i], r.ship_by);
        assert_int_equal(v[BL_OB_SHIPPED][i], r.shipped);
        assert_int_equal(v[BL_OB_PICKED_UP][i], r.picked_up);
        assert_int_equal(v[BL_OB_DELIVERED][i], r.delivered);
        assert_int_equal(v[BL_OB_PROMISED][i], r.promised);
        assert_int_equal(v[BL_OB_CANCELLED][i], r.cancelled);
        assert_int_equal(v[BL_OB_CANCEL_BY][i], r.cancel_by);
        assert_int_equal(v[BL_OB_AMOUNT][i], r.amount);
        int64_t f = v[BL_OB_FROM][i], t = v[BL_OB_TO][i], ch = v[BL_OB_CHANNEL][i];
        assert_true(f >= 0 && (size_t)f <= b.nregions);
        assert_true(bl_str_eq(f ? b.region[f - 1] : BL_STR(""), r.from));
        assert_true(bl_str_eq(t ? b.region[t - 1] : BL_STR(""), r.to));
        assert_true(bl_str_eq(ch ? b.channel[ch - 1] : BL_STR(""), r.channel));
        assert_memory_equal(b.currency + 3 * v[BL_OB_CURRENCY][i], r.currency, 3);
        placed_lo = r.placed < placed_lo ? r.placed : placed_lo;
        int64_t key = r.placed > r.ship_by ? r.placed : r.ship_by;
        key = r.promised > key ? r.promised : key;
        key_hi = key > key_hi ? key : key_hi;
    }
    assert_int_equal(m.placed_lo, placed_lo);
    assert_int_equal(m.key_hi, key_hi);
    for (int c = 0; c < BL_OB__COUNT; c++)
        free(v[c]);
    bl_ordblock_release(&b);
    bl_buf_release(&out);
    bl_ordblock_enc_release(&e);
}

static void test_roundtrip_widths(void **state)
{
    (void)state;
    roundtrip(1, 1);
    roundtrip(300, 1);
    roundtrip(1000, 1000);
    roundtrip(5000, 100000);
    roundtrip(700, INT64_C(10000000000000));
    roundtrip(BL_ORDBLOCK_MAX, 60);
}

static void test_encoder_limits(void **state)
{
    (void)state;
    struct bl_ordblock_enc e;
    assert_int_equal(bl_ordblock_enc_init(&e), BL_OK);
    struct bl_ordblock_row r = row(0, 10, 1);
    assert_int_equal(bl_ordblock_enc_add(&e, &r), BL_OK);
    struct bl_ordblock_row gap = row(2, 10, 1); /* id 12 does not follow 10 */
    assert_false(bl_ordblock_enc_accepts(&e, &gap));
    assert_int_equal(bl_ordblock_enc_add(&e, &gap), BL_EINVAL);
    struct bl_ordblock_row next = row(1, 10, 1);
    next.currency = "EURO";
    assert_int_equal(bl_ordblock_enc_add(&e, &next), BL_EINVAL);
    char long_region[300];
    memset(long_region, 'A', sizeof(long_region));
    next = row(1, 10, 1);
    next.to = (struct bl_str){long_region, sizeof(long_region)};
    assert_int_equal(bl_ordblock_enc_add(&e, &next), BL_EINVAL);
    struct bl_buf out = BL_BUF_INIT;
    struct bl_ordblock_meta m;
    assert_int_equal(bl_ordblock_enc_finish(&e, &out, &m), BL_OK);
    assert_int_equal(m.n, 1);
    assert_int_equal(bl_ordblock_enc_finish(&e, &out, &m), BL_EINVAL); /* empty */
    /* A full block takes nothing more. */
    for (size_t i = 0; i < BL_ORDBLOCK_MAX; i++) {
        r = row(i, 1, 1);
        assert_int_equal(bl_ordblock_enc_add(&e, &r), BL_OK);
    }
    r = row(BL_ORDBLOCK_MAX, 1, 1);
    assert_false(bl_ordblock_enc_accepts(&e, &r));
    bl_buf_release(&out);
    bl_ordblock_enc_release(&e);
}

/* Every column of a parsed block decodes, or the parse or decode says why. */
static int parse_all(const void *p, size_t len, struct bl_diag *d)
{
    struct bl_ordblock b;
    int rc = bl_ordblock_parse(p, len, &b, d);
    if (rc)
        return rc;
    int64_t *v = malloc((b.n ? b.n : 1) * sizeof(int64_t));
    for (int c = 0; !rc && c < BL_OB__COUNT; c++)
        rc = bl_ordblock_column(&b, (enum bl_ob_col)c, v, d);
    free(v);
    bl_ordblock_release(&b);
    return rc;
}

static void test_damage(void **state)
{
    (void)state;
    struct bl_ordblock_enc e;
    assert_int_equal(bl_ordblock_enc_init(&e), BL_OK);
    for (size_t i = 0; i < 40; i++) {
        struct bl_ordblock_row r = row(i, 1, 1000);
        assert_int_equal(bl_ordblock_enc_add(&e, &r), BL_OK);
    }
    struct bl_buf out = BL_BUF_INIT;
    struct bl_ordblock_meta m;
    assert_int_equal(bl_ordblock_enc_finish(&e, &out, &m), BL_OK);
    struct bl_diag d;
    /* Every truncation is refused, with a message; the bytes are copied to an exact
     * allocation so that ASan sees any read past them. */
    for (size_t len = 0; len < out.len; len++) {
        char *p = malloc(len ? len : 1);
        memcpy(p, out.ptr, len);
        bl_diag_clear(&d);
        assert_int_equal(parse_all(p, len, &d), BL_EPARSE);
        assert_true(d.msg[0] != '\0');
        free(p);
    }
    /* One more byte: trailing bytes. */
    char *p = malloc(out.len + 1);
    memcpy(p, out.ptr, out.len);
    p[out.len] = 0;
    bl_diag_clear(&d);
    assert_int_equal(parse_all(p, out.len + 1, &d), BL_EPARSE);
    /* Another version and another magic. */
    p[3] = '2';
    assert_int_equal(parse_all(p, out.len, &d), BL_EUNSUPPORTED);
    p[0] = 'X';
    assert_int_equal(parse_all(p, out.len, &d), BL_EPARSE);
    /* Every single-byte change either parses to something or is refused. */
    for (size_t at = 0; at < out.len; at++) {
        memcpy(p, out.ptr, out.len);
        p[at] = (char)(p[at] ^ 0x5a);
        bl_diag_clear(&d);
        int rc = parse_all(p, out.len, &d);
        assert_true(rc == BL_OK || rc == BL_EPARSE || rc == BL_EUNSUPPORTED);
        if (rc)
            assert_true(d.msg[0] != '\0');
    }
    free(p);
    bl_buf_release(&out);
    bl_ordblock_enc_release(&e);
}

static void test_alloc_failures(void **state)
{
    (void)state;
    int ok = 0;
    for (long k = 0; k < 200 && !ok; k++) {
        bl_alloc_fail_after(k);
        struct bl_ordblock_enc e;
        int rc = bl_ordblock_enc_init(&e);
        for (size_t i = 0; !rc && i < 50; i++) {
            struct bl_ordblock_row r = row(i, 1, 10);
            rc = bl_ordblock_enc_add(&e, &r);
        }
        struct bl_buf out = BL_BUF_INIT;
        struct bl_ordblock_meta m;
        if (!rc)
            rc = bl_ordblock_enc_finish(&e, &out, &m);
        struct bl_diag d;
        if (!rc)
            rc = parse_all(out.ptr, out.len, &d);
        bl_alloc_fail_after(-1);
        if (rc == BL_OK)
            ok = 1;
        else
            assert_int_equal(rc, BL_ENOMEM);
        bl_buf_release(&out);
        if (e.col[0])
            bl_ordblock_enc_release(&e);
    }
    assert_true(ok);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_widths),
        cmocka_unit_test(test_encoder_limits),
        cmocka_unit_test(test_damage),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
