/* region.h - region codes and the interned region trie.
 *
 * A region code is an ISO 3166-1 alpha-2 country ("CN", "BR"), optionally an
 * ISO 3166-2 subdivision ("CN-SH", "BR-SP", "US-CA"), optionally narrowed by a
 * postal-code prefix after a colon ("BR-SP:013", "GB:SW1"). A postal prefix may
 * follow a country directly. A region contains every code that extends it:
 * "BR" contains "BR-SP", "BR-SP" contains "BR-SP:013" and "BR-SP:0134".
 *
 * Canonical form: country and subdivision upper case; postal prefix upper case,
 * letters and digits only (spaces and '-' inside a postal prefix are dropped).
 *
 * struct bl_regions interns codes into a trie (one node per country, per
 * subdivision and per postal character), so a containment test is a walk up
 * parent links: a few pointer steps, no string work. All memory comes from the
 * arena passed to bl_regions_new; nothing to free separately (release the arena).
 */
#ifndef BALLAST_REGION_H
#define BALLAST_REGION_H

#include <stdbool.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/err.h"
#include "ballast/str.h"

#define BL_REGION_MAX 32 /* longest canonical code, plus NUL */

/* Validates and canonicalises. The country must be an ISO 3166-1 code (ICU's list);
 * the subdivision 1-3 letters/digits; the postal prefix 1-10 letters/digits.
 * Writes the canonical code into out (the caller's, BL_REGION_MAX bytes; "" after
 * a failure). BL_EPARSE with a message in d (may be NULL) on failure. */
int bl_region_parse(struct bl_str s, char *out, struct bl_diag *d) BL_MUST_CHECK;

/* Pure textual containment on canonical codes. */
bool bl_region_contains(struct bl_str outer, struct bl_str inner);

/* Interned trie. Node id 0 is the root ("everywhere", contains every region). */
struct bl_regions;

/* The trie and all its nodes live in a (freed with it); NULL on ENOMEM. */
struct bl_regions *bl_regions_new(struct bl_arena *a);
/* Interns a canonical code (as produced by bl_region_parse); *id > 0. Creates the
 * missing ancestors too ("BR-SP:01" also makes BR, BR-SP and BR-SP:0). BL_EINVAL
 * for a non-canonical code, BL_ENOMEM / BL_ETOOBIG with the trie unchanged. */
int bl_regions_intern(struct bl_regions *r, struct bl_str code, uint32_t *id) BL_MUST_CHECK;
/* Finds an interned code; 0 if absent. Never creates nodes. */
uint32_t bl_regions_find(const struct bl_regions *r, struct bl_str code);
/* The longest interned code that contains code (itself if interned; 0, the root,
 * if none): matches an order's full region against interned regions without
 * interning it. Never creates nodes. Non-canonical codes give 0. */
uint32_t bl_regions_find_prefix(const struct bl_regions *r, struct bl_str code);
/* Ids this trie never issued: contains is false, parent and depth are 0. */
bool bl_regions_contains(const struct bl_regions *r, uint32_t outer, uint32_t inner);
uint32_t bl_regions_parent(const struct bl_regions *r, uint32_t id);
/* 0 root, 1 country, 2 subdivision, then one more per postal character. */
uint32_t bl_regions_depth(const struct bl_regions *r, uint32_t id);
/* The canonical code of a node ("" for the root, NULL for an unknown id).
 * Owned by the trie; valid as long as the arena. */
const char *bl_regions_name(const struct bl_regions *r, uint32_t id);
uint32_t bl_regions_count(const struct bl_regions *r); /* nodes including root */

#endif
