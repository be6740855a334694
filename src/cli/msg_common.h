/* msg_common.h - what `messages`, `shops` and `banners` share (internal to src/cli):
 * option parsing of instants, and the words for why a message is held. The use cases,
 * the template packs included, are in src/app (app/messages.h). */
#ifndef BL_CLI_MSG_COMMON_H
#define BL_CLI_MSG_COMMON_H

#include "cli/cli.h"
#include "app/messages.h"

/* An instant (ISO 8601) or a date YYYY-MM-DD meaning the end of that UTC day (of
 * zone, when not NULL). Returns 0, or 2 after printing usage. */
int bl_msg_parse_instant(struct bl_cli *cli, const char *cmd, const char *opt, const char *text,
                         int64_t *t);
int bl_msg_parse_as_of(struct bl_cli *cli, const char *cmd, const char *opt, const char *text,
                       const char *zone, int64_t *t);

/* One reason a message is held, in words a seller acts on, naming the shop and the
 * command that fixes it: h with detail (what broke the rule, "" if none) into out. */
void bl_msg_hold_reason(enum bl_hold h, const char *detail, const char *shop, char *out,
                        size_t cap);

/* Every reason of a stored hold text ("missing_setting=account_url;reserved_recipient=
 * customers.invalid", bl_notify_holds) in words, separated by "; ". */
void bl_msg_hold_words(const char *hold, const char *shop, char *out, size_t cap);

/* Words for a kind ("coupon notices") and a hold in short ("no address"). */
const char *bl_msg_kind_words(enum bl_msg_kind k);
const char *bl_msg_hold_short(enum bl_hold h);

/* Words for a shop setting: "account page URL", and its option "--account-url URL". */
const char *bl_msg_setting_words(enum bl_msg_setting s);
const char *bl_msg_setting_option(enum bl_msg_setting s);

#endif
