/* h_messages.c - the customer outbox: the list a page at a time (bl_app_messages_list),
 * one message (_show) and its text as the buyer reads it, approving one or many
 * (_approve), rejecting one (_reject), sending the approved ones (_send); and the shop
 * banners (bl_app_banners). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "api/handlers.h"
#include "app/messages.h"
#include "ballast/notify.h"
#include "ballast/time.h"

/* "reason=arg;reason" as [{"reason", "detail"}]. */
static json_t *holds_json(const char *hold)
{
    json_t *list = json_array();
    while (list && hold && *hold) {
        const char *end = strchr(hold, ';');
        size_t n = end ? (size_t)(end - hold) : strlen(hold);
        const char *eq = memchr(hold, '=', n);
        size_t kn = eq ? (size_t)(eq - hold) : n;
        json_t *j = json_pack("{s:s%, s:s%}", "reason", hold, kn, "detail", eq ? eq + 1 : "",
                              eq ? n - kn - 1 : 0);
        if (json_array_append_new(list, j))
            json_decref(list), list = NULL;
        hold = end ? end + 1 : NULL;
    }
    return list;
}

static json_t *msg_json(const struct bl_app_message *m, bool whole)
{
    json_t *j = json_pack(
        "{s:I, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:I, s:s?, "
        "s:o, s:o, s:o, s:o, s:o, s:o}",
        "id", (json_int_t)m->id, "state", m->state, "kind", m->kind, "order", m->order, "shop",
        m->shop, "customer", m->customer, "locale", m->locale, "channel", m->channel, "recipient",
        m->recipient, "subject", m->subject, "attempts", (json_int_t)m->attempts, "last_error",
        m->last_error, "next_attempt_at", bl__api_time(m->next_attempt_at), "created_at",
        bl__api_time(m->created_at), "approved_at", bl__api_time(m->approved_at), "sent_at",
        bl__api_time(m->sent_at), "as_of", bl__api_time(m->as_of), "holds", holds_json(m->hold));
    if (j && m->rejected_at != BL_NO_TIME &&
        json_object_update_new(j, json_pack("{s:o, s:s?, s:o, s:s?}", "rejected_at",
                                            bl__api_time(m->rejected_at), "rejected_by",
                                            m->rejected_by, "rejected_by_actor",
                                            bl__api_actor(m->rejected_by), "reject_reason",
                                            m->reject_reason)))
        json_decref(j), j = NULL;
    if (j && whole &&
        json_object_update_new(j, json_pack("{s:s?, s:s?, s:s?}", "idem", m->idem, "covers",
                                            m->covers, "body", m->body)))
        json_decref(j), j = NULL;
    return j;
}

static unsigned list_req(struct bl__api_call *c, struct bl_app_messages_list_req *req,
                         struct bl__api_page *pg)
{
    const char *kind = bl__api_query(c, "kind");
    *req = (struct bl_app_messages_list_req){.state = bl__api_query(c, "state"),
                                             .kind = kind,
                                             .shop = bl__api_query(c, "shop"),
                                             .has_from = bl__api_query(c, "from") != NULL,
                                             .has_to = bl__api_query(c, "to") != NULL};
    if (kind && bl_msg_kind_from_name(kind) == BL_MSG__COUNT)
        return bl__api_error(c, MHD_HTTP_BAD_REQUEST, "invalid", "kind",
                             "kind: not a message kind (late_shipment, late_delivery, "
                             "out_of_stock, compensation_coupon, unshipped_order, promo_code, "
                             "service_resumed)");
    unsigned st = bl__api_shop_check(c, req->shop);
    st = st ? st : bl__api_query_time(c, "from", 0, &req->from);
    st = st ? st : bl__api_query_time(c, "to", 0, &req->to);
    st = st ? st : bl__api_page_args(c, pg);
    req->after = pg->after;
    req->limit = pg->limit + 1; /* one more: is there a next page? */
    return st;
}

unsigned bl__h_messages(struct bl__api_call *c)
{
    struct bl_app_messages_list_req req;
    struct bl__api_page pg;
    unsigned st = list_req(c, &req, &pg);
    if (st)
        return st;
    struct bl_app_messages_list_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_messages_list(c->st, c->org, &req, &res, &d);
    json_t *list = rc ? NULL : json_array();
    for (size_t i = 0; list && i < res.n; i++)
        if (bl__api_page_takes(&pg, res.msgs[i].id) &&
            json_array_append_new(list, msg_json(&res.msgs[i], false)))
            json_decref(list), list = NULL;
    bl_app_messages_list_res_release(&res);
    if (rc)
        return bl__api_fail(c, rc, &d);
    return bl__api_json(c, MHD_HTTP_OK, bl__api_page_answer(&pg, "messages", list));
}

/* Message {id} of c->org into res: 0, or the answer's status (404 for another's). */
static unsigned one(struct bl__api_call *c, struct bl_app_messages_list_res *res)
{
    struct bl_app_messages_list_req req = {0};
    memset(res, 0, sizeof(*res));
    unsigned st = bl__api_param_id(c, 0, "message", &req.id);
    if (st)
        return st;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_messages_show(c->st, c->org, &req, res, &d);
    return rc ? bl__api_fail(c, rc, &d) : 0;
}

unsigned bl__h_message(struct bl__api_call *c)
{
    struct bl_app_messages_list_res res;
    unsigned st = one(c, &res);
    if (!st)
        st = bl__api_json(c, MHD_HTTP_OK, msg_json(&res.msgs[0], true));
    bl_app_messages_list_res_release(&res);
    return st;
}

unsigned bl__h_message_preview(struct bl__api_call *c)
{
    struct bl_app_messages_list_res res;
    unsigned st = one(c, &res);
    if (!st) {
        const struct bl_app_message *m = &res.msgs[0];
        bool pending = !m->hold && (strcmp(m->state, "planned") == 0 ||
                                    strcmp(m->state, "approved") == 0 ||
                                    strcmp(m->state, "sending") == 0 ||
                                    strcmp(m->state, "failed") == 0);
        st = bl__api_json(c, MHD_HTTP_OK,
                          json_pack("{s:I, s:s, s:s?, s:s?, s:s?, s:s?, s:s, s:b, s:o}", "id",
                                    (json_int_t)m->id, "state", m->state, "locale", m->locale, "to",
                                    m->recipient, "subject", m->subject, "body", m->body,
                                    "content_type", "text/plain; charset=utf-8", "may_leave",
                                    pending, "holds", holds_json(m->hold)));
    }
    bl_app_messages_list_res_release(&res);
    return st;
}

/* ---------------------------------------------------------------- approve, reject */

unsigned bl__h_message_approve(struct bl__api_call *c)
{
    struct bl_app_messages_approve_req req = {.now = c->now};
    unsigned st = bl__api_param_id(c, 0, "message", &req.id);
    if (st)
        return st;
    struct bl_app_messages_approve_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_messages_approve(c->st, c->org, &req, &res, &d);
    if (rc && res.why == BL_APPROVE_NOT_WAITING)
        return bl__api_error(c, MHD_HTTP_CONFLICT, "conflict", NULL,
                             "message %lld is not waiting for approval (GET "
                             "/api/v1/messages/%lld says its state)",
                             (long long)req.id, (long long)req.id);
    if (rc)
        return bl__api_fail(c, rc, &d);
    return bl__h_message(c);
}

/* The ids of a body's "ids" ([1, 2, ...], at most 1000): 0, or the answer's status. */
static unsigned ids_member(struct bl__api_call *c, json_t *v, int64_t *ids, size_t *n)
{
    *n = 0;
    if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > 1000)
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", "ids",
                             "ids: expected a list of 1 to 1000 message ids");
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x)
    {
        if (!json_is_integer(x) || json_integer_value(x) < 1)
            return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", "ids",
                                 "ids[%zu]: expected a message id (a whole number from 1)", i);
        ids[(*n)++] = (int64_t)json_integer_value(x);
    }
    return 0;
}

/* POST /messages/approve: {"ids": [...]} approves those that wait (the others are
 * listed, with why), or {"all": true, "kind"?} every one that waits. */
unsigned bl__h_messages_approve(struct bl__api_call *c)
{
    json_t *ids = json_object_get(c->body, "ids"), *all = json_object_get(c->body, "all");
    json_t *kind = json_object_get(c->body, "kind");
    if ((ids != NULL) == (all != NULL && json_is_true(all)))
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "missing", "ids",
                             "give ids (a list of message ids) or all: true (every message "
                             "waiting for approval, of kind if given)");
    if ((kind && (!json_is_string(kind) ||
                  bl_msg_kind_from_name(json_string_value(kind)) == BL_MSG__COUNT)) ||
        (kind && ids))
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", "kind",
                             "kind: a message kind, with all: true only");
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_messages_approve_res res;
    if (!ids) {
        struct bl_app_messages_approve_req req = {
            .all = true, .kind = kind ? json_string_value(kind) : NULL, .now = c->now};
        int rc = bl_app_messages_approve(c->st, c->org, &req, &res, &d);
        return rc ? bl__api_fail(c, rc, &d)
                  : bl__api_json(
                        c, MHD_HTTP_OK,
                        json_pack("{s:I, s:[]}", "approved", (json_int_t)res.approved, "refused"));
    }
    int64_t v[1000];
    size_t n;
    unsigned st = ids_member(c, ids, v, &n);
    json_t *refused = st ? NULL : json_array();
    int64_t approved = 0;
    for (size_t i = 0; refused && i < n; i++) {
        struct bl_app_messages_approve_req req = {.id = v[i], .now = c->now};
        bl_diag_clear(&d);
        int rc = bl_app_messages_approve(c->st, c->org, &req, &res, &d);
        if (rc && res.why == BL_APPROVE_OK) {
            json_decref(refused);
            return bl__api_fail(c, rc, &d);
        }
        approved += rc ? 0 : res.approved;
        if (rc &&
            json_array_append_new(
                refused, json_pack("{s:I, s:s}", "id", (json_int_t)v[i], "reason",
                                   res.why == BL_APPROVE_NO_MESSAGE ? "not_found" : "not_waiting")))
            json_decref(refused), refused = NULL;
    }
    if (st)
        return st;
    return bl__api_json(
        c, MHD_HTTP_OK,
        refused ? json_pack("{s:I, s:o}", "approved", (json_int_t)approved, "refused", refused)
                : NULL);
}

unsigned bl__h_message_reject(struct bl__api_call *c)
{
    struct bl_app_messages_reject_req req = {.now = c->now, .by = c->who};
    unsigned st = bl__api_param_id(c, 0, "message", &req.id);
    if (st)
        return st;
    json_t *why = json_object_get(c->body, "reason");
    if (!why || !json_is_string(why) || !json_string_length(why))
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, why ? "invalid" : "missing",
                             "reason", "reason is required: why the message must not leave");
    req.reason = json_string_value(why);
    struct bl_app_messages_reject_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_messages_reject(c->st, c->org, &req, &res, &d);
    if (rc && res.why == BL_REJECT_NOT_WAITING)
        st = bl__api_error(c, MHD_HTTP_CONFLICT, "conflict", NULL,
                           "message %lld cannot be rejected: it is %s", (long long)req.id,
                           res.state);
    else
        st = rc ? bl__api_fail(c, rc, &d) : bl__h_message(c);
    bl_app_messages_reject_res_release(&res);
    return st;
}

/* ---------------------------------------------------------------- send */

static pthread_once_t send_once = PTHREAD_ONCE_INIT;
static int send_ready = BL_EIO;

static void send_init(void)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    send_ready = bl_send_global_init(&d);
}

/* The sender a body names: smtp (its URL, else the server's BALLAST_SMTP_URL) or a
 * webhook (its URL; the secret is the server's BALLAST_WEBHOOK_SECRET). A file on the
 * server's disk (csv) is not a client's to name. */
static unsigned sender(struct bl__api_call *c, struct bl_app_sender *a)
{
    json_t *via = json_object_get(c->body, "via");
    const char *v = json_is_string(via) ? json_string_value(via) : "";
    const char *bad = NULL;
    const char *names[] = {"smtp", "from", "from_name", "webhook"};
    const char *vals[4] = {0};
    for (size_t i = 0; i < 4; i++) {
        json_t *x = json_object_get(c->body, names[i]);
        if (x && !json_is_string(x))
            bad = bad ? bad : names[i];
        vals[i] = x ? json_string_value(x) : NULL;
    }
    if (!via)
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "missing", "via",
                             "via is required: smtp or webhook");
    if (bad)
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", bad,
                             "%s: expected a string", bad);
    a->rate = 10;
    a->smtp.url = vals[0] ? vals[0] : getenv("BALLAST_SMTP_URL");
    a->smtp.password = getenv("BALLAST_SMTP_PASSWORD");
    a->from = vals[1];
    a->from_name = vals[2];
    a->webhook = vals[3];
    a->secret = getenv("BALLAST_WEBHOOK_SECRET");
    if (strcmp(v, "smtp") == 0 && a->smtp.url)
        a->via = BL_VIA_SMTP;
    else if (strcmp(v, "webhook") == 0 && a->webhook && a->secret && a->secret[0])
        a->via = BL_VIA_WEBHOOK;
    else
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", "via",
                             strcmp(v, "smtp") == 0 ? "via smtp needs smtp (smtp://host:port) "
                                                      "or the server's BALLAST_SMTP_URL"
                             : strcmp(v, "webhook") == 0
                                 ? "via webhook needs webhook (its URL) and the server's "
                                   "BALLAST_WEBHOOK_SECRET"
                                 : "via: expected smtp or webhook (a CSV export is the "
                                   "command line's: ballast messages send --via csv)");
    return 0;
}

static const char *const send_codes[] = {"sent", "failed", "taken", "held"};

static json_t *sent_json(const struct bl_app_messages_send_res *r)
{
    json_t *list = json_array();
    for (size_t i = 0; list && i < r->n; i++) {
        const struct bl_app_send_result *x = &r->results[i];
        if (json_array_append_new(list, json_pack("{s:I, s:s?, s:s, s:b, s:s?}", "id",
                                                  (json_int_t)x->id, "recipient", x->recipient,
                                                  "result", send_codes[x->code], "resent",
                                                  x->resent, "error", x->error)))
            json_decref(list), list = NULL;
    }
    return list ? json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "sent", (json_int_t)r->sent,
                            "failed", (json_int_t)r->failed, "taken", (json_int_t)r->taken, "held",
                            (json_int_t)r->held, "awaiting_approval",
                            (json_int_t)r->awaiting_approval, "held_total",
                            (json_int_t)r->held_total, "messages", list)
                : NULL;
}

unsigned bl__h_messages_send(struct bl__api_call *c)
{
    struct bl_app_messages_send_req req = {
        .backoff = 60, .max_attempts = 8, .stale = 600, .limit = 1000000, .now = c->now};
    unsigned st = sender(c, &req.sender);
    json_t *kind = json_object_get(c->body, "kind");
    if (!st && kind &&
        (!json_is_string(kind) || bl_msg_kind_from_name(json_string_value(kind)) == BL_MSG__COUNT))
        st = bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", "kind",
                           "kind: not a message kind");
    if (st)
        return st;
    req.kind = kind ? json_string_value(kind) : NULL;
    pthread_once(&send_once, send_init);
    struct bl_diag d;
    bl_diag_clear(&d);
    if (send_ready)
        return bl__api_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "unavailable", NULL,
                             "the senders (libcurl, libsodium) do not initialise");
    struct bl_app_messages_send_res res;
    int rc = bl_app_messages_send(c->st, c->org, &req, &res, &d);
    st = rc ? bl__api_fail(c, rc, &d) : bl__api_json(c, MHD_HTTP_OK, sent_json(&res));
    bl_app_messages_send_res_release(&res);
    return st;
}

/* ---------------------------------------------------------------- banners */

static json_t *banner_json(const struct bl_app_banner *b)
{
    return json_pack("{s:s, s:s?, s:s, s:s?, s:s?, s:s?, s:o}", "shop", b->shop, "locale",
                     b->locale, "place", bl_banner_place_name(b->place), "region", b->region,
                     "title", b->title, "text", b->text, "until",
                     b->until == BL_NO_TIME ? json_null() : bl__api_time(b->until));
}

unsigned bl__h_banners(struct bl__api_call *c)
{
    struct bl_app_banners_req req = {0};
    const char *shop = bl__api_query(c, "shop");
    struct bl__api_page pg;
    unsigned st = bl__api_query_time(c, "as_of", c->now, &req.as_of);
    st = st ? st : bl__api_shop_check(c, shop);
    st = st ? st : bl__api_page_args(c, &pg);
    if (st)
        return st;
    struct bl_app_banners_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_banners(c->st, c->org, &req, &res, &d);
    json_t *list = rc ? NULL : json_array();
    /* computed, not stored: a banner's place in the list (the same for the same as_of)
     * is its key */
    for (size_t i = 0; list && i < res.n; i++)
        if ((!shop || strcmp(res.banners[i].shop, shop) == 0) &&
            bl__api_page_takes(&pg, (int64_t)i + 1) &&
            json_array_append_new(list, banner_json(&res.banners[i])))
            json_decref(list), list = NULL;
    json_t *j = rc ? NULL : bl__api_page_answer(&pg, "banners", list);
    if (j && json_object_update_new(
                 j, json_pack("{s:o, s:I, s:I, s:I, s:I}", "as_of", bl__api_time(req.as_of),
                              "shops", (json_int_t)res.shops, "affected_shops",
                              (json_int_t)res.affected, "shops_without_lanes",
                              (json_int_t)res.no_window, "shops_without_account_page",
                              (json_int_t)res.no_account)))
        json_decref(j), j = NULL;
    st = rc ? bl__api_fail(c, rc, &d) : bl__api_json(c, MHD_HTTP_OK, j);
    bl_app_banners_res_release(&res);
    return st;
}
