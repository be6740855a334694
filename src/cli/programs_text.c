/* programs_text.c - the words of support programmes for a person (programs_text.h). */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "ballast/assess.h" /* BL_NO_TIME */
#include "ballast/l10n.h"
#include "ballast/money.h"
#include "ballast/time.h"
#include "cli/programs_text.h"

int bl__pgw_open(struct bl_cli *cli, struct bl__pgw *w)
{
    w->locale = cli->locale && strcmp(cli->locale, "zh-CN") == 0 ? "zh-CN" : "en";
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_app_words_open(NULL, w->locale, &w->w, &d))
        return bl_cli_fail(cli, &d);
    return 0;
}

void bl__pgw_close(struct bl__pgw *w)
{
    bl_app_words_free(w->w);
    w->w = NULL;
}

const char *bl__pgw_name(const struct bl__pgw *w, const struct bl_program *p)
{
    return strcmp(w->locale, "zh-CN") == 0 ? p->name_zh : p->name_en;
}

void bl__pgw_code(const struct bl__pgw *w, const char *group, const char *code, char *out,
                  size_t cap)
{
    bl_app_words_code(w->w, group, code, out, cap);
}

void bl__pgw_money(const struct bl__pgw *w, int64_t minor, const char *currency, int exponent,
                   char *out, size_t cap)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_l10n_money(w->locale, minor, currency, out, cap, &d) == BL_OK)
        return;
    char num[40];
    if (bl_money_format(minor, exponent, num, sizeof(num)) < 0)
        snprintf(num, sizeof(num), "%lld", (long long)minor);
    snprintf(out, cap, "%s %s", num, currency);
}

static void add(char *out, size_t cap, const char *sep, const char *s)
{
    size_t len = strlen(out);
    snprintf(out + len, cap - len, "%s%s", len ? sep : "", s);
}

void bl__pgw_conditions(const struct bl__pgw *w, const struct bl_program *p, char *out, size_t cap)
{
    bool zh = strcmp(w->locale, "zh-CN") == 0;
    out[0] = '\0';
    char s[200];
    for (size_t k = 0; k < p->nconds; k++) {
        bl__pgw_code(w, "program_conditions", bl_pg_cond_name(p->conds[k]), s, sizeof(s));
        add(out, cap, zh ? "；" : "; ", s);
        if (p->conds[k] == BL_PG_NO_VIOLATION && p->linked)
            add(out, cap, "", zh ? "（含关联账号）" : " (linked accounts too)");
    }
    if (!p->coverage)
        return;
    bl__pgw_code(w, "program_conditions", "coverage", s, sizeof(s));
    add(out, cap, zh ? "；" : "; ", s);
    for (size_t k = 0; k < p->nkinds; k++) {
        bl__pgw_code(w, "disruption_kinds", p->kinds[k], s, sizeof(s));
        add(out, cap, k ? (zh ? "、" : ", ") : zh ? "（" : " (", s);
    }
    if (p->nkinds)
        add(out, cap, "", zh ? "）" : ")");
}

void bl__pgw_benefits(const struct bl__pgw *w, const struct bl_program *p, char *out, size_t cap)
{
    bool zh = strcmp(w->locale, "zh-CN") == 0;
    out[0] = '\0';
    for (size_t k = 0; k < p->nbenefits; k++) {
        const struct bl_pg_benefit *b = &p->benefits[k];
        char what[120], amount[64], capw[64], s[400];
        bl__pgw_code(w, "program_benefits", b->what, what, sizeof(what));
        bl__pgw_money(w, b->amount, b->currency, b->exponent, amount, sizeof(amount));
        bl__pgw_money(w, b->cap, b->currency, b->exponent, capw, sizeof(capw));
        if (b->kind == BL_PG_WAIVER)
            snprintf(s, sizeof(s), zh ? "%s 每个成员 %s" : "%s %s per member", what, amount);
        else if (b->rule == BL_PG_EQUAL)
            snprintf(s, sizeof(s), zh ? "%s %s，成员平分" : "%s %s in equal parts", what, amount);
        else
            snprintf(s, sizeof(s),
                     zh ? "%s %s，按受影响前 %d 天销售额比例分配"
                        : "%s %s by sales in the %d days "
                          "before the disruption",
                     what, amount, b->sales_days);
        if (b->kind == BL_PG_SUBSIDY && b->cap) {
            char c[120];
            snprintf(c, sizeof(c), zh ? "每个成员最多 %s" : "at most %s each", capw);
            add(s, sizeof(s), zh ? "，" : ", ", c);
        }
        add(out, cap, zh ? "；" : "; ", s);
    }
}

void bl__pgw_shares(const struct bl__pgw *w, const struct bl_program *p, const int64_t *share,
                    char *out, size_t cap)
{
    out[0] = '\0';
    for (size_t k = 0; k < p->nbenefits; k++) {
        char what[120], amount[64], s[200];
        bl__pgw_code(w, "program_benefits", p->benefits[k].what, what, sizeof(what));
        bl__pgw_money(w, share[k], p->benefits[k].currency, p->benefits[k].exponent, amount,
                      sizeof(amount));
        snprintf(s, sizeof(s), "%s %s", what, amount);
        add(out, cap, "; ", s);
    }
}

void bl__pgw_stored_shares(const struct bl__pgw *w, const char *text, char *out, size_t cap)
{
    out[0] = '\0';
    json_t *a = text ? json_loads(text, 0, NULL) : NULL;
    size_t i;
    json_t *b;
    json_array_foreach(a, i, b)
    {
        const char *what = json_string_value(json_object_get(b, "what"));
        const char *cur = json_string_value(json_object_get(b, "currency"));
        char ww[120], amount[64], s[200];
        struct bl_currency c = {"", 2};
        struct bl_diag d;
        bl_diag_clear(&d);
        if (!what || !cur || bl_currency_lookup(bl_str_c(cur), &c, &d))
            continue;
        bl__pgw_code(w, "program_benefits", what, ww, sizeof(ww));
        bl__pgw_money(w, json_integer_value(json_object_get(b, "amount")), c.code, c.exponent,
                      amount, sizeof(amount));
        snprintf(s, sizeof(s), "%s %s", ww, amount);
        add(out, cap, "; ", s);
    }
    json_decref(a);
}

void bl__pgw_day(int64_t t, char *out, size_t cap)
{
    char iso[BL_ISO_MAX];
    if (t == BL_NO_TIME)
        out[0] = '\0';
    else
        snprintf(out, cap, "%.10s", bl_time_format(t, iso));
}

void bl__pgw_when(const struct bl__pgw *w, int64_t t, const char *tz, char *out, size_t cap)
{
    char en[120];
    bl_cli_when(t, tz, en, sizeof(en));
    const char *end = "the end of ";
    size_t n = strlen(end);
    if (strcmp(w->locale, "zh-CN") != 0 || strncmp(en, end, n) != 0) {
        snprintf(out, cap, "%s", en);
        return;
    }
    /* "the end of 2024-03-12 (UTC)" -> "2024-03-12 日终（UTC）" */
    const char *zone = strchr(en + n, '(');
    size_t zl = zone ? strcspn(zone + 1, ")") : 0;
    snprintf(out, cap, "%.10s 日终（%.*s）", en + n, (int)zl, zone ? zone + 1 : "");
}

void bl__pgw_fact_time(int64_t t, char *out, size_t cap)
{
    char iso[BL_ISO_MAX];
    bl_time_format(t, iso);
    if (t % BL_DAY_SECS == 0) /* a date as given: the day, not the end of the one before */
        snprintf(out, cap, "%.10s", iso);
    else
        snprintf(out, cap, "%s", iso);
}

void bl__pgw_date(int64_t day, char *out, size_t cap)
{
    char d[BL_ISO_MAX];
    snprintf(out, cap, "%s", day == BL_NO_TIME ? "" : bl_date_format(day, d));
}

void bl__pgw_local(int64_t t, const struct bl_tz *tz, char *out, size_t cap)
{
    if (!tz || t == BL_NO_TIME)
        bl__pgw_day(t, out, cap);
    else
        bl__pgw_date(bl_tz_local_day(tz, t), out, cap);
}
