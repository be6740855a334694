/* policy.c - per-shop logistics policies: the routing policy and the refund share
 * (logistics.h). */
#include <string.h>

#include "app/audit.h"
#include "app/logistics_impl.h"
#include "store/logistics.h"

#include "ballast/csv.h"
#include "ballast/money.h"

int bl_app_share_parse(const char *text, int64_t *bp)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_money_parse(bl_str_c(text), 4, bp, &d) || *bp < 0 || *bp > 10000)
        return BL_EINVAL;
    return BL_OK;
}

static int shop_id(struct bl_store *st, int64_t org, const char *shop, int64_t *id,
                   struct bl_diag *d)
{
    struct bl_store_shop_policy p = {0};
    char buf[1024];
    int rc = bl_store_shop_policy_get(st, org, shop, &p, buf, sizeof(buf), d);
    *id = p.shop_id;
    return rc;
}

int bl_app_route_policy_set(struct bl_store *st, int64_t org,
                            const struct bl_app_route_policy_req *req, struct bl_diag *d)
{
    struct bl_lg_policy p;
    if (req->route && bl_app_route_policy_parse(req->route, &p))
        return bl_diag_set(d, BL_EINVAL, "%s: expected cheapest, fastest or preferred:CARRIER",
                           req->route);
    if (req->share_bp && (*req->share_bp < 0 || *req->share_bp > 10000))
        return bl_diag_set(d, BL_EINVAL, "refund share: expected 0 to 10000 basis points");
    int64_t id = 0;
    int rc = bl_store_begin(st, d);
    rc = rc ? rc : shop_id(st, org, req->shop, &id, d);
    rc = rc ? rc
            : bl_store_shop_policy_set(st, org, id, req->route, req->share_bp,
                                       bl_app_now_or(req->now), d);
    rc = rc ? rc
            : bl_app_audit(st, org, req->now, req->route ? "policy.route" : "policy.refund",
                           "shop", req->shop, NULL,
                           json_pack("{s:s?, s:o}", "route", req->route, "refund_share_bp",
                                     req->share_bp ? json_integer(*req->share_bp) : json_null()),
                           d);
    return bl_store_end(st, rc, d);
}

int bl_app_refund_policy_set(struct bl_store *st, int64_t org, const char *shop, int64_t share_bp,
                             int64_t now, struct bl_diag *d)
{
    struct bl_app_route_policy_req req = {shop, NULL, &share_bp, now};
    return bl_app_route_policy_set(st, org, &req, d);
}

struct pol_list {
    struct bl_app_route_policy_res *res;
    size_t cap;
};

static int pol_row(void *ctx, const struct bl_store_shop_policy *r)
{
    struct pol_list *c = ctx;
    struct bl_app_route_policy_res *res = c->res;
    if (bl_grow((void **)&res->p, &c->cap, res->n + 1, sizeof(*res->p)))
        return BL_ENOMEM;
    struct bl_app_shop_policy *p = &res->p[res->n++];
    p->shop = bl__app_keep(&res->arena, r->shop);
    p->route_text = bl__app_keep(&res->arena, r->route_policy[0] ? r->route_policy : "cheapest");
    if (bl_app_route_policy_parse(p->route_text, &p->route))
        p->route = (struct bl_lg_policy){BL_LG_CHEAPEST, NULL};
    p->share_bp = r->has_share ? r->share_bp : BL_APP_REFUND_SHARE_BP;
    return 0;
}

int bl_app_route_policy_list(struct bl_store *st, int64_t org, struct bl_app_route_policy_res *res,
                             struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 0);
    struct pol_list c = {res, 0};
    return bl_store_shop_policy_list(st, org, pol_row, &c, d);
}

void bl_app_route_policy_res_release(struct bl_app_route_policy_res *res)
{
    bl_free(res->p);
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}

/* ---------------------------------------------------------------- import */

struct cols {
    int shop, pol, share;
};

static int header(const struct bl_csv_record *rec, const char *path, struct cols *c,
                  struct bl_diag *d)
{
    *c = (struct cols){-1, -1, -1};
    for (size_t i = 0; i < rec->nfields; i++) {
        if (bl_str_eq_c(rec->field[i], "shop"))
            c->shop = (int)i;
        else if (bl_str_eq_c(rec->field[i], "route_policy"))
            c->pol = (int)i;
        else if (bl_str_eq_c(rec->field[i], "refund_share"))
            c->share = (int)i;
    }
    return c->shop < 0 ? bl_diag_set(d, BL_EPARSE, "%s: no column 'shop'", path) : BL_OK;
}

/* One data row: the shop's policy set, or an error naming the line and column. */
static int import_row(struct bl_store *st, int64_t org, const char *path, int64_t now,
                      const struct bl_csv_record *rec, const struct cols *c, struct bl_diag *d)
{
    char shop[256], pol[256], sh[64];
    struct bl_str f[3] = {{"", 0}, {"", 0}, {"", 0}};
    int idx[3] = {c->shop, c->pol, c->share};
    for (int k = 0; k < 3; k++)
        if (idx[k] >= 0 && (size_t)idx[k] < rec->nfields)
            f[k] = rec->field[idx[k]];
    if (f[0].len == 0 || f[0].len >= sizeof(shop) || f[1].len >= sizeof(pol))
        return bl_diag_set(d, BL_EPARSE, "%s:%lld: column 'shop': missing or too long", path,
                           (long long)rec->line);
    bl_str_copy(shop, sizeof(shop), f[0]);
    bl_str_copy(pol, sizeof(pol), f[1]);
    struct bl_lg_policy p;
    if (pol[0] && bl_app_route_policy_parse(pol, &p))
        return bl_diag_set(d, BL_EPARSE,
                           "%s:%lld: column 'route_policy': '%s': expected cheapest, fastest "
                           "or preferred:CARRIER",
                           path, (long long)rec->line, pol);
    int64_t bp = 0;
    if (f[2].len) {
        bl_str_copy(sh, sizeof(sh), f[2]);
        if (bl_app_share_parse(sh, &bp))
            return bl_diag_set(d, BL_EPARSE, "%s:%lld: column 'refund_share': '%s': expected 0..1",
                               path, (long long)rec->line, sh);
    }
    int64_t id;
    int rc = shop_id(st, org, shop, &id, d);
    if (rc) {
        d->line = rec->line;
        return rc;
    }
    return bl_store_shop_policy_set(st, org, id, pol[0] ? pol : NULL, f[2].len ? &bp : NULL, now,
                                    d);
}

int bl_app_route_policy_import(struct bl_store *st, int64_t org, const char *path, int64_t now,
                               struct bl_app_route_policy_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 0);
    now = bl_app_now_or(now);
    struct bl_csv *csv;
    int rc = bl_csv_open(&csv, path, d);
    if (rc)
        return rc;
    struct bl_csv_record *rec = bl_malloc(sizeof(*rec));
    if (!rec) {
        bl_csv_close(csv);
        return bl_diag_set(d, BL_ENOMEM, "out of memory");
    }
    struct cols c = {-1, -1, -1};
    rc = bl_csv_next(csv, rec, d);
    if (rc == 1)
        rc = header(rec, path, &c, d);
    else if (rc == 0)
        rc = bl_diag_set(d, BL_EPARSE, "%s: empty file", path);
    if (!rc)
        rc = bl_store_begin(st, d);
    int more = 0;
    while (!rc && (more = bl_csv_next(csv, rec, d)) == 1) {
        rc = import_row(st, org, path, now, rec, &c, d);
        res->set += !rc;
    }
    if (!rc && more < 0)
        rc = more;
    if (!rc)
        rc = bl_app_audit(st, org, now, "policy.route", "shop", NULL, NULL,
                          json_pack("{s:s, s:I}", "file", path, "shops", (json_int_t)res->set), d);
    rc = bl_store_end(st, rc, d);
    bl_free(rec);
    bl_csv_close(csv);
    return rc;
}
