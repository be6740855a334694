/* notify_plan.c - the outbox planner: which order or customer gets which message
 * (notify.h; rules and keys in docs/internals/notify.md). Pure. */
#include <stdio.h>
#include <string.h>

#include "ballast/map.h"
#include "ballast/notify.h"

static const char *const kind_names[BL_MSG__COUNT] = {
    "late_shipment", "late_delivery", "out_of_stock",   "compensation_coupon",
    "unshipped_order", "promo_code", "service_resumed",
};

const char *bl_msg_kind_name(enum bl_msg_kind k)
{
    return (unsigned)k < BL_MSG__COUNT ? kind_names[k] : NULL;
}

enum bl_msg_kind bl_msg_kind_from_name(const char *name)
{
    for (unsigned k = 0; name && k < BL_MSG__COUNT; k++)
        if (strcmp(kind_names[k], name) == 0)
            return (enum bl_msg_kind)k;
    return BL_MSG__COUNT;
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Splits a locale into language and region (2 letters or 3 digits), lower-cased;
 * script subtags ("Hans") and encodings (".UTF-8") are skipped. */
static void split(const char *s, char lang[9], char region[4])
{
    size_t i = 0, n = 0;
    lang[0] = region[0] = '\0';
    while (s[i] && s[i] != '-' && s[i] != '_' && s[i] != '.' && s[i] != '@') {
        if (n < 8)
            lang[n++] = lower(s[i]);
        i++;
    }
    lang[n] = '\0';
    while (s[i] == '-' || s[i] == '_') {
        size_t j = i + 1, len = 0;
        while (s[j + len] && s[j + len] != '-' && s[j + len] != '_' && s[j + len] != '.' &&
               s[j + len] != '@')
            len++;
        if ((len == 2 || len == 3) && !region[0]) {
            for (size_t k = 0; k < len; k++)
                region[k] = lower(s[j + k]);
            region[len] = '\0';
        }
        i = j + len;
    }
}

const char *bl_notify_locale(const char *const *locales, size_t nlocales, const char *want)
{
    const char *en = NULL;
    for (size_t i = 0; i < nlocales; i++)
        if (strcmp(locales[i], "en") == 0)
            en = locales[i];
    if (!en)
        en = nlocales ? locales[0] : "en";
    if (!want || !want[0])
        return en;
    char wl[9], wr[4];
    split(want, wl, wr);
    const char *same_lang = NULL;
    for (size_t i = 0; i < nlocales; i++) {
        char l[9], r[4];
        split(locales[i], l, r);
        if (strcmp(l, wl) != 0)
            continue;
        if (strcmp(r, wr) == 0)
            return locales[i];
        if (!same_lang)
            same_lang = locales[i];
    }
    return same_lang ? same_lang : en;
}

struct planner {
    struct bl_arena *a;
    struct bl_notify_plan *p;
    size_t n, cap;
    struct bl_diag *d;
};

static int add(struct planner *pl, const struct bl_notify_input *in, size_t order,
               enum bl_msg_kind k, const char *idem, int32_t campaign, bool with_coupon)
{
    if (pl->n == pl->cap) {
        size_t cap = pl->cap ? pl->cap * 2 : 64;
        struct bl_notify_plan *np = bl_arena_alloc(pl->a, cap * sizeof(*np));
        if (!np)
            return bl_diag_set(pl->d, BL_ENOMEM, "notify: out of memory");
        if (pl->n)
            memcpy(np, pl->p, pl->n * sizeof(*np));
        pl->p = np;
        pl->cap = cap;
    }
    char *key = bl_arena_strndup(pl->a, idem, strlen(idem));
    if (!key)
        return bl_diag_set(pl->d, BL_ENOMEM, "notify: out of memory");
    pl->p[pl->n++] = (struct bl_notify_plan){
        order,
        k,
        key,
        bl_notify_locale(in->locales, in->nlocales, in->orders[order].locale),
        !(in->orders[order].autosend & BL_MSG_BIT(k)),
        with_coupon,
        campaign,
    };
    return BL_OK;
}

static int order_key(struct planner *pl, const struct bl_notify_input *in, size_t i,
                     enum bl_msg_kind k, bool with_coupon)
{
    char idem[96];
    snprintf(idem, sizeof(idem), "%s:%lld", kind_names[k], (long long)in->orders[i].id);
    return add(pl, in, i, k, idem, -1, with_coupon);
}

int bl_notify_plan(const struct bl_notify_input *in, struct bl_arena *a,
                   struct bl_notify_plan **out, size_t *n, struct bl_diag *d)
{
    *out = NULL;
    *n = 0;
    bool has_en = false;
    for (size_t i = 0; i < in->nlocales; i++)
        has_en = has_en || strcmp(in->locales[i], "en") == 0;
    if (!has_en)
        return bl_diag_set(d, BL_EINVAL, "notify: the English template pack (en) is missing");
    for (size_t c = 0; c < in->ncampaigns; c++) {
        enum bl_msg_kind k = in->campaigns[c].kind;
        if ((k != BL_MSG_PROMO_CODE && k != BL_MSG_SERVICE_RESUMED) || !in->campaigns[c].ref ||
            !in->campaigns[c].ref[0])
            return bl_diag_set(d, BL_EINVAL,
                               "notify: campaign %zu must be promo_code or service_resumed "
                               "with a reference",
                               c);
    }
    struct planner pl = {a, NULL, 0, 0, d};
    int rc = BL_OK;
    for (size_t i = 0; !rc && i < in->norders; i++) {
        const struct bl_notify_order *o = &in->orders[i];
        uint32_t f = o->facts, prior = o->prior;
        bool shipped = f & BL_NF_SHIPPED;
        bool told_coupon = prior & BL_MSG_BIT(BL_MSG_COMPENSATION_COUPON);
        if (!shipped && (f & BL_NF_OUT_OF_STOCK)) {
            if (!(prior & BL_MSG_BIT(BL_MSG_OUT_OF_STOCK)))
                rc = order_key(&pl, in, i, BL_MSG_OUT_OF_STOCK, false);
        } else if (!shipped && (f & BL_NF_MISS_SHIP)) {
            if (!(prior & BL_MSG_BIT(BL_MSG_LATE_SHIPMENT))) {
                bool with = (f & BL_NF_COUPON) && !told_coupon;
                rc = order_key(&pl, in, i, BL_MSG_LATE_SHIPMENT, with);
                told_coupon = told_coupon || with;
            }
        } else if (!shipped && (f & BL_NF_DISRUPTED)) {
            if (!(prior & BL_MSG_BIT(BL_MSG_UNSHIPPED_ORDER)))
                rc = order_key(&pl, in, i, BL_MSG_UNSHIPPED_ORDER, false);
        }
        if (!rc && shipped && (f & BL_NF_MISS_DELIVERY) &&
            !(prior & BL_MSG_BIT(BL_MSG_LATE_DELIVERY)))
            rc = order_key(&pl, in, i, BL_MSG_LATE_DELIVERY, false);
        if (!rc && (f & BL_NF_COUPON) && !told_coupon)
            rc = order_key(&pl, in, i, BL_MSG_COMPENSATION_COUPON, false);
    }
    /* Campaigns: each customer with a disrupted order once, in order of first order. */
    for (size_t c = 0; !rc && c < in->ncampaigns; c++) {
        struct bl_map seen;
        bl_map_init(&seen, a);
        for (size_t i = 0; !rc && i < in->norders; i++) {
            const struct bl_notify_order *o = &in->orders[i];
            if (!(o->facts & BL_NF_DISRUPTED) || !o->customer || !o->customer[0])
                continue;
            int64_t v = 0;
            bool added = false;
            rc = bl_map_get_or_put(&seen, bl_str_c(o->customer), &v, &added);
            if (rc) {
                rc = bl_diag_set(d, rc, "notify: out of memory");
                break;
            }
            if (!added)
                continue;
            char idem[512];
            int w = snprintf(idem, sizeof(idem), "%s:%s:%s", kind_names[in->campaigns[c].kind],
                             in->campaigns[c].ref, o->customer);
            if (w < 0 || (size_t)w >= sizeof(idem)) {
                rc = bl_diag_set(d, BL_ETOOBIG, "notify: campaign reference or customer id "
                                                "too long for an idempotency key");
                break;
            }
            if (in->has_key && in->has_key(in->has_key_ctx, idem))
                continue;
            rc = add(&pl, in, i, in->campaigns[c].kind, idem, (int32_t)c, false);
        }
        bl_map_release(&seen);
    }
    if (rc)
        return rc;
    *out = pl.p;
    *n = pl.n;
    return BL_OK;
}

/* An event at t is inside the horizon (none, or not before since). */
static bool inside(int64_t t, int64_t since)
{
    return since == BL_NO_TIME || t == BL_NO_TIME || t >= since;
}

uint32_t bl_notify_facts(const struct bl_notify_fact_in *o, bool *unreachable, bool *too_old)
{
    uint32_t f = 0, old = 0;
    /* the promise the order is measured against now: its ship-by until it ships */
    int64_t promise = o->shipped ? o->promised : (o->ship_by != BL_NO_TIME ? o->ship_by
                                                                            : o->promised);
    bool recent = inside(promise, o->since);
    if (o->shipped)
        f |= BL_NF_SHIPPED;
    if (o->origin_hit || o->dest_hit)
        *(recent ? &f : &old) |= BL_NF_DISRUPTED;
    if (!o->shipped && o->out_of_stock)
        *(recent ? &f : &old) |= BL_NF_OUT_OF_STOCK;
    if (o->coupon)
        *(inside(o->coupon_at, o->since) ? &f : &old) |= BL_NF_COUPON;
    int64_t soon = o->as_of > INT64_MAX - o->lookahead ? INT64_MAX : o->as_of + o->lookahead;
    bool cannot = o->out_of_stock || (o->resume != BL_NO_TIME && o->resume > o->ship_by);
    if (!o->shipped && o->ship_by != BL_NO_TIME &&
        (o->ship_by <= o->as_of || (o->ship_by <= soon && cannot)))
        *(recent ? &f : &old) |= BL_NF_MISS_SHIP;
    if (o->shipped && o->promised != BL_NO_TIME &&
        (o->promised <= o->as_of ||
         (o->promised <= soon && o->dest_hit && o->dest_ends > o->promised)))
        *(recent ? &f : &old) |= BL_NF_MISS_DELIVERY;
    bool lost = false;
    if (!o->has_customer) {
        lost = (f & (BL_NF_MISS_SHIP | BL_NF_MISS_DELIVERY | BL_NF_OUT_OF_STOCK | BL_NF_COUPON |
                     BL_NF_DISRUPTED)) != 0;
        f = 0;
        old = 0;
    }
    if (unreachable)
        *unreachable = lost;
    if (too_old)
        *too_old = old != 0;
    return f;
}

#define DAY ((int64_t)86400)

void bl_notify_when(int64_t as_of, int64_t ship_by, int64_t promised, int64_t resume,
                    bool out_of_stock, int64_t restock, int64_t dest_ends,
                    struct bl_notify_when *w)
{
    int64_t ship = as_of + DAY;
    if (resume != BL_NO_TIME && resume > ship)
        ship = resume;
    if (out_of_stock) {
        int64_t back = restock != BL_NO_TIME ? restock : as_of + 14 * DAY;
        if (back > ship)
            ship = back;
    }
    w->ship = ship;
    w->span = promised != BL_NO_TIME && ship_by != BL_NO_TIME && promised > ship_by
                  ? promised - ship_by
                  : 7 * DAY;
    w->slack = w->span / 2 > 2 * DAY ? w->span / 2 : 2 * DAY;
    w->redelivery = as_of + DAY;
    if (dest_ends != BL_NO_TIME && dest_ends > w->redelivery)
        w->redelivery = dest_ends;
}
