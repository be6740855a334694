/* digest.c - the operator's digest (digest.h): the data, the words of the locale pack
 * (templates/operator/<locale>/words.json), rendering and delivery. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "app/comply.h"
#include "app/digest.h"
#include "ballast/app.h"
#include "ballast/chat.h"
#include "ballast/file.h"
#include "ballast/l10n.h"
#include "ballast/mustache.h"
#include "ballast/send.h"
#include "ballast/time.h"

#define MAX_TEMPLATE ((size_t)1 << 20)

/* A code's words in the pack (group "ratings", "steps"...), else the code with spaces. */
static json_t *word(const json_t *words, const char *group, const char *code)
{
    const json_t *g = group[0] ? json_object_get(words, group) : words;
    const char *w = json_string_value(json_object_get(g, code));
    if (w)
        return json_string(w);
    char buf[128];
    snprintf(buf, sizeof(buf), "%s", code);
    for (char *p = buf; *p; p++)
        if (*p == '_')
            *p = ' ';
    return json_string(buf);
}

/* "12 coupons issued": n and the pack's group[name] pair's singular or plural (the name
 * with its underscores as spaces when the pack lacks it). */
static void group_count(const json_t *words, const char *group, const char *name, int64_t n,
                        char *out, size_t cap)
{
    json_t *pair = json_object_get(json_object_get(words, group), name);
    const char *w = json_string_value(json_array_get(pair, n == 1 ? 0 : 1));
    if (w) {
        snprintf(out, cap, "%lld %s", (long long)n, w);
        return;
    }
    snprintf(out, cap, "%lld %s", (long long)n, name);
    for (char *p = out; *p; p++)
        if (*p == '_')
            *p = ' ';
}

int bl_app_words_open(const char *dir, const char *locale, struct bl_words **out, struct bl_diag *d)
{
    char rel[64];
    snprintf(rel, sizeof(rel), "operator/%s/words.json",
             locale && strcmp(locale, "zh-CN") == 0 ? "zh-CN" : "en");
    return bl_app_words_open_file(dir, rel, out, d);
}

int bl_app_words_open_file(const char *dir, const char *rel, struct bl_words **out,
                           struct bl_diag *d)
{
    if (!dir)
        dir = bl_app_templates_dir();
    char path[4200];
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    json_error_t je;
    json_t *words = json_load_file(path, 0, &je);
    if (!words)
        return bl_diag_set(d, BL_EPARSE, "%s:%d: %s", path, je.line, je.text);
    *out = (struct bl_words *)words;
    return BL_OK;
}

void bl_app_words_free(struct bl_words *w)
{
    json_decref((json_t *)w);
}

void bl_app_words_count(const struct bl_words *w, const char *name, int64_t n, char *out,
                        size_t cap)
{
    group_count((const json_t *)w, "counts", name, n, out, cap);
}

void bl_app_words_code(const struct bl_words *w, const char *group, const char *code, char *out,
                       size_t cap)
{
    json_t *x = word((const json_t *)w, group, code);
    snprintf(out, cap, "%s", json_string_value(x) ? json_string_value(x) : code);
    json_decref(x);
}

const char *bl_app_words_phrase(const struct bl_words *w, const char *key, const char *dflt)
{
    const char *s = json_string_value(json_object_get((const json_t *)w, key));
    return s ? s : dflt;
}

const char *bl_app_words_sep(const struct bl_words *w)
{
    return bl_app_words_phrase(w, "list_sep", ", ");
}

static const char *sep(const json_t *words)
{
    return bl_app_words_sep((const struct bl_words *)words);
}

static json_t *kinds(const json_t *words, const char *group, const struct bl_digest_kind *k,
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
        json_t *w = word(words, use_one ? one : group, k[i].kind);
        int x = snprintf(buf + at, sizeof(buf) - at, "%s%lld %s", i ? sep(words) : "",
                         (long long)k[i].n, json_string_value(w));
        json_decref(w);
        if (x < 0 || (size_t)x >= sizeof(buf) - at)
            break;
        at += (size_t)x;
    }
    return json_pack("{s:I, s:s}", "n", (json_int_t)total, "kinds", buf);
}

static json_t *day_or_null(int64_t day)
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

static void money_text(const char *locale, int64_t amount, const char *cur, char *out,
                       size_t cap)
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
static json_t *money(const char *locale, const struct bl_digest_money *m, size_t n,
                     const struct bl_app_cycle_totals *t, int k)
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
    json_t *j = json_pack("{s:I, s:s}", "n", (json_int_t)count, "amount", amounts);
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
        json_t *mw = word(words, "metrics", item);
        char when[64] = "";
        const char *at_days = over ? strstr(over, "{{days}}") : NULL;
        if (at_days && days[0])
            snprintf(when, sizeof(when), "%.*s%s%s", (int)(at_days - over), over, days,
                     at_days + 8);
        int n = snprintf(out + at, sizeof(out) - at, "%s%s%s", at ? sep(words) : "",
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
static json_t *shop(const json_t *words, const struct bl_digest_shop *x)
{
    bool named = x->name && x->name[0] && strcmp(x->name, x->shop) != 0;
    return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "shop", x->shop, "name",
                     named ? x->name : x->shop, "id", named ? json_string(x->shop) : json_null(),
                     "profile", word(words, "platforms", x->profile), "rating",
                     word(words, "ratings", x->rating), "score", score(words, x->score_x100),
                     "from", word(words, "ratings", x->prev_rating[0] ? x->prev_rating : "unrated"),
                     "rules", rules(words, x->failing));
}

static json_t *alerts(const json_t *words, const struct bl_digest_alert *a, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:s, s:o}", "sku", a[i].sku, "what",
                                             word(words, "alert_kinds", a[i].kind)));
    return arr;
}

/* The tax thresholds the watch step found crossed or near, named in the locale's words
 * (the rules file's names; the code when the rule is gone). */
static json_t *thresholds(const json_t *words, const char *locale,
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
        json_array_append_new(items, json_pack("{s:s, s:o}", "name",
                                               r ? bl_app_comply_name(r, locale) : x->jurisdiction,
                                               "what", word(words, "alert_kinds", x->kind)));
    }
    bl_comply_rules_release(&rules);
    int64_t more = f->thresholds - (int64_t)f->nthreshold;
    return json_pack("{s:I, s:o, s:o}", "n", (json_int_t)f->thresholds, "items", items, "more",
                     more > 0 ? json_integer(more) : json_null());
}

/* n with the pack's group[name] words ("29 SKUs run out"), or null when n is 0 or less. */
static json_t *counted(const json_t *words, const char *group, const char *name, int64_t n)
{
    if (n <= 0)
        return json_null();
    char buf[400];
    group_count(words, group, name, n, buf, sizeof(buf));
    return json_string(buf);
}

/* A section's count as words, its "count" ("146 messages wait for your approval"; the
 * pack's headlines), the verb agreeing with n, and the subject's "short" ("146 messages to
 * approve"; subject_counts). */
static void headline(const json_t *words, json_t *sec, const char *name)
{
    if (!json_is_object(sec))
        return;
    json_int_t n = json_integer_value(json_object_get(sec, "n"));
    json_object_set_new(sec, "count", counted(words, "headlines", name, n));
    json_object_set_new(sec, "short", counted(words, "subject_counts", name, n));
}

static json_t *decisions(const json_t *words, const struct bl_digest_facts *f, int horizon,
                         json_t *j)
{
    json_object_set_new(j, "messages_waiting",
                        f->messages_waiting ? kinds(words, "message_kinds", f->msg_kinds,
                                                    f->nmsg_kinds, f->messages_waiting)
                                            : json_null());
    json_object_set_new(j, "messages_held",
                        f->messages_held ? kinds(words, "message_kinds", f->held_kinds,
                                                 f->nheld_kinds, f->messages_held)
                                         : json_null());
    json_object_set_new(j, "actions_waiting",
                        f->actions_waiting ? kinds(words, "action_kinds", f->action_kinds,
                                                   f->naction_kinds, f->actions_waiting)
                                           : json_null());
    json_t *ex = json_null();
    if (f->actions_expired) { /* the proposals this cycle expired, by name */
        json_t *items = json_array();
        for (size_t i = 0; i < f->nexpired; i++) {
            const struct bl_digest_expired *x = &f->expired[i];
            json_array_append_new(
                items, json_pack("{s:o, s:s, s:s, s:o, s:b}", "what",
                                 word(words, "action_kinds", x->kind), "sku", x->sku, "name",
                                 x->name, "day", day_or_null(x->day), "by",
                                 !x->until));
        }
        int64_t more = f->actions_expired - (int64_t)f->nexpired;
        ex = json_pack("{s:I, s:o, s:o}", "n", (json_int_t)f->actions_expired, "items", items,
                       "more", more > 0 ? json_integer(more) : json_null());
    }
    json_object_set_new(j, "actions_expired", ex);
    json_t *so = json_null();
    if (f->stockouts) {
        json_t *items = json_array();
        for (size_t i = 0; i < f->nstockout; i++) {
            const struct bl_digest_stockout *x = &f->stockout[i];
            json_array_append_new(items, json_pack("{s:s, s:s, s:o, s:I, s:o}", "sku", x->sku,
                                                   "name", x->name, "day", day_or_null(x->day),
                                                   "short", (json_int_t)x->short_units, "order_by",
                                                   day_or_null(x->order_by)));
        }
        int64_t more = f->stockouts - (int64_t)f->nstockout;
        so = json_pack("{s:I, s:i, s:o, s:o}", "n", (json_int_t)f->stockouts, "horizon", horizon,
                       "items", items, "more", more > 0 ? json_integer(more) : json_null());
    }
    json_object_set_new(j, "stockouts", so);
    json_t *ar = json_null();
    if (f->shops_at_risk) {
        json_t *items = json_array();
        for (size_t i = 0; i < f->nat_risk; i++)
            json_array_append_new(items, shop(words, &f->at_risk[i]));
        int64_t more = f->shops_at_risk - (int64_t)f->nat_risk;
        ar = json_pack("{s:I, s:o, s:o}", "n", (json_int_t)f->shops_at_risk, "items", items,
                       "more", more > 0 ? json_integer(more) : json_null());
    }
    json_object_set_new(j, "at_risk", ar);
    static const char *const sections[] = {"messages_waiting", "messages_held", "actions_waiting",
                                           "actions_expired", "stockouts", "at_risk"};
    for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
        headline(words, json_object_get(j, sections[i]), sections[i]);
    bool any = f->messages_waiting || f->messages_held || f->actions_waiting || f->stockouts ||
               f->shops_at_risk || f->thresholds || f->actions_expired;
    json_object_set_new(j, "decisions", json_boolean(any));
    return j;
}

static json_t *changes(const json_t *words, const struct bl_digest_facts *f, json_t *j)
{
    json_object_set_new(j, "first", json_boolean(!f->prev_cycle_id));
    if (!f->prev_cycle_id) {
        json_object_set_new(j, "prev", json_null());
        return j;
    }
    json_t *moved = json_array();
    for (size_t i = 0; i < f->nmoved; i++) {
        json_t *s = shop(words, &f->moved[i]);
        json_object_set(s, "to", json_object_get(s, "rating"));
        json_array_append_new(moved, s);
    }
    json_object_set_new(j, "prev",
                        json_pack("{s:o, s:I, s:I, s:o, s:o, s:I, s:I}", "moved", moved,
                                  "alerts_new", (json_int_t)f->alerts_new, "alerts_cleared",
                                  (json_int_t)f->alerts_cleared, "alert_new",
                                  alerts(words, f->alert_new, f->nalert_new), "alert_cleared",
                                  alerts(words, f->alert_cleared, f->nalert_cleared),
                                  "orders_updated", (json_int_t)f->orders_updated,
                                  "order_changes", (json_int_t)f->order_changes));
    if (!f->orders_updated) /* a number is true to mustache, whatever it is */
        json_object_set_new(json_object_get(j, "prev"), "orders_updated", json_false());
    json_t *prev = json_object_get(j, "prev");
    char ids[160] = "";
    for (size_t i = 0, n = 0; i < f->ndisruption_ids && n < sizeof(ids); i++)
        n += (size_t)snprintf(ids + n, sizeof(ids) - n, "%s%lld", i ? ", " : "",
                              (long long)f->disruption_ids[i]);
    json_object_set_new(prev, "disruptions_changed",
                        f->disruptions_changed ? json_integer(f->disruptions_changed)
                                               : json_false());
    json_object_set_new(prev, "disruption_changes", json_integer(f->disruption_changes));
    json_object_set_new(prev, "disruption_changes_words",
                        counted(words, "headlines", "disruption_changes", f->disruption_changes));
    json_object_set_new(prev, "disruption_ids", json_string(ids));
    json_object_set_new(prev, "disruption_ids_more",
                        json_boolean(f->disruptions_changed > (int64_t)f->ndisruption_ids));
    return j;
}

static json_t *steps(const json_t *words, const struct bl_app_cycle_res *res)
{
    json_t *a = json_array();
    for (size_t i = 0; i < res->nsteps; i++) {
        const struct bl_app_cycle_step *s = &res->steps[i];
        char what[800] = "";
        size_t at = 0;
        if (s->state == BL_STEP_DONE) {
            for (size_t k = 0; k < s->ncounts; k++) {
                char w[128];
                group_count(words, "counts", s->counts[k].name, s->counts[k].n, w, sizeof(w));
                int x = snprintf(what + at, sizeof(what) - at, "%s%s", k ? sep(words) : "", w);
                if (x < 0 || (size_t)x >= sizeof(what) - at)
                    break;
                at += (size_t)x;
            }
        } else {
            json_t *st = word(words, "states", bl_step_state_name(s->state));
            json_t *why = s->why ? word(words, "skip_reasons", s->why) : NULL;
            snprintf(what, sizeof(what), "%s%s%s", json_string_value(st),
                     s->state == BL_STEP_FAILED || why ? ": " : "",
                     s->state == BL_STEP_FAILED ? s->error
                     : why                      ? json_string_value(why)
                                                : "");
            json_decref(st);
            json_decref(why);
        }
        json_array_append_new(
            a, json_pack("{s:o, s:s}", "name", word(words, "steps", s->name), "what", what));
    }
    return a;
}

/* A scheduled run's story (NULL when a person ran the cycle): its time, the days missed
 * before it, each failed attempt, done after retries or given up. */
static json_t *schedule(const json_t *words, const struct bl_app_sched_note *n)
{
    if (!n)
        return json_null();
    json_t *fails = json_array();
    for (size_t i = 0; fails && i < n->nfailed; i++) {
        bool last = i + 1 == n->nfailed && n->given_up;
        json_t *step = n->failed[i].step[0] ? word(words, "steps", n->failed[i].step) : json_null();
        json_array_append_new(fails, json_pack("{s:I, s:o, s:s, s:b}", "attempt",
                                               (json_int_t)n->failed[i].attempt, "step", step,
                                               "error", n->failed[i].error, "again", !last));
    }
    char at[8];
    snprintf(at, sizeof(at), "%02d:%02d", n->at_min / 60 % 24, n->at_min % 60);
    return json_pack("{s:s, s:s, s:o, s:o, s:o, s:I, s:b, s:b}", "at", at, "zone",
                     n->tz ? n->tz : "UTC", "missed",
                     n->missed > 0 ? json_integer(n->missed) : json_null(), "missed_words",
                     counted(words, "headlines", "missed", n->missed), "failures",
                     fails ? fails : json_array(), "attempts", (json_int_t)n->attempts, "recovered",
                     n->nfailed > 0 && !n->given_up, "given_up", n->given_up);
}

/* The template data for one locale. */
static json_t *data(const json_t *words, const char *locale, const struct bl_app_digest_in *in)
{
    const struct bl_app_cycle_res *res = in->res;
    const struct bl_digest_facts *f = &res->facts;
    static const struct bl_digest_facts none;
    if (!res->have_facts)
        f = &none;
    char when[BL_ISO_MAX + 64], day[16];
    int horizon = in->req->horizon_days > 0 ? in->req->horizon_days : 14;
    bl_date_format(in->req->day, day);
    const char *eod = json_string_value(json_object_get(words, "end_of_day"));
    const char *at = eod ? strstr(eod, "{{day}}") : NULL;
    const char *zone = in->req->tz ? in->req->tz : "UTC";
    const char *zat = at ? strstr(at, "{{zone}}") : NULL;
    char given[16]; /* the date the person gave: the day before the stock day */
    bl_date_format(in->req->end_of_day ? in->req->day - 1 : in->req->day, given);
    if (at && zat && in->req->end_of_day)
        snprintf(when, sizeof(when), "%.*s%s%.*s%s%s", (int)(at - eod), eod, given,
                 (int)(zat - (at + 7)), at + 7, zone, zat + 8);
    else
        bl_time_format(in->req->as_of, when);
    json_t *j =
        json_pack("{s:s, s:I, s:s, s:s, s:s, s:b}", "org", in->org_name, "cycle",
                  (json_int_t)res->cycle_id, "as_of", when, "day", given, "stock_day", day,
                  "failed", res->failed);
    if (!j)
        return NULL;
    decisions(words, f, horizon, j);
    json_object_set_new(j, "thresholds", thresholds(words, locale, f));
    headline(words, json_object_get(j, "thresholds"), "thresholds");
    changes(words, f, j);
    int64_t held = bl_app_cycle_count(res, "route", "held");
    json_object_set_new(j, "held", held > 0 ? json_integer(held) : json_null());
    json_object_set_new(j, "held_words", counted(words, "headlines", "held", held));
    const struct bl_app_cycle_totals *t = &res->totals;
    json_object_set_new(j, "coupons_paid",
                        money(locale, f->coupons_paid, f->ncoupons_paid, t, BL_CYCLE_PAID));
    json_object_set_new(j, "coupons_owed",
                        money(locale, f->coupons_owed, f->ncoupons_owed, t, BL_CYCLE_OWED));
    json_object_set_new(j, "waivers", money(locale, f->waivers, f->nwaivers, t, BL_CYCLE_WAIVERS));
    json_object_set_new(j, "steps", steps(words, res));
    json_object_set_new(j, "schedule", schedule(words, in->sched));
    return j;
}

static int render_one(const char *dir, const char *locale, const char *part, const json_t *dat,
                      struct bl_buf *out, struct bl_diag *d)
{
    char path[4200];
    snprintf(path, sizeof(path), "%s/operator/%s/digest.%s.mustache", dir, locale, part);
    struct bl_buf text;
    int rc = bl_file_read(path, MAX_TEMPLATE, &text, d);
    if (rc)
        return rc;
    struct bl_mustache *t = NULL;
    rc = bl_mustache_compile(&t, path, (struct bl_str){text.ptr ? text.ptr : "", text.len}, d);
    bl_buf_release(&text);
    struct bl_mustache_opts o = {.strict = true, .no_escape = true};
    if (!rc)
        rc = bl_mustache_render(t, dat, &o, out, d);
    bl_mustache_free(t);
    return rc;
}

int bl_app_digest_render(const char *dir, const char *locale, const struct bl_app_digest_in *in,
                         struct bl_buf *subject, struct bl_buf *body, struct bl_diag *d)
{
    if (!dir)
        dir = bl_app_templates_dir();
    if (!locale || strcmp(locale, "zh-CN") != 0)
        locale = "en";
    struct bl_words *w = NULL;
    int wrc = bl_app_words_open(dir, locale, &w, d);
    if (wrc)
        return wrc;
    json_t *words = (json_t *)w;
    json_t *dat = data(words, locale, in);
    int rc = dat ? BL_OK : bl_diag_set(d, BL_ENOMEM, "digest: out of memory");
    if (!rc)
        rc = render_one(dir, locale, "subject", dat, subject, d);
    /* a subject is one line: the template file's final newline goes */
    while (!rc && subject->len &&
           (subject->ptr[subject->len - 1] == '\n' || subject->ptr[subject->len - 1] == ' '))
        subject->ptr[--subject->len] = '\0';
    if (!rc)
        rc = render_one(dir, locale, "txt", dat, body, d);
    json_decref(dat);
    json_decref(words);
    return rc;
}

static bool starts(const char *s, const char *prefix)
{
    return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool plain_address(const char *a)
{
    const char *at = a ? strchr(a, '@') : NULL;
    return at && at != a && at[1] && !strchr(at + 1, '@') && !strpbrk(a, " \t\r\n<>,;\"");
}

int bl_app_notify_add(struct bl_store *st, int64_t org, const struct bl_app_notify_req *req,
                      int64_t *id, struct bl_diag *d)
{
    const char *locale = req->locale ? req->locale : "en";
    if (strcmp(locale, "en") != 0 && strcmp(locale, "zh-CN") != 0)
        return bl_diag_set(d, BL_EINVAL, "locale '%s': the digest is written in en or zh-CN",
                           locale);
    const char *kind = req->kind;
    if (strcmp(kind, "email") == 0) {
        if (!plain_address(req->address))
            return bl_diag_set(d, BL_EINVAL, "'%s' is not an e-mail address (name@domain)",
                               req->address ? req->address : "");
        if (!starts(req->smtp_url, "smtp://") && !starts(req->smtp_url, "smtps://"))
            return bl_diag_set(d, BL_EINVAL,
                               "an e-mail recipient needs --smtp smtp://host:port (or smtps://)");
        if (!plain_address(req->sender))
            return bl_diag_set(d, BL_EINVAL,
                               "an e-mail recipient needs --from, the sender's address");
    } else {
        enum bl_chat_kind k;
        if (bl_chat_kind_parse(kind, &k))
            return bl_diag_set(d, BL_EINVAL,
                               "kind '%s': expected email, slack, feishu (or lark) or dingtalk",
                               kind);
        kind = bl_chat_kind_name(k);
        if (!starts(req->address, "https://") && !starts(req->address, "http://"))
            return bl_diag_set(d, BL_EINVAL, "the %s webhook must be an http(s):// URL", kind);
        if (req->secret && strpbrk(req->secret, "\r\n"))
            return bl_diag_set(d, BL_EINVAL, "the signing secret holds a line break");
    }
    int rc = bl_store_begin(st, d);
    rc = rc ? rc
            : bl_store_notify_add(st, org, kind, req->address, req->secret, locale, req->smtp_url,
                                  req->sender, bl_app_now_or(req->now), id, d);
    rc = rc ? rc /* never the secret */
            : bl_app_audit_n(st, org, req->now, "notify.add", "notify_target", *id, NULL,
                             json_pack("{s:s, s:s, s:s, s:b}", "kind", kind, "address",
                                       req->address, "locale", locale, "signed",
                                       req->secret && req->secret[0]),
                             d);
    return bl_store_end(st, rc, d);
}

int bl_app_notify_remove(struct bl_store *st, int64_t org, int64_t id, struct bl_diag *d)
{
    int rc = bl_store_begin(st, d);
    rc = rc ? rc : bl_store_notify_remove(st, org, id, d);
    rc = rc ? rc : bl_app_audit_n(st, org, 0, "notify.remove", "notify_target", id, NULL, NULL, d);
    return bl_store_end(st, rc, d);
}

int bl_app_notify_list(struct bl_store *st, int64_t org, bl_notify_target_fn fn, void *ctx,
                       struct bl_diag *d)
{
    return bl_store_notify_list(st, org, fn, ctx, d);
}

/* The recipients, copied out of the store's rows. */
struct target {
    int64_t id;
    char kind[16], locale[8];
    char *address, *secret, *smtp_url, *sender;
};

struct targets {
    struct target t[BL_DIGEST_TARGETS_MAX];
    size_t n;
    struct bl_arena *arena;
};

static char *copy(struct bl_arena *a, struct bl_str s)
{
    return bl_arena_strndup(a, s.ptr, s.len);
}

static int target_row(void *vctx, const struct bl_notify_target *t)
{
    struct targets *c = vctx;
    if (c->n == BL_DIGEST_TARGETS_MAX)
        return 0;
    struct target *x = &c->t[c->n];
    x->id = t->id;
    bl_str_copy(x->kind, sizeof(x->kind), t->kind);
    bl_str_copy(x->locale, sizeof(x->locale), t->locale);
    x->address = copy(c->arena, t->address);
    x->secret = copy(c->arena, t->secret);
    x->smtp_url = copy(c->arena, t->smtp_url);
    x->sender = copy(c->arena, t->sender);
    if (!x->address || !x->secret || !x->smtp_url || !x->sender)
        return BL_ENOMEM;
    c->n++;
    return 0;
}

static int deliver(const struct target *t, const struct bl_app_digest_in *in,
                   const struct bl_app_digest_send_req *req, const char *idem, struct bl_diag *d)
{
    struct bl_buf subject, body, mail;
    bl_buf_init(&subject, 4096);
    bl_buf_init(&body, 1u << 20);
    bl_buf_init(&mail, 2u << 20);
    int rc = bl_app_digest_render(NULL, t->locale, in, &subject, &body, d);
    int64_t now = bl_app_now_or(req->now);
    if (!rc && strcmp(t->kind, "email") == 0) {
        char mid[128];
        snprintf(mid, sizeof(mid), "digest.%lld.%lld@ballast.invalid", (long long)in->res->cycle_id,
                 (long long)t->id);
        struct bl_mail m = {.from_name = "Ballast",
                            .from = t->sender,
                            .to = t->address,
                            .subject = bl_buf_cstr(&subject),
                            .body = bl_buf_cstr(&body),
                            .message_id = mid,
                            .idem = idem,
                            .date = now};
        rc = bl_mail_format(&m, &mail, d);
        struct bl_smtp c = {
            .url = t->smtp_url, .insecure = req->smtp_insecure, .timeout_secs = req->timeout_secs};
        if (!rc)
            rc = bl_smtp_send(&c, t->sender, t->address,
                              (struct bl_str){mail.ptr ? mail.ptr : "", mail.len}, d);
    } else if (!rc) {
        enum bl_chat_kind k;
        rc = bl_chat_kind_parse(t->kind, &k);
        if (rc)
            rc = bl_diag_set(d, rc, "recipient %lld: unknown kind %s", (long long)t->id, t->kind);
        /* a chat message: the subject as its first line */
        struct bl_buf text;
        bl_buf_init(&text, 2u << 20);
        if (!rc)
            rc = bl_buf_adds(&text, (struct bl_str){subject.ptr ? subject.ptr : "", subject.len});
        if (!rc)
            rc = bl_buf_adds(&text, BL_STR("\n\n"));
        if (!rc)
            rc = bl_buf_adds(&text, (struct bl_str){body.ptr ? body.ptr : "", body.len});
        if (!rc)
            rc = bl_chat_post(k, t->address, bl_str_c(t->secret),
                              (struct bl_str){text.ptr ? text.ptr : "", text.len}, now,
                              req->timeout_secs, d);
        bl_buf_release(&text);
    }
    bl_buf_release(&subject);
    bl_buf_release(&body);
    bl_buf_release(&mail);
    return rc;
}

int bl_app_digest_send(struct bl_store *st, int64_t org, const struct bl_app_digest_in *in,
                       const struct bl_app_digest_send_req *req, struct bl_app_digest_send_res *res,
                       struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    if (!in->res->cycle_id)
        return BL_OK;
    struct bl_arena arena;
    bl_arena_init(&arena, 4096);
    struct targets ts = {.arena = &arena};
    int rc = bl_store_notify_list(st, org, target_row, &ts, d);
    if (rc == BL_ENOMEM && !d->code)
        bl_diag_set(d, rc, "digest: out of memory");
    bool curl = false;
    if (!rc && ts.n) {
        rc = bl_send_global_init(d);
        curl = !rc;
    }
    for (size_t i = 0; !rc && i < ts.n; i++) {
        const struct target *t = &ts.t[i];
        struct bl_app_digest_delivery *x = &res->d[res->n++];
        x->target_id = t->id;
        snprintf(x->kind, sizeof(x->kind), "%s", t->kind);
        char idem[64];
        snprintf(idem, sizeof(idem), "digest:%lld:%lld", (long long)in->res->cycle_id,
                 (long long)t->id);
        bool sent = false;
        rc = bl_store_digest_was_sent(st, org, idem, &sent, d);
        if (rc)
            break;
        if (sent) {
            x->state = BL_DIGEST_ALREADY;
            res->already++;
            continue;
        }
        struct bl_diag dd;
        bl_diag_clear(&dd);
        int drc = deliver(t, in, req, idem, &dd);
        if (drc) {
            x->state = BL_DIGEST_FAILED;
            bl_diag_format(&dd, x->error, sizeof(x->error));
            res->failed++;
        } else {
            x->state = BL_DIGEST_SENT;
            res->sent++;
        }
        rc =
            bl_store_digest_record(st, org, in->res->cycle_id, t->id, idem, drc ? "failed" : "sent",
                                   drc ? x->error : NULL, bl_app_now_or(req->now), d);
    }
    if (curl)
        bl_send_global_cleanup();
    bl_arena_release(&arena);
    return rc;
}
