/* action_cells.h - the words around an action's reason in the tables of `ballast actions`
 * and `ballast playbook` (its preview): column titles, the kind, the field, its value
 * before and after, the state, when it is undone, its days and instants, and what
 * `actions approve|reject|revert` says.
 *
 * The words are the operator packs' (templates/operator/<locale>/words.json, groups
 * action_columns, action_fields, action_values, action_states, action_reverts,
 * playbook_ops, playbook_outcomes, action_decisions). The English table keeps its column
 * names, kinds, fields and states as the codes --kind and --state take; only a value is
 * worded in English too ("mail paused", not "1"), from the en pack. --format csv and
 * json keep every code: they are for programs.
 *
 * Ownership: the pack is the caller's (bl_app_words_open, app/digest.h); a word returned
 * points into the pack or is static; text is written into the caller's buffer. No I/O. */
#ifndef BL_APP_ACTION_CELLS_H
#define BL_APP_ACTION_CELLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/playbook.h"

struct bl_words;
struct bl_l10n;
struct bl_app_playbook_res;
struct bl_stock_action;

/* The word of code in group of pack w ("action_states", "applied" -> "生效中"); the code
 * itself when w is NULL or lacks it. Never NULL. */
const char *bl_app_action_word(const struct bl_words *w, const char *group, const char *code);

/* Value v of kind k's field in words into buf: pack w's action_values ("mail paused",
 * "营销邮件已暂停", "3 天"); w NULL or lacking it: a listing state with spaces ("out of
 * stock"), else the number. */
const char *bl_app_action_value(const struct bl_words *w, enum bl_pb_kind k, int64_t v, char *buf,
                                size_t cap);

/* When an action of kind k is undone, in pack w's words (action_reverts); w NULL or
 * lacking it: the English of bl_app_action_reverts_when. */
const char *bl_app_action_reverts_text(const struct bl_words *w, enum bl_pb_kind k);

/* Day (days since 1970-01-01) as the pack's locale writes one ("2024年11月15日"), into
 * buf; instant t (seconds) as that day and its UTC time ("2024年11月15日 08:00 UTC").
 * l10n: the caller's formatters (NULL: none). ISO text when ICU cannot. */
const char *bl_app_action_day(struct bl_l10n *l10n, const char *locale, int64_t day, char *buf,
                              size_t cap);
const char *bl_app_action_instant(struct bl_l10n *l10n, const char *locale, int64_t t, char *buf,
                                  size_t cap);

/* What `actions --policy KIND=apply|propose` says, in pack w's words into buf
 * ("店铺休假模式：策略手册直接执行"); NULL when w is NULL (the caller echoes "KIND: apply"). */
const char *bl_app_action_policy_text(const struct bl_words *w, enum bl_pb_kind k, bool apply,
                                      char *buf, size_t cap);

/* Who decided, as stored (app/actor.h: "alice", "API token 'ops desk'", "... of
 * marketplace 'mall'"), in pack w's words (action_actors: "API 令牌“ops desk”") into buf;
 * w NULL or a person's name: the text as stored. */
const char *bl_app_action_actor(const struct bl_words *w, const char *text, char *buf, size_t cap);

/* Pack w's sentence key of group action_decisions with {{id}} and {{n}} filled in from
 * id and n (n as the pack's locale writes a count, "1,234"), into buf; NULL when w lacks
 * it (the caller says it in English). A sentence with a count may be a [one, many] pair,
 * chosen by n (as the pack's counts). */
const char *bl_app_action_decision(const struct bl_words *w, const char *key, const char *id,
                                   int64_t n, char *buf, size_t cap);

/* Why stored action x closed, from the numbers its data keeps ("close", kept since session
 * 14), in pack w's words for locale ("库存恢复：可用 15，下次缺货 2024年12月23日") into buf;
 * NULL when w is NULL or x keeps none (an action closed before, or expired or decided by a
 * person: its close reason or state says it). */
const char *bl_app_action_close_text(const struct bl_words *w, const char *locale,
                                     struct bl_l10n *l10n, const struct bl_stock_action *x,
                                     char *buf, size_t cap);

/* The reason of action i of the playbook's preview res in pack w's words for locale
 * (playbook_words.c): a new action's as bl_app_action_reason will word it once stored, a
 * revert's or a withdrawal's from the pack's action_closes; w NULL: the English sentence
 * it stores (bl_app_stock_action_text). Into buf; returns buf. */
const char *bl_app_playbook_reason(const struct bl_words *w, const char *locale,
                                   struct bl_l10n *l10n, const struct bl_app_playbook_res *res,
                                   size_t i, char *buf, size_t cap);

#endif
