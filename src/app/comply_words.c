/* comply_words.c - a tax threshold rule in words, en and zh-CN (comply.h): the CLI, the
 * API's text fields and the stored alert all word a rule here. */
#include <stdio.h>
#include <string.h>

#include "app/comply.h"
#include "ballast/l10n.h"
#include "ballast/money.h"
#include "ballast/time.h"

static bool zh(const char *locale)
{
    return locale && strncmp(locale, "zh", 2) == 0;
}

const char *bl_app_comply_name(const struct bl_comply_rule *r, const char *locale)
{
    return zh(locale) && r->name_zh[0] ? r->name_zh : r->name;
}

void bl_app_comply_money(const struct bl_comply_rule *r, const char *locale, int64_t minor,
                         char *out, size_t cap)
{
    if (bl_l10n_money(zh(locale) ? "zh-CN" : "en", minor, r->currency, out, cap, NULL)) {
        char n[40];
        if (bl_money_format(minor, r->exponent, n, sizeof(n)) < 0)
            n[0] = '\0';
        snprintf(out, cap, "%s %s", r->currency, n);
    }
}

static const char *const period_en[4] = {
    "in a calendar year", "in the current or the previous calendar year",
    "in the previous calendar year", "in the twelve months up to the day"};
static const char *const period_zh[4] = {"一个日历年内", "本日历年或上一日历年内",
                                         "上一日历年内", "截至当日的十二个月内"};

void bl_app_comply_threshold(const struct bl_comply_rule *r, const char *locale, char *out,
                             size_t cap)
{
    char money[64] = "", count[64] = "";
    if (r->amount.set) {
        char m[48];
        bl_app_comply_money(r, locale, r->amount.value, m, sizeof(m));
        if (zh(locale))
            snprintf(money, sizeof(money), "%s %s", r->amount.or_equal ? "达到" : "超过", m);
        else if (r->amount.or_equal)
            snprintf(money, sizeof(money), "%s or more", m);
        else
            snprintf(money, sizeof(money), "more than %s", m);
    }
    if (r->count.set) {
        long long c = (long long)r->count.value;
        if (zh(locale))
            snprintf(count, sizeof(count), "%s %lld 笔交易", r->count.or_equal ? "达到" : "超过",
                     c);
        else if (r->count.or_equal)
            snprintf(count, sizeof(count), "%lld transactions or more", c);
        else
            snprintf(count, sizeof(count), "more than %lld transactions", c);
    }
    const char *join = zh(locale) ? (r->both ? "且" : "或") : (r->both ? " and " : " or ");
    if (zh(locale))
        snprintf(out, cap, "%s%s%s%s", period_zh[r->period], money,
                 money[0] && count[0] ? join : "", count);
    else
        snprintf(out, cap, "%s%s%s %s", money, money[0] && count[0] ? join : "", count,
                 period_en[r->period]);
}

void bl_app_comply_message(const struct bl_comply_rule *r, const struct bl_comply_state *s,
                           char *out, size_t cap)
{
    const struct bl_comply_cross *c = bl_comply_crossing(s);
    char th[200], day[BL_ISO_MAX], m[48];
    bl_app_comply_threshold(r, "en", th, sizeof(th));
    if (!c) {
        snprintf(out, cap, "Sales into %s are under 80%% of the registration threshold (%s).",
                 r->name, th);
        return;
    }
    bl_date_format(c->day, day);
    bl_app_comply_money(r, "en", c->amount, m, sizeof(m));
    const char *what = s->status == BL_COMPLY_NEAR ? "reached 80% of" : "passed";
    int y, mo, dd;
    bl_civil_from_days(c->day, &y, &mo, &dd);
    char tail[80] = "";
    if (s->status == BL_COMPLY_NEXT_YEAR)
        snprintf(tail, sizeof(tail), "; registration is due from 1 January %d", y + 1);
    snprintf(out, cap,
             "Sales into %s %s the registration threshold (%s) on %s: %s in %lld order%s by "
             "then%s.",
             r->name, what, th, day, m, (long long)c->count, c->count == 1 ? "" : "s", tail);
}
