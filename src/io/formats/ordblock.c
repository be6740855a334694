/* ordblock.c - the order block codec (see ordblock.h). */
#include <string.h>

#include "ballast/assess.h"
#include "ballast/ordblock.h"

/* Values are little-endian in a block; decoding copies them straight. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "order blocks assume little-endian");

static const char magic[4] = {'B', 'O', 'B', '1'};

/* ---- encoding ------------------------------------------------------------------------ */

int bl_ordblock_enc_init(struct bl_ordblock_enc *e)
{
    memset(e, 0, sizeof(*e));
    e->max = BL_ORDBLOCK_MAX;
    bl_arena_init(&e->arena, 1u << 14);
    bl_map_init(&e->regions, &e->arena);
    bl_map_init(&e->channels, &e->arena);
    for (int c = 0; c < BL_OB__COUNT; c++) {
        e->col[c] = bl_malloc(BL_ORDBLOCK_MAX * sizeof(int64_t));
        if (!e->col[c]) {
            bl_ordblock_enc_release(e);
            return BL_ENOMEM;
        }
    }
    return BL_OK;
}

void bl_ordblock_enc_release(struct bl_ordblock_enc *e)
{
    for (int c = 0; c < BL_OB__COUNT; c++)
        bl_free(e->col[c]);
    bl_free(e->region_name);
    bl_free(e->channel_name);
    bl_map_release(&e->regions);
    bl_map_release(&e->channels);
    bl_arena_release(&e->arena);
    memset(e, 0, sizeof(*e));
}

/* Empties the block, keeping the column arrays. */
static void enc_reset(struct bl_ordblock_enc *e)
{
    bl_map_release(&e->regions);
    bl_map_release(&e->channels);
    bl_arena_release(&e->arena);
    bl_map_init(&e->regions, &e->arena);
    bl_map_init(&e->channels, &e->arena);
    e->n = 0;
    e->nregions = e->nchannels = e->ncurrencies = 0;
}

bool bl_ordblock_enc_accepts(const struct bl_ordblock_enc *e, const struct bl_ordblock_row *r)
{
    if (e->n == 0)
        return true;
    return e->n < e->max && e->n < BL_ORDBLOCK_MAX && r->id == e->first_id + (int64_t)e->n &&
           e->nregions + 2 <= UINT16_MAX && e->nchannels + 1 <= UINT16_MAX &&
           e->ncurrencies + 1 <= 255;
}

/* The code of text in a dictionary (adding it): 0 for empty, else 1-based. */
static int dict_code(struct bl_ordblock_enc *e, struct bl_map *m, struct bl_str **names,
                     size_t *count, struct bl_str v, int64_t *code)
{
    *code = 0;
    if (!v.len)
        return BL_OK;
    if (v.len > UINT8_MAX)
        return BL_EINVAL;
    int64_t val = (int64_t)*count + 1;
    bool added;
    int rc = bl_map_get_or_put(m, v, &val, &added);
    if (rc)
        return rc;
    if (added) {
        struct bl_str *n = bl_realloc(*names, (*count + 1) * sizeof(**names));
        char *copy = bl_arena_strndup(&e->arena, v.ptr, v.len);
        if (n)
            *names = n;
        if (!n || !copy)
            return BL_ENOMEM; /* the map keeps a code with no name: the block is dropped */
        (*names)[(*count)++] = (struct bl_str){copy, v.len};
    }
    *code = val;
    return BL_OK;
}

int bl_ordblock_enc_add(struct bl_ordblock_enc *e, const struct bl_ordblock_row *r)
{
    if (!bl_ordblock_enc_accepts(e, r) || !r->currency || strlen(r->currency) != 3)
        return BL_EINVAL;
    size_t i = e->n;
    int64_t from, to, chan;
    int rc = dict_code(e, &e->regions, &e->region_name, &e->nregions, r->from, &from);
    if (!rc)
        rc = dict_code(e, &e->regions, &e->region_name, &e->nregions, r->to, &to);
    if (!rc)
        rc = dict_code(e, &e->channels, &e->channel_name, &e->nchannels, r->channel, &chan);
    if (rc)
        return rc;
    size_t cur = 0;
    while (cur < e->ncurrencies && memcmp(e->currency[cur], r->currency, 3) != 0)
        cur++;
    if (cur == e->ncurrencies)
        memcpy(e->currency[e->ncurrencies++], r->currency, 3);
    if (i == 0)
        e->first_id = r->id;
    e->col[BL_OB_SHOP][i] = r->shop;
    e->col[BL_OB_PLACED][i] = r->placed;
    e->col[BL_OB_SHIP_BY][i] = r->ship_by;
    e->col[BL_OB_SHIPPED][i] = r->shipped;
    e->col[BL_OB_PICKED_UP][i] = r->picked_up;
    e->col[BL_OB_DELIVERED][i] = r->delivered;
    e->col[BL_OB_PROMISED][i] = r->promised;
    e->col[BL_OB_CANCELLED][i] = r->cancelled;
    e->col[BL_OB_CANCEL_BY][i] = r->cancel_by;
    e->col[BL_OB_AMOUNT][i] = r->amount;
    e->col[BL_OB_FROM][i] = from;
    e->col[BL_OB_TO][i] = to;
    e->col[BL_OB_CHANNEL][i] = chan;
    e->col[BL_OB_CURRENCY][i] = (int64_t)cur;
    e->n = i + 1;
    return BL_OK;
}

static int put(struct bl_buf *b, uint64_t v, unsigned width)
{
    unsigned char x[8];
    for (unsigned k = 0; k < width; k++)
        x[k] = (unsigned char)(v >> (8 * k));
    return bl_buf_add(b, x, width);
}

/* Which columns have "none" values, and what none is in them. */
static bool nullable(enum bl_ob_col c, int64_t *none)
{
    switch (c) {
    case BL_OB_SHIP_BY:
    case BL_OB_SHIPPED:
    case BL_OB_PICKED_UP:
    case BL_OB_DELIVERED:
    case BL_OB_PROMISED:
    case BL_OB_CANCELLED:
        *none = BL_NO_TIME;
        return true;
    default:
        return false;
    }
}

static int put_column(struct bl_buf *b, const int64_t *v, size_t n, enum bl_ob_col c)
{
    int64_t none = 0;
    bool has_none = nullable(c, &none);
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (size_t i = 0; i < n; i++) {
        if (has_none && v[i] == none)
            continue;
        if (v[i] < lo)
            lo = v[i];
        if (v[i] > hi)
            hi = v[i];
    }
    if (lo > hi)
        lo = hi = 0; /* every value is none */
    uint64_t range = (uint64_t)hi - (uint64_t)lo;
    unsigned width = range < 0xffu ? 1 : range < 0xffffu ? 2 : range < 0xffffffffu ? 4 : 8;
    uint64_t all = width == 8 ? UINT64_MAX : (UINT64_C(1) << (8 * width)) - 1;
    int rc = bl_buf_addc(b, (char)width);
    if (!rc)
        rc = put(b, (uint64_t)lo, 8);
    for (size_t i = 0; !rc && i < n; i++) {
        uint64_t x = width == 8                      ? (uint64_t)v[i]
                     : has_none && v[i] == none     ? all
                                                    : (uint64_t)v[i] - (uint64_t)lo;
        rc = put(b, x, width);
    }
    return rc;
}

static int put_dict(struct bl_buf *b, const struct bl_str *names, size_t n)
{
    int rc = put(b, n, 2);
    for (size_t k = 0; !rc && k < n; k++) {
        rc = bl_buf_addc(b, (char)names[k].len);
        if (!rc)
            rc = bl_buf_add(b, names[k].ptr, names[k].len);
    }
    return rc;
}

int bl_ordblock_enc_finish(struct bl_ordblock_enc *e, struct bl_buf *out,
                           struct bl_ordblock_meta *m)
{
    size_t n = e->n;
    if (!n)
        return BL_EINVAL;
    bl_buf_reset(out);
    int rc = bl_buf_add(out, magic, 4);
    if (!rc)
        rc = put(out, n, 4);
    if (!rc)
        rc = put(out, (uint64_t)e->first_id, 8);
    if (!rc)
        rc = put_dict(out, e->region_name, e->nregions);
    if (!rc)
        rc = put_dict(out, e->channel_name, e->nchannels);
    if (!rc)
        rc = bl_buf_addc(out, (char)e->ncurrencies);
    if (!rc)
        rc = bl_buf_add(out, e->currency, e->ncurrencies * 3);
    for (int c = 0; !rc && c < BL_OB__COUNT; c++)
        rc = put_column(out, e->col[c], n, (enum bl_ob_col)c);
    if (rc)
        return rc;
    m->first_id = e->first_id;
    m->n = (int64_t)n;
    m->placed_lo = m->key_lo = INT64_MAX;
    m->placed_hi = m->key_hi = INT64_MIN;
    const int64_t *pl = e->col[BL_OB_PLACED], *sb = e->col[BL_OB_SHIP_BY],
                  *pr = e->col[BL_OB_PROMISED];
    for (size_t i = 0; i < n; i++) {
        int64_t key = pl[i];
        if (sb[i] > key)
            key = sb[i];
        if (pr[i] > key)
            key = pr[i];
        if (pl[i] < m->placed_lo)
            m->placed_lo = pl[i];
        if (pl[i] > m->placed_hi)
            m->placed_hi = pl[i];
        if (key < m->key_lo)
            m->key_lo = key;
        if (key > m->key_hi)
            m->key_hi = key;
    }
    enc_reset(e);
    return BL_OK;
}

/* ---- decoding ------------------------------------------------------------------------ */

struct reader {
    const unsigned char *p;
    size_t len, at;
};

static bool take(struct reader *r, size_t n, const unsigned char **out)
{
    if (r->len - r->at < n)
        return false;
    *out = r->p + r->at;
    r->at += n;
    return true;
}

static uint64_t get(const unsigned char *p, unsigned width)
{
    uint64_t v = 0;
    for (unsigned k = 0; k < width; k++)
        v |= (uint64_t)p[k] << (8 * k);
    return v;
}

static bool take_uint(struct reader *r, unsigned width, uint64_t *v)
{
    const unsigned char *p;
    if (!take(r, width, &p))
        return false;
    *v = get(p, width);
    return true;
}

static int bad(struct bl_diag *d, const char *what, size_t at)
{
    return bl_diag_set(d, BL_EPARSE, "order block: %s at byte %zu", what, at);
}

static int take_dict(struct reader *r, struct bl_str **names, size_t *count, struct bl_diag *d)
{
    uint64_t n;
    if (!take_uint(r, 2, &n))
        return bad(d, "truncated dictionary", r->at);
    *count = (size_t)n;
    *names = bl_malloc((n ? n : 1) * sizeof(**names));
    if (!*names)
        return bl_diag_set(d, BL_ENOMEM, "order block: out of memory");
    for (size_t k = 0; k < n; k++) {
        uint64_t len;
        const unsigned char *p;
        if (!take_uint(r, 1, &len) || len == 0 || !take(r, (size_t)len, &p))
            return bad(d, "bad dictionary entry", r->at);
        (*names)[k] = (struct bl_str){(const char *)p, (size_t)len};
    }
    return BL_OK;
}

int bl_ordblock_parse(const void *p, size_t len, struct bl_ordblock *b, struct bl_diag *d)
{
    memset(b, 0, sizeof(*b));
    struct reader r = {p, len, 0};
    const unsigned char *m;
    uint64_t n, first;
    if (!take(&r, 4, &m))
        return bad(d, "truncated header", 0);
    if (memcmp(m, magic, 3) != 0)
        return bad(d, "not an order block", 0);
    if (m[3] != magic[3])
        return bl_diag_set(d, BL_EUNSUPPORTED, "order block: version %c is not known",
                           m[3]);
    if (!take_uint(&r, 4, &n) || !take_uint(&r, 8, &first))
        return bad(d, "truncated header", r.at);
    if (n == 0 || n > BL_ORDBLOCK_MAX)
        return bad(d, "order count out of range", 4);
    b->n = (size_t)n;
    b->first_id = (int64_t)first;
    int rc = take_dict(&r, &b->region, &b->nregions, d);
    if (!rc)
        rc = take_dict(&r, &b->channel, &b->nchannels, d);
    uint64_t nc = 0;
    const unsigned char *cur = NULL;
    if (!rc && (!take_uint(&r, 1, &nc) || !take(&r, (size_t)nc * 3, &cur)))
        rc = bad(d, "truncated currencies", r.at);
    if (!rc) {
        b->ncurrencies = (size_t)nc;
        b->currency = (const char *)cur;
    }
    for (int c = 0; !rc && c < BL_OB__COUNT; c++) {
        uint64_t w = 0, base = 0;
        if (!take_uint(&r, 1, &w) || !take_uint(&r, 8, &base))
            rc = bad(d, "truncated column", r.at);
        else if (w != 1 && w != 2 && w != 4 && w != 8)
            rc = bad(d, "bad column width", r.at - 9);
        else if (!take(&r, b->n * (size_t)w, &b->col[c].data))
            rc = bad(d, "truncated column", r.at);
        b->col[c].width = (unsigned)w;
        b->col[c].base = (int64_t)base;
    }
    if (!rc && r.at != len)
        rc = bad(d, "trailing bytes", r.at);
    if (rc)
        bl_ordblock_release(b);
    return rc;
}

void bl_ordblock_release(struct bl_ordblock *b)
{
    bl_free(b->region);
    bl_free(b->channel);
    memset(b, 0, sizeof(*b));
}

/* Loops specialised by width: the compiler turns each into straight loads. */
#define DECODE(T, W)                                                                          \
    for (size_t i = 0; i < n; i++) {                                                          \
        T x;                                                                                  \
        memcpy(&x, data + i * (W), (W));                                                      \
        out[i] = x == (T)-1 && has_none ? none : (int64_t)((uint64_t)base + x);               \
    }

int bl_ordblock_column(const struct bl_ordblock *b, enum bl_ob_col c, int64_t *out,
                       struct bl_diag *d)
{
    size_t n = b->n;
    const unsigned char *data = b->col[c].data;
    int64_t base = b->col[c].base, none = 0;
    bool has_none = nullable(c, &none);
    switch (b->col[c].width) {
    case 1:
        DECODE(uint8_t, 1)
        break;
    case 2:
        DECODE(uint16_t, 2)
        break;
    case 4:
        DECODE(uint32_t, 4)
        break;
    default:
        for (size_t i = 0; i < n; i++) {
            uint64_t x;
            memcpy(&x, data + i * 8, 8);
            out[i] = (int64_t)x;
        }
    }
    int64_t max;
    switch (c) {
    case BL_OB_CANCEL_BY:
        max = BL_CANCEL_UNKNOWN;
        break;
    case BL_OB_FROM:
    case BL_OB_TO:
        max = (int64_t)b->nregions;
        break;
    case BL_OB_CHANNEL:
        max = (int64_t)b->nchannels;
        break;
    case BL_OB_CURRENCY:
        max = (int64_t)b->ncurrencies - 1;
        break;
    default:
        return BL_OK;
    }
    for (size_t i = 0; i < n; i++)
        if (out[i] < 0 || out[i] > max)
            return bl_diag_set(d, BL_EPARSE,
                               "order block: column %d, order %zu: code %lld past the "
                               "dictionary",
                               (int)c, i, (long long)out[i]);
    return BL_OK;
}
