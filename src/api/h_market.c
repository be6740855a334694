/* h_market.c - GET /api/v1/merchants/coupons: every merchant's coupons paid and owed, per
 * currency, in one answer (bl_app_market_coupons), for the Marketplace page. */
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
