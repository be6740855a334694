/* messages_data.c - the template data of a planned message and its recipient
 * (app_msg.h). Dates in the shop's zone and the buyer's language (l10n.h). */
#include <string.h>

#include "app/app_msg.h"
#include "ballast/disruption.h"
#include "ballast/l10n.h"
#include "ballast/time.h"

/* The customer's e-mail address, else <customer id>@<--to-domain> (characters other
 * than letters, digits and . - _ + become _). */
void bl__msg_recipient(const char *customer, const char *email, const char *domain, char *out,
                       size_t cap)
{
    if (email && email[0]) {
        bl_str_copy(out, cap, bl_str_c(email));
        return;
    }
    size_t j = 0;
    for (const char *p = customer; *p && j + 1 < cap; p++) {
        char ch = *p;
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '_' || ch == '+';
        out[j++] = ok ? ch : '_';
    }
    out[j] = '\0';
    size_t len = strlen(out);
    snprintf(out + len, cap - len, "@%s", domain);
}

int bl__msg_prepare(const struct bl__words *w, struct bl__msg_ord *x, struct bl_arena *a,
                    struct bl_diag *d)
{
    char want[64];
    bool from_country;
    bl__words_language(x->o->locale, x->o->to, want, sizeof(want), &from_country);
    x->w = w;
    x->want = bl_arena_strndup(a, want, strlen(want));
    return x->want ? BL_OK : bl_diag_set(d, BL_ENOMEM, "out of memory");
}

enum bl_app_lang_fallback bl__msg_fallback(const struct bl__msg_ord *x, const char *pack)
{
    if (!x->want || !x->want[0])
        return BL_LANG_UNKNOWN;
    return bl__words_same_language(pack, x->want) ? BL_LANG__COUNT : BL_LANG_NO_PACK;
}

/* The locale amounts and dates are written for: the buyer's own when the pack speaks
 * their language ("es-MX": "USD 2.55", "es-AR": "US$ 2,55"), else the pack's; the
 * Spanish pack, written for Latin America, as es-419 when the buyer's region is unknown. */
static const char *fmt_locale(const struct bl__msg_ord *x, const struct bl_notify_plan *p)
{
    if (x->want && bl__words_same_language(p->locale, x->want) && strchr(x->want, '-'))
        return x->want;
    return strcmp(p->locale, "es") == 0 ? "es-419" : p->locale;
}

static int set_str(json_t *o, const char *k, const char *v)
{
    return json_object_set_new(o, k, v ? json_string(v) : json_null()) ? BL_ENOMEM : BL_OK;
}

/* Fills the template data of one planned message. Dates are in the shop's zone. */
/* late_shipment, unshipped_order, out_of_stock: when it ships, and arrives. */
static int ship_data(struct bl_l10n *l10n, const struct bl__msg_ord *x,
                     const struct bl_notify_plan *p, const struct bl_notify_when *w, json_t *j,
                     struct bl_diag *d)
{
    const char *loc = fmt_locale(x, p), *tz = x->o->tz;
    char t1[128], t2[256];
    bool open = x->resume != BL_NO_TIME && bl_dis_open_end(x->resume); /* no date to promise */
    if (json_object_set_new(j, "until_further_notice", json_boolean(open)))
        return BL_ENOMEM;
    if (open)
        return BL_OK;
    int rc = bl_l10n_date_in(l10n, loc, tz, w->ship, t1, sizeof(t1), d);
    if (!rc)
        rc =
            set_str(j, p->kind == BL_MSG_UNSHIPPED_ORDER ? "ship_start_date" : "new_ship_date", t1);
    if (!rc && p->kind != BL_MSG_OUT_OF_STOCK)
        rc = bl_l10n_window_in(l10n, loc, tz, w->ship + w->span, w->ship + w->span + w->slack, t2,
                               sizeof(t2), d);
    if (!rc && p->kind != BL_MSG_OUT_OF_STOCK)
        rc = set_str(j, "delivery_window", t2);
    return rc;
}

static int late_data(struct bl_l10n *l10n, const struct bl__msg_ord *x,
                     const struct bl_notify_plan *p, const struct bl_notify_when *w, json_t *j,
                     struct bl_diag *d)
{
    const struct bl_msg_order *o = x->o;
    const char *loc = fmt_locale(x, p), *tz = o->tz;
    char t1[128], t2[256];
    int rc = BL_OK;
    if (p->kind == BL_MSG_LATE_SHIPMENT) {
        rc = bl_l10n_date_in(l10n, loc, tz, o->ship_by, t1, sizeof(t1), d);
        if (!rc)
            rc = set_str(j, "promised_ship_date", t1);
        if (!rc && p->with_coupon)
            rc = bl_l10n_money_in(l10n, loc, x->coupon, x->coupon_cur, t1, sizeof(t1), d);
        if (!rc)
            rc = set_str(j, "coupon_amount", p->with_coupon ? t1 : NULL);
        return rc;
    }
    rc = bl_l10n_date_in(l10n, loc, tz, o->promised, t1, sizeof(t1), d);
    if (!rc)
        rc = set_str(j, "promised_delivery_date", t1);
    bool open = x->dest && bl_dis_open_end(x->dest->cover.ends); /* no date to promise */
    if (!rc)
        rc = json_object_set_new(j, "until_further_notice", json_boolean(open)) ? BL_ENOMEM : BL_OK;
    if (!rc && !open)
        rc = bl_l10n_window_in(l10n, loc, tz, w->redelivery, w->redelivery + w->slack, t2,
                               sizeof(t2), d);
    if (!rc && !open)
        rc = set_str(j, "delivery_window", t2);
    if (!rc) /* the carrier's name; a channel id never reaches a buyer */
        rc = set_str(j, "carrier", x->w ? bl__words_carrier(x->w, o->channel) : NULL);
    if (!rc)
        rc = set_str(j, "tracking_number", ""); /* not in the store yet */
    if (!rc)
        rc = set_str(j, "tracking_url", "");
    return rc;
}

static int order_data(struct bl_l10n *l10n, const struct bl_app_messages_plan_req *pa,
                      const struct bl__msg_ord *x, const struct bl_notify_plan *p, json_t *j,
                      struct bl_diag *d)
{
    const char *loc = fmt_locale(x, p);
    char t1[128];
    int rc = BL_OK;
    if (p->kind == BL_MSG_UNSHIPPED_ORDER) {
        const struct bl_msg_disruption *dx = x->origin ? x->origin : x->dest;
        bool holiday = dx && strcmp(dx->kind, "holiday") == 0;
        rc = set_str(j, "holiday",
                     holiday ? (dx->note && dx->note[0] ? dx->note : "holiday") : NULL);
        if (!rc && x->w)
            rc = bl__words_place(x->w, loc, dx ? dx->cover.region : NULL, t1, sizeof(t1), d);
        else if (!rc)
            rc = bl_l10n_region(loc, dx ? dx->cover.region : "", t1, sizeof(t1), d);
        if (!rc)
            rc = set_str(j, "disruption_region", t1);
    } else if (p->kind == BL_MSG_OUT_OF_STOCK) {
        rc = set_str(j, "product_name", x->oos_sku);
        if (!rc)
            rc = set_str(j, "cancel_url", pa->account_url);
    } else if (p->kind == BL_MSG_COMPENSATION_COUPON) {
        rc = bl_l10n_money_in(l10n, loc, x->coupon, x->coupon_cur, t1, sizeof(t1), d);
        if (!rc)
            rc = set_str(j, "coupon_amount", t1);
        if (!rc)
            rc = bl_l10n_date_in(l10n, loc, x->o->tz, pa->as_of + pa->coupon_days * BL_DAY_SECS, t1,
                                 sizeof(t1), d);
        if (!rc)
            rc = set_str(j, "expires_on", t1);
    }
    return rc;
}

static int campaign_data(struct bl_l10n *l10n, const struct bl_app_messages_plan_req *pa,
                         const struct bl__msg_ord *x, const struct bl_notify_plan *p, json_t *j,
                         struct bl_diag *d)
{
    const char *loc = fmt_locale(x, p), *tz = x->o->tz;
    char t1[128];
    int rc;
    if (p->kind == BL_MSG_PROMO_CODE) {
        rc = set_str(j, "promo_code", pa->promo);
        if (!rc)
            rc = set_str(j, "discount", pa->discount);
        if (!rc)
            rc = bl_l10n_date_in(l10n, loc, tz, pa->promo_expires, t1, sizeof(t1), d);
        if (!rc)
            rc = set_str(j, "expires_on", t1);
        return rc;
    }
    int64_t day;
    struct bl_diag ig;
    int64_t at = bl_date_parse(bl_str_c(pa->service_resumed), &day, &ig) == BL_OK
                     ? day * BL_DAY_SECS + 12 * 3600
                     : pa->as_of;
    rc = bl_l10n_date_in(l10n, loc, tz, at, t1, sizeof(t1), d);
    if (!rc)
        rc = set_str(j, "service_resume_date", t1);
    if (!rc)
        rc = set_str(j, "support_contact", pa->support_contact);
    if (!rc)
        rc = set_str(j, "support_hours", pa->support_hours);
    return rc;
}

int bl__msg_data(struct bl_l10n *l10n, const struct bl_app_messages_plan_req *pa,
                 const struct bl__msg_ord *x, const struct bl_notify_plan *p, json_t *j,
                 struct bl_diag *d)
{
    const struct bl_msg_order *o = x->o;
    /* a name, or none (the templates greet neutrally): a customer imported without a
     * name is stored under its id, which is not a name */
    bool named =
        o->cust_name && o->cust_name[0] && !(o->customer && strcmp(o->cust_name, o->customer) == 0);
    int rc = set_str(j, "customer_name", named ? o->cust_name : NULL);
    if (!rc)
        rc = set_str(j, "shop_name", o->shop_name);
    if (!rc)
        rc = set_str(j, "order_id", o->ext);
    if (!rc)
        rc = set_str(j, "account_url", pa->account_url);
    struct bl_notify_when w;
    bl_notify_when(pa->as_of, o->ship_by, o->promised, x->resume, x->oos_sku != NULL, x->restock,
                   x->dest ? x->dest->cover.ends : BL_NO_TIME, &w);
    switch (p->kind) {
    case BL_MSG_LATE_SHIPMENT:
    case BL_MSG_UNSHIPPED_ORDER:
    case BL_MSG_OUT_OF_STOCK:
        if (!rc)
            rc = ship_data(l10n, x, p, &w, j, d);
        break;
    default:
        break;
    }
    if (!rc && (p->kind == BL_MSG_LATE_SHIPMENT || p->kind == BL_MSG_LATE_DELIVERY))
        rc = late_data(l10n, x, p, &w, j, d);
    else if (!rc && (p->kind == BL_MSG_PROMO_CODE || p->kind == BL_MSG_SERVICE_RESUMED))
        rc = campaign_data(l10n, pa, x, p, j, d);
    else if (!rc)
        rc = order_data(l10n, pa, x, p, j, d);
    if (rc == BL_ENOMEM)
        bl_diag_set(d, rc, "out of memory");
    return rc;
}
