/* time.c - civil dates, ISO 8601 text and time zones as offset tables.
 *
 * See docs/internals/time.md for the design. In short: dates are day numbers
 * computed with era arithmetic (400-year cycles of 146097 days, years starting in
 * March); a time zone is the list of its UTC offset changes, read from ICU once
 * by bl_tz_load() and searched with plain binary search afterwards.
 */
#include "ballast/time.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <unicode/ucal.h>
#include <unicode/ustring.h>
#include <unicode/utypes.h>

#include "ballast/alloc.h"

/* ---- civil dates ------------------------------------------------------------------- */

/* Days from 0000-03-01 to 1970-01-01 in the proleptic Gregorian calendar. */
#define EPOCH_SHIFT INT64_C(719468)
#define ERA_DAYS INT64_C(146097) /* days in 400 years */

/* Instants that format as years 0001..9999 in UTC. */
#define T_MIN (INT64_C(-719162) * BL_DAY_SECS)                   /* 0001-01-01T00:00:00Z */
#define T_MAX (INT64_C(2932896) * BL_DAY_SECS + BL_DAY_SECS - 1) /* 9999-12-31T23:59:59Z */

/* Day numbers beyond this are clamped before splitting into a civil date, so the
 * arithmetic below cannot overflow (the dates are meaningless there anyway). */
#define DAYS_LIMIT (INT64_C(1) << 60)

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
    int64_t r = a % b;
    if (r != 0 && ((r < 0) != (b < 0)))
        r += b;
    return r;
}

static int64_t sat_add(int64_t a, int64_t b)
{
    int64_t r;
    if (__builtin_add_overflow(a, b, &r))
        return b > 0 ? INT64_MAX : INT64_MIN;
    return r;
}

static int64_t sat_sub(int64_t a, int64_t b)
{
    int64_t r;
    if (__builtin_sub_overflow(a, b, &r))
        return b < 0 ? INT64_MAX : INT64_MIN;
    return r;
}

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
    static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && is_leap(y))
        return 29;
    return dim[m - 1];
}

static int64_t days_from_ymd(int64_t y, int64_t m, int64_t d)
{
    /* Count years from March so the leap day is the last day of the year. */
    if (m <= 2)
        y--;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;                         /* year of era, 0..399 */
    int64_t mar = m > 2 ? m - 3 : m + 9;                 /* March = 0 .. February = 11 */
    int64_t doy = (153 * mar + 2) / 5 + d - 1;           /* day of the March-based year */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; /* day of era, 0..146096 */
    return era * ERA_DAYS + doe - EPOCH_SHIFT;
}

/* Inverse of days_from_ymd for |days| <= DAYS_LIMIT. */
static void ymd_from_days(int64_t days, int64_t *y, int *m, int *d)
{
    if (days > DAYS_LIMIT)
        days = DAYS_LIMIT;
    if (days < -DAYS_LIMIT)
        days = -DAYS_LIMIT;
    int64_t z = days + EPOCH_SHIFT;
    int64_t era = floor_div(z, ERA_DAYS);
    int64_t doe = z - era * ERA_DAYS; /* 0..146096 */
    /* Years of era: remove the leap days before doe (one per 4 years, none per 100,
     * one per 400; the last day of the era is the 400-year leap day). */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / (ERA_DAYS - 1)) / 365;
    int64_t doy = doe - (yoe * 365 + yoe / 4 - yoe / 100); /* 0..365 */
    int64_t mar = (5 * doy + 2) / 153;                     /* 0..11 */
    *d = (int)(doy - (153 * mar + 2) / 5 + 1);
    *m = (int)(mar < 10 ? mar + 3 : mar - 9);
    *y = yoe + era * 400 + (*m <= 2 ? 1 : 0);
}

int64_t bl_days_from_civil(int y, int m, int d)
{
    return days_from_ymd(y, m, d);
}

void bl_civil_from_days(int64_t days, int *y, int *m, int *d)
{
    int64_t yy;
    ymd_from_days(days, &yy, m, d);
    if (yy > INT32_MAX)
        yy = INT32_MAX;
    if (yy < INT32_MIN)
        yy = INT32_MIN;
    *y = (int)yy;
}

bool bl_date_valid(int y, int m, int d)
{
    return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

int bl_weekday(int64_t days)
{
    /* 1970-01-01 was a Thursday (3). */
    return (int)floor_mod(floor_mod(days, 7) + 3, 7);
}

/* ---- time zones -------------------------------------------------------------------- */

struct transition {
    int64_t at;  /* UTC instant of the change */
    int32_t off; /* offset east of UTC in force from `at` on, seconds */
};

struct bl_tz {
    struct transition *tr; /* n changes, ascending by `at`; NULL when n == 0 */
    size_t n;
    int32_t off0;    /* offset before tr[0] (or always, when n == 0) */
    int32_t min_off; /* smallest and largest offset in the table */
    int32_t max_off;
    char name[]; /* as given to bl_tz_load */
};

#define TZ_FROM_MS (-2208988800000.0) /* 1900-01-01T00:00:00Z */
#define TZ_TO_MS (7258118400000.0)    /* 2200-01-01T00:00:00Z */
#define TZ_NAME_MAX 128
#define TZ_MAX_TRANSITIONS 100000 /* a guard; real zones have at most ~700 in range */

static int icu_err(struct bl_diag *d, UErrorCode st, const char *name, const char *what)
{
    int code = st == U_MEMORY_ALLOCATION_ERROR ? BL_ENOMEM : BL_EINVAL;
    return bl_diag_set(d, code, "loading time zone '%s': ICU %s failed: %s", name, what,
                       u_errorName(st));
}

static int32_t cal_offset_secs(UCalendar *cal, UErrorCode *st)
{
    int32_t ms = ucal_get(cal, UCAL_ZONE_OFFSET, st) + ucal_get(cal, UCAL_DST_OFFSET, st);
    return (int32_t)floor_div(ms, 1000);
}

/* Walks ICU's transitions and fills tz->tr / n / off0. */
static int read_transitions(struct bl_tz *tz, UCalendar *cal, struct bl_diag *d)
{
    UErrorCode st = U_ZERO_ERROR;
    ucal_setMillis(cal, TZ_FROM_MS, &st);
    tz->off0 = cal_offset_secs(cal, &st);
    if (U_FAILURE(st))
        return icu_err(d, st, tz->name, "offset lookup");
    tz->min_off = tz->max_off = tz->off0;

    size_t cap = 0;
    int32_t last = tz->off0;
    UDate prev = TZ_FROM_MS;
    UDate when;
    while (ucal_getTimeZoneTransitionDate(cal, UCAL_TZ_TRANSITION_NEXT, &when, &st)) {
        if (U_FAILURE(st))
            break;
        if (!(when > prev) || when >= TZ_TO_MS)
            break;
        prev = when;
        ucal_setMillis(cal, when, &st);
        int32_t off = cal_offset_secs(cal, &st);
        if (U_FAILURE(st))
            break;
        if (off == last) /* e.g. a change of name or of the standard/DST split only */
            continue;
        if (tz->n >= TZ_MAX_TRANSITIONS)
            return bl_diag_set(d, BL_ETOOBIG, "time zone '%s' has more than %d transitions",
                               tz->name, TZ_MAX_TRANSITIONS);
        void *items = tz->tr;
        int rc = bl_grow(&items, &cap, tz->n + 1, sizeof(*tz->tr));
        if (rc != BL_OK)
            return bl_diag_set(d, rc, "loading time zone '%s': out of memory", tz->name);
        tz->tr = items;
        tz->tr[tz->n].at = (int64_t)floor_div((int64_t)when, 1000);
        tz->tr[tz->n].off = off;
        tz->n++;
        last = off;
        if (off < tz->min_off)
            tz->min_off = off;
        if (off > tz->max_off)
            tz->max_off = off;
    }
    if (U_FAILURE(st))
        return icu_err(d, st, tz->name, "transition walk");
    return BL_OK;
}

int bl_tz_load(struct bl_tz **out, const char *name, struct bl_diag *d)
{
    *out = NULL;
    if (!name)
        return bl_diag_set(d, BL_EINVAL, "time zone name is NULL");

    size_t len = strlen(name);
    char shown[64];
    bl_str_show((struct bl_str){name, len}, sizeof(shown) - 4, shown);

    /* IANA names are short ASCII; anything else cannot be a zone ICU knows. */
    UChar uname[TZ_NAME_MAX];
    bool ascii = len > 0 && len < TZ_NAME_MAX;
    for (size_t i = 0; ascii && i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c <= 0x20 || c >= 0x7f)
            ascii = false;
        uname[i] = (UChar)c;
    }
    UBool system = false;
    UErrorCode st = U_ZERO_ERROR;
    if (ascii) {
        UChar canon[TZ_NAME_MAX];
        ucal_getCanonicalTimeZoneID(uname, (int32_t)len, canon, TZ_NAME_MAX, &system, &st);
    }
    if (!ascii || U_FAILURE(st) || !system)
        return bl_diag_set(d, BL_ENOTFOUND,
                           "unknown time zone '%s': expected an IANA zone name such as "
                           "America/Sao_Paulo, Asia/Shanghai or UTC",
                           shown);

    struct bl_tz *tz = bl_calloc(1, sizeof(*tz) + len + 1);
    if (!tz)
        return bl_diag_set(d, BL_ENOMEM, "loading time zone '%s': out of memory", shown);
    memcpy(tz->name, name, len + 1);

    UCalendar *cal = ucal_open(uname, (int32_t)len, "", UCAL_GREGORIAN, &st);
    if (U_FAILURE(st)) {
        int rc = icu_err(d, st, tz->name, "ucal_open");
        ucal_close(cal);
        bl_tz_free(tz);
        return rc;
    }
    int rc = read_transitions(tz, cal, d);
    ucal_close(cal);
    if (rc != BL_OK) {
        bl_tz_free(tz);
        return rc;
    }
    *out = tz;
    return BL_OK;
}

void bl_tz_free(struct bl_tz *tz)
{
    if (!tz)
        return;
    bl_free(tz->tr);
    bl_free(tz);
}

const char *bl_tz_name(const struct bl_tz *tz)
{
    return tz->name;
}

/* Segment j (0..n) is the span between transition j-1 and transition j. */
static int32_t seg_off(const struct bl_tz *tz, size_t j)
{
    return j == 0 ? tz->off0 : tz->tr[j - 1].off;
}

static int64_t seg_start(const struct bl_tz *tz, size_t j)
{
    return j == 0 ? INT64_MIN : tz->tr[j - 1].at;
}

/* The segment instant t falls in: the number of transitions at or before t. */
static size_t seg_index(const struct bl_tz *tz, int64_t t)
{
    size_t lo = 0, hi = tz->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (tz->tr[mid].at <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int32_t bl_tz_offset(const struct bl_tz *tz, int64_t t)
{
    return seg_off(tz, seg_index(tz, t));
}

int64_t bl_tz_local_to_utc(const struct bl_tz *tz, int64_t local)
{
    /* Any reading t = local - off has off between min_off and max_off, so only the
     * segments overlapping [local - max_off, local - min_off] can match. They are
     * tried in time order, so the first match is the earliest instant. */
    int64_t lo_t = sat_sub(local, tz->max_off);
    int64_t hi_t = sat_sub(local, tz->min_off);
    size_t j = seg_index(tz, lo_t);
    size_t gap = j; /* last segment whose local start is at or before `local` */
    for (; j <= tz->n && seg_start(tz, j) <= hi_t; j++) {
        int64_t t = sat_sub(local, seg_off(tz, j));
        bool before_end = j == tz->n || t < tz->tr[j].at;
        if (t >= seg_start(tz, j) && before_end)
            return t;
        if (j == 0 || sat_add(seg_start(tz, j), seg_off(tz, j)) <= local)
            gap = j;
    }
    /* In a gap: read with the offset in force just before it. */
    return sat_sub(local, seg_off(tz, gap));
}

int64_t bl_tz_local_day(const struct bl_tz *tz, int64_t t)
{
    return floor_div(sat_add(t, bl_tz_offset(tz, t)), BL_DAY_SECS);
}

/* ---- formatting -------------------------------------------------------------------- */

static char *put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
    return p + 2;
}

/* Four digits for 0..9999; otherwise ISO 8601 expanded form with a sign. */
static char *put_year(char *p, int64_t y)
{
    if (y >= 0 && y <= 9999) {
        p = put2(p, (int)(y / 100));
        return put2(p, (int)(y % 100));
    }
    int n = snprintf(p, 24, "%+05" PRId64, y);
    return p + n;
}

static char *put_date(char *p, int64_t days)
{
    int64_t y;
    int m, d;
    ymd_from_days(days, &y, &m, &d);
    p = put_year(p, y);
    *p++ = '-';
    p = put2(p, m);
    *p++ = '-';
    return put2(p, d);
}

/* "YYYY-MM-DDTHH:MM:SS" for wall-clock seconds; returns the end. */
static char *put_datetime(char *p, int64_t secs)
{
    int64_t days = floor_div(secs, BL_DAY_SECS);
    int sod = (int)floor_mod(secs, BL_DAY_SECS);
    p = put_date(p, days);
    *p++ = 'T';
    p = put2(p, sod / 3600);
    *p++ = ':';
    p = put2(p, sod / 60 % 60);
    *p++ = ':';
    return put2(p, sod % 60);
}

char *bl_time_format(int64_t t, char *out)
{
    char *p = put_datetime(out, t);
    *p++ = 'Z';
    *p = '\0';
    return out;
}

char *bl_time_format_local(int64_t t, const struct bl_tz *tz, char *out)
{
    int32_t off = bl_tz_offset(tz, t);
    int64_t local = sat_add(t, off);
    /* Keep the output inside BL_ISO_MAX: far outside 0001..9999 print UTC. */
    if (local < T_MIN - BL_DAY_SECS || local > T_MAX + BL_DAY_SECS)
        return bl_time_format(t, out);
    char *p = put_datetime(out, local);
    int a = off < 0 ? -off : off;
    *p++ = off < 0 ? '-' : '+';
    p = put2(p, a / 3600 % 100);
    *p++ = ':';
    p = put2(p, a / 60 % 60);
    if (a % 60) {
        *p++ = ':';
        p = put2(p, a % 60);
    }
    *p = '\0';
    return out;
}

char *bl_date_format(int64_t day, char *out)
{
    char *p = put_date(out, day);
    *p = '\0';
    return out;
}

/* ---- parsing ----------------------------------------------------------------------- */

static const char *const month_names[12] = {"January",   "February", "March",    "April",
                                            "May",       "June",     "July",     "August",
                                            "September", "October",  "November", "December"};

#define EXPECT_DATETIME "expected an ISO 8601 date-time such as 2018-05-21T14:30:00Z"
#define EXPECT_DATE "expected a date such as 2018-05-21"

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool digits(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_digit(p[i]))
            return false;
    return true;
}

static int num2(const char *p)
{
    return (p[0] - '0') * 10 + (p[1] - '0');
}

/* A parse error quoting the input. */
static int text_err(struct bl_diag *d, int code, struct bl_str s, const char *what)
{
    if (!d)
        return code;
    char shown[80];
    bl_str_show(s, sizeof(shown) - 4, shown);
    return bl_diag_set(d, code, "%s, got '%s'", what, shown);
}

/* YYYY-MM-DD at p (10 bytes known to be there): shape then range. */
static int parse_ymd(const char *p, struct bl_str s, const char *expect, int64_t *day,
                     struct bl_diag *d)
{
    if (!digits(p, 4) || p[4] != '-' || !digits(p + 5, 2) || p[7] != '-' || !digits(p + 8, 2))
        return text_err(d, BL_EPARSE, s, expect);
    int y = num2(p) * 100 + num2(p + 2);
    int m = num2(p + 5);
    int dd = num2(p + 8);
    if (y < 1)
        return bl_diag_set(d, BL_ERANGE, "%.10s is not a date: years run from 0001 to 9999", p);
    if (m < 1 || m > 12)
        return bl_diag_set(d, BL_ERANGE, "%.10s is not a date: month %02d is not 01..12", p, m);
    int dim = days_in_month(y, m);
    if (dd < 1 || dd > dim)
        return bl_diag_set(d, BL_ERANGE, "%.10s is not a date: %s %04d has %d days", p,
                           month_names[m - 1], y, dim);
    *day = days_from_ymd(y, m, dd);
    return BL_OK;
}

int bl_date_parse(struct bl_str s, int64_t *day, struct bl_diag *d)
{
    if (s.len != 10)
        return text_err(d, BL_EPARSE, s, EXPECT_DATE);
    return parse_ymd(s.ptr, s, EXPECT_DATE, day, d);
}

/* Offset at p[0..n) (starting with Z, + or -) into seconds east of UTC. */
static int parse_offset(const char *p, size_t n, struct bl_str s, int32_t *off, struct bl_diag *d)
{
    if (n == 1 && (p[0] == 'Z' || p[0] == 'z')) {
        *off = 0;
        return BL_OK;
    }
    int h = 0, m = 0, sec = 0;
    bool ok = (p[0] == '+' || p[0] == '-') && n >= 3 && digits(p + 1, 2);
    if (ok) {
        h = num2(p + 1);
        if (n == 3) {
            /* +HH */
        } else if (n == 5 && digits(p + 3, 2)) {
            m = num2(p + 3); /* +HHMM */
        } else if ((n == 6 || n == 9) && p[3] == ':' && digits(p + 4, 2)) {
            m = num2(p + 4); /* +HH:MM */
            if (n == 9) {    /* +HH:MM:SS, as bl_time_format_local writes for LMT */
                ok = p[6] == ':' && digits(p + 7, 2);
                sec = ok ? num2(p + 7) : 0;
            }
        } else {
            ok = false;
        }
    }
    if (!ok)
        return text_err(d, BL_EPARSE, s,
                        "expected Z or a UTC offset such as +08:00, -0300 or +05 at the end");
    if (m > 59 || sec > 59)
        return bl_diag_set(d, BL_ERANGE,
                           "%.*s is not a UTC offset: minutes and seconds must be 00..59", (int)n,
                           p);
    int32_t secs = h * 3600 + m * 60 + sec;
    if (secs > 18 * 3600)
        return bl_diag_set(
            d, BL_ERANGE, "%.*s is not a UTC offset: offsets run from -18:00 to +18:00", (int)n, p);
    *off = p[0] == '-' ? -secs : secs;
    return BL_OK;
}

int bl_time_parse(struct bl_str s, const struct bl_tz *tz, int64_t *out, struct bl_diag *d)
{
    const char *p = s.ptr;
    size_t n = s.len;
    if (n < 10)
        return text_err(d, BL_EPARSE, s, EXPECT_DATETIME);
    int64_t day;
    int rc = parse_ymd(p, s, EXPECT_DATETIME, &day, d);
    if (rc != BL_OK)
        return rc;

    size_t i = 10;
    int hh = 0, mm = 0, ss = 0;
    if (i < n && (p[i] == 'T' || p[i] == 't' || p[i] == ' ')) {
        /* HH:MM[:SS[.fraction]] */
        if (n - i < 6 || !digits(p + i + 1, 2) || p[i + 3] != ':' || !digits(p + i + 4, 2))
            return text_err(d, BL_EPARSE, s, EXPECT_DATETIME);
        hh = num2(p + i + 1);
        mm = num2(p + i + 4);
        i += 6;
        if (i < n && p[i] == ':') {
            if (n - i < 3 || !digits(p + i + 1, 2))
                return text_err(d, BL_EPARSE, s, EXPECT_DATETIME);
            ss = num2(p + i + 1);
            i += 3;
            if (i < n && p[i] == '.') {
                size_t f = ++i;
                while (i < n && is_digit(p[i]))
                    i++;
                if (i == f || i - f > 9)
                    return text_err(d, BL_EPARSE, s,
                                    "expected 1 to 9 digits of a fraction of a second, as in "
                                    "2018-05-21T14:30:00.250Z");
            }
        }
        if (hh > 23)
            return bl_diag_set(d, BL_ERANGE, "%.5s is not a time of day: hour must be 00..23",
                               p + 11);
        if (mm > 59)
            return bl_diag_set(d, BL_ERANGE, "%.5s is not a time of day: minute must be 00..59",
                               p + 11);
        if (ss > 59)
            return bl_diag_set(d, BL_ERANGE,
                               "%.8s is not a time of day: second must be 00..59 (leap "
                               "seconds are not supported)",
                               p + 11);
    }

    int64_t local = day * BL_DAY_SECS + hh * 3600 + mm * 60 + ss;
    int64_t t;
    if (i < n) {
        if (p[i] != 'Z' && p[i] != 'z' && p[i] != '+' && p[i] != '-')
            return text_err(d, BL_EPARSE, s, EXPECT_DATETIME);
        int32_t off = 0;
        rc = parse_offset(p + i, n - i, s, &off, d);
        if (rc != BL_OK)
            return rc;
        t = local - off;
    } else if (tz) {
        t = bl_tz_local_to_utc(tz, local);
    } else {
        char shown[80];
        bl_str_show(s, sizeof(shown) - 4, shown);
        return bl_diag_set(d, BL_EPARSE, "'%s' needs a UTC offset (Z or +HH:MM) or a time zone",
                           shown);
    }
    if (t < T_MIN || t > T_MAX) {
        char shown[80];
        bl_str_show(s, sizeof(shown) - 4, shown);
        return bl_diag_set(d, BL_ERANGE,
                           "'%s' is outside the supported range 0001-01-01T00:00:00Z to "
                           "9999-12-31T23:59:59Z",
                           shown);
    }
    *out = t;
    return BL_OK;
}
