/* forecast.c - the forecasting models: preparation of a series (leading zeros,
 * censoring, event uplifts), fitting, point forecasts and bootstrap quantiles.
 *
 * See include/ballast/forecast.h for the contract and docs/internals/forecast.md
 * for the equations. Selection and accuracy are in forecast_select.c. Pure: every
 * buffer comes from the caller's arena.
 */
#include "engine/forecast_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ballast/time.h"

static const char *const model_names[BL_FC_NMODELS] = {
    "auto", "snaive", "ses", "damped", "ets_seasonal", "croston", "sba", "tsb", "combo", "profile",
};

const char *bl_fc_model_name(enum bl_fc_model m)
{
    return (unsigned)m < BL_FC_NMODELS ? model_names[m] : "?";
}

int bl_fc_model_parse(struct bl_str s, enum bl_fc_model *out, struct bl_diag *d)
{
    for (int i = 0; i < BL_FC_NMODELS; i++)
        if (bl_str_eq_c(s, model_names[i])) {
            *out = (enum bl_fc_model)i;
            return BL_OK;
        }
    return bl_diag_set(d, BL_EINVAL,
                       "unknown model '%.*s': expected auto, snaive, ses, damped, ets_seasonal, "
                       "croston, sba, tsb, combo or profile",
                       (int)(s.len > 40 ? 40 : s.len), s.ptr);
}

void bl_fc_opts_init(struct bl_fc_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->model = BL_FC_AUTO;
    o->horizon = 28;
    o->seed = 1;
}

void *bl__fc_alloc(struct bl_arena *a, size_t count, size_t size)
{
    size_t n;
    if (__builtin_mul_overflow(count, size, &n))
        return NULL;
    void *p = bl_arena_alloc(a, n ? n : 1);
    if (p)
        memset(p, 0, n);
    return p;
}

/* ---- preparation ----------------------------------------------------------------- */

/* Days of history the models are fitted on: 56 weeks, the 24 weekly origins and their
 * 28-day window with 28 weeks of fitting before the first. Older days weigh at most
 * (1 - 0.005)^392 = 14% even in the slowest smoothing of the grids and no model has a
 * yearly season; the events learn their uplifts from the whole history before the cut,
 * and the shop's profile is learnt from every day. Half the work on two years. */
#define FIT_DAYS 392

#define BASELINE_DAYS 28
#define BASELINE_MIN 7
/* Units of baseline that the shop's pooled uplift weighs in a SKU's own (a SKU whose
 * event days were expected to sell 10 units is half its own, half the shop's). */
#define EVENT_PRIOR_UNITS 10.0

static int cmp_event(const void *x, const void *y)
{
    const struct bl_fc_event *a = *(const struct bl_fc_event *const *)x;
    const struct bl_fc_event *b = *(const struct bl_fc_event *const *)y;
    size_t n = a->name.len < b->name.len ? a->name.len : b->name.len;
    int c = n ? memcmp(a->name.ptr, b->name.ptr, n) : 0;
    if (c || a->name.len != b->name.len)
        return c ? c : (a->name.len < b->name.len ? -1 : 1);
    return (a->day > b->day) - (a->day < b->day);
}

/* The next space-separated code of *s (advanced past it), or length 0 at the end. */
static struct bl_str next_code(struct bl_str *s)
{
    size_t i = 0;
    while (i < s->len && s->ptr[i] == ' ')
        i++;
    size_t j = i;
    while (j < s->len && s->ptr[j] != ' ')
        j++;
    struct bl_str code = {s->ptr + i, j - i};
    s->ptr += j;
    s->len -= j;
    return code;
}

bool bl_fc_event_applies(const struct bl_fc_event *e, struct bl_str market)
{
    struct bl_str region = e->region, m = market;
    struct bl_str first = next_code(&region);
    if (!first.len || bl_str_eq_c(first, "global") || !next_code(&m).len)
        return true;
    for (struct bl_str r = e->region, rc; (rc = next_code(&r)).len;)
        for (struct bl_str mm = market, mc; (mc = next_code(&mm)).len;)
            if (bl_str_eq(rc, mc))
                return true;
    return false;
}

struct bl_str bl_fc_currency_market(struct bl_str c)
{
    for (size_t i = 0; i < c.len; i++)
        if (!(c.ptr[i] >= 'A' && c.ptr[i] <= 'Z'))
            return (struct bl_str){"", 0};
    if (c.len != 3 || c.ptr[0] == 'X')
        return (struct bl_str){"", 0};
    if (bl_str_eq_c(c, "EUR"))
        return (struct bl_str){"EU", 2};
    return (struct bl_str){c.ptr, 2};
}

/* Drops the days before the last FIT_DAYS of p (after the events were learnt on all). */
static void keep_recent(struct bl__fc_prep *p)
{
    if (p->n <= FIT_DAYS)
        return;
    size_t cut = p->n - FIT_DAYS;
    for (size_t t = 0; t < cut; t++)
        p->nobs -= p->obs[t]; /* censored still counts the whole history's stock-outs */
    p->y += cut;
    p->obs += cut;
    p->n = FIT_DAYS;
    p->day0 += (int64_t)cut;
}

/* The events of one name from ev[0] (days ascending, the last one at end or later) reach
 * the horizon without a learnt uplift: counted, and their first day there kept when it is
 * the earliest such day. */
static void note_unseen(struct bl__fc_prep *p, const struct bl_fc_event *const *ev, int64_t end)
{
    size_t i = 0;
    while (ev[i]->day < end)
        i++;
    if (++p->unseen == 1 || ev[i]->day < p->unseen_day) {
        p->unseen_name = ev[i]->name;
        p->unseen_day = ev[i]->day;
    }
}

/* The shop's pooled sums for name, or NULL. */
static const struct bl_fc_shop_event *shop_event(const struct bl_fc_shop *sh, struct bl_str name)
{
    for (size_t i = 0; sh && i < sh->nevents && i < BL_FC_SHOP_EVENTS; i++)
        if (bl_str_eq(sh->events[i].name, name))
            return &sh->events[i];
    return NULL;
}

/* The SKU's own sums over its occurrences (actual, baseline) shrunk toward the shop's
 * uplift when the shop has one; 1 when neither saw the event. */
static double uplift_of(const struct bl_fc_shop_event *se, double actual, double baseline)
{
    if (se && se->baseline > 0)
        return (actual + EVENT_PRIOR_UNITS * se->actual / se->baseline) /
               (baseline + EVENT_PRIOR_UNITS);
    return baseline > 0 ? actual / baseline : 1.0;
}

/* Sums of y on the event days [g, next) of one name (days ascending) inside p's history
 * and of their baselines: the mean of the regular days among the BASELINE_DAYS before
 * (BASELINE_MIN of them at least), into *actual and *baseline. */
static void event_sums(const struct bl__fc_prep *p, const struct bl_fc_event *const *ev, size_t g,
                       size_t next, const bool *is_event, double *actual, double *baseline)
{
    int64_t end = p->day0 + (int64_t)p->n;
    *actual = *baseline = 0;
    for (size_t i = g; i < next; i++) {
        int64_t day = ev[i]->day;
        if (day >= end || (i > g && day == ev[i - 1]->day) || !p->obs[day - p->day0])
            continue;
        size_t t = (size_t)(day - p->day0), used = 0;
        double sum = 0;
        for (size_t k = 1; k <= BASELINE_DAYS && k <= t; k++)
            if (p->obs[t - k] && !is_event[t - k]) {
                sum += p->y[t - k];
                used++;
            }
        if (used >= BASELINE_MIN) {
            *actual += p->y[t];
            *baseline += sum / (double)used;
        }
    }
}

/* Uplift of each event name learnt on p's history, shrunk toward the shop's; marks event
 * days unobserved and sets the multipliers of future event days; p->evsum the SKU's own
 * sums. Only events inside the history or the horizon matter; they are sorted by (name,
 * day) so that names group and repeated rows count once, in O(E log E). */
static int learn_events(struct bl__fc_prep *p, const struct bl_fc_opts *o, struct bl_str market,
                        struct bl_arena *a)
{
    if (!o->nevents || !o->events)
        return BL_OK;
    int64_t end = p->day0 + (int64_t)p->n, last = end + (int64_t)p->h;
    size_t ne = 0;
    for (size_t i = 0; i < o->nevents; i++)
        ne += o->events[i].day >= p->day0 && o->events[i].day < last &&
              bl_fc_event_applies(&o->events[i], market);
    if (!ne)
        return BL_OK;
    const struct bl_fc_event **ev = bl__fc_alloc(a, ne, sizeof(*ev));
    bool *is_event = bl__fc_alloc(a, p->n ? p->n : 1, sizeof(bool));
    p->evsum = bl__fc_alloc(a, ne, sizeof(*p->evsum));
    if (!ev || !is_event || !p->evsum)
        return BL_ENOMEM;
    ne = 0;
    for (size_t i = 0; i < o->nevents; i++)
        if (o->events[i].day >= p->day0 && o->events[i].day < last &&
            bl_fc_event_applies(&o->events[i], market))
            ev[ne++] = &o->events[i];
    qsort(ev, ne, sizeof(*ev), cmp_event);
    for (size_t i = 0; i < ne; i++)
        if (ev[i]->day < end)
            is_event[ev[i]->day - p->day0] = true;
    for (size_t g = 0; g < ne;) {
        size_t next = g + 1; /* [g, next) is one name, days ascending */
        while (next < ne && bl_str_eq(ev[next]->name, ev[g]->name))
            next++;
        double num, den;
        event_sums(p, ev, g, next, is_event, &num, &den);
        const struct bl_fc_shop_event *se = shop_event(p->shop, ev[g]->name);
        double uplift = uplift_of(se, num, den);
        p->evsum[p->nevsum++] = (struct bl_fc_shop_event){ev[g]->name, num, den, den > 0};
        for (size_t i = g; i < next; i++)
            if (ev[i]->day >= end && !(i > g && ev[i]->day == ev[i - 1]->day))
                p->mult[ev[i]->day - end] *= uplift;
        if (!(den > 0) && !(se && se->baseline > 0) && ev[next - 1]->day >= end)
            note_unseen(p, ev + g, end);
        g = next;
    }
    for (size_t t = 0; t < p->n; t++)
        if (is_event[t] && p->obs[t]) {
            p->obs[t] = false;
            p->nobs--;
            p->nevent_days++;
        }
    return BL_OK;
}

int bl__fc_prepare(const struct bl_fc_series *s, const struct bl_fc_opts *o, size_t h,
                   struct bl_arena *a, struct bl__fc_prep *p, struct bl_diag *d)
{
    memset(p, 0, sizeof(*p));
    if (!s || (!s->units && s->n))
        return bl_diag_set(d, BL_EINVAL, "no series given");
    if (s->n > BL_FC_MAX_DAYS)
        return bl_diag_set(d, BL_EINVAL, "%zu days of history: at most %d are supported", s->n,
                           BL_FC_MAX_DAYS);
    if (h < 1 || h > BL_FC_MAX_HORIZON)
        return bl_diag_set(d, BL_EINVAL, "horizon %zu: expected 1 to %d days", h,
                           BL_FC_MAX_HORIZON);
    if (s->first_day < -4000000 || s->first_day > 4000000)
        return bl_diag_set(d, BL_EINVAL, "first day %lld is out of range", (long long)s->first_day);
    size_t start = s->n;
    for (size_t i = 0; i < s->n; i++) {
        double u = s->units[i];
        if (!isfinite(u) || u < 0) {
            char day[BL_ISO_MAX];
            return bl_diag_set(d, BL_EINVAL, "%s: %g units: expected a finite number >= 0",
                               bl_date_format(s->first_day + (int64_t)i, day), u);
        }
        if (u > 0 && start == s->n)
            start = i;
    }
    p->h = h;
    p->day0 = s->first_day + (int64_t)start;
    p->n = s->n - start;
    p->mult = bl__fc_alloc(a, h, sizeof(double));
    p->y = bl__fc_alloc(a, p->n ? p->n : 1, sizeof(double));
    p->obs = bl__fc_alloc(a, p->n ? p->n : 1, sizeof(bool));
    if (!p->mult || !p->y || !p->obs)
        return bl_diag_set(d, BL_ENOMEM, "out of memory for the forecast");
    p->future_day0 = s->first_day + (int64_t)s->n;
    for (size_t j = 0; j < h; j++)
        p->mult[j] = 1.0;
    for (size_t t = 0; t < p->n; t++) {
        p->y[t] = s->units[start + t];
        p->obs[t] = !s->in_stock || s->in_stock[start + t];
        p->nobs += p->obs[t];
    }
    p->censored = p->n - p->nobs;
    p->shop = o->shop;
    bl__fc_shop_closed(p, o->shop);
    /* Events are looked up relative to the end of the full series (trailing days
     * after the last sale are history too). */
    if (learn_events(p, o, s->market, a))
        return bl_diag_set(d, BL_ENOMEM, "out of memory for the forecast");
    keep_recent(p);
    if (p->nobs == 0) /* every day censored: lower bounds are better than nothing */
        for (size_t t = 0; t < p->n; t++) {
            p->obs[t] = true;
            p->nobs++;
        }
    size_t first = p->n, last = 0;
    for (size_t t = 0; t < p->n; t++)
        if (p->obs[t] && p->y[t] > 0) {
            p->nnz++;
            p->size_sum += p->y[t];
            first = first < t ? first : t;
            last = t;
        }
    for (size_t t = first + 1; t <= last && t < p->n; t++)
        p->span += p->obs[t]; /* observed days between the first and last demand */
    bl__fc_shop_profile(p, o->shop);
    return BL_OK;
}

/* ---- exponential smoothing (additive errors) -------------------------------------- */

static int weekday_at(const struct bl__fc_prep *p, size_t t)
{
    return bl_weekday(p->day0 + (int64_t)t);
}

static double mean_obs(const struct bl__fc_prep *p, size_t from, size_t to, size_t *count)
{
    double sum = 0;
    size_t c = 0;
    for (size_t t = from; t < to && t < p->n; t++)
        if (p->obs[t]) {
            sum += p->y[t];
            c++;
        }
    if (count)
        *count = c;
    return c ? sum / (double)c : 0;
}

/* Initial states from the first weeks: level = mean of the first week (two when
 * seasonal), trend = difference of the first two weekly means / 7, seasonal
 * indices = mean deviation per weekday over the first four weeks, summing to 0. */
void bl__fc_ets_init(struct bl__fc_fit *f, const struct bl__fc_prep *p)
{
    size_t c1, c2;
    f->l = mean_obs(p, 0, f->season ? 14 : 7, &c1);
    if (!c1)
        f->l = mean_obs(p, 0, p->n, NULL);
    f->b = 0;
    if (f->trend && p->n >= 14) {
        double m1 = mean_obs(p, 0, 7, &c1), m2 = mean_obs(p, 7, 14, &c2);
        if (c1 && c2)
            f->b = (m2 - m1) / 7.0;
    }
    memset(f->s, 0, sizeof(f->s));
    if (f->season) {
        double sum[7] = {0}, mean = 0;
        size_t cnt[7] = {0};
        for (size_t t = 0; t < 28 && t < p->n; t++)
            if (p->obs[t]) {
                int k = weekday_at(p, t);
                sum[k] += p->y[t] - f->l;
                cnt[k]++;
            }
        for (int k = 0; k < 7; k++) {
            f->s[k] = cnt[k] ? sum[k] / (double)cnt[k] : 0;
            mean += f->s[k] / 7.0;
        }
        for (int k = 0; k < 7; k++)
            f->s[k] -= mean;
    }
}

/* Runs the filter with f's parameters over the history; returns the sum of squared
 * one-step errors over observed days and leaves the final states in f. Unobserved
 * days (stock-outs, events) advance the states without an update. */
static double ets_run(struct bl__fc_fit *f, const struct bl__fc_prep *p, double *resid)
{
    bl__fc_ets_init(f, p);
    double sse = 0, phi = f->trend ? f->phi : 0;
    size_t r = 0;
    int k = weekday_at(p, 0);
    for (size_t t = 0; t < p->n; t++, k = k == 6 ? 0 : k + 1) {
        double base = f->l + phi * f->b;
        double fc = base + f->s[k];
        if (p->obs[t]) {
            double e = p->y[t] - fc;
            sse += e * e;
            if (resid)
                resid[r++] = e;
            f->l = base + f->alpha * e;
            f->b = phi * f->b + f->beta * e;
            f->s[k] += f->gamma * e;
        } else {
            f->l = base;
            f->b = phi * f->b;
        }
    }
    f->nresid = r;
    return sse;
}

/* ---- intermittent demand ------------------------------------------------------------ */

/* Croston/SBA (tsb false) or TSB: one pass with smoothing constants alpha (size)
 * and beta (interval or probability); returns the in-sample SSE of the one-step
 * forecast. Sizes and intervals start at their history means, so a perfectly
 * regular series is forecast exactly from the first day. */
static double croston_run(struct bl__fc_fit *f, const struct bl__fc_prep *p, double *resid)
{
    double factor = f->model == BL_FC_SBA ? 1 - f->alpha / 2 : 1;
    f->z = p->nnz ? p->size_sum / (double)p->nnz : 0;
    f->q = p->nnz > 1 ? p->span / (double)(p->nnz - 1) : (double)p->nobs; /* mean interval */
    f->prob = p->nnz ? (double)p->nnz / (double)p->nobs : 0;
    double sse = 0, since = 0;
    bool seen = false;
    size_t r = 0;
    for (size_t t = 0; t < p->n; t++) {
        if (!p->obs[t])
            continue;
        double y = p->y[t];
        double fc = f->model == BL_FC_TSB ? f->prob * f->z : factor * f->z / f->q;
        double e = y - fc;
        sse += e * e;
        if (resid)
            resid[r++] = e;
        since += 1;
        if (f->model == BL_FC_TSB) {
            f->prob += f->beta * ((y > 0) - f->prob);
            if (y > 0)
                f->z += f->alpha * (y - f->z);
        } else if (y > 0) {
            f->z += f->alpha * (y - f->z);
            if (seen)
                f->q += f->alpha * (since - f->q);
            seen = true;
            since = 0;
        }
    }
    f->nresid = r;
    return sse;
}

/* ---- fitting and point forecasts --------------------------------------------------- */

int bl__fc_finish(struct bl__fc_fit *f, const struct bl__fc_prep *p, struct bl_arena *a)
{
    f->resid = bl__fc_alloc(a, p->n ? p->n : 1, sizeof(double));
    if (!f->resid)
        return BL_ENOMEM;
    switch (f->model) {
    case BL_FC_SES:
    case BL_FC_DAMPED:
    case BL_FC_ETS_SEASONAL:
        f->sse = ets_run(f, p, f->resid); /* the grid's parameters (forecast_pass.c) */
        break;
    case BL_FC_CROSTON:
    case BL_FC_SBA:
    case BL_FC_TSB:
        f->sse = croston_run(f, p, f->resid);
        break;
    case BL_FC_PROFILE:
        f->sse = bl__fc_profile_run(f, p, f->resid);
        break;
    case BL_FC_SNAIVE: {
        double sse = 0;
        size_t r = 0;
        for (size_t t = 7; t < p->n; t++)
            if (p->obs[t] && p->obs[t - 7]) {
                double e = p->y[t] - p->y[t - 7];
                f->resid[r++] = e;
                sse += e * e;
            }
        f->nresid = r;
        f->sse = sse;
        break;
    }
    default:
        return BL_EINVAL;
    }
    f->sigma = f->nresid ? sqrt(f->sse / (double)f->nresid) : 0;
    return BL_OK;
}

int bl__fc_fit(struct bl__fc_fit *f, enum bl_fc_model m, const struct bl__fc_prep *p,
               struct bl_arena *a)
{
    memset(f, 0, sizeof(*f));
    if ((unsigned)m >= BL_FC_NMODELS || !(BL__FC_SINGLES & (1u << m)))
        return BL_EINVAL;
    struct bl__fc_pass *ps = bl__fc_pass_new(a);
    if (!ps)
        return BL_ENOMEM;
    ps->mask = 1u << m;
    bl__fc_pass_run(ps, p);
    *f = ps->fin[m];
    return bl__fc_finish(f, p, a);
}

/* The last observed value at index t - 7k (k >= 1 as needed), or the observed mean. */
static double snaive_at(const struct bl__fc_prep *p, size_t t)
{
    while (t >= 7) {
        t -= 7;
        if (t < p->n && p->obs[t])
            return p->y[t];
    }
    return mean_obs(p, 0, p->n, NULL);
}

/* Point forecast of the j-th future day (0-based), before clipping and uplifts. */
double bl__fc_point_raw(const struct bl__fc_fit *f, const struct bl__fc_prep *p, size_t j)
{
    switch (f->model) {
    case BL_FC_SNAIVE:
        return snaive_at(p, p->n + j);
    case BL_FC_SES:
    case BL_FC_DAMPED:
    case BL_FC_ETS_SEASONAL: {
        double damp = 0, pw = 1;
        if (f->trend)
            for (size_t i = 0; i <= j; i++) {
                pw *= f->phi;
                damp += pw;
            }
        return f->l + damp * f->b + f->s[weekday_at(p, p->n + j)];
    }
    case BL_FC_CROSTON:
        return f->q > 0 ? f->z / f->q : 0;
    case BL_FC_SBA:
        return f->q > 0 ? (1 - f->alpha / 2) * f->z / f->q : 0;
    case BL_FC_TSB:
        return f->prob * f->z;
    case BL_FC_PROFILE:
        return (f->l + f->b) * f->prof[weekday_at(p, p->n + j)]; /* level + excess */
    default:
        return 0;
    }
}

void bl__fc_path(const struct bl__fc_fit *f, const struct bl__fc_prep *p, size_t k, double *out)
{
    int wd = weekday_at(p, p->n);
    double damp = 0, pw = 1;
    for (size_t j = 0; j < k; j++, wd = wd == 6 ? 0 : wd + 1) {
        double v;
        switch (f->model) {
        case BL_FC_SES:
        case BL_FC_DAMPED:
        case BL_FC_ETS_SEASONAL:
            pw *= f->trend ? f->phi : 0;
            damp += pw;
            v = f->l + damp * f->b + f->s[wd];
            break;
        case BL_FC_PROFILE:
            v = (f->l + f->b) * f->prof[wd];
            break;
        default:
            v = bl__fc_point_raw(f, p, j);
        }
        out[j] = v > 0 ? v : 0;
    }
}

/* ---- bootstrap paths ---------------------------------------------------------------- */

uint64_t bl__fc_rand(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15u); /* splitmix64 */
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static double draw(const double *v, size_t n, uint64_t *rng)
{
    return n ? v[bl__fc_rand(rng) % n] : 0;
}

/* Fills paths[i*h + j] (nsims paths of h days) by running the model forward with
 * resampled one-step errors; intermittent models draw occurrence and size. Values
 * are clipped at zero and multiplied by the event uplifts. */
void bl__fc_simulate(const struct bl__fc_fit *f, const struct bl__fc_prep *p, size_t h,
                     size_t nsims, uint64_t *rng, double *sizes, double *paths)
{
    size_t nsz = 0;
    for (size_t t = 0; t < p->n; t++)
        if (p->obs[t] && p->y[t] > 0)
            sizes[nsz++] = p->y[t];
    double size_mean = nsz ? p->size_sum / (double)nsz : 0;
    for (size_t i = 0; i < nsims; i++) {
        double *y = paths + i * h;
        if (f->model == BL_FC_SNAIVE) {
            for (size_t j = 0; j < h; j++)
                y[j] =
                    (j < 7 ? bl__fc_point_raw(f, p, j) : y[j - 7]) + draw(f->resid, f->nresid, rng);
        } else if (f->model == BL_FC_CROSTON || f->model == BL_FC_SBA || f->model == BL_FC_TSB) {
            double prob = f->model == BL_FC_TSB ? f->prob : (f->q > 0 ? 1 / f->q : 0);
            double mean = bl__fc_point_raw(f, p, 0);
            double size = prob > 0 ? mean / prob : 0;
            for (size_t j = 0; j < h; j++) {
                double u = (double)(bl__fc_rand(rng) >> 11) * 0x1p-53;
                y[j] = u < prob && size_mean > 0 ? size * draw(sizes, nsz, rng) / size_mean : 0;
            }
        } else if (f->model == BL_FC_PROFILE) {
            double l = f->l + f->b;
            int k = weekday_at(p, p->n);
            for (size_t j = 0; j < h; j++, k = k == 6 ? 0 : k + 1) {
                double e = f->prof[k] * draw(f->resid, f->nresid, rng);
                y[j] = f->prof[k] * l + e;
                l += f->alpha * f->prof[k] * e;
            }
        } else {
            double l = f->l, b = f->b, s[7], phi = f->trend ? f->phi : 0;
            memcpy(s, f->s, sizeof(s));
            int k = weekday_at(p, p->n);
            for (size_t j = 0; j < h; j++, k = k == 6 ? 0 : k + 1) {
                double base = l + phi * b;
                double e = draw(f->resid, f->nresid, rng);
                y[j] = base + s[k] + e;
                l = base + f->alpha * e;
                b = phi * b + f->beta * e;
                s[k] += f->gamma * e;
            }
        }
        for (size_t j = 0; j < h; j++)
            y[j] = (y[j] > 0 ? y[j] : 0) * p->mult[j];
    }
}
