/* whatif_money.c - the coupons the cycle would issue day by day over the horizon (the
 * engine's bl_compensate, each shop under its profile, its deposit drawn down as it
 * goes), the deposits that run short, and the messages buyers would get: a delay notice
 * per held order, a coupon notice per coupon, in the buyer's language.
 *
 * Three runs: without the events; with them declared (their exemptions); with them
 * undeclared (the delays, the store's exemptions only). Each late order is valued by its
 * own shop's rule, so the coupons per shop and currency (bl_wi_shop_coupons) are what
 * the mitigation charges a late order: one computation for both. */
#include <string.h>

#include "ballast/compensate.h"
#include "ballast/money.h"
#include "engine/whatif_impl.h"

#define MONEY_MAX 256

struct bl_wi_money *bl__wi_money_of(struct bl__wi *w, struct bl_wi_result *r, const char *currency)
{
    if (!r->money) {
        r->money = bl_arena_alloc(&r->arena, MONEY_MAX * sizeof(*r->money));
        if (!r->money)
            return NULL;
    }
    size_t k = 0;
    while (k < r->nmoney && strcmp(r->money[k].currency, currency) < 0)
        k++;
    if (k < r->nmoney && strcmp(r->money[k].currency, currency) == 0)
        return &r->money[k];
    if (r->nmoney == MONEY_MAX) {
        bl_diag_set(w->d, BL_ETOOBIG, "what-if: more than %d currencies", MONEY_MAX);
        return NULL;
    }
    memmove(&r->money[k + 1], &r->money[k], (r->nmoney - k) * sizeof(*r->money));
    memset(&r->money[k], 0, sizeof(*r->money));
    memcpy(r->money[k].currency, currency, 3);
    r->nmoney++;
    return &r->money[k];
}

#define BARE 2 /* the third run: the events undeclared */

/* What one run pays and owes; per shop the coupons left owed for want of deposit. */
struct run {
    int run;         /* BL_WI_BASE, BL_WI_WITH or BARE */
    int events, ctx; /* the orders' events and the assessment context it runs on */
    int64_t *balance, *short_by, *first_short;
    bool *done;
    int64_t *msgs;     /* [kind * 256 + lang] */
    int64_t *sum, *nc; /* per shop and currency index: [shop * ncur + cur] */
    size_t ncur;
};

static int coupon(struct bl__wi *w, struct bl_wi_result *r, struct run *x, size_t k,
                  const struct bl_coupon *c, int64_t day)
{
    struct bl_wi_money *m = bl__wi_money_of(w, r, w->in->currencies[w->cur[k]]);
    if (!m)
        return w->d->code ? w->d->code : bl_diag_set(w->d, BL_ENOMEM, "what-if: out of memory");
    uint32_t s = w->shop[k];
    size_t at = s * x->ncur + w->cur[k];
    if (bl_money_add(x->sum[at], c->amount, &x->sum[at]))
        return bl_diag_set(w->d, BL_EOVERFLOW, "what-if: a shop's coupons overflow");
    x->nc[at]++;
    if (x->run == BARE) {
        m->bare_coupons += c->amount;
        m->bare_ncoupons++;
        return BL_OK;
    }
    m->coupons[x->run] += c->amount;
    m->ncoupons[x->run]++;
    if (c->state != BL_COUPON_PAID) {
        m->owed[x->run] += c->amount;
        m->nowed[x->run]++;
    }
    if (c->state == BL_COUPON_OWED_SHORT) {
        x->short_by[s] += c->amount;
        x->first_short[s] = x->first_short[s] == BL_RP_NEVER ? day : x->first_short[s];
    }
    x->msgs[BL_WI_MSG_COUPON * 256 + w->lang[k]]++;
    return BL_OK;
}

/* Shop s's coupons as of t (its orders only, under its own profile). */
static int shop_day(struct bl__wi *w, struct bl_wi_result *r, struct run *x, size_t s, int64_t t,
                    struct bl_arena *a)
{
    int32_t q = w->in->shop_profile[s];
    size_t lo = w->shop_off[s], n = w->shop_off[s + 1] - lo;
    if (q < 0 || !n)
        return BL_OK;
    struct bl_assess_orders o = {.n = n,
                                 .shop = w->shop + lo,
                                 .placed = w->placed + lo,
                                 .ship_by = w->ship_by + lo,
                                 .shipped = w->ev[x->events][0] + lo,
                                 .picked_up = w->ev[x->events][1] + lo,
                                 .delivered = w->ev[x->events][2] + lo,
                                 .promised = w->promised + lo,
                                 .cancelled = w->cancelled + lo,
                                 .cancel_by = w->cancel_by + lo,
                                 .from = w->from + lo,
                                 .to = w->to + lo,
                                 .channel = w->channel + lo,
                                 .platform = w->platform + lo};
    struct bl_comp_input in = {.ctx = w->ctx[x->ctx],
                               .orders = &o,
                               .profile = &w->in->profiles[q],
                               .as_of = t,
                               .amount = w->amount + lo,
                               .cur = w->cur + lo,
                               .currencies = w->in->currencies,
                               .done = x->done + lo,
                               .shop_currency = w->in->shop_currency,
                               .balance = x->balance};
    struct bl_coupon *c;
    size_t nc;
    int rc = bl_compensate(&in, a, &c, &nc, w->d);
    for (size_t i = 0; !rc && i < nc; i++) {
        x->done[lo + c[i].order] = true;
        rc = coupon(w, r, x, lo + c[i].order, &c[i], (t - 1) / BL__WI_DAY);
    }
    return rc;
}

static int run_days(struct bl__wi *w, struct bl_wi_result *r, struct run *x)
{
    struct bl_arena a;
    bl_arena_init(&a, 1u << 16);
    int rc = BL_OK;
    for (int64_t day = 1; !rc && day <= w->in->horizon; day++) {
        int64_t t = w->in->as_of + day * BL__WI_DAY;
        for (size_t s = 0; !rc && s < w->in->nshops; s++)
            rc = shop_day(w, r, x, s, t, &a);
        bl_arena_release(&a);
        bl_arena_init(&a, 1u << 16);
    }
    bl_arena_release(&a);
    return rc;
}

static int deposits(struct bl__wi *w, struct bl_wi_result *r, struct run *x)
{
    size_t ns = w->in->nshops, n = 0;
    for (size_t s = 0; s < ns; s++)
        n += x[0].short_by[s] || x[1].short_by[s];
    r->deposits = bl_arena_alloc(&r->arena, (n + 1) * sizeof(*r->deposits));
    if (!r->deposits)
        return bl_diag_set(w->d, BL_ENOMEM, "what-if: out of memory");
    for (size_t s = 0; s < ns; s++) {
        if (!x[0].short_by[s] && !x[1].short_by[s])
            continue;
        struct bl_wi_deposit *p = &r->deposits[r->ndeposits++];
        p->shop = (uint32_t)s;
        memcpy(p->currency, w->in->shop_currency[s], 4);
        p->balance = w->in->balance ? w->in->balance[s] : 0;
        for (int run = 0; run < 2; run++) {
            p->short_by[run] = x[run].short_by[s];
            p->first_day[run] = x[run].first_short[s];
        }
    }
    return BL_OK;
}

static int messages(struct bl__wi *w, struct bl_wi_result *r, struct run *x)
{
    for (size_t k = 0; k < w->n; k++)
        if (w->held[k])
            x[1].msgs[BL_WI_MSG_DELAY * 256 + w->lang[k]]++;
    size_t n = 0;
    for (size_t i = 0; i < BL_WI_MSG_NKINDS * 256; i++)
        n += x[0].msgs[i] || x[1].msgs[i];
    r->messages = bl_arena_alloc(&r->arena, (n + 1) * sizeof(*r->messages));
    if (!r->messages)
        return bl_diag_set(w->d, BL_ENOMEM, "what-if: out of memory");
    for (size_t i = 0; i < BL_WI_MSG_NKINDS * 256; i++) {
        if (!x[0].msgs[i] && !x[1].msgs[i])
            continue;
        struct bl_wi_messages *m = &r->messages[r->nmessages++];
        memset(m, 0, sizeof(*m));
        m->kind = (enum bl_wi_msg)(i / 256);
        const char *lang = w->in->langs ? w->in->langs[i % 256] : "und";
        memcpy(m->lang, lang, strnlen(lang, sizeof(m->lang) - 1));
        m->n[0] = x[0].msgs[i];
        m->n[1] = x[1].msgs[i];
    }
    return BL_OK;
}

/* Per shop and currency, the coupons of the three runs (those with any). */
static int shop_coupons(struct bl__wi *w, struct bl_wi_result *r, struct run *x)
{
    size_t ns = w->in->nshops, nc = x[0].ncur, n = 0;
    for (size_t i = 0; i < ns * nc; i++)
        n += x[0].nc[i] || x[1].nc[i] || x[2].nc[i];
    r->shop_coupons = bl_arena_alloc(&r->arena, (n + 1) * sizeof(*r->shop_coupons));
    if (!r->shop_coupons)
        return bl_diag_set(w->d, BL_ENOMEM, "what-if: out of memory");
    for (size_t s = 0; s < ns; s++) {
        size_t first = r->nshop_coupons;
        for (size_t c = 0; c < nc; c++) {
            size_t i = s * nc + c;
            if (!x[0].nc[i] && !x[1].nc[i] && !x[2].nc[i])
                continue;
            struct bl_wi_shop_coupons *y = &r->shop_coupons[r->nshop_coupons++];
            memset(y, 0, sizeof(*y));
            y->shop = (uint32_t)s;
            memcpy(y->currency, w->in->currencies[c], 3);
            for (int run = 0; run < 2; run++) {
                y->coupons[run] = x[run].sum[i];
                y->ncoupons[run] = x[run].nc[i];
            }
            y->bare = x[BARE].sum[i];
            y->nbare = x[BARE].nc[i];
        }
        /* by currency code within the shop */
        for (size_t i = first + 1; i < r->nshop_coupons; i++)
            for (size_t j = i; j > first && strcmp(r->shop_coupons[j - 1].currency,
                                                   r->shop_coupons[j].currency) > 0;
                 j--) {
                struct bl_wi_shop_coupons t = r->shop_coupons[j];
                r->shop_coupons[j] = r->shop_coupons[j - 1];
                r->shop_coupons[j - 1] = t;
            }
    }
    return BL_OK;
}

static int alloc_run(struct bl__wi *w, struct run *x, int run)
{
    size_t ns = w->in->nshops + 1;
    static const int events[3] = {0, 1, 1}, ctx[3] = {0, 1, 0};
    x->run = run;
    x->events = events[run];
    x->ctx = ctx[run];
    x->ncur = 1;
    for (size_t k = 0; k < w->n; k++)
        x->ncur = (size_t)w->cur[k] + 1 > x->ncur ? (size_t)w->cur[k] + 1 : x->ncur;
    x->sum = bl_arena_alloc(w->a, ns * x->ncur * sizeof(int64_t));
    x->nc = bl_arena_alloc(w->a, ns * x->ncur * sizeof(int64_t));
    if (!x->sum || !x->nc)
        return bl_diag_set(w->d, BL_ENOMEM, "what-if: out of memory");
    memset(x->sum, 0, ns * x->ncur * sizeof(int64_t));
    memset(x->nc, 0, ns * x->ncur * sizeof(int64_t));
    x->balance = bl_arena_alloc(w->a, ns * sizeof(int64_t));
    x->short_by = bl_arena_alloc(w->a, ns * sizeof(int64_t));
    x->first_short = bl_arena_alloc(w->a, ns * sizeof(int64_t));
    x->done = bl_arena_alloc(w->a, (w->n + 1) * sizeof(bool));
    x->msgs = bl_arena_alloc(w->a, BL_WI_MSG_NKINDS * 256 * sizeof(int64_t));
    if (!x->balance || !x->short_by || !x->first_short || !x->done || !x->msgs)
        return bl_diag_set(w->d, BL_ENOMEM, "what-if: out of memory");
    for (size_t s = 0; s + 1 < ns; s++) {
        x->balance[s] = w->in->balance ? w->in->balance[s] : 0;
        x->short_by[s] = 0;
        x->first_short[s] = BL_RP_NEVER;
    }
    memcpy(x->done, w->done, w->n * sizeof(bool));
    memset(x->msgs, 0, BL_WI_MSG_NKINDS * 256 * sizeof(int64_t));
    return BL_OK;
}

int bl__wi_money(struct bl__wi *w, struct bl_wi_result *r)
{
    struct run x[3];
    int rc = BL_OK;
    for (int run = 0; !rc && run < 3; run++) {
        rc = alloc_run(w, &x[run], run);
        if (!rc)
            rc = run_days(w, r, &x[run]);
    }
    if (!rc)
        rc = deposits(w, r, x);
    if (!rc)
        rc = messages(w, r, x);
    if (!rc)
        rc = shop_coupons(w, r, x);
    return rc;
}
