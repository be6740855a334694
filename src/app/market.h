/* market.h - a marketplace's view over its merchants at once (issue 17, the Marketplace
 * page): each merchant's coupons paid and still owed to buyers, per currency, in one read
 * (the page read every merchant's coupon list in turn).
 *
 * Ownership: res is the caller's, freed with bl_app_market_coupons_res_release (safe on a
 * zeroed or failed res); strings live in res->arena. */
#ifndef BL_APP_MARKET_H
#define BL_APP_MARKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/user.h"
#include "store/market.h"

/* A merchant and its sums (rows rows[first .. first + n), by state and currency). */
struct bl_app_market_merchant {
    const char *name;
    size_t first, n;
};

struct bl_app_market_coupons_res {
    struct bl_app_market_merchant *merchants; /* every merchant governed, by name */
    size_t nmerchants;
    struct bl_market_coupons *rows; /* by merchant (as merchants), state, currency */
    size_t nrows;
    struct bl_app_merchants_res m;
    struct bl_arena arena;
};

/* The coupons of every merchant organisation org governs (none: an empty list). */
int bl_app_market_coupons(struct bl_store *st, int64_t org, struct bl_app_market_coupons_res *res,
                          struct bl_diag *d) BL_MUST_CHECK;
void bl_app_market_coupons_res_release(struct bl_app_market_coupons_res *res);

#endif
