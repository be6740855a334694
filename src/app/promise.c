/* promise.c - listing windows per SKU and destination as of an instant (logistics.h;
 * the rule is bl_lg_promise, docs/internals/logistics.md "Listing promise"). */
#include <string.h>

#include "app/logistics_impl.h"
#include "ballast/num.h"
#include "store/logistics.h"

struct sku {
    const char *ext;
    bool has_weight;
    int64_t weight_g, dims[3];
    int32_t hmin, hmax;
};

struct promise_load {
    struct bl_app_promise_res *res;
    struct sku *sk;
    size_t nsk, skcap;
    const char **dest;
    size_t ndest, destcap;
    struct bl_diag *d;
};

static int sku_row(void *ctx, const struct bl_store_lg_sku *r)
{
    struct promise_load *c = ctx;
    if (bl_grow((void **)&c->sk, &c->skcap, c->nsk + 1, sizeof(*c->sk)))
        return BL_ENOMEM;
    struct sku *k = &c->sk[c->nsk++];
    k->ext = bl__app_keep(&c->res->arena, r->ext_id);
    k->has_weight = r->has_weight;
    k->weight_g = r->weight_g;
    for (size_t i = 0; i < 3; i++)
        k->dims[i] = r->dims_mm[i];
    if (!k->dims[0] || !k->dims[1] || !k->dims[2])
        k->dims[0] = k->dims[1] = k->dims[2] = 0;
    if (!bl_i64_to_i32(r->handling_min, &k->hmin))
        return bl_diag_range(c->d, "sku", r->ext_id, "handling_min", r->handling_min, 0,
                             BL_LG_MAX_TRANSIT);
    if (!bl_i64_to_i32(r->handling_max, &k->hmax))
        return bl_diag_range(c->d, "sku", r->ext_id, "handling_max", r->handling_max, 0,
                             BL_LG_MAX_TRANSIT);
    return 0;
}

static int add_dest(struct promise_load *c, const char *to)
{
    if (bl_grow((void **)&c->dest, &c->destcap, c->ndest + 1, sizeof(*c->dest)))
        return BL_ENOMEM;
    c->dest[c->ndest++] = bl__app_keep(&c->res->arena, to);
    return 0;
}

static int lane_row(void *ctx, const char *origin, const char *to)
{
    struct promise_load *c = ctx;
    if (!bl_region_contains(bl_str_c(origin), bl_str_c(c->res->from)) ||
        strlen(to) >= BL_REGION_MAX)
        return 0;
    for (size_t i = 0; i < c->ndest; i++)
        if (strcmp(to, c->dest[i]) == 0)
            return 0;
    return add_dest(c, to);
}

/* The ship-from and the policy: req's, else the shop's, else the most common ship-from
 * and cheapest. */
static int ship_from(struct bl_store *st, int64_t org, const struct bl_app_promise_req *req,
                     struct bl_app_promise_res *res, struct bl_lg_policy *pol, struct bl_diag *d)
{
    char text[BL_REGION_MAX * 4] = "";
    *pol = (struct bl_lg_policy){BL_LG_CHEAPEST, NULL};
    int rc = BL_OK;
    if (req->shop) {
        struct bl_store_shop_policy p;
        char buf[1024];
        rc = bl_store_shop_policy_get(st, org, req->shop, &p, buf, sizeof(buf), d);
        if (!rc && strlen(p.ship_from) < sizeof(text))
            memcpy(text, p.ship_from, strlen(p.ship_from) + 1);
        if (!rc && p.route_policy[0] &&
            bl_app_route_policy_parse(bl__app_keep(&res->arena, p.route_policy), pol))
            *pol = (struct bl_lg_policy){BL_LG_CHEAPEST, NULL};
    } else if (!req->from) {
        rc = bl_store_shop_policy_common_from(st, org, text, sizeof(text), d);
    }
    if (req->policy)
        *pol = *req->policy;
    if (rc)
        return rc;
    if (req->from) {
        if (strlen(req->from) >= sizeof(res->from))
            return bl_diag_set(d, BL_EINVAL, "ship-from '%s': too long", req->from);
        memcpy(res->from, req->from, strlen(req->from) + 1);
    } else if (!text[0] || bl_region_parse(bl_str_c(text), res->from, NULL)) {
        return bl_diag_set(d, BL_EINVAL, "no ship-from region: give --from REGION");
    }
    return BL_OK;
}

static int promise_all(struct bl_app_promise_res *res, const struct promise_load *pl,
                       const struct bl_lg_policy *pol, int64_t as_of, struct bl_diag *d)
{
    const struct bl_lg *lg = res->cat->lg;
    res->line = bl_calloc(pl->nsk * pl->ndest + 1, sizeof(*res->line));
    if (!res->line)
        return bl_diag_set(d, BL_ENOMEM, "out of memory");
    uint32_t fnode = bl_lg_locate(lg, bl_str_c(res->from));
    int rc = BL_OK;
    for (size_t i = 0; !rc && i < pl->nsk; i++) {
        const struct sku *k = &pl->sk[i];
        for (size_t j = 0; !rc && j < pl->ndest; j++) {
            struct bl_lg_promise_in in = {fnode,
                                          bl_lg_locate(lg, bl_str_c(pl->dest[j])),
                                          k->weight_g < 0 ? 0 : k->weight_g,
                                          {k->dims[0], k->dims[1], k->dims[2]},
                                          as_of,
                                          k->hmin,
                                          k->hmax,
                                          k->ext};
            struct bl_app_promise_line *l = &res->line[res->n];
            *l = (struct bl_app_promise_line){k->ext, pl->dest[j], k->has_weight, k->weight_g, {0}};
            rc = bl_lg_promise(lg, pol, &in, &l->p, d);
            res->n += !rc;
        }
    }
    return rc;
}

int bl_app_promise(struct bl_store *st, int64_t org, const struct bl_app_promise_req *req,
                   struct bl_app_promise_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 0);
    int rc = bl__app_lg_use(st, org, req->cat, &res->cat, &res->own_cat, d);
    if (rc)
        return rc;
    struct promise_load pl = {.res = res, .d = d};
    struct bl_lg_policy pol;
    rc = ship_from(st, org, req, res, &pol, d);
    if (!rc)
        rc = bl_store_lg_skus(st, org, req->sku, sku_row, &pl, d);
    if (!rc && req->sku && pl.nsk == 0)
        rc = bl_diag_set(d, BL_ENOTFOUND, "no sku '%s'", req->sku);
    if (!rc && req->to)
        rc = add_dest(&pl, req->to);
    else if (!rc)
        rc = bl_store_channel_lanes(st, org, lane_row, &pl, d);
    res->ndest = pl.ndest;
    if (!rc)
        rc = promise_all(res, &pl, &pol, bl_app_now_or(req->as_of), d);
    bl_free(pl.sk);
    bl_free(pl.dest);
    return rc;
}

void bl_app_promise_res_release(struct bl_app_promise_res *res)
{
    bl_free(res->line);
    bl__app_lg_drop(res->cat, res->own_cat);
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}
