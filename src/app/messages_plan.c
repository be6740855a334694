/* messages_plan.c - bl_app_messages_plan: who gets which message (messages.h).
 *
 * Loads each open order's facts as of req->as_of (late against its ship-by or
 * promised delivery, out of stock with no restock in time, coupon issued, hit by an
 * active disruption: cover.h), asks the pure planner (notify.h) which messages are
 * new, renders them from the template packs in the buyer's language and stores them
 * in the outbox in one transaction. Design: docs/internals/notify.md.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app/app_msg.h"
#include "app/messages.h"
#include "app/packs.h"
#include "ballast/app.h"
#include "ballast/cover.h"
#include "ballast/map.h"
#include "store/message.h"

/* ---------------------------------------------------------------- loading facts */

static int by_order(const void *k, const void *e)
{
    int64_t a = *(const int64_t *)k, b = ((const struct bl_msg_order *)e)->id;
    return (a > b) - (a < b);
}

static struct bl__msg_ord *find(struct bl__msg_facts *f, int64_t id)
{
    const struct bl_msg_order *o = bsearch(&id, f->orders, f->n, sizeof(*f->orders), by_order);
    return o ? &f->x[o - f->orders] : NULL;
}

static void apply_shortages(struct bl__msg_facts *f, const struct bl_msg_short *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct bl__msg_ord *x = find(f, s[i].order_id);
        if (!x || x->oos_sku)
            continue;
        int64_t limit = x->o->ship_by != BL_NO_TIME ? x->o->ship_by : x->o->promised;
        if (s[i].eta != BL_NO_TIME && limit != BL_NO_TIME && s[i].eta <= limit)
            continue; /* restocked in time */
        x->oos_sku = s[i].sku_name;
        x->restock = s[i].eta;
    }
}

/* Which active disruptions cover the order's origin (while unshipped) and
 * destination; the latest end over its origin. */
static void apply_disruptions(struct bl__msg_ord *x, int64_t as_of,
                              const struct bl_msg_disruption *dis, size_t ndis)
{
    const struct bl_msg_order *o = x->o;
    bool shipped = o->shipped != BL_NO_TIME;
    for (size_t k = 0; k < ndis; k++) {
        const struct bl_msg_disruption *dx = &dis[k];
        if (strcmp(dx->kind, BL__DIS_SERVICE_CLOSURE) == 0)
            continue; /* delays no shipment */
        if (!shipped && bl_cover_order(&dx->cover, o->from, BL_SCOPE_ORIGIN, o->channel, as_of)) {
            if (!x->origin)
                x->origin = dx;
            if (x->resume == BL_NO_TIME || dx->cover.ends > x->resume)
                x->resume = dx->cover.ends;
        }
        if (!x->dest && bl_cover_order(&dx->cover, o->to, BL_SCOPE_DESTINATION, o->channel, as_of))
            x->dest = dx;
    }
}

static int load_facts(struct bl_store *st, int64_t org, const struct bl_app_messages_plan_req *rq,
                      struct bl_arena *a, struct bl__msg_facts *f, struct bl_diag *d)
{
    struct bl_msg_short *sh = NULL;
    struct bl_msg_coupon *cp = NULL;
    size_t nsh = 0, ncp = 0;
    int rc = bl_store_message_orders(st, org, rq->as_of, a, &f->orders, &f->n, d);
    if (!rc)
        rc = bl_store_message_disruptions(st, org, rq->as_of, a, &f->dis, &f->ndis, d);
    if (!rc)
        rc = bl_store_message_shortages(st, org, rq->as_of, a, &sh, &nsh, d);
    if (!rc)
        rc = bl_store_message_coupons(st, org, rq->as_of, a, &cp, &ncp, d);
    if (!rc && f->n && !(f->x = bl_calloc(f->n, sizeof(*f->x))))
        rc = bl_diag_set(d, BL_ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < f->n; i++)
        f->x[i] = (struct bl__msg_ord){.o = &f->orders[i], .restock = BL_NO_TIME, .coupon = -1,
                                       .resume = BL_NO_TIME};
    if (!rc)
        apply_shortages(f, sh, nsh);
    for (size_t i = 0; !rc && i < ncp; i++) {
        struct bl__msg_ord *x = find(f, cp[i].order_id);
        if (x) {
            x->coupon = cp[i].amount;
            x->coupon_cur = cp[i].currency;
        }
    }
    for (size_t i = 0; !rc && i < f->n; i++)
        apply_disruptions(&f->x[i], rq->as_of, f->dis, f->ndis);
    bl_free(sh);
    bl_free(cp);
    return rc;
}

static void facts_release(struct bl__msg_facts *f)
{
    bl_free(f->orders);
    bl_free(f->dis);
    bl_free(f->x);
    memset(f, 0, sizeof(*f));
}

/* The planner's view of each order, what the outbox already holds, the policy. */
static int notify_input(struct bl_store *st, int64_t org, const struct bl_app_messages_plan_req *rq,
                        struct bl__msg_facts *f, struct bl_arena *a, struct bl_map *keys,
                        struct bl_notify_order **no, struct bl_notify_input *in, size_t *lost,
                        struct bl_diag *d)
{
    if (f->n && !(*no = bl_calloc(f->n, sizeof(**no))))
        return bl_diag_set(d, BL_ENOMEM, "out of memory");
    for (size_t i = 0; i < f->n; i++) {
        const struct bl__msg_ord *x = &f->x[i];
        const struct bl_msg_order *o = x->o;
        struct bl_notify_fact_in fi = {
            .as_of = rq->as_of, .horizon = rq->horizon, .ship_by = o->ship_by,
            .promised = o->promised, .shipped = o->shipped != BL_NO_TIME,
            .has_customer = o->customer && o->customer[0], .out_of_stock = x->oos_sku != NULL,
            .coupon = x->coupon >= 0, .origin_hit = x->origin != NULL, .dest_hit = x->dest != NULL,
            .resume = x->resume, .dest_ends = x->dest ? x->dest->cover.ends : BL_NO_TIME};
        bool unreachable;
        (*no)[i] = (struct bl_notify_order){o->id, o->customer, x->want,
                                            bl_notify_facts(&fi, &unreachable), 0};
        *lost += unreachable;
    }
    struct bl_msg_prior *pr = NULL;
    size_t npr = 0;
    int rc = bl_store_message_priors(st, org, a, &pr, &npr, d);
    for (size_t i = 0; !rc && i < npr; i++) {
        struct bl__msg_ord *x = pr[i].order_id ? find(f, pr[i].order_id) : NULL;
        if (x) {
            size_t k = (size_t)(x - f->x);
            enum bl_msg_kind kind = bl_msg_kind_from_name(pr[i].kind);
            if (kind != BL_MSG__COUNT)
                (*no)[k].prior |= BL_MSG_BIT(kind);
            kind = bl_msg_kind_from_name(pr[i].covers);
            if (kind != BL_MSG__COUNT)
                (*no)[k].prior |= BL_MSG_BIT(kind);
        }
        if (bl_map_put(keys, bl_str_c(pr[i].idem), 1))
            rc = bl_diag_set(d, BL_ENOMEM, "out of memory");
    }
    bl_free(pr);
    in->orders = *no;
    in->norders = f->n;
    return rc ? rc : bl_store_message_policy(st, org, in->approval, d);
}

static bool has_key(void *ctx, const char *idem)
{
    int64_t v;
    return bl_map_get(ctx, bl_str_c(idem), &v);
}

/* What the facts call for that the outbox already has: the plan without the
 * outbox's memory, counted where the key is there. */
static int count_already(const struct bl_notify_input *in, struct bl_map *keys,
                         struct bl_app_messages_plan_res *res, struct bl_diag *d)
{
    struct bl_notify_order *fresh = in->norders ? bl_calloc(in->norders, sizeof(*fresh)) : NULL;
    if (in->norders && !fresh)
        return bl_diag_set(d, BL_ENOMEM, "out of memory");
    for (size_t i = 0; i < in->norders; i++) {
        fresh[i] = in->orders[i];
        fresh[i].prior = 0;
    }
    struct bl_notify_input all = *in;
    all.orders = fresh;
    all.has_key = NULL;
    struct bl_arena tmp;
    bl_arena_init(&tmp, 0);
    struct bl_notify_plan *p = NULL;
    size_t n = 0;
    int rc = bl_notify_plan(&all, &tmp, &p, &n, d);
    for (size_t k = 0; !rc && k < n; k++)
        if (has_key(keys, p[k].idem)) {
            res->already++;
            res->already_kind[p[k].kind]++;
        }
    bl_arena_release(&tmp);
    bl_free(fresh);
    return rc;
}

/* ---------------------------------------------------------------- render, store */

struct run {
    const struct bl_app_messages_plan_req *rq;
    struct bl_packs packs;
    struct bl__msg_facts f;
    struct bl_map keys;
    struct bl_notify_order *no;
    struct bl_buf subj, body;
    int64_t now;
    struct bl_l10n *l10n; /* date formatters, one per (locale, zone) in use */
    struct bl__words words; /* names of places and carriers (words.h) */
};

static const char *dup(struct bl_arena *a, struct bl_str s, int *rc)
{
    char *p = bl_arena_strndup(a, s.ptr ? s.ptr : "", s.len);
    if (!p)
        *rc = BL_ENOMEM;
    return p;
}

/* Renders plan entry p and stores it (unless a dry run) into out. */
static int one(struct bl_store *st, int64_t org, struct run *r, const struct bl_notify_plan *p,
               struct bl_app_message_planned *out, struct bl_arena *a, struct bl_diag *d)
{
    const struct bl__msg_ord *x = &r->f.x[p->order];
    const struct bl_msg_order *o = x->o;
    json_t *j = json_object();
    int rc = j ? BL_OK : bl_diag_set(d, BL_ENOMEM, "out of memory");
    if (!rc)
        rc = bl__msg_data(r->l10n, r->rq, x, p, j, d);
    bl_buf_reset(&r->subj);
    bl_buf_reset(&r->body);
    if (!rc)
        rc = bl__packs_render(&r->packs, p->locale, bl_msg_kind_name(p->kind), j, &r->subj,
                              &r->body, d);
    json_decref(j);
    if (rc)
        return rc;
    char to[320];
    bl__msg_recipient(o->customer, o->email, r->rq->to_domain ? r->rq->to_domain
                                                              : "customers.invalid",
                      to, sizeof(to));
    bool campaign = p->campaign >= 0;
    *out = (struct bl_app_message_planned){.idem = p->idem, .kind = p->kind,
                                           .order = campaign ? NULL : o->ext,
                                           .shop = o->shop_ext, .customer = o->customer,
                                           .approval = p->approval};
    out->locale = dup(a, bl_str_c(p->locale), &rc); /* the packs' names go with them */
    out->recipient = dup(a, bl_str_c(to), &rc);
    out->subject = dup(a, bl_buf_str(&r->subj), &rc);
    if (rc)
        return bl_diag_set(d, rc, "out of memory");
    if (r->rq->dry_run)
        return BL_OK;
    struct bl_msg_new m = {
        .idem = p->idem, .kind = bl_msg_kind_name(p->kind), .order_id = campaign ? 0 : o->id,
        .shop_id = o->shop_id, .customer = o->customer, .locale = p->locale,
        .channel = r->rq->channel ? r->rq->channel : "email", .recipient = to,
        .subject = out->subject, .body = bl_buf_cstr(&r->body),
        .covers = p->with_coupon ? "compensation_coupon" : NULL, .approval = p->approval,
        .as_of = r->rq->as_of, .created_at = r->now, .cycle_id = r->rq->cycle_id};
    return bl_store_message_add(st, org, &m, &out->added, d);
}

static int store_all(struct bl_store *st, int64_t org, struct run *r,
                     const struct bl_notify_plan *plan, size_t n,
                     struct bl_app_messages_plan_res *res, struct bl_diag *d)
{
    int rc = BL_OK;
    if (n && !(res->msgs = bl_calloc(n, sizeof(*res->msgs))))
        return bl_diag_set(d, BL_ENOMEM, "out of memory");
    if (!r->rq->dry_run)
        rc = bl_store_begin(st, d);
    for (size_t k = 0; !rc && k < n; k++) {
        rc = one(st, org, r, &plan[k], &res->msgs[k], &res->arena, d);
        res->n += !rc;
        res->planned_kind[plan[k].kind]++;
        enum bl_app_lang_fallback fb = bl__msg_fallback(&r->f.x[plan[k].order], plan[k].locale);
        if (!rc && fb != BL_LANG__COUNT)
            res->fallback[fb]++;
        if (!rc && res->msgs[k].added) {
            res->added++;
            res->added_kind[plan[k].kind]++;
        } else if (!rc && !r->rq->dry_run) {
            res->already++; /* planned by a concurrent run */
            res->already_kind[plan[k].kind]++;
        }
    }
    if (!rc && !r->rq->dry_run)
        rc = bl_store_commit(st, d);
    if (rc && !r->rq->dry_run) {
        struct bl_diag ig;
        if (bl_store_rollback(st, &ig)) {
        }
    }
    return rc;
}

static int plan_in(struct bl_store *st, int64_t org, struct run *r,
                   struct bl_app_messages_plan_res *res, struct bl_diag *d)
{
    const struct bl_app_messages_plan_req *rq = r->rq;
    struct bl_arena *a = &res->arena;
    int rc = bl__packs_open(&r->packs, rq->templates ? rq->templates : bl_app_templates_dir(), d);
    if (!rc)
        rc = load_facts(st, org, rq, a, &r->f, d);
    if (!rc)
        rc = bl__words_open(&r->words, st, org, r->packs.locales, r->packs.nlocales, d);
    for (size_t i = 0; !rc && i < r->f.n; i++)
        rc = bl__msg_prepare(&r->words, &r->f.x[i], a, d);
    struct bl_notify_input in = {.locales = r->packs.locales, .nlocales = r->packs.nlocales,
                                 .has_key = has_key, .has_key_ctx = &r->keys};
    if (!rc)
        rc = notify_input(st, org, rq, &r->f, a, &r->keys, &r->no, &in, &res->unreachable, d);
    struct bl_notify_campaign camp[2];
    if (rq->promo)
        camp[in.ncampaigns++] = (struct bl_notify_campaign){BL_MSG_PROMO_CODE, rq->promo};
    if (rq->service_resumed)
        camp[in.ncampaigns++] =
            (struct bl_notify_campaign){BL_MSG_SERVICE_RESUMED, rq->service_resumed};
    in.campaigns = camp;
    struct bl_notify_plan *plan = NULL;
    size_t n = 0;
    if (!rc)
        rc = bl_notify_plan(&in, a, &plan, &n, d);
    if (!rc)
        rc = count_already(&in, &r->keys, res, d);
    if (!rc)
        rc = store_all(st, org, r, plan, n, res, d);
    return rc;
}

void bl_app_messages_plan_defaults(struct bl_app_messages_plan_req *req)
{
    *req = (struct bl_app_messages_plan_req){.horizon = 24 * 3600,
                                             .coupon_days = 90,
                                             .channel = "email",
                                             .to_domain = "customers.invalid",
                                             .account_url = BL_APP_ACCOUNT_URL_DEFAULT,
                                             .support_contact = "support@shop.example",
                                             .support_hours = "9:00-18:00"};
}

int bl_app_messages_plan(struct bl_store *st, int64_t org,
                         const struct bl_app_messages_plan_req *req,
                         struct bl_app_messages_plan_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 1u << 16);
    if (req->promo && (!req->discount || !req->promo_expires))
        return bl_diag_set(d, BL_EINVAL, "a promo code needs a discount and an expiry date");
    if (req->channel && strcmp(req->channel, "email") && strcmp(req->channel, "webhook") &&
        strcmp(req->channel, "csv"))
        return bl_diag_set(d, BL_EINVAL, "channel %s: expected email, webhook or csv",
                           req->channel);
    struct run r = {.rq = req, .now = bl_app_now_or(req->now), .l10n = bl_l10n_open()};
    bl_map_init(&r.keys, &res->arena);
    bl_buf_init(&r.subj, 0);
    bl_buf_init(&r.body, 0);
    int rc = plan_in(st, org, &r, res, d);
    bl_buf_release(&r.subj);
    bl_buf_release(&r.body);
    bl_free(r.no);
    facts_release(&r.f);
    bl_map_release(&r.keys);
    bl__packs_release(&r.packs);
    bl__words_release(&r.words);
    bl_l10n_close(r.l10n);
    if (rc && !d->code)
        bl_diag_set(d, rc, "%s", bl_strerror(rc));
    return rc;
}

void bl_app_messages_plan_res_release(struct bl_app_messages_plan_res *res)
{
    bl_free(res->msgs);
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}
