/* logistics_words.c - the words a person reads beside a quote, a route and a listing
 * promise: why an order is held or late, why a window is what it is (logistics.h). The
 * CLI and the HTTP API both show these, so they are written once, here (English; a
 * channel's name in Chinese too). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "app/logistics.h"
#include "ballast/disruption.h"
#include "ballast/time.h"

const char *bl_app_lg_tier(enum bl_lg_tier t)
{
    return t == BL_LG_BACKUP ? "backup" : "core";
}

/* "ID (KIND in REGION)" of disruption i. */
static void dis_short(const struct bl_lg *lg, int32_t i, char *buf, size_t cap)
{
    const struct bl_lg_disruption *x = bl_lg_disruption(lg, (size_t)i);
    snprintf(buf, cap, "%s (%s in %s)", x->id[0] ? x->id : "(no id)", x->kind, x->region);
}

const char *bl_app_quote_status(const struct bl_lg *lg, const struct bl_lg_option *x, char *buf,
                                size_t cap, const char **code)
{
    *code = x->disruption >= 0 ? "suspended" : "available";
    if (x->disruption < 0)
        snprintf(buf, cap, "available");
    else {
        char dx[300];
        dis_short(lg, x->disruption, dx, sizeof(dx));
        snprintf(buf, cap, "suspended by disruption %s", dx);
    }
    return buf;
}

const char *bl_app_route_held_note(const struct bl_lg *lg, const struct bl_app_route_order *o,
                                   char *note, size_t cap)
{
    const struct bl_lg_resume *a = &o->after;
    int32_t dis = a->waited_for >= 0 ? a->waited_for : o->route.disruption;
    char held[320], dx[300], t[BL_ISO_MAX];
    dis_short(lg, dis, dx, sizeof(dx));
    snprintf(held, sizeof(held), "held by disruption %s", dx);
    if (a->open_ended)
        snprintf(note, cap,
                 "%s until further notice: delivery window unknown while it is open-ended", held);
    else if (a->route.state == BL_LG_ROUTED || a->route.state == BL_LG_LATE)
        snprintf(note, cap, "%s until %s: the first channel after it%s", held,
                 bl_time_format(a->resume_at, t),
                 a->route.state == BL_LG_LATE ? ", cannot meet promise" : "");
    else
        snprintf(note, cap, "%s for over a year: no delivery window", held);
    return note;
}

const char *bl_app_route_note(const struct bl_lg *lg, const struct bl_app_route_order *o,
                              char *note, size_t cap, const char **code)
{
    note[0] = 0;
    switch (o->route.state) {
    case BL_LG_LATE:
        *code = "late";
        snprintf(note, cap, "cannot meet promise");
        break;
    case BL_LG_SUSPENDED:
        *code = "held";
        bl_app_route_held_note(lg, o, note, cap);
        break;
    case BL_LG_NO_CHANNEL:
        *code = "no_channel";
        if (!o->from[0] || !o->to[0])
            snprintf(note, cap, "no ship_from or ship_to region");
        else
            snprintf(note, cap, "no channel serves %s -> %s at %lld g", o->from, o->to,
                     (long long)o->weight_g);
        break;
    default:
        *code = "routed";
        break;
    }
    if (o->action && (o->route.state == BL_LG_ROUTED || o->route.state == BL_LG_LATE)) {
        char end[16];
        size_t at = strlen(note);
        snprintf(note + at, cap > at ? cap - at : 0,
                 "%sby the approved reroute (action %lld, from a what-if's plan) until %s",
                 at ? "; " : "", (long long)o->action, bl_date_format(o->action_until - 1, end));
    }
    return note;
}

struct note {
    char *s;
    size_t n, cap;
};

BL_PRINTF(2, 3) static void note_add(struct note *n, const char *fmt, ...)
{
    if (n->n >= n->cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(n->s + n->n, n->cap - n->n, fmt, ap);
    va_end(ap);
    n->n += w > 0 ? (size_t)w : 0;
}

/* The note of a promise that has a window. */
static void routed_note(const struct bl_lg *lg, const struct bl_lg_promise *r, struct note *n)
{
    char dx[300];
    if (r->hold_disruption >= 0) {
        dis_short(lg, r->hold_disruption, dx, sizeof(dx));
        note_add(n, "handling extended %lld day%s: ship-from disrupted by %s; ",
                 (long long)r->hold_days, r->hold_days == 1 ? "" : "s", dx);
    }
    if (r->fallback) {
        dis_short(lg, r->fail_disruption, dx, sizeof(dx));
        note_add(n, "backup tier: core channel suspended by %s; ", dx);
    } else if (r->fail_disruption >= 0) {
        dis_short(lg, r->fail_disruption, dx, sizeof(dx));
        note_add(n, "waits for %s to end; ", dx);
    }
}

const char *bl_app_promise_note(const struct bl_lg *lg, const char *from,
                                const struct bl_app_promise_line *l, char *buf, size_t cap,
                                const char **code)
{
    const struct bl_lg_promise *r = &l->p;
    struct note n = {buf, 0, cap};
    buf[0] = 0;
    char dx[300];
    if (!l->has_weight)
        note_add(&n, "no weight: quoted at 0 g; ");
    if (r->state == BL_LG_ROUTED) {
        *code = "window";
        routed_note(lg, r, &n);
    } else if (r->state == BL_LG_SUSPENDED) {
        *code = "unavailable";
        dis_short(lg, r->fail_disruption, dx, sizeof(dx));
        const char *when =
            r->fail_disruption >= 0 &&
                    bl_dis_open_end(bl_lg_disruption(lg, (size_t)r->fail_disruption)->ends_at)
                ? "until further notice (no window until its end is announced)"
                : "for over a year";
        if (r->fail_disruption == r->hold_disruption)
            note_add(&n, "unavailable: ship-from held by %s %s", dx, when);
        else
            note_add(&n, "unavailable: every channel suspended by %s %s", dx, when);
    } else {
        *code = "no_channel";
        note_add(&n, "no channel serves %s -> %s at %lld g", from, l->to, (long long)l->weight_g);
    }
    while (n.n > 0 && n.n < cap && (buf[n.n - 1] == ' ' || buf[n.n - 1] == ';'))
        buf[--n.n] = 0;
    return buf;
}

const char *bl_app_lg_channel_words(const char *carrier, const char *mode, const char *locale,
                                    char *buf, size_t cap)
{
    static const char *const modes[][3] = {
        {"express", "express", "快递"}, {"dedicated", "dedicated line", "专线"},
        {"postal", "postal", "邮政"},   {"rail", "rail", "铁路"},
        {"sea", "sea", "海运"},         {"overseas", "overseas warehouse", "海外仓"},
        {"air", "air", "空运"},         {"truck", "road", "陆运"}};
    bool zh = locale && strcmp(locale, "zh-CN") == 0;
    const char *m = NULL;
    for (size_t i = 0; mode && i < sizeof(modes) / sizeof(modes[0]); i++)
        if (strcmp(mode, modes[i][0]) == 0)
            m = modes[i][zh ? 2 : 1];
    if (!m)
        m = mode && mode[0] ? mode : NULL;
    if (!m)
        snprintf(buf, cap, "%s", carrier ? carrier : "");
    else
        snprintf(buf, cap, zh ? "%s（%s）" : "%s (%s)", carrier ? carrier : "", m);
    return buf;
}
