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
    const char *kind, *plan_set, *shop; /* actions: a kind, a what-if's plan, a shop */
};

/* 0: parsed; else the exit status of a usage error (printed). --as-of T has the one
 * meaning (cli.h): a date D is the end of D, so the plan's day is D + 1, whose history
 * ends with D; an instant's day is the one it falls in (in --tz, default UTC). */
int bl__plan_parse_args(struct bl_cli *cli, const char *cmd, int argc, char **argv,
                        struct bl__plan_args *a);

/* A number in [lo, hi] (the whole text). */
bool bl__plan_num(const char *s, double lo, double hi, double *out);

/* --timing: the day's load, forecast, plan and playbook seconds on stderr. */
void bl__plan_timing(struct bl_cli *cli, const struct bl__plan_args *a,
                     const struct bl_app_stock_day *day);

#endif
