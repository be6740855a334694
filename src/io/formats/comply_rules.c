/* comply_rules.c - the tax threshold rules from CSV (comply.h; docs/formats.md, "Tax
 * threshold rules"). One row per jurisdiction; every problem names the file, the line,
 * the column and what was expected. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ballast/alloc.h"
#include "ballast/comply.h"
#include "ballast/csv.h"
#include "ballast/file.h"
#include "ballast/money.h"
#include "ballast/time.h"

#ifndef BL_SOURCE_DATA
#define BL_SOURCE_DATA "data"
#endif

#define MAX_RULES_BYTES (4u << 20)

enum col {
    C_CODE, C_NAME, C_NAME_ZH, C_REGIONS, C_CURRENCY, C_AMOUNT, C_COUNT, C_COMBINE,
    C_PERIOD, C_SINCE, C_SOURCE, C_CHECKED, C_NOTE, C__N
};
static const char *const cols[C__N] = {"jurisdiction", "name", "name_zh", "regions",
                                       "currency", "amount", "transactions", "combine",
                                       "period", "since", "source", "checked", "note"};
static const bool optional[C__N] = {[C_NAME_ZH] = true, [C_AMOUNT] = true, [C_COUNT] = true,
                                    [C_COMBINE] = true, [C_NOTE] = true};

struct pctx {
    const char *name;
    struct bl_diag *d;
    int at[C__N]; /* column index of each, -1 absent */
    bool header;
    struct bl_comply_rules out;
    size_t cap;
};

static int bad(struct pctx *c, int64_t line, const char *field, int code, const char *fmt, ...)
    BL_PRINTF(5, 6);
static int bad(struct pctx *c, int64_t line, const char *field, int code, const char *fmt, ...)
{
    char msg[480];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    bl_diag_clear(c->d);
    bl_diag_at(c->d, c->name, line, field);
    return bl_diag_set(c->d, code, "%s", msg);
}

static int header(struct pctx *c, const struct bl_csv_record *rec)
{
    bool required[C__N];
    for (int k = 0; k < C__N; k++)
        required[k] = !optional[k];
    int rc = bl_csv_header_map(rec, cols, C__N, required, c->at, c->name, c->d);
    if (rc)
        return rc;
    c->header = true;
    return BL_OK;
}

static struct bl_str field(const struct pctx *c, const struct bl_csv_record *rec, enum col k)
{
    int i = c->at[k];
    return i >= 0 && (size_t)i < rec->nfields ? bl_str_trim(rec->field[i]) : BL_STR("");
}

/* Copies text into a fixed field: required (non-empty), at most cap - 1 bytes. */
static int text(struct pctx *c, const struct bl_csv_record *rec, enum col k, char *out,
                size_t cap, bool required)
{
    struct bl_str s = field(c, rec, k);
    if (required && !s.len)
        return bad(c, rec->line, cols[k], BL_EPARSE, "empty: expected %s",
                   k == C_NAME     ? "the jurisdiction's name, as a person says it"
                   : k == C_SOURCE ? "where the rule comes from (a law, an official page)"
                                   : "a value");
    if (s.len >= cap)
        return bad(c, rec->line, cols[k], BL_ETOOBIG, "longer than %zu bytes", cap - 1);
    memcpy(out, s.ptr, s.len);
    out[s.len] = '\0';
    return BL_OK;
}

static int code(struct pctx *c, const struct bl_csv_record *rec, struct bl_comply_rule *r)
{
    struct bl_str s = field(c, rec, C_CODE);
    bool ok = s.len > 0 && s.len < BL_COMPLY_CODE_MAX;
    for (size_t i = 0; ok && i < s.len; i++)
        ok = (s.ptr[i] >= 'A' && s.ptr[i] <= 'Z') || (s.ptr[i] >= '0' && s.ptr[i] <= '9') ||
             s.ptr[i] == '-' || s.ptr[i] == '_';
    if (!ok)
        return bad(c, rec->line, "jurisdiction", BL_EPARSE,
                   "\"%.*s\": expected a code of 1 to %d capital letters, digits, '-' or '_' "
                   "(EU, US-CA)",
                   (int)(s.len > 40 ? 40 : s.len), s.ptr, BL_COMPLY_CODE_MAX - 1);
    for (size_t k = 0; k < c->out.n; k++)
        if (bl_str_eq_c(s, c->out.r[k].code))
            return bad(c, rec->line, "jurisdiction", BL_EPARSE,
                       "%s is there twice (line %lld too): one row per jurisdiction",
                       c->out.r[k].code, (long long)c->out.r[k].line);
    memcpy(r->code, s.ptr, s.len);
    return BL_OK;
}

static int regions(struct pctx *c, const struct bl_csv_record *rec, struct bl_comply_rule *r)
{
    struct bl_str s = field(c, rec, C_REGIONS);
    for (size_t i = 0; i < s.len;) {
        while (i < s.len && s.ptr[i] == ' ')
            i++;
        size_t e = i;
        while (e < s.len && s.ptr[e] != ' ')
            e++;
        if (e == i)
            break;
        if (r->nregions == BL_COMPLY_REGIONS_MAX)
            return bad(c, rec->line, "regions", BL_ETOOBIG, "more than %d regions",
                       BL_COMPLY_REGIONS_MAX);
        struct bl_diag rd;
        bl_diag_clear(&rd);
        if (bl_region_parse((struct bl_str){s.ptr + i, e - i}, r->regions[r->nregions], &rd))
            return bad(c, rec->line, "regions", BL_EPARSE,
                       "%s: expected region codes separated by spaces (DE FR, US-CA)", rd.msg);
        r->nregions++;
        i = e;
    }
    if (!r->nregions)
        return bad(c, rec->line, "regions", BL_EPARSE,
                   "empty: expected the destinations the rule covers, as region codes separated "
                   "by spaces (AT BE BG ..., US-CA)");
    return BL_OK;
}

/* "> 10000" or ">= 200": the comparison, then the value (money in the rule's currency
 * when money). */
static int test(struct pctx *c, const struct bl_csv_record *rec, enum col k,
                const struct bl_comply_rule *r, struct bl_comply_test *t)
{
    struct bl_str s = field(c, rec, k);
    if (!s.len)
        return BL_OK;
    const char *want = k == C_AMOUNT ? "> or >= and an amount in the rule's currency "
                                       "(\"> 10000\": more than 10,000)"
                                     : "> or >= and a number of transactions "
                                       "(\">= 200\": 200 or more)";
    if (s.ptr[0] != '>')
        return bad(c, rec->line, cols[k], BL_EPARSE, "\"%.*s\": expected %s",
                   (int)(s.len > 40 ? 40 : s.len), s.ptr, want);
    t->or_equal = s.len > 1 && s.ptr[1] == '=';
    struct bl_str v = bl_str_trim((struct bl_str){s.ptr + 1 + t->or_equal, s.len - 1 - t->or_equal});
    int rc = k == C_AMOUNT ? bl_money_parse(v, r->exponent, &t->value, NULL)
                           : bl_str_to_i64(v, &t->value);
    if (rc || t->value <= 0)
        return bad(c, rec->line, cols[k], BL_EPARSE, "\"%.*s\": expected %s, more than zero",
                   (int)(s.len > 40 ? 40 : s.len), s.ptr, want);
    t->set = true;
    return BL_OK;
}

static int tests(struct pctx *c, const struct bl_csv_record *rec, struct bl_comply_rule *r)
{
    int rc = test(c, rec, C_AMOUNT, r, &r->amount);
    if (!rc)
        rc = test(c, rec, C_COUNT, r, &r->count);
    if (rc)
        return rc;
    if (!r->amount.set && !r->count.set)
        return bad(c, rec->line, "amount", BL_EPARSE,
                   "both amount and transactions are empty: expected one, or both");
    struct bl_str comb = field(c, rec, C_COMBINE);
    bool both = r->amount.set && r->count.set;
    if (both && !bl_str_eq_c(comb, "and") && !bl_str_eq_c(comb, "or"))
        return bad(c, rec->line, "combine", BL_EPARSE,
                   "\"%.*s\": expected and (both the amount and the transactions) or or "
                   "(either one), since the rule has both",
                   (int)(comb.len > 20 ? 20 : comb.len), comb.ptr);
    if (!both && comb.len)
        return bad(c, rec->line, "combine", BL_EPARSE,
                   "\"%.*s\": expected nothing, since the rule has only one test",
                   (int)(comb.len > 20 ? 20 : comb.len), comb.ptr);
    r->both = both && bl_str_eq_c(comb, "and");
    return BL_OK;
}

static int date(struct pctx *c, const struct bl_csv_record *rec, enum col k, int64_t *out)
{
    struct bl_diag dd;
    bl_diag_clear(&dd);
    if (bl_date_parse(field(c, rec, k), out, &dd))
        return bad(c, rec->line, cols[k], BL_EPARSE, "%s: expected a date YYYY-MM-DD", dd.msg);
    return BL_OK;
}

static int period(struct pctx *c, const struct bl_csv_record *rec, struct bl_comply_rule *r)
{
    struct bl_str s = field(c, rec, C_PERIOD);
    for (int k = 0; k < 4; k++)
        if (bl_str_eq_c(s, bl_comply_periods[k])) {
            r->period = (enum bl_comply_period)k;
            return BL_OK;
        }
    return bad(c, rec->line, "period", BL_EPARSE,
               "\"%.*s\": expected calendar_year, current_or_previous_year, previous_year or "
               "twelve_months",
               (int)(s.len > 40 ? 40 : s.len), s.ptr);
}

static int currency(struct pctx *c, const struct bl_csv_record *rec, struct bl_comply_rule *r)
{
    struct bl_currency cur;
    struct bl_str s = field(c, rec, C_CURRENCY);
    if (bl_currency_lookup(s, &cur, NULL) || s.len != 3 || s.ptr[0] < 'A' || s.ptr[0] > 'Z')
        return bad(c, rec->line, "currency", BL_EPARSE,
                   "\"%.*s\": expected an ISO 4217 code in capitals (EUR, USD)",
                   (int)(s.len > 20 ? 20 : s.len), s.ptr);
    memcpy(r->currency, cur.code, 4);
    r->exponent = cur.exponent;
    return BL_OK;
}

static int row(struct pctx *c, const struct bl_csv_record *rec, struct bl_comply_rule *r)
{
    memset(r, 0, sizeof(*r));
    r->line = rec->line;
    int rc = code(c, rec, r);
    if (!rc)
        rc = text(c, rec, C_NAME, r->name, sizeof(r->name), true);
    if (!rc)
        rc = text(c, rec, C_NAME_ZH, r->name_zh, sizeof(r->name_zh), false);
    if (!rc)
        rc = regions(c, rec, r);
    if (!rc)
        rc = currency(c, rec, r);
    if (!rc)
        rc = tests(c, rec, r);
    if (!rc)
        rc = period(c, rec, r);
    if (!rc)
        rc = date(c, rec, C_SINCE, &r->since);
    if (!rc)
        rc = text(c, rec, C_SOURCE, r->source, sizeof(r->source), true);
    if (!rc)
        rc = date(c, rec, C_CHECKED, &r->checked);
    if (!rc)
        rc = text(c, rec, C_NOTE, r->note, sizeof(r->note), false);
    return rc;
}

static int on_record(void *ctx, const struct bl_csv_record *rec)
{
    struct pctx *c = ctx;
    if (!c->header)
        return header(c, rec);
    if (c->out.n == BL_COMPLY_RULES_MAX)
        return bad(c, rec->line, "", BL_ETOOBIG, "more than %d rules", BL_COMPLY_RULES_MAX);
    void *items = c->out.r;
    if (bl_grow(&items, &c->cap, c->out.n + 1, sizeof(*c->out.r)))
        return bad(c, rec->line, "", BL_ENOMEM, "out of memory");
    c->out.r = items;
    int rc = row(c, rec, &c->out.r[c->out.n]);
    if (!rc)
        c->out.n++;
    return rc;
}

int bl_comply_rules_parse(const char *text_, size_t len, const char *name,
                          struct bl_comply_rules *out, struct bl_diag *d)
{
    struct pctx c = {.name = name, .d = d};
    bl_diag_clear(d);
    int rc = bl_csv_parse_buffer(text_, len, on_record, &c, d);
    if (rc && d && !d->file[0])
        bl_diag_at(d, name, 0, NULL);
    if (!rc && !c.out.n)
        rc = bad(&c, 0, "", BL_EPARSE,
                 c.header ? "no rules: expected a row per jurisdiction after the header"
                          : "empty: expected a header (jurisdiction,name,regions,...) and a row "
                            "per jurisdiction");
    if (rc) {
        bl_comply_rules_release(&c.out);
        return rc;
    }
    *out = c.out;
    return BL_OK;
}

int bl_comply_rules_load(const char *path, struct bl_comply_rules *out, struct bl_diag *d)
{
    struct bl_buf b;
    int rc = bl_file_read(path, MAX_RULES_BYTES, &b, d);
    if (rc)
        return rc;
    rc = bl_comply_rules_parse(b.ptr, b.len, path, out, d);
    bl_buf_release(&b);
    return rc;
}

const char *bl_comply_rules_path(void)
{
    const char *e = getenv("BALLAST_COMPLY_RULES");
    if (e && e[0])
        return e;
    FILE *f = fopen(BL_SOURCE_DATA "/comply/rules.csv", "rb");
    if (f) {
        fclose(f);
        return BL_SOURCE_DATA "/comply/rules.csv";
    }
    return "data/comply/rules.csv";
}

void bl_comply_rules_release(struct bl_comply_rules *r)
{
    bl_free(r->r);
    memset(r, 0, sizeof(*r));
}

const struct bl_comply_rule *bl_comply_rule_find(const struct bl_comply_rules *r,
                                                 const char *code_)
{
    for (size_t k = 0; k < r->n; k++)
        if (bl_str_eq_nocase_c(bl_str_c(code_), r->r[k].code))
            return &r->r[k];
    return NULL;
}
