/* import.c - the import engine: batches, header mapping, typed fields, caches.
 *
 * A batch runs in one store transaction:
 *   begin -> lock the org row -> kind reads and inserts rows -> content hash ->
 *   already imported? rollback and report : record import_batch, commit.
 * Any error rolls back, so a bad row (or a killed process) leaves nothing behind.
 * When a row collides with a stored one, the rest of the input is hashed: if the
 * whole input was imported before, that is reported instead of the collision.
 */
#include "io/import/import_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ballast/money.h"
#include "ballast/places.h"

const char *const bl_import_kinds[] = {"shops",     "skus",   "warehouses", "stock",
                                       "suppliers", "inbound", "orders",    "sales",
                                       "channels",  "disruptions", "protections", "amazon",
                                       "shopify",   "tiktok",      "temu",        "olist",
                                       "calendars", "customers", "rates",     "sku_suppliers",
                                       "areas",
                                       NULL};

/* On an error path: a bulk row that failed earlier (the store may insert on a
 * background thread) takes precedence, so the earliest bad line is reported. */
static int settled(struct bl__imp *im)
{
    return im->st ? bl_store_settle(im->st, im->d) : BL_OK;
}

int bl__imp_err(struct bl__imp *im, int c, int code, const char *fmt, ...)
{
    struct bl_diag *d = im->d;
    int rc = settled(im);
    if (rc < 0)
        return rc;
    if (!d)
        return code;
    char msg[sizeof(d->msg)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    bl_diag_clear(d);
    bl_diag_at(d, im->file, im->rec.line, c >= 0 ? im->spec[c].name : NULL);
    return bl_diag_set(d, code, "%s", msg);
}

static void set_file_diag(struct bl__imp *im)
{
    if (im->d && !im->d->file[0] && im->file)
        bl_diag_at(im->d, im->file, 0, NULL);
}

/* JSON Lines: the reader is told the kind's columns, which stand for the header. */
static int jsonl_columns(struct bl__imp *im, const struct bl__colspec *spec, size_t nspec)
{
    const char **names = bl_arena_alloc(&im->arena, nspec * sizeof(*names));
    if (!names)
        return bl_diag_set(im->d, BL_ENOMEM, "out of memory");
    for (size_t i = 0; i < nspec; i++)
        names[i] = spec[i].name;
    if (bl_csv_set_jsonl(im->csv, names, nspec))
        return bl_diag_set(im->d, BL_EINVAL, "JSON Lines cannot be read here");
    return BL_OK;
}

int bl__imp_open(struct bl__imp *im, const char *path, const char *display,
                 const struct bl__colspec *spec, size_t nspec)
{
    im->file = display;
    im->spec = spec;
    im->nspec = nspec;
    im->rows = 0;
    memset(&im->rec, 0, sizeof(im->rec));
    int rc = BL_OK;
    if (im->opts->ahead && !im->ahead_used) { /* opened and set up by bl_import_orders_ahead */
        im->csv = im->opts->ahead;
        im->ahead_used = true;
    } else {
        rc = im->opts->source ? bl_csv_open_source(&im->csv, im->opts->source, im->d)
                              : bl_csv_open(&im->csv, path, im->d);
        if (rc)
            return rc;
        if ((im->csv_sep && bl_csv_set_sep(im->csv, im->csv_sep)) ||
            bl_csv_set_quoting(im->csv, !im->csv_unquoted))
            return bl_diag_set(im->d, BL_EINVAL, "bad CSV separator");
        if (im->opts->jsonl && (rc = jsonl_columns(im, spec, nspec)) != BL_OK)
            return rc;
    }
    rc = bl_csv_next(im->csv, &im->rec, im->d);
    if (rc < 0)
        return rc;
    if (rc == 0) {
        bl_diag_clear(im->d);
        bl_diag_at(im->d, display, 0, NULL);
        return bl_diag_set(im->d, BL_EEMPTY, "empty file: expected a header line naming the "
                                             "columns (see docs/formats.md)");
    }
    for (size_t i = 0; i < nspec; i++)
        im->col[i] = -1;
    im->nheader = im->rec.nfields;
    for (size_t f = 0; f < im->rec.nfields; f++) {
        struct bl_str h = im->rec.field[f];
        size_t i;
        for (i = 0; i < nspec; i++)
            if (bl_str_eq_c(h, spec[i].name))
                break;
        if (i == nspec && im->report)
            continue; /* a platform report: columns Ballast does not read */
        if (i == nspec) {
            struct bl_buf names = BL_BUF_INIT;
            for (size_t k = 0; k < nspec; k++)
                if (bl_buf_addf(&names, "%s%s", k ? ", " : "", spec[k].name))
                    break;
            char got[64];
            bl_str_copy(got, sizeof(got), h);
            bl__imp_err(im, -1, BL_EPARSE, "unknown column in the header: expected %s",
                        bl_buf_cstr(&names));
            bl_diag_at(im->d, NULL, 0, got);
            bl_buf_release(&names);
            return BL_EPARSE;
        }
        if (im->col[i] >= 0)
            return bl__imp_err(im, (int)i, BL_EPARSE, "column '%s' appears twice in the header",
                               spec[i].name);
        im->col[i] = (int)f;
    }
    for (size_t i = 0; i < nspec; i++)
        if (spec[i].required && im->col[i] < 0)
            return bl__imp_err(im, (int)i, BL_EPARSE,
                               "required column '%s' is missing from the header",
                               spec[i].name);
    bl__ident_file(im);
    return BL_OK;
}

void bl__imp_progress(struct bl__imp *im)
{
    if (!im->opts->progress || !im->csv)
        return;
    im->opts->progress(im->opts->progress_ctx, bl_csv_bytes_read(im->csv),
                       bl_csv_bytes_total(im->csv));
}

int bl__imp_next(struct bl__imp *im)
{
    int rc = bl_csv_next(im->csv, &im->rec, im->d);
    if (rc < 0) {
        int src = settled(im);
        return src < 0 ? src : rc;
    }
    if (rc == 0) {
        if (rc == 0 && im->rows == 0) {
            bl_diag_clear(im->d);
            bl_diag_at(im->d, im->file, 0, NULL);
            return bl_diag_set(im->d, BL_EEMPTY,
                               im->opts->jsonl ? "no lines: expected one JSON object per line"
                                               : "the file has a header but no data rows");
        }
        if (rc == 0)
            bl__imp_progress(im);
        return rc;
    }
    if (im->rec.nfields != im->nheader)
        return bl__imp_err(im, -1, BL_EPARSE,
                           "expected %zu fields as in the header, got %zu", im->nheader,
                           im->rec.nfields);
    im->rows++;
    bl__ident_record(im);
    if ((im->rows & 0xffff) == 0)
        bl__imp_progress(im);
    return 1;
}

void bl__imp_close_file(struct bl__imp *im)
{
    im->ranges = NULL;
    im->nranges = 0;
    if (im->csv != im->opts->ahead) /* that one is the caller's */
        bl_csv_close(im->csv);
    im->csv = NULL;
}

bool bl__imp_has(const struct bl__imp *im, int c)
{
    return im->col[c] >= 0 && im->rec.field[im->col[c]].len > 0;
}

struct bl_str bl__imp_raw(const struct bl__imp *im, int c)
{
    if (im->col[c] < 0)
        return (struct bl_str){"", 0};
    return im->rec.field[im->col[c]];
}

/* Common start of a getter: absent/empty handling. Returns 1 to go on parsing,
 * 0 when absent-and-allowed, <0 on error. */
static int field_start(struct bl__imp *im, int c, struct bl_str *v, const char *expect)
{
    *v = bl__imp_raw(im, c);
    if (v->len)
        return 1;
    if (im->spec[c].required)
        return bl__imp_err(im, c, BL_EPARSE, "missing value: expected %s", expect);
    return 0;
}

static void quote(char *out, size_t cap, struct bl_str s)
{
    if (s.len > 60)
        s.len = 60;
    bl_str_copy(out, cap, s);
}

/* Names and ids a person reads: no control characters, no bidirectional controls. */
static int name_check(struct bl__imp *im, int c, struct bl_str v, const char *what)
{
    size_t at;
    enum bl_text_fault f = bl_text_name_check(v, &at);
    if (f == BL_TEXT_OK)
        return BL_OK;
    return bl__imp_err(im, c, BL_EPARSE, "%s has %s (byte %zu): expected printable text", what,
                       bl_text_fault_name(f), at + 1);
}

int bl__imp_id(struct bl__imp *im, int c, struct bl_str *out)
{
    struct bl_str v;
    int rc = field_start(im, c, &v, "an id");
    if (rc <= 0) {
        *out = (struct bl_str){"", 0};
        return rc;
    }
    if (v.len > 200)
        return bl__imp_err(im, c, BL_EPARSE, "id is %zu bytes long: expected at most 200",
                           v.len);
    TRY(name_check(im, c, v, "id"));
    *out = v;
    return BL_OK;
}

int bl__imp_text(struct bl__imp *im, int c, struct bl_str *out, bool *present)
{
    struct bl_str v;
    int rc = field_start(im, c, &v, "text");
    *present = rc > 0;
    *out = v;
    return rc < 0 ? rc : BL_OK;
}

int bl__imp_name(struct bl__imp *im, int c, struct bl_str *out, bool *present)
{
    TRY(bl__imp_text(im, c, out, present));
    return *present ? name_check(im, c, *out, "name") : BL_OK;
}

void bl__imp_range(const struct bl__imp *im, int c, int64_t *lo, int64_t *hi)
{
    for (size_t i = 0; i < im->nranges; i++)
        if (im->ranges[i].col == c) {
            *lo = im->ranges[i].min;
            *hi = im->ranges[i].max;
            return;
        }
    *lo = 0;
    switch (im->spec[c].type) {
    case BL__C_POS:
        *lo = 1;
        *hi = BL__QTY_MAX;
        break;
    case BL__C_MONEY:
        *hi = BL__MONEY_MAX;
        break;
    case BL__C_KG:
        *hi = BL__GRAMS_MAX;
        break;
    default:
        *hi = BL__QTY_MAX;
        break;
    }
}

int bl__imp_uint(struct bl__imp *im, int c, int64_t *out, bool *present)
{
    struct bl_str v;
    int64_t lo, hi;
    bl__imp_range(im, c, &lo, &hi);
    char expect[96];
    int rc = field_start(im, c, &v, "a whole number");
    *present = rc > 0;
    if (rc <= 0)
        return rc;
    int64_t x;
    char got[64];
    rc = bl_str_to_i64(v, &x);
    if (rc || x < lo || x > hi) {
        quote(got, sizeof(got), v);
        snprintf(expect, sizeof(expect), "a whole number from %lld to %lld", (long long)lo,
                 (long long)hi);
        if (rc == BL_EPARSE)
            return bl__imp_err(im, c, BL_EPARSE, "'%s': expected %s", got, expect);
        return bl__imp_err(im, c, BL_ERANGE, "'%s' is out of range: expected %s", got, expect);
    }
    *out = x;
    return BL_OK;
}

/* An amount of column c outside its range: the error, with the bounds in the currency's
 * major unit. */
static int money_range(struct bl__imp *im, int c, int exponent, struct bl_str v, int64_t lo,
                       int64_t hi)
{
    char a[48], b[48], got[64];
    if (bl_money_format(lo, exponent, a, sizeof(a)) < 0 ||
        bl_money_format(hi, exponent, b, sizeof(b)) < 0)
        return bl__imp_err(im, c, BL_ERANGE, "amount out of range");
    quote(got, sizeof(got), v);
    return bl__imp_err(im, c, BL_ERANGE, "'%s' is out of range: expected an amount from %s to %s",
                       got, a, b);
}

int bl__imp_money(struct bl__imp *im, int c, int exponent, int64_t *out, bool *present)
{
    struct bl_str v;
    int rc = field_start(im, c, &v, "an amount such as 12.50");
    *present = rc > 0;
    if (rc <= 0)
        return rc;
    struct bl_diag tmp;
    bl_diag_clear(&tmp);
    rc = bl_money_parse(v, exponent, out, &tmp);
    int64_t lo, hi;
    bl__imp_range(im, c, &lo, &hi);
    if (rc == BL_EOVERFLOW || (!rc && (*out < lo || *out > hi)))
        return money_range(im, c, exponent, v, lo, hi);
    if (rc)
        return bl__imp_err(im, c, rc, "%s", tmp.msg[0] ? tmp.msg : bl_strerror(rc));
    return BL_OK;
}

int bl__imp_instant(struct bl__imp *im, int c, const struct bl_tz *tz, int64_t *out,
                    bool *present)
{
    struct bl_str v;
    int rc = field_start(im, c, &v, "an ISO 8601 time such as 2018-05-21T14:30:00Z");
    *present = rc > 0;
    if (rc <= 0)
        return rc;
    struct bl_diag tmp;
    bl_diag_clear(&tmp);
    rc = bl_time_parse(v, tz, out, &tmp);
    if (rc)
        return bl__imp_err(im, c, rc, "%s", tmp.msg[0] ? tmp.msg : bl_strerror(rc));
    bl__ident_instant(im, tz, v);
    return BL_OK;
}

int bl__imp_date(struct bl__imp *im, int c, int64_t *day, bool *present)
{
    struct bl_str v;
    int rc = field_start(im, c, &v, "a date such as 2018-05-21");
    *present = rc > 0;
    if (rc <= 0)
        return rc;
    struct bl_diag tmp;
    bl_diag_clear(&tmp);
    rc = bl_date_parse(v, day, &tmp);
    if (rc)
        return bl__imp_err(im, c, rc, "%s", tmp.msg[0] ? tmp.msg : bl_strerror(rc));
    return BL_OK;
}

int bl__imp_region(struct bl__imp *im, int c, char *out, bool *present)
{
    struct bl_str v;
    int rc = field_start(im, c, &v, "a region code such as CN, BR-SP or BR-SP:013");
    *present = rc > 0;
    if (rc <= 0) {
        out[0] = '\0';
        return rc;
    }
    struct bl__region_memo *m = NULL;
    if (v.len < BL__REGION_RAW) {
        m = &im->region_memo[bl_hash(v.ptr, v.len) & 0xff];
        if (m->len == v.len && memcmp(m->raw, v.ptr, v.len) == 0) {
            memcpy(out, m->canon, sizeof(m->canon));
            return BL_OK;
        }
    }
    struct bl_diag tmp;
    bl_diag_clear(&tmp);
    rc = bl_region_parse(v, out, &tmp);
    if (rc)
        return bl__imp_err(im, c, rc, "%s", tmp.msg[0] ? tmp.msg : bl_strerror(rc));
    if (m) {
        m->len = (uint8_t)v.len;
        memcpy(m->raw, v.ptr, v.len);
        memcpy(m->canon, out, sizeof(m->canon));
    }
    return BL_OK;
}

static int enum_error(struct bl__imp *im, int c, struct bl_str v)
{
    const char *const *ch = im->spec[c].choices;
    struct bl_buf list = BL_BUF_INIT;
    for (size_t i = 0; ch[i]; i++)
        if (bl_buf_addf(&list, "%s%s", i ? ", " : "one of ", ch[i]))
            break;
    char got[64];
    quote(got, sizeof(got), v);
    int rc = v.len ? bl__imp_err(im, c, BL_EPARSE, "'%s': expected %s", got, bl_buf_cstr(&list))
                   : bl__imp_err(im, c, BL_EPARSE, "missing value: expected %s",
                                 bl_buf_cstr(&list));
    bl_buf_release(&list);
    return rc;
}

int bl__imp_enum(struct bl__imp *im, int c, int dflt, int *out)
{
    const char *const *ch = im->spec[c].choices;
    struct bl_str v = bl__imp_raw(im, c);
    *out = dflt;
    if (!v.len)
        return im->spec[c].required ? enum_error(im, c, v) : BL_OK;
    for (int i = 0; ch[i]; i++)
        if (bl_str_eq_c(v, ch[i])) {
            *out = i;
            return BL_OK;
        }
    return enum_error(im, c, v);
}

int bl__imp_flag(struct bl__imp *im, int c, int dflt, int64_t *out)
{
    struct bl_str v;
    int rc = field_start(im, c, &v, "0 or 1");
    *out = dflt;
    if (rc <= 0)
        return rc;
    if (bl_str_eq_c(v, "1") || bl_str_eq_nocase_c(v, "true") || bl_str_eq_nocase_c(v, "yes"))
        *out = 1;
    else if (bl_str_eq_c(v, "0") || bl_str_eq_nocase_c(v, "false") ||
             bl_str_eq_nocase_c(v, "no"))
        *out = 0;
    else {
        char got[64];
        quote(got, sizeof(got), v);
        return bl__imp_err(im, c, BL_EPARSE, "'%s': expected 0 or 1", got);
    }
    return BL_OK;
}

int bl__imp_currency_exp(struct bl__imp *im, struct bl_str code, int *exponent)
{
    int64_t e;
    if (bl_map_get(&im->currencies, code, &e)) {
        *exponent = (int)e;
        return BL_OK;
    }
    struct bl_currency cur;
    struct bl_diag tmp;
    bl_diag_clear(&tmp);
    int rc = bl_currency_lookup(code, &cur, &tmp);
    if (rc)
        return bl_diag_set(im->d, rc, "%s", tmp.msg[0] ? tmp.msg : bl_strerror(rc));
    *exponent = cur.exponent;
    return bl_map_put(&im->currencies, code, cur.exponent);
}

int bl__imp_currency(struct bl__imp *im, int c, char code[4], int *exponent, bool *present)
{
    struct bl_str v;
    int rc = field_start(im, c, &v, "an ISO 4217 currency code such as BRL, CNY or USD");
    *present = rc > 0;
    if (rc <= 0)
        return rc;
    char up[4] = {0};
    if (v.len == 3)
        for (int i = 0; i < 3; i++)
            up[i] = (char)((v.ptr[i] >= 'a' && v.ptr[i] <= 'z') ? v.ptr[i] - 32 : v.ptr[i]);
    struct bl_diag tmp;
    bl_diag_clear(&tmp);
    struct bl_diag *saved = im->d;
    im->d = &tmp;
    rc = bl__imp_currency_exp(im, v.len == 3 ? (struct bl_str){up, 3} : v, exponent);
    im->d = saved;
    if (rc)
        return bl__imp_err(im, c, rc, "%s", tmp.msg[0] ? tmp.msg : bl_strerror(rc));
    memcpy(code, up, 4);
    return BL_OK;
}

int bl__imp_load_tz(struct bl__imp *im, struct bl_str name, const struct bl_tz **tz)
{
    int64_t idx;
    if (bl_map_get(&im->tzs, name, &idx)) {
        *tz = im->tz_list[idx];
        return BL_OK;
    }
    char cname[128];
    if (name.len >= sizeof(cname))
        return bl_diag_set(im->d, BL_ENOTFOUND, "time zone name too long");
    bl_str_copy(cname, sizeof(cname), name);
    struct bl_tz *z;
    const struct bl_tz *shared = NULL;
    int rc = im->opts->cache ? bl__cache_tz(im->opts->cache, cname, &shared, im->d)
                             : bl_tz_load(&z, cname, im->d);
    if (rc)
        return rc;
    if (shared) /* the cache's: kept in the list, never freed here (imp_release) */
        z = (struct bl_tz *)(uintptr_t)shared;
    rc = bl_grow((void **)&im->tz_list, &im->tz_cap, im->ntz + 1, sizeof(*im->tz_list));
    if (rc) {
        if (!shared)
            bl_tz_free(z);
        return rc;
    }
    im->tz_list[im->ntz] = z;
    rc = bl_map_put(&im->tzs, name, (int64_t)im->ntz);
    im->ntz++;
    *tz = z;
    return rc;
}

int bl__imp_tz(struct bl__imp *im, int c, const struct bl_tz **tz, bool *present)
{
    struct bl_str v;
    int rc = field_start(im, c, &v, "an IANA time zone such as Asia/Shanghai");
    *present = rc > 0;
    if (rc <= 0)
        return rc;
    struct bl_diag tmp;
    bl_diag_clear(&tmp);
    struct bl_diag *saved = im->d;
    im->d = &tmp;
    rc = bl__imp_load_tz(im, v, tz);
    im->d = saved;
    if (rc) {
        char got[64];
        quote(got, sizeof(got), v);
        return bl__imp_err(im, c, rc,
                           "unknown time zone '%s': expected an IANA name such as "
                           "Asia/Shanghai or America/Sao_Paulo",
                           got);
    }
    return BL_OK;
}

int bl__imp_kg(struct bl__imp *im, int c, int64_t *grams, bool *present)
{
    struct bl_str v;
    int rc = field_start(im, c, &v, "kilograms such as 0.5 or 2");
    *present = rc > 0;
    if (rc <= 0)
        return rc;
    struct bl_diag tmp;
    rc = bl_money_parse(v, 3, grams, &tmp);
    int64_t lo, hi;
    bl__imp_range(im, c, &lo, &hi);
    if (rc || *grams < lo || *grams > hi) {
        char got[64];
        quote(got, sizeof(got), v);
        return bl__imp_err(im, c, rc && rc != BL_EOVERFLOW ? rc : BL_ERANGE,
                           "'%s': expected kilograms from %lld to %lld, at most 3 decimals",
                           got, (long long)(lo / 1000), (long long)(hi / 1000));
    }
    return BL_OK;
}

/* The next id of table from the allocator, locked to the batch's commit; the importer
 * counts on from it, and ids_settle() moves the allocator past what was inserted. */
int bl__imp_next_id(struct bl__imp *im, const char *table, int64_t *next)
{
    size_t i = 0;
    while (i < im->nid_tables && strcmp(im->id_tables[i], table) != 0)
        i++;
    if (i == im->nid_tables) {
        if (i == sizeof(im->id_tables) / sizeof(im->id_tables[0]))
            return bl_diag_set(im->d, BL_ERANGE, "import: too many id tables in one batch");
        im->id_tables[im->nid_tables++] = table;
    }
    return bl_store_next_ids(im->st, im->org, table, 0, next, im->d);
}

/* After the batch's rows: each allocator the batch drew from starts past its rows
 * (the sequence row is locked since bl__imp_next_id, so nobody else took one). */
static int ids_settle(struct bl__imp *im)
{
    int rc = BL_OK;
    for (size_t i = 0; !rc && i < im->nid_tables; i++) {
        char sql[200];
        snprintf(sql, sizeof(sql),
                 "UPDATE id_seq SET next_id = (SELECT COALESCE(MAX(id), 0) + 1 FROM %s"
                 " WHERE org_id = $1) WHERE org_id = $1 AND tbl = $2",
                 im->id_tables[i]);
        struct bl_val p[2] = {bl_val_int(im->org), bl_val_text(bl_str_c(im->id_tables[i]))};
        rc = bl_store_exec(im->st, sql, p, 2, NULL, im->d);
    }
    return rc;
}

struct load_ctx {
    struct bl__imp *im;
    struct bl_map *m;
    int rc;
};

static int load_row(void *ctx, const struct bl_row *r)
{
    struct load_ctx *lc = ctx;
    return bl_map_put(lc->m, bl_row_text(r, 1), bl_row_int(r, 0));
}

int bl__imp_load_map(struct bl__imp *im, const char *table, struct bl_map *m, bool *loaded)
{
    if (*loaded)
        return BL_OK;
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT id, ext_id FROM %s WHERE org_id = $1", table);
    struct bl_val p = bl_val_int(im->org);
    struct load_ctx lc = {im, m, 0};
    int rc = bl_store_query(im->st, sql, &p, 1, load_row, &lc, im->d);
    if (rc)
        return rc;
    *loaded = true;
    return BL_OK;
}

int bl__imp_ref(struct bl__imp *im, int c, const char *table, struct bl_map *m, bool *loaded,
                int64_t *id, bool *present)
{
    struct bl_str v = bl__imp_raw(im, c);
    *present = v.len > 0;
    if (!v.len) {
        if (!im->spec[c].required)
            return BL_OK;
        char expect[64]; /* formatted only here: this runs once per row */
        snprintf(expect, sizeof(expect), "a %s id", table);
        return field_start(im, c, &v, expect);
    }
    int rc = bl__imp_load_map(im, table, m, loaded);
    if (rc)
        return rc;
    if (bl_map_get(m, v, id))
        return BL_OK;
    char got[64];
    quote(got, sizeof(got), v);
    return bl__imp_err(im, c, BL_ENOTFOUND,
                       "unknown %s '%s': expected the id of a %s in the store (import %ss "
                       "first)",
                       table, got, table, table);
}

int bl__imp_add_shop(struct bl__imp *im, struct bl_str ext, const struct bl__shop *shop)
{
    int rc = bl_grow((void **)&im->shops, &im->shops_cap, im->nshops + 1, sizeof(*im->shops));
    if (rc)
        return rc;
    im->shops[im->nshops] = *shop;
    rc = bl_map_put(&im->shop_ids, ext, (int64_t)im->nshops);
    if (rc)
        return rc;
    im->nshops++;
    return BL_OK;
}

struct shop_ctx {
    struct bl__imp *im;
};

static int shop_row(void *ctx, const struct bl_row *r)
{
    struct bl__imp *im = ctx;
    struct bl__shop s;
    memset(&s, 0, sizeof(s));
    s.id = bl_row_int(r, 0);
    struct bl_str cur = bl_row_text(r, 2);
    bl_str_copy(s.currency, sizeof(s.currency), cur);
    int rc = bl__imp_currency_exp(im, cur, &s.exponent);
    if (rc)
        return rc;
    rc = bl__imp_load_tz(im, bl_row_text(r, 3), &s.tz);
    if (rc)
        return rc;
    bl_str_copy(s.ship_from, sizeof(s.ship_from), bl_row_text(r, 4));
    s.platform = bl_str_eq(bl_row_text(r, 5), BL_STR("platform"));
    return bl__imp_add_shop(im, bl_row_text(r, 1), &s);
}

int bl__imp_load_shops(struct bl__imp *im)
{
    if (im->have_shops)
        return BL_OK;
    struct bl_val p = bl_val_int(im->org);
    int rc = bl_store_query(im->st,
                            "SELECT id, ext_id, currency, tz, ship_from, fulfilment FROM shop "
                            "WHERE org_id = $1",
                            &p, 1, shop_row, im, im->d);
    if (rc)
        return rc;
    im->have_shops = true;
    return BL_OK;
}

int bl__imp_shop_ref(struct bl__imp *im, int c, const struct bl__shop **shop)
{
    struct bl_str v;
    int rc = field_start(im, c, &v, "a shop id");
    if (rc <= 0)
        return rc ? rc : BL_EINVAL;
    rc = bl__imp_load_shops(im);
    if (rc)
        return rc;
    int64_t idx;
    if (bl_map_get(&im->shop_ids, v, &idx)) {
        *shop = &im->shops[idx];
        return BL_OK;
    }
    char got[64];
    quote(got, sizeof(got), v);
    return bl__imp_err(im, c, BL_ENOTFOUND,
                       "unknown shop '%s': expected the id of a shop in the store (import "
                       "shops first)",
                       got);
}

int bl__imp_shop_find(struct bl__imp *im, const char *ext, const struct bl__shop **shop)
{
    int rc = bl__imp_load_shops(im);
    if (rc)
        return rc;
    int64_t idx;
    if (ext && bl_map_get(&im->shop_ids, bl_str_c(ext), &idx)) {
        *shop = &im->shops[idx];
        return BL_OK;
    }
    bl_diag_clear(im->d);
    bl_diag_at(im->d, im->file, 0, NULL);
    return bl_diag_set(im->d, BL_ENOTFOUND,
                       "unknown shop '%s' (--shop): expected the id of a shop in the store "
                       "(import shops first)",
                       ext ? ext : "");
}

int bl__imp_dup(struct bl__imp *im, int rc, const char *field, const char *what)
{
    if (rc != BL_EEXISTS || !im->d)
        return rc;
    int64_t line = im->d->line;
    bl_diag_clear(im->d);
    bl_diag_at(im->d, im->file, line, field);
    return bl_diag_set(im->d, BL_EEXISTS, "%s", what);
}

/* --- the batch --- */

/* Rolls back after an error that is already in the diag. */
static void rollback_quietly(struct bl_store *st)
{
    struct bl_diag ignore;
    if (bl_store_rollback(st, &ignore) != BL_OK)
        return; /* the connection is gone; closing it discards the transaction */
}

static const struct bl__kind *find_kind(const char *name)
{
    for (const struct bl__kind *k = bl__native_kinds; k->name; k++)
        if (strcmp(k->name, name) == 0)
            return k;
    for (const struct bl__kind *k = bl__report_kinds; k->name; k++)
        if (strcmp(k->name, name) == 0)
            return k;
    return NULL;
}

static void imp_release(struct bl__imp *im)
{
    bl__imp_close_file(im);
    bl__ident_release(im);
    bl__replace_release(im);
    bl__imp_blocks_release(im);
    if (!im->opts->cache) { /* else the cache's */
        bl_places_close(im->places);
        for (size_t i = 0; i < im->ntz; i++)
            bl_tz_free(im->tz_list[i]);
    }
    bl_free(im->tz_list);
    bl_free(im->shops);
    bl_map_release(&im->tzs);
    bl_map_release(&im->currencies);
    bl_map_release(&im->shop_ids);
    bl_map_release(&im->skus);
    bl_map_release(&im->warehouses);
    bl_map_release(&im->suppliers);
    bl_map_release(&im->channels);
    bl_arena_release(&im->arena);
}

/* After a collision with stored rows (a duplicate id, an order that would change):
 * were these records imported before? The rest of the input is read and hashed, then
 * the batch is rolled back and looked for. 1: already (res says which), 0: no (the
 * collision stands), <0: imported with other options (d says how to replace it). */
static int seen_before(struct bl__imp *im, bool olist, struct bl_import_result *res)
{
    struct bl_diag saved = *im->d;
    if (!olist && im->csv) {
        int r;
        while ((r = bl__imp_next(im)) == 1)
            continue;
        if (r == 0 && bl_csv_sha256(im->csv, im->bytes_sha) != BL_OK)
            im->bytes_sha[0] = '\0';
        if (r != 0 || bl__ident_end(im) != BL_OK)
            im->sha[0] = '\0';
    }
    int k = 0;
    if (im->sha[0] && bl_store_rollback(im->st, im->d) == BL_OK)
        k = bl__ident_check(im, res);
    if (k == 0 || k == BL_ESTORE)
        *im->d = saved;
    return k == BL_ESTORE ? 0 : k;
}

/* After a large batch of new orders, PostgreSQL's planner statistics: until autovacuum
 * gets to the tables, the planner takes them for as small as before, and the next
 * import's lookups (order_sink.c) scan every order. A failure only costs speed. SQLite
 * keeps no statistics (Ballast never runs ANALYZE there; its queries do not need them). */
static void refresh_stats(struct bl_store *st, const struct bl_import_result *res)
{
    if (res->fresh < 10000 || strcmp(bl_store_kind(st), "postgres") != 0)
        return;
    struct bl_diag ignore;
    bl_diag_clear(&ignore);
    if (bl_store_exec(st, "ANALYZE orders", NULL, 0, NULL, &ignore) == BL_OK)
        (void)!bl_store_exec(st, "ANALYZE order_line", NULL, 0, NULL, &ignore);
}

/* Records the batch: a new import_batch row, or the replaced batch's row updated. */
static int record_batch(struct bl__imp *im, const struct bl_import_result *res)
{
    const struct bl_import_opts *opts = im->opts;
    char o[128];
    bl__ident_opts(im, o, sizeof(o));
    struct bl_val p[8] = {bl_val_int(im->org),
                          bl_val_int(im->batch),
                          bl_val_text(bl_str_c(opts->kind)),
                          bl_val_text(bl_str_c(opts->path)),
                          bl_val_text(bl_str_c(im->sha)),
                          bl_val_int(res->rows),
                          bl_val_int(opts->now),
                          bl_val_text(bl_str_c(o))};
    if (im->replace)
        return bl_store_exec(im->st,
                             "UPDATE import_batch SET source = $4, sha256 = $5, rows = $6, "
                             "replaced_at = $7, opts = $8 WHERE org_id = $1 AND id = $2 AND "
                             "kind = $3",
                             p, 8, NULL, im->d);
    return bl_store_exec(im->st,
                         "INSERT INTO import_batch (org_id, id, kind, source, sha256, rows, "
                         "state, created_at, opts) VALUES ($1, $2, $3, $4, $5, $6, 'done', $7, "
                         "$8)",
                         p, 8, NULL, im->d);
}

/* The rows are in (uncommitted): the batch is new, already imported, or nothing. */
static int finish(struct bl__imp *im, bool olist, int rc, struct bl_import_result *res)
{
    if (!rc)
        rc = bl__imp_blocks_flush(im);
    if (!rc)
        rc = ids_settle(im);
    if (!rc && im->csv && bl_csv_sha256(im->csv, im->bytes_sha) != BL_OK)
        im->bytes_sha[0] = '\0';
    if (!rc)
        rc = bl__ident_end(im);
    if (!rc && im->replace)
        rc = bl__replace_end(im, res);
    set_file_diag(im);
    if (rc) {
        int k = rc == BL_EEXISTS || rc == BL_ECONFLICT ? seen_before(im, olist, res) : 0;
        if (k)
            return k > 0 ? BL_OK : k;
        rollback_quietly(im->st);
        bl__replace_hint(im);
        return rc;
    }
    int k = bl__ident_check(im, res);
    if (k)
        return k < 0 ? k : bl_store_rollback(im->st, im->d);
    /* Records all known and unchanged (orders, and the kinds with natural keys): nothing
     * to store, whatever the bytes. */
    bool orders = bl_import_kind_orders(im->opts->kind);
    if (!im->replace && ((orders && res->unchanged && !res->fresh && !res->updated &&
                          !im->added) ||
                         (!orders && im->n_kept && !im->n_added && !im->n_changed &&
                          res->skipped == im->n_kept))) {
        res->nothing = true;
        res->records = 0;
        return bl_store_rollback(im->st, im->d);
    }
    rc = record_batch(im, res);
    if (!rc && im->opts->before_commit)
        rc = im->opts->before_commit(im->opts->commit_ctx, im->st, im->batch, res, im->d);
    if (!rc)
        rc = bl_store_commit(im->st, im->d);
    if (!rc) {
        res->batch_id = im->batch;
        refresh_stats(im->st, res);
    }
    return rc;
}

/* Begins the batch's transaction: the org row locked, the batch's id taken (or the
 * replaced batch checked). */
static int start(struct bl__imp *im, struct bl_import_result *res)
{
    int rc = bl_store_begin(im->st, im->d);
    if (rc)
        return rc;
    /* Serialises batches of one org on PostgreSQL (a row lock held to commit);
     * SQLite's BEGIN IMMEDIATE already holds the write lock. */
    struct bl_val org = bl_val_int(im->org);
    int64_t changed = 0;
    rc = bl_store_exec(im->st, "UPDATE org SET name = name WHERE id = $1", &org, 1, &changed,
                       im->d);
    if (!rc && changed != 1)
        rc = bl_diag_set(im->d, BL_ENOTFOUND, "organisation %lld does not exist",
                         (long long)im->org);
    if (!rc) /* what the server's cached answers read changes: bumped at commit */
        rc = bl_store_touch(im->st, im->org, im->d);
    if (!rc && im->replace)
        rc = bl__replace_begin(im, res);
    else if (!rc)
        rc = bl_store_next_ids(im->st, im->org, "import_batch", 1, &im->batch, im->d);
    if (rc)
        rollback_quietly(im->st);
    return rc;
}

int bl_import(struct bl_store *st, const struct bl_import_opts *opts,
              struct bl_import_result *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    const struct bl__kind *kind = NULL;
    bool olist = strcmp(opts->kind, "olist") == 0;
    if (!olist && !(kind = find_kind(opts->kind)))
        return bl_diag_set(d, BL_EINVAL, "unknown import kind '%s'", opts->kind);
    if (olist && opts->source)
        return bl_diag_set(d, BL_EINVAL,
                           "the Olist dataset is a directory of files: import it with "
                           "'ballast import olist DIR'");
    if (opts->ahead && (!opts->jsonl || !opts->source || strcmp(opts->kind, "orders") != 0))
        return bl_diag_set(d, BL_EINVAL, "records read ahead are JSON Lines of orders");
    if (opts->jsonl && (!opts->source || bl_import_kind_report(opts->kind)))
        return bl_diag_set(d, BL_EINVAL, "JSON Lines carry the native columns of a kind, "
                                         "not a platform's report");
    if (!olist && bl_import_kind_report(opts->kind) && (!opts->shop || !*opts->shop))
        return bl_diag_set(d, BL_EINVAL,
                           "a %s report is one shop's: name it with --shop (the shop's id "
                           "in the store)",
                           opts->kind);

    struct bl__imp im;
    memset(&im, 0, sizeof(im));
    im.st = st;
    im.opts = opts;
    im.d = d;
    im.org = opts->org_id;
    im.replace = opts->replace;
    struct bl_import_opts fixed = *opts; /* a replaced batch's orders change as corrections */
    fixed.corrections = opts->corrections || opts->replace;
    im.opts = &fixed;
    bl_arena_init(&im.arena, 0);
    bl_map_init(&im.tzs, &im.arena);
    bl_map_init(&im.currencies, &im.arena);
    bl_map_init(&im.shop_ids, &im.arena);
    bl_map_init(&im.skus, &im.arena);
    bl_map_init(&im.warehouses, &im.arena);
    bl_map_init(&im.suppliers, &im.arena);
    bl_map_init(&im.channels, &im.arena);
    im.file = opts->path;

    int rc = bl__ident_begin(&im);
    if (!rc && opts->tz)
        rc = bl__imp_load_tz(&im, bl_str_c(opts->tz), &im.tz);
    if (!rc && (rc = start(&im, res)) == BL_OK) {
        rc = olist ? bl__olist_run(&im, opts->path, res) : kind->run(&im, opts->path, res);
        rc = finish(&im, olist, rc, res);
        if (rc)
            rollback_quietly(st);
    }
    imp_release(&im);
    return rc;
}
