/* assessment.h - the assessment's stored results, typed (store family "assessment"):
 * table assessment (one row per profile, window, shop and as-of), and the reads the
 * assessment makes of other tables: the profiles shops use, an order by its external
 * id, and the text of a disruption or protection for --explain.
 *
 * Ownership: strings in rows given to the store are borrowed for the call; what the
 * store returns is in the caller's arena (strings) or malloc'd (arrays: bl_free). */
#ifndef BL_STORE_ASSESSMENT_H
#define BL_STORE_ASSESSMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/assess.h"
#include "ballast/store.h"

/* One shop's result as stored. */
struct bl_assessment {
    int64_t shop_id;
    struct bl_shop_counts k;
    double score;       /* NaN: none; stored in hundredths */
    const char *rating; /* "" none */
    bool carried;
    int64_t carried_from; /* when carried */
    const char *failing;  /* the rules missed, "metric:window,..." ("" none, NULL unknown) */
};

/* Replaces the stored results of (profile, window, as_of) with rows, stamped
 * computed_at and cycle_id (0: none). Runs inside the caller's transaction. */
int bl_store_assessment_replace(struct bl_store *st, int64_t org, const char *profile, int window,
                                int64_t as_of, const struct bl_assessment *rows, size_t n,
                                int64_t computed_at, int64_t cycle_id,
                                struct bl_diag *d) BL_MUST_CHECK;

/* A stored result of an earlier as-of. */
struct bl_assessment_prev {
    int64_t shop_id, as_of;
    struct bl_shop_counts k; /* the columns stored (due and exempt counts included) */
    double score;            /* NaN: none */
    char rating[16];
};

/* Per shop, the latest stored result of (profile, window) before `before` that was not
 * carried over and had at least min_counted counted shipments. *out is malloc'd (free
 * with bl_free), *n entries, newest first. */
int bl_store_assessment_earlier(struct bl_store *st, int64_t org, const char *profile, int window,
                                int64_t before, int64_t min_counted,
                                struct bl_assessment_prev **out, size_t *n,
                                struct bl_diag *d) BL_MUST_CHECK;

/* The stored rows of (profile, window, as_of): fn(ctx, shop_id, counts, computed_at,
 * events_upto) per shop; events_upto is the last order_event id when it was computed, -1
 * when unknown. */
int bl_store_assessment_stored(struct bl_store *st, int64_t org, const char *profile, int window,
                               int64_t as_of,
                               int (*fn)(void *ctx, int64_t shop_id, const struct bl_shop_counts *k,
                                         int64_t computed_at, int64_t events_upto),
                               void *ctx, struct bl_diag *d) BL_MUST_CHECK;

/* The ext ids of shop_id's orders changed (order_event) after event after_event (or, when
 * it is -1, at or after the instant since), sorted: at most cap into a, *n of them,
 * *more whether there are others. */
int bl_store_assessment_changed_orders(struct bl_store *st, int64_t org, int64_t shop_id,
                                       int64_t after_event, int64_t since, size_t cap,
                                       struct bl_arena *a, const char ***out, size_t *n,
                                       bool *more, struct bl_diag *d) BL_MUST_CHECK;

/* The distinct rule profiles of org's shops, sorted, in a (each a NUL-terminated
 * string); *n of them. */
int bl_store_assessment_profiles(struct bl_store *st, int64_t org, struct bl_arena *a,
                                 const char ***out, size_t *n, struct bl_diag *d) BL_MUST_CHECK;
/* The ext ids of org's shops whose profile is `profile`, sorted, in a. */
int bl_store_assessment_profile_shops(struct bl_store *st, int64_t org, const char *profile,
                                      struct bl_arena *a, const char ***out, size_t *n,
                                      struct bl_diag *d) BL_MUST_CHECK;

/* The store id of the order with external id ext (in shop shop_id; 0: any shop);
 * *count how many orders have that id (0: *id untouched). */
int bl_store_assessment_find_order(struct bl_store *st, int64_t org, const char *ext,
                                   int64_t shop_id, int64_t *id, int64_t *count,
                                   struct bl_diag *d) BL_MUST_CHECK;

/* A declared disruption's text, for explanations (strings in a). */
struct bl_assessment_disruption {
    const char *kind, *region, *scope, *note; /* note "" when none */
    int64_t starts_at, ends_at;
    bool lifted;
    int64_t lifted_at;
};

/* *found false when there is no disruption with that id. */
int bl_store_assessment_disruption(struct bl_store *st, int64_t org, int64_t id, struct bl_arena *a,
                                   struct bl_assessment_disruption *out, bool *found,
                                   struct bl_diag *d) BL_MUST_CHECK;

struct bl_assessment_protection {
    int64_t starts_at, ends_at;
    const char *reason;
};

int bl_store_assessment_protection(struct bl_store *st, int64_t org, int64_t id, struct bl_arena *a,
                                   struct bl_assessment_protection *out, bool *found,
                                   struct bl_diag *d) BL_MUST_CHECK;

#endif
