/* cmd_catalog.c - `ballast skus` (the catalogue) and `ballast stock` (units per SKU and
 * warehouse): the shell around src/app/catalog.h. Read-only. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "app/catalog.h"
#include "ballast/money.h"
#include "ballast/time.h"
#include "cli/cli.h"
#include "cli/out.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The options: --NAME VALUE for each of names (values[i]) and --format. 0, or 2. */
static int filters(struct bl_cli *cli, const char *cmd, int argc, char **argv,
                   const char *const *names, const char **values, size_t n)
{
    struct option opts[4] = {{"format", required_argument, NULL, 'f'}};
    for (size_t i = 0; i < n && i < 2; i++)
        opts[i + 1] = (struct option){names[i], required_argument, NULL, (int)('0' + i)};
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        if (c == 'f') {
            if (bl_cli_set_format(cli, optarg))
                return 2;
        } else if (c >= '0' && c < '0' + (int)n) {
            values[c - '0'] = optarg;
        } else {
            return bl_cli_bad_option(cli, cmd, argv, opts);
        }
    }
    if (optind != argc)
        return bl_cli_usage(cli, cmd, "unexpected argument '%s'", argv[optind]);
    return 0;
}

static struct bl_val opt_int(int64_t v)
{
    return v == BL_CATALOG_NONE ? bl_val_null() : bl_val_int(v);
}

static struct bl_val opt_text(const char *s)
{
    return s ? bl_val_text(bl_str_c(s)) : bl_val_null();
}

static const char *const sku_cols[] = {"sku",       "name",         "category",     "weight_g",
                                       "length_mm", "width_mm",     "height_mm",    "price",
                                       "currency",  "handling_min", "handling_max", "listing",
                                       "promoted",  "price_review", "promo_spend"};

static int sku_row(struct bl_out *o, const struct bl_catalog_sku *k)
{
    struct bl_currency cur;
    char price[48] = "";
    if (k->price != BL_CATALOG_NONE && k->currency &&
        bl_currency_lookup(bl_str_c(k->currency), &cur, NULL) == BL_OK)
        bl_money_format(k->price, cur.exponent, price, sizeof(price));
    char spend[48] = "";
    if (k->promo_spend != BL_CATALOG_NONE && k->currency &&
        bl_currency_lookup(bl_str_c(k->currency), &cur, NULL) == BL_OK)
        bl_money_format(k->promo_spend, cur.exponent, spend, sizeof(spend));
    struct bl_val v[NELEM(sku_cols)] = {bl_val_text(bl_str_c(k->ext_id)),
                                        bl_val_text(bl_str_c(k->name)),
                                        opt_text(k->category),
                                        opt_int(k->weight_g),
                                        opt_int(k->length_mm),
                                        opt_int(k->width_mm),
                                        opt_int(k->height_mm),
                                        price[0] ? bl_val_text(bl_str_c(price)) : bl_val_null(),
                                        opt_text(k->currency),
                                        bl_val_int(k->handling_min),
                                        bl_val_int(k->handling_max),
                                        bl_val_text(bl_str_c(k->listing)),
                                        bl_val_int(k->promoted),
                                        bl_val_text(bl_str_c(k->price_review)),
                                        spend[0] ? bl_val_text(bl_str_c(spend)) : bl_val_null()};
    return bl_out_row(o, v);
}

int bl_cmd_skus(struct bl_cli *cli, int argc, char **argv)
{
    static const char *const names[] = {"listing"};
    struct bl_app_skus_req req = {NULL, 0, -1};
    if (filters(cli, "skus", argc, argv, names, &req.listing, 1))
        return 2;
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_skus_res res;
    int rc = bl_app_skus(st, org, &req, &res, &d);
    bl_store_close(st);
    if (rc) {
        bl_app_skus_res_release(&res);
        return rc == BL_EINVAL ? bl_cli_usage(cli, "skus", "--%s", d.msg) : bl_cli_fail(cli, &d);
    }
    struct bl_out o;
    bl_out_begin(&o, cli, sku_cols, NELEM(sku_cols));
    for (size_t i = 0; !rc && i < res.n; i++)
        rc = sku_row(&o, &res.rows[i]);
    int rc2 = bl_out_end(&o);
    bl_app_skus_res_release(&res);
    return rc || rc2 ? 1 : 0;
}

static const char *const stock_cols[] = {"sku",     "warehouse", "warehouse_name", "region",
                                         "on_hand", "reserved",  "available",      "counted_at"};

int bl_cmd_stock(struct bl_cli *cli, int argc, char **argv)
{
    static const char *const names[] = {"sku", "warehouse"};
    const char *values[2] = {NULL, NULL};
    if (filters(cli, "stock", argc, argv, names, values, 2))
        return 2;
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_stock_req req = {values[0], values[1], 0, 0, -1};
    struct bl_app_stock_res res;
    int rc = bl_app_stock_list(st, org, &req, &res, &d);
    bl_store_close(st);
    if (rc) {
        bl_app_stock_res_release(&res);
        return bl_cli_fail(cli, &d);
    }
    struct bl_out o;
    bl_out_begin(&o, cli, stock_cols, NELEM(stock_cols));
    for (size_t i = 0; !rc && i < res.n; i++) {
        const struct bl_catalog_stock *s = &res.rows[i].s;
        char t[BL_ISO_MAX];
        struct bl_val v[NELEM(stock_cols)] = {
            bl_val_text(bl_str_c(s->sku)),
            bl_val_text(bl_str_c(s->warehouse)),
            bl_val_text(bl_str_c(s->warehouse_name)),
            bl_val_text(bl_str_c(s->region)),
            bl_val_int(s->on_hand),
            bl_val_int(s->reserved),
            bl_val_int(res.rows[i].available),
            bl_val_text(bl_str_c(bl_time_format(s->counted_at, t)))};
        rc = bl_out_row(&o, v);
    }
    int rc2 = bl_out_end(&o);
    bl_app_stock_res_release(&res);
    return rc || rc2 ? 1 : 0;
}
