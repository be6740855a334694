/* gen_impl.h - internals of the dataset generator (gen.c, gen_model.c, gen_files.c).
 *
 * gen.c        PRNG, weighted sampling, the output sink, text formatting, public API.
 * gen_model.c  the static catalogue (markets, shop archetypes, carriers, warehouses,
 *              disruption templates) and bl_gen_new(): shops, SKUs, channels,
 *              suppliers and disruptions built from the seed.
 * gen_files.c  one writer per file; orders and sales share the demand model.
 * gen_people.c customers.csv: the buyers orders.csv named.
 *
 * The model (struct bl_gen) is read-only once built; a writer's mutable state
 * lives in the writer, so files can be written in any order with the same bytes.
 */
#ifndef BL_IO_GEN_IMPL_H
#define BL_IO_GEN_IMPL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ballast/gen.h"

/* ---------------------------------------------------------------- PRNG */

/* xoshiro256** (Blackman and Vigna), seeded through splitmix64. One stream per
 * purpose: bl__rng_seed(r, seed, stream) gives unrelated sequences per stream. */
struct bl__rng {
    uint64_t s[4];
};

void bl__rng_seed(struct bl__rng *r, uint64_t seed, uint64_t stream);

static inline uint64_t bl__rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t bl__rng_u64(struct bl__rng *r)
{
    uint64_t *s = r->s;
    uint64_t out = bl__rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = bl__rotl(s[3], 45);
    return out;
}

/* Uniform in [0, n) by multiply-shift (Lemire); the bias is below 2^-40 for the
 * ranges used here and, being deterministic, harmless. n > 0. */
static inline uint64_t bl__rng_below(struct bl__rng *r, uint64_t n)
{
    return (uint64_t)(((unsigned __int128)bl__rng_u64(r) * n) >> 64);
}

/* Uniform in [lo, hi], lo <= hi. */
static inline int64_t bl__rng_range(struct bl__rng *r, int64_t lo, int64_t hi)
{
    return lo + (int64_t)bl__rng_below(r, (uint64_t)(hi - lo) + 1);
}

/* True with probability pm/1000. */
static inline bool bl__rng_pm(struct bl__rng *r, unsigned pm)
{
    return bl__rng_below(r, 1000) < pm;
}

/* Picks an index by integer weights (a small table, linear scan). */
size_t bl__rng_pick(struct bl__rng *r, const uint16_t *w, size_t n);

/* A stable hash of two numbers, for choices that must not consume the stream. */
uint64_t bl__mix(uint64_t a, uint64_t b);

/* Walker's alias method in integers: O(1) draws from n weights, exact and the
 * same on every platform (no floating point). */
struct bl__alias {
    uint64_t *prob; /* draw i uniformly, keep it when a uniform [0,total) < prob[i] */
    uint32_t *alias;
    uint32_t n;
    uint64_t total;
};

/* w: n weights, each <= 2^32, n in 1..2^24. BL_ENOMEM on failure. */
int bl__alias_build(struct bl__alias *a, const uint64_t *w, uint32_t n) BL_MUST_CHECK;
void bl__alias_release(struct bl__alias *a);

static inline uint32_t bl__alias_draw(const struct bl__alias *a, struct bl__rng *r)
{
    uint32_t i = (uint32_t)bl__rng_below(r, a->n);
    return bl__rng_below(r, a->total) < a->prob[i] ? i : a->alias[i];
}

/* ---------------------------------------------------------------- sink */

#define BL__SINK_CAP (1u << 20) /* bytes buffered before a write */
#define BL__SINK_ROW 4096       /* the most one row may need */

/* Buffered output to a FILE, a gzFile, or nowhere (discard). Errors are sticky:
 * the first failure is kept in err and later writes are dropped. */
struct bl__sink {
    char *buf;
    size_t len;
    FILE *f;
    void *gz; /* gzFile */
    bool discard;
    int err; /* 0 or errno-like code of the first failure */
    uint64_t bytes;
    int64_t rows; /* data rows written (bl__sink_end_row calls) */
    void (*progress)(void *ctx, uint64_t done, uint64_t total); /* at each flush, or NULL */
    void *progress_ctx;
    uint64_t progress_total;
};

int bl__sink_init(struct bl__sink *s) BL_MUST_CHECK;
void bl__sink_release(struct bl__sink *s);
void bl__sink_flush(struct bl__sink *s);

/* Room for one row: returns where to write; end it with bl__sink_end_row. */
static inline char *bl__sink_row(struct bl__sink *s)
{
    if (s->len + BL__SINK_ROW > BL__SINK_CAP)
        bl__sink_flush(s);
    return s->buf + s->len;
}

static inline void bl__sink_end_row(struct bl__sink *s, char *p)
{
    s->len = (size_t)(p - s->buf);
    s->rows++;
}

/* A header line (not counted as a row). */
void bl__sink_header(struct bl__sink *s, const char *line);

/* ---------------------------------------------------------------- text */

static inline char *bl__put(char *p, const char *s, size_t n)
{
    memcpy(p, s, n);
    return p + n;
}

static inline char *bl__puts(char *p, const char *s)
{
    return bl__put(p, s, strlen(s));
}

static inline char *bl__putc(char *p, char c)
{
    *p = c;
    return p + 1;
}

char *bl__put_u64(char *p, uint64_t v);
char *bl__put_pad(char *p, uint64_t v, int width);         /* zero-padded to at least width */
char *bl__put_money(char *p, int64_t minor, int exponent); /* "12.50", "1250" */
char *bl__put_kg(char *p, int64_t grams);                  /* "0.5", "2", "0.454" */
char *bl__put_time(char *p, int64_t t);                    /* "2024-09-01T08:00:00Z" */
char *bl__put_date(char *p, int64_t day);                  /* "2024-09-01" */
char *bl__put_field(char *p, const char *s);               /* CSV-quoted when needed */

void bl__civil(int64_t day, int *y, int *m, int *d);
int64_t bl__days(int y, int m, int d);
static inline int bl__weekday(int64_t day) /* 0 = Monday */
{
    int64_t w = (day + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

/* ---------------------------------------------------------------- model */

#define BL__HOUR INT64_C(3600)
#define BL__DAY INT64_C(86400)
#define BL__NEVER INT64_MAX
#define BL__MAX_DIS 64

enum { BL__USD, BL__EUR, BL__GBP, BL__JPY, BL__CNY, BL__BRL, BL__NCUR };

struct bl__currency {
    const char *code;
    int exponent;
    int64_t per_cent; /* minor units per US cent, times 10000 */
};
extern const struct bl__currency bl__currencies[BL__NCUR];

/* Destination countries of orders. */
enum { BL__US, BL__GB, BL__DE, BL__FR, BL__BR, BL__RU, BL__JP, BL__CN, BL__NCOUNTRY };

struct bl__country {
    const char *code;
    const char *locale;
    int8_t utc_offset; /* hours, where most buyers live, standard time */
};
extern const struct bl__country bl__countries[BL__NCOUNTRY];

/* A ship_to region orders go to; grouped by country in bl__dests. */
struct bl__place {
    const char *region;
    uint8_t country;
    uint16_t weight;
};
extern const struct bl__place bl__dests[];
extern const size_t bl__ndests;
#define BL__MAX_DEST 128

/* Lane origins: where a channel's lanes start. */
enum {
    BL__O_CNGD,
    BL__O_CNZJ,
    BL__O_CNSH,
    BL__O_CN,
    BL__O_US,
    BL__O_GB,
    BL__O_DE,
    BL__O_JP,
    BL__NORIGIN
};

/* A ship_from a shop can have. */
struct bl__from {
    const char *region;
    uint8_t origin;  /* BL__O_* */
    uint8_t kind;    /* 0 cross-border from CN, 1 CN domestic, 2 overseas warehouse, 3 FBA */
    uint8_t country; /* overseas and FBA: the warehouse country (BL__US...) */
    uint16_t weight;
};
extern const struct bl__from bl__froms[];
extern const size_t bl__nfroms;

struct bl__warehouse {
    const char *id, *name, *region, *kind;
};
extern const struct bl__warehouse bl__warehouses[];
extern const size_t bl__nwarehouses;

/* A shop archetype: platform, currency, market(s). */
struct bl__arch {
    const char *platform;
    uint8_t currency;
    const char *tz;
    uint8_t market[5];    /* BL__ countries */
    uint16_t mweight[5];  /* 0 ends the list */
    uint16_t weight;      /* share of shops */
    uint16_t price_pm;    /* price level against the SKU's list price, permille */
    int64_t deposit;      /* minor units of the currency, 0 = none */
    uint16_t overseas_pm; /* shops shipping from an overseas warehouse in the market */
    uint16_t fba_pm;      /* shops fulfilled by the platform (ship from FBA) */
};
extern const struct bl__arch bl__archs[];
extern const size_t bl__narchs;

struct bl__shop {
    char id[24];
    uint8_t id_len;
    uint8_t arch;
    uint8_t from;     /* index in bl__froms */
    uint8_t handling; /* days */
    uint8_t nmarket;
    uint8_t market[5];
    uint16_t mweight[5];
    uint16_t ontime_pm; /* shipped by the deadline */
    uint16_t pickup_pm; /* carrier scan within 24 h */
    bool vacation;
    bool platform_fulfilled;
    uint16_t name_a, name_b;
};

struct bl__sku {
    int64_t cents; /* list price in US cents */
    uint32_t weight_g;
    uint16_t category;
    int32_t oos_from; /* out-of-stock days [oos_from, oos_to) as day indices; -1 none */
    int32_t oos_to;
};

/* A logistics product of a carrier; a channel is a product serving one country. */
struct bl__product {
    const char *prefix, *carrier, *mode, *tier;
    uint8_t currency;
    uint16_t origins;                 /* bit per BL__O_* */
    uint8_t transit[BL__NCOUNTRY][2]; /* business days min/max; 0/0 = not served */
    const int32_t *bands;             /* band edges in grams, ascending */
    size_t nbands;                    /* bands = nbands - 1 intervals */
    int64_t fee, per_kg;              /* minor units; scaled by the destination's price level */
    uint16_t pick;                    /* weight when choosing a channel for a parcel */
    uint8_t sla_extra;                /* sla_days = transit_max + sla_extra; 0 = none */
    const char *cutoff, *tz, *calendar, *remedy;
    uint16_t voldiv;
};
extern const struct bl__product bl__products[];
extern const size_t bl__nproducts;
extern const uint16_t bl__dest_price_pm[BL__NCOUNTRY];

struct bl__chan {
    char id[32];
    uint16_t product;
    uint8_t country;
    uint8_t tmin, tmax;
    int32_t min_g, max_g; /* lower edge of its first band, upper edge of its last */
};

#define BL__LANE_MAX 8
struct bl__lane {
    uint16_t chan[BL__LANE_MAX];
    uint8_t n;
};

enum { BL__SCOPE_ORIGIN, BL__SCOPE_DEST, BL__SCOPE_BOTH };

struct bl__dis {
    char region[32];
    uint8_t scope;
    const char *kind;
    const char *note;
    int64_t start, end; /* end BL__NEVER: until further notice */
    int32_t chan;       /* -1 = any */
    int32_t supplier;   /* -1 = any */
};

struct bl__supplier {
    uint16_t region; /* index in the supplier region table */
    uint16_t name_a, name_b;
    uint8_t lead, lead_max;
    int32_t moq, case_pack;
    uint8_t state;      /* 0 active, 1 shutdown, 2 closed */
    int32_t backup_for; /* -1 none */
};

struct bl_gen {
    struct bl_gen_opts o;
    void (*progress)(void *ctx, uint64_t done, uint64_t total); /* bl_gen_set_progress */
    void *progress_ctx;
    int64_t t0, t1; /* the range [t0, t1): first day 00:00Z to after the last day */
    int shop_width, sku_width, sup_width;

    struct bl__shop *shops;
    /* Buyers shop by their local clock: per UTC hour of the day, the shops weighted
     * by Zipf rank times the activity of their markets at that hour. Summed over
     * the day every shop keeps its Zipf weight. */
    struct bl__alias shop_alias[24];
    uint64_t hour_w[24]; /* relative order volume of each UTC hour */
    struct bl__sku *skus;
    struct bl__alias sku_alias;
    uint64_t *sku_w; /* popularity weights (for stock levels) */
    uint64_t sku_wsum;

    struct bl__supplier *sups;
    int64_t nsup;

    struct bl__chan *chans;
    size_t nchan;
    struct bl__lane lanes[BL__NORIGIN][BL__NCOUNTRY];

    struct bl__dis dis[BL__MAX_DIS];
    size_t ndis;
    uint64_t from_mask[64];           /* disruptions located at each ship_from (origin scope) */
    uint64_t dest_mask[BL__MAX_DEST]; /* per ship_to (destination scope) */
    uint16_t dest_first[BL__NCOUNTRY], dest_n[BL__NCOUNTRY];
    uint16_t dest_w[BL__MAX_DEST];
    uint64_t chan_filtered; /* disruptions limited to one channel */
    uint64_t holidays;      /* public holidays: handling deadlines are extended */

    int64_t date0, ndates; /* "YYYY-MM-DD" of days date0.. (cache for the hot loop) */
    char *dates;

    int64_t nsales;  /* SKUs in sales.csv */
    uint64_t *sales; /* nsales * days units, filled by an orders pass */
    bool sales_ready;
    int64_t orders_written;
    uint64_t *ncust; /* per shop: the buyers the last orders pass named (customers.csv) */
};

/* PRNG streams, one per purpose. */
enum {
    BL__S_MODEL = 1,
    BL__S_SHOPS,
    BL__S_SKUS,
    BL__S_SUPPLIERS,
    BL__S_STOCK,
    BL__S_INBOUND,
    BL__S_DISRUPT,
    BL__S_ORDERS,
    BL__S_CHANNELS,
    BL__S_PROMO /* skus.csv's promo_spend: its own, so the other columns stay as they were */
};

/* gen_model.c */
int bl__gen_build(struct bl_gen *g, struct bl_diag *d) BL_MUST_CHECK;
const char *bl__supplier_region(const struct bl__supplier *s);
/* Names (for shops, SKUs and suppliers; CSV-quoting is the writer's job). */
void bl__shop_name(const struct bl_gen *g, const struct bl__shop *s, char *out, size_t cap);
void bl__sku_name(const struct bl_gen *g, int64_t k, char *out, size_t cap);
const char *bl__sku_category(const struct bl__sku *s);
void bl__supplier_name(const struct bl__supplier *s, char *out, size_t cap);
bool bl__region_contains(const char *outer, const char *inner);

/* gen_files.c: each writes its header and rows to s. */
int bl__write_shops(struct bl_gen *g, struct bl__sink *s) BL_MUST_CHECK;
int bl__write_skus(struct bl_gen *g, struct bl__sink *s) BL_MUST_CHECK;
int bl__write_warehouses(struct bl_gen *g, struct bl__sink *s) BL_MUST_CHECK;
int bl__write_suppliers(struct bl_gen *g, struct bl__sink *s) BL_MUST_CHECK;
int bl__write_channels(struct bl_gen *g, struct bl__sink *s) BL_MUST_CHECK;
int bl__write_stock(struct bl_gen *g, struct bl__sink *s) BL_MUST_CHECK;
int bl__write_inbound(struct bl_gen *g, struct bl__sink *s) BL_MUST_CHECK;
int bl__write_disruptions(struct bl_gen *g, struct bl__sink *s) BL_MUST_CHECK;
int bl__write_orders(struct bl_gen *g, struct bl__sink *s) BL_MUST_CHECK;
int bl__write_sales(struct bl_gen *g, struct bl__sink *s) BL_MUST_CHECK;
/* gen_money.c */
int bl__write_sku_suppliers(struct bl_gen *g, struct bl__sink *s) BL_MUST_CHECK;
int bl__write_rates(struct bl_gen *g, struct bl__sink *s) BL_MUST_CHECK;
int bl__write_shop_settings(struct bl_gen *g, struct bl__sink *s) BL_MUST_CHECK;
int bl__write_customers(struct bl_gen *g, struct bl__sink *s) BL_MUST_CHECK;
/* Runs the orders model without output unless it has run: sales and customers need it. */
int bl__orders_pass(struct bl_gen *g) BL_MUST_CHECK;

/* bl__put_time through the model's cache of date texts. */
char *bl__put_time_g(const struct bl_gen *g, char *p, int64_t t);

/* Id text: "shop-007", "SKU-00042", "sup-003". */
char *bl__put_shop_id(char *p, const struct bl_gen *g, int64_t i);
char *bl__put_sku_id(char *p, const struct bl_gen *g, int64_t k);
char *bl__put_sup_id(char *p, const struct bl_gen *g, int64_t j);

#endif
