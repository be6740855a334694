/* whatif_impl.h - what the files of the what-if pass share (internal to src/engine).
 *
 * The pass (whatif.c) builds one set of order columns for the horizon: the snapshot's
 * orders, each shop's followed by the orders projected at its recent rate, with the
 * events the data does not have yet (shipment, carrier scan, delivery) filled in from
 * the shop's own recent timings. Each run (without, with the events) then has its own
 * copy of the three event columns; the standing, the coupons and the messages are
 * computed on them by the engine's own rules (assess.h, compensate.h).
 *
 * Ownership: everything hangs on the pass's arena (struct bl__wi.a). */
#ifndef BL_ENGINE_WHATIF_IMPL_H
#define BL_ENGINE_WHATIF_IMPL_H

#include "ballast/whatif.h"

#define BL__WI_DAY INT64_C(86400)

struct bl__wi {
    const struct bl_wi_input *in;
    struct bl_arena *a;
    struct bl_diag *d;
    int64_t until; /* A + D */
    int64_t last;  /* the latest order placed that the data holds (<= until) */

    /* the horizon's orders, grouped by shop */
    struct bl_assess_orders o;
    size_t n, nreal;
    uint32_t *shop, *from, *to;
    int64_t *placed, *ship_by, *promised, *cancelled;
    uint8_t *cancel_by, *platform, *cur, *lang;
    int32_t *channel;
    int64_t *amount;
    size_t *shop_off;
    bool *done;        /* compensated before A */
    size_t *src;       /* the snapshot's order it is (projected: the one it copies) */
    uint8_t *sim;      /* bit 1: the shipment is simulated, 2: the carrier scan, 4: delivery */
    int64_t *ev[2][3]; /* per run: shipped, picked_up, delivered */
    uint8_t *held;     /* with: 1 when an event held the shipment */

    struct bl_assess_ctx *ctx[2];
};

/* Builds the horizon's orders and the base run's events (whatif_orders.c). */
int bl__wi_orders(struct bl__wi *w) BL_MUST_CHECK;
/* The run with the events: shipments and deliveries the hypothetical disruptions hold. */
int bl__wi_shift(struct bl__wi *w) BL_MUST_CHECK;
/* Stock-outs and the playbook's actions (whatif_stock.c). */
int bl__wi_stock(struct bl__wi *w, struct bl_wi_result *r) BL_MUST_CHECK;
/* Coupons, deposits and messages over the horizon (whatif_money.c). */
int bl__wi_money(struct bl__wi *w, struct bl_wi_result *r) BL_MUST_CHECK;

/* A plan's steps (whatif_plan.c): checked; applied to the orders' columns (reroutes,
 * handling) before the runs; the moves of one SKU in one warehouse, [lo, hi), and the
 * stock after those of day t (a day before `first` counts on `first`). */
int bl__wi_plan_check(const struct bl_wi_input *in, struct bl_diag *d) BL_MUST_CHECK;
void bl__wi_plan_orders(struct bl__wi *w);
void bl__wi_plan_moves(const struct bl_wi_input *in, size_t sku, size_t wh, size_t *lo,
                       size_t *hi);
double bl__wi_plan_move(const struct bl_wi_input *in, size_t lo, size_t hi, int64_t first,
                        int64_t t, double stock);

/* The money line of a currency in r (added in code order), NULL on ENOMEM. */
struct bl_wi_money *bl__wi_money_of(struct bl__wi *w, struct bl_wi_result *r, const char *currency);

#endif
