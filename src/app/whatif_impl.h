/* whatif_impl.h - what the what-if use case's files share (internal to src/app). */
#ifndef BL_APP_WHATIF_IMPL_H
#define BL_APP_WHATIF_IMPL_H

#include "app/whatif.h"

/* One call's working set; everything lives in res->arena. */
struct bl__wi_app {
    struct bl_store *st;
    int64_t org;
    struct bl_app_whatif_res *res;
    const struct bl_app_whatif_req *req;
    int32_t *shop_prof;
    int64_t *balance;
    char (*shop_cur)[4];
    bool *had;
    struct bl_rp_input rp;
    struct bl_pb_input pb;
    int64_t *price; /* per SKU of the stock day, -1: none */
    char (*price_cur)[4];
    int64_t *promo;        /* per SKU: a promoted SKU's promotion spend a day, in price_cur (its
                              currency); -1: not promoted, or no spend or price known */
    const char **category; /* per SKU, NULL: none */
    struct bl_assess_disruption *hyp;
    size_t nhyp;
    struct bl_rp_disruption *rp_hyp;
    size_t nrp_hyp;
    struct bl_wi_demand *demand;
    size_t ndemand;
    struct bl_wi_lead *lead;
    size_t nlead;
    struct bl_wi_price *prices; /* channel_price events, and each one's event index */
    size_t nprices, *price_ev;
    int64_t **price_extra; /* per price event, per order: what it adds (whatif_freight.c) */
    int64_t *freight;      /* per order: its freight, -1 not priced; NULL: no catalogue */
    int64_t *weight;       /* per order: its weight in grams when priced, else -1 */
    int32_t *sla_days;     /* per channel of the snapshot */
    char (*ch_cur)[4];     /* per channel: its rates' currency */
    uint8_t *lang;         /* per order of the snapshot: index into langs */
    char (*langs)[16];     /* BCP 47 tags; 0: "und" (unknown) */
    size_t nlangs;
    struct bl_wi_reroute *approved; /* the approved reroutes (res->approved's), by action id */
    size_t napproved;
};

/* Each SKU's name, price, promotion spend and category (whatif_resolve.c). */
int bl__wi_catalog(struct bl__wi_app *x, struct bl_diag *d) BL_MUST_CHECK;
/* Each order's buyer language and each event's place in words (whatif_words.c). */
int bl__wi_words(struct bl__wi_app *x, struct bl_diag *d) BL_MUST_CHECK;
/* Each order's freight, each channel's SLA days and currency, what the price changes add
 * (whatif_freight.c): the orders placed after since. */
int bl__wi_freight(struct bl__wi_app *x, int64_t since, struct bl_diag *d) BL_MUST_CHECK;
/* The approved reroutes the horizon overlaps whose shop and channels the snapshot has
 * (whatif_approved.c): res->approved and x->approved, the engine's first reroutes. */
int bl__wi_approved(struct bl__wi_app *x, struct bl_diag *d) BL_MUST_CHECK;
/* The assumptions against the snapshots: problem and line set on an unknown name. */
int bl__wi_resolve(struct bl__wi_app *x, struct bl_diag *d) BL_MUST_CHECK;

#endif
