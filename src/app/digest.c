/* digest.c - the operator's digest (digest.h): the template data from what the cycle
 * left, in the words of the reader's locale pack, rendered from
 * templates/operator/<locale>/digest.{subject,txt}.mustache. The items in words:
 * digest_items.c; the pack: word_pack.c; delivery: notify.c. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "app/digest.h"
#include "app/digest_impl.h"
#include "ballast/app.h"
#include "ballast/file.h"
#include "ballast/mustache.h"
#include "ballast/time.h"

#define MAX_TEMPLATE ((size_t)1 << 20)

/* n with the pack's group[name] words ("29 SKUs run out"), or null when n is 0 or less. */
static json_t *counted(const json_t *words, const char *group, const char *name, int64_t n)
{
    if (n <= 0)
        return json_null();
    char buf[400];
    bl__pack_count(words, group, name, n, buf, sizeof(buf));
    return json_string(buf);
}

/* A count shown to a person ("32,951": bl__pack_number), or null when n is 0 or less. */
static json_t *num(const json_t *words, int64_t n)
{
    return n > 0 ? bl__pack_number_json(words, n) : json_null();
}

/* A section's count as words, its "count" ("146 messages wait for your approval"; the
 * pack's headlines), the verb agreeing with n, and the subject's "short" ("146 messages to
 * approve"; subject_counts); its "n" becomes the count as shown ("2,750"). */
static void headline(const json_t *words, json_t *sec, const char *name)
{
    if (!json_is_object(sec))
        return;
    json_int_t n = json_integer_value(json_object_get(sec, "n"));
    json_object_set_new(sec, "count", counted(words, "headlines", name, n));
    json_object_set_new(sec, "short", counted(words, "subject_counts", name, n));
    json_object_set_new(sec, "n", bl__pack_number_json(words, n)); /* as shown */
}

static json_t *decisions(const json_t *words, const struct bl_digest_facts *f, int horizon,
                         json_t *j)
{
    json_object_set_new(j, "messages_waiting",
                        f->messages_waiting ? bl__digest_kinds(words, "message_kinds", f->msg_kinds,
                                                               f->nmsg_kinds, f->messages_waiting)
                                            : json_null());
    json_object_set_new(j, "messages_held",
                        f->messages_held ? bl__digest_kinds(words, "message_kinds", f->held_kinds,
                                                            f->nheld_kinds, f->messages_held)
                                         : json_null());
    json_object_set_new(j, "actions_waiting",
                        f->actions_waiting
                            ? bl__digest_kinds(words, "action_kinds", f->action_kinds,
                                               f->naction_kinds, f->actions_waiting)
                            : json_null());
    json_t *ex = json_null();
    if (f->actions_expired) { /* the proposals this cycle expired, by name */
        json_t *items = json_array();
        for (size_t i = 0; i < f->nexpired; i++) {
            const struct bl_digest_expired *x = &f->expired[i];
            json_array_append_new(items, json_pack("{s:o, s:s, s:s, s:o, s:b}", "what",
                                                   bl__pack_word(words, "action_kinds", x->kind),
                                                   "sku", x->sku, "name", x->name, "day",
                                                   bl__digest_day(x->day), "by", !x->until));
        }
        int64_t more = f->actions_expired - (int64_t)f->nexpired;
        ex = json_pack("{s:I, s:o, s:o}", "n", (json_int_t)f->actions_expired, "items", items,
                       "more", num(words, more));
    }
    json_object_set_new(j, "actions_expired", ex);
    json_t *so = json_null();
    if (f->stockouts) {
        json_t *items = json_array();
        for (size_t i = 0; i < f->nstockout; i++) {
            const struct bl_digest_stockout *x = &f->stockout[i];
            json_array_append_new(items,
                                  json_pack("{s:s, s:s, s:o, s:o, s:o}", "sku", x->sku, "name",
                                            x->name, "day", bl__digest_day(x->day), "short",
                                            bl__pack_number_json(words, x->short_units), "order_by",
                                            bl__digest_day(x->order_by)));
        }
        int64_t more = f->stockouts - (int64_t)f->nstockout;
        so = json_pack("{s:I, s:o, s:o, s:o}", "n", (json_int_t)f->stockouts, "horizon",
                       num(words, horizon), "items", items, "more", num(words, more));
    }
    json_object_set_new(j, "stockouts", so);
    json_t *ar = json_null();
    if (f->shops_at_risk) {
        json_t *items = json_array();
        for (size_t i = 0; i < f->nat_risk; i++)
            json_array_append_new(items, bl__digest_shop(words, &f->at_risk[i]));
        int64_t more = f->shops_at_risk - (int64_t)f->nat_risk;
        ar = json_pack("{s:I, s:o, s:o}", "n", (json_int_t)f->shops_at_risk, "items", items, "more",
                       num(words, more));
    }
    json_object_set_new(j, "at_risk", ar);
    static const char *const sections[] = {"messages_waiting", "messages_held", "actions_waiting",
                                           "actions_expired",  "stockouts",     "at_risk"};
    for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
        headline(words, json_object_get(j, sections[i]), sections[i]);
    bool any = f->messages_waiting || f->messages_held || f->actions_waiting || f->stockouts ||
               f->shops_at_risk || f->thresholds || f->actions_expired;
    json_object_set_new(j, "decisions", json_boolean(any));
    return j;
}

static json_t *changes(const json_t *words, const char *locale, const struct bl_digest_facts *f,
                       const char *const (*place)[2], json_t *j)
{
    json_object_set_new(j, "first", json_boolean(!f->prev_cycle_id));
    if (!f->prev_cycle_id) {
        json_object_set_new(j, "prev", json_null());
        return j;
    }
    json_t *moved = json_array();
    for (size_t i = 0; i < f->nmoved; i++) {
        json_t *s = bl__digest_shop(words, &f->moved[i]);
        json_object_set(s, "to", json_object_get(s, "rating"));
        json_array_append_new(moved, s);
    }
    json_object_set_new(
        j, "prev",
        json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "moved", moved, "alerts_new",
                  bl__pack_number_json(words, f->alerts_new), "alerts_cleared",
                  bl__pack_number_json(words, f->alerts_cleared), "alert_new",
                  bl__digest_alerts(words, f->alert_new, f->nalert_new), "alert_cleared",
                  bl__digest_alerts(words, f->alert_cleared, f->nalert_cleared), "orders_updated",
                  f->orders_updated ? num(words, f->orders_updated) : json_false(), "order_changes",
                  bl__pack_number_json(words, f->order_changes)));
    json_t *prev = json_object_get(j, "prev");
    json_object_set_new(prev, "disruptions_changed",
                        f->disruptions_changed ? num(words, f->disruptions_changed) : json_false());
    json_object_set_new(prev, "disruption_changes",
                        bl__pack_number_json(words, f->disruption_changes));
    json_object_set_new(prev, "disruption_changes_words",
                        counted(words, "headlines", "disruption_changes", f->disruption_changes));
    json_object_set_new(prev, "disruptions", bl__digest_disruptions(words, locale, f, place));
    int64_t more = f->disruptions_changed - (int64_t)f->ndisruption;
    json_object_set_new(prev, "disruptions_more", num(words, more));
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
                bl__pack_count(words, "counts", s->counts[k].name, s->counts[k].n, w, sizeof(w));
                int x =
                    snprintf(what + at, sizeof(what) - at, "%s%s", k ? bl__pack_sep(words) : "", w);
                if (x < 0 || (size_t)x >= sizeof(what) - at)
                    break;
                at += (size_t)x;
            }
        } else {
            json_t *st = bl__pack_word(words, "states", bl_step_state_name(s->state));
            json_t *why = s->why ? bl__pack_word(words, "skip_reasons", s->why) : NULL;
            snprintf(what, sizeof(what), "%s%s%s", json_string_value(st),
                     s->state == BL_STEP_FAILED || why
                         ? bl_app_words_phrase((const struct bl_words *)words, "title_colon", ": ")
                         : "",
                     s->state == BL_STEP_FAILED ? s->error
                     : why                      ? json_string_value(why)
                                                : "");
            json_decref(st);
            json_decref(why);
        }
        json_array_append_new(a, json_pack("{s:o, s:s}", "name",
                                           bl__pack_word(words, "steps", s->name), "what", what));
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
        json_t *step =
            n->failed[i].step[0] ? bl__pack_word(words, "steps", n->failed[i].step) : json_null();
        json_array_append_new(fails, json_pack("{s:o, s:o, s:s, s:b}", "attempt",
                                               num(words, n->failed[i].attempt), "step", step,
                                               "error", n->failed[i].error, "again", !last));
    }
    char at[8];
    snprintf(at, sizeof(at), "%02d:%02d", n->at_min / 60 % 24, n->at_min % 60);
    return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:b, s:b}", "at", at, "zone",
                     n->tz ? n->tz : "UTC", "missed", num(words, n->missed), "missed_words",
                     counted(words, "headlines", "missed", n->missed), "failures",
                     fails ? fails : json_array(), "attempts", num(words, n->attempts), "recovered",
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
    json_t *j = json_pack("{s:s, s:I, s:s, s:s, s:s, s:b}", "org", in->org_name, "cycle",
                          (json_int_t)res->cycle_id, "as_of", when, "day", given, "stock_day", day,
                          "failed", res->failed);
    if (!j)
        return NULL;
    decisions(words, f, horizon, j);
    json_object_set_new(j, "thresholds", bl__digest_thresholds(words, locale, f));
    headline(words, json_object_get(j, "thresholds"), "thresholds");
    changes(words, locale, f, (const char *const(*)[2])res->dis_place, j);
    int64_t held = bl_app_cycle_count(res, "route", "held");
    json_object_set_new(j, "held", num(words, held));
    json_object_set_new(j, "held_words", counted(words, "headlines", "held", held));
    const struct bl_app_cycle_totals *t = &res->totals;
    json_object_set_new(
        j, "coupons_paid",
        bl__digest_money(words, locale, f->coupons_paid, f->ncoupons_paid, t, BL_CYCLE_PAID));
    json_object_set_new(
        j, "coupons_owed",
        bl__digest_money(words, locale, f->coupons_owed, f->ncoupons_owed, t, BL_CYCLE_OWED));
    json_object_set_new(
        j, "waivers",
        bl__digest_money(words, locale, f->waivers, f->nwaivers, t, BL_CYCLE_WAIVERS));
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
