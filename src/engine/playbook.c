/* playbook.c - desired listing/promotion/handling/vacation state from the plan and
 * the disruptions; only differences with the current state become actions. */
#include "ballast/playbook.h"

#include <string.h>

#include "ballast/money.h"
#include "ballast/region.h"
#include "ballast/str.h"

static const char *const kind_names[BL_PB_NKINDS] = {
    "out_of_stock",   "delist",   "pause_promotion", "pause_mail", "extend_handling", "vacation",
    "purchase_order", "transfer", "handling_until",  "reroute",    "promotion_until"};
static const char *const listing_names[] = {"active", "inactive", "out_of_stock", "delisted"};
static const char *const state_names[] = {"proposed", "applied", "reverted", "withdrawn",
                                          "expired"};

const char *bl_pb_kind_name(enum bl_pb_kind k)
{
    return (unsigned)k < BL_PB_NKINDS ? kind_names[k] : "?";
}

bool bl_pb_kind_until(enum bl_pb_kind k)
{
    return k == BL_PB_HANDLING_UNTIL || k == BL_PB_REROUTE || k == BL_PB_PROMOTION_UNTIL;
}

int bl_pb_kind_parse(const char *s, enum bl_pb_kind *out)
{
    for (int k = 0; k < BL_PB_NKINDS; k++)
        if (strcmp(s, kind_names[k]) == 0) {
            *out = (enum bl_pb_kind)k;
            return BL_OK;
        }
    return BL_EINVAL;
}

const char *bl_pb_listing_name(int64_t v)
{
    return v >= 0 && v < 4 ? listing_names[v] : "?";
}

int bl_pb_listing_parse(const char *s, int64_t *out)
{
    for (int64_t v = 0; v < 4; v++)
        if (strcmp(s, listing_names[v]) == 0) {
            *out = v;
            return BL_OK;
        }
    return BL_EINVAL;
}

const char *bl_pb_state_name(enum bl_pb_state s)
{
    return (unsigned)s < sizeof(state_names) / sizeof(state_names[0]) ? state_names[s] : "?";
}

void bl_pb_policy_init(struct bl_pb_policy *p)
{
    memset(p, 0, sizeof(*p));
    p->mode[BL_PB_OUT_OF_STOCK] = BL_PB_APPLY;
    p->mode[BL_PB_DELIST] = BL_PB_PROPOSE;
    p->mode[BL_PB_PAUSE_PROMOTION] = BL_PB_APPLY;
    p->mode[BL_PB_PAUSE_MAIL] = BL_PB_APPLY;
    p->mode[BL_PB_EXTEND_HANDLING] = BL_PB_APPLY;
    p->mode[BL_PB_VACATION] = BL_PB_PROPOSE;
    p->delist_days = 30;
    p->pause_days = 14;
    p->extend_days = 7;
    p->handling_cap = 30;
}

struct run {
    const struct bl_pb_input *in;
    struct bl_pb_action *acts;
    size_t n, cap;
    struct bl_arena *a;
};

/* Why a single-field action opens or closes, and the numbers that go with it. */
struct reasons {
    enum bl_pb_why open, close;
    int64_t open_count, close_count;
    const char *region;
    bool regions;
};

static struct bl_pb_action *emit(struct run *r, enum bl_pb_op op, enum bl_pb_kind kind, bool shop,
                                 size_t target)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        struct bl_pb_action *na = bl_arena_alloc(r->a, cap * sizeof(*na));
        if (!na)
            return NULL;
        if (r->n)
            memcpy(na, r->acts, r->n * sizeof(*na));
        r->acts = na;
        r->cap = cap;
    }
    struct bl_pb_action *x = &r->acts[r->n++];
    memset(x, 0, sizeof(*x));
    x->op = op;
    x->kind = kind;
    x->mode = op == BL_PB_NEW ? r->in->policy.mode[kind] : BL_PB_APPLY;
    x->shop = shop;
    x->target = target;
    x->stockout_day = BL_RP_NEVER;
    x->restock_day = BL_RP_NEVER;
    x->until_day = BL_RP_NEVER;
    if (!shop) {
        const struct bl_rp_plan *p = &r->in->plans[target];
        x->available = p->available;
        x->inbound = p->inbound;
        x->stockout_day = p->stockout_day;
        x->restock_day = p->restock_day;
        x->daily_mean = p->daily_mean;
        x->on_hand = p->on_hand;
        x->reserved = p->reserved;
    }
    return x;
}

/* Closes open action o (revert if applied, withdraw if proposed). */
static int close_open(struct run *r, const struct bl_pb_open *o, enum bl_pb_why why,
                      int64_t count)
{
    bool shop = o->kind == BL_PB_VACATION;
    struct bl_pb_action *x = emit(r, o->state == BL_PB_APPLIED ? BL_PB_REVERT : BL_PB_WITHDRAW,
                                  o->kind, shop, o->target);
    if (!x)
        return BL_ENOMEM;
    x->open_id = o->id;
    x->before = o->after;
    x->after = o->before;
    x->why = why;
    x->count = count;
    return BL_OK;
}

static struct bl_pb_action *open_new(struct run *r, enum bl_pb_kind kind, bool shop, size_t target,
                                     int64_t before, int64_t after)
{
    struct bl_pb_action *x = emit(r, BL_PB_NEW, kind, shop, target);
    if (x) {
        x->before = before;
        x->after = after;
    }
    return x;
}

/* One field managed by a single kind: open when cond and the field differs from
 * desired, close when !cond, replace when the desired value moved. */
static int single_field(struct run *r, enum bl_pb_kind kind, bool shop, size_t target,
                        const struct bl_pb_open *o, bool cond, int64_t current, int64_t desired,
                        const struct reasons *w)
{
    if (!cond)
        return o ? close_open(r, o, w->close, w->close_count) : BL_OK;
    if (o && o->after == desired)
        return BL_OK;
    if (o) {
        int rc = close_open(r, o, BL_PB_WHY_CHANGED, 0);
        if (rc)
            return rc;
        current = o->state == BL_PB_APPLIED ? o->before : current;
    }
    if (current == desired)
        return BL_OK;
    struct bl_pb_action *x = open_new(r, kind, shop, target, current, desired);
    if (!x)
        return BL_ENOMEM;
    x->why = w->open;
    x->count = w->open_count;
    x->region = w->region;
    x->regions = w->regions;
    return BL_OK;
}

/* Latest end of the disruptions covering region today (as_of), or as_of if none. */
static int64_t blocked_until(const struct bl_pb_input *in, const char *region)
{
    int64_t until = in->as_of;
    for (size_t i = 0; i < in->ndisruptions; i++) {
        const struct bl_rp_disruption *x = &in->disruptions[i];
        if (x->channel_only || x->supplier >= 0 || x->scope == BL_RP_DESTINATION)
            continue;
        if (x->start_day > in->as_of || in->as_of >= x->end_day)
            continue;
        if (!bl_region_contains(bl_str_c(x->region), bl_str_c(region)))
            continue;
        if (x->end_day > until)
            until = x->end_day;
    }
    return until;
}

static int sku_actions(struct run *r, size_t k, const struct bl_pb_open *const *open)
{
    const struct bl_pb_input *in = r->in;
    const struct bl_pb_policy *pol = &in->policy;
    const struct bl_rp_plan *p = &in->plans[k];
    const struct bl_pb_sku *s = &in->skus[k];
    int rc;

    /* listing: out_of_stock or delisted while nothing is sellable */
    const struct bl_pb_open *ol =
        open[BL_PB_OUT_OF_STOCK] ? open[BL_PB_OUT_OF_STOCK] : open[BL_PB_DELIST];
    int64_t base = ol && ol->state == BL_PB_APPLIED ? ol->before : s->listing;
    int want = -1;
    if (p->available <= 0 && base == BL_PB_ACTIVE) {
        bool far = p->restock_day == BL_RP_NEVER || p->restock_day - in->as_of > pol->delist_days;
        want = far ? BL_PB_DELIST : BL_PB_OUT_OF_STOCK;
    }
    if (want < 0) {
        if (ol && (rc = close_open(r, ol, BL_PB_WHY_RESTOCKED, 0)))
            return rc;
    } else if (!ol || ol->kind != (enum bl_pb_kind)want) {
        if (ol && (rc = close_open(r, ol, BL_PB_WHY_REPLACED, 0)))
            return rc;
        int64_t value = want == BL_PB_DELIST ? BL_PB_DELISTED : BL_PB_OUT_OF_STOCK_L;
        int64_t cur = ol && ol->state == BL_PB_APPLIED ? ol->before : s->listing;
        if (cur != value) {
            struct bl_pb_action *x = open_new(r, (enum bl_pb_kind)want, false, k, cur, value);
            if (!x)
                return BL_ENOMEM;
            x->why = want == BL_PB_DELIST ? BL_PB_WHY_NO_RESTOCK : BL_PB_WHY_NOTHING_SELLABLE;
            x->count = want == BL_PB_DELIST ? pol->delist_days : 0;
        }
    }

    /* promotion and marketing mail while a stock-out cannot be avoided */
    bool short_soon =
        p->available <= 0 || (p->stockout_unavoidable && p->stockout_day != BL_RP_NEVER &&
                              p->stockout_day <= in->as_of + pol->pause_days);
    struct reasons w = {BL_PB_WHY_STOCKOUT_SOON, BL_PB_WHY_STOCK_BACK, 0, 0, NULL, false};
    /* a what-if's promotion pause (applied; proposed ones are withdrawn apart, hold_ends):
     * the promotion is its own until its end day */
    const struct bl_pb_open *pw = open[BL_PB_PROMOTION_UNTIL];
    int64_t pcur = s->promoted ? 1 : 0;
    if (pw && in->as_of >= pw->until) {
        if ((rc = close_open(r, pw, BL_PB_WHY_HOLD_ENDED, 0)) != 0)
            return rc;
        r->acts[r->n - 1].until_day = pw->until;
        pcur = pw->before; /* the flag as the revert leaves it */
    }
    const struct bl_pb_open *op = open[BL_PB_PAUSE_PROMOTION];
    int64_t promo_base = op && op->state == BL_PB_APPLIED ? op->before : pcur;
    rc = pw && in->as_of < pw->until
             ? BL_OK /* paused: no pause on top of it, none reverted under it */
             : single_field(r, BL_PB_PAUSE_PROMOTION, false, k, op, short_soon && promo_base == 1,
                            pcur, 0, &w);
    if (rc)
        return rc;
    rc = single_field(r, BL_PB_PAUSE_MAIL, false, k, open[BL_PB_PAUSE_MAIL],
                      short_soon && p->daily_mean > 0, s->mail_paused ? 1 : 0, 1, &w);
    if (rc)
        return rc;

    /* a what-if's handling hold (applied; proposed ones are withdrawn apart, hold_ends):
     * the SKU's handling time is its own until its end day */
    const struct bl_pb_open *hw = open[BL_PB_HANDLING_UNTIL];
    int64_t hcur = s->handling_max;
    if (hw && in->as_of < hw->until)
        return BL_OK; /* held: no extension on top of it, none withdrawn under it */
    if (hw) {
        if ((rc = close_open(r, hw, BL_PB_WHY_HOLD_ENDED, 0)) != 0)
            return rc;
        r->acts[r->n - 1].until_day = hw->until;
        hcur = hw->before; /* the field as the revert leaves it */
    }

    /* handling time while every warehouse with stock is in a disrupted region */
    int64_t until = BL_RP_NEVER;
    bool blocked = s->nregions > 0;
    for (size_t i = 0; i < s->nregions && blocked; i++) {
        int64_t u = blocked_until(in, s->regions[i]);
        if (u == in->as_of)
            blocked = false;
        else if (until == BL_RP_NEVER || u > until)
            until = u;
    }
    const struct bl_pb_open *oh = open[BL_PB_EXTEND_HANDLING];
    int64_t hbase = oh && oh->state == BL_PB_APPLIED ? oh->before : hcur;
    int64_t extra = 0, want_h;
    if (blocked && (until == BL_RP_NEVER || bl_money_sub(until, in->as_of, &extra)))
        extra = pol->extend_days;
    if (bl_money_add(hbase, extra, &want_h) || want_h > pol->handling_cap)
        want_h = pol->handling_cap;
    if (want_h < hbase)
        want_h = hbase;
    /* while still disrupted, an applied extension is never shortened day by day */
    if (blocked && oh && oh->after > want_h)
        want_h = oh->after;
    struct reasons wh = {BL_PB_WHY_DISRUPTED, BL_PB_WHY_UNBLOCKED, 0, 0,
                         s->nregions ? s->regions[0] : "", s->nregions > 1};
    rc = single_field(r, BL_PB_EXTEND_HANDLING, false, k, oh, blocked && want_h > hbase, hcur,
                      want_h, &wh);
    if (rc)
        return rc;
    if (blocked)
        for (size_t i = r->n; i-- > 0 && r->acts[i].target == k && !r->acts[i].shop;)
            if (r->acts[i].kind == BL_PB_EXTEND_HANDLING)
                r->acts[i].until_day = until;
    return BL_OK;
}

/* The holds (handling_until, promotion_until) proposed whose end day came: withdrawn,
 * whichever other hold the SKU has. */
static int hold_ends(struct run *r)
{
    for (size_t i = 0; i < r->in->nopen; i++) {
        const struct bl_pb_open *o = &r->in->open[i];
        if ((o->kind != BL_PB_HANDLING_UNTIL && o->kind != BL_PB_PROMOTION_UNTIL) ||
            o->state == BL_PB_APPLIED || r->in->as_of < o->until)
            continue;
        int rc = close_open(r, o, BL_PB_WHY_HOLD_ENDED, 0);
        if (rc)
            return rc;
        r->acts[r->n - 1].until_day = o->until;
    }
    return BL_OK;
}

static int shop_actions(struct run *r, size_t j, const struct bl_pb_open *o)
{
    const struct bl_pb_input *in = r->in;
    const struct bl_pb_shop *sh = &in->shops[j];
    size_t n = sh->nskus ? sh->nskus : in->nskus;
    int64_t avail = 0;
    for (size_t i = 0; i < n; i++) {
        size_t k = sh->nskus ? sh->skus[i] : i;
        if (k < in->nskus && in->plans[k].available > 0 &&
            bl_money_add(avail, in->plans[k].available, &avail))
            return BL_EOVERFLOW;
    }
    bool cond = sh->merchant && n > 0 && avail == 0;
    int64_t base = o && o->state == BL_PB_APPLIED ? o->before : (sh->vacation ? 1 : 0);
    struct reasons w = {BL_PB_WHY_SHOP_EMPTY, BL_PB_WHY_SHOP_STOCK_BACK, (int64_t)n, avail, NULL,
                        false};
    return single_field(r, BL_PB_VACATION, true, j, o, cond && base == 0, sh->vacation ? 1 : 0, 1,
                        &w);
}

int bl_pb_run(const struct bl_pb_input *in, struct bl_arena *a, struct bl_pb_action **out,
              size_t *nout, struct bl_diag *d)
{
    *out = NULL;
    *nout = 0;
    const struct bl_pb_policy *pol = &in->policy;
    if (pol->delist_days < 0 || pol->delist_days > BL_RP_MAX_DAY || pol->pause_days < 0 ||
        pol->pause_days > BL_RP_MAX_DAY || pol->extend_days < 0 ||
        pol->extend_days > BL_RP_MAX_DAY || pol->handling_cap < 0 ||
        pol->handling_cap > BL_RP_MAX_DAY)
        return bl_diag_set(d, BL_EINVAL,
                           "playbook policy: delist, pause, extend and handling cap days must be "
                           "0 to %lld",
                           (long long)BL_RP_MAX_DAY);
    if (in->as_of < -BL_RP_MAX_DAY || in->as_of > BL_RP_MAX_DAY)
        return bl_diag_set(d, BL_ERANGE, "playbook day %lld is out of range", (long long)in->as_of);
    /* open actions indexed by (sku, kind) and by shop */
    const struct bl_pb_open **by_sku = NULL, **by_shop = NULL;
    if (in->nskus) {
        by_sku = bl_arena_alloc(a, in->nskus * BL_PB_NKINDS * sizeof(*by_sku));
        if (!by_sku)
            return bl_diag_set(d, BL_ENOMEM, "playbook: out of memory");
        memset(by_sku, 0, in->nskus * BL_PB_NKINDS * sizeof(*by_sku));
    }
    if (in->nshops) {
        by_shop = bl_arena_alloc(a, in->nshops * sizeof(*by_shop));
        if (!by_shop)
            return bl_diag_set(d, BL_ENOMEM, "playbook: out of memory");
        memset(by_shop, 0, in->nshops * sizeof(*by_shop));
    }
    for (size_t i = 0; i < in->nopen; i++) {
        const struct bl_pb_open *o = &in->open[i];
        if ((unsigned)o->kind >= BL_PB_NKINDS ||
            (o->state != BL_PB_PROPOSED && o->state != BL_PB_APPLIED))
            return bl_diag_set(d, BL_EINVAL, "open action %lld: bad kind or state",
                               (long long)o->id);
        if (o->kind == BL_PB_PURCHASE_ORDER || o->kind == BL_PB_TRANSFER ||
            o->kind == BL_PB_REROUTE)
            continue; /* done once decided (a reroute: the router's): nothing to compare */
        bool hold = o->kind == BL_PB_HANDLING_UNTIL || o->kind == BL_PB_PROMOTION_UNTIL;
        if (hold && (o->until < -BL_RP_MAX_DAY || o->until > BL_RP_MAX_DAY))
            return bl_diag_set(d, BL_EINVAL, "open action %lld: its end day is out of range",
                               (long long)o->id);
        if (o->kind == BL_PB_VACATION) {
            if (o->target >= in->nshops)
                return bl_diag_set(d, BL_EINVAL, "open action %lld: its shop is not in the input",
                                   (long long)o->id);
            by_shop[o->target] = o;
        } else {
            if (o->target >= in->nskus)
                return bl_diag_set(d, BL_EINVAL, "open action %lld: its SKU is not in the input",
                                   (long long)o->id);
            if (hold && o->state != BL_PB_APPLIED)
                continue; /* hold_ends withdraws it on its end day */
            by_sku[o->target * BL_PB_NKINDS + o->kind] = o;
        }
    }
    struct run r = {in, NULL, 0, 0, a};
    for (size_t k = 0; k < in->nskus; k++)
        if (sku_actions(&r, k, by_sku + k * BL_PB_NKINDS))
            return bl_diag_set(d, BL_ENOMEM, "playbook: out of memory");
    if (hold_ends(&r))
        return bl_diag_set(d, BL_ENOMEM, "playbook: out of memory");
    for (size_t j = 0; j < in->nshops; j++) {
        int rc = shop_actions(&r, j, by_shop[j]);
        if (rc == BL_EOVERFLOW)
            return bl_diag_set(d, rc,
                               "shop '%s': the units available over its SKUs add up to more than "
                               "%lld",
                               in->shops[j].id ? in->shops[j].id : "(no id)", (long long)INT64_MAX);
        if (rc)
            return bl_diag_set(d, BL_ENOMEM, "playbook: out of memory");
    }
    *out = r.acts;
    *nout = r.n;
    return BL_OK;
}
