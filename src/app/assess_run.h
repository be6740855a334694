/* assess_run.h - what the assessment use cases share (internal to src/app): the
 * profiles in play, the snapshot (loaded or borrowed), the engine's lookups and which
 * shop is assessed under which profile. */
#ifndef BL_APP_ASSESS_RUN_H
#define BL_APP_ASSESS_RUN_H

#include "app/assess.h"

struct bl__arun_req {
    int64_t as_of;
    const char *profile; /* NULL: every profile the shops use */
    int window;          /* 0: each profile's */
    const char *shop;    /* NULL: see all_shops */
    bool all_shops;
    bool scope_optional;      /* explain: no shop in scope is no error */
    struct bl_snapshot *snap; /* borrowed, or NULL */
    int64_t back;             /* seconds before as_of an earlier as-of needs the snapshot
                                 to cover too (a trend's first day); 0: none */
};

struct bl__arun {
    struct bl_store *st;
    int64_t org, as_of;
    struct bl_arena arena;   /* profiles, lookups, scratch */
    struct bl_profile *prof; /* nprof of them */
    int *window;             /* per profile */
    size_t nprof;
    struct bl_snapshot own;
    struct bl_snapshot *snap; /* &own or the caller's */
    struct bl_assess_ctx *ctx;
    int32_t *shop_prof; /* per shop: index into prof, -1 out of scope */
    size_t nscope;
    enum bl_app_assess_problem problem;
};

/* Loads the profiles, the snapshot (unless given) and prepares the engine. On failure
 * d (and r->problem) say why and nothing is left to close. */
int bl__arun_open(struct bl_store *st, int64_t org, const struct bl__arun_req *q,
                  struct bl__arun *r, struct bl_diag *d) BL_MUST_CHECK;
void bl__arun_close(struct bl__arun *r);

/* The profile of name in r, or -1. */
int bl__arun_profile(const struct bl__arun *r, const char *name);

/* Per shop of r, true when not under profile q: a mask for the engine (nshops + 1). */
bool *bl__arun_skip(struct bl__arun *r, size_t q);

#endif
