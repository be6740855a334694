/* schedule_fuzz.c - libFuzzer target for the schedule's time of day and its rule
 * (ballast/schedule.h).
 *
 * The input is read by bl_sched_parse_at: an accepted time reads back from its HH:MM and
 * is 00:00..23:59; a refusal is BL_EPARSE with a message. Its first 16 bytes (when there
 * are) are also an instant and a last day for bl_sched_next in zones with DST gaps and
 * repeats: the run it names is never before the last day, and a due one is at or before
 * now; a not-due one is after now.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ballast/schedule.h"

static struct bl_tz *zones[3];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *names[3] = {"America/New_York", "Pacific/Auckland", "Asia/Shanghai"};
    for (int i = 0; i < 3; i++)
        if (bl_tz_load(&zones[i], names[i], NULL) != BL_OK)
            abort();
    return 0;
}

static void check_rule(const uint8_t *data, size_t size)
{
    if (size < 16)
        return;
    uint64_t a, b;
    memcpy(&a, data, 8);
    memcpy(&b, data + 8, 8);
    /* 1970..2100, and a last day within a year before now */
    int64_t now = (int64_t)(a % (UINT64_C(4102444800)));
    int at = (int)(b % 1440);
    int64_t last = now / BL_DAY_SECS - (int64_t)((b >> 11) % 400);
    struct bl_sched s = {zones[b % 3], at, now - (int64_t)((b >> 20) % 100000),
                         (b >> 40) & 1 ? BL_SCHED_NEVER : last};
    struct bl_sched_next n;
    bl_sched_next(&s, now, &n);
    if (s.last_day != BL_SCHED_NEVER && n.day <= s.last_day)
        abort();
    if (n.due != (n.at <= now) || n.missed < 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    int at = -1;
    int rc = bl_sched_parse_at((struct bl_str){(const char *)data, size}, &at, &d);
    if (rc == BL_OK) {
        if (at < 0 || at > 1439)
            abort();
        char back[8];
        snprintf(back, sizeof(back), "%02d:%02d", at / 60, at % 60);
        int again = -1;
        if (bl_sched_parse_at(bl_str_c(back), &again, NULL) != BL_OK || again != at)
            abort();
    } else if (rc != BL_EPARSE || d.code != rc || !d.msg[0]) {
        abort();
    }
    check_rule(data, size);
    return 0;
}
