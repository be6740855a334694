/* refund.c - the decision for a refund request, recorded once (logistics.h; the rule
 * is bl_refund_decide, docs/internals/logistics.md "Refunds"). */
#include <string.h>

#include "app/audit.h"
#include "app/compensate.h"
#include "app/logistics_impl.h"
#include "ballast/num.h"
#include "store/logistics.h"

static const char *const kind_names[] = {"full_refund", "return_to_warehouse",
                                         "partial_refund_keep", "return_to_origin"};

struct found {
    struct bl_app_refund_res *res;
    struct bl_store_refund_order o; /* the first order; strings in res's arena */
    size_t n;
};

static int order_row(void *ctx, const struct bl_store_refund_order *o)
{
    struct found *f = ctx;
    if (f->n++)
        return 0;
    struct bl_arena *a = &f->res->arena;
    f->o = *o;
    f->o.ext_id = bl__app_keep(a, o->ext_id);
    f->o.shop = bl__app_keep(a, o->shop);
    f->o.ship_from = bl__app_keep(a, o->ship_from);
    f->o.ship_to = bl__app_keep(a, o->ship_to);
    f->o.currency = bl__app_keep(a, o->currency);
    f->o.decision = bl__app_keep(a, o->decision);
    f->o.warehouse = bl__app_keep(a, o->warehouse);
    f->o.note = bl__app_keep(a, o->note);
    return 0;
}

/* The decision recorded before, as it was recorded. */
static void recorded(struct bl_app_refund_res *r, const struct bl_store_refund_order *o)
{
    r->state = BL_APP_REFUND_BEFORE;
    r->reason = BL_APP_REFUND_RECORDED;
    r->kind = BL_REFUND_FULL;
    for (size_t k = 0; k < sizeof(kind_names) / sizeof(kind_names[0]); k++)
        if (strcmp(o->decision, kind_names[k]) == 0)
            r->kind = (enum bl_refund_kind)k;
    r->refund = o->refund;
    r->threshold = o->threshold;
    r->has_return_cost = o->has_return_cost;
    r->return_cost = o->return_cost;
    r->warehouse = o->warehouse[0] ? o->warehouse : NULL;
    r->note = o->note;
}

struct wh_pick {
    struct bl_arena *a;
    const char *to;
    const char *best, *best_region;
    int score;
};

/* The overseas warehouse that serves the buyer best (bl_refund_warehouse_score), the
 * lowest ext_id of equals. */
static int wh_row(void *ctx, const struct bl_store_lg_warehouse *w)
{
    struct wh_pick *p = ctx;
    int score = bl_refund_warehouse_score(bl_str_c(w->region), bl_str_c(p->to));
    if (score > p->score) {
        p->score = score;
        p->best = bl__app_keep(p->a, w->ext_id);
        p->best_region = bl__app_keep(p->a, w->region);
    }
    return 0;
}

/* The cheapest available channel of the reverse lane in the order's currency. */
static int return_quote(struct bl_app_refund_res *r, const struct bl_store_refund_order *o,
                        int64_t as_of, struct bl_diag *d)
{
    const struct bl_lg *lg = r->cat->lg;
    size_t cap = bl_lg_nchannels(lg) ? bl_lg_nchannels(lg) : 1, n = 0;
    struct bl_lg_option *opt = bl_calloc(cap, sizeof(*opt));
    struct bl_lg_shipment s = {bl_lg_locate(lg, bl_str_c(o->ship_to)),
                               bl_lg_locate(lg, bl_str_c(o->ship_from)),
                               o->weight_g,
                               {0, 0, 0},
                               as_of,
                               BL_LG_NO_PROMISE,
                               o->ext_id};
    int rc = opt ? bl_lg_quote(lg, &s, opt, cap, &n, d) : BL_ENOMEM;
    for (size_t i = 0; !rc && i < n && i < cap; i++) {
        const struct bl_lg_channel *ch = bl_lg_channel(lg, (size_t)opt[i].channel);
        if (opt[i].disruption >= 0 || strcmp(ch->currency, o->currency) != 0)
            continue;
        if (!r->has_return_cost || opt[i].price < r->return_cost) {
            r->has_return_cost = true;
            r->return_cost = opt[i].price;
            r->via = ch->id;
        }
    }
    bl_free(opt);
    return rc;
}

static enum bl_app_refund_reason reason_of(const struct bl_app_refund_res *r, bool cancelled)
{
    switch (r->kind) {
    case BL_REFUND_FULL:
        return cancelled ? BL_APP_REFUND_CANCELLED : BL_APP_REFUND_NOT_SHIPPED;
    case BL_REFUND_WAREHOUSE:
        return BL_APP_REFUND_WAREHOUSE;
    case BL_REFUND_PARTIAL_KEEP:
        return r->has_return_cost ? BL_APP_REFUND_RETURN_TOO_DEAR : BL_APP_REFUND_NO_RETURN_QUOTE;
    default:
        return BL_APP_REFUND_RETURN_CHEAP;
    }
}

/* Decides a new request as of as_of (d names what failed). */
static int decide(struct bl_store *st, int64_t org, struct bl_app_refund_res *r,
                  const struct bl_store_refund_order *o, int64_t as_of, struct bl_diag *d)
{
    bool shipped = (o->shipped != BL_STORE_NO_TIME && o->shipped <= as_of) ||
                   (o->picked != BL_STORE_NO_TIME && o->picked <= as_of) ||
                   (o->delivered != BL_STORE_NO_TIME && o->delivered <= as_of);
    r->delivered = o->delivered != BL_STORE_NO_TIME && o->delivered <= as_of;
    int rc = BL_OK;
    if (shipped && o->ship_to[0]) {
        struct wh_pick w = {&r->arena, o->ship_to, NULL, NULL, 0};
        rc = bl_store_lg_overseas(st, org, wh_row, &w, d);
        r->warehouse = w.best;
        r->warehouse_region = w.best_region;
    }
    if (!rc && shipped && !r->warehouse && o->ship_to[0] && o->ship_from[0])
        rc = return_quote(r, o, as_of, d);
    struct bl_refund_case c = {
        shipped,        o->amount,           r->warehouse != NULL, r->has_return_cost,
        r->return_cost, (int32_t)(r->share_bp < 0 ? 0 : r->share_bp > 10000 ? 10000 : r->share_bp)};
    struct bl_refund dec;
    if (!rc)
        rc = bl_refund_decide(&c, &dec, d);
    if (rc)
        return rc;
    r->kind = dec.kind;
    r->refund = dec.refund;
    r->threshold = dec.threshold;
    r->reason = reason_of(r, o->cancelled != BL_STORE_NO_TIME && o->cancelled <= as_of);
    return BL_OK;
}

static int record(struct bl_store *st, int64_t org, const struct bl_app_refund_req *req,
                  struct bl_app_refund_res *r, const struct bl_store_refund_order *o, int64_t as_of,
                  struct bl_diag *d)
{
    char note[700];
    if (bl__app_refund_note(r, req->reason, note, sizeof(note)))
        return bl_diag_set(d, BL_EINVAL, "refund: no note for the decision");
    r->note = bl__app_keep(&r->arena, note);
    struct bl_store_refund f = {o->id,
                                o->shop_id,
                                kind_names[r->kind],
                                r->refund,
                                o->currency,
                                r->warehouse,
                                r->has_return_cost,
                                r->return_cost,
                                r->threshold,
                                req->reason,
                                r->note,
                                as_of,
                                bl_app_now_or(req->now),
                                req->cycle_id};
    bool added = false;
    int rc = bl_store_begin(st, d);
    if (!rc)
        rc = bl_store_refund_add(st, org, &f, &added, d);
    char amount[48];
    bl_app_money_text(r->refund, o->currency, amount, sizeof(amount));
    if (!rc && added)
        rc = bl_app_audit(st, org, req->now, "refund.decide", "order", o->ext_id, NULL,
                          json_pack("{s:s, s:s, s:s, s:s, s:s?}", "shop", o->shop, "decision",
                                    kind_names[r->kind], "refund", amount, "currency",
                                    o->currency, "reason", req->reason),
                          d);
    rc = bl_store_end(st, rc, d);
    r->state = added ? BL_APP_REFUND_NEW : BL_APP_REFUND_BEFORE;
    return rc;
}

static int find(struct bl_store *st, int64_t org, const struct bl_app_refund_req *req,
                struct found *f, int64_t as_of, struct bl_diag *d)
{
    int rc = bl_store_refund_orders(st, org, req->order, req->shop, order_row, f, d);
    if (!rc && f->n == 0)
        rc = bl_diag_set(d, BL_ENOTFOUND, "no order '%s'%s%s", req->order,
                         req->shop ? " in shop " : "", req->shop ? req->shop : "");
    else if (!rc && f->n > 1)
        rc = bl_diag_set(d, BL_EINVAL, "order '%s' exists in %zu shops: give --shop", req->order,
                         f->n);
    else if (!rc && !f->o.decided && f->o.placed > as_of)
        rc = bl_diag_set(d, BL_EINVAL, "order '%s' was placed after the --as-of instant",
                         req->order);
    return rc;
}

int bl_app_refund(struct bl_store *st, int64_t org, const struct bl_app_refund_req *req,
                  struct bl_app_refund_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 0);
    int rc = bl__app_lg_use(st, org, req->cat, &res->cat, &res->own_cat, d);
    if (rc)
        return rc;
    int64_t as_of = bl_app_now_or(req->as_of);
    struct found f = {.res = res};
    if ((rc = find(st, org, req, &f, as_of, d)))
        return rc;
    const struct bl_store_refund_order *o = &f.o;
    res->order = o->ext_id;
    res->shop = o->shop;
    res->currency = o->currency;
    res->exp = bl__app_exp(o->currency);
    res->amount = o->amount;
    res->share_bp = o->has_share ? o->share_bp : BL_APP_REFUND_SHARE_BP;
    if (res->share_bp < 0 || res->share_bp > 10000)
        return bl_diag_range(d, "shop_policy", o->shop, "refund_share_bp", res->share_bp, 0,
                             10000);
    res->from = o->ship_from;
    res->to = o->ship_to;
    if (o->decided) {
        recorded(res, o);
        return BL_OK;
    }
    rc = decide(st, org, res, o, as_of, d);
    return rc ? rc : record(st, org, req, res, o, as_of, d);
}

void bl_app_refund_res_release(struct bl_app_refund_res *res)
{
    bl__app_lg_drop(res->cat, res->own_cat);
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}
