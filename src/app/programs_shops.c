/* programs_shops.c - the merchants a marketplace's programmes decide (programs.h): its own
 * shops, then the shops of each merchant organisation it governs (`org govern`), each
 * with its own facts, settings and time zone, as their organisations keep them. */
#include <string.h>

#include "app/programs_impl.h"
#include "store/audit.h" /* bl_store_govern_list */

struct governed {
    int64_t *ids;
    size_t n, cap;
};

static int governed_one(void *ctx, int64_t id, const char *name)
{
    (void)name;
    struct governed *g = ctx;
    void *items = g->ids;
    if (bl_grow(&items, &g->cap, g->n + 1, sizeof(int64_t)))
        return BL_ENOMEM;
    g->ids = items;
    g->ids[g->n++] = id;
    return 0;
}

/* The shops of merchant organisation org, after those of res. */
static int append(struct bl_store *st, int64_t org, struct bl_app_programs_eval_res *res,
                  struct bl_diag *d)
{
    struct bl_pg_shop_row *more = NULL;
    size_t n = 0;
    int rc = bl_store_program_shops(st, org, &res->arena, &more, &n, d);
    struct bl_pg_shop_row *all =
        rc || !n ? NULL : bl_realloc(res->shops, (res->nshops + n) * sizeof(*all));
    if (!rc && n && !all)
        rc = bl_diag_set(d, BL_ENOMEM, "programmes: out of memory");
    if (all) {
        memcpy(all + res->nshops, more, n * sizeof(*all));
        res->shops = all;
        res->nshops += n;
    }
    bl_free(more);
    return rc;
}

int bl__programs_shops(struct bl_store *st, int64_t org, struct bl_app_programs_eval_res *res,
                       struct bl_diag *d)
{
    struct governed g = {0};
    int rc = bl_store_program_shops(st, org, &res->arena, &res->shops, &res->nshops, d);
    rc = rc ? rc : bl_store_govern_list(st, org, governed_one, &g, d);
    if (rc == BL_ENOMEM && !d->code)
        rc = bl_diag_set(d, BL_ENOMEM, "programmes: out of memory");
    for (size_t k = 0; !rc && k < g.n; k++)
        rc = append(st, g.ids[k], res, d);
    bl_free(g.ids);
    return rc;
}

int64_t bl__programs_linked(const struct bl_app_programs_eval_res *res, size_t i)
{
    const struct bl_pg_shop_row *s = &res->shops[i];
    for (size_t k = 0; s->s.linked_to && k < res->nshops; k++)
        if (res->shops[k].org == s->org && res->shops[k].id == s->s.linked_to)
            return (int64_t)k + 1;
    return 0;
}
