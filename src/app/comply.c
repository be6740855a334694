/* comply.c - the tax threshold watch (comply.h): the orders, rates and rules loaded once,
 * the engine's one pass, the crossings stored as alerts. */
#include "app/comply.h"

#include <stdio.h>
#include <string.h>

#include "ballast/app.h"
#include "ballast/map.h"
#include "ballast/money.h"
#include "ballast/time.h"
#include "store/comply.h"

/* What the pass reads, built from the store. */
struct load {
    struct bl_arena *a;
    struct bl_map dest_ix, cur_ix, shop_ix;
    const char **dests;
    size_t ndests, capdests;
    struct bl_comply_cur *curs;
    size_t ncurs, capcurs;
    struct bl_comply_order *o;
    int64_t *ids, *shops; /* each order's id and shop */
    size_t n, cap;
    struct bl_comply_fx *fx;
    size_t nfx, capfx;
    int64_t *shop_ids; /* group -> shop id (per shop) */
    size_t nshops, capshops;
    bool per_shop;
    int rc;
    struct bl_diag *d;
};

static int intern_dest(struct load *l, struct bl_str s, uint32_t *out)
{
    int64_t v = (int64_t)l->ndests;
    bool added = false;
    if (bl_map_get_or_put(&l->dest_ix, s, &v, &added))
        return BL_ENOMEM;
    if (added) {
        void *items = l->dests;
        char *copy = bl_arena_strndup(l->a, s.ptr, s.len);
        if (!copy || bl_grow(&items, &l->capdests, l->ndests + 1, sizeof(*l->dests)))
            return BL_ENOMEM;
        l->dests = items;
        l->dests[l->ndests++] = copy;
    }
    *out = (uint32_t)v;
    return BL_OK;
}

static int cur_ix(struct load *l, struct bl_str code, uint32_t *out)
{
    int64_t v = (int64_t)l->ncurs;
    bool added = false;
    if (bl_map_get_or_put(&l->cur_ix, code, &v, &added))
        return BL_ENOMEM;
    if (added) {
        struct bl_currency c;
        if (bl_currency_lookup(code, &c, NULL)) {
            memset(&c, 0, sizeof(c));
            memcpy(c.code, code.ptr, code.len < 3 ? code.len : 3);
            c.exponent = 2; /* the importers accept only ISO 4217: not reached */
        }
        void *items = l->curs;
        if (bl_grow(&items, &l->capcurs, l->ncurs + 1, sizeof(*l->curs)))
            return BL_ENOMEM;
        l->curs = items;
        memcpy(l->curs[l->ncurs].code, c.code, 4);
        l->curs[l->ncurs++].exponent = c.exponent;
    }
    *out = (uint32_t)v;
    return BL_OK;
}

static int shop_group(struct load *l, int64_t shop_id, uint32_t *out)
{
    if (!l->per_shop) {
        *out = 0;
        return BL_OK;
    }
    char key[24];
    int kn = snprintf(key, sizeof(key), "%lld", (long long)shop_id);
    int64_t v = (int64_t)l->nshops;
    bool added = false;
    if (bl_map_get_or_put(&l->shop_ix, (struct bl_str){key, (size_t)kn}, &v, &added))
        return BL_ENOMEM;
    if (added) {
        void *items = l->shop_ids;
        if (bl_grow(&items, &l->capshops, l->nshops + 1, sizeof(int64_t)))
            return BL_ENOMEM;
        l->shop_ids = items;
        l->shop_ids[l->nshops++] = shop_id;
    }
    *out = (uint32_t)v;
    return BL_OK;
}

static int order_row(void *ctx, const struct bl_comply_row *r)
{
    struct load *l = ctx;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 1024;
        struct bl_comply_order *o = bl_realloc(l->o, cap * sizeof(*o));
        if (o)
            l->o = o;
        int64_t *ids = o ? bl_realloc(l->ids, cap * sizeof(*ids)) : NULL;
        if (ids)
            l->ids = ids;
        int64_t *shops = ids ? bl_realloc(l->shops, cap * sizeof(*shops)) : NULL;
        if (!shops)
            return BL_ENOMEM;
        l->shops = shops;
        l->cap = cap;
    }
    struct bl_comply_order *o = &l->o[l->n];
    *o = (struct bl_comply_order){.at = r->placed_at, .amount = r->amount,
                                  .refunded = r->refunded, .cancelled = r->cancelled};
    int rc = intern_dest(l, r->ship_to, &o->dest);
    if (!rc)
        rc = intern_dest(l, r->ship_from, &o->origin);
    if (!rc)
        rc = cur_ix(l, r->currency, &o->cur);
    if (!rc)
        rc = shop_group(l, r->shop_id, &o->group);
    if (!rc) {
        l->ids[l->n] = r->id;
        l->shops[l->n++] = r->shop_id;
    }
    return rc;
}

static int rate_row(void *ctx, const struct bl_comply_rate_row *r)
{
    struct load *l = ctx;
    void *items = l->fx;
    if (bl_grow(&items, &l->capfx, l->nfx + 1, sizeof(*l->fx)))
        return BL_ENOMEM;
    l->fx = items;
    struct bl_comply_fx *f = &l->fx[l->nfx];
    memset(f, 0, sizeof(*f));
    int rc = cur_ix(l, r->from, &f->from);
    if (rc)
        return rc;
    memcpy(f->to, r->to.ptr, r->to.len < 3 ? r->to.len : 3);
    f->day = r->day;
    f->rate = r->rate;
    l->nfx++;
    return BL_OK;
}

static void load_release(struct load *l)
{
    bl_map_release(&l->dest_ix);
    bl_map_release(&l->cur_ix);
    bl_map_release(&l->shop_ix);
    bl_free(l->dests);
    bl_free(l->curs);
    bl_free(l->o);
    bl_free(l->ids);
    bl_free(l->shops);
    bl_free(l->fx);
    bl_free(l->shop_ids);
}

static int load(struct bl_store *st, int64_t org, const struct bl_app_comply_req *req,
                struct bl_app_comply_res *res, struct load *l, struct bl_diag *d)
{
    l->a = &res->arena;
    bl_map_init(&l->dest_ix, &res->arena);
    bl_map_init(&l->cur_ix, &res->arena);
    bl_map_init(&l->shop_ix, &res->arena);
    l->per_shop = req->per_shop;
    int rc = bl_store_comply_orders(st, org, req->as_of, order_row, l, d);
    if (rc == BL_ENOMEM && !d->code)
        rc = bl_diag_set(d, BL_ENOMEM, "comply: out of memory");
    if (!rc)
        rc = bl_store_comply_rates(st, org, rate_row, l, d);
    for (size_t k = 0; !rc && k < res->rules.n; k++) {
        uint32_t ix; /* the rules' currencies, for the inverse rates */
        rc = cur_ix(l, bl_str_c(res->rules.r[k].currency), &ix);
    }
    if (rc == BL_ENOMEM && !d->code)
        rc = bl_diag_set(d, BL_ENOMEM, "comply: out of memory");
    res->orders = (int64_t)l->n;
    return rc;
}

/* ---- the pass ---------------------------------------------------------------------- */

static int run(const struct bl_app_comply_req *req, struct bl_app_comply_res *res,
               struct load *l, uint32_t ngroups, struct bl_comply_res *out, struct bl_diag *d)
{
    struct bl_comply_in in = {.rules = &res->rules,
                              .dests = l->dests,
                              .ndests = l->ndests,
                              .curs = l->curs,
                              .ncurs = l->ncurs,
                              .fx = l->fx,
                              .nfx = l->nfx,
                              .orders = l->o,
                              .norders = l->n,
                              .ngroups = ngroups ? ngroups : 1,
                              .as_of = req->as_of};
    int rc = bl_comply_run(&in, out);
    if (rc)
        return bl_diag_set(d, rc, "comply: %s", bl_strerror(rc));
    return BL_OK;
}

/* req->shop in organisation mode: the pass again with that shop's orders as a seller
 * apart (group 1), each rule's share of it into the items. */
static int share(const struct bl_app_comply_req *req, struct bl_app_comply_res *res,
                 struct load *l, struct bl_diag *d)
{
    for (size_t i = 0; i < l->n; i++)
        l->o[i].group = l->shops[i] == res->shop_id;
    struct bl_comply_res out;
    int rc = run(req, res, l, 2, &out, d);
    for (size_t i = 0; i < l->n; i++)
        l->o[i].group = 0;
    for (size_t k = 0; !rc && k < res->n; k++) {
        res->items[k].share = out.s[k * 2 + 1];
        res->items[k].has_share = true;
    }
    bl_comply_res_release(&out);
    return rc;
}

/* ---- the shops' names, the orders that crossed -------------------------------------- */

struct shop_find {
    struct bl_app_comply_res *res;
    const char *ext;          /* looked for */
    const int64_t *ids;       /* per shop: the groups' shops */
    size_t nids;
    const char **ext_of, **name_of; /* per group */
};

static int shop_seen(void *ctx, int64_t id, struct bl_str ext, struct bl_str name)
{
    struct shop_find *f = ctx;
    if (f->ext && bl_str_eq_c(ext, f->ext)) {
        f->res->shop_id = id;
        size_t n = name.len < sizeof(f->res->shop_name) - 1 ? name.len
                                                           : sizeof(f->res->shop_name) - 1;
        memcpy(f->res->shop_name, name.ptr, n);
        f->res->shop_name[n] = '\0';
    }
    for (size_t g = 0; g < f->nids; g++)
        if (f->ids[g] == id) {
            f->ext_of[g] = bl_arena_strndup(&f->res->arena, ext.ptr, ext.len);
            f->name_of[g] = bl_arena_strndup(&f->res->arena, name.ptr, name.len);
            if (!f->ext_of[g] || !f->name_of[g])
                return BL_ENOMEM;
        }
    return BL_OK;
}

static int crossing_order(struct bl_store *st, int64_t org, const struct load *l,
                          struct bl_app_comply_item *it, struct bl_diag *d)
{
    const struct bl_comply_cross *c = bl_comply_crossing(&it->st);
    if (!c || c->order < 0 || (size_t)c->order >= l->n)
        return BL_OK;
    return bl_store_comply_order_ext(st, org, l->ids[c->order], it->order, it->order_shop, d);
}

/* The items: every rule for the organisation; per shop, each seller with sales there. */
static int items(struct bl_store *st, int64_t org, struct bl_app_comply_res *res,
                 const struct load *l, const struct bl_comply_res *out, struct shop_find *f,
                 struct bl_diag *d)
{
    res->items = bl_calloc(out->n + 1, sizeof(*res->items));
    if (!res->items)
        return bl_diag_set(d, BL_ENOMEM, "comply: out of memory");
    int rc = BL_OK;
    for (size_t s = 0; !rc && s < out->n; s++) {
        const struct bl_comply_state *x = &out->s[s];
        if (l->per_shop && !x->counted && !x->cancelled)
            continue;
        if (l->per_shop && res->shop_id && l->shop_ids[x->group] != res->shop_id)
            continue;
        struct bl_app_comply_item *it = &res->items[res->n++];
        it->rule = &res->rules.r[x->rule];
        it->st = *x;
        if (l->per_shop) {
            it->shop_id = l->shop_ids[x->group];
            it->shop = f->ext_of[x->group] ? f->ext_of[x->group] : "";
            it->shop_name = f->name_of[x->group] ? f->name_of[x->group] : "";
        }
        rc = crossing_order(st, org, l, it, d);
    }
    return rc;
}

static int shops(struct bl_store *st, int64_t org, const struct bl_app_comply_req *req,
                 struct bl_app_comply_res *res, const struct load *l, struct shop_find *f,
                 struct bl_diag *d)
{
    *f = (struct shop_find){res, req->shop, l->shop_ids, l->per_shop ? l->nshops : 0, NULL,
                            NULL};
    f->ext_of = bl_arena_alloc(&res->arena, (f->nids + 1) * sizeof(char *));
    f->name_of = bl_arena_alloc(&res->arena, (f->nids + 1) * sizeof(char *));
    if (!f->ext_of || !f->name_of)
        return bl_diag_set(d, BL_ENOMEM, "comply: out of memory");
    memset(f->ext_of, 0, (f->nids + 1) * sizeof(char *));
    memset(f->name_of, 0, (f->nids + 1) * sizeof(char *));
    int rc = bl_store_comply_shops(st, org, shop_seen, f, d);
    if (rc == BL_ENOMEM && !d->code)
        rc = bl_diag_set(d, BL_ENOMEM, "comply: out of memory");
    if (!rc && req->shop && !res->shop_id)
        rc = bl_diag_set(d, BL_ENOTFOUND, "no shop '%s' in this organisation ('ballast shops "
                                          "list' names them)", req->shop);
    return rc;
}

/* ---- the use case ------------------------------------------------------------------ */

int bl_app_comply(struct bl_store *st, int64_t org, const struct bl_app_comply_req *req,
                  struct bl_app_comply_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 4096);
    const char *path = req->rules ? req->rules : bl_comply_rules_path();
    snprintf(res->rules_file, sizeof(res->rules_file), "%s", path);
    int rc = bl_comply_rules_load(path, &res->rules, d);
    struct load l = {.d = d};
    if (!rc)
        rc = load(st, org, req, res, &l, d);
    struct shop_find f;
    if (!rc)
        rc = shops(st, org, req, res, &l, &f, d);
    struct bl_comply_res out = {0};
    if (!rc)
        rc = run(req, res, &l, req->per_shop ? (uint32_t)l.nshops : 1, &out, d);
    if (!rc) {
        res->uncovered = out.uncovered;
        res->no_dest = out.no_dest;
        res->unconverted = out.unconverted;
        memcpy(res->missing_from, out.missing_from, 4);
        memcpy(res->missing_to, out.missing_to, 4);
        res->missing_day = out.missing_day;
        int64_t t = req->as_of, day = t >= 0 ? t / BL_DAY_SECS : (t - BL_DAY_SECS + 1) / BL_DAY_SECS;
        res->as_of_day = day - (day * BL_DAY_SECS == t);
        rc = items(st, org, res, &l, &out, &f, d);
    }
    if (!rc && req->shop && !req->per_shop)
        rc = share(req, res, &l, d);
    if (!rc && req->save)
        rc = bl__comply_save(st, org, req, res, d);
    bl_comply_res_release(&out);
    load_release(&l);
    return rc;
}

void bl_app_comply_res_release(struct bl_app_comply_res *res)
{
    bl_comply_rules_release(&res->rules);
    bl_free(res->items);
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}
