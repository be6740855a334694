/* comp_text.c - the English sentences stored with coupons, ledger entries and alerts
 * (compensate.h): the one place they are made. */
#include <stdio.h>

#include "app/compensate.h"
#include "ballast/money.h"
#include "ballast/time.h"

static int exponent_of(const char *cur)
{
    struct bl_currency c;
    return bl_currency_lookup(bl_str_c(cur), &c, NULL) == BL_OK ? c.exponent : 2;
}

void bl_app_money_text(int64_t v, const char *currency, char *out, size_t cap)
{
    if (bl_money_format(v, exponent_of(currency), out, cap) < 0)
        snprintf(out, cap, "%lld", (long long)v);
}

void bl_app_coupon_note(const struct bl_app_coupon *c, int64_t as_of, char *out, size_t cap)
{
    char sb[BL_ISO_MAX], sh[BL_ISO_MAX], amt[40], pct[16];
    bl_app_money_text(c->order_amount, c->currency, amt, sizeof(amt));
    if (bl_money_format(c->comp_bp, 2, pct, sizeof(pct)) < 0)
        pct[0] = '\0';
    bl_time_format(c->ship_by, sb);
    if (c->reason == BL_APP_COUPON_LATE_SHIPPED)
        snprintf(out, cap, "late shipment: promised by %s, shipped %s; %s%% of %s %s (%s)", sb,
                 bl_time_format(c->shipped, sh), pct, amt, c->currency, c->profile);
    else
        snprintf(out, cap,
                 "late shipment: promised by %s, not shipped as of %s; %s%% of %s %s (%s)", sb,
                 bl_time_format(as_of, sh), pct, amt, c->currency, c->profile);
}

void bl_app_deposit_alert_note(const struct bl_app_coupon *c, char *out, size_t cap)
{
    char amt[40], bal[40];
    bl_app_money_text(c->amount, c->currency, amt, sizeof(amt));
    bl_app_money_text(c->balance_after, c->shop_currency, bal, sizeof(bal));
    if (c->state == BL_COUPON_OWED_SHORT)
        snprintf(out, cap,
                 "shop %s: deposit %s %s cannot cover the coupon of %s %s for order %s; the "
                 "coupon is owed",
                 c->shop, bal, c->shop_currency, amt, c->currency, c->order);
    else
        snprintf(out, cap,
                 "shop %s: the coupon of %s %s for order %s is in another currency than the "
                 "deposit (%s); the coupon is owed",
                 c->shop, amt, c->currency, c->order, c->shop_currency);
}
