/* cover.h - does a declared disruption cover a shipment: the one rule, by text.
 *
 * The assessment (assess.h) decides on interned region ids in its hot pass; the
 * outbox (notify.h) and the shop banners work on a few rows as text. Both follow the
 * same rule, stated here once for text (assess.c's dis_applies + match_dis):
 *
 *  - the disruption is active at t: starts <= t < ends, where ends is the earlier of
 *    its end and the moment it was lifted;
 *  - it is not restricted to a supplier (that delays stock, not the carrier);
 *  - its scope names the side: origin (ship-from), destination (ship-to) or both;
 *  - restricted to a channel, it covers only shipments on that channel;
 *  - its region contains the shipment's region on that side (region.h: "CN"
 *    contains "CN-SH"); a shipment with no region there is not covered.
 *
 * Shop notices (banners) also treat a channel-restricted disruption as reaching
 * every shop whose orders use that channel, wherever it ships from:
 * bl_cover_channel.
 *
 * Pure: no I/O, no clock. Strings are borrowed for the call.
 */
#ifndef BALLAST_COVER_H
#define BALLAST_COVER_H

#include <stdbool.h>
#include <stdint.h>

#include "ballast/assess.h" /* enum bl_scope, BL_NO_TIME */

struct bl_cover_disruption {
    const char *region;  /* canonical region code ("CN-SH") */
    enum bl_scope scope; /* BL_SCOPE_ORIGIN, _DESTINATION or _BOTH */
    const char *channel; /* NULL or "": every channel */
    bool supplier_only;  /* restricted to a supplier */
    int64_t starts, ends; /* active during [starts, ends); ends = min(ends_at, lifted_at) */
};

/* The scope of a stored disruption ("origin", "destination", "both"); 0 for
 * anything else (covers nothing). */
enum bl_scope bl_cover_scope(const char *name);

/* Whether x, active at t, covers a shipment whose region on side (BL_SCOPE_ORIGIN
 * or BL_SCOPE_DESTINATION) is code, carried on channel (NULL or "": none). */
bool bl_cover_order(const struct bl_cover_disruption *x, const char *code, enum bl_scope side,
                    const char *channel, int64_t t);

/* Whether x, active at t and not supplier-only, is restricted to channel (a
 * shop whose orders use that channel shows a notice). */
bool bl_cover_channel(const struct bl_cover_disruption *x, const char *channel, int64_t t);

#endif
