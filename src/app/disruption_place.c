/* disruption_place.c - a region code checked against ISO 3166 (Debian's iso-codes, through
 * ballast/places.h), with a did-you-mean (disruption.h, bl_app_place_check). */
#include <stdio.h>
#include <string.h>

#include "app/disruption.h"
#include "app/disruption_impl.h"

#include "ballast/places.h"

/* The country and subdivision part of a canonical code ("BR-SP:013" -> "BR-SP"). */
static void place_part(const char *code, char *out, size_t cap)
{
    size_t n = strcspn(code, ":");
    if (n >= cap)
        n = cap - 1;
    memcpy(out, code, n);
    out[n] = '\0';
}

/* "; did you mean CN-ZJ (Zhejiang)?" into out, or "" with no suggestion. */
static void did_you_mean(const struct bl_places *p, const char *code,
                         struct bl_app_place_check *out, char *text, size_t cap)
{
    text[0] = '\0';
    struct bl_diag ig;
    bl_diag_clear(&ig);
    if (!bl_places_suggest(p, code, out->suggest, sizeof(out->suggest)))
        return;
    if (bl_places_name(p, out->suggest, "en", out->suggest_name, sizeof(out->suggest_name), &ig))
        out->suggest_name[0] = '\0';
    if (out->suggest_name[0])
        snprintf(text, cap, "; did you mean %s (%s)?", out->suggest, out->suggest_name);
    else
        snprintf(text, cap, "; did you mean %s?", out->suggest);
}

void bl__dis_place_name(const char *code, char *out, size_t cap)
{
    out[0] = '\0';
    const struct bl_places *p = NULL;
    struct bl_diag ig;
    bl_diag_clear(&ig);
    char part[BL_REGION_MAX];
    place_part(code, part, sizeof(part));
    if (bl_places_shared(&p, &ig) == BL_OK && bl_places_name(p, part, "en", out, cap, &ig) != BL_OK)
        out[0] = '\0';
}

int bl_app_place_check(const char *code, struct bl_app_place_check *out, struct bl_diag *d)
{
    memset(out, 0, sizeof(*out));
    const struct bl_places *p = NULL; /* the process's, shared (places.h) */
    int rc = bl_places_shared(&p, d);
    if (rc)
        return rc;
    char part[BL_REGION_MAX];
    place_part(code, part, sizeof(part));
    out->known = bl_places_known(p, part);
    struct bl_diag ig;
    bl_diag_clear(&ig);
    out->country_known =
        bl_places_country_name(p, part, "en", out->country, sizeof(out->country), &ig) == BL_OK;
    if (!out->country_known)
        out->country[0] = '\0';
    if (!out->known) {
        char mean[160];
        did_you_mean(p, part, out, mean, sizeof(mean));
        bl_diag_at(d, NULL, 0, "region");
        if (out->country_known)
            rc = bl_diag_set(d, BL_ENOTFOUND, "%s is not an ISO 3166-2 subdivision of %s%s", part,
                             out->country, mean);
        else
            rc = bl_diag_set(d, BL_ENOTFOUND, "%.2s is not an ISO 3166-1 country code%s", part,
                             mean);
    }
    return rc;
}
