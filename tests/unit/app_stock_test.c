/* app_stock_test.c - the demand and stock use cases (src/app/stock.h) on a small
 * store imported from native CSV files: plan, alerts, the playbook applied, a restock
 * and its reverts, idempotence, approvals and the policy; on SQLite and, when
 * BL_PG_URL_FILE names a server, on PostgreSQL (a schema of its own per test).
 *
 * The store is the one of tests/cli/plan.sh: A healthy; B nothing sellable, a PO in 10
 * days; C price review passed, no stock, no PO; D stock only in Guangdong (locked
 * down), its supplier shut, a backup supplier. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "app/catalog.h"
#include "app/forecast.h"
#include "app/stock.h"
#include "ballast/import.h"
#include "ballast/store.h"
#include "ballast/time.h"

static struct bl_test_env env_sqlite, env_pg;

static int64_t q(struct bl_store *s, const char *sql)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    int64_t v = -1;
    BL_ASSERT_OK(bl_store_query_int(s, sql, NULL, 0, &v, &d), &d);
    return v;
}

static const char *const files[][2] = {
    {"shops", "id,platform,currency,fulfilment\nshop-m,amazon,USD,merchant\n"
              "shop-f,amazon,USD,platform\n"},
    {"skus", "id,handling_min,handling_max,listing,promoted,price_review\n"
             "A,1,3,active,1,none\nB,1,3,active,1,none\nC,1,3,active,0,passed\n"
             "D,1,3,active,0,none\n"},
    {"warehouses", "id,region\nwh-us,US-CA\nwh-gd,CN-GD\n"},
    {"suppliers", "id,region,lead_days,lead_days_max,moq,case_pack,state,backup_for\n"
                  "sup-a,CN-ZJ,10,10,100,50,active,\nsup-d,CN-GD,10,10,1,1,shutdown,\n"
                  "sup-d2,VN,7,7,1,1,active,sup-d\n"},
    {"stock", "warehouse,sku,on_hand,reserved,counted_at\n"
              "wh-us,A,1000,0,2025-01-01T00:00:00Z\nwh-us,B,5,5,2025-01-01T00:00:00Z\n"
              "wh-gd,D,100,0,2025-01-01T00:00:00Z\n"},
    {"inbound", "po,sku,qty,warehouse,supplier,ordered_at,eta,received_at,state\n"
                "PO-0,A,100,wh-us,sup-a,2024-11-01T00:00:00Z,2024-11-11T00:00:00Z,"
                "2024-11-11T00:00:00Z,received\n"
                "PO-2,B,300,wh-us,sup-a,2024-12-20T00:00:00Z,2025-01-11T00:00:00Z,,open\n"
                "PO-3,D,50,wh-gd,sup-d,2024-12-01T00:00:00Z,2024-12-11T00:00:00Z,"
                "2024-12-11T00:00:00Z,received\n"},
    {"disruptions", "id,region,scope,kind,starts_at,ends_at,supplier,note\n"
                    "dis-1,CN-GD,origin,lockdown,2024-12-25T00:00:00Z,2025-01-11T00:00:00Z,,"
                    "Guangdong lockdown\n"
                    "dis-2,CN-GD,origin,supplier_shutdown,2024-12-20T00:00:00Z,"
                    "2025-01-21T00:00:00Z,sup-d,factory closed\n"},
};

static void import(struct bl_store *s, const char *dir, const char *kind, const char *name,
                   const char *text)
{
    char *path = bl_test_write_file(dir, name, text, strlen(text));
    struct bl_import_opts o = {.kind = kind, .path = path, .org_id = 1, .now = 1735689600};
    struct bl_import_result r;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_import(s, &o, &r, &d), &d);
    free(path);
}

/* 90 days of 10 a day before 2025-01-01 for A and D (shop-f) and B (shop-m). */
static char *sales_csv(void)
{
    size_t cap = 90 * 3 * 40 + 64, n = 0;
    char *t = malloc(cap);
    assert_non_null(t);
    n += (size_t)snprintf(t, cap, "sku,date,units,shop\n");
    for (int64_t i = 0; i < 90; i++) {
        char day[BL_ISO_MAX];
        bl_date_format(20089 - 90 + i, day); /* 20089 = 2025-01-01 */
        n += (size_t)snprintf(t + n, cap - n, "A,%s,10,shop-f\nB,%s,10,shop-m\nD,%s,10,shop-f\n",
                              day, day, day);
    }
    return t;
}

static int fresh(void **state)
{
    bl_test_env_fresh(state);
    struct bl_test_env *e = *state;
    struct bl_store *s = e->st;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_store_migrate(s, &d), &d);
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char name[64];
        snprintf(name, sizeof(name), "%s.csv", files[i][0]);
        import(s, e->dir, files[i][0], name, files[i][1]);
    }
    char *sales = sales_csv();
    import(s, e->dir, "sales", "sales.csv", sales);
    free(sales);
    bl_test_env_done(state);
    return 0;
}

static int64_t day_of(const char *date)
{
    int64_t day = 0;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_date_parse(bl_str_c(date), &day, &d), &d);
    return day;
}

static ptrdiff_t sku_index(const struct bl_app_stock_day *day, const char *ext)
{
    for (size_t k = 0; k < day->snap.nskus; k++)
        if (strcmp(day->snap.sku_ext[k], ext) == 0)
            return (ptrdiff_t)k;
    fail_msg("no SKU %s", ext);
    return -1;
}

static void opts_for(struct bl_app_stock_opts *o, const char *date)
{
    bl_app_stock_opts_init(o);
    o->as_of = day_of(date);
}

/* ---------------------------------------------------------------- plan, alerts */

static void test_plan_alerts(void **state)
{
    struct bl_store *s = bl_test_env_open(*state);
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_stock_day day;
    struct bl_app_stock_opts o;
    opts_for(&o, "2025-01-01");
    o.playbook = false;
    BL_ASSERT_OK(bl_app_stock_day_open(s, 1, &o, &day, &d), &d);
    assert_int_equal(day.snap.nskus, 4);

    struct bl_app_plan_req preq = {.now = 1735700000, .cycle_id = 3, .day = &day, .save = true};
    struct bl_app_plan_res pr;
    BL_ASSERT_OK(bl_app_plan(s, 1, &preq, &pr, &d), &d);
    assert_int_equal(pr.stored, 7); /* 4 SKU lines + 3 warehouse lines */
    assert_int_equal(q(s, "SELECT COUNT(*) FROM plan_line"), 7);
    assert_int_equal(q(s, "SELECT COUNT(*) FROM plan_line WHERE cycle_id = 3"), 7);
    const struct bl_rp_plan *a = &day.plans[sku_index(&day, "A")];
    const struct bl_rp_plan *b = &day.plans[sku_index(&day, "B")];
    const struct bl_rp_plan *dd = &day.plans[sku_index(&day, "D")];
    assert_int_equal(a->available, 1000);
    assert_int_equal(b->available, 0);
    assert_int_equal(b->inbound, 300);
    assert_int_equal(dd->order_qty, 270);
    assert_true(dd->backup);
    assert_string_equal(day.snap.sup_ext[dd->supplier], "sup-d2");
    bl_app_plan_res_release(&pr);
    /* planning the day again replaces its lines */
    BL_ASSERT_OK(bl_app_plan(s, 1, &preq, &pr, &d), &d);
    assert_int_equal(q(s, "SELECT COUNT(*) FROM plan_line"), 7);
    bl_app_plan_res_release(&pr);

    struct bl_app_alerts_req areq = {.now = 1735700000, .day = &day, .save = true};
    struct bl_app_alerts_res ar;
    BL_ASSERT_OK(bl_app_alerts(s, 1, &areq, &ar, &d), &d);
    assert_int_equal(ar.n, 5); /* B low + stockout, C stocking, D stockout + reorder */
    const struct bl_app_stock_alert *last = &ar.alerts[4];
    assert_string_equal(day.snap.sku_ext[last->sku], "D");
    assert_int_equal(last->kind, BL_APP_ALERT_REORDER);
    assert_int_equal(last->why, BL_APP_ALERT_BACKUP);
    assert_int_equal(last->value, 270);
    assert_int_equal(q(s, "SELECT COUNT(*) FROM stock_alert"), 5);
    assert_int_equal(q(s, "SELECT COUNT(*) FROM stock_alert WHERE kind = 'reorder' AND message "
                          "LIKE 'order 270 from sup-d2 by 2025-01-01%backup supplier%'"),
                     1);
    bl_app_alerts_res_release(&ar);
    BL_ASSERT_OK(bl_app_alerts(s, 1, &areq, &ar, &d), &d); /* again: replaced, not added */
    assert_int_equal(q(s, "SELECT COUNT(*) FROM stock_alert"), 5);
    bl_app_alerts_res_release(&ar);
    bl_app_stock_day_close(&day);

    /* an unknown default supplier */
    o.default_supplier = "nope";
    assert_int_equal(bl_app_stock_day_open(s, 1, &o, &day, &d), BL_ENOTFOUND);
    assert_non_null(strstr(d.msg, "no such supplier"));
    bl_app_stock_day_close(&day);
    bl_store_close(s);
}

/* A SKU's own suppliers (sku_suppliers.csv) loaded on both stores: D lists sup-a first
 * (so the plan no longer takes the PO's sup-d and its backup), with a unit cost; B keeps
 * the supplier of its PO, marked as inferred; C has none. */
static void test_sku_suppliers(void **state)
{
    struct bl_store *s = bl_test_env_open(*state);
    char *dir = bl_test_tmpdir();
    import(s, dir, "sku_suppliers", "ss.csv",
           "sku,supplier,rank,unit_cost,currency,moq\nD,sup-a,1,5.00,CNY,\n"
           "D,sup-d2,2,,,20\n");
    free(dir);
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_stock_day day;
    struct bl_app_stock_opts o;
    opts_for(&o, "2025-01-01");
    o.playbook = false;
    BL_ASSERT_OK(bl_app_stock_day_open(s, 1, &o, &day, &d), &d);
    size_t kd = (size_t)sku_index(&day, "D"), kb = (size_t)sku_index(&day, "B");
    size_t kc = (size_t)sku_index(&day, "C");
    assert_int_equal(day.snap.sup_from[kd], BL_STOCK_SUP_LISTED);
    assert_int_equal(day.snap.sup_from[kb], BL_STOCK_SUP_PO);
    assert_int_equal(day.snap.sup_from[kc], BL_STOCK_SUP_NONE);
    const struct bl_rp_sku *sk = &day.snap.rp_skus[kd];
    assert_int_equal(sk->nsources, 2);
    assert_string_equal(day.snap.sup_ext[sk->sources[0].supplier], "sup-a");
    assert_int_equal(sk->sources[0].unit_cost, 500);
    assert_string_equal(sk->sources[0].currency, "CNY");
    assert_int_equal(sk->sources[1].moq, 20);
    assert_int_equal(sk->sources[1].unit_cost, -1);
    /* sup-a (Zhejiang, 10 days) delivers on day 10, the day D runs out: no backup */
    const struct bl_rp_plan *pd = &day.plans[kd];
    assert_string_equal(day.snap.sup_ext[pd->primary], "sup-a");
    assert_string_equal(day.snap.sup_ext[pd->supplier], "sup-a");
    assert_false(pd->backup);
    assert_int_equal(pd->block, BL_RP_BLOCK_NONE);
    assert_int_equal(pd->moq, 100);
    struct bl_app_alerts_req areq = {.now = 1735700000, .day = &day, .save = true};
    struct bl_app_alerts_res ar;
    BL_ASSERT_OK(bl_app_alerts(s, 1, &areq, &ar, &d), &d);
    assert_int_equal(q(s, "SELECT COUNT(*) FROM stock_alert WHERE kind = 'reorder' AND message "
                          "LIKE 'order % from sup-a by 2025-01-01, % x CN¥5.00 = CN¥%'"),
                     1);
    bl_app_alerts_res_release(&ar);
    bl_app_stock_day_close(&day);
    bl_store_close(s);
}

/* The plan's forecast takes the event calendar of `ballast forecast` (#18): D sold three
 * times its usual on two promo days; a week of promo in the horizon orders more than no
 * calendar, and as much as none when the promo is in another market (D's shops sell in
 * USD: the US). */
static int64_t order_with(struct bl_store *s, const char *events, double *mean)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_stock_day day;
    struct bl_app_stock_opts o;
    opts_for(&o, "2025-01-01");
    o.playbook = false;
    o.events_path = events;
    BL_ASSERT_OK(bl_app_stock_day_open(s, 1, &o, &day, &d), &d);
    size_t kd = (size_t)sku_index(&day, "D");
    assert_string_equal(day.snap.market[kd], "US");
    *mean = day.snap.rp_skus[kd].daily_mean;
    int64_t qty = day.plans[kd].order_qty;
    bl_app_stock_day_close(&day);
    return qty;
}

static void test_event_plan(void **state)
{
    struct bl_store *s = bl_test_env_open(*state);
    char *dir = bl_test_tmpdir();
    import(s, dir, "sales", "promo.csv",
           "sku,date,units,shop\nD,2024-11-20,20,shop-m\nD,2024-12-20,20,shop-m\n");
    char us[1024], cn[1024];
    size_t nu = 0, nc = 0;
    for (int i = -2; i <= 9; i++) { /* two promo days in the history, a week in the horizon */
        if (i > -1 && i < 3)
            continue;
        char day[16] = "2024-11-20";
        if (i == -1)
            snprintf(day, sizeof(day), "2024-12-20");
        else if (i > 0)
            snprintf(day, sizeof(day), "2025-01-%02d", i);
        const char *head = nu ? "" : "date,event,region\n";
        nu += (size_t)snprintf(us + nu, sizeof(us) - nu, "%s%s,promo,US\n", head, day);
        nc += (size_t)snprintf(cn + nc, sizeof(cn) - nc, "%s%s,promo,CN\n", head, day);
    }
    char *ev_us = bl_test_write_file(dir, "us.csv", us, strlen(us));
    char *ev_cn = bl_test_write_file(dir, "cn.csv", cn, strlen(cn));
    double m_none, m_us, m_cn;
    int64_t none = order_with(s, "none", &m_none);
    int64_t with = order_with(s, ev_us, &m_us);
    int64_t other = order_with(s, ev_cn, &m_cn);
    assert_true(m_us > m_none * 1.2); /* 7 of 28 days at 2.5 times */
    assert_true(with > none);
    assert_int_equal(other, none);
    assert_true(m_cn == m_none);
    free(ev_us);
    free(ev_cn);
    free(dir);
    bl_store_close(s);
}

/* ---------------------------------------------------------------- playbook */

static size_t run_playbook(struct bl_store *s, const char *date, bool apply,
                           struct bl_app_playbook_res *res)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_playbook_req req = {.now = 1735700000, .cycle_id = 9, .apply = apply};
    opts_for(&req.opts, date);
    BL_ASSERT_OK(bl_app_playbook(s, 1, &req, res, &d), &d);
    return res->n;
}

static void test_playbook(void **state)
{
    struct bl_store *s = bl_test_env_open(*state);
    struct bl_app_playbook_res res;
    assert_int_equal(run_playbook(s, "2025-01-01", false, &res), 6);
    assert_int_equal(
        res.outcome[0] == BL_APP_ACT_TO_APPLY || res.outcome[0] == BL_APP_ACT_TO_PROPOSE, 1);
    bl_app_playbook_res_release(&res);
    assert_int_equal(q(s, "SELECT COUNT(*) FROM action"), 0); /* a dry run stores nothing */

    assert_int_equal(run_playbook(s, "2025-01-01", true, &res), 6);
    assert_int_equal(res.added, 6);
    bl_app_playbook_res_release(&res);
    assert_int_equal(q(s, "SELECT COUNT(*) FROM action"), 6);
    assert_int_equal(q(s, "SELECT MIN(id) * 10 + MAX(id) FROM action"), 16); /* ids 1..6 */
    assert_int_equal(q(s, "SELECT COUNT(*) FROM action WHERE cycle_id = 9"), 6);
    assert_int_equal(q(s, "SELECT COUNT(*) FROM sku WHERE ext_id = 'B' AND "
                          "listing = 'out_of_stock' AND promoted = 0"),
                     1);
    assert_int_equal(q(s, "SELECT handling_max FROM sku WHERE ext_id = 'D'"), 13);
    assert_int_equal(q(s, "SELECT COUNT(*) FROM action WHERE state = 'proposed'"), 2);
    assert_int_equal(q(s, "SELECT COUNT(*) FROM action WHERE reason LIKE "
                          "'no sellable stock (5 on hand, 5 reserved): mark out of stock%'"),
                     1);

    /* idempotence: a second run at the same as-of adds no action */
    assert_int_equal(run_playbook(s, "2025-01-01", true, &res), 0);
    bl_app_playbook_res_release(&res);
    assert_int_equal(q(s, "SELECT COUNT(*) FROM action"), 6);

    /* B restocked: its applied actions reverted, shop-m's proposed vacation withdrawn */
    char *dir = bl_test_tmpdir();
    import(s, dir, "stock", "stock2.csv",
           "warehouse,sku,on_hand,reserved,counted_at\nwh-us,B,400,0,2025-01-02T00:00:00Z\n");
    free(dir);
    assert_int_equal(run_playbook(s, "2025-01-02", true, &res), 4);
    assert_int_equal(res.closed, 4);
    size_t reverted = 0, withdrawn = 0;
    for (size_t i = 0; i < res.n; i++) {
        reverted += res.outcome[i] == BL_APP_ACT_REVERTED;
        withdrawn += res.outcome[i] == BL_APP_ACT_WITHDRAWN;
    }
    assert_int_equal(reverted, 3);
    assert_int_equal(withdrawn, 1);
    bl_app_playbook_res_release(&res);
    assert_int_equal(q(s, "SELECT COUNT(*) FROM sku WHERE ext_id = 'B' AND "
                          "listing = 'active' AND promoted = 1"),
                     1);
    assert_int_equal(q(s, "SELECT COUNT(*) FROM action WHERE close_reason = "
                          "'restocked: 400 units available'"),
                     1);
    assert_int_equal(run_playbook(s, "2025-01-02", true, &res), 0);
    bl_app_playbook_res_release(&res);
    assert_int_equal(q(s, "SELECT COUNT(*) FROM action"), 6);
    bl_store_close(s);
}

/* ---------------------------------------------------------------- one day, three steps */

static void test_shared_day(void **state)
{
    struct bl_store *s = bl_test_env_open(*state);
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_stock_day day;
    struct bl_app_stock_opts o;
    opts_for(&o, "2025-01-01");
    BL_ASSERT_OK(bl_app_stock_day_open(s, 1, &o, &day, &d), &d);
    struct bl_app_plan_req preq = {.now = 1, .day = &day, .save = true};
    struct bl_app_alerts_req areq = {.now = 1, .day = &day, .save = true};
    struct bl_app_playbook_req breq = {.now = 1, .day = &day, .apply = true};
    struct bl_app_plan_res pr;
    struct bl_app_alerts_res ar;
    struct bl_app_playbook_res br;
    BL_ASSERT_OK(bl_app_plan(s, 1, &preq, &pr, &d), &d);
    BL_ASSERT_OK(bl_app_alerts(s, 1, &areq, &ar, &d), &d);
    BL_ASSERT_OK(bl_app_playbook(s, 1, &breq, &br, &d), &d);
    assert_ptr_equal(pr.day, &day);
    assert_ptr_equal(br.day, &day);
    assert_int_equal(br.n, 6);
    bl_app_playbook_res_release(&br);
    /* the day's open actions are those of its load: no second playbook on it */
    assert_int_equal(bl_app_playbook(s, 1, &breq, &br, &d), BL_EINVAL);
    bl_app_playbook_res_release(&br);
    bl_app_alerts_res_release(&ar);
    bl_app_plan_res_release(&pr);
    bl_app_stock_day_close(&day);
    assert_int_equal(q(s, "SELECT COUNT(*) FROM plan_line"), 7);
    assert_int_equal(q(s, "SELECT COUNT(*) FROM stock_alert"), 5);
    assert_int_equal(q(s, "SELECT COUNT(*) FROM action"), 6);
    bl_store_close(s);
}

/* ---------------------------------------------------------------- actions */

static void test_actions(void **state)
{
    struct bl_store *s = bl_test_env_open(*state);
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_playbook_res res;
    run_playbook(s, "2025-01-01", true, &res);
    bl_app_playbook_res_release(&res);

    struct bl_app_actions_req lreq = {"B", NULL, 0, 0, 0, NULL, NULL, NULL};
    struct bl_app_actions_res lr;
    BL_ASSERT_OK(bl_app_actions(s, 1, &lreq, &lr, &d), &d);
    assert_int_equal(lr.n, 3);
    for (size_t i = 0; i < lr.n; i++)
        assert_string_equal(lr.rows[i].state, "applied");
    bl_app_actions_res_release(&lr);
    lreq = (struct bl_app_actions_req){NULL, "proposed", 0, 0, 0, NULL, NULL, NULL};
    BL_ASSERT_OK(bl_app_actions(s, 1, &lreq, &lr, &d), &d);
    assert_int_equal(lr.n, 2);
    int64_t delist = 0;
    for (size_t i = 0; i < lr.n; i++)
        if (lr.rows[i].kind == BL_PB_DELIST)
            delist = lr.rows[i].id;
    bl_app_actions_res_release(&lr);
    assert_true(delist > 0);

    struct bl_app_action_approve_req areq = {1735700000, delist, "ops desk", "agreed with sales"};
    struct bl_app_action_approve_res ares;
    BL_ASSERT_OK(bl_app_action_approve(s, 1, &areq, &ares, &d), &d);
    assert_int_equal(ares.kind, BL_PB_DELIST);
    assert_string_equal(ares.state, "applied");
    assert_int_equal(q(s, "SELECT COUNT(*) FROM sku WHERE ext_id = 'C' AND listing = 'delisted'"),
                     1);
    /* approving twice is a conflict, and says since when */
    bl_diag_clear(&d);
    assert_int_equal(bl_app_action_approve(s, 1, &areq, &ares, &d), BL_ECONFLICT);
    assert_int_equal(ares.refusal, BL_APP_ACTION_NOT_PROPOSED);
    assert_string_equal(ares.state, "applied");
    assert_non_null(strstr(d.msg, "no proposed action"));
    assert_non_null(strstr(d.msg, "it is applied (since 2025-01-01T02:53:20Z)"));
    /* an id the organisation does not have: not found, in any organisation */
    struct bl_app_action_approve_req other = {1735700000, delist, NULL, NULL};
    bl_diag_clear(&d);
    assert_int_equal(bl_app_action_reject(s, 2, &other, &ares, &d), BL_ENOTFOUND);
    assert_int_equal(ares.refusal, BL_APP_ACTION_NO_SUCH);
    other.id = 999;
    bl_diag_clear(&d);
    assert_int_equal(bl_app_action_approve(s, 1, &other, &ares, &d), BL_ENOTFOUND);

    /* reject the other proposal (vacation): nothing changes but the action's state */
    int64_t vac = q(s, "SELECT id FROM action WHERE kind = 'vacation' AND state = 'proposed'");
    struct bl_app_action_approve_req rreq = {1735700100, vac, "ops desk", NULL};
    BL_ASSERT_OK(bl_app_action_reject(s, 1, &rreq, &ares, &d), &d);
    assert_string_equal(ares.state, "rejected");
    assert_int_equal(q(s, "SELECT COUNT(*) FROM shop WHERE vacation = 1"), 0);
    assert_int_equal(q(s, "SELECT COUNT(*) FROM action WHERE state = 'rejected' AND "
                          "decided_at = 1735700100 AND decided_by = 'ops desk' AND "
                          "decision_note IS NULL AND applied_at IS NULL"),
                     1);
    bl_diag_clear(&d);
    assert_int_equal(bl_app_action_reject(s, 1, &rreq, &ares, &d), BL_ECONFLICT);
    assert_non_null(strstr(d.msg, "it is rejected"));
    bl_diag_clear(&d);
    assert_int_equal(bl_app_action_approve(s, 1, &rreq, &ares, &d), BL_ECONFLICT);

    /* the next day's playbook does not propose the rejected change again */
    struct bl_app_playbook_res pres;
    run_playbook(s, "2025-01-02", true, &pres);
    bl_app_playbook_res_release(&pres);
    assert_int_equal(q(s, "SELECT COUNT(*) FROM action WHERE kind = 'vacation'"), 1);
    assert_int_equal(q(s, "SELECT COUNT(*) FROM action WHERE state = 'rejected'"), 1);

    /* the list carries the decision */
    lreq = (struct bl_app_actions_req){NULL, "applied", 0, 0, 0, NULL, NULL, NULL};
    BL_ASSERT_OK(bl_app_actions(s, 1, &lreq, &lr, &d), &d);
    bool seen = false;
    for (size_t i = 0; i < lr.n; i++)
        if (lr.rows[i].id == delist) {
            seen = true;
            assert_string_equal(lr.rows[i].decided_by, "ops desk");
            assert_string_equal(lr.rows[i].decision_note, "agreed with sales");
            assert_int_equal(lr.rows[i].decided_at, 1735700000);
            assert_int_equal(lr.rows[i].applied_at, 1735700000);
            assert_null(lr.rows[i].close_reason);
        }
    assert_true(seen);
    bl_app_actions_res_release(&lr);

    struct bl_app_action_policy_req preq = {BL_PB_VACATION, BL_PB_APPLY};
    BL_ASSERT_OK(bl_app_action_policy(s, 1, &preq, &d), &d);
    BL_ASSERT_OK(bl_app_action_policy(s, 1, &preq, &d), &d);
    assert_int_equal(q(s, "SELECT COUNT(*) FROM action_policy WHERE kind = 'vacation' AND "
                          "mode = 'apply'"),
                     1);
    bl_store_close(s);
}

/* ---------------------------------------------------------------- forecast */

static void test_forecast(void **state)
{
    struct bl_store *s = bl_test_env_open(*state);
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_forecast_req req = {.input = NULL, .events = "none"};
    bl_fc_opts_init(&req.fc);
    req.fc.horizon = 7;
    struct bl_app_forecast_res res;
    BL_ASSERT_OK(bl_app_forecast(s, 1, &req, &res, &d), &d);
    assert_int_equal(res.n, 3); /* the SKUs with sales: A, B, D */
    for (size_t k = 0; k < res.n; k++) {
        assert_int_equal(res.skus[k].r.horizon, 7);
        assert_int_equal(res.skus[k].r.first_day, day_of("2025-01-01"));
        assert_true(res.skus[k].r.point[0] > 9.9 && res.skus[k].r.point[0] < 10.1);
    }
    assert_string_equal(res.skus[0].sku, "A");
    bl_app_forecast_res_release(&res);
    /* one SKU: only it; a SKU without sales is not found */
    req.sku = "D";
    BL_ASSERT_OK(bl_app_forecast(s, 1, &req, &res, &d), &d);
    assert_int_equal(res.n, 1);
    assert_string_equal(res.skus[0].sku, "D");
    assert_int_equal(res.skus[0].r.horizon, 7);
    bl_app_forecast_res_release(&res);
    req.sku = "C";
    assert_int_equal(bl_app_forecast(s, 1, &req, &res, &d), BL_ENOTFOUND);
    bl_app_forecast_res_release(&res);
    req.sku = NULL;
    /* a page: the second SKU only is forecast, the total counts them all */
    req.offset = 1;
    req.limit = 1;
    BL_ASSERT_OK(bl_app_forecast(s, 1, &req, &res, &d), &d);
    assert_int_equal(res.n, 1);
    assert_int_equal(res.total, 3);
    assert_string_equal(res.skus[0].sku, "B");
    bl_app_forecast_res_release(&res);
    req.offset = req.limit = 0;

    /* ten a day every day: a constant history has no scaled error */
    struct bl_app_holdout_req hreq = {req, 14};
    struct bl_app_holdout_res hres;
    assert_int_equal(bl_app_forecast_holdout(s, 1, &hreq, &hres, &d), BL_EEMPTY);
    assert_int_equal(hres.skipped, 3);
    hreq.hold = 90;
    assert_int_equal(bl_app_forecast_holdout(s, 1, &hreq, &hres, &d), BL_EINVAL);
    assert_int_equal(hres.ndays, 90);
    bl_store_close(s);
}

/* ---------------------------------------------------------------- catalogue, stock */

static void test_catalog(void **state)
{
    struct bl_store *s = bl_test_env_open(*state);
    struct bl_diag d;
    bl_diag_clear(&d);
    /* SKUs a page of 3 at a time, in id order: A B C, then D */
    struct bl_app_skus_req req = {NULL, 0, 3};
    struct bl_app_skus_res res;
    BL_ASSERT_OK(bl_app_skus(s, 1, &req, &res, &d), &d);
    assert_int_equal(res.n, 3);
    assert_string_equal(res.rows[0].ext_id, "A");
    assert_string_equal(res.rows[2].ext_id, "C");
    assert_true(res.rows[0].promoted);
    assert_int_equal(res.rows[0].handling_max, 3);
    assert_int_equal(res.rows[0].price, BL_CATALOG_NONE);
    assert_null(res.rows[0].currency);
    req.after = res.rows[2].id;
    bl_app_skus_res_release(&res);
    BL_ASSERT_OK(bl_app_skus(s, 1, &req, &res, &d), &d);
    assert_int_equal(res.n, 1);
    assert_string_equal(res.rows[0].ext_id, "D");
    bl_app_skus_res_release(&res);
    /* by listing state; a state that is none is refused */
    req = (struct bl_app_skus_req){"delisted", 0, -1};
    BL_ASSERT_OK(bl_app_skus(s, 1, &req, &res, &d), &d);
    assert_int_equal(res.n, 0);
    bl_app_skus_res_release(&res);
    req.listing = "gone";
    assert_int_equal(bl_app_skus(s, 1, &req, &res, &d), BL_EINVAL);
    assert_int_equal(res.reason, BL_APP_CATALOG_BAD_LISTING);
    bl_app_skus_res_release(&res);
    /* another organisation has none of them */
    req = (struct bl_app_skus_req){NULL, 0, -1};
    BL_ASSERT_OK(bl_app_skus(s, 2, &req, &res, &d), &d);
    assert_int_equal(res.n, 0);
    bl_app_skus_res_release(&res);

    /* stock: every row, then by SKU and warehouse, a page of one at a time */
    struct bl_app_stock_req sreq = {NULL, NULL, 0, 0, -1};
    struct bl_app_stock_res sres;
    BL_ASSERT_OK(bl_app_stock_list(s, 1, &sreq, &sres, &d), &d);
    assert_int_equal(sres.n, 3);
    assert_string_equal(sres.rows[1].s.sku, "B");
    assert_int_equal(sres.rows[1].available, 0); /* 5 on hand, 5 reserved */
    assert_string_equal(sres.rows[2].s.warehouse, "wh-gd");
    assert_string_equal(sres.rows[2].s.region, "CN-GD");
    bl_app_stock_res_release(&sres);
    sreq = (struct bl_app_stock_req){NULL, "wh-us", 0, 0, 1};
    BL_ASSERT_OK(bl_app_stock_list(s, 1, &sreq, &sres, &d), &d);
    assert_int_equal(sres.n, 1);
    assert_string_equal(sres.rows[0].s.sku, "A");
    sreq.after_sku = sres.rows[0].s.sku_id;
    sreq.after_wh = sres.rows[0].s.warehouse_id;
    bl_app_stock_res_release(&sres);
    BL_ASSERT_OK(bl_app_stock_list(s, 1, &sreq, &sres, &d), &d);
    assert_int_equal(sres.n, 1);
    assert_string_equal(sres.rows[0].s.sku, "B");
    bl_app_stock_res_release(&sres);
    sreq = (struct bl_app_stock_req){"nope", NULL, 0, 0, -1};
    assert_int_equal(bl_app_stock_list(s, 1, &sreq, &sres, &d), BL_ENOTFOUND);
    assert_int_equal(sres.reason, BL_APP_CATALOG_UNKNOWN_SKU);
    bl_app_stock_res_release(&sres);
    sreq = (struct bl_app_stock_req){"A", "wh-x", 0, 0, -1};
    assert_int_equal(bl_app_stock_list(s, 1, &sreq, &sres, &d), BL_ENOTFOUND);
    assert_int_equal(sres.reason, BL_APP_CATALOG_UNKNOWN_WAREHOUSE);
    bl_app_stock_res_release(&sres);
    sreq = (struct bl_app_stock_req){"A", NULL, 0, 0, -1};
    assert_int_equal(bl_app_stock_list(s, 2, &sreq, &sres, &d), BL_ENOTFOUND);
    bl_app_stock_res_release(&sres);
    bl_store_close(s);
}

/* ---------------------------------------------------------------- groups */

static int setup_sqlite(void **state)
{
    return bl_test_env_setup_sqlite(state, &env_sqlite, "app_stock_test");
}

static int setup_pg(void **state)
{
    return bl_test_env_setup_pg(state, &env_pg, "app_stock_test");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_plan_alerts, fresh),
        cmocka_unit_test_setup(test_sku_suppliers, fresh),
        cmocka_unit_test_setup(test_event_plan, fresh),
        cmocka_unit_test_setup(test_playbook, fresh),
        cmocka_unit_test_setup(test_shared_day, fresh),
        cmocka_unit_test_setup(test_actions, fresh),
        cmocka_unit_test_setup(test_forecast, fresh),
        cmocka_unit_test_setup(test_catalog, fresh),
    };
    int failed =
        cmocka_run_group_tests_name("app_stock/sqlite", tests, setup_sqlite, bl_test_env_teardown);
    if (!getenv("BL_PG_URL_FILE")) {
        fprintf(stderr, "app_stock_test: BL_PG_URL_FILE is not set; skipping PostgreSQL\n");
        return failed;
    }
    env_pg.url = bl_test_pg_url();
    if (!env_pg.url)
        return failed + 1;
    failed +=
        cmocka_run_group_tests_name("app_stock/postgres", tests, setup_pg, bl_test_env_teardown);
    free(env_pg.url);
    return failed;
}
