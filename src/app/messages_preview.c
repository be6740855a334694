/* messages_preview.c - bl_app_messages_preview: one message of one order, rendered as
 * the plan would, neither stored nor sent (messages.h). */
#include <stdio.h>
#include <string.h>

#include "app/app_msg.h"
#include "app/messages.h"
#include "app/packs.h"
#include "ballast/app.h"

/* ---------------------------------------------------------------- preview */

static int preview_req(const struct bl_app_messages_preview_req *q,
                       struct bl_app_messages_plan_req *pr, struct bl_diag *d)
{
    bl_app_messages_plan_defaults(pr);
    pr->as_of = q->as_of ? q->as_of : bl_app_now();
    pr->dry_run = true;
    pr->channel = q->channel ? q->channel : "email";
    pr->to_domain = q->to_domain;
    pr->templates = q->templates;
    pr->coupon_days = q->coupon_days > 0 ? q->coupon_days : 90;
    pr->promo = q->promo;
    pr->discount = q->discount;
    pr->promo_expires = q->promo_expires;
    pr->service_resumed = q->service_resumed;
    if (!bl_msg_kind_name(q->kind))
        return bl_diag_set(d, BL_EINVAL, "not a message kind");
    if (q->kind == BL_MSG_PROMO_CODE && (!q->promo || !q->discount || !q->promo_expires))
        return bl_diag_set(d, BL_EINVAL, "a promo_code message needs its campaign: a code, a "
                                         "discount and an expiry date");
    if (q->kind == BL_MSG_SERVICE_RESUMED && !q->service_resumed)
        return bl_diag_set(d, BL_EINVAL, "a service_resumed message needs the date service "
                                         "resumes");
    return BL_OK;
}

/* The order's index among the open ones: BL_ENOTFOUND, or BL_ECONFLICT when several
 * shops have it and none was named. */
static int preview_find(const struct bl__msg_facts *f, const struct bl_app_messages_preview_req *q,
                        size_t *at, struct bl_diag *d)
{
    size_t hits = 0;
    for (size_t i = 0; i < f->n; i++) {
        const struct bl_msg_order *o = &f->orders[i];
        if (o->ext && strcmp(o->ext, q->order) == 0 &&
            (!q->shop || (o->shop_ext && strcmp(o->shop_ext, q->shop) == 0)))
            *at = i, hits++;
    }
    if (hits == 0)
        return bl_diag_set(d, BL_ENOTFOUND, "order %s%s%s is not open as of then (unknown, "
                                            "delivered or cancelled): no message is written "
                                            "about it", q->order, q->shop ? " of shop " : "",
                           q->shop ? q->shop : "");
    if (hits > 1)
        return bl_diag_set(d, BL_ECONFLICT, "order %s is in several shops: name one", q->order);
    return BL_OK;
}

/* Whether the planner, without the outbox's memory, would write this kind now. */
static int preview_due(const struct bl_notify_input *in, size_t at, enum bl_msg_kind kind,
                       bool *due, bool *coupon, struct bl_diag *d)
{
    struct bl_notify_order one = in->orders[at];
    one.prior = 0;
    struct bl_notify_campaign camp = {kind, "preview"};
    struct bl_notify_input x = *in;
    x.orders = &one;
    x.norders = 1;
    x.has_key = NULL;
    x.campaigns = &camp;
    x.ncampaigns = kind == BL_MSG_PROMO_CODE || kind == BL_MSG_SERVICE_RESUMED;
    struct bl_arena tmp;
    bl_arena_init(&tmp, 0);
    struct bl_notify_plan *p = NULL;
    size_t n = 0;
    int rc = bl_notify_plan(&x, &tmp, &p, &n, d);
    *due = *coupon = false;
    for (size_t k = 0; !rc && k < n; k++) {
        *due = *due || p[k].kind == kind;
        *coupon = *coupon || (p[k].kind == kind && p[k].with_coupon);
    }
    bl_arena_release(&tmp);
    return rc;
}

static int preview_in(struct bl_store *st, int64_t org, struct bl__msg_run *r,
                      const struct bl_app_messages_preview_req *q,
                      struct bl_app_messages_preview_res *res, struct bl_diag *d)
{
    const struct bl_app_messages_plan_req *rq = r->rq;
    struct bl_arena *a = &res->arena;
    struct bl_app_messages_plan_res tally = {0};
    int rc = bl__packs_open(&r->packs, rq->templates ? rq->templates : bl_app_templates_dir(), d);
    if (!rc)
        rc = bl__msg_shops_load(st, org, rq->as_of, rq->horizon_days, a, &r->shops, d);
    if (!rc)
        rc = bl__msg_load_facts(st, org, rq, &r->shops, a, &r->f, d);
    if (!rc)
        rc = bl__msg_words(st, org, r, a, d);
    size_t at = 0;
    if (!rc)
        rc = preview_find(&r->f, q, &at, d);
    struct bl_notify_input in = {.locales = r->packs.locales, .nlocales = r->packs.nlocales};
    if (!rc)
        rc = bl__msg_notify_input(st, org, rq, &r->f, a, &r->keys, &r->held, &r->no, &in, &tally, d);
    bool coupon = false;
    if (!rc)
        rc = preview_due(&in, at, q->kind, &res->due, &coupon, d);
    if (rc)
        return rc;
    const struct bl__msg_ord *x = &r->f.x[at];
    res->since = x->shop ? x->shop->since : BL_NO_TIME;
    char idem[96];
    snprintf(idem, sizeof(idem), "%s:%lld", bl_msg_kind_name(q->kind), (long long)x->o->id);
    res->in_outbox = bl__msg_has_key(&r->keys, idem);
    /* the facts without the horizon: would it be due but for the event's age? */
    bool unreach = false;
    struct bl_app_messages_plan_res again = {0};
    const struct bl__msg_shop *shop = x->shop;
    r->f.x[at].shop = NULL;
    bl_free(r->no);
    r->no = NULL;
    rc = bl__msg_notify_input(st, org, rq, &r->f, a, &r->keys, &r->held, &r->no, &in, &again, d);
    r->f.x[at].shop = shop;
    bool due_ever = false;
    if (!rc)
        rc = preview_due(&in, at, q->kind, &due_ever, &unreach, d);
    res->too_old = !res->due && due_ever;
    struct bl_notify_plan p = {
        .order = at, .kind = q->kind, .idem = idem,
        .locale = bl_notify_locale(in.locales, in.nlocales, q->locale ? q->locale : x->o->locale),
        .approval = !(x->shop && (x->shop->autosend & BL_MSG_BIT(q->kind))),
        .with_coupon = coupon, .campaign = q->kind >= BL_MSG_PROMO_CODE ? 0 : -1};
    if (!rc)
        rc = bl__msg_one(r, &p, &res->msg, NULL, a, d);
    if (!rc)
        res->msg.idem = bl_arena_strndup(a, idem, strlen(idem));
    return rc;
}

int bl_app_messages_preview(struct bl_store *st, int64_t org,
                            const struct bl_app_messages_preview_req *req,
                            struct bl_app_messages_preview_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 1u << 16);
    struct bl_app_messages_plan_req pr;
    int rc = preview_req(req, &pr, d);
    if (rc)
        return rc;
    struct bl__msg_run r;
    bl__msg_run_init(&r, &pr, bl_app_now(), &res->arena);
    rc = preview_in(st, org, &r, req, res, d);
    bl__msg_run_release(&r);
    if (rc && !d->code)
        bl_diag_set(d, rc, "%s", bl_strerror(rc));
    return rc;
}

void bl_app_messages_preview_res_release(struct bl_app_messages_preview_res *res)
{
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}
