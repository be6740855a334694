/* whatif_text.c - a what-if's report in words (whatif_text.h): what was assumed, then the
 * difference it makes: orders held and late, stock-outs, the shops' standing with and
 * without the exemptions, money per currency, deposits, messages, playbook actions. The
 * codes' words come from the operator's locale pack (templates/operator/<locale>/). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/digest.h"
#include "ballast/disruption.h"
#include "ballast/l10n.h"
#include "ballast/playbook.h"
#include "ballast/time.h"
#include "cli/whatif_text.h"

#define T(en_, zh_) (w->zh ? (zh_) : (en_))
#define SHOWN 15 /* rows per list; --json has every one */
#define DAY INT64_C(86400)
#define N BL__WI_N /* a count, grouped as the locale writes it */

/* An instant: a local midnight as its date, else the local time with its offset. */
static const char *when(const struct bl__wi_words *w, int64_t t, bool end, char *out, size_t cap)
{
    struct bl_tz *tz = NULL;
    struct bl_diag d;
    bl_diag_clear(&d);
    if (w->tz && bl_tz_load(&tz, w->tz, &d))
        tz = NULL;
    int64_t local = t + (tz ? bl_tz_offset(tz, t) : 0);
    bl_tz_free(tz);
    char buf[BL_ISO_MAX];
    if ((local % DAY + DAY) % DAY == 0) {
        int64_t day = (local - (end ? 1 : 0)) / DAY - (local < 0);
        snprintf(out, cap, "%s", bl_date_format(day, buf));
    } else {
        snprintf(out, cap, "%s", bl_time_format(t, buf));
    }
    return out;
}

const char *bl__wi_money_text(const struct bl__wi_words *w, int64_t minor, const char *cur,
                              char *out, size_t cap)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_l10n_money(w->locale, minor, cur, out, cap, &d))
        snprintf(out, cap, "%lld %s", (long long)minor, cur);
    return out;
}

const char *bl__wi_count(const struct bl__wi_words *w, int64_t n, char *out, size_t cap)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_l10n_count(w->locale, n, out, cap, &d))
        snprintf(out, cap, "%lld", (long long)n);
    return out;
}

static const char *code(const struct bl__wi_words *w, const char *group, const char *c, char *out,
                        size_t cap)
{
    bl_app_words_code(w->words, group, c, out, cap);
    return out;
}

static const char *rating(const struct bl__wi_words *w, const char *r, char *out, size_t cap)
{
    if (!r[0]) {
        snprintf(out, cap, "%s", T("unrated", "无评级"));
        return out;
    }
    return code(w, "ratings", r, out, cap);
}

/* A shop as a person knows it: its name, and its id when that differs. */
const char *bl__wi_shop_text(const struct bl__wi_words *w, uint32_t s, char *out, size_t cap)
{
    const char *id = w->res->shop[s], *name = w->res->shop_name[s];
    if (strcmp(id, name) == 0)
        snprintf(out, cap, "%s", id);
    else
        snprintf(out, cap, w->zh ? "%s（%s）" : "%s (%s)", name, id);
    return out;
}

/* ---- what was assumed ------------------------------------------------------------------ */

/* A channel of the assumption file by name and code ("YunExpress (dedicated line) to United
 * States (YUN-LINE-US)"); the code alone when no order of the snapshot is on it. */
static const char *chan_text(const struct bl__wi_words *w, const char *ext, char *out, size_t cap)
{
    const struct bl_app_whatif_res *res = w->res;
    snprintf(out, cap, "%s", ext ? ext : "");
    for (size_t k = 0; ext && k < res->nchannels; k++)
        if (strcmp(res->channel[k], ext) == 0) {
            const char *name = bl__wi_channel_text(res, (int32_t)k);
            if (name != res->channel[k])
                snprintf(out, cap, T("%s (%s)", "%s（%s）"), name, ext);
            break;
        }
    return out;
}

static void event(const struct bl__wi_words *w, size_t i)
{
    const struct bl_wi_event *e = &w->assume->ev[i];
    const char *place = w->res->place && w->res->place[i] ? w->res->place[i] : e->region;
    FILE *o = w->cli->out;
    char a[64], b[64], k[300];
    when(w, e->from, false, a, sizeof(a));
    if (bl_dis_open_end(e->to))
        snprintf(b, sizeof(b), "%s", T("until further notice", "另行通知为止"));
    else
        when(w, e->to, true, b, sizeof(b));
    fprintf(o, T("  line %lld: ", "  第 %lld 行："), (long long)e->line);
    switch (e->kind) {
    case BL_WI_DISRUPTION:
        code(w, "disruption_kinds", bl_dis_kinds[e->dis_kind], k, sizeof(k));
        fprintf(o, T("%s in %s (%s)", "%2$s%1$s（%3$s）"), k, place,
                e->scope == BL_DIS_ORIGIN        ? T("shipments leaving it", "发出的包裹")
                : e->scope == BL_DIS_DESTINATION ? T("shipments to it", "寄往的包裹")
                                                 : T("both ways", "进出均受影响"));
        break;
    case BL_WI_SUPPLIER_SHUTDOWN:
        fprintf(o, T("supplier %s shut", "供应商 %s 停产"), e->supplier);
        break;
    case BL_WI_LEAD_TIME:
        fprintf(o, T("supplier %s's lead time becomes %s day%s", "供应商 %s 交期变为 %s%.0s 天"),
                e->supplier, N(e->lead_days), e->lead_days == 1 ? "" : "s");
        break;
    case BL_WI_CHANNEL_SUSPENSION:
        fprintf(o, T("channel %s stops carrying from %s", "物流渠道 %s 在%s停运"),
                chan_text(w, e->channel, k, sizeof(k)), place);
        break;
    case BL_WI_CHANNEL_PRICE:
        if (e->per_kg >= 0) {
            char r[64];
            bl__wi_money_text(w, e->per_kg, e->currency, r, sizeof(r));
            fprintf(o, T("the price of channel %s: %s a kilogram", "物流渠道 %s 运价：每公斤 %s"),
                    chan_text(w, e->channel, k, sizeof(k)), r);
        } else {
            fprintf(o, T("the price of channel %s %+.2f%%", "物流渠道 %s 运价 %+.2f%%"),
                    chan_text(w, e->channel, k, sizeof(k)), (double)e->pct_bp / 100.0);
        }
        break;
    case BL_WI_DEMAND:
        fprintf(o, T("demand %+.2f%% for %s %s", "需求变化 %+.2f%%：%s %s"),
                (double)e->pct_bp / 100.0, e->sku ? "SKU" : T("category", "品类"),
                e->sku ? e->sku : e->category);
        break;
    default:
        fprintf(o, "%s %s", bl_wi_event_names[e->kind], e->channel ? e->channel : "");
    }
    fprintf(o, T(", %s to %s\n", "，%s 至 %s\n"), a, b);
}

static void header(const struct bl__wi_words *w)
{
    const struct bl_app_whatif_res *r = w->res;
    FILE *o = w->cli->out;
    char a[64], b[64];
    when(w, r->r.as_of, true, a, sizeof(a));
    when(w, r->r.as_of + r->r.horizon * DAY, true, b, sizeof(b));
    if (w->zh)
        fprintf(o, "假设推演：截至 %s 日终，向后 %s 天（至 %s 日终），%s 中的 %s 个假设事件：\n", a,
                N(r->r.horizon), b, w->file, N(w->assume->n));
    else
        fprintf(o,
                "What if, as of the end of %s, over %s day%s (to the end of %s): %s assumed "
                "event%s from %s:\n",
                a, N(r->r.horizon), r->r.horizon == 1 ? "" : "s", b, N(w->assume->n),
                w->assume->n == 1 ? "" : "s", w->file);
    for (size_t i = 0; i < w->assume->n; i++)
        event(w, i);
    if (!r->replay) {
        fprintf(o,
                T("Nothing after the as-of is known: pending orders ship at each shop's usual "
                  "times, and %s new order%s at its rate of the last 28 days.\n",
                  "截至日之后的情况未知：未发货订单按各店铺惯常时效发货，并按其近 28 天的节奏推算 "
                  "%s%.0s 笔新订单。\n"),
                N(r->projected), r->projected == 1 ? " comes" : "s come");
    } else {
        when(w, r->data_until, false, a, sizeof(a));
        fprintf(o,
                T("Replayed: the orders the store holds up to %s are taken as recorded; "
                  "%s order%s projected after it.\n",
                  "回放：店铺截至 %s 的订单按实际记录计入；此后推算 %s%.0s 笔订单。\n"),
                a, N(r->projected), r->projected == 1 ? " is" : "s are");
    }
    if (!r->stock)
        fputs(T("No stock counts in the store: stock-outs and the playbook are not simulated.\n",
                "店铺没有库存数据：不推演缺货与应对预案。\n"),
              o);
}

/* ---- orders ------------------------------------------------------------------------------ */

static const char *delta(const struct bl__wi_words *w, int64_t a, int64_t b, char *out, size_t cap)
{
    snprintf(out, cap, "%s → %s", N(a), N(b));
    return out;
}

static void orders(const struct bl__wi_words *w)
{
    const struct bl_wi_result *r = &w->res->r;
    FILE *o = w->cli->out;
    char x[64], y[64];
    fprintf(o,
            T("\nOrders: %s held by the events; late to ship %s, late to deliver %s "
              "(without → with the events)\n",
              "\n订单：%s 笔因事件滞留；延迟发货 %s，延迟送达 %s（无事件 → 有事件）\n"),
            N(r->held_total), delta(w, r->late_ship_total[0], r->late_ship_total[1], x, 64),
            delta(w, r->late_deliver_total[0], r->late_deliver_total[1], y, 64));
    size_t shown = 0, more = 0;
    for (size_t i = 0; i < r->norders; i++) {
        const struct bl_wi_orders *q = &r->orders[i];
        if (!q->held && q->late_ship[0] == q->late_ship[1] &&
            q->late_deliver[0] == q->late_deliver[1] && q->waivers[0] == q->waivers[1] &&
            !q->freight_extra)
            continue;
        if (shown++ >= SHOWN) {
            more++;
            continue;
        }
        char sn[300], who[400];
        bl__wi_shop_text(w, q->shop, sn, sizeof(sn));
        if (q->channel >= 0)
            snprintf(who, sizeof(who), T("%s on %s", "%s / %s"), sn,
                     bl__wi_channel_text(w->res, q->channel));
        else /* orders the router has not given a channel yet */
            snprintf(who, sizeof(who), T("%s, no channel chosen yet", "%s / 尚未选定渠道"), sn);
        fprintf(o,
                T("  %s: %s of %s due held; late to ship %s, late to deliver %s\n",
                  "  %s：%s 笔滞留（应发 %s 笔）；延迟发货 %s，延迟送达 %s\n"),
                who, N(q->held), N(q->due), delta(w, q->late_ship[0], q->late_ship[1], x, 64),
                delta(w, q->late_deliver[0], q->late_deliver[1], y, 64));
        if (q->waivers[0] != q->waivers[1] || q->freight_extra) {
            char a[64], b[64], e[64];
            bl__wi_money_text(w, q->waivers[0], q->currency, a, sizeof(a));
            bl__wi_money_text(w, q->waivers[1], q->currency, b, sizeof(b));
            bl__wi_money_text(w, q->freight_extra, q->currency, e, sizeof(e));
            fprintf(o,
                    T("    freight: SLA waivers due %s → %s; %s shipment%s repriced, %s more\n",
                      "    运费：SLA 运费减免 %s → %s；%s%.0s 件包裹按新价，多付 %s\n"),
                    a, b, N(q->nrepriced), q->nrepriced == 1 ? "" : "s", e);
        }
    }
    if (more)
        fprintf(o,
                T("  ... and %s more shop and channel pair%s (--json lists every one)\n",
                  "  ……另有 %s 组店铺与渠道%.0s（--json 列出全部）\n"),
                N(more), more == 1 ? "" : "s");
}

/* ---- stock-outs ------------------------------------------------------------------------- */

const char *bl__wi_day_text(const struct bl__wi_words *w, int64_t day, char *out, size_t cap)
{
    char buf[16];
    snprintf(out, cap, "%s", day == BL_RP_NEVER ? T("none", "无") : bl_date_format(day, buf));
    return out;
}

bool bl__wi_stock_changed(const struct bl_wi_stockout *s)
{
    return s->day[0] != s->day[1] || s->units_short[0] != s->units_short[1];
}

static void stockouts(const struct bl__wi_words *w)
{
    const struct bl_app_whatif_res *res = w->res;
    const struct bl_wi_result *r = &res->r;
    if (!res->stock)
        return;
    FILE *o = w->cli->out;
    size_t n[2] = {0, 0}, changed = 0, shown = 0;
    for (size_t i = 0; i < r->nstockouts; i++) {
        n[0] += r->stockouts[i].day[0] != BL_RP_NEVER;
        n[1] += r->stockouts[i].day[1] != BL_RP_NEVER;
        changed += bl__wi_stock_changed(&r->stockouts[i]);
    }
    fprintf(o,
            T("\nStock-outs in the horizon (SKU and warehouse): %s → %s; %s %s\n",
              "\n推演期内缺货（SKU 与仓库）：%s → %s；其中 %s 个新出现、提前或加深%.0s\n"),
            N(n[0]), N(n[1]), N(changed),
            changed == 1 ? "appears, moves earlier or deepens" : "appear, move earlier or deepen");
    for (size_t i = 0; i < r->nstockouts && shown < SHOWN; i++) {
        const struct bl_wi_stockout *s = &r->stockouts[i];
        if (!bl__wi_stock_changed(s))
            continue;
        shown++;
        char d0[16], d1[16], m[64] = "";
        if (s->revenue_short[1] >= 0 && s->currency[0])
            bl__wi_money_text(
                w, s->revenue_short[1] - (s->revenue_short[0] > 0 ? s->revenue_short[0] : 0),
                s->currency, m, sizeof(m));
        fprintf(o,
                T("  %s (%s) in %s: stock-out %s → %s; %s → %s unit%s short%s%s\n",
                  "  %s（%s）在 %s：缺货日 %s → %s；缺 %s → %s%.0s 件%s%s\n"),
                res->sku_name[s->sku], res->sku[s->sku], res->warehouse_name[s->warehouse],
                bl__wi_day_text(w, s->day[0], d0, 16), bl__wi_day_text(w, s->day[1], d1, 16),
                N(s->units_short[0]), N(s->units_short[1]), s->units_short[1] == 1 ? "" : "s",
                m[0] ? T(", revenue lost ", "，多损失营收 ") : "", m);
    }
    if (changed > shown)
        fprintf(o,
                T("  ... and %s more (--json lists every one)\n",
                  "  ……另有 %s 个（--json 列出全部）\n"),
                N(changed - shown));
}

/* ---- the shops' standing ---------------------------------------------------------------- */

static void failing(const struct bl__wi_words *w, const struct bl_profile *p, uint32_t bits,
                    char *out, size_t cap)
{
    size_t at = 0;
    out[0] = '\0';
    for (size_t q = 0; q < p->nrules && at + 1 < cap; q++) {
        if (!(bits >> q & 1))
            continue;
        char m[64];
        code(w, "metrics", bl_metric_name(p->rules[q].metric), m, sizeof(m));
        at += (size_t)snprintf(out + at, cap - at, "%s%s", at ? T(", ", "、") : "", m);
    }
}

static void one_rating(const struct bl__wi_words *w, const struct bl_wi_rating *x)
{
    const struct bl_profile *p = &w->res->profiles[x->profile];
    char r0[48], r1[48], r2[48], f[200], sn[300];
    rating(w, x->rating[0], r0, sizeof(r0));
    rating(w, x->rating[1], r1, sizeof(r1));
    rating(w, x->bare.rating, r2, sizeof(r2));
    failing(w, p, x->bare.failing, f, sizeof(f));
    const char *harm = !x->falls  ? ""
                       : x->saved ? T("; it falls if undeclared, declaring saves it",
                                      "；未申报则评级下降，申报可保住")
                                  : T("; it falls, and declaring does not save it (its "
                                      "profile does not exempt declared disruptions)",
                                      "；评级下降，申报也保不住（其平台不因申报的突发事件豁免）");
    fprintf(w->cli->out,
            T("  %s (%s): %s without the events; %s with them declared; %s if undeclared "
              "(%s day%s in breach)%s%s%s\n",
              "  %s（%s）：无事件 %s；事件已申报 %s；未申报 %s（%s%.0s 天处于违规区间）%s%s%s\n"),
            bl__wi_shop_text(w, x->shop, sn, sizeof(sn)), p->name, r0, r1, r2,
            N(x->bare.days_breach), x->bare.days_breach == 1 ? "" : "s",
            f[0] ? T(", missing: ", "，未达标：") : "", f, harm);
}

static void standing(const struct bl__wi_words *w)
{
    const struct bl_wi_result *r = &w->res->r;
    FILE *o = w->cli->out;
    size_t moved = 0, shown = 0;
    for (size_t i = 0; i < r->nratings; i++) {
        const struct bl_wi_rating *x = &r->ratings[i];
        moved += strcmp(x->rating[0], x->rating[1]) || strcmp(x->rating[1], x->bare.rating);
    }
    fprintf(o,
            T("\nShop ratings at the horizon's end: %s of %s move%s; the exemptions a "
              "declared disruption brings keep %s out of breach\n"
              "Rating harm: %s %s a band or more if the events go undeclared; "
              "declaring them saves %s\n",
              "\n推演期末店铺评级：%s / %s 个变化%.0s；申报突发事件带来的豁免使 %s 个店铺免于违规\n"
              "评级损害：若不申报，%s 个店铺%s评级下降一档或更多；申报可保住其中 %s 个\n"),
            N(moved), N(r->nratings), moved == 1 ? "s" : "", N(r->rescued), N(r->falls),
            w->zh           ? ""
            : r->falls == 1 ? "shop falls"
                            : "shops fall",
            N(r->saved));
    for (size_t i = 0; i < r->nratings && shown < SHOWN; i++) {
        const struct bl_wi_rating *x = &r->ratings[i];
        if (strcmp(x->rating[0], x->rating[1]) || strcmp(x->rating[1], x->bare.rating)) {
            one_rating(w, x);
            shown++;
        }
    }
    if (moved > shown)
        fprintf(o,
                T("  ... and %s more (--json lists every one)\n",
                  "  ……另有 %s 个（--json 列出全部）\n"),
                N(moved - shown));
}

/* ---- messages, playbook ------------------------------------------------------------------ */

static void messages(const struct bl__wi_words *w)
{
    const struct bl_wi_result *r = &w->res->r;
    static const char *const kinds[] = {"late_shipment", "compensation_coupon"};
    FILE *o = w->cli->out;
    fputs(T("\nMessages to buyers (without → with the events):\n",
            "\n发给买家的消息（无事件 → 有事件）：\n"),
          o);
    if (!r->nmessages)
        fputs(T("  none\n", "  无\n"), o);
    for (size_t i = 0; i < r->nmessages; i++) {
        const struct bl_wi_messages *m = &r->messages[i];
        char k[64];
        code(w, "message_kinds", kinds[m->kind], k, sizeof(k));
        char ln[96];
        struct bl_diag d;
        bl_diag_clear(&d);
        const char *lang = ln;
        if (strcmp(m->lang, "und") == 0 ||
            bl_l10n_language_name(w->locale, m->lang, ln, sizeof(ln), &d))
            lang = T("the shop's default language", "店铺默认语言");
        fprintf(o, T("  %s in %s: %s → %s\n", "  %s（%s）：%s → %s\n"), k, lang, N(m->n[0]),
                N(m->n[1]));
    }
}

static void playbook(const struct bl__wi_words *w)
{
    const struct bl_app_whatif_res *res = w->res;
    const struct bl_wi_result *r = &res->r;
    if (!res->stock)
        return;
    FILE *o = w->cli->out;
    size_t only = 0, shown = 0;
    for (size_t i = 0; i < r->nactions; i++)
        only += r->actions[i].in[1] && !r->actions[i].in[0];
    fprintf(
        o,
        T("\nPlaybook actions the events would fire: %s\n", "\n事件将触发的应对预案动作：%s 个\n"),
        N(only));
    for (size_t i = 0; i < r->nactions && shown < SHOWN; i++) {
        const struct bl_wi_action *x = &r->actions[i];
        if (!x->in[1] || x->in[0])
            continue;
        shown++;
        char k[64], dd[16];
        code(w, "action_kinds", bl_pb_kind_name((enum bl_pb_kind)x->kind), k, sizeof(k));
        const char *target = x->shop ? res->pb_shop[x->sku] : res->sku_name[x->sku];
        fprintf(o, T("  %s: %s (%s)%s%s\n", "  %s：%s（%s）%s%s\n"), target, k,
                x->mode == BL_PB_APPLY ? T("applied at once", "立即执行")
                                       : T("proposed for approval", "待审批"),
                x->day != BL_RP_NEVER ? T(", stock-out on ", "，缺货日 ") : "",
                x->day != BL_RP_NEVER ? bl__wi_day_text(w, x->day, dd, 16) : "");
    }
    if (only > shown)
        fprintf(o,
                T("  ... and %s more (--json lists every one)\n",
                  "  ……另有 %s 个（--json 列出全部）\n"),
                N(only - shown));
}

int bl__wi_print(struct bl__wi_words *w)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    w->zh = strcmp(w->locale, "zh-CN") == 0;
    if (bl_app_words_open(NULL, w->locale, &w->words, &d))
        return bl_cli_fail(w->cli, &d);
    header(w);
    bl__wi_approved_lines(w);
    orders(w);
    stockouts(w);
    standing(w);
    bl__wi_money_lines(w);
    messages(w);
    playbook(w);
    bl_app_words_free(w->words);
    w->words = NULL;
    return 0;
}
