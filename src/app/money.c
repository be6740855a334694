/* money.c - the organisation's currency and totals in it (money.h). */
#include <string.h>

#include "app/audit.h"
#include "app/money.h"
#include "ballast/money.h"
#include "ballast/time.h"
#include "store/money.h"

int bl_app_org_currency_set(struct bl_store *st, int64_t org, const char *cur, struct bl_diag *d)
{
    struct bl_currency c = {"", 0};
    if (cur && cur[0] && bl_currency_lookup(bl_str_c(cur), &c, NULL) != BL_OK) {
        return bl_diag_set(d, BL_ENOTFOUND, "currency '%s': not an ISO 4217 code (USD, EUR, CNY...)",
                           cur);
    }
    char was[4] = "";
    bool set = false;
    int rc = bl_store_begin(st, d);
    rc = rc ? rc : bl_store_money_org_currency(st, org, was, &set, d);
    rc = rc ? rc : bl_store_money_org_currency_set(st, org, c.code, d);
    rc = rc ? rc
            : bl_app_audit_n(st, org, 0, "org.currency", "org", org,
                             json_pack("{s:s?}", "currency", set && was[0] ? was : NULL),
                             json_pack("{s:s?}", "currency", c.code[0] ? c.code : NULL), d);
    return bl_store_end(st, rc, d);
}

struct span_ctx {
    struct bl_app_org_res *res;
};

static int span_row(void *vctx, const struct bl_row *r)
{
    struct span_ctx *c = vctx;
    c->res->rates = bl_row_int(r, 0);
    c->res->first_day = bl_row_int(r, 1);
    c->res->last_day = bl_row_int(r, 2);
    return 0;
}

int bl_app_org_show(struct bl_store *st, int64_t org, struct bl_app_org_res *res,
                    struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bool set = false;
    int rc = bl_store_money_org_currency(st, org, res->currency, &set, d);
    struct span_ctx c = {res};
    struct bl_val p = bl_val_int(org);
    if (!rc)
        rc = bl_store_query(st,
                            "SELECT COUNT(*), COALESCE(MIN(day), 0), COALESCE(MAX(day), 0)"
                            " FROM fx_rate WHERE org_id = $1",
                            &p, 1, span_row, &c, d);
    return rc;
}

int bl_app_fx_open(struct bl_store *st, int64_t org, int64_t day, struct bl_app_fx *fx,
                   struct bl_diag *d)
{
    memset(fx, 0, sizeof(*fx));
    fx->day = day;
    int rc = bl_store_money_org_currency(st, org, fx->currency, &fx->wanted, d);
    struct bl_currency c;
    if (!rc && fx->wanted)
        fx->exponent = bl_currency_lookup(bl_str_c(fx->currency), &c, NULL) ? 2 : c.exponent;
    return rc;
}

static int exponent_of(const char *cur)
{
    struct bl_currency c;
    return bl_currency_lookup(bl_str_c(cur), &c, NULL) == BL_OK ? c.exponent : 2;
}

/* The rate for cur -> fx->currency: from fx->used, else from the store (added). */
static int find_rate(struct bl_store *st, int64_t org, struct bl_app_fx *fx, const char *cur,
                     const struct bl_app_fx_used **out, struct bl_diag *d)
{
    for (size_t i = 0; i < fx->nused; i++)
        if (strcmp(fx->used[i].from, cur) == 0) {
            *out = &fx->used[i];
            return BL_OK;
        }
    if (fx->nused == BL_APP_FX_MAX)
        return bl_diag_set(d, BL_ETOOBIG, "a total over more than %d currencies", BL_APP_FX_MAX);
    struct bl_app_fx_used u;
    memset(&u, 0, sizeof(u));
    bl_str_copy(u.from, sizeof(u.from), bl_str_c(cur));
    memcpy(u.to, fx->currency, sizeof(u.to));
    bool found = false;
    int rc = bl_store_money_rate(st, org, u.from, u.to, fx->day, &u.rate, &u.rate_day, &found, d);
    if (!rc && !found) {
        u.inverse = true;
        rc = bl_store_money_rate(st, org, u.to, u.from, fx->day, &u.rate, &u.rate_day, &found, d);
    }
    if (rc)
        return rc;
    if (!found) {
        char day[32];
        return bl_diag_set(d, BL_ENOTFOUND,
                           "no exchange rate %s -> %s on or before %s (the organisation reports "
                           "in %s): add a row 'date,from,to,rate' to a rates file and run "
                           "'ballast import rates FILE'",
                           u.from, u.to, bl_date_format(fx->day, day), u.to);
    }
    fx->used[fx->nused] = u;
    *out = &fx->used[fx->nused++];
    return BL_OK;
}

int bl_app_fx_convert(struct bl_store *st, int64_t org, struct bl_app_fx *fx, int64_t amount,
                      const char *cur, int64_t *out, struct bl_diag *d)
{
    if (strcmp(cur, fx->currency) == 0) {
        *out = amount;
        return BL_OK;
    }
    if (amount == 0) {
        *out = 0;
        return BL_OK;
    }
    const struct bl_app_fx_used *u = NULL;
    int rc = find_rate(st, org, fx, cur, &u, d);
    if (rc)
        return rc;
    rc = bl_fx_convert(amount, exponent_of(cur), fx->exponent, &u->rate, u->inverse, out);
    if (rc)
        return bl_diag_set(d, rc, "%s -> %s: the amount does not fit once converted", cur,
                           fx->currency);
    return BL_OK;
}
