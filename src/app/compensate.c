/* compensate.c - coupons for late shipments from the deposit (compensate.h). */
#include <stdio.h>
#include <string.h>

#include "app/assess_run.h"
#include "app/audit.h"
#include "app/compensate.h"
#include "ballast/money.h"
#include "store/coupon.h"
#include "store/ledger.h"

/* What a run works with besides the assessment's: per order whether it had a coupon
 * and whether it is done (had one, or its shop is out of scope), per shop the deposit. */
struct comp {
    struct bl__arun r;
    bool *had, *done;
    int64_t *balance;
    char (*shop_cur)[4];
};

static int balances(struct comp *c, struct bl_diag *d)
{
    const struct bl_snapshot *s = c->r.snap;
    for (size_t k = 0; k < s->nshops; k++) {
        c->balance[k] = s->shops[k].deposit;
        memcpy(c->shop_cur[k], s->shops[k].currency, 4);
    }
    struct bl_ledger_sum *sum = NULL;
    size_t n = 0;
    int rc = bl_store_ledger_sums(c->r.st, c->r.org, &sum, &n, d);
    for (size_t k = 0; !rc && k < n; k++) {
        int64_t i = bl_snapshot_shop_index(s, sum[k].shop_id);
        if (i >= 0 && bl_money_add(c->balance[i], sum[k].sum, &c->balance[i]))
            rc = bl_diag_set(d, BL_EOVERFLOW, "compensate: a shop's ledger balance overflows");
    }
    bl_free(sum);
    return rc;
}

static int prepare(struct comp *c, struct bl_diag *d)
{
    const struct bl_snapshot *s = c->r.snap;
    struct bl_arena *a = &c->r.arena;
    c->had = bl_arena_alloc(a, s->orders.n + 1);
    c->done = bl_arena_alloc(a, s->orders.n + 1);
    c->balance = bl_arena_alloc(a, (s->nshops + 1) * sizeof(*c->balance));
    c->shop_cur = bl_arena_alloc(a, (s->nshops + 1) * sizeof(*c->shop_cur));
    if (!c->had || !c->done || !c->balance || !c->shop_cur)
        return bl_diag_set(d, BL_ENOMEM, "compensate: out of memory");
    memset(c->had, 0, s->orders.n + 1);
    int64_t *ids = NULL;
    size_t n = 0;
    int rc = bl_store_coupon_orders(c->r.st, c->r.org, &ids, &n, d);
    for (size_t k = 0; !rc && k < n; k++) {
        int64_t i = bl_snapshot_order(s, ids[k]);
        if (i >= 0)
            c->had[i] = true;
    }
    bl_free(ids);
    return rc ? rc : balances(c, d);
}

/* Orders under profile q that were compensated before and would be owed now. */
static size_t already(const struct comp *c, size_t q)
{
    const struct bl_snapshot *s = c->r.snap;
    const struct bl_profile *p = &c->r.prof[q];
    size_t n = 0;
    for (size_t i = 0; p->comp_bp > 0 && i < s->orders.n; i++) {
        if (!c->had[i] || c->r.shop_prof[s->orders.shop[i]] != (int32_t)q)
            continue;
        struct bl_verdict v;
        bl_assess_order(c->r.ctx, &s->orders, i, p, c->r.as_of, p->comp_days, &v);
        n += v.counted && v.late;
    }
    return n;
}

static void fill_one(const struct comp *c, const struct bl_coupon *x, const char *profile,
                     struct bl_app_coupon *y)
{
    const struct bl_snapshot *s = c->r.snap;
    size_t i = x->order;
    uint32_t shop = s->orders.shop[i];
    memset(y, 0, sizeof(*y));
    y->shop_id = s->shops[shop].id;
    y->order_id = s->order_id[i];
    y->profile = profile;
    y->amount = x->amount;
    memcpy(y->currency, s->currencies[s->cur[i]], 4);
    y->state = x->state;
    y->balance_after = x->balance_after;
    memcpy(y->shop_currency, s->shops[shop].currency, 4);
    y->ship_by = s->ship_by[i];
    bool shipped = s->shipped[i] != BL_NO_TIME && s->shipped[i] <= c->r.as_of;
    y->shipped = shipped ? s->shipped[i] : BL_NO_TIME;
    y->reason = shipped ? BL_APP_COUPON_LATE_SHIPPED : BL_APP_COUPON_NOT_SHIPPED;
    y->order_amount = x->order_amount;
    y->comp_bp = c->r.prof[c->r.shop_prof[shop]].comp_bp;
}

/* The engine per profile; the new coupons into res. */
static int run(struct comp *c, struct bl_app_compensate_res *res, struct bl_diag *d)
{
    const struct bl_snapshot *s = c->r.snap;
    int rc = BL_OK;
    size_t cap = 0;
    for (size_t q = 0; !rc && q < c->r.nprof; q++) {
        for (size_t i = 0; i < s->orders.n; i++)
            c->done[i] = c->had[i] || c->r.shop_prof[s->orders.shop[i]] != (int32_t)q;
        struct bl_comp_input in = {c->r.ctx,
                                   &s->orders,
                                   &c->r.prof[q],
                                   c->r.as_of,
                                   s->amount,
                                   s->cur,
                                   (const char(*)[4])s->currencies,
                                   c->done,
                                   (const char(*)[4])c->shop_cur,
                                   c->balance};
        struct bl_coupon *x = NULL;
        size_t n = 0;
        rc = bl_compensate(&in, &c->r.arena, &x, &n, d);
        const char *name =
            rc ? NULL : bl_arena_strndup(&res->arena, c->r.prof[q].name, strlen(c->r.prof[q].name));
        if (!rc && !name)
            rc = bl_diag_set(d, BL_ENOMEM, "compensate: out of memory");
        if (!rc && n && bl_grow((void **)&res->coupons, &cap, res->n + n, sizeof(*res->coupons)))
            rc = bl_diag_set(d, BL_ENOMEM, "compensate: out of memory");
        for (size_t k = 0; !rc && k < n; k++)
            fill_one(c, &x[k], name, &res->coupons[res->n++]);
        res->already += rc ? 0 : already(c, q);
    }
    return rc;
}

/* The external ids of the coupons' shops and orders, into res's arena. */
static int names(struct comp *c, struct bl_app_compensate_res *res, struct bl_diag *d)
{
    const struct bl_snapshot *s = c->r.snap;
    int64_t *ids = bl_calloc(res->n + 1, sizeof(*ids));
    const char **ext = bl_calloc(res->n + 1, sizeof(*ext));
    int rc = ids && ext ? BL_OK : bl_diag_set(d, BL_ENOMEM, "compensate: out of memory");
    for (size_t k = 0; !rc && k < res->n; k++)
        ids[k] = res->coupons[k].order_id;
    if (!rc)
        rc = bl_store_coupon_order_exts(c->r.st, c->r.org, ids, res->n, &res->arena, ext, d);
    for (size_t k = 0; !rc && k < res->n; k++) {
        struct bl_app_coupon *y = &res->coupons[k];
        const char *shop = s->shops[bl_snapshot_shop_index(s, y->shop_id)].ext;
        y->order = ext[k];
        if (!(y->shop = bl_arena_strndup(&res->arena, shop, strlen(shop))))
            rc = bl_diag_set(d, BL_ENOMEM, "compensate: out of memory");
    }
    bl_free(ids);
    bl_free(ext);
    return rc;
}

#define NOTE_MAX 400

/* The rows of one coupon: the coupon, its ledger debit when paid, else its alert. */
static void rows_of(const struct bl_app_compensate_req *req, int64_t now,
                    const struct bl_app_coupon *y, char *note, char *idem, char *msg,
                    struct bl_coupon_row *cr, struct bl_ledger_entry *le,
                    struct bl_coupon_alert *al)
{
    bl_app_coupon_note(y, req->as_of, note, NOTE_MAX);
    snprintf(idem, 64, "coupon:%lld", (long long)y->order_id);
    bool paid = y->state == BL_COUPON_PAID;
    *cr = (struct bl_coupon_row){y->shop_id, y->order_id, y->profile, y->amount,  y->currency,
                                 note,       paid,        req->as_of, req->as_of, req->cycle_id};
    if (paid)
        *le = (struct bl_ledger_entry){y->shop_id,       "coupon", -y->amount,   y->currency,
                                       y->balance_after, y->order, idem,         note,
                                       req->as_of,       now,      req->cycle_id};
    else
        bl_app_deposit_alert_note(y, msg, NOTE_MAX);
    if (!paid)
        *al = (struct bl_coupon_alert){y->shop_id, idem, msg, req->as_of, now, req->cycle_id};
}

/* The audit row of a compensation run: each coupon issued, paid or owed. */
static json_t *coupons_json(const struct bl_app_compensate_res *res)
{
    json_t *list = json_array();
    for (size_t k = 0; list && k < res->n; k++) {
        const struct bl_app_coupon *c = &res->coupons[k];
        char amount[48];
        bl_app_money_text(c->amount, c->currency, amount, sizeof(amount));
        if (json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:b}", "shop", c->shop,
                                                  "order", c->order, "amount", amount,
                                                  "currency", c->currency, "paid",
                                                  c->state == BL_COUPON_PAID)))
            json_decref(list), list = NULL;
    }
    return list ? json_pack("{s:o, s:o}", "as_of", bl_app_audit_time(res->as_of), "coupons", list)
                : NULL;
}

static int write_rows(struct bl_store *st, int64_t org, const struct bl_coupon_row *cr, size_t n,
                      const struct bl_ledger_entry *le, size_t nl, const struct bl_coupon_alert *al,
                      size_t na, struct bl_app_compensate_res *res, struct bl_diag *d)
{
    int rc = bl_store_begin(st, d);
    if (!rc)
        rc = bl_store_coupon_add(st, org, cr, n, d);
    if (!rc)
        rc = bl_store_ledger_add(st, org, le, nl, &res->ledger_added, d);
    if (!rc)
        rc = bl_store_coupon_alert_add(st, org, al, na, &res->alerts_added, d);
    if (!rc)
        rc = bl_app_audit(st, org, 0, "coupons.issue", "coupon", NULL, NULL, coupons_json(res), d);
    rc = bl_store_end(st, rc, d);
    if (rc) {
        res->ledger_added = res->alerts_added = 0;
        if (rc == BL_EEXISTS) {
            /* the store's diag names the row's line in the batch: not the person's */
            bl_diag_clear(d);
            bl_diag_set(d, rc,
                        "another compensation run stored coupons for the same orders at the "
                        "same time; nothing of this run was stored: run it again");
        }
    }
    return rc;
}

/* Stores the coupons, their ledger entries and alerts in one transaction. */
static int save(struct bl_store *st, int64_t org, const struct bl_app_compensate_req *req,
                struct bl_app_compensate_res *res, struct bl_diag *d)
{
    size_t n = res->n, nl = 0, na = 0;
    int64_t now = bl_app_now_or(req->now);
    char *text = bl_calloc(n, 2 * NOTE_MAX + 64);
    struct bl_coupon_row *cr = bl_calloc(n, sizeof(*cr));
    struct bl_ledger_entry *le = bl_calloc(n, sizeof(*le));
    struct bl_coupon_alert *al = bl_calloc(n, sizeof(*al));
    int rc =
        text && cr && le && al ? BL_OK : bl_diag_set(d, BL_ENOMEM, "compensate: out of memory");
    for (size_t k = 0; !rc && k < n; k++) {
        char *note = text + k * (2 * NOTE_MAX + 64), *msg = note + NOTE_MAX;
        rows_of(req, now, &res->coupons[k], note, msg + NOTE_MAX, msg, &cr[k], &le[nl], &al[na]);
        if (res->coupons[k].state == BL_COUPON_PAID)
            nl++;
        else
            na++;
    }
    if (!rc)
        rc = write_rows(st, org, cr, n, le, nl, al, na, res, d);
    bl_free(text);
    bl_free(cr);
    bl_free(le);
    bl_free(al);
    return rc;
}

/* One run: read what is paid already, decide, store. */
static int attempt(struct bl_store *st, int64_t org, const struct bl_app_compensate_req *req,
                   struct bl_app_compensate_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 1u << 14);
    res->as_of = req->as_of;
    struct comp c;
    memset(&c, 0, sizeof(c));
    struct bl__arun_req q = {req->as_of,     req->profile, 0,        req->shop,
                             req->all_shops, false,        req->snap, 0};
    int rc = bl__arun_open(st, org, &q, &c.r, d);
    if (rc) {
        res->problem = c.r.problem;
        return rc;
    }
    rc = prepare(&c, d);
    if (!rc)
        rc = run(&c, res, d);
    if (!rc && res->n)
        rc = names(&c, res, d);
    if (!rc && !req->dry_run && res->n)
        rc = save(st, org, req, res, d);
    bl__arun_close(&c.r);
    return rc;
}

/* Another run that stored coupons for the same orders first makes this one's insert fail
 * as a whole (nothing stored): run again, which reads those coupons as paid already, so
 * two runs at once pay each order once and both succeed. */
#define COMP_ATTEMPTS 3

int bl_app_compensate(struct bl_store *st, int64_t org, const struct bl_app_compensate_req *req,
                      struct bl_app_compensate_res *res, struct bl_diag *d)
{
    int rc = attempt(st, org, req, res, d);
    for (int k = 1; rc == BL_EEXISTS && k < COMP_ATTEMPTS; k++) {
        bl_app_compensate_res_release(res);
        bl_diag_clear(d);
        rc = attempt(st, org, req, res, d);
    }
    return rc;
}

void bl_app_compensate_res_release(struct bl_app_compensate_res *res)
{
    bl_free(res->coupons);
    res->coupons = NULL;
    res->n = 0;
    bl_arena_release(&res->arena);
}
