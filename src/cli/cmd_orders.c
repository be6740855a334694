/* cmd_orders.c - `ballast orders list|show`. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/out.h"

#include "ballast/money.h"
#include "ballast/time.h"

static const char order_select[] =
    "SELECT s.ext_id, o.ext_id, o.status, o.placed_at, o.ship_by, o.shipped_at, "
    "o.picked_up_at, o.delivered_at, o.promised_at, o.cancelled_at, o.cancelled_by, "
    "o.ship_from, o.ship_to, o.amount, o.currency, o.customer, o.id, "
    "(SELECT COUNT(*) FROM order_line l WHERE l.org_id = o.org_id AND l.order_id = o.id) "
    "FROM orders o JOIN shop s ON s.org_id = o.org_id AND s.id = o.shop_id ";

static const char *const list_cols[] = {"shop",      "order",     "status",      "placed_at",
                                        "ship_by",   "shipped_at", "picked_up_at", "delivered_at",
                                        "promised_at", "cancelled_at", "cancelled_by",
                                        "ship_from", "ship_to",   "amount",      "currency",
                                        "customer",  "lines"};
#define NLIST (sizeof(list_cols) / sizeof(list_cols[0]))

struct list_ctx {
    struct bl_out *out;
    char times[7][BL_ISO_MAX];
    char amount[40];
    int64_t last_id;
    int64_t n;
};

static struct bl_val time_val(const struct bl_row *r, size_t col, char *buf)
{
    if (bl_row_isnull(r, col))
        return bl_val_null();
    return bl_val_text(bl_str_c(bl_time_format(bl_row_int(r, col), buf)));
}

static struct bl_val text_val(const struct bl_row *r, size_t col)
{
    return bl_row_isnull(r, col) ? bl_val_null() : bl_val_text(bl_row_text(r, col));
}

static int amount_text(struct bl_str cur, int64_t minor, char *out, size_t cap)
{
    struct bl_currency c;
    if (bl_currency_lookup(cur, &c, NULL) != BL_OK)
        c.exponent = 2;
    return bl_money_format(minor, c.exponent, out, cap) < 0 ? BL_ETOOBIG : BL_OK;
}

/* The values of one row of order_select, in list_cols order (text views into r and
 * c, valid until the next row). BL_ETOOBIG when the amount cannot be formatted. */
static int order_vals(struct list_ctx *c, const struct bl_row *r, struct bl_val v[NLIST])
{
    if (amount_text(bl_row_text(r, 14), bl_row_int(r, 13), c->amount, sizeof(c->amount)))
        return BL_ETOOBIG;
    struct bl_val vals[NLIST] = {
        text_val(r, 0),
        text_val(r, 1),
        text_val(r, 2),
        time_val(r, 3, c->times[0]),
        time_val(r, 4, c->times[1]),
        time_val(r, 5, c->times[2]),
        time_val(r, 6, c->times[3]),
        time_val(r, 7, c->times[4]),
        time_val(r, 8, c->times[5]),
        time_val(r, 9, c->times[6]),
        text_val(r, 10),
        text_val(r, 11),
        text_val(r, 12),
        bl_val_text(bl_str_c(c->amount)),
        text_val(r, 14),
        text_val(r, 15),
        bl_val_int(bl_row_int(r, 17)),
    };
    memcpy(v, vals, sizeof(vals));
    c->last_id = bl_row_int(r, 16);
    c->n++;
    return BL_OK;
}

static int list_row(void *vctx, const struct bl_row *r)
{
    struct list_ctx *c = vctx;
    struct bl_val v[NLIST];
    int rc = order_vals(c, r, v);
    return rc ? rc : bl_out_row(c->out, v);
}

static int orders_list(struct bl_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"shop", required_argument, NULL, 's'},  {"status", required_argument, NULL, 'S'},
        {"from", required_argument, NULL, 'F'},  {"to", required_argument, NULL, 'T'},
        {"limit", required_argument, NULL, 'l'}, {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    const char *shop = NULL, *status = NULL;
    int64_t from = 0, to = 0, limit = -1;
    bool has_from = false, has_to = false;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            shop = optarg;
            break;
        case 'S':
            status = optarg;
            if (strcmp(status, "open") && strcmp(status, "shipped") &&
                strcmp(status, "delivered") && strcmp(status, "cancelled"))
                return bl_cli_usage(cli, "orders",
                                    "--status %s: expected open, shipped, delivered or "
                                    "cancelled",
                                    status);
            break;
        case 'F':
            if (bl_cli_parse_instant(cli, "orders", "--from", optarg, &from))
                return 2;
            has_from = true;
            break;
        case 'T':
            if (bl_cli_parse_instant(cli, "orders", "--to", optarg, &to))
                return 2;
            has_to = true;
            break;
        case 'l':
            if (bl_cli_parse_int(cli, "orders", "--limit", optarg, 0, INT64_MAX, &limit))
                return 2;
            break;
        case 'f':
            if (bl_cli_set_format(cli, optarg))
                return 2;
            break;
        default:
            return bl_cli_usage(cli, "orders",
                                "usage: orders list [--shop S] [--status S] [--from T] [--to T] "
                                "[--limit N]");
        }
    }
    if (optind != argc)
        return bl_cli_usage(cli, "orders", "list takes options only");
    if (limit < 0 && cli->format == BL_FMT_TABLE)
        limit = 50;

    struct bl_buf sql = BL_BUF_INIT;
    struct bl_val p[5];
    size_t n = 0;
    int rc = bl_buf_addf(&sql, "%sWHERE o.org_id = $1", order_select);
    struct bl_store *st;
    int64_t org;
    if (rc || bl_cli_open(cli, false, &st, &org)) {
        bl_buf_release(&sql);
        return 1;
    }
    p[n++] = bl_val_int(org);
    if (shop) {
        p[n] = bl_val_text(bl_str_c(shop));
        rc = rc ? rc : bl_buf_addf(&sql, " AND s.ext_id = $%zu", ++n);
    }
    if (status) {
        p[n] = bl_val_text(bl_str_c(status));
        rc = rc ? rc : bl_buf_addf(&sql, " AND o.status = $%zu", ++n);
    }
    if (has_from) {
        p[n] = bl_val_int(from);
        rc = rc ? rc : bl_buf_addf(&sql, " AND o.placed_at >= $%zu", ++n);
    }
    if (has_to) {
        p[n] = bl_val_int(to);
        rc = rc ? rc : bl_buf_addf(&sql, " AND o.placed_at < $%zu", ++n);
    }
    rc = rc ? rc : bl_buf_addf(&sql, " ORDER BY o.placed_at, o.id");
    if (limit >= 0)
        rc = rc ? rc : bl_buf_addf(&sql, " LIMIT %lld", (long long)limit);
    struct bl_out o;
    bl_out_begin(&o, cli, list_cols, NLIST);
    struct list_ctx lc = {.out = &o};
    struct bl_diag d;
    bl_diag_clear(&d);
    if (!rc)
        rc = bl_store_query(st, bl_buf_cstr(&sql), p, n, list_row, &lc, &d);
    int rc2 = bl_out_end(&o);
    bl_buf_release(&sql);
    bl_store_close(st);
    if (rc || rc2) {
        if (!d.code)
            bl_diag_set(&d, rc ? rc : rc2, "%s", bl_strerror(rc ? rc : rc2));
        return bl_cli_fail(cli, &d);
    }
    if (cli->format == BL_FMT_TABLE && limit >= 0 && lc.n == limit)
        fprintf(cli->err, "ballast: showing the first %lld orders (--limit N for more)\n",
                (long long)limit);
    return 0;
}

static const char *const line_cols[] = {"line", "sku", "qty", "unit_price", "currency"};

struct line_ctx {
    struct bl_out *out;
    char price[40];
};

static int line_vals(struct line_ctx *c, const struct bl_row *r, struct bl_val v[5])
{
    if (amount_text(bl_row_text(r, 4), bl_row_int(r, 3), c->price, sizeof(c->price)))
        return BL_ETOOBIG;
    v[0] = bl_val_int(bl_row_int(r, 0));
    v[1] = bl_val_text(bl_row_text(r, 1));
    v[2] = bl_val_int(bl_row_int(r, 2));
    v[3] = bl_val_text(bl_str_c(c->price));
    v[4] = bl_val_text(bl_row_text(r, 4));
    return BL_OK;
}

static int line_row(void *vctx, const struct bl_row *r)
{
    struct line_ctx *c = vctx;
    struct bl_val v[5];
    int rc = line_vals(c, r, v);
    return rc ? rc : bl_out_row(c->out, v);
}

static const char line_select[] =
    "SELECT l.line_no, k.ext_id, l.qty, l.price, o.currency FROM "
    "order_line l JOIN sku k ON k.org_id = l.org_id AND k.id = l.sku_id "
    "JOIN orders o ON o.org_id = l.org_id AND o.id = l.order_id "
    "WHERE l.org_id = $1 AND l.order_id = $2 ORDER BY l.line_no";

/* JSON for `orders show`: one object, the order's columns of `orders list` with
 * "lines" holding the array of its lines instead of their count. */
struct json_ctx {
    struct list_ctx lc;
    struct line_ctx lnc;
    json_t *order; /* set by the order row */
    json_t *lines;
};

static int json_order_row(void *vctx, const struct bl_row *r)
{
    struct json_ctx *c = vctx;
    struct bl_val v[NLIST];
    int rc = order_vals(&c->lc, r, v);
    if (rc)
        return rc;
    c->order = bl_out_json_object(list_cols, NLIST - 1, v); /* all but the line count */
    return c->order ? BL_OK : BL_ENOMEM;
}

static int json_line_row(void *vctx, const struct bl_row *r)
{
    struct json_ctx *c = vctx;
    struct bl_val v[5];
    int rc = line_vals(&c->lnc, r, v);
    if (rc)
        return rc;
    json_t *line = bl_out_json_object(line_cols, 5, v);
    return line && json_array_append_new(c->lines, line) == 0 ? BL_OK : BL_ENOMEM;
}

static int show_json(struct bl_cli *cli, struct bl_store *st, const char *order_sql,
                     const struct bl_val q[2], struct bl_diag *d)
{
    struct json_ctx c = {.lines = json_array()};
    if (!c.lines)
        return bl_diag_set(d, BL_ENOMEM, "out of memory");
    int rc = bl_store_query(st, order_sql, q, 2, json_order_row, &c, d);
    if (!rc)
        rc = bl_store_query(st, line_select, q, 2, json_line_row, &c, d);
    if (!rc && !c.order)
        rc = bl_diag_set(d, BL_ENOTFOUND, "the order disappeared while it was read");
    if (!rc && json_object_set(c.order, "lines", c.lines))
        rc = BL_ENOMEM;
    char *text = rc ? NULL : json_dumps(c.order, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!rc && !text)
        rc = BL_ENOMEM;
    if (text)
        fprintf(cli->out, "%s\n", text);
    free(text);
    json_decref(c.order);
    json_decref(c.lines);
    if (rc == BL_ENOMEM || rc == BL_ETOOBIG)
        bl_diag_set(d, rc, "cannot format the order: %s", bl_strerror(rc));
    return rc;
}

/* Shop ids of the orders named ext, for the message when --shop is needed. */
static int shop_row(void *vctx, const struct bl_row *r)
{
    struct bl_buf *b = vctx;
    struct bl_str s = bl_row_text(r, 0);
    if (b->len && bl_buf_adds(b, bl_str_c(", ")))
        return BL_ENOMEM;
    return bl_buf_adds(b, s);
}

struct id_ctx {
    int64_t ids[64];
    size_t n;
};

static int id_row(void *vctx, const struct bl_row *r)
{
    struct id_ctx *c = vctx;
    if (c->n < 64)
        c->ids[c->n++] = bl_row_int(r, 0);
    return 0;
}

static int orders_show(struct bl_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"shop", required_argument, NULL, 's'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    const char *shop = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 's')
            shop = optarg;
        else if (c != 'f' || bl_cli_set_format(cli, optarg))
            return bl_cli_usage(cli, "orders", "usage: orders show ORDER [--shop S] [--format F]");
    }
    if (argc - optind != 1)
        return bl_cli_usage(cli, "orders", "show needs one ORDER id");
    const char *ext = argv[optind];
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_val p[3] = {bl_val_int(org), bl_val_text(bl_str_c(ext)),
                          bl_val_text(bl_str_c(shop ? shop : ""))};
    struct id_ctx ic = {.n = 0};
    int rc = bl_store_query(st,
                            shop ? "SELECT o.id FROM orders o JOIN shop s ON s.org_id = o.org_id "
                                   "AND s.id = o.shop_id WHERE o.org_id = $1 AND o.ext_id = $2 "
                                   "AND s.ext_id = $3 ORDER BY o.id"
                                 : "SELECT id FROM orders WHERE org_id = $1 AND ext_id = $2 "
                                   "ORDER BY id",
                            p, shop ? 3 : 2, id_row, &ic, &d);
    if (!rc && ic.n == 0)
        rc = bl_diag_set(&d, BL_ENOTFOUND, "no order '%s'%s%s", ext, shop ? " in shop " : "",
                         shop ? shop : "");
    if (!rc && ic.n > 1 && cli->format == BL_FMT_JSON) {
        /* JSON is one order object: an id in several shops needs --shop */
        struct bl_buf shops = BL_BUF_INIT;
        rc = bl_store_query(st,
                            "SELECT s.ext_id FROM orders o JOIN shop s ON s.org_id = o.org_id "
                            "AND s.id = o.shop_id WHERE o.org_id = $1 AND o.ext_id = $2 "
                            "ORDER BY s.ext_id",
                            p, 2, shop_row, &shops, &d);
        if (!rc)
            rc = bl_diag_set(&d, BL_ECONFLICT,
                             "order '%s' is in %zu shops (%s): name one with --shop S", ext, ic.n,
                             bl_buf_cstr(&shops));
        bl_buf_release(&shops);
    }
    char sql[1024];
    snprintf(sql, sizeof(sql), "%sWHERE o.org_id = $1 AND o.id = $2", order_select);
    for (size_t k = 0; !rc && k < ic.n; k++) {
        struct bl_val q[2] = {bl_val_int(org), bl_val_int(ic.ids[k])};
        if (cli->format == BL_FMT_JSON) {
            rc = show_json(cli, st, sql, q, &d);
            break;
        }
        struct bl_out o;
        if (k)
            fputc('\n', cli->out);
        bl_out_begin(&o, cli, list_cols, NLIST);
        struct list_ctx lc = {.out = &o};
        rc = bl_store_query(st, sql, q, 2, list_row, &lc, &d);
        int rc2 = bl_out_end(&o);
        rc = rc ? rc : rc2;
        if (rc)
            break;
        fputc('\n', cli->out);
        bl_out_begin(&o, cli, line_cols, 5);
        struct line_ctx lnc = {.out = &o};
        rc = bl_store_query(st, line_select, q, 2, line_row, &lnc, &d);
        rc2 = bl_out_end(&o);
        rc = rc ? rc : rc2;
    }
    bl_store_close(st);
    if (rc)
        return bl_cli_fail(cli, &d);
    return 0;
}

int bl_cmd_orders(struct bl_cli *cli, int argc, char **argv)
{
    if (argc < 2)
        return bl_cli_usage(cli, "orders", "expected 'list' or 'show ORDER'");
    if (strcmp(argv[1], "list") == 0)
        return orders_list(cli, argc - 1, argv + 1);
    if (strcmp(argv[1], "show") == 0)
        return orders_show(cli, argc - 1, argv + 1);
    return bl_cli_usage(cli, "orders", "unknown subcommand '%s': expected list or show", argv[1]);
}
