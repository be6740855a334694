/* disrupt_impact_text.c - what a disruption touches, in words for people and in rows for
 * machines (bl__dis_print_impact, disrupt_common.h). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/disrupt_common.h"
#include "cli/out.h"

#include "app/disruption.h"

#define TABLE_ROWS 10 /* rows of a detail table for people; machines get every row */

static const char *const scope_words[] = {"shipments leaving it", "shipments to it",
                                          "shipments leaving it and to it"};

static const char *plural(int64_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* "sao paulo (4830e4...)": the shop's name and its id, or the id when they are the same. */
static const char *shop_text(const struct bl_app_dis_count *c, char *buf, size_t cap)
{
    if (!c->shop_name[0] || strcmp(c->shop_name, c->shop) == 0)
        snprintf(buf, cap, "%s", c->shop);
    else
        snprintf(buf, cap, "%s (%s)", c->shop_name, c->shop);
    return buf;
}

static int counts_table(struct bl_cli *cli, const struct bl_app_dis_count *v, size_t n,
                        bool channel)
{
    static const char *const cols[] = {"shop", "channel", "orders"};
    static const char *const cols2[] = {"shop", "orders"};
    struct bl_out o;
    bl_out_begin(&o, cli, channel ? cols : cols2, channel ? 3 : 2);
    int rc = 0;
    for (size_t i = 0; !rc && i < n && i < TABLE_ROWS; i++) {
        char shop[512];
        struct bl_val x[3] = {bl_val_text(bl_str_c(shop_text(&v[i], shop, sizeof(shop)))),
                              bl_val_text(bl_str_c(v[i].channel ? v[i].channel : "(none yet)")),
                              bl_val_int(v[i].orders)};
        if (!channel)
            x[1] = x[2];
        rc = bl_out_row(&o, x);
    }
    int rc2 = bl_out_end(&o);
    if (n > TABLE_ROWS)
        fprintf(cli->out, "  ... and %zu more (`--format csv` lists them all)\n", n - TABLE_ROWS);
    return rc || rc2;
}

static int skus_table(struct bl_cli *cli, const struct bl_app_disruption_impact_res *r)
{
    static const char *const cols[] = {"sku", "name", "from", "listed"};
    struct bl_out o;
    bl_out_begin(&o, cli, cols, 4);
    int rc = 0;
    for (size_t i = 0; !rc && i < r->nskus && i < TABLE_ROWS; i++) {
        const struct bl_app_dis_sku *k = &r->skus[i];
        char from[512];
        snprintf(from, sizeof(from), "%s %s (%s)", k->supplier ? "supplier" : "warehouse",
                 k->place_name, k->place);
        struct bl_val x[4] = {bl_val_text(bl_str_c(k->sku)), bl_val_text(bl_str_c(k->name)),
                              bl_val_text(bl_str_c(from)),
                              bl_val_text(bl_str_c(k->listed ? "yes" : "no"))};
        rc = bl_out_row(&o, x);
    }
    int rc2 = bl_out_end(&o);
    if (r->nskus > TABLE_ROWS)
        fprintf(cli->out, "  ... and %zu more (`--format csv` lists them all)\n",
                r->nskus - TABLE_ROWS);
    return rc || rc2;
}

/* The first line: what the disruption is and when, and the as-of. */
static void headline(struct bl_cli *cli, const struct bl_app_disruption_impact_res *r)
{
    const struct bl_disruption *x = &r->item.r;
    char s[BL_ISO_MAX], e[BL_ISO_MAX], a[BL_ISO_MAX];
    fprintf(cli->out, "Disruption %lld: %s in %s%s%s%s, %s", (long long)x->id,
            bl_dis_kinds[x->kind], r->region_name[0] ? r->region_name : x->region,
            r->region_name[0] ? " (" : "", r->region_name[0] ? x->region : "",
            r->region_name[0] ? ")" : "", scope_words[x->scope]);
    if (x->channel)
        fprintf(cli->out, ", channel %s only", x->channel);
    if (x->supplier)
        fprintf(cli->out, ", supplier %s only", x->supplier);
    fprintf(cli->out, ", from %s %s%s.\n", bl_time_format(x->starts_at, s),
            bl_dis_open_end(r->item.effective_end) ? "" : "until ",
            bl__dis_end_text(r->item.effective_end, e));
    fprintf(cli->out, "As of %s it is %s.\n", bl_time_format(r->as_of, a),
            r->in_force               ? "in force"
            : r->as_of < x->starts_at ? "not in force yet"
                                      : "over");
}

static int people(struct bl_cli *cli, const struct bl_app_disruption_impact_res *r)
{
    headline(cli, r);
    int rc = 0;
    fprintf(cli->out, "\nOpen orders it holds: %lld", (long long)r->held_orders);
    if (r->held_orders) {
        fprintf(cli->out, " (per shop and channel)\n");
        rc = counts_table(cli, r->held, r->nheld, true);
    } else {
        fputc('\n', cli->out);
    }
    fprintf(cli->out, "Orders in transit to the region: %lld\n", (long long)r->in_transit);
    fprintf(cli->out, "Customers who will be written to: %lld\n", (long long)r->customers);
    fprintf(cli->out,
            "\nShops whose metrics gain exemptions: %zu (%lld %s due to ship in "
            "the window)\n",
            r->nexempt, (long long)r->exempt_orders, plural(r->exempt_orders, "order", "orders"));
    if (!rc && r->nexempt)
        rc = counts_table(cli, r->exempt, r->nexempt, false);
    if (r->not_auto_orders)
        fprintf(cli->out,
                "Not exempted: %lld %s of shops whose rule profile only exempts an approved "
                "protection window (`ballast protect`)\n",
                (long long)r->not_auto_orders, plural(r->not_auto_orders, "order", "orders"));
    fprintf(cli->out, "\nSKUs whose warehouse or supplier is inside: %zu\n", r->nskus);
    if (!rc && r->nskus)
        rc = skus_table(cli, r);
    fprintf(cli->out, "Listings whose delivery promise lengthens: %lld%s\n", (long long)r->listings,
            r->listings_to_region ? " (every active listing, for buyers inside the region)"
            : r->listings         ? " (active listings stocked inside)"
                                  : "");
    return rc;
}

/* Machines: one row per fact, totals first. */
static int machines(struct bl_cli *cli, const struct bl_app_disruption_impact_res *r)
{
    static const char *const cols[] = {"what",     "shop",  "shop_name",  "channel", "sku",
                                       "sku_name", "place", "place_name", "count"};
    struct bl_out o;
    bl_out_begin(&o, cli, cols, 9);
    const struct {
        const char *what;
        int64_t n;
    } totals[] = {{"held_orders", r->held_orders},       {"in_transit", r->in_transit},
                  {"customers", r->customers},           {"exempt_orders", r->exempt_orders},
                  {"exempt_shops", (int64_t)r->nexempt}, {"not_exempted", r->not_auto_orders},
                  {"skus", (int64_t)r->nskus},           {"listings", r->listings}};
    int rc = 0;
    struct bl_val x[9];
    for (size_t i = 0; !rc && i < sizeof(totals) / sizeof(totals[0]); i++) {
        for (size_t k = 0; k < 9; k++)
            x[k] = bl_val_null();
        x[0] = bl_val_text(bl_str_c(totals[i].what));
        x[8] = bl_val_int(totals[i].n);
        rc = bl_out_row(&o, x);
    }
    for (int pass = 0; pass < 2; pass++) {
        const struct bl_app_dis_count *v = pass ? r->exempt : r->held;
        size_t n = pass ? r->nexempt : r->nheld;
        for (size_t i = 0; !rc && i < n; i++) {
            for (size_t k = 0; k < 9; k++)
                x[k] = bl_val_null();
            x[0] = bl_val_text(bl_str_c(pass ? "exempt" : "held"));
            x[1] = bl_val_text(bl_str_c(v[i].shop));
            x[2] = bl_val_text(bl_str_c(v[i].shop_name));
            x[3] = v[i].channel ? bl_val_text(bl_str_c(v[i].channel)) : bl_val_null();
            x[8] = bl_val_int(v[i].orders);
            rc = bl_out_row(&o, x);
        }
    }
    for (size_t i = 0; !rc && i < r->nskus; i++) {
        const struct bl_app_dis_sku *k = &r->skus[i];
        for (size_t j = 0; j < 9; j++)
            x[j] = bl_val_null();
        x[0] = bl_val_text(bl_str_c(k->supplier ? "sku_supplier" : "sku_warehouse"));
        x[4] = bl_val_text(bl_str_c(k->sku));
        x[5] = bl_val_text(bl_str_c(k->name));
        x[6] = bl_val_text(bl_str_c(k->place));
        x[7] = bl_val_text(bl_str_c(k->place_name));
        x[8] = bl_val_int(k->listed);
        rc = bl_out_row(&o, x);
    }
    int rc2 = bl_out_end(&o);
    return rc || rc2;
}

int bl__dis_print_impact(struct bl_cli *cli, const struct bl_app_disruption_impact_res *res)
{
    return cli->format == BL_FMT_TABLE ? people(cli, res) : machines(cli, res);
}
