/* digest.h - the operator's digest: after each cycle, what changed and what waits for a
 * decision, rendered from templates/operator/<locale>/ (en, zh-CN) and delivered once per
 * cycle per recipient by e-mail (SMTP) or chat webhook (Slack, Feishu/Lark, DingTalk)
 * (docs/internals/cycle.md). Recipients are organisation settings (store/notify.h).
 * Rendering: digest.c, digest_items.c; the locale packs: word_pack.c; recipients and
 * delivery: notify.c.
 *
 * Ownership: buffers are the caller's (initialised; appended to); res is the caller's. */
#ifndef BL_APP_DIGEST_H
#define BL_APP_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/cycle.h"
#include "ballast/str.h"
#include "store/notify.h"

/* A scheduled run's story (app/sched.h): when it was due, the days missed before it,
 * each attempt that failed (the step and why), and whether the day was given up. */
#define BL_SCHED_NOTE_MAX 8
struct bl_app_sched_note {
    int at_min;     /* the local time it runs at */
    const char *tz; /* in this zone */
    int64_t missed; /* days before it whose run never happened */
    int64_t attempts; /* made, the last included */
    bool given_up;
    struct {
        int64_t attempt, at;
        char step[32];   /* "" when the cycle could not start */
        char error[300];
    } failed[BL_SCHED_NOTE_MAX];
    size_t nfailed;
};

/* What a digest is about: one organisation's cycle and what it left. */
struct bl_app_digest_in {
    const char *org_name;
    const struct bl_app_cycle_req *req;
    const struct bl_app_cycle_res *res;
    const struct bl_app_sched_note *sched; /* NULL: run by a person, not on schedule */
};

/* Renders the digest in locale (en or zh-CN; another falls back to en) from the
 * templates in dir (NULL: bl_app_templates_dir()). */
int bl_app_digest_render(const char *dir, const char *locale, const struct bl_app_digest_in *in,
                         struct bl_buf *subject, struct bl_buf *body,
                         struct bl_diag *d) BL_MUST_CHECK;

/* The words of a locale pack (templates/operator/<locale>/words.json) for the codes
 * Ballast stores: steps, step states, counts, message and action kinds, ratings. */
struct bl_words;
int bl_app_words_open(const char *dir, const char *locale, struct bl_words **out,
                      struct bl_diag *d) BL_MUST_CHECK;
/* The same from another words file under dir (NULL: the templates' directory), rel
 * relative to it ("programs/pt-BR/words.json"). *out is the caller's: bl_app_words_free. */
int bl_app_words_open_file(const char *dir, const char *rel, struct bl_words **out,
                           struct bl_diag *d) BL_MUST_CHECK;
void bl_app_words_free(struct bl_words *w);
/* A count as the pack's locale writes it, its digits grouped by ICU: "32,951" (en and
 * zh-CN; bl_l10n_count). A pack opened by bl_app_words_open knows its locale (its
 * "locale" key, set there); one from bl_app_words_open_file has the file's "locale", or
 * none: the digits alone. */
void bl_app_words_number(const struct bl_words *w, int64_t n, char *out, size_t cap);
/* "12 coupons issued" for ("coupons_new", 12), the count as bl_app_words_number. */
void bl_app_words_count(const struct bl_words *w, const char *name, int64_t n, char *out,
                        size_t cap);
/* A code's words in group (steps, states, message_kinds, action_kinds, alert_kinds,
 * ratings; "" for the pack's top-level phrases: steps_title, done_in...); a code the pack lacks
 * comes out with its underscores as spaces. */
void bl_app_words_code(const struct bl_words *w, const char *group, const char *code, char *out,
                       size_t cap);
/* The pack's top-level phrase key, or dflt when the pack has none. Points into w or is
 * dflt. */
const char *bl_app_words_phrase(const struct bl_words *w, const char *key, const char *dflt);
/* What separates the items of a list in the pack's language (its "list_sep": ", " in
 * English, "、" in Chinese; ", " when the pack has none). */
const char *bl_app_words_sep(const struct bl_words *w);

/* A recipient to add. kind: email (address an e-mail address; smtp_url and sender
 * required) | slack | feishu | lark | dingtalk (address the webhook URL, http(s); secret
 * the bot's signing secret or NULL). locale: en or zh-CN (NULL: en). */
struct bl_app_notify_req {
    const char *kind, *address, *secret, *locale, *smtp_url, *sender;
    int64_t now;
};
int bl_app_notify_add(struct bl_store *st, int64_t org, const struct bl_app_notify_req *req,
                      int64_t *id, struct bl_diag *d) BL_MUST_CHECK;
int bl_app_notify_remove(struct bl_store *st, int64_t org, int64_t id,
                         struct bl_diag *d) BL_MUST_CHECK;
int bl_app_notify_list(struct bl_store *st, int64_t org, bl_notify_target_fn fn, void *ctx,
                       struct bl_diag *d) BL_MUST_CHECK;

struct bl_app_digest_send_req {
    int64_t now;        /* 0: the clock */
    long timeout_secs;  /* per delivery; 0: 30 */
    bool smtp_insecure; /* do not verify SMTP certificates (tests) */
};

#define BL_DIGEST_TARGETS_MAX 32
struct bl_app_digest_delivery {
    int64_t target_id;
    char kind[16];
    enum { BL_DIGEST_SENT = 0, BL_DIGEST_ALREADY, BL_DIGEST_FAILED } state;
    char error[300];
};
struct bl_app_digest_send_res {
    size_t sent, already, failed;
    struct bl_app_digest_delivery d[BL_DIGEST_TARGETS_MAX];
    size_t n;
};

/* Delivers the digest of in's cycle to every recipient that has not had it (the key
 * "digest:<cycle>:<recipient>"); a failed delivery is recorded and tried again by the
 * next call. BL_OK even when a delivery failed (res says which); an error only when the
 * store or the templates fail. A dry run (no cycle id) delivers nothing. */
int bl_app_digest_send(struct bl_store *st, int64_t org, const struct bl_app_digest_in *in,
                       const struct bl_app_digest_send_req *req, struct bl_app_digest_send_res *res,
                       struct bl_diag *d) BL_MUST_CHECK;

#endif
