/* messages.h - the customer outbox and the shop banners, as use cases
 * (docs/internals/notify.md).
 *
 *  - bl_app_messages_plan: one message per order (or customer, for a campaign) per
 *    event inside the horizon, rendered from the template packs in the buyer's
 *    language with the shop's settings and stored in the outbox in one transaction;
 *    idempotent by key (a second run adds nothing). Every message waits for a
 *    person's approval unless its shop opted in to auto-send for its kind; one that
 *    may not leave (a missing setting, a reserved domain, a platform rule) is held.
 *  - bl_app_messages_preview: one message of one order, rendered as the plan would,
 *    neither stored nor sent.
 *  - bl_app_messages_list / _show / _approve / _policy: read, approve, opt shops in
 *    to (or out of) auto-send per kind.
 *  - bl_app_shop_settings / _set: what a shop's messages say about it.
 *  - bl_app_messages_send: delivers due messages via SMTP, a webhook or a CSV file,
 *    at least once (claim, send, mark; retried with backoff), never a held one.
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

/* A coupon a dry run would issue: not in the store, told as if it were. */
struct bl_app_msg_coupon {
    int64_t order_id; /* the store's id */
    int64_t amount;   /* minor units */
    char currency[4];
};

struct bl_app_messages_plan_req {
    int64_t as_of;         /* the facts as of then (required) */
    int64_t lookahead;     /* seconds: a certain miss this close already counts */
    int horizon_days;      /* only events at most this many days before as_of are
                              written about (-1: each shop's profile says, default 3) */
    int64_t coupon_days;   /* a coupon's validity, for its expiry date */
    const char *channel;   /* email | webhook | csv (NULL: email), stored per message */
    const char *to_domain; /* customers without an e-mail: <id>@to_domain (a relay the
                              shop runs); NULL: they have no address (held) */
    const char *templates; /* NULL: bl_app_templates_dir() */
    const char *promo, *discount; /* a promo-code campaign (discount and promo_expires
                                     required with it) */
    int64_t promo_expires;
    const char *service_resumed; /* YYYY-MM-DD: a service-resumed campaign, or NULL */
    /* Filled by the use case for each message from its shop's settings (what the
     * caller sets is not used): the template data messages_data.c reads. */
    const char *account_url, *support_contact, *support_hours;
    bool dry_run;          /* plan and render, store nothing */
    const struct bl_app_msg_coupon *coupons; /* a dry run's: the coupons a dry cycle's
                                                compensate step would issue (issued as_of) */
    size_t ncoupons;
    int64_t now;           /* created_at (0: the clock) */
    int64_t cycle_id;      /* 0: outside a cycle */
};

struct bl_app_message_planned {
    const char *idem;
    enum bl_msg_kind kind;
    const char *order; /* as the shop knows it; NULL for a campaign message */
    const char *shop, *customer, *locale, *recipient, *subject;
    const char *body; /* as rendered (missing settings shown as "[not set: NAME]") */
    const char *hold; /* NULL: may leave; else held, reasons as bl_notify_holds writes */
    uint32_t holds;   /* 1u << enum bl_hold of those reasons */
    bool approval;    /* starts planned (waits for a person), else approved */
    bool added;       /* stored by this run (false for a dry run, or a concurrent run's) */
    bool redone;      /* it was held: rendered again by this run */
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
    size_t too_old;     /* orders whose event fell before the horizon: not messaged */
    size_t waiting;     /* of the messages stored or rendered again: wait for approval */
    size_t held, held_reason[BL_HOLD__COUNT]; /* ... held (per reason: may overlap) */
    size_t redone;      /* held messages rendered again */
    struct bl_arena arena;
};

/* What `messages plan` and the daily cycle plan with when the person says nothing else:
 * a 24-hour lookahead, each shop's horizon (-1), 90-day coupons, e-mail, no relay
 * domain; as_of and now left 0. */
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
    const char *hold; /* held: the reasons (bl_notify_holds), else NULL */
    int64_t rejected_at;                      /* rejected: when, else BL_NO_TIME */
    const char *rejected_by, *reject_reason; /* rejected: who (NULL: unknown), why */
};

struct bl_app_messages_list_req {
    const char *state, *kind; /* NULL or "": any */
    int64_t id;               /* 0: any; show: the one */
    const char *shop;         /* the shop as it knows itself; NULL or "": any */
    bool has_from, has_to;    /* created in [from, to) */
    int64_t from, to;
    int64_t after; /* only ids after it (a page's cursor; 0: from the first) */
    int64_t limit; /* at most this many (0: all) */
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

/* Rejecting a message: it waits for approval or is held, and must never leave (state
 * rejected, with who, when and why; a later plan does not write it again). */
struct bl_app_messages_reject_req {
    int64_t id;
    const char *reason; /* why (required) */
    const char *by;     /* who, for the record; NULL: unknown */
    int64_t now;        /* rejected_at (0: the clock) */
};

enum bl_app_reject_why {
    BL_REJECT_OK = 0,
    BL_REJECT_NO_MESSAGE,  /* no message with that id (BL_ENOTFOUND) */
    BL_REJECT_NOT_WAITING, /* approved, sent, rejected... (BL_ECONFLICT): res->state */
};

struct bl_app_messages_reject_res {
    enum bl_app_reject_why why;
    char state[16]; /* NOT_WAITING: the state it is in */
    struct bl_arena arena;
};

int bl_app_messages_reject(struct bl_store *st, int64_t org,
                           const struct bl_app_messages_reject_req *req,
                           struct bl_app_messages_reject_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_messages_reject_res_release(struct bl_app_messages_reject_res *res);

/* Auto-send is an opt-in per kind and per shop: without one, every message waits for
 * a person's approval. */
struct bl_app_messages_policy_req {
    bool set;              /* false: only read */
    enum bl_msg_kind kind; /* set: the kind */
    const char *shop;      /* set: the shop as it knows itself; NULL: every shop */
    bool autosend;         /* set: opt in (true) or back to approval (false) */
    int64_t now;           /* 0: the clock */
};

struct bl_app_msg_autosend {
    enum bl_msg_kind kind;
    const char *shop; /* NULL: every shop of the organisation */
};

struct bl_app_messages_policy_res {
    struct bl_app_msg_autosend *autosend; /* the opt-ins, by kind then shop */
    size_t n;
    struct bl_arena arena;
};

/* BL_ENOTFOUND for an unknown shop. */
int bl_app_messages_policy(struct bl_store *st, int64_t org,
                           const struct bl_app_messages_policy_req *req,
                           struct bl_app_messages_policy_res *res,
                           struct bl_diag *d) BL_MUST_CHECK;
void bl_app_messages_policy_res_release(struct bl_app_messages_policy_res *res);

/* ---------------------------------------------------------------- shop settings */

/* A shop's settings: what its messages say about it (NULL: not set). */
struct bl_app_shop_settings {
    const char *shop, *name, *platform;
    const char *set[BL_SET__COUNT]; /* BL_SET_SENDER: the From address */
    const char *sender_name;
};

struct bl_app_shop_settings_res {
    struct bl_app_shop_settings *shops; /* by id */
    size_t n;
    struct bl_arena arena;
};

int bl_app_shop_settings(struct bl_store *st, int64_t org, struct bl_app_shop_settings_res *res,
                         struct bl_diag *d) BL_MUST_CHECK;
void bl_app_shop_settings_res_release(struct bl_app_shop_settings_res *res);

/* Sets the values given (NULL: left as they are; "": cleared) of req->shop. Checks
 * meaning: the account URL is an http(s) URL, the sender and a support contact with
 * an '@' are e-mail addresses (BL_EINVAL, field named in d). BL_ENOTFOUND for an
 * unknown shop. */
struct bl_app_shop_settings_req {
    const char *shop;
    const char *set[BL_SET__COUNT];
    const char *sender_name;
    int64_t now; /* 0: the clock */
};

int bl_app_shop_settings_set(struct bl_store *st, int64_t org,
                             const struct bl_app_shop_settings_req *req,
                             struct bl_diag *d) BL_MUST_CHECK;

/* Sets many shops' settings from a CSV file (docs/formats.md, "Shop settings"): a
 * column `shop` and any of account_url, support, support_hours, signature, sender,
 * sender_name; an empty cell leaves that setting as it is. All or nothing, in one
 * transaction; an error names the file, line and what was wrong. *set: rows applied. */
int bl_app_shop_settings_import(struct bl_store *st, int64_t org, const char *path, int64_t now,
                                size_t *set, struct bl_diag *d) BL_MUST_CHECK;

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
    BL_SEND_HELD,   /* it may not leave (a reserved domain): held, never sent (error:
                       the reasons) */
};

struct bl_app_send_result {
    int64_t id;
    const char *idem, *recipient;
    enum bl_app_send_code code;
    bool resent;       /* a send of it had been interrupted: sent again, same key */
    const char *error; /* BL_SEND_FAILED: the channel's reason; else NULL */
};

/* What is left waiting after a send, per shop and reason. */
struct bl_app_msg_waiting {
    const char *shop;   /* as it knows itself */
    enum bl_hold hold;  /* BL_HOLD__COUNT: waiting for a person's approval */
    const char *detail; /* what broke the rule ("account_url", "customers.invalid"), or "" */
    int64_t n;
};

/* Per shop, how many messages wait for approval and how many are held. */
struct bl_app_msg_shop_waiting {
    const char *shop;
    int64_t approval, held;
};

struct bl_app_messages_send_res {
    struct bl_app_send_result *results; /* one per message looked at */
    size_t n;
    size_t sent, failed, taken, held;
    struct bl_app_msg_waiting *waiting; /* by shop, then approval first, then reason */
    size_t nwaiting;
    struct bl_app_msg_shop_waiting *shops; /* most held first, then most waiting */
    size_t nshops;
    int64_t awaiting_approval, held_total; /* messages (a held one counts once) */
    struct bl_arena arena;
};

/* Fails (with d) only when the store or the CSV file fails; a message the channel
 * refuses is a BL_SEND_FAILED result. */
int bl_app_messages_send(struct bl_store *st, int64_t org,
                         const struct bl_app_messages_send_req *req,
                         struct bl_app_messages_send_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_messages_send_res_release(struct bl_app_messages_send_res *res);

/* ---------------------------------------------------------------- preview */

struct bl_app_messages_preview_req {
    const char *order;     /* as the shop knows it */
    const char *shop;      /* NULL: any shop (BL_ECONFLICT when several have the order) */
    enum bl_msg_kind kind; /* the message to render */
    const char *locale;    /* NULL: the buyer's, as the plan chooses */
    int64_t as_of;         /* 0: the clock */
    const char *channel, *to_domain, *templates; /* as for the plan */
    int64_t coupon_days;   /* 0: 90 */
    const char *promo, *discount; /* promo_code: the campaign (NULL: "PREVIEW", "10%") */
    int64_t promo_expires;
    const char *service_resumed;
};

struct bl_app_messages_preview_res {
    struct bl_app_message_planned msg; /* the message, its hold and reasons */
    bool due;         /* the facts call for this message now (the plan would queue it) */
    bool too_old;     /* ... but its event fell before the horizon */
    bool in_outbox;   /* the outbox already has its key */
    int64_t since;    /* the horizon's start */
    struct bl_arena arena;
};

/* BL_ENOTFOUND when the order is not open as of as_of (unknown, delivered or
 * cancelled), BL_EINVAL for a campaign kind without its campaign data. */
int bl_app_messages_preview(struct bl_store *st, int64_t org,
                            const struct bl_app_messages_preview_req *req,
                            struct bl_app_messages_preview_res *res,
                            struct bl_diag *d) BL_MUST_CHECK;
void bl_app_messages_preview_res_release(struct bl_app_messages_preview_res *res);

/* ---------------------------------------------------------------- banners */

struct bl_app_banners_req {
    int64_t as_of; /* 0: now */
    const char *account_url; /* every shop's account page; NULL: each shop's setting */
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
    size_t no_account; /* affected shops with no account page URL (a shop setting): their
                          notices leave the link out */
    struct bl_arena arena;
};

int bl_app_banners(struct bl_store *st, int64_t org, const struct bl_app_banners_req *req,
                   struct bl_app_banners_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_banners_res_release(struct bl_app_banners_res *res);

/* "homepage", "shipping", "product" */
const char *bl_banner_place_name(enum bl_banner_place p);

#endif
