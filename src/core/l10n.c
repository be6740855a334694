/* l10n.c - locale-aware dates, money and region names through ICU (l10n.h). */
#include <stdio.h>
#include <string.h>

#include <unicode/udat.h>
#include <unicode/udatpg.h>
#include <unicode/uloc.h>
#include <unicode/unum.h>
#include <unicode/ustring.h>

#include "ballast/alloc.h"
#include "ballast/l10n.h"
#include "ballast/money.h"
#include "ballast/str.h"

#define UCAP 256

/* ICU spells locales with '_'; BCP 47 tags come with '-'. */
static void icu_locale(const char *locale, char out[64])
{
    bl_str_copy(out, 64, bl_str_c(locale && locale[0] ? locale : "en"));
    for (char *p = out; *p; p++)
        if (*p == '-')
            *p = '_';
}

static bool is_lang(const char *locale, const char *lang)
{
    size_t n = strlen(lang);
    return locale && strncmp(locale, lang, n) == 0 &&
           (locale[n] == '\0' || locale[n] == '-' || locale[n] == '_');
}

static bool is_alpha2(const char *s)
{
    for (int i = 0; i < 2; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z')))
            return false;
    return s[2] == '\0' || s[2] == '-' || s[2] == ':';
}

static char upper(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static int icu_fail(struct bl_diag *d, UErrorCode st, const char *what)
{
    return bl_diag_set(d, BL_EINVAL, "%s: ICU error %s", what, u_errorName(st));
}

static int to_utf8(const UChar *u, int32_t n, char *out, size_t cap, struct bl_diag *d)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t len = 0;
    u_strToUTF8(out, (int32_t)(cap > 0 ? cap - 1 : 0), &len, u, n, &st);
    if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING || (size_t)len >= cap) {
        if (cap)
            out[0] = '\0';
        return bl_diag_set(d, BL_ETOOBIG, "localized text longer than %zu bytes", cap);
    }
    out[len] = '\0';
    return BL_OK;
}

/* A formatter of skeleton skel ("MMMMd") for locale and zone: the best pattern ICU knows
 * for the locale. */
static UDateFormat *skel_format(const char *locale, const char *tz, const char *skel_text,
                                struct bl_diag *d)
{
    char loc[64];
    icu_locale(locale, loc);
    UErrorCode st = U_ZERO_ERROR;
    UChar skel[8], pat[64], utz[64];
    u_uastrcpy(skel, skel_text);
    UDateTimePatternGenerator *g = udatpg_open(loc, &st);
    int32_t plen = U_SUCCESS(st) ? udatpg_getBestPattern(g, skel, -1, pat, 64, &st) : 0;
    udatpg_close(g);
    if (U_FAILURE(st)) {
        icu_fail(d, st, "date pattern");
        return NULL;
    }
    char tzn[64];
    bl_str_copy(tzn, sizeof(tzn), bl_str_c(tz && tz[0] ? tz : "UTC"));
    u_uastrcpy(utz, tzn);
    UDateFormat *f = udat_open(UDAT_PATTERN, UDAT_PATTERN, loc, utz, -1, pat, plen, &st);
    if (U_FAILURE(st)) {
        udat_close(f);
        icu_fail(d, st, "date format");
        return NULL;
    }
    return f;
}

static const char SKEL_DATE[] = "MMMMd", SKEL_DAY[] = "yMMMd";

static UDateFormat *date_format(const char *locale, const char *tz, struct bl_diag *d)
{
    return skel_format(locale, tz, SKEL_DATE, d);
}

#define SLOTS 16

struct bl_l10n {
    struct {
        char locale[64], tz[64];
        const char *skel; /* "MMMMd" (bl_l10n_date_in) or "yMMMd" (bl_l10n_day_in) */
        UDateFormat *f;
    } slot[SLOTS];
    size_t n;
    struct {
        char locale[64], cur[4];
        UNumberFormat *f;
    } money[SLOTS]; /* bl_l10n_money_in: a formatter per locale and currency */
    size_t nmoney;
};

struct bl_l10n *bl_l10n_open(void)
{
    return bl_calloc(1, sizeof(struct bl_l10n));
}

void bl_l10n_close(struct bl_l10n *c)
{
    for (size_t i = 0; c && i < c->n; i++)
        udat_close(c->slot[i].f);
    for (size_t i = 0; c && i < c->nmoney; i++)
        unum_close(c->money[i].f);
    bl_free(c);
}

/* The cached formatter of (locale, tz, skeleton skel: a literal), made on first use; NULL
 * when the cache is full (the caller then makes one for the call). */
static UDateFormat *cached(struct bl_l10n *c, const char *locale, const char *tz, const char *skel,
                           struct bl_diag *d, int *rc)
{
    const char *l = locale ? locale : "", *z = tz ? tz : "";
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->slot[i].locale, l) == 0 && strcmp(c->slot[i].tz, z) == 0 &&
            c->slot[i].skel == skel)
            return c->slot[i].f;
    if (c->n == SLOTS || strlen(l) >= 64 || strlen(z) >= 64)
        return NULL;
    UDateFormat *f = skel_format(locale, tz, skel, d);
    if (!f) {
        *rc = d->code ? d->code : BL_EINVAL;
        return NULL;
    }
    bl_str_copy(c->slot[c->n].locale, 64, bl_str_c(l));
    bl_str_copy(c->slot[c->n].tz, 64, bl_str_c(z));
    c->slot[c->n].skel = skel;
    c->slot[c->n].f = f;
    return c->slot[c->n++].f;
}

int bl_l10n_date_in(struct bl_l10n *c, const char *locale, const char *tz, int64_t t, char *out,
                    size_t cap, struct bl_diag *d)
{
    int rc = BL_OK;
    UDateFormat *f = c ? cached(c, locale, tz, SKEL_DATE, d, &rc) : NULL;
    if (rc)
        return rc;
    bool own = !f;
    if (own && !(f = date_format(locale, tz, d)))
        return d->code ? d->code : BL_EINVAL;
    UErrorCode st = U_ZERO_ERROR;
    UChar res[UCAP];
    int32_t n = udat_format(f, (UDate)t * 1000.0, res, UCAP, NULL, &st);
    if (own)
        udat_close(f);
    if (U_FAILURE(st))
        return icu_fail(d, st, "date format");
    return to_utf8(res, n, out, cap, d);
}

int bl_l10n_date(const char *locale, const char *tz, int64_t t, char *out, size_t cap,
                 struct bl_diag *d)
{
    return bl_l10n_date_in(NULL, locale, tz, t, out, cap, d);
}

int bl_l10n_day_in(struct bl_l10n *c, const char *locale, int64_t day, char *out, size_t cap,
                   struct bl_diag *d)
{
    struct bl_diag mine;
    if (!d)
        bl_diag_clear(&mine), d = &mine;
    int rc = BL_OK;
    UDateFormat *f = c ? cached(c, locale, "UTC", SKEL_DAY, d, &rc) : NULL;
    if (rc)
        return rc;
    bool own = !f;
    if (own && !(f = skel_format(locale, "UTC", SKEL_DAY, d)))
        return d->code ? d->code : BL_EINVAL;
    UErrorCode st = U_ZERO_ERROR;
    UChar res[UCAP];
    int32_t n = udat_format(f, ((UDate)day * 86400.0 + 43200.0) * 1000.0, res, UCAP, NULL, &st);
    if (own)
        udat_close(f);
    if (U_FAILURE(st))
        return icu_fail(d, st, "date format");
    return to_utf8(res, n, out, cap, d);
}

int bl_l10n_window_in(struct bl_l10n *c, const char *locale, const char *tz, int64_t from,
                      int64_t to, char *out, size_t cap, struct bl_diag *d)
{
    char a[96], b[96];
    int rc = bl_l10n_date_in(c, locale, tz, from, a, sizeof(a), d);
    if (!rc)
        rc = bl_l10n_date_in(c, locale, tz, to, b, sizeof(b), d);
    if (rc)
        return rc;
    bool one = strcmp(a, b) == 0;
    int w;
    if (is_lang(locale, "zh"))
        w = one ? snprintf(out, cap, "%s", a) : snprintf(out, cap, "%s至%s", a, b);
    else if (is_lang(locale, "en"))
        w = one ? snprintf(out, cap, "on %s", a) : snprintf(out, cap, "between %s and %s", a, b);
    else if (is_lang(locale, "pt"))
        w = one ? snprintf(out, cap, "em %s", a) : snprintf(out, cap, "entre %s e %s", a, b);
    else if (is_lang(locale, "es"))
        w = one ? snprintf(out, cap, "el %s", a) : snprintf(out, cap, "entre el %s y el %s", a, b);
    else
        w = one ? snprintf(out, cap, "%s", a) : snprintf(out, cap, "%s – %s", a, b);
    if (w < 0 || (size_t)w >= cap)
        return bl_diag_set(d, BL_ETOOBIG, "delivery window longer than %zu bytes", cap);
    return BL_OK;
}

int bl_l10n_window(const char *locale, const char *tz, int64_t from, int64_t to, char *out,
                   size_t cap, struct bl_diag *d)
{
    return bl_l10n_window_in(NULL, locale, tz, from, to, out, cap, d);
}

/* A currency formatter of locale loc for c, its decimals the currency's. */
static UNumberFormat *money_format(const char *loc, const struct bl_currency *c, UErrorCode *st)
{
    UNumberFormat *f = unum_open(UNUM_CURRENCY, NULL, 0, loc, NULL, st);
    UChar ucur[4];
    u_uastrcpy(ucur, c->code);
    if (U_SUCCESS(*st))
        unum_setTextAttribute(f, UNUM_CURRENCY_CODE, ucur, 3, st);
    if (U_SUCCESS(*st)) {
        unum_setAttribute(f, UNUM_MIN_FRACTION_DIGITS, c->exponent);
        unum_setAttribute(f, UNUM_MAX_FRACTION_DIGITS, c->exponent);
    }
    if (U_FAILURE(*st)) {
        unum_close(f);
        return NULL;
    }
    return f;
}

/* c's formatter for loc and cur (kept in c), or NULL: open one for the call alone. */
static UNumberFormat *money_cached(struct bl_l10n *c, const char *loc, const char *cur)
{
    for (size_t i = 0; c && i < c->nmoney; i++)
        if (strcmp(c->money[i].locale, loc) == 0 && strcmp(c->money[i].cur, cur) == 0)
            return c->money[i].f;
    return NULL;
}

int bl_l10n_money_in(struct bl_l10n *cache, const char *locale, int64_t minor,
                     const char *currency, char *out, size_t cap, struct bl_diag *d)
{
    struct bl_currency c;
    int rc = bl_currency_lookup(bl_str_c(currency), &c, d);
    if (rc)
        return rc;
    char dec[40];
    if (bl_money_format(minor, c.exponent, dec, sizeof(dec)) < 0)
        return bl_diag_set(d, BL_ETOOBIG, "amount does not format");
    char loc[64];
    icu_locale(locale, loc);
    UErrorCode st = U_ZERO_ERROR;
    UNumberFormat *f = money_cached(cache, loc, c.code);
    bool own = !f;
    if (own)
        f = money_format(loc, &c, &st);
    if (own && f && cache && cache->nmoney < SLOTS && strlen(loc) < sizeof(cache->money[0].locale)) {
        snprintf(cache->money[cache->nmoney].locale, sizeof(cache->money[0].locale), "%s", loc);
        snprintf(cache->money[cache->nmoney].cur, sizeof(cache->money[0].cur), "%s", c.code);
        cache->money[cache->nmoney++].f = f;
        own = false;
    }
    UChar res[UCAP];
    int32_t n = f ? unum_formatDecimal(f, dec, -1, res, UCAP, NULL, &st) : 0;
    if (own)
        unum_close(f);
    if (U_FAILURE(st))
        return icu_fail(d, st, "money format");
    return to_utf8(res, n, out, cap, d);
}

int bl_l10n_money(const char *locale, int64_t minor, const char *currency, char *out, size_t cap,
                  struct bl_diag *d)
{
    return bl_l10n_money_in(NULL, locale, minor, currency, out, cap, d);
}

int bl_l10n_count(const char *locale, int64_t n, char *out, size_t cap, struct bl_diag *d)
{
    char loc[64];
    icu_locale(locale, loc);
    UErrorCode st = U_ZERO_ERROR;
    UNumberFormat *f = unum_open(UNUM_DECIMAL, NULL, 0, loc, NULL, &st);
    UChar res[UCAP];
    int32_t len = U_SUCCESS(st) ? unum_formatInt64(f, n, res, UCAP, NULL, &st) : 0;
    unum_close(f);
    if (U_FAILURE(st))
        return icu_fail(d, st, "count format");
    return to_utf8(res, len, out, cap, d);
}

int bl_l10n_region(const char *locale, const char *code, char *out, size_t cap, struct bl_diag *d)
{
    char loc[64], probe[16];
    icu_locale(locale, loc);
    if (!code || strlen(code) < 2 || !is_alpha2(code))
        return bl_diag_set(d, BL_ENOTFOUND, "no country in '%s'", code ? code : "");
    snprintf(probe, sizeof(probe), "und_%c%c", upper(code[0]), upper(code[1]));
    UErrorCode st = U_ZERO_ERROR;
    UChar res[UCAP];
    int32_t n = uloc_getDisplayCountry(probe, loc, res, UCAP, &st);
    /* ICU gives the code back for a country it lacks */
    if (U_FAILURE(st) || n == 0 ||
        (n == 2 && res[0] == (UChar)probe[4] && res[1] == (UChar)probe[5]))
        return bl_diag_set(d, BL_ENOTFOUND, "no name for country %s", probe + 4);
    return to_utf8(res, n, out, cap, d);
}

int bl_l10n_language_name(const char *locale, const char *tag, char *out, size_t cap,
                          struct bl_diag *d)
{
    char loc[64], probe[64];
    icu_locale(locale, loc);
    icu_locale(tag, probe);
    UErrorCode st = U_ZERO_ERROR;
    UChar res[UCAP];
    int32_t n = uloc_getDisplayName(probe, loc, res, UCAP, &st);
    if (U_FAILURE(st) || n == 0 || !tag || !tag[0])
        return bl_diag_set(d, BL_ENOTFOUND, "no name for language '%s'", tag ? tag : "");
    return to_utf8(res, n, out, cap, d);
}

/* The words of a span of business days per language: after one day, after several,
 * between the two ends of a range. */
struct days_words {
    const char *lang, *one, *many, *to;
};

static const struct days_words days_words[] = {
    {"zh", "个工作日", "个工作日", "-"},
    {"pt", " dia útil", " dias úteis", " a "},
    {"es", " día hábil", " días hábiles", " a "},
    {"en", " business day", " business days", "-"},
};

int bl_l10n_business_days(const char *locale, int64_t min, int64_t max, char *out, size_t cap,
                          struct bl_diag *d)
{
    size_t n = sizeof(days_words) / sizeof(days_words[0]), k = 0;
    while (k + 1 < n && !is_lang(locale, days_words[k].lang))
        k++; /* English, the last, for any other language */
    const struct days_words *dw = &days_words[k];
    int w;
    if (min == max)
        w = snprintf(out, cap, "%lld%s", (long long)min, min == 1 ? dw->one : dw->many);
    else
        w = snprintf(out, cap, "%lld%s%lld%s", (long long)min, dw->to, (long long)max, dw->many);
    if (w < 0 || (size_t)w >= cap)
        return bl_diag_set(d, BL_ETOOBIG, "text longer than %zu bytes", cap);
    return BL_OK;
}

int bl_l10n_country_language(const char *country, char *out, size_t cap, struct bl_diag *d)
{
    char probe[16], full[ULOC_FULLNAME_CAPACITY], lang[ULOC_LANG_CAPACITY],
        cc[ULOC_COUNTRY_CAPACITY];
    if (!country || strlen(country) < 2 || !is_alpha2(country))
        return bl_diag_set(d, BL_ENOTFOUND, "no country in '%s'", country ? country : "");
    snprintf(probe, sizeof(probe), "und_%c%c", upper(country[0]), upper(country[1]));
    UErrorCode st = U_ZERO_ERROR;
    uloc_addLikelySubtags(probe, full, (int32_t)sizeof(full), &st);
    if (U_SUCCESS(st))
        uloc_getLanguage(full, lang, (int32_t)sizeof(lang), &st);
    if (U_SUCCESS(st))
        uloc_getCountry(full, cc, (int32_t)sizeof(cc), &st);
    if (U_FAILURE(st) || !lang[0] || strcmp(lang, "und") == 0)
        return bl_diag_set(d, BL_ENOTFOUND, "no main language known for %s", probe + 4);
    int w = cc[0] ? snprintf(out, cap, "%s-%s", lang, cc) : snprintf(out, cap, "%s", lang);
    if (w < 0 || (size_t)w >= cap)
        return bl_diag_set(d, BL_ETOOBIG, "language tag longer than %zu bytes", cap);
    return BL_OK;
}
