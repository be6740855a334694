/* compensate.h - compensation use cases (docs/internals/app.md, assess.md):
 *
 *   bl_app_compensate  coupons for counted late shipments, paid from the shop's deposit
 *                      (a ledger entry each) or owed (an alert each); once per order,
 *                      however often it runs and whatever the as-of;
 *   bl_app_coupons     the coupons issued;
 *   bl_app_ledger      a shop's deposit ledger and balance.
 *
 * The sentences stored with a coupon (coupon.reason, ledger.note) and an alert
 * (alert.message) are English and part of the stored data: bl_app_coupon_note and
 * bl_app_deposit_alert_note make them, here and only here; a front end renders res's
 * codes in its own words (or calls these for the English ones).
 *
 * Ownership: as in assess.h: req borrowed, res filled from its arena, freed with
 * the use case's _res_release (safe on a zeroed or partly filled res).
 */
#ifndef BL_APP_COMPENSATE_H
#define BL_APP_COMPENSATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/assess.h"
#include "ballast/compensate.h"

struct bl_app_compensate_req {
    int64_t as_of;
    const char *profile;      /* NULL: every profile the shops use, each shop under its own */
    const char *shop;         /* a shop's external id: only it; NULL: see all_shops */
    bool all_shops;           /* with profile: every shop, not only those whose profile it is */
    bool dry_run;             /* compute, store nothing */
    int64_t cycle_id;         /* 0: outside a cycle */
    int64_t now;              /* ledger and alert times; 0: the clock */
    struct bl_snapshot *snap; /* borrowed (bl_app_assess_load); NULL: loaded here */
};

/* Why the coupon is due. */
enum bl_app_coupon_reason {
    BL_APP_COUPON_LATE_SHIPPED = 0, /* shipped after the promised ship-by */
    BL_APP_COUPON_NOT_SHIPPED,      /* not shipped by the as-of */
};

struct bl_app_coupon {
    int64_t shop_id, order_id;
    const char *shop, *order, *profile; /* external ids, the profile's name */
    int64_t amount;                     /* minor units of currency */
    char currency[4];                   /* the order's */
    enum bl_coupon_state state;         /* paid, or owed and why */
    int64_t balance_after;              /* the deposit after it, in shop_currency */
    char shop_currency[4];
    enum bl_app_coupon_reason reason;
    int64_t ship_by, shipped; /* shipped: BL_NO_TIME when not shipped by the as-of */
    int64_t order_amount;     /* what the coupon is a share of, in currency */
    int64_t comp_bp;          /* the share, in basis points */
};

struct bl_app_compensate_res {
    int64_t as_of;
    struct bl_app_coupon *coupons; /* new this run, in the order they were paid */
    size_t n;
    size_t already; /* orders late and counted in scope that had their coupon already */
    size_t ledger_added, alerts_added; /* rows written (0 on a dry run) */
    enum bl_app_assess_problem problem;
    struct bl_arena arena;
};

int bl_app_compensate(struct bl_store *st, int64_t org, const struct bl_app_compensate_req *req,
                      struct bl_app_compensate_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_compensate_res_release(struct bl_app_compensate_res *res);

/* The stored English sentences: coupon.reason and ledger.note ("late shipment: promised
 * by ..."), alert.message ("shop S: deposit ... cannot cover ..."). */
void bl_app_coupon_note(const struct bl_app_coupon *c, int64_t as_of, char *out, size_t cap);
void bl_app_deposit_alert_note(const struct bl_app_coupon *c, char *out, size_t cap);

/* Minor units as decimal text in the currency's exponent ("12.50"); plain digits for an
 * unknown currency's failure. */
void bl_app_money_text(int64_t v, const char *currency, char *out, size_t cap);

/* ---- coupons ------------------------------------------------------------------------ */

struct bl_app_coupons_req {
    const char *shop;  /* external id; NULL: every shop */
    const char *state; /* "paid" or "owed"; NULL: both (only with limit) */
    int64_t after;     /* a page: ids after this one (0: from the first) ... */
    int64_t limit;     /* ... at most this many, cut in the store; 0: every coupon */
};

struct bl_app_coupon_listed {
    int64_t id; /* the coupon's */
    const char *shop, *order, *reason, *profile; /* reason: the stored sentence */
    int64_t amount;
    char currency[4];
    bool paid; /* else owed */
    int64_t issued_at;
};

struct bl_app_coupons_res {
    struct bl_app_coupon_listed *coupons; /* by id */
    size_t n;
    struct bl_arena arena;
};

int bl_app_coupons(struct bl_store *st, int64_t org, const struct bl_app_coupons_req *req,
                   struct bl_app_coupons_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_coupons_res_release(struct bl_app_coupons_res *res);

/* ---- ledger ------------------------------------------------------------------------- */

struct bl_app_ledger_req {
    const char *shop; /* external id, required */
    int64_t after;    /* a page: ids after this one (0: from the first) ... */
    int64_t limit;    /* ... at most this many, cut in the store; 0: every entry */
};

struct bl_app_ledger_entry {
    int64_t id;
    const char *kind; /* coupon | sla_waiver | topup */
    int64_t amount;   /* a debit is negative */
    char currency[4];
    int64_t balance; /* its account's balance after it, in its own currency: the deposit
                      * (coupon, topup) or the freight waivers due (sla_waiver) */
    const char *ref, *note;
    int64_t as_of;
};

struct bl_app_ledger_res {
    int64_t shop_id;
    int64_t deposit; /* the opening deposit (shops.csv) */
    char currency[4];
    struct bl_app_ledger_entry *entries; /* by id: every entry, or the page asked */
    size_t n;
    int64_t balance;                    /* the deposit's balance after the entries, in
                                         * currency (balances per currency: money.h) */
    enum bl_app_assess_problem problem; /* BL_APP_ASSESS_UNKNOWN_SHOP */
    struct bl_arena arena;
};

int bl_app_ledger(struct bl_store *st, int64_t org, const struct bl_app_ledger_req *req,
                  struct bl_app_ledger_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_ledger_res_release(struct bl_app_ledger_res *res);

#endif
