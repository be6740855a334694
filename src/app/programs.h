/* programs.h - a marketplace's support programmes for its merchants: added from data
 * files, evaluated as of a day (by `programs eval` and the cycle's watch step), their
 * members stored, each joining and each loss told to the merchant once through the
 * outbox (docs/internals/programs.md, issue #19).
 *
 * A merchant is a shop of the organisation (for a marketplace such as Olist, a seller).
 * Its facts (e-commerce opened, deposit paid, sharing enabled, a violation, a linked
 * account) are set with bl_app_standing_set / _import; where it ships from is the shop's
 * ship_from; its sales are its orders.
 *
 * Ownership: every _res owns its memory and is freed by its _release (safe on a zeroed
 * or partly filled one). Requests are borrowed for the call.
 */
#ifndef BL_APP_PROGRAMS_H
#define BL_APP_PROGRAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/app.h"
#include "ballast/programs.h"
#include "store/program.h"

/* One programme the organisation runs, with its members as last stored. */
struct bl_app_program {
    int64_t id;
    struct bl_program def;
    const char *source; /* the file it was added from */
    int64_t added_at, updated_at;
    int64_t members, lost; /* records in each state */
    int64_t as_of;         /* the last evaluation's as-of (BL_NO_TIME: never) */
};

enum bl_app_program_added { BL_APP_PG_SAME = 0, BL_APP_PG_ADDED, BL_APP_PG_REPLACED };

/* Reads, checks and stores the programme in the file at path (a programme of the same id
 * is replaced; its members are kept and the next evaluation decides them again). A bad
 * file: BL_EPARSE, d with the file, line or field, and what was expected. Audited. */
int bl_app_program_add(struct bl_store *st, int64_t org, const char *path, int64_t now,
                       struct bl_app_program *out, enum bl_app_program_added *state,
                       struct bl_diag *d) BL_MUST_CHECK;

/* Stops running programme ext (its records stay). BL_ENOTFOUND when none. Audited. */
int bl_app_program_remove(struct bl_store *st, int64_t org, const char *ext, int64_t now,
                          struct bl_diag *d) BL_MUST_CHECK;

struct bl_app_programs_res {
    struct bl_app_program *items;
    size_t n;
    struct bl_arena arena;
};

/* The programmes org runs, by id. A stored text that no longer parses: BL_EPARSE naming
 * the programme. */
int bl_app_programs(struct bl_store *st, int64_t org, struct bl_app_programs_res *res,
                    struct bl_diag *d) BL_MUST_CHECK;
void bl_app_programs_res_release(struct bl_app_programs_res *res);

/* ---- evaluation --------------------------------------------------------------------- */

struct bl_app_programs_eval_req {
    int64_t as_of;       /* decided as of this instant */
    bool dry_run;        /* decide, store nothing and queue no message */
    const char *program; /* NULL: every programme; else its id */
    int64_t now, cycle_id;
    const char *templates; /* NULL: bl_app_templates_dir() */
};

enum bl_app_pg_change {
    BL_APP_PG_OUT = 0, /* not a member, and was not one */
    BL_APP_PG_STAYS,   /* a member, as before */
    BL_APP_PG_JOINS,   /* a member now, not before */
    BL_APP_PG_LEAVES,  /* was a member, is not now: loses the benefits (reason) */
};

/* One programme and one shop as of the as-of. */
struct bl_app_pg_decision {
    size_t program; /* index in res->programs */
    const struct bl_pg_shop_row *shop;
    const struct bl_tz *tz; /* the shop's zone (NULL: UTC, when its zone does not load) */
    struct bl_pg_verdict v;
    enum bl_app_pg_change change;
    int64_t share[BL_PG_BENEFITS_MAX]; /* per benefit of the programme, minor units */
    int64_t sales;                     /* sales before the disruption (BY_SALES), else 0 */
    int64_t sales_from, sales_to;      /* the window those sales are from */
};

struct bl_app_programs_eval_res {
    struct bl_app_program *programs;
    size_t nprograms;
    struct bl_app_pg_decision *d; /* programme by programme, shops as in shops */
    size_t n;
    int64_t unallocated[16][BL_PG_BENEFITS_MAX];  /* per programme (the first 16) */
    int64_t weight_total[16][BL_PG_BENEFITS_MAX]; /* the members' sales counted */
    size_t members, joined, left;
    size_t messages_new, messages_already;
    int64_t org;                  /* the marketplace's: a shop of another is a governed
                                     merchant's (shops[i].org_name names it) */
    struct bl_pg_shop_row *shops; /* org's by id, then each governed merchant's */
    size_t nshops;
    struct bl_tz **zones; /* the shops' zones, loaded once each */
    const char **znames;
    size_t nzones;
    struct bl_arena arena;
};

/* Decides every programme (or req->program) for every shop as of req->as_of (org's own,
 * then those of the merchant organisations it governs: `org govern`) against the
 * disruptions active then, divides each budget among the members, and (unless dry) stores
 * each shop's record in one transaction: members, and the losses with their reason; a
 * joining and a loss queue one message each to the merchant (kinds program_joined and
 * program_lost, waiting for a person's approval; held with no_recipient when the shop
 * has no address: `shops set SHOP --sender`). BL_ENOTFOUND: no such programme. */
int bl_app_programs_eval(struct bl_store *st, int64_t org,
                         const struct bl_app_programs_eval_req *req,
                         struct bl_app_programs_eval_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_programs_eval_res_release(struct bl_app_programs_eval_res *res);

/* The daily cycle's watch step (cycle_steps.c): every programme as of as_of, stored with
 * the cycle's id unless dry_run; the step's counts: programs, program_members,
 * program_joined, program_lost, program_messages; nothing (no count, the step's state
 * left to the step's other watches) when the organisation runs none. */
struct bl_app_cycle_step;
int bl_app_programs_cycle(struct bl_store *st, int64_t org, int64_t as_of, int64_t now,
                          int64_t cycle_id, bool dry_run, struct bl_app_cycle_step *s,
                          struct bl_diag *d) BL_MUST_CHECK;

/* One shop's decision in programme ext as of as_of (nothing stored), with its stored
 * record and the places in locale's words (never a code). shop: its external id, or
 * MERCHANT/SHOP for a shop of a merchant organisation org governs. BL_ENOTFOUND (d->field
 * "explain") for an unknown shop, or an unknown programme. */
struct bl_app_pg_explain {
    struct bl_app_programs_eval_res res; /* the dry run of the one programme */
    const struct bl_app_pg_decision *x;  /* the shop's, in res */
    int64_t as_of;
    size_t members;                    /* the programme's members then */
    char region[200], dis_region[200]; /* where it ships from; the covering disruption's
                                          region ("" when none) */
    const char *kind;                  /* the covering disruption's kind, or NULL */
    struct bl_member_row stored;       /* its stored record, when has_stored */
    bool has_stored;
};

int bl_app_program_explain(struct bl_store *st, int64_t org, const char *ext, const char *shop,
                           int64_t as_of, const char *locale, struct bl_app_pg_explain *out,
                           struct bl_diag *d) BL_MUST_CHECK;
void bl_app_pg_explain_release(struct bl_app_pg_explain *e);

/* ---- members and facts -------------------------------------------------------------- */

struct bl_app_members_res {
    struct bl_app_program program;
    struct bl_member_row *items; /* by shop */
    size_t n;
    struct bl_arena arena;
};

/* The stored records of programme ext (members and those that lost it). BL_ENOTFOUND
 * when org runs no such programme. */
int bl_app_program_members(struct bl_store *st, int64_t org, const char *ext,
                           struct bl_app_members_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_members_res_release(struct bl_app_members_res *res);

/* Facts to set on one shop: NULL fields are left as they are. */
struct bl_app_standing_req {
    const char *shop;
    const int64_t *opened_at, *deposit_paid_at, *sharing_at, *violation_at; /* BL_NO_TIME: clear */
    const bool *reopened;
    const char *linked_to; /* a shop's id; "": no link */
    int64_t now;
};

/* A fact's time as a person gives it: a date (its start in UTC), an instant with its
 * offset, or "none" (BL_NO_TIME: not true). BL_EPARSE saying what was expected. */
int bl_app_fact_time(const char *text, int64_t *t, struct bl_diag *d) BL_MUST_CHECK;

int bl_app_standing_set(struct bl_store *st, int64_t org, const struct bl_app_standing_req *req,
                        struct bl_diag *d) BL_MUST_CHECK;
/* Many shops' facts from a CSV file (docs/formats.md, "Merchant facts"), all or nothing:
 * a bad row stops it with the file, line, column and what was expected. */
int bl_app_standing_import(struct bl_store *st, int64_t org, const char *path, int64_t now,
                           size_t *set, struct bl_diag *d) BL_MUST_CHECK;

#endif
