/* assess.c - the shop assessment use case (assess.h): load, run the engine per profile
 * (counts, rating, carry-over), store, return typed rows. */
#include <math.h>
#include <string.h>

#include "app/assess_run.h"
#include "app/hook_impl.h"
#include "ballast/profile.h"
#include "store/assessment.h"
#include "store/today.h"

/* The carry-over from stored results for the shops of profile q still pending. */
static int carry_stored(struct bl__arun *r, size_t q, struct bl_shop_result *sr, struct bl_diag *d)
{
    size_t ns = r->snap->nshops, npending = 0;
    for (size_t s = 0; s < ns; s++)
        npending += sr[s].pending;
    if (!npending)
        return BL_OK;
    const struct bl_profile *p = &r->prof[q];
    struct bl_assessment_prev *prev = NULL;
    size_t n = 0;
    int rc = bl_store_assessment_earlier(r->st, r->org, p->name, r->window[q], r->as_of,
                                         p->min_counted, &prev, &n, d);
    struct bl_assess_earlier *e = rc ? NULL : bl_calloc(n + 1, sizeof(*e));
    if (!rc && !e)
        rc = bl_diag_set(d, BL_ENOMEM, "assess: out of memory");
    size_t m = 0;
    for (size_t k = 0; !rc && k < n; k++) {
        int64_t s = bl_snapshot_shop_index(r->snap, prev[k].shop_id);
        if (s < 0)
            continue;
        e[m] = (struct bl_assess_earlier){(size_t)s, prev[k].as_of, prev[k].k, prev[k].score,
                                          "",        false};
        memcpy(e[m].rating, prev[k].rating, sizeof(e[m].rating));
        m++;
    }
    if (!rc)
        bl_assess_carry_stored(p, r->as_of, e, m, ns, sr);
    bl_free(e);
    bl_free(prev);
    return rc;
}


/* The rules a shop misses as stored: "metric:window_days,..." ("" none; NULL when out of
 * memory: stored as unknown). */
static const char *failing_text(const struct bl_profile *p, int window, uint32_t bits,
                                struct bl_arena *a)
{
    char buf[512];
    size_t at = 0;
    buf[0] = '\0';
    for (size_t q = 0; q < p->nrules && q < 32; q++) {
        if (!(bits & (1u << q)))
            continue;
        int w = p->rules[q].window_days ? p->rules[q].window_days : window;
        int n = snprintf(buf + at, sizeof(buf) - at, "%s%s:%d", at ? "," : "",
                         bl_metric_name(p->rules[q].metric), w);
        if (n < 0 || (size_t)n >= sizeof(buf) - at)
            break;
        at += (size_t)n;
    }
    return bl_arena_strndup(a, buf, at);
}

/* The results a save replaces, by snapshot shop index (at 0: none). */
struct prev {
    struct bl_shop_counts *k;
    int64_t *at, *upto;
    const struct bl_snapshot *snap;
};

static int prev_row(void *ctx, int64_t shop_id, const struct bl_shop_counts *k, int64_t at,
                    int64_t upto)
{
    struct prev *p = ctx;
    int64_t s = bl_snapshot_shop_index(p->snap, shop_id);
    if (s >= 0) {
        p->k[s] = *k;
        p->at[s] = at ? at : 1;
        p->upto[s] = upto;
    }
    return 0;
}

/* Replaces the stored results of each profile's (window, as-of), in one transaction;
 * what they were goes to prev. */
static int save(struct bl__arun *r, const struct bl_shop_result *sr, int64_t now, int64_t cycle_id,
                size_t *stored, struct prev *prev, struct bl_diag *d)
{
    size_t ns = r->snap->nshops;
    struct bl_assessment *rows = bl_calloc(ns + 1, sizeof(*rows));
    if (!rows)
        return bl_diag_set(d, BL_ENOMEM, "assess: out of memory");
    int rc = bl_store_begin(r->st, d);
    for (size_t q = 0; !rc && q < r->nprof; q++) {
        size_t n = 0;
        for (size_t s = 0; s < ns; s++) {
            if (r->shop_prof[s] != (int32_t)q)
                continue;
            rows[n++] =
                (struct bl_assessment){r->snap->shops[s].id, sr[s].k,       sr[s].score,
                                       sr[s].rating,         sr[s].carried, sr[s].carried_from,
                                       failing_text(&r->prof[q], r->window[q], sr[s].failing,
                                                    &r->arena)};
        }
        if (n)
            rc = bl_store_assessment_stored(r->st, r->org, r->prof[q].name, r->window[q],
                                            r->as_of, prev_row, prev, d);
        if (n && !rc)
            rc = bl_store_assessment_replace(r->st, r->org, r->prof[q].name, r->window[q], r->as_of,
                                             rows, n, now, cycle_id, d);
        if (n && !rc)
            rc = bl__hook_ratings(r->st, r->org, &r->prof[q], r->window[q], r->as_of, now, d);
        *stored += rc ? 0 : n;
    }
    rc = bl_store_end(r->st, rc, d);
    if (rc)
        *stored = 0;
    bl_free(rows);
    return rc;
}

/* The shops whose replaced result had other counts, with the orders changed since. */
static int changes(struct bl__arun *r, const struct prev *prev, struct bl_app_assess_res *res,
                   struct bl_diag *d)
{
    int rc = BL_OK;
    for (size_t i = 0; !rc && i < res->n; i++) {
        int64_t s = bl_snapshot_shop_index(r->snap, res->shops[i].shop_id);
        if (s < 0 || !prev->at[s] ||
            memcmp(&prev->k[s], &res->shops[i].k, sizeof(struct bl_shop_counts)) == 0)
            continue;
        if (res->nchanges % 16 == 0) {
            struct bl_app_assess_change *v =
                bl_arena_alloc(&res->arena, (res->nchanges + 16) * sizeof(*v));
            if (!v)
                return bl_diag_set(d, BL_ENOMEM, "assess: out of memory");
            if (res->nchanges)
                memcpy(v, res->changes, res->nchanges * sizeof(*v));
            res->changes = v;
        }
        struct bl_app_assess_change *c = &res->changes[res->nchanges++];
        memset(c, 0, sizeof(*c));
        c->shop = i;
        c->was = prev->k[s];
        c->computed_at = prev->at[s];
        rc = bl_store_assessment_changed_orders(r->st, r->org, res->shops[i].shop_id,
                                                prev->upto[s], prev->at[s], BL_APP_CHANGED_ORDERS,
                                                &res->arena, &c->orders, &c->norders, &c->more,
                                                d);
    }
    return rc;
}

/* The name of shop ext among names (sorted by ext, as loaded), or "" when it has none. */
static const char *name_of(const struct bl_today_name *names, size_t n, const char *ext)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(names[mid].ext, ext);
        if (c == 0)
            return names[mid].name;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return "";
}

static int fill_shops(struct bl__arun *r, const struct bl_shop_result *sr,
                      const struct bl_today_name *shop_names, size_t nnames,
                      struct bl_app_assess_res *res, struct bl_diag *d)
{
    size_t ns = r->snap->nshops;
    const char **names = bl_arena_alloc(&res->arena, (r->nprof + 1) * sizeof(*names));
    struct bl_profile *prof = bl_arena_alloc(&res->arena, (r->nprof + 1) * sizeof(*prof));
    res->shops = bl_arena_alloc(&res->arena, (r->nscope + 1) * sizeof(*res->shops));
    if (!names || !prof || !res->shops)
        return bl_diag_set(d, BL_ENOMEM, "assess: out of memory");
    for (size_t q = 0; q < r->nprof; q++) {
        prof[q] = r->prof[q];
        if (!(names[q] = bl_arena_strndup(&res->arena, r->prof[q].name, strlen(r->prof[q].name))))
            return bl_diag_set(d, BL_ENOMEM, "assess: out of memory");
    }
    for (size_t s = 0; s < ns; s++) {
        int32_t q = r->shop_prof[s];
        if (q < 0)
            continue;
        const char *ext = r->snap->shops[s].ext;
        struct bl_app_assess_shop *x = &res->shops[res->n++];
        memset(x, 0, sizeof(*x));
        x->shop_id = r->snap->shops[s].id;
        if (!(x->shop = bl_arena_strndup(&res->arena, ext, strlen(ext))))
            return bl_diag_set(d, BL_ENOMEM, "assess: out of memory");
        x->name = name_of(shop_names, nnames, ext);
        x->profile = names[q];
        x->window = r->window[q];
        x->k = sr[s].k;
        x->rates = sr[s].rates;
        x->score = sr[s].score;
        x->failing = sr[s].failing;
        memcpy(x->rating, sr[s].rating, sizeof(x->rating));
        x->carried = sr[s].carried;
        x->carried_from = sr[s].carried_from;
        x->prof = &prof[q];
        x->rules_known = sr[s].rules_known;
        size_t nr = prof[q].nrules;
        struct bl_rule_result *rules = bl_arena_alloc(&res->arena, (nr + 1) * sizeof(*rules));
        if (!rules)
            return bl_diag_set(d, BL_ENOMEM, "assess: out of memory");
        if (nr)
            memcpy(rules, sr[s].rules, nr * sizeof(*rules));
        x->rules = rules;
    }
    return BL_OK;
}

/* res->shops from the results, each with its name. */
static int fill(struct bl__arun *r, const struct bl_shop_result *sr, struct bl_app_assess_res *res,
                struct bl_diag *d)
{
    struct bl_today_name *names = NULL;
    size_t n = 0;
    int rc = bl_store_today_shop_names(r->st, r->org, &res->arena, &names, &n, d);
    rc = rc ? rc : fill_shops(r, sr, names, n, res, d);
    bl_free(names);
    return rc;
}

int bl_app_assess(struct bl_store *st, int64_t org, const struct bl_app_assess_req *req,
                  struct bl_app_assess_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 1u << 14);
    res->as_of = req->as_of;
    struct bl__arun r;
    struct bl__arun_req q = {req->as_of,     req->profile, req->window, req->shop,
                             req->all_shops, false,        req->snap, 0};
    int rc = bl__arun_open(st, org, &q, &r, d);
    if (rc) {
        res->problem = r.problem;
        return rc;
    }
    size_t ns = r.snap->nshops;
    struct bl_shop_result *sr = bl_arena_alloc(&r.arena, (ns + 1) * sizeof(*sr));
    if (!sr)
        rc = bl_diag_set(d, BL_ENOMEM, "assess: out of memory");
    else
        memset(sr, 0, (ns + 1) * sizeof(*sr));
    for (size_t p = 0; !rc && p < r.nprof; p++) {
        bool *skip = bl__arun_skip(&r, p);
        if (!skip) {
            rc = bl_diag_set(d, BL_ENOMEM, "assess: out of memory");
            break;
        }
        rc = bl_assess_shops(r.ctx, &r.snap->orders, &r.prof[p], r.as_of, r.window[p], ns, skip,
                             &r.arena, sr, d);
        if (!rc)
            rc = carry_stored(&r, p, sr, d);
    }
    struct prev prev = {NULL, NULL, NULL, r.snap};
    if (!rc && !req->dry_run) {
        prev.k = bl_arena_alloc(&r.arena, (ns + 1) * sizeof(*prev.k));
        prev.at = bl_arena_alloc(&r.arena, (ns + 1) * sizeof(*prev.at));
        prev.upto = bl_arena_alloc(&r.arena, (ns + 1) * sizeof(*prev.upto));
        if (!prev.k || !prev.at || !prev.upto)
            rc = bl_diag_set(d, BL_ENOMEM, "assess: out of memory");
        else
            memset(prev.at, 0, (ns + 1) * sizeof(*prev.at));
    }
    if (!rc && !req->dry_run)
        rc = save(&r, sr, bl_app_now_or(req->now), req->cycle_id, &res->stored, &prev, d);
    if (!rc)
        rc = fill(&r, sr, res, d);
    if (!rc && !req->dry_run)
        rc = changes(&r, &prev, res, d);
    bl__arun_close(&r);
    return rc;
}

uint64_t bl_app_assess_profiles_stamp(void)
{
    return bl_profile_dir_stamp(bl_profile_dir());
}

void bl_app_assess_res_release(struct bl_app_assess_res *res)
{
    bl_arena_release(&res->arena);
    res->shops = NULL;
    res->n = 0;
    res->changes = NULL;
    res->nchanges = 0;
}

/* ---- the shops no assessment rates ----------------------------------------------------- */

int bl_app_assess_unrated(struct bl_store *st, int64_t org, struct bl_app_unrated_res *res,
                          struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 1024);
    const char **names = NULL;
    size_t n = 0;
    int rc = bl_store_assessment_profiles(st, org, &res->arena, &names, &n, d);
    if (!rc && n && !(res->v = bl_arena_alloc(&res->arena, n * sizeof(*res->v))))
        rc = bl_diag_set(d, BL_ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < n; i++) {
        struct bl_profile p;
        struct bl_diag pd;
        bl_diag_clear(&pd);
        int prc = bl_profile_load(bl_profile_dir(), names[i], &p, &pd);
        if (prc == BL_OK)
            continue;
        if (prc != BL_ENOTFOUND) {
            *d = pd;
            rc = prc;
            break;
        }
        struct bl_app_unrated *u = &res->v[res->n++];
        u->profile = names[i];
        rc = bl_store_assessment_profile_shops(st, org, names[i], &res->arena, &u->shops, &u->n, d);
    }
    return rc;
}

void bl_app_assess_unrated_release(struct bl_app_unrated_res *res)
{
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}
