/* cmd_comp.c - `ballast compensate`, `ballast coupons` and `ballast ledger`.
 *
 * compensate: coupons for counted late shipments (compensate.h), paid from the
 * shop's deposit through an append-only ledger whose idempotency key is unique,
 * so no order is paid twice, whatever the as-of and however often it runs. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/assess_common.h"
#include "cli/out.h"

#include "ballast/compensate.h"
#include "ballast/money.h"
#include "ballast/time.h"

static int exponent_of(const char *cur)
{
    struct bl_currency c;
    return bl_currency_lookup(bl_str_c(cur), &c, NULL) == BL_OK ? c.exponent : 2;
}

static void money_text(int64_t v, const char *cur, char *out, size_t cap)
{
    if (bl_money_format(v, exponent_of(cur), out, cap) < 0)
        snprintf(out, cap, "%lld", (long long)v);
}

struct done_ctx {
    struct bl_assess_run *r;
    bool *done;
};

static int done_row(void *vctx, const struct bl_row *row)
{
    struct done_ctx *c = vctx;
    int64_t i = bl_assess_order_index(c->r, bl_row_int(row, 0));
    if (i >= 0)
        c->done[i] = true;
    return 0;
}

struct bal_ctx {
    struct bl_assess_run *r;
    int64_t *balance;
    int rc;
};

static int bal_row(void *vctx, const struct bl_row *row)
{
    struct bal_ctx *c = vctx;
    int64_t s = bl_snapshot_shop_index(c->r->snap, bl_row_int(row, 0));
    if (s >= 0 && bl_money_add(c->balance[s], bl_row_int(row, 1), &c->balance[s]))
        c->rc = BL_EOVERFLOW;
    return 0;
}

#define EXT_CHUNK 256 /* order ids per query when fetching their external ids */

struct ext_ctx {
    const int64_t *ids; /* the chunk's order ids, in coupon order */
    size_t n;
    char (*ext)[256];   /* the chunk's slots */
};

static int ext_row(void *vctx, const struct bl_row *row)
{
    struct ext_ctx *c = vctx;
    int64_t id = bl_row_int(row, 0);
    for (size_t k = 0; k < c->n; k++) /* a coupon per order: one slot matches */
        if (c->ids[k] == id)
            bl_str_copy(c->ext[k], sizeof(c->ext[k]), bl_row_text(row, 1));
    return 0;
}

/* The external ids of the coupons' orders, EXT_CHUNK orders per query. */
static int fetch_ext(struct bl_assess_run *r, const struct bl_coupon *c, size_t n,
                     char (*ext)[256], struct bl_diag *d)
{
    int64_t ids[EXT_CHUNK];
    struct bl_val p[EXT_CHUNK + 1];
    struct bl_buf sql = BL_BUF_INIT;
    int rc = BL_OK;
    for (size_t at = 0; !rc && at < n; at += EXT_CHUNK) {
        size_t m = n - at < EXT_CHUNK ? n - at : EXT_CHUNK;
        bl_buf_reset(&sql);
        rc = bl_buf_adds(&sql, BL_STR("SELECT id, ext_id FROM orders WHERE org_id = $1 AND id IN ("));
        p[0] = bl_val_int(r->org);
        for (size_t k = 0; !rc && k < m; k++) {
            ids[k] = r->snap->order_id[c[at + k].order];
            p[k + 1] = bl_val_int(ids[k]);
            rc = bl_buf_addf(&sql, "%s$%zu", k ? ", " : "", k + 2);
        }
        rc = rc ? rc : bl_buf_addc(&sql, ')');
        if (rc) {
            bl_diag_set(d, rc, "compensate: %s", bl_strerror(rc));
            break;
        }
        struct ext_ctx ec = {ids, m, ext + at};
        rc = bl_store_query(r->st, bl_buf_cstr(&sql), p, m + 1, ext_row, &ec, d);
    }
    bl_buf_release(&sql);
    return rc;
}

static const char *const coupon_cols[] = {"org_id", "id",     "shop_id", "order_id",
                                          "profile", "amount", "currency", "reason",
                                          "state",  "as_of",  "issued_at"};
static const char *const ledger_cols[] = {"org_id", "id",  "shop_id", "kind", "amount",
                                          "currency", "balance", "ref", "idem", "note",
                                          "as_of",  "at"};
#define NC(a) (sizeof(a) / sizeof((a)[0]))

static const char *state_name(enum bl_coupon_state s)
{
    return s == BL_COUPON_PAID ? "paid" : "owed";
}

/* Stores the coupons, their ledger entries and alerts in one transaction. */
static int save(struct bl_assess_run *r, const struct bl_coupon *c, size_t n, char (*ext)[256],
                char (*reason)[300], struct bl_diag *d)
{
    const struct bl_snapshot *s = r->snap;
    int rc = bl_store_begin(r->st, d);
    int64_t next_coupon = 0, next_ledger = 0, next_alert = 0;
    struct bl_val org = bl_val_int(r->org);
    if (!rc)
        rc = bl_store_query_int(r->st, "SELECT COALESCE(MAX(id), 0) + 1 FROM coupon WHERE org_id = $1",
                                &org, 1, &next_coupon, d);
    if (!rc)
        rc = bl_store_query_int(r->st, "SELECT COALESCE(MAX(id), 0) + 1 FROM ledger WHERE org_id = $1",
                                &org, 1, &next_ledger, d);
    if (!rc)
        rc = bl_store_query_int(r->st, "SELECT COALESCE(MAX(id), 0) + 1 FROM alert WHERE org_id = $1",
                                &org, 1, &next_alert, d);
    struct bl_inserter *ci = NULL, *li = NULL;
    if (!rc)
        rc = bl_inserter_open(r->st, "coupon", coupon_cols, NC(coupon_cols), &ci, d);
    if (!rc)
        rc = bl_inserter_open(r->st, "ledger", ledger_cols, NC(ledger_cols), &li, d);
    int64_t now = bl_cli_now();
    for (size_t k = 0; !rc && k < n; k++) {
        size_t i = c[k].order;
        uint32_t shop = s->orders.shop[i];
        const char *cur = s->currencies[s->cur[i]];
        char idem[64];
        snprintf(idem, sizeof(idem), "coupon:%lld", (long long)s->order_id[i]);
        struct bl_val cv[] = {org,
                              bl_val_int(next_coupon++),
                              bl_val_int(s->shops[shop].id),
                              bl_val_int(s->order_id[i]),
                              bl_val_text(bl_str_c(r->profile->name)),
                              bl_val_int(c[k].amount),
                              bl_val_text(bl_str_c(cur)),
                              bl_val_text(bl_str_c(reason[k])),
                              bl_val_text(bl_str_c(state_name(c[k].state))),
                              bl_val_int(r->as_of),
                              bl_val_int(r->as_of)};
        rc = bl_inserter_row(ci, cv, (int64_t)k + 1, d);
        if (!rc && c[k].state == BL_COUPON_PAID) {
            struct bl_val lv[] = {org,
                                  bl_val_int(next_ledger++),
                                  bl_val_int(s->shops[shop].id),
                                  bl_val_text(BL_STR("coupon")),
                                  bl_val_int(-c[k].amount),
                                  bl_val_text(bl_str_c(cur)),
                                  bl_val_int(c[k].balance_after),
                                  bl_val_text(bl_str_c(ext[k])),
                                  bl_val_text(bl_str_c(idem)),
                                  bl_val_text(bl_str_c(reason[k])),
                                  bl_val_int(r->as_of),
                                  bl_val_int(now)};
            rc = bl_inserter_row(li, lv, (int64_t)k + 1, d);
        }
        if (!rc && c[k].state != BL_COUPON_PAID) {
            char msg[400];
            char amt[40], bal[40];
            money_text(c[k].amount, cur, amt, sizeof(amt));
            money_text(c[k].balance_after, s->shops[shop].currency, bal, sizeof(bal));
            if (c[k].state == BL_COUPON_OWED_SHORT)
                snprintf(msg, sizeof(msg),
                         "shop %s: deposit %s %s cannot cover the coupon of %s %s for order "
                         "%s; the coupon is owed",
                         s->shops[shop].ext, bal, s->shops[shop].currency, amt, cur, ext[k]);
            else
                snprintf(msg, sizeof(msg),
                         "shop %s: the coupon of %s %s for order %s is in another currency "
                         "than the deposit (%s); the coupon is owed",
                         s->shops[shop].ext, amt, cur, ext[k], s->shops[shop].currency);
            struct bl_val av[] = {org,
                                  bl_val_int(next_alert++),
                                  bl_val_text(BL_STR("deposit_short")),
                                  bl_val_int(s->shops[shop].id),
                                  bl_val_text(bl_str_c(idem)),
                                  bl_val_text(bl_str_c(msg)),
                                  bl_val_int(r->as_of),
                                  bl_val_int(now)};
            rc = bl_store_exec(r->st,
                               "INSERT INTO alert (org_id, id, kind, shop_id, ref, message, as_of, at)"
                               " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                               " ON CONFLICT (org_id, kind, ref) DO NOTHING",
                               av, 8, NULL, d);
        }
    }
    rc = bl_inserter_end(ci, rc, d);
    rc = bl_inserter_end(li, rc, d);
    if (!rc)
        rc = bl_store_commit(r->st, d);
    if (rc) {
        struct bl_diag ignore;
        if (bl_store_rollback(r->st, &ignore)) {
        }
        if (rc == BL_EEXISTS)
            bl_diag_set(d, rc,
                        "another compensation run stored coupons for the same orders at the "
                        "same time; nothing of this run was stored: run it again");
    }
    return rc;
}

static void reason_text(const struct bl_assess_run *r, const struct bl_coupon *c, char *out,
                        size_t cap)
{
    const struct bl_snapshot *s = r->snap;
    size_t i = c->order;
    const char *cur = s->currencies[s->cur[i]];
    char sb[BL_ISO_MAX], sh[BL_ISO_MAX], amt[40], pct[16];
    money_text(c->order_amount, cur, amt, sizeof(amt));
    if (bl_money_format(r->profile->comp_bp, 2, pct, sizeof(pct)) < 0)
        pct[0] = '\0';
    bl_time_format(s->ship_by[i], sb);
    if (s->shipped[i] != BL_NO_TIME && s->shipped[i] <= r->as_of)
        snprintf(out, cap, "late shipment: promised by %s, shipped %s; %s%% of %s %s (%s)", sb,
                 bl_time_format(s->shipped[i], sh), pct, amt, cur, r->profile->name);
    else
        snprintf(out, cap, "late shipment: promised by %s, not shipped as of %s; %s%% of %s %s (%s)",
                 sb, bl_time_format(r->as_of, sh), pct, amt, cur, r->profile->name);
}

int bl_cmd_compensate(struct bl_cli *cli, int argc, char **argv)
{
    struct bl_assess_args a;
    int urc = bl_assess_args_parse(cli, "compensate", argc, argv, false, &a);
    if (urc)
        return urc;
    struct bl_assess_run r;
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_assess_run_open(cli, &a, &r, &d))
        return bl_cli_fail(cli, &d);
    const struct bl_snapshot *s = r.snap;
    int rc = BL_OK;
    bool *done = bl_calloc(s->orders.n + 1, sizeof(bool));
    int64_t *balance = bl_calloc(s->nshops + 1, sizeof(int64_t));
    char(*shop_cur)[4] = bl_calloc(s->nshops + 1, 4);
    if (!rc && (!done || !balance || !shop_cur))
        rc = bl_diag_set(&d, BL_ENOMEM, "compensate: out of memory");
    for (size_t k = 0; !rc && k < s->nshops; k++) {
        balance[k] = s->shops[k].deposit;
        memcpy(shop_cur[k], s->shops[k].currency, 4);
    }
    struct bl_val org = bl_val_int(r.org);
    struct done_ctx dc = {&r, done};
    if (!rc)
        rc = bl_store_query(r.st, "SELECT order_id FROM coupon WHERE org_id = $1", &org, 1, done_row,
                            &dc, &d);
    struct bal_ctx bc = {&r, balance, BL_OK};
    if (!rc)
        rc = bl_store_query(r.st,
                            "SELECT g.shop_id, COALESCE(SUM(g.amount), 0) FROM ledger g"
                            " JOIN shop s ON s.org_id = g.org_id AND s.id = g.shop_id"
                            " AND s.currency = g.currency"
                            " WHERE g.org_id = $1 AND g.kind IN ('coupon', 'topup')"
                            " GROUP BY g.shop_id",
                            &org, 1, bal_row, &bc, &d);
    if (!rc && bc.rc)
        rc = bl_diag_set(&d, bc.rc, "compensate: a shop's ledger balance overflows");
    /* Shops out of scope (another profile, or not --shop): their orders count as done. */
    for (size_t i = 0; !rc && i < s->orders.n; i++)
        if (r.skip[s->orders.shop[i]])
            done[i] = true;
    struct bl_coupon *c = NULL;
    size_t n = 0;
    struct bl_comp_input in = {r.ctx, &s->orders, r.profile, r.as_of, s->amount, s->cur,
                               (const char(*)[4])s->currencies, done,
                               (const char(*)[4])shop_cur, balance};
    if (!rc)
        rc = bl_compensate(&in, &r.arena, &c, &n, &d);
    char(*ext)[256] = n ? bl_calloc(n, 256) : NULL;
    char(*reason)[300] = n ? bl_calloc(n, 300) : NULL;
    if (!rc && n && (!ext || !reason))
        rc = bl_diag_set(&d, BL_ENOMEM, "compensate: out of memory");
    if (!rc && n)
        rc = fetch_ext(&r, c, n, ext, &d);
    for (size_t k = 0; !rc && k < n; k++)
        reason_text(&r, &c[k], reason[k], sizeof(reason[k]));
    if (!rc && !a.dry_run && n)
        rc = save(&r, c, n, ext, reason, &d);
    if (!rc) {
        static const char *const cols[] = {"shop",   "order", "amount",    "currency", "state",
                                           "balance", "reason", "issued_at"};
        struct bl_out out;
        bl_out_begin(&out, cli, cols, NC(cols));
        char amt[40], bal[40], at[BL_ISO_MAX];
        bl_time_format(r.as_of, at);
        for (size_t k = 0; !rc && k < n; k++) {
            size_t i = c[k].order;
            uint32_t shop = s->orders.shop[i];
            const char *cur = s->currencies[s->cur[i]];
            money_text(c[k].amount, cur, amt, sizeof(amt));
            money_text(c[k].balance_after, s->shops[shop].currency, bal, sizeof(bal));
            struct bl_val v[] = {bl_val_text(bl_str_c(s->shops[shop].ext)),
                                 bl_val_text(bl_str_c(ext[k])),
                                 bl_val_text(bl_str_c(amt)),
                                 bl_val_text(bl_str_c(cur)),
                                 bl_val_text(bl_str_c(state_name(c[k].state))),
                                 bl_val_text(bl_str_c(bal)),
                                 bl_val_text(bl_str_c(reason[k])),
                                 bl_val_text(bl_str_c(at))};
            rc = bl_out_row(&out, v);
        }
        int erc = bl_out_end(&out);
        rc = rc ? rc : erc;
        if (!rc && cli->format == BL_FMT_TABLE)
            fprintf(cli->err, "ballast: %zu coupon(s)%s\n", n,
                    a.dry_run ? " (dry run: nothing stored)" : "");
    }
    bl_free(ext);
    bl_free(reason);
    bl_free(done);
    bl_free(balance);
    bl_free(shop_cur);
    bl_assess_run_close(&r);
    return rc ? bl_cli_fail(cli, &d) : 0;
}

/* ---- coupons and ledger ------------------------------------------------------------- */

struct list_ctx {
    struct bl_out *out;
    int kind; /* 0 coupons, 1 ledger */
};

static int coupon_row(void *vctx, const struct bl_row *row)
{
    struct list_ctx *c = vctx;
    char amt[40], at[BL_ISO_MAX];
    char cur[4];
    bl_str_copy(cur, sizeof(cur), bl_row_text(row, 3));
    money_text(bl_row_int(row, 2), cur, amt, sizeof(amt));
    struct bl_val v[] = {bl_val_text(bl_row_text(row, 0)),
                         bl_val_text(bl_row_text(row, 1)),
                         bl_val_text(bl_str_c(amt)),
                         bl_val_text(bl_str_c(cur)),
                         bl_val_text(bl_row_text(row, 4)),
                         bl_val_text(bl_str_c(bl_time_format(bl_row_int(row, 5), at))),
                         bl_val_text(bl_row_text(row, 6)),
                         bl_val_text(bl_row_text(row, 7))};
    return bl_out_row(c->out, v);
}

static int list_opts(struct bl_cli *cli, const char *cmd, int argc, char **argv, const char **shop)
{
    static const struct option opts[] = {
        {"shop", required_argument, NULL, 's'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 0;
    opterr = 0;
    *shop = NULL;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 's')
            *shop = optarg;
        else if (c == 'f') {
            if (bl_cli_set_format(cli, optarg))
                return 2;
        } else
            return bl_cli_usage(cli, cmd, "usage: %s [--shop S] [--format table|csv|json]", cmd);
    }
    if (optind < argc)
        return bl_cli_usage(cli, cmd, "unexpected argument '%s'", argv[optind]);
    return 0;
}

int bl_cmd_coupons(struct bl_cli *cli, int argc, char **argv)
{
    const char *shop;
    int urc = list_opts(cli, "coupons", argc, argv, &shop);
    if (urc)
        return urc;
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    static const char *const cols[] = {"shop",   "order",     "amount", "currency",
                                       "reason", "issued_at", "state",  "profile"};
    struct bl_out out;
    bl_out_begin(&out, cli, cols, NC(cols));
    struct list_ctx lc = {&out, 0};
    struct bl_val p[2] = {bl_val_int(org), bl_val_text(bl_str_c(shop ? shop : ""))};
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_store_query(st,
                            "SELECT s.ext_id, o.ext_id, c.amount, c.currency, c.reason, c.issued_at,"
                            " c.state, c.profile FROM coupon c"
                            " JOIN shop s ON s.org_id = c.org_id AND s.id = c.shop_id"
                            " JOIN orders o ON o.org_id = c.org_id AND o.id = c.order_id"
                            " WHERE c.org_id = $1 AND ($2 = '' OR s.ext_id = $2) ORDER BY c.id",
                            p, 2, coupon_row, &lc, &d);
    int erc = bl_out_end(&out);
    bl_store_close(st);
    if (rc)
        return bl_cli_fail(cli, &d);
    return erc ? 1 : 0;
}

struct ledger_ctx {
    struct bl_out *out;
    const char *shop;
    char cur[4];
    int64_t balance;
    bool any;
};

static int ledger_row(void *vctx, const struct bl_row *row)
{
    struct ledger_ctx *c = vctx;
    char amt[40], bal[40], at[BL_ISO_MAX];
    char cur[4];
    bl_str_copy(cur, sizeof(cur), bl_row_text(row, 3));
    money_text(bl_row_int(row, 2), cur, amt, sizeof(amt));
    money_text(bl_row_int(row, 4), cur, bal, sizeof(bal));
    c->balance = bl_row_int(row, 4);
    struct bl_val v[] = {bl_val_int(bl_row_int(row, 0)),
                         bl_val_text(bl_str_c(bl_time_format(bl_row_int(row, 6), at))),
                         bl_val_text(bl_row_text(row, 1)),
                         bl_val_text(bl_str_c(amt)),
                         bl_val_text(bl_str_c(cur)),
                         bl_val_text(bl_str_c(bal)),
                         bl_val_text(bl_row_text(row, 5)),
                         bl_val_text(bl_row_text(row, 7))};
    return bl_out_row(c->out, v);
}

struct shop_ctx {
    int64_t id, deposit;
    char cur[4];
};

static int shop_row(void *vctx, const struct bl_row *row)
{
    struct shop_ctx *c = vctx;
    c->id = bl_row_int(row, 0);
    c->deposit = bl_row_int(row, 1);
    bl_str_copy(c->cur, sizeof(c->cur), bl_row_text(row, 2));
    return 0;
}

int bl_cmd_ledger(struct bl_cli *cli, int argc, char **argv)
{
    const char *shop;
    int urc = list_opts(cli, "ledger", argc, argv, &shop);
    if (urc)
        return urc;
    if (!shop)
        return bl_cli_usage(cli, "ledger", "--shop S is required");
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct shop_ctx sc = {0, 0, ""};
    struct bl_val p[2] = {bl_val_int(org), bl_val_text(bl_str_c(shop))};
    int rc = bl_store_query(st, "SELECT id, deposit, currency FROM shop WHERE org_id = $1 AND ext_id = $2",
                            p, 2, shop_row, &sc, &d);
    if (!rc && !sc.id)
        rc = bl_diag_set(&d, BL_ENOTFOUND, "--shop %s: no shop with that id", shop);
    if (rc) {
        bl_store_close(st);
        return bl_cli_fail(cli, &d);
    }
    static const char *const cols[] = {"entry", "as_of", "kind", "amount",
                                       "currency", "balance", "ref", "note"};
    struct bl_out out;
    bl_out_begin(&out, cli, cols, NC(cols));
    char dep[40];
    money_text(sc.deposit, sc.cur, dep, sizeof(dep));
    struct bl_val open[] = {bl_val_int(0),           bl_val_text(BL_STR("")),
                            bl_val_text(BL_STR("deposit")), bl_val_text(bl_str_c(dep)),
                            bl_val_text(bl_str_c(sc.cur)), bl_val_text(bl_str_c(dep)),
                            bl_val_text(BL_STR("")),  bl_val_text(BL_STR("opening deposit (shops.csv)"))};
    rc = bl_out_row(&out, open);
    struct ledger_ctx lc = {&out, shop, "", sc.deposit, false};
    struct bl_val q[2] = {bl_val_int(org), bl_val_int(sc.id)};
    if (!rc)
        rc = bl_store_query(st,
                            "SELECT id, kind, amount, currency, balance, ref, as_of, note FROM ledger"
                            " WHERE org_id = $1 AND shop_id = $2 ORDER BY id",
                            q, 2, ledger_row, &lc, &d);
    int erc = bl_out_end(&out);
    if (!rc && !erc && cli->format == BL_FMT_TABLE) {
        char bal[40];
        money_text(lc.balance, sc.cur, bal, sizeof(bal));
        fprintf(cli->out, "balance: %s %s\n", bal, sc.cur);
    }
    bl_store_close(st);
    if (rc)
        return bl_cli_fail(cli, &d);
    return erc ? 1 : 0;
}
