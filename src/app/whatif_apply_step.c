/* whatif_apply_step.c - a plan's reroute and promotion steps as proposed actions
 * (whatif_apply_impl.h): one reroute on the shop, which the router binds once approved;
 * one promotion_until on the SKU, which the playbook reverts on its end day. */
#include <stdio.h>
#include <string.h>

#include "app/whatif_apply_impl.h"
#include "ballast/time.h"
#include "store/logistics.h"

static int channel_row(void *ctx, const struct bl_store_channel *c)
{
    struct bl_app_mg_step *s = ctx; /* the ids found, in source_id and warehouse_id */
    if (strcmp(c->ext_id, s->from_channel) == 0)
        s->source_id = c->id;
    if (strcmp(c->ext_id, s->to_channel) == 0)
        s->warehouse_id = c->id;
    return 0;
}

/* "4%", "2.1%": a rate (a fraction) in percent, a tenth at most; out holds 32. */
static const char *pct(double x, char out[32])
{
    unsigned t = !(x > 0) ? 0 : x >= 1 ? 1000 : (unsigned)(x * 1000 + 0.5); /* tenths of % */
    if (t % 10)
        snprintf(out, 32, "%u.%u%%", t / 10, t % 10);
    else
        snprintf(out, 32, "%u%%", t / 10);
    return out;
}

/* The shop's orders on the channel the events suspend go by the other one from the step's
 * day to the suspension's end: one reroute on the shop, which the router reads once
 * approved (route.c). */
int bl__apply_reroute(struct bl__apply *x, size_t k, const struct bl_app_mg_step *step)
{
    struct bl_app_mg_step s = *step;
    s.source_id = s.warehouse_id = 0;
    int rc = s.from_channel && s.to_channel
                 ? bl_store_channel_each(x->st, x->org, channel_row, &s, x->d)
                 : BL_OK;
    if (rc || !s.source_id || !s.warehouse_id) {
        x->res->idle_steps++; /* a channel left the catalogue since: nothing to bind */
        return rc;
    }
    char ref[200], why[BL__APPLY_REASON_MAX], from[16], to[16], cost[64], saving[64];
    int64_t end = s.until_day + 1; /* the first day it no longer binds */
    snprintf(ref, sizeof(ref), "whatif:reroute:%lld:%lld:%lld:%lld:%lld", (long long)s.shop_id,
             (long long)s.source_id, (long long)s.warehouse_id, (long long)s.ready_day,
             (long long)end);
    struct bl_stock_action_parts parts = {s.source_id, s.warehouse_id, s.ready_day, end,
                                          ref,         x->plan_words,  s.shop_id};
    int w = snprintf(why, sizeof(why),
                     "%s: %s: ship its orders on %s by %s instead, from %s to %s (%lld held "
                     "orders); costs %s more freight, ",
                     x->head, s.shop, s.carrier, s.source, bl_date_format(s.ready_day, from),
                     bl_date_format(s.until_day, to), (long long)s.units,
                     bl__apply_money(x, s.cost, cost, sizeof(cost)));
    size_t at = w < 0 ? 0 : (size_t)w < sizeof(why) ? (size_t)w : sizeof(why) - 1;
    char kept[32], left[32], target[32];
    if (s.rating) /* kept for a rating: it saves no coupon, it keeps the rate under target */
        snprintf(why + at, sizeof(why) - at,
                 "saves no coupon (its marketplace pays buyers none for a late shipment), but "
                 "keeps its late shipment rate over %d days at %s, under %s (%s without it)",
                 s.rate_days, pct(s.rate_kept, kept), pct(s.rate_target, target),
                 pct(s.rate_left, left));
    else
        snprintf(why + at, sizeof(why) - at, "saves %s",
                 bl__apply_money(x, s.saving, saving, sizeof(saving)));
    json_t *extra = json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:o}", "shop", s.shop, "from", s.carrier,
                              "to", s.source, "from_zh", s.carrier_zh, "to_zh", s.source_zh,
                              "until", bl__apply_day(s.until_day));
    if (extra && s.rating) /* the rate it keeps, for the words in another language */
        json_object_update_new(extra, json_pack("{s:i, s:s, s:s, s:s}", "rate_days", s.rate_days,
                                                "rate_kept", kept, "rate_left", left, "rate_target",
                                                target));
    char *data = bl__apply_data(x, k, &s, NULL, NULL, extra);
    json_decref(extra);
    return bl__apply_propose(x, k, BL_PB_REROUTE, s.shop_id, s.shop_ext ? s.shop_ext : s.shop,
                             s.shop, 0, s.units, &parts, why, data);
}

/* The promoted SKU's promotion paused from the stock-out day to the horizon's end: one
 * promotion_until, which the playbook reverts on its end day (it does not see a rumour). */
int bl__apply_promo(struct bl__apply *x, size_t k, const struct bl_app_mg_step *s)
{
    const struct bl_stock_snap *sn = &x->res->wi.sday.snap;
    size_t q = 0;
    while (q < sn->nskus && sn->sku_id[q] != s->sku_id)
        q++;
    if (q == sn->nskus || !sn->pb_skus[q].promoted) {
        x->res->idle_steps++; /* no longer promoted: nothing to pause */
        return BL_OK;
    }
    char ref[120], why[BL__APPLY_REASON_MAX], sku[300], from[16], to[16], spend[64], saving[64];
    int64_t end = s->until_day + 1; /* the first day promoted again */
    snprintf(ref, sizeof(ref), "whatif:promotion_until:%lld:%lld:%lld", (long long)s->sku_id,
             (long long)s->ready_day, (long long)end);
    struct bl_stock_action_parts parts = {0, 0, s->ready_day, end, ref, x->plan_words, 0};
    snprintf(why, sizeof(why),
             "%s: pause the promotion of %s from %s to %s (it runs out in %s; %s a day); "
             "saves %s",
             x->head, bl__apply_sku_words(s->sku, s->sku_name, sku, sizeof(sku)),
             bl_date_format(s->ready_day, from), bl_date_format(s->until_day, to), s->warehouse,
             bl__apply_money(x, s->promo_day, spend, sizeof(spend)),
             bl__apply_money(x, s->saving, saving, sizeof(saving)));
    json_t *extra = json_pack("{s:s, s:o, s:o, s:I}", "warehouse", s->warehouse, "until",
                              bl__apply_day(s->until_day), "spend_a_day",
                              bl__apply_amount(x, s->promo_day), "days", (json_int_t)s->days);
    char *data = bl__apply_data(x, k, s, s->sku, s->sku_name, extra);
    json_decref(extra);
    return bl__apply_propose(x, k, BL_PB_PROMOTION_UNTIL, s->sku_id, s->sku, s->sku_name, 1, 0,
                             &parts, why, data);
}
