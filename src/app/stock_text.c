/* stock_text.c - the English sentences of the stock alerts and of the playbook's reason
 * codes, as stored in stock_alert.message, action.reason and action.close_reason and
 * shown by `ballast alerts` and `ballast playbook` (stock.h): the one place they are
 * worded. */
#include <stdio.h>

#include "app/stock.h"
#include "ballast/time.h"

static const char *day_text(int64_t day, char *buf)
{
    if (day == BL_RP_NEVER)
        return "never";
    return bl_date_format(day, buf);
}

static const char *const fixed[BL_PB_WHY_N] = {
    [BL_PB_WHY_REPLACED] = "replaced by a listing action that fits the restock date",
    [BL_PB_WHY_CHANGED] = "the desired value changed",
    [BL_PB_WHY_UNBLOCKED] = "ship-from region no longer disrupted",
};

const char *bl_app_stock_action_text(const struct bl_pb_action *x, char *buf, size_t cap)
{
    char b1[32], b2[32];
    switch (x->why) {
    case BL_PB_WHY_NOTHING_SELLABLE:
        snprintf(buf, cap,
                 "no sellable stock (%lld on hand, %lld reserved): mark out of stock and "
                 "stop new orders until the restock on %s",
                 (long long)x->on_hand, (long long)x->reserved, day_text(x->restock_day, b1));
        break;
    case BL_PB_WHY_NO_RESTOCK:
        snprintf(buf, cap,
                 "no sellable stock (%lld available) and no restock within %lld days "
                 "(restock %s)",
                 (long long)x->available, (long long)x->count, day_text(x->restock_day, b1));
        break;
    case BL_PB_WHY_STOCKOUT_SOON:
        snprintf(buf, cap,
                 "stock-out on %s cannot be avoided (%lld available, %.2f/day, restock %s)",
                 day_text(x->stockout_day, b1), (long long)x->available, x->daily_mean,
                 day_text(x->restock_day, b2));
        break;
    case BL_PB_WHY_DISRUPTED:
        snprintf(buf, cap,
                 "ship-from region%s %s disrupted until %s: handling time %lld -> %lld days",
                 x->regions ? "s" : "", x->region ? x->region : "", day_text(x->until_day, b1),
                 (long long)x->before, (long long)x->after);
        break;
    case BL_PB_WHY_SHOP_EMPTY:
        snprintf(buf, cap, "merchant-fulfilled shop with no sellable stock in any of its %lld SKUs",
                 (long long)x->count);
        break;
    case BL_PB_WHY_RESTOCKED:
        snprintf(buf, cap, "restocked: %lld units available", (long long)x->available);
        break;
    case BL_PB_WHY_STOCK_BACK:
        snprintf(buf, cap, "stock back: %lld available, next stock-out %s", (long long)x->available,
                 day_text(x->stockout_day, b1));
        break;
    case BL_PB_WHY_SHOP_STOCK_BACK:
        snprintf(buf, cap, "stock back: %lld units sellable", (long long)x->count);
        break;
    default:
        snprintf(buf, cap, "%s",
                 (unsigned)x->why < BL_PB_WHY_N && fixed[x->why] ? fixed[x->why] : "?");
    }
    return buf;
}

const char *bl_app_stock_alert_text(const struct bl_app_stock_day *day,
                                    const struct bl_app_stock_alert *a, char *msg, size_t cap)
{
    const struct bl_rp_plan *p = &day->plans[a->sku];
    const struct bl_rp_policy *pol = &day->opts.policy;
    char b1[32], b2[32];
    switch (a->kind) {
    case BL_APP_ALERT_LOW_STOCK:
        snprintf(msg, cap, "%lld available, %.1f days of cover (threshold %g days%s)",
                 (long long)p->available, p->days_cover, pol->low_days,
                 pol->low_units ? " or units" : "");
        break;
    case BL_APP_ALERT_STOCKOUT:
        snprintf(msg, cap, "stock-out on %s: %lld available, %lld inbound, %.2f/day%s",
                 bl_date_format(p->stockout_day, b1), (long long)p->available,
                 (long long)p->inbound, p->daily_mean,
                 a->why == BL_APP_ALERT_NO_SUPPLIER ? "; no supplier can deliver"
                 : a->why == BL_APP_ALERT_TOO_LATE  ? "; an order placed today arrives too late"
                                                    : "");
        break;
    case BL_APP_ALERT_STOCKING:
        snprintf(msg, cap,
                 "price review passed but no stock and no inbound arriving within %lld days",
                 (long long)pol->stocking_days);
        break;
    default:
        if (a->why == BL_APP_ALERT_NO_SUPPLIER) {
            snprintf(msg, cap,
                     "position %lld below reorder point %.0f, but no supplier can deliver "
                     "(none known for this SKU, or every one shut or closed)",
                     (long long)p->position, p->reorder_point);
            break;
        }
        snprintf(msg, cap, "order %lld from %s by %s (position %lld below reorder point %.0f)%s",
                 (long long)p->order_qty, day->snap.sup_ext[p->supplier],
                 p->order_by_day == BL_RP_NEVER ? "-" : bl_date_format(p->order_by_day, b2),
                 (long long)p->position, p->reorder_point,
                 a->why == BL_APP_ALERT_BACKUP
                     ? " - backup supplier: the primary cannot deliver before the stock-out"
                     : "");
    }
    return msg;
}
