/* history_test.c - the sales history and event calendar readers for the forecaster. */
#include <string.h>

#include "testutil.h"
#include "ballast/history.h"
#include "ballast/time.h"

static void test_history(void **state)
{
    (void)state;
    static const char csv[] = "date,units,sku,note,in_stock\n"
                              "2024-03-03,2,b,x,1\n"
                              "2024-03-01,1.5,a,,yes\n"
                              "2024-03-03,4,a,,\n"
                              "2024-03-03,1,a,,0\n";
    struct bl_history h;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_history_parse(&h, csv, sizeof(csv) - 1, &d), &d);
    assert_int_equal(h.nskus, 2);
    assert_string_equal(h.sku[0], "b");
    assert_string_equal(h.sku[1], "a");
    assert_int_equal(h.ndays, 3);
    assert_int_equal(h.first_day, bl_days_from_civil(2024, 3, 1));
    assert_true(h.units[0][0] == 0 && h.units[0][1] == 0 && h.units[0][2] == 2);
    assert_true(h.units[1][0] == 1.5 && h.units[1][1] == 0 && h.units[1][2] == 5);
    assert_non_null(h.in_stock);
    assert_true(h.in_stock[0][2] && h.in_stock[1][0] && h.in_stock[1][1]);
    assert_false(h.in_stock[1][2]); /* one row of the day says out of stock */
    bl_history_release(&h);
    bl_history_release(&h); /* twice is fine */

    static const char plain[] = "sku,date,units\nk,2024-01-01,3\n";
    BL_ASSERT_OK(bl_history_parse(&h, plain, sizeof(plain) - 1, &d), &d);
    assert_null(h.in_stock);
    bl_history_release(&h);
}

static void expect_bad(const char *csv, int code, int64_t line, const char *field, const char *msg)
{
    struct bl_history h;
    struct bl_diag d;
    bl_diag_clear(&d);
    assert_int_equal(bl_history_parse(&h, csv, strlen(csv), &d), code);
    assert_int_equal(d.line, line);
    assert_string_equal(d.field, field);
    if (!strstr(d.msg, msg))
        fail_msg("'%s' lacks '%s'", d.msg, msg);
    assert_int_equal(h.nskus, 0);
}

static void test_history_errors(void **state)
{
    (void)state;
    expect_bad("", BL_EEMPTY, 0, "", "empty file");
    expect_bad("sku,date,units\n", BL_EEMPTY, 0, "", "no rows");
    expect_bad("sku,units\nk,1\n", BL_EPARSE, 1, "", "required column 'date' is missing");
    expect_bad("sku,date,units,sku\n", BL_EPARSE, 1, "", "column 'sku' appears twice");
    expect_bad("sku,date,units\nk,2024-13-01,1\n", BL_ERANGE, 2, "date", "expected a date");
    expect_bad("sku,date,units\nk,2024-01-01,-1\n", BL_ERANGE, 2, "units", "cannot be negative");
    expect_bad("sku,date,units\nk,2024-01-01,1e3\n", BL_EPARSE, 2, "units", "expected a number");
    expect_bad("sku,date,units\nk,2024-01-01,1.2.3\n", BL_EPARSE, 2, "units", "expected a number");
    expect_bad("sku,date,units\nk,2024-01-01,nan\n", BL_EPARSE, 2, "units", "expected a number");
    expect_bad("sku,date,units\nk,2024-01-01,1,2\n", BL_EPARSE, 2, "", "expected 3 fields");
    expect_bad("sku,date,units\nk,0001-01-01,1\nk,9999-01-01,1\n", BL_ETOOBIG, 3, "date",
               "span more than");
}

static void test_events(void **state)
{
    (void)state;
    static const char csv[] = "date,event\n2024-11-11,11.11\n2024-11-29, black_friday \n";
    struct bl_events e;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_events_parse(&e, csv, sizeof(csv) - 1, &d), &d);
    assert_int_equal(e.n, 2);
    assert_int_equal(e.ev[1].day, bl_days_from_civil(2024, 11, 29));
    assert_true(bl_str_eq_c(e.ev[1].name, "black_friday"));
    bl_events_release(&e);
    static const char header_only[] = "date,event\n";
    BL_ASSERT_OK(bl_events_parse(&e, header_only, sizeof(header_only) - 1, &d), &d);
    assert_int_equal(e.n, 0);
    bl_events_release(&e);
    static const char bad[] = "date,event\n2024-11-11,\n";
    assert_int_equal(bl_events_parse(&e, bad, sizeof(bad) - 1, &d), BL_EPARSE);
    assert_int_equal(d.line, 2);
    assert_string_equal(d.field, "event");
    /* the region (#18): country codes upper-cased, empty or global: everywhere */
    static const char reg[] = "date,event,region\n2024-11-11,11.11,cn\n2024-11-29,black_friday,"
                              "US CA  GB\n2024-12-25,christmas,\n2025-12-25,christmas,Global\n";
    BL_ASSERT_OK(bl_events_parse(&e, reg, sizeof(reg) - 1, &d), &d);
    assert_int_equal(e.n, 4);
    assert_true(bl_str_eq_c(e.ev[0].region, "CN"));
    assert_true(bl_str_eq_c(e.ev[1].region, "US CA  GB"));
    assert_true(bl_fc_event_applies(&e.ev[1], BL_STR("GB")));
    assert_false(bl_fc_event_applies(&e.ev[0], BL_STR("GB")));
    assert_true(bl_str_eq_c(e.ev[2].region, "global"));
    assert_true(bl_str_eq_c(e.ev[3].region, "global"));
    bl_events_release(&e);
    BL_ASSERT_OK(bl_events_parse(&e, csv, sizeof(csv) - 1, &d), &d); /* no column: global */
    assert_true(bl_fc_event_applies(&e.ev[0], BL_STR("GB")));
    bl_events_release(&e);
    static const char badreg[] = "date,event,region\n2024-11-11,11.11,China\n";
    assert_int_equal(bl_events_parse(&e, badreg, sizeof(badreg) - 1, &d), BL_EPARSE);
    assert_int_equal(d.line, 2);
    assert_string_equal(d.field, "region");
    assert_non_null(strstr(d.msg, "'China': expected global, or two-letter country codes"));
    static const char badreg2[] = "date,event,region\n2024-11-11,11.11,\"CN,GB\"\n";
    assert_int_equal(bl_events_parse(&e, badreg2, sizeof(badreg2) - 1, &d), BL_EPARSE);
    static const char nodate[] = "day,event\n";
    assert_int_equal(bl_events_parse(&e, nodate, sizeof(nodate) - 1, &d), BL_EPARSE);
    assert_non_null(strstr(d.msg, "required column 'date' is missing: expected a header line "
                                  "date,event[,region]"));
}

static void test_out_of_memory(void **state)
{
    (void)state;
    static const char csv[] = "sku,date,units,in_stock\nk,2024-01-01,1,1\nj,2024-01-05,2,0\n"
                              "k,2024-01-03,1,1\n";
    static const char ev[] = "date,event\n2024-11-11,11.11\n";
    for (int which = 0; which < 2; which++)
        for (long n = 0;; n++) {
            struct bl_history h;
            struct bl_events e;
            struct bl_diag d;
            bl_diag_clear(&d);
            bl_alloc_fail_after(n);
            int rc = which ? bl_events_parse(&e, ev, sizeof(ev) - 1, &d)
                           : bl_history_parse(&h, csv, sizeof(csv) - 1, &d);
            bl_alloc_fail_after(-1);
            if (rc == BL_OK) {
                if (which)
                    bl_events_release(&e);
                else
                    bl_history_release(&h);
                break;
            }
            assert_int_equal(rc, BL_ENOMEM);
            assert_true(n < 1000);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_history),
        cmocka_unit_test(test_history_errors),
        cmocka_unit_test(test_events),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
