/* action_words.h - the reasons `ballast actions --locale zh-CN` words itself
 * (action_words.c). */
#ifndef BL_CLI_ACTION_WORDS_H
#define BL_CLI_ACTION_WORDS_H

#include <stddef.h>

#include "store/stock.h"

/* The reason of x in Chinese into buf, when x is an action from a what-if's plan with its
 * numbers kept; NULL otherwise (the stored sentence stands). */
const char *bl__action_reason_zh(const struct bl_stock_action *x, char *buf, size_t cap);

#endif
