/* messages.c - the outbox: list, show, approve, policy (messages.h). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "app/messages.h"
#include "ballast/app.h"
#include "store/message.h"

int bl_app_messages_list(struct bl_store *st, int64_t org,
                         const struct bl_app_messages_list_req *req,
                         struct bl_app_messages_list_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 0);
    struct bl_msg_row *rows = NULL;
    struct bl_msg_list_q q = {req->state, req->kind, req->shop, req->id,
                              req->has_from ? req->from : BL_NO_TIME,
                              req->has_to ? req->to : BL_NO_TIME, req->after, req->limit};
    int rc = bl_store_message_list(st, org, &q, &res->arena, &rows, &res->n, d);
    if (!rc && res->n && !(res->msgs = bl_calloc(res->n, sizeof(*res->msgs))))
        rc = bl_diag_set(d, BL_ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < res->n; i++) {
        const struct bl_msg_row *m = &rows[i];
        res->msgs[i] = (struct bl_app_message){
            .id = m->id, .attempts = m->attempts, .state = m->state, .kind = m->kind,
            .order = m->order, .shop = m->shop, .customer = m->customer, .locale = m->locale,
            .channel = m->channel, .recipient = m->recipient, .subject = m->subject,
            .last_error = m->last_error, .idem = m->idem, .body = m->body, .covers = m->covers,
            .next_attempt_at = m->next_attempt_at, .created_at = m->created_at,
            .approved_at = m->approved_at, .sent_at = m->sent_at, .as_of = m->as_of,
            .hold = m->hold, .rejected_at = m->rejected_at, .rejected_by = m->rejected_by,
            .reject_reason = m->reject_reason};
    }
    bl_free(rows);
    if (rc)
        res->n = 0;
    return rc;
}

int bl_app_messages_show(struct bl_store *st, int64_t org,
                         const struct bl_app_messages_list_req *req,
                         struct bl_app_messages_list_res *res, struct bl_diag *d)
{
    if (req->id <= 0) {
        memset(res, 0, sizeof(*res));
        return bl_diag_set(d, BL_EINVAL, "a message id is a positive number");
    }
    struct bl_app_messages_list_req one = {.id = req->id};
    int rc = bl_app_messages_list(st, org, &one, res, d);
    if (!rc && res->n == 0)
        rc = bl_diag_set(d, BL_ENOTFOUND, "no message %lld", (long long)req->id);
    return rc;
}

void bl_app_messages_list_res_release(struct bl_app_messages_list_res *res)
{
    bl_free(res->msgs);
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}

int bl_app_messages_approve(struct bl_store *st, int64_t org,
                            const struct bl_app_messages_approve_req *req,
                            struct bl_app_messages_approve_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    if (req->all == (req->id != 0))
        return bl_diag_set(d, BL_EINVAL, "approve one message id or all");
    char id[24];
    snprintf(id, sizeof(id), "%lld", (long long)req->id);
    int rc = bl_store_begin(st, d);
    rc = rc ? rc
            : bl_store_message_approve(st, org, req->all ? 0 : req->id, req->kind,
                                       bl_app_now_or(req->now), &res->approved, d);
    if (!rc && res->approved)
        rc = bl_app_audit(st, org, req->now, "message.approve", "message", req->id ? id : NULL,
                          json_pack("{s:s}", "state", "planned"),
                          json_pack("{s:s, s:I, s:s?}", "state", "approved", "messages",
                                    (json_int_t)res->approved, "kind",
                                    req->kind && req->kind[0] ? req->kind : NULL),
                          d);
    rc = bl_store_end(st, rc, d);
    if (rc || !req->id || res->approved)
        return rc;
    bool exists = false;
    rc = bl_store_message_exists(st, org, req->id, &exists, d);
    if (rc)
        return rc;
    res->why = exists ? BL_APPROVE_NOT_WAITING : BL_APPROVE_NO_MESSAGE;
    return exists ? bl_diag_set(d, BL_ECONFLICT, "message %lld is not waiting for approval",
                                (long long)req->id)
                  : bl_diag_set(d, BL_ENOTFOUND, "no message %lld", (long long)req->id);
}

int bl_app_messages_reject(struct bl_store *st, int64_t org,
                           const struct bl_app_messages_reject_req *req,
                           struct bl_app_messages_reject_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 0);
    if (req->id <= 0 || !req->reason || !req->reason[0])
        return bl_diag_set(d, BL_EINVAL, "reject one message id, saying why");
    int64_t changes = 0;
    int rc = bl_store_begin(st, d);
    rc = rc ? rc
            : bl_store_message_reject(st, org, req->id, bl_app_now_or(req->now), req->by,
                                      req->reason, &changes, d);
    if (!rc && changes)
        rc = bl_app_audit_n(st, org, req->now, "message.reject", "message", req->id, NULL,
                            json_pack("{s:s, s:s}", "state", "rejected", "reason", req->reason), d);
    rc = bl_store_end(st, rc, d);
    if (rc || changes)
        return rc;
    struct bl_msg_list_q q = {.id = req->id, .from = INT64_MIN, .to = INT64_MIN};
    struct bl_msg_row *rows = NULL;
    size_t n = 0;
    rc = bl_store_message_list(st, org, &q, &res->arena, &rows, &n, d);
    if (!rc && n)
        bl_str_copy(res->state, sizeof(res->state), bl_str_c(rows[0].state));
    bl_free(rows);
    if (rc)
        return rc;
    res->why = n ? BL_REJECT_NOT_WAITING : BL_REJECT_NO_MESSAGE;
    return n ? bl_diag_set(d, BL_ECONFLICT, "message %lld is %s: only a message waiting for "
                                            "approval or held may be rejected",
                           (long long)req->id, res->state)
             : bl_diag_set(d, BL_ENOTFOUND, "no message %lld", (long long)req->id);
}

void bl_app_messages_reject_res_release(struct bl_app_messages_reject_res *res)
{
    bl_arena_release(&res->arena);
}

/* The shop's id, 0 for NULL (every shop); BL_ENOTFOUND for an unknown one. */
static int shop_id(struct bl_store *st, int64_t org, const char *shop, int64_t *id,
                   struct bl_diag *d)
{
    *id = 0;
    if (!shop)
        return BL_OK;
    struct bl_val p[2] = {bl_val_int(org), bl_val_text(bl_str_c(shop))};
    int rc = bl_store_query_int(st, "SELECT COALESCE(MAX(id), 0) FROM shop WHERE org_id = $1"
                                    " AND ext_id = $2",
                                p, 2, id, d);
    if (!rc && *id == 0)
        rc = bl_diag_set(d, BL_ENOTFOUND, "no shop '%s'", shop);
    return rc;
}

int bl_app_messages_policy(struct bl_store *st, int64_t org,
                           const struct bl_app_messages_policy_req *req,
                           struct bl_app_messages_policy_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 0);
    int rc = BL_OK;
    if (req->set) {
        const char *kind = bl_msg_kind_name(req->kind);
        int64_t id = 0;
        rc = kind ? bl_store_begin(st, d) : bl_diag_set(d, BL_EINVAL, "not a message kind");
        if (kind && !rc) {
            rc = shop_id(st, org, req->shop, &id, d);
            rc = rc ? rc
                    : bl_store_message_auto_set(st, org, id, kind, req->autosend,
                                                bl_app_now_or(req->now), d);
            rc = rc ? rc
                    : bl_app_audit(st, org, req->now, "message.policy", "shop", req->shop, NULL,
                                   json_pack("{s:s, s:b}", "kind", kind, "autosend",
                                             req->autosend),
                                   d);
            rc = bl_store_end(st, rc, d);
        }
    }
    struct bl_msg_auto *au = NULL;
    size_t n = 0;
    if (!rc)
        rc = bl_store_message_auto(st, org, &res->arena, &au, &n, d);
    if (!rc && n && !(res->autosend = bl_calloc(n, sizeof(*res->autosend))))
        rc = bl_diag_set(d, BL_ENOMEM, "out of memory");
    for (unsigned k = 0; !rc && k < BL_MSG__COUNT; k++) /* by kind, then shop */
        for (size_t i = 0; i < n; i++)
            if (bl_msg_kind_from_name(au[i].kind) == (enum bl_msg_kind)k)
                res->autosend[res->n++] = (struct bl_app_msg_autosend){
                    (enum bl_msg_kind)k, au[i].shop_id ? au[i].shop : NULL};
    bl_free(au);
    return rc;
}

void bl_app_messages_policy_res_release(struct bl_app_messages_policy_res *res)
{
    bl_free(res->autosend);
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}
