/* notify.h - which customer gets which message: the pure planner of the outbox.
 *
 * The shell loads the facts of each order (will it miss its promised ship-by or
 * delivery, is an item out of stock with no restock before the promise, was a
 * coupon issued, is the order hit by a disruption) and which message kinds the
 * outbox already holds for it; the planner decides the new messages, each with its
 * idempotency key ("late_shipment:<order id>", "promo_code:<code>:<customer>"), the
 * template pack to render it from (the buyer's locale, falling back to English)
 * and whether a person must approve it first. No I/O, no clock.
 *
 * Rules (docs/internals/notify.md):
 *  - out_of_stock: an unshipped order with an item out of stock and no restock
 *    before its promise. It replaces late_shipment for that order (it already says
 *    when the order will ship).
 *  - late_shipment: an unshipped order that misses (or cannot make) its ship-by.
 *    When the order also has a coupon, the notice includes it and covers
 *    compensation_coupon.
 *  - late_delivery: a shipped, undelivered order that misses its promised delivery.
 *  - compensation_coupon: a coupon was issued and no message covered it.
 *  - unshipped_order: an unshipped order hit by a disruption that has not (yet)
 *    missed its ship-by: a heads-up.
 *  - campaigns (promo_code, service_resumed): one message per customer who has an
 *    order hit by a disruption, keyed by the campaign's ref and the customer.
 * One message per order (or customer) per event: a kind already in the outbox for
 * the order (bit set in `prior`) is never planned again.
 *
 * Ownership: the plan is allocated from the caller's arena; its strings point into
 * the arena or into the input (which must outlive the plan).
 */
#ifndef BALLAST_NOTIFY_H
#define BALLAST_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/assess.h" /* BL_NO_TIME */
#include "ballast/err.h"

enum bl_msg_kind {
    BL_MSG_LATE_SHIPMENT = 0,
    BL_MSG_LATE_DELIVERY,
    BL_MSG_OUT_OF_STOCK,
    BL_MSG_COMPENSATION_COUPON,
    BL_MSG_UNSHIPPED_ORDER,
    BL_MSG_PROMO_CODE,
    BL_MSG_SERVICE_RESUMED,
    BL_MSG__COUNT
};

/* "late_shipment", ... (the template kind); NULL for an unknown value. */
const char *bl_msg_kind_name(enum bl_msg_kind k);
/* BL_MSG__COUNT when the name is not a kind the planner makes. */
enum bl_msg_kind bl_msg_kind_from_name(const char *name);
#define BL_MSG_BIT(k) (1u << (unsigned)(k))

/* Facts of one order, as of the planning instant. */
enum {
    BL_NF_SHIPPED = 1u << 0,       /* handed to the carrier */
    BL_NF_MISS_SHIP = 1u << 1,     /* not shipped, misses or cannot make its ship-by */
    BL_NF_MISS_DELIVERY = 1u << 2, /* shipped, misses its promised delivery */
    BL_NF_OUT_OF_STOCK = 1u << 3,  /* an item out of stock, no restock before the promise */
    BL_NF_COUPON = 1u << 4,        /* a compensation coupon was issued */
    BL_NF_DISRUPTED = 1u << 5,     /* a disruption covers its origin or destination now */
};

struct bl_notify_order {
    int64_t id;           /* the store's id, used in idempotency keys */
    const char *customer; /* customer id; NULL or "": no campaign messages */
    const char *locale;   /* the buyer's locale (BCP 47 or POSIX style); NULL: unknown */
    uint32_t facts;       /* BL_NF_* */
    uint32_t prior;       /* BL_MSG_BIT of kinds the outbox already has (or covers) */
    uint32_t autosend;    /* BL_MSG_BIT of kinds its shop sends without a person's
                             approval (the opt-in); every other kind waits for one */
};

/* What the outbox knows of one order as of the planning instant (times are UTC
 * epoch seconds, BL_NO_TIME: none), for bl_notify_facts. */
struct bl_notify_fact_in {
    int64_t as_of, lookahead;  /* how far ahead a certain miss already counts */
    int64_t since;             /* the horizon: events before it are too old to write
                                  about (BL_NO_TIME: no horizon) */
    int64_t coupon_at;         /* when the coupon was issued (BL_NO_TIME: unknown) */
    int64_t ship_by, promised; /* the promises */
    bool shipped;              /* handed to the carrier by as_of */
    bool has_customer;         /* a customer id to write to */
    bool out_of_stock;         /* an item out of stock with no restock before the promise */
    bool coupon;               /* a compensation coupon was issued */
    bool origin_hit, dest_hit; /* a disruption covers its origin (unshipped) / destination */
    int64_t resume;            /* latest end of the disruptions covering its origin */
    int64_t dest_ends;         /* end of the disruption covering its destination */
};

/* The order's BL_NF_* facts: it misses its ship-by when that has passed, or is within
 * the lookahead and cannot be made (out of stock, or the origin stays disrupted past
 * it); it misses its promised delivery when that has passed, or is within the
 * lookahead and the destination stays disrupted past it.
 *
 * The horizon: an event is only a fact when it falls at or after `since`. The event
 * of a missed ship-by (and of an out-of-stock item, and of a disruption over an
 * unshipped order) is the ship-by; of a missed delivery (and of a disruption over a
 * shipped order) the promised delivery; of a coupon its issue. An order whose
 * promise fell before the horizon is never apologised to; *too_old (may be NULL)
 * says that a fact was dropped for it.
 *
 * An order without a customer gets no facts (nobody to write to); *unreachable (may
 * be NULL) then says whether it would have had any worth a message. */
uint32_t bl_notify_facts(const struct bl_notify_fact_in *f, bool *unreachable, bool *too_old);

/* When a delayed order can ship and arrive, as its messages tell the buyer. */
struct bl_notify_when {
    int64_t ship;       /* after the disruption over its origin, after the restock (no
                           restock known: two weeks), and not before tomorrow */
    int64_t span;       /* the transit it was promised: promised - ship-by, else 7 days */
    int64_t slack;      /* the delivery window's width: half the span, at least 2 days */
    int64_t redelivery; /* a shipped order: after the disruption over its destination,
                           not before tomorrow */
};

/* resume, restock, dest_ends: BL_NO_TIME when none; out_of_stock: an item is. */
void bl_notify_when(int64_t as_of, int64_t ship_by, int64_t promised, int64_t resume,
                    bool out_of_stock, int64_t restock, int64_t dest_ends,
                    struct bl_notify_when *w);

/* A campaign sent to every customer with a disrupted order. */
struct bl_notify_campaign {
    enum bl_msg_kind kind; /* BL_MSG_PROMO_CODE or BL_MSG_SERVICE_RESUMED */
    const char *ref;       /* the promo code, the resume date...: part of the key */
};

struct bl_notify_input {
    const struct bl_notify_order *orders;
    size_t norders;
    const char *const *locales; /* the template packs there are; must include "en" */
    size_t nlocales;
    const struct bl_notify_campaign *campaigns;
    size_t ncampaigns;
    /* idempotency keys of campaign messages already in the outbox (may be NULL) */
    bool (*has_key)(void *ctx, const char *idem);
    void *has_key_ctx;
};

struct bl_notify_plan {
    size_t order;            /* index into the orders (for campaigns: the first order of
                                the customer that is disrupted) */
    enum bl_msg_kind kind;
    const char *idem;        /* "late_shipment:42", "promo_code:SORRY15:c-7" */
    const char *locale;      /* one of the input's locales */
    bool approval;           /* starts as planned (true: the default) or approved (false:
                                the order's shop opted in to auto-send for the kind) */
    bool with_coupon;        /* late_shipment telling the coupon: covers compensation_coupon */
    int32_t campaign;        /* index into campaigns, or -1 */
};

/* The template pack for a buyer's locale: an exact match ("zh-CN"), then the same
 * language and region written another way ("zh_CN", "zh-Hans-CN"), then the same
 * language ("zh" -> the first zh pack), else "en". Returns one of locales[]. */
const char *bl_notify_locale(const char *const *locales, size_t nlocales, const char *want);

/* Plans the new messages, in order of the input (each order's messages in kind
 * order, then the campaigns customer by customer). *out is NULL when *n is 0.
 * BL_EINVAL when locales lacks "en", BL_ENOMEM. */
int bl_notify_plan(const struct bl_notify_input *in, struct bl_arena *a,
                   struct bl_notify_plan **out, size_t *n, struct bl_diag *d) BL_MUST_CHECK;

/* ---------------------------------------------------------------- holds
 *
 * What must be true before a message may leave (docs/internals/notify.md, "Holds"):
 * a message that breaks one of these rules is stored `held` with its reasons, shown
 * by `messages list` and `show`, and never sent by any sender. */

/* The shop settings a message may need (`ballast shops set`); the name is the
 * template variable that carries it ("sender": the From address of an e-mail). */
enum bl_msg_setting {
    BL_SET_ACCOUNT_URL = 0,
    BL_SET_SUPPORT,
    BL_SET_SUPPORT_HOURS,
    BL_SET_SIGNATURE,
    BL_SET_SENDER,
    BL_SET__COUNT
};

/* "account_url", "support_contact", "support_hours", "signature", "sender"; NULL
 * for an unknown value. */
const char *bl_msg_setting_name(enum bl_msg_setting s);
/* BL_SET__COUNT when the name is not a setting. */
enum bl_msg_setting bl_msg_setting_from_name(struct bl_str name);

/* A platform's rules for the messages a seller sends its buyers (profiles/NAME.json,
 * "messaging"; docs/metrics.md). */
struct bl_msg_rules {
    uint32_t kinds;      /* BL_MSG_BIT of the kinds its buyer-messaging channel allows */
    bool outside_links;  /* links and e-mail addresses may appear in a message */
    bool marketing;      /* marketing (promo_code) may be sent */
    int64_t max_length;  /* characters of the body; 0: no limit */
    int horizon_days;    /* the default horizon of `messages plan` */
};

/* No platform rule: every kind, links and marketing allowed, no length limit, a
 * 3-day horizon. */
void bl_msg_rules_default(struct bl_msg_rules *r);

/* Why a message is held. */
enum bl_hold {
    BL_HOLD_NO_RECIPIENT = 0,   /* no address to write to (the buyer has none) */
    BL_HOLD_RESERVED_RECIPIENT, /* the recipient is on a reserved or test domain */
    BL_HOLD_RESERVED_SENDER,    /* the sender (From) is on a reserved or test domain */
    BL_HOLD_RESERVED_LINK,      /* a link or address in the text is on one */
    BL_HOLD_MISSING_SETTING,    /* the template needs a shop setting that is not set */
    BL_HOLD_KIND_NOT_ALLOWED,   /* the platform's messaging does not allow the kind */
    BL_HOLD_MARKETING,          /* the platform forbids marketing messages */
    BL_HOLD_OUTSIDE_LINK,       /* the platform forbids links and outside addresses */
    BL_HOLD_TOO_LONG,           /* longer than the platform allows */
    BL_HOLD__COUNT
};

/* "no_recipient", "reserved_recipient", "reserved_sender", "reserved_link",
 * "missing_setting", "kind_not_allowed", "marketing", "outside_link", "too_long";
 * NULL for an unknown value. */
const char *bl_hold_name(enum bl_hold h);
/* BL_HOLD__COUNT when the name is not a hold. */
enum bl_hold bl_hold_from_name(struct bl_str name);

/* A reserved or test domain name (RFC 2606, RFC 6761): the top-level domains .test,
 * .example, .invalid, .localhost, and example.com, example.net, example.org, each
 * with its subdomains; case and a trailing dot do not matter. */
bool bl_reserved_domain(struct bl_str host);

/* A message as rendered, for bl_notify_holds. */
struct bl_hold_in {
    enum bl_msg_kind kind;
    const char *recipient;            /* NULL or "": none */
    const char *sender;               /* the From address; NULL: not asked (not e-mail) */
    const char *subject, *body;       /* UTF-8 */
    uint32_t missing;                 /* 1u << bl_msg_setting of the settings it lacks */
    const struct bl_msg_rules *rules; /* the shop's platform; NULL: none */
};

/* The reasons the message is held, as a mask of 1u << bl_hold (0: it may leave), and
 * as text into out (cap > 0, truncated at a reason's end): reasons separated by ';',
 * each its name and, where one helps, '=' and what broke it ("missing_setting=
 * account_url,signature;reserved_recipient=customers.invalid;outside_link=
 * https://shop.test/account"); "" when none. */
uint32_t bl_notify_holds(const struct bl_hold_in *in, char *out, size_t cap);

#endif
