/* msg_common.c - instants, shop names and hold reasons for `messages`, `shops` and
 * `banners` (msg_common.h). */
#include <stdlib.h>
#include <string.h>

#include "cli/msg_common.h"

int bl_msg_parse_as_of(struct bl_cli *cli, const char *cmd, const char *opt, const char *text,
                       const char *zone, int64_t *t)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_cli_parse_as_of(text, zone, t, &d) == BL_OK)
        return 0;
    if (strncmp(d.msg, text, strlen(text)) != 0) /* the zone failed, not the text */
        return bl_cli_usage(cli, cmd, "--tz %s: %s", zone ? zone : "UTC", d.msg);
    return bl_cli_usage(cli, cmd, "%s %s", opt, d.msg); /* d.msg: "TEXT: expected ..." */
}

int bl_msg_parse_instant(struct bl_cli *cli, const char *cmd, const char *opt, const char *text,
                         int64_t *t)
{
    return bl_msg_parse_as_of(cli, cmd, opt, text, NULL, t);
}

static int by_shop(const void *a, const void *b)
{
    const struct bl_app_shop_settings *x = *(const struct bl_app_shop_settings *const *)a,
                                      *y = *(const struct bl_app_shop_settings *const *)b;
    return strcmp(x->shop, y->shop);
}

int bl_msg_names_load(struct bl_store *st, int64_t org, struct bl_msg_names *nm, struct bl_diag *d)
{
    memset(nm, 0, sizeof(*nm));
    int rc = bl_app_shop_settings(st, org, &nm->res, d);
    if (!rc && nm->res.n && !(nm->by_shop = bl_calloc(nm->res.n, sizeof(*nm->by_shop))))
        rc = bl_diag_set(d, BL_ENOMEM, "out of memory");
    if (rc) {
        bl_msg_names_release(nm);
        return rc;
    }
    for (size_t i = 0; i < nm->res.n; i++)
        if (nm->res.shops[i].shop)
            nm->by_shop[nm->n++] = &nm->res.shops[i];
    if (nm->n)
        qsort(nm->by_shop, nm->n, sizeof(*nm->by_shop), by_shop);
    return BL_OK;
}

void bl_msg_names_release(struct bl_msg_names *nm)
{
    bl_free(nm->by_shop);
    bl_app_shop_settings_res_release(&nm->res);
    memset(nm, 0, sizeof(*nm));
}

const char *bl_msg_shop_name(const struct bl_msg_names *nm, const char *shop)
{
    if (!nm || !shop || !nm->n)
        return shop;
    struct bl_app_shop_settings key = {.shop = shop};
    const struct bl_app_shop_settings *k = &key;
    const struct bl_app_shop_settings *const *hit =
        bsearch(&k, nm->by_shop, nm->n, sizeof(*nm->by_shop), by_shop);
    return hit && (*hit)->name && (*hit)->name[0] ? (*hit)->name : shop;
}

static const char *const set_words[BL_SET__COUNT] = {
    "account page URL", "support contact", "support hours", "signature", "sender address"};
static const char *const set_opts[BL_SET__COUNT] = {
    "--account-url URL", "--support CONTACT", "--support-hours TEXT", "--signature TEXT",
    "--sender ADDRESS"};

const char *bl_msg_kind_words(enum bl_msg_kind k)
{
    static const char *const w[BL_MSG__COUNT] = {
        "late-shipment notices", "late-delivery notices", "out-of-stock notices",
        "coupon notices",        "delay heads-ups",       "promo codes",
        "customer-service-resumed notices"};
    return (unsigned)k < BL_MSG__COUNT ? w[k] : "messages";
}

const char *bl_msg_hold_short(enum bl_hold h)
{
    static const char *const w[BL_HOLD__COUNT] = {
        "no address",         "reserved test address", "reserved test sender",
        "reserved test link", "missing setting",       "kind the platform does not allow",
        "marketing forbidden by the platform", "outside link forbidden by the platform",
        "too long for the platform"};
    return (unsigned)h < BL_HOLD__COUNT ? w[h] : "held";
}

const char *bl_msg_setting_words(enum bl_msg_setting s)
{
    return (unsigned)s < BL_SET__COUNT ? set_words[s] : "a setting";
}

const char *bl_msg_setting_option(enum bl_msg_setting s)
{
    return (unsigned)s < BL_SET__COUNT ? set_opts[s] : "";
}

/* "account page URL" and "signature" of "account_url,signature". */
static void settings_words(const char *detail, const char *shop, const char *name, char *out,
                           size_t cap)
{
    char what[400] = "", opts[300] = "";
    size_t n = 0, wl = 0, ol = 0;
    for (const char *p = detail; *p;) {
        size_t len = strcspn(p, ",");
        enum bl_msg_setting s = bl_msg_setting_from_name((struct bl_str){p, len});
        if (s != BL_SET__COUNT) {
            n++;
            if (wl < sizeof(what))
                wl += (size_t)snprintf(what + wl, sizeof(what) - wl, "%s%s", n > 1 ? ", no " : "",
                                       set_words[s]);
            if (ol < sizeof(opts))
                ol += (size_t)snprintf(opts + ol, sizeof(opts) - ol, " %s", set_opts[s]);
        }
        p += len + (p[len] == ',');
    }
    snprintf(out, cap, "%s has no %s: set %s with 'ballast shops set %s%s'", name,
             n ? what : "setting the message needs", n > 1 ? "them" : "it", shop, opts);
}

void bl_msg_hold_reason(enum bl_hold h, const char *detail, const char *shop, const char *name,
                        char *out, size_t cap)
{
    const char *x = detail ? detail : "";
    if (!name || !name[0]) /* a shop without a name is named by its id */
        name = shop;
    switch (h) {
    case BL_HOLD_NO_RECIPIENT:
        if (strcmp(x, "merchant") == 0) /* a marketplace's notice to its merchant */
            snprintf(out, cap, "the merchant %s has no e-mail address to write to: set the "
                               "shop's own address with 'ballast shops set %s --sender ADDRESS'",
                     name, shop);
        else
            snprintf(out, cap, "the buyer has no e-mail address (import the customers' addresses: "
                           "'ballast import customers FILE', docs/formats.md)");
        break;
    case BL_HOLD_RESERVED_RECIPIENT:
        snprintf(out, cap, "the recipient is on a reserved test domain (%s), which no one "
                           "reads", x);
        break;
    case BL_HOLD_RESERVED_SENDER:
        snprintf(out, cap, "%s's sender is on a reserved test domain (%s): set a real one "
                           "with 'ballast shops set %s --sender ADDRESS'", name, x, shop);
        break;
    case BL_HOLD_RESERVED_LINK:
        snprintf(out, cap, "the message links a reserved test domain (%s), which no buyer can "
                           "open (%s's settings: 'ballast shops list')", x, name);
        break;
    case BL_HOLD_MISSING_SETTING:
        settings_words(x, shop, name, out, cap);
        break;
    case BL_HOLD_KIND_NOT_ALLOWED:
        snprintf(out, cap, "%s's platform does not allow %s through its buyer messaging (the "
                           "shop's rule profile, \"messaging\")", name,
                 bl_msg_kind_words(bl_msg_kind_from_name(x)));
        break;
    case BL_HOLD_MARKETING:
        snprintf(out, cap, "%s's platform forbids marketing messages to buyers", name);
        break;
    case BL_HOLD_OUTSIDE_LINK:
        snprintf(out, cap, "%s's platform forbids links and outside contact details in a "
                           "message to a buyer (%s)", name, x);
        break;
    case BL_HOLD_TOO_LONG:
        snprintf(out, cap, "longer than %s's platform allows (characters: %s)", name, x);
        break;
    default:
        snprintf(out, cap, "held (%s)", x);
        break;
    }
}

void bl_msg_hold_words(const char *hold, const char *shop, const char *name, char *out,
                       size_t cap)
{
    if (!shop)
        shop = "the shop";
    size_t len = 0;
    out[0] = '\0';
    for (const char *p = hold ? hold : ""; *p && len + 1 < cap;) {
        size_t n = strcspn(p, ";"), k = strcspn(p, "=");
        if (k > n)
            k = n;
        char detail[600], one[900];
        bl_str_copy(detail, sizeof(detail),
                    k < n ? (struct bl_str){p + k + 1, n - k - 1} : (struct bl_str){"", 0});
        bl_msg_hold_reason(bl_hold_from_name((struct bl_str){p, k}), detail, shop, name, one,
                           sizeof(one));
        int w = snprintf(out + len, cap - len, "%s%s", len ? "; " : "", one);
        if (w < 0 || (size_t)w >= cap - len)
            break;
        len += (size_t)w;
        p += n + (p[n] == ';');
    }
}
