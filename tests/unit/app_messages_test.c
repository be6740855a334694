/* app_messages_test.c - the outbox's use cases (app/messages.h) on SQLite and, when
 * BL_PG_URL_FILE names a running server, PostgreSQL (each test in a fresh schema):
 * plan once per order per event (a second run adds nothing), approval by default and
 * the per-shop opt-in, the horizon, held messages (missing settings, no or reserved
 * addresses and links) rendered again once fixed and never sent, approve, send via
 * CSV, the preview, and the banners of a shop under a declared disruption. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "app/messages.h"
#include "ballast/import.h"
#include "ballast/store.h"
#include "ballast/time.h"

static struct bl_test_env env_sqlite, env_pg;

static int64_t count(struct bl_store *s, const char *sql)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    int64_t n = -1;
    BL_ASSERT_OK(bl_store_query_int(s, sql, NULL, 0, &n, &d), &d);
    return n;
}

/* Shops in New York (shipping from Shanghai, under lockdown) and Guangdong; A1 late,
 * A2 hit by the lockdown before its ship-by, B1 shipped and late, B2's bulb out of
 * stock, B3 late without a customer id. */
static const struct {
    const char *kind, *name, *text;
} files[] = {
    {"shops", "shops.csv",
     "id,name,platform,profile,currency,tz,ship_from,deposit\n"
     "s1,Lamps & Light,own-site,own-site,USD,America/New_York,CN-SH,500.00\n"
     "s2,Light Two,kuaishou,kuaishou,CNY,Asia/Shanghai,CN-GD,100.00\n"},
    {"skus", "skus.csv", "id,name,weight_g\nP1,Desk lamp,1500\nP2,Bulb,100\n"},
    {"warehouses", "wh.csv", "id,name,region,kind\nW1,Main,CN-GD,own\n"},
    {"stock", "stock.csv",
     "warehouse,sku,on_hand,reserved,counted_at\n"
     "W1,P1,100,0,2022-05-01T00:00:00Z\nW1,P2,0,0,2022-05-01T00:00:00Z\n"},
    {"orders", "orders.csv",
     "order,shop,sku,qty,unit_price,placed_at,ship_by,promised_at,ship_to,shipped_at,"
     "delivered_at,customer,locale\n"
     "A1,s1,P1,1,100.00,2022-05-01T00:00:00Z,2022-05-03T00:00:00Z,2022-05-12T00:00:00Z,US-CA,,,"
     "c1,en-US\n"
     "A2,s1,P1,1,40.00,2022-05-08T00:00:00Z,2022-05-20T00:00:00Z,2022-05-30T00:00:00Z,US-NY,,,"
     "c2,zh-CN\n"
     "B1,s2,P1,1,50.00,2022-05-01T00:00:00Z,2022-05-04T00:00:00Z,2022-05-08T00:00:00Z,CN-BJ,"
     "2022-05-03T00:00:00Z,,c3,zh-CN\n"
     "B2,s2,P2,2,10.00,2022-05-06T00:00:00Z,2022-05-11T00:00:00Z,2022-05-15T00:00:00Z,CN-ZJ,,,"
     "c4,zh\n"
     "B3,s2,P1,1,10.00,2022-05-06T00:00:00Z,2022-05-09T00:00:00Z,2022-05-15T00:00:00Z,CN-ZJ,,,"
     ",pt-BR\n"},
    {"customers", "customers.csv", "id,name,email\nc1,Ana,ana@lamps-buyers.net\n"},
    {"disruptions", "dis.csv",
     "id,region,scope,kind,starts_at,ends_at,note\n"
     "sh,CN-SH,origin,lockdown,2022-04-01T00:00:00Z,2022-06-01T00:00:00Z,Shanghai lockdown\n"},
};

static char *tmpdir;

/* A fresh store (SQLite file or PostgreSQL schema), migrated, the files imported. */
static int fresh(void **state)
{
    bl_test_env_fresh(state);
    struct bl_test_env *e = *state;
    struct bl_store *s = e->st;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_store_migrate(s, &d), &d);
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char *path = bl_test_write_file(tmpdir, files[i].name, files[i].text,
                                        strlen(files[i].text));
        struct bl_import_opts o = {.kind = files[i].kind, .path = path, .org_id = 1, .now = 1};
        struct bl_import_result r;
        BL_ASSERT_OK(bl_import(s, &o, &r, &d), &d);
        free(path);
    }
    static const char *const shops[] = {"s1", "s2"};
    for (size_t i = 0; i < 2; i++) {
        struct bl_app_shop_settings_req q = {
            .shop = shops[i],
            .set = {"https://lamps-light.shop/account", "care@lamps-light.shop", "9:00-18:00",
                    "Lamps & Light Customer Service", "care@lamps-light.shop"},
            .now = 1};
        BL_ASSERT_OK(bl_app_shop_settings_set(s, 1, &q, &d), &d);
    }
    bl_test_env_done(state);
    return 0;
}

static int64_t at(const char *iso)
{
    int64_t t = 0;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_time_parse(bl_str_c(iso), NULL, &t, &d), &d);
    return t;
}

/* A plan with a 30-day horizon and the shop's relay domain for buyers without an
 * address (horizon -1: the profiles'; domain NULL: none). */
static int plan_with(struct bl_store *s, int64_t as_of, int horizon, const char *domain,
                     struct bl_app_messages_plan_res *res, struct bl_diag *d)
{
    struct bl_app_messages_plan_req rq;
    bl_app_messages_plan_defaults(&rq);
    rq.as_of = as_of;
    rq.horizon_days = horizon;
    rq.to_domain = domain;
    rq.now = at("2022-05-10T12:00:00Z");
    return bl_app_messages_plan(s, 1, &rq, res, d);
}

static int plan(struct bl_store *s, int64_t as_of, int64_t cycle,
                struct bl_app_messages_plan_res *res, struct bl_diag *d)
{
    struct bl_app_messages_plan_req rq;
    bl_app_messages_plan_defaults(&rq);
    rq.as_of = as_of;
    rq.horizon_days = 30;
    rq.to_domain = "relay.lamps-light.shop";
    rq.now = at("2022-05-10T12:00:00Z");
    rq.cycle_id = cycle;
    return bl_app_messages_plan(s, 1, &rq, res, d);
}

static void policy_set(struct bl_store *s, enum bl_msg_kind kind, const char *shop, bool on)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_messages_policy_req pq = {true, kind, shop, on, 1};
    struct bl_app_messages_policy_res pr;
    BL_ASSERT_OK(bl_app_messages_policy(s, 1, &pq, &pr, &d), &d);
    bl_app_messages_policy_res_release(&pr);
}

static const struct bl_app_message_planned *by_kind(const struct bl_app_messages_plan_res *r,
                                                   enum bl_msg_kind k)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->msgs[i].kind == k)
            return &r->msgs[i];
    return NULL;
}

static void test_plan_twice(void **state)
{
    struct bl_store *s = bl_test_env_open(*state);
    struct bl_diag d;
    bl_diag_clear(&d);
    /* s1 sends its late-shipment notices by itself; everything else waits */
    policy_set(s, BL_MSG_LATE_SHIPMENT, "s1", true);
    policy_set(s, BL_MSG_LATE_DELIVERY, NULL, true); /* every shop */
    policy_set(s, BL_MSG_LATE_DELIVERY, NULL, false); /* ... and back */
    struct bl_app_messages_policy_req pq = {.kind = BL_MSG__COUNT};
    struct bl_app_messages_policy_res pr;
    BL_ASSERT_OK(bl_app_messages_policy(s, 1, &pq, &pr, &d), &d);
    assert_int_equal(pr.n, 1);
    assert_int_equal(pr.autosend[0].kind, BL_MSG_LATE_SHIPMENT);
    assert_string_equal(pr.autosend[0].shop, "s1");
    bl_app_messages_policy_res_release(&pr);
    pq = (struct bl_app_messages_policy_req){true, BL_MSG_LATE_SHIPMENT, "nosuch", true, 1};
    assert_int_equal(bl_app_messages_policy(s, 1, &pq, &pr, &d), BL_ENOTFOUND);
    bl_app_messages_policy_res_release(&pr);

    struct bl_app_messages_plan_res r;
    BL_ASSERT_OK(plan(s, at("2022-05-10T23:59:59Z"), 7, &r, &d), &d);
    assert_int_equal(r.n, 4);
    assert_int_equal(r.added, 4);
    assert_int_equal(r.already, 0);
    assert_int_equal(r.unreachable, 1); /* B3: late, no customer id */
    assert_int_equal(r.held, 0);
    assert_int_equal(r.waiting, 3);
    for (enum bl_msg_kind k = BL_MSG_LATE_SHIPMENT; k <= BL_MSG_UNSHIPPED_ORDER; k++)
        if (k != BL_MSG_COMPENSATION_COUPON)
            assert_int_equal(r.added_kind[k], 1);
    const struct bl_app_message_planned *m = by_kind(&r, BL_MSG_LATE_SHIPMENT);
    assert_non_null(m);
    assert_string_equal(m->order, "A1");
    assert_string_equal(m->recipient, "ana@lamps-buyers.net");
    assert_string_equal(m->locale, "en");
    assert_false(m->approval); /* s1 opted in */
    assert_null(m->hold);
    assert_non_null(strstr(m->body, "https://lamps-light.shop/account"));
    assert_non_null(strstr(m->body, "Best regards,\nLamps & Light Customer Service"));
    m = by_kind(&r, BL_MSG_OUT_OF_STOCK);
    assert_string_equal(m->order, "B2");
    assert_string_equal(m->recipient, "c4@relay.lamps-light.shop");
    assert_string_equal(m->locale, "zh-CN");
    assert_true(m->approval);
    m = by_kind(&r, BL_MSG_UNSHIPPED_ORDER);
    assert_string_equal(m->order, "A2");
    bl_app_messages_plan_res_release(&r);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM message WHERE cycle_id = 7"), 4);
    assert_int_equal(count(s, "SELECT MAX(id) - MIN(id) FROM message"), 3);

    BL_ASSERT_OK(plan(s, at("2022-05-10T23:59:59Z"), 0, &r, &d), &d);
    assert_int_equal(r.n, 0);
    assert_int_equal(r.added, 0);
    assert_int_equal(r.already, 4);
    assert_int_equal(r.already_kind[BL_MSG_LATE_DELIVERY], 1);
    bl_app_messages_plan_res_release(&r);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM message"), 4);

    struct bl_app_messages_list_req lq = {.kind = "late_shipment"};
    struct bl_app_messages_list_res lr;
    BL_ASSERT_OK(bl_app_messages_list(s, 1, &lq, &lr, &d), &d);
    assert_int_equal(lr.n, 1);
    assert_non_null(strstr(lr.msgs[0].body, "Dear Ana,"));
    assert_string_equal(lr.msgs[0].state, "approved");
    assert_null(lr.msgs[0].last_error);
    assert_null(lr.msgs[0].hold);
    assert_true(lr.msgs[0].sent_at == BL_NO_TIME);
    bl_app_messages_list_res_release(&lr);
    bl_store_close(s);
}

/* The outbox by shop, by the time it was planned, a page at a time; a rejected message
 * is kept with who and why, never sent, and a new plan does not write it again. */
static void test_list_reject(void **state)
{
    struct bl_store *s = bl_test_env_open(*state);
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_messages_plan_res r;
    struct bl_app_messages_plan_req pq;
    bl_app_messages_plan_defaults(&pq);
    pq.as_of = at("2022-05-10T23:59:59Z");
    pq.horizon_days = 30;
    pq.to_domain = "relay.lamps-light.shop";
    pq.now = 1000;
    BL_ASSERT_OK(bl_app_messages_plan(s, 1, &pq, &r, &d), &d);
    size_t planned = r.added;
    bl_app_messages_plan_res_release(&r);
    assert_true(planned >= 4);

    struct bl_app_messages_list_req lq = {.shop = "s1"};
    struct bl_app_messages_list_res lr;
    BL_ASSERT_OK(bl_app_messages_list(s, 1, &lq, &lr, &d), &d);
    for (size_t i = 0; i < lr.n; i++)
        assert_string_equal(lr.msgs[i].shop, "s1");
    size_t s1 = lr.n;
    bl_app_messages_list_res_release(&lr);
    lq = (struct bl_app_messages_list_req){.shop = "s2"};
    BL_ASSERT_OK(bl_app_messages_list(s, 1, &lq, &lr, &d), &d);
    assert_int_equal(s1 + lr.n, planned);
    bl_app_messages_list_res_release(&lr);
    lq = (struct bl_app_messages_list_req){.has_to = true, .to = 1000};
    BL_ASSERT_OK(bl_app_messages_list(s, 1, &lq, &lr, &d), &d);
    assert_int_equal(lr.n, 0); /* planned at 1000: none before */
    bl_app_messages_list_res_release(&lr);
    lq = (struct bl_app_messages_list_req){.has_from = true, .from = 1000, .has_to = true,
                                           .to = 1001};
    BL_ASSERT_OK(bl_app_messages_list(s, 1, &lq, &lr, &d), &d);
    assert_int_equal(lr.n, planned);
    bl_app_messages_list_res_release(&lr);

    /* two at a time, each page after the last id of the one before */
    int64_t after = 0, seen = 0, first = 0;
    for (;;) {
        lq = (struct bl_app_messages_list_req){.after = after, .limit = 2};
        BL_ASSERT_OK(bl_app_messages_list(s, 1, &lq, &lr, &d), &d);
        assert_true(lr.n <= 2);
        for (size_t i = 0; i < lr.n; i++) {
            assert_true(lr.msgs[i].id > after);
            after = lr.msgs[i].id;
        }
        first = first ? first : lr.n ? lr.msgs[0].id : 0;
        seen += (int64_t)lr.n;
        size_t n = lr.n;
        bl_app_messages_list_res_release(&lr);
        if (n < 2)
            break;
    }
    assert_int_equal(seen, planned);

    struct bl_app_messages_reject_req jq = {first, "", "ana", 2000};
    struct bl_app_messages_reject_res jr;
    assert_int_equal(bl_app_messages_reject(s, 1, &jq, &jr, &d), BL_EINVAL);
    bl_app_messages_reject_res_release(&jr);
    jq.reason = "the buyer called";
    BL_ASSERT_OK(bl_app_messages_reject(s, 1, &jq, &jr, &d), &d);
    bl_app_messages_reject_res_release(&jr);
    assert_int_equal(bl_app_messages_reject(s, 1, &jq, &jr, &d), BL_ECONFLICT);
    assert_int_equal(jr.why, BL_REJECT_NOT_WAITING);
    assert_string_equal(jr.state, "rejected");
    bl_app_messages_reject_res_release(&jr);
    assert_int_equal(bl_app_messages_reject(s, 2, &jq, &jr, &d), BL_ENOTFOUND);
    assert_int_equal(jr.why, BL_REJECT_NO_MESSAGE);
    bl_app_messages_reject_res_release(&jr);
    struct bl_app_messages_approve_req aq = {.id = first, .now = 5};
    struct bl_app_messages_approve_res ar;
    assert_int_equal(bl_app_messages_approve(s, 1, &aq, &ar, &d), BL_ECONFLICT);

    lq = (struct bl_app_messages_list_req){.id = first};
    BL_ASSERT_OK(bl_app_messages_show(s, 1, &lq, &lr, &d), &d);
    assert_string_equal(lr.msgs[0].state, "rejected");
    assert_int_equal(lr.msgs[0].rejected_at, 2000);
    assert_string_equal(lr.msgs[0].rejected_by, "ana");
    assert_string_equal(lr.msgs[0].reject_reason, "the buyer called");
    bl_app_messages_list_res_release(&lr);
    BL_ASSERT_OK(bl_app_messages_plan(s, 1, &pq, &r, &d), &d);
    assert_int_equal(r.added, 0);
    bl_app_messages_plan_res_release(&r);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM message WHERE state = 'rejected'"), 1);
    bl_store_close(s);
}

/* Imports n more orders of s1, late to ship (ship-by 2022-05-03, not shipped), from
 * buyers the store has no address for. */
static void import_late(struct bl_store *s, int n)
{
    struct bl_buf b;
    bl_buf_init(&b, 0);
    int rc = bl_buf_addf(&b, "order,shop,sku,qty,unit_price,placed_at,ship_by,promised_at,"
                             "ship_to,customer,locale\n");
    for (int i = 0; !rc && i < n; i++)
        rc = bl_buf_addf(&b, "L%03d,s1,P1,1,20.00,2022-05-01T00:00:00Z,2022-05-03T00:00:00Z,"
                             "2022-05-12T00:00:00Z,US-CA,late%03d,en-US\n", i, i);
    assert_int_equal(rc, BL_OK);
    char *path = bl_test_write_file(tmpdir, "more.csv", bl_buf_cstr(&b), b.len);
    struct bl_import_opts o = {.kind = "orders", .path = path, .org_id = 1, .now = 1};
    struct bl_import_result ir;
    struct bl_diag d;
    bl_diag_clear(&d);
    BL_ASSERT_OK(bl_import(s, &o, &ir, &d), &d);
    free(path);
    bl_buf_release(&b);
}

/* The statements (round trips on PostgreSQL) of one plan without a relay domain, so
 * that buyers without an address are held. */
static uint64_t plan_statements(struct bl_store *s, struct bl_app_messages_plan_res *r)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    uint64_t before = bl_store_statements(s);
    BL_ASSERT_OK(plan_with(s, at("2022-05-10T23:59:59Z"), 30, NULL, r, &d), &d);
    return bl_store_statements(s) - before;
}

/* A plan's statements do not grow with its messages: 200 more new ones, and then 200
 * more held ones rendered again, cost a few statements, not four or five each as they
 * did (issue 15, item 6: on PostgreSQL each is a round trip). */
static void test_plan_round_trips(void **state)
{
    struct bl_store *s = bl_test_env_open(*state);
    struct bl_app_messages_plan_res r;
    uint64_t base = plan_statements(s, &r);
    assert_int_equal(r.added, 4);
    bl_app_messages_plan_res_release(&r);

    import_late(s, 200);
    uint64_t more = plan_statements(s, &r);
    assert_int_equal(r.added, 200);
    assert_int_equal(r.held, 200 + 3); /* and the three held before, rendered again */
    assert_int_equal(r.redone, 3);
    bl_app_messages_plan_res_release(&r);
    uint64_t again = plan_statements(s, &r);
    assert_int_equal(r.added, 0);
    assert_int_equal(r.redone, 203);
    bl_app_messages_plan_res_release(&r);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM message"), 204);
    if (more > base + 10 || again > base + 10)
        fail_msg("statements of a plan: %llu for 4 new messages, %llu for 200 more,"
                 " %llu for 203 held ones rendered again",
                 (unsigned long long)base, (unsigned long long)more, (unsigned long long)again);
    bl_store_close(s);
}

static void test_approve_send(void **state)
{
    struct bl_store *s = bl_test_env_open(*state);
    struct bl_diag d;
    bl_diag_clear(&d);
    for (enum bl_msg_kind k = 0; k < BL_MSG__COUNT; k++)
        if (k != BL_MSG_OUT_OF_STOCK)
            policy_set(s, k, NULL, true); /* every shop sends every kind but one by itself */
    struct bl_app_messages_plan_res r;
    BL_ASSERT_OK(plan(s, at("2022-05-10T23:59:59Z"), 0, &r, &d), &d);
    bl_app_messages_plan_res_release(&r);

    /* out_of_stock waits for a person; approving it twice says why not */
    struct bl_app_messages_list_req lq = {.state = "planned"};
    struct bl_app_messages_list_res lr;
    BL_ASSERT_OK(bl_app_messages_list(s, 1, &lq, &lr, &d), &d);
    assert_int_equal(lr.n, 1);
    int64_t id = lr.msgs[0].id;
    bl_app_messages_list_res_release(&lr);
    struct bl_app_messages_approve_req aq = {.id = id, .now = 5};
    struct bl_app_messages_approve_res ar;
    BL_ASSERT_OK(bl_app_messages_approve(s, 1, &aq, &ar, &d), &d);
    assert_int_equal(ar.approved, 1);
    assert_int_equal(bl_app_messages_approve(s, 1, &aq, &ar, &d), BL_ECONFLICT);
    assert_int_equal(ar.why, BL_APPROVE_NOT_WAITING);
    aq.id = 999;
    assert_int_equal(bl_app_messages_approve(s, 1, &aq, &ar, &d), BL_ENOTFOUND);
    assert_int_equal(ar.why, BL_APPROVE_NO_MESSAGE);
    struct bl_app_messages_list_req sq = {.id = id};
    BL_ASSERT_OK(bl_app_messages_show(s, 1, &sq, &lr, &d), &d);
    assert_int_equal(lr.msgs[0].approved_at, 5);
    bl_app_messages_list_res_release(&lr);

    char out[600];
    snprintf(out, sizeof(out), "%s/out.csv", tmpdir);
    struct bl_app_messages_send_req q = {.sender = {.via = BL_VIA_CSV, .out = out},
                                         .limit = INT64_MAX, .backoff = 60,
                                         .max_attempts = 8, .stale = 600};
    struct bl_app_messages_send_res sr;
    FILE *f = fopen(out, "wb"); /* an earlier export is never written over */
    assert_non_null(f);
    fputs("earlier\n", f);
    fclose(f);
    assert_int_equal(bl_app_messages_send(s, 1, &q, &sr, &d), BL_EEXISTS);
    bl_app_messages_send_res_release(&sr);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM message WHERE state = 'approved'"), 4);
    char buf[16384];
    f = fopen(out, "rb");
    assert_non_null(f);
    size_t len = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[len] = '\0';
    assert_string_equal(buf, "earlier\n");

    unlink(out);
    BL_ASSERT_OK(bl_app_messages_send(s, 1, &q, &sr, &d), &d);
    assert_int_equal(sr.sent, 4);
    assert_int_equal(sr.failed + sr.taken, 0);
    assert_int_equal(sr.n, 4);
    assert_int_equal(sr.results[0].code, BL_SEND_SENT);
    bl_app_messages_send_res_release(&sr);
    f = fopen(out, "rb");
    assert_non_null(f);
    len = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[len] = '\0';
    assert_memory_equal(buf, "id,idem,kind,order,shop,customer,locale,recipient,subject,body\n", 63);
    assert_non_null(strstr(buf, "out_of_stock:"));
    assert_non_null(strstr(buf, "ana@lamps-buyers.net"));
    assert_int_equal(count(s, "SELECT COUNT(*) FROM message WHERE state = 'sent'"), 4);

    unlink(out);
    BL_ASSERT_OK(bl_app_messages_send(s, 1, &q, &sr, &d), &d);
    assert_int_equal(sr.sent + sr.failed + sr.n, 0); /* nothing is sent twice */
    bl_app_messages_send_res_release(&sr);
    assert_int_equal(access(out, F_OK), -1);
    bl_store_close(s);
}

/* Approval is the default: with no opt-in nothing leaves, and the send says what
 * waits, per shop. */
static void test_approval_default(void **state)
{
    struct bl_store *s = bl_test_env_open(*state);
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_messages_plan_res r;
    BL_ASSERT_OK(plan(s, at("2022-05-10T23:59:59Z"), 0, &r, &d), &d);
    assert_int_equal(r.added, 4);
    assert_int_equal(r.waiting, 4);
    for (size_t i = 0; i < r.n; i++)
        assert_true(r.msgs[i].approval);
    bl_app_messages_plan_res_release(&r);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM message WHERE state = 'planned'"), 4);

    char out[600];
    snprintf(out, sizeof(out), "%s/out.csv", tmpdir);
    struct bl_app_messages_send_req q = {.sender = {.via = BL_VIA_CSV, .out = out},
                                         .limit = INT64_MAX, .backoff = 60,
                                         .max_attempts = 8, .stale = 600};
    struct bl_app_messages_send_res sr;
    BL_ASSERT_OK(bl_app_messages_send(s, 1, &q, &sr, &d), &d);
    assert_int_equal(sr.sent + sr.n, 0);
    assert_int_equal(sr.awaiting_approval, 4);
    assert_int_equal(sr.held_total, 0);
    assert_int_equal(sr.nwaiting, 2); /* s1: A1 A2, s2: B1 B2 */
    assert_string_equal(sr.waiting[0].shop, "s1");
    assert_int_equal(sr.waiting[0].hold, BL_HOLD__COUNT);
    assert_int_equal(sr.waiting[0].n, 2);
    bl_app_messages_send_res_release(&sr);
    bl_store_close(s);
}

/* The horizon: as of 2022-05-10, the profiles' 3 days (since 05-07) leave A1 out (its
 * ship-by was 05-03); B1's delivery (05-08) and B2's coming ship-by are inside. */
static void test_horizon(void **state)
{
    struct bl_store *s = bl_test_env_open(*state);
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_messages_plan_res r;
    BL_ASSERT_OK(plan_with(s, at("2022-05-10T23:59:59Z"), -1, "relay.lamps-light.shop", &r, &d),
                 &d);
    assert_int_equal(r.too_old, 1);
    assert_int_equal(r.n, 3);
    assert_null(by_kind(&r, BL_MSG_LATE_SHIPMENT));
    assert_non_null(by_kind(&r, BL_MSG_LATE_DELIVERY));
    bl_app_messages_plan_res_release(&r);
    /* a horizon of 0 days: only what is due from now on; B1 is 2 days late: too old */
    BL_ASSERT_OK(plan_with(s, at("2022-05-10T23:59:59Z"), 0, "relay.lamps-light.shop", &r, &d),
                 &d);
    assert_int_equal(r.too_old, 2);
    assert_int_equal(r.n, 0); /* the other two are in the outbox already */
    assert_int_equal(r.already, 2);
    bl_app_messages_plan_res_release(&r);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM message"), 3);
    bl_store_close(s);
}

static const struct bl_app_message_planned *held_of(const struct bl_app_messages_plan_res *r,
                                                   const char *order)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->msgs[i].order && strcmp(r->msgs[i].order, order) == 0)
            return &r->msgs[i];
    fail_msg("no message for %s", order);
    return NULL;
}

/* Held: what a shop lacks, no address, a reserved address or link; held messages are
 * never sent, and are rendered again (and leave the hold) once the settings are set. */
static void test_holds(void **state)
{
    struct bl_store *s = bl_test_env_open(*state);
    struct bl_diag d;
    bl_diag_clear(&d);
    bl_test_exec_ok(
        s, "DELETE FROM shop_setting WHERE shop_id = (SELECT id FROM shop WHERE ext_id = 's2')");
    struct bl_app_shop_settings_req q = {.shop = "s1", .set = {"https://shop.example/account"}};
    BL_ASSERT_OK(bl_app_shop_settings_set(s, 1, &q, &d), &d);
    struct bl_app_messages_plan_res r;
    BL_ASSERT_OK(plan_with(s, at("2022-05-10T23:59:59Z"), 30, NULL, &r, &d), &d);
    assert_int_equal(r.n, 4);
    assert_int_equal(r.held, 4);
    const struct bl_app_message_planned *m = held_of(&r, "A1"); /* Ana has an address */
    assert_string_equal(m->hold, "reserved_link=shop.example");
    m = held_of(&r, "A2"); /* no address, and the reserved account page */
    assert_string_equal(m->hold, "no_recipient;reserved_link=shop.example");
    m = held_of(&r, "B2"); /* s2 has no settings: the template needs all but support */
    assert_string_equal(m->hold, "no_recipient;missing_setting=account_url,signature,sender");
    assert_non_null(strstr(m->body, "[not set: account_url]"));
    assert_null(strstr(m->body, "\x1e"));
    m = held_of(&r, "B1"); /* late_delivery has no link */
    assert_string_equal(m->hold, "no_recipient;missing_setting=signature,sender");
    assert_int_equal(r.held_reason[BL_HOLD_NO_RECIPIENT], 3);
    assert_int_equal(r.held_reason[BL_HOLD_MISSING_SETTING], 2);
    bl_app_messages_plan_res_release(&r);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM message WHERE state = 'held'"
                              " AND hold IS NOT NULL"), 4);

    /* held messages are never sent, whatever the policy */
    for (enum bl_msg_kind k = 0; k < BL_MSG__COUNT; k++)
        policy_set(s, k, NULL, true);
    char out[600];
    snprintf(out, sizeof(out), "%s/out.csv", tmpdir);
    struct bl_app_messages_send_req sq = {.sender = {.via = BL_VIA_CSV, .out = out},
                                          .limit = INT64_MAX, .backoff = 60,
                                          .max_attempts = 8, .stale = 600};
    struct bl_app_messages_send_res sr;
    BL_ASSERT_OK(bl_app_messages_send(s, 1, &sq, &sr, &d), &d);
    assert_int_equal(sr.sent + sr.n, 0);
    assert_int_equal(sr.held_total, 4);
    assert_int_equal(sr.awaiting_approval, 0);
    bl_app_messages_send_res_release(&sr);
    struct bl_app_messages_approve_req aq = {.all = true, .now = 5};
    struct bl_app_messages_approve_res ar;
    BL_ASSERT_OK(bl_app_messages_approve(s, 1, &aq, &ar, &d), &d);
    assert_int_equal(ar.approved, 0); /* a held message cannot be approved */

    /* fixed: the next plan renders them again; with a relay domain all may leave */
    struct bl_app_shop_settings_req f1 = {.shop = "s1",
                                          .set = {"https://lamps-light.shop/account"}};
    BL_ASSERT_OK(bl_app_shop_settings_set(s, 1, &f1, &d), &d);
    struct bl_app_shop_settings_req f2 = {
        .shop = "s2", .set = {"https://lamps-light.shop/s2", NULL, NULL, "Light Two",
                              "care@light-two.shop"}};
    BL_ASSERT_OK(bl_app_shop_settings_set(s, 1, &f2, &d), &d);
    BL_ASSERT_OK(plan_with(s, at("2022-05-10T23:59:59Z"), 30, "relay.lamps-light.shop", &r, &d),
                 &d);
    assert_int_equal(r.redone, 4);
    assert_int_equal(r.added, 0);
    assert_int_equal(r.held, 0);
    bl_app_messages_plan_res_release(&r);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM message WHERE state = 'approved'"
                              " AND hold IS NULL AND body LIKE '%Light Two%'"), 2);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM message"), 4);

    /* the last guard: a message changed after planning to a reserved address is held
     * by the sender, never sent */
    bl_test_exec_ok(s, "UPDATE message SET recipient = 'c4@customers.invalid'"
                       " WHERE kind = 'out_of_stock'");
    unlink(out); /* each export is a new file (the other store's run left one) */
    BL_ASSERT_OK(bl_app_messages_send(s, 1, &sq, &sr, &d), &d);
    assert_int_equal(sr.sent, 3);
    assert_int_equal(sr.held, 1);
    bl_app_messages_send_res_release(&sr);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM message WHERE kind = 'out_of_stock'"
                              " AND state = 'held' AND hold = 'reserved_recipient="
                              "customers.invalid' AND sent_at IS NULL"), 1);
    bl_store_close(s);
}

/* One message of one order with its real data, neither stored nor sent. */
static void test_preview(void **state)
{
    struct bl_store *s = bl_test_env_open(*state);
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_messages_preview_req q = {.order = "A1", .kind = BL_MSG_LATE_SHIPMENT,
                                            .as_of = at("2022-05-10T23:59:59Z")};
    struct bl_app_messages_preview_res r;
    BL_ASSERT_OK(bl_app_messages_preview(s, 1, &q, &r, &d), &d);
    assert_false(r.due); /* its ship-by (05-03) is before the horizon */
    assert_true(r.too_old);
    assert_string_equal(r.msg.recipient, "ana@lamps-buyers.net");
    if (r.msg.hold)
        fail_msg("held: %s", r.msg.hold);
    assert_non_null(strstr(r.msg.body, "Dear Ana,"));
    assert_non_null(strstr(r.msg.body, "https://lamps-light.shop/account"));
    bl_app_messages_preview_res_release(&r);
    q = (struct bl_app_messages_preview_req){.order = "B2", .kind = BL_MSG_OUT_OF_STOCK,
                                             .locale = "en", .as_of = at("2022-05-10T23:59:59Z")};
    BL_ASSERT_OK(bl_app_messages_preview(s, 1, &q, &r, &d), &d);
    assert_true(r.due);
    assert_string_equal(r.msg.locale, "en"); /* asked for, though the buyer reads zh */
    assert_string_equal(r.msg.hold, "no_recipient"); /* no address, no relay */
    bl_app_messages_preview_res_release(&r);
    q.order = "nosuch";
    assert_int_equal(bl_app_messages_preview(s, 1, &q, &r, &d), BL_ENOTFOUND);
    bl_app_messages_preview_res_release(&r);
    q = (struct bl_app_messages_preview_req){.order = "A1", .kind = BL_MSG_PROMO_CODE};
    assert_int_equal(bl_app_messages_preview(s, 1, &q, &r, &d), BL_EINVAL);
    bl_app_messages_preview_res_release(&r);
    assert_int_equal(count(s, "SELECT COUNT(*) FROM message"), 0);
    bl_store_close(s);
}

static void test_banners(void **state)
{
    struct bl_store *s = bl_test_env_open(*state);
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_banners_req rq = {.as_of = at("2022-05-10T23:59:59Z"),
                                    .account_url = "https://x.test/a"};
    struct bl_app_banners_res r;
    BL_ASSERT_OK(bl_app_banners(s, 1, &rq, &r, &d), &d);
    assert_int_equal(r.shops, 2);
    assert_int_equal(r.affected, 1);
    /* per pack the home page and the product pages; no shipping page: none of the shop's
     * orders went on a channel of the catalogue, so no lane tells a delivery time */
    assert_true(r.n >= 2 && r.n % 2 == 0);
    assert_int_equal(r.no_window, 1);
    assert_string_equal(r.banners[0].shop, "s1");
    assert_string_equal(r.banners[0].locale, "en");
    assert_int_equal(r.banners[0].place, BL_BANNER_HOMEPAGE);
    assert_int_equal(r.banners[1].place, BL_BANNER_PRODUCT);
    assert_null(strstr(r.banners[0].text, "Customer Service")); /* no closure declared */
    assert_int_equal(r.banners[0].until, at("2022-06-01T00:00:00Z"));
    assert_true(strlen(r.banners[0].title) > 0 && strlen(r.banners[0].text) > 0);
    bl_app_banners_res_release(&r);

    rq.as_of = at("2022-06-02T00:00:00Z"); /* the lockdown is over */
    BL_ASSERT_OK(bl_app_banners(s, 1, &rq, &r, &d), &d);
    assert_int_equal(r.affected, 0);
    assert_int_equal(r.n, 0);
    bl_app_banners_res_release(&r);

    /* lifted early: over from then on */
    bl_test_exec_ok(s, "UPDATE disruption SET lifted_at = 1652400000"); /* 2022-05-13 */
    rq.as_of = at("2022-05-14T00:00:00Z");
    BL_ASSERT_OK(bl_app_banners(s, 1, &rq, &r, &d), &d);
    assert_int_equal(r.affected, 0);
    bl_app_banners_res_release(&r);
    bl_store_close(s);
}

static int setup_sqlite(void **state)
{
    return bl_test_env_setup_sqlite(state, &env_sqlite, "app_messages_test");
}

static int setup_pg(void **state)
{
    return bl_test_env_setup_pg(state, &env_pg, "app_messages_test");
}

static void remove_tmpdir(void)
{
    char path[700];
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", tmpdir, files[i].name);
        remove(path);
    }
    snprintf(path, sizeof(path), "%s/out.csv", tmpdir);
    remove(path);
    snprintf(path, sizeof(path), "%s/more.csv", tmpdir);
    remove(path);
    remove(tmpdir);
    free(tmpdir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_plan_twice, fresh),
        cmocka_unit_test_setup(test_approve_send, fresh),
        cmocka_unit_test_setup(test_list_reject, fresh),
        cmocka_unit_test_setup(test_approval_default, fresh),
        cmocka_unit_test_setup(test_horizon, fresh),
        cmocka_unit_test_setup(test_holds, fresh),
        cmocka_unit_test_setup(test_preview, fresh),
        cmocka_unit_test_setup(test_banners, fresh),
        cmocka_unit_test_setup(test_plan_round_trips, fresh),
    };
    tmpdir = bl_test_tmpdir();
    atexit(remove_tmpdir);
    int failed = cmocka_run_group_tests_name("app_messages/sqlite", tests, setup_sqlite,
                                             bl_test_env_teardown);
    if (!getenv("BL_PG_URL_FILE")) {
        fprintf(stderr, "app_messages_test: BL_PG_URL_FILE is not set; skipping PostgreSQL\n");
        return failed;
    }
    env_pg.url = bl_test_pg_url();
    if (!env_pg.url)
        return failed + 1;
    failed +=
        cmocka_run_group_tests_name("app_messages/postgres", tests, setup_pg, bl_test_env_teardown);
    free(env_pg.url);
    return failed;
}
