/* comp_list.c - the coupons and a shop's deposit ledger, as stored (compensate.h). */
#include <string.h>

#include "app/compensate.h"
#include "ballast/money.h"
#include "store/coupon.h"
#include "store/ledger.h"

int bl_app_coupons(struct bl_store *st, int64_t org, const struct bl_app_coupons_req *req,
                   struct bl_app_coupons_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 1u << 14);
    struct bl_coupon_listed *v = NULL;
    size_t n = 0;
    struct bl_coupon_page q = {req->shop, req->state, req->after, req->limit};
    int rc = req->limit > 0 ? bl_store_coupon_page(st, org, &q, &res->arena, &v, &n, d)
                            : bl_store_coupon_list(st, org, req->shop, &res->arena, &v, &n, d);
    if (rc)
        return rc;
    res->coupons = bl_arena_alloc(&res->arena, (n + 1) * sizeof(*res->coupons));
    if (!res->coupons) {
        bl_free(v);
        return bl_diag_set(d, BL_ENOMEM, "coupons: out of memory");
    }
    for (size_t k = 0; k < n; k++) {
        struct bl_app_coupon_listed *y = &res->coupons[k];
        y->id = v[k].id;
        y->shop = v[k].shop;
        y->order = v[k].order;
        y->reason = v[k].reason;
        y->profile = v[k].profile;
        y->amount = v[k].amount;
        memcpy(y->currency, v[k].currency, sizeof(y->currency));
        y->paid = v[k].paid;
        y->issued_at = v[k].issued_at;
    }
    res->n = n;
    bl_free(v);
    return BL_OK;
}

void bl_app_coupons_res_release(struct bl_app_coupons_res *res)
{
    bl_arena_release(&res->arena);
    res->coupons = NULL;
    res->n = 0;
}

#define ACCOUNTS_MAX 64

struct account {
    bool waiver;
    char currency[4];
    int64_t balance;
};

/* Each entry's balance, recomputed from the entries: the balance of the account it
 * moves in its own currency (the deposit for coupons and top-ups, starting from the
 * opening deposit in the shop's currency and from 0 in another; the freight waivers
 * due from carriers for sla_waiver), never a balance of another currency. acc[na] are
 * the accounts' balances before the first entry (a page's: the entries before it). */
static int running(struct bl_app_ledger_res *res, struct account *acc, size_t na)
{
    for (size_t k = 0; k < res->n; k++) {
        struct bl_app_ledger_entry *y = &res->entries[k];
        bool waiver = strcmp(y->kind, "sla_waiver") == 0;
        bool deposit = !waiver && strcmp(y->currency, res->currency) == 0;
        size_t a = 0;
        while (a < na && (acc[a].waiver != waiver || strcmp(acc[a].currency, y->currency) != 0))
            a++;
        if (a == na) {
            if (na == ACCOUNTS_MAX)
                return BL_ETOOBIG;
            acc[na].waiver = waiver;
            memcpy(acc[na].currency, y->currency, sizeof(acc[na].currency));
            acc[na++].balance = deposit ? res->deposit : 0;
        }
        if (bl_money_add(acc[a].balance, y->amount, &acc[a].balance))
            return BL_EOVERFLOW;
        y->balance = acc[a].balance;
        if (deposit)
            res->balance = y->balance;
    }
    return BL_OK;
}

/* A page's accounts before its first entry (ids up to after), and the deposit's balance
 * after every entry (res->balance), as running() over the whole ledger would find them:
 * from the sums per account the store adds up. */
static int opening(struct bl_store *st, int64_t org, struct bl_app_ledger_res *res, int64_t after,
                   struct account *acc, size_t *na, struct bl_diag *d)
{
    struct bl_ledger_account *v = NULL;
    size_t n = 0;
    int rc = bl_store_ledger_accounts(st, org, res->shop_id, after, &v, &n, d);
    if (rc)
        return rc;
    if (n > ACCOUNTS_MAX) {
        bl_free(v);
        return bl_diag_set(d, BL_ETOOBIG, "ledger: more than 64 accounts");
    }
    for (size_t i = 0; i < n && !rc; i++) {
        bool deposit = !v[i].waiver && strcmp(v[i].currency, res->currency) == 0;
        int64_t start = deposit ? res->deposit : 0;
        acc[i].waiver = v[i].waiver;
        memcpy(acc[i].currency, v[i].currency, sizeof(acc[i].currency));
        if (bl_money_add(start, v[i].before, &acc[i].balance) ||
            (deposit && bl_money_add(start, v[i].total, &res->balance)))
            rc = bl_diag_set(d, BL_EOVERFLOW, "ledger: a balance overflows");
    }
    *na = n;
    bl_free(v);
    return rc;
}

int bl_app_ledger(struct bl_store *st, int64_t org, const struct bl_app_ledger_req *req,
                  struct bl_app_ledger_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 1u << 14);
    struct bl_coupon_shop shop;
    bool found = false;
    int rc = bl_store_coupon_shop(st, org, req->shop ? req->shop : "", &shop, &found, d);
    if (rc)
        return rc;
    if (!found) {
        res->problem = BL_APP_ASSESS_UNKNOWN_SHOP;
        bl_diag_at(d, NULL, 0, "shop");
        return bl_diag_set(d, BL_ENOTFOUND, "%s: no shop with that id", req->shop ? req->shop : "");
    }
    res->shop_id = shop.id;
    res->deposit = res->balance = shop.deposit;
    memcpy(res->currency, shop.currency, sizeof(res->currency));
    struct account acc[ACCOUNTS_MAX];
    size_t na = 0;
    if (req->limit > 0 && (rc = opening(st, org, res, req->after, acc, &na, d)) != BL_OK)
        return rc;
    struct bl_ledger_listed *v = NULL;
    size_t n = 0;
    rc = req->limit > 0 ? bl_store_ledger_page(st, org, shop.id, req->after, req->limit,
                                               &res->arena, &v, &n, d)
                        : bl_store_ledger_list(st, org, shop.id, &res->arena, &v, &n, d);
    if (rc)
        return rc;
    res->entries = bl_arena_alloc(&res->arena, (n + 1) * sizeof(*res->entries));
    if (!res->entries) {
        bl_free(v);
        return bl_diag_set(d, BL_ENOMEM, "ledger: out of memory");
    }
    for (size_t k = 0; k < n; k++) {
        struct bl_app_ledger_entry *y = &res->entries[k];
        *y = (struct bl_app_ledger_entry){v[k].id,      v[k].kind, v[k].amount, "",
                                          v[k].balance, v[k].ref,  v[k].note,   v[k].as_of};
        memcpy(y->currency, v[k].currency, sizeof(y->currency));
    }
    res->n = n;
    bl_free(v);
    int64_t final = res->balance; /* a page's: the deposit after every entry, not the page's */
    rc = running(res, acc, na);
    if (!rc && req->limit > 0)
        res->balance = final;
    if (rc)
        return bl_diag_set(d, rc, "ledger: %s", rc == BL_ETOOBIG ? "more than 64 accounts"
                                                                 : "a balance overflows");
    return BL_OK;
}

void bl_app_ledger_res_release(struct bl_app_ledger_res *res)
{
    bl_arena_release(&res->arena);
    res->entries = NULL;
    res->n = 0;
}
