/* stock_impl.h - what the stock use cases' files share (internal to src/app). */
#ifndef BL_APP_STOCK_IMPL_H
#define BL_APP_STOCK_IMPL_H

#include "app/stock.h"

/* The day to work on: given (the caller's), or one opened into own from opts. */
int bl__stock_use_day(struct bl_store *st, int64_t org, struct bl_app_stock_day *given,
                      const struct bl_app_stock_opts *opts, struct bl_app_stock_day *own,
                      struct bl_app_stock_day **out, struct bl_diag *d) BL_MUST_CHECK;

/* A person's approval (reject false) or rejection of proposed action req->id inside the
 * caller's transaction (stock_playbook.c; the set of stock_bulk.c): its field, its order
 * or transfer, its hook and its audit row. Errors as bl_app_action_approve. */
int bl__action_decide_in(struct bl_store *st, int64_t org,
                         const struct bl_app_action_approve_req *req, bool reject,
                         struct bl_app_action_approve_res *res, struct bl_diag *d) BL_MUST_CHECK;

/* A new action's numbers as stored in action.data (JSON, into data) and, for a pause of
 * a promotion the SKU gives a spend for (skus.promo_spend), what it saves a day: in data
 * ("spend_a_day", "currency") and after the stored sentence why ("; pausing it saves
 * $15.00 a day"). stock_text.c. */
void bl__stock_action_data(const struct bl_pb_action *x, const struct bl_stock_snap *s, char *data,
                           size_t dcap, char *why, size_t wcap);

/* Why x closes open action x->open_id (a revert or a withdrawal), to keep as "close" in
 * its data (playbook_words.c): {"why": the key of the packs' action_closes, "available",
 * "count", "after", "stockout" and "until" (days, or absent)}, merged into the data it has
 * (read from the store). *out: JSON text the caller frees with free(); NULL when the close
 * has no words (a why the packs do not word) or memory runs out. Errors: the store's. */
int bl__stock_close_data(struct bl_store *st, int64_t org, const struct bl_pb_action *x,
                         char **out, struct bl_diag *d) BL_MUST_CHECK;

/* Rolls back after a failure (the failure is the error to report). */
void bl__stock_rollback(struct bl_store *st);

#endif
