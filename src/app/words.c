/* words.c - places, carriers and the buyer's language in words (words.h). */
#include <string.h>

#include "app/words.h"
#include "ballast/l10n.h"
#include "ballast/places.h"
#include "ballast/region.h"
#include "ballast/str.h"

/* The ISO 3166 names in the packs' languages; without iso-codes (not installed) places
 * are named by their country, from ICU. A malformed catalogue is an error. */
static int open_places(struct bl__words *w, const char *const *locales, size_t nlocales,
                       struct bl_diag *d)
{
    struct bl_diag ig;
    bl_diag_clear(&ig);
    if (bl_places_open(NULL, NULL, &w->places, &ig) != BL_OK) {
        w->places = NULL;
        return BL_OK;
    }
    int rc = BL_OK;
    for (size_t i = 0; !rc && i < nlocales; i++)
        rc = bl_places_load_locale(w->places, locales[i], d);
    return rc;
}

int bl__words_open(struct bl__words *w, struct bl_store *st, int64_t org,
                   const char *const *locales, size_t nlocales, struct bl_diag *d)
{
    memset(w, 0, sizeof(*w));
    bl_arena_init(&w->arena, 4096);
    int rc = bl_store_area_names(st, org, &w->arena, &w->areas, &w->nareas, d);
    if (!rc)
        rc = bl_store_area_carriers(st, org, &w->arena, &w->carriers, &w->ncarriers, d);
    if (!rc)
        rc = open_places(w, locales, nlocales, d);
    return rc;
}

void bl__words_release(struct bl__words *w)
{
    if (w->places)
        bl_places_close(w->places);
    bl_free(w->areas);
    bl_free(w->carriers);
    bl_arena_release(&w->arena);
    memset(w, 0, sizeof(*w));
}

const char *bl__words_carrier(const struct bl__words *w, const char *channel)
{
    if (!channel || !channel[0])
        return NULL;
    size_t lo = 0, hi = w->ncarriers;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(w->carriers[mid].channel, channel);
        if (c == 0)
            return w->carriers[mid].carrier[0] ? w->carriers[mid].carrier : NULL;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* The primary language subtag of a locale ("pt" of "pt-BR", "zh" of "zh_CN"). */
static size_t lang_len(const char *s)
{
    size_t n = 0;
    while (s[n] && s[n] != '-' && s[n] != '_' && s[n] != '.' && s[n] != '@')
        n++;
    return n;
}

bool bl__words_same_language(const char *pack, const char *want)
{
    if (!pack || !want)
        return false;
    size_t a = lang_len(pack), b = lang_len(want);
    if (a != b)
        return false;
    for (size_t i = 0; i < a; i++)
        if ((pack[i] | 0x20) != (want[i] | 0x20))
            return false;
    return true;
}

void bl__words_language(const char *buyer, const char *ship_to, char *out, size_t cap,
                        bool *from_country)
{
    *from_country = false;
    if (buyer && buyer[0]) {
        bl_str_copy(out, cap, bl_str_c(buyer));
        return;
    }
    struct bl_diag ig;
    if (ship_to && ship_to[0] && bl_l10n_country_language(ship_to, out, cap, &ig) == BL_OK) {
        *from_country = true;
        return;
    }
    if (cap)
        out[0] = '\0';
}

/* The name of the most precise area containing code, best in locale's language (then
 * any language, ""), or NULL. */
static const char *area_name(const struct bl__words *w, const char *locale, const char *code)
{
    const char *best = NULL;
    size_t best_len = 0;
    int best_score = -1;
    for (size_t i = 0; i < w->nareas; i++) {
        const struct bl_area_name *x = &w->areas[i];
        size_t len = strlen(x->region);
        if (len < best_len || !bl_region_contains(bl_str_c(x->region), bl_str_c(code)))
            continue;
        int score = strcmp(x->locale, locale) == 0               ? 3
                    : bl__words_same_language(x->locale, locale) ? 2
                    : x->locale[0] == '\0'                       ? 1
                                                                 : 0;
        if (score == 0)
            continue;
        if (len > best_len || score > best_score) {
            best = x->name;
            best_len = len;
            best_score = score;
        }
    }
    return best;
}

/* "the area around %s" in a language: before and after the name. */
static const char *const around[][3] = {
    {"zh", "", "一带"},
    {"pt", "", " e arredores"},
    {"es", "", " y alrededores"},
    {"en", "the area around ", ""},
};

static const char *const somewhere[][2] = {
    {"zh", "受影响地区"},
    {"pt", "a região afetada"},
    {"es", "la zona afectada"},
    {"en", "the affected area"},
};

/* Countries whose English name takes "the" in a sentence ("delivery to the United States"). */
static const char the_countries[][3] = {"US", "GB", "NL", "PH", "AE", "DO", "BS", "GM",
                                        "CF", "KM", "MV", "MH", "SB", "KY", "VG", "FO"};

static bool takes_the(const char *locale, const char *code)
{
    if (!bl__words_same_language(locale, "en") || strlen(code) < 2 || (code[2] && code[2] != ':'))
        return false; /* a country's name only ("GB", "GB:EH"), not a subdivision's */
    for (size_t i = 0; i < sizeof(the_countries) / sizeof(the_countries[0]); i++)
        if ((code[0] & ~0x20) == the_countries[i][0] && (code[1] & ~0x20) == the_countries[i][1])
            return true;
    return false;
}

static size_t lang_row(const char *locale, const char *const *first, size_t stride, size_t n)
{
    size_t k = 0;
    while (k + 1 < n && !bl__words_same_language(first[k * stride], locale))
        k++;
    return k; /* English, the last, for any other language */
}

static int put(char *out, size_t cap, const char *a, const char *b, const char *c,
               struct bl_diag *d)
{
    int n = snprintf(out, cap, "%s%s%s", a, b, c);
    if (n < 0 || (size_t)n >= cap)
        return bl_diag_set(d, BL_ETOOBIG, "place name longer than %zu bytes", cap);
    return BL_OK;
}

int bl__words_place(const struct bl__words *w, const char *locale, const char *code, char *out,
                    size_t cap, struct bl_diag *d)
{
    const char *loc = locale && locale[0] ? locale : "en";
    const char *name = code && code[0] ? area_name(w, loc, code) : NULL;
    if (name) {
        size_t k = lang_row(loc, &around[0][0], 3, sizeof(around) / sizeof(around[0]));
        return put(out, cap, around[k][1], name, around[k][2], d);
    }
    char buf[256];
    struct bl_diag ig;
    bool subdivision =
        code && strlen(code) > 2 && code[2] == '-' && w->places && bl_places_known(w->places, code);
    int rc = BL_ENOTFOUND;
    if (code && w->places)
        rc = bl_places_name(w->places, code, loc, buf, sizeof(buf), &ig);
    if (rc && code)
        rc = bl_l10n_region(loc, code, buf, sizeof(buf), &ig);
    if (!rc)
        return put(out, cap, !subdivision && takes_the(loc, code) ? "the " : "", buf, "", d);
    size_t k = lang_row(loc, &somewhere[0][0], 2, sizeof(somewhere) / sizeof(somewhere[0]));
    return put(out, cap, somewhere[k][1], "", "", d);
}
