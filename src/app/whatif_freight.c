/* whatif_freight.c - the what-if's freight (whatif_impl.h): each order's freight on its
 * channel (the logistics catalogue's price for its lane and weight, as `ballast sla`
 * prices a waiver), each channel's carrier SLA days and currency, and what each
 * `channel_price` event adds to an order: its percentage of the freight, or the order's
 * chargeable weight at the new rate per kilogram less at the old. Only the orders that
 * can ship in the horizon or be copied into it are priced: those placed in the days the
 * snapshot holds. Nothing here when the organisation has no channels. */
#include <string.h>

#include "app/logistics.h"
#include "app/whatif_impl.h"
#include "ballast/money.h"
#include "ballast/places.h"
#include "store/logistics.h"

struct fr {
    struct bl__wi_app *x;
    struct bl_app_logistics cat;
    int32_t *ci; /* per snapshot channel: the catalogue's index, -1: not in it */
    struct bl_lg_option *opt;
    size_t ocap;
    struct bl_diag *d;
};

static int sla_row(void *ctx, const struct bl_store_channel *c)
{
    struct fr *f = ctx;
    const struct bl_snapshot *s = &f->x->res->snap;
    for (size_t k = 0; k < s->nchan; k++)
        if (strcmp(s->chan_name[k], c->ext_id) == 0 && c->has_sla && c->sla_days > 0)
            f->x->sla_days[k] = c->sla_days > INT32_MAX ? INT32_MAX : (int32_t)c->sla_days;
    return 0;
}

/* The price of channel ci in the quote, and the rate it came from (per_kg, min_g). */
static bool priced(struct fr *f, size_t n, int32_t ci, const struct bl_lg_option **o)
{
    for (size_t k = 0; k < n && k < f->ocap; k++)
        if (f->opt[k].channel == ci) {
            *o = &f->opt[k];
            return true;
        }
    return false;
}

/* The rate of the channel that gives this price for this chargeable weight. */
static const struct bl_lg_rate *rate_of(const struct bl_lg_channel *ch, int64_t w, int64_t price)
{
    for (size_t r = 0; r < ch->nrates; r++) {
        const struct bl_lg_rate *x = &ch->rates[r];
        int64_t kg = w > x->min_g ? (w - x->min_g + 999) / 1000 : 0;
        if (w >= x->min_g && w < x->max_g && x->base + x->per_kg * kg == price)
            return x;
    }
    return NULL;
}

/* What price event p adds to an order priced o on channel ch (BL_WI_NO_PRICE: cannot
 * say). */
static int64_t extra_of(const struct bl_wi_event *e, const struct bl_lg_channel *ch,
                        const struct bl_lg_option *o)
{
    int64_t v;
    if (e->per_kg < 0)
        return bl_money_scale(o->price, e->pct_bp, 10000, &v) == 0 ? v : BL_WI_NO_PRICE;
    const struct bl_lg_rate *r = rate_of(ch, o->weight_g, o->price);
    if (!r)
        return BL_WI_NO_PRICE;
    int64_t kg = o->weight_g > r->min_g ? (o->weight_g - r->min_g + 999) / 1000 : 0;
    return bl_money_mul(e->per_kg - r->per_kg, kg, &v) == 0 ? v : BL_WI_NO_PRICE;
}

static int weight_row(void *ctx, const struct bl_store_lg_weight *y)
{
    struct fr *f = ctx;
    struct bl__wi_app *x = f->x;
    const struct bl_snapshot *s = &x->res->snap;
    int64_t i = bl_snapshot_order(s, y->order_id);
    int32_t c = i >= 0 && s->orders.channel ? s->orders.channel[i] : -1;
    if (c < 0 || f->ci[c] < 0)
        return 0;
    const struct bl_lg *lg = f->cat.lg;
    const char *from = bl_regions_name(s->regions, s->orders.from[i]);
    const char *to = bl_regions_name(s->regions, s->orders.to[i]);
    struct bl_lg_shipment sh = {from ? bl_lg_locate(lg, bl_str_c(from)) : 0,
                                to ? bl_lg_locate(lg, bl_str_c(to)) : 0,
                                y->weight_g > 0 ? y->weight_g : 0,
                                {0, 0, 0},
                                s->orders.placed[i],
                                BL_LG_NO_PROMISE,
                                NULL};
    size_t n = 0;
    struct bl_diag ignore;
    const struct bl_lg_option *o = NULL;
    if (!sh.from || !sh.to || bl_lg_quote(lg, &sh, f->opt, f->ocap, &n, &ignore) != BL_OK ||
        !priced(f, n, f->ci[c], &o))
        return 0; /* no price: no waiver, no price change for it */
    x->freight[i] = o->price;
    x->weight[i] = sh.weight_g;
    const struct bl_lg_channel *ch = bl_lg_channel(lg, (size_t)f->ci[c]);
    for (size_t p = 0; p < x->nprices; p++)
        if (x->prices[p].channel == c)
            x->price_extra[p][i] = extra_of(&x->req->assume->ev[x->price_ev[p]], ch, o);
    return 0;
}

/* The country every rate of ch delivers to, its two letters in cc; false when its rates
 * go to several. */
static bool one_destination(const struct bl_lg_channel *ch, char cc[3])
{
    cc[0] = '\0';
    for (size_t r = 0; r < ch->nrates; r++) {
        const char *to = ch->rates[r].destination;
        if (!to || strlen(to) < 2 || (cc[0] && strncmp(cc, to, 2) != 0))
            return false;
        memcpy(cc, to, 2);
        cc[2] = '\0';
    }
    return cc[0] != '\0';
}

/* Two channels the same words name ("China Post (postal)" to the US and to Germany) are
 * told apart by the country they deliver to: "China Post (postal) to Germany". */
static int tell_apart(struct fr *f, size_t nch)
{
    struct bl__wi_app *x = f->x;
    const char **name = x->res->channel_name;
    const struct bl_places *pl = NULL;
    struct bl_diag ig;
    bl_diag_clear(&ig);
    bool *twin = nch ? bl_arena_alloc(&x->res->arena, nch * sizeof(bool)) : NULL;
    if (nch && !twin)
        return bl_diag_set(f->d, BL_ENOMEM, "what-if: out of memory");
    for (size_t k = 0; k < nch; k++) { /* first which are twins, then their new words */
        twin[k] = false;
        for (size_t j = 0; name[k] && j < nch && !twin[k]; j++)
            twin[k] = j != k && name[j] && f->ci[j] != f->ci[k] && strcmp(name[j], name[k]) == 0;
    }
    for (size_t k = 0; k < nch; k++) {
        char cc[3], country[120], buf[400];
        if (!twin[k] || !one_destination(bl_lg_channel(f->cat.lg, (size_t)f->ci[k]), cc) ||
            (!pl && bl_places_shared_l10n(&pl, &ig)) ||
            bl_places_country_name(pl, cc, x->req->locale ? x->req->locale : "en", country,
                                   sizeof(country), &ig))
            continue; /* no twin, or no one country to tell it by: the words as they are */
        bool zh = x->req->locale && strcmp(x->req->locale, "zh-CN") == 0;
        snprintf(buf, sizeof(buf), zh ? "%s 发往%s" : "%s to %s", name[k], country);
        if (!(name[k] = bl_arena_strndup(&x->res->arena, buf, strlen(buf))))
            return bl_diag_set(f->d, BL_ENOMEM, "what-if: out of memory");
    }
    return BL_OK;
}

static int channels(struct fr *f)
{
    struct bl__wi_app *x = f->x;
    const struct bl_snapshot *s = &x->res->snap;
    struct bl_arena *a = &x->res->arena;
    size_t nch = s->nchan + 1, ncat = bl_lg_nchannels(f->cat.lg);
    f->ci = bl_arena_alloc(a, nch * sizeof(int32_t));
    x->res->channel_name = bl_arena_alloc(a, nch * sizeof(char *));
    x->sla_days = bl_arena_alloc(a, nch * sizeof(int32_t));
    x->ch_cur = bl_arena_alloc(a, nch * sizeof(*x->ch_cur));
    if (!f->ci || !x->sla_days || !x->ch_cur || !x->res->channel_name)
        return bl_diag_set(f->d, BL_ENOMEM, "what-if: out of memory");
    for (size_t k = 0; k < s->nchan; k++) {
        f->ci[k] = -1;
        x->sla_days[k] = 0;
        x->ch_cur[k][0] = '\0';
        for (size_t j = 0; j < ncat; j++) {
            const struct bl_lg_channel *ch = bl_lg_channel(f->cat.lg, j);
            if (strcmp(ch->id, s->chan_name[k]) == 0) {
                f->ci[k] = (int32_t)j;
                snprintf(x->ch_cur[k], sizeof(x->ch_cur[k]), "%s", ch->currency);
            }
        }
        x->res->channel_name[k] = NULL;
        if (f->ci[k] >= 0) {
            const struct bl_lg_channel *ch = bl_lg_channel(f->cat.lg, (size_t)f->ci[k]);
            char buf[200];
            bl_app_lg_channel_words(ch->carrier, ch->mode, x->req->locale, buf, sizeof(buf));
            if (!(x->res->channel_name[k] = bl_arena_strndup(a, buf, strlen(buf))))
                return bl_diag_set(f->d, BL_ENOMEM, "what-if: out of memory");
        }
    }
    int rc = tell_apart(f, s->nchan);
    return rc ? rc : bl_store_channel_each(x->st, x->org, sla_row, f, f->d);
}

/* A price event's currency must be its channel's (a rate in another would be misread). */
static int check_prices(struct fr *f)
{
    struct bl__wi_app *x = f->x;
    for (size_t p = 0; p < x->nprices; p++) {
        const struct bl_wi_event *e = &x->req->assume->ev[x->price_ev[p]];
        int32_t c = x->prices[p].channel;
        if (f->ci[c] < 0 || (e->per_kg >= 0 && strcmp(e->currency, x->ch_cur[c]) != 0)) {
            x->res->problem = BL_APP_WHATIF_PRICE_UNSUPPORTED;
            x->res->problem_line = e->line;
            bl_diag_at(f->d, NULL, e->line, f->ci[c] < 0 ? "channel" : "currency");
            if (f->ci[c] < 0)
                return bl_diag_set(f->d, BL_ENOTFOUND,
                                   "channel %s has no rates in the logistics catalogue: its "
                                   "price cannot change",
                                   e->channel);
            return bl_diag_set(f->d, BL_EINVAL,
                               "%s: channel %s's rates are in %s; write the new per_kg in %s",
                               e->currency, e->channel, x->ch_cur[c], x->ch_cur[c]);
        }
    }
    return BL_OK;
}

int bl__wi_freight(struct bl__wi_app *x, int64_t since, struct bl_diag *d)
{
    struct fr f = {.x = x, .d = d};
    const struct bl_snapshot *s = &x->res->snap;
    int rc = bl_app_logistics_load(x->st, x->org, &f.cat, d);
    if (!rc && (!bl_lg_nchannels(f.cat.lg) || !s->nchan)) {
        bl_app_logistics_release(&f.cat);
        return x->nprices ? bl_diag_set(d, BL_ENOTFOUND,
                                        "a channel's price change: the organisation has no "
                                        "logistics catalogue (ballast import channels)")
                          : BL_OK;
    }
    if (!rc)
        rc = channels(&f);
    if (!rc)
        rc = check_prices(&f);
    struct bl_arena *a = &x->res->arena;
    size_t n = s->orders.n + 1;
    f.ocap = bl_lg_nchannels(f.cat.lg);
    f.opt = rc ? NULL : bl_arena_alloc(a, (f.ocap + 1) * sizeof(*f.opt));
    x->freight = rc ? NULL : bl_arena_alloc(a, n * sizeof(int64_t));
    x->weight = rc ? NULL : bl_arena_alloc(a, n * sizeof(int64_t));
    if (!rc && (!f.opt || !x->freight || !x->weight))
        rc = bl_diag_set(d, BL_ENOMEM, "what-if: out of memory");
    for (size_t i = 0; !rc && i < n; i++)
        x->freight[i] = x->weight[i] = -1;
    for (size_t p = 0; !rc && p < x->nprices; p++) {
        x->price_extra[p] = bl_arena_alloc(a, n * sizeof(int64_t));
        if (!x->price_extra[p])
            rc = bl_diag_set(d, BL_ENOMEM, "what-if: out of memory");
        for (size_t i = 0; !rc && i < n; i++)
            x->price_extra[p][i] = BL_WI_NO_PRICE;
        if (!rc)
            x->prices[p].extra = x->price_extra[p];
    }
    if (!rc)
        rc = bl_store_lg_order_weights(x->st, x->org, since, weight_row, &f, d);
    bl_app_logistics_release(&f.cat);
    return rc;
}
