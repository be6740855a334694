/* playbook_words.c - why the playbook closes an action, kept and in words, and the reason
 * of an action of its preview (`ballast playbook`) in a reader's words (action_cells.h): a
 * new action's as it will read once stored (action_words.c, from the numbers it would
 * keep), a revert's or a withdrawal's from the pack's action_closes; the numbers of a
 * close kept in the action's data ("close", stock_impl.h) for `actions` to word it. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/action_cells.h"
#include "app/action_words.h"
#include "app/stock_impl.h"
#include "ballast/l10n.h"
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

/* x's close merged into data open (NULL or not JSON: alone), as bl__stock_close_data. */
static char *close_json(const struct bl_pb_action *x, const char *open)
{
    const char *key = close_key(x);
    if (!key)
        return NULL;
    json_t *data = open ? json_loads(open, 0, NULL) : NULL;
    if (!json_is_object(data)) {
        json_decref(data);
        data = json_object();
    }
    char b1[16], b2[16];
    json_t *close = json_pack(
        "{s:s, s:I, s:I, s:I, s:s?, s:s?}", "why", key, "available", (json_int_t)x->available,
        "count", (json_int_t)x->count, "after", (json_int_t)x->after, "stockout",
        x->stockout_day == BL_RP_NEVER ? NULL : bl_date_format(x->stockout_day, b1), "until",
        x->until_day == BL_RP_NEVER ? NULL : bl_date_format(x->until_day, b2));
    char *text = NULL;
    if (data && close && json_object_set_new(data, "close", close) == 0)
        text = json_dumps(data, JSON_COMPACT);
    else
        json_decref(close);
    json_decref(data);
    return text;
}

int bl__stock_close_data(struct bl_store *st, int64_t org, const struct bl_pb_action *x, char **out,
                         struct bl_diag *d)
{
    struct bl_arena a;
    bl_arena_init(&a, 1 << 12);
    struct bl_stock_action_filter f = {.id = x->open_id, .limit = 1};
    struct bl_stock_action *rows = NULL;
    size_t n = 0;
    int rc = bl_store_stock_actions(st, org, &f, &a, &rows, &n, d);
    *out = rc ? NULL : close_json(x, n ? rows[0].data : NULL);
    bl_arena_release(&a);
    return rc;
}

/* A day of close ("2024-12-23") in the locale's words, the pack's "never" without one. */
static void close_day(const struct bl_words *w, const char *locale, struct bl_l10n *l10n,
                      const json_t *close, const char *k, char *out, size_t cap)
{
    const char *text = json_string_value(json_object_get(close, k));
    int64_t dn;
    if (text && bl_date_parse(bl_str_c(text), &dn, NULL) == 0) {
        bl_app_action_day(l10n, locale, dn, out, cap);
        return;
    }
    const char *never = json_string_value(
        json_object_get(json_object_get((const json_t *)w, "action_words"), "never"));
    snprintf(out, cap, "%s", never ? never : "never");
}

/* Why an action closed, from its data's "close" (bl__stock_close_data), in pack w's words
 * into buf; false when the pack has no words for it. */
static bool close_words(const struct bl_words *w, const char *locale, struct bl_l10n *l10n,
                        const json_t *close, char *buf, size_t cap)
{
    const char *key = json_string_value(json_object_get(close, "why"));
    const char *f = key ? json_string_value(json_object_get(
                              json_object_get((const json_t *)w, "action_closes"), key))
                        : NULL;
    if (!f)
        return false;
    char available[32], count[32], after[32], stockout[64], until[64];
    grouped(json_integer_value(json_object_get(close, "available")), available, sizeof(available));
    grouped(json_integer_value(json_object_get(close, "count")), count, sizeof(count));
    grouped(json_integer_value(json_object_get(close, "after")), after, sizeof(after));
    close_day(w, locale, l10n, close, "stockout", stockout, sizeof(stockout));
    close_day(w, locale, l10n, close, "until", until, sizeof(until));
    json_t *vars = json_pack("{s:s, s:s, s:s, s:s, s:s}", "available", available, "count", count,
                             "after", after, "stockout", stockout, "until", until);
    bool ok = vars && bl_app_words_fill(f, vars, buf, cap);
    json_decref(vars);
    return ok;
}

const char *bl_app_action_close_text(const struct bl_words *w, const char *locale,
                                     struct bl_l10n *l10n, const struct bl_stock_action *x,
                                     char *buf, size_t cap)
{
    json_t *data = w && x->data ? json_loads(x->data, 0, NULL) : NULL;
    bool ok = close_words(w, locale, l10n, json_object_get(data, "close"), buf, cap);
    json_decref(data);
    return ok ? buf : NULL;
}

/* Why preview action x closes one, in pack w's words into buf; false when it cannot. */
static bool close_text(const struct bl_words *w, const char *locale, struct bl_l10n *l10n,
                       const struct bl_pb_action *x, char *buf, size_t cap)
{
    char *text = close_json(x, NULL);
    json_t *data = text ? json_loads(text, 0, NULL) : NULL;
    bool ok = close_words(w, locale, l10n, json_object_get(data, "close"), buf, cap);
    json_decref(data);
    free(text);
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
