/* programs_eval.c - bl_app_programs_eval: every programme for every shop as of a day,
 * the budgets divided, the records stored and the merchants told (programs.h). */
#include <string.h>

#include <jansson.h>

#include "app/programs.h"
#include "app/programs_impl.h"
#include "ballast/assess.h" /* BL_NO_TIME */
#include "ballast/time.h"
#include "store/message.h"

static int oom(struct bl_diag *d)
{
    return bl_diag_set(d, BL_ENOMEM, "programmes: out of memory");
}

/* The zone called name, loaded once (NULL: UTC, or a zone that does not load: the
 * import checked it). */
static const struct bl_tz *zone(struct bl_app_programs_eval_res *res, const char *name)
{
    for (size_t k = 0; k < res->nzones; k++)
        if (strcmp(res->znames[k], name) == 0)
            return res->zones[k];
    if (!name[0] || strcmp(name, "UTC") == 0 || res->nzones == 64)
        return NULL;
    if (!res->zones) {
        res->zones = bl_calloc(64, sizeof(*res->zones));
        res->znames = bl_calloc(64, sizeof(*res->znames));
        if (!res->zones || !res->znames)
            return NULL;
    }
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_tz_load(&res->zones[res->nzones], name, &d))
        return NULL;
    res->znames[res->nzones] = name; /* the shop row's, in res->arena */
    return res->zones[res->nzones++];
}

/* The engine's view of the shops: shop i is i + 1 (the shops of a governed merchant
 * have ids of their own organisation), linked accounts within one organisation. */
static int merchants(struct bl_app_programs_eval_res *res, struct bl_pg_merchant **out,
                     struct bl_diag *d)
{
    *out = res->nshops ? bl_calloc(res->nshops, sizeof(**out)) : NULL;
    if (res->nshops && !*out)
        return oom(d);
    for (size_t i = 0; i < res->nshops; i++) {
        const struct bl_pg_shop_row *s = &res->shops[i];
        (*out)[i] = (struct bl_pg_merchant){.id = (int64_t)i + 1,
                                            .region = s->region,
                                            .tz = zone(res, s->tz),
                                            .opened_at = s->s.opened_at,
                                            .reopened = s->s.reopened,
                                            .deposit_paid_at = s->s.deposit_paid_at,
                                            .sharing_at = s->s.sharing_at,
                                            .violation_at = s->s.violation_at,
                                            .linked_to = bl__programs_linked(res, i),
                                            .first_order = s->first_order};
    }
    return BL_OK;
}

static int disruptions(struct bl_store *st, int64_t org, int64_t as_of, struct bl_arena *a,
                       struct bl_pg_disruption **out, size_t *n, struct bl_diag *d)
{
    struct bl_msg_disruption *x = NULL;
    *out = NULL;
    int rc = bl_store_message_disruptions(st, org, as_of, a, &x, n, d);
    if (!rc && *n) {
        *out = bl_calloc(*n, sizeof(**out));
        if (!*out)
            rc = oom(d);
    }
    for (size_t i = 0; !rc && i < *n; i++)
        (*out)[i] = (struct bl_pg_disruption){x[i].id, x[i].kind, x[i].cover};
    bl_free(x);
    return rc;
}

struct sales_into {
    struct bl_app_pg_decision *dec;
    size_t n;
    int64_t covered_at, org;
};

static int sales_one(void *ctx, int64_t shop, int64_t sum)
{
    struct sales_into *c = ctx;
    for (size_t i = 0; i < c->n; i++)
        if (c->dec[i].shop->id == shop && c->dec[i].shop->org == c->org &&
            c->dec[i].v.covered_at == c->covered_at && c->dec[i].v.reason == BL_PG_OK)
            c->dec[i].sales = sum;
    return 0;
}

/* The sales of the members covered from at, one query per organisation they belong to. */
static int sales_at(struct bl_store *st, const struct bl_pg_benefit *b,
                    struct bl_app_pg_decision *dec, size_t n, int64_t from, int64_t at,
                    struct bl_diag *d)
{
    int rc = BL_OK;
    for (size_t i = 0; !rc && i < n; i++) {
        if (dec[i].v.reason != BL_PG_OK || dec[i].v.covered_at != at)
            continue;
        bool seen = false; /* this organisation's sales asked for already */
        for (size_t k = 0; k < i && !seen; k++)
            seen = dec[k].v.reason == BL_PG_OK && dec[k].v.covered_at == at &&
                   dec[k].shop->org == dec[i].shop->org;
        struct sales_into c = {dec, n, at, dec[i].shop->org};
        if (!seen)
            rc = bl_store_program_sales(st, c.org, from, at, b->currency, sales_one, &c, d);
    }
    return rc;
}

/* Each member's sales in the days before the disruption that covers it: one query per
 * distinct start of a covering disruption. */
static int member_sales(struct bl_store *st, const struct bl_pg_benefit *b,
                        struct bl_app_pg_decision *dec, size_t n, struct bl_diag *d)
{
    int rc = BL_OK;
    for (size_t i = 0; !rc && i < n; i++) {
        if (dec[i].v.reason != BL_PG_OK || dec[i].sales_to == dec[i].v.covered_at)
            continue;
        int64_t at = dec[i].v.covered_at, from = at - (int64_t)b->sales_days * BL_DAY_SECS;
        for (size_t k = i; k < n; k++)
            if (dec[k].v.covered_at == at && dec[k].v.reason == BL_PG_OK) {
                dec[k].sales_from = from;
                dec[k].sales_to = at;
            }
        rc = sales_at(st, b, dec, n, from, at, d);
    }
    return rc;
}

/* Benefit k of programme p divided among its members. */
static int divide(struct bl_store *st, const struct bl_program *p, size_t k,
                  struct bl_app_pg_decision *dec, size_t n, int64_t *unallocated, int64_t *total,
                  struct bl_diag *d)
{
    const struct bl_pg_benefit *b = &p->benefits[k];
    bool *in = bl_calloc(n ? n : 1, sizeof(*in));
    int64_t *w = bl_calloc(n ? n : 1, sizeof(*w)), *share = bl_calloc(n ? n : 1, sizeof(*share));
    int rc = in && w && share ? BL_OK : oom(d);
    if (!rc && b->kind == BL_PG_SUBSIDY && b->rule == BL_PG_BY_SALES)
        rc = member_sales(st, b, dec, n, d);
    *total = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        in[i] = dec[i].v.reason == BL_PG_OK;
        w[i] = in[i] ? dec[i].sales : 0;
        *total += w[i];
    }
    if (!rc && bl_pg_share(b, in, w, n, share, unallocated))
        rc = bl_diag_set(d, BL_EOVERFLOW, "programme '%s': the shares of %s do not fit", p->id,
                         b->what);
    for (size_t i = 0; !rc && i < n; i++)
        dec[i].share[k] = share[i];
    bl_free(in);
    bl_free(w);
    bl_free(share);
    return rc;
}

/* The stored record of (program, shop), or NULL (prior sorted by programme and shop). */
const struct bl_member_row *bl__programs_prior(const struct bl_member_row *prior, size_t np,
                                               int64_t program, int64_t shop_org, int64_t shop)
{
    size_t lo = 0, hi = np;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct bl_member_row *r = &prior[mid];
        if (r->program_id == program && r->shop_org == shop_org && r->shop_id == shop)
            return r;
        int c = r->program_id != program  ? (r->program_id < program ? -1 : 1)
                : r->shop_org != shop_org ? (r->shop_org < shop_org ? -1 : 1)
                                          : (r->shop_id < shop ? -1 : 1);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* What changed for each shop against its stored record. */
static void changes(const struct bl_app_program *p, struct bl_app_pg_decision *dec, size_t n,
                    const struct bl_member_row *prior, size_t np)
{
    for (size_t i = 0; i < n; i++) {
        const struct bl_member_row *r =
            bl__programs_prior(prior, np, p->id, dec[i].shop->org, dec[i].shop->id);
        bool was = r && strcmp(r->state, "member") == 0;
        bool is = dec[i].v.reason == BL_PG_OK;
        dec[i].change = is ? (was ? BL_APP_PG_STAYS : BL_APP_PG_JOINS)
                           : (was ? BL_APP_PG_LEAVES : BL_APP_PG_OUT);
    }
}

/* One programme: verdicts, shares, changes, into res->d from *at on. */
static int one_program(struct bl_store *st, size_t pi, const struct bl_pg_merchant *m,
                       const struct bl_pg_disruption *x, size_t nx,
                       const struct bl_member_row *prior, size_t np, int64_t as_of,
                       struct bl_app_programs_eval_res *res, struct bl_diag *d)
{
    const struct bl_app_program *p = &res->programs[pi];
    struct bl_app_pg_decision *dec = res->d + res->n;
    struct bl_pg_verdict *v = bl_calloc(res->nshops ? res->nshops : 1, sizeof(*v));
    if (!v)
        return oom(d);
    bl_pg_eval(&p->def, m, res->nshops, x, nx, as_of, v);
    for (size_t i = 0; i < res->nshops; i++)
        dec[i] = (struct bl_app_pg_decision){
            .program = pi, .shop = &res->shops[i], .tz = m[i].tz, .v = v[i]};
    bl_free(v);
    res->n += res->nshops;
    int rc = BL_OK;
    for (size_t k = 0; !rc && k < p->def.nbenefits; k++) {
        int64_t un = 0, tot = 0;
        rc = divide(st, &p->def, k, dec, res->nshops, &un, &tot, d);
        if (pi < 16) {
            res->unallocated[pi][k] = un;
            res->weight_total[pi][k] = tot;
        }
    }
    changes(p, dec, res->nshops, prior, np);
    for (size_t i = 0; i < res->nshops; i++) {
        res->members += dec[i].change == BL_APP_PG_STAYS || dec[i].change == BL_APP_PG_JOINS;
        res->joined += dec[i].change == BL_APP_PG_JOINS;
        res->left += dec[i].change == BL_APP_PG_LEAVES;
    }
    return rc;
}

/* The programmes asked for, into res->programs. */
static int programs(struct bl_store *st, int64_t org, const char *only,
                    struct bl_app_programs_eval_res *res, struct bl_app_programs_res *all,
                    struct bl_diag *d)
{
    int rc = bl_app_programs(st, org, all, d);
    res->programs = rc || !all->n ? NULL : bl_calloc(all->n, sizeof(*res->programs));
    if (!rc && all->n && !res->programs)
        return oom(d);
    for (size_t i = 0; !rc && i < all->n; i++)
        if (!only || strcmp(only, all->items[i].def.id) == 0) {
            res->programs[res->nprograms] = all->items[i];
            const char *src = all->items[i].source;
            res->programs[res->nprograms++].source =
                bl_arena_strndup(&res->arena, src, strlen(src));
        }
    if (!rc && only && !res->nprograms)
        rc = bl_diag_set(d, BL_ENOTFOUND, "no programme '%s' ('ballast programs list')", only);
    return rc;
}

static int decide(struct bl_store *st, int64_t org, const struct bl_app_programs_eval_req *req,
                  struct bl_app_programs_eval_res *res, struct bl_member_row **prior, size_t *np,
                  struct bl_diag *d)
{
    struct bl_pg_merchant *m = NULL;
    struct bl_pg_disruption *x = NULL;
    size_t nx = 0;
    int rc = bl__programs_shops(st, org, res, d);
    rc = rc ? rc : merchants(res, &m, d);
    rc = rc ? rc : disruptions(st, org, req->as_of, &res->arena, &x, &nx, d);
    rc = rc ? rc : bl_store_program_members(st, org, 0, &res->arena, prior, np, d);
    size_t cells = res->nprograms * res->nshops;
    if (!rc && cells) {
        res->d = bl_calloc(cells, sizeof(*res->d));
        rc = res->d ? BL_OK : oom(d);
    }
    for (size_t pi = 0; !rc && pi < res->nprograms; pi++)
        rc = one_program(st, pi, m, x, nx, *prior, *np, req->as_of, res, d);
    bl_free(m);
    bl_free(x);
    return rc;
}

int bl_app_programs_eval(struct bl_store *st, int64_t org,
                         const struct bl_app_programs_eval_req *req,
                         struct bl_app_programs_eval_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    res->org = org;
    bl_arena_init(&res->arena, 0);
    struct bl_app_programs_res all;
    struct bl_member_row *prior = NULL;
    size_t np = 0;
    int rc = programs(st, org, req->program, res, &all, d);
    rc = rc ? rc : decide(st, org, req, res, &prior, &np, d);
    if (!rc && !req->dry_run)
        rc = bl__programs_store(st, org, req, res, prior, np, d);
    bl_free(prior);
    bl_app_programs_res_release(&all);
    return rc;
}

void bl_app_programs_eval_res_release(struct bl_app_programs_eval_res *res)
{
    bl_free(res->programs);
    bl_free(res->d);
    bl_free(res->shops);
    for (size_t k = 0; k < res->nzones; k++)
        bl_tz_free(res->zones[k]);
    bl_free(res->zones);
    bl_free(res->znames);
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}
