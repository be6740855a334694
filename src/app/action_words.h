/* action_words.h - an action's reason in a reader's words: the one wording that
 * `ballast actions --locale`, the API (`reason_text` of GET /api/v1/actions and /today, in
 * the request's locale) and so the dashboard show.
 *
 * The sentences are the operator packs' (templates/operator/<locale>/words.json, groups
 * "action_reasons" by kind and "action_words"), filled from the numbers and names the
 * action keeps (action.data: stock_playbook.c, whatif_apply.c) with numbers, days and
 * money in the locale's formats ("Dec 4, 2024", "2024年12月4日", "US$445.05"). An expired
 * proposal says why from what the action keeps (its kind and its order-by, ship-by or end
 * day), in the same words: the sentence stored in close_reason stays English, for API
 * clients and the audit.
 *
 * Ownership: the pack is the caller's (bl_app_words_open, app/digest.h); the text is
 * written into the caller's buffer. No I/O. */
#ifndef BL_APP_ACTION_WORDS_H
#define BL_APP_ACTION_WORDS_H

#include <stdbool.h>
#include <stddef.h>

#include "store/stock.h"

struct bl_words;
struct bl_l10n;
struct json_t;

/* A pack's sentence f (a plain-text Mustache template: "{{n}} 天") filled from vars (a
 * JSON object) into buf, truncated to cap; false, buf untouched, when f is NULL or does not
 * render. */
bool bl_app_words_fill(const char *f, const struct json_t *vars, char *buf, size_t cap);

/* The reason of action x in the words of pack w (opened for locale: "en" or "zh-CN"),
 * with why it expired when it did, into buf (truncated to cap). Never NULL, never
 * empty: an action without its numbers (recorded before they were kept) gives its stored
 * English sentence in English, else the pack's "the playbook recorded no numbers". l10n:
 * the caller's date formatters (ballast/l10n.h; NULL: none, and each day then costs
 * ICU's pattern generator, about a millisecond), for a list of actions. */
const char *bl_app_action_reason(const struct bl_words *w, const char *locale,
                                 struct bl_l10n *l10n, const struct bl_stock_action *x, char *buf,
                                 size_t cap);

#endif
