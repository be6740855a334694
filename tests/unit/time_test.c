/* time_test.c - civil dates, ISO 8601 parsing and formatting, time zones.
 *
 * Zone expectations come from the published IANA history and are cross-checked
 * against ICU itself (the library bl_tz_load reads from), used here directly as
 * the reference for offsets and for local-to-UTC readings.
 */
#include <string.h>

#include <unicode/ucal.h>
#include <unicode/ustring.h>

#include "testutil.h"
#include "ballast/alloc.h"
#include "ballast/time.h"

#define H INT64_C(3600)

/* Day number and instant helpers for readable expectations. */
static int64_t day_of(int y, int m, int d)
{
    return bl_days_from_civil(y, m, d);
}

static int64_t utc(int y, int mo, int d, int h, int mi, int s)
{
    return day_of(y, mo, d) * BL_DAY_SECS + h * H + mi * 60 + s;
}

static struct bl_tz *load(const char *name)
{
    struct bl_tz *tz = NULL;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_tz_load(&tz, name, &d), &d);
    assert_non_null(tz);
    return tz;
}

static int64_t parse_ok(const char *text, const struct bl_tz *tz)
{
    int64_t t = -1;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_time_parse(bl_str_c(text), tz, &t, &d);
    if (rc != BL_OK)
        fail_msg("'%s': %s: %s", text, bl_errname(rc), d.msg);
    return t;
}

/* Parses text expecting code; returns the message for further checks. */
static const char *parse_err(const char *text, const struct bl_tz *tz, int code)
{
    static struct bl_diag d;
    bl_diag_clear(&d);
    int64_t t = 12345;
    int rc = bl_time_parse(bl_str_c(text), tz, &t, &d);
    if (rc != code)
        fail_msg("'%s': expected %s, got %s (%s)", text, bl_errname(code), bl_errname(rc), d.msg);
    assert_int_equal(d.code, code);
    assert_true(t == 12345); /* untouched on error */
    assert_true(d.msg[0] != '\0');
    return d.msg;
}

static void assert_contains(const char *hay, const char *needle)
{
    if (!strstr(hay, needle))
        fail_msg("'%s' does not contain '%s'", hay, needle);
}

/* ---- civil dates ------------------------------------------------------------------- */

static void test_civil_known(void **state)
{
    (void)state;
    assert_true(day_of(1970, 1, 1) == 0);
    assert_true(day_of(1969, 12, 31) == -1);
    assert_true(day_of(2000, 3, 1) == 11017);
    assert_true(day_of(2018, 5, 21) == 17672);
    assert_true(day_of(1, 1, 1) == -719162);
    assert_true(day_of(9999, 12, 31) == 2932896);
    assert_true(day_of(1900, 3, 1) - day_of(1900, 2, 28) == 1); /* 1900 not leap */
    assert_true(day_of(2000, 3, 1) - day_of(2000, 2, 28) == 2); /* 2000 leap */
    assert_true(day_of(2024, 3, 1) - day_of(2024, 2, 28) == 2);
    assert_true(day_of(2100, 3, 1) - day_of(2100, 2, 28) == 1);

    int y, m, d;
    bl_civil_from_days(-1, &y, &m, &d);
    assert_int_equal(y, 1969);
    assert_int_equal(m, 12);
    assert_int_equal(d, 31);
    bl_civil_from_days(11016, &y, &m, &d);
    assert_int_equal(y, 2000);
    assert_int_equal(m, 2);
    assert_int_equal(d, 29);
    bl_civil_from_days(-719162, &y, &m, &d);
    assert_int_equal(y, 1);
    assert_int_equal(m, 1);
    assert_int_equal(d, 1);
}

/* Every day from 0001-01-01 to 9999-12-31, counted by hand, in both directions. */
static void test_civil_every_day(void **state)
{
    (void)state;
    int64_t n = day_of(1, 1, 1);
    for (int y = 1; y <= 9999; y++) {
        bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        for (int m = 1; m <= 12; m++) {
            static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
            int last = dim[m - 1] + (m == 2 && leap);
            for (int d = 1; d <= last; d++, n++) {
                if (bl_days_from_civil(y, m, d) != n)
                    fail_msg("%04d-%02d-%02d: %lld", y, m, d, (long long)n);
                int yy, mm, dd;
                bl_civil_from_days(n, &yy, &mm, &dd);
                if (yy != y || mm != m || dd != d)
                    fail_msg("day %lld gave %d-%d-%d", (long long)n, yy, mm, dd);
                assert_true(bl_date_valid(y, m, d));
            }
            assert_false(bl_date_valid(y, m, last + 1));
        }
    }
    assert_true(n - 1 == day_of(9999, 12, 31));
}

static void test_date_valid(void **state)
{
    (void)state;
    assert_true(bl_date_valid(2020, 2, 29));
    assert_false(bl_date_valid(2021, 2, 29));
    assert_true(bl_date_valid(2000, 2, 29));
    assert_false(bl_date_valid(1900, 2, 29));
    assert_false(bl_date_valid(0, 1, 1));
    assert_false(bl_date_valid(10000, 1, 1));
    assert_false(bl_date_valid(2020, 0, 1));
    assert_false(bl_date_valid(2020, 13, 1));
    assert_false(bl_date_valid(2020, 4, 31));
    assert_false(bl_date_valid(2020, 1, 0));
    assert_false(bl_date_valid(-5, 1, 1));
}

static void test_weekday(void **state)
{
    (void)state;
    assert_int_equal(bl_weekday(0), 3);                    /* 1970-01-01 Thursday */
    assert_int_equal(bl_weekday(-1), 2);                   /* 1969-12-31 Wednesday */
    assert_int_equal(bl_weekday(day_of(2018, 5, 21)), 0);  /* Monday */
    assert_int_equal(bl_weekday(day_of(2018, 5, 27)), 6);  /* Sunday */
    assert_int_equal(bl_weekday(day_of(1, 1, 1)), 0);      /* proleptic Monday */
    assert_int_equal(bl_weekday(day_of(9999, 12, 31)), 4); /* Friday */
    assert_int_equal(bl_weekday(day_of(1900, 1, 1)), 0);   /* Monday */
    assert_int_equal(bl_weekday(day_of(2000, 2, 29)), 1);  /* Tuesday */
    for (int64_t dn = -800000; dn < 800000; dn += 997)
        assert_int_equal(bl_weekday(dn + 1), (bl_weekday(dn) + 1) % 7);
    assert_true(bl_weekday(INT64_MIN) >= 0 && bl_weekday(INT64_MAX) <= 6);
}

/* ---- parsing ----------------------------------------------------------------------- */

static void test_parse_shapes(void **state)
{
    (void)state;
    int64_t base = utc(2018, 5, 21, 14, 30, 0);
    assert_true(parse_ok("2018-05-21T14:30:00Z", NULL) == base);
    assert_true(parse_ok("2018-05-21 14:30:00Z", NULL) == base);
    assert_true(parse_ok("2018-05-21t14:30:00z", NULL) == base);
    assert_true(parse_ok("2018-05-21T14:30Z", NULL) == base);
    assert_true(parse_ok("2018-05-21T14:30:00+00:00", NULL) == base);
    assert_true(parse_ok("2018-05-21T14:30:00-00:00", NULL) == base);
    assert_true(parse_ok("2018-05-21T14:30:00+00", NULL) == base);
    assert_true(parse_ok("2018-05-21T14:30:00+0000", NULL) == base);
    assert_true(parse_ok("2018-05-21T11:30:00-03:00", NULL) == base);
    assert_true(parse_ok("2018-05-21T11:30:00-0300", NULL) == base);
    assert_true(parse_ok("2018-05-21T11:30:00-03", NULL) == base);
    assert_true(parse_ok("2018-05-21T22:30:00+08:00", NULL) == base);
    assert_true(parse_ok("2018-05-21T20:00+05:30", NULL) == base);
    assert_true(parse_ok("2018-05-21T11:23:32-03:06:28", NULL) == base);
    assert_true(parse_ok("2018-05-21 14:30:00+00", NULL) == base); /* PostgreSQL text */

    /* Fractions: 1 to 9 digits, truncated, never rounded. */
    assert_true(parse_ok("2018-05-21T14:30:00.5Z", NULL) == base);
    assert_true(parse_ok("2018-05-21T14:30:00.999999999Z", NULL) == base);
    assert_true(parse_ok("2018-05-21T14:30:00.000+00:00", NULL) == base);
    assert_true(parse_ok("1969-12-31T23:59:59.9Z", NULL) == -1);

    /* Date only: the start of the day, in UTC or at the given offset. */
    assert_true(parse_ok("2018-05-21Z", NULL) == utc(2018, 5, 21, 0, 0, 0));
    assert_true(parse_ok("2018-05-21+08:00", NULL) == utc(2018, 5, 20, 16, 0, 0));

    /* Extremes and negative instants. */
    assert_true(parse_ok("1970-01-01T00:00:00Z", NULL) == 0);
    assert_true(parse_ok("1960-02-29T12:00:00Z", NULL) == -310478400);
    assert_true(parse_ok("0001-01-01T00:00:00Z", NULL) == INT64_C(-62135596800));
    assert_true(parse_ok("9999-12-31T23:59:59Z", NULL) == INT64_C(253402300799));
    assert_true(parse_ok("0001-01-01T00:00:00-18:00", NULL) == INT64_C(-62135596800) + 18 * H);
    assert_true(parse_ok("9999-12-31T23:59:59+18:00", NULL) == INT64_C(253402300799) - 18 * H);
    assert_true(parse_ok("2020-02-29T00:00:00Z", NULL) == utc(2020, 2, 29, 0, 0, 0));
    assert_true(parse_ok("2000-02-29T23:59:59Z", NULL) == utc(2000, 2, 29, 23, 59, 59));

    /* A view need not be NUL-terminated: only len bytes are read. */
    int64_t t;
    const char buf[] = "2018-05-21T14:30:00Zjunk";
    assert_int_equal(bl_time_parse((struct bl_str){buf, 20}, NULL, &t, NULL), BL_OK);
    assert_true(t == base);
}

static void test_parse_shape_errors(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "2018",
        "2018-05",
        "2018-5-21T14:30:00Z",
        "18-05-21T14:30:00Z",
        "2018/05/21T14:30:00Z",
        "20180521T143000Z",
        "2018-05-21T14",
        "2018-05-21T14:3",
        "2018-05-21T14:30:0Z",
        "2018-05-21T1430Z",
        "2018-05-21T14:30:00.Z",
        "2018-05-21T14:30:00.1234567890Z",
        "2018-05-21T14:30:00,5Z",
        "2018-05-21T14:30.5Z",
        "2018-05-21T14:30:00 Z",
        "2018-05-21T14:30:00+3",
        "2018-05-21T14:30:00+030",
        "2018-05-21T14:30:00+03:0",
        "2018-05-21T14:30:00+03:00:0",
        "2018-05-21T14:30:00+0300:00",
        "2018-05-21T14:30:00ZZ",
        "2018-05-21T14:30:00Z ",
        " 2018-05-21T14:30:00Z",
        "2018-05-21X14:30:00Z",
        "2018-05-21T",
        "2018-05-21T14:30:00UTC",
        "2018-05-21T+4:30:00Z",
        "2018-05-21T14:30:00\xff",
        "-2018-05-21T14:30:00Z",
        "+02018-05-21T14:30:00Z",
        "2018-05-21T14:30:00.12a",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        parse_err(bad[i], NULL, BL_EPARSE);

    const char *m = parse_err("2018-05-21T14:3", NULL, BL_EPARSE);
    assert_string_equal(m, "expected an ISO 8601 date-time such as 2018-05-21T14:30:00Z, "
                           "got '2018-05-21T14:3'");
    m = parse_err("2018-05-21T14:30:00.1234567890Z", NULL, BL_EPARSE);
    assert_contains(m, "1 to 9 digits");
    m = parse_err("2018-05-21T14:30:00+3", NULL, BL_EPARSE);
    assert_contains(m, "UTC offset such as +08:00");
    m = parse_err("2018-05-21T14:30:00\xff", NULL, BL_EPARSE);
    assert_contains(m, "got '2018-05-21T14:30:00?'"); /* bytes made printable */

    /* Long input is shortened in the message. */
    char longtext[400];
    memset(longtext, 'x', sizeof(longtext) - 1);
    longtext[sizeof(longtext) - 1] = '\0';
    m = parse_err(longtext, NULL, BL_EPARSE);
    assert_contains(m, "xxx...'");
    assert_true(strlen(m) < 200);

    /* Without an offset and without a zone. */
    m = parse_err("2018-05-21T14:30:00", NULL, BL_EPARSE);
    assert_string_equal(m, "'2018-05-21T14:30:00' needs a UTC offset (Z or +HH:MM) or a "
                           "time zone");
    parse_err("2018-05-21", NULL, BL_EPARSE);

    /* A NULL diag is fine. */
    int64_t t;
    assert_int_equal(bl_time_parse(BL_STR("nope"), NULL, &t, NULL), BL_EPARSE);
    assert_int_equal(bl_time_parse(BL_STR("2021-02-29T00:00Z"), NULL, &t, NULL), BL_ERANGE);
    assert_int_equal(bl_time_parse(BL_STR("2021-02-28T00:00"), NULL, &t, NULL), BL_EPARSE);
}

static void test_parse_range_errors(void **state)
{
    (void)state;
    const char *m = parse_err("2021-02-29T10:00:00Z", NULL, BL_ERANGE);
    assert_string_equal(m, "2021-02-29 is not a date: February 2021 has 28 days");
    m = parse_err("2020-13-01T00:00:00Z", NULL, BL_ERANGE);
    assert_string_equal(m, "2020-13-01 is not a date: month 13 is not 01..12");
    m = parse_err("2020-00-10T00:00:00Z", NULL, BL_ERANGE);
    assert_contains(m, "month 00 is not 01..12");
    m = parse_err("2020-04-31T00:00:00Z", NULL, BL_ERANGE);
    assert_string_equal(m, "2020-04-31 is not a date: April 2020 has 30 days");
    m = parse_err("2020-01-00T00:00:00Z", NULL, BL_ERANGE);
    assert_string_equal(m, "2020-01-00 is not a date: January 2020 has 31 days");
    m = parse_err("1900-02-29Z", NULL, BL_ERANGE);
    assert_contains(m, "February 1900 has 28 days");
    m = parse_err("0000-01-01T00:00:00Z", NULL, BL_ERANGE);
    assert_string_equal(m, "0000-01-01 is not a date: years run from 0001 to 9999");

    m = parse_err("2020-01-01T25:00:00Z", NULL, BL_ERANGE);
    assert_string_equal(m, "25:00 is not a time of day: hour must be 00..23");
    m = parse_err("2020-01-01T24:00:00Z", NULL, BL_ERANGE);
    assert_contains(m, "hour must be 00..23");
    m = parse_err("2020-01-01T23:60Z", NULL, BL_ERANGE);
    assert_string_equal(m, "23:60 is not a time of day: minute must be 00..59");
    m = parse_err("2016-12-31T23:59:60Z", NULL, BL_ERANGE);
    assert_contains(m, "23:59:60 is not a time of day: second must be 00..59");

    m = parse_err("2020-01-01T00:00:00+19:00", NULL, BL_ERANGE);
    assert_string_equal(m, "+19:00 is not a UTC offset: offsets run from -18:00 to +18:00");
    parse_err("2020-01-01T00:00:00-18:01", NULL, BL_ERANGE);
    parse_err("2020-01-01T00:00:00+99", NULL, BL_ERANGE);
    m = parse_err("2020-01-01T00:00:00+05:60", NULL, BL_ERANGE);
    assert_contains(m, "+05:60 is not a UTC offset");
    parse_err("2020-01-01T00:00:00+05:00:60", NULL, BL_ERANGE);
    assert_true(parse_ok("2020-01-01T00:00:00-18:00", NULL) == utc(2020, 1, 1, 18, 0, 0));

    /* Valid text whose instant falls outside years 0001..9999 in UTC. */
    m = parse_err("0001-01-01T00:00:00+01:00", NULL, BL_ERANGE);
    assert_contains(m, "outside the supported range");
    parse_err("9999-12-31T23:00:00-02:00", NULL, BL_ERANGE);
}

static void test_date_parse(void **state)
{
    (void)state;
    int64_t day = -42;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_date_parse(BL_STR("2018-05-21"), &day, &d), &d);
    assert_true(day == 17672);
    BL_ASSERT_OK(bl_date_parse(BL_STR("0001-01-01"), &day, &d), &d);
    assert_true(day == -719162);
    BL_ASSERT_OK(bl_date_parse(BL_STR("9999-12-31"), &day, &d), &d);
    assert_true(day == 2932896);
    BL_ASSERT_OK(bl_date_parse(BL_STR("1969-12-31"), &day, &d), &d);
    assert_true(day == -1);

    day = -42;
    assert_int_equal(bl_date_parse(BL_STR("2018-05-21T00:00:00Z"), &day, &d), BL_EPARSE);
    assert_string_equal(d.msg, "expected a date such as 2018-05-21, got '2018-05-21T00:00:00Z'");
    assert_int_equal(bl_date_parse(BL_STR("2018-5-21"), &day, &d), BL_EPARSE);
    assert_int_equal(bl_date_parse(BL_STR("21/05/2018"), &day, &d), BL_EPARSE);
    assert_int_equal(bl_date_parse(BL_STR(""), &day, &d), BL_EPARSE);
    assert_int_equal(bl_date_parse(BL_STR("2018-05-2a"), &day, &d), BL_EPARSE);
    assert_int_equal(bl_date_parse(BL_STR("2021-02-29"), &day, &d), BL_ERANGE);
    assert_string_equal(d.msg, "2021-02-29 is not a date: February 2021 has 28 days");
    assert_int_equal(bl_date_parse(BL_STR("2020-13-01"), &day, &d), BL_ERANGE);
    assert_int_equal(bl_date_parse(BL_STR("0000-12-31"), &day, &d), BL_ERANGE);
    assert_true(day == -42);
    assert_int_equal(bl_date_parse(BL_STR("2020-02-30"), &day, NULL), BL_ERANGE);
}

/* ---- formatting -------------------------------------------------------------------- */

static void test_format(void **state)
{
    (void)state;
    char out[BL_ISO_MAX];
    assert_string_equal(bl_time_format(0, out), "1970-01-01T00:00:00Z");
    assert_string_equal(bl_time_format(-1, out), "1969-12-31T23:59:59Z");
    assert_string_equal(bl_time_format(utc(2018, 5, 21, 15, 4, 5), out), "2018-05-21T15:04:05Z");
    assert_string_equal(bl_time_format(INT64_C(-62135596800), out), "0001-01-01T00:00:00Z");
    assert_string_equal(bl_time_format(INT64_C(253402300799), out), "9999-12-31T23:59:59Z");
    assert_string_equal(bl_time_format(utc(1960, 2, 29, 12, 0, 0), out), "1960-02-29T12:00:00Z");
    /* Outside 0001..9999: ISO 8601 expanded years, still within BL_ISO_MAX. */
    assert_string_equal(bl_time_format(INT64_C(-62135596801), out), "0000-12-31T23:59:59Z");
    assert_string_equal(bl_time_format(INT64_C(253402300800), out), "+10000-01-01T00:00:00Z");
    assert_true(strlen(bl_time_format(INT64_MIN, out)) < BL_ISO_MAX);
    assert_true(strlen(bl_time_format(INT64_MAX, out)) < BL_ISO_MAX);
    assert_int_equal(out[0], '+');

    assert_string_equal(bl_date_format(0, out), "1970-01-01");
    assert_string_equal(bl_date_format(-1, out), "1969-12-31");
    assert_string_equal(bl_date_format(17672, out), "2018-05-21");
    assert_string_equal(bl_date_format(-719162, out), "0001-01-01");
    assert_string_equal(bl_date_format(2932896, out), "9999-12-31");
    assert_string_equal(bl_date_format(-719163, out), "0000-12-31");
    assert_string_equal(bl_date_format(-719163 - 366, out), "-0001-12-31");
    assert_true(strlen(bl_date_format(INT64_MIN, out)) < BL_ISO_MAX);
    assert_true(strlen(bl_date_format(INT64_MAX, out)) < BL_ISO_MAX);
}

/* Format then parse gives the same instant, across the whole supported range. */
static void test_round_trip(void **state)
{
    (void)state;
    struct bl_tz *sp = load("America/Sao_Paulo");
    struct bl_tz *sh = load("Asia/Shanghai");
    const int64_t lo = INT64_C(-62135596800), hi = INT64_C(253402300799);
    char out[BL_ISO_MAX];
    long n = 0;
    for (int64_t t = lo; t <= hi; t += INT64_C(104729) * 3 + 7, n++) {
        int64_t back;
        bl_time_format(t, out);
        assert_int_equal(strlen(out), 20);
        assert_int_equal(bl_time_parse(bl_str_c(out), NULL, &back, NULL), BL_OK);
        if (back != t)
            fail_msg("%s read back as %lld, not %lld", out, (long long)back, (long long)t);
        /* Local text carries its offset, so it reads back without a zone. */
        const struct bl_tz *z = (n & 1) ? sp : sh;
        bl_time_format_local(t, z, out);
        int rc = bl_time_parse(bl_str_c(out), NULL, &back, NULL);
        if (rc != BL_OK && (t - lo < BL_DAY_SECS || hi - t < BL_DAY_SECS))
            continue; /* local year 0000 or +10000 near the ends */
        assert_int_equal(rc, BL_OK);
        if (back != t)
            fail_msg("%s read back as %lld, not %lld", out, (long long)back, (long long)t);
        /* The local day agrees with the date in the local text. */
        int64_t day;
        assert_int_equal(bl_date_parse((struct bl_str){out, 10}, &day, NULL), BL_OK);
        assert_true(day == bl_tz_local_day(z, t));
    }
    assert_true(n > 500000);
    /* Both ends exactly. */
    int64_t back;
    assert_int_equal(bl_time_parse(bl_str_c(bl_time_format(hi, out)), NULL, &back, NULL), 0);
    assert_true(back == hi);
    assert_int_equal(bl_time_parse(bl_str_c(bl_time_format(lo, out)), NULL, &back, NULL), 0);
    assert_true(back == lo);

    /* Dates. */
    for (int64_t day = -719162; day <= 2932896; day += 37) {
        int64_t b;
        bl_date_format(day, out);
        assert_int_equal(bl_date_parse(bl_str_c(out), &b, NULL), BL_OK);
        assert_true(b == day);
    }
    bl_tz_free(sp);
    bl_tz_free(sh);
}

/* ---- time zones -------------------------------------------------------------------- */

static void test_tz_utc(void **state)
{
    (void)state;
    struct bl_tz *z = load("UTC");
    assert_string_equal(bl_tz_name(z), "UTC");
    char out[BL_ISO_MAX];
    for (int64_t t = INT64_C(-62135596800); t < INT64_C(253402300799); t += 999999937) {
        assert_int_equal(bl_tz_offset(z, t), 0);
        assert_true(bl_tz_local_to_utc(z, t) == t);
        assert_true(bl_tz_local_day(z, t) == (t < 0 ? (t - 86399) / 86400 : t / 86400));
    }
    assert_string_equal(bl_time_format_local(utc(2018, 5, 21, 15, 4, 5), z, out),
                        "2018-05-21T15:04:05+00:00");
    assert_true(parse_ok("2018-05-21T15:04:05", z) == utc(2018, 5, 21, 15, 4, 5));
    assert_true(parse_ok("2018-05-21", z) == utc(2018, 5, 21, 0, 0, 0));
    /* An explicit offset wins over the zone. */
    assert_true(parse_ok("2018-05-21T15:04:05+01:00", z) == utc(2018, 5, 21, 14, 4, 5));
    /* Extreme inputs never fail or overflow. */
    assert_true(bl_tz_local_to_utc(z, INT64_MIN) == INT64_MIN);
    assert_true(bl_tz_local_to_utc(z, INT64_MAX) == INT64_MAX);
    bl_tz_free(z);
}

static void test_tz_sao_paulo(void **state)
{
    (void)state;
    struct bl_tz *z = load("America/Sao_Paulo");
    char out[BL_ISO_MAX];

    assert_int_equal(bl_tz_offset(z, utc(2018, 5, 21, 12, 0, 0)), -3 * 3600);
    assert_int_equal(bl_tz_offset(z, utc(2018, 1, 15, 12, 0, 0)), -2 * 3600); /* summer */
    assert_int_equal(bl_tz_offset(z, utc(2022, 1, 15, 12, 0, 0)), -3 * 3600); /* no DST */
    assert_int_equal(bl_tz_offset(z, utc(1910, 1, 1, 0, 0, 0)), -(3 * 3600 + 6 * 60 + 28));

    /* Spring forward, 2018-11-04: 00:00 -03 became 01:00 -02 (at 03:00Z). */
    int64_t jump = utc(2018, 11, 4, 3, 0, 0);
    assert_int_equal(bl_tz_offset(z, jump - 1), -3 * 3600);
    assert_int_equal(bl_tz_offset(z, jump), -2 * 3600);
    int64_t local = day_of(2018, 11, 4) * BL_DAY_SECS;
    assert_true(bl_tz_local_to_utc(z, local) == jump);                  /* 00:00 */
    assert_true(bl_tz_local_to_utc(z, local + 30 * 60) == jump + 1800); /* 00:30 */
    assert_true(bl_tz_local_to_utc(z, local + 3599) == jump + 3599);    /* 00:59:59 */
    assert_true(bl_tz_local_to_utc(z, local + 3600) == jump);           /* 01:00 */
    assert_true(bl_tz_local_to_utc(z, local - 1) == jump - 1);          /* 23:59:59 */
    assert_true(parse_ok("2018-11-04T00:30:00", z) == utc(2018, 11, 4, 3, 30, 0));
    assert_true(parse_ok("2018-11-04", z) == jump); /* the day starts at 01:00 */
    assert_string_equal(bl_time_format_local(jump - 1, z, out), "2018-11-03T23:59:59-03:00");
    assert_string_equal(bl_time_format_local(jump, z, out), "2018-11-04T01:00:00-02:00");
    assert_true(bl_tz_local_day(z, jump - 1) == day_of(2018, 11, 3));
    assert_true(bl_tz_local_day(z, jump) == day_of(2018, 11, 4));

    /* Fall back, 2018-02-18: 00:00 -02 became 23:00 -03 (at 02:00Z), so 23:00..23:59
     * on 2018-02-17 happened twice; the earlier reading wins. */
    int64_t back = utc(2018, 2, 18, 2, 0, 0);
    assert_int_equal(bl_tz_offset(z, back - 1), -2 * 3600);
    assert_int_equal(bl_tz_offset(z, back), -3 * 3600);
    local = day_of(2018, 2, 17) * BL_DAY_SECS + 23 * H;
    assert_true(bl_tz_local_to_utc(z, local) == back - 3600);         /* 23:00 -02 */
    assert_true(bl_tz_local_to_utc(z, local + 1800) == back - 1800);  /* 23:30 -02 */
    assert_true(bl_tz_local_to_utc(z, local + 3599) == back - 1);     /* 23:59:59 -02 */
    assert_true(bl_tz_local_to_utc(z, local + 3600) == back + 3600);  /* 00:00 -03 */
    assert_true(bl_tz_local_to_utc(z, local - 1) == back - 3600 - 1); /* 22:59:59 -02 */
    assert_true(parse_ok("2018-02-17T23:30:00", z) == utc(2018, 2, 18, 1, 30, 0));
    assert_true(parse_ok("2018-02-17T23:30:00-03:00", z) == utc(2018, 2, 18, 2, 30, 0));
    assert_string_equal(bl_time_format_local(back - 1800, z, out), "2018-02-17T23:30:00-02:00");
    assert_string_equal(bl_time_format_local(back + 1800, z, out), "2018-02-17T23:30:00-03:00");

    /* Olist-era timestamps in local time. */
    assert_true(parse_ok("2017-10-02 10:56:33", z) == utc(2017, 10, 2, 13, 56, 33));
    assert_true(parse_ok("2018-01-02 10:56:33", z) == utc(2018, 1, 2, 12, 56, 33));

    /* Local mean time before 1914 has seconds in its offset, and round-trips. */
    int64_t old = utc(1910, 1, 1, 0, 0, 0);
    assert_string_equal(bl_time_format_local(old, z, out), "1909-12-31T20:53:32-03:06:28");
    assert_true(parse_ok(out, NULL) == old);
    assert_true(parse_ok("1909-12-31T20:53:32", z) == old);

    /* Before 1900 the 1900 offset holds; after 2200 the last one does. */
    assert_int_equal(bl_tz_offset(z, utc(1800, 1, 1, 0, 0, 0)), -(3 * 3600 + 6 * 60 + 28));
    assert_int_equal(bl_tz_offset(z, utc(2500, 1, 1, 0, 0, 0)), -3 * 3600);
    /* Extreme inputs never fail or overflow; results saturate. */
    assert_true(bl_tz_local_to_utc(z, INT64_MIN) == INT64_MIN + 3 * H + 6 * 60 + 28);
    assert_true(bl_tz_local_to_utc(z, INT64_MAX) == INT64_MAX);
    assert_true(bl_tz_local_day(z, INT64_MIN) == INT64_MIN / BL_DAY_SECS - 1);
    bl_tz_free(z);
}

static void test_tz_shanghai(void **state)
{
    (void)state;
    struct bl_tz *z = load("Asia/Shanghai");
    char out[BL_ISO_MAX];
    assert_string_equal(bl_tz_name(z), "Asia/Shanghai");
    assert_int_equal(bl_tz_offset(z, utc(2018, 5, 21, 0, 0, 0)), 8 * 3600);
    assert_int_equal(bl_tz_offset(z, utc(1988, 6, 1, 0, 0, 0)), 9 * 3600); /* DST 1986-91 */
    assert_int_equal(bl_tz_offset(z, utc(1900, 6, 1, 0, 0, 0)), 8 * 3600 + 5 * 60 + 43);
    assert_string_equal(bl_time_format_local(utc(2018, 5, 21, 16, 30, 0), z, out),
                        "2018-05-22T00:30:00+08:00");
    assert_true(bl_tz_local_day(z, utc(2018, 5, 21, 16, 30, 0)) == day_of(2018, 5, 22));
    assert_true(bl_tz_local_day(z, utc(2018, 5, 21, 15, 59, 59)) == day_of(2018, 5, 21));
    assert_true(parse_ok("2018-11-11 00:00:00", z) == utc(2018, 11, 10, 16, 0, 0));
    assert_true(parse_ok("2018-11-11", z) == utc(2018, 11, 10, 16, 0, 0));
    /* 0001-01-01 local is still year 0000 in UTC: out of range. */
    const char *m = parse_err("0001-01-01T00:00:00", z, BL_ERANGE);
    assert_contains(m, "outside the supported range");
    assert_true(parse_ok("9999-12-31T23:59:59", z) == INT64_C(253402300799) - 8 * H);
    assert_true(bl_tz_local_to_utc(z, INT64_MIN) == INT64_MIN);
    assert_true(bl_tz_local_to_utc(z, INT64_MAX) == INT64_MAX - 8 * H);
    assert_true(bl_tz_local_day(z, INT64_MAX) == INT64_MAX / BL_DAY_SECS);
    bl_tz_free(z);
}

static void test_tz_london(void **state)
{
    (void)state;
    struct bl_tz *z = load("Europe/London");
    char out[BL_ISO_MAX];
    /* 2018: BST from 2018-03-25 01:00Z to 2018-10-28 01:00Z. */
    int64_t on = utc(2018, 3, 25, 1, 0, 0), off = utc(2018, 10, 28, 1, 0, 0);
    assert_int_equal(bl_tz_offset(z, on - 1), 0);
    assert_int_equal(bl_tz_offset(z, on), 3600);
    assert_int_equal(bl_tz_offset(z, off - 1), 3600);
    assert_int_equal(bl_tz_offset(z, off), 0);
    /* 01:30 on 2018-03-25 did not exist: read at +00:00. */
    assert_true(parse_ok("2018-03-25T01:30:00", z) == utc(2018, 3, 25, 1, 30, 0));
    assert_true(parse_ok("2018-03-25T02:30:00", z) == utc(2018, 3, 25, 1, 30, 0));
    /* 01:30 on 2018-10-28 happened twice: the BST one. */
    assert_true(parse_ok("2018-10-28T01:30:00", z) == utc(2018, 10, 28, 0, 30, 0));
    assert_string_equal(bl_time_format_local(utc(2018, 7, 1, 12, 0, 0), z, out),
                        "2018-07-01T13:00:00+01:00");
    assert_string_equal(bl_time_format_local(utc(2018, 12, 1, 12, 0, 0), z, out),
                        "2018-12-01T12:00:00+00:00");
    /* Rules continue to 2200. */
    assert_int_equal(bl_tz_offset(z, utc(2150, 7, 1, 0, 0, 0)), 3600);
    assert_int_equal(bl_tz_offset(z, utc(2150, 12, 1, 0, 0, 0)), 0);
    bl_tz_free(z);
}

static void test_tz_unknown(void **state)
{
    (void)state;
    struct bl_diag d;
    struct bl_tz *z = (struct bl_tz *)&d; /* must be reset to NULL */
    bl_diag_clear(&d);
    assert_int_equal(bl_tz_load(&z, "Mars/Olympus_Mons", &d), BL_ENOTFOUND);
    assert_null(z);
    assert_int_equal(d.code, BL_ENOTFOUND);
    assert_string_equal(d.msg, "unknown time zone 'Mars/Olympus_Mons': expected an IANA zone "
                               "name such as America/Sao_Paulo, Asia/Shanghai or UTC");
    static const char *const bad[] = {
        "",  "america/sao_paulo",       "GMT+5", "Etc/Unknown", "America/Sao Paulo",
        "Z", "\xe5\x8c\x97\xe4\xba\xac"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(bl_tz_load(&z, bad[i], &d), BL_ENOTFOUND);
        assert_null(z);
    }
    char longname[300];
    memset(longname, 'A', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = '\0';
    assert_int_equal(bl_tz_load(&z, longname, &d), BL_ENOTFOUND);
    assert_true(strlen(d.msg) < 200);
    assert_int_equal(bl_tz_load(&z, NULL, &d), BL_EINVAL);
    assert_int_equal(bl_tz_load(&z, "Nowhere/At_All", NULL), BL_ENOTFOUND);
    bl_tz_free(NULL);
}

static void test_tz_alloc_failure(void **state)
{
    (void)state;
    int failures = 0;
    for (long n = 0;; n++) {
        struct bl_tz *z = NULL;
        struct bl_diag d;
        bl_diag_clear(&d);
        bl_alloc_fail_after(n);
        int rc = bl_tz_load(&z, "Europe/London", &d);
        bl_alloc_fail_after(-1);
        if (rc == BL_OK) {
            assert_int_equal(bl_tz_offset(z, utc(2018, 7, 1, 0, 0, 0)), 3600);
            bl_tz_free(z);
            break;
        }
        assert_int_equal(rc, BL_ENOMEM);
        assert_null(z);
        assert_contains(d.msg, "out of memory");
        failures++;
    }
    assert_true(failures >= 2); /* the table grows, then the zone itself */
}

/* ---- cross-check against ICU ------------------------------------------------------- */

static UCalendar *icu_open(const char *name)
{
    UChar id[64];
    u_uastrcpy(id, name);
    UErrorCode st = U_ZERO_ERROR;
    UCalendar *cal = ucal_open(id, -1, "", UCAL_GREGORIAN, &st);
    assert_true(U_SUCCESS(st));
    /* Earlier reading for repeated times; offset before the gap for skipped ones. */
    ucal_setAttribute(cal, UCAL_REPEATED_WALL_TIME, UCAL_WALLTIME_FIRST);
    ucal_setAttribute(cal, UCAL_SKIPPED_WALL_TIME, UCAL_WALLTIME_LAST);
    return cal;
}

static int32_t icu_offset(UCalendar *cal, int64_t t)
{
    UErrorCode st = U_ZERO_ERROR;
    ucal_setMillis(cal, (UDate)t * 1000.0, &st);
    int32_t ms = ucal_get(cal, UCAL_ZONE_OFFSET, &st) + ucal_get(cal, UCAL_DST_OFFSET, &st);
    assert_true(U_SUCCESS(st));
    return ms / 1000 - (ms % 1000 < 0);
}

static int64_t icu_local_to_utc(UCalendar *cal, int64_t local)
{
    int64_t days = local >= 0 ? local / BL_DAY_SECS : -((-local + 86399) / BL_DAY_SECS);
    int sod = (int)(local - days * BL_DAY_SECS);
    int y, m, d;
    bl_civil_from_days(days, &y, &m, &d);
    UErrorCode st = U_ZERO_ERROR;
    ucal_clear(cal);
    ucal_setDateTime(cal, y, m - 1, d, sod / 3600, sod / 60 % 60, sod % 60, &st);
    UDate ms = ucal_getMillis(cal, &st);
    assert_true(U_SUCCESS(st));
    return (int64_t)(ms / 1000.0);
}

static void check_zone_against_icu(const char *name)
{
    struct bl_tz *z = load(name);
    UCalendar *cal = icu_open(name);

    /* Offsets at instants spread over the table's span. */
    for (int64_t t = utc(1900, 1, 1, 0, 0, 0); t < utc(2200, 1, 1, 0, 0, 0); t += 86413 * 7)
        if (bl_tz_offset(z, t) != icu_offset(cal, t))
            fail_msg("%s at %lld: %d, ICU %d", name, (long long)t, bl_tz_offset(z, t),
                     icu_offset(cal, t));

    /* Around every transition: offsets on both sides, and local readings. */
    UErrorCode st = U_ZERO_ERROR;
    UCalendar *walk = icu_open(name);
    ucal_setMillis(walk, -2208988800000.0, &st);
    UDate when;
    int count = 0;
    while (ucal_getTimeZoneTransitionDate(walk, UCAL_TZ_TRANSITION_NEXT, &when, &st) &&
           when < 7258118400000.0) {
        ucal_setMillis(walk, when, &st);
        int64_t t = (int64_t)(when / 1000.0);
        assert_int_equal(bl_tz_offset(z, t), icu_offset(cal, t));
        assert_int_equal(bl_tz_offset(z, t - 1), icu_offset(cal, t - 1));
        int64_t lo = t + bl_tz_offset(z, t - 1), hi = t + bl_tz_offset(z, t);
        if (lo > hi) {
            int64_t x = lo;
            lo = hi;
            hi = x;
        }
        /* Every 421 s from 2 h before to 2 h after, and each edge exactly. */
        int64_t edges[6] = {lo - 1, lo, lo + 1, hi - 1, hi, hi + 1};
        int64_t l = lo - 2 * H;
        for (int k = 0; l <= hi + 2 * H || k < 6; k++) {
            int64_t at = k < 6 ? edges[k] : l;
            if (k >= 6)
                l += 421;
            int64_t mine = bl_tz_local_to_utc(z, at);
            int64_t icu = icu_local_to_utc(cal, at);
            if (mine != icu)
                fail_msg("%s local %lld near %lld: %lld, ICU %lld", name, (long long)at,
                         (long long)t, (long long)mine, (long long)icu);
        }
        count++;
    }
    assert_true(U_SUCCESS(st));
    assert_true(count > 0 || strcmp(name, "UTC") == 0);
    ucal_close(walk);
    ucal_close(cal);
    bl_tz_free(z);
}

static void test_tz_against_icu(void **state)
{
    (void)state;
    static const char *const zones[] = {"America/Sao_Paulo",
                                        "Asia/Shanghai",
                                        "Europe/London",
                                        "America/New_York",
                                        "Pacific/Apia",
                                        "Australia/Lord_Howe",
                                        "Asia/Kolkata",
                                        "Africa/Monrovia",
                                        "America/St_Johns",
                                        "Antarctica/Troll",
                                        "Pacific/Kiritimati",
                                        "Europe/Dublin",
                                        "UTC"};
    for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
        check_zone_against_icu(zones[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_civil_known),
        cmocka_unit_test(test_civil_every_day),
        cmocka_unit_test(test_date_valid),
        cmocka_unit_test(test_weekday),
        cmocka_unit_test(test_parse_shapes),
        cmocka_unit_test(test_parse_shape_errors),
        cmocka_unit_test(test_parse_range_errors),
        cmocka_unit_test(test_date_parse),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_tz_utc),
        cmocka_unit_test(test_tz_sao_paulo),
        cmocka_unit_test(test_tz_shanghai),
        cmocka_unit_test(test_tz_london),
        cmocka_unit_test(test_tz_unknown),
        cmocka_unit_test(test_tz_alloc_failure),
        cmocka_unit_test(test_tz_against_icu),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
