/* program.h - support programmes, typed (store family "program"; tables shop_standing,
 * program, program_member; docs/internals/programs.md).
 *
 * Ownership: loaders fill arrays the caller frees with bl_free; their strings come from
 * the caller's arena. Strings passed in are borrowed for the call. Writers run inside
 * the caller's transaction. Every query filters by org_id. */
#ifndef BL_STORE_PROGRAM_H
#define BL_STORE_PROGRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/store.h"

/* A shop's facts for programmes; times BL_NO_TIME when not set. */
struct bl_standing {
    int64_t opened_at;
    bool reopened;
    int64_t deposit_paid_at, sharing_at, violation_at;
    int64_t linked_to;  /* a shop id, 0: none */
    int64_t updated_at; /* BL_NO_TIME: never set */
};

/* A shop with its facts, what its messages are sent to, and its name. */
struct bl_pg_shop_row {
    int64_t org;          /* the organisation it belongs to */
    const char *org_name; /* and its name */
    int64_t id;
    const char *ext, *name, *region, *platform; /* region: ship_from, NULL when none */
    const char *sender;  /* the shop's own address (shop settings), NULL: not set */
    int64_t first_order; /* its first order placed, BL_NO_TIME: none */
    const char *tz;      /* its time zone (IANA) */
    struct bl_standing s;
};

/* Every shop of org, by id. */
int bl_store_program_shops(struct bl_store *st, int64_t org, struct bl_arena *a,
                           struct bl_pg_shop_row **out, size_t *n, struct bl_diag *d) BL_MUST_CHECK;

/* Replaces the facts of shop_id. */
int bl_store_standing_put(struct bl_store *st, int64_t org, int64_t shop_id,
                          const struct bl_standing *s, int64_t now,
                          struct bl_diag *d) BL_MUST_CHECK;

/* A programme as added. */
struct bl_program_row {
    int64_t id;
    const char *ext, *body, *source;
    int64_t added_at, updated_at;
};

/* The programmes org runs (not removed), by id. */
int bl_store_program_list(struct bl_store *st, int64_t org, struct bl_arena *a,
                          struct bl_program_row **out, size_t *n, struct bl_diag *d) BL_MUST_CHECK;

/* Adds programme ext, or replaces its text (*state: 0 the same text already, 1 added,
 * 2 replaced; a removed one comes back as added). *id: its id. */
int bl_store_program_put(struct bl_store *st, int64_t org, const char *ext, const char *body,
                         const char *source, int64_t now, int64_t *id, int *state,
                         struct bl_diag *d) BL_MUST_CHECK;

/* Removes programme ext (its members' records are kept). BL_ENOTFOUND when org runs no
 * such programme. */
int bl_store_program_remove(struct bl_store *st, int64_t org, const char *ext, int64_t now,
                            struct bl_diag *d) BL_MUST_CHECK;

/* Each shop's sales placed in [from, to) in currency, not cancelled: fn(ctx, shop, sum). */
typedef int (*bl_pg_sales_fn)(void *ctx, int64_t shop_id, int64_t sum);
int bl_store_program_sales(struct bl_store *st, int64_t org, int64_t from, int64_t to,
                           const char *currency, bl_pg_sales_fn fn, void *ctx,
                           struct bl_diag *d) BL_MUST_CHECK;

/* A shop's record in a programme. state "member" or "lost". */
struct bl_member_row {
    int64_t program_id, shop_org, shop_id; /* shop_org: the shop's organisation (the
                                              programme's, or a merchant it governs) */
    const char *org_name;                  /* shop_org's name (loaders) */
    const char *shop, *shop_name; /* as the shop knows them (loaders) */
    const char *state, *reason;   /* reason: why it was lost (a bl_pg_reason name), or NULL */
    const char *benefits;         /* JSON [{"what","amount","currency"}], NULL: none */
    int64_t since, lost_at, as_of, changed_at, cycle_id; /* BL_NO_TIME / 0 when NULL */
    int64_t since_day, lost_day; /* the shop's local days of since and lost_at (day numbers,
                                    BL_NO_TIME when NULL) */
};

/* The records of programme program_id (0: every programme), by programme, the shop's
 * organisation and the shop. */
int bl_store_program_members(struct bl_store *st, int64_t org, int64_t program_id,
                             struct bl_arena *a, struct bl_member_row **out, size_t *n,
                             struct bl_diag *d) BL_MUST_CHECK;

/* Writes m's record (program_id, shop_org, shop_id), replacing the one before. */
int bl_store_program_member_put(struct bl_store *st, int64_t org, const struct bl_member_row *m,
                                int64_t now, struct bl_diag *d) BL_MUST_CHECK;

#endif
