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
#include "app/hook_impl.h"
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
    if (!f->n)
        return NULL; /* no open orders: f->orders is NULL, which bsearch may not be given */
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

int bl__msg_load_facts(struct bl_store *st, int64_t org, const struct bl_app_messages_plan_req *rq,
                      const struct bl__msg_shops *shops, struct bl_arena *a,
                      struct bl__msg_facts *f, struct bl_diag *d)
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
        f->x[i] = (struct bl__msg_ord){.o = &f->orders[i],
                                       .shop = bl__msg_shop_find(shops, f->orders[i].shop_id),
                                       .restock = BL_NO_TIME, .coupon = -1,
                                       .coupon_at = BL_NO_TIME, .resume = BL_NO_TIME};
    if (!rc)
        apply_shortages(f, sh, nsh);
    for (size_t i = 0; !rc && i < ncp; i++) {
        struct bl__msg_ord *x = find(f, cp[i].order_id);
        if (x) {
            x->coupon = cp[i].amount;
            x->coupon_cur = cp[i].currency;
            x->coupon_at = cp[i].at;
        }
    }
    for (size_t i = 0; !rc && rq->dry_run && i < rq->ncoupons; i++) {
        struct bl__msg_ord *x = find(f, rq->coupons[i].order_id);
        if (x && x->coupon < 0) {
            x->coupon = rq->coupons[i].amount;
            x->coupon_cur = rq->coupons[i].currency;
            x->coupon_at = rq->as_of;
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

/* The planner's view of each order (its facts inside its shop's horizon, its shop's
 * opt-ins) and what the outbox already holds. */
int bl__msg_notify_input(struct bl_store *st, int64_t org, const struct bl_app_messages_plan_req *rq,
                        struct bl__msg_facts *f, struct bl_arena *a, struct bl_map *keys,
                        struct bl_map *held, struct bl_notify_order **no, struct bl_notify_input *in,
                        struct bl_app_messages_plan_res *res, struct bl_diag *d)
{
    if (f->n && !(*no = bl_calloc(f->n, sizeof(**no))))
        return bl_diag_set(d, BL_ENOMEM, "out of memory");
    for (size_t i = 0; i < f->n; i++) {
        const struct bl__msg_ord *x = &f->x[i];
        const struct bl_msg_order *o = x->o;
        struct bl_notify_fact_in fi = {
            .as_of = rq->as_of, .lookahead = rq->lookahead,
            .since = x->shop ? x->shop->since : BL_NO_TIME, .coupon_at = x->coupon_at,
            .ship_by = o->ship_by,
            .promised = o->promised, .shipped = o->shipped != BL_NO_TIME,
            .has_customer = o->customer && o->customer[0], .out_of_stock = x->oos_sku != NULL,
            .coupon = x->coupon >= 0, .origin_hit = x->origin != NULL, .dest_hit = x->dest != NULL,
            .resume = x->resume, .dest_ends = x->dest ? x->dest->cover.ends : BL_NO_TIME};
        bool unreachable, old;
        (*no)[i] = (struct bl_notify_order){o->id, o->customer, x->want,
                                            bl_notify_facts(&fi, &unreachable, &old), 0,
                                            x->shop ? x->shop->autosend : 0};
        res->unreachable += unreachable;
        res->too_old += old;
    }
    struct bl_msg_prior *pr = NULL;
    size_t npr = 0;
    int rc = bl_store_message_priors(st, org, a, &pr, &npr, d);
    for (size_t i = 0; !rc && i < npr; i++) {
        if (pr[i].held) { /* rendered again by this plan: not a prior */
            if (bl_map_put(held, bl_str_c(pr[i].idem), 1))
                rc = bl_diag_set(d, BL_ENOMEM, "out of memory");
            continue;
        }
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
    return rc;
}

bool bl__msg_has_key(void *ctx, const char *idem)
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
        if (bl__msg_has_key(keys, p[k].idem)) {
            res->already++;
            res->already_kind[p[k].kind]++;
        }
    bl_arena_release(&tmp);
    bl_free(fresh);
    return rc;
}

/* ---------------------------------------------------------------- render, store */

static const char *dup(struct bl_arena *a, struct bl_str s, int *rc)
{
    char *p = bl_arena_strndup(a, s.ptr ? s.ptr : "", s.len);
    if (!p)
        *rc = BL_ENOMEM;
    return p;
}

/* The recipient: the buyer's e-mail address, else <customer id>@to_domain when the
 * shop relays through one, else none (the message is held). */
static void recipient(const struct bl_msg_order *o, const char *domain, char *to, size_t cap)
{
    to[0] = '\0';
    if ((o->email && o->email[0]) || (domain && domain[0] && o->customer && o->customer[0]))
        bl__msg_recipient(o->customer ? o->customer : "", o->email, domain ? domain : "", to,
                          cap);
}

/* Renders p into r->subj and r->body with the shop's settings (and its platform's
 * wording); *missing: the settings it needed that the shop lacks. */
static int render(struct bl__msg_run *r, const struct bl__msg_ord *x, const struct bl_notify_plan *p,
                  uint32_t *missing, struct bl_diag *d)
{
    struct bl_app_messages_plan_req rq;
    json_t *j = json_object();
    int rc = j ? bl__msg_settings_data(x->shop, r->rq, &rq, j) : BL_ENOMEM;
    if (!rc)
        rc = bl__msg_data(r->l10n, &rq, x, p, j, d);
    bl_buf_reset(&r->subj);
    bl_buf_reset(&r->body);
    const char *platform = x->shop ? x->shop->s->platform : NULL;
    if (!rc)
        rc = bl__packs_render_for(&r->packs, p->locale, bl_msg_kind_name(p->kind), platform, j,
                                  &r->subj, &r->body, d);
    json_decref(j);
    uint32_t m1 = 0, m2 = 0;
    if (!rc)
        rc = bl__msg_settle(&r->subj, &r->tmp, &m1);
    if (!rc)
        rc = bl__msg_settle(&r->body, &r->tmp, &m2);
    *missing = m1 | m2;
    if (rc == BL_ENOMEM)
        bl_diag_set(d, rc, "out of memory");
    return rc;
}

/* Renders plan entry p and decides whether it is held, into out; unless a dry run, the
 * outbox's row for it into m (its strings out's, in a). */
int bl__msg_one(struct bl__msg_run *r, const struct bl_notify_plan *p,
                struct bl_app_message_planned *out, struct bl_msg_new *m, struct bl_arena *a,
                struct bl_diag *d)
{
    const struct bl__msg_ord *x = &r->f.x[p->order];
    const struct bl_msg_order *o = x->o;
    uint32_t missing = 0;
    int rc = render(r, x, p, &missing, d);
    if (rc)
        return rc;
    const char *channel = r->rq->channel ? r->rq->channel : "email";
    bool email = strcmp(channel, "email") == 0;
    const char *sender = x->shop ? x->shop->s->set[BL_SET_SENDER] : NULL;
    if (email && !(sender && sender[0]))
        missing |= 1u << BL_SET_SENDER;
    char to[320], why[1024];
    recipient(o, r->rq->to_domain, to, sizeof(to));
    struct bl_hold_in hi = {p->kind, to, email ? sender : NULL, bl_buf_cstr(&r->subj),
                            bl_buf_cstr(&r->body), missing, x->shop ? &x->shop->rules : NULL};
    uint32_t holds = bl_notify_holds(&hi, why, sizeof(why));
    bool campaign = p->campaign >= 0;
    *out = (struct bl_app_message_planned){.idem = p->idem, .kind = p->kind,
                                           .order = campaign ? NULL : o->ext,
                                           .shop = o->shop_ext, .customer = o->customer,
                                           .holds = holds, .approval = p->approval};
    out->locale = dup(a, bl_str_c(p->locale), &rc); /* the packs' names go with them */
    out->recipient = dup(a, bl_str_c(to), &rc);
    out->subject = dup(a, bl_buf_str(&r->subj), &rc);
    out->body = dup(a, bl_buf_str(&r->body), &rc);
    if (holds)
        out->hold = dup(a, bl_str_c(why), &rc);
    if (rc)
        return bl_diag_set(d, rc, "out of memory");
    if (r->rq->dry_run || !m) {
        out->redone = bl__msg_has_key(&r->held, p->idem); /* what a real run would do */
        return BL_OK;
    }
    *m = (struct bl_msg_new){
        .idem = p->idem, .kind = bl_msg_kind_name(p->kind), .order_id = campaign ? 0 : o->id,
        .shop_id = o->shop_id, .customer = o->customer, .locale = p->locale,
        .channel = channel, .recipient = out->recipient, .subject = out->subject,
        .body = out->body, .covers = p->with_coupon ? "compensation_coupon" : NULL,
        .hold = out->hold, .approval = p->approval, .as_of = r->rq->as_of,
        .created_at = r->now, .cycle_id = r->rq->cycle_id};
    return BL_OK;
}

/* Counts what m is: stored new or again, held (per reason), waiting for approval. */
static void tally(struct bl_app_messages_plan_res *res, const struct bl_app_message_planned *m,
                  bool dry)
{
    if (m->added) {
        res->added++;
        res->added_kind[m->kind]++;
    } else if (m->redone) { /* in the outbox, held: rendered again */
        res->redone++;
        res->already++;
        res->already_kind[m->kind]++;
    } else if (!dry) {
        res->already++; /* planned by a concurrent run */
        res->already_kind[m->kind]++;
        return;
    }
    if (m->holds) {
        res->held++;
        for (unsigned k = 0; k < BL_HOLD__COUNT; k++)
            res->held_reason[k] += (m->holds >> k) & 1u;
    } else if (m->approval) {
        res->waiting++;
    }
}

/* Stores the rendered messages in one transaction, a few statements for all of them
 * (bl_store_message_add_all), and says what became of each. */
static int store_rendered(struct bl_store *st, int64_t org, const struct bl_msg_new *m,
                          struct bl_app_messages_plan_res *res, struct bl_diag *d)
{
    enum bl_msg_added *added = res->n ? bl_calloc(res->n, sizeof(*added)) : NULL;
    if (res->n && !added)
        return bl_diag_set(d, BL_ENOMEM, "out of memory");
    int rc = bl_store_begin(st, d);
    if (!rc)
        rc = bl_store_message_add_all(st, org, m, res->n, added, d);
    if (!rc)
        rc = bl__hook_messages(st, org, m, added, res->n, bl_app_now_or(0), d);
    if (!rc)
        rc = bl_store_commit(st, d);
    if (rc) {
        struct bl_diag ig;
        if (bl_store_rollback(st, &ig)) {
        }
    }
    for (size_t k = 0; !rc && k < res->n; k++) {
        res->msgs[k].added = added[k] == BL_MSG_ADDED;
        res->msgs[k].redone = added[k] == BL_MSG_REDONE;
    }
    bl_free(added);
    return rc;
}

static int store_all(struct bl_store *st, int64_t org, struct bl__msg_run *r,
                     const struct bl_notify_plan *plan, size_t n,
                     struct bl_app_messages_plan_res *res, struct bl_diag *d)
{
    bool dry = r->rq->dry_run;
    if (n && !(res->msgs = bl_calloc(n, sizeof(*res->msgs))))
        return bl_diag_set(d, BL_ENOMEM, "out of memory");
    struct bl_msg_new *m = n && !dry ? bl_calloc(n, sizeof(*m)) : NULL;
    if (n && !dry && !m)
        return bl_diag_set(d, BL_ENOMEM, "out of memory");
    int rc = BL_OK;
    for (size_t k = 0; !rc && k < n; k++) {
        rc = bl__msg_one(r, &plan[k], &res->msgs[k], m ? &m[k] : NULL, &res->arena, d);
        res->n += !rc;
        res->planned_kind[plan[k].kind]++;
        enum bl_app_lang_fallback fb = bl__msg_fallback(&r->f.x[plan[k].order], plan[k].locale);
        if (!rc && fb != BL_LANG__COUNT)
            res->fallback[fb]++;
    }
    if (!rc && !dry)
        rc = store_rendered(st, org, m, res, d);
    for (size_t k = 0; !rc && k < res->n; k++)
        tally(res, &res->msgs[k], dry);
    bl_free(m);
    return rc;
}

int bl__msg_words(struct bl_store *st, int64_t org, struct bl__msg_run *r, struct bl_arena *a,
                  struct bl_diag *d)
{
    int rc = bl__words_open(&r->words, st, org, r->packs.locales, r->packs.nlocales, d);
    for (size_t i = 0; !rc && i < r->f.n; i++)
        rc = bl__msg_prepare(&r->words, &r->f.x[i], a, d);
    return rc;
}

static int plan_in(struct bl_store *st, int64_t org, struct bl__msg_run *r,
                   struct bl_app_messages_plan_res *res, struct bl_diag *d)
{
    const struct bl_app_messages_plan_req *rq = r->rq;
    struct bl_arena *a = &res->arena;
    int rc = bl__packs_open(&r->packs, rq->templates ? rq->templates : bl_app_templates_dir(), d);
    if (!rc)
        rc = bl__msg_shops_load(st, org, rq->as_of, rq->horizon_days, a, &r->shops, d);
    if (!rc)
        rc = bl__msg_load_facts(st, org, rq, &r->shops, a, &r->f, d);
    if (!rc)
        rc = bl__msg_words(st, org, r, a, d);
    struct bl_notify_input in = {.locales = r->packs.locales, .nlocales = r->packs.nlocales,
                                 .has_key = bl__msg_has_key, .has_key_ctx = &r->keys};
    if (!rc)
        rc = bl__msg_notify_input(st, org, rq, &r->f, a, &r->keys, &r->held, &r->no, &in, res, d);
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

void bl__msg_run_init(struct bl__msg_run *r, const struct bl_app_messages_plan_req *rq,
                      int64_t now, struct bl_arena *a)
{
    memset(r, 0, sizeof(*r));
    r->rq = rq;
    r->now = now;
    r->l10n = bl_l10n_open();
    bl_map_init(&r->keys, a);
    bl_map_init(&r->held, a);
    bl_buf_init(&r->subj, 0);
    bl_buf_init(&r->body, 0);
    bl_buf_init(&r->tmp, 0);
}

void bl__msg_run_release(struct bl__msg_run *r)
{
    bl_buf_release(&r->subj);
    bl_buf_release(&r->body);
    bl_buf_release(&r->tmp);
    bl__msg_shops_release(&r->shops);
    bl_free(r->no);
    r->no = NULL;
    facts_release(&r->f);
    bl_map_release(&r->keys);
    bl_map_release(&r->held);
    bl__packs_release(&r->packs);
    bl__words_release(&r->words);
    bl_l10n_close(r->l10n);
    r->l10n = NULL;
}

void bl_app_messages_plan_defaults(struct bl_app_messages_plan_req *req)
{
    *req = (struct bl_app_messages_plan_req){
        .lookahead = 24 * 3600, .horizon_days = -1, .coupon_days = 90, .channel = "email"};
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
    struct bl__msg_run r;
    bl__msg_run_init(&r, req, bl_app_now_or(req->now), &res->arena);
    int rc = plan_in(st, org, &r, res, d);
    bl__msg_run_release(&r);
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
