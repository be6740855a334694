/* regions.c - places named in the reader's language, for a region picker (regions.h).
 * Sorted by name as the locale sorts (ICU's collator: pinyin order in zh-CN). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ucol.h>

#include "app/regions.h"
#include "ballast/alloc.h"
#include "ballast/places.h"
#include "ballast/str.h"

#define CODES_MAX 200

static int add(struct bl_app_regions_res *res, size_t *cap)
{
    if (res->n < *cap)
        return BL_OK;
    size_t ncap = *cap ? *cap * 2 : 64;
    struct bl_app_region *v = bl_realloc(res->items, ncap * sizeof(*v));
    if (!v)
        return BL_ENOMEM;
    res->items = v;
    *cap = ncap;
    return BL_OK;
}

static void name_of(const struct bl_places *p, const char *code, const char *locale,
                    struct bl_app_region *r)
{
    struct bl_diag ig;
    bl_diag_clear(&ig);
    snprintf(r->code, sizeof(r->code), "%s", code);
    r->known = bl_places_known(p, code);
    if (!r->known || bl_places_name(p, code, locale, r->name, sizeof(r->name), &ig))
        r->name[0] = '\0';
}

/* The countries (no '-'), or country cc's subdivisions ("CC-..."). */
static int list(const struct bl_places *p, const char *cc, const char *locale,
                struct bl_app_regions_res *res)
{
    size_t cap = 0, ncc = cc ? strlen(cc) : 0;
    for (size_t i = 0; i < bl_places_count(p); i++) {
        const char *code = bl_places_code_at(p, i);
        bool take = cc ? strncmp(code, cc, ncc) == 0 && code[ncc] == '-' : !strchr(code, '-');
        if (!take)
            continue;
        if (add(res, &cap))
            return BL_ENOMEM;
        name_of(p, code, locale, &res->items[res->n++]);
    }
    return BL_OK;
}

static int codes(const struct bl_places *p, const char *text, const char *locale,
                 struct bl_app_regions_res *res, struct bl_diag *d)
{
    size_t cap = 0;
    const char *s = text;
    while (*s) {
        size_t n = strcspn(s, ",");
        char canon[BL_REGION_MAX];
        bl_diag_at(d, NULL, 0, "codes");
        if (res->n >= CODES_MAX) {
            res->reason = BL_APP_REGIONS_TOO_MANY;
            return bl_diag_set(d, BL_EINVAL, "codes: at most %d codes at a time", CODES_MAX);
        }
        if (bl_region_parse((struct bl_str){s, n}, canon, d)) {
            res->reason = BL_APP_REGIONS_BAD_CODE;
            return BL_EINVAL;
        }
        if (add(res, &cap))
            return BL_ENOMEM;
        name_of(p, canon, locale, &res->items[res->n]);
        snprintf(res->items[res->n++].code, BL_REGION_MAX, "%s", canon);
        s += n + (s[n] == ',');
    }
    return BL_OK;
}

static int by_name(UCollator *c, const struct bl_app_region *x, const struct bl_app_region *y)
{
    UErrorCode e = U_ZERO_ERROR;
    UCollationResult r = ucol_strcollUTF8(c, x->name, -1, y->name, -1, &e);
    return r == UCOL_LESS ? -1 : r == UCOL_GREATER ? 1 : strcmp(x->code, y->code);
}

/* By name as the locale sorts: an insertion sort with the collator in hand (qsort's
 * comparison takes no context, and a list is at most a few hundred names). */
static void sort_by_name(struct bl_app_regions_res *res, const char *locale)
{
    UErrorCode e = U_ZERO_ERROR;
    UCollator *c = ucol_open(locale, &e);
    if (U_FAILURE(e) || !c)
        return; /* code order, as the lists are */
    struct bl_app_region *v = res->items;
    for (size_t i = 1; i < res->n; i++) {
        struct bl_app_region t = v[i];
        size_t j = i;
        while (j > 0 && by_name(c, &v[j - 1], &t) > 0) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = t;
    }
    ucol_close(c);
}

int bl_app_regions(const struct bl_app_regions_req *req, struct bl_app_regions_res *res,
                   struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    const char *locale = req->locale && req->locale[0] ? req->locale : "en";
    const struct bl_places *p = NULL;
    int rc = bl_places_shared_l10n(&p, d);
    if (rc)
        return rc;
    if (req->codes)
        return codes(p, req->codes, locale, res, d);
    char cc[3] = "";
    if (req->country) {
        snprintf(cc, sizeof(cc), "%.2s", req->country);
        for (char *q = cc; *q; q++)
            *q = (char)(*q >= 'a' && *q <= 'z' ? *q - 'a' + 'A' : *q);
        struct bl_diag ig;
        bl_diag_clear(&ig);
        if (strlen(req->country) != 2 || !bl_places_known(p, cc) ||
            bl_places_country_name(p, cc, locale, res->country_name, sizeof(res->country_name),
                                   &ig)) {
            res->reason = BL_APP_REGIONS_BAD_COUNTRY;
            bl_diag_at(d, NULL, 0, "country");
            return bl_diag_set(d, BL_EINVAL,
                               "country '%.8s': expected an ISO 3166-1 code such "
                               "as CN, BR, US",
                               req->country);
        }
    }
    rc = list(p, req->country ? cc : NULL, locale, res);
    if (!rc)
        sort_by_name(res, locale);
    return rc;
}

void bl_app_regions_res_release(struct bl_app_regions_res *res)
{
    bl_free(res->items);
    res->items = NULL;
    res->n = 0;
}
