/* mitigate_impl.h - what mitigate.c and mitigate_search.c share (internal). */
#ifndef BALLAST_ENGINE_MITIGATE_IMPL_H
#define BALLAST_ENGINE_MITIGATE_IMPL_H

#include "ballast/mitigate.h"
#include "ballast/money.h"

/* The most levers one problem's plan holds (the greedy search stops there). */
#define BL__MG_MAX_STEPS 64

/* Backup suppliers, transfers and promotion act on stock-outs; the others on lateness. */
bool bl__mg_supply_kind(enum bl_mg_kind k);

/* Every problem and lever in range (BL_EINVAL naming its index). */
int bl__mg_check(const struct bl_mg_input *in, struct bl_diag *d) BL_MUST_CHECK;

#endif
