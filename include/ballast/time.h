/* time.h - UTC instants, civil dates, ISO 8601 text and IANA time zones.
 *
 * An instant is int64_t seconds since 1970-01-01T00:00:00Z (UTC epoch seconds).
 * A day number is int64_t days since 1970-01-01 (proleptic Gregorian).
 * Years 0001..9999 are accepted in text; arithmetic is exact for that range.
 *
 * Time zones: bl_tz_load() asks ICU once for the zone's offset transitions
 * (1900..2200) and keeps them in a plain table, so every later conversion is pure
 * arithmetic (binary search), cheap enough for millions of rows, and usable by the
 * pure engine. A struct bl_tz is immutable after loading and may be shared.
 */
#ifndef BALLAST_TIME_H
#define BALLAST_TIME_H

#include <stdbool.h>
#include <stdint.h>

#include "ballast/err.h"
#include "ballast/str.h"

#define BL_DAY_SECS INT64_C(86400)
#define BL_ISO_MAX 32 /* "YYYY-MM-DDTHH:MM:SS+HH:MM" plus NUL fits */

/* Day number of a civil date; the date must be valid (see bl_date_valid). */
int64_t bl_days_from_civil(int y, int m, int d);
void bl_civil_from_days(int64_t days, int *y, int *m, int *d);
bool bl_date_valid(int y, int m, int d); /* 1..9999, month 1..12, day in month */
int bl_weekday(int64_t days);            /* 0 = Monday .. 6 = Sunday */

struct bl_tz;

/* Loads an IANA zone ("America/Sao_Paulo", "UTC", "Asia/Shanghai") through ICU.
 * Unknown names fail with BL_ENOTFOUND. Caller owns *out; free with bl_tz_free(). */
int bl_tz_load(struct bl_tz **out, const char *name, struct bl_diag *d) BL_MUST_CHECK;
void bl_tz_free(struct bl_tz *tz);
const char *bl_tz_name(const struct bl_tz *tz);

/* Offset east of UTC, in seconds, in force at instant t. */
int32_t bl_tz_offset(const struct bl_tz *tz, int64_t t);

/* Local wall-clock seconds (days*86400 + seconds of day) to an instant.
 * An ambiguous local time (clocks turned back) gives the earlier instant; a local
 * time inside a gap (clocks turned forward) is read with the offset in force just
 * before the gap. Never fails. */
int64_t bl_tz_local_to_utc(const struct bl_tz *tz, int64_t local);

/* The local calendar day (day number) that instant t falls on. */
int64_t bl_tz_local_day(const struct bl_tz *tz, int64_t t);

/* Parses ISO 8601 / RFC 3339 text into an instant:
 *   YYYY-MM-DD                          (start of that day)
 *   YYYY-MM-DD[T| ]HH:MM[:SS[.fraction]]
 * each optionally followed by Z, +HH, +HHMM or +HH:MM (or -). Fractions are
 * truncated to whole seconds; T and Z may be lower case (RFC 3339). +HH:MM:SS
 * is also read, so that what bl_time_format_local writes for historical offsets
 * with seconds reads back.
 * Text without an offset is local time in tz; if tz is NULL it is an error
 * ("needs a UTC offset or a time zone"). The instant must lie in
 * 0001-01-01T00:00:00Z..9999-12-31T23:59:59Z, so it always formats and reads back.
 * Errors are BL_EPARSE (shape) or BL_ERANGE (impossible date/time, e.g. 2021-02-29
 * or 24:01), with a message in d saying what was expected. */
int bl_time_parse(struct bl_str s, const struct bl_tz *tz, int64_t *out,
                  struct bl_diag *d) BL_MUST_CHECK;

/* Parses a calendar date YYYY-MM-DD into a day number. */
int bl_date_parse(struct bl_str s, int64_t *day, struct bl_diag *d) BL_MUST_CHECK;

/* "2018-05-21T15:04:05Z"; out must hold BL_ISO_MAX bytes. Returns out. */
char *bl_time_format(int64_t t, char *out);
/* Local time in tz with its offset: "2018-05-21T12:04:05-03:00" (offsets with
 * seconds, such as local mean time before 1914, print as -03:06:28). out must hold
 * BL_ISO_MAX bytes. Returns out. */
char *bl_time_format_local(int64_t t, const struct bl_tz *tz, char *out);
/* "2018-05-21"; out must hold BL_ISO_MAX bytes (11 suffice for years 1..9999).
 * Returns out. */
char *bl_date_format(int64_t day, char *out);

#endif
