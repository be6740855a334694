/* playbook_words.c - the reason of an action of the playbook's preview (`ballast playbook`)
 * in a reader's words (action_cells.h): a new action's as it will read once stored
 * (action_words.c, from the numbers it would keep), a revert's or a withdrawal's from the
 * pack's action_closes. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "app/action_cells.h"
#include "app/action_words.h"
#include "app/stock_impl.h"
#include "ballast/l10n.h"
#include "ballast/mustache.h"
#include "ballast/time.h"

/* "1,234" */
static void grouped(int64_t v, char *out, size_t cap)
{
    char digits[32];
    int n = snprintf(digits, sizeof(digits), "%lld", (long long)(v < 0 ? -v : v));
    size_t at = 0;
    if (v < 0 && at + 1 < cap)
        out[at++] = '-';
    for (int i = 0; i < n && at + 2 < cap; i++) {
        if (i && (n - i) % 3 == 0)
            out[at++] = ',';
        out[at++] = digits[i];
    }
    out[at] = '\0';
}

/* The key of action_closes for why x closes an action. */
static const char *close_key(const struct bl_pb_action *x)
{
    bool promo = x->kind == BL_PB_PROMOTION_UNTIL, withdraw = x->op == BL_PB_WITHDRAW;
    switch (x->why) {
    case BL_PB_WHY_RESTOCKED:
        return "restocked";
    case BL_PB_WHY_REPLACED:
        return "replaced";
    case BL_PB_WHY_CHANGED:
        return "changed";
    case BL_PB_WHY_STOCK_BACK:
        return "stock_back";
    case BL_PB_WHY_UNBLOCKED:
        return "unblocked";
    case BL_PB_WHY_SHOP_STOCK_BACK:
        return "shop_stock_back";
    case BL_PB_WHY_HOLD_ENDED:
        return promo ? (withdraw ? "promotion_ended_early" : "promotion_ended")
                     : (withdraw ? "handling_ended_early" : "handling_ended");
    default:
        return NULL;
    }
}

/* Why x closes an action, in pack w's words into buf; false when the pack has none. */
static bool close_text(const struct bl_words *w, const char *locale, struct bl_l10n *l10n,
                       const struct bl_pb_action *x, char *buf, size_t cap)
{
    const char *key = close_key(x);
    const char *f = key ? json_string_value(json_object_get(
                              json_object_get((const json_t *)w, "action_closes"), key))
                        : NULL;
    if (!f)
        return false;
    char available[32], count[32], after[32], stockout[64], until[64];
    grouped(x->available, available, sizeof(available));
    grouped(x->count, count, sizeof(count));
    grouped(x->after, after, sizeof(after));
    const char *never = json_string_value(
        json_object_get(json_object_get((const json_t *)w, "action_words"), "never"));
    if (x->stockout_day == BL_RP_NEVER)
        snprintf(stockout, sizeof(stockout), "%s", never ? never : "never");
    else
        bl_app_action_day(l10n, locale, x->stockout_day, stockout, sizeof(stockout));
    if (x->until_day == BL_RP_NEVER)
        snprintf(until, sizeof(until), "%s", never ? never : "never");
    else
        bl_app_action_day(l10n, locale, x->until_day, until, sizeof(until));
    json_t *vars = json_pack("{s:s, s:s, s:s, s:s, s:s}", "available", available, "count", count,
                             "after", after, "stockout", stockout, "until", until);
    struct bl_mustache *t = NULL;
    struct bl_mustache_opts o = {.no_escape = true, .max_output = cap};
    struct bl_buf b = BL_BUF_INIT;
    bool ok = vars && bl_mustache_compile(&t, "action_close", bl_str_c(f), NULL) == 0 &&
              bl_mustache_render(t, vars, &o, &b, NULL) == 0;
    if (ok)
        snprintf(buf, cap, "%.*s", (int)b.len, b.ptr ? b.ptr : "");
    bl_mustache_free(t);
    bl_buf_release(&b);
    json_decref(vars);
    return ok;
}

const char *bl_app_playbook_reason(const struct bl_words *w, const char *locale,
                                   struct bl_l10n *l10n, const struct bl_app_playbook_res *res,
                                   size_t i, char *buf, size_t cap)
{
    const struct bl_pb_action *x = &res->acts[i];
    char why[400], data[400];
    bl_app_stock_action_text(x, why, sizeof(why));
    if (!w) { /* English: the sentence stored */
        snprintf(buf, cap, "%s", why);
        return buf;
    }
    if (x->op != BL_PB_NEW) {
        if (!close_text(w, locale, l10n, x, buf, cap))
            snprintf(buf, cap, "%s", why);
        return buf;
    }
    bl__stock_action_data(x, &res->day->snap, data, sizeof(data), why, sizeof(why));
    struct bl_stock_action a;
    memset(&a, 0, sizeof(a));
    a.kind = x->kind;
    a.kind_known = true;
    a.kind_text = bl_pb_kind_name(x->kind);
    a.state = "proposed";
    a.data = data;
    a.why = why;
    a.by_day = a.until_day = BL_STOCK_NULL;
    return bl_app_action_reason(w, locale, l10n, &a, buf, cap);
}
