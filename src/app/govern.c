/* govern.c - marketplaces and the merchant organisations they govern (user.h). */
#include <string.h>

#include "app/audit.h"
#include "app/data.h"
#include "app/user.h"
#include "ballast/alloc.h"

static int find_org(struct bl_store *st, const char *name, const char *field, int64_t *id,
                    struct bl_diag *d)
{
    int rc = bl_app_org_find(st, name, id, d);
    if (rc == BL_ENOTFOUND) {
        bl_diag_at(d, NULL, 0, field);
        rc = bl_diag_set(d, BL_ENOTFOUND, "unknown organisation '%s'", name);
    }
    return rc;
}

static int govern_link(struct bl_store *st, int64_t market, int64_t merchant, const char *mname,
                       bool release, int64_t now, struct bl_diag *d)
{
    int64_t by = 0;
    bool changed = false;
    int rc = bl_store_governed_by(st, merchant, &by, d);
    if (!rc && !release && by && by != market)
        rc = bl_diag_set(d, BL_ECONFLICT,
                         "organisation '%s' is governed by another marketplace: release it "
                         "there first",
                         mname);
    if (!rc && release)
        rc = bl_store_govern_remove(st, market, merchant, &changed, d);
    else if (!rc)
        rc = bl_store_govern_add(st, market, merchant, now, &changed, d);
    if (!rc && !changed)
        rc = bl_diag_set(d, release ? BL_ENOTFOUND : BL_EEXISTS,
                         release ? "this marketplace does not govern '%s'"
                                 : "this marketplace governs '%s' already",
                         mname);
    return rc ? rc
              : bl_app_audit(st, market, now, release ? "org.release" : "org.govern", "org", mname,
                             json_pack("{s:b}", "governed", release),
                             json_pack("{s:b}", "governed", !release), d);
}

int bl_app_org_govern(struct bl_store *st, const char *merchant, const char *by, bool release,
                      int64_t now, struct bl_diag *d)
{
    int64_t m = 0, market = 0;
    int rc = find_org(st, merchant, "merchant", &m, d);
    rc = rc ? rc : find_org(st, by, "by", &market, d);
    if (!rc && m == market) {
        bl_diag_at(d, NULL, 0, "by");
        rc = bl_diag_set(d, BL_EINVAL, "an organisation does not govern itself");
    }
    rc = rc ? rc : bl_store_begin(st, d);
    if (rc)
        return rc;
    rc = govern_link(st, market, m, merchant, release, bl_app_now_or(now), d);
    return bl_store_end(st, rc, d);
}

static int merchant_one(void *ctx, int64_t id, const char *name)
{
    struct bl_app_merchants_res *res = ctx;
    if (bl_grow((void **)&res->items, &res->cap, res->n + 1, sizeof(*res->items)))
        return BL_ENOMEM;
    const char *copy = bl_arena_strndup(&res->arena, name, strlen(name));
    if (!copy)
        return BL_ENOMEM;
    res->items[res->n++] = (struct bl_app_merchant){id, copy};
    return 0;
}

int bl_app_merchants(struct bl_store *st, int64_t org, struct bl_app_merchants_res *res,
                     struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    int rc = bl_store_govern_list(st, org, merchant_one, res, d);
    if (rc == BL_ENOMEM && d && !d->code)
        bl_diag_set(d, rc, "out of memory listing merchants");
    return rc;
}

void bl_app_merchants_res_release(struct bl_app_merchants_res *res)
{
    bl_free(res->items);
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}

struct find_ctx {
    const char *name;
    int64_t id;
};

static int find_one(void *ctx, int64_t id, const char *name)
{
    struct find_ctx *c = ctx;
    if (strcmp(name, c->name) != 0)
        return 0;
    c->id = id;
    return 1;
}

int bl_app_org_governed(struct bl_store *st, int64_t org, const char *name, int64_t *merchant,
                        struct bl_diag *d)
{
    struct find_ctx c = {name, 0};
    *merchant = 0;
    int rc = bl_store_govern_list(st, org, find_one, &c, d);
    if (rc == 1) {
        *merchant = c.id;
        return BL_OK;
    }
    char shown[BL_SHOW_BUF];
    return rc ? rc
              : bl_diag_set(d, BL_ENOTFOUND, "no merchant organisation '%s' governed by this one",
                            bl_str_show(bl_str_c(name), BL_SHOW, shown));
}
