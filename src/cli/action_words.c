/* action_words.c - `ballast actions --locale zh-CN`: the reason of an action proposed from
 * a what-if's plan (purchase_order, transfer, handling_until, reroute, promotion_until) in
 * Chinese, worded from the
 * numbers and names it keeps (action.data; whatif_apply.h), as the dashboard words it. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "ballast/l10n.h"
#include "ballast/money.h"
#include "cli/action_words.h"

static const char *str(json_t *d, const char *k)
{
    const char *v = json_string_value(json_object_get(d, k));
    return v ? v : "";
}

static long long num(json_t *d, const char *k)
{
    return (long long)json_integer_value(json_object_get(d, k));
}

/* "US$445.05" from the decimal text and the currency; the text itself if it cannot. */
static const char *money(json_t *d, const char *k, char *out, size_t cap)
{
    const char *text = str(d, k), *cur = str(d, "currency");
    struct bl_currency c;
    int64_t minor = 0;
    if (bl_currency_lookup(bl_str_c(cur), &c, NULL) != 0 ||
        bl_money_parse(bl_str_c(text), c.exponent, &minor, NULL) != 0 ||
        bl_l10n_money("zh-CN", minor, cur, out, cap, NULL) != 0)
        snprintf(out, cap, "%s %s", text, cur);
    return out;
}

const char *bl__action_reason_zh(const struct bl_stock_action *x, char *buf, size_t cap)
{
    if (!x->kind_known || x->kind < BL_PB_PURCHASE_ORDER || !x->data)
        return NULL;
    json_t *d = json_loads(x->data, 0, NULL);
    if (!json_is_object(d)) {
        json_decref(d);
        return NULL;
    }
    char cost[64], saving[64], sku[300];
    const char *name = str(d, "sku_name");
    if (name[0])
        snprintf(sku, sizeof(sku), "%s（%s）", name, str(d, "sku"));
    else
        snprintf(sku, sizeof(sku), "%s", str(d, "sku"));
    int w = snprintf(buf, cap, "来自假设分析“%s”的方案 %lld 第 %lld 步：", str(d, "source"),
                     num(d, "plan"), num(d, "step"));
    size_t at = w < 0 ? 0 : (size_t)w < cap ? (size_t)w : cap - 1;
    if (x->kind == BL_PB_PURCHASE_ORDER)
        snprintf(buf + at, cap - at,
                 "%s 前向 %s 订购 %lld 件 %s，送往 %s；%s 到货；成本 %s，节省 %s", str(d, "by"),
                 str(d, "supplier"), num(d, "units"), sku, str(d, "warehouse"), str(d, "arrival"),
                 money(d, "cost", cost, sizeof(cost)), money(d, "saving", saving, sizeof(saving)));
    else if (x->kind == BL_PB_TRANSFER)
        snprintf(buf + at, cap - at, "%s 前把 %lld 件 %s 从 %s 调到 %s；%s 到货；成本 %s，节省 %s",
                 str(d, "by"), num(d, "units"), sku, str(d, "from"), str(d, "warehouse"),
                 str(d, "arrival"), money(d, "cost", cost, sizeof(cost)),
                 money(d, "saving", saving, sizeof(saving)));
    else if (x->kind == BL_PB_REROUTE && str(d, "rate_kept")[0]) /* kept for a rating */
        snprintf(buf + at, cap - at,
                 "%s：原由 %s发货的订单，%s 至 %s 改由 %s发货（%lld 笔滞留订单）；多付运费 %s，"
                 "不省优惠券（其平台不为延迟发货补偿买家），但使其 %lld 天延迟发货率保持在 %s，"
                 "低于 %s（不改道则为 %s）",
                 str(d, "shop"), str(d, "from_zh")[0] ? str(d, "from_zh") : str(d, "from"),
                 str(d, "arrival"), str(d, "until"),
                 str(d, "to_zh")[0] ? str(d, "to_zh") : str(d, "to"), num(d, "units"),
                 money(d, "cost", cost, sizeof(cost)), num(d, "rate_days"), str(d, "rate_kept"),
                 str(d, "rate_target"), str(d, "rate_left"));
    else if (x->kind == BL_PB_REROUTE)
        snprintf(buf + at, cap - at,
                 "%s：原由 %s发货的订单，%s 至 %s 改由 %s发货（%lld 笔滞留订单）；多付运费 %s，"
                 "节省 %s",
                 str(d, "shop"), str(d, "from_zh")[0] ? str(d, "from_zh") : str(d, "from"),
                 str(d, "arrival"), str(d, "until"),
                 str(d, "to_zh")[0] ? str(d, "to_zh") : str(d, "to"), num(d, "units"),
                 money(d, "cost", cost, sizeof(cost)), money(d, "saving", saving, sizeof(saving)));
    else if (x->kind == BL_PB_PROMOTION_UNTIL)
        snprintf(buf + at, cap - at,
                 "%s 至 %s 暂停 %s 的推广（它在 %s 缺货；每天 %s）；此步节省 %s", str(d, "arrival"),
                 str(d, "until"), sku, str(d, "warehouse"),
                 money(d, "spend_a_day", cost, sizeof(cost)),
                 money(d, "saving", saving, sizeof(saving)));
    else
        snprintf(buf + at, cap - at, "%s：%s 从%s发货，备货时间 %lld → %lld 天，至 %s；此步节省 %s",
                 str(d, "shop"), sku,
                 str(d, "place_zh")[0] ? str(d, "place_zh") : str(d, "place_en"), num(d, "before"),
                 num(d, "after"), str(d, "until"), money(d, "saving", saving, sizeof(saving)));
    json_decref(d);
    return buf;
}
