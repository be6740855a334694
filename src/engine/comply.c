/* comply.c - tax thresholds: each jurisdiction's running totals over a seller's orders,
 * in one pass (comply.h, docs/internals/comply.md). Pure: no I/O, no clock. */
#include "ballast/comply.h"

#include <string.h>

#include "ballast/alloc.h"
#include "ballast/money.h"
#include "ballast/time.h"

const char *const bl_comply_periods[4] = {"calendar_year", "current_or_previous_year",
                                          "previous_year", "twelve_months"};
const char *const bl_comply_statuses[4] = {"under", "near", "over", "next_year"};

/* A day's sales in a twelve-month window: a ring of the days that had some. */
struct day_sum {
    int64_t day, amount, count;
};

struct acc {
    struct day_sum *q;
    size_t cap, head, len;
};

/* How one currency becomes a target one: the rows of the direct and the inverse pair. */
struct pair {
    bool same;               /* the same currency: nothing to convert */
    size_t d_lo, d_hi, d_at; /* direct rows [lo, hi), cursor */
    size_t i_lo, i_hi, i_at; /* inverse rows */
};

struct run {
    const struct bl_comply_in *in;
    struct bl_comply_res *res;
    struct acc *acc;              /* per state */
    size_t nacc;
    uint32_t *match, *match_at;   /* CSR: the rules covering each destination */
    uint32_t *match_reg;          /* and which of the rule's regions covers it */
    size_t nmatch, capmatch, capreg, ndests, ncurs; /* the dests and curs set up so far */
    char (*targets)[4];           /* the rules' currencies */
    size_t ntargets;
    uint32_t *rule_target;        /* each rule's target index */
    struct pair *pairs;           /* [cur * ntargets + target] */
    int64_t *conv;                /* this order's amount per target (INT64_MIN: not yet) */
    int64_t asof_day, year_from, prev_from, window_from;
    int64_t seen, last; /* orders fed so far; the last one's instant */
    bool past;          /* an order after the as-of was fed: the rest are not read */
};

/* A streamed pass: the run and the result it fills. */
struct bl_comply_pass {
    struct run x;
    struct bl_comply_res res;
};

/* value / of in basis points, at most INT64_MAX. */
static int64_t bp(int64_t value, int64_t of)
{
    __int128 x = (__int128)(value > 0 ? value : 0) * 10000 / (of > 0 ? of : 1);
    return x > INT64_MAX ? INT64_MAX : (int64_t)x;
}

int64_t bl_comply_progress_bp(const struct bl_comply_rule *r, int64_t amount, int64_t count)
{
    int64_t a = -1, c = -1;
    if (r->amount.set)
        a = bp(amount, r->amount.value);
    if (r->count.set)
        c = bp(count, r->count.value);
    if (a < 0)
        return c;
    if (c < 0)
        return a;
    return r->both ? (a < c ? a : c) : (a > c ? a : c);
}

/* Whether value reaches pct percent of test. */
static bool reaches(const struct bl_comply_test *t, int64_t value, int pct)
{
    __int128 v = (__int128)value * 100, lim = (__int128)t->value * pct;
    return t->or_equal ? v >= lim : v > lim;
}

static bool level(const struct bl_comply_rule *r, int64_t amount, int64_t count, int pct)
{
    bool a = r->amount.set && reaches(&r->amount, amount, pct);
    bool c = r->count.set && reaches(&r->count, count, pct);
    if (r->amount.set && r->count.set)
        return r->both ? a && c : a || c;
    return r->amount.set ? a : c;
}

/* The first day of the twelve months ending on day: the day after the same date a year
 * before (the 28th of February standing for a 29th). */
static int64_t window_start(int64_t day)
{
    int y, m, d;
    bl_civil_from_days(day, &y, &m, &d);
    if (m == 2 && d == 29)
        d = 28;
    return bl_days_from_civil(y - 1, m, d) + 1;
}

static int64_t day_of(int64_t t)
{
    return t >= 0 ? t / BL_DAY_SECS : -((-t + BL_DAY_SECS - 1) / BL_DAY_SECS);
}

/* The order being read: its day, its place in the stream, its ref. */
struct cur_order {
    int64_t day, order, ref;
};

static void cross(struct bl_comply_cross *c, const struct cur_order *o, int64_t amount,
                  int64_t count)
{
    *c = (struct bl_comply_cross){o->day, o->order, o->ref, amount, count};
}

/* Adds one order to a total and notes the levels it crosses. */
static int add(const struct bl_comply_rule *r, struct bl_comply_total *t, const struct cur_order *o,
               int64_t amount)
{
    if (bl_money_add(t->amount, amount, &t->amount) || bl_money_add(t->count, 1, &t->count))
        return BL_EOVERFLOW;
    if (t->near.day < 0 && level(r, t->amount, t->count, 80))
        cross(&t->near, o, t->amount, t->count);
    if (t->over.day < 0 && level(r, t->amount, t->count, 100))
        cross(&t->over, o, t->amount, t->count);
    return BL_OK;
}

static void unset(struct bl_comply_total *t, int64_t from, int64_t to)
{
    memset(t, 0, sizeof(*t));
    t->from = from;
    t->to = to;
    t->near.day = t->over.day = -1;
}

/* ---- the twelve months: the days drop out as the window moves on ------------------- */

static void expire(const struct bl_comply_rule *r, struct acc *a, struct bl_comply_total *w,
                   int64_t from)
{
    bool dropped = false;
    while (a->len && a->q[a->head].day < from) {
        w->amount -= a->q[a->head].amount;
        w->count -= a->q[a->head].count;
        a->head = (a->head + 1) % a->cap;
        a->len--;
        dropped = true;
    }
    if (!dropped)
        return;
    if (!level(r, w->amount, w->count, 80))
        w->near.day = -1; /* fell back below: a later rise is a new crossing */
    if (!level(r, w->amount, w->count, 100))
        w->over.day = -1;
}

static int push(struct acc *a, int64_t day, int64_t amount)
{
    if (a->len && a->q[(a->head + a->len - 1) % a->cap].day == day) {
        struct day_sum *s = &a->q[(a->head + a->len - 1) % a->cap];
        s->amount += amount; /* the window's total holds it: no overflow here */
        s->count++;
        return BL_OK;
    }
    if (a->len == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 16;
        struct day_sum *q = bl_calloc(cap, sizeof(*q));
        if (!q)
            return BL_ENOMEM;
        for (size_t i = 0; i < a->len; i++)
            q[i] = a->q[(a->head + i) % a->cap];
        bl_free(a->q);
        a->q = q;
        a->cap = cap;
        a->head = 0;
    }
    a->q[(a->head + a->len) % a->cap] = (struct day_sum){day, amount, 1};
    a->len++;
    return BL_OK;
}

/* ---- currency ---------------------------------------------------------------------- */

static size_t target_of(struct run *x, const char *cur)
{
    for (size_t i = 0; i < x->ntargets; i++)
        if (strcmp(x->targets[i], cur) == 0)
            return i;
    memcpy(x->targets[x->ntargets], cur, 4);
    return x->ntargets++;
}

static int64_t cur_index(const struct bl_comply_in *in, const char *code)
{
    for (size_t i = 0; i < in->ncurs; i++)
        if (strcmp(in->curs[i].code, code) == 0)
            return (int64_t)i;
    return -1;
}

/* The rows of fx from -> to: [*lo, *hi). */
static void rows(const struct bl_comply_in *in, uint32_t from, const char *to, size_t *lo,
                 size_t *hi)
{
    size_t i = 0;
    while (i < in->nfx && !(in->fx[i].from == from && strcmp(in->fx[i].to, to) == 0))
        i++;
    *lo = i;
    while (i < in->nfx && in->fx[i].from == from && strcmp(in->fx[i].to, to) == 0)
        i++;
    *hi = i;
}

/* The pairs of the currencies added since the last call. */
static int pairs_extend(struct run *x)
{
    const struct bl_comply_in *in = x->in;
    if (in->ncurs <= x->ncurs)
        return BL_OK;
    struct pair *pairs = bl_realloc(x->pairs, (in->ncurs * x->ntargets + 1) * sizeof(*pairs));
    if (!pairs)
        return BL_ENOMEM;
    x->pairs = pairs;
    for (size_t c = x->ncurs; c < in->ncurs; c++)
        for (size_t t = 0; t < x->ntargets; t++) {
            struct pair *p = &x->pairs[c * x->ntargets + t];
            p->same = strcmp(in->curs[c].code, x->targets[t]) == 0;
            rows(in, (uint32_t)c, x->targets[t], &p->d_lo, &p->d_hi);
            p->d_at = p->d_lo;
            int64_t ti = cur_index(in, x->targets[t]);
            p->i_lo = p->i_hi = 0;
            if (ti >= 0)
                rows(in, (uint32_t)ti, in->curs[c].code, &p->i_lo, &p->i_hi);
            p->i_at = p->i_lo;
        }
    x->ncurs = in->ncurs;
    return BL_OK;
}

/* The row in effect on day among [lo, hi) from *at on (days only grow): NULL if none. */
static const struct bl_comply_fx *in_effect(const struct bl_comply_fx *fx, size_t lo, size_t hi,
                                            size_t *at, int64_t day)
{
    if (lo == hi || fx[lo].day > day)
        return NULL;
    while (*at + 1 < hi && fx[*at + 1].day <= day)
        (*at)++;
    return &fx[*at];
}

static int convert(struct run *x, const struct bl_comply_order *o, int64_t net, int64_t day,
                   const struct bl_comply_rule *r, uint32_t t, int64_t *out)
{
    struct pair *p = &x->pairs[o->cur * x->ntargets + t];
    if (p->same) {
        *out = net;
        return BL_OK;
    }
    if (x->conv[t] != INT64_MIN) {
        *out = x->conv[t];
        return BL_OK;
    }
    const struct bl_comply_cur *c = &x->in->curs[o->cur];
    const struct bl_comply_fx *f = in_effect(x->in->fx, p->d_lo, p->d_hi, &p->d_at, day);
    bool inverse = false;
    if (!f) {
        f = in_effect(x->in->fx, p->i_lo, p->i_hi, &p->i_at, day);
        inverse = true;
    }
    if (!f) {
        if (!x->res->unconverted++) {
            memcpy(x->res->missing_from, c->code, 4);
            memcpy(x->res->missing_to, r->currency, 4);
            x->res->missing_day = day;
        }
        return BL_ENOTFOUND;
    }
    int rc = bl_fx_convert(net, c->exponent, r->exponent, &f->rate, inverse, out);
    if (rc)
        return rc == BL_EINVAL ? BL_EINVAL : BL_EOVERFLOW;
    x->conv[t] = *out;
    return BL_OK;
}

/* ---- setup: which rules cover each destination; the currencies the rules count in --- */

/* The rule's region that covers dest, or -1. */
static int64_t covers(const struct bl_comply_rule *r, const char *dest)
{
    for (size_t i = 0; i < r->nregions; i++)
        if (bl_region_contains(bl_str_c(r->regions[i]), bl_str_c(dest)))
            return (int64_t)i;
    return -1;
}

/* The region of rule k covering interned code ix, or -1. */
static int64_t region_of(const struct run *x, uint32_t ix, uint32_t k)
{
    for (uint32_t m = x->match_at[ix]; m < x->match_at[ix + 1]; m++)
        if (x->match[m] == k)
            return x->match_reg[m];
    return -1;
}

/* The rules covering the destinations added since the last call. */
static int dests_extend(struct run *x)
{
    const struct bl_comply_in *in = x->in;
    if (x->match_at && in->ndests <= x->ndests)
        return BL_OK;
    uint32_t *at = bl_realloc(x->match_at, (in->ndests + 1) * sizeof(uint32_t));
    if (!at)
        return BL_ENOMEM;
    x->match_at = at;
    for (size_t dst = x->ndests; dst < in->ndests; dst++) {
        x->match_at[dst] = (uint32_t)x->nmatch;
        for (size_t k = 0; k < in->rules->n; k++) {
            int64_t reg = in->dests[dst] ? covers(&in->rules->r[k], in->dests[dst]) : -1;
            if (reg < 0)
                continue;
            void *items = x->match;
            if (bl_grow(&items, &x->capmatch, x->nmatch + 1, sizeof(uint32_t)))
                return BL_ENOMEM;
            x->match = items;
            items = x->match_reg;
            if (bl_grow(&items, &x->capreg, x->nmatch + 1, sizeof(uint32_t)))
                return BL_ENOMEM;
            x->match_reg = items;
            x->match_reg[x->nmatch] = (uint32_t)reg;
            x->match[x->nmatch++] = (uint32_t)k;
        }
    }
    x->match_at[in->ndests] = (uint32_t)x->nmatch;
    x->ndests = in->ndests;
    return BL_OK;
}

static int setup(struct run *x)
{
    const struct bl_comply_in *in = x->in;
    size_t nrules = in->rules->n, nstates = nrules * in->ngroups;
    if (in->ngroups && nstates / in->ngroups != nrules)
        return BL_EOVERFLOW;
    x->targets = bl_calloc(nrules + 1, sizeof(*x->targets));
    x->rule_target = bl_calloc(nrules + 1, sizeof(uint32_t));
    x->acc = bl_calloc(nstates + 1, sizeof(struct acc));
    x->nacc = x->acc ? nstates : 0;
    x->res->s = bl_calloc(nstates + 1, sizeof(struct bl_comply_state));
    if (!x->targets || !x->rule_target || !x->acc || !x->res->s)
        return BL_ENOMEM;
    x->res->n = nstates;
    for (size_t k = 0; k < nrules; k++)
        x->rule_target[k] = (uint32_t)target_of(x, in->rules->r[k].currency);
    x->conv = bl_calloc(x->ntargets + 1, sizeof(int64_t));
    if (!x->conv || dests_extend(x) || pairs_extend(x))
        return BL_ENOMEM;
    x->last = INT64_MIN;
    int y, m, d;
    bl_civil_from_days(x->asof_day, &y, &m, &d);
    x->year_from = bl_days_from_civil(y, 1, 1);
    x->prev_from = bl_days_from_civil(y - 1, 1, 1);
    x->window_from = window_start(x->asof_day);
    for (size_t s = 0; s < nstates; s++) {
        struct bl_comply_state *st = &x->res->s[s];
        st->rule = (uint32_t)(s / in->ngroups);
        st->group = (uint32_t)(s % in->ngroups);
        unset(&st->year, x->year_from, x->asof_day);
        unset(&st->prev, x->prev_from, x->year_from - 1);
        unset(&st->window, x->window_from, x->asof_day);
    }
    return BL_OK;
}

/* ---- the pass --------------------------------------------------------------------- */

/* One order into one rule's totals for its seller. */
static int take(struct run *x, const struct bl_comply_order *o, const struct cur_order *c,
                uint32_t k)
{
    int64_t day = c->day;
    const struct bl_comply_rule *r = &x->in->rules->r[k];
    size_t si = (size_t)k * x->in->ngroups + o->group;
    struct bl_comply_state *st = &x->res->s[si];
    bool seen = day >= (x->prev_from < x->window_from ? x->prev_from : x->window_from);
    int64_t net = o->amount - (o->refunded > 0 ? o->refunded : 0);
    if (o->cancelled || net <= 0) {
        st->cancelled += seen;
        return BL_OK;
    }
    int64_t from = region_of(x, o->origin, k);
    if (from >= 0 && from == region_of(x, o->dest, k)) {
        st->domestic += seen;
        return BL_OK;
    }
    int64_t v = 0;
    int rc = convert(x, o, net, day, r, x->rule_target[k], &v);
    if (rc == BL_ENOTFOUND) { /* left out, counted: the totals say they lack it */
        st->unconverted += seen;
        return BL_OK;
    }
    st->refunded += seen && o->refunded > 0;
    st->counted += seen;
    if (!rc && day >= x->year_from)
        rc = add(r, &st->year, c, v);
    else if (!rc && day >= x->prev_from)
        rc = add(r, &st->prev, c, v);
    if (rc || r->period != BL_COMPLY_TWELVE_MONTHS)
        return rc;
    struct acc *a = &x->acc[si];
    expire(r, a, &st->window, window_start(day));
    if (push(a, day, v))
        return BL_ENOMEM;
    return add(r, &st->window, c, v);
}

/* One chunk of the stream. */
static int pass(struct run *x, const struct bl_comply_order *orders, size_t n)
{
    const struct bl_comply_in *in = x->in;
    if (dests_extend(x) || pairs_extend(x))
        return BL_ENOMEM;
    for (size_t i = 0; i < n && !x->past; i++) {
        const struct bl_comply_order *o = &orders[i];
        if (o->at < x->last || o->dest >= in->ndests || o->origin >= in->ndests ||
            o->cur >= in->ncurs || o->group >= in->ngroups)
            return BL_EINVAL;
        x->last = o->at;
        struct cur_order c = {day_of(o->at), x->seen++, o->ref};
        if (c.day > x->asof_day || o->at > in->as_of) {
            x->past = true;
            break;
        }
        uint32_t lo = x->match_at[o->dest], hi = x->match_at[o->dest + 1];
        if (lo == hi) {
            bool none = !in->dests[o->dest] || !in->dests[o->dest][0];
            x->res->no_dest += none;
            x->res->uncovered += !none;
            continue;
        }
        for (size_t t = 0; t < x->ntargets; t++)
            x->conv[t] = INT64_MIN;
        for (uint32_t m = lo; m < hi; m++) {
            int rc = take(x, o, &c, x->match[m]);
            if (rc)
                return rc;
        }
    }
    return BL_OK;
}

/* ---- the standing at the as-of ------------------------------------------------------ */

static const struct bl_comply_total *total(const struct bl_comply_state *s,
                                           enum bl_comply_which w)
{
    return w == BL_COMPLY_YEAR ? &s->year : w == BL_COMPLY_PREV ? &s->prev : &s->window;
}

const struct bl_comply_total *bl_comply_judged(const struct bl_comply_state *s)
{
    return total(s, s->judged);
}

const struct bl_comply_cross *bl_comply_crossing(const struct bl_comply_state *s)
{
    const struct bl_comply_total *t = total(s, s->crossed_in);
    return s->crossed == 100 ? &t->over : s->crossed == 80 ? &t->near : NULL;
}

static enum bl_comply_which judged_on(const struct bl_comply_rule *r,
                                      const struct bl_comply_state *st)
{
    switch (r->period) {
    case BL_COMPLY_CALENDAR_YEAR:
        return BL_COMPLY_YEAR;
    case BL_COMPLY_CURRENT_OR_PREVIOUS:
        if (st->prev.over.day >= 0)
            return BL_COMPLY_PREV;
        if (st->year.over.day < 0 && bl_comply_progress_bp(r, st->prev.amount, st->prev.count) >
                                         bl_comply_progress_bp(r, st->year.amount, st->year.count))
            return BL_COMPLY_PREV;
        return BL_COMPLY_YEAR;
    case BL_COMPLY_PREVIOUS_YEAR:
        return st->prev.over.day >= 0 || st->year.over.day < 0 ? BL_COMPLY_PREV : BL_COMPLY_YEAR;
    case BL_COMPLY_TWELVE_MONTHS:
        break;
    }
    return BL_COMPLY_WINDOW;
}

static void judge(const struct bl_comply_rule *r, struct bl_comply_state *st)
{
    st->judged = st->crossed_in = judged_on(r, st);
    const struct bl_comply_total *j = total(st, st->judged);
    st->progress_bp = bl_comply_progress_bp(r, j->amount, j->count);
    st->crossed = 0;
    st->status = BL_COMPLY_UNDER;
    if (j->over.day >= 0) {
        st->crossed = 100;
        st->status = r->period == BL_COMPLY_PREVIOUS_YEAR && st->judged == BL_COMPLY_YEAR
                         ? BL_COMPLY_NEXT_YEAR
                         : BL_COMPLY_OVER;
    } else if (j->near.day >= 0) {
        st->crossed = 80;
        st->status = BL_COMPLY_NEAR;
    } else if (r->period == BL_COMPLY_PREVIOUS_YEAR && st->year.near.day >= 0) {
        st->crossed = 80; /* this year's sales bind next year */
        st->crossed_in = BL_COMPLY_YEAR;
        st->status = BL_COMPLY_NEAR;
    }
}

static void finish(struct run *x)
{
    for (size_t s = 0; s < x->res->n; s++) {
        struct bl_comply_state *st = &x->res->s[s];
        const struct bl_comply_rule *r = &x->in->rules->r[st->rule];
        if (r->period == BL_COMPLY_TWELVE_MONTHS)
            expire(r, &x->acc[s], &st->window, x->window_from);
        st->window.from = x->window_from;
        st->window.to = x->asof_day;
        judge(r, st);
    }
}

static void run_release(struct run *x)
{
    for (size_t s = 0; s < x->nacc; s++)
        bl_free(x->acc[s].q);
    bl_free(x->acc);
    bl_free(x->match);
    bl_free(x->match_reg);
    bl_free(x->match_at);
    bl_free(x->targets);
    bl_free(x->rule_target);
    bl_free(x->pairs);
    bl_free(x->conv);
}

int bl_comply_begin(const struct bl_comply_in *in, struct bl_comply_pass **out)
{
    *out = NULL;
    if (!in->rules || in->ngroups == 0 || (in->ndests && !in->dests) || (in->ncurs && !in->curs) ||
        (in->nfx && !in->fx))
        return BL_EINVAL;
    for (size_t i = 0; i < in->nfx; i++)
        if (in->fx[i].from >= in->ncurs)
            return BL_EINVAL;
    struct bl_comply_pass *p = bl_calloc(1, sizeof(*p));
    if (!p)
        return BL_ENOMEM;
    p->res.missing_day = -1;
    p->x = (struct run){.in = in, .res = &p->res};
    /* an as-of at midnight is the end of the day before (a date D means the end of D) */
    p->x.asof_day = day_of(in->as_of) - (day_of(in->as_of) * BL_DAY_SECS == in->as_of);
    int rc = setup(&p->x);
    if (rc) {
        bl_comply_abort(p);
        return rc;
    }
    *out = p;
    return BL_OK;
}

int bl_comply_feed(struct bl_comply_pass *p, const struct bl_comply_order *o, size_t n)
{
    if (!p || (n && !o))
        return BL_EINVAL;
    return pass(&p->x, o, n);
}

int bl_comply_end(struct bl_comply_pass *p, struct bl_comply_res *res)
{
    memset(res, 0, sizeof(*res));
    res->missing_day = -1;
    if (!p)
        return BL_EINVAL;
    finish(&p->x);
    *res = p->res;
    memset(&p->res, 0, sizeof(p->res));
    bl_comply_abort(p);
    return BL_OK;
}

void bl_comply_abort(struct bl_comply_pass *p)
{
    if (!p)
        return;
    run_release(&p->x);
    bl_comply_res_release(&p->res);
    bl_free(p);
}

int bl_comply_run(const struct bl_comply_in *in, struct bl_comply_res *res)
{
    memset(res, 0, sizeof(*res));
    res->missing_day = -1;
    if (in->norders && !in->orders)
        return BL_EINVAL;
    struct bl_comply_pass *p = NULL;
    int rc = bl_comply_begin(in, &p);
    if (!rc)
        rc = bl_comply_feed(p, in->orders, in->norders);
    if (rc) {
        bl_comply_abort(p);
        return rc;
    }
    return bl_comply_end(p, res);
}

void bl_comply_res_release(struct bl_comply_res *res)
{
    bl_free(res->s);
    memset(res, 0, sizeof(*res));
}
