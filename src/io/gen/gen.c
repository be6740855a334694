/* gen.c - the dataset generator: PRNG, sampling, output, formatting, public API.
 * See gen_impl.h for how the generator is split, and docs/internals/gen.md. */
#include "gen_impl.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "ballast/alloc.h"

/* ---------------------------------------------------------------- PRNG */

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

void bl__rng_seed(struct bl__rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ (stream * UINT64_C(0xD1B54A32D192ED03));
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
    if (!(r->s[0] | r->s[1] | r->s[2] | r->s[3]))
        r->s[0] = 1; /* the all-zero state is the one xoshiro cannot leave */
}

size_t bl__rng_pick(struct bl__rng *r, const uint16_t *w, size_t n)
{
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += w[i];
    if (!total)
        return 0;
    uint64_t x = bl__rng_below(r, total);
    for (size_t i = 0; i < n; i++) {
        if (x < w[i])
            return i;
        x -= w[i];
    }
    return n - 1;
}

uint64_t bl__mix(uint64_t a, uint64_t b)
{
    uint64_t x = a * UINT64_C(0x9E3779B97F4A7C15) + b;
    return splitmix64(&x);
}

/* Vose's variant of the alias method, with integer probabilities: bucket i is
 * scaled to p[i] = w[i] * n against the average `total`, so every step is exact. */
int bl__alias_build(struct bl__alias *a, const uint64_t *w, uint32_t n)
{
    memset(a, 0, sizeof(*a));
    a->prob = bl_calloc(n, sizeof(*a->prob));
    a->alias = bl_calloc(n, sizeof(*a->alias));
    uint32_t *small = bl_calloc(n, sizeof(*small));
    uint32_t *large = bl_calloc(n, sizeof(*large));
    if (!a->prob || !a->alias || !small || !large) {
        bl_free(small);
        bl_free(large);
        bl__alias_release(a);
        return BL_ENOMEM;
    }
    a->n = n;
    uint64_t total = 0;
    for (uint32_t i = 0; i < n; i++)
        total += w[i];
    if (!total)
        total = 1;
    a->total = total;
    uint64_t *p = a->prob; /* scaled weights, then thresholds */
    uint32_t ns = 0, nl = 0;
    for (uint32_t i = 0; i < n; i++) {
        p[i] = w[i] * n;
        a->alias[i] = i;
        if (p[i] < total)
            small[ns++] = i;
        else
            large[nl++] = i;
    }
    while (ns && nl) {
        uint32_t s = small[--ns], l = large[--nl];
        a->alias[s] = l; /* p[s] stays as the threshold of s */
        p[l] = p[l] + p[s] - total;
        if (p[l] < total)
            small[ns++] = l;
        else
            large[nl++] = l;
    }
    while (nl)
        p[large[--nl]] = total;
    while (ns)
        p[small[--ns]] = total; /* only from rounding; cannot happen with exact sums */
    bl_free(small);
    bl_free(large);
    return BL_OK;
}

void bl__alias_release(struct bl__alias *a)
{
    bl_free(a->prob);
    bl_free(a->alias);
    memset(a, 0, sizeof(*a));
}

/* ---------------------------------------------------------------- sink */

int bl__sink_init(struct bl__sink *s)
{
    memset(s, 0, sizeof(*s));
    s->buf = bl_malloc(BL__SINK_CAP);
    return s->buf ? BL_OK : BL_ENOMEM;
}

void bl__sink_release(struct bl__sink *s)
{
    bl_free(s->buf);
    s->buf = NULL;
}

void bl__sink_flush(struct bl__sink *s)
{
    if (!s->len)
        return;
    s->bytes += s->len;
    if (!s->err && !s->discard) {
        if (s->gz) {
            if (gzwrite((gzFile)s->gz, s->buf, (unsigned)s->len) != (int)s->len)
                s->err = errno ? errno : EIO;
        } else if (s->f && fwrite(s->buf, 1, s->len, s->f) != s->len) {
            s->err = errno ? errno : EIO;
        }
    }
    s->len = 0;
    if (s->progress)
        s->progress(s->progress_ctx, (uint64_t)s->rows, s->progress_total);
}

void bl_gen_set_progress(struct bl_gen *g, void (*fn)(void *ctx, uint64_t done, uint64_t total),
                         void *ctx)
{
    g->progress = fn;
    g->progress_ctx = ctx;
}

void bl__sink_header(struct bl__sink *s, const char *line)
{
    char *p = bl__sink_row(s);
    p = bl__puts(p, line);
    p = bl__putc(p, '\n');
    s->len = (size_t)(p - s->buf);
}

/* ---------------------------------------------------------------- text */

static const char digits2[] = "00010203040506070809101112131415161718192021222324252627282930313233"
                              "34353637383940414243444546474849505152535455565758596061626364656667"
                              "6869707172737475767778798081828384858687888990919293949596979899";

static inline char *put2(char *p, unsigned v)
{
    memcpy(p, digits2 + 2 * v, 2);
    return p + 2;
}

char *bl__put_u64(char *p, uint64_t v)
{
    char tmp[24];
    char *e = tmp + sizeof(tmp), *q = e;
    while (v >= 100) {
        q -= 2;
        memcpy(q, digits2 + 2 * (v % 100), 2);
        v /= 100;
    }
    if (v >= 10) {
        q -= 2;
        memcpy(q, digits2 + 2 * v, 2);
    } else {
        *--q = (char)('0' + v);
    }
    return bl__put(p, q, (size_t)(e - q));
}

char *bl__put_pad(char *p, uint64_t v, int width)
{
    int n = 1;
    for (uint64_t x = v; x >= 10; x /= 10)
        n++;
    for (; n < width; n++)
        *p++ = '0';
    return bl__put_u64(p, v);
}

char *bl__put_money(char *p, int64_t minor, int exponent)
{
    uint64_t v;
    if (minor < 0) {
        *p++ = '-';
        v = (uint64_t)0 - (uint64_t)minor;
    } else {
        v = (uint64_t)minor;
    }
    uint64_t scale = 1;
    for (int i = 0; i < exponent; i++)
        scale *= 10;
    p = bl__put_u64(p, v / scale);
    if (exponent > 0) {
        *p++ = '.';
        p = bl__put_pad(p, v % scale, exponent);
    }
    return p;
}

char *bl__put_kg(char *p, int64_t grams)
{
    p = bl__put_u64(p, (uint64_t)(grams / 1000));
    int64_t frac = grams % 1000;
    if (frac) {
        char f[3] = {(char)('0' + frac / 100), (char)('0' + frac / 10 % 10),
                     (char)('0' + frac % 10)};
        size_t n = 3;
        while (f[n - 1] == '0')
            n--;
        *p++ = '.';
        p = bl__put(p, f, n);
    }
    return p;
}

/* Civil calendar from day numbers (H. Hinnant's algorithms, proleptic Gregorian). */
void bl__civil(int64_t day, int *y, int *m, int *d)
{
    int64_t z = day + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t dd = doy - (153 * mp + 2) / 5 + 1;
    int64_t mm = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yoe + era * 400 + (mm <= 2));
    *m = (int)mm;
    *d = (int)dd;
}

int64_t bl__days(int y, int m, int d)
{
    int64_t yy = y - (m <= 2);
    int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    int64_t yoe = yy - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

char *bl__put_date(char *p, int64_t day)
{
    int y, m, d;
    bl__civil(day, &y, &m, &d);
    p = put2(p, (unsigned)(y / 100));
    p = put2(p, (unsigned)(y % 100));
    *p++ = '-';
    p = put2(p, (unsigned)m);
    *p++ = '-';
    return put2(p, (unsigned)d);
}

static char *put_clock(char *p, int64_t sec)
{
    *p++ = 'T';
    p = put2(p, (unsigned)(sec / 3600));
    *p++ = ':';
    p = put2(p, (unsigned)(sec / 60 % 60));
    *p++ = ':';
    p = put2(p, (unsigned)(sec % 60));
    *p++ = 'Z';
    return p;
}

char *bl__put_time(char *p, int64_t t)
{
    int64_t day = t / BL__DAY, sec = t % BL__DAY;
    if (sec < 0) {
        sec += BL__DAY;
        day--;
    }
    return put_clock(bl__put_date(p, day), sec);
}

char *bl__put_time_g(const struct bl_gen *g, char *p, int64_t t)
{
    int64_t i = t / BL__DAY - g->date0;
    if (t < 0 || i < 0 || i >= g->ndates)
        return bl__put_time(p, t);
    memcpy(p, g->dates + i * 10, 10);
    return put_clock(p + 10, t % BL__DAY);
}

char *bl__put_field(char *p, const char *s)
{
    if (!strpbrk(s, ",\"\r\n"))
        return bl__puts(p, s);
    *p++ = '"';
    for (; *s; s++) {
        if (*s == '"')
            *p++ = '"';
        *p++ = *s;
    }
    *p++ = '"';
    return p;
}

/* ---------------------------------------------------------------- public API */

static const char *const kinds[BL_GEN_NFILES] = {
    [BL_GEN_SHOPS] = "shops",
    [BL_GEN_SKUS] = "skus",
    [BL_GEN_WAREHOUSES] = "warehouses",
    [BL_GEN_SUPPLIERS] = "suppliers",
    [BL_GEN_CHANNELS] = "channels",
    [BL_GEN_STOCK] = "stock",
    [BL_GEN_INBOUND] = "inbound",
    [BL_GEN_DISRUPTIONS] = "disruptions",
    [BL_GEN_SALES] = "sales",
    [BL_GEN_ORDERS] = "orders",
    [BL_GEN_SKU_SUPPLIERS] = "sku_suppliers",
    [BL_GEN_RATES] = "rates",
    [BL_GEN_SHOP_SETTINGS] = "shop_settings",
    [BL_GEN_CUSTOMERS] = "customers",
};

const char *bl_gen_file_kind(enum bl_gen_file f)
{
    return (unsigned)f < BL_GEN_NFILES ? kinds[f] : NULL;
}

void bl_gen_opts_init(struct bl_gen_opts *o)
{
    o->seed = 1;
    o->orders = 100000;
    o->shops = 50;
    o->skus = 5000;
    o->start_day = bl__days(2024, 9, 1);
    o->days = 90;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

int bl_gen_parse_date(const char *s, int64_t *day, struct bl_diag *d)
{
    static const char shape[] = "dddd-dd-dd";
    size_t n = strlen(s);
    bool ok = n == sizeof(shape) - 1;
    for (size_t i = 0; ok && i < n; i++)
        ok = shape[i] == 'd' ? is_digit(s[i]) : s[i] == shape[i];
    if (!ok)
        return bl_diag_set(d, BL_EPARSE, "'%s': expected a date YYYY-MM-DD", s);
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int dd = (s[8] - '0') * 10 + (s[9] - '0');
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m < 1 || m > 12 || dd < 1 || dd > mdays[m - 1] || (m == 2 && dd == 29 && !leap))
        return bl_diag_set(d, BL_ERANGE, "'%s' is not a calendar date: expected YYYY-MM-DD", s);
    if (y < 1971 || y > 9000)
        return bl_diag_set(d, BL_ERANGE, "'%s': expected a year from 1971 to 9000", s);
    *day = bl__days(y, m, dd);
    return BL_OK;
}

static int check_opt(int64_t v, int64_t lo, int64_t hi, const char *name, struct bl_diag *d)
{
    if (v < lo || v > hi)
        return bl_diag_set(d, BL_ERANGE, "--%s %lld: expected %lld to %lld", name, (long long)v,
                           (long long)lo, (long long)hi);
    return BL_OK;
}

int bl_gen_new(struct bl_gen **out, const struct bl_gen_opts *opts, struct bl_diag *d)
{
    *out = NULL;
    int rc;
    if ((rc = check_opt(opts->orders, 0, BL_GEN_MAX_ORDERS, "orders", d)) ||
        (rc = check_opt(opts->shops, 1, BL_GEN_MAX_SHOPS, "shops", d)) ||
        (rc = check_opt(opts->skus, 1, BL_GEN_MAX_SKUS, "skus", d)) ||
        (rc = check_opt(opts->days, 1, BL_GEN_MAX_DAYS, "days", d)))
        return rc;
    if (opts->start_day < bl__days(1971, 1, 1) || opts->start_day > bl__days(9000, 1, 1))
        return bl_diag_set(d, BL_ERANGE, "--start: expected a date from 1971 to 9000");
    struct bl_gen *g = bl_calloc(1, sizeof(*g));
    if (!g)
        return bl_diag_set(d, BL_ENOMEM, "out of memory building the generator model");
    g->o = *opts;
    rc = bl__gen_build(g, d);
    if (rc) {
        bl_gen_free(g);
        return rc;
    }
    *out = g;
    return BL_OK;
}

void bl_gen_free(struct bl_gen *g)
{
    if (!g)
        return;
    bl_free(g->shops);
    for (int h = 0; h < 24; h++)
        bl__alias_release(&g->shop_alias[h]);
    bl_free(g->skus);
    bl__alias_release(&g->sku_alias);
    bl_free(g->sku_w);
    bl_free(g->sups);
    bl_free(g->chans);
    bl_free(g->sales);
    bl_free(g->ncust);
    bl_free(g->dates);
    bl_free(g);
}

static int write_to(struct bl_gen *g, enum bl_gen_file f, struct bl__sink *s)
{
    switch (f) {
    case BL_GEN_SHOPS:
        return bl__write_shops(g, s);
    case BL_GEN_SKUS:
        return bl__write_skus(g, s);
    case BL_GEN_WAREHOUSES:
        return bl__write_warehouses(g, s);
    case BL_GEN_SUPPLIERS:
        return bl__write_suppliers(g, s);
    case BL_GEN_CHANNELS:
        return bl__write_channels(g, s);
    case BL_GEN_STOCK:
        return bl__write_stock(g, s);
    case BL_GEN_INBOUND:
        return bl__write_inbound(g, s);
    case BL_GEN_DISRUPTIONS:
        return bl__write_disruptions(g, s);
    case BL_GEN_SALES:
        return bl__write_sales(g, s);
    case BL_GEN_ORDERS:
        return bl__write_orders(g, s);
    case BL_GEN_SKU_SUPPLIERS:
        return bl__write_sku_suppliers(g, s);
    case BL_GEN_RATES:
        return bl__write_rates(g, s);
    case BL_GEN_SHOP_SETTINGS:
        return bl__write_shop_settings(g, s);
    case BL_GEN_CUSTOMERS:
        return bl__write_customers(g, s);
    case BL_GEN_NFILES:
        break;
    }
    return BL_EINVAL;
}

/* Runs one writer into s and turns a sink failure into a diagnostic. */
static int run_writer(struct bl_gen *g, enum bl_gen_file f, struct bl__sink *s, const char *name,
                      struct bl_diag *d)
{
    int rc = write_to(g, f, s);
    if (rc == BL_ENOMEM)
        return bl_diag_set(d, rc, "out of memory writing %s", name);
    if (rc)
        return bl_diag_set(d, rc, "cannot write %s", name);
    bl__sink_flush(s);
    if (s->err) {
        bl_diag_at(d, name, 0, NULL);
        return bl_diag_set(d, BL_EIO, "write failed: %s", strerror(s->err));
    }
    return BL_OK;
}

int bl_gen_write(struct bl_gen *g, enum bl_gen_file f, FILE *out, int64_t *rows, struct bl_diag *d)
{
    if ((unsigned)f >= BL_GEN_NFILES || !out)
        return bl_diag_set(d, BL_EINVAL, "bl_gen_write: expected a file kind and a stream");
    struct bl__sink s;
    if (bl__sink_init(&s))
        return bl_diag_set(d, BL_ENOMEM, "out of memory for the output buffer");
    s.f = out;
    errno = 0;
    int rc = run_writer(g, f, &s, kinds[f], d);
    if (!rc && fflush(out) != 0) {
        bl_diag_at(d, kinds[f], 0, NULL);
        rc = bl_diag_set(d, BL_EIO, "write failed: %s", strerror(errno ? errno : EIO));
    }
    if (!rc && rows)
        *rows = s.rows;
    bl__sink_release(&s);
    return rc;
}

static int write_file(struct bl_gen *g, enum bl_gen_file f, const char *dir, bool gzip,
                      struct bl_gen_counts *c, struct bl_diag *d)
{
    char path[4096];
    int n = snprintf(path, sizeof(path), "%s/%s.csv%s", dir, kinds[f], gzip ? ".gz" : "");
    if (n < 0 || (size_t)n >= sizeof(path))
        return bl_diag_set(d, BL_ETOOBIG, "output directory name is too long");
    struct bl__sink s;
    if (bl__sink_init(&s))
        return bl_diag_set(d, BL_ENOMEM, "out of memory for the output buffer");
    errno = 0;
    if (gzip) {
        /* Level 1: gzip output is about a third of the CSV size, and level 6 would
         * make compression, not generation, the bottleneck. */
        gzFile gz = gzopen(path, "wb1");
        if (gz)
            gzbuffer(gz, 1u << 18);
        s.gz = gz;
    } else {
        s.f = fopen(path, "wb");
    }
    if (!s.gz && !s.f) {
        int e = errno ? errno : EIO;
        bl__sink_release(&s);
        bl_diag_at(d, path, 0, NULL);
        return bl_diag_set(d, BL_EIO, "cannot create the file: %s", strerror(e));
    }
    if (f == BL_GEN_ORDERS && g->progress) {
        s.progress = g->progress;
        s.progress_ctx = g->progress_ctx;
        s.progress_total = (uint64_t)g->o.orders;
    }
    int rc = run_writer(g, f, &s, path, d);
    int closed = s.gz ? (gzclose((gzFile)s.gz) == Z_OK ? 0 : -1) : fclose(s.f);
    if (!rc && closed != 0) {
        bl_diag_at(d, path, 0, NULL);
        rc = bl_diag_set(d, BL_EIO, "write failed when closing: %s", strerror(errno ? errno : EIO));
    }
    if (!rc && s.rows == 0 && unlink(path) != 0) {
        int e = errno;
        bl_diag_at(d, path, 0, NULL);
        rc = bl_diag_set(d, BL_EIO, "cannot remove the empty file: %s", strerror(e));
    }
    if (!rc && c) {
        c->rows[f] = s.rows;
        c->bytes[f] = s.rows ? s.bytes : 0;
        c->written[f] = s.rows > 0;
    }
    bl__sink_release(&s);
    return rc;
}

int bl_gen_write_dir(struct bl_gen *g, const char *dir, bool gzip, struct bl_gen_counts *c,
                     struct bl_diag *d)
{
    if (c)
        memset(c, 0, sizeof(*c));
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        int e = errno;
        bl_diag_at(d, dir, 0, NULL);
        return bl_diag_set(d, BL_EIO, "cannot create the output directory: %s", strerror(e));
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        bl_diag_at(d, dir, 0, NULL);
        return bl_diag_set(d, BL_EIO, "expected a directory for the output");
    }
    /* Orders before sales: the orders pass fills the sales counters. */
    static const enum bl_gen_file order[BL_GEN_NFILES] = {
        BL_GEN_SHOPS,         BL_GEN_SKUS,      BL_GEN_WAREHOUSES,    BL_GEN_SUPPLIERS,
        BL_GEN_CHANNELS,      BL_GEN_STOCK,     BL_GEN_INBOUND,       BL_GEN_DISRUPTIONS,
        BL_GEN_ORDERS,        BL_GEN_SALES,     BL_GEN_SKU_SUPPLIERS, BL_GEN_RATES,
        BL_GEN_SHOP_SETTINGS, BL_GEN_CUSTOMERS,
    };
    for (size_t i = 0; i < BL_GEN_NFILES; i++) {
        int rc = write_file(g, order[i], dir, gzip, c, d);
        if (rc)
            return rc;
    }
    if (c)
        c->orders = g->orders_written;
    return BL_OK;
}
