/* regions.h - the places a person picks a disruption's region from, named in the
 * reader's language: the countries, a country's subdivisions, or given codes (ISO 3166,
 * Debian's iso-codes and ICU through ballast/places.h). GET /api/v1/regions.
 *
 * Ownership: res->items is the caller's, released with bl_app_regions_res_release.
 */
#ifndef BL_APP_REGIONS_H
#define BL_APP_REGIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "ballast/err.h"
#include "ballast/region.h"

struct bl_app_region {
    char code[BL_REGION_MAX]; /* canonical: "CN", "CN-ZJ" (codes: as given, canonical) */
    char name[160];           /* in the locale (English where it has no translation) */
    bool known;               /* ISO 3166 knows it (codes may name unknown ones: name "") */
};

struct bl_app_regions_req {
    const char *locale;  /* BCP 47 ("zh-CN"); NULL: English */
    const char *country; /* "CN": its subdivisions; NULL: the countries (not with codes) */
    const char *codes;   /* "CN-ZJ,DE:10": these codes only, in the order given (<= 200) */
};

enum bl_app_regions_reason {
    BL_APP_REGIONS_OK = 0,
    BL_APP_REGIONS_BAD_COUNTRY, /* req->country is not a known ISO 3166-1 code */
    BL_APP_REGIONS_BAD_CODE,    /* a code of req->codes is not a region code (d says which) */
    BL_APP_REGIONS_TOO_MANY,    /* more than 200 codes */
};

struct bl_app_regions_res {
    enum bl_app_regions_reason reason;
    struct bl_app_region *items; /* countries or subdivisions by name in the locale's order */
    size_t n;
    char country_name[160]; /* req->country's name, else "" */
};

/* The list asked for. BL_EINVAL (reason, d->field "country" or "codes") for a request
 * that names what does not exist; BL_EIO/BL_EPARSE when the ISO lists cannot be read. */
int bl_app_regions(const struct bl_app_regions_req *req, struct bl_app_regions_res *res,
                   struct bl_diag *d) BL_MUST_CHECK;
void bl_app_regions_res_release(struct bl_app_regions_res *res);

#endif
