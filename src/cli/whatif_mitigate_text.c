/* whatif_mitigate_text.c - `whatif --mitigate`'s plans in words, en and zh-CN
 * (whatif_mitigate_text.h): names, dates and money as a person reads them. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/whatif_mitigate_text.h"
#include "ballast/l10n.h"
#include "ballast/money.h"
#include "ballast/time.h"

#define STEPS_SHOWN 12 /* steps shown per plan after the first (--json: all) */

static bool zh(const char *locale)
{
    return locale && strncmp(locale, "zh", 2) == 0;
}

/* n as the locale writes a count ("1,963"; the digits when ICU cannot). */
static const char *num(const char *loc, int64_t n, char *out, size_t cap)
{
    if (bl_l10n_count(zh(loc) ? "zh-CN" : "en", n, out, cap, NULL) != 0)
        snprintf(out, cap, "%lld", (long long)n);
    return out;
}
/* num() into a buffer of its own that lives to the end of the enclosing block, so one
 * call may print several counts. */
#define N(loc_, n_) num((loc_), (int64_t)(n_), (char[32]){""}, 32)

static const char *money(const struct bl_app_mg_res *r, const char *loc, int64_t minor, char *out,
                         size_t cap)
{
    if (bl_l10n_money(zh(loc) ? "zh-CN" : "en", minor, r->currency, out, cap, NULL) != 0) {
        char n[48];
        if (bl_money_format(minor, r->exponent, n, sizeof(n)) < 0)
            n[0] = '\0';
        snprintf(out, cap, "%s %s", r->currency, n);
    }
    return out;
}

static const char *plan_name(enum bl_mg_plan_kind k, const char *loc)
{
    static const char *const en[BL_MG_NPLANS] = {
        "every lever", "only what costs nothing", "logistics only (handling times, channels)",
        "supply only (backup suppliers, transfers, promotions)", "doing nothing"};
    static const char *const cn[BL_MG_NPLANS] = {
        "全部手段", "只用不花钱的手段", "只调物流（备货时间、渠道）",
        "只调货源（备用供应商、调拨、推广）", "什么都不做"};
    return (unsigned)k < BL_MG_NPLANS ? (zh(loc) ? cn[k] : en[k]) : "?";
}

/* "Vintage smart plug, large (SKU-00001)" */
static const char *sku_of(const struct bl_app_mg_step *s, char *out, size_t cap)
{
    if (s->sku_name && s->sku_name[0])
        snprintf(out, cap, "%s (%s)", s->sku_name, s->sku);
    else
        snprintf(out, cap, "%s", s->sku);
    return out;
}

static void what_en(FILE *o, const struct bl_app_mg_res *r, const struct bl_app_mg_step *s,
                    const char *by, const char *from)
{
    char sku[256];
    switch (s->kind) {
    case BL_MG_BACKUP_SUPPLIER:
        fprintf(o, "by %s: order %s %s of %s from %s for %s; %s on %s", by, N("en", s->units),
                s->units == 1 ? "unit" : "units", sku_of(s, sku, sizeof(sku)), s->source,
                s->warehouse, s->units == 1 ? "it arrives" : "they arrive", from);
        break;
    case BL_MG_TRANSFER:
        fprintf(o, "by %s: move %s %s of %s from %s to %s; %s on %s", by, N("en", s->units),
                s->units == 1 ? "unit" : "units", sku_of(s, sku, sizeof(sku)), s->source,
                s->warehouse, s->units == 1 ? "it arrives" : "they arrive", from);
        break;
    case BL_MG_PAUSE_PROMOTION: {
        char until[16], spend[64];
        if (s->until_day > s->ready_day)
            fprintf(o, "from %s to %s: ", from, bl_date_format(s->until_day, until));
        else
            fprintf(o, "on %s: ", from);
        fprintf(o, "pause the promotion of %s, which runs out in %s (%s a day)",
                sku_of(s, sku, sizeof(sku)), s->warehouse,
                money(r, "en", s->promo_day, spend, sizeof(spend)));
        break;
    }
    case BL_MG_REROUTE: {
        char until[16];
        fprintf(o, "from %s to %s: %s: ship the %s order%s the events hold on %s by %s instead",
                from, bl_date_format(s->until_day, until), s->shop, N("en", s->units),
                s->units == 1 ? "" : "s", s->carrier ? s->carrier : "the usual channel",
                s->source ? s->source : "a backup channel");
        break;
    }
    default:
        fprintf(o,
                "by %s: %s: add %s day%s to the handling time of the listings that ship "
                "from %s (orders placed from %s on)",
                by, s->shop, N("en", s->days), s->days == 1 ? "" : "s",
                s->place_en ? s->place_en : "the affected area", from);
    }
}

static void what_zh(FILE *o, const struct bl_app_mg_res *r, const struct bl_app_mg_step *s,
                    const char *by, const char *from)
{
    char sku[256];
    switch (s->kind) {
    case BL_MG_BACKUP_SUPPLIER:
        fprintf(o, "%s 前：向 %s 订购 %s 件 %s，送往 %s；%s 到货", by, s->source,
                N("zh-CN", s->units), sku_of(s, sku, sizeof(sku)), s->warehouse, from);
        break;
    case BL_MG_TRANSFER:
        fprintf(o, "%s 前：从 %s 调拨 %s 件 %s 到 %s；%s 到达", by, s->source, N("zh-CN", s->units),
                sku_of(s, sku, sizeof(sku)), s->warehouse, from);
        break;
    case BL_MG_PAUSE_PROMOTION: {
        char until[16], spend[64];
        if (s->until_day > s->ready_day)
            fprintf(o, "%s 至 %s：", from, bl_date_format(s->until_day, until));
        else
            fprintf(o, "%s：", from);
        fprintf(o, "暂停 %s 的推广（它在 %s 缺货；每天 %s）", sku_of(s, sku, sizeof(sku)),
                s->warehouse, money(r, "zh-CN", s->promo_day, spend, sizeof(spend)));
        break;
    }
    case BL_MG_REROUTE: {
        char until[16];
        fprintf(o, "%s 至 %s：%s：滞留在 %s的 %s 笔订单改由 %s发货", from,
                bl_date_format(s->until_day, until), s->shop,
                s->carrier_zh ? s->carrier_zh
                : s->carrier  ? s->carrier
                              : "常用渠道",
                N("zh-CN", s->units),
                s->source_zh ? s->source_zh
                : s->source  ? s->source
                             : "备用渠道");
        break;
    }
    default:
        fprintf(o, "%s 前：%s：从%s发货的商品，备货时间延长 %s 天（%s 起下的订单）", by, s->shop,
                s->place_zh ? s->place_zh : "受影响地区", N("zh-CN", s->days), from);
    }
}

/* "4%", "2.1%": a rate in percent, a tenth at most. */
static const char *pct(double x, char *out, size_t cap)
{
    unsigned t = !(x > 0) ? 0 : x >= 1 ? 1000 : (unsigned)(x * 1000 + 0.5); /* tenths of % */
    if (t % 10)
        snprintf(out, cap, "%u.%u%%", t / 10, t % 10);
    else
        snprintf(out, cap, "%u%%", t / 10);
    return out;
}

/* A reroute for a rating: what it costs, that it saves no coupon, the rate it keeps. */
static void rating_words(FILE *o, const struct bl_app_mg_res *r, const char *loc,
                         const struct bl_app_mg_step *s)
{
    char cost[64], kept[32], target[32], left[32];
    money(r, loc, s->cost, cost, sizeof(cost));
    pct(s->rate_kept, kept, sizeof(kept));
    pct(s->rate_target, target, sizeof(target));
    pct(s->rate_left, left, sizeof(left));
    if (zh(loc))
        fprintf(o,
                "；成本 %s，不省优惠券（其平台不为延迟发货补偿买家），但使 %s 的 %d "
                "天延迟发货率保持在 %s，低于 %s（不改道则为 %s）\n",
                cost, s->shop, s->rate_days, kept, target, left);
    else
        fprintf(o,
                "; costs %s and saves no coupon (its marketplace pays buyers none for a late "
                "shipment), but keeps %s's late shipment rate over %d days at %s, under %s (%s "
                "without it)\n",
                cost, s->shop, s->rate_days, kept, target, left);
}

static void step_line(FILE *o, const struct bl_app_mg_res *r, const char *loc, size_t n,
                      const struct bl_app_mg_step *s)
{
    char by[16], from[16], cost[64], saving[64];
    bl_date_format(s->by_day, by);
    bl_date_format(s->ready_day, from);
    fprintf(o, "  %zu. ", n);
    if (zh(loc))
        what_zh(o, r, s, by, from);
    else
        what_en(o, r, s, by, from);
    money(r, loc, s->saving, saving, sizeof(saving));
    if (s->rating) {
        rating_words(o, r, loc, s);
        return;
    }
    if (s->cost == 0)
        fprintf(o, zh(loc) ? "；不花钱，节省 %s\n" : "; costs nothing, saves %s\n", saving);
    else
        fprintf(o, zh(loc) ? "；成本 %s，节省 %s\n" : "; costs %s, saves %s\n",
                money(r, loc, s->cost, cost, sizeof(cost)), saving);
}

static void plan_text(FILE *o, const struct bl_app_mg_res *r, const char *loc, size_t i)
{
    const struct bl_app_mg_plan *p = &r->plans[i];
    char total[64], saving[64], spend[64], left[64];
    int pc = r->baseline > 0 ? (int)((p->saving * 100 + r->baseline / 2) / r->baseline) : 0;
    money(r, loc, p->total, total, sizeof(total));
    money(r, loc, p->saving, saving, sizeof(saving));
    money(r, loc, p->spend, spend, sizeof(spend));
    money(r, loc, p->left, left, sizeof(left));
    if (p->saving < 0) { /* only ratings kept: it costs more than doing nothing */
        money(r, loc, -p->saving, saving, sizeof(saving));
        fprintf(o,
                zh(loc) ? "\n方案 %zu：%s。总成本 %s（花费 %s，剩余损失 %s），比什么都不做多 %s，"
                          "用来保住 %s 家店铺的评级%.0s\n"
                        : "\nPlan %zu, %s: total %s (spend %s, still lost %s): %s more than doing "
                          "nothing, to keep %s %s\n",
                i + 1, plan_name(p->kind, loc), total, spend, left, saving, N(loc, p->ratings_kept),
                p->ratings_kept == 1 ? "shop's rating" : "shops' ratings");
    } else if (p->kind == BL_MG_PLAN_NOTHING)
        fprintf(o, zh(loc) ? "\n方案 %zu：%s。总成本 %s\n" : "\nPlan %zu, %s: total %s\n", i + 1,
                plan_name(p->kind, loc), total);
    else if (zh(loc))
        fprintf(o, "\n方案 %zu：%s。总成本 %s（花费 %s，剩余损失 %s），比什么都不做少 %s（%d%%）\n",
                i + 1, plan_name(p->kind, loc), total, spend, left, saving, pc);
    else
        fprintf(o,
                "\nPlan %zu, %s: total %s (spend %s, still lost %s): %s less than doing "
                "nothing (%d%%)\n",
                i + 1, plan_name(p->kind, loc), total, spend, left, saving, pc);
    if (p->ratings_kept && p->saving >= 0)
        fprintf(o,
                zh(loc) ? "  （其中保住 %s 家店铺评级%.0s的步骤不省钱：见各步）\n"
                        : "  (with the steps that keep %s %s, which save no money: see each)\n",
                N(loc, p->ratings_kept), p->ratings_kept == 1 ? "shop's rating" : "shops' ratings");
    size_t shown = i == 0 ? p->nsteps : (p->nsteps < STEPS_SHOWN ? p->nsteps : STEPS_SHOWN);
    for (size_t k = 0; k < shown; k++)
        step_line(o, r, loc, k + 1, &p->steps[k]);
    if (shown < p->nsteps)
        fprintf(o,
                zh(loc) ? "  ……另有 %s 步%.0s（--json 列出全部）\n"
                        : "  ... and %s more step%s (--json lists them all)\n",
                N(loc, p->nsteps - shown), p->nsteps - shown == 1 ? "" : "s");
}

/* The approved reroutes the runs follow, as the router binds them: not proposed again. */
static void approved_text(FILE *o, const struct bl_app_mg_res *r, const char *loc)
{
    if (!r->napproved)
        return;
    fputs(zh(loc)
              ? "已批准的改道：每次运行都按路由的做法计入（“什么都不做”已含其效果，不再建议）：\n"
              : "Approved reroutes, which every run follows as the router does (doing "
                "nothing includes them; they are not proposed again):\n",
          o);
    for (size_t i = 0; i < r->napproved; i++) {
        const struct bl_app_mg_approved *a = &r->approved[i];
        char first[16], last[16];
        bl_date_format(a->first_day, first);
        bl_date_format(a->last_day, last);
        if (zh(loc))
            fprintf(o, "  %s：原由 %s发货的订单，%s 至 %s 改由 %s发货（操作 %lld）\n", a->shop,
                    a->from_zh, first, last, a->to_zh, (long long)a->action);
        else
            fprintf(o, "  %s: its orders on %s go by %s from %s to %s (action %lld)\n", a->shop,
                    a->from, a->to, first, last, (long long)a->action);
    }
}

int bl_cli_whatif_plans(struct bl_cli *cli, const struct bl_app_mg_res *r)
{
    FILE *o = cli->out;
    const char *loc = cli->locale;
    if (cli->format == BL_FMT_JSON) {
        json_t *j = bl_app_mg_json(r);
        int rc = j ? json_dumpf(j, o, JSON_COMPACT | JSON_PRESERVE_ORDER) : -1;
        json_decref(j);
        fputc('\n', o);
        return rc == 0 ? 0 : 1;
    }
    size_t kept = 0; /* the most shops' ratings a plan keeps */
    for (size_t i = 0; i < r->nplans; i++)
        kept = r->plans[i].ratings_kept > kept ? r->plans[i].ratings_kept : kept;
    char base[64], lost[64], coupons[64];
    money(r, loc, r->baseline, base, sizeof(base));
    money(r, loc, r->stockout_cost, lost, sizeof(lost));
    money(r, loc, r->late_cost, coupons, sizeof(coupons));
    if (zh(loc))
        fprintf(o,
                "\n最省钱的应对方案（以 %s 计；每个方案都带着它的步骤重新运行一次假设分析测得，"
                "共 %s 次）\n什么都不做（不申报、不应对）的代价：%s（缺货 %s 件损失的毛利 %s；"
                "%s 个订单延迟发货，按各平台规则逐单补偿的优惠券 %s，与上面的按币种金额一致）\n",
                r->currency, N(loc, r->runs), base, N(loc, r->units_short), lost,
                N(loc, r->late_orders), coupons);
    else
        fprintf(o,
                "\nThe cheapest way through (in %s; each plan measured by running the what-if "
                "again with its steps: %s run%s)\nDoing nothing (neither declaring nor acting) "
                "costs %s: %s of margin on %s unit%s short, %s of coupons for %s order%s late "
                "to ship (each valued by its marketplace's rule, as in the money above).\n",
                r->currency[0] ? r->currency : "-", N(loc, r->runs), r->runs == 1 ? "" : "s", base,
                lost, N(loc, r->units_short), r->units_short == 1 ? "" : "s", coupons,
                N(loc, r->late_orders), r->late_orders == 1 ? "" : "s");
    if (r->promo_cost) {
        char promo[64];
        money(r, loc, r->promo_cost, promo, sizeof(promo));
        fprintf(o,
                zh(loc) ? "其中 %s 是推广费：推广中的商品缺货期间照付的推广费用。\n"
                        : "Of it, %s is promotion spend: what promoted SKUs' promotions cost on "
                          "the days they are out of stock.\n",
                promo);
    }
    if (r->late_unpaid)
        fprintf(o,
                zh(loc)
                    ? "另有 %s "
                      "个订单延迟发货，其平台规则不补偿（如亚马逊）：代价在店铺评级上（见上）。\n"
                : r->late_unpaid == 1
                    ? "%s more order late to ship costs no coupon under its marketplace's rule "
                      "(Amazon's, for one): its cost is the rating's (above).\n"
                    : "%s more orders late to ship cost no coupon under their marketplace's "
                      "rule (Amazon's, for one): their cost is the rating's (above).\n",
                N(loc, r->late_unpaid));
    if (kept)
        fprintf(o,
                zh(loc) ? "评级不以金额计：若改道能使店铺的延迟发货率保持在平台目标以下，方案就改道"
                          "（%s 家店铺%.0s），并在该步说明。\n"
                        : "A rating is not priced: where a reroute keeps a shop's late shipment "
                          "rate under its marketplace's target, the plans take it (%s %s), and "
                          "the step says so.\n",
                N(loc, kept), kept == 1 ? "shop" : "shops");
    if (r->late_unrated)
        fprintf(o,
                zh(loc)
                    ? "另有 %s 个订单延迟发货，其店铺没有平台规则档案：无法按规则估值，未计入。\n"
                : r->late_unrated == 1
                    ? "%s more order late to ship is of a shop with no rule profile: no "
                      "marketplace rule values it, and it is left out.\n"
                    : "%s more orders late to ship are of shops with no rule profile: no "
                      "marketplace rule values them, and they are left out.\n",
                N(loc, r->late_unrated));
    approved_text(o, r, loc);
    if (r->nproblems == 0 && !kept) {
        fputs(zh(loc) ? "这些事件不会带来新的缺货或延迟发货：无需应对。\n"
                      : "The events bring no new stock-out and no late shipment: nothing to "
                        "do.\n",
              o);
        return 0;
    }
    if (r->nplans == 1 && !kept)
        fputs(zh(loc)
                  ? "没有哪个手段（备用供应商、调拨、延长备货时间）能及时起作用：只能什么都不做。\n"
                  : "No lever (a backup supplier, a transfer, a longer handling time) reaches "
                    "these problems in time: doing nothing is the only plan.\n",
              o);
    for (size_t i = 0; i < r->nplans; i++)
        plan_text(o, r, loc, i);
    if (r->cost_unknown)
        fprintf(o,
                zh(loc) ? "\n%s 个缺货的商品没有单位成本：其损失按售价计。\n"
                : r->cost_unknown == 1
                    ? "\n%s stock-out is of a SKU without a unit cost: its loss is counted at "
                      "the price.\n"
                    : "\n%s stock-outs are of SKUs without a unit cost: their loss is "
                      "counted at the price.\n",
                N(loc, r->cost_unknown));
    if (r->no_rate)
        fprintf(o,
                zh(loc)           ? "%s 笔金额没有到 %s 的汇率，未计入。\n"
                : r->no_rate == 1 ? "%s amount has no exchange rate to %s and is left out.\n"
                                  : "%s amounts have no exchange rate to %s and are left out.\n",
                N(loc, r->no_rate), r->currency);
    return 0;
}
