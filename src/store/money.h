/* money.h - money across currencies, typed (store family "money"): the organisation's
 * reporting currency (org.currency) and its exchange rates (table fx_rate, filled by
 * `ballast import rates`).
 *
 * Strings passed in are borrowed for the call; nothing returned needs freeing. */
#ifndef BL_STORE_MONEY_H
#define BL_STORE_MONEY_H

#include <stdbool.h>
#include <stdint.h>

#include "ballast/fx.h"
#include "ballast/store.h"

/* The organisation's reporting currency into cur ("" and *set false when none). */
int bl_store_money_org_currency(struct bl_store *st, int64_t org, char cur[4], bool *set,
                                struct bl_diag *d) BL_MUST_CHECK;

/* Sets it (cur NULL or "": unset). */
int bl_store_money_org_currency_set(struct bl_store *st, int64_t org, const char *cur,
                                    struct bl_diag *d) BL_MUST_CHECK;

/* The rate from -> to in effect on day (a day number): the latest row dated on or before
 * day. *found false when there is none; else *r and its *rate_day. */
int bl_store_money_rate(struct bl_store *st, int64_t org, const char *from, const char *to,
                        int64_t day, struct bl_fx_rate *r, int64_t *rate_day, bool *found,
                        struct bl_diag *d) BL_MUST_CHECK;

#endif
