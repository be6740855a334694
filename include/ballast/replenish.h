/* replenish.h - stock runway, reorder plans and stock alerts (pure: no I/O, no clock).
 *
 * Input is plain arrays: per SKU a daily demand (mean and one-day sigma, from the
 * forecaster in forecast.h or given by the caller), stock per warehouse, open
 * purchase orders with their ETA day and the SKU's primary supplier; the
 * suppliers (usual and worst lead time, MOQ, case pack, state, which supplier
 * each can back up) and the disruptions (region, scope, optional supplier, window).
 * Days are day numbers as in time.h; as_of is the planning day.
 *
 * Equations (docs/internals/replenish.md):
 *   available    A  = sum over warehouses of max(on_hand - reserved, 0)
 *   position     IP = A + open inbound quantity
 *   stock-out    first day t >= as_of with A + arrivals by t < d * (t - as_of + 1)
 *   lead time    L  = days from as_of until the supplier has worked lead_days days
 *                     outside its disruptions (a shutdown or lockdown lengthens it;
 *                     an open-ended one, a closed supplier, or a shutdown state with
 *                     no dated disruption means it cannot deliver)
 *   sigma_L         = (lead_days_max - lead_days) / 2
 *   safety stock SS = z * sqrt(L * sigma_d^2 + d^2 * sigma_L^2)   (service level)
 *                  or sqrt(q^2 * L / D + z^2 * d^2 * sigma_L^2)   (forecast quantile: q =
 *                     the forecast's lead-time quantile minus its mean over D days)
 *                  or d * ss_days                                 (days of cover)
 *   reorder point   ROP = d * L + SS
 *   order-up-to     S   = max(d * (L + keep_days), ROP)
 *   order quantity  when IP < ROP: ceil(S - IP), at least moq, rounded up to case pack
 *   order-by day    min(day IP reaches ROP, stock-out day - L), never before as_of
 *
 * The seed policy "keep 30 days of sales, reorder when cover falls below 15 days
 * plus the lead time" is ss_mode = BL_RP_SS_DAYS, ss_days = 15, keep_days = 30:
 * ROP = d * (L + 15), S = d * (L + 30). It is the default (bl_rp_policy_init).
 *
 * Memory: bl_rp_plan allocates the outputs (and per-warehouse lines) from the
 * caller's arena; nothing else is kept. Inputs are borrowed for the call only.
 */
#ifndef BALLAST_REPLENISH_H
#define BALLAST_REPLENISH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/err.h"

#define BL_RP_NEVER INT64_MAX /* a day that never comes (no stock-out, cannot deliver) */
#define BL_RP_MAX_HORIZON 3660
/* Days (as_of, disruption and ETA days) lie within +-BL_RP_MAX_DAY of 1970-01-01 (about
 * 270,000 years), or are BL_RP_NEVER where that is allowed: day arithmetic never wraps. */
#define BL_RP_MAX_DAY INT64_C(100000000)

/* SERVICE: z and sigma_d; QUANTILE: the SKU's lt_excess/lt_days (service formula when
 * a SKU has none); DAYS: ss_days of demand. */
enum bl_rp_ss_mode { BL_RP_SS_SERVICE = 0, BL_RP_SS_DAYS, BL_RP_SS_QUANTILE };

struct bl_rp_policy {
    enum bl_rp_ss_mode ss_mode;
    double z;              /* service/quantile: standard normal quantile (1.645 = 95%) */
    double ss_days;        /* days mode: safety stock in days of demand */
    double keep_days;      /* order up to this many days of demand beyond the lead time */
    double low_days;       /* low-stock alert when cover A / d is below this */
    int64_t low_units;     /* ... or when A <= this (0 = off) */
    int64_t alert_days;    /* stock-out alert when the stock-out day is within this */
    int64_t stocking_days; /* stocking reminder: no inbound arriving within this */
    int64_t horizon;       /* days simulated; a later stock-out is BL_RP_NEVER */
    int64_t overdue_days;  /* an open PO past its ETA counts as arriving on as_of while it
                              is at most this many days late; later it is not counted
                              (bl_rp_inbound_counted; docs/metrics.md "Overdue purchase
                              orders") */
};

/* The seed policy: days mode, ss 15, keep 30, z 1.645, low 7 days, low_units 0,
 * alert 30 days, stocking 14 days, horizon 365, overdue 14 days. */
void bl_rp_policy_init(struct bl_rp_policy *p);

/* z for a cycle service level in (0.5, 0.9999]: the standard normal quantile. */
int bl_rp_z_for_service(double level, double *z, struct bl_diag *d) BL_MUST_CHECK;

enum bl_rp_sup_state { BL_RP_SUP_ACTIVE = 0, BL_RP_SUP_SHUTDOWN, BL_RP_SUP_CLOSED };

struct bl_rp_supplier {
    const char *region; /* canonical region code, borrowed */
    int64_t lead_days, lead_days_max, moq, case_pack;
    enum bl_rp_sup_state state;
    ptrdiff_t backup_for; /* index of the supplier this one can replace, or -1 */
    const char *id;       /* the supplier's own id, borrowed: errors name it */
};

enum bl_rp_scope { BL_RP_ORIGIN = 0, BL_RP_DESTINATION, BL_RP_BOTH };

struct bl_rp_disruption {
    const char *region; /* canonical region code, borrowed */
    enum bl_rp_scope scope;
    ptrdiff_t supplier; /* only this supplier (index), or -1 for every one in region */
    bool channel_only;  /* about one logistics channel: not a supply disruption */
    int64_t start_day;  /* first disrupted day */
    int64_t end_day;    /* first day after it, or BL_RP_NEVER (until further notice) */
};

struct bl_rp_stock {
    size_t warehouse; /* caller's warehouse index */
    int64_t on_hand, reserved;
};

struct bl_rp_inbound {
    size_t warehouse;
    int64_t qty;
    int64_t eta_day; /* an ETA before as_of (overdue) counts as arriving on as_of, while
                        it is at most policy.overdue_days late; later it is not counted */
};

/* Whether an open PO due on eta_day counts on as_of: not overdue, or at most
 * p->overdue_days late. */
bool bl_rp_inbound_counted(const struct bl_rp_policy *p, int64_t as_of, int64_t eta_day);

/* One of a SKU's suppliers (sku_suppliers.csv), in rank order: the first is the
 * primary, the others its backups. unit_cost and currency are carried for the caller. */
struct bl_rp_source {
    ptrdiff_t supplier; /* index */
    int64_t moq;        /* minimum order for this SKU; 0: the supplier's */
    int64_t unit_cost;  /* minor units of currency; -1 unknown */
    char currency[4];
};

struct bl_rp_sku {
    double daily_mean;  /* d >= 0 */
    double daily_sigma; /* one-day demand standard deviation >= 0 */
    const struct bl_rp_stock *stock;
    size_t nstock;
    const struct bl_rp_inbound *inbound; /* open POs only */
    size_t ninbound;
    ptrdiff_t supplier; /* primary supplier index, or -1 (used when nsources is 0: then
                         * a supplier whose backup_for is it may replace it) */
    bool price_review_passed;
    /* optional, for BL_RP_SS_QUANTILE: a lead-time demand quantile minus the mean, over
     * lt_days days (forecast.h: lt_p95 - lt_mean with lead_time = lt_days); 0 = none */
    double lt_excess;
    double lt_days;
    const struct bl_rp_source *sources; /* the SKU's own suppliers, primary first */
    size_t nsources;
    const char *id; /* the SKU's own id, borrowed: errors name it */
};

struct bl_rp_input {
    int64_t as_of;
    struct bl_rp_policy policy;
    const struct bl_rp_supplier *suppliers;
    size_t nsuppliers;
    const struct bl_rp_disruption *disruptions;
    size_t ndisruptions;
    const struct bl_rp_sku *skus;
    size_t nskus;
};

/* Why the primary supplier cannot deliver before the stock-out (or at all). */
enum bl_rp_block {
    BL_RP_BLOCK_NONE = 0,   /* it can, in time */
    BL_RP_BLOCK_NO_SUPPLIER, /* the SKU has no supplier */
    BL_RP_BLOCK_CLOSED,     /* state closed */
    BL_RP_BLOCK_SHUTDOWN,   /* state shutdown and no dated disruption says until when */
    BL_RP_BLOCK_DISRUPTED,  /* inside a disruption: open-ended (never) or dated (late) */
    BL_RP_BLOCK_LEAD_TIME,  /* its usual lead time alone ends after the stock-out */
};

/* Alert bits of a plan. */
#define BL_RP_ALERT_LOW 1u      /* cover below low_days (or A <= low_units) */
#define BL_RP_ALERT_STOCKOUT 2u /* stock-out within alert_days */
#define BL_RP_ALERT_STOCKING 4u /* price review passed, no stock, no inbound soon */
#define BL_RP_ALERT_REORDER 8u  /* inventory position below the reorder point */
#define BL_RP_ALERT_OVERDUE 16u /* an open PO is past its ETA (counted or no longer) */

struct bl_rp_wh_line {
    size_t warehouse;
    int64_t available, inbound;
    double days_cover;    /* available / (d / nwarehouses); HUGE_VAL when d = 0 */
    int64_t stockout_day; /* with this warehouse's own arrivals */
};

struct bl_rp_plan {
    int64_t on_hand, reserved, available, inbound, position;
    double daily_mean, daily_sigma;
    double days_cover;    /* A / d (on hand only); HUGE_VAL when d = 0 */
    int64_t stockout_day; /* with inbound at its ETA; BL_RP_NEVER within horizon */
    double lead_days;     /* L of the chosen supplier, disruptions included */
    double safety_stock, reorder_point, order_up_to;
    int64_t order_qty;    /* > 0 only when reorder_now */
    int64_t order_by_day; /* BL_RP_NEVER when d = 0 */
    bool reorder_now;
    ptrdiff_t supplier;          /* proposed supplier, -1 when none can deliver */
    bool backup;                 /* the proposed supplier is a backup of the primary */
    int64_t primary_arrival_day; /* as_of + L of the primary, BL_RP_NEVER if it cannot */
    int64_t arrival_day;         /* of an order placed today with the proposed supplier */
    int64_t restock_day;         /* first arrival (inbound or an order placed today) after the
                                  * stock-out; with nothing available and no demand, the first */
    bool stockout_unavoidable;   /* a stock-out comes before any order placed today arrives */
    ptrdiff_t primary;           /* the SKU's primary supplier (its first source), or -1 */
    enum bl_rp_block block;      /* why the primary cannot deliver in time */
    ptrdiff_t block_dis;         /* BL_RP_BLOCK_DISRUPTED: the disruption (index), else -1 */
    size_t nbackups;             /* backups the SKU has (its other sources, or suppliers
                                  * whose backup_for is the primary) */
    int64_t moq;                 /* the minimum order applied (0 when nothing to order) */
    ptrdiff_t source;            /* index in the SKU's sources of the proposed supplier, -1 */
    unsigned alerts;             /* BL_RP_ALERT_* bits */
    struct bl_rp_wh_line *wh;    /* per warehouse, arena-owned */
    size_t nwh;
    int64_t overdue_late;        /* units of open POs past their ETA, counted as arriving
                                    on as_of (in inbound) */
    int64_t overdue_dropped;     /* units of open POs more than overdue_days late: not in
                                    inbound, position or arrivals */
};

/* Plans every SKU: out[nskus] (caller's array). Errors: BL_EINVAL (negative or
 * non-finite demand, bad supplier index, case pack or moq < 1, lead_days_max <
 * lead_days, horizon, policy days or a day out of range), BL_EOVERFLOW (a SKU's
 * quantities summed over its warehouses and inbound do not fit in 64 bits), BL_ENOMEM.
 * Every error about a SKU or a supplier names it by its id. */
int bl_rp_plan(const struct bl_rp_input *in, struct bl_arena *a, struct bl_rp_plan *out,
               struct bl_diag *d) BL_MUST_CHECK;

/* Day an order placed on as_of with supplier s arrives (its lead time counted on
 * days outside the disruptions that affect it); BL_RP_NEVER if it cannot deliver. */
int64_t bl_rp_arrival(const struct bl_rp_input *in, size_t s);

/* The disruption (index) that keeps supplier s from delivering by as_of + its lead
 * time: one affecting it that is open-ended and under way, else the first that overlaps
 * [as_of, arrival); -1 when none. */
ptrdiff_t bl_rp_blocker(const struct bl_rp_input *in, size_t s, int64_t arrival);

/* Whether disruption x affects supplier s (its region or itself, scope not
 * destination-only, not channel-only). */
bool bl_rp_affects(const struct bl_rp_input *in, const struct bl_rp_disruption *x, size_t s);

#endif
