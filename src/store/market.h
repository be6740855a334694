/* market.h - what a marketplace reads over its merchants at once (store family "market",
 * read only): their coupons summed by state and currency.
 *
 * Ownership: loaders fill arrays the caller frees with bl_free; their strings come from
 * the caller's arena. */
#ifndef BL_STORE_MARKET_H
#define BL_STORE_MARKET_H

#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/store.h"

/* One merchant's coupons in one state ("paid", "owed") and currency: how many, how much
 * (minor units). */
struct bl_market_coupons {
    int64_t merchant;
    const char *state, *currency;
    int64_t n, amount;
};

/* The coupons of every merchant organisation `market` governs, by merchant id, state and
 * currency (merchants without coupons have no row). */
int bl_store_market_coupons(struct bl_store *st, int64_t market, struct bl_arena *a,
                            struct bl_market_coupons **out, size_t *n,
                            struct bl_diag *d) BL_MUST_CHECK;

#endif
