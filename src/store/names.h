/* names.h - what people call an organisation's shops, warehouses and SKUs (store family
 * "names"): each row's store id, its own id and its name, for a front end that shows
 * names, not ids (`whatif --mitigate`).
 *
 * Ownership: the rows and their strings live in the caller's arena. */
#ifndef BL_STORE_NAMES_H
#define BL_STORE_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/store.h"

enum bl_store_names_of { BL_NAMES_SHOP = 0, BL_NAMES_WAREHOUSE, BL_NAMES_SKU };

struct bl_store_name {
    int64_t id;
    const char *ext, *name;
    int64_t weight_g; /* SKUs: the weight in grams (0: unknown); else 0 */
};

/* Every row of the table, in id order: *out (arena) and *n. */
int bl_store_names(struct bl_store *st, int64_t org, enum bl_store_names_of of, struct bl_arena *a,
                   struct bl_store_name **out, size_t *n, struct bl_diag *d) BL_MUST_CHECK;

#endif
