/* money_out.h - money per currency for people and machines: a shop's (or every shop's)
 * balances per currency, the deposit shortfalls, and a total in the organisation's
 * currency with the rates it used (src/app/money.h). Shared by ledger, compensate and
 * alerts. */
#ifndef BL_CLI_MONEY_OUT_H
#define BL_CLI_MONEY_OUT_H

#include <stdio.h>

#include "app/money.h"
#include "cli/cli.h"

/* The balances table (any format); in table format followed by the total line. */
int bl__print_balances(struct bl_cli *cli, const struct bl_app_balances_res *res);

/* The deposit shortfalls table (any format); in table format a total line follows. */
int bl__print_shortfalls(struct bl_cli *cli, const struct bl_app_shortfalls_res *res);

/* "total in USD on 2024-11-15: <what> 12.00; rates: 1 CNY = 0.13812 USD (2024-11-14)"
 * for each labelled value (labels[i], values[i]), to f; nothing when no total is
 * wanted. */
void bl__print_fx_total(FILE *f, const struct bl_app_fx *fx, const char *const *labels,
                        const int64_t *values, size_t n);

/* "170.35 USD (31 coupons, shops S1, S2); 57.47 EUR (10 coupons, shop S3)": the owed
 * total per currency, into out. */
void bl__owed_per_currency(const struct bl_app_shortfalls_res *res, char *out, size_t cap);

#endif
