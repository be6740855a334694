/* whatif.h - a disruption's cost before it happens (issue 20, docs/whatif.md).
 *
 * Three parts, each with its owner:
 *
 *   the assumptions   hypothetical events as a person writes them (the assumption file,
 *                     docs/formats.md "What-if assumptions"): parsed by
 *                     bl_wi_assume_parse (src/io/formats/whatif.c) into struct
 *                     bl_wi_assume, names and instants only;
 *   the input         the same events resolved against one loaded snapshot (indexes into
 *                     the orders snapshot, snapshot.h, and the stock snapshot,
 *                     replenish.h), with the profiles: struct bl_wi_input, filled by the
 *                     use case (src/app/whatif.c) and borrowed by the engine;
 *   the result        struct bl_wi_result: what the horizon looks like without the events
 *                     ([BL_WI_BASE]) and with them ([BL_WI_WITH]), computed by the pure
 *                     pass bl_wi_run (src/engine/whatif.c). The mitigation search
 *                     (--mitigate) reads it; its layout is stable.
 *
 * Every pair `x[2]` is indexed BL_WI_BASE (the snapshot as it is) and BL_WI_WITH (the
 * snapshot with the assumptions: their delays, and the exemptions a declared disruption
 * brings); a rating also has `bare` (the delays without the exemptions). Money is in minor units of
 * the currency named beside it (never summed across currencies); instants are UTC epoch seconds;
 * days are day numbers (time.h: days since 1970-01-01); percentages are basis points (10000 =
 * 100%).
 *
 * Ownership: struct bl_wi_assume owns its strings and events (an arena), freed with
 * bl_wi_assume_release. struct bl_wi_result owns everything it points to (its arena),
 * freed with bl_wi_result_release; indexes in it refer to the input's snapshots, which
 * the caller keeps to name them. Both releases are safe on a zeroed struct.
 */
#ifndef BALLAST_WHATIF_H
#define BALLAST_WHATIF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/assess.h"
#include "ballast/err.h"
#include "ballast/playbook.h"
#include "ballast/region.h"
#include "ballast/replenish.h"

#define BL_WI_BASE 0 /* without the assumptions */
#define BL_WI_WITH 1 /* with them */

#define BL_WI_EVENTS_MAX 1000  /* rows in one assumption file */
#define BL_WI_HORIZON_MAX 366  /* days */
#define BL_WI_PCT_MIN (-10000) /* -100%: demand or price falls to nothing */
#define BL_WI_PCT_MAX 1000000  /* +10000% */

/* ---- the assumptions, as written --------------------------------------------------- */

enum bl_wi_event_kind {
    BL_WI_DISRUPTION = 0,     /* a disruption as `disruption add` takes it */
    BL_WI_SUPPLIER_SHUTDOWN,  /* a supplier delivers nothing in [from, to) */
    BL_WI_LEAD_TIME,          /* a supplier's usual lead time becomes lead_days from `from` */
    BL_WI_CHANNEL_SUSPENSION, /* a logistics channel carries nothing from region in [from, to) */
    BL_WI_CHANNEL_PRICE,      /* a channel's freight changes in [from, to): by pct_bp, or
                                 its rate per started kilogram becomes per_kg */
    BL_WI_DEMAND,             /* a SKU's or a category's demand changes by pct_bp in [from, to) */
    BL_WI_NKINDS
};

/* "disruption", "supplier_shutdown", "lead_time", "channel_suspension", "channel_price",
 * "demand" (the file's `event` column), in enum order; NULL-terminated, static. */
extern const char *const bl_wi_event_names[];

struct bl_wi_event {
    enum bl_wi_event_kind kind;
    int64_t line;     /* the file's line (for messages) */
    int64_t from, to; /* [from, to), UTC epoch seconds; to = BL_DIS_OPEN_END: until
                         further notice (disruption.h) */
    /* disruption: region (canonical code), scope (enum bl_dis_scope), dis_kind (enum
     * bl_dis_kind); channel and supplier restrict it (NULL: none). channel_suspension:
     * region is where the channel stops carrying from (scope origin) */
    char region[BL_REGION_MAX];
    int scope, dis_kind;
    const char *channel;  /* ext id; channel_suspension, channel_price, or a disruption's */
    const char *supplier; /* ext id; supplier_shutdown, lead_time, or a disruption's */
    const char *sku;      /* demand: one SKU (ext id), or NULL with category */
    const char *category; /* demand: every SKU of the category, or NULL with sku */
    int64_t lead_days;    /* lead_time: the new usual lead time, days 0..365 */
    int64_t pct_bp;       /* channel_price, demand: the change, basis points (+4000: +40%) */
    int64_t per_kg;       /* channel_price: the new price per started kilogram above the
                             weight band's minimum, minor units of `currency`; -1: none
                             (the change is pct_bp) */
    char currency[4];     /* per_kg's ISO 4217 code, "" without per_kg */
    const char *note;     /* free text, NULL: none */
};

struct bl_wi_assume {
    struct bl_arena arena; /* the strings and the events */
    struct bl_wi_event *ev;
    size_t n;
};

/* Parses an assumption file (CSV, docs/formats.md); name is the file's name for
 * messages. Text without a UTC offset is read in tz (NULL: an offset or a bare date,
 * which is its UTC start, is required). Errors: BL_EPARSE, BL_ERANGE, BL_ETOOBIG,
 * BL_EUTF8, BL_ENOMEM, with d naming the file, the line and the column. On error out is
 * left zeroed. */
struct bl_tz;
int bl_wi_assume_parse(const char *text, size_t len, const char *name, const struct bl_tz *tz,
                       struct bl_wi_assume *out, struct bl_diag *d) BL_MUST_CHECK;
void bl_wi_assume_release(struct bl_wi_assume *a);

/* ---- the input, resolved against one snapshot -------------------------------------- */

/* A demand change on one SKU (index into the stock snapshot's SKUs). */
struct bl_wi_demand {
    size_t sku;
    int64_t pct_bp;
    int64_t from_day, to_day; /* [from_day, to_day) */
};

/* A lead-time change on one supplier (index into the stock snapshot's suppliers). */
struct bl_wi_lead {
    size_t supplier;
    int64_t lead_days;
    int64_t from_day;
};

/* A freight price change on one channel (index into the orders snapshot's channels):
 * the orders shipping on it in [from, to) pay extra[i] more (per order of the snapshot,
 * minor units of the channel's currency, ch_currency; negative for a fall;
 * BL_WI_NO_PRICE: not priced), as the use case quotes them (the percentage of the
 * order's freight, or its weight at the new rate less at the old). */
#define BL_WI_NO_PRICE INT64_MIN
struct bl_wi_price {
    int32_t channel;
    int64_t pct_bp;
    int64_t from, to;
    const int64_t *extra;
};

struct bl_wi_move {
    size_t sku, warehouse; /* the stock snapshot's indexes */
    int64_t qty;           /* units: > 0 arriving, < 0 leaving (no more than there is) */
    int64_t day;
};

struct bl_wi_reroute {
    uint32_t shop;
    int32_t channel, to; /* the orders snapshot's channel indexes */
    int64_t from, until; /* the open orders handed over in [from, until): an order's
                            hand-over is when it is placed, or A for one placed before (as
                            the router sees it); INT64_MIN, INT64_MAX: no bound */
};

struct bl_wi_handling {
    uint32_t shop;
    int32_t channel; /* -1: every channel */
    uint32_t region; /* only orders shipping from within it (a regions node; 0: any) */
    int64_t from;    /* orders placed at or after this instant */
    int64_t extra;   /* seconds added to the ship-by and the promised delivery */
};

struct bl_wi_input {
    int64_t as_of;   /* A, an instant (the end of the as-of day for a date) */
    int64_t horizon; /* D, days 0..BL_WI_HORIZON_MAX: the days A + 1 .. A + D are run */

    /* The shops' standing: the orders snapshot (bl_app_assess_load_profiles: orders up to
     * A + D), the profiles the shops use (shop_profile[s]: index into profiles, -1: none). */
    const struct bl_regions *regions;
    const struct bl_assess_orders *orders;
    const int64_t *amount;       /* per order, minor units of currencies[cur[i]] */
    const uint8_t *cur;          /* per order */
    const char (*currencies)[4]; /* ISO 4217 */
    size_t nshops;
    const char (*shop_currency)[4];         /* per shop: the deposit's currency */
    const int64_t *balance;                 /* per shop: the deposit's balance at A (minor units) */
    const struct bl_assess_disruption *dis; /* the store's disruptions */
    size_t ndis;
    const struct bl_assess_protection *prot;
    size_t nprot;
    const struct bl_profile *profiles;
    size_t nprofiles;
    const int32_t *shop_profile;
    const bool *compensated; /* per order: a coupon was issued before A (may be NULL) */
    size_t nchannels;
    const uint8_t *lang; /* per order: index into langs, the buyer's language
                            (NULL: every order "und") */
    const char (*langs)[16];

    /* The hypothetical events on the standing and the logistics: */
    const struct bl_assess_disruption *hyp; /* disruptions, supplier shutdowns resolved to
                                               supplier-only ones, channel suspensions to
                                               channel-only ones; ids are -(event line) */
    size_t nhyp;
    const struct bl_wi_price *prices;
    size_t nprices;
    /* Freight (NULL: not loaded; no waivers, no price changes): per order of the snapshot
     * its freight on its channel (minor units of ch_currency[channel], -1: not priced);
     * per channel the carrier's SLA days (0: none: a shipment not delivered within them
     * earns the shop a waiver of its freight, as `ballast sla` claims) and currency. */
    const int64_t *freight;
    const int32_t *sla_days;
    const char (*ch_currency)[4];

    /* Demand and stock: the stock snapshot's planning input at A's day (bl_rp_plan's,
     * forecasts filled in) and each SKU's unit price (minor units of price_cur[k], -1
     * unknown). NULL rp: the organisation keeps no stock (Olist): no stock-outs. */
    const struct bl_rp_input *rp;
    const int64_t *price;
    const char (*price_cur)[4];
    size_t nwh;
    const struct bl_rp_disruption *rp_hyp; /* the hypothetical events on supply */
    size_t nrp_hyp;
    const struct bl_wi_demand *demand;
    size_t ndemand;
    const struct bl_wi_lead *lead;
    size_t nlead;
    /* The playbook's input at A's day (bl_pb_run's: SKUs, shops, open actions, policy;
     * its plans and disruptions are the base run's). NULL: no playbook. */
    const struct bl_pb_input *pb;

    /* false (the default): nothing stamped after A is known, as in the cycle: the orders'
     * shipments, scans, deliveries and cancellations after A are dropped and simulated,
     * and the orders placed after A (the caller loads none) projected at each shop's rate.
     * true: the orders the snapshot holds up to A + D are taken as recorded (a past
     * disruption replayed: the exemptions are the only difference); events after the
     * latest order are simulated. */
    bool replay;

    /* A plan's steps (mitigate.h, `whatif --mitigate`), applied to both runs (a plan is
     * measured on the run with the events); NULL/0: none (whatif_plan.c):
     *   moves     units arriving (qty > 0) at or leaving (qty < 0) a warehouse on a day,
     *             whatever the events (a backup supplier's order, a transfer); sorted by
     *             SKU, then warehouse, then day;
     *   reroutes  a shop's open orders on one channel handed over in [from, until) ship on
     *             another (a plan's step; or a reroute a person approved, which the router
     *             binds: the app passes those first, to both runs, as the store's state);
     *   handling  a shop's orders on one channel (-1: every channel) shipping from a
     *             region, placed from an instant, get `extra` seconds more to ship (and
     *             to arrive).
     * lean: the standing per day (ratings' days in breach) is not computed: a plan's
     * measure reads only the orders, the money and the stock-outs. */
    const struct bl_wi_move *moves;
    size_t nmoves;
    const struct bl_wi_reroute *reroutes;
    size_t nreroutes;
    const struct bl_wi_handling *handling;
    size_t nhandling;
    bool lean;
};

/* ---- the result -------------------------------------------------------------------- */

/* The orders of one shop on one channel whose promise falls in the horizon. */
struct bl_wi_orders {
    uint32_t shop;           /* orders snapshot's shop index */
    int32_t channel;         /* channel index, -1: none */
    int64_t due;             /* orders whose ship-by is in (A, A + D] */
    int64_t held;            /* of them, orders a hypothetical event keeps from leaving
                                (origin disrupted, channel suspended) at their ship-by */
    int64_t late_ship[2];    /* not shipped by their ship-by (as of A + D) */
    int64_t late_deliver[2]; /* delivery due in the horizon and not delivered in time (its
                                promise; a simulated delivery at the shop's pace on the
                                channel) */
    /* Freight, in currency (the channel's; "" without a channel or freight): */
    char currency[4];
    int64_t waivers[2], nwaivers[2];  /* carrier SLA waivers: shipments simulated in the
                                         horizon whose SLA deadline (shipped + sla_days)
                                         passes in it undelivered; their freight */
    int64_t freight_extra, nrepriced; /* with the events: what the price changes add to
                                         the shipments in their windows */
};

/* A stock-out of one SKU in one warehouse within the horizon. */
struct bl_wi_stockout {
    size_t sku;               /* stock snapshot's SKU index */
    size_t warehouse;         /* stock snapshot's warehouse index */
    int64_t day[2];           /* first day with demand not met; BL_RP_NEVER: none in the horizon */
    int64_t units_short[2];   /* demand not met over the horizon, units */
    int64_t revenue_short[2]; /* units_short x the SKU's price, minor units of currency;
                                 -1: the SKU has no price */
    char currency[4];
};

/* One shop under one profile at A + D (the cycle's assess, with the carry-over). */
struct bl_wi_rating {
    uint32_t shop;              /* orders snapshot's shop index */
    size_t profile;             /* index into the input's profiles */
    struct bl_shop_counts k[2]; /* the counters over the profile's window */
    double score[2];            /* 0..100, NaN: none */
    char rating[2][16];         /* the band's label, "": none */
    uint32_t failing[2];        /* bit q: rule q is in breach (bl_assess_failing) */
    bool breach[2];             /* at or below the profile's breach band */
    int64_t days_breach[2];     /* days of the horizon the shop spent in breach */
    int band[2];                /* index of the rating's band in the profile (0: the
                                   best), -1: unrated */
    /* With the events but without the exemptions their declaration brings (they happen
     * and nobody declares them): set against [BL_WI_WITH], what the exemptions save. */
    struct bl_wi_bare {
        struct bl_shop_counts k;
        double score;
        char rating[16];
        uint32_t failing;
        bool breach;
        int64_t days_breach;
        int band;
    } bare;
    /* The rating harm: the rating falls with the events undeclared (bare's band is worse
     * than [BL_WI_BASE]'s), and whether declaring them saves it ([BL_WI_WITH]'s band is
     * no worse than [BL_WI_BASE]'s). */
    bool falls, saved;
};

/* Money of one currency over the horizon. Late orders are valued by each shop's profile
 * (compensate.h: its percentage of the order's amount, clamped to its limits, nothing for
 * an order its rule exempts or a profile that pays none), day by day as the cycle issues
 * them: [BL_WI_WITH] with the events declared (their exemptions), bare_* with them
 * happening undeclared (what lateness costs when nobody declares: the mitigation's
 * "doing nothing", whatif_mitigate.c, reads the same figures per shop). */
struct bl_wi_money {
    char currency[4];
    int64_t coupons[2], ncoupons[2];     /* coupons issued for late shipments (paid or owed) */
    int64_t bare_coupons, bare_ncoupons; /* with the events undeclared */
    int64_t owed[2], nowed[2];           /* of them, owed: the deposit was short or in
                                            another currency */
    int64_t waivers[2], nwaivers[2];     /* carrier SLA freight waivers: not simulated yet
                                            (always 0; the route's catalogue is not loaded) */
    int64_t freight_extra;               /* freight added by price rises: not costed yet
                                            (always 0; the use case refuses channel_price) */
    int64_t revenue_short[2];            /* stock-outs' revenue short */
};

/* The coupons one shop's late orders are owed in one currency, in each run (struct
 * bl_wi_money's, per shop). */
struct bl_wi_shop_coupons {
    uint32_t shop;
    char currency[4];
    int64_t coupons[2], ncoupons[2]; /* without; with the events declared */
    int64_t bare, nbare;             /* with the events undeclared */
};

/* A shop's deposit that runs short of the coupons it must pay. */
struct bl_wi_deposit {
    uint32_t shop;
    char currency[4];
    int64_t balance;      /* at A */
    int64_t short_by[2];  /* coupons left owed for want of deposit, minor units */
    int64_t first_day[2]; /* the day it first runs short, BL_RP_NEVER: never */
};

/* Messages the cycle would send to buyers, per kind (enum bl_wi_msg) and language. */
enum bl_wi_msg { BL_WI_MSG_DELAY = 0, BL_WI_MSG_COUPON, BL_WI_MSG_NKINDS };
struct bl_wi_messages {
    enum bl_wi_msg kind;
    char lang[16]; /* the buyer's (or the destination country's) language tag */
    int64_t n[2];
};

/* A playbook action the stock-outs would fire (playbook.h's kinds), per SKU. */
struct bl_wi_action {
    size_t sku;
    bool shop;   /* the target is a shop (vacation; sku is then the shop's index in the
                    playbook input), else a SKU */
    int kind;    /* enum bl_pb_kind */
    int mode;    /* enum bl_pb_mode: applied at once, or proposed for approval */
    int64_t day; /* the stock-out day that calls for it (BL_RP_NEVER: none) */
    bool in[2];  /* fires in the run (without, with the assumptions) */
};

struct bl_wi_result {
    struct bl_arena arena;
    int64_t as_of, horizon;
    struct bl_wi_orders *orders; /* by shop, then channel */
    size_t norders;
    struct bl_wi_stockout *stockouts; /* SKU, then warehouse: those with a stock-out in
                                         either run */
    size_t nstockouts;
    struct bl_wi_rating *ratings; /* by shop, then profile */
    size_t nratings;
    struct bl_wi_money *money; /* by currency code */
    size_t nmoney;
    struct bl_wi_shop_coupons *shop_coupons; /* by shop, then currency code: those owed a
                                                coupon in any run */
    size_t nshop_coupons;
    struct bl_wi_deposit *deposits; /* shops short in either run, by shop */
    size_t ndeposits;
    struct bl_wi_messages *messages; /* by kind, then language */
    size_t nmessages;
    struct bl_wi_action *actions; /* by SKU, then kind */
    size_t nactions;
    int64_t held_total, late_ship_total[2], late_deliver_total[2];
    int64_t rescued;    /* shop ratings the exemptions save: in breach with the events
                           undeclared (bare), not with them declared ([BL_WI_WITH]) */
    int64_t falls;      /* shop ratings that fall with the events undeclared (rating.falls) */
    int64_t saved;      /* of them, those declaring the events keeps where they were */
    int64_t data_until; /* the latest order placed the snapshot holds up to A + D; the
                           events after it are simulated, the orders after it projected */
    int64_t projected;  /* orders projected at the shops' recent rates */
};

/* The pass: runs the horizon without and with the events on the same snapshot and
 * fills *out. Pure; the same input gives the same result. BL_EINVAL (a bad index or
 * horizon), BL_ENOMEM, BL_EOVERFLOW, with d set. */
int bl_wi_run(const struct bl_wi_input *in, struct bl_wi_result *out,
              struct bl_diag *d) BL_MUST_CHECK;
void bl_wi_result_release(struct bl_wi_result *r);

#endif
