/* whatif_mitigate_text.h - `ballast whatif --mitigate`: the ranked plans in words (en,
 * zh-CN by cli->locale) or, with --format json, as data (bl_app_mg_json). */
#ifndef BL_CLI_WHATIF_MITIGATE_TEXT_H
#define BL_CLI_WHATIF_MITIGATE_TEXT_H

#include "app/whatif_mitigate.h"
#include "cli/cli.h"

/* Prints r to cli->out; 0, or 1 when the JSON could not be written. */
int bl_cli_whatif_plans(struct bl_cli *cli, const struct bl_app_mg_res *r);

/* `--apply N` (whatif_apply_text.c): the actions plan N was proposed as, in words (en,
 * zh-CN). */
struct bl_app_whatif_apply_res;
int bl_cli_whatif_applied(struct bl_cli *cli, const struct bl_app_whatif_apply_res *r);

#endif
