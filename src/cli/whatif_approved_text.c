/* whatif_approved_text.c - the reroutes a person approved, in a what-if's report
 * (whatif_text.h): both runs follow them as the router does (app/whatif.h,
 * bl_app_whatif_approved), so "without the events" and "with them" already include them;
 * the report says so, lest a reader wonder why orders on a suspended channel ship. */
#include <stdio.h>

#include "cli/whatif_text.h"

#define T(en_, zh_) (w->zh ? (zh_) : (en_))

const char *bl__wi_channel_text(const struct bl_app_whatif_res *res, int32_t k)
{
    return res->channel_name && res->channel_name[k] ? res->channel_name[k] : res->channel[k];
}

void bl__wi_approved_lines(const struct bl__wi_words *w)
{
    const struct bl_app_whatif_res *res = w->res;
    if (!res->napproved)
        return;
    FILE *o = w->cli->out;
    fputs(T("\nApproved reroutes, which both runs follow as the router does:\n",
            "\n已批准的改道（两次运行都按路由的做法计入）：\n"),
          o);
    for (size_t i = 0; i < res->napproved; i++) {
        const struct bl_app_whatif_approved *a = &res->approved[i];
        char sn[300], first[64], last[64];
        bl__wi_shop_text(w, a->shop, sn, sizeof(sn));
        bl__wi_day_text(w, a->from_day, first, sizeof(first));
        bl__wi_day_text(w, a->until_day - 1, last, sizeof(last));
        if (w->zh)
            fprintf(o, "  %s：原由 %s 发货的订单，%s 至 %s 改由 %s 发货（操作 %lld）\n", sn,
                    bl__wi_channel_text(res, a->from), first, last, bl__wi_channel_text(res, a->to),
                    (long long)a->action);
        else
            fprintf(o, "  %s: its orders on %s go by %s from %s to %s (action %lld)\n", sn,
                    bl__wi_channel_text(res, a->from), bl__wi_channel_text(res, a->to), first, last,
                    (long long)a->action);
    }
}
