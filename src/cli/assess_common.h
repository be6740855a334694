/* assess_common.h - what `assess` and `compensate` share (internal to src/cli):
 * their options, loading a snapshot with a profile, and explaining one order. */
#ifndef BL_CLI_ASSESS_COMMON_H
#define BL_CLI_ASSESS_COMMON_H

#include "cli/cli.h"

#include "ballast/assess.h"
#include "ballast/profile.h"
#include "ballast/snapshot.h"

struct bl_assess_args {
    const char *as_of, *profile, *shop, *explain, *tz;
    int window;   /* 0: the profile's */
    bool dry_run;   /* compute and print, store nothing */
    bool all_shops; /* every shop, not only those whose profile is --profile */
};

/* Parses the options of cmd (argv[0] is cmd). Returns 0, or 2 after printing usage. */
int bl_assess_args_parse(struct bl_cli *cli, const char *cmd, int argc, char **argv,
                         bool allow_explain, struct bl_assess_args *a);

struct bl_assess_run {
    struct bl_store *st;
    int64_t org;
    struct bl_profile prof;
    const struct bl_profile *profile; /* &prof */
    struct bl_snapshot snapshot;
    struct bl_snapshot *snap; /* &snapshot */
    struct bl_arena arena;
    struct bl_assess_ctx *ctx;
    int64_t as_of;
    int window;
    bool *skip;     /* per shop: out of scope (another profile, or not --shop) */
    size_t nscope;  /* shops in scope */
};

/* Loads the profile, opens the store, loads the snapshot and prepares the engine.
 * On failure returns nonzero with d set (the store, if opened, is closed). */
int bl_assess_run_open(struct bl_cli *cli, const struct bl_assess_args *a, struct bl_assess_run *r,
                       struct bl_diag *d);
void bl_assess_run_close(struct bl_assess_run *r);

/* Index in r->snap of the order with store id `id`, or -1. */
int64_t bl_assess_order_index(const struct bl_assess_run *r, int64_t id);

/* Prints why one order counts or not (order = its external id; shop index or -1). */
int bl_assess_explain(struct bl_cli *cli, struct bl_assess_run *r, const char *order,
                      int64_t shop, struct bl_diag *d);

int bl_cmd_assess(struct bl_cli *cli, int argc, char **argv);
int bl_cmd_compensate(struct bl_cli *cli, int argc, char **argv);
int bl_cmd_ledger(struct bl_cli *cli, int argc, char **argv);
int bl_cmd_coupons(struct bl_cli *cli, int argc, char **argv);

#endif
