/* whatif_mitigate_impl.h - what the files of `whatif --mitigate` share (internal to
 * src/app): one call's working set, everything in out->arena or freed at its end. */
#ifndef BL_APP_WHATIF_MITIGATE_IMPL_H
#define BL_APP_WHATIF_MITIGATE_IMPL_H

#include "app/logistics.h"
#include "app/money.h"
#include "app/whatif_impl.h"
#include "app/whatif_mitigate.h"
#include "store/names.h"

#define BL__MG_NCUR 16 /* currencies converted in one call */

/* A reroute lever's own numbers (whatif_mitigate_reroute.c). */
struct bl__mg_rr {
    size_t lever;  /* its index in l */
    int32_t from;  /* the snapshot's channel the events suspend (the lever's target is the
                      one the orders go by instead) */
    int64_t held;  /* the shop's orders the events hold on it: each one rerouted */
    int64_t diff;  /* the freight over the usual an order, in out->currency */
    int64_t until; /* the suspension's end (an instant) */
};

struct bl__mg {
    struct bl__wi_app *x;
    const struct bl_wi_input *in;
    const struct bl_wi_result *r;
    struct bl_app_mg_res *out;
    struct bl_diag *d;
    struct bl_app_fx fx;
    char cur[BL__MG_NCUR][4]; /* conversions: 10^12 minor units of cur[i] are factor[i] */
    int64_t factor[BL__MG_NCUR];
    size_t ncur;
    int64_t day0, until_day; /* the stock day and the horizon's end (day numbers) */
    int64_t *margin;         /* per SKU, in out->currency; -1 unknown */
    bool *no_cost;           /* per SKU: no unit cost known, the margin is the price */
    int64_t *late_base;      /* per shop: what its late orders are owed without the events
                                (bl__mg_late_value), in out->currency */
    int64_t days_late;       /* the longest the hypothetical events hold a shipment */
    uint32_t held_region;    /* the region that event shuts at the origin (0: none) */
    struct bl_mg_problem *p; /* problems; per problem what the base run has that is not the
                                events' doing (stock-out: units short; late: the coupons
                                owed, late_base), and its exact cost left alone */
    int64_t *p_base, *p_cost;
    size_t np, pcap;
    struct bl_mg_lever *l;
    size_t nl, lcap;
    struct bl__mg_rr *rr; /* the reroute levers' numbers */
    size_t nrr, rrcap;
    struct bl_rp_input hyp; /* the stock input with the events' disruptions */
    struct bl_app_logistics cat;
    bool cat_open;
    struct bl_store_name *shops, *skus;
    size_t nshops, nskus;
};

/* Amount in cur into m->out->currency (*out); BL_ENOTFOUND (counted in no_rate, d left
 * alone) when there is no rate. */
int bl__mg_conv(struct bl__mg *m, int64_t amount, const char *cur, int64_t *out) BL_MUST_CHECK;

/* What shop s's late orders are owed in run r (its coupons by its profile's rule, bare:
 * with the events undeclared, else without them), in out->currency (whatif_mitigate.c):
 * the one valuation of late orders, the what-if's money line's per shop. *unpriced (may
 * be NULL): the events change an amount in a currency without a rate (left out). */
int64_t bl__mg_late_value(struct bl__mg *m, const struct bl_wi_result *r, uint32_t s, bool bare,
                          bool *unpriced);

/* The problems and levers (whatif_mitigate.c). */
int bl__mg_problems(struct bl__mg *m) BL_MUST_CHECK;
int bl__mg_levers(struct bl__mg *m) BL_MUST_CHECK;
/* Adds lever l (whatif_mitigate_move.c). */
int bl__mg_add_lever(struct bl__mg *m, const struct bl_mg_lever *l) BL_MUST_CHECK;
/* The reroute lever of late problem q, when the events hold the shop's orders on a
 * channel they suspend alone and a running one serves its lanes (whatif_mitigate_reroute.c);
 * the lever's numbers by its index (NULL: not a reroute). */
int bl__mg_reroute(struct bl__mg *m, size_t q) BL_MUST_CHECK;
const struct bl__mg_rr *bl__mg_rr_of(const struct bl__mg *m, size_t lever);
/* Shop's reroute, when the events hold its orders on a channel they suspend alone, no
 * approved reroute covers it, and a running channel serves its lanes: *out (lever 0) and
 * the backup *to; 1 found, 0 none, or a negative bl_err. */
int bl__mg_backup(struct bl__mg *m, uint32_t shop, struct bl__mg_rr *out,
                  int32_t *to) BL_MUST_CHECK;
/* Shop s's reroute from snapshot channel `from` to `to`, in names (the shop's, the channels'
 * in en and zh-CN, their ids), into step s (whatif_mitigate_name.c). */
void bl__mg_name_reroute(struct bl__mg *m, uint32_t shop, int32_t from, int32_t to,
                         struct bl_app_mg_step *s);
/* Ratings that money does not see (whatif_mitigate_rating.c): a reroute that keeps a
 * shop's late shipment rate under its marketplace's target, measured, added to the plans
 * with logistics levers, which are ranked again (ratings kept first). */
int bl__mg_ratings(struct bl__mg *m) BL_MUST_CHECK;
/* A stock-out's promotion spend on its days still short when the run leaves `units` of its
 * units short (the days in that share of its days, rounded up, as the estimate counts them;
 * whatif_mitigate_run.c). */
int64_t bl__mg_promo_left(const struct bl_mg_problem *p, int64_t units);
/* The measure (mitigate.h): the what-if again with the steps (whatif_mitigate_run.c). */
int bl__mg_measure(void *ctx, const struct bl_mg_step *steps, size_t nsteps, int64_t *left,
                   struct bl_diag *d);
/* The engine's plans with names (whatif_mitigate_run.c). */
int bl__mg_name(struct bl__mg *m, const struct bl_mg_result *r) BL_MUST_CHECK;

#endif
