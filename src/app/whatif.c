/* whatif.c - the what-if use case (whatif.h): loads what the daily cycle loads, resolves
 * the assumptions against it (whatif_resolve.c) and runs the engine's pass. Writes
 * nothing. */
#include <string.h>
#include <time.h>

#include "app/whatif.h"
#include "app/whatif_impl.h"
#include "ballast/money.h"
#include "ballast/profile.h"
#include "store/assessment.h"
#include "store/coupon.h"
#include "store/ledger.h"
#include "store/message.h"
#include "store/names.h"

static double mono(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The profiles the shops use that exist (a missing one leaves its shops unrated, as in the
 * cycle). */
static int load_profiles(struct bl__wi_app *x, struct bl_diag *d)
{
    struct bl_app_whatif_res *res = x->res;
    const char **names = NULL;
    size_t n = 0;
    int rc = bl_store_assessment_profiles(x->st, x->org, &res->arena, &names, &n, d);
    if (!rc) {
        res->profiles = bl_calloc(n + 1, sizeof(struct bl_profile));
        res->profile = bl_arena_alloc(&res->arena, (n + 1) * sizeof(char *));
        if (!res->profiles || !res->profile)
            rc = bl_diag_set(d, BL_ENOMEM, "what-if: out of memory");
    }
    for (size_t i = 0; !rc && i < n; i++) {
        struct bl_diag pd;
        bl_diag_clear(&pd);
        int prc = bl_profile_load(bl_profile_dir(), names[i], &res->profiles[res->nprofiles], &pd);
        if (prc == BL_ENOTFOUND)
            continue;
        if (prc) {
            *d = pd;
            return prc;
        }
        res->profile[res->nprofiles] = res->profiles[res->nprofiles].name;
        res->nprofiles++;
    }
    return rc;
}

/* The earliest instant an order may matter from on the horizon's first day: the longest
 * window a rule or the compensation uses, plus the carry-over's days. */
static int64_t since_of(const struct bl_app_whatif_res *res, int64_t as_of)
{
    int64_t since = as_of;
    for (size_t q = 0; q < res->nprofiles; q++) {
        const struct bl_profile *p = &res->profiles[q];
        int span = p->window_days > p->comp_days ? p->window_days : p->comp_days;
        for (size_t k = 0; k < p->nrules; k++)
            span = p->rules[k].window_days > span ? p->rules[k].window_days : span;
        int64_t s = as_of - (int64_t)(span + p->carry_days + 1) * 86400;
        since = s < since ? s : since;
    }
    return since;
}

/* Each shop's name, by its id (its id when it has none). */
static int names(struct bl__wi_app *x, struct bl_diag *d)
{
    struct bl_app_whatif_res *res = x->res;
    res->shop_name = bl_arena_alloc(&res->arena, (res->nshops + 1) * sizeof(char *));
    if (!res->shop_name)
        return bl_diag_set(d, BL_ENOMEM, "what-if: out of memory");
    struct bl_msg_shop *v = NULL;
    size_t n = 0;
    int rc = bl_store_message_shops(x->st, x->org, &res->arena, &v, &n, d);
    for (size_t k = 0; k < res->nshops; k++) {
        res->shop_name[k] = res->shop[k];
        for (size_t i = 0; !rc && i < n; i++)
            if (v[i].id == res->snap.shops[k].id && v[i].name && v[i].name[0])
                res->shop_name[k] = v[i].name; /* the strings are in res->arena */
    }
    bl_free(v); /* the array is the caller's (its strings are in the arena) */
    return rc;
}

/* Per shop its profile, deposit balance and currency; per order whether it had a coupon. */
static int standing(struct bl__wi_app *x, struct bl_diag *d)
{
    struct bl_app_whatif_res *res = x->res;
    const struct bl_snapshot *s = &res->snap;
    struct bl_arena *a = &res->arena;
    size_t ns = s->nshops;
    x->shop_prof = bl_arena_alloc(a, (ns + 1) * sizeof(int32_t));
    x->balance = bl_arena_alloc(a, (ns + 1) * sizeof(int64_t));
    x->shop_cur = bl_arena_alloc(a, (ns + 1) * sizeof(*x->shop_cur));
    x->had = bl_arena_alloc(a, s->orders.n + 1);
    res->shop = bl_arena_alloc(a, (ns + 1) * sizeof(char *));
    if (!x->shop_prof || !x->balance || !x->shop_cur || !x->had || !res->shop)
        return bl_diag_set(d, BL_ENOMEM, "what-if: out of memory");
    for (size_t k = 0; k < ns; k++) {
        x->shop_prof[k] = -1;
        for (size_t q = 0; q < res->nprofiles; q++)
            if (strcmp(s->shops[k].profile, res->profiles[q].name) == 0)
                x->shop_prof[k] = (int32_t)q;
        x->balance[k] = s->shops[k].deposit;
        memcpy(x->shop_cur[k], s->shops[k].currency, 4);
        res->shop[k] = s->shops[k].ext;
    }
    res->nshops = ns;
    int rc = names(x, d);
    if (rc)
        return rc;
    res->channel = s->chan_name;
    res->nchannels = s->nchan;
    memset(x->had, 0, s->orders.n + 1);
    struct bl_ledger_sum *sum = NULL;
    size_t n = 0;
    rc = bl_store_ledger_sums(x->st, x->org, &sum, &n, d);
    for (size_t k = 0; !rc && k < n; k++) {
        int64_t i = bl_snapshot_shop_index(s, sum[k].shop_id);
        if (i >= 0 && bl_money_add(x->balance[i], sum[k].sum, &x->balance[i]))
            rc = bl_diag_set(d, BL_EOVERFLOW, "what-if: a shop's ledger balance overflows");
    }
    bl_free(sum);
    int64_t *ids = NULL;
    n = 0;
    if (!rc)
        rc = bl_store_coupon_orders(x->st, x->org, &ids, &n, d);
    for (size_t k = 0; !rc && k < n; k++) {
        int64_t i = bl_snapshot_order(s, ids[k]);
        if (i >= 0)
            x->had[i] = true;
    }
    bl_free(ids);
    return rc;
}

/* Each warehouse of the stock snapshot by its name, as a person reads it. */
static int warehouse_names(struct bl__wi_app *x, const struct bl_stock_snap *s, struct bl_diag *d)
{
    struct bl_app_whatif_res *res = x->res;
    struct bl_store_name *v = NULL;
    size_t n = 0;
    int rc = bl_store_names(x->st, x->org, BL_NAMES_WAREHOUSE, &res->arena, &v, &n, d);
    res->warehouse_name = rc ? NULL : bl_arena_alloc(&res->arena, s->nwh * sizeof(char *));
    if (!rc && !res->warehouse_name)
        return bl_diag_set(d, BL_ENOMEM, "what-if: out of memory");
    for (size_t w = 0; !rc && w < s->nwh; w++) {
        res->warehouse_name[w] = s->wh_ext[w];
        for (size_t i = 0; i < n; i++)
            if (v[i].id == s->wh_id[w] && v[i].name && v[i].name[0])
                res->warehouse_name[w] = v[i].name;
    }
    return rc;
}

/* The stock day at A's day, as the cycle opens it; none without stock counts. */
static int stock(struct bl__wi_app *x, const struct bl_app_whatif_req *req, struct bl_diag *d)
{
    struct bl_app_whatif_res *res = x->res;
    struct bl_app_stock_opts o;
    bl_app_stock_opts_init(&o);
    o.as_of = req->day;
    o.playbook = true;
    o.threads = req->threads ? req->threads : o.threads;
    int rc = bl_app_stock_day_open(x->st, x->org, &o, &res->sday, d);
    if (rc) {
        bl_app_stock_day_close(&res->sday);
        return rc;
    }
    res->sday_open = true;
    const struct bl_stock_snap *s = &res->sday.snap;
    res->stock = s->nskus && s->nwh;
    res->day = req->day;
    if (!res->stock)
        return BL_OK;
    res->sku = s->sku_ext;
    res->warehouse = s->wh_ext;
    if ((rc = warehouse_names(x, s, d)))
        return rc;
    res->pb_shop = s->shop_ext;
    x->rp = (struct bl_rp_input){res->sday.opts.as_of,
                                 res->sday.opts.policy,
                                 s->sup,
                                 s->nsup,
                                 s->dis,
                                 s->ndis,
                                 s->rp_skus,
                                 s->nskus};
    x->pb = (struct bl_pb_input){res->sday.opts.as_of,
                                 res->sday.pb,
                                 res->sday.plans,
                                 s->pb_skus,
                                 s->nskus,
                                 s->shops,
                                 s->nshops,
                                 s->dis,
                                 s->ndis,
                                 s->open,
                                 s->nopen};
    return bl__wi_catalog(x, d);
}

static void input(struct bl__wi_app *x, const struct bl_app_whatif_req *req, struct bl_wi_input *in)
{
    struct bl_app_whatif_res *res = x->res;
    struct bl_snapshot *s = &res->snap;
    *in = (struct bl_wi_input){.as_of = req->as_of,
                               .horizon = req->horizon,
                               .regions = s->regions,
                               .orders = &s->orders,
                               .amount = s->amount,
                               .cur = s->cur,
                               .currencies = (const char(*)[4])s->currencies,
                               .nshops = s->nshops,
                               .shop_currency = (const char(*)[4])x->shop_cur,
                               .balance = x->balance,
                               .dis = s->dis,
                               .ndis = s->ndis,
                               .prot = s->prot,
                               .nprot = s->nprot,
                               .profiles = res->profiles,
                               .nprofiles = res->nprofiles,
                               .shop_profile = x->shop_prof,
                               .compensated = x->had,
                               .nchannels = s->nchan,
                               .hyp = x->hyp,
                               .nhyp = x->nhyp,
                               .prices = x->prices,
                               .nprices = x->nprices,
                               .freight = x->freight,
                               .sla_days = x->sla_days,
                               .ch_currency = (const char(*)[4])x->ch_cur,
                               .replay = req->replay,
                               .lang = x->lang,
                               .langs = (const char(*)[16])x->langs,
                               .reroutes = x->approved,
                               .nreroutes = x->napproved};
    if (res->stock) {
        in->rp = &x->rp;
        in->price = x->price;
        in->price_cur = (const char(*)[4])x->price_cur;
        in->nwh = res->sday.snap.nwh;
        in->rp_hyp = x->rp_hyp;
        in->nrp_hyp = x->nrp_hyp;
        in->demand = x->demand;
        in->ndemand = x->ndemand;
        in->lead = x->lead;
        in->nlead = x->nlead;
        in->pb = &x->pb;
    }
}

int bl_app_whatif(struct bl_store *st, int64_t org, const struct bl_app_whatif_req *req,
                  struct bl_app_whatif_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 1u << 14);
    if (req->horizon < 1 || req->horizon > BL_WI_HORIZON_MAX) {
        res->problem = BL_APP_WHATIF_HORIZON;
        bl_diag_at(d, NULL, 0, "horizon");
        return bl_diag_set(d, BL_ERANGE, "a horizon of %lld days: expected 1 to %d",
                           (long long)req->horizon, BL_WI_HORIZON_MAX);
    }
    struct bl__wi_app x = {.st = st, .org = org, .res = res, .req = req};
    double t0 = mono();
    int64_t until = req->as_of + req->horizon * 86400;
    int rc = load_profiles(&x, d);
    if (!rc)
        rc = bl_snapshot_load(st, org, since_of(res, req->as_of), req->replay ? until : req->as_of,
                              &res->snap, d);
    if (!rc)
        rc = standing(&x, d);
    if (!rc)
        rc = bl__wi_approved(&x, d);
    if (!rc)
        rc = stock(&x, req, d);
    if (!rc)
        rc = bl__wi_resolve(&x, d);
    if (!rc)
        rc = bl__wi_freight(&x, since_of(res, req->as_of), d);
    if (!rc)
        rc = bl__wi_words(&x, d);
    res->langs = (const char(*)[16])x.langs;
    res->secs_load = mono() - t0;
    if (!rc) {
        struct bl_wi_input in;
        input(&x, req, &in);
        rc = bl_wi_run(&in, &res->r, d);
        if (!rc && req->mitigate)
            rc = bl__wi_mitigate(&x, &in, &res->r, &res->mitigation, d);
    }
    res->secs_run = mono() - t0 - res->secs_load - res->mitigation.secs; /* the search: its own */
    res->replay = req->replay;
    res->data_until = res->r.data_until;
    res->projected = res->r.projected;
    return rc;
}

void bl_app_whatif_res_release(struct bl_app_whatif_res *res)
{
    bl_wi_result_release(&res->r);
    bl_app_mg_res_release(&res->mitigation);
    bl_snapshot_free(&res->snap);
    if (res->sday_open)
        bl_app_stock_day_close(&res->sday);
    bl_free(res->profiles);
    bl_free(res->approved);
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}
