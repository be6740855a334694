/* whatif_orders.c - the horizon's orders (whatif_impl.h): the snapshot's, then per shop
 * the orders its recent rate projects past the data, their shipments, carrier scans and
 * deliveries taken from the shop's own recent timings; and, for the run with the events,
 * the shipments and deliveries the hypothetical disruptions hold. */
#include <stdlib.h>
#include <string.h>

#include "ballast/disruption.h"
#include "engine/whatif_impl.h"

#define RECENT_DAYS 28 /* the shop's rate and timings: its orders of the last 28 days */
#define SIM_SHIP 1u
#define SIM_PICK 2u
#define SIM_DELIV 4u

#define CHANNELS 16 /* channels per shop with their own transit time; more share the shop's */

/* A shop's recent orders: how many, and its median handling, scan and transit times; the
 * transit also per channel (a delivery's promise is the channel's transit time: an order
 * on a slow channel is simulated at that channel's pace, not the shop's). */
struct recent {
    size_t *idx, n; /* its orders placed in the 28 days before the data's end */
    int64_t handling, pickup, transit;
    int32_t ch[CHANNELS];
    int64_t ch_transit[CHANNELS];
    size_t nch;
};

static int cmp_i64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

static int64_t median(int64_t *v, size_t n, int64_t dflt)
{
    if (!n)
        return dflt;
    qsort(v, n, sizeof(*v), cmp_i64);
    return v[n / 2];
}

/* The median of (b - a) over the shop's recent orders that have both (on channel ch
 * only, when ch >= -1; every channel for -2). */
static int64_t lag(const struct bl_assess_orders *o, size_t lo, size_t hi, int64_t since,
                   int64_t last, const int64_t *a, const int64_t *b, int64_t *scratch, int64_t dflt,
                   int32_t ch)
{
    size_t k = 0;
    for (size_t i = lo; i < hi; i++)
        if (o->placed[i] > since && a[i] != BL_NO_TIME && b[i] != BL_NO_TIME && b[i] >= a[i] &&
            b[i] <= last && (ch == -2 || (o->channel ? o->channel[i] : -1) == ch))
            scratch[k++] = b[i] - a[i];
    return median(scratch, k, dflt);
}

/* The transit of each channel the shop's recent orders use (the first CHANNELS met). */
static void channel_transit(const struct bl_assess_orders *o, size_t lo, size_t hi, int64_t since,
                            int64_t last, int64_t *scratch, struct recent *r)
{
    r->nch = 0;
    for (size_t i = lo; o->channel && i < hi && r->nch < CHANNELS; i++) {
        if (o->placed[i] <= since || o->placed[i] > last)
            continue;
        size_t c = 0;
        while (c < r->nch && r->ch[c] != o->channel[i])
            c++;
        if (c < r->nch)
            continue;
        r->ch[r->nch] = o->channel[i];
        r->ch_transit[r->nch++] = lag(o, lo, hi, since, last, o->shipped, o->delivered, scratch,
                                      r->transit, o->channel[i]);
    }
}

static int64_t transit_of(const struct recent *r, int32_t ch)
{
    for (size_t c = 0; c < r->nch; c++)
        if (r->ch[c] == ch)
            return r->ch_transit[c];
    return r->transit;
}

static int recent_of(const struct bl__wi *w, size_t s, int64_t *scratch, struct recent *r)
{
    const struct bl_assess_orders *o = w->in->orders;
    size_t lo = o->shop_off[s], hi = o->shop_off[s + 1];
    int64_t since = w->last - RECENT_DAYS * BL__WI_DAY;
    r->n = 0;
    for (size_t i = lo; i < hi; i++)
        r->n += o->placed[i] > since && o->placed[i] <= w->last;
    r->idx = bl_arena_alloc(w->a, (r->n + 1) * sizeof(size_t));
    if (!r->idx)
        return bl_diag_set(w->d, BL_ENOMEM, "what-if: out of memory");
    for (size_t i = lo, k = 0; i < hi; i++)
        if (o->placed[i] > since && o->placed[i] <= w->last)
            r->idx[k++] = i;
    r->handling = lag(o, lo, hi, since, w->last, o->placed, o->shipped, scratch, BL__WI_DAY, -2);
    r->pickup = lag(o, lo, hi, since, w->last, o->shipped, o->picked_up, scratch, 4 * 3600, -2);
    r->transit =
        lag(o, lo, hi, since, w->last, o->shipped, o->delivered, scratch, 7 * BL__WI_DAY, -2);
    channel_transit(o, lo, hi, since, w->last, scratch, r);
    return BL_OK;
}

/* Orders projected for shop s: its recent count spread evenly over the time from the
 * data's end to the horizon's end. */
static size_t projected(const struct bl__wi *w, const struct recent *r)
{
    if (w->last >= w->until || !r->n)
        return 0;
    double span = (double)(w->until - w->last) / (double)(RECENT_DAYS * BL__WI_DAY);
    return (size_t)((double)r->n * span);
}

/* Without replay, what is stamped after A is not known yet. */
static void forget(struct bl__wi *w, size_t k)
{
    if (w->in->replay)
        return;
    for (int e = 0; e < 3; e++)
        if (w->ev[0][e][k] != BL_NO_TIME && w->ev[0][e][k] > w->last)
            w->ev[0][e][k] = BL_NO_TIME;
    if (w->cancelled[k] != BL_NO_TIME && w->cancelled[k] > w->last) {
        w->cancelled[k] = BL_NO_TIME;
        w->cancel_by[k] = BL_CANCEL_NONE;
    }
}

static int alloc_cols(struct bl__wi *w, size_t n)
{
    struct bl_arena *a = w->a;
    size_t m = n + 1;
    w->shop = bl_arena_alloc(a, m * sizeof(uint32_t));
    w->from = bl_arena_alloc(a, m * sizeof(uint32_t));
    w->to = bl_arena_alloc(a, m * sizeof(uint32_t));
    w->placed = bl_arena_alloc(a, m * sizeof(int64_t));
    w->ship_by = bl_arena_alloc(a, m * sizeof(int64_t));
    w->promised = bl_arena_alloc(a, m * sizeof(int64_t));
    w->cancelled = bl_arena_alloc(a, m * sizeof(int64_t));
    w->amount = bl_arena_alloc(a, m * sizeof(int64_t));
    w->cancel_by = bl_arena_alloc(a, m);
    w->platform = bl_arena_alloc(a, m);
    w->cur = bl_arena_alloc(a, m);
    w->lang = bl_arena_alloc(a, m);
    w->sim = bl_arena_alloc(a, m);
    w->held = bl_arena_alloc(a, m);
    w->done = bl_arena_alloc(a, m * sizeof(bool));
    w->src = bl_arena_alloc(a, m * sizeof(size_t));
    w->channel = bl_arena_alloc(a, m * sizeof(int32_t));
    bool ok = w->shop && w->from && w->to && w->placed && w->ship_by && w->promised &&
              w->cancelled && w->amount && w->cancel_by && w->platform && w->cur && w->lang &&
              w->sim && w->held && w->done && w->src && w->channel;
    for (int r = 0; r < 2; r++)
        for (int e = 0; e < 3; e++)
            ok = ok && (w->ev[r][e] = bl_arena_alloc(a, m * sizeof(int64_t))) != NULL;
    w->shop_off = bl_arena_alloc(a, (w->in->nshops + 1) * sizeof(size_t));
    if (!ok || !w->shop_off)
        return bl_diag_set(w->d, BL_ENOMEM, "what-if: out of memory for %zu orders", n);
    memset(w->sim, 0, m);
    memset(w->held, 0, m);
    return BL_OK;
}

/* Copies order i of the input to k. */
static void copy_real(struct bl__wi *w, size_t i, size_t k)
{
    const struct bl_wi_input *in = w->in;
    const struct bl_assess_orders *o = in->orders;
    w->shop[k] = o->shop[i];
    w->from[k] = o->from[i];
    w->to[k] = o->to[i];
    w->placed[k] = o->placed[i];
    w->ship_by[k] = o->ship_by[i];
    w->promised[k] = o->promised[i];
    w->cancelled[k] = o->cancelled[i];
    w->cancel_by[k] = o->cancel_by[i];
    w->platform[k] = o->platform ? o->platform[i] : 0;
    w->channel[k] = o->channel ? o->channel[i] : -1;
    w->amount[k] = in->amount[i];
    w->cur[k] = in->cur[i];
    w->lang[k] = in->lang ? in->lang[i] : 0;
    w->done[k] = in->compensated ? in->compensated[i] : false;
    w->src[k] = i;
    w->ev[0][0][k] = o->shipped[i];
    w->ev[0][1][k] = o->picked_up[i];
    w->ev[0][2][k] = o->delivered[i];
}

/* The events the data does not have yet, for an order that is not cancelled: after the
 * data's end, at the shop's usual times. */
static void fill_events(struct bl__wi *w, size_t k, const struct recent *r)
{
    if (w->last >= w->until || w->cancelled[k] != BL_NO_TIME)
        return;
    int64_t *sh = &w->ev[0][0][k], *pk = &w->ev[0][1][k], *dl = &w->ev[0][2][k];
    if (*sh == BL_NO_TIME) {
        int64_t t = w->placed[k] + r->handling;
        *sh = t > w->last ? t : w->last + 1;
        w->sim[k] |= SIM_SHIP;
    }
    if (*pk == BL_NO_TIME) {
        int64_t t = *sh + r->pickup;
        *pk = t > w->last ? t : w->last + 1;
        w->sim[k] |= SIM_PICK;
    }
    if (*dl == BL_NO_TIME) {
        int64_t t = *sh + transit_of(r, w->channel[k]);
        *dl = t > w->last ? t : w->last + 1;
        w->sim[k] |= SIM_DELIV;
    }
}

/* Projected order j of the shop (0-based), modelled on one of its recent orders: the
 * same time of day, ship-by and promise after placing, channel, route and amount. */
static void project(struct bl__wi *w, size_t j, size_t total, const struct recent *r, size_t k)
{
    const struct bl_assess_orders *o = w->in->orders;
    size_t t = r->idx[j % r->n];
    int64_t span = w->until - w->last;
    int64_t day0 = w->last - (w->last % BL__WI_DAY + BL__WI_DAY) % BL__WI_DAY;
    int64_t at = w->last + 1 + (int64_t)((double)span * (double)j / (double)total);
    int64_t tod = (o->placed[t] % BL__WI_DAY + BL__WI_DAY) % BL__WI_DAY;
    int64_t placed = at - (at - day0) % BL__WI_DAY + tod;
    placed = placed > w->last ? placed : placed + BL__WI_DAY;
    copy_real(w, t, k);
    int64_t delta = placed - o->placed[t];
    w->placed[k] = placed;
    w->ship_by[k] = o->ship_by[t] == BL_NO_TIME ? BL_NO_TIME : o->ship_by[t] + delta;
    w->promised[k] = o->promised[t] == BL_NO_TIME ? BL_NO_TIME : o->promised[t] + delta;
    w->cancelled[k] = BL_NO_TIME;
    w->cancel_by[k] = BL_CANCEL_NONE;
    w->done[k] = false;
    for (int e = 0; e < 3; e++)
        w->ev[0][e][k] = BL_NO_TIME;
    fill_events(w, k, r);
}

/* The end of what the data holds: A without replay; with it, the latest order placed,
 * up to the horizon's end. */
static int64_t latest(const struct bl_wi_input *in, int64_t until)
{
    if (!in->replay)
        return in->as_of;
    int64_t last = BL_NO_TIME;
    for (size_t i = 0; i < in->orders->n; i++)
        if (in->orders->placed[i] > last)
            last = in->orders->placed[i];
    return last == BL_NO_TIME || last > until ? until : last;
}

int bl__wi_orders(struct bl__wi *w)
{
    const struct bl_wi_input *in = w->in;
    const struct bl_assess_orders *o = in->orders;
    w->last = latest(in, w->until);
    struct recent *rec = bl_arena_alloc(w->a, (in->nshops + 1) * sizeof(*rec));
    int64_t *scratch = bl_arena_alloc(w->a, (o->n + 1) * sizeof(int64_t));
    if (!rec || !scratch)
        return bl_diag_set(w->d, BL_ENOMEM, "what-if: out of memory");
    size_t n = o->n;
    int rc = BL_OK;
    for (size_t s = 0; !rc && s < in->nshops; s++) {
        rc = recent_of(w, s, scratch, &rec[s]);
        n += projected(w, &rec[s]);
    }
    if (!rc)
        rc = alloc_cols(w, n);
    if (rc)
        return rc;
    size_t k = 0;
    for (size_t s = 0; s < in->nshops; s++) {
        w->shop_off[s] = k;
        for (size_t i = o->shop_off[s]; i < o->shop_off[s + 1]; i++, k++) {
            copy_real(w, i, k);
            forget(w, k);
            fill_events(w, k, &rec[s]);
        }
        size_t np = projected(w, &rec[s]);
        for (size_t j = 0; j < np; j++, k++)
            project(w, j, np, &rec[s], k);
    }
    w->shop_off[in->nshops] = k;
    w->n = k;
    w->nreal = o->n;
    return BL_OK;
}

/* ---- the run with the events ---------------------------------------------------------- */

static bool covers(const struct bl__wi *w, const struct bl_assess_disruption *h, size_t k,
                   bool origin, int64_t t)
{
    if (h->supplier_only || t < h->starts || t >= h->ends)
        return false;
    if (h->channel >= 0 && h->channel != w->channel[k])
        return false;
    if (origin)
        return (h->scope & BL_SCOPE_ORIGIN) &&
               bl_regions_contains(w->in->regions, h->region, w->from[k]);
    return (h->scope & BL_SCOPE_DESTINATION) &&
           bl_regions_contains(w->in->regions, h->region, w->to[k]);
}

/* The instant t moved past every event covering it (BL_NO_TIME: until further notice). */
static int64_t hold(const struct bl__wi *w, size_t k, bool origin, int64_t t)
{
    for (bool moved = true; moved && t != BL_NO_TIME;) {
        moved = false;
        for (size_t h = 0; h < w->in->nhyp; h++) {
            const struct bl_assess_disruption *x = &w->in->hyp[h];
            if (covers(w, x, k, origin, t)) {
                t = bl_dis_open_end(x->ends) ? BL_NO_TIME : x->ends;
                moved = true;
            }
        }
    }
    return t;
}

static int64_t shifted(int64_t t, int64_t by)
{
    return t == BL_NO_TIME ? t : t + by;
}

int bl__wi_shift(struct bl__wi *w)
{
    for (size_t k = 0; k < w->n; k++) {
        int64_t sh = w->ev[0][0][k], pk = w->ev[0][1][k], dl = w->ev[0][2][k];
        if ((w->sim[k] & SIM_SHIP) && sh != BL_NO_TIME) {
            int64_t t = hold(w, k, true, sh);
            if (t != sh) {
                w->held[k] = 1;
                int64_t by = t == BL_NO_TIME ? 0 : t - sh;
                pk = t == BL_NO_TIME ? BL_NO_TIME : shifted(pk, by);
                dl = t == BL_NO_TIME ? BL_NO_TIME : shifted(dl, by);
                sh = t;
            }
        }
        if ((w->sim[k] & SIM_DELIV) && dl != BL_NO_TIME)
            dl = hold(w, k, false, dl);
        w->ev[1][0][k] = sh;
        w->ev[1][1][k] = pk;
        w->ev[1][2][k] = dl;
    }
    return BL_OK;
}
