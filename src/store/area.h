/* area.h - the words a buyer reads about places and carriers, typed (store family
 * "area"): the names of areas (a postal prefix such as "CN-ZJ:322" is "Yiwu"), the
 * carriers' names of the channels, and the lanes each shop actually ships (its recent
 * orders' channels per destination country), for the shops' delivery-time notices.
 *
 * Ownership: loaders fill arrays the caller frees with bl_free; their strings come
 * from the caller's arena. */
#ifndef BL_STORE_AREA_H
#define BL_STORE_AREA_H

#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/store.h"

/* An area's name in a language ("" locale: any language), from `import areas`. */
struct bl_area_name {
    const char *region, *locale, *name;
};

/* Every area name of org, by region then locale. */
int bl_store_area_names(struct bl_store *st, int64_t org, struct bl_arena *a,
                        struct bl_area_name **out, size_t *n, struct bl_diag *d) BL_MUST_CHECK;

/* A channel's carrier, as the buyer knows it ("China Post" for CNPOST-EPACKET-US). */
struct bl_area_carrier {
    const char *channel, *carrier;
};

/* Every channel of org with its carrier, by channel id. */
int bl_store_area_carriers(struct bl_store *st, int64_t org, struct bl_arena *a,
                           struct bl_area_carrier **out, size_t *n,
                           struct bl_diag *d) BL_MUST_CHECK;

/* What a shop's lanes to one destination country promise: the transit days of the
 * channels its orders placed in [since, until] used to get there. */
struct bl_area_lane {
    int64_t shop_id;
    const char *country; /* "US", "BR" */
    int64_t transit_min, transit_max, orders;
};

/* By shop, then country. Orders without a channel, or on a channel the catalogue lacks,
 * say nothing about a window and are left out. */
int bl_store_area_lanes(struct bl_store *st, int64_t org, int64_t since, int64_t until,
                        struct bl_arena *a, struct bl_area_lane **out, size_t *n,
                        struct bl_diag *d) BL_MUST_CHECK;

#endif
