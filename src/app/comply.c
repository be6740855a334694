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

/* Orders read from the store and fed to the engine at a time: what the watch holds. */
#define CHUNK 8192

/* What the pass reads, built from the store: the destinations, currencies and shops
 * interned, the rates, and one chunk of orders at a time (comply.h's stream). */
struct load {
    struct bl_arena *a;
    struct bl_map dest_ix, cur_ix, shop_ix;
    const char **dests;
    size_t ndests, capdests;
    struct bl_comply_cur *curs;
    size_t ncurs, capcurs;
    struct bl_comply_fx *fx;
    size_t nfx, capfx;
    int64_t *shop_ids; /* every shop of the organisation; per shop: the groups */
    const char **shop_ext, **shop_name;
    size_t nshops, capshops;
    struct bl_comply_order *o; /* the chunk */
    int64_t *shops;            /* its orders' shops */
    size_t n;
    int64_t read;       /* orders read in all */
    int64_t share_shop; /* req->shop in organisation mode: its share, 0 none */
    struct bl_comply_in in, in_share;
    struct bl_comply_pass *pass, *pass_share;
    bool per_shop;
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

static struct bl_str id_key(int64_t id, char *key, size_t cap)
{
    int kn = snprintf(key, cap, "%lld", (long long)id);
    return (struct bl_str){key, kn > 0 ? (size_t)kn : 0};
}

/* Every shop, in the store's order: its group when each shop is a seller. */
static int shop_row(void *ctx, int64_t id, struct bl_str ext, struct bl_str name)
{
    struct load *l = ctx;
    char key[24];
    int64_t v = (int64_t)l->nshops;
    bool added = false;
    void *ids = l->shop_ids, *exts = l->shop_ext, *names = l->shop_name;
    size_t cap = l->capshops, cap2 = l->capshops;
    if (bl_map_get_or_put(&l->shop_ix, id_key(id, key, sizeof(key)), &v, &added) ||
        bl_grow(&ids, &l->capshops, l->nshops + 1, sizeof(int64_t)))
        return BL_ENOMEM;
    l->shop_ids = ids;
    if (bl_grow(&exts, &cap, l->nshops + 1, sizeof(char *)))
        return BL_ENOMEM;
    l->shop_ext = exts;
    if (bl_grow(&names, &cap2, l->nshops + 1, sizeof(char *)))
        return BL_ENOMEM;
    l->shop_name = names;
    l->shop_ids[l->nshops] = id;
    l->shop_ext[l->nshops] = bl_arena_strndup(l->a, ext.ptr, ext.len);
    l->shop_name[l->nshops] = bl_arena_strndup(l->a, name.ptr, name.len);
    if (!l->shop_ext[l->nshops] || !l->shop_name[l->nshops])
        return BL_ENOMEM;
    l->nshops++;
    return BL_OK;
}

/* The chunk into the pass (and into the share's, each order of the shop a seller apart). */
static int flush(struct load *l)
{
    l->in.dests = l->in_share.dests = l->dests;
    l->in.ndests = l->in_share.ndests = l->ndests;
    l->in.curs = l->in_share.curs = l->curs;
    l->in.ncurs = l->in_share.ncurs = l->ncurs;
    int rc = bl_comply_feed(l->pass, l->o, l->n);
    for (size_t i = 0; !rc && l->pass_share && i < l->n; i++)
        l->o[i].group = l->shops[i] == l->share_shop;
    if (!rc && l->pass_share)
        rc = bl_comply_feed(l->pass_share, l->o, l->n);
    l->n = 0;
    return rc;
}

static int order_row(void *ctx, const struct bl_comply_row *r)
{
    struct load *l = ctx;
    struct bl_comply_order *o = &l->o[l->n];
    *o = (struct bl_comply_order){.at = r->placed_at,
                                  .ref = r->id,
                                  .amount = r->amount,
                                  .refunded = r->refunded,
                                  .cancelled = r->cancelled};
    int rc = intern_dest(l, r->ship_to, &o->dest);
    if (!rc)
        rc = intern_dest(l, r->ship_from, &o->origin);
    if (!rc)
        rc = cur_ix(l, r->currency, &o->cur);
    if (!rc && l->per_shop) {
        char key[24];
        int64_t g = -1;
        if (!bl_map_get(&l->shop_ix, id_key(r->shop_id, key, sizeof(key)), &g) || g < 0)
            return BL_ESTORE; /* an order of no shop: the store's keys forbid it */
        o->group = (uint32_t)g;
    }
    if (rc)
        return rc;
    l->shops[l->n++] = r->shop_id;
    l->read++;
    return l->n == CHUNK ? flush(l) : BL_OK;
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
    bl_comply_abort(l->pass);
    bl_comply_abort(l->pass_share);
    bl_map_release(&l->dest_ix);
    bl_map_release(&l->cur_ix);
    bl_map_release(&l->shop_ix);
    bl_free(l->dests);
    bl_free(l->curs);
    bl_free(l->o);
    bl_free(l->shops);
    bl_free(l->fx);
    bl_free(l->shop_ids);
    bl_free(l->shop_ext);
    bl_free(l->shop_name);
}

static int nomem(int rc, struct bl_diag *d)
{
    if (rc == BL_ENOMEM && !d->code)
        return bl_diag_set(d, BL_ENOMEM, "comply: out of memory");
    return rc;
}

/* The shops (names; req->shop's id), the rates, and the rules' currencies (for the
 * inverse rates): what the passes need before the first order. */
static int prepare(struct bl_store *st, int64_t org, const struct bl_app_comply_req *req,
                   struct bl_app_comply_res *res, struct load *l, struct bl_diag *d)
{
    l->a = &res->arena;
    bl_map_init(&l->dest_ix, &res->arena);
    bl_map_init(&l->cur_ix, &res->arena);
    bl_map_init(&l->shop_ix, &res->arena);
    l->per_shop = req->per_shop;
    l->o = bl_calloc(CHUNK, sizeof(*l->o));
    l->shops = bl_calloc(CHUNK, sizeof(*l->shops));
    int rc = l->o && l->shops ? BL_OK : BL_ENOMEM;
    if (!rc)
        rc = nomem(bl_store_comply_shops(st, org, shop_row, l, d), d);
    for (size_t i = 0; !rc && req->shop && i < l->nshops; i++)
        if (strcmp(l->shop_ext[i], req->shop) == 0 && !res->shop_id) {
            res->shop_id = l->shop_ids[i];
            snprintf(res->shop_name, sizeof(res->shop_name), "%s", l->shop_name[i]);
        }
    if (!rc && req->shop && !res->shop_id)
        rc = bl_diag_set(d, BL_ENOTFOUND,
                         "no shop '%s' in this organisation ('ballast shops "
                         "list' names them)",
                         req->shop);
    if (!rc)
        rc = nomem(bl_store_comply_rates(st, org, rate_row, l, d), d);
    for (size_t k = 0; !rc && k < res->rules.n; k++) {
        uint32_t ix;
        rc = cur_ix(l, bl_str_c(res->rules.r[k].currency), &ix);
    }
    return nomem(rc, d);
}

/* ---- the pass: the orders streamed from the store into the engine ------------------- */

static int begin(const struct bl_app_comply_req *req, struct bl_app_comply_res *res, struct load *l)
{
    l->in = (struct bl_comply_in){.rules = &res->rules,
                                  .dests = l->dests,
                                  .ndests = l->ndests,
                                  .curs = l->curs,
                                  .ncurs = l->ncurs,
                                  .fx = l->fx,
                                  .nfx = l->nfx,
                                  .ngroups = 1,
                                  .as_of = req->as_of};
    if (l->per_shop && l->nshops)
        l->in.ngroups = (uint32_t)l->nshops;
    int rc = bl_comply_begin(&l->in, &l->pass);
    if (!rc && req->shop && !req->per_shop) {
        l->share_shop = res->shop_id;
        l->in_share = l->in;
        l->in_share.ngroups = 2;
        rc = bl_comply_begin(&l->in_share, &l->pass_share);
    }
    return rc;
}

static int stream(struct bl_store *st, int64_t org, const struct bl_app_comply_req *req,
                  struct bl_app_comply_res *res, struct load *l, struct bl_comply_res *out,
                  struct bl_comply_res *share, struct bl_diag *d)
{
    int rc = begin(req, res, l);
    if (!rc)
        rc = bl_store_comply_orders(st, org, req->as_of, order_row, l, d);
    if (!rc)
        rc = flush(l);
    if (!rc) { /* end frees its pass; after an error, load_release aborts them */
        rc = bl_comply_end(l->pass, out);
        l->pass = NULL;
    }
    if (!rc && l->pass_share) {
        rc = bl_comply_end(l->pass_share, share);
        l->pass_share = NULL;
    }
    res->orders = l->read;
    if (rc && !d->code)
        return bl_diag_set(d, rc, "comply: %s", bl_strerror(rc));
    return rc;
}

/* req->shop in organisation mode: each rule's share of its totals (group 1). */
static void share(struct bl_app_comply_res *res, const struct bl_comply_res *out)
{
    for (size_t k = 0; k < res->n && out->s; k++) {
        res->items[k].share = out->s[k * 2 + 1];
        res->items[k].has_share = true;
    }
}

/* ---- the orders that crossed ------------------------------------------------------ */

static int crossing_order(struct bl_store *st, int64_t org, struct bl_app_comply_item *it,
                          struct bl_diag *d)
{
    const struct bl_comply_cross *c = bl_comply_crossing(&it->st);
    if (!c || c->order < 0 || c->ref <= 0)
        return BL_OK;
    return bl_store_comply_order_ext(st, org, c->ref, it->order, it->order_shop, d);
}

/* The items: every rule for the organisation; per shop, each seller with sales there. */
static int items(struct bl_store *st, int64_t org, struct bl_app_comply_res *res,
                 const struct load *l, const struct bl_comply_res *out, struct bl_diag *d)
{
    res->items = bl_calloc(out->n + 1, sizeof(*res->items));
    if (!res->items)
        return bl_diag_set(d, BL_ENOMEM, "comply: out of memory");
    int rc = BL_OK;
    for (size_t s = 0; !rc && s < out->n; s++) {
        const struct bl_comply_state *x = &out->s[s];
        bool shop = l->per_shop && l->nshops;
        if (l->per_shop && !x->counted && !x->cancelled)
            continue;
        if (shop && res->shop_id && l->shop_ids[x->group] != res->shop_id)
            continue;
        struct bl_app_comply_item *it = &res->items[res->n++];
        it->rule = &res->rules.r[x->rule];
        it->st = *x;
        if (shop) {
            it->shop_id = l->shop_ids[x->group];
            it->shop = l->shop_ext[x->group];
            it->shop_name = l->shop_name[x->group];
        }
        rc = crossing_order(st, org, it, d);
    }
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
    struct load l = {0};
    if (!rc)
        rc = prepare(st, org, req, res, &l, d);
    struct bl_comply_res out = {0}, shared = {0};
    if (!rc)
        rc = stream(st, org, req, res, &l, &out, &shared, d);
    if (!rc) {
        res->uncovered = out.uncovered;
        res->no_dest = out.no_dest;
        res->unconverted = out.unconverted;
        memcpy(res->missing_from, out.missing_from, 4);
        memcpy(res->missing_to, out.missing_to, 4);
        res->missing_day = out.missing_day;
        int64_t t = req->as_of, day = t >= 0 ? t / BL_DAY_SECS : (t - BL_DAY_SECS + 1) / BL_DAY_SECS;
        res->as_of_day = day - (day * BL_DAY_SECS == t);
        rc = items(st, org, res, &l, &out, d);
    }
    if (!rc && req->shop && !req->per_shop)
        share(res, &shared);
    if (!rc && req->save)
        rc = bl__comply_save(st, org, req, res, d);
    bl_comply_res_release(&out);
    bl_comply_res_release(&shared);
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
