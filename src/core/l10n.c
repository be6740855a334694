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

/* A "MMMMd" formatter for locale and zone: the best pattern ICU knows for the locale. */
static UDateFormat *date_format(const char *locale, const char *tz, struct bl_diag *d)
{
    char loc[64];
    icu_locale(locale, loc);
    UErrorCode st = U_ZERO_ERROR;
    UChar skel[8], pat[64], utz[64];
    u_uastrcpy(skel, "MMMMd");
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

#define SLOTS 16

struct bl_l10n {
    struct {
        char locale[64], tz[64];
        UDateFormat *f;
    } slot[SLOTS];
    size_t n;
};

struct bl_l10n *bl_l10n_open(void)
{
    return bl_calloc(1, sizeof(struct bl_l10n));
}

void bl_l10n_close(struct bl_l10n *c)
{
    for (size_t i = 0; c && i < c->n; i++)
        udat_close(c->slot[i].f);
    bl_free(c);
}

/* The cached formatter of (locale, tz), made on first use; NULL when the cache is full
 * (the caller then makes one for the call). */
static UDateFormat *cached(struct bl_l10n *c, const char *locale, const char *tz,
                           struct bl_diag *d, int *rc)
{
    const char *l = locale ? locale : "", *z = tz ? tz : "";
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->slot[i].locale, l) == 0 && strcmp(c->slot[i].tz, z) == 0)
            return c->slot[i].f;
    if (c->n == SLOTS || strlen(l) >= 64 || strlen(z) >= 64)
        return NULL;
    UDateFormat *f = date_format(locale, tz, d);
    if (!f) {
        *rc = d->code ? d->code : BL_EINVAL;
        return NULL;
    }
    bl_str_copy(c->slot[c->n].locale, 64, bl_str_c(l));
    bl_str_copy(c->slot[c->n].tz, 64, bl_str_c(z));
    c->slot[c->n].f = f;
    return c->slot[c->n++].f;
}

int bl_l10n_date_in(struct bl_l10n *c, const char *locale, const char *tz, int64_t t, char *out,
                    size_t cap, struct bl_diag *d)
{
    int rc = BL_OK;
    UDateFormat *f = c ? cached(c, locale, tz, d, &rc) : NULL;
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

int bl_l10n_window_in(struct bl_l10n *c, const char *locale, const char *tz, int64_t from,
                      int64_t to, char *out, size_t cap, struct bl_diag *d)
{
    char a[96], b[96];
    int rc = bl_l10n_date_in(c, locale, tz, from, a, sizeof(a), d);
    if (!rc)
        rc = bl_l10n_date_in(c, locale, tz, to, b, sizeof(b), d);
    if (rc)
        return rc;
    int w;
    if (strcmp(a, b) == 0)
        w = is_lang(locale, "zh") ? snprintf(out, cap, "%s", a)
                                  : snprintf(out, cap, "%s%s", is_lang(locale, "en") ? "on " : "", a);
    else if (is_lang(locale, "zh"))
        w = snprintf(out, cap, "%s至%s", a, b);
    else if (is_lang(locale, "en"))
        w = snprintf(out, cap, "between %s and %s", a, b);
    else
        w = snprintf(out, cap, "%s – %s", a, b);
    if (w < 0 || (size_t)w >= cap)
        return bl_diag_set(d, BL_ETOOBIG, "delivery window longer than %zu bytes", cap);
    return BL_OK;
}

int bl_l10n_window(const char *locale, const char *tz, int64_t from, int64_t to, char *out,
                   size_t cap, struct bl_diag *d)
{
    return bl_l10n_window_in(NULL, locale, tz, from, to, out, cap, d);
}

int bl_l10n_money(const char *locale, int64_t minor, const char *currency, char *out, size_t cap,
                  struct bl_diag *d)
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
    UNumberFormat *f = unum_open(UNUM_CURRENCY, NULL, 0, loc, NULL, &st);
    UChar ucur[4], res[UCAP];
    u_uastrcpy(ucur, c.code);
    if (U_SUCCESS(st))
        unum_setTextAttribute(f, UNUM_CURRENCY_CODE, ucur, 3, &st);
    if (U_SUCCESS(st)) {
        unum_setAttribute(f, UNUM_MIN_FRACTION_DIGITS, c.exponent);
        unum_setAttribute(f, UNUM_MAX_FRACTION_DIGITS, c.exponent);
    }
    int32_t n = U_SUCCESS(st) ? unum_formatDecimal(f, dec, -1, res, UCAP, NULL, &st) : 0;
    unum_close(f);
    if (U_FAILURE(st))
        return icu_fail(d, st, "money format");
    return to_utf8(res, n, out, cap, d);
}

int bl_l10n_region(const char *locale, const char *code, char *out, size_t cap,
                   struct bl_diag *d)
{
    char loc[64], cc[3] = {0}, probe[16];
    icu_locale(locale, loc);
    size_t len = strlen(code);
    if (len >= 2) {
        cc[0] = code[0];
        cc[1] = code[1];
    }
    snprintf(probe, sizeof(probe), "und_%s", cc);
    UErrorCode st = U_ZERO_ERROR;
    UChar res[UCAP];
    int32_t n = uloc_getDisplayCountry(probe, loc, res, UCAP, &st);
    char name[128];
    if (U_FAILURE(st) || n == 0 || to_utf8(res, n, name, sizeof(name), d))
        bl_str_copy(name, sizeof(name), bl_str_c(code)); /* unknown: the code itself */
    int w = len > 2 && strcmp(name, code) != 0 ? snprintf(out, cap, "%s (%s)", name, code)
                                                : snprintf(out, cap, "%s", name);
    if (w < 0 || (size_t)w >= cap)
        return bl_diag_set(d, BL_ETOOBIG, "region name longer than %zu bytes", cap);
    return BL_OK;
}

int bl_l10n_business_days(const char *locale, int64_t min, int64_t max, char *out, size_t cap,
                          struct bl_diag *d)
{
    int w;
    bool zh = is_lang(locale, "zh");
    if (min == max)
        w = zh ? snprintf(out, cap, "%lld个工作日", (long long)min)
               : snprintf(out, cap, "%lld business day%s", (long long)min, min == 1 ? "" : "s");
    else
        w = zh ? snprintf(out, cap, "%lld-%lld个工作日", (long long)min, (long long)max)
               : snprintf(out, cap, "%lld-%lld business days", (long long)min, (long long)max);
    if (w < 0 || (size_t)w >= cap)
        return bl_diag_set(d, BL_ETOOBIG, "text longer than %zu bytes", cap);
    return BL_OK;
}
