/* places.h - countries and subdivisions by their ISO 3166 codes: is a code real,
 * what did a person mean by one that is not, and what is its name in a reader's
 * language.
 *
 * The data is Debian's iso-codes package: ISO 3166-1 and 3166-2 as JSON
 * (/usr/share/iso-codes/json) and their translations as gettext catalogues
 * (/usr/share/locale/LL[_CC]/LC_MESSAGES/iso_3166-{1,2}.mo). Country names in a
 * language come from ICU first (CLDR's names are the ones people use, "China"
 * rather than iso-codes' "China, People's Republic of" where they differ), else
 * from the iso-codes catalogue, else English.
 *
 * A struct bl_places is read-only once opened and its locales loaded, so threads
 * may share it. Caller owns it: close with bl_places_close. Codes are canonical
 * region codes (region.h): "CN", "CN-ZJ", "BR-SP:013" (a postal suffix is ignored
 * here: only the country and subdivision parts are looked up).
 */
#ifndef BALLAST_PLACES_H
#define BALLAST_PLACES_H

#include <stdbool.h>
#include <stddef.h>

#include "ballast/err.h"

struct bl_places;

/* Opens the ISO 3166 lists in json_dir (NULL: $BALLAST_ISO_CODES, else
 * /usr/share/iso-codes/json) with catalogues under mo_root (NULL: /usr/share/locale).
 * A missing or unreadable list is BL_EIO (BL_EPARSE if malformed) with d naming the
 * file and saying which Debian package provides it. */
int bl_places_open(const char *json_dir, const char *mo_root, struct bl_places **out,
                   struct bl_diag *d) BL_MUST_CHECK;
void bl_places_close(struct bl_places *p);

/* The lists at the default places (as bl_places_open(NULL, NULL)), opened once for the
 * process and shared, read-only, by every thread and call: names in English only (no
 * locale is loaded on it). Opening them costs tens of milliseconds, which a server paid
 * on every request that checked a region (POST /api/v1/disruptions). Never closed; a
 * failure (BL_EIO, BL_EPARSE, d as bl_places_open) is not kept: the next call tries
 * again. */
int bl_places_shared(const struct bl_places **out, struct bl_diag *d) BL_MUST_CHECK;

/* The same lists, opened once for the process with the translations of
 * BL_PLACES_SHARED_LOCALES loaded (the dashboard's languages and the marketplaces'
 * usual ones): for naming places in a reader's language from any thread (GET
 * /api/v1/regions). Never closed; a failure is not kept. */
#define BL_PLACES_SHARED_LOCALES "zh-CN", "zh-TW", "pt-BR", "es", "fr", "de", "ja", "ko", "ru", "it"
int bl_places_shared_l10n(const struct bl_places **out, struct bl_diag *d) BL_MUST_CHECK;

/* The number of codes known (countries and subdivisions), and code i of them in code
 * order ("CN" before "CN-AH"); NULL past the end. */
size_t bl_places_count(const struct bl_places *p);
const char *bl_places_code_at(const struct bl_places *p, size_t i);

/* Loads the translations for a BCP 47 or POSIX locale ("pt-BR", "pt_BR", "es", "zh-CN"):
 * the catalogue for LL_CC if there is one, else LL. A locale with no catalogue is not an
 * error (names fall back to English); a malformed catalogue is BL_EPARSE. Call before
 * sharing p between threads; loading a locale twice is a no-op. */
int bl_places_load_locale(struct bl_places *p, const char *locale,
                          struct bl_diag *d) BL_MUST_CHECK;

/* Whether the country, and the subdivision if the code has one, exist in ISO 3166. */
bool bl_places_known(const struct bl_places *p, const char *code);

/* For an unknown code, the nearest known one a person may have meant ("CN-ZZ" ->
 * "CN-ZJ", "BR-SPP" -> "BR-SP", "UK" -> "GB" is not guessed: only edit distance within
 * the same country, then among countries), written to out; false when nothing is
 * near enough (distance > 1 for two-letter parts). */
bool bl_places_suggest(const struct bl_places *p, const char *code, char *out, size_t cap);

/* The name of the code's most precise known part (the subdivision if known, else the
 * country) in the locale ("BR-SP" in pt-BR -> "São Paulo", "CN" in zh-CN -> "中国",
 * "CN-ZJ" in en -> "Zhejiang"). Falls back to English when the locale has no
 * translation or was not loaded. BL_ENOTFOUND for an unknown country; BL_ETOOBIG when
 * out is too small. */
int bl_places_name(const struct bl_places *p, const char *code, const char *locale, char *out,
                   size_t cap, struct bl_diag *d) BL_MUST_CHECK;

/* The country's name alone (the first two letters of code), as bl_places_name. */
int bl_places_country_name(const struct bl_places *p, const char *code, const char *locale,
                           char *out, size_t cap, struct bl_diag *d) BL_MUST_CHECK;

/* Internal, for tests and fuzzing: adds a catalogue for the POSIX tag ("pt_BR") from the
 * bytes of a .mo file (malloc'd; p owns them from here on, also on failure). what names
 * the source in d. BL_EPARSE for anything that is not a well-formed catalogue. */
int bl__places_load_mo(struct bl_places *p, const char *tag, char *bytes, size_t n,
                       const char *what, struct bl_diag *d) BL_MUST_CHECK;

#endif
