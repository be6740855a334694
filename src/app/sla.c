/* sla.c - carrier SLA breaches become freight waivers in the shops' ledgers, once
 * (logistics.h). A shipment past its channel's SLA days without delivery: the carrier
 * waives the freight, the channel's price for the order's lane and weight. */
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "app/compensate.h"
#include "app/logistics_impl.h"
#include "ballast/map.h"
#include "ballast/money.h"
#include "store/ledger.h"
#include "store/logistics.h"

struct sla_load {
    struct bl_app_sla_res *res;
    size_t cap;
    struct bl_lg_option *opt;
    size_t ocap;
    struct bl_diag *d;
};

/* The freight: the breaching channel's price in a quote of the lane at the shipping
 * instant. Not priced when the channel, a region or a rate is missing. */
static void price(struct sla_load *c, struct bl_app_sla_claim *x,
                  const struct bl_store_lg_breach *b)
{
    const struct bl_app_logistics *cat = c->res->cat;
    size_t nch = bl_lg_nchannels(cat->lg), ci = 0;
    while (ci < nch && strcmp(bl_lg_channel(cat->lg, ci)->id, b->channel) != 0)
        ci++;
    if (ci == nch || !b->ship_from[0] || !b->ship_to[0])
        return;
    x->currency = bl_lg_channel(cat->lg, ci)->currency;
    x->exp = cat->exps[ci];
    struct bl_lg_shipment s = {bl_lg_locate(cat->lg, bl_str_c(b->ship_from)),
                               bl_lg_locate(cat->lg, bl_str_c(b->ship_to)),
                               b->weight_g,
                               {0, 0, 0},
                               b->shipped,
                               BL_LG_NO_PROMISE,
                               b->ext_id};
    size_t n = 0;
    struct bl_diag ignore;
    if (!s.from || !s.to || bl_lg_quote(cat->lg, &s, c->opt, c->ocap, &n, &ignore) != BL_OK)
        return;
    for (size_t k = 0; k < n && k < c->ocap; k++) {
        if (c->opt[k].channel == (int32_t)ci) {
            x->freight = c->opt[k].price;
            x->priced = true;
            return;
        }
    }
}

static int breach_row(void *ctx, const struct bl_store_lg_breach *b)
{
    struct sla_load *c = ctx;
    struct bl_app_sla_res *res = c->res;
    if (bl_grow((void **)&res->c, &c->cap, res->n + 1, sizeof(*res->c)))
        return BL_ENOMEM;
    struct bl_app_sla_claim *x = &res->c[res->n++];
    struct bl_arena *a = &res->arena;
    memset(x, 0, sizeof(*x));
    x->order_id = b->order_id;
    x->shop_id = b->shop_id;
    x->order = bl__app_keep(a, b->ext_id);
    x->shop = bl__app_keep(a, b->shop);
    x->channel = bl__app_keep(a, b->channel);
    x->remedy = bl__app_keep(a, b->remedy);
    x->currency = "";
    x->exp = 2;
    x->shipped = b->shipped;
    x->sla_days = b->sla_days;
    x->deadline = b->shipped + b->sla_days * BL_DAY_SECS;
    x->delivered = b->delivered != BL_STORE_NO_TIME;
    x->delivered_at = x->delivered ? b->delivered : 0;
    x->state = b->claimed ? BL_APP_SLA_BEFORE : BL_APP_SLA_DUE;
    price(c, x, b); /* no price: the claim is still made, with the freight unknown */
    return 0;
}

/* The waiver's entry balance: the shop's freight waivers due in the waiver's currency,
 * this one included (waivers are receivables from carriers: they never move the
 * deposit, and a balance is never one of another currency). Read once per shop and
 * currency, then carried in seen. */
static int balance_of(struct bl_store *st, int64_t org, const struct bl_app_sla_claim *x,
                      struct bl_map *seen, int64_t *balance, struct bl_diag *d)
{
    char key[40];
    snprintf(key, sizeof(key), "%lld:%s", (long long)x->shop_id, x->currency);
    int rc = BL_OK;
    if (!bl_map_get(seen, bl_str_c(key), balance))
        rc = bl_store_ledger_kind_sum(st, org, x->shop_id, "sla_waiver", x->currency, balance, d);
    if (!rc && bl_money_add(*balance, x->freight, balance))
        rc = bl_diag_set(d, BL_EOVERFLOW, "sla: a shop's freight waivers overflow");
    if (!rc && bl_map_put(seen, bl_str_c(key), *balance))
        rc = bl_diag_set(d, BL_ENOMEM, "sla: out of memory");
    return rc;
}

/* The audit row of the waivers written: order, shop, freight. */
static json_t *waivers_json(const struct bl_app_sla_res *res, int64_t as_of)
{
    json_t *list = json_array();
    for (size_t k = 0; list && k < res->n; k++) {
        const struct bl_app_sla_claim *x = &res->c[k];
        if (x->state != BL_APP_SLA_NEW)
            continue;
        char freight[48];
        bl_app_money_text(x->freight, x->currency, freight, sizeof(freight));
        if (json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s}", "order", x->order,
                                                  "shop", x->shop, "channel", x->channel,
                                                  "freight", freight, "currency", x->currency)))
            json_decref(list), list = NULL;
    }
    return list ? json_pack("{s:o, s:o}", "as_of", bl_app_audit_time(as_of), "waivers", list)
                : NULL;
}

/* Writes the due claims, in one transaction, in one batch. */
static int claim(struct bl_store *st, int64_t org, const struct bl_app_sla_req *req,
                 struct bl_app_sla_res *res, struct bl_diag *d)
{
    int64_t now = bl_app_now_or(req->now);
    struct bl_arena a;
    bl_arena_init(&a, 1u << 16);
    struct bl_map seen;
    bl_map_init(&seen, &a);
    struct bl_ledger_entry *e = bl_arena_alloc(&a, (res->n + 1) * sizeof(*e));
    size_t *at = bl_arena_alloc(&a, (res->n + 1) * sizeof(*at));
    bool *added = bl_arena_alloc(&a, res->n + 1);
    size_t ne = 0;
    int rc = e && at && added ? BL_OK : bl_diag_set(d, BL_ENOMEM, "sla: out of memory");
    if (!rc)
        rc = bl_store_begin(st, d);
    for (size_t k = 0; !rc && k < res->n; k++) {
        struct bl_app_sla_claim *x = &res->c[k];
        if (x->state != BL_APP_SLA_DUE)
            continue;
        int64_t balance = 0;
        char idem[64], note[300];
        rc = balance_of(st, org, x, &seen, &balance, d);
        snprintf(idem, sizeof(idem), "sla:%lld", (long long)x->order_id);
        bl__app_sla_note(x, note, sizeof(note));
        char *ki = bl_arena_strndup(&a, idem, strlen(idem));
        char *kn = bl_arena_strndup(&a, note, strlen(note));
        if (!rc && (!ki || !kn))
            rc = bl_diag_set(d, BL_ENOMEM, "sla: out of memory");
        e[ne] = (struct bl_ledger_entry){x->shop_id, "sla_waiver", x->freight,   x->currency,
                                         balance,    x->order,     ki,           kn,
                                         req->as_of, now,          req->cycle_id};
        at[ne++] = k;
    }
    size_t n_added = 0;
    if (!rc)
        rc = bl_store_ledger_add_each(st, org, e, ne, added, &n_added, d);
    for (size_t i = 0; !rc && i < ne; i++)
        res->c[at[i]].state = added[i] ? BL_APP_SLA_NEW : BL_APP_SLA_BEFORE;
    if (!rc && n_added)
        rc = bl_app_audit(st, org, req->now, "sla.waive", "ledger", NULL, NULL,
                          waivers_json(res, req->as_of), d);
    rc = bl_store_end(st, rc, d);
    if (!rc)
        res->added += n_added;
    bl_map_release(&seen);
    bl_arena_release(&a);
    return rc;
}

int bl_app_sla(struct bl_store *st, int64_t org, const struct bl_app_sla_req *req,
               struct bl_app_sla_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 0);
    int rc = bl__app_lg_use(st, org, req->cat, &res->cat, &res->own_cat, d);
    if (rc)
        return rc;
    struct sla_load c = {.res = res, .d = d};
    c.ocap = bl_lg_nchannels(res->cat->lg) + 1;
    c.opt = bl_calloc(c.ocap, sizeof(*c.opt));
    rc = c.opt ? bl_store_lg_sla_breaches(st, org, req->as_of, breach_row, &c, d) : BL_ENOMEM;
    bl_free(c.opt);
    if (rc == BL_ENOMEM && !d->code)
        bl_diag_set(d, rc, "sla: out of memory");
    if (!rc && !req->dry_run)
        rc = claim(st, org, req, res, d);
    return rc;
}

void bl_app_sla_res_release(struct bl_app_sla_res *res)
{
    bl_free(res->c);
    bl__app_lg_drop(res->cat, res->own_cat);
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}
