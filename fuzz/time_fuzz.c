/* time_fuzz.c - libFuzzer target for the ISO 8601 parsers in ballast/time.h.
 *
 * Feeds the input to bl_time_parse with a UTC zone, with a zone that had daylight
 * saving time (America/Sao_Paulo) and with no zone, and to bl_date_parse. Every
 * accepted instant must format (in UTC and as local time) and parse back to the
 * same instant; every rejection must carry a known code and a message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ballast/time.h"

static struct bl_tz *tz_utc;
static struct bl_tz *tz_sp;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (bl_tz_load(&tz_utc, "UTC", NULL) != BL_OK ||
        bl_tz_load(&tz_sp, "America/Sao_Paulo", NULL) != BL_OK)
        abort();
    return 0;
}

static void check_rejection(int rc, const struct bl_diag *d)
{
    if (rc != BL_EPARSE && rc != BL_ERANGE)
        abort();
    if (d->code != rc || d->msg[0] == '\0')
        abort();
}

static void check_instant(int64_t t)
{
    char out[BL_ISO_MAX];
    int64_t back;

    if (strlen(bl_time_format(t, out)) != 20)
        abort();
    if (bl_time_parse(bl_str_c(out), NULL, &back, NULL) != BL_OK || back != t)
        abort();

    /* Local text carries its offset; near the ends of the range the local year can
     * be 0000 or 10000, which does not read back, and that is expected. */
    struct bl_tz *zones[2] = {tz_utc, tz_sp};
    for (int i = 0; i < 2; i++) {
        bl_time_format_local(t, zones[i], out);
        int rc = bl_time_parse(bl_str_c(out), NULL, &back, NULL);
        if (rc == BL_OK && back != t)
            abort();
        if (rc != BL_OK && strncmp(out, "0001-", 5) != 0 && strncmp(out, "0000-", 5) != 0 &&
            strncmp(out, "9999-", 5) != 0 && out[0] != '+')
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bl_str s = {(const char *)data, size};
    struct bl_diag d;
    int64_t t;

    const struct bl_tz *zones[3] = {tz_utc, tz_sp, NULL};
    for (int i = 0; i < 3; i++) {
        bl_diag_clear(&d);
        int rc = bl_time_parse(s, zones[i], &t, &d);
        if (rc == BL_OK)
            check_instant(t);
        else
            check_rejection(rc, &d);
    }

    int64_t day;
    bl_diag_clear(&d);
    int rc = bl_date_parse(s, &day, &d);
    if (rc == BL_OK) {
        char out[BL_ISO_MAX];
        int64_t back;
        bl_date_format(day, out);
        if (strlen(out) != 10 || bl_date_parse(bl_str_c(out), &back, NULL) != BL_OK || back != day)
            abort();
        int y, m, dd;
        bl_civil_from_days(day, &y, &m, &dd);
        if (!bl_date_valid(y, m, dd) || bl_days_from_civil(y, m, dd) != day)
            abort();
        /* The date alone, read as a date-time at UTC, is the start of that day. */
        if (bl_time_parse(s, tz_utc, &t, NULL) != BL_OK || t != day * BL_DAY_SECS)
            abort();
    } else {
        check_rejection(rc, &d);
    }
    return 0;
}
