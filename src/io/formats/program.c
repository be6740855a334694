/* program.c - a support programme from JSON (programs.h; docs/formats.md, "Support
 * programmes"). Every field is checked: an unknown one is a typo, a wrong one is named
 * with what was expected, a syntax error with its line and column. */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ballast/disruption.h"
#include "ballast/money.h"
#include "ballast/programs.h"
#include "ballast/str.h"
#include "io/formats/json_doc.h"

#define MAX_PROGRAM_BYTES (1u << 20)

#define TRY(x)                                                                                     \
    do {                                                                                           \
        int rc_ = (x);                                                                             \
        if (rc_)                                                                                   \
            return rc_;                                                                            \
    } while (0)

/* Printable text of 1..cap-1 bytes, no control characters. */
static int get_text(struct bl_json_doc *c, json_t *v, const char *path, char *out, size_t cap)
{
    if (!json_is_string(v))
        return bl_json_doc_bad(c, path, "expected text");
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (len == 0 || len >= cap)
        return bl_json_doc_bad(c, path, "expected text of 1 to %zu bytes", cap - 1);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return bl_json_doc_bad(c, path, "expected text without control characters");
    memcpy(out, s, len + 1);
    return BL_OK;
}

static int get_id(struct bl_json_doc *c, json_t *root, struct bl_program *p)
{
    json_t *v = json_object_get(root, "id");
    if (!v)
        return bl_json_doc_bad(c, "id",
                               "missing: expected the programme's id (letters, digits, '-', '_')");
    TRY(get_text(c, v, "id", p->id, sizeof(p->id)));
    for (const char *s = p->id; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
            return bl_json_doc_bad(
                c, "id", "expected lower-case letters, digits, '-' and '_' (\"%s\")", p->id);
    return BL_OK;
}

static const char *const name_keys[] = {"en", "zh-CN", "pt-BR", NULL};

static int get_names(struct bl_json_doc *c, json_t *root, struct bl_program *p)
{
    json_t *v = json_object_get(root, "name");
    if (!json_is_object(v))
        return bl_json_doc_bad(c, "name", "%s: expected {\"en\": \"...\", \"zh-CN\": \"...\"}",
                               v ? "wrong type" : "missing");
    TRY(bl_json_doc_unknown(c, v, name_keys, "name"));
    json_t *en = json_object_get(v, "en"), *zh = json_object_get(v, "zh-CN");
    if (!en || !zh)
        return bl_json_doc_bad(c, en ? "name.zh-CN" : "name.en",
                               "missing: a programme is named in English and Chinese");
    TRY(get_text(c, en, "name.en", p->name_en, sizeof(p->name_en)));
    TRY(get_text(c, zh, "name.zh-CN", p->name_zh, sizeof(p->name_zh)));
    json_t *pt = json_object_get(v, "pt-BR"); /* optional: its merchants' notices in pt-BR */
    return pt ? get_text(c, pt, "name.pt-BR", p->name_pt, sizeof(p->name_pt)) : BL_OK;
}

static const char *const cond_keys[] = {"fact", "linked", NULL};

static int get_cond(struct bl_json_doc *c, json_t *v, size_t k, struct bl_program *p)
{
    char path[48];
    snprintf(path, sizeof(path), "conditions[%zu]", k);
    if (!json_is_object(v))
        return bl_json_doc_bad(c, path, "expected {\"fact\": ...}");
    TRY(bl_json_doc_unknown(c, v, cond_keys, path));
    json_t *f = json_object_get(v, "fact"), *l = json_object_get(v, "linked");
    snprintf(path, sizeof(path), "conditions[%zu].fact", k);
    const char *name = json_string_value(f);
    size_t i = 0;
    while (name && i < BL_PG__COND_COUNT && strcmp(name, bl_pg_cond_name((enum bl_pg_cond)i)))
        i++;
    if (!name || i == BL_PG__COND_COUNT)
        return bl_json_doc_bad(c, path,
                               "expected first_opening, deposit_paid, sharing or no_violation");
    for (size_t j = 0; j < p->nconds; j++)
        if (p->conds[j] == (enum bl_pg_cond)i)
            return bl_json_doc_bad(c, path, "%s is listed twice", name);
    p->conds[p->nconds++] = (enum bl_pg_cond)i;
    if (l) {
        snprintf(path, sizeof(path), "conditions[%zu].linked", k);
        if (!json_is_boolean(l) || i != BL_PG_NO_VIOLATION)
            return bl_json_doc_bad(c, path, "expected true or false, on no_violation only");
        p->linked = json_is_true(l);
    }
    return BL_OK;
}

static int get_conds(struct bl_json_doc *c, json_t *root, struct bl_program *p)
{
    json_t *v = json_object_get(root, "conditions");
    if (!v)
        return BL_OK;
    if (!json_is_array(v) || json_array_size(v) > BL_PG_CONDS_MAX)
        return bl_json_doc_bad(c, "conditions", "expected a list of at most %d conditions",
                               BL_PG_CONDS_MAX);
    for (size_t k = 0; k < json_array_size(v); k++)
        TRY(get_cond(c, json_array_get(v, k), k, p));
    return BL_OK;
}

static const char *const cov_keys[] = {"disruption_kinds", NULL};

static int get_coverage(struct bl_json_doc *c, json_t *root, struct bl_program *p)
{
    json_t *v = json_object_get(root, "coverage");
    if (!v)
        return BL_OK;
    if (!json_is_object(v))
        return bl_json_doc_bad(c, "coverage", "expected {\"disruption_kinds\": [...]}");
    TRY(bl_json_doc_unknown(c, v, cov_keys, "coverage"));
    p->coverage = true;
    json_t *k = json_object_get(v, "disruption_kinds");
    if (!k)
        return BL_OK;
    if (!json_is_array(k) || json_array_size(k) > BL_PG_KINDS_MAX)
        return bl_json_doc_bad(c, "coverage.disruption_kinds",
                               "expected a list of at most %d kinds of disruption",
                               BL_PG_KINDS_MAX);
    for (size_t i = 0; i < json_array_size(k); i++) {
        char path[64];
        snprintf(path, sizeof(path), "coverage.disruption_kinds[%zu]", i);
        TRY(get_text(c, json_array_get(k, i), path, p->kinds[p->nkinds], sizeof(p->kinds[0])));
        size_t x = 0;
        while (bl_dis_kinds[x] && strcmp(bl_dis_kinds[x], p->kinds[p->nkinds]) != 0)
            x++;
        if (!bl_dis_kinds[x])
            return bl_json_doc_bad(c, path,
                                   "expected a kind of disruption: lockdown, strike, "
                                   "route_suspension, carrier_suspension, supplier_shutdown, "
                                   "holiday, weather, other or customer_service_closure");
        p->nkinds++;
    }
    return BL_OK;
}

/* A money amount in the benefit's currency, as decimal text ("2500.00"). */
static int get_money(struct bl_json_doc *c, json_t *v, const char *path,
                     const struct bl_pg_benefit *b, int64_t *out)
{
    if (!json_is_string(v))
        return bl_json_doc_bad(c, path, "expected an amount as text, \"2500.00\"");
    struct bl_diag md;
    bl_diag_clear(&md);
    int64_t x = 0;
    if (bl_money_parse(bl_str_c(json_string_value(v)), b->exponent, &x, &md) || x <= 0 ||
        x > INT64_C(100000000000000))
        return bl_json_doc_bad(
            c, path, "expected a positive amount in %s up to 1,000,000,000,000.00 (\"%s\")",
            b->currency, json_string_value(v));
    *out = x;
    return BL_OK;
}

static const char *const ben_keys[] = {"kind", "amount",     "currency", "share",
                                       "cap",  "sales_days", NULL};

static int get_kind(struct bl_json_doc *c, json_t *v, const char *path, struct bl_pg_benefit *b)
{
    const char *k = json_string_value(v);
    if (!k || (strcmp(k, "traffic_subsidy") && strcmp(k, "deposit_waiver")))
        return bl_json_doc_bad(c, path,
                               "expected traffic_subsidy (a budget shared) or deposit_waiver (an "
                               "amount per member)");
    snprintf(b->what, sizeof(b->what), "%s", k);
    b->kind = strcmp(k, "deposit_waiver") == 0 ? BL_PG_WAIVER : BL_PG_SUBSIDY;
    return BL_OK;
}

static int get_currency(struct bl_json_doc *c, json_t *v, const char *path, struct bl_pg_benefit *b)
{
    struct bl_currency cur;
    struct bl_diag cd;
    bl_diag_clear(&cd);
    if (!json_is_string(v) || bl_currency_lookup(bl_str_c(json_string_value(v)), &cur, &cd))
        return bl_json_doc_bad(c, path, "expected an ISO 4217 currency code (\"BRL\")");
    memcpy(b->currency, cur.code, sizeof(b->currency));
    b->exponent = cur.exponent;
    return BL_OK;
}

static int get_rule(struct bl_json_doc *c, json_t *o, const char *at, struct bl_pg_benefit *b)
{
    char path[64];
    json_t *s = json_object_get(o, "share"), *days = json_object_get(o, "sales_days");
    snprintf(path, sizeof(path), "%s.share", at);
    const char *r = s ? json_string_value(s) : "sales_before";
    if (!r || (strcmp(r, "sales_before") && strcmp(r, "equal")))
        return bl_json_doc_bad(c, path,
                               "expected sales_before (in proportion to sales before the "
                               "disruption) or equal");
    b->rule = strcmp(r, "equal") == 0 ? BL_PG_EQUAL : BL_PG_BY_SALES;
    b->sales_days = 30;
    snprintf(path, sizeof(path), "%s.sales_days", at);
    if (days && (b->rule != BL_PG_BY_SALES || !json_is_integer(days) ||
                 json_integer_value(days) < 1 || json_integer_value(days) > 365))
        return bl_json_doc_bad(c, path,
                               "expected a number of days 1..365, with share sales_before");
    if (days)
        b->sales_days = (int)json_integer_value(days);
    json_t *cap = json_object_get(o, "cap");
    snprintf(path, sizeof(path), "%s.cap", at);
    return cap ? get_money(c, cap, path, b, &b->cap) : BL_OK;
}

static int get_benefit(struct bl_json_doc *c, json_t *o, size_t k, struct bl_program *p)
{
    char at[32], path[64];
    snprintf(at, sizeof(at), "benefits[%zu]", k);
    if (!json_is_object(o))
        return bl_json_doc_bad(c, at,
                               "expected {\"kind\": ..., \"amount\": ..., \"currency\": ...}");
    TRY(bl_json_doc_unknown(c, o, ben_keys, at));
    struct bl_pg_benefit *b = &p->benefits[p->nbenefits];
    memset(b, 0, sizeof(*b));
    snprintf(path, sizeof(path), "%s.kind", at);
    TRY(get_kind(c, json_object_get(o, "kind"), path, b));
    snprintf(path, sizeof(path), "%s.currency", at);
    TRY(get_currency(c, json_object_get(o, "currency"), path, b));
    snprintf(path, sizeof(path), "%s.amount", at);
    TRY(get_money(c, json_object_get(o, "amount"), path, b, &b->amount));
    if (b->kind == BL_PG_SUBSIDY)
        TRY(get_rule(c, o, at, b));
    else if (json_object_get(o, "share") || json_object_get(o, "cap") ||
             json_object_get(o, "sales_days"))
        return bl_json_doc_bad(
            c, at,
            "a deposit_waiver is an amount per member: share, cap and sales_days "
            "belong to a traffic_subsidy");
    if (b->kind == BL_PG_SUBSIDY && b->rule == BL_PG_BY_SALES && !p->coverage)
        return bl_json_doc_bad(c, at,
                               "share sales_before counts sales before the disruption: the "
                               "programme needs a coverage");
    p->nbenefits++;
    return BL_OK;
}

static int get_benefits(struct bl_json_doc *c, json_t *root, struct bl_program *p)
{
    json_t *v = json_object_get(root, "benefits");
    if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > BL_PG_BENEFITS_MAX)
        return bl_json_doc_bad(c, "benefits", "%s: expected a list of 1 to %d benefits",
                               v ? "wrong" : "missing", BL_PG_BENEFITS_MAX);
    for (size_t k = 0; k < json_array_size(v); k++)
        TRY(get_benefit(c, json_array_get(v, k), k, p));
    return BL_OK;
}

static const char *const top_keys[] = {"id",         "name",     "description", "source",
                                       "conditions", "coverage", "benefits",    NULL};

static int parse_root(struct bl_json_doc *c, json_t *root, struct bl_program *p)
{
    if (!json_is_object(root))
        return bl_json_doc_bad(c, "", "expected a JSON object: {\"id\": ..., \"name\": ..., ...}");
    TRY(bl_json_doc_unknown(c, root, top_keys, ""));
    TRY(get_id(c, root, p));
    TRY(get_names(c, root, p));
    TRY(get_conds(c, root, p));
    TRY(get_coverage(c, root, p));
    TRY(get_benefits(c, root, p));
    if (!p->nconds && !p->coverage)
        return bl_json_doc_bad(c, "conditions",
                               "a programme needs a condition or a coverage: without one "
                               "every merchant would qualify");
    return BL_OK;
}

int bl_program_parse(const char *text, size_t len, const char *file, struct bl_program *out,
                     struct bl_diag *d)
{
    struct bl_json_doc c = {file ? file : "programme", "docs/formats.md, \"Support programmes\"",
                            d};
    memset(out, 0, sizeof(*out));
    json_t *root = bl_json_doc_load(&c, text, len, MAX_PROGRAM_BYTES);
    if (!root)
        return d->code;
    int rc = parse_root(&c, root, out);
    json_decref(root);
    if (rc)
        memset(out, 0, sizeof(*out));
    return rc;
}
