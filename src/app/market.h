/* market.h - a marketplace's view over its merchants at once (issue 17, the Marketplace
 * page): each merchant's coupons paid and still owed to buyers, per currency, in one read
 * (the page read every merchant's coupon list in turn); each merchant's shops rated as of
 * its last cycle, and its protections, with a version the API keeps the answer under.
 *
 * Ownership: res is the caller's, freed with bl_app_market_coupons_res_release (safe on a
 * zeroed or failed res); strings live in res->arena. */
#ifndef BL_APP_MARKET_H
#define BL_APP_MARKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/assess.h"
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

/* ---- the merchants' standing (GET /api/v1/merchants) ---- */

/* A shop of a merchant as its marketplace rates it. */
struct bl_app_market_shop {
    const char *shop, *profile;
    double score;       /* NaN: no data */
    const char *rating; /* NULL: none */
    int64_t exempt;     /* the orders a rule exempted (the most any rule did) */
};

struct bl_app_market_protection {
    const char *shop, *reason; /* NULL: every shop; no reason */
    int64_t from, to;
};

struct bl_app_market_row {
    int64_t org;
    const char *name;
    int64_t gen;   /* its data generation (bl_app_data_gen) */
    int64_t as_of; /* rated as of: its last cycle's as-of, else the minute of now */
    bool has_cycle;
    bool assessed; /* false: it could not be assessed (shops: none) */
    struct bl_app_market_shop *shops;
    size_t nshops;
    bool protections_known;
    struct bl_app_market_protection *prot; /* not ended by as_of */
    size_t nprot;
};

struct bl_app_market_merchants_res {
    struct bl_app_market_row *rows; /* every merchant governed, by name */
    size_t n;
    int64_t gen;      /* the merchants' generations summed; -1: one could not be read */
    uint64_t version; /* a hash of (org, name, generation, as-of) of every merchant: the
                       * answer is the same while it is (and the profile files are) */
    struct bl_app_merchants_res m;
    struct bl_arena arena;
};

/* Every shop of organisation org assessed as of as_of (a dry run of bl_app_assess): the
 * caller's kept one, released by done after its rows are copied. */
typedef int (*bl_app_market_assess_fn)(void *ctx, int64_t org, int64_t as_of,
                                       const struct bl_app_assess_res **as, struct bl_diag *d);
typedef void (*bl_app_market_done_fn)(void *ctx);

/* The merchants org governs, each with its generation and the as-of it is rated at, and
 * the version of the whole (cheap: no assessment). now: 0, the clock. */
int bl_app_market_merchants_open(struct bl_store *st, int64_t org, int64_t now,
                                 struct bl_app_market_merchants_res *res,
                                 struct bl_diag *d) BL_MUST_CHECK;
/* Then each merchant's shops (through assess_fn, or bl_app_assess when NULL) and its
 * protections. A merchant that cannot be assessed is `assessed` false, not a failure. */
int bl_app_market_merchants_rate(struct bl_store *st, struct bl_app_market_merchants_res *res,
                                 bl_app_market_assess_fn assess_fn, bl_app_market_done_fn done,
                                 void *ctx, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_market_merchants_release(struct bl_app_market_merchants_res *res);

#endif
