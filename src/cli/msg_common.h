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

/* The names of an organisation's shops (bl_app_shop_settings, as `shops list` reads
 * them), to name a shop in words: loaded while the store is open, released with
 * bl_msg_names_release (safe on a zeroed or failed one). */
struct bl_msg_names {
    struct bl_app_shop_settings_res res;
    const struct bl_app_shop_settings **by_shop; /* res's shops sorted by shop */
    size_t n;
};

int bl_msg_names_load(struct bl_store *st, int64_t org, struct bl_msg_names *nm,
                      struct bl_diag *d) BL_MUST_CHECK;
void bl_msg_names_release(struct bl_msg_names *nm);

/* Shop's name ("Campinas (SP)"), or shop itself when it has none, is unknown or nm is
 * NULL; NULL for a NULL shop. Points into nm or is shop. */
const char *bl_msg_shop_name(const struct bl_msg_names *nm, const char *shop);

/* One reason a message is held, in words a seller acts on, naming the shop by name (its
 * id when name is NULL or "") and the command that fixes it by shop (its id): h with
 * detail (what broke the rule, "" if none) into out. */
void bl_msg_hold_reason(enum bl_hold h, const char *detail, const char *shop, const char *name,
                        char *out, size_t cap);

/* Every reason of a stored hold text ("missing_setting=account_url;reserved_recipient=
 * customers.invalid", bl_notify_holds) in words, separated by "; ". */
void bl_msg_hold_words(const char *hold, const char *shop, const char *name, char *out, size_t cap);

/* Words for a kind ("coupon notices") and a hold in short ("no address"). */
const char *bl_msg_kind_words(enum bl_msg_kind k);
const char *bl_msg_hold_short(enum bl_hold h);

/* Words for a shop setting: "account page URL", and its option "--account-url URL". */
const char *bl_msg_setting_words(enum bl_msg_setting s);
const char *bl_msg_setting_option(enum bl_msg_setting s);

#endif
