/* assess_run.c - profiles, snapshot and scope shared by the assessment use cases
 * (assess_run.h). */
#include <string.h>

#include "app/assess_run.h"
#include "ballast/profile.h"
#include "store/assessment.h"

int bl__arun_profile(const struct bl__arun *r, const char *name)
{
    for (size_t q = 0; q < r->nprof; q++)
        if (strcmp(r->prof[q].name, name) == 0)
            return (int)q;
    return -1;
}

/* The names of the profiles in play: the one asked, or those of the shops. */
static int profile_names(struct bl__arun *r, const struct bl__arun_req *q, const char ***names,
                         size_t *n, struct bl_diag *d)
{
    if (q->profile) {
        const char **one = bl_arena_alloc(&r->arena, sizeof(*one));
        if (!one)
            return bl_diag_set(d, BL_ENOMEM, "assess: out of memory");
        one[0] = q->profile;
        *names = one;
        *n = 1;
        return BL_OK;
    }
    if (!q->snap)
        return bl_store_assessment_profiles(r->st, r->org, &r->arena, names, n, d);
    const struct bl_snapshot *s = q->snap;
    const char **v = bl_arena_alloc(&r->arena, (s->nshops + 1) * sizeof(*v));
    if (!v)
        return bl_diag_set(d, BL_ENOMEM, "assess: out of memory");
    size_t k = 0;
    for (size_t i = 0; i < s->nshops; i++) {
        size_t j = 0;
        while (j < k && strcmp(v[j], s->shops[i].profile) != 0)
            j++;
        if (j == k)
            v[k++] = s->shops[i].profile;
    }
    *names = v;
    *n = k;
    return BL_OK;
}

static int load_profiles(struct bl__arun *r, const struct bl__arun_req *q, struct bl_diag *d)
{
    const char **names = NULL;
    size_t n = 0;
    int rc = profile_names(r, q, &names, &n, d);
    if (rc)
        return rc;
    r->prof = bl_arena_alloc(&r->arena, (n + 1) * sizeof(*r->prof));
    r->window = bl_arena_alloc(&r->arena, (n + 1) * sizeof(*r->window));
    if (!r->prof || !r->window)
        return bl_diag_set(d, BL_ENOMEM, "assess: out of memory");
    /* With no profile asked, one that does not exist leaves its shops unrated (out of
     * scope; bl_app_assess_unrated names them), not the others. */
    size_t m = 0;
    for (size_t k = 0; !rc && k < n; k++) {
        struct bl_diag pd;
        bl_diag_clear(&pd);
        int prc = bl_profile_load(bl_profile_dir(), names[k], &r->prof[m], &pd);
        if (prc == BL_ENOTFOUND && !q->profile)
            continue;
        if (prc) {
            *d = pd;
            rc = prc;
            break;
        }
        r->window[m] = q->window ? q->window : r->prof[m].window_days;
        m++;
    }
    r->nprof = rc ? 0 : m;
    return rc;
}

/* The earliest instant an order may matter from: the longest window any rule or the
 * compensation uses, plus the days a carry-over may look back. */
static int64_t since_of(const struct bl__arun *r)
{
    int64_t since = r->as_of;
    for (size_t q = 0; q < r->nprof; q++) {
        const struct bl_profile *p = &r->prof[q];
        int span = r->window[q] > p->comp_days ? r->window[q] : p->comp_days;
        for (size_t k = 0; k < p->nrules; k++)
            if (p->rules[k].window_days > span)
                span = p->rules[k].window_days;
        int64_t s = r->as_of - (int64_t)(span + p->carry_days + 1) * 86400;
        since = s < since ? s : since;
    }
    return since;
}

/* Which shop is assessed under which profile. */
static int scope(struct bl__arun *r, const struct bl__arun_req *q, struct bl_diag *d)
{
    const struct bl_snapshot *s = r->snap;
    r->shop_prof = bl_arena_alloc(&r->arena, (s->nshops + 1) * sizeof(*r->shop_prof));
    if (!r->shop_prof)
        return bl_diag_set(d, BL_ENOMEM, "assess: out of memory");
    int64_t only = -1;
    if (q->shop && (only = bl_snapshot_shop_by_ext(s, q->shop)) < 0) {
        r->problem = BL_APP_ASSESS_UNKNOWN_SHOP;
        bl_diag_at(d, NULL, 0, "shop");
        return bl_diag_set(d, BL_ENOTFOUND, "%s: no shop with that id", q->shop);
    }
    for (size_t i = 0; i < s->nshops; i++) {
        int own = q->profile ? 0 : bl__arun_profile(r, s->shops[i].profile);
        bool in = only >= 0 ? (int64_t)i == only
                            : q->all_shops || !q->profile ||
                                  strcmp(s->shops[i].profile, r->prof[0].name) == 0;
        r->shop_prof[i] = in && own >= 0 ? own : -1;
        r->nscope += r->shop_prof[i] >= 0;
    }
    if (!r->nscope && q->profile && !q->scope_optional) {
        r->problem = BL_APP_ASSESS_NO_SHOP_FOR_PROFILE;
        bl_diag_at(d, NULL, 0, "profile");
        return bl_diag_set(d, BL_ENOTFOUND, "no shop uses profile %s", r->prof[0].name);
    }
    return BL_OK;
}

int bl__arun_open(struct bl_store *st, int64_t org, const struct bl__arun_req *q,
                  struct bl__arun *r, struct bl_diag *d)
{
    memset(r, 0, sizeof(*r));
    r->st = st;
    r->org = org;
    r->as_of = q->as_of;
    bl_arena_init(&r->arena, 1u << 16);
    int rc = load_profiles(r, q, d);
    r->snap = q->snap ? q->snap : &r->own;
    if (!rc && !q->snap)
        rc = bl_snapshot_load(st, org, since_of(r) - q->back, r->as_of, &r->own, d);
    if (!rc)
        rc = bl_assess_prepare(r->snap->regions, r->snap->dis, r->snap->ndis, r->snap->prot,
                               r->snap->nprot, r->snap->nshops, &r->arena, &r->ctx, d);
    if (!rc)
        rc = scope(r, q, d);
    if (rc) {
        enum bl_app_assess_problem p = r->problem;
        bl__arun_close(r);
        r->problem = p;
    }
    return rc;
}

void bl__arun_close(struct bl__arun *r)
{
    bl_snapshot_free(&r->own);
    bl_arena_release(&r->arena);
    memset(r, 0, sizeof(*r));
}

bool *bl__arun_skip(struct bl__arun *r, size_t q)
{
    size_t ns = r->snap->nshops;
    bool *skip = bl_arena_alloc(&r->arena, ns + 1);
    for (size_t s = 0; skip && s < ns; s++)
        skip[s] = r->shop_prof[s] != (int32_t)q;
    return skip;
}

int bl_app_assess_load(struct bl_store *st, int64_t org, int64_t as_of, const char *profile,
                       int window, struct bl_snapshot *out, struct bl_diag *d)
{
    struct bl__arun r;
    memset(&r, 0, sizeof(r));
    memset(out, 0, sizeof(*out));
    r.st = st;
    r.org = org;
    r.as_of = as_of;
    bl_arena_init(&r.arena, 1u << 12);
    struct bl__arun_req q = {as_of, profile, window, NULL, false, true, NULL, 0};
    int rc = load_profiles(&r, &q, d);
    if (!rc)
        rc = bl_snapshot_load(st, org, since_of(&r), as_of, out, d);
    bl_arena_release(&r.arena);
    return rc;
}

int bl_app_assess_load_profiles(struct bl_store *st, int64_t org, int64_t as_of,
                                const struct bl_profile *profiles, size_t n,
                                struct bl_snapshot *out, struct bl_diag *d)
{
    struct bl__arun r;
    memset(&r, 0, sizeof(r));
    memset(out, 0, sizeof(*out));
    r.as_of = as_of;
    int window[64];
    if (n > 64)
        return bl_diag_set(d, BL_ERANGE, "assess: more than 64 profiles");
    for (size_t k = 0; k < n; k++)
        window[k] = profiles[k].window_days;
    r.prof = (struct bl_profile *)profiles; /* read only by since_of */
    r.window = window;
    r.nprof = n;
    return bl_snapshot_load(st, org, since_of(&r), as_of, out, d);
}
