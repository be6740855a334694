/* replenish_test.c - cover, stock-out day, safety stock, order quantity, lead time
 * under disruptions and backup suppliers, with answers worked out by hand. */
#include <math.h>
#include <string.h>

#include "testutil.h"
#include "ballast/replenish.h"

#define DAY0 20000

static struct bl_rp_supplier supplier(const char *region, int64_t lead, int64_t lead_max,
                                      int64_t moq, int64_t pack)
{
    struct bl_rp_supplier s = {region, lead, lead_max, moq, pack, BL_RP_SUP_ACTIVE, -1, region};
    return s;
}

static struct bl_rp_input input(const struct bl_rp_supplier *sup, size_t nsup,
                                const struct bl_rp_sku *skus, size_t nskus)
{
    struct bl_rp_input in;
    memset(&in, 0, sizeof(in));
    in.as_of = DAY0;
    bl_rp_policy_init(&in.policy);
    in.suppliers = sup;
    in.nsuppliers = nsup;
    in.skus = skus;
    in.nskus = nskus;
    return in;
}

static void plan(const struct bl_rp_input *in, struct bl_arena *a, struct bl_rp_plan *out)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_rp_plan(in, a, out, &d), &d);
}

/* The seed policy: keep 30 days of sales, reorder below 15 days plus lead time. */
static void test_seed_policy(void **state)
{
    (void)state;
    struct bl_rp_supplier sup = supplier("CN-GD", 10, 10, 1, 1);
    struct bl_rp_stock st = {0, 200, 20};
    struct bl_rp_sku sku = {10, 0, &st, 1, NULL, 0, 0, false, 0, 0, NULL, 0, "k1"};
    struct bl_rp_input in = input(&sup, 1, &sku, 1);
    struct bl_arena a = BL_ARENA_INIT;
    struct bl_rp_plan p;
    plan(&in, &a, &p);
    assert_int_equal(p.available, 180);
    assert_true(fabs(p.days_cover - 18) < 1e-9);
    assert_int_equal(p.stockout_day, DAY0 + 18);
    assert_true(fabs(p.lead_days - 10) < 1e-9);
    assert_true(fabs(p.safety_stock - 150) < 1e-9);  /* 15 days */
    assert_true(fabs(p.reorder_point - 250) < 1e-9); /* 10 * (10 + 15) */
    assert_true(fabs(p.order_up_to - 400) < 1e-9);   /* 10 * (10 + 30) */
    assert_true(p.reorder_now);
    assert_int_equal(p.order_qty, 220);
    assert_int_equal(p.order_by_day, DAY0);
    assert_true(p.alerts & BL_RP_ALERT_REORDER);
    assert_true(p.alerts & BL_RP_ALERT_STOCKOUT);
    assert_false(p.alerts & BL_RP_ALERT_LOW); /* 18 days >= 7 */
    assert_false(p.stockout_unavoidable);     /* an order today arrives on day 10 */

    /* 400 available: no order yet; the position reaches the ROP in 15 days */
    st.on_hand = 400;
    st.reserved = 0;
    plan(&in, &a, &p);
    assert_false(p.reorder_now);
    assert_int_equal(p.order_qty, 0);
    assert_int_equal(p.order_by_day, DAY0 + 15);
    assert_int_equal(p.stockout_day, DAY0 + 40);
    assert_int_equal(p.alerts, 0);
    bl_arena_release(&a);
}

static void test_moq_case_pack(void **state)
{
    (void)state;
    struct bl_rp_supplier sup[3] = {supplier("CN", 10, 10, 300, 48), supplier("CN", 10, 10, 1, 48),
                                    supplier("CN", 10, 10, 1, 1)};
    struct bl_rp_stock st = {0, 180, 0};
    struct bl_rp_sku sku[3] = {{10, 0, &st, 1, NULL, 0, 0, false, 0, 0, NULL, 0, "k1"},
                               {10, 0, &st, 1, NULL, 0, 1, false, 0, 0, NULL, 0, "k1"},
                               {10, 0, &st, 1, NULL, 0, 2, false, 0, 0, NULL, 0, "k1"}};
    struct bl_rp_input in = input(sup, 3, sku, 3);
    struct bl_arena a = BL_ARENA_INIT;
    struct bl_rp_plan p[3];
    plan(&in, &a, p);
    assert_int_equal(p[0].order_qty, 336); /* need 220 -> moq 300 -> 7 cases of 48 */
    assert_int_equal(p[1].order_qty, 240); /* need 220 -> 5 cases of 48 */
    assert_int_equal(p[2].order_qty, 220);
    bl_arena_release(&a);
}

static void test_service_level(void **state)
{
    (void)state;
    double z;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_rp_z_for_service(0.95, &z, &d), &d);
    assert_true(fabs(z - 1.6449) < 1e-3);
    BL_ASSERT_OK(bl_rp_z_for_service(0.99, &z, &d), &d);
    assert_true(fabs(z - 2.3263) < 1e-3);
    assert_int_equal(bl_rp_z_for_service(0.3, &z, &d), BL_ERANGE);

    struct bl_rp_supplier sup = supplier("CN", 9, 13, 1, 1); /* sigma_L = 2 */
    struct bl_rp_stock st = {0, 1000, 0};
    struct bl_rp_sku sku = {10, 3, &st, 1, NULL, 0, 0, false, 0, 0, NULL, 0, "k1"};
    struct bl_rp_input in = input(&sup, 1, &sku, 1);
    in.policy.ss_mode = BL_RP_SS_SERVICE;
    in.policy.z = 1.645;
    struct bl_arena a = BL_ARENA_INIT;
    struct bl_rp_plan p;
    plan(&in, &a, &p);
    double ss = 1.645 * sqrt(9 * 9.0 + 100 * 4.0);
    assert_true(fabs(p.safety_stock - ss) < 1e-9);
    assert_true(fabs(p.reorder_point - (90 + ss)) < 1e-9);
    assert_true(fabs(p.order_up_to - 390) < 1e-9);
    bl_arena_release(&a);
}

/* Safety stock from the forecast's own lead-time quantile, scaled to the lead time. */
static void test_quantile_safety_stock(void **state)
{
    (void)state;
    struct bl_rp_supplier sup = supplier("CN", 9, 9, 1, 1);
    struct bl_rp_stock st = {0, 1000, 0};
    struct bl_rp_sku sku = {10, 3, &st, 1, NULL, 0, 0, false, 20, 36, NULL, 0, "k1"};
    struct bl_rp_input in = input(&sup, 1, &sku, 1);
    in.policy.ss_mode = BL_RP_SS_QUANTILE;
    in.policy.z = 1.645;
    struct bl_arena a = BL_ARENA_INIT;
    struct bl_rp_plan p;
    plan(&in, &a, &p);
    assert_true(fabs(p.safety_stock - 10) < 1e-9); /* 20 * sqrt(9 / 36) */
    sup.lead_days_max = 13;                        /* sigma_L = 2 adds z * d * sigma_L */
    plan(&in, &a, &p);
    assert_true(fabs(p.safety_stock - sqrt(100 + 1.645 * 1.645 * 400)) < 1e-9);
    /* no quantile for this SKU: the service-level formula */
    sku.lt_days = 0;
    plan(&in, &a, &p);
    assert_true(fabs(p.safety_stock - 1.645 * sqrt(9 * 9.0 + 100 * 4.0)) < 1e-9);
    bl_arena_release(&a);
}

static void test_disrupted_lead_time(void **state)
{
    (void)state;
    struct bl_rp_supplier sup[2] = {supplier("CN-GD", 10, 12, 1, 1),
                                    supplier("CN-ZJ", 10, 12, 1, 1)};
    sup[0].state = BL_RP_SUP_SHUTDOWN;
    struct bl_rp_disruption dis[2] = {
        {"CN-GD", BL_RP_ORIGIN, 0, false, DAY0 - 5, DAY0 + 20}, /* supplier 0 shut */
        {"CN", BL_RP_BOTH, -1, false, DAY0 + 3, DAY0 + 8},      /* lockdown of CN later */
    };
    struct bl_rp_input in = input(sup, 2, NULL, 0);
    in.disruptions = dis;
    in.ndisruptions = 2;
    /* shut until day 20, then 10 working days (the later lockdown is over by then) */
    assert_int_equal(bl_rp_arrival(&in, 0), DAY0 + 30);
    /* 3 days of work, 5 days locked down, 7 more days */
    assert_int_equal(bl_rp_arrival(&in, 1), DAY0 + 15);
    /* destination-only or channel-only disruptions do not hold suppliers */
    dis[1].scope = BL_RP_DESTINATION;
    assert_int_equal(bl_rp_arrival(&in, 1), DAY0 + 10);
    dis[1].scope = BL_RP_BOTH;
    dis[1].channel_only = true;
    assert_int_equal(bl_rp_arrival(&in, 1), DAY0 + 10);
    /* until further notice: cannot deliver */
    dis[0].end_day = BL_RP_NEVER;
    assert_int_equal(bl_rp_arrival(&in, 0), BL_RP_NEVER);
    /* a shutdown state without a dated disruption, and a closed supplier */
    in.ndisruptions = 0;
    assert_int_equal(bl_rp_arrival(&in, 0), BL_RP_NEVER);
    sup[1].state = BL_RP_SUP_CLOSED;
    assert_int_equal(bl_rp_arrival(&in, 1), BL_RP_NEVER);

    /* the plan uses the lengthened lead time: ROP = 10 * (30 + 15) */
    dis[0].end_day = DAY0 + 20;
    in.ndisruptions = 1;
    struct bl_rp_stock st = {0, 1000, 0};
    struct bl_rp_sku sku = {10, 0, &st, 1, NULL, 0, 0, false, 0, 0, NULL, 0, "k1"};
    in.skus = &sku;
    in.nskus = 1;
    struct bl_arena a = BL_ARENA_INIT;
    struct bl_rp_plan p;
    plan(&in, &a, &p);
    assert_true(fabs(p.lead_days - 30) < 1e-9);
    assert_true(fabs(p.reorder_point - 450) < 1e-9);
    assert_int_equal(p.supplier, 0);
    assert_false(p.backup);
    bl_arena_release(&a);
}

static void test_backup_supplier(void **state)
{
    (void)state;
    struct bl_rp_supplier sup[3] = {supplier("CN-GD", 10, 10, 1, 1), supplier("US", 5, 6, 50, 10),
                                    supplier("VN", 8, 8, 1, 1)};
    sup[1].backup_for = 0;
    sup[2].backup_for = 0;
    struct bl_rp_disruption dis = {"CN-GD", BL_RP_ORIGIN, -1, false, DAY0, DAY0 + 20};
    struct bl_rp_stock st = {0, 100, 0};
    struct bl_rp_sku sku = {10, 0, &st, 1, NULL, 0, 0, false, 0, 0, NULL, 0, "k1"};
    struct bl_rp_input in = input(sup, 3, &sku, 1);
    in.disruptions = &dis;
    in.ndisruptions = 1;
    struct bl_arena a = BL_ARENA_INIT;
    struct bl_rp_plan p;
    plan(&in, &a, &p);
    assert_int_equal(p.stockout_day, DAY0 + 10);
    assert_int_equal(p.primary_arrival_day, DAY0 + 30); /* after the stock-out */
    assert_int_equal(p.supplier, 1);                    /* the fastest backup */
    assert_true(p.backup);
    assert_int_equal(p.arrival_day, DAY0 + 5);
    assert_true(fabs(p.lead_days - 5) < 1e-9);
    /* ROP 10 * (5 + 15) = 200 > 100; S = 350; need 250, moq 50, pack 10 */
    assert_int_equal(p.order_qty, 250);
    assert_false(p.stockout_unavoidable);

    /* no backup: the primary stays, and the stock-out cannot be avoided */
    sup[1].backup_for = -1;
    sup[2].backup_for = -1;
    plan(&in, &a, &p);
    assert_int_equal(p.supplier, 0);
    assert_false(p.backup);
    assert_true(p.stockout_unavoidable);
    assert_int_equal(p.restock_day, DAY0 + 30);

    /* the primary is able to deliver in time: no backup proposed */
    sup[1].backup_for = 0;
    in.ndisruptions = 0;
    plan(&in, &a, &p);
    assert_int_equal(p.supplier, 0);
    assert_false(p.backup);

    /* several backups, none ranked (backup_for): the earliest, whatever their order */
    in.ndisruptions = 1;
    sup[2].backup_for = 0;
    sup[1].lead_days = sup[1].lead_days_max = 9;
    plan(&in, &a, &p);
    assert_int_equal(p.supplier, 2);
    assert_int_equal(p.arrival_day, DAY0 + 8);
    bl_arena_release(&a);
}

/* A SKU's own suppliers (sku_suppliers.csv): the primary first, the backup by rank when
 * the primary is inside a disruption, closed or shut down; the SKU's MOQ; and why
 * nobody can deliver. */
static void test_sku_sources(void **state)
{
    (void)state;
    struct bl_rp_supplier sup[3] = {supplier("CN-ZJ", 10, 10, 500, 10),
                                    supplier("CN-GD", 12, 12, 400, 10),
                                    supplier("VN", 6, 6, 300, 10)};
    /* an open-ended lockdown in Zhejiang, a dated one in Guangdong */
    struct bl_rp_disruption dis[2] = {{"CN-ZJ", BL_RP_ORIGIN, -1, false, DAY0 - 2, BL_RP_NEVER},
                                      {"CN-GD", BL_RP_ORIGIN, -1, false, DAY0, DAY0 + 5}};
    struct bl_rp_source src[2] = {{0, 0, 1200, "CNY"}, {1, 100, 1300, "CNY"}};
    struct bl_rp_stock st = {0, 100, 0};
    struct bl_rp_sku sku = {10, 0, &st, 1, NULL, 0, 2, false, 0, 0, src, 2, "k1"};
    struct bl_rp_input in = input(sup, 3, &sku, 1);
    struct bl_arena a = BL_ARENA_INIT;
    struct bl_rp_plan p;

    /* no disruption: the primary (rank 1), with the supplier's MOQ; the PO-inferred
     * supplier (index 2) is ignored once the SKU lists its own */
    plan(&in, &a, &p);
    assert_int_equal(p.primary, 0);
    assert_int_equal(p.supplier, 0);
    assert_int_equal(p.source, 0);
    assert_false(p.backup);
    assert_int_equal(p.block, BL_RP_BLOCK_NONE);
    assert_int_equal(p.nbackups, 1);
    assert_int_equal(p.moq, 500);
    assert_int_equal(p.order_qty, 500); /* need 250, at least 500 */

    /* Zhejiang locked down until further notice: the backup (rank 2), its SKU MOQ 100;
     * it arrives on day 5 + 12 = 17, after the stock-out on day 10, but it is the only
     * one who can deliver at all */
    in.disruptions = dis;
    in.ndisruptions = 2;
    plan(&in, &a, &p);
    assert_int_equal(p.block, BL_RP_BLOCK_DISRUPTED);
    assert_int_equal(p.block_dis, 0);
    assert_int_equal(p.supplier, 1);
    assert_int_equal(p.source, 1);
    assert_true(p.backup);
    assert_int_equal(p.arrival_day, DAY0 + 17);
    assert_int_equal(p.moq, 100);
    assert_true(p.stockout_unavoidable);

    /* the primary closed, the backup too: nobody can deliver, and it says why */
    sup[0].state = BL_RP_SUP_CLOSED;
    sup[1].state = BL_RP_SUP_CLOSED;
    plan(&in, &a, &p);
    assert_int_equal(p.supplier, -1);
    assert_int_equal(p.primary, 0);
    assert_int_equal(p.block, BL_RP_BLOCK_CLOSED);
    assert_int_equal(p.order_qty, 0);

    /* shut down with no dated disruption */
    sup[0].state = BL_RP_SUP_SHUTDOWN;
    in.ndisruptions = 0;
    plan(&in, &a, &p);
    assert_int_equal(p.block, BL_RP_BLOCK_SHUTDOWN);
    assert_int_equal(p.supplier, -1);

    /* no supplier at all */
    sku.nsources = 0;
    sku.supplier = -1;
    plan(&in, &a, &p);
    assert_int_equal(p.block, BL_RP_BLOCK_NO_SUPPLIER);
    assert_int_equal(p.primary, -1);
    assert_int_equal(p.supplier, -1);

    /* a source naming no supplier is refused */
    struct bl_rp_source bad = {7, 0, -1, ""};
    sku.sources = &bad;
    sku.nsources = 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    assert_int_equal(bl_rp_plan(&in, &a, &p, &d), BL_EINVAL);
    bl_arena_release(&a);
}

static void test_stockout_with_inbound(void **state)
{
    (void)state;
    struct bl_rp_supplier sup = supplier("CN", 20, 20, 1, 1);
    struct bl_rp_stock st = {0, 50, 0};
    struct bl_rp_inbound po[2] = {{0, 100, DAY0 + 3}, {1, 40, DAY0 + 30}};
    struct bl_rp_sku sku = {10, 0, &st, 1, po, 1, 0, false, 0, 0, NULL, 0, "k1"};
    struct bl_rp_input in = input(&sup, 1, &sku, 1);
    struct bl_arena a = BL_ARENA_INIT;
    struct bl_rp_plan p;
    plan(&in, &a, &p);
    /* 50 last 5 days; the PO lands on day 3: 150 last 15 days */
    assert_int_equal(p.stockout_day, DAY0 + 15);
    assert_true(fabs(p.days_cover - 5) < 1e-9); /* on hand only */
    assert_int_equal(p.inbound, 100);
    assert_int_equal(p.position, 150);

    /* the PO lands after the stock-out: out on day 5, restocked on day 7 */
    po[0].eta_day = DAY0 + 7;
    plan(&in, &a, &p);
    assert_int_equal(p.stockout_day, DAY0 + 5);
    assert_int_equal(p.restock_day, DAY0 + 7);
    assert_true(p.stockout_unavoidable); /* an order today arrives on day 20 */

    /* an overdue PO counts as arriving today, flagged, while at most overdue_days late */
    po[0].eta_day = DAY0 - 2;
    plan(&in, &a, &p);
    assert_int_equal(p.stockout_day, DAY0 + 15);
    assert_int_equal(p.overdue_late, 100);
    assert_int_equal(p.overdue_dropped, 0);
    assert_true(p.alerts & BL_RP_ALERT_OVERDUE);
    po[0].eta_day = DAY0 - 14; /* 14 days late: the last day it counts */
    plan(&in, &a, &p);
    assert_int_equal(p.inbound, 100);
    assert_true(bl_rp_inbound_counted(&in.policy, DAY0, DAY0 - 14));

    /* 73 days late (the demo's PO-000006): not counted; the stock-out and reorder show */
    po[0].eta_day = DAY0 - 73;
    plan(&in, &a, &p);
    assert_false(bl_rp_inbound_counted(&in.policy, DAY0, DAY0 - 73));
    assert_int_equal(p.inbound, 0);
    assert_int_equal(p.position, 50);
    assert_int_equal(p.overdue_dropped, 100);
    assert_int_equal(p.overdue_late, 0);
    assert_int_equal(p.stockout_day, DAY0 + 5);
    assert_true(p.reorder_now);
    assert_true(p.alerts & BL_RP_ALERT_OVERDUE);
    assert_int_equal(p.wh[0].inbound, 0);
    po[0].eta_day = DAY0 - 2;

    /* two POs to two warehouses; per-warehouse lines split the demand evenly */
    sku.ninbound = 2;
    plan(&in, &a, &p);
    assert_int_equal(p.stockout_day, DAY0 + 15); /* 150 last 15 days; +40 comes on day 30 */
    assert_int_equal(p.nwh, 2);
    assert_int_equal(p.wh[0].warehouse, 0);
    assert_int_equal(p.wh[0].available, 50);
    assert_int_equal(p.wh[0].inbound, 100);
    assert_int_equal(p.wh[0].stockout_day, DAY0 + 30); /* 150 at 5/day */
    assert_int_equal(p.wh[1].available, 0);
    assert_int_equal(p.wh[1].stockout_day, DAY0); /* nothing until day 30 */

    /* no demand: no stock-out, no order */
    sku.daily_mean = 0;
    plan(&in, &a, &p);
    assert_int_equal(p.stockout_day, BL_RP_NEVER);
    assert_int_equal(p.order_by_day, BL_RP_NEVER);
    assert_false(p.reorder_now);
    bl_arena_release(&a);
}

static void test_alerts(void **state)
{
    (void)state;
    struct bl_rp_supplier sup = supplier("CN", 10, 10, 1, 1);
    struct bl_rp_stock st = {0, 0, 0};
    struct bl_rp_inbound po = {0, 100, DAY0 + 20};
    struct bl_rp_sku sku = {0, 0, &st, 1, &po, 1, 0, true, 0, 0, NULL, 0, "k1"};
    struct bl_rp_input in = input(&sup, 1, &sku, 1);
    struct bl_arena a = BL_ARENA_INIT;
    struct bl_rp_plan p;
    plan(&in, &a, &p);
    /* price review passed, nothing in stock, nothing arriving within 14 days */
    assert_int_equal(p.alerts, BL_RP_ALERT_STOCKING);
    /* no demand, so no stock-out day; still restocked when the PO or an order lands */
    assert_int_equal(p.stockout_day, BL_RP_NEVER);
    assert_int_equal(p.restock_day, DAY0 + 10); /* an order today: lead time 10 */
    sup.state = BL_RP_SUP_CLOSED;
    plan(&in, &a, &p);
    assert_int_equal(p.restock_day, DAY0 + 20); /* only the PO */
    sup.state = BL_RP_SUP_ACTIVE;
    po.eta_day = DAY0 + 10;
    plan(&in, &a, &p);
    assert_int_equal(p.alerts, 0);
    /* low stock: 5 days of cover against 7; and the units threshold */
    st.on_hand = 50;
    sku.daily_mean = 10;
    sku.price_review_passed = false;
    plan(&in, &a, &p);
    assert_true(p.alerts & BL_RP_ALERT_LOW);
    sku.daily_mean = 1;
    plan(&in, &a, &p);
    assert_false(p.alerts & BL_RP_ALERT_LOW);
    in.policy.low_units = 50;
    plan(&in, &a, &p);
    assert_true(p.alerts & BL_RP_ALERT_LOW);
    bl_arena_release(&a);
}

static void test_bad_input(void **state)
{
    (void)state;
    struct bl_rp_supplier sup = supplier("CN", 10, 5, 1, 1); /* max < usual */
    struct bl_rp_sku sku = {1, 0, NULL, 0, NULL, 0, 0, false, 0, 0, NULL, 0, "k1"};
    struct bl_rp_input in = input(&sup, 1, &sku, 1);
    struct bl_arena a = BL_ARENA_INIT;
    struct bl_rp_plan p;
    struct bl_diag d;
    bl_diag_clear(&d);
    assert_int_equal(bl_rp_plan(&in, &a, &p, &d), BL_EINVAL);
    sup.lead_days_max = 10;
    sku.daily_mean = NAN;
    assert_int_equal(bl_rp_plan(&in, &a, &p, &d), BL_EINVAL);
    sku.daily_mean = 1;
    sku.supplier = 3;
    assert_int_equal(bl_rp_plan(&in, &a, &p, &d), BL_EINVAL);
    bl_arena_release(&a);
}


/* Extreme stored values: sums that would wrap are BL_EOVERFLOW naming the SKU; values out
 * of range are refused naming the supplier or SKU by id, never by index. */
static void test_extremes(void **state)
{
    (void)state;
    struct bl_rp_supplier sup = supplier("CN", 10, 10, 1, 1);
    sup.id = "sup-a";
    struct bl_rp_stock st[2] = {{0, INT64_MAX, 0}, {1, INT64_MAX, 0}};
    struct bl_rp_sku sku = {10, 0, st, 2, NULL, 0, 0, false, 0, 0, NULL, 0, "k-max"};
    struct bl_rp_input in = input(&sup, 1, &sku, 1);
    struct bl_arena a = BL_ARENA_INIT;
    struct bl_rp_plan p;
    struct bl_diag d;
    bl_diag_clear(&d);
    assert_int_equal(bl_rp_plan(&in, &a, &p, &d), BL_EOVERFLOW);
    assert_non_null(strstr(d.msg, "sku 'k-max'"));
    /* one warehouse at INT64_MAX is fine: plenty of cover, no stock-out */
    sku.nstock = 1;
    BL_ASSERT_OK(bl_rp_plan(&in, &a, &p, &d), &d);
    assert_true(p.available == INT64_MAX);
    assert_true(p.stockout_day == BL_RP_NEVER);
    /* ... but an inbound on top of it overflows the position */
    struct bl_rp_inbound po = {0, 1, DAY0 + 3};
    sku.inbound = &po;
    sku.ninbound = 1;
    assert_int_equal(bl_rp_plan(&in, &a, &p, &d), BL_EOVERFLOW);
    assert_non_null(strstr(d.msg, "sku 'k-max'"));
    /* on hand - reserved that would wrap (reserved negative) */
    sku.ninbound = 0;
    st[0].reserved = -1;
    assert_int_equal(bl_rp_plan(&in, &a, &p, &d), BL_EOVERFLOW);
    st[0].reserved = 0;
    st[0].on_hand = 100;
    /* an ETA day 2^62 is out of range, named by SKU */
    po.eta_day = INT64_C(1) << 62;
    sku.ninbound = 1;
    assert_int_equal(bl_rp_plan(&in, &a, &p, &d), BL_ERANGE);
    assert_non_null(strstr(d.msg, "sku 'k-max'"));
    sku.ninbound = 0;
    /* a supplier lead time of 2^32 days, an MOQ of INT64_MAX: named by id */
    sup.lead_days = sup.lead_days_max = INT64_C(1) << 32;
    assert_int_equal(bl_rp_plan(&in, &a, &p, &d), BL_EINVAL);
    assert_non_null(strstr(d.msg, "supplier 'sup-a'"));
    assert_null(strstr(d.msg, "supplier 0"));
    sup.lead_days = sup.lead_days_max = 10;
    sup.moq = INT64_MAX;
    assert_int_equal(bl_rp_plan(&in, &a, &p, &d), BL_EINVAL);
    assert_non_null(strstr(d.msg, "supplier 'sup-a'"));
    sup.moq = 1;
    /* policy days that would wrap as_of + days; an as_of at the end of time */
    in.policy.alert_days = INT64_MAX;
    assert_int_equal(bl_rp_plan(&in, &a, &p, &d), BL_EINVAL);
    in.policy.alert_days = 30;
    in.as_of = INT64_MAX - 1;
    assert_int_equal(bl_rp_plan(&in, &a, &p, &d), BL_ERANGE);
    in.as_of = DAY0;
    /* a disruption ending at the end of time still lets the plan be computed */
    struct bl_rp_disruption dis = {"CN", BL_RP_ORIGIN, -1, false, DAY0 + 2, INT64_MAX - 1};
    in.disruptions = &dis;
    in.ndisruptions = 1;
    BL_ASSERT_OK(bl_rp_plan(&in, &a, &p, &d), &d);
    assert_true(p.primary_arrival_day == BL_RP_NEVER);
    /* a negative daily demand is named by SKU */
    sku.daily_mean = -1;
    assert_int_equal(bl_rp_plan(&in, &a, &p, &d), BL_EINVAL);
    assert_non_null(strstr(d.msg, "sku 'k-max'"));
    bl_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_policy),
        cmocka_unit_test(test_moq_case_pack),
        cmocka_unit_test(test_service_level),
        cmocka_unit_test(test_quantile_safety_stock),
        cmocka_unit_test(test_disrupted_lead_time),
        cmocka_unit_test(test_backup_supplier),
        cmocka_unit_test(test_sku_sources),
        cmocka_unit_test(test_stockout_with_inbound),
        cmocka_unit_test(test_alerts),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_extremes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
