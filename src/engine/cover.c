/* cover.c - does a declared disruption cover a shipment (cover.h). */
#include <string.h>

#include "ballast/cover.h"
#include "ballast/region.h"

enum bl_scope bl_cover_scope(const char *name)
{
    if (!name)
        return (enum bl_scope)0;
    if (strcmp(name, "origin") == 0)
        return BL_SCOPE_ORIGIN;
    if (strcmp(name, "destination") == 0)
        return BL_SCOPE_DESTINATION;
    if (strcmp(name, "both") == 0)
        return BL_SCOPE_BOTH;
    return (enum bl_scope)0;
}

static bool active(const struct bl_cover_disruption *x, int64_t t)
{
    return !x->supplier_only && x->starts <= t && t < x->ends;
}

bool bl_cover_order(const struct bl_cover_disruption *x, const char *code, enum bl_scope side,
                    const char *channel, int64_t t)
{
    if (!code || !code[0] || !x->region || !active(x, t))
        return false;
    if (!((unsigned)x->scope & (unsigned)side))
        return false;
    if (x->channel && x->channel[0] && (!channel || strcmp(channel, x->channel) != 0))
        return false;
    return bl_region_contains(bl_str_c(x->region), bl_str_c(code));
}

bool bl_cover_channel(const struct bl_cover_disruption *x, const char *channel, int64_t t)
{
    return active(x, t) && x->channel && x->channel[0] && channel &&
           strcmp(channel, x->channel) == 0;
}
