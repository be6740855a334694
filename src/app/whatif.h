/* whatif.h - `ballast whatif` and POST /api/v1/whatif (issue 20, docs/whatif.md): what
 * hypothetical events would cost over a horizon, from one loaded snapshot, writing
 * nothing.
 *
 *   bl_app_whatif   loads what the daily cycle loads (the profiles, the orders snapshot up
 *                   to A + D, the stock day at A's day with its forecasts and plans, the
 *                   deposits, the coupons issued), resolves the assumptions' names against
 *                   it and runs the engine's pass (ballast/whatif.h) without and with them.
 *
 * Ownership: req and its assumptions are borrowed for the call. res owns everything it
 * points to (the engine's result, the snapshots its indexes refer to, the names), freed
 * with bl_app_whatif_res_release (safe on a zeroed or partly filled res).
 */
#ifndef BL_APP_WHATIF_H
#define BL_APP_WHATIF_H

#include "app/stock.h"
#include "app/whatif_mitigate.h"
#include "ballast/snapshot.h"
#include "ballast/whatif.h"

struct bl_app_whatif_req {
    int64_t as_of;   /* the instant (a date: the end of that day) */
    int64_t day;     /* the stock day (a date D: D + 1, as the cycle's) */
    int64_t horizon; /* days, 1..BL_WI_HORIZON_MAX */
    const struct bl_wi_assume *assume;
    size_t threads;     /* forecasting threads, 0: 2 */
    const char *locale; /* the words of res->place: en (NULL) or zh-CN */
    bool mitigate;      /* also search the plans (whatif_mitigate.h): res->mitigation */
    bool replay;        /* take the orders the store holds up to A + D as recorded (a past
                           disruption replayed: the engine's bl_wi_input.replay) */
};

/* What a request could not be done for (with d, which names the file's line). */
enum bl_app_whatif_problem {
    BL_APP_WHATIF_OK = 0,
    BL_APP_WHATIF_UNKNOWN_SUPPLIER, /* problem_text: the supplier's id */
    BL_APP_WHATIF_UNKNOWN_CHANNEL,
    BL_APP_WHATIF_UNKNOWN_SKU,
    BL_APP_WHATIF_UNKNOWN_CATEGORY,
    BL_APP_WHATIF_NO_STOCK,          /* a supply or demand event, and no stock counts */
    BL_APP_WHATIF_PRICE_UNSUPPORTED, /* channel_price: its channel has no rates, or the
                                        new rate is not in their currency */
    BL_APP_WHATIF_HORIZON,           /* horizon out of range */
};

/* A reroute a person approved (action kind reroute, applied): the router sends the shop's
 * orders on channel `from` by `to` on the days [from_day, until_day), and so does the
 * what-if, in both runs (docs/internals/whatif.md, "What the router binds"). */
struct bl_app_whatif_approved {
    int64_t action;     /* the action's id */
    uint32_t shop;      /* orders snapshot's shop index */
    int32_t from, to;   /* orders snapshot's channel indexes */
    int64_t from_day, until_day;
};

struct bl_app_whatif_res {
    struct bl_wi_result r; /* the engine's: indexes into the names below */
    /* names, by the result's indexes */
    const char **shop;                         /* orders snapshot's shops: the shop's id */
    const char **shop_name;                    /* ... and its name (its id when it has none) */
    const char **channel;                      /* orders snapshot's channels: their ids */
    const char **channel_name; /* ... by name: the carrier and mode, in req->locale's words
                                  ("China Post (postal)"); NULL, or an entry NULL: not in
                                  the logistics catalogue (its id is all there is) */
    const char **profile;                      /* the profiles */
    const char **sku, **sku_name, **warehouse; /* stock snapshot's (NULL: no stock) */
    const char **warehouse_name; /* ... a warehouse by its name (its id when it has none) */
    const char **pb_shop;                      /* playbook's shops (vacation) */
    const char **place;      /* per event of req->assume: its region in req->locale's words
                                ("the area around Yiwu"), NULL: no region */
    const char (*langs)[16]; /* the messages' lang index: BCP 47 tags, 0 "und" */
    size_t nshops, nchannels, nprofiles;
    bool stock;         /* false: no stock counts, stock-outs not simulated */
    int64_t data_until; /* the latest order the store holds up to A + D: the days after
                           it are projected (orders at each shop's recent rate) */
    int64_t projected;  /* orders projected */
    struct bl_app_whatif_approved *approved; /* by action id, the horizon's (owned) */
    size_t napproved;
    int64_t day;        /* the stock day */
    bool replay;        /* req->replay */
    struct bl_app_mg_res mitigation; /* req->mitigate: the plans, cheapest first */
    enum bl_app_whatif_problem problem;
    int64_t problem_line;
    double secs_load, secs_run;
    /* owned */
    struct bl_arena arena;
    struct bl_snapshot snap;
    struct bl_app_stock_day sday;
    bool sday_open;
    struct bl_profile *profiles;
};

int bl_app_whatif(struct bl_store *st, int64_t org, const struct bl_app_whatif_req *req,
                  struct bl_app_whatif_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_whatif_res_release(struct bl_app_whatif_res *res);

/* The result as JSON (whatif_json.c; docs/whatif.md): names, codes, money in minor units
 * beside its currency; keys in a fixed order. A new reference (NULL on ENOMEM). */
struct json_t;
struct json_t *bl_app_whatif_json(const struct bl_app_whatif_res *res);

#endif
