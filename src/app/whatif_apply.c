/* whatif_apply.c - a what-if's plan written as proposed actions (whatif_apply.h): each
 * step a purchase order, a transfer, handling holds, a reroute or a promotion paused, with
 * its reason in words and the
 * numbers behind it, once per step's content, in one transaction. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/whatif_apply_impl.h"
#include "ballast/app.h"
#include "ballast/l10n.h"
#include "ballast/money.h"
#include "ballast/region.h"
#include "ballast/time.h"

static const char *const plan_en[BL_MG_NPLANS] = {
    "every lever", "only what costs nothing", "logistics only (handling times, channels)",
    "supply only (backup suppliers, transfers, promotions)", "doing nothing"};

/* What was assumed, in words: the file's name, else the events' notes, else a phrase. */
static void source_of(struct bl__apply *x)
{
    const struct bl_wi_assume *as = x->req->wi.assume;
    if (x->req->source && x->req->source[0]) {
        bl_str_copy(x->source, sizeof(x->source), bl_str_c(x->req->source));
        return;
    }
    size_t w = 0;
    x->source[0] = 0;
    for (size_t i = 0; as && i < as->n && w + 4 < sizeof(x->source); i++) {
        const char *note = as->ev[i].note;
        if (!note || !note[0])
            continue;
        int k = snprintf(x->source + w, sizeof(x->source) - w, "%s%s", w ? "; " : "", note);
        w = k < 0 ? w : w + (size_t)k;
    }
    if (w >= sizeof(x->source))
        memcpy(x->source + sizeof(x->source) - 4, "...", 4);
    if (!x->source[0])
        bl_str_copy(x->source, sizeof(x->source), bl_str_c("the events posted"));
}

const char *bl__apply_money(const struct bl__apply *x, int64_t minor, char *out, size_t cap)
{
    if (bl_l10n_money("en", minor, x->mg->currency, out, cap, NULL) != 0) {
        char n[48];
        if (bl_money_format(minor, x->mg->exponent, n, sizeof(n)) < 0)
            snprintf(n, sizeof(n), "?");
        snprintf(out, cap, "%s %s", n, x->mg->currency);
    }
    return out;
}

json_t *bl__apply_amount(const struct bl__apply *x, int64_t minor)
{
    char buf[48];
    return bl_money_format(minor, x->mg->exponent, buf, sizeof(buf)) < 0 ? json_null()
                                                                         : json_string(buf);
}

json_t *bl__apply_day(int64_t day)
{
    char b[16];
    return json_string(bl_date_format(day, b));
}

/* "Pro drawer organiser, grey (SKU-00005)" */
const char *bl__apply_sku_words(const char *ext, const char *name, char *out, size_t cap)
{
    if (name && name[0] && strcmp(name, ext) != 0)
        snprintf(out, cap, "%s (%s)", name, ext);
    else
        snprintf(out, cap, "%s", ext);
    return out;
}

/* The numbers behind the reason, for a front end's words (action.data). */
char *bl__apply_data(const struct bl__apply *x, size_t k, const struct bl_app_mg_step *s,
                     const char *sku, const char *sku_name, json_t *extra)
{
    char asof[BL_ISO_MAX];
    json_t *j = json_pack(
        "{s:s, s:s, s:I, s:s, s:I, s:s?, s:s?, s:I, s:o, s:o, s:o, s:o, s:s}", "source", x->source,
        "as_of", bl_time_format(x->req->wi.as_of, asof), "plan", (json_int_t)x->res->rank,
        "plan_kind", bl_mg_plan_name(x->plan->kind), "step", (json_int_t)k + 1, "sku", sku,
        "sku_name", sku_name, "units", (json_int_t)s->units, "by", bl__apply_day(s->by_day),
        "arrival", bl__apply_day(s->ready_day), "cost", bl__apply_amount(x, s->cost), "saving",
        bl__apply_amount(x, s->saving), "currency", x->mg->currency);
    if (j && extra)
        json_object_update(j, extra);
    char *text = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(j);
    return text;
}

/* Writes one action unless its ref is there already. */
int bl__apply_propose(struct bl__apply *x, size_t k, enum bl_pb_kind kind, int64_t sku_id,
                      const char *sku, const char *sku_name, int64_t before, int64_t after,
                      const struct bl_stock_action_parts *parts, const char *why, char *data)
{
    struct bl_app_whatif_apply_res *res = x->res;
    if (!data)
        return bl_diag_set(x->d, BL_ENOMEM, "what-if: out of memory");
    if (bl_grow((void **)&res->acts, &x->cap, res->n + 1, sizeof(*res->acts))) {
        free(data);
        return bl_diag_set(x->d, BL_ENOMEM, "what-if: out of memory");
    }
    struct bl_app_apply_action *a = &res->acts[res->n];
    memset(a, 0, sizeof(*a));
    a->step = k;
    a->kind = kind;
    a->sku = sku;
    a->sku_name = sku_name;
    a->before = before;
    a->after = after;
    a->reason = bl_arena_strndup(&res->arena, why, strlen(why));
    int rc = a->reason ? bl_store_stock_action_ref(x->st, x->org, parts->ref, &a->id, x->d)
                       : bl_diag_set(x->d, BL_ENOMEM, "what-if: out of memory");
    for (size_t i = 0; !rc && a->id && i < res->n; i++)
        if (res->acts[i].id == a->id) { /* proposed a step ago (two shops' listings) */
            free(data);
            return BL_OK;
        }
    if (!rc && a->id) {
        a->outcome = BL_APP_APPLY_EXISTED;
        res->existed++;
    } else if (!rc) {
        struct bl_stock_action_row row = {
            kind, kind == BL_PB_REROUTE, sku_id, before, after, false, why,
            data, x->res->wi.day,        x->now, 0,      parts};
        rc = bl_store_stock_action_add(x->st, x->org, &row, &a->id, x->d);
        res->added += !rc;
        if (!rc && json_array_append_new(
                       x->audit, json_pack("{s:I, s:s, s:s, s:I, s:I}", "id", (json_int_t)a->id,
                                           "kind", bl_pb_kind_name(kind), "sku", sku, "before",
                                           (json_int_t)before, "after", (json_int_t)after)))
            rc = bl_diag_set(x->d, BL_ENOMEM, "what-if: out of memory");
    }
    free(data);
    res->n += !rc;
    return rc;
}

/* A purchase order from the backup supplier, or a transfer between warehouses. */
static int supply_step(struct bl__apply *x, size_t k, const struct bl_app_mg_step *s)
{
    bool po = s->kind == BL_MG_BACKUP_SUPPLIER;
    char ref[200], why[BL__APPLY_REASON_MAX], sku[300], by[16], at[16], cost[64], saving[64];
    snprintf(ref, sizeof(ref), "whatif:%s:%lld:%lld:%lld:%lld:%lld:%lld",
             po ? "purchase_order" : "transfer", (long long)s->sku_id, (long long)s->source_id,
             (long long)s->warehouse_id, (long long)s->units, (long long)s->by_day,
             (long long)s->ready_day);
    struct bl_stock_action_parts parts = {s->source_id, s->warehouse_id, s->by_day, s->ready_day,
                                          ref,          x->plan_words,   0};
    bl__apply_sku_words(s->sku, s->sku_name, sku, sizeof(sku));
    bl_date_format(s->by_day, by);
    bl_date_format(s->ready_day, at);
    snprintf(why, sizeof(why),
             "%s: %s %lld %s of %s from %s %s %s by %s; they arrive on %s; costs %s, saves %s",
             x->head, po ? "order" : "move", (long long)s->units, s->units == 1 ? "unit" : "units",
             sku, s->source, po ? "for" : "to", s->warehouse, by, at,
             bl__apply_money(x, s->cost, cost, sizeof(cost)),
             bl__apply_money(x, s->saving, saving, sizeof(saving)));
    json_t *extra = po ? json_pack("{s:s, s:s}", "supplier", s->source, "warehouse", s->warehouse)
                       : json_pack("{s:s, s:s}", "from", s->source, "warehouse", s->warehouse);
    char *data = bl__apply_data(x, k, s, s->sku, s->sku_name, extra);
    json_decref(extra);
    return bl__apply_propose(x, k, po ? BL_PB_PURCHASE_ORDER : BL_PB_TRANSFER, s->sku_id, s->sku,
                             s->sku_name, 0, s->units, &parts, why, data);
}

/* Whether SKU s has available stock in a warehouse inside region `held`: its listing
 * can ship from there. */
static bool ships_from(const struct bl_pb_sku *s, const char *held)
{
    for (size_t i = 0; i < s->nregions; i++)
        if (bl_region_contains(bl_str_c(held), bl_str_c(s->regions[i])))
            return true;
    return false;
}

/* The shop's listings that ship from the region the events shut (the SKUs it sells with
 * stock there): a hold each. A SKU two shops sell is held once (its ref). */
static int handling_step(struct bl__apply *x, size_t k, const struct bl_app_mg_step *s)
{
    const struct bl_app_whatif_res *w = &x->res->wi;
    const struct bl_stock_snap *sn = &w->sday.snap;
    const char *held = x->mg->held_region;
    size_t j = 0;
    while (j < sn->nshops && sn->shop_id[j] != s->shop_id)
        j++;
    size_t matched = 0;
    int64_t until = s->ready_day + s->days, cap = x->mg->handling_days;
    const struct bl_pb_shop *sh = j < sn->nshops ? &sn->shops[j] : NULL;
    size_t n = !held || !w->stock || !sh ? 0 : sh->nskus ? sh->nskus : sn->nskus;
    for (size_t i = 0; i < n; i++) {
        size_t q = sh->nskus ? sh->skus[i] : i;
        const struct bl_pb_sku *p = &sn->pb_skus[q];
        int64_t after = 0;
        if (q >= sn->nskus || !ships_from(p, held) ||
            __builtin_add_overflow(p->handling_max, s->days, &after))
            continue;
        after = after > cap ? cap : after;
        if (after <= p->handling_max)
            continue;
        matched++;
        const char *name = w->sku_name ? w->sku_name[q] : NULL;
        char ref[120], why[BL__APPLY_REASON_MAX], sku[300], until_t[16], saving[64];
        snprintf(ref, sizeof(ref), "whatif:handling_until:%lld:%lld", (long long)sn->sku_id[q],
                 (long long)until);
        struct bl_stock_action_parts parts = {0,         0, s->by_day, until, ref, x->plan_words,
                                              s->shop_id};
        snprintf(why, sizeof(why),
                 "%s: %s: handling time of %s %lld -> %lld days until %s (it ships from %s); "
                 "the step saves %s",
                 x->head, s->shop, bl__apply_sku_words(sn->sku_ext[q], name, sku, sizeof(sku)),
                 (long long)p->handling_max, (long long)after, bl_date_format(until, until_t),
                 s->place_en ? s->place_en : held,
                 bl__apply_money(x, s->saving, saving, sizeof(saving)));
        json_t *extra = json_pack("{s:s, s:I, s:I, s:I, s:o, s:s?, s:s?}", "shop", s->shop, "days",
                                  (json_int_t)s->days, "before", (json_int_t)p->handling_max,
                                  "after", (json_int_t)after, "until", bl__apply_day(until),
                                  "place_en", s->place_en, "place_zh", s->place_zh);
        char *data = bl__apply_data(x, k, s, sn->sku_ext[q], name, extra);
        json_decref(extra);
        int rc = bl__apply_propose(x, k, BL_PB_HANDLING_UNTIL, sn->sku_id[q], sn->sku_ext[q], name,
                                   p->handling_max, after, &parts, why, data);
        if (rc)
            return rc;
    }
    x->res->idle_steps += matched == 0;
    return BL_OK;
}

static int write_plan(struct bl__apply *x)
{
    int rc = bl_store_begin(x->st, x->d);
    for (size_t k = 0; !rc && k < x->plan->nsteps; k++) {
        const struct bl_app_mg_step *s = &x->plan->steps[k];
        snprintf(x->head, sizeof(x->head), "from the what-if of %s, plan %zu (%s), step %zu",
                 x->source, x->res->rank,
                 (unsigned)x->plan->kind < BL_MG_NPLANS ? plan_en[x->plan->kind] : "?", k + 1);
        if (s->kind == BL_MG_BACKUP_SUPPLIER || s->kind == BL_MG_TRANSFER)
            rc = supply_step(x, k, s);
        else if (s->kind == BL_MG_EXTEND_HANDLING)
            rc = handling_step(x, k, s);
        else if (s->kind == BL_MG_REROUTE)
            rc = bl__apply_reroute(x, k, s);
        else if (s->kind == BL_MG_PAUSE_PROMOTION)
            rc = bl__apply_promo(x, k, s);
        else
            rc = bl_diag_set(x->d, BL_EINVAL, "plan %zu, step %zu: a %s step cannot be applied yet",
                             x->res->rank, k + 1, bl_mg_kind_name(s->kind));
    }
    if (!rc && x->res->added)
        rc = bl_store_touch(x->st, x->org, x->d);
    if (!rc && x->res->added) {
        char asof[BL_ISO_MAX];
        rc = bl_app_audit(x->st, x->org, x->now, "whatif.apply", "action", NULL, NULL,
                          json_pack("{s:s, s:s, s:I, s:s, s:O}", "source", x->source, "as_of",
                                    bl_time_format(x->req->wi.as_of, asof), "plan",
                                    (json_int_t)x->res->rank, "plan_kind",
                                    bl_mg_plan_name(x->plan->kind), "actions", x->audit),
                          x->d);
    }
    rc = bl_store_end(x->st, rc, x->d);
    if (rc) { /* nothing was stored */
        x->res->n = x->res->added = x->res->existed = x->res->idle_steps = 0;
    }
    return rc;
}

int bl_app_whatif_apply(struct bl_store *st, int64_t org, const struct bl_app_whatif_apply_req *req,
                        struct bl_app_whatif_apply_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 1u << 12);
    struct bl_app_whatif_req wi = req->wi;
    wi.mitigate = true;
    int rc = bl_app_whatif(st, org, &wi, &res->wi, d);
    if (rc)
        return rc;
    const struct bl_app_mg_res *mg = &res->wi.mitigation;
    res->nplans = mg->nplans;
    res->rank = req->rank;
    if (req->rank < 1 || req->rank > mg->nplans)
        return mg->nplans
                   ? bl_diag_set(d, BL_EINVAL,
                                 "no plan %zu to apply: the what-if found %zu plan%s (1 to %zu, "
                                 "as --mitigate prints them)",
                                 req->rank, mg->nplans, mg->nplans == 1 ? "" : "s", mg->nplans)
                   : bl_diag_set(d, BL_EINVAL, "no plan %zu to apply: the what-if found none",
                                 req->rank);
    struct bl__apply x;
    memset(&x, 0, sizeof(x));
    x.st = st;
    x.org = org;
    x.now = bl_app_now_or(req->now);
    x.req = req;
    x.res = res;
    x.mg = mg;
    x.plan = &mg->plans[req->rank - 1];
    x.d = d;
    source_of(&x);
    char asof_day[16];
    snprintf(x.plan_words, sizeof(x.plan_words), "%s as of %s, plan %zu", x.source,
             bl_date_format(res->wi.day - 1, asof_day), req->rank);
    bl_str_copy(res->plan_words, sizeof(res->plan_words), bl_str_c(x.plan_words));
    x.audit = json_array();
    if (!x.audit)
        return bl_diag_set(d, BL_ENOMEM, "what-if: out of memory");
    rc = write_plan(&x);
    json_decref(x.audit);
    return rc;
}

void bl_app_whatif_apply_res_release(struct bl_app_whatif_apply_res *res)
{
    bl_app_whatif_res_release(&res->wi);
    bl_free(res->acts);
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}

json_t *bl_app_whatif_apply_json(const struct bl_app_whatif_apply_res *r)
{
    json_t *acts = json_array();
    for (size_t i = 0; acts && i < r->n; i++) {
        const struct bl_app_apply_action *a = &r->acts[i];
        bool shop = a->kind == BL_PB_REROUTE;
        json_array_append_new(acts,
                              json_pack("{s:I, s:s, s:I, s:s, s:s?, s:s, s:I, s:I, s:s}", "id",
                                        (json_int_t)a->id, "kind", bl_pb_kind_name(a->kind), "step",
                                        (json_int_t)a->step + 1, shop ? "shop" : "sku", a->sku,
                                        shop ? "shop_name" : "sku_name", a->sku_name, "outcome",
                                        a->outcome == BL_APP_APPLY_EXISTED ? "existed" : "proposed",
                                        "before", (json_int_t)a->before, "after",
                                        (json_int_t)a->after, "reason", a->reason));
    }
    return json_pack("{s:I, s:s, s:I, s:I, s:I, s:o}", "plan", (json_int_t)r->rank, "plan_words",
                     r->plan_words, "added", (json_int_t)r->added, "existed",
                     (json_int_t)r->existed, "idle_steps", (json_int_t)r->idle_steps, "actions",
                     acts ? acts : json_array());
}
