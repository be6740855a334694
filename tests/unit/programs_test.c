/* programs_test.c - support programmes (programs.h): the file format and its errors, who
 * is a member as of when (conditions met in any order, the day after the last one, a
 * merchant that stops qualifying, a linked account, a region dropped from coverage), and
 * a budget divided (in proportion, the cap, exact sums, rounding). */
#include <string.h>

#include "testutil.h"
#include "ballast/assess.h" /* BL_NO_TIME */
#include "ballast/programs.h"

#define DAY INT64_C(86400)
#define D(n) ((n)*DAY) /* the start of day n */

static const char creator[] =
    "{\"id\": \"new-creator\", \"name\": {\"en\": \"New creator plan\", \"zh-CN\": "
    "\"作者护航计划\"},\n"
    " \"conditions\": [{\"fact\": \"first_opening\"}, {\"fact\": \"deposit_paid\"},\n"
    "   {\"fact\": \"sharing\"}, {\"fact\": \"no_violation\", \"linked\": true}],\n"
    " \"benefits\": [{\"kind\": \"deposit_waiver\", \"amount\": \"500.00\", \"currency\": "
    "\"CNY\"}]}";

static const char resumption[] =
    "{\"id\": \"resumption\", \"name\": {\"en\": \"Resumption plan\", \"zh-CN\": \"复产\"},\n"
    " \"conditions\": [{\"fact\": \"no_violation\"}],\n"
    " \"coverage\": {\"disruption_kinds\": [\"lockdown\"]},\n"
    " \"benefits\": [{\"kind\": \"traffic_subsidy\", \"amount\": \"1000.00\", \"currency\": "
    "\"CNY\", \"share\": \"sales_before\", \"sales_days\": 30, \"cap\": \"400.00\"}]}";

static void parse_ok(const char *text, struct bl_program *p)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_program_parse(text, strlen(text), "p.json", p, &d), &d);
}

static void test_parse(void **state)
{
    (void)state;
    struct bl_program p;
    parse_ok(creator, &p);
    assert_string_equal(p.id, "new-creator");
    assert_string_equal(p.name_zh, "作者护航计划");
    assert_int_equal(p.nconds, 4);
    assert_true(p.linked);
    assert_false(p.coverage);
    assert_int_equal(p.benefits[0].kind, BL_PG_WAIVER);
    assert_int_equal(p.benefits[0].amount, 50000);
    parse_ok(resumption, &p);
    assert_true(p.coverage);
    assert_int_equal(p.nkinds, 1);
    assert_int_equal(p.benefits[0].rule, BL_PG_BY_SALES);
    assert_int_equal(p.benefits[0].cap, 40000);
    assert_int_equal(p.benefits[0].sales_days, 30);
}

/* A bad file: the field (or line) and what was expected. */
static void bad(const char *text, const char *field, int64_t line, const char *words)
{
    struct bl_program p;
    struct bl_diag d;
    bl_diag_clear(&d);
    assert_int_equal(bl_program_parse(text, strlen(text), "bad.json", &p, &d), BL_EPARSE);
    assert_string_equal(d.file, "bad.json");
    if (field)
        assert_string_equal(d.field, field);
    if (line)
        assert_int_equal(d.line, line);
    if (!strstr(d.msg, words))
        fail_msg("'%s' lacks '%s'", d.msg, words);
}

static void test_parse_errors(void **state)
{
    (void)state;
    bad("{\"id\": \"x\",\n \"name\": }", NULL, 2, "column");
    bad("[]", "", 0, "a JSON object");
    bad("{\"id\": \"X y\"}", "id", 0, "lower-case letters");
    bad("{\"id\": \"x\", \"nmae\": 1}", "nmae", 0, "unknown field");
    bad("{\"id\": \"x\", \"name\": {\"en\": \"X\"}}", "name.zh-CN", 0, "English and Chinese");
    const char *head = "{\"id\": \"x\", \"name\": {\"en\": \"X\", \"zh-CN\": \"X\"}, ";
    char t[1000];
    snprintf(t, sizeof(t), "%s\"conditions\": [{\"fact\": \"opened\"}], \"benefits\": []}", head);
    bad(t, "conditions[0].fact", 0, "first_opening, deposit_paid, sharing or no_violation");
    snprintf(t, sizeof(t), "%s\"conditions\": [{\"fact\": \"sharing\", \"linked\": true}]}", head);
    bad(t, "conditions[0].linked", 0, "no_violation only");
    snprintf(t, sizeof(t), "%s\"coverage\": {\"disruption_kinds\": [\"flood\"]}}", head);
    bad(t, "coverage.disruption_kinds[0]", 0, "a kind of disruption");
    snprintf(t, sizeof(t),
             "%s\"coverage\": {}, \"benefits\": [{\"kind\": \"traffic_subsidy\", "
             "\"amount\": \"-1\", \"currency\": \"BRL\"}]}",
             head);
    bad(t, "benefits[0].amount", 0, "a positive amount in BRL");
    snprintf(t, sizeof(t),
             "%s\"coverage\": {}, \"benefits\": [{\"kind\": \"traffic_subsidy\", "
             "\"amount\": \"1.001\", \"currency\": \"BRL\"}]}",
             head);
    bad(t, "benefits[0].amount", 0, "a positive amount");
    snprintf(t, sizeof(t),
             "%s\"coverage\": {}, \"benefits\": [{\"kind\": \"traffic_subsidy\", "
             "\"amount\": \"1\", \"currency\": \"XYZ\"}]}",
             head);
    bad(t, "benefits[0].currency", 0, "ISO 4217");
    snprintf(t, sizeof(t),
             "%s\"conditions\": [{\"fact\": \"sharing\"}], \"benefits\": "
             "[{\"kind\": \"traffic_subsidy\", \"amount\": \"1\", \"currency\": \"BRL\"}]}",
             head);
    bad(t, "benefits[0]", 0, "needs a coverage");
    snprintf(t, sizeof(t),
             "%s\"benefits\": [{\"kind\": \"deposit_waiver\", \"amount\": \"1\", "
             "\"currency\": \"BRL\"}]}",
             head);
    bad(t, "conditions", 0, "every merchant would qualify");
    snprintf(t, sizeof(t),
             "%s\"conditions\": [{\"fact\": \"sharing\"}, {\"fact\": "
             "\"sharing\"}]}",
             head);
    bad(t, "conditions[1].fact", 0, "listed twice");
}

static struct bl_pg_merchant merchant(int64_t id)
{
    return (struct bl_pg_merchant){.id = id,
                                   .region = "CN-SH",
                                   .opened_at = BL_NO_TIME,
                                   .deposit_paid_at = BL_NO_TIME,
                                   .sharing_at = BL_NO_TIME,
                                   .violation_at = BL_NO_TIME,
                                   .first_order = BL_NO_TIME};
}

static struct bl_pg_verdict one(const struct bl_program *p, const struct bl_pg_merchant *m,
                                size_t n, size_t i, int64_t as_of)
{
    struct bl_pg_verdict v[8];
    bl_pg_eval(p, m, n, NULL, 0, as_of, v);
    return v[i];
}

/* The conditions met in any order: a member from the day after the last one. */
static void test_orders_of_conditions(void **state)
{
    (void)state;
    struct bl_program p;
    parse_ok(creator, &p);
    int64_t at[3][3] = {{D(10), D(11) + 5, D(12) + 3600}, /* opened, paid, sharing */
                        {D(12) + 3600, D(10), D(11)},
                        {D(11), D(12) + 3600, D(10) + 7}};
    for (size_t k = 0; k < 3; k++) {
        struct bl_pg_merchant m = merchant(1);
        m.opened_at = at[k][0];
        m.deposit_paid_at = at[k][1];
        m.sharing_at = at[k][2];
        struct bl_pg_verdict v = one(&p, &m, 1, 0, D(12) + 7200); /* the same day */
        assert_int_equal(v.reason, BL_PG_PENDING);
        assert_int_equal(v.met_at, D(12) + 3600);
        assert_int_equal(v.since, D(13));
        v = one(&p, &m, 1, 0, D(13) - 1);
        assert_int_equal(v.reason, BL_PG_PENDING);
        v = one(&p, &m, 1, 0, D(13)); /* the next day: a member */
        assert_int_equal(v.reason, BL_PG_OK);
        assert_int_equal(v.since, D(13));
    }
    /* before the last condition: the first unmet one, in the programme's order */
    struct bl_pg_merchant m = merchant(1);
    m.opened_at = D(10);
    assert_int_equal(one(&p, &m, 1, 0, D(20)).reason, BL_PG_DEPOSIT_UNPAID);
    m.deposit_paid_at = D(21); /* recorded, but after the as-of */
    assert_int_equal(one(&p, &m, 1, 0, D(20)).reason, BL_PG_DEPOSIT_UNPAID);
    m.opened_at = BL_NO_TIME;
    assert_int_equal(one(&p, &m, 1, 0, D(20)).reason, BL_PG_NOT_TRADING);
    m.first_order = D(5);
    assert_int_equal(one(&p, &m, 1, 0, D(20)).reason, BL_PG_NOT_OPENED);
    m.opened_at = D(3);
    m.reopened = true;
    assert_int_equal(one(&p, &m, 1, 0, D(30)).reason, BL_PG_REOPENED);
}

/* "The next day" is the merchant's own: midnight in Shanghai is 16:00 UTC. */
static void test_local_day(void **state)
{
    (void)state;
    struct bl_program p;
    parse_ok(creator, &p);
    struct bl_tz *sh = NULL;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_tz_load(&sh, "Asia/Shanghai", &d), &d);
    struct bl_pg_merchant m = merchant(1);
    m.tz = sh;
    m.opened_at = m.deposit_paid_at = D(10);
    m.sharing_at = D(12) + 17 * 3600; /* 01:00 on day 13 in Shanghai */
    struct bl_pg_verdict v = one(&p, &m, 1, 0, D(13) + 16 * 3600 - 1);
    assert_int_equal(v.reason, BL_PG_PENDING);
    assert_int_equal(v.since, D(13) + 16 * 3600); /* day 14 begins there */
    assert_int_equal(v.since_day, 14);
    v = one(&p, &m, 1, 0, D(13) + 16 * 3600);
    assert_int_equal(v.reason, BL_PG_OK);
    m.tz = NULL; /* in UTC the same fact is on day 12: a member from day 13 */
    v = one(&p, &m, 1, 0, D(13));
    assert_int_equal(v.reason, BL_PG_OK);
    assert_int_equal(v.since_day, 13);
    bl_tz_free(sh);
}

/* A member that stops qualifying, by itself or by a linked account. */
static void test_stops_qualifying(void **state)
{
    (void)state;
    struct bl_program p;
    parse_ok(creator, &p);
    struct bl_pg_merchant m[3] = {merchant(1), merchant(2), merchant(3)};
    for (size_t i = 0; i < 3; i++)
        m[i].opened_at = m[i].deposit_paid_at = m[i].sharing_at = D(10);
    m[0].linked_to = 2; /* 1 names 2; 3 names 1 */
    m[2].linked_to = 1;
    assert_int_equal(one(&p, m, 3, 0, D(20)).reason, BL_PG_OK);
    m[1].violation_at = D(15);
    assert_int_equal(one(&p, m, 3, 0, D(14)).reason, BL_PG_OK);
    assert_int_equal(one(&p, m, 3, 0, D(15)).reason, BL_PG_LINKED_VIOLATION);
    assert_int_equal(one(&p, m, 3, 1, D(15)).reason, BL_PG_VIOLATION);
    assert_int_equal(one(&p, m, 3, 2, D(15)).reason, BL_PG_OK); /* 3 is linked to 1, not 2 */
    m[1].violation_at = BL_NO_TIME;
    m[2].violation_at = D(16); /* 3 names 1: links go both ways */
    assert_int_equal(one(&p, m, 3, 0, D(16)).reason, BL_PG_LINKED_VIOLATION);
    p.linked = false; /* a programme that looks at the account only */
    assert_int_equal(one(&p, m, 3, 0, D(16)).reason, BL_PG_OK);
    m[0].sharing_at = BL_NO_TIME; /* sharing turned off */
    assert_int_equal(one(&p, m, 3, 0, D(16)).reason, BL_PG_SHARING_OFF);
}

/* Coverage follows the disruption list: regions added and removed, kinds, the start. */
static void test_coverage(void **state)
{
    (void)state;
    struct bl_program p;
    parse_ok(resumption, &p);
    struct bl_pg_merchant m[3] = {merchant(1), merchant(2), merchant(3)};
    m[1].region = "CN-ZJ:322";
    m[2].region = NULL;
    for (size_t i = 0; i < 3; i++)
        m[i].first_order = D(1);
    struct bl_pg_disruption x[3] = {
        {7, "lockdown", {"CN-SH", BL_SCOPE_BOTH, NULL, false, D(10), D(40)}},
        {8, "lockdown", {"CN-ZJ", BL_SCOPE_ORIGIN, NULL, false, D(12), D(20)}},
        {9, "strike", {"CN", BL_SCOPE_BOTH, NULL, false, D(5), D(50)}}};
    struct bl_pg_verdict v[3];
    bl_pg_eval(&p, m, 3, x, 3, D(15), v);
    assert_int_equal(v[0].reason, BL_PG_OK);
    assert_int_equal(v[0].disruption, 7);
    assert_int_equal(v[0].covered_at, D(10));
    assert_int_equal(v[0].since, D(11));
    assert_int_equal(v[1].reason, BL_PG_OK);
    assert_int_equal(v[1].disruption, 8); /* the strike is not a kind it covers */
    assert_int_equal(v[1].since, D(13));
    assert_int_equal(v[2].reason, BL_PG_NO_REGION);
    /* CN-ZJ dropped from the list (its disruption lifted): no longer covered */
    x[1].cover.ends = D(15);
    bl_pg_eval(&p, m, 3, x, 3, D(15), v);
    assert_int_equal(v[0].reason, BL_PG_OK);
    assert_int_equal(v[1].reason, BL_PG_NOT_COVERED);
    /* a region added: CN-ZJ on the list again from day 16, a member from day 17 */
    x[1].cover.starts = D(16);
    x[1].cover.ends = D(30);
    bl_pg_eval(&p, m, 3, x, 3, D(16) + 60, v);
    assert_int_equal(v[1].reason, BL_PG_PENDING);
    bl_pg_eval(&p, m, 3, x, 3, D(17), v);
    assert_int_equal(v[1].reason, BL_PG_OK);
    assert_int_equal(v[1].since, D(17));
    /* every kind when the programme names none */
    p.nkinds = 0;
    bl_pg_eval(&p, m, 3, x, 3, D(45), v);
    assert_int_equal(v[0].reason, BL_PG_OK);
    assert_int_equal(v[0].disruption, 9);
}

static int64_t sum(const int64_t *a, size_t n)
{
    int64_t s = 0;
    for (size_t i = 0; i < n; i++)
        s += a[i];
    return s;
}

static void test_shares(void **state)
{
    (void)state;
    struct bl_program p;
    parse_ok(resumption, &p);
    struct bl_pg_benefit b = p.benefits[0]; /* 1000.00, cap 400.00 */
    bool in[5] = {true, true, true, false, true};
    int64_t w[5] = {100, 100, 100, 999999, 0}, share[5], left = -1;
    assert_int_equal(bl_pg_share(&b, in, w, 5, share, &left), BL_OK);
    /* 100000 / 3 = 33333.33 each: the one unit left goes to the lowest index */
    assert_int_equal(share[0], 33334);
    assert_int_equal(share[1], 33333);
    assert_int_equal(share[2], 33333);
    assert_int_equal(share[3], 0); /* not a member */
    assert_int_equal(share[4], 0); /* no sales before */
    assert_int_equal(left, 0);
    assert_int_equal(sum(share, 5), 100000);
    /* the cap: 900 of 1000 sales would take 90000 > 40000; the rest shared again */
    int64_t w2[4] = {900, 50, 30, 20};
    bool in2[4] = {true, true, true, true};
    int64_t s2[4];
    assert_int_equal(bl_pg_share(&b, in2, w2, 4, s2, &left), BL_OK);
    assert_int_equal(s2[0], 40000);
    assert_int_equal(s2[1], 30000); /* 60000 x 50/100 */
    assert_int_equal(s2[2], 18000);
    assert_int_equal(s2[3], 12000);
    assert_int_equal(sum(s2, 4), 100000);
    /* a second round: the rest pushes another over the cap */
    int64_t w3[3] = {500, 450, 50};
    assert_int_equal(bl_pg_share(&b, in2, w3, 3, s2, &left), BL_OK);
    assert_int_equal(s2[0], 40000);
    assert_int_equal(s2[1], 40000);
    assert_int_equal(s2[2], 20000);
    assert_int_equal(left, 0);
    /* everyone at the cap: what is left stays unallocated */
    assert_int_equal(bl_pg_share(&b, in2, w2, 2, s2, &left), BL_OK);
    assert_int_equal(s2[0] + s2[1], 40000 + 40000);
    assert_int_equal(left, 20000);
    /* nobody with sales: nothing shared */
    int64_t zero[2] = {0, 0};
    assert_int_equal(bl_pg_share(&b, in2, zero, 2, s2, &left), BL_OK);
    assert_int_equal(left, 100000);
    /* equal parts, the cap exactly at a share */
    b.rule = BL_PG_EQUAL;
    b.cap = 25000;
    assert_int_equal(bl_pg_share(&b, in2, zero, 4, s2, &left), BL_OK);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(s2[i], 25000);
    assert_int_equal(left, 0);
    /* a waiver: the amount per member */
    parse_ok(creator, &p);
    assert_int_equal(bl_pg_share(&p.benefits[0], in, w, 5, share, &left), BL_OK);
    assert_int_equal(share[0], 50000);
    assert_int_equal(share[3], 0);
}

/* Rounding: many members with thirds and sevenths still add up exactly, none over the cap. */
static void test_shares_exact(void **state)
{
    (void)state;
    struct bl_pg_benefit b = {
        .kind = BL_PG_SUBSIDY, .amount = 1000003, .rule = BL_PG_BY_SALES, .cap = 90001};
    enum { N = 97 };
    bool in[N];
    int64_t w[N], s[N], left;
    for (size_t i = 0; i < N; i++) {
        in[i] = i % 5 != 0;
        w[i] = (int64_t)((i * 7919) % 1013 + (i == 3 ? 1000000 : 0));
    }
    assert_int_equal(bl_pg_share(&b, in, w, N, s, &left), BL_OK);
    assert_int_equal(sum(s, N) + left, 1000003);
    assert_int_equal(left, 0);
    for (size_t i = 0; i < N; i++) {
        assert_true(s[i] <= b.cap);
        if (!in[i])
            assert_int_equal(s[i], 0);
    }
    assert_int_equal(s[3], 90001);
    b.amount = INT64_C(100000000000000); /* the largest budget a file may give */
    w[4] = INT64_MAX / 4;
    assert_int_equal(bl_pg_share(&b, in, w, N, s, &left), BL_OK);
    assert_int_equal(sum(s, N) + left, b.amount);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_orders_of_conditions), cmocka_unit_test(test_local_day),
        cmocka_unit_test(test_stops_qualifying),
        cmocka_unit_test(test_coverage),
        cmocka_unit_test(test_shares),
        cmocka_unit_test(test_shares_exact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
