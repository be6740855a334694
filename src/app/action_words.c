/* action_words.c - an action's reason in the reader's words, from the operator pack's
 * sentences and the numbers the action keeps (action_words.h). */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app/action_cells.h"
#include "app/action_words.h"
#include "app/digest.h"
#include "ballast/l10n.h"
#include "ballast/money.h"
#include "ballast/mustache.h"
#include "ballast/playbook.h"
#include "ballast/time.h"

#define OUT_MAX 2048

struct ctx {
    const json_t *pack, *words; /* the whole pack; its "action_words" */
    const char *locale;
    struct bl_l10n *l10n; /* the caller's date formatters (NULL: none) */
    json_t *data;         /* the action's numbers */
    json_t *vars;         /* what the sentence is filled with */
};

static const char *pack_word(const struct ctx *c, const char *key, const char *fallback)
{
    const char *w = json_string_value(json_object_get(c->words, key));
    return w ? w : fallback;
}

static const char *str(const struct ctx *c, const char *k)
{
    const char *v = json_string_value(json_object_get(c->data, k));
    return v ? v : "";
}

static void set(struct ctx *c, const char *k, const char *v)
{
    json_object_set_new(c->vars, k, json_string(v ? v : ""));
}

/* "1,234" or "1.5" (at most two decimals), as the dashboard writes numbers; with fixed,
 * always two ("1.50"), as the stored English sentence writes a rate a day. */
static void number_as(struct ctx *c, const char *k, const char *from, bool fixed)
{
    json_t *v = json_object_get(c->data, from);
    if (!json_is_number(v)) {
        set(c, k, "—");
        return;
    }
    double x = json_number_value(v);
    long long h = (long long)llround(fabs(x) * 100.0);
    char two[48];
    if (fixed && fabs(x) < 1e12) { /* as printf rounds it: the figure the sentence shows */
        snprintf(two, sizeof(two), "%.2f", fabs(x));
        h = 0;
        for (const char *p = two; *p; p++)
            if (*p != '.')
                h = h * 10 + (*p - '0');
    }
    long long whole = h / 100, frac = h % 100;
    char digits[32], out[48];
    int n = snprintf(digits, sizeof(digits), "%lld", whole);
    size_t at = 0;
    if (x < 0 && h)
        out[at++] = '-';
    for (int i = 0; i < n && at + 2 < sizeof(out); i++) {
        if (i && (n - i) % 3 == 0)
            out[at++] = ',';
        out[at++] = digits[i];
    }
    out[at] = '\0';
    if (fixed)
        snprintf(out + at, sizeof(out) - at, ".%02lld", frac);
    else if (frac)
        snprintf(out + at, sizeof(out) - at, frac % 10 ? ".%02lld" : ".%lld",
                 frac % 10 ? frac : frac / 10);
    set(c, k, out);
}

static void number(struct ctx *c, const char *k, const char *from)
{
    number_as(c, k, from, false);
}

/* A day of data ("2024-11-16") in the locale's words, the pack's `none` when it has none. */
static void day(struct ctx *c, const char *k, const char *from, const char *none)
{
    const char *text = str(c, from);
    int64_t dn;
    char out[64];
    if (!text[0] || bl_date_parse(bl_str_c(text), &dn, NULL) != 0) {
        set(c, k, pack_word(c, none, none));
        return;
    }
    set(c, k, bl_app_action_day(c->l10n, c->locale, dn, out, sizeof(out)));
}

/* "US$445.05" from data's decimal text and currency; the text itself if it cannot. */
static void money(struct ctx *c, const char *k, const char *from)
{
    const char *text = str(c, from), *cur = str(c, "currency");
    struct bl_currency cy;
    int64_t minor = 0;
    char out[64];
    if (!text[0])
        set(c, k, "—");
    else if (bl_currency_lookup(bl_str_c(cur), &cy, NULL) != 0 ||
             bl_money_parse(bl_str_c(text), cy.exponent, &minor, NULL) != 0 ||
             bl_l10n_money_in(c->l10n, c->locale, minor, cur, out, sizeof(out), NULL) != 0) {
        snprintf(out, sizeof(out), "%s %s", text, cur);
        set(c, k, out);
    } else {
        set(c, k, out);
    }
}

/* The Chinese name of a place or channel when the data has one and the reader reads it. */
static const char *either(const struct ctx *c, const char *en, const char *zh)
{
    bool z = strcmp(c->locale, "zh-CN") == 0;
    return z && str(c, zh)[0] ? str(c, zh) : str(c, en);
}

static void whatif_vars(struct ctx *c)
{
    const char *sku = str(c, "sku"), *name = str(c, "sku_name");
    if (name[0] && strcmp(name, sku) != 0) {
        json_t *v = json_pack("{s:s, s:s}", "name", name, "sku", sku);
        char buf[600];
        if (!bl_app_words_fill(pack_word(c, "sku_named", "{{name}} ({{sku}})"), v, buf,
                               sizeof(buf)))
            snprintf(buf, sizeof(buf), "%s (%s)", name, sku);
        json_decref(v);
        set(c, "sku", buf);
    } else {
        set(c, "sku", sku);
    }
    static const char *const plain[] = {"source", "supplier", "warehouse", "shop"};
    for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
        set(c, plain[i], str(c, plain[i]));
    set(c, "from", either(c, "from", "from_zh"));
    set(c, "to", either(c, "to", "to_zh"));
    set(c, "place", either(c, "place_en", "place_zh"));
    static const char *const nums[] = {"plan", "step", "units", "before", "after"};
    for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
        number(c, nums[i], nums[i]);
    day(c, "by", "by", "never");
    day(c, "arrival", "arrival", "never");
    day(c, "until", "until", "never");
    money(c, "cost", "cost");
    money(c, "saving", "saving");
    money(c, "spend", "spend_a_day");
    number(c, "days", "rate_days"); /* a reroute kept for a rating */
    set(c, "kept", str(c, "rate_kept"));
    set(c, "target", str(c, "rate_target"));
    set(c, "left", str(c, "rate_left"));
}

static void playbook_vars(struct ctx *c)
{
    json_t *avail = json_object_get(c->data, "available"); /* out already: no day ahead */
    if (json_is_number(avail) && json_number_value(avail) <= 0)
        json_object_set_new(c->vars, "out_now", json_true());
    number(c, "available", "available");
    number(c, "inbound", "inbound");
    number(c, "on_hand", "on_hand"); /* kept since session 15: what the stored sentence says */
    number(c, "reserved", "reserved");
    json_object_set_new(c->vars, "on_hand_known",
                        json_boolean(json_is_number(json_object_get(c->data, "on_hand"))));
    number_as(c, "daily", "daily", true); /* "1.50", as the sentence stored */
    day(c, "stockout", "stockout", "never");
    day(c, "restock", "restock", "no_restock");
    json_object_set_new(c->vars, "restock_on", json_boolean(str(c, "restock")[0])); /* a day */
    day(c, "until", "until", "until_notice");
    if (str(c, "spend_a_day")[0]) /* a paused promotion's cost a day, when the SKU gives it */
        money(c, "spend", "spend_a_day");
}

/* Renders the pack's sentence f with vars into b; false when it cannot. */
static bool render(const char *f, const json_t *vars, struct bl_buf *b)
{
    struct bl_mustache *t = NULL;
    struct bl_mustache_opts o = {.no_escape = true, .max_output = OUT_MAX};
    bool ok = f && bl_mustache_compile(&t, "action_reason", bl_str_c(f), NULL) == 0 &&
              bl_mustache_render(t, vars, &o, b, NULL) == 0;
    bl_mustache_free(t);
    return ok;
}

bool bl_app_words_fill(const char *f, const json_t *vars, char *buf, size_t cap)
{
    struct bl_buf b = BL_BUF_INIT;
    bool ok = cap && render(f, vars, &b);
    if (ok)
        snprintf(buf, cap, "%.*s", (int)b.len, b.ptr ? b.ptr : "");
    bl_buf_release(&b);
    return ok;
}

/* The reason itself into b: from the numbers kept, else as the action says it. */
static void reason(struct ctx *c, const struct bl_stock_action *x, struct bl_buf *b)
{
    /* a reroute kept for a rating (whatif_mitigate_rating.c) saves no coupon: it says what
     * it keeps instead */
    const char *key = x->kind == BL_PB_REROUTE && str(c, "rate_kept")[0] ? "reroute_rating"
                                                                          : x->kind_text;
    const char *f = x->kind_known ? json_string_value(json_object_get(
                                        json_object_get(c->pack, "action_reasons"), key))
                                  : NULL;
    if (f && json_is_object(c->data) && (c->vars = json_object())) {
        if (x->kind >= BL_PB_PURCHASE_ORDER)
            whatif_vars(c);
        else
            playbook_vars(c);
        if (render(f, c->vars, b))
            return;
        bl_buf_reset(b);
    }
    const char *said = strcmp(c->locale, "zh-CN") != 0 && x->why && x->why[0]
                           ? x->why
                           : pack_word(c, "unknown", "-");
    if (bl_buf_adds(b, bl_str_c(said)))
        bl_buf_reset(b); /* too long: the caller's fallback */
}

/* Why proposal x expired, from its kind and days, after the reason. */
static void expiry(struct ctx *c, const struct bl_stock_action *x, struct bl_buf *b)
{
    if (!x->kind_known || !x->state || strcmp(x->state, "expired") != 0)
        return;
    const char *key = NULL;
    int64_t when = BL_STOCK_NULL;
    if (x->kind == BL_PB_PURCHASE_ORDER || x->kind == BL_PB_TRANSFER)
        key = x->kind == BL_PB_TRANSFER ? "expired_ship_by" : "expired_order_by", when = x->by_day;
    else if (bl_pb_kind_until(x->kind))
        key = "expired_until", when = x->until_day;
    if (!key || when == BL_STOCK_NULL)
        return;
    char dayw[64];
    json_t *v = json_pack("{s:s}", "day", bl_app_action_day(c->l10n, c->locale, when, dayw,
                                                            sizeof(dayw)));
    size_t at = b->len;
    if (bl_buf_adds(b, bl_str_c(pack_word(c, "gap", " "))) ||
        !render(pack_word(c, key, NULL), v, b))
        b->len = at; /* the reason alone */
    json_decref(v);
}

const char *bl_app_action_reason(const struct bl_words *w, const char *locale, struct bl_l10n *l10n,
                                 const struct bl_stock_action *x, char *buf, size_t cap)
{
    struct ctx c = {(const json_t *)w,
                    NULL,
                    locale && strcmp(locale, "zh-CN") == 0 ? "zh-CN" : "en",
                    l10n,
                    NULL,
                    NULL};
    c.words = json_object_get(c.pack, "action_words");
    c.data = x->data ? json_loads(x->data, 0, NULL) : NULL;
    struct bl_buf b = BL_BUF_INIT;
    b.max = OUT_MAX;
    reason(&c, x, &b);
    expiry(&c, x, &b);
    snprintf(buf, cap, "%.*s", (int)b.len, b.ptr ? b.ptr : "");
    if (!buf[0] && cap > 1)
        snprintf(buf, cap, "%s", x->why ? x->why : "-");
    bl_buf_release(&b);
    json_decref(c.vars);
    json_decref(c.data);
    return buf;
}
