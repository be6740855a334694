/* msg_common.h - what `messages` and `banners` share (internal to src/cli): option
 * parsing of instants. The use cases, the template packs included, are in src/app
 * (app/messages.h). */
#ifndef BL_CLI_MSG_COMMON_H
#define BL_CLI_MSG_COMMON_H

#include "cli/cli.h"
#include "app/messages.h"

/* An instant (ISO 8601) or a date YYYY-MM-DD meaning the end of that UTC day.
 * Returns 0, or 2 after printing usage. */
int bl_msg_parse_instant(struct bl_cli *cli, const char *cmd, const char *opt, const char *text,
                         int64_t *t);

#endif
