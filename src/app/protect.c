/* protect.c - shops' protection windows entered by hand (disruption.h). */
#include <string.h>

#include "app/audit.h"
#include "app/disruption.h"
#include "store/org.h"

static int unknown_shop(const char *shop, enum bl_app_dis_reason *reason, struct bl_diag *d)
{
    *reason = BL_APP_DIS_UNKNOWN_SHOP;
    bl_diag_at(d, NULL, 0, "shop");
    return bl_diag_set(d, BL_ENOTFOUND, "unknown shop '%s'", shop);
}

int bl_app_shop_zone(struct bl_store *st, int64_t org, const char *shop, char *tz, size_t cap,
                     struct bl_diag *d)
{
    int64_t id;
    enum bl_app_dis_reason ignore;
    int rc = bl_store_org_shop(st, org, shop, &id, tz, cap, d);
    return rc == BL_ENOTFOUND ? unknown_shop(shop, &ignore, d) : rc;
}

int bl_app_protect(struct bl_store *st, int64_t org, const struct bl_app_protect_req *req,
                   struct bl_app_protect_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    if (!req->reason || !req->reason[0]) {
        bl_diag_at(d, NULL, 0, "reason");
        return bl_diag_set(d, BL_EINVAL, "a protection needs a reason");
    }
    if (req->to <= req->from) {
        res->reason = BL_APP_DIS_BAD_WINDOW;
        bl_diag_at(d, NULL, 0, "to");
        return bl_diag_set(d, BL_ERANGE, "the end is not after the start");
    }
    struct bl_protection p = {0, 0, req->shop, req->from, req->to, req->reason, 0};
    char tz[64];
    int rc = bl_store_begin(st, d);
    if (!rc) {
        rc = bl_store_org_shop(st, org, req->shop, &p.shop_id, tz, sizeof(tz), d);
        if (rc == BL_ENOTFOUND)
            rc = unknown_shop(req->shop, &res->reason, d);
    }
    if (!rc)
        rc = bl_store_protection_add(st, org, &p, &res->id, d);
    if (!rc)
        rc = bl_app_audit_n(st, org, 0, "protection.add", "protection", res->id, NULL,
                            json_pack("{s:s, s:o, s:o, s:s}", "shop", req->shop, "from",
                                      bl_app_audit_time(req->from), "to",
                                      bl_app_audit_time(req->to), "reason", req->reason),
                            d);
    rc = bl_store_end(st, rc, d);
    if (rc)
        res->id = 0;
    return rc;
}

static int list_row(void *vctx, const struct bl_protection *p)
{
    struct bl_app_protect_list_res *res = vctx;
    if (bl_grow((void **)&res->items, &res->cap, res->n + 1, sizeof(*res->items)))
        return BL_ENOMEM;
    struct bl_protection *it = &res->items[res->n];
    *it = *p;
    it->shop = p->shop ? bl_arena_strndup(&res->arena, p->shop, strlen(p->shop)) : NULL;
    it->reason = p->reason ? bl_arena_strndup(&res->arena, p->reason, strlen(p->reason)) : NULL;
    if ((p->shop && !it->shop) || (p->reason && !it->reason))
        return BL_ENOMEM;
    res->n++;
    return 0;
}

int bl_app_protect_list(struct bl_store *st, int64_t org, const struct bl_app_protect_list_req *req,
                        struct bl_app_protect_list_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    int rc = BL_OK;
    if (req->shop) {
        int64_t id;
        rc = bl_store_org_ext_id(st, org, "shop", req->shop, &id, d);
        if (rc == BL_ENOTFOUND)
            return unknown_shop(req->shop, &res->reason, d);
    }
    if (!rc)
        rc = bl_store_protection_list(st, org, req->shop, list_row, res, d);
    if (rc == BL_ENOMEM && d && !d->code)
        bl_diag_set(d, rc, "out of memory listing protections");
    return rc;
}

void bl_app_protect_list_res_release(struct bl_app_protect_list_res *res)
{
    bl_free(res->items);
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}
