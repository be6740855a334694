/* words.h - what a buyer reads instead of a code (internal to src/app): places by their
 * names in the buyer's language, carriers by their names, the buyer's language itself.
 * The outbox (messages_data.c) and the shop notices (banners.c) use it.
 *
 *  - a region narrower than a subdivision (a postal prefix, "CN-ZJ:322") is named as its
 *    area ("the area around Yiwu", "义乌一带", "Yiwu e arredores", "Yiwu y alrededores")
 *    when `import areas` gave it a name, else as its subdivision ("Zhejiang", "浙江") or
 *    country ("China"); never as a code;
 *  - a channel ("YW-DED-US") is named by its carrier ("Yanwen"); a channel the catalogue
 *    lacks has no name (the templates then say "the carrier");
 *  - the buyer's language: the customer's (the order's, else the customer file's), else
 *    the main language of the delivery country (ICU's likely subtags: BR -> pt-BR), else
 *    unknown (the planner then uses the default pack, English: shops have no language
 *    of their own in the store yet).
 *
 * Ownership: struct bl__words owns what it loaded (an arena, arrays) until
 * bl__words_release, which is safe on a zeroed struct. Read-only once opened. */
#ifndef BL_APP_WORDS_H
#define BL_APP_WORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/store.h"
#include "store/area.h"

struct bl_places;

struct bl__words {
    struct bl_arena arena;
    struct bl_area_name *areas; /* by region, then locale */
    size_t nareas;
    struct bl_area_carrier *carriers; /* by channel */
    size_t ncarriers;
    struct bl_places *places; /* ISO 3166 names; NULL when iso-codes is not installed */
};

/* Loads org's area and carrier names and opens the ISO 3166 names (places.h) with the
 * translations of locales (the packs'). Without iso-codes installed, subdivisions are
 * named by their country (ICU). */
int bl__words_open(struct bl__words *w, struct bl_store *st, int64_t org,
                   const char *const *locales, size_t nlocales, struct bl_diag *d) BL_MUST_CHECK;
void bl__words_release(struct bl__words *w);

/* The carrier of a channel id, or NULL when unknown (or channel NULL/""). */
const char *bl__words_carrier(const struct bl__words *w, const char *channel);

/* A region in locale's words, as above. Never fails for want of a name (the last resort
 * is "the affected area" in the language); BL_ETOOBIG when out is too small. */
int bl__words_place(const struct bl__words *w, const char *locale, const char *code, char *out,
                    size_t cap, struct bl_diag *d) BL_MUST_CHECK;

/* The buyer's language as a BCP 47 tag into out ("" when unknown): the buyer's own
 * (buyer, may be NULL), else the delivery country's (ship_to, may be NULL). *from_country
 * says which. */
void bl__words_language(const char *buyer, const char *ship_to, char *out, size_t cap,
                        bool *from_country);

/* Whether a pack's locale speaks the wanted language (the same primary language). */
bool bl__words_same_language(const char *pack, const char *want);

#endif
