/* messages.h - the customer outbox and the shop banners, as use cases
 * (docs/internals/notify.md).
 *
 *  - bl_app_messages_plan: one message per order (or customer, for a campaign) per
 *    event, rendered from the template packs in the buyer's language and stored in
 *    the outbox in one transaction; idempotent by key (a second run adds nothing).
 *  - bl_app_messages_list / _show / _approve / _policy: read, approve, set which
 *    kinds wait for a person.
 *  - bl_app_messages_send: delivers due messages via SMTP, a webhook or a CSV file,
 *    at least once (claim, send, mark; retried with backoff).
 *  - bl_app_banners: the notices a shop shows while a disruption affects it.
 *
 * Shape and ownership: app.h. Strings in a res point into the res's arena (or into
 * the req, for what it gave); bl_app_*_res_release frees them and is safe on a
 * zeroed or partly filled res.
 */
#ifndef BL_APP_MESSAGES_H
#define BL_APP_MESSAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/notify.h"
#include "ballast/send.h"
#include "ballast/store.h"

#include "ballast/app.h" /* bl_app_templates_dir: where req->templates NULL looks */

/* ---------------------------------------------------------------- plan */

struct bl_app_messages_plan_req {
    int64_t as_of;         /* the facts as of then (required) */
    int64_t horizon;       /* seconds: a certain miss this close already counts */
    int64_t coupon_days;   /* a coupon's validity, for its expiry date */
    const char *channel;   /* email | webhook | csv (NULL: email), stored per message */
    const char *to_domain; /* customers without an e-mail: <id>@to_domain (NULL:
                              customers.invalid) */
    const char *account_url;
    const char *templates; /* NULL: bl_app_templates_dir() */
    const char *promo, *discount; /* a promo-code campaign (discount and promo_expires
                                     required with it) */
    int64_t promo_expires;
    const char *service_resumed; /* YYYY-MM-DD: a service-resumed campaign, or NULL */
    const char *support_contact, *support_hours;
    bool dry_run;          /* plan and render, store nothing */
    int64_t now;           /* created_at (0: the clock) */
    int64_t cycle_id;      /* 0: outside a cycle */
};

struct bl_app_message_planned {
    const char *idem;
    enum bl_msg_kind kind;
    const char *order; /* as the shop knows it; NULL for a campaign message */
    const char *shop, *customer, *locale, *recipient, *subject;
    bool approval; /* starts planned (waits for a person), else approved */
    bool added;    /* stored by this run (false for a dry run, or a concurrent run's) */
};

/* Why a message is not in the buyer's language. */
enum bl_app_lang_fallback {
    BL_LANG_NO_PACK = 0, /* the buyer's language is known, no template pack speaks it */
    BL_LANG_UNKNOWN,     /* no language known (no customer language, no delivery country
                            with a main language): the default pack */
    BL_LANG__COUNT
};

struct bl_app_messages_plan_res {
    struct bl_app_message_planned *msgs; /* what the planner decided, in plan order */
    size_t n;
    size_t added;       /* stored by this run */
    size_t already;     /* due by the facts but the outbox has them (a re-run) */
    size_t planned_kind[BL_MSG__COUNT], added_kind[BL_MSG__COUNT],
        already_kind[BL_MSG__COUNT];
    size_t unreachable; /* affected orders without a customer id: not messaged */
    size_t fallback[BL_LANG__COUNT]; /* planned messages in another language, by why */
    struct bl_arena arena;
};

/* The shop's account page until shops have their own (a placeholder: issue #13). */
#define BL_APP_ACCOUNT_URL_DEFAULT "https://shop.example/account"

/* What `messages plan` and the daily cycle plan with when the person says nothing else:
 * a 24-hour horizon, 90-day coupons, e-mail, the placeholder account page, support
 * contact and hours; as_of and now left 0. */
void bl_app_messages_plan_defaults(struct bl_app_messages_plan_req *req);

int bl_app_messages_plan(struct bl_store *st, int64_t org,
                         const struct bl_app_messages_plan_req *req,
                         struct bl_app_messages_plan_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_messages_plan_res_release(struct bl_app_messages_plan_res *res);

/* ---------------------------------------------------------------- list, show */

/* A message of the outbox. Text fields NULL where the store has none; times
 * BL_NO_TIME when not set. */
struct bl_app_message {
    int64_t id, attempts;
    const char *state, *kind, *order, *shop, *customer, *locale, *channel, *recipient,
        *subject, *last_error, *idem, *body, *covers;
    int64_t next_attempt_at, created_at, approved_at, sent_at, as_of;
};

struct bl_app_messages_list_req {
    const char *state, *kind; /* NULL or "": any */
    int64_t id;               /* 0: any; show: the one */
};

struct bl_app_messages_list_res {
    struct bl_app_message *msgs; /* by id */
    size_t n;
    struct bl_arena arena;
};

int bl_app_messages_list(struct bl_store *st, int64_t org,
                         const struct bl_app_messages_list_req *req,
                         struct bl_app_messages_list_res *res, struct bl_diag *d) BL_MUST_CHECK;
/* One message (req->id): BL_ENOTFOUND when there is none. */
int bl_app_messages_show(struct bl_store *st, int64_t org,
                         const struct bl_app_messages_list_req *req,
                         struct bl_app_messages_list_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_messages_list_res_release(struct bl_app_messages_list_res *res);

/* ---------------------------------------------------------------- approve, policy */

struct bl_app_messages_approve_req {
    int64_t id;       /* one message, or 0 with all */
    bool all;         /* every planned message (of kind, if given) */
    const char *kind; /* NULL or "": any */
    int64_t now;      /* approved_at (0: the clock) */
};

enum bl_app_approve_why {
    BL_APPROVE_OK = 0,
    BL_APPROVE_NO_MESSAGE,  /* no message with that id (BL_ENOTFOUND) */
    BL_APPROVE_NOT_WAITING, /* it is not waiting for approval (BL_ECONFLICT) */
};

struct bl_app_messages_approve_res {
    int64_t approved;
    enum bl_app_approve_why why;
};

int bl_app_messages_approve(struct bl_store *st, int64_t org,
                            const struct bl_app_messages_approve_req *req,
                            struct bl_app_messages_approve_res *res,
                            struct bl_diag *d) BL_MUST_CHECK;

struct bl_app_messages_policy_req {
    enum bl_msg_kind kind; /* BL_MSG__COUNT: only read the policy */
    bool approval;         /* a person approves that kind first */
};

struct bl_app_messages_policy_res {
    bool approval[BL_MSG__COUNT];
};

int bl_app_messages_policy(struct bl_store *st, int64_t org,
                           const struct bl_app_messages_policy_req *req,
                           struct bl_app_messages_policy_res *res,
                           struct bl_diag *d) BL_MUST_CHECK;

/* ---------------------------------------------------------------- send */

enum bl_app_via { BL_VIA_SMTP = 0, BL_VIA_WEBHOOK, BL_VIA_CSV };

/* How to send: the sender's configuration. Call bl_send_global_init once first for
 * smtp and webhook. */
struct bl_app_sender {
    enum bl_app_via via;
    struct bl_smtp smtp;
    const char *from, *from_name; /* smtp: the envelope and From address; display
                                     name (NULL: the shop's name) */
    const char *webhook, *secret; /* webhook: URL, HMAC secret */
    const char *out;              /* csv: the file, written whole then renamed */
    double rate;                  /* smtp, webhook: messages per second (0: no limit) */
};

struct bl_app_messages_send_req {
    struct bl_app_sender sender;
    int64_t id;           /* 0: every due message */
    const char *kind;     /* NULL or "": any */
    int64_t limit;        /* at most this many (INT64_MAX: all that are due) */
    int64_t backoff;      /* seconds before the first retry, doubled per attempt (max 1 day) */
    int64_t max_attempts; /* a failed message is retried while attempts < this */
    int64_t stale;        /* seconds after which a message left `sending` is sent again */
    int64_t now;          /* 0: the clock (also read for each send) */
};

enum bl_app_send_code {
    BL_SEND_SENT = 0,
    BL_SEND_FAILED, /* the channel refused it: retried later (error says why) */
    BL_SEND_TAKEN,  /* another sender claimed it first */
};

struct bl_app_send_result {
    int64_t id;
    const char *idem, *recipient;
    enum bl_app_send_code code;
    bool resent;       /* a send of it had been interrupted: sent again, same key */
    const char *error; /* BL_SEND_FAILED: the channel's reason; else NULL */
};

struct bl_app_messages_send_res {
    struct bl_app_send_result *results; /* one per message looked at */
    size_t n;
    size_t sent, failed, taken;
    struct bl_arena arena;
};

/* Fails (with d) only when the store or the CSV file fails; a message the channel
 * refuses is a BL_SEND_FAILED result. */
int bl_app_messages_send(struct bl_store *st, int64_t org,
                         const struct bl_app_messages_send_req *req,
                         struct bl_app_messages_send_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_messages_send_res_release(struct bl_app_messages_send_res *res);

/* ---------------------------------------------------------------- banners */

struct bl_app_banners_req {
    int64_t as_of; /* 0: now */
    const char *account_url;
    const char *templates; /* NULL: bl_app_templates_dir() */
};

enum bl_banner_place { BL_BANNER_HOMEPAGE = 0, BL_BANNER_SHIPPING, BL_BANNER_PRODUCT };

struct bl_app_banner {
    const char *shop, *locale; /* the shop's id as it knows it; the pack's locale */
    enum bl_banner_place place;
    const char *region; /* shipping: the destination country of the page ("US"); else NULL */
    const char *title, *text;
    int64_t until; /* the expected end: the latest end of the disruptions hitting it (a
                      closure of customer service alone: when it reopens) */
};

struct bl_app_banners_res {
    struct bl_app_banner *banners; /* shop by shop, locale by locale: home page, the
                                      shipping page per destination country, product */
    size_t n;
    size_t shops, affected;
    size_t no_window; /* affected shops with no lane to show a delivery time for (no
                         recent order on a channel of the catalogue): no shipping page */
    struct bl_arena arena;
};

int bl_app_banners(struct bl_store *st, int64_t org, const struct bl_app_banners_req *req,
                   struct bl_app_banners_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_banners_res_release(struct bl_app_banners_res *res);

/* "homepage", "shipping", "product" */
const char *bl_banner_place_name(enum bl_banner_place p);

#endif
