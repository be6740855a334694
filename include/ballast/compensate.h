/* compensate.h - coupons for late shipments, paid from the merchant's deposit.
 *
 * Pure. For as_of A and a profile, every order that is counted (due and not
 * exempt, see assess.h) and late as of A, whose promised ship-by is within the
 * profile's compensation days before A, and that was not compensated before,
 * gets one coupon: the profile's percentage of the order amount, clamped to the
 * profile's limits for the order's currency. The coupon is paid from the shop's
 * deposit when the deposit is in the order's currency and covers it; otherwise it
 * is still owed, with the reason (the shell raises an alert). Orders are taken in
 * the order given, so the same input gives the same coupons and balances.
 *
 * Ownership: the coupons are allocated from the caller's arena.
 */
#ifndef BALLAST_COMPENSATE_H
#define BALLAST_COMPENSATE_H

#include "ballast/assess.h"

enum bl_coupon_state { BL_COUPON_PAID = 0, BL_COUPON_OWED_SHORT, BL_COUPON_OWED_CURRENCY };

struct bl_coupon {
    size_t order;          /* index into the orders */
    int64_t amount;        /* minor units of the order's currency */
    int64_t order_amount;  /* what the coupon was computed from */
    enum bl_coupon_state state;
    int64_t balance_after; /* the shop's deposit after this coupon */
};

struct bl_comp_input {
    const struct bl_assess_ctx *ctx;
    const struct bl_assess_orders *orders;
    const struct bl_profile *profile;
    int64_t as_of;
    const int64_t *amount;         /* per order, minor units */
    const uint8_t *cur;            /* per order: index into currencies */
    const char (*currencies)[4];   /* ISO 4217 codes */
    const bool *done;              /* per order: compensated before (may be NULL) */
    const char (*shop_currency)[4]; /* per shop: the deposit's currency */
    int64_t *balance;              /* per shop, in/out: the deposit */
};

/* Fills *out with the new coupons (*n of them). BL_ENOMEM with d set. A profile
 * whose percentage is 0 pays nothing. */
int bl_compensate(const struct bl_comp_input *in, struct bl_arena *a, struct bl_coupon **out,
                  size_t *n, struct bl_diag *d) BL_MUST_CHECK;

#endif
