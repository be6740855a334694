/* whatif_mitigate.h - `ballast whatif --mitigate` (issue 20, docs/whatif.md "The cheapest
 * way through", docs/internals/mitigate.md): after the what-if's run, the problems it
 * found (stock-outs the events bring, orders they make late), the levers the organisation
 * has (backup suppliers, stock in other warehouses, longer handling times, reroutes, a
 * promoted SKU's promotion paused: its spend a day, skus.promo_spend), the plans
 * mitigate.h searches, each measured by running the what-if again with its steps.
 *
 * Amounts are minor units of `currency` (the organisation's; without one, the currency
 * of the first amount met, and amounts in others are left out and counted in no_rate).
 * Days are day numbers. Steps carry names (the SKU's, the warehouse's, the supplier's,
 * the shop's, the carrier's), never store ids.
 *
 * Ownership: struct bl_app_mg_res owns everything (its arena); free with
 * bl_app_mg_res_release, safe on a zeroed struct.
 */
#ifndef BL_APP_WHATIF_MITIGATE_H
#define BL_APP_WHATIF_MITIGATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/mitigate.h"

struct bl_app_mg_step {
    enum bl_mg_kind kind;
    const char *sku, *sku_name;      /* stock-out steps: the SKU short; NULL for the others */
    const char *warehouse;           /* the warehouse short (stock-out steps) */
    const char *source;              /* backup_supplier: the supplier's name; transfer: the
                                        warehouse the units come from; reroute: the channel
                                        the orders go by (its carrier and mode in words) */
    const char *shop, *carrier;      /* late steps: the shop; reroute: the channel the events
                                        suspend, by name (NULL: none named) */
    const char *place_en, *place_zh; /* extend_handling: where the listings ship from, in
                                        words ("the area around Yiwu"); NULL: anywhere */
    const char *source_zh, *carrier_zh;    /* reroute: the two channels' names in Chinese */
    const char *from_channel, *to_channel; /* reroute: the channels' own ids, for --apply */
    const char *shop_ext;                  /* late steps: the shop's own id, for --apply */
    int64_t until_day;                     /* reroute: the suspension's last day (it may be
                                              after the horizon's); pause_promotion: the
                                              last day paused (the horizon's) */
    int64_t promo_day;                     /* pause_promotion: the spend a day it saves */
    int64_t sku_id, warehouse_id, source_id, shop_id; /* store ids (0: none), for --apply */
    int64_t by_day, ready_day;
    int64_t units; /* bought, moved or rerouted orders (every held order the step moves) */
    int64_t days;  /* extend_handling: days added; pause_promotion: days paused */
    int64_t cost, saving;
    /* reroute kept for a rating (a shop whose rule pays no coupon: saving 0): its late
     * shipment rate over rate_days with the step and without it, the target it stays
     * under (fractions: 0.04 = 4%) */
    bool rating;
    double rate_kept, rate_left, rate_target;
    int rate_days;
};

struct bl_app_mg_plan {
    enum bl_mg_plan_kind kind;
    struct bl_app_mg_step *steps;
    size_t nsteps;
    int64_t spend, left, total, saving;
    bool measured;
    size_t ratings_kept; /* shops whose late shipment rate a step keeps under the target */
};

/* A reroute a person approved, which the runs follow as the router binds it (so no reroute
 * of the shop's orders on that channel is proposed again): names in en and zh-CN. */
struct bl_app_mg_approved {
    int64_t action;
    const char *shop, *from, *to, *from_zh, *to_zh;
    int64_t first_day, last_day;
};

struct bl_app_mg_res {
    char currency[4];
    int exponent;
    int64_t baseline;                 /* what doing nothing costs */
    int64_t stockout_cost, late_cost; /* of it: lost margin, coupons */
    int64_t promo_cost;               /* ... and promotion spend on days out of stock */
    int64_t units_short, late_orders; /* what the events add: units short, orders late to
                                         ship in shops whose rule owes them a coupon (with
                                         the events undeclared: the what-if's money line) */
    int64_t late_unpaid;              /* orders the events make late whose shop's rule pays
                                         no coupon (Amazon's): their harm is the rating's */
    int64_t late_unrated;             /* ... of shops with no rule profile: not valued */
    struct bl_app_mg_plan *plans;     /* ranked: the cheapest first */
    size_t nplans;
    size_t nproblems, nlevers;
    size_t runs;           /* what-if runs the measures took */
    size_t cost_unknown;   /* stock-outs of SKUs without a unit cost: margin = price */
    size_t no_rate;        /* amounts left out: no rate to the currency */
    int64_t handling_days; /* the longest handling time the playbook may set */
    const char *held_region; /* the region code the events shut at the origin, which the
                                extend_handling steps are for (NULL: none) */
    const struct bl_app_mg_approved *approved; /* the what-if's approved reroutes */
    size_t napproved;
    double secs;
    struct bl_arena arena;
};

void bl_app_mg_res_release(struct bl_app_mg_res *r);

/* The plans as data (whatif_mitigate_json.c): amounts as exact decimal text, days as ISO
 * dates, names; the caller owns the object (json_decref). NULL on ENOMEM. */
struct json_t;
struct json_t *bl_app_mg_json(const struct bl_app_mg_res *r);

/* The search on a what-if's loaded snapshot (internal to src/app: the what-if use case
 * calls it when asked to mitigate): in is the input it ran, r its result. */
struct bl__wi_app;
struct bl_wi_input;
struct bl_wi_result;
int bl__wi_mitigate(struct bl__wi_app *x, const struct bl_wi_input *in,
                    const struct bl_wi_result *r, struct bl_app_mg_res *out,
                    struct bl_diag *d) BL_MUST_CHECK;

#endif
