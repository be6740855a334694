/* whatif_money_text.c - a what-if's money in words (whatif_text.h): per currency the
 * coupons without the events, with them declared and with them undeclared, and the
 * revenue the stock-outs lose; each shop's late orders valued by its own marketplace's
 * rule (the figures the mitigation's "doing nothing" adds up); the deposits that run
 * short; and the one-line brief `make run` prints. */
#include <stdio.h>
#include <string.h>

#include "cli/whatif_text.h"

#define T(en_, zh_) (w->zh ? (zh_) : (en_))
#define SHOWN 15   /* rows per list; --json has every one */
#define N BL__WI_N /* a count, grouped as the locale writes it */

static void currencies(const struct bl__wi_words *w)
{
    const struct bl_wi_result *r = &w->res->r;
    FILE *o = w->cli->out;
    fputs(T("\nMoney per currency (without → with the events declared; undeclared):\n",
            "\n按币种的金额（无事件 → 事件已申报；未申报）：\n"),
          o);
    if (!r->nmoney)
        fputs(T("  none\n", "  无\n"), o);
    for (size_t i = 0; i < r->nmoney; i++) {
        const struct bl_wi_money *m = &r->money[i];
        char a[64], b[64], u[64], c[64], e[64];
        bl__wi_money_text(w, m->coupons[0], m->currency, a, sizeof(a));
        bl__wi_money_text(w, m->coupons[1], m->currency, b, sizeof(b));
        bl__wi_money_text(w, m->bare_coupons, m->currency, u, sizeof(u));
        bl__wi_money_text(w, m->revenue_short[0], m->currency, c, sizeof(c));
        bl__wi_money_text(w, m->revenue_short[1], m->currency, e, sizeof(e));
        fprintf(o,
                T("  %s: coupons %s (%s) → %s (%s); undeclared %s (%s); %s owed for "
                  "want of deposit; revenue lost to stock-outs %s → %s\n",
                  "  %s：补偿券 %s 张（%s）→ %s 张（%s）；未申报 %s 张（%s）；其中 %s "
                  "张因保证金不足待付；缺货损失营收 %s → %s\n"),
                m->currency, N(m->ncoupons[0]), a, N(m->ncoupons[1]), b, N(m->bare_ncoupons), u,
                N(m->nowed[1]), c, e);
        if (m->nwaivers[0] || m->nwaivers[1] || m->freight_extra) {
            bl__wi_money_text(w, m->waivers[0], m->currency, a, sizeof(a));
            bl__wi_money_text(w, m->waivers[1], m->currency, b, sizeof(b));
            bl__wi_money_text(w, m->freight_extra, m->currency, u, sizeof(u));
            fprintf(o,
                    T("    freight: carrier SLA waivers due %s (%s) → %s (%s); the price "
                      "changes add %s\n",
                      "    运费：承运商 SLA 运费减免 %s 笔（%s）→ %s 笔（%s）；价格变动增加 %s\n"),
                    N(m->nwaivers[0]), a, N(m->nwaivers[1]), b, u);
        }
    }
}

/* Each shop whose late orders the events make cost more: what they are owed, by its rule. */
static void shops(const struct bl__wi_words *w)
{
    const struct bl_wi_result *r = &w->res->r;
    FILE *o = w->cli->out;
    size_t n = 0, shown = 0;
    for (size_t i = 0; i < r->nshop_coupons; i++)
        n += r->shop_coupons[i].bare != r->shop_coupons[i].coupons[0] ||
             r->shop_coupons[i].coupons[1] != r->shop_coupons[i].coupons[0];
    if (!n)
        return;
    fputs(T("  Late orders valued by each shop's marketplace rule (the coupons the events "
            "add: undeclared; declared):\n",
            "  按各店铺平台规则计算的延迟订单补偿（事件新增的补偿券：未申报；已申报）：\n"),
          o);
    for (size_t i = 0; i < r->nshop_coupons && shown < SHOWN; i++) {
        const struct bl_wi_shop_coupons *x = &r->shop_coupons[i];
        if (x->bare == x->coupons[0] && x->coupons[1] == x->coupons[0])
            continue;
        shown++;
        char sn[300], u[64], d[64];
        bl__wi_money_text(w, x->bare - x->coupons[0], x->currency, u, sizeof(u));
        bl__wi_money_text(w, x->coupons[1] - x->coupons[0], x->currency, d, sizeof(d));
        int64_t more = x->nbare - x->ncoupons[0];
        fprintf(o,
                T("    %s: %s more coupon%s, %s; declared %s\n",
                  "    %s：多 %s 张补偿券%.0s，%s；已申报 %s\n"),
                bl__wi_shop_text(w, x->shop, sn, sizeof(sn)), N(more), more == 1 ? "" : "s", u, d);
    }
    if (n > shown)
        fprintf(o,
                T("    ... and %s more (--json lists every one)\n",
                  "    ……另有 %s 个（--json 列出全部）\n"),
                N(n - shown));
}

static void deposits(const struct bl__wi_words *w)
{
    const struct bl_wi_result *r = &w->res->r;
    FILE *o = w->cli->out;
    size_t shown = 0, more = 0;
    for (size_t i = 0; i < r->ndeposits; i++) {
        const struct bl_wi_deposit *p = &r->deposits[i];
        if (p->short_by[1] == p->short_by[0])
            continue;
        if (shown++ >= SHOWN) {
            more++;
            continue;
        }
        char a[64], b[64], c0[64], dd[16], sn[300];
        bl__wi_money_text(w, p->balance, p->currency, a, sizeof(a));
        bl__wi_money_text(w, p->short_by[1], p->currency, b, sizeof(b));
        bl__wi_money_text(w, p->short_by[0], p->currency, c0, sizeof(c0));
        fprintf(o,
                T("  %s: the deposit (%s) runs short by %s from %s (without the events: %s)\n",
                  "  %s：保证金（%s）不足 %s，自 %s 起（无事件时：%s）\n"),
                bl__wi_shop_text(w, p->shop, sn, sizeof(sn)), a, b,
                bl__wi_day_text(w, p->first_day[1], dd, 16), c0);
    }
    if (more)
        fprintf(o,
                T("  ... and %s more deposit%s (--json lists every one)\n",
                  "  ……另有 %s 个保证金%.0s（--json 列出全部）\n"),
                N(more), more == 1 ? "" : "s");
}

void bl__wi_money_lines(const struct bl__wi_words *w)
{
    currencies(w);
    shops(w);
    deposits(w);
}

/* What the events add, per currency: coupons (undeclared or declared), revenue lost and
 * the freight the price changes add ("" when nothing). */
static void cost(const struct bl__wi_words *w, bool declared, char *out, size_t cap)
{
    const struct bl_wi_result *r = &w->res->r;
    size_t at = 0;
    out[0] = '\0';
    for (size_t i = 0; i < r->nmoney && at + 1 < cap; i++) {
        const struct bl_wi_money *m = &r->money[i];
        int64_t coupons = declared ? m->coupons[1] : m->bare_coupons;
        int64_t extra = (coupons - m->coupons[0]) + (m->revenue_short[1] - m->revenue_short[0]) +
                        m->freight_extra;
        if (!extra)
            continue;
        char a[64];
        bl__wi_money_text(w, extra, m->currency, a, sizeof(a));
        at += (size_t)snprintf(out + at, cap - at, "%s%s", at ? " + " : "", a);
    }
}

int bl__wi_brief(struct bl__wi_words *w)
{
    const struct bl_wi_result *r = &w->res->r;
    w->zh = strcmp(w->locale, "zh-CN") == 0;
    size_t deeper = 0;
    for (size_t i = 0; i < r->nstockouts; i++)
        deeper += bl__wi_stock_changed(&r->stockouts[i]);
    char c[256], dc[256], wv[256] = "";
    cost(w, false, c, sizeof(c));
    cost(w, true, dc, sizeof(dc));
    for (size_t i = 0, at = 0; i < r->nmoney && at + 1 < sizeof(wv); i++) {
        const struct bl_wi_money *m = &r->money[i];
        if (m->waivers[1] == m->waivers[0])
            continue;
        char a[64];
        int64_t dw = m->waivers[1] - m->waivers[0];
        bl__wi_money_text(w, dw < 0 ? -dw : dw, m->currency, a, sizeof(a));
        if (w->zh)
            at += (size_t)snprintf(wv + at, sizeof(wv) - at, "%s%s %s", at ? "，" : "",
                                   dw < 0 ? "少" : "多", a);
        else
            at += (size_t)snprintf(wv + at, sizeof(wv) - at, "%s%s %s", at ? ", " : "", a,
                                   dw < 0 ? "less" : "more");
    }
    /* English plurals; the Chinese has none (its format takes them as "") */
    const char *s_days = w->zh || r->horizon == 1 ? "" : "s";
    const char *s_held = w->zh || r->held_total == 1 ? "" : "s";
    const char *s_deeper = w->zh || deeper == 1 ? "" : "s";
    const char *s_falls = w->zh || r->falls == 1 ? "" : "s";
    const char *fall = w->zh ? "" : r->falls == 1 ? " falls" : " fall";
    fprintf(
        w->cli->out,
        T("What if (%s, %s day%s): %s order%s held, %s more late to ship, %s stock-out%s "
          "earlier or deeper, %s in coupons, lost sales and extra freight undeclared (%s "
          "declared); %s shop rating%s%s, declaring saves %s%s%s\n",
          "假设推演（%s，%s 天%s）：%s 笔订单滞留%s，延迟发货增加 %s 笔，%s 处缺货提前或加深%s，"
          "未申报时补偿券、缺货损失与新增运费合计 %s（申报后 %s）；%s "
          "个店铺评级下降%s%s，申报可保住 "
          "%s 个%s%s\n"),
        w->file, N(r->horizon), s_days, N(r->held_total), s_held,
        N(r->late_ship_total[1] - r->late_ship_total[0]), N(deeper), s_deeper,
        c[0] ? c : T("nothing", "无"), dc[0] ? dc : T("nothing", "无"), N(r->falls), s_falls, fall,
        N(r->saved),
        wv[0]
            ? T("; freight the carriers waive for late deliveries: ", "；承运商因延误减免的运费：")
            : "",
        wv);
    return 0;
}
