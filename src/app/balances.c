/* balances.c - per shop and currency: the deposit, coupons paid and owed, freight
 * waivers due; and the deposit shortfalls (money.h). */
#include <string.h>

#include "app/money.h"
#include "ballast/money.h"
#include "store/coupon.h"
#include "store/ledger.h"

/* The row of (shop k, cur) in res, added when new. */
static struct bl_app_balance *row_of(struct bl_app_balances_res *res, size_t *cap, size_t first,
                                     const char *shop, const char *name, int64_t shop_id,
                                     const char *cur)
{
    for (size_t i = first; i < res->n; i++)
        if (strcmp(res->rows[i].currency, cur) == 0)
            return &res->rows[i];
    if (bl_grow((void **)&res->rows, cap, res->n + 1, sizeof(*res->rows)))
        return NULL;
    struct bl_app_balance *b = &res->rows[res->n++];
    memset(b, 0, sizeof(*b));
    b->shop = shop;
    b->name = name;
    b->shop_id = shop_id;
    bl_str_copy(b->currency, sizeof(b->currency), bl_str_c(cur));
    return b;
}

static int add_to(int64_t *sum, int64_t v)
{
    return bl_money_add(*sum, v, sum);
}

/* Adds the ledger totals and owed coupons of one shop to its rows. */
static int fill_shop(struct bl_app_balances_res *res, size_t *cap, const struct bl_coupon_shop *s,
                     const char *ext, const char *name, const struct bl_ledger_total *t,
                     size_t nt, const struct bl_coupon_listed *o, size_t no)
{
    size_t first = res->n;
    struct bl_app_balance *b = row_of(res, cap, first, ext, name, s->id, s->currency);
    if (!b)
        return BL_ENOMEM;
    b->deposit_currency = true;
    b->deposit = b->balance = s->deposit;
    int rc = BL_OK;
    for (size_t i = 0; !rc && i < nt; i++) {
        if (t[i].shop_id != s->id)
            continue;
        if (!(b = row_of(res, cap, first, ext, name, s->id, t[i].currency)))
            return BL_ENOMEM;
        bool deposit = strcmp(t[i].kind, "coupon") == 0 || strcmp(t[i].kind, "topup") == 0;
        if (deposit && b->deposit_currency)
            rc = add_to(&b->balance, t[i].sum);
        if (!rc && strcmp(t[i].kind, "coupon") == 0) {
            rc = add_to(&b->paid, -t[i].sum);
            b->npaid += t[i].count;
        } else if (!rc && strcmp(t[i].kind, "sla_waiver") == 0) {
            rc = add_to(&b->waivers, t[i].sum);
            b->nwaivers += t[i].count;
        }
    }
    for (size_t i = 0; !rc && i < no; i++) {
        if (strcmp(o[i].shop, ext) != 0)
            continue;
        if (!(b = row_of(res, cap, first, ext, name, s->id, o[i].currency)))
            return BL_ENOMEM;
        rc = add_to(&b->owed, o[i].amount);
        b->nowed++;
    }
    /* the deposit's currency first, then the others by code */
    for (size_t i = first + 2; i < res->n; i++)
        for (size_t j = i; j > first + 1 && strcmp(res->rows[j - 1].currency,
                                                   res->rows[j].currency) > 0; j--) {
            struct bl_app_balance x = res->rows[j];
            res->rows[j] = res->rows[j - 1];
            res->rows[j - 1] = x;
        }
    return rc;
}

static int total(struct bl_store *st, int64_t org, struct bl_app_balances_res *res,
                 struct bl_diag *d)
{
    struct bl_app_money_total *t = &res->total;
    int rc = BL_OK;
    for (size_t i = 0; !rc && t->fx.wanted && i < res->n; i++) {
        const struct bl_app_balance *b = &res->rows[i];
        int64_t v[4] = {b->balance, b->paid, b->owed, b->waivers};
        int64_t *sum[4] = {&t->balance, &t->paid, &t->owed, &t->waivers};
        for (size_t k = 0; !rc && k < 4; k++) {
            int64_t c = 0;
            rc = bl_app_fx_convert(st, org, &t->fx, v[k], b->currency, &c, d);
            if (!rc && add_to(sum[k], c))
                rc = bl_diag_set(d, BL_EOVERFLOW, "balances: the total overflows");
        }
    }
    return rc;
}

static int shops_of(struct bl_store *st, int64_t org, const char *shop, struct bl_arena *a,
                    struct bl_coupon_shop **s, const char ***ext, const char ***names,
                    size_t *ns, struct bl_diag *d)
{
    int rc = bl_store_coupon_shops(st, org, a, s, ext, names, ns, d);
    if (rc || !shop)
        return rc;
    size_t k = 0;
    for (size_t i = 0; i < *ns; i++)
        if (strcmp((*ext)[i], shop) == 0) {
            (*s)[k] = (*s)[i];
            (*names)[k] = (*names)[i];
            (*ext)[k++] = (*ext)[i];
        }
    *ns = k;
    return BL_OK;
}

int bl_app_balances(struct bl_store *st, int64_t org, const struct bl_app_balances_req *req,
                    struct bl_app_balances_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 1u << 14);
    struct bl_coupon_shop *s = NULL;
    const char **ext = NULL, **names = NULL;
    struct bl_ledger_total *t = NULL;
    struct bl_coupon_listed *o = NULL;
    size_t ns = 0, nt = 0, no = 0, cap = 0;
    int rc = shops_of(st, org, req->shop, &res->arena, &s, &ext, &names, &ns, d);
    if (!rc && req->shop && !ns) {
        res->unknown_shop = true;
        bl_diag_at(d, NULL, 0, "shop");
        rc = bl_diag_set(d, BL_ENOTFOUND, "%s: no shop with that id", req->shop);
    }
    if (!rc)
        rc = bl_store_ledger_totals(st, org, req->shop ? s[0].id : 0, &t, &nt, d);
    if (!rc)
        rc = bl_store_coupon_owed_list(st, org, req->shop, &res->arena, &o, &no, d);
    for (size_t k = 0; !rc && k < ns; k++) {
        size_t first = res->n;
        if ((rc = fill_shop(res, &cap, &s[k], ext[k], names[k], t, nt, o, no)) != 0)
            rc = bl_diag_set(d, rc, "balances: %s", rc == BL_ENOMEM ? "out of memory"
                                                                    : "a sum overflows");
        const struct bl_app_balance *b = &res->rows[first];
        if (!rc && !req->shop && res->n == first + 1 && !b->deposit && !b->balance &&
            !b->npaid && !b->nowed && !b->nwaivers) {
            res->n = first; /* a shop whose money never moved */
            res->idle++;
        }
    }
    if (!rc)
        rc = bl_app_fx_open(st, org, req->day, &res->total.fx, d);
    if (!rc && (rc = total(st, org, res, d)) != 0)
        res->total.fx.wanted = false; /* the rows stand; only the total is missing */
    bl_free(s);
    bl_free(ext);
    bl_free(names);
    bl_free(t);
    bl_free(o);
    return rc;
}

void bl_app_balances_res_release(struct bl_app_balances_res *res)
{
    bl_free(res->rows);
    res->rows = NULL;
    res->n = 0;
    bl_arena_release(&res->arena);
}

/* ---- deposit shortfalls ------------------------------------------------------------- */

static int group(struct bl_app_shortfalls_res *res, const struct bl_coupon_listed *o, size_t no,
                 const struct bl_coupon_shop *s, const char **ext, const char **names, size_t ns)
{
    size_t cap = 0;
    for (size_t i = 0; i < no; i++) {
        struct bl_app_shortfall *g = res->n ? &res->rows[res->n - 1] : NULL;
        if (!g || strcmp(g->shop, o[i].shop) != 0 || strcmp(g->currency, o[i].currency) != 0) {
            if (bl_grow((void **)&res->rows, &cap, res->n + 1, sizeof(*res->rows)))
                return BL_ENOMEM;
            g = &res->rows[res->n++];
            memset(g, 0, sizeof(*g));
            g->shop = o[i].shop;
            memcpy(g->currency, o[i].currency, sizeof(g->currency));
            g->first_at = o[i].issued_at;
            for (size_t k = 0; k < ns; k++)
                if (strcmp(ext[k], g->shop) == 0) {
                    g->other_currency = strcmp(s[k].currency, g->currency) != 0;
                    g->name = names[k];
                }
            size_t m = 0;
            while (i + m < no && strcmp(o[i + m].shop, g->shop) == 0 &&
                   strcmp(o[i + m].currency, g->currency) == 0)
                m++;
            g->orders = bl_arena_alloc(&res->arena, m * sizeof(*g->orders));
            if (!g->orders)
                return BL_ENOMEM;
        }
        if (add_to(&g->owed, o[i].amount))
            return BL_EOVERFLOW;
        g->orders[g->ncoupons++] = o[i].order;
        if (o[i].issued_at < g->first_at)
            g->first_at = o[i].issued_at;
        if (o[i].issued_at > g->last_at)
            g->last_at = o[i].issued_at;
    }
    return BL_OK;
}

int bl_app_shortfalls(struct bl_store *st, int64_t org, const struct bl_app_shortfalls_req *req,
                      struct bl_app_shortfalls_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 1u << 14);
    struct bl_coupon_shop *s = NULL;
    const char **ext = NULL, **names = NULL;
    struct bl_coupon_listed *o = NULL;
    size_t ns = 0, no = 0;
    int rc = shops_of(st, org, req->shop, &res->arena, &s, &ext, &names, &ns, d);
    if (!rc)
        rc = bl_store_coupon_owed_list(st, org, req->shop, &res->arena, &o, &no, d);
    if (!rc && (rc = group(res, o, no, s, ext, names, ns)) != 0)
        rc = bl_diag_set(d, rc, "deposit shortfalls: %s",
                         rc == BL_ENOMEM ? "out of memory" : "a sum overflows");
    if (!rc)
        rc = bl_app_fx_open(st, org, req->day, &res->total.fx, d);
    for (size_t i = 0; !rc && res->total.fx.wanted && i < res->n; i++) {
        int64_t c = 0;
        rc = bl_app_fx_convert(st, org, &res->total.fx, res->rows[i].owed, res->rows[i].currency,
                               &c, d);
        if (!rc && add_to(&res->total.owed, c))
            rc = bl_diag_set(d, BL_EOVERFLOW, "deposit shortfalls: the total overflows");
        if (rc)
            res->total.fx.wanted = false; /* the rows stand; only the total is missing */
    }
    bl_free(s);
    bl_free(ext);
    bl_free(names);
    bl_free(o);
    return rc;
}

void bl_app_shortfalls_res_release(struct bl_app_shortfalls_res *res)
{
    bl_free(res->rows);
    res->rows = NULL;
    res->n = 0;
    bl_arena_release(&res->arena);
}
