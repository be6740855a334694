/* digest_impl.h - what the digest's files share (internal to src/app): the locale pack
 * as JSON (word_pack.c; a struct bl_words is its json_t) and the digest's items in the
 * reader's words (digest_items.c), for the template data digest.c builds.
 *
 * Ownership: every json_t * returned is a new reference, the caller's (json_decref, or
 * hand it to json_object_set_new / json_pack "o"); words and facts stay the caller's. */
#ifndef BL_APP_DIGEST_IMPL_H
#define BL_APP_DIGEST_IMPL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "app/cycle.h"
#include "store/digest.h"

/* A code's words in the pack (group "ratings", "steps"...; "" the top level), else the
 * code with its underscores as spaces. */
json_t *bl__pack_word(const json_t *words, const char *group, const char *code);
/* n as the pack's locale writes a count ("32,951": bl_l10n_count), the digits alone when
 * the pack names no locale; the same as a new JSON string. Every count the digest shows
 * is written by these. */
void bl__pack_number(const json_t *words, int64_t n, char *out, size_t cap);
json_t *bl__pack_number_json(const json_t *words, int64_t n);
/* "12 coupons issued": n (bl__pack_number) and the pack's group[name] pair's singular or
 * plural (the name with its underscores as spaces when the pack lacks it). */
void bl__pack_count(const json_t *words, const char *group, const char *name, int64_t n, char *out,
                    size_t cap);
/* bl_app_words_sep of the pack. Points into words or is a literal. */
const char *bl__pack_sep(const json_t *words);

/* {n: total, kinds: "12 late shipment notices, 3 ..."}: each kind with its count, in the
 * pack's group (and group_one for a singular, when the pack has it). */
json_t *bl__digest_kinds(const json_t *words, const char *group, const struct bl_digest_kind *k,
                         size_t n, int64_t total);
/* A day as YYYY-MM-DD, or null when day < 0. */
json_t *bl__digest_day(int64_t day);
/* One kind of money as one line: {n (as shown: "1,684"), amount: "€57.47 + $170.35",
 * total: in the organisation's currency or null}; null when there is none. k:
 * BL_CYCLE_PAID... */
json_t *bl__digest_money(const json_t *words, const char *locale, const struct bl_digest_money *m,
                         size_t n, const struct bl_app_cycle_totals *t, int k);
/* A shop: {shop, name, id (null when the name is the id), profile, rating, score, from,
 * rules}. */
json_t *bl__digest_shop(const json_t *words, const struct bl_digest_shop *x);
/* Stock alerts: [{sku, what}]. */
json_t *bl__digest_alerts(const json_t *words, const struct bl_digest_alert *a, size_t n);
/* The tax thresholds crossed or near: {n, items: [{name, what}], more (as shown)}, or
 * null. */
json_t *bl__digest_thresholds(const json_t *words, const char *locale,
                              const struct bl_digest_facts *f);

/* Names the region of each disruption in res->facts in en and zh-CN (res->dis_place),
 * while the store is at hand: the area's name from `import areas`, else the subdivision's
 * or the country's (app/words.h). bl_app_cycle calls it after reading the facts. */
int bl__digest_places(struct bl_store *st, int64_t org, struct bl_app_cycle_res *res,
                      struct bl_diag *d) BL_MUST_CHECK;
/* The disruptions changed since the previous cycle (f->disruption), for the template:
 * [{id, what (the kind in words; null when an import removed it), place (place[i]: en
 * [0], zh-CN [1], as locale; the code when not named), note (one line; null when none)}]. */
json_t *bl__digest_disruptions(const json_t *words, const char *locale,
                               const struct bl_digest_facts *f, const char *const (*place)[2]);

#endif
