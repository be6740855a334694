/* stock_text.c - the English sentences of the stock alerts and of the playbook's reason
 * codes, as stored in stock_alert.message, action.reason and action.close_reason and
 * shown by `ballast alerts` and `ballast playbook` (stock.h): the one place they are
 * worded; and the numbers kept beside a new action's sentence (action.data), which the
 * packs word (app/action_words.h). */
#include <stdio.h>
#include <string.h>

#include "app/stock_impl.h"
#include "ballast/l10n.h"
#include "ballast/money.h"
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
        if (x->available <= 0) /* out already: no day ahead to name */
            snprintf(buf, cap, "out of stock now (%lld available, %.2f/day, restock %s)",
                     (long long)x->available, x->daily_mean, day_text(x->restock_day, b2));
        else
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
    case BL_PB_WHY_HOLD_ENDED:
        if (x->kind == BL_PB_PROMOTION_UNTIL && x->op == BL_PB_WITHDRAW)
            snprintf(buf, cap, "the what-if's promotion pause was to end on %s: no longer needed",
                     day_text(x->until_day, b1));
        else if (x->kind == BL_PB_PROMOTION_UNTIL)
            snprintf(buf, cap, "the what-if's promotion pause ended on %s: promoted again",
                     day_text(x->until_day, b1));
        else if (x->op == BL_PB_WITHDRAW)
            snprintf(buf, cap, "the what-if's handling time was to end on %s: no longer needed",
                     day_text(x->until_day, b1));
        else
            snprintf(buf, cap, "the what-if's handling time ended on %s: back to %lld days",
                     day_text(x->until_day, b1), (long long)x->after);
        break;
    default:
        snprintf(buf, cap, "%s",
                 (unsigned)x->why < BL_PB_WHY_N && fixed[x->why] ? fixed[x->why] : "?");
    }
    return buf;
}

/* "sup-003 (Suzhou Tianyi Electronics Co., Ltd.)", or the id alone when the name is it. */
static const char *sup_text(const struct bl_stock_snap *s, ptrdiff_t j, char *buf, size_t cap)
{
    const char *ext = s->sup_ext[j], *name = s->sup_name ? s->sup_name[j] : NULL;
    if (!name || !name[0] || strcmp(name, ext) == 0)
        snprintf(buf, cap, "%s", ext);
    else
        snprintf(buf, cap, "%s (%s)", ext, name);
    return buf;
}

/* "the lockdown in CN-ZJ until 2024-12-01" / "... until further notice". */
static const char *dis_text(const struct bl_app_stock_day *day, ptrdiff_t i, char *buf,
                            size_t cap)
{
    const struct bl_stock_snap *s = &day->snap;
    char kind[40], b[32];
    snprintf(kind, sizeof(kind), "%s", s->dis_kind ? s->dis_kind[i] : "disruption");
    for (char *c = kind; *c; c++)
        *c = *c == '_' ? ' ' : *c;
    const struct bl_rp_disruption *x = &s->dis[i];
    if (x->end_day == BL_RP_NEVER)
        snprintf(buf, cap, "the %s in %s, until further notice", kind, day->dis_place[i]);
    else
        snprintf(buf, cap, "the %s in %s until %s", kind, day->dis_place[i],
                 bl_date_format(x->end_day - 1, b));
    return buf;
}

/* Which fact keeps the SKU from being resupplied: no supplier, or why its primary
 * cannot deliver (and that its backups cannot either); says when the supplier was
 * inferred from a purchase order rather than listed. */
static void supplier_problem(const struct bl_app_stock_day *day, size_t k, bool with_backups,
                             char *out, size_t cap)
{
    const struct bl_stock_snap *s = &day->snap;
    const struct bl_rp_plan *p = &day->plans[k];
    if (p->block == BL_RP_BLOCK_NO_SUPPLIER || p->primary < 0) {
        snprintf(out, cap, "%s has no supplier: add it to sku_suppliers.csv", s->sku_ext[k]);
        return;
    }
    char who[160], why[200], tail[120] = "", d2[160];
    const char *role = p->nbackups ? "its primary supplier" : "its only supplier";
    sup_text(s, p->primary, who, sizeof(who));
    if (p->block == BL_RP_BLOCK_CLOSED)
        snprintf(why, sizeof(why), "is closed");
    else if (p->block == BL_RP_BLOCK_DISRUPTED && p->block_dis >= 0)
        snprintf(why, sizeof(why), "is inside %s", dis_text(day, p->block_dis, d2, sizeof(d2)));
    else if (p->block == BL_RP_BLOCK_SHUTDOWN)
        snprintf(why, sizeof(why), "is shut down and no dated disruption says until when");
    else
        snprintf(why, sizeof(why), "cannot deliver");
    if (p->nbackups && with_backups)
        snprintf(tail, sizeof(tail), " and its %zu backup%s cannot deliver either", p->nbackups,
                 p->nbackups == 1 ? "" : "s");
    out[0] = '\0';
    const char *parts[] = {role, " ", who, " ", why, tail,
                           s->sup_from && s->sup_from[k] == BL_STOCK_SUP_PO
                               ? " (supplier inferred from the latest purchase order: list the "
                                 "SKU's suppliers in sku_suppliers.csv)"
                               : ""};
    size_t at = 0;
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]) && at + 1 < cap; i++) {
        size_t n = strlen(parts[i]);
        if (n > cap - 1 - at)
            n = cap - 1 - at; /* a sentence longer than cap is cut there */
        memcpy(out + at, parts[i], n);
        out[at += n] = '\0';
    }
}

/* " - supplier inferred from ...", " - backup supplier: the primary sup-005 is closed". */
static void order_note(const struct bl_app_stock_day *day, size_t k, bool backup, char *out,
                       size_t cap)
{
    const struct bl_stock_snap *s = &day->snap;
    const struct bl_rp_plan *p = &day->plans[k];
    out[0] = '\0';
    if (backup) {
        char why[260];
        supplier_problem(day, k, false, why, sizeof(why));
        char who[160];
        if (p->block == BL_RP_BLOCK_LEAD_TIME)
            snprintf(out, cap, " - backup supplier: the primary %s cannot deliver before the "
                               "stock-out", sup_text(s, p->primary, who, sizeof(who)));
        else
            snprintf(out, cap, " - backup supplier: %s", why);
        return;
    }
    if (s->sup_from && s->sup_from[k] == BL_STOCK_SUP_PO)
        snprintf(out, cap, " - supplier inferred from the latest purchase order: list the "
                           "SKU's suppliers in sku_suppliers.csv");
    else if (s->sup_from && s->sup_from[k] == BL_STOCK_SUP_DEFAULT)
        snprintf(out, cap, " - the default supplier (--default-supplier)");
}

/* ", 336 x 12.40 CNY = 4166.40 CNY": the order's cost at the SKU's unit cost from the
 * proposed supplier (sku_suppliers.csv), or "" when unknown. */
static void cost_text(const struct bl_app_stock_day *day, size_t k, char *out, size_t cap)
{
    const struct bl_rp_plan *p = &day->plans[k];
    const struct bl_rp_sku *sk = &day->snap.rp_skus[k];
    out[0] = '\0';
    if (p->source < 0 || (size_t)p->source >= sk->nsources)
        return;
    const struct bl_rp_source *x = &sk->sources[p->source];
    struct bl_currency c;
    int64_t total = 0;
    if (x->unit_cost < 0 || bl_currency_lookup(bl_str_c(x->currency), &c, NULL) ||
        bl_money_mul(x->unit_cost, p->order_qty, &total))
        return;
    char unit[48], sum[48]; /* as money is written everywhere else: "CN¥10,030.00" */
    if (bl_l10n_money_in(day->l10n, "en", x->unit_cost, c.code, unit, sizeof(unit), NULL) ||
        bl_l10n_money_in(day->l10n, "en", total, c.code, sum, sizeof(sum), NULL))
        return;
    snprintf(out, cap, ", %lld x %s = %s", (long long)p->order_qty, unit, sum);
}

void bl_app_stock_overdue(const struct bl_app_stock_day *day, size_t k,
                          struct bl_app_overdue_po *o)
{
    const struct bl_stock_snap *s = &day->snap;
    const struct bl_rp_sku *sk = &s->rp_skus[k];
    int64_t as_of = day->opts.as_of;
    memset(o, 0, sizeof(*o));
    for (size_t j = 0; j < sk->ninbound; j++) {
        const struct bl_rp_inbound *x = &sk->inbound[j];
        if (x->qty <= 0 || x->eta_day >= as_of)
            continue;
        o->n++;
        if (o->n > 1 && x->eta_day >= o->due_day)
            continue;
        size_t i = s->inb ? (size_t)(x - s->inb) : 0;
        ptrdiff_t sup = s->inb_sup ? s->inb_sup[i] : -1;
        o->po = s->inb_po ? s->inb_po[i] : NULL;
        o->supplier = sup < 0                                       ? NULL
                      : s->sup_name && s->sup_name[sup] && s->sup_name[sup][0] ? s->sup_name[sup]
                                                                    : s->sup_ext[sup];
        o->due_day = x->eta_day;
        o->days_late = as_of - x->eta_day;
        o->until_day = x->eta_day + day->opts.policy.overdue_days;
        o->counted = bl_rp_inbound_counted(&day->opts.policy, as_of, x->eta_day);
        o->qty = x->qty;
    }
}

/* "PO-000006 from Foshan Jinhui was due 2024-09-03, 73 days late: no longer counted ..." */
static void overdue_text(const struct bl_app_stock_day *day, size_t k, char *msg, size_t cap)
{
    struct bl_app_overdue_po o;
    bl_app_stock_overdue(day, k, &o);
    char due[32], until[32], from[200], more[80];
    snprintf(from, sizeof(from), "%s%s", o.supplier ? " from " : "", o.supplier ? o.supplier : "");
    more[0] = '\0';
    if (o.n > 1)
        snprintf(more, sizeof(more), " (and %zu more overdue purchase order%s)", o.n - 1,
                 o.n == 2 ? "" : "s");
    if (o.counted)
        snprintf(msg, cap,
                 "%s%s was due %s, %lld day%s late: its %lld units are counted as arriving "
                 "today until %s%s",
                 o.po ? o.po : "a purchase order", from, bl_date_format(o.due_day, due),
                 (long long)o.days_late, o.days_late == 1 ? "" : "s", (long long)o.qty,
                 bl_date_format(o.until_day, until), more);
    else
        snprintf(msg, cap,
                 "%s%s was due %s, %lld days late: its %lld units are no longer counted as "
                 "arriving (more than %lld days late): chase it, or order again%s",
                 o.po ? o.po : "a purchase order", from, bl_date_format(o.due_day, due),
                 (long long)o.days_late, (long long)o.qty,
                 (long long)day->opts.policy.overdue_days, more);
}

const char *bl_app_stock_alert_text(const struct bl_app_stock_day *day,
                                    const struct bl_app_stock_alert *a, char *msg, size_t cap)
{
    const struct bl_rp_plan *p = &day->plans[a->sku];
    const struct bl_rp_policy *pol = &day->opts.policy;
    char b1[32], b2[32], why[300], dis[160];
    switch (a->kind) {
    case BL_APP_ALERT_LOW_STOCK:
        snprintf(msg, cap, "%lld available, %.1f days of cover (threshold %g days%s)",
                 (long long)p->available, p->days_cover, pol->low_days,
                 pol->low_units ? " or units" : "");
        break;
    case BL_APP_ALERT_STOCKOUT:
        why[0] = '\0';
        if (a->why == BL_APP_ALERT_NO_SUPPLIER) {
            supplier_problem(day, a->sku, true, why + 2, sizeof(why) - 2);
            memcpy(why, "; ", 2);
        } else if (a->why == BL_APP_ALERT_TOO_LATE) {
            dis[0] = '\0';
            if (p->supplier == p->primary && p->block == BL_RP_BLOCK_DISRUPTED &&
                p->block_dis >= 0) {
                char d2[140];
                snprintf(dis, sizeof(dis), " (inside %s)",
                         dis_text(day, p->block_dis, d2, sizeof(d2)));
            }
            char who[160];
            snprintf(why, sizeof(why), "; an order placed today with %s arrives %s, too late%s",
                     sup_text(&day->snap, p->supplier, who, sizeof(who)),
                     bl_date_format(p->arrival_day, b2), dis);
        }
        snprintf(msg, cap, "stock-out on %s: %lld available, %lld inbound, %.2f/day%s",
                 bl_date_format(p->stockout_day, b1), (long long)p->available,
                 (long long)p->inbound, p->daily_mean, why);
        break;
    case BL_APP_ALERT_STOCKING:
        snprintf(msg, cap,
                 "price review passed but no stock and no inbound arriving within %lld days",
                 (long long)pol->stocking_days);
        break;
    case BL_APP_ALERT_OVERDUE:
        overdue_text(day, a->sku, msg, cap);
        break;
    default:
        if (a->why == BL_APP_ALERT_NO_SUPPLIER) {
            supplier_problem(day, a->sku, true, why, sizeof(why));
            snprintf(msg, cap, "position %lld below reorder point %.0f, but %s",
                     (long long)p->position, p->reorder_point, why);
            break;
        }
        order_note(day, a->sku, a->why == BL_APP_ALERT_BACKUP, why, sizeof(why));
        cost_text(day, a->sku, dis, sizeof(dis));
        char who[160];
        snprintf(msg, cap, "order %lld from %s by %s%s (position %lld below reorder point %.0f)%s",
                 (long long)p->order_qty, sup_text(&day->snap, p->supplier, who, sizeof(who)),
                 p->order_by_day == BL_RP_NEVER ? "-" : bl_date_format(p->order_by_day, b2), dis,
                 (long long)p->position, p->reorder_point, why);
    }
    return msg;
}

/* ---------------------------------------------------------------- action.data */

/* The numbers behind a new action (action.data, JSON). daily is the figure the stored
 * sentence shows ("1.50/day": %.2f of the same mean), so a reason worded again from the
 * data says the same number in every language. */
static void action_data(const struct bl_pb_action *x, char *data, size_t cap)
{
    char b1[32], b2[32], b3[32];
    bool so = x->stockout_day != BL_RP_NEVER, re = x->restock_day != BL_RP_NEVER,
         un = x->until_day != BL_RP_NEVER;
    snprintf(data, cap,
             "{\"available\":%lld,\"inbound\":%lld,\"on_hand\":%lld,\"reserved\":%lld,"
             "\"daily\":%.2f,\"stockout\":%s%s%s,\"restock\":%s%s%s,\"until\":%s%s%s}",
             (long long)x->available, (long long)x->inbound, (long long)x->on_hand,
             (long long)x->reserved, x->daily_mean, so ? "\"" : "",
             so ? bl_date_format(x->stockout_day, b1) : "null", so ? "\"" : "", re ? "\"" : "",
             re ? bl_date_format(x->restock_day, b2) : "null", re ? "\"" : "", un ? "\"" : "",
             un ? bl_date_format(x->until_day, b3) : "null", un ? "\"" : "");
}

/* What pausing SKU k's promotion saves a day, as the SKU's money ("15.00" in amount, its
 * currency in cur): false when the SKU gives no spend (skus.promo_spend). */
static bool promo_spend(const struct bl_stock_snap *s, size_t k, char *amount, size_t cap,
                        const char **cur)
{
    struct bl_currency c;
    if (!s->promo_spend || k >= s->nskus || s->promo_spend[k] == BL_STOCK_NULL ||
        bl_currency_lookup(bl_str_c(s->sku_cur[k]), &c, NULL) != 0 ||
        bl_money_format(s->promo_spend[k], c.exponent, amount, cap) < 0)
        return false;
    *cur = s->sku_cur[k];
    return true;
}

/* A pause of a promotion that costs something: what it saves a day, in the data and the
 * stored sentence ("...; pausing it saves $15.00 a day"). */
static void pause_figure(const struct bl_pb_action *x, const struct bl_stock_snap *s, char *data,
                         size_t dcap, char *why, size_t wcap)
{
    char amount[48], shown[64];
    const char *cur = NULL;
    size_t dl = strlen(data), wl = strlen(why);
    if (x->kind != BL_PB_PAUSE_PROMOTION || x->shop ||
        !promo_spend(s, x->target, amount, sizeof(amount), &cur) || dl < 2 || data[dl - 1] != '}')
        return;
    snprintf(data + dl - 1, dcap - (dl - 1), ",\"spend_a_day\":\"%s\",\"currency\":\"%s\"}", amount,
             cur);
    int64_t minor = s->promo_spend[x->target];
    if (bl_l10n_money("en", minor, cur, shown, sizeof(shown), NULL) != 0)
        snprintf(shown, sizeof(shown), "%s %s", amount, cur);
    snprintf(why + wl, wcap - wl, "; pausing it saves %s a day", shown);
}

void bl__stock_action_data(const struct bl_pb_action *x, const struct bl_stock_snap *s, char *data,
                           size_t dcap, char *why, size_t wcap)
{
    action_data(x, data, dcap);
    pause_figure(x, s, data, dcap, why, wcap);
}
