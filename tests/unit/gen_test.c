/* gen_test.c - the synthetic dataset generator: determinism, file shapes, value
 * rules of docs/formats.md, references between files, sales = orders, errors. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "testutil.h"
#include "ballast/alloc.h"
#include "ballast/gen.h"

/* ---------------------------------------------------------------- helpers */

struct blob {
    char *p;
    size_t n;
};

static struct blob read_all(const char *path)
{
    gzFile f = gzopen(path, "rb"); /* reads plain files as they are */
    assert_non_null(f);
    struct blob b = {NULL, 0};
    size_t cap = 0;
    for (;;) {
        if (b.n + 65536 > cap) {
            cap = cap ? cap * 2 : 1 << 20;
            b.p = realloc(b.p, cap);
            assert_non_null(b.p);
        }
        int got = gzread(f, b.p + b.n, 65536);
        assert_true(got >= 0);
        if (!got)
            break;
        b.n += (size_t)got;
    }
    gzclose(f);
    return b;
}

static struct blob read_file(const char *dir, const char *name)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return read_all(path);
}

/* One file kind written to memory through bl_gen_write. */
static struct blob gen_mem(struct bl_gen *g, enum bl_gen_file f, int64_t *rows)
{
    struct blob b = {NULL, 0};
    FILE *m = open_memstream(&b.p, &b.n);
    assert_non_null(m);
    struct bl_diag d;
    BL_ASSERT_OK(bl_gen_write(g, f, m, rows, &d), &d);
    assert_int_equal(fclose(m), 0);
    return b;
}

static struct bl_gen_opts small_opts(uint64_t seed)
{
    struct bl_gen_opts o;
    bl_gen_opts_init(&o);
    o.seed = seed;
    o.orders = 20000;
    o.shops = 20;
    o.skus = 1500;
    o.days = 45;
    return o;
}

#define MAXF 32
#define FLEN 256

/* A parsed CSV table (RFC 4180: quotes, doubled quotes, commas inside quotes). */
struct table {
    size_t ncols, nrows;
    char (*cell)[FLEN]; /* nrows * ncols, header excluded */
    char head[MAXF][FLEN];
};

static size_t split(const char **pp, const char *end, char out[MAXF][FLEN])
{
    const char *p = *pp;
    size_t nf = 0, len = 0;
    bool quoted = false, was_quoted = false;
    out[0][0] = '\0';
    for (;;) {
        assert_true(p < end); /* every line ends with \n */
        char c = *p++;
        if (quoted) {
            if (c == '"' && p < end && *p == '"') {
                p++;
            } else if (c == '"') {
                quoted = false;
                continue;
            }
        } else if (c == '"') {
            assert_int_equal(len, 0); /* a quote only opens a field */
            quoted = was_quoted = true;
            continue;
        } else if (c == ',' || c == '\n') {
            out[nf][len] = '\0';
            nf++;
            assert_true(nf < MAXF);
            len = 0;
            out[nf][0] = '\0';
            was_quoted = false;
            if (c == '\n')
                break;
            continue;
        } else {
            assert_true(c != '\r');
        }
        assert_true(len + 1 < FLEN);
        out[nf][len++] = c;
    }
    (void)was_quoted;
    *pp = p;
    return nf;
}

static struct table *parse(struct blob b, const char *expect_header)
{
    struct table *t = calloc(1, sizeof(*t));
    assert_non_null(t);
    const char *p = b.p, *end = b.p + b.n;
    assert_true(b.n > 0 && b.p[b.n - 1] == '\n');
    const char *nl = memchr(p, '\n', b.n);
    assert_non_null(nl);
    assert_int_equal((size_t)(nl - p), strlen(expect_header));
    assert_memory_equal(p, expect_header, strlen(expect_header));
    t->ncols = split(&p, end, t->head);
    size_t cap = 1024;
    t->cell = malloc(cap * t->ncols * FLEN);
    assert_non_null(t->cell);
    char row[MAXF][FLEN];
    while (p < end) {
        size_t nf = split(&p, end, row);
        if (nf != t->ncols)
            fail_msg("row %zu has %zu fields, the header %zu", t->nrows + 2, nf, t->ncols);
        if (t->nrows == cap) {
            cap *= 2;
            t->cell = realloc(t->cell, cap * t->ncols * FLEN);
            assert_non_null(t->cell);
        }
        memcpy(t->cell + t->nrows * t->ncols, row, t->ncols * FLEN);
        t->nrows++;
    }
    return t;
}

static void table_free(struct table *t)
{
    free(t->cell);
    free(t);
}

static int col(const struct table *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->head[i], name) == 0)
            return (int)i;
    fail_msg("no column %s", name);
    return -1;
}

static const char *at(const struct table *t, size_t r, int c)
{
    return t->cell[r * t->ncols + (size_t)c];
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A sorted index of one column, for membership and uniqueness. */
struct ids {
    const char **v;
    size_t n;
};

static struct ids index_col(const struct table *t, const char *name)
{
    int c = col(t, name);
    struct ids ix = {malloc((t->nrows + 1) * sizeof(char *)), t->nrows};
    assert_non_null(ix.v);
    for (size_t r = 0; r < t->nrows; r++)
        ix.v[r] = at(t, r, c);
    qsort(ix.v, ix.n, sizeof(char *), cmp_str);
    return ix;
}

static bool has(const struct ids *ix, const char *s)
{
    return bsearch(&s, ix->v, ix->n, sizeof(char *), cmp_str) != NULL;
}

static void assert_unique(const struct ids *ix, const char *what)
{
    for (size_t i = 1; i < ix->n; i++)
        if (strcmp(ix->v[i - 1], ix->v[i]) == 0)
            fail_msg("%s '%s' appears twice", what, ix->v[i]);
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

static int64_t civil_days(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

/* "YYYY-MM-DD" with a real calendar day; returns the day number. */
static int64_t check_date(const char *s)
{
    if (strlen(s) != 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
        !digits(s + 8, 2))
        fail_msg("'%s' is not YYYY-MM-DD", s);
    int y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1] || (m == 2 && d == 29 && !leap))
        fail_msg("'%s' is not a calendar day", s);
    return civil_days(y, m, d);
}

/* "YYYY-MM-DDTHH:MM:SSZ" in UTC; returns epoch seconds. */
static int64_t check_time(const char *s)
{
    if (strlen(s) != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z' ||
        !digits(s + 11, 2) || !digits(s + 14, 2) || !digits(s + 17, 2))
        fail_msg("'%s' is not YYYY-MM-DDTHH:MM:SSZ", s);
    char date[11];
    memcpy(date, s, 10);
    date[10] = '\0';
    int hh = num(s + 11, 2), mm = num(s + 14, 2), ss = num(s + 17, 2);
    if (hh > 23 || mm > 59 || ss > 59)
        fail_msg("'%s' has an impossible time of day", s);
    return check_date(date) * 86400 + hh * 3600 + mm * 60 + ss;
}

/* CC, CC-SUB, optional :POSTAL (letters/digits). */
static void check_region(const char *s)
{
    size_t n = strlen(s), i = 2;
    bool ok = n >= 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
    if (ok && i < n && s[i] == '-') {
        size_t j = ++i;
        while (i < n && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
            i++;
        ok = i - j >= 1 && i - j <= 3;
    }
    if (ok && i < n && s[i] == ':') {
        size_t j = ++i;
        while (i < n && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
            i++;
        ok = i - j >= 1 && i - j <= 10;
    }
    if (!ok || i != n)
        fail_msg("'%s' is not a region code", s);
}

/* Money: digits, then '.' and exactly `decimals` digits when decimals > 0. */
static void check_money(const char *s, int decimals)
{
    const char *dot = strchr(s, '.');
    size_t ip = dot ? (size_t)(dot - s) : strlen(s);
    bool ok = ip > 0 && digits(s, ip);
    if (decimals == 0)
        ok = ok && !dot;
    else
        ok = ok && dot && strlen(dot + 1) == (size_t)decimals && digits(dot + 1, (size_t)decimals);
    if (!ok)
        fail_msg("'%s' is not money with %d decimals", s, decimals);
}

static void check_uint(const char *s, bool positive)
{
    if (!*s || !digits(s, strlen(s)) || (positive && atol(s) <= 0))
        fail_msg("'%s' is not a whole number%s", s, positive ? " > 0" : "");
}

static void check_enum(const char *s, const char *const *choices)
{
    for (; *choices; choices++)
        if (strcmp(s, *choices) == 0)
            return;
    fail_msg("'%s' is not one of the allowed values", s);
}

static void check_id(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 200)
        fail_msg("id '%s' has a bad length", s);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            fail_msg("id '%s' has a control character", s);
}

/* ---------------------------------------------------------------- the headers */

static const char *const headers[BL_GEN_NFILES] = {
    [BL_GEN_SHOPS] = "id,name,platform,currency,tz,ship_from,deposit,fulfilment,vacation",
    [BL_GEN_SKUS] = "id,name,category,weight_g,length_mm,width_mm,height_mm,price,currency,"
                    "handling_min,handling_max,listing,promoted,price_review,promo_spend",
    [BL_GEN_WAREHOUSES] = "id,name,region,kind",
    [BL_GEN_SUPPLIERS] = "id,name,region,lead_days,lead_days_max,moq,case_pack,state,backup_for",
    [BL_GEN_CHANNELS] = "channel,carrier,mode,tier,origin,destination,min_kg,max_kg,base,per_kg,"
                        "currency,transit_min,transit_max,sla_days,cutoff,tz,calendar,"
                        "volumetric_divisor,remedy",
    [BL_GEN_STOCK] = "warehouse,sku,on_hand,reserved,counted_at",
    [BL_GEN_INBOUND] = "po,sku,qty,warehouse,supplier,ordered_at,eta,received_at,state",
    [BL_GEN_DISRUPTIONS] = "id,region,scope,kind,starts_at,ends_at,channel,supplier,note",
    [BL_GEN_SALES] = "sku,date,units,in_stock",
    [BL_GEN_ORDERS] = "order,line,shop,sku,qty,unit_price,currency,placed_at,ship_by,"
                      "promised_at,ship_from,ship_to,picked_up_at,shipped_at,delivered_at,"
                      "cancelled_at,cancelled_by,customer,locale,channel",
    [BL_GEN_SKU_SUPPLIERS] = "sku,supplier,rank,unit_cost,currency,moq",
    [BL_GEN_RATES] = "date,from,to,rate",
    [BL_GEN_SHOP_SETTINGS] = "shop,account_url,support,support_hours,signature,sender",
    [BL_GEN_CUSTOMERS] = "id,name,email",
};

/* ---------------------------------------------------------------- tests */

static void test_file_kinds(void **state)
{
    (void)state;
    assert_string_equal(bl_gen_file_kind(BL_GEN_SHOPS), "shops");
    assert_string_equal(bl_gen_file_kind(BL_GEN_ORDERS), "orders");
    assert_string_equal(bl_gen_file_kind(BL_GEN_DISRUPTIONS), "disruptions");
    assert_null(bl_gen_file_kind(BL_GEN_NFILES));
}

static void test_bad_options(void **state)
{
    (void)state;
    struct bl_gen_opts o;
    struct bl_gen *g = (struct bl_gen *)1;
    struct bl_diag d;

    bl_gen_opts_init(&o);
    assert_int_equal(o.orders, 100000);
    assert_true(o.seed == 1);
    o.orders = -1;
    bl_diag_clear(&d);
    assert_int_equal(bl_gen_new(&g, &o, &d), BL_ERANGE);
    assert_null(g);
    assert_non_null(strstr(d.msg, "--orders -1"));
    assert_non_null(strstr(d.msg, "expected 0 to"));

    bl_gen_opts_init(&o);
    o.shops = 0;
    assert_int_equal(bl_gen_new(&g, &o, &d), BL_ERANGE);
    assert_non_null(strstr(d.msg, "--shops 0: expected 1 to 100000"));

    bl_gen_opts_init(&o);
    o.skus = BL_GEN_MAX_SKUS + 1;
    assert_int_equal(bl_gen_new(&g, &o, &d), BL_ERANGE);
    assert_non_null(strstr(d.msg, "--skus"));

    bl_gen_opts_init(&o);
    o.days = 0;
    assert_int_equal(bl_gen_new(&g, &o, &d), BL_ERANGE);
    assert_non_null(strstr(d.msg, "--days 0"));

    bl_gen_opts_init(&o);
    o.start_day = -5;
    assert_int_equal(bl_gen_new(&g, &o, &d), BL_ERANGE);
    assert_non_null(strstr(d.msg, "--start"));
}

static void test_parse_date(void **state)
{
    (void)state;
    int64_t day = 0;
    struct bl_diag d;
    BL_ASSERT_OK(bl_gen_parse_date("2024-02-29", &day, &d), &d);
    assert_int_equal(day, 19782);
    BL_ASSERT_OK(bl_gen_parse_date("1971-01-01", &day, &d), &d);
    assert_int_equal(day, 365);
    assert_int_equal(bl_gen_parse_date("2023-02-29", &day, &d), BL_ERANGE);
    assert_non_null(strstr(d.msg, "not a calendar date"));
    assert_int_equal(bl_gen_parse_date("2024-13-01", &day, &d), BL_ERANGE);
    assert_int_equal(bl_gen_parse_date("2024-1-01", &day, &d), BL_EPARSE);
    assert_non_null(strstr(d.msg, "expected a date YYYY-MM-DD"));
    assert_int_equal(bl_gen_parse_date("2024-01-01T00:00", &day, &d), BL_EPARSE);
    assert_int_equal(bl_gen_parse_date("", &day, &d), BL_EPARSE);
    assert_int_equal(bl_gen_parse_date("1970-06-01", &day, &d), BL_ERANGE);
    assert_non_null(strstr(d.msg, "1971 to 9000"));
}

/* Same seed: byte-identical files, whatever the order of writing; another seed
 * gives other data. */
static void test_determinism(void **state)
{
    (void)state;
    struct bl_gen_opts o = small_opts(42);
    struct bl_gen *a, *b, *c;
    struct bl_diag d;
    BL_ASSERT_OK(bl_gen_new(&a, &o, &d), &d);
    BL_ASSERT_OK(bl_gen_new(&b, &o, &d), &d);
    o.seed = 43;
    BL_ASSERT_OK(bl_gen_new(&c, &o, &d), &d);
    /* b writes in reverse order: each file has its own random stream */
    struct blob fb[BL_GEN_NFILES];
    for (int f = BL_GEN_NFILES - 1; f >= 0; f--)
        fb[f] = gen_mem(b, (enum bl_gen_file)f, NULL);
    for (int f = 0; f < BL_GEN_NFILES; f++) {
        struct blob x = gen_mem(a, (enum bl_gen_file)f, NULL);
        assert_int_equal(x.n, fb[f].n);
        assert_memory_equal(x.p, fb[f].p, x.n);
        /* and again from the same generator */
        struct blob y = gen_mem(a, (enum bl_gen_file)f, NULL);
        assert_int_equal(x.n, y.n);
        assert_memory_equal(x.p, y.p, x.n);
        free(x.p);
        free(y.p);
    }
    static const enum bl_gen_file seeded[] = {BL_GEN_SHOPS,      BL_GEN_SKUS,   BL_GEN_STOCK,
                                              BL_GEN_INBOUND,    BL_GEN_ORDERS, BL_GEN_SALES,
                                              BL_GEN_DISRUPTIONS};
    for (size_t i = 0; i < sizeof(seeded) / sizeof(seeded[0]); i++) {
        struct blob z = gen_mem(c, seeded[i], NULL);
        bool same = z.n == fb[seeded[i]].n && memcmp(z.p, fb[seeded[i]].p, z.n) == 0;
        if (same)
            fail_msg("%s.csv is the same for seeds 42 and 43", bl_gen_file_kind(seeded[i]));
        free(z.p);
    }
    for (int f = 0; f < BL_GEN_NFILES; f++)
        free(fb[f].p);
    bl_gen_free(a);
    bl_gen_free(b);
    bl_gen_free(c);
}

/* The directory writer gives the same bytes as the stream writer, gzip included,
 * and reports the counts. */
static void test_write_dir(void **state)
{
    (void)state;
    struct bl_gen_opts o = small_opts(7);
    o.orders = 5000;
    struct bl_gen *g;
    struct bl_diag d;
    BL_ASSERT_OK(bl_gen_new(&g, &o, &d), &d);
    char *dir = bl_test_tmpdir();
    char sub[256], subz[256];
    snprintf(sub, sizeof(sub), "%s/plain", dir);
    snprintf(subz, sizeof(subz), "%s/gz", dir);
    struct bl_gen_counts n;
    BL_ASSERT_OK(bl_gen_write_dir(g, sub, false, &n, &d), &d);
    assert_int_equal(n.rows[BL_GEN_ORDERS], 5000);
    assert_int_equal(n.rows[BL_GEN_SHOPS], 20);
    assert_int_equal(n.rows[BL_GEN_SKUS], 1500);
    assert_int_equal(n.rows[BL_GEN_WAREHOUSES], 10);
    assert_true(n.orders > 5000 / 4 && n.orders < 5000);
    assert_true(n.rows[BL_GEN_DISRUPTIONS] >= 15 && n.rows[BL_GEN_DISRUPTIONS] <= 64);
    /* already existing: files are replaced */
    BL_ASSERT_OK(bl_gen_write_dir(g, sub, false, &n, &d), &d);
    BL_ASSERT_OK(bl_gen_write_dir(g, subz, true, NULL, &d), &d);

    struct bl_gen *fresh;
    BL_ASSERT_OK(bl_gen_new(&fresh, &o, &d), &d);
    for (int f = 0; f < BL_GEN_NFILES; f++) {
        char name[64];
        const char *kind = bl_gen_file_kind((enum bl_gen_file)f);
        int64_t rows = -1;
        struct blob mem = gen_mem(fresh, (enum bl_gen_file)f, &rows);
        assert_int_equal(rows, n.rows[f]);
        assert_int_equal(mem.n, n.bytes[f]);
        snprintf(name, sizeof(name), "%s.csv", kind);
        struct blob plain = read_file(sub, name);
        snprintf(name, sizeof(name), "%s.csv.gz", kind);
        struct blob gz = read_file(subz, name);
        assert_int_equal(plain.n, mem.n);
        assert_memory_equal(plain.p, mem.p, mem.n);
        assert_int_equal(gz.n, mem.n);
        assert_memory_equal(gz.p, mem.p, mem.n);
        free(mem.p);
        free(plain.p);
        free(gz.p);
    }
    bl_gen_free(fresh);
    bl_gen_free(g);
    free(dir);
}

/* Every file: the documented header, as many fields per row as the header, values
 * that pass the format rules, references that resolve, counts that match the
 * options, and sales that add up to the orders. */
static void test_files_follow_the_formats(void **state)
{
    (void)state;
    struct bl_gen_opts o = small_opts(2024);
    struct bl_gen *g;
    struct bl_diag d;
    BL_ASSERT_OK(bl_gen_new(&g, &o, &d), &d);
    struct table *t[BL_GEN_NFILES];
    for (int f = 0; f < BL_GEN_NFILES; f++) {
        struct blob b = gen_mem(g, (enum bl_gen_file)f, NULL);
        t[f] = parse(b, headers[f]);
        free(b.p);
    }
    int64_t t0 = o.start_day * 86400, t1 = t0 + o.days * 86400;

    /* shops */
    static const char *const platforms[] = {
        "amazon",   "temu",   "tiktok-shop", "shein", "aliexpress", "ebay",  "shopify", "own-site",
        "kuaishou", "douyin", "taobao",      "jd",    "pinduoduo",  "olist", "other",   NULL};
    static const char *const currencies[] = {"USD", "EUR", "GBP", "JPY", "CNY", "BRL", NULL};
    static const char *const fulfil[] = {"merchant", "platform", NULL};
    static const char *const flags[] = {"0", "1", NULL};
    struct table *sh = t[BL_GEN_SHOPS];
    assert_int_equal(sh->nrows, (size_t)o.shops);
    for (size_t r = 0; r < sh->nrows; r++) {
        check_id(at(sh, r, 0));
        check_enum(at(sh, r, col(sh, "platform")), platforms);
        const char *cur = at(sh, r, col(sh, "currency"));
        check_enum(cur, currencies);
        check_region(at(sh, r, col(sh, "ship_from")));
        const char *dep = at(sh, r, col(sh, "deposit"));
        if (*dep)
            check_money(dep, strcmp(cur, "JPY") == 0 ? 0 : 2);
        check_enum(at(sh, r, col(sh, "fulfilment")), fulfil);
        check_enum(at(sh, r, col(sh, "vacation")), flags);
        const char *tz = at(sh, r, col(sh, "tz"));
        assert_true(strchr(tz, '/') != NULL); /* an IANA Area/City name */
        if (strcmp(at(sh, r, col(sh, "platform")), "kuaishou") == 0) {
            assert_string_equal(cur, "CNY");
            assert_string_equal(tz, "Asia/Shanghai");
            assert_memory_equal(at(sh, r, col(sh, "ship_from")), "CN-", 3);
        }
    }
    struct ids shop_ids = index_col(sh, "id");
    assert_unique(&shop_ids, "shop");

    /* skus */
    static const char *const listing[] = {"active", "inactive", "out_of_stock", "delisted", NULL};
    static const char *const review[] = {"none", "pending", "passed", "rejected", NULL};
    struct table *sk = t[BL_GEN_SKUS];
    assert_int_equal(sk->nrows, (size_t)o.skus);
    for (size_t r = 0; r < sk->nrows; r++) {
        check_id(at(sk, r, 0));
        for (const char *c = at(sk, r, col(sk, "name")); *c; c++)
            assert_true((unsigned char)*c >= 0x20);
        check_uint(at(sk, r, col(sk, "weight_g")), true);
        check_uint(at(sk, r, col(sk, "length_mm")), true);
        check_money(at(sk, r, col(sk, "price")), 2);
        assert_true((int)atol(at(sk, r, col(sk, "handling_min"))) <=
                    (int)atol(at(sk, r, col(sk, "handling_max"))));
        check_enum(at(sk, r, col(sk, "listing")), listing);
        check_enum(at(sk, r, col(sk, "promoted")), flags);
        check_enum(at(sk, r, col(sk, "price_review")), review);
        /* a promoted SKU's promotion costs $3 to $40 a day; no other has a spend */
        const char *spend = at(sk, r, col(sk, "promo_spend"));
        if (strcmp(at(sk, r, col(sk, "promoted")), "1") == 0) {
            check_money(spend, 2);
            assert_true(strtod(spend, NULL) >= 3.0 && strtod(spend, NULL) <= 40.0);
        } else {
            assert_string_equal(spend, "");
        }
    }
    struct ids sku_ids = index_col(sk, "id");
    assert_unique(&sku_ids, "sku");

    /* warehouses, suppliers */
    static const char *const wkinds[] = {"own", "3pl", "overseas", "fba", NULL};
    struct table *wh = t[BL_GEN_WAREHOUSES];
    for (size_t r = 0; r < wh->nrows; r++) {
        check_region(at(wh, r, col(wh, "region")));
        check_enum(at(wh, r, col(wh, "kind")), wkinds);
    }
    struct ids wh_ids = index_col(wh, "id");
    assert_unique(&wh_ids, "warehouse");
    static const char *const sstates[] = {"active", "shutdown", "closed", NULL};
    struct table *su = t[BL_GEN_SUPPLIERS];
    struct ids sup_ids = index_col(su, "id");
    assert_unique(&sup_ids, "supplier");
    for (size_t r = 0; r < su->nrows; r++) {
        check_region(at(su, r, col(su, "region")));
        int lead = (int)atol(at(su, r, col(su, "lead_days")));
        assert_true(lead > 0 && lead <= (int)atol(at(su, r, col(su, "lead_days_max"))));
        check_uint(at(su, r, col(su, "moq")), true);
        check_uint(at(su, r, col(su, "case_pack")), true);
        check_enum(at(su, r, col(su, "state")), sstates);
        const char *bf = at(su, r, col(su, "backup_for"));
        assert_true(!*bf || has(&sup_ids, bf));
    }

    /* channels: rows of a channel are consecutive and agree on its own columns */
    static const char *const modes[] = {"postal", "dedicated", "express",  "air", "rail",
                                        "sea",    "truck",     "overseas", NULL};
    static const char *const tiers[] = {"core", "backup", NULL};
    static const char *const own[] = {
        "carrier",  "mode",   "tier", "currency", "transit_min",        "transit_max",
        "sla_days", "cutoff", "tz",   "calendar", "volumetric_divisor", "remedy",
        NULL};
    struct table *ch = t[BL_GEN_CHANNELS];
    struct ids chan_ids = index_col(ch, "channel");
    size_t nchan = 0;
    bool dest_seen[8] = {false};
    static const char *const dests[] = {"US", "GB", "DE", "FR", "BR", "RU", "JP", "CN"};
    for (size_t r = 0; r < ch->nrows; r++) {
        const char *id = at(ch, r, 0);
        if (r == 0 || strcmp(id, at(ch, r - 1, 0)) != 0) {
            nchan++;
            for (size_t q = 0; q < r; q++)
                if (strcmp(at(ch, q, 0), id) == 0)
                    fail_msg("channel %s: rows are not consecutive", id);
        } else {
            for (const char *const *c = own; *c; c++)
                assert_string_equal(at(ch, r, col(ch, *c)), at(ch, r - 1, col(ch, *c)));
        }
        check_enum(at(ch, r, col(ch, "mode")), modes);
        check_enum(at(ch, r, col(ch, "tier")), tiers);
        check_region(at(ch, r, col(ch, "origin")));
        check_region(at(ch, r, col(ch, "destination")));
        for (int i = 0; i < 8; i++)
            dest_seen[i] |= strcmp(at(ch, r, col(ch, "destination")), dests[i]) == 0;
        double lo = strtod(at(ch, r, col(ch, "min_kg")), NULL);
        double hi = strtod(at(ch, r, col(ch, "max_kg")), NULL);
        assert_true(lo >= 0 && lo < hi);
        const char *cur = at(ch, r, col(ch, "currency"));
        check_money(at(ch, r, col(ch, "base")), strcmp(cur, "JPY") == 0 ? 0 : 2);
        check_money(at(ch, r, col(ch, "per_kg")), strcmp(cur, "JPY") == 0 ? 0 : 2);
        assert_true((int)atol(at(ch, r, col(ch, "transit_min"))) <=
                    (int)atol(at(ch, r, col(ch, "transit_max"))));
        const char *cut = at(ch, r, col(ch, "cutoff"));
        assert_true(strlen(cut) == 5 && cut[2] == ':');
    }
    for (int i = 0; i < 8; i++)
        assert_true(dest_seen[i]);
    assert_true(nchan >= 30);

    /* stock, inbound */
    struct table *st = t[BL_GEN_STOCK];
    for (size_t r = 0; r < st->nrows; r++) {
        assert_true(has(&wh_ids, at(st, r, 0)));
        assert_true(has(&sku_ids, at(st, r, 1)));
        check_uint(at(st, r, 2), false);
        check_uint(at(st, r, 3), false);
        assert_true(atol(at(st, r, 3)) <= atol(at(st, r, 2)));
        int64_t c = check_time(at(st, r, 4));
        assert_true(c >= t0 && c < t1);
        if (r > 0 && strcmp(at(st, r, 1), at(st, r - 1, 1)) == 0)
            assert_true(strcmp(at(st, r, 0), at(st, r - 1, 0)) != 0);
    }
    static const char *const postates[] = {"open", "received", "cancelled", NULL};
    struct table *in = t[BL_GEN_INBOUND];
    for (size_t r = 0; r < in->nrows; r++) {
        assert_true(has(&sku_ids, at(in, r, col(in, "sku"))));
        assert_true(has(&wh_ids, at(in, r, col(in, "warehouse"))));
        assert_true(has(&sup_ids, at(in, r, col(in, "supplier"))));
        check_uint(at(in, r, col(in, "qty")), true);
        int64_t ordered = check_time(at(in, r, col(in, "ordered_at")));
        assert_true(check_time(at(in, r, col(in, "eta"))) > ordered);
        const char *rec = at(in, r, col(in, "received_at"));
        const char *pst = at(in, r, col(in, "state"));
        check_enum(pst, postates);
        assert_true((*rec != '\0') == (strcmp(pst, "received") == 0));
        if (*rec)
            assert_true(check_time(rec) > ordered && check_time(rec) < t1);
        if (r > 0 && strcmp(at(in, r, 0), at(in, r - 1, 0)) == 0)
            for (size_t q = r; q > 0 && strcmp(at(in, q - 1, 0), at(in, r, 0)) == 0; q--)
                assert_true(strcmp(at(in, q - 1, 1), at(in, r, 1)) != 0);
    }

    /* disruptions */
    static const char *const scopes[] = {"origin", "destination", "both", NULL};
    static const char *const dkinds[] = {"lockdown",
                                         "strike",
                                         "route_suspension",
                                         "carrier_suspension",
                                         "supplier_shutdown",
                                         "holiday",
                                         "weather",
                                         "other",
                                         NULL};
    struct table *di = t[BL_GEN_DISRUPTIONS];
    assert_true(di->nrows >= 15);
    struct ids dis_ids = index_col(di, "id");
    assert_unique(&dis_ids, "disruption");
    bool ru_rail = false, lockdown_cn = false, strike = false;
    for (size_t r = 0; r < di->nrows; r++) {
        const char *region = at(di, r, col(di, "region"));
        const char *kind = at(di, r, col(di, "kind"));
        check_region(region);
        check_enum(at(di, r, col(di, "scope")), scopes);
        check_enum(kind, dkinds);
        int64_t s = check_time(at(di, r, col(di, "starts_at")));
        const char *e = at(di, r, col(di, "ends_at"));
        assert_true(s >= t0 && s < t1);
        if (*e)
            assert_true(check_time(e) > s && check_time(e) <= t1);
        const char *c = at(di, r, col(di, "channel"));
        assert_true(!*c || has(&chan_ids, c));
        const char *sp = at(di, r, col(di, "supplier"));
        assert_true(!*sp || has(&sup_ids, sp));
        ru_rail |= strcmp(c, "CRE-RAIL-RU") == 0;
        lockdown_cn |= strcmp(kind, "lockdown") == 0 && strncmp(region, "CN-", 3) == 0;
        strike |= strcmp(kind, "strike") == 0;
    }
    assert_true(ru_rail && lockdown_cn && strike);

    /* orders */
    static const char *const by[] = {"", "seller", "buyer", "platform", "unknown", NULL};
    struct table *od = t[BL_GEN_ORDERS];
    assert_int_equal(od->nrows, (size_t)o.orders);
    int c_order = col(od, "order"), c_shop = col(od, "shop"), c_line = col(od, "line");
    int c_sku = col(od, "sku"), c_qty = col(od, "qty"), c_price = col(od, "unit_price");
    int c_cur = col(od, "currency"), c_placed = col(od, "placed_at");
    int c_ship = col(od, "shipped_at"), c_by = col(od, "ship_by");
    int c_pick = col(od, "picked_up_at"), c_del = col(od, "delivered_at");
    int c_can = col(od, "cancelled_at"), c_canby = col(od, "cancelled_by");
    int c_chan = col(od, "channel");
    int64_t days = o.days, nsales = o.skus < 1000 ? o.skus : 1000;
    int64_t *units = calloc((size_t)(nsales * days), sizeof(int64_t));
    const char **keys = malloc(od->nrows * sizeof(char *));
    char(*keybuf)[64] = malloc(od->nrows * 64);
    assert_true(units && keys && keybuf);
    size_t norders = 0, nshipped = 0, nlate = 0, ncancel = 0;
    size_t shop_orders[64] = {0};
    int64_t prev_placed = 0;
    for (size_t r = 0; r < od->nrows; r++) {
        const char *shop = at(od, r, c_shop);
        assert_true(has(&shop_ids, shop));
        assert_true(has(&sku_ids, at(od, r, c_sku)));
        check_id(at(od, r, c_order));
        check_uint(at(od, r, c_qty), true);
        const char *cur = at(od, r, c_cur);
        check_money(at(od, r, c_price), strcmp(cur, "JPY") == 0 ? 0 : 2);
        /* the currency is the shop's */
        int si = (int)atol(shop + 5) - 1;
        assert_true(si >= 0 && si < (int)sh->nrows);
        assert_string_equal(at(sh, (size_t)si, 0), shop);
        assert_string_equal(cur, at(sh, (size_t)si, col(sh, "currency")));
        bool first = r == 0 || strcmp(at(od, r, c_order), at(od, r - 1, c_order)) != 0 ||
                     strcmp(shop, at(od, r - 1, c_shop)) != 0;
        if (!first) {
            /* the order's own columns agree on its lines; lines count up */
            for (size_t c = 0; c < od->ncols; c++)
                if ((int)c != c_line && (int)c != c_sku && (int)c != c_qty && (int)c != c_price)
                    assert_string_equal(at(od, r, (int)c), at(od, r - 1, (int)c));
            assert_int_equal((int)atol(at(od, r, c_line)), (int)atol(at(od, r - 1, c_line)) + 1);
            assert_string_not_equal(at(od, r, c_sku), at(od, r - 1, c_sku));
        } else {
            assert_string_equal(at(od, r, c_line), "1");
            snprintf(keybuf[norders], 64, "%s/%s", shop, at(od, r, c_order));
            keys[norders] = keybuf[norders];
            norders++;
            shop_orders[si]++;
            int64_t placed = check_time(at(od, r, c_placed));
            assert_true(placed >= t0 && placed < t1);
            assert_true(placed >= prev_placed); /* the file runs in time order */
            prev_placed = placed;
            int64_t ship_by = check_time(at(od, r, c_by));
            assert_true(ship_by > placed);
            assert_true(check_time(at(od, r, col(od, "promised_at"))) > ship_by);
            check_region(at(od, r, col(od, "ship_from")));
            check_region(at(od, r, col(od, "ship_to")));
            check_enum(at(od, r, c_canby), by);
            const char *chan = at(od, r, c_chan);
            assert_true(!*chan || has(&chan_ids, chan));
            const char *ship = at(od, r, c_ship), *can = at(od, r, c_can);
            const char *pick = at(od, r, c_pick), *del = at(od, r, c_del);
            assert_int_equal(*can != '\0', *at(od, r, c_canby) != '\0');
            if (*can) {
                ncancel++;
                assert_true(check_time(can) > placed && check_time(can) < t1);
                assert_true(!*ship && !*del);
            }
            if (*ship) {
                int64_t s = check_time(ship);
                assert_true(s > placed && s < t1);
                nshipped++;
                nlate += s > ship_by;
                if (*pick)
                    assert_true(check_time(pick) > s && check_time(pick) < t1);
                if (*del)
                    assert_true(check_time(del) > s && check_time(del) < t1);
            } else {
                assert_true(!*pick && !*del);
            }
            const char *locale = at(od, r, col(od, "locale"));
            assert_true(strlen(locale) == 5 && locale[2] == '-');
        }
        /* sales counts non-cancelled lines by SKU and UTC day of placement */
        int64_t k = atol(at(od, r, c_sku) + 4) - 1;
        if (k < nsales && !*at(od, r, c_canby)) {
            int64_t day = check_time(at(od, r, c_placed)) / 86400 - o.start_day;
            units[k * days + day] += atol(at(od, r, c_qty));
        }
    }
    struct ids order_keys = {keys, norders};
    qsort(keys, norders, sizeof(char *), cmp_str);
    assert_unique(&order_keys, "order id (per shop)");
    /* realism: most orders ship, mostly on time; few cancellations; skewed shops */
    assert_true(norders > od->nrows / 2);
    assert_true(nshipped > norders * 8 / 10);
    assert_true(nlate < nshipped / 4);
    assert_true(nlate > 0);
    assert_true(ncancel < norders / 10 && ncancel > 0);
    assert_true(shop_orders[0] > 4 * shop_orders[o.shops - 1]);

    /* sales: one row per (sku, date), exactly the units of the orders */
    struct table *sa = t[BL_GEN_SALES];
    int64_t *seen = calloc((size_t)(nsales * days), sizeof(int64_t));
    assert_non_null(seen);
    size_t out_days = 0;
    for (size_t r = 0; r < sa->nrows; r++) {
        int64_t k = atol(at(sa, r, 0) + 4) - 1;
        assert_true(k >= 0 && k < nsales);
        assert_true(has(&sku_ids, at(sa, r, 0)));
        int64_t day = check_date(at(sa, r, 1)) - o.start_day;
        assert_true(day >= 0 && day < days);
        assert_int_equal(seen[k * days + day]++, 0);
        check_uint(at(sa, r, 2), false);
        assert_int_equal(atol(at(sa, r, 2)), units[k * days + day]);
        check_enum(at(sa, r, 3), flags);
        out_days += strcmp(at(sa, r, 3), "0") == 0;
    }
    for (int64_t i = 0; i < nsales * days; i++)
        if (units[i] && !seen[i])
            fail_msg("sales.csv lacks SKU %lld day %lld", (long long)(i / days + 1),
                     (long long)(i % days));
    assert_true(out_days > 0); /* some stock-outs are marked */

    /* sku_suppliers: every SKU has a primary (rank 1), the supplier of its purchase
     * orders; ranks run 1, 2 per SKU; suppliers exist; costs are money in CNY */
    struct table *ss = t[BL_GEN_SKU_SUPPLIERS];
    size_t primaries = 0;
    for (size_t r = 0; r < ss->nrows; r++) {
        assert_true(has(&sku_ids, at(ss, r, col(ss, "sku"))));
        assert_true(has(&sup_ids, at(ss, r, col(ss, "supplier"))));
        const char *rank = at(ss, r, col(ss, "rank"));
        assert_true(strcmp(rank, "1") == 0 || strcmp(rank, "2") == 0);
        primaries += strcmp(rank, "1") == 0;
        if (strcmp(rank, "2") == 0)
            assert_string_equal(at(ss, r - 1, col(ss, "sku")), at(ss, r, col(ss, "sku")));
        check_money(at(ss, r, col(ss, "unit_cost")), 2);
        assert_string_equal(at(ss, r, col(ss, "currency")), "CNY");
    }
    assert_int_equal(primaries, (size_t)o.skus);
    /* rates: one a day per currency to USD, from a week before the first day */
    struct table *fx = t[BL_GEN_RATES];
    assert_int_equal(fx->nrows, (size_t)(o.days + 7) * 5);
    for (size_t r = 0; r < fx->nrows; r++) {
        assert_string_equal(at(fx, r, col(fx, "to")), "USD");
        check_money(at(fx, r, col(fx, "rate")), 8);
    }

    free(seen);
    free(units);
    free(keys);
    free(keybuf);
    free(shop_ids.v);
    free(sku_ids.v);
    free(wh_ids.v);
    free(sup_ids.v);
    free(chan_ids.v);
    free(dis_ids.v);
    for (int f = 0; f < BL_GEN_NFILES; f++)
        table_free(t[f]);
    bl_gen_free(g);
}

/* Extreme options still give importable shapes. */
static void test_tiny_and_empty(void **state)
{
    (void)state;
    struct bl_gen_opts o;
    bl_gen_opts_init(&o);
    o.shops = 1;
    o.skus = 1;
    o.days = 1;
    o.orders = 25;
    struct bl_gen *g;
    struct bl_diag d;
    BL_ASSERT_OK(bl_gen_new(&g, &o, &d), &d);
    int64_t rows;
    struct blob b = gen_mem(g, BL_GEN_ORDERS, &rows);
    assert_int_equal(rows, 25);
    struct table *t = parse(b, headers[BL_GEN_ORDERS]);
    assert_int_equal(t->nrows, 25);
    for (size_t r = 0; r < t->nrows; r++) /* one SKU: every order has one line */
        assert_string_equal(at(t, r, 1), "1");
    table_free(t);
    free(b.p);
    bl_gen_free(g);

    o.orders = 0;
    BL_ASSERT_OK(bl_gen_new(&g, &o, &d), &d);
    b = gen_mem(g, BL_GEN_ORDERS, &rows);
    assert_int_equal(rows, 0);
    assert_int_equal(b.n, strlen(headers[BL_GEN_ORDERS]) + 1);
    free(b.p);
    bl_gen_free(g);
}

/* --orders 0: the directory holds no header-only file the importer would reject;
 * an orders.csv from an earlier run is removed, not left to mismatch. */
static void test_write_dir_without_orders(void **state)
{
    (void)state;
    struct bl_gen_opts o;
    bl_gen_opts_init(&o);
    o.orders = 50;
    o.shops = 3;
    o.skus = 2;
    o.days = 3; /* no stock-out days: sales.csv has no rows either */
    struct bl_gen *g;
    struct bl_diag d;
    char *dir = bl_test_tmpdir();
    BL_ASSERT_OK(bl_gen_new(&g, &o, &d), &d);
    struct bl_gen_counts n;
    BL_ASSERT_OK(bl_gen_write_dir(g, dir, false, &n, &d), &d);
    bl_gen_free(g);
    assert_true(n.written[BL_GEN_ORDERS]);
    char path[512];
    struct stat st;
    snprintf(path, sizeof(path), "%s/orders.csv", dir);
    assert_int_equal(stat(path, &st), 0);

    o.orders = 0;
    BL_ASSERT_OK(bl_gen_new(&g, &o, &d), &d);
    BL_ASSERT_OK(bl_gen_write_dir(g, dir, false, &n, &d), &d);
    assert_int_equal(n.orders, 0);
    for (int f = 0; f < BL_GEN_NFILES; f++) {
        const char *kind = bl_gen_file_kind((enum bl_gen_file)f);
        bool none = f == BL_GEN_ORDERS || f == BL_GEN_SALES || f == BL_GEN_CUSTOMERS;
        snprintf(path, sizeof(path), "%s/%s.csv", dir, kind);
        if (none) {
            assert_false(n.written[f]);
            assert_int_equal(n.rows[f], 0);
            assert_int_equal(n.bytes[f], 0);
            if (stat(path, &st) == 0)
                fail_msg("%s.csv is there with --orders 0", kind);
        } else {
            if (!n.written[f] || n.rows[f] < 1)
                fail_msg("%s.csv: no rows with --orders 0", kind);
            assert_int_equal(stat(path, &st), 0);
            assert_int_equal((uint64_t)st.st_size, n.bytes[f]);
        }
    }
    /* gzip: the same rule */
    char sub[256];
    snprintf(sub, sizeof(sub), "%s/gz", dir);
    BL_ASSERT_OK(bl_gen_write_dir(g, sub, true, &n, &d), &d);
    snprintf(path, sizeof(path), "%s/orders.csv.gz", sub);
    assert_int_not_equal(stat(path, &st), 0);
    snprintf(path, sizeof(path), "%s/shops.csv.gz", sub);
    assert_int_equal(stat(path, &st), 0);
    bl_gen_free(g);
    free(dir);
}

/* The smallest options still give rows in every reference file: inbound.csv once
 * came out header-only when the POs fell on suppliers without SKUs. */
static void test_tiny_reference_files(void **state)
{
    (void)state;
    struct bl_diag d;
    for (int64_t skus = 1; skus <= 6; skus++) {
        for (uint64_t seed = 1; seed <= 12; seed++) {
            struct bl_gen_opts o;
            bl_gen_opts_init(&o);
            o.seed = seed;
            o.orders = 1;
            o.shops = 1;
            o.skus = skus;
            o.days = 1;
            struct bl_gen *g;
            BL_ASSERT_OK(bl_gen_new(&g, &o, &d), &d);
            for (int f = 0; f < BL_GEN_NFILES; f++) {
                if (f == BL_GEN_SALES)
                    continue; /* the one order may be cancelled: no sales */
                int64_t rows = 0;
                struct blob b = gen_mem(g, (enum bl_gen_file)f, &rows);
                if (rows < 1)
                    fail_msg("%s.csv has no rows with --skus %lld --seed %llu",
                             bl_gen_file_kind((enum bl_gen_file)f), (long long)skus,
                             (unsigned long long)seed);
                free(b.p);
            }
            bl_gen_free(g);
        }
    }
}

/* region containment as docs/formats.md has it */
static bool contains(const char *outer, const char *inner)
{
    size_t n = strlen(outer);
    if (strncmp(outer, inner, n) != 0)
        return false;
    return inner[n] == '\0' || inner[n] == '-' || inner[n] == ':' || strchr(outer, ':');
}

static int cmp_desc(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* What the requirement calls realistic, as numbers a reader of the data would
 * check: Zipf-like skew of orders over shops and SKUs, plausible promises, some
 * late shipments and deliveries, cancellations by buyers and sellers, regions
 * that agree with the shop and the channel, and a daily rhythm. */
static void test_realism(void **state)
{
    (void)state;
    struct bl_gen_opts o;
    bl_gen_opts_init(&o);
    o.seed = 99;
    o.orders = 60000;
    o.shops = 40;
    o.skus = 3000;
    o.days = 60;
    struct bl_gen *g;
    struct bl_diag d;
    BL_ASSERT_OK(bl_gen_new(&g, &o, &d), &d);
    struct blob b = gen_mem(g, BL_GEN_SHOPS, NULL);
    struct table *sh = parse(b, headers[BL_GEN_SHOPS]);
    free(b.p);
    b = gen_mem(g, BL_GEN_CHANNELS, NULL);
    struct table *ch = parse(b, headers[BL_GEN_CHANNELS]);
    free(b.p);
    b = gen_mem(g, BL_GEN_ORDERS, NULL);
    struct table *od = parse(b, headers[BL_GEN_ORDERS]);
    free(b.p);

    int c_order = col(od, "order"), c_shop = col(od, "shop"), c_sku = col(od, "sku");
    int c_placed = col(od, "placed_at"), c_by = col(od, "ship_by");
    int c_prom = col(od, "promised_at"), c_ship = col(od, "shipped_at");
    int c_del = col(od, "delivered_at"), c_canby = col(od, "cancelled_by");
    int c_from = col(od, "ship_from"), c_to = col(od, "ship_to"), c_chan = col(od, "channel");
    int c_loc = col(od, "locale");
    size_t *per_shop = calloc((size_t)o.shops, sizeof(size_t));
    size_t *per_sku = calloc((size_t)o.skus, sizeof(size_t));
    assert_true(per_shop && per_sku);
    size_t norders = 0, shipped = 0, late = 0, delivered = 0, late_del = 0;
    size_t by_buyer = 0, by_seller = 0, by_platform = 0, hours[24] = {0};
    static const char *const locale_of[][2] = {{"US", "en-US"}, {"GB", "en-GB"}, {"DE", "de-DE"},
                                               {"FR", "fr-FR"}, {"BR", "pt-BR"}, {"RU", "ru-RU"},
                                               {"JP", "ja-JP"}, {"CN", "zh-CN"}};
    for (size_t r = 0; r < od->nrows; r++) {
        per_sku[atol(at(od, r, c_sku) + 4) - 1]++;
        if (r > 0 && strcmp(at(od, r, c_order), at(od, r - 1, c_order)) == 0 &&
            strcmp(at(od, r, c_shop), at(od, r - 1, c_shop)) == 0)
            continue; /* the order's columns are on its first line */
        norders++;
        size_t si = (size_t)atol(at(od, r, c_shop) + 5) - 1;
        per_shop[si]++;
        /* the shop ships from where shops.csv says */
        assert_string_equal(at(od, r, c_from), at(sh, si, col(sh, "ship_from")));
        const char *to = at(od, r, c_to);
        bool loc = false;
        for (size_t i = 0; i < 8; i++)
            if (strncmp(to, locale_of[i][0], 2) == 0)
                loc = strcmp(at(od, r, c_loc), locale_of[i][1]) == 0;
        if (!loc)
            fail_msg("order %s to %s has locale %s", at(od, r, c_order), to, at(od, r, c_loc));
        /* the channel has a lane from the ship_from to the ship_to */
        const char *chan = at(od, r, c_chan);
        if (*chan) {
            bool lane = false;
            for (size_t k = 0; k < ch->nrows && !lane; k++)
                lane = strcmp(at(ch, k, 0), chan) == 0 &&
                       contains(at(ch, k, col(ch, "origin")), at(od, r, c_from)) &&
                       contains(at(ch, k, col(ch, "destination")), to);
            if (!lane)
                fail_msg("channel %s has no lane %s -> %s", chan, at(od, r, c_from), to);
        }
        int64_t placed = check_time(at(od, r, c_placed));
        int64_t ship_by = check_time(at(od, r, c_by));
        int64_t promised = check_time(at(od, r, c_prom));
        hours[placed / 3600 % 24]++;
        /* handling: 1 to 3 days, longer only over a holiday */
        assert_true(ship_by - placed >= 86400 && ship_by - placed <= 20 * 86400);
        /* promised delivery: days to weeks after the order, after the ship-by */
        assert_true(promised - ship_by >= 2 * 86400 && promised - placed <= 90 * 86400);
        const char *by = at(od, r, c_canby);
        by_buyer += strcmp(by, "buyer") == 0;
        by_seller += strcmp(by, "seller") == 0;
        by_platform += strcmp(by, "platform") == 0;
        if (*at(od, r, c_ship)) {
            shipped++;
            late += check_time(at(od, r, c_ship)) > ship_by;
        }
        if (*at(od, r, c_del)) {
            delivered++;
            late_del += check_time(at(od, r, c_del)) > promised;
        }
    }
    /* shops: Zipf, a few big ones and a long tail */
    qsort(per_shop, (size_t)o.shops, sizeof(size_t), cmp_desc);
    size_t top5 = 0;
    for (int i = 0; i < 5; i++)
        top5 += per_shop[i];
    assert_true(per_shop[0] * 100 > norders * 15);         /* the biggest: > 15% */
    assert_true(top5 * 100 > norders * 40);                /* the top 5: > 40% */
    assert_true(per_shop[0] > 15 * per_shop[o.shops - 1]); /* long tail */
    assert_true(per_shop[o.shops - 1] > 0);                /* every shop sells */
    /* SKUs: the top 1% take a quarter of the lines; the median SKU sells little */
    qsort(per_sku, (size_t)o.skus, sizeof(size_t), cmp_desc);
    size_t top1pc = 0;
    for (int64_t i = 0; i < o.skus / 100; i++)
        top1pc += per_sku[i];
    assert_true(top1pc * 4 > od->nrows);
    assert_true(per_sku[0] > 50 * per_sku[o.skus / 2]);
    /* fulfilment: mostly on time, some late; few cancellations, by both sides */
    assert_true(shipped * 10 > norders * 8);
    assert_true(late * 100 > shipped * 3 && late * 100 < shipped * 25);
    assert_true(late_del > 0 && late_del * 100 < delivered * 20);
    assert_true(by_buyer > by_seller && by_seller > by_platform && by_platform > 0);
    assert_true((by_buyer + by_seller + by_platform) * 100 < norders * 10);
    /* a daily rhythm: the busiest UTC hour has at least twice the quietest */
    size_t hmax = 0, hmin = SIZE_MAX;
    for (int h = 0; h < 24; h++) {
        hmax = hours[h] > hmax ? hours[h] : hmax;
        hmin = hours[h] < hmin ? hours[h] : hmin;
    }
    assert_true(hmax > 2 * hmin);

    free(per_shop);
    free(per_sku);
    table_free(sh);
    table_free(ch);
    table_free(od);
    bl_gen_free(g);
}

static void test_write_errors(void **state)
{
    (void)state;
    struct bl_gen_opts o = small_opts(1);
    o.orders = 50000; /* more than one output buffer */
    struct bl_gen *g;
    struct bl_diag d;
    BL_ASSERT_OK(bl_gen_new(&g, &o, &d), &d);
    FILE *full = fopen("/dev/full", "wb");
    if (full) {
        bl_diag_clear(&d);
        assert_int_equal(bl_gen_write(g, BL_GEN_ORDERS, full, NULL, &d), BL_EIO);
        assert_non_null(strstr(d.msg, "write failed"));
        assert_string_equal(d.file, "orders");
        fclose(full);
    }
    char *dir = bl_test_tmpdir();
    char path[512];
    snprintf(path, sizeof(path), "%s/missing/deeper", dir);
    bl_diag_clear(&d);
    assert_int_equal(bl_gen_write_dir(g, path, false, NULL, &d), BL_EIO);
    assert_non_null(strstr(d.msg, "cannot create the output directory"));
    assert_string_equal(d.file, path);
    char *file = bl_test_write_file(dir, "plain", "x", 1);
    bl_diag_clear(&d);
    assert_int_equal(bl_gen_write_dir(g, file, false, NULL, &d), BL_EIO);
    assert_non_null(strstr(d.msg, "expected a directory"));
    assert_int_equal(bl_gen_write(g, BL_GEN_NFILES, stdout, NULL, &d), BL_EINVAL);
    free(file);
    free(dir);
    bl_gen_free(g);
}

/* Every allocation may fail: BL_ENOMEM, nothing leaks, and the next try works. */
static void test_alloc_failure(void **state)
{
    (void)state;
    struct bl_gen_opts o = small_opts(3);
    o.orders = 3000;
    struct bl_diag d;
    bool done = false;
    for (long n = 0; n < 1000 && !done; n++) {
        struct bl_gen *g = NULL;
        bl_alloc_fail_after(n);
        int rc = bl_gen_new(&g, &o, &d);
        if (rc) {
            bl_alloc_fail_after(-1);
            assert_int_equal(rc, BL_ENOMEM);
            assert_null(g);
            assert_non_null(strstr(d.msg, "out of memory"));
            continue;
        }
        char *buf = NULL;
        size_t len = 0;
        FILE *m = open_memstream(&buf, &len);
        rc = bl_gen_write(g, BL_GEN_SALES, m, NULL, &d);
        bl_alloc_fail_after(-1);
        fclose(m);
        free(buf);
        if (rc)
            assert_int_equal(rc, BL_ENOMEM);
        else
            done = true;
        bl_gen_free(g);
    }
    bl_alloc_fail_after(-1);
    assert_true(done);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_kinds),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_parse_date),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_write_dir),
        cmocka_unit_test(test_files_follow_the_formats),
        cmocka_unit_test(test_tiny_and_empty),
        cmocka_unit_test(test_write_errors),
        cmocka_unit_test(test_alloc_failure),
        cmocka_unit_test(test_write_dir_without_orders),
        cmocka_unit_test(test_tiny_reference_files),
        cmocka_unit_test(test_realism),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
