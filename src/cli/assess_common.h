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
    size_t limit;   /* assess --shop --orders N: orders listed per rule (default 10) */
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

/* ---- assess_shop.c: one shop, as a person reads it ------------------------------------ */

/* The words of a metric ("valid tracking") and a rule's label ("late shipment over 10
 * days" when its window is not the assessment's). */
const char *bl_assess_metric_words(enum bl_metric m);
void bl_assess_rule_label(const struct bl_rule *r, const struct bl_rule_result *x, int window,
                          char *out, size_t cap);
/* Why a rule is at risk or in breach ("valid tracking 87.1% < 95% target"); "" when ok. */
void bl_assess_rule_why(const struct bl_rule *r, const struct bl_rule_result *x, int window,
                        char *out, size_t cap);

/* `assess --shop S` on a terminal: the shop's rules and the orders against each. */
int bl_assess_print_shop(struct bl_cli *cli, const struct bl_assess_args *a, int64_t as_of,
                         struct bl_store *st, int64_t org, const struct bl_app_assess_res *res);
/* `assess --explain SHOP`: the arithmetic of the shop's rules, score and rating (x: the
 * shop's row of a dry run). Returns the exit status. */
int bl_assess_explain_shop(struct bl_cli *cli, int64_t as_of, const struct bl_app_assess_shop *x);

int bl_cmd_assess(struct bl_cli *cli, int argc, char **argv);
int bl_cmd_compensate(struct bl_cli *cli, int argc, char **argv);
int bl_cmd_ledger(struct bl_cli *cli, int argc, char **argv);
int bl_cmd_coupons(struct bl_cli *cli, int argc, char **argv);

#endif
