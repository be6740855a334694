/* assess_test.c - the assessment and compensation engine, rule by rule, and the
 * profile parser. Times are hours from a base instant so the cases read easily. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "testutil.h"

#include "ballast/assess.h"
#include "ballast/compensate.h"
#include "ballast/profile.h"

#define H INT64_C(3600)
#define D (24 * H)
#define T0 INT64_C(1650000000) /* some instant in 2022 */
#define NONE BL_NO_TIME
#define MAXO 16

/* A little world: a region trie, up to 16 orders, disruptions, protections. */
struct world {
    struct bl_arena arena;
    struct bl_regions *r;
    size_t n;
    uint32_t shop[MAXO], from[MAXO], to[MAXO];
    int64_t placed[MAXO], ship_by[MAXO], shipped[MAXO], picked[MAXO], delivered[MAXO],
        promised[MAXO], cancelled[MAXO];
    uint8_t cancel_by[MAXO];
    int32_t channel[MAXO];
    struct bl_assess_orders o;
    struct bl_assess_disruption dis[8];
    size_t ndis;
    struct bl_assess_protection prot[4];
    size_t nprot;
    struct bl_profile p;
    struct bl_assess_ctx *ctx;
};

static uint32_t region(struct world *w, const char *code)
{
    uint32_t id = 0;
    assert_int_equal(bl_regions_intern(w->r, bl_str_c(code), &id), BL_OK);
    return id;
}

static void world_init(struct world *w)
{
    memset(w, 0, sizeof(*w));
    bl_arena_init(&w->arena, 4096);
    w->r = bl_regions_new(&w->arena);
    assert_non_null(w->r);
    w->p.window_days = 30;
    w->p.pickup_secs = 24 * H;
    w->p.auto_exempt = true;
    w->p.origin_required = true;
    w->p.min_counted = 1;
    w->p.comp_bp = 500;
    w->p.comp_days = 30;
}

/* An order shipped on time, delivered on time: ship-by T0, promised T0 + 5 days. */
static size_t order(struct world *w, uint32_t shop, const char *from, const char *to)
{
    size_t i = w->n++;
    w->shop[i] = shop;
    w->from[i] = from ? region(w, from) : 0;
    w->to[i] = to ? region(w, to) : 0;
    w->placed[i] = T0 - D;
    w->ship_by[i] = T0;
    w->shipped[i] = T0 - 2 * H;
    w->picked[i] = T0;
    w->promised[i] = T0 + 5 * D;
    w->delivered[i] = T0 + 3 * D;
    w->cancelled[i] = NONE;
    w->channel[i] = -1;
    return i;
}

static void disruption(struct world *w, const char *code, enum bl_scope scope, int64_t s,
                       int64_t e)
{
    struct bl_assess_disruption *x = &w->dis[w->ndis];
    x->id = (int64_t)w->ndis + 101;
    x->region = code[0] ? region(w, code) : 0;
    x->scope = scope;
    x->starts = s;
    x->ends = e;
    x->channel = -1;
    w->ndis++;
}

static void prepare(struct world *w, size_t nshops)
{
    w->o = (struct bl_assess_orders){w->n,        w->shop,    w->placed,   w->ship_by,
                                     w->shipped,  w->picked,  w->delivered, w->promised,
                                     w->cancelled, w->cancel_by, w->from,   w->to,
                                     w->channel, false, NULL, NULL};
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_assess_prepare(w->r, w->dis, w->ndis, w->prot, w->nprot, nshops, &w->arena,
                                   &w->ctx, &d),
                 &d);
}

static struct bl_verdict verdict(struct world *w, size_t i, int64_t as_of)
{
    struct bl_verdict v;
    bl_assess_order(w->ctx, &w->o, i, &w->p, as_of, 30, &v);
    return v;
}

static void test_regions_and_scope(void **state)
{
    (void)state;
    struct world w;
    world_init(&w);
    size_t a = order(&w, 0, "BR-SP:01310", "BR-RJ"); /* origin covered by BR */
    size_t b = order(&w, 0, "CN-SD", "CN-ZJ");       /* CN-SH does not cover CN-SD */
    size_t c = order(&w, 0, "CN-JS", "CN-SH:200");   /* destination in CN-SH, scope origin */
    size_t e = order(&w, 0, "US-CA", "CN-BJ");       /* destination scope */
    size_t f = order(&w, 0, NULL, "CN-BJ");          /* no ship-from: no protection */
    disruption(&w, "BR", BL_SCOPE_BOTH, T0 - D, T0 + D);
    disruption(&w, "CN-SH", BL_SCOPE_ORIGIN, T0 - D, T0 + D);
    disruption(&w, "CN-BJ", BL_SCOPE_DESTINATION, T0 - D, T0 + D);
    prepare(&w, 1);
    int64_t A = T0 + 10 * D;
    struct bl_verdict v = verdict(&w, a, A);
    assert_true(v.due && v.exempt && !v.counted);
    assert_int_equal(v.why, BL_WHY_DISRUPTION_ORIGIN);
    assert_int_equal(v.cause_id, 101);
    v = verdict(&w, b, A);
    assert_true(v.counted && !v.exempt);
    v = verdict(&w, c, A);
    assert_true(v.counted); /* an origin-only lockdown does not cover deliveries into it */
    v = verdict(&w, e, A);
    assert_true(v.exempt);
    assert_int_equal(v.why, BL_WHY_DISRUPTION_DESTINATION);
    assert_int_equal(v.cause_id, 103);
    v = verdict(&w, f, A);
    assert_true(v.counted && !v.exempt);
    assert_int_equal(v.why, BL_WHY_NO_ORIGIN);
    /* Unless the profile protects orders without a ship-from region. */
    w.p.origin_required = false;
    v = verdict(&w, f, A);
    assert_true(v.exempt);
    /* A profile that does not exempt automatically (Amazon's) counts them all. */
    w.p.auto_exempt = false;
    v = verdict(&w, a, A);
    assert_true(v.counted);
    bl_arena_release(&w.arena);
}

static void test_time_rules(void **state)
{
    (void)state;
    struct world w;
    world_init(&w);
    size_t a = order(&w, 0, "CN-SH", "CN-ZJ");
    disruption(&w, "CN-SH", BL_SCOPE_BOTH, T0, T0 + D); /* starts exactly at the ship-by */
    size_t b = order(&w, 0, "CN-SH", "CN-ZJ");
    w.ship_by[b] = T0 + D; /* exactly at the end: not covered */
    w.shipped[b] = T0 + D;
    prepare(&w, 1);
    int64_t A = T0 + 10 * D;
    assert_true(verdict(&w, a, A).exempt);
    assert_true(verdict(&w, b, A).counted);
    /* The window is (A - 30 days, A]. */
    assert_true(verdict(&w, a, T0).due);
    assert_false(verdict(&w, a, T0 - 1).due);
    assert_true(verdict(&w, a, T0 + 30 * D - 1).due);
    assert_false(verdict(&w, a, T0 + 30 * D).due);
    bl_arena_release(&w.arena);
}

static void test_as_of_unknowns(void **state)
{
    (void)state;
    struct world w;
    world_init(&w);
    size_t a = order(&w, 0, "CN-JS", "CN-ZJ");
    w.shipped[a] = T0 + 5 * H; /* late */
    w.picked[a] = NONE;
    size_t b = order(&w, 0, "CN-JS", "CN-ZJ");
    w.cancelled[b] = T0 + 2 * D;
    w.cancel_by[b] = BL_CANCEL_SELLER;
    size_t c = order(&w, 0, "CN-JS", "CN-ZJ");
    w.cancelled[c] = NONE; /* cancelled, time unknown: known at any as-of */
    w.cancel_by[c] = BL_CANCEL_BUYER;
    size_t e = order(&w, 0, "CN-JS", "CN-ZJ");
    w.picked[e] = w.shipped[e] + 25 * H; /* picked up after the 24 h */
    prepare(&w, 1);
    /* As of T0 + 1 h, a's shipment (T0 + 5 h) is not known yet: late, not shipped. */
    struct bl_verdict v = verdict(&w, a, T0 + H);
    assert_true(v.late && !v.shipped && !v.pickup_anomaly);
    v = verdict(&w, a, T0 + 10 * H);
    assert_true(v.late && v.shipped && !v.pickup_anomaly); /* 5 h since shipping */
    v = verdict(&w, a, T0 + 40 * H);
    assert_true(v.pickup_anomaly); /* still no pickup 35 h after shipping */
    /* b was cancelled after this as-of: still due then; not due after. */
    assert_true(verdict(&w, b, T0 + D).due);
    v = verdict(&w, b, T0 + 3 * D);
    assert_false(v.due);
    assert_int_equal(v.why, BL_WHY_CANCELLED);
    assert_true(v.placed_in_window && v.seller_cancel);
    v = verdict(&w, c, T0 + D);
    assert_false(v.due);
    assert_false(v.seller_cancel);
    v = verdict(&w, e, T0 + 10 * D);
    assert_true(v.on_time && v.pickup_anomaly);
    bl_arena_release(&w.arena);
}

static void test_delivery_and_protection(void **state)
{
    (void)state;
    struct world w;
    world_init(&w);
    size_t a = order(&w, 0, "CN-JS", "US-NY");
    w.delivered[a] = w.promised[a]; /* at the deadline is late */
    size_t b = order(&w, 1, "CN-JS", "US-NY");
    w.delivered[b] = NONE;
    /* A destination disruption during transit exempts delivery, not shipment. */
    disruption(&w, "US", BL_SCOPE_DESTINATION, T0 + 2 * D, T0 + 3 * D);
    size_t c = order(&w, 2, "CN-JS", "DE");
    w.shipped[c] = T0 + H;
    w.prot[w.nprot++] = (struct bl_assess_protection){7, 2, T0 - H, T0 + H};
    prepare(&w, 3);
    int64_t A = T0 + 10 * D;
    struct bl_verdict v = verdict(&w, a, A);
    assert_true(v.counted && v.on_time);
    assert_true(v.delivery_due && v.delivery_exempt);
    assert_int_equal(v.delivery_why, BL_WHY_DISRUPTION_DESTINATION);
    v = verdict(&w, c, A);
    assert_true(v.exempt);
    assert_int_equal(v.why, BL_WHY_PROTECTION);
    assert_int_equal(v.cause_id, 7);
    assert_true(v.delivery_exempt); /* the protection overlaps [ship-by, deadline) */
    /* Without the transit disruption, a is late at the deadline and b never came. */
    w.ndis = 0;
    prepare(&w, 3);
    assert_true(verdict(&w, a, A).delivered_late);
    assert_true(verdict(&w, b, A).delivered_late);
    struct bl_shop_counts k[3];
    memset(k, 0, sizeof(k));
    bl_assess_count(w.ctx, &w.o, &w.p, A, 30, NULL, k);
    assert_int_equal(k[0].delivery_counted, 1);
    assert_int_equal(k[0].delivered_late, 1);
    assert_int_equal(k[2].exempt, 1);
    bool skip[3] = {false, true, false};
    memset(k, 0, sizeof(k));
    bl_assess_count(w.ctx, &w.o, &w.p, A, 30, skip, k);
    assert_int_equal(k[1].due, 0);
    bl_arena_release(&w.arena);
}

static void test_channel_and_supplier(void **state)
{
    (void)state;
    struct world w;
    world_init(&w);
    size_t a = order(&w, 0, "CN-HL", "RU");
    w.channel[a] = 3;
    size_t b = order(&w, 0, "CN-HL", "RU");
    w.channel[b] = 4;
    disruption(&w, "RU", BL_SCOPE_DESTINATION, T0 - D, T0 + D);
    w.dis[0].channel = 3; /* the rail route only */
    disruption(&w, "CN", BL_SCOPE_ORIGIN, T0 - D, T0 + D);
    w.dis[1].supplier_only = true; /* a supplier shutdown excuses no shipment */
    prepare(&w, 1);
    assert_true(verdict(&w, a, T0 + D).exempt);
    assert_true(verdict(&w, b, T0 + D).counted);
    bl_arena_release(&w.arena);
}

static void test_root_disruption(void **state)
{
    (void)state;
    struct world w;
    world_init(&w);
    size_t a = order(&w, 0, "JP", "FR");
    disruption(&w, "", BL_SCOPE_BOTH, T0 - D, T0 + D); /* everywhere */
    prepare(&w, 1);
    assert_true(verdict(&w, a, T0 + D).exempt);
    bl_arena_release(&w.arena);
}

/* The counters of summing bl_assess_order's verdicts over the orders. */
static void verdict_counts(const struct bl_assess_ctx *ctx, const struct bl_assess_orders *o,
                           const struct bl_profile *p, int64_t A, int W,
                           struct bl_shop_counts *slow)
{
    for (size_t i = 0; i < o->n; i++) {
        struct bl_verdict v;
        bl_assess_order(ctx, o, i, p, A, W, &v);
        struct bl_shop_counts *k = &slow[o->shop[i]];
        k->due += v.due;
        k->exempt += v.exempt;
        k->counted += v.counted;
        k->on_time += v.on_time;
        k->late += v.late;
        k->shipped += v.shipped;
        k->pickup_anomalies += v.pickup_anomaly;
        k->delivery_due += v.delivery_due;
        k->delivery_exempt += v.delivery_exempt;
        k->delivery_counted += v.delivery_counted;
        k->delivered_late += v.delivered_late;
        k->placed += v.placed_in_window;
        k->seller_cancels += v.seller_cancel;
        k->kept_on_time += v.kept_on_time;
        k->kept_tracked += v.kept_tracked;
        k->kept_delivered += v.kept_delivered;
    }
}

enum { CM_N = 4000, CM_SHOPS = 7 };

/* The same orders grouped by shop (stable), as the snapshot gives them. */
struct grouped {
    uint32_t shop[CM_N], from[CM_N], to[CM_N];
    int64_t placed[CM_N], sb[CM_N], sh[CM_N], pk[CM_N], dv[CM_N], pr[CM_N], ct[CM_N];
    uint8_t cb[CM_N];
    int32_t ch[CM_N];
    size_t off[CM_SHOPS + 1];
    struct bl_assess_orders o;
};

static void group_by_shop(const struct bl_assess_orders *o, struct grouped *g)
{
    memset(g->off, 0, sizeof(g->off));
    for (size_t i = 0; i < o->n; i++)
        g->off[o->shop[i] + 1]++;
    for (size_t s = 0; s < CM_SHOPS; s++)
        g->off[s + 1] += g->off[s];
    size_t fill[CM_SHOPS] = {0};
    for (size_t i = 0; i < o->n; i++) {
        size_t j = g->off[o->shop[i]] + fill[o->shop[i]]++;
        g->shop[j] = o->shop[i];
        g->from[j] = o->from[i];
        g->to[j] = o->to[i];
        g->placed[j] = o->placed[i];
        g->sb[j] = o->ship_by[i];
        g->sh[j] = o->shipped[i];
        g->pk[j] = o->picked_up[i];
        g->dv[j] = o->delivered[i];
        g->pr[j] = o->promised[i];
        g->ct[j] = o->cancelled[i];
        g->cb[j] = o->cancel_by[i];
        g->ch[j] = o->channel[i];
    }
    g->o = (struct bl_assess_orders){o->n, g->shop, g->placed, g->sb, g->sh, g->pk, g->dv,
                                     g->pr, g->ct, g->cb, g->from, g->to, g->ch, true, g->off, NULL};
}

/* bl_assess_count on o, in store order and grouped by shop (with and without the
 * shops' offsets), with and without a mask of shops, equals the verdicts' sums. */
static int64_t check_counts(const struct bl_assess_ctx *ctx, const struct bl_assess_orders *o,
                            struct grouped *g, const struct bl_profile *p, int64_t A, int W)
{
    struct bl_shop_counts fast[CM_SHOPS], slow[CM_SHOPS];
    memset(slow, 0, sizeof(slow));
    verdict_counts(ctx, o, p, A, W, slow);
    static const bool skip[CM_SHOPS] = {false, true, false, false, true, true, false};
    for (int way = 0; way < 6; way++) {
        struct bl_assess_orders x = way < 2 ? *o : g->o;
        if (way == 2 || way == 3)
            x.shop_off = NULL;
        bool masked = way % 2;
        memset(fast, 0, sizeof(fast));
        bl_assess_count(ctx, &x, p, A, W, masked ? skip : NULL, fast);
        for (int s = 0; s < CM_SHOPS; s++) {
            if (masked && skip[s]) {
                struct bl_shop_counts zero;
                memset(&zero, 0, sizeof(zero));
                assert_memory_equal(&fast[s], &zero, sizeof(zero));
            } else {
                assert_memory_equal(&fast[s], &slow[s], sizeof(slow[s]));
            }
        }
    }
    int64_t tot = 0;
    for (int k = 0; k < CM_SHOPS; k++)
        tot += slow[k].exempt + slow[k].delivery_exempt;
    return tot;
}

/* The pass's fast path must count exactly what the verdicts say, on random orders
 * with every rule in play: with a few disruptions, then with many on nested regions
 * (overlapping, empty, on channels and suppliers), more than the pass's lists take
 * flat, so that they link to their parents' (FLAT_MAX in assess.c). */
static void test_count_matches_verdicts(void **state)
{
    (void)state;
    enum { N = CM_N, SHOPS = CM_SHOPS, MANY = 150 };
    static const char *const codes[] = {"CN", "CN-SH", "CN-SH:200", "CN-ZJ", "US", "US-CA",
                                        "BR-SP:013", "DE", NULL};
    struct bl_arena a;
    bl_arena_init(&a, 4096);
    struct bl_regions *r = bl_regions_new(&a);
    uint32_t ids[9] = {0};
    for (int k = 0; codes[k]; k++)
        assert_int_equal(bl_regions_intern(r, bl_str_c(codes[k]), &ids[k + 1]), BL_OK);
    static uint32_t shop[N], from[N], to[N];
    static int64_t placed[N], sb[N], sh[N], pk[N], dv[N], pr[N], ct[N];
    static uint8_t cb[N];
    static int32_t ch[N];
    uint64_t x = 88172645463325252ULL;
#define RND() (x ^= x << 13, x ^= x >> 7, x ^= x << 17, x)
#define MAYBE(v) (RND() % 8 == 0 ? NONE : (v))
    for (size_t i = 0; i < N; i++) {
        shop[i] = (uint32_t)(RND() % SHOPS);
        from[i] = ids[RND() % 9];
        to[i] = ids[RND() % 9];
        placed[i] = T0 + (int64_t)(RND() % (60 * D));
        sb[i] = MAYBE(placed[i] + (int64_t)(RND() % (3 * D)));
        sh[i] = MAYBE(placed[i] + (int64_t)(RND() % (5 * D)));
        pk[i] = sh[i] == NONE ? NONE : MAYBE(sh[i] + (int64_t)(RND() % (2 * D)));
        pr[i] = MAYBE(placed[i] + (int64_t)(RND() % (12 * D)));
        dv[i] = MAYBE(placed[i] + (int64_t)(RND() % (14 * D)));
        cb[i] = (uint8_t)(RND() % 10 < 8 ? BL_CANCEL_NONE : RND() % 5);
        ct[i] = cb[i] ? MAYBE(placed[i] + (int64_t)(RND() % D)) : NONE;
        ch[i] = (int32_t)(RND() % 3) - 1;
    }
    static struct bl_assess_disruption dis[MANY] = {
        {1, 0, BL_SCOPE_ORIGIN, T0 + 10 * D, T0 + 20 * D, -1, false},
        {2, 0, BL_SCOPE_DESTINATION, T0 + 15 * D, T0 + 40 * D, -1, false},
        {3, 0, BL_SCOPE_BOTH, T0 + 5 * D, T0 + 50 * D, 1, false},
        {4, 0, BL_SCOPE_BOTH, T0, T0 + 60 * D, -1, true},
        {5, 0, BL_SCOPE_DESTINATION, T0 + 30 * D, T0 + 31 * D, -1, false},
        {6, 0, BL_SCOPE_ORIGIN, T0 + 20 * D, T0 + 45 * D, -1, false},
    };
    dis[0].region = ids[1];
    dis[1].region = ids[5];
    dis[2].region = ids[3];
    dis[3].region = ids[8];
    dis[5].region = ids[7];
    for (size_t k = 6; k < MANY; k++) {
        /* whole hours, so that some meet end to start; some empty: ends <= starts */
        int64_t s0 = T0 + (int64_t)(RND() % (60 * 24)) * H;
        int64_t len = ((int64_t)(RND() % (4 * 24)) - 12) * H;
        dis[k] = (struct bl_assess_disruption){(int64_t)k + 1,
                                               ids[RND() % 9],
                                               (enum bl_scope)(1 + RND() % 3),
                                               s0,
                                               s0 + len,
                                               RND() % 5 == 0 ? (int32_t)(RND() % 2) : -1,
                                               RND() % 10 == 0};
    }
    struct bl_assess_protection prot[2] = {{7, 2, T0 + 25 * D, T0 + 35 * D},
                                           {8, 4, T0, T0 + 5 * D}};
    struct bl_assess_orders o = {N, shop, placed, sb, sh, pk, dv, pr, ct, cb, from, to, ch, false, NULL, NULL};
    static struct grouped g;
    group_by_shop(&o, &g);
    for (size_t ndis = 6; ndis <= MANY; ndis += MANY - 6) {
        struct bl_assess_ctx *ctx;
        struct bl_diag d;
        bl_diag_clear(&d);
        BL_ASSERT_OK(bl_assess_prepare(r, dis, ndis, prot, 2, SHOPS, &a, &ctx, &d), &d);
        for (int variant = 0; variant < 4; variant++) {
            struct bl_profile p;
            memset(&p, 0, sizeof(p));
            p.pickup_secs = 24 * H;
            p.auto_exempt = variant != 1;
            p.origin_required = variant != 2;
            p.exempt_never_hurts = variant != 3;
            int64_t A = T0 + (int64_t)(20 + 10 * variant) * D + 3 * H;
            int W = variant == 3 ? 7 : 30;
            int64_t exempt = check_counts(ctx, &o, &g, &p, A, W);
            assert_true(variant == 1 || exempt > 0); /* the rules were exercised */
        }
    }
    bl_arena_release(&a);
}

/* Random orders for the properties below: shops 0..CM_SHOPS-1, about 40 days of orders. */
static void random_orders(uint64_t seed, const uint32_t *ids, size_t nids, struct grouped *g,
                          struct bl_assess_orders *o)
{
    uint64_t x = seed;
    static uint32_t shop[CM_N], from[CM_N], to[CM_N];
    static int64_t placed[CM_N], sb[CM_N], sh[CM_N], pk[CM_N], dv[CM_N], pr[CM_N], ct[CM_N];
    static uint8_t cb[CM_N];
    static int32_t ch[CM_N];
    for (size_t i = 0; i < CM_N; i++) {
        shop[i] = (uint32_t)(RND() % CM_SHOPS);
        from[i] = ids[RND() % nids];
        to[i] = ids[RND() % nids];
        placed[i] = T0 + (int64_t)(RND() % (40 * D));
        sb[i] = placed[i] + (int64_t)(RND() % (3 * D));
        sh[i] = MAYBE(placed[i] + (int64_t)(RND() % (4 * D)));
        pk[i] = sh[i] == NONE ? NONE : MAYBE(sh[i] + (int64_t)(RND() % (2 * D)));
        pr[i] = placed[i] + (int64_t)(RND() % (12 * D));
        dv[i] = MAYBE(placed[i] + (int64_t)(RND() % (14 * D)));
        cb[i] = BL_CANCEL_NONE;
        ct[i] = NONE;
        ch[i] = -1;
    }
    *o = (struct bl_assess_orders){CM_N, shop, placed, sb, sh, pk, dv, pr, ct, cb, from, to,
                                   ch, false, NULL, NULL};
    group_by_shop(o, g);
}

/* Is rate b no worse than rate a (higher better unless lower)? No data is no worse. */
static bool no_worse(double a, double b, bool lower)
{
    if (isnan(a) || isnan(b))
        return true;
    return lower ? b <= a + 1e-12 : b >= a - 1e-12;
}

/* A protection never hurts: on random orders, declaring more disruptions (a superset)
 * never makes a shop's on-time, late-shipment, pickup or late-delivery rate worse under
 * exempt_never_hurts, nor worse than with nothing declared; with it off, some rate does
 * get worse (the behaviour the rule fixes). */
static void test_exempt_never_hurts(void **state)
{
    (void)state;
    static const char *const codes[] = {"CN", "CN-SH", "CN-ZJ", "US", "US-CA", "DE", NULL};
    struct bl_arena a;
    bl_arena_init(&a, 4096);
    struct bl_regions *r = bl_regions_new(&a);
    uint32_t ids[7] = {0};
    for (int k = 0; codes[k]; k++)
        assert_int_equal(bl_regions_intern(r, bl_str_c(codes[k]), &ids[k + 1]), BL_OK);
    static struct grouped g;
    struct bl_assess_orders o;
    random_orders(0x9E3779B97F4A7C15ULL, ids, 7, &g, &o);
    struct bl_assess_disruption dis[6] = {
        {1, ids[2], BL_SCOPE_ORIGIN, T0 + 5 * D, T0 + 9 * D, -1, false},
        {2, ids[4], BL_SCOPE_DESTINATION, T0 + 12 * D, T0 + 20 * D, -1, false},
        {3, ids[1], BL_SCOPE_BOTH, T0 + 22 * D, T0 + 25 * D, -1, false},
        {4, ids[6], BL_SCOPE_DESTINATION, T0 + 2 * D, T0 + 30 * D, -1, false},
        {5, ids[3], BL_SCOPE_ORIGIN, T0 + 26 * D, T0 + 33 * D, -1, false},
        {6, 0, BL_SCOPE_BOTH, T0 + 34 * D, T0 + 36 * D, -1, false},
    };
    int64_t A = T0 + 38 * D;
    bool got_worse_without = false;
    for (int keep = 1; keep >= 0; keep--) {
        struct bl_profile p;
        memset(&p, 0, sizeof(p));
        p.pickup_secs = 24 * H;
        p.auto_exempt = true;
        p.exempt_never_hurts = keep;
        struct bl_shop_rates prev[CM_SHOPS], none[CM_SHOPS];
        for (size_t nd = 0; nd <= 6; nd++) {
            struct bl_assess_ctx *ctx;
            struct bl_diag d;
            bl_diag_clear(&d);
            BL_ASSERT_OK(bl_assess_prepare(r, dis, nd, NULL, 0, CM_SHOPS, &a, &ctx, &d), &d);
            check_counts(ctx, &o, &g, &p, A, 30); /* the pass agrees with the verdicts */
            struct bl_shop_counts k[CM_SHOPS];
            memset(k, 0, sizeof(k));
            bl_assess_count(ctx, &o, &p, A, 30, NULL, k);
            for (int s = 0; s < CM_SHOPS; s++) {
                struct bl_shop_rates x;
                bl_assess_rates(&k[s], &x);
                assert_int_equal(k[s].due, k[s].exempt + k[s].counted); /* counters as before */
                if (!keep)
                    assert_int_equal(k[s].kept_on_time + k[s].kept_tracked + k[s].kept_delivered,
                                     0);
                for (int back = 0; nd && back < 2; back++) {
                    const struct bl_shop_rates *y = back ? &none[s] : &prev[s];
                    bool ok = no_worse(y->on_time, x.on_time, false) &&
                              no_worse(y->late_shipment, x.late_shipment, true) &&
                              no_worse(y->valid_tracking, x.valid_tracking, false) &&
                              no_worse(y->late_delivery, x.late_delivery, true);
                    if (keep)
                        assert_true(ok);
                    else
                        got_worse_without |= !ok;
                }
                prev[s] = x;
                if (!nd)
                    none[s] = x;
            }
        }
    }
    assert_true(got_worse_without);
    bl_arena_release(&a);
}

/* One order of each outcome, exempt and not: what is kept and what leaves. */
static void test_kept_orders(void **state)
{
    (void)state;
    struct world w;
    world_init(&w);
    w.p.exempt_never_hurts = true;
    size_t ok = order(&w, 0, "CN-SH", "CN-ZJ");   /* exempt, everything on time */
    size_t late = order(&w, 0, "CN-SH", "CN-ZJ"); /* exempt, shipped late, scan late */
    w.shipped[late] = T0 + 5 * H;
    w.picked[late] = T0 + 40 * H;
    w.delivered[late] = T0 + 6 * D; /* after the promise */
    size_t c1 = order(&w, 0, "CN-JS", "CN-ZJ"); /* counted, on time */
    size_t c2 = order(&w, 0, "CN-JS", "CN-ZJ"); /* counted, late */
    w.shipped[c2] = T0 + 3 * H;
    disruption(&w, "CN-SH", BL_SCOPE_ORIGIN, T0 - 2 * D, T0 + 10 * D);
    prepare(&w, 1);
    int64_t A = T0 + 8 * D;
    struct bl_verdict v = verdict(&w, ok, A);
    assert_true(v.exempt && v.kept_on_time && v.kept_tracked && v.kept_delivered);
    assert_false(v.counted || v.on_time);
    v = verdict(&w, late, A);
    assert_true(v.exempt && v.delivery_exempt);
    assert_false(v.kept_on_time || v.kept_tracked || v.kept_delivered);
    assert_true(verdict(&w, c1, A).on_time);
    assert_true(verdict(&w, c2, A).late);
    struct bl_shop_counts k;
    memset(&k, 0, sizeof(k));
    bl_assess_count(w.ctx, &w.o, &w.p, A, 30, NULL, &k);
    /* the counters as they were: 4 due, 2 exempt, 2 counted, 1 late */
    assert_int_equal(k.due, 4);
    assert_int_equal(k.exempt, 2);
    assert_int_equal(k.counted, 2);
    assert_int_equal(k.late, 1);
    assert_int_equal(k.kept_on_time, 1);
    assert_int_equal(k.kept_tracked, 1);
    assert_int_equal(k.kept_delivered, 1);
    struct bl_shop_rates x;
    bl_assess_rates(&k, &x);
    assert_true(fabs(x.on_time - 2.0 / 3.0) < 1e-12); /* (1 + 1) / (2 + 1); was 1 / 2 */
    assert_true(fabs(x.late_shipment - 1.0 / 3.0) < 1e-12);
    assert_true(fabs(x.valid_tracking - 1.0) < 1e-12);
    assert_true(fabs(x.late_delivery - 0.0) < 1e-12);
    w.p.exempt_never_hurts = false; /* every exempt order leaves */
    memset(&k, 0, sizeof(k));
    bl_assess_count(w.ctx, &w.o, &w.p, A, 30, NULL, &k);
    bl_assess_rates(&k, &x);
    assert_int_equal(k.kept_on_time + k.kept_tracked + k.kept_delivered, 0);
    assert_true(fabs(x.on_time - 0.5) < 1e-12);
    assert_false(verdict(&w, ok, A).kept_on_time);
    bl_arena_release(&w.arena);
}

/* A rule as a person reads it: value, the orders behind it, points and status. */
static void test_rule_result(void **state)
{
    (void)state;
    struct bl_shop_counts k;
    memset(&k, 0, sizeof(k));
    k.due = 120;
    k.exempt = 20;
    k.counted = 100;
    k.on_time = 97;
    k.late = 3;
    k.kept_on_time = 15;
    k.shipped = 99;
    k.pickup_anomalies = 9;
    k.kept_tracked = 1;
    k.delivery_due = 50;
    k.delivery_exempt = 10;
    k.delivery_counted = 40;
    k.delivered_late = 4;
    k.kept_delivered = 8;
    k.placed = 200;
    k.seller_cancels = 2;
    struct bl_rule late = {BL_M_LATE_SHIPMENT, 10, 1, 0.0, 0.08, true, 0.04};
    struct bl_rule_result y;
    bl_assess_rule(&late, &k, 10, &y);
    assert_int_equal(y.window_days, 10);
    assert_int_equal(y.num, 3);
    assert_int_equal(y.den, 115);
    assert_int_equal(y.due, 120);
    assert_int_equal(y.exempt, 20);
    assert_int_equal(y.counted, 100);
    assert_int_equal(y.kept, 15);
    assert_true(fabs(y.value - 3.0 / 115) < 1e-12);
    assert_int_equal(y.status, BL_RULE_AT_RISK); /* 2.6%: past half way to the 4% target */
    assert_true(fabs(y.points - (0.08 - 3.0 / 115) / 0.08) < 1e-12);
    k.late = 1;
    bl_assess_rule(&late, &k, 10, &y);
    assert_int_equal(y.status, BL_RULE_OK); /* 0.9% */
    k.late = 5;
    bl_assess_rule(&late, &k, 10, &y);
    assert_int_equal(y.status, BL_RULE_BREACH); /* 4.3% >= 4% */
    struct bl_rule track = {BL_M_VALID_TRACKING, 0, 1, 1.0, 0.90, true, 0.95};
    bl_assess_rule(&track, &k, 30, &y);
    assert_int_equal(y.num, 91); /* (99 + 1) shipped and kept, 9 anomalies */
    assert_int_equal(y.den, 100);
    assert_int_equal(y.counted, 99);
    assert_int_equal(y.kept, 1);
    assert_int_equal(y.status, BL_RULE_BREACH); /* 91% < 95% */
    struct bl_rule deliv = {BL_M_LATE_DELIVERY, 0, 2, 0.02, 0.30, false, 0};
    bl_assess_rule(&deliv, &k, 30, &y);
    assert_int_equal(y.num, 4);
    assert_int_equal(y.den, 48);
    assert_int_equal(y.status, BL_RULE_OK); /* 8.3%, half way to no points is 16% */
    k.delivered_late = 10;
    bl_assess_rule(&deliv, &k, 30, &y);
    assert_int_equal(y.status, BL_RULE_AT_RISK); /* 20.8% */
    k.delivered_late = 30;
    bl_assess_rule(&deliv, &k, 30, &y);
    assert_int_equal(y.status, BL_RULE_BREACH); /* 62.5%: no points, no target */
    assert_true(y.points == 0);
    struct bl_rule cancel = {BL_M_CANCEL, 7, 1, 0.0, 0.05, true, 0.025};
    bl_assess_rule(&cancel, &k, 7, &y);
    assert_int_equal(y.num, 2);
    assert_int_equal(y.den, 200);
    assert_int_equal(y.exempt, 0);
    assert_int_equal(y.status, BL_RULE_OK);
    memset(&k, 0, sizeof(k));
    bl_assess_rule(&cancel, &k, 7, &y);
    assert_int_equal(y.status, BL_RULE_NO_DATA);
    assert_true(isnan(y.value) && isnan(y.points));
    assert_string_equal(bl_rule_status_name(BL_RULE_AT_RISK), "at_risk");
}

static void test_rates_and_rating(void **state)
{
    (void)state;
    struct bl_profile p;
    memset(&p, 0, sizeof(p));
    p.rules[0] = (struct bl_rule){BL_M_ON_TIME, 0, 3, 0.99, 0.80, true, 0.90};
    p.rules[1] = (struct bl_rule){BL_M_PICKUP_ANOMALY, 0, 1, 0.01, 0.21, false, 0};
    p.nrules = 2;
    p.bands[0] = (struct bl_band){90, "5"};
    p.bands[1] = (struct bl_band){60, "3"};
    p.bands[2] = (struct bl_band){0, "1"};
    p.nbands = 3;
    p.breach_band = 1;
    struct bl_shop_counts k = {0};
    k.counted = 100;
    k.on_time = 99;
    k.late = 1;
    k.shipped = 100;
    k.pickup_anomalies = 11; /* 0.11: half-way between good and bad */
    struct bl_shop_rates r[2];
    bl_assess_rates(&k, &r[0]);
    r[1] = r[0];
    assert_true(fabs(r[0].on_time - 0.99) < 1e-12);
    assert_true(fabs(r[0].valid_tracking - 0.89) < 1e-12);
    assert_true(isnan(r[0].late_delivery));
    double score;
    char label[16];
    bl_assess_rating(&p, r, &score, label);
    assert_true(fabs(score - 100.0 * (3 * 1.0 + 1 * 0.5) / 4) < 1e-9); /* 87.5 */
    assert_string_equal(label, "3");
    /* A missed target caps the band even with a high score. */
    k.on_time = 89;
    k.late = 11;
    k.pickup_anomalies = 0;
    bl_assess_rates(&k, &r[0]);
    r[1] = r[0];
    p.bands[1].min_score = 40;
    bl_assess_rating(&p, r, &score, label);
    assert_string_equal(label, "3");
    /* No data: no score, no label. */
    struct bl_shop_counts z = {0};
    bl_assess_rates(&z, &r[0]);
    r[1] = r[0];
    bl_assess_rating(&p, r, &score, label);
    assert_true(isnan(score));
    assert_string_equal(label, "");
    int win[BL_RULES_MAX + 1];
    p.rules[0].window_days = 10;
    p.rules[1].window_days = 30;
    assert_int_equal(bl_assess_windows(&p, 30, win), 2);
    assert_int_equal(win[0], 30);
    assert_int_equal(win[1], 10);
    assert_string_equal(bl_metric_name(BL_M_CANCEL), "cancel_rate");
    assert_int_equal(bl_metric_from_name("valid_tracking_rate"), BL_M_VALID_TRACKING);
    assert_int_equal(bl_metric_from_name("nope"), BL_M__COUNT);
}

/* Order i ships by t: on time (shipped an hour before) or late (an hour after). */
static void ship_by(struct world *w, size_t i, int64_t t, bool late)
{
    w->placed[i] = t - D;
    w->ship_by[i] = t;
    w->shipped[i] = late ? t + H : t - H;
    w->picked[i] = w->shipped[i];
    w->promised[i] = t + 5 * D;
    w->delivered[i] = t + 3 * D;
}

/* The carry-over: a shop short at A takes the first earlier day (up to carry_days)
 * with enough counted shipments, else the latest stored result that had enough and
 * was not carried itself, else no rating. */
static void test_carry_over(void **state)
{
    (void)state;
    struct world w;
    world_init(&w);
    w.p.window_days = 2;
    w.p.min_counted = 2;
    w.p.carry_days = 3;
    w.p.rules[0] = (struct bl_rule){BL_M_ON_TIME, 0, 1, 1.0, 0.0, false, 0};
    w.p.nrules = 1;
    w.p.bands[0] = (struct bl_band){90, "good"};
    w.p.bands[1] = (struct bl_band){0, "poor"};
    w.p.nbands = 2;
    /* Shop 0: one late at A; two on time three days back, in the window of A - 1 day. */
    ship_by(&w, order(&w, 0, "CN-JS", "CN-ZJ"), T0 - H, true);
    ship_by(&w, order(&w, 0, "CN-JS", "CN-ZJ"), T0 - 3 * D + H, false);
    ship_by(&w, order(&w, 0, "CN-JS", "CN-ZJ"), T0 - 3 * D + 2 * H, false);
    /* Shop 1: one order, never enough; shop 2: enough at A; shop 3 skipped; shop 4:
     * one order and nothing stored. */
    ship_by(&w, order(&w, 1, "CN-JS", "CN-ZJ"), T0 - H, true);
    ship_by(&w, order(&w, 2, "CN-JS", "CN-ZJ"), T0 - H, false);
    ship_by(&w, order(&w, 2, "CN-JS", "CN-ZJ"), T0 - 2 * H, true);
    ship_by(&w, order(&w, 3, "CN-JS", "CN-ZJ"), T0 - H, true);
    ship_by(&w, order(&w, 4, "CN-JS", "CN-ZJ"), T0 - H, false);
    prepare(&w, 5);
    bool skip[5] = {false, false, false, true, false};
    struct bl_shop_result res[5];
    memset(res, 0, sizeof(res));
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_assess_shops(w.ctx, &w.o, &w.p, T0, 2, 5, skip, &w.arena, res, &d), &d);
    /* Shop 0: A's counters, day A - 1's rates and rating. */
    assert_int_equal(res[0].k.counted, 1);
    assert_int_equal(res[0].k.late, 1);
    assert_true(res[0].carried);
    assert_int_equal(res[0].carried_from, T0 - D);
    assert_true(fabs(res[0].rates.on_time - 1.0) < 1e-12);
    assert_string_equal(res[0].rating, "good");
    assert_false(res[0].pending);
    /* its rule is the carried day's too: 2 of 2 on time */
    assert_true(res[0].rules_known);
    assert_int_equal(res[0].rules[0].num, 2);
    assert_int_equal(res[0].rules[0].den, 2);
    assert_int_equal(res[0].rules[0].status, BL_RULE_OK);
    /* Shop 1 and 4: short on every day: pending, no rating yet. */
    assert_true(res[1].pending);
    assert_string_equal(res[1].rating, "");
    assert_true(res[4].pending);
    /* Shop 2: enough at A, 50% on time. */
    assert_false(res[2].carried);
    assert_true(res[2].enough);
    assert_string_equal(res[2].rating, "poor");
    assert_true(fabs(res[2].score - 50.0) < 1e-9);
    assert_int_equal(res[2].rules[0].num, 1);
    assert_int_equal(res[2].rules[0].den, 2);
    assert_int_equal(res[2].rules[0].status, BL_RULE_OK); /* 50%: half way to bad, not past */
    assert_null(res[3].rules); /* skipped: untouched */
    /* Stored results: the latest that had enough and was not carried is taken. */
    struct bl_assess_earlier e[5];
    memset(e, 0, sizeof(e));
    e[0] = (struct bl_assess_earlier){1, T0 - 5 * D, {0}, 80.0, "good", true}; /* carried */
    e[1] = (struct bl_assess_earlier){1, T0 - 10 * D, {0}, 75.0, "poor", false};
    e[1].k.counted = 4;
    e[1].k.on_time = 3;
    e[2] = (struct bl_assess_earlier){1, T0 - 20 * D, {0}, 100.0, "good", false};
    e[2].k.counted = 4;
    e[2].k.on_time = 4;
    e[3] = (struct bl_assess_earlier){1, T0 - 3 * D, {0}, 100.0, "good", false};
    e[3].k.counted = 1; /* too few */
    e[4] = (struct bl_assess_earlier){4, T0, {0}, 100.0, "good", false}; /* not earlier */
    e[4].k.counted = 9;
    bl_assess_carry_stored(&w.p, T0, e, 5, 5, res);
    assert_true(res[1].carried);
    assert_int_equal(res[1].carried_from, T0 - 10 * D);
    assert_true(fabs(res[1].rates.on_time - 0.75) < 1e-12);
    assert_string_equal(res[1].rating, "poor");
    assert_false(res[1].pending);
    assert_false(res[4].carried);
    assert_string_equal(res[4].rating, "");
    assert_false(res[4].pending);
    /* The same stored results in another order give the same choice. */
    struct bl_assess_earlier rev[5] = {e[4], e[3], e[2], e[1], e[0]};
    res[1].pending = true;
    res[1].carried = false;
    bl_assess_carry_stored(&w.p, T0, rev, 5, 5, res);
    assert_int_equal(res[1].carried_from, T0 - 10 * D);
    bl_arena_release(&w.arena);
}

static void test_coupon_amount(void **state)
{
    (void)state;
    struct bl_profile p;
    memset(&p, 0, sizeof(p));
    p.comp_bp = 500;
    p.limits[0] = (struct bl_comp_limit){"CNY", 300, 5000};
    p.nlimits = 1;
    assert_int_equal(bl_coupon_amount(&p, 10000, "CNY"), 500); /* 5% of 100.00 */
    assert_int_equal(bl_coupon_amount(&p, 1000, "CNY"), 300);  /* minimum 3.00 */
    assert_int_equal(bl_coupon_amount(&p, 500000, "CNY"), 5000); /* maximum 50.00 */
    assert_int_equal(bl_coupon_amount(&p, 1010, "USD"), 51);   /* 50.5 rounds half up */
    assert_int_equal(bl_coupon_amount(&p, 9, "USD"), 1);       /* at least one minor unit */
    assert_int_equal(bl_coupon_amount(&p, INT64_MAX, "USD"), INT64_C(461168601842738790)); /* no overflow */
    assert_int_equal(bl_coupon_amount(&p, 0, "USD"), 0);
}

static void test_compensate(void **state)
{
    (void)state;
    struct world w;
    world_init(&w);
    size_t a = order(&w, 0, "CN-JS", "CN-ZJ");
    w.shipped[a] = T0 + H; /* late */
    size_t b = order(&w, 0, "CN-JS", "CN-ZJ");
    w.shipped[b] = NONE; /* never shipped: late */
    size_t c = order(&w, 1, "CN-SH", "CN-ZJ");
    w.shipped[c] = NONE; /* late, but the lockdown exempts it */
    size_t e = order(&w, 1, "CN-JS", "US-NY");
    w.shipped[e] = NONE; /* late, shop 1's deposit is in CNY, the order in USD */
    size_t f = order(&w, 2, "CN-JS", "CN-ZJ");
    w.shipped[f] = NONE; /* late, shop 2's deposit too small */
    disruption(&w, "CN-SH", BL_SCOPE_ORIGIN, T0 - D, T0 + D);
    prepare(&w, 3);
    int64_t amount[MAXO] = {10000, 2000, 3000, 4000, 5000};
    uint8_t cur[MAXO] = {0, 0, 0, 1, 0};
    const char currencies[2][4] = {"CNY", "USD"};
    const char shop_cur[3][4] = {"CNY", "CNY", "CNY"};
    int64_t balance[3] = {1000, 100000, 10};
    bool done[MAXO] = {false};
    w.p.limits[0] = (struct bl_comp_limit){"CNY", 300, 5000};
    w.p.nlimits = 1;
    struct bl_comp_input in = {w.ctx, &w.o, &w.p, T0 + 2 * D, amount, cur, currencies,
                               done, shop_cur, balance};
    struct bl_coupon *c1;
    size_t n;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_compensate(&in, &w.arena, &c1, &n, &d), &d);
    assert_int_equal(n, 4);
    assert_int_equal(c1[0].order, a);
    assert_int_equal(c1[0].amount, 500);
    assert_int_equal(c1[0].state, BL_COUPON_PAID);
    assert_int_equal(c1[0].balance_after, 500);
    assert_int_equal(c1[1].order, b);
    assert_int_equal(c1[1].amount, 300);
    assert_int_equal(c1[1].balance_after, 200);
    assert_int_equal(c1[2].order, e);
    assert_int_equal(c1[2].state, BL_COUPON_OWED_CURRENCY);
    assert_int_equal(c1[3].order, f);
    assert_int_equal(c1[3].state, BL_COUPON_OWED_SHORT);
    assert_int_equal(balance[2], 10);
    /* Once per order: with those marked done, nothing more. */
    for (size_t k = 0; k < n; k++)
        done[c1[k].order] = true;
    BL_ASSERT_OK(bl_compensate(&in, &w.arena, &c1, &n, &d), &d);
    assert_int_equal(n, 0);
    w.p.comp_bp = 0; /* a profile that pays nothing */
    memset(done, 0, sizeof(done));
    BL_ASSERT_OK(bl_compensate(&in, &w.arena, &c1, &n, &d), &d);
    assert_int_equal(n, 0);
    bl_arena_release(&w.arena);
}

static int parse(const char *json, struct bl_profile *p, struct bl_diag *d)
{
    bl_diag_clear(d);
    return bl_profile_parse(json, strlen(json), "t.json", p, d);
}

/* A shop's trend: each day's own evaluation (no carry-over), as bl_assess_shops would
 * give it before carrying: enough and rated on the days two on-time shipments are in the
 * window, short (no rating, the one late shipment counted) on the last day. */
static void test_trend(void **state)
{
    (void)state;
    struct world w;
    world_init(&w);
    w.p.window_days = 2;
    w.p.min_counted = 2;
    w.p.carry_days = 3;
    w.p.rules[0] = (struct bl_rule){BL_M_ON_TIME, 0, 1, 1.0, 0.0, false, 0};
    w.p.nrules = 1;
    w.p.bands[0] = (struct bl_band){90, "good"};
    w.p.bands[1] = (struct bl_band){0, "poor"};
    w.p.nbands = 2;
    ship_by(&w, order(&w, 0, "CN-JS", "CN-ZJ"), T0 - H, true);
    ship_by(&w, order(&w, 0, "CN-JS", "CN-ZJ"), T0 - 3 * D + H, false);
    ship_by(&w, order(&w, 0, "CN-JS", "CN-ZJ"), T0 - 3 * D + 2 * H, false);
    ship_by(&w, order(&w, 1, "CN-JS", "CN-ZJ"), T0 - 2 * D, true);
    prepare(&w, 2);
    struct bl_assess_day days[4];
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_assess_trend(w.ctx, &w.o, &w.p, 0, 2, T0 - 3 * D, 4, 2, &w.arena, days, &d),
                 &d);
    assert_int_equal(days[0].as_of, T0 - 3 * D);
    assert_false(days[0].enough); /* the two ship-bys come after it */
    assert_int_equal(days[0].rules[0].den, 0);
    for (int k = 1; k <= 2; k++) {
        assert_true(days[k].enough);
        assert_string_equal(days[k].rating, "good");
        assert_int_equal(days[k].rules[0].num, 2);
        assert_int_equal(days[k].rules[0].den, 2);
    }
    assert_int_equal(days[3].as_of, T0);
    assert_false(days[3].enough); /* short: its own, not carried */
    assert_string_equal(days[3].rating, "");
    assert_int_equal(days[3].rules[0].num, 0);
    assert_int_equal(days[3].rules[0].den, 1);
    /* the last day's counts are bl_assess_shops's at T0 */
    struct bl_shop_result res[2];
    memset(res, 0, sizeof(res));
    BL_ASSERT_OK(bl_assess_shops(w.ctx, &w.o, &w.p, T0, 2, 2, NULL, &w.arena, res, &d), &d);
    assert_int_equal(res[0].k.counted, 1);
    assert_int_equal(res[0].k.late, 1);
    /* a shop out of range is refused */
    assert_int_equal(bl_assess_trend(w.ctx, &w.o, &w.p, 2, 2, T0, 1, 2, &w.arena, days, &d),
                     BL_EINVAL);
    bl_arena_release(&w.arena);
}

/* The rules a shop is in breach of: those with a target its rate misses, and those without
 * a target at or past their bad value (they score nothing); no data breaches nothing. */
static void test_failing_rules(void **state)
{
    (void)state;
    struct bl_profile p;
    struct bl_diag d;
    const char *json =
        "{\"name\": \"t\", \"window_days\": 30, \"min_counted\": 1, \"carry_days\": 0,"
        " \"rules\": ["
        "{\"metric\": \"late_shipment_rate\", \"good\": 0, \"bad\": 0.08, \"target\": 0.04},"
        "{\"metric\": \"valid_tracking_rate\", \"good\": 1, \"bad\": 0.9, \"target\": 0.95},"
        "{\"metric\": \"cancel_rate\", \"good\": 0, \"bad\": 0.05}],"
        " \"bands\": [{\"min_score\": 80, \"label\": \"ok\"}, {\"min_score\": 0, \"label\": \"bad\"}],"
        " \"breach_band\": \"bad\", \"compensation\": {\"percent\": \"0\"}}";
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_profile_parse(json, strlen(json), "t.json", &p, &d), &d);
    struct bl_shop_rates r[3];
    for (size_t q = 0; q < 3; q++)
        r[q] = (struct bl_shop_rates){NAN, NAN, NAN, NAN, NAN, NAN};
    r[0].late_shipment = 0.05; /* misses 4% */
    r[1].valid_tracking = 0.96; /* meets 95% */
    r[2].cancel = 0.04;         /* no target, short of bad (5%): scores, not in breach */
    assert_int_equal(bl_assess_failing(&p, r), 1u);
    r[2].cancel = 0.05; /* no target, at bad: scores nothing, in breach */
    assert_int_equal(bl_assess_failing(&p, r), 5u);
    r[2].cancel = 0.01;
    r[0].late_shipment = 0.04; /* at the target: missed (it must stay below) */
    r[1].valid_tracking = 0.94;
    assert_int_equal(bl_assess_failing(&p, r), 3u);
    r[0].late_shipment = NAN; /* no data */
    r[2].cancel = NAN;
    assert_int_equal(bl_assess_failing(&p, r), 2u);
}

#define RULES "\"rules\": [{\"metric\": \"on_time_rate\", \"good\": 0.99, \"bad\": 0.8}]"
#define BANDS "\"bands\": [{\"min_score\": 50, \"label\": \"ok\"}, {\"min_score\": 0, \"label\": \"bad\"}]"

static void test_profile_parse(void **state)
{
    (void)state;
    struct bl_profile p;
    struct bl_diag d;
    assert_int_equal(parse("{\"name\": \"x\", " RULES ", " BANDS ", \"breach_band\": \"bad\","
                           " \"compensation\": {\"percent\": \"2.5\", \"limits\": {\"jpy\":"
                           " {\"min\": \"100\", \"max\": \"1000\"}}}}",
                           &p, &d),
                     BL_OK);
    assert_string_equal(p.name, "x");
    assert_int_equal(p.window_days, 30);
    assert_int_equal(p.pickup_secs, 24 * 3600);
    assert_int_equal(p.comp_bp, 250);
    assert_string_equal(p.limits[0].currency, "JPY");
    assert_int_equal(p.limits[0].min, 100);
    assert_int_equal(p.breach_band, 1);
    assert_true(p.exempt_never_hurts); /* the default: a protection never hurts */
    assert_int_equal(parse("{\"name\": \"x\", \"exempt_never_hurts\": false, " RULES ", " BANDS "}",
                           &p, &d),
                     BL_OK);
    assert_false(p.exempt_never_hurts);
    struct {
        const char *json, *field, *msg;
    } bad[] = {
        {"{\"name\": \"x\", \"exempt_never_hurts\": 1, " RULES ", " BANDS "}", "exempt_never_hurts",
         "true or false"},
        {"{\"name\": \"x\",\n \"rules\": [}", "", "bad JSON"},
        {"{\"name\": \"x\", \"windowdays\": 3, " RULES ", " BANDS "}", "windowdays", "unknown field"},
        {"{\"name\": \"x\", \"rules\": [{\"metric\": \"speed\", \"good\": 1, \"bad\": 0}], " BANDS "}",
         "rules[0].metric", "expected one of"},
        {"{\"name\": \"x\", \"rules\": [{\"metric\": \"cancel_rate\", \"good\": 0.5, \"bad\": 0.1}], " BANDS "}",
         "rules[0]", "lower better"},
        {"{\"name\": \"x\", " RULES ", \"bands\": [{\"min_score\": 0, \"label\": \"a\"}, {\"min_score\": 10, \"label\": \"b\"}]}",
         "bands[1]", "lower than the band before"},
        {"{\"name\": \"x\", " RULES ", " BANDS ", \"breach_band\": \"zz\"}", "breach_band", "one of the bands"},
        {"{\"name\": \"x\", " RULES ", " BANDS ", \"compensation\": {\"percent\": \"101\"}}",
         "compensation.percent", "0 to 100"},
        {"{\"name\": \"x\", " RULES ", " BANDS ", \"compensation\": {\"percent\": \"5\", \"limits\": {\"ABC\": {\"min\": \"1\", \"max\": \"2\"}}}}",
         "compensation.limits.ABC", "ISO 4217"},
        {"{\"name\": \"x\", " RULES ", " BANDS ", \"compensation\": {\"percent\": \"5\", \"limits\": {\"USD\": {\"min\": \"3\", \"max\": \"2\"}}}}",
         "compensation.limits.USD", "min <= max"},
        {"{\"name\": \"x\", \"window_days\": 0, " RULES ", " BANDS "}", "window_days", "1..365"},
        {"[]", "", "JSON object"},
    };
    for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        int rc = parse(bad[k].json, &p, &d);
        if (rc != BL_EPARSE || strcmp(d.field, bad[k].field) != 0 || !strstr(d.msg, bad[k].msg))
            fail_msg("case %zu: rc %d field '%s' msg '%s'", k, rc, d.field, d.msg);
        assert_string_equal(d.file, "t.json");
    }
    parse("{\"name\": \"x\",\n \"rules\": [}", &p, &d);
    assert_int_equal(d.line, 2);
    assert_non_null(strstr(d.msg, "column 12")); /* as a programme's file says (json_doc.c) */
}

static void test_shipped_profiles(void **state)
{
    (void)state;
    const char *src = getenv("BL_SOURCE_DIR");
    char dir[1024];
    snprintf(dir, sizeof(dir), "%s/profiles", src ? src : ".");
    const char *names[] = {"kuaishou", "douyin", "amazon", "temu", "own-site", "olist"};
    for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
        struct bl_profile p;
        struct bl_diag d;
        bl_diag_clear(&d);
        BL_ASSERT_OK(bl_profile_load(dir, names[k], &p, &d), &d);
        assert_string_equal(p.name, names[k]);
        assert_true(p.exempt_never_hurts);
    }
    /* Amazon's published targets. */
    struct bl_profile a;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_profile_load(dir, "amazon", &a, &d), &d);
    int lsr = 0, cancel = 0, vtr = 0;
    for (size_t k = 0; k < a.nrules; k++) {
        const struct bl_rule *r = &a.rules[k];
        if (r->metric == BL_M_LATE_SHIPMENT && r->has_target && r->target == 0.04 &&
            (r->window_days == 10 || r->window_days == 30))
            lsr++;
        if (r->metric == BL_M_CANCEL && r->window_days == 7 && r->target == 0.025)
            cancel++;
        if (r->metric == BL_M_VALID_TRACKING && r->target == 0.95)
            vtr++;
    }
    assert_int_equal(lsr, 2);
    assert_int_equal(cancel, 1);
    assert_int_equal(vtr, 1);
    assert_false(a.auto_exempt);
    struct bl_profile p;
    bl_diag_clear(&d);
    assert_int_equal(bl_profile_load(dir, "nope", &p, &d), BL_ENOTFOUND);
    assert_non_null(strstr(d.msg, "kuaishou"));
    assert_int_equal(bl_profile_load(dir, "../etc", &p, &d), BL_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regions_and_scope),
        cmocka_unit_test(test_time_rules),
        cmocka_unit_test(test_as_of_unknowns),
        cmocka_unit_test(test_delivery_and_protection),
        cmocka_unit_test(test_channel_and_supplier),
        cmocka_unit_test(test_root_disruption),
        cmocka_unit_test(test_count_matches_verdicts),
        cmocka_unit_test(test_exempt_never_hurts),
        cmocka_unit_test(test_kept_orders),
        cmocka_unit_test(test_rule_result),
        cmocka_unit_test(test_rates_and_rating),
        cmocka_unit_test(test_carry_over),
        cmocka_unit_test(test_trend),
        cmocka_unit_test(test_failing_rules),
        cmocka_unit_test(test_coupon_amount),
        cmocka_unit_test(test_compensate),
        cmocka_unit_test(test_profile_parse),
        cmocka_unit_test(test_shipped_profiles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
