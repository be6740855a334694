/* cycle_text.h - the cycle's words for people (internal to src/cli): the summary a
 * person reads in ten seconds (the operator's digest, src/app/digest.h, in --locale),
 * the list of past cycles and one cycle's steps; csv and json keep every number. */
#ifndef BL_CLI_CYCLE_TEXT_H
#define BL_CLI_CYCLE_TEXT_H

#include "app/cycle.h"
#include "cli/cli.h"

/* Prints one organisation's cycle result (many: one of several organisations). */
int bl_cycle_print(struct bl_cli *cli, const char *org_name, const struct bl_app_cycle_req *req,
                   const struct bl_app_cycle_res *res, bool many);
int bl_cycle_print_list(struct bl_cli *cli, struct bl_store *st, int64_t org, int64_t limit);
int bl_cycle_print_show(struct bl_cli *cli, struct bl_store *st, int64_t org, int64_t id);

#endif
