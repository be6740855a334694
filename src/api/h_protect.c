/* h_protect.c - a shop's approved protection windows: the list and granting one
 * (bl_app_protect_list, bl_app_protect), as `ballast protect` does. */
#include <string.h>

#include <microhttpd.h>

#include "api/h_supply.h"
#include "app/disruption.h"
#include "ballast/time.h"

static json_t *prot_json(const struct bl_protection *p)
{
    return json_pack("{s:I, s:s?, s:o, s:o, s:s?, s:s, s:I}", "id", (json_int_t)p->id, "shop",
                     p->shop, "starts_at", bl__api_time(p->starts_at), "ends_at",
                     bl__api_time(p->ends_at), "reason", p->reason, "source",
                     p->batch_id ? "import" : "granted", "batch", (json_int_t)p->batch_id);
}

/* Every protection of the shop (or of every shop) into res: 0, or the answer. */
static unsigned list(struct bl__api_call *c, const char *shop, struct bl_app_protect_list_res *res)
{
    unsigned st = bl__sup_shop(c, shop);
    if (st) {
        memset(res, 0, sizeof(*res));
        return st;
    }
    struct bl_app_protect_list_req req = {shop};
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_protect_list(c->st, c->org, &req, res, &d);
    return rc ? bl__api_fail(c, rc, &d) : 0;
}

unsigned bl__h_protections(struct bl__api_call *c)
{
    struct bl__sup_page p;
    unsigned st = bl__sup_page_pos(c, &p);
    if (st)
        return st;
    struct bl_app_protect_list_res res;
    st = list(c, bl__api_query(c, "shop"), &res);
    if (!st) {
        json_t *items = json_array();
        for (size_t i = (size_t)p.a; items && i < bl__sup_page_end(&p, res.n); i++)
            bl__sup_push(&items, prot_json(&res.items[i]));
        st = bl__api_json(c, MHD_HTTP_OK,
                          bl__sup_list("protections", items, bl__sup_next_pos(c, &p, res.n)));
    }
    bl_app_protect_list_res_release(&res);
    return st;
}

/* An instant of the body: with an offset, or local time in zone (the request's tz, else
 * the shop's), as `ballast protect` reads --from and --to. */
static unsigned instant(struct bl__api_call *c, const char *name, const char *text,
                        const struct bl_tz *zone, int64_t *t)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_time_parse(bl_str_c(text), zone, t, &d) == BL_OK)
        return 0;
    return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", name,
                         "%s: expected an instant (2024-10-01T00:00:00+08:00) or a local date or "
                         "time in the shop's zone (2024-10-01): %s",
                         name, d.msg);
}

static unsigned body(struct bl__api_call *c, const char **f, const char *const *names, size_t n)
{
    const char *bad = NULL, *key;
    json_t *v;
    json_object_foreach(c->body, key, v)
    {
        bool known = false;
        for (size_t i = 0; i < n; i++)
            known = known || strcmp(key, names[i]) == 0;
        if (!known)
            return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", key,
                                 "%s: not a member of a protection", key);
    }
    for (size_t i = 0; i < n; i++)
        f[i] = bl__sup_member(c->body, names[i], &bad);
    if (bad)
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", bad,
                             "%s: expected a string", bad);
    for (size_t i = 0; i < 4; i++) /* shop, from, to, reason */
        if (!f[i] || !f[i][0])
            return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "missing", names[i],
                                 "%s is required", names[i]);
    return 0;
}

/* The window [from, to) read in the zone the request names, else the shop's. */
static unsigned window(struct bl__api_call *c, const char *const *f, const char *shop_tz,
                       struct bl_app_protect_req *req)
{
    struct bl_tz *zone = NULL;
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_tz_load(&zone, f[4] ? f[4] : shop_tz, &d))
        return bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", f[4] ? "tz" : "shop",
                             "%s", d.msg);
    unsigned st = instant(c, "from", f[1], zone, &req->from);
    st = st ? st : instant(c, "to", f[2], zone, &req->to);
    bl_tz_free(zone);
    if (!st && req->to <= req->from)
        st = bl__api_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "invalid", "to",
                           "to: the end is not after the start");
    return st;
}

unsigned bl__h_protect(struct bl__api_call *c)
{
    static const char *const names[] = {"shop", "from", "to", "reason", "tz"};
    const char *f[5];
    unsigned st = body(c, f, names, 5);
    st = st ? st : bl__sup_shop(c, f[0]);
    if (st)
        return st;
    char shop_tz[64];
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_shop_zone(c->st, c->org, f[0], shop_tz, sizeof(shop_tz), &d);
    if (rc)
        return bl__api_fail(c, rc, &d);
    struct bl_app_protect_req req = {f[0], 0, 0, f[3]};
    if ((st = window(c, f, shop_tz, &req)))
        return st;
    struct bl_app_protect_res res;
    rc = bl_app_protect(c->st, c->org, &req, &res, &d);
    if (rc)
        return bl__api_fail(c, rc, &d);
    struct bl_app_protect_list_res all;
    st = list(c, f[0], &all);
    for (size_t i = 0; !st && i < all.n; i++)
        if (all.items[i].id == res.id)
            st = bl__api_json(c, MHD_HTTP_CREATED, prot_json(&all.items[i]));
    if (!st)
        st =
            bl__api_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL,
                          "protection %lld was granted but cannot be read back", (long long)res.id);
    bl_app_protect_list_res_release(&all);
    return st;
}
