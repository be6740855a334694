/* audit.h - the audit log: every change a person or system makes, who made it, when, from
 * where, and the object before and after (docs/internals/audit.md).
 *
 * Who is the store connection's actor (bl_store_set_actor, store.h): the CLI sets the
 * local user, the API the token or user of each request. Each use case that changes
 * something calls bl_app_audit once, inside its own transaction, after the change: the row
 * commits with the change or not at all.
 *
 * Actions are "<kind>.<verb>": disruption.declare, disruption.edit, disruption.lift,
 * protection.add, token.create, token.revoke, user.add, user.remove, user.passwd, user.language,
 * session.open, session.close, org.currency, org.govern, org.release, shop.settings,
 * message.approve, message.reject, message.policy, messages.send, action.apply,
 * action.approve, action.reject,
 * action.policy, coupons.issue, import.batch, cycle.run, notify.add, notify.remove,
 * policy.route, policy.refund, refund.decide, sla.waive, org.schedule, webhook.add,
 * webhook.remove, retention.set.
 *
 * Ownership: bl_app_audit takes its JSON values (it decrefs them, on failure too); the
 * list's result owns its strings (an arena), freed by bl_app_audit_list_res_release.
 */
#ifndef BL_APP_AUDIT_H
#define BL_APP_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "ballast/alloc.h"
#include "ballast/app.h"
#include "store/audit.h"

/* Records one change of org at now (0: the clock): action, the object's kind and id (NULL:
 * none), before and after (NULL: none; taken: pack nullable strings with "s?"). */
int bl_app_audit(struct bl_store *st, int64_t org, int64_t now, const char *action,
                 const char *kind, const char *id, json_t *before, json_t *after,
                 struct bl_diag *d) BL_MUST_CHECK;
/* The same with a numeric object id. */
int bl_app_audit_n(struct bl_store *st, int64_t org, int64_t now, const char *action,
                   const char *kind, int64_t id, json_t *before, json_t *after,
                   struct bl_diag *d) BL_MUST_CHECK;

/* An instant as JSON for before/after: ISO 8601 UTC text, null for BL_NO_TIME. */
json_t *bl_app_audit_time(int64_t t);

struct bl_app_audit_req {
    int64_t since, until; /* BL_NO_TIME: no bound; [since, until) */
    const char *actor;    /* NULL: anyone */
    const char *action;   /* NULL: any; "disruption" every disruption.* */
    int64_t limit;        /* rows of a page, 1 or more */
    int64_t before_id;    /* the cursor: rows older than this id (0: the newest) */
};

struct bl_app_audit_res {
    struct bl_audit_row *rows; /* newest first; strings in arena */
    size_t n, cap;
    bool more; /* older rows pass the filter: next page before rows[n-1].id */
    struct bl_arena arena;
};

int bl_app_audit_list(struct bl_store *st, int64_t org, const struct bl_app_audit_req *req,
                      struct bl_app_audit_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_audit_list_res_release(struct bl_app_audit_res *res);

#endif
