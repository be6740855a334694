/* money_out.c - money per currency, rendered (money_out.h). */
#include <string.h>

#include "app/compensate.h"
#include "ballast/money.h"
#include "ballast/time.h"
#include "cli/money_out.h"
#include "cli/out.h"

#define NC(a) (sizeof(a) / sizeof((a)[0]))

static int64_t day_of(int64_t t)
{
    return t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
}

static struct bl_val money_val(int64_t v, const char *cur, char *buf, size_t cap)
{
    bl_app_money_text(v, cur, buf, cap);
    return bl_val_text(bl_str_c(buf));
}

void bl__print_fx_total(FILE *f, const struct bl_app_fx *fx, const char *const *labels,
                        const int64_t *values, size_t n)
{
    if (!fx->wanted)
        return;
    char day[32], amt[40], rate[48], rday[32];
    fprintf(f, "total in %s on %s:", fx->currency, bl_date_format(fx->day, day));
    for (size_t i = 0; i < n; i++) {
        bl_app_money_text(values[i], fx->currency, amt, sizeof(amt));
        fprintf(f, "%s %s %s", i ? "," : "", labels[i], amt);
    }
    if (!fx->nused) {
        fprintf(f, " (every amount is in %s: no conversion)\n", fx->currency);
        return;
    }
    fprintf(f, "\n  converted with ");
    for (size_t i = 0; i < fx->nused; i++) {
        const struct bl_app_fx_used *u = &fx->used[i];
        bl_fx_rate_format(&u->rate, rate, sizeof(rate));
        bl_date_format(u->rate_day, rday);
        if (u->inverse)
            fprintf(f, "%s1 %s = %s %s (of %s, divided)", i ? "; " : "", u->to, rate, u->from,
                    rday);
        else
            fprintf(f, "%s1 %s = %s %s (of %s)", i ? "; " : "", u->from, rate, u->to, rday);
    }
    fprintf(f, "\n");
}

/* "47 coupons paid, 166 freight waivers": the entries behind a row, those there are. */
static void counts(const struct bl_app_balance *b, char *out, size_t cap)
{
    const int64_t n[3] = {b->npaid, b->nowed, b->nwaivers};
    static const char *const what[3][2] = {{"coupon paid", "coupons paid"},
                                           {"coupon owed", "coupons owed"},
                                           {"freight waiver", "freight waivers"}};
    size_t at = 0;
    out[0] = '\0';
    for (size_t i = 0; i < 3 && at < cap; i++) {
        if (!n[i])
            continue;
        int k = snprintf(out + at, cap - at, "%s%lld %s", at ? ", " : "", (long long)n[i],
                         what[i][n[i] != 1]);
        at += k > 0 ? (size_t)k : 0;
    }
}

int bl__print_balances(struct bl_cli *cli, const struct bl_app_balances_res *res)
{
    static const char *const cols[] = {"shop",         "name",         "currency",
                                       "deposit",      "balance",      "coupons_paid",
                                       "coupons_owed", "waivers_due",  "entries"};
    struct bl_out out;
    bl_out_begin(&out, cli, cols, NC(cols));
    int rc = BL_OK;
    for (size_t i = 0; !rc && i < res->n; i++) {
        const struct bl_app_balance *b = &res->rows[i];
        char dep[40], bal[40], paid[40], owed[40], wv[40], what[120];
        counts(b, what, sizeof(what));
        struct bl_val v[] = {
            bl_val_text(bl_str_c(b->shop)),
            bl_val_text(bl_str_c(b->name ? b->name : "")),
            bl_val_text(bl_str_c(b->currency)),
            b->deposit_currency ? money_val(b->deposit, b->currency, dep, sizeof(dep))
                                : bl_val_null(),
            b->deposit_currency ? money_val(b->balance, b->currency, bal, sizeof(bal))
                                : bl_val_null(),
            money_val(b->paid, b->currency, paid, sizeof(paid)),
            money_val(b->owed, b->currency, owed, sizeof(owed)),
            money_val(b->waivers, b->currency, wv, sizeof(wv)),
            bl_val_text(bl_str_c(what))};
        rc = bl_out_row(&out, v);
    }
    int erc = bl_out_end(&out);
    if (rc || erc)
        return 1;
    if (res->idle && cli->format == BL_FMT_TABLE)
        fprintf(cli->out, "(%zu shop%s with no deposit, no entry and nothing owed left out)\n",
                res->idle, res->idle == 1 ? "" : "s");
    static const char *const labels[] = {"deposit balance", "coupons paid", "coupons owed",
                                         "freight waivers due"};
    const struct bl_app_money_total *t = &res->total;
    int64_t vals[] = {t->balance, t->paid, t->owed, t->waivers};
    bl__print_fx_total(cli->format == BL_FMT_TABLE ? cli->out : cli->err, &t->fx, labels, vals,
                       NC(vals));
    return 0;
}

/* The orders' ids, space-separated: every one, or the first `most` and how many more. */
static int order_list(const struct bl_app_shortfall *s, size_t most, struct bl_buf *b)
{
    int rc = BL_OK;
    size_t shown = most < s->ncoupons && s->ncoupons - most > 1 ? most : s->ncoupons;
    for (size_t i = 0; !rc && i < shown; i++)
        rc = bl_buf_addf(b, "%s%s", i ? " " : "", s->orders[i]);
    if (!rc && shown < s->ncoupons)
        rc = bl_buf_addf(b, " and %zu more", s->ncoupons - shown);
    return rc;
}

int bl__print_shortfalls(struct bl_cli *cli, const struct bl_app_shortfalls_res *res)
{
    static const char *const cols[] = {"shop",    "name",  "currency", "owed",
                                       "coupons", "since", "why",      "orders"};
    struct bl_out out;
    bl_out_begin(&out, cli, cols, NC(cols));
    int rc = BL_OK;
    for (size_t i = 0; !rc && i < res->n; i++) {
        const struct bl_app_shortfall *s = &res->rows[i];
        char owed[40], since[32];
        struct bl_buf orders = BL_BUF_INIT;
        rc = order_list(s, cli->format == BL_FMT_TABLE ? 5 : SIZE_MAX, &orders);
        struct bl_val v[] = {
            bl_val_text(bl_str_c(s->shop)),
            bl_val_text(bl_str_c(s->name ? s->name : "")),
            bl_val_text(bl_str_c(s->currency)),
            money_val(s->owed, s->currency, owed, sizeof(owed)),
            bl_val_int((int64_t)s->ncoupons),
            bl_val_text(bl_str_c(bl_date_format(day_of(s->first_at), since))),
            bl_val_text(s->other_currency ? BL_STR("deposit in another currency")
                                          : BL_STR("deposit too small")),
            bl_val_text(bl_str_c(bl_buf_cstr(&orders)))};
        if (!rc)
            rc = bl_out_row(&out, v);
        bl_buf_release(&orders);
    }
    int erc = bl_out_end(&out);
    if (rc || erc)
        return 1;
    static const char *const labels[] = {"coupons owed"};
    bl__print_fx_total(cli->format == BL_FMT_TABLE ? cli->out : cli->err, &res->total.fx, labels,
                       &res->total.owed, 1);
    return 0;
}

void bl__owed_per_currency(const struct bl_app_shortfalls_res *res, char *out, size_t cap)
{
    size_t at = 0;
    out[0] = '\0';
    for (size_t i = 0; i < res->n && at + 1 < cap; i++) {
        const char *cur = res->rows[i].currency;
        bool seen = false;
        for (size_t j = 0; j < i; j++)
            seen = seen || strcmp(res->rows[j].currency, cur) == 0;
        if (seen)
            continue;
        int64_t sum = 0;
        size_t n = 0, shops = 0;
        for (size_t j = i; j < res->n; j++)
            if (strcmp(res->rows[j].currency, cur) == 0) {
                if (bl_money_add(sum, res->rows[j].owed, &sum))
                    return; /* past int64: leave the list as it is */
                n += res->rows[j].ncoupons;
                shops++;
            }
        char amt[40];
        bl_app_money_text(sum, cur, amt, sizeof(amt));
        int w = snprintf(out + at, cap - at, "%s%s %s (%zu coupon%s, %zu shop%s)", at ? "; " : "",
                         amt, cur, n, n == 1 ? "" : "s", shops, shops == 1 ? "" : "s");
        if (w < 0 || (size_t)w >= cap - at)
            return;
        at += (size_t)w;
    }
}
