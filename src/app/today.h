/* today.h - the Today summary (issue 17): what needs a decision first, in one call.
 *
 * The dashboard's Today page showed counts and a few rows of whole lists (every message,
 * SKU and alert); bl_app_today gives those counts and the first rows only: messages
 * waiting for approval by kind and those held, the actions proposed (the first `top`),
 * the stock-outs ahead (how many, and the `top` soonest with the SKU's name), the shops
 * whose rules are in breach or at risk (with those rules and the shop's name), the
 * disruptions in force, and the last cycle. As of req->as_of, else the last cycle's as-of,
 * else now (the day the data was last worked through).
 *
 * The stock-outs come from the day's alerts, which the caller gives (req->alerts_fn): the
 * API keeps them computed per data generation (src/api/stock_cache.c), so the summary
 * never plans 10,000 SKUs itself. Without the function, stock-outs are not counted
 * (res->stock_known false). The shops' assessment likewise (req->assess_fn), else it is
 * computed here.
 *
 * Ownership: res is the caller's, freed with bl_app_today_res_release (safe on a zeroed
 * or failed res); its strings live in res->arena or in the sub-results it holds; res->al
 * is borrowed from whatever alerts_fn gave (keep it until the release). */
#ifndef BL_APP_TODAY_H
#define BL_APP_TODAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/assess.h"
#include "app/disruption.h"
#include "app/stock.h"
#include "store/cycle.h"
#include "store/today.h"

/* The day's alerts as of day number `day` (borrowed until the res is released). */
typedef int (*bl_app_today_alerts_fn)(void *ctx, int64_t day, const struct bl_app_alerts_res **al,
                                      struct bl_diag *d);
/* Every shop assessed under its own profile as of as_of, a dry run of bl_app_assess
 * (borrowed likewise). */
typedef int (*bl_app_today_assess_fn)(void *ctx, int64_t as_of, const struct bl_app_assess_res **as,
                                      struct bl_diag *d);

struct bl_app_today_req {
    int64_t as_of;                    /* BL_NO_TIME: the last cycle's, else now */
    int64_t now;                      /* 0: the clock */
    size_t top;                       /* rows of each list; 0: BL_APP_TODAY_TOP */
    bl_app_today_alerts_fn alerts_fn; /* NULL: stock-outs not counted */
    bl_app_today_assess_fn assess_fn; /* NULL: assessed here */
    void *ctx;                        /* the functions' */
};

#define BL_APP_TODAY_TOP 8
#define BL_APP_TODAY_MAX 100

/* A stock-out ahead: the alert, its SKU's name. */
struct bl_app_today_stockout {
    const struct bl_app_stock_alert *a; /* in res->al */
    const char *name;                   /* "" when the SKU has none */
};

/* A shop with a rule in breach or at risk: the assessment's row, its name. */
struct bl_app_today_shop {
    const struct bl_app_assess_shop *s; /* in res->assess */
    const char *name;
    int breaches, at_risk; /* rules of each status */
};

struct bl_app_today_res {
    int64_t as_of, day; /* the instant, and the day number the stock is planned for */
    /* the last cycle (has_cycle), strings in arena */
    bool has_cycle;
    struct bl_cycle_rec cycle;
    /* messages waiting: planned (for a person's approval) and held, by kind */
    int64_t planned, held;
    struct bl_today_msgs *msgs; /* by state and kind, the most first */
    size_t nmsgs;
    /* actions proposed: how many, the first `top` */
    int64_t proposed;
    struct bl_app_actions_res actions;
    /* stock-outs ahead (stock_known): how many, the `top` soonest */
    bool stock_known;
    const struct bl_app_alerts_res *al;
    int64_t stockouts;
    struct bl_app_today_stockout *soonest;
    size_t nsoonest;
    /* SKUs with an open purchase order overdue (stock_known): how many, the `top` latest
     * (bl_app_stock_overdue names the PO) */
    int64_t overdue;
    struct bl_app_today_stockout *late;
    size_t nlate;
    /* shops at risk: every one, the lowest score first */
    const struct bl_app_assess_res *as; /* res->assess, or assess_fn's */
    struct bl_app_assess_res assess;
    struct bl_app_today_shop *risky;
    size_t nrisky;
    /* disruptions in force at as_of */
    struct bl_app_disruption_list_res dis;
    struct bl_arena arena;
};

int bl_app_today(struct bl_store *st, int64_t org, const struct bl_app_today_req *req,
                 struct bl_app_today_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_today_res_release(struct bl_app_today_res *res);

#endif
