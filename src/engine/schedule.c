/* schedule.c - when an organisation's daily cycle runs next (schedule.h). */
#include "ballast/schedule.h"
#include "ballast/str.h"

/* The first instant of the gap's other side: the transition in (t - span, t], found by
 * bisection on the zone's offsets (t reads local with the offset before the gap, and
 * lies after the transition). */
static int64_t gap_end(const struct bl_tz *tz, int64_t t, int64_t span)
{
    int32_t after = bl_tz_offset(tz, t);
    int64_t lo = t - span, hi = t; /* offset(lo) != after, offset(hi) == after */
    if (span <= 0 || bl_tz_offset(tz, lo) == after)
        return t;
    while (hi - lo > 1) {
        int64_t mid = lo + (hi - lo) / 2;
        if (bl_tz_offset(tz, mid) == after)
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}

int64_t bl_sched_at(const struct bl_tz *tz, int at_min, int64_t day, enum bl_sched_local *local)
{
    int64_t wall = day * BL_DAY_SECS + (int64_t)at_min * 60;
    int64_t t = bl_tz_local_to_utc(tz, wall);
    int32_t off = bl_tz_offset(tz, t);
    enum bl_sched_local kind = BL_SCHED_EXACT;
    if (t + off != wall) {
        /* inside a gap: t read wall with the offset before it (wall - t) */
        t = gap_end(tz, t, (int64_t)off - (wall - t));
        kind = BL_SCHED_GAP;
    } else {
        /* shown twice: the same wall time under the offset in force hours later */
        int64_t t2 = wall - bl_tz_offset(tz, t + 4 * 3600);
        if (t2 > t && t2 + bl_tz_offset(tz, t2) == wall)
            kind = BL_SCHED_TWICE;
    }
    if (local)
        *local = kind;
    return t;
}

/* The first day whose run may be due: the schedule's first day, after the last run. */
static int64_t first_day(const struct bl_sched *s)
{
    int64_t d = bl_tz_local_day(s->tz, s->since);
    if (bl_sched_at(s->tz, s->at_min, d, NULL) < s->since)
        d++;
    if (s->last_day != BL_SCHED_NEVER && s->last_day + 1 > d)
        d = s->last_day + 1;
    return d;
}

static void fill(const struct bl_sched *s, int64_t day, int64_t lo, int64_t now,
                 struct bl_sched_next *out)
{
    out->day = day;
    out->at = bl_sched_at(s->tz, s->at_min, day, &out->local);
    out->due = out->at <= now;
    out->missed = day > lo ? day - lo : 0;
}

void bl_sched_next(const struct bl_sched *s, int64_t now, struct bl_sched_next *out)
{
    int64_t today = bl_tz_local_day(s->tz, now);
    int64_t lo = first_day(s);
    /* today's run, or yesterday's when its time fell past midnight (a gap at 23:xx) */
    for (int64_t d = today - 1; d <= today; d++) {
        if (d < lo)
            continue;
        int64_t at = bl_sched_at(s->tz, s->at_min, d, NULL);
        if (at <= now && bl_tz_local_day(s->tz, at) == today) {
            fill(s, d, lo, now, out);
            return;
        }
    }
    int64_t from = lo > today ? lo : today;
    for (int64_t d = from; d < from + 3; d++) {
        if (bl_sched_at(s->tz, s->at_min, d, NULL) > now) {
            fill(s, d, lo, now, out);
            return;
        }
    }
    fill(s, from + 3, lo, now, out);
}

bool bl_sched_retry(int attempt, int64_t failed_at, int64_t *next)
{
    if (attempt < 1 || attempt >= BL_SCHED_ATTEMPTS)
        return false;
    int64_t minutes = INT64_C(1) << (attempt - 1);
    if (minutes > BL_SCHED_BACKOFF_CAP)
        minutes = BL_SCHED_BACKOFF_CAP;
    *next = failed_at + minutes * 60;
    return true;
}

static bool digit(char c)
{
    return c >= '0' && c <= '9';
}

int bl_sched_parse_at(struct bl_str s, int *at_min, struct bl_diag *d)
{
    const char *p = s.ptr;
    size_t hl = s.len >= 4 && p[1] == ':' ? 1 : 2; /* "6:30" or "06:30" */
    bool shape = (s.len == hl + 3) && p[hl] == ':' && digit(p[0]) && (hl == 1 || digit(p[1])) &&
                 digit(p[hl + 1]) && digit(p[hl + 2]);
    int h = shape ? (hl == 1 ? p[0] - '0' : (p[0] - '0') * 10 + (p[1] - '0')) : -1;
    int m = shape ? (p[hl + 1] - '0') * 10 + (p[hl + 2] - '0') : -1;
    if (!shape || h > 23 || m > 59) {
        char shown[BL_SHOW_BUF];
        return bl_diag_set(d, BL_EPARSE,
                           "'%s': expected a time of day HH:MM, 00:00 to 23:59 (06:30)",
                           bl_str_show(s, BL_SHOW, shown));
    }
    *at_min = h * 60 + m;
    return BL_OK;
}
