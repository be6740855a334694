/* whatif_apply_impl.h - what the files of a plan applied share (internal to src/app):
 * whatif_apply.c (the plan, the supply and handling steps, the writing) and
 * whatif_apply_step.c (the reroute and promotion steps). One call's working set. */
#ifndef BL_APP_WHATIF_APPLY_IMPL_H
#define BL_APP_WHATIF_APPLY_IMPL_H

#include <jansson.h>

#include "app/whatif_apply.h"
#include "store/stock.h"

#define BL__APPLY_REASON_MAX 1024

struct bl__apply {
    struct bl_store *st;
    int64_t org, now;
    const struct bl_app_whatif_apply_req *req;
    struct bl_app_whatif_apply_res *res;
    const struct bl_app_mg_res *mg;
    const struct bl_app_mg_plan *plan;
    struct bl_diag *d;
    char source[256];
    char head[400];       /* "from the what-if of X, plan 1 (every lever), step 2" */
    char plan_words[320]; /* "X as of 2024-11-15, plan 1": action.plan, a set to decide at once */
    size_t cap;
    json_t *audit; /* the actions written, for the audit row */
};

/* Money in the organisation's currency, in English words ("$12.50"), into out. */
const char *bl__apply_money(const struct bl__apply *x, int64_t minor, char *out, size_t cap);
/* Money as exact decimal text (JSON null when it does not format). */
json_t *bl__apply_amount(const struct bl__apply *x, int64_t minor);
json_t *bl__apply_day(int64_t day);
/* "Pro drawer organiser, grey (SKU-00005)" */
const char *bl__apply_sku_words(const char *ext, const char *name, char *out, size_t cap);
/* The numbers behind the reason (action.data), extra's keys added: a string the caller
 * passes to bl__apply_propose (which frees it); NULL on ENOMEM. */
char *bl__apply_data(const struct bl__apply *x, size_t k, const struct bl_app_mg_step *s,
                     const char *sku, const char *sku_name, json_t *extra);
/* Writes one action unless its ref is there already; frees data. */
int bl__apply_propose(struct bl__apply *x, size_t k, enum bl_pb_kind kind, int64_t sku_id,
                      const char *sku, const char *sku_name, int64_t before, int64_t after,
                      const struct bl_stock_action_parts *parts, const char *why,
                      char *data) BL_MUST_CHECK;
/* A reroute step: one reroute on the shop; a promotion step: one promotion_until
 * (whatif_apply_step.c). */
int bl__apply_reroute(struct bl__apply *x, size_t k, const struct bl_app_mg_step *s) BL_MUST_CHECK;
int bl__apply_promo(struct bl__apply *x, size_t k, const struct bl_app_mg_step *s) BL_MUST_CHECK;

#endif
