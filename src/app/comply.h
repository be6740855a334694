/* comply.h - the tax threshold watch (docs/internals/comply.md): where the organisation's
 * sales into each jurisdiction stand against its registration threshold at an as-of, and
 * the day each of 80% and 100% was crossed.
 *
 *   bl_app_comply   loads the rules (data/comply/rules.csv or req->rules), the orders
 *                   placed by the as-of (cancelled ones and refunded amounts left out)
 *                   and the exchange rates; runs the engine (ballast/comply.h); with
 *                   req->save, stores an alert per crossing (table alert, kinds
 *                   comply_near and comply_over, once each) and raises alert.raised
 *                   for each new one, in one transaction.
 *
 * The organisation is one seller (its shops' sales add up), unless req->per_shop: each
 * shop a seller of its own, as a marketplace's merchants are. req->shop explains one
 * shop: its own standing (per shop), or its share of the organisation's totals.
 *
 * Ownership: req borrowed; res owns everything it points to (rules, items, strings):
 * release with bl_app_comply_res_release, safe on a zeroed or partly filled res.
 */
#ifndef BL_APP_COMPLY_H
#define BL_APP_COMPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/comply.h"
#include "ballast/store.h"

struct bl_app_comply_req {
    int64_t as_of;          /* instant; a date's end is midnight after it */
    bool per_shop;          /* each shop a seller of its own */
    const char *shop;       /* external id: explain this shop (NULL: none) */
    const char *rules;      /* the rules file (NULL: bl_comply_rules_path()) */
    bool save;              /* store the alerts and raise their events (the cycle) */
    int64_t now;            /* 0: the clock */
    int64_t cycle_id;       /* 0 outside a cycle */
};

/* What the alert of a crossing did when saved. */
enum bl_app_comply_alert { BL_APP_COMPLY_NO_ALERT = 0, BL_APP_COMPLY_ALERT_NEW,
                           BL_APP_COMPLY_ALERT_BEFORE };

struct bl_app_comply_item {
    const struct bl_comply_rule *rule; /* in res->rules */
    const char *shop, *shop_name;      /* the seller when per shop; else NULL */
    int64_t shop_id;                   /* 0: the organisation */
    struct bl_comply_state st;         /* the engine's standing */
    struct bl_comply_state share;      /* req->shop in organisation mode: its share */
    bool has_share;
    char order[128], order_shop[128];  /* the order that made the crossing, "" none */
    enum bl_app_comply_alert alert;
};

struct bl_app_comply_res {
    struct bl_comply_rules rules;
    char rules_file[1024];
    struct bl_app_comply_item *items; /* by rule (file order), then shop; organisation mode:
                                         every rule; per shop: the sellers with sales there */
    size_t n;
    int64_t orders;           /* read (placed by the as-of) */
    int64_t uncovered;        /* whose destination no rule covers */
    int64_t no_dest;          /* with no destination */
    int64_t unconverted;      /* left out: no exchange rate for their day (say so) */
    char missing_from[4], missing_to[4]; /* the first such order's pair */
    int64_t missing_day;      /* and its day (-1: none) */
    int64_t shop_id;          /* req->shop's, when given */
    char shop_name[200];
    size_t alerts_new, alerts_before;
    int64_t as_of_day;        /* the last day the totals include */
    struct bl_arena arena;
};

/* BL_ENOTFOUND: req->shop is not a shop; the rules file's errors name the file, line and
 * column. An order no exchange rate converts is left out of the totals and counted
 * (res->unconverted, with the first pair and day): the front ends say so. */
int bl_app_comply(struct bl_store *st, int64_t org, const struct bl_app_comply_req *req,
                  struct bl_app_comply_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_comply_res_release(struct bl_app_comply_res *res);

/* Internal (comply_alert.c): stores res's crossings as alerts and raises their events,
 * in one transaction. */
int bl__comply_save(struct bl_store *st, int64_t org, const struct bl_app_comply_req *req,
                    struct bl_app_comply_res *res, struct bl_diag *d) BL_MUST_CHECK;

/* ---- words (comply_words.c): the one place that words a rule, for both front ends and
 * the stored alert (en; zh-CN) ----------------------------------------------------------- */

/* The jurisdiction's name in locale (the rule's name_zh for zh, when it has one). */
const char *bl_app_comply_name(const struct bl_comply_rule *r, const char *locale);
/* The threshold: "more than €10,000.00 in a calendar year", "一个日历年内超过 €10,000.00". */
void bl_app_comply_threshold(const struct bl_comply_rule *r, const char *locale, char *out,
                             size_t cap);
/* An amount of the rule's currency: "€8,123.45". */
void bl_app_comply_money(const struct bl_comply_rule *r, const char *locale, int64_t minor,
                         char *out, size_t cap);
/* The sentence an alert stores (English): what was crossed, when, and the total by then. */
void bl_app_comply_message(const struct bl_comply_rule *r, const struct bl_comply_state *s,
                           char *out, size_t cap);

#endif
