/* money.h - money across currencies (docs/metrics.md, "Money"; docs/internals/app.md):
 *
 *   bl_app_org_currency_set  the organisation's reporting currency (org setting)
 *   bl_app_org_show          the organisation's settings
 *   bl_app_fx_open/_convert  a total in the organisation's currency: each amount converted
 *                            with the rate in effect on the report's day, the rates used
 *                            kept to be shown; a missing rate is an error naming the pair
 *                            and the day
 *   bl_app_balances          per shop and currency: the deposit's balance, the coupons
 *                            paid and still owed, the freight waivers due from carriers;
 *                            never summed across currencies, except into the total in the
 *                            organisation's currency when it has one
 *   bl_app_shortfalls        the coupons a deposit could not pay, per shop and currency
 *
 * Amounts are minor units of their currency; conversion is exact with one rounding
 * (ballast/fx.h: half away from zero).
 *
 * When the organisation has a currency and a rate is missing, bl_app_balances and
 * bl_app_shortfalls fail with BL_ENOTFOUND (d names the pair and the day) after filling
 * res->rows: only the total is missing, and a front end may still show the rows.
 *
 * Ownership: req borrowed; res filled from its arena, freed with _res_release (safe
 * on a zeroed or partly filled res). A struct bl_app_fx is the caller's, nothing to free.
 */
#ifndef BL_APP_MONEY_H
#define BL_APP_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/fx.h"
#include "ballast/store.h"

/* ---- the organisation's currency ---------------------------------------------------- */

/* cur: an ISO 4217 code (BL_ENOTFOUND with d naming it when unknown), or NULL/"" to
 * unset it. */
int bl_app_org_currency_set(struct bl_store *st, int64_t org, const char *cur,
                            struct bl_diag *d) BL_MUST_CHECK;

struct bl_app_org_res {
    char currency[4]; /* "" when none is set */
    int64_t rates;    /* exchange rates stored */
    int64_t first_day, last_day; /* of those rates (day numbers), when rates > 0 */
};

int bl_app_org_show(struct bl_store *st, int64_t org, struct bl_app_org_res *res,
                    struct bl_diag *d) BL_MUST_CHECK;

/* ---- a total in the organisation's currency ------------------------------------------ */

#define BL_APP_FX_MAX 32 /* distinct currency pairs one report converts */

struct bl_app_fx_used {
    char from[4], to[4];      /* the pair converted */
    struct bl_fx_rate rate;   /* as stored: for from -> to, or to -> from when inverse */
    bool inverse;             /* only the opposite pair was known: divided by its rate */
    int64_t rate_day;         /* the day the rate is dated (in effect from) */
};

struct bl_app_fx {
    bool wanted;     /* the organisation has a currency: a total is made */
    char currency[4];
    int exponent;
    int64_t day;     /* the report's day (day number): rates in effect on it */
    struct bl_app_fx_used used[BL_APP_FX_MAX];
    size_t nused;
};

/* Reads the organisation's currency (fx->wanted false when none) for a report of day. */
int bl_app_fx_open(struct bl_store *st, int64_t org, int64_t day, struct bl_app_fx *fx,
                   struct bl_diag *d) BL_MUST_CHECK;

/* amount of currency cur into fx->currency (*out), with the rate in effect on fx->day
 * (the direct pair, else the inverse one); the rate is added to fx->used. BL_ENOTFOUND
 * ("no exchange rate CNY -> USD on or before 2024-11-15 ...") when there is none,
 * BL_EOVERFLOW when the result does not fit. */
int bl_app_fx_convert(struct bl_store *st, int64_t org, struct bl_app_fx *fx, int64_t amount,
                      const char *cur, int64_t *out, struct bl_diag *d) BL_MUST_CHECK;

/* ---- balances ----------------------------------------------------------------------- */

struct bl_app_balances_req {
    const char *shop; /* external id; NULL: every shop */
    int64_t day;      /* the report's day (day number), for the total's rates */
};

struct bl_app_balance {
    const char *shop, *name; /* external id, name */
    int64_t shop_id;
    char currency[4];
    bool deposit_currency;   /* the shop's deposit is in this currency */
    int64_t deposit;         /* the opening deposit (shops.csv); 0 in other currencies */
    int64_t balance;         /* the deposit after coupons and top-ups; 0 in other ones */
    int64_t paid, owed, waivers; /* coupons paid, coupons owed, freight waivers due */
    int64_t npaid, nowed, nwaivers;
};

/* The totals in the organisation's currency (fx.wanted), each column converted. */
struct bl_app_money_total {
    struct bl_app_fx fx;
    int64_t balance, paid, owed, waivers;
};

struct bl_app_balances_res {
    struct bl_app_balance *rows; /* by shop, its deposit's currency first, then by code;
                                  * for every shop, those whose money never moved (no
                                  * deposit, no entry, nothing owed) are left out */
    size_t n;
    size_t idle;                 /* shops left out so */
    struct bl_app_money_total total;
    bool unknown_shop; /* req->shop names no shop (the call fails with BL_ENOTFOUND) */
    struct bl_arena arena;
};

int bl_app_balances(struct bl_store *st, int64_t org, const struct bl_app_balances_req *req,
                    struct bl_app_balances_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_balances_res_release(struct bl_app_balances_res *res);

/* ---- deposit shortfalls ------------------------------------------------------------- */

struct bl_app_shortfall {
    const char *shop, *name; /* external id, name */
    char currency[4];
    int64_t owed;           /* the coupons owed, summed, in currency */
    size_t ncoupons;
    const char **orders;    /* their orders' external ids, by coupon id */
    int64_t first_at, last_at; /* when the first and last of them were issued */
    bool other_currency;    /* the deposit is in another currency (else it is short) */
};

struct bl_app_shortfalls_req {
    const char *shop; /* NULL: every shop */
    int64_t day;      /* the report's day, for the total's rates */
};

struct bl_app_shortfalls_res {
    struct bl_app_shortfall *rows; /* by shop, then currency */
    size_t n;
    struct bl_app_money_total total; /* owed only */
    struct bl_arena arena;
};

int bl_app_shortfalls(struct bl_store *st, int64_t org, const struct bl_app_shortfalls_req *req,
                      struct bl_app_shortfalls_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_shortfalls_res_release(struct bl_app_shortfalls_res *res);

#endif
