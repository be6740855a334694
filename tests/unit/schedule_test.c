/* schedule_test.c - when an organisation's daily cycle runs next (schedule.h): its local
 * time in its zone, DST gaps and repeats, zones ahead of UTC, a server down for days, a
 * schedule set after the day's time, the retries' backoff. */
#include <string.h>

#include "testutil.h"
#include "ballast/schedule.h"

#define H INT64_C(3600)
#define M INT64_C(60)

static int64_t day_of(int y, int m, int d)
{
    return bl_days_from_civil(y, m, d);
}

static int64_t utc(int y, int mo, int d, int h, int mi)
{
    return day_of(y, mo, d) * BL_DAY_SECS + h * H + mi * M;
}

static struct bl_tz *load(const char *name)
{
    struct bl_tz *tz = NULL;
    struct bl_diag d;
    bl_diag_clear(&d);
    assert_int_equal(bl_tz_load(&tz, name, &d), BL_OK);
    return tz;
}

/* The next run of a schedule set long ago, last run on last_day. */
static struct bl_sched_next next_of(struct bl_tz *tz, int at, int64_t last_day, int64_t now)
{
    struct bl_sched s = {tz, at, utc(2020, 1, 1, 0, 0), last_day};
    struct bl_sched_next n;
    bl_sched_next(&s, now, &n);
    return n;
}

static void test_spring_forward_new_york(void **state)
{
    (void)state;
    struct bl_tz *tz = load("America/New_York");
    /* 2025-03-09: 02:00 EST becomes 03:00 EDT; 02:30 does not exist */
    enum bl_sched_local k;
    int64_t at = bl_sched_at(tz, 2 * 60 + 30, day_of(2025, 3, 9), &k);
    assert_int_equal(k, BL_SCHED_GAP);
    assert_int_equal(at, utc(2025, 3, 9, 7, 0)); /* 03:00 EDT, the first instant after */
    struct bl_sched_next n = next_of(tz, 150, day_of(2025, 3, 8), utc(2025, 3, 9, 6, 59));
    assert_false(n.due);
    assert_int_equal(n.day, day_of(2025, 3, 9));
    assert_int_equal(n.at, utc(2025, 3, 9, 7, 0));
    n = next_of(tz, 150, day_of(2025, 3, 8), utc(2025, 3, 9, 7, 0));
    assert_true(n.due);
    /* the day after, 02:30 exists again (EDT) */
    assert_int_equal(bl_sched_at(tz, 150, day_of(2025, 3, 10), &k), utc(2025, 3, 10, 6, 30));
    assert_int_equal(k, BL_SCHED_EXACT);
    bl_tz_free(tz);
}

static void test_spring_forward_berlin(void **state)
{
    (void)state;
    struct bl_tz *tz = load("Europe/Berlin");
    /* 2025-03-30: 02:00 CET becomes 03:00 CEST (01:00Z) */
    enum bl_sched_local k;
    assert_int_equal(bl_sched_at(tz, 150, day_of(2025, 3, 30), &k), utc(2025, 3, 30, 1, 0));
    assert_int_equal(k, BL_SCHED_GAP);
    assert_int_equal(bl_sched_at(tz, 150, day_of(2025, 3, 29), &k), utc(2025, 3, 29, 1, 30));
    assert_int_equal(k, BL_SCHED_EXACT);
    bl_tz_free(tz);
}

static void test_fall_back_runs_once(void **state)
{
    (void)state;
    struct bl_tz *tz = load("America/New_York");
    /* 2025-11-02: 02:00 EDT becomes 01:00 EST; 01:30 comes twice (05:30Z, 06:30Z) */
    int64_t day = day_of(2025, 11, 2);
    enum bl_sched_local k;
    assert_int_equal(bl_sched_at(tz, 90, day, &k), utc(2025, 11, 2, 5, 30));
    assert_int_equal(k, BL_SCHED_TWICE);
    struct bl_sched_next n = next_of(tz, 90, day - 1, utc(2025, 11, 2, 5, 30));
    assert_true(n.due);
    assert_int_equal(n.day, day);
    /* run once: at the second 01:30 the day has had its run; the next is tomorrow's */
    n = next_of(tz, 90, day, utc(2025, 11, 2, 6, 30));
    assert_false(n.due);
    assert_int_equal(n.day, day + 1);
    assert_int_equal(n.at, utc(2025, 11, 3, 6, 30)); /* 01:30 EST */
    /* the same in Berlin: 2025-10-26, 03:00 CEST becomes 02:00 CET; 02:30 twice */
    struct bl_tz *be = load("Europe/Berlin");
    assert_int_equal(bl_sched_at(be, 150, day_of(2025, 10, 26), &k), utc(2025, 10, 26, 0, 30));
    assert_int_equal(k, BL_SCHED_TWICE);
    n = next_of(be, 150, day_of(2025, 10, 26), utc(2025, 10, 26, 1, 30));
    assert_false(n.due);
    assert_int_equal(n.day, day_of(2025, 10, 27));
    bl_tz_free(be);
    bl_tz_free(tz);
}

static void test_zones_ahead_of_utc(void **state)
{
    (void)state;
    struct bl_tz *sh = load("Asia/Shanghai");
    /* 06:30 on 2024-11-15 in Shanghai (+08) is 22:30Z on the 14th */
    struct bl_sched_next n = next_of(sh, 390, day_of(2024, 11, 14), utc(2024, 11, 14, 22, 29));
    assert_false(n.due);
    assert_int_equal(n.day, day_of(2024, 11, 15));
    assert_int_equal(n.at, utc(2024, 11, 14, 22, 30));
    n = next_of(sh, 390, day_of(2024, 11, 14), utc(2024, 11, 14, 22, 30));
    assert_true(n.due);
    assert_int_equal(n.day, day_of(2024, 11, 15));
    assert_int_equal(n.missed, 0);
    /* Auckland in summer (+13): 06:30 on the 15th is 17:30Z on the 14th */
    struct bl_tz *ak = load("Pacific/Auckland");
    n = next_of(ak, 390, day_of(2024, 11, 14), utc(2024, 11, 14, 18, 0));
    assert_true(n.due);
    assert_int_equal(n.day, day_of(2024, 11, 15));
    assert_int_equal(n.at, utc(2024, 11, 14, 17, 30));
    /* ... and in winter (+12): 18:30Z the day before */
    assert_int_equal(bl_sched_at(ak, 390, day_of(2024, 7, 15), NULL), utc(2024, 7, 14, 18, 30));
    /* Auckland's spring forward, 2024-09-29 02:00 NZST -> 03:00 NZDT (14:00Z on the 28th) */
    enum bl_sched_local k;
    assert_int_equal(bl_sched_at(ak, 150, day_of(2024, 9, 29), &k), utc(2024, 9, 28, 14, 0));
    assert_int_equal(k, BL_SCHED_GAP);
    bl_tz_free(ak);
    bl_tz_free(sh);
}

static void test_down_three_days(void **state)
{
    (void)state;
    struct bl_tz *sh = load("Asia/Shanghai");
    int64_t d = day_of(2024, 11, 15);
    /* last run on the 11th; the server is back on the 15th at 10:00 local: today's run,
     * once, and the 12th..14th missed */
    struct bl_sched_next n = next_of(sh, 390, d - 4, utc(2024, 11, 15, 2, 0));
    assert_true(n.due);
    assert_int_equal(n.day, d);
    assert_int_equal(n.missed, 3);
    /* back at 05:00 local, before today's time: no catch-up run; today's at 06:30 */
    n = next_of(sh, 390, d - 4, utc(2024, 11, 14, 21, 0));
    assert_false(n.due);
    assert_int_equal(n.day, d);
    assert_int_equal(n.at, utc(2024, 11, 14, 22, 30));
    assert_int_equal(n.missed, 3);
    /* after today's run: tomorrow, nothing missed */
    n = next_of(sh, 390, d, utc(2024, 11, 15, 2, 0));
    assert_false(n.due);
    assert_int_equal(n.day, d + 1);
    assert_int_equal(n.missed, 0);
    bl_tz_free(sh);
}

static void test_set_after_the_time(void **state)
{
    (void)state;
    struct bl_tz *sh = load("Asia/Shanghai");
    int64_t d = day_of(2024, 11, 15);
    /* set at 10:00 local for 06:30, never run: the first run is tomorrow's */
    struct bl_sched s = {sh, 390, utc(2024, 11, 15, 2, 0), BL_SCHED_NEVER};
    struct bl_sched_next n;
    bl_sched_next(&s, utc(2024, 11, 15, 3, 0), &n);
    assert_false(n.due);
    assert_int_equal(n.day, d + 1);
    assert_int_equal(n.missed, 0);
    /* set at 05:00 local: today's */
    s.since = utc(2024, 11, 14, 21, 0);
    bl_sched_next(&s, utc(2024, 11, 15, 3, 0), &n);
    assert_true(n.due);
    assert_int_equal(n.day, d);
    /* set on the 10th, never run (the server was off since): today's, 4 days missed */
    s.since = utc(2024, 11, 10, 0, 0);
    bl_sched_next(&s, utc(2024, 11, 15, 3, 0), &n);
    assert_true(n.due);
    assert_int_equal(n.missed, 4);
    bl_tz_free(sh);
}

static void test_retry_backoff(void **state)
{
    (void)state;
    int64_t next = 0, t = 1000000;
    int64_t want[] = {1, 2, 4, 8, 16};
    for (int a = 1; a < BL_SCHED_ATTEMPTS; a++) {
        assert_true(bl_sched_retry(a, t, &next));
        assert_int_equal(next - t, want[a - 1] * 60);
    }
    assert_false(bl_sched_retry(BL_SCHED_ATTEMPTS, t, &next)); /* given up for the day */
    assert_false(bl_sched_retry(0, t, &next));
}

static void test_parse_at(void **state)
{
    (void)state;
    struct bl_diag d;
    bl_diag_clear(&d);
    int at = -1;
    assert_int_equal(bl_sched_parse_at(bl_str_c("06:30"), &at, &d), BL_OK);
    assert_int_equal(at, 390);
    assert_int_equal(bl_sched_parse_at(bl_str_c("6:05"), &at, &d), BL_OK);
    assert_int_equal(at, 365);
    assert_int_equal(bl_sched_parse_at(bl_str_c("23:59"), &at, &d), BL_OK);
    assert_int_equal(at, 1439);
    const char *bad[] = {"24:00", "12:60", "0630", "6.30", "", "06:30:00", "ab:cd", "-1:00"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        bl_diag_clear(&d);
        assert_int_equal(bl_sched_parse_at(bl_str_c(bad[i]), &at, &d), BL_EPARSE);
        assert_non_null(strstr(d.msg, "HH:MM"));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spring_forward_new_york),
        cmocka_unit_test(test_spring_forward_berlin),
        cmocka_unit_test(test_fall_back_runs_once),
        cmocka_unit_test(test_zones_ahead_of_utc),
        cmocka_unit_test(test_down_three_days),
        cmocka_unit_test(test_set_after_the_time),
        cmocka_unit_test(test_retry_backoff),
        cmocka_unit_test(test_parse_at),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
