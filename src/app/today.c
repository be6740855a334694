/* today.c - the Today summary (today.h): counts and the first rows of what needs a
 * decision, read in one call. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app/cycle.h"
#include "app/today.h"
#include "ballast/app.h"
#include "ballast/time.h"

static struct bl_str keep(struct bl_arena *a, struct bl_str s, int *rc)
{
    if (!s.len)
        return (struct bl_str){"", 0};
    char *p = bl_arena_strndup(a, s.ptr, s.len);
    if (!p)
        *rc = BL_ENOMEM;
    return p ? (struct bl_str){p, s.len} : (struct bl_str){"", 0};
}

static int last_cycle(void *ctx, const struct bl_cycle_rec *r)
{
    struct bl_app_today_res *res = ctx;
    int rc = 0;
    res->cycle = *r;
    res->cycle.state = keep(&res->arena, r->state, &rc);
    res->cycle.shard = keep(&res->arena, r->shard, &rc);
    res->cycle.summary = keep(&res->arena, r->summary, &rc);
    res->cycle.error = keep(&res->arena, r->error, &rc);
    res->has_cycle = true;
    return rc;
}

static int messages(struct bl_store *st, int64_t org, struct bl_app_today_res *res,
                    struct bl_diag *d)
{
    int rc = bl_store_today_messages(st, org, &res->arena, &res->msgs, &res->nmsgs, d);
    for (size_t i = 0; !rc && i < res->nmsgs; i++) {
        if (strcmp(res->msgs[i].state, "planned") == 0)
            res->planned += res->msgs[i].n;
        else
            res->held += res->msgs[i].n;
    }
    return rc;
}

static int actions(struct bl_store *st, int64_t org, size_t top, struct bl_app_today_res *res,
                   struct bl_diag *d)
{
    struct bl_app_actions_req q = {.state = "proposed", .limit = (int64_t)top};
    int rc = bl_store_today_proposed(st, org, &res->proposed, d);
    return rc ? rc : bl_app_actions(st, org, &q, &res->actions, d);
}

static int by_days(const void *x, const void *y)
{
    const struct bl_app_today_stockout *a = x, *b = y;
    if (a->a->value != b->a->value)
        return a->a->value < b->a->value ? -1 : 1;
    return a->a->sku < b->a->sku ? -1 : a->a->sku > b->a->sku;
}

static int by_late(const void *x, const void *y)
{
    const struct bl_app_today_stockout *a = x, *b = y;
    if (a->a->value != b->a->value)
        return a->a->value > b->a->value ? -1 : 1;
    return a->a->sku < b->a->sku ? -1 : a->a->sku > b->a->sku;
}

/* The SKUs with a purchase order overdue: how many, the `top` latest with their names. */
static int overdue(struct bl_store *st, int64_t org, size_t top, struct bl_app_today_res *res,
                   struct bl_diag *d)
{
    const struct bl_app_alerts_res *al = res->al;
    for (size_t i = 0; i < al->n; i++)
        res->overdue += al->alerts[i].kind == BL_APP_ALERT_OVERDUE;
    struct bl_app_today_stockout *all =
        bl_calloc(res->overdue ? (size_t)res->overdue : 1, sizeof(*all));
    if (!all)
        return bl_diag_set(d, BL_ENOMEM, "today: out of memory");
    size_t n = 0;
    for (size_t i = 0; i < al->n; i++)
        if (al->alerts[i].kind == BL_APP_ALERT_OVERDUE)
            all[n++].a = &al->alerts[i];
    qsort(all, n, sizeof(*all), by_late);
    res->nlate = n < top ? n : top;
    res->late = bl_arena_alloc(&res->arena, (res->nlate + 1) * sizeof(*res->late));
    if (res->late)
        memcpy(res->late, all, res->nlate * sizeof(*all));
    bl_free(all);
    if (!res->late)
        return bl_diag_set(d, BL_ENOMEM, "today: out of memory");
    int rc = BL_OK;
    for (size_t i = 0; !rc && i < res->nlate; i++)
        rc = bl_store_today_sku_name(st, org, al->day->snap.sku_ext[res->late[i].a->sku],
                                     &res->arena, &res->late[i].name, d);
    return rc;
}

/* The stock-outs of the day's alerts: how many, the soonest `top` with their names. */
static int stockouts(struct bl_store *st, int64_t org, const struct bl_app_today_req *req,
                     size_t top, struct bl_app_today_res *res, struct bl_diag *d)
{
    if (!req->alerts_fn)
        return BL_OK;
    int rc = req->alerts_fn(req->ctx, res->day, &res->al, d);
    if (rc)
        return rc;
    res->stock_known = true;
    const struct bl_app_alerts_res *al = res->al;
    for (size_t i = 0; i < al->n; i++)
        res->stockouts += al->alerts[i].kind == BL_APP_ALERT_STOCKOUT;
    struct bl_app_today_stockout *all =
        bl_calloc(res->stockouts ? (size_t)res->stockouts : 1, sizeof(*all));
    if (!all)
        return bl_diag_set(d, BL_ENOMEM, "today: out of memory");
    size_t n = 0;
    for (size_t i = 0; i < al->n; i++)
        if (al->alerts[i].kind == BL_APP_ALERT_STOCKOUT)
            all[n++].a = &al->alerts[i];
    qsort(all, n, sizeof(*all), by_days);
    res->nsoonest = n < top ? n : top;
    res->soonest = bl_arena_alloc(&res->arena, (res->nsoonest + 1) * sizeof(*res->soonest));
    if (res->soonest)
        memcpy(res->soonest, all, res->nsoonest * sizeof(*all));
    bl_free(all);
    if (!res->soonest)
        return bl_diag_set(d, BL_ENOMEM, "today: out of memory");
    for (size_t i = 0; !rc && i < res->nsoonest; i++)
        rc = bl_store_today_sku_name(st, org, al->day->snap.sku_ext[res->soonest[i].a->sku],
                                     &res->arena, &res->soonest[i].name, d);
    return rc ? rc : overdue(st, org, top, res, d);
}

static double score_of(const struct bl_app_today_shop *s)
{
    return isnan(s->s->score) ? 101.0 : s->s->score;
}

static int by_score(const void *x, const void *y)
{
    const struct bl_app_today_shop *a = x, *b = y;
    double sa = score_of(a), sb = score_of(b);
    if (sa != sb)
        return sa < sb ? -1 : 1;
    return strcmp(a->s->shop, b->s->shop);
}

/* The shops with a rule in breach or at risk, the lowest score first. */
static int shops(struct bl_store *st, int64_t org, const struct bl_app_today_req *req,
                 struct bl_app_today_res *res, struct bl_diag *d)
{
    struct bl_app_assess_req q = {.as_of = res->as_of, .dry_run = true, .now = req->now};
    res->as = &res->assess;
    int rc = req->assess_fn ? req->assess_fn(req->ctx, res->as_of, &res->as, d)
                            : bl_app_assess(st, org, &q, &res->assess, d);
    res->risky = rc ? NULL : bl_arena_alloc(&res->arena, (res->as->n + 1) * sizeof(*res->risky));
    if (!rc && !res->risky)
        rc = bl_diag_set(d, BL_ENOMEM, "today: out of memory");
    for (size_t i = 0; !rc && i < res->as->n; i++) {
        const struct bl_app_assess_shop *s = &res->as->shops[i];
        struct bl_app_today_shop x = {s, s->name ? s->name : "", 0, 0}; /* named by assess */
        for (size_t q2 = 0; s->rules_known && q2 < s->prof->nrules; q2++) {
            x.breaches += s->rules[q2].status == BL_RULE_BREACH;
            x.at_risk += s->rules[q2].status == BL_RULE_AT_RISK;
        }
        if (x.breaches || x.at_risk)
            res->risky[res->nrisky++] = x;
    }
    if (!rc)
        qsort(res->risky, res->nrisky, sizeof(*res->risky), by_score);
    return rc;
}

int bl_app_today(struct bl_store *st, int64_t org, const struct bl_app_today_req *req,
                 struct bl_app_today_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 1u << 13);
    size_t top = req->top ? req->top : BL_APP_TODAY_TOP;
    top = top > BL_APP_TODAY_MAX ? BL_APP_TODAY_MAX : top;
    int64_t now = bl_app_now_or(req->now);
    int rc = bl_app_cycle_list(st, org, 1, last_cycle, res, d);
    if (rc)
        return rc;
    res->as_of = req->as_of != BL_NO_TIME ? req->as_of : res->has_cycle ? res->cycle.as_of : now;
    res->day = res->as_of >= 0 ? res->as_of / BL_DAY_SECS
                               : -((-res->as_of + BL_DAY_SECS - 1) / BL_DAY_SECS);
    struct bl_app_disruption_list_req dq = {res->as_of, NULL};
    rc = messages(st, org, res, d);
    rc = rc ? rc : actions(st, org, top, res, d);
    rc = rc ? rc : stockouts(st, org, req, top, res, d);
    rc = rc ? rc : shops(st, org, req, res, d);
    rc = rc ? rc : bl_app_disruption_list(st, org, &dq, &res->dis, d);
    return rc;
}

void bl_app_today_res_release(struct bl_app_today_res *res)
{
    bl_free(res->msgs);
    bl_app_actions_res_release(&res->actions);
    bl_app_assess_res_release(&res->assess);
    bl_app_disruption_list_res_release(&res->dis);
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}
