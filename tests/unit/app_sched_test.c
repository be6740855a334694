/* app_sched_test.c - the daily cycle on a schedule (src/app/sched.h, store/sched.h) on
 * SQLite and PostgreSQL: the setting and its refusals; a day's run claimed once by two
 * connections; a failed attempt taken up again only by one, at its count; a scheduler pass
 * runs a due cycle once, and another pass (another server) runs nothing; a cycle asked to
 * stop stops between two steps and the next run completes it.
 *
 * Every test gets a fresh SQLite file, or a PostgreSQL schema of its own; under ctest the
 * "pg" fixture starts the server and BL_PG_URL_FILE names its URL (else that group is
 * skipped with a message).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "app/cycle.h"
#include "app/data.h"
#include "app/digest.h"
#include "app/sched.h"
#include "store/sched.h"

static struct bl_test_env env_sqlite;
static struct bl_test_env env_pg;

/* 2024-11-14T12:00:00Z: 20:00 in Shanghai; the next 06:30 there is 2024-11-14T22:30:00Z */
static const int64_t NOW = 1731585600;
static const int64_t DUE = 1731623400;

static int setup_sqlite(void **state)
{
    return bl_test_env_setup_sqlite(state, &env_sqlite, "app_sched_test");
}

static int setup_pg(void **state)
{
    return bl_test_env_setup_pg(state, &env_pg, "app_sched_test");
}

static int64_t init_org(struct bl_test_env *e, const char *name)
{
    struct bl_app_init_req req = {name};
    struct bl_app_init_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_app_init(e->st, &req, &res, &d), &d);
    return res.org_id;
}

static int set(struct bl_test_env *e, int64_t org, const char *at, const char *tz, bool off,
               struct bl_app_schedule *res, struct bl_diag *d)
{
    struct bl_app_schedule_req req = {at, tz, off, NOW};
    bl_diag_clear(d);
    return bl_app_org_schedule_set(e->st, org, &req, res, d);
}

static void test_setting(void **state)
{
    struct bl_test_env *e = *state;
    int64_t org = init_org(e, "default");
    struct bl_app_schedule s;
    struct bl_diag d;
    BL_ASSERT_OK(bl_app_org_schedule(e->st, org, NOW, &s, &d), &d);
    assert_false(s.on); /* off by default */
    assert_int_equal(set(e, org, "06:30", NULL, false, &s, &d), BL_EINVAL);
    assert_int_equal(s.why, BL_SCHEDULE_NEED_TZ);
    assert_string_equal(d.field, "cycle_tz");
    assert_int_equal(set(e, org, "6h30", "Asia/Shanghai", false, &s, &d), BL_EINVAL);
    assert_int_equal(s.why, BL_SCHEDULE_BAD_AT);
    assert_string_equal(d.field, "cycle_at");
    assert_int_equal(set(e, org, "06:30", "Asia/Shangai", false, &s, &d), BL_EINVAL);
    assert_int_equal(s.why, BL_SCHEDULE_BAD_TZ);
    assert_int_equal(set(e, org, NULL, NULL, false, &s, &d), BL_EINVAL);
    assert_int_equal(s.why, BL_SCHEDULE_NOTHING);
    BL_ASSERT_OK(bl_app_org_schedule(e->st, org, NOW, &s, &d), &d);
    assert_false(s.on); /* the refusals changed nothing */
    BL_ASSERT_OK(set(e, org, "06:30", "Asia/Shanghai", false, &s, &d), &d);
    assert_true(s.on);
    assert_int_equal(s.at_min, 390);
    assert_string_equal(s.tz, "Asia/Shanghai");
    assert_int_equal(s.next_at, DUE);
    assert_false(s.next_due);
    /* the zone alone: the time stays */
    BL_ASSERT_OK(set(e, org, NULL, "Europe/Berlin", false, &s, &d), &d);
    assert_int_equal(s.at_min, 390);
    assert_string_equal(s.tz, "Europe/Berlin");
    BL_ASSERT_OK(set(e, org, NULL, NULL, true, &s, &d), &d);
    assert_false(s.on);
}

static struct bl_sched_run run_of(int64_t org, const char *runner)
{
    return (struct bl_sched_run){.org = org,
                                 .day = 20041,
                                 .due_at = DUE,
                                 .as_of = DUE,
                                 .claimed_at = DUE,
                                 .runner = bl_str_c(runner)};
}

static int attempt_row(void *ctx, const struct bl_sched_attempt *a)
{
    char *out = ctx;
    size_t n = strlen(out);
    snprintf(out + n, 200 - n, "%lld:%.*s ", (long long)a->attempt, (int)a->outcome.len,
             a->outcome.ptr);
    return 0;
}

static void test_claim_once(void **state)
{
    struct bl_test_env *e = *state;
    int64_t org = init_org(e, "default");
    struct bl_store *other = bl_test_env_open(e);
    struct bl_diag d;
    bl_diag_clear(&d);
    bool a = false, b = false;
    struct bl_sched_run r1 = run_of(org, "host-a:1"), r2 = run_of(org, "host-b:2");
    BL_ASSERT_OK(bl_store_sched_claim(e->st, &r1, &a, &d), &d);
    BL_ASSERT_OK(bl_store_sched_claim(other, &r2, &b, &d), &d);
    assert_true(a);
    assert_false(b); /* one server runs a day */
    struct bl_sched_end end = {.attempt = 1,
                               .now = DUE + 60,
                               .next_at = DUE + 120,
                               .outcome = "failed",
                               .step = "route",
                               .error = "boom",
                               .state = "retrying"};
    BL_ASSERT_OK(bl_store_sched_end(e->st, org, 20041, &end, &d), &d);
    /* the retry: taken by one, at the count it was found with */
    BL_ASSERT_OK(
        bl_store_sched_retake(other, org, 20041, "retrying", 2, "host-b:2", DUE + 120, &b, &d), &d);
    assert_false(b); /* a stale count: someone took it first */
    BL_ASSERT_OK(
        bl_store_sched_retake(other, org, 20041, "retrying", 1, "host-b:2", DUE + 120, &b, &d), &d);
    BL_ASSERT_OK(
        bl_store_sched_retake(e->st, org, 20041, "retrying", 1, "host-a:1", DUE + 120, &a, &d), &d);
    assert_true(b);
    assert_false(a);
    char seen[200] = "";
    BL_ASSERT_OK(bl_store_sched_attempts(e->st, org, 20041, attempt_row, seen, &d), &d);
    assert_string_equal(seen, "1:failed 2:running ");
    bl_store_close(other);
}

static int64_t fixed_clock(void *ctx)
{
    return *(int64_t *)ctx;
}

static struct bl_app_sched_tick_res tick(struct bl_store *st, int64_t *now)
{
    struct bl_app_sched_tick_req req = {.clock = fixed_clock, .clock_ctx = now, .no_digest = true};
    struct bl_app_sched_tick_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_app_sched_tick(st, &req, &res, &d), &d);
    return res;
}

static void test_tick_runs_once(void **state)
{
    struct bl_test_env *e = *state;
    int64_t org = init_org(e, "default");
    struct bl_app_schedule s;
    struct bl_diag d;
    BL_ASSERT_OK(set(e, org, "06:30", "Asia/Shanghai", false, &s, &d), &d);
    int64_t now = DUE - 30;
    struct bl_app_sched_tick_res r = tick(e->st, &now);
    assert_int_equal(r.counts[BL_SCHED_RAN], 0);
    assert_int_equal(r.next_at, DUE); /* wake at its time */
    now = DUE + 5;
    r = tick(e->st, &now);
    assert_int_equal(r.counts[BL_SCHED_RAN], 1);
    r = tick(e->st, &now);
    assert_int_equal(r.counts[BL_SCHED_RAN], 0);
    struct bl_store *other = bl_test_env_open(e);
    now = DUE + 3600; /* another server, later that day */
    r = tick(other, &now);
    assert_int_equal(r.counts[BL_SCHED_RAN], 0);
    assert_int_equal(r.next_at, DUE + 86400); /* tomorrow's */
    bl_store_close(other);
    BL_ASSERT_OK(bl_app_org_schedule(e->st, org, now, &s, &d), &d);
    assert_true(s.have_last);
    assert_string_equal(s.last_state, "done");
    assert_int_equal(s.last_attempts, 1);
    assert_int_equal(s.last_as_of, DUE + 5);
    assert_true(s.last_cycle > 0);
}

static int step_row(void *ctx, const struct bl_sched_attempt *a)
{
    char *out = ctx;
    size_t n = strlen(out);
    snprintf(out + n, 300 - n, "%.*s/%.*s ", (int)a->outcome.len, a->outcome.ptr, (int)a->step.len,
             a->step.ptr);
    return 0;
}

/* The templates are missing: the messages step fails at every attempt, retried after 1,
 * 2, 4, 8 and 16 minutes, then the day is given up. */
static void test_retry_then_give_up(void **state)
{
    struct bl_test_env *e = *state;
    int64_t org = init_org(e, "default");
    struct bl_app_schedule s;
    struct bl_diag d;
    BL_ASSERT_OK(set(e, org, "06:30", "Asia/Shanghai", false, &s, &d), &d);
    setenv("BALLAST_TEMPLATES", "/nonexistent/ballast-templates", 1);
    int64_t now = DUE + 5;
    int64_t waits[] = {60, 120, 240, 480, 960};
    struct bl_app_sched_tick_res r;
    for (int i = 0; i < 5; i++) {
        r = tick(e->st, &now);
        assert_int_equal(r.counts[BL_SCHED_FAILED], 1);
        assert_int_equal(r.counts[BL_SCHED_GAVE_UP], 0);
        r = tick(e->st, &now); /* the pass after: nothing, and the retry's time */
        assert_int_equal(r.counts[BL_SCHED_FAILED], 0);
        assert_int_equal(r.next_at, now + waits[i]);
        int64_t early = r.next_at - 1; /* not before its time */
        assert_int_equal(tick(e->st, &early).counts[BL_SCHED_FAILED], 0);
        now = r.next_at;
    }
    r = tick(e->st, &now);
    assert_int_equal(r.counts[BL_SCHED_FAILED], 1);
    assert_int_equal(r.counts[BL_SCHED_GAVE_UP], 1);
    now += 3600;
    r = tick(e->st, &now);
    assert_int_equal(r.counts[BL_SCHED_FAILED] + r.counts[BL_SCHED_RAN], 0);
    unsetenv("BALLAST_TEMPLATES");
    BL_ASSERT_OK(bl_app_org_schedule(e->st, org, now, &s, &d), &d);
    assert_string_equal(s.last_state, "given_up");
    assert_int_equal(s.last_attempts, 6);
    char seen[300] = "";
    BL_ASSERT_OK(bl_store_sched_attempts(e->st, org, 20042, step_row, seen, &d), &d);
    assert_string_equal(seen, "failed/messages failed/messages failed/messages failed/messages "
                              "failed/messages failed/messages ");
    /* the next day runs again, the templates back */
    now = DUE + 86400;
    r = tick(e->st, &now);
    assert_int_equal(r.counts[BL_SCHED_RAN], 1);
}

static int done_env(void **state)
{
    unsetenv("BALLAST_TEMPLATES");
    return bl_test_env_done(state);
}

static void test_stop_between_steps(void **state)
{
    struct bl_test_env *e = *state;
    int64_t org = init_org(e, "default");
    atomic_bool stop;
    atomic_init(&stop, true);
    struct bl_app_cycle_req req = {.as_of = DUE, .day = 20042, .now = DUE, .stop = &stop};
    struct bl_app_cycle_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_app_cycle(e->st, org, &req, &res, &d), &d);
    assert_true(res.stopped);
    assert_int_equal(res.nsteps, 0);
    int64_t id = res.cycle_id;
    bl_app_cycle_res_release(&res);
    atomic_store(&stop, false);
    BL_ASSERT_OK(bl_app_cycle(e->st, org, &req, &res, &d), &d);
    assert_false(res.stopped);
    assert_true(res.resumed); /* the stopped cycle, completed */
    assert_int_equal(res.cycle_id, id);
    assert_int_equal(res.nsteps, 12); /* with the watch step (issue 19), the retention */
    bl_app_cycle_res_release(&res);
}

/* The digest of a scheduled cycle, in both languages: its time, the days missed, each
 * failed attempt (step and why) and that it was retried. */
static void test_digest_note(void **state)
{
    (void)state;
    struct bl_app_cycle_req req = {.as_of = DUE, .day = 20042, .tz = "Asia/Shanghai"};
    struct bl_app_cycle_res res;
    memset(&res, 0, sizeof(res));
    res.cycle_id = 7;
    struct bl_app_sched_note note = {
        .at_min = 390, .tz = "Asia/Shanghai", .missed = 2, .attempts = 2, .nfailed = 1};
    note.failed[0].attempt = 1;
    snprintf(note.failed[0].step, sizeof(note.failed[0].step), "route");
    snprintf(note.failed[0].error, sizeof(note.failed[0].error), "the store was locked");
    struct bl_app_digest_in in = {"default", &req, &res, &note};
    const char *want[2][3] = {
        {"On schedule: every day at 06:30 (Asia/Shanghai). The server was not running on the 2",
         "- Attempt 1: routing open orders failed (the store was locked); tried again.",
         "- Done at attempt 2"},
        {"按计划运行：每天 06:30（Asia/Shanghai）。此前 2 天服务器未运行", "- 第 1 次尝试：",
         "已重试"}};
    const char *locales[2] = {"en", "zh-CN"};
    for (int i = 0; i < 2; i++) {
        struct bl_buf subject = BL_BUF_INIT, body = BL_BUF_INIT;
        struct bl_diag d;
        bl_diag_clear(&d);
        BL_ASSERT_OK(bl_app_digest_render(NULL, locales[i], &in, &subject, &body, &d), &d);
        for (int k = 0; k < 3; k++)
            if (!strstr(bl_buf_cstr(&body), want[i][k]))
                fail_msg("%s digest lacks '%s':\n%s", locales[i], want[i][k], bl_buf_cstr(&body));
        bl_buf_release(&subject);
        bl_buf_release(&body);
    }
    /* given up: said, and how to complete it */
    note.given_up = true;
    note.attempts = 6;
    struct bl_buf subject = BL_BUF_INIT, body = BL_BUF_INIT;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_app_digest_render(NULL, "en", &in, &subject, &body, &d), &d);
    assert_non_null(strstr(bl_buf_cstr(&body), "Given up for today after 6 attempts"));
    assert_null(strstr(bl_buf_cstr(&body), "tried again."));
    bl_buf_release(&subject);
    bl_buf_release(&body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        BL_TEST_FRESH(test_setting),
        BL_TEST_FRESH(test_claim_once),
        BL_TEST_FRESH(test_tick_runs_once),
        BL_TEST_FRESH(test_stop_between_steps),
        cmocka_unit_test_setup_teardown(test_retry_then_give_up, bl_test_env_fresh, done_env),
        cmocka_unit_test(test_digest_note),
    };
    int failed =
        cmocka_run_group_tests_name("app_sched/sqlite", tests, setup_sqlite, bl_test_env_teardown);
    if (!getenv("BL_PG_URL_FILE")) {
        fprintf(stderr, "app_sched_test: BL_PG_URL_FILE is not set; skipping the PostgreSQL "
                        "tests (see the top of tests/unit/app_sched_test.c)\n");
        return failed;
    }
    env_pg.url = bl_test_pg_url();
    if (!env_pg.url) {
        fprintf(stderr, "app_sched_test: cannot read the PostgreSQL URL from BL_PG_URL_FILE=%s\n",
                getenv("BL_PG_URL_FILE"));
        return 1;
    }
    failed +=
        cmocka_run_group_tests_name("app_sched/postgres", tests, setup_pg, bl_test_env_teardown);
    free(env_pg.url);
    return failed;
}
