/* whatif_apply_text.c - `ballast whatif --mitigate --apply N`: the actions plan N became,
 * in words (en, zh-CN by cli->locale) or as data (whatif_mitigate_text.h). */
#include <stdio.h>
#include <string.h>

#include "app/whatif_apply.h"
#include "cli/whatif_mitigate_text.h"

static bool zh(const char *loc)
{
    return loc && strcmp(loc, "zh-CN") == 0;
}

static const char *kind_words(enum bl_pb_kind k, bool cn)
{
    switch (k) {
    case BL_PB_PURCHASE_ORDER:
        return cn ? "采购单" : "purchase order";
    case BL_PB_TRANSFER:
        return cn ? "调拨" : "transfer";
    case BL_PB_HANDLING_UNTIL:
        return cn ? "限期延长备货时间" : "longer handling time, until an end day";
    case BL_PB_REROUTE:
        return cn ? "改走备用渠道" : "reroute to a backup channel";
    case BL_PB_PROMOTION_UNTIL:
        return cn ? "限期暂停推广" : "promotion paused, until an end day";
    default:
        return bl_pb_kind_name(k);
    }
}

int bl_cli_whatif_applied(struct bl_cli *cli, const struct bl_app_whatif_apply_res *r)
{
    FILE *o = cli->out;
    bool cn = zh(cli->locale);
    if (r->n == 0) {
        fprintf(o,
                cn ? "\n方案 %zu 没有可提议的操作。\n"
                   : "\nPlan %zu has nothing to propose: no action was written.\n",
                r->rank);
        return 0;
    }
    if (cn)
        fprintf(o,
                "\n方案 %zu 已作为待审批的操作提出：新增 %zu 项，%zu 项此前已提出（不重复）。"
                "用 ballast actions approve ID 批准，或 reject 拒绝：\n",
                r->rank, r->added, r->existed);
    else
        fprintf(o,
                "\nPlan %zu proposed as actions for approval: %zu new, %zu proposed before "
                "(not again). Approve one with 'ballast actions approve ID', or reject it:\n",
                r->rank, r->added, r->existed);
    for (size_t i = 0; i < r->n; i++) {
        const struct bl_app_apply_action *a = &r->acts[i];
        char sku[300];
        if (a->sku_name && a->sku_name[0] && strcmp(a->sku_name, a->sku) != 0)
            snprintf(sku, sizeof(sku), "%s (%s)", a->sku_name, a->sku);
        else
            snprintf(sku, sizeof(sku), "%s", a->sku);
        if (cn)
            fprintf(o, "  操作 %lld：%s，%s（第 %zu 步）%s\n", (long long)a->id,
                    kind_words(a->kind, true), sku, a->step + 1,
                    a->outcome == BL_APP_APPLY_EXISTED ? "，此前已提出" : "");
        else
            fprintf(o, "  action %lld: %s, %s (step %zu)%s\n", (long long)a->id,
                    kind_words(a->kind, false), sku, a->step + 1,
                    a->outcome == BL_APP_APPLY_EXISTED ? ", proposed before" : "");
    }
    if (r->n > 1)
        fprintf(o,
                cn ? "  一次批准全部：ballast actions approve --plan '%s'（或 reject 全部拒绝）\n"
                   : "  Approve them all at once: ballast actions approve --plan '%s' (or reject "
                     "them all)\n",
                r->plan_words);
    if (r->idle_steps)
        fprintf(o,
                cn ? "  %zu%.0s%.0s "
                     "个延长备货时间的步骤没有要改的商品（该地区没有这家店的库存，或已到上限）。\n"
                   : "  %zu handling step%s %s no listing (the shop has no stock in the "
                     "region, or it is at the cap already).\n",
                r->idle_steps, r->idle_steps == 1 ? "" : "s",
                r->idle_steps == 1 ? "changes" : "change");
    return 0;
}
