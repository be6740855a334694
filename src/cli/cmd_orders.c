/* cmd_orders.c - `ballast orders list|show`. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/out.h"

#include "app/orders.h"

#include "ballast/money.h"
#include "ballast/time.h"

static const char *const list_cols[] = {
    "shop",         "order",        "status",      "placed_at",    "ship_by",      "shipped_at",
    "picked_up_at", "delivered_at", "promised_at", "cancelled_at", "cancelled_by", "ship_from",
    "ship_to",      "amount",       "currency",    "customer",     "fulfilment",
    "tracking",     "lines"};
#define NLIST (sizeof(list_cols) / sizeof(list_cols[0]))

/* Text buffers behind the values of one row. */
struct row_text {
    char times[7][BL_ISO_MAX];
    char amount[40];
};

static struct bl_val time_val(int64_t t, char *buf)
{
    return t == BL_NO_TIME ? bl_val_null() : bl_val_text(bl_str_c(bl_time_format(t, buf)));
}

static struct bl_val text_val(const char *s)
{
    return s ? bl_val_text(bl_str_c(s)) : bl_val_null();
}

static int amount_text(const char *cur, int64_t minor, char *out, size_t cap)
{
    struct bl_currency c;
    if (bl_currency_lookup(bl_str_c(cur), &c, NULL) != BL_OK)
        c.exponent = 2;
    return bl_money_format(minor, c.exponent, out, cap) < 0 ? BL_ETOOBIG : BL_OK;
}

/* The values of order o, in list_cols order (text views into o and t).
 * BL_ETOOBIG when the amount cannot be formatted. */
static int order_vals(const struct bl_order_row *o, struct row_text *t, struct bl_val v[NLIST])
{
    if (amount_text(o->currency, o->amount, t->amount, sizeof(t->amount)))
        return BL_ETOOBIG;
    struct bl_val vals[NLIST] = {
        text_val(o->shop),
        text_val(o->ext_id),
        text_val(o->status),
        time_val(o->placed_at, t->times[0]),
        time_val(o->ship_by, t->times[1]),
        time_val(o->shipped_at, t->times[2]),
        time_val(o->picked_up_at, t->times[3]),
        time_val(o->delivered_at, t->times[4]),
        time_val(o->promised_at, t->times[5]),
        time_val(o->cancelled_at, t->times[6]),
        text_val(o->cancelled_by),
        text_val(o->ship_from),
        text_val(o->ship_to),
        bl_val_text(bl_str_c(t->amount)),
        text_val(o->currency),
        text_val(o->customer),
        text_val(o->fulfilment),
        text_val(o->tracking),
        bl_val_int(o->lines),
    };
    memcpy(v, vals, sizeof(vals));
    return BL_OK;
}

static int order_out(struct bl_out *out, const struct bl_order_row *o)
{
    struct row_text t;
    struct bl_val v[NLIST];
    int rc = order_vals(o, &t, v);
    return rc ? rc : bl_out_row(out, v);
}

/* The flags of `orders list` into req; 0, or 2 after a usage message. */
static int list_args(struct bl_cli *cli, int argc, char **argv, struct bl_app_orders_list_req *req)
{
    static const struct option opts[] = {
        {"shop", required_argument, NULL, 's'},
        {"status", required_argument, NULL, 'S'},
        {"from", required_argument, NULL, 'F'},
        {"to", required_argument, NULL, 'T'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    *req = (struct bl_app_orders_list_req){.limit = -1};
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            req->shop = optarg;
            break;
        case 'S':
            req->status = optarg;
            if (strcmp(optarg, "open") && strcmp(optarg, "shipped") &&
                strcmp(optarg, "delivered") && strcmp(optarg, "cancelled"))
                return bl_cli_usage(cli, "orders",
                                    "--status %s: expected open, shipped, delivered or "
                                    "cancelled",
                                    optarg);
            break;
        case 'F':
            if (bl_cli_parse_instant(cli, "orders", "--from", optarg, &req->from))
                return 2;
            req->has_from = true;
            break;
        case 'T':
            if (bl_cli_parse_instant(cli, "orders", "--to", optarg, &req->to))
                return 2;
            req->has_to = true;
            break;
        case 'f':
            if (bl_cli_set_format(cli, optarg))
                return 2;
            break;
        default:
            return bl_cli_bad_option(cli, "orders list", argv, opts);
        }
    }
    if (optind != argc)
        return bl_cli_usage(cli, "orders", "list takes options only");
    req->limit = bl_cli_sql_limit(cli, 10000); /* the window (out.c), and up to 10000 more */
    return 0;
}

struct each_ctx {
    struct bl_out *o;
    size_t n;
};

static int each_row(void *vctx, const struct bl_order_row *r)
{
    struct each_ctx *c = vctx;
    c->n++;
    return order_out(c->o, r);
}

static int orders_list(struct bl_cli *cli, int argc, char **argv)
{
    struct bl_app_orders_list_req req;
    if (list_args(cli, argc, argv, &req))
        return 2;
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_out o;
    bl_out_begin(&o, cli, list_cols, NLIST);
    struct each_ctx ec = {&o, 0};
    int rc = bl_app_orders_each(st, org, &req, each_row, &ec, &d); /* streamed: any length */
    bl_store_close(st);
    o.capped = req.limit >= 0 && (int64_t)ec.n == req.limit;
    int rc2 = bl_out_end(&o);
    if (rc || rc2) {
        if (!d.code)
            bl_diag_set(&d, rc ? rc : rc2, "%s", bl_strerror(rc ? rc : rc2));
        return bl_cli_fail(cli, &d);
    }
    return 0;
}

static const char *const line_cols[] = {"line", "sku", "qty", "unit_price", "currency"};

static int line_vals(const struct bl_order_line_row *l, char *price, size_t cap, struct bl_val v[5])
{
    if (amount_text(l->currency, l->price, price, cap))
        return BL_ETOOBIG;
    v[0] = bl_val_int(l->line_no);
    v[1] = bl_val_text(bl_str_c(l->sku));
    v[2] = bl_val_int(l->qty);
    v[3] = bl_val_text(bl_str_c(price));
    v[4] = bl_val_text(bl_str_c(l->currency));
    return BL_OK;
}

static const char *const event_cols[] = {"changed_at", "field", "from", "to", "import",
                                         "correction"};

/* One change as text: the import is "KIND FILE (batch N)", the file without its
 * directories. */
static void event_vals(const struct bl_order_event_row *e, char at[BL_ISO_MAX], char *imp,
                       size_t cap, struct bl_val v[6])
{
    const char *base = strrchr(e->source, '/');
    snprintf(imp, cap, "%s %s (batch %lld)", e->kind, base ? base + 1 : e->source,
             (long long)e->batch_id);
    v[0] = bl_val_text(bl_str_c(bl_time_format(e->at, at)));
    v[1] = bl_val_text(bl_str_c(e->field));
    v[2] = e->old_value ? bl_val_text(bl_str_c(e->old_value)) : bl_val_text(BL_STR("(none)"));
    v[3] = e->new_value ? bl_val_text(bl_str_c(e->new_value)) : bl_val_text(BL_STR("(none)"));
    v[4] = bl_val_text(bl_str_c(imp));
    v[5] = bl_val_text(bl_str_c(e->correction ? "yes" : "no"));
}

/* JSON for `orders show`: one object, the order's columns of `orders list` with
 * "lines" holding the array of its lines instead of their count. */
static int show_json(struct bl_cli *cli, const struct bl_app_order_shown *s, struct bl_diag *d)
{
    struct row_text t;
    struct bl_val v[NLIST];
    int rc = order_vals(&s->order, &t, v);
    json_t *order = rc ? NULL : bl_out_json_object(list_cols, NLIST - 1, v); /* no count */
    json_t *lines = json_array();
    if (!rc && (!order || !lines))
        rc = BL_ENOMEM;
    for (size_t k = 0; !rc && k < s->nlines; k++) {
        char price[40];
        struct bl_val lv[5];
        rc = line_vals(&s->lines[k], price, sizeof(price), lv);
        json_t *line = rc ? NULL : bl_out_json_object(line_cols, 5, lv);
        if (!rc && (!line || json_array_append_new(lines, line)))
            rc = BL_ENOMEM;
    }
    if (!rc && json_object_set(order, "lines", lines))
        rc = BL_ENOMEM;
    json_t *history = rc ? NULL : json_array();
    if (!rc && !history)
        rc = BL_ENOMEM;
    for (size_t k = 0; !rc && k < s->nevents; k++) {
        char at[BL_ISO_MAX], imp[400];
        struct bl_val ev[6];
        event_vals(&s->events[k], at, imp, sizeof(imp), ev);
        if (!s->events[k].old_value)
            ev[2] = bl_val_null();
        if (!s->events[k].new_value)
            ev[3] = bl_val_null();
        json_t *e = bl_out_json_object(event_cols, 6, ev);
        if (!e || json_array_append_new(history, e))
            rc = BL_ENOMEM;
    }
    if (!rc && json_object_set_new(order, "history", history))
        rc = BL_ENOMEM;
    else if (rc)
        json_decref(history);
    char *text = rc ? NULL : json_dumps(order, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!rc && !text)
        rc = BL_ENOMEM;
    if (text)
        fprintf(cli->out, "%s\n", text);
    free(text);
    json_decref(order);
    json_decref(lines);
    if (rc)
        bl_diag_set(d, rc, "cannot format the order: %s", bl_strerror(rc));
    return rc;
}

static int show_history(struct bl_cli *cli, const struct bl_app_order_shown *s)
{
    if (!s->nevents) {
        fprintf(cli->out, "\nno changes since the order was imported\n");
        return BL_OK;
    }
    fprintf(cli->out, "\nhistory\n");
    struct bl_out o;
    bl_out_begin(&o, cli, event_cols, 6);
    int rc = BL_OK;
    for (size_t k = 0; !rc && k < s->nevents; k++) {
        char at[BL_ISO_MAX], imp[400];
        struct bl_val v[6];
        event_vals(&s->events[k], at, imp, sizeof(imp), v);
        rc = bl_out_row(&o, v);
    }
    int rc2 = bl_out_end(&o);
    return rc ? rc : rc2;
}

static int show_table(struct bl_cli *cli, const struct bl_app_order_shown *s)
{
    struct bl_out o;
    bl_out_begin(&o, cli, list_cols, NLIST);
    int rc = order_out(&o, &s->order);
    int rc2 = bl_out_end(&o);
    if (rc || rc2)
        return rc ? rc : rc2;
    fputc('\n', cli->out);
    bl_out_begin(&o, cli, line_cols, 5);
    for (size_t k = 0; !rc && k < s->nlines; k++) {
        char price[40];
        struct bl_val v[5];
        rc = line_vals(&s->lines[k], price, sizeof(price), v);
        rc = rc ? rc : bl_out_row(&o, v);
    }
    rc2 = bl_out_end(&o);
    if (!rc && !rc2 && cli->format == BL_FMT_TABLE)
        rc = show_history(cli, s);
    return rc ? rc : rc2;
}

static int cmp_text(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* JSON is one order object: an id in several shops needs --shop. */
static int name_shops(const struct bl_app_orders_show_res *res, const char *ext, struct bl_diag *d)
{
    const char *shops[BL_APP_ORDERS_SHOW_MAX];
    for (size_t k = 0; k < res->n; k++)
        shops[k] = res->orders[k].order.shop ? res->orders[k].order.shop : "";
    qsort(shops, res->n, sizeof(shops[0]), cmp_text);
    struct bl_buf b = BL_BUF_INIT;
    int rc = BL_OK;
    for (size_t k = 0; !rc && k < res->n; k++)
        rc = (k ? bl_buf_adds(&b, bl_str_c(", ")) : 0) || bl_buf_adds(&b, bl_str_c(shops[k]))
                 ? BL_ENOMEM
                 : BL_OK;
    bl_diag_set(d, BL_ECONFLICT, "order '%s' is in %zu shops (%s): name one with --shop S", ext,
                res->n, rc ? "..." : bl_buf_cstr(&b));
    bl_buf_release(&b);
    return BL_ECONFLICT;
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
            return c != 'f' ? bl_cli_bad_option(cli, "orders show", argv, opts) : 2;
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
    struct bl_app_orders_show_req req = {ext, shop};
    struct bl_app_orders_show_res res;
    int rc = bl_app_orders_show(st, org, &req, &res, &d);
    bl_store_close(st);
    if (!rc && res.n > 1 && cli->format == BL_FMT_JSON)
        rc = name_shops(&res, ext, &d);
    if (!rc && cli->format == BL_FMT_JSON)
        rc = show_json(cli, &res.orders[0], &d);
    for (size_t k = 0; !rc && cli->format != BL_FMT_JSON && k < res.n; k++) {
        if (k)
            fputc('\n', cli->out);
        rc = show_table(cli, &res.orders[k]);
        if (rc)
            bl_diag_set(&d, rc, "%s", bl_strerror(rc));
    }
    bl_app_orders_show_res_release(&res);
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
