/* whatif_approved.c - the reroutes a person approved (a what-if's plan applied, then
 * `ballast actions approve`), as the what-if's engine input: the router sends those
 * orders by the backup channel until the action's end day (route.c, "Approved
 * reroutes"), so both runs of the what-if do too (whatif_impl.h). */
#include <string.h>

#include "app/whatif_impl.h"
#include "store/logistics.h"

#define DAY INT64_C(86400)

struct approved_load {
    struct bl__wi_app *x;
    size_t cap;
    struct bl_diag *d;
};

static int32_t channel_index(const struct bl_app_whatif_res *res, const char *ext)
{
    for (size_t k = 0; k < res->nchannels; k++)
        if (strcmp(res->channel[k], ext) == 0)
            return (int32_t)k;
    return -1;
}

static int approved_row(void *ctx, const struct bl_store_lg_reroute *r)
{
    struct approved_load *c = ctx;
    struct bl__wi_app *x = c->x;
    struct bl_app_whatif_res *res = x->res;
    int64_t end = x->req->as_of + x->req->horizon * DAY;
    if (r->until_day * DAY <= x->req->as_of || r->from_day * DAY >= end)
        return 0; /* over before the horizon, or after it */
    int32_t from = channel_index(res, r->from), to = channel_index(res, r->to);
    int64_t shop = -1;
    for (size_t k = 0; k < res->nshops && shop < 0; k++)
        if (strcmp(res->shop[k], r->shop) == 0)
            shop = (int64_t)k;
    if (from < 0 || to < 0 || shop < 0)
        return 0; /* no order of the snapshot on it, or of the shop: nothing to move */
    if (bl_grow((void **)&res->approved, &c->cap, res->napproved + 1, sizeof(*res->approved)))
        return bl_diag_set(c->d, BL_ENOMEM, "what-if: out of memory");
    res->approved[res->napproved++] = (struct bl_app_whatif_approved){
        r->action, (uint32_t)shop, from, to, r->from_day, r->until_day};
    return 0;
}

int bl__wi_approved(struct bl__wi_app *x, struct bl_diag *d)
{
    struct bl_app_whatif_res *res = x->res;
    struct approved_load c = {x, 0, d};
    int rc = bl_store_lg_reroutes(x->st, x->org, approved_row, &c, d);
    if (rc == BL_ENOMEM && !d->code)
        rc = bl_diag_set(d, rc, "what-if: out of memory");
    if (rc || !res->napproved)
        return rc;
    x->approved = bl_arena_alloc(&res->arena, res->napproved * sizeof(*x->approved));
    if (!x->approved)
        return bl_diag_set(d, BL_ENOMEM, "what-if: out of memory");
    for (size_t i = 0; i < res->napproved; i++) { /* the first approved binds an order */
        const struct bl_app_whatif_approved *a = &res->approved[i];
        x->approved[i] =
            (struct bl_wi_reroute){a->shop, a->from, a->to, a->from_day * DAY, a->until_day * DAY};
    }
    x->napproved = res->napproved;
    return BL_OK;
}
