/* plan_args.h - the options `ballast plan`, `alerts`, `playbook` and `actions` share
 * (internal to src/cli: parsed in cmd_plan.c). */
#ifndef BL_CLI_PLAN_ARGS_H
#define BL_CLI_PLAN_ARGS_H

#include <stdbool.h>

#include "app/stock.h"
#include "cli/cli.h"

struct bl__plan_args {
    struct bl_app_stock_opts o;
    bool have_as_of, warehouses, apply, no_save, timing;
    bool deposits; /* alerts: only the deposit shortfalls */
    const char *sku, *state, *approve, *policy;
};

/* 0: parsed; -1: --help printed; else the exit status of a usage error (printed). */
int bl__plan_parse_args(struct bl_cli *cli, const char *cmd, int argc, char **argv,
                        struct bl__plan_args *a);

/* A number in [lo, hi] (the whole text). */
bool bl__plan_num(const char *s, double lo, double hi, double *out);

/* --timing: the day's load, forecast, plan and playbook seconds on stderr. */
void bl__plan_timing(struct bl_cli *cli, const struct bl__plan_args *a,
                     const struct bl_app_stock_day *day);

#endif
