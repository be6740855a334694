/* gen_files.c - one writer per generated file. Reference files print the model;
 * orders.csv streams the demand and fulfilment model; sales.csv is the daily units
 * of orders.csv for the most popular SKUs. */
#include "gen_impl.h"

#include "ballast/alloc.h"

static void seed_writer(const struct bl_gen *g, struct bl__rng *r, enum bl_gen_file f)
{
    bl__rng_seed(r, g->o.seed, 100 + (uint64_t)f);
}

static char *put_opt_time(const struct bl_gen *g, char *p, int64_t t)
{
    return t == BL__NEVER ? p : bl__put_time_g(g, p, t);
}

/* ---------------------------------------------------------------- shops */

int bl__write_shops(struct bl_gen *g, struct bl__sink *s)
{
    bl__sink_header(s, "id,name,platform,currency,tz,ship_from,deposit,fulfilment,vacation");
    char name[128];
    for (int64_t i = 0; i < g->o.shops; i++) {
        const struct bl__shop *sh = &g->shops[i];
        const struct bl__arch *a = &bl__archs[sh->arch];
        const struct bl__currency *cur = &bl__currencies[a->currency];
        char *p = bl__sink_row(s);
        p = bl__put(p, sh->id, sh->id_len);
        *p++ = ',';
        bl__shop_name(g, sh, name, sizeof(name));
        p = bl__put_field(p, name);
        *p++ = ',';
        p = bl__puts(p, a->platform);
        *p++ = ',';
        p = bl__puts(p, cur->code);
        *p++ = ',';
        p = bl__puts(p, a->tz);
        *p++ = ',';
        p = bl__puts(p, bl__froms[sh->from].region);
        *p++ = ',';
        if (a->deposit)
            p = bl__put_money(p, a->deposit, cur->exponent);
        *p++ = ',';
        p = bl__puts(p, sh->platform_fulfilled ? "platform" : "merchant");
        p = bl__puts(p, sh->vacation ? ",1\n" : ",0\n");
        bl__sink_end_row(s, p);
    }
    return BL_OK;
}

/* What each shop's customer messages say about it: its account page, support contact
 * and hours, signature and sender, on the shop's own (made-up) web domain. Without them
 * every message is held for a missing setting. */
int bl__write_shop_settings(struct bl_gen *g, struct bl__sink *s)
{
    bl__sink_header(s, "shop,account_url,support,support_hours,signature,sender");
    char name[128], sig[160];
    for (int64_t i = 0; i < g->o.shops; i++) {
        const struct bl__shop *sh = &g->shops[i];
        const bool cn = bl__archs[sh->arch].market[0] == BL__CN;
        bl__shop_name(g, sh, name, sizeof(name));
        /* the signature: the shop's name and its service desk, in the shop's language */
        snprintf(sig, sizeof(sig), "%s%s", name, cn ? "客服" : " Customer Service");
        char *p = bl__sink_row(s);
        p = bl__put(p, sh->id, sh->id_len);
        p = bl__puts(p, ",https://");
        p = bl__put(p, sh->id, sh->id_len);
        p = bl__puts(p, ".ballast-demo.shop/account,care@");
        p = bl__put(p, sh->id, sh->id_len);
        p = bl__puts(p, cn ? ".ballast-demo.shop,9:00-21:00," : ".ballast-demo.shop,9:00-18:00,");
        p = bl__put_field(p, sig);
        p = bl__puts(p, ",care@");
        p = bl__put(p, sh->id, sh->id_len);
        p = bl__puts(p, ".ballast-demo.shop\n");
        bl__sink_end_row(s, p);
    }
    return BL_OK;
}

/* ---------------------------------------------------------------- skus */

static bool oos_on(const struct bl__sku *k, int64_t day)
{
    return k->oos_from >= 0 && day >= k->oos_from && day < k->oos_to;
}

/* What a promoted SKU's paid promotion costs a day, in US cents: from half to one and a
 * half times its price, at least $3 and at most $40 (a small seller's sponsored-product
 * budget); drawn for every SKU, so the sequence does not depend on which are promoted. */
static int64_t promo_spend(struct bl__rng *pr, int64_t cents)
{
    int64_t pct = bl__rng_range(pr, 50, 150), c = cents * pct / 100;
    c = c < 300 ? 300 : c > 4000 ? 4000 : c;
    return c / 50 * 50; /* whole half-dollars, as budgets are set */
}

int bl__write_skus(struct bl_gen *g, struct bl__sink *s)
{
    bl__sink_header(s, "id,name,category,weight_g,length_mm,width_mm,height_mm,price,currency,"
                       "handling_min,handling_max,listing,promoted,price_review,promo_spend");
    struct bl__rng r, pr;
    seed_writer(g, &r, BL_GEN_SKUS);
    bl__rng_seed(&pr, g->o.seed, BL__S_PROMO);
    char name[160];
    static const char *const listing[] = {"active", "inactive", "out_of_stock", "delisted"};
    static const uint16_t listing_w[] = {930, 30, 20, 20};
    static const char *const review[] = {"none", "passed", "pending", "rejected"};
    static const uint16_t review_w[] = {850, 100, 30, 20};
    for (int64_t k = 0; k < g->o.skus; k++) {
        const struct bl__sku *sk = &g->skus[k];
        int64_t len = bl__rng_range(&r, 80, 450);
        int64_t wid = bl__rng_range(&r, 40, len);
        int64_t hei = bl__rng_range(&r, 10, wid);
        size_t li = bl__rng_pick(&r, listing_w, 4);
        if (oos_on(sk, g->o.days - 1))
            li = 2;
        char *p = bl__sink_row(s);
        p = bl__put_sku_id(p, g, k);
        *p++ = ',';
        bl__sku_name(g, k, name, sizeof(name));
        p = bl__put_field(p, name);
        *p++ = ',';
        p = bl__put_field(p, bl__sku_category(sk));
        *p++ = ',';
        p = bl__put_u64(p, sk->weight_g);
        *p++ = ',';
        p = bl__put_u64(p, (uint64_t)len);
        *p++ = ',';
        p = bl__put_u64(p, (uint64_t)wid);
        *p++ = ',';
        p = bl__put_u64(p, (uint64_t)hei);
        *p++ = ',';
        p = bl__put_money(p, sk->cents, 2);
        p = bl__puts(p, ",USD,1,");
        *p++ = bl__rng_pm(&r, 600) ? '2' : '3';
        *p++ = ',';
        p = bl__puts(p, listing[li]);
        bool promoted = bl__rng_pm(&r, 100);
        p = bl__puts(p, promoted ? ",1," : ",0,");
        p = bl__puts(p, review[bl__rng_pick(&r, review_w, 4)]);
        *p++ = ',';
        int64_t spend = promo_spend(&pr, sk->cents);
        if (promoted)
            p = bl__put_money(p, spend, 2);
        *p++ = '\n';
        bl__sink_end_row(s, p);
    }
    return BL_OK;
}

/* ---------------------------------------------------------------- warehouses, suppliers */

int bl__write_warehouses(struct bl_gen *g, struct bl__sink *s)
{
    (void)g;
    bl__sink_header(s, "id,name,region,kind");
    for (size_t i = 0; i < bl__nwarehouses; i++) {
        const struct bl__warehouse *w = &bl__warehouses[i];
        char *p = bl__sink_row(s);
        p = bl__puts(p, w->id);
        *p++ = ',';
        p = bl__put_field(p, w->name);
        *p++ = ',';
        p = bl__puts(p, w->region);
        *p++ = ',';
        p = bl__puts(p, w->kind);
        *p++ = '\n';
        bl__sink_end_row(s, p);
    }
    return BL_OK;
}

int bl__write_suppliers(struct bl_gen *g, struct bl__sink *s)
{
    bl__sink_header(s, "id,name,region,lead_days,lead_days_max,moq,case_pack,state,backup_for");
    static const char *const states[] = {"active", "shutdown", "closed"};
    char name[160];
    for (int64_t j = 0; j < g->nsup; j++) {
        const struct bl__supplier *sp = &g->sups[j];
        char *p = bl__sink_row(s);
        p = bl__put_sup_id(p, g, j);
        *p++ = ',';
        bl__supplier_name(sp, name, sizeof(name));
        p = bl__put_field(p, name);
        *p++ = ',';
        p = bl__puts(p, bl__supplier_region(sp));
        *p++ = ',';
        p = bl__put_u64(p, sp->lead);
        *p++ = ',';
        p = bl__put_u64(p, sp->lead_max);
        *p++ = ',';
        p = bl__put_u64(p, (uint64_t)sp->moq);
        *p++ = ',';
        p = bl__put_u64(p, (uint64_t)sp->case_pack);
        *p++ = ',';
        p = bl__puts(p, states[sp->state]);
        *p++ = ',';
        if (sp->backup_for >= 0)
            p = bl__put_sup_id(p, g, sp->backup_for);
        *p++ = '\n';
        bl__sink_end_row(s, p);
    }
    return BL_OK;
}

/* ---------------------------------------------------------------- channels */

static const char *const origin_region[BL__NORIGIN] = {"CN-GD", "CN-ZJ", "CN-SH", "CN",
                                                       "US",    "GB",    "DE",    "JP"};

int bl__write_channels(struct bl_gen *g, struct bl__sink *s)
{
    bl__sink_header(s, "channel,carrier,mode,tier,origin,destination,min_kg,max_kg,base,per_kg,"
                       "currency,transit_min,transit_max,sla_days,cutoff,tz,calendar,"
                       "volumetric_divisor,remedy");
    for (size_t i = 0; i < g->nchan; i++) {
        const struct bl__chan *ch = &g->chans[i];
        const struct bl__product *pr = &bl__products[ch->product];
        const struct bl__currency *cur = &bl__currencies[pr->currency];
        /* cross-border lanes from China are priced by destination */
        int64_t pm = (pr->origins & (1u << BL__O_CNGD)) ? bl__dest_price_pm[ch->country] : 1000;
        int64_t fee = pr->fee * pm / 1000, per_kg = pr->per_kg * pm / 1000;
        for (int o = 0; o < BL__NORIGIN; o++) {
            if (!(pr->origins & (1u << o)))
                continue;
            for (size_t b = 0; b + 1 < pr->nbands; b++) {
                char *p = bl__sink_row(s);
                p = bl__puts(p, ch->id);
                *p++ = ',';
                p = bl__puts(p, pr->carrier);
                *p++ = ',';
                p = bl__puts(p, pr->mode);
                *p++ = ',';
                p = bl__puts(p, pr->tier);
                *p++ = ',';
                p = bl__puts(p, origin_region[o]);
                *p++ = ',';
                p = bl__puts(p, bl__countries[ch->country].code);
                *p++ = ',';
                p = bl__put_kg(p, pr->bands[b]);
                *p++ = ',';
                p = bl__put_kg(p, pr->bands[b + 1]);
                *p++ = ',';
                p = bl__put_money(p, fee + per_kg * pr->bands[b] / 1000, cur->exponent);
                *p++ = ',';
                p = bl__put_money(p, per_kg, cur->exponent);
                *p++ = ',';
                p = bl__puts(p, cur->code);
                *p++ = ',';
                p = bl__put_u64(p, ch->tmin);
                *p++ = ',';
                p = bl__put_u64(p, ch->tmax);
                *p++ = ',';
                if (pr->sla_extra)
                    p = bl__put_u64(p, (uint64_t)ch->tmax + pr->sla_extra);
                *p++ = ',';
                p = bl__puts(p, pr->cutoff);
                *p++ = ',';
                p = bl__puts(p, pr->tz);
                *p++ = ',';
                p = bl__puts(p, pr->calendar);
                *p++ = ',';
                if (pr->voldiv)
                    p = bl__put_u64(p, pr->voldiv);
                *p++ = ',';
                if (pr->remedy)
                    p = bl__put_field(p, pr->remedy);
                *p++ = '\n';
                bl__sink_end_row(s, p);
            }
        }
    }
    return BL_OK;
}

/* ---------------------------------------------------------------- stock, inbound */

/* Expected daily units of SKU k, times 1000 (order lines carry 1.3 units on average). */
static int64_t daily_milli(const struct bl_gen *g, int64_t k)
{
    unsigned __int128 x = (unsigned __int128)(uint64_t)g->o.orders * 1300u * g->sku_w[k];
    return (int64_t)(x / ((unsigned __int128)g->sku_wsum * (uint64_t)g->o.days));
}

static size_t home_warehouse(const struct bl_gen *g, int64_t k)
{
    const char *reg = bl__supplier_region(&g->sups[k % g->nsup]);
    return strncmp(reg, "CN-GD", 5) == 0   ? 0
           : strncmp(reg, "CN-ZJ", 5) == 0 ? 1
           : strncmp(reg, "CN-FJ", 5) == 0 ? 3
                                           : 2;
}

int bl__write_stock(struct bl_gen *g, struct bl__sink *s)
{
    bl__sink_header(s, "warehouse,sku,on_hand,reserved,counted_at");
    struct bl__rng r;
    seed_writer(g, &r, BL_GEN_STOCK);
    /* overseas warehouses hold the best sellers: wh-us-ca, wh-us-nj, wh-gb, wh-de, wh-jp,
     * fba-ont8 */
    static const uint16_t overseas_pm[6] = {600, 300, 250, 250, 150, 200};
    int64_t top = g->o.skus / 5 < 1 ? 1 : g->o.skus / 5;
    for (int64_t k = 0; k < g->o.skus; k++) {
        bool at[16] = {false};
        size_t home = home_warehouse(g, k);
        at[home] = true;
        if (bl__rng_pm(&r, 300))
            at[bl__rng_below(&r, 4)] = true;
        if (k < top)
            for (size_t w = 0; w < 6; w++)
                at[4 + w] = bl__rng_pm(&r, overseas_pm[w]);
        int64_t rate = daily_milli(g, k);
        bool out = oos_on(&g->skus[k], g->o.days - 1);
        for (size_t w = 0; w < bl__nwarehouses; w++) {
            if (!at[w])
                continue;
            int64_t cover = bl__rng_range(&r, 0, w == home ? 60 : 30);
            int64_t on_hand = out ? 0 : rate * cover / 1000 + bl__rng_range(&r, 0, 30);
            int64_t res_max = rate * 3 / 1000 + 1;
            int64_t reserved = bl__rng_range(&r, 0, on_hand < res_max ? on_hand : res_max);
            int64_t counted = g->t1 - bl__rng_range(&r, BL__HOUR, 30 * BL__HOUR);
            char *p = bl__sink_row(s);
            p = bl__puts(p, bl__warehouses[w].id);
            *p++ = ',';
            p = bl__put_sku_id(p, g, k);
            *p++ = ',';
            p = bl__put_u64(p, (uint64_t)on_hand);
            *p++ = ',';
            p = bl__put_u64(p, (uint64_t)reserved);
            *p++ = ',';
            p = bl__put_time_g(g, p, counted);
            *p++ = '\n';
            bl__sink_end_row(s, p);
        }
    }
    return BL_OK;
}

int bl__write_inbound(struct bl_gen *g, struct bl__sink *s)
{
    bl__sink_header(s, "po,sku,qty,warehouse,supplier,ordered_at,eta,received_at,state");
    struct bl__rng r;
    seed_writer(g, &r, BL_GEN_INBOUND);
    int64_t npo = g->o.skus / 8;
    npo = npo < 10 ? 10 : npo > 200000 ? 200000 : npo;
    int64_t nsup = g->nsup, nk = g->o.skus;
    /* the SKUs of supplier j are j, j + nsup, j + 2*nsup, ...: with fewer SKUs than
     * suppliers only the first nk suppliers have any, and only they get POs */
    int64_t busy = nk < nsup ? nk : nsup;
    for (int64_t po = 0; po < npo; po++) {
        int64_t j = (int64_t)bl__rng_below(&r, (uint64_t)busy);
        const struct bl__supplier *sp = &g->sups[j];
        int64_t have = (nk - 1 - j) / nsup + 1;
        int64_t lines = bl__rng_range(&r, 1, have < 8 ? have : 8);
        int64_t first = (int64_t)bl__rng_below(&r, (uint64_t)have);
        /* a quarter of POs replenish an overseas warehouse by sea */
        bool overseas = bl__rng_pm(&r, 250);
        size_t wh = overseas ? 4 + bl__rng_below(&r, 5) : home_warehouse(g, j + first * nsup);
        int64_t ordered =
            g->t0 - 45 * BL__DAY + bl__rng_range(&r, 0, (g->o.days + 44) * BL__DAY - 1);
        int64_t lead = bl__rng_range(&r, sp->lead, sp->lead_max) + (overseas ? 35 : 0);
        int64_t eta = (ordered / BL__DAY + lead) * BL__DAY;
        const char *state;
        int64_t received = BL__NEVER;
        if (sp->state == 2 || bl__rng_pm(&r, 30)) {
            state = "cancelled";
        } else {
            int64_t at = eta + bl__rng_range(&r, -2 * BL__DAY, 6 * BL__DAY);
            if (at <= ordered)
                at = ordered + BL__DAY;
            if (at < g->t1 && !bl__rng_pm(&r, 60)) {
                received = at;
                state = "received";
            } else {
                state = "open";
            }
        }
        for (int64_t l = 0; l < lines; l++) {
            int64_t k = j + ((first + l) % have) * nsup;
            int64_t rate = daily_milli(g, k);
            int64_t qty = rate * bl__rng_range(&r, 20, 60) / 1000;
            if (qty < sp->moq)
                qty = sp->moq;
            qty = (qty + sp->case_pack - 1) / sp->case_pack * sp->case_pack;
            char *p = bl__sink_row(s);
            p = bl__puts(p, "PO-");
            p = bl__put_pad(p, (uint64_t)(po + 1), 6);
            *p++ = ',';
            p = bl__put_sku_id(p, g, k);
            *p++ = ',';
            p = bl__put_u64(p, (uint64_t)qty);
            *p++ = ',';
            p = bl__puts(p, bl__warehouses[wh].id);
            *p++ = ',';
            p = bl__put_sup_id(p, g, j);
            *p++ = ',';
            p = bl__put_time_g(g, p, ordered);
            *p++ = ',';
            p = bl__put_time_g(g, p, eta);
            *p++ = ',';
            p = put_opt_time(g, p, received);
            *p++ = ',';
            p = bl__puts(p, state);
            *p++ = '\n';
            bl__sink_end_row(s, p);
        }
    }
    return BL_OK;
}

/* ---------------------------------------------------------------- disruptions */

int bl__write_disruptions(struct bl_gen *g, struct bl__sink *s)
{
    bl__sink_header(s, "id,region,scope,kind,starts_at,ends_at,channel,supplier,note");
    static const char *const scopes[] = {"origin", "destination", "both"};
    for (size_t i = 0; i < g->ndis; i++) {
        const struct bl__dis *x = &g->dis[i];
        char *p = bl__sink_row(s);
        p = bl__puts(p, "dis-");
        p = bl__put_pad(p, i + 1, 3);
        *p++ = ',';
        p = bl__puts(p, x->region);
        *p++ = ',';
        p = bl__puts(p, scopes[x->scope]);
        *p++ = ',';
        p = bl__puts(p, x->kind);
        *p++ = ',';
        p = bl__put_time_g(g, p, x->start);
        *p++ = ',';
        p = put_opt_time(g, p, x->end);
        *p++ = ',';
        if (x->chan >= 0)
            p = bl__puts(p, g->chans[x->chan].id);
        *p++ = ',';
        if (x->supplier >= 0)
            p = bl__put_sup_id(p, g, x->supplier);
        *p++ = ',';
        p = bl__put_field(p, x->note);
        *p++ = '\n';
        bl__sink_end_row(s, p);
    }
    return BL_OK;
}

/* ---------------------------------------------------------------- orders */

/* Relative demand of a day, permille factors multiplied: weekday, growth over the
 * range, day-to-day noise, and shopping events. */
static uint64_t event_pm(int64_t day)
{
    int y, m, d;
    bl__civil(day, &y, &m, &d);
    int wd = bl__weekday(day);
    if (m == 11 && d == 11)
        return 2500; /* Singles' Day */
    if (m == 11 && (d == 10 || d == 12))
        return 1400;
    if (m == 11 && wd == 4 && d >= 23 && d <= 29)
        return 2200; /* Black Friday */
    if (wd == 0 && ((m == 11 && d >= 26) || (m == 12 && d <= 2)))
        return 1800; /* Cyber Monday */
    if (m == 7 && ((wd == 1 && d >= 8 && d <= 14) || (wd == 2 && d >= 9 && d <= 15)))
        return 1900; /* Prime Day */
    if (m == 6 && d == 18)
        return 1600; /* 618 */
    if (m == 12 && d >= 24 && d <= 26)
        return 600;
    if ((m == 12 && d == 31) || (m == 1 && d == 1))
        return 800;
    return 1000;
}

static uint64_t day_weight(const struct bl_gen *g, int64_t i)
{
    static const uint64_t weekday[7] = {100, 97, 96, 98, 104, 112, 110};
    int64_t day = g->o.start_day + i;
    uint64_t trend = 1000 + (uint64_t)(400 * i / g->o.days);
    uint64_t noise = 900 + bl__mix(g->o.seed ^ UINT64_C(0xda7), (uint64_t)day) % 201;
    return weekday[bl__weekday(day)] * trend * noise * event_pm(day) / 1000;
}

/* Pushes t past the windows in mask that contain it. */
static int64_t clear_windows(const struct bl_gen *g, uint64_t mask, int64_t t, struct bl__rng *r)
{
    for (int round = 0; round < 4 && mask && t != BL__NEVER; round++) {
        bool moved = false;
        for (uint64_t m = mask; m; m &= m - 1) {
            const struct bl__dis *x = &g->dis[__builtin_ctzll(m)];
            if (t >= x->start && t < x->end) {
                t = x->end == BL__NEVER ? BL__NEVER
                                        : x->end + bl__rng_range(r, BL__HOUR, 24 * BL__HOUR);
                moved = true;
                break;
            }
        }
        if (!moved)
            break;
    }
    return t;
}

/* The disruptions in mask limited to channel c. */
static uint64_t for_chan(const struct bl_gen *g, uint64_t mask, int c)
{
    uint64_t out = 0;
    for (uint64_t m = mask & g->chan_filtered; m; m &= m - 1)
        if (g->dis[__builtin_ctzll(m)].chan == c)
            out |= m & (~m + 1);
    return out;
}

static bool blocked(const struct bl_gen *g, uint64_t mask, int64_t t)
{
    for (uint64_t m = mask; m; m &= m - 1) {
        const struct bl__dis *x = &g->dis[__builtin_ctzll(m)];
        if (t >= x->start && t < x->end)
            return true;
    }
    return false;
}

/* Chooses a channel of the lane for a parcel of w grams shipping at t, avoiding
 * suspended channels; -1 when no channel carries that weight. */
static int pick_channel(const struct bl_gen *g, const struct bl__lane *l, int64_t w, uint64_t geo,
                        int64_t t, struct bl__rng *r)
{
    uint16_t wt[BL__LANE_MAX];
    int fallback = -1;
    uint64_t total = 0;
    for (int pass = 0; pass < 2 && !total; pass++) {
        for (size_t i = 0; i < l->n; i++) {
            const struct bl__chan *ch = &g->chans[l->chan[i]];
            bool fits = w >= ch->min_g && w < ch->max_g;
            if (fits && fallback < 0)
                fallback = l->chan[i];
            bool ok = fits && (pass == 1 || !blocked(g, for_chan(g, geo, l->chan[i]), t));
            wt[i] = ok ? bl__products[ch->product].pick : 0;
            total += wt[i];
        }
    }
    if (!total)
        return fallback;
    return l->chan[bl__rng_pick(r, wt, l->n)];
}

struct order_state {
    uint64_t *seq;   /* per shop: last order number */
    uint64_t *ncust; /* per shop: customers so far */
};

enum { BY_NONE, BY_BUYER, BY_SELLER, BY_PLATFORM };
static const char *const by_text[] = {"", "buyer", "seller", "platform"};

struct line {
    int64_t sku, qty, price;
};

static char *put_opt(const struct bl_gen *g, char *p, int64_t t)
{
    *p++ = ',';
    return put_opt_time(g, p, t);
}

/* Writes one order of up to nl lines placed at P, in UTC hour hour of day index di;
 * returns lines. */
static int64_t one_order(struct bl_gen *g, struct bl__sink *s, struct order_state *st,
                         struct bl__rng *r, int64_t P, int hour, int64_t di, int64_t nl)
{
    uint32_t si = bl__alias_draw(&g->shop_alias[hour], r);
    const struct bl__shop *sh = &g->shops[si];
    const struct bl__arch *a = &bl__archs[sh->arch];
    const struct bl__currency *cur = &bl__currencies[a->currency];
    uint64_t seq = ++st->seq[si];

    struct line ln[4];
    int64_t weight = 0, n = 0;
    for (int64_t j = 0; j < nl; j++) {
        int64_t k = -1;
        for (int tries = 0; tries < 8; tries++) {
            int64_t c = bl__alias_draw(&g->sku_alias, r);
            if (tries < 3 && oos_on(&g->skus[c], di))
                continue; /* out of stock: the buyer picks something else */
            bool dup = false;
            for (int64_t q = 0; q < n; q++)
                dup |= ln[q].sku == c;
            if (!dup) {
                k = c;
                break;
            }
        }
        if (k < 0)
            break;
        const struct bl__sku *sk = &g->skus[k];
        uint64_t q = bl__rng_below(r, 1000);
        int64_t qty = q < 800 ? 1 : q < 930 ? 2 : q < 975 ? 3 : bl__rng_range(r, 4, 6);
        int64_t base = sk->cents * cur->per_cent * a->price_pm / 10000000;
        uint64_t h = bl__mix(si, (uint64_t)k);
        if (cur->exponent == 0)
            base = base < 100 ? 100 : base / 10 * 10;
        else if (h % 10 < 7)
            base = base / 100 * 100 + 99;
        if (base < 1)
            base = 1;
        if (bl__rng_pm(r, 120)) /* a promotion */
            base = base * (100 - bl__rng_range(r, 5, 30)) / 100;
        ln[n++] = (struct line){k, qty, base < 1 ? 1 : base};
        weight += qty * sk->weight_g;
    }

    /* where it goes */
    uint8_t country = sh->market[bl__rng_pick(r, sh->mweight, sh->nmarket)];
    size_t to = g->dest_first[country] +
                bl__rng_pick(r, g->dest_w + g->dest_first[country], g->dest_n[country]);
    const struct bl__from *from = &bl__froms[sh->from];
    const struct bl__lane *lane = &g->lanes[from->origin][country];
    uint64_t geo = g->from_mask[sh->from] | g->dest_mask[to];

    /* what happens to it; handling starts at P, or after a public holiday, and a
     * holiday inside the handling time extends the deadline (holiday settings) */
    int64_t H = sh->handling * BL__DAY, base = P, ext = 0;
    for (uint64_t m = g->from_mask[sh->from] & g->holidays; m; m &= m - 1) {
        const struct bl__dis *x = &g->dis[__builtin_ctzll(m)];
        if (base >= x->start && base < x->end)
            base = x->end;
        else if (base < x->start && base + H > x->start)
            ext += x->end - x->start;
    }
    int64_t ship_by = base + H + ext, ship = BL__NEVER, pickup = BL__NEVER, deliv = BL__NEVER;
    int64_t cancel = BL__NEVER;
    int by = BY_NONE, chan = -1;
    uint64_t u = bl__rng_below(r, 1000);
    if (u < 25) {
        by = BY_BUYER;
        cancel = P + bl__rng_range(r, 600, H < 36 * BL__HOUR ? H : 36 * BL__HOUR);
    } else if (u < 35) {
        by = BY_SELLER;
        cancel = P + bl__rng_range(r, BL__HOUR, H + BL__DAY);
    } else if (u < 38) {
        by = BY_PLATFORM;
        cancel = ship_by + bl__rng_range(r, BL__HOUR, 2 * BL__DAY);
    } else {
        if (bl__rng_pm(r, sh->ontime_pm))
            ship = base + bl__rng_range(r, 1800, H - 1800);
        else
            ship = ship_by + bl__rng_range(r, BL__HOUR, 96 * BL__HOUR);
        ship = clear_windows(g, g->from_mask[sh->from] & ~g->chan_filtered, ship, r);
        chan = pick_channel(g, lane, weight, geo, ship == BL__NEVER ? P : ship, r);
        if (chan >= 0 && ship != BL__NEVER)
            ship = clear_windows(g, for_chan(g, geo, chan), ship, r);
        if (ship > ship_by + 3 * BL__DAY && bl__rng_pm(r, 250)) {
            /* held up for days: the buyer gives up */
            int64_t c = ship_by + bl__rng_range(r, BL__DAY, 3 * BL__DAY);
            if (c < ship) {
                by = BY_BUYER;
                cancel = c;
                ship = BL__NEVER;
            }
        }
    }
    if (ship != BL__NEVER) {
        uint64_t v = bl__rng_below(r, 1000);
        if (v < sh->pickup_pm)
            pickup = ship + bl__rng_range(r, BL__HOUR, 24 * BL__HOUR);
        else if (v < (uint64_t)(sh->pickup_pm + (1000 - sh->pickup_pm) / 2))
            pickup = ship + bl__rng_range(r, 24 * BL__HOUR, 96 * BL__HOUR);
        int64_t go =
            pickup != BL__NEVER ? pickup : ship + bl__rng_range(r, 6 * BL__HOUR, 18 * BL__HOUR);
        int tmin = chan >= 0 ? g->chans[chan].tmin : 10;
        int tmax = chan >= 0 ? g->chans[chan].tmax : 20;
        int64_t days = bl__rng_range(r, tmin, tmax);
        deliv = go + days * BL__DAY * 7 / 5 + bl__rng_range(r, 0, 12 * BL__HOUR);
        uint64_t w = bl__rng_below(r, 1000);
        if (w < 15) {
            deliv = BL__NEVER; /* lost */
        } else {
            if (w < 75)
                deliv += bl__rng_range(r, 2 * BL__DAY, 12 * BL__DAY);
            uint64_t dm = g->dest_mask[to] & (~g->chan_filtered | for_chan(g, geo, chan));
            for (uint64_t m = dm; m && deliv != BL__NEVER; m &= m - 1) {
                const struct bl__dis *x = &g->dis[__builtin_ctzll(m)];
                if (x->start < deliv && go < x->end) {
                    int64_t after = x->end == BL__NEVER
                                        ? BL__NEVER
                                        : x->end + bl__rng_range(r, BL__DAY, 3 * BL__DAY);
                    deliv = after > deliv ? after : deliv;
                }
            }
        }
    }
    /* the snapshot is taken at the end of the range: later events have not happened */
    if (cancel >= g->t1) {
        cancel = BL__NEVER;
        by = BY_NONE;
    }
    if (ship >= g->t1)
        ship = BL__NEVER;
    if (pickup >= g->t1)
        pickup = BL__NEVER;
    if (deliv >= g->t1)
        deliv = BL__NEVER;
    int tmax = chan >= 0 ? g->chans[chan].tmax : 20;
    int64_t promised = (ship_by / BL__DAY + (tmax * 7 + 4) / 5 + 4) * BL__DAY;

    /* the order's own columns, shared by its lines */
    char tail[512], id[48];
    char *t = tail;
    *t++ = ',';
    t = bl__puts(t, cur->code);
    t = put_opt(g, t, P);
    t = put_opt(g, t, ship_by);
    t = put_opt(g, t, promised);
    *t++ = ',';
    t = bl__puts(t, from->region);
    *t++ = ',';
    t = bl__puts(t, bl__dests[to].region);
    t = put_opt(g, t, pickup);
    t = put_opt(g, t, ship);
    t = put_opt(g, t, deliv);
    t = put_opt(g, t, cancel);
    *t++ = ',';
    t = bl__puts(t, by_text[by]);
    *t++ = ',';
    uint64_t cust;
    if (st->ncust[si] && bl__rng_pm(r, 250))
        cust = 1 + bl__rng_below(r, st->ncust[si]); /* a returning buyer */
    else
        cust = ++st->ncust[si];
    t = bl__put(t, "cu", 2);
    t = bl__put_pad(t, si + 1, g->shop_width);
    *t++ = '-';
    t = bl__put_u64(t, cust);
    *t++ = ',';
    t = bl__puts(t, bl__countries[country].locale);
    *t++ = ',';
    if (chan >= 0 && by == BY_NONE)
        t = bl__puts(t, g->chans[chan].id);
    *t++ = '\n';
    size_t tail_len = (size_t)(t - tail);

    char *e = id;
    *e++ = 'S';
    e = bl__put_pad(e, si + 1, g->shop_width);
    *e++ = '-';
    e = bl__put_pad(e, seq, 7);
    size_t id_len = (size_t)(e - id);

    for (int64_t j = 0; j < n; j++) {
        char *p = bl__sink_row(s);
        p = bl__put(p, id, id_len);
        *p++ = ',';
        p = bl__put_u64(p, (uint64_t)(j + 1));
        *p++ = ',';
        p = bl__put(p, sh->id, sh->id_len);
        *p++ = ',';
        p = bl__put_sku_id(p, g, ln[j].sku);
        *p++ = ',';
        p = bl__put_u64(p, (uint64_t)ln[j].qty);
        *p++ = ',';
        p = bl__put_money(p, ln[j].price, cur->exponent);
        p = bl__put(p, tail, tail_len);
        bl__sink_end_row(s, p);
        if (by == BY_NONE && ln[j].sku < g->nsales)
            g->sales[ln[j].sku * g->o.days + di] += (uint64_t)ln[j].qty;
    }
    return n;
}

int bl__write_orders(struct bl_gen *g, struct bl__sink *s)
{
    int64_t days = g->o.days;
    struct order_state st;
    st.seq = bl_calloc((size_t)g->o.shops, sizeof(*st.seq));
    st.ncust = bl_calloc((size_t)g->o.shops, sizeof(*st.ncust));
    if (!g->sales)
        g->sales = bl_calloc((size_t)(g->nsales * days), sizeof(*g->sales));
    if (!st.seq || !st.ncust || !g->sales) {
        bl_free(st.seq);
        bl_free(st.ncust);
        return BL_ENOMEM;
    }
    memset(g->sales, 0, (size_t)(g->nsales * days) * sizeof(*g->sales));
    g->sales_ready = false;
    struct bl__rng r;
    bl__rng_seed(&r, g->o.seed, BL__S_ORDERS);

    bl__sink_header(s, "order,line,shop,sku,qty,unit_price,currency,placed_at,ship_by,"
                       "promised_at,ship_from,ship_to,picked_up_at,shipped_at,delivered_at,"
                       "cancelled_at,cancelled_by,customer,locale,channel");
    uint64_t total = 0;
    for (int64_t i = 0; i < days; i++)
        total += day_weight(g, i);
    static const uint16_t lines_w[4] = {650, 230, 80, 40}; /* 1..4 lines, geometric-like */
    uint64_t cum = 0, N = (uint64_t)g->o.orders, day_w = 0;
    for (int h = 0; h < 24; h++)
        day_w += g->hour_w[h];
    int64_t done = 0, orders = 0;
    for (int64_t i = 0; i < days; i++) {
        cum += day_weight(g, i);
        int64_t target = (int64_t)((unsigned __int128)N * cum / total);
        int64_t L = target - done, pos = 0;
        int64_t day0 = g->t0 + i * BL__DAY;
        while (pos < L) {
            int64_t nl = (int64_t)bl__rng_pick(&r, lines_w, 4) + 1;
            if (nl > L - pos)
                nl = L - pos;
            /* placed times rise through the day with the line count, faster in
             * the busy hours: x in [0, day_w) is the position's share of the day's
             * volume, mapped through the hourly volumes to a second of the day */
            uint64_t frac = bl__rng_u64(&r) >> 32;
            uint64_t x = (uint64_t)((((unsigned __int128)(uint64_t)pos << 32) + frac) * day_w /
                                    ((unsigned __int128)(uint64_t)L << 32));
            int h = 0;
            while (h < 23 && x >= g->hour_w[h]) {
                x -= g->hour_w[h];
                h++;
            }
            if (x >= g->hour_w[h])
                x = g->hour_w[h] - 1;
            int64_t P = day0 + h * BL__HOUR + (int64_t)(x * (uint64_t)BL__HOUR / g->hour_w[h]);
            pos += one_order(g, s, &st, &r, P, h, i, nl);
            orders++;
        }
        done = target;
    }
    bl_free(st.seq);
    bl_free(g->ncust);
    g->ncust = st.ncust; /* customers.csv lists them */
    g->sales_ready = true;
    g->orders_written = orders;
    return BL_OK;
}

/* ---------------------------------------------------------------- sales */

int bl__orders_pass(struct bl_gen *g)
{
    if (g->sales_ready)
        return BL_OK;
    struct bl__sink null;
    if (bl__sink_init(&null))
        return BL_ENOMEM;
    null.discard = true;
    int rc = bl__write_orders(g, &null);
    bl__sink_release(&null);
    return rc;
}

int bl__write_sales(struct bl_gen *g, struct bl__sink *s)
{
    int rc = bl__orders_pass(g);
    if (rc)
        return rc;
    bl__sink_header(s, "sku,date,units,in_stock");
    int64_t days = g->o.days;
    for (int64_t k = 0; k < g->nsales; k++) {
        const struct bl__sku *sk = &g->skus[k];
        for (int64_t i = 0; i < days; i++) {
            uint64_t units = g->sales[k * days + i];
            bool out = oos_on(sk, i);
            if (!units && !out)
                continue; /* absent days are days without sales */
            char *p = bl__sink_row(s);
            p = bl__put_sku_id(p, g, k);
            *p++ = ',';
            p = bl__put_date(p, g->o.start_day + i);
            *p++ = ',';
            p = bl__put_u64(p, units);
            p = bl__puts(p, out ? ",0\n" : ",1\n");
            bl__sink_end_row(s, p);
        }
    }
    return BL_OK;
}
