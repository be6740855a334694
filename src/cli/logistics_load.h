/* logistics_load.h - what the logistics commands share (cmd_logistics.c, cmd_route.c,
 * cmd_sla.c, cmd_promise.c, cmd_refund.c, cmd_windows.c). Internal to src/cli. The
 * catalogue is loaded by the app (src/app/logistics.h); this is the shell around it. */
#ifndef BL_CLI_LOGISTICS_LOAD_H
#define BL_CLI_LOGISTICS_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "cli/cli.h"

#include "app/logistics.h"

/* Opens the store named by --db and loads its catalogue into *cat, printing a warning
 * for each channel whose calendar is not loaded: 0, or 1 after printing why, with
 * nothing left open. Close *st and release *cat when done. */
int bl__lg_open(struct bl_cli *cli, struct bl_store **st, int64_t *org,
                struct bl_app_logistics *cat);
/* Prints d (filled from rc when empty) and returns 1. */
int bl__lg_fail(struct bl_cli *cli, struct bl_diag *d, int rc);
const char *bl__lg_money_text(int64_t minor, int exp, char *buf, size_t cap);
const char *bl__lg_tier(enum bl_lg_tier t);
/* A region option: 0, or 2 after printing the usage error. out has BL_REGION_MAX. */
int bl__lg_parse_region(struct bl_cli *cli, const char *cmd, const char *opt, const char *text,
                        char *out);
/* A --policy option: 0, or 2 after printing the usage error. */
int bl__lg_parse_policy(struct bl_cli *cli, const char *cmd, const char *text,
                        struct bl_lg_policy *p);
/* `ballast route policy ...` and `ballast refund policy ...` (cmd_policy.c; which is
 * "route" or "refund"). */
int bl__lg_policy_cmd(struct bl_cli *cli, const char *which, int argc, char **argv);

#endif
