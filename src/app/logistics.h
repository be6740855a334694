/* logistics.h - the logistics use cases (docs/internals/logistics.md): the channel
 * catalogue, quotes, routing open orders, per-shop policies, listing promises, refund
 * decisions, windows against real deliveries and carrier SLA waivers.
 *
 * The catalogue. Every use case here needs the compiled catalogue (channels, rates,
 * calendars, disruptions: struct bl_app_logistics). A use case whose req->cat is NULL
 * loads its own; a caller running several (the daily cycle: route, then sla, for one
 * as-of) loads it once with bl_app_logistics_load and passes it to each as req->cat.
 * A use case may add time zones to a given catalogue's cache (so a catalogue is used
 * by one thread at a time); it never changes its channels. res->cat points at the
 * catalogue the result's channel and disruption indices refer to (the given one, or
 * the one the use case loaded, owned by res): valid until the _release of res, or of
 * the given catalogue, whichever comes first.
 *
 * Ownership: each res is the caller's and is freed with its _release (safe on a zeroed
 * or partly filled res); strings in a res point into res (or into its catalogue).
 * Strings in a req are borrowed for the call. Regions in a req are canonical codes
 * (bl_region_parse). Amounts are minor units of the currency named beside them; `exp`
 * fields are that currency's exponent (2 when unknown).
 */
#ifndef BL_APP_LOGISTICS_H
#define BL_APP_LOGISTICS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/app.h"
#include "ballast/logistics.h"
#include "ballast/map.h"
#include "ballast/region.h"
#include "ballast/store.h"
#include "ballast/time.h"

/* ---------------------------------------------------------------- the catalogue */

/* A channel naming a calendar the store does not hold: it counts Saturday and Sunday
 * as its only closed days (the front end should say so, once per calendar). */
struct bl_app_lg_warning {
    const char *calendar, *channel;
};

struct bl_app_logistics {
    struct bl_lg *lg;      /* the compiled catalogue */
    const int64_t *ch_ids; /* store id of compiled channel i */
    const int *exps;       /* currency exponent of channel i */
    const struct bl_app_lg_warning *warn;
    size_t nwarn;
    /* private */
    struct bl_arena arena;
    struct bl_map tz_ids;
    struct bl_tz **tzs;
    size_t ntz, tz_cap;
    int64_t *ids_;
    int *exps_;
    struct bl_app_lg_warning *warn_;
};

/* Loads and compiles org's catalogue into *cat. Release it with
 * bl_app_logistics_release either way. */
int bl_app_logistics_load(struct bl_store *st, int64_t org, struct bl_app_logistics *cat,
                          struct bl_diag *d) BL_MUST_CHECK;
void bl_app_logistics_release(struct bl_app_logistics *cat);
/* The time zone named name, loaded once per catalogue (owned by it). */
int bl_app_logistics_tz(struct bl_app_logistics *cat, const char *name, const struct bl_tz **out,
                        struct bl_diag *d) BL_MUST_CHECK;

/* "cheapest", "fastest" or "preferred:CARRIER" into *p (p->carrier points into text):
 * BL_OK, or BL_EINVAL. */
int bl_app_route_policy_parse(const char *text, struct bl_lg_policy *p) BL_MUST_CHECK;

/* ---------------------------------------------------------------- lists */

struct bl_app_channel {
    const char *id, *carrier, *mode, *tier, *cutoff, *tz, *calendar, *currency; /* cutoff,
                                                  calendar: NULL when the channel has none */
    int64_t lanes, rates, transit_min, transit_max;
    bool has_sla;
    int64_t sla_days;
    char to[128]; /* the countries its lanes go to, "BR,DE" (as many as fit) */
};
struct bl_app_channels_res {
    struct bl_app_channel *ch; /* by tier, then id */
    size_t n;
    struct bl_arena arena;
};
/* Every channel with its counts of lanes and rate rows, and the countries it serves. */
int bl_app_channels_list(struct bl_store *st, int64_t org, struct bl_app_channels_res *res,
                         struct bl_diag *d) BL_MUST_CHECK;
void bl_app_channels_res_release(struct bl_app_channels_res *res);

struct bl_app_calendar {
    const char *name;
    uint8_t weekend; /* bit w: weekday w (0 Monday) closed */
    int64_t closures, first_day, last_day;
};
struct bl_app_calendars_res {
    struct bl_app_calendar *cal; /* by name */
    size_t n;
    struct bl_arena arena;
};
int bl_app_calendars_list(struct bl_store *st, int64_t org, struct bl_app_calendars_res *res,
                          struct bl_diag *d) BL_MUST_CHECK;
void bl_app_calendars_res_release(struct bl_app_calendars_res *res);

/* ---------------------------------------------------------------- quote */

struct bl_app_quote_req {
    const char *from, *to;        /* canonical regions */
    int64_t weight_g;             /* >= 0 */
    int64_t dims_mm[3];           /* all 0: unknown */
    int64_t ship_at;              /* instant handed over; 0: now */
    int64_t by_day;               /* BL_LG_NO_PROMISE: none */
    struct bl_app_logistics *cat; /* NULL: loaded here */
};
struct bl_app_quote_res {
    struct bl_app_logistics *cat;
    struct bl_lg_option *opt; /* every serving channel, available first (bl_lg_quote) */
    size_t n;
    bool own_cat;
};
int bl_app_quote(struct bl_store *st, int64_t org, const struct bl_app_quote_req *req,
                 struct bl_app_quote_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_quote_res_release(struct bl_app_quote_res *res);

/* ---------------------------------------------------------------- route */

enum bl_app_policy_from {
    BL_APP_POLICY_DEFAULT = 0, /* the shop has none: cheapest */
    BL_APP_POLICY_SHOP,        /* the shop's */
    BL_APP_POLICY_OVERRIDE,    /* req->policy, for every shop */
    BL_APP_POLICY_ACTION,      /* an approved reroute (a what-if's plan): `action` */
};

struct bl_app_route_order {
    const char *order, *shop, *from, *to; /* from/to "" when the order has none */
    int64_t weight_g, ship_at;
    int64_t by_day; /* the promise as the shop's local day, or BL_LG_NO_PROMISE */
    struct bl_lg_policy policy;
    enum bl_app_policy_from policy_from;
    int64_t action;       /* BL_APP_POLICY_ACTION: the approved reroute's id (0: none) */
    int64_t action_until; /* ... the day it ends (the first day it no longer binds) */
    struct bl_lg_route route;
    /* route.state BL_LG_SUSPENDED (held by a disruption): the first channel and window
     * after the disruptions' expected end (bl_lg_route_resume), or unknown while one is
     * open-ended; zeroed otherwise */
    struct bl_lg_resume after;
    /* explain only: every serving channel (bl_lg_quote) and why the choice */
    struct bl_lg_option *opt;
    size_t nopt;
    enum bl_lg_why why;
};

struct bl_app_route_req {
    int64_t as_of;                     /* open orders as of this instant, routed at it */
    const struct bl_lg_policy *policy; /* NULL: each shop's, else cheapest */
    const char *explain;               /* an order id: that order only, with the options */
    struct bl_app_logistics *cat;      /* NULL: loaded here */
    const char *shop;                  /* only this shop's orders (its id); NULL: every shop */
};
struct bl_app_route_res {
    struct bl_app_logistics *cat;
    struct bl_app_route_order *o; /* by placed_at, then id */
    size_t n;
    bool own_cat;
    struct bl_arena arena;
};
/* A channel and window for every order open at as_of. Read-only. With explain,
 * BL_ENOTFOUND when no open order has that id; with shop, BL_ENOTFOUND when the
 * organisation has no such shop. */
int bl_app_route(struct bl_store *st, int64_t org, const struct bl_app_route_req *req,
                 struct bl_app_route_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_route_res_release(struct bl_app_route_res *res);

/* ---------------------------------------------------------------- shop policies */

#define BL_APP_REFUND_SHARE_BP 5000 /* a shop's refund share without a policy */

struct bl_app_route_policy_req {
    const char *shop;        /* ext id */
    const char *route;       /* cheapest | fastest | preferred:CARRIER; NULL: unchanged */
    const int64_t *share_bp; /* refund share, 0..10000; NULL: unchanged */
    int64_t now;             /* 0: the clock */
};
/* Sets one shop's policy. BL_ENOTFOUND for an unknown shop, BL_EINVAL for a bad value. */
int bl_app_route_policy_set(struct bl_store *st, int64_t org,
                            const struct bl_app_route_policy_req *req,
                            struct bl_diag *d) BL_MUST_CHECK;
/* `refund policy`: the same, for the share only. */
int bl_app_refund_policy_set(struct bl_store *st, int64_t org, const char *shop, int64_t share_bp,
                             int64_t now, struct bl_diag *d) BL_MUST_CHECK;

struct bl_app_shop_policy {
    const char *shop;
    struct bl_lg_policy route; /* the default (cheapest) when the shop has none */
    const char *route_text;    /* as stored, "cheapest" when none */
    int64_t share_bp;          /* BL_APP_REFUND_SHARE_BP when none */
};
struct bl_app_route_policy_res {
    struct bl_app_shop_policy *p; /* list: every shop, by ext id */
    size_t n;
    size_t set; /* import: rows applied */
    struct bl_arena arena;
};
int bl_app_route_policy_list(struct bl_store *st, int64_t org, struct bl_app_route_policy_res *res,
                             struct bl_diag *d) BL_MUST_CHECK;
/* Imports a CSV (columns shop, and route_policy and/or refund_share) in one
 * transaction: all rows or none; d names the file, line and column. res->set counts
 * the rows. */
int bl_app_route_policy_import(struct bl_store *st, int64_t org, const char *path, int64_t now,
                               struct bl_app_route_policy_res *res,
                               struct bl_diag *d) BL_MUST_CHECK;
void bl_app_route_policy_res_release(struct bl_app_route_policy_res *res);
/* A share "0.5" (0..1, up to 4 decimals) in basis points: BL_OK or BL_EINVAL. */
int bl_app_share_parse(const char *text, int64_t *bp) BL_MUST_CHECK;

/* ---------------------------------------------------------------- promise */

struct bl_app_promise_req {
    const char *sku;  /* NULL: every SKU */
    const char *shop; /* its ship-from, and its routing policy as the default */
    const char *from; /* canonical; NULL: the shop's, else the one most shops use */
    const char *to;   /* canonical; NULL: every lane destination from the ship-from */
    int64_t as_of;    /* 0: now */
    const struct bl_lg_policy *policy; /* NULL: the shop's, else cheapest */
    struct bl_app_logistics *cat;
};
struct bl_app_promise_line {
    const char *sku, *to;
    bool has_weight; /* false: quoted at 0 g */
    int64_t weight_g;
    struct bl_lg_promise p;
};
struct bl_app_promise_res {
    struct bl_app_logistics *cat;
    char from[BL_REGION_MAX];         /* the ship-from used */
    struct bl_app_promise_line *line; /* by SKU, then destination */
    size_t n, ndest;                  /* ndest 0: no lane starts at from */
    bool own_cat;
    struct bl_arena arena;
};
/* The listing windows. BL_ENOTFOUND: unknown shop or SKU; BL_EINVAL: no ship-from. */
int bl_app_promise(struct bl_store *st, int64_t org, const struct bl_app_promise_req *req,
                   struct bl_app_promise_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_promise_res_release(struct bl_app_promise_res *res);

/* ---------------------------------------------------------------- windows */

struct bl_app_windows_req {
    const struct bl_lg_policy *policy; /* the channel routing would choose; NULL: cheapest */
    const char *channel;               /* or this channel (BL_ENOTFOUND when unknown) */
    const char *from;                  /* canonical; NULL: every ship-from */
    struct bl_app_logistics *cat;
    const atomic_bool *stop; /* NULL, or set by another thread: BL_EINTERRUPTED soon after */
};
struct bl_app_windows_group {
    char to[BL_REGION_MAX]; /* destination subdivision; "all" for the total */
    int64_t orders, early, inside, late, no_channel;
    bool has_median;
    int64_t median_bdays; /* real business days from hand-over to delivery */
};
struct bl_app_windows_res {
    struct bl_app_windows_group *g; /* by destination, then the total */
    size_t n;
    int64_t skipped; /* no region, or delivered before the hand-over */
    struct bl_app_logistics *cat;
    bool own_cat;
};
int bl_app_windows(struct bl_store *st, int64_t org, const struct bl_app_windows_req *req,
                   struct bl_app_windows_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_windows_res_release(struct bl_app_windows_res *res);

/* ---------------------------------------------------------------- refund */

/* Why the decision (docs/internals/logistics.md, "Refunds"). */
enum bl_app_refund_reason {
    BL_APP_REFUND_NOT_SHIPPED = 0, /* cancel and refund in full */
    BL_APP_REFUND_CANCELLED,       /* not shipped, already cancelled: refund in full */
    BL_APP_REFUND_WAREHOUSE,       /* an overseas warehouse serves the buyer */
    BL_APP_REFUND_RETURN_TOO_DEAR, /* return costs more than the share: keep it */
    BL_APP_REFUND_NO_RETURN_QUOTE, /* no channel quotes the return: keep it */
    BL_APP_REFUND_RETURN_CHEAP,    /* return to the ship-from */
    BL_APP_REFUND_RECORDED,        /* decided before: the reason is the stored note */
};

enum bl_app_refund_state { BL_APP_REFUND_NEW = 0, BL_APP_REFUND_BEFORE };

struct bl_app_refund_req {
    const char *order;  /* ext id */
    const char *shop;   /* NULL: any (BL_EINVAL when the id is in several shops) */
    const char *reason; /* the request's text, stored; NULL: none */
    int64_t as_of;      /* 0: now */
    int64_t now, cycle_id;
    struct bl_app_logistics *cat;
};
struct bl_app_refund_res {
    const char *order, *shop, *currency;
    int exp;
    enum bl_refund_kind kind;
    enum bl_app_refund_reason reason;
    enum bl_app_refund_state state;
    bool delivered; /* as of the request (else in transit) */
    int64_t amount, refund, threshold, share_bp;
    const char *warehouse, *warehouse_region; /* NULL: none */
    bool has_return_cost;
    int64_t return_cost;
    const char *via;       /* the return channel quoted, or NULL */
    const char *from, *to; /* the return lane: buyer -> ship-from */
    const char *note;      /* the decision as recorded in refund.note (English) */
    struct bl_app_logistics *cat;
    bool own_cat;
    struct bl_arena arena;
};
/* Decides a refund request and records it once; asked again, res holds the first
 * decision (state BL_APP_REFUND_BEFORE) and nothing changes. */
int bl_app_refund(struct bl_store *st, int64_t org, const struct bl_app_refund_req *req,
                  struct bl_app_refund_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_refund_res_release(struct bl_app_refund_res *res);

/* The decisions recorded (by `refund` or POST /api/v1/refunds), by id. */
struct bl_app_refunds_req {
    const char *shop;   /* ext id; NULL: every shop */
    int64_t after;      /* only ids after it (a page's cursor; 0: from the first) */
    int64_t limit;      /* at most this many (0: all) */
};
struct bl_app_refund_item {
    int64_t id;
    const char *order, *shop, *currency; /* ext ids */
    int exp;
    enum bl_refund_kind kind;
    int64_t refund, threshold;
    const char *warehouse; /* NULL: none */
    bool has_return_cost;
    int64_t return_cost;
    const char *request; /* the buyer's words as recorded, NULL: none */
    const char *note;    /* the decision in English, as recorded */
    int64_t as_of, at;   /* the facts as of; when it was decided */
};
struct bl_app_refunds_res {
    struct bl_app_refund_item *items;
    size_t n;
    struct bl_arena arena;
};
int bl_app_refunds(struct bl_store *st, int64_t org, const struct bl_app_refunds_req *req,
                   struct bl_app_refunds_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_refunds_res_release(struct bl_app_refunds_res *res);

/* ---------------------------------------------------------------- sla */

enum bl_app_sla_state {
    BL_APP_SLA_NEW = 0, /* claimed now: a sla_waiver entry in the ledger */
    BL_APP_SLA_DUE,     /* dry run: would be claimed */
    BL_APP_SLA_BEFORE,  /* claimed before */
};
struct bl_app_sla_claim {
    int64_t order_id, shop_id;
    const char *order, *shop, *channel, *remedy; /* remedy "" when none */
    const char *currency;                        /* "" when not priced */
    int exp;
    int64_t shipped, deadline, sla_days;
    bool delivered;
    int64_t delivered_at;
    bool priced; /* false: no rate for the lane, freight unknown (0) */
    int64_t freight;
    enum bl_app_sla_state state;
};
struct bl_app_sla_req {
    int64_t as_of;
    bool dry_run;
    int64_t now, cycle_id;
    struct bl_app_logistics *cat;
};
struct bl_app_sla_res {
    struct bl_app_sla_claim *c; /* every shipment past its SLA, by shipped_at */
    size_t n, added;            /* added: new ledger entries (0 on a dry run) */
    struct bl_app_logistics *cat;
    bool own_cat;
    struct bl_arena arena;
};
/* Carrier SLA breaches as of req->as_of become freight waivers credited in the shop's
 * ledger (kind sla_waiver, key sla:<order id>), once, in one transaction. */
int bl_app_sla(struct bl_store *st, int64_t org, const struct bl_app_sla_req *req,
               struct bl_app_sla_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_sla_res_release(struct bl_app_sla_res *res);

/* ---------------------------------------------------------------- words
 *
 * What a person reads beside a result (English; logistics_words.c), with a code for
 * machines. Each writes at most cap bytes into buf and returns it. */

/* "core" or "backup". */
const char *bl_app_lg_tier(enum bl_lg_tier t);
/* A channel by name, as the logistics pages show it: its carrier and mode in words
 * ("China Post (postal)"; zh-CN "China Post（邮政）"); locale NULL: English. */
const char *bl_app_lg_channel_words(const char *carrier, const char *mode, const char *locale,
                                    char *buf, size_t cap);
/* A quote option: "available", or "suspended by disruption ID (KIND in REGION)";
 * *code "available" or "suspended". */
const char *bl_app_quote_status(const struct bl_lg *lg, const struct bl_lg_option *x, char *buf,
                                size_t cap, const char **code);
/* A routed order: "" when routed, else why it is late, held (until when, and what after)
 * or has no channel; *code "routed", "late", "held" or "no_channel". */
const char *bl_app_route_note(const struct bl_lg *lg, const struct bl_app_route_order *o, char *buf,
                              size_t cap, const char **code);
/* A held order (route.state BL_LG_SUSPENDED): what holds it and what comes after. */
const char *bl_app_route_held_note(const struct bl_lg *lg, const struct bl_app_route_order *o,
                                   char *buf, size_t cap);
/* A listing promise: why its window is what it is, or why there is none ("" when nothing
 * to say); *code "window", "unavailable" or "no_channel". */
const char *bl_app_promise_note(const struct bl_lg *lg, const char *from,
                                const struct bl_app_promise_line *l, char *buf, size_t cap,
                                const char **code);

#endif
