/* l10n.h - dates, money and regions formatted for a reader's locale, with ICU.
 *
 * Messages carry pre-formatted strings (docs/internals/mustache.md): "March 3" or
 * "3月3日", "US$5.00" or "$5.00", "China" or "中国". Locales are BCP 47 ("zh-CN")
 * or POSIX ("zh_CN"); time zones IANA names. Every function writes a NUL-terminated
 * UTF-8 string of at most cap bytes and returns BL_OK, or BL_EINVAL / BL_ETOOBIG
 * with d set (ICU's error name in the message).
 */
#ifndef BALLAST_L10N_H
#define BALLAST_L10N_H

#include <stddef.h>
#include <stdint.h>

#include "ballast/err.h"

/* A day and month ("March 3", "3月3日") of instant t in zone tz. */
int bl_l10n_date(const char *locale, const char *tz, int64_t t, char *out, size_t cap,
                 struct bl_diag *d) BL_MUST_CHECK;

/* A delivery window of two instants: the phrase that completes "should arrive ___"
 * in English ("between March 18 and March 25"), "预计___送达" in Chinese
 * ("3月18日至3月25日"), "deve chegar ___" in Portuguese ("entre 18 de março e 25 de
 * março"), "debería llegar ___" in Spanish ("entre el 18 de marzo y el 25 de marzo"),
 * "A – B" elsewhere. */
int bl_l10n_window(const char *locale, const char *tz, int64_t from, int64_t to, char *out,
                   size_t cap, struct bl_diag *d) BL_MUST_CHECK;

/* A cache of ICU date formatters, one per (locale, zone) pair in use (up to 16), for a
 * caller that formats many dates: making a formatter (ICU's pattern generator) costs
 * about a millisecond, formatting with one a few microseconds. Caller owns it: close with
 * bl_l10n_close. NULL when memory runs out (the _in functions then work uncached). */
struct bl_l10n;
struct bl_l10n *bl_l10n_open(void);
void bl_l10n_close(struct bl_l10n *c);
/* bl_l10n_date and bl_l10n_window with the cache c (NULL: none). */
int bl_l10n_date_in(struct bl_l10n *c, const char *locale, const char *tz, int64_t t, char *out,
                    size_t cap, struct bl_diag *d) BL_MUST_CHECK;
int bl_l10n_window_in(struct bl_l10n *c, const char *locale, const char *tz, int64_t from,
                      int64_t to, char *out, size_t cap, struct bl_diag *d) BL_MUST_CHECK;
/* A calendar day (days since 1970-01-01) with its year, as the dashboard writes one
 * (Intl's year, short month and day): "Dec 4, 2024", "2024年12月4日"; with the cache c
 * (NULL: none). d may be NULL. */
int bl_l10n_day_in(struct bl_l10n *c, const char *locale, int64_t day, char *out, size_t cap,
                   struct bl_diag *d) BL_MUST_CHECK;

/* An amount of minor units of an ISO 4217 currency, exactly (no floating point). */
int bl_l10n_money(const char *locale, int64_t minor, const char *currency, char *out,
                  size_t cap, struct bl_diag *d) BL_MUST_CHECK;
/* The same with the cache c (NULL: none): a formatter per locale and currency is kept
 * (opening one costs about 200,000 instructions, formatting with it about 35,000). */
int bl_l10n_money_in(struct bl_l10n *c, const char *locale, int64_t minor, const char *currency,
                     char *out, size_t cap, struct bl_diag *d) BL_MUST_CHECK;

/* A count as the locale writes one, its digits grouped: 32951 -> "32,951" (en, zh-CN),
 * "32.951" (pt-BR, es), "32 951" (fr: a narrow no-break space). */
int bl_l10n_count(const char *locale, int64_t n, char *out, size_t cap,
                  struct bl_diag *d) BL_MUST_CHECK;

/* A region's country in the reader's language, from ICU: "CN-SH" -> "China" / "中国" /
 * "China" (pt) / "China" (es). Never a code: BL_ENOTFOUND when ICU has no name for the
 * country. (A subdivision or an area by name: src/app/words.h, with places.h.) */
int bl_l10n_region(const char *locale, const char *code, char *out, size_t cap,
                   struct bl_diag *d) BL_MUST_CHECK;

/* "7-10 business days" / "7-10个工作日" / "7 a 10 dias úteis" / "7 a 10 días hábiles"
 * (English words for other languages). */
int bl_l10n_business_days(const char *locale, int64_t min, int64_t max, char *out, size_t cap,
                          struct bl_diag *d) BL_MUST_CHECK;

/* A language tag in the reader's words, from ICU: "pt-BR" -> "Portuguese (Brazil)" /
 * "葡萄牙语（巴西）". BL_ENOTFOUND for an empty tag. */
int bl_l10n_language_name(const char *locale, const char *tag, char *out, size_t cap,
                          struct bl_diag *d) BL_MUST_CHECK;

/* The main language of a country as a BCP 47 tag, from ICU's likely subtags of
 * "und-CC" ("BR" -> "pt-BR", "MX" -> "es-MX", "CN" -> "zh-CN", "US" -> "en-US"). code is
 * a region code ("BR", "BR-SP", "BR-SP:013"): its first two letters are the country.
 * BL_ENOTFOUND when ICU knows no language for it. */
int bl_l10n_country_language(const char *code, char *out, size_t cap,
                             struct bl_diag *d) BL_MUST_CHECK;

#endif
