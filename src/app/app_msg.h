/* app_msg.h - what the outbox's use cases share (internal to src/app). */
#ifndef BL_APP_MSG_H
#define BL_APP_MSG_H

#include <jansson.h>

#include "app/messages.h"
#include "app/words.h"
#include "ballast/l10n.h"
#include "store/message.h"

/* A shop as planning sees it: its settings, its platform's messaging rules, the
 * kinds it opted in to auto-send, the start of its horizon. */
struct bl__msg_shop {
    const struct bl_msg_shop_set *s;
    struct bl_msg_rules rules;
    uint32_t autosend; /* BL_MSG_BIT of kinds sent without approval */
    int64_t since;     /* events before it are too old to write about */
};

struct bl__msg_shops {
    struct bl_msg_shop_set *sets; /* by id (bl_free) */
    struct bl__msg_shop *x;       /* parallel (bl_free) */
    size_t n;
};

/* Loads every shop's settings, rules (profiles, by the shop's rule profile; none:
 * the defaults), opt-ins and horizon (horizon_days, -1: the profile's) as of as_of.
 * Strings in a. */
int bl__msg_shops_load(struct bl_store *st, int64_t org, int64_t as_of, int horizon_days,
                       struct bl_arena *a, struct bl__msg_shops *out,
                       struct bl_diag *d) BL_MUST_CHECK;
void bl__msg_shops_release(struct bl__msg_shops *s);
/* The shop with that id, or NULL. */
const struct bl__msg_shop *bl__msg_shop_find(const struct bl__msg_shops *s, int64_t id);

/* A copy of rq whose account_url, support_contact and support_hours are the shop's
 * settings, or markers of the missing ones that bl__msg_settle finds after the
 * render; and the shop's signature (or its marker) into the template data j. */
int bl__msg_settings_data(const struct bl__msg_shop *sh, const struct bl_app_messages_plan_req *rq,
                          struct bl_app_messages_plan_req *out, json_t *j) BL_MUST_CHECK;

/* After a render: replaces the markers of missing settings in text with
 * "[not set: NAME]" and returns the mask (1u << bl_msg_setting) of those found. tmp
 * is scratch. BL_ENOMEM leaves text as it was and returns 0 in *missing. */
int bl__msg_settle(struct bl_buf *text, struct bl_buf *tmp, uint32_t *missing) BL_MUST_CHECK;

/* An open order with what planning derived for it. */
struct bl__msg_ord {
    const struct bl_msg_order *o;
    const struct bl__msg_shop *shop; /* its shop */
    const char *oos_sku; /* name of an item out of stock, or NULL */
    int64_t restock;     /* its next inbound ETA, or BL_NO_TIME */
    int64_t coupon;      /* amount, or -1 */
    const char *coupon_cur;
    int64_t coupon_at;   /* the as-of it was issued for, or BL_NO_TIME */
    const struct bl_msg_disruption *origin, *dest; /* a covering active disruption */
    int64_t resume; /* latest end of the disruptions covering its origin, or BL_NO_TIME */
    const struct bl__words *w; /* names of places and carriers (bl__msg_prepare) */
    const char *want;          /* the buyer's language ("" unknown), in the run's arena */
};

/* The facts of a planning run: arrays owned (bl_free), strings in an arena. */
struct bl__msg_facts {
    struct bl_msg_order *orders; /* by id */
    size_t n;
    struct bl__msg_ord *x; /* parallel to orders */
    struct bl_msg_disruption *dis;
    size_t ndis;
};

/* Fills the template data of one planned message (dates in the shop's zone; l10n: the
 * run's cache of date formatters, or NULL). */
int bl__msg_data(struct bl_l10n *l10n, const struct bl_app_messages_plan_req *rq,
                 const struct bl__msg_ord *x, const struct bl_notify_plan *p, json_t *j,
                 struct bl_diag *d) BL_MUST_CHECK;

/* The closure of customer service is a disruption of its own kind: it delays no
 * shipment (banners say when service resumes). */
#define BL__DIS_SERVICE_CLOSURE "customer_service_closure"

/* Ties the order to the run's words and sets the buyer's language (x->want). */
int bl__msg_prepare(const struct bl__words *w, struct bl__msg_ord *x, struct bl_arena *a,
                    struct bl_diag *d) BL_MUST_CHECK;

/* Whether the message of x rendered from pack is in another language than the buyer's,
 * and why: BL_LANG__COUNT when it is not. */
enum bl_app_lang_fallback bl__msg_fallback(const struct bl__msg_ord *x, const char *pack);

/* The customer's e-mail address, else <customer id>@domain (characters other than
 * letters, digits and . - _ + become _). */
void bl__msg_recipient(const char *customer, const char *email, const char *domain, char *out,
                       size_t cap);

#include "app/packs.h"
#include "ballast/map.h"

/* One planning (or preview) run: what it loaded and its scratch buffers. */
struct bl__msg_run {
    const struct bl_app_messages_plan_req *rq;
    struct bl_packs packs;
    struct bl__msg_shops shops;
    struct bl__msg_facts f;
    struct bl_map keys, held; /* the outbox's keys; those of held messages */
    struct bl_notify_order *no;
    struct bl_buf subj, body, tmp;
    int64_t now;
    struct bl_l10n *l10n; /* date formatters, one per (locale, zone) in use */
    struct bl__words words; /* names of places and carriers, the buyers' languages */
};

/* Sets r up for rq (borrowed), stamping now; keys and held in a. */
void bl__msg_run_init(struct bl__msg_run *r, const struct bl_app_messages_plan_req *rq,
                      int64_t now, struct bl_arena *a);
void bl__msg_run_release(struct bl__msg_run *r);

/* Opens r's words (places, carriers, areas) and sets each loaded order's language. */
int bl__msg_words(struct bl_store *st, int64_t org, struct bl__msg_run *r, struct bl_arena *a,
                  struct bl_diag *d) BL_MUST_CHECK;

/* The open orders as of rq->as_of with their facts, each with its shop (shops). */
int bl__msg_load_facts(struct bl_store *st, int64_t org, const struct bl_app_messages_plan_req *rq,
                       const struct bl__msg_shops *shops, struct bl_arena *a,
                       struct bl__msg_facts *f, struct bl_diag *d) BL_MUST_CHECK;
/* The planner's input: each order's facts inside its shop's horizon and its shop's
 * opt-ins (*no, bl_free), what the outbox holds (keys; held: the keys of held messages);
 * res->unreachable and res->too_old counted. */
int bl__msg_notify_input(struct bl_store *st, int64_t org,
                         const struct bl_app_messages_plan_req *rq, struct bl__msg_facts *f,
                         struct bl_arena *a, struct bl_map *keys, struct bl_map *held,
                         struct bl_notify_order **no, struct bl_notify_input *in,
                         struct bl_app_messages_plan_res *res, struct bl_diag *d) BL_MUST_CHECK;
/* Renders plan entry p with the shop's settings and decides whether it is held, into
 * *out (its strings in a); unless rq->dry_run, fills *m (NULL: none) with the outbox's row
 * for it, for bl_store_message_add_all (its strings out's and p's). */
int bl__msg_one(struct bl__msg_run *r, const struct bl_notify_plan *p,
                struct bl_app_message_planned *out, struct bl_msg_new *m, struct bl_arena *a,
                struct bl_diag *d) BL_MUST_CHECK;
/* Whether the map ctx holds the key idem. */
bool bl__msg_has_key(void *ctx, const char *idem);

#endif
