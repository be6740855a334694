/* msg_common.c - instants for `messages` and `banners` (msg_common.h). */
#include "cli/msg_common.h"

int bl_msg_parse_instant(struct bl_cli *cli, const char *cmd, const char *opt, const char *text,
                         int64_t *t)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_cli_parse_as_of(text, NULL, t, &d))
        return bl_cli_usage(cli, cmd, "%s %s: %s (expected YYYY-MM-DD or an ISO 8601 instant)",
                            opt, text, d.msg);
    return 0;
}
