/* cmd_comply.c - `ballast comply --as-of T [--explain JURISDICTION|SHOP] [--per-shop]
 * [--rules FILE] [--locale en|zh-CN]`: where the sales into each jurisdiction stand
 * against its tax registration threshold, and when 80% and 100% were crossed. The shell
 * around bl_app_comply (src/app/comply.h); the rule's words are the app's
 * (comply_words.c), the rest are here, in English and Chinese. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "app/comply.h"
#include "ballast/l10n.h"
#include "ballast/money.h"
#include "ballast/time.h"
#include "cli/cli.h"
#include "cli/out.h"

/* The command's words: [0] English, [1] Chinese. Sentences with values are written
 * with SAY (both formats literal, so the compiler checks them). */
enum { W_UNDER, W_NEAR, W_OVER, W_NEXT, W_COLS, W_COVERS, W_NONE, W__N };
static const char *const words[W__N][2] = {
    [W_UNDER] = {"under 80%", "低于 80%"},
    [W_NEAR] = {"80% reached: registration is near", "已达 80%：临近登记门槛"},
    [W_OVER] = {"crossed: registration is due", "已超过：须登记"},
    [W_NEXT] = {"crossed this year: registration is due from 1 January",
                "今年已超过：须自明年 1 月 1 日起登记"},
    [W_COLS] = {"jurisdiction,status,period,sales,orders,progress,crossed_on,order,threshold",
                "辖区,状态,期间,销售额,订单数,进度,越过日期,订单,门槛"},
    [W_COVERS] = {"Covers: ", "覆盖："},
    [W_NONE] = {"no sales", "无销售"},
};

static bool zh(const struct bl_cli *cli)
{
    return strncmp(cli->locale, "zh", 2) == 0;
}

/* The English and the Chinese of a sentence take the same arguments: where the English
 * has a plural ending (n == 1 ? "" : "s"), the Chinese, which has none, reads it with
 * "%.0s" (nothing printed). */
#define SAY(o, cli, en, cn, ...)                                                                  \
    (zh(cli) ? fprintf((o), cn "\n", __VA_ARGS__) : fprintf((o), en "\n", __VA_ARGS__))
#define SAYS(out, cap, cli, en, cn, ...)                                                          \
    (zh(cli) ? snprintf((out), (cap), cn, __VA_ARGS__) : snprintf((out), (cap), en, __VA_ARGS__))

static const char *w(const struct bl_cli *cli, int k)
{
    return words[k][zh(cli)];
}

static const char *status_words(const struct bl_cli *cli, enum bl_comply_status s)
{
    static const int k[4] = {W_UNDER, W_NEAR, W_OVER, W_NEXT};
    return w(cli, k[s]);
}

static void pct(int64_t bp, char *out, size_t cap)
{
    bp = bp < 0 ? 0 : bp > INT64_C(99999999) ? INT64_C(99999999) : bp;
    snprintf(out, cap, "%lld.%lld%%", (long long)(bp / 100), (long long)(bp % 100 / 10));
}

/* The period a total covers, as a person reads it. */
static void period(const struct bl_cli *cli, const struct bl_comply_state *s,
                   enum bl_comply_which which, char *out, size_t cap)
{
    const struct bl_comply_total *t =
        which == BL_COMPLY_YEAR ? &s->year : which == BL_COMPLY_PREV ? &s->prev : &s->window;
    char a[BL_ISO_MAX], b[BL_ISO_MAX];
    if (which == BL_COMPLY_WINDOW) {
        SAYS(out, cap, cli, "the twelve months %s to %s", "%s 至 %s 的十二个月",
             bl_date_format(t->from, a), bl_date_format(t->to, b));
        return;
    }
    int y, m, d;
    bl_civil_from_days(t->from, &y, &m, &d);
    SAYS(out, cap, cli, "the year %d", "%d 年", y);
}

static const char *const json_cols[] = {"jurisdiction", "name", "shop", "status", "period_from",
                                        "period_to", "amount", "currency", "orders",
                                        "progress_bp", "near_on", "crossed_on", "order",
                                        "order_shop", "threshold"};

static int row(struct bl_cli *cli, struct bl_out *out, const struct bl_app_comply_item *it)
{
    const struct bl_comply_state *s = &it->st;
    const struct bl_comply_total *t = bl_comply_judged(s);
    const struct bl_comply_cross *c = bl_comply_crossing(s);
    char per[80], money[64], p[16], day[BL_ISO_MAX] = "", th[200], near[BL_ISO_MAX] = "",
                                                      over[BL_ISO_MAX] = "", name[300];
    bl_app_comply_money(it->rule, cli->locale, t->amount, money, sizeof(money));
    bl_app_comply_threshold(it->rule, cli->locale, th, sizeof(th));
    pct(s->progress_bp, p, sizeof(p));
    if (c)
        bl_date_format(c->day, day);
    if (cli->format != BL_FMT_TABLE) {
        char amount[48], f[BL_ISO_MAX], to[BL_ISO_MAX];
        if (bl_money_format(t->amount, it->rule->exponent, amount, sizeof(amount)) < 0)
            amount[0] = '\0';
        if (t->near.day >= 0)
            bl_date_format(t->near.day, near);
        if (t->over.day >= 0)
            bl_date_format(t->over.day, over);
        struct bl_val v[] = {
            bl_val_text(bl_str_c(it->rule->code)), bl_val_text(bl_str_c(bl_app_comply_name(it->rule, cli->locale))),
            it->shop ? bl_val_text(bl_str_c(it->shop)) : bl_val_null(),
            bl_val_text(bl_str_c(bl_comply_statuses[s->status])),
            bl_val_text(bl_str_c(bl_date_format(t->from, f))), bl_val_text(bl_str_c(bl_date_format(t->to, to))),
            bl_val_text(bl_str_c(amount)), bl_val_text(bl_str_c(it->rule->currency)),
            bl_val_int(t->count), bl_val_int(s->progress_bp),
            near[0] ? bl_val_text(bl_str_c(near)) : bl_val_null(),
            over[0] ? bl_val_text(bl_str_c(over)) : bl_val_null(),
            it->order[0] ? bl_val_text(bl_str_c(it->order)) : bl_val_null(),
            it->order_shop[0] ? bl_val_text(bl_str_c(it->order_shop)) : bl_val_null(),
            bl_val_text(bl_str_c(th))};
        return bl_out_row(out, v);
    }
    period(cli, s, s->judged, per, sizeof(per));
    if (it->shop)
        snprintf(name, sizeof(name), "%s — %s", bl_app_comply_name(it->rule, cli->locale),
                 it->shop_name && it->shop_name[0] ? it->shop_name : it->shop);
    else
        snprintf(name, sizeof(name), "%s", bl_app_comply_name(it->rule, cli->locale));
    struct bl_val v[] = {bl_val_text(bl_str_c(name)),
                         bl_val_text(bl_str_c(status_words(cli, s->status))),
                         bl_val_text(bl_str_c(per)),
                         bl_val_text(bl_str_c(t->count ? money : w(cli, W_NONE))),
                         bl_val_int(t->count),
                         bl_val_text(bl_str_c(p)),
                         bl_val_text(bl_str_c(day)),
                         bl_val_text(bl_str_c(it->order)),
                         bl_val_text(bl_str_c(th))};
    return bl_out_row(out, v);
}

static int table(struct bl_cli *cli, const struct bl_app_comply_res *res)
{
    char colbuf[300];
    const char *cols[9];
    size_t n = 0;
    snprintf(colbuf, sizeof(colbuf), "%s", w(cli, W_COLS));
    for (char *p = colbuf; p && n < 9;) {
        cols[n++] = p;
        p = strchr(p, ',');
        if (p)
            *p++ = '\0';
    }
    struct bl_out out;
    if (cli->format == BL_FMT_TABLE)
        bl_out_begin(&out, cli, cols, n);
    else
        bl_out_begin(&out, cli, json_cols, sizeof(json_cols) / sizeof(json_cols[0]));
    int rc = BL_OK;
    for (size_t i = 0; !rc && i < res->n; i++)
        rc = row(cli, &out, &res->items[i]);
    int rc2 = bl_out_end(&out);
    return rc ? rc : rc2;
}

/* ---- --explain ---------------------------------------------------------------------- */

static void total_lines(FILE *o, const struct bl_cli *cli, const struct bl_app_comply_item *it,
                        enum bl_comply_which which)
{
    const struct bl_comply_state *s = &it->st;
    const struct bl_comply_total *t =
        which == BL_COMPLY_YEAR ? &s->year : which == BL_COMPLY_PREV ? &s->prev : &s->window;
    char per[80], money[64], p[16], day[BL_ISO_MAX];
    period(cli, s, which, per, sizeof(per));
    bl_app_comply_money(it->rule, cli->locale, t->amount, money, sizeof(money));
    pct(bl_comply_progress_bp(it->rule, t->amount, t->count), p, sizeof(p));
    SAY(o, cli, "%s: %s in %lld order%s, %s of the threshold.",
        "%s：%s，%lld%.0s 笔订单，门槛的 %s。", per, money, (long long)t->count,
        t->count == 1 ? "" : "s", p);
    const struct bl_comply_cross *c[2] = {&t->near, &t->over};
    for (int k = 0; k < 2; k++) {
        if (c[k]->day < 0)
            continue;
        bl_app_comply_money(it->rule, cli->locale, c[k]->amount, money, sizeof(money));
        bl_date_format(c[k]->day, day);
        if (k)
            SAY(o, cli, "  Crossed on %s: %s in %lld order%s by then.",
                "  于 %s 越过门槛：当时累计 %s，%lld%.0s 笔订单。", day, money,
                (long long)c[k]->count, c[k]->count == 1 ? "" : "s");
        else
            SAY(o, cli, "  80%% reached on %s: %s in %lld order%s by then.",
                "  于 %s 达到 80%%：当时累计 %s，%lld%.0s 笔订单。", day, money,
                (long long)c[k]->count, c[k]->count == 1 ? "" : "s");
    }
}

/* The countries a rule covers, by name (a state's rule is named by its state already). */
static void covers(FILE *o, const struct bl_cli *cli, const struct bl_comply_rule *r)
{
    if (r->nregions < 2 && strchr(r->regions[0], '-'))
        return;
    fputs(w(cli, W_COVERS), o);
    for (size_t i = 0; i < r->nregions; i++) {
        char name[128];
        if (bl_l10n_region(strncmp(cli->locale, "zh", 2) == 0 ? "zh-CN" : "en", r->regions[i],
                           name, sizeof(name), NULL))
            snprintf(name, sizeof(name), "%s", r->regions[i]);
        fprintf(o, "%s%s", i ? ", " : "", name);
    }
    fputc('\n', o);
}

static void explain_rule(FILE *o, const struct bl_cli *cli, const struct bl_app_comply_item *it)
{
    const struct bl_comply_rule *r = it->rule;
    const struct bl_comply_state *s = &it->st;
    char th[200], a[BL_ISO_MAX], b[BL_ISO_MAX];
    bl_app_comply_threshold(r, cli->locale, th, sizeof(th));
    fprintf(o, "%s\n", bl_app_comply_name(r, cli->locale));
    SAY(o, cli, "Rule: %s; in force since %s.", "规则：%s；自 %s 起施行。", th,
        bl_date_format(r->since, a));
    covers(o, cli, r);
    SAY(o, cli, "Source: %s (read on %s).", "来源：%s（查阅于 %s）。", r->source,
        bl_date_format(r->checked, b));
    if (r->note[0]) {
        SAY(o, cli, "Note: %s", "说明：%s", r->note);
    }
    if (it->shop) {
        SAY(o, cli, "Seller: shop %s (%s).", "卖家：店铺 %s（%s）。", it->shop,
            it->shop_name ? it->shop_name : "");
    }
    SAY(o, cli, "Status: %s.", "状态：%s。", status_words(cli, s->status));
    if (r->period == BL_COMPLY_TWELVE_MONTHS)
        total_lines(o, cli, it, BL_COMPLY_WINDOW);
    total_lines(o, cli, it, BL_COMPLY_YEAR);
    if (r->period != BL_COMPLY_CALENDAR_YEAR || s->prev.count)
        total_lines(o, cli, it, BL_COMPLY_PREV);
    if (it->order[0]) {
        SAY(o, cli, "The order that set the status: %s of shop %s.",
            "决定此状态的订单：%s（店铺 %s）。", it->order, it->order_shop);
    }
    SAY(o, cli,
        "Left out: %lld cancelled or refunded in full, %lld domestic (shipped from inside "
        "the destination's country or state), %lld without an exchange rate; %lld partly "
        "refunded (counted net of the refund).",
        "未计入：%lld 笔已取消或全额退款，%lld 笔为境内销售（发货地与目的地在同一国家或州），"
        "%lld 笔缺少汇率；%lld 笔部分退款（按退款后金额计入）。",
        (long long)s->cancelled, (long long)s->domestic, (long long)s->unconverted,
        (long long)s->refunded);
    const struct bl_comply_cross *c = bl_comply_crossing(s);
    if (c && c->day < r->since) {
        SAY(o, cli,
            "The rule is in force from %s: the dates above say when these sales would have "
            "crossed it under today's rule.",
            "该规则自 %s 起施行：以上日期为按现行规则这些销售本应越过门槛的日期。",
            bl_date_format(r->since, a));
    }
}

static void explain_share(FILE *o, const struct bl_cli *cli, const struct bl_app_comply_res *res,
                          const char *shop)
{
    for (size_t i = 0; i < res->n; i++) {
        const struct bl_app_comply_item *it = &res->items[i];
        const struct bl_comply_state *s = &it->share;
        const struct bl_comply_total *t = bl_comply_judged(&it->st);
        const struct bl_comply_total *x =
            it->st.judged == BL_COMPLY_YEAR ? &s->year
            : it->st.judged == BL_COMPLY_PREV ? &s->prev : &s->window;
        if (!it->has_share || !x->count)
            continue;
        char per[80], money[64], p[16], total[64];
        period(cli, &it->st, it->st.judged, per, sizeof(per));
        bl_app_comply_money(it->rule, cli->locale, x->amount, money, sizeof(money));
        bl_app_comply_money(it->rule, cli->locale, t->amount, total, sizeof(total));
        pct(bl_comply_progress_bp(it->rule, x->amount, x->count), p, sizeof(p));
        fprintf(o, "%s: %s (%s)\n", bl_app_comply_name(it->rule, cli->locale),
                status_words(cli, it->st.status), total);
        fputs("  ", o);
        SAY(o, cli, "Shop %s (%s): %s in %lld order%s of the total in %s, %s of the threshold.",
            "店铺 %s（%s）：%s，%lld%.0s 笔订单，计入%s的累计，为门槛的 %s。", shop, res->shop_name,
            money, (long long)x->count, x->count == 1 ? "" : "s", per, p);
    }
}

static int explain(struct bl_cli *cli, const struct bl_app_comply_res *res, const char *what,
                   bool per_shop)
{
    FILE *o = cli->out;
    const struct bl_comply_rule *r = bl_comply_rule_find(&res->rules, what);
    if (!r && !per_shop) {
        explain_share(o, cli, res, what);
        return BL_OK;
    }
    bool first = true;
    for (size_t i = 0; i < res->n; i++) {
        if (r && res->items[i].rule != r)
            continue;
        if (!first)
            fputc('\n', o);
        first = false;
        explain_rule(o, cli, &res->items[i]);
    }
    return BL_OK;
}

/* ---- the command ------------------------------------------------------------------ */

struct args {
    struct bl_app_comply_req req;
    const char *explain, *as_of, *tz;
};

static int parse(struct bl_cli *cli, int argc, char **argv, struct args *a)
{
    static const struct option opts[] = {
        {"as-of", required_argument, NULL, 'a'},   {"explain", required_argument, NULL, 'e'},
        {"per-shop", no_argument, NULL, 'p'},      {"rules", required_argument, NULL, 'r'},
        {"locale", required_argument, NULL, 'L'},  {"format", required_argument, NULL, 'f'},
        {"tz", required_argument, NULL, 'z'},      {NULL, 0, NULL, 0},
    };
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'a':
            a->as_of = optarg;
            break;
        case 'z':
            a->tz = optarg;
            break;
        case 'e':
            a->explain = optarg;
            break;
        case 'p':
            a->req.per_shop = true;
            break;
        case 'r':
            a->req.rules = optarg;
            break;
        case 'L':
            if (strcmp(optarg, "en") != 0 && strcmp(optarg, "zh-CN") != 0)
                return bl_cli_usage(cli, "comply", "--locale %s: expected en or zh-CN", optarg);
            cli->locale = optarg;
            break;
        case 'f':
            if (bl_cli_set_format(cli, optarg))
                return 2;
            break;
        default:
            return bl_cli_bad_option(cli, "comply", argv, opts);
        }
    }
    if (optind != argc)
        return bl_cli_usage(cli, "comply", "unexpected argument '%s'", argv[optind]);
    if (!a->as_of)
        return bl_cli_usage(cli, "comply", "--as-of is required (a date or an instant)");
    return bl_cli_as_of(cli, "comply", a->as_of, a->tz, &a->req.as_of) ? 2 : 0;
}

int bl_cmd_comply(struct bl_cli *cli, int argc, char **argv)
{
    struct args a;
    memset(&a, 0, sizeof(a));
    int rc = parse(cli, argc, argv, &a);
    if (rc)
        return rc;
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_comply_rules probe = {0};
    /* --explain names a jurisdiction of the rules, else a shop */
    if (a.explain) {
        rc = bl_comply_rules_load(a.req.rules ? a.req.rules : bl_comply_rules_path(), &probe, &d);
        if (!rc && !bl_comply_rule_find(&probe, a.explain))
            a.req.shop = a.explain;
        bl_comply_rules_release(&probe);
    }
    a.req.now = bl_cli_now();
    struct bl_app_comply_res res;
    if (!rc)
        rc = bl_app_comply(st, org, &a.req, &res, &d);
    else
        memset(&res, 0, sizeof(res));
    bl_store_close(st);
    if (!rc && a.explain && cli->format == BL_FMT_TABLE)
        rc = explain(cli, &res, a.explain, a.req.per_shop);
    else if (!rc)
        rc = table(cli, &res);
    if (!rc && cli->format == BL_FMT_TABLE) {
        SAY(cli->err, cli,
            "%lld order%s read; %lld to destinations no rule covers, %lld without a "
            "destination. Rules: %s (%zu jurisdiction%s).",
            "已读取 %lld%.0s 笔订单；%lld 笔的目的地不在任何规则内，%lld 笔没有目的地。"
            "规则：%s（%zu%.0s 个辖区）。",
            (long long)res.orders, res.orders == 1 ? "" : "s", (long long)res.uncovered,
            (long long)res.no_dest, res.rules_file, res.rules.n, res.rules.n == 1 ? "" : "s");
    }
    if (!rc && res.unconverted) {
        char day[BL_ISO_MAX];
        bl_date_format(res.missing_day, day);
        SAY(cli->err, cli,
            "ballast: %lld order%s left out of the totals above: no exchange rate %s -> %s "
            "on or before %s (the first of them). `ballast import rates` (docs/formats.md, "
            "rates), then run this again.",
            "ballast：%lld%.0s 笔订单未计入上方累计：%s -> %s 在 %s 及之前没有汇率（首笔）。"
            "请先 `ballast import rates`（docs/formats.md，rates）再运行。",
            (long long)res.unconverted, res.unconverted == 1 ? " is" : "s are", res.missing_from,
            res.missing_to, day);
    }
    bl_app_comply_res_release(&res);
    if (rc && !d.code)
        bl_diag_set(&d, rc, "comply: %s", bl_strerror(rc));
    return rc ? bl_cli_fail(cli, &d) : 0;
}
