/* mitigate.h - the cheapest way through a disruption: plans over the levers an
 * organisation has, ranked by total cost (pure: no I/O, no clock).
 *
 * Input is what a what-if found (the problems: stock-outs per SKU and warehouse, late
 * orders per shop, channel and lane) and what the organisation can do about each (the
 * levers). Every amount is in minor units of the organisation's currency (the caller
 * converts); days are day numbers as in time.h.
 *
 * The cost of a problem left alone (docs/internals/mitigate.md has the worked examples):
 *   stock-out  units short * margin per unit + promotion spend a day * days short
 *   late       late orders * the coupon each one is owed
 * A plan is a set of steps (a lever with a quantity); its total is what the steps cost
 * plus what the problems still cost after them; its saving is the total of doing
 * nothing minus that.
 *
 * The levers and what they do in the estimate (bl_mg_estimate):
 *   BACKUP_SUPPLIER  a purchase order placed by by_day arrives on ready_day: covers the
 *                    units short from then on; at least moq, in case packs; costs
 *                    unit_cost (the premium over the usual supplier) a unit + fixed_cost
 *   TRANSFER         units moved from another warehouse arrive on ready_day: covers the
 *                    units short from then on, at most max_units; unit_cost a unit +
 *                    fixed_cost
 *   PAUSE_PROMOTION  no promotion spend on the days still short; costs nothing
 *   REROUTE          orders placed from ready_day ship on a backup channel that is on
 *                    time: no coupon; unit_cost (the freight over the usual) an order
 *   EXTEND_HANDLING  orders placed from ready_day get the longer handling time: when
 *                    the problem's days_late fit in `days`, they are on time; free
 * Stock-out units short and late orders are spread evenly over the problem's days.
 *
 * The search (bl_mg_search): levers act on one problem each, so the best plan is the
 * best set of levers per problem. A problem with at most max_subset levers (12 by
 * default) is searched exhaustively; a lever that cannot pay (its least cost is at
 * least what the problem costs) is left out first (the bound). A problem with more
 * levers is searched greedily: the lever that lowers the total most, until none does.
 * Plans: the best over every lever, the best with free levers only, with logistics
 * levers only (reroute, handling) and with supply levers only (backup suppliers,
 * transfers, promotion), and doing nothing; a plan equal to an earlier one is left
 * out. When the caller gives a measure (the what-if's simulation, re-run with a plan's
 * steps), each plan's remaining cost per problem is measured, not estimated, and a
 * problem's measured saving is shared among its steps as the estimate shares it.
 * Plans are ranked by total, then by the order above.
 *
 * Memory: bl_mg_search allocates the plans and steps from the caller's arena; inputs
 * are borrowed for the call only.
 */
#ifndef BALLAST_MITIGATE_H
#define BALLAST_MITIGATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/err.h"

#define BL_MG_MAX_SUBSET 16 /* levers per problem searched exhaustively, at most */
#define BL_MG_MAX_DAY INT64_C(100000000)

enum bl_mg_problem_kind { BL_MG_STOCKOUT = 0, BL_MG_LATE };

struct bl_mg_problem {
    enum bl_mg_problem_kind kind;
    ptrdiff_t sku, warehouse; /* caller's indexes (-1: none); a late problem's ship-from */
    ptrdiff_t shop, channel;  /* late: caller's indexes (-1: none) */
    int64_t from_day, to_day; /* [from, to): stock-out: the days short (stock-out to restock
                                 or the horizon's end); late: the days the late orders are
                                 placed */
    int64_t units;            /* stock-out: units short; late: orders late; >= 0 */
    int64_t unit_cost;        /* stock-out: margin lost a unit; late: coupon an order; >= 0 */
    int64_t promo_day;        /* stock-out: promotion spend a day (0: not promoted) */
    int64_t days_late;        /* late: the most days an order is late */
};

enum bl_mg_kind {
    BL_MG_BACKUP_SUPPLIER = 0,
    BL_MG_TRANSFER,
    BL_MG_PAUSE_PROMOTION,
    BL_MG_REROUTE,
    BL_MG_EXTEND_HANDLING,
    BL_MG_NKINDS
};

/* "backup_supplier", "transfer", ... (static text); "?" when out of range. */
const char *bl_mg_kind_name(enum bl_mg_kind k);

struct bl_mg_lever {
    enum bl_mg_kind kind;
    size_t problem;     /* index of the problem it acts on (a stock-out for the supply
                           kinds and promotion, a late problem for reroute and handling) */
    ptrdiff_t target;   /* the caller's: BACKUP_SUPPLIER a supplier, TRANSFER the warehouse
                           it moves from, REROUTE the channel; -1 for the others */
    int64_t by_day;     /* the last day to act: order, move, switch, change the listing */
    int64_t ready_day;  /* the first day it takes effect (arrival, first order it serves) */
    int64_t unit_cost;  /* a unit bought or moved, an order rerouted; >= 0 */
    int64_t fixed_cost; /* once per step; >= 0 */
    int64_t max_units;  /* TRANSFER: the units the source can spare (0: none) */
    int64_t moq;        /* BACKUP_SUPPLIER: the least order (0 or 1: none) */
    int64_t case_pack;  /* BACKUP_SUPPLIER: order in multiples of it (0 or 1: units) */
    int64_t days;       /* EXTEND_HANDLING: the days the marketplace lets it add */
};

struct bl_mg_step {
    size_t lever;   /* index in the input's levers */
    int64_t units;  /* bought, moved or rerouted (orders); 0 for promotion and handling */
    int64_t cost;   /* what it costs */
    int64_t saving; /* what it saves: measured when the plan is */
};

enum bl_mg_plan_kind {
    BL_MG_PLAN_BEST = 0, /* every lever */
    BL_MG_PLAN_FREE,     /* levers that cost nothing */
    BL_MG_PLAN_LOGISTICS,
    BL_MG_PLAN_SUPPLY,
    BL_MG_PLAN_NOTHING,
    BL_MG_NPLANS
};

/* "best", "free", "logistics", "supply", "nothing"; "?" when out of range. */
const char *bl_mg_plan_name(enum bl_mg_plan_kind k);

struct bl_mg_plan {
    enum bl_mg_plan_kind kind;
    struct bl_mg_step *steps; /* by problem, then lever index; arena-owned */
    size_t nsteps;
    int64_t spend;  /* the steps' costs */
    int64_t left;   /* what the problems still cost */
    int64_t total;  /* spend + left */
    int64_t saving; /* the baseline minus total */
    bool measured;  /* left (and the steps' savings) came from the measure */
};

/* The caller's simulation: the remaining cost of every problem (left[nproblems]) after
 * the steps. It must write every left[i]. Returns 0 or a negative enum bl_err (d says). */
struct bl_mg_measure {
    int (*fn)(void *ctx, const struct bl_mg_step *steps, size_t nsteps, int64_t *left,
              struct bl_diag *d);
    void *ctx;
};

struct bl_mg_input {
    const struct bl_mg_problem *problems;
    size_t nproblems;
    const struct bl_mg_lever *levers;
    size_t nlevers;
    size_t max_subset;                   /* 0: 12; at most BL_MG_MAX_SUBSET */
    const struct bl_mg_measure *measure; /* NULL: the estimate */
};

struct bl_mg_result {
    int64_t baseline;         /* what doing nothing costs (the problems' costs) */
    struct bl_mg_plan *plans; /* ranked: total, then kind; arena-owned */
    size_t nplans;
};

/* What problem i costs left alone. BL_EOVERFLOW when it does not fit. */
int bl_mg_problem_cost(const struct bl_mg_problem *p, int64_t *cost) BL_MUST_CHECK;

/* The estimate of problem `problem` with the levers lev[n] (each acting on it): the steps
 * (steps[n], in the order of lev; units, cost and saving) and what it still costs.
 * Errors: BL_EINVAL (a lever acting on another problem), BL_EOVERFLOW. */
int bl_mg_estimate(const struct bl_mg_input *in, size_t problem, const size_t *lev, size_t n,
                   struct bl_mg_step *steps, int64_t *left, struct bl_diag *d) BL_MUST_CHECK;

/* Searches and ranks the plans (above). Errors: BL_EINVAL (a problem or lever out of
 * range: negative amounts, days out of +-BL_MG_MAX_DAY, from after to, a lever's problem
 * index, a lever of the wrong kind for its problem), BL_EOVERFLOW, BL_ENOMEM, or what the
 * measure returns. */
int bl_mg_search(const struct bl_mg_input *in, struct bl_arena *a, struct bl_mg_result *out,
                 struct bl_diag *d) BL_MUST_CHECK;

#endif
