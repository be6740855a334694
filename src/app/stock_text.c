/* stock_text.c - the English sentences of the playbook's reason codes, as stored in
 * action.reason and action.close_reason and shown by `ballast playbook` (stock.h). */
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
