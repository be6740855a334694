/* banners.c - bl_app_banners: the notices a shop shows while a disruption affects
 * it, per shop and locale: the home-page banner (homepage_notice), the Shipping
 * Information page (shipping_info_notice) and the handling time on product pages
 * (handling_time), rendered from the template packs (messages.h).
 *
 * A shop is affected when a disruption active at as_of covers its ship-from region
 * (cover.h: scope origin or both, every channel, not supplier-only) or is restricted
 * to a channel its orders use. Dates are in the shop's time zone; the expected end is
 * the latest end of those disruptions. Details: docs/internals/notify.md.
 */
#include <string.h>

#include <jansson.h>

#include "app/app_msg.h"
#include "app/messages.h"
#include "app/packs.h"
#include "app/words.h"
#include "ballast/app.h"
#include "ballast/cover.h"
#include "ballast/disruption.h"
#include "ballast/l10n.h"
#include "ballast/money.h"
#include "ballast/time.h"
#include "store/area.h"
#include "store/message.h"

static const char *const places[] = {"homepage", "shipping", "product"};

const char *bl_banner_place_name(enum bl_banner_place p)
{
    return (unsigned)p < 3 ? places[p] : NULL;
}

/* A shop hit: its region (of the disruption ending last) and that end; and whether its
 * customer service is closed (a customer_service_closure over its region) until when. */
struct hit {
    bool hit, closed;
    const char *region;
    int64_t ends, reopens;
};

static void mark(struct hit *h, const struct bl_msg_disruption *x)
{
    if (!h->hit || x->cover.ends > h->ends) {
        h->ends = x->cover.ends;
        h->region = x->cover.region;
    }
    h->hit = true;
}

static bool closure(const struct bl_msg_disruption *x)
{
    return strcmp(x->kind, BL__DIS_SERVICE_CLOSURE) == 0;
}

/* Shops hit by a disruption over their ship-from region, or whose customer service is
 * closed there. */
static void origin_hits(int64_t as_of, const struct bl_msg_shop *shops, size_t nshops,
                        const struct bl_msg_disruption *dis, size_t ndis, struct hit *h)
{
    for (size_t k = 0; k < ndis; k++)
        for (size_t i = 0; i < nshops; i++) {
            if (!bl_cover_order(&dis[k].cover, shops[i].from, BL_SCOPE_ORIGIN, NULL, as_of))
                continue;
            if (!closure(&dis[k])) {
                mark(&h[i], &dis[k]);
            } else if (!h[i].closed || dis[k].cover.ends > h[i].reopens) {
                h[i].closed = true;
                h[i].reopens = dis[k].cover.ends;
            }
        }
}

/* Which shops are hit, by ship-from region first, then by channel. */
static int find_hits(struct bl_store *st, int64_t org, int64_t as_of,
                     const struct bl_msg_shop *shops, size_t nshops,
                     const struct bl_msg_disruption *dis, size_t ndis, struct hit *h,
                     struct bl_diag *d)
{
    origin_hits(as_of, shops, nshops, dis, ndis, h);
    /* shops whose orders use a suspended channel: the (shop, channel) pairs in one scan,
     * read only when a channel-restricted disruption is active */
    bool any = false;
    for (size_t k = 0; k < ndis && !any; k++)
        any = !closure(&dis[k]) && bl_cover_channel(&dis[k].cover, dis[k].cover.channel, as_of);
    if (!any)
        return BL_OK;
    struct bl_arena a;
    bl_arena_init(&a, 4096);
    int64_t *ids = NULL;
    const char **ch = NULL;
    size_t n = 0;
    int rc = bl_store_message_channel_shops(st, org, &a, &ids, &ch, &n, d);
    for (size_t k = 0; !rc && k < ndis; k++) {
        const struct bl_msg_disruption *x = &dis[k];
        if (closure(x) || !bl_cover_channel(&x->cover, x->cover.channel, as_of))
            continue;
        for (size_t j = 0; j < n; j++) {
            if (strcmp(ch[j], x->cover.channel) != 0)
                continue;
            for (size_t i = 0; i < nshops; i++)
                if (shops[i].id == ids[j])
                    mark(&h[i], x);
        }
    }
    bl_free(ids);
    bl_free(ch);
    bl_arena_release(&a);
    return rc;
}

struct bctx {
    const struct bl_app_banners_req *rq;
    int64_t as_of, hr[2];
    struct bl_packs packs;
    struct bl__words words;
    struct bl_area_lane *lanes; /* by shop, then country */
    size_t nlanes;
    struct bl_msg_shop_set *sets; /* every shop's settings, by id */
    size_t nsets;
    struct bl_buf title, text;
    struct bl_app_banners_res *res;
    size_t cap;
};

static int set(json_t *o, const char *k, const char *v, struct bl_diag *d)
{
    if (json_object_set_new(o, k, v ? json_string(v) : json_null()))
        return bl_diag_set(d, BL_ENOMEM, "out of memory");
    return BL_OK;
}

/* Days left until the expected end, added to handling and transit times. */
static int64_t days_left(const struct bctx *c, const struct hit *h)
{
    int64_t span;
    if (!h->hit || bl_dis_open_end(h->ends)) /* until further notice: no count of days */
        return 0;
    if (bl_money_sub(h->ends, c->as_of, &span) || span > INT64_MAX - BL_DAY_SECS)
        return INT64_MAX / BL_DAY_SECS;
    return (span + BL_DAY_SECS - 1) / BL_DAY_SECS;
}

/* What every notice of the shop says, in loc; the delivery region and time are set per
 * lane (lane_data). Only what a declared disruption says: the shipping start when
 * shipping is disrupted, the service's return when it is closed. */
/* The shop's account page (a shop setting), or NULL: the notices then leave the link out. */
static const char *shop_account(const struct bctx *c, int64_t shop)
{
    for (size_t i = 0; i < c->nsets; i++)
        if (c->sets[i].id == shop)
            return c->sets[i].set[BL_SET_ACCOUNT_URL];
    return NULL;
}

static int shop_data(struct bctx *c, const struct bl_msg_shop *s, const struct hit *h,
                     const char *loc, json_t *j, struct bl_diag *d)
{
    /* an end until further notice has no date and no count of days to show */
    bool open = h->hit && bl_dis_open_end(h->ends);
    int64_t left = days_left(c, h);
    char region[256] = "", until[128] = "", reopens[128] = "", today[128], ht[64], prev[64];
    int rc = h->hit ? bl__words_place(&c->words, loc, h->region, region, sizeof(region), d) : 0;
    if (!rc && json_object_set_new(j, "until_further_notice", json_boolean(open)))
        rc = bl_diag_set(d, BL_ENOMEM, "out of memory");
    if (!rc && h->hit && !open)
        rc = bl_l10n_date(loc, s->tz, h->ends, until, sizeof(until), d);
    if (!rc && h->closed && !bl_dis_open_end(h->reopens))
        rc = bl_l10n_date(loc, s->tz, h->reopens, reopens, sizeof(reopens), d);
    if (!rc)
        rc = bl_l10n_date(loc, s->tz, c->as_of, today, sizeof(today), d);
    int64_t hlo, hhi;
    if (!rc && (bl_money_add(c->hr[0], left, &hlo) || bl_money_add(c->hr[1], left, &hhi)))
        rc = bl_diag_set(d, BL_EOVERFLOW,
                         "the SKUs' handling days %lld-%lld plus the %lld days the disruption "
                         "has left do not fit in 64 bits",
                         (long long)c->hr[0], (long long)c->hr[1], (long long)left);
    if (!rc)
        rc = bl_l10n_business_days(loc, hlo, hhi, ht, sizeof(ht), d);
    if (!rc)
        rc = bl_l10n_business_days(loc, c->hr[0], c->hr[1], prev, sizeof(prev), d);
    const char *account = c->rq->account_url ? c->rq->account_url : shop_account(c, s->id);
    const char *kv[][2] = {{"shop_name", s->name},
                           {"disruption_region", h->hit ? region : NULL},
                           {"ship_start_date", h->hit && !open ? until : NULL},
                           {"service_resume_date", reopens[0] ? reopens : NULL},
                           {"account_url", account},
                           {"updated_on", today},
                           {"handling_time", ht},
                           {"previous_handling_time", prev},
                           {"delivery_region", NULL},
                           {"delivery_time", NULL}};
    for (size_t q = 0; !rc && q < sizeof(kv) / sizeof(kv[0]); q++)
        rc = set(j, kv[q][0], kv[q][1], d);
    return rc;
}

/* The shipping page of one destination country: the transit its lanes promise, plus the
 * days left until the disruption ends. */
static int lane_data(struct bctx *c, const struct hit *h, const struct bl_area_lane *l,
                     const char *loc, json_t *j, struct bl_diag *d)
{
    char region[256], dt[64];
    int64_t most;
    int rc = bl__words_place(&c->words, loc, l->country, region, sizeof(region), d);
    if (!rc && bl_money_add(l->transit_max, days_left(c, h), &most))
        rc = bl_diag_set(d, BL_EOVERFLOW,
                         "the shipping page to %s: the channels' transit_max %lld plus the days "
                         "the disruption has left do not fit in 64 bits",
                         l->country, (long long)l->transit_max);
    if (!rc)
        rc = bl_l10n_business_days(loc, l->transit_min, most, dt, sizeof(dt), d);
    if (!rc)
        rc = set(j, "delivery_region", region, d);
    return rc ? rc : set(j, "delivery_time", dt, d);
}

static int push(struct bctx *c, const struct bl_msg_shop *s, const struct hit *h, const char *loc,
                enum bl_banner_place place, const char *region, const json_t *j, struct bl_diag *d)
{
    static const char *const kinds[] = {"homepage_notice", "shipping_info_notice", "handling_time"};
    struct bl_arena *a = &c->res->arena;
    bl_buf_reset(&c->title);
    bl_buf_reset(&c->text);
    int rc = bl__packs_render(&c->packs, loc, kinds[place], j, &c->title, &c->text, d);
    void *items = c->res->banners;
    if (!rc && bl_grow(&items, &c->cap, c->res->n + 1, sizeof(*c->res->banners)))
        rc = bl_diag_set(d, BL_ENOMEM, "out of memory");
    if (rc)
        return rc;
    c->res->banners = items;
    struct bl_app_banner *b = &c->res->banners[c->res->n];
    *b = (struct bl_app_banner){.shop = s->ext,
                                .locale = bl_arena_strndup(a, loc, strlen(loc)),
                                .place = place,
                                .region = region,
                                .title = bl_arena_strndup(a, bl_buf_cstr(&c->title), c->title.len),
                                .text = bl_arena_strndup(a, bl_buf_cstr(&c->text), c->text.len),
                                .until = h->hit ? h->ends : h->reopens};
    if (!b->locale || !b->title || !b->text)
        return bl_diag_set(d, BL_ENOMEM, "out of memory");
    c->res->n++;
    return BL_OK;
}

/* The shop's notices in every pack: the home page; when shipping is disrupted, the
 * shipping page of each country its lanes reach and the product pages. */
static int render_shop(struct bctx *c, const struct bl_msg_shop *s, const struct hit *h,
                       struct bl_diag *d)
{
    size_t first = 0, last;
    while (first < c->nlanes && c->lanes[first].shop_id != s->id)
        first++;
    for (last = first; last < c->nlanes && c->lanes[last].shop_id == s->id; last++) {
    }
    c->res->no_window += h->hit && first == last;
    int rc = BL_OK;
    for (size_t k = 0; !rc && k < c->packs.nlocales; k++) {
        const char *loc = c->packs.locales[k];
        json_t *j = json_object();
        rc = j ? shop_data(c, s, h, loc, j, d) : bl_diag_set(d, BL_ENOMEM, "out of memory");
        if (!rc)
            rc = push(c, s, h, loc, BL_BANNER_HOMEPAGE, NULL, j, d);
        for (size_t l = first; !rc && h->hit && l < last; l++) {
            rc = lane_data(c, h, &c->lanes[l], loc, j, d);
            if (!rc)
                rc = push(c, s, h, loc, BL_BANNER_SHIPPING, c->lanes[l].country, j, d);
        }
        if (!rc && h->hit)
            rc = push(c, s, h, loc, BL_BANNER_PRODUCT, NULL, j, d);
        json_decref(j);
    }
    return rc;
}

static int banners_in(struct bl_store *st, int64_t org, struct bctx *c, struct bl_diag *d)
{
    struct bl_arena *a = &c->res->arena;
    struct bl_msg_shop *shops = NULL;
    struct bl_msg_disruption *dis = NULL;
    struct hit *h = NULL;
    size_t nshops = 0, ndis = 0;
    int rc = bl_store_message_shops(st, org, a, &shops, &nshops, d);
    if (!rc)
        rc = bl_store_message_disruptions(st, org, c->as_of, a, &dis, &ndis, d);
    if (!rc && nshops && !(h = bl_calloc(nshops, sizeof(*h))))
        rc = bl_diag_set(d, BL_ENOMEM, "out of memory");
    if (!rc)
        rc = find_hits(st, org, c->as_of, shops, nshops, dis, ndis, h, d);
    int64_t transit[2]; /* the catalogue's; each shipping page uses its own lanes */
    if (!rc)
        rc = bl_store_message_ranges(st, org, transit, c->hr, d);
    if (!rc) /* the lanes of the orders of the last 180 days */
        rc = bl_store_area_lanes(st, org, c->as_of - 180 * BL_DAY_SECS, c->as_of, a, &c->lanes,
                                 &c->nlanes, d);
    if (!rc)
        rc = bl__packs_open(&c->packs, c->rq->templates ? c->rq->templates : bl_app_templates_dir(),
                            d);
    if (!rc)
        rc = bl__words_open(&c->words, st, org, c->packs.locales, c->packs.nlocales, d);
    if (!rc)
        rc = bl_store_shop_settings(st, org, a, &c->sets, &c->nsets, d);
    c->res->shops = nshops;
    for (size_t i = 0; !rc && i < nshops; i++) {
        if (!h[i].hit && !h[i].closed)
            continue;
        c->res->affected++;
        c->res->no_account += !c->rq->account_url && !shop_account(c, shops[i].id);
        rc = render_shop(c, &shops[i], &h[i], d);
    }
    bl_free(h);
    bl_free(c->lanes);
    bl_free(c->sets);
    bl_free(dis);
    bl_free(shops);
    return rc;
}

int bl_app_banners(struct bl_store *st, int64_t org, const struct bl_app_banners_req *req,
                   struct bl_app_banners_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 0);
    struct bctx c = {.rq = req, .as_of = bl_app_now_or(req->as_of), .hr = {1, 3}, .res = res};
    bl_buf_init(&c.title, 0);
    bl_buf_init(&c.text, 0);
    int rc = banners_in(st, org, &c, d);
    bl_buf_release(&c.title);
    bl_buf_release(&c.text);
    bl__packs_release(&c.packs);
    bl__words_release(&c.words);
    if (rc && !d->code)
        bl_diag_set(d, rc, "%s", bl_strerror(rc));
    return rc;
}

void bl_app_banners_res_release(struct bl_app_banners_res *res)
{
    bl_free(res->banners);
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}
