/* app_msg.h - what the outbox's use cases share (internal to src/app). */
#ifndef BL_APP_MSG_H
#define BL_APP_MSG_H

#include <jansson.h>

#include "app/messages.h"
#include "app/words.h"
#include "ballast/l10n.h"
#include "store/message.h"

/* An open order with what planning derived for it. */
struct bl__msg_ord {
    const struct bl_msg_order *o;
    const char *oos_sku; /* name of an item out of stock, or NULL */
    int64_t restock;     /* its next inbound ETA, or BL_NO_TIME */
    int64_t coupon;      /* amount, or -1 */
    const char *coupon_cur;
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

#endif
