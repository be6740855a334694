/* market_merchants.c - a marketplace's merchants rated, each as of its last cycle, and the
 * version of that answer (market.h). */
#include <string.h>

#include "app/cycle.h"
#include "app/data.h"
#include "app/disruption.h"
#include "app/market.h"

static const char *keep(struct bl_arena *a, const char *s, int *rc)
{
    if (!s)
        return NULL;
    const char *r = bl_arena_strndup(a, s, strlen(s));
    if (!r)
        *rc = BL_ENOMEM;
    return r;
}

static int last_cycle(void *ctx, const struct bl_cycle_rec *r)
{
    struct bl_app_market_row *m = ctx;
    m->as_of = r->as_of;
    m->has_cycle = true;
    return 0;
}

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211u;
    return h;
}

int bl_app_market_merchants_open(struct bl_store *st, int64_t org, int64_t now,
                                 struct bl_app_market_merchants_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 1u << 12);
    now = bl_app_now_or(now);
    int rc = bl_app_merchants(st, org, &res->m, d);
    res->rows = rc ? NULL : bl_arena_alloc(&res->arena, (res->m.n + 1) * sizeof(*res->rows));
    if (!rc && !res->rows)
        rc = bl_diag_set(d, BL_ENOMEM, "merchants: out of memory");
    uint64_t h = 14695981039346656037u;
    for (size_t i = 0; !rc && i < res->m.n; i++) {
        struct bl_app_market_row *m = &res->rows[res->n++];
        memset(m, 0, sizeof(*m));
        m->org = res->m.items[i].org;
        m->name = res->m.items[i].name;
        /* the generation first: on PostgreSQL what is read after it is at least as new */
        rc = bl_app_data_gen(st, m->org, &m->gen, d);
        rc = rc ? rc : bl_app_cycle_list(st, m->org, 1, last_cycle, m, d);
        if (!m->has_cycle) /* never run: rated as of this minute, so kept a minute at most */
            m->as_of = now - (now % 60 + 60) % 60;
        res->gen = res->gen < 0 || m->gen < 0 ? -1 : res->gen + m->gen;
        h = mix(h, &m->org, sizeof(m->org));
        h = mix(h, m->name, strlen(m->name) + 1);
        h = mix(h, &m->gen, sizeof(m->gen));
        h = mix(h, &m->as_of, sizeof(m->as_of));
    }
    res->version = mix(h, &res->n, sizeof(res->n));
    return rc;
}

/* The merchant's shops from its assessment: score, rating, the orders exempted. */
static int copy_shops(struct bl_arena *a, struct bl_app_market_row *m,
                      const struct bl_app_assess_res *as)
{
    int rc = BL_OK;
    m->shops = bl_arena_alloc(a, (as->n + 1) * sizeof(*m->shops));
    if (!m->shops)
        return BL_ENOMEM;
    for (size_t i = 0; i < as->n; i++) {
        const struct bl_app_assess_shop *s = &as->shops[i];
        int64_t exempt = 0;
        for (size_t q = 0; s->rules_known && q < s->prof->nrules; q++)
            exempt = s->rules[q].exempt > exempt ? s->rules[q].exempt : exempt;
        m->shops[m->nshops++] =
            (struct bl_app_market_shop){keep(a, s->shop, &rc), keep(a, s->profile, &rc), s->score,
                                        s->rating[0] ? keep(a, s->rating, &rc) : NULL, exempt};
    }
    m->assessed = rc == BL_OK;
    return rc;
}

/* The protections not ended by the merchant's as-of. */
static int protections(struct bl_store *st, struct bl_arena *a, struct bl_app_market_row *m)
{
    struct bl_app_protect_list_req req = {NULL};
    struct bl_app_protect_list_res pl;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_protect_list(st, m->org, &req, &pl, &d);
    m->prot = rc ? NULL : bl_arena_alloc(a, (pl.n + 1) * sizeof(*m->prot));
    if (!rc && !m->prot)
        rc = BL_ENOMEM;
    for (size_t i = 0; !rc && i < pl.n; i++) {
        const struct bl_protection *p = &pl.items[i];
        if (p->ends_at <= m->as_of)
            continue;
        m->prot[m->nprot++] = (struct bl_app_market_protection){
            keep(a, p->shop, &rc), keep(a, p->reason, &rc), p->starts_at, p->ends_at};
    }
    bl_app_protect_list_res_release(&pl);
    m->protections_known = rc == BL_OK;
    return rc == BL_ENOMEM ? rc : BL_OK; /* a store error: the merchant's are unknown */
}

int bl_app_market_merchants_rate(struct bl_store *st, struct bl_app_market_merchants_res *res,
                                 bl_app_market_assess_fn assess_fn, bl_app_market_done_fn done,
                                 void *ctx, struct bl_diag *d)
{
    int rc = BL_OK;
    for (size_t i = 0; !rc && i < res->n; i++) {
        struct bl_app_market_row *m = &res->rows[i];
        struct bl_app_assess_res own;
        const struct bl_app_assess_res *as = &own;
        struct bl_diag ad;
        bl_diag_clear(&ad);
        memset(&own, 0, sizeof(own));
        struct bl_app_assess_req q = {.as_of = m->as_of, .dry_run = true};
        int arc = assess_fn ? assess_fn(ctx, m->org, m->as_of, &as, &ad)
                            : bl_app_assess(st, m->org, &q, &own, &ad);
        if (!arc && as)
            rc = copy_shops(&res->arena, m, as);
        if (assess_fn && done)
            done(ctx);
        bl_app_assess_res_release(&own);
        rc = rc ? rc : protections(st, &res->arena, m);
    }
    return rc ? bl_diag_set(d, rc, "merchants: out of memory") : BL_OK;
}

void bl_app_market_merchants_release(struct bl_app_market_merchants_res *res)
{
    bl_app_merchants_res_release(&res->m);
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}
