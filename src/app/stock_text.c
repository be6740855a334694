/* stock_text.c - the English sentences of the playbook's actions, as stored in
 * action.reason and action.close_reason (stock.h). */
#include <stdio.h>

#include "app/stock.h"

const char *bl_app_stock_action_text(const struct bl_pb_action *x, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s", x->reason);
    return buf;
}
