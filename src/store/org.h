/* org.h - organisations and what they hold, typed (store family "org"): find or create an
 * organisation by name, count an organisation's rows of a table, find one of its records
 * by the id the user's data gives it (ext_id), and its shops.
 *
 * Strings passed in are borrowed for the call. */
#ifndef BL_STORE_ORG_H
#define BL_STORE_ORG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/store.h"

/* The id of the organisation called name: BL_ENOTFOUND (d untouched, *id 0) when none. */
int bl_store_org_find(struct bl_store *st, const char *name, int64_t *id,
                      struct bl_diag *d) BL_MUST_CHECK;

/* The organisation called name, created (id from the allocator, org 0) when it does not
 * exist; *created says which. Runs inside the caller's transaction. */
int bl_store_org_add(struct bl_store *st, const char *name, int64_t *id, bool *created,
                     struct bl_diag *d) BL_MUST_CHECK;

/* How many rows of table (a plain identifier, else BL_EINVAL) belong to org. */
int bl_store_org_rows(struct bl_store *st, int64_t org, const char *table, int64_t *n,
                      struct bl_diag *d) BL_MUST_CHECK;

/* The id of org's record of table (shop, channel, supplier, disruption, ...: a plain
 * identifier with an ext_id column) whose ext_id is ext: BL_ENOTFOUND (d untouched) when
 * there is none. */
int bl_store_org_ext_id(struct bl_store *st, int64_t org, const char *table, const char *ext,
                        int64_t *id, struct bl_diag *d) BL_MUST_CHECK;

/* Org's shop whose ext_id is ext: its id and its time zone (copied into tz, cap bytes).
 * BL_ENOTFOUND (d untouched) when there is none. */
int bl_store_org_shop(struct bl_store *st, int64_t org, const char *ext, int64_t *id, char *tz,
                      size_t cap, struct bl_diag *d) BL_MUST_CHECK;

#endif
