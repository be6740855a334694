/* digest_items.c - the items of the digest in the reader's words (digest_impl.h): kinds
 * with their counts, shops, stock alerts, money, tax thresholds. */
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "app/comply.h"
#include "app/digest.h"
#include "app/digest_impl.h"
#include "ballast/l10n.h"
#include "ballast/time.h"

json_t *bl__digest_kinds(const json_t *words, const char *group, const struct bl_digest_kind *k,
                         size_t n, int64_t total)
{
    char buf[600];
    size_t at = 0;
    buf[0] = '\0';
    char one[64]; /* the singular's group: "1 coupon notice" (the pack's, if it has one) */
    snprintf(one, sizeof(one), "%s_one", group);
    const json_t *singular = json_object_get(words, one);
    for (size_t i = 0; i < n; i++) {
        bool use_one = k[i].n == 1 && json_object_get(singular, k[i].kind);
        json_t *w = bl__pack_word(words, use_one ? one : group, k[i].kind);
        char num[64];
        bl__pack_number(words, k[i].n, num, sizeof(num));
        int x = snprintf(buf + at, sizeof(buf) - at, "%s%s %s", i ? bl__pack_sep(words) : "", num,
                         json_string_value(w));
        json_decref(w);
        if (x < 0 || (size_t)x >= sizeof(buf) - at)
            break;
        at += (size_t)x;
    }
    return json_pack("{s:I, s:s}", "n", (json_int_t)total, "kinds", buf);
}

json_t *bl__digest_day(int64_t day)
{
    char b[16];
    return day < 0 ? json_null() : json_string(bl_date_format(day, b));
}

static json_t *score(const json_t *words, int64_t x100)
{
    if (x100 < 0) {
        const char *none = json_string_value(json_object_get(words, "no_score"));
        return json_string(none ? none : "-");
    }
    char num[32], out[96];
    snprintf(num, sizeof(num), "%lld.%lld", (long long)(x100 / 100), (long long)(x100 % 100 / 10));
    const char *f = json_string_value(json_object_get(words, "score"));
    const char *at = f ? strstr(f, "{{score}}") : NULL;
    if (!at)
        return json_string(num);
    snprintf(out, sizeof(out), "%.*s%s%s", (int)(at - f), f, num, at + 9);
    return json_string(out);
}

static void money_text(const char *locale, int64_t amount, const char *cur, char *out, size_t cap)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_l10n_money(locale, amount, cur, out, cap, &d))
        snprintf(out, cap, "%s %lld", cur, (long long)amount);
}

/* One kind of money as one line: how many in all, the sum per currency ("€57.47 +
 * $170.35") and, when the organisation has a currency and the day's rates cover them,
 * the whole in it (null when there is one currency and it is the organisation's). Null
 * when there is none. */
json_t *bl__digest_money(const json_t *words, const char *locale, const struct bl_digest_money *m,
                         size_t n, const struct bl_app_cycle_totals *t, int k)
{
    if (!n)
        return json_null();
    char amounts[8 * 72] = "", one[64];
    int64_t count = 0;
    size_t at = 0;
    for (size_t i = 0; i < n && at < sizeof(amounts); i++) {
        money_text(locale, m[i].amount, m[i].currency, one, sizeof(one));
        at += (size_t)snprintf(amounts + at, sizeof(amounts) - at, "%s%s", i ? " + " : "", one);
        count += m[i].n;
    }
    json_t *j = json_pack("{s:o, s:s}", "n", bl__pack_number_json(words, count), "amount", amounts);
    bool only_own = n == 1 && strcmp(m[0].currency, t->currency) == 0;
    if (j && t->have[k] && !only_own) {
        money_text(locale, t->amount[k], t->currency, one, sizeof(one));
        json_object_set_new(j, "total", json_string(one));
    } else if (j) {
        json_object_set_new(j, "total", json_null());
    }
    return j;
}

/* The rules a shop is in breach of, in words: "late shipment rate over 10 days, ..." (null when
 * none is known). */
static json_t *rules(const json_t *words, const char *failing)
{
    if (!failing || !failing[0])
        return json_null();
    char out[600];
    size_t at = 0;
    out[0] = '\0';
    const char *p = failing;
    const char *over = json_string_value(json_object_get(words, "over_days"));
    while (*p && at < sizeof(out)) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char item[96];
        snprintf(item, sizeof(item), "%.*s", (int)len, p);
        char *colon = strchr(item, ':');
        const char *days = colon ? colon + 1 : "";
        if (colon)
            *colon = '\0';
        json_t *mw = bl__pack_word(words, "metrics", item);
        char when[64] = "";
        const char *at_days = over ? strstr(over, "{{days}}") : NULL;
        if (at_days && days[0])
            snprintf(when, sizeof(when), "%.*s%s%s", (int)(at_days - over), over, days,
                     at_days + 8);
        int n = snprintf(out + at, sizeof(out) - at, "%s%s%s", at ? bl__pack_sep(words) : "",
                         json_string_value(mw), when);
        json_decref(mw);
        if (n < 0 || (size_t)n >= sizeof(out) - at)
            break;
        at += (size_t)n;
        p += len + (comma ? 1 : 0);
    }
    return json_string(out);
}

/* A shop by its name, its id beside ("id") when it has one and it differs; by its id
 * alone when it has no name. */
json_t *bl__digest_shop(const json_t *words, const struct bl_digest_shop *x)
{
    bool named = x->name && x->name[0] && strcmp(x->name, x->shop) != 0;
    return json_pack(
        "{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "shop", x->shop, "name",
        named ? x->name : x->shop, "id", named ? json_string(x->shop) : json_null(), "profile",
        bl__pack_word(words, "platforms", x->profile), "rating",
        bl__pack_word(words, "ratings", x->rating), "score", score(words, x->score_x100), "from",
        bl__pack_word(words, "ratings", x->prev_rating[0] ? x->prev_rating : "unrated"), "rules",
        rules(words, x->failing));
}

json_t *bl__digest_alerts(const json_t *words, const struct bl_digest_alert *a, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:s, s:o}", "sku", a[i].sku, "what",
                                             bl__pack_word(words, "alert_kinds", a[i].kind)));
    return arr;
}

/* The tax thresholds the watch step found crossed or near, named in the locale's words
 * (the rules file's names; the code when the rule is gone). */
json_t *bl__digest_thresholds(const json_t *words, const char *locale,
                              const struct bl_digest_facts *f)
{
    if (!f->thresholds)
        return json_null();
    struct bl_comply_rules rules = {0};
    if (bl_comply_rules_load(bl_comply_rules_path(), &rules, NULL))
        memset(&rules, 0, sizeof(rules));
    json_t *items = json_array();
    for (size_t i = 0; i < f->nthreshold; i++) {
        const struct bl_digest_threshold *x = &f->threshold[i];
        const struct bl_comply_rule *r = bl_comply_rule_find(&rules, x->jurisdiction);
        json_array_append_new(items,
                              json_pack("{s:s, s:o}", "name",
                                        r ? bl_app_comply_name(r, locale) : x->jurisdiction, "what",
                                        bl__pack_word(words, "alert_kinds", x->kind)));
    }
    bl_comply_rules_release(&rules);
    int64_t more = f->thresholds - (int64_t)f->nthreshold;
    return json_pack("{s:I, s:o, s:o}", "n", (json_int_t)f->thresholds, "items", items, "more",
                     more > 0 ? bl__pack_number_json(words, more) : json_null());
}

/* A note as one line of at most NOTE_MAX bytes: controls as spaces, cut at a character
 * boundary with "…" when longer. */
#define NOTE_MAX 100
static json_t *note_line(const char *note)
{
    if (!note || !note[0])
        return json_null();
    char out[NOTE_MAX + 4];
    size_t n = strlen(note), len = n;
    if (n > NOTE_MAX) {
        len = NOTE_MAX;
        while (len > 0 && ((unsigned char)note[len] & 0xC0) == 0x80)
            len--; /* not inside a UTF-8 sequence */
    }
    for (size_t i = 0; i < len; i++)
        out[i] = (unsigned char)note[i] < 0x20 || note[i] == 0x7f ? ' ' : note[i];
    memcpy(out + len, len < n ? "\xE2\x80\xA6" : "", len < n ? 4 : 1);
    return json_string(out);
}

json_t *bl__digest_disruptions(const json_t *words, const char *locale,
                               const struct bl_digest_facts *f, const char *const (*place)[2])
{
    size_t lang = locale && strcmp(locale, "zh-CN") == 0 ? 1 : 0;
    json_t *items = json_array();
    for (size_t i = 0; items && i < f->ndisruption; i++) {
        const struct bl_digest_disruption *x = &f->disruption[i];
        const char *name = place[i][lang];
        bool known = x->kind[0] != '\0';
        json_array_append_new(
            items,
            json_pack("{s:I, s:o, s:o, s:o?}", "id", (json_int_t)x->id, "what",
                      known ? bl__pack_word(words, "disruption_kinds", x->kind) : json_null(),
                      "place", json_string(name ? name : x->region), "note",
                      known ? note_line(x->note) : json_null()));
    }
    return items;
}
