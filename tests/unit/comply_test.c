/* comply_test.c - tax thresholds (ballast/comply.h): the rules file's errors (file, line,
 * column, what was expected) and the engine's edges: exactly at a threshold (> and >=),
 * the year boundary, the twelve-month window (a crossing that falls away), "and" and "or"
 * of amount and count, conversion at each order's day (direct and inverse rates, a
 * missing rate), cancelled and refunded orders, sellers counted apart. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "ballast/comply.h"
#include "ballast/time.h"

#define HEAD "jurisdiction,name,regions,currency,amount,transactions,combine,period,since," \
             "source,checked\n"

static struct bl_comply_rules rules(const char *csv)
{
    struct bl_comply_rules r = {0};
    struct bl_diag d;
    BL_ASSERT_OK(bl_comply_rules_parse(csv, strlen(csv), "t.csv", &r, &d), &d);
    return r;
}

static void refused(const char *csv, int64_t line, const char *field, const char *says)
{
    struct bl_comply_rules r = {0};
    struct bl_diag d;
    int rc = bl_comply_rules_parse(csv, strlen(csv), "t.csv", &r, &d);
    if (rc == BL_OK || d.line != line || strcmp(d.field, field) != 0 || !strstr(d.msg, says) ||
        strcmp(d.file, "t.csv") != 0)
        fail_msg("expected %s line %lld field '%s' saying '%s'; got rc %d: %s:%lld %s: %s", csv,
                 (long long)line, field, says, rc, d.file, (long long)d.line, d.field, d.msg);
    assert_null(r.r);
}

static void test_rules_file(void **state)
{
    (void)state;
    struct bl_comply_rules r =
        rules(HEAD "EU,European Union,AT DE FR,EUR,> 10000,,,calendar_year,2021-07-01,law,2026-12-06\n"
                   "US-NY,New York,US-NY,USD,> 500000,> 100,and,twelve_months,2019-06-24,x,2025-09-24\n"
                   "US-GA,Georgia,US-GA,USD,> 100000.50,>= 200,or,current_or_previous_year,"
                   "2020-01-01,x,2025-12-31\n");
    assert_int_equal(r.n, 3);
    assert_string_equal(r.r[0].code, "EU");
    assert_int_equal(r.r[0].nregions, 3);
    assert_string_equal(r.r[0].regions[1], "DE");
    assert_int_equal(r.r[0].amount.value, 1000000);
    assert_false(r.r[0].amount.or_equal);
    assert_false(r.r[0].count.set);
    assert_true(r.r[1].both);
    assert_int_equal(r.r[1].count.value, 100);
    assert_int_equal(r.r[1].period, BL_COMPLY_TWELVE_MONTHS);
    assert_int_equal(r.r[2].amount.value, 10000050);
    assert_true(r.r[2].count.or_equal);
    assert_false(r.r[2].both);
    assert_int_equal(r.r[2].line, 4);
    assert_ptr_equal(bl_comply_rule_find(&r, "us-ga"), &r.r[2]);
    bl_comply_rules_release(&r);

    refused("", 0, "", "empty");
    refused(HEAD, 0, "", "no rules");
    refused("jurisdiction,nmae\n", 1, "", "unknown column \"nmae\"");
    refused("jurisdiction,name\n", 1, "regions", "missing column");
    refused(HEAD "eu,E,AT,EUR,> 1,,,calendar_year,2021-07-01,x,2026-12-06\n", 2, "jurisdiction",
            "capital letters");
    refused(HEAD "EU,E,AT,EUR,> 1,,,calendar_year,2021-07-01,x,2026-12-06\n"
                 "EU,E,AT,EUR,> 1,,,calendar_year,2021-07-01,x,2026-12-06\n",
            3, "jurisdiction", "twice (line 2 too)");
    refused(HEAD "EU,,AT,EUR,> 1,,,calendar_year,2021-07-01,x,2026-12-06\n", 2, "name", "empty");
    refused(HEAD "EU,E,AT Germany,EUR,> 1,,,calendar_year,2021-07-01,x,2026-12-06\n", 2,
            "regions", "region codes");
    refused(HEAD "EU,E,AT,EURO,> 1,,,calendar_year,2021-07-01,x,2026-12-06\n", 2, "currency",
            "ISO 4217");
    refused(HEAD "EU,E,AT,EUR,10000,,,calendar_year,2021-07-01,x,2026-12-06\n", 2, "amount",
            "> or >=");
    refused(HEAD "EU,E,AT,EUR,> 10.001,,,calendar_year,2021-07-01,x,2026-12-06\n", 2, "amount",
            "amount in the rule's currency");
    refused(HEAD "EU,E,AT,EUR,,,,calendar_year,2021-07-01,x,2026-12-06\n", 2, "amount",
            "both amount and transactions are empty");
    refused(HEAD "EU,E,AT,EUR,> 1,>= 0,or,calendar_year,2021-07-01,x,2026-12-06\n", 2,
            "transactions", "more than zero");
    refused(HEAD "EU,E,AT,EUR,> 1,> 5,,calendar_year,2021-07-01,x,2026-12-06\n", 2, "combine",
            "expected and");
    refused(HEAD "EU,E,AT,EUR,> 1,,or,calendar_year,2021-07-01,x,2026-12-06\n", 2, "combine",
            "only one test");
    refused(HEAD "EU,E,AT,EUR,> 1,,,yearly,2021-07-01,x,2026-12-06\n", 2, "period",
            "calendar_year, current_or_previous_year");
    refused(HEAD "EU,E,AT,EUR,> 1,,,calendar_year,2021-13-01,x,2026-12-06\n", 2, "since",
            "YYYY-MM-DD");
    refused(HEAD "EU,E,AT,EUR,> 1,,,calendar_year,2021-07-01,,2026-12-06\n", 2, "source",
            "where the rule comes from");
    refused(HEAD "EU,E,AT,EUR,> 1,,,calendar_year,2021-07-01,x,\n", 2, "checked", "YYYY-MM-DD");
}

/* The shipped rules load. */
static void test_shipped_rules(void **state)
{
    (void)state;
    char path[1024];
    const char *src = getenv("BL_SOURCE_DIR");
    snprintf(path, sizeof(path), "%s/data/comply/rules.csv", src ? src : ".");
    struct bl_comply_rules r = {0};
    struct bl_diag d;
    BL_ASSERT_OK(bl_comply_rules_load(path, &r, &d), &d);
    const struct bl_comply_rule *eu = bl_comply_rule_find(&r, "EU");
    assert_non_null(eu);
    assert_int_equal(eu->nregions, 27);
    assert_int_equal(eu->amount.value, 1000000);
    assert_int_equal(eu->since, bl_days_from_civil(2021, 7, 1));
    bl_comply_rules_release(&r);
}

/* ---- the engine ---- */

struct fixture {
    struct bl_comply_rules rules;
    const char *dests[4];
    struct bl_comply_cur curs[3];
    struct bl_comply_fx fx[4];
    size_t nfx;
    struct bl_comply_order o[128];
    size_t n;
    uint32_t ngroups;
};

static int64_t at(int y, int m, int d)
{
    return bl_days_from_civil(y, m, d) * BL_DAY_SECS + 12 * 3600;
}

static void fixture(struct fixture *f, const char *rules_csv)
{
    memset(f, 0, sizeof(*f));
    f->rules = rules(rules_csv);
    f->dests[0] = "DE";
    f->dests[1] = "FR-75";
    f->dests[2] = "US-NY";
    f->dests[3] = "";
    memcpy(f->curs[0].code, "EUR", 4);
    f->curs[0].exponent = 2;
    memcpy(f->curs[1].code, "GBP", 4);
    f->curs[1].exponent = 2;
    memcpy(f->curs[2].code, "USD", 4);
    f->curs[2].exponent = 2;
    f->ngroups = 1;
}

static void order(struct fixture *f, int64_t t, uint32_t dest, uint32_t cur, int64_t amount)
{
    f->o[f->n++] =
        (struct bl_comply_order){.at = t, .amount = amount, .dest = dest, .origin = 3, .cur = cur};
}

static int run(struct fixture *f, int64_t as_of, struct bl_comply_res *res)
{
    struct bl_comply_in in = {.rules = &f->rules, .dests = f->dests, .ndests = 4,
                              .curs = f->curs, .ncurs = 3, .fx = f->fx, .nfx = f->nfx,
                              .orders = f->o, .norders = f->n, .ngroups = f->ngroups,
                              .as_of = as_of};
    return bl_comply_run(&in, res);
}

#define EU_GT HEAD "EU,E,AT DE FR,EUR,> 10000,,,calendar_year,2021-07-01,x,2026-12-06\n"
#define EU_GE HEAD "EU,E,AT DE FR,EUR,>= 10000,,,calendar_year,2021-07-01,x,2026-12-06\n"

static void test_exactly_at(void **state)
{
    (void)state;
    struct fixture f;
    struct bl_comply_res res;
    for (int ge = 0; ge < 2; ge++) {
        fixture(&f, ge ? EU_GE : EU_GT);
        order(&f, at(2024, 2, 1), 0, 0, 799999); /* 7,999.99: under 80% */
        order(&f, at(2024, 3, 1), 1, 0, 1);      /* 8,000.00: 80% exactly */
        order(&f, at(2024, 4, 1), 0, 0, 200000); /* 10,000.00: the threshold exactly */
        order(&f, at(2024, 5, 1), 0, 0, 1);      /* 10,000.01 */
        assert_int_equal(run(&f, at(2024, 6, 1), &res), BL_OK);
        const struct bl_comply_state *s = &res.s[0];
        assert_int_equal(s->year.amount, 1000001);
        assert_int_equal(s->year.count, 4);
        /* "> 10000": 80% is more than 8,000; ">= 10000": 8,000 is enough */
        assert_int_equal(s->year.near.day, bl_days_from_civil(2024, ge ? 3 : 4, 1));
        assert_int_equal(s->year.over.day, bl_days_from_civil(2024, ge ? 4 : 5, 1));
        assert_int_equal(s->year.over.order, ge ? 2 : 3);
        assert_int_equal(s->status, BL_COMPLY_OVER);
        assert_ptr_equal(bl_comply_crossing(s), &s->year.over);
        bl_comply_res_release(&res);
        bl_comply_rules_release(&f.rules);
    }
}

/* A calendar year starts at zero on 1 January; the as-of's year is what counts. */
static void test_year_boundary(void **state)
{
    (void)state;
    struct fixture f;
    struct bl_comply_res res;
    fixture(&f, EU_GT);
    order(&f, at(2023, 12, 31), 0, 0, 900000);
    order(&f, at(2024, 1, 1), 0, 0, 200000);
    assert_int_equal(run(&f, bl_days_from_civil(2024, 1, 1) * BL_DAY_SECS, &res), BL_OK);
    /* the as-of "2023-12-31" (midnight after it): 2024's order is not known yet */
    assert_int_equal(res.s[0].year.amount, 900000);
    assert_int_equal(res.s[0].status, BL_COMPLY_NEAR);
    assert_int_equal(res.s[0].year.near.day, bl_days_from_civil(2023, 12, 31));
    bl_comply_res_release(&res);
    assert_int_equal(run(&f, at(2024, 1, 2), &res), BL_OK);
    assert_int_equal(res.s[0].year.amount, 200000);
    assert_int_equal(res.s[0].prev.amount, 900000);
    assert_int_equal(res.s[0].status, BL_COMPLY_UNDER); /* a calendar_year rule: 2024 alone */
    bl_comply_res_release(&res);
    bl_comply_rules_release(&f.rules);

    /* the same orders under "current or previous year": 2023 nearly got there */
    fixture(&f, HEAD "EU,E,DE,EUR,> 10000,,,current_or_previous_year,2021-07-01,x,2026-12-06\n");
    order(&f, at(2023, 6, 30), 0, 0, 1100000);
    order(&f, at(2024, 1, 1), 0, 0, 100);
    assert_int_equal(run(&f, at(2024, 3, 1), &res), BL_OK);
    assert_int_equal(res.s[0].status, BL_COMPLY_OVER);
    assert_int_equal(res.s[0].judged, BL_COMPLY_PREV);
    assert_int_equal(bl_comply_crossing(&res.s[0])->day, bl_days_from_civil(2023, 6, 30));
    bl_comply_res_release(&res);
    /* and a year later, 2023 no longer counts */
    assert_int_equal(run(&f, at(2025, 3, 1), &res), BL_OK);
    assert_int_equal(res.s[0].status, BL_COMPLY_UNDER);
    bl_comply_res_release(&res);
    bl_comply_rules_release(&f.rules);

    /* "previous year": crossing this year binds next year */
    fixture(&f, HEAD "US-FL,F,US,USD,> 100000,,,previous_year,2021-07-01,x,2025-12-31\n");
    order(&f, at(2024, 5, 1), 2, 2, 10000001);
    assert_int_equal(run(&f, at(2024, 6, 1), &res), BL_OK);
    assert_int_equal(res.s[0].status, BL_COMPLY_NEXT_YEAR);
    bl_comply_res_release(&res);
    assert_int_equal(run(&f, at(2025, 1, 2), &res), BL_OK);
    assert_int_equal(res.s[0].status, BL_COMPLY_OVER);
    bl_comply_res_release(&res);
    bl_comply_rules_release(&f.rules);
}

#define NY HEAD "US-NY,NY,US-NY,USD,> 500000,> 100,and,twelve_months,2019-06-24,x,2025-09-24\n"
#define NY_OR HEAD "US-NY,NY,US-NY,USD,> 500000,> 100,or,twelve_months,2019-06-24,x,2025-09-24\n"

/* The twelve months ending on the day: a crossing falls away as its days leave. */
static void test_twelve_months(void **state)
{
    (void)state;
    struct fixture f;
    struct bl_comply_res res;
    fixture(&f, NY_OR);
    order(&f, at(2023, 3, 15), 2, 2, 30000000);
    order(&f, at(2023, 9, 1), 2, 2, 20000001); /* 500,000.01 in the window: crossed */
    /* the day before a year has passed, both are in */
    assert_int_equal(run(&f, at(2024, 3, 14), &res), BL_OK);
    assert_int_equal(res.s[0].window.amount, 50000001);
    assert_int_equal(res.s[0].status, BL_COMPLY_OVER);
    assert_int_equal(bl_comply_crossing(&res.s[0])->day, bl_days_from_civil(2023, 9, 1));
    bl_comply_res_release(&res);
    /* on 2024-03-15 the sale of 2023-03-15 has left: 200,000.01 is 40% */
    assert_int_equal(run(&f, at(2024, 3, 15), &res), BL_OK);
    assert_int_equal(res.s[0].window.from, bl_days_from_civil(2023, 3, 16));
    assert_int_equal(res.s[0].window.amount, 20000001);
    assert_int_equal(res.s[0].status, BL_COMPLY_UNDER);
    assert_null(bl_comply_crossing(&res.s[0]));
    assert_int_equal(res.s[0].progress_bp, 4000);
    bl_comply_res_release(&res);
    /* a later order brings it back over: the crossing is the new one */
    order(&f, at(2024, 4, 1), 2, 2, 30000000);
    assert_int_equal(run(&f, at(2024, 5, 1), &res), BL_OK);
    assert_int_equal(res.s[0].status, BL_COMPLY_OVER);
    assert_int_equal(bl_comply_crossing(&res.s[0])->day, bl_days_from_civil(2024, 4, 1));
    bl_comply_res_release(&res);
    bl_comply_rules_release(&f.rules);
}

/* "and" needs both the amount and the count; "or" either. */
static void test_and_or(void **state)
{
    (void)state;
    struct fixture f;
    struct bl_comply_res res;
    for (int both = 0; both < 2; both++) {
        fixture(&f, both ? NY : NY_OR);
        for (int i = 0; i < 101; i++) /* 101 orders of $10: the count passes, not the amount */
            order(&f, at(2024, 1, 1) + i * 60, 2, 2, 1000);
        assert_int_equal(run(&f, at(2024, 2, 1), &res), BL_OK);
        assert_int_equal(res.s[0].window.count, 101);
        assert_int_equal(res.s[0].status, both ? BL_COMPLY_UNDER : BL_COMPLY_OVER);
        assert_int_equal(res.s[0].progress_bp, both ? 20 : 10100);
        bl_comply_res_release(&res);
        order(&f, at(2024, 1, 20), 2, 2, 50000000); /* then the amount too */
        assert_int_equal(run(&f, at(2024, 2, 1), &res), BL_OK);
        assert_int_equal(res.s[0].status, BL_COMPLY_OVER);
        assert_int_equal(bl_comply_crossing(&res.s[0])->day, bl_days_from_civil(2024, 1, both ? 20 : 1));
        bl_comply_res_release(&res);
        bl_comply_rules_release(&f.rules);
    }
}

/* Each order at the rate of its own day: direct, else inverse; none is an error naming
 * the pair and the day. */
static void test_conversion(void **state)
{
    (void)state;
    struct fixture f;
    struct bl_comply_res res;
    fixture(&f, EU_GT);
    /* GBP -> EUR 1.20 from 2024-01-01, 1.25 from 2024-03-01 */
    f.fx[0] = (struct bl_comply_fx){1, "EUR", bl_days_from_civil(2024, 1, 1), {120, 2}};
    f.fx[1] = (struct bl_comply_fx){1, "EUR", bl_days_from_civil(2024, 3, 1), {125, 2}};
    /* EUR -> USD 1.10: USD orders convert by the inverse */
    f.fx[2] = (struct bl_comply_fx){0, "USD", bl_days_from_civil(2024, 1, 1), {110, 2}};
    f.nfx = 3;
    order(&f, at(2024, 2, 1), 0, 1, 100000); /* £1,000 at 1.20: €1,200 */
    order(&f, at(2024, 3, 1), 0, 1, 100000); /* £1,000 at 1.25: €1,250 */
    order(&f, at(2024, 3, 2), 1, 2, 110000); /* $1,100 / 1.10: €1,000 */
    order(&f, at(2024, 3, 3), 0, 0, 12345);  /* EUR as it is */
    assert_int_equal(run(&f, at(2024, 4, 1), &res), BL_OK);
    assert_int_equal(res.s[0].year.amount, 120000 + 125000 + 100000 + 12345);
    bl_comply_res_release(&res);
    /* an order before the first rate: left out, counted, the pair and the day named */
    order(&f, at(2024, 3, 4), 0, 0, 1);
    f.o[0].at = at(2023, 12, 31);
    assert_int_equal(run(&f, at(2024, 4, 1), &res), BL_OK);
    assert_int_equal(res.unconverted, 1);
    assert_int_equal(res.s[0].unconverted, 1);
    assert_string_equal(res.missing_from, "GBP");
    assert_string_equal(res.missing_to, "EUR");
    assert_int_equal(res.missing_day, bl_days_from_civil(2023, 12, 31));
    assert_int_equal(res.s[0].year.amount, 125000 + 100000 + 12345 + 1);
    bl_comply_res_release(&res);
    bl_comply_rules_release(&f.rules);
}

/* Cancelled orders and refunded amounts do not count; sellers count apart. */
static void test_refunds_and_groups(void **state)
{
    (void)state;
    struct fixture f;
    struct bl_comply_res res;
    fixture(&f, EU_GT);
    f.ngroups = 2;
    order(&f, at(2024, 2, 1), 0, 0, 900000);
    f.o[0].refunded = 100000; /* 1,000 back: 8,000 counts */
    order(&f, at(2024, 2, 2), 0, 0, 500000);
    f.o[1].cancelled = true;
    order(&f, at(2024, 2, 3), 0, 0, 300000);
    f.o[2].refunded = 300000; /* all of it back: not a sale */
    order(&f, at(2024, 2, 4), 1, 0, 700000);
    f.o[3].group = 1;
    order(&f, at(2024, 2, 5), 3, 0, 700000); /* no destination */
    order(&f, at(2024, 2, 6), 2, 0, 700000); /* New York: no EU rule covers it */
    assert_int_equal(run(&f, at(2024, 4, 1), &res), BL_OK);
    assert_int_equal(res.n, 2);
    assert_int_equal(res.s[0].year.amount, 800000);
    assert_int_equal(res.s[0].year.count, 1);
    assert_int_equal(res.s[0].counted, 1);
    assert_int_equal(res.s[0].cancelled, 2);
    assert_int_equal(res.s[0].refunded, 1);
    assert_int_equal(res.s[0].status, BL_COMPLY_UNDER); /* 8,000.00 is not more than 80% */
    assert_int_equal(res.s[0].progress_bp, 8000);
    assert_int_equal(res.s[1].year.amount, 700000);
    assert_int_equal(res.no_dest, 1);
    assert_int_equal(res.uncovered, 1);
    bl_comply_res_release(&res);
    /* a sale shipped from Germany to Germany is domestic, not a distance sale; from France
     * (an arrondissement of Paris) to Germany it is one */
    order(&f, at(2024, 2, 7), 0, 0, 100);
    f.o[f.n - 1].origin = 0;
    order(&f, at(2024, 2, 8), 0, 0, 200);
    f.o[f.n - 1].origin = 1;
    assert_int_equal(run(&f, at(2024, 4, 1), &res), BL_OK);
    assert_int_equal(res.s[0].domestic, 1);
    assert_int_equal(res.s[0].year.amount, 800200);
    bl_comply_res_release(&res);
    /* orders out of time order are refused */
    f.o[4].at = at(2020, 1, 1);
    assert_int_equal(run(&f, at(2024, 4, 1), &res), BL_EINVAL);
    bl_comply_rules_release(&f.rules);
}

/* The same pass fed in chunks of 1, 3 and all orders equals the one over the whole array,
 * with the destinations and currencies growing between chunks (as the watch interns them
 * while it reads); a crossing names the order's place in the stream and its ref. */
static void same_state(const struct bl_comply_state *a, const struct bl_comply_state *b)
{
    const struct bl_comply_total *ta[3] = {&a->year, &a->prev, &a->window};
    const struct bl_comply_total *tb[3] = {&b->year, &b->prev, &b->window};
    for (int k = 0; k < 3; k++) {
        assert_int_equal(ta[k]->amount, tb[k]->amount);
        assert_int_equal(ta[k]->count, tb[k]->count);
        assert_int_equal(ta[k]->near.day, tb[k]->near.day);
        assert_int_equal(ta[k]->over.order, tb[k]->over.order);
        assert_int_equal(ta[k]->over.ref, tb[k]->over.ref);
    }
    assert_int_equal(a->status, b->status);
    assert_int_equal(a->progress_bp, b->progress_bp);
    assert_int_equal(a->counted, b->counted);
    assert_int_equal(a->unconverted, b->unconverted);
}

static void test_streamed(void **state)
{
    (void)state;
    struct fixture f;
    fixture(&f, HEAD "EU,E,AT DE FR,EUR,> 1000,,,calendar_year,2021-07-01,x,2026-12-06\n"
                     "US-NY,NY,US-NY,USD,> 5000,> 10,or,twelve_months,2019-06-24,x,2025-09-24\n");
    f.fx[0] = (struct bl_comply_fx){1, "EUR", bl_days_from_civil(2024, 1, 1), {120, 2}};
    f.fx[1] = (struct bl_comply_fx){0, "USD", bl_days_from_civil(2024, 1, 1), {110, 2}};
    f.nfx = 2;
    f.ngroups = 2;
    for (int i = 0; i < 60; i++) {
        order(&f, at(2024, 1 + i / 6, 1 + i % 6), (uint32_t)(i % 4), (uint32_t)(i % 3),
              10000 + i * 997 % 50000);
        f.o[f.n - 1].ref = 1000 + i;
        f.o[f.n - 1].group = (uint32_t)(i % 2);
    }
    struct bl_comply_res whole, part;
    assert_int_equal(run(&f, at(2024, 12, 1), &whole), BL_OK);
    assert_true(whole.s[0].year.over.day >= 0);
    assert_int_equal(whole.s[0].year.over.ref, 1000 + whole.s[0].year.over.order);
    size_t chunks[3] = {1, 3, f.n};
    for (int c = 0; c < 3; c++) {
        /* the pass starts knowing one destination and the currencies of the rates */
        struct bl_comply_in in = {.rules = &f.rules,
                                  .dests = f.dests,
                                  .ndests = 1,
                                  .curs = f.curs,
                                  .ncurs = 2,
                                  .fx = f.fx,
                                  .nfx = f.nfx,
                                  .ngroups = 2,
                                  .as_of = at(2024, 12, 1)};
        struct bl_comply_pass *p = NULL;
        assert_int_equal(bl_comply_begin(&in, &p), BL_OK);
        for (size_t i = 0; i < f.n; i += chunks[c]) {
            size_t n = f.n - i < chunks[c] ? f.n - i : chunks[c];
            in.ndests = 4; /* known by now */
            in.ncurs = 3;
            assert_int_equal(bl_comply_feed(p, &f.o[i], n), BL_OK);
        }
        assert_int_equal(bl_comply_end(p, &part), BL_OK);
        assert_int_equal(part.n, whole.n);
        for (size_t k = 0; k < whole.n; k++)
            same_state(&part.s[k], &whole.s[k]);
        assert_int_equal(part.uncovered, whole.uncovered);
        assert_int_equal(part.no_dest, whole.no_dest);
        bl_comply_res_release(&part);
    }
    /* a chunk out of time order is refused; the pass is then only aborted */
    struct bl_comply_in in = {.rules = &f.rules,
                              .dests = f.dests,
                              .ndests = 4,
                              .curs = f.curs,
                              .ncurs = 3,
                              .fx = f.fx,
                              .nfx = f.nfx,
                              .ngroups = 2,
                              .as_of = at(2024, 12, 1)};
    struct bl_comply_pass *p = NULL;
    assert_int_equal(bl_comply_begin(&in, &p), BL_OK);
    assert_int_equal(bl_comply_feed(p, &f.o[5], 1), BL_OK);
    assert_int_equal(bl_comply_feed(p, &f.o[4], 1), BL_EINVAL);
    bl_comply_abort(p);
    bl_comply_res_release(&whole);
    bl_comply_rules_release(&f.rules);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules_file),    cmocka_unit_test(test_shipped_rules),
        cmocka_unit_test(test_exactly_at),    cmocka_unit_test(test_year_boundary),
        cmocka_unit_test(test_twelve_months), cmocka_unit_test(test_and_or),
        cmocka_unit_test(test_conversion),    cmocka_unit_test(test_refunds_and_groups),
        cmocka_unit_test(test_streamed),
    };
    return cmocka_run_group_tests_name("comply", tests, NULL, NULL);
}
