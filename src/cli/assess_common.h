/* assess_common.h - what `assess` and `compensate` share (internal to src/cli):
 * their options, the as-of and the store, the problems in words, and --explain. */
#ifndef BL_CLI_ASSESS_COMMON_H
#define BL_CLI_ASSESS_COMMON_H

#include "cli/cli.h"

#include "app/assess.h"

struct bl_assess_args {
    const char *as_of, *profile, *shop, *explain, *tz;
    int window;   /* 0: the profile's */
    bool dry_run;   /* compute and print, store nothing */
    bool all_shops; /* every shop, not only those whose profile is --profile */
};

/* Parses the options of cmd (argv[0] is cmd). Returns 0, or 2 after printing usage. */
int bl_assess_args_parse(struct bl_cli *cli, const char *cmd, int argc, char **argv,
                         bool allow_explain, struct bl_assess_args *a);

/* Reads --as-of (in --tz) into *as_of and opens the store. Returns 0, or 1 after
 * printing why. */
int bl_assess_open(struct bl_cli *cli, const struct bl_assess_args *a, int64_t *as_of,
                   struct bl_store **st, int64_t *org);

/* Prints why a use case failed (problem in the command's words, else d); returns 1. */
int bl_assess_fail(struct bl_cli *cli, const struct bl_assess_args *a,
                   enum bl_app_assess_problem problem, int64_t matches, const struct bl_diag *d);

/* `assess --explain ORDER`: why one order counts or not. Returns the exit status. */
int bl_assess_explain(struct bl_cli *cli, const struct bl_assess_args *a, int64_t as_of,
                      struct bl_store *st, int64_t org);

int bl_cmd_assess(struct bl_cli *cli, int argc, char **argv);
int bl_cmd_compensate(struct bl_cli *cli, int argc, char **argv);
int bl_cmd_ledger(struct bl_cli *cli, int argc, char **argv);
int bl_cmd_coupons(struct bl_cli *cli, int argc, char **argv);

#endif
