/* forecast_shop.c - what a shop's SKUs say together: the pooled weekday profile and the
 * days the shop was closed (bl_fc_shop_learn), and each SKU's profile, the pooled one
 * shrunk toward the SKU's own shape as its history allows. Pure. */
#include "engine/forecast_impl.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "ballast/time.h"

/* A weekday is one the shop sells on when something sold on at least half of them. */
#define OPEN_SHARE 0.5
/* Pseudo-days of the pooled shape against the SKU's own observed days of a weekday. */
#define SHRINK_DAYS 300.0
/* A day without any sale is a closure when silence that long had less chance than this. */
#define CLOSED_CHANCE 1e-3

/* Marks sold[d] for every day of the range on which some series sold. Returns the first
 * such day's index, or ndays. */
static size_t mark_sold(const struct bl_fc_series *s, size_t n, int64_t first_day, size_t ndays,
                        bool *sold)
{
    memset(sold, 0, ndays * sizeof(*sold));
    size_t first = ndays;
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < s[k].n; i++) {
            int64_t d = s[k].first_day + (int64_t)i - first_day;
            if (d >= 0 && d < (int64_t)ndays && s[k].units[i] > 0) {
                sold[d] = true;
                first = (size_t)d < first ? (size_t)d : first;
            }
        }
    return first;
}

/* Adds to lp[d] (ndays + 1 values, a difference array) log(1 - share) from series s's
 * first sale on, share being the part of its days with a sale: summed, the log of the
 * chance that no series sells on day d by chance alone. */
static void add_silence(const struct bl_fc_series *s, int64_t first_day, size_t ndays, double *lp)
{
    size_t first = SIZE_MAX, days = 0, with = 0;
    for (size_t i = 0; i < s->n; i++) {
        int64_t d = s->first_day + (int64_t)i - first_day;
        if (d < 0 || d >= (int64_t)ndays || (first == SIZE_MAX && !(s->units[i] > 0)))
            continue;
        first = first == SIZE_MAX ? (size_t)d : first;
        days++;
        with += s->units[i] > 0;
    }
    if (!days)
        return;
    double share = (double)with / (double)days;
    double v = share < 1 ? log(1 - share) : -HUGE_VAL;
    lp[first] += v;
    lp[ndays] -= v;
}

/* sold[] becomes closed[]: no sale on a weekday the shop sells on, on a day when the
 * chance of that silence (lp, cumulated here) is below CLOSED_CHANCE. A shop of one
 * SKU has no closed days: its silence is the SKU's own. */
static void sold_to_closed(bool *flags, double *lp, size_t first, int64_t first_day,
                           size_t ndays)
{
    size_t days[7] = {0}, with[7] = {0};
    for (size_t d = first; d < ndays; d++) {
        int k = bl_weekday(first_day + (int64_t)d);
        days[k]++;
        with[k] += flags[d];
    }
    double cum = 0;
    for (size_t d = 0; d < ndays; d++) {
        int k = bl_weekday(first_day + (int64_t)d);
        bool open = days[k] && (double)with[k] >= OPEN_SHARE * (double)days[k];
        cum += lp[d];
        flags[d] = d >= first && !flags[d] && open && cum < log(CLOSED_CHANCE);
    }
}

/* Adds series s's weekday shape (mean per weekday over its mean day, from its first sale,
 * in-stock days the shop was open), weighted by its weeks, to acc[7]; returns the weight. */
static double add_shape(const struct bl_fc_series *s, const struct bl_fc_shop *sh, double *acc)
{
    double sum[7] = {0}, all = 0;
    size_t cnt[7] = {0}, nall = 0;
    bool started = false;
    for (size_t i = 0; i < s->n; i++) {
        int64_t day = s->first_day + (int64_t)i, d = day - sh->first_day;
        started |= s->units[i] > 0;
        if (!started || d < 0 || d >= (int64_t)sh->ndays || sh->closed[d] ||
            (s->in_stock && !s->in_stock[i]))
            continue;
        int k = bl_weekday(day);
        sum[k] += s->units[i];
        cnt[k]++;
        all += s->units[i];
        nall++;
    }
    if (!nall || !(all > 0))
        return 0;
    double mean = all / (double)nall, w = (double)nall / 7.0;
    for (int k = 0; k < 7; k++)
        acc[k] += w * (cnt[k] ? sum[k] / (double)cnt[k] / mean : 1.0);
    return w;
}

/* v[7] scaled to mean 1 (left alone when all zero). */
static void to_mean_one(double *v)
{
    double m = 0;
    for (int k = 0; k < 7; k++)
        m += v[k] / 7.0;
    for (int k = 0; m > 0 && k < 7; k++)
        v[k] /= m;
}

int bl_fc_shop_learn(const struct bl_fc_series *s, size_t n, int64_t first_day, size_t ndays,
                     bool *closed, double *scratch, struct bl_fc_shop *out, struct bl_diag *d)
{
    if (!out || (!s && n) || (!closed && ndays) || !scratch)
        return bl_diag_set(d, BL_EINVAL, "missing arrays");
    memset(out, 0, sizeof(*out));
    if (ndays > BL_FC_MAX_DAYS)
        return bl_diag_set(d, BL_EINVAL, "%zu days of history: at most %d are supported", ndays,
                           BL_FC_MAX_DAYS);
    for (size_t k = 0; k < n; k++)
        if (!s[k].units && s[k].n)
            return bl_diag_set(d, BL_EINVAL, "series %zu has no units", k);
    for (int k = 0; k < 7; k++)
        out->weekday[k] = 1;
    out->closed = closed;
    out->first_day = first_day;
    out->ndays = ndays;
    if (!ndays)
        return BL_OK;
    memset(scratch, 0, (ndays + 1) * sizeof(*scratch));
    for (size_t k = 0; k < n; k++)
        add_silence(&s[k], first_day, ndays, scratch);
    sold_to_closed(closed, scratch, mark_sold(s, n, first_day, ndays, closed), first_day, ndays);
    double acc[7] = {0}, w = 0;
    for (size_t k = 0; k < n; k++)
        w += add_shape(&s[k], out, acc);
    if (w > 0) {
        for (int k = 0; k < 7; k++)
            out->weekday[k] = acc[k] / w;
        to_mean_one(out->weekday);
        out->weeks = w;
    }
    return BL_OK;
}

/* Marks the shop's closed days of p unobserved (before events and the nobs fallback). */
void bl__fc_shop_closed(struct bl__fc_prep *p, const struct bl_fc_shop *sh)
{
    if (!sh || !sh->closed)
        return;
    for (size_t t = 0; t < p->n; t++) {
        int64_t d = p->day0 + (int64_t)t - sh->first_day;
        if (d >= 0 && d < (int64_t)sh->ndays && sh->closed[d] && p->obs[t]) {
            p->obs[t] = false;
            p->nobs--;
            p->closed++;
        }
    }
}

/* p->prof: the shop's profile (flat without one) shrunk toward the SKU's own shape,
 * weekday by weekday, by the SKU's observed days of that weekday. */
void bl__fc_shop_profile(struct bl__fc_prep *p, const struct bl_fc_shop *sh)
{
    double sum[7] = {0}, all = 0;
    size_t cnt[7] = {0}, nall = 0;
    int k = bl_weekday(p->day0);
    for (size_t t = 0; t < p->n; t++, k = k == 6 ? 0 : k + 1)
        if (p->obs[t]) {
            sum[k] += p->y[t];
            cnt[k]++;
            all += p->y[t];
            nall++;
        }
    double mean = nall ? all / (double)nall : 0;
    for (k = 0; k < 7; k++) {
        double pool = sh && sh->weeks > 0 ? sh->weekday[k] : 1.0;
        double own = cnt[k] && mean > 0 ? sum[k] / (double)cnt[k] / mean : pool;
        p->prof[k] = ((double)cnt[k] * own + SHRINK_DAYS * pool) / ((double)cnt[k] + SHRINK_DAYS);
    }
    to_mean_one(p->prof);
    if (!(p->prof[0] + p->prof[1] + p->prof[2] + p->prof[3] + p->prof[4] + p->prof[5] +
          p->prof[6] > 0))
        for (k = 0; k < 7; k++)
            p->prof[k] = 1;
}

/* ---- event uplifts pooled over the shop's SKUs ------------------------------------ */

/* SKUs read for the pooled uplifts (evenly spaced over the shop's). */
#define EVENT_SAMPLE 1024

/* Adds the SKU's own event sums (p->evsum) to sh->events; a name not there yet is
 * appended while there is room. */
static void add_event_sums(struct bl_fc_shop *sh, const struct bl__fc_prep *p)
{
    for (size_t i = 0; i < p->nevsum; i++) {
        const struct bl_fc_shop_event *e = &p->evsum[i];
        if (!(e->baseline > 0))
            continue;
        size_t j = 0;
        while (j < sh->nevents && !bl_str_eq(sh->events[j].name, e->name))
            j++;
        if (j == BL_FC_SHOP_EVENTS)
            continue;
        if (j == sh->nevents)
            sh->events[sh->nevents++] = (struct bl_fc_shop_event){e->name, 0, 0, 0};
        sh->events[j].actual += e->actual;
        sh->events[j].baseline += e->baseline;
        sh->events[j].skus++;
    }
}

int bl_fc_shop_events(const struct bl_fc_series *s, size_t n, const struct bl_fc_opts *o,
                      struct bl_fc_shop *sh, struct bl_diag *d)
{
    if (!sh || !o || (!s && n))
        return bl_diag_set(d, BL_EINVAL, "missing arrays");
    sh->nevents = 0;
    if (!o->nevents || !o->events)
        return BL_OK;
    struct bl_fc_shop base = *sh; /* its closed days; no pooled uplift: each SKU's own */
    struct bl_fc_opts so = *o;
    so.shop = &base;
    size_t step = n > EVENT_SAMPLE ? n / EVENT_SAMPLE : 1;
    for (size_t k = 0; k < n; k += step) {
        struct bl_arena a = BL_ARENA_INIT;
        struct bl__fc_prep p;
        int rc = bl__fc_prepare(&s[k], &so, 1, &a, &p, d);
        if (!rc)
            add_event_sums(sh, &p);
        bl_arena_release(&a);
        if (rc)
            return rc;
    }
    return BL_OK;
}
