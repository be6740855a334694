/* h_market.c - a marketplace's merchants for the Marketplace page: GET /api/v1/merchants,
 * each merchant's shops rated as of its last cycle and its protections
 * (bl_app_market_merchants_open, _rate), kept while no merchant's data, last cycle or name
 * changed; GET /api/v1/merchants/coupons, every merchant's coupons paid and owed, per
 * currency, in one answer (bl_app_market_coupons). */
#include <math.h>
#include <string.h>

#include <microhttpd.h>

#include "api/handlers.h"
#include "app/market.h"

static json_t *sums_json(const struct bl_app_market_coupons_res *r,
                         const struct bl_app_market_merchant *m, const char *state)
{
    json_t *list = json_array();
    for (size_t k = m->first; list && k < m->first + m->n; k++) {
        const struct bl_market_coupons *x = &r->rows[k];
        bool paid = strcmp(x->state, "paid") == 0;
        if (paid != (strcmp(state, "paid") == 0))
            continue;
        json_t *j = json_pack("{s:o, s:I}", "amount", bl__api_money(x->amount, x->currency),
                              "count", (json_int_t)x->n);
        if (!j || json_array_append_new(list, j))
            json_decref(list), list = NULL;
    }
    return list;
}

unsigned bl__h_market_coupons(struct bl__api_call *c)
{
    struct bl_app_market_coupons_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_market_coupons(c->st, c->org, &res, &d);
    json_t *list = rc ? NULL : json_array();
    for (size_t i = 0; list && i < res.nmerchants; i++) {
        const struct bl_app_market_merchant *m = &res.merchants[i];
        json_t *j = json_pack("{s:s, s:o, s:o}", "name", m->name, "paid",
                              sums_json(&res, m, "paid"), "owed", sums_json(&res, m, "owed"));
        if (!j || json_array_append_new(list, j))
            json_decref(list), list = NULL;
    }
    bl_app_market_coupons_res_release(&res);
    if (rc)
        return bl__api_fail(c, rc, &d);
    return bl__api_json(c, MHD_HTTP_OK, list ? json_pack("{s:o}", "merchants", list) : NULL);
}

/* ---------------------------------------------------------------- the merchants */

/* Each merchant's assessment is the one stock_cache.c keeps for that organisation and
 * as-of (the warm thread keeps every organisation's last cycle's ready): asked for with
 * the call's organisation set to the merchant's for that moment. */
struct held {
    struct bl__api_call *c;
    struct bl__api_stock_ref ref;
};

static int assess_of(void *ctx, int64_t org, int64_t as_of, const struct bl_app_assess_res **as,
                     struct bl_diag *d)
{
    struct held *h = ctx;
    int64_t own = h->c->org;
    h->c->org = org;
    int rc = bl__api_assess_get(h->c, as_of, &h->ref, d);
    h->c->org = own;
    *as = h->ref.as;
    return rc;
}

static void assess_done(void *ctx)
{
    struct held *h = ctx;
    bl__api_stock_put(h->c, &h->ref);
}

static json_t *num(double v)
{
    return isnan(v) || isinf(v) ? json_null() : json_real(v);
}

static void push(json_t **list, json_t *x)
{
    if (*list && (!x || json_array_append_new(*list, x)))
        json_decref(*list), *list = NULL;
}

static json_t *merchant_json(const struct bl_app_market_row *m)
{
    json_t *shops = m->assessed ? json_array() : json_null();
    for (size_t i = 0; json_is_array(shops) && i < m->nshops; i++) {
        const struct bl_app_market_shop *s = &m->shops[i];
        push(&shops, json_pack("{s:s, s:s, s:o, s:s?, s:I}", "shop", s->shop, "profile", s->profile,
                               "score", num(s->score), "rating", s->rating, "exempt_orders",
                               (json_int_t)s->exempt));
    }
    json_t *prot = m->protections_known ? json_array() : json_null();
    for (size_t i = 0; json_is_array(prot) && i < m->nprot; i++) {
        const struct bl_app_market_protection *p = &m->prot[i];
        push(&prot,
             json_pack("{s:s?, s:o, s:o, s:s?}", "shop", p->shop, "from", bl__api_time(p->from),
                       "to", bl__api_time(p->to), "reason", p->reason));
    }
    return json_pack("{s:s, s:o, s:o, s:o}", "name", m->name, "as_of", bl__api_time(m->as_of),
                     "shops", shops ? shops : json_null(), "protections",
                     prot ? prot : json_null());
}

unsigned bl__h_merchants(struct bl__api_call *c)
{
    struct bl_app_market_merchants_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_market_merchants_open(c->st, c->org, c->now, &res, &d);
    /* the same while every merchant's (generation, last cycle, name) and the profiles are */
    uint64_t stamp = res.version ^ (bl__api_profiles_stamp(c) * 0x9E3779B97F4A7C15u);
    if (!rc && bl__api_cached(c, "merchants", res.gen, stamp)) {
        bl_app_market_merchants_release(&res);
        return MHD_HTTP_OK;
    }
    struct held h = {c, {0}};
    rc = rc ? rc : bl_app_market_merchants_rate(c->st, &res, assess_of, assess_done, &h, &d);
    json_t *list = rc ? NULL : json_array();
    for (size_t i = 0; list && i < res.n; i++)
        push(&list, merchant_json(&res.rows[i]));
    int64_t gen = res.gen;
    bl_app_market_merchants_release(&res);
    if (rc)
        return bl__api_fail(c, rc, &d);
    return bl__api_json_keep(c, list ? json_pack("{s:o}", "merchants", list) : NULL, "merchants",
                             gen, stamp);
}
